//! Comparing readings: this period against the last (前期比), and a corrected file (修正版)
//! against the file it superseded (差し替えの差分). Rows are matched by identity (see
//! [`identity`]), never by position; a match made by similarity is marked as such, with its
//! score and any other candidate. Pure: the snapshot comes in as a value, lines come out,
//! and the book words them.

pub mod identity;
pub mod snapshot;

use std::collections::BTreeMap;

use torimatome_ja_core::era::Period;

use crate::model::{AchievementRule, Consolidation, Direction, IndicatorRow, Kind, ValueCell};
use identity::{key, similarity};
pub use snapshot::{SnapRow, Snapshot};

/// Below this similarity two names are not taken for one renamed.
pub const RENAME_THRESHOLD: f64 = 0.5;
/// Another candidate this close to the best makes a rename uncertain.
const CLOSE: f64 = 0.15;

/// What a line of 前期比 is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Department,
    Project,
    Indicator,
}

/// What became of it between the periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Here both times, under the same name.
    Kept,
    /// Here both times, its name changed (matched by similarity).
    Renamed,
    Added,
    Dropped,
    /// A department that submitted last period and has no consolidated file now.
    NotSubmitted,
}

/// How the two were matched.
#[derive(Debug, Clone, PartialEq)]
pub enum Match {
    /// The same name as written.
    Same,
    /// The same name once normalised (numbering, width, spaces), written differently.
    Spelling,
    /// Taken for a rename: how alike (0–100), and other candidates nearly as alike.
    Similar { percent: u32, others: Vec<String> },
    /// Nothing to match (added, dropped).
    None,
}

/// Which way the change went, against the indicator's target direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Better,
    Worse,
    /// No change.
    Level,
    /// Changed, with no better or worse (an indicator to hold at its level; a status to or
    /// from 取組なし or a blank).
    Changed,
    /// A figure is missing on one side.
    NotComparable,
}

/// One line of 前期比.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub level: Level,
    pub change: Change,
    pub department: String,
    pub goal: String,
    pub measure: String,
    pub project: String,
    pub indicator: String,
    pub unit: String,
    /// The indicator's target direction (indicators only).
    pub direction: Option<Direction>,
    /// Last period's status (projects) or actual as written (indicators).
    pub last: String,
    pub this: String,
    /// This actual less the last (indicators with both).
    pub delta: Option<f64>,
    pub verdict: Option<Verdict>,
    pub matched: Match,
    /// The name last period gave it, when it differs.
    pub last_name: String,
    /// Where each side was read: `file sheet!cell`.
    pub last_source: String,
    pub this_source: String,
}

/// 前期比: the periods compared, and the lines in the book's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub last: Period,
    pub this: Period,
    pub lines: Vec<Line>,
}

