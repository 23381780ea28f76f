//! A survey as a person reads it in a terminal, in the command line's language.

use crate::messages::{self, Arg, Lang};
use crate::normalize::Role;

use super::{ColumnRole, End, FileSurvey, FormKind, SheetSurvey, TableSurvey, ValueKind};

/// How many merged areas, marks or forms a line lists before "…".
const SHOWN: usize = 12;

/// A role's name for a person (基本目標, goal).
pub fn role_name(lang: Lang, role: Role) -> String {
    let id = match role {
        Role::Goal => "role-goal",
        Role::Measure => "role-measure",
        Role::Project => "role-project",
        Role::Indicator => "role-indicator",
        Role::Unit => "role-unit",
        Role::Status => "role-status",
        Role::Department => "role-department",
        _ => "role-other",
    };
    messages::text(lang, id, &[])
}

pub fn kind_name(lang: Lang, kind: Option<ValueKind>) -> String {
    let id = match kind {
        Some(ValueKind::Baseline) => "kind-baseline",
        Some(ValueKind::Plan) => "kind-plan",
        Some(ValueKind::Actual) => "kind-actual",
        None => "kind-unknown",
    };
    messages::text(lang, id, &[])
}

fn form_name(lang: Lang, form: FormKind) -> String {
    let id = match form {
        FormKind::Number => "form-number",
        FormKind::PercentCell => "form-percent-cell",
        FormKind::Date => "form-date",
        FormKind::TextNumber => "form-text-number",
        FormKind::FullWidth => "form-full-width",
        FormKind::Comma => "form-comma",
        FormKind::Percent => "form-percent",
        FormKind::Approx => "form-approx",
        FormKind::Minus => "form-minus",
        FormKind::UnitAttached => "form-unit-attached",
        FormKind::Dash => "form-dash",
        FormKind::NotMeasured => "form-not-measured",
        FormKind::IncreaseTarget => "form-increase-target",
        FormKind::Unreadable => "form-unreadable",
    };
    messages::text(lang, id, &[])
}

/// The first items of a list, joined, with "…" when there are more.
fn some<T>(items: &[T], show: impl Fn(&T) -> String) -> String {
    let mut shown: Vec<String> = items.iter().take(SHOWN).map(show).collect();
    if items.len() > SHOWN {
        shown.push("…".into());
    }
    shown.join(", ")
}

/// The surveys of some files, for a terminal.
pub fn text(surveys: &[FileSurvey], lang: Lang) -> String {
    let mut out = String::new();
    for s in surveys {
        file(&mut out, s, lang);
    }
    out
}

fn file(out: &mut String, s: &FileSurvey, lang: Lang) {
    let t = |id: &str, args: &[(&str, Arg)]| messages::text(lang, id, args);
    out.push_str(&s.file);
    if let Some(period) = &s.period {
        out.push_str(&format!("  {}", t("inspect-file-period", &[("period", period.into())])));
    }
    if let Some((mark, n)) = &s.revision {
        out.push_str(&format!("  {}", t("inspect-file-revision", &[("mark", mark.into()), ("number", (*n).into())])));
    }
    out.push('\n');
    if let Some(why) = &s.error {
        out.push_str(&format!("  {}\n", t("inspect-error", &[("why", why.into())])));
    }
    for sheet in &s.sheets {
        self::sheet(out, sheet, lang);
    }
    out.push('\n');
}

fn sheet(out: &mut String, s: &SheetSurvey, lang: Lang) {
    let t = |id: &str, args: &[(&str, Arg)]| messages::text(lang, id, args);
    let hidden = if s.visible { String::new() } else { format!(" {}", t("inspect-hidden", &[])) };
    let area = if s.area.is_empty() { t("inspect-empty", &[]) } else { s.area.clone() };
    out.push_str(&format!("  {}{hidden}\n", t("inspect-sheet", &[("sheet", s.name.as_str().into()), ("area", area.into())])));
    if !s.merges.is_empty() {
        let merges = some(&s.merges, String::clone);
        out.push_str(&format!("    {}\n", t("inspect-merges", &[("count", s.merges.len().into()), ("merges", merges.into())])));
    } else if !s.merges_known {
        out.push_str(&format!("    {}\n", t("inspect-merges-unknown", &[])));
    }
    if let Some(title) = &s.title {
        out.push_str(&format!("    {}\n", t("inspect-title", &[("title", title.as_str().into())])));
    }
    for l in [&s.department, &s.report_date].into_iter().flatten() {
        let args = [("label", l.label.as_str().into()), ("cell", l.cell.as_str().into()), ("text", l.text.as_str().into())];
        out.push_str(&format!("    {}\n", t("inspect-labelled", &args)));
    }
    if let Some(table) = &s.table {
        self::table(out, table, lang);
    } else if let Some(card) = &s.card {
        let labels = some(&card.labels, |l| format!("{} {} ({})", l.cell, l.text, l.field));
        out.push_str(&format!("    {}\n", t("inspect-card", &[("labels", labels.into())])));
        let years = some(&card.years, |(cell, text, year)| match year {
            Some(y) => format!("{cell} {text} = {y}"),
            None => format!("{cell} {text} = ?"),
        });
        out.push_str(&format!("      {}\n", t("inspect-card-years", &[("years", years.into())])));
    } else if !s.area.is_empty() {
        out.push_str(&format!("    {}\n", t("inspect-nothing", &[])));
    }
}

