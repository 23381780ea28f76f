//! The book's short tables, and what every table shares: widths that fit Japanese text
//! and the A4 print set-up.

use std::borrow::Cow;

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

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

/// A short table with a header row, every cell with its border: frozen, filtered,
/// printed with its header on every page.
pub struct Table<'a> {
    ws: &'a mut Worksheet,
    styles: &'a Styles,
    widths: Widths,
    first_row: u32,
    row: u32,
    cols: u16,
    /// Rows past the sheet's last, left out and counted on its last row.
    left_out: usize,
}

impl<'a> Table<'a> {
    pub fn new(ws: &'a mut Worksheet, styles: &'a Styles, first_row: u32, headers: &[&str]) -> Result<Table<'a>, XlsxError> {
        let mut widths = Widths::new();
        for (i, h) in headers.iter().enumerate() {
            ws.write_string_with_format(first_row, i as u16, *h, &styles.header)?;
            widths.see(i as u16, text_width(h));
        }
        Ok(Table { ws, styles, widths, first_row, row: first_row + 1, cols: headers.len() as u16, left_out: 0 })
    }

    /// Whether the row being written is past the last one a sheet has room for (the very
    /// last is kept for saying how many were left out).
    fn full(&self) -> bool {
        self.row >= SHEET_ROWS - 1
    }

    pub fn text(&mut self, col: u16, text: &str) -> Result<(), XlsxError> {
        let styles = self.styles;
        self.text_with(col, text, &styles.text)
    }

    pub fn text_with(&mut self, col: u16, text: &str, format: &Format) -> Result<(), XlsxError> {
        if self.full() {
            return Ok(());
        }
        let text = cell_text(text);
        self.widths.see(col, text_width(&text));
        self.ws.write_string_with_format(self.row, col, text, format)?;
        Ok(())
    }

    pub fn number(&mut self, col: u16, value: f64) -> Result<(), XlsxError> {
        if self.full() {
            return Ok(());
        }
        self.widths.see(col, format!("{value}").len());
        self.ws.write_number_with_format(self.row, col, value, self.styles.figure_for(value))?;
        Ok(())
    }

    pub fn next(&mut self) {
        if self.full() {
            self.left_out += 1;
        } else {
            self.row += 1;
        }
    }

    pub fn finish(mut self, max_width: impl Fn(u16) -> f64) -> Result<(), XlsxError> {
        if self.left_out > 0 {
            let note = format!("以下 {} 行は Excel の 1 シートの行数 ({SHEET_ROWS}) を超えるため省略", self.left_out);
            self.ws.write_string_with_format(self.row, 0, note, &self.styles.text)?;
            self.row += 1;
        }
        let last = self.row.saturating_sub(1).max(self.first_row);
        self.widths.apply(self.ws, max_width)?;
        self.ws.set_freeze_panes(self.first_row + 1, 0)?;
        self.ws.autofilter(self.first_row, 0, last, self.cols.saturating_sub(1))?;
        print_setup(self.ws, self.first_row)
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
    use super::cell_text;

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
