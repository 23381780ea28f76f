//! The catalogue (src/messages.rs, src/messages/*.ftl): both languages parse and have the
//! same messages, every id the code asks for is there, and the book's words are Japanese:
//! one wording and one piece of advice per problem, wherever it is listed.

use std::collections::BTreeSet;
use std::path::Path;

use torimatome::messages::{self, Issue, Lang};
use torimatome::model::Outcome;
use torimatome::workbook::{NotWorkbook, ReadError};
use torimatome_ja_core::era::{Half, Period};

#[test]
fn both_languages_parse_and_have_the_same_ids() {
    for lang in Lang::ALL {
        assert_eq!(messages::syntax_errors(lang), Vec::<String>::new(), "{}.ftl does not parse", lang.code());
        let ids = messages::ids(lang);
        let unique: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{}.ftl gives an id twice", lang.code());
    }
    // The same ids in the same order: a message added to one file is added to the other
    // beside it.
    assert_eq!(messages::ids(Lang::Ja), messages::ids(Lang::En));
    // Every message words (Fluent drops a message it cannot read, and then shows its id).
    for lang in Lang::ALL {
        for id in messages::ids(lang) {
            assert_ne!(messages::text(lang, &id, &[]), id, "{}: {id}", lang.code());
        }
    }
}

