//! Project tasks beside the product, run as `cargo xtask …`:
//!
//! - `package` cross-builds torimatome for Windows and makes the zip a DX office unpacks and
//!   uses without installing anything: `target/package/torimatome-<version>-windows-x64.zip`.
//!   The same sources give the same zip: entries in name order, one fixed time, fixed modes,
//!   and paths of this machine remapped out of the binaries.
//! - `wine-test` unpacks that zip into a fresh folder and a fresh Wine prefix and runs the
//!   sample pipeline from `取りまとめ.bat` and from the command line, a hostile inbox, and
//!   `verify`; every book's cells must equal those of the Linux build's book for the same
//!   inputs (but for the plugins' SHA-256), and so must the manifests' paths.
//!
//! Needs Debian's `gcc-mingw-w64-x86-64` (the linker, and the test's stand-in DLL), `wine`
//! and `wine64`, and `rustup target add x86_64-pc-windows-gnu`; `.ci/run` installs them.

mod books;
mod package;
mod wine;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("package") => package::make(&root()).map(|zip| println!("{}", zip.display())),
        Some("wine-test") => wine::test(&root()),
        _ => Err("usage: cargo xtask package | wine-test".to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace's root: this crate's parent.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Run a command to the end; its output goes to ours. An error says what ran.
fn run(command: &mut std::process::Command) -> Result<(), String> {
    let status = command.status().map_err(|e| format!("{command:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?}: {status}"))
    }
}
