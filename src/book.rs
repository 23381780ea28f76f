//! Writing the progress book with rust_xlsxwriter: six sheets in Japanese, set up to print
//! on A4 landscape. The book is built in memory and returned as bytes; the caller writes it.
//!
//! Same inputs give the same bytes: the document's creation time comes from the pipeline,
//! and every list is sorted before it is written.

use rust_xlsxwriter::{
    Chart, ChartType, Color, ConditionalFormatFormula, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Workbook, Worksheet, XlsxError,
};

use crate::aggregate::{achievement, Aggregates, GRADES, NO_STATUS, STATUSES};
use crate::model::{Consolidation, IndicatorRow, Kind, Outcome, ValueCell};

/// Who made the book, printed on 概要 so a reader can rerun it.
pub struct Provenance<'a> {
    pub pipeline_name: &'a str,
    pub pipeline_sha256: &'a str,
    /// Each plugin as `name version (SHA-256)`.
    pub plugins: Vec<String>,
    pub created: (u16, u8, u8, u16, u8, u8),
}

pub fn write(c: &Consolidation, agg: &Aggregates, prov: &Provenance) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // Deflate at level 6 (the default) took a quarter of a 1,000-file run; level 3 is
    // nearly twice as fast for a book about 15% larger. Fixed, so the bytes stay the same.
    book.set_zip_compression_level(3);
    let (y, mo, d, h, mi, s) = prov.created;
    let created = ExcelDateTime::from_ymd(y, mo, d)?.and_hms(h, mi, s)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(&c.title)
            .set_author("torimatome")
            .set_creation_datetime(&created),
    );
    let styles = Styles::new();
    overview(book.add_worksheet(), c, agg, prov, &styles)?;
    progress(book.add_worksheet_with_low_memory()?, c, &styles)?;
    departments(book.add_worksheet(), c, agg, &styles)?;
    missing(book.add_worksheet(), c, &styles)?;
    problems(book.add_worksheet(), c, &styles)?;
    inputs(book.add_worksheet(), c, &styles)?;
    if c.rows.iter().any(|r| r.grade.is_some()) {
        evaluations(book.add_worksheet(), c, &styles)?;
    }
    book.save_to_buffer()
}

struct Styles {
    title: Format,
    header: Format,
    text: Format,
    /// Text cells of a long table: wrapped, at the top, their borders drawn by one rule.
    wrap: Format,
    grid: Format,
    /// Numbers with 0, 1, 2 or 3 decimals, each shown with exactly as many: what the
    /// department wrote, with thousands separators, and read back as Excel shows it.
    number: [Format; 4],
    year: Format,
    percent: Format,
    muted: Format,
    status: [Format; 5],
}

impl Styles {
    fn new() -> Styles {
        let cell = Format::new().set_border(FormatBorder::Thin).set_align(FormatAlign::Top);
        let status = |rgb: u32| cell.clone().set_background_color(Color::RGB(rgb)).set_align(FormatAlign::Center);
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            header: cell
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(0xDDEBF7))
                .set_text_wrap()
                .set_align(FormatAlign::Center),
            text: cell.clone().set_text_wrap(),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            grid: Format::new().set_border(FormatBorder::Thin),
            number: ["#,##0", "#,##0.0", "#,##0.00", "#,##0.000"].map(|f| cell.clone().set_num_format(f)),
            year: cell.clone().set_num_format("0").set_align(FormatAlign::Center),
            percent: cell.clone().set_num_format("0.0"),
            muted: cell.clone().set_font_color(Color::RGB(0x7F7F7F)),
            status: [
                status(0xC6EFCE),
                status(0xDDEBF7),
                status(0xFFC7CE),
                status(0xD9D9D9),
                status(0xFFFFFF),
            ],
        }
    }

    /// The format showing a number with the decimals it has (up to three).
    fn number_for(&self, value: f64) -> &Format {
        let decimals = (0..3).find(|d| {
            let scaled = value * 10f64.powi(*d);
            (scaled - scaled.round()).abs() < 1e-9
        });
        &self.number[decimals.unwrap_or(3) as usize]
    }

    fn status(&self, status: Option<&str>) -> &Format {
        let slot = status.and_then(|s| STATUSES.iter().position(|c| *c == s)).unwrap_or(4);
        &self.status[slot]
    }
}

/// Column widths from the longest text, counting a Japanese character as two: Excel's own
/// autofit measures non-ASCII text too narrow.
struct Widths(Vec<f64>);

impl Widths {
    fn new() -> Widths {
        Widths(Vec::new())
    }

