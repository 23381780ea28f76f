//! A newcomer's first collection: `guess` writes a pipeline for an inbox that reads it right
//! without an edit (the samples against truth.jsonl, the fixture collections as their own
//! pipelines read them, generated inboxes with shuffled columns, renamed headers, other
//! sheet names and periods); `inspect` and `preview` never panic on hostile files and give a
//! reason for each.

use crate::common;
use crate::samples;

use std::path::{Path, PathBuf};

use torimatome::messages::Lang;
use torimatome::model::{Consolidation, Outcome};

/// A pipeline guessed for `inbox` (with a roster file, or without), written into a
/// temporary folder with this build's plugins; it must validate.
fn guessed(inbox: &Path, roster: Option<&Path>) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("guessed.yaml");
    let plugins = [common::plugin_dir()];
    let g = torimatome::explore::guess(inbox, roster, Some(&path), Some(&plugins), Lang::En).unwrap_or_else(|e| panic!("guess failed: {e:?}"));
    let problems: Vec<String> = g.problems.iter().map(|p| p.render(Lang::En)).collect();
    assert!(problems.is_empty(), "the guessed pipeline does not validate:\n{}\n\n{}", problems.join("\n"), g.yaml);
    (dir, path)
}

/// Run a pipeline file into a temporary folder, as `torimatome run` would.
fn run(path: &Path) -> common::Outcome {
    let pipeline = common::load(path).unwrap_or_else(|e| panic!("{e:?}"));
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("book.xlsx");
    let records = dir.path().join("records.csv");
    let paths = torimatome::run::Paths { inbox: None, out: Some(book.clone()), records: Some(records.clone()), cache: false };
    let report = torimatome::run::run(&pipeline, &paths, &torimatome::run::Quiet).unwrap_or_else(|e| panic!("run failed: {e}"));
    common::Outcome { records: common::read_records(&records), dir, consolidation: report.consolidation, book }
}

#[test]
fn a_pipeline_guessed_for_the_samples_reads_them_as_truth_says() {
    let samples = common::shared().join("samples");
    let (_dir, path) = guessed(&samples.join("inbox"), Some(&samples.join("roster.txt")));
    let yaml = std::fs::read_to_string(&path).expect("written");
    // Every key it writes is explained: each line of a mapping has a comment above it, or
    // is one entry of a list or map explained above.
    assert!(yaml.contains("# ") && yaml.contains("layouts:") && yaml.contains("torimatome-cards"), "{yaml}");
    let run = run(&path);
    samples::every_value_of_every_layout_matches_truth_in(&run);
    samples::every_project_status_matches_truth_in(&run);
    samples::every_file_has_the_outcome_truth_expects_in(&run);
    samples::superseded_and_rejected_files_contribute_no_values_in(&run);
    samples::every_hazard_truth_lists_in_a_consolidated_file_is_a_problem_in(&run);
    samples::departments_that_sent_nothing_are_missing_and_those_whose_files_failed_are_apart_in(&run);
    samples::every_evaluation_row_is_in_the_book_with_its_grade_in(&run);
}

/// Without a roster, the departments come from the files: every file truth consolidates is
/// consolidated under its department, and the department outside the roster with them.
#[test]
fn without_a_roster_the_samples_departments_come_from_their_files() {
    let samples = common::shared().join("samples");
    let (_dir, path) = guessed(&samples.join("inbox"), None);
    let run = run(&path);
    let truth = std::fs::read_to_string(samples.join("truth.jsonl")).expect("truth");
    for line in truth.lines().filter(|l| l.contains("\"type\": \"file\"")) {
        let t: serde_json::Value = serde_json::from_str(line).expect("json");
        let name = t["file"].as_str().expect("file");
        let got = run.consolidation.files.iter().find(|f| f.name == name).expect("listed");
        let want = match (t["expect"].as_str(), name) {
            (_, "R4上期_秘書広報課.xlsx") | (Some("ok"), _) => "consolidated",
            (Some(other), _) => other,
            (None, _) => panic!("{name}: no expectation"),
        };
        assert_eq!(got.outcome.as_str(), want, "{name}: {}", got.outcome.reason());
    }
    let departments: Vec<&str> = run.consolidation.files.iter().filter(|f| f.outcome == Outcome::Consolidated).filter_map(|f| f.department.as_deref()).collect();
    for d in ["情報政策課", "ものづくり商業振興課", "こども未来課", "企画政策課", "行政経営課", "秘書広報課"] {
        assert!(departments.contains(&d), "{d} not among {departments:?}");
    }
}

