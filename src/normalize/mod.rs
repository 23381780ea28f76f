//! Normalizing: the cells a layout found, one column at a time, become typed values.
//!
//! Every normalization is a [`Step`] named in the pipeline (`fullwidth`, `era_years`,
//! `numbers`, `status`, `departments`). A step sees a whole column of one role at once
//! (never a call per cell), reads each cell's current text and writes its result. The
//! pure functions behind the built-in steps live in `text`, `era`, `number` and `status`;
//! `steps` wraps them. This module never touches files.

pub mod era;
pub mod number;
pub mod status;
mod steps;
pub mod text;

use std::collections::BTreeMap;
use std::fmt;

use crate::workbook::Value;
pub use steps::{build_step, StepContext, STEP_NAMES};

/// What a column means. Layouts name columns by role; steps apply to roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Goal,
    Measure,
    Project,
    Indicator,
    Unit,
    Status,
    Note,
    /// A baseline, plan or actual value cell.
    Value,
    /// The sub-header over a value column (R3計画値), which names its kind and year.
    ValueHeader,
    /// The cell naming the submitting department (担当課).
    Department,
    /// The cell giving the report date (報告日).
    ReportDate,
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
        ROLES.iter().find(|(r, _)| *r == self).map(|(_, n)| *n).unwrap_or("?")
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One cell on its way through the steps.
#[derive(Debug, Clone)]
pub struct Cell {
    /// The value as the reader typed it.
    pub input: Value,
    /// The text a person sees; steps such as `fullwidth` rewrite it for the steps after.
    pub text: String,
    /// For value cells: the unit of the row, which decides how a bare fraction reads.
    pub unit: String,
    pub out: Out,
    /// Things worth a person's look that do not stop the value being used.
    pub warnings: Vec<String>,
}

impl Cell {
    pub fn new(input: Value, text: String) -> Cell {
        Cell { input, text, unit: String::new(), out: Out::Pending, warnings: Vec::new() }
    }
}

/// What the steps made of a cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Out {
    /// No step has produced a typed value; the cell's text stands.
    Pending,
    Number(number::Number),
    Status(Option<String>),
    Header(era::HeaderKind, Option<i32>),
    Date(era::Date),
    Department(String),
    /// The cell could not be read; the reason is for a person.
    Unreadable(String),
}

/// A normalization step. Implementations see a whole column of one role at a time.
pub trait Step: Send + Sync {
    fn name(&self) -> &str;
    /// The roles this step is applied to.
    fn roles(&self) -> &[Role];
    fn apply(&self, role: Role, cells: &mut [Cell]);
}

/// The steps of a pipeline, applied in the order the pipeline lists them.
pub struct Normalizer {
    steps: Vec<Box<dyn Step>>,
}

impl Normalizer {
    pub fn new(steps: Vec<Box<dyn Step>>) -> Normalizer {
        Normalizer { steps }
    }

    pub fn step_names(&self) -> Vec<&str> {
        self.steps.iter().map(|s| s.name()).collect()
    }

    pub fn run(&self, role: Role, cells: &mut [Cell]) {
        for step in &self.steps {
            if step.roles().contains(&role) {
                step.apply(role, cells);
            }
        }
    }

    /// Normalize one cell alone (a department or date cell above the table).
    pub fn one(&self, role: Role, input: Value, text: String) -> Cell {
        let mut cells = [Cell::new(input, text)];
        self.run(role, &mut cells);
        let [cell] = cells;
        cell
    }
}

/// Options given to a step in the pipeline, already checked for shape.
pub type Options = BTreeMap<String, OptionValue>;

#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    Bool(bool),
    Number(f64),
    Text(String),
    List(Vec<String>),
    Map(BTreeMap<String, Vec<String>>),
}
