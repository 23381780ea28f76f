//! The printed book, as a city council receives it (issue 14): LibreOffice prints the
//! samples' book to PDF, and the PDF is read back to say whether it is fit to hand over.
//!
//! - **(a) legible**: no text on any page is set under 8 pt, as printed (after the sheet's
//!   print scale: a 10 pt font printed at 40 % is 4 pt on paper).
//! - **(b) headed and numbered**: every page has, in its top margin, the book's title and
//!   period (the header `&L<title>&R<period>`), and in its bottom margin the sheet's name
//!   and "n / N" (the footer `&L&A&C&P / &N`), N the PDF's page count (LibreOffice's `&N`)
//!   or the sheet's, n the page's number in that count.
//! - **(c) nothing cut off**: no cell's text is clipped (see [`clipping`] for why three
//!   checks and not one), and no number is shown as `###`.
//!
//! The PDF is read with MuPDF's `mutool` (Debian's mupdf-tools; .ci/run installs it beside
//! LibreOffice): `mutool draw -F stext` gives every run of characters with its real font
//! size in points (the text matrix times the page's transformation, so a sheet's print scale
//! is in it), each character's baseline and box; `mutool trace` gives the drawing
//! operations in order, clip paths included. poppler's `pdftotext -bbox-layout` gives word
//! boxes but no font sizes, and a Rust PDF crate would have us interpret content streams
//! and fonts ourselves. Both outputs are regular XML, one element per line, read here with
//! a regex over the tags (no XML crate among the dependencies).
//!
//! What LibreOffice prints depends on the fonts it finds: .ci/run installs Noto Sans CJK
//! (Debian's fonts-noto-cjk), which sets the book's Japanese; its Calibri is DejaVu Sans.
//!
//! `TORIMATOME_PAGES=/some/dir cargo test --test it print` also writes the book, its PDF and
//! each page as a PNG at 60 dpi (`pdftoppm -png -r 60`) into that folder, for a person to
//! look at. `--nocapture` shows the measures of each page when the test passes.

use crate::common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use regex::Regex;

/// The smallest type the council can read on paper.
const MIN_POINTS: f64 = 8.0;
/// MuPDF reports sizes such as 10.006 for 10 pt: a size this far under 8 still counts as 8.
const SIZE_TOLERANCE: f64 = 0.05;

#[test]
fn the_printed_book_is_fit_for_the_council() {
    let run = common::run_pipeline("pipelines/seto.yaml", Some(&common::shared().join("samples/inbox")));
    let pdf = to_pdf(&run.book, &run.dir.path().join("pdf"));
    keep_pages_for_a_person(&run.book, &pdf);
    let expected = Expected { title: run.consolidation.title.clone(), period: run.consolidation.period.label_ja() };
    let report = inspect(&run.book, &pdf, &expected);
    println!("{}", report.summary());
    assert!(report.failures.is_empty(), "the printed book is not fit for the council:\n{}", report.failures_text());
}

/// The checks checked: a small book printed as issue 14 asks passes all of them, and the same
/// book printed at 40 %, without header or footer and with one-line rows fails each, for
/// its own reason. (The samples' book failing could otherwise be the checks' fault.)
#[test]
fn the_print_checks_pass_a_fit_book_and_name_what_is_wrong_with_an_unfit_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let expected = Expected { title: "瀬戸市 ICT戦略推進プラン 進捗状況一覧 (令和4年度上期)".into(), period: "令和4年度上期".into() };

    let fit = dir.path().join("fit.xlsx");
    write_small_book(&fit, &expected, true).expect("write the fit book");
    let fit_report = inspect(&fit, &to_pdf(&fit, &dir.path().join("fit")), &expected);
    println!("fit book:\n{}", fit_report.summary());
    assert!(fit_report.failures.is_empty(), "a fit book failed:\n{}", fit_report.failures_text());
    assert!(fit_report.pages.len() >= 3, "the fit book prints on several pages");

    let unfit = dir.path().join("unfit.xlsx");
    write_small_book(&unfit, &expected, false).expect("write the unfit book");
    let unfit_report = inspect(&unfit, &to_pdf(&unfit, &dir.path().join("unfit")), &expected);
    println!("unfit book:\n{}", unfit_report.summary());
    let failed: Vec<Check> = unfit_report.failures.keys().copied().collect();
    for check in [Check::Size, Check::Header, Check::Footer, Check::RowHeight, Check::Missing] {
        assert!(failed.contains(&check), "the unfit book passed {check:?}:\n{}", unfit_report.failures_text());
    }
    let smallest = unfit_report.pages.iter().map(|p| p.smallest).fold(f64::INFINITY, f64::min);
    assert!((smallest - 4.4).abs() < 0.2, "11 pt at 40 % reads as 4.4 pt, not {smallest}");
}

