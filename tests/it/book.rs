//! The book as the DX office and the auditor see it: it opens in LibreOffice, reads back
//! with calamine, its counts agree with the records, and a rerun gives the same bytes.

use crate::common;

use std::collections::BTreeSet;
use std::process::Command;

use common::{labelled, read_sheet};

fn seto() -> common::Outcome {
    common::run_pipeline("pipelines/seto.yaml", Some(&common::shared().join("samples/inbox")))
}

#[test]
fn the_book_converts_to_pdf_in_libreoffice() {
    let run = seto();
    let outdir = run.dir.path().join("pdf");
    let profile = run.dir.path().join("lo-profile");
    let status = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&outdir)
        .arg(&run.book)
        .output()
        .expect("soffice runs (install libreoffice-calc; .ci/run does)");
    let pdf = outdir.join("book.pdf");
    assert!(
        pdf.exists(),
        "LibreOffice made no PDF: {}\n{}",
        String::from_utf8_lossy(&status.stdout),
        String::from_utf8_lossy(&status.stderr)
    );
    let bytes = std::fs::read(&pdf).expect("pdf");
    assert!(bytes.starts_with(b"%PDF") && bytes.len() > 10_000, "a real PDF, {} bytes", bytes.len());
}

#[test]
fn overview_counts_equal_the_records() {
    let run = seto();
    let overview = read_sheet(&run.book, "概要");
    let number = |label: &str| -> usize { labelled(&overview, label).parse::<f64>().expect(label) as usize };

    let roster = std::fs::read_to_string(common::shared().join("samples/roster.txt")).expect("roster");
    assert_eq!(number("依頼した課"), roster.lines().filter(|l| !l.trim().is_empty()).count());
    let inputs = read_sheet(&run.book, "入力ファイル");
    let submitted: BTreeSet<&str> = inputs.iter().skip(1).filter(|r| r[2] == "取りまとめ済").map(|r| r[1].as_str()).collect();
    assert_eq!(number("提出済みの課"), submitted.len(), "departments of the consolidated files in 入力ファイル");
    // Every department in the records sent a consolidated file.
    let file_departments: BTreeSet<(&str, &str)> = inputs.iter().skip(1).map(|r| (r[0].as_str(), r[1].as_str())).collect();
    for r in &run.records {
        assert!(file_departments.iter().any(|(f, _)| *f == r["file"]), "{} in 入力ファイル", r["file"]);
    }
    assert_eq!(number("提出済みの課") + number("提出されたが集計できない課") + number("未提出の課"), number("依頼した課"));
    // The row counts rerun and audit the book: 監査情報, not the council's page.
    let audit = read_sheet(&run.book, "監査情報");
    let rows = |label: &str| -> usize { labelled(&audit, label).parse::<f64>().expect(label) as usize };
    assert_eq!(rows("読み込んだ行"), rows("集計した行") + rows("除外した行"));
    assert_eq!(rows("読み込んだ行"), run.consolidation.rows_read());

    // Consolidated rows: every indicator row of the records, plus projects without indicator.
    let progress = read_sheet(&run.book, "進捗一覧");
    // An indicator row is its names in its sheet (a card's values sit on two rows); the
    // records' notes are what departments wrote, not rows.
    let values = || run.records.iter().filter(|r| r["kind"] != "note");
    let indicator_rows: BTreeSet<Vec<&str>> =
        values().map(|r| ["file", "sheet", "goal", "measure", "project", "indicator"].iter().map(|k| r[*k].as_str()).collect()).collect();
    let without_indicator = progress.iter().skip(1).filter(|r| r[5] == "(指標なし)").count();
    assert_eq!(rows("集計した行"), indicator_rows.len() + without_indicator);
    assert_eq!(progress.len() - 1, rows("集計した行"), "one 進捗一覧 row per consolidated row");

    // Projects per status per goal, a table per plan on 概要, against the records (and the
    // consolidation for projects without indicator, which have no records).
    let mut projects: BTreeSet<(String, String, String, String, String)> = values()
        .map(|r| (r["plan"].clone(), r["goal"].clone(), r["department"].clone(), r["project"].clone(), r["status"].clone()))
        .collect();
    for row in run.consolidation.rows.iter().filter(|r| r.indicator.is_none()) {
        projects.insert((row.plan.clone(), row.goal.clone(), row.department.clone(), row.project.clone(), row.status.clone().unwrap_or_default()));
    }
    let mut tables = 0;
    for (at, title) in overview.iter().enumerate().filter(|(_, r)| r.first().is_some_and(|t| t.ends_with(": 基本目標別の事業の進捗 (事業数)"))) {
        tables += 1;
        let plan = title[0].trim_end_matches(": 基本目標別の事業の進捗 (事業数)");
        let header = at + 1;
        assert_eq!(overview[header][0], "基本目標");
        let statuses: Vec<String> = overview[header][1..6].to_vec();
        let mut goals_seen = 0;
        for row in overview[header + 1..].iter().take_while(|r| r.first().is_some_and(|g| !g.is_empty() && g != "合計")) {
            goals_seen += 1;
            for (i, status) in statuses.iter().enumerate() {
                let want = projects
                    .iter()
                    .filter(|(p, g, _, _, s)| p == plan && *g == row[0] && (s == status || (s.is_empty() && status == "未記入")))
                    .count();
                let got = row[1 + i].parse::<f64>().unwrap_or(0.0) as usize;
                assert_eq!(got, want, "{plan}: goal {} status {status}", row[0]);
            }
        }
        let goals: BTreeSet<&str> = projects.iter().filter(|(p, ..)| p == plan).map(|(_, g, ..)| g.as_str()).collect();
        assert_eq!(goals_seen, goals.len(), "{plan}: one row per goal");
        // The totals row adds the goals up.
        let total = &overview[header + 1 + goals_seen];
        assert_eq!(total[0], "合計");
        let all = projects.iter().filter(|(p, ..)| p == plan).count();
        assert_eq!(total[6].parse::<f64>().unwrap_or(0.0) as usize, all, "{plan}: total projects");
    }
    let plans: BTreeSet<&str> = projects.iter().map(|(p, ..)| p.as_str()).collect();
    assert_eq!(tables, plans.len(), "a table per plan: {plans:?}");
    assert!(tables >= 2, "the samples hold two plans (the ICT plan's ①–④ and the reform plan's 1–4), each apart");
}

