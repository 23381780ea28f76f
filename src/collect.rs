//! Collecting: what each file of the inbox is (department, period, report date, revision,
//! rows), and which file of a department counts when it sent more than one.
//!
//! `submission` reads one file from its bytes; `decide` looks at all of them together.
//! Neither touches the file system, and neither looks at file times: an auditor's copy of
//! the folder has other times, and must give the same book.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::layout::rows::ReadContext;
use crate::layout::{label_value, texts_above, Found, Layout, LayoutKind};
use crate::model::{Consolidation, IndicatorRow, InputFile, Issue, Outcome, Problem, Resubmission, Spilled};
use torimatome_ja_core::era::{self, Date, Period};
use crate::normalize::{Output, Role};
use torimatome_ja_core::text;
use crate::pipeline::{OrderKey, PeriodSource, Pipeline};
use crate::workbook::{self, Opened, Workbook};

/// One file as read, before the run decides whether it counts. It depends on the file's
/// name and bytes and on the pipeline alone, so the rerun cache can keep it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Submission {
    pub name: String,
    pub size: u64,
    pub sha256: String,
    pub department: Option<String>,
    pub report_date: Option<Date>,
    /// 0 for a first submission; higher for 修正版, 修正版(2), v2, 第3版.
    pub revision: u32,
    /// The mark in the file name that gave the revision (修正版(2)), for the book.
    pub revision_mark: String,
    /// The layout that read it: a department's report is one per layout (its A–D list
    /// never supersedes its own cards).
    pub layout: String,
    /// Whether it took a password to open.
    pub opened: Opened,
    pub rows: Vec<IndicatorRow>,
    /// Its rows when they were set down on disk instead of kept in `rows` (a summary
    /// run); never cached, the cache keeps the rows themselves.
    #[serde(skip)]
    pub spilled: Option<Spilled>,
    pub rows_read: usize,
    pub problems: Vec<Problem>,
    /// Set when the file cannot count, whatever the other files are.
    pub rejected: Option<Outcome>,
}

impl Submission {
    fn new(name: &str, bytes: &[u8], sha256: String) -> Submission {
        Submission {
            name: name.to_string(),
            size: bytes.len() as u64,
            sha256,
            department: None,
            report_date: None,
            revision: 0,
            revision_mark: String::new(),
            layout: String::new(),
            opened: Opened::Plain,
            rows: Vec::new(),
            spilled: None,
            rows_read: 0,
            problems: Vec::new(),
            rejected: None,
        }
    }

    /// A file that cannot count for a reason found outside the readers (it could not be
    /// opened, or its reader failed).
    pub fn error(name: &str, bytes: &[u8], issue: Issue) -> Submission {
        let mut sub = Submission::new(name, bytes, crate::digest::sha256_hex(bytes));
        sub.problems.push(Problem::file(name, issue.clone()));
        sub.rejected = Some(Outcome::Error(issue));
        sub
    }
}

/// Whether a file name belongs to the collection at all; the reason when it does not.
pub fn screen(pipeline: &Pipeline, name: &str) -> Option<Issue> {
    // A file of a zip archive is named `archive.zip/folder/file`: its own name decides.
    let own = name.rsplit('/').next().unwrap_or(name);
    if own.starts_with("~$") {
        return Some(Issue::LockFile);
    }
    if own.starts_with('.') || name.contains("__MACOSX/") {
        return Some(Issue::HiddenFile);
    }
    if pipeline.exclude.iter().any(|re| re.is_match(name)) {
        return Some(Issue::Excluded);
    }
    if !pipeline.include.iter().any(|re| re.is_match(name)) {
        return Some(Issue::NotWorkbookName);
    }
    None
}

/// Read one file of the collection from its bytes (and their SHA-256, which the caller
/// has already taken to look the file up in the cache).
pub fn submission(pipeline: &Pipeline, period: Period, name: &str, bytes: &[u8], sha256: String) -> Submission {
    submission_of(pipeline, period, name, bytes, sha256, None)
}

