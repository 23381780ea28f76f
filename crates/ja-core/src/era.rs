//! Japanese eras, fiscal years (年度), dates and half-year periods (上期/下期).
//!
//! Every parser here takes the text as a person typed it: it is NFKC-normalised first, so
//! full-width digits ("令和５年度"), full-width letters ("Ｒ４") and era ligatures ("㋿")
//! need no special case. A parser returns `None` rather than guess: an era year the era
//! never had, a date before its era began, or two spellings of a year that disagree.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::text::{nfkc, squash};

/// A calendar date. Build checked dates with [`Date::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

/// Half of a fiscal year: 上期 is April–September, 下期 is October–March.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Half {
    First,
    Second,
}

/// One reporting period: a fiscal year and its half. Displays as "2022H1".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Period {
    pub fiscal_year: i32,
    pub half: Half,
}

/// The eras a city-hall document can name. Earlier eras cannot occur in a DX plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Era {
    Showa,
    Heisei,
    Reiwa,
}

/// What a value column holds, read from its sub-header ("R3計画値", "9月末時点"). The
/// type belongs to the plugin API, since it crosses the boundary.
pub use torimatome_plugin_api::HeaderKind;

// ---------------------------------------------------------------- dates

impl Date {
    /// A date that exists in the proleptic Gregorian calendar, or `None`.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// The last day of a month ("R5.3末" means 31 March).
    fn month_end(year: i32, month: u32) -> Option<Date> {
        Date::new(year, month, days_in_month(year, month))
    }

    /// Days since 1970-01-01 (H. Hinnant's days_from_civil).
    fn to_days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Inverse of [`Date::to_days`] (H. Hinnant's civil_from_days). Callers keep `days`
    /// within Excel's range, so the year always fits an `i32`.
    fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: year as i32,
            month: month as u32,
            day: day as u32,
        }
    }

    /// 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday.
    fn weekday(self) -> usize {
        (self.to_days() + 4).rem_euclid(7) as usize
    }
}

impl fmt::Display for Date {
    /// ISO 8601, the form written to the book.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// ---------------------------------------------------------------- eras

impl Era {
    /// Reads an era as written: full name, one-kanji abbreviation or initial
    /// (令和/令/R, 平成/平/H, 昭和/昭/S), in either letter case.
    pub fn from_name(name: &str) -> Option<Era> {
        match nfkc(name).as_str() {
            "令和" | "令" | "R" | "r" => Some(Era::Reiwa),
            "平成" | "平" | "H" | "h" => Some(Era::Heisei),
            "昭和" | "昭" | "S" | "s" => Some(Era::Showa),
            _ => None,
        }
    }

    /// The era's name as printed in the book ("令和").
    pub fn name(self) -> &'static str {
        match self {
            Era::Reiwa => "令和",
            Era::Heisei => "平成",
            Era::Showa => "昭和",
        }
    }

    /// Western year of the era's year 0.
    fn offset(self) -> i32 {
        match self {
            Era::Reiwa => 2018,
            Era::Heisei => 1988,
            Era::Showa => 1925,
        }
    }

    /// Highest era year accepted. 平成 ended in its 31st year, but forms printed before the
    /// change say 平成32年/平成33年, so a few years past the end are still unambiguous.
    /// 令和 is open-ended; 182 keeps every result within 2200.
    fn last_year(self) -> u32 {
        match self {
            Era::Reiwa => 182,
            Era::Heisei => 35,
            Era::Showa => 64,
        }
    }

    /// First day of the era: no date of the era can precede it.
    fn first_day(self) -> Date {
        match self {
            Era::Reiwa => Date {
                year: 2019,
                month: 5,
                day: 1,
            },
            Era::Heisei => Date {
                year: 1989,
                month: 1,
                day: 8,
            },
            Era::Showa => Date {
                year: 1926,
                month: 12,
                day: 25,
            },
        }
    }
}

