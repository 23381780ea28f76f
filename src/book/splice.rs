//! 進捗一覧's rows as sheet XML, spliced into the package rust_xlsxwriter saved.
//!
//! rust_xlsxwriter takes a sheet's cells one at a time on one thread and deflates the
//! package on one thread: for 60,000 rows that was 0.8 s of a 1.4 s run, and all of a rerun
//! after one file changed. Here the rows are serialized and deflated on every core, a piece
//! at a time: each piece but the last ends on a byte boundary (a sync flush), so the pieces
//! joined are one deflate stream, as pigz makes them. The rest of the book stays rust_xlsxwriter's: it
//! writes each part of 進捗一覧 as a frame (header, columns, print set-up, autofilter and
//! the rule that draws the borders, all over the rows to come) with one probe row in place
//! of the rows: a blank cell in each format the rows use, so that the saved package says
//! which style index each format was given. Then the probe row is replaced by the rows,
//! their strings are added to the shared strings (a string already there is used again),
//! and the package is written again, its other parts copied as they were deflated.
//!
//! The XML is what rust_xlsxwriter writes for the same cells: `<c r="A2" s="3" t="s">`,
//! numbers in their shortest form (zmij), row heights as `ht` with `customHeight`.

use std::io::{Cursor, Read, Write};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use flate2::{Compress, Compression, FlushCompress, Status};
use rust_xlsxwriter::{Format, Worksheet, XlsxError};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use crate::model::CellRef;

/// The deflate level of every part of the book. At level 6 (the default) deflating took a
/// quarter of a 1,000-file run; level 2 (zlib-rs's fast strategy, no lazy matches) is over
/// twice as fast for a book about 20 % larger. Fixed, so the bytes stay the same.
pub const ZIP_LEVEL: i64 = 2;

/// Chunks serialized and deflated together, as one piece: 2,048 rows, some 1.6 MB of XML,
/// enough that starting without the pieces before costs the deflater next to nothing.
const PIECE: usize = 2;

/// Rows to splice, rendered together, and their strings.
#[derive(Default)]
pub struct Chunk {
    pub strings: Strings,
    pub rows: Rows,
}

/// The strings of a chunk's rows, each once, numbered in order of first use.
#[derive(Default)]
pub struct Strings {
    ids: FxHashMap<Box<str>, u32>,
    /// Cells that refer to a string: the shared strings' `count`.
    uses: u64,
}

impl Strings {
    pub fn id(&mut self, text: &str) -> u32 {
        self.uses += 1;
        if let Some(id) = self.ids.get(text) {
            return *id;
        }
        let id = self.ids.len() as u32;
        self.ids.insert(text.into(), id);
        id
    }

    /// The strings in the order of their numbers.
    fn in_order(&self) -> Vec<&str> {
        let mut list = vec![""; self.ids.len()];
        for (text, id) in &self.ids {
            list[*id as usize] = text;
        }
        list
    }
}

/// A cell of a spliced row: its column, the probe slot of its format, and a number or a
/// string of [`Strings`].
#[derive(Clone, Copy)]
pub struct Cell {
    pub col: u16,
    pub slot: u8,
    pub value: Value,
}

#[derive(Clone, Copy)]
pub enum Value {
    Number(f64),
    Text(u32),
    /// No value, only the format (a table's border): rust_xlsxwriter's blank cell, and
    /// what it makes of an empty text with a format.
    Blank,
}

/// Rows of a sheet, their cells one after another.
#[derive(Default)]
pub struct Rows {
    cells: Vec<Packed>,
    /// Where each row's cells end in `cells`, and its height when not the default.
    ends: Vec<(usize, Option<f64>)>,
}

/// A [`Cell`] in 16 bytes rather than 24: the book's rows are held until it is saved,
/// 12 million cells at 10,000 files.
#[derive(Clone, Copy)]
struct Packed {
    /// The number's bits, or the string's number.
    value: u64,
    col: u16,
    slot: u8,
    kind: Kind,
}

#[derive(Clone, Copy)]
enum Kind {
    Number,
    Text,
    Blank,
}

