//! The table tests: every `tests/data/*.tsv` file holds cases for one function, one case a
//! line (input columns, expected columns, an optional `# note`). This file runs each case,
//! writes the result in the table's notation and compares; every mismatch and every
//! malformed line is listed with its file and line before the test fails. The notation is
//! described in `tests/data/README.md`.

use std::fmt::Display;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use torimatome_ja_core::era::{
    era_year, fiscal_year, fiscal_year_of, fiscal_year_range, parse_date, parse_period,
    parse_value_header, period_of, serial_to_date, Date, Era, Half, Period,
};
use torimatome_ja_core::number::{parse_number, percent_points};
use torimatome_ja_core::status::{StatusMatch, Vocabulary};
use torimatome_ja_core::text::{differing_chars, lookalikes, nfkc, squash};

/// The result columns of one case, or why its input columns cannot be read.
type Run = fn(&[String]) -> Result<Vec<String>, String>;

/// One table: its file in `tests/data`, how many of its columns are input, and how a case
/// is run.
struct Table {
    file: &'static str,
    inputs: usize,
    run: Run,
}

const TABLES: &[Table] = &[
    Table {
        file: "era_years.tsv",
        inputs: 2,
        run: |x| Ok(opt(era_year(era(&x[0])?, number(&x[1])?), one)),
    },
    Table {
        file: "era_names.tsv",
        inputs: 1,
        run: |x| Ok(opt(Era::from_name(&x[0]), |e| one(format!("{e:?}")))),
    },
    Table {
        file: "fiscal_years.tsv",
        inputs: 1,
        run: |x| Ok(opt(fiscal_year(&x[0]), one)),
    },
    Table {
        file: "fiscal_year_ranges.tsv",
        inputs: 1,
        run: |x| {
            Ok(opt(fiscal_year_range(&x[0]), |(first, last)| {
                vec![first.to_string(), last.to_string()]
            }))
        },
    },
    Table {
        file: "dates.tsv",
        inputs: 1,
        run: |x| Ok(opt(parse_date(&x[0]), |d| one(date_text(d)))),
    },
    Table {
        file: "serial_dates.tsv",
        inputs: 1,
        run: |x| Ok(opt(serial_to_date(number(&x[0])?), |d| one(date_text(d)))),
    },
    Table {
        file: "fiscal_year_of.tsv",
        inputs: 1,
        run: |x| Ok(one(fiscal_year_of(date(&x[0])?))),
    },
    Table {
        file: "period_of.tsv",
        inputs: 1,
        run: |x| Ok(one(period_text(period_of(date(&x[0])?)))),
    },
    Table {
        file: "period_labels.tsv",
        inputs: 2,
        run: |x| {
            let period = Period {
                fiscal_year: number(&x[0])?,
                half: half(&x[1])?,
            };
            Ok(one(period.label_ja()))
        },
    },
    Table {
        file: "date_new.tsv",
        inputs: 3,
        run: |x| {
            let date = Date::new(number(&x[0])?, number(&x[1])?, number(&x[2])?);
            Ok(opt(date, |d| one(date_text(d))))
        },
    },
    Table {
        file: "periods.tsv",
        inputs: 1,
        run: |x| Ok(opt(parse_period(&x[0]), |p| one(period_text(p)))),
    },
    Table {
        file: "value_headers.tsv",
        inputs: 1,
        run: |x| {
            Ok(opt(parse_value_header(&x[0]), |(kind, year)| {
                vec![format!("{kind:?}"), dash(year)]
            }))
        },
    },
    Table {
        file: "numbers.tsv",
        inputs: 1,
        run: |x| {
            Ok(match parse_number(&x[0]) {
                Ok(n) => vec![
                    dash(n.value),
                    dash(n.unit),
                    dash(n.flag.map(|f| format!("{f:?}"))),
                ],
                Err(e) => one(format!("Err({e})")),
            })
        },
    },
    Table {
        file: "percent_points.tsv",
        inputs: 1,
        run: |x| Ok(one(percent_points(number(&x[0])?))),
    },
    Table {
        file: "statuses.tsv",
        inputs: 1,
        run: |x| {
            Ok(one(match seto().lookup(&x[0]) {
                StatusMatch::Found(label) => label,
                StatusMatch::Blank => "Blank".to_string(),
                StatusMatch::Unknown => "Unknown".to_string(),
            }))
        },
    },
    Table {
        file: "nfkc.tsv",
        inputs: 1,
        run: |x| Ok(one(nfkc(&x[0]))),
    },
    Table {
        file: "squash.tsv",
        inputs: 1,
        run: |x| Ok(one(squash(&x[0]))),
    },
    Table {
        file: "lookalikes.tsv",
        inputs: 1,
        run: |x| Ok(one(lookalikes(&x[0]).into_iter().collect::<String>())),
    },
    Table {
        file: "differing_chars.tsv",
        inputs: 2,
        run: |x| {
            let chars: String = differing_chars(&x[0], &x[1]).into_iter().collect();
            Ok(one(chars))
        },
    },
];