/// A book like the progress list: a title-less list of wrapped Japanese text over more rows
/// than one page holds, a tracing column left out of the print area, and a second sheet.
/// `fit`: A4 landscape at 100 %, header and footer, rows as tall as their lines; not `fit`:
/// printed at 40 %, no header or footer, every row one line tall.
fn write_small_book(path: &Path, expected: &Expected, fit: bool) -> Result<(), rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, FormatAlign, Workbook};
    let mut book = Workbook::new();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let title = expected.title.split(" (").next().unwrap_or(&expected.title).to_string();
    for (name, rows) in [("進捗一覧", 60u32), ("問題一覧", 5)] {
        let ws = book.add_worksheet();
        ws.set_name(name)?.set_landscape().set_paper_size(9);
        ws.set_column_width(0, 14)?.set_column_width(1, 30)?.set_column_width(2, 10)?.set_column_width(3, 40)?;
        ws.write_string_with_format(0, 0, "事業名", &wrap)?;
        ws.write_string_with_format(0, 1, "指標名", &wrap)?;
        ws.write_string_with_format(0, 2, "実績値", &wrap)?;
        ws.write_string_with_format(0, 3, "出典セル", &wrap)?;
        for r in 1..=rows {
            let long = "マイナンバーカードを利用した各種証明書のコンビニ交付の件数".repeat(1 + r as usize % 3);
            ws.write_string_with_format(r, 0, format!("事業 {r}"), &wrap)?;
            ws.write_string_with_format(r, 1, &long, &wrap)?;
            ws.write_number(r, 2, 1234.0 * f64::from(r))?;
            ws.write_string(r, 3, "2019年度 計画 E10・2020年度 計画 F10・2021年度 計画 G10・実績 H10")?;
            if fit {
                // 30 characters of width hold 15 full-width characters a line; 18 pt a line
                // holds LibreOffice's 11 pt Noto Sans CJK (about 16 pt a line).
                let lines = long.chars().count().div_ceil(14) as f64;
                ws.set_row_height(r, 18.0 * lines)?;
            }
        }
        if fit {
            ws.set_header(format!("&L{title}&R{}", expected.period));
            ws.set_footer(torimatome::book::FOOTER);
            ws.set_print_area(0, 0, rows, 2)?;
            ws.set_repeat_rows(0, 0)?;
        } else {
            ws.set_print_scale(40);
        }
    }
    book.save(path)
}

/// What the book's print must show, from the run.
struct Expected {
    /// The book's title, 「瀬戸市 ICT戦略推進プラン 進捗状況一覧 (令和4年度上期)」 for the samples.
    title: String,
    /// The period as the book writes it, 令和4年度上期.
    period: String,
}

/// The book printed to PDF by LibreOffice, in its own profile (as book.rs does).
fn to_pdf(book: &Path, outdir: &Path) -> PathBuf {
    let profile = outdir.with_extension("lo-profile");
    let output = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(outdir)
        .arg(book)
        .output()
        .expect("soffice runs (install libreoffice-calc; .ci/run does)");
    let pdf = outdir.join(book.with_extension("pdf").file_name().expect("a file name"));
    assert!(
        pdf.exists(),
        "LibreOffice made no PDF of {}: {}\n{}",
        book.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    pdf
}

/// With `TORIMATOME_PAGES` set: the book, its PDF and each page as a PNG into that folder.
fn keep_pages_for_a_person(book: &Path, pdf: &Path) {
    let Some(dir) = std::env::var_os("TORIMATOME_PAGES") else { return };
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("TORIMATOME_PAGES {}: {e}", dir.display()));
    std::fs::copy(book, dir.join("book.xlsx")).expect("copy the book");
    std::fs::copy(pdf, dir.join("book.pdf")).expect("copy the PDF");
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "60"])
        .arg(pdf)
        .arg(dir.join("page"))
        .status()
        .expect("pdftoppm runs (Debian's poppler-utils)");
    assert!(status.success(), "pdftoppm failed");
    println!("the book, its PDF and its pages as page-N.png are in {}", dir.display());
}

// ---------------------------------------------------------------------------------------
// The inspection

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Check {
    /// (a) text under 8 pt.
    Size,
    /// (b) no header with the title and period in the top margin.
    Header,
    /// (b) no footer with the sheet's name and "n / N" in the bottom margin.
    Footer,
    /// (c) a row too short for its cell's wrapped lines, by the book's own measures.
    RowHeight,
    /// (c) a cell's text not all in the PDF: LibreOffice left out the lines that did not fit.
    Missing,
    /// (c) text drawn under its cell's clip path but outside it: cut off on paper.
    Clipped,
    /// (c) a number too wide for its column, printed as ###.
    Hashes,
}

impl Check {
    fn title(self) -> &'static str {
        match self {
            Check::Size => "(a) text set under 8 pt",
            Check::Header => "(b) a page without the header (title and period at the top)",
            Check::Footer => "(b) a page without the footer (sheet name and \"n / N\" at the bottom)",
            Check::RowHeight => "(c) a row too short for its cell's wrapped lines (book's row heights)",
            Check::Missing => "(c) a cell's text not all printed (what did not fit left out of the PDF)",
            Check::Clipped => "(c) text cut off (drawn outside the clip path it is drawn under: a cell's, or a page's edge through a chart)",
            Check::Hashes => "(c) a number too wide for its column, printed as ###",
        }
    }
}

/// What one page showed.
struct PageMeasure {
    number: usize,
    smallest: f64,
    largest: f64,
    header: String,
    footer: String,
    sheet: Option<String>,
}

struct Report {
    pages: Vec<PageMeasure>,
    failures: BTreeMap<Check, Vec<String>>,
}

impl Report {
    fn fail(&mut self, check: Check, message: String) {
        self.failures.entry(check).or_default().push(message);
    }

    fn summary(&self) -> String {
        let smallest = self.pages.iter().map(|p| p.smallest).fold(f64::INFINITY, f64::min);
        let mut s = format!("{} pages; smallest text {smallest:.1} pt (at least {MIN_POINTS} wanted)\n", self.pages.len());
        for p in &self.pages {
            let _ = writeln!(
                s,
                "  p.{:<3} {:<12} text {:.1}–{:.1} pt | header: {} | footer: {}",
                p.number,
                p.sheet.as_deref().unwrap_or("(sheet ?)"),
                p.smallest,
                p.largest,
                if p.header.is_empty() { "(none)" } else { &p.header },
                if p.footer.is_empty() { "(none)" } else { &p.footer },
            );
        }
        s
    }