/// Compare this consolidation with the last period's snapshot.
pub fn compare(last: &Snapshot, c: &Consolidation) -> Comparison {
    let this_rows: Vec<SnapRow> = c.rows.iter().map(SnapRow::of).collect();
    let last_projects = projects(&last.rows);
    let this_projects = projects(&this_rows);
    let pairs = match_groups(&last_projects, &this_projects, |a, b| a.department_key == b.department_key);
    let years = (last.period.fiscal_year, c.period.fiscal_year);
    let mut lines: Vec<(SortKey, Line)> = Vec::new();

    let submitted = c.submitted();
    let failed: Vec<&str> = c.failed().into_iter().map(|(d, _)| d).collect();
    for d in last.submitted.iter().filter(|d| !submitted.contains(&d.as_str())) {
        let mut line = blank_line(Level::Department, Change::NotSubmitted);
        line.department = d.clone();
        line.last = last_word::SUBMITTED.to_string();
        line.this = if failed.contains(&d.as_str()) { last_word::FAILED } else { last_word::MISSING }.to_string();
        lines.push((SortKey::department(d), line));
    }

    let not_submitted: Vec<&str> = last.submitted.iter().map(String::as_str).filter(|d| !submitted.contains(d)).collect();
    for pair in &pairs {
        let (l, t) = (pair.last.map(|i| &last_projects[i]), pair.this.map(|i| &this_projects[i]));
        // A department that has not submitted is one line above, not each of its projects.
        if let (Some(l), None) = (l, t) {
            if not_submitted.contains(&last.rows[l.first].department.as_str()) {
                continue;
            }
        }
        let (shown_rows, shown_first) = match (t, l) {
            (Some(t), _) => (&this_rows, t.first),
            (None, Some(l)) => (&last.rows, l.first),
            (None, None) => continue,
        };
        let head = &shown_rows[shown_first];
        let mut line = blank_line(Level::Project, change_of(pair));
        set_names(&mut line, head);
        line.matched = pair.matched.clone();
        if let Some(l) = l {
            let r = &last.rows[l.first];
            line.last = status_text(r);
            line.last_source = status_source(r);
            if pair.this.is_some() && r.project != head.project {
                line.last_name = r.project.clone();
            }
        }
        if let Some(t) = t {
            let r = &this_rows[t.first];
            line.this = status_text(r);
            line.this_source = status_source(r);
        }
        if let (Some(l), Some(t)) = (l, t) {
            line.verdict = Some(status_verdict(last.rows[l.first].status.as_deref(), this_rows[t.first].status.as_deref()));
        }
        let project_key = SortKey::project(head);
        lines.push((project_key.clone(), line));

        // Indicators, within a project found both times.
        let (Some(l), Some(t)) = (l, t) else { continue };
        let last_ind = indicators(&last.rows, &l.rows);
        let this_ind = indicators(&this_rows, &t.rows);
        let ipairs = match_groups(&last_ind, &this_ind, |_, _| true);
        for ip in &ipairs {
            let li = ip.last.map(|i| &last.rows[last_ind[i].first]);
            let ti = ip.this.map(|i| &this_rows[this_ind[i].first]);
            let Some(shown) = ti.or(li) else { continue };
            let mut line = blank_line(Level::Indicator, change_of(ip));
            set_names(&mut line, head);
            line.indicator = shown.indicator.clone().unwrap_or_default();
            line.unit = shown.unit.clone();
            line.matched = ip.matched.clone();
            let rule = rule_for(&c.rules, &line.indicator, &line.unit);
            line.direction = Some(rule.direction);
            let last_actual = li.and_then(|r| actual(r, years.0));
            let this_actual = ti.and_then(|r| actual(r, years.1));
            if let Some(r) = li {
                line.last = last_actual.map(|v| v.raw.clone()).unwrap_or_default();
                line.last_source = value_source(r, last_actual);
                if ti.is_some() && r.indicator != shown.indicator {
                    line.last_name = r.indicator.clone().unwrap_or_default();
                }
            }
            if let Some(r) = ti {
                line.this = this_actual.map(|v| v.raw.clone()).unwrap_or_default();
                line.this_source = value_source(r, this_actual);
            }
            if li.is_some() && ti.is_some() {
                let (a, b) = (last_actual.and_then(|v| v.value), this_actual.and_then(|v| v.value));
                line.delta = a.zip(b).map(|(a, b)| round(b - a));
                line.verdict = Some(value_verdict(line.delta, rule));
            }
            let order = ti.map_or(u32::MAX, |r| r.row);
            lines.push((project_key.indicator(order, &line.indicator), line));
        }
    }
    lines.sort_by(|a, b| a.0.cmp(&b.0));
    Comparison { last: last.period, this: c.period, lines: lines.into_iter().map(|(_, l)| l).collect() }
}

/// The words of a department's line, as the book shows them.
pub mod last_word {
    pub const SUBMITTED: &str = "提出";
    pub const MISSING: &str = "未提出";
    pub const FAILED: &str = "届いたが集計できない";
}

