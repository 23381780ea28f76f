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
//! The files' entries live in one pack (`entries.bin`: key, length, postcard bytes, one
//! after the other), which each run writes anew with just the entries it used or made, so
//! the cache holds one collection's worth. One file, not one per input: creating a
//! thousand small files cost a cold run a quarter of its time. The pack is written by a
//! thread of its own, appended as the readers go, and only replaces the last one when the
//! run ends well. An entry that cannot be read (cut short, from another format) is a miss,
//! never an error.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Sender};
use std::sync::Mutex;
use std::thread::JoinHandle;

use sha2::{Digest, Sha256};

use crate::collect::Submission;
use crate::digest::hex;
use torimatome_ja_core::era::Period;
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
        // A password told later must open the file afresh.
        h.update(&pipeline.passwords.digest);
        Fingerprint(hex(&h.finalize()))
    }
}

const PACK: &str = "entries.bin";
/// A key is a SHA-256 in hex.
const KEY_LEN: usize = 64;

/// The last run's pack, and where each of its entries lies in it (offset, length).
struct Earlier {
    pack: Mutex<File>,
    index: HashMap<String, (u64, u32)>,
}

/// The thread writing this run's pack, and what it is sent: a key and its entry's bytes.
/// It answers whether the pack was written whole.
struct Writer {
    send: Sender<(String, Vec<u8>)>,
    thread: JoinHandle<bool>,
}

pub struct Cache {
    dir: PathBuf,
    fingerprint: Fingerprint,
    earlier: Option<Earlier>,
    writer: Mutex<Option<Writer>>,
    /// The book this run used or made.
    book: Mutex<Option<String>>,
    /// The thread keeping the book this run made.
    book_writer: Mutex<Option<JoinHandle<()>>>,
}

impl Cache {
    /// The cache for one book, in a hidden folder beside it.
    pub fn beside(book: &Path, pipeline: &Pipeline) -> Cache {
        let fingerprint = Fingerprint::of(pipeline);
        let stem = book.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let dir = book.parent().unwrap_or(Path::new(".")).join(".torimatome-cache").join(stem);
        let earlier = File::open(dir.join(PACK)).ok().map(|mut pack| {
            let index = index(&mut pack);
            Earlier { pack: Mutex::new(pack), index }
        });
        let (send, receive) = channel::<(String, Vec<u8>)>();
        let partial = dir.join(format!("{PACK}.partial-{}", std::process::id()));
        let folder = dir.clone();
        let thread = std::thread::spawn(move || {
            let _ = std::fs::create_dir_all(&folder);
            let Ok(file) = File::create(&partial) else { return false };
            let mut out = BufWriter::new(file);
            let mut written = true;
            for (key, bytes) in receive {
                written &= out.write_all(key.as_bytes()).is_ok()
                    && out.write_all(&(bytes.len() as u32).to_le_bytes()).is_ok()
                    && out.write_all(&bytes).is_ok();
            }
            written && out.flush().is_ok() && std::fs::rename(&partial, folder.join(PACK)).is_ok()
        });
        Cache { dir, fingerprint, earlier, writer: Mutex::new(Some(Writer { send, thread })), book: Mutex::new(None), book_writer: Mutex::new(None) }
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

    /// What an earlier run read of the file with this key, name and hash; kept for the
    /// next run too. An entry that does not describe that file is a miss.
    pub fn get(&self, key: &str, name: &str, sha256: &str) -> Option<Submission> {
        let earlier = self.earlier.as_ref()?;
        let &(offset, len) = earlier.index.get(key)?;
        let mut bytes = vec![0; len as usize];
        {
            let mut pack = earlier.pack.lock().ok()?;
            pack.seek(SeekFrom::Start(offset)).ok()?;
            pack.read_exact(&mut bytes).ok()?;
        }
        let submission: Submission = postcard::from_bytes(&bytes).ok()?;
        if submission.name != name || submission.sha256 != sha256 {
            return None;
        }
        self.keep(key, bytes);
        Some(submission)
    }

    /// Keep what reading a file gave. A cache that cannot be written only costs speed.
    pub fn put(&self, key: &str, submission: &Submission) {
        if let Ok(bytes) = postcard::to_allocvec(submission) {
            self.keep(key, bytes);
        }
    }

    fn keep(&self, key: &str, bytes: Vec<u8>) {
        if let Some(writer) = self.writer.lock().ok().as_deref().and_then(Option::as_ref) {
            let _ = writer.send.send((key.to_string(), bytes));
        }
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

    /// The book kept under `key`, and the snapshot kept with it when the run wrote one:
    /// its file, and the SHA-256 it had when kept (in its name), for the run to check.
    pub fn get_book(&self, key: &str) -> Option<(Vec<u8>, Option<(PathBuf, String)>)> {
        *self.book.lock().ok()? = Some(key.to_string());
        let book = std::fs::read(self.dir.join(key)).ok()?;
        let prefix = format!("{key}.snapshot-");
        let snapshot = std::fs::read_dir(&self.dir).ok()?.flatten().find_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let sha256 = name.strip_prefix(&prefix)?.strip_suffix(".json")?.to_string();
            Some((entry.path(), sha256))
        });
        Some((book, snapshot))
    }

