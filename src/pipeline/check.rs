//! From the raw pipeline to a checked one. Every check records its problem and goes on,
//! so that `validate` lists them all.

use std::path::{Path, PathBuf};

use regex::Regex;

use super::errors::{role, Errors};
use super::plugins;
use crate::messages::Msg;
use crate::paths::beside;
use super::raw::{RawIndicator, RawLayout, RawPipeline};
use spanned_yaml::{Pos, Spanned};
use super::{OrderKey, Passwords, PeriodSource, Pipeline};
use crate::layout::table::TableLayout;
use crate::model::{AchievementRule, Created, Direction};
use crate::layout::{Layout, LayoutKind};
use torimatome_ja_core::era::{self, Half, Period};
use crate::normalize::{Role};
use torimatome_ja_core::text;

pub fn check(raw: RawPipeline, dir: &Path, sha256: String, pins: Option<(&super::lock::Pins, &Path)>) -> Result<Pipeline, Errors> {
    let mut problems = Errors::default();
    let p = &mut problems;

    let include = raw.files.include.iter().filter_map(|g| glob(g, p)).collect();
    let exclude = raw.files.exclude.iter().filter_map(|g| glob(g, p)).collect();
    let period = period(&raw, p);
    let period_checks = raw
        .period
        .check
        .iter()
        .filter_map(|c| match c.value.as_str() {
            "file_name" => Some(PeriodSource::FileName),
            "title" => Some(PeriodSource::Title),
            other => {
                p.push((c.pos, Msg::new("config-period-source").arg("name", other)));
                None
            }
        })
        .collect();
    let roster = roster(&raw, dir, p);
    let order = raw
        .resubmission
        .order
        .iter()
        .filter_map(|k| match k.value.as_str() {
            "report_date" => Some(OrderKey::ReportDate),
            "revision" => Some(OrderKey::Revision),
            "file_name" => Some(OrderKey::FileName),
            other => {
                p.push((k.pos, Msg::new("config-order-key").arg("name", other)));
                None
            }
        })
        .collect::<Vec<_>>();
    let revision_marks = raw.resubmission.revision_marks.iter().filter_map(|r| regex(r, p)).collect();
    let inbox = beside(dir, &raw.inbox.value);
    let plugins = plugins::load(&raw.plugins, dir, &inbox, pins, p);
    let layouts = raw.layouts.iter().filter_map(|l| layout(l, &plugins, &roster, p)).collect();
    let normalizer = plugins::steps(&raw.steps, &plugins, &roster, p);
    let created = created(&raw.book.created, p);
    let rules = raw.indicators.iter().filter_map(|r| rule(r, p)).collect();
    let passwords = raw.passwords.as_ref().map(|file| passwords(file, dir, p)).unwrap_or_default();
    let max_mb = &raw.limits.max_unpacked_mb;
    if max_mb.value == 0 || max_mb.value > 64 * 1024 {
        p.push((max_mb.pos, Msg::new("config-max-unpacked").arg("value", max_mb.value.to_string())));
    }

    if !problems.is_empty() {
        problems.sort();
        return Err(problems);
    }
    Ok(Pipeline {
        path: PathBuf::new(),
        title: raw.book.title.unwrap_or_else(|| raw.name.clone()),
        name: raw.name,
        sha256,
        inbox,
        output: beside(dir, &raw.output.value),
        include,
        exclude,
        period,
        period_checks,
        roster,
        department_labels: squashed(&raw.department.label),
        department_from_file_name: raw.department.from_file_name,
        report_date_labels: squashed(&raw.resubmission.report_date_label),
        revision_marks,
        order: if order.is_empty() {
            vec![OrderKey::ReportDate, OrderKey::Revision, OrderKey::FileName]
        } else {
            order
        },
        layouts,
        normalizer,
        plugins: plugins.plugins,
        limits: crate::workbook::Limits { max_unpacked_bytes: raw.limits.max_unpacked_mb.value.clamp(1, 64 * 1024) * 1024 * 1024 },
        passwords,
        created: created.unwrap_or(Created { year: 2000, month: 1, day: 1, hour: 0, minute: 0, second: 0 }),
        summary: raw.book.summary,
        rules,
        previous: raw.previous.as_ref().map(|p| beside(dir, &p.value)),
    })
}

