//! The rerun cache, as the DX office meets it in the collection week: rerun with nothing
//! changed, rerun after one corrected file, and always the book a cold run would make.

use crate::common;

use std::path::Path;

use torimatome::run::{self, Paths, Quiet};

fn copy_inbox(to: &Path) {
    let from = common::project_root().join("fixtures/minato/inbox");
    for entry in std::fs::read_dir(from).expect("inbox") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
    }
}

fn book(inbox: &Path, out: &Path, cache: bool) -> Vec<u8> {
    let pipeline = common::load_project("pipelines/minato.yaml");
    let paths = Paths { inbox: Some(inbox.to_path_buf()), out: Some(out.to_path_buf()), records: None, cache };
    let report = run::run(&pipeline, &paths, &Quiet).expect("run");
    std::fs::read(report.book).expect("book")
}

/// How many files the pack holds an entry for (each: a 64-byte key, a u32 length, bytes).
fn pack_entries(out_dir: &Path) -> usize {
    let pack = std::fs::read(out_dir.join(".torimatome-cache/book/entries.bin")).expect("pack");
    let mut at = 0;
    let mut count = 0;
    while at + 68 <= pack.len() {
        let len = u32::from_le_bytes(pack[at + 64..at + 68].try_into().expect("4 bytes")) as usize;
        at += 68 + len;
        count += 1;
    }
    assert_eq!(at, pack.len(), "the pack ends with its last entry");
    count
}

fn cache_entries(out_dir: &Path) -> Vec<String> {
    let dir = out_dir.join(".torimatome-cache/book");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn a_cached_rerun_gives_the_book_a_cold_run_gives() {
    let inbox = tempfile::tempdir().expect("temp");
    copy_inbox(inbox.path());
    let out = tempfile::tempdir().expect("temp");
    let book_path = out.path().join("book.xlsx");
    let files = std::fs::read_dir(inbox.path()).expect("inbox").count();

    let cold = book(inbox.path(), &book_path, false);
    assert!(cache_entries(out.path()).is_empty(), "--no-cache keeps nothing");

    let first = book(inbox.path(), &book_path, true);
    assert_eq!(first, cold, "a run that fills the cache makes the cold run's book");
    // One pack of the files' entries (and the lock of the run writing it), the book, and
    // the snapshot written with it, with where each file's rows lie in it.
    let entries = cache_entries(out.path());
    assert_eq!(entries.len(), 5, "{entries:?}");
    assert!(entries.contains(&"entries.bin".to_string()) && entries.contains(&"entries.lock".to_string()), "{entries:?}");
    assert_eq!(entries.iter().filter(|e| e.starts_with("book-") && e.ends_with(".xlsx")).count(), 1, "{entries:?}");
    for kind in [".json", ".pieces"] {
        assert_eq!(entries.iter().filter(|e| e.starts_with("book-") && e.contains(".snapshot-") && e.ends_with(kind)).count(), 1, "{entries:?}");
    }
    assert_eq!(pack_entries(out.path()), files);

    // The rerun takes the book from the cache: a doctored entry, named with its SHA-256
    // as the cache names what it keeps, shows it was used.
    let dir = out.path().join(".torimatome-cache/book");
    let book_name = entries.iter().find(|e| e.starts_with("book-") && e.ends_with(".xlsx")).expect("book entry");
    let (key, _) = book_name.split_once(".book-").expect("named with its SHA-256");
    let doctored = dir.join(format!("{key}.book-{}.xlsx", torimatome::digest::sha256_hex(b"from the cache")));
    std::fs::rename(dir.join(book_name), &doctored).expect("rename");
    std::fs::write(&doctored, b"from the cache").expect("doctor");
    assert_eq!(book(inbox.path(), &book_path, true), b"from the cache");
    // A kept book changed since it was kept (the book beside it, its second name, saved
    // over in place) is not: the book is made again.
    std::fs::rename(&doctored, dir.join(book_name)).expect("rename back");
    assert_eq!(book(inbox.path(), &book_path, true), cold);
    let book_entry = dir.join(book_name);

    // Entries cut short are misses, not errors: the rerun reads afresh.
    for entry in &entries {
        let path = out.path().join(".torimatome-cache/book").join(entry);
        let bytes = std::fs::read(&path).expect("entry");
        std::fs::write(&path, &bytes[..bytes.len() / 2]).expect("cut");
    }
    std::fs::remove_file(&book_entry).expect("remove");
    assert_eq!(book(inbox.path(), &book_path, true), cold);
    assert_eq!(book(inbox.path(), &book_path, true), cold, "and once more, from the remade entries");
    // The snapshot beside the book came from the cache this time: it is the one the
    // manifest names, and the cold run's.
    let snapshot = std::fs::read(out.path().join("book.snapshot.json")).expect("snapshot");
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(out.path().join("book.manifest.json")).expect("manifest")).expect("a manifest");
    assert_eq!(manifest["snapshot"]["sha256"].as_str(), Some(torimatome::digest::sha256_hex(&snapshot).as_str()));
    let cold_dir = tempfile::tempdir().expect("temp");
    book(inbox.path(), &cold_dir.path().join("book.xlsx"), false);
    assert!(snapshot == std::fs::read(cold_dir.path().join("book.snapshot.json")).expect("snapshot"), "the cold run's snapshot");

    // One corrected file: the rerun's book is the cold run's book of the new inbox, and the
    // cache keeps only what this inbox holds.
    std::fs::copy(inbox.path().join("R6上期_市民課_修正版.xlsx"), inbox.path().join("R6上期_広報課.xlsx")).expect("replace");
    let changed = book(inbox.path(), &book_path, true);
    assert_ne!(changed, cold);
    let other_out = tempfile::tempdir().expect("temp");
    assert_eq!(changed, book(inbox.path(), &other_out.path().join("book.xlsx"), false));
    // The other files' rows were copied from the last snapshot, the corrected one's written:
    // the snapshot is the cold run's all the same.
    let snapshot_of = |dir: &Path| std::fs::read(dir.join("book.snapshot.json")).expect("snapshot");
    assert!(snapshot_of(out.path()) == snapshot_of(other_out.path()), "the cold run's snapshot after one corrected file");
    let after = cache_entries(out.path());
    assert_eq!(after.len(), 5, "{after:?}");
    assert!(after.contains(&"entries.bin".to_string()) && !after.contains(&entries[0]), "{after:?} after {entries:?}");
    // The corrected file's entry appended to the pack, the replaced one's left for now.
    assert_eq!(pack_entries(out.path()), files + 1);

    // A kept snapshot changed where it lies (an editor saving over the book's snapshot, a
    // second name of it): its rows are not copied, and the next snapshot is still right.
    let kept = cache_entries(out.path()).into_iter().find(|e| e.ends_with(".json")).expect("kept snapshot");
    let kept = out.path().join(".torimatome-cache/book").join(kept);
    let doctored = String::from_utf8(std::fs::read(&kept).expect("kept")).expect("UTF-8").replace("市民課", "市役課");
    std::fs::write(&kept, doctored).expect("doctor");
    std::fs::copy(inbox.path().join("R6上期_市民課_修正版.xlsx"), inbox.path().join("R6上期_防災課.xlsx")).expect("replace");
    book(inbox.path(), &book_path, true);
    let cold_again = tempfile::tempdir().expect("temp");
    book(inbox.path(), &cold_again.path().join("book.xlsx"), false);
    assert!(snapshot_of(out.path()) == snapshot_of(cold_again.path()), "no doctored rows in the next snapshot");
}
