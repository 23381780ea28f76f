//! The action-plan card layout on hand-built sheets that replicate the sample workbook
//! `R4上期_アクションプラン_行政経営課.xlsx` (sheets No.1–No.4, as openpyxl shows them), the
//! hazards around it, and the same reading through the plugin's C functions.

use std::collections::BTreeMap;
use std::ffi::c_void;

use torimatome_cards::{CardLayout, CardsPlugin};
use torimatome_plugin_api::abi::{TmCell, TmSheet, TmStr, TmString, TM_ERROR, TM_OK};
use torimatome_plugin_api::{
    At, CellIn, CellValue, HeaderKind, Layout, LayoutResult, Match, NumberFormat, OptionValue, Options, Plugin,
    ProblemAt, RowAt, SheetIn,
};

// ---------------------------------------------------------------- building sheets

/// A sheet owned by the test; `view` lends it as the host would.
struct Sheet {
    name: &'static str,
    width: u32,
    height: u32,
    cells: Vec<CellIn<'static>>,
    merges: Vec<[u32; 4]>,
}

impl Sheet {
    fn view(&self) -> SheetIn<'_> {
        SheetIn {
            name: self.name,
            width: self.width,
            height: self.height,
            cells: &self.cells,
            merges: &self.merges,
            merges_known: true,
        }
    }
}

/// "B10" → (row 9, col 1).
fn pos(a1: &str) -> (u32, u32) {
    let letters: String = a1.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let col = letters.chars().fold(0u32, |n, c| n * 26 + (c as u32 - 'A' as u32 + 1)) - 1;
    let row: u32 = a1[letters.len()..].parse().unwrap();
    (row - 1, col)
}

/// (row, col) → "B10".
fn a1(at: At) -> String {
    let mut col = at.col + 1;
    let mut letters = Vec::new();
    while col > 0 {
        letters.push((b'A' + ((col - 1) % 26) as u8) as char);
        col = (col - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(at.row + 1).to_string()
}

/// A sheet from (A1 reference, text) pairs; texts that are plain numbers become number
/// cells, as the reader gives "No." values. Merges as "B1:F1".
fn sheet(name: &'static str, entries: &[(&str, &'static str)], merges: &[&str]) -> Sheet {
    let positions: Vec<(u32, u32)> = entries.iter().map(|(r, _)| pos(r)).collect();
    let width = positions.iter().map(|p| p.1 + 1).max().unwrap_or(0);
    let height = positions.iter().map(|p| p.0 + 1).max().unwrap_or(0);
    let empty = CellIn { value: CellValue::Empty, text: "", unit: "" };
    let mut cells = vec![empty; (width * height) as usize];
    for ((row, col), (_, text)) in positions.iter().zip(entries) {
        let value = match text.parse::<f64>() {
            Ok(value) => CellValue::Number { value, format: NumberFormat::General },
            Err(_) if text.is_empty() => CellValue::Empty,
            Err(_) => CellValue::Text,
        };
        cells[(row * width + col) as usize] = CellIn { value, text, unit: "" };
    }
    let merges = merges
        .iter()
        .map(|m| {
            let (a, b) = m.split_once(':').unwrap();
            let ((r0, c0), (r1, c1)) = (pos(a), pos(b));
            [r0, c0, r1, c1]
        })
        .collect();
    Sheet { name, width, height, cells, merges }
}

fn col_name(c: u32) -> String {
    a1(At { row: 0, col: c }).trim_end_matches('1').to_string()
}

const YEARS: [&str; 5] = [
    "令和元年度 (2019年度)",
    "令和2年度 (2020年度)",
    "令和3年度 (2021年度)",
    "令和4年度 (2022年度)",
    "令和5年度 (2023年度)",
];

/// What differs between the sample's cards.
struct Card {
    no: &'static str,
    goal: &'static str,
    measure: &'static str,
    project: &'static str,
    summary: &'static str,
    department: &'static str,
    related: &'static str,
    indicator: &'static str,
    plan: [&'static str; 5],
    actual_label: &'static str,
    /// From the first value column on, as written.
    actual: &'static [&'static str],
}

