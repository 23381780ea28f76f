//! Layout A, the KPI table: one row per indicator under a one- or two-row header, columns
//! found by header text, project cells merged down over their indicator rows.

use regex::Regex;

use crate::model::{IndicatorRow, Kind, Problem, ValueCell};
use crate::normalize::era::HeaderKind;
use crate::normalize::{text, Cell, Normalizer, Out, Role};
use crate::workbook::{Sheet, Value};

use super::a1;

/// A table layout as the pipeline declares it, checked.
#[derive(Debug, Clone)]
pub struct TableLayout {
    pub name: String,
    pub sheets: Vec<Regex>,
    pub search_rows: u32,
    pub header_rows: u32,
    /// Role → header texts naming it, squashed (NFKC, no spaces).
    pub columns: Vec<(Role, Vec<String>)>,
    pub required: Vec<Role>,
    /// Group headers over baseline/plan columns and over this period's actual, squashed.
    pub value_groups: Vec<String>,
    pub actual_groups: Vec<String>,
    pub fill_down: Vec<Role>,
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
    pub fn applies_to(&self, sheet: &Sheet) -> bool {
        sheet.visible && self.sheets.iter().any(|re| re.is_match(&sheet.name))
    }

    /// Find the header row: the row naming the most roles within the first rows.
    pub fn find_header(&self, sheet: &Sheet) -> SheetMatch {
        let mut best: Option<(u32, Vec<(Role, u32)>)> = None;
        for row in 0..self.search_rows.min(sheet.height()) {
            let found = self.roles_in_row(sheet, row);
            if found.len() > best.as_ref().map_or(0, |(_, f)| f.len()) {
                best = Some((row, found));
            }
        }
        let Some((row, columns)) = best else {
            return SheetMatch::NoMatch;
        };
        let missing: Vec<Role> =
            self.required.iter().copied().filter(|r| !columns.iter().any(|(c, _)| c == r)).collect();
        let values = self.value_columns(sheet, row);
        if missing.is_empty() && !values.is_empty() {
            return SheetMatch::Found(Header { row, columns, values });
        }
        // Half the required columns in one row is a template, just not the right one.
        if columns.len() * 2 >= self.required.len() && !columns.is_empty() {
            let mut missing: Vec<String> = missing.iter().map(|r| self.header_name(*r)).collect();
            if values.is_empty() {
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

    fn roles_in_row(&self, sheet: &Sheet, row: u32) -> Vec<(Role, u32)> {
        let mut found: Vec<(Role, u32)> = Vec::new();
        for col in 0..sheet.width() {
            let key = text::squash(&sheet.get(row, col).display());
            if key.is_empty() {
                continue;
            }
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
        for col in 0..width {
            let key = text::squash(&sheet.get(row, col).display());
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

    /// Read the data rows under a found header, normalizing them column by column.
    pub fn read(
        &self,
        sheet: &Sheet,
        header: &Header,
        ctx: &ReadContext,
        normalizer: &Normalizer,
    ) -> TableRead {
        let mut read = TableRead::default();
        let kinds = self.value_kinds(sheet, header, ctx, normalizer, &mut read.problems);
        let raw_rows = self.raw_rows(sheet, header);
        read.rows_read = raw_rows.len();

        // One batch per role, so that each step sees a whole column at once.
        let col_of = |role: Role| header.columns.iter().find(|(r, _)| *r == role).map(|(_, c)| *c);
        let mut by_role: Vec<(Role, Vec<Cell>)> = Vec::new();
        for role in [Role::Goal, Role::Measure, Role::Project, Role::Indicator, Role::Unit, Role::Status] {
            let cells: Vec<Cell> = raw_rows
                .iter()
                .map(|r| match col_of(role) {
                    Some(col) => r.cell(sheet, col, self.fill_down.contains(&role)),
                    None => Cell::new(Value::Empty, String::new()),
                })
                .collect();
            let mut cells = cells;
            normalizer.run(role, &mut cells);
            by_role.push((role, cells));
        }
        let column = |role: Role| -> &[Cell] {
            by_role.iter().find(|(r, _)| *r == role).map_or(&[], |(_, cells)| cells.as_slice())
        };
        let units: Vec<String> = column(Role::Unit).iter().map(|c| c.text.clone()).collect();

        let mut value_cells: Vec<Cell> = Vec::new();
        for (i, r) in raw_rows.iter().enumerate() {
            for (vc, _) in &kinds {
                let mut cell = r.cell(sheet, vc.col, false);
                cell.unit = units[i].clone();
                value_cells.push(cell);
            }
        }
        normalizer.run(Role::Value, &mut value_cells);

        let mut values = value_cells.into_iter();
        for (i, r) in raw_rows.iter().enumerate() {
            let text_of = |role: Role| column(role)[i].text.clone();
            let mut row = IndicatorRow {
                department: ctx.department.to_string(),
                file: ctx.file.to_string(),
                sheet: sheet.name.clone(),
                row: r.row + 1,
                goal: text_of(Role::Goal),
                measure: text_of(Role::Measure),
                project: text_of(Role::Project),
                status: None,
                status_raw: r.source(sheet, col_of(Role::Status), true).1,
                status_cell: r.source_cell(sheet, col_of(Role::Status), true),
                indicator: Some(text_of(Role::Indicator)).filter(|s| !s.is_empty()),
                unit: text_of(Role::Unit),
                values: Vec::new(),
            };
            for role in [Role::Goal, Role::Measure, Role::Project, Role::Indicator] {
                let cell = &column(role)[i];
                for warning in &cell.warnings {
                    read.problems.push(ctx.problem(sheet, &r.source_cell(sheet, col_of(role), true), &cell.text, warning, TODO_CHECK_TEXT));
                }
            }
            let status = &column(Role::Status)[i];
            match &status.out {
                Out::Status(s) => row.status = s.clone(),
                Out::Unreadable(why) => read.problems.push(ctx.problem(sheet, &row.status_cell, &row.status_raw, why, TODO_STATUS)),
                _ => {}
            }
            for (vc, (kind, year)) in &kinds {
                let cell = values.next().unwrap_or_else(|| Cell::new(Value::Empty, String::new()));
                let a1 = a1(r.row, vc.col);
                let raw = cell.input.display();
                let mut value = ValueCell { kind: *kind, fiscal_year: *year, value: None, flag: None, raw, cell: a1 };
                match cell.out {
                    Out::Number(n) => {
                        value.value = n.value;
                        value.flag = n.flag;
                    }
                    Out::Unreadable(why) => {
                        read.problems.push(ctx.problem(sheet, &value.cell, &value.raw, &why, TODO_VALUE))
                    }
                    _ => {}
                }
                for warning in &cell.warnings {
                    read.problems.push(ctx.problem(sheet, &value.cell, &value.raw, warning, TODO_CONFIRM));
                }
                row.values.push(value);
            }
            if row.project.is_empty() {
                read.problems.push(ctx.problem(
                    sheet,
                    &a1(r.row, col_of(Role::Project).unwrap_or(0)),
                    "",
                    "事業名のない行 / a row without a project",
                    "事業名を記入するよう依頼 / ask the department to name the project",
                ));
                continue;
            }
            // A project row without indicator has no value cells of its own.
            if row.indicator.is_none() && row.values.iter().all(|v| v.raw.trim().is_empty()) {
                row.values.clear();
            }
            read.rows.push(row);
        }
        read
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
        normalizer.run(Role::ValueHeader, &mut cells);
        let header_row = header.row + if self.header_rows >= 2 { 1 } else { 0 };
        let mut out = Vec::new();
        for (vc, cell) in header.values.iter().zip(cells) {
            let kind = match cell.out {
                Out::Header(kind, year) => classify(kind, year, vc.actual_group, ctx.fiscal_year),
                _ if vc.actual_group => Some((Kind::Actual, ctx.fiscal_year)),
                _ => None,
            };
            match kind {
                Some(k) => out.push((vc.clone(), k)),
                None => problems.push(ctx.problem(
                    sheet,
                    &a1(header_row, vc.col),
                    &vc.header,
                    "見出しから基準値・計画値・実績値と年度が読めない / header names no kind and fiscal year",
                    "見出しを「R4計画値」のように直す / write the header like R4計画値",
                )),
            }
        }
        out
    }

    /// The data rows under the header, up to the legend, a footer or a run of blank rows.
    fn raw_rows(&self, sheet: &Sheet, header: &Header) -> Vec<RawRow> {
        let first = header.row + self.header_rows.max(1);
        let mut rows: Vec<RawRow> = Vec::new();
        let mut blanks = 0;
        let data_cols: Vec<u32> = header
            .columns
            .iter()
            .map(|(_, c)| *c)
            .chain(header.values.iter().map(|v| v.col))
            .collect();
        for row in first..sheet.height() {
            let first_text = (0..sheet.width())
                .map(|c| sheet.get(row, c).display())
                .find(|t| !t.trim().is_empty());
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
            if data_cols.iter().all(|c| matches!(sheet.get(row, *c), Value::Empty)) && sheet.merges.iter().all(|m| m.0 == row || !(m.0..=m.2).contains(&row)) {
                continue;
            }
            let continuation_of = self.continuation(sheet, header, row, &rows);
            rows.push(RawRow { row, continuation_of, merges: sheet.merges_known });
        }
        rows
    }

    /// A row whose project cell is empty continues the project above it: its fill-down
    /// cells come from there when the format told us no merges (ods) or the department
    /// left them blank instead of merging.
    fn continuation(&self, sheet: &Sheet, header: &Header, row: u32, before: &[RawRow]) -> Option<u32> {
        let project_col = header.columns.iter().find(|(r, _)| *r == Role::Project)?.1;
        let origin = sheet.merge_origin(row, project_col).unwrap_or((row, project_col));
        if origin.0 != row {
            return Some(origin.0);
        }
        if matches!(sheet.get(row, project_col), Value::Empty) {
            let last = before.last()?;
            return Some(last.continuation_of.unwrap_or(last.row));
        }
        None
    }
}

const TODO_VALUE: &str = "担当課にセルの確認・修正を依頼 / ask the department to correct the cell";
const TODO_STATUS: &str = "進捗区分を凡例の記号で記入するよう依頼 / ask for a mark from the legend";
const TODO_CHECK_TEXT: &str = "文字を確認 / check the characters";
const TODO_CONFIRM: &str = "読み方が正しいか確認 / confirm the value was read right";

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

/// A data row and, when it continues a project above, the row it continues.
#[derive(Debug, Clone)]
struct RawRow {
    row: u32,
    continuation_of: Option<u32>,
    merges: bool,
}

impl RawRow {
    /// The cell a column shows in this row: for fill-down roles, a merged or blank cell
    /// shows the value of the cell it continues.
    fn source(&self, sheet: &Sheet, col: Option<u32>, fill_down: bool) -> ((u32, u32), String) {
        let Some(col) = col else {
            return ((self.row, 0), String::new());
        };
        let pos = self.source_pos(sheet, col, fill_down);
        (pos, sheet.get(pos.0, pos.1).display())
    }

    fn source_pos(&self, sheet: &Sheet, col: u32, fill_down: bool) -> (u32, u32) {
        if !fill_down {
            return (self.row, col);
        }
        if self.merges {
            if let Some(origin) = sheet.merge_origin(self.row, col) {
                return origin;
            }
        }
        match (sheet.get(self.row, col), self.continuation_of) {
            (Value::Empty, Some(above)) => (above, col),
            _ => (self.row, col),
        }
    }

    /// A1 of the cell a column shows in this row (the merge's top-left for merged cells).
    fn source_cell(&self, sheet: &Sheet, col: Option<u32>, fill_down: bool) -> String {
        let ((row, col), _) = self.source(sheet, col, fill_down);
        a1(row, col)
    }

    fn cell(&self, sheet: &Sheet, col: u32, fill_down: bool) -> Cell {
        let pos = self.source_pos(sheet, col, fill_down);
        let value = sheet.get(pos.0, pos.1).clone();
        let text = value.display();
        Cell::new(value, text)
    }
}

/// What the table reader needs to know about the file it reads.
pub struct ReadContext<'a> {
    pub file: &'a str,
    pub department: &'a str,
    pub fiscal_year: i32,
}

impl ReadContext<'_> {
    fn problem(&self, sheet: &Sheet, cell: &str, raw: &str, what: &str, todo: &str) -> Problem {
        Problem {
            file: self.file.to_string(),
            sheet: sheet.name.clone(),
            cell: cell.to_string(),
            raw: raw.to_string(),
            what: what.to_string(),
            todo: todo.to_string(),
        }
    }
}
