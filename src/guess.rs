//! `guess`: a pipeline a person can read and run, written from the surveys of an inbox.
//!
//! The period is the one most file names state; each kind of sheet found becomes a layout
//! (a KPI table with value columns, a list without, an A–D list, action-plan cards) with the
//! header texts actually seen, its value groups, the columns that continue the cell above,
//! where its data ends; the status vocabulary maps the marks seen (and those a legend
//! explains) onto the book's four statuses, unknown ones left in a TODO; the departments
//! come from the roster file, or from the file names and department cells when there is
//! none. Every key carries a comment, in the user's language, saying what it does.
//!
//! Pure: surveys in, YAML text out. The edge (`explore`) reads the inbox, writes the file
//! and validates it by loading it.

use std::collections::BTreeMap;

use regex::Regex;

use crate::messages::{self, Arg, Lang};
use crate::normalize::Role;
use crate::survey::words;
use crate::survey::{ColumnRole, End, FileSurvey, SheetSurvey, TableSurvey};
use torimatome_ja_core::era::{Half, Period};
use torimatome_ja_core::text;

/// What `guess` is given besides the surveys: paths as the pipeline will write them
/// (relative to its own folder), and the roster when there is a file.
pub struct Setting<'a> {
    pub inbox: String,
    /// A short name for the collection (the inbox's folder), for the output's name.
    pub collection: String,
    pub roster: Option<Roster<'a>>,
    pub plugin_dirs: Vec<String>,
    pub lang: Lang,
}

pub struct Roster<'a> {
    /// The file as the pipeline names it.
    pub path: String,
    pub departments: &'a [String],
}

/// The four statuses the book counts, in its order.
const STATUSES: [&str; 4] = ["達成", "推進中", "課題あり", "取組なし"];

/// A kind of table found in the inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Kpi,
    List,
    Grades,
}

/// The tables of one kind, each with its file and sheet.
struct Cluster<'a> {
    kind: Kind,
    tables: Vec<(&'a FileSurvey, &'a SheetSurvey, &'a TableSurvey)>,
}

/// YAML text with comments, in the user's language.
struct Yaml {
    out: String,
    lang: Lang,
}

impl Yaml {
    fn note(&mut self, indent: usize, id: &str, args: &[(&str, Arg)]) {
        let words = messages::text(self.lang, id, args);
        for line in words.lines() {
            self.out.push_str(&format!("{:indent$}# {line}\n", ""));
        }
    }

    fn line(&mut self, indent: usize, line: &str) {
        self.out.push_str(&format!("{:indent$}{line}\n", ""));
    }

    fn blank(&mut self) {
        self.out.push('\n');
    }
}

/// A YAML double-quoted string.
pub fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn flow(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|s| quoted(s)).collect::<Vec<_>>().join(", "))
}

/// Texts once each, most common first, then in the order first seen; equal after NFKC
/// without spaces counts as one.
fn ranked<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut counts: Vec<(String, String, usize)> = Vec::new();
    for t in texts {
        let t = t.trim();
        let key = text::squash(t);
        if key.is_empty() {
            continue;
        }
        match counts.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, _, n)) => *n += 1,
            None => counts.push((key, t.to_string(), 1)),
        }
    }
    counts.sort_by(|a, b| b.2.cmp(&a.2));
    counts.into_iter().map(|(_, t, _)| t).collect()
}

/// A regular expression matching a sheet name and its copies: 進捗報告 and 進捗報告 (2)
/// by `^進捗報告`, Sheet1 by `^Sheet\d*$`, No.3 by `^No\.\d*$`.
pub fn sheet_pattern(name: &str) -> String {
    let copy = Regex::new(r"\s*[(（]\s*[0-9０-９]+\s*[)）]\s*$").ok();
    let name = name.trim();
    let stem = copy.map_or(name.to_string(), |re| re.replace(name, "").into_owned());
    let prefix = stem.trim_end_matches(|c: char| c.is_ascii_digit());
    if prefix.len() < stem.len() && !prefix.is_empty() {
        format!("^{}\\d*$", regex::escape(prefix))
    } else {
        format!("^{}", regex::escape(&stem))
    }
}

/// The plan a title names: its word ending in プラン, 計画, 戦略 or ビジョン.
fn plan_in(title: &str) -> Option<String> {
    let t = text::nfkc(title);
    t.split(|c: char| c.is_whitespace() || "()[]【】「」".contains(c))
        .find(|w| ["プラン", "計画", "戦略", "ビジョン"].iter().any(|e| w.ends_with(e)) && w.chars().count() > 3)
        .map(str::to_string)
}

