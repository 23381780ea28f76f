//! The records export: one CSV row per consolidated value, for anyone who wants the
//! numbers outside Excel. UTF-8 with a BOM, which Excel in Japan needs to open it right.
//! Text that Excel would take for a formula (= + - @ first) is escaped with a leading
//! apostrophe: a cell from a department's file must never run in the reader's Excel.

use std::borrow::Cow;
use std::io::Write;

use crate::model::Consolidation;

pub const COLUMNS: [&str; 16] = [
    "period", "department", "goal", "measure", "project", "indicator", "unit", "kind",
    "fiscal_year", "value", "flag", "raw", "status", "file", "sheet", "cell",
];

pub fn write(c: &Consolidation, out: impl Write) -> csv::Result<()> {
    let mut out = out;
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(COLUMNS)?;
    let period = c.period.to_string();
    let mut rows: Vec<_> = c.rows.iter().collect();
    rows.sort_by(|a, b| (&a.file, &a.sheet, a.row).cmp(&(&b.file, &b.sheet, b.row)));
    for row in rows {
        for v in &row.values {
            let fiscal_year = v.fiscal_year.to_string();
            let value = v.value.map(|x| x.to_string()).unwrap_or_default();
            let cell = v.cell.to_string();
            let fields = [
                text(&period),
                text(&row.department),
                text(&row.goal),
                text(&row.measure),
                text(&row.project),
                text(row.indicator.as_deref().unwrap_or("")),
                text(&row.unit),
                text(v.kind.as_str()),
                Cow::Borrowed(fiscal_year.as_str()),
                Cow::Borrowed(value.as_str()),
                text(v.flag.map_or("", |f| f.as_str())),
                text(&v.raw),
                text(row.status.as_deref().unwrap_or("")),
                text(&row.file),
                text(&row.sheet),
                Cow::Borrowed(cell.as_str()),
            ];
            w.write_record(fields.iter().map(|f| f.as_bytes()))?;
        }
    }
    w.flush()?;
    Ok(())
}

/// A text field as Excel may safely open it: a leading apostrophe before anything that
/// would start a formula. Numbers (value, fiscal_year) are written as they are.
pub fn text(field: &str) -> Cow<'_, str> {
    if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{field}"))
    } else {
        Cow::Borrowed(field)
    }
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn formulas_are_escaped_and_the_rest_left_alone() {
        assert_eq!(text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(text("-"), "'-");
        assert_eq!(text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text("+81"), "'+81");
        assert_eq!(text("５，０８１"), "５，０８１");
        assert_eq!(text("△3"), "△3");
    }
}