/// Seto's legend with the A–D grades, as a pipeline would configure it.
fn seto() -> Vocabulary {
    let entry = |label: &str, forms: &[&str]| {
        (
            label.to_string(),
            forms.iter().map(|f| f.to_string()).collect::<Vec<_>>(),
        )
    };
    let entries = [
        entry("達成", &["◎", "達成見込み", "A", "A 順調に進んだ"]),
        entry("推進中", &["○", "〇", "◯", "B", "B まずまず進んだ"]),
        entry("課題あり", &["△", "要対策", "C", "C あまり進まなかった"]),
        entry("取組なし", &["－", "×", "D", "D 進まなかった"]),
    ];
    match Vocabulary::new(&entries) {
        Ok(v) => v,
        Err(e) => panic!("{e}"),
    }
}

// ---------------------------------------------------------------- reading input columns

fn number<T: FromStr>(s: &str) -> Result<T, String> {
    s.parse()
        .map_err(|_| format!("'{s}' is not a {}", std::any::type_name::<T>()))
}

fn era(s: &str) -> Result<Era, String> {
    match s {
        "Reiwa" => Ok(Era::Reiwa),
        "Heisei" => Ok(Era::Heisei),
        "Showa" => Ok(Era::Showa),
        _ => Err(format!("'{s}' is not Reiwa, Heisei or Showa")),
    }
}

fn half(s: &str) -> Result<Half, String> {
    match s {
        "First" => Ok(Half::First),
        "Second" => Ok(Half::Second),
        _ => Err(format!("'{s}' is not First or Second")),
    }
}

/// "2023-03-31", taken as written: the functions under test get the fields, unchecked.
fn date(s: &str) -> Result<Date, String> {
    let parts: Vec<&str> = s.split('-').collect();
    match parts.as_slice() {
        [year, month, day] => Ok(Date {
            year: number(year)?,
            month: number(month)?,
            day: number(day)?,
        }),
        _ => Err(format!("'{s}' is not YYYY-MM-DD")),
    }
}

// ---------------------------------------------------------------- writing results

fn one(value: impl Display) -> Vec<String> {
    vec![value.to_string()]
}

/// `None` as one column, the way the tables write a missing result.
fn opt<T>(value: Option<T>, columns: impl FnOnce(T) -> Vec<String>) -> Vec<String> {
    value.map_or_else(|| one("None"), columns)
}

/// An absent part of a result.
fn dash(value: Option<impl Display>) -> String {
    value.map_or_else(|| "-".to_string(), |v| v.to_string())
}

/// Written here rather than with `Date`'s `Display`, which has its own test.
fn date_text(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
}

/// "2022H1", written here rather than with `Period`'s `Display`, which has its own test.
fn period_text(p: Period) -> String {
    let n = match p.half {
        Half::First => 1,
        Half::Second => 2,
    };
    format!("{}H{}", p.fiscal_year, n)
}

// ---------------------------------------------------------------- the notation

/// A field as written in a table: quoted fields are Rust string literals, others are
/// taken as they are.
fn field(raw: &str) -> Result<String, String> {
    if let Some(quoted) = raw.strip_prefix('"') {
        let body = quoted
            .strip_suffix('"')
            .ok_or_else(|| format!("unterminated quoted field {raw}"))?;
        return unescape(body).map_err(|e| format!("{e} in {raw}"));
    }
    if raw.is_empty() {
        return Err("empty field: write \"\" for an empty text".to_string());
    }
    if raw.trim() != raw {
        return Err(format!(
            "whitespace at the edge of '{raw}': quote the field"
        ));
    }
    Ok(raw.to_string())
}