/// Every string literal of the sources that names a message is an id of the catalogue: the
/// first argument of `Msg::new`, `text(lang, …)`, `fixed(…)` and the local `t(…)`, and every
/// literal shaped like an id (`config-fiscal-year`), unless it names an argument (`size-before`).
#[test]
fn every_id_the_code_asks_for_is_in_the_catalogue() {
    let ids: BTreeSet<String> = messages::ids(Lang::Ja).into_iter().collect();
    let catalogue = Lang::ALL.map(|l| l.source()).join("\n");
    let called = regex::Regex::new(r#"(?:Msg::new|\btext\(\s*[\w.]+,|\bfixed\(\s*[\w:]+,|\bt)\(?\s*"([^"]*)""#).expect("regex");
    let hyphenated = regex::Regex::new(r#""([a-z][a-z0-9]*(?:-[a-z0-9]+)+)""#).expect("regex");
    let mut files = Vec::new();
    rust_files(&crate::common::project_root().join("src"), &mut files);
    let mut missing = Vec::new();
    for file in &files {
        let source = std::fs::read_to_string(file).expect("source");
        // `t(…)` is the catalogue only where a file makes it so.
        let own_t = source.contains("let t = |id: &str");
        for c in called.captures_iter(&source).filter(|c| own_t || !c[0].starts_with('t')) {
            if !ids.contains(&c[1]) {
                missing.push(format!("{}: \"{}\"", file.display(), &c[1]));
            }
        }
        for c in hyphenated.captures_iter(&source) {
            let argument = format!("$ {}", &c[1]).replace("$ ", "$");
            // Hyphenated names that are not words: programs torimatome starts.
            const PROGRAMS: [&str; 1] = ["xdg-open"];
            if !ids.contains(&c[1]) && !catalogue.contains(&argument) && !PROGRAMS.contains(&&c[1]) {
                missing.push(format!("{}: \"{}\"", file.display(), &c[1]));
            }
        }
    }
    // Made from a name: the words of each outcome.
    for outcome in [Outcome::Consolidated, Outcome::Superseded { by: "x".into() }, Outcome::Ignored(Issue::LockFile), Outcome::Error(Issue::NoProject)] {
        let id = format!("outcome-{}", outcome.as_str());
        if !ids.contains(&id) {
            missing.push(id);
        }
    }
    assert!(missing.is_empty(), "ids the code asks for that the catalogue lacks:\n{}", missing.join("\n"));
    assert_eq!(called.captures_iter("Msg::new(\"a\") text(lang, \"b\") t(\"c\")").count(), 3, "the pattern finds calls");
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a source directory").filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A value of every variant of [`Issue`], its texts in Japanese as a department writes them.
fn every_issue() -> Vec<Issue> {
    let why = || "担当課「資産管理課」は名簿にない".to_string();
    let period = |fiscal_year, half| Period { fiscal_year, half };
    let mut issues = vec![
        Issue::LockFile,
        Issue::HiddenFile,
        Issue::Excluded,
        Issue::NotWorkbookName,
        Issue::CannotOpen { why: "使用中".into() },
        Issue::ArchiveUnreadable { why: "壊れている".into() },
        Issue::ArchivePassword,
        Issue::ReaderFailed { why: "内部".into() },
        Issue::LayoutPluginFailed { failures: vec!["カード: 読めない".into()] },
        Issue::WrongTemplate { sheet: "進捗報告".into(), missing: vec!["指標名".into(), "単位".into()] },
        Issue::NoLayout { sheets: (1..=12).map(|i| format!("シート{i}")).collect() },
        Issue::DepartmentNotOnRoster { why: why() },
        Issue::NoDepartmentAnywhere,
        Issue::NoDepartment,
        Issue::AnotherPeriod { stated: period(2022, Half::First), expected: period(2024, Half::Second) },
        Issue::Superseded { by: "R6上期_福祉課_修正版.xlsx".into() },
        Issue::Undecided { winner: "報告_b.xlsx".into(), others: vec!["報告_a.xlsx".into()] },
        Issue::DepartmentCellNotOnRoster { why: why() },
        Issue::DepartmentLookalike { warning: "担当課「DХ推進課」は名簿の「DX推進課」に見えるが別の文字を含む".into() },
        Issue::RowDepartment { why: why() },
        Issue::LayoutFailed { layout: "カード".into(), why: "読めない".into() },
        Issue::StepFailed { step: "数値".into(), role: "値".into(), why: "読めない".into() },
        Issue::Value { why: "数値がない".into() },
        Issue::ValueWarning { warning: "確認".into() },
        Issue::Status { why: "進捗区分「◇」がパイプラインの語彙にない".into() },
        Issue::StatusNotCounted { label: "完了".into() },
        Issue::TextWarning { warning: "日本語の中に他の文字体系の文字".into() },
        Issue::NoProject,
        Issue::MissingColumn { name: "備考".into(), rows: 12 },
        Issue::ValueHeader,
        Issue::ReportDate { why: "日付として読めない".into() },
        Issue::Plugin { what: "カードの事業名が空欄".into(), todo: "記入する".into() },
    ];
    issues.extend(every_read_error().into_iter().map(Issue::Unreadable));
    // A variant added to Issue must be added above: this match stops compiling until it is.
    for issue in &issues {
        match issue {
            Issue::LockFile
            | Issue::HiddenFile
            | Issue::Excluded
            | Issue::NotWorkbookName
            | Issue::CannotOpen { .. }
            | Issue::ArchiveUnreadable { .. }
            | Issue::ArchivePassword
            | Issue::Unreadable(_)
            | Issue::ReaderFailed { .. }
            | Issue::LayoutPluginFailed { .. }
            | Issue::WrongTemplate { .. }
            | Issue::NoLayout { .. }
            | Issue::DepartmentNotOnRoster { .. }
            | Issue::NoDepartmentAnywhere
            | Issue::NoDepartment
            | Issue::AnotherPeriod { .. }
            | Issue::Superseded { .. }
            | Issue::Undecided { .. }
            | Issue::DepartmentCellNotOnRoster { .. }
            | Issue::DepartmentLookalike { .. }
            | Issue::RowDepartment { .. }
            | Issue::LayoutFailed { .. }
            | Issue::StepFailed { .. }
            | Issue::Value { .. }
            | Issue::ValueWarning { .. }
            | Issue::Status { .. }
            | Issue::StatusNotCounted { .. }
            | Issue::TextWarning { .. }
            | Issue::NoProject
            | Issue::MissingColumn { .. }
            | Issue::ValueHeader
            | Issue::ReportDate { .. }
            | Issue::Plugin { .. } => {}
        }
    }
    issues
}

fn every_read_error() -> Vec<ReadError> {
    let errors = vec![
        ReadError::ZeroBytes,
        ReadError::PasswordProtected,
        ReadError::Truncated,
        ReadError::TooLarge { part: "進捗報告".into(), limit: 256 << 20 },
        ReadError::TooManyCells { part: "進捗報告".into(), cells: 50_000_000 },
        ReadError::BeyondGrid { sheet: "進捗報告".into(), row: 2_000_000, col: 3 },
        ReadError::NotAWorkbook(NotWorkbook::Text),
        ReadError::NotAWorkbook(NotWorkbook::Pdf),
        ReadError::NotAWorkbook(NotWorkbook::Unknown),
        ReadError::OldExcel { biff: 4 },
        ReadError::NoSheets,
        ReadError::SectorLoop,
        ReadError::Corrupt("invalid zip header".into()),
    ];
    for e in &errors {
        match e {
            ReadError::ZeroBytes
            | ReadError::PasswordProtected
            | ReadError::Truncated
            | ReadError::TooLarge { .. }
            | ReadError::TooManyCells { .. }
            | ReadError::BeyondGrid { .. }
            | ReadError::NotAWorkbook(_)
            | ReadError::OldExcel { .. }
            | ReadError::NoSheets
            | ReadError::SectorLoop
            | ReadError::Corrupt(_) => {}
        }
    }
    errors
}

/// Words in ASCII letters a Japanese cell may hold: names of formats, products and
/// standards, and file names' parts.
const ALLOWED: &[&str] = &["Excel", "zip", "xlsx", "xls", "xml", "ods", "CSV", "PDF", "BIFF", "TRUE", "FALSE", "torimatome"];

/// The runs of three or more ASCII letters in `text` that [`ALLOWED`] does not name.
fn english_words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() >= 3 && !ALLOWED.contains(w)).collect()
}

#[test]
fn the_book_speaks_japanese_only() {
    let mut english = Vec::new();
    let mut check = |what: &str, text: &str| {
        if !english_words(text).is_empty() || text.contains(" / ") {
            english.push(format!("{what}: {text:?}"));
        }
    };
    for issue in every_issue() {
        check(&format!("{issue:?} what"), &issue.what());
        check(&format!("{issue:?} todo"), issue.todo());
        assert_eq!(issue.what(), issue.what_in(Lang::Ja));
        assert_eq!(issue.todo(), issue.todo_in(Lang::Ja));
    }
    for e in every_read_error() {
        check(&format!("{e:?}"), &e.to_string());
    }
    for outcome in [Outcome::Consolidated, Outcome::Superseded { by: "修正版.xlsx".into() }, Outcome::Ignored(Issue::LockFile), Outcome::Error(Issue::NoProject)] {
        check(&format!("{outcome:?} label"), outcome.label_ja());
        check(&format!("{outcome:?} reason"), &outcome.reason());
        assert_eq!(outcome.label_ja(), outcome.label(Lang::Ja));
    }
    assert!(english.is_empty(), "English words in the book's words:\n{}", english.join("\n"));
    assert!(english_words("様式が違う / wrong template").contains(&"wrong"), "the check finds English");
}

#[test]
fn every_issue_has_words_in_both_languages_and_no_id_shows() {
    let ids: BTreeSet<String> = messages::ids(Lang::Ja).into_iter().collect();
    for issue in every_issue() {
        for lang in Lang::ALL {
            let (what, todo) = (issue.what_in(lang), issue.todo_in(lang));
            assert!(!what.is_empty() && !ids.contains(&what) && !ids.contains(&todo), "{issue:?} in {lang:?}: {what} / {todo}");
        }
    }
}

#[test]
fn one_problem_has_one_wording_and_one_advice_wherever_it_is_listed() {
    let why = "担当課「資産管理課」は名簿にない".to_string();
    let ways = [
        Issue::DepartmentNotOnRoster { why: why.clone() },
        Issue::DepartmentCellNotOnRoster { why: why.clone() },
        Issue::RowDepartment { why: why.clone() },
    ];
    for lang in Lang::ALL {
        for issue in &ways {
            assert_eq!((issue.what_in(lang), issue.todo_in(lang)), (ways[0].what_in(lang), ways[0].todo_in(lang)), "{issue:?}");
        }
    }
    // The step's words are the whole of it in the book: not 名簿 twice over.
    assert_eq!(ways[0].what(), why);
    // A superseded file: the same words in 入力ファイル (its reason) and 問題一覧.
    let by = "R6上期_福祉課_修正版.xlsx".to_string();
    assert_eq!(Outcome::Superseded { by: by.clone() }.reason(), Issue::Superseded { by }.what());
}

#[test]
fn the_language_of_a_locale() {
    for (locale, lang) in [("ja_JP.UTF-8", Lang::Ja), ("ja-JP", Lang::Ja), ("ja", Lang::Ja), ("en_US.UTF-8", Lang::En), ("C", Lang::En), ("POSIX", Lang::En), ("", Lang::En), ("de-DE", Lang::En)] {
        assert_eq!(Lang::of_locale(locale), lang, "{locale}");
    }
    assert_eq!((Lang::parse("ja"), Lang::parse("en"), Lang::parse("fr")), (Some(Lang::Ja), Some(Lang::En), None));
}

#[test]
fn arguments_go_in_without_isolation_marks() {
    let text = messages::superseded_by(Lang::Ja, "修正版.xlsx");
    assert_eq!(text, "修正版.xlsx に差し替え");
    assert!(!text.contains(['\u{2068}', '\u{2069}']));
}
