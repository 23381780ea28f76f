//! 進捗一覧, the book's long table: a row per indicator, 60,000 rows at a prefecture's
//! scale. It is most of what a run writes. Rows are rendered to cells (texts joined, widths
//! measured, texts interned) on every core, a chunk at a time, while the other sheets are
//! written; rust_xlsxwriter writes the sheet around them (header, columns, print set-up)
//! and `splice` writes the rows themselves into the saved book, on every core.
//!
//! Cells take their column's format (wrapped text, numbers with separators, years, one
//! decimal for percentages) and one conditional format draws every border. Only a status,
//! a figure with decimals and a department's words in place of a figure carry a format of
//! their own.

use std::borrow::Cow;

use rayon::prelude::*;
use rust_xlsxwriter::{ConditionalFormatFormula, Format, Workbook, Worksheet, XlsxError};

use super::splice::{self, Chunk, Part, Value};
use super::styles::{decimals, Styles};
use super::table::{cell_text, lines_in, print_setup, row_height, text_width, Page, PrintLayout, Widths};
use crate::aggregate::{achievement, Achievement, NO_STATUS};
use crate::model::{AchievementRule, Consolidation, IndicatorRow, Kind, ValueCell};

/// Rows rendered, and their texts interned, together on one core: a chunk keeps each of its
/// texts once until the book is saved, so fewer, larger chunks hold fewer copies (at 256
/// rows, 10,000 files' book held 150 MB more).
pub const CHUNK: usize = 1024;

