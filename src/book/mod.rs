//! Writing the progress book with rust_xlsxwriter: six sheets in Japanese, set up to print
//! on A4 landscape. The book is built in memory and returned as bytes; the caller writes it.
//!
//! Same inputs give the same bytes: the document's creation time comes from the pipeline,
//! and every list is sorted before it is written.

mod changes;
pub mod feedback;
mod progress;
mod splice;
mod styles;
mod table;
pub mod template;

pub use styles::STATUS_FILLS;
pub use table::FOOTER;

use std::collections::HashMap;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use rust_xlsxwriter::{Chart, ChartDataLabel, ChartFont, ChartFormat, ChartLine, ChartSolidFill, ChartType, DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::aggregate::{Aggregates, PlanCounts, StatusCounts, GRADES, NO_STATUS, OTHER_GRADE, STATUSES};
use crate::compare::Comparison;
use crate::model::{Consolidation, Created, IndicatorRow, InputFile, Outcome};
use crate::workbook::Opened;
use splice::Part;
use styles::Styles;
use table::{cell_text, print_setup, Page, PrintLayout, Table, SHEET_ROWS};

/// The rows of 進捗一覧 on one sheet: Excel's limit, less the header.
const ROWS_PER_SHEET: usize = SHEET_ROWS as usize - 1;

/// Who made the book, printed on 概要 so a reader can rerun it.
pub struct Provenance<'a> {
    pub pipeline_name: &'a str,
    pub pipeline_sha256: &'a str,
    /// Each plugin as `name version (SHA-256)`.
    pub plugins: Vec<String>,
    pub created: Created,
}

/// Make the book. `aggregate` gives what 概要 and 部署別 count; it runs beside the writing
/// of 進捗一覧, which does not need it.
pub fn write(
    c: &Consolidation,
    aggregate: impl FnOnce() -> Result<Aggregates, String> + Send,
    prov: &Provenance,
) -> Result<Vec<u8>, String> {
    write_with(c, aggregate, prov, ROWS_PER_SHEET, None)
}

/// [`write`], with 前期比 from this period's comparison with the last; or, for a summary
/// book, only the sheets that count and list files (概要, 部署別, 未提出, 問題一覧,
/// 入力ファイル, 監査情報): the rows are in the records.
pub fn write_compared(
    c: &Consolidation,
    aggregate: impl FnOnce() -> Result<Aggregates, String> + Send,
    prov: &Provenance,
    previous: Option<&Comparison>,
    summary: bool,
) -> Result<Vec<u8>, String> {
    if summary {
        let (mut book, styles, page) = begin(c, prov)?;
        book.add_worksheet();
        let agg = aggregate()?;
        let parts = summary_sheets(&mut book, c, &agg, prov, &styles, &page).map_err(|e| e.to_string())?;
        return saved(book, &parts);
    }
    write_with(c, aggregate, prov, ROWS_PER_SHEET, previous)
}

/// A new book with its properties, the styles and the page every sheet prints on.
fn begin(c: &Consolidation, prov: &Provenance) -> Result<(Workbook, Styles, Page), String> {
    let mut book = Workbook::new();
    book.set_zip_compression_level(splice::ZIP_LEVEL as u8);
    let Created { year, month, day, hour, minute, second } = prov.created;
    let created = ExcelDateTime::from_ymd(year, month, day).and_then(|d| d.and_hms(hour, minute, second)).map_err(|e| e.to_string())?;
    book.set_properties(&DocProperties::new().set_title(cell_text(&c.title)).set_author("torimatome").set_creation_datetime(&created));
    Ok((book, Styles::new(), Page::new(&c.title, &c.period.label_ja())))
}

/// [`write`], 進捗一覧 going on to a next sheet after `rows_per_sheet` rows.
fn write_with(
    c: &Consolidation,
    aggregate: impl FnOnce() -> Result<Aggregates, String> + Send,
    prov: &Provenance,
    rows_per_sheet: usize,
    previous: Option<&Comparison>,
) -> Result<Vec<u8>, String> {
    let (mut book, styles, page) = begin(c, prov)?;
    // Sheets in the order the reader sees them: 概要, 進捗一覧 and the rest. 進捗一覧 is
    // rendered on every core while a thread counts and writes the other sheets.
    book.add_worksheet();
    let sheets = progress::add_sheets(&mut book, c.rows.len(), rows_per_sheet).map_err(|e| e.to_string())?;
    let (rendered, rest) = std::thread::scope(|scope| {
        let book = &mut book;
        let (styles, page) = (&styles, &page);
        let rest = scope.spawn(move || -> Result<Vec<Part>, String> {
            let agg = aggregate()?;
            the_rest(book, c, &agg, prov, styles, page, previous).map_err(|e| e.to_string())
        });
        let rendered = progress::render(c, rows_per_sheet);
        (rendered, rest.join().unwrap_or_else(|_| Err("writing the book panicked".into())))
    });
    let mut parts = progress::write(&mut book, rendered, &sheets, &styles, &page).map_err(|e| e.to_string())?;
    parts.extend(rest?);
    saved(book, &parts)
}

