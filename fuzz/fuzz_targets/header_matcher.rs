//! The KPI table layout of the real minato pipeline on small sheets built from the fuzz
//! bytes: header words of real templates, near-misses of them, random text and numbers,
//! random merged areas. Each layout finds its header and, when it does, reads the rows.
//!
//! The pipeline is loaded once, with its torimatome-ja plugin from ../target/debug (this
//! target is built with debug assertions, so `{profile}` is debug): build it first with
//! `cargo build -p torimatome-ja` at the workspace root. Every other input also runs
//! through an in-process copy of the same steps (torimatome-ja linked, no plugin boundary),
//! so the fuzzer sees the steps' code too and a panic in a step is not caught by the
//! plugin's `export_plugin!`.
#![no_main]

use std::collections::BTreeMap;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use torimatome::layout::rows::ReadContext;
use torimatome::layout::{self, Found};
use torimatome::normalize::{Normalizer, Step};
use torimatome::pipeline::Pipeline;
use torimatome::plugin::InProcessStep;
use torimatome::workbook::{NumberFormat, Sheet, Value};
use torimatome_ja::JaPlugin;
use torimatome_plugin_api::{OptionValue, Options, Plugin};

/// torimatome never unloads a plugin library (ARCHITECTURE.md): `plugin::load` leaks the
/// boxed `libloading::Library` on purpose, and LeakSanitizer would report it at exit.
#[no_mangle]
pub extern "C" fn __lsan_default_suppressions() -> *const std::ffi::c_char {
    c"leak:torimatome::plugin::load\n".as_ptr()
}

struct State {
    pipeline: Pipeline,
    in_process: Normalizer,
}

thread_local! {
    // libFuzzer calls the target on one thread; the pipeline holds plugin handles.
    static STATE: State = init();
}

fn init() -> State {
    let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../pipelines/minato.yaml"));
    // Unpinned: a developer's local lock of the shipped pipeline names the plugin of their
    // last `run`, not necessarily this build's.
    let pipeline = match torimatome::pipeline::load_unpinned(path) {
        Ok(p) => p,
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            panic!("pipelines/minato.yaml did not load; build the plugin first: cargo build -p torimatome-ja");
        }
    };
    State { pipeline, in_process: in_process_steps() }
}

/// The steps of pipelines/minato.yaml, built from torimatome-ja linked in.
fn in_process_steps() -> Normalizer {
    let map = |entries: &[(&str, &[&str])]| -> OptionValue {
        OptionValue::Map(
            entries
                .iter()
                .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
                .collect::<BTreeMap<_, _>>(),
        )
    };
    let mut numbers = Options::new();
    numbers.insert("percent_units".into(), OptionValue::List(vec!["%".into()]));
    numbers.insert("bare_fractions_are_percent".into(), OptionValue::Bool(true));
    let mut status = Options::new();
    status.insert(
        "vocabulary".into(),
        map(&[
            ("達成", &["◎", "達成", "達成見込み", "達成済み"]),
            ("推進中", &["○", "〇", "◯", "推進中"]),
            ("課題あり", &["△", "課題あり", "要対策", "課題あり対策要"]),
            ("取組なし", &["－", "-", "―", "×", "取組なし", "今年度取組みなし"]),
        ]),
    );
    let mut departments = Options::new();
    departments.insert(
        "roster".into(),
        map(&[("企画課", &[]), ("市民課", &["市民 課"]), ("福祉課", &[]), ("広報課", &[]), ("子育て支援課", &["こども課"])]),
    );
    let description = JaPlugin.describe();
    let steps = [
        ("fullwidth", Options::new()),
        ("era_years", Options::new()),
        ("numbers", numbers),
        ("status", status),
        ("departments", departments),
    ]
    .into_iter()
    .map(|(name, options)| {
        let roles = description.steps.iter().find(|s| s.name == name).expect("described").roles.clone();
        let step = JaPlugin.step(name, &options).expect("step");
        Box::new(InProcessStep::new(name, roles, step)) as Box<dyn Step>
    })
    .collect();
    Normalizer::new(steps)
}

/// `HEADER_MATCHER_STATS=1` prints what each layout made of each input (to check that the
/// generator reaches the reading code, not only the header search).
static STATS: std::sync::LazyLock<bool> = std::sync::LazyLock::new(|| std::env::var_os("HEADER_MATCHER_STATS").is_some());

