//! The catalogue: every word torimatome says, about a file, a cell, a pipeline or a run,
//! and what to do about it. Readers and deciders record *what happened* as an [`Issue`] (or
//! a [`ReadError`](crate::workbook::ReadError), a [`Msg`]) with its facts; the words are made
//! here, when the book, the records or the command line show them, and never compared as
//! text. They are Project Fluent messages, one file per language beside this one
//! (`messages/ja.ftl`, `messages/en.ftl`, the same ids in both): the book always speaks
//! Japanese ([`Lang::Ja`]); the command line speaks the language it is given.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};
use torimatome_ja_core::era::Period;

use crate::workbook::{NotWorkbook, ReadError};

/// The canonical statuses in the order the book shows them; blank status is counted apart.
pub const STATUSES: [&str; 4] = ["達成", "推進中", "課題あり", "取組なし"];
/// How the book names a project whose status cell was blank or unreadable.
pub const NO_STATUS: &str = "未記入";
/// The grades an evaluation list uses, in the order the book shows them.
pub const GRADES: [&str; 4] = ["A", "B", "C", "D"];
/// How the book counts a grade that is none of them (未評価, E).
pub const OTHER_GRADE: &str = "その他";

/// Something a person must look at, or the reason a file does not count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Issue {
    // Why a file does not count.
    /// An Excel owner (lock) file, `~$…`.
    LockFile,
    HiddenFile,
    /// The pipeline's `files.exclude`.
    Excluded,
    /// Not a workbook by its name (`files.include`).
    NotWorkbookName,
    CannotOpen { why: String },
    /// A zip archive of the inbox whose files cannot be listed or unpacked.
    ArchiveUnreadable { why: String },
    /// A file of a zip archive that is encrypted, and no password given opens it.
    ArchivePassword,
    Unreadable(ReadError),
    /// torimatome's own reader failed (panicked) on the file.
    ReaderFailed { why: String },
    /// Every sheet of the file that a plugin layout tried, it failed on.
    LayoutPluginFailed { failures: Vec<String> },
    WrongTemplate { sheet: String, missing: Vec<String> },
    NoLayout { sheets: Vec<String> },
    DepartmentNotOnRoster { why: String },
    NoDepartmentAnywhere,
    /// A file that was read but whose department no rule gave.
    NoDepartment,
    AnotherPeriod { stated: Period, expected: Period },
    Superseded { by: String },
    /// The pipeline's order could not tell which of a department's files is newest.
    Undecided { winner: String, others: Vec<String> },

    // What is wrong in a file that counts, at a sheet or a cell.
    /// The department cell names no roster department.
    DepartmentCellNotOnRoster { why: String },
    /// A department written with look-alike letters: counted, to be retyped.
    DepartmentLookalike { warning: String },
    /// A department on a row of a list that is not on the roster.
    RowDepartment { why: String },
    LayoutFailed { layout: String, why: String },
    StepFailed { step: String, role: String, why: String },
    /// A value cell a step could not read; the step's reason.
    Value { why: String },
    /// A value read, with something worth a person's look.
    ValueWarning { warning: String },
    /// A status mark the vocabulary does not have; the step's reason.
    Status { why: String },
    StatusNotCounted { label: String },
    /// A name (goal, measure, project, indicator) worth a look (look-alike letters).
    TextWarning { warning: String },
    NoProject,
    MissingColumn { name: String, rows: usize },
    ValueHeader,
    ReportDate { why: String },
    /// A problem a plugin layout found, in its own words.
    Plugin { what: String, todo: String },
}

impl Issue {
    /// What is wrong, in the book's words (Japanese).
    pub fn what(&self) -> String {
        self.what_in(Lang::Ja)
    }

    /// What to do about it, in the book's words (Japanese); empty when nothing is to be done.
    pub fn todo(&self) -> &str {
        match self {
            Issue::Plugin { todo, .. } => todo,
            _ => self.todo_id().map(|id| fixed(Lang::Ja, id)).unwrap_or_default(),
        }
    }

