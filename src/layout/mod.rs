//! Layouts: where in a sheet the data sits. A layout finds its table by header text and
//! hands its cells, column by column, to the normalizer.

pub mod table;

use crate::normalize::text;
use crate::workbook::{Sheet, Value};

/// A1 notation of a 0-based position, as Excel shows it.
pub fn a1(row: u32, col: u32) -> String {
    let col = u16::try_from(col).unwrap_or(u16::MAX);
    rust_xlsxwriter::utility::row_col_to_cell(row, col)
}

/// The cell holding the value for a label such as 担当課 or 報告日: the first non-empty
/// cell right of the label, within the first `search_rows` rows. Labels are squashed.
pub fn label_value(sheet: &Sheet, labels: &[String], search_rows: u32) -> Option<(u32, u32)> {
    for row in 0..search_rows.min(sheet.height()) {
        for col in 0..sheet.width() {
            let key = text::squash(&sheet.get(row, col).display());
            if key.is_empty() || !labels.contains(&key) {
                continue;
            }
            // A merged label spans several columns; the value starts after them.
            let after = sheet
                .merges
                .iter()
                .find(|m| m.0 == row && m.1 == col)
                .map_or(col, |m| m.3);
            return (after + 1..sheet.width().min(after + 6))
                .find(|c| !matches!(sheet.get(row, *c), Value::Empty))
                .map(|c| (row, c));
        }
    }
    None
}

/// The texts above a table (title, report lines), where a file may state its period.
pub fn texts_above(sheet: &Sheet, header_row: u32) -> Vec<String> {
    (0..header_row.min(sheet.height()))
        .flat_map(|row| (0..sheet.width()).map(move |col| (row, col)))
        .map(|(row, col)| sheet.get(row, col).display())
        .filter(|t| !t.trim().is_empty())
        .collect()
}