/// Header texts of the real templates, their sub-headers, and what the cells below hold.
const WORDS: &[&str] = &[
    "基本目標", "基本方針", "施策", "取組", "事業名", "事業", "取組名", "指標名", "指標", "KPI", "単位",
    "進捗区分", "進捗状況区分", "評価", "備考", "指標値", "目標値", "実績値", "R1実績値", "R3計画値",
    "R4計画値", "R6計画値", "R7目標値", "令和6年度計画値", "2024年度計画", "計画値(R6)", "計画値()",
    "9月末時点", "R6.9.30現在", "令和6年9月30日", "基準値", "現状値", "実績", "計画", "※", "※進捗区分：◎達成",
    "凡例", "以上", "担当課", "所属", "報告日", "提出日", "企画課", "市民課", "こども課", "◎", "○", "〇", "△",
    "－", "-", "×", "達成", "推進中", "A 順調に進んだ", "Ｂ", "1,000", "１，０００", "約1,500", "50%", "0.5",
    "▲3", "調整中", "(本年度未測定)", "↗", "3～5", "人", "件", "%", "千円", "① 健康", "(a) 予防",
    "令和6年度 上期 進捗状況報告書", "R6上期", "R5下期", "",
];

/// Reads the fuzz bytes as a sequence of small decisions; zeros once they run out.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }

    fn take(&mut self, n: usize) -> &[u8] {
        let n = n.min(self.0.len());
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        head
    }

    fn f64(&mut self) -> f64 {
        let mut b = [0u8; 8];
        let got = self.take(8);
        b[..got.len()].copy_from_slice(got);
        f64::from_le_bytes(b)
    }

    fn word(&mut self) -> &'static str {
        WORDS[self.byte() as usize % WORDS.len()]
    }
}

fn cell(b: &mut Bytes) -> Value {
    let tag = b.byte();
    match tag % 16 {
        0..=3 => Value::Empty,
        4..=8 => Value::Text(b.word().to_string()),
        // A header word as departments vary it: spaces, full-width space, line breaks.
        9 => {
            let w = b.word();
            let sep = [" ", "\u{3000}", "\n", "\r\n", "\t"][b.byte() as usize % 5];
            let mut chars: Vec<char> = w.chars().collect();
            let at = b.byte() as usize % (chars.len() + 1);
            chars.splice(at..at, sep.chars());
            Value::Text(chars.into_iter().collect())
        }
        10 => {
            let (x, y) = (b.word(), b.word());
            Value::Text(format!("{x}{y}"))
        }
        11 => {
            let n = b.byte() as usize % 24;
            Value::Text(String::from_utf8_lossy(b.take(n)).into_owned())
        }
        12 => {
            let value = if tag & 0x10 != 0 { f64::from(b.byte()) / 4.0 } else { b.f64() };
            let format = match b.byte() % 4 {
                0 => NumberFormat::General,
                1 => NumberFormat::Unknown,
                2 => NumberFormat::Percent(tag >> 6),
                _ => NumberFormat::Fixed { decimals: tag >> 6, grouped: tag & 0x20 != 0 },
            };
            if value.is_finite() {
                Value::Number { value, format }
            } else {
                // What workbook::read makes of "NaN" or "1e999" in a cell since finding F3:
                // no number cell is ever non-finite (the `numbers` step itself would still
                // pass one through; see README, F3).
                Value::Error(format!("{value}"))
            }
        }
        13 => Value::Date(if tag & 0x10 != 0 { 45_000.0 + f64::from(b.byte()) } else { b.f64() }),
        14 => Value::Bool(tag & 0x10 != 0),
        _ => Value::Error(["#DIV/0!", "#N/A", "#REF!", "#VALUE!"][(tag >> 4) as usize % 4].to_string()),
    }
}

/// Header texts per column of the minato KPI table (pipelines/minato.yaml), aliases included.
const HEADER_COLUMNS: &[&[&str]] = &[
    &["基本目標", "基本方針"],
    &["施策", "取組"],
    &["事業名", "事業", "取組名"],
    &["指標名", "指標", "KPI"],
    &["単位"],
    &["進捗区分", "進捗状況区分", "評価"],
    &["備考"],
];

/// Sub-headers under 指標値 / 目標値 / 実績値, good and bad.
const SUB_HEADERS: &[&str] = &[
    "R1実績値", "R3計画値", "R4計画値", "R6計画値", "R7目標値", "令和6年度計画値", "2024年度計画", "計画値", "目標値",
    "基準値", "R1基準値", "現状値", "実績値", "9月末時点", "9月30日現在", "R6.9.30現在", "令和6年9月末時点", "計画値(R6)",
    "計画値()", "R2.8実績値", "第2期計画", "13月末時点", "備考", "",
];