/// One rule of `indicators`: at least a name or a unit to match, and a known direction.
fn rule(raw: &Spanned<RawIndicator>, p: &mut Errors) -> Option<AchievementRule> {
    let r = &raw.value;
    if r.name.is_none() && r.unit.is_none() {
        p.push((raw.pos, Msg::new("config-indicator-rule")));
    }
    let direction = match r.direction.as_ref().map(|d| (d.pos, d.value.as_str())) {
        None | Some((_, "increase")) => Direction::Increase,
        Some((_, "decrease")) => Direction::Decrease,
        Some((_, "keep")) => Direction::Keep,
        Some((pos, other)) => {
            p.push((pos, Msg::new("config-direction").arg("name", other)));
            return None;
        }
    };
    let name = match &r.name {
        Some(re) => Some(regex(re, p)?),
        None => None,
    };
    let unit = match &r.unit {
        Some(re) => Some(regex(re, p)?),
        None => None,
    };
    Some(AchievementRule { name, unit, direction, cumulative: r.cumulative, from_baseline: r.from_baseline, change: r.change })
}

fn squashed(items: &[Spanned<String>]) -> Vec<String> {
    items.iter().map(|s| text::squash(&s.value)).collect()
}

/// A file-name pattern with `*` and `?`, matched against the whole name.
fn glob(pattern: &Spanned<String>, p: &mut Errors) -> Option<Regex> {
    let mut re = String::from("^");
    for ch in pattern.value.chars() {
        match ch {
            '*' => re.push_str(".*"),
            '?' => re.push('.'),
            other => re.push_str(&regex::escape(&other.to_string())),
        }
    }
    re.push('$');
    match regex::RegexBuilder::new(&re).case_insensitive(true).build() {
        Ok(re) => Some(re),
        Err(e) => {
            p.push((pattern.pos, Msg::new("config-bad-pattern").arg("why", e.to_string())));
            None
        }
    }
}

fn regex(pattern: &Spanned<String>, p: &mut Errors) -> Option<Regex> {
    match Regex::new(&pattern.value) {
        Ok(re) => Some(re),
        Err(e) => {
            p.push((pattern.pos, Msg::new("config-bad-regex").arg("why", e.to_string())));
            None
        }
    }
}

/// The period the pipeline states; None when it leaves it to the files.
fn period(raw: &RawPipeline, p: &mut Errors) -> Option<Period> {
    let (fy, half) = match (&raw.period.fiscal_year, &raw.period.half) {
        (Some(fy), Some(half)) => (fy, half),
        (None, None) => {
            if raw.period.check.is_empty() {
                p.push((Pos { line: 1, col: 1 }, Msg::new("config-period-missing")));
            }
            return None;
        }
        (Some(given), None) | (None, Some(given)) => {
            p.push((given.pos, Msg::new("config-period-half")));
            return None;
        }
    };
    let fiscal_year = era::fiscal_year(&fy.value);
    if fiscal_year.is_none() {
        p.push((fy.pos, Msg::new("config-fiscal-year").arg("value", &fy.value)));
    }
    let h = match text::squash(&half.value).as_str() {
        "上期" | "上半期" | "前期" | "H1" | "h1" => Some(Half::First),
        "下期" | "下半期" | "後期" | "H2" | "h2" => Some(Half::Second),
        other => {
            p.push((half.pos, Msg::new("config-half").arg("value", other)));
            None
        }
    };
    Some(Period { fiscal_year: fiscal_year?, half: h? })
}