    fn failures_text(&self) -> String {
        const SHOWN: usize = 8;
        let mut s = String::new();
        for (check, messages) in &self.failures {
            let _ = writeln!(s, "{} — {} found:", check.title(), messages.len());
            for m in messages.iter().take(SHOWN) {
                let _ = writeln!(s, "    {m}");
            }
            if messages.len() > SHOWN {
                let _ = writeln!(s, "    … and {} more", messages.len() - SHOWN);
            }
        }
        s + "\n" + &self.summary()
    }
}

fn inspect(book: &Path, pdf: &Path, expected: &Expected) -> Report {
    let pages = read_pdf(pdf);
    let sheets = read_book(book);
    assert!(!pages.is_empty(), "the PDF has no page");
    let mut report = Report { pages: Vec::new(), failures: BTreeMap::new() };

    // The margins bound where a header and a footer can be: Excel prints them within the
    // page's top and bottom margins, the sheet's cells between them (LibreOffice the same,
    // its header area growing downward from the header margin). The narrowest margins of
    // the printed sheets, so a page of any sheet is judged generously.
    let top = sheets.iter().map(|s| s.margins.0).fold(f64::INFINITY, f64::min) * 72.0;
    let bottom = sheets.iter().map(|s| s.margins.1).fold(f64::INFINITY, f64::min) * 72.0;
    let title = title_without_period(&expected.title, &expected.period);
    let numbers = Regex::new(r"(\d+)\s*/\s*(\d+)").expect("regex");

    let mut numbered: Vec<(usize, Option<(usize, usize)>, Option<String>)> = Vec::new();
    for page in &pages {
        // (a) Every run of characters, spaces alone aside.
        let mut smallest = f64::INFINITY;
        let mut largest: f64 = 0.0;
        let mut small: Vec<String> = Vec::new();
        for span in page.spans.iter().filter(|s| s.text.chars().any(|c| !c.is_whitespace())) {
            smallest = smallest.min(span.size);
            largest = largest.max(span.size);
            if span.size < MIN_POINTS - SIZE_TOLERANCE {
                small.push(format!("{:.1} pt 「{}」", span.size, clip_text(&span.text, 16)));
            }
        }
        if !small.is_empty() {
            small.sort();
            small.dedup();
            let n = small.len();
            small.truncate(3);
            report.fail(Check::Size, format!("p.{}: {n} runs of text under {MIN_POINTS} pt, smallest {smallest:.1} pt, e.g. {}", page.number, small.join(", ")));
        }

        // (b) The lines whose baseline lies in the top margin, and in the bottom margin.
        let band = |pick: &dyn Fn(&TextLine) -> bool| -> String {
            let mut lines: Vec<&TextLine> = page.lines.iter().filter(|l| pick(l)).collect();
            lines.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            lines.iter().map(|l| l.text.trim()).collect::<Vec<_>>().join(" | ")
        };
        let header = band(&|l| l.baseline < top);
        let footer = band(&|l| l.baseline > page.height - bottom);
        let header_flat = squeeze(&header);
        if !(header_flat.contains(&title) && header_flat.contains(&squeeze(&expected.period))) {
            report.fail(
                Check::Header,
                format!(
                    "p.{}: the top margin (above {top:.0} pt) shows 「{}」, not the title 「{title}」 and the period 「{}」",
                    page.number,
                    clip_text(&header, 60),
                    expected.period
                ),
            );
        }
        // The page's sheet: the longest sheet name in the footer (進捗一覧 (2) before 進捗一覧).
        let sheet = sheets.iter().map(|s| &s.name).filter(|n| footer.contains(n.as_str())).max_by_key(|n| n.len()).cloned();
        let page_numbers = numbers.captures(&footer).map(|c| (c[1].parse().unwrap_or(0), c[2].parse().unwrap_or(0)));
        if sheet.is_none() || page_numbers.is_none() {
            report.fail(
                Check::Footer,
                format!(
                    "p.{}: the bottom margin (below {:.0} pt) shows 「{}」: {}",
                    page.number,
                    page.height - bottom,
                    clip_text(&footer, 60),
                    match (&sheet, page_numbers) {
                        (None, None) => "no sheet name, no \"n / N\"",
                        (None, Some(_)) => "no sheet name",
                        _ => "no \"n / N\"",
                    }
                ),
            );
        }
        numbered.push((page.number, page_numbers, sheet.clone()));
        report.pages.push(PageMeasure { number: page.number, smallest, largest, header, footer, sheet });
    }

    // (b) "n / N": N is the PDF's page count and n the page's number (LibreOffice's &P and &N
    // run over the whole document), or both count the sheet's own pages.
    let total = pages.len();
    let mut within_sheet: BTreeMap<Option<String>, usize> = BTreeMap::new();
    for (_, _, sheet) in &numbered {
        *within_sheet.entry(sheet.clone()).or_default() += 1;
    }
    let mut seen: BTreeMap<Option<String>, usize> = BTreeMap::new();
    for (number, page_numbers, sheet) in &numbered {
        let index = {
            let i = seen.entry(sheet.clone()).or_default();
            *i += 1;
            *i
        };
        let Some((n, of)) = *page_numbers else { continue };
        let of_sheet = within_sheet[sheet];
        if !((n, of) == (*number, total) || (n, of) == (index, of_sheet)) {
            report.fail(
                Check::Footer,
                format!("p.{number}: numbered \"{n} / {of}\", but it is page {number} of {total}, page {index} of {of_sheet} of its sheet"),
            );
        }
    }

    clipping(&sheets, &pages, &mut report);
    report
}