impl Packed {
    fn value(&self) -> Value {
        match self.kind {
            Kind::Number => Value::Number(f64::from_bits(self.value)),
            Kind::Text => Value::Text(self.value as u32),
            Kind::Blank => Value::Blank,
        }
    }
}

impl Rows {
    pub fn push(&mut self, cells: impl IntoIterator<Item = Cell>, height: Option<f64>) {
        self.cells.extend(cells.into_iter().map(|Cell { col, slot, value }| {
            let (value, kind) = match value {
                Value::Number(n) => (n.to_bits(), Kind::Number),
                Value::Text(id) => (u64::from(id), Kind::Text),
                Value::Blank => (0, Kind::Blank),
            };
            Packed { value, col, slot, kind }
        }));
        self.ends.push((self.cells.len(), height));
    }

    /// Set the height of row `i` (from 0), once the widths its texts wrap in are known.
    pub fn set_height(&mut self, i: usize, height: Option<f64>) {
        if let Some(row) = self.ends.get_mut(i) {
            row.1 = height;
        }
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    fn row(&self, i: usize) -> (&[Packed], Option<f64>) {
        let start = if i == 0 { 0 } else { self.ends[i - 1].0 };
        let (end, height) = self.ends[i];
        (&self.cells[start..end], height)
    }
}

/// A sheet whose rows are spliced in: the worksheet's index in the book (from 0), how many
/// formats its probe row has, its last column, and the rows.
pub struct Part {
    sheet: usize,
    probes: usize,
    last_col: u16,
    chunks: Vec<Chunk>,
}

/// The row (from 0) of every part's probe, where its rows start: the one under its header.
const PROBE_ROW: u32 = 1;

impl Part {
    /// The rows `chunks` of the book's sheet `sheet` (`ws`), under its header: the probe
    /// row written in their place, a blank cell in each of `formats`, the formats the rows'
    /// cells take by their slots. Once saved, it says each format's style index.
    pub fn under_header(ws: &mut Worksheet, sheet: usize, formats: &[&Format], last_col: u16, chunks: Vec<Chunk>) -> Result<Part, XlsxError> {
        for (col, format) in formats.iter().enumerate() {
            ws.write_blank(PROBE_ROW, col as u16, format)?;
        }
        Ok(Part { sheet, probes: formats.len(), last_col, chunks })
    }
}

/// The package `book` with each part's rows in place of its probe row.
pub fn splice(book: &[u8], parts: &[Part]) -> Result<Vec<u8>, String> {
    if parts.is_empty() {
        return Ok(book.to_vec());
    }
    let mut zip = ZipArchive::new(Cursor::new(book)).map_err(|e| e.to_string())?;
    let shared = read_part(&mut zip, SHARED_STRINGS)?;
    let chunks: Vec<&Strings> = parts.iter().flat_map(|p| p.chunks.iter().map(|c| &c.strings)).collect();
    let (shared, mut ids) = add_strings(&shared, &chunks)?;
    // Each part replaced, by name: the shared strings to deflate, the sheets deflated
    // already, each in an archive of its own.
    let mut replaced: Vec<(String, Replacement)> = vec![(SHARED_STRINGS.to_string(), Replacement::Xml(shared.into_bytes()))];
    for part in parts {
        let name = format!("xl/worksheets/sheet{}.xml", part.sheet + 1);
        let xml = read_part(&mut zip, &name)?;
        let rest = ids.split_off(part.chunks.len().min(ids.len()));
        let deflated = sheet(&name, &xml, part, &ids).map_err(|e| format!("{name}: {e}"))?;
        replaced.push((name, Replacement::Deflated(deflated)));
        ids = rest;
    }
    let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(book.len() + book.len() / 4)));
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| e.to_string())?;
        let name = entry.name().map_err(|e| e.to_string())?.into_owned();
        let Some(at) = replaced.iter().position(|(n, _)| *n == name) else {
            out.raw_copy_file(entry).map_err(|e| e.to_string())?;
            continue;
        };
        drop(entry);
        match replaced.swap_remove(at) {
            (name, Replacement::Xml(bytes)) => {
                out.start_file(name, options()).map_err(|e| e.to_string())?;
                out.write_all(&bytes).map_err(|e| e.to_string())?;
            }
            (_, Replacement::Deflated(archive)) => {
                let mut one = ZipArchive::new(Cursor::new(archive)).map_err(|e| e.to_string())?;
                out.raw_copy_file(one.by_index_raw(0).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
            }
        }
    }
    Ok(out.finish().map_err(|e| e.to_string())?.into_inner())
}