    /// What is wrong, in `lang`. Texts a plugin gave (a step's reason, a warning) are
    /// inserted as they are.
    pub fn what_in(&self, lang: Lang) -> String {
        let t = |id: &str, args: &[(&str, Arg)]| text(lang, id, args);
        match self {
            Issue::LockFile => t("lock-file", &[]),
            Issue::HiddenFile => t("hidden-file", &[]),
            Issue::Excluded => t("excluded", &[]),
            Issue::NotWorkbookName => t("not-workbook-name", &[]),
            Issue::CannotOpen { .. } => t("cannot-open", &[]),
            Issue::ArchiveUnreadable { .. } => t("archive-unreadable", &[]),
            Issue::ArchivePassword => t("archive-password", &[]),
            Issue::Unreadable(e) => read_error(lang, e),
            Issue::ReaderFailed { .. } => t("reader-failed", &[]),
            Issue::LayoutPluginFailed { failures } => t("layout-plugin-failed", &[("failures", failures.join("; ").into())]),
            Issue::WrongTemplate { sheet, missing } => {
                t("wrong-template", &[("sheet", sheet.into()), ("missing", missing.join("・").into())])
            }
            Issue::NoLayout { sheets } => {
                // A workbook may have a thousand sheets: the first few say what it is.
                const NAMED: usize = 10;
                let named = sheets.iter().take(NAMED).map(String::as_str).collect::<Vec<_>>().join(", ");
                let named = if sheets.len() > NAMED {
                    t("no-layout-more", &[("sheets", named.into()), ("more", (sheets.len() - NAMED).into())])
                } else {
                    named
                };
                t("no-layout", &[("sheets", named.into())])
            }
            // One problem, one wording, whether it keeps a file out, is noted at a file's
            // department cell, or on a row of a list: the step's words say which name.
            Issue::DepartmentNotOnRoster { why } | Issue::DepartmentCellNotOnRoster { why } | Issue::RowDepartment { why } => {
                t("department-not-on-roster", &[("why", why.into())])
            }
            Issue::NoDepartmentAnywhere => t("no-department-anywhere", &[]),
            Issue::NoDepartment => t("no-department", &[]),
            Issue::AnotherPeriod { stated, expected } => {
                let shown = |p: &Period| if lang == Lang::Ja { p.label_ja() } else { p.to_string() };
                t("another-period", &[("stated", shown(stated).into()), ("expected", shown(expected).into())])
            }
            Issue::Superseded { by } => superseded_by(lang, by),
            Issue::Undecided { winner, others } => {
                t("undecided", &[("winner", winner.into()), ("others", others.join(if lang == Lang::Ja { "、" } else { ", " }).into())])
            }
            Issue::DepartmentLookalike { warning } | Issue::ValueWarning { warning } | Issue::TextWarning { warning } => warning.clone(),
            // What the plugin or the boundary said is a detail, apart (`Issue::detail`).
            Issue::LayoutFailed { layout, .. } => t("layout-failed", &[("layout", layout.into())]),
            Issue::StepFailed { step, role, .. } => t("step-failed", &[("step", step.into()), ("role", role.into())]),
            Issue::Value { why } | Issue::Status { why } | Issue::ReportDate { why } => why.clone(),
            Issue::StatusNotCounted { label } => {
                t("status-not-counted", &[("label", label.into()), ("statuses", STATUSES.join("・").into())])
            }
            Issue::NoProject => t("no-project", &[]),
            Issue::MissingColumn { name, rows } => t("missing-column", &[("name", name.into()), ("rows", (*rows).into())]),
            Issue::ValueHeader => t("value-header", &[]),
            Issue::Plugin { what, .. } => what.clone(),
        }
    }

    /// What to do about it, in `lang`; empty when nothing is to be done.
    pub fn todo_in(&self, lang: Lang) -> String {
        match self {
            Issue::Plugin { todo, .. } => todo.clone(),
            _ => self.todo_id().map(|id| text(lang, id, &[])).unwrap_or_default(),
        }
    }

