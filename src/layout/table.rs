//! Layout A, the KPI table: one row per indicator under a one- or two-row header, columns
//! found by header text, project cells merged down over their indicator rows.

use regex::Regex;

use crate::model::{IndicatorRow, Issue, Kind, Problem};
use torimatome_ja_core::era::HeaderKind;
use crate::normalize::{Cell, Normalizer, Output, Role};
use torimatome_ja_core::text;
use crate::workbook::{Sheet, Value};

use super::a1;
use super::rows::{self, ReadContext, RowSpec, Source};

/// A table layout as the pipeline declares it, checked.
#[derive(Debug, Clone)]
pub struct TableLayout {
    pub search_rows: u32,
    pub header_rows: u32,
    /// Role → header texts naming it, squashed (NFKC, no spaces).
    pub columns: Vec<(Role, Vec<String>)>,
    /// A note's name in the book → header texts naming its column, squashed. Never
    /// required: a table without its commentary is complete.
    pub notes: Vec<(String, Vec<String>)>,
    pub required: Vec<Role>,
    /// Group headers over baseline/plan columns and over this period's actual, squashed.
    pub value_groups: Vec<String>,
    pub actual_groups: Vec<String>,
    pub fill_down: Vec<Role>,
    /// The status column holds letter grades (A–D).
    pub grades: bool,
    pub stop_at: Vec<Regex>,
    pub blank_rows: u32,
}

/// How a sheet relates to a layout.
#[derive(Debug)]
pub enum SheetMatch {
    /// The header was found at this 0-based row.
    Found(Header),
    /// Most of the header is there but required columns are missing: a wrong template.
    WrongTemplate { missing: Vec<String> },
    NoMatch,
}

#[derive(Debug)]
pub struct Header {
    pub row: u32,
    pub columns: Vec<(Role, u32)>,
    /// Note columns found in the header row, by the note's name.
    pub notes: Vec<(String, u32)>,
    /// Value columns and the text of their sub-header.
    pub values: Vec<ValueColumn>,
}

#[derive(Debug, Clone)]
pub struct ValueColumn {
    pub col: u32,
    pub header: String,
    /// Under an actual group (実績値 over 9月末時点): this period's actual.
    pub actual_group: bool,
}

/// What reading one sheet gave.
#[derive(Debug, Default)]
pub struct TableRead {
    /// Data rows found under the header, whether or not they could be placed.
    pub rows_read: usize,
    pub rows: Vec<IndicatorRow>,
    pub problems: Vec<Problem>,
}

impl TableLayout {
    /// Find the header row: the row naming the most roles within the first rows.
    pub fn find_header(&self, sheet: &Sheet) -> SheetMatch {
        let mut best: Option<(u32, Vec<(Role, u32)>)> = None;
        for row in 0..self.search_rows.min(sheet.height()) {
            let found = self.roles_in_row(sheet, row);
            if found.len() > best.as_ref().map_or(0, |(_, f)| f.len()) {
                let every_role = found.len() == self.columns.len();
                best = Some((row, found));
                // No row below can name more: the rows below are data, long texts to
                // normalize for nothing.
                if every_role {
                    break;
                }
            }
        }
        let Some((row, columns)) = best else {
            return SheetMatch::NoMatch;
        };
        let missing: Vec<Role> =
            self.required.iter().copied().filter(|r| !columns.iter().any(|(c, _)| c == r)).collect();
        let values = self.value_columns(sheet, row);
        let has_values = !values.is_empty() || (self.value_groups.is_empty() && self.actual_groups.is_empty());
        if missing.is_empty() && has_values {
            let notes = self.notes_in_row(sheet, row);
            return SheetMatch::Found(Header { row, columns, notes, values });
        }
        // Half the required columns in one row is a template, just not the right one.
        if columns.len() * 2 >= self.required.len() && !columns.is_empty() {
            let mut missing: Vec<String> = missing.iter().map(|r| self.header_name(*r)).collect();
            if !has_values {
                missing.push(self.value_groups.first().cloned().unwrap_or_else(|| "value".into()));
            }
            return SheetMatch::WrongTemplate { missing };
        }
        SheetMatch::NoMatch
    }

    fn header_name(&self, role: Role) -> String {
        self.columns
            .iter()
            .find(|(r, _)| *r == role)
            .and_then(|(_, names)| names.first().cloned())
            .unwrap_or_else(|| role.to_string())
    }

