//! 前期比 and 差し替えの差分: two generated periods (values changed, a project dropped, one
//! renamed, one added, a goal renumbered, an indicator respelled, a department late), each
//! line of 前期比 checked against what the generator changed; a bad `previous` refused
//! before the inbox is read; and each cell a 修正版 changed, checked against both files.

use std::path::{Path, PathBuf};

use crate::common;
use torimatome::run::{self, Paths, Quiet};

/// One indicator: name, unit, this year's actual.
type Indicator = (&'static str, &'static str, f64);

/// One project of a department's workbook.
struct Project {
    goal: &'static str,
    measure: &'static str,
    name: &'static str,
    status: &'static str,
    indicators: Vec<Indicator>,
}

fn project(goal: &'static str, measure: &'static str, name: &'static str, status: &'static str, indicators: Vec<Indicator>) -> Project {
    Project { goal, measure, name, status, indicators }
}

/// A department's KPI workbook as the minato pipeline reads it: 担当課 above a two-row
/// header, 指標値 over last year's actual and two plans, 実績値 over this period's actual;
/// goal, measure, project and status merged over a project's indicator rows.
fn write_kpi(path: &Path, department: &str, fiscal_year: i32, projects: &[Project]) {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("進捗報告").expect("name");
    let merge = Format::new();
    let y = fiscal_year - 2018;
    ws.write_string(0, 0, format!("DX推進計画 進捗報告 (令和{y}年度上期)")).expect("cell");
    ws.write_string(1, 0, "担当課").expect("cell");
    ws.write_string(1, 1, department).expect("cell");
    for (col, header) in ["基本目標", "施策", "事業名", "指標名", "単位", "進捗区分"].iter().enumerate() {
        ws.merge_range(3, col as u16, 4, col as u16, header, &merge).expect("header");
    }
    ws.merge_range(3, 6, 3, 8, "指標値", &merge).expect("group");
    ws.write_string(3, 9, "実績値").expect("actual");
    ws.write_string(4, 6, format!("R{}実績値", y - 1)).expect("sub");
    ws.write_string(4, 7, format!("R{y}計画値")).expect("sub");
    ws.write_string(4, 8, format!("R{}計画値", y + 1)).expect("sub");
    ws.write_string(4, 9, "9月末時点").expect("sub");
    let mut row = 5u32;
    for p in projects {
        let count = p.indicators.len().max(1) as u32;
        let last = row + count - 1;
        for (col, text) in [(0u16, p.goal), (1, p.measure), (2, p.name), (5, p.status)] {
            if count > 1 {
                ws.merge_range(row, col, last, col, text, &merge).expect("merge");
            } else {
                ws.write_string(row, col, text).expect("cell");
            }
        }
        for (i, (name, unit, actual)) in p.indicators.iter().enumerate() {
            let r = row + i as u32;
            ws.write_string(r, 3, *name).expect("cell");
            ws.write_string(r, 4, *unit).expect("cell");
            ws.write_number(r, 6, actual - 1.0).expect("value");
            ws.write_number(r, 7, actual + 10.0).expect("value");
            ws.write_number(r, 8, actual + 20.0).expect("value");
            ws.write_number(r, 9, *actual).expect("value");
        }
        row = last + 1;
    }
    ws.write_string(row + 1, 0, "※進捗区分：◎達成 ○推進中 △課題あり －取組なし").expect("legend");
    book.save(path).expect("save");
}

const ROSTER: &str = "企画課\n市民課\n福祉課\n";

/// The last period (令和5年度上期): 企画課 with three projects, 市民課, 福祉課.
fn last_period() -> Vec<(&'static str, Vec<Project>)> {
    vec![
        (
            "企画課",
            vec![
                project("① 暮らしの利便性", "(1) 行政手続のオンライン化", "電子申請の拡充", "○", vec![("電子申請の件数", "件", 1200.0), ("窓口の待ち時間", "分", 30.0)]),
                project("① 暮らしの利便性", "(2) 業務の効率化", "RPAの導入", "◎", vec![("削減時間", "時間", 500.0)]),
                project("① 暮らしの利便性", "(1) 行政手続のオンライン化", "紙の台帳の廃止", "○", vec![("廃止した台帳", "冊", 10.0)]),
            ],
        ),
        ("市民課", vec![project("② 市民サービス", "(1) 窓口の改善", "マイナンバーカードの普及", "○", vec![("交付率", "%", 60.0)])]),
        ("福祉課", vec![project("③ 福祉", "(1) 見守り", "見守りのデジタル化", "○", vec![("登録者数", "人", 50.0)])]),
    ]
}