/// A card laid out as the sample's: labels in column `first` (A), values from the next
/// column, header values merged over the five year columns.
fn card_sheet(name: &'static str, card: &Card, first: u32) -> Sheet {
    let l = col_name(first);
    let v: Vec<String> = (1..=5).map(|i| col_name(first + i)).collect();
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let mut entries: Vec<(&str, &'static str)> = Vec::new();
    let labels = ["No.", "基本方針", "取組", "アクションプラン", "概要", "主管部門", "関係部門", "評価指標（定量的）"];
    let values =
        [card.no, card.goal, card.measure, card.project, card.summary, card.department, card.related, card.indicator];
    for (i, (label, value)) in labels.iter().zip(values).enumerate() {
        entries.push((leak(format!("{l}{}", i + 1)), label));
        entries.push((leak(format!("{}{}", v[0], i + 1)), value));
    }
    entries.push((leak(format!("{l}9")), "年度"));
    entries.push((leak(format!("{l}10")), "予定"));
    entries.push((leak(format!("{l}11")), card.actual_label));
    for (i, col) in v.iter().enumerate() {
        entries.push((leak(format!("{col}9")), YEARS[i]));
        entries.push((leak(format!("{col}10")), card.plan[i]));
        entries.push((leak(format!("{col}11")), card.actual.get(i).copied().unwrap_or("")));
    }
    let merges: Vec<&str> = (1..=8).map(|r| leak(format!("{}{r}:{}{r}", v[0], v[4]))).collect();
    sheet(name, &entries, &merges)
}

const NO1: Card = Card {
    no: "1",
    goal: "1 市民サービスの向上",
    measure: "(1) 行政手続のオンライン化",
    project: "電子申請の拡充",
    summary: "あいち電子申請・届出システムの対象手続を拡大し、来庁不要の手続を増やす。",
    department: "行政経営課",
    related: "情報政策課、各課",
    indicator: "電子申請の利用率",
    plan: ["-", "申込み 5%", "申込み 10%", "申込み 20%", "申込み 30%"],
    actual_label: "実績",
    actual: &["-", "申込み 3.2%", "申込み 8.5%", "(本年度未測定)"],
};

const NO2: Card = Card {
    no: "2",
    goal: "1 市民サービスの向上",
    measure: "(2) 窓口サービスの充実",
    project: "証明書のコンビニ交付拡充",
    summary: "マイナンバーカードによる証明書のコンビニ交付対象を拡大する。",
    department: "行政経営課",
    related: "市民課、税務課",
    indicator: "コンビニ交付件数",
    plan: ["-", "課税証明 500件", "課税証明 600件", "課税証明 650件", "課税証明 700件"],
    actual_label: "実績",
    actual: &["課税証明 410件", "課税証明 480件", "課税証明 650件 住民票等 46,600件", "(本年度未測定)"],
};

const NO3: Card = Card {
    no: "3",
    goal: "2 効率的な行政運営",
    measure: "(1) 業務プロセスの見直し",
    project: "窓口待ち時間の短縮",
    summary: "窓口混雑状況の発信と受付方法の見直しにより待ち時間を短縮する。",
    department: "行政経営課",
    related: "市民課",
    indicator: "窓口平均待ち時間の削減率（前年度比）",
    plan: ["-", "5%", "10%", "15%", "20%"],
    actual_label: "実績",
    actual: &["-", "3.5%", "30.7%", "▲16.7%"],
};

const NO4: Card = Card {
    no: "4",
    goal: "2 効率的な行政運営",
    measure: "(2) 働き方改革",
    project: "オンライン会議の定着",
    summary: "庁内外の会議をオンライン化し移動時間を削減する。",
    department: "行政経営課",
    related: "人事課、情報政策課",
    indicator: "オンライン会議開催回数",
    plan: ["-", "500回", "800回", "1,000回", "1,200回"],
    // The label cell A11 holds '-': the 実績 row starts one column left.
    actual_label: "-",
    actual: &["612回", "1,034回", "(本年度未測定)"],
};

fn layout() -> Box<dyn Layout> {
    CardsPlugin.layout("action_plan_card", &Options::new()).unwrap()
}

fn read(sheet: &Sheet) -> LayoutResult {
    layout().read(&sheet.view())
}

/// The values of a result as (cell, kind, fiscal year), in order.
fn values(row: &RowAt) -> Vec<(String, HeaderKind, i32)> {
    row.values.iter().map(|v| (a1(v.at), v.kind, v.fiscal_year)).collect()
}

fn problems(result: &LayoutResult) -> Vec<(String, String)> {
    result.problems.iter().map(|p| (p.at.map(a1).unwrap_or_default(), p.raw.clone())).collect()
}

fn expect(cells: &[(&str, HeaderKind, i32)]) -> Vec<(String, HeaderKind, i32)> {
    cells.iter().map(|(c, k, y)| (c.to_string(), *k, *y)).collect()
}

use HeaderKind::{Actual, Plan};

const PLAN_B_TO_F: [(&str, HeaderKind, i32); 5] =
    [("B10", Plan, 2019), ("C10", Plan, 2020), ("D10", Plan, 2021), ("E10", Plan, 2022), ("F10", Plan, 2023)];

fn only_row(result: &LayoutResult) -> &RowAt {
    assert_eq!(result.matched, Match::Found);
    assert_eq!(result.rows_read, 1);
    assert_eq!(result.rows.len(), 1);
    &result.rows[0]
}

// ---------------------------------------------------------------- the sample's cards

#[test]
fn no1_reads_as_truth_lists_it() {
    let result = read(&card_sheet("No.1", &NO1, 0));
    let row = only_row(&result);
    assert_eq!(row.row, 7, "the row of 評価指標（定量的）");
    assert_eq!(row.goal, "1 市民サービスの向上");
    assert_eq!(row.measure, "(1) 行政手続のオンライン化");
    assert_eq!(row.project, "電子申請の拡充");
    assert_eq!(row.indicator.as_deref(), Some("電子申請の利用率"));
    assert_eq!(row.department.as_deref(), Some("行政経営課"));
    assert_eq!(row.unit, "%");
    assert_eq!(row.status, None);
    let mut want = PLAN_B_TO_F.to_vec();
    // F11 is blank: FY2023 has no actual yet, and truth lists no cell for it.
    want.extend([("B11", Actual, 2019), ("C11", Actual, 2020), ("D11", Actual, 2021), ("E11", Actual, 2022)]);
    assert_eq!(values(row), expect(&want));
    assert!(result.problems.is_empty(), "{:?}", result.problems);
}

#[test]
fn no2_reports_the_two_value_cell_and_leaves_it_out() {
    let result = read(&card_sheet("No.2", &NO2, 0));
    let row = only_row(&result);
    assert_eq!(row.project, "証明書のコンビニ交付拡充");
    assert_eq!(row.measure, "(2) 窓口サービスの充実");
    assert_eq!(row.indicator.as_deref(), Some("コンビニ交付件数"));
    assert_eq!(row.unit, "件");
    let mut want = PLAN_B_TO_F.to_vec();
    want.extend([("B11", Actual, 2019), ("C11", Actual, 2020), ("E11", Actual, 2022)]);
    assert_eq!(values(row), expect(&want));
    assert_eq!(problems(&result), [("D11".to_string(), "課税証明 650件 住民票等 46,600件".to_string())]);
    let p = &result.problems[0];
    assert!(p.what.contains("1つのセルに2つの値"), "{}", p.what);
    assert!(p.todo.contains("値を1つだけ書く"), "{}", p.todo);
}

#[test]
fn no3_reads_negative_and_percent_cells_as_positions_only() {
    let result = read(&card_sheet("No.3", &NO3, 0));
    let row = only_row(&result);
    assert_eq!(row.indicator.as_deref(), Some("窓口平均待ち時間の削減率（前年度比）"));
    assert_eq!(row.unit, "%");
    let mut want = PLAN_B_TO_F.to_vec();
    want.extend([("B11", Actual, 2019), ("C11", Actual, 2020), ("D11", Actual, 2021), ("E11", Actual, 2022)]);
    assert_eq!(values(row), expect(&want));
    assert!(result.problems.is_empty());
}

#[test]
fn no4_reports_the_shifted_actual_row_and_keeps_the_plan() {
    let result = read(&card_sheet("No.4", &NO4, 0));
    let row = only_row(&result);
    assert_eq!(row.project, "オンライン会議の定着");
    assert_eq!(row.indicator.as_deref(), Some("オンライン会議開催回数"));
    assert_eq!(row.unit, "回");
    assert_eq!(values(row), expect(&PLAN_B_TO_F), "plan values only: the 実績 row is not attributable");
    assert_eq!(problems(&result), [("A11".to_string(), "-".to_string())]);
    let p = &result.problems[0];
    assert!(p.what.contains("1列左にずれている"), "{}", p.what);
    assert!(p.what.contains("年度のものとも決められない"), "{}", p.what);
}

/// The answer key itself, where the samples are at hand: every value cell and issue that
/// truth.jsonl lists for the card workbook, and nothing more.
#[test]
fn every_card_matches_truth_jsonl() {
    let Ok(truth) = std::fs::read_to_string("/work/shared/samples/truth.jsonl") else {
        eprintln!("truth.jsonl not found; skipped");
        return;
    };
    let records: Vec<serde_json::Value> = truth
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|r: &serde_json::Value| r["file"] == "R4上期_アクションプラン_行政経営課.xlsx")
        .collect();
    for (name, card) in [("No.1", &NO1), ("No.2", &NO2), ("No.3", &NO3), ("No.4", &NO4)] {
        let result = read(&card_sheet(name, card, 0));
        let row = only_row(&result);
        let mut want: Vec<(String, HeaderKind, i32)> = Vec::new();
        let mut want_issues: Vec<(String, String)> = Vec::new();
        for r in records.iter().filter(|r| r["sheet"] == name) {
            match r["type"].as_str() {
                Some("value") => {
                    let kind = match r["kind"].as_str() {
                        Some("plan") => Plan,
                        Some("actual") => Actual,
                        other => panic!("kind {other:?}"),
                    };
                    want.push((r["cell"].as_str().unwrap().into(), kind, r["fiscal_year"].as_i64().unwrap() as i32));
                    assert_eq!(r["goal"], row.goal.as_str(), "{name}");
                    assert_eq!(r["measure"], row.measure.as_str(), "{name}");
                    assert_eq!(r["project"], row.project.as_str(), "{name}");
                    assert_eq!(r["indicator"].as_str(), row.indicator.as_deref(), "{name}");
                    assert_eq!(r["unit"], row.unit.as_str(), "{name}");
                    assert_eq!(r["department"].as_str(), row.department.as_deref(), "{name}");
                    let at = row.values.iter().find(|v| a1(v.at) == r["cell"]).map(|v| v.at).unwrap();
                    let sheet = card_sheet(name, card, 0);
                    let text = sheet.cells[(at.row * sheet.width + at.col) as usize].text;
                    assert_eq!(r["raw"], text, "{name} {}", a1(at));
                }
                Some("issue") => {
                    want_issues.push((r["cell"].as_str().unwrap().into(), r["raw"].as_str().unwrap().into()))
                }
                _ => {}
            }
        }
        let mut got = values(row);
        got.sort();
        want.sort();
        assert_eq!(got, want, "{name}");
        assert_eq!(problems(&result), want_issues, "{name}");
    }
}