fn blank_line(level: Level, change: Change) -> Line {
    Line {
        level,
        change,
        department: String::new(),
        goal: String::new(),
        measure: String::new(),
        project: String::new(),
        indicator: String::new(),
        unit: String::new(),
        direction: None,
        last: String::new(),
        this: String::new(),
        delta: None,
        verdict: None,
        matched: Match::None,
        last_name: String::new(),
        last_source: String::new(),
        this_source: String::new(),
    }
}

fn set_names(line: &mut Line, r: &SnapRow) {
    line.department = r.department.clone();
    line.goal = r.goal.clone();
    line.measure = r.measure.clone();
    line.project = r.project.clone();
}

fn change_of(pair: &Pair) -> Change {
    match (pair.last, pair.this, &pair.matched) {
        (Some(_), Some(_), Match::Similar { .. }) => Change::Renamed,
        (Some(_), Some(_), _) => Change::Kept,
        (Some(_), None, _) => Change::Dropped,
        _ => Change::Added,
    }
}

fn status_text(r: &SnapRow) -> String {
    r.status.clone().unwrap_or_else(|| crate::model::NO_STATUS.to_string())
}

fn status_source(r: &SnapRow) -> String {
    format!("{} {}!{}", r.file, r.sheet, r.row)
}

fn value_source(r: &SnapRow, v: Option<&ValueCell>) -> String {
    match v {
        Some(v) => format!("{} {}!{}", r.file, r.sheet, v.cell),
        None => format!("{} {}!{}", r.file, r.sheet, r.row),
    }
}

/// The actual a row gives for a fiscal year.
fn actual(r: &SnapRow, fiscal_year: i32) -> Option<&ValueCell> {
    r.values.iter().find(|v| v.kind == Kind::Actual && v.fiscal_year == fiscal_year)
}

/// A difference without the noise of binary fractions (5910 − 5820.1).
fn round(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

/// The rule the pipeline gives an indicator, as the book's achievement takes it.
fn rule_for<'a>(rules: &'a [AchievementRule], name: &str, unit: &str) -> &'a AchievementRule {
    rules
        .iter()
        .find(|r| r.name.as_ref().is_none_or(|re| re.is_match(name)) && r.unit.as_ref().is_none_or(|re| re.is_match(unit)))
        .unwrap_or(&AchievementRule::DEFAULT)
}

fn value_verdict(delta: Option<f64>, rule: &AchievementRule) -> Verdict {
    let Some(delta) = delta else { return Verdict::NotComparable };
    if delta == 0.0 {
        return Verdict::Level;
    }
    match (rule.direction, delta > 0.0) {
        (Direction::Increase, true) | (Direction::Decrease, false) => Verdict::Better,
        (Direction::Increase, false) | (Direction::Decrease, true) => Verdict::Worse,
        (Direction::Keep, _) => Verdict::Changed,
    }
}

/// 達成 above 推進中 above 課題あり; 取組なし (none this year, or finished) and a blank are
/// on no scale.
fn status_verdict(last: Option<&str>, this: Option<&str>) -> Verdict {
    let rank = |s: Option<&str>| match s {
        Some(s) if s == crate::model::STATUSES[0] => Some(3),
        Some(s) if s == crate::model::STATUSES[1] => Some(2),
        Some(s) if s == crate::model::STATUSES[2] => Some(1),
        _ => None,
    };
    match (rank(last), rank(this)) {
        _ if last == this => Verdict::Level,
        (Some(a), Some(b)) if b > a => Verdict::Better,
        (Some(a), Some(b)) if b < a => Verdict::Worse,
        _ => Verdict::Changed,
    }
}

/// The order of 前期比: departments not submitted first, then projects by goal, measure,
/// project and department, each followed by its indicators in the file's order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct SortKey {
    section: u8,
    names: [String; 4],
    row: u32,
    indicator: String,
}

impl SortKey {
    fn department(d: &str) -> SortKey {
        SortKey { section: 0, names: [d.to_string(), String::new(), String::new(), String::new()], row: 0, indicator: String::new() }
    }

