//! `verify`: rerun a consolidation from its manifest and say what differs: the pipeline,
//! a plugin, an input file, and which cells of the book, before and after. The report is
//! plain lines an auditor can paste into theirs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::manifest::{self, Manifest};
use crate::messages::{text, Arg, Lang};
use crate::run::{self, Quiet};
use crate::workbook::{self, Workbook};
use crate::paths;

/// What `verify` found. The exit code combines the flags, so a script can tell which.
#[derive(Debug, Default)]
pub struct Verdict {
    pub lines: Vec<String>,
    pub inputs_changed: bool,
    pub setup_changed: bool,
    pub book_differs: bool,
}

impl Verdict {
    pub fn identical(&self) -> bool {
        !(self.inputs_changed || self.setup_changed || self.book_differs)
    }

    /// 0 identical; else 1 inputs changed + 2 pipeline or plugins changed + 4 book differs.
    pub fn exit_code(&self) -> u8 {
        self.inputs_changed as u8 | (self.setup_changed as u8) << 1 | (self.book_differs as u8) << 2
    }
}

/// How many lines of differences to list before summing up the rest.
const MAX_LINES: usize = 500;

/// Rerun from the manifest at `manifest_path` and say, in `lang`, what differs.
pub fn verify(manifest_path: &Path, inbox: Option<&Path>, lang: Lang) -> Result<Verdict, String> {
    let t = |id: &str, args: &[(&str, Arg)]| text(lang, id, args);
    let shown = manifest_path.display().to_string();
    let source = std::fs::read_to_string(manifest_path)
        .map_err(|e| t("verify-manifest-unreadable", &[("path", shown.as_str().into()), ("why", e.to_string().into())]))?;
    let recorded: Manifest = serde_json::from_str(&source)
        .map_err(|e| t("verify-not-manifest", &[("path", shown.as_str().into()), ("why", e.to_string().into())]))?;
    let dir = paths::absolute(manifest_path.parent().unwrap_or(Path::new(".")));
    let mut v = Verdict::default();

    let pipeline_path = paths::absolute(&dir.join(&recorded.pipeline.path));
    let pipeline_bytes = std::fs::read(&pipeline_path).map_err(|e| {
        t("verify-pipeline-unreadable", &[("path", pipeline_path.display().to_string().into()), ("why", e.to_string().into())])
    })?;
    let pipeline_sha = crate::digest::sha256_hex(&pipeline_bytes);
    if pipeline_sha == recorded.pipeline.sha256 {
        v.lines.push(t("verify-pipeline-same", &[("path", (&recorded.pipeline.path).into())]));
    } else {
        v.setup_changed = true;
        let args = [("path", (&recorded.pipeline.path).into()), ("before", short(&recorded.pipeline.sha256).into()), ("after", short(&pipeline_sha).into())];
        v.lines.push(t("verify-pipeline-changed", &args));
    }
    // Load without the plugin pins: a changed plugin is what this report is for.
    let pipeline = crate::pipeline::load_unpinned(&pipeline_path).map_err(|errors| {
        let listed: Vec<String> = errors.iter().map(|e| e.render(lang)).collect();
        format!("{}\n{}", t("verify-pipeline-broken", &[]), listed.join("\n"))
    })?;
    compare_plugins(&recorded, &pipeline, &mut v, lang);

    let inbox: PathBuf = paths::absolute(&inbox.map(Path::to_path_buf).unwrap_or_else(|| dir.join(&recorded.inbox)));
    compare_inputs(&recorded, &pipeline, &inbox, &mut v, lang)?;

    // A book with a 前期比 was made against the last period's snapshot: rerun against it.
    let previous = recorded.previous.as_ref().and_then(|hashed| last_period(&dir, hashed, &mut v, lang));
    let bytes = run::book_bytes(&pipeline, &inbox, &Quiet, previous.as_ref()).map_err(|e| e.text(lang))?;
    let sha = crate::digest::sha256_hex(&bytes);
    if sha == recorded.book.sha256 {
        v.lines.push(t("verify-book-same", &[("sha", short(&sha).into())]));
    } else {
        v.book_differs = true;
        let before_path = dir.join(&recorded.book.path);
        match std::fs::read(&before_path) {
            Ok(before) if crate::digest::sha256_hex(&before) == recorded.book.sha256 => {
                let (before, after) = (read_book(&before, "recorded", lang)?, read_book(&bytes, "rerun", lang)?);
                // As an auditor reads it: the rows of 進捗一覧 gone, new and changed, each by
                // what it is and where it came from. Only when no row differs are the
                // other sheets' cells listed (a changed title, a changed count).
                let rows = differing_rows(&before, &after, lang);
                let lines = if rows.is_empty() { differing_cells(&before, &after, lang) } else { rows };
                let args = [("before", short(&recorded.book.sha256).into()), ("after", short(&sha).into())];
                v.lines.push(t("verify-book-differs", &args));
                for line in lines.iter().take(MAX_LINES) {
                    v.lines.push(format!("  {line}"));
                }
                if lines.len() > MAX_LINES {
                    v.lines.push(format!("  {}", t("verify-more-lines", &[("count", (lines.len() - MAX_LINES).into())])));
                }
            }
            _ => v.lines.push(t(
                "verify-book-uncomparable",
                &[
                    ("before", short(&recorded.book.sha256).into()),
                    ("after", short(&sha).into()),
                    ("path", before_path.display().to_string().into()),
                ],
            )),
        }
    }
    v.lines.push(if v.identical() { t("verify-identical", &[]) } else { verdict_line(&v, lang) });
    Ok(v)
}

