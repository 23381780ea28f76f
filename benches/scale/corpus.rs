//! The benchmark's corpus: N layout-A workbooks (the KPI table of DOMAIN.md, laid out like
//! `fixtures/make_fixtures.py` writes it), a roster naming every department once, and
//! `pipelines/minato.yaml` pointed at them, as a full book's pipeline and a summary book's.
//! Seeded and written with rust_xlsxwriter, so the same N gives the same files; a stamp
//! lets later runs reuse them. The first file can be resent corrected (`Corpus::resend_first`)
//! and is put back as stamped afterwards.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Instant;

use rayon::prelude::*;
use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

/// Bump when the files change: a corpus stamped with another version is rewritten.
const GENERATOR: &str = "scale-corpus 1";
const SEED: u64 = 0x746f_7269_6d61_746f;
const ROWS_PER_FILE: usize = 60;

const TITLE: &str = "令和6年度 上期 港市DX推進計画 進捗状況報告書";
const LEGEND: &str = "※進捗区分：◎指標達成済み又は達成見込み\u{3000}○推進中\u{3000}△課題あり対策要\u{3000}－今年度取組みなし";
const KINDS: [&str; 8] = ["企画課", "市民課", "福祉課", "子育て支援課", "環境課", "防災課", "税務課", "情報政策課"];
const GOALS: [&str; 3] = ["① 暮らしの便利さ", "② 行政のデジタル化", "③ 地域社会のデジタル化"];
const MEASURES: [&str; 5] = ["(a) 手続のオンライン化", "(b) 業務の効率化", "(c) デジタル人材の育成", "(d) 情報発信の強化", "(e) データ活用の推進"];
const TOPICS: [&str; 6] = ["電子申請", "オンライン窓口", "AI-OCR", "RPA", "キャッシュレス決済", "オープンデータ"];
const ACTIONS: [&str; 6] = ["の導入", "の拡充", "の推進", "の運用", "の利用促進", "の高度化"];
const NOTES: [&str; 4] = ["9月末速報値", "下期に実施予定", "R8計画値は次期計画で設定", "講師調整により上期は1回のみ開催"];
/// Status marks, ○ twice as often as the others; 〇 is U+3007, which the vocabulary also maps.
const STATUS: [&str; 6] = ["◎", "○", "○", "〇", "△", "－"];

/// Columns as in the fixtures' standard layout; the value columns sit under 指標値 and 実績値.
const HEADERS: [(u16, &str); 9] =
    [(0, "基本目標"), (1, "施策"), (2, "事業名"), (3, "事業概要"), (4, "進捗状況"), (5, "指標名"), (6, "単位"), (12, "進捗区分"), (13, "備考")];
const PROJECT_COLS: [u16; 6] = [0, 1, 2, 3, 4, 12];
const FIRST_VALUE: u16 = 7;
const ACTUAL: u16 = 11;
const LAST_COL: u16 = 13;
const HEADER_ROW: u32 = 3;
const FIRST_DATA_ROW: u32 = 5;
const LAST_DATA_ROW: u32 = FIRST_DATA_ROW + ROWS_PER_FILE as u32 - 1;
/// The legend sits a blank row below the table: its row is the sheet's last.
const LEGEND_ROW: u32 = LAST_DATA_ROW + 2;

pub struct Corpus {
    pub files: usize,
    pub inbox: PathBuf,
    /// The full book's pipeline.
    pub pipeline: PathBuf,
    /// The same with `book.summary: true`: run with `--records DIR`.
    pub summary: PathBuf,
    /// Seconds spent writing the workbooks, when this run wrote them.
    pub written_in: Option<f64>,
}

impl Corpus {
    /// Rows of every file's sheet laid one after another, as the floor copies them.
    pub fn sheet_rows(&self) -> u64 {
        self.files as u64 * u64::from(LEGEND_ROW + 1)
    }

