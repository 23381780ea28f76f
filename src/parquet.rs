//! The records as Parquet (`--records FILE.parquet`, or a folder with a part per period):
//! the CSV's columns in its order and its rows, typed — `fiscal_year` Int32, `value`
//! Float64 (null when the cell has no number), the rest text. Text is written as read,
//! without the CSV's apostrophe before a formula: Excel does not open Parquet, the
//! readers are DuckDB, polars, pandas, which never evaluate a cell.
//!
//! Written as the rows come, a row group of [`GROUP`] records at a time, so a prefecture's
//! 30 million records never sit in memory at once. Fixed writer settings (Snappy,
//! statistics, one thread, the group size), so the same records give the same bytes.

use std::io::Write;

use polars::prelude::*;
use polars_io::parquet::write::{BatchedWriter, ParquetCompression, ParquetWriter};

use crate::records::{Record, Sink, COLUMNS};

/// Records per row group: DuckDB's own size, small enough to buffer, large enough to
/// compress well.
const GROUP: usize = 122_880;

/// The Parquet records writer: buffers a row group's records as columns, then writes it.
pub struct Writer<W: Write> {
    out: BatchedWriter<W>,
    period: String,
    /// One builder per column of text; `fiscal_year` and `value` apart.
    text: Vec<StringChunkedBuilder>,
    fiscal_years: Vec<i32>,
    values: Vec<Option<f64>>,
}

impl<W: Write> Writer<W> {
    pub fn new(out: W, period: &str) -> PolarsResult<Writer<W>> {
        let schema: Schema = COLUMNS.iter().map(|name| Field::new((*name).into(), dtype(name))).collect();
        let out = ParquetWriter::new(out).with_compression(ParquetCompression::Snappy).set_parallel(false).batched(&schema)?;
        Ok(Writer { out, period: period.to_string(), text: builders(), fiscal_years: Vec::with_capacity(GROUP), values: Vec::with_capacity(GROUP) })
    }

    fn add(&mut self, r: &Record) -> PolarsResult<()> {
        let [plan, department, goal, measure, project, indicator, unit] = r.names;
        let text = [&*self.period, plan, department, goal, measure, project, indicator, unit, r.kind, r.note, r.flag, r.raw, r.status, r.file, r.sheet, &r.cell];
        for (builder, field) in self.text.iter_mut().zip(text) {
            builder.append_value(field);
        }
        self.fiscal_years.push(r.fiscal_year);
        self.values.push(r.value);
        if self.values.len() == GROUP {
            self.flush()?;
        }
        Ok(())
    }

    /// Write the records buffered as one row group.
    fn flush(&mut self) -> PolarsResult<()> {
        if self.values.is_empty() {
            return Ok(());
        }
        let mut text = std::mem::replace(&mut self.text, builders()).into_iter().map(|b| b.finish().into_column());
        let fiscal_years = std::mem::take(&mut self.fiscal_years);
        let values = std::mem::take(&mut self.values);
        let mut columns = Vec::with_capacity(COLUMNS.len());
        for name in COLUMNS {
            columns.push(match name {
                "fiscal_year" => Column::new(name.into(), fiscal_years.as_slice()),
                "value" => Column::new(name.into(), values.as_slice()),
                _ => text.next().ok_or_else(|| polars_err!(ComputeError: "records: a column short"))?,
            });
        }
        self.out.write_batch(&DataFrame::new_infer_height(columns)?)
    }
}

impl<W: Write> Sink for Writer<W> {
    fn record(&mut self, r: &Record) -> Result<(), String> {
        self.add(r).map_err(|e| e.to_string())
    }

    fn finish(mut self: Box<Self>) -> Result<(), String> {
        self.flush().map_err(|e| e.to_string())?;
        self.out.finish().map(|_| ()).map_err(|e| e.to_string())
    }
}

fn dtype(column: &str) -> DataType {
    match column {
        "fiscal_year" => DataType::Int32,
        "value" => DataType::Float64,
        _ => DataType::String,
    }
}

/// A builder for each text column, in COLUMNS' order.
fn builders() -> Vec<StringChunkedBuilder> {
    COLUMNS.iter().filter(|c| dtype(c) == DataType::String).map(|c| StringChunkedBuilder::new((*c).into(), GROUP)).collect()
}
