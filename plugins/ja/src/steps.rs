//! The steps this plugin offers: thin wrappers that apply the pure functions of `text`,
//! `era`, `number` and `status` to a column, configured from the pipeline's options.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use torimatome_plugin_api::{
    CellIn, CellOut, CellValue, Description, NumberFormat, OptionInfo, OptionKind, OptionValue, Options,
    Output, Plugin, Role, Step, StepInfo,
};

use crate::number::{self, Number};
use crate::status::{StatusMatch, Vocabulary};
use crate::{era, text};

/// The plugin: Japanese normalizers for municipal progress reports.
pub struct JaPlugin;

fn option(name: &str, kind: OptionKind, required: bool, description: &str) -> OptionInfo {
    OptionInfo { name: name.into(), kind, required, description: description.into() }
}

fn step_info(name: &str, roles: &[Role], options: Vec<OptionInfo>, description: &str) -> StepInfo {
    StepInfo { name: name.into(), roles: roles.to_vec(), options, description: description.into() }
}

impl Plugin for JaPlugin {
    fn describe(&self) -> Description {
        use Role::*;
        Description {
            name: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
            steps: vec![
                step_info(
                    "fullwidth",
                    &[Goal, Measure, Project, Indicator, Unit, Status, Note, Value, ValueHeader, Department, ReportDate],
                    vec![],
                    "full-width digits and letters → ASCII; NFKC for the roles that are parsed; look-alike letters reported",
                ),
                step_info("era_years", &[ValueHeader, ReportDate], vec![], "R3計画値 → plan FY2021; 令和4年9月30日, R4.9.30, date cells → dates"),
                step_info(
                    "numbers",
                    &[Value],
                    vec![
                        option("percent_units", OptionKind::List, false, "units whose bare fractions are percentages (default %)"),
                        option("bare_fractions_are_percent", OptionKind::Bool, false, "read 0.872 in a % row as 87.2 where the file gives no number format (default true; flagged)"),
                    ],
                    "5,081 ７，０００ 約3,000 87.2% ▲16.7 △3 10,024千円 ↗ — (本年度未測定)",
                ),
                step_info(
                    "status",
                    &[Status],
                    vec![option("vocabulary", OptionKind::Map, true, "canonical label → the marks that mean it")],
                    "◎ ○ 〇 ◯ △ － and words → the pipeline's canonical statuses",
                ),
                step_info(
                    "departments",
                    &[Department],
                    vec![option("roster", OptionKind::Map, true, "roster name → aliases; filled in by torimatome from the pipeline's roster")],
                    "department names matched to the roster after NFKC, without spaces, through aliases",
                ),
            ],
            layouts: vec![],
        }
    }

    fn step(&self, name: &str, options: &Options) -> Result<Box<dyn Step>, String> {
        let info = self.describe().steps.into_iter().find(|s| s.name == name).ok_or_else(|| format!("no step `{name}`"))?;
        let roles = info.roles;
        Ok(match name {
            "fullwidth" => Box::new(Fullwidth),
            "era_years" => Box::new(EraYears),
            "numbers" => Box::new(Numbers {
                // Kept in NFKC, as each cell's unit is compared in it.
                percent_units: list(options, "percent_units").unwrap_or_else(|| vec!["%".into()]).iter().map(|u| text::nfkc(u)).collect(),
                bare_fractions: match options.get("bare_fractions_are_percent") {
                    Some(OptionValue::Bool(b)) => *b,
                    _ => true,
                },
            }),
            "status" => {
                let entries: Vec<(String, Vec<String>)> = map(options, "vocabulary").into_iter().collect();
                if entries.is_empty() {
                    return Err("status needs a vocabulary: canonical label → marks".into());
                }
                Box::new(StatusStep { vocabulary: Vocabulary::new(&entries)? })
            }
            "departments" => Box::new(Departments::new(
                map(options, "roster")
                    .into_iter()
                    .map(|(name, aliases)| {
                        let mut names: Vec<String> = aliases.iter().map(|a| text::squash(a)).collect();
                        names.push(text::squash(&name));
                        let skeletons = names.iter().map(|n| text::skeleton(n)).collect();
                        RosterName { name, names, skeletons }
                    })
                    .collect(),
            )),
            other => return Err(format!("no step `{other}` (roles {roles:?})")),
        })
    }
}

