//! The book's short tables, and what every table shares: widths that fit Japanese text
//! and the A4 print set-up.

use std::borrow::Cow;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::progress::CHUNK;
use super::splice::{Cell, Chunk, Part, Value};
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
    /// readable on A4 instead of shrinking to fit one very wide row. Gives the widths set.
    pub fn apply(&self, ws: &mut Worksheet, max: impl Fn(u16) -> f64) -> Result<Vec<f64>, XlsxError> {
        let mut set = Vec::with_capacity(self.0.len());
        for (col, width) in self.0.iter().enumerate() {
            let fitted = (*width as f64 + 2.0).max(4.0).min(max(col as u16));
            ws.set_column_width(col as u16, fitted)?;
            set.push(fitted);
        }
        Ok(set)
    }
}

/// A table with a header row, every cell with its border: frozen, filtered, printed with
/// its header on every page. Past the rows a sheet has, it goes on to a next sheet
/// (`問題一覧 (2)`), its header repeated: nothing is left out.
///
/// rust_xlsxwriter writes each sheet but for its rows, which are kept as compact cells
/// and come back from [`Table::finish`] as the parts to splice into the saved book (as
/// 進捗一覧's are): 課題一覧 has tens of thousands of rows at a prefecture's scale, which
/// rust_xlsxwriter took a cell at a time on one thread.
pub struct Table<'a, F: Fn(u16) -> f64> {
    book: &'a mut Workbook,
    styles: &'a Styles,
    page: &'a Page,
    name: String,
    headers: Vec<String>,
    max_width: F,
    /// The sheet being written, by its index in the book, and which part it is (1, 2 …).
    sheet: usize,
    part: usize,
    widths: Widths,
    /// The line widths of each text that may wrap, by row and column: the rows' heights
    /// are set from them once the columns' widths are known.
    wraps: Vec<(u32, u16, Vec<f32>)>,
    row: u32,
    rows_per_sheet: u32,
    /// The columns that say which row is which (a file, a department): frozen on screen and
    /// repeated on every printed page.
    identifying: Option<(u16, u16)>,
    /// Columns from here on trace to files and hashes: on screen, not on paper.
    printed_cols: Option<u16>,
    /// The formats the cells take, each once, in the order of the probe row: all are the
    /// styles', so each is known by where it lies.
    formats: Vec<&'a Format>,
    /// The sheet's rows, a chunk at a time, and the cells of the row being written.
    chunks: Vec<Chunk>,
    cells: Vec<Cell>,
    /// The sheets written, with their rows to splice.
    parts: Vec<Part>,
}

impl<'a, F: Fn(u16) -> f64> Table<'a, F> {
    /// A table on a new sheet named `name`; `max_width` caps each column's width.
    pub fn new(book: &'a mut Workbook, styles: &'a Styles, page: &'a Page, name: &str, headers: &[&str], max_width: F) -> Result<Self, XlsxError> {
        Self::with_rows_per_sheet(book, styles, page, name, headers, max_width, SHEET_ROWS - 1)
    }

