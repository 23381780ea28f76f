//! From where a layout found a row's data to an [`IndicatorRow`]: the cells are read at
//! their positions, normalized one column (role) at a time by the pipeline's steps, and
//! every cell that could not be read becomes a problem at its position.
//!
//! Both kinds of layout end here: the table reader and the plugin layouts only say where
//! things are (a [`RowSpec`]); reading values is the steps' job.

use crate::model::{CellRef, IndicatorRow, Issue, Kind, Note, Problem, ValueCell, STATUSES};
use crate::normalize::{Cell, Normalizer, Output, Role, StepFailure};
use torimatome_ja_core::text;
use crate::workbook::{Sheet, Value};

use super::a1;

/// Where a field's text comes from: a cell of the sheet, or text a plugin layout read.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    At(u32, u32),
    Text(String),
}

/// One data row as a layout found it.
#[derive(Debug, Clone, PartialEq)]
pub struct RowSpec {
    /// 0-based row the data sits on.
    pub row: u32,
    /// Goal, measure, project, indicator, unit and, for lists of many departments, the
    /// department.
    pub fields: Vec<(Role, Source)>,
    /// The status cell (for a merged cell, its top-left).
    pub status: Option<(u32, u32)>,
    /// Each note's cell, by the note's name.
    pub notes: Vec<(String, (u32, u32))>,
    pub values: Vec<(Kind, i32, (u32, u32))>,
}

/// What the file being read contributes to its rows.
pub struct ReadContext<'a> {
    pub file: &'a str,
    pub department: &'a str,
    pub fiscal_year: i32,
    /// The status column holds letter grades (A–D): keep the letter.
    pub grades: bool,
    /// The layout names the department that compiles it (an A–D list): the departments
    /// on its rows own the actions, they do not submit; one not on the roster is noted
    /// by the book once (部署別), not a problem at every row.
    pub owners: bool,
}

impl ReadContext<'_> {
    pub fn problem(&self, sheet: &Sheet, cell: &str, raw: &str, issue: Issue) -> Problem {
        Problem { file: self.file.to_string(), sheet: sheet.name.clone(), cell: cell.to_string(), raw: raw.to_string(), issue }
    }

    /// A step that failed on a column: the run goes on without that step's output there.
    fn failure(&self, sheet: &Sheet, failure: &StepFailure) -> Problem {
        let issue = Issue::StepFailed { step: failure.step.clone(), role: failure.role.to_string(), why: failure.why.clone() };
        self.problem(sheet, "", "", issue)
    }
}

fn field(spec: &RowSpec, role: Role) -> Option<&Source> {
    spec.fields.iter().find(|(r, _)| *r == role).map(|(_, s)| s)
}