/// (c) Why three checks. LibreOffice prints a cell whose text does not fit in more than one
/// way (found with test books on Debian 12's LibreOffice 7.4): wrapped text in a row of a set
/// height is drawn under a clip path the size of the cell, the lines below the cell still in
/// the PDF but invisible, the last ones left out; in a row of the default height the first
/// line or two are drawn running past the cell, unclipped, and the rest left out; a text that
/// does not wrap, stopped by a filled neighbour, is drawn only as far as the cell's edge. So:
/// - **Missing**: every text cell of the print area must be whole in the page's text in
///   drawing order (`mutool trace`: a cell's lines are drawn one after another), spaces
///   aside: text left out fails here;
/// - **Clipped**: no glyph may be drawn outside the clip path it is drawn under (by more
///   than a quarter of its height: a glyph's box is its em square, not its ink): lines kept
///   but cut away fail here, and so does a chart cut by the page's edge (its labels drawn
///   under the page's printable area);
/// - **RowHeight**, from the book itself: a wrapped cell's lines at its column's width must
///   fit its row's height, whatever LibreOffice's next version draws. LibreOffice leaves a
///   row the height the book gives it (Excel fits a row of no set height to its wrapped
///   text when it opens the book), so the book must say it. Counted as a lower bound, so
///   that a row it fails is cut off for certain: the characters packed with no word kept
///   whole, at LibreOffice's widths, which are the wider (it prints a column 7 pt a width
///   unit, Excel 5.25: an 11 pt CJK character is 1.57 units there, 2.1 in Excel), and
///   1.2 × the font size a line, under any real font's line pitch (LibreOffice's Noto
///   Sans CJK is 1.45, Excel's Calibri 1.36). A row that passes may still be short in
///   Excel, by up to a third: that is for the book's own row heights to get right.
fn clipping(sheets: &[SheetLayout], pages: &[PdfPage], report: &mut Report) {
    for page in pages {
        let mut cut: Vec<String> = Vec::new();
        for c in &page.clipped {
            cut.push(format!(
                "「{}」 drawn outside its clip, x {:.0}–{:.0} y {:.0}–{:.0} pt",
                clip_text(&c.text, 24),
                c.rect[0],
                c.rect[2],
                c.rect[1],
                c.rect[3]
            ));
        }
        let n = cut.len();
        if n > 0 {
            cut.truncate(3);
            report.fail(Check::Clipped, format!("p.{}: text cut off under {n} clips: {}", page.number, cut.join("; ")));
        }
        if page.drawn.contains("###") && !sheets.iter().any(|s| s.cells.iter().any(|c| c.text.contains("###"))) {
            report.fail(Check::Hashes, format!("p.{}: ### printed", page.number));
        }
    }

    for sheet in sheets {
        for cell in sheet.cells.iter().filter(|c| c.printed) {
            let wanted = squeeze(&cell.text);
            if wanted.is_empty() {
                continue;
            }
            let at = format!("{}!{}", sheet.name, a1(cell.row, cell.col));
            if !pages.iter().any(|p| p.drawn.contains(&wanted)) {
                // The longest beginning of the text some page holds, to say what was printed.
                let chars: Vec<char> = wanted.chars().collect();
                let (mut page, mut found) = (None, 0);
                for p in pages {
                    let (mut lo, mut hi) = (0, chars.len());
                    while lo < hi {
                        let mid = (lo + hi).div_ceil(2);
                        if p.drawn.contains(&chars[..mid].iter().collect::<String>()) {
                            lo = mid;
                        } else {
                            hi = mid - 1;
                        }
                    }
                    if lo > found {
                        (page, found) = (Some(p.number), lo);
                    }
                }
                let shown: String = chars[..found].iter().collect();
                report.fail(
                    Check::Missing,
                    match page {
                        Some(p) => format!("p.{p}: {at} printed as 「{}」, {} of its {} characters", clip_text(&shown, 24), found, chars.len()),
                        None => format!("{at}: 「{}」 is on no page", clip_text(&cell.text, 24)),
                    },
                );
            }
            if cell.wrap {
                let lines = lines_needed(&cell.text, cell.width, cell.font_size);
                let needed = lines as f64 * 1.2 * cell.font_size;
                if cell.height + 0.01 < needed {
                    let page = pages.iter().find(|p| p.drawn.contains(&wanted.chars().take(12).collect::<String>())).map(|p| p.number);
                    report.fail(
                        Check::RowHeight,
                        format!(
                            "{}{at}: 「{}」 takes at least {lines} lines at width {:.1} ({:.0} pt of {} pt text), the row is {:.1} pt",
                            page.map(|p| format!("p.{p}: ")).unwrap_or_default(),
                            clip_text(&cell.text, 16),
                            cell.width,
                            needed,
                            cell.font_size,
                            cell.height
                        ),
                    );
                }
            }
        }
    }
}