/// The fiscal year of a period as the pipeline writes it (令和4年度).
fn fiscal_year_label(p: Period) -> String {
    let label = p.label_ja();
    label.trim_end_matches(p.half.label_ja()).to_string()
}

/// The department a file is from: the cell beside its label, else its name; matched to the
/// roster when there is one.
pub fn department_of(s: &FileSurvey, roster: Option<&[String]>) -> Option<String> {
    let cell = s.sheets.iter().filter(|sh| sh.visible).find_map(|sh| sh.department.as_ref()).map(|l| l.text.clone());
    match roster {
        Some(roster) => {
            let on_roster = |name: &str| {
                let key = text::squash(name);
                roster.iter().filter(|d| !d.is_empty() && (key == text::squash(d) || key.ends_with(&text::squash(d)))).max_by_key(|d| d.chars().count()).cloned()
            };
            if let Some(cell) = &cell {
                return on_roster(cell).or_else(|| Some(department_name(cell)));
            }
            let key = text::squash(&s.file);
            roster.iter().filter(|d| !d.is_empty() && key.contains(&text::squash(d))).max_by_key(|d| d.chars().count()).cloned()
        }
        None => cell.map(|c| department_name(&c)).or_else(|| {
            let stem = s.file.rsplit_once('.').map_or(s.file.as_str(), |(stem, _)| stem);
            let nfkc = text::nfkc(stem);
            nfkc.split(|c: char| c.is_whitespace() || "_-・()[]【】「」".contains(c)).find(|w| words::looks_like_department(w)).map(str::to_string)
        }),
    }
}

/// A department cell's name without its organisation prefix (経営戦略部 情報政策課).
fn department_name(cell: &str) -> String {
    let nfkc = text::nfkc(cell);
    let parts: Vec<&str> = nfkc.split_whitespace().collect();
    let prefixed = parts.len() >= 2 && parts[..parts.len() - 1].iter().all(|p| ["部", "局", "本部"].iter().any(|e| p.ends_with(e)));
    match parts.last() {
        Some(last) if prefixed && words::looks_like_department(last) => last.to_string(),
        _ => text::squash(cell),
    }
}

