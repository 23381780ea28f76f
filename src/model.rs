//! The data that flows from the readers to the book: indicator rows with their cells,
//! problems, and what happened to each file.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};

pub use crate::messages::Issue;
use crate::messages::Lang;
use torimatome_plugin_api::Flag;

pub use crate::messages::{GRADES, NO_STATUS, OTHER_GRADE, STATUSES};

/// Whether a value is the starting point, a plan for a fiscal year, or this period's
/// actual: the kind a value header names, whichever side of the plugin boundary read it.
pub use torimatome_plugin_api::HeaderKind as Kind;

/// The creation time a book carries: the pipeline's `book.created`, never the clock, so
/// that the same inputs give the same bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Created {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub hour: u16,
    pub minute: u8,
    pub second: u8,
}

/// A cell's position, 0-based from A1, shown as Excel names it ("K12"). Two numbers rather
/// than text: a prefecture's collection keeps millions of them (a tenth of its memory).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CellRef {
    pub row: u32,
    pub col: u32,
}

impl CellRef {
    /// A column's letters as Excel names it, in bijective base 26: A … Z, AA … XFD.
    pub fn column_name(col: u32) -> String {
        let mut name = [0u8; 7];
        let start = column_letters(col, &mut name);
        String::from_utf8_lossy(&name[start..]).into_owned()
    }
}

/// `col`'s letters written at the end of `out` (7 bytes hold any `u32`); where they start.
fn column_letters(col: u32, out: &mut [u8]) -> usize {
    let mut start = out.len();
    let mut n = u64::from(col) + 1;
    while n > 0 {
        start -= 1;
        out[start] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    start
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Written whole, not a character at a time: 進捗一覧 names millions of cells.
        let mut name = [0u8; 17];
        let start = column_letters(self.col, &mut name[..7]);
        let mut row = itoa::Buffer::new();
        let row = row.format(u64::from(self.row) + 1);
        name[7..7 + row.len()].copy_from_slice(row.as_bytes());
        f.write_str(std::str::from_utf8(&name[start..7 + row.len()]).map_err(|_| fmt::Error)?)
    }
}

/// One value cell of an indicator row, normalized, with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueCell {
    pub kind: Kind,
    pub fiscal_year: i32,
    pub value: Option<f64>,
    pub flag: Option<Flag>,
    /// The text a person sees in the cell.
    pub raw: String,
    pub cell: CellRef,
}

/// One data row of a table: an indicator of a project, or a project without indicators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorRow {
    pub department: String,
    pub file: String,
    pub sheet: String,
    /// 1-based row number as Excel shows it.
    pub row: u32,
    pub goal: String,
    pub measure: String,
    pub project: String,
    /// Canonical status (達成 / 推進中 / 課題あり / 取組なし), None when blank or unreadable.
    pub status: Option<String>,
    pub status_raw: String,
    /// Where the status was read; None when the layout found no status cell.
    pub status_cell: Option<CellRef>,
    /// For rows of evaluation lists: the letter of the grade (A–D), or the text written
    /// when it names no letter (未評価), or empty; None for rows of other layouts.
    pub grade: Option<String>,
    pub indicator: Option<String>,
    pub unit: String,
    pub values: Vec<ValueCell>,
    /// The plan the row's layout belongs to (its `plan`, or the layout's name): 概要 counts
    /// each plan apart.
    #[serde(default)]
    pub plan: String,
    /// What the department wrote beside its figures (状況, 課題, 今後の方向性 …), in the
    /// order the pipeline names them; blank notes are left out.
    #[serde(default)]
    pub notes: Vec<Note>,
}

/// A department's commentary on a row: the pipeline's name for the column, the text, and
/// the cell it was read from (for a merged cell, its top-left).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub label: String,
    pub text: String,
    pub cell: CellRef,
}

/// Which way an indicator should move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Increase,
    Decrease,
    /// Held at the plan's level.
    Keep,
}

/// How an indicator's achievement is measured, as the pipeline declares it (`indicators`):
/// the first rule whose name and unit patterns match an indicator applies to it.
#[derive(Debug, Clone)]
pub struct AchievementRule {
    pub name: Option<regex::Regex>,
    pub unit: Option<regex::Regex>,
    pub direction: Direction,
    /// The plans are running totals over the plan's years, the actuals each year's own.
    pub cumulative: bool,
    /// The target is a change from the baseline (「平均25%の上昇」 against H30).
    pub from_baseline: bool,
    /// The figure is itself a change (増減率, 前年差, 前年度比): no ratio of it means anything.
    pub change: bool,
}