// ---------------------------------------------------------------- other arrangements

#[test]
fn a_card_shifted_right_reads_by_labels() {
    let result = read(&card_sheet("No.1", &NO1, 1));
    let row = only_row(&result);
    assert_eq!(row.project, "電子申請の拡充");
    assert_eq!(row.goal, "1 市民サービスの向上");
    assert_eq!(row.department.as_deref(), Some("行政経営課"));
    assert_eq!(row.unit, "%");
    let want = [
        ("C10", Plan, 2019),
        ("D10", Plan, 2020),
        ("E10", Plan, 2021),
        ("F10", Plan, 2022),
        ("G10", Plan, 2023),
        ("C11", Actual, 2019),
        ("D11", Actual, 2020),
        ("E11", Actual, 2021),
        ("F11", Actual, 2022),
    ];
    assert_eq!(values(row), expect(&want));
    assert!(result.problems.is_empty());

    let shifted = read(&card_sheet("No.4", &NO4, 1));
    assert_eq!(problems(&shifted), [("B11".to_string(), "-".to_string())]);
    assert_eq!(shifted.rows[0].values.len(), 5);
}

#[test]
fn labels_match_by_text_not_by_width_or_spaces() {
    let mut s = card_sheet("No.1", &NO1, 0);
    s.cells[(7 * s.width) as usize].text = "評価指標 (定量的)";
    s.cells[(8 * s.width) as usize].text = "年\u{3000}度";
    s.cells[(9 * s.width) as usize].text = " 予定 ";
    s.cells[(8 * s.width + 2) as usize].text = "令和２年度（２０２０年度）";
    let result = read(&s);
    let row = only_row(&result);
    assert_eq!(row.indicator.as_deref(), Some("電子申請の利用率"));
    assert_eq!(row.values.len(), 9);
    assert!(row.values.iter().any(|v| v.at == At { row: 9, col: 2 } && v.fiscal_year == 2020));
}

