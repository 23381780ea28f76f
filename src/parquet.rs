//! The records as Parquet (`--records FILE.parquet`, or a folder with a part per period):
//! the CSV's columns in its order and its rows, typed — `fiscal_year` Int32, `value`
//! Float64 (null when the cell has no number), the rest text. Text is written as read,
//! without the CSV's apostrophe before a formula: Excel does not open Parquet, the
//! readers are DuckDB, polars, pandas, which never evaluate a cell.
//!
//! Fixed writer settings (Snappy, polars' row groups and statistics, one thread), so the
//! same consolidation gives the same bytes.

use polars::prelude::*;
use polars_io::parquet::write::{ParquetCompression, ParquetWriter};

use crate::model::Consolidation;
use crate::records::{self, COLUMNS};

/// The records as one Parquet file, in memory: the run writes it as it writes the book.
pub fn to_bytes(c: &Consolidation) -> PolarsResult<Vec<u8>> {
    let period = c.period.to_string();
    let mut text: Vec<Vec<&str>> = vec![Vec::new(); COLUMNS.len()];
    let mut cells: Vec<String> = Vec::new();
    let mut fiscal_years: Vec<i32> = Vec::new();
    let mut values: Vec<Option<f64>> = Vec::new();
    records::each(c, |r| -> PolarsResult<()> {
        let [plan, department, goal, measure, project, indicator, unit] = r.names;
        // Columns 10 and 11 (fiscal_year, value) and 17 (cell) are kept apart.
        let row = [&*period, plan, department, goal, measure, project, indicator, unit, r.kind, r.note, "", "", r.flag, r.raw, r.status, r.file, r.sheet];
        for (column, field) in text.iter_mut().zip(row) {
            column.push(field);
        }
        fiscal_years.push(r.fiscal_year);
        values.push(r.value);
        cells.push(r.cell);
        Ok(())
    })?;
    let columns = COLUMNS
        .iter()
        .enumerate()
        .map(|(i, name)| match *name {
            "fiscal_year" => Column::new((*name).into(), &fiscal_years),
            "value" => Column::new((*name).into(), &values),
            "cell" => Column::new((*name).into(), &cells),
            _ => Column::new((*name).into(), &text[i]),
        })
        .collect();
    let mut frame = DataFrame::new_infer_height(columns)?;
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes)
        .with_compression(ParquetCompression::Snappy)
        .set_parallel(false)
        .finish(&mut frame)?;
    Ok(bytes)
}
