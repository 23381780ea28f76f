//! A shared folder cannot break a run: workbooks written by other tools (LibreOffice,
//! xlsxwriter, hand-written "Google Sheets" and .NET style parts), old xls, encrypted,
//! corrupt and truncated files, decompression bombs, a million formatted empty rows, junk
//! with a workbook's name. fixtures/hostile/make_hostile.py made them; expected.json says
//! what a correct run gives for each.

use crate::common;

use serde_json::Value as Json;
use torimatome::model::{Issue, Outcome};
use torimatome::workbook::ReadError;

#[test]
fn every_hostile_file_is_accounted_for_and_the_run_goes_on() {
    let root = common::project_root();
    let dir = root.join("fixtures/hostile");
    let expected: Json = serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).expect("expected.json")).expect("json");

    // The fixture pipeline, pointed at this folder and its roster, with a memory bound the
    // million-row sheet (85 MB unpacked) fits under and the bombs (2 GB) do not.
    let staged = common::stage_edited("pipelines/minato.yaml", |yaml| {
        yaml.replace("../fixtures/minato/inbox", "../fixtures/hostile/inbox")
            .replace("../fixtures/minato/roster.txt", "../fixtures/hostile/roster.txt")
            .replace("book:\n", "limits:\n  max_unpacked_mb: 128\n\nbook:\n")
    });
    let pipeline = common::load(&staged.path).unwrap_or_else(|e| panic!("{e:?}"));
    let temp = &staged.dir;

    let paths = torimatome::run::Paths { inbox: None, out: Some(temp.path().join("book.xlsx")), records: None, cache: false };
    let c = torimatome::run::run(&pipeline, &paths, &torimatome::run::Quiet).expect("the book is written").consolidation;

    let files = expected["files"].as_array().expect("files");
    assert_eq!(c.files.len(), files.len(), "every file of the inbox is listed, and only those");
    let mut damaged = 0;
    for want in files {
        let name = want["file"].as_str().expect("name");
        let got = c.files.iter().find(|f| f.name == name).unwrap_or_else(|| panic!("{name} not listed"));
        let reason = got.outcome.reason_in(torimatome::messages::Lang::En).to_lowercase();
        assert_eq!(got.outcome.as_str(), want["outcome"].as_str().expect("outcome"), "{name}: {reason}");
        let any: Vec<String> = want["reason_any"].as_array().map(|a| a.iter().filter_map(|r| r.as_str()).map(str::to_lowercase).collect()).unwrap_or_default();
        if got.outcome != Outcome::Consolidated {
            assert!(any.iter().any(|r| reason.contains(r.as_str())), "{name}: reason {reason:?} says none of {any:?}");
        }
        // A damaged file is said in a person's words; the reader's own (calamine's
        // "Relationship not found", "Invalid short string length") go in a column apart.
        if let Outcome::Error(Issue::Unreadable(ReadError::Corrupt(said))) = &got.outcome {
            damaged += 1;
            assert!(!reason.contains(&said.to_lowercase()), "{name}: {reason}");
            assert_eq!(got.outcome.detail(), Some(said.as_str()), "{name}: the reader's words are kept");
        }
        if let Some(rows) = want["indicator_rows"].as_u64() {
            assert_eq!(got.rows_consolidated as u64, rows, "{name}: rows");
        }
        for cell in want["problem_cells"].as_array().into_iter().flatten() {
            let cell = cell["cell"].as_str().or(cell.as_str()).expect("cell");
            assert!(c.problems.iter().any(|p| p.file == name && p.cell == cell), "{name} {cell} not in 問題一覧");
        }
    }
    assert!(damaged > 0, "damaged files are among the hostile ones");
    for hidden in expected["not_listed"].as_array().into_iter().flatten() {
        let hidden = hidden.as_str().or(hidden["file"].as_str()).expect("name");
        assert!(!c.files.iter().any(|f| hidden.ends_with(&f.name) && f.name.contains('/')), "{hidden} was listed");
    }
    assert_eq!(c.rows_read(), c.rows_consolidated() + c.rows_set_aside());
}

/// Every hostile file of the project, every fixture case's inbox and the samples, in one
/// shared folder: the book is still written, and every file in it is accounted for.
#[test]
fn one_folder_of_everything_hostile_and_the_samples_still_gives_a_book() {
    let root = common::project_root();
    let mut sources = vec![common::shared().join("samples/inbox"), root.join("fixtures/hostile/inbox")];
    let mut cases: Vec<_> = std::fs::read_dir(root.join("fixtures/cases")).expect("cases").filter_map(Result::ok).map(|e| e.path().join("inbox")).filter(|p| p.is_dir()).collect();
    cases.sort();
    sources.extend(cases);
    let inbox = tempfile::tempdir().expect("temp");
    for source in &sources {
        let mut files: Vec<_> = std::fs::read_dir(source).expect("inbox").filter_map(Result::ok).filter(|e| e.path().is_file()).collect();
        files.sort_by_key(|e| e.file_name());
        for file in files {
            let name = file.file_name().to_string_lossy().into_owned();
            // Two folders may hold a file of one name: the later one is numbered.
            let mut target = inbox.path().join(&name);
            let mut n = 2;
            while target.exists() {
                let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, ""));
                target = inbox.path().join(format!("{stem} ({n}).{ext}"));
                n += 1;
            }
            std::fs::copy(file.path(), target).expect("copy");
        }
    }
    let staged = common::stage("pipelines/seto.yaml");
    let pipeline = common::load(&staged.path).expect("pipeline");
    let out = tempfile::tempdir().expect("temp");
    let paths = torimatome::run::Paths { inbox: Some(inbox.path().to_path_buf()), out: Some(out.path().join("book.xlsx")), records: None, cache: false };
    let report = torimatome::run::run(&pipeline, &paths, &torimatome::run::Quiet).expect("the book is written");
    let c = &report.consolidation;
    let entries = torimatome::inbox::entries(inbox.path()).expect("entries");
    assert!(entries.len() > 100, "{} files", entries.len());
    let listed: Vec<&str> = c.files.iter().map(|f| f.name.as_str()).collect();
    let expected: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(listed, expected, "every file of the folder (and of its archives) is in 入力ファイル, once");
    assert_eq!(c.rows_read(), c.rows_consolidated() + c.rows_set_aside());
    let book = std::fs::read(&report.book).expect("book");
    torimatome::workbook::read(&book, &torimatome::workbook::Limits::default()).expect("the book reads back");
}
