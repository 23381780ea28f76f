//! The built-in steps: thin wrappers that apply the pure functions of `text`, `era`,
//! `number` and `status` to a column, configured from the pipeline's options.

use super::era;
use super::number::{self, Number};
use super::status::{StatusMatch, Vocabulary};
use super::text;
use super::{Cell, OptionValue, Options, Out, Role, Step};
use crate::workbook::{NumberFormat, Value};

pub const STEP_NAMES: [&str; 5] = ["fullwidth", "era_years", "numbers", "status", "departments"];

/// What a step may need from the rest of the pipeline when it is built.
pub struct StepContext<'a> {
    /// Roster departments and, for each, the other names it goes by.
    pub roster: &'a [(String, Vec<String>)],
}

/// A problem with a step's configuration: the option it concerns (None for the step
/// itself) and what is wrong.
pub type StepError = (Option<String>, String);

/// Build a built-in step by name, with the roles the pipeline gave (or the step's own).
pub fn build_step(
    name: &str,
    roles: Option<Vec<Role>>,
    options: &Options,
    ctx: &StepContext,
) -> Result<Box<dyn Step>, Vec<StepError>> {
    let mut opts = OptionReader::new(options);
    let step: Box<dyn Step> = match name {
        "fullwidth" => Box::new(Fullwidth {
            roles: roles.unwrap_or_else(|| {
                vec![
                    Role::Goal, Role::Measure, Role::Project, Role::Indicator, Role::Unit,
                    Role::Status, Role::Note, Role::Value, Role::ValueHeader, Role::Department,
                    Role::ReportDate,
                ]
            }),
        }),
        "era_years" => Box::new(EraYears {
            roles: roles.unwrap_or_else(|| vec![Role::ValueHeader, Role::ReportDate]),
        }),
        "numbers" => Box::new(Numbers {
            roles: roles.unwrap_or_else(|| vec![Role::Value]),
            percent_units: opts.list("percent_units", &["%"]),
            bare_fractions: opts.bool("bare_fractions_are_percent", true),
        }),
        "status" => {
            let vocabulary = opts.map("vocabulary");
            let entries: Vec<(String, Vec<String>)> = vocabulary.into_iter().collect();
            if entries.is_empty() {
                opts.errors.push((Some("vocabulary".into()), "status needs a vocabulary: canonical label → marks".into()));
            }
            match Vocabulary::new(&entries) {
                Ok(vocabulary) => Box::new(StatusStep {
                    roles: roles.unwrap_or_else(|| vec![Role::Status]),
                    vocabulary,
                }),
                Err(e) => {
                    opts.errors.push((Some("vocabulary".into()), e));
                    return Err(opts.finish_err());
                }
            }
        }
        "departments" => Box::new(Departments {
            roles: roles.unwrap_or_else(|| vec![Role::Department]),
            roster: ctx
                .roster
                .iter()
                .map(|(name, aliases)| {
                    let mut names: Vec<String> = aliases.iter().map(|a| text::squash(a)).collect();
                    names.push(text::squash(name));
                    (name.clone(), names)
                })
                .collect(),
        }),
        other => {
            return Err(vec![(
                None,
                format!("unknown step `{other}`; known steps: {}", STEP_NAMES.join(", ")),
            )])
        }
    };
    opts.finish().map(|()| step)
}

/// Reads a step's options, remembering which were used so unknown ones are reported.
struct OptionReader<'a> {
    options: &'a Options,
    used: Vec<&'static str>,
    errors: Vec<StepError>,
}

impl<'a> OptionReader<'a> {
    fn new(options: &'a Options) -> Self {
        OptionReader { options, used: Vec::new(), errors: Vec::new() }
    }

    fn list(&mut self, key: &'static str, default: &[&str]) -> Vec<String> {
        self.used.push(key);
        match self.options.get(key) {
            None => default.iter().map(|s| s.to_string()).collect(),
            Some(OptionValue::List(items)) => items.clone(),
            Some(OptionValue::Text(item)) => vec![item.clone()],
            Some(_) => {
                self.errors.push((Some(key.into()), "expected a list of texts".into()));
                Vec::new()
            }
        }
    }