fn table(out: &mut String, s: &TableSurvey, lang: Lang) {
    let t = |id: &str, args: &[(&str, Arg)]| messages::text(lang, id, args);
    let rows = match (s.first_row, s.last_row) {
        (Some(first), Some(last)) => format!("{first}–{last}"),
        _ => "-".into(),
    };
    let args = [
        ("row", s.header_row.into()),
        ("headers", s.header_rows.into()),
        ("rows", rows.into()),
        ("count", s.data_rows.into()),
    ];
    out.push_str(&format!("    {}\n", t("inspect-table", &args)));
    let end = match &s.end {
        End::Legend { row, text } => t("inspect-end-legend", &[("row", (*row).into()), ("text", text.as_str().into())]),
        End::BlankRows { row, count } => t("inspect-end-blank", &[("row", (*row).into()), ("count", (*count).into())]),
        End::SheetEnd { row } => t("inspect-end-sheet", &[("row", (*row).into())]),
    };
    out.push_str(&format!("      {end}\n"));
    if s.blank_rows_inside > 0 {
        out.push_str(&format!("      {}\n", t("inspect-blank-inside", &[("count", s.blank_rows_inside.into())])));
    }
    for c in &s.columns {
        let role = match &c.role {
            ColumnRole::Field { field } => t("inspect-role-field", &[("role", role_name(lang, *field).into()), ("key", field.name().into())]),
            ColumnRole::Note { name } => t("inspect-role-note", &[("name", name.as_str().into())]),
            ColumnRole::Value { group, kind, fiscal_year, .. } => {
                let year = fiscal_year.map(|y| y.to_string()).unwrap_or_else(|| "?".into());
                t("inspect-role-value", &[("group", group.as_str().into()), ("kind", kind_name(lang, *kind).into()), ("year", year.into())])
            }
            ColumnRole::Unknown => t("inspect-role-unknown", &[]),
        };
        let header = c.header.replace('\n', " ");
        out.push_str(&format!("      {:<6} {header}  → {role}\n", c.cell));
    }
    if !s.fill.is_empty() {
        let fill = some(&s.fill, |f| t("inspect-fill-one", &[("role", role_name(lang, f.role).into()), ("merged", f.merged.into()), ("typed", f.typed_once.into())]));
        out.push_str(&format!("      {}\n", t("inspect-fill", &[("fill", fill.into())])));
    }
    if !s.status_marks.is_empty() {
        let marks = some(&s.status_marks, |m| format!("{} ×{}", m.text, m.count));
        let id = if s.grades { "inspect-grades" } else { "inspect-marks" };
        out.push_str(&format!("      {}\n", t(id, &[("marks", marks.into())])));
    }
    if !s.legend.is_empty() {
        let legend = some(&s.legend, |(m, w)| format!("{m} {w}"));
        out.push_str(&format!("      {}\n", t("inspect-legend", &[("legend", legend.into())])));
    }
    if !s.value_forms.is_empty() {
        let forms = some(&s.value_forms, |f| format!("{} ×{} ({} {})", form_name(lang, f.form), f.count, f.cell, f.example.replace('\n', " ")));
        out.push_str(&format!("      {}\n", t("inspect-forms", &[("forms", forms.into())])));
    }
    if !s.departments.is_empty() {
        let departments = some(&s.departments, |d| format!("{} ×{}", d.text, d.count));
        out.push_str(&format!("      {}\n", t("inspect-departments", &[("departments", departments.into())])));
    }
}