/// The last period's snapshot a book's 前期比 compared with, if it is still what the
/// manifest recorded; otherwise that is said, and the book is rerun without it.
fn last_period(dir: &Path, recorded: &manifest::Hashed, v: &mut Verdict, lang: Lang) -> Option<run::LastPeriod> {
    let path = paths::beside(dir, &recorded.path);
    let args = |sha: &str| [("path", recorded.path.as_str().into()), ("before", short(&recorded.sha256).into()), ("after", short(sha).into())];
    let Ok(bytes) = std::fs::read(&path) else {
        v.setup_changed = true;
        v.lines.push(text(lang, "verify-previous-missing", &args("")));
        return None;
    };
    let sha256 = crate::digest::sha256_hex(&bytes);
    let snapshot = (sha256 == recorded.sha256).then(|| crate::compare::snapshot::from_json(&String::from_utf8_lossy(&bytes)).ok()).flatten();
    match snapshot {
        Some(snapshot) => {
            v.lines.push(text(lang, "verify-previous-same", &args(&sha256)));
            Some(run::LastPeriod { path, sha256, snapshot })
        }
        None => {
            v.setup_changed = true;
            v.lines.push(text(lang, "verify-previous-changed", &args(&sha256)));
            None
        }
    }
}

fn verdict_line(v: &Verdict, lang: Lang) -> String {
    let mut what = Vec::new();
    if v.inputs_changed {
        what.push(text(lang, "verify-inputs-changed-short", &[]));
    }
    if v.setup_changed {
        what.push(text(lang, "verify-setup-changed-short", &[]));
    }
    if v.book_differs {
        what.push(text(lang, "verify-book-differs-short", &[]));
    }
    text(lang, "verify-differs", &[("what", what.join(if lang == Lang::Ja { "、" } else { ", " }).into())])
}