    /// By identity, so that a renumbered goal still sorts with its own.
    fn project(r: &SnapRow) -> SortKey {
        SortKey { section: 1, names: [key(&r.goal), key(&r.measure), key(&r.project), r.department.clone()], row: 0, indicator: String::new() }
    }

    fn indicator(&self, row: u32, name: &str) -> SortKey {
        // After the project's own line (row 0): this period's rows first, in their order,
        // then the dropped ones by name.
        SortKey { section: self.section, names: self.names.clone(), row: row.saturating_add(1), indicator: name.to_string() }
    }
}

/// Rows that are one thing (a project, an indicator of it): the first row's index, all
/// of them, and the identity key.
#[derive(Debug)]
struct Group {
    first: usize,
    rows: Vec<usize>,
    /// The name compared for a rename (the project's or the indicator's key).
    name: String,
    /// Everything else of the identity (department, goal, measure).
    department_key: String,
    context: String,
    /// The whole identity.
    key: String,
    /// The name as written, for the list of candidates.
    shown: String,
    /// The identity as written: the same key written otherwise is a match of spelling.
    written: String,
}

fn projects(rows: &[SnapRow]) -> Vec<Group> {
    let mut by_key: BTreeMap<String, Group> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        let (d, g, m, p) = (key(&r.department), key(&r.goal), key(&r.measure), key(&r.project));
        let k = format!("{d}\u{1f}{g}\u{1f}{m}\u{1f}{p}");
        by_key
            .entry(k.clone())
            .or_insert_with(|| Group {
                first: i,
                rows: Vec::new(),
                name: p,
                department_key: d,
                context: format!("{g}\u{1f}{m}"),
                key: k,
                shown: r.project.clone(),
                written: [&r.department, &r.goal, &r.measure, &r.project].map(|s| s.as_str()).join("\u{1f}"),
            })
            .rows
            .push(i);
    }
    by_key.into_values().collect()
}

/// The indicators of one project's rows; rows without an indicator are left out. Two rows
/// of one name are two groups (the second keyed apart), matched in their order.
fn indicators(rows: &[SnapRow], of: &[usize]) -> Vec<Group> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for &i in of {
        let Some(name) = rows[i].indicator.as_deref() else { continue };
        let k = key(name);
        let n = seen.entry(k.clone()).or_default();
        *n += 1;
        let full = format!("{k}\u{1f}{n}");
        out.push(Group { first: i, rows: vec![i], name: k, department_key: String::new(), context: String::new(), key: full, shown: name.to_string(), written: name.to_string() });
    }
    out
}

/// A match between the last period's group and this period's.
#[derive(Debug)]
struct Pair {
    last: Option<usize>,
    this: Option<usize>,
    matched: Match,
}

