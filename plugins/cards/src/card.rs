//! Reading action-plan cards (layout B): label/value rows (No., 基本方針, 取組,
//! アクションプラン, 主管部門, 評価指標), then a 年度 row naming fiscal years and 予定 / 実績
//! rows under it.
//!
//! Everything is found by label text (NFKC, no whitespace), never by position: columns
//! shift between cards, and a label may sit in any column. A card yields one [`RowAt`]
//! holding the positions of its value cells; the host reads and normalizes those cells.
//! What cannot be attributed to one indicator and one fiscal year is reported as a
//! [`ProblemAt`] and left out, never guessed.
//!
//! Which cells become a [`ValueAt`]:
//! - a column is a year column when its cell in the 年度 row (right of the 年度 label,
//!   not hidden inside a merge) reads as exactly one fiscal year; unreadable or repeated
//!   years are reported and their columns left out;
//! - 予定 row: the cell of every year column right of the 予定 label, blank or not
//!   (a blank plan is a gap a person should see, as in layout A);
//! - 実績 row: the cells of the year columns up to the last non-blank one; blank cells
//!   after it are years not reported yet and are left out (blank cells before it stay);
//! - left out and reported: a cell with two values, a cell merged across years, and the
//!   whole row when it does not line up with the 年度 row (a value under a column the
//!   年度 row does not name) or when the 実績 label is gone from the row under 予定.

use std::collections::BTreeMap;

use torimatome_plugin_api::{At, HeaderKind, LayoutResult, Match, ProblemAt, RowAt, SheetIn, ValueAt};

use crate::text::{fiscal_year, has_two_values, is_blank, is_value_like, label_key, unit_of};

/// What a label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Number,
    Goal,
    Measure,
    Project,
    Department,
    Indicator,
    YearRow,
    Plan,
    Actual,
    /// Labels of the card that carry nothing the book needs (概要, 関係部門); knowing them
    /// keeps their rows from being read as something else.
    Other,
}

impl Field {
    pub const ALL: [Field; 10] = [
        Field::Number,
        Field::Goal,
        Field::Measure,
        Field::Project,
        Field::Department,
        Field::Indicator,
        Field::YearRow,
        Field::Plan,
        Field::Actual,
        Field::Other,
    ];

    /// The key of the field in the `labels` option.
    pub fn name(self) -> &'static str {
        match self {
            Field::Number => "number",
            Field::Goal => "goal",
            Field::Measure => "measure",
            Field::Project => "project",
            Field::Department => "department",
            Field::Indicator => "indicator",
            Field::YearRow => "year_row",
            Field::Plan => "plan",
            Field::Actual => "actual",
            Field::Other => "other",
        }
    }

    pub fn parse(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The labels of the Suita cards (吹田市 004) and the samples.
    pub fn default_labels(self) -> &'static [&'static str] {
        match self {
            Field::Number => &["No.", "No"],
            Field::Goal => &["基本方針"],
            Field::Measure => &["取組"],
            Field::Project => &["アクションプラン"],
            Field::Department => &["主管部門"],
            Field::Indicator => &["評価指標（定量的）", "評価指標"],
            Field::YearRow => &["年度"],
            Field::Plan => &["予定", "計画"],
            Field::Actual => &["実績"],
            Field::Other => &["概要", "関係部門"],
        }
    }

    /// Labels above the 年度 row: they open a card.
    fn is_header(self) -> bool {
        !matches!(self, Field::YearRow | Field::Plan | Field::Actual)
    }

    /// Header labels that say a sheet is a card, when two of them stand on different rows.
    fn is_card_name(self) -> bool {
        matches!(self, Field::Goal | Field::Measure | Field::Project | Field::Department | Field::Indicator)
    }
}

/// The label texts of each field, as configured and as matched (NFKC, no whitespace).
#[derive(Debug, Clone, PartialEq)]
pub struct Labels {
    fields: Vec<(Field, Vec<String>, Vec<String>)>,
}

impl Default for Labels {
    fn default() -> Self {
        Labels::with(&BTreeMap::new()).unwrap_or(Labels { fields: Vec::new() })
    }
}