/// Western year of an era year (元年 is year 1), or `None` when the era never had it.
pub fn era_year(era: Era, y: u32) -> Option<i32> {
    if y == 0 || y > era.last_year() {
        return None;
    }
    // y <= 182 here, so the conversion cannot fail.
    i32::try_from(y).ok().map(|y| era.offset() + y)
}

/// Fiscal year named by an era year. Identical to [`era_year`] except 昭和64年度: 昭和64
/// lasted seven days in January 1989, inside FY1988 (昭和63年度), so it named no fiscal year.
fn era_fiscal_year(era: Era, y: u32) -> Option<i32> {
    if era == Era::Showa && y == 64 {
        return None;
    }
    era_year(era, y)
}

/// The era a fiscal year is printed in; FY2019 is 令和元年度 by convention.
fn era_of_fiscal_year(fiscal_year: i32) -> Option<(Era, i32)> {
    let era = match fiscal_year {
        2019..=2200 => Era::Reiwa,
        1989..=2018 => Era::Heisei,
        1927..=1988 => Era::Showa,
        _ => return None,
    };
    Some((era, fiscal_year - era.offset()))
}

/// Western years written without an era, in four digits: only years a DX plan can name,
/// so a count such as "1000" is not read as a year.
const WESTERN_YEARS: std::ops::RangeInclusive<i32> = 1989..=2100;

/// Any date or year this module returns lies in this range.
const SANE_YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

// ---------------------------------------------------------------- regexes

/// Era spellings, longest first because the regex alternation is leftmost-first.
macro_rules! era_names {
    () => {
        "令和|令|平成|平|昭和|昭|[RrHhSs]"
    };
}

/// A year as it opens a date: era + era year, or four western digits.
macro_rules! date_year {
    () => {
        concat!(
            r"(?:(?P<era>",
            era_names!(),
            r")\s*(?P<ey>元|[0-9]{1,3})|(?P<wy>[0-9]{4}))"
        )
    };
}

/// What may follow a date: a weekday in brackets, then 時点/現在 ("as of").
macro_rules! date_tail {
    () => {
        r"\s*(?:\((?P<wd>[日月火水木金土])(?:曜日?)?\))?\s*(?:時点|現在)?$"
    };
}

fn regex(pattern: &str) -> Regex {
    // Patterns are constants exercised by the tests; a failure is a programming error.
    Regex::new(pattern).expect("constant regex")
}

/// One year on its own: "令和元年度", "R4", "2022年度", "22年度".
static YEAR_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    regex(concat!(
        r"^(?:(?P<era>",
        era_names!(),
        r")\s*)?(?P<num>元|[0-9]{1,4})\s*(?P<nendo>年度)?$"
    ))
});

/// Two years joined by a range mark: "R3-7年度", "令和3～7年度", "R3年度～R7年度".
static YEAR_RANGE: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^(?P<from>.+?)\s*(?:-|~|〜|−|–|から)\s*(?P<to>.+)$"));

/// "令和4年9月30日", "R6年12月末", "2023年5月10日".
static KANJI_DATE: LazyLock<Regex> = LazyLock::new(|| {
    regex(concat!(
        "^",
        date_year!(),
        r"\s*年\s*(?P<m>[0-9]{1,2})\s*月\s*(?:(?P<d>[0-9]{1,2})\s*日|(?P<end>末日?))?",
        date_tail!()
    ))
});

/// "R4.9.30", "R5.3末", "2023/5/10", "2023-05-10", "R2.8".
static DOTTED_DATE: LazyLock<Regex> = LazyLock::new(|| {
    regex(concat!(
        "^",
        date_year!(),
        r"\s*(?P<s1>[./-])\s*(?P<m>[0-9]{1,2})\s*(?:(?P<s2>[./-])\s*(?P<d>[0-9]{1,2})|(?P<end>末日?))?",
        date_tail!()
    ))
});