fn unescape(body: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let escaped = match chars.next() {
            Some('n') => '\n',
            Some('r') => '\r',
            Some('t') => '\t',
            Some('0') => '\0',
            Some('\\') => '\\',
            Some('"') => '"',
            Some('u') => {
                let rest = chars.as_str();
                let hex = rest
                    .strip_prefix('{')
                    .and_then(|r| r.split_once('}'))
                    .map(|(hex, _)| hex)
                    .ok_or("\\u without {…}")?;
                let c = u32::from_str_radix(hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or_else(|| format!("\\u{{{hex}}} is not a character"))?;
                chars = rest[hex.len() + 2..].chars();
                c
            }
            other => return Err(format!("unknown escape \\{}", other.unwrap_or(' '))),
        };
        out.push(escaped);
    }
    Ok(out)
}

/// A field written so that [`field`] reads it back: how a result is shown on failure.
fn written(value: &str) -> String {
    let plain = !value.is_empty()
        && value.trim() == value
        && !value.starts_with(['"', '#'])
        && !value.chars().any(char::is_control);
    if plain {
        return value.to_string();
    }
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            ' ' => out.push(' '),
            c if c.is_control() || c.is_whitespace() => {
                out.push_str(&format!("\\u{{{:04X}}}", u32::from(c)))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether a result matches the expected columns: equal, or an error whose message
/// contains the text of an expected `Err(text)`.
fn matches(expected: &[String], got: &[String]) -> bool {
    match (expected, got) {
        ([e], [g]) => match (err_text(e), err_text(g)) {
            (Some(needle), Some(message)) => message.contains(needle),
            _ => e == g,
        },
        _ => expected == got,
    }
}

/// The text inside `Err(…)`.
fn err_text(s: &str) -> Option<&str> {
    s.strip_prefix("Err(")?.strip_suffix(')')
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
}

/// Runs every case of one table; returns how many there were, and adds each mismatch and
/// malformed line to `failures`.
fn run_table(table: &Table, failures: &mut Vec<String>) -> usize {
    let path = data_dir().join(table.file);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            failures.push(format!("tests/data/{}: {e}", table.file));
            return 0;
        }
    };
    let mut cases = 0;
    for (n, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        cases += 1;
        let at = format!("tests/data/{}:{}", table.file, n + 1);
        let raw: Vec<&str> = line
            .split('\t')
            .take_while(|f| !f.starts_with('#'))
            .collect();
        let fields: Result<Vec<String>, String> = raw.iter().map(|f| field(f)).collect();
        let fields = match fields {
            Ok(fields) if fields.len() > table.inputs => fields,
            Ok(_) => {
                failures.push(format!(
                    "{at}: needs {} input column(s) and at least one expected column",
                    table.inputs
                ));
                continue;
            }
            Err(e) => {
                failures.push(format!("{at}: {e}"));
                continue;
            }
        };
        let (input, expected) = fields.split_at(table.inputs);
        let got = match (table.run)(input) {
            Ok(got) => got,
            Err(e) => {
                failures.push(format!("{at}: {e}"));
                continue;
            }
        };
        if !matches(expected, &got) {
            let row = |cols: &[String]| {
                cols.iter()
                    .map(|c| written(c))
                    .collect::<Vec<_>>()
                    .join("\t")
            };
            failures.push(format!(
                "{at}: {}\n    expected: {}\n    got:      {}",
                row(input),
                raw[table.inputs..].join("\t"),
                row(&got)
            ));
        }
    }
    if cases == 0 {
        failures.push(format!("tests/data/{}: no cases", table.file));
    }
    cases
}

#[test]
fn tables() {
    let mut failures: Vec<String> = Vec::new();
    // Every table in the folder is run: a file no entry of TABLES names is an error.
    let mut files: Vec<String> = std::fs::read_dir(data_dir())
        .map(|dir| {
            dir.filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|name| name.ends_with(".tsv"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    for file in &files {
        if !TABLES.iter().any(|t| t.file == file) {
            failures.push(format!("tests/data/{file}: no entry in TABLES runs it"));
        }
    }
    let mut cases = 0;
    for table in TABLES {
        cases += run_table(table, &mut failures);
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} table cases failed or could not be read:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