/// What data cells of a KPI table hold.
const DATA_WORDS: &[&str] = &[
    "① 健康", "(a) 予防", "健康アプリ", "健診予約", "登録者数", "利用率", "人", "%", "件", "千円", "◎", "○", "〇", "△", "－", "×",
    "達成", "推進中", "課題あり", "1,000", "１，０００", "約1,500", "50%", "0.5", "▲3", "-", "調整中", "(本年度未測定)", "↗",
    "3～5", "課税証明 650件 住民票等 46,600件", "企画課", "こども課", "A 順調に進んだ", "", "※進捗区分：◎達成 ○推進中", "凡例", "以上",
];

fn pick<'a>(b: &mut Bytes, list: &[&'a str]) -> &'a str {
    list[b.byte() as usize % list.len()]
}

fn text(s: &str) -> Value {
    if s.is_empty() { Value::Empty } else { Value::Text(s.to_string()) }
}

/// A header word, sometimes as a department retyped it (spaces, line breaks, full width).
fn varied(b: &mut Bytes, word: &str) -> Value {
    match b.byte() % 8 {
        0 => text(&format!("{word}\u{3000}")),
        1 => {
            let mut chars: Vec<char> = word.chars().collect();
            let at = b.byte() as usize % (chars.len() + 1);
            chars.insert(at, '\n');
            text(&chars.into_iter().collect::<String>())
        }
        2 => cell(b),
        _ => text(word),
    }
}