/// Write the pipeline for an inbox's surveys.
pub fn pipeline(surveys: &[FileSurvey], setting: &Setting<'_>) -> String {
    let lang = setting.lang;
    let ja = |id: &str, args: &[(&str, Arg)]| messages::text(Lang::Ja, id, args);
    let mut y = Yaml { out: String::new(), lang };
    let roster_names: Option<&[String]> = setting.roster.as_ref().map(|r| r.departments);

    // What the files say.
    let readable: Vec<&FileSurvey> = surveys.iter().filter(|s| s.error.is_none()).collect();
    let stated: Vec<Period> = surveys.iter().filter_map(|s| torimatome_ja_core::era::parse_period(&s.file)).collect();
    let titled: Vec<Period> = readable
        .iter()
        .flat_map(|s| s.sheets.iter().filter(|sh| sh.visible).filter_map(|sh| sh.period.as_deref()))
        .filter_map(torimatome_ja_core::era::parse_period)
        .collect();
    let period = crate::collect::majority_period(stated.iter().copied()).or_else(|| crate::collect::majority_period(titled.iter().copied()));

    let mut clusters: Vec<Cluster> = [Kind::Kpi, Kind::List, Kind::Grades].into_iter().map(|kind| Cluster { kind, tables: Vec::new() }).collect();
    let mut cards: Vec<(&FileSurvey, &SheetSurvey)> = Vec::new();
    for s in &readable {
        for sheet in s.sheets.iter().filter(|sh| sh.visible) {
            if let Some(table) = &sheet.table {
                let kind = if table.columns.iter().any(|c| matches!(c.role, ColumnRole::Value { .. })) {
                    Kind::Kpi
                } else if table.grades {
                    Kind::Grades
                } else {
                    Kind::List
                };
                if let Some(c) = clusters.iter_mut().find(|c| c.kind == kind) {
                    c.tables.push((s, sheet, table));
                }
            } else if sheet.card.is_some() {
                cards.push((s, sheet));
            }
        }
    }
    clusters.retain(|c| !c.tables.is_empty());

    // The plan each kind belongs to, from the titles above its tables.
    let plan_of = |titles: Vec<&str>| ranked(titles.into_iter().filter_map(plan_in).collect::<Vec<_>>().iter().map(String::as_str)).into_iter().next();
    let first_plan = clusters.iter().find_map(|c| plan_of(c.tables.iter().filter_map(|(_, sh, _)| sh.title.as_deref()).collect()));
    let collection = first_plan.clone().unwrap_or_else(|| setting.collection.clone());
    let period_label = period.map(|p| p.label_ja()).unwrap_or_default();

    // The head.
    y.note(0, "guess-head", &[("files", surveys.len().into()), ("readable", readable.len().into())]);
    y.blank();
    y.note(0, "guess-key-name", &[]);
    y.line(0, &format!("name: {}", quoted(&ja("guess-name", &[("collection", collection.as_str().into()), ("period", period_label.as_str().into())]))));
    y.note(0, "guess-key-inbox", &[]);
    y.line(0, &format!("inbox: {}", quoted(&setting.inbox)));
    y.note(0, "guess-key-output", &[]);
    let period_code = period.map(|p| p.to_string()).unwrap_or_else(|| "period".into());
    y.line(0, &format!("output: {}", quoted(&format!("out/{}-{period_code}.xlsx", setting.collection))));
    y.blank();

    // Files.
    let extensions: Vec<String> = {
        let mut seen: Vec<String> = Vec::new();
        for s in &readable {
            if let Some((_, ext)) = s.file.rsplit_once('.') {
                let ext = format!("*.{}", ext.to_lowercase());
                if !seen.contains(&ext) {
                    seen.push(ext);
                }
            }
        }
        for ext in ["*.xlsx", "*.xlsm", "*.xls", "*.xlsb", "*.ods"] {
            if !seen.iter().any(|e| e == ext) {
                seen.push(ext.to_string());
            }
        }
        seen
    };
    y.line(0, "files:");
    y.note(2, "guess-key-files-include", &[]);
    y.line(2, &format!("include: {}", flow(&extensions)));
    y.note(2, "guess-key-files-exclude", &[]);
    y.line(2, "exclude: []");
    y.blank();

    // Period.
    y.line(0, "period:");
    match period {
        Some(p) => {
            let others: Vec<String> = surveys
                .iter()
                .filter_map(|s| torimatome_ja_core::era::parse_period(&s.file).filter(|q| *q != p).map(|q| format!("{} ({})", s.file, q.label_ja())))
                .collect();
            let votes = stated.iter().filter(|q| **q == p).count();
            y.note(2, "guess-key-period", &[("votes", votes.into()), ("files", surveys.len().into())]);
            if !others.is_empty() {
                y.note(2, "guess-periods-other", &[("files", others.join(", ").into())]);
            }
            y.line(2, &format!("fiscal_year: {}", quoted(&fiscal_year_label(p))));
            y.line(2, &format!("half: {}", quoted(p.half.label_ja())));
        }
        None => y.note(2, "guess-period-none", &[]),
    }
    y.note(2, "guess-key-period-check", &[]);
    y.line(2, "check: [file_name, title]");
    y.blank();

    // Departments: the roster, and who the files say they are from.
    let mut seen_departments: Vec<(String, String)> = Vec::new();
    for s in surveys {
        if let Some(d) = department_of(s, roster_names) {
            seen_departments.push((d, s.file.clone()));
        }
    }
    y.line(0, "roster:");
    match &setting.roster {
        Some(roster) => {
            y.note(2, "guess-key-roster-file", &[("count", roster.departments.len().into())]);
            y.line(2, &format!("file: {}", quoted(&roster.path)));
            let off: Vec<String> = seen_departments
                .iter()
                .filter(|(d, _)| !roster.departments.iter().any(|r| text::squash(r) == text::squash(d)))
                .map(|(d, f)| format!("{d} ({f})"))
                .collect();
            if !off.is_empty() {
                y.note(2, "guess-roster-not-on", &[("departments", off.join(", ").into())]);
            }
        }
        None => {
            // The departments that compile lists for many count as submitters too.
            let compilers: Vec<String> = clusters
                .iter()
                .filter(|c| c.kind != Kind::Kpi && compiled(c))
                .filter_map(|c| compiler(c, &seen_departments, None).map(|(d, _)| d))
                .collect();
            let names = ranked(seen_departments.iter().map(|(d, _)| d.as_str()).chain(compilers.iter().map(String::as_str)));
            y.note(2, "guess-key-roster-departments", &[]);
            y.note(2, "guess-roster-confirm", &[]);
            y.line(2, "departments:");
            for name in &names {
                y.line(4, &format!("- {}", quoted(name)));
            }
            if names.is_empty() {
                y.line(4, &format!("- {}", quoted(&ja("guess-roster-placeholder", &[]))));
            }
        }
    }
    y.note(2, "guess-key-aliases", &[]);
    y.line(2, "aliases: {}");
    y.blank();

    let mut labels: Vec<&str> = readable.iter().flat_map(|s| s.sheets.iter().filter_map(|sh| sh.department.as_ref())).map(|l| l.label.as_str()).collect();
    labels.push("担当課");
    y.line(0, "department:");
    y.note(2, "guess-key-department-label", &[]);
    y.line(2, &format!("label: {}", flow(&ranked(labels))));
    y.note(2, "guess-key-from-file-name", &[]);
    y.line(2, "from_file_name: true");
    y.blank();

    // Resubmissions.
    let dates: Vec<&str> = readable.iter().flat_map(|s| s.sheets.iter().filter_map(|sh| sh.report_date.as_ref())).map(|l| l.label.as_str()).collect();
    y.line(0, "resubmission:");
    y.note(2, "guess-key-report-date-label", &[("count", dates.len().into())]);
    y.line(2, &format!("report_date_label: {}", flow(&ranked(dates))));
    let marked: Vec<String> = surveys.iter().filter_map(|s| s.revision.as_ref().map(|(m, n)| format!("{} ({m} = {n})", s.file))).collect();
    y.note(2, "guess-key-revision-marks", &[]);
    if !marked.is_empty() {
        y.note(2, "guess-revisions-seen", &[("files", marked.join(", ").into())]);
    }
    let mut by_department: BTreeMap<&str, Vec<&FileSurvey>> = BTreeMap::new();
    for (d, f) in &seen_departments {
        if let Some(s) = surveys.iter().find(|s| &s.file == f) {
            by_department.entry(d.as_str()).or_default().push(s);
        }
    }
    for (d, files) in &by_department {
        if files.len() > 1 && files.iter().all(|s| s.revision.is_none()) {
            let names: Vec<&str> = files.iter().map(|s| s.file.as_str()).collect();
            y.note(2, "guess-revisions-unmarked", &[("department", (*d).into()), ("files", names.join(", ").into())]);
        }
    }
    y.line(2, "revision_marks: []");
    y.note(2, "guess-key-order", &[]);
    y.line(2, "order: [report_date, revision, file_name]");
    y.blank();

    // Plugins.
    y.line(0, "plugins:");
    y.note(2, "guess-key-plugins-dirs", &[]);
    y.line(2, &format!("dirs: {}", flow(&setting.plugin_dirs)));
    y.note(2, "guess-key-plugins-load", &[]);
    y.line(2, if cards.is_empty() { "load: [torimatome-ja]" } else { "load: [torimatome-ja, torimatome-cards]" });
    y.blank();

    // Layouts.
    y.note(0, "guess-key-layouts", &[]);
    y.line(0, "layouts:");
    let mut pipeline_marks: Vec<(String, usize)> = Vec::new();
    let mut legend: Vec<(String, String)> = Vec::new();
    let ordered: Vec<&Cluster> = clusters.iter().filter(|c| c.kind == Kind::Kpi).chain(clusters.iter().filter(|c| c.kind == Kind::List)).collect();
    for cluster in &ordered {
        let plan = plan_of(cluster.tables.iter().filter_map(|(_, sh, _)| sh.title.as_deref()).collect());
        table_layout(&mut y, cluster, plan.as_deref(), &seen_departments, roster_names);
        for (_, _, table) in &cluster.tables {
            for m in &table.status_marks {
                match pipeline_marks.iter_mut().find(|(k, _)| text::squash(k) == text::squash(&m.text)) {
                    Some((_, n)) => *n += m.count,
                    None => pipeline_marks.push((m.text.clone(), m.count)),
                }
            }
            for entry in &table.legend {
                if !legend.iter().any(|(m, _)| *m == entry.0) {
                    legend.push(entry.clone());
                }
            }
        }
    }
    if !cards.is_empty() {
        let names: Vec<&str> = cards.iter().map(|(_, sh)| sh.name.as_str()).collect();
        let files = ranked(cards.iter().map(|(f, _)| f.file.as_str()));
        y.blank();
        y.note(2, "guess-layout-seen", &[("files", files.len().into()), ("sheets", cards.len().into()), ("names", files.join(", ").into())]);
        y.note(2, "guess-key-layout-name", &[]);
        y.line(2, &format!("- name: {}", quoted(&ja("guess-layout-cards", &[]))));
        y.note(4, "guess-key-plan", &[]);
        y.line(4, &format!("# plan: {}", quoted(&ja("guess-plan-placeholder", &[]))));
        y.note(4, "guess-key-kind-plugin", &[]);
        y.line(4, "kind: plugin");
        y.line(4, "plugin: torimatome-cards");
        y.line(4, "layout: action_plan_card");
        y.note(4, "guess-key-sheets", &[]);
        y.line(4, &format!("sheets: {}", flow(&patterns(names))));
    }
    for cluster in clusters.iter().filter(|c| c.kind == Kind::Grades) {
        let plan = plan_of(cluster.tables.iter().filter_map(|(_, sh, _)| sh.title.as_deref()).collect());
        table_layout(&mut y, cluster, plan.as_deref(), &seen_departments, roster_names);
    }
    if clusters.is_empty() && cards.is_empty() {
        y.note(2, "guess-no-layout", &[]);
    }
    y.blank();

    // Steps.
    let (vocabulary, unknown) = vocabulary(&pipeline_marks, &legend);
    y.note(0, "guess-key-steps", &[]);
    y.line(0, "steps:");
    y.note(2, "guess-key-step-fullwidth", &[]);
    y.line(2, "- step: fullwidth");
    y.note(2, "guess-key-step-era", &[]);
    y.line(2, "- step: era_years");
    y.note(2, "guess-key-step-numbers", &[]);
    y.line(2, "- step: numbers");
    y.line(4, "options:");
    y.note(6, "guess-key-percent-units", &[]);
    y.line(6, "percent_units: [\"%\"]");
    y.note(6, "guess-key-bare-fractions", &[]);
    y.line(6, "bare_fractions_are_percent: true");
    status_step(&mut y, &vocabulary, &unknown, pipeline_marks.len());
    y.note(2, "guess-key-step-departments", &[]);
    y.line(2, "- step: departments");
    y.blank();

    // Indicators, as an example to edit.
    y.note(0, "guess-key-indicators", &[]);
    y.line(0, "indicators: []");
    y.note(0, "guess-indicators-example", &[]);
    y.blank();

    y.line(0, "book:");
    y.note(2, "guess-key-book-title", &[]);
    y.line(2, &format!("title: {}", quoted(&ja("guess-title", &[("collection", collection.as_str().into()), ("period", period_label.as_str().into())]))));
    y.note(2, "guess-key-book-created", &[]);
    let created = period.map(|p| match p.half {
        Half::First => format!("{}-10-01T09:00:00", p.fiscal_year),
        Half::Second => format!("{}-04-01T09:00:00", p.fiscal_year + 1),
    });
    y.line(2, &format!("created: {}", quoted(&created.unwrap_or_else(|| "2000-01-01T00:00:00".into()))));
    y.out
}