#[test]
fn a_label_in_another_column_and_rows_in_another_order() {
    // 主管部門 beside 関係部門 on one row, labels in column B for 年度/予定/実績, and
    // the plan label 計画 instead of 予定.
    let s = sheet(
        "カード",
        &[
            ("A1", "アクションプラン"),
            ("B1", "窓口のキャッシュレス化"),
            ("A2", "関係部門"),
            ("B2", "会計課"),
            ("C2", "主管部門"),
            ("D2", "市民課"),
            ("A3", "評価指標"),
            ("B3", "導入窓口数"),
            ("B5", "年度"),
            ("C5", "R4年度"),
            ("D5", "R5年度"),
            ("E5", "R6年度"),
            ("B6", "計画"),
            ("C6", "3か所"),
            ("D6", ""),
            ("E6", "10か所"),
            ("B7", "実績"),
            ("C7", "2か所"),
        ],
        &[],
    );
    let result = read(&s);
    let row = only_row(&result);
    assert_eq!(row.row, 2);
    assert_eq!(row.goal, "");
    assert_eq!(row.department.as_deref(), Some("市民課"));
    assert_eq!(row.unit, "か所");
    // The blank plan cell D6 is listed (a gap to see); actuals stop at the last filled cell.
    assert_eq!(
        values(row),
        expect(&[("C6", Plan, 2022), ("D6", Plan, 2023), ("E6", Plan, 2024), ("C7", Actual, 2022)])
    );
}