impl Labels {
    /// The defaults, with the fields named in `overrides` replaced. Unknown fields, a
    /// required field without labels and a label given to two fields are refused.
    pub fn with(overrides: &BTreeMap<String, Vec<String>>) -> Result<Labels, String> {
        if let Some(unknown) = overrides.keys().find(|k| Field::parse(k).is_none()) {
            let known: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
            return Err(format!("labels: unknown field `{unknown}` (known: {})", known.join(", ")));
        }
        let mut fields = Vec::new();
        let mut seen: BTreeMap<String, Field> = BTreeMap::new();
        for field in Field::ALL {
            let shown: Vec<String> = match overrides.get(field.name()) {
                Some(list) => list.iter().filter(|l| !is_blank(l)).map(|l| l.trim().to_string()).collect(),
                None => field.default_labels().iter().map(|l| l.to_string()).collect(),
            };
            if shown.is_empty() && matches!(field, Field::YearRow | Field::Plan | Field::Project | Field::Indicator) {
                return Err(format!("labels: `{}` needs at least one label", field.name()));
            }
            let keys: Vec<String> = shown.iter().map(|l| label_key(l)).collect();
            for (key, label) in keys.iter().zip(&shown) {
                if let Some(other) = seen.insert(key.clone(), field) {
                    if other != field {
                        return Err(format!(
                            "labels: `{label}` is given to both `{}` and `{}`",
                            other.name(),
                            field.name()
                        ));
                    }
                }
            }
            fields.push((field, shown, keys));
        }
        Ok(Labels { fields })
    }

    /// The field a cell's text names, if it is a label.
    pub fn field_of(&self, text: &str) -> Option<Field> {
        let key = label_key(text);
        if key.is_empty() {
            return None;
        }
        self.fields.iter().find(|(_, _, keys)| keys.contains(&key)).map(|(f, _, _)| *f)
    }

    /// How a field is named in messages: its first label.
    pub fn shown(&self, field: Field) -> String {
        self.fields
            .iter()
            .find(|(f, _, _)| *f == field)
            .and_then(|(_, shown, _)| shown.first().cloned())
            .unwrap_or_else(|| field.name().to_string())
    }
}

// ---------------------------------------------------------------- the sheet

/// A sheet with every lookup checked: positions past the cells lent are empty, and loops
/// never run past the cells that exist, whatever width and height the sheet claims.
#[derive(Clone, Copy)]
struct Grid<'a> {
    sheet: SheetIn<'a>,
    width: usize,
    height: usize,
}

impl<'a> Grid<'a> {
    fn new(sheet: &SheetIn<'a>) -> Grid<'a> {
        let width = sheet.width as usize;
        let height = if width == 0 { 0 } else { (sheet.height as usize).min(sheet.cells.len().div_ceil(width)) };
        Grid { sheet: *sheet, width, height }
    }

    fn cell(&self, r: usize, c: usize) -> Option<&'a torimatome_plugin_api::CellIn<'a>> {
        if r >= self.height || c >= self.width {
            return None;
        }
        self.sheet.cells.get(r.checked_mul(self.width)?.checked_add(c)?)
    }

    fn raw(&self, r: usize, c: usize) -> &'a str {
        self.cell(r, c).map_or("", |cell| cell.text)
    }

    /// Columns of row `r` that exist in the cells lent.
    fn row_len(&self, r: usize) -> usize {
        if r >= self.height {
            return 0;
        }
        self.sheet.cells.len().saturating_sub(r.saturating_mul(self.width)).min(self.width)
    }

    /// The merged area holding a position, as [first row, first col, last row, last col].
    fn merge_at(&self, r: usize, c: usize) -> Option<[usize; 4]> {
        self.sheet
            .merges
            .iter()
            .map(|m| m.map(|v| v as usize))
            .find(|m| m[0] <= r && r <= m[2] && m[1] <= c && c <= m[3])
    }

    /// The text a person sees: a merged area's top-left text.
    fn text(&self, r: usize, c: usize) -> &'a str {
        match self.merge_at(r, c) {
            Some([r0, c0, _, _]) => self.raw(r0, c0),
            None => self.raw(r, c),
        }
    }

    /// Inside a merged area but not its top-left.
    fn covered(&self, r: usize, c: usize) -> bool {
        self.merge_at(r, c).is_some_and(|[r0, c0, _, _]| (r0, c0) != (r, c))
    }

    fn row_is_blank(&self, r: usize) -> bool {
        (0..self.row_len(r)).all(|c| is_blank(self.raw(r, c)))
    }
}