/// Match groups: the same identity first; then, among what is left, renames by the
/// similarity of their names (and context) above [`RENAME_THRESHOLD`], best first, between
/// groups that `comparable` allows; the rest added or dropped.
fn match_groups(last: &[Group], this: &[Group], comparable: impl Fn(&Group, &Group) -> bool) -> Vec<Pair> {
    let mut pairs = Vec::new();
    let mut this_free = vec![true; this.len()];
    let mut last_free = vec![true; last.len()];
    let this_by_key: BTreeMap<&str, usize> = this.iter().enumerate().map(|(i, g)| (g.key.as_str(), i)).collect();
    for (i, g) in last.iter().enumerate() {
        if let Some(&j) = this_by_key.get(g.key.as_str()) {
            let matched = if g.written == this[j].written { Match::Same } else { Match::Spelling };
            pairs.push(Pair { last: Some(i), this: Some(j), matched });
            last_free[i] = false;
            this_free[j] = false;
        }
    }
    // Every free pair alike enough, best first; ties by their keys, so the order is fixed.
    let score = |a: &Group, b: &Group| {
        let name = similarity(&a.name, &b.name);
        if a.context == b.context {
            name
        } else {
            0.8 * name + 0.2 * similarity(&a.context, &b.context)
        }
    };
    let mut candidates: Vec<(u64, usize, usize)> = Vec::new();
    for (i, a) in last.iter().enumerate().filter(|(i, _)| last_free[*i]) {
        for (j, b) in this.iter().enumerate().filter(|(j, _)| this_free[*j]) {
            let s = score(a, b);
            if comparable(a, b) && s >= RENAME_THRESHOLD {
                candidates.push(((s * 1e6).round() as u64, i, j));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| (&last[a.1].key, &this[a.2].key).cmp(&(&last[b.1].key, &this[b.2].key))));
    for &(s, i, j) in &candidates {
        if !(last_free[i] && this_free[j]) {
            continue;
        }
        last_free[i] = false;
        this_free[j] = false;
        // Others nearly as alike, either way: the rename is a guess among several.
        let near = |x: u64| x as f64 / 1e6 + CLOSE >= s as f64 / 1e6;
        let mut others: Vec<String> = candidates
            .iter()
            .filter(|&&(t, a, b)| near(t) && ((a == i && b != j) || (b == j && a != i)))
            .map(|&(_, a, b)| if a == i { this[b].shown.clone() } else { last[a].shown.clone() })
            .collect();
        others.sort();
        others.dedup();
        pairs.push(Pair { last: Some(i), this: Some(j), matched: Match::Similar { percent: ((s + 5_000) / 10_000) as u32, others } });
    }
    pairs.extend(last_free.iter().enumerate().filter(|(_, f)| **f).map(|(i, _)| Pair { last: Some(i), this: None, matched: Match::None }));
    pairs.extend(this_free.iter().enumerate().filter(|(_, f)| **f).map(|(j, _)| Pair { last: None, this: Some(j), matched: Match::None }));
    pairs
}

/// A cell that changed between a superseded file and the file that superseded it.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    pub department: String,
    /// The superseded file and the one that counts.
    pub original: String,
    pub corrected: String,
    pub project: String,
    pub indicator: String,
    pub what: Corrected,
    /// As written in each file (empty when the row or cell is not there).
    pub old: String,
    pub new: String,
    /// `sheet!cell` in each file.
    pub old_cell: String,
    pub new_cell: String,
}

/// What a correction changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corrected {
    Value(Kind, i32),
    Status,
    /// A row only the corrected file has.
    RowAdded,
    /// A row only the superseded file has.
    RowRemoved,
    /// The two files' rows are the same.
    Nothing,
}

/// Every cell each superseded file has otherwise than the file that superseded it, by
/// department and file; rows matched by identity (goal, measure, project, indicator, in
/// their order when a name repeats), values by kind and fiscal year.
pub fn corrections(c: &Consolidation) -> Vec<Correction> {
    let mut out = Vec::new();
    for r in &c.resubmissions {
        for original in r.files.iter().filter(|f| **f != r.winner) {
            let old: Vec<&IndicatorRow> = c.superseded_rows.iter().filter(|x| &x.file == original).collect();
            let new: Vec<&IndicatorRow> = c.rows.iter().filter(|x| x.file == r.winner).collect();
            let before = out.len();
            diff_files(&r.department, original, &r.winner, &old, &new, &mut out);
            if out.len() == before {
                out.push(Correction {
                    department: r.department.clone(),
                    original: original.clone(),
                    corrected: r.winner.clone(),
                    project: String::new(),
                    indicator: String::new(),
                    what: Corrected::Nothing,
                    old: String::new(),
                    new: String::new(),
                    old_cell: String::new(),
                    new_cell: String::new(),
                });
            }
        }
    }
    out
}

fn row_keys<'a>(rows: &[&'a IndicatorRow]) -> BTreeMap<(String, usize), &'a IndicatorRow> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = BTreeMap::new();
    let mut rows = rows.to_vec();
    rows.sort_by(|a, b| (&a.sheet, a.row).cmp(&(&b.sheet, b.row)));
    for r in rows {
        let k = [&r.goal, &r.measure, &r.project, r.indicator.as_ref().unwrap_or(&String::new())].map(|t| key(t)).join("\u{1f}");
        let n = seen.entry(k.clone()).or_default();
        *n += 1;
        out.insert((k, *n), r);
    }
    out
}

