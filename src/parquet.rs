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
use std::sync::mpsc::{sync_channel, SyncSender};
use std::thread::JoinHandle;

use polars::prelude::*;
use polars_io::parquet::write::{ParquetCompression, ParquetWriter};

use crate::records::{Record, Sink, COLUMNS};

/// Records per row group: DuckDB's own size, small enough to buffer, large enough to
/// compress well.
const GROUP: usize = 122_880;

/// The Parquet records writer: buffers a row group's records as columns, then hands the
/// group to a thread of its own that encodes and writes it, while the next group is
/// gathered: one thread writes, in the order the groups come, so the bytes are the same.
pub struct Writer {
    period: String,
    /// One builder per column of text; `fiscal_year` and `value` apart.
    text: Vec<StringChunkedBuilder>,
    fiscal_years: Vec<i32>,
    values: Vec<Option<f64>>,
    groups: Option<SyncSender<DataFrame>>,
    encoder: Option<JoinHandle<PolarsResult<()>>>,
}

impl Writer {
    pub fn new<W: Write + Send + 'static>(out: W, period: &str) -> PolarsResult<Writer> {
        let schema: Schema = COLUMNS.iter().map(|name| Field::new((*name).into(), dtype(name))).collect();
        let mut out = ParquetWriter::new(out).with_compression(ParquetCompression::Snappy).set_parallel(false).batched(&schema)?;
        // One group waits while one is encoded: two groups' memory at most.
        let (groups, received) = sync_channel::<DataFrame>(1);
        let encoder = std::thread::spawn(move || {
            for group in received {
                out.write_batch(&group)?;
            }
            out.finish().map(|_| ())
        });
        Ok(Writer {
            period: period.to_string(),
            text: builders(),
            fiscal_years: Vec::with_capacity(GROUP),
            values: Vec::with_capacity(GROUP),
            groups: Some(groups),
            encoder: Some(encoder),
        })
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

    /// Hand the records buffered to the encoder, as one row group.
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
        let group = DataFrame::new_infer_height(columns)?;
        match self.groups.as_ref().map(|groups| groups.send(group)) {
            Some(Ok(())) => Ok(()),
            // The encoder stopped: its error says why.
            _ => self.join(),
        }
    }

    /// Wait for the encoder to write what it was given, and the file's end.
    fn join(&mut self) -> PolarsResult<()> {
        self.groups = None;
        match self.encoder.take().map(JoinHandle::join) {
            Some(Ok(written)) => written,
            Some(Err(_)) => Err(polars_err!(ComputeError: "the records' encoder panicked")),
            None => Err(polars_err!(ComputeError: "the records' encoder has stopped")),
        }
    }
}

impl Sink for Writer {
    fn record(&mut self, r: &Record) -> Result<(), String> {
        self.add(r).map_err(|e| e.to_string())
    }

    fn finish(mut self: Box<Self>) -> Result<(), String> {
        self.flush().and_then(|_| self.join()).map_err(|e| e.to_string())
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
