//! Collecting: what each file of the inbox is (department, period, report date, revision,
//! rows), and which file of a department counts when it sent more than one.
//!
//! `submission` reads one file from its bytes; `decide` looks at all of them together.
//! Neither touches the file system, and neither looks at file times: an auditor's copy of
//! the folder has other times, and must give the same book.

use std::cmp::Ordering;
use std::collections::HashMap;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::layout::rows::ReadContext;
use crate::layout::{label_value, texts_above, Found, Layout};
use crate::model::{Consolidation, IndicatorRow, InputFile, Outcome, Problem};
use crate::normalize::era::{self, Date, Period};
use crate::normalize::{text, Output, Role};
use crate::pipeline::{OrderKey, PeriodSource, Pipeline};
use crate::workbook::{self, Workbook};

/// One file as read, before the run decides whether it counts. It depends on the file's
/// name and bytes and on the pipeline alone, so the rerun cache can keep it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Submission {
    pub name: String,
    pub size: u64,
    pub sha256: String,
    pub department: Option<String>,
    pub report_date: Option<Date>,
    /// 0 for a first submission; higher for 修正版, v2, 第3版.
    pub revision: u32,
    pub rows: Vec<IndicatorRow>,
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
            rows: Vec::new(),
            rows_read: 0,
            problems: Vec::new(),
            rejected: None,
        }
    }

    /// A file that cannot count for a reason found outside the readers (it could not be
    /// opened, or its reader failed).
    pub fn error(name: &str, bytes: &[u8], reason: String, todo: &str) -> Submission {
        let mut sub = Submission::new(name, bytes, crate::digest::sha256_hex(bytes));
        sub.problems.push(Problem::file(name, reason.clone(), todo));
        sub.rejected = Some(Outcome::Error { reason });
        sub
    }
}

/// Whether a file name belongs to the collection at all; the reason when it does not.
pub fn screen(pipeline: &Pipeline, name: &str) -> Option<String> {
    if name.starts_with("~$") {
        return Some("Excel の作業中ロックファイル / Excel owner (lock) file".into());
    }
    if name.starts_with('.') {
        return Some("隠しファイル / hidden file".into());
    }
    if pipeline.exclude.iter().any(|re| re.is_match(name)) {
        return Some("パイプラインの除外パターンに該当 / excluded by the pipeline".into());
    }
    if !pipeline.include.iter().any(|re| re.is_match(name)) {
        return Some("ブックの拡張子ではない / not a workbook by its name".into());
    }
    None
}

/// Read one file of the collection from its bytes (and their SHA-256, which the caller
/// has already taken to look the file up in the cache).
pub fn submission(pipeline: &Pipeline, period: Period, name: &str, bytes: &[u8], sha256: String) -> Submission {
    let mut sub = Submission::new(name, bytes, sha256);
    sub.revision = revision(&pipeline.revision_marks, name);
    if let Some(reason) = screen(pipeline, name) {
        sub.rejected = Some(Outcome::Ignored { reason });
        return sub;
    }
    match workbook::read(bytes, &pipeline.limits) {
        Ok(book) => read_tables(pipeline, period, &book, &mut sub),
        Err(e) => {
            sub.rejected = Some(Outcome::Error { reason: e.to_string() });
            sub.problems.push(Problem::file(name, e.to_string(), "提出元に開けるファイルの再提出を依頼 / ask for the file again"));
        }
    }
    sub
}

fn read_tables(pipeline: &Pipeline, period: Period, book: &Workbook, sub: &mut Submission) {
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
                    sub.problems.push(Problem {
                        file: sub.name.clone(),
                        sheet: sheet.name.clone(),
                        cell: String::new(),
                        raw: String::new(),
                        what: format!("レイアウト {} が失敗 / layout {} failed: {why}", layout.name, layout.name),
                        todo: "このシートは読まずに続行; プラグインの作成者に報告 / sheet skipped; report it to the plugin's maker".into(),
                    });
                    failures.push(format!("{}: {why}", sheet.name));
                    continue;
                }
            };
            if !found_any {
                found_any = true;
                identify(pipeline, layout, period, sheet, found.top_row(), sub);
            }
            let department = sub.department.clone().unwrap_or_default();
            let ctx = ReadContext { file: &sub.name, department: &department, fiscal_year: period.fiscal_year, grades: layout.grades() };
            let read = found.read(sheet, &ctx, normalizer);
            sub.rows_read += read.rows_read;
            // A file set aside (another period, a department not on the roster) still says
            // how many rows it held; its cells are nobody's problem until it counts.
            if sub.rejected.is_none() {
                sub.rows.extend(read.rows);
                sub.problems.extend(read.problems);
            }
        }
    }
    if !found_any && !failures.is_empty() {
        let reason = format!("プラグインが読めなかった / a layout plugin failed: {}", failures.join("; "));
        sub.rejected = Some(Outcome::Error { reason });
        return;
    }
    if found_any {
        return;
    }
    let reason = match wrong_template {
        Some((sheet, missing)) => format!(
            "様式が違う: シート「{sheet}」に {} の列がない / wrong template: no {} column",
            missing.join("・"),
            missing.join(", ")
        ),
        None => {
            let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
            format!(
                "宣言されたどの様式にも合わない (シート: {}) / matches no declared layout",
                names.join(", ")
            )
        }
    };
    let error = wrong_template_is_error(&reason);
    sub.problems.push(Problem::file(&sub.name, reason.clone(), if error {
        "正しい様式での再提出を依頼 / ask for the report on the current template"
    } else {
        "この様式を読むレイアウトをパイプラインに宣言 / declare a layout for this kind of workbook"
    }));
    sub.rejected = Some(if error { Outcome::Error { reason } } else { Outcome::Ignored { reason } });
}