/// A cell as the sheet shows it.
enum Shown<'a> {
    Blank,
    /// Text in its column's format, wrapped.
    Text(Cow<'a, str>),
    /// What the department wrote where a figure was expected (↗, 未測定), in grey.
    Said(Cow<'a, str>),
    /// A figure, and how many decimals it has (up to three): its width and its format
    /// both depend on them, counted once.
    Figure(f64, usize),
    /// A whole number shown as written, without separators: a year, a row number.
    Plain(i64),
    /// A percentage, one decimal.
    Percent(f64),
    Status(Option<&'a str>),
}

impl Shown<'_> {
    /// Width in Excel's character units, a Japanese character counting two.
    fn width(&self) -> usize {
        match self {
            Shown::Blank => 0,
            Shown::Text(text) => text_width(text),
            Shown::Said(text) => text_width(text),
            Shown::Figure(value, decimals) => figure_width(*value, *decimals),
            Shown::Plain(n) => usize::from(*n < 0) + n.unsigned_abs().checked_ilog10().unwrap_or(0) as usize + 1,
            Shown::Percent(_) => "100.0".len(),
            Shown::Status(status) => text_width(status.unwrap_or(NO_STATUS)),
        }
    }
}

/// How the columns of the sheet read.
#[derive(Clone, Copy, PartialEq)]
enum Column {
    /// Text, wrapped in a column this wide.
    Text(f64),
    /// Text that traces a row to its cells, for the screen: not wrapped, not printed.
    Trace,
    Figure,
    Plain,
    Percent,
}

impl Column {
    fn width(&self) -> Option<f64> {
        match self {
            Column::Text(w) => Some(*w),
            _ => None,
        }
    }

    /// The probe slot of the column's format.
    fn slot(&self) -> u8 {
        match self {
            Column::Text(_) => WRAP,
            Column::Trace => TRACE,
            Column::Figure => FIGURE,
            Column::Plain => PLAIN,
            Column::Percent => PERCENT,
        }
    }
}

// The formats of 進捗一覧's cells, in the order of the probe row (`probes`).
const WRAP: u8 = 0;
const TRACE: u8 = 1;
/// Then figures with 1, 2 and 3 decimals.
const FIGURE: u8 = 2;
const PLAIN: u8 = 6;
const PERCENT: u8 = 7;
const MUTED: u8 = 8;
/// Then the other statuses, as `Styles::status_slot` numbers them.
const STATUS: u8 = 9;

fn probes(st: &Styles) -> Vec<&Format> {
    let mut formats = vec![&st.wrap, &st.trace];
    formats.extend(st.bare_figure.iter());
    formats.extend([&st.bare_plain, &st.bare_percent, &st.muted]);
    formats.extend(st.statuses());
    formats
}

/// 進捗一覧 rendered, before any of it is in the book: its columns, and its rows as compact
/// cells, part by part.
pub struct Progress {
    /// Each column's header and how it reads.
    headers: Vec<(String, Column)>,
    /// The columns that print: all but the tracing ones.
    printed: u16,
    parts: Vec<Rendered>,
}

/// A part's rows, and the widest cell of each column.
struct Rendered {
    chunks: Vec<Chunk>,
    rows: usize,
    widths: Widths,
}

/// Render 進捗一覧's rows on every core, a chunk at a time, each chunk's texts interned
/// where it is rendered: past `rows_per_sheet` rows (Excel's limit, less the header) it
/// goes on on 進捗一覧 (2), (3) …, each with the header again. Touches no book, so the
/// other sheets are written meanwhile.
pub fn render(c: &Consolidation, rows_per_sheet: usize) -> Progress {
    let rows = super::in_book_order(c.rows.iter());
    // The columns, the same on every part: a plan column per fiscal year any row plans
    // for, and a column per note some department filled in (one no department filled in
    // takes no room on paper).
    let mut plan_years: Vec<i32> = c.rows.iter().flat_map(|r| r.values.iter().filter(|v| v.kind == Kind::Plan).map(|v| v.fiscal_year)).collect();
    plan_years.sort_unstable();
    plan_years.dedup();
    let note_labels: Vec<String> = c.note_labels.iter().filter(|l| c.rows.iter().any(|r| r.notes.iter().any(|n| n.label == **l))).cloned().collect();
    let (headers, printed) = headers(c, &plan_years, &note_labels);
    let text_widths: Vec<Option<f64>> = headers.iter().map(|(_, kind)| kind.width()).collect();
    let slots: Vec<u8> = headers.iter().map(|(_, kind)| kind.slot()).collect();
    let frame = Frame { plan_years: &plan_years, fy: c.period.fiscal_year, rules: &c.rules, note_labels: &note_labels };
    // One sheet even for no rows: the header says what would be there.
    let parts: Vec<&[&IndicatorRow]> = if rows.is_empty() { vec![&[]] } else { rows.chunks(rows_per_sheet.max(1)).collect() };
    let parts = parts
        .into_iter()
        .map(|part| {
            let rendered: Vec<(Chunk, Widths)> = part.par_chunks(CHUNK).map(|rows| render_chunk(rows, &frame, &text_widths, &slots)).collect();
            let mut widths = Widths::new();
            for (_, w) in &rendered {
                widths.merge(w);
            }
            Rendered { chunks: rendered.into_iter().map(|(chunk, _)| chunk).collect(), rows: part.len(), widths }
        })
        .collect();
    Progress { headers, printed, parts }
}

/// Add 進捗一覧's sheets for `rows` rows, empty, where they go among the others; their
/// indices. One sheet even for no rows: the header says what would be there.
pub fn add_sheets(book: &mut Workbook, rows: usize, rows_per_sheet: usize) -> Result<Vec<usize>, XlsxError> {
    (0..rows.div_ceil(rows_per_sheet.max(1)).max(1))
        .map(|i| {
            let sheet = book.worksheets().len();
            book.add_worksheet().set_name(if i == 0 { "進捗一覧".to_string() } else { format!("進捗一覧 ({})", i + 1) })?;
            Ok(sheet)
        })
        .collect()
}

/// Write 進捗一覧's sheets, as `add_sheets` added them, but for their rows, which come back
/// to be spliced into the saved book.
pub fn write(book: &mut Workbook, progress: Progress, sheets: &[usize], st: &Styles, page: &Page) -> Result<Vec<Part>, XlsxError> {
    let Progress { headers, printed, parts } = progress;
    debug_assert_eq!(parts.len(), sheets.len());
    parts.into_iter().zip(sheets).map(|(part, sheet)| write_sheet(book.worksheet_from_index(*sheet)?, *sheet, &headers, printed, part, st, page)).collect()
}

/// Each column: its header, how it reads, and for text its width, fixed so that a row's
/// height is known when the row is rendered; and how many columns print.
fn headers(c: &Consolidation, plan_years: &[i32], note_labels: &[String]) -> (Vec<(String, Column)>, u16) {
    let text = |w: f64| Column::Text(w);
    let mut headers: Vec<(String, Column)> = [
        ("基本目標", text(16.0)),
        ("施策", text(16.0)),
        ("事業名", text(20.0)),
        ("担当課", text(10.0)),
        ("進捗区分", text(9.0)),
        ("指標名", text(20.0)),
        ("単位", text(6.0)),
        ("基準値", Column::Figure),
        ("基準年度", Column::Plain),
    ]
    .into_iter()
    .map(|(h, kind)| (h.to_string(), kind))
    .collect();
    headers.extend(plan_years.iter().map(|y| (format!("{}年度 計画値", y), Column::Figure)));
    headers.push((format!("実績値 ({})", c.period.label_ja()), Column::Figure));
    headers.extend([("達成率 (%)".to_string(), Column::Percent), ("達成率の算定".to_string(), text(16.0))]);
    // What the departments wrote, each note in a column of its own, wide enough to read.
    headers.extend(note_labels.iter().map(|label| (label.clone(), text(30.0))));
    headers.push(("注記".to_string(), text(16.0)));
    // 出典, 行 and 出典セル trace each figure to its cell: on screen, not on paper.
    let printed = headers.len() as u16;
    headers.extend([("出典".to_string(), Column::Trace), ("行".to_string(), Column::Plain), ("出典セル".to_string(), Column::Trace)]);
    (headers, printed)
}

/// The sheet but for its rows: header, widths, the probe row where the rows go, borders,
/// print set-up; the `Part` to splice in.
fn write_sheet(ws: &mut Worksheet, sheet: usize, headers: &[(String, Column)], printed: u16, part: Rendered, st: &Styles, page: &Page) -> Result<Part, XlsxError> {
    let Rendered { chunks, rows, widths: row_widths } = part;
    // The formats the rows take, in their slots' order; a column's is its rows' own.
    let formats = probes(st);
    let mut widths = Widths::new();
    let mut header_lines = 1;
    for (col, (header, kind)) in headers.iter().enumerate() {
        let col = col as u16;
        ws.write_string_with_format(0, col, header, &st.header)?;
        widths.see(col, text_width(header));
        ws.set_column_format(col, formats[kind.slot() as usize])?;
        // A figure's column is as wide as its widest figure or its header, up to 13.
        header_lines = header_lines.max(lines_in(header, kind.width().unwrap_or(12.0)));
    }
    if let Some(height) = row_height(header_lines) {
        ws.set_row_height(0, height)?;
    }
    widths.merge(&row_widths);

    let last = headers.len() as u16 - 1;
    let mut set = widths.apply(ws, |c| match headers.get(c as usize).map(|(_, kind)| kind) {
        Some(Column::Text(w)) => *w,
        Some(Column::Plain) => 6.0,
        Some(Column::Trace) => 60.0,
        _ => 13.0,
    })?;
    // A text column keeps its width even when its texts are short: the rows' heights were
    // measured against it.
    for (col, (_, kind)) in headers.iter().enumerate() {
        if let Some(w) = kind.width() {
            ws.set_column_width(col as u16, w)?;
            if let Some(slot) = set.get_mut(col) {
                *slot = w;
            }
        }
    }
    let last_row = rows as u32;
    if last_row > 0 {
        let borders = ConditionalFormatFormula::new().set_rule("=TRUE").set_format(&st.grid);
        ws.add_conditional_format(1, 0, last_row, last, &borders)?;
    }
    // 基本目標 to 担当課 say which row is which: frozen with the header, and 事業名 and
    // 担当課 printed again on the pages to the right.
    ws.set_freeze_panes(1, 4)?;
    ws.autofilter(0, 0, last_row, last)?;
    let layout = PrintLayout { repeat_rows: Some((0, 0)), repeat_cols: Some((2, 3)), printed_cols: Some(printed), last_row, extra_width: 0.0 };
    print_setup(ws, page, &set, &layout)?;
    Part::under_header(ws, sheet, &formats, last, chunks)
}

/// What every row of the sheet is rendered against.
struct Frame<'a> {
    /// The fiscal years with a plan column, in order.
    plan_years: &'a [i32],
    /// This period's fiscal year.
    fy: i32,
    rules: &'a [AchievementRule],
    note_labels: &'a [String],
}