/// The sheet with one more (empty) column on the right.
fn widen(s: &Sheet) -> Sheet {
    let empty = CellIn { value: CellValue::Empty, text: "", unit: "" };
    let mut cells = Vec::new();
    for r in 0..s.height {
        cells.extend_from_slice(&s.cells[(r * s.width) as usize..((r + 1) * s.width) as usize]);
        cells.push(empty);
    }
    Sheet { name: s.name, width: s.width + 1, height: s.height, cells, merges: s.merges.clone() }
}

#[test]
fn an_actual_row_shifted_right_is_reported() {
    // All five actuals filled, then moved one column right: F11's value lands in G11,
    // under no fiscal year. (Shifted right by one with the last year still blank, the row
    // would look like a card whose FY2019 actual is blank: no layout can tell.)
    const FULL: Card =
        Card { actual: &["-", "申込み 3.2%", "申込み 8.5%", "申込み 15%", "申込み 25%"], ..NO1 };
    let mut s = widen(&card_sheet("No.1", &FULL, 0));
    let w = s.width;
    for c in (2..w).rev() {
        s.cells[(10 * w + c) as usize] = s.cells[(10 * w + c - 1) as usize];
    }
    s.cells[(10 * w + 1) as usize] = CellIn { value: CellValue::Empty, text: "", unit: "" };
    let result = read(&s);
    let row = only_row(&result);
    assert_eq!(values(row), expect(&PLAN_B_TO_F), "no actual value is attributed");
    assert_eq!(problems(&result), [("G11".to_string(), "申込み 25%".to_string())]);
    assert!(result.problems[0].what.contains("実績行が年度の列とずれている"), "{}", result.problems[0].what);

    // A plan row shifted the same way loses its values, and the actuals stay.
    let mut s = widen(&card_sheet("No.1", &FULL, 0));
    for c in (2..w).rev() {
        s.cells[(9 * w + c) as usize] = s.cells[(9 * w + c - 1) as usize];
    }
    s.cells[(9 * w + 1) as usize] = CellIn { value: CellValue::Empty, text: "", unit: "" };
    let result = read(&s);
    let row = only_row(&result);
    assert!(row.values.iter().all(|v| v.kind == Actual) && row.values.len() == 5);
    assert_eq!(problems(&result), [("G10".to_string(), "申込み 30%".to_string())]);
}

#[test]
fn two_cards_on_one_sheet() {
    let one = card_sheet("a", &NO1, 0);
    let three = card_sheet("b", &NO3, 0);
    let mut s = sheet("二枚", &[("F24", "")], &[]);
    let w = s.width;
    for (src, offset) in [(&one, 0u32), (&three, 12u32)] {
        for r in 0..src.height {
            for c in 0..src.width {
                s.cells[((r + offset) * w + c) as usize] = src.cells[(r * src.width + c) as usize];
            }
        }
        s.merges.extend(src.merges.iter().map(|m| [m[0] + offset, m[1], m[2] + offset, m[3]]));
    }
    let result = read(&s);
    assert_eq!(result.matched, Match::Found);
    assert_eq!(result.rows_read, 2);
    assert_eq!(result.rows[0].project, "電子申請の拡充");
    assert_eq!(result.rows[1].project, "窓口待ち時間の短縮");
    assert_eq!(result.rows[1].row, 19);
    assert_eq!(result.rows[0].values.len(), 9);
    assert_eq!(result.rows[1].values.len(), 9);
    assert_eq!(a1(result.rows[1].values[0].at), "B22");
    assert!(result.problems.is_empty());
}

// ---------------------------------------------------------------- not cards

