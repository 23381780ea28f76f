//! The merged areas of an xlsx's and an ods's sheets, found in the parts' bytes without
//! parsing them.
//!
//! calamine reads a sheet's merged cells by parsing the whole sheet a second time, which
//! was a tenth of a 1,000-file run. The `<mergeCells>` list is short, so a byte search finds
//! it in the sheet XML that `unpack` inflates anyway. This path is taken only
//! for plainly written files: at any doubt (the workbook elsewhere than `xl/`, a sheet name
//! with an escape, a `mergeCell` without a plain `ref`) it answers None and calamine is
//! asked, so an odd file is read as before, only slower.
//!
//! calamine gives no merged areas for an ods at all: they are counted here from
//! `content.xml`, where a merge is a cell that spans rows or columns
//! (`table:number-rows-spanned`) and the cells it covers are `covered-table-cell`s. At any
//! doubt (a table inside a table, a name with an escape) the ods has no merges known and
//! the layouts fall back to filling down by rule.

use std::collections::HashMap;

use super::scan::{attribute, find, local_attribute, opens_tag};

/// A merged area: first row, first column, last row, last column, 0-based from A1.
pub type Area = (u32, u32, u32, u32);

/// The merged areas in one worksheet part's XML; None when they cannot be read plainly.
pub fn in_part(xml: &[u8]) -> Option<Vec<Area>> {
    let mut areas = Vec::new();
    let mut rest = xml;
    while let Some(at) = find(rest, b"mergeCell") {
        let (before, after) = (&rest[..at], &rest[at + b"mergeCell".len()..]);
        rest = after;
        // `<mergeCell ` or `<x:mergeCell `, not `<mergeCells>`.
        if !opens_tag(before) || !after.first().is_some_and(|b| b.is_ascii_whitespace() || *b == b'/') {
            continue;
        }
        let tag = &after[..after.iter().position(|b| *b == b'>')?];
        areas.push(area(attribute(tag, b"ref")?)?);
    }
    Some(areas)
}

/// Worksheet name → part path, as calamine resolves them (`xl/workbook.xml`, its
/// relationships); None when the workbook is not where plain files keep it.
pub fn sheet_parts(workbook: &[u8], rels: &[u8]) -> Option<HashMap<String, String>> {
    let targets: HashMap<&[u8], &[u8]> =
        tags(rels, b"Relationship").map(|tag| Some((attribute(tag, b"Id")?, attribute(tag, b"Target")?))).collect::<Option<_>>()?;
    tags(workbook, b"sheet")
        .map(|tag| {
            let name = std::str::from_utf8(attribute(tag, b"name")?).ok().filter(|n| !n.contains('&'))?;
            let id = local_attribute(tag, b"id")?;
            let target = std::str::from_utf8(targets.get(id)?).ok()?;
            let path = target.strip_prefix('/').map_or_else(|| format!("xl/{target}"), str::to_string);
            Some((name.to_string(), path))
        })
        .collect()
}

/// Sheet name → merged areas of an ods's `content.xml`; None when it cannot be read plainly.
pub fn in_ods_content(xml: &[u8]) -> Option<HashMap<String, Vec<Area>>> {
    let mut sheets = HashMap::new();
    // The table being read: its name, its areas, the row and column the next cell takes.
    let mut table: Option<(String, Vec<Area>)> = None;
    let (mut row, mut col, mut row_repeats) = (0u32, 0u32, 1u32);
    let mut rest = xml;
    while let Some(at) = rest.iter().position(|&b| b == b'<') {
        rest = &rest[at + 1..];
        let end = rest.iter().position(|&b| b == b'>')?;
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        let closed = tag.ends_with(b"/");
        let is = |name: &[u8]| tag.strip_prefix(name).is_some_and(|after| after.first().is_none_or(|b| b.is_ascii_whitespace() || *b == b'/'));
        if is(b"table:table") {
            if table.is_some() {
                return None;
            }
            let name = std::str::from_utf8(attribute(tag, b"table:name")?).ok().filter(|n| !n.contains('&'))?;
            table = Some((name.to_string(), Vec::new()));
            row = 0;
        } else if is(b"/table:table") {
            let (name, areas) = table.take()?;
            sheets.insert(name, areas);
        } else if is(b"table:table-row") {
            col = 0;
            row_repeats = count(tag, b"table:number-rows-repeated");
            if closed {
                row = row.saturating_add(row_repeats);
            }
        } else if is(b"/table:table-row") {
            row = row.saturating_add(row_repeats);
        } else if is(b"table:table-cell") || is(b"table:covered-table-cell") {
            let rows = count(tag, b"table:number-rows-spanned");
            let cols = count(tag, b"table:number-columns-spanned");
            if rows > 1 || cols > 1 {
                let areas = &mut table.as_mut()?.1;
                areas.push((row, col, row.saturating_add(rows - 1), col.saturating_add(cols - 1)));
            }
            col = col.saturating_add(count(tag, b"table:number-columns-repeated"));
        }
    }
    table.is_none().then_some(sheets)
}

