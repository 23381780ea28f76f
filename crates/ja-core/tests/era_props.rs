//! Property tests for fiscal years, dates, periods and numbers.
//!
//! Every path below goes through `torimatome_ja_core::`; in torimatome the same file works with
//! `torimatome_ja_core::` replaced by `torimatome_ja_core::`.

use torimatome_ja_core::era::{
    fiscal_year, fiscal_year_of, parse_date, parse_period, period_of, serial_to_date, Date, Half,
    Period,
};
use torimatome_ja_core::number::{parse_number, percent_points, Number};
use proptest::prelude::*;

/// Full-width digits, as a Japanese IME types them: "2022" → "２０２２".
fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(0xFF10 + d).unwrap_or(c),
            None => c,
        })
        .collect()
}

/// Era year as printed: 1 is 元.
fn era_number(n: i32) -> String {
    if n == 1 {
        "元".to_string()
    } else {
        n.to_string()
    }
}

/// Every supported spelling of fiscal year `y`; spellings that cannot name `y` (令和
/// before 2019, 平成 after 平成32, two digits outside 2000s) are left out.
fn spellings(y: i32) -> Vec<String> {
    let mut forms = vec![
        format!("{y}年度"),
        format!("{y}"),
        full_width(&format!("{y}年度")),
        format!("{y} 年度"),
    ];
    if (2000..=2099).contains(&y) {
        forms.push(format!("{:02}年度", y - 2000));
        forms.push(full_width(&format!("{:02}年度", y - 2000)));
    }
    if y >= 2019 {
        let n = y - 2018;
        let gannen = era_number(n);
        forms.extend([
            format!("令和{gannen}年度"),
            format!("令和{}年度", full_width(&n.to_string())),
            format!("令和 {n} 年度"),
            format!("R{n}年度"),
            format!("R{n}"),
            format!("r{n}"),
            format!("令{n}"),
            format!("Ｒ{}", full_width(&n.to_string())),
            format!("令和{gannen}年度 ({y}年度)"),
            format!("令和{gannen}年度（{y}年度）"),
        ]);
    }
    if (1989..=2020).contains(&y) {
        let n = y - 1988;
        forms.extend([
            format!("平成{}年度", era_number(n)),
            format!("H{n}年度"),
            format!("平成{}年度 ({y}年度)", era_number(n)),
        ]);
    }
    forms
}

/// "1234567" → "1,234,567" with the given separator.
fn grouped(n: u64, separator: &str) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(c);
    }
    out
}

fn plain(value: f64) -> Number {
    Number {
        value: Some(value),
        flag: None,
        unit: None,
    }
}