/// The book's bytes: saved by rust_xlsxwriter, its lists' rows spliced in.
fn saved(mut book: Workbook, parts: &[Part]) -> Result<Vec<u8>, String> {
    let framed = book.save_to_buffer().map_err(|e| e.to_string())?;
    splice::splice(&framed, parts)
}

/// The short sheets after 進捗一覧, and 概要; their tables' rows, to splice in.
fn the_rest(book: &mut Workbook, c: &Consolidation, agg: &Aggregates, prov: &Provenance, st: &Styles, page: &Page, previous: Option<&Comparison>) -> Result<Vec<Part>, XlsxError> {
    overview(book.worksheet_from_index(0)?, c, agg, st, page, false)?;
    let mut parts = issues_list(book, c, st, page)?;
    if let Some(cmp) = previous {
        parts.extend(changes::previous(book, cmp, st, page)?);
    }
    parts.extend(departments(book, c, agg, st, page)?);
    parts.extend(changes::corrections(book, c, st, page)?);
    parts.extend(missing(book, c, st, page)?);
    parts.extend(problems(book, c, st, page)?);
    parts.extend(inputs(book, c, st, page)?);
    if c.rows.iter().any(|r| r.grade.is_some()) {
        parts.extend(evaluations(book, c, st, page)?);
    }
    parts.extend(audit(book, c, prov, st, page)?);
    Ok(parts)
}

/// A summary book's sheets after 概要 (its first sheet); their tables' rows, to splice in.
fn summary_sheets(book: &mut Workbook, c: &Consolidation, agg: &Aggregates, prov: &Provenance, st: &Styles, page: &Page) -> Result<Vec<Part>, XlsxError> {
    overview(book.worksheet_from_index(0)?, c, agg, st, page, true)?;
    let mut parts = departments(book, c, agg, st, page)?;
    parts.extend(missing(book, c, st, page)?);
    parts.extend(problems(book, c, st, page)?);
    parts.extend(inputs(book, c, st, page)?);
    parts.extend(audit(book, c, prov, st, page)?);
    Ok(parts)
}

/// 概要, the council's page: what was asked and what came in (with the departments to ask
/// again by name), one overall figure, and each plan's projects per status by goal and by
/// measure, each with its chart; then the A–D lists per policy. What reruns the book
/// (hashes, row counts) is on 監査情報.
/// `summary`: the book has no 進捗一覧, whose rows are in the records instead.
fn overview(ws: &mut Worksheet, c: &Consolidation, agg: &Aggregates, st: &Styles, page: &Page, summary: bool) -> Result<(), XlsxError> {
    ws.set_name("概要")?;
    ws.write_string_with_format(0, 0, cell_text(&c.title), &st.title)?;
    ws.write_string(1, 0, format!("対象期間: {}", c.period.label_ja()))?;
    let mut row = 3;
    ws.write_string_with_format(row, 0, "提出の状況", &st.title)?;
    row += 1;
    let failed: Vec<&str> = c.failed().into_iter().map(|(d, _)| d).collect();
    let facts: [(&str, usize, String); 4] = [
        ("依頼した課", c.roster.len(), String::new()),
        ("提出済みの課", c.submitted().len(), String::new()),
        ("提出されたが集計できない課", failed.len(), failed.join("、")),
        ("未提出の課", c.missing().len(), c.missing().join("、")),
    ];
    let mut lines = Vec::new();
    for (label, n, names) in &facts {
        ws.write_string_with_format(row, 0, *label, &st.header)?;
        ws.write_number_with_format(row, 1, *n as f64, &st.figure[0])?;
        ws.merge_range(row, 2, row, 7, &cell_text(names), &st.text)?;
        lines.push((row, table::lines_in(names, NAMES_WIDTH)));
        row += 1;
    }
    for (r, n) in lines {
        if let Some(height) = table::row_height(n) {
            ws.set_row_height(r, height)?;
        }
    }

    row += 1;
    ws.write_string_with_format(row, 0, "全体の状況", &st.title)?;
    row += 1;
    let o = &agg.overall;
    let share = |part: u32, whole: u32| if whole == 0 { "—".to_string() } else { format!("{:.1}%", f64::from(part) * 100.0 / f64::from(whole)) };
    let overall = [
        ("事業: 達成・推進中", o.projects_on_track, o.projects, share(o.projects_on_track, o.projects)),
        ("指標: 今年度の計画値以上", o.indicators_at_plan, o.indicators_measured, share(o.indicators_at_plan, o.indicators_measured)),
    ];
    for (label, part, whole, percent) in overall {
        ws.write_string_with_format(row, 0, label, &st.header)?;
        ws.write_number_with_format(row, 1, f64::from(part), &st.figure[0])?;
        ws.write_string_with_format(row, 2, format!("/ {whole}"), &st.text)?;
        ws.write_string_with_format(row, 3, &percent, &st.text)?;
        row += 1;
    }
    let rules = if summary { "指標ごとの値は明細の記録ファイルに。" } else { "算定の規則は進捗一覧の「達成率の算定」に。" };
    ws.write_string_with_format(row, 0, format!("達成率を算定できた指標のうち、達成率 100% 以上の数。{rules}"), &st.muted_note)?;
    row += 2;

    // Each table with its chart starts a page: a chart is never cut in two on paper.
    let mut breaks = Vec::new();
    for plan in &agg.plans {
        row = plan_tables(ws, plan, row, st, &mut breaks)?;
    }
    if !agg.by_policy_grade.is_empty() {
        breaks.push(row);
        row = grade_table(ws, &agg.by_policy_grade, row, st)?;
    }
    ws.set_page_breaks(&breaks)?;
    ws.set_column_width(0, 34)?;
    for col in 1..9 {
        ws.set_column_width(col, 9)?;
    }
    // Tables take columns A–I, each chart stands under its table.
    let widths = [34.0, 9.0, 9.0, 9.0, 9.0, 9.0, 9.0, 9.0, 9.0];
    let layout = PrintLayout { repeat_rows: None, repeat_cols: None, printed_cols: None, last_row: row, extra_width: 0.0 };
    print_setup(ws, page, &widths, &layout)
}

