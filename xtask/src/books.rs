//! Two books compared cell by cell, and two manifests compared field by field, but for
//! what differs by right between a Windows and a Linux build: the plugins' SHA-256 (a DLL
//! is not a .so).

use std::path::Path;

use calamine::{open_workbook, DataType, Reader, Xlsx};
use serde_json::Value;

/// Every cell that differs, as `sheet!R1C1: windows | linux`; sheets by name and order.
/// The rows of 監査情報 labelled `unlike` are left out (always the plugins').
pub fn differences(windows: &Path, linux: &Path, unlike: &[&str]) -> Result<Vec<String>, String> {
    let mut a: Xlsx<_> = open_workbook(windows).map_err(|e| format!("{}: {e}", windows.display()))?;
    let mut b: Xlsx<_> = open_workbook(linux).map_err(|e| format!("{}: {e}", linux.display()))?;
    let (names_a, names_b) = (a.sheet_names(), b.sheet_names());
    if names_a != names_b {
        return Ok(vec![format!("sheets: {names_a:?} | {names_b:?}")]);
    }
    let mut out = Vec::new();
    for name in names_a {
        let ra = a.worksheet_range(&name).map_err(|e| format!("{name}: {e}"))?;
        let rb = b.worksheet_range(&name).map_err(|e| format!("{name}: {e}"))?;
        if ra.start() != rb.start() || ra.end() != rb.end() {
            out.push(format!("{name}: cells {:?}–{:?} | {:?}–{:?}", ra.start(), ra.end(), rb.start(), rb.end()));
            continue;
        }
        for (r, (row_a, row_b)) in ra.rows().zip(rb.rows()).enumerate() {
            // 監査情報's プラグイン row names each plugin with its SHA-256.
            let label = row_a.first().and_then(|d| d.get_string()).unwrap_or_default();
            if name == "監査情報" && (label == "プラグイン" || unlike.contains(&label)) {
                continue;
            }
            for (c, (x, y)) in row_a.iter().zip(row_b).enumerate() {
                if x != y {
                    out.push(format!("{name}!R{}C{}: {x} | {y}", r + 1, c + 1));
                }
            }
        }
    }
    Ok(out)
}

/// Every field of two manifests that differs, by its JSON path, but the plugins' SHA-256.
pub fn manifest_differences(windows: &Path, linux: &Path) -> Result<Vec<String>, String> {
    let read = |p: &Path| -> Result<Value, String> {
        let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", p.display()))
    };
    let mut out = Vec::new();
    compare("", &read(windows)?, &read(linux)?, &mut out);
    Ok(out)
}

fn compare(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let here = format!("{path}/{k}");
                if k == "sha256" && (path.contains("/plugins") || path.contains("/book")) {
                    // A DLL is not a .so; and the book holds the plugins' hashes.
                    continue;
                }
                compare(&here, x.get(k).unwrap_or(&Value::Null), y.get(k).unwrap_or(&Value::Null), out);
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                compare(&format!("{path}[{i}]"), p, q, out);
            }
        }
        _ if a != b => out.push(format!("{path}: {a} | {b}")),
        _ => {}
    }
}
