//! The safe types a plugin author works with, on both sides of the boundary.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What a column means. Layouts name columns by role; steps apply to roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u32)]
pub enum Role {
    Goal = 0,
    Measure = 1,
    Project = 2,
    Indicator = 3,
    Unit = 4,
    Status = 5,
    Note = 6,
    /// A baseline, plan or actual value cell.
    Value = 7,
    /// The sub-header over a value column (R3計画値), which names its kind and year.
    ValueHeader = 8,
    /// The cell naming the submitting department (担当課).
    Department = 9,
    /// The cell giving the report date (報告日).
    ReportDate = 10,
}

pub const ROLES: [(Role, &str); 11] = [
    (Role::Goal, "goal"),
    (Role::Measure, "measure"),
    (Role::Project, "project"),
    (Role::Indicator, "indicator"),
    (Role::Unit, "unit"),
    (Role::Status, "status"),
    (Role::Note, "note"),
    (Role::Value, "value"),
    (Role::ValueHeader, "value_header"),
    (Role::Department, "department"),
    (Role::ReportDate, "report_date"),
];

impl Role {
    pub fn parse(name: &str) -> Option<Role> {
        ROLES.iter().find(|(_, n)| *n == name).map(|(r, _)| *r)
    }

    pub fn name(self) -> &'static str {
        ROLES[self as usize].1
    }

    pub fn from_u32(n: u32) -> Option<Role> {
        ROLES.get(n as usize).map(|(r, _)| *r)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// How a number cell is shown, as far as its reading depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberFormat {
    /// The reader gives no number formats (xls, xlsb, ods).
    Unknown,
    General,
    /// Shown as a percentage with this many decimals (0.0% shows 0.961 as 96.1%).
    Percent(u8),
    /// Fixed decimals, with or without thousands separators (#,##0).
    Fixed { decimals: u8, grouped: bool },
}

/// A cell as the reader typed it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellValue {
    Empty,
    Text,
    Number { value: f64, format: NumberFormat },
    /// A date cell, as an Excel serial in the 1900 date system.
    Date(f64),
    Bool(bool),
    /// A formula error; its text is the error (#DIV/0!).
    Error,
}

/// One input cell: its typed value, the text a person sees (as earlier steps left it),
/// and, for value cells, the unit of its row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellIn<'a> {
    pub value: CellValue,
    pub text: &'a str,
    pub unit: &'a str,
}

/// Marks on a value that has no plain number, or whose number is not exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[repr(u32)]
pub enum Flag {
    Approx = 1,
    IncreaseTarget = 2,
    NotMeasured = 3,
}

impl Flag {
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Approx => "approx",
            Flag::IncreaseTarget => "increase_target",
            Flag::NotMeasured => "not_measured",
        }
    }

    /// How the book names the flag.
    pub fn label_ja(self) -> &'static str {
        match self {
            Flag::Approx => "概数",
            Flag::IncreaseTarget => "増加目標",
            Flag::NotMeasured => "未測定",
        }
    }

    pub fn from_u32(n: u32) -> Option<Flag> {
        [Flag::Approx, Flag::IncreaseTarget, Flag::NotMeasured].into_iter().find(|f| *f as u32 == n)
    }
}

/// What a value column holds, read from its sub-header ("R3計画値", "9月末時点").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u32)]
pub enum HeaderKind {
    Baseline = 0,
    Plan = 1,
    Actual = 2,
}

impl HeaderKind {
    pub fn from_u32(n: u32) -> Option<HeaderKind> {
        [HeaderKind::Baseline, HeaderKind::Plan, HeaderKind::Actual].into_iter().find(|k| *k as u32 == n)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            HeaderKind::Baseline => "baseline",
            HeaderKind::Plan => "plan",
            HeaderKind::Actual => "actual",
        }
    }

    /// How the book names the kind.
    pub fn label_ja(self) -> &'static str {
        match self {
            HeaderKind::Baseline => "基準値",
            HeaderKind::Plan => "計画値",
            HeaderKind::Actual => "実績値",
        }
    }
}

/// What a step made of a cell.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Output {
    /// No typed value; the cell's text stands.
    #[default]
    Pending,
    Number { value: Option<f64>, flag: Option<Flag>, unit: Option<String> },
    /// A canonical status, None for a blank cell.
    Status(Option<String>),
    Header { kind: HeaderKind, year: Option<i32> },
    Date { year: i32, month: u32, day: u32 },
    /// The roster name of a department.
    Department(String),
    /// The cell could not be read; the reason is for a person.
    Unreadable(String),
}

/// A step's result for one cell.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CellOut {
    /// New text for the steps after this one (full-width digits narrowed, say).
    pub text: Option<String>,
    pub output: Output,
    /// Worth a person's look, without stopping the value being used.
    pub warning: Option<String>,
}

