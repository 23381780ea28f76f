//! Numbers as departments type them into value cells.
//!
//! One cell should hold one number. What surrounds it is read only when its meaning is
//! certain: a unit after it ("14,000 時間"), a label before it separated by a space
//! ("申込み 30.7%"), 約/程度 (approximate), ▲/△ (minus, accounting style). Anything else is
//! an `Err` with a reason a person can act on, never a guess and never a silent zero.

use std::ops::Range;

use crate::text::nfkc;

/// What a cell says about its value besides the number itself: 約 (approx), ↗
/// (increase_target), (本年度未測定) (not_measured). The type belongs to the plugin API,
/// since it crosses the boundary.
pub use torimatome_plugin_api::Flag;

/// A value cell, read. `value` is `None` for blanks, dashes and flagged non-values.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    pub value: Option<f64>,
    pub flag: Option<Flag>,
    /// Unit written in the cell after the number ("%", "時間", "千円", "件").
    pub unit: Option<String>,
}

impl Number {
    fn empty() -> Number {
        Number {
            value: None,
            flag: None,
            unit: None,
        }
    }

    fn flagged(flag: Flag) -> Number {
        Number {
            flag: Some(flag),
            ..Number::empty()
        }
    }
}

/// Characters that alone mean "no value". "－" (U+FF0D) arrives here as "-" after NFKC;
/// "ー" is the katakana long mark, typed for a dash with a Japanese IME; "─" is a box
/// drawing line that Word and Excel users also type for one.
const DASHES: [char; 8] = ['-', '—', '―', '‐', 'ー', '−', '–', '─'];

/// Minus signs: ASCII and U+2212 minus, hyphen and en dash typed for one, and the
/// accounting triangles ▲ and △.
const MINUS_SIGNS: [char; 6] = ['-', '−', '‐', '–', '▲', '△'];

/// Texts meaning "not measured this year". 本年度末測定 is a typo for 本年度未測定 seen in
/// a real submission (末 "end" for 未 "not yet"); it cannot mean anything else in a value cell.
const NOT_MEASURED: [&str; 3] = ["本年度未測定", "本年度末測定", "未測定"];

/// Texts meaning "the target is to increase", with no figure.
const INCREASE: [&str; 3] = ["↗", "↑", "増加"];

/// Words that change what a number means (a bound, a change, a hedge other than 約/程度).
/// A value carrying one is reported, because dropping the word would change the figure.
const QUALIFIERS: [&str; 16] = [
    "以上",
    "以下",
    "未満",
    "超",
    "増",
    "減",
    "前後",
    "ほど",
    "くらい",
    "ぐらい",
    "およそ",
    "概ね",
    "おおむね",
    "ほぼ",
    "最大",
    "最小",
];

/// Marks that join the two ends of a range ("3～5" is "3~5" after NFKC).
const RANGE_MARKS: [&str; 6] = ["~", "〜", "-", "−", "–", "から"];

/// The runs of digits with separators in `s`, as the regex
/// `(?:^|[^A-Za-z0-9])(?P<run>[0-9][0-9,.]*)` finds them: a digit right after an ASCII
/// letter or digit belongs to a unit ("m2", the NFKC form of ㎡) or a code ("R5"), not to
/// a number. Scanned by hand: every value cell of every file comes here, and the regex
/// was a third of reading a number (the test `runs_are_what_the_regex_finds` keeps the two
/// in step).
fn number_runs(s: &str) -> Vec<Range<usize>> {
    let b = s.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < b.len() {
        // A byte of a multi-byte character is never ASCII, so it opens a run as a
        // non-alphanumeric character would.
        if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            let start = i;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b',' || b[i] == b'.') {
                i += 1;
            }
            runs.push(start..i);
        } else {
            i += 1;
        }
    }
    runs
}

/// "1.2e3", "5E+2" (`[0-9][eE][+-]?[0-9]`): exponent notation is never what a department
/// meant to type.
fn has_exponent(s: &str) -> bool {
    let b = s.as_bytes();
    (1..b.len()).any(|i| {
        let digit_at = |j: usize| b.get(j).is_some_and(u8::is_ascii_digit);
        matches!(b[i], b'e' | b'E')
            && digit_at(i - 1)
            && (digit_at(i + 1) || (matches!(b.get(i + 1), Some(b'+' | b'-')) && digit_at(i + 2)))
    })
}

/// Reads a value cell's text. See the module documentation for what is accepted.
///
/// `Ok` with `value: None` for a blank cell, a dash ("—", "-", "－", "―", "‐", "ー"),
/// "↗"/"↑"/"増加" (flag IncreaseTarget) and "(本年度未測定)" (flag NotMeasured).
///
/// # Errors
///
/// A reason for a person, in Japanese and English ("1つのセルに2つの値 / two values in one
/// cell"), when the text does not hold exactly one readable number: no number ("調整中"),
/// two numbers ("課税証明 650件 住民票等 46,600件"), a range ("3～5"), a malformed number
/// ("12,34,5", "1.2.3", "1.2e3"), or text around the number that is neither a label nor
/// a unit.
pub fn parse_number(raw: &str) -> Result<Number, String> {
    let s = nfkc(raw);
    if s.is_empty() || s.chars().all(|c| DASHES.contains(&c)) {
        return Ok(Number::empty());
    }
    if NOT_MEASURED.contains(&unbracket(&s)) {
        return Ok(Number::flagged(Flag::NotMeasured));
    }
    if INCREASE.contains(&without_variation_selectors(&s).as_str()) {
        return Ok(Number::flagged(Flag::IncreaseTarget));
    }
    parse_value(&s)
}