/// [`submission`], with the workbook already parsed from these bytes when the run had to
/// look inside every file for its period first.
pub fn submission_of(
    pipeline: &Pipeline,
    period: Period,
    name: &str,
    bytes: &[u8],
    sha256: String,
    parsed: Option<Result<Workbook, workbook::ReadError>>,
) -> Submission {
    let mut sub = Submission::new(name, bytes, sha256);
    (sub.revision, sub.revision_mark) = revision(&pipeline.revision_marks, name);
    if let Some(issue) = screen(pipeline, name) {
        sub.rejected = Some(Outcome::Ignored(issue));
        return sub;
    }
    match parsed.unwrap_or_else(|| workbook::read_with_passwords(bytes, &pipeline.limits, &pipeline.passwords.for_file(name))) {
        Ok(book) => {
            sub.opened = book.opened;
            read_tables(pipeline, period, &book, &mut sub)
        }
        Err(e) => {
            sub.problems.push(Problem::file(name, Issue::Unreadable(e.clone())));
            sub.rejected = Some(Outcome::Error(Issue::Unreadable(e)));
        }
    }
    sub
}

fn read_tables(pipeline: &Pipeline, period: Period, book: &Workbook, sub: &mut Submission) {
    // The first sheet of a layout's kind that is not the right template.
    let mut wrong_template: Option<(String, Vec<String>)> = None;
    let mut failures: Vec<String> = Vec::new();
    let mut found_any = false;
    for layout in &pipeline.layouts {
        let normalizer = layout.normalizer(&pipeline.normalizer);
        for sheet in book.sheets.iter().filter(|s| layout.applies_to(s)) {
            let found = match layout.find(sheet) {
                Found::Yes(found) => found,
                Found::WrongTemplate(missing) => {
                    wrong_template.get_or_insert((sheet.name.clone(), missing));
                    continue;
                }
                Found::No => continue,
                Found::Failed(why) => {
                    failures.push(format!("{}: {why}", sheet.name));
                    let issue = Issue::LayoutFailed { layout: layout.name.clone(), why };
                    sub.problems.push(Problem { file: sub.name.clone(), sheet: sheet.name.clone(), cell: String::new(), raw: String::new(), issue });
                    continue;
                }
            };
            if !found_any {
                found_any = true;
                sub.layout = layout.name.clone();
                identify(pipeline, layout, period, sheet, found.top_row(), sub);
            }
            let department = sub.department.clone().unwrap_or_default();
            let ctx = ReadContext {
                file: &sub.name,
                department: &department,
                fiscal_year: period.fiscal_year,
                grades: layout.grades(),
                owners: layout.department.is_some(),
            };
            let read = found.read(sheet, &ctx, normalizer);
            sub.rows_read += read.rows_read;
            // A file set aside (another period, a department not on the roster) still says
            // how many rows it held; its cells are nobody's problem until it counts.
            if sub.rejected.is_none() {
                sub.rows.extend(read.rows.into_iter().map(|row| IndicatorRow { plan: layout.plan.clone(), ..row }));
                sub.problems.extend(read.problems);
            }
        }
    }
    if found_any {
        return;
    }
    // Nothing read: the file cannot count (`decide` takes its department from its name).
    if !failures.is_empty() {
        sub.rejected = Some(Outcome::Error(Issue::LayoutPluginFailed { failures }));
        return;
    }
    match wrong_template {
        Some((sheet, missing)) => {
            let issue = Issue::WrongTemplate { sheet, missing };
            sub.problems.push(Problem::file(&sub.name, issue.clone()));
            sub.rejected = Some(Outcome::Error(issue));
        }
        None => {
            let issue = Issue::NoLayout { sheets: book.sheets.iter().map(|s| s.name.clone()).collect() };
            sub.problems.push(Problem::file(&sub.name, issue.clone()));
            sub.rejected = Some(Outcome::Ignored(issue));
        }
    }
}

