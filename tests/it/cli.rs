//! The command line as a DX office uses it: exit codes, the summary line, and `validate`
//! listing every problem of a pipeline with its line and column.

use crate::common;

use std::path::Path;
use std::process::Output;

/// torimatome on a system in English (the tests below read its English words).
fn torimatome(args: &[&str]) -> Output {
    common::torimatome_in("C", args)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn validate_accepts_the_shipped_pipelines() {
    for pipeline in ["pipelines/seto.yaml", "pipelines/minato.yaml"] {
        let staged = common::stage(pipeline);
        let out = torimatome(&["validate", staged.arg()]);
        assert!(out.status.success(), "{pipeline}: {}", text(&out.stderr));
        assert!(text(&out.stdout).contains("OK"));
    }
}

#[test]
fn validate_lists_every_problem_with_line_and_column() {
    let staged = common::stage_edited("pipelines/minato.yaml", |shipped| {
        shipped
        .replace("  check: [file_name, title]", "  check: [file_name, title]\n  colour: blue")
        .replace("      unit: [単位]", "      unit: [単位]\n      colour: [色]")
        .replace("  - step: departments", "  - step: departmnets")
        .replace("      percent_units: [\"%\"]", "      percent_units: [\"%\"]\n      percnet: true")
        .replace("sheets: [\"^進捗報告\"", "sheets: [\"^進捗(報告\"")
    });
    let path = &staged.path;
    let out = torimatome(&["validate", path.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2), "a bad pipeline exits 2");
    let stderr = text(&out.stderr);
    let line_of = |needle: &str| {
        let source = std::fs::read_to_string(path).expect("read");
        source.lines().position(|l| l.contains(needle)).map(|i| i + 1).expect(needle)
    };
    for (needle, what) in [
        ("colour: blue", "unknown key `colour`"),
        ("colour: [色]", "unknown role `colour`"),
        ("departmnets", "no loaded plugin offers the step `departmnets`"),
        ("percnet", "unknown option `percnet`"),
        ("進捗(報告", "bad regular expression"),
    ] {
        let line = line_of(needle);
        let reported = stderr.lines().find(|l| l.contains(what)).unwrap_or_else(|| panic!("{what} not reported:\n{stderr}"));
        assert!(reported.contains(&format!("minato.yaml:{line}:")), "{what} at line {line}: {reported}");
    }
    assert!(stderr.contains("5 problems in the pipeline"), "all five at once:\n{stderr}");
}

#[test]
fn run_writes_the_book_and_says_what_went_in_and_out() {
    let dir = tempfile::tempdir().expect("temp");
    let minato = common::stage("pipelines/minato.yaml");
    let book = dir.path().join("book.xlsx");
    let out = torimatome(&["run", minato.arg(), "--out", book.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(book.exists());
    let summary = text(&out.stdout);
    assert_eq!(summary.lines().count(), 1, "one summary line: {summary}");
    // What fixtures/minato/expected.json says of the collection.
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::project_root().join("fixtures/minato/expected.json")).expect("expected.json"),
    )
    .expect("json");
    let files = expected["files"].as_array().expect("files");
    let count = |outcome: &str| files.iter().filter(|f| f["outcome"] == outcome).count();
    let files_line = format!(
        "{} files ({} consolidated, {} superseded, {} ignored, {} errors)",
        files.len(),
        count("consolidated"),
        count("superseded"),
        count("ignored"),
        count("error")
    );
    assert!(summary.contains(&files_line), "{summary}\nwant {files_line}");
    let consolidated = expected["totals"]["indicator_rows"].as_u64().expect("rows");
    let set_aside: u64 = expected["not_consolidated"].as_object().expect("obj").values().map(|f| f["indicator_rows"].as_u64().unwrap_or(0)).sum();
    let rows_line = format!("rows read {} = consolidated {consolidated} + set aside {set_aside}", consolidated + set_aside);
    assert!(summary.contains(&rows_line), "{summary}\nwant {rows_line}");
    // Not a terminal: progress comes as plain lines, one per file, in name order whatever
    // order the threads read them in: a log compares from run to run.
    let stderr = text(&out.stderr);
    assert!(stderr.contains("R6上期_福祉課.xlsx"));
    let files: Vec<&str> = stderr.lines().filter(|l| l.starts_with("  ")).collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
    let again = torimatome(&["run", minato.arg(), "--out", dir.path().join("again.xlsx").to_str().expect("utf-8")]);
    let lines = |out: &str| out.lines().filter(|l| l.starts_with("  ")).map(String::from).collect::<Vec<_>>();
    assert_eq!(lines(&text(&again.stderr)), lines(&stderr));
}

#[test]
fn strict_turns_listed_problems_into_a_failing_exit_code() {
    let dir = tempfile::tempdir().expect("temp");
    let minato = common::stage("pipelines/minato.yaml");
    let book = dir.path().join("book.xlsx");
    let out = torimatome(&["run", minato.arg(), "--strict", "--out", book.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1), "the fixture lists problems");
    assert!(book.exists(), "the book is still written");
}

#[test]
fn an_unwritable_output_or_missing_inbox_stops_the_run_naming_the_path() {
    let dir = tempfile::tempdir().expect("temp");
    let minato = common::stage("pipelines/minato.yaml");
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, b"x").expect("write");
    let target = blocker.join("book.xlsx");
    let out = torimatome(&["run", minato.arg(), "--out", target.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stderr).contains(&target.display().to_string()), "{}", text(&out.stderr));

    // Checked before any file is read: a book named .csv, records that cannot be written.
    let csv_book = dir.path().join("book.csv");
    let out = torimatome(&["run", minato.arg(), "--out", csv_book.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stderr).contains(".xlsx") && !csv_book.exists(), "{}", text(&out.stderr));
    let book = dir.path().join("book.xlsx");
    let records = blocker.join("records.csv");
    let out = torimatome(&["run", minato.arg(), "--out", book.to_str().expect("utf-8"), "--records", records.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stderr).contains(&records.display().to_string()), "{}", text(&out.stderr));
    assert!(!book.exists(), "exit 3 means no book: nothing was read or written");
    assert!(text(&out.stderr).lines().all(|l| !l.contains("R6上期_")), "no file was read: {}", text(&out.stderr));

    let nowhere = dir.path().join("no-such-inbox");
    let out = torimatome(&["run", minato.arg(), "--inbox", nowhere.to_str().expect("utf-8"), "--out", dir.path().join("b.xlsx").to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stderr).contains("no-such-inbox"));
    assert!(!Path::new(&dir.path().join("b.xlsx")).exists());
}