    /// Keep the book, and a copy of the snapshot written beside it named with its SHA-256,
    /// through temporary names: a book cut short must never be found. Written on a thread
    /// of its own while the run goes on; `prune` waits for it.
    pub fn put_book(&self, key: &str, bytes: &[u8], snapshot: Option<(&Path, &str, Vec<u8>)>) {
        if let Ok(mut book) = self.book.lock() {
            *book = Some(key.to_string());
        }
        let (dir, key, bytes) = (self.dir.clone(), key.to_string(), bytes.to_vec());
        let snapshot = snapshot.map(|(path, sha256, pieces)| (path.to_path_buf(), sha256.to_string(), pieces));
        let thread = std::thread::spawn(move || {
            let _ = std::fs::create_dir_all(&dir);
            let keep = |name: String, write: &dyn Fn(&Path) -> std::io::Result<()>| {
                let partial = dir.join(format!("{name}.partial-{}", std::process::id()));
                write(&partial).and_then(|_| std::fs::rename(&partial, dir.join(&name))).is_ok()
            };
            if keep(key.clone(), &|to| std::fs::write(to, &bytes)) {
                if let Some((path, sha256, pieces)) = snapshot {
                    // A second name for the snapshot rather than a copy of its hundreds of
                    // megabytes: the run replaces the file beside the book by renaming,
                    // never in place, and what comes back from the cache is hashed. A copy
                    // where the folder takes no links (a share, another drive).
                    let name = format!("{key}.snapshot-{sha256}");
                    if keep(format!("{name}.json"), &|to| std::fs::hard_link(&path, to).or_else(|_| std::fs::copy(&path, to).map(|_| ()))) {
                        keep(format!("{name}.pieces"), &|to| std::fs::write(to, &pieces));
                    }
                }
            }
        });
        if let Ok(mut writing) = self.book_writer.lock() {
            *writing = Some(thread);
        }
    }

    /// The snapshot the last run kept, and where each file's rows lie in it (postcard, as
    /// the run gave them): a run after one file changed copies the other files' rows from
    /// it. Only the last run's book and snapshot are kept, so there is one at most.
    pub fn last_snapshot(&self) -> Option<(PathBuf, Vec<u8>)> {
        std::fs::read_dir(&self.dir).ok()?.flatten().find_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let stem = name.strip_suffix(".pieces").filter(|stem| stem.contains(".snapshot-"))?;
            let snapshot = self.dir.join(format!("{stem}.json"));
            Some((snapshot, std::fs::read(entry.path()).ok()?))
        })
    }

    /// Finish the new pack and the book, then remove everything else but this run's book.
    pub fn prune(&self) {
        if let Some(thread) = self.book_writer.lock().ok().and_then(|mut w| w.take()) {
            let _ = thread.join();
        }
        let written = match self.writer.lock().ok().and_then(|mut w| w.take()) {
            Some(Writer { send, thread }) => {
                drop(send);
                thread.join().unwrap_or(false)
            }
            None => false,
        };
        let Ok(book) = self.book.lock() else { return };
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            // The book, and the snapshot kept with it under its name.
            let kept = (written && name == PACK) || book.as_deref().is_some_and(|b| name == b || name.starts_with(&format!("{b}.snapshot-")));
            if !kept {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Where each entry of a pack lies; a pack cut short keeps the entries before the cut.
fn index(pack: &mut File) -> HashMap<String, (u64, u32)> {
    let mut index = HashMap::new();
    let mut header = [0u8; KEY_LEN + 4];
    let mut at = 0u64;
    while pack.read_exact(&mut header).is_ok() {
        let Ok(key) = std::str::from_utf8(&header[..KEY_LEN]) else { break };
        let len = u32::from_le_bytes([header[KEY_LEN], header[KEY_LEN + 1], header[KEY_LEN + 2], header[KEY_LEN + 3]]);
        at += (KEY_LEN + 4) as u64;
        index.insert(key.to_string(), (at, len));
        at += u64::from(len);
        if pack.seek(SeekFrom::Start(at)).is_err() {
            break;
        }
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache() -> Cache {
        Cache { dir: PathBuf::from("unused"), fingerprint: Fingerprint("f".into()), earlier: None, writer: Mutex::new(None), book: Mutex::new(None), book_writer: Mutex::new(None) }
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