#[test]
fn progress_list_carries_each_actual_and_its_source() {
    let run = seto();
    let progress = read_sheet(&run.book, "進捗一覧");
    let header = &progress[0];
    let col = |name: &str| header.iter().position(|h| h.starts_with(name)).unwrap_or_else(|| panic!("no column {name}"));
    let (actual, source, indicator, project, achievement) = (col("実績値"), col("出典"), col("指標名"), col("事業名"), col("達成率 (%)"));
    let rule = col("達成率の算定");
    let plan_2022 = col("2022年度 計画値");
    let mut checked = 0;
    let fiscal_year = run.consolidation.period.fiscal_year.to_string();
    for r in run.records.iter().filter(|r| r["kind"] == "actual" && r["fiscal_year"] == fiscal_year) {
        let wanted_source = format!("{}!{}", r["file"], r["sheet"]);
        let row = progress
            .iter()
            .find(|p| p[source] == wanted_source && p[indicator] == r["indicator"] && p[project] == r["project"])
            .unwrap_or_else(|| panic!("{wanted_source} {} not in 進捗一覧", r["indicator"]));
        match r["value"].parse::<f64>() {
            Ok(v) => assert_eq!(row[actual].parse::<f64>().ok(), Some(v), "{wanted_source}"),
            Err(_) => assert_eq!(row[actual], r["raw"].trim(), "{wanted_source}: text shown when no value"),
        }
        // Achievement is the actual against this year's plan where that is the rule, and
        // nothing, with the reason, where no ratio means anything.
        if let (Ok(a), Ok(p)) = (row[actual].parse::<f64>(), row[plan_2022].parse::<f64>()) {
            if row[rule] == "実績÷計画" {
                let shown: f64 = row[achievement].parse().expect("achievement");
                assert!((shown - a / p * 100.0).abs() < 0.051, "{wanted_source}: {shown} vs {a}/{p}");
            } else if row[rule].starts_with("算定せず") {
                assert_eq!(row[achievement], "", "{wanted_source}: no figure where {}", row[rule]);
                assert!(a < 0.0 || p <= 0.0 || row[indicator].contains("前年") || row[indicator].contains("増減率"), "{wanted_source}: {}", row[rule]);
            }
        }
        checked += 1;
    }
    assert!(checked > 0);
}