/// Department, period and report date of a file, from the cells above its table and its name.
fn identify(pipeline: &Pipeline, layout: &Layout, period: Period, sheet: &workbook::Sheet, header_row: u32, sub: &mut Submission) {
    let normalizer = layout.normalizer(&pipeline.normalizer);
    let department_cell = label_value(sheet, &pipeline.department_labels, header_row.max(1));
    let mut department = None;
    let mut why_not = None;
    if let Some((row, col)) = department_cell {
        let value = sheet.get(row, col).clone();
        let (cell, failures) = normalizer.one(Role::Department, value.clone(), value.display());
        match cell.out {
            Output::Department(name) => {
                // Written with look-alike letters: it is this department, and the cell
                // is to be retyped.
                for warning in &cell.warnings {
                    sub.problems.push(Problem {
                        file: sub.name.clone(),
                        sheet: sheet.name.clone(),
                        cell: crate::layout::a1(row, col),
                        raw: value.display(),
                        issue: Issue::DepartmentLookalike { warning: warning.clone() },
                    });
                }
                department = Some(name)
            }
            Output::Unreadable(why) => why_not = Some((crate::layout::a1(row, col), value.display(), why)),
            _ if !failures.is_empty() => {
                let why = failures.iter().map(|f| format!("{}: {}", f.step, f.why)).collect::<Vec<_>>().join("; ");
                why_not = Some((crate::layout::a1(row, col), value.display(), why));
            }
            _ => {}
        }
    }
    if department.is_none() && why_not.is_none() && pipeline.department_from_file_name {
        department = department_in_name(pipeline, &sub.name);
    }
    if department.is_none() && why_not.is_none() {
        department = layout.department.clone();
    }
    match (department, why_not) {
        (Some(d), _) => sub.department = Some(d),
        (None, Some((cell, raw, why))) => {
            let issue = Issue::DepartmentCellNotOnRoster { why: why.clone() };
            sub.problems.push(Problem { file: sub.name.clone(), sheet: sheet.name.clone(), cell, raw, issue });
            sub.rejected = Some(Outcome::Ignored(Issue::DepartmentNotOnRoster { why }));
            return;
        }
        (None, None) => {
            sub.problems.push(Problem::file(&sub.name, Issue::NoDepartmentAnywhere));
            sub.rejected = Some(Outcome::Ignored(Issue::NoDepartmentAnywhere));
            return;
        }
    }

    for source in &pipeline.period_checks {
        let texts = match source {
            PeriodSource::FileName => vec![sub.name.clone()],
            PeriodSource::Title => texts_above(sheet, header_row),
        };
        let stated: Option<Period> = texts.iter().find_map(|t| era::parse_period(t));
        if let Some(stated) = stated.filter(|p| *p != period) {
            let issue = Issue::AnotherPeriod { stated, expected: period };
            sub.problems.push(Problem::file(&sub.name, issue.clone()));
            sub.rejected = Some(Outcome::Ignored(issue));
            return;
        }
    }

    if let Some((row, col)) = label_value(sheet, &pipeline.report_date_labels, header_row.max(1)) {
        let value = sheet.get(row, col).clone();
        let (cell, _) = normalizer.one(Role::ReportDate, value.clone(), value.display());
        match cell.out {
            Output::Date { year, month, day } => sub.report_date = Date::new(year, month, day),
            Output::Unreadable(why) => sub.problems.push(Problem {
                file: sub.name.clone(),
                sheet: sheet.name.clone(),
                cell: crate::layout::a1(row, col),
                raw: value.display(),
                issue: Issue::ReportDate { why },
            }),
            _ => {}
        }
    }
}

/// The period most files state, for a pipeline that leaves it to the files. Ties go to
/// the later period.
pub fn majority_period(stated: impl IntoIterator<Item = Period>) -> Option<Period> {
    let mut votes: Vec<(Period, usize)> = Vec::new();
    for p in stated {
        match votes.iter_mut().find(|(q, _)| *q == p) {
            Some((_, n)) => *n += 1,
            None => votes.push((p, 1)),
        }
    }
    votes.into_iter().max_by_key(|(p, n)| (*n, *p)).map(|(p, _)| p)
}

/// The period a workbook states in the title above its first visible sheet's table.
pub fn period_in_title(book: &Workbook) -> Option<Period> {
    let sheet = book.sheets.iter().find(|s| s.visible)?;
    texts_above(sheet, 10).iter().find_map(|t| era::parse_period(t))
}

/// A roster department named in the file name, the longest if several match.
fn department_in_name(pipeline: &Pipeline, name: &str) -> Option<String> {
    let key = text::squash(name);
    pipeline
        .roster
        .iter()
        .filter(|(d, aliases)| std::iter::once(d).chain(aliases).any(|n| key.contains(&text::squash(n))))
        .max_by_key(|(d, _)| d.chars().count())
        .map(|(d, _)| d.clone())
}

