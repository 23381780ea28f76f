//! The pure cell normalizers of torimatome-ja on arbitrary text (the fuzz bytes, decoded
//! lossily as UTF-8) and arbitrary floats (the first eight bytes, little-endian).
//!
//! No panic is the main property; the asserts are invariants the callers rely on.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use torimatome::workbook::{NumberFormat, Value};
use torimatome_ja::era::{self, Date};
use torimatome_ja::number;
use torimatome_ja::status::{StatusMatch, Vocabulary};
use torimatome_ja::text;

/// Years any function of `era` may return (its SANE_YEARS).
const SANE: std::ops::RangeInclusive<i32> = 1900..=2200;

/// The minato pipeline's status vocabulary, plus A–D grades with words after them.
static VOCABULARY: LazyLock<(Vocabulary, Vec<String>)> = LazyLock::new(|| {
    let entries: Vec<(String, Vec<String>)> = [
        ("達成", &["◎", "達成", "達成見込み", "達成済み", "A", "A 順調に進んだ"][..]),
        ("推進中", &["○", "〇", "◯", "推進中", "B"][..]),
        ("課題あり", &["△", "課題あり", "要対策", "課題あり対策要", "C"][..]),
        ("取組なし", &["－", "-", "―", "×", "取組なし", "今年度取組みなし", "D"][..]),
    ]
    .iter()
    .map(|(label, forms)| (label.to_string(), forms.iter().map(|f| f.to_string()).collect()))
    .collect();
    let labels = entries.iter().map(|(l, _)| l.clone()).collect();
    (Vocabulary::new(&entries).expect("vocabulary"), labels)
});

fn check_date(d: Date, what: &str, s: &str) {
    assert!(SANE.contains(&d.year), "{what}({s:?}) = {d:?}: year out of 1900..=2200");
    assert_eq!(Date::new(d.year, d.month, d.day), Some(d), "{what}({s:?}) gave a date that does not exist");
    let _ = era::period_of(d).label_ja();
    let _ = d.to_string();
}

fn float_from(data: &[u8]) -> f64 {
    match data.get(..8) {
        Some(b) => f64::from_le_bytes(b.try_into().unwrap_or([0; 8])),
        None => data.iter().fold(0.0, |acc, b| acc * 256.0 + f64::from(*b)),
    }
}

fn number_format_from(b: u8) -> NumberFormat {
    match b % 4 {
        0 => NumberFormat::General,
        1 => NumberFormat::Unknown,
        2 => NumberFormat::Percent(b / 4),
        _ => NumberFormat::Fixed { decimals: b / 8, grouped: b & 4 != 0 },
    }
}

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let s = s.as_ref();

    // ---------------------------------------------------------------- text
    let n = text::nfkc(s);
    assert_eq!(n.trim(), n, "nfkc({s:?}) is not trimmed");
    assert_eq!(text::nfkc(&n), n, "nfkc is not idempotent on {s:?}");
    let sq = text::squash(s);
    assert!(!sq.chars().any(char::is_whitespace), "squash({s:?}) = {sq:?} keeps whitespace");
    let look = text::lookalikes(s);
    for (i, c) in look.iter().enumerate() {
        assert!(s.contains(*c), "lookalikes({s:?}) invented {c:?}");
        assert!(!look[..i].contains(c), "lookalikes({s:?}) lists {c:?} twice");
    }

    // ---------------------------------------------------------------- numbers
    match number::parse_number(s) {
        Ok(num) => {
            if let Some(v) = num.value {
                assert!(v.is_finite(), "parse_number({s:?}) = {v} is not finite");
            }
            if let Some(unit) = &num.unit {
                assert!(!unit.is_empty() && !unit.chars().any(char::is_whitespace), "parse_number({s:?}): unit {unit:?}");
            }
        }
        Err(why) => assert!(!why.is_empty(), "parse_number({s:?}) refused without a reason"),
    }

    // ---------------------------------------------------------------- eras and dates
    if let Some(y) = era::fiscal_year(s) {
        assert!(SANE.contains(&y), "fiscal_year({s:?}) = {y}");
    }
    if let Some((a, b)) = era::fiscal_year_range(s) {
        assert!(SANE.contains(&a) && SANE.contains(&b) && a <= b, "fiscal_year_range({s:?}) = ({a}, {b})");
    }
    if let Some(d) = era::parse_date(s) {
        check_date(d, "parse_date", s);
    }
    if let Some(p) = era::parse_period(s) {
        assert!(SANE.contains(&p.fiscal_year), "parse_period({s:?}) = {p:?}");
        let _ = (p.label_ja(), p.to_string());
    }
    if let Some((_, Some(y))) = era::parse_value_header(s) {
        // A dated header names the fiscal year of its date: 1900-01-01 is in FY1899.
        assert!((1899..=2200).contains(&y), "parse_value_header({s:?}) year {y}");
    }
    let _ = era::Era::from_name(s);

    // ---------------------------------------------------------------- status marks
    let (vocabulary, labels) = &*VOCABULARY;
    match vocabulary.lookup(s) {
        StatusMatch::Blank => assert!(sq.is_empty(), "lookup({s:?}) is Blank but squash is {sq:?}"),
        StatusMatch::Found(label) => assert!(labels.contains(&label), "lookup({s:?}) = unknown label {label:?}"),
        StatusMatch::Unknown => assert!(!sq.is_empty(), "lookup({s:?}) is Unknown for a blank text"),
    }

    // ---------------------------------------------------------------- floats: serials, percent, display
    let mut floats = vec![float_from(data)];
    if let Ok(f) = s.trim().parse::<f64>() {
        floats.push(f);
    }
    for f in floats {
        if let Some(d) = era::serial_to_date(f) {
            assert!((1900..=9999).contains(&d.year), "serial_to_date({f}) = {d:?}");
            assert_eq!(Date::new(d.year, d.month, d.day), Some(d), "serial_to_date({f}) = {d:?}");
            let _ = era::period_of(d).label_ja();
        }
        let p = number::percent_points(f);
        // Rounded to ten significant digits: close to f * 100 wherever that is a normal float.
        let exact = f * 100.0;
        if exact.is_finite() && exact.abs() >= 1e-300 {
            assert!((p - exact).abs() <= exact.abs() * 1e-8, "percent_points({f}) = {p}");
        }
        // The text a person sees in a number or date cell (torimatome's workbook module).
        let format = number_format_from(data.get(8).copied().unwrap_or(0));
        let _ = Value::Number { value: f, format }.display();
        let _ = Value::Date(f).display();
    }
    let _ = torimatome::workbook::number_format(s);
});
