//! Reading: bytes of one file → the sheets a person sees, through calamine.
//!
//! Only this module knows calamine. It keeps every cell at the position the user sees
//! (calamine's ranges start at the first used cell, so we re-anchor them at A1), keeps the
//! text a person reads next to the typed value, and turns every way a file can be broken
//! into a [`ReadError`] a person understands. It never touches the file system: it takes
//! bytes, so the caller decides where they come from.


use std::io::Cursor;

mod merges;
mod scan;
mod xls_guard;

use std::collections::HashMap;

use calamine::{Data, Dimensions, Ods, Reader, SheetType, SheetVisible, Xls, Xlsb, Xlsx};
use serde::{Deserialize, Serialize};

/// How a number cell is shown (percent, decimals): the plugin API's type, since cells
/// cross the boundary with it.
pub use torimatome_plugin_api::NumberFormat;
use torimatome_plugin_api::CellValue;

/// Read the first section of an Excel format code.
pub fn number_format(code: &str) -> NumberFormat {
    let section = first_section(code);
    if section.eq_ignore_ascii_case("general") || section.is_empty() {
        return NumberFormat::General;
    }
    let decimals = section
        .split_once('.')
        .map(|(_, after)| after.chars().take_while(|c| *c == '0' || *c == '#').count() as u8)
        .unwrap_or(0);
    if section.contains('%') {
        NumberFormat::Percent(decimals)
    } else if section.contains('0') || section.contains('#') {
        NumberFormat::Fixed { decimals, grouped: section.contains(',') }
    } else {
        NumberFormat::General
    }
}

/// The first (positive) section of a format code, without quoted literals or escapes.
fn first_section(code: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    let mut escaped = false;
    for ch in code.chars() {
        match ch {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => break,
            _ if quoted => {}
            other => out.push(other),
        }
    }
    out
}

/// A cell as the reader found it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    /// A number and how its cell's number format shows it.
    Number { value: f64, format: NumberFormat },
    /// A date cell, as an Excel serial in the 1900 date system.
    Date(f64),
    Bool(bool),
    /// A formula error such as #DIV/0!.
    Error(String),
}

impl Value {
    /// The value as it crosses the plugin boundary (the text travels beside it).
    pub fn as_cell_value(&self) -> CellValue {
        match self {
            Value::Empty => CellValue::Empty,
            Value::Text(_) => CellValue::Text,
            Value::Number { value, format } => CellValue::Number { value: *value, format: *format },
            Value::Date(serial) => CellValue::Date(*serial),
            Value::Bool(b) => CellValue::Bool(*b),
            Value::Error(_) => CellValue::Error,
        }
    }

    /// The text a person sees in the cell.
    pub fn display(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(s) => s.clone(),
            Value::Number { value, format } => format_number(*value, *format),
            Value::Date(serial) => match torimatome_ja_core::era::serial_to_date(*serial) {
                Some(d) => format!("{}/{}/{}", d.year, d.month, d.day),
                None => format_number(*serial, NumberFormat::General),
            },
            Value::Bool(true) => "TRUE".to_string(),
            Value::Bool(false) => "FALSE".to_string(),
            Value::Error(e) => e.clone(),
        }
    }
}

fn format_number(value: f64, format: NumberFormat) -> String {
    match format {
        NumberFormat::Unknown | NumberFormat::General => general(value),
        NumberFormat::Percent(decimals) => {
            format!("{:.*}%", decimals as usize, value * 100.0)
        }
        NumberFormat::Fixed { decimals, grouped } => {
            let plain = fixed(value, decimals as usize);
            if grouped { group_thousands(&plain) } else { plain }
        }
    }
}

/// `format!("{:.*}", decimals, value)`, without its exact-decimal machinery for whole
/// numbers, which most cells hold (a twentieth of a run went there).
fn fixed(value: f64, decimals: usize) -> String {
    if value.fract() != 0.0 || value.abs() >= 1e15 {
        return format!("{value:.decimals$}");
    }
    let whole = if value == 0.0 && value.is_sign_negative() { "-0".to_string() } else { (value as i64).to_string() };
    match decimals {
        0 => whole,
        _ => format!("{whole}.{}", "0".repeat(decimals)),
    }
}