fn diff_files(department: &str, original: &str, corrected: &str, old: &[&IndicatorRow], new: &[&IndicatorRow], out: &mut Vec<Correction>) {
    let (old, new) = (row_keys(old), row_keys(new));
    let line = |r: &IndicatorRow, what: Corrected| Correction {
        department: department.to_string(),
        original: original.to_string(),
        corrected: corrected.to_string(),
        project: r.project.clone(),
        indicator: r.indicator.clone().unwrap_or_default(),
        what,
        old: String::new(),
        new: String::new(),
        old_cell: String::new(),
        new_cell: String::new(),
    };
    let at = |r: &IndicatorRow, cell: String| format!("{}!{cell}", r.sheet);
    let mut lines: Vec<((u32, u32), Correction)> = Vec::new();
    // A status merged over a project's rows is one cell: listed once.
    let mut statuses_seen: Vec<(String, Option<crate::model::CellRef>)> = Vec::new();
    for (k, o) in &old {
        let Some(n) = new.get(k) else {
            let mut l = line(o, Corrected::RowRemoved);
            l.old_cell = at(o, o.row.to_string());
            lines.push(((u32::MAX, o.row), l));
            continue;
        };
        let place = (n.row, 0);
        // What a correction changed, not how a mark or a figure is written (○ and ◯ are
        // one status, 100.0% and 100 one figure in a % cell).
        if o.status != n.status && !statuses_seen.contains(&(n.sheet.clone(), n.status_cell)) {
            statuses_seen.push((n.sheet.clone(), n.status_cell));
            let mut l = line(n, Corrected::Status);
            l.old = o.status_raw.clone();
            l.new = n.status_raw.clone();
            l.old_cell = o.status_cell.map(|c| at(o, c.to_string())).unwrap_or_default();
            l.new_cell = n.status_cell.map(|c| at(n, c.to_string())).unwrap_or_default();
            lines.push((place, l));
        }
        let mut slots: Vec<(Kind, i32)> = o.values.iter().chain(&n.values).map(|v| (v.kind, v.fiscal_year)).collect();
        slots.sort_by_key(|(k, y)| (*k as u32, *y));
        slots.dedup();
        for (kind, year) in slots {
            let (ov, nv) = (o.value(kind, year), n.value(kind, year));
            let same = match (ov.and_then(|v| v.value), nv.and_then(|v| v.value)) {
                (Some(a), Some(b)) => a == b,
                _ => {
                    // A dash of any width is no value, as a blank is.
                    let raw = |v: Option<&ValueCell>| {
                        let text = v.map(|v| torimatome_ja_core::text::squash(&v.raw)).unwrap_or_default();
                        if text.chars().all(|c| matches!(c, '-' | '－' | '—' | '―' | 'ー' | '‐' | '−')) { String::new() } else { text }
                    };
                    raw(ov) == raw(nv)
                }
            };
            if same {
                continue;
            }
            let mut l = line(n, Corrected::Value(kind, year));
            l.old = ov.map(|v| v.raw.clone()).unwrap_or_default();
            l.new = nv.map(|v| v.raw.clone()).unwrap_or_default();
            l.old_cell = ov.map(|v| at(o, v.cell.to_string())).unwrap_or_default();
            l.new_cell = nv.map(|v| at(n, v.cell.to_string())).unwrap_or_default();
            lines.push(((n.row, nv.or(ov).map_or(0, |v| v.cell.col + 1)), l));
        }
    }
    for (k, n) in &new {
        if !old.contains_key(k) {
            let mut l = line(n, Corrected::RowAdded);
            l.new_cell = at(n, n.row.to_string());
            lines.push(((n.row, 0), l));
        }
    }
    lines.sort_by(|a, b| a.0.cmp(&b.0));
    out.extend(lines.into_iter().map(|(_, l)| l));
}