fn wrong_template_is_error(reason: &str) -> bool {
    reason.starts_with("様式が違う")
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
            Output::Department(name) => department = Some(name),
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
            sub.problems.push(Problem {
                file: sub.name.clone(),
                sheet: sheet.name.clone(),
                cell,
                raw,
                what: format!("担当課が名簿にない / department not on the roster: {why}"),
                todo: "名簿か別名 (aliases) に加えるか、提出元を確認 / add it to the roster or aliases, or check the sender".into(),
            });
            sub.rejected = Some(Outcome::Ignored { reason: format!("名簿にない担当課 / department not on the roster: {why}") });
            return;
        }
        (None, None) => {
            let reason = "担当課が読めない / no department in the file or its name".to_string();
            sub.problems.push(Problem::file(&sub.name, reason.clone(), "担当課欄の記入を依頼 / ask for the 担当課 cell"));
            sub.rejected = Some(Outcome::Ignored { reason });
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
            let reason = format!(
                "別の期の報告 ({} / {}) / reports on another period than {}",
                stated.label_ja(),
                stated,
                period
            );
            sub.problems.push(Problem::file(&sub.name, reason.clone(), "提出期間を確認 / check which period the file reports"));
            sub.rejected = Some(Outcome::Ignored { reason });
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
                what: why,
                todo: "報告日を日付で記入するよう依頼 / ask for a date".into(),
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

/// The revision a file name marks: 修正版 without a number counts as 1.
fn revision(marks: &[Regex], name: &str) -> u32 {
    let name = text::nfkc(name);
    marks
        .iter()
        .filter_map(|re| re.captures(&name))
        .map(|c| c.get(1).and_then(|m| m.as_str().parse().ok()).unwrap_or(1))
        .max()
        .unwrap_or(0)
}

/// Decide which files count and put the collection together.
pub fn decide(pipeline: &Pipeline, period: Period, mut subs: Vec<Submission>) -> Consolidation {
    subs.sort_by(|a, b| a.name.cmp(&b.name));
    let mut files = Vec::with_capacity(subs.len());
    // Sized once: grown by doubling, a prefecture's rows would briefly be held twice.
    let mut rows = Vec::with_capacity(subs.iter().map(|s| s.rows.len()).sum());
    let mut problems = Vec::new();

    // The winner of each department, by the pipeline's order; the others are superseded.
    // Looked up by name: a prefecture's inbox has thousands of departments.
    let mut best_of: HashMap<&str, usize> = HashMap::new();
    for (i, sub) in subs.iter().enumerate() {
        let (None, Some(dep)) = (&sub.rejected, &sub.department) else { continue };
        best_of
            .entry(dep)
            .and_modify(|best| {
                if newer(&pipeline.order, sub, &subs[*best]) == Ordering::Greater {
                    *best = i;
                }
            })
            .or_insert(i);
    }
    let winners: Vec<Option<usize>> = subs.iter().map(|s| s.department.as_deref().and_then(|d| best_of.get(d).copied())).collect();

    let names: Vec<String> = subs.iter().map(|s| s.name.clone()).collect();
    for ((i, sub), winner) in subs.into_iter().enumerate().zip(winners) {
        let outcome = match (&sub.rejected, winner) {
            (Some(o), _) => o.clone(),
            (None, Some(w)) if w == i => Outcome::Consolidated,
            (None, Some(w)) => Outcome::Superseded { by: names[w].clone() },
            (None, None) => Outcome::Ignored { reason: "担当課が読めない / no department".into() },
        };
        let consolidated = outcome == Outcome::Consolidated;
        let rows_consolidated = if consolidated { sub.rows.len() } else { 0 };
        files.push(InputFile {
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
            problems.extend(sub.problems);
        } else if sub.rejected.is_some() {
            // A rejected file is rejected before its table is read: its problems say why.
            problems.extend(sub.problems);
        }
    }
    for file in &files {
        if let Outcome::Superseded { by } = &file.outcome {
            problems.push(Problem::file(
                &file.name,
                format!("{by} に差し替えられた / superseded by a later submission"),
                "対応不要 (新しい方を集計) / nothing: the newer file is used",
            ));
        }
    }
    problems.sort();
    Consolidation {
        period,
        title: pipeline.title.clone(),
        roster: pipeline.roster.iter().map(|(d, _)| d.clone()).collect(),
        rows,
        files,
        problems,
    }
}

/// Order two submissions of one department by the pipeline's keys; later wins.
fn newer(order: &[OrderKey], a: &Submission, b: &Submission) -> Ordering {
    order
        .iter()
        .map(|key| match key {
            OrderKey::ReportDate => a.report_date.cmp(&b.report_date),
            OrderKey::Revision => a.revision.cmp(&b.revision),
            OrderKey::FileName => a.name.cmp(&b.name),
        })
        .find(|o| *o != Ordering::Equal)
        .unwrap_or(Ordering::Equal)
}
