//! 進捗一覧, the book's long table: a row per indicator, 60,000 rows at a prefecture's
//! scale. It is most of what a run writes, so it is made in two halves: rows are rendered
//! to cells (texts joined, widths measured) on every core, a block at a time, while one
//! thread writes the block before into the sheet, which rust_xlsxwriter can only take as
//! one stream.
//!
//! Cells take their column's format (wrapped text, numbers with separators, years, one
//! decimal for percentages) and one conditional format draws every border: rust_xlsxwriter
//! hashes a cell's whole `Format` on each write, which was a fifth of making the book. Only
//! a status, a figure with decimals and a department's words in place of a figure carry a
//! format of their own.

use std::borrow::Cow;

use rayon::prelude::*;
use rust_xlsxwriter::{ConditionalFormatFormula, Workbook, Worksheet, XlsxError};

use super::styles::{decimals, Styles};
use super::table::{cell_text, print_setup, text_width, Widths};
use crate::aggregate::{achievement, NO_STATUS};
use crate::model::{Consolidation, IndicatorRow, Kind, ValueCell};

/// Rows rendered ahead of the writer: enough to keep both cores busy, few enough that
/// 60,000 rows never sit rendered at once.
const BLOCK: usize = 2048;

/// A cell as the sheet shows it.
enum Shown<'a> {
    Blank,
    /// Text in its column's format, wrapped. Owned: rust_xlsxwriter takes a `String`, and
    /// the copy is made here, on every core, rather than on the one thread that writes.
    Text(String),
    /// What the department wrote where a figure was expected (↗, 未測定), in grey.
    Said(Cow<'a, str>),
    /// A figure, and how many decimals it has (up to three): its width and its format
    /// both depend on them, counted once, here rather than on the writing thread.
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
    Text,
    Figure,
    Plain,
    Percent,
}

/// Write 進捗一覧: past `rows_per_sheet` rows (Excel's limit, less the header) it goes on
/// on 進捗一覧 (2), (3) …, each with the header again.
pub fn write(book: &mut Workbook, c: &Consolidation, st: &Styles, rows_per_sheet: usize) -> Result<(), XlsxError> {
    let rows = super::in_book_order(c.rows.iter());
    // One sheet even for no rows: the header says what would be there.
    let parts: Vec<&[&IndicatorRow]> = if rows.is_empty() { vec![&[]] } else { rows.chunks(rows_per_sheet.max(1)).collect() };
    for (i, part) in parts.into_iter().enumerate() {
        let ws = book.add_worksheet_with_low_memory()?;
        ws.set_name(if i == 0 { "進捗一覧".to_string() } else { format!("進捗一覧 ({})", i + 1) })?;
        write_sheet(ws, c, part, st)?;
    }
    Ok(())
}