/// Rows as compact cells, each with its height when its texts wrap to more than a line,
/// their texts interned; and how wide the cells are. `slots` is each column's format.
fn render_chunk(rows: &[&IndicatorRow], frame: &Frame, text_widths: &[Option<f64>], slots: &[u8]) -> (Chunk, Widths) {
    let mut chunk = Chunk::default();
    let mut widths = Widths::new();
    for row in rows {
        let cells = cells(row, frame);
        let lines = cells
            .iter()
            .zip(text_widths)
            .filter_map(|(cell, width)| match (cell, width) {
                (Shown::Text(text), Some(w)) => Some(lines_in(text, *w)),
                _ => None,
            })
            .max()
            .unwrap_or(1);
        for (col, cell) in cells.iter().enumerate() {
            widths.see(col as u16, cell.width());
        }
        let strings = &mut chunk.strings;
        let kept = cells.into_iter().enumerate().filter_map(|(col, cell)| {
            let slot = slots[col];
            let (slot, value) = match cell {
                // As rust_xlsxwriter does, an empty text is no cell.
                Shown::Blank => return None,
                Shown::Text(text) if text.is_empty() => return None,
                Shown::Text(text) => (slot, Value::Text(strings.id(&text))),
                Shown::Said(text) => (MUTED, Value::Text(strings.id(&text))),
                Shown::Figure(value, 0) => (slot, Value::Number(value)),
                Shown::Figure(value, d) => (FIGURE + d as u8, Value::Number(value)),
                Shown::Plain(n) => (slot, Value::Number(n as f64)),
                Shown::Percent(p) => (slot, Value::Number(p)),
                Shown::Status(status) => (STATUS + Styles::status_slot(status) as u8, Value::Text(strings.id(&cell_text(status.unwrap_or(NO_STATUS))))),
            };
            Some(splice::Cell { col: col as u16, slot, value })
        });
        chunk.rows.push(kept, row_height(lines));
    }
    (chunk, widths)
}