/// A month with no year, as in the sub-header "9月末時点".
static MONTH_ONLY: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^(?P<m>[0-9]{1,2})月(?:(?P<d>[0-9]{1,2})日|末日?)?(?:時点|現在)?$"));

/// A fiscal year followed by a half, anywhere in a file name or title.
static PERIOD_JA: LazyLock<Regex> = LazyLock::new(|| {
    regex(concat!(
        r"(?:(?P<era>",
        era_names!(),
        r")\s*(?P<ey>元|[0-9]{1,3})\s*(?:年度)?|(?P<wy>[0-9]{4})\s*(?:年度)?|(?P<wy2>[0-9]{2})\s*年度)",
        r"\s*[_\-・]?\s*(?P<half>上半期|下半期|上期|下期)"
    ))
});

/// "2022H1", "2022-H2", anywhere in a file name.
static PERIOD_H: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?P<wy>[0-9]{4})\s*[_\-]?\s*[Hh](?P<n>[12])"));

// ---------------------------------------------------------------- fiscal years

/// A year as written, before deciding which fiscal year it names.
struct YearText {
    era: Option<Era>,
    num: u32,
    digits: usize,
    nendo: bool,
}

impl YearText {
    /// Splits an NFKC-normalised text that is nothing but a year.
    fn parse(s: &str) -> Option<YearText> {
        let c = YEAR_TEXT.captures(s)?;
        let era = match c.name("era") {
            Some(m) => Some(Era::from_name(m.as_str())?),
            None => None,
        };
        let num = c.name("num")?.as_str();
        Some(YearText {
            era,
            num: era_number(num)?,
            digits: num.chars().count(),
            nendo: c.name("nendo").is_some(),
        })
    }

    /// The fiscal year named. `inherited` is the era of the left end of a range, which a
    /// bare right end ("R3-7年度") shares; a four-digit right end is western on its own.
    fn fiscal_year(&self, inherited: Option<Era>) -> Option<i32> {
        let era = self.era.or(inherited.filter(|_| self.digits <= 3));
        match era {
            Some(era) if self.digits <= 3 => era_fiscal_year(era, self.num),
            Some(_) => None,
            None => western_fiscal_year(self.num, self.digits, self.nendo),
        }
    }
}

/// "元" is year 1; anything else must be ASCII digits (NFKC already folded full width).
fn era_number(s: &str) -> Option<u32> {
    if s == "元" {
        Some(1)
    } else {
        s.parse().ok()
    }
}

/// Four digits in [`WESTERN_YEARS`]; two digits only with 年度 ("22年度" = 2022), because a
/// bare "22" is more likely a count than a year.
fn western_fiscal_year(num: u32, digits: usize, nendo: bool) -> Option<i32> {
    let year = i32::try_from(num).ok()?;
    match digits {
        4 => WESTERN_YEARS.contains(&year).then_some(year),
        2 if nendo => Some(2000 + year),
        _ => None,
    }
}

/// Parses "main (gloss)" where both halves name the same thing, as in
/// "令和元年度 (2019年度)"; a gloss that disagrees makes the whole text unreadable.
/// Text without a trailing bracket is parsed as is.
fn with_gloss<T: PartialEq>(s: &str, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
    match s.strip_suffix(')').and_then(|rest| rest.split_once('(')) {
        Some((main, gloss)) => {
            let value = parse(main.trim())?;
            (parse(gloss.trim())? == value).then_some(value)
        }
        None => parse(s),
    }
}

fn single_fiscal_year(s: &str) -> Option<i32> {
    YearText::parse(s)?.fiscal_year(None)
}

/// The one fiscal year a text names: "令和4年度", "R4", "令4", "平成32年度", "2022年度",
/// "2022", "22年度", "令和元年度 (2019年度)". The text must be a year and nothing else;
/// "令和4年" (a calendar year) and "R4上期" are not fiscal years.
pub fn fiscal_year(s: &str) -> Option<i32> {
    with_gloss(&nfkc(s), single_fiscal_year)
}