    fn see(&mut self, col: u16, text: &str) {
        let width: usize = text
            .lines()
            .map(|l| l.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum())
            .max()
            .unwrap_or(0);
        let col = col as usize;
        if self.0.len() <= col {
            self.0.resize(col + 1, 4.0);
        }
        self.0[col] = self.0[col].max(width as f64 + 2.0);
    }

    /// Set the widths, each capped by `max(col)`: longer text wraps, so the sheet prints
    /// readable on A4 instead of shrinking to fit one very wide row.
    fn apply(&self, ws: &mut Worksheet, max: impl Fn(u16) -> f64) -> Result<(), XlsxError> {
        for (col, width) in self.0.iter().enumerate() {
            ws.set_column_width(col as u16, width.min(max(col as u16)))?;
        }
        Ok(())
    }
}

/// A table with a header row: frozen, filtered, printed with its header on every page.
struct Table<'a> {
    ws: &'a mut Worksheet,
    styles: &'a Styles,
    widths: Widths,
    first_row: u32,
    row: u32,
    cols: u16,
    /// Text goes in without a cell format, taking its column's; see `with_plain_text`.
    plain_text: bool,
}

impl<'a> Table<'a> {
    fn new(ws: &'a mut Worksheet, styles: &'a Styles, first_row: u32, headers: &[&str]) -> Result<Table<'a>, XlsxError> {
        let mut widths = Widths::new();
        for (i, h) in headers.iter().enumerate() {
            ws.write_string_with_format(first_row, i as u16, *h, &styles.header)?;
            widths.see(i as u16, h);
        }
        Ok(Table { ws, styles, widths, first_row, row: first_row + 1, cols: headers.len() as u16, plain_text: false })
    }

    /// For a table of tens of thousands of rows: text cells take their column's format
    /// and one conditional format draws every border. rust_xlsxwriter hashes a cell's
    /// whole `Format` on each write, which was a tenth of a 1,000-file run.
    fn with_plain_text(mut self) -> Result<Table<'a>, XlsxError> {
        for col in 0..self.cols {
            self.ws.set_column_format(col, &self.styles.wrap)?;
        }
        self.plain_text = true;
        Ok(self)
    }

    fn text(&mut self, col: u16, text: &str) -> Result<(), XlsxError> {
        if self.plain_text {
            self.widths.see(col, text);
            self.ws.write_string(self.row, col, text)?;
            return Ok(());
        }
        let styles = self.styles;
        self.text_with(col, text, &styles.text)
    }

    fn text_with(&mut self, col: u16, text: &str, format: &Format) -> Result<(), XlsxError> {
        self.widths.see(col, text);
        self.ws.write_string_with_format(self.row, col, text, format)?;
        Ok(())
    }

    fn number(&mut self, col: u16, value: f64) -> Result<(), XlsxError> {
        self.widths.see(col, &format!("{value}"));
        self.ws.write_number_with_format(self.row, col, value, self.styles.number_for(value))?;
        Ok(())
    }

    fn next(&mut self) {
        self.row += 1;
    }

    fn finish(self, max_width: impl Fn(u16) -> f64) -> Result<(), XlsxError> {
        let last = self.row.saturating_sub(1).max(self.first_row);
        self.widths.apply(self.ws, max_width)?;
        if self.plain_text && last > self.first_row {
            let borders = ConditionalFormatFormula::new().set_rule("=TRUE").set_format(&self.styles.grid);
            self.ws.add_conditional_format(self.first_row + 1, 0, last, self.cols.saturating_sub(1), &borders)?;
        }
        self.ws.set_freeze_panes(self.first_row + 1, 0)?;
        self.ws.autofilter(self.first_row, 0, last, self.cols.saturating_sub(1))?;
        print_setup(self.ws, self.first_row)
    }
}

fn print_setup(ws: &mut Worksheet, header_row: u32) -> Result<(), XlsxError> {
    ws.set_paper_size(9); // A4
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row)?;
    Ok(())
}