#[test]
fn problems_and_inputs_are_listed_in_the_book() {
    let run = seto();
    let c = &run.consolidation;
    let problems = read_sheet(&run.book, "問題一覧");
    assert_eq!(problems.len() - 1, c.problems.len());
    for p in &c.problems {
        assert!(
            problems.iter().any(|r| r[0] == p.file && r[1] == p.sheet && r[2] == p.cell && r[3] == p.raw),
            "{p:?} not in 問題一覧"
        );
    }
    let inputs = read_sheet(&run.book, "入力ファイル");
    assert_eq!(inputs.len() - 1, c.files.len());
    for f in &c.files {
        let row = inputs.iter().find(|r| r[0] == f.name).unwrap_or_else(|| panic!("{} not in 入力ファイル", f.name));
        assert_eq!(row[9], f.sha256);
        assert_eq!(row[2], f.outcome.label_ja());
        let n = |i: usize| row[i].parse::<f64>().unwrap_or(-1.0) as usize;
        assert_eq!(n(4), n(5) + n(6), "{}: read = consolidated + set aside", f.name);
    }
    let missing = read_sheet(&run.book, "未提出");
    let listed = |state: &str| -> Vec<&str> { missing.iter().skip(1).filter(|r| r[1] == state).map(|r| r[0].as_str()).collect() };
    assert_eq!(listed("ファイルなし"), c.missing());
    let failed: Vec<&str> = c.failed().iter().flat_map(|(d, files)| files.iter().map(move |_| *d)).collect();
    assert_eq!(listed("提出あり・集計できず"), failed);
    assert!(!failed.is_empty(), "the samples hold files that cannot be read");
}

#[test]
fn a_rerun_gives_a_byte_identical_book_and_records() {
    let first = seto();
    let second = seto();
    let a = std::fs::read(&first.book).expect("book");
    let b = std::fs::read(&second.book).expect("book");
    assert!(a == b, "two runs gave different books");
    let ra = std::fs::read(first.dir.path().join("records.csv")).expect("records");
    let rb = std::fs::read(second.dir.path().join("records.csv")).expect("records");
    assert!(ra == rb, "two runs gave different records");
}