    /// The catalogue's id of what to do; None when there is nothing to do (or a plugin said).
    /// The same problem has the same advice wherever it is listed.
    fn todo_id(&self) -> Option<&'static str> {
        Some(match self {
            Issue::LockFile | Issue::HiddenFile | Issue::Excluded | Issue::NotWorkbookName => return None,
            Issue::LayoutPluginFailed { .. } | Issue::Plugin { .. } => return None,
            Issue::CannotOpen { .. } => "cannot-open-todo",
            Issue::ArchiveUnreadable { .. } => "archive-unreadable-todo",
            Issue::ArchivePassword => "archive-password-todo",
            Issue::Unreadable(ReadError::PasswordProtected) => "password-protected-todo",
            Issue::Unreadable(ReadError::OldExcel { .. }) => "old-excel-todo",
            Issue::Unreadable(ReadError::Corrupt(_)) => "corrupt-todo",
            Issue::Unreadable(_) => "unreadable-todo",
            Issue::ReaderFailed { .. } => "reader-failed-todo",
            Issue::WrongTemplate { .. } => "wrong-template-todo",
            Issue::NoLayout { .. } => "no-layout-todo",
            Issue::DepartmentNotOnRoster { .. } | Issue::DepartmentCellNotOnRoster { .. } | Issue::RowDepartment { .. } => {
                "department-not-on-roster-todo"
            }
            Issue::NoDepartmentAnywhere | Issue::NoDepartment => "no-department-todo",
            Issue::AnotherPeriod { .. } => "another-period-todo",
            Issue::Superseded { .. } => "superseded-todo",
            Issue::Undecided { .. } => "undecided-todo",
            Issue::DepartmentLookalike { .. } => "department-lookalike-todo",
            Issue::TextWarning { .. } => "text-warning-todo",
            Issue::LayoutFailed { .. } => "layout-failed-todo",
            Issue::StepFailed { .. } => "step-failed-todo",
            Issue::Value { .. } => "value-todo",
            Issue::ValueWarning { .. } => "value-warning-todo",
            Issue::Status { .. } => "status-todo",
            Issue::StatusNotCounted { .. } => "status-not-counted-todo",
            Issue::NoProject => "no-project-todo",
            Issue::MissingColumn { .. } => "missing-column-todo",
            Issue::ValueHeader => "value-header-todo",
            Issue::ReportDate { .. } => "report-date-todo",
        })
    }

    /// The technical detail behind it, in the words of the reader or the system that
    /// failed, for whoever looks into it: a column of its own, apart from what a person reads.
    pub fn detail(&self) -> Option<&str> {
        match self {
            Issue::Unreadable(ReadError::Corrupt(why))
            | Issue::ReaderFailed { why }
            | Issue::ArchiveUnreadable { why }
            | Issue::CannotOpen { why }
            | Issue::LayoutFailed { why, .. }
            | Issue::StepFailed { why, .. } => Some(why),
            _ => None,
        }
    }
}

/// Why a file does not count when a later one of its department replaced it: the same words
/// in 入力ファイル, 問題一覧 and on the command line.
pub fn superseded_by(lang: Lang, by: &str) -> String {
    text(lang, "superseded", &[("by", by.into())])
}

/// What became of a file, in a word (取りまとめ済), by the name the manifest gives it
/// (`consolidated`, `superseded`, `ignored`, `error`: `model::Outcome::as_str`).
pub fn outcome_label(lang: Lang, outcome: &str) -> String {
    text(lang, &format!("outcome-{outcome}"), &[])
}

/// What a [`ReadError`] is, in `lang`; its `Display` is the book's words (Japanese).
pub fn read_error(lang: Lang, e: &ReadError) -> String {
    let t = |id: &str, args: &[(&str, Arg)]| text(lang, id, args);
    match e {
        ReadError::ZeroBytes => t("zero-bytes", &[]),
        ReadError::PasswordProtected => t("password-protected", &[]),
        ReadError::Truncated => t("truncated", &[]),
        ReadError::TooLarge { part, limit } => t("too-large", &[("part", part.into()), ("limit", (limit / (1024 * 1024)).into())]),
        ReadError::TooManyCells { part, cells } => t("too-many-cells", &[("part", part.into()), ("cells", (*cells).into())]),
        ReadError::BeyondGrid { sheet, row, col } => {
            t("beyond-grid", &[("sheet", sheet.into()), ("row", (*row).into()), ("col", (*col).into())])
        }
        ReadError::NotAWorkbook(what) => {
            let what = match what {
                NotWorkbook::Text => t("not-a-workbook-text", &[]),
                NotWorkbook::Pdf => t("not-a-workbook-pdf", &[]),
                NotWorkbook::Unknown => t("not-a-workbook-unknown", &[]),
            };
            t("not-a-workbook", &[("what", what.into())])
        }
        ReadError::OldExcel { biff } => t("old-excel", &[("biff", (*biff).into())]),
        ReadError::NoSheets => t("no-sheets", &[]),
        ReadError::SectorLoop => t("sector-loop", &[]),
        // What the format's reader said is a detail, apart (`Issue::detail`).
        ReadError::Corrupt(_) => t("corrupt", &[]),
    }
}

impl fmt::Display for ReadError {
    /// The book's words (Japanese); [`read_error`] gives them in another language.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&read_error(Lang::Ja, self))
    }
}

/// The languages torimatome speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    /// `ja` or `en`, as `--lang` takes them.
    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language for a locale as a system names it (`ja_JP.UTF-8`, `ja-JP`, `en-US`, `C`):
    /// Japanese for Japanese, English for everything else.
    pub fn of_locale(locale: &str) -> Lang {
        if locale.trim().to_ascii_lowercase().starts_with("ja") {
            Lang::Ja
        } else {
            Lang::En
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// The catalogue's source text for this language.
    pub fn source(self) -> &'static str {
        match self {
            Lang::Ja => include_str!("messages/ja.ftl"),
            Lang::En => include_str!("messages/en.ftl"),
        }
    }
}

