//! `verify`: rerun a consolidation from its manifest and say what differs: the pipeline,
//! a plugin, an input file, and which cells of the book, before and after. The report is
//! plain lines an auditor can paste into theirs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::manifest::{self, Manifest};
use crate::run::{self, Quiet};
use crate::{paths, workbook};

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

/// How many differing cells to list before summing up the rest.
const MAX_CELLS: usize = 500;

pub fn verify(manifest_path: &Path, inbox: Option<&Path>) -> Result<Verdict, String> {
    let text = std::fs::read_to_string(manifest_path).map_err(|e| format!("cannot read {}: {e}", manifest_path.display()))?;
    let recorded: Manifest = serde_json::from_str(&text).map_err(|e| format!("{} is not a torimatome manifest: {e}", manifest_path.display()))?;
    let dir = paths::absolute(manifest_path.parent().unwrap_or(Path::new(".")));
    let mut v = Verdict::default();

    let pipeline_path = paths::absolute(&dir.join(&recorded.pipeline.path));
    let pipeline_bytes = std::fs::read(&pipeline_path).map_err(|e| format!("cannot read the pipeline {}: {e}", pipeline_path.display()))?;
    let pipeline_sha = crate::digest::sha256_hex(&pipeline_bytes);
    if pipeline_sha == recorded.pipeline.sha256 {
        v.lines.push(format!("pipeline: unchanged ({})", recorded.pipeline.path));
    } else {
        v.setup_changed = true;
        v.lines.push(format!("pipeline: CHANGED {} (sha256 {} → {})", recorded.pipeline.path, short(&recorded.pipeline.sha256), short(&pipeline_sha)));
    }
    // Load without the plugin pins: a changed plugin is what this report is for.
    let pipeline = crate::pipeline::load_unpinned(&pipeline_path).map_err(|errors| {
        let listed: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        format!("the pipeline does not load:\n{}", listed.join("\n"))
    })?;
    compare_plugins(&recorded, &pipeline, &mut v);

    let inbox: PathBuf = paths::absolute(&inbox.map(Path::to_path_buf).unwrap_or_else(|| dir.join(&recorded.inbox)));
    compare_inputs(&recorded, &pipeline, &inbox, &mut v)?;

    let (_, bytes) = run::book_bytes(&pipeline, &inbox, &Quiet, None).map_err(|e| e.to_string())?;
    let sha = crate::digest::sha256_hex(&bytes);
    if sha == recorded.book.sha256 {
        v.lines.push(format!("book: identical (sha256 {})", short(&sha)));
    } else {
        v.book_differs = true;
        let before_path = dir.join(&recorded.book.path);
        match std::fs::read(&before_path) {
            Ok(before) if crate::digest::sha256_hex(&before) == recorded.book.sha256 => {
                let cells = differing_cells(&before, &bytes)?;
                v.lines.push(format!("book: DIFFERS in {} cells (sha256 {} → {})", cells.len(), short(&recorded.book.sha256), short(&sha)));
                for line in cells.iter().take(MAX_CELLS) {
                    v.lines.push(format!("  {line}"));
                }
                if cells.len() > MAX_CELLS {
                    v.lines.push(format!("  … and {} more cells", cells.len() - MAX_CELLS));
                }
            }
            _ => v.lines.push(format!(
                "book: DIFFERS (sha256 {} → {}); the recorded book {} is missing or was changed, so cells cannot be compared",
                short(&recorded.book.sha256),
                short(&sha),
                before_path.display()
            )),
        }
    }
    v.lines.push(if v.identical() { "identical".to_string() } else { verdict_line(&v) });
    Ok(v)
}

fn verdict_line(v: &Verdict) -> String {
    let mut what = Vec::new();
    if v.inputs_changed {
        what.push("inputs changed");
    }
    if v.setup_changed {
        what.push("pipeline or plugins changed");
    }
    if v.book_differs {
        what.push("book differs");
    }
    format!("differs: {}", what.join(", "))
}

fn short(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

fn compare_plugins(recorded: &Manifest, pipeline: &crate::pipeline::Pipeline, v: &mut Verdict) {
    let now: BTreeMap<&str, &str> = pipeline.plugins.iter().map(|p| (p.description.name.as_str(), p.sha256.as_str())).collect();
    let before: BTreeMap<&str, &str> = recorded.plugins.iter().map(|p| (p.name.as_str(), p.sha256.as_str())).collect();
    let mut changed = false;
    for (name, sha) in &before {
        match now.get(name) {
            Some(now_sha) if now_sha == sha => {}
            Some(now_sha) => {
                changed = true;
                v.lines.push(format!("plugin: CHANGED {name} (sha256 {} → {})", short(sha), short(now_sha)));
            }
            None => {
                changed = true;
                v.lines.push(format!("plugin: MISSING {name} (was sha256 {})", short(sha)));
            }
        }
    }
    for (name, sha) in now.iter().filter(|(n, _)| !before.contains_key(*n)) {
        changed = true;
        v.lines.push(format!("plugin: ADDED {name} (sha256 {})", short(sha)));
    }
    if changed {
        v.setup_changed = true;
    } else {
        v.lines.push(format!("plugins: unchanged ({})", before.keys().copied().collect::<Vec<_>>().join(", ")));
    }
}

fn compare_inputs(recorded: &Manifest, pipeline: &crate::pipeline::Pipeline, inbox: &Path, v: &mut Verdict) -> Result<(), String> {
    let entries = run::inbox_entries(inbox).map_err(|e| e.to_string())?;
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
            Some((size, sha)) => lines.push(format!(
                "  changed: {} (sha256 {} → {}, {} → {} bytes)",
                input.name,
                short(&input.sha256),
                short(sha),
                input.size,
                size
            )),
            None => lines.push(format!("  missing: {} (sha256 {})", input.name, short(&input.sha256))),
        }
    }
    let recorded_names: std::collections::HashSet<&str> = recorded.inputs.iter().map(|i| i.name.as_str()).collect();
    for (name, (_, sha)) in &now {
        if !recorded_names.contains(name.as_str()) {
            lines.push(format!("  added: {name} (sha256 {})", short(sha)));
        }
    }
    if lines.is_empty() {
        v.lines.push(format!("inputs: unchanged ({} files in {})", recorded.inputs.len(), inbox.display()));
    } else {
        v.inputs_changed = true;
        v.lines.push(format!("inputs: {} differences in {}", lines.len(), inbox.display()));
        v.lines.extend(lines);
    }
    Ok(())
}

/// Every cell that differs between two books, as `sheet!A1: before → after`.
fn differing_cells(before: &[u8], after: &[u8]) -> Result<Vec<String>, String> {
    // Books are torimatome's own: no bound but memory.
    let unbounded = workbook::Limits { max_unpacked_bytes: u64::MAX - 1 };
    let read = |bytes: &[u8], which: &str| workbook::read(bytes, &unbounded).map_err(|e| format!("the {which} book cannot be read: {e}"));
    let (before, after) = (read(before, "recorded")?, read(after, "rerun")?);
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
            (Some(_), None) => out.push(format!("{name}: sheet no longer in the book")),
            (None, Some(_)) => out.push(format!("{name}: sheet new in the book")),
            (None, None) => {}
        }
    }
    Ok(out)
}

/// The manifest of a book, for the CLI's `verify BOOK.xlsx` convenience.
pub fn manifest_of(path: &Path) -> PathBuf {
    if path.extension().is_some_and(|e| e == "json") {
        path.to_path_buf()
    } else {
        manifest::path_for(path)
    }
}