#[test]
fn every_key_of_a_guessed_pipeline_has_a_comment_in_the_users_language() {
    let samples = common::shared().join("samples");
    for lang in Lang::ALL {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("p.yaml");
        let plugins = [common::plugin_dir()];
        let g = torimatome::explore::guess(&samples.join("inbox"), Some(&samples.join("roster.txt")), Some(&path), Some(&plugins), lang).expect("guess");
        let lines: Vec<&str> = g.yaml.lines().collect();
        // Every top-level key, every key of the sections, every layout and every step is
        // under a comment (keys nested in a commented mapping share its comment).
        let shared = ["fiscal_year:", "half:", "plugin:", "layout:", "options:", "header:", "values:", "end:", "vocabulary:"];
        for (i, line) in lines.iter().enumerate() {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            let keyed = trimmed.contains(':') && !trimmed.starts_with('#') && !trimmed.starts_with('"');
            let opens_section = indent == 0 && trimmed.ends_with(':') && !["layouts:", "steps:"].contains(&trimmed);
            let list_entry = trimmed.starts_with("- ") && !trimmed.starts_with("- name:") && !trimmed.starts_with("- step:");
            if !keyed || opens_section || list_entry || indent > 4 || shared.iter().any(|k| trimmed.starts_with(k)) || (indent == 6 && !trimmed.starts_with("- ")) {
                continue;
            }
            assert!(i > 0 && lines[i - 1].trim_start().starts_with('#'), "{lang:?}: line {} has no comment above: {line}\n{}", i + 1, g.yaml);
        }
        let english = g.yaml.contains("# the shared folder");
        assert_eq!(english, lang == Lang::En, "comments in {lang:?}");
    }
}

/// Each file's outcome and department, and each consolidated row, as text.
fn reading(c: &Consolidation) -> (Vec<String>, Vec<String>) {
    let files = c.files.iter().map(|f| format!("{} | {} | {}", f.name, f.outcome.as_str(), f.department.as_deref().unwrap_or("-"))).collect();
    let rows = c
        .rows
        .iter()
        .map(|r| {
            let values: Vec<String> = r.values.iter().map(|v| format!("{:?} {} {:?} {}", v.kind, v.fiscal_year, v.value, v.cell)).collect();
            format!("{} | {}", crate::common::row_line(r), values.join(", "))
        })
        .collect();
    (files, rows)
}

/// The first line where two readings part.
fn differ(what: &str, hand: &[String], guess: &[String]) -> Option<String> {
    if hand == guess {
        return None;
    }
    let at = hand.iter().zip(guess).position(|(a, b)| a != b).unwrap_or(hand.len().min(guess.len()));
    Some(format!("{what} line {}:\n  own pipeline: {}\n  guessed:      {}", at + 1, hand.get(at).map_or("(end)", String::as_str), guess.get(at).map_or("(end)", String::as_str)))
}

/// The fixture collections, read by a pipeline guessed for their inbox and roster alone,
/// give what their own pipelines give: every file's outcome and department, every row
/// with its values. The cases that need what no workbook shows (an alias, a password, a
/// status vocabulary the book refuses) are left out, each with why.
#[test]
fn guessed_pipelines_read_the_fixture_collections_as_their_own_pipelines_do() {
    let root = common::project_root();
    let mut collections: Vec<(String, PathBuf, PathBuf)> =
        vec![("pipelines/minato.yaml".into(), root.join("fixtures/minato/inbox"), root.join("fixtures/minato/roster.txt"))];
    // What guess cannot know from the files: the pipeline says it.
    let apart = [
        // roster.aliases maps the Cyrillic spelling: the files alone show a look-alike.
        "alias-for-lookalike-spelling",
        // Of its two KPI files one has no 指標名 column, which its pipeline means to read
        // (indicator declared, not required); guess requires what half the sheets have, and
        // lists the file as a wrong template.
        "indicator-not-required",
        // passwords.txt: no workbook tells its password.
        "archives-in-the-inbox",
        "passwords-told-apart",
    ];
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root.join("fixtures/cases")).expect("cases").map(|e| e.expect("entry").path()).collect();
    cases.sort();
    for dir in cases {
        let name = dir.file_name().expect("name").to_string_lossy().into_owned();
        if !dir.join("inbox").is_dir() || !dir.join("roster.txt").is_file() || apart.contains(&name.as_str()) {
            continue;
        }
        collections.push((format!("fixtures/cases/{name}/pipeline.yaml"), dir.join("inbox"), dir.join("roster.txt")));
    }
    assert!(collections.len() >= 10, "{}", collections.len());
    let mut failures = Vec::new();
    for (own, inbox, roster) in &collections {
        let staged = common::stage(own);
        let hand = run(&staged.path);
        let (_dir, path) = guessed(inbox, Some(roster));
        let guess = run(&path);
        let (hand_files, hand_rows) = reading(&hand.consolidation);
        let (guess_files, guess_rows) = reading(&guess.consolidation);
        for d in [differ("files", &hand_files, &guess_files), differ("rows", &hand_rows, &guess_rows)].into_iter().flatten() {
            failures.push(format!("{own}: {d}\n{}", std::fs::read_to_string(&path).unwrap_or_default().lines().filter(|l| !l.trim_start().starts_with('#')).collect::<Vec<_>>().join("\n")));
        }
    }
    assert!(failures.is_empty(), "{} collections read otherwise:\n\n{}", failures.len(), failures.join("\n\n"));
}