fn overview(ws: &mut Worksheet, c: &Consolidation, agg: &Aggregates, prov: &Provenance, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name("概要")?;
    ws.write_string_with_format(0, 0, &c.title, &st.title)?;
    let submitted = c.submitted().len() as f64;
    let facts: Vec<(&str, String, Option<f64>)> = vec![
        ("対象期間", format!("{} ({})", c.period.label_ja(), c.period), None),
        ("依頼した課", String::new(), Some(c.roster.len() as f64)),
        ("提出済みの課", String::new(), Some(submitted)),
        ("未提出の課", String::new(), Some(c.missing().len() as f64)),
        ("読み込んだ行", String::new(), Some(c.rows_read() as f64)),
        ("集計した行", String::new(), Some(c.rows_consolidated() as f64)),
        ("除外した行", String::new(), Some(c.rows_set_aside() as f64)),
        ("問題の件数", String::new(), Some(c.problems.len() as f64)),
        ("受け取ったファイル", String::new(), Some(c.files.len() as f64)),
        ("パイプライン", prov.pipeline_name.to_string(), None),
        ("パイプライン SHA-256", prov.pipeline_sha256.to_string(), None),
        ("プラグイン", prov.plugins.join("\n"), None),
    ];
    let mut row = 2;
    for (label, text, number) in &facts {
        ws.write_string_with_format(row, 0, *label, &st.header)?;
        match number {
            Some(n) => ws.write_number_with_format(row, 1, *n, &st.number[0])?,
            None => ws.write_string_with_format(row, 1, text, &st.text)?,
        };
        row += 1;
    }

    // Projects per status per goal, with a chart beside it.
    row += 1;
    ws.write_string_with_format(row, 0, "基本目標別の事業の進捗 (事業数)", &st.title)?;
    let header_row = row + 1;
    let mut headers = vec!["基本目標"];
    headers.extend(STATUSES);
    headers.extend([NO_STATUS, "合計"]);
    for (i, h) in headers.iter().enumerate() {
        ws.write_string_with_format(header_row, i as u16, *h, &st.header)?;
    }
    let mut r = header_row + 1;
    for (goal, counts) in &agg.by_goal {
        ws.write_string_with_format(r, 0, goal, &st.text)?;
        for (i, n) in counts.0.iter().enumerate() {
            ws.write_number_with_format(r, 1 + i as u16, *n as f64, &st.number[0])?;
        }
        ws.write_number_with_format(r, 6, counts.total() as f64, &st.number[0])?;
        r += 1;
    }
    if !agg.by_goal.is_empty() {
        let last = r - 1;
        let mut chart = Chart::new(ChartType::BarStacked);
        chart.title().set_name("基本目標別 進捗区分");
        for col in 1..=(STATUSES.len() as u16 + 1) {
            chart
                .add_series()
                .set_name(("概要", header_row, col))
                .set_categories(("概要", header_row + 1, 0, last, 0))
                .set_values(("概要", header_row + 1, col, last, col));
        }
        ws.insert_chart(header_row, 8, &chart)?;
    }
    if !agg.by_policy_grade.is_empty() {
        r += 1;
        ws.write_string_with_format(r, 0, "基本方針別の自己評価 (件数)", &st.title)?;
        r += 1;
        let mut headers = vec!["基本方針"];
        headers.extend(GRADES);
        headers.extend(["その他", "合計"]);
        for (i, h) in headers.iter().enumerate() {
            ws.write_string_with_format(r, i as u16, *h, &st.header)?;
        }
        for (policy, counts) in &agg.by_policy_grade {
            r += 1;
            ws.write_string_with_format(r, 0, policy, &st.text)?;
            for (i, n) in counts.iter().enumerate() {
                ws.write_number_with_format(r, 1 + i as u16, *n as f64, &st.number[0])?;
            }
            ws.write_number_with_format(r, 6, counts.iter().sum::<u32>() as f64, &st.number[0])?;
        }
    }
    ws.set_column_width(0, 24)?;
    ws.set_column_width(1, 40)?;
    for col in 2..7 {
        ws.set_column_width(col, 10)?;
    }
    print_setup(ws, header_row)
}

