//! Gives this build of torimatome an identity for the rerun cache: a hash of the source
//! that decides what reading a file gives (this crate and the plugin crates it links).
//! Same source, same id; any change to the reading code, and earlier cache entries no
//! longer match. A version number alone would let a rebuilt binary trust stale entries.

use std::path::Path;

const SOURCES: [&str; 4] = ["src", "crates/plugin-api/src", "crates/ja-core/src", "Cargo.lock"];

fn main() {
    let mut files = Vec::new();
    for source in SOURCES {
        // A source moved away would silently leave the id unchanged by its edits.
        assert!(Path::new(source).exists(), "build.rs hashes {source}, which is not there: update SOURCES");
        println!("cargo:rerun-if-changed={source}");
        collect(Path::new(source), &mut files);
    }
    files.sort();
    // FNV-1a over each file's path and bytes: stable across Rust releases, unlike std's
    // hasher, and ample for telling builds apart.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in &files {
        let bytes = std::fs::read(file).unwrap_or_default();
        for byte in file.to_string_lossy().bytes().chain([0]).chain(bytes) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=TORIMATOME_BUILD_ID={}-{hash:016x}", std::env::var("CARGO_PKG_VERSION").unwrap_or_default());
}

fn collect(path: &Path, files: &mut Vec<std::path::PathBuf>) {
    if path.is_file() {
        files.push(path.to_path_buf());
    } else if let Ok(entries) = std::fs::read_dir(path) {
        for entry in entries.flatten() {
            collect(&entry.path(), files);
        }
    }
}