/// One indicator as the cells of its row, in the order of the headers.
fn cells<'a>(row: &'a IndicatorRow, frame: &Frame) -> Vec<Shown<'a>> {
    let Frame { plan_years, fy, rules, note_labels } = *frame;
    let text = |s: &'a str| Shown::Text(cell_text(s));
    let baseline = row.values.iter().find(|v| v.kind == Kind::Baseline);
    let mut cells = vec![
        text(&row.goal),
        text(&row.measure),
        text(&row.project),
        text(&row.department),
        Shown::Status(row.status.as_deref()),
        text(row.indicator.as_deref().unwrap_or("(指標なし)")),
        text(&row.unit),
        figure(baseline),
        baseline.map_or(Shown::Blank, |b| Shown::Plain(i64::from(b.fiscal_year))),
    ];
    cells.extend(plan_years.iter().map(|y| figure(row.value(Kind::Plan, *y))));
    cells.push(figure(row.value(Kind::Actual, fy)));
    match achievement(row, fy, rules) {
        Some(Achievement { percent: Some(p), rule, .. }) => cells.extend([Shown::Percent(p), text(rule)]),
        Some(Achievement { why_not, .. }) => cells.extend([Shown::Blank, owned(format!("算定せず: {}", why_not.unwrap_or_default()))]),
        None => cells.extend([Shown::Blank, Shown::Blank]),
    }
    for label in note_labels {
        cells.push(row.notes.iter().find(|n| n.label == *label).map_or(Shown::Blank, |n| text(&n.text)));
    }
    cells.push(owned(flags(row)));
    cells.push(owned(format!("{}!{}", row.file, row.sheet)));
    cells.push(Shown::Plain(i64::from(row.row)));
    cells.push(owned(source_cells(row, plan_years, fy)));
    cells
}

