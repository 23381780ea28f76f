//! What torimatome sees in a workbook before any pipeline says what to look for: each
//! sheet (hidden or not) with its merged areas and the labels above its table; the table it
//! finds, by header texts municipal workbooks use ([`words`]), with the role each column
//! would take (a field, a note, a value of a kind and fiscal year), where its data ends and
//! why, which columns continue the cell above (merged, or typed once), the status marks and
//! value forms in it; or the labels of an action-plan card. `inspect` shows it, `guess`
//! writes a pipeline from the surveys of an inbox.
//!
//! Pure: a parsed [`Workbook`] in, a [`FileSurvey`] out (serializable for `--json`).

pub mod render;
pub mod words;

use serde::Serialize;

use crate::layout::a1;
use crate::normalize::Role;
use crate::workbook::{NumberFormat, Sheet, Value, Workbook};
use torimatome_ja_core::era::{self, HeaderKind, Period};
use torimatome_ja_core::{number, text};

/// What one file holds, as torimatome sees it.
#[derive(Debug, Clone, Serialize)]
pub struct FileSurvey {
    pub file: String,
    /// The period its name states (2022H1).
    pub period: Option<String>,
    /// The revision mark its name carries (修正版(2)) and the number it gives.
    pub revision: Option<(String, u32)>,
    /// Why it could not be read, in the reader's language; then no sheets.
    pub error: Option<String>,
    pub sheets: Vec<SheetSurvey>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SheetSurvey {
    pub name: String,
    pub visible: bool,
    /// The used area, A1:N15 (empty for an empty sheet).
    pub area: String,
    /// Merged areas, A1:N1.
    pub merges: Vec<String>,
    /// Whether the file told its merged areas.
    pub merges_known: bool,
    /// The period the texts above the table state.
    pub period: Option<String>,
    /// The text above the table (its title), first cell first.
    pub title: Option<String>,
    /// The department named beside a label (担当課), and the report date (報告日).
    pub department: Option<Labelled>,
    pub report_date: Option<Labelled>,
    pub table: Option<TableSurvey>,
    pub card: Option<CardSurvey>,
}

/// A value beside its label.
#[derive(Debug, Clone, Serialize)]
pub struct Labelled {
    pub label: String,
    pub cell: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableSurvey {
    /// The header's first row, 1-based as Excel shows it, and how many rows it takes.
    pub header_row: u32,
    pub header_rows: u32,
    pub columns: Vec<Column>,
    /// Data rows found, the first and last (1-based).
    pub data_rows: usize,
    pub first_row: Option<u32>,
    pub last_row: Option<u32>,
    pub end: End,
    /// The longest run of blank rows inside the data.
    pub blank_rows_inside: u32,
    /// Columns whose blank cells continue the cell above.
    pub fill: Vec<Fill>,
    /// The distinct status marks, with how many projects (or rows) carry each.
    pub status_marks: Vec<Count>,
    /// The status column holds A–D grades.
    pub grades: bool,
    pub value_forms: Vec<Form>,
    /// The departments the rows name (a list compiled for many).
    pub departments: Vec<Count>,
    /// Marks a legend explains (◎ 指標達成済み又は達成見込み), in its order.
    pub legend: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    /// The header cell (for a value column, its sub-header's).
    pub cell: String,
    #[serde(skip)]
    pub col: u32,
    pub header: String,
    #[serde(flatten)]
    pub role: ColumnRole,
}

/// The role a column would take.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum ColumnRole {
    Field { field: Role },
    Note { name: String },
    /// A value column: its group header (指標値; the header itself in a one-row header),
    /// whether the group holds this period's actual, and what its header names.
    Value { group: String, actual_group: bool, kind: Option<ValueKind>, fiscal_year: Option<i32> },
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    Baseline,
    Plan,
    Actual,
}

/// Why the data ends where it does (rows 1-based).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum End {
    /// A legend or note row: its first text.
    Legend { row: u32, text: String },
    /// This many blank rows from `row` on.
    BlankRows { row: u32, count: u32 },
    /// The sheet ends.
    SheetEnd { row: u32 },
}

