//! Writing the progress book with rust_xlsxwriter: six sheets in Japanese, set up to print
//! on A4 landscape. The book is built in memory and returned as bytes; the caller writes it.
//!
//! Same inputs give the same bytes: the document's creation time comes from the pipeline,
//! and every list is sorted before it is written.

mod progress;
mod styles;
mod table;

pub use styles::STATUS_FILLS;

use std::collections::HashMap;

use rayon::prelude::*;

use rust_xlsxwriter::{Chart, ChartDataLabel, ChartFormat, ChartLine, ChartSolidFill, ChartType, DocProperties, ExcelDateTime, Workbook, Worksheet, XlsxError};

use crate::aggregate::{Aggregates, GRADES, NO_STATUS, OTHER_GRADE, STATUSES};
use crate::model::{Consolidation, Created, IndicatorRow, InputFile, Outcome};
use crate::workbook::Opened;
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
    write_with(c, aggregate, prov, ROWS_PER_SHEET)
}

/// [`write`], 進捗一覧 going on to a next sheet after `rows_per_sheet` rows.
fn write_with(
    c: &Consolidation,
    aggregate: impl FnOnce() -> Result<Aggregates, String> + Send,
    prov: &Provenance,
    rows_per_sheet: usize,
) -> Result<Vec<u8>, String> {
    let mut book = Workbook::new();
    // Deflating is the last thing a run does, on one core. At level 6 (the default) it took
    // a quarter of a 1,000-file run; level 2 (zlib-rs's fast strategy, no lazy matches) is
    // over twice as fast for a book about 20% larger (5.7 MB for 60,000 rows).
    // Fixed, so the bytes stay the same.
    book.set_zip_compression_level(2);
    let Created { year, month, day, hour, minute, second } = prov.created;
    let created = ExcelDateTime::from_ymd(year, month, day).and_then(|d| d.and_hms(hour, minute, second)).map_err(|e| e.to_string())?;
    book.set_properties(&DocProperties::new().set_title(cell_text(&c.title)).set_author("torimatome").set_creation_datetime(&created));
    let styles = Styles::new();
    let page = Page::new(&c.title, &c.period.label_ja());
    // Sheets in the order the reader sees them; 概要 is filled in once the counts are in.
    book.add_worksheet();
    let (agg, progress_written) = std::thread::scope(|scope| {
        let counting = scope.spawn(aggregate);
        let written = progress::write(&mut book, c, &styles, &page, rows_per_sheet);
        (counting.join().unwrap_or_else(|_| Err("aggregating panicked".into())), written)
    });
    let agg = agg?;
    progress_written.map_err(|e| e.to_string())?;
    the_rest(&mut book, c, &agg, prov, &styles, &page).map_err(|e| e.to_string())
}

/// The short sheets after 進捗一覧, and the bytes of the whole book.
fn the_rest(book: &mut Workbook, c: &Consolidation, agg: &Aggregates, prov: &Provenance, st: &Styles, page: &Page) -> Result<Vec<u8>, XlsxError> {
    overview(book.worksheet_from_index(0)?, c, agg, prov, st, page)?;
    departments(book, c, agg, st, page)?;
    missing(book, c, st, page)?;
    problems(book, c, st, page)?;
    inputs(book, c, st, page)?;
    if c.rows.iter().any(|r| r.grade.is_some()) {
        evaluations(book, c, st, page)?;
    }
    book.save_to_buffer()
}