#[test]
fn outputs_never_go_into_the_inbox() {
    let dir = tempfile::tempdir().expect("temp");
    let minato = common::stage("pipelines/minato.yaml");
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).expect("mkdir");
    let book = inbox.join("book.xlsx");
    let out = torimatome(&["run", minato.arg(), "--inbox", inbox.to_str().expect("utf-8"), "--out", book.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stderr).contains("never go into the inbox"), "{}", text(&out.stderr));
    assert!(!book.exists());
}

#[test]
fn a_reader_that_panics_leaves_the_terminal_clean_and_the_run_goes_on() {
    // calamine panics on this cut-short compound file (fuzz/README.md, F1): the book lists
    // it; the terminal shows no panic message or backtrace.
    let dir = tempfile::tempdir().expect("temp");
    let minato = common::stage("pipelines/minato.yaml");
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).expect("mkdir");
    for entry in std::fs::read_dir(common::project_root().join("fixtures/minato/inbox")).expect("inbox").filter_map(Result::ok) {
        std::fs::copy(entry.path(), inbox.join(entry.file_name())).expect("copy");
    }
    let finding = common::project_root().join("fuzz/findings/workbook_reader-calamine-cfb320-slice.xls");
    std::fs::copy(finding, inbox.join("R6上期_環境課.xls")).expect("copy");
    let book = dir.path().join("book.xlsx");
    let out = torimatome(&["run", minato.arg(), "--inbox", inbox.to_str().expect("utf-8"), "--out", book.to_str().expect("utf-8")]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"), "{stderr}");
    assert!(stderr.contains("R6上期_環境課.xls — the reader failed on this file"), "the panic was caught and listed: {stderr}");
}

#[test]
fn validate_checks_the_passwords_file_without_showing_a_password() {
    let dir = tempfile::tempdir().expect("temp");
    let file = dir.path().join("passwords.txt");
    std::fs::write(&file, "# 担当課から届いたパスワード\nR6上期_*.xlsx\tsecret\nnopatternonlyapassword\n").expect("write");
    for (passwords, says) in [
        (file.display().to_string(), "passwords file line 3: write a file-name pattern, a tab, then the password"),
        (dir.path().join("nowhere.txt").display().to_string(), "cannot read the passwords file"),
    ] {
        let staged = common::stage_edited("pipelines/minato.yaml", |yaml| yaml.replace("\nroster:", &format!("\npasswords: \"{passwords}\"\n\nroster:")));
        let out = torimatome(&["validate", staged.arg()]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(says), "{stderr}");
        assert!(!stderr.contains("secret") && !stderr.contains("nopatternonlyapassword"), "no password in a message: {stderr}");
    }
}