fn single_fiscal_year_range(s: &str) -> Option<(i32, i32)> {
    let Some(c) = YEAR_RANGE.captures(s) else {
        return single_fiscal_year(s).map(|y| (y, y));
    };
    let from = YearText::parse(c.name("from")?.as_str())?;
    let to = YearText::parse(c.name("to")?.as_str())?;
    let first = from.fiscal_year(None)?;
    let last = to.fiscal_year(from.era)?;
    (first <= last).then_some((first, last))
}

/// First and last fiscal year of a plan span: "R3-7年度" → (2021, 2025), "令和3～7年度",
/// "R3年度～R7年度", "2021-2025年度". A single year gives (y, y); a reversed span is `None`.
pub fn fiscal_year_range(s: &str) -> Option<(i32, i32)> {
    with_gloss(&nfkc(s), single_fiscal_year_range)
}

/// Fiscal year a date falls in: April–December belong to the calendar year's FY,
/// January–March to the previous one.
pub fn fiscal_year_of(d: Date) -> i32 {
    if d.month >= 4 {
        d.year
    } else {
        d.year - 1
    }
}

/// Period a date falls in: April–September is the first half.
pub fn period_of(d: Date) -> Period {
    let half = if (4..=9).contains(&d.month) {
        Half::First
    } else {
        Half::Second
    };
    Period {
        fiscal_year: fiscal_year_of(d),
        half,
    }
}

// ---------------------------------------------------------------- dates from text

/// A date written in a cell or header: "令和4年9月30日", "R4.9.30", "R4.12.1現在",
/// "2023/5/10", "2023-05-10", "2023年5月10日", "令和4年9月30日(金)".
///
/// - "R5.3末", "R6年12月末" mean the last day of the month.
/// - "R2.8" (a month, no day, no 末) means the first day of the month: the month is what
///   the caller needs (for [`period_of`]), and the first day is the only day the text
///   does not contradict. A month without a day needs "." or "/", so "R3-7" (a range of
///   fiscal years) is not read as July.
/// - A date before its era began is `None` ("令和元年4月30日"); a date after its era ended
///   is accepted, because forms printed earlier keep the old era and are unambiguous
///   ("平成31年5月1日" = 2019-05-01).
/// - A weekday in brackets must match the date.
/// - Text with no year ("9月末時点") is `None`.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = nfkc(s);
    if let Some(c) = KANJI_DATE.captures(&s) {
        return date_from(&c);
    }
    let c = DOTTED_DATE.captures(&s)?;
    let s1 = c.name("s1")?.as_str();
    let consistent = match c.name("s2") {
        Some(s2) => s2.as_str() == s1,
        None => c.name("d").is_none() && (c.name("end").is_some() || s1 != "-"),
    };
    if consistent {
        date_from(&c)
    } else {
        None
    }
}

/// Builds and checks the date matched by [`KANJI_DATE`] or [`DOTTED_DATE`].
fn date_from(c: &Captures) -> Option<Date> {
    let (year, era) = date_year(c)?;
    let month: u32 = c.name("m")?.as_str().parse().ok()?;
    let date = match (c.name("d"), c.name("end")) {
        (Some(d), _) => Date::new(year, month, d.as_str().parse().ok()?)?,
        (None, Some(_)) => Date::month_end(year, month)?,
        (None, None) => Date::new(year, month, 1)?,
    };
    if era.is_some_and(|era| date < era.first_day()) {
        return None;
    }
    match c.name("wd") {
        Some(wd) if !weekday_matches(date, wd.as_str()) => None,
        _ => Some(date),
    }
}

/// Western year of a matched date and the era it was written in, if any.
fn date_year(c: &Captures) -> Option<(i32, Option<Era>)> {
    let (year, era) = match (c.name("era"), c.name("ey"), c.name("wy")) {
        (Some(era), Some(y), _) => {
            let era = Era::from_name(era.as_str())?;
            (era_year(era, era_number(y.as_str())?)?, Some(era))
        }
        (_, _, Some(y)) => (y.as_str().parse().ok()?, None),
        _ => return None,
    };
    SANE_YEARS.contains(&year).then_some((year, era))
}

