//! The C side of the boundary: the structs, status codes and symbols both sides agree on.
//! Plugin authors never touch this; `export_plugin!` and the host do.

use std::ffi::c_void;

use crate::types::{CellIn, CellOut, CellValue, Flag, HeaderKind, NumberFormat, Output};

/// Borrowed UTF-8 bytes; the lender keeps them alive for the call.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct TmStr {
    pub ptr: *const u8,
    pub len: usize,
}

impl TmStr {
    pub fn new(s: &str) -> TmStr {
        TmStr { ptr: s.as_ptr(), len: s.len() }
    }

    /// # Safety
    /// `ptr` must point to `len` readable bytes that outlive `'a`.
    pub unsafe fn to_str<'a>(self) -> Result<&'a str, std::str::Utf8Error> {
        if self.ptr.is_null() || self.len == 0 {
            return Ok("");
        }
        std::str::from_utf8(unsafe { std::slice::from_raw_parts(self.ptr, self.len) })
    }
}

/// A string the plugin allocated; only the plugin's `tm_free_string` (or `tm_free_outs`)
/// may free it. A null `ptr` means none.
#[repr(C)]
#[derive(Debug)]
pub struct TmString {
    pub ptr: *mut u8,
    pub len: usize,
    pub cap: usize,
}

impl TmString {
    pub const NONE: TmString = TmString { ptr: std::ptr::null_mut(), len: 0, cap: 0 };

    pub fn new(s: String) -> TmString {
        let mut s = std::mem::ManuallyDrop::new(s.into_bytes());
        TmString { ptr: s.as_mut_ptr(), len: s.len(), cap: s.capacity() }
    }

    pub fn from_option(s: Option<String>) -> TmString {
        s.map_or(TmString::NONE, TmString::new)
    }

    pub fn is_none(&self) -> bool {
        self.ptr.is_null()
    }

    /// Copy the text out, for the side that did not allocate it. Invalid UTF-8 is an error.
    ///
    /// # Safety
    /// A non-null `ptr` must point to `len` readable bytes.
    pub unsafe fn copy(&self) -> Result<Option<String>, std::str::Utf8Error> {
        if self.ptr.is_null() {
            return Ok(None);
        }
        let bytes = unsafe { std::slice::from_raw_parts(self.ptr, self.len) };
        std::str::from_utf8(bytes).map(|s| Some(s.to_string()))
    }

    /// Free the string; only on the side that made it.
    ///
    /// # Safety
    /// The string must come from [`TmString::new`] in this same library, and not be freed twice.
    pub unsafe fn free(self) {
        if !self.ptr.is_null() {
            drop(unsafe { Vec::from_raw_parts(self.ptr, self.len, self.cap) });
        }
    }
}

pub const CELL_EMPTY: u32 = 0;
pub const CELL_TEXT: u32 = 1;
pub const CELL_NUMBER: u32 = 2;
pub const CELL_DATE: u32 = 3;
pub const CELL_BOOL: u32 = 4;
pub const CELL_ERROR: u32 = 5;

pub const FORMAT_UNKNOWN: u32 = 0;
pub const FORMAT_GENERAL: u32 = 1;
pub const FORMAT_PERCENT: u32 = 2;
pub const FORMAT_FIXED: u32 = 3;

/// One cell lent by the host.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct TmCell {
    pub kind: u32,
    pub format: u32,
    pub decimals: u32,
    pub grouped: u32,
    /// The number, date serial, or 0/1 for a boolean.
    pub number: f64,
    pub text: TmStr,
    pub unit: TmStr,
}

impl TmCell {
    pub fn new(cell: &CellIn<'_>) -> TmCell {
        let (kind, format, decimals, grouped, number) = match cell.value {
            CellValue::Empty => (CELL_EMPTY, 0, 0, 0, 0.0),
            CellValue::Text => (CELL_TEXT, 0, 0, 0, 0.0),
            CellValue::Number { value, format } => {
                let (f, d, g) = match format {
                    NumberFormat::Unknown => (FORMAT_UNKNOWN, 0, false),
                    NumberFormat::General => (FORMAT_GENERAL, 0, false),
                    NumberFormat::Percent(d) => (FORMAT_PERCENT, d, false),
                    NumberFormat::Fixed { decimals, grouped } => (FORMAT_FIXED, decimals, grouped),
                };
                (CELL_NUMBER, f, d as u32, g as u32, value)
            }
            CellValue::Date(serial) => (CELL_DATE, 0, 0, 0, serial),
            CellValue::Bool(b) => (CELL_BOOL, 0, 0, 0, if b { 1.0 } else { 0.0 }),
            CellValue::Error => (CELL_ERROR, 0, 0, 0, 0.0),
        };
        TmCell { kind, format, decimals, grouped, number, text: TmStr::new(cell.text), unit: TmStr::new(cell.unit) }
    }