proptest! {
    #[test]
    fn every_spelling_of_a_fiscal_year_parses_back(y in 1989i32..=2100) {
        for form in spellings(y) {
            prop_assert_eq!(fiscal_year(&form), Some(y), "{}", form);
        }
    }

    #[test]
    fn a_contradicting_gloss_is_refused(y in 2019i32..=2100, off in 1i32..=5) {
        let form = format!("令和{}年度 ({}年度)", y - 2018, y + off);
        prop_assert_eq!(fiscal_year(&form), None);
    }

    #[test]
    fn era_years_stay_inside_their_eras(n in 0u32..=400) {
        // 令和 never names a year before 2019; 平成 stops at 平成35 (forms printed before
        // the change); 昭和64年度 never existed.
        let reiwa = fiscal_year(&format!("令和{n}年度"));
        prop_assert!(reiwa.is_none_or(|y| (2019..=2200).contains(&y)), "{:?}", reiwa);
        let heisei = fiscal_year(&format!("平成{n}年度"));
        prop_assert!(heisei.is_none_or(|y| (1989..=2023).contains(&y)), "{:?}", heisei);
        let showa = fiscal_year(&format!("昭和{n}年度"));
        prop_assert!(showa.is_none_or(|y| (1926..=1988).contains(&y)), "{:?}", showa);
    }

    #[test]
    fn periods_round_trip_through_their_labels(y in 1989i32..=2100, first in any::<bool>()) {
        let half = if first { Half::First } else { Half::Second };
        let period = Period { fiscal_year: y, half };
        prop_assert_eq!(parse_period(&period.to_string()), Some(period));
        prop_assert_eq!(parse_period(&period.label_ja()), Some(period));
        prop_assert_eq!(parse_period(&format!("{}_情報政策課.xlsx", period.label_ja())), Some(period));
    }

    #[test]
    fn serial_dates_are_consecutive(serial in 61u32..=200_000) {
        let today = serial_to_date(f64::from(serial));
        let tomorrow = serial_to_date(f64::from(serial + 1));
        prop_assert!(today.is_some() && tomorrow.is_some());
        prop_assert!(today < tomorrow);
    }

    #[test]
    fn written_dates_parse_back(serial in 33_000u32..=73_000) {
        // 1990-05-06 .. 2099-11-10
        let d = serial_to_date(f64::from(serial)).unwrap_or(Date { year: 0, month: 0, day: 0 });
        let Date { year, month, day } = d;
        let forms = [
            format!("{year}/{month}/{day}"),
            format!("{year}-{month:02}-{day:02}"),
            format!("{year}年{month}月{day}日"),
            full_width(&format!("{year}/{month}/{day}")),
        ];
        for form in forms {
            prop_assert_eq!(parse_date(&form), Some(d), "{}", form);
        }
        let reiwa_from = Date { year: 2019, month: 5, day: 1 };
        if d >= reiwa_from {
            let n = era_number(year - 2018);
            prop_assert_eq!(parse_date(&format!("令和{n}年{month}月{day}日")), Some(d));
            prop_assert_eq!(parse_date(&format!("R{}.{month}.{day}現在", year - 2018)), Some(d));
        } else {
            // 1 January .. 30 April 2019 is 平成31年, never 令和元年.
            if year == 2019 {
                prop_assert_eq!(parse_date(&format!("令和元年{month}月{day}日")), None);
            }
            prop_assert_eq!(parse_date(&format!("平成{}年{month}月{day}日", era_number(year - 1988))), Some(d));
        }
    }

    #[test]
    fn a_date_lies_in_its_period(serial in 33_000u32..=73_000) {
        let d = serial_to_date(f64::from(serial)).unwrap_or(Date { year: 0, month: 0, day: 0 });
        let p = period_of(d);
        prop_assert_eq!(p.fiscal_year, fiscal_year_of(d));
        let first_half = (4..=9).contains(&d.month);
        prop_assert_eq!(p.half == Half::First, first_half);
        prop_assert!(d.year == p.fiscal_year || d.year == p.fiscal_year + 1);
    }

    #[test]
    fn grouped_integers_parse_back(n in 0u64..=999_999_999_999_999) {
        let value = n as f64;
        prop_assert_eq!(parse_number(&n.to_string()), Ok(plain(value)));
        prop_assert_eq!(parse_number(&grouped(n, ",")), Ok(plain(value)));
        prop_assert_eq!(parse_number(&full_width(&grouped(n, "，"))), Ok(plain(value)));
    }

    #[test]
    fn accounting_negatives_parse_back(n in 1u64..=999_999_999_999) {
        let value = -(n as f64);
        for sign in ["▲", "△", "-", "−", "－"] {
            let raw = format!("{sign}{}", grouped(n, ","));
            prop_assert_eq!(parse_number(&raw), Ok(plain(value)), "{}", raw);
        }
        prop_assert_eq!(parse_number(&full_width(&format!("▲{}", grouped(n, "，")))), Ok(plain(value)));
    }

    #[test]
    fn percents_in_tenths_parse_back(tenths in 0u32..=100_000, fw in any::<bool>()) {
        let text = format!("{}.{}%", tenths / 10, tenths % 10);
        let expected: f64 = text.trim_end_matches('%').parse().unwrap_or(f64::NAN);
        let raw = if fw { full_width(&text).replace('.', "．").replace('%', "％") } else { text };
        let n = parse_number(&raw);
        prop_assert_eq!(n.as_ref().ok().and_then(|n| n.value), Some(expected));
        prop_assert_eq!(n.ok().and_then(|n| n.unit), Some("%".to_string()));
        prop_assert_eq!(percent_points(expected / 100.0), expected);
    }

    #[test]
    fn badly_grouped_numbers_are_refused(head in 1u64..=999, tail in 0u64..=99) {
        let raw = format!("{head},{tail}");
        prop_assert!(parse_number(&raw).is_err(), "{}", raw);
    }

    #[test]
    fn no_input_panics(s in "\\PC{0,40}") {
        let _ = parse_number(&s);
        let _ = fiscal_year(&s);
        let _ = parse_date(&s);
        let _ = parse_period(&s);
        let _ = torimatome_ja_core::era::fiscal_year_range(&s);
        let _ = torimatome_ja_core::era::parse_value_header(&s);
        let _ = torimatome_ja_core::text::lookalikes(&s);
    }

    #[test]
    fn no_japanese_ish_input_panics(s in "[0-9０-９,，.．元年度月日末令和平成RHS上下期~～\\-▲△%％約程度 ]{0,20}") {
        let _ = parse_number(&s);
        let _ = fiscal_year(&s);
        let _ = torimatome_ja_core::era::fiscal_year_range(&s);
        let _ = parse_date(&s);
        let _ = parse_period(&s);
        let _ = torimatome_ja_core::era::parse_value_header(&s);
    }

    #[test]
    fn no_serial_panics(serial in any::<f64>()) {
        let _ = serial_to_date(serial);
    }
}
