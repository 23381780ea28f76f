//! The pipeline: a YAML file declaring one collection. Loading is two steps (as ripgrep's
//! low-level and high-level arguments): `raw` mirrors the YAML and refuses unknown keys,
//! `check` turns it into a [`Pipeline`] with patterns compiled, steps built and the roster
//! read, and reports every problem at once with its line and column.

mod check;
mod errors;
pub mod lock;
mod plugins;
pub mod raw;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use regex::Regex;

use crate::layout::Layout;
use crate::messages::{Lang, Msg};
use torimatome_ja_core::era::Period;
use crate::normalize::Normalizer;
use crate::plugin::Plugin;
pub use spanned_yaml::Pos;

/// A checked pipeline, ready to run.
pub struct Pipeline {
    /// The pipeline file itself.
    pub path: PathBuf,
    pub name: String,
    /// The pipeline file's own SHA-256, so a book says which pipeline made it.
    pub sha256: String,
    pub inbox: PathBuf,
    pub output: PathBuf,
    pub include: Vec<Regex>,
    pub exclude: Vec<Regex>,
    /// The period collected; None when the files say it (the period most of them state).
    pub period: Option<Period>,
    pub period_checks: Vec<PeriodSource>,
    /// Roster departments with their aliases, in roster order.
    pub roster: Vec<(String, Vec<String>)>,
    /// Squashed labels next to which a workbook names its department.
    pub department_labels: Vec<String>,
    pub department_from_file_name: bool,
    pub report_date_labels: Vec<String>,
    pub revision_marks: Vec<Regex>,
    pub order: Vec<OrderKey>,
    pub layouts: Vec<Layout>,
    /// The pipeline's steps; a layout may bring its own.
    pub normalizer: Normalizer,
    /// The plugins loaded, in the order the pipeline names them.
    pub plugins: Vec<Arc<Plugin>>,
    pub title: String,
    pub limits: crate::workbook::Limits,
    /// The passwords the pipeline's passwords file gives, by file-name pattern.
    pub passwords: Passwords,
    /// The creation time written into the book.
    pub created: crate::model::Created,
    /// The book is a summary (`book.summary`): the rows go to the records only, and are
    /// kept on disk rather than in memory while the inbox is read.
    pub summary: bool,
    /// How each indicator's achievement is measured, first match first.
    pub rules: Vec<crate::model::AchievementRule>,
    /// The last period's manifest (or its book) to compare with (前期比); `run --previous`
    /// sets it too. Checked when the run starts, before the inbox is read.
    pub previous: Option<PathBuf>,
}

/// Passwords for files that open only with one, each for the file names its pattern
/// matches. Never printed: `Debug` shows the patterns alone.
#[derive(Clone, Default)]
pub struct Passwords {
    entries: Vec<(Regex, String)>,
    /// A SHA-256 of the whole file, for the rerun cache: a password added later must
    /// read the file afresh.
    pub digest: String,
}

impl Passwords {
    pub fn new(entries: Vec<(Regex, String)>, digest: String) -> Passwords {
        Passwords { entries, digest }
    }

    /// The passwords to try on a file, in the order the file lists them.
    pub fn for_file(&self, name: &str) -> Vec<&str> {
        self.entries.iter().filter(|(pattern, _)| pattern.is_match(name)).map(|(_, password)| password.as_str()).collect()
    }
}

impl fmt::Debug for Passwords {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.entries.iter().map(|(pattern, _)| pattern.as_str())).finish()
    }
}

/// Where a file states which period it reports on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodSource {
    FileName,
    Title,
}

/// What decides between two files of one department.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderKey {
    ReportDate,
    Revision,
    FileName,
}

/// A problem in a pipeline file, at a line and column.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub pos: Pos,
    pub message: Msg,
}

impl ConfigError {
    /// `file:line:column: message`, the message in `lang` (editors jump to the place).
    pub fn render(&self, lang: Lang) -> String {
        format!("{}:{}:{}: {}", self.path.display(), self.pos.line, self.pos.col, self.message.text(lang))
    }
}

/// Load and check a pipeline file, its plugins held to the pins of its lock file. Every
/// problem comes back at once.
pub fn load(path: &Path) -> Result<Pipeline, Vec<ConfigError>> {
    let pins = lock::read(path).map_err(|message| vec![ConfigError { path: path.to_path_buf(), pos: Pos { line: 0, col: 0 }, message }])?;
    load_with(path, Some(&pins))
}

/// Load a pipeline whatever its plugins' pins say (for `verify` and `lock`, which report
/// or accept changed plugins).
pub fn load_unpinned(path: &Path) -> Result<Pipeline, Vec<ConfigError>> {
    load_with(path, None)
}

fn load_with(path: &Path, pins: Option<&lock::Pins>) -> Result<Pipeline, Vec<ConfigError>> {
    let at_file = |message: Msg| vec![ConfigError { path: path.to_path_buf(), pos: Pos { line: 0, col: 0 }, message }];
    let bytes = std::fs::read(path).map_err(|e| at_file(Msg::new("config-read").arg("why", e.to_string())))?;
    let source = String::from_utf8(bytes.clone()).map_err(|_| at_file(Msg::new("config-not-utf8")))?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let at = |pos: Pos, message: Msg| ConfigError { path: path.to_path_buf(), pos, message };
    // The shape problems and, for what has the right shape, the checks' problems: all at once.
    let (raw, shape_problems) = spanned_yaml::from_str_partial::<raw::RawPipeline>(&source);
    // The shape problems are the YAML reader's own words (spanned-yaml, serde): as they are.
    let mut errors: Vec<ConfigError> = shape_problems.into_iter().map(|p| at(p.pos, p.message.into())).collect();
    if let Some(raw) = raw {
        match check::check(raw, &dir, crate::digest::sha256_hex(&bytes), pins.map(|p| (p, path))) {
            Ok(mut pipeline) if errors.is_empty() => {
                pipeline.path = path.to_path_buf();
                return Ok(pipeline);
            }
            Ok(_) => {}
            Err(problems) => errors.extend(problems.into_iter().map(|(pos, message)| at(pos, message))),
        }
    }
    errors.sort_by_key(|a| a.pos);
    Err(errors)
}