impl AchievementRule {
    /// The rule for an indicator that no declared rule names: it should rise, each year
    /// on its own, against the plan itself.
    pub const DEFAULT: AchievementRule =
        AchievementRule { name: None, unit: None, direction: Direction::Increase, cumulative: false, from_baseline: false, change: false };

    pub fn applies_to(&self, row: &IndicatorRow) -> bool {
        let name = row.indicator.as_deref().unwrap_or("");
        self.name.as_ref().is_none_or(|re| re.is_match(name)) && self.unit.as_ref().is_none_or(|re| re.is_match(&row.unit))
    }
}

impl IndicatorRow {
    pub fn value(&self, kind: Kind, fiscal_year: i32) -> Option<&ValueCell> {
        self.values.iter().find(|v| v.kind == kind && v.fiscal_year == fiscal_year)
    }
}

/// Something a person must look at: a cell that could not be read, a file set aside.
/// What it is, is an [`Issue`]; its words come from the catalogue (`messages`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub file: String,
    pub sheet: String,
    pub cell: String,
    pub raw: String,
    pub issue: Issue,
}

impl Problem {
    /// A problem of a whole file.
    pub fn file(file: &str, issue: Issue) -> Problem {
        Problem { file: file.to_string(), sheet: String::new(), cell: String::new(), raw: String::new(), issue }
    }

    /// What is wrong.
    pub fn what(&self) -> String {
        self.issue.what()
    }

    /// What to do about it.
    pub fn todo(&self) -> &str {
        self.issue.todo()
    }

    /// The reader's own words, when there is more to say than what is wrong.
    pub fn detail(&self) -> &str {
        self.issue.detail().unwrap_or_default()
    }

    /// The order of 問題一覧: by file, sheet, cell, then what the book says.
    pub fn sort(problems: &mut [Problem]) {
        problems.sort_by_cached_key(|p| (p.file.clone(), p.sheet.clone(), p.cell.clone(), p.raw.clone(), p.what(), p.todo().to_string()));
    }
}

/// What became of one file of the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Consolidated,
    Superseded { by: String },
    Ignored(Issue),
    Error(Issue),
}

impl Outcome {
    /// What became of the file, in the book's word (取りまとめ済).
    pub fn label_ja(&self) -> &'static str {
        crate::messages::fixed(Lang::Ja, &format!("outcome-{}", self.as_str()))
    }

    /// What became of the file, in a word of `lang`.
    pub fn label(&self, lang: Lang) -> String {
        crate::messages::outcome_label(lang, self.as_str())
    }

    /// The name the manifest gives it (`consolidated`): not words, a key.
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Consolidated => "consolidated",
            Outcome::Superseded { .. } => "superseded",
            Outcome::Ignored(_) => "ignored",
            Outcome::Error(_) => "error",
        }
    }

    /// The reader's own words behind the reason, when there are any.
    pub fn detail(&self) -> Option<&str> {
        match self {
            Outcome::Ignored(issue) | Outcome::Error(issue) => issue.detail(),
            Outcome::Consolidated | Outcome::Superseded { .. } => None,
        }
    }

    /// Why, in the book's words (Japanese); empty for a consolidated file.
    pub fn reason(&self) -> String {
        self.reason_in(Lang::Ja)
    }

    /// Why, in `lang`; empty for a consolidated file.
    pub fn reason_in(&self, lang: Lang) -> String {
        match self {
            Outcome::Consolidated => String::new(),
            Outcome::Superseded { by } => crate::messages::superseded_by(lang, by),
            Outcome::Ignored(issue) | Outcome::Error(issue) => issue.what_in(lang),
        }
    }
}

/// One file of the inbox and what the run made of it.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub name: String,
    pub size: u64,
    pub sha256: String,
    pub department: Option<String>,
    /// Whether it took a password (Excel's default one, or one the office was told).
    pub opened: crate::workbook::Opened,
    pub outcome: Outcome,
    /// Data rows the layout found.
    pub rows_read: usize,
    /// Rows that reached 進捗一覧.
    pub rows_consolidated: usize,
    /// Rows set aside (the file was superseded or ignored, or the row could not be placed).
    pub rows_set_aside: usize,
}

/// A department that sent more than one file of one layout: which counted, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resubmission {
    pub department: String,
    pub layout: String,
    /// Every file of the submission, in name order.
    pub files: Vec<String>,
    pub winner: String,
    /// Why the winner is the newest, in words (報告日が最も新しい (2022-10-07)).
    pub why: String,
    /// The pipeline's order could not tell the winner from another file: it won by name,
    /// and a problem asks the office to check.
    pub undecided: bool,
}