/// How a column's blank cells continue the one above: under a merge, or typed once and
/// left blank below (which only `fill_down` fills).
#[derive(Debug, Clone, Serialize)]
pub struct Fill {
    pub role: Role,
    pub merged: usize,
    pub typed_once: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Count {
    pub text: String,
    pub count: usize,
}

/// How value cells are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FormKind {
    Number,
    PercentCell,
    Date,
    TextNumber,
    FullWidth,
    Comma,
    Percent,
    Approx,
    Minus,
    UnitAttached,
    Dash,
    NotMeasured,
    IncreaseTarget,
    Unreadable,
}

#[derive(Debug, Clone, Serialize)]
pub struct Form {
    pub form: FormKind,
    pub count: usize,
    /// The first cell written so, and its text.
    pub cell: String,
    pub example: String,
}

/// An action-plan card's labels, and the fiscal years its 年度 row names.
#[derive(Debug, Clone, Serialize)]
pub struct CardSurvey {
    pub labels: Vec<CardLabel>,
    pub years: Vec<(String, String, Option<i32>)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CardLabel {
    /// The field of the torimatome-cards plugin's `labels` option it names.
    pub field: String,
    pub cell: String,
    pub text: String,
}

/// How many rows from the top a header is looked for.
const SEARCH_ROWS: u32 = 30;
/// Blank rows in a row that end a table.
const BLANK_ROWS: u32 = 3;

/// Survey a file from its name and what reading it gave (a workbook, or why not, worded).
pub fn survey(name: &str, book: Result<&Workbook, String>, revision: (u32, String)) -> FileSurvey {
    let period = era::parse_period(name);
    let (sheets, error) = match book {
        Ok(book) => (book.sheets.iter().map(|s| survey_sheet(s, period)).collect(), None),
        Err(why) => (Vec::new(), Some(why)),
    };
    FileSurvey {
        file: name.to_string(),
        period: period.map(|p| p.to_string()),
        revision: (revision.0 > 0).then_some((revision.1, revision.0)),
        error,
        sheets,
    }
}

/// Survey one sheet; `period`, when the file's name states one, tells a baseline (an
/// actual of an earlier year) from this period's actual.
pub fn survey_sheet(sheet: &Sheet, period: Option<Period>) -> SheetSurvey {
    let header = find_header(sheet);
    let top = header.unwrap_or(sheet.height().min(10));
    let above: Vec<String> = crate::layout::texts_above(sheet, top);
    let period = period.or_else(|| above.iter().find_map(|t| era::parse_period(t)));
    let table = header.map(|row| survey_table(sheet, row, period));
    let card = if table.is_none() { survey_card(sheet) } else { None };
    let width = sheet.width();
    let area = if sheet.height() == 0 || width == 0 { String::new() } else { format!("A1:{}", a1(sheet.height() - 1, width - 1)) };
    SheetSurvey {
        name: sheet.name.clone(),
        visible: sheet.visible,
        area,
        merges: {
            let mut areas = sheet.merges.clone();
            areas.sort();
            areas.iter().map(|&(r0, c0, r1, c1)| format!("{}:{}", a1(r0, c0), a1(r1, c1))).collect()
        },
        merges_known: sheet.merges_known,
        period: above.iter().find_map(|t| era::parse_period(t)).map(|p| p.to_string()),
        title: header.and_then(|_| above.first().cloned()),
        department: labelled(sheet, top, words::is_department_label),
        report_date: labelled(sheet, top, words::is_report_date_label),
        table,
        card,
    }
}

/// The first value beside a label the test accepts, above row `top`: the first filled cell
/// right of the label (after its merge), as the run reads it.
fn labelled(sheet: &Sheet, top: u32, is_label: fn(&str) -> bool) -> Option<Labelled> {
    for row in 0..top.min(sheet.height()) {
        for (col, cell) in sheet.filled(row) {
            let Value::Text(label) = cell else { continue };
            if !is_label(label) {
                continue;
            }
            let after = sheet.merges.iter().find(|m| m.0 == row && m.1 == col).map_or(col, |m| m.3);
            let value = (after + 1..sheet.width().min(after + 6)).find(|c| !matches!(sheet.get(row, *c), Value::Empty))?;
            return Some(Labelled { label: label.clone(), cell: a1(row, value), text: sheet.get(row, value).display() });
        }
    }
    None
}

/// The header row: the row naming the most roles (two at least, the project among them or
/// three), within the first rows.
fn find_header(sheet: &Sheet) -> Option<u32> {
    let mut best: Option<(u32, usize)> = None;
    for row in 0..SEARCH_ROWS.min(sheet.height()) {
        let mut roles: Vec<Role> = Vec::new();
        let mut others = 0;
        for (_, cell) in sheet.filled(row) {
            let Value::Text(t) = cell else { continue };
            match words::field(t) {
                Some(role) if !roles.contains(&role) => roles.push(role),
                Some(_) => {}
                None if words::note(t).is_some() || words::value_group(t).is_some() => others += 1,
                None => {}
            }
        }
        let enough = roles.len() >= 3 || (roles.len() == 2 && roles.contains(&Role::Project));
        let score = roles.len() * 2 + others;
        if enough && best.is_none_or(|(_, s)| score > s) {
            best = Some((row, score));
        }
    }
    best.map(|(row, _)| row)
}

/// What a value sub-header names, as the era step reads it, placed against the period.
fn value_kind(header: &str, actual_group: bool, period: Option<Period>) -> (Option<ValueKind>, Option<i32>) {
    match era::parse_value_header(header) {
        Some((HeaderKind::Plan, year)) => (Some(ValueKind::Plan), year),
        Some((HeaderKind::Baseline, year)) => (Some(ValueKind::Baseline), year),
        Some((HeaderKind::Actual, Some(y))) if !actual_group && period.is_some_and(|p| y < p.fiscal_year) => (Some(ValueKind::Baseline), Some(y)),
        Some((HeaderKind::Actual, year)) => (Some(ValueKind::Actual), year.or(period.map(|p| p.fiscal_year))),
        _ if actual_group => (Some(ValueKind::Actual), period.map(|p| p.fiscal_year)),
        _ => (None, None),
    }
}

fn is_actual_group(group: &str) -> bool {
    let key = text::squash(group);
    words::value_group(group) == Some(true) || (key.contains("実績") && !key.contains("計画") && !key.contains("目標"))
}

/// The group header over a sub-header at (row + 1, col): the header row's cell there, the
/// merge covering it, or the nearest filled cell to its left over blank header cells.
fn group_over(sheet: &Sheet, row: u32, col: u32) -> Option<(u32, String)> {
    if let Some((r0, c0)) = sheet.merge_origin(row, col) {
        if r0 == row {
            let t = sheet.get(row, c0).display();
            return (!t.trim().is_empty()).then_some((c0, t));
        }
    }
    let mut c = col;
    loop {
        let t = sheet.get(row, c).display();
        if !t.trim().is_empty() {
            return Some((c, t));
        }
        // A merged cell over the header rows is a column of its own, not a group.
        if c == 0 || sheet.merge_origin(row, c).is_some() {
            return None;
        }
        c -= 1;
    }
}

fn survey_table(sheet: &Sheet, row: u32, period: Option<Period>) -> TableSurvey {
    // Sub-headers naming a value's kind on the row below, under a group.
    let subs: Vec<(u32, String, u32, String)> = sheet
        .filled(row + 1)
        .filter_map(|(col, cell)| {
            let Value::Text(t) = cell else { return None };
            era::parse_value_header(t)?;
            let (group_col, group) = group_over(sheet, row, col)?;
            (words::field(&group).is_none() && words::note(&group).is_none()).then(|| (col, t.clone(), group_col, group))
        })
        .collect();
    let header_rows = if subs.is_empty() { 1 } else { 2 };
    let mut columns: Vec<Column> = Vec::new();
    for (col, cell) in sheet.filled(row) {
        let Value::Text(header) = cell else { continue };
        let under: Vec<&(u32, String, u32, String)> = subs.iter().filter(|s| s.2 == col).collect();
        if !under.is_empty() {
            for (sub_col, sub, _, group) in under {
                let actual_group = is_actual_group(group);
                let (kind, fiscal_year) = value_kind(sub, actual_group, period);
                columns.push(Column {
                    cell: a1(row + 1, *sub_col),
                    col: *sub_col,
                    header: sub.clone(),
                    role: ColumnRole::Value { group: group.clone(), actual_group, kind, fiscal_year },
                });
            }
            continue;
        }
        let role = if let Some(field) = words::field(header) {
            ColumnRole::Field { field }
        } else if let Some(name) = words::note(header) {
            ColumnRole::Note { name: name.to_string() }
        } else if header_rows == 1 && (era::parse_value_header(header).is_some() || words::value_group(header) == Some(true)) {
            let actual_group = is_actual_group(header);
            let (kind, fiscal_year) = value_kind(header, actual_group, period);
            ColumnRole::Value { group: header.clone(), actual_group, kind, fiscal_year }
        } else {
            ColumnRole::Unknown
        };
        columns.push(Column { cell: a1(row, col), col, header: header.clone(), role });
    }
    columns.sort_by_key(|c| c.col);
    // A role named twice: the first column is read, as the table reader does.
    let mut seen: Vec<Role> = Vec::new();
    for c in &mut columns {
        if let ColumnRole::Field { field } = c.role {
            if seen.contains(&field) {
                c.role = ColumnRole::Unknown;
            } else {
                seen.push(field);
            }
        }
    }

    let data_cols: Vec<u32> = columns.iter().filter(|c| matches!(c.role, ColumnRole::Field { .. } | ColumnRole::Value { .. })).map(|c| c.col).collect();
    let (rows, end, blank_rows_inside) = data_rows(sheet, row + header_rows, &data_cols);
    let field_col = |role: Role| columns.iter().find(|c| c.role == ColumnRole::Field { field: role }).map(|c| c.col);

    let mut fill = Vec::new();
    for role in [Role::Goal, Role::Measure, Role::Project, Role::Status] {
        let Some(col) = field_col(role) else { continue };
        let (mut merged, mut typed_once, mut above) = (0, 0, false);
        for &r in &rows {
            let continued = sheet.merge_origin(r, col).is_some_and(|o| o.0 < r);
            let blank = matches!(sheet.get(r, col), Value::Empty);
            if continued {
                merged += 1;
            } else if blank && above {
                // A blank status continues only where its project does.
                let project_continues = field_col(Role::Project)
                    .is_none_or(|p| matches!(sheet.get(r, p), Value::Empty) || sheet.merge_origin(r, p).is_some_and(|o| o.0 < r));
                if role != Role::Status || project_continues {
                    typed_once += 1;
                }
            }
            above |= !blank;
        }
        if merged + typed_once > 0 {
            fill.push(Fill { role, merged, typed_once });
        }
    }

    let status_marks = field_col(Role::Status).map(|col| marks(sheet, &rows, col)).unwrap_or_default();
    let graded = status_marks.iter().filter(|m| words::grade(&m.text).is_some()).map(|m| m.count).sum::<usize>();
    let marked = status_marks.iter().map(|m| m.count).sum::<usize>();
    let has_values = columns.iter().any(|c| matches!(c.role, ColumnRole::Value { .. }));
    let grades = !has_values && marked > 0 && graded * 5 >= marked * 4;
    let departments = field_col(Role::Department).map(|col| marks(sheet, &rows, col)).unwrap_or_default();
    let value_cols: Vec<u32> = columns.iter().filter(|c| matches!(c.role, ColumnRole::Value { .. })).map(|c| c.col).collect();
    let legend = (row..sheet.height())
        .flat_map(|r| sheet.filled(r).map(|(_, c)| c.display()).collect::<Vec<_>>())
        .map(|t| legend_marks(&t))
        .find(|entries| entries.len() >= 2)
        .unwrap_or_default();
    TableSurvey {
        header_row: row + 1,
        header_rows,
        data_rows: rows.len(),
        first_row: rows.first().map(|r| r + 1),
        last_row: rows.last().map(|r| r + 1),
        columns,
        end,
        blank_rows_inside,
        fill,
        status_marks,
        grades,
        value_forms: forms(sheet, &rows, &value_cols),
        departments,
        legend,
    }
}

/// The data rows from `first` on, as the table reader finds them: up to a legend or note
/// row, or a run of blank rows; rows with nothing in the table's columns are skipped.
fn data_rows(sheet: &Sheet, first: u32, data_cols: &[u32]) -> (Vec<u32>, End, u32) {
    let mut rows = Vec::new();
    let (mut blanks, mut inside) = (0, 0);
    for row in first..sheet.height() {
        let first_text = sheet.filled(row).map(|(_, cell)| cell.display()).find(|t| !t.trim().is_empty());
        let Some(first_text) = first_text else {
            blanks += 1;
            if blanks >= BLANK_ROWS {
                return (rows, End::BlankRows { row: row + 2 - blanks, count: blanks }, inside);
            }
            continue;
        };
        if is_legend(&first_text) {
            return (rows, End::Legend { row: row + 1, text: first_text.trim().to_string() }, inside);
        }
        if data_cols.iter().all(|c| matches!(sheet.get(row, *c), Value::Empty)) {
            continue;
        }
        if !rows.is_empty() {
            inside = inside.max(blanks);
        }
        blanks = 0;
        rows.push(row);
    }
    (rows, End::SheetEnd { row: sheet.height() }, inside)
}

/// A row's first text that ends a table: a note (※, 注), a legend (凡例, marks explained),
/// or 以上.
pub fn is_legend(first_text: &str) -> bool {
    let t = text::nfkc(first_text);
    ["※", "*", "凡例", "注)", "注:", "注1", "(注", "【注"].iter().any(|p| t.starts_with(p)) || t == "以上" || legend_marks(&t).len() >= 2
}

/// The marks a legend explains, each with its words: "◎達成 ○推進中" and "A:順調 B:概ね順調".
pub fn legend_marks(legend: &str) -> Vec<(String, String)> {
    let t = text::nfkc(legend);
    let is_mark = |c: char| !c.is_alphanumeric() && !c.is_whitespace() && !"※*()[]【】「」・、。:".contains(c);
    let mut out: Vec<(String, String)> = Vec::new();
    for token in t.split_whitespace() {
        let split = match token.split_once(':') {
            Some((mark, words)) if !words.is_empty() && (mark.chars().count() == 1 || words::grade(mark).is_some()) => Some((mark.to_string(), words.to_string())),
            Some((_, rest)) => rest.chars().next().filter(|&c| is_mark(c)).map(|c| (c.to_string(), rest[c.len_utf8()..].to_string())),
            None => token.chars().next().filter(|&c| is_mark(c)).map(|c| (c.to_string(), token[c.len_utf8()..].to_string())),
        };
        if let Some((mark, words)) = split.filter(|(m, w)| !m.is_empty() && !w.is_empty()) {
            if !out.iter().any(|(m, _)| *m == mark) {
                out.push((mark, words));
            }
        }
    }
    out
}

/// The distinct texts of a column over the data rows, a merged cell once, most common
/// first (then as first seen).
fn marks(sheet: &Sheet, rows: &[u32], col: u32) -> Vec<Count> {
    let mut seen: Vec<(u32, u32)> = Vec::new();
    let mut counts: Vec<Count> = Vec::new();
    for &r in rows {
        let at = sheet.merge_origin(r, col).unwrap_or((r, col));
        if seen.contains(&at) {
            continue;
        }
        seen.push(at);
        let t = text::nfkc(&sheet.get(at.0, at.1).display());
        if t.is_empty() {
            continue;
        }
        match counts.iter_mut().find(|c| c.text == t) {
            Some(c) => c.count += 1,
            None => counts.push(Count { text: t, count: 1 }),
        }
    }
    counts.sort_by(|a, b| b.count.cmp(&a.count));
    counts
}

/// How the value cells are written, each form with a count and its first cell.
fn forms(sheet: &Sheet, rows: &[u32], cols: &[u32]) -> Vec<Form> {
    let mut out: Vec<Form> = Vec::new();
    let mut add = |form: FormKind, cell: String, example: &str| match out.iter_mut().find(|f| f.form == form) {
        Some(f) => f.count += 1,
        None => out.push(Form { form, count: 1, cell, example: example.to_string() }),
    };
    for &r in rows {
        for &c in cols {
            let cell = sheet.get(r, c);
            let raw = cell.display();
            match cell {
                Value::Empty => {}
                Value::Number { format: NumberFormat::Percent(_), .. } => add(FormKind::PercentCell, a1(r, c), &raw),
                Value::Number { .. } | Value::Bool(_) | Value::Error(_) => add(FormKind::Number, a1(r, c), &raw),
                Value::Date(_) => add(FormKind::Date, a1(r, c), &raw),
                Value::Text(t) => {
                    let n = text::nfkc(t);
                    if n != t.trim() {
                        add(FormKind::FullWidth, a1(r, c), t);
                    }
                    let form = match number::parse_number(&n) {
                        Err(_) => FormKind::Unreadable,
                        Ok(num) => match (num.value, num.flag) {
                            (None, Some(number::Flag::NotMeasured)) => FormKind::NotMeasured,
                            (None, Some(number::Flag::IncreaseTarget)) => FormKind::IncreaseTarget,
                            (None, _) => FormKind::Dash,
                            (Some(_), Some(number::Flag::Approx)) => FormKind::Approx,
                            (Some(_), _) if num.unit.as_deref() == Some("%") => FormKind::Percent,
                            (Some(_), _) if num.unit.is_some() => FormKind::UnitAttached,
                            (Some(_), _) if n.starts_with(['▲', '△', '-', '−']) => FormKind::Minus,
                            (Some(_), _) if n.contains(',') => FormKind::Comma,
                            (Some(_), _) => FormKind::TextNumber,
                        },
                    };
                    add(form, a1(r, c), t);
                }
            }
        }
    }
    out.sort_by_key(|f| f.form);
    out
}

/// An action-plan card: two of its naming labels on different rows, a 年度 row and a 予定
/// row. Its labels, and the years of its 年度 row.
fn survey_card(sheet: &Sheet) -> Option<CardSurvey> {
    let mut labels: Vec<(CardLabel, u32, u32)> = Vec::new();
    for row in 0..60.min(sheet.height()) {
        for (col, cell) in sheet.filled(row).take_while(|(c, _)| *c < 10) {
            let Value::Text(t) = cell else { continue };
            if let Some(field) = words::card_field(t) {
                if !labels.iter().any(|(l, _, _)| l.field == field) {
                    labels.push((CardLabel { field: field.to_string(), cell: a1(row, col), text: t.clone() }, row, col));
                }
            }
        }
    }
    let naming: Vec<u32> = labels
        .iter()
        .filter(|(l, _, _)| ["goal", "measure", "project", "department", "indicator"].contains(&l.field.as_str()))
        .map(|(_, row, _)| *row)
        .collect();
    let rows_apart = naming.iter().any(|r| naming.iter().any(|s| s != r));
    let has = |field: &str| labels.iter().find(|(l, _, _)| l.field == field).map(|(_, r, c)| (*r, *c));
    let (year_row, year_col) = has("year_row")?;
    if !rows_apart || has("plan").is_none() {
        return None;
    }
    let years = sheet
        .filled(year_row)
        .filter(|(c, _)| *c > year_col)
        .map(|(c, cell)| {
            let t = cell.display();
            (a1(year_row, c), t.clone(), era::fiscal_year(&t))
        })
        .collect();
    Some(CardSurvey { labels: labels.into_iter().map(|(l, _, _)| l).collect(), years })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Value {
        if s.is_empty() { Value::Empty } else { Value::Text(s.to_string()) }
    }

    fn sheet(rows: &[&[&str]]) -> Sheet {
        Sheet::new("進捗報告", rows.iter().map(|r| r.iter().map(|c| t(c)).collect()).collect())
    }

    #[test]
    fn a_kpi_table_is_seen_with_its_roles_values_end_and_fill() {
        let s = sheet(&[
            &["令和4年度 上期 進捗状況報告書"],
            &["担当課", "健康課"],
            &[],
            &["基本目標", "施策", "事業名", "進捗状況", "指標名", "単位", "指標値", "", "実績値", "進捗区分", "メモ"],
            &["", "", "", "", "", "", "R1実績値", "R4計画値", "9月末時点"],
            &["① 健康", "(a) 予防", "アプリ", "順調", "登録者数", "人", "１，０００", "2,000", "約1,500", "○"],
            &["", "", "", "", "利用率", "%", "50%", "60%", "▲3", ""],
            &["① 健康", "(b) 検診", "予約", "", "件数", "件", "-", "100", "(本年度未測定)", "△"],
            &["※進捗区分：◎達成 ○推進中 △課題あり"],
        ]);
        let s = survey_sheet(&s, None);
        assert_eq!(s.department.as_ref().map(|d| d.text.as_str()), Some("健康課"));
        assert_eq!(s.period.as_deref(), Some("2022H1"));
        let table = s.table.expect("a table");
        assert_eq!((table.header_row, table.header_rows, table.data_rows), (4, 2, 3));
        let roles: Vec<&ColumnRole> = table.columns.iter().map(|c| &c.role).collect();
        assert_eq!(roles[3], &ColumnRole::Note { name: "状況".into() });
        assert_eq!(roles[6], &ColumnRole::Value { group: "指標値".into(), actual_group: false, kind: Some(ValueKind::Baseline), fiscal_year: Some(2019) });
        assert_eq!(roles[8], &ColumnRole::Value { group: "実績値".into(), actual_group: true, kind: Some(ValueKind::Actual), fiscal_year: Some(2022) });
        assert_eq!(roles[10], &ColumnRole::Unknown);
        assert!(matches!(&table.end, End::Legend { row: 9, .. }));
        let fill: Vec<(Role, usize)> = table.fill.iter().map(|f| (f.role, f.typed_once)).collect();
        assert_eq!(fill, [(Role::Goal, 1), (Role::Measure, 1), (Role::Project, 1), (Role::Status, 1)]);
        let marks: Vec<&str> = table.status_marks.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(marks, ["○", "△"]);
        let forms: Vec<FormKind> = table.value_forms.iter().map(|f| f.form).collect();
        assert!(forms.contains(&FormKind::FullWidth) && forms.contains(&FormKind::Approx) && forms.contains(&FormKind::NotMeasured), "{forms:?}");
        assert_eq!(table.legend.len(), 3);
    }

    #[test]
    fn a_graded_list_and_a_card_are_told_apart() {
        let list = sheet(&[
            &["No", "基本方針", "重点施策", "具体的取組", "担当課", "評価"],
            &["1", "1 サービス", "(1) 窓口", "交付", "市民課", "A"],
            &["2", "", "(1) 窓口", "決済", "税務課", "Ｂ 概ね順調"],
        ]);
        let table = survey_sheet(&list, None).table.expect("a list");
        assert!(table.grades);
        assert_eq!(table.departments.len(), 2);
        let card = sheet(&[
            &["No.", "1"],
            &["基本方針", "1 サービス"],
            &["アクションプラン", "電子申請"],
            &["年度", "令和3年度", "令和4年度"],
            &["予定", "10", "20"],
            &["実績", "8"],
        ]);
        let s = survey_sheet(&card, None);
        assert!(s.table.is_none());
        let card = s.card.expect("a card");
        assert_eq!(card.years.iter().map(|y| y.2).collect::<Vec<_>>(), [Some(2021), Some(2022)]);
    }

    #[test]
    fn legends_give_their_marks() {
        let marks = legend_marks("※進捗区分：◎指標達成済み又は達成見込み　○推進中　△課題あり対策要　－今年度取組みなし");
        assert_eq!(marks.iter().map(|(m, _)| m.as_str()).collect::<Vec<_>>(), ["◎", "○", "△", "-"]);
        let grades = legend_marks("評価　A：順調に進んだ　B：概ね順調　C：やや遅れている　D：遅れている・未着手");
        assert_eq!(grades.len(), 4);
        assert_eq!(grades[3], ("D".into(), "遅れている・未着手".into()));
    }
}