    /// The note columns of the header row: the first column each note's names name.
    fn notes_in_row(&self, sheet: &Sheet, row: u32) -> Vec<(String, u32)> {
        let mut found: Vec<(String, u32)> = Vec::new();
        for (col, cell) in sheet.filled(row) {
            let Value::Text(label) = cell else { continue };
            let key = text::squash(label);
            for (note, names) in &self.notes {
                if names.contains(&key) && !found.iter().any(|(n, _)| n == note) {
                    found.push((note.clone(), col));
                }
            }
        }
        // In the pipeline's order, whatever the sheet's.
        found.sort_by_key(|(note, _)| self.notes.iter().position(|(n, _)| n == note));
        found
    }

    fn roles_in_row(&self, sheet: &Sheet, row: u32) -> Vec<(Role, u32)> {
        let mut found: Vec<(Role, u32)> = Vec::new();
        // A header names its column in text; numbers and dates below it never do.
        for (col, cell) in sheet.filled(row) {
            let Value::Text(label) = cell else { continue };
            let key = text::squash(label);
            for (role, names) in &self.columns {
                if names.contains(&key) && !found.iter().any(|(r, _)| r == role) {
                    found.push((*role, col));
                }
            }
        }
        found
    }

    /// Value columns: the sub-headers under each value group (two-row header), or the
    /// group cells themselves (one-row header).
    fn value_columns(&self, sheet: &Sheet, row: u32) -> Vec<ValueColumn> {
        let mut out = Vec::new();
        let width = sheet.width();
        for (col, cell) in sheet.filled(row) {
            let key = text::squash(&cell.display());
            let actual_group = self.actual_groups.contains(&key);
            if !actual_group && !self.value_groups.contains(&key) {
                continue;
            }
            if self.header_rows < 2 {
                out.push(ValueColumn { col, header: sheet.get(row, col).display(), actual_group });
                continue;
            }
            for sub in group_span(sheet, row, col, width) {
                let header = sheet.get(row + 1, sub).display();
                if !header.trim().is_empty() {
                    out.push(ValueColumn { col: sub, header, actual_group });
                }
            }
        }
        out
    }

    /// Read the data rows under a found header: where each field, status and value is,
    /// then `rows::build` reads and normalizes them column by column.
    pub fn read(&self, sheet: &Sheet, header: &Header, ctx: &ReadContext, normalizer: &Normalizer) -> TableRead {
        let mut problems = Vec::new();
        let kinds = self.value_kinds(sheet, header, ctx, normalizer, &mut problems);
        let data_rows = self.raw_rows(sheet, header);
        let sources = self.sources(sheet, header, &data_rows);
        let specs: Vec<RowSpec> = data_rows
            .iter()
            .zip(sources)
            .map(|(&row, found)| {
                let status = found.iter().find(|(r, _)| *r == Role::Status).map(|(_, at)| *at);
                RowSpec {
                    row,
                    fields: found.into_iter().filter(|(r, _)| *r != Role::Status).map(|(role, (r, c))| (role, Source::At(r, c))).collect(),
                    // A note merged over a project's rows is that project's note on each.
                    notes: header.notes.iter().map(|(note, col)| (note.clone(), sheet.merge_origin(row, *col).unwrap_or((row, *col)))).collect(),
                    status,
                    values: kinds.iter().map(|(vc, (kind, year))| (*kind, *year, (row, vc.col))).collect(),
                }
            })
            .collect();
        let (rows, mut found) = rows::build(sheet, &specs, ctx, normalizer);
        problems.append(&mut found);
        // A declared column the header lacks, though not required: its rows are read
        // without it, and a person should know (a file missing 指標名 may be another
        // template altogether). Notes are commentary; a table without them is complete.
        for (role, names) in self.columns.iter().filter(|(r, _)| *r != Role::Note) {
            if header.columns.iter().any(|(r, _)| r == role) || data_rows.is_empty() {
                continue;
            }
            let name = names.first().map_or_else(|| role.to_string(), String::clone);
            problems.push(ctx.problem(sheet, &a1(header.row, 0), "", Issue::MissingColumn { name, rows: data_rows.len() }));
        }
        TableRead { rows_read: data_rows.len(), rows, problems }
    }