fn progress(ws: &mut Worksheet, c: &Consolidation, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name("進捗一覧")?;
    let fy = c.period.fiscal_year;
    let mut plan_years: Vec<i32> = c
        .rows
        .iter()
        .flat_map(|r| r.values.iter().filter(|v| v.kind == Kind::Plan).map(|v| v.fiscal_year))
        .collect();
    plan_years.sort_unstable();
    plan_years.dedup();
    let plan_headers: Vec<String> = plan_years.iter().map(|y| format!("{}年度 計画値", y)).collect();
    let mut headers: Vec<&str> = vec!["基本目標", "施策", "事業名", "担当課", "進捗区分", "指標名", "単位", "基準値", "基準年度"];
    headers.extend(plan_headers.iter().map(String::as_str));
    let actual_header = format!("実績値 ({})", c.period.label_ja());
    headers.push(&actual_header);
    headers.extend(["達成率 (%)", "注記", "出典", "行", "出典セル"]);
    let mut t = Table::new(ws, st, 0, &headers)?.with_plain_text()?;

    for row in sorted_rows(&c.rows) {
        t.text(0, &row.goal)?;
        t.text(1, &row.measure)?;
        t.text(2, &row.project)?;
        t.text(3, &row.department)?;
        let status = row.status.as_deref();
        t.text_with(4, status.unwrap_or(NO_STATUS), st.status(status))?;
        t.text(5, row.indicator.as_deref().unwrap_or("(指標なし)"))?;
        t.text(6, &row.unit)?;
        let baseline = row.values.iter().find(|v| v.kind == Kind::Baseline);
        value_cell(&mut t, 7, baseline)?;
        match baseline {
            Some(b) => {
                t.ws.write_number_with_format(t.row, 8, b.fiscal_year as f64, &st.year)?;
            }
            None => t.text(8, "")?,
        }
        let mut col = 9;
        for y in &plan_years {
            value_cell(&mut t, col, row.value(Kind::Plan, *y))?;
            col += 1;
        }
        value_cell(&mut t, col, row.value(Kind::Actual, fy))?;
        match achievement(row, fy) {
            Some(a) => {
                t.widths.see(col + 1, "100.0");
                t.ws.write_number_with_format(t.row, col + 1, a, &st.percent)?;
            }
            None => t.text(col + 1, "")?,
        }
        t.text(col + 2, &notes(row))?;
        t.text(col + 3, &format!("{}!{}", row.file, row.sheet))?;
        t.ws.write_number_with_format(t.row, col + 4, f64::from(row.row), &st.year)?;
        t.text(col + 5, &source_cells(row, &plan_years, fy))?;
        t.next();
    }
    // Names wrap within a few characters' width; numbers keep their own width.
    let names = [20.0, 20.0, 24.0, 12.0, 9.0, 24.0, 8.0];
    let last = headers.len() as u16 - 1;
    t.finish(|c| match names.get(c as usize) {
        Some(w) => *w,
        None if c == last => 28.0,
        None if c == last - 1 => 6.0,
        None if c == last - 2 => 28.0,
        None if c == last - 3 => 16.0,
        None => 11.0,
    })
}

/// A value as a number when there is one, otherwise the text the department wrote
/// (↗, 未測定), in grey, so the council sees what was said.
fn value_cell(t: &mut Table, col: u16, value: Option<&ValueCell>) -> Result<(), XlsxError> {
    let Some(v) = value else {
        return t.text(col, "");
    };
    match v.value {
        Some(number) => t.number(col, number),
        None if !v.raw.trim().is_empty() => {
            let styles = t.styles;
            t.text_with(col, &v.raw, &styles.muted)
        }
        None => t.text(col, ""),
    }
}

/// Where each figure of a row came from, labelled as its column is: "基準値 H・2024計画
/// I・実績 K", the columns of the row given in 行, or the whole cell ("実績 D14") for a
/// figure on another row, as on a card. With 出典 (file!sheet) and 行, every figure traces
/// to its cell. Columns rather than a note per figure: notes cost more than the rest of
/// the book together at a prefecture's scale (60,000 rows). And without the row number in
/// it, this text repeats from row to row, so the book's string table stays small.
fn source_cells(row: &IndicatorRow, plan_years: &[i32], fy: i32) -> String {
    let baseline = row.values.iter().find(|v| v.kind == Kind::Baseline).map(|v| ("基準値".to_string(), v));
    let plans = plan_years.iter().filter_map(|y| row.value(Kind::Plan, *y).map(|v| (format!("{y}計画"), v)));
    let actual = row.value(Kind::Actual, fy).map(|v| ("実績".to_string(), v));
    let cell = |v: &ValueCell| {
        let a1 = v.cell.to_string();
        if v.cell.row + 1 == row.row {
            a1.trim_end_matches(|c: char| c.is_ascii_digit()).to_string()
        } else {
            a1
        }
    };
    let cells: Vec<String> = baseline.into_iter().chain(plans).chain(actual).map(|(label, v)| format!("{label} {}", cell(v))).collect();
    cells.join("・")
}

/// Flags worth a reader's attention, such as an approximate actual.
fn notes(row: &IndicatorRow) -> String {
    let mut notes: Vec<String> = row
        .values
        .iter()
        .filter_map(|v| v.flag.map(|f| format!("{}{}: {}", v.kind.label_ja(), if v.kind == Kind::Plan { format!("({})", v.fiscal_year) } else { String::new() }, f.label_ja())))
        .collect();
    notes.dedup();
    notes.join("、")
}

