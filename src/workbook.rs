//! Reading: bytes of one file → the sheets a person sees, through calamine.
//!
//! Only this module knows calamine. It keeps every cell at the position the user sees
//! (calamine's ranges start at the first used cell, so we re-anchor them at A1), keeps the
//! text a person reads next to the typed value, and turns every way a file can be broken
//! into a [`ReadError`] a person understands. It never touches the file system: it takes
//! bytes, so the caller decides where they come from.

use std::fmt;
use std::io::Cursor;

use calamine::{Data, Dimensions, Ods, Reader, SheetVisible, Xls, Xlsb, Xlsx};

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
            Value::Date(serial) => match crate::normalize::era::serial_to_date(*serial) {
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
            let plain = format!("{:.*}", decimals as usize, value);
            if grouped { group_thousands(&plain) } else { plain }
        }
    }
}

/// Excel's General format: up to ten significant decimals, no trailing zeros.
fn general(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        return format!("{value:.0}");
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

#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub visible: bool,
    /// Rows from the sheet's A1, each as wide as the widest used row.
    rows: Vec<Vec<Value>>,
    /// Merged areas as (first row, first col, last row, last col), 0-based from A1.
    /// Empty when the format gives no merge information (ods).
    pub merges: Vec<(u32, u32, u32, u32)>,
    /// Whether `merges` is known; when not, layouts fall back to filling down by rule.
    pub merges_known: bool,
}

impl Sheet {
    /// A visible sheet from rows of values, without merges known (as an ods gives).
    pub fn new(name: &str, rows: Vec<Vec<Value>>) -> Sheet {
        Sheet { name: name.to_string(), visible: true, rows, merges: Vec::new(), merges_known: false }
    }

    pub fn height(&self) -> u32 {
        self.rows.len() as u32
    }

    pub fn width(&self) -> u32 {
        self.rows.iter().map(|r| r.len()).max().unwrap_or(0) as u32
    }

    pub fn get(&self, row: u32, col: u32) -> &Value {
        static EMPTY: Value = Value::Empty;
        self.rows
            .get(row as usize)
            .and_then(|r| r.get(col as usize))
            .unwrap_or(&EMPTY)
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

/// Why a file could not be read as a workbook, in words for the person who sent it.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadError {
    ZeroBytes,
    PasswordProtected,
    Truncated,
    /// A part unpacks to more than the limit: a decompression bomb, or a sheet far larger
    /// than any progress report.
    TooLarge { part: String, limit: u64 },
    /// A sheet whose cells span a block too large to lay out (A1 to XFD1048576).
    TooManyCells { part: String, cells: u64 },
    NotAWorkbook(String),
    Corrupt(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::ZeroBytes => write!(f, "空のファイル (0 バイト) / zero-byte file"),
            ReadError::PasswordProtected => {
                write!(f, "パスワード保護されたブック / password-protected workbook")
            }
            ReadError::Truncated => write!(
                f,
                "途中で切れたファイル (zip の中央ディレクトリがない) / truncated file (zip central directory missing)"
            ),
            ReadError::TooLarge { part, limit } => write!(
                f,
                "展開すると大きすぎる ({part} が {} MB 超) / too large when unpacked: {part} exceeds {} MB (decompression bomb?)",
                limit / (1024 * 1024),
                limit / (1024 * 1024)
            ),
            ReadError::TooManyCells { part, cells } => write!(
                f,
                "シートの範囲が大きすぎる ({part}: 先頭から末尾のセルまで {cells} セル) / too large: the sheet's cells span {cells} cells"
            ),
            ReadError::NotAWorkbook(what) => {
                write!(f, "Excel ブックではない ({what}) / not a workbook")
            }
            ReadError::Corrupt(why) => write!(f, "壊れたブック / corrupt workbook: {why}"),
        }
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Read a workbook from its bytes. The format is decided by content, not by the file
/// name: departments rename files, and a `.xlsx` may be a CSV memo.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Workbook, ReadError> {
    let book = read_any(bytes, limits)?;
    // Every workbook has a sheet; one without any lost its parts (xl/workbook.xml).
    if book.sheets.is_empty() {
        return Err(ReadError::Corrupt("シートが一つもない / the workbook has no sheets".into()));
    }
    Ok(book)
}

fn read_any(bytes: &[u8], limits: &Limits) -> Result<Workbook, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::ZeroBytes);
    }
    if bytes.starts_with(CFB_MAGIC) {
        // An encrypted OOXML file is a compound file holding an EncryptedPackage stream.
        if contains(bytes, &utf16le("EncryptedPackage")) {
            return Err(ReadError::PasswordProtected);
        }
        return read_xls(bytes);
    }
    if bytes.starts_with(ZIP_MAGIC) {
        if !has_zip_directory(bytes) {
            return Err(ReadError::Truncated);
        }
        check_unpacked_sizes(bytes, limits)?;
        if contains(&bytes[..bytes.len().min(512)], b"application/vnd.oasis.opendocument.spreadsheet") {
            return read_ods(bytes);
        }
        if contains(bytes, b"xl/workbook.bin") {
            return read_xlsb(bytes);
        }
        return read_xlsx(bytes);
    }
    Err(ReadError::NotAWorkbook(describe_non_workbook(bytes)))
}

