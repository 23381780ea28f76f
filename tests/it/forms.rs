//! What goes back to the departments (issue 17): the next period's forms (`template`),
//! filled in by script in every form a department writes and consolidated again, and the
//! feedback (`run --feedback`) on the samples, which have problems in several departments.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use crate::common::{self, read_sheet};
use torimatome::book::feedback::{self, Edit};
use torimatome::model::{Created, Kind};
use torimatome::run::{self, Paths, Quiet};
use torimatome::workbook::{self, Limits, Value};

const CREATED: Created = Created { year: 2023, month: 4, day: 10, hour: 9, minute: 0, second: 0 };

/// A value as a department writes it, and what it means, for a row of `unit`: every form
/// DOMAIN.md lists (full-width digits, commas, 約, 万, %, ▲).
fn written(i: usize, unit: &str) -> (&'static str, f64) {
    if unit.contains('%') || unit.contains('％') {
        return [("87.2%", 87.2), ("８７．５％", 87.5), ("約60%", 60.0)][i % 3];
    }
    [("１２３", 123.0), ("約1,200", 1200.0), ("1.2万", 12_000.0), ("5,081", 5081.0), ("４，５６７", 4567.0), ("▲3", -3.0), ("約３．３万", 33_000.0)][i % 7]
}

/// Every filled form's expected figures: (file, 1-based row) → (kind, fiscal year, value).
type Expected = BTreeMap<(String, u32), Vec<(Kind, i32, f64)>>;

/// Fill a generated form as a department would: each input cell of its table, by header.
fn fill(name: &str, bytes: &[u8], expected: &mut Expected, statuses: &mut BTreeMap<(String, u32), &'static str>) -> Vec<u8> {
    let book = workbook::read(bytes, &Limits::default()).expect("the form reads");
    let sheet = &book.sheets[0];
    assert!(book.sheets.iter().any(|s| s.name == "記入要領"), "{name}: a 記入要領 sheet");
    let text = |r: u32, c: u32| sheet.get(r, c).display();
    let header = (0..sheet.height()).find(|&r| (0..sheet.width()).any(|c| text(r, c) == "事業名")).expect("a header row");
    let col = |name: &str| (0..sheet.width()).find(|&c| text(header, c) == name || text(header + 1, c) == name);
    let (goal, measure, project, indicator, unit) = (col("基本目標"), col("施策"), col("事業名").expect("事業名"), col("指標名"), col("単位"));
    let status = col("進捗区分").expect("進捗区分");
    let note = col("進捗状況").expect("進捗状況");
    // Value columns: (column, kind, fiscal year) from the sub-headers (R1実績値, R4計画値, 3月末時点).
    let era = |h: &str| h.strip_prefix('R').and_then(|r| r.trim_end_matches(|c: char| !c.is_ascii_digit()).parse::<i32>().ok()).map(|y| 2018 + y);
    let values: Vec<(u32, Kind, i32)> = (0..sheet.width())
        .filter_map(|c| {
            let h = text(header + 1, c);
            match () {
                _ if h.ends_with("計画値") => Some((c, Kind::Plan, era(&h)?)),
                _ if h.ends_with("実績値") => Some((c, Kind::Baseline, era(&h)?)),
                _ if h == "3月末時点" => Some((c, Kind::Actual, 2022)),
                _ => None,
            }
        })
        .collect();
    assert!(values.iter().any(|v| v.1 == Kind::Actual) && values.iter().any(|v| v.1 == Kind::Plan), "{name}: value columns {values:?}");
    let department = text(1, 1);
    let report_date = (0..sheet.width()).find(|&c| text(1, c) == "報告日").expect("a 報告日 label");
    let mut edits = vec![edit(sheet, 1, report_date + 1, "令和5年4月10日")];
    let marks = [("◎", "達成"), ("○", "推進中"), ("△", "課題あり"), ("－", "取組なし")];
    let given: Vec<u32> = (header + 2..sheet.height()).filter(|&r| !text(r, project).is_empty()).collect();
    let mut i = 0;
    let mut row_expect = |r: u32, unit_text: &str, edits: &mut Vec<Edit>, prefilled: &[(u32, Kind, i32)]| {
        let mut figures = Vec::new();
        for &(c, kind, year) in &values {
            if prefilled.iter().any(|p| p.0 == c) {
                // Given by the form: it must come back as it was.
                if let Value::Number { value, .. } = sheet.get(r, c) {
                    figures.push((kind, year, *value));
                }
                continue;
            }
            let (raw, value) = written(i, unit_text);
            i += 1;
            edits.push(edit(sheet, r, c, raw));
            figures.push((kind, year, value));
        }
        let (mark, label) = marks[i % 4];
        edits.push(edit(sheet, r, status, mark));
        edits.push(edit(sheet, r, note, "予定どおり進めている"));
        expected.insert((name.to_string(), r + 1), figures);
        statuses.insert((name.to_string(), r + 1), label);
    };
    if given.is_empty() {
        // A department new to the plan: its rows written in the empty form.
        for (k, unit_text) in ["%", "件", "人"].into_iter().enumerate() {
            let r = header + 2 + k as u32;
            for (c, value) in [(goal, "1 行政サービスの向上".to_string()), (measure, "(1) 窓口".to_string()), (Some(project), format!("{department}の事業")), (indicator, format!("指標{k}")), (unit, unit_text.to_string())] {
                edits.push(edit(sheet, r, c.expect("a field column"), &value));
            }
            row_expect(r, unit_text, &mut edits, &[]);
        }
    } else {
        // Prefilled: only this period's actual, the status and the note to write.
        let prefilled: Vec<(u32, Kind, i32)> = values.iter().copied().filter(|v| v.1 != Kind::Actual).collect();
        for &r in &given {
            let unit_text = unit.map(|c| text(r, c)).unwrap_or_default();
            row_expect(r, &unit_text, &mut edits, &prefilled);
        }
    }
    feedback::copy(&book, &edits, CREATED).expect("the filled copy is written")
}

