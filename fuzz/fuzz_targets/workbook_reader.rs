//! `torimatome::workbook::read` on arbitrary bytes: format sniffing, calamine's xlsx, xls,
//! xlsb and ods readers, re-anchoring at A1, merges.
//!
//! torimatome catches a reader's panic in `run::read_one` and lists the file as an error;
//! this target calls `workbook::read` directly, so such panics (calamine's or ours) show.
//! Seeds: fuzz/seeds/workbook_reader (the sample and fixture workbooks).
#![no_main]

use libfuzzer_sys::fuzz_target;
use torimatome::workbook::{self, Limits, Value};

fuzz_target!(|data: &[u8]| {
    // The pipeline's default bound on what one zipped part may unpack to (256 MB).
    match workbook::read(data, &Limits::default()) {
        Err(e) => {
            let _ = e.to_string();
        }
        Ok(wb) => {
            for sheet in &wb.sheets {
                let (height, width) = (sheet.height(), sheet.width());
                // What layouts do with a sheet: every cell's display text, merge origins.
                for row in 0..height.min(64) {
                    for col in 0..width.min(64) {
                        let shown = sheet.get(row, col).display();
                        if let Value::Text(t) = sheet.get(row, col) {
                            assert_eq!(&shown, t);
                        }
                        if let Some((r0, c0)) = sheet.merge_origin(row, col) {
                            assert!(r0 <= row && c0 <= col, "merge origin ({r0}, {c0}) after ({row}, {col})");
                        }
                    }
                }
                assert!(matches!(sheet.get(height, 0), Value::Empty));
            }
        }
    }
});