fn list(options: &Options, key: &str) -> Option<Vec<String>> {
    match options.get(key)? {
        OptionValue::List(items) => Some(items.clone()),
        OptionValue::Text(item) => Some(vec![item.clone()]),
        _ => None,
    }
}

fn map(options: &Options, key: &str) -> BTreeMap<String, Vec<String>> {
    match options.get(key) {
        Some(OptionValue::Map(m)) => m.clone(),
        _ => BTreeMap::new(),
    }
}

/// Full-width digits and letters become ASCII. Names that the council reads keep their
/// own characters: NFKC would turn ① into 1 and （ into (, so only the roles that are
/// parsed (values, headers, units, marks, dates, departments) get full NFKC.
struct Fullwidth;

impl Step for Fullwidth {
    fn apply(&self, role: Role, cells: &[CellIn<'_>], out: &mut [CellOut]) {
        let names = matches!(role, Role::Goal | Role::Measure | Role::Project | Role::Indicator | Role::Note);
        for i in 0..cells.len().min(out.len()) {
            let text = cells[i].text;
            // A goal or measure merged over many rows comes once per row: the same text
            // gives the same result.
            if i > 0 && cells[i - 1].text == text {
                out[i].text = out[i - 1].text.clone();
                out[i].warning = out[i - 1].warning.clone();
                continue;
            }
            // New text only where it changed: most cells are already narrow.
            let narrowed = if names { narrow_alphanumerics(text) } else { text::nfkc_cow(text) };
            out[i].text = (narrowed != text).then(|| narrowed.into_owned());
            if names {
                let odd = text::lookalikes(text);
                if !odd.is_empty() {
                    out[i].warning = Some(lookalike_warning(&odd));
                }
            }
        }
    }
}

fn narrow_alphanumerics(s: &str) -> Cow<'_, str> {
    let wide = |c: char| matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ');
    let trimmed = s.trim_matches(char::is_whitespace);
    if !trimmed.contains(wide) {
        return Cow::Borrowed(trimmed);
    }
    Cow::Owned(trimmed.chars().map(|c| if wide(c) { char::from_u32(c as u32 - 0xFEE0).unwrap_or(c) } else { c }).collect())
}

fn lookalike_warning(chars: &[char]) -> String {
    format!("日本語の中に他の文字体系の文字: {}", describe_chars(chars))
}

/// Characters with their code points, for a person to find and retype: "Х (U+0425)".
fn describe_chars(chars: &[char]) -> String {
    let listed: Vec<String> = chars.iter().map(|c| format!("{c} (U+{:04X})", *c as u32)).collect();
    listed.join(", ")
}

/// Column headers name a kind and fiscal year (R3計画値); report dates become dates.
struct EraYears;

