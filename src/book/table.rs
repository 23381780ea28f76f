//! The book's short tables, and what every table shares: widths that fit Japanese text
//! and the A4 print set-up.

use std::borrow::Cow;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::styles::Styles;

/// The most a cell of Excel holds, in UTF-16 units.
const CELL_TEXT: usize = 32_767;
/// The rows of a sheet of Excel.
pub const SHEET_ROWS: u32 = 1_048_576;

/// A text as a cell can hold it: whole when it fits, otherwise cut at a character and
/// saying so, with how long it was and where it is whole. A text a department (or another
/// program) wrote may be longer than Excel allows; the book is written all the same.
pub fn cell_text(text: &str) -> Cow<'_, str> {
    // UTF-8 never takes fewer bytes than UTF-16 units: most texts end the check here.
    if text.len() <= CELL_TEXT || text.encode_utf16().count() <= CELL_TEXT {
        return Cow::Borrowed(text);
    }
    let note = format!("…〔以下略: 全 {} 字。全文は記録 CSV とマニフェストに〕", text.chars().count());
    let room = CELL_TEXT - note.encode_utf16().count();
    let mut used = 0;
    let cut = text.char_indices().find(|(_, c)| {
        used += c.len_utf16();
        used > room
    });
    let end = cut.map_or(text.len(), |(at, _)| at);
    Cow::Owned(format!("{}{note}", &text[..end]))
}

/// Width in Excel's character units of the longest line, counting a Japanese character
/// as two: Excel's own autofit measures non-ASCII text too narrow.
pub fn text_width(text: &str) -> usize {
    text.lines().map(|l| l.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()).max().unwrap_or(0)
}

/// Column widths from the widest cell.
pub struct Widths(Vec<usize>);

impl Widths {
    pub fn new() -> Widths {
        Widths(Vec::new())
    }

    pub fn see(&mut self, col: u16, width: usize) {
        let col = col as usize;
        if self.0.len() <= col {
            self.0.resize(col + 1, 0);
        }
        self.0[col] = self.0[col].max(width);
    }

    pub fn merge(&mut self, other: &Widths) {
        for (col, width) in other.0.iter().enumerate() {
            self.see(col as u16, *width);
        }
    }

    /// Set the widths, each capped by `max(col)`: longer text wraps, so the sheet prints
    /// readable on A4 instead of shrinking to fit one very wide row.
    pub fn apply(&self, ws: &mut Worksheet, max: impl Fn(u16) -> f64) -> Result<(), XlsxError> {
        for (col, width) in self.0.iter().enumerate() {
            let fitted = (*width as f64 + 2.0).max(4.0);
            ws.set_column_width(col as u16, fitted.min(max(col as u16)))?;
        }
        Ok(())
    }
}

/// A table with a header row, every cell with its border: frozen, filtered, printed with
/// its header on every page. Past the rows a sheet has, it goes on to a next sheet
/// (`問題一覧 (2)`), its header repeated: nothing is left out.
pub struct Table<'a, F: Fn(u16) -> f64> {
    book: &'a mut Workbook,
    styles: &'a Styles,
    name: String,
    headers: Vec<String>,
    max_width: F,
    /// The sheet being written, by its index in the book, and which part it is (1, 2 …).
    sheet: usize,
    part: usize,
    widths: Widths,
    row: u32,
    rows_per_sheet: u32,
}

impl<'a, F: Fn(u16) -> f64> Table<'a, F> {
    /// A table on a new sheet named `name`; `max_width` caps each column's width.
    pub fn new(book: &'a mut Workbook, styles: &'a Styles, name: &str, headers: &[&str], max_width: F) -> Result<Self, XlsxError> {
        Self::with_rows_per_sheet(book, styles, name, headers, max_width, SHEET_ROWS - 1)
    }