    fn bool(&mut self, key: &'static str, default: bool) -> bool {
        self.used.push(key);
        match self.options.get(key) {
            None => default,
            Some(OptionValue::Bool(b)) => *b,
            Some(_) => {
                self.errors.push((Some(key.into()), "expected true or false".into()));
                default
            }
        }
    }

    fn map(&mut self, key: &'static str) -> std::collections::BTreeMap<String, Vec<String>> {
        self.used.push(key);
        match self.options.get(key) {
            None => Default::default(),
            Some(OptionValue::Map(m)) => m.clone(),
            Some(_) => {
                self.errors.push((Some(key.into()), "expected a mapping of label → list of texts".into()));
                Default::default()
            }
        }
    }

    fn finish(mut self) -> Result<(), Vec<StepError>> {
        for key in self.options.keys() {
            if !self.used.contains(&key.as_str()) {
                let known = if self.used.is_empty() { "none".to_string() } else { self.used.join(", ") };
                self.errors.push((Some(key.clone()), format!("unknown option `{key}`; this step takes: {known}")));
            }
        }
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self.errors)
        }
    }

    fn finish_err(self) -> Vec<StepError> {
        match self.finish() {
            Ok(()) => Vec::new(),
            Err(errors) => errors,
        }
    }
}

/// Full-width digits and letters become ASCII. Names that the council reads keep their
/// own characters: NFKC would turn ① into 1 and （ into (, so only the roles that are
/// parsed (values, headers, units, marks, dates, departments) get full NFKC.
struct Fullwidth {
    roles: Vec<Role>,
}

impl Step for Fullwidth {
    fn name(&self) -> &str {
        "fullwidth"
    }
    fn roles(&self) -> &[Role] {
        &self.roles
    }
    fn apply(&self, role: Role, cells: &mut [Cell]) {
        let names = matches!(role, Role::Goal | Role::Measure | Role::Project | Role::Indicator | Role::Note);
        for cell in cells {
            if names {
                cell.text = narrow_alphanumerics(&cell.text);
                let odd = text::lookalikes(&cell.text);
                if !odd.is_empty() {
                    cell.warnings.push(lookalike_warning(&odd));
                }
            } else {
                cell.text = text::nfkc(&cell.text);
            }
        }
    }
}

fn narrow_alphanumerics(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            other => other,
        })
        .collect::<String>()
        .trim_matches(|c: char| c.is_whitespace())
        .to_string()
}

fn lookalike_warning(chars: &[char]) -> String {
    let listed: Vec<String> = chars.iter().map(|c| format!("{c} (U+{:04X})", *c as u32)).collect();
    format!("日本語の中に他の文字体系の文字 / look-alike characters from another script: {}", listed.join(", "))
}

/// Column headers name a kind and fiscal year (R3計画値); report dates become dates.
struct EraYears {
    roles: Vec<Role>,
}

impl Step for EraYears {
    fn name(&self) -> &str {
        "era_years"
    }
    fn roles(&self) -> &[Role] {
        &self.roles
    }
    fn apply(&self, role: Role, cells: &mut [Cell]) {
        for cell in cells {
            cell.out = match role {
                Role::ValueHeader => match era::parse_value_header(&cell.text) {
                    Some((kind, year)) => Out::Header(kind, year),
                    None => Out::Unreadable(format!("見出し「{}」から年度が読めない / no fiscal year in header", cell.text)),
                },
                _ => read_date(cell),
            };
        }
    }
}

fn read_date(cell: &Cell) -> Out {
    let date = match &cell.input {
        Value::Date(serial) => era::serial_to_date(*serial),
        // A date typed into a General cell arrives as its serial number.
        Value::Number { value, .. } if (20_000.0..80_000.0).contains(value) => era::serial_to_date(*value),
        _ => era::parse_date(&cell.text),
    };
    match date {
        Some(d) => Out::Date(d),
        None if cell.text.trim().is_empty() => Out::Pending,
        None => Out::Unreadable(format!("日付として読めない / not a date: {}", cell.text)),
    }
}