#[test]
fn an_auditors_copy_with_other_file_times_gives_the_same_book() {
    let original = seto();
    let copy = tempfile::tempdir().expect("temp");
    let inbox = common::shared().join("samples/inbox");
    // Copy in reverse name order, so the copies' times are ordered the other way round.
    let mut names: Vec<_> = std::fs::read_dir(&inbox).expect("inbox").map(|e| e.expect("entry").file_name()).collect();
    names.sort();
    for name in names.iter().rev() {
        std::fs::copy(inbox.join(name), copy.path().join(name)).expect("copy");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let rerun = common::run_pipeline("pipelines/seto.yaml", Some(copy.path()));
    assert!(std::fs::read(&original.book).expect("book") == std::fs::read(&rerun.book).expect("book"));
}

#[test]
fn every_figure_in_the_progress_list_is_traced_to_its_cell() {
    let run = seto();
    let progress = read_sheet(&run.book, "進捗一覧");
    let header = &progress[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
    let (source, row_number, cells, indicator, project) = (col("出典"), col("行"), col("出典セル"), col("指標名"), col("事業名"));
    let fiscal_year = run.consolidation.period.fiscal_year.to_string();
    let mut traced = 0;
    for r in &run.records {
        // 進捗一覧 shows the baseline, the plans and this year's actual.
        let label = match r["kind"].as_str() {
            "baseline" => "基準値".to_string(),
            "plan" => format!("{}計画", r["fiscal_year"]),
            "actual" if r["fiscal_year"] == fiscal_year => "実績".to_string(),
            _ => continue,
        };
        // A figure on the row named in 行 is given by its column; one elsewhere (a card's
        // figures lie on several rows) by its whole cell.
        let (letters, digits) = r["cell"].split_at(r["cell"].find(|c: char| c.is_ascii_digit()).expect("A1"));
        let found = progress
            .iter()
            .filter(|p| p[source] == format!("{}!{}", r["file"], r["sheet"]) && p[indicator] == r["indicator"] && p[project] == r["project"])
            .any(|p| {
                let shown = if p[row_number] == digits { letters.to_string() } else { r["cell"].clone() };
                p[cells].split('・').any(|c| c == format!("{label} {shown}"))
            });
        assert!(found, "{}!{}!{} ({label}) is not traced in 進捗一覧", r["file"], r["sheet"], r["cell"]);
        traced += 1;
    }
    assert!(traced > 200, "{traced}");
}

/// What the council reads is the sheet as shown, not the stored numbers: LibreOffice's
/// "as shown" export of 進捗一覧 must give each figure with thousands separators and the
/// decimals it was written with, years and row numbers as plain numbers, and achievement
/// with one decimal.
#[test]
fn the_progress_list_shows_figures_as_written() {
    let run = seto();
    let stored = read_sheet(&run.book, "進捗一覧");
    let outdir = run.dir.path().join("csv");
    let profile = run.dir.path().join("lo-profile");
    // Comma-separated, UTF-8, quoted text, cells as shown, the second sheet.
    let filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,2";
    let status = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", filter, "--outdir"])
        .arg(&outdir)
        .arg(&run.book)
        .output()
        .expect("soffice runs (install libreoffice-calc; .ci/run does)");
    let csv_path = outdir.join("book-進捗一覧.csv");
    let text = std::fs::read_to_string(&csv_path).unwrap_or_else(|e| panic!("no {}: {e}\n{}", csv_path.display(), String::from_utf8_lossy(&status.stderr)));
    let shown: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("csv row").iter().map(str::to_string).collect())
        .collect();
    assert_eq!(shown.len(), stored.len(), "every row of 進捗一覧 exported");

    let header = &stored[0];
    let (mut separated, mut with_decimals) = (0, 0);
    for (stored_row, shown_row) in stored.iter().zip(&shown).skip(1) {
        for (col, name) in header.iter().enumerate() {
            let value = stored_row.get(col).map(String::as_str).unwrap_or("");
            let seen = shown_row.get(col).map(String::as_str).unwrap_or("");
            let Ok(number) = value.parse::<f64>() else {
                assert_eq!(seen, value, "{name}: text shown as stored");
                continue;
            };
            let wanted = if name == "基準年度" || name == "行" {
                value.to_string()
            } else if name.starts_with("達成率") {
                format!("{number:.1}")
            } else {
                as_written(number)
            };
            assert_eq!(seen, wanted, "{name}: {number} shown");
            separated += usize::from(wanted.contains(','));
            with_decimals += usize::from(wanted.contains('.') && !name.starts_with("達成率"));
        }
    }
    assert!(separated > 0 && with_decimals > 0, "the samples hold figures over 1,000 ({separated}) and with decimals ({with_decimals})");
}

/// A figure with thousands separators and as many decimals as it has, up to three.
fn as_written(number: f64) -> String {
    let decimals = (0..3)
        .find(|d| {
            let scaled = number * 10f64.powi(*d);
            (scaled - scaled.round()).abs() < 1e-9
        })
        .unwrap_or(3);
    let fixed = format!("{:.*}", decimals as usize, number.abs());
    let (whole, fraction) = fixed.split_once('.').map_or((fixed.as_str(), None), |(w, f)| (w, Some(f)));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if number < 0.0 { "-" } else { "" };
    match fraction {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// 概要's chart speaks the list's colours: each status's bars are filled as its cells are
/// (達成 green, 推進中 blue, 課題あり red …), in the table's order top to bottom, with counts.
#[test]
fn the_overview_chart_has_the_status_colours_in_the_tables_order() {
    let run = seto();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&run.book).expect("book")).expect("a zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/charts/chart1.xml").expect("a chart"), &mut xml).expect("utf-8");
    // Each series' own solid fill, in series order.
    let fills: Vec<String> = xml
        .split("<c:ser>")
        .skip(1)
        .map(|series| {
            let fill = series.split("<a:solidFill><a:srgbClr val=\"").nth(1).expect("a solid fill");
            fill[..6].to_uppercase()
        })
        .collect();
    let cells: Vec<String> = torimatome::book::STATUS_FILLS.iter().map(|rgb| format!("{rgb:06X}")).collect();
    assert_eq!(fills, cells, "series fills against the status cells' fills");
    // The series are the table's columns, 達成 first.
    let overview = common::read_sheet(&run.book, "概要");
    let header = overview.iter().find(|r| r.first().map(String::as_str) == Some("基本目標")).expect("the goal table");
    assert_eq!(&header[1..6], ["達成", "推進中", "課題あり", "取組なし", "未記入"]);
    assert!(xml.contains("<c:orientation val=\"maxMin\"/>"), "categories top to bottom, as the table");
    assert!(xml.contains("<c:showVal val=\"1\"/>"), "bars labelled with their counts");
}

