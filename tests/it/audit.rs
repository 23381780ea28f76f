//! What an auditor relies on: a manifest beside every book, reruns that give the same
//! bytes, `verify` naming the file and the book cells that changed, plugins pinned.

use crate::common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::Output;

fn torimatome(args: &[&str]) -> Output {
    common::torimatome_in("C", args)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        if entry.file_type().expect("type").is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
        }
    }
}

/// Rewrite one cell's cached value inside an xlsx, as a department editing its file would.
fn set_cell(xlsx: &Path, cell: &str, value: &str) {
    let bytes = std::fs::read(xlsx).expect("read");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        let name = entry.name().expect("entry name").to_string();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).expect("inflate");
        if name == "xl/worksheets/sheet1.xml" {
            let xml = String::from_utf8(content).expect("utf-8");
            let start = xml.find(&format!("<c r=\"{cell}\"")).expect("cell present");
            let v = start + xml[start..].find("<v>").expect("value") + 3;
            let end = v + xml[v..].find("</v>").expect("end");
            content = format!("{}{value}{}", &xml[..v], &xml[end..]).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).expect("start");
        out.write_all(&content).expect("write");
    }
    std::fs::write(xlsx, out.finish().expect("finish").into_inner()).expect("write back");
}

struct Rerun {
    dir: tempfile::TempDir,
    pipeline: common::Staged,
}

impl Rerun {
    /// A copy of the fixture inbox and a run over it into the temp folder.
    fn new() -> Rerun {
        let dir = tempfile::tempdir().expect("temp");
        copy_dir(&common::project_root().join("fixtures/minato/inbox"), &dir.path().join("inbox"));
        let r = Rerun { dir, pipeline: common::stage("pipelines/minato.yaml") };
        let out = r.run();
        assert!(out.status.success(), "{}", text(&out.stderr));
        r
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    fn run(&self) -> Output {
        torimatome(&["run", self.pipeline.arg(), "--inbox", &self.path("inbox"), "--out", &self.path("book.xlsx")])
    }

    fn verify(&self) -> Output {
        torimatome(&["verify", &self.path("book.manifest.json")])
    }
}

#[test]
fn two_runs_give_byte_identical_books_and_manifests() {
    let r = Rerun::new();
    let book = std::fs::read(r.path("book.xlsx")).expect("book");
    let manifest = std::fs::read(r.path("book.manifest.json")).expect("manifest");
    assert!(r.run().status.success());
    assert!(book == std::fs::read(r.path("book.xlsx")).expect("book"), "books differ");
    assert!(manifest == std::fs::read(r.path("book.manifest.json")).expect("manifest"), "manifests differ");

    let m: serde_json::Value = serde_json::from_slice(&manifest).expect("json");
    assert_eq!(m["book"]["sha256"], torimatome::digest::sha256_hex(&book));
    assert_eq!(m["inputs"].as_array().expect("inputs").len(), 8, "every file of the inbox");
    assert_eq!(m["plugins"][0]["name"], "torimatome-ja");
    let counts = &m["counts"];
    assert_eq!(counts["rows_read"], counts["rows_consolidated"].as_u64().unwrap_or(0) + counts["rows_set_aside"].as_u64().unwrap_or(0));
}

#[test]
fn verify_says_identical_on_an_unchanged_inbox() {
    let r = Rerun::new();
    let out = r.verify();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(text(&out.stdout).lines().last(), Some("identical"));
}

#[test]
fn verify_names_the_changed_file_and_the_book_cells() {
    let r = Rerun::new();
    // 企画課 reports 142 in L6 (the actual of its first indicator); make it 150.
    set_cell(&r.dir.path().join("inbox/R6上期_企画課.xlsx"), "L6", "150");
    let out = r.verify();
    let report = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1 | 4), "inputs changed and book differs:\n{report}");
    assert!(report.contains("changed: R6上期_企画課.xlsx"), "{report}");
    assert!(!report.contains("changed: R6上期_福祉課.xlsx"), "only that file: {report}");
    // The actual in 進捗一覧 and its achievement moved, named by the row they belong to;
    // nothing else did.
    let changed: Vec<&str> = report.lines().filter(|l| l.starts_with("  value changed: ")).collect();
    assert!(
        changed.iter().any(|l| l.contains("R6上期_企画課.xlsx!") && l.contains("「実績値") && l.ends_with(": 142 → 150")),
        "{report}"
    );
    assert!(changed.iter().all(|l| l.contains("R6上期_企画課.xlsx!")), "only 企画課's rows: {report}");
    assert!(!report.contains("gone") && !report.contains(" new in "), "{report}");
}