/// Everything a run produced, before aggregation.
#[derive(Debug, Clone)]
pub struct Consolidation {
    pub period: torimatome_ja_core::era::Period,
    pub title: String,
    /// Departments on the roster, in roster order.
    pub roster: Vec<String>,
    pub rows: Vec<IndicatorRow>,
    pub files: Vec<InputFile>,
    pub problems: Vec<Problem>,
    /// Departments with several files of one layout, by department and layout.
    pub resubmissions: Vec<Resubmission>,
    /// The rows of the files another file superseded, to show what a correction changed
    /// (差し替えの差分); counted nowhere else.
    pub superseded_rows: Vec<IndicatorRow>,
    /// The plans the layouts belong to, in the pipeline's order.
    pub plans: Vec<String>,
    /// The names of the notes the layouts read, in the pipeline's order.
    pub note_labels: Vec<String>,
    /// How each indicator's achievement is measured, first match first.
    pub rules: Vec<AchievementRule>,
    /// The rows of the consolidated files, in file order, when they were kept on disk
    /// rather than in `rows` (a summary book: they go to the records only).
    pub spilled: Vec<Spilled>,
}

/// Where one file's rows were set down on disk while the inbox was read (`spill.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spilled {
    pub offset: u64,
    pub len: u64,
    pub rows: usize,
}

impl Consolidation {
    /// Roster departments with a consolidated file.
    pub fn submitted(&self) -> Vec<&str> {
        let submitted = self.consolidated_departments();
        self.roster.iter().map(String::as_str).filter(|d| submitted.contains(d)).collect()
    }

    /// Roster departments that sent no file at all: the ones to remind.
    pub fn missing(&self) -> Vec<&str> {
        let senders: HashSet<&str> = self.files.iter().filter_map(|f| f.department.as_deref()).collect();
        self.roster.iter().map(String::as_str).filter(|d| !senders.contains(d)).collect()
    }

    /// Roster departments whose files arrived but none could count (unreadable, a wrong
    /// template, another period), each with those files: the ones to ask for a file
    /// that can be read, not for a file.
    pub fn failed(&self) -> Vec<(&str, Vec<&InputFile>)> {
        let submitted = self.consolidated_departments();
        let mut sent: HashMap<&str, Vec<&InputFile>> = HashMap::new();
        for f in &self.files {
            if let Some(d) = f.department.as_deref().filter(|d| !submitted.contains(d)) {
                sent.entry(d).or_default().push(f);
            }
        }
        self.roster.iter().filter_map(|d| Some((d.as_str(), sent.remove(d.as_str())?))).collect()
    }

    /// Departments with a consolidated file, as a set: a prefecture's roster and inbox
    /// are thousands long each.
    fn consolidated_departments(&self) -> HashSet<&str> {
        self.files.iter().filter(|f| f.outcome == Outcome::Consolidated).filter_map(|f| f.department.as_deref()).collect()
    }

    pub fn rows_read(&self) -> usize {
        self.files.iter().map(|f| f.rows_read).sum()
    }

    pub fn rows_consolidated(&self) -> usize {
        self.files.iter().map(|f| f.rows_consolidated).sum()
    }

    pub fn rows_set_aside(&self) -> usize {
        self.files.iter().map(|f| f.rows_set_aside).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::CellRef;

    #[test]
    fn cells_are_named_as_excel_names_them() {
        for (row, col) in [(0, 0), (11, 10), (0, 25), (0, 26), (0, 51), (0, 52), (0, 701), (0, 702), (1_048_575, 16_383)] {
            let ours = CellRef { row, col }.to_string();
            let excel = rust_xlsxwriter::utility::row_col_to_cell(row, col as u16);
            assert_eq!(ours, excel, "row {row} col {col}");
        }
    }

    #[test]
    fn columns_are_named_as_excel_names_them() {
        let named: Vec<String> = [0, 25, 26, 51, 701, 702, 16383].into_iter().map(CellRef::column_name).collect();
        assert_eq!(named, ["A", "Z", "AA", "AZ", "ZZ", "AAA", "XFD"]);
        // The widest column a position can hold still has room for its letters.
        assert_eq!(CellRef::column_name(u32::MAX).len(), 7);
        assert!(CellRef { row: u32::MAX, col: u32::MAX }.to_string().ends_with("4294967296"));
    }
}