fn edit(_sheet: &workbook::Sheet, row: u32, col: u32, text: &str) -> Edit {
    Edit { sheet: "進捗報告".into(), row, col, value: Some(Value::Text(text.to_string())), note: None, highlight: false }
}

#[test]
fn forms_filled_in_every_written_form_consolidate_as_filled() {
    // The last period: the samples, consolidated.
    let last = common::run_pipeline("pipelines/seto.yaml", Some(&common::shared().join("samples/inbox")));
    let manifest = torimatome::manifest::path_for(&last.book);
    let loaded = common::load_project("pipelines/seto.yaml");
    let forms = last.dir.path().join("forms");
    let written = torimatome::forms::template(&loaded, &forms, Some(&manifest), None).expect("forms written");
    assert_eq!(written.period.to_string(), "2022H2", "上期 → 下期 of the same fiscal year");
    assert_eq!(written.files.len(), loaded.roster.len(), "a form for each department of the roster");
    let again = torimatome::forms::template(&loaded, &last.dir.path().join("forms-again"), Some(&manifest), None).expect("again");
    for (a, b) in written.files.iter().zip(&again.files) {
        assert_eq!(std::fs::read(a).expect("form"), std::fs::read(b).expect("form"), "{}: the same bytes twice", a.display());
    }

    // Prefilled from the last book: a department's projects and indicators.
    let kenkou = workbook::read(&std::fs::read(forms.join("R4下期_健康課.xlsx")).expect("健康課's form"), &Limits::default()).expect("reads");
    let sheet = &kenkou.sheets[0];
    assert_eq!(sheet.get(0, 0).display(), "令和4年度下期 ICT戦略推進プラン 進捗状況報告 (健康課)");
    assert_eq!((sheet.get(1, 0).display(), sheet.get(1, 1).display()), ("担当課".into(), "健康課".into()));
    let last_rows: BTreeSet<(String, String)> = last
        .consolidation
        .rows
        .iter()
        .filter(|r| r.department == "健康課")
        .map(|r| (r.project.clone(), r.indicator.clone().unwrap_or_default()))
        .collect();
    let form_rows: BTreeSet<(String, String)> = (5..sheet.height()).filter(|&r| !sheet.get(r, 2).display().is_empty()).map(|r| (sheet.get(r, 2).display(), sheet.get(r, 3).display())).collect();
    assert_eq!(form_rows, last_rows, "健康課's projects and indicators, as consolidated last period");

    // The sheet protected without a password; the status a list of the vocabulary's marks;
    // the values checked as numbers (a warning: 約 and 万 are allowed forms).
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(std::fs::read(forms.join("R4下期_健康課.xlsx")).expect("form"))).expect("a zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet1.xml").expect("the table's sheet"), &mut xml).expect("xml");
    assert!(xml.contains("<sheetProtection ") && !xml.contains("password"), "protected, without a password");
    assert!(xml.contains(r#"type="list""#) && xml.contains("<formula1>\"◎,○,△,－\"</formula1>"), "the status drop-down");
    assert!(xml.contains(r#"type="decimal" errorStyle="warning""#), "values checked as numbers");
    // Forms open in LibreOffice without repair: prefilled and empty.
    let pdf = last.dir.path().join("pdf");
    let picked = [forms.join("R4下期_健康課.xlsx"), forms.join("R4下期_税務課.xlsx")];
    let status = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", last.dir.path().join("lo-profile").display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&pdf)
        .args(&picked)
        .output()
        .expect("soffice runs (install libreoffice-calc; .ci/run does)");
    for form in &picked {
        let made = pdf.join(form.with_extension("pdf").file_name().expect("name"));
        assert!(made.exists(), "{}: no PDF: {}", made.display(), String::from_utf8_lossy(&status.stderr));
    }

    // Filled by script, consolidated as the next period.
    let filled = last.dir.path().join("filled");
    std::fs::create_dir_all(&filled).expect("folder");
    let (mut expected, mut statuses) = (Expected::new(), BTreeMap::new());
    for path in &written.files {
        let name = path.file_name().expect("name").to_string_lossy().to_string();
        let bytes = fill(&name, &std::fs::read(path).expect("form"), &mut expected, &mut statuses);
        std::fs::write(filled.join(&name), bytes).expect("write the filled form");
    }
    let staged = common::stage_edited("pipelines/seto.yaml", |t| t.replace("half: 上期", "half: 下期"));
    let next = common::load(&staged.path).expect("the pipeline of the next period");
    let paths = Paths { inbox: Some(filled.clone()), out: Some(last.dir.path().join("next.xlsx")), records: None, cache: false };
    let report = run::run(&next, &paths, &Quiet).expect("the next period consolidates");
    let c = &report.consolidation;
    let problems: Vec<String> = c.problems.iter().map(|p| format!("{}!{}!{} {:?}: {}", p.file, p.sheet, p.cell, p.raw, p.what())).collect();
    assert!(problems.is_empty(), "no problem in forms filled as 記入要領 says:\n{}", problems.join("\n"));
    assert_eq!(c.submitted().len(), loaded.roster.len(), "every department's form counts");
    assert_eq!(c.rows.len(), expected.len(), "every filled row consolidated");
    for row in &c.rows {
        let key = (row.file.clone(), row.row);
        let figures = expected.get(&key).unwrap_or_else(|| panic!("{key:?}: a row nobody filled"));
        for &(kind, year, value) in figures {
            let got = row.value(kind, year).and_then(|v| v.value);
            assert_eq!(got, Some(value), "{key:?} {kind:?} {year}: as filled ({:?})", row.value(kind, year).map(|v| &v.raw));
        }
        assert_eq!(row.status.as_deref(), statuses.get(&key).copied(), "{key:?}: the status chosen");
    }
    // Every written form went through, and the era-year texts (R4計画値, 令和4年度下期, the 報告日).
    let raws: BTreeSet<&str> = c.rows.iter().flat_map(|r| r.values.iter().map(|v| v.raw.as_str())).collect();
    for form in ["１２３", "約1,200", "1.2万", "5,081", "４，５６７", "▲3", "約３．３万", "87.2%", "８７．５％", "約60%"] {
        assert!(raws.contains(form), "a value written {form} was consolidated");
    }
    let empty_forms = c.rows.iter().filter(|r| r.project.ends_with("の事業")).map(|r| &r.department).collect::<BTreeSet<_>>();
    assert!(!empty_forms.is_empty() && empty_forms.len() < loaded.roster.len(), "empty forms and prefilled forms both filled: {empty_forms:?}");
}

#[test]
fn feedback_holds_each_departments_problems_and_its_copies_open_in_libreoffice() {
    let staged = common::stage("pipelines/seto.yaml");
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("book.xlsx");
    let out = dir.path().join("feedback");
    let inbox = common::shared().join("samples/inbox");
    let args = ["run", staged.arg(), "--inbox", inbox.to_str().expect("utf-8"), "--out", book.to_str().expect("utf-8"), "--no-cache"];
    let run = common::torimatome_in("C", &[&args[..], &["--feedback", out.to_str().expect("utf-8")]].concat());
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));

    // 問題一覧 by department, through 入力ファイル.
    let department: BTreeMap<String, String> = read_sheet(&book, "入力ファイル").into_iter().skip(1).map(|r| (r[0].clone(), r[1].clone())).collect();
    let mut listed: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    for row in read_sheet(&book, "問題一覧").into_iter().skip(1) {
        if let Some(d) = department.get(&row[0]).filter(|d| !d.is_empty()) {
            listed.entry(d.clone()).or_default().push(row);
        }
    }
    assert!(listed.len() >= 3, "the samples have problems in several departments: {listed:?}");
    let texts: BTreeSet<String> = std::fs::read_dir(&out).expect("feedback folder").map(|e| e.expect("entry").file_name().to_string_lossy().to_string()).filter(|n| n.ends_with(".txt")).collect();
    let expected: BTreeSet<String> = listed.keys().map(|d| format!("{d}.txt")).collect();
    assert_eq!(texts, expected, "a text for each department with problems, none for the others");
    for (d, rows) in &listed {
        let bytes = std::fs::read(out.join(format!("{d}.txt"))).expect("text");
        assert!(bytes.starts_with("\u{feff}".as_bytes()), "{d}: UTF-8 with a BOM");
        let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
        assert!(!text.replace("\r\n", "").contains('\n'), "{d}: CRLF line ends only");
        assert!(text.contains("令和4年度上期") && text.contains("【　月　日"), "{d}: the period and a deadline to fill in");
        let items = text.lines().filter(|l| l.split_once(". ").is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))).count();
        assert_eq!(items, rows.len(), "{d}: exactly its rows of 問題一覧\n{text}");
        for row in rows {
            let (file, sheet, cell, what, todo) = (&row[0], &row[1], &row[2], &row[4], &row[5]);
            assert!(text.contains(file.as_str()), "{d}: names {file}");
            if !cell.is_empty() {
                assert!(text.contains(&format!("{sheet}!{cell}")), "{d}: names {sheet}!{cell}");
            }
            assert!(text.contains(what.as_str()) && text.contains(todo.as_str()), "{d}: says what is wrong and what to do: {what} / {todo}");
        }
    }

    // Each copy holds the department's cells as read, and opens in LibreOffice.
    let copies: Vec<std::path::PathBuf> = std::fs::read_dir(&out).expect("folder").map(|e| e.expect("entry").path()).filter(|p| p.extension().is_some_and(|e| e == "xlsx")).collect();
    assert!(!copies.is_empty(), "marked copies of the files with problems at cells");
    for copy in &copies {
        let name = copy.file_name().expect("name").to_string_lossy().to_string();
        let original = department.keys().find(|f| {
            let stem = f.rsplit_once('.').map_or(f.as_str(), |(s, _)| s);
            department.get(*f).is_some_and(|d| name == format!("{d}_{stem}.xlsx"))
        });
        let original = original.unwrap_or_else(|| panic!("{name}: the copy of an inbox file"));
        let read = |p: &Path| workbook::read(&std::fs::read(p).expect("file"), &Limits::default()).expect("reads");
        let (a, b) = (read(&inbox.join(original)), read(copy));
        assert_eq!(a.sheets.len(), b.sheets.len(), "{name}: every sheet");
        for (sa, sb) in a.sheets.iter().zip(&b.sheets) {
            assert_eq!(sa.name, sb.name);
            for r in 0..sa.height() {
                for c in 0..sa.width() {
                    assert_eq!(sa.get(r, c).display(), sb.get(r, c).display(), "{name} {}!{r},{c}", sa.name);
                }
            }
        }
    }
    let pdf = dir.path().join("pdf");
    let profile = dir.path().join("lo-profile");
    let status = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&pdf)
        .args(&copies)
        .output()
        .expect("soffice runs (install libreoffice-calc; .ci/run does)");
    for copy in &copies {
        let made = pdf.join(copy.with_extension("pdf").file_name().expect("name"));
        let bytes = std::fs::read(&made).unwrap_or_else(|e| panic!("{}: no PDF ({e}): {}", made.display(), String::from_utf8_lossy(&status.stderr)));
        assert!(bytes.starts_with(b"%PDF"), "{}: a PDF", made.display());
    }

    // Never into the inbox: refused before anything is read or made.
    let inside = inbox.join("差し戻し");
    let refused = common::torimatome_in("C", &[&args[..], &["--feedback", inside.to_str().expect("utf-8")]].concat());
    assert_eq!(refused.status.code(), Some(3), "{}", String::from_utf8_lossy(&refused.stderr));
    assert!(!inside.exists(), "nothing made in the inbox");
}