impl Step for EraYears {
    fn apply(&self, role: Role, cells: &[CellIn<'_>], out: &mut [CellOut]) {
        for (cell, out) in cells.iter().zip(out) {
            out.output = match role {
                Role::ValueHeader => match era::parse_value_header(cell.text) {
                    Some((kind, year)) => Output::Header { kind, year },
                    None => Output::Unreadable(format!("見出し「{}」から年度が読めない", cell.text)),
                },
                _ => read_date(cell),
            };
        }
    }
}

fn read_date(cell: &CellIn<'_>) -> Output {
    let date = match cell.value {
        CellValue::Date(serial) => era::serial_to_date(serial),
        // A date typed into a General cell arrives as its serial number.
        CellValue::Number { value, .. } if (20_000.0..80_000.0).contains(&value) => era::serial_to_date(value),
        _ => era::parse_date(cell.text),
    };
    match date {
        Some(d) => Output::Date { year: d.year, month: d.month, day: d.day },
        None if cell.text.trim().is_empty() => Output::Pending,
        None => Output::Unreadable(format!("「{}」は日付として読めない", cell.text)),
    }
}

struct Numbers {
    percent_units: Vec<String>,
    /// Whether a bare fraction (0.872) in a percent row reads as 87.2 when the reader could
    /// not tell the cell's number format (xls, ods).
    bare_fractions: bool,
}

impl Step for Numbers {
    fn apply(&self, _role: Role, cells: &[CellIn<'_>], out: &mut [CellOut]) {
        for (cell, out) in cells.iter().zip(out) {
            out.output = self.read(cell);
            if let (CellValue::Number { value, format: NumberFormat::Unknown }, Output::Number { value: Some(read), unit: Some(unit), .. }) =
                (cell.value, &out.output)
            {
                if unit == "%" {
                    out.warning = Some(format!(
                        "{value} を {read}% と読んだ: 単位が % で、このファイル形式からは表示形式が読めない"
                    ));
                }
            }
        }
    }
}

impl Numbers {
    fn read(&self, cell: &CellIn<'_>) -> Output {
        match cell.value {
            CellValue::Number { value, format } => {
                let percent_row = || self.percent_units.contains(&text::nfkc(cell.unit));
                let fraction = match format {
                    NumberFormat::Percent(_) => true,
                    NumberFormat::Unknown => self.bare_fractions && value.abs() < 1.0 && value.fract() != 0.0 && percent_row(),
                    NumberFormat::General | NumberFormat::Fixed { .. } => false,
                };
                let value = if fraction { number::percent_points(value) } else { value };
                Output::Number { value: Some(value), flag: None, unit: fraction.then(|| "%".to_string()) }
            }
            CellValue::Empty => Output::Number { value: None, flag: None, unit: None },
            CellValue::Text => match number::parse_number(cell.text) {
                Ok(n) => reconcile_unit(n, cell.unit),
                Err(why) => Output::Unreadable(why),
            },
            CellValue::Date(_) => Output::Unreadable("数値の欄に日付".into()),
            CellValue::Bool(_) => Output::Unreadable("数値の欄に TRUE/FALSE".into()),
            CellValue::Error => Output::Unreadable(format!("数式のエラー ({})", cell.text)),
        }
    }
}

/// A unit written in the cell must agree with the row's unit; 千円 against 円 is scaled.
fn reconcile_unit(n: Number, row_unit: &str) -> Output {
    let row_unit = text::squash(row_unit);
    let Some(cell_unit) = n.unit.as_deref().map(text::squash) else {
        return Output::Number { value: n.value, flag: n.flag, unit: None };
    };
    if cell_unit == row_unit {
        return Output::Number { value: n.value, flag: n.flag, unit: Some(cell_unit) };
    }
    // 万 (ten thousand) before the row's unit, or alone: 1.2万 (人) is 12,000 人. A row
    // counted in 万 (万円) keeps its figures as written, above.
    if let Some(rest) = cell_unit.strip_prefix('万').filter(|rest| !row_unit.starts_with('万') && (rest.is_empty() || *rest == row_unit)) {
        // Rounded past the digits a department types: 1.2 × 10,000 is 12,000, not 11,999.999….
        let value = n.value.map(|v| (v * 10_000.0 * 1e4).round() / 1e4);
        let unit = if rest.is_empty() && row_unit.is_empty() { None } else { Some(row_unit) };
        return Output::Number { value, flag: n.flag, unit };
    }
    if row_unit.is_empty() {
        return Output::Number { value: n.value, flag: n.flag, unit: Some(cell_unit) };
    }
    let scale = match (cell_unit.as_str(), row_unit.as_str()) {
        ("千円", "円") | ("百万円", "千円") => Some(1000.0),
        ("円", "千円") | ("千円", "百万円") => Some(0.001),
        _ => None,
    };
    match scale {
        Some(factor) => Output::Number { value: n.value.map(|v| v * factor), flag: n.flag, unit: Some(row_unit) },
        None => Output::Unreadable(format!(
            "セルの単位「{cell_unit}」が指標の単位「{row_unit}」と違う"
        )),
    }
}

struct StatusStep {
    vocabulary: Vocabulary,
}

impl Step for StatusStep {
    fn apply(&self, _role: Role, cells: &[CellIn<'_>], out: &mut [CellOut]) {
        for (cell, out) in cells.iter().zip(out) {
            out.output = match self.vocabulary.lookup(cell.text) {
                StatusMatch::Blank => Output::Status(None),
                StatusMatch::Found(label) => Output::Status(Some(label)),
                StatusMatch::Unknown => Output::Unreadable(format!(
                    "進捗区分「{}」がパイプラインの語彙にない",
                    cell.text
                )),
            };
        }
    }
}

/// Department names matched to the roster after NFKC and without spaces, through the
/// aliases the pipeline writes (exactly, whatever letters they hold); a name that ends
/// with a roster name after an organisation prefix (経営戦略部 情報政策課) matches it. A name
/// that differs from one roster name only by look-alike letters (a Cyrillic Х in DX推進課:
/// the same TR39 skeleton) is that department, with a warning naming the letters to fix.
struct Departments {
    roster: Vec<RosterName>,
    /// Each squashed name and alias → the roster entries with it, in roster order; and
    /// each skeleton likewise. A prefecture's roster is a hundred thousand names: a scan of
    /// it per cell was a third of a run.
    by_name: HashMap<String, Vec<usize>>,
    by_skeleton: HashMap<String, Vec<usize>>,
}

struct RosterName {
    name: String,
    /// The name and its aliases, squashed.
    names: Vec<String>,
    /// Their confusable skeletons.
    skeletons: Vec<String>,
}

impl Step for Departments {
    fn apply(&self, _role: Role, cells: &[CellIn<'_>], out: &mut [CellOut]) {
        for (cell, out) in cells.iter().zip(out) {
            (out.output, out.warning) = self.resolve(cell.text);
        }
    }
}

impl Departments {
    fn new(roster: Vec<RosterName>) -> Departments {
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_skeleton: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, d) in roster.iter().enumerate() {
            for (index, keys) in [(&mut by_name, &d.names), (&mut by_skeleton, &d.skeletons)] {
                for key in keys {
                    let entries = index.entry(key.clone()).or_default();
                    // An entry once, however many of its names give the key.
                    if entries.last() != Some(&i) {
                        entries.push(i);
                    }
                }
            }
        }
        Departments { roster, by_name, by_skeleton }
    }