/// The width, in characters, of the cell where 概要 names departments (columns C–H).
const NAMES_WIDTH: f64 = 6.0 * 9.0;
/// A chart under its table: 576 × 288 pixels, narrower than the tables, and the rows of
/// 15 pt it takes.
const CHART_WIDTH: u32 = 576;
const CHART_ROWS: u32 = 15;

/// One plan: projects per status by goal, with a totals row and a chart beside it, then by
/// measure within each goal, with a totals row. Gives the row after them.
fn plan_tables(ws: &mut Worksheet, plan: &PlanCounts, mut row: u32, st: &Styles, breaks: &mut Vec<u32>) -> Result<u32, XlsxError> {
    breaks.push(row);
    let mut headers = vec!["基本目標"];
    headers.extend(STATUSES);
    headers.extend([NO_STATUS, "合計"]);
    ws.write_string_with_format(row, 0, cell_text(&format!("{}: 基本目標別の事業の進捗 (事業数)", plan.plan)), &st.title)?;
    row += 1;
    let header_row = row;
    header_cells(ws, row, &headers, st)?;
    for (goal, counts) in &plan.by_goal {
        row += 1;
        status_row(ws, row, goal, counts, &st.text, st)?;
    }
    let last = row;
    row += 1;
    status_row(ws, row, "合計", &plan.total(), &st.header, st)?;
    let chart = status_chart(&format!("{} 基本目標別 進捗区分", plan.plan), header_row, last, STATUS_FILLS.len(), &STATUS_FILLS);
    ws.insert_chart(row + 2, 0, &chart)?;
    row += 2 + CHART_ROWS + 1;

    headers[0] = "施策";
    breaks.push(row);
    ws.write_string_with_format(row, 0, cell_text(&format!("{}: 施策別の事業の進捗 (事業数)", plan.plan)), &st.title)?;
    row += 1;
    header_cells(ws, row, &headers, st)?;
    let mut goal_shown: Option<&str> = None;
    for ((goal, measure), counts) in &plan.by_measure {
        if goal_shown != Some(goal.as_str()) {
            row += 1;
            ws.merge_range(row, 0, row, headers.len() as u16 - 1, &cell_text(goal), &st.group)?;
            goal_shown = Some(goal);
        }
        row += 1;
        status_row(ws, row, measure, counts, &st.text, st)?;
    }
    row += 1;
    status_row(ws, row, "合計", &plan.total(), &st.header, st)?;
    Ok(row + 2)
}

/// A header row of 概要's tables, as tall as its most wrapped header.
fn header_cells(ws: &mut Worksheet, row: u32, headers: &[&str], st: &Styles) -> Result<(), XlsxError> {
    let mut lines = 1;
    for (i, h) in headers.iter().enumerate() {
        ws.write_string_with_format(row, i as u16, *h, &st.header)?;
        lines = lines.max(table::lines_in(h, if i == 0 { 34.0 } else { 9.0 }));
    }
    if let Some(height) = table::row_height(lines) {
        ws.set_row_height(row, height)?;
    }
    Ok(())
}

/// A label and its projects per status, then their total.
fn status_row(ws: &mut Worksheet, row: u32, label: &str, counts: &StatusCounts, label_format: &Format, st: &Styles) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, 0, cell_text(label), label_format)?;
    for (i, n) in counts.0.iter().enumerate() {
        ws.write_number_with_format(row, 1 + i as u16, f64::from(*n), &st.figure[0])?;
    }
    ws.write_number_with_format(row, 1 + counts.0.len() as u16, f64::from(counts.total()), &st.figure[0])?;
    if let Some(height) = table::row_height(table::lines_in(label, 34.0)) {
        ws.set_row_height(row, height)?;
    }
    Ok(())
}

