//! Reading the texts of a card: label keys, fiscal years in the 年度 row, and what a value
//! cell looks like (how many values it holds, which unit follows its number).
//!
//! Nothing here parses a value: the host normalizes value cells with its own steps. These
//! functions only decide where a value is and whether a cell can be attributed at all.
//! Width folding ([`nfkc`], [`squash`]) and fiscal years ([`fiscal_year`]) are
//! torimatome-ja's, so a card reads "令和５年度" and "Ｒ４" exactly as the KPI table does.

use torimatome_plugin_api::{CellIn, CellValue};
pub use torimatome_ja_core::era::fiscal_year;
use torimatome_ja_core::text::{nfkc, squash};

/// The key a label is matched by: NFKC, no whitespace, ASCII lower case, no trailing
/// colon. "評価指標（定量的）" and "評価指標 (定量的)" have the same key; so do "No." and "NO.".
pub fn label_key(s: &str) -> String {
    let mut key = squash(s).to_lowercase();
    while key.ends_with(':') {
        key.pop();
    }
    key
}

/// Whether a cell shows nothing.
pub fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

// ---------------------------------------------------------------- value cells

/// What may follow a number that is part of a date or a period, not a value:
/// "R4.9末", "9月時点", "2022年度", "R4.12.1現在", "2023/5/10", "第2期".
const DATE_AFTER: [&str; 8] = ["年", "月", "日", "末", "時点", "現在", "期", "/"];

/// What may precede such a number: an era ("令和4", "R5.3", "平成31"), an ordinal (第2),
/// a date separator, or any ASCII letter ("A4", "No3").
fn date_before(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, '令' | '和' | '平' | '成' | '昭' | '第' | '/')
}

/// The numbers of a cell that read as values, as char ranges of its NFKC text: digits with
/// `,` and `.` between digits, leaving out the numbers of dates, era years and ordinals.
/// "課税証明 650件 住民票等 46,600件" has two, "R4.9末 500件" one, "(本年度未測定)" none.
pub fn value_numbers(nfkc_text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = nfkc_text.chars().collect();
    let at = |i: usize| chars.get(i).copied();
    let digit = |i: usize| at(i).is_some_and(|c| c.is_ascii_digit());
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !digit(i) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        loop {
            if digit(end) {
                end += 1;
            } else if matches!(at(end), Some(',' | '.')) && digit(end + 1) {
                end += 2;
            } else {
                break;
            }
        }
        let before = start.checked_sub(1).and_then(at);
        let before2 = start.checked_sub(2).and_then(at);
        let rest: String = chars.get(end..).unwrap_or(&[]).iter().take(2).collect();
        let is_date = before.is_some_and(date_before)
            // 2023-05-10: a hyphen between digits is a separator, not a minus.
            || (before == Some('-') && before2.is_some_and(|c| c.is_ascii_digit()))
            || (at(end) == Some('-') && digit(end + 1))
            || DATE_AFTER.iter().any(|d| rest.starts_with(d));
        if !is_date {
            out.push((start, end));
        }
        i = end;
    }
    out
}

/// Whether a value cell holds more than one value ("課税証明 650件 住民票等 46,600件").
pub fn has_two_values(text: &str) -> bool {
    value_numbers(&nfkc(text)).len() >= 2
}

/// The unit written after the last value of a cell: "%" for "申込み 5%", "件" for
/// "課税証明 500件", "回" for "1,200回", "千円" for "10,024千円", "時間" for "14,000 時間";
/// `None` when the cell has no value or nothing follows it.
pub fn unit_of(text: &str) -> Option<String> {
    let t = nfkc(text);
    let (_, end) = value_numbers(&t).last().copied()?;
    let unit: String = t
        .chars()
        .skip(end)
        .skip_while(|c| c.is_whitespace())
        .take_while(|c| !c.is_whitespace() && !c.is_ascii_digit() && !"()[]{}<>、,。.・/:;「」『』【】~-".contains(*c))
        .collect();
    (!unit.is_empty()).then_some(unit)
}

/// Dashes a department writes for "no value": - － ― — ‐ – ー ｰ (NFKC folds some of them).
fn is_dash(c: char) -> bool {
    matches!(c, '-' | '−' | '－' | '―' | '—' | '‐' | '–' | 'ー' | 'ｰ' | '─')
}