fn short(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

fn compare_plugins(recorded: &Manifest, pipeline: &crate::pipeline::Pipeline, v: &mut Verdict, lang: Lang) {
    let t = |id: &str, args: &[(&str, Arg)]| text(lang, id, args);
    let now: BTreeMap<&str, &str> = pipeline.plugins.iter().map(|p| (p.description.name.as_str(), p.sha256.as_str())).collect();
    let before: BTreeMap<&str, &str> = recorded.plugins.iter().map(|p| (p.name.as_str(), p.sha256.as_str())).collect();
    let mut changed = false;
    for (name, sha) in &before {
        match now.get(name) {
            Some(now_sha) if now_sha == sha => {}
            Some(now_sha) => {
                changed = true;
                v.lines.push(t("verify-plugin-changed", &[("name", (*name).into()), ("before", short(sha).into()), ("after", short(now_sha).into())]));
            }
            None => {
                changed = true;
                v.lines.push(t("verify-plugin-missing", &[("name", (*name).into()), ("before", short(sha).into())]));
            }
        }
    }
    for (name, sha) in now.iter().filter(|(n, _)| !before.contains_key(*n)) {
        changed = true;
        v.lines.push(t("verify-plugin-added", &[("name", (*name).into()), ("after", short(sha).into())]));
    }
    if changed {
        v.setup_changed = true;
    } else {
        v.lines.push(t("verify-plugins-same", &[("names", before.keys().copied().collect::<Vec<_>>().join(", ").into())]));
    }
}

fn compare_inputs(recorded: &Manifest, pipeline: &crate::pipeline::Pipeline, inbox: &Path, v: &mut Verdict, lang: Lang) -> Result<(), String> {
    let t = |id: &str, args: &[(&str, Arg)]| text(lang, id, args);
    let entries = run::inbox_entries(inbox).map_err(|e| e.text(lang))?;
    let mut now: BTreeMap<String, (u64, String)> = BTreeMap::new();
    for entry in entries {
        // What could not be read is recorded as empty, as the run recorded it.
        let (bytes, _) = crate::inbox::read(&entry, &pipeline.passwords, pipeline.limits.max_unpacked_bytes).unwrap_or_default();
        now.insert(entry.name, (bytes.len() as u64, crate::digest::sha256_hex(&bytes)));
    }
    let mut lines = Vec::new();
    for input in &recorded.inputs {
        match now.get(&input.name) {
            Some((_, sha)) if *sha == input.sha256 => {}
            Some((size, sha)) => {
                let args = [
                    ("name", (&input.name).into()),
                    ("before", short(&input.sha256).into()),
                    ("after", short(sha).into()),
                    ("size-before", input.size.into()),
                    ("size-after", (*size).into()),
                ];
                lines.push(format!("  {}", t("verify-input-changed", &args)));
            }
            None => lines.push(format!("  {}", t("verify-input-missing", &[("name", (&input.name).into()), ("before", short(&input.sha256).into())]))),
        }
    }
    let recorded_names: std::collections::HashSet<&str> = recorded.inputs.iter().map(|i| i.name.as_str()).collect();
    for (name, (_, sha)) in &now {
        if !recorded_names.contains(name.as_str()) {
            lines.push(format!("  {}", t("verify-input-added", &[("name", name.into()), ("after", short(sha).into())])));
        }
    }
    if lines.is_empty() {
        v.lines.push(t("verify-inputs-same", &[("files", recorded.inputs.len().into()), ("inbox", inbox.display().to_string().into())]));
    } else {
        v.inputs_changed = true;
        v.lines.push(t("verify-inputs-changed", &[("count", lines.len().into()), ("inbox", inbox.display().to_string().into())]));
        v.lines.extend(lines);
    }
    Ok(())
}

fn read_book(bytes: &[u8], which: &str, lang: Lang) -> Result<Workbook, String> {
    // Books are torimatome's own: no bound but memory.
    let unbounded = workbook::Limits { max_unpacked_bytes: u64::MAX - 1 };
    workbook::read(bytes, &unbounded)
        .map_err(|e| text(lang, "verify-book-unreadable", &[("which", which.into()), ("why", crate::messages::read_error(lang, &e).into())]))
}

/// The columns of 進捗一覧 that say what a row is and where it came from.
const IDENTITY: [&str; 6] = ["基本目標", "施策", "事業名", "担当課", "指標名", "出典"];
/// Columns that place a row in its file, not what it says: a row moved down in its sheet
/// is the same row.
const PLACE: [&str; 2] = ["行", "出典セル"];

/// 進捗一覧's rows (all its parts) by identity: what the row is (goal, measure, project,
/// department, indicator), the file and sheet it came from, and which of rows alike in all
/// of these it is; each with its cells by header.
fn progress_rows(book: &Workbook) -> BTreeMap<(Vec<String>, usize), BTreeMap<String, String>> {
    let mut rows = BTreeMap::new();
    for sheet in book.sheets.iter().filter(|s| s.name == "進捗一覧" || s.name.starts_with("進捗一覧 (")) {
        let headers: Vec<String> = (0..sheet.width()).map(|c| sheet.get(0, c).display()).collect();
        for r in 1..sheet.height() {
            let cells: BTreeMap<String, String> = headers.iter().enumerate().map(|(c, h)| (h.clone(), sheet.get(r, c as u32).display())).collect();
            let identity: Vec<String> = IDENTITY.iter().map(|h| cells.get(*h).cloned().unwrap_or_default()).collect();
            let nth = (0..).find(|n| !rows.contains_key(&(identity.clone(), *n))).unwrap_or(0);
            rows.insert((identity, nth), cells);
        }
    }
    rows
}

/// The rows of 進捗一覧 that differ: gone (by the file they came from), new, and changed,
/// each named by what it is and its source row.
fn differing_rows(before: &Workbook, after: &Workbook, lang: Lang) -> Vec<String> {
    let (old, new) = (progress_rows(before), progress_rows(after));
    let name = |identity: &[String], cells: &BTreeMap<String, String>| {
        let source = format!("{}!{}", identity[5], cells.get("行").map(String::as_str).unwrap_or(""));
        let what: Vec<&str> = identity[..5].iter().map(String::as_str).filter(|s| !s.is_empty()).collect();
        format!("{source}: {}", what.join(" / "))
    };
    let mut out = Vec::new();
    for (label, these, others) in [("verify-rows-gone", &old, &new), ("verify-rows-new", &new, &old)] {
        // By file: a file gone takes its rows with it.
        let mut by_file: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for ((identity, _), cells) in these.iter().filter(|(key, _)| !others.contains_key(*key)) {
            let file = identity[5].split('!').next().unwrap_or("");
            by_file.entry(file).or_default().push(name(identity, cells));
        }
        for (file, rows) in by_file {
            out.push(text(lang, label, &[("file", file.into()), ("count", rows.len().into())]));
            out.extend(rows.into_iter().map(|r| format!("  {r}")));
        }
    }
    for (key, was) in &old {
        let Some(now) = new.get(key) else { continue };
        let mut columns: Vec<&String> = was.keys().chain(now.keys()).filter(|h| !PLACE.contains(&h.as_str())).collect();
        columns.sort();
        columns.dedup();
        for column in columns {
            let (x, y) = (was.get(column).map(String::as_str).unwrap_or(""), now.get(column).map(String::as_str).unwrap_or(""));
            if x != y {
                let args = [("row", name(&key.0, now).into()), ("column", column.as_str().into()), ("before", x.into()), ("after", y.into())];
                out.push(text(lang, "verify-value-changed", &args));
            }
        }
    }
    out
}

/// Every cell that differs between two books, as `sheet!A1: before → after`.
fn differing_cells(before: &Workbook, after: &Workbook, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    let mut names: Vec<&str> = before.sheets.iter().chain(&after.sheets).map(|s| s.name.as_str()).collect();
    names.dedup();
    let mut seen = Vec::new();
    for name in names {
        if seen.contains(&name) {
            continue;
        }
        seen.push(name);
        match (before.sheets.iter().find(|s| s.name == name), after.sheets.iter().find(|s| s.name == name)) {
            (Some(b), Some(a)) => {
                for row in 0..b.height().max(a.height()) {
                    for col in 0..b.width().max(a.width()) {
                        let (x, y) = (b.get(row, col).display(), a.get(row, col).display());
                        if x != y {
                            out.push(format!("{name}!{}: {x:?} → {y:?}", crate::layout::a1(row, col)));
                        }
                    }
                }
            }
            (Some(_), None) => out.push(text(lang, "verify-sheet-gone", &[("sheet", name.into())])),
            (None, Some(_)) => out.push(text(lang, "verify-sheet-new", &[("sheet", name.into())])),
            (None, None) => {}
        }
    }
    out
}

/// The manifest of a book, for the CLI's `verify BOOK.xlsx` convenience.
pub fn manifest_of(path: &Path) -> PathBuf {
    if path.extension().is_some_and(|e| e == "json") {
        path.to_path_buf()
    } else {
        manifest::path_for(path)
    }
}
