//! `preview`: every file's verdict under a pipeline, without writing a book: the layout it
//! matched (or why none did), the rows found, its problems by kind with the first few at
//! their cells, the header texts the layout does not read, and the winner of each
//! department. Fast enough to rerun after every edit of a pipeline.
//!
//! Pure: what the edge (`explore`) read of each file and the consolidation `collect::decide`
//! made of it in, a [`Preview`] and its text out.

use crate::layout::table::SheetMatch;
use crate::layout::{a1, LayoutKind};
use crate::messages::{self, Arg, Issue, Lang};
use crate::model::{Consolidation, Outcome, Problem};
use crate::pipeline::Pipeline;
use crate::workbook::{Value, Workbook};
use torimatome_ja_core::text;

/// What the edge kept of one file's reading, besides what `decide` keeps.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    pub name: String,
    /// The layout that read it; empty when none did.
    pub layout: String,
    /// Header cells of its tables that the layout reads as nothing: sheet, cell, text.
    pub unrecognised: Vec<(String, String, String)>,
    /// The problems found in its cells, whether or not the file counts.
    pub problems: Vec<Problem>,
}

/// How many problems of a file are shown at their cells.
const SHOWN: usize = 5;

/// The header cells of a workbook's tables that the pipeline's table layout `layout` reads
/// as nothing (a column no role, note or value group names).
pub fn unrecognised(pipeline: &Pipeline, layout: &str, book: &Workbook) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for l in pipeline.layouts.iter().filter(|l| l.name == layout) {
        let LayoutKind::Table(table) = &l.kind else { continue };
        for sheet in book.sheets.iter().filter(|s| l.applies_to(s)) {
            let SheetMatch::Found(header) = table.find_header(sheet) else { continue };
            let mut used: Vec<u32> = header.columns.iter().map(|(_, c)| *c).chain(header.notes.iter().map(|(_, c)| *c)).chain(header.values.iter().map(|v| v.col)).collect();
            for (col, cell) in sheet.filled(header.row) {
                let key = text::squash(&cell.display());
                if table.value_groups.contains(&key) || table.actual_groups.contains(&key) {
                    used.push(col);
                }
            }
            for (col, cell) in sheet.filled(header.row) {
                let Value::Text(t) = cell else { continue };
                if !used.contains(&col) && !t.trim().is_empty() {
                    out.push((sheet.name.clone(), a1(header.row, col), t.clone()));
                }
            }
        }
    }
    out
}

/// The kind of a problem, as `preview` counts them.
fn kind(issue: &Issue) -> &'static str {
    match issue {
        Issue::Value { .. } | Issue::ValueWarning { .. } => "preview-kind-value",
        Issue::Status { .. } | Issue::StatusNotCounted { .. } => "preview-kind-status",
        Issue::ValueHeader | Issue::MissingColumn { .. } => "preview-kind-header",
        Issue::DepartmentCellNotOnRoster { .. } | Issue::DepartmentLookalike { .. } | Issue::RowDepartment { .. } => "preview-kind-department",
        Issue::TextWarning { .. } => "preview-kind-text",
        Issue::NoProject => "preview-kind-project",
        Issue::Plugin { .. } | Issue::LayoutFailed { .. } | Issue::StepFailed { .. } => "preview-kind-plugin",
        Issue::ReportDate { .. } => "preview-kind-date",
        Issue::Superseded { .. } | Issue::Undecided { .. } => "preview-kind-resubmission",
        _ => "preview-kind-file",
    }
}