    fn with_rows_per_sheet(
        book: &'a mut Workbook,
        styles: &'a Styles,
        page: &'a Page,
        name: &str,
        headers: &[&str],
        max_width: F,
        rows_per_sheet: u32,
    ) -> Result<Self, XlsxError> {
        let mut table = Table {
            book,
            styles,
            page,
            name: name.to_string(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            max_width,
            sheet: 0,
            part: 0,
            widths: Widths::new(),
            wraps: Vec::new(),
            row: 0,
            rows_per_sheet: rows_per_sheet.max(1),
            identifying: None,
            printed_cols: None,
            formats: Vec::new(),
            chunks: Vec::new(),
            cells: Vec::new(),
            parts: Vec::new(),
        };
        table.start_sheet()?;
        Ok(table)
    }

    /// Columns `first..=last` say which row is which: frozen, and repeated on each page.
    pub fn identified_by(mut self, first: u16, last: u16) -> Self {
        self.identifying = Some((first, last));
        self
    }

    /// Print only the first `n` columns; the rest trace to files, for the screen.
    pub fn print_only(mut self, n: u16) -> Self {
        self.printed_cols = Some(n);
        self
    }

    /// A new sheet for the next part, with the header.
    fn start_sheet(&mut self) -> Result<(), XlsxError> {
        self.part += 1;
        let name = if self.part == 1 { self.name.clone() } else { format!("{} ({})", self.name, self.part) };
        self.book.add_worksheet().set_name(name)?;
        self.sheet = self.book.worksheets_mut().len() - 1;
        self.widths = Widths::new();
        self.wraps.clear();
        let ws = self.book.worksheet_from_index(self.sheet)?;
        for (i, h) in self.headers.iter().enumerate() {
            ws.write_string_with_format(0, i as u16, h, &self.styles.header)?;
            self.widths.see(i as u16, text_width(h));
            self.wraps.push((0, i as u16, line_widths(h)));
        }
        self.row = 1;
        Ok(())
    }

    pub fn text(&mut self, col: u16, text: &str) -> Result<(), XlsxError> {
        let styles = self.styles;
        self.text_with(col, text, &styles.text)
    }

    pub fn text_with(&mut self, col: u16, text: &str, format: &'a Format) -> Result<(), XlsxError> {
        self.room()?;
        let text = cell_text(text);
        let width = text_width(&text);
        self.widths.see(col, width);
        // Short texts never wrap: only the others are measured again for the row height.
        if width > 8 {
            self.wraps.push((self.row, col, line_widths(&text)));
        }
        // An empty text with a format is a blank cell, as rust_xlsxwriter writes it.
        let value = if text.is_empty() { Value::Blank } else { Value::Text(self.chunk().strings.id(&text)) };
        self.put(col, format, value);
        Ok(())
    }

    pub fn number(&mut self, col: u16, value: f64) -> Result<(), XlsxError> {
        self.room()?;
        self.widths.see(col, format!("{value}").len());
        let format = self.styles.figure_for(value);
        self.put(col, format, Value::Number(value));
        Ok(())
    }

    fn put(&mut self, col: u16, format: &'a Format, value: Value) {
        let slot = match self.formats.iter().position(|f| std::ptr::eq(*f, format)) {
            Some(slot) => slot,
            None => {
                self.formats.push(format);
                self.formats.len() - 1
            }
        };
        self.cells.push(Cell { col, slot: slot as u8, value });
    }

    /// The chunk the row being written goes in.
    fn chunk(&mut self) -> &mut Chunk {
        let at = (self.row as usize - 1) / CHUNK;
        if self.chunks.len() <= at {
            self.chunks.resize_with(at + 1, Chunk::default);
        }
        &mut self.chunks[at]
    }

    /// On to the next row.
    pub fn next(&mut self) {
        self.end_row();
        self.row += 1;
    }

    /// The row's cells kept, in column order, the last written to a cell counting; a column
    /// the row leaves out is a blank cell with its border, so the printed grid has no gaps.
    fn end_row(&mut self) {
        let styles = self.styles;
        for col in 0..self.headers.len() as u16 {
            if !self.cells.iter().any(|c| c.col == col) {
                self.put(col, &styles.text, Value::Blank);
            }
        }
        let mut cells = std::mem::take(&mut self.cells);
        cells.reverse();
        cells.sort_by_key(|c| c.col);
        cells.dedup_by_key(|c| c.col);
        self.chunk().rows.push(cells, None);
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

    /// Widths, frozen header, filter and print set-up of the sheet being written, with a
    /// probe row where its rows go.
    fn finish_sheet(&mut self) -> Result<(), XlsxError> {
        let last = self.row.saturating_sub(1).min(self.rows_per_sheet);
        if !self.cells.is_empty() {
            self.end_row();
        }
        let cols = self.headers.len() as u16;
        let ws = self.book.worksheet_from_index(self.sheet)?;
        let widths = self.widths.apply(ws, &self.max_width)?;
        // Each row as tall as its most wrapped text.
        let mut lines: Vec<(u32, usize)> = self
            .wraps
            .iter()
            .map(|(row, col, line_widths)| (*row, lines_of(line_widths, widths.get(*col as usize).copied().unwrap_or(8.0))))
            .collect();
        lines.sort_unstable();
        for pair in lines.chunk_by(|a, b| a.0 == b.0) {
            let height = row_height(pair.iter().map(|(_, n)| *n).max().unwrap_or(1));
            match pair[0].0.checked_sub(1) {
                // The header, rust_xlsxwriter's; the rows, to splice.
                None => {
                    if let Some(height) = height {
                        ws.set_row_height(0, height)?;
                    }
                }
                Some(i) => {
                    let i = i as usize;
                    if let Some(chunk) = self.chunks.get_mut(i / CHUNK) {
                        chunk.rows.set_height(i % CHUNK, height);
                    }
                }
            }
        }
        let frozen = self.identifying.map_or(0, |(_, last)| last + 1);
        ws.set_freeze_panes(1, frozen)?;
        ws.autofilter(0, 0, last, cols.saturating_sub(1))?;
        let layout = PrintLayout { repeat_rows: Some((0, 0)), repeat_cols: self.identifying, printed_cols: self.printed_cols, last_row: last, extra_width: 0.0 };
        print_setup(ws, self.page, &widths, &layout)?;
        let chunks = std::mem::take(&mut self.chunks);
        if !chunks.is_empty() {
            self.parts.push(Part::under_header(ws, self.sheet, &self.formats, cols.saturating_sub(1), chunks)?);
        }
        Ok(())
    }

    /// The table's sheets done; their rows, to splice into the saved book.
    pub fn finish(mut self) -> Result<Vec<Part>, XlsxError> {
        self.finish_sheet()?;
        Ok(self.parts)
    }
}

/// What every printed page says besides its sheet: the book's title and period at the top,
/// the sheet and page at the bottom, so a page handed round on its own still says what it is.
pub struct Page {
    header: String,
}

impl Page {
    pub fn new(title: &str, period: &str) -> Page {
        // `&` starts a code in a header; Excel allows 255 characters in all.
        let escape = |s: &str| s.replace('&', "&&");
        let title: String = escape(title).chars().take(120).collect();
        Page { header: format!("&L{title}&R{}", escape(period)) }
    }
}

/// The sheet's name left, the page of the pages right. The sheet's name is Japanese: named
/// in a Japanese font, the footer's line is as tall as its characters (LibreOffice sizes it
/// by the default font's line otherwise, and cuts off their lower part); Excel, without the
/// font, takes its own.
pub const FOOTER: &str = "&L&\"Noto Sans CJK JP\"&A&R&P / &N";

/// A4 landscape, in points, less the margins set below (0.4 in left and right).
const PRINTABLE_WIDTH: f64 = 842.0 - 2.0 * 0.4 * 72.0;
/// The smallest print scale: 11-pt text at 75 % is 8.25 pt on paper, the least a council
/// member should be asked to read. A wider sheet runs over more pages instead.
const MIN_SCALE: f64 = 75.0;
/// The points a line of wrapped 11-pt text takes in a row: a Japanese font's lines are
/// taller than Calibri's 15 pt, so a little more.
const LINE_HEIGHT: f64 = 16.0;
/// Excel's tallest row, in points.
const MAX_ROW_HEIGHT: f64 = 409.0;

/// How a sheet prints: which rows and columns repeat on every page, and which columns are
/// printed at all (the ones after them trace figures to files, for the screen only).
pub struct PrintLayout {
    pub repeat_rows: Option<(u32, u32)>,
    pub repeat_cols: Option<(u16, u16)>,
    /// Columns 0 .. printed_cols print; None prints every column.
    pub printed_cols: Option<u16>,
    pub last_row: u32,
    /// Points the sheet's content is wide, when it is not its columns (a chart beside a table).
    pub extra_width: f64,
}

/// A4 landscape at the largest scale up to 100 % that fits the printed columns on a page's
/// width, but never under [`MIN_SCALE`]; the book's header and a footer with sheet and page.
pub fn print_setup(ws: &mut Worksheet, page: &Page, widths: &[f64], layout: &PrintLayout) -> Result<(), XlsxError> {
    ws.set_paper_size(9); // A4
    ws.set_landscape();
    // Header and footer 0.3 in from the edge, with 0.45 in for their line before the cells.
    ws.set_margins(0.4, 0.4, 0.75, 0.75, 0.3, 0.3);
    let printed = layout.printed_cols.map_or(widths.len(), |n| (n as usize).min(widths.len()));
    let wide: f64 = widths[..printed].iter().map(|w| column_points(*w)).sum::<f64>() + layout.extra_width;
    // A little room to spare: LibreOffice and Excel measure a column a few pixels apart.
    let scale = (PRINTABLE_WIDTH * 0.94 / wide.max(1.0) * 100.0).floor().clamp(MIN_SCALE, 100.0);
    ws.set_print_scale(scale as u16);
    // A row that runs over two pages goes on on the very next page: over, then down.
    ws.set_page_order(false);
    ws.set_header(&page.header);
    ws.set_footer(FOOTER);
    if let Some((first, last)) = layout.repeat_rows {
        ws.set_repeat_rows(first, last)?;
    }
    if let Some((first, last)) = layout.repeat_cols {
        ws.set_repeat_columns(first, last)?;
    }
    if let Some(n) = layout.printed_cols.filter(|n| (*n as usize) < widths.len() && *n > 0) {
        ws.set_print_area(0, 0, layout.last_row, n - 1)?;
    }
    Ok(())
}

/// Points a column `width` characters wide takes, as Excel lays out Calibri 11: 7 pixels a
/// character and 5 of padding, 0.75 point a pixel.
fn column_points(width: f64) -> f64 {
    let pixels = if width < 1.0 { width * 12.0 } else { width * 7.0 + 5.0 };
    pixels * 0.75
}

/// How many lines a text takes when wrapped in a column `width` characters wide. Measured
/// wider than [`text_width`] (a Japanese character as 2.2, other characters as 1.1), and
/// each line is allowed a character less than the column, because wrapping breaks Latin
/// text at spaces and a line rarely fills: a row too tall costs a little paper, a row too
/// short cuts off the text a council member reads.
pub fn lines_in(text: &str, width: f64) -> usize {
    lines_of(&line_widths(text), width)
}

/// The width of each line of a text, as [`lines_in`] measures it.
pub fn line_widths(text: &str) -> Vec<f32> {
    text.lines().map(|line| line.chars().map(|c| if c.is_ascii() { 1.1 } else { 2.2 }).sum()).collect()
}

/// How many lines text of these line widths takes in a column `width` characters wide.
pub fn lines_of(line_widths: &[f32], width: f64) -> usize {
    let room = (width - 1.0).max(1.0);
    line_widths.iter().map(|w| ((f64::from(*w) / room).ceil() as usize).max(1)).sum::<usize>().max(1)
}

/// The height of a row whose tallest cell takes `lines` lines; None for one line, which
/// the sheet's default height holds.
pub fn row_height(lines: usize) -> Option<f64> {
    (lines > 1).then(|| (lines as f64 * LINE_HEIGHT + 2.0).min(MAX_ROW_HEIGHT))
}

#[cfg(test)]
mod tests {
    use super::{cell_text, Page, Table};
    use crate::book::styles::Styles;
    use crate::workbook::{self, Limits};

    #[test]
    fn a_table_past_a_sheets_rows_goes_on_on_the_next_sheet_with_its_header() {
        let styles = Styles::new();
        let mut book = rust_xlsxwriter::Workbook::new();
        let page = Page::new("題", "期");
        let mut t = Table::with_rows_per_sheet(&mut book, &styles, &page, "問題一覧", &["ファイル", "件"], |_| 30.0, 3).expect("table");
        for i in 0..7 {
            t.text(0, &format!("f{i}")).expect("text");
            t.number(1, i as f64).expect("number");
            t.next();
        }
        let parts = t.finish().expect("finish");
        let bytes = crate::book::splice::splice(&book.save_to_buffer().expect("saved"), &parts).expect("spliced");
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
    fn a_cell_a_row_leaves_out_still_has_its_border() {
        let styles = Styles::new();
        let mut book = rust_xlsxwriter::Workbook::new();
        let page = Page::new("題", "期");
        let mut t = Table::new(&mut book, &styles, &page, "未提出", &["担当課", "ファイル", "依頼すること"], |_| 30.0).expect("table");
        t.text(0, "環境課").expect("text");
        t.text(2, "提出を依頼").expect("text");
        t.next();
        let parts = t.finish().expect("finish");
        let bytes = crate::book::splice::splice(&book.save_to_buffer().expect("saved"), &parts).expect("spliced");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a package");
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet1.xml").expect("the sheet"), &mut xml).expect("XML");
        let style = |cell: &str| {
            let at = xml.find(&format!("<c r=\"{cell}\"")).unwrap_or_else(|| panic!("no {cell} in {xml}"));
            xml[at..].split('"').nth(3).map(str::to_string)
        };
        // B2, left out, has the format (the border) A2 and C2 have.
        assert_eq!(style("B2"), style("A2"));
        assert_eq!(style("C2"), style("A2"));
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