fn write_sheet<'a>(ws: &mut Worksheet, c: &'a Consolidation, rows: &[&'a IndicatorRow], st: &Styles) -> Result<(), XlsxError> {
    let fy = c.period.fiscal_year;
    let mut plan_years: Vec<i32> = c.rows.iter().flat_map(|r| r.values.iter().filter(|v| v.kind == Kind::Plan).map(|v| v.fiscal_year)).collect();
    plan_years.sort_unstable();
    plan_years.dedup();

    let plan_headers: Vec<String> = plan_years.iter().map(|y| format!("{}年度 計画値", y)).collect();
    let actual_header = format!("実績値 ({})", c.period.label_ja());
    let mut headers: Vec<(&str, Column)> = vec![
        ("基本目標", Column::Text),
        ("施策", Column::Text),
        ("事業名", Column::Text),
        ("担当課", Column::Text),
        ("進捗区分", Column::Text),
        ("指標名", Column::Text),
        ("単位", Column::Text),
        ("基準値", Column::Figure),
        ("基準年度", Column::Plain),
    ];
    headers.extend(plan_headers.iter().map(|h| (h.as_str(), Column::Figure)));
    headers.push((&actual_header, Column::Figure));
    headers.extend([("達成率 (%)", Column::Percent), ("注記", Column::Text), ("出典", Column::Text), ("行", Column::Plain), ("出典セル", Column::Text)]);

    let mut widths = Widths::new();
    for (col, (header, kind)) in headers.iter().enumerate() {
        let col = col as u16;
        ws.write_string_with_format(0, col, *header, &st.header)?;
        widths.see(col, text_width(header));
        let format = match kind {
            Column::Text => &st.wrap,
            Column::Figure => &st.bare_figure[0],
            Column::Plain => &st.bare_plain,
            Column::Percent => &st.bare_percent,
        };
        ws.set_column_format(col, format)?;
    }

    let render_block = |block: &[&'a IndicatorRow]| render_block(block, &plan_years, fy);
    let mut blocks = rows.chunks(BLOCK);
    let mut next_row = 1u32;
    let mut ready = blocks.next().map(render_block);
    while let Some((block, block_widths)) = ready.take() {
        widths.merge(&block_widths);
        let first = next_row;
        next_row += block.len() as u32;
        let (rendered, written) = rayon::join(|| blocks.next().map(render_block), || write_block(ws, st, first, block));
        written?;
        ready = rendered;
    }

    // Names wrap within a few characters' width; numbers keep their own width.
    let names = [20.0, 20.0, 24.0, 12.0, 9.0, 24.0, 8.0];
    let last = headers.len() as u16 - 1;
    widths.apply(ws, |c| match names.get(c as usize) {
        Some(w) => *w,
        None if c == last => 28.0,
        None if c == last - 1 => 6.0,
        None if c == last - 2 => 28.0,
        None if c == last - 3 => 16.0,
        None => 11.0,
    })?;
    let last_row = next_row - 1;
    if last_row > 0 {
        let borders = ConditionalFormatFormula::new().set_rule("=TRUE").set_format(&st.grid);
        ws.add_conditional_format(1, 0, last_row, last, &borders)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, last_row, last)?;
    print_setup(ws, 0)
}

/// Rows as cells, on every core, and how wide they are.
fn render_block<'a>(block: &[&'a IndicatorRow], plan_years: &[i32], fy: i32) -> (Vec<Vec<Shown<'a>>>, Widths) {
    let rendered: Vec<Vec<Shown>> = block.par_iter().map(|row| render(row, plan_years, fy)).collect();
    let mut widths = Widths::new();
    for cells in &rendered {
        for (col, cell) in cells.iter().enumerate() {
            widths.see(col as u16, cell.width());
        }
    }
    (rendered, widths)
}

/// One indicator as the cells of its row, in the order of the headers.
fn render<'a>(row: &'a IndicatorRow, plan_years: &[i32], fy: i32) -> Vec<Shown<'a>> {
    let text = |s: &str| Shown::Text(cell_text(s).into_owned());
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
    cells.push(achievement(row, fy).map_or(Shown::Blank, Shown::Percent));
    cells.push(text(&notes(row)));
    cells.push(text(&format!("{}!{}", row.file, row.sheet)));
    cells.push(Shown::Plain(i64::from(row.row)));
    cells.push(text(&source_cells(row, plan_years, fy)));
    cells
}

/// A value as a number when there is one, otherwise the text the department wrote, so the
/// council sees what was said.
fn figure(value: Option<&ValueCell>) -> Shown<'_> {
    match value {
        Some(ValueCell { value: Some(number), .. }) => Shown::Figure(*number, decimals(*number)),
        Some(v) if !v.raw.trim().is_empty() => Shown::Said(cell_text(&v.raw)),
        _ => Shown::Blank,
    }
}

fn write_block(ws: &mut Worksheet, st: &Styles, first: u32, block: Vec<Vec<Shown>>) -> Result<(), XlsxError> {
    for (r, cells) in block.into_iter().enumerate() {
        let row = first + r as u32;
        for (col, cell) in cells.into_iter().enumerate() {
            let col = col as u16;
            match cell {
                Shown::Blank => {}
                Shown::Text(text) => {
                    ws.write_string(row, col, text)?;
                }
                Shown::Said(text) => {
                    ws.write_string_with_format(row, col, text, &st.muted)?;
                }
                Shown::Figure(value, decimals) => match decimals {
                    0 => {
                        ws.write_number(row, col, value)?;
                    }
                    d => {
                        ws.write_number_with_format(row, col, value, &st.bare_figure[d])?;
                    }
                },
                Shown::Plain(n) => {
                    ws.write_number(row, col, n as f64)?;
                }
                Shown::Percent(p) => {
                    ws.write_number(row, col, p)?;
                }
                Shown::Status(status) => {
                    ws.write_string_with_format(row, col, cell_text(status.unwrap_or(NO_STATUS)), st.status(status))?;
                }
            }
        }
    }
    Ok(())
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