/// Whether a cell looks like a value rather than a label or a note: a number or date
/// cell, a text with digits, a dash, a not-measured note, an increase arrow.
pub fn is_value_like(cell: &CellIn<'_>) -> bool {
    if matches!(cell.value, CellValue::Number { .. } | CellValue::Date(_)) {
        return true;
    }
    let t = squash(cell.text);
    if t.is_empty() {
        return false;
    }
    t.chars().any(|c| c.is_ascii_digit())
        || t.chars().all(is_dash)
        || t.contains("未測定")
        || t.contains("末測定")
        || t.contains('↗')
        || t.contains('↘')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_keys_ignore_width_space_and_case() {
        assert_eq!(label_key("評価指標（定量的）"), label_key("評価指標 (定量的)"));
        assert_eq!(label_key(" 年\u{3000}度 "), "年度");
        assert_eq!(label_key("No."), label_key("ＮＯ．"));
        assert_eq!(label_key("主管部門："), "主管部門");
    }

    #[test]
    fn fiscal_years_of_the_year_row() {
        assert_eq!(fiscal_year("令和元年度 (2019年度)"), Some(2019));
        assert_eq!(fiscal_year("令和5年度 (2023年度)"), Some(2023));
        assert_eq!(fiscal_year("令和５年度（２０２３年度）"), Some(2023));
        assert_eq!(fiscal_year("令和 5 年度"), Some(2023));
        assert_eq!(fiscal_year("Ｒ４年度"), Some(2022));
        assert_eq!(fiscal_year("R元"), Some(2019));
        assert_eq!(fiscal_year("平成31年度"), Some(2019));
        assert_eq!(fiscal_year("平成32年度"), Some(2020));
        assert_eq!(fiscal_year("2022年度"), Some(2022));
        assert_eq!(fiscal_year("2022"), Some(2022));
        assert_eq!(fiscal_year("22年度"), Some(2022));
        assert_eq!(fiscal_year("㋿5年度"), Some(2023));
    }

    #[test]
    fn non_years_are_none() {
        for s in [
            "",
            "年度",
            "令和",
            "令和0年度",
            "元年度",
            "令和4年度 (2021年度)",
            "R3-7年度",
            "目標",
            "22",
            "4年度",
            "1000",
            "2101年度",
            "(2019年度)",
            "令和元年度 (2019年度",
            "令和4年度上期",
            "R1000",
        ] {
            assert_eq!(fiscal_year(s), None, "{s}");
        }
    }

    #[test]
    fn values_in_a_cell() {
        assert!(has_two_values("課税証明 650件 住民票等 46,600件"));
        assert!(has_two_values("約3,000人（前年比10%増）"));
        for s in [
            "-",
            "申込み 5%",
            "1,200回",
            "▲16.7%",
            "(本年度未測定)",
            "R4.9末 500件",
            "9月時点 500件",
            "2022年度 500件",
            "R4.12.1現在 500件",
            "2023/5/10",
            "１，０３４回",
            "10,024千円",
            "A4用紙 500枚",
        ] {
            assert!(!has_two_values(s), "{s}");
        }
    }

    #[test]
    fn units_after_the_value() {
        assert_eq!(unit_of("申込み 5%").as_deref(), Some("%"));
        assert_eq!(unit_of("申込み ５％").as_deref(), Some("%"));
        assert_eq!(unit_of("課税証明 500件").as_deref(), Some("件"));
        assert_eq!(unit_of("1,200回").as_deref(), Some("回"));
        assert_eq!(unit_of("▲16.7%").as_deref(), Some("%"));
        assert_eq!(unit_of("14,000 時間").as_deref(), Some("時間"));
        assert_eq!(unit_of("500件(見込み)").as_deref(), Some("件"));
        assert_eq!(unit_of("-"), None);
        assert_eq!(unit_of("(本年度未測定)"), None);
        assert_eq!(unit_of("500"), None);
    }

    #[test]
    fn value_like_cells() {
        let text = |t| CellIn { value: CellValue::Text, text: t, unit: "" };
        assert!(is_value_like(&text("-")));
        assert!(is_value_like(&text("612回")));
        assert!(is_value_like(&text("(本年度未測定)")));
        assert!(!is_value_like(&text("実績")));
        assert!(!is_value_like(&text("")));
        assert!(!is_value_like(&text("※見込み")));
    }
}