/// Text inside one pair of brackets, trimmed: "(本年度未測定)" → "本年度未測定".
/// NFKC has already turned full-width brackets into ASCII ones.
fn unbracket(s: &str) -> &str {
    [('(', ')'), ('[', ']'), ('【', '】')]
        .iter()
        .find_map(|&(open, close)| s.strip_prefix(open)?.strip_suffix(close))
        .unwrap_or(s)
        .trim()
}

/// "↗️" is "↗" with an emoji variation selector, which NFKC keeps.
fn without_variation_selectors(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '\u{FE0E}' | '\u{FE0F}'))
        .collect()
}

/// Reads text that should hold exactly one number.
fn parse_value(s: &str) -> Result<Number, String> {
    if has_exponent(s) {
        return Err(format!(
            "指数表記は読まない: 「{s}」"
        ));
    }
    match number_runs(s).as_slice() {
        [] => Err(format!("数値がない: 「{s}」")),
        [run] => one_value(s, run.clone()),
        [first, second, ..] => Err(two_numbers(s, first, second)),
    }
}

/// Why a text with two numbers is refused: a range, or two values.
fn two_numbers(s: &str, first: &Range<usize>, second: &Range<usize>) -> String {
    let between = s.get(first.end..second.start).unwrap_or("").trim();
    if RANGE_MARKS.contains(&between) {
        format!("範囲は1つの値ではない: 「{s}」")
    } else {
        "1つのセルに2つの値".to_string()
    }
}

/// Reads the one number in `s` and the text around it.
fn one_value(s: &str, run: Range<usize>) -> Result<Number, String> {
    let magnitude = parse_digits(&s[run.clone()])?;
    let before = s.get(..run.start).unwrap_or("");
    let after = s.get(run.end..).unwrap_or("");
    let (negative, approx_before) = read_before(before)?;
    let (unit, approx_after) = read_after(after)?;
    // "▲0" is zero, not negative zero, which would print as "-0".
    let value = if negative && magnitude != 0.0 {
        -magnitude
    } else {
        magnitude
    };
    Ok(Number {
        value: Some(value),
        flag: (approx_before || approx_after).then_some(Flag::Approx),
        unit,
    })
}

/// Digits with optional thousands separators and decimal part: "5,081", "87.2", "10,024".
/// Separators must group by three, so "12,34,5" (a typo or a list) is refused.
fn parse_digits(run: &str) -> Result<f64, String> {
    let (int, frac) = match run.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (run, None),
    };
    let frac_ok = frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    if !frac_ok {
        return Err(format!("数値の形が不正: 「{run}」"));
    }
    if !well_grouped(int) {
        return Err(format!(
            "数値の形が不正: 「{run}」 (桁区切りは3桁ごと)"
        ));
    }
    let plain: String = run.chars().filter(|&c| c != ',').collect();
    match plain.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("数値が大きすぎる: 「{run}」")),
    }
}

/// "5081" or "5,081": either no separators, or 1–3 digits then groups of exactly 3.
fn well_grouped(int: &str) -> bool {
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let mut groups = int.split(',');
    let Some(head) = groups.next() else {
        return false;
    };
    if !int.contains(',') {
        return digits(head);
    }
    digits(head) && head.len() <= 3 && groups.all(|g| g.len() == 3 && digits(g))
}

/// Reads the text before the number: a minus sign and 約 next to it, in either order,
/// then an optional label. Returns (negative, approximate).
fn read_before(before: &str) -> Result<(bool, bool), String> {
    let mut rest = before;
    let mut sign: Option<char> = None;
    let mut approx = false;
    loop {
        rest = rest.trim_end();
        match rest.chars().next_back() {
            Some(c) if sign.is_none() && (MINUS_SIGNS.contains(&c) || c == '+') => {
                sign = Some(c);
                rest = rest.strip_suffix(c).unwrap_or(rest);
            }
            Some('約') if !approx => {
                approx = true;
                rest = rest.strip_suffix('約').unwrap_or(rest);
            }
            _ => break,
        }
    }
    check_label(before, rest)?;
    Ok((sign.is_some_and(|c| c != '+'), approx))
}

/// A label ("申込み", "課税証明") may precede the value when a space or 約 separates them;
/// text stuck to the number ("R5", "前年比5%") is refused rather than split by guesswork.
fn check_label(before: &str, label: &str) -> Result<(), String> {
    if label.is_empty() {
        return Ok(());
    }
    if let Some(q) = QUALIFIERS.iter().find(|q| label.ends_with(*q)) {
        return Err(qualified(q));
    }
    let separated = before
        .get(label.len()..)
        .and_then(|gap| gap.chars().next())
        .is_some_and(|c| c.is_whitespace() || c == '約');
    if separated {
        Ok(())
    } else {
        Err(format!(
            "ラベル「{label}」と数値の間に空白がない"
        ))
    }
}