/// The fewest lines `text` can take in a column `width` units wide (Excel's unit, the width
/// of the default font's digit): its own line breaks kept, the characters packed with no
/// regard for words (so never more lines than a real renderer needs), at 11 pt a full-width
/// character 1.5 units and any other 0.8 (LibreOffice prints 7 pt a unit; its 11 pt Noto
/// Sans CJK is 11 pt wide, a DejaVu Sans digit 7 pt), scaled by the font size.
fn lines_needed(text: &str, width: f64, font_size: f64) -> usize {
    let scale = font_size / 11.0;
    let width = width.max(0.5);
    text.trim_end_matches('\n')
        .split('\n')
        .map(|paragraph| {
            let mut lines = 1;
            let mut used = 0.0;
            for c in paragraph.chars() {
                let w = if full_width(c) { 1.5 } else { 0.8 } * scale;
                if used + w > width + 1e-9 && used > 0.0 {
                    lines += 1;
                    used = 0.0;
                }
                used += w;
            }
            lines
        })
        .sum()
}

fn full_width(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// The title without the period and its brackets, spaces removed: the header may set the
/// period apart (`&L<title>&R<period>`).
fn title_without_period(title: &str, period: &str) -> String {
    let mut t = squeeze(title);
    let p = squeeze(period);
    for wrapped in [format!("({p})"), format!("（{p}）"), p.clone()] {
        t = t.replace(&wrapped, "");
    }
    t
}

/// Text without any whitespace (full-width spaces too): how text is compared with a PDF,
/// which may draw a space or only move past it.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn clip_text(s: &str, n: usize) -> String {
    let s = s.replace('\n', "⏎");
    if s.chars().count() <= n {
        s
    } else {
        s.chars().take(n).collect::<String>() + "…"
    }
}

fn a1(row: u32, col: u32) -> String {
    let mut letters = String::new();
    let mut c = col + 1;
    while c > 0 {
        letters.insert(0, (b'A' + ((c - 1) % 26) as u8) as char);
        c = (c - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

// ---------------------------------------------------------------------------------------
// The PDF, through mutool

struct PdfPage {
    number: usize,
    height: f64,
    lines: Vec<TextLine>,
    spans: Vec<Span>,
    /// Every glyph's text in drawing order, whitespace removed.
    drawn: String,
    clipped: Vec<Clipped>,
}

struct TextLine {
    x0: f64,
    baseline: f64,
    text: String,
}

/// A run of characters in one font and size.
struct Span {
    size: f64,
    text: String,
}

/// The glyphs drawn under one clip rectangle but outside it.
struct Clipped {
    rect: [f64; 4],
    text: String,
}

fn mutool(args: &[&str], pdf: &Path) -> String {
    let out = Command::new("mutool")
        .args(args)
        .arg(pdf)
        .output()
        .expect("mutool runs (install Debian's mupdf-tools; .ci/run does)");
    assert!(out.status.success(), "mutool {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("mutool writes UTF-8")
}

fn read_pdf(pdf: &Path) -> Vec<PdfPage> {
    let mut pages = read_stext(&mutool(&["draw", "-q", "-F", "stext", "-o", "-"], pdf));
    let traced = read_trace(&mutool(&["trace"], pdf));
    assert_eq!(pages.len(), traced.len(), "mutool's text and trace of {} differ in pages", pdf.display());
    for (page, (drawn, clipped)) in pages.iter_mut().zip(traced) {
        page.drawn = drawn;
        page.clipped = clipped;
    }
    pages
}

fn tags(xml: &str) -> impl Iterator<Item = (bool, &str, &str)> {
    // (closing, name, attributes)
    static TAG: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let re = TAG.get_or_init(|| Regex::new(r"<(/?)([A-Za-z_][\w:]*)([^>]*)>").expect("regex"));
    re.captures_iter(xml).map(|c| {
        let (_, [close, name, attrs]) = c.extract();
        (!close.is_empty(), name, attrs)
    })
}

fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = attrs.find(&key)? + key.len();
    let len = attrs[start..].find('"')?;
    Some(&attrs[start..start + len])
}

fn num(attrs: &str, name: &str) -> Option<f64> {
    attr(attrs, name)?.parse().ok()
}

fn nums(attrs: &str, name: &str) -> Vec<f64> {
    attr(attrs, name).map(|v| v.split_whitespace().filter_map(|n| n.parse().ok()).collect()).unwrap_or_default()
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let Some(end) = rest[i..].find(';') else {
            out.push_str(&rest[i..]);
            return out;
        };
        let entity = &rest[i + 1..i + end];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16).ok().and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => out.push(c),
            None => out.push_str(&rest[i..=i + end]),
        }
        rest = &rest[i + end + 1..];
    }
    out + rest
}

/// `mutool draw -F stext`: pages of blocks of lines of fonts (a run in one font and size,
/// the size in points on the page) of characters, each with its baseline `y`.
fn read_stext(xml: &str) -> Vec<PdfPage> {
    let mut pages = Vec::new();
    let mut line: Option<TextLine> = None;
    let mut span: Option<Span> = None;
    for (close, name, attrs) in tags(xml) {
        match (close, name) {
            (false, "page") => pages.push(PdfPage {
                number: pages.len() + 1,
                height: num(attrs, "height").expect("a page's height"),
                lines: Vec::new(),
                spans: Vec::new(),
                drawn: String::new(),
                clipped: Vec::new(),
            }),
            (false, "line") => {
                let bbox = nums(attrs, "bbox");
                line = Some(TextLine { x0: bbox.first().copied().unwrap_or(0.0), baseline: f64::NAN, text: String::new() });
            }
            (false, "font") => span = Some(Span { size: num(attrs, "size").expect("a font's size"), text: String::new() }),
            (false, "char") => {
                let c = unescape(attr(attrs, "c").unwrap_or(""));
                if let Some(l) = line.as_mut() {
                    if l.baseline.is_nan() {
                        l.baseline = num(attrs, "y").unwrap_or(f64::NAN);
                    }
                    l.text.push_str(&c);
                }
                if let Some(s) = span.as_mut() {
                    s.text.push_str(&c);
                }
            }
            (true, "font") => {
                if let (Some(s), Some(p)) = (span.take(), pages.last_mut()) {
                    p.spans.push(s);
                }
            }
            (true, "line") => {
                if let (Some(l), Some(p)) = (line.take(), pages.last_mut()) {
                    if !l.baseline.is_nan() {
                        p.lines.push(l);
                    }
                }
            }
            _ => {}
        }
    }
    pages
}