/// A count attribute (repeats, spans): 1 when absent or unreadable.
fn count(tag: &[u8], name: &[u8]) -> u32 {
    attribute(tag, name).and_then(|v| std::str::from_utf8(v).ok()?.parse().ok()).filter(|n| *n >= 1).unwrap_or(1)
}

/// The start tags named `name` (with or without a prefix), without their `<name` and `>`.
fn tags<'a>(xml: &'a [u8], name: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
    let mut rest = xml;
    std::iter::from_fn(move || loop {
        let at = find(rest, name)?;
        let (before, after) = (&rest[..at], &rest[at + name.len()..]);
        rest = after;
        if opens_tag(before) && after.first().is_some_and(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>') {
            let end = after.iter().position(|b| *b == b'>').unwrap_or(after.len());
            return Some(&after[..end]);
        }
    })
}

/// "B2:D4" or "B2" → a 0-based area.
fn area(reference: &[u8]) -> Option<Area> {
    let text = std::str::from_utf8(reference).ok()?;
    let (first, last) = text.split_once(':').unwrap_or((text, text));
    let ((r0, c0), (r1, c1)) = (cell(first)?, cell(last)?);
    Some((r0, c0, r1, c1))
}

fn cell(a1: &str) -> Option<(u32, u32)> {
    let letters = a1.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (col, row) = a1.split_at(letters);
    if letters == 0 || letters > 3 || row.is_empty() || !row.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let col = col.bytes().fold(0u32, |n, b| n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1));
    let row: u32 = row.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_areas_as_excel_and_libreoffice_write_them() {
        let xml = br#"<sheetData/><mergeCells count="2"><mergeCell ref="A3:A5"/><x:mergeCell  ref='c7'/></mergeCells>"#;
        assert_eq!(in_part(xml), Some(vec![(2, 0, 4, 0), (6, 2, 6, 2)]));
        assert_eq!(in_part(b"<sheetData/>"), Some(vec![]));
        // Anything not plain sends the file to calamine.
        assert_eq!(in_part(br#"<mergeCell ref="A1:$B$2"/>"#), None);
        assert_eq!(in_part(br#"<mergeCell xref="A1"/>"#), None);
    }

    #[test]
    fn ods_merges_are_spanned_cells_counted_through_repeats() {
        // Row 1: A1 spans 2 rows; B1 repeated 3 times. Row 2 (repeated twice): A2 covered,
        // B2 spans 2 columns. Row 4: C4 spans 2 rows and 2 columns.
        let xml = r#"<office:body><table:table table:name="Sheet1"><table:table-column/>
            <table:table-row><table:table-cell table:number-rows-spanned="2"><text:p>x</text:p></table:table-cell><table:table-cell table:number-columns-repeated="3"/></table:table-row>
            <table:table-row table:number-rows-repeated="2"><table:covered-table-cell/><table:table-cell table:number-columns-spanned="2"/><table:covered-table-cell/></table:table-row>
            <table:table-row><table:table-cell table:number-columns-repeated="2"/><table:table-cell table:number-rows-spanned="2" table:number-columns-spanned="2"/></table:table-row>
            </table:table><table:table table:name="凡例"><table:table-row><table:table-cell/></table:table-row></table:table></office:body>"#;
        let sheets = in_ods_content(xml.as_bytes()).expect("plain");
        assert_eq!(sheets["Sheet1"], vec![(0, 0, 1, 0), (1, 1, 1, 2), (3, 2, 4, 3)]);
        assert_eq!(sheets["凡例"], vec![]);
        // A table inside a table is not read plainly.
        assert_eq!(in_ods_content(br#"<table:table table:name="a"><table:table table:name="b"></table:table></table:table>"#), None);
    }

    #[test]
    fn sheets_are_found_by_their_relationships() {
        let workbook = r#"<workbook><sheets><sheet name="進捗報告" sheetId="1" r:id="rId2"/><x:sheet name="凡例" sheetId="2" r:id="rId1"/></sheets></workbook>"#.as_bytes();
        let rels = br#"<Relationships><Relationship Id="rId1" Type="t" Target="worksheets/sheet2.xml"/><Relationship Id="rId2" Type="t" Target="/xl/worksheets/sheet1.xml"/></Relationships>"#;
        let parts = sheet_parts(workbook, rels).expect("plain");
        assert_eq!(parts["進捗報告"], "xl/worksheets/sheet1.xml");
        assert_eq!(parts["凡例"], "xl/worksheets/sheet2.xml");
        let escaped = br#"<sheet name="R&amp;D" r:id="rId1"/>"#;
        assert!(sheet_parts(escaped, rels).is_none());
    }
}