    /// Kind and fiscal year of each value column, from its header through the era step.
    fn value_kinds(
        &self,
        sheet: &Sheet,
        header: &Header,
        ctx: &ReadContext,
        normalizer: &Normalizer,
        problems: &mut Vec<Problem>,
    ) -> Vec<(ValueColumn, (Kind, i32))> {
        let mut cells: Vec<Cell> = header
            .values
            .iter()
            .map(|v| Cell::new(Value::Text(v.header.clone()), v.header.clone()))
            .collect();
        // A failed step leaves the headers unread; each is then reported below.
        let _ = normalizer.run(Role::ValueHeader, &mut cells);
        let header_row = header.row + if self.header_rows >= 2 { 1 } else { 0 };
        let mut out = Vec::new();
        for (vc, cell) in header.values.iter().zip(cells) {
            let kind = match cell.out {
                Output::Header { kind, year } => classify(kind, year, vc.actual_group, ctx.fiscal_year),
                _ if vc.actual_group => Some((Kind::Actual, ctx.fiscal_year)),
                _ => None,
            };
            match kind {
                Some(k) => out.push((vc.clone(), k)),
                None => problems.push(ctx.problem(sheet, &a1(header_row, vc.col), &vc.header, Issue::ValueHeader)),
            }
        }
        out
    }

    /// The data rows under the header, up to the legend, a footer or a run of blank rows.
    fn raw_rows(&self, sheet: &Sheet, header: &Header) -> Vec<u32> {
        let first = header.row + self.header_rows.max(1);
        let mut rows = Vec::new();
        let mut blanks = 0;
        let data_cols: Vec<u32> = header
            .columns
            .iter()
            .map(|(_, c)| *c)
            .chain(header.values.iter().map(|v| v.col))
            .collect();
        for row in first..sheet.height() {
            let first_text = sheet.filled(row).map(|(_, cell)| cell.display()).find(|t| !t.trim().is_empty());
            let Some(first_text) = first_text else {
                blanks += 1;
                if blanks >= self.blank_rows {
                    break;
                }
                continue;
            };
            blanks = 0;
            if self.stop_at.iter().any(|re| re.is_match(first_text.trim())) {
                break;
            }
            // Cells outside the table's columns (a note beside it) do not make a data row.
            if data_cols.iter().all(|c| matches!(sheet.get(row, *c), Value::Empty)) {
                continue;
            }
            rows.push(row);
        }
        rows
    }

    /// Where each data row's fields and status are read. A merged cell shows its merge's
    /// top-left cell, in every column. A blank cell of a fill-down column shows the cell
    /// it continues above, within the table, unless a column higher in the hierarchy
    /// (goal, then measure, then project) starts anew on its row: a new project's blank
    /// status is blank, not the status of the project before it.
    fn sources(&self, sheet: &Sheet, header: &Header, data_rows: &[u32]) -> Vec<Vec<(Role, (u32, u32))>> {
        let columns: Vec<(Role, u32)> = header.columns.iter().copied().filter(|(r, _)| FIELDS.contains(r)).collect();
        // The cell each column showed on the data row before.
        let mut above: Vec<Option<(u32, u32)>> = vec![None; columns.len()];
        data_rows
            .iter()
            .map(|&row| {
                // Each column's cell on this row: the merge it is the lower part of, if any,
                // and whether it is blank.
                let cells: Vec<(Option<(u32, u32)>, bool)> = columns
                    .iter()
                    .map(|&(_, col)| (sheet.merge_origin(row, col).filter(|origin| origin.0 != row), matches!(sheet.get(row, col), Value::Empty)))
                    .collect();
                // The highest level that starts anew on this row: a cell of its own, filled.
                let fresh = columns.iter().zip(&cells).filter(|(_, (merged, blank))| merged.is_none() && !blank).map(|((role, _), _)| level(*role)).min();
                columns
                    .iter()
                    .zip(&cells)
                    .zip(above.iter_mut())
                    .map(|((&(role, col), &(merged, blank)), above)| {
                        let continues = self.fill_down.contains(&role) && fresh.is_none_or(|l| l >= level(role));
                        let at = match (merged, *above) {
                            (Some(origin), _) => origin,
                            (None, Some(prev)) if blank && continues => prev,
                            _ => (row, col),
                        };
                        *above = Some(at);
                        (role, at)
                    })
                    .collect()
            })
            .collect()
    }
}

/// The columns a table reads as fields of a row (values are read apart).
const FIELDS: [Role; 8] = [Role::Goal, Role::Measure, Role::Project, Role::Indicator, Role::Unit, Role::Department, Role::Status, Role::Note];

/// A column's place in the hierarchy of a plan: goal over measure over project over the
/// rest. A column continues from above only while no column over it starts anew.
fn level(role: Role) -> u8 {
    match role {
        Role::Goal => 0,
        Role::Measure => 1,
        Role::Project => 2,
        _ => 3,
    }
}