    fn resolve(&self, written: &str) -> (Output, Option<String>) {
        let key = text::squash(written);
        if key.is_empty() {
            return (Output::Pending, None);
        }
        let exact = self.by_name.get(&key).and_then(|entries| entries.first()).map(|&i| &self.roster[i]);
        // A roster name after an organisation prefix: of several, the entry with the
        // longest name (the last in roster order of equals).
        let prefixed = || {
            let mut entries: Vec<usize> = key
                .char_indices()
                .map(|(at, _)| &key[at..])
                .filter(|name| has_org_prefix(&key, name))
                .flat_map(|name| self.by_name.get(name).into_iter().flatten().copied())
                .collect();
            entries.sort_unstable();
            entries.dedup();
            entries.into_iter().map(|i| &self.roster[i]).max_by_key(|d| d.names.iter().map(|n| n.len()).max())
        };
        if let Some(d) = exact.or_else(prefixed) {
            return (Output::Department(d.name.clone()), None);
        }
        let skeleton = text::skeleton(&key);
        let mut alike = self.by_skeleton.get(&skeleton).into_iter().flatten().map(|&i| &self.roster[i]);
        if let (Some(d), None) = (alike.next(), alike.next()) {
            let odd = text::differing_chars(&key, &text::squash(&d.name));
            let warning = format!(
                "担当課「{key}」は名簿の「{}」に見えるが別の文字を含む: {}",
                d.name,
                describe_chars(&odd)
            );
            return (Output::Department(d.name.clone()), Some(warning));
        }
        let odd = text::lookalikes(written);
        if !odd.is_empty() {
            return (Output::Unreadable(lookalike_warning(&odd)), None);
        }
        (Output::Unreadable(format!("担当課「{key}」は名簿にない")), None)
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
    use torimatome_plugin_api::Flag;

    fn run(step: &str, options: Options, role: Role, cells: &[CellIn<'_>]) -> Vec<CellOut> {
        let step = JaPlugin.step(step, &options).unwrap_or_else(|e| panic!("{e}"));
        let mut out = vec![CellOut::default(); cells.len()];
        step.apply(role, cells, &mut out);
        out
    }

    fn text_cell(text: &str) -> CellIn<'_> {
        CellIn { value: CellValue::Text, text, unit: "" }
    }

    fn value_of(out: &CellOut) -> Option<f64> {
        match &out.output {
            Output::Number { value, .. } => *value,
            other => panic!("not a number: {other:?}"),
        }
    }

    #[test]
    fn a_fraction_in_a_percent_cell_reads_in_points() {
        let number = |value, format| CellIn { value: CellValue::Number { value, format }, text: "", unit: "%" };
        let cells = [
            number(0.961, NumberFormat::Percent(1)),
            number(0.5, NumberFormat::General),
            number(0.38, NumberFormat::Unknown),
            number(1.0, NumberFormat::Unknown),
            CellIn { value: CellValue::Text, text: "87.2%", unit: "%" },
        ];
        let out = run("numbers", Options::new(), Role::Value, &cells);
        let values: Vec<Option<f64>> = out.iter().map(value_of).collect();
        // A General 0.5 is what the department typed; a format we could not read is a guess.
        assert_eq!(values, [Some(96.1), Some(0.5), Some(38.0), Some(1.0), Some(87.2)]);
        assert!(out[2].warning.as_deref().is_some_and(|w| w.contains("と読んだ")));
        assert!(out[0].warning.is_none() && out[1].warning.is_none());
    }

    #[test]
    fn a_unit_in_the_cell_must_agree_with_the_row() {
        let cells = [
            CellIn { value: CellValue::Text, text: "10,024千円", unit: "円" },
            CellIn { value: CellValue::Text, text: "14,000 時間", unit: "時間" },
            CellIn { value: CellValue::Text, text: "30件", unit: "人" },
        ];
        let out = run("numbers", Options::new(), Role::Value, &cells);
        assert_eq!(value_of(&out[0]), Some(10_024_000.0));
        assert_eq!(value_of(&out[1]), Some(14_000.0));
        assert!(matches!(&out[2].output, Output::Unreadable(why) if why.contains("と違う")));
    }

    #[test]
    fn man_is_ten_thousand() {
        let cells = [
            CellIn { value: CellValue::Text, text: "1.2万", unit: "人" },
            CellIn { value: CellValue::Text, text: "約３．３万件", unit: "件" },
            CellIn { value: CellValue::Text, text: "1.2万円", unit: "万円" },
            CellIn { value: CellValue::Text, text: "0.7万", unit: "" },
            CellIn { value: CellValue::Text, text: "2万人", unit: "件" },
        ];
        let out = run("numbers", Options::new(), Role::Value, &cells);
        assert_eq!(value_of(&out[0]), Some(12_000.0));
        assert_eq!(out[1].output, Output::Number { value: Some(33_000.0), flag: Some(Flag::Approx), unit: Some("件".into()) });
        assert_eq!(value_of(&out[2]), Some(1.2));
        assert_eq!(value_of(&out[3]), Some(7_000.0));
        assert!(matches!(&out[4].output, Output::Unreadable(why) if why.contains("と違う")));
    }

    #[test]
    fn an_unreadable_value_is_never_a_silent_zero() {
        let cells = [
            text_cell("調整中"),
            CellIn { value: CellValue::Error, text: "#DIV/0!", unit: "" },
            CellIn { value: CellValue::Bool(true), text: "TRUE", unit: "" },
        ];
        let out = run("numbers", Options::new(), Role::Value, &cells);
        assert!(out.iter().all(|o| matches!(o.output, Output::Unreadable(_))));
        let flagged = run("numbers", Options::new(), Role::Value, &[text_cell("約3,000")]);
        assert_eq!(flagged[0].output, Output::Number { value: Some(3000.0), flag: Some(Flag::Approx), unit: None });
    }

    fn roster() -> Options {
        let mut roster = BTreeMap::new();
        roster.insert("情報政策課".to_string(), vec![]);
        roster.insert("こども未来課".to_string(), vec!["子ども未来課".to_string()]);
        roster.insert("商業振興課".to_string(), vec![]);
        roster.insert("ものづくり商業振興課".to_string(), vec![]);
        Options::from([("roster".to_string(), OptionValue::Map(roster))])
    }

    fn department(written: &str) -> Output {
        run("departments", roster(), Role::Department, &[text_cell(written)]).remove(0).output
    }

    #[test]
    fn departments_match_the_roster_without_spaces_and_through_aliases() {
        assert_eq!(department("こども 未来課"), Output::Department("こども未来課".into()));
        assert_eq!(department("子ども未来課\u{3000}"), Output::Department("こども未来課".into()));
        assert_eq!(department("経営戦略部 情報政策課"), Output::Department("情報政策課".into()));
        assert_eq!(department("ものづくり\n商業振興課"), Output::Department("ものづくり商業振興課".into()));
        assert_eq!(department(""), Output::Pending);
        assert!(matches!(department("秘書広報課"), Output::Unreadable(why) if why.contains("は名簿にない")));
        // A suffix alone is not enough: 政策課 is not 情報政策課.
        assert!(matches!(department("政策課"), Output::Unreadable(_)));
    }

    #[test]
    fn look_alike_letters_with_no_roster_name_behind_them_are_reported_not_merged() {
        // Cyrillic й added to a Japanese name: no roster name looks like it.
        assert!(matches!(department("情報政策課й"), Output::Unreadable(why) if why.contains("U+0439")));
    }

    #[test]
    fn a_name_with_look_alike_letters_is_its_roster_name_with_a_warning() {
        let mut roster = BTreeMap::new();
        roster.insert("DX推進課".to_string(), vec![]);
        roster.insert("市民課".to_string(), vec![]);
        let options = Options::from([("roster".to_string(), OptionValue::Map(roster))]);
        // A Cyrillic Х (U+0425) for the Latin X.
        let out = run("departments", options.clone(), Role::Department, &[text_cell("D\u{0425}推進課")]).remove(0);
        assert_eq!(out.output, Output::Department("DX推進課".into()));
        assert!(out.warning.as_deref().is_some_and(|w| w.contains("U+0425") && w.contains("DX推進課")), "{:?}", out.warning);
        // The roster's own spelling passes without a word.
        let plain = run("departments", options, Role::Department, &[text_cell("DX推進課")]).remove(0);
        assert_eq!((plain.output, plain.warning), (Output::Department("DX推進課".into()), None));
    }

    #[test]
    fn an_alias_matches_exactly_whatever_letters_it_holds() {
        let mut roster = BTreeMap::new();
        roster.insert("DX推進課".to_string(), vec!["D\u{0425}推進課".to_string()]);
        let options = Options::from([("roster".to_string(), OptionValue::Map(roster))]);
        let out = run("departments", options, Role::Department, &[text_cell("D\u{0425}推進課")]).remove(0);
        assert_eq!((out.output, out.warning), (Output::Department("DX推進課".into()), None));
    }

    #[test]
    fn status_marks_map_through_the_vocabulary() {
        let vocabulary = [("達成", vec!["◎"]), ("推進中", vec!["○", "〇"]), ("取組なし", vec!["－"])]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
            .collect();
        let options = Options::from([("vocabulary".to_string(), OptionValue::Map(vocabulary))]);
        let cells = ["◎", "〇", "", "?"].map(text_cell);
        let out = run("status", options, Role::Status, &cells);
        assert_eq!(out[0].output, Output::Status(Some("達成".into())));
        assert_eq!(out[1].output, Output::Status(Some("推進中".into())));
        assert_eq!(out[2].output, Output::Status(None));
        assert!(matches!(out[3].output, Output::Unreadable(_)));
    }

    #[test]
    fn unknown_steps_are_refused() {
        assert!(JaPlugin.step("numbrs", &Options::new()).is_err());
        assert!(JaPlugin.step("status", &Options::new()).is_err(), "status needs a vocabulary");
    }

    #[test]
    fn names_keep_their_own_characters_while_digits_narrow() {
        let out = run("fullwidth", Options::new(), Role::Goal, &[text_cell("① まちの活性化 "), text_cell("救急受診アプリ（愛称「Ｑ助」）")]);
        assert_eq!(out[0].text.as_deref(), Some("① まちの活性化"));
        assert_eq!(out[1].text.as_deref(), Some("救急受診アプリ（愛称「Q助」）"));
        let parsed = run("fullwidth", Options::new(), Role::Value, &[text_cell("９５．４％")]);
        assert_eq!(parsed[0].text.as_deref(), Some("95.4%"));
    }

    #[test]
    fn a_name_repeated_down_a_column_reads_the_same_every_time() {
        // A goal merged over rows, with a Cyrillic д among the Japanese, then another goal.
        let goal = "１ デジタルデバйд対策";
        let cells = [text_cell(goal), text_cell(goal), text_cell(goal), text_cell("２ 行政"), text_cell(goal)];
        let out = run("fullwidth", Options::new(), Role::Goal, &cells);
        for (i, cell) in out.iter().enumerate().filter(|(i, _)| *i != 3) {
            assert_eq!(cell.text.as_deref(), Some("1 デジタルデバйд対策"), "row {i}");
            assert!(cell.warning.as_deref().is_some_and(|w| w.contains("U+0439")), "row {i}: {:?}", cell.warning);
        }
        assert_eq!((out[3].text.as_deref(), out[3].warning.as_deref()), (Some("2 行政"), None));
    }

    #[test]
    fn the_description_names_every_step_it_builds() {
        let description = JaPlugin.describe();
        for info in &description.steps {
            let mut options = Options::new();
            for o in info.options.iter().filter(|o| o.required) {
                options.insert(o.name.clone(), OptionValue::Map(BTreeMap::from([("x".to_string(), vec!["x".to_string()])])));
            }
            assert!(JaPlugin.step(&info.name, &options).is_ok(), "{}", info.name);
        }
    }
}
