//! Shared by the integration tests: run a pipeline into a temporary folder and read back
//! what a user would look at (the records CSV and the book).

#![allow(dead_code)]

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

pub fn shared() -> PathBuf {
    project_root().join("../shared")
}

/// Build the workspace's plugin libraries, once per test binary. `cargo test` compiles
/// the plugin crates for their own tests but does not produce the cdylibs the pipelines
/// load, so the tests ask cargo for them, in their own build profile.
pub fn plugins_built() {
    static BUILT: std::sync::Once = std::sync::Once::new();
    BUILT.call_once(|| {
        let mut cargo = std::process::Command::new(env!("CARGO"));
        cargo.current_dir(project_root()).args(["build", "--quiet", "--workspace", "--lib"]);
        if !cfg!(debug_assertions) {
            cargo.arg("--release");
        }
        let status = cargo.status().expect("cargo runs");
        assert!(status.success(), "building the plugins failed");
        // The plugins may have just changed: the shipped pipelines' local pins (gitignored,
        // written by the first `run`) are re-made by the next run, as a developer would.
        for name in ["seto", "minato"] {
            let _ = std::fs::remove_file(project_root().join(format!("pipelines/{name}.lock")));
        }
    });
}

/// Load a pipeline of this project, its plugins built.
pub fn load(path: &Path) -> Result<torimatome::pipeline::Pipeline, Vec<torimatome::pipeline::ConfigError>> {
    plugins_built();
    torimatome::pipeline::load(path)
}

/// Run a pipeline of this project (path relative to the project root).
pub fn run_pipeline(pipeline: &str, inbox: Option<&Path>) -> Outcome {
    let pipeline = load(&project_root().join(pipeline)).unwrap_or_else(|e| panic!("pipeline does not load: {e:?}"));
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("book.xlsx");
    let records_path = dir.path().join("records.csv");
    let paths = Paths {
        inbox: inbox.map(Path::to_path_buf),
        out: Some(book.clone()),
        records: Some(records_path.clone()),
        cache: false,
    };
    let report = run::run(&pipeline, &paths, &Quiet).unwrap_or_else(|e| panic!("run failed: {e}"));
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
