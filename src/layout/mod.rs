//! Layouts: where in a sheet the data sits. A layout finds its table by header text and
//! hands its cells, column by column, to the normalizer.

pub mod rows;
pub mod table;

use regex::Regex;
use torimatome_plugin_api::{LayoutResult, Match};

use crate::model::Issue;
use crate::normalize::{Normalizer, Role};
use torimatome_ja_core::text;
use crate::plugin::PluginLayout;
use crate::workbook::{Sheet, Value};
use rows::{ReadContext, RowSpec, Source};
use table::TableRead;

/// A layout the pipeline declares: which sheets it reads, and how.
pub struct Layout {
    pub name: String,
    /// The plan its projects belong to: its `plan`, or its name.
    pub plan: String,
    /// Regular expressions on sheet names; hidden sheets are never read.
    pub sheets: Vec<Regex>,
    /// The department a file of this layout counts for when it names none itself.
    pub department: Option<String>,
    /// Steps for this layout's rows instead of the pipeline's.
    pub steps: Option<Normalizer>,
    pub kind: LayoutKind,
}

pub enum LayoutKind {
    /// Read by torimatome: a table under a header found by its texts.
    Table(table::TableLayout),
    /// Read by a plugin, which says where each value is.
    Plugin(PluginLayout),
}

/// What a layout makes of a sheet.
pub enum Found<'a> {
    Yes(Located<'a>),
    /// The layout's kind of sheet, with these things missing: a wrong template.
    WrongTemplate(Vec<String>),
    No,
    /// A plugin layout failed on the sheet (panicked, or answered nonsense).
    Failed(String),
}

/// Where a layout found its data in a sheet, ready to be read.
pub enum Located<'a> {
    Table(&'a table::TableLayout, table::Header),
    Plugin(LayoutResult),
}

impl Layout {
    pub fn find(&self, sheet: &Sheet) -> Found<'_> {
        match &self.kind {
            LayoutKind::Table(t) => match t.find_header(sheet) {
                table::SheetMatch::Found(header) => Found::Yes(Located::Table(t, header)),
                table::SheetMatch::WrongTemplate { missing } => Found::WrongTemplate(missing),
                table::SheetMatch::NoMatch => Found::No,
            },
            LayoutKind::Plugin(p) => match p.read(sheet) {
                Err(why) => Found::Failed(format!("{}: {why}", p.name())),
                Ok(result) => match &result.matched {
                    Match::No => Found::No,
                    Match::WrongTemplate { missing } => Found::WrongTemplate(missing.clone()),
                    Match::Found => Found::Yes(Located::Plugin(result)),
                },
            },
        }
    }

    /// Whether the layout's status column holds letter grades.
    pub fn grades(&self) -> bool {
        matches!(&self.kind, LayoutKind::Table(t) if t.grades)
    }

    pub fn applies_to(&self, sheet: &Sheet) -> bool {
        sheet.visible && self.sheets.iter().any(|re| re.is_match(&sheet.name))
    }

    pub fn normalizer<'a>(&'a self, pipeline: &'a Normalizer) -> &'a Normalizer {
        self.steps.as_ref().unwrap_or(pipeline)
    }
}

impl Located<'_> {
    /// The first row of the data, above which a file states its department and period.
    pub fn top_row(&self) -> u32 {
        match self {
            Located::Table(_, header) => header.row,
            Located::Plugin(result) => result.rows.iter().map(|r| r.row).min().unwrap_or(0),
        }
    }

    pub fn read(self, sheet: &Sheet, ctx: &ReadContext, normalizer: &Normalizer) -> TableRead {
        match self {
            Located::Table(t, header) => t.read(sheet, &header, ctx, normalizer),
            Located::Plugin(result) => read_plugin_rows(result, sheet, ctx, normalizer),
        }
    }
}

/// Rows a plugin layout located: the names it read, the cells it pointed at.
fn read_plugin_rows(result: LayoutResult, sheet: &Sheet, ctx: &ReadContext, normalizer: &Normalizer) -> TableRead {
    let specs: Vec<RowSpec> = result
        .rows
        .into_iter()
        .map(|r| {
            let mut fields = vec![
                (Role::Goal, Source::Text(r.goal)),
                (Role::Measure, Source::Text(r.measure)),
                (Role::Project, Source::Text(r.project)),
                (Role::Unit, Source::Text(r.unit)),
            ];
            fields.extend(r.indicator.map(|i| (Role::Indicator, Source::Text(i))));
            fields.extend(r.department.map(|d| (Role::Department, Source::Text(d))));
            let values = r
                .values
                .into_iter()
                .map(|v| (v.kind, v.fiscal_year, (v.at.row, v.at.col)))
                .collect();
            RowSpec { row: r.row, fields, status: r.status.map(|a| (a.row, a.col)), notes: Vec::new(), values }
        })
        .collect();
    let (rows, mut problems) = rows::build(sheet, &specs, ctx, normalizer);
    for p in result.problems {
        let cell = p.at.map(|a| a1(a.row, a.col)).unwrap_or_default();
        problems.push(ctx.problem(sheet, &cell, &p.raw, Issue::Plugin { what: p.what, todo: p.todo }));
    }
    TableRead { rows_read: result.rows_read as usize, rows, problems }
}

/// A1 notation of a 0-based position, as Excel shows it.
pub fn a1(row: u32, col: u32) -> String {
    crate::model::CellRef { row, col }.to_string()
}

/// The cell holding the value for a label such as 担当課 or 報告日: the first non-empty
/// cell right of the label, within the first `search_rows` rows. Labels are squashed.
pub fn label_value(sheet: &Sheet, labels: &[String], search_rows: u32) -> Option<(u32, u32)> {
    for row in 0..search_rows.min(sheet.height()) {
        for (col, cell) in sheet.filled(row) {
            let key = text::squash(&cell.display());
            if !labels.contains(&key) {
                continue;
            }
            // A merged label spans several columns; the value starts after them.
            let after = sheet
                .merges
                .iter()
                .find(|m| m.0 == row && m.1 == col)
                .map_or(col, |m| m.3);
            return (after + 1..sheet.width().min(after + 6))
                .find(|c| !matches!(sheet.get(row, *c), Value::Empty))
                .map(|c| (row, c));
        }
    }
    None
}

/// The texts above a table (title, report lines), where a file may state its period.
pub fn texts_above(sheet: &Sheet, header_row: u32) -> Vec<String> {
    (0..header_row.min(sheet.height()))
        .flat_map(|row| sheet.filled(row))
        .map(|(_, cell)| cell.display())
        .filter(|t| !t.trim().is_empty())
        .collect()
}