#[test]
fn a_kpi_table_is_not_a_card() {
    let s = sheet(
        "進捗報告",
        &[
            ("A1", "令和4年度 上期 ICT戦略推進プラン 進捗状況報告書"),
            ("A2", "担当課"),
            ("B2", "健康課"),
            ("A4", "基本目標"),
            ("B4", "施策"),
            ("C4", "事業名"),
            ("D4", "指標名"),
            ("E4", "単位"),
            ("F4", "指標値"),
            ("F5", "R1実績値"),
            ("G5", "R3計画値"),
            ("A6", "③ ICT基盤の強化"),
            ("F6", "0"),
            ("G6", "2"),
        ],
        &["F4:G4"],
    );
    assert_eq!(read(&s), LayoutResult::no_match());
}

#[test]
fn a_self_evaluation_list_is_not_a_card() {
    // Layout C: No and 基本方針 are column headers on one row.
    let s = sheet(
        "自己評価一覧",
        &[
            ("A3", "No"),
            ("B3", "基本方針"),
            ("C3", "重点施策"),
            ("D3", "具体的取組"),
            ("E3", "担当課"),
            ("F3", "評価"),
            ("A4", "1"),
            ("B4", "1 市民サービスの向上"),
            ("F4", "A"),
        ],
        &[],
    );
    assert_eq!(read(&s).matched, Match::No);
    assert_eq!(read(&sheet("空", &[], &[])).matched, Match::No);
}

#[test]
fn a_card_without_a_year_row_is_the_wrong_template() {
    let mut s = card_sheet("No.1", &NO1, 0);
    for c in 0..s.width {
        s.cells[(8 * s.width + c) as usize] = CellIn { value: CellValue::Empty, text: "", unit: "" };
    }
    let result = read(&s);
    assert_eq!(result.matched, Match::WrongTemplate { missing: vec!["年度".into()] });
    assert_eq!(result.rows_read, 0);
    assert!(result.rows.is_empty());
}

#[test]
fn a_card_without_a_plan_row_is_the_wrong_template() {
    let mut s = card_sheet("No.1", &NO1, 0);
    s.cells[(9 * s.width) as usize].text = "";
    let result = read(&s);
    assert_eq!(result.matched, Match::WrongTemplate { missing: vec!["予定".into()] });
}

#[test]
fn a_year_row_without_years_is_the_wrong_template_and_says_why() {
    let mut s = card_sheet("No.1", &NO1, 0);
    for c in 1..s.width {
        s.cells[(8 * s.width + c) as usize].text = "目標";
    }
    let result = read(&s);
    assert_eq!(result.matched, Match::WrongTemplate { missing: vec!["年度".into()] });
    assert_eq!(result.problems.len(), 5);
}

#[test]
fn an_unreadable_or_repeated_year_is_reported_and_its_column_left_out() {
    let mut s = card_sheet("No.1", &NO1, 0);
    s.cells[(8 * s.width + 2) as usize].text = "令和2年度 (2021年度)";
    s.cells[(8 * s.width + 4) as usize].text = "R3年度";
    let result = read(&s);
    let row = only_row(&result);
    let years: Vec<i32> = row.values.iter().filter(|v| v.kind == Plan).map(|v| v.fiscal_year).collect();
    assert_eq!(years, [2019, 2023]);
    assert_eq!(problems(&result).len(), 3, "{:?}", result.problems);
}

#[test]
fn a_plan_merged_across_years_is_reported() {
    let mut s = card_sheet("No.1", &NO1, 0);
    s.merges.push([9, 2, 9, 5]);
    let result = read(&s);
    let row = only_row(&result);
    assert_eq!(values(row)[0], ("B10".to_string(), Plan, 2019));
    assert!(row.values.iter().all(|v| v.at.row != 9 || v.at.col == 1));
    assert_eq!(problems(&result), [("C10".to_string(), "申込み 5%".to_string())]);
}

#[test]
fn units_that_differ_are_reported() {
    let mut s = card_sheet("No.1", &NO1, 0);
    s.cells[(10 * s.width + 2) as usize].text = "申込み 32件";
    let result = read(&s);
    let row = only_row(&result);
    assert_eq!(row.unit, "");
    assert_eq!(problems(&result), [("C11".to_string(), "申込み 32件".to_string())]);
}

// ---------------------------------------------------------------- options