fn at(r: usize, c: usize) -> At {
    At { row: u32::try_from(r).unwrap_or(u32::MAX), col: u32::try_from(c).unwrap_or(u32::MAX) }
}

fn problem(r: usize, c: usize, raw: &str, what: String, todo: &str) -> ProblemAt {
    ProblemAt { at: Some(at(r, c)), raw: raw.to_string(), what, todo: todo.to_string() }
}

/// A label cell.
#[derive(Debug, Clone, Copy, PartialEq)]
struct LabelAt {
    field: Field,
    row: usize,
    col: usize,
}

/// Labels longer than this are not labels (skips long notes without normalizing them).
const LABEL_MAX_BYTES: usize = 120;

fn find_labels(grid: &Grid<'_>, labels: &Labels) -> Vec<LabelAt> {
    let mut found = Vec::new();
    for row in 0..grid.height {
        for col in 0..grid.row_len(row) {
            let t = grid.raw(row, col);
            if is_blank(t) || t.len() > LABEL_MAX_BYTES {
                continue;
            }
            if let Some(field) = labels.field_of(t) {
                found.push(LabelAt { field, row, col });
            }
        }
    }
    found
}

/// The first label of each field, row by row.
fn first_of<'l>(found: impl Iterator<Item = &'l LabelAt>) -> Vec<LabelAt> {
    let mut firsts: Vec<LabelAt> = Vec::new();
    for l in found {
        if !firsts.iter().any(|f| f.field == l.field) {
            firsts.push(*l);
        }
    }
    firsts
}

/// Two card names (基本方針, 取組, アクションプラン, 主管部門, 評価指標) on different rows: the
/// labels run down a column as on a card, not across a header row as in a table.
fn card_like(found: &[LabelAt]) -> bool {
    let names: Vec<&LabelAt> = found.iter().filter(|l| l.field.is_card_name()).collect();
    names.iter().any(|a| names.iter().any(|b| a.field != b.field && a.row != b.row))
}

// ---------------------------------------------------------------- messages

// In Japanese only: a plugin's words go into the book, which is in Japanese.
const TWO_VALUES: &str = "1つのセルに2つの値: どちらもカードの評価指標の値とは決められない";
const TWO_VALUES_TODO: &str = "セルにはカードの評価指標の値を1つだけ書く（内訳は別の欄へ）";
const SHIFT_TODO: &str = "実績の値を年度の列にそろえ、見出し「実績」を戻して再提出";
const YEAR_TODO: &str = "「令和4年度」「2022年度」のように1つの年度を書く";
const MERGED_TODO: &str = "結合を解除し、年度ごとに値を書く";
const UNITS_TODO: &str = "予定と実績の単位をそろえる";
const NAME_TODO: &str = "カードの見出しの右に記入する";
const TEMPLATE_TODO: &str = "配布した様式の見出しを使って再提出";
/// What becomes of values that cannot be placed under a fiscal year.
const NOT_ATTRIBUTED: &str = "値をどの年度のものとも決められない";

// ---------------------------------------------------------------- cards

/// One 年度 label and the region around it that belongs to its card.
struct Candidate {
    year: LabelAt,
    /// First label of each header field, above the 年度 row.
    header: Vec<LabelAt>,
    plan: Option<LabelAt>,
    actual: Option<LabelAt>,
    /// The card's body ends before this row (the next card's first label, or the end).
    body_end: usize,
    /// Year columns: (column, fiscal year).
    years: Vec<(usize, i32)>,
    /// Columns the 年度 row names, read or not.
    named: Vec<usize>,
    year_problems: Vec<ProblemAt>,
}

impl Candidate {
    fn header(&self, field: Field) -> Option<LabelAt> {
        self.header.iter().find(|l| l.field == field).copied()
    }

    fn card_ish(&self) -> bool {
        card_like(&self.header) || (self.header(Field::Project).is_some() && self.header(Field::Indicator).is_some())
    }

    fn missing(&self) -> Vec<Field> {
        let mut missing = Vec::new();
        if self.years.is_empty() {
            missing.push(Field::YearRow);
        }
        for field in [Field::Project, Field::Indicator] {
            if self.header(field).is_none() {
                missing.push(field);
            }
        }
        if self.plan.is_none() {
            missing.push(Field::Plan);
        }
        missing
    }
}

