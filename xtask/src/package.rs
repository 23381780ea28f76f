//! `cargo xtask package`: the zip a DX office unpacks on its Windows PC and uses as it is.
//!
//! ```text
//! torimatome-<version>-windows-x64/
//!   torimatome.exe  torimatome_ja.dll  torimatome_cards.dll   (found beside the exe)
//!   取りまとめ.bat    はじめに.txt
//!   pipelines/minato.yaml   fixtures/minato/{roster.txt, inbox/…}
//! ```

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

pub const TARGET: &str = "x86_64-pc-windows-gnu";
/// The plugins the shipped pipeline loads, as their DLLs are named.
const PLUGINS: [&str; 2] = ["torimatome_ja", "torimatome_cards"];

/// Build for Windows and write the zip; gives its path.
pub fn make(root: &Path) -> Result<PathBuf, String> {
    build(root)?;
    let name = format!("torimatome-{}-windows-x64", version(root)?);
    let mut entries = contents(root, &root.join("target").join(TARGET).join("release"))?;
    for (path, _) in &mut entries {
        *path = format!("{name}/{path}");
    }
    // Name order, one time, one mode: nothing of this machine or this moment in the zip.
    entries.sort();
    let out_dir = root.join("target/package");
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let zip = out_dir.join(format!("{name}.zip"));
    let bytes = zipped(&entries).map_err(|e| format!("zipping: {e}"))?;
    let partial = out_dir.join(format!("{name}.zip.partial"));
    std::fs::write(&partial, bytes).map_err(|e| format!("{}: {e}", partial.display()))?;
    std::fs::rename(&partial, &zip).map_err(|e| format!("{}: {e}", zip.display()))?;
    Ok(zip)
}

/// The release build of torimatome and its plugins for Windows, without symbols. The paths
/// of this machine (the workspace, cargo's registry) are remapped out of the binaries, so
/// that the same sources give the same bytes wherever they are built.
fn build(root: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let cargo_home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|_| std::env::var("HOME").map(|h| Path::new(&h).join(".cargo")))
        .unwrap_or_default();
    // Symbols stripped: a DX office downloads a quarter of the bytes (72 MB of exe otherwise).
    let flags = [
        format!("--remap-path-prefix={}=torimatome", root.display()),
        format!("--remap-path-prefix={}=cargo", cargo_home.display()),
        "-Cstrip=symbols".to_string(),
        // GNU ld writes the time of linking into every PE header (and so its checksum):
        // two builds of the same sources differed in nothing else.
        "-Clink-arg=-Wl,--no-insert-timestamp".to_string(),
    ];
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .args(["build", "--release", "--locked", "--target", TARGET, "-p", "torimatome", "-p", "torimatome-ja", "-p", "torimatome-cards"])
        .env("CARGO_ENCODED_RUSTFLAGS", flags.join("\u{1f}"))
        // mimalloc's C code prints its build time (__DATE__, __TIME__): GCC takes it from
        // here instead of the clock. 1980-01-01, the date the zip gives every file.
        .env("SOURCE_DATE_EPOCH", "315532800");
    crate::run(&mut command)
}

/// torimatome's version, from its Cargo.toml.
fn version(root: &Path) -> Result<String, String> {
    let toml = std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| format!("Cargo.toml: {e}"))?;
    toml.lines()
        .find_map(|l| l.strip_prefix("version = \"").and_then(|v| v.strip_suffix('"')))
        .map(str::to_string)
        .ok_or_else(|| "no version in Cargo.toml".to_string())
}

/// Each file of the package (its path inside the package's folder, its bytes).
fn contents(root: &Path, bin: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    let read = |path: &Path| std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()));
    let mut entries = vec![("torimatome.exe".to_string(), read(&bin.join("torimatome.exe"))?)];
    for plugin in PLUGINS {
        entries.push((format!("{plugin}.dll"), read(&bin.join(format!("{plugin}.dll")))?));
    }
    let windows = root.join("xtask/windows");
    entries.push(("取りまとめ.bat".to_string(), read(&windows.join("取りまとめ.bat"))?));
    let guide = String::from_utf8(read(&windows.join("はじめに.txt"))?).map_err(|e| format!("はじめに.txt: {e}"))?;
    entries.push(("はじめに.txt".to_string(), notepad_text(&guide)));
    // The same pipeline, byte for byte, as the Linux build runs: the same book.
    entries.push(("pipelines/minato.yaml".to_string(), read(&root.join("pipelines/minato.yaml"))?));
    let minato = root.join("fixtures/minato");
    entries.push(("fixtures/minato/roster.txt".to_string(), read(&minato.join("roster.txt"))?));
    let inbox = minato.join("inbox");
    let mut names: Vec<String> = std::fs::read_dir(&inbox)
        .map_err(|e| format!("{}: {e}", inbox.display()))?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for n in names {
        entries.push((format!("fixtures/minato/inbox/{n}"), read(&inbox.join(&n))?));
    }
    Ok(entries)
}

/// A text as every Notepad opens it: UTF-8 with a byte-order mark, CRLF line ends.
fn notepad_text(text: &str) -> Vec<u8> {
    let mut out = "\u{feff}".to_string();
    for line in text.lines() {
        out.push_str(line);
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// The zip of `entries`, in their order, each deflated at one fixed level, dated
/// 1980-01-01 (zip's epoch) and readable by all; names are UTF-8 (flagged so, which
/// Windows' own Extract All reads).
fn zipped(entries: &[(String, Vec<u8>)]) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(9))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), options)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}
