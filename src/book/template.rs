//! The next period's form for one department (`torimatome template`): the KPI table its
//! pipeline reads, under the header as the pipeline declares it, the department's projects
//! and indicators prefilled, input cells unlocked and the rest protected (no password),
//! the status a drop-down of the pipeline's marks, values checked as numbers (a warning
//! only: 約1,200 and 1.2万 are forms the pipeline reads), and a 記入要領 sheet. What goes
//! in is decided in `forms`; this module only lays it out.

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Workbook, Worksheet, XlsxError,
};

use crate::model::Created;

/// A cell of the form as written.
#[derive(Debug, Clone, PartialEq)]
pub enum FormCell {
    Blank,
    Text(String),
    Number(f64),
}

/// One data row: its field cells (in the order of `Form::fields`), its value cells (in the
/// order of `Form::values`, then the actual), and whether its fields are given (locked) or
/// for the department to write.
#[derive(Debug, Clone, PartialEq)]
pub struct FormRow {
    pub fields: Vec<FormCell>,
    pub values: Vec<FormCell>,
    pub given: bool,
}

/// Everything a form shows, in the catalogue's and the pipeline's words.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub sheet: String,
    pub title: String,
    /// Label cells above the table: (label, value, the value is the department's to write).
    pub labels: Vec<(String, String, bool)>,
    /// Header texts of the fields before the values (基本目標 … 単位).
    pub fields: Vec<String>,
    /// The group over baseline and plans (指標値) and their sub-headers (R1実績値, R5計画値).
    pub group: String,
    pub values: Vec<String>,
    /// The group over the actual (実績値) and its sub-header (9月末時点).
    pub actual_group: String,
    pub actual: String,
    /// The status header (進捗区分) and the notes' headers after it.
    pub status: Option<String>,
    pub notes: Vec<String>,
    pub rows: Vec<FormRow>,
    /// Empty rows to write in, after the given ones.
    pub spare_rows: u32,
    /// Blank rows between the table and the legend (at least the pipeline's end of a table).
    pub gap: u32,
    pub legend: String,
    /// The status marks of the drop-down.
    pub marks: Vec<String>,
    /// Words of the checks: (title, message) for the status list and for a value.
    pub status_check: (String, String),
    pub value_check: (String, String),
    /// The 記入要領 sheet: its name and its rows (heading, text).
    pub guide_name: String,
    pub guide: Vec<(String, String)>,
    pub created: Created,
}

/// The row of the group header; the sub-headers are on the next, the data after them.
const HEADER_ROW: u32 = 3;

/// The form as .xlsx bytes.
pub fn write(form: &Form) -> Result<Vec<u8>, String> {
    build(form).map_err(|e| e.to_string())
}

fn build(form: &Form) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let Created { year, month, day, hour, minute, second } = form.created;
    let time = ExcelDateTime::from_ymd(year, month, day)?.and_hms(hour, minute, second)?;
    book.set_properties(&DocProperties::new().set_title(&form.title).set_author("torimatome").set_creation_datetime(&time));
    let ws = book.add_worksheet();
    ws.set_name(&form.sheet)?;
    table(ws, form)?;
    let guide = book.add_worksheet();
    guide.set_name(&form.guide_name)?;
    write_guide(guide, form)?;
    book.save_to_buffer()
}

