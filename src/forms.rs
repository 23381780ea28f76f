//! The edge of what goes back to the departments: `template` (the next period's form for
//! each department on the roster, in the KPI-table layout the pipeline reads, prefilled
//! from the last period's book) and `run --feedback` (差し戻し: for each department with
//! problems, a copy of its workbook with each problem cell marked and a text to paste
//! into an e-mail). The forms and copies are laid out by `book::template` and
//! `book::feedback`; this module decides what goes in, reads the pipeline, the last
//! book and the inbox, and writes the files. It never writes into the inbox.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use regex::Regex;
use torimatome_ja_core::era::{Half, Period};

use crate::book::feedback::{self, Edit};
use crate::book::template::{Form, FormCell, FormRow};
use crate::manifest::Manifest;
use crate::messages::{self, Arg, Lang, STATUSES};
use crate::model::{Consolidation, Problem};
use crate::pipeline::raw::{RawLayout, RawOption, RawPipeline, RawStep};
use crate::pipeline::Pipeline;
use crate::workbook::{self, Value};
use crate::{inbox, paths};

/// Why no form or feedback was written.
#[derive(Debug)]
pub enum FormsError {
    /// The pipeline declares no KPI table with values (a `kind: table` layout with
    /// `values` and a two-row header) to make a form of.
    NoTable,
    /// The pipeline leaves the period to the files, and none was given.
    NoPeriod,
    /// The last period's manifest or book could not be read: the path and why.
    Previous(PathBuf, String),
    /// An output cannot be written: the path and why.
    Output(PathBuf, String),
    /// The folder is inside the inbox, where the next run would read what goes there.
    InInbox(PathBuf),
}

impl FormsError {
    pub fn text(&self, lang: Lang) -> String {
        let path = |p: &Path| Arg::from(p.display().to_string());
        match self {
            FormsError::NoTable => messages::text(lang, "template-no-table", &[]),
            FormsError::NoPeriod => messages::text(lang, "template-no-period", &[]),
            FormsError::Previous(p, why) => messages::text(lang, "template-previous-unreadable", &[("path", path(p)), ("why", why.into())]),
            FormsError::Output(p, why) => messages::text(lang, "output-unwritable", &[("path", path(p)), ("why", why.into())]),
            FormsError::InInbox(p) => messages::text(lang, "feedback-in-inbox", &[("path", path(p))]),
        }
    }
}

/// The period after `p`: 上期 → 下期 of the same fiscal year, 下期 → 上期 of the next.
pub fn next_period(p: Period) -> Period {
    match p.half {
        Half::First => Period { fiscal_year: p.fiscal_year, half: Half::Second },
        Half::Second => Period { fiscal_year: p.fiscal_year + 1, half: Half::First },
    }
}

/// A fiscal year as forms write it short: R5, R1, H30 (a western year before 平成).
pub fn era_short(fiscal_year: i32) -> String {
    match fiscal_year {
        y if y >= 2019 => format!("R{}", y - 2018),
        y if y >= 1989 => format!("H{}", y - 1988),
        y => y.to_string(),
    }
}

/// The file name of a department's form: `R5上期_市民課.xlsx`.
pub fn form_file_name(period: Period, department: &str) -> String {
    let safe: String = department.chars().map(|c| if "\\/:*?\"<>|".contains(c) || c.is_control() { '_' } else { c }).collect();
    format!("{}{}_{}.xlsx", era_short(period.fiscal_year), period.half.label_ja(), safe)
}

/// An indicator row of the last period's book (its 進捗一覧), as forms prefill it.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviousRow {
    pub department: String,
    /// The sheet of the department's file it was read from (出典 `file!sheet`).
    pub sheet: String,
    pub goal: String,
    pub measure: String,
    pub project: String,
    pub indicator: String,
    pub unit: String,
    pub baseline: FormCell,
    pub baseline_year: Option<i32>,
    pub plans: BTreeMap<i32, FormCell>,
}

/// The book's own words for 進捗一覧 and its columns (book/progress.rs writes them).
const PROGRESS_SHEET: &str = "進捗一覧";
const NO_INDICATOR: &str = "(指標なし)";