    /// Rewrites the first file as its department resends it corrected: the same name and
    /// department, other values (another seed). Dropping the answer puts the stamped file
    /// back, so that an error or a panic half-way leaves the corpus as stamped; a run killed
    /// outright leaves it for the next `prepare` to repair.
    pub fn resend_first(&self) -> Result<Resent<'_>, String> {
        // The guard first: a write that fails half-way is put back too.
        let resent = Resent { corpus: self, restored: false };
        save(&self.inbox, 0, Edition::Resent)?;
        Ok(resent)
    }
}

/// Which edition of a file: the one stamped, or the corrected one resent.
#[derive(Clone, Copy)]
enum Edition {
    Stamped,
    Resent,
}

/// The first file resent, until `restore` or drop.
pub struct Resent<'a> {
    corpus: &'a Corpus,
    restored: bool,
}

impl Resent<'_> {
    /// Puts the stamped first file back.
    pub fn restore(mut self) -> Result<(), String> {
        self.restored = true;
        save(&self.corpus.inbox, 0, Edition::Stamped)
    }
}

impl Drop for Resent<'_> {
    fn drop(&mut self) {
        if !self.restored {
            if let Err(e) = save(&self.corpus.inbox, 0, Edition::Stamped) {
                eprintln!("could not put the stamped first file back ({e}): the next run repairs it");
            }
        }
    }
}

/// The corpus of `files` workbooks under `target/bench-corpus/<files>/`, written unless a
/// stamp says this generator already wrote it. A stamped corpus gets its first file
/// checked: a run killed while it was resent left it changed. The pipelines are rewritten
/// every time: they are cheap and follow `pipelines/minato.yaml` as that changes.
pub fn prepare(repo: &Path, target: &Path, files: usize) -> Result<Corpus, String> {
    let dir = target.join("bench-corpus").join(files.to_string());
    let inbox = dir.join("inbox");
    let stamp = dir.join("stamp");
    let wanted = format!("{GENERATOR} seed={SEED:#x} files={files} rows={ROWS_PER_FILE}\n");
    let mut written_in = None;
    if fs::read_to_string(&stamp).ok().as_deref() != Some(wanted.as_str()) {
        eprintln!("writing {files} workbooks into {}", inbox.display());
        let start = Instant::now();
        let _ = fs::remove_dir_all(&inbox);
        fs::create_dir_all(&inbox).map_err(|e| format!("{}: {e}", inbox.display()))?;
        (0..files).into_par_iter().try_for_each(|i| save(&inbox, i, Edition::Stamped))?;
        let roster: String = (0..files).map(|i| department(i) + "\n").collect();
        write(&dir.join("roster.txt"), &roster)?;
        write(&stamp, &wanted)?;
        let seconds = start.elapsed().as_secs_f64();
        eprintln!("  written in {seconds:.1} s ({:.0} files/s)", files as f64 / seconds);
        written_in = Some(seconds);
    } else {
        repair_first(&inbox)?;
    }
    let yaml = pipeline_yaml(repo, target)?;
    let pipeline = dir.join("pipeline.yaml");
    write(&pipeline, &yaml)?;
    let summary = dir.join("summary.yaml");
    write(&summary, &summary_yaml(&yaml)?)?;
    Ok(Corpus { files, inbox, pipeline, summary, written_in })
}