fn read_xlsx(bytes: &[u8]) -> Result<Workbook, ReadError> {
    let mut wb = Xlsx::new(Cursor::new(bytes)).map_err(xlsx_error)?;
    let epoch_shift = if wb.has_1904_epoch() { 1462.0 } else { 0.0 };
    let metas = wb.sheets_metadata().to_vec();
    let mut sheets = Vec::with_capacity(metas.len());
    for meta in metas {
        let range = wb.worksheet_range(&meta.name).map_err(xlsx_error)?;
        // Styles tell which numbers the user sees as percentages; a sheet whose styles
        // cannot be read is still read, only without that knowledge.
        let styles = wb.worksheet_style(&meta.name).ok();
        let format = |row: u32, col: u32| {
            styles
                .as_ref()
                .and_then(|s| s.get((row, col)))
                .and_then(|style| style.number_format.as_ref())
                .map_or(NumberFormat::General, |f| number_format(&f.format_code))
        };
        let rows = anchor(&range, epoch_shift, format);
        let merges = wb
            .merge_cells_by_sheet_name(&meta.name)
            .map_err(xlsx_error)?
            .iter()
            .map(merge_area)
            .collect();
        sheets.push(Sheet {
            name: meta.name.clone(),
            visible: meta.visible == SheetVisible::Visible,
            rows,
            merges,
            merges_known: true,
        });
    }
    Ok(Workbook { sheets })
}

fn read_xls(bytes: &[u8]) -> Result<Workbook, ReadError> {
    let mut wb = Xls::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsError::Password => ReadError::PasswordProtected,
        other => ReadError::Corrupt(other.to_string()),
    })?;
    let epoch_shift = if wb.has_1904_epoch() { 1462.0 } else { 0.0 };
    sheets_without_formats(&mut wb, epoch_shift, |wb, name| {
        wb.merge_cells_by_sheet_name(name).ok().map(|m| m.iter().map(merge_area).collect())
    })
}

fn read_xlsb(bytes: &[u8]) -> Result<Workbook, ReadError> {
    let mut wb = Xlsb::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsbError::Password => ReadError::PasswordProtected,
        other => ReadError::Corrupt(other.to_string()),
    })?;
    sheets_without_formats(&mut wb, 0.0, |_, _| None)
}

fn read_ods(bytes: &[u8]) -> Result<Workbook, ReadError> {
    let mut wb = Ods::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::OdsError::Password => ReadError::PasswordProtected,
        other => ReadError::Corrupt(other.to_string()),
    })?;
    sheets_without_formats(&mut wb, 0.0, |_, _| None)
}