fn roster(raw: &RawPipeline, dir: &Path, p: &mut Errors) -> Vec<(String, Vec<String>)> {
    let mut names: Vec<String> = raw.roster.departments.iter().map(|d| d.value.trim().to_string()).collect();
    if let Some(file) = &raw.roster.file {
        match std::fs::read_to_string(dir.join(&file.value)) {
            Ok(text) => names.extend(
                text.lines().map(|l| l.trim().trim_start_matches('\u{feff}').to_string()).filter(|l| !l.is_empty() && !l.starts_with('#')),
            ),
            Err(e) => p.push((
                file.pos,
                Msg::new("config-roster-unreadable").arg("path", dir.join(&file.value).display().to_string()).arg("why", e.to_string()),
            )),
        }
    }
    if names.is_empty() {
        p.push((Pos { line: 1, col: 1 }, Msg::new("config-roster-empty")));
    }
    let mut seen = std::collections::HashSet::new();
    for name in &names {
        if !seen.insert(name) {
            p.push((Pos { line: 1, col: 1 }, Msg::new("config-roster-twice").arg("name", name.as_str())));
        }
    }
    for (department, aliases) in &raw.roster.aliases {
        if !names.contains(department) {
            let pos = aliases.first().map(|a| a.pos).unwrap_or(Pos { line: 1, col: 1 });
            p.push((pos, Msg::new("config-alias-not-on-roster").arg("name", department.as_str())));
        }
    }
    names
        .into_iter()
        .map(|name| {
            let aliases = raw.roster.aliases.get(&name).map(|a| a.iter().map(|s| s.value.clone()).collect()).unwrap_or_default();
            (name, aliases)
        })
        .collect()
}

fn layout(raw: &Spanned<RawLayout>, plugins: &plugins::Loaded, roster: &[(String, Vec<String>)], p: &mut Errors) -> Option<Layout> {
    let l = &raw.value;
    let sheets: Vec<Regex> = l.sheets.iter().filter_map(|s| regex(s, p)).collect();
    let department = l.department.as_ref().and_then(|d| {
        let known = roster.iter().any(|(name, _)| *name == d.value);
        if !known {
            p.push((d.pos, Msg::new("config-layout-department").arg("name", &d.value)));
        }
        known.then(|| d.value.clone())
    });
    let steps = l.steps.as_ref().map(|steps| plugins::steps(steps, plugins, roster, p));
    let kind = match l.kind.value.as_str() {
        "table" => LayoutKind::Table(table(raw, p)),
        "plugin" => {
            let Some(name) = &l.layout else {
                p.push((l.kind.pos, Msg::new("config-plugin-layout")));
                return None;
            };
            LayoutKind::Plugin(plugins::layout(l.plugin.as_ref(), name, &l.options, plugins, p)?)
        }
        other => {
            p.push((l.kind.pos, Msg::new("config-layout-kind").arg("name", other)));
            return None;
        }
    };
    let plan = l.plan.clone().unwrap_or_else(|| l.name.clone());
    Some(Layout { name: l.name.clone(), plan, sheets, department, steps, kind })
}