/// Writes the stamped first file again if it is not byte for byte what the generator
/// writes (the generator is deterministic: the same seed, the same bytes).
fn repair_first(inbox: &Path) -> Result<(), String> {
    let path = inbox.join(file_name(0));
    let stamped = workbook(0, Edition::Stamped).map_err(|e| format!("workbook 0: {e}"))?;
    if fs::read(&path).ok().as_deref() != Some(stamped.as_slice()) {
        eprintln!("{} was left changed by an interrupted run: writing it again", path.display());
        fs::write(&path, stamped).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// Writes workbook `i` of the corpus, in the given edition, into `inbox`.
fn save(inbox: &Path, i: usize, edition: Edition) -> Result<(), String> {
    let path = inbox.join(file_name(i));
    let bytes = workbook(i, edition).map_err(|e| format!("workbook {i}: {e}"))?;
    fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The full pipeline with `summary: true` as the first key of its top-level `book:`.
fn summary_yaml(full: &str) -> Result<String, String> {
    if full.matches("\nbook:\n").count() != 1 {
        return Err("pipelines/minato.yaml no longer has one top-level `book:` section: update benches/scale/corpus.rs".into());
    }
    Ok(full.replacen("\nbook:\n", "\nbook:\n  summary: true\n", 1))
}

/// `pipelines/minato.yaml` with its paths pointed at the corpus (the pipeline sits beside
/// `inbox/` and `roster.txt`) and its plugins at this build's. Each replaced line must be
/// there, so a changed minato.yaml fails loudly instead of benchmarking the fixtures.
fn pipeline_yaml(repo: &Path, target: &Path) -> Result<String, String> {
    let source = repo.join("pipelines/minato.yaml");
    let mut yaml = fs::read_to_string(&source).map_err(|e| format!("{}: {e}", source.display()))?;
    let plugins = format!("dirs: [\"{}/{{profile}}\"]", target.display());
    for (from, to) in [
        ("inbox: ../fixtures/minato/inbox", "inbox: inbox"),
        ("output: ../out/minato-2024H1.xlsx", "output: out/book.xlsx"),
        ("file: ../fixtures/minato/roster.txt", "file: roster.txt"),
        ("dirs: [\"../target/{profile}\"]", plugins.as_str()),
    ] {
        if !yaml.contains(from) {
            return Err(format!("{} no longer has `{from}`: update benches/scale/corpus.rs", source.display()));
        }
        yaml = yaml.replacen(from, to, 1);
    }
    Ok(yaml)
}

/// Department names, distinct by their number: 第0001企画課, 第0002市民課, …
fn department(i: usize) -> String {
    format!("第{:04}{}", i + 1, KINDS[i % KINDS.len()])
}

/// File names in the forms departments use; each states the period (the pipeline checks it).
fn file_name(i: usize) -> String {
    let d = department(i);
    match i % 3 {
        0 => format!("R6上期_{d}.xlsx"),
        1 => format!("令和6年度上期_{d}_進捗報告.xlsx"),
        _ => format!("Ｒ６上期\u{3000}{d}.xlsx"),
    }
}

/// splitmix64: deterministic, seeded per file so files can be written in parallel.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }
    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

struct Formats {
    title: Format,
    header: Format,
    cell: Format,
    thousands: Format,
    percent: Format,
    date: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = Format::new().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter).set_text_wrap();
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            header: cell.clone().set_bold().set_background_color(Color::RGB(0xDDEBF7)).set_align(FormatAlign::Center),
            thousands: cell.clone().set_num_format("#,##0"),
            percent: cell.clone().set_num_format("0.0%"),
            date: Format::new().set_num_format("yyyy/m/d"),
            cell,
        }
    }
}

/// Built once: a file's formats are the same in every file.
static FORMATS: LazyLock<Formats> = LazyLock::new(Formats::new);

/// The bytes of workbook `i`. A resent one is seeded apart: the department (and so the file
/// name) stays, the projects, marks and values change.
fn workbook(i: usize, edition: Edition) -> Result<Vec<u8>, XlsxError> {
    let resent = match edition {
        Edition::Stamped => 0,
        Edition::Resent => 0x5265_5365_6e74,
    };
    let mut rng = Rng(SEED ^ (i as u64).wrapping_mul(0x2545_f491_4f6c_dd1d) ^ resent);
    let f = &*FORMATS;
    let mut book = Workbook::new();
    // A fixed creation time: otherwise every generation would differ in docProps.
    book.set_properties(&DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2024, 10, 1)?));
    let ws = book.add_worksheet();
    ws.set_name("進捗報告")?;
    write_heading(ws, f, &department(i), &mut rng)?;
    write_projects(ws, f, &mut rng)?;
    ws.write_string(LEGEND_ROW, 0, LEGEND)?;
    ws.set_freeze_panes(FIRST_DATA_ROW, 0)?;
    for (col, width) in [(0, 16), (1, 18), (2, 24), (3, 30), (4, 30), (5, 26), (13, 18)] {
        ws.set_column_width(col, width)?;
    }
    book.save_to_buffer()
}