/// The rows of 進捗一覧 (and 進捗一覧 (2) …) of the book a manifest names.
pub fn previous_rows(manifest_path: &Path) -> Result<Vec<PreviousRow>, FormsError> {
    let failed = |p: &Path, why: String| FormsError::Previous(p.to_path_buf(), why);
    let manifest_path = if manifest_path.extension().is_some_and(|e| e == "json") {
        manifest_path.to_path_buf()
    } else {
        crate::manifest::path_for(manifest_path)
    };
    let source = std::fs::read_to_string(&manifest_path).map_err(|e| failed(&manifest_path, e.to_string()))?;
    let manifest: Manifest = serde_json::from_str(&source).map_err(|e| failed(&manifest_path, e.to_string()))?;
    let book_path = manifest_path.parent().unwrap_or(Path::new(".")).join(&manifest.book.path);
    let bytes = std::fs::read(&book_path).map_err(|e| failed(&book_path, e.to_string()))?;
    let book = workbook::read(&bytes, &workbook::Limits::default()).map_err(|e| failed(&book_path, messages::read_error(Lang::Ja, &e)))?;
    Ok(rows_of_book(&book))
}

/// The indicator rows of a progress book's 進捗一覧 sheets, read by their headers.
pub fn rows_of_book(book: &workbook::Workbook) -> Vec<PreviousRow> {
    let plan_header = Regex::new(r"^(\d{4})年度 計画値$").ok();
    let mut out = Vec::new();
    for sheet in book.sheets.iter().filter(|s| s.name == PROGRESS_SHEET || s.name.starts_with(&format!("{PROGRESS_SHEET} ("))) {
        let headers: Vec<(u32, String)> = sheet.filled(0).map(|(c, v)| (c, v.display())).collect();
        let col = |name: &str| headers.iter().find(|(_, h)| h == name).map(|(c, _)| *c);
        let plans: Vec<(i32, u32)> = headers
            .iter()
            .filter_map(|(c, h)| Some((plan_header.as_ref()?.captures(h)?.get(1)?.as_str().parse().ok()?, *c)))
            .collect();
        let column_text = |row: u32, name: &str| col(name).map(|c| sheet.get(row, c).display()).unwrap_or_default();
        let cell = |row: u32, c: Option<u32>| match c.map(|c| sheet.get(row, c)) {
            Some(Value::Number { value, .. }) => FormCell::Number(*value),
            Some(Value::Text(t)) if !t.trim().is_empty() => FormCell::Text(t.clone()),
            _ => FormCell::Blank,
        };
        for row in 1..sheet.height() {
            if column_text(row, "事業名").is_empty() {
                continue;
            }
            let indicator = column_text(row, "指標名");
            let source = column_text(row, "出典");
            out.push(PreviousRow {
                department: column_text(row, "担当課"),
                sheet: source.rsplit_once('!').map(|(_, s)| s.to_string()).unwrap_or_default(),
                goal: column_text(row, "基本目標"),
                measure: column_text(row, "施策"),
                project: column_text(row, "事業名"),
                indicator: if indicator == NO_INDICATOR { String::new() } else { indicator },
                unit: column_text(row, "単位"),
                baseline: cell(row, col("基準値")),
                baseline_year: column_text(row, "基準年度").parse().ok(),
                plans: plans.iter().map(|&(y, c)| (y, cell(row, Some(c)))).filter(|(_, v)| *v != FormCell::Blank).collect(),
            });
        }
    }
    out
}

/// What `template` wrote.
pub struct Written {
    pub period: Period,
    pub files: Vec<PathBuf>,
}