/// A sheet lent to a layout: cells row by row from A1.
#[derive(Debug, Clone, Copy)]
pub struct SheetIn<'a> {
    pub name: &'a str,
    pub width: u32,
    pub height: u32,
    pub cells: &'a [CellIn<'a>],
    /// Merged areas as [first row, first col, last row, last col], 0-based.
    pub merges: &'a [[u32; 4]],
    pub merges_known: bool,
}

impl<'a> SheetIn<'a> {
    const EMPTY: CellIn<'static> = CellIn { value: CellValue::Empty, text: "", unit: "" };

    pub fn get(&self, row: u32, col: u32) -> &CellIn<'a> {
        if row >= self.height || col >= self.width {
            return &Self::EMPTY;
        }
        // In usize: a sheet's declared size may overflow u32 arithmetic.
        let index = (row as usize).checked_mul(self.width as usize).and_then(|i| i.checked_add(col as usize));
        index.and_then(|i| self.cells.get(i)).unwrap_or(&Self::EMPTY)
    }

    /// The text a person sees at a position (the merge's top-left for a merged cell).
    pub fn text(&self, row: u32, col: u32) -> &'a str {
        let (r, c) = self
            .merges
            .iter()
            .find(|m| (m[0]..=m[2]).contains(&row) && (m[1]..=m[3]).contains(&col))
            .map_or((row, col), |m| (m[0], m[1]));
        self.get(r, c).text
    }
}

/// Options as the pipeline gives them to a step or layout.
pub type Options = BTreeMap<String, OptionValue>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OptionValue {
    Bool(bool),
    Number(f64),
    Text(String),
    List(Vec<String>),
    Map(BTreeMap<String, Vec<String>>),
}

/// The shape an option takes, so the host can check a pipeline before running it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OptionKind {
    Bool,
    Number,
    Text,
    List,
    Map,
}

impl OptionKind {
    pub fn admits(self, value: &OptionValue) -> bool {
        matches!(
            (self, value),
            (OptionKind::Bool, OptionValue::Bool(_))
                | (OptionKind::Number, OptionValue::Number(_))
                | (OptionKind::Text, OptionValue::Text(_))
                | (OptionKind::List, OptionValue::List(_) | OptionValue::Text(_))
                | (OptionKind::Map, OptionValue::Map(_))
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionInfo {
    pub name: String,
    pub kind: OptionKind,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepInfo {
    pub name: String,
    /// The roles the step applies to unless the pipeline says otherwise.
    pub roles: Vec<Role>,
    #[serde(default)]
    pub options: Vec<OptionInfo>,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayoutInfo {
    pub name: String,
    #[serde(default)]
    pub options: Vec<OptionInfo>,
    #[serde(default)]
    pub description: String,
}

/// What a plugin says of itself when loaded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Description {
    pub name: String,
    pub version: String,
    #[serde(default)]
    pub steps: Vec<StepInfo>,
    #[serde(default)]
    pub layouts: Vec<LayoutInfo>,
}

/// A cell position, 0-based from A1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct At {
    pub row: u32,
    pub col: u32,
}

/// Where one value of a row is, and what it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueAt {
    pub kind: HeaderKind,
    pub fiscal_year: i32,
    pub at: At,
}

/// One data row a layout found: its names, and where its status and values are. The
/// host reads the cells at those positions and normalizes them with the pipeline's steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowAt {
    /// The row the data sits on, 0-based.
    pub row: u32,
    pub goal: String,
    pub measure: String,
    pub project: String,
    #[serde(default)]
    pub indicator: Option<String>,
    #[serde(default)]
    pub unit: String,
    /// A department named on the row itself (lists that cover many departments).
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub status: Option<At>,
    #[serde(default)]
    pub values: Vec<ValueAt>,
}

/// A problem a layout found in a sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProblemAt {
    #[serde(default)]
    pub at: Option<At>,
    #[serde(default)]
    pub raw: String,
    pub what: String,
    pub todo: String,
}

/// How a sheet relates to a layout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "match")]
pub enum Match {
    /// Not this layout's kind of sheet.
    No,
    /// This layout's kind of sheet, but things it needs are missing.
    WrongTemplate { missing: Vec<String> },
    Found,
}

/// What a layout read from one sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayoutResult {
    #[serde(flatten)]
    pub matched: Match,
    /// Data rows found, whether or not they could be placed.
    #[serde(default)]
    pub rows_read: u32,
    #[serde(default)]
    pub rows: Vec<RowAt>,
    #[serde(default)]
    pub problems: Vec<ProblemAt>,
}

impl LayoutResult {
    pub fn no_match() -> LayoutResult {
        LayoutResult { matched: Match::No, rows_read: 0, rows: Vec::new(), problems: Vec::new() }
    }
}