    fn with_rows_per_sheet(book: &'a mut Workbook, styles: &'a Styles, name: &str, headers: &[&str], max_width: F, rows_per_sheet: u32) -> Result<Self, XlsxError> {
        let mut table = Table {
            book,
            styles,
            name: name.to_string(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            max_width,
            sheet: 0,
            part: 0,
            widths: Widths::new(),
            row: 0,
            rows_per_sheet: rows_per_sheet.max(1),
        };
        table.start_sheet()?;
        Ok(table)
    }

    /// A new sheet for the next part, with the header.
    fn start_sheet(&mut self) -> Result<(), XlsxError> {
        self.part += 1;
        let name = if self.part == 1 { self.name.clone() } else { format!("{} ({})", self.name, self.part) };
        self.book.add_worksheet().set_name(name)?;
        self.sheet = self.book.worksheets_mut().len() - 1;
        self.widths = Widths::new();
        let ws = self.book.worksheet_from_index(self.sheet)?;
        for (i, h) in self.headers.iter().enumerate() {
            ws.write_string_with_format(0, i as u16, h, &self.styles.header)?;
            self.widths.see(i as u16, text_width(h));
        }
        self.row = 1;
        Ok(())
    }

    pub fn text(&mut self, col: u16, text: &str) -> Result<(), XlsxError> {
        let styles = self.styles;
        self.text_with(col, text, &styles.text)
    }

    pub fn text_with(&mut self, col: u16, text: &str, format: &Format) -> Result<(), XlsxError> {
        self.room()?;
        let text = cell_text(text);
        self.widths.see(col, text_width(&text));
        let row = self.row;
        self.book.worksheet_from_index(self.sheet)?.write_string_with_format(row, col, text, format)?;
        Ok(())
    }

    pub fn number(&mut self, col: u16, value: f64) -> Result<(), XlsxError> {
        self.room()?;
        self.widths.see(col, format!("{value}").len());
        let (row, format) = (self.row, self.styles.figure_for(value));
        self.book.worksheet_from_index(self.sheet)?.write_number_with_format(row, col, value, format)?;
        Ok(())
    }

    /// On to the next row.
    pub fn next(&mut self) {
        self.row += 1;
    }

    /// Room on the sheet for the row being written: past its last, a next sheet (made
    /// only when a row is written there, so a full sheet never leaves an empty one).
    fn room(&mut self) -> Result<(), XlsxError> {
        if self.row > self.rows_per_sheet {
            self.finish_sheet()?;
            self.start_sheet()?;
        }
        Ok(())
    }

    /// Widths, frozen header, filter and print set-up of the sheet being written.
    fn finish_sheet(&mut self) -> Result<(), XlsxError> {
        let last = self.row.saturating_sub(1).min(self.rows_per_sheet);
        let cols = self.headers.len() as u16;
        let ws = self.book.worksheet_from_index(self.sheet)?;
        self.widths.apply(ws, &self.max_width)?;
        ws.set_freeze_panes(1, 0)?;
        ws.autofilter(0, 0, last, cols.saturating_sub(1))?;
        print_setup(ws, 0)
    }

    pub fn finish(mut self) -> Result<(), XlsxError> {
        self.finish_sheet()
    }
}

pub fn print_setup(ws: &mut Worksheet, header_row: u32) -> Result<(), XlsxError> {
    ws.set_paper_size(9); // A4
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{cell_text, Table};
    use crate::book::styles::Styles;
    use crate::workbook::{self, Limits};

    #[test]
    fn a_table_past_a_sheets_rows_goes_on_on_the_next_sheet_with_its_header() {
        let styles = Styles::new();
        let mut book = rust_xlsxwriter::Workbook::new();
        let mut t = Table::with_rows_per_sheet(&mut book, &styles, "問題一覧", &["ファイル", "件"], |_| 30.0, 3).expect("table");
        for i in 0..7 {
            t.text(0, &format!("f{i}")).expect("text");
            t.number(1, i as f64).expect("number");
            t.next();
        }
        t.finish().expect("finish");
        let bytes = book.save_to_buffer().expect("saved");
        let read = workbook::read(&bytes, &Limits::default()).expect("reads back");
        let names: Vec<&str> = read.sheets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["問題一覧", "問題一覧 (2)", "問題一覧 (3)"], "three rows a sheet, and no empty sheet after");
        let rows: Vec<String> = read.sheets.iter().flat_map(|s| {
            assert_eq!(s.get(0, 0).display(), "ファイル", "{}: the header again", s.name);
            (1..s.height()).map(move |r| s.get(r, 0).display())
        }).collect();
        assert_eq!(rows, (0..7).map(|i| format!("f{i}")).collect::<Vec<_>>());
    }

    #[test]
    fn a_text_longer_than_a_cell_is_cut_at_a_character_and_says_so() {
        assert_eq!(cell_text("短い"), "短い");
        let fits = "a".repeat(32_767);
        assert_eq!(cell_text(&fits), fits);
        // Characters outside the BMP take two UTF-16 units each, as Excel counts them.
        for long in ["a".repeat(40_000), "課".repeat(32_768), "𠮷".repeat(20_000)] {
            let cut = cell_text(&long);
            assert!(cut.encode_utf16().count() <= 32_767, "{}", cut.encode_utf16().count());
            assert!(cut.ends_with(&format!("全 {} 字。全文は記録 CSV とマニフェストに〕", long.chars().count())));
            assert!(long.starts_with(cut.split('…').next().unwrap_or_default()));
        }
    }
}