/// The marks people put in a file name to say it replaces an earlier one, each with the
/// number it gives (None: 1). Read on the name in NFKC, so full-width brackets and digits
/// count as narrow ones.
static REVISION_MARKS: std::sync::LazyLock<Vec<Regex>> = std::sync::LazyLock::new(|| {
    [
        // 修正版, 修正版(2), 修正2, 訂正, 差替, 【差替】, 差し替え, 再提出 (再提出(2)).
        r"(?:修正|訂正|改訂|差替|差し替え|差換|差し換え|更新|再提出)版?\s*(?:[(\[]\s*(\d+)\s*[)\]]|(\d+))?",
        // 再々提出: the third.
        r"再々提出()()",
        // 第2版, 第3稿.
        r"第\s*(\d+)\s*(?:版|稿)",
        // v2, ver.3, Ver 4, version5; not the v inside a word.
        r"(?i)(?:^|[^a-z])v(?:er(?:sion)?)?\.?\s*(\d+)",
    ]
    .iter()
    .filter_map(|re| Regex::new(re).ok())
    .collect()
});

/// The revision a file name marks and the mark as written: 0 for none; 修正版 1, 修正版(2)
/// 2, 修正版(10) 10 (numbers compare as numbers), 第3版 3, v10 10, 再提出 1, 再々提出 2,
/// 【差替】 1. The pipeline's own marks (`revision_marks`, whose first capture group, if
/// any, is the number) add to these.
pub fn revision(pipeline_marks: &[Regex], name: &str) -> (u32, String) {
    let name = text::nfkc(name);
    let stem = name.rsplit_once('.').map_or(name.as_str(), |(stem, _)| stem);
    let mut best = (0, String::new());
    for (re, builtin) in REVISION_MARKS.iter().map(|re| (re, true)).chain(pipeline_marks.iter().map(|re| (re, false))) {
        for c in re.captures_iter(stem) {
            let number = c.iter().skip(1).flatten().find_map(|m| m.as_str().parse().ok());
            let number = match number {
                Some(n) => n,
                None if builtin && c[0].starts_with("再々") => 2,
                None => 1,
            };
            if number > best.0 {
                best = (number, c[0].trim_start_matches(|ch: char| !ch.is_alphanumeric() && ch != '【' && ch != '第').to_string());
            }
        }
    }
    best
}