struct Numbers {
    roles: Vec<Role>,
    percent_units: Vec<String>,
    /// Whether a bare fraction (0.872) in a percent row reads as 87.2 when the reader could
    /// not tell the cell's number format (xls, ods).
    bare_fractions: bool,
}

impl Step for Numbers {
    fn name(&self) -> &str {
        "numbers"
    }
    fn roles(&self) -> &[Role] {
        &self.roles
    }
    fn apply(&self, _role: Role, cells: &mut [Cell]) {
        for cell in cells {
            cell.out = self.read(cell);
            if let (Value::Number { value, format: NumberFormat::Unknown }, Out::Number(n)) = (&cell.input, &cell.out) {
                if n.unit.as_deref() == Some("%") {
                    cell.warnings.push(format!(
                        "{value} を {}% と読んだ: 単位が % で、このファイル形式からは表示形式が読めない / read as a percentage: the unit is %, and this file format gives no number format",
                        n.value.unwrap_or_default()
                    ));
                }
            }
        }
    }
}

impl Numbers {
    fn read(&self, cell: &Cell) -> Out {
        let percent_row = self.percent_units.iter().any(|u| text::nfkc(u) == text::nfkc(&cell.unit));
        match &cell.input {
            Value::Number { value, format } => {
                let fraction = match format {
                    NumberFormat::Percent(_) => true,
                    NumberFormat::Unknown => {
                        self.bare_fractions && percent_row && value.abs() < 1.0 && value.fract() != 0.0
                    }
                    NumberFormat::General | NumberFormat::Fixed { .. } => false,
                };
                let value = if fraction { number::percent_points(*value) } else { *value };
                let unit = fraction.then(|| "%".to_string());
                Out::Number(Number { value: Some(value), flag: None, unit })
            }
            Value::Empty => Out::Number(Number { value: None, flag: None, unit: None }),
            Value::Text(_) => match number::parse_number(&cell.text) {
                Ok(n) => reconcile_unit(n, &cell.unit),
                Err(why) => Out::Unreadable(why),
            },
            Value::Date(_) => Out::Unreadable("数値の欄に日付 / a date where a number belongs".into()),
            Value::Bool(_) => Out::Unreadable("数値の欄に TRUE/FALSE / a boolean where a number belongs".into()),
            Value::Error(e) => Out::Unreadable(format!("数式のエラー / formula error {e}")),
        }
    }
}

/// A unit written in the cell must agree with the row's unit; 千円 against 円 is scaled.
fn reconcile_unit(mut n: Number, row_unit: &str) -> Out {
    let row_unit = text::squash(row_unit);
    let Some(cell_unit) = n.unit.as_deref().map(text::squash) else {
        return Out::Number(n);
    };
    if cell_unit == row_unit || row_unit.is_empty() {
        return Out::Number(n);
    }
    let scale = match (cell_unit.as_str(), row_unit.as_str()) {
        ("千円", "円") => Some(1000.0),
        ("円", "千円") => Some(0.001),
        ("百万円", "千円") => Some(1000.0),
        ("千円", "百万円") => Some(0.001),
        _ => None,
    };
    match scale {
        Some(factor) => {
            n.value = n.value.map(|v| v * factor);
            n.unit = Some(row_unit);
            Out::Number(n)
        }
        None => Out::Unreadable(format!(
            "セルの単位「{cell_unit}」が指標の単位「{row_unit}」と違う / unit in cell differs from the indicator's unit"
        )),
    }
}

struct StatusStep {
    roles: Vec<Role>,
    vocabulary: Vocabulary,
}

impl Step for StatusStep {
    fn name(&self) -> &str {
        "status"
    }
    fn roles(&self) -> &[Role] {
        &self.roles
    }
    fn apply(&self, _role: Role, cells: &mut [Cell]) {
        for cell in cells {
            cell.out = match self.vocabulary.lookup(&cell.text) {
                StatusMatch::Blank => Out::Status(None),
                StatusMatch::Found(label) => Out::Status(Some(label)),
                StatusMatch::Unknown => Out::Unreadable(format!(
                    "進捗区分「{}」が語彙にない / status mark not in the pipeline's vocabulary",
                    cell.text
                )),
            };
        }
    }
}