/// The next period's form for every department of the roster, into `out`. The period is
/// `period` when given, else the one after the pipeline's.
pub fn template(pipeline: &Pipeline, out: &Path, previous: Option<&Path>, period: Option<Period>) -> Result<Written, FormsError> {
    let period = period.or(pipeline.period.map(next_period)).ok_or(FormsError::NoPeriod)?;
    let source = std::fs::read_to_string(&pipeline.path).map_err(|e| FormsError::Previous(pipeline.path.clone(), e.to_string()))?;
    let (raw, _) = spanned_yaml::from_str_partial::<RawPipeline>(&source);
    let raw = raw.ok_or(FormsError::NoTable)?;
    let (index, layout) = raw
        .layouts
        .iter()
        .enumerate()
        .find(|(_, l)| l.value.kind.value == "table" && l.value.values.is_some() && l.value.header.rows >= 2)
        .ok_or(FormsError::NoTable)?;
    let layout = &layout.value;
    let sheets = pipeline.layouts.get(index).map(|l| l.sheets.clone()).unwrap_or_default();
    let previous = previous.map(previous_rows).transpose()?.unwrap_or_default();
    // The rows the layout read last time: from sheets it reads (not cards, not A–D lists).
    let previous: Vec<PreviousRow> = previous.into_iter().filter(|r| sheets.iter().any(|re| re.is_match(&r.sheet))).collect();
    let plan = Plan::of(&raw, layout, &sheets, &previous, period);
    std::fs::create_dir_all(out).map_err(|e| FormsError::Output(out.to_path_buf(), e.to_string()))?;
    let mut files = Vec::new();
    for (department, _) in &pipeline.roster {
        let form = plan.form(department, &previous, pipeline.created);
        let bytes = crate::book::template::write(&form).map_err(|e| FormsError::Output(out.to_path_buf(), e))?;
        let path = out.join(form_file_name(period, department));
        write_file(&path, &bytes)?;
        files.push(path);
    }
    Ok(Written { period, files })
}

/// What every form of one template run shares.
struct Plan {
    period: Period,
    sheet: String,
    title_of: String,
    labels: Vec<(String, bool)>,
    /// The field roles and their header texts, in the order of the form.
    fields: Vec<(&'static str, String)>,
    group: String,
    baseline_year: i32,
    plan_years: Vec<i32>,
    actual_group: String,
    status: Option<String>,
    notes: Vec<String>,
    /// Marks of each status, in the book's order of statuses.
    vocabulary: Vec<(String, Vec<String>)>,
    gap: u32,
}

const FIELD_ROLES: [&str; 5] = ["goal", "measure", "project", "indicator", "unit"];

impl Plan {
    fn of(raw: &RawPipeline, layout: &RawLayout, sheets: &[Regex], previous: &[PreviousRow], period: Period) -> Plan {
        let first = |role: &str| layout.columns.iter().find(|(k, _)| k.value == role).and_then(|(_, v)| v.first()).map(|s| s.value.clone());
        let fields = FIELD_ROLES.iter().filter_map(|role| Some((*role, first(role)?))).collect();
        let values = layout.values.as_ref();
        let group = values.and_then(|v| v.groups.first()).map(|s| s.value.clone()).unwrap_or_default();
        let actual_group = values.and_then(|v| v.actual.first()).map(|s| s.value.clone()).unwrap_or_else(|| group.clone());
        // The sheet name the layout reads: a pattern that is plain text, else a name it matches.
        let sheet = layout
            .sheets
            .iter()
            .map(|s| s.value.trim_start_matches('^').trim_end_matches('$').to_string())
            .chain(["進捗報告".to_string(), "Sheet1".to_string()])
            .find(|name| !name.is_empty() && name.chars().all(|c| !"\\.[](){}*+?|^$".contains(c)) && sheets.iter().any(|re| re.is_match(name)))
            .unwrap_or_else(|| "Sheet1".to_string());
        let mut years: BTreeMap<i32, usize> = BTreeMap::new();
        for y in previous.iter().filter_map(|r| r.baseline_year) {
            *years.entry(y).or_default() += 1;
        }
        // The baseline year most rows have (the earliest of equals); else last year.
        let baseline_year = years.iter().max_by_key(|(y, n)| (**n, -**y)).map_or(period.fiscal_year - 1, |(y, _)| *y);
        let mut plan_years: Vec<i32> = previous.iter().flat_map(|r| r.plans.keys().copied()).collect();
        plan_years.sort_unstable();
        plan_years.dedup();
        if plan_years.is_empty() {
            plan_years = vec![period.fiscal_year, period.fiscal_year + 1];
        }
        let steps: &[spanned_yaml::Spanned<RawStep>] = layout.steps.as_deref().unwrap_or(&raw.steps);
        let vocabulary = steps
            .iter()
            .find(|s| s.value.step.value == "status")
            .and_then(|s| s.value.options.iter().find(|(k, _)| k.value == "vocabulary"))
            .and_then(|(_, v)| match &v.value {
                RawOption::Map(map) => Some(map.clone()),
                _ => None,
            })
            .unwrap_or_default();
        let vocabulary = STATUSES.iter().filter_map(|s| Some((s.to_string(), vocabulary.get(*s)?.clone()))).collect();
        let plan_name = layout.plan.clone().unwrap_or_else(|| layout.name.clone());
        let mut labels: Vec<(String, bool)> = raw.department.label.first().map(|l| (l.value.clone(), false)).into_iter().collect();
        labels.extend(raw.resubmission.report_date_label.first().map(|l| (l.value.clone(), true)));
        Plan {
            period,
            sheet,
            title_of: plan_name,
            labels,
            fields,
            group,
            baseline_year,
            plan_years,
            actual_group,
            status: first("status"),
            notes: layout.notes.0.iter().filter_map(|(_, names)| names.first().map(|n| n.value.clone())).collect(),
            vocabulary,
            gap: layout.end.blank_rows.max(1),
        }
    }