/// The fiscal years of a 年度 row, with the problems of cells that name none or repeat one.
fn year_columns(grid: &Grid<'_>, year: &LabelAt) -> (Vec<(usize, i32)>, Vec<usize>, Vec<ProblemAt>) {
    let (r, mut years, mut named, mut problems) = (year.row, Vec::new(), Vec::new(), Vec::new());
    for c in year.col.saturating_add(1)..grid.row_len(r) {
        let t = grid.raw(r, c);
        if grid.covered(r, c) || is_blank(t) {
            continue;
        }
        named.push(c);
        match fiscal_year(t) {
            Some(y) => years.push((c, y)),
            None => problems.push(problem(
                r,
                c,
                t,
                "年度の行から年度を読めない: この列は読まない".into(),
                YEAR_TODO,
            )),
        }
    }
    let repeated: Vec<i32> =
        years.iter().map(|(_, y)| *y).filter(|y| years.iter().filter(|(_, z)| z == y).count() > 1).collect();
    for (c, y) in years.iter().filter(|(_, y)| repeated.contains(y)) {
        problems.push(problem(
            r,
            *c,
            grid.raw(r, *c),
            format!("同じ年度 ({y}年度) が2つの列にある: どちらの列も読まない"),
            YEAR_TODO,
        ));
    }
    years.retain(|(_, y)| !repeated.contains(y));
    (years, named, problems)
}

fn candidates(grid: &Grid<'_>, found: &[LabelAt]) -> Vec<Candidate> {
    let mut year_rows: Vec<LabelAt> = Vec::new();
    for l in found.iter().filter(|l| l.field == Field::YearRow) {
        if !year_rows.iter().any(|y| y.row == l.row) {
            year_rows.push(*l);
        }
    }
    let mut out = Vec::new();
    let mut start = 0;
    for (k, year) in year_rows.iter().enumerate() {
        let next = year_rows.get(k + 1).map_or(grid.height, |y| y.row);
        let body_end = found
            .iter()
            .filter(|l| l.field.is_header() && l.row > year.row && l.row < next)
            .map(|l| l.row)
            .min()
            .unwrap_or(next);
        let header = first_of(found.iter().filter(|l| l.field.is_header() && l.row >= start && l.row < year.row));
        let body = first_of(found.iter().filter(|l| l.row > year.row && l.row < body_end));
        let (years, named, year_problems) = year_columns(grid, year);
        out.push(Candidate {
            year: *year,
            header,
            plan: body.iter().find(|l| l.field == Field::Plan).copied(),
            actual: body.iter().find(|l| l.field == Field::Actual).copied(),
            body_end,
            years,
            named,
            year_problems,
        });
        start = body_end;
    }
    out
}

/// The text right of a label: the first non-blank cell, through merges, unless another
/// label comes first.
fn value_right(grid: &Grid<'_>, labels: &Labels, l: &LabelAt) -> String {
    for c in l.col.saturating_add(1)..grid.row_len(l.row) {
        if grid.merge_at(l.row, c).is_some_and(|m| m[1] <= l.col) {
            continue; // the label's own merged area
        }
        let t = grid.text(l.row, c);
        if is_blank(t) {
            continue;
        }
        if labels.field_of(t).is_some() {
            return String::new();
        }
        return t.trim().to_string();
    }
    String::new()
}

/// Whether a 予定 or 実績 row lines up with the 年度 row: the first cell that holds a value
/// under a column the 年度 row does not name, or a label standing inside the year columns.
fn misaligned(grid: &Grid<'_>, label: &LabelAt, card: &Candidate) -> Option<usize> {
    if card.named.iter().any(|c| *c <= label.col) {
        return Some(label.col);
    }
    (label.col.saturating_add(1)..grid.row_len(label.row)).find(|&c| {
        !card.named.contains(&c) && !grid.covered(label.row, c) && grid.cell(label.row, c).is_some_and(is_value_like)
    })
}

/// What a card's value rows yield.
struct Values {
    values: Vec<ValueAt>,
    texts: Vec<String>,
    problems: Vec<ProblemAt>,
    merges_reported: Vec<[usize; 4]>,
}