fn table(ws: &mut Worksheet, form: &Form) -> Result<(), XlsxError> {
    let border = Format::new().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::VerticalCenter);
    let header = border.clone().set_bold().set_background_color(Color::RGB(0xDDEBF7)).set_align(FormatAlign::Center);
    let given = border.clone().set_background_color(Color::RGB(0xF2F2F2));
    let input = border.clone().set_unlocked().set_background_color(Color::RGB(0xFFFFE0));
    let label = Format::new().set_bold();
    let fields = form.fields.len() as u16;
    let values = form.values.len() as u16;
    let actual_col = fields + values;
    let status_col = actual_col + 1;
    let notes_col = status_col + u16::from(form.status.is_some());
    let width = notes_col + form.notes.len() as u16;

    ws.merge_range(0, 0, 0, width.saturating_sub(1).max(1), &form.title, &Format::new().set_bold().set_font_size(14))?;
    let mut col = 0;
    for (text, value, to_write) in &form.labels {
        ws.write_string_with_format(1, col, text, &label)?;
        if *to_write {
            ws.write_string_with_format(1, col + 1, value, &input)?;
        } else {
            ws.write_string(1, col + 1, value)?;
        }
        col += 3;
    }

    // Fields over both header rows; a group over its sub-headers.
    for (i, text) in form.fields.iter().enumerate() {
        ws.merge_range(HEADER_ROW, i as u16, HEADER_ROW + 1, i as u16, text, &header)?;
    }
    if values > 1 {
        ws.merge_range(HEADER_ROW, fields, HEADER_ROW, fields + values - 1, &form.group, &header)?;
    } else if values == 1 {
        ws.write_string_with_format(HEADER_ROW, fields, &form.group, &header)?;
    }
    for (i, text) in form.values.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW + 1, fields + i as u16, text, &header)?;
    }
    ws.write_string_with_format(HEADER_ROW, actual_col, &form.actual_group, &header)?;
    ws.write_string_with_format(HEADER_ROW + 1, actual_col, &form.actual, &header)?;
    if let Some(status) = &form.status {
        ws.merge_range(HEADER_ROW, status_col, HEADER_ROW + 1, status_col, status, &header)?;
    }
    for (i, text) in form.notes.iter().enumerate() {
        ws.merge_range(HEADER_ROW, notes_col + i as u16, HEADER_ROW + 1, notes_col + i as u16, text, &header)?;
    }

    let first = HEADER_ROW + 2;
    let spare = FormRow { fields: Vec::new(), values: Vec::new(), given: false };
    let rows = form.rows.iter().chain(std::iter::repeat_n(&spare, form.spare_rows as usize));
    let mut last = first;
    for (i, row) in rows.enumerate() {
        let r = first + i as u32;
        last = r;
        let field_format = if row.given { &given } else { &input };
        for c in 0..fields {
            put(ws, r, c, row.fields.get(c as usize).unwrap_or(&FormCell::Blank), field_format)?;
        }
        for c in 0..values {
            put(ws, r, fields + c, row.values.get(c as usize).unwrap_or(&FormCell::Blank), field_format)?;
        }
        put(ws, r, actual_col, row.values.get(values as usize).unwrap_or(&FormCell::Blank), &input)?;
        for c in status_col..width {
            ws.write_blank(r, c, &input)?;
        }
    }
    let data_rows = form.rows.len() as u32 + form.spare_rows;
    if data_rows > 0 {
        let (title, message) = &form.value_check;
        let numbers = DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(-1e15, 1e15))
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_title(title)?
            .set_error_message(message)?;
        ws.add_data_validation(first, fields, last, actual_col, &numbers)?;
        if form.status.is_some() && !form.marks.is_empty() {
            let (title, message) = &form.status_check;
            let marks: Vec<&str> = form.marks.iter().map(String::as_str).collect();
            let list = DataValidation::new().allow_list_strings(&marks)?.set_error_title(title)?.set_error_message(message)?;
            ws.add_data_validation(first, status_col, last, status_col, &list)?;
        }
    }
    ws.write_string(last + 1 + form.gap, 0, &form.legend)?;

    for c in 0..width {
        let w = match c {
            c if c < fields => 18.0,
            c if c <= actual_col => 11.0,
            c if c == status_col && form.status.is_some() => 9.0,
            _ => 30.0,
        };
        ws.set_column_width(c, w)?;
    }
    ws.set_freeze_panes(first, 0)?;
    ws.protect();
    Ok(())
}

fn put(ws: &mut Worksheet, row: u32, col: u16, cell: &FormCell, format: &Format) -> Result<(), XlsxError> {
    match cell {
        FormCell::Blank => ws.write_blank(row, col, format),
        FormCell::Text(text) => ws.write_string_with_format(row, col, super::table::cell_text(text), format),
        FormCell::Number(n) => ws.write_number_with_format(row, col, *n, format),
    }
    .map(|_| ())
}

fn write_guide(ws: &mut Worksheet, form: &Form) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Top);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    ws.write_string_with_format(0, 0, &form.guide_name, &Format::new().set_bold().set_font_size(14))?;
    for (i, (heading, text)) in form.guide.iter().enumerate() {
        let row = 2 + i as u32;
        ws.write_string_with_format(row, 0, heading, &bold)?;
        ws.write_string_with_format(row, 1, text, &wrap)?;
        let lines = text.lines().map(|l| 1 + l.chars().count() / 40).sum::<usize>().max(1);
        ws.set_row_height(row, 15.0 * lines as f64 + 3.0)?;
    }
    ws.set_column_width(0, 18.0)?;
    ws.set_column_width(1, 90.0)?;
    ws.protect();
    Ok(())
}