/// Title, 担当課 and 報告日, then the two-row header with 指標値 over the plan years.
fn write_heading(ws: &mut Worksheet, f: &Formats, department: &str, rng: &mut Rng) -> Result<(), XlsxError> {
    ws.merge_range(0, 0, 0, LAST_COL, TITLE, &f.title)?;
    ws.write_string(1, 0, "担当課")?;
    let written = match rng.below(4) {
        0 => format!("{department}\u{3000}"),
        1 => full_width(department),
        _ => department.to_string(),
    };
    ws.write_string(1, 1, written)?;
    ws.write_string(1, 4, "報告日")?;
    match rng.below(4) {
        0 => ws.write_string(1, 5, "令和6年9月30日")?,
        1 => ws.write_string(1, 5, "R6.9.30")?,
        2 => ws.write_string(1, 5, "2024/9/30")?,
        _ => ws.write_datetime_with_format(1, 5, &ExcelDateTime::from_ymd(2024, 9, 30)?, &f.date)?,
    };

    for (col, label) in HEADERS {
        ws.merge_range(HEADER_ROW, col, HEADER_ROW + 1, col, label, &f.header)?;
    }
    ws.merge_range(HEADER_ROW, FIRST_VALUE, HEADER_ROW, ACTUAL - 1, "指標値", &f.header)?;
    // Era sub-headers in the forms seen in submissions; all read as the same fiscal years.
    let subs = [(5, "実績値"), (6, "計画値"), (7, "計画値"), (8, "計画値")];
    for (col, (year, kind)) in (FIRST_VALUE..).zip(subs) {
        let text = match rng.below(4) {
            0 => format!("R{year}{kind}"),
            1 => format!("令和{year}{kind}"),
            2 => full_width(&format!("R{year}{kind}")),
            _ => format!("令和{}{kind}", full_width(&year.to_string())),
        };
        ws.write_string_with_format(HEADER_ROW + 1, col, text, &f.header)?;
    }
    ws.write_string_with_format(HEADER_ROW, ACTUAL, "実績値", &f.header)?;
    ws.write_string_with_format(HEADER_ROW + 1, ACTUAL, rng.pick(&["9月末時点", "9月30日現在"]), &f.header)?;
    Ok(())
}

/// Projects of two to four indicator rows, 60 rows in all, down to `LAST_DATA_ROW`. The
/// project's cells are merged over its rows, as departments merge them.
fn write_projects(ws: &mut Worksheet, f: &Formats, rng: &mut Rng) -> Result<(), XlsxError> {
    let offset = rng.below(TOPICS.len() * ACTIONS.len());
    let mut row = FIRST_DATA_ROW;
    let mut written = 0;
    let mut k = 0;
    while written < ROWS_PER_FILE {
        let rows = (2 + rng.below(3)).min(ROWS_PER_FILE - written);
        // 36 distinct project names; a file has at most 30 projects.
        let n = (offset + k) % (TOPICS.len() * ACTIONS.len());
        let project = format!("{}{}", TOPICS[n % TOPICS.len()], ACTIONS[n / TOPICS.len()]);
        let texts = [
            rng.pick(&GOALS).to_string(),
            rng.pick(&MEASURES).to_string(),
            project.clone(),
            format!("{project}により、市民サービスの向上と業務の効率化を図る。"),
            format!("◆{project}：上期は計画どおり実施"),
            rng.pick(&STATUS).to_string(),
        ];
        for (col, text) in PROJECT_COLS.into_iter().zip(&texts) {
            if rows > 1 {
                ws.merge_range(row, col, row + rows as u32 - 1, col, text, &f.cell)?;
            } else {
                ws.write_string_with_format(row, col, text, &f.cell)?;
            }
        }
        for _ in 0..rows {
            write_indicator(ws, f, row, rng)?;
            row += 1;
        }
        written += rows;
        k += 1;
    }
    Ok(())
}

/// What an indicator counts decides its values and the ways they get written.
#[derive(Clone, Copy)]
enum Kind {
    Count,
    Percent,
    Change,
}

