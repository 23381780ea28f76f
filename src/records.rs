//! The records export: one CSV row per consolidated value, for anyone who wants the
//! numbers outside Excel. UTF-8 with a BOM, which Excel in Japan needs to open it right.
//! Text that Excel would take for a formula (= + - @ first) is escaped with a leading
//! apostrophe: a cell from a department's file must never run in the reader's Excel.

use std::borrow::Cow;
use std::io::Write;

use std::collections::HashSet;

use crate::model::{CellRef, Consolidation, IndicatorRow};

/// A row per value cell, and one per note a department wrote (kind `note`, its name in
/// `note`, its text in `raw`), each traced to its cell.
pub const COLUMNS: [&str; 18] = [
    "period", "plan", "department", "goal", "measure", "project", "indicator", "unit", "kind",
    "note", "fiscal_year", "value", "flag", "raw", "status", "file", "sheet", "cell",
];

/// One row of the records, as read: no escaping, the numbers as numbers. The CSV
/// ([`write`]) and the Parquet file (`parquet.rs`) write the same rows in the same order.
pub struct Record<'a> {
    /// plan, department, goal, measure, project, indicator, unit: COLUMNS[1..8].
    pub names: [&'a str; 7],
    pub kind: &'a str,
    pub note: &'a str,
    pub fiscal_year: i32,
    pub value: Option<f64>,
    pub flag: &'a str,
    pub raw: &'a str,
    pub status: &'a str,
    pub file: &'a str,
    pub sheet: &'a str,
    pub cell: String,
}

/// Every record of the consolidation, in the export's order: by file, sheet and row,
/// a row's values then its notes.
pub fn each<'a, E>(c: &'a Consolidation, f: impl FnMut(Record<'a>) -> Result<(), E>) -> Result<(), E> {
    of_rows(&c.rows, c.period.fiscal_year, f)
}

/// The records of some rows, by file, sheet and row: given a file's rows at a time, in
/// file order, the same records in the same order as given all at once.
pub fn of_rows<'a, E>(rows: &'a [IndicatorRow], fiscal_year: i32, mut f: impl FnMut(Record<'a>) -> Result<(), E>) -> Result<(), E> {
    let mut rows: Vec<_> = rows.iter().collect();
    rows.sort_by(|a, b| (&a.file, &a.sheet, a.row).cmp(&(&b.file, &b.sheet, b.row)));
    // A note merged over a project's rows is read on each: written once, at its cell.
    let mut notes_written: HashSet<(&str, &str, CellRef)> = HashSet::new();
    for row in rows {
        let status = row.status.as_deref().unwrap_or("");
        let names = [&*row.plan, &*row.department, &*row.goal, &*row.measure, &*row.project, row.indicator.as_deref().unwrap_or(""), &*row.unit];
        for v in &row.values {
            f(Record {
                names,
                kind: v.kind.as_str(),
                note: "",
                fiscal_year: v.fiscal_year,
                value: v.value,
                flag: v.flag.map_or("", |f| f.as_str()),
                raw: &v.raw,
                status,
                file: &row.file,
                sheet: &row.sheet,
                cell: v.cell.to_string(),
            })?;
        }
        for note in &row.notes {
            if !notes_written.insert((&row.file, &row.sheet, note.cell)) {
                continue;
            }
            f(Record {
                names,
                kind: "note",
                note: &note.label,
                fiscal_year,
                value: None,
                flag: "",
                raw: &note.text,
                status,
                file: &row.file,
                sheet: &row.sheet,
                cell: note.cell.to_string(),
            })?;
        }
    }
    Ok(())
}

/// Where records go as they come, a file's rows at a time: the CSV ([`Csv`]) or the
/// Parquet file (`parquet::Writer`).
pub trait Sink {
    fn record(&mut self, r: &Record) -> Result<(), String>;
    /// Everything written: the file is whole.
    fn finish(self: Box<Self>) -> Result<(), String>;
}

/// The CSV records writer.
pub struct Csv<W: Write> {
    out: csv::Writer<W>,
    period: String,
}

impl<W: Write> Csv<W> {
    /// The BOM and the header are written at once.
    pub fn new(mut out: W, period: &str) -> csv::Result<Csv<W>> {
        out.write_all("\u{feff}".as_bytes())?;
        let mut out = csv::Writer::from_writer(out);
        out.write_record(COLUMNS)?;
        Ok(Csv { out, period: period.to_string() })
    }
}

