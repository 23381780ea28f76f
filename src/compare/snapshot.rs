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

/// [`Snapshot`] as written.
#[derive(Serialize)]
struct SnapshotOut<'a> {
    format: &'a str,
    period: Period,
    title: &'a str,
    submitted: Vec<&'a str>,
    rows: Vec<RowOut<'a>>,
}

/// Write the snapshot of a consolidation: one JSON line, rows in file, sheet and row order.
pub fn write(c: &Consolidation, mut out: impl Write) -> std::io::Result<()> {
    let mut rows: Vec<RowOut> = c
        .rows
        .iter()
        .map(|r| RowOut {
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
        })
        .collect();
    rows.sort_by(|a, b| (a.file, a.sheet, a.row).cmp(&(b.file, b.sheet, b.row)));
    let snapshot = SnapshotOut { format: FORMAT, period: c.period, title: &c.title, submitted: c.submitted(), rows };
    serde_json::to_writer(&mut out, &snapshot)?;
    out.write_all(b"\n")
}

/// A snapshot from its text; the reason when it is not one.
pub fn from_json(text: &str) -> Result<Snapshot, String> {
    let s: Snapshot = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if s.format != FORMAT {
        return Err(s.format);
    }
    Ok(s)
}