/// The book is for a Japanese council: no cell speaks English, but for what a department
/// or a program named (files, sheets, projects, indicators, units, cells as written) and the
/// names of formats and tools a DX office knows (Excel, CSV, SHA-256).
#[test]
fn no_cell_of_the_book_holds_english_words() {
    let run = seto();
    let c = &run.consolidation;
    // Everything the inputs named, longest first, so that a name inside another goes too.
    let mut named: Vec<String> = Vec::new();
    for f in &c.files {
        named.push(f.name.clone());
    }
    for r in &c.rows {
        named.extend([&r.file, &r.sheet, &r.goal, &r.measure, &r.project, &r.unit, &r.department, &r.status_raw].map(String::clone));
        named.extend(r.indicator.clone());
        named.extend(r.values.iter().map(|v| v.raw.clone()));
        named.extend(r.notes.iter().map(|n| n.text.clone()));
    }
    for p in &c.problems {
        named.extend([p.file.clone(), p.sheet.clone(), p.raw.clone()]);
    }
    named.retain(|n| !n.trim().is_empty());
    named.sort_by_key(|n| std::cmp::Reverse(n.len()));
    named.dedup();
    const KNOWN: [&str; 10] = ["Excel", "CSV", "SHA", "zip", "xlsx", "xls", "ods", "BIFF", "PDF", "TRUE"];
    let word = regex::Regex::new(r"[A-Za-z]{3,}").expect("pattern");
    let hash = regex::Regex::new(r"\b[0-9a-f]{64}\b").expect("pattern");
    let mut english = Vec::new();
    let wb: calamine::Xlsx<_> = calamine::open_workbook(&run.book).expect("book");
    use calamine::Reader;
    // 監査情報 names the pipeline and the plugins (torimatome-ja), programs by their names.
    for sheet in wb.sheet_names().into_iter().filter(|s| s != "監査情報") {
        let rows = read_sheet(&run.book, &sheet);
        for (r, row) in rows.iter().enumerate() {
            for (col, text) in row.iter().enumerate() {
                // A SHA-256 is hexadecimal, not words.
                let mut rest = hash.replace_all(text, " ").into_owned();
                for n in &named {
                    if rest.contains(n.as_str()) {
                        rest = rest.replace(n.as_str(), " ");
                    }
                }
                for w in word.find_iter(&rest).map(|m| m.as_str()).filter(|w| !KNOWN.iter().any(|k| k.eq_ignore_ascii_case(w))) {
                    english.push(format!("{sheet}!R{}C{}: {w} in 「{text}」", r + 1, col + 1));
                }
            }
        }
    }
    assert!(english.is_empty(), "{} English words in the book:\n{}", english.len(), english.join("\n"));
}

/// What departments wrote beside their figures reaches the council: each note in the
/// records is in 進捗一覧 under its name on its project's rows, and 課題一覧 lists every
/// project 課題あり (or graded C or D) once, with its notes.
#[test]
fn notes_reach_the_progress_list_and_the_issue_list() {
    let run = seto();
    let progress = read_sheet(&run.book, "進捗一覧");
    let header = &progress[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
    let (project, source) = (col("事業名"), col("出典"));
    let notes: Vec<_> = run.records.iter().filter(|r| r["kind"] == "note").collect();
    assert!(notes.len() > 20, "the samples' 事業概要, 進捗状況 and 備考: {} notes", notes.len());
    for n in &notes {
        let at = col(&n["note"]);
        let text = common::unescape(&n["raw"]);
        assert!(
            progress.iter().any(|row| row[project] == n["project"] && row[source] == format!("{}!{}", n["file"], n["sheet"]) && row[at] == text),
            "{}!{}!{}: {} 「{}」 not on its project's row of 進捗一覧",
            n["file"],
            n["sheet"],
            n["cell"],
            n["note"],
            text
        );
    }

    let issues = read_sheet(&run.book, "課題一覧");
    let header = &issues[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
    let listed: Vec<(String, String, String)> = issues[1..].iter().map(|r| (r[col("計画")].clone(), r[col("事業名")].clone(), r[col("担当課")].clone())).collect();
    let wanted: BTreeSet<(String, String, String)> = run
        .consolidation
        .rows
        .iter()
        .filter(|r| r.status.as_deref() == Some("課題あり") || matches!(r.grade.as_deref(), Some("C" | "D")))
        .map(|r| (r.plan.clone(), r.project.clone(), r.department.clone()))
        .collect();
    assert_eq!(listed.len(), wanted.len(), "each project once");
    assert_eq!(listed.iter().cloned().collect::<BTreeSet<_>>(), wanted);
    // Each with what its department wrote about it.
    for row in &issues[1..] {
        for n in notes.iter().filter(|n| n["project"] == row[col("事業名")] && n["department"] == row[col("担当課")] && n["plan"] == row[col("計画")]) {
            let line = format!("【{}】{}", n["note"], common::unescape(&n["raw"]));
            assert!(row[col("記述")].contains(&line), "{}: {line} not in 記述", row[col("事業名")]);
        }
    }
}