/// A stacked bar per category (rows `header_row + 1 ..= last` of column A), a series per
/// column from B on, each in its cells' colour, categories top to bottom as in the table
/// (a bar chart draws its first category at the bottom otherwise), with counts on the bars.
fn status_chart(title: &str, header_row: u32, last: u32, series: usize, fills: &[u32]) -> Chart {
    let mut chart = Chart::new(ChartType::BarStacked);
    chart.set_width(CHART_WIDTH);
    chart.title().set_name(title).set_font(&ChartFont::new().set_size(12));
    chart.y_axis().set_reverse().set_font(&ChartFont::new().set_size(11));
    chart.x_axis().set_font(&ChartFont::new().set_size(11));
    chart.legend().set_font(&ChartFont::new().set_size(11));
    let labels = ChartDataLabel::new().show_value().set_num_format("0;-0;;@").set_font(&ChartFont::new().set_size(11)).to_owned();
    for (col, fill) in (1..).zip(fills.iter().take(series)) {
        let mut format = ChartFormat::new();
        format.set_solid_fill(ChartSolidFill::new().set_color(*fill)).set_border(ChartLine::new().set_color(0x7F7F7F));
        chart
            .add_series()
            .set_name(("概要", header_row, col))
            .set_categories(("概要", header_row + 1, 0, last, 0))
            .set_values(("概要", header_row + 1, col, last, col))
            .set_format(&mut format)
            .set_data_label(&labels);
    }
    chart
}

/// The A–D lists per basic policy, as the lists' own summaries count them: A, B, C, D,
/// その他, 未記入, 合計 and the share of A + B, with a totals row and a chart.
fn grade_table(ws: &mut Worksheet, by_policy: &[(String, [u32; 6])], mut row: u32, st: &Styles) -> Result<u32, XlsxError> {
    ws.write_string_with_format(row, 0, "基本方針別の自己評価 (件数)", &st.title)?;
    row += 1;
    let header_row = row;
    let mut headers = vec!["基本方針"];
    headers.extend(GRADES);
    headers.extend([OTHER_GRADE, NO_STATUS, "合計", "A+B の割合"]);
    header_cells(ws, row, &headers, st)?;
    let mut total = [0u32; 6];
    let write = |ws: &mut Worksheet, row: u32, label: &str, counts: &[u32; 6], format: &Format| -> Result<(), XlsxError> {
        ws.write_string_with_format(row, 0, cell_text(label), format)?;
        for (i, n) in counts.iter().enumerate() {
            ws.write_number_with_format(row, 1 + i as u16, f64::from(*n), &st.figure[0])?;
        }
        let sum: u32 = counts.iter().sum();
        ws.write_number_with_format(row, 7, f64::from(sum), &st.figure[0])?;
        let share = if sum == 0 { 0.0 } else { f64::from(counts[0] + counts[1]) / f64::from(sum) };
        ws.write_number_with_format(row, 8, share, &st.share)?;
        Ok(())
    };
    for (policy, counts) in by_policy {
        row += 1;
        write(ws, row, policy, counts, &st.text)?;
        for (t, n) in total.iter_mut().zip(counts) {
            *t += n;
        }
    }
    let last = row;
    row += 1;
    write(ws, row, "合計", &total, &st.header)?;
    // A–D in the colours of the statuses they stand for (A 達成 … D 取組なし), その他 and
    // 未記入 as 未記入.
    let fills = [STATUS_FILLS[0], STATUS_FILLS[1], STATUS_FILLS[2], STATUS_FILLS[3], 0xF2F2F2, STATUS_FILLS[4]];
    let chart = status_chart("基本方針別 自己評価", header_row, last, fills.len(), &fills);
    ws.insert_chart(row + 2, 0, &chart)?;
    Ok(row + 2 + CHART_ROWS + 1)
}