impl Values {
    /// The value cells of one row: every year column (`all`), or those up to the last
    /// non-blank one. Two-value cells and cells merged across years are reported instead.
    fn row(&mut self, grid: &Grid<'_>, label: &LabelAt, kind: HeaderKind, years: &[(usize, i32)], all: bool) {
        let r = label.row;
        let cols: Vec<(usize, i32)> = years.iter().copied().filter(|(c, _)| *c > label.col).collect();
        let last = if all {
            cols.len()
        } else {
            cols.iter().rposition(|(c, _)| !is_blank(grid.raw(r, *c))).map_or(0, |i| i + 1)
        };
        for (c, fiscal_year) in cols.into_iter().take(last) {
            if let Some(m) = grid.merge_at(r, c).filter(|m| m[1] != m[3]) {
                if !self.merges_reported.contains(&m) {
                    self.merges_reported.push(m);
                    let [r0, c0, _, _] = m;
                    self.problems.push(problem(
                        r0,
                        c0,
                        grid.raw(r0, c0),
                        "年度をまたいで結合された値のセル: どの年度の値とも決められない".into(),
                        MERGED_TODO,
                    ));
                }
                continue;
            }
            let text = grid.raw(r, c);
            if has_two_values(text) {
                self.problems.push(problem(r, c, text, TWO_VALUES.into(), TWO_VALUES_TODO));
                continue;
            }
            self.values.push(ValueAt { kind, fiscal_year, at: at(r, c) });
            self.texts.push(text.to_string());
        }
    }
}

/// The row right under 予定 when the 実績 label is gone: values there belong to no
/// fiscal year anyone can vouch for, so the row is reported, never read.
fn orphan_row(grid: &Grid<'_>, labels: &Labels, plan: &LabelAt, card: &Candidate) -> Option<ProblemAt> {
    let q = (plan.row.saturating_add(1)..card.body_end).find(|&r| !grid.row_is_blank(r))?;
    let c = plan.col;
    let has_values =
        (c..grid.row_len(q)).any(|col| !grid.covered(q, col) && grid.cell(q, col).is_some_and(is_value_like));
    if !has_values {
        return None; // a note under the card
    }
    let raw = grid.raw(q, c);
    let actual = labels.shown(Field::Actual);
    let first_year = card.years.iter().map(|(col, _)| *col).filter(|col| *col > c).min();
    let plan_shown = labels.shown(Field::Plan);
    let what = if grid.cell(q, c).is_some_and(is_value_like) {
        let n = first_year.map_or(1, |y| y.saturating_sub(c).max(1));
        format!("{actual}行が{n}列左にずれている（見出しが上書きされている）: {NOT_ATTRIBUTED}")
    } else if is_blank(raw) {
        format!("{plan_shown}の下の行に値があるが見出し「{actual}」がない: {NOT_ATTRIBUTED}")
    } else {
        format!("{plan_shown}の下の行に値があるが見出しを読めない: {NOT_ATTRIBUTED}")
    };
    Some(problem(q, c, raw, what, SHIFT_TODO))
}