/// Excel's General format: up to ten significant decimals, no trailing zeros.
fn general(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        return fixed(value, 0);
    }
    // Below 10^5, half a unit in the last place is under 10^-11, so when the shortest text
    // that reads back as the value has at most ten decimals, it is what `{:.10}` rounds to,
    // without its exact-decimal machinery (a twentieth of reading a file).
    if value.abs() < 1e5 {
        let shortest = value.to_string();
        if shortest.split_once('.').is_some_and(|(_, decimals)| decimals.len() <= 10) {
            return shortest;
        }
    }
    let text = format!("{value:.10}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn group_thousands(plain: &str) -> String {
    let (sign, digits) = plain.strip_prefix('-').map_or(("", plain), |d| ("-", d));
    let (int, frac) = digits.split_once('.').map_or((digits, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// One row of a sheet: its cells from column `first` on, without empty cells at either
/// end. A note in column XFD costs one cell, not 16,384.
#[derive(Debug, Clone, Default)]
struct Row {
    first: u32,
    cells: Vec<Value>,
}

#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub visible: bool,
    /// Rows from the sheet's A1, so that indexes are the ones the user sees.
    rows: Vec<Row>,
    /// Merged areas as (first row, first col, last row, last col), 0-based from A1.
    /// Empty when the file gave no merge information that could be read.
    pub merges: Vec<(u32, u32, u32, u32)>,
    /// Whether `merges` is known; when not, layouts fall back to filling down by rule.
    pub merges_known: bool,
}

impl Sheet {
    /// A visible sheet from rows of values, without merges known.
    pub fn new(name: &str, rows: Vec<Vec<Value>>) -> Sheet {
        let rows = rows.into_iter().map(|cells| Row { first: 0, cells }).collect();
        Sheet { name: name.to_string(), visible: true, rows, merges: Vec::new(), merges_known: false }
    }

    pub fn height(&self) -> u32 {
        self.rows.len() as u32
    }

    pub fn width(&self) -> u32 {
        self.rows.iter().map(|r| r.first + r.cells.len() as u32).max().unwrap_or(0)
    }

    pub fn get(&self, row: u32, col: u32) -> &Value {
        static EMPTY: Value = Value::Empty;
        self.rows
            .get(row as usize)
            .and_then(|r| r.cells.get(col.checked_sub(r.first)? as usize))
            .unwrap_or(&EMPTY)
    }

    /// The cells of a row that hold something, left to right with their columns: what a
    /// scan along a row should walk, rather than every column up to the sheet's width.
    pub fn filled(&self, row: u32) -> impl Iterator<Item = (u32, &Value)> {
        self.rows
            .get(row as usize)
            .into_iter()
            .flat_map(|r| r.cells.iter().enumerate().map(move |(i, v)| (r.first + i as u32, v)))
            .filter(|(_, v)| **v != Value::Empty)
    }

    /// The value a merged cell shows: the value of the merge's top-left cell.
    pub fn merge_origin(&self, row: u32, col: u32) -> Option<(u32, u32)> {
        self.merges
            .iter()
            .find(|&&(r0, c0, r1, c1)| (r0..=r1).contains(&row) && (c0..=c1).contains(&col))
            .map(|&(r0, c0, _, _)| (r0, c0))
    }
}

#[derive(Debug, Clone)]
pub struct Workbook {
    pub sheets: Vec<Sheet>,
    /// How it was opened: 入力ファイル says which files took a password.
    pub opened: Opened,
}

/// Whether a workbook opened as it was, or with a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Opened {
    Plain,
    /// Excel's default password: Excel opens such a file without asking.
    DefaultPassword,
    /// A password the pipeline's passwords file gave.
    Password,
}

/// Bounds on what one file may cost to read, so that no file can take the run down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most any one part of a zipped workbook (a sheet's XML) may unpack to.
    pub max_unpacked_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_unpacked_bytes: 256 * 1024 * 1024 }
    }
}

/// Why a file could not be read as a workbook; its words for the person who sent it are
/// in the catalogue (`messages`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReadError {
    ZeroBytes,
    PasswordProtected,
    Truncated,
    /// A part unpacks to more than the limit: a decompression bomb, or a sheet far larger
    /// than any progress report.
    TooLarge { part: String, limit: u64 },
    /// A sheet with more cells than any progress report, too many to lay out.
    TooManyCells { part: String, cells: u64 },
    /// A cell placed beyond Excel's 1,048,576 rows × 16,384 columns (1-based here).
    BeyondGrid { sheet: String, row: u64, col: u64 },
    NotAWorkbook(NotWorkbook),
    /// An Excel 2.x–4.0 file (BIFF2, 3 or 4), which no reader here reads.
    OldExcel { biff: u8 },
    /// Every workbook has a sheet; one without any lost its parts (xl/workbook.xml).
    NoSheets,
    /// An xls whose compound file's sector chains loop.
    SectorLoop,
    /// What the format's reader said.
    Corrupt(String),
}

/// What a file with a workbook's name holds instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotWorkbook {
    Text,
    Pdf,
    Unknown,
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const ODS_MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";
/// The password Excel encrypts with when a workbook is protected without one of its own
/// (a read-only recommendation, a protected structure): Excel opens it silently.
const DEFAULT_PASSWORD: &str = "VelvetSweatshop";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Read a workbook from its bytes. The format is decided by content, not by the file
/// name: departments rename files, and a `.xlsx` may be a CSV memo.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Workbook, ReadError> {
    read_with_passwords(bytes, limits, &[])
}

/// [`read`], trying these passwords (and Excel's default one) on an encrypted file.
pub fn read_with_passwords(bytes: &[u8], limits: &Limits, passwords: &[&str]) -> Result<Workbook, ReadError> {
    let book = read_any(bytes, limits, passwords)?;
    // Every workbook has a sheet; one without any lost its parts (xl/workbook.xml).
    if book.sheets.is_empty() {
        return Err(ReadError::NoSheets);
    }
    Ok(book)
}