/// 監査情報: what reruns and checks the book — the pipeline and plugins with their hashes,
/// the creation time, and how many files and rows went in and came out.
fn audit(book: &mut Workbook, c: &Consolidation, prov: &Provenance, st: &Styles, page: &Page) -> Result<Vec<Part>, XlsxError> {
    let mut t = Table::new(book, st, page, "監査情報", &["項目", "内容"], |col| if col == 0 { 24.0 } else { 80.0 })?;
    let Created { year, month, day, hour, minute, second } = prov.created;
    let facts: Vec<(&str, String)> = vec![
        ("パイプライン", prov.pipeline_name.to_string()),
        ("パイプライン SHA-256", prov.pipeline_sha256.to_string()),
        ("プラグイン", prov.plugins.join("\n")),
        ("作成日時 (パイプラインの指定)", format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")),
        ("受け取ったファイル", c.files.len().to_string()),
        ("読み込んだ行", c.rows_read().to_string()),
        ("集計した行", c.rows_consolidated().to_string()),
        ("除外した行", c.rows_set_aside().to_string()),
        ("問題の件数", c.problems.len().to_string()),
    ];
    for (label, value) in &facts {
        t.text(0, label)?;
        match value.parse::<f64>() {
            Ok(n) if !value.is_empty() && !label.contains("SHA") => t.number(1, n)?,
            _ => t.text(1, value)?,
        }
        t.next();
    }
    t.finish()
}

/// 課題一覧, the council's discussion list: every project 課題あり (or graded C or D), by
/// plan, goal and measure, with what its department wrote about it.
fn issues_list(book: &mut Workbook, c: &Consolidation, st: &Styles, page: &Page) -> Result<Vec<Part>, XlsxError> {
    let mut t = Table::new(book, st, page, "課題一覧", &["計画", "基本目標", "施策", "事業名", "担当課", "進捗区分", "評価", "記述", "出典"], |col| {
        [16.0, 18.0, 18.0, 22.0, 12.0, 9.0, 6.0, 60.0, 40.0][col as usize % 9]
    })?
    .identified_by(3, 4)
    .print_only(8);
    let mut seen: FxHashSet<(&str, &str, &str)> = FxHashSet::default();
    let mut rows: Vec<&IndicatorRow> = c
        .rows
        .iter()
        .filter(|r| r.status.as_deref() == Some(STATUSES[2]) || matches!(r.grade.as_deref(), Some("C" | "D")))
        .filter(|r| seen.insert((&r.plan, &r.department, &r.project)))
        .collect();
    // Every note of each listed project, from all its rows, each once: gathered in one
    // pass over the rows (a scan per project was quadratic at a prefecture's scale).
    let mut notes: FxHashMap<(&str, &str, &str), Vec<(&str, &str)>> = seen.iter().map(|key| (*key, Vec::new())).collect();
    for r in &c.rows {
        let Some(lines) = notes.get_mut(&(r.plan.as_str(), r.department.as_str(), r.project.as_str())) else { continue };
        for n in &r.notes {
            let line = (n.label.as_str(), n.text.as_str());
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
    }
    let plan_rank = |plan: &str| c.plans.iter().position(|p| p == plan).unwrap_or(c.plans.len());
    rows.sort_by(|a, b| (plan_rank(&a.plan), &a.goal, &a.measure, &a.project, &a.department).cmp(&(plan_rank(&b.plan), &b.goal, &b.measure, &b.project, &b.department)));
    for row in rows {
        t.text(0, &row.plan)?;
        t.text(1, &row.goal)?;
        t.text(2, &row.measure)?;
        t.text(3, &row.project)?;
        t.text(4, &row.department)?;
        t.text_with(5, row.status.as_deref().unwrap_or(NO_STATUS), st.status(row.status.as_deref()))?;
        t.text(6, row.grade.as_deref().unwrap_or(""))?;
        let written = notes.get(&(row.plan.as_str(), row.department.as_str(), row.project.as_str()));
        let lines: Vec<String> = written.into_iter().flatten().map(|(label, text)| format!("【{label}】{text}")).collect();
        t.text(7, &lines.join("\n"))?;
        t.text(8, &format!("{}!{}", row.file, row.sheet))?;
        t.next();
    }
    t.finish()
}

/// The indicators in the order of the book: goal, measure, department, then the file's
/// own order (file, sheet, row); rows alike in all of these stay in the order given.
///
/// Sorted on each text's rank among the distinct texts of its column rather than on the
/// texts: 60,000 rows share a few hundred goals and measures, and comparing those long
/// texts over and over was most of the sort.
fn in_book_order<'a>(rows: impl Iterator<Item = &'a IndicatorRow>) -> Vec<&'a IndicatorRow> {
    let rows: Vec<&IndicatorRow> = rows.collect();
    let columns: [fn(&IndicatorRow) -> &str; 5] = [|r| &r.goal, |r| &r.measure, |r| &r.department, |r| &r.file, |r| &r.sheet];
    let ranks: Vec<Vec<u32>> = columns.par_iter().map(|column| ranks(rows.iter().map(|r| column(r)))).collect();
    let mut keyed: Vec<([u32; 6], &IndicatorRow)> =
        rows.iter().enumerate().map(|(i, r)| ([ranks[0][i], ranks[1][i], ranks[2][i], ranks[3][i], ranks[4][i], r.row], *r)).collect();
    keyed.par_sort_by_key(|(key, _)| *key);
    keyed.into_iter().map(|(_, r)| r).collect()
}

