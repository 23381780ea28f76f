//! `torimatome::book::write` on a consolidation made of hostile texts and sizes: texts of
//! any length and character (control characters, lone surrogates cannot occur in Rust
//! strings, but 40,000-character cells, line breaks, formula-looking text, characters
//! outside the BMP can), every field of a row, problems and files with them, figures of any
//! value (NaN, ±∞, huge). The book must always be written: no `Err`, no panic, and it must
//! read back as a workbook.
#![no_main]

use libfuzzer_sys::fuzz_target;
use torimatome::aggregate;
use torimatome::book::{self, Provenance};
use torimatome::model::{CellRef, Consolidation, Created, IndicatorRow, InputFile, Issue, Kind, Note, Outcome, Problem, ValueCell};
use torimatome::workbook::{self, Limits, Opened};
use torimatome_ja::era::{Half, Period};

/// Texts cut from the input at NUL bytes, some made very long by repetition.
struct Texts<'a> {
    parts: Vec<&'a str>,
    at: usize,
}

impl<'a> Texts<'a> {
    fn next(&mut self) -> String {
        if self.parts.is_empty() {
            return String::new();
        }
        let part = self.parts[self.at % self.parts.len()];
        self.at += 1;
        // A part starting with '*' is repeated to tens of thousands of characters.
        match part.strip_prefix('*') {
            Some(rest) if !rest.is_empty() => rest.repeat(40_000 / rest.chars().count().max(1) + 1),
            _ => part.to_string(),
        }
    }

    fn number(&mut self) -> f64 {
        let t = self.next();
        let bytes = t.as_bytes();
        let mut raw = [0u8; 8];
        for (i, b) in bytes.iter().take(8).enumerate() {
            raw[i] = *b;
        }
        f64::from_le_bytes(raw)
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut t = Texts { parts: text.split('\0').collect(), at: 0 };
    let count = data.first().map_or(0, |b| usize::from(*b % 16));
    let rows: Vec<IndicatorRow> = (0..count)
        .map(|i| IndicatorRow {
            department: t.next(),
            file: t.next(),
            sheet: t.next(),
            row: i as u32 + 1,
            goal: t.next(),
            measure: t.next(),
            project: t.next(),
            status: Some(t.next()).filter(|s| s.len() % 2 == 0),
            status_raw: t.next(),
            status_cell: Some(CellRef { row: i as u32, col: 3 }),
            grade: Some(t.next()).filter(|_| i % 3 == 0),
            indicator: Some(t.next()),
            unit: t.next(),
            values: vec![
                ValueCell { kind: Kind::Plan, fiscal_year: 2022, value: Some(t.number()), flag: None, raw: t.next(), cell: CellRef { row: i as u32, col: 8 } },
                ValueCell { kind: Kind::Actual, fiscal_year: 2022, value: Some(t.number()).filter(|v| !v.is_nan()), flag: None, raw: t.next(), cell: CellRef { row: i as u32, col: 9 } },
            ],
            plan: t.next(),
            notes: vec![Note { label: t.next(), text: t.next(), cell: CellRef { row: i as u32, col: 10 } }],
        })
        .collect();
    let files: Vec<InputFile> = (0..count.min(4))
        .map(|_| InputFile {
            name: t.next(),
            size: 1,
            sha256: t.next(),
            department: Some(t.next()),
            opened: Opened::Plain,
            outcome: Outcome::Error(Issue::NoLayout { sheets: vec![t.next(), t.next()] }),
            rows_read: 0,
            rows_consolidated: 0,
            rows_set_aside: 0,
        })
        .collect();
    let problems: Vec<Problem> = (0..count)
        .map(|_| Problem { file: t.next(), sheet: t.next(), cell: t.next(), raw: t.next(), issue: Issue::Value { why: t.next() } })
        .collect();
    let c = Consolidation {
        period: Period { fiscal_year: 2022, half: Half::First },
        title: t.next(),
        roster: (0..count.min(5)).map(|_| t.next()).collect(),
        rows,
        files,
        problems,
        resubmissions: Vec::new(),
        superseded_rows: Vec::new(),
        plans: (0..count.min(3)).map(|_| t.next()).collect(),
        note_labels: (0..count.min(3)).map(|_| t.next()).collect(),
        rules: Vec::new(),
    };
    let prov = Provenance {
        pipeline_name: "fuzz",
        pipeline_sha256: "0",
        plugins: vec![t.next()],
        created: Created { year: 2022, month: 10, day: 1, hour: 9, minute: 0, second: 0 },
    };
    let bytes = match book::write(&c, || aggregate::aggregate(&c).map_err(|e| e.to_string()), &prov) {
        Ok(bytes) => bytes,
        Err(e) => panic!("the book was not written: {e}"),
    };
    if let Err(e) = workbook::read(&bytes, &Limits::default()) {
        panic!("the book does not read back: {e}");
    }
});