fn overview(ws: &mut Worksheet, c: &Consolidation, agg: &Aggregates, prov: &Provenance, st: &Styles, page: &Page) -> Result<(), XlsxError> {
    ws.set_name("概要")?;
    ws.write_string_with_format(0, 0, cell_text(&c.title), &st.title)?;
    let submitted = c.submitted().len() as f64;
    let facts: Vec<(&str, String, Option<f64>)> = vec![
        ("対象期間", format!("{} ({})", c.period.label_ja(), c.period), None),
        ("依頼した課", String::new(), Some(c.roster.len() as f64)),
        ("提出済みの課", String::new(), Some(submitted)),
        ("提出されたが集計できない課", String::new(), Some(c.failed().len() as f64)),
        ("未提出の課", String::new(), Some(c.missing().len() as f64)),
        ("読み込んだ行", String::new(), Some(c.rows_read() as f64)),
        ("集計した行", String::new(), Some(c.rows_consolidated() as f64)),
        ("除外した行", String::new(), Some(c.rows_set_aside() as f64)),
        ("問題の件数", String::new(), Some(c.problems.len() as f64)),
        ("受け取ったファイル", String::new(), Some(c.files.len() as f64)),
        ("パイプライン", prov.pipeline_name.to_string(), None),
        ("パイプライン SHA-256", prov.pipeline_sha256.to_string(), None),
        ("プラグイン", prov.plugins.join("\n"), None),
    ];
    let mut row = 2;
    for (label, text, number) in &facts {
        ws.write_string_with_format(row, 0, *label, &st.header)?;
        match number {
            Some(n) => ws.write_number_with_format(row, 1, *n, &st.figure[0])?,
            None => ws.write_string_with_format(row, 1, cell_text(text), &st.text)?,
        };
        row += 1;
    }

    // Projects per status per goal, with a chart beside it.
    row += 1;
    ws.write_string_with_format(row, 0, "基本目標別の事業の進捗 (事業数)", &st.title)?;
    let header_row = row + 1;
    let mut headers = vec!["基本目標"];
    headers.extend(STATUSES);
    headers.extend([NO_STATUS, "合計"]);
    for (i, h) in headers.iter().enumerate() {
        ws.write_string_with_format(header_row, i as u16, *h, &st.header)?;
    }
    let mut r = header_row + 1;
    for (goal, counts) in &agg.by_goal {
        ws.write_string_with_format(r, 0, cell_text(goal), &st.text)?;
        for (i, n) in counts.0.iter().enumerate() {
            ws.write_number_with_format(r, 1 + i as u16, *n as f64, &st.figure[0])?;
        }
        ws.write_number_with_format(r, 6, counts.total() as f64, &st.figure[0])?;
        r += 1;
    }
    if !agg.by_goal.is_empty() {
        let last = r - 1;
        let mut chart = Chart::new(ChartType::BarStacked);
        chart.title().set_name("基本目標別 進捗区分");
        // Goals top to bottom as in the table beside it (a bar chart draws its first
        // category at the bottom otherwise), each status in its cells' colour, with counts.
        chart.y_axis().set_reverse();
        let labels = ChartDataLabel::new().show_value().set_num_format("0;-0;;@").to_owned();
        for (col, fill) in (1..).zip(STATUS_FILLS) {
            let mut format = ChartFormat::new();
            format.set_solid_fill(ChartSolidFill::new().set_color(fill)).set_border(ChartLine::new().set_color(0x7F7F7F));
            chart
                .add_series()
                .set_name(("概要", header_row, col))
                .set_categories(("概要", header_row + 1, 0, last, 0))
                .set_values(("概要", header_row + 1, col, last, col))
                .set_format(&mut format)
                .set_data_label(&labels);
        }
        ws.insert_chart(header_row, 8, &chart)?;
    }
    if !agg.by_policy_grade.is_empty() {
        r += 1;
        ws.write_string_with_format(r, 0, "基本方針別の自己評価 (件数)", &st.title)?;
        r += 1;
        let mut headers = vec!["基本方針"];
        headers.extend(GRADES);
        headers.extend([OTHER_GRADE, NO_STATUS, "合計"]);
        for (i, h) in headers.iter().enumerate() {
            ws.write_string_with_format(r, i as u16, *h, &st.header)?;
        }
        for (policy, counts) in &agg.by_policy_grade {
            r += 1;
            ws.write_string_with_format(r, 0, cell_text(policy), &st.text)?;
            for (i, n) in counts.iter().enumerate() {
                ws.write_number_with_format(r, 1 + i as u16, *n as f64, &st.figure[0])?;
            }
            ws.write_number_with_format(r, 1 + counts.len() as u16, counts.iter().sum::<u32>() as f64, &st.figure[0])?;
        }
    }
    ws.set_column_width(0, 24)?;
    ws.set_column_width(1, 40)?;
    for col in 2..9 {
        ws.set_column_width(col, 10)?;
    }
    let layout = PrintLayout { repeat_rows: None, repeat_cols: None, printed_cols: None, last_row: r, extra_width: 0.0 };
    print_setup(ws, page, &[24.0, 40.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 60.0], &layout)
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
    let mut ids: HashMap<&str, u32> = HashMap::new();
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

fn departments(book: &mut Workbook, c: &Consolidation, agg: &Aggregates, st: &Styles, page: &Page) -> Result<(), XlsxError> {
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
    for (owner, rows) in c.owners_not_on_roster() {
        t.text(0, owner)?;
        t.text(1, &format!("(名簿外: 他課の一覧の {rows} 行の担当課)"))?;
        counts(&mut t, agg, owner)?;
        t.next();
    }
    t.finish()
}

fn missing(book: &mut Workbook, c: &Consolidation, st: &Styles, page: &Page) -> Result<(), XlsxError> {
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

fn problems(book: &mut Workbook, c: &Consolidation, st: &Styles, page: &Page) -> Result<(), XlsxError> {
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
fn evaluations(book: &mut Workbook, c: &Consolidation, st: &Styles, page: &Page) -> Result<(), XlsxError> {
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

fn inputs(book: &mut Workbook, c: &Consolidation, st: &Styles, page: &Page) -> Result<(), XlsxError> {
    // Size, hash and the reader's words identify and explain a file for whoever reruns
    // the book: on screen, not on paper.
    let headers = ["ファイル", "担当課", "結果", "理由", "読込行", "集計行", "除外行", "パスワード", "バイト数", "SHA-256", "詳細 (技術情報)"];
    let mut t = Table::new(book, st, page, "入力ファイル", &headers, |c| if c == 9 { 66.0 } else { 30.0 })?.identified_by(0, 0).print_only(8);
    for f in &c.files {
        t.text(0, &f.name)?;
        t.text(1, f.department.as_deref().unwrap_or(""))?;
        t.text(2, &format!("{} ({})", f.outcome.label_ja(), f.outcome.as_str()))?;
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
        let c = Consolidation {
            period: Period { fiscal_year: 2022, half: Half::First },
            title: "題".into(),
            roster: vec!["課".into()],
            rows,
            files: Vec::new(),
            problems: Vec::new(),
            resubmissions: Vec::new(),
        };
        let prov = Provenance {
            pipeline_name: "p",
            pipeline_sha256: "0",
            plugins: Vec::new(),
            created: Created { year: 2022, month: 10, day: 1, hour: 9, minute: 0, second: 0 },
        };
        let bytes = write_with(&c, || Ok(Aggregates::default()), &prov, 3).expect("the book is written");
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