/// Sheet-name patterns for these names, once each.
fn patterns<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        let p = sheet_pattern(name);
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// The department that compiles a list for many: a roster department named in the list's
/// file name, else a planning office (企画, then 政策, 行革, 経営) of the roster, one named on
/// the list's rows first, else a department on its rows that sent nothing of its own.
fn compiler(cluster: &Cluster<'_>, seen: &[(String, String)], roster: Option<&[String]>) -> Option<(String, bool)> {
    let files: Vec<&str> = cluster.tables.iter().map(|(f, _, _)| f.file.as_str()).collect();
    if let Some((d, _)) = seen.iter().find(|(_, f)| files.contains(&f.as_str())) {
        return Some((d.clone(), true));
    }
    let on_rows: Vec<String> = ranked(cluster.tables.iter().flat_map(|(_, _, t)| t.departments.iter().map(|d| d.text.as_str())));
    let listed = |d: &str| on_rows.iter().any(|r| text::squash(r) == text::squash(d));
    let pool: Vec<String> = match roster {
        Some(roster) => roster.to_vec(),
        None => on_rows.clone(),
    };
    const PLANNING: [&str; 5] = ["企画", "政策", "行革", "行政改革", "経営"];
    let rank = |d: &String| PLANNING.iter().position(|w| d.contains(w)).map(|p| (p, !listed(d)));
    if let Some(d) = pool.iter().filter(|d| rank(d).is_some()).min_by_key(|d| rank(d)) {
        return Some((d.clone(), false));
    }
    let submitting = |d: &str| seen.iter().any(|(s, f)| text::squash(s) == text::squash(d) && !files.contains(&f.as_str()));
    pool.iter().find(|d| listed(d) && !submitting(d)).map(|d| (d.clone(), false))
}