const INDICATORS: [(&str, &str, Kind); 8] = [
    ("オンライン化した手続数", "件", Kind::Count),
    ("電子申請件数", "件", Kind::Count),
    ("研修受講者数", "人", Kind::Count),
    ("年間削減時間", "時間", Kind::Count),
    ("対象手続の電子申請利用率", "%", Kind::Percent),
    ("プッシュ通知の開封率", "%", Kind::Percent),
    ("窓口平均待ち時間の前年差", "分", Kind::Change),
    ("電子申請率の前年差", "ポイント", Kind::Change),
];

fn write_indicator(ws: &mut Worksheet, f: &Formats, row: u32, rng: &mut Rng) -> Result<(), XlsxError> {
    let (name, unit, kind) = rng.pick(&INDICATORS);
    ws.write_string_with_format(row, 5, name, &f.cell)?;
    ws.write_string_with_format(row, 6, unit, &f.cell)?;
    let base = match kind {
        Kind::Count => 10.0 * (1 + rng.below(2_000)) as f64,
        Kind::Percent => 20.0 + rng.below(500) as f64 / 10.0,
        Kind::Change => -((1 + rng.below(50)) as f64) / 10.0,
    };
    for col in FIRST_VALUE..=ACTUAL {
        // Plans grow 10% a year from the baseline; the actual is half-way to this year's plan.
        let step = (col - FIRST_VALUE) as f64;
        let value = if col == ACTUAL { base * 1.05 } else { base * (1.0 + 0.1 * step) };
        let blank = match col {
            FIRST_VALUE => rng.chance(8),
            c if c == ACTUAL - 1 => rng.chance(5),
            _ => false,
        };
        if blank {
            match rng.below(2) {
                0 => ws.write_blank(row, col, &f.cell)?,
                _ => ws.write_string_with_format(row, col, "—", &f.cell)?,
            };
        } else {
            write_value(ws, f, (row, col), (kind, unit), value, rng)?;
        }
    }
    let note = if rng.chance(20) { rng.pick(&NOTES) } else { "" };
    ws.write_string_with_format(row, LAST_COL, note, &f.cell)?;
    Ok(())
}

/// One value in one of the forms departments type it: a number cell, a formatted number,
/// full-width text, a unit attached, a % sign, ▲ for minus.
fn write_value(ws: &mut Worksheet, f: &Formats, (row, col): (u32, u16), (kind, unit): (Kind, &str), value: f64, rng: &mut Rng) -> Result<(), XlsxError> {
    match kind {
        Kind::Count => {
            let n = value.round();
            match rng.below(5) {
                0 => ws.write_number_with_format(row, col, n, &f.cell)?,
                1 | 2 => ws.write_number_with_format(row, col, n, &f.thousands)?,
                3 => ws.write_string_with_format(row, col, full_width(&grouped(n as i64)), &f.cell)?,
                _ => ws.write_string_with_format(row, col, format!("{}{unit}", grouped(n as i64)), &f.cell)?,
            }
        }
        Kind::Percent => {
            let points = (value * 10.0).round() / 10.0;
            match rng.below(4) {
                0 => ws.write_number_with_format(row, col, points, &f.cell)?,
                1 => ws.write_number_with_format(row, col, points / 100.0, &f.percent)?,
                2 => ws.write_string_with_format(row, col, format!("{points:.1}%"), &f.cell)?,
                _ => ws.write_string_with_format(row, col, full_width(&format!("{points:.1}%")), &f.cell)?,
            }
        }
        Kind::Change => {
            let minutes = (value * 10.0).round() / 10.0;
            match rng.below(2) {
                0 => ws.write_number_with_format(row, col, minutes, &f.cell)?,
                _ => ws.write_string_with_format(row, col, format!("▲{:.1}", -minutes), &f.cell)?,
            }
        }
    };
    Ok(())
}

/// 12345 → "12,345".
fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// ASCII letters, digits and marks to their full-width forms ("R6" → "Ｒ６", "1,200" → "１，２００").
fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| if ('!'..='~').contains(&c) { char::from_u32(c as u32 + 0xFEE0).unwrap_or(c) } else { c })
        .collect()
}