fn transform(m: &[f64], x: f64, y: f64) -> (f64, f64) {
    match m {
        [a, b, c, d, e, f] => (a * x + c * y + e, b * x + d * y + f),
        _ => (x, y),
    }
}

/// `mutool trace`: per page, the glyphs' text in drawing order, and the glyphs drawn outside
/// the clip rectangle they are drawn under, grouped by that rectangle. Coordinates are the
/// page's, in points from its top left (every element carries its transformation to them).
fn read_trace(xml: &str) -> Vec<(String, Vec<Clipped>)> {
    const UNCLIPPED: [f64; 4] = [f64::NEG_INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::INFINITY];
    let mut pages: Vec<(String, Vec<Clipped>)> = Vec::new();
    let mut stack: Vec<[f64; 4]> = Vec::new();
    let mut path: Option<(Vec<f64>, Vec<(f64, f64)>)> = None;
    let mut ctm: Vec<f64> = Vec::new();
    let mut trm: Vec<f64> = Vec::new();
    // Glyphs are text only inside fill_text or stroke_text (not clip_text, ignore_text).
    let mut drawing = false;
    for (close, name, attrs) in tags(xml) {
        match (close, name) {
            (false, "page") => {
                pages.push((String::new(), Vec::new()));
                stack.clear();
            }
            (false, "clip_path") => path = Some((nums(attrs, "transform"), Vec::new())),
            (false, "moveto" | "lineto" | "curveto") => {
                if let Some((m, points)) = path.as_mut() {
                    for (x, y) in [("x", "y"), ("x1", "y1"), ("x2", "y2"), ("x3", "y3")] {
                        if let (Some(x), Some(y)) = (num(attrs, x), num(attrs, y)) {
                            points.push(transform(m, x, y));
                        }
                    }
                }
            }
            (true, "clip_path") => {
                let (_, points) = path.take().unwrap_or_default();
                let outer = stack.last().copied().unwrap_or(UNCLIPPED);
                let rect = if points.is_empty() {
                    outer
                } else {
                    let xs = points.iter().map(|p| p.0);
                    let ys = points.iter().map(|p| p.1);
                    [
                        xs.clone().fold(f64::INFINITY, f64::min).max(outer[0]),
                        ys.clone().fold(f64::INFINITY, f64::min).max(outer[1]),
                        xs.fold(f64::NEG_INFINITY, f64::max).min(outer[2]),
                        ys.fold(f64::NEG_INFINITY, f64::max).min(outer[3]),
                    ]
                };
                stack.push(rect);
            }
            // Clips by text, strokes or masks: not a cell's; kept so pop_clip pairs up.
            (false, "clip_text" | "clip_stroke_path" | "clip_stroke_text" | "clip_image_mask") => {
                stack.push(stack.last().copied().unwrap_or(UNCLIPPED));
            }
            (false, "pop_clip") => {
                stack.pop();
            }
            (false, "fill_text" | "stroke_text") => {
                ctm = nums(attrs, "transform");
                drawing = true;
            }
            (true, "fill_text" | "stroke_text") => drawing = false,
            (false, "span") => trm = nums(attrs, "trm"),
            (false, "g") if drawing => {
                let Some((drawn, clipped)) = pages.last_mut() else { continue };
                let text = unescape(attr(attrs, "unicode").unwrap_or(""));
                drawn.extend(text.chars().filter(|c| !c.is_whitespace()));
                let (Some(x), Some(y), [a, b, c, d, ..]) = (num(attrs, "x"), num(attrs, "y"), trm.as_slice()) else { continue };
                let adv = num(attrs, "adv").unwrap_or(0.5);
                // The glyph's em box: its advance wide, from 0.2 below the baseline to 0.8 above.
                let corners: Vec<(f64, f64)> = [(0.0, -0.2), (0.0, 0.8), (1.0, -0.2), (1.0, 0.8)]
                    .iter()
                    .map(|(i, j)| transform(&ctm, x + i * adv * a + j * c, y + i * adv * b + j * d))
                    .collect();
                let (x0, x1) = (corners.iter().map(|p| p.0).fold(f64::INFINITY, f64::min), corners.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max));
                let (y0, y1) = (corners.iter().map(|p| p.1).fold(f64::INFINITY, f64::min), corners.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max));
                let r = stack.last().copied().unwrap_or(UNCLIPPED);
                let tolerance = 0.25 * (y1 - y0);
                if text.trim().is_empty() || !(x0 < r[0] - tolerance || y0 < r[1] - tolerance || x1 > r[2] + tolerance || y1 > r[3] + tolerance) {
                    continue;
                }
                match clipped.last_mut() {
                    Some(last) if last.rect == r => last.text.push_str(&text),
                    _ => clipped.push(Clipped { rect: r, text }),
                }
            }
            _ => {}
        }
    }
    pages
}

// ---------------------------------------------------------------------------------------
// The book, through its XML (layout) and calamine (values)