fn weekday_matches(date: Date, written: &str) -> bool {
    const NAMES: [&str; 7] = ["日", "月", "火", "水", "木", "金", "土"];
    NAMES.get(date.weekday()) == Some(&written)
}

/// Converts an Excel serial date (1900 date system) to a date, ignoring the time fraction.
///
/// Excel counts 1900-01-01 as 1 and keeps Lotus 1-2-3's fictitious 1900-02-29 as serial
/// 60, so serials from 61 on are one day ahead of a plain count: 61 is 1900-03-01. Serial
/// 60 names no real date and gives `None`, as do 0, negatives, NaN, infinities and
/// serials past 9999-12-31 (2958465), Excel's own limits. Cells with Japanese era formats
/// arrive this way from calamine.
pub fn serial_to_date(serial: f64) -> Option<Date> {
    const LAST_SERIAL: f64 = 2_958_465.0;
    if !serial.is_finite() {
        return None;
    }
    let whole = serial.floor();
    if !(1.0..=LAST_SERIAL).contains(&whole) {
        return None;
    }
    // In range 1..=2958465, so the conversion is exact.
    let n = whole as i64;
    let day_zero = match n {
        60 => return None,
        1..=59 => Date {
            year: 1899,
            month: 12,
            day: 31,
        },
        _ => Date {
            year: 1899,
            month: 12,
            day: 30,
        },
    };
    Some(Date::from_days(day_zero.to_days() + n))
}

// ---------------------------------------------------------------- periods

impl Half {
    /// "上期" or "下期".
    pub fn label_ja(self) -> &'static str {
        match self {
            Half::First => "上期",
            Half::Second => "下期",
        }
    }
}

impl Period {
    /// The period as the council reads it: "令和4年度上期", "令和元年度下期",
    /// "平成30年度上期". Years outside the eras are written in western digits.
    pub fn label_ja(&self) -> String {
        let year = match era_of_fiscal_year(self.fiscal_year) {
            Some((era, 1)) => format!("{}元年度", era.name()),
            Some((era, y)) => format!("{}{}年度", era.name(), y),
            None => format!("{}年度", self.fiscal_year),
        };
        format!("{}{}", year, self.half.label_ja())
    }
}

impl fmt::Display for Period {
    /// "2022H1": sorts and compares as text, and is the form the pipeline config uses.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = match self.half {
            Half::First => 1,
            Half::Second => 2,
        };
        write!(f, "{}H{}", self.fiscal_year, n)
    }
}

/// Finds the period a file name or title names: "R4上期_情報政策課.xlsx",
/// "令和4年度上期_危機管理課_進捗報告.xlsx", "2022H1-市民課.xlsx", "Ｒ４上期　こども未来課.xlsx",
/// "令和4年度 上期 ICT戦略推進プラン 進捗状況報告書", "2022年度下期", "R4下半期".
///
/// The year must come right before the half (spaces, "_", "-" or "・" between are allowed).
/// `None` when no period is named, and when the text names two different periods: a file
/// called "R4上期_R4下期比較" is for a person to place, not for us to guess.
pub fn parse_period(s: &str) -> Option<Period> {
    let s = nfkc(s);
    let mut found: BTreeSet<Period> = BTreeSet::new();
    found.extend(
        PERIOD_JA
            .captures_iter(&s)
            .filter_map(|c| period_ja(&s, &c)),
    );
    found.extend(PERIOD_H.captures_iter(&s).filter_map(|c| period_h(&s, &c)));
    let mut periods = found.into_iter();
    match (periods.next(), periods.next()) {
        (Some(period), None) => Some(period),
        _ => None,
    }
}