/// The preview of a consolidation, for a terminal.
pub fn text(pipeline: &Pipeline, seen: &[Seen], c: &Consolidation, lang: Lang) -> String {
    let t = |id: &str, args: &[(&str, Arg)]| messages::text(lang, id, args);
    let count = |f: fn(&Outcome) -> bool| c.files.iter().filter(|x| f(&x.outcome)).count();
    let mut out = String::new();
    let head = [
        ("name", pipeline.name.as_str().into()),
        ("period", c.period.label_ja().into()),
        ("files", c.files.len().into()),
        ("consolidated", count(|o| *o == Outcome::Consolidated).into()),
        ("superseded", count(|o| matches!(o, Outcome::Superseded { .. })).into()),
        ("ignored", count(|o| matches!(o, Outcome::Ignored(_))).into()),
        ("errors", count(|o| matches!(o, Outcome::Error(_))).into()),
        ("rows", c.rows_consolidated().into()),
    ];
    out.push_str(&t("preview-head", &head));
    out.push_str("\n\n");

    let mut unrecognised: Vec<String> = Vec::new();
    for f in &c.files {
        let s = seen.iter().find(|s| s.name == f.name);
        let layout = s.map(|s| s.layout.as_str()).filter(|l| !l.is_empty());
        let department = f.department.as_deref().unwrap_or("-");
        let verdict = match &f.outcome {
            Outcome::Consolidated => f.outcome.label(lang),
            other => format!("{}: {}", other.label(lang), other.reason_in(lang)),
        };
        out.push_str(&format!("{}\n", f.name));
        let layout = layout.map_or_else(|| t("preview-no-layout", &[]), str::to_string);
        let args = [
            ("verdict", verdict.into()),
            ("department", department.into()),
            ("layout", layout.into()),
            ("read", f.rows_read.into()),
            ("rows", f.rows_consolidated.into()),
        ];
        out.push_str(&format!("  {}\n", t("preview-file", &args)));
        if let Outcome::Ignored(issue) | Outcome::Error(issue) = &f.outcome {
            let todo = issue.todo_in(lang);
            if !todo.is_empty() {
                out.push_str(&format!("  → {todo}\n"));
            }
        }
        let Some(s) = s else { continue };
        // Cell problems: those of a file that counts, or would count but for another file.
        let problems: Vec<&Problem> = s.problems.iter().filter(|p| !p.cell.is_empty()).collect();
        if !problems.is_empty() {
            let mut kinds: Vec<(&str, usize)> = Vec::new();
            for p in &problems {
                let k = kind(&p.issue);
                match kinds.iter_mut().find(|(x, _)| *x == k) {
                    Some((_, n)) => *n += 1,
                    None => kinds.push((k, 1)),
                }
            }
            let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{} {n}", t(k, &[]))).collect();
            out.push_str(&format!("  {}\n", t("preview-problems", &[("count", problems.len().into()), ("kinds", kinds.join(", ").into())])));
            for p in problems.iter().take(SHOWN) {
                let raw = p.raw.replace('\n', " ");
                out.push_str(&format!("    {}!{} {raw} — {}\n", p.sheet, p.cell, p.issue.what_in(lang)));
            }
            if problems.len() > SHOWN {
                out.push_str(&format!("    {}\n", t("preview-more", &[("count", (problems.len() - SHOWN).into())])));
            }
        }
        for (sheet, cell, header) in &s.unrecognised {
            unrecognised.push(format!("  {}!{sheet}!{cell} {}", f.name, header.replace('\n', " ")));
        }
    }

    out.push('\n');
    if !unrecognised.is_empty() {
        out.push_str(&t("preview-unrecognised", &[("count", unrecognised.len().into())]));
        out.push('\n');
        for line in &unrecognised {
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
    }

    out.push_str(&t("preview-departments", &[]));
    out.push('\n');
    for department in c.submitted() {
        let files: Vec<&str> = c.files.iter().filter(|f| f.outcome == Outcome::Consolidated && f.department.as_deref() == Some(department)).map(|f| f.name.as_str()).collect();
        out.push_str(&format!("  {department}: {}\n", files.join(", ")));
        for r in c.resubmissions.iter().filter(|r| r.department == department) {
            let others: Vec<&str> = r.files.iter().filter(|f| **f != r.winner).map(String::as_str).collect();
            let args = [("layout", r.layout.as_str().into()), ("winner", r.winner.as_str().into()), ("others", others.join(", ").into()), ("why", r.why.as_str().into())];
            out.push_str(&format!("    {}\n", t("preview-winner", &args)));
        }
    }
    for (department, files) in c.failed() {
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        out.push_str(&format!("  {}\n", t("preview-failed", &[("department", department.into()), ("files", names.join(", ").into())])));
    }
    let missing = c.missing();
    if !missing.is_empty() {
        out.push_str(&format!("  {}\n", t("preview-missing", &[("departments", missing.join(", ").into())])));
    }
    out
}