/// Decide which files count and put the collection together.
pub fn decide(pipeline: &Pipeline, period: Period, mut subs: Vec<Submission>) -> Consolidation {
    subs.sort_by(|a, b| a.name.cmp(&b.name));
    // A file nothing could be read from (it would not open, or matched no layout) still
    // names its department in its name: the office must ask that department for a file it
    // can open, not for a file.
    let unread = |o: &Option<Outcome>| matches!(o, Some(Outcome::Error(_) | Outcome::Ignored(Issue::NoLayout { .. })));
    for sub in subs.iter_mut().filter(|s| s.department.is_none() && unread(&s.rejected)) {
        sub.department = department_in_name(pipeline, &sub.name);
    }
    let mut files = Vec::with_capacity(subs.len());
    // Sized once: grown by doubling, a prefecture's rows would briefly be held twice.
    let mut rows = Vec::with_capacity(subs.iter().map(|s| s.rows.len()).sum());
    let mut spilled = Vec::new();
    let mut problems = Vec::new();
    let mut superseded_rows = Vec::new();

    // A submission is one department's report of one layout; of several files of one,
    // the newest counts and the others are superseded. Grouped by name: a prefecture's
    // inbox has thousands of departments.
    let mut groups: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, sub) in subs.iter().enumerate() {
        if let (None, Some(dep)) = (&sub.rejected, &sub.department) {
            groups.entry((dep, &sub.layout)).or_default().push(i);
        }
    }
    let mut winner_of: Vec<Option<usize>> = vec![None; subs.len()];
    let mut resubmissions = Vec::new();
    for ((department, layout), members) in &groups {
        let decision = newest(&pipeline.order, &subs, members);
        for &i in members {
            winner_of[i] = Some(decision.winner);
        }
        if members.len() < 2 {
            continue;
        }
        let winner = &subs[decision.winner];
        if !decision.undecided.is_empty() {
            let others = decision.undecided.iter().map(|&i| subs[i].name.clone()).collect();
            problems.push(Problem::file(&winner.name, Issue::Undecided { winner: winner.name.clone(), others }));
        }
        resubmissions.push(Resubmission {
            department: department.to_string(),
            layout: layout.to_string(),
            files: members.iter().map(|&i| subs[i].name.clone()).collect(),
            winner: winner.name.clone(),
            why: decision.why,
            undecided: !decision.undecided.is_empty(),
        });
    }

    let names: Vec<String> = subs.iter().map(|s| s.name.clone()).collect();
    for ((i, sub), winner) in subs.into_iter().enumerate().zip(winner_of) {
        let outcome = match (&sub.rejected, winner) {
            (Some(o), _) => o.clone(),
            (None, Some(w)) if w == i => Outcome::Consolidated,
            (None, Some(w)) => Outcome::Superseded { by: names[w].clone() },
            (None, None) => Outcome::Ignored(Issue::NoDepartment),
        };
        let consolidated = outcome == Outcome::Consolidated;
        let rows_kept = sub.rows.len() + sub.spilled.map_or(0, |s| s.rows);
        let rows_consolidated = if consolidated { rows_kept } else { 0 };
        files.push(InputFile {
            opened: sub.opened,
            name: sub.name.clone(),
            size: sub.size,
            sha256: sub.sha256.clone(),
            department: sub.department.clone(),
            outcome,
            rows_read: sub.rows_read,
            rows_consolidated,
            rows_set_aside: sub.rows_read - rows_consolidated,
        });
        if consolidated {
            rows.extend(sub.rows);
            spilled.extend(sub.spilled);
            problems.extend(sub.problems);
        } else if matches!(files.last().map(|f: &InputFile| &f.outcome), Some(Outcome::Superseded { .. })) {
            // Kept to show what the file that superseded it corrected.
            superseded_rows.extend(sub.rows);
        } else if sub.rejected.is_some() {
            // A rejected file is rejected before its table is read: its problems say why.
            problems.extend(sub.problems);
        }
    }
    for file in &files {
        if let Outcome::Superseded { by } = &file.outcome {
            problems.push(Problem::file(&file.name, Issue::Superseded { by: by.clone() }));
        }
    }
    Problem::sort(&mut problems);
    Consolidation {
        period,
        title: pipeline.title.clone(),
        roster: pipeline.roster.iter().map(|(d, _)| d.clone()).collect(),
        rows,
        files,
        problems,
        resubmissions,
        superseded_rows,
        plans: in_order(pipeline.layouts.iter().map(|l| &l.plan)),
        note_labels: in_order(pipeline.layouts.iter().flat_map(|l| match &l.kind {
            LayoutKind::Table(t) => t.notes.iter().map(|(label, _)| label).collect(),
            LayoutKind::Plugin(_) => Vec::new(),
        })),
        rules: pipeline.rules.clone(),
        spilled,
    }
}

/// Texts once each, in the order first given.
fn in_order<'a>(texts: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for text in texts {
        if !out.contains(text) {
            out.push(text.clone());
        }
    }
    out
}

/// The newest of one submission's files, why, and which files the pipeline's order could
/// not tell from it.
struct Newest {
    winner: usize,
    why: String,
    undecided: Vec<usize>,
}