/// This period (令和6年度上期): goal ① renumbered 1., 電子申請の拡充 推進中 → 課題あり with
/// its figures changed (件数 up: better; 待ち時間, a decrease indicator, up: worse) and an
/// indicator added; RPAの導入 renamed RPAの全庁導入; 紙の台帳の廃止 dropped; a project added;
/// 市民課's 交付率 respelled with a space and up; 福祉課 late (no file).
fn this_period() -> Vec<(&'static str, Vec<Project>)> {
    vec![
        (
            "企画課",
            vec![
                project(
                    "1. 暮らしの利便性",
                    "(1) 行政手続のオンライン化",
                    "電子申請の拡充",
                    "△",
                    vec![("電子申請の件数", "件", 1500.0), ("窓口の待ち時間", "分", 35.0), ("オンライン手続の割合", "%", 40.0)],
                ),
                project("1. 暮らしの利便性", "(2) 業務の効率化", "RPAの全庁導入", "◎", vec![("削減時間", "時間", 500.0)]),
                project("1. 暮らしの利便性", "(1) 行政手続のオンライン化", "AIチャットボットの導入", "○", vec![("問合せ件数", "件", 100.0)]),
            ],
        ),
        ("市民課", vec![project("② 市民サービス", "(1) 窓口の改善", "マイナンバーカードの普及", "○", vec![("交付\u{3000}率", "%", 70.0)])]),
    ]
}

/// A period's inbox and a minato pipeline for it (fiscal year, its roster, `indicators`
/// saying 待ち時間 should fall), staged in `dir`.
fn period(dir: &Path, fiscal_year: i32, departments: &[(&str, Vec<Project>)], previous: Option<&str>) -> PathBuf {
    let y = fiscal_year - 2018;
    let inbox = dir.join(format!("inbox{y}"));
    std::fs::create_dir_all(&inbox).expect("inbox");
    for (department, projects) in departments {
        write_kpi(&inbox.join(format!("R{y}上期_{department}.xlsx")), department, fiscal_year, projects);
    }
    let roster = dir.join("roster.txt");
    std::fs::write(&roster, ROSTER).expect("roster");
    let staged = common::stage_edited("pipelines/minato.yaml", |text| {
        let mut text = text
            .replace("inbox: ../fixtures/minato/inbox", &format!("inbox: \"{}\"", inbox.display()))
            .replace("file: ../fixtures/minato/roster.txt", &format!("file: \"{}\"", roster.display()))
            .replace("fiscal_year: 令和6年度", &format!("fiscal_year: 令和{y}年度"));
        text += "\nindicators:\n  - name: \"待ち時間\"\n    direction: decrease\n";
        if let Some(previous) = previous {
            text += &format!("\nprevious: {previous}\n");
        }
        text
    });
    let path = dir.join(format!("r{y}.yaml"));
    std::fs::copy(&staged.path, &path).expect("pipeline");
    path
}

fn run_into(pipeline: &Path, book: &Path) -> Result<run::Report, run::RunError> {
    let p = common::load(pipeline).unwrap_or_else(|e| panic!("{}: {e:?}", pipeline.display()));
    let paths = Paths { inbox: None, out: Some(book.to_path_buf()), records: None, cache: false };
    run::run(&p, &paths, &Quiet)
}