fn read_any(bytes: &[u8], limits: &Limits, passwords: &[&str]) -> Result<Workbook, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::ZeroBytes);
    }
    if bytes.starts_with(CFB_MAGIC) {
        // An encrypted OOXML file is a compound file holding an EncryptedPackage stream.
        // Encrypted with Excel's default password, Excel opens it without asking: so do
        // we; with a password the department told the office, the pipeline gives it.
        if contains(bytes, &utf16le("EncryptedPackage")) {
            let tries = std::iter::once((DEFAULT_PASSWORD, Opened::DefaultPassword)).chain(passwords.iter().map(|p| (*p, Opened::Password)));
            for (password, opened) in tries {
                // The decryptor panics on some malformed headers (an overflow found by
                // fuzzing): that is a file it cannot open, not a failed reading of ours.
                let decrypted = torimatome_plugin_api::quietly(|| office_crypto::decrypt_from_bytes(bytes.to_vec(), password));
                if let Ok(Ok(plain)) = decrypted {
                    if plain.starts_with(ZIP_MAGIC) {
                        return read_any(&plain, limits, &[]).map(|book| Workbook { opened, ..book });
                    }
                }
            }
            return Err(ReadError::PasswordProtected);
        }
        if xls_guard::encrypted(bytes) {
            return Err(ReadError::PasswordProtected);
        }
        // calamine lays out every xls sheet inside `Xls::new`, and a failed allocation
        // aborts: count what it would lay out first.
        if let Some(cells) = xls_guard::largest_layout(bytes) {
            if cells == u64::MAX {
                return Err(ReadError::SectorLoop);
            }
            if cells > MAX_SHEET_CELLS {
                return Err(ReadError::TooManyCells { part: "Workbook".into(), cells });
            }
        }
        return read_xls(bytes);
    }
    if bytes.starts_with(ZIP_MAGIC) {
        if !has_zip_directory(bytes) {
            return Err(ReadError::Truncated);
        }
        let mut unpacked = unpack(bytes, limits)?;
        // The mimetype entry says so; it is usually the zip's first, but need not be.
        if unpacked.ods || contains(&bytes[..bytes.len().min(512)], ODS_MIMETYPE) {
            return read_ods(bytes, unpacked.ods_merges.take());
        }
        if contains(bytes, b"xl/workbook.bin") {
            return read_xlsb(bytes);
        }
        return read_xlsx(bytes, unpacked.merges());
    }
    // Excel 2.x–4.0 wrote a plain stream of BIFF records, starting with its BOF.
    if let [0x09, version @ (0x00 | 0x02 | 0x04), _, 0x00, ..] = bytes {
        return Err(ReadError::OldExcel { biff: version / 2 + 2 });
    }
    Err(ReadError::NotAWorkbook(describe_non_workbook(bytes)))
}

/// `plain_merges`: each sheet's merged areas when `unpack` could read them from the bytes;
/// calamine is asked for the others.
fn read_xlsx(bytes: &[u8], mut plain_merges: HashMap<String, Vec<merges::Area>>) -> Result<Workbook, ReadError> {
    let mut wb = Xlsx::new(Cursor::new(bytes)).map_err(xlsx_error)?;
    let epoch_shift = if wb.has_1904_epoch() { 1462.0 } else { 0.0 };
    let metas = wb.sheets_metadata().to_vec();
    let mut sheets = Vec::with_capacity(metas.len());
    for meta in metas {
        // Chart, macro and dialog sheets hold nothing a layout reads, and their records
        // are not cells: kept as empty sheets (the workbook's sheets as the user sees
        // them), never read, never a reason to refuse the workbook.
        if meta.typ != SheetType::WorkSheet {
            sheets.push(Cells::new(&meta.name).into_sheet(&meta, None)?);
            continue;
        }
        let cells = xlsx_cells(&mut wb, &meta.name, epoch_shift)?;
        let merges = match plain_merges.remove(&meta.name) {
            Some(areas) => areas,
            None => wb.merge_cells_by_sheet_name(&meta.name).map_err(xlsx_error)?.iter().map(merge_area).collect(),
        };
        sheets.push(cells.into_sheet(&meta, Some(merges))?);
    }
    Ok(Workbook { sheets, opened: Opened::Plain })
}

