//! The formats of the book, made once per book.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder};

use crate::aggregate::STATUSES;

pub struct Styles {
    pub title: Format,
    pub header: Format,
    pub text: Format,
    /// Text cells of a long table: wrapped, at the top, their borders drawn by one rule.
    pub wrap: Format,
    /// Text of a long table that is not wrapped (a file and sheet, cells), at the top.
    pub trace: Format,
    /// That rule's format.
    pub grid: Format,
    /// Numbers with 0, 1, 2 or 3 decimals, each shown with exactly as many: what the
    /// department wrote, with thousands separators, and read back as Excel shows it.
    pub figure: [Format; 4],
    /// The same for the long table, without borders.
    pub bare_figure: [Format; 4],
    /// Whole numbers without separators (a year, a row number), for the long table.
    pub bare_plain: Format,
    /// Percentages with one decimal, for the long table.
    pub bare_percent: Format,
    pub muted: Format,
    /// A small grey note under a table, not in a cell's border.
    pub muted_note: Format,
    /// A goal's name over its measures, across the table.
    pub group: Format,
    /// A share, as 62.5%.
    pub share: Format,
    status: [Format; 5],
}

/// The fill of each status (達成, 推進中, 課題あり, 取組なし, then 未記入), in cells and in the
/// charts alike: a council member reads green as 達成 wherever it is.
pub const STATUS_FILLS: [u32; 5] = [0xC6EFCE, 0xDDEBF7, 0xFFC7CE, 0xD9D9D9, 0xFFFFFF];

impl Styles {
    pub fn new() -> Styles {
        let cell = Format::new().set_border(FormatBorder::Thin).set_align(FormatAlign::Top);
        let status = |rgb: u32| cell.clone().set_background_color(Color::RGB(rgb)).set_align(FormatAlign::Center);
        let top = Format::new().set_align(FormatAlign::Top);
        let figures = ["#,##0", "#,##0.0", "#,##0.00", "#,##0.000"];
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            header: cell.clone().set_bold().set_background_color(Color::RGB(0xDDEBF7)).set_text_wrap().set_align(FormatAlign::Center),
            text: cell.clone().set_text_wrap(),
            wrap: top.clone().set_text_wrap(),
            trace: top.clone(),
            grid: Format::new().set_border(FormatBorder::Thin),
            figure: figures.map(|f| cell.clone().set_num_format(f)),
            bare_figure: figures.map(|f| top.clone().set_num_format(f)),
            bare_plain: top.clone().set_num_format("0").set_align(FormatAlign::Center),
            bare_percent: top.set_num_format("0.0"),
            muted: cell.clone().set_font_color(Color::RGB(0x7F7F7F)),
            muted_note: Format::new().set_font_color(Color::RGB(0x595959)),
            group: cell.clone().set_bold().set_background_color(Color::RGB(0xF2F2F2)),
            share: cell.clone().set_num_format("0.0%"),
            status: STATUS_FILLS.map(status),
        }
    }

    /// The bordered format showing a number with the decimals it has.
    pub fn figure_for(&self, value: f64) -> &Format {
        &self.figure[decimals(value)]
    }

    pub fn status(&self, status: Option<&str>) -> &Format {
        &self.status[Self::status_slot(status)]
    }

    /// Which of `statuses` a status takes: the last for none, or one not counted.
    pub fn status_slot(status: Option<&str>) -> usize {
        status.and_then(|s| STATUSES.iter().position(|c| *c == s)).unwrap_or(4)
    }

    pub fn statuses(&self) -> &[Format; 5] {
        &self.status
    }
}

/// How many decimals a number has, up to three: the most a KPI is written with.
pub fn decimals(value: f64) -> usize {
    (0..3)
        .find(|d| {
            let scaled = value * 10f64.powi(*d);
            (scaled - scaled.round()).abs() < 1e-9
        })
        .unwrap_or(3) as usize
}