/// Whether a list names a department on its rows in most of its sheets: a list one
/// department compiles for many.
fn compiled(cluster: &Cluster<'_>) -> bool {
    let with = cluster.tables.iter().filter(|(_, _, t)| t.columns.iter().any(|c| c.role == ColumnRole::Field { field: Role::Department })).count();
    with * 2 > cluster.tables.len()
}

fn table_layout(y: &mut Yaml, cluster: &Cluster<'_>, plan: Option<&str>, seen: &[(String, String)], roster: Option<&[String]>) {
    let ja = |id: &str| messages::text(Lang::Ja, id, &[]);
    let tables = &cluster.tables;
    let n = tables.len();
    let files = ranked(tables.iter().map(|(f, _, _)| f.file.as_str()));
    y.blank();
    let shown: Vec<String> = files.iter().take(6).cloned().chain((files.len() > 6).then(|| "…".to_string())).collect();
    y.note(2, "guess-layout-seen", &[("files", files.len().into()), ("sheets", n.into()), ("names", shown.join(", ").into())]);
    let name = match cluster.kind {
        Kind::Kpi => ja("guess-layout-kpi"),
        Kind::List => ja("guess-layout-list"),
        Kind::Grades => ja("guess-layout-grades"),
    };
    y.note(2, "guess-key-layout-name", &[]);
    y.line(2, &format!("- name: {}", quoted(&name)));
    y.note(4, "guess-key-plan", &[]);
    match plan {
        Some(plan) => y.line(4, &format!("plan: {}", quoted(plan))),
        None => y.line(4, &format!("# plan: {}", quoted(&ja("guess-plan-placeholder")))),
    }
    y.note(4, "guess-key-kind-table", &[]);
    y.line(4, "kind: table");
    y.note(4, "guess-key-sheets", &[]);
    y.line(4, &format!("sheets: {}", flow(&patterns(tables.iter().map(|(_, sh, _)| sh.name.as_str())))));

    let has = |role: Role| tables.iter().filter(|(_, _, t)| t.columns.iter().any(|c| c.role == ColumnRole::Field { field: role })).count();
    if cluster.kind != Kind::Kpi && compiled(cluster) {
        match compiler(cluster, seen, roster) {
            Some((d, named)) => {
                y.note(4, if named { "guess-key-compiled-department" } else { "guess-compiled-todo" }, &[]);
                y.line(4, &format!("department: {}", quoted(&d)));
            }
            None => {
                y.note(4, "guess-compiled-todo", &[]);
                y.line(4, &format!("# department: {}", quoted(&ja("guess-roster-placeholder"))));
            }
        }
    }
    if cluster.kind == Kind::Grades {
        y.note(4, "guess-key-grades", &[]);
        y.line(4, "grades: true");
    }

    let deepest = tables.iter().map(|(_, _, t)| t.header_row).max().unwrap_or(1);
    let header_rows = tables.iter().map(|(_, _, t)| t.header_rows).max().unwrap_or(1);
    y.line(4, "header:");
    y.note(6, "guess-key-header-search", &[("row", deepest.into())]);
    y.line(6, &format!("search_rows: {}", (deepest + 5).max(20)));
    y.note(6, "guess-key-header-rows", &[]);
    y.line(6, &format!("rows: {header_rows}"));

    // Columns: each role with the texts seen naming it.
    y.note(4, "guess-key-columns", &[]);
    y.line(4, "columns:");
    let mut declared: Vec<Role> = Vec::new();
    for role in [Role::Goal, Role::Measure, Role::Project, Role::Indicator, Role::Unit, Role::Status, Role::Department] {
        let texts = ranked(tables.iter().flat_map(|(_, _, t)| t.columns.iter().filter(|c| c.role == ColumnRole::Field { field: role }).map(|c| c.header.as_str())));
        if texts.is_empty() {
            continue;
        }
        declared.push(role);
        y.line(6, &format!("{}: {}", role.name(), flow(&texts)));
    }
    // Required: the roles most of its sheets have; always the project.
    let required: Vec<String> = declared.iter().filter(|r| **r == Role::Project || has(**r) * 2 >= n).map(|r| r.name().to_string()).collect();
    let optional: Vec<&str> = declared.iter().filter(|r| !required.iter().any(|q| q == r.name())).map(|r| r.name()).collect();
    y.note(4, "guess-key-required", &[]);
    if !optional.is_empty() {
        y.note(4, "guess-required-optional", &[("roles", optional.join(", ").into())]);
    }
    y.line(4, &format!("required: [{}]", required.join(", ")));

    let mut notes: Vec<(String, Vec<String>)> = Vec::new();
    for (_, _, t) in tables {
        for c in &t.columns {
            if let ColumnRole::Note { name } = &c.role {
                match notes.iter_mut().find(|(n, _)| n == name) {
                    Some((_, headers)) => headers.push(c.header.clone()),
                    None => notes.push((name.clone(), vec![c.header.clone()])),
                }
            }
        }
    }
    y.note(4, "guess-key-notes", &[]);
    if notes.is_empty() {
        y.line(4, "notes: {}");
    } else {
        y.line(4, "notes:");
        for (name, headers) in &notes {
            y.line(6, &format!("{}: {}", quoted(name), flow(&ranked(headers.iter().map(String::as_str)))));
        }
    }
    let unknown: Vec<String> = ranked(tables.iter().flat_map(|(_, _, t)| t.columns.iter().filter(|c| c.role == ColumnRole::Unknown).map(|c| c.header.as_str())));
    if !unknown.is_empty() {
        y.note(4, "guess-unknown-headers", &[("headers", unknown.join(", ").replace('\n', " ").into())]);
    }

    // Value groups.
    let mut groups: Vec<&str> = Vec::new();
    let mut actual: Vec<&str> = Vec::new();
    for (_, _, t) in tables {
        for c in &t.columns {
            if let ColumnRole::Value { group, actual_group, .. } = &c.role {
                if *actual_group { actual.push(group) } else { groups.push(group) }
            }
        }
    }
    if !groups.is_empty() || !actual.is_empty() {
        y.line(4, "values:");
        y.note(6, "guess-key-values-groups", &[]);
        y.line(6, &format!("groups: {}", flow(&ranked(groups))));
        y.note(6, "guess-key-values-actual", &[]);
        y.line(6, &format!("actual: {}", flow(&ranked(actual))));
    }

    // Fill-down: the roles seen continuing the cell above, with those over them.
    let mut fill: Vec<Role> = Vec::new();
    let mut typed = 0;
    for (_, _, t) in tables {
        for f in &t.fill {
            typed += f.typed_once;
            if !fill.contains(&f.role) && !(f.role == Role::Status && cluster.kind == Kind::Grades) {
                fill.push(f.role);
            }
        }
    }
    let deepest_level = fill.iter().filter_map(|r| [Role::Goal, Role::Measure, Role::Project].iter().position(|h| h == r)).max();
    if let Some(level) = deepest_level {
        for h in &[Role::Goal, Role::Measure, Role::Project][..=level] {
            if !fill.contains(h) {
                fill.push(*h);
            }
        }
    }
    fill.retain(|r| declared.contains(r));
    fill.sort();
    y.note(4, "guess-key-fill-down", &[("typed", typed.into())]);
    y.line(4, &format!("fill_down: [{}]", fill.iter().map(|r| r.name()).collect::<Vec<_>>().join(", ")));

    // Where the data ends.
    let mut stops: Vec<String> = Vec::new();
    let mut inside = 0;
    for (_, _, t) in tables {
        inside = inside.max(t.blank_rows_inside);
        if let End::Legend { text: legend, .. } = &t.end {
            let p = stop_pattern(legend);
            if !stops.contains(&p) {
                stops.push(p);
            }
        }
    }
    if !stops.iter().any(|s| s == "^※") {
        stops.push("^※".into());
    }
    y.line(4, "end:");
    y.note(6, "guess-key-stop-at", &[]);
    y.line(6, &format!("stop_at: {}", flow(&stops)));
    y.note(6, "guess-key-blank-rows", &[("inside", inside.into())]);
    y.line(6, &format!("blank_rows: {}", (inside + 1).max(3)));

    if cluster.kind == Kind::Grades {
        let mut legend: Vec<(String, String)> = Vec::new();
        for (_, _, t) in tables {
            legend.extend(t.legend.iter().cloned());
        }
        y.note(4, "guess-key-layout-steps", &[]);
        y.line(4, "steps:");
        y.line(6, "- step: fullwidth");
        y.line(6, "- step: status");
        y.line(8, "options:");
        y.note(10, "guess-key-vocabulary", &[]);
        y.line(10, "vocabulary:");
        for (grade, status) in words::GRADES {
            let mut forms = vec![grade.to_string()];
            for (m, w) in &legend {
                if words::grade(m) == Some(grade) && !forms.contains(w) {
                    forms.push(w.clone());
                }
            }
            y.line(12, &format!("{status}: {}", flow(&forms)));
        }
        y.line(6, "- step: departments");
    }
}

