//! The period's rows as the next period compares against them: written beside every book
//! (`BOOK.snapshot.json`, named with its SHA-256 in the manifest), read back by the next
//! run's `--previous`. Reading the last book's 進捗一覧 back would depend on how that sheet is
//! laid out (merged cells, columns per fiscal year, text cut to a cell); this holds the
//! rows as they were consolidated, each value with its raw text and cell.
//!
//! Same consolidation, same bytes: rows in file, sheet and row order, one JSON line.

use std::io::Write;

use serde::{Deserialize, Serialize};
use torimatome_ja_core::era::Period;

use crate::model::{Consolidation, IndicatorRow, ValueCell};

/// What a snapshot says it is, so that another JSON file is refused.
pub const FORMAT: &str = "torimatome snapshot 1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub format: String,
    pub period: Period,
    pub title: String,
    /// Roster departments with a consolidated file, in roster order.
    pub submitted: Vec<String>,
    pub rows: Vec<SnapRow>,
}

/// A consolidated row, without its notes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapRow {
    pub plan: String,
    pub department: String,
    pub goal: String,
    pub measure: String,
    pub project: String,
    pub indicator: Option<String>,
    pub unit: String,
    pub status: Option<String>,
    pub status_raw: String,
    pub file: String,
    pub sheet: String,
    pub row: u32,
    pub values: Vec<ValueCell>,
}

impl SnapRow {
    pub fn of(r: &IndicatorRow) -> SnapRow {
        SnapRow {
            plan: r.plan.clone(),
            department: r.department.clone(),
            goal: r.goal.clone(),
            measure: r.measure.clone(),
            project: r.project.clone(),
            indicator: r.indicator.clone().filter(|i| !i.trim().is_empty()),
            unit: r.unit.clone(),
            status: r.status.clone(),
            status_raw: r.status_raw.clone(),
            file: r.file.clone(),
            sheet: r.sheet.clone(),
            row: r.row,
            values: r.values.clone(),
        }
    }
}

/// A consolidated row as the snapshot writes it: borrowed, so that writing a prefecture's
/// snapshot copies none of its rows. The fields and their order are [`SnapRow`]'s.
#[derive(Serialize)]
struct RowOut<'a> {
    plan: &'a str,
    department: &'a str,
    goal: &'a str,
    measure: &'a str,
    project: &'a str,
    indicator: Option<&'a str>,
    unit: &'a str,
    status: Option<&'a str>,
    status_raw: &'a str,
    file: &'a str,
    sheet: &'a str,
    row: u32,
    values: &'a [ValueCell],
}

/// [`Snapshot`] as written, but for its rows, which follow.
#[derive(Serialize)]
struct HeadOut<'a> {
    format: &'a str,
    period: Period,
    title: &'a str,
    submitted: Vec<&'a str>,
}

/// Where one file's rows lie in a snapshot's bytes (their JSON objects, joined by commas),
/// and their CRC-32: what a rerun copies rather than writes again, when the file is the
/// same and the bytes are still what they were.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Piece {
    pub file: String,
    pub offset: u64,
    pub len: u64,
    pub crc32: u32,
}

/// Write the snapshot of a consolidation: one JSON line, rows in file, sheet and row order.
/// `earlier` gives a file's rows as an earlier snapshot wrote them, when the caller knows
/// them to be this file's: they are copied, not written again. Gives where each file's rows
/// went.
pub fn write(c: &Consolidation, mut out: impl Write, earlier: &mut dyn FnMut(&str) -> Option<Vec<u8>>) -> std::io::Result<Vec<Piece>> {
    let mut rows: Vec<&IndicatorRow> = c.rows.iter().collect();
    rows.sort_by(|a, b| (&a.file, &a.sheet, a.row).cmp(&(&b.file, &b.sheet, b.row)));
    let head = HeadOut { format: FORMAT, period: c.period, title: &c.title, submitted: c.submitted() };
    // The head's object, left open for the rows: the bytes serde_json gives the whole.
    let mut written = serde_json::to_vec(&head)?;
    written.pop();
    written.extend_from_slice(br#","rows":["#);
    out.write_all(&written)?;
    let mut at = written.len() as u64;
    let mut pieces = Vec::new();
    let mut bytes = Vec::new();
    for (i, file) in rows.chunk_by(|a, b| a.file == b.file).enumerate() {
        if i > 0 {
            out.write_all(b",")?;
            at += 1;
        }
        let name = &file[0].file;
        let piece = match earlier(name) {
            Some(kept) => kept,
            None => {
                bytes.clear();
                for (j, row) in file.iter().enumerate() {
                    if j > 0 {
                        bytes.push(b',');
                    }
                    serde_json::to_writer(&mut bytes, &row_out(row))?;
                }
                std::mem::take(&mut bytes)
            }
        };
        out.write_all(&piece)?;
        pieces.push(Piece { file: name.clone(), offset: at, len: piece.len() as u64, crc32: crc32fast::hash(&piece) });
        at += piece.len() as u64;
        bytes = piece;
    }
    out.write_all(b"]}\n")?;
    Ok(pieces)
}

fn row_out(r: &IndicatorRow) -> RowOut<'_> {
    RowOut {
        plan: &r.plan,
        department: &r.department,
        goal: &r.goal,
        measure: &r.measure,
        project: &r.project,
        indicator: r.indicator.as_deref().filter(|i| !i.trim().is_empty()),
        unit: &r.unit,
        status: r.status.as_deref(),
        status_raw: &r.status_raw,
        file: &r.file,
        sheet: &r.sheet,
        row: r.row,
        values: &r.values,
    }
}

/// A snapshot from its text; the reason when it is not one.
pub fn from_json(text: &str) -> Result<Snapshot, String> {
    let s: Snapshot = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if s.format != FORMAT {
        return Err(s.format);
    }
    Ok(s)
}