/// Department names matched to the roster after NFKC and without spaces; a name that
/// ends with a roster name after an organisation prefix (経営戦略部 情報政策課) matches it.
struct Departments {
    roles: Vec<Role>,
    /// Roster name → its squashed names and aliases.
    roster: Vec<(String, Vec<String>)>,
}

impl Step for Departments {
    fn name(&self) -> &str {
        "departments"
    }
    fn roles(&self) -> &[Role] {
        &self.roles
    }
    fn apply(&self, _role: Role, cells: &mut [Cell]) {
        for cell in cells {
            cell.out = self.resolve(&cell.text);
        }
    }
}

impl Departments {
    fn resolve(&self, written: &str) -> Out {
        let odd = text::lookalikes(written);
        if !odd.is_empty() {
            return Out::Unreadable(lookalike_warning(&odd));
        }
        let key = text::squash(written);
        if key.is_empty() {
            return Out::Pending;
        }
        let exact = self.roster.iter().find(|(_, names)| names.contains(&key));
        let prefixed = || {
            self.roster
                .iter()
                .filter(|(_, names)| names.iter().any(|n| key.ends_with(n.as_str()) && has_org_prefix(&key, n)))
                .max_by_key(|(_, names)| names.iter().map(|n| n.len()).max())
        };
        match exact.or_else(prefixed) {
            Some((name, _)) => Out::Department(name.clone()),
            None => Out::Unreadable(format!("{key} は名簿にない / not on the roster")),
        }
    }
}