fn read_card(grid: &Grid<'_>, labels: &Labels, card: &Candidate) -> (Option<RowAt>, Vec<ProblemAt>) {
    let mut problems = card.year_problems.clone();
    let (Some(plan), Some(project), Some(indicator)) =
        (card.plan, card.header(Field::Project), card.header(Field::Indicator))
    else {
        return (None, problems);
    };
    let text_of = |field: Field| card.header(field).map(|l| value_right(grid, labels, &l)).unwrap_or_default();
    let goal = text_of(Field::Goal);
    let measure = text_of(Field::Measure);
    let project_name = value_right(grid, labels, &project);
    let indicator_name = value_right(grid, labels, &indicator);
    let department = text_of(Field::Department);
    for (l, name) in [(project, &project_name), (indicator, &indicator_name)] {
        if name.is_empty() {
            let shown = labels.shown(l.field);
            problems.push(problem(
                l.row,
                l.col,
                grid.raw(l.row, l.col),
                format!("カードの{shown}が空欄"),
                NAME_TODO,
            ));
        }
    }

    let mut v = Values { values: Vec::new(), texts: Vec::new(), problems: Vec::new(), merges_reported: Vec::new() };
    let row_problem = |l: &LabelAt, col: usize| {
        let shown = labels.shown(l.field);
        problem(
            l.row,
            col,
            grid.raw(l.row, col),
            format!("{shown}行が年度の列とずれている（年度のない列に値がある）: {NOT_ATTRIBUTED}"),
            SHIFT_TODO,
        )
    };
    match misaligned(grid, &plan, card) {
        Some(col) => problems.push(row_problem(&plan, col)),
        None => v.row(grid, &plan, HeaderKind::Plan, &card.years, true),
    }
    match card.actual {
        Some(actual) => match misaligned(grid, &actual, card) {
            Some(col) => problems.push(row_problem(&actual, col)),
            None => v.row(grid, &actual, HeaderKind::Actual, &card.years, false),
        },
        None => problems.extend(orphan_row(grid, labels, &plan, card)),
    }
    problems.append(&mut v.problems);

    let mut units: Vec<(String, usize)> = Vec::new();
    for (i, t) in v.texts.iter().enumerate() {
        if let Some(u) = unit_of(t) {
            if !units.iter().any(|(seen, _)| *seen == u) {
                units.push((u, i));
            }
        }
    }
    let unit = match units.as_slice() {
        [(only, _)] => only.clone(),
        [] => String::new(),
        [_, (_, i), ..] => {
            let list: Vec<&str> = units.iter().map(|(u, _)| u.as_str()).collect();
            if let (Some(value), Some(text)) = (v.values.get(*i), v.texts.get(*i)) {
                problems.push(ProblemAt {
                    at: Some(value.at),
                    raw: text.clone(),
                    what: format!("値のセルで単位が異なる（{}）: 単位は空欄にした", list.join("・")),
                    todo: UNITS_TODO.into(),
                });
            }
            String::new()
        }
    };

    let row = RowAt {
        row: at(indicator.row, 0).row,
        goal,
        measure,
        project: project_name,
        indicator: (!indicator_name.is_empty()).then_some(indicator_name),
        unit,
        department: (!department.is_empty()).then_some(department),
        status: None,
        values: v.values,
    };
    (Some(row), problems)
}

/// Read one sheet as action-plan cards.
pub fn read_sheet(labels: &Labels, sheet: &SheetIn<'_>) -> LayoutResult {
    let grid = Grid::new(sheet);
    let found = find_labels(&grid, labels);
    let cards: Vec<Candidate> = candidates(&grid, &found).into_iter().filter(Candidate::card_ish).collect();
    let required = [Field::YearRow, Field::Project, Field::Indicator, Field::Plan];

    if cards.is_empty() {
        if !card_like(&found) {
            return LayoutResult::no_match();
        }
        // A card whose 年度 row (or more) is gone.
        let mut missing: Vec<Field> = required.into_iter().filter(|f| !found.iter().any(|l| l.field == *f)).collect();
        if missing.is_empty() {
            missing.push(Field::YearRow);
        }
        return LayoutResult {
            matched: Match::WrongTemplate { missing: missing.into_iter().map(|f| labels.shown(f)).collect() },
            rows_read: 0,
            rows: Vec::new(),
            problems: Vec::new(),
        };
    }

    let good = cards.iter().filter(|c| c.missing().is_empty()).count();
    if good == 0 {
        let mut missing: Vec<Field> = Vec::new();
        for card in &cards {
            for f in card.missing() {
                if !missing.contains(&f) {
                    missing.push(f);
                }
            }
        }
        missing.sort_by_key(|f| required.iter().position(|r| r == f));
        return LayoutResult {
            matched: Match::WrongTemplate { missing: missing.into_iter().map(|f| labels.shown(f)).collect() },
            rows_read: 0,
            rows: Vec::new(),
            problems: cards.into_iter().flat_map(|c| c.year_problems).collect(),
        };
    }

    let mut result = LayoutResult {
        matched: Match::Found,
        rows_read: u32::try_from(cards.len()).unwrap_or(u32::MAX),
        rows: Vec::new(),
        problems: Vec::new(),
    };
    for card in &cards {
        let missing = card.missing();
        if !missing.is_empty() {
            let names: Vec<String> = missing.iter().map(|f| labels.shown(*f)).collect();
            result.problems.push(problem(
                card.year.row,
                card.year.col,
                grid.raw(card.year.row, card.year.col),
                format!("カードに必要な見出しがない（{}）: このカードは読まない", names.join("、")),
                TEMPLATE_TODO,
            ));
            result.problems.extend(card.year_problems.iter().cloned());
            continue;
        }
        let (row, problems) = read_card(&grid, labels, card);
        result.rows.extend(row);
        result.problems.extend(problems);
    }
    result
}