/// A `stop_at` expression for the first text of a legend row: its opening mark or word.
pub fn stop_pattern(legend: &str) -> String {
    let t = text::nfkc(legend);
    for p in ["※", "*", "凡例", "(注", "【注", "注"] {
        if t.starts_with(p) {
            return format!("^{}", regex::escape(p));
        }
    }
    if t == "以上" {
        return "^以上$".into();
    }
    // A legend of marks: its words up to the first mark explained.
    let head: String = t.chars().take_while(|c| c.is_alphanumeric() && !c.is_ascii()).collect();
    if head.is_empty() {
        format!("^{}", regex::escape(&t.chars().take(4).collect::<String>()))
    } else {
        format!("^{}", regex::escape(&head))
    }
}

/// Each status with the marks meaning it, and the marks nobody knows: a mark known to
/// torimatome (DOMAIN.md's table), or explained by a legend of the inbox, else unknown.
fn vocabulary(marks: &[(String, usize)], legend: &[(String, String)]) -> (Vec<(&'static str, Vec<String>)>, Vec<(String, usize)>) {
    let mut vocabulary: Vec<(&'static str, Vec<String>)> = STATUSES.iter().map(|s| (*s, Vec::new())).collect();
    let mut keys: Vec<String> = Vec::new();
    let mut add = |status: &'static str, form: &str, vocabulary: &mut Vec<(&'static str, Vec<String>)>| {
        let key = text::squash(form);
        if key.is_empty() || keys.contains(&key) || key == text::squash(status) {
            return;
        }
        keys.push(key);
        if let Some((_, forms)) = vocabulary.iter_mut().find(|(s, _)| *s == status) {
            forms.push(form.to_string());
        }
    };
    for (mark, words) in legend {
        if let Some(status) = words::status_in_words(words).or_else(|| words::known_status(mark)) {
            add(status, mark, &mut vocabulary);
            add(status, words, &mut vocabulary);
        }
    }
    let mut unknown = Vec::new();
    for (mark, count) in marks {
        let from_legend = legend.iter().find(|(m, _)| text::squash(m) == text::squash(mark)).and_then(|(m, w)| words::status_in_words(w).or_else(|| words::known_status(m)));
        match words::known_status(mark).or(from_legend) {
            Some(status) => add(status, mark, &mut vocabulary),
            None if STATUSES.contains(&text::squash(mark).as_str()) => {}
            None => unknown.push((mark.clone(), *count)),
        }
    }
    (vocabulary, unknown)
}

fn status_step(y: &mut Yaml, vocabulary: &[(&'static str, Vec<String>)], unknown: &[(String, usize)], seen: usize) {
    y.note(2, "guess-key-step-status", &[("seen", seen.into())]);
    y.line(2, "- step: status");
    y.line(4, "options:");
    y.note(6, "guess-key-vocabulary", &[]);
    y.line(6, "vocabulary:");
    for (status, forms) in vocabulary {
        y.line(8, &format!("{status}: {}", flow(forms)));
    }
    if !unknown.is_empty() {
        let marks: Vec<String> = unknown.iter().map(|(m, n)| format!("{} ×{n}", quoted(m))).collect();
        y.note(8, "guess-status-todo", &[("marks", marks.join(", ").into())]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_become_patterns_for_them_and_their_copies() {
        assert_eq!(sheet_pattern("進捗報告 (2)"), "^進捗報告");
        assert_eq!(sheet_pattern("Sheet1"), "^Sheet\\d*$");
        assert_eq!(sheet_pattern("No.3"), "^No\\.\\d*$");
        let re = Regex::new(&sheet_pattern("進捗報告")).expect("regex");
        assert!(re.is_match("進捗報告 (2)"));
    }

    #[test]
    fn legends_end_tables_by_their_opening() {
        assert_eq!(stop_pattern("※進捗区分：◎達成"), "^※");
        assert_eq!(stop_pattern("以上"), "^以上$");
        assert_eq!(stop_pattern("進捗区分 ◎達成 ○推進中"), "^進捗区分");
    }

    #[test]
    fn marks_map_to_statuses_known_or_explained_and_the_rest_are_left() {
        let marks = vec![("◎".to_string(), 3), ("☆".to_string(), 1), ("◇".to_string(), 2), ("推進中".to_string(), 1)];
        let legend = vec![("☆".to_string(), "今年度取組みなし".to_string())];
        let (vocabulary, unknown) = vocabulary(&marks, &legend);
        assert_eq!(vocabulary[0].1, ["◎"]);
        assert!(vocabulary[3].1.contains(&"☆".to_string()));
        assert_eq!(unknown, [("◇".to_string(), 2)]);
        assert_eq!(quoted("a\"b\\c"), "\"a\\\"b\\\\c\"");
    }

    #[test]
    fn a_department_cell_gives_its_name_without_an_organisation_prefix_only() {
        assert_eq!(department_name("経営戦略部 情報政策課"), "情報政策課");
        assert_eq!(department_name("ものづくり\n商業振興課"), "ものづくり商業振興課");
        assert_eq!(department_name("こども 未来課"), "こども未来課");
        assert_eq!(department_name("市民課\u{3000}"), "市民課");
    }
}