/// A department's KPI workbook, written as departments make them: a title and 担当課 above
/// a two-row header (a value group merged over era sub-headers), project, goal, measure and
/// status merged over their indicator rows, a blank row and a ※ legend under the table.
#[derive(Clone, Copy)]
struct Template<'a> {
    sheet: &'a str,
    /// goal, measure, project, indicator, unit, status, note headers.
    headers: [&'a str; 7],
    group: &'a str,
    actual: &'a str,
    /// The order of the logical columns (0–6 as `headers`, 7 the value block).
    order: [usize; 8],
    /// The fiscal year reported.
    year: i32,
}

/// Reiwa year of a fiscal year.
fn reiwa(year: i32) -> i32 {
    year - 2018
}

/// Write one department's workbook; its figures carry `key` (baseline key+1, plans key+2 and
/// key+3, actual key, ten apart per indicator).
fn write_kpi(path: &Path, t: &Template<'_>, department: &str, key: u32, title: &str) {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(t.sheet).expect("name");
    let merge = Format::new();
    ws.write_string(0, 0, title).expect("cell");
    ws.write_string(1, 0, "担当課").expect("cell");
    ws.write_string(1, 1, department).expect("cell");
    // Column of each logical column: the value block takes four columns.
    let mut col = 0u16;
    let mut at = [0u16; 8];
    for &logical in &t.order {
        at[logical] = col;
        col += if logical == 7 { 4 } else { 1 };
    }
    for (i, header) in t.headers.iter().enumerate() {
        ws.merge_range(3, at[i], 4, at[i], header, &merge).expect("header");
    }
    let v = at[7];
    ws.merge_range(3, v, 3, v + 2, t.group, &merge).expect("group");
    ws.write_string(3, v + 3, t.actual).expect("actual");
    let y = reiwa(t.year);
    ws.write_string(4, v, format!("R{}実績値", y - 1)).expect("sub");
    ws.write_string(4, v + 1, format!("R{y}計画値")).expect("sub");
    ws.write_string(4, v + 2, format!("R{}計画値", y + 1)).expect("sub");
    ws.write_string(4, v + 3, "9月末時点").expect("sub");
    // Project A over rows 6–7 (two indicators), project B on row 8; then a blank row, a legend.
    let projects = [("① 暮らし", "(a) 手続", "電子申請の拡充", "◎", 2u32), ("② 行政", "(b) 効率化", "RPAの導入", "○", 1)];
    let mut row = 5u32;
    let mut n = 0u32;
    for (goal, measure, project, status, count) in projects {
        let last = row + count - 1;
        for (i, text) in [(0usize, goal), (1, measure), (2, project), (5, status)] {
            if count > 1 {
                ws.merge_range(row, at[i], last, at[i], text, &merge).expect("merge");
            } else {
                ws.write_string(row, at[i], text).expect("cell");
            }
        }
        for r in row..=last {
            let k = f64::from(key + 10 * n);
            ws.write_string(r, at[3], format!("指標{}", n + 1)).expect("cell");
            ws.write_string(r, at[4], "件").expect("cell");
            ws.write_number(r, v, k + 1.0).expect("value");
            ws.write_number(r, v + 1, k + 2.0).expect("value");
            // A plan typed as text in full width, as departments do.
            let full: String = format!("{}", key + 10 * n + 3).chars().map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c)).collect();
            ws.write_string(r, v + 2, full).expect("value");
            ws.write_number(r, v + 3, k).expect("value");
            ws.write_string(r, at[6], "メモ").expect("note");
            n += 1;
        }
        row = last + 1;
    }
    ws.write_string(row + 1, 0, "※進捗区分：◎達成 ○推進中 △課題あり －取組なし").expect("legend");
    book.save(path).expect("save");
}