/// A sheet's cells in one pass over its XML, each with the number format its style gives
/// (which numbers the user sees as percentages). calamine's own `worksheet_range` would
/// lay the sheet out as one dense block from its first cell to its last, which two cells
/// at A1 and XFD1048576 turn into a 512 GiB request; we place the cells ourselves.
fn xlsx_cells(wb: &mut Xlsx<Cursor<&[u8]>>, name: &str, epoch_shift: f64) -> Result<Cells, ReadError> {
    let mut reader = match wb.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        // A chart sheet has no cells.
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(Cells::new(name)),
        Err(e) => return Err(xlsx_error(e)),
    };
    // Each style's format code is read once, not once per cell.
    let formats: Vec<NumberFormat> = reader
        .styles()
        .iter()
        .map(|style| style.number_format.as_ref().map_or(NumberFormat::General, |f| number_format(&f.format_code)))
        .collect();
    let mut cells = Cells::new(name);
    while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(xlsx_error)? {
        let format = formats.get(style).copied().unwrap_or(NumberFormat::General);
        cells.push(cell.get_position(), value(cell.get_value().clone().into(), epoch_shift, format))?;
    }
    Ok(cells)
}

fn read_xls(bytes: &[u8]) -> Result<Workbook, ReadError> {
    let mut wb = Xls::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsError::Password => ReadError::PasswordProtected,
        other => ReadError::Corrupt(other.to_string()),
    })?;
    let epoch_shift = if wb.has_1904_epoch() { 1462.0 } else { 0.0 };
    let metas = wb.sheets_metadata().to_vec();
    let mut sheets = Vec::with_capacity(metas.len());
    for meta in metas {
        // Chart, macro and dialog sheets hold nothing a layout reads, and their records
        // are not cells: kept as empty sheets (the workbook's sheets as the user sees
        // them), never read, never a reason to refuse the workbook.
        if meta.typ != SheetType::WorkSheet {
            sheets.push(Cells::new(&meta.name).into_sheet(&meta, None)?);
            continue;
        }
        let range = wb.worksheet_range(&meta.name).map_err(|e| ReadError::Corrupt(e.to_string()))?;
        let merges = wb.merge_cells_by_sheet_name(&meta.name).ok().map(|m| m.iter().map(merge_area).collect());
        sheets.push(range_cells(&meta.name, &range, epoch_shift)?.into_sheet(&meta, merges)?);
    }
    Ok(Workbook { sheets, opened: Opened::Plain })
}

fn read_xlsb(bytes: &[u8]) -> Result<Workbook, ReadError> {
    let corrupt = |e: calamine::XlsbError| match e {
        calamine::XlsbError::Password => ReadError::PasswordProtected,
        other => ReadError::Corrupt(other.to_string()),
    };
    let mut wb = Xlsb::new(Cursor::new(bytes)).map_err(corrupt)?;
    let metas = wb.sheets_metadata().to_vec();
    let mut sheets = Vec::with_capacity(metas.len());
    for meta in metas {
        // Chart, macro and dialog sheets hold nothing a layout reads, and their records
        // are not cells: kept as empty sheets (the workbook's sheets as the user sees
        // them), never read, never a reason to refuse the workbook.
        if meta.typ != SheetType::WorkSheet {
            sheets.push(Cells::new(&meta.name).into_sheet(&meta, None)?);
            continue;
        }
        // As for xlsx: cell by cell, since xlsb positions are as unbounded as xlsx's.
        let mut reader = wb.worksheet_cells_reader(&meta.name).map_err(corrupt)?;
        let mut cells = Cells::new(&meta.name);
        while let Some(cell) = reader.next_cell().map_err(corrupt)? {
            cells.push(cell.get_position(), value(cell.get_value().clone().into(), 0.0, NumberFormat::Unknown))?;
        }
        drop(reader);
        sheets.push(cells.into_sheet(&meta, None)?);
    }
    Ok(Workbook { sheets, opened: Opened::Plain })
}

/// `merges`: each sheet's merged areas, when `unpack` could read them from content.xml
/// (calamine reads none for an ods).
fn read_ods(bytes: &[u8], mut merges: Option<HashMap<String, Vec<merges::Area>>>) -> Result<Workbook, ReadError> {
    let mut wb = Ods::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::OdsError::Password => ReadError::PasswordProtected,
        other => ReadError::Corrupt(other.to_string()),
    })?;
    let metas = wb.sheets_metadata().to_vec();
    let mut sheets = Vec::with_capacity(metas.len());
    for meta in metas {
        // Chart, macro and dialog sheets hold nothing a layout reads, and their records
        // are not cells: kept as empty sheets (the workbook's sheets as the user sees
        // them), never read, never a reason to refuse the workbook.
        if meta.typ != SheetType::WorkSheet {
            sheets.push(Cells::new(&meta.name).into_sheet(&meta, None)?);
            continue;
        }
        let range = wb.worksheet_range(&meta.name).map_err(|e| ReadError::Corrupt(e.to_string()))?;
        let areas = merges.as_mut().and_then(|m| m.remove(&meta.name));
        sheets.push(range_cells(&meta.name, &range, 0.0)?.into_sheet(&meta, areas)?);
    }
    Ok(Workbook { sheets, opened: Opened::Plain })
}