#[test]
fn template_from_the_command_line_in_both_languages() {
    let staged = common::stage("pipelines/seto.yaml");
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("forms");
    let out_arg = out.to_str().expect("utf-8");
    let en = common::torimatome_in("C", &["template", staged.arg(), "-o", out_arg]);
    assert!(en.status.success(), "{}", String::from_utf8_lossy(&en.stderr));
    assert!(String::from_utf8_lossy(&en.stdout).contains("wrote 19 forms for 令和4年度下期"), "{}", String::from_utf8_lossy(&en.stdout));
    assert!(out.join("R4下期_市民課.xlsx").exists(), "period and department in the file name");
    let ja = common::torimatome_in("ja_JP.UTF-8", &["template", staged.arg(), "-o", out_arg, "--period", "令和5年度上期"]);
    assert!(String::from_utf8_lossy(&ja.stdout).contains("令和5年度上期 の様式 19 件"), "{}", String::from_utf8_lossy(&ja.stdout));
    assert!(out.join("R5上期_市民課.xlsx").exists(), "the period asked for");
    let bad = common::torimatome_in("C", &["template", staged.arg(), "-o", out_arg, "--period", "someday"]);
    assert_eq!(bad.status.code(), Some(2), "a period that is not one: {}", String::from_utf8_lossy(&bad.stderr));
    let help = common::torimatome_in("C", &["template", "--help"]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("the last period's manifest"), "help in words, not ids");
}