#[test]
fn options_replace_labels_and_refuse_mistakes() {
    let mut labels = BTreeMap::new();
    labels.insert("plan".to_string(), vec!["目標値".to_string()]);
    let mut options = Options::new();
    options.insert("labels".into(), OptionValue::Map(labels));
    let layout = CardsPlugin.layout("action_plan_card", &options).unwrap();
    let mut s = card_sheet("No.1", &NO1, 0);
    assert_eq!(layout.read(&s.view()).matched, Match::WrongTemplate { missing: vec!["目標値".into()] });
    s.cells[(9 * s.width) as usize].text = "目標値";
    assert_eq!(layout.read(&s.view()).rows[0].values.len(), 9);

    let bad = |key: &str, value: OptionValue| {
        let mut o = Options::new();
        o.insert(key.into(), value);
        CardsPlugin.layout("action_plan_card", &o).err().unwrap()
    };
    let map = |k: &str, v: &[&str]| {
        OptionValue::Map(BTreeMap::from([(k.to_string(), v.iter().map(|s| s.to_string()).collect())]))
    };
    assert!(bad("labels", map("plans", &["予定"])).contains("unknown field"));
    assert!(bad("labels", map("year_row", &[])).contains("at least one"));
    assert!(bad("labels", map("actual", &["予定"])).contains("both"));
    assert!(bad("labels", OptionValue::Text("x".into())).contains("map"));
    assert!(bad("unit_from", OptionValue::Text("x".into())).contains("no option"));
    assert!(CardsPlugin.layout("kpi_table", &Options::new()).is_err());
}

#[test]
fn describe_names_the_layout_and_its_option() {
    let d = CardsPlugin.describe();
    assert_eq!(d.name, "torimatome-cards");
    assert_eq!(d.version, env!("CARGO_PKG_VERSION"));
    assert!(d.steps.is_empty());
    assert_eq!(d.layouts.len(), 1);
    assert_eq!(d.layouts[0].name, "action_plan_card");
    assert_eq!(d.layouts[0].options[0].name, "labels");
    assert!(!d.layouts[0].options[0].required);
    assert!(CardLayout::from_options(&Options::new()).is_ok());
}

// ---------------------------------------------------------------- never panic

/// A small deterministic generator (xorshift), so the test needs no crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

#[test]
fn odd_sheets_never_panic() {
    const TOKENS: [&str; 24] = [
        "",
        "",
        "",
        "年度",
        "予定",
        "実績",
        "アクションプラン",
        "評価指標",
        "基本方針",
        "主管部門",
        "No.",
        "-",
        "令和元年度",
        "R4",
        "2022年度",
        "令和4年度 (2021年度)",
        "課税証明 650件 住民票等 46,600件",
        "500回",
        "(本年度未測定)",
        "▲16.7%",
        "計画",
        "取組",
        "１，０００件",
        "\u{3000}",
    ];
    let layout = layout();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..3000 {
        let width = rng.below(8) as u32;
        let height = rng.below(14) as u32;
        let n = (width * height) as usize;
        // Sometimes fewer cells than the sheet claims.
        let lent = if rng.below(5) == 0 { rng.below(n as u64 + 1) as usize } else { n };
        let cells: Vec<CellIn<'static>> = (0..lent)
            .map(|_| {
                let text = TOKENS[rng.below(TOKENS.len() as u64) as usize];
                CellIn { value: if text.is_empty() { CellValue::Empty } else { CellValue::Text }, text, unit: "" }
            })
            .collect();
        let merges: Vec<[u32; 4]> = (0..rng.below(4))
            .map(|_| [rng.below(16) as u32, rng.below(10) as u32, rng.below(16) as u32, rng.below(10) as u32])
            .collect();
        let sheet = SheetIn { name: "x", width, height, cells: &cells, merges: &merges, merges_known: true };
        let _ = layout.read(&sheet);
    }
    // A sheet claiming to be enormous, with a handful of cells.
    let cells = [CellIn { value: CellValue::Text, text: "年度", unit: "" }; 3];
    let merges = [[u32::MAX, u32::MAX, 0, 0], [0, 0, u32::MAX, u32::MAX]];
    for (w, h) in [(u32::MAX, u32::MAX), (u32::MAX, 1), (1, u32::MAX), (0, u32::MAX), (u32::MAX, 0)] {
        let sheet = SheetIn { name: "big", width: w, height: h, cells: &cells, merges: &merges, merges_known: true };
        assert_eq!(layout.read(&sheet).rows_read, 0);
    }
}

// ---------------------------------------------------------------- the C boundary