/// The cells of a range calamine laid out itself (xls and ods, whose formats bound it).
/// These readers give no number formats: a percentage arrives as a bare fraction.
fn range_cells(name: &str, range: &calamine::Range<Data>, epoch_shift: f64) -> Result<Cells, ReadError> {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut cells = Cells::new(name);
    for (row, col, data) in range.used_cells() {
        let at = (r0.saturating_add(row as u32), c0.saturating_add(col as u32));
        cells.push(at, value(data.clone(), epoch_shift, NumberFormat::Unknown))?;
    }
    Ok(cells)
}

fn xlsx_error(e: calamine::XlsxError) -> ReadError {
    match e {
        calamine::XlsxError::Password => ReadError::PasswordProtected,
        other => ReadError::Corrupt(other.to_string()),
    }
}

fn merge_area(d: &Dimensions) -> (u32, u32, u32, u32) {
    (d.start.0, d.start.1, d.end.0, d.end.1)
}

/// A cell as calamine gives it → the value torimatome reads.
fn value(data: Data, epoch_shift: f64, format: NumberFormat) -> Value {
    match data {
        Data::Empty => Value::Empty,
        Data::String(s) => Value::Text(s),
        Data::Int(i) => Value::Number { value: i as f64, format },
        // calamine parses "NaN" and "1e999" in a <v>: such a cell is no number.
        Data::Float(f) if !f.is_finite() => Value::Error(format!("{f}")),
        Data::Float(f) => Value::Number { value: f, format },
        Data::Bool(b) => Value::Bool(b),
        Data::DateTime(dt) if dt.is_datetime() => Value::Date(dt.as_f64() + epoch_shift),
        Data::DateTime(dt) => Value::Number { value: dt.as_f64(), format: NumberFormat::General },
        Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Text(s),
        Data::Error(e) => Value::Error(e.to_string()),
    }
}

/// Excel's grid: 1,048,576 rows × 16,384 columns. A position beyond it is no cell Excel
/// could show, only a file written to hurt (calamine accepts rows up to 4·10⁹).
const GRID_ROWS: u32 = 1 << 20;
const GRID_COLS: u32 = 1 << 14;

/// The most cells a sheet may lay out (each row from its first filled cell to its last):
/// far beyond any progress report (a few thousand), and about 400 MB at most.
const MAX_SHEET_CELLS: u64 = 10_000_000;

/// The filled cells of one sheet as they are read, before they are laid out in rows.
struct Cells {
    sheet: String,
    placed: Vec<((u32, u32), Value)>,
}

impl Cells {
    fn new(sheet: &str) -> Cells {
        Cells { sheet: sheet.to_string(), placed: Vec::new() }
    }

    /// Keep a cell, refusing positions beyond Excel's grid and more cells than a sheet may
    /// lay out; an empty cell (formatted, nothing in it) is not kept.
    fn push(&mut self, (row, col): (u32, u32), value: Value) -> Result<(), ReadError> {
        if value == Value::Empty {
            return Ok(());
        }
        if row >= GRID_ROWS || col >= GRID_COLS {
            return Err(ReadError::BeyondGrid { sheet: self.sheet.clone(), row: u64::from(row) + 1, col: u64::from(col) + 1 });
        }
        if self.placed.len() as u64 >= MAX_SHEET_CELLS {
            return Err(self.too_many(self.placed.len() as u64 + 1));
        }
        self.placed.push(((row, col), value));
        Ok(())
    }

    fn too_many(&self, cells: u64) -> ReadError {
        ReadError::TooManyCells { part: self.sheet.clone(), cells }
    }

    /// Lay the cells out in rows from A1. A cell written twice keeps its last value, as
    /// calamine does.
    fn into_sheet(mut self, meta: &calamine::Sheet, merges: Option<Vec<(u32, u32, u32, u32)>>) -> Result<Sheet, ReadError> {
        // Files list cells row by row, so this sort is near linear; stable, so a cell's
        // last occurrence stays last.
        self.placed.sort_by_key(|(at, _)| *at);
        self.placed.dedup_by(|later, earlier| {
            let same = later.0 == earlier.0;
            if same {
                std::mem::swap(later, earlier);
            }
            same
        });
        let laid_out = self.placed.chunk_by(|a, b| a.0 .0 == b.0 .0).map(|row| {
            let (first, last) = (row[0].0 .1, row[row.len() - 1].0 .1);
            u64::from(last - first + 1)
        });
        let cells: u64 = laid_out.sum();
        if cells > MAX_SHEET_CELLS {
            return Err(self.too_many(cells));
        }
        let height = self.placed.last().map_or(0, |((row, _), _)| *row as usize + 1);
        let mut rows = vec![Row::default(); height];
        for ((row, col), value) in self.placed {
            let row = &mut rows[row as usize];
            if row.cells.is_empty() {
                row.first = col;
            }
            let at = (col - row.first) as usize;
            row.cells.resize(at, Value::Empty);
            row.cells.push(value);
        }
        Ok(Sheet {
            name: meta.name.clone(),
            visible: meta.visible == SheetVisible::Visible,
            rows,
            merges_known: merges.is_some(),
            merges: merges.unwrap_or_default(),
        })
    }
}