/// Rows in a fixed order: goal, measure, department, then the file's own order.
fn sorted_rows(rows: &[IndicatorRow]) -> Vec<&IndicatorRow> {
    let mut sorted: Vec<&IndicatorRow> = rows.iter().collect();
    sorted.sort_by(|a, b| {
        (&a.goal, &a.measure, &a.department, &a.file, &a.sheet, a.row).cmp(&(&b.goal, &b.measure, &b.department, &b.file, &b.sheet, b.row))
    });
    sorted
}

fn departments(ws: &mut Worksheet, c: &Consolidation, agg: &Aggregates, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name("部署別")?;
    let mut headers = vec!["担当課", "ファイル"];
    headers.extend(STATUSES);
    headers.extend([NO_STATUS, "指標数", "問題数"]);
    let mut t = Table::new(ws, st, 0, &headers)?;
    for department in &c.roster {
        let file = c
            .files
            .iter()
            .find(|f| f.outcome == Outcome::Consolidated && f.department.as_deref() == Some(department));
        t.text(0, department)?;
        let Some(file) = file else {
            t.text(1, "(未提出)")?;
            t.next();
            continue;
        };
        t.text(1, &file.name)?;
        let (counts, indicators) = agg.by_department.get(department).cloned().unwrap_or_default();
        for (i, n) in counts.0.iter().enumerate() {
            t.number(2 + i as u16, *n as f64)?;
        }
        t.number(7, indicators as f64)?;
        let problems = c.problems.iter().filter(|p| p.file == file.name).count();
        t.number(8, problems as f64)?;
        t.next();
    }
    t.finish(|_| 50.0)
}

fn missing(ws: &mut Worksheet, c: &Consolidation, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name("未提出")?;
    let mut t = Table::new(ws, st, 0, &["担当課", "状況"])?;
    for department in c.missing() {
        t.text(0, department)?;
        let sent_something = c.files.iter().any(|f| f.department.as_deref() == Some(department));
        t.text(1, if sent_something { "提出されたファイルを集計できず (入力ファイル参照)" } else { "ファイルなし" })?;
        t.next();
    }
    t.finish(|_| 60.0)
}

fn problems(ws: &mut Worksheet, c: &Consolidation, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name("問題一覧")?;
    let mut t = Table::new(ws, st, 0, &["ファイル", "シート", "セル", "元の値", "内容", "対応"])?;
    for p in &c.problems {
        t.text(0, &p.file)?;
        t.text(1, &p.sheet)?;
        t.text(2, &p.cell)?;
        t.text(3, &p.raw)?;
        t.text(4, &p.what)?;
        t.text(5, &p.todo)?;
        t.next();
    }
    t.finish(|_| 60.0)
}

/// Rows of evaluation lists, each with the grade as written and the status it maps to.
fn evaluations(ws: &mut Worksheet, c: &Consolidation, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name("評価一覧")?;
    let mut t = Table::new(ws, st, 0, &["基本方針", "施策", "具体的取組", "担当課", "評価", "評価 (記入どおり)", "進捗区分", "出典"])?;
    for row in sorted_rows(&c.rows).into_iter().filter(|r| r.grade.is_some()) {
        t.text(0, &row.goal)?;
        t.text(1, &row.measure)?;
        t.text(2, &row.project)?;
        t.text(3, &row.department)?;
        t.text(4, row.grade.as_deref().unwrap_or_default())?;
        t.text(5, &row.status_raw)?;
        let status = row.status.as_deref();
        t.text_with(6, status.unwrap_or(NO_STATUS), st.status(status))?;
        let at = row.status_cell.map(|c| c.to_string()).unwrap_or_default();
        t.text(7, &format!("{}!{}!{at}", row.file, row.sheet))?;
        t.next();
    }
    t.finish(|c| if c < 4 { 30.0 } else { 40.0 })
}

fn inputs(ws: &mut Worksheet, c: &Consolidation, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name("入力ファイル")?;
    let headers = ["ファイル", "担当課", "結果", "理由", "読込行", "集計行", "除外行", "バイト数", "SHA-256"];
    let mut t = Table::new(ws, st, 0, &headers)?;
    for f in &c.files {
        t.text(0, &f.name)?;
        t.text(1, f.department.as_deref().unwrap_or(""))?;
        t.text(2, &format!("{} ({})", f.outcome.label_ja(), f.outcome.as_str()))?;
        t.text(3, &f.outcome.reason())?;
        t.number(4, f.rows_read as f64)?;
        t.number(5, f.rows_consolidated as f64)?;
        t.number(6, f.rows_set_aside as f64)?;
        t.number(7, f.size as f64)?;
        t.text(8, &f.sha256)?;
        t.next();
    }
    t.finish(|_| 70.0)
}