/// The sheets of a reader that gives no number formats (xls, xlsb, ods): a percentage
/// arrives as a bare fraction. `merges` gives a sheet's merged areas where the format
/// has them.
fn sheets_without_formats<RS, R>(
    wb: &mut R,
    epoch_shift: f64,
    merges: impl Fn(&R, &str) -> Option<Vec<(u32, u32, u32, u32)>>,
) -> Result<Workbook, ReadError>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
    R::Error: fmt::Display,
{
    let metas = wb.sheets_metadata().to_vec();
    let mut sheets = Vec::with_capacity(metas.len());
    for meta in metas {
        let range = wb.worksheet_range(&meta.name).map_err(|e| ReadError::Corrupt(e.to_string()))?;
        let merged = merges(wb, &meta.name);
        sheets.push(Sheet {
            name: meta.name.clone(),
            visible: meta.visible == SheetVisible::Visible,
            rows: anchor(&range, epoch_shift, |_, _| NumberFormat::Unknown),
            merges_known: merged.is_some(),
            merges: merged.unwrap_or_default(),
        });
    }
    Ok(Workbook { sheets })
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

/// Copy a calamine range into rows anchored at A1, so that row and column indexes are the
/// ones the user sees.
fn anchor(
    range: &calamine::Range<Data>,
    epoch_shift: f64,
    format: impl Fn(u32, u32) -> NumberFormat,
) -> Vec<Vec<Value>> {
    let Some((r0, c0)) = range.start() else {
        return Vec::new();
    };
    let (height, width) = range.get_size();
    let mut rows = vec![Vec::new(); r0 as usize];
    rows.reserve(height);
    for (i, row) in range.rows().enumerate() {
        let abs_row = r0 + i as u32;
        let mut out = vec![Value::Empty; c0 as usize + width];
        for (j, data) in row.iter().enumerate() {
            let abs_col = c0 + j as u32;
            out[abs_col as usize] = match data {
                Data::Empty => Value::Empty,
                Data::String(s) => Value::Text(s.clone()),
                Data::Int(i) => Value::Number { value: *i as f64, format: format(abs_row, abs_col) },
                // calamine parses "NaN" and "1e999" in a <v>: such a cell is no number.
                Data::Float(f) if !f.is_finite() => Value::Error(format!("{f}")),
                Data::Float(f) => Value::Number { value: *f, format: format(abs_row, abs_col) },
                Data::Bool(b) => Value::Bool(*b),
                Data::DateTime(dt) if dt.is_datetime() => Value::Date(dt.as_f64() + epoch_shift),
                Data::DateTime(dt) => Value::Number { value: dt.as_f64(), format: NumberFormat::General },
                Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Text(s.clone()),
                Data::Error(e) => Value::Error(e.to_string()),
            };
        }
        // Trailing empty cells carry nothing; dropping them keeps huge formatted-but-empty
        // rows cheap.
        while out.last() == Some(&Value::Empty) {
            out.pop();
        }
        rows.push(out);
    }
    while rows.last().is_some_and(|r| r.is_empty()) {
        rows.pop();
    }
    rows
}

/// Unpack every part of a zip, counting, and refuse the file when a part exceeds the
/// limit. The sizes a zip declares may lie, so the parts are inflated (and thrown away)
/// rather than trusted; reading stops at the limit, so the check costs little memory and
/// at most the limit's worth of time per part.
fn check_unpacked_sizes(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::Corrupt(format!("zip: {e}")))?;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| ReadError::Corrupt(format!("zip: {e}")))?;
        let name = part.name().map(|n| n.to_string()).unwrap_or_default();
        let mut counted = std::io::Read::take(&mut part, limits.max_unpacked_bytes + 1);
        let mut xml = Vec::new();
        let unpacked = if name.starts_with("xl/worksheets/") {
            std::io::Read::read_to_end(&mut counted, &mut xml)
        } else {
            std::io::copy(&mut counted, &mut std::io::sink()).map(|n| n as usize)
        }
        .map_err(|e| ReadError::Corrupt(format!("{name}: {e}")))? as u64;
        if unpacked > limits.max_unpacked_bytes {
            return Err(ReadError::TooLarge { part: name, limit: limits.max_unpacked_bytes });
        }
        // calamine lays a sheet out as one dense block from its first cell to its last: two
        // cells at A1 and XFD1048576 would ask for 512 GiB. Bound the block first.
        if let Some(cells) = spanned_cells(&xml) {
            if cells > MAX_SHEET_CELLS {
                return Err(ReadError::TooManyCells { part: name, cells });
            }
        }
    }
    Ok(())
}

/// The most cells a sheet's used block may span (rows × columns between its first and last
/// cell): far beyond any progress report, far below what would exhaust memory.
const MAX_SHEET_CELLS: u64 = 50_000_000;

/// Rows × columns between the first and the last cell reference (`<c r="B7"`) of a sheet.
fn spanned_cells(xml: &[u8]) -> Option<u64> {
    let (mut r0, mut c0, mut r1, mut c1) = (u64::MAX, u64::MAX, 0u64, 0u64);
    let mut found = false;
    for at in xml.windows(6).enumerate().filter(|(_, w)| w == b"<c r=\"").map(|(i, _)| i + 6) {
        let reference = &xml[at..xml.len().min(at + 12)];
        let letters = reference.iter().take_while(|b| b.is_ascii_uppercase()).count();
        let digits = reference[letters..].iter().take_while(|b| b.is_ascii_digit()).count();
        if letters == 0 || digits == 0 {
            continue;
        }
        let col = reference[..letters].iter().fold(0u64, |n, b| n * 26 + u64::from(b - b'A' + 1));
        let row: u64 = std::str::from_utf8(&reference[letters..letters + digits]).ok()?.parse().ok()?;
        (r0, c0, r1, c1) = (r0.min(row), c0.min(col), r1.max(row), c1.max(col));
        found = true;
    }
    found.then(|| (r1 - r0 + 1).saturating_mul(c1 - c0 + 1))
}

/// A zip file ends with its central directory; a file cut short has lost it.
fn has_zip_directory(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(65_557)..];
    contains(tail, b"PK\x05\x06")
}

fn describe_non_workbook(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(4096)];
    if std::str::from_utf8(head).is_ok() || looks_like_shift_jis(head) {
        "テキストファイル / a text file with a spreadsheet's name".to_string()
    } else if head.starts_with(b"%PDF") {
        "PDF".to_string()
    } else {
        "不明な形式 / unknown format".to_string()
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
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(matches!(read(&sjis, &limits).unwrap_err(), ReadError::NotAWorkbook(w) if w.contains("text")));
    }
}
