//! A summary book (`book.summary: true`): at a prefecture's scale the rows go to the
//! records only, set down on disk while the inbox is read, and the book keeps the sheets
//! that count. What it counts must be what the full book counts, and its records the full
//! run's, byte for byte.

use std::path::{Path, PathBuf};

use torimatome::run::{self, Paths, Quiet};

use crate::common;

/// The samples' pipeline with `book.summary: true`.
fn summary_pipeline() -> common::Staged {
    common::stage_edited("pipelines/seto.yaml", |text| text.replacen("\nbook:\n", "\nbook:\n  summary: true\n", 1))
}

/// Run `pipeline` over the samples into `dir`, records in a folder of parts there: the
/// book and the records file written.
fn run_into(pipeline: &Path, dir: &Path) -> (PathBuf, PathBuf) {
    let loaded = common::load(pipeline).unwrap_or_else(|e| panic!("{}: {e:?}", pipeline.display()));
    let paths = Paths {
        inbox: Some(common::shared().join("samples/inbox")),
        out: Some(dir.join("book.xlsx")),
        records: Some(dir.join("records")),
        cache: true,
    };
    let report = run::run(&loaded, &paths, &Quiet).unwrap_or_else(|e| panic!("run failed: {e}"));
    (report.book, report.records.expect("records written"))
}

#[test]
fn a_summary_book_counts_what_the_full_book_counts_and_its_rows_are_the_full_runs_records() {
    let summary = summary_pipeline();
    let full = common::stage("pipelines/seto.yaml");
    let (a, b) = (tempfile::tempdir().expect("temp dir"), tempfile::tempdir().expect("temp dir"));
    let (summary_book, summary_records) = run_into(&summary.path, a.path());
    let (full_book, full_records) = run_into(&full.path, b.path());

    let sheets = |book: &Path| -> Vec<String> {
        let wb: calamine::Xlsx<_> = calamine::open_workbook(book).expect("the book opens");
        calamine::Reader::sheet_names(&wb)
    };
    assert_eq!(sheets(&summary_book), ["概要", "部署別", "未提出", "問題一覧", "入力ファイル", "監査情報"], "no sheet of rows");
    assert!(sheets(&full_book).contains(&"進捗一覧".to_string()));
    // 監査情報 names each run's own pipeline file; everything else is the same, but for
    // where 概要 sends the reader for each indicator: the records, there being no 進捗一覧.
    for sheet in ["概要", "部署別", "未提出", "問題一覧", "入力ファイル"] {
        let without_pointer = |book: &Path| -> Vec<Vec<String>> {
            common::read_sheet(book, sheet).into_iter().filter(|row| !row.first().is_some_and(|c| c.starts_with("達成率を算定できた指標のうち"))).collect()
        };
        assert_eq!(without_pointer(&summary_book), without_pointer(&full_book), "{sheet}: as the full book counts it");
    }
    let overview = common::read_sheet(&summary_book, "概要").concat();
    assert!(overview.iter().any(|c| c.contains("明細の記録ファイル")) && !overview.iter().any(|c| c.contains("進捗一覧")), "概要 sends the reader to the records, not to a sheet it lacks");
    let audit = common::read_sheet(&summary_book, "監査情報");
    assert_eq!(common::labelled(&audit, "集計した行"), common::labelled(&common::read_sheet(&full_book, "監査情報"), "集計した行"));
    assert!(std::fs::read(&summary_records).expect("records") == std::fs::read(&full_records).expect("records"), "the same records, byte for byte");

    // A summary leaves no rows for the next period's 前期比: a run comparing with it stops
    // before reading, saying so.
    let manifest = a.path().join("book.manifest.json");
    let next = b.path().join("next.xlsx");
    let out = common::torimatome_in("C", &["run", full.arg(), "--out", next.to_str().expect("UTF-8"), "--previous", manifest.to_str().expect("UTF-8")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("summary book (book.summary)") && !next.exists(), "{stderr}");

    // A rerun from the cache writes the same book and records again.
    let before = (std::fs::read(&summary_book).expect("book"), std::fs::read(&summary_records).expect("records"));
    run_into(&summary.path, a.path());
    assert!(before == (std::fs::read(&summary_book).expect("book"), std::fs::read(&summary_records).expect("records")), "a rerun: the same bytes");
}

#[test]
fn a_summary_book_without_records_stops_before_any_file_is_read() {
    let summary = summary_pipeline();
    let book = summary.dir.path().join("book.xlsx");
    let out = common::torimatome_in("C", &["run", summary.arg(), "--out", book.to_str().expect("UTF-8")]);
    assert_eq!(out.status.code(), Some(2), "a mistake in what the run was told");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--records") && stderr.contains("book.summary"), "says what to add: {stderr}");
    assert!(!book.exists() && !stderr.contains("reading"), "nothing read, nothing written");
}