/// Read a sheet through the plugin's exported C functions, in process.
fn read_through_c(sheet: &Sheet, options: &str) -> LayoutResult {
    let cells: Vec<TmCell> = sheet.cells.iter().map(TmCell::new).collect();
    let tm = TmSheet {
        name: TmStr::new(sheet.name),
        width: sheet.width,
        height: sheet.height,
        cells: cells.as_ptr(),
        merges: sheet.merges.as_ptr(),
        n_merges: sheet.merges.len(),
        merges_known: 1,
    };
    let mut handle: *mut c_void = std::ptr::null_mut();
    let mut err = TmString::NONE;
    let status = unsafe {
        torimatome_cards::tm_layout_new(TmStr::new("action_plan_card"), TmStr::new(options), &mut handle, &mut err)
    };
    assert_eq!(status, TM_OK, "{:?}", unsafe { err.copy() });
    assert!(!handle.is_null());
    let mut out = TmString::NONE;
    let status = unsafe { torimatome_cards::tm_layout_read(handle, &tm, &mut out, &mut err) };
    assert_eq!(status, TM_OK, "{:?}", unsafe { err.copy() });
    let json = unsafe { out.copy() }.unwrap().unwrap();
    unsafe { torimatome_cards::tm_free_string(out) };
    unsafe { torimatome_cards::tm_layout_drop(handle) };
    serde_json::from_str(&json).unwrap()
}

#[test]
fn the_c_boundary_gives_what_the_direct_call_gives() {
    for (name, card, first) in
        [("No.1", &NO1, 0), ("No.2", &NO2, 0), ("No.3", &NO3, 0), ("No.4", &NO4, 0), ("No.1", &NO1, 2)]
    {
        let s = card_sheet(name, card, first);
        let direct = read(&s);
        assert_eq!(read_through_c(&s, ""), direct, "{name}");
        assert_eq!(read_through_c(&s, r#"{"labels": {"plan": ["予定"]}}"#), direct, "{name}");
    }
    let not_card = sheet("x", &[("A1", "hello")], &[]);
    assert_eq!(read_through_c(&not_card, ""), LayoutResult::no_match());
    let mut s = card_sheet("No.1", &NO1, 0);
    s.cells[(9 * s.width) as usize].text = "";
    assert_eq!(read_through_c(&s, "").matched, Match::WrongTemplate { missing: vec!["予定".into()] });
}

#[test]
fn the_c_boundary_refuses_with_a_message() {
    let mut handle: *mut c_void = std::ptr::null_mut();
    let mut err = TmString::NONE;
    let status =
        unsafe { torimatome_cards::tm_layout_new(TmStr::new("kpi_table"), TmStr::new(""), &mut handle, &mut err) };
    assert_eq!(status, TM_ERROR);
    let message = unsafe { err.copy() }.unwrap().unwrap();
    assert!(message.contains("kpi_table"), "{message}");
    unsafe { torimatome_cards::tm_free_string(err) };
    assert!(handle.is_null());

    let mut err = TmString::NONE;
    let status = unsafe {
        torimatome_cards::tm_layout_new(
            TmStr::new("action_plan_card"),
            TmStr::new(r#"{"labels": {"nope": ["x"]}}"#),
            &mut handle,
            &mut err,
        )
    };
    assert_eq!(status, TM_ERROR);
    assert!(unsafe { err.copy() }.unwrap().unwrap().contains("unknown field"));
    unsafe { torimatome_cards::tm_free_string(err) };

    let mut out = TmString::NONE;
    assert_eq!(unsafe { torimatome_cards::tm_describe(&mut out) }, TM_OK);
    let d: torimatome_plugin_api::Description = serde_json::from_str(&unsafe { out.copy() }.unwrap().unwrap()).unwrap();
    unsafe { torimatome_cards::tm_free_string(out) };
    assert_eq!(d, CardsPlugin.describe());
    assert_eq!(torimatome_cards::tm_abi_version(), torimatome_plugin_api::ABI_VERSION);
}

#[test]
fn problems_say_what_and_todo_in_japanese_only() {
    // They go into the book, which is in Japanese: no English word beside the Japanese.
    let english = regex_lite_words();
    for card in [&NO2, &NO4] {
        for p in read(&card_sheet("x", card, 0)).problems {
            let ProblemAt { what, todo, at, .. } = p;
            assert!(at.is_some());
            for text in [what, todo] {
                assert!(!text.is_ascii() && !text.contains(" / "), "{text}");
                assert!(english(&text).is_empty(), "English in {text:?}: {:?}", english(&text));
            }
        }
    }
}

/// The runs of three or more ASCII letters in a text.
fn regex_lite_words() -> impl Fn(&str) -> Vec<String> {
    |text: &str| {
        text.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() >= 3).map(String::from).collect()
    }
}