/// An auditor's copy of the inbox lacks one file: `verify` says which, and that its rows
/// left 進捗一覧, each by what it was, and nothing else (no cell-by-cell list of shifted rows).
#[test]
fn verify_names_a_missing_file_and_its_rows_and_nothing_else() {
    let r = Rerun::new();
    let gone = "R6上期_福祉課.xlsx";
    let rows: Vec<String> = common::read_sheet(&r.dir.path().join("book.xlsx"), "進捗一覧")
        .into_iter()
        .filter(|row| row.iter().any(|c| c.starts_with(&format!("{gone}!"))))
        .map(|row| row[2].clone())
        .collect();
    assert!(!rows.is_empty(), "{gone} has rows in 進捗一覧");
    std::fs::remove_file(r.dir.path().join("inbox").join(gone)).expect("remove");
    let out = r.verify();
    let report = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1 | 4), "{report}");
    let lines: Vec<&str> = report.lines().collect();
    let at = |prefix: &str| lines.iter().position(|l| l.starts_with(prefix)).unwrap_or_else(|| panic!("no line {prefix}:\n{report}"));
    assert!(lines[at("inputs:") + 1].contains(&format!("missing: {gone}")), "{report}");
    let book = at("book: DIFFERS");
    assert_eq!(lines[book + 1], format!("  rows of {gone} gone from 進捗一覧: {}", rows.len()), "{report}");
    for (i, project) in rows.iter().enumerate() {
        let line = lines[book + 2 + i];
        assert!(line.starts_with(&format!("    {gone}!")) && line.contains(project.as_str()), "{line}\n{report}");
    }
    // Then the verdict, and nothing between.
    assert!(lines[book + 2 + rows.len()].starts_with("DIFFERS") || lines[book + 2 + rows.len()].contains("differ"), "{report}");
    assert_eq!(lines.len(), book + 3 + rows.len(), "nothing else:\n{report}");
}

#[test]
fn a_plugin_that_is_not_the_pinned_one_is_refused_saying_how_to_accept_it() {
    let staged = common::stage("pipelines/minato.yaml");
    let pipeline = &staged.path;
    let lock = torimatome::pipeline::lock::path_for(pipeline);
    // The plugin this build made (target/debug/deps, or target/release/deps under
    // `cargo test --release`), which the staged pipeline loads.
    let library = common::plugin_dir().join(torimatome::plugin::file_name("torimatome-ja"));
    let relative = torimatome::paths::relative(staged.dir.path(), &library);
    std::fs::write(&lock, format!("torimatome-ja {relative} {}\n", "0".repeat(64))).expect("write");
    let p = pipeline.display().to_string();

    let out = torimatome(&["validate", &p]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("is not the one pinned") && stderr.contains(&format!("torimatome lock {p}")), "{stderr}");

    let out = torimatome(&["lock", &p]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!std::fs::read_to_string(&lock).expect("lock").contains(&"0".repeat(64)));
    assert!(torimatome(&["validate", &p]).status.success(), "accepted");
}

#[test]
fn the_records_cannot_carry_a_formula_into_excel() {
    let run = common::run_pipeline("pipelines/seto.yaml", Some(&common::shared().join("samples/inbox")));
    let raw = std::fs::read_to_string(run.dir.path().join("records.csv")).expect("csv");
    let mut reader = csv::Reader::from_reader(raw.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().expect("headers").clone();
    let mut lone_signs = 0;
    for record in reader.records() {
        let record = record.expect("row");
        for (name, field) in headers.iter().zip(record.iter()) {
            if name == "value" || name == "fiscal_year" {
                continue;
            }
            // What Excel evaluates: `=`, `@`, a tab or return, or a sign before anything
            // but a plain number.
            let plain_number = |rest: &str| rest.is_empty() || rest.trim_end_matches('%').replace(',', "").parse::<f64>().is_ok_and(f64::is_finite);
            let formula = field.starts_with(['=', '@', '\t', '\r']) || (field.starts_with(['+', '-']) && !plain_number(&field[1..]));
            assert!(!formula, "{name} = {field:?} would be a formula");
            lone_signs += usize::from(field == "-");
        }
    }
    // The samples write "-" for "no value" in many cells: data, kept as written.
    assert!(lone_signs > 0);
}