/// A text made for the row, cut as a cell can hold it.
fn owned<'a>(text: String) -> Shown<'a> {
    let cut = match cell_text(&text) {
        Cow::Owned(cut) => Some(cut),
        Cow::Borrowed(_) => None,
    };
    Shown::Text(Cow::Owned(cut.unwrap_or(text)))
}

/// A value as a number when there is one, otherwise the text the department wrote, so the
/// council sees what was said.
fn figure(value: Option<&ValueCell>) -> Shown<'_> {
    match value {
        Some(ValueCell { value: Some(number), .. }) if number.is_finite() => Shown::Figure(*number, decimals(*number)),
        Some(v) if !v.raw.trim().is_empty() => Shown::Said(cell_text(&v.raw)),
        _ => Shown::Blank,
    }
}

/// The width of a figure with `d` decimals as "#,##0.0" shows it: digits, separators,
/// sign and decimals.
fn figure_width(value: f64, d: usize) -> usize {
    let scale = 10f64.powi(d as i32);
    let whole = ((value.abs() * scale).round() / scale).trunc().min(1e15) as u64;
    let digits = whole.checked_ilog10().unwrap_or(0) as usize + 1;
    let sign = usize::from(value < 0.0);
    sign + digits + (digits - 1) / 3 + if d > 0 { d + 1 } else { 0 }
}

/// Where each figure of a row came from, labelled as its column is: "基準値 H・2024計画
/// I・実績 K", the columns of the row given in 行, or the whole cell ("実績 D14") for a
/// figure on another row, as on a card. With 出典 (file!sheet) and 行, every figure traces
/// to its cell. Columns rather than a note per figure: notes cost more than the rest of
/// the book together at a prefecture's scale (60,000 rows). And without the row number in
/// it, this text repeats from row to row, so the book's string table stays small.
fn source_cells(row: &IndicatorRow, plan_years: &[i32], fy: i32) -> String {
    use std::fmt::Write;
    let baseline = row.values.iter().find(|v| v.kind == Kind::Baseline).map(|v| (Label::Baseline, v));
    let plans = plan_years.iter().filter_map(|y| row.value(Kind::Plan, *y).map(|v| (Label::Plan(*y), v)));
    let actual = row.value(Kind::Actual, fy).map(|v| (Label::Actual, v));
    // Written into one text, not a text per figure joined: it is made for every row.
    let mut text = String::new();
    for (label, v) in baseline.into_iter().chain(plans).chain(actual) {
        if !text.is_empty() {
            text.push('・');
        }
        let _ = match label {
            Label::Baseline => write!(text, "基準値 {}", v.cell),
            Label::Plan(y) => write!(text, "{y}計画 {}", v.cell),
            Label::Actual => write!(text, "実績 {}", v.cell),
        };
        if v.cell.row + 1 == row.row {
            text.truncate(text.trim_end_matches(|c: char| c.is_ascii_digit()).len());
        }
    }
    text
}

/// What a figure is, in 出典セル.
enum Label {
    Baseline,
    Plan(i32),
    Actual,
}

/// Flags worth a reader's attention, such as an approximate actual.
fn flags(row: &IndicatorRow) -> String {
    let mut notes: Vec<String> = row
        .values
        .iter()
        .filter_map(|v| {
            v.flag.map(|f| {
                format!("{}{}: {}", v.kind.label_ja(), if v.kind == Kind::Plan { format!("({})", v.fiscal_year) } else { String::new() }, f.label_ja())
            })
        })
        .collect();
    notes.dedup();
    notes.join("、")
}

#[cfg(test)]
mod tests {
    use super::figure_width;
    use crate::book::styles::decimals;

    #[test]
    fn figures_are_as_wide_as_shown() {
        let shown_as = [
            (0.0, "0"),
            (7.0, "7"),
            (11090.0, "11,090"),
            (-0.8, "-0.8"),
            (1234567.25, "1,234,567.25"),
            (999.5, "999.5"),
            (0.125, "0.125"),
            (999.99996, "1,000.000"),
        ];
        for (value, shown) in shown_as {
            assert_eq!(figure_width(value, decimals(value)), shown.len(), "{value} shows as {shown}");
        }
    }
}