impl<W: Write> Sink for Csv<W> {
    fn record(&mut self, r: &Record) -> Result<(), String> {
        let fiscal_year = r.fiscal_year.to_string();
        let value = r.value.map(|x| x.to_string()).unwrap_or_default();
        let [plan, department, goal, measure, project, indicator, unit] = r.names;
        let fields = [
            text(&self.period),
            text(plan),
            text(department),
            text(goal),
            text(measure),
            text(project),
            text(indicator),
            text(unit),
            text(r.kind),
            text(r.note),
            Cow::Borrowed(fiscal_year.as_str()),
            Cow::Borrowed(value.as_str()),
            text(r.flag),
            text(r.raw),
            text(r.status),
            text(r.file),
            text(r.sheet),
            Cow::Borrowed(r.cell.as_str()),
        ];
        self.out.write_record(fields.iter().map(|f| f.as_bytes())).map_err(|e| e.to_string())
    }

    fn finish(mut self: Box<Self>) -> Result<(), String> {
        self.out.flush().map_err(|e| e.to_string())
    }
}

/// An output the records are written to by a sink (on its own thread, for Parquet) and
/// then flushed by whoever opened it: the sink cannot hand it back whole.
pub struct Shared<W>(std::sync::Arc<std::sync::Mutex<W>>);

impl<W: Write> Shared<W> {
    pub fn new(out: W) -> Shared<W> {
        Shared(std::sync::Arc::new(std::sync::Mutex::new(out)))
    }
}

impl<W> Clone for Shared<W> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<W: Write> Write for Shared<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("a writer of the records panicked"))?.write(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.lock().map_err(|_| std::io::Error::other("a writer of the records panicked"))?.flush()
    }
}

/// The whole consolidation's records into `sink`.
pub fn write(c: &Consolidation, mut sink: Box<dyn Sink + '_>) -> Result<(), String> {
    each(c, |r| sink.record(&r))?;
    sink.finish()
}

/// A text field as Excel may safely open it: a leading apostrophe before what Excel would
/// evaluate as a formula (`=`, `@`, a tab or return, or `+`/`-` before anything but a plain
/// number). A lone `-` ("no value") and `-12.5` are data, and stay as written. Numbers
/// (value, fiscal_year) are written as they are.
pub fn text(field: &str) -> Cow<'_, str> {
    let evaluated = match field.as_bytes().first() {
        Some(b'=' | b'@' | b'\t' | b'\r') => true,
        Some(b'+' | b'-') => !is_plain_number(&field[1..]),
        _ => false,
    };
    if evaluated {
        Cow::Owned(format!("'{field}"))
    } else {
        Cow::Borrowed(field)
    }
}

/// Nothing, or digits with optional thousands separators, a decimal part and a percent
/// sign: what Excel reads after a sign as a number, not a formula.
fn is_plain_number(rest: &str) -> bool {
    let rest = rest.strip_suffix('%').unwrap_or(rest);
    let (whole, decimals) = rest.split_once('.').unwrap_or((rest, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    rest.is_empty()
        || (whole.bytes().all(|b| b.is_ascii_digit() || b == b',') && whole.bytes().next().is_none_or(|b| b.is_ascii_digit()) && digits(decimals) && !(whole.is_empty() && decimals.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn formulas_are_escaped_and_the_rest_left_alone() {
        assert_eq!(text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text("-2+3"), "'-2+3");
        assert_eq!(text("+SUM(A1:A9)"), "'+SUM(A1:A9)");
        assert_eq!(text("-A1"), "'-A1");
        assert_eq!(text("-cmd|' /C calc'!A0"), "'-cmd|' /C calc'!A0");
        assert_eq!(text("\tx"), "'\tx");
        // Data, not formulas: a lone sign for "no value", plain numbers.
        assert_eq!(text("-"), "-");
        assert_eq!(text("-16.7"), "-16.7");
        assert_eq!(text("-1,234"), "-1,234");
        assert_eq!(text("+81"), "+81");
        assert_eq!(text("-10%"), "-10%");
        assert_eq!(text("-.5"), "-.5");
        assert_eq!(text("-."), "'-.");
        assert_eq!(text("５，０８１"), "５，０８１");
        assert_eq!(text("△3"), "△3");
    }
}