/// Each text's rank among the distinct texts given, in text order.
fn ranks<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<u32> {
    let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
    let first_seen: Vec<u32> = texts
        .map(|text| {
            let next = ids.len() as u32;
            *ids.entry(text).or_insert(next)
        })
        .collect();
    let mut distinct: Vec<(&str, u32)> = ids.into_iter().collect();
    distinct.sort_unstable();
    let mut rank_of = vec![0; distinct.len()];
    for (rank, (_, id)) in distinct.into_iter().enumerate() {
        rank_of[id as usize] = rank as u32;
    }
    first_seen.into_iter().map(|id| rank_of[id as usize]).collect()
}

fn departments(book: &mut Workbook, c: &Consolidation, agg: &Aggregates, st: &Styles, page: &Page) -> Result<Vec<Part>, XlsxError> {
    let mut headers = vec!["担当課", "ファイル"];
    headers.extend(STATUSES);
    headers.extend([NO_STATUS, "指標数", "問題数", "複数のファイルから採用した理由"]);
    let mut t = Table::new(book, st, page, "部署別", &headers, |col| if col == 9 { 40.0 } else { 30.0 })?.identified_by(0, 0);
    // By name, not by search: a prefecture's roster and inbox are thousands long each.
    // A department may count with one file per layout (its A–D list and its cards).
    let mut files_of: HashMap<&str, Vec<&InputFile>> = HashMap::new();
    for f in c.files.iter().filter(|f| f.outcome == Outcome::Consolidated) {
        if let Some(department) = &f.department {
            files_of.entry(department).or_default().push(f);
        }
    }
    let mut problems_of: HashMap<&str, usize> = HashMap::new();
    for p in &c.problems {
        *problems_of.entry(&p.file).or_default() += 1;
    }
    let mut why_of: HashMap<&str, Vec<String>> = HashMap::new();
    for r in &c.resubmissions {
        why_of.entry(&r.department).or_default().push(format!("{} 件から {}: {}", r.files.len(), r.winner, r.why));
    }
    let failed: HashMap<&str, Vec<&InputFile>> = c.failed().into_iter().collect();
    // A department's projects per status and its indicators, in columns 2–7.
    fn counts<F: Fn(u16) -> f64>(t: &mut Table<F>, agg: &Aggregates, department: &str) -> Result<(), XlsxError> {
        let (counts, indicators) = agg.by_department.get(department).cloned().unwrap_or_default();
        for (i, n) in counts.0.iter().enumerate() {
            t.number(2 + i as u16, *n as f64)?;
        }
        t.number(7, indicators as f64)
    }
    for department in &c.roster {
        t.text(0, department)?;
        if let Some(files) = files_of.get(department.as_str()) {
            let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
            t.text(1, &names.join("\n"))?;
            counts(&mut t, agg, department)?;
            let problems: usize = files.iter().map(|f| problems_of.get(f.name.as_str()).copied().unwrap_or(0)).sum();
            t.number(8, problems as f64)?;
            if let Some(why) = why_of.get(department.as_str()) {
                t.text(9, &why.join("\n"))?;
            }
        } else if let Some(files) = failed.get(department.as_str()) {
            let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
            t.text(1, &format!("(集計できず: {})", names.join("、")))?;
        } else {
            t.text(1, "(未提出)")?;
        }
        t.next();
    }
    // The owners of a compiled list's actions who are not on the roster: noted here once
    // each, with their rows counted, rather than as a problem at every row.
    for (owner, rows) in &agg.owners_not_on_roster {
        t.text(0, owner)?;
        t.text(1, &format!("(名簿外: 他課の一覧の {rows} 行の担当課)"))?;
        counts(&mut t, agg, owner)?;
        t.next();
    }
    t.finish()
}

fn missing(book: &mut Workbook, c: &Consolidation, st: &Styles, page: &Page) -> Result<Vec<Part>, XlsxError> {
    let mut t = Table::new(book, st, page, "未提出", &["担当課", "状況", "ファイル", "理由", "依頼すること"], |_| 36.0)?.identified_by(0, 0);
    for department in c.missing() {
        t.text(0, department)?;
        t.text(1, "ファイルなし")?;
        t.text(4, "提出を依頼")?;
        t.next();
    }
    // What to ask of a department whose file failed is what its file-level problem says.
    let mut todo_of: HashMap<&str, &str> = HashMap::new();
    for p in c.problems.iter().filter(|p| p.cell.is_empty() && p.sheet.is_empty()) {
        todo_of.entry(&p.file).or_insert(p.todo());
    }
    for (department, files) in c.failed() {
        for f in files {
            t.text(0, department)?;
            t.text(1, "提出あり・集計できず")?;
            t.text(2, &f.name)?;
            t.text(3, &f.outcome.reason())?;
            t.text(4, todo_of.get(f.name.as_str()).copied().unwrap_or_default())?;
            t.next();
        }
    }
    t.finish()
}