/// What `unpack` learnt from the parts while it counted them.
#[derive(Default)]
struct Unpacked {
    /// Worksheet part → merged areas; None once a part could not be read plainly.
    part_merges: Option<HashMap<String, Vec<merges::Area>>>,
    /// An ods's sheet name → merged areas, from its content.xml; None when not read plainly.
    ods_merges: Option<HashMap<String, Vec<merges::Area>>>,
    /// The zip's `mimetype` entry names an OpenDocument spreadsheet.
    ods: bool,
    package_rels: Vec<u8>,
    workbook: Vec<u8>,
    workbook_rels: Vec<u8>,
}

impl Unpacked {
    /// Sheet name → merged areas, for the sheets whose parts were read plainly.
    fn merges(self) -> HashMap<String, Vec<merges::Area>> {
        // calamine finds the workbook through the package's relationships; only the
        // usual place is followed here.
        let usual = [&b"Target=\"xl/workbook.xml\""[..], b"Target=\"/xl/workbook.xml\""];
        let (Some(mut part_merges), true) = (self.part_merges, usual.iter().any(|t| contains(&self.package_rels, t))) else {
            return HashMap::new();
        };
        let parts = merges::sheet_parts(&self.workbook, &self.workbook_rels).unwrap_or_default();
        parts.into_iter().filter_map(|(name, part)| Some((name, part_merges.remove(&part)?))).collect()
    }
}

/// Check every part of a zip against the limit, and unpack the parts read here: each
/// sheet's XML, whose merged areas are noted while it is at hand (sparing calamine a
/// second parse of every sheet), and the parts that say which sheet is which. The sizes
/// a zip declares may lie; the zip reader refuses to inflate a part past its declared
/// size, so a part that declares more than the limit is refused, and one that declares
/// less ends in an error wherever it is read. The parts unpacked here are also cut off at
/// the limit, so the check costs little memory and at most the limit's worth of time.
fn unpack(bytes: &[u8], limits: &Limits) -> Result<Unpacked, ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::Corrupt(format!("zip: {e}")))?;
    let mut found = Unpacked { part_merges: Some(HashMap::new()), ..Unpacked::default() };
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| ReadError::Corrupt(format!("zip: {e}")))?;
        let name = part.name().map(|n| n.to_string()).unwrap_or_default();
        if part.size() > limits.max_unpacked_bytes {
            return Err(ReadError::TooLarge { part: name, limit: limits.max_unpacked_bytes });
        }
        let sheet = name.starts_with("xl/worksheets/") && name.ends_with(".xml");
        if name == "mimetype" && part.size() <= 128 {
            let mut kind = Vec::new();
            std::io::Read::read_to_end(&mut std::io::Read::take(&mut part, 128), &mut kind).map_err(|e| ReadError::Corrupt(format!("{name}: {e}")))?;
            found.ods = kind.trim_ascii() == ODS_MIMETYPE;
            continue;
        }
        if !(sheet || matches!(name.as_str(), "content.xml" | "_rels/.rels" | "xl/workbook.xml" | "xl/_rels/workbook.xml.rels")) {
            continue;
        }
        // Room for the declared size and the byte that shows a lie: the inflater then
        // writes in large runs, where growing from empty cost it a third more. At most
        // 16 MB up front, whatever the limit: a declared size is only a claim.
        let mut xml = Vec::with_capacity(part.size().min(16 << 20) as usize + 1);
        let unpacked = std::io::Read::read_to_end(&mut std::io::Read::take(&mut part, limits.max_unpacked_bytes + 1), &mut xml)
            .map_err(|e| ReadError::Corrupt(format!("{name}: {e}")))? as u64;
        if unpacked > limits.max_unpacked_bytes {
            return Err(ReadError::TooLarge { part: name, limit: limits.max_unpacked_bytes });
        }
        match name.as_str() {
            "content.xml" => {
                let cells = ods_repeated_cells(&xml);
                if cells > MAX_SHEET_CELLS {
                    return Err(ReadError::TooManyCells { part: name, cells });
                }
                found.ods_merges = merges::in_ods_content(&xml);
            }
            "_rels/.rels" => found.package_rels = xml,
            "xl/workbook.xml" => found.workbook = xml,
            "xl/_rels/workbook.xml.rels" => found.workbook_rels = xml,
            _ if sheet => match (merges::in_part(&xml), found.part_merges.as_mut()) {
                (Some(areas), Some(all)) => {
                    all.insert(name, areas);
                }
                _ => found.part_merges = None,
            },
            _ => {}
        }
    }
    Ok(found)
}