fn table(raw: &Spanned<RawLayout>, p: &mut Errors) -> TableLayout {
    let l = &raw.value;
    let mut columns = Vec::new();
    for (name, headers) in &l.columns {
        if name.value == "note" {
            p.push((name.pos, Msg::new("config-note-column")));
            continue;
        }
        if let Some(role) = role(name, p) {
            if headers.is_empty() {
                p.push((name.pos, Msg::new("config-column-empty").arg("name", &name.value)));
            }
            columns.push((role, squashed(headers)));
        }
    }
    let declared = |r: &Spanned<String>, undeclared: &'static str, p: &mut Errors| {
        let role = role(r, p)?;
        if !columns.iter().any(|(c, _)| *c == role) {
            p.push((r.pos, Msg::new(undeclared).arg("name", &r.value)));
        }
        Some(role)
    };
    let required: Vec<Role> = l.required.iter().filter_map(|r| declared(r, "config-required-undeclared", p)).collect();
    let fill_down: Vec<Role> = l.fill_down.iter().filter_map(|r| declared(r, "config-fill-down-undeclared", p)).collect();
    if !required.contains(&Role::Project) {
        p.push((raw.pos, Msg::new("config-project-required")));
    }
    if !(1..=2).contains(&l.header.rows) {
        p.push((raw.pos, Msg::new("config-header-rows").arg("value", l.header.rows.to_string())));
    }
    let (value_groups, actual_groups) = match &l.values {
        Some(v) if v.groups.is_empty() && v.actual.is_empty() => {
            p.push((raw.pos, Msg::new("config-values-empty")));
            (Vec::new(), Vec::new())
        }
        Some(v) => (squashed(&v.groups), squashed(&v.actual)),
        None => (Vec::new(), Vec::new()),
    };
    let mut notes: Vec<(String, Vec<String>)> = Vec::new();
    for (label, headers) in &l.notes.0 {
        if headers.is_empty() {
            p.push((label.pos, Msg::new("config-note-empty").arg("name", &label.value)));
        }
        if notes.iter().any(|(l, _)| *l == label.value) {
            p.push((label.pos, Msg::new("config-note-twice").arg("name", &label.value)));
        }
        notes.push((label.value.clone(), squashed(headers)));
    }
    TableLayout {
        notes,
        search_rows: l.header.search_rows,
        header_rows: l.header.rows,
        columns,
        required,
        value_groups,
        actual_groups,
        fill_down,
        grades: l.grades,
        stop_at: l.end.stop_at.iter().filter_map(|s| regex(s, p)).collect(),
        blank_rows: l.end.blank_rows.max(1),
    }
}

/// The passwords file: a line each, a file-name pattern (`*`, `?`), a tab or spaces, the
/// password (the rest of the line); `#` starts a comment line. Its problems name the
/// line, never the password.
fn passwords(file: &Spanned<String>, dir: &Path, p: &mut Errors) -> Passwords {
    let path = dir.join(&file.value);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            p.push((file.pos, Msg::new("config-passwords-unreadable").arg("path", path.display().to_string()).arg("why", e.to_string())));
            return Passwords::default();
        }
    };
    let mut entries = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_start_matches('\u{feff}').trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let Some((pattern, password)) = line.trim_start().split_once(['\t', ' ']) else {
            p.push((file.pos, Msg::new("config-passwords-line").arg("line", n + 1)));
            continue;
        };
        let password = password.trim_start_matches(['\t', ' ']);
        if let Some(pattern) = glob(&Spanned { pos: file.pos, value: pattern.to_string() }, p) {
            entries.push((pattern, password.to_string()));
        }
    }
    Passwords::new(entries, crate::digest::sha256_hex(text.as_bytes()))
}

/// `2024-10-01T09:00:00`, the creation time the book carries.
fn created(raw: &Spanned<String>, p: &mut Errors) -> Option<Created> {
    let re = Regex::new(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$").ok()?;
    let parsed = re.captures(raw.value.trim()).and_then(|c| {
        let n = |i: usize| c.get(i).map_or(Some(0), |m| m.as_str().parse::<u16>().ok());
        let (y, mo, d, h, mi, s) = (n(1)?, n(2)?, n(3)?, n(4)?, n(5)?, n(6)?);
        let valid = (1900..=9999).contains(&y) && (1..=12).contains(&mo) && (1..=31).contains(&d) && h < 24 && mi < 60 && s < 60;
        valid.then_some(Created { year: y, month: mo as u8, day: d as u8, hour: h, minute: mi as u8, second: s as u8 })
    });
    if parsed.is_none() {
        p.push((raw.pos, Msg::new("config-created").arg("value", &raw.value)));
    }
    parsed
}