/// A sheet as it prints: its margins and its text cells with their measures.
struct SheetLayout {
    name: String,
    /// Top and bottom page margins, inches.
    margins: (f64, f64),
    cells: Vec<TextCell>,
}

struct TextCell {
    row: u32,
    col: u32,
    text: String,
    /// In the print area, in a shown row and column, not hidden under a merged area.
    printed: bool,
    wrap: bool,
    font_size: f64,
    /// Excel character units (merged areas: all their columns).
    width: f64,
    /// Points (merged areas: all their rows).
    height: f64,
}

struct Zip(zip::ZipArchive<std::fs::File>);

impl Zip {
    fn text(&mut self, part: &str) -> Option<String> {
        let mut f = self.0.by_name(part).ok()?;
        let mut s = String::new();
        f.read_to_string(&mut s).ok()?;
        Some(s)
    }
}

fn read_book(book: &Path) -> Vec<SheetLayout> {
    use calamine::{Data, Reader, Xlsx};
    let mut zip = Zip(zip::ZipArchive::new(std::fs::File::open(book).expect("the book")).expect("the book is a zip"));
    let workbook = zip.text("xl/workbook.xml").expect("xl/workbook.xml");
    let rels = zip.text("xl/_rels/workbook.xml.rels").expect("workbook rels");
    let styles = zip.text("xl/styles.xml").unwrap_or_default();
    let (fonts, xfs) = read_styles(&styles);
    let targets: BTreeMap<String, String> = tags(&rels)
        .filter(|(close, name, _)| !close && *name == "Relationship")
        .filter_map(|(_, _, a)| Some((attr(a, "Id")?.to_string(), attr(a, "Target")?.to_string())))
        .collect();

    // Print areas: `<definedName name="_xlnm.Print_Area" localSheetId="1">進捗一覧!$A$1:$P$79</definedName>`.
    let areas_re = Regex::new(r#"<definedName name="_xlnm\.Print_Area" localSheetId="(\d+)"[^>]*>([^<]*)</definedName>"#).expect("regex");
    let mut print_areas: BTreeMap<usize, Vec<[u32; 4]>> = BTreeMap::new();
    for c in areas_re.captures_iter(&workbook) {
        let ranges = unescape(&c[2]).split(',').filter_map(|r| parse_range(r.rsplit('!').next().unwrap_or(r))).collect();
        print_areas.insert(c[1].parse().expect("a sheet index"), ranges);
    }

    let mut values: Xlsx<_> = calamine::open_workbook(book).expect("book opens with calamine");
    let mut sheets = Vec::new();
    let sheet_tags: Vec<(String, String, bool)> = tags(&workbook)
        .filter(|(close, name, _)| !close && *name == "sheet")
        .map(|(_, _, a)| {
            let name = unescape(attr(a, "name").expect("a sheet's name"));
            let id = attr(a, "r:id").expect("a sheet's r:id").to_string();
            (name, id, attr(a, "state").is_some_and(|s| s != "visible"))
        })
        .collect();
    for (index, (name, id, hidden)) in sheet_tags.into_iter().enumerate() {
        if hidden {
            continue;
        }
        let target = targets[&id].trim_start_matches('/').trim_start_matches("xl/");
        let xml = zip.text(&format!("xl/{target}")).unwrap_or_else(|| panic!("the part of sheet {name}"));
        let layout = read_sheet_layout(&xml);
        let range = values.worksheet_range(&name).unwrap_or_else(|e| panic!("sheet {name}: {e}"));
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut cells = Vec::new();
        for (r, c, v) in range.used_cells() {
            let Data::String(text) = v else { continue };
            let (row, col) = (r0 + r as u32, c0 + c as u32);
            let xf = layout.styles.get(&(row, col)).copied().unwrap_or(0);
            let (font, wrap) = xfs.get(xf).copied().unwrap_or((0, false));
            let merge = layout.merges.iter().find(|m| (m[0]..=m[2]).contains(&row) && (m[1]..=m[3]).contains(&col)).copied();
            let [top, left, bottom, right] = merge.unwrap_or([row, col, row, col]);
            let in_area = print_areas.get(&index).is_none_or(|areas| areas.iter().any(|a| (a[0]..=a[2]).contains(&row) && (a[1]..=a[3]).contains(&col)));
            cells.push(TextCell {
                row,
                col,
                text: text.clone(),
                printed: in_area && (top, left) == (row, col) && !layout.hidden_rows.contains(&row) && !layout.hidden_cols.contains(&col),
                wrap,
                font_size: fonts.get(font).copied().unwrap_or(11.0),
                width: (left..=right).map(|c| layout.width(c)).sum(),
                height: (top..=bottom).map(|r| layout.height(r)).sum(),
            });
        }
        sheets.push(SheetLayout { name, margins: layout.margins, cells });
    }
    sheets
}

/// `A1:P79`, `$A$1:$P$79`, `$A:$P` or `$1:$5` as [top, left, bottom, right], from 0.
fn parse_range(range: &str) -> Option<[u32; 4]> {
    let range = range.replace('$', "");
    let (a, b) = range.split_once(':').unwrap_or((&range, &range));
    let cell = |s: &str| -> (Option<u32>, Option<u32>) {
        let letters: String = s.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        let digits = &s[letters.len()..];
        let col = (!letters.is_empty()).then(|| letters.bytes().fold(0u32, |n, b| n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1)) - 1);
        (digits.parse::<u32>().ok().map(|r| r - 1), col)
    };
    let ((r0, c0), (r1, c1)) = (cell(a), cell(b));
    Some([r0.unwrap_or(0), c0.unwrap_or(0), r1.unwrap_or(u32::MAX), c1.unwrap_or(u32::MAX)])
}