/// Whether `key` is `name` preceded by an organisation unit such as 経営戦略部 or 市民局.
fn has_org_prefix(key: &str, name: &str) -> bool {
    let prefix = &key[..key.len() - name.len()];
    prefix.ends_with('部') || prefix.ends_with('局') || prefix.ends_with("部門")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(input: Value) -> Cell {
        let text = input.display();
        Cell::new(input, text)
    }

    fn step(name: &str, options: Options, roster: &[(String, Vec<String>)]) -> Box<dyn Step> {
        build_step(name, None, &options, &StepContext { roster }).unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn number_of(out: &Out) -> Option<f64> {
        match out {
            Out::Number(n) => n.value,
            other => panic!("not a number: {other:?}"),
        }
    }

    #[test]
    fn a_fraction_in_a_percent_cell_reads_in_points() {
        let numbers = step("numbers", Options::new(), &[]);
        let mut cells = vec![
            cell(Value::Number { value: 0.961, format: NumberFormat::Percent(1) }),
            cell(Value::Number { value: 0.5, format: NumberFormat::General }),
            cell(Value::Number { value: 0.38, format: NumberFormat::Unknown }),
            cell(Value::Number { value: 1.0, format: NumberFormat::Unknown }),
            cell(Value::Text("87.2%".into())),
        ];
        for c in &mut cells {
            c.unit = "%".into();
        }
        numbers.apply(Role::Value, &mut cells);
        let values: Vec<Option<f64>> = cells.iter().map(|c| number_of(&c.out)).collect();
        // A General 0.5 is what the department typed; a format we could not read is a guess.
        assert_eq!(values, [Some(96.1), Some(0.5), Some(38.0), Some(1.0), Some(87.2)]);
        assert!(cells[2].warnings.iter().any(|w| w.contains("read as a percentage")));
        assert!(cells[0].warnings.is_empty() && cells[1].warnings.is_empty());
    }

    #[test]
    fn a_unit_in_the_cell_must_agree_with_the_row() {
        let numbers = step("numbers", Options::new(), &[]);
        let mut cells = vec![cell(Value::Text("10,024千円".into())), cell(Value::Text("14,000 時間".into())), cell(Value::Text("30件".into()))];
        cells[0].unit = "円".into();
        cells[1].unit = "時間".into();
        cells[2].unit = "人".into();
        numbers.apply(Role::Value, &mut cells);
        assert_eq!(number_of(&cells[0].out), Some(10_024_000.0));
        assert_eq!(number_of(&cells[1].out), Some(14_000.0));
        assert!(matches!(&cells[2].out, Out::Unreadable(why) if why.contains("differs")));
    }

    #[test]
    fn an_unreadable_value_is_never_a_silent_zero() {
        let numbers = step("numbers", Options::new(), &[]);
        let mut cells = vec![cell(Value::Text("調整中".into())), cell(Value::Error("#DIV/0!".into())), cell(Value::Bool(true))];
        numbers.apply(Role::Value, &mut cells);
        assert!(cells.iter().all(|c| matches!(c.out, Out::Unreadable(_))));
    }

    fn roster() -> Vec<(String, Vec<String>)> {
        vec![
            ("情報政策課".into(), vec![]),
            ("こども未来課".into(), vec!["子ども未来課".into()]),
            ("商業振興課".into(), vec![]),
            ("ものづくり商業振興課".into(), vec![]),
        ]
    }

    fn department(written: &str) -> Out {
        let departments = step("departments", Options::new(), &roster());
        let mut cells = vec![cell(Value::Text(written.into()))];
        departments.apply(Role::Department, &mut cells);
        cells.remove(0).out
    }

    #[test]
    fn departments_match_the_roster_without_spaces_and_through_aliases() {
        assert_eq!(department("こども 未来課"), Out::Department("こども未来課".into()));
        assert_eq!(department("子ども未来課\u{3000}"), Out::Department("こども未来課".into()));
        assert_eq!(department("経営戦略部 情報政策課"), Out::Department("情報政策課".into()));
        assert_eq!(department("ものづくり\n商業振興課"), Out::Department("ものづくり商業振興課".into()));
        assert_eq!(department(""), Out::Pending);
        assert!(matches!(department("秘書広報課"), Out::Unreadable(why) if why.contains("not on the roster")));
        // A suffix alone is not enough: 政策課 is not 情報政策課.
        assert!(matches!(department("政策課"), Out::Unreadable(_)));
    }

    #[test]
    fn look_alike_letters_from_another_script_are_reported_not_merged() {
        // Cyrillic й and д inside a Japanese name.
        assert!(matches!(department("情報政策課й"), Out::Unreadable(why) if why.contains("U+0439")));
    }

    #[test]
    fn status_marks_map_through_the_vocabulary() {
        let mut options = Options::new();
        let vocabulary = [("達成", vec!["◎"]), ("推進中", vec!["○", "〇"]), ("取組なし", vec!["－"])]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
            .collect();
        options.insert("vocabulary".into(), OptionValue::Map(vocabulary));
        let status = step("status", options, &[]);
        let mut cells: Vec<Cell> = ["◎", "〇", "", "?"].iter().map(|t| cell(Value::Text(t.to_string()))).collect();
        status.apply(Role::Status, &mut cells);
        assert_eq!(cells[0].out, Out::Status(Some("達成".into())));
        assert_eq!(cells[1].out, Out::Status(Some("推進中".into())));
        assert_eq!(cells[2].out, Out::Status(None));
        assert!(matches!(cells[3].out, Out::Unreadable(_)));
    }

    #[test]
    fn unknown_steps_and_options_are_refused_with_what_is_known() {
        let ctx = StepContext { roster: &[] };
        let err = build_step("numbrs", None, &Options::new(), &ctx).err().expect("refused");
        assert!(err[0].1.contains("known steps"));
        let mut options = Options::new();
        options.insert("percnet".into(), OptionValue::Bool(true));
        let err = build_step("numbers", None, &options, &ctx).err().expect("refused");
        assert_eq!(err[0].0.as_deref(), Some("percnet"));
    }

    #[test]
    fn names_keep_their_own_characters_while_digits_narrow() {
        let fullwidth = step("fullwidth", Options::new(), &[]);
        let mut cells = vec![cell(Value::Text("① まちの活性化 ".into())), cell(Value::Text("救急受診アプリ（愛称「Ｑ助」）".into()))];
        fullwidth.apply(Role::Goal, &mut cells);
        assert_eq!(cells[0].text, "① まちの活性化");
        assert_eq!(cells[1].text, "救急受診アプリ（愛称「Q助」）");
    }
}