/// The counts of fixtures/minato/expected.json: files by outcome, rows consolidated and set aside.
fn minato_counts() -> (usize, [usize; 4], u64, u64) {
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::project_root().join("fixtures/minato/expected.json")).expect("expected.json"),
    )
    .expect("json");
    let files = expected["files"].as_array().expect("files");
    let count = |outcome: &str| files.iter().filter(|f| f["outcome"] == outcome).count();
    let consolidated = expected["totals"]["indicator_rows"].as_u64().expect("rows");
    let set_aside: u64 = expected["not_consolidated"].as_object().expect("obj").values().map(|f| f["indicator_rows"].as_u64().unwrap_or(0)).sum();
    (files.len(), [count("consolidated"), count("superseded"), count("ignored"), count("error")], consolidated, set_aside)
}

#[test]
fn the_summary_speaks_the_language_asked_for() {
    let dir = tempfile::tempdir().expect("temp");
    let minato = common::stage("pipelines/minato.yaml");
    let (files, [ok, superseded, ignored, errors], rows, aside) = minato_counts();
    let run = |lang: &str, book: &str| {
        // The system says Japanese; `--lang` wins.
        let out = common::torimatome_in("ja_JP.UTF-8", &["--lang", lang, "run", minato.arg(), "--out", dir.path().join(book).to_str().expect("utf-8")]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        (text(&out.stdout), text(&out.stderr))
    };
    let (ja, ja_log) = run("ja", "ja.xlsx");
    let want = format!("{files} ファイル (集計 {ok}、差し替え {superseded}、対象外 {ignored}、エラー {errors})。読込 {} 行 = 集計 {rows} + 除外 {aside}。問題 ", rows + aside);
    assert!(ja.contains(&want), "{ja}\nwant {want}");
    assert!(ja.contains(" 件。提出 ") && ja.contains(" 課 (集計できず "), "{ja}");
    assert!(ja_log.contains("ファイルを読み込み中"), "{ja_log}");
    let (en, en_log) = run("en", "en.xlsx");
    let want = format!("{files} files ({ok} consolidated, {superseded} superseded, {ignored} ignored, {errors} errors); rows read {} = consolidated {rows} + set aside {aside}; ", rows + aside);
    assert!(en.contains(&want), "{en}\nwant {want}");
    assert!(en_log.contains(&format!("reading {files} files")), "{en_log}");
    // No word of the other language in either line (file and folder names aside).
    assert!(!ja.contains("files") && !ja.contains("consolidated"), "{ja}");
    assert!(!en.contains("ファイル") && !en.contains("集計"), "{en}");
}

#[test]
fn without_lang_the_system_language_decides() {
    let minato = common::stage("pipelines/minato.yaml");
    for (locale, says, not) in [("ja_JP.UTF-8", "レイアウト", "layouts"), ("C", "layouts", "レイアウト"), ("en_US.UTF-8", "layouts", "レイアウト")] {
        let out = common::torimatome_in(locale, &["validate", minato.arg()]);
        let stdout = text(&out.stdout);
        assert!(out.status.success() && stdout.contains(says) && !stdout.contains(not), "LANG={locale}: {stdout}{}", text(&out.stderr));
    }
    // A pipeline's problems too, at their line and column.
    let broken = common::stage_edited("pipelines/minato.yaml", |yaml| yaml.replace("  - step: departments", "  - step: departmnets"));
    let out = common::torimatome_in("ja_JP.UTF-8", &["validate", broken.arg()]);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("読み込んだどのプラグインも処理 `departmnets` を持たない") && stderr.contains("パイプラインに問題が 1 件"), "{stderr}");
}

#[test]
fn help_speaks_the_language_asked_for() {
    for (args, locale, says) in [
        (&["--help"][..], "ja_JP.UTF-8", &["使い方: torimatome", "コマンド:", "オプション:", "受付フォルダを読み、進捗ブックを書く", "ヘルプを表示"][..]),
        (&["--help"], "C", &["Usage: torimatome", "Commands:", "Options:", "Read the inbox and write the progress book", "Print help"]),
        (&["--lang", "en", "--help"], "ja_JP.UTF-8", &["Usage: torimatome", "Commands:"]),
        (&["run", "--help", "--lang=ja"], "C", &["使い方: torimatome run", "引数:", "パイプラインのファイル", "集計したすべての値をこのファイルにも書く: .csv、.parquet"]),
        (&["verify", "--help"], "C", &["Arguments:", "Read this copy of the inbox instead of the one the manifest names"]),
    ] {
        let out = common::torimatome_in(locale, args);
        let stdout = text(&out.stdout);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        for s in says {
            assert!(stdout.contains(s), "{args:?} with LANG={locale} says {s:?}:\n{stdout}");
        }
    }
}
