//! Shared by the integration tests: run a pipeline into a temporary folder and read back
//! what a user would look at (the records CSV and the book).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};
use torimatome::model::Consolidation;
use torimatome::run::{self, Paths, Quiet};

pub struct Outcome {
    pub dir: tempfile::TempDir,
    pub consolidation: Consolidation,
    pub book: PathBuf,
    pub records: Vec<BTreeMap<String, String>>,
}

pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The command, run from the project's root on a system whose locale is `locale` (`C`,
/// `ja_JP.UTF-8`): whatever the machine running the tests says, the language is the test's.
pub fn torimatome_in(locale: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_torimatome"))
        .args(args)
        .current_dir(project_root())
        .env("LANG", locale)
        .env_remove("LANGUAGE")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .expect("torimatome runs")
}

pub fn shared() -> PathBuf {
    project_root().join("../shared")
}

/// Where `cargo test` built the plugin libraries: beside this test binary
/// (target/<profile>/deps), as the plugins are dev-dependencies of torimatome.
pub fn plugin_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    exe.parent().expect("target/<profile>/deps").to_path_buf()
}

/// A pipeline of the project copied into a temporary folder: its relative paths made
/// absolute, its plugins taken from `plugin_dir`. Its lock goes into that folder, and the
/// tests give every run an `--out` of its own: nothing is written or deleted in the source
/// tree.
pub struct Staged {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl Staged {
    pub fn arg(&self) -> &str {
        self.path.to_str().expect("a UTF-8 temporary path")
    }
}

/// Stage `pipeline` (relative to the project root).
pub fn stage(pipeline: &str) -> Staged {
    stage_edited(pipeline, |text| text)
}

/// Stage `pipeline` after `edit` changed its text as written (paths still relative).
pub fn stage_edited(pipeline: &str, edit: impl FnOnce(String) -> String) -> Staged {
    let source = project_root().join(pipeline);
    let text = edit(std::fs::read_to_string(&source).unwrap_or_else(|e| panic!("{pipeline}: {e}")));
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(source.file_name().expect("a file name"));
    std::fs::write(&path, absolute_paths(&text, source.parent().expect("a folder"))).expect("write the staged pipeline");
    Staged { dir, path }
}

/// The pipeline's text with its paths absolute, from the pipeline's own folder, and the
/// plugin directory this build's. The same text wherever it is staged: the pipeline's
/// SHA-256 is printed in the book, which two runs must give byte for byte. (The tests give
/// every run its own `--out`, so the `output:` path is never written.)
fn absolute_paths(text: &str, from: &Path) -> String {
    let quoted = |p: &Path| format!("\"{}\"", p.display().to_string().replace('\\', "/"));
    text.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            let indent = &line[..line.len() - trimmed.len()];
            if trimmed.starts_with("dirs:") {
                // Every directory but the build's stays (a test may add the inbox on purpose).
                let dirs: Vec<String> = trimmed["dirs:".len()..]
                    .trim()
                    .trim_matches(['[', ']'])
                    .split(',')
                    .map(|d| d.trim().trim_matches('"'))
                    .map(|d| if d.ends_with("target/{profile}") { quoted(&plugin_dir()) } else { quoted(&from.join(d)) })
                    .collect();
                return format!("{indent}dirs: [{}]", dirs.join(", "));
            }
            for key in ["inbox:", "output:", "file:", "passwords:"] {
                if let Some(value) = trimmed.strip_prefix(key) {
                    let value = value.trim().trim_matches('"');
                    if !value.is_empty() {
                        return format!("{indent}{key} {}", quoted(&from.join(value)));
                    }
                }
            }
            line.to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Load a pipeline file as `torimatome run` would (pins included).
pub fn load(path: &Path) -> Result<torimatome::pipeline::Pipeline, Vec<torimatome::pipeline::ConfigError>> {
    torimatome::pipeline::load(path)
}

/// A staged pipeline of the project, loaded; the staging folder lives as long as it.
pub struct Loaded {
    /// Kept for its folder, which the pipeline's paths point into.
    _staged: Staged,
    pub pipeline: torimatome::pipeline::Pipeline,
}

impl std::ops::Deref for Loaded {
    type Target = torimatome::pipeline::Pipeline;
    fn deref(&self) -> &Self::Target {
        &self.pipeline
    }
}

/// Stage and load one of the project's pipelines (`pipelines/seto.yaml`).
pub fn load_project(pipeline: &str) -> Loaded {
    let staged = stage(pipeline);
    let pipeline = load(&staged.path).unwrap_or_else(|e| panic!("{}: {e:?}", staged.path.display()));
    Loaded { _staged: staged, pipeline }
}

/// Run a pipeline of this project (path relative to the project root).
pub fn run_pipeline(pipeline: &str, inbox: Option<&Path>) -> Outcome {
    let loaded = load_project(pipeline);
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("book.xlsx");
    let records_path = dir.path().join("records.csv");
    let paths = Paths {
        inbox: inbox.map(Path::to_path_buf),
        out: Some(book.clone()),
        records: Some(records_path.clone()),
        cache: false,
    };
    let report = run::run(&loaded, &paths, &Quiet).unwrap_or_else(|e| panic!("run failed: {e}"));
    let records = read_records(&records_path);
    Outcome { dir, consolidation: report.consolidation, book, records }
}

pub fn read_records(path: &Path) -> Vec<BTreeMap<String, String>> {
    let bytes = std::fs::read(path).expect("records written");
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "records CSV starts with a BOM");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers: Vec<String> = reader.headers().expect("header").iter().map(String::from).collect();
    assert_eq!(headers, torimatome::records::COLUMNS, "records columns");
    reader
        .records()
        .map(|r| {
            let r = r.expect("csv row");
            headers.iter().cloned().zip(r.iter().map(unescape)).collect()
        })
        .collect()
}

/// A records field as the department wrote it: without the apostrophe that keeps Excel
/// from reading it as a formula.
pub fn unescape(field: &str) -> String {
    match field.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_string(),
        _ => field.to_string(),
    }
}

/// A sheet of the book as text, row by row, from A1.
pub fn read_sheet(book: &Path, sheet: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = calamine::open_workbook(book).expect("book opens with calamine");
    let range = wb.worksheet_range(sheet).unwrap_or_else(|e| panic!("sheet {sheet}: {e}"));
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut rows = vec![Vec::new(); r0 as usize];
    for row in range.rows() {
        let mut out = vec![String::new(); c0 as usize];
        out.extend(row.iter().map(|d| match d {
            Data::Empty => String::new(),
            Data::Float(f) => format!("{f}"),
            Data::Int(i) => format!("{i}"),
            other => other.to_string(),
        }));
        rows.push(out);
    }
    rows
}

/// The row of a two-column label/value list (概要) whose first cell is `label`.
pub fn labelled(rows: &[Vec<String>], label: &str) -> String {
    rows.iter()
        .find(|r| r.first().map(String::as_str) == Some(label))
        .and_then(|r| r.get(1).cloned())
        .unwrap_or_else(|| panic!("概要 has no row {label}"))
}

/// A consolidated row as a line of text: where it came from, its names, department,
/// status and grade, as the cases' `expected/rows.txt` holds them.
pub fn row_line(r: &torimatome::model::IndicatorRow) -> String {
    format!(
        "{}!{}!{} | {} | {} | {} | {} | {} | {} | {}",
        r.file,
        r.sheet,
        r.row,
        r.goal,
        r.measure,
        r.project,
        r.indicator.as_deref().unwrap_or("-"),
        r.department,
        r.status.as_deref().unwrap_or("-"),
        r.grade.as_deref().unwrap_or("-"),
    )
}