/// How many cells calamine will store for an ods's rows. A cell may say it repeats up to
/// 16,384 times across its row, so a few bytes of XML become a full row of values; calamine
/// bounds what repeated *rows* expand to, but not the sum over many rows. Counted as
/// calamine reads (the element names spelled exactly so): a row stores its filled cells
/// and the empty ones before them, at most 16,384.
fn ods_repeated_cells(xml: &[u8]) -> u64 {
    const ROW_LIMIT: u64 = 16_384;
    let (mut total, mut row, mut pending) = (0u64, 0u64, 0u64);
    let mut rest = xml;
    while let Some(at) = rest.iter().position(|&b| b == b'<') {
        rest = &rest[at + 1..];
        let tag_end = rest.iter().position(|&b| b == b'>').unwrap_or(rest.len());
        let tag = &rest[..tag_end];
        if tag.starts_with(b"/table:table-row") {
            total += row.min(ROW_LIMIT);
            (row, pending) = (0, 0);
        } else if tag.starts_with(b"table:table-cell") || tag.starts_with(b"table:covered-table-cell") {
            let repeats = repeats(tag, b"table:number-columns-repeated").unwrap_or(1);
            let filled = !tag.ends_with(b"/") || contains(tag, b"office:value");
            if filled {
                row = row.saturating_add(pending).saturating_add(repeats);
                pending = 0;
            } else {
                pending = pending.saturating_add(repeats);
            }
        }
    }
    total
}

/// The number of repeats a cell's start tag states (`name = "123"`, either quote).
fn repeats(tag: &[u8], name: &[u8]) -> Option<u64> {
    let value = scan::attribute(tag, name)?;
    let digits = value.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    // A number too long for u64 is still a number of repeats: as many as can be.
    Some(std::str::from_utf8(&value[..digits]).ok()?.parse().unwrap_or(u64::MAX))
}

/// A zip file ends with its central directory; a file cut short has lost it.
fn has_zip_directory(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(65_557)..];
    contains(tail, b"PK\x05\x06")
}

fn describe_non_workbook(bytes: &[u8]) -> NotWorkbook {
    let head = &bytes[..bytes.len().min(4096)];
    if std::str::from_utf8(head).is_ok() || looks_like_shift_jis(head) {
        NotWorkbook::Text
    } else if head.starts_with(b"%PDF") {
        NotWorkbook::Pdf
    } else {
        NotWorkbook::Unknown
    }
}

