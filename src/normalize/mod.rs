//! Normalizing: the cells a layout found, one column at a time, become typed values.
//!
//! Every normalization is a [`Step`] named in the pipeline. The steps come from plugins
//! (`plugin` loads them through the C boundary); this module only knows the trait, the
//! cells on their way through, and the chain that applies the steps in order. A step sees
//! a whole column of one role at once, never a call per cell. This module never touches
//! files.
//!
//! The Japanese text, era, number and status functions live in `torimatome-ja-core`, which
//! the `torimatome-ja` plugin wraps as steps; the stages of torimatome that read text
//! themselves (periods in file names, header texts) import that crate directly.

use crate::workbook::Value;
pub use torimatome_plugin_api::{CellIn, CellOut, Output, Role, ROLES};

/// One cell on its way through the steps.
#[derive(Debug, Clone)]
pub struct Cell {
    /// The value as the reader typed it.
    pub input: Value,
    /// The text a person sees; steps such as `fullwidth` rewrite it for the steps after.
    pub text: String,
    /// For value cells: the unit of the row, which decides how a bare fraction reads.
    pub unit: String,
    pub out: Output,
    /// Things worth a person's look that do not stop the value being used.
    pub warnings: Vec<String>,
}

impl Cell {
    pub fn new(input: Value, text: String) -> Cell {
        Cell { input, text, unit: String::new(), out: Output::Pending, warnings: Vec::new() }
    }

    /// The cell as a step sees it.
    pub fn view(&self) -> CellIn<'_> {
        CellIn { value: self.input.as_cell_value(), text: &self.text, unit: &self.unit }
    }

    /// Take a step's result: new text for the next step, the output, a warning.
    pub fn take(&mut self, result: CellOut) {
        if let Some(text) = result.text {
            self.text = text;
        }
        if result.output != Output::Pending {
            self.out = result.output;
        }
        self.warnings.extend(result.warning);
    }
}

/// A normalization step as the host runs it.
pub trait Step: Send + Sync {
    /// `plugin/step`, for messages.
    fn name(&self) -> &str;
    /// The roles this step is applied to.
    fn roles(&self) -> &[Role];
    /// Apply the step to a column. An error (a plugin that panicked or answered
    /// nonsense) leaves the cells as they were, and says why.
    fn apply(&self, role: Role, cells: &mut [Cell]) -> Result<(), String>;
}

/// A step that failed on a column: which step, on what, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct StepFailure {
    pub step: String,
    pub role: Role,
    pub why: String,
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

    /// Run every step that applies to `role`; the run goes on past a failed step.
    pub fn run(&self, role: Role, cells: &mut [Cell]) -> Vec<StepFailure> {
        let mut failures = Vec::new();
        for step in self.steps.iter().filter(|s| s.roles().contains(&role)) {
            if let Err(why) = step.apply(role, cells) {
                failures.push(StepFailure { step: step.name().to_string(), role, why });
            }
        }
        failures
    }

    /// Normalize one cell alone (a department or date cell above the table).
    pub fn one(&self, role: Role, input: Value, text: String) -> (Cell, Vec<StepFailure>) {
        let mut cells = [Cell::new(input, text)];
        let failures = self.run(role, &mut cells);
        let [cell] = cells;
        (cell, failures)
    }
}