/// The fonts' sizes, and each cell format's font and whether it wraps.
fn read_styles(xml: &str) -> (Vec<f64>, Vec<(usize, bool)>) {
    let section = |name: &str| -> &str {
        let start = xml.find(&format!("<{name}")).unwrap_or(xml.len());
        let end = xml[start..].find(&format!("</{name}>")).map_or(xml.len(), |e| start + e);
        &xml[start..end]
    };
    let mut fonts = Vec::new();
    for (close, name, attrs) in tags(section("fonts")) {
        match (close, name) {
            (false, "font") => fonts.push(11.0),
            (false, "sz") => {
                if let (Some(last), Some(size)) = (fonts.last_mut(), num(attrs, "val")) {
                    *last = size;
                }
            }
            _ => {}
        }
    }
    let mut xfs = Vec::new();
    for (close, name, attrs) in tags(section("cellXfs")) {
        match (close, name) {
            (false, "xf") => xfs.push((attr(attrs, "fontId").and_then(|f| f.parse().ok()).unwrap_or(0), false)),
            (false, "alignment") => {
                if let Some(last) = xfs.last_mut() {
                    last.1 = matches!(attr(attrs, "wrapText"), Some("1" | "true"));
                }
            }
            _ => {}
        }
    }
    (fonts, xfs)
}

struct Layout {
    default_height: f64,
    default_width: f64,
    heights: BTreeMap<u32, f64>,
    widths: Vec<(u32, u32, f64)>,
    hidden_rows: Vec<u32>,
    hidden_cols: Vec<u32>,
    styles: BTreeMap<(u32, u32), usize>,
    merges: Vec<[u32; 4]>,
    margins: (f64, f64),
}

impl Layout {
    fn height(&self, row: u32) -> f64 {
        self.heights.get(&row).copied().unwrap_or(self.default_height)
    }
    fn width(&self, col: u32) -> f64 {
        self.widths.iter().find(|(a, b, _)| (*a..=*b).contains(&col)).map_or(self.default_width, |w| w.2)
    }
}

fn read_sheet_layout(xml: &str) -> Layout {
    let mut l = Layout {
        default_height: 15.0,
        default_width: 8.43,
        heights: BTreeMap::new(),
        widths: Vec::new(),
        hidden_rows: Vec::new(),
        hidden_cols: Vec::new(),
        styles: BTreeMap::new(),
        merges: Vec::new(),
        // Excel's defaults: 0.75 inch top and bottom.
        margins: (0.75, 0.75),
    };
    let one = |a: &str, name: &str| matches!(attr(a, name), Some("1" | "true"));
    for (close, name, a) in tags(xml) {
        if close {
            continue;
        }
        match name {
            "sheetFormatPr" => {
                l.default_height = num(a, "defaultRowHeight").unwrap_or(15.0);
                l.default_width = num(a, "defaultColWidth").or_else(|| num(a, "baseColWidth").map(|b| b + 0.71)).unwrap_or(8.43);
            }
            "col" => {
                let (min, max) = (num(a, "min").unwrap_or(1.0) as u32 - 1, num(a, "max").unwrap_or(1.0) as u32 - 1);
                if one(a, "hidden") {
                    l.hidden_cols.extend(min..=max);
                }
                if let Some(w) = num(a, "width") {
                    l.widths.push((min, max, w));
                }
            }
            "row" => {
                let r = num(a, "r").unwrap_or(1.0) as u32 - 1;
                if let Some(h) = num(a, "ht") {
                    l.heights.insert(r, h);
                }
                if one(a, "hidden") {
                    l.hidden_rows.push(r);
                }
            }
            "c" => {
                if let (Some(at), Some(s)) = (attr(a, "r"), attr(a, "s").and_then(|s| s.parse().ok())) {
                    if let Some([r, c, _, _]) = parse_range(at) {
                        l.styles.insert((r, c), s);
                    }
                }
            }
            "mergeCell" => {
                if let Some(m) = attr(a, "ref").and_then(parse_range) {
                    l.merges.push(m);
                }
            }
            "pageMargins" => l.margins = (num(a, "top").unwrap_or(0.75), num(a, "bottom").unwrap_or(0.75)),
            _ => {}
        }
    }
    l
}

#[test]
fn lines_are_counted_at_the_columns_width() {
    assert_eq!(lines_needed("瀬戸市の", 6.0, 11.0), 1);
    assert_eq!(lines_needed("瀬戸市の事業", 6.0, 11.0), 2);
    assert_eq!(lines_needed("abcdefgh", 4.0, 11.0), 2);
    assert_eq!(lines_needed("a\nb\n", 10.0, 11.0), 2);
    assert_eq!(lines_needed("瀬戸市", 6.0, 22.0), 2);
    assert_eq!(title_without_period("瀬戸市 ICT戦略推進プラン 進捗状況一覧 (令和4年度上期)", "令和4年度上期"), "瀬戸市ICT戦略推進プラン進捗状況一覧");
    assert_eq!(parse_range("$A$1:$P$79"), Some([0, 0, 78, 15]));
    assert_eq!(parse_range("$1:$1"), Some([0, 0, 0, u32::MAX]));
    assert_eq!(a1(0, 27), "AB1");
    assert_eq!(unescape("&#x702c;&amp;&lt;"), "瀬&<");
}