/// A sheet shaped like the KPI template: rows above, a header row naming the columns in
/// an order the bytes choose (some missing, extra ones between), value groups over
/// sub-headers, data rows, a footer; merged group headers and project cells.
fn template(b: &mut Bytes) -> Sheet {
    let name = ["進捗報告", "Sheet1", "進捗", "メモ"][b.byte() as usize % 4];
    let above = b.byte() as usize % 4;
    // Columns: the fixed ones (each may be left out), value groups, extra columns.
    enum Col {
        Field(&'static str),
        Group(&'static str, Vec<&'static str>),
        Other(Value),
    }
    let mut cols: Vec<Col> = Vec::new();
    for names in HEADER_COLUMNS {
        if b.byte() % 16 != 0 {
            cols.push(Col::Field(pick(b, names)));
        }
    }
    for _ in 0..b.byte() % 3 + 1 {
        let group = pick(b, &["指標値", "目標値", "実績値", "指標値", "目標", "実績"]);
        let subs = (0..b.byte() % 4 + 1).map(|_| pick(b, SUB_HEADERS)).collect();
        cols.push(Col::Group(group, subs));
    }
    for _ in 0..b.byte() % 3 {
        let extra = cell(b);
        cols.push(Col::Other(extra));
    }
    // Shuffle by the bytes.
    for i in (1..cols.len()).rev() {
        let j = b.byte() as usize % (i + 1);
        cols.swap(i, j);
    }
    let two_rows = b.byte() % 8 != 0;
    let mut header: Vec<Value> = Vec::new();
    let mut sub: Vec<Value> = Vec::new();
    let mut group_spans: Vec<(u32, u32)> = Vec::new();
    let mut project_col = None;
    for col in cols {
        match col {
            Col::Field(word) => {
                if HEADER_COLUMNS[2].contains(&word) {
                    project_col = Some(header.len() as u32);
                }
                header.push(varied(b, word));
                sub.push(Value::Empty);
            }
            Col::Group(word, subs) => {
                let first = header.len() as u32;
                for (i, s) in subs.iter().enumerate() {
                    header.push(if i == 0 { varied(b, word) } else { Value::Empty });
                    sub.push(text(s));
                }
                group_spans.push((first, header.len() as u32 - 1));
            }
            Col::Other(v) => {
                header.push(v);
                sub.push(Value::Empty);
            }
        }
    }
    let width = header.len();
    let mut rows: Vec<Vec<Value>> = Vec::new();
    for _ in 0..above {
        let r = match b.byte() % 4 {
            0 => vec![text("令和6年度 上期 進捗状況報告書")],
            1 => vec![text(pick(b, &["担当課", "所属", "課名"])), text(pick(b, &["企画課", "市民 課", "こども課", "未登録課", ""]))],
            2 => vec![text(pick(b, &["報告日", "提出日"])), cell(b)],
            _ => Vec::new(),
        };
        rows.push(r);
    }
    let header_row = rows.len() as u32;
    rows.push(header);
    if two_rows {
        rows.push(sub);
    }
    let first_data = rows.len() as u32;
    for _ in 0..b.byte() % 10 {
        let kind = b.byte();
        let row: Vec<Value> = match kind % 8 {
            // A blank row; a footer line.
            0 => Vec::new(),
            1 => vec![text(pick(b, &["※進捗区分：◎達成 ○推進中", "凡例", "以上", "※"]))],
            _ => (0..width)
                .map(|c| {
                    if Some(c as u32) == project_col && kind & 0x80 != 0 {
                        // Continues the project above.
                        Value::Empty
                    } else if b.byte() % 4 == 0 {
                        cell(b)
                    } else {
                        text(pick(b, DATA_WORDS))
                    }
                })
                .collect(),
        };
        rows.push(row);
    }
    let height = rows.len() as u32;
    let mut sheet = Sheet::new(name, rows);
    let flags = b.byte();
    sheet.merges_known = flags & 1 != 0;
    if flags & 2 != 0 {
        for (c0, c1) in group_spans {
            sheet.merges.push((header_row, c0, header_row, c1));
        }
    }
    if let (true, Some(pc)) = (flags & 4 != 0, project_col) {
        let mut r = first_data;
        while r < height {
            let len = u32::from(b.byte() % 3);
            sheet.merges.push((r, pc, (r + len).min(height - 1), pc));
            r += len + 1;
        }
    }
    sheet
}

/// A small grid of anything: header words, near misses, random text and numbers.
fn grid(b: &mut Bytes) -> Sheet {
    let name = ["進捗報告", "Sheet1", "進捗", "メモ", "Sheet"][b.byte() as usize % 5];
    let height = 1 + b.byte() as usize % 14;
    let width = 1 + b.byte() as usize % 14;
    let mut rows = Vec::with_capacity(height);
    for _ in 0..height {
        // Rows of different lengths, as a reader that drops trailing empties gives them.
        let len = if b.byte() % 4 == 0 { b.byte() as usize % (width + 1) } else { width };
        rows.push((0..len).map(|_| cell(b)).collect());
    }
    Sheet::new(name, rows)
}

fn sheet(b: &mut Bytes) -> Sheet {
    let mut sheet = if b.byte() % 4 == 0 { grid(b) } else { template(b) };
    let (height, width) = (sheet.height() as usize, sheet.width() as usize);
    let flags = b.byte();
    if flags & 1 != 0 {
        sheet.merges_known = true;
    }
    sheet.visible = flags & 2 == 0;
    let merges = b.byte() % 8;
    for _ in 0..merges {
        // Near the grid, sometimes past it or reversed, as a broken file could say.
        let bound = |b: &mut Bytes, n: usize| (b.byte() as usize % (n + 3)) as u32;
        let (r0, c0) = (bound(b, height), bound(b, width));
        let (dr, dc) = (b.byte() % 5, b.byte() % 5);
        let area = if flags & 4 != 0 && dr == 4 {
            (r0, c0, r0.saturating_sub(1), c0 + u32::from(dc))
        } else {
            (r0, c0, r0 + u32::from(dr), c0 + u32::from(dc))
        };
        sheet.merges.push(area);
    }
    sheet
}

fuzz_target!(
    // Load the pipeline before the first input: its plugin library is never unloaded (on
    // purpose), which LeakSanitizer would otherwise report as a leak of that input.
    init: STATE.with(|_| ()),
    |data: &[u8]| {
    let mut b = Bytes(data);
    let flags = b.byte();
    let sheet = sheet(&mut b);
    STATE.with(|state| {
        let p = &state.pipeline;
        let base = if flags & 1 != 0 { &state.in_process } else { &p.normalizer };
        let fiscal_year = if flags & 4 != 0 { 2022 } else { 2024 };
        let ctx = ReadContext { file: "R6上期_fuzz.xlsx", department: "企画課", fiscal_year, grades: flags & 2 != 0, owners: flags & 4 != 0 };
        let _ = layout::label_value(&sheet, &p.department_labels, 20);
        let _ = layout::label_value(&sheet, &p.report_date_labels, 20);
        for l in &p.layouts {
            let _ = l.applies_to(&sheet);
            let found = l.find(&sheet);
            if *STATS {
                let what = match &found {
                    Found::Yes(_) => "yes",
                    Found::WrongTemplate(_) => "wrong-template",
                    Found::No => "no",
                    Found::Failed(_) => "failed",
                };
                eprintln!("header_matcher: {}: {what}", l.name);
            }
            let Found::Yes(located) = found else { continue };
            let top = located.top_row();
            let _ = layout::texts_above(&sheet, top);
            let read = located.read(&sheet, &ctx, l.normalizer(base));
            assert!(read.rows.len() <= read.rows_read, "{} rows from {} read", read.rows.len(), read.rows_read);
            for row in &read.rows {
                assert!(row.row > top && row.row <= sheet.height(), "row {} outside the data (header at {top})", row.row);
                assert!(!row.project.is_empty(), "a row without a project was kept");
                for v in &row.values {
                    assert!(v.value.is_none_or(f64::is_finite), "value {:?} at {}", v.value, v.cell);
                }
            }
            for problem in &read.problems {
                assert_eq!(problem.file, ctx.file);
            }
        }
    });
});
