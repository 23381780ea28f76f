//! The records export: one CSV row per consolidated value, for anyone who wants the
//! numbers outside Excel. UTF-8 with a BOM, which Excel in Japan needs to open it right.

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
            w.write_record([
                period.as_str(),
                &row.department,
                &row.goal,
                &row.measure,
                &row.project,
                row.indicator.as_deref().unwrap_or(""),
                &row.unit,
                v.kind.as_str(),
                &fiscal_year,
                &value,
                v.flag.map_or("", |f| f.as_str()),
                &v.raw,
                row.status.as_deref().unwrap_or(""),
                &row.file,
                &row.sheet,
                &v.cell,
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}