#[test]
fn every_line_of_the_period_comparison_says_what_changed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let last = period(dir.path(), 2023, &last_period(), None);
    let last_book = dir.path().join("last").join("r5.xlsx");
    run_into(&last, &last_book).unwrap_or_else(|e| panic!("last period: {e}"));
    // The manifest names the snapshot, with its hash.
    let manifest = std::fs::read_to_string(dir.path().join("last/r5.manifest.json")).expect("manifest");
    assert!(manifest.contains("\"snapshot\"") && manifest.contains("r5.snapshot.json"), "{manifest}");

    // `previous:` relative to the pipeline file.
    let this = period(dir.path(), 2024, &this_period(), Some("last/r5.manifest.json"));
    let book = dir.path().join("this").join("r6.xlsx");
    let report = run_into(&this, &book).unwrap_or_else(|e| panic!("this period: {e}"));
    assert_eq!(report.consolidation.missing(), ["福祉課"]);
    let manifest = std::fs::read_to_string(dir.path().join("this/r6.manifest.json")).expect("manifest");
    assert!(manifest.contains("\"previous\"") && manifest.contains("../last/r5.snapshot.json"), "{manifest}");

    let sheet = common::read_sheet(&book, "前期比");
    assert_eq!(sheet[0][..14], ["区分", "変化", "担当課", "基本目標", "施策", "事業名", "指標名", "単位", "望ましい方向", "前期 (令和5年度上期)", "今期 (令和6年度上期)", "増減", "評価", "照合"]);
    let lines: Vec<String> = sheet[1..].iter().map(|r| r[..14].join(" | ")).collect();
    let (g1, g2) = ("1. 暮らしの利便性", "② 市民サービス");
    let (online, office) = ("(1) 行政手続のオンライン化", "(2) 業務の効率化");
    let expected = [
        "提出 | 今期未提出 | 福祉課 |  |  |  |  |  |  | 提出 | 未提出 |  |  | ".to_string(),
        // By identity: 市民サービス sorts before 暮らしの利便性, whatever their numbers.
        format!("事業 | 継続 | 市民課 | {g2} | (1) 窓口の改善 | マイナンバーカードの普及 |  |  |  | 推進中 | 推進中 |  | 変化なし | 同一"),
        format!("指標 | 継続 | 市民課 | {g2} | (1) 窓口の改善 | マイナンバーカードの普及 | 交付\u{3000}率 | % | 増加 | 60 | 70 | 10 | 改善 | 表記の違いのみ (前期「交付率」)"),
        format!("事業 | 名称変更 | 企画課 | {g1} | {office} | RPAの全庁導入 |  |  |  | 達成 | 達成 |  | 変化なし | 要確認: 名称の類似 67% で同一と推定 (前期「RPAの導入」)"),
        format!("指標 | 継続 | 企画課 | {g1} | {office} | RPAの全庁導入 | 削減時間 | 時間 | 増加 | 500 | 500 | 0 | 変化なし | 同一"),
        format!("事業 | 追加 | 企画課 | {g1} | {online} | AIチャットボットの導入 |  |  |  |  | 推進中 |  |  | "),
        format!("事業 | 削除 | 企画課 | ① 暮らしの利便性 | {online} | 紙の台帳の廃止 |  |  |  | 推進中 |  |  |  | "),
        format!("事業 | 継続 | 企画課 | {g1} | {online} | 電子申請の拡充 |  |  |  | 推進中 | 課題あり |  | 悪化 | 表記の違いのみ"),
        format!("指標 | 継続 | 企画課 | {g1} | {online} | 電子申請の拡充 | 電子申請の件数 | 件 | 増加 | 1200 | 1500 | 300 | 改善 | 同一"),
        format!("指標 | 継続 | 企画課 | {g1} | {online} | 電子申請の拡充 | 窓口の待ち時間 | 分 | 減少 | 30 | 35 | 5 | 悪化 | 同一"),
        format!("指標 | 追加 | 企画課 | {g1} | {online} | 電子申請の拡充 | オンライン手続の割合 | % | 増加 |  | 40 |  |  | "),
    ];
    assert_eq!(lines, expected, "前期比, line by line:\n{}", lines.join("\n"));
    // Each figure is traced to its cell on both sides.
    let traced = &sheet[9];
    assert_eq!(traced[14], "R5上期_企画課.xlsx 進捗報告!J6");
    assert_eq!(traced[15], "R6上期_企画課.xlsx 進捗報告!J6");

    // An auditor's rerun compares with the same last period: identical.
    let verdict = torimatome::verify::verify(&dir.path().join("this/r6.manifest.json"), None, torimatome::messages::Lang::En).expect("verify");
    assert!(verdict.identical(), "{}", verdict.lines.join("\n"));
    assert!(verdict.lines.iter().any(|l| l.starts_with("last period: unchanged")), "{}", verdict.lines.join("\n"));

    // The same inputs, the same book: rerun and compare bytes.
    let again = dir.path().join("again").join("r6.xlsx");
    run_into(&this, &again).unwrap_or_else(|e| panic!("rerun: {e}"));
    assert_eq!(std::fs::read(&book).expect("book"), std::fs::read(&again).expect("book"), "the same book byte for byte");
    assert_eq!(std::fs::read(dir.path().join("this/r6.snapshot.json")).expect("snapshot"), std::fs::read(dir.path().join("again/r6.snapshot.json")).expect("snapshot"));
}

