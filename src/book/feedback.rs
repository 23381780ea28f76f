//! A department's workbook written again, with marks: what `run --feedback` sends back
//! (each problem cell filled in yellow, with a note saying what is wrong and what to do),
//! and what a test uses to fill in a form.
//!
//! rust_xlsxwriter cannot edit a workbook, so the copy is made anew from what
//! `workbook` read: every cell's value at its position, its number shown as the file
//! showed it (percent, decimals, thousands), merged areas, sheet names and which are
//! hidden. Made anew rather than patched in the file's XML, because the files come as
//! xlsx, xlsm, xls, xlsb and ods, some encrypted: one way for all, always an .xlsx
//! LibreOffice and Excel open without repair. What `workbook` does not read is lost:
//! fonts, fills, borders, column widths (taken from the texts instead), formulas (their
//! values stay), pictures.

use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, Note, Workbook as Book, XlsxError};

use crate::model::Created;
use crate::workbook::{NumberFormat, Value, Workbook};

/// A change to one cell of the copy.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    pub sheet: String,
    /// 0-based, from A1.
    pub row: u32,
    pub col: u32,
    /// The value written there instead of the file's, if any.
    pub value: Option<Value>,
    /// A note on the cell (several edits of one cell join their notes).
    pub note: Option<String>,
    /// Fill the cell in the colour of a problem.
    pub highlight: bool,
}

/// The colour of a cell a department must look at.
const PROBLEM_FILL: u32 = 0xFFEB84;

/// The workbook again as .xlsx bytes, with `edits` made; the document's time is `created`.
pub fn copy(book: &Workbook, edits: &[Edit], created: Created) -> Result<Vec<u8>, String> {
    write(book, edits, created).map_err(|e| e.to_string())
}

fn write(book: &Workbook, edits: &[Edit], created: Created) -> Result<Vec<u8>, XlsxError> {
    let mut out = Book::new();
    let Created { year, month, day, hour, minute, second } = created;
    let time = ExcelDateTime::from_ymd(year, month, day)?.and_hms(hour, minute, second)?;
    out.set_properties(&DocProperties::new().set_author("torimatome").set_creation_datetime(&time));
    let first_visible = book.sheets.iter().position(|s| s.visible).unwrap_or(0);
    let mut names: Vec<String> = Vec::new();
    for (index, sheet) in book.sheets.iter().enumerate() {
        let ws = out.add_worksheet();
        let name = sheet_name(&sheet.name, index, &names);
        ws.set_name(&name)?;
        names.push(name);
        if !sheet.visible && index != first_visible {
            ws.set_hidden(true);
        }
        let mine: Vec<&Edit> = edits.iter().filter(|e| e.sheet == sheet.name).collect();
        // Every cell of the sheet and every edited cell, each once, in order.
        let mut cells: Vec<(u32, u32)> = (0..sheet.height()).flat_map(|r| sheet.filled(r).map(move |(c, _)| (r, c))).collect();
        cells.extend(mine.iter().map(|e| (e.row, e.col)));
        cells.sort_unstable();
        cells.dedup();
        // Merged areas first: a merge writes its top-left cell, written again below.
        for &(r0, c0, r1, c1) in &sheet.merges {
            if (r0, c0) != (r1, c1) && c1 < 16_384 {
                // Overlapping areas (a broken file) are left unmerged.
                let _ = ws.merge_range(r0, c0 as u16, r1, c1 as u16, "", &Format::new());
            }
        }
        let mut widths: Vec<f64> = Vec::new();
        for (row, col) in cells {
            let Ok(col16) = u16::try_from(col) else { continue };
            let here: Vec<&&Edit> = mine.iter().filter(|e| e.row == row && e.col == col).collect();
            let value = here.iter().rev().find_map(|e| e.value.clone()).unwrap_or_else(|| sheet.get(row, col).clone());
            let highlight = here.iter().any(|e| e.highlight);
            let mut format = number_format(&value);
            if highlight {
                format = format.set_background_color(Color::RGB(PROBLEM_FILL));
            }
            match &value {
                Value::Empty => {
                    ws.write_blank(row, col16, &format)?;
                }
                Value::Text(text) | Value::Error(text) => {
                    ws.write_string_with_format(row, col16, super::table::cell_text(text), &format)?;
                }
                Value::Number { value, .. } | Value::Date(value) => {
                    ws.write_number_with_format(row, col16, *value, &format)?;
                }
                Value::Bool(b) => {
                    ws.write_boolean_with_format(row, col16, *b, &format)?;
                }
            }
            let notes: Vec<&str> = here.iter().filter_map(|e| e.note.as_deref()).collect();
            if !notes.is_empty() {
                let text = notes.join("\n\n");
                let lines = text.lines().count() as u32;
                let note = Note::new(text).add_author_prefix(false).set_width(320).set_height(24 + 16 * lines.min(30));
                ws.insert_note(row, col16, &note)?;
            }
            let width = value.display().chars().map(|c| if c.is_ascii() { 1.0 } else { 2.0 }).sum::<f64>();
            if widths.len() <= col as usize {
                widths.resize(col as usize + 1, 0.0);
            }
            widths[col as usize] = widths[col as usize].max(width);
        }
        // The file's own widths are not read: each column as wide as its text, within reason.
        for (col, width) in widths.iter().enumerate() {
            ws.set_column_width(col as u16, (width + 1.0).clamp(6.0, 40.0))?;
        }
        if index == first_visible {
            ws.set_active(true);
        }
    }
    if book.sheets.is_empty() {
        out.add_worksheet();
    }
    out.save_to_buffer()
}