/// A match of [`PERIOD_JA`], unless it is the tail of a longer word or number
/// ("PR4上期", "12022年度上期").
fn period_ja(s: &str, c: &Captures) -> Option<Period> {
    let fiscal_year = match (c.name("era"), c.name("ey"), c.name("wy"), c.name("wy2")) {
        (Some(era), Some(y), _, _) => {
            // An era initial glued to a word ("PR4") is not an era; a kanji era stands alone.
            if era.as_str().is_ascii() && glued(s, era.start(), |b| b.is_ascii_alphanumeric()) {
                return None;
            }
            era_fiscal_year(Era::from_name(era.as_str())?, era_number(y.as_str())?)?
        }
        (_, _, Some(y), _) if !glued(s, y.start(), |b| b.is_ascii_digit()) => {
            western_fiscal_year(y.as_str().parse().ok()?, 4, false)?
        }
        (_, _, _, Some(y)) if !glued(s, y.start(), |b| b.is_ascii_digit()) => {
            western_fiscal_year(y.as_str().parse().ok()?, 2, true)?
        }
        _ => return None,
    };
    let half = match c.name("half")?.as_str() {
        "上期" | "上半期" => Half::First,
        _ => Half::Second,
    };
    Some(Period { fiscal_year, half })
}

/// A match of [`PERIOD_H`] that is not part of a longer number ("12022H1", "2022H12").
fn period_h(s: &str, c: &Captures) -> Option<Period> {
    let whole = c.get(0)?;
    let digit_after = s
        .get(whole.end()..)
        .and_then(|rest| rest.chars().next())
        .is_some_and(|a| a.is_ascii_digit());
    if digit_after || glued(s, whole.start(), |b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = c.name("wy")?.as_str().parse().ok()?;
    let half = if c.name("n")?.as_str() == "1" {
        Half::First
    } else {
        Half::Second
    };
    WESTERN_YEARS.contains(&year).then_some(Period {
        fiscal_year: year,
        half,
    })
}

/// Whether the character before byte `i` (a char boundary reported by the regex) makes
/// the match the tail of a longer token.
fn glued(s: &str, i: usize, joins: impl Fn(char) -> bool) -> bool {
    s.get(..i)
        .and_then(|head| head.chars().next_back())
        .is_some_and(joins)
}

// ---------------------------------------------------------------- value headers

/// Header words naming the kind of value below them. Longer words first, so that
/// "計画値(R4)" is not read as "計画" followed by "値(R4)".
const KIND_WORDS: [(&str, HeaderKind); 10] = [
    ("計画値", HeaderKind::Plan),
    ("計画", HeaderKind::Plan),
    ("目標値", HeaderKind::Plan),
    ("目標", HeaderKind::Plan),
    ("予定値", HeaderKind::Plan),
    ("予定", HeaderKind::Plan),
    ("実績値", HeaderKind::Actual),
    ("実績", HeaderKind::Actual),
    ("基準値", HeaderKind::Baseline),
    ("現状値", HeaderKind::Baseline),
];

/// Reads a value column's sub-header: the kind of value and, when written, its fiscal year.
///
/// - "R3計画値" → (Plan, 2021); "令和5年度計画値" → (Plan, 2023); "目標値"/"目標" are Plan.
/// - "実績値" → (Actual, None); "9月末時点" → (Actual, None): an as-of point is an actual.
/// - "R2.8実績値" → (Actual, 2020): a dated header names the fiscal year of its date, so
///   "R3.2実績値" is FY2020.
/// - "基準値"/"現状値" → Baseline.
/// - "計画値(R4)" (year after the word, in brackets) is read too.
///
/// "R1実績値" is returned as (Actual, 2019), not Baseline: whether an actual is the
/// baseline depends on the period being reported, which this function does not know. The
/// caller treats an actual of a fiscal year before the period's as the baseline.
///
/// Spacing and bracket width are ignored. `None` for anything else, including a year
/// prefix that is not a year ("第2期計画").
pub fn parse_value_header(s: &str) -> Option<(HeaderKind, Option<i32>)> {
    let s = squash(s);
    kind_and_year(&s).or_else(|| as_of(&s))
}

fn kind_and_year(s: &str) -> Option<(HeaderKind, Option<i32>)> {
    for (word, kind) in KIND_WORDS {
        if let Some(prefix) = s.strip_suffix(word) {
            return Some((kind, header_year(prefix)?));
        }
        let bracketed = s
            .strip_prefix(word)
            .and_then(|rest| rest.strip_prefix('('))
            .and_then(|rest| rest.strip_suffix(')'));
        if let Some(inner) = bracketed {
            return Some((kind, Some(header_year(inner)??)));
        }
    }
    None
}

/// "9月末時点", "R4.9.30現在": an as-of point without a kind word is an actual.
fn as_of(s: &str) -> Option<(HeaderKind, Option<i32>)> {
    if !(s.ends_with("時点") || s.ends_with("現在")) {
        return None;
    }
    Some((HeaderKind::Actual, header_year(s)?))
}

/// Fiscal year of a header's time part: `Some(None)` when there is none ("" or a month
/// without a year), `None` when the text is not a time at all.
fn header_year(s: &str) -> Option<Option<i32>> {
    if s.is_empty() || is_month_only(s) {
        return Some(None);
    }
    fiscal_year(s)
        .or_else(|| parse_date(s).map(fiscal_year_of))
        .map(Some)
}

/// "9月", "9月末", "9月30日", optionally with 時点/現在: a valid month (and day) of some year.
fn is_month_only(s: &str) -> bool {
    let Some(c) = MONTH_ONLY.captures(s) else {
        return false;
    };
    let month: u32 = c
        .name("m")
        .and_then(|m| m.as_str().parse().ok())
        .unwrap_or(0);
    let day: u32 = match c.name("d") {
        Some(d) => d.as_str().parse().unwrap_or(0),
        None => 1,
    };
    // 2000 is a leap year, so "2月29日時点" is accepted.
    Date::new(2000, month, day).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Cases that are a literal input and its expected result are tables in tests/data,
    // run by tests/tables.rs; the tests here build their input or expectation in code.

    fn date(year: i32, month: u32, day: u32) -> Date {
        Date { year, month, day }
    }

    fn period(fiscal_year: i32, half: Half) -> Period {
        Period { fiscal_year, half }
    }

    // ------------------------------------------------------------ Era

    #[test]
    fn era_names() {
        assert_eq!(Era::Reiwa.name(), "令和");
        assert_eq!(Era::Heisei.name(), "平成");
        assert_eq!(Era::Showa.name(), "昭和");
    }

    // ------------------------------------------------------------ fiscal_year_of / period_of

    #[test]
    fn period_of_a_parsed_serial() {
        let report_day = serial_to_date(44834.0).map(period_of);
        assert_eq!(report_day, Some(period(2022, Half::First)));
    }

    // ------------------------------------------------------------ Period display

    #[test]
    fn period_display() {
        assert_eq!(period(2022, Half::First).to_string(), "2022H1");
        assert_eq!(period(2022, Half::Second).to_string(), "2022H2");
    }

    #[test]
    fn period_sorts_by_year_then_half() {
        assert!(period(2022, Half::First) < period(2022, Half::Second));
        assert!(period(2022, Half::Second) < period(2023, Half::First));
    }

    #[test]
    fn date_display_is_iso() {
        assert_eq!(date(2022, 9, 30).to_string(), "2022-09-30");
    }

    #[test]
    fn days_round_trip() {
        for d in [
            date(1900, 1, 1),
            date(1970, 1, 1),
            date(2000, 2, 29),
            date(2022, 9, 30),
            date(9999, 12, 31),
        ] {
            assert_eq!(Date::from_days(d.to_days()), d);
        }
        assert_eq!(date(1970, 1, 1).to_days(), 0);
    }
}