    fn form(&self, department: &str, previous: &[PreviousRow], created: crate::model::Created) -> Form {
        let t = |id: &str, args: &[(&str, Arg)]| messages::text(Lang::Ja, id, args);
        let period = self.period.label_ja();
        let rows: Vec<FormRow> = previous
            .iter()
            .filter(|r| r.department == department)
            .map(|r| {
                let field = |role: &str| match role {
                    "goal" => &r.goal,
                    "measure" => &r.measure,
                    "project" => &r.project,
                    "indicator" => &r.indicator,
                    _ => &r.unit,
                };
                let text = |s: &String| if s.is_empty() { FormCell::Blank } else { FormCell::Text(s.clone()) };
                let mut values = vec![if r.baseline_year.is_none_or(|y| y == self.baseline_year) { r.baseline.clone() } else { FormCell::Blank }];
                values.extend(self.plan_years.iter().map(|y| r.plans.get(y).cloned().unwrap_or(FormCell::Blank)));
                FormRow { fields: self.fields.iter().map(|(role, _)| text(field(role))).collect(), values, given: true }
            })
            .collect();
        let spare_rows = if rows.is_empty() { 20 } else { 5 };
        let first_marks: Vec<String> = self.vocabulary.iter().filter_map(|(_, marks)| marks.first().cloned()).collect();
        let legend_items: Vec<String> = self.vocabulary.iter().filter_map(|(s, marks)| Some(format!("{} {s}", marks.first()?))).collect();
        let status_name = self.status.clone().unwrap_or_default();
        let mut values = vec![t("form-baseline-header", &[("year", era_short(self.baseline_year).into())])];
        values.extend(self.plan_years.iter().map(|y| t("form-plan-header", &[("year", era_short(*y).into())])));
        let actual = t(if self.period.half == Half::First { "form-actual-first-half" } else { "form-actual-second-half" }, &[]);
        let mut guide: Vec<(String, String)> = ["inputs", "numbers", "empty", "years"]
            .iter()
            .map(|k| (t(&format!("form-guide-{k}-heading"), &[]), t(&format!("form-guide-{k}"), &[])))
            .collect();
        let meanings = ["form-meaning-achieved", "form-meaning-in-progress", "form-meaning-behind", "form-meaning-none"];
        let status_lines: Vec<String> = self
            .vocabulary
            .iter()
            .map(|(s, marks)| {
                let meaning = STATUSES.iter().position(|x| x == s).map(|i| t(meanings[i], &[])).unwrap_or_default();
                t("form-guide-status-line", &[("marks", marks.join("・").into()), ("status", s.as_str().into()), ("meaning", meaning.into())])
            })
            .collect();
        if !status_lines.is_empty() {
            guide.push((status_name.clone(), status_lines.join("\n")));
        }
        guide.push((t("form-guide-submit-heading", &[]), t("form-guide-submit", &[])));
        Form {
            sheet: self.sheet.clone(),
            title: t("form-title", &[("period", period.as_str().into()), ("plan", self.title_of.as_str().into()), ("department", department.into())]),
            labels: self.labels.iter().map(|(label, to_write)| (label.clone(), if *to_write { String::new() } else { department.to_string() }, *to_write)).collect(),
            fields: self.fields.iter().map(|(_, h)| h.clone()).collect(),
            group: self.group.clone(),
            values,
            actual_group: self.actual_group.clone(),
            actual,
            status: self.status.clone(),
            notes: self.notes.clone(),
            rows,
            spare_rows,
            gap: self.gap,
            legend: t("form-legend", &[("status", status_name.as_str().into()), ("marks", legend_items.join("　").into())]),
            status_check: (status_name.clone(), t("form-status-check", &[("marks", first_marks.join(" ").into())])),
            value_check: (t("form-value-check-title", &[]), t("form-value-check", &[])),
            guide_name: t("form-guide-sheet", &[]),
            guide,
            marks: first_marks,
            created,
        }
    }
}

/// Before anything is read: the feedback folder is not the inbox nor in it, and can be
/// written.
pub fn check_feedback_dir(dir: &Path, inbox: &Path) -> Result<(), FormsError> {
    if paths::absolute(dir).starts_with(paths::absolute(inbox)) {
        return Err(FormsError::InInbox(dir.to_path_buf()));
    }
    if dir.exists() && !dir.is_dir() {
        return Err(FormsError::Output(dir.to_path_buf(), messages::text(Lang::Ja, "output-is-folder", &[])));
    }
    std::fs::create_dir_all(dir).map_err(|e| FormsError::Output(dir.to_path_buf(), e.to_string()))
}

/// A department's problems, file by file in the order of 問題一覧.
pub fn problems_by_department(c: &Consolidation) -> BTreeMap<String, Vec<&Problem>> {
    let department: BTreeMap<&str, &str> = c.files.iter().filter_map(|f| Some((f.name.as_str(), f.department.as_deref()?))).collect();
    let mut out: BTreeMap<String, Vec<&Problem>> = BTreeMap::new();
    for p in &c.problems {
        if let Some(d) = department.get(p.file.as_str()) {
            out.entry(d.to_string()).or_default().push(p);
        }
    }
    out
}

/// `run --feedback DIR`: for each department with problems, `DIR/<department>.txt` and a
/// marked copy of each of its files with problems at cells. Gives the files written.
pub fn feedback(pipeline: &Pipeline, inbox_dir: &Path, c: &Consolidation, dir: &Path) -> Result<Vec<PathBuf>, FormsError> {
    check_feedback_dir(dir, inbox_dir)?;
    let entries = inbox::entries(inbox_dir).map_err(|e| FormsError::Previous(inbox_dir.to_path_buf(), e.to_string()))?;
    let mut written = Vec::new();
    for (department, problems) in problems_by_department(c) {
        let mut files: Vec<(&str, Option<String>, Vec<&Problem>)> = Vec::new();
        for p in problems {
            match files.iter_mut().find(|(f, _, _)| *f == p.file) {
                Some((_, _, list)) => list.push(p),
                None => files.push((&p.file, None, vec![p])),
            }
        }
        for (file, copy_name, problems) in &mut files {
            let edits: Vec<Edit> = problems
                .iter()
                .filter_map(|p| {
                    let (row, col) = parse_a1(&p.cell)?;
                    let note = format!("{}\n→ {}", p.what(), p.todo());
                    Some(Edit { sheet: p.sheet.clone(), row, col, value: None, note: Some(note), highlight: true })
                })
                .collect();
            if edits.is_empty() {
                continue;
            }
            let Some(entry) = entries.iter().find(|e| e.name == *file) else { continue };
            let Ok((bytes, _)) = inbox::read(entry, &pipeline.passwords, pipeline.limits.max_unpacked_bytes) else { continue };
            let Ok(book) = workbook::read_with_passwords(&bytes, &pipeline.limits, &pipeline.passwords.for_file(file)) else { continue };
            // A file that cannot be written again goes without its copy; its text still says all.
            let Ok(copy) = feedback::copy(&book, &edits, pipeline.created) else { continue };
            let name = copy_file_name(&department, file);
            let path = dir.join(&name);
            write_file(&path, &copy)?;
            written.push(path);
            *copy_name = Some(name);
        }
        let text = feedback_text(&department, c, &files);
        let path = dir.join(format!("{}.txt", safe_name(&department)));
        write_file(&path, &text)?;
        written.push(path);
    }
    Ok(written)
}

/// The text an office pastes into its e-mail: UTF-8 with a BOM and CRLF line ends, so
/// Windows Notepad and Outlook take it as it is.
pub fn feedback_text(department: &str, c: &Consolidation, files: &[(&str, Option<String>, Vec<&Problem>)]) -> Vec<u8> {
    let t = |id: &str, args: &[(&str, Arg)]| messages::text(Lang::Ja, id, args);
    let count: usize = files.iter().map(|(_, _, p)| p.len()).sum();
    let mut lines = vec![
        t("feedback-greeting", &[("department", department.into())]),
        String::new(),
        t("feedback-intro", &[("period", c.period.label_ja().into()), ("title", c.title.as_str().into()), ("count", count.into())]),
        t("feedback-deadline", &[]),
    ];
    let mut n = 0;
    for (file, copy, problems) in files {
        lines.push(String::new());
        lines.push(t("feedback-file", &[("file", (*file).into())]));
        if let Some(copy) = copy {
            lines.push(format!("  {}", t("feedback-copy", &[("copy", copy.as_str().into())])));
        }
        for p in problems {
            n += 1;
            let place = match (p.sheet.is_empty(), p.cell.is_empty()) {
                (true, _) => t("feedback-whole-file", &[]),
                (false, true) => p.sheet.clone(),
                (false, false) => format!("{}!{}", p.sheet, p.cell),
            };
            let raw = if p.raw.is_empty() { String::new() } else { t("feedback-raw", &[("raw", p.raw.replace(['\r', '\n'], " ").into())]) };
            lines.push(format!("{n}. {place}{raw}"));
            lines.push(format!("    {}", t("feedback-what", &[("what", p.what().into())])));
            lines.push(format!("    {}", t("feedback-todo", &[("todo", p.todo().into())])));
        }
    }
    lines.push(String::new());
    lines.push(t("feedback-closing", &[]));
    let mut out = "\u{feff}".as_bytes().to_vec();
    for line in lines {
        out.extend(line.replace("\r\n", "\n").replace('\n', "\r\n").as_bytes());
        out.extend(b"\r\n");
    }
    out
}

/// The copy of a department's file: `<department>_<file name>.xlsx`, a zip member's path
/// flattened.
fn copy_file_name(department: &str, file: &str) -> String {
    let flat = file.replace(['/', '\\'], "_");
    let stem = flat.rsplit_once('.').map_or(flat.as_str(), |(s, _)| s);
    format!("{}_{}.xlsx", safe_name(department), safe_name(stem))
}

fn safe_name(name: &str) -> String {
    name.chars().map(|c| if "\\/:*?\"<>|".contains(c) || c.is_control() { '_' } else { c }).collect()
}

/// A1 notation → 0-based (row, column); None for anything else (a range, a blank).
pub fn parse_a1(cell: &str) -> Option<(u32, u32)> {
    let letters: String = cell.chars().take_while(char::is_ascii_uppercase).collect();
    let digits = &cell[letters.len()..];
    if letters.is_empty() || letters.len() > 3 || digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let col = letters.bytes().fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1)) - 1;
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col))
}

/// Write whole or not at all: under a temporary name, then renamed.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), FormsError> {
    let failed = |e: std::io::Error| FormsError::Output(path.to_path_buf(), e.to_string());
    let mut partial = path.as_os_str().to_os_string();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    std::fs::write(&partial, bytes).map_err(failed)?;
    std::fs::rename(&partial, path).map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        failed(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_names_and_cells() {
        let p = Period { fiscal_year: 2022, half: Half::First };
        assert_eq!(next_period(p), Period { fiscal_year: 2022, half: Half::Second });
        assert_eq!(next_period(next_period(p)), Period { fiscal_year: 2023, half: Half::First });
        assert_eq!(form_file_name(Period { fiscal_year: 2023, half: Half::First }, "市民課"), "R5上期_市民課.xlsx");
        assert_eq!(era_short(2018), "H30");
        assert_eq!(parse_a1("K12"), Some((11, 10)));
        assert_eq!(parse_a1("AA1"), Some((0, 26)));
        assert_eq!(parse_a1("A1:B2"), None);
        assert_eq!(parse_a1(""), None);
    }
}