fn problems(book: &mut Workbook, c: &Consolidation, st: &Styles, page: &Page) -> Result<Vec<Part>, XlsxError> {
    let mut t = Table::new(book, st, page, "問題一覧", &["ファイル", "シート", "セル", "元の値", "内容", "対応", "詳細 (技術情報)"], |c| [28.0, 14.0, 6.0, 16.0, 40.0, 40.0, 40.0][c as usize % 7])?.identified_by(0, 0).print_only(6);
    for p in &c.problems {
        t.text(0, &p.file)?;
        t.text(1, &p.sheet)?;
        t.text(2, &p.cell)?;
        t.text(3, &p.raw)?;
        t.text(4, &p.what())?;
        t.text(5, p.todo())?;
        t.text(6, p.detail())?;
        t.next();
    }
    t.finish()
}

/// Rows of evaluation lists, each with the grade as written and the status it maps to.
fn evaluations(book: &mut Workbook, c: &Consolidation, st: &Styles, page: &Page) -> Result<Vec<Part>, XlsxError> {
    let mut t = Table::new(book, st, page, "評価一覧", &["基本方針", "施策", "具体的取組", "担当課", "評価", "評価 (記入どおり)", "進捗区分", "出典"], |c| if c < 4 { 24.0 } else { 16.0 })?.identified_by(2, 3).print_only(7);
    for row in in_book_order(c.rows.iter().filter(|r| r.grade.is_some())) {
        t.text(0, &row.goal)?;
        t.text(1, &row.measure)?;
        t.text(2, &row.project)?;
        t.text(3, &row.department)?;
        t.text(4, match row.grade.as_deref() {
            Some(g) if GRADES.contains(&g) => g,
            Some("") | None => NO_STATUS,
            Some(_) => OTHER_GRADE,
        })?;
        t.text(5, &row.status_raw)?;
        let status = row.status.as_deref();
        t.text_with(6, status.unwrap_or(NO_STATUS), st.status(status))?;
        let at = row.status_cell.map(|c| c.to_string()).unwrap_or_default();
        t.text(7, &format!("{}!{}!{at}", row.file, row.sheet))?;
        t.next();
    }
    t.finish()
}

fn inputs(book: &mut Workbook, c: &Consolidation, st: &Styles, page: &Page) -> Result<Vec<Part>, XlsxError> {
    // Size, hash and the reader's words identify and explain a file for whoever reruns
    // the book: on screen, not on paper.
    let headers = ["ファイル", "担当課", "結果", "理由", "読込行", "集計行", "除外行", "パスワード", "バイト数", "SHA-256", "詳細 (技術情報)"];
    let mut t = Table::new(book, st, page, "入力ファイル", &headers, |c| if c == 9 { 66.0 } else { 30.0 })?.identified_by(0, 0).print_only(8);
    for f in &c.files {
        t.text(0, &f.name)?;
        t.text(1, f.department.as_deref().unwrap_or(""))?;
        t.text(2, f.outcome.label_ja())?;
        t.text(3, &f.outcome.reason())?;
        t.number(4, f.rows_read as f64)?;
        t.number(5, f.rows_consolidated as f64)?;
        t.number(6, f.rows_set_aside as f64)?;
        t.number(8, f.size as f64)?;
        t.text(9, &f.sha256)?;
        t.text(10, f.outcome.detail().unwrap_or_default())?;
        t.text(7, match f.opened {
            Opened::Plain => "",
            Opened::DefaultPassword => "Excel の既定のパスワードで開いた",
            Opened::Password => "パスワードで開いた",
        })?;
        t.next();
    }
    t.finish()
}

#[cfg(test)]
mod tests {
    use super::{in_book_order, write_with, Provenance};
    use crate::aggregate::Aggregates;
    use crate::model::{Consolidation, Created, IndicatorRow};
    use crate::workbook::{self, Limits};
    use torimatome_ja_core::era::{Half, Period};

    #[test]
    fn a_long_list_goes_on_on_the_next_sheet_and_an_overlong_text_is_cut_visibly() {
        let long = "調整中".repeat(14_000);
        let mut rows: Vec<IndicatorRow> = (0..7).map(|i| row(if i == 4 { &long } else { "① 目標" }, "施策", "課", "f.xlsx", "s", i, &format!("事業{i}"))).collect();
        // Every text of a row may be that long (the book-writer fuzzer found the file name
        // and the status uncut): a file name, a status a plugin invented.
        rows[5].file = long.clone();
        rows[5].status = Some(long.clone());
        let c = Consolidation { rows, ..consolidation() };
        let bytes = write_with(&c, || Ok(Aggregates::default()), &provenance(), 3, None).expect("the book is written");
        let book = workbook::read(&bytes, &Limits::default()).expect("the book reads back");
        let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(&names[..4], ["概要", "進捗一覧", "進捗一覧 (2)", "進捗一覧 (3)"]);
        let mut projects = Vec::new();
        for sheet in &book.sheets[1..4] {
            assert_eq!(sheet.get(0, 2).display(), "事業名", "{}: the header again", sheet.name);
            projects.extend((1..sheet.height()).map(|r| sheet.get(r, 2).display()));
        }
        let in_order: Vec<String> = in_book_order(c.rows.iter()).iter().map(|r| r.project.clone()).collect();
        assert_eq!(projects, in_order, "every row once, in the book's order");
        // 42,000 characters do not fit a cell: cut, and saying so.
        let cut = book.sheets.iter().flat_map(|s| (0..s.height()).map(move |r| s.get(r, 0).display())).find(|t| t.starts_with("調整中調整中")).expect("the long goal");
        assert!(cut.encode_utf16().count() <= 32_767 && cut.ends_with("全 42000 字。全文は記録 CSV とマニフェストに〕"), "{}", &cut[cut.len() - 80..]);
    }