/// Decide what a value column holds. An actual of an earlier year than the period is the
/// baseline (R1実績値); an actual of this year is this period's actual.
fn classify(kind: HeaderKind, year: Option<i32>, actual_group: bool, period_year: i32) -> Option<(Kind, i32)> {
    match (kind, year) {
        (HeaderKind::Plan, Some(y)) => Some((Kind::Plan, y)),
        (HeaderKind::Baseline, Some(y)) => Some((Kind::Baseline, y)),
        (HeaderKind::Actual, Some(y)) if y < period_year && !actual_group => Some((Kind::Baseline, y)),
        (HeaderKind::Actual, Some(y)) => Some((Kind::Actual, y)),
        (HeaderKind::Actual, None) => Some((Kind::Actual, period_year)),
        _ if actual_group => Some((Kind::Actual, period_year)),
        _ => None,
    }
}

/// The columns a group header spans: its merge, or up to the next non-empty header cell.
fn group_span(sheet: &Sheet, row: u32, col: u32, width: u32) -> Vec<u32> {
    if let Some(&(r0, c0, _, c1)) = sheet.merges.iter().find(|&&(r0, c0, r1, c1)| r0 <= row && row <= r1 && c0 == col && c1 >= c0) {
        if r0 == row {
            return (c0..=c1).collect();
        }
    }
    let mut end = col;
    while end + 1 < width && matches!(sheet.get(row, end + 1), Value::Empty) && !sheet.get(row + 1, end + 1).display().trim().is_empty() {
        end += 1;
    }
    (col..=end).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::InProcessStep;
    use torimatome_ja::JaPlugin;
    use torimatome_plugin_api::{OptionValue, Options, Plugin};

    fn layout() -> TableLayout {
        let names = |list: &[&str]| list.iter().map(|s| text::squash(s)).collect::<Vec<_>>();
        TableLayout {
            notes: Vec::new(),
            search_rows: 10,
            header_rows: 2,
            columns: vec![
                (Role::Goal, names(&["基本目標"])),
                (Role::Measure, names(&["施策"])),
                (Role::Project, names(&["事業名"])),
                (Role::Indicator, names(&["指標名", "指標"])),
                (Role::Unit, names(&["単位"])),
                (Role::Status, names(&["進捗区分"])),
            ],
            required: vec![Role::Goal, Role::Measure, Role::Project, Role::Indicator, Role::Unit, Role::Status],
            value_groups: names(&["指標値"]),
            actual_groups: names(&["実績値"]),
            fill_down: vec![Role::Goal, Role::Measure, Role::Project, Role::Status],
            grades: false,
            stop_at: vec![Regex::new("^※").expect("regex")],
            blank_rows: 3,
        }
    }

    fn normalizer() -> Normalizer {
        let mut status = Options::new();
        let vocabulary = [("達成", "◎"), ("推進中", "○")].iter().map(|(k, v)| (k.to_string(), vec![v.to_string()])).collect();
        status.insert("vocabulary".into(), OptionValue::Map(vocabulary));
        // The Japanese steps linked in, without the plugin boundary.
        let description = JaPlugin.describe();
        let steps = [("fullwidth", Options::new()), ("era_years", Options::new()), ("numbers", Options::new()), ("status", status)]
            .into_iter()
            .map(|(name, options)| {
                let roles = description.steps.iter().find(|s| s.name == name).expect("described").roles.clone();
                let step = JaPlugin.step(name, &options).expect("step");
                Box::new(InProcessStep::new(name, roles, step)) as Box<dyn crate::normalize::Step>
            })
            .collect();
        Normalizer::new(steps)
    }

    fn t(s: &str) -> Value {
        if s.is_empty() { Value::Empty } else { Value::Text(s.to_string()) }
    }

    fn row(cells: &[&str]) -> Vec<Value> {
        cells.iter().map(|c| t(c)).collect()
    }

    /// A KPI table as an ods gives it (no merges known), with a column inserted by the
    /// department (F, empty) and 備考 moved.
    fn sheet() -> Sheet {
        Sheet::new(
            "進捗報告",
            vec![
                row(&["令和4年度 上期 進捗状況報告書"]),
                row(&["担当課", "健康課"]),
                row(&[]),
                row(&["基本目標", "施策", "事業名", "事業概要", "", "", "指標名", "単位", "指標値", "", "実績値", "進捗区分"]),
                row(&["", "", "", "", "", "", "", "", "R1実績値", "R4計画値", "9月末時点", ""]),
                row(&["① 健康", "(a) 予防", "健康アプリ", "概要", "", "", "登録者数", "人", "１，０００", "2,000", "約1,500", "○"]),
                row(&["", "", "", "", "", "", "利用率", "%", "50%", "60%", "調整中", ""]),
                row(&[]),
                row(&["① 健康", "(a) 予防", "健診予約", "概要", "", "", "予約件数", "件", "-", "100", "▲3", ""]),
                row(&[]),
                row(&["※進捗区分：◎達成 ○推進中"]),
                row(&["", "", "後ろのメモ", "", "", "", "", "", "", "", "", ""]),
            ],
        )
    }

    fn read(sheet: &Sheet) -> TableRead {
        let layout = layout();
        let SheetMatch::Found(header) = layout.find_header(sheet) else { panic!("header not found") };
        let ctx = ReadContext { file: "f.ods", department: "健康課", fiscal_year: 2022, grades: false, owners: false };
        layout.read(sheet, &header, &ctx, &normalizer())
    }

    #[test]
    fn columns_are_found_by_header_text_wherever_they_are() {
        let SheetMatch::Found(header) = layout().find_header(&sheet()) else { panic!("not found") };
        assert_eq!(header.row, 3);
        let col = |role| header.columns.iter().find(|(r, _)| *r == role).map(|(_, c)| *c);
        assert_eq!(col(Role::Indicator), Some(6));
        assert_eq!(col(Role::Status), Some(11));
        let subs: Vec<(&str, u32)> = header.values.iter().map(|v| (v.header.as_str(), v.col)).collect();
        assert_eq!(subs, [("R1実績値", 8), ("R4計画値", 9), ("9月末時点", 10)]);
    }

    #[test]
    fn rows_continue_their_project_and_the_legend_ends_the_table() {
        let read = read(&sheet());
        assert_eq!(read.rows_read, 3, "a blank row inside the data is skipped, the legend ends it");
        let rows = &read.rows;
        assert_eq!(rows.iter().map(|r| r.row).collect::<Vec<_>>(), [6, 7, 9]);
        // Row 7 continues 健康アプリ: project and status come from row 6.
        assert_eq!(rows[1].project, "健康アプリ");
        assert_eq!(rows[1].status.as_deref(), Some("推進中"));
        assert_eq!(rows[1].status_cell.map(|c| c.to_string()).as_deref(), Some("L6"));
        // A new project with a blank status stays blank: it does not inherit.
        assert_eq!(rows[2].project, "健診予約");
        assert_eq!(rows[2].status, None);
    }

    #[test]
    fn values_are_typed_with_kind_year_and_cell() {
        let read = read(&sheet());
        let first = &read.rows[0];
        let v: Vec<(Kind, i32, Option<f64>, String)> = first.values.iter().map(|v| (v.kind, v.fiscal_year, v.value, v.cell.to_string())).collect();
        let cell = |a1: &str| a1.to_string();
        assert_eq!(v, [(Kind::Baseline, 2019, Some(1000.0), cell("I6")), (Kind::Plan, 2022, Some(2000.0), cell("J6")), (Kind::Actual, 2022, Some(1500.0), cell("K6"))]);
        assert_eq!(first.values[2].flag, Some(torimatome_plugin_api::Flag::Approx));
        assert_eq!(read.rows[2].values[2].value, Some(-3.0));
        // 調整中 is a problem at K7 with its raw text, and the value stays empty.
        assert_eq!(read.rows[1].values[2].value, None);
        assert_eq!(read.problems.len(), 1);
        assert_eq!((read.problems[0].cell.as_str(), read.problems[0].raw.as_str()), ("K7", "調整中"));
    }

    #[test]
    fn a_sheet_missing_a_required_column_is_a_wrong_template() {
        let mut rows: Vec<Vec<Value>> = (0..sheet().height()).map(|r| (0..12).map(|c| sheet().get(r, c).clone()).collect()).collect();
        rows[3][6] = Value::Empty; // no 指標名
        match layout().find_header(&Sheet::new("進捗報告", rows)) {
            SheetMatch::WrongTemplate { missing } => assert_eq!(missing, ["指標名"]),
            other => panic!("{other:?}"),
        }
        let other = Sheet::new("自己評価", vec![row(&["No.", "取組", "評価"]), row(&["1", "窓口", "A"])]);
        assert!(matches!(layout().find_header(&other), SheetMatch::NoMatch));
    }

    #[test]
    fn merged_cells_give_their_top_left_value() {
        let mut merged = sheet();
        merged.merges = vec![(5, 11, 6, 11), (5, 2, 6, 2)];
        merged.merges_known = true;
        let read = read(&merged);
        assert_eq!(read.rows[1].project, "健康アプリ");
        assert_eq!(read.rows[1].status_cell.map(|c| c.to_string()).as_deref(), Some("L6"));
    }
}