/// The newest of a submission's files by the pipeline's keys. Report dates decide only
/// between two files that both state one; file names come last, in natural order
/// (修正(10) after 修正(9)), and a decision by name alone is reported as undecided.
fn newest(order: &[OrderKey], subs: &[Submission], members: &[usize]) -> Newest {
    let decisive = |a: &Submission, b: &Submission| -> Option<(OrderKey, Ordering)> {
        order.iter().filter(|k| **k != OrderKey::FileName).find_map(|key| {
            let o = match key {
                OrderKey::ReportDate => match (a.report_date, b.report_date) {
                    (Some(x), Some(y)) => x.cmp(&y),
                    _ => Ordering::Equal,
                },
                OrderKey::Revision => a.revision.cmp(&b.revision),
                OrderKey::FileName => Ordering::Equal,
            };
            (o != Ordering::Equal).then_some((*key, o))
        })
    };
    // One pass rather than a sort: report dates that only some files state can make the
    // order intransitive, and a sort must not be handed that.
    let beats = |a: &Submission, b: &Submission| match decisive(a, b) {
        Some((_, o)) => o == Ordering::Greater,
        None => natural(&a.name, &b.name) == Ordering::Greater,
    };
    let mut winner = members[0];
    for &m in &members[1..] {
        if beats(&subs[m], &subs[winner]) {
            winner = m;
        }
    }
    let mut keys: Vec<OrderKey> = Vec::new();
    let mut undecided = Vec::new();
    for &other in members.iter().filter(|&&m| m != winner) {
        match decisive(&subs[winner], &subs[other]) {
            Some((key, Ordering::Greater)) => {
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
            _ => undecided.push(other),
        }
    }
    let w = &subs[winner];
    let mut why: Vec<String> = keys
        .iter()
        .map(|key| match key {
            OrderKey::ReportDate => format!("報告日が最も新しい ({})", w.report_date.map(|d| d.to_string()).unwrap_or_default()),
            OrderKey::Revision => format!("版が最も新しい ({})", w.revision_mark),
            OrderKey::FileName => String::new(),
        })
        .collect();
    if !undecided.is_empty() {
        why.push("判定できず名前の順で採用 (問題一覧参照)".into());
    }
    Newest { winner, why: why.join("、"), undecided }
}

/// Names compared with their digit runs as numbers: 修正版(10) after 修正版(9).
fn natural(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (a.peek().copied(), b.peek().copied()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let run = |it: &mut std::iter::Peekable<std::str::Chars>| {
                    let mut digits = String::new();
                    while let Some(d) = it.next_if(char::is_ascii_digit) {
                        digits.push(d);
                    }
                    digits
                };
                let (x, y) = (run(&mut a), run(&mut b));
                let (xt, yt) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                let o = xt.len().cmp(&yt.len()).then_with(|| xt.cmp(yt)).then_with(|| x.len().cmp(&y.len()));
                if o != Ordering::Equal {
                    return o;
                }
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(&y);
                }
                a.next();
                b.next();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rev(name: &str) -> (u32, String) {
        revision(&[], name)
    }

    #[test]
    fn revision_marks_people_write_are_read_with_their_numbers() {
        assert_eq!(rev("R4上期_企画課.xlsx"), (0, String::new()));
        assert_eq!(rev("R4上期_企画課_修正版.xlsx").0, 1);
        assert_eq!(rev("R4上期_企画課_修正版(2).xlsx"), (2, "修正版(2)".into()));
        assert_eq!(rev("R4上期_企画課_修正版（１０）.xlsx").0, 10);
        assert_eq!(rev("R4上期_企画課_修正2.xlsx").0, 2);
        assert_eq!(rev("R4上期_市民課_v2.xlsx"), (2, "v2".into()));
        assert_eq!(rev("R4上期_市民課_v10.xlsx").0, 10);
        assert_eq!(rev("R4上期_市民課_Ver.3.xlsx").0, 3);
        assert_eq!(rev("R4上期_環境課_第3版.xlsx"), (3, "第3版".into()));
        assert_eq!(rev("【差替】R4上期_福祉課.xlsx").0, 1);
        assert_eq!(rev("R4上期_防災課_再提出.xlsx").0, 1);
        assert_eq!(rev("R4上期_防災課_再々提出.xlsx").0, 2);
        // A v inside a word, and a copy's "(2)" with no mark, say nothing.
        assert_eq!(rev("R4上期_review_2.xlsx").0, 0);
        assert_eq!(rev("R4上期_企画課 (2).xlsx").0, 0);
    }

    #[test]
    fn names_compare_their_numbers_as_numbers() {
        assert_eq!(natural("修正版(10).xlsx", "修正版(9).xlsx"), Ordering::Greater);
        assert_eq!(natural("a2", "a10"), Ordering::Less);
        assert_eq!(natural("a02", "a2"), Ordering::Greater);
        assert_eq!(natural("b", "a9"), Ordering::Greater);
        assert_eq!(natural("x", "x"), Ordering::Equal);
    }
}