/// An argument of a message: text goes in as it is; a number can choose a plural form.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Number(f64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Text(s.clone())
    }
}
macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Arg {
                Arg::Number(n as f64)
            }
        }
    )*};
}
number_arg!(u8, u16, u32, u64, usize, i32, i64);

/// A message not yet in words: the catalogue's id and the facts it needs. A pipeline's
/// problems are collected as these, and worded in the language of whoever reads them.
#[derive(Debug, Clone, PartialEq)]
pub struct Msg {
    pub id: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

impl Msg {
    pub fn new(id: &'static str) -> Msg {
        Msg { id, args: Vec::new() }
    }

    /// The message with one more argument.
    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Msg {
        self.args.push((name, value.into()));
        self
    }

    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let args: Vec<(&str, Arg)> = self.args.iter().map(|(n, a)| (*n, a.clone())).collect();
        text(lang, self.id, &args)
    }
}

/// Text that is no message of the catalogue (a parser's own words), shown as it is.
impl From<String> for Msg {
    fn from(text: String) -> Msg {
        Msg::new("config-verbatim").arg("text", text)
    }
}

impl From<&str> for Msg {
    fn from(text: &str) -> Msg {
        Msg::from(text.to_string())
    }
}

/// One language's messages, parsed once; and those that take no argument, worded once.
struct Catalogue {
    bundle: FluentBundle<FluentResource>,
    fixed: HashMap<String, String>,
}

fn catalogue(lang: Lang) -> &'static Catalogue {
    static CATALOGUES: OnceLock<[Catalogue; 2]> = OnceLock::new();
    let all = CATALOGUES.get_or_init(|| Lang::ALL.map(build));
    match lang {
        Lang::Ja => &all[0],
        Lang::En => &all[1],
    }
}

fn build(lang: Lang) -> Catalogue {
    // A syntax error or a duplicate id leaves that message out; tests/it/messages.rs checks
    // that neither file has any, and that both have the same ids.
    let resource = FluentResource::try_new(lang.source().to_string()).unwrap_or_else(|(resource, _)| resource);
    let ids = ids(lang);
    let mut bundle = FluentBundle::new_concurrent(vec![lang.code().parse().unwrap_or_default()]);
    // Fluent marks each argument with Unicode isolation marks for right-to-left scripts;
    // in a cell or on a terminal they are invisible junk.
    bundle.set_use_isolating(false);
    let _ = bundle.add_resource(resource);
    let mut catalogue = Catalogue { bundle, fixed: HashMap::new() };
    for id in ids {
        let worded = format(&catalogue.bundle, &id, None);
        catalogue.fixed.insert(id, worded);
    }
    catalogue
}

/// The ids of the messages in a catalogue's source, in the order written: each message
/// starts a line with its id and ` =` (Fluent's syntax; a `-term` is no message).
pub fn ids(lang: Lang) -> Vec<String> {
    lang.source()
        .lines()
        .filter_map(|line| {
            let (id, _) = line.split_once(" =")?;
            let starts = id.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
            (starts && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')).then(|| id.to_string())
        })
        .collect()
}

/// The problems of a catalogue's source: syntax errors, as Fluent reports them.
pub fn syntax_errors(lang: Lang) -> Vec<String> {
    match FluentResource::try_new(lang.source().to_string()) {
        Ok(_) => Vec::new(),
        Err((_, errors)) => errors.iter().map(|e| format!("{e:?}")).collect(),
    }
}

fn format(bundle: &FluentBundle<FluentResource>, id: &str, args: Option<&FluentArgs>) -> String {
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        // An id the catalogue lacks shows as itself: a test finds it, a user sees no panic.
        return id.to_string();
    };
    let mut errors = Vec::new();
    bundle.format_pattern(pattern, args, &mut errors).into_owned()
}

/// The message `id` in `lang`, its arguments put in.
pub fn text(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    let c = catalogue(lang);
    if args.is_empty() {
        if let Some(fixed) = c.fixed.get(id) {
            return fixed.clone();
        }
    }
    let mut fluent = FluentArgs::new();
    for (name, arg) in args {
        match arg {
            Arg::Text(s) => fluent.set(*name, FluentValue::from(s.as_str())),
            Arg::Number(n) => fluent.set(*name, FluentValue::from(*n)),
        }
    }
    format(&c.bundle, id, Some(&fluent))
}

/// A message that takes no argument, in `lang`, borrowed from the catalogue.
pub fn fixed(lang: Lang, id: &str) -> &'static str {
    catalogue(lang).fixed.get(id).map(String::as_str).unwrap_or_default()
}