/// What a part of the book is replaced with.
enum Replacement {
    /// XML, deflated as it is written into the book.
    Xml(Vec<u8>),
    /// An archive of the one part, deflated already.
    Deflated(Vec<u8>),
}

const SHARED_STRINGS: &str = "xl/sharedStrings.xml";

/// rust_xlsxwriter's options for its parts.
fn options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(ZIP_LEVEL))
        .unix_permissions(0o600)
        .last_modified_time(DateTime::default())
}

fn read_part(zip: &mut ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<String, String> {
    let mut text = String::new();
    zip.by_name(name).map_err(|e| format!("{name}: {e}"))?.read_to_string(&mut text).map_err(|e| format!("{name}: {e}"))?;
    Ok(text)
}

/// The shared strings with each chunk's strings added, and for each chunk the index each
/// of its strings has there: a string already shared is used again.
fn add_strings(xml: &str, chunks: &[&Strings]) -> Result<(String, Vec<Vec<u32>>), String> {
    let open = xml.find("<sst").ok_or("no <sst> in the shared strings")?;
    let open_end = open + xml[open..].find('>').ok_or("<sst> not closed")? + 1;
    let close = xml.rfind("</sst>").ok_or("no </sst> in the shared strings")?;
    let attribute = |name: &str| -> Result<u64, String> {
        let tag = &xml[open..open_end];
        let at = tag.find(&format!(" {name}=\"")).ok_or(format!("no {name} in <sst>"))? + name.len() + 3;
        let end = at + tag[at..].find('"').ok_or("<sst> cut short")?;
        tag[at..end].parse().map_err(|e| format!("{name}: {e}"))
    };
    // Each string as its <si> is written, and its index.
    let mut known: FxHashMap<String, u32> = FxHashMap::default();
    let mut rest = &xml[open_end..close];
    while let Some(start) = rest.find("<si>") {
        let end = start + rest[start..].find("</si>").ok_or("<si> not closed")? + "</si>".len();
        let index = known.len() as u32;
        known.entry(rest[start..end].to_string()).or_insert(index);
        rest = &rest[end..];
    }
    let mut unique = attribute("uniqueCount")? as u32;
    let count = attribute("count")? + chunks.iter().map(|s| s.uses).sum::<u64>();
    let mut added = String::new();
    let mut si = String::new();
    let ids = chunks
        .iter()
        .map(|strings| {
            strings
                .in_order()
                .into_iter()
                .map(|text| {
                    si.clear();
                    write_si(&mut si, text);
                    if let Some(index) = known.get(si.as_str()) {
                        return *index;
                    }
                    added.push_str(&si);
                    known.insert(si.clone(), unique);
                    unique += 1;
                    unique - 1
                })
                .collect()
        })
        .collect();
    let mut out = String::with_capacity(xml.len() + added.len() + 64);
    out.push_str(&xml[..open]);
    out.push_str(&format!(r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{count}" uniqueCount="{unique}">"#));
    out.push_str(&xml[open_end..close]);
    out.push_str(&added);
    out.push_str(&xml[close..]);
    Ok((out, ids))
}

/// A string as rust_xlsxwriter writes it in the shared strings.
fn write_si(out: &mut String, text: &str) {
    let preserve = text.starts_with([' ', '\t', '\n']) || text.ends_with([' ', '\t', '\n']);
    out.push_str(if preserve { r#"<si><t xml:space="preserve">"# } else { "<si><t>" });
    escape(out, text);
    out.push_str("</t></si>");
}

/// XML character data: markup escaped, the control characters XML cannot hold written as
/// Excel writes them, `_x0001_`, and so the underscore of a text that looks like one
/// (`_x0041_` stays that, not "A"), which rust_xlsxwriter leaves as it is.
fn escape(out: &mut String, text: &str) {
    for (at, c) in text.char_indices() {
        match c {
            '_' if looks_escaped(&text.as_bytes()[at..]) => out.push_str("_x005F_"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push_str(&format!("_x{:04X}_", c as u32)),
            c => out.push(c),
        }
    }
}

/// Whether `bytes` start as an escaped character does, `_xHHHH_`.
fn looks_escaped(bytes: &[u8]) -> bool {
    bytes.len() >= 7 && bytes[1] == b'x' && bytes[2..6].iter().all(u8::is_ascii_hexdigit) && bytes[6] == b'_'
}

/// A part's sheet XML with its rows, deflated, as an archive of that one part. `ids` gives
/// each chunk's strings' indices in the shared strings.
fn sheet(name: &str, xml: &str, part: &Part, ids: &[Vec<u32>]) -> Result<Vec<u8>, String> {
    let probe = format!("<row r=\"{}\"", PROBE_ROW + 1);
    let start = xml.find(&probe).ok_or("no probe row")?;
    let end = start + xml[start..].find("</row>").ok_or("probe row not closed")? + "</row>".len();
    let styles = probe_styles(&xml[start..end]);
    if styles.len() != part.probes {
        return Err(format!("{} formats in the probe row, {} expected", styles.len(), part.probes));
    }
    // The row each chunk starts at, as Excel numbers rows.
    let mut first = Vec::with_capacity(part.chunks.len());
    let mut next = PROBE_ROW + 1;
    for chunk in &part.chunks {
        first.push(next);
        next += chunk.rows.len() as u32;
    }
    let last_row = next - 1;
    let head = with_dimension(&xml[..start], &format!("A1:{}{}", CellRef::column_name(u32::from(part.last_col)), last_row.max(PROBE_ROW)))?;
    let columns: Vec<String> = (0..=u32::from(part.last_col)).map(CellRef::column_name).collect();
    let serialize = |chunks: std::ops::Range<usize>| -> Vec<u8> {
        let mut out = Vec::with_capacity(chunks.len() * CHUNK_BYTES);
        for c in chunks {
            let rows = &part.chunks[c].rows;
            for i in 0..rows.len() {
                let (cells, height) = rows.row(i);
                write_row(&mut out, first[c] + i as u32, cells, height, &styles, &columns, &ids[c]);
            }
        }
        out
    };

    // The head, the rows a piece at a time, the tail: deflated on every core, in order.
    let groups = part.chunks.len().div_ceil(PIECE);
    let pieces: Vec<Result<Deflated, String>> = (0..groups + 2)
        .into_par_iter()
        .map(|piece| {
            let serialized;
            let xml: &[u8] = match piece {
                0 => head.as_bytes(),
                p if p <= groups => {
                    serialized = serialize((p - 1) * PIECE..(p * PIECE).min(part.chunks.len()));
                    &serialized
                }
                _ => &xml.as_bytes()[end..],
            };
            let mut crc = crc32fast::Hasher::new();
            crc.update(xml);
            Ok((deflate(xml, piece == groups + 1).map_err(|e| e.to_string())?, crc, xml.len() as u64))
        })
        .collect();
    let mut crc = crc32fast::Hasher::new();
    let mut size = 0u64;
    let mut deflated = Vec::new();
    for piece in pieces {
        let (bytes, piece_crc, len) = piece?;
        crc.combine(&piece_crc);
        size += len;
        deflated.push(bytes);
    }
    one_part_archive(name, &deflated, crc.finalize(), size).ok_or_else(|| "進捗一覧 is past 4 GiB of XML".to_string())
}

/// A piece of a part deflated, the CRC-32 of its XML, and the XML's length.
type Deflated = (Vec<u8>, crc32fast::Hasher, u64);

/// XML bytes of a chunk of rows, about: what to make room for.
const CHUNK_BYTES: usize = super::progress::CHUNK * 1024;

/// Deflate a piece of a stream: the last finishes it, the others end on a byte boundary.
/// zlib's own loop: called again, with the same flush, until the input is in and there is
/// output room to spare (flate2's writer flushes with no flush after the first call, which
/// leaves a large piece's end inside the deflater).
fn deflate(bytes: &[u8], last: bool) -> Result<Vec<u8>, flate2::CompressError> {
    let mut deflater = Compress::new(Compression::new(ZIP_LEVEL as u32), false);
    let flush = if last { FlushCompress::Finish } else { FlushCompress::Sync };
    let mut out = Vec::with_capacity(bytes.len() / 4 + 1024);
    let mut input = bytes;
    loop {
        if out.capacity() - out.len() < 1024 {
            out.reserve(out.capacity());
        }
        let taken = deflater.total_in();
        let status = deflater.compress_vec(input, &mut out, flush)?;
        input = &input[(deflater.total_in() - taken) as usize..];
        let room = out.len() < out.capacity();
        match status {
            Status::StreamEnd => return Ok(out),
            _ if !last && input.is_empty() && room => return Ok(out),
            _ => {}
        }
    }
}

/// An archive holding one part already deflated, to copy into the book as it is: the zip
/// crate copies an archive's parts, but takes no deflated bytes of its own making. Sizes
/// past 4 GiB would need ZIP64: none is made.
fn one_part_archive(name: &str, deflated: &[Vec<u8>], crc: u32, size: u64) -> Option<Vec<u8>> {
    let compressed = u32::try_from(deflated.iter().map(Vec::len).sum::<usize>()).ok()?;
    let size = u32::try_from(size).ok()?;
    let name_len = u16::try_from(name.len()).ok()?;
    // Version 2.0 (deflate), made on Unix as rust_xlsxwriter's parts say; no flags;
    // deflated; 1980-01-01 00:00, the zip crate's default time, which the book's other
    // parts have.
    let fields = |out: &mut Vec<u8>| {
        for half in [20u16, 0, 8, 0, 0x21] {
            out.extend_from_slice(&half.to_le_bytes());
        }
        for word in [crc, compressed, size] {
            out.extend_from_slice(&word.to_le_bytes());
        }
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
    };
    let mut out = Vec::with_capacity(compressed as usize + 2 * name.len() + 128);
    out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    fields(&mut out);
    out.extend_from_slice(name.as_bytes());
    for piece in deflated {
        out.extend_from_slice(piece);
    }
    let central = u32::try_from(out.len()).ok()?;
    out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    out.extend_from_slice(&(3u16 << 8 | 20).to_le_bytes());
    fields(&mut out);
    // No comment, disk 0, no internal attributes; a file readable by its owner, offset 0.
    for half in [0u16, 0, 0] {
        out.extend_from_slice(&half.to_le_bytes());
    }
    out.extend_from_slice(&(0o100600u32 << 16).to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    let central_len = u32::try_from(out.len()).ok()? - central;
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    for half in [0u16, 0, 1, 1] {
        out.extend_from_slice(&half.to_le_bytes());
    }
    out.extend_from_slice(&central_len.to_le_bytes());
    out.extend_from_slice(&central.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    Some(out)
}

/// The style index of each cell of the probe row, in order (none is index 0).
fn probe_styles(row: &str) -> Vec<u32> {
    row.split("<c ")
        .skip(1)
        .map(|cell| {
            let tag = &cell[..cell.find('>').unwrap_or(cell.len())];
            tag.find(" s=\"").and_then(|at| tag[at + 4..].split('"').next()).and_then(|s| s.parse().ok()).unwrap_or(0)
        })
        .collect()
}

/// The XML before the rows with the sheet's `<dimension>` set to `range`.
fn with_dimension(head: &str, range: &str) -> Result<String, String> {
    let at = head.find("<dimension ref=\"").ok_or("no <dimension>")? + "<dimension ref=\"".len();
    let end = at + head[at..].find('"').ok_or("<dimension> cut short")?;
    Ok(format!("{}{range}{}", &head[..at], &head[end..]))
}

fn write_row(out: &mut Vec<u8>, r: u32, cells: &[Packed], height: Option<f64>, styles: &[u32], columns: &[String], ids: &[u32]) {
    let mut number = itoa::Buffer::new();
    let mut float = zmij::Buffer::new();
    // As rust_xlsxwriter does, a row with no cells and the default height is left out.
    let pixels = height.map(|h| (h * 4.0 / 3.0).round() as u32).filter(|px| *px != 20);
    if cells.is_empty() && pixels.is_none() {
        return;
    }
    let row = itoa::Buffer::new().format(r).to_string();
    out.extend_from_slice(b"<row r=\"");
    out.extend_from_slice(row.as_bytes());
    // As rust_xlsxwriter sets a height: in whole pixels (0.75 pt), none at the default 20.
    if let Some(pixels) = pixels {
        out.extend_from_slice(b"\" ht=\"");
        out.extend_from_slice((f64::from(pixels) * 0.75).to_string().as_bytes());
        out.extend_from_slice(b"\" customHeight=\"1");
    }
    out.extend_from_slice(b"\">");
    for cell in cells {
        let style = styles[cell.slot as usize];
        let value = cell.value();
        // A blank cell without a format is no cell.
        if matches!(value, Value::Blank) && style == 0 {
            continue;
        }
        out.extend_from_slice(b"<c r=\"");
        out.extend_from_slice(columns[cell.col as usize].as_bytes());
        out.extend_from_slice(row.as_bytes());
        if style != 0 {
            out.extend_from_slice(b"\" s=\"");
            out.extend_from_slice(number.format(style).as_bytes());
        }
        match value {
            Value::Text(id) => {
                out.extend_from_slice(b"\" t=\"s\"><v>");
                out.extend_from_slice(number.format(ids[id as usize]).as_bytes());
                out.extend_from_slice(b"</v></c>");
            }
            Value::Number(n) => {
                out.extend_from_slice(b"\"><v>");
                out.extend_from_slice(float.format_finite(n).as_bytes());
                out.extend_from_slice(b"</v></c>");
            }
            Value::Blank => out.extend_from_slice(b"\"/>"),
        }
    }
    out.extend_from_slice(b"</row>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_already_shared_are_used_again() {
        let shared = r#"<?xml version="1.0"?><sst xmlns="x" count="3" uniqueCount="2"><si><t>担当課</t></si><si><t xml:space="preserve"> a</t></si></sst>"#;
        let mut strings = Strings::default();
        let ids: Vec<u32> = ["新規", "担当課", " a", "a&b<\u{1}", "新規"].into_iter().map(|s| strings.id(s)).collect();
        assert_eq!(ids, [0, 1, 2, 3, 0]);
        let mut other = Strings::default();
        other.id("新規");
        other.id("別");
        let (xml, index) = add_strings(shared, &[&strings, &other]).unwrap();
        assert_eq!(index, [vec![2, 0, 1, 3], vec![2, 4]]);
        assert!(xml.contains(r#"count="10" uniqueCount="5""#), "{xml}");
        assert!(xml.ends_with("<si><t>新規</t></si><si><t>a&amp;b&lt;_x0001_</t></si><si><t>別</t></si></sst>"), "{xml}");
    }

    #[test]
    fn pieces_deflated_apart_are_one_part() {
        let text: Vec<u8> = (0..200_000u32).flat_map(|i| format!("<row r=\"{i}\"><c><v>{}</v></c></row>", i % 977).into_bytes()).collect();
        let pieces: Vec<&[u8]> = text.chunks(300_000).collect();
        let deflated: Vec<Vec<u8>> = pieces.iter().enumerate().map(|(i, p)| deflate(p, i + 1 == pieces.len()).unwrap()).collect();
        let mut crc = crc32fast::Hasher::new();
        for piece in &pieces {
            let mut h = crc32fast::Hasher::new();
            h.update(piece);
            crc.combine(&h);
        }
        let archive = one_part_archive("xl/worksheets/sheet2.xml", &deflated, crc.finalize(), text.len() as u64).unwrap();
        let mut zip = ZipArchive::new(Cursor::new(archive)).unwrap();
        let mut read = Vec::new();
        // Reading checks the CRC-32 too.
        zip.by_name("xl/worksheets/sheet2.xml").unwrap().read_to_end(&mut read).unwrap();
        assert!(read == text, "the parts joined read back whole");
    }

    #[test]
    fn probe_styles_are_read_in_order() {
        assert_eq!(probe_styles(r#"<row r="2"><c r="A2" s="3"/><c r="B2"/><c r="C2" s="12"/></row>"#), [3, 0, 12]);
    }
}
