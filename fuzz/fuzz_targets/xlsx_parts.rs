//! `torimatome::workbook::read` on xlsx files whose parts come from the fuzz bytes.
//!
//! `workbook_reader` mutates whole files, and a mutated zip almost never survives the CRC
//! check that `workbook::read` makes of every part before calamine sees it: that target
//! reaches the xls (compound file) reader and the zip container, hardly the XML. Here the
//! fuzz bytes are the XML itself, split at NUL bytes into the sheet, the shared strings and
//! the styles; they are zipped (stored, valid CRCs) around a fixed workbook skeleton.
//! Seeds: fuzz/seeds/xlsx_parts (the parts of the sample workbooks, joined by NUL).
#![no_main]

use std::io::{Cursor, Write};

use libfuzzer_sys::fuzz_target;
use torimatome::workbook::{self, Limits, Value};
use zip::write::SimpleFileOptions;

/// The workbook skeleton; the sheet, shared strings and styles come from the input.
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="進捗報告" sheetId="1" r:id="rId1"/></sheets></workbook>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

const SPREADSHEETML: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml";
const RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// `XLSX_PARTS_STATS=1` prints what `workbook::read` made of each input.
static STATS: std::sync::LazyLock<bool> = std::sync::LazyLock::new(|| std::env::var_os("XLSX_PARTS_STATS").is_some());

/// An xlsx around the parts. Shared strings and styles are optional, as in real files (a
/// sheet of inline strings has no sharedStrings.xml): an empty one is left out, with its
/// relationship, since calamine refuses an empty part.
fn xlsx(sheet: &[u8], strings: &[u8], styles: &[u8]) -> Vec<u8> {
    let mut overrides = format!(
        r#"<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEETML}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SPREADSHEETML}.worksheet+xml"/>"#
    );
    let mut rels = format!(r#"<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>"#);
    let mut parts: Vec<(&str, &[u8])> = vec![("xl/worksheets/sheet1.xml", sheet)];
    if !strings.is_empty() {
        overrides += &format!(r#"<Override PartName="/xl/sharedStrings.xml" ContentType="{SPREADSHEETML}.sharedStrings+xml"/>"#);
        rels += &format!(r#"<Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>"#);
        parts.push(("xl/sharedStrings.xml", strings));
    }
    if !styles.is_empty() {
        overrides += &format!(r#"<Override PartName="/xl/styles.xml" ContentType="{SPREADSHEETML}.styles+xml"/>"#);
        rels += &format!(r#"<Relationship Id="rId3" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>"#);
        parts.push(("xl/styles.xml", styles));
    }
    let content_types = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>"#
    );
    let workbook_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
    );
    let fixed: [(&str, &[u8]); 4] = [
        ("[Content_Types].xml", content_types.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("xl/workbook.xml", WORKBOOK.as_bytes()),
        ("xl/_rels/workbook.xml.rels", workbook_rels.as_bytes()),
    ];
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in fixed.into_iter().chain(parts) {
        // Writing into memory cannot fail.
        zip.start_file(name, stored).expect("zip entry");
        zip.write_all(bytes).expect("zip write");
    }
    zip.finish().expect("zip finish").into_inner()
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |b| *b == 0);
    let sheet = parts.next().unwrap_or_default();
    let strings = parts.next().unwrap_or_default();
    let styles = parts.next().unwrap_or_default();
    let bytes = xlsx(sheet, strings, styles);
    // A bound well under libFuzzer's memory limit: the parts are small anyway.
    let limits = Limits { max_unpacked_bytes: 16 * 1024 * 1024 };
    let read = workbook::read(&bytes, &limits);
    if *STATS {
        match &read {
            Ok(wb) => eprintln!("xlsx_parts: {} sheet(s), {:?}", wb.sheets.len(), wb.sheets.iter().map(|s| (s.height(), s.width())).collect::<Vec<_>>()),
            Err(e) => eprintln!("xlsx_parts: {e}"),
        }
    }
    if let Ok(wb) = read {
        for sheet in &wb.sheets {
            for row in 0..sheet.height().min(64) {
                for col in 0..sheet.width().min(64) {
                    let shown = sheet.get(row, col).display();
                    if let Value::Text(t) = sheet.get(row, col) {
                        assert_eq!(&shown, t);
                    }
                    let _ = sheet.merge_origin(row, col);
                }
            }
        }
    }
});