#[test]
fn a_previous_period_that_is_not_what_its_manifest_says_is_refused_before_the_inbox_is_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let last = period(dir.path(), 2023, &last_period(), None);
    let last_book = dir.path().join("last").join("r5.xlsx");
    run_into(&last, &last_book).unwrap_or_else(|e| panic!("last period: {e}"));
    let manifest = dir.path().join("last/r5.manifest.json");
    let this = period(dir.path(), 2024, &this_period(), None);
    let out = dir.path().join("this").join("r6.xlsx");
    let cli = |previous: &Path| {
        let args = ["--lang", "en", "run", this.to_str().expect("path"), "--out", out.to_str().expect("path"), "--previous", previous.to_str().expect("path")];
        common::torimatome_in("C", &args)
    };

    // Given the book, its manifest beside it is taken.
    let ok = cli(&last_book);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    std::fs::remove_file(&out).expect("book");

    // A snapshot changed since its manifest was written.
    let snapshot = dir.path().join("last/r5.snapshot.json");
    let original = std::fs::read(&snapshot).expect("snapshot");
    std::fs::write(&snapshot, String::from_utf8_lossy(&original).replace("企画課", "企画部")).expect("tamper");
    let refused = cli(&manifest);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("r5.manifest.json") && stderr.contains("r5.snapshot.json") && stderr.contains("SHA-256"), "{stderr}");
    assert!(!out.exists(), "no book written");
    std::fs::write(&snapshot, &original).expect("restore");

    // A book changed since: refused; a missing one: refused.
    let book_bytes = std::fs::read(&last_book).expect("book");
    std::fs::write(&last_book, b"not the book").expect("tamper");
    let refused = cli(&manifest);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("r5.xlsx") && stderr.contains("SHA-256"), "{stderr}");
    std::fs::remove_file(&last_book).expect("remove");
    let refused = cli(&manifest);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("is not there"), "{}", String::from_utf8_lossy(&refused.stderr));
    std::fs::write(&last_book, &book_bytes).expect("restore");

    // Not a manifest at all; a manifest that is not there.
    for wrong in [dir.path().join("roster.txt"), dir.path().join("nowhere.manifest.json")] {
        let refused = cli(&wrong);
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(refused.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(wrong.file_name().and_then(|n| n.to_str()).expect("name")), "{stderr}");
    }
    assert!(!out.exists(), "no book written");
}

/// What a sheet of a workbook shows at an A1 cell.
fn shown(book: &Path, sheet_and_cell: &str) -> String {
    let (sheet, cell) = sheet_and_cell.split_once('!').expect("sheet!cell");
    let bytes = std::fs::read(book).expect("file");
    let read = torimatome::workbook::read(&bytes, &Default::default()).expect("reads");
    let sheet = read.sheets.iter().find(|s| s.name == sheet).expect("sheet");
    let letters: String = cell.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let row: u32 = cell[letters.len()..].parse().expect("row");
    let col = letters.chars().fold(0u32, |n, c| n * 26 + (c as u32 - 'A' as u32 + 1)) - 1;
    sheet.get(row - 1, col).display().trim().to_string()
}

#[test]
fn the_corrections_a_revised_file_made_are_listed_cell_by_cell() {
    let out = common::run_pipeline("pipelines/seto.yaml", None);
    let sheet = common::read_sheet(&out.book, "差し替えの差分");
    assert_eq!(sheet[0], ["担当課", "差し替えられたファイル", "修正版", "事業名", "指標名", "項目", "元の値", "修正後の値", "元のセル", "修正後のセル"]);
    let inbox = common::shared().join("samples/inbox");
    let lines: Vec<&Vec<String>> = sheet[1..].iter().filter(|r| r[1] == "R4上期_情報政策課.xlsx").collect();
    assert!(!lines.is_empty(), "情報政策課's correction is listed:\n{sheet:?}");
    for line in &lines {
        assert_eq!(line[0], "情報政策課");
        assert_eq!(line[2], "R4上期_情報政策課_修正版.xlsx");
        if line[5] == "変更なし" {
            continue;
        }
        assert_ne!(line[6], line[7], "{line:?}");
        // Each side is what its file shows at the cell named.
        if !line[8].is_empty() {
            assert_eq!(shown(&inbox.join(&line[1]), &line[8]), line[6].trim(), "{line:?}");
        }
        if !line[9].is_empty() {
            assert_eq!(shown(&inbox.join(&line[2]), &line[9]), line[7].trim(), "{line:?}");
        }
    }
    // What the 修正版 corrected, and nothing it only wrote otherwise (○ for ◯, 100.0% for
    // 100 in a % cell, one dash for another).
    let what: Vec<String> = lines.iter().map(|l| format!("{} {} {}→{}", l[4], l[5], l[6], l[7])).collect();
    assert_eq!(
        what,
        [
            "講座参加者数 実績値 (2022年度) ２１８→226",
            "受講者の満足度 実績値 (2022年度) ９５．４％→96.1%",
            "RPA導入業務累計数 進捗区分 △→推進中",
            "AI-OCR導入業務累計数 実績値 (2022年度) 0→1",
        ]
    );
}