    /// # Safety
    /// The cell's strings must be valid for `'a`.
    pub unsafe fn to_cell<'a>(&self) -> Result<CellIn<'a>, String> {
        let text = unsafe { self.text.to_str() }.map_err(|e| format!("cell text: {e}"))?;
        let unit = unsafe { self.unit.to_str() }.map_err(|e| format!("cell unit: {e}"))?;
        let format = match self.format {
            FORMAT_UNKNOWN => NumberFormat::Unknown,
            FORMAT_GENERAL => NumberFormat::General,
            FORMAT_PERCENT => NumberFormat::Percent(self.decimals.min(30) as u8),
            FORMAT_FIXED => NumberFormat::Fixed { decimals: self.decimals.min(30) as u8, grouped: self.grouped != 0 },
            other => return Err(format!("unknown number format {other}")),
        };
        let value = match self.kind {
            CELL_EMPTY => CellValue::Empty,
            CELL_TEXT => CellValue::Text,
            CELL_NUMBER => CellValue::Number { value: self.number, format },
            CELL_DATE => CellValue::Date(self.number),
            CELL_BOOL => CellValue::Bool(self.number != 0.0),
            CELL_ERROR => CellValue::Error,
            other => return Err(format!("unknown cell kind {other}")),
        };
        Ok(CellIn { value, text, unit })
    }
}

pub const OUT_PENDING: u32 = 0;
pub const OUT_NUMBER: u32 = 1;
pub const OUT_STATUS: u32 = 2;
pub const OUT_HEADER: u32 = 3;
pub const OUT_DATE: u32 = 4;
pub const OUT_DEPARTMENT: u32 = 5;
pub const OUT_UNREADABLE: u32 = 6;

/// One result slot, allocated by the host, filled by the plugin. The strings in it are
/// the plugin's: the host copies them, then hands the slots to `tm_free_outs`.
///
/// `ints` holds the header kind, whether it has a year, and the year (OUT_HEADER), or
/// year, month and day (OUT_DATE). `text` is the unit (OUT_NUMBER, may be none), the
/// label (OUT_STATUS, none for blank), the roster name (OUT_DEPARTMENT) or the reason
/// (OUT_UNREADABLE).
#[repr(C)]
#[derive(Debug)]
pub struct TmOut {
    pub kind: u32,
    pub has_value: u32,
    pub value: f64,
    pub flag: u32,
    pub ints: [i32; 3],
    pub text: TmString,
    pub new_text: TmString,
    pub warning: TmString,
}

impl TmOut {
    pub const EMPTY: TmOut = TmOut {
        kind: OUT_PENDING,
        has_value: 0,
        value: 0.0,
        flag: 0,
        ints: [0; 3],
        text: TmString::NONE,
        new_text: TmString::NONE,
        warning: TmString::NONE,
    };
}

/// A sheet lent by the host to a layout.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct TmSheet {
    pub name: TmStr,
    pub width: u32,
    pub height: u32,
    /// `width * height` cells, row by row from A1.
    pub cells: *const TmCell,
    pub merges: *const [u32; 4],
    pub n_merges: usize,
    pub merges_known: u32,
}

/// Status codes of the calls that can fail.
pub const TM_OK: i32 = 0;
/// The plugin refused (unknown step, bad options, malformed input); the message says why.
pub const TM_ERROR: i32 = 1;
/// The plugin panicked; the panic was caught inside it and the message says where.
pub const TM_PANIC: i32 = 2;

pub type AbiVersionFn = unsafe extern "C" fn() -> u32;
/// Writes the description as JSON into `out`.
pub type DescribeFn = unsafe extern "C" fn(out: *mut TmString) -> i32;
/// Builds a step or layout from its name and options (JSON); `handle` receives it.
pub type NewFn = unsafe extern "C" fn(name: TmStr, options: TmStr, handle: *mut *mut c_void, err: *mut TmString) -> i32;
pub type StepApplyFn =
    unsafe extern "C" fn(handle: *const c_void, role: u32, cells: *const TmCell, n: usize, out: *mut TmOut, err: *mut TmString) -> i32;
pub type FreeOutsFn = unsafe extern "C" fn(out: *mut TmOut, n: usize);
/// Writes the layout's result as JSON into `out`.
pub type LayoutReadFn = unsafe extern "C" fn(handle: *const c_void, sheet: *const TmSheet, out: *mut TmString, err: *mut TmString) -> i32;
pub type FreeStringFn = unsafe extern "C" fn(s: TmString);
pub type DropFn = unsafe extern "C" fn(handle: *mut c_void);