/// A name Excel takes for a sheet: what an .ods or .xls allows and Excel does not (`[]:*?/\\`,
/// more than 31 letters, a leading or trailing apostrophe, the same name twice regardless of
/// case) made acceptable; a name it takes is kept as it is.
fn sheet_name(name: &str, index: usize, taken: &[String]) -> String {
    let cleaned: String = name.chars().map(|c| if "[]:*?/\\".contains(c) { '_' } else { c }).collect();
    let cleaned: String = cleaned.trim_matches('\'').chars().take(31).collect();
    let free = |n: &str| !n.is_empty() && !taken.iter().any(|t| t.to_lowercase() == n.to_lowercase());
    if free(&cleaned) {
        return cleaned;
    }
    (1..).map(|k| format!("{}({})", cleaned.chars().take(24).collect::<String>(), index + k)).find(|n| free(n)).unwrap_or_default()
}

/// The format that shows a number as the file showed it.
fn number_format(value: &Value) -> Format {
    match value {
        Value::Number { format: NumberFormat::Percent(decimals), .. } => Format::new().set_num_format(decimal_code("0", *decimals) + "%"),
        Value::Number { format: NumberFormat::Fixed { decimals, grouped }, .. } => {
            Format::new().set_num_format(decimal_code(if *grouped { "#,##0" } else { "0" }, *decimals))
        }
        Value::Date(_) => Format::new().set_num_format("yyyy/m/d"),
        _ => Format::new(),
    }
}

fn decimal_code(whole: &str, decimals: u8) -> String {
    if decimals == 0 { whole.to_string() } else { format!("{whole}.{}", "0".repeat(decimals.min(15) as usize)) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workbook::{read, Limits, Sheet};

    #[test]
    fn a_copy_keeps_cells_merges_and_names_and_marks_the_edited_cell() {
        let mut sheet = Sheet::new("進捗報告", vec![
            vec![Value::Text("事業名".into()), Value::Text("実績".into())],
            vec![Value::Text("窓口".into()), Value::Number { value: 0.5, format: NumberFormat::Percent(1) }],
        ]);
        sheet.merges = vec![(0, 0, 0, 0), (2, 0, 3, 1)];
        let book = Workbook { sheets: vec![sheet], opened: crate::workbook::Opened::Plain };
        let created = Created { year: 2022, month: 10, day: 1, hour: 9, minute: 0, second: 0 };
        let edits = [Edit { sheet: "進捗報告".into(), row: 1, col: 1, value: Some(Value::Text("約3,000".into())), note: Some("読めない".into()), highlight: true }];
        let bytes = copy(&book, &edits, created).expect("copy");
        assert_eq!(bytes, copy(&book, &edits, created).expect("copy"), "the same bytes twice");
        let again = read(&bytes, &Limits::default()).expect("reads");
        let s = &again.sheets[0];
        assert_eq!(s.name, "進捗報告");
        assert_eq!(s.get(0, 0), &Value::Text("事業名".into()));
        assert_eq!(s.get(1, 1), &Value::Text("約3,000".into()));
        assert!(s.merges.contains(&(2, 0, 3, 1)));
    }

    #[test]
    fn a_sheet_name_excel_refuses_is_made_acceptable() {
        let taken = vec!["進捗報告".to_string()];
        assert_eq!(sheet_name("進捗報告", 1, &taken), "進捗報告(2)");
        assert_eq!(sheet_name("a[1]:b", 0, &[]), "a_1__b");
        assert_eq!(sheet_name("'", 2, &[]), "(3)");
        assert_eq!(sheet_name(&"長".repeat(40), 0, &[]).chars().count(), 31);
        let sheets = ["x/y", "X_Y", ""].map(|n| Sheet::new(n, vec![vec![Value::Text("a".into())]]));
        let book = Workbook { sheets: sheets.to_vec(), opened: crate::workbook::Opened::Plain };
        let created = Created { year: 2022, month: 10, day: 1, hour: 9, minute: 0, second: 0 };
        assert!(copy(&book, &[], created).is_ok(), "any sheet names give a workbook");
    }
}