/// An inbox of generated workbooks, its roster, and what each file should give.
fn generated_inbox(dir: &Path, files: &[(&str, &str, &Template<'_>, u32)], title: &str) -> (PathBuf, PathBuf) {
    let inbox = dir.join("inbox");
    std::fs::create_dir_all(&inbox).expect("inbox");
    let mut roster = String::new();
    for (file, department, template, key) in files {
        write_kpi(&inbox.join(file), template, department, *key, title);
        if !roster.contains(department) {
            roster += &format!("{department}\n");
        }
    }
    roster += "未提出課\n";
    let roster_path = dir.join("roster.txt");
    std::fs::write(&roster_path, roster).expect("roster");
    (inbox, roster_path)
}

/// Check a run over a generated inbox: every file consolidated (but a superseded one), three
/// rows each with the statuses and figures written.
fn check_generated(run: &common::Outcome, files: &[(&str, &str, &Template<'_>, u32)], superseded: &[&str]) {
    let c = &run.consolidation;
    for (file, department, t, key) in files {
        let got = c.files.iter().find(|f| f.name == *file).unwrap_or_else(|| panic!("{file} not listed"));
        if superseded.contains(file) {
            assert!(matches!(got.outcome, Outcome::Superseded { .. }), "{file}: {}", got.outcome.reason());
            continue;
        }
        assert_eq!(got.outcome, Outcome::Consolidated, "{file}: {}", got.outcome.reason());
        assert_eq!(got.department.as_deref(), Some(*department), "{file}");
        let rows: Vec<_> = c.rows.iter().filter(|r| r.file == *file).collect();
        assert_eq!(rows.len(), 3, "{file}: rows");
        let statuses: Vec<&str> = rows.iter().map(|r| r.status.as_deref().unwrap_or("-")).collect();
        assert_eq!(statuses, ["達成", "達成", "推進中"], "{file}");
        assert_eq!(rows[2].project, "RPAの導入", "{file}");
        assert_eq!(rows[1].goal, "① 暮らし", "{file}: the merged goal reaches the second row");
        for (n, r) in rows.iter().enumerate() {
            let k = f64::from(key + 10 * n as u32);
            let mut values: Vec<(String, i32, Option<f64>)> = r.values.iter().map(|v| (format!("{:?}", v.kind), v.fiscal_year, v.value)).collect();
            values.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
            let want = vec![
                ("Actual".to_string(), t.year, Some(k)),
                ("Baseline".to_string(), t.year - 1, Some(k + 1.0)),
                ("Plan".to_string(), t.year, Some(k + 2.0)),
                ("Plan".to_string(), t.year + 1, Some(k + 3.0)),
            ];
            assert_eq!(values, want, "{file} row {}", r.row);
            assert_eq!(r.indicator.as_deref(), Some(format!("指標{}", n + 1).as_str()));
        }
    }
    assert_eq!(c.missing(), ["未提出課"]);
}

#[test]
fn guessed_pipelines_read_generated_inboxes_with_shuffled_columns_renamed_headers_and_other_periods() {
    let dir = tempfile::tempdir().expect("temp dir");
    // 令和5年度下期: Seto's headers, one file's columns shuffled, a resubmission.
    let a = Template {
        sheet: "進捗報告",
        headers: ["基本目標", "施策", "事業名", "指標名", "単位", "進捗区分", "備考"],
        group: "指標値",
        actual: "実績値",
        order: [0, 1, 2, 6, 3, 4, 7, 5],
        year: 2023,
    };
    let a_shuffled = Template { order: [2, 0, 5, 1, 7, 3, 6, 4], ..a };
    let files = [
        ("R5下期_市民課.xlsx", "市民課", &a, 100),
        ("R5下期_福祉課.xlsx", "福祉課", &a_shuffled, 200),
        ("R5下期_税務課.xlsx", "税務課", &a, 300),
        ("R5下期_税務課_修正版.xlsx", "税務課", &a, 310),
    ];
    let (inbox, roster) = generated_inbox(&dir.path().join("a"), &files, "令和5年度 下期 DX推進計画 進捗状況報告書");
    let (_g, path) = guessed(&inbox, Some(&roster));
    check_generated(&run(&path), &files, &["R5下期_税務課.xlsx"]);

    // 2024H1 in the names: other words for every header (DOMAIN.md's variants), sheet Sheet1,
    // one department naming its project column 事業 and its indicator 指標, all shuffled.
    let b = Template {
        sheet: "Sheet1",
        headers: ["基本方針", "取組", "取組名", "KPI", "単位", "評価", "進捗状況"],
        group: "目標値",
        actual: "実績",
        order: [7, 6, 5, 4, 3, 2, 1, 0],
        year: 2024,
    };
    let b_other = Template { sheet: "Sheet2", headers: ["基本方針", "取組", "事業", "指標", "単位", "評価", "進捗状況"], order: [0, 2, 1, 3, 4, 7, 5, 6], ..b };
    let files = [
        ("2024H1-企画課.xlsx", "企画課", &b, 400),
        ("2024H1-環境課.xlsx", "環境課", &b, 500),
        ("2024H1-道路課.xlsx", "道路課", &b_other, 600),
    ];
    let (inbox, roster) = generated_inbox(&dir.path().join("b"), &files, "2024年度 上期 進捗報告");
    let (_g, path) = guessed(&inbox, Some(&roster));
    check_generated(&run(&path), &files, &[]);

    // Without a roster: the departments come from the file names and 担当課 cells.
    let (_g, path) = guessed(&inbox, None);
    let without = run(&path);
    let c = &without.consolidation;
    assert!(c.files.iter().all(|f| f.outcome == Outcome::Consolidated), "{:?}", c.files.iter().map(|f| f.outcome.reason()).collect::<Vec<_>>());
    assert_eq!(c.rows.len(), 9);
}

/// Every hostile file is surveyed without a panic: its sheets, or why it cannot be read; and
/// a preview of the folder gives each file a verdict with its reason.
#[test]
fn inspect_and_preview_give_every_hostile_file_a_reason() {
    let root = common::project_root();
    let inbox = root.join("fixtures/hostile/inbox");
    let surveys = torimatome::explore::inspect(std::slice::from_ref(&inbox), Lang::En);
    let names: Vec<String> = torimatome::run::inbox_entries(&inbox).expect("inbox").into_iter().map(|e| e.name).collect();
    assert_eq!(surveys.len(), names.len(), "one survey per file");
    for s in &surveys {
        assert!(s.error.as_ref().is_some_and(|e| !e.is_empty()) || !s.sheets.is_empty(), "{}: neither sheets nor a reason", s.file);
    }
    let text = torimatome::survey::render::text(&surveys, Lang::Ja);
    assert!(names.iter().all(|n| text.contains(n.as_str())));
    serde_json::to_string(&surveys).expect("JSON");

    let (_dir, path) = guessed(&inbox, Some(&root.join("fixtures/hostile/roster.txt")));
    let preview = torimatome::explore::preview(&path, Lang::En).unwrap_or_else(|e| panic!("{e:?}"));
    for name in &names {
        let at = preview.find(&format!("{name}\n")).unwrap_or_else(|| panic!("{name} not in the preview:\n{preview}"));
        let verdict = preview[at..].lines().nth(1).unwrap_or_default();
        assert!(verdict.starts_with("  consolidated") || verdict.contains(": "), "{name}: no reason in {verdict:?}");
    }
}

/// The commands as a person types them: inspect (text and JSON), guess to standard output,
/// preview; each in the language asked for.
#[test]
fn the_commands_of_a_first_collection() {
    let samples = common::shared().join("samples");
    let file = samples.join("inbox/R4上期_情報政策課_修正版.xlsx");
    let out = common::torimatome_in("C", &["inspect", file.to_str().expect("UTF-8"), "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("inspect --json gives JSON");
    assert_eq!(json[0]["sheets"][0]["table"]["header_row"], 4);
    assert_eq!(json[0]["sheets"][0]["table"]["columns"][0]["field"], "goal");

    let out = common::torimatome_in("ja_JP.UTF-8", &["inspect", file.to_str().expect("UTF-8")]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("見出し 4 行目") && text.contains("凡例"), "{text}");

    let dir = tempfile::tempdir().expect("temp dir");
    let pipeline = dir.path().join("p.yaml");
    let plugins = common::plugin_dir();
    let (inbox, roster) = (samples.join("inbox"), samples.join("roster.txt"));
    let args = ["guess", inbox.to_str().expect("UTF-8"), "--roster", roster.to_str().expect("UTF-8"), "-o", pipeline.to_str().expect("UTF-8"), "--plugins", plugins.to_str().expect("UTF-8")];
    let out = common::torimatome_in("C", &args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("torimatome preview"));

    let out = common::torimatome_in("C", &["preview", pipeline.to_str().expect("UTF-8")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("R4上期_税務課.xlsx\n  error: wrong template"), "{text}");
    assert!(text.contains("missing: 保育課"), "{text}");
    assert!(!dir.path().join("out").exists(), "preview writes no book");

    // A folder that is not there: a clear error, no panic.
    let out = common::torimatome_in("C", &["guess", "/nonexistent/inbox"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read the inbox"));
}