pub const SYM_ABI_VERSION: &str = "tm_abi_version";
pub const SYM_DESCRIBE: &str = "tm_describe";
pub const SYM_STEP_NEW: &str = "tm_step_new";
pub const SYM_STEP_APPLY: &str = "tm_step_apply";
pub const SYM_STEP_DROP: &str = "tm_step_drop";
pub const SYM_FREE_OUTS: &str = "tm_free_outs";
pub const SYM_LAYOUT_NEW: &str = "tm_layout_new";
pub const SYM_LAYOUT_READ: &str = "tm_layout_read";
pub const SYM_LAYOUT_DROP: &str = "tm_layout_drop";
pub const SYM_FREE_STRING: &str = "tm_free_string";

/// Every symbol a plugin exports, for the host to check on load.
pub const SYMBOLS: [&str; 10] = [
    SYM_ABI_VERSION,
    SYM_DESCRIBE,
    SYM_STEP_NEW,
    SYM_STEP_APPLY,
    SYM_STEP_DROP,
    SYM_FREE_OUTS,
    SYM_LAYOUT_NEW,
    SYM_LAYOUT_READ,
    SYM_LAYOUT_DROP,
    SYM_FREE_STRING,
];

impl TmOut {
    /// Encode a result; the strings become the encoding side's to free.
    pub fn from_out(out: CellOut) -> TmOut {
        let mut slot = TmOut::EMPTY;
        slot.new_text = TmString::from_option(out.text);
        slot.warning = TmString::from_option(out.warning);
        match out.output {
            Output::Pending => {}
            Output::Number { value, flag, unit } => {
                slot.kind = OUT_NUMBER;
                slot.has_value = value.is_some() as u32;
                slot.value = value.unwrap_or(0.0);
                slot.flag = flag.map_or(0, |f| f as u32);
                slot.text = TmString::from_option(unit);
            }
            Output::Status(label) => {
                slot.kind = OUT_STATUS;
                slot.text = TmString::from_option(label);
            }
            Output::Header { kind, year } => {
                slot.kind = OUT_HEADER;
                slot.ints = [kind as i32, year.is_some() as i32, year.unwrap_or(0)];
            }
            Output::Date { year, month, day } => {
                slot.kind = OUT_DATE;
                slot.ints = [year, month as i32, day as i32];
            }
            Output::Department(name) => {
                slot.kind = OUT_DEPARTMENT;
                slot.text = TmString::new(name);
            }
            Output::Unreadable(why) => {
                slot.kind = OUT_UNREADABLE;
                slot.text = TmString::new(why);
            }
        }
        slot
    }

    /// Decode a result the other side wrote, checking everything: a plugin's output is
    /// input like any other, and a malformed one is refused with the reason.
    ///
    /// # Safety
    /// The strings must point to readable memory of their stated length.
    pub unsafe fn to_out(&self) -> Result<CellOut, String> {
        let text = |s: &TmString, what: &str| unsafe { s.copy() }.map_err(|e| format!("{what} is not UTF-8: {e}"));
        let label = text(&self.text, "text")?;
        let output = match self.kind {
            OUT_PENDING => Output::Pending,
            OUT_NUMBER => {
                let value = (self.has_value != 0).then_some(self.value);
                if value.is_some_and(|v| !v.is_finite()) {
                    return Err(format!("number {} is not finite", self.value));
                }
                let flag = match self.flag {
                    0 => None,
                    n => Some(Flag::from_u32(n).ok_or_else(|| format!("unknown flag {n}"))?),
                };
                Output::Number { value, flag, unit: label }
            }
            OUT_STATUS => Output::Status(label),
            OUT_HEADER => {
                let [kind, has_year, year] = self.ints;
                let kind = u32::try_from(kind).ok().and_then(HeaderKind::from_u32).ok_or_else(|| format!("unknown header kind {kind}"))?;
                Output::Header { kind, year: (has_year != 0).then_some(year) }
            }
            OUT_DATE => {
                let [year, month, day] = self.ints;
                if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
                    return Err(format!("date {year}-{month}-{day} does not exist"));
                }
                Output::Date { year, month: month as u32, day: day as u32 }
            }
            OUT_DEPARTMENT => Output::Department(label.ok_or("a department without a name")?),
            OUT_UNREADABLE => Output::Unreadable(label.ok_or("an unreadable cell without a reason")?),
            other => return Err(format!("unknown output kind {other}")),
        };
        Ok(CellOut { text: text(&self.new_text, "new text")?, output, warning: text(&self.warning, "warning")? })
    }

    /// Free the strings of a slot this side encoded.
    ///
    /// # Safety
    /// The slot must come from [`TmOut::from_out`] in this same library.
    pub unsafe fn free(&mut self) {
        for s in [&mut self.text, &mut self.new_text, &mut self.warning] {
            unsafe { std::mem::replace(s, TmString::NONE).free() };
        }
    }
}