/// Reads the text after the number: a unit, then 程度. Returns (unit, approximate).
fn read_after(after: &str) -> Result<(Option<String>, bool), String> {
    let mut unit = after.trim();
    let approx = match unit.strip_suffix("程度") {
        Some(rest) => {
            unit = rest.trim_end();
            true
        }
        None => false,
    };
    if unit.is_empty() {
        return Ok((None, approx));
    }
    if let Some(q) = QUALIFIERS.iter().find(|q| unit.contains(*q)) {
        return Err(qualified(q));
    }
    if !unit.chars().all(is_unit_char) {
        return Err(format!(
            "数値の後に余分な文字: 「{unit}」"
        ));
    }
    Ok((Some(unit.to_string()), approx))
}

/// Why a value carrying one of the [`QUALIFIERS`] is refused.
fn qualified(q: &str) -> String {
    format!("「{q}」付きの値は読まない（読むのは約・程度のみ）")
}

/// Letters of any script (件, 時間, ポイント, km), digits after them (m2) and the few
/// symbols units use. Spaces, brackets and punctuation mean a note, not a unit.
fn is_unit_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '%' | '‰' | '°' | '/' | '・')
}

/// Converts a fraction from a percent-formatted cell to points: 0.872 → 87.2.
///
/// `0.961 * 100.0` is 96.10000000000001 in binary floating point; rounding to ten
/// significant digits gives exactly the `f64` that "96.1" parses to, so values read from
/// text and from % cells compare equal. Non-finite input is returned unchanged.
pub fn percent_points(fraction: f64) -> f64 {
    let points = fraction * 100.0;
    if !points.is_finite() {
        return points;
    }
    format!("{points:.9e}").parse().unwrap_or(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Cases that are a literal input and its expected result are tables in tests/data,
    // run by tests/tables.rs; the tests here build their input or expectation in code.

    fn ok(raw: &str) -> Number {
        match parse_number(raw) {
            Ok(n) => n,
            Err(e) => panic!("{raw:?} was refused: {e}"),
        }
    }

    fn err(raw: &str) -> String {
        match parse_number(raw) {
            Ok(n) => panic!("{raw:?} was read as {n:?}"),
            Err(e) => e,
        }
    }

    // ------------------------------------------------------------ approximate

    #[test]
    fn approx_with_unit_and_label() {
        assert_eq!(ok("申込み約30%").unit.as_deref(), Some("%"));
    }

    // ------------------------------------------------------------ percent

    #[test]
    fn percent_points_of_every_tenth_of_a_point() {
        for tenths in 0..=1000 {
            let text = format!("{}.{}", tenths / 10, tenths % 10);
            let expected: f64 = text.parse().unwrap();
            assert_eq!(percent_points(expected / 100.0), expected, "{text}");
        }
    }

    #[test]
    fn percent_points_passes_non_finite_through() {
        assert!(percent_points(f64::NAN).is_nan());
        assert_eq!(percent_points(f64::INFINITY), f64::INFINITY);
    }

    // ------------------------------------------------------------ negatives

    #[test]
    fn minus_zero_is_zero() {
        let zero = ok("▲0").value.unwrap();
        assert_eq!(zero, 0.0);
        assert!(zero.is_sign_positive());
    }

    // ------------------------------------------------------------ malformed

    #[test]
    fn huge_numbers_are_refused() {
        let raw = "9".repeat(400);
        assert!(err(&raw).contains("大きすぎる"));
    }

    // ------------------------------------------------------------ flags

    #[test]
    fn flag_names() {
        assert_eq!(Flag::Approx.as_str(), "approx");
        assert_eq!(Flag::IncreaseTarget.as_str(), "increase_target");
        assert_eq!(Flag::NotMeasured.as_str(), "not_measured");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// The hand scans find what the regexes that specify them find.
        #[test]
        fn runs_are_what_the_regex_finds(s in "[0-9,.eE+ a-z約▲%件²-]{0,10}") {
            let run = regex::Regex::new(r"(?:^|[^A-Za-z0-9])(?P<run>[0-9][0-9,.]*)").unwrap();
            let found: Vec<Range<usize>> = run.captures_iter(&s).filter_map(|c| c.name("run")).map(|m| m.range()).collect();
            proptest::prop_assert_eq!(number_runs(&s), found, "runs in {:?}", s);
            let exponent = regex::Regex::new(r"[0-9][eE][+-]?[0-9]").unwrap();
            proptest::prop_assert_eq!(has_exponent(&s), exponent.is_match(&s), "exponent in {:?}", s);
        }
    }

    #[test]
    fn grouping_rule() {
        assert!(well_grouped("1"));
        assert!(well_grouped("123"));
        assert!(well_grouped("1234"));
        assert!(well_grouped("1,234"));
        assert!(well_grouped("12,345,678"));
        assert!(!well_grouped("1234,567"));
        assert!(!well_grouped(""));
        assert!(!well_grouped(",123"));
    }
}