/// Read, normalize and assemble the rows a layout found.
pub fn build(sheet: &Sheet, specs: &[RowSpec], ctx: &ReadContext, normalizer: &Normalizer) -> (Vec<IndicatorRow>, Vec<Problem>) {
    let mut problems = Vec::new();
    let cell_at = |(row, col): (u32, u32)| {
        let value = sheet.get(row, col).clone();
        let text = value.display();
        Cell::new(value, text)
    };

    // One batch per role, so that each step sees a whole column at once.
    let mut columns: Vec<(Role, Vec<Cell>)> = Vec::new();
    for role in [Role::Goal, Role::Measure, Role::Project, Role::Indicator, Role::Unit, Role::Department] {
        let mut cells: Vec<Cell> = specs
            .iter()
            .map(|spec| match field(spec, role) {
                Some(Source::At(r, c)) => cell_at((*r, *c)),
                Some(Source::Text(t)) => Cell::new(Value::Text(t.clone()), t.clone()),
                None => Cell::new(Value::Empty, String::new()),
            })
            .collect();
        // A column the layout did not find (most tables have no department column) holds
        // no cells for a step to see.
        if specs.iter().any(|spec| field(spec, role).is_some()) {
            for failure in normalizer.run(role, &mut cells) {
                problems.push(ctx.failure(sheet, &failure));
            }
        }
        columns.push((role, cells));
    }
    let column = |role: Role| -> &[Cell] { columns.iter().find(|(r, _)| *r == role).map_or(&[], |(_, c)| c.as_slice()) };

    let mut statuses: Vec<Cell> = specs.iter().map(|s| s.status.map_or_else(|| Cell::new(Value::Empty, String::new()), cell_at)).collect();
    for failure in normalizer.run(Role::Status, &mut statuses) {
        problems.push(ctx.failure(sheet, &failure));
    }

    let mut values: Vec<Cell> = Vec::new();
    // What each value cell showed before the steps, for the book and the problems.
    let mut raws: Vec<String> = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        for (_, _, at) in &spec.values {
            let mut cell = cell_at(*at);
            cell.unit = column(Role::Unit)[i].text.clone();
            raws.push(cell.text.clone());
            values.push(cell);
        }
    }
    for failure in normalizer.run(Role::Value, &mut values) {
        problems.push(ctx.failure(sheet, &failure));
    }

    let mut values = values.into_iter().zip(raws);
    let mut rows = Vec::with_capacity(specs.len());
    // A list of many departments names each one many times: say so once per name.
    let mut unknown_departments: Vec<String> = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let text_of = |role: Role| column(role)[i].text.clone();
        let at_of = |role: Role| match field(spec, role) {
            Some(Source::At(r, c)) => a1(*r, *c),
            _ => a1(spec.row, 0),
        };
        for role in [Role::Goal, Role::Measure, Role::Project, Role::Indicator] {
            let cell = &column(role)[i];
            for warning in &cell.warnings {
                problems.push(ctx.problem(sheet, &at_of(role), &cell.text, Issue::TextWarning { warning: warning.clone() }));
            }
        }
        let department_cell = &column(Role::Department)[i];
        let department = match &department_cell.out {
            Output::Department(name) => {
                // A name written with look-alike letters: matched, and to be retyped.
                if let Some(warning) = department_cell.warnings.first() {
                    if !unknown_departments.contains(&department_cell.text) {
                        let issue = Issue::DepartmentLookalike { warning: warning.clone() };
                        problems.push(ctx.problem(sheet, &at_of(Role::Department), &department_cell.text, issue));
                        unknown_departments.push(department_cell.text.clone());
                    }
                }
                name.clone()
            }
            Output::Unreadable(why) => {
                let written = text::nfkc(&text_of(Role::Department));
                let owner = ctx.owners && text::lookalikes(&written).is_empty();
                if !owner && !unknown_departments.contains(&written) {
                    problems.push(ctx.problem(sheet, &at_of(Role::Department), &written, Issue::RowDepartment { why: why.clone() }));
                    unknown_departments.push(written.clone());
                }
                written
            }
            _ if !text_of(Role::Department).is_empty() => text_of(Role::Department),
            _ => ctx.department.to_string(),
        };
        let status_cell = &statuses[i];
        let status_at = spec.status.map(|(row, col)| CellRef { row, col });
        let status_a1 = status_at.map(|c| c.to_string()).unwrap_or_default();
        let status_raw = status_cell.input.display();
        let status = match &status_cell.out {
            // `validate` refuses a vocabulary that maps to any other label; a plugin's
            // step is checked here all the same, so that no row escapes the counts.
            Output::Status(Some(label)) if !STATUSES.contains(&label.as_str()) => {
                problems.push(ctx.problem(sheet, &status_a1, &status_raw, Issue::StatusNotCounted { label: label.clone() }));
                None
            }
            Output::Status(s) => s.clone(),
            Output::Unreadable(why) => {
                problems.push(ctx.problem(sheet, &status_a1, &status_raw, Issue::Status { why: why.clone() }));
                None
            }
            _ => None,
        };
        // Every row of a graded list has a grade, so that every summary counts it: the
        // letter, or the text as written (未評価), or empty.
        let grade = ctx.grades.then(|| grade_letter(&status_raw).unwrap_or_else(|| text::nfkc(&status_raw)));
        let mut row = IndicatorRow {
            department,
            file: ctx.file.to_string(),
            sheet: sheet.name.clone(),
            row: spec.row + 1,
            goal: text_of(Role::Goal),
            measure: text_of(Role::Measure),
            project: text_of(Role::Project),
            status,
            status_raw,
            status_cell: status_at,
            grade,
            indicator: Some(text_of(Role::Indicator)).filter(|s| !s.is_empty()),
            unit: text_of(Role::Unit),
            values: Vec::with_capacity(spec.values.len()),
            plan: String::new(),
            notes: spec
                .notes
                .iter()
                .filter_map(|(label, (r, c))| {
                    let text = sheet.get(*r, *c).display();
                    let text = text.trim();
                    (!text.is_empty()).then(|| Note { label: label.clone(), text: text.to_string(), cell: CellRef { row: *r, col: *c } })
                })
                .collect(),
        };
        for (kind, year, (r, c)) in &spec.values {
            let (cell, raw) = values.next().unwrap_or_else(|| (Cell::new(Value::Empty, String::new()), String::new()));
            let at = CellRef { row: *r, col: *c };
            let mut value = ValueCell { kind: *kind, fiscal_year: *year, value: None, flag: None, raw, cell: at };
            match &cell.out {
                Output::Number { value: v, flag, .. } => {
                    value.value = *v;
                    value.flag = *flag;
                }
                Output::Unreadable(why) => problems.push(ctx.problem(sheet, &at.to_string(), &value.raw, Issue::Value { why: why.clone() })),
                _ => {}
            }
            for warning in &cell.warnings {
                problems.push(ctx.problem(sheet, &at.to_string(), &value.raw, Issue::ValueWarning { warning: warning.clone() }));
            }
            row.values.push(value);
        }
        if row.project.is_empty() {
            problems.push(ctx.problem(sheet, &at_of(Role::Project), "", Issue::NoProject));
            continue;
        }
        // A project row without indicator has no value cells of its own.
        if row.indicator.is_none() && row.values.iter().all(|v| v.raw.trim().is_empty()) {
            row.values.clear();
        }
        rows.push(row);
    }
    (rows, problems)
}

/// The letter of a grade as written: "A 順調に進んだ", "Ｂ", "b" → A, B, B.
fn grade_letter(raw: &str) -> Option<String> {
    let first = text::nfkc(raw).chars().next()?.to_ascii_uppercase();
    first.is_ascii_alphabetic().then(|| first.to_string())
}
