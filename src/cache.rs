//! The rerun cache. In the week before the council meets the DX office reruns the same
//! collection many times, each time with one corrected file or none: what an earlier run
//! read from a file, and the book it made, are kept and used again.
//!
//! Entries are known by content, never by file time: a file's entry is keyed by the
//! file's name and SHA-256, the period, and the [`Fingerprint`] of everything else that
//! decides what reading gives (this build of torimatome, the pipeline file, its roster and
//! plugins). The book is keyed by the keys of all files together. Same key, same bytes: a
//! cached run gives the byte-identical book, and `verify` never uses the cache.
//!
//! An entry that cannot be read (cut short, from another format) is a miss, never an
//! error. After a run, entries that run did not use are removed, so the cache holds one
//! collection's worth.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Sender};
use std::sync::Mutex;
use std::thread::JoinHandle;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::collect::Submission;
use crate::digest::hex;
use crate::normalize::era::Period;
use crate::pipeline::Pipeline;

/// Everything but the file itself that decides what reading a file gives.
pub struct Fingerprint(String);

impl Fingerprint {
    pub fn of(pipeline: &Pipeline) -> Fingerprint {
        let mut h = Sha256::new();
        h.update(env!("TORIMATOME_BUILD_ID"));
        h.update(&pipeline.sha256);
        // The roster comes from its own file, which the pipeline's hash does not cover.
        h.update(format!("{:?}", pipeline.roster));
        for plugin in &pipeline.plugins {
            h.update(format!("{}={}", plugin.description.name, plugin.sha256));
        }
        h.update(format!("{:?}", pipeline.limits));
        Fingerprint(hex(&h.finalize()))
    }
}

pub struct Cache {
    dir: PathBuf,
    fingerprint: Fingerprint,
    /// Keys this run used, kept when the cache is pruned.
    used: Mutex<BTreeSet<String>>,
    /// New entries go to a thread of their own: written by the readers, the files held up
    /// reading by a fifth of a cold run. The book, written last, leaves a core for them.
    writer: Mutex<Option<(Sender<(PathBuf, Vec<u8>)>, JoinHandle<()>)>>,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    key: String,
    submission: Submission,
}

impl Cache {
    /// The cache for one book, in a hidden folder beside it.
    pub fn beside(book: &Path, pipeline: &Pipeline) -> Cache {
        let fingerprint = Fingerprint::of(pipeline);
        let stem = book.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let dir = book.parent().unwrap_or(Path::new(".")).join(".torimatome-cache").join(stem);
        let (send, receive) = channel::<(PathBuf, Vec<u8>)>();
        let folder = dir.clone();
        let writer = std::thread::spawn(move || {
            let _ = std::fs::create_dir_all(&folder);
            for (path, bytes) in receive {
                let _ = std::fs::write(path, bytes);
            }
        });
        Cache { dir, fingerprint, used: Mutex::new(BTreeSet::new()), writer: Mutex::new(Some((send, writer))) }
    }

    /// The key of one file: its name (a name can mark a revision or a department), its
    /// bytes' hash, and the period it is read for.
    pub fn key(&self, period: Period, name: &str, sha256: &str) -> String {
        let mut h = Sha256::new();
        for part in [self.fingerprint.0.as_str(), &period.to_string(), name, sha256] {
            h.update(part);
            h.update([0]);
        }
        hex(&h.finalize())
    }

    pub fn get(&self, key: &str) -> Option<Submission> {
        let name = entry_name(key);
        let bytes = std::fs::read(self.dir.join(&name)).ok();
        self.used.lock().ok()?.insert(name);
        let entry: Entry = postcard::from_bytes(&bytes?).ok()?;
        (entry.key == key).then_some(entry.submission)
    }

    /// Keep what reading a file gave. A cache that cannot be written only costs speed.
    pub fn put(&self, key: &str, submission: &Submission) {
        let entry = Entry { key: key.to_string(), submission: submission.clone() };
        let (Ok(bytes), Ok(mut used), Ok(writer)) = (postcard::to_allocvec(&entry), self.used.lock(), self.writer.lock()) else {
            return;
        };
        let name = entry_name(key);
        if let Some((send, _)) = writer.as_ref() {
            let _ = send.send((self.dir.join(&name), bytes));
        }
        used.insert(name);
    }

    /// The key of a whole run's book: the keys of all its files, in name order. None when
    /// a file has no key (it could not be opened): such a run's book is not kept.
    pub fn book_key<'a>(&self, file_keys: impl Iterator<Item = &'a str>) -> Option<String> {
        let mut h = Sha256::new();
        h.update(&self.fingerprint.0);
        for key in file_keys {
            if key.is_empty() {
                return None;
            }
            h.update(key);
            h.update([0]);
        }
        Some(format!("book-{}.xlsx", hex(&h.finalize())))
    }

    pub fn get_book(&self, key: &str) -> Option<Vec<u8>> {
        self.used.lock().ok()?.insert(key.to_string());
        std::fs::read(self.dir.join(key)).ok()
    }

    /// Keep the book, through a temporary name: a book cut short must never be found.
    pub fn put_book(&self, key: &str, bytes: &[u8]) {
        if let Ok(mut used) = self.used.lock() {
            used.insert(key.to_string());
        }
        let _ = std::fs::create_dir_all(&self.dir);
        let partial = self.dir.join(format!("{key}.partial-{}", std::process::id()));
        if std::fs::write(&partial, bytes).is_ok() {
            let _ = std::fs::rename(&partial, self.dir.join(key));
        }
    }

    /// Wait for the new entries to be written, then remove the entries this run did not use.
    pub fn prune(&self) {
        if let Some((send, writer)) = self.writer.lock().ok().and_then(|mut w| w.take()) {
            drop(send);
            let _ = writer.join();
        }
        let Ok(used) = self.used.lock() else { return };
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return };
        for entry in entries.flatten() {
            if !used.contains(&*entry.file_name().to_string_lossy()) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// A file's entry: postcard, a compact binary form of the `Submission` (JSON was a fifth of
/// a cold run's time to write, and four times the size).
fn entry_name(key: &str) -> String {
    format!("{key}.bin")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache() -> Cache {
        Cache { dir: PathBuf::from("unused"), fingerprint: Fingerprint("f".into()), used: Mutex::new(BTreeSet::new()), writer: Mutex::new(None) }
    }

    #[test]
    fn a_run_with_an_unopened_file_keeps_no_book() {
        let c = cache();
        let (a, b) = ("a".repeat(64), "b".repeat(64));
        assert!(c.book_key(["", b.as_str()].into_iter()).is_none());
        // The same files in the same order, and only they, give the same book key.
        let ab = c.book_key([a.as_str(), b.as_str()].into_iter());
        assert_eq!(ab, c.book_key([a.as_str(), b.as_str()].into_iter()));
        assert_ne!(ab, c.book_key([b.as_str()].into_iter()));
        assert_ne!(ab, c.book_key([b.as_str(), a.as_str()].into_iter()));
    }
}