    #[test]
    fn texts_of_the_long_list_read_back_as_written() {
        // Markup, spaces at either end, characters XML cannot hold, a text also on another
        // sheet (the title, on 概要): the lists' rows are written outside rust_xlsxwriter.
        let texts = ["a & b <c> \"d\"", " 先頭と末尾に空白 ", "改行\nと\tタブ", "制御\u{1}文字\u{1f}", "題", "_x0041_", "𠮷野家"];
        let rows: Vec<IndicatorRow> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| IndicatorRow { status: Some(super::STATUSES[2].into()), ..row("① 目標", "施策", "課", "f.xlsx", "s", i as u32, t) })
            .collect();
        let c = Consolidation { title: "題".into(), rows, ..consolidation() };
        let bytes = write_with(&c, || Ok(Aggregates::default()), &provenance(), 1_000, None).expect("the book is written");
        let book = workbook::read(&bytes, &Limits::default()).expect("the book reads back");
        let mut expected: Vec<String> = texts.iter().map(|t| t.to_string()).collect();
        expected.sort();
        // 事業名 on 進捗一覧, and on 課題一覧 (every project has 課題あり).
        for (name, col) in [("進捗一覧", 2), ("課題一覧", 3)] {
            let sheet = book.sheets.iter().find(|s| s.name == name).expect(name);
            let mut read: Vec<String> = (1..sheet.height()).map(|r| sheet.get(r, col).display()).collect();
            read.sort();
            assert_eq!(read, expected, "{name}");
        }
    }

    fn consolidation() -> Consolidation {
        Consolidation {
            period: Period { fiscal_year: 2022, half: Half::First },
            title: "題".into(),
            roster: vec!["課".into()],
            rows: Vec::new(),
            files: Vec::new(),
            problems: Vec::new(),
            resubmissions: Vec::new(),
            superseded_rows: Vec::new(),
            spilled: Vec::new(),
            plans: Vec::new(),
            note_labels: Vec::new(),
            rules: Vec::new(),
        }
    }

    fn provenance() -> Provenance<'static> {
        Provenance {
            pipeline_name: "p",
            pipeline_sha256: "0",
            plugins: Vec::new(),
            created: Created { year: 2022, month: 10, day: 1, hour: 9, minute: 0, second: 0 },
        }
    }

    fn row(goal: &str, measure: &str, department: &str, file: &str, sheet: &str, line: u32, project: &str) -> IndicatorRow {
        let text = |s: &str| s.to_string();
        IndicatorRow {
            department: text(department),
            file: text(file),
            sheet: text(sheet),
            row: line,
            goal: text(goal),
            measure: text(measure),
            project: text(project),
            status: None,
            status_raw: String::new(),
            status_cell: None,
            grade: None,
            indicator: None,
            unit: String::new(),
            values: Vec::new(),
            plan: String::new(),
            notes: Vec::new(),
        }
    }

    #[test]
    fn rows_are_ordered_by_goal_measure_department_then_where_they_stand() {
        // Texts of a few shared forms, so that columns tie and later ones decide.
        let words = ["", "1 行政", "1 行政手続", "2 くらし", "10 子育て", "ａ", "A"];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut pick = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let rows: Vec<IndicatorRow> = (0..3000)
            .map(|i| {
                let w: Vec<&str> = (0..5).map(|_| words[pick(words.len())]).collect();
                row(w[0], w[1], w[2], w[3], w[4], pick(4) as u32, &i.to_string())
            })
            .collect();

        let sorted: Vec<&str> = in_book_order(rows.iter()).iter().map(|r| r.project.as_str()).collect();

        // The order spelled out: the texts themselves compared, and ties kept as given.
        let mut expected: Vec<&IndicatorRow> = rows.iter().collect();
        expected.sort_by(|a, b| (&a.goal, &a.measure, &a.department, &a.file, &a.sheet, a.row).cmp(&(&b.goal, &b.measure, &b.department, &b.file, &b.sheet, b.row)));
        let expected: Vec<&str> = expected.iter().map(|r| r.project.as_str()).collect();
        assert_eq!(sorted, expected);
    }
}