/// Shift_JIS text: printable ASCII, line breaks, and valid two-byte sequences only.
fn looks_like_shift_jis(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\t' | b'\n' | b'\r' | 0x20..=0x7E | 0xA1..=0xDF => i += 1,
            0x81..=0x9F | 0xE0..=0xFC => {
                match bytes.get(i + 1) {
                    Some(0x40..=0x7E | 0x80..=0xFC) => i += 2,
                    // A lead byte cut off by the sample window is still text.
                    None => return true,
                    _ => return false,
                }
            }
            _ => return false,
        }
    }
    true
}

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && scan::find(haystack, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzzing (fuzz/README.md, F7): a malformed encrypted package made the
    /// decryptor overflow and panic. It is a file that will not open: said so, no panic.
    #[test]
    fn a_malformed_encrypted_file_is_password_protected_not_a_panic() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/findings/workbook_reader-office-crypto-ole-overflow.bin");
        let bytes = std::fs::read(path).expect("the finding");
        assert!(matches!(read(&bytes, &Limits::default()), Err(ReadError::PasswordProtected)));
    }

    #[test]
    fn numbers_display_as_excel_shows_them() {
        let shown = |value, format| Value::Number { value, format }.display();
        assert_eq!(shown(0.961, NumberFormat::Percent(1)), "96.1%");
        assert_eq!(shown(1.0, NumberFormat::Percent(1)), "100.0%");
        assert_eq!(shown(12000.0, NumberFormat::Fixed { decimals: 0, grouped: true }), "12,000");
        assert_eq!(shown(-1234567.5, NumberFormat::Fixed { decimals: 1, grouped: true }), "-1,234,567.5");
        assert_eq!(shown(352.0, NumberFormat::General), "352");
        assert_eq!(shown(0.1 + 0.2, NumberFormat::Unknown), "0.3");
    }

    #[test]
    fn general_format_takes_the_short_way_only_where_it_agrees() {
        let exact = |v: f64| format!("{v:.10}").trim_end_matches('0').trim_end_matches('.').to_string();
        // Figures as departments write them (a few decimals) and arithmetic results (many).
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for i in 0..200_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let magnitude = 10f64.powi((i % 9) as i32 - 3);
            let mut value = (seed >> 11) as f64 / (1u64 << 53) as f64 * magnitude;
            if i % 3 == 0 {
                let scale = 10f64.powi((i % 5) as i32);
                value = (value * scale).round() / scale;
            }
            if i % 2 == 0 {
                value = -value;
            }
            assert_eq!(general(value), exact(value), "{value:e}");
        }
    }

    #[test]
    fn whole_numbers_show_as_the_standard_formatter_shows_them() {
        for value in [0.0, -0.0, 1.0, -7.0, 12_000.0, 999_999_999_999_999.0, -123_456_789_012.0, 1e15, 2.5e20] {
            for decimals in 0..4 {
                assert_eq!(fixed(value, decimals), format!("{value:.decimals$}"), "{value} with {decimals}");
            }
        }
    }

    #[test]
    fn number_formats() {
        assert_eq!(number_format("0.0%"), NumberFormat::Percent(1));
        assert_eq!(number_format("0%"), NumberFormat::Percent(0));
        assert_eq!(number_format("#,##0"), NumberFormat::Fixed { decimals: 0, grouped: true });
        assert_eq!(number_format("0.00"), NumberFormat::Fixed { decimals: 2, grouped: false });
        assert_eq!(number_format("0\"%\""), NumberFormat::Fixed { decimals: 0, grouped: false });
        assert_eq!(number_format("General"), NumberFormat::General);
        assert_eq!(number_format("#,##0;[Red]-#,##0"), NumberFormat::Fixed { decimals: 0, grouped: true });
    }

    #[test]
    fn broken_files_say_why() {
        let limits = Limits::default();
        assert_eq!(read(b"", &limits).unwrap_err(), ReadError::ZeroBytes);
        assert_eq!(read(b"PK\x03\x04 cut here", &limits).unwrap_err(), ReadError::Truncated);
        let sjis = [0x83, 0x81, 0x83, 0x82, b'\r', b'\n', b'a', b',', b'b'];
        assert!(matches!(read(&sjis, &limits).unwrap_err(), ReadError::NotAWorkbook(NotWorkbook::Text)));
    }

    #[test]
    fn ods_cells_are_counted_as_calamine_stores_them() {
        let row = |cells: &str| format!("<table:table-row>{cells}</table:table-row>");
        // LibreOffice ends each row with one empty cell repeated to the sheet's edge: free.
        let trailing = row(r#"<table:table-cell office:value-type="float" office:value="1"/><table:table-cell table:number-columns-repeated="1023"/>"#);
        assert_eq!(ods_repeated_cells(trailing.as_bytes()), 1);
        // Empty cells before a filled one are stored; a row stores at most 16,384.
        let gap = row(r#"<table:table-cell table:number-columns-repeated = '9'/><table:table-cell><text:p>x</text:p></table:table-cell>"#);
        assert_eq!(ods_repeated_cells(gap.as_bytes()), 10);
        let wide = row(r#"<table:table-cell table:number-columns-repeated="99999999999999999999999" office:value-type="float" office:value="1"/>"#);
        assert_eq!(ods_repeated_cells(wide.repeat(3).as_bytes()), 3 * 16_384);
    }

    /// A 20 KB ods whose rows each repeat a number across all 16,384 columns would make
    /// calamine store 16 million values per thousand rows: refused before it is read.
    #[test]
    fn an_ods_repeat_bomb_is_refused() {
        let row = r#"<table:table-row><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>"#;
        let content = format!(
            r#"<?xml version="1.0"?><office:document-content><office:body><office:spreadsheet><table:table table:name="S">{}</table:table></office:spreadsheet></office:body></office:document-content>"#,
            row.repeat(1_000)
        );
        let mut bytes = Vec::new();
        {
            let mut zip = zip::ZipWriter::new(Cursor::new(&mut bytes));
            let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
            zip.start_file("mimetype", stored).expect("zip");
            std::io::Write::write_all(&mut zip, b"application/vnd.oasis.opendocument.spreadsheet").expect("zip");
            zip.start_file("content.xml", zip::write::SimpleFileOptions::default()).expect("zip");
            std::io::Write::write_all(&mut zip, content.as_bytes()).expect("zip");
            zip.finish().expect("zip");
        }
        assert!(bytes.len() < 20_000, "{} bytes", bytes.len());
        let err = read(&bytes, &Limits::default()).unwrap_err();
        assert!(matches!(err, ReadError::TooManyCells { cells: 16_384_000, .. }), "{err:?}");
    }

    /// The merged areas read from the bytes are the ones calamine reads, on every xlsx the
    /// project has: made by Excel, LibreOffice, openpyxl and others, odd ones included.
    #[test]
    fn merges_read_from_the_bytes_are_calamines() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        let mut dirs = vec![root.join("fixtures"), root.join("../shared/samples")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "xlsx" || e == "xlsm") {
                    files.push(path);
                }
            }
        }
        let (mut compared, mut plain) = (0, 0);
        for path in &files {
            let bytes = std::fs::read(path).expect("file");
            let Ok(unpacked) = unpack(&bytes, &Limits::default()) else { continue };
            let Ok(mut wb) = Xlsx::new(Cursor::new(&bytes[..])) else { continue };
            let found = unpacked.merges();
            for name in wb.sheet_names() {
                let Some(ours) = found.get(&name) else { continue };
                // A sheet calamine cannot parse fails in its cell reader too.
                let Ok(theirs) = wb.merge_cells_by_sheet_name(&name) else { continue };
                let theirs: Vec<_> = theirs.iter().map(merge_area).collect();
                assert_eq!(ours, &theirs, "{} / {name}", path.display());
                compared += 1;
                plain += usize::from(!ours.is_empty());
            }
        }
        assert!(compared > 40 && plain > 20, "{compared} sheets compared, {plain} with merges");
    }
}
