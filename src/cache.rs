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
//! after the other). One file, not one per input: creating a thousand small files cost a
//! cold run a quarter of its time. A run appends the entries it makes, on a thread of its
//! own as the readers go, and leaves the others where they are: a rerun after one corrected
//! file writes that file's entry, not the collection's hundreds of megabytes again. When
//! more than a third of the pack is entries this run did not use (files replaced, another
//! pipeline), the run writes the pack anew with just its own, so the cache holds about one
//! collection's worth. An entry cut short by a run that stopped is cut off before the next
//! appends; an entry that cannot be read (from another format) is a miss, never an error.
//! One run at a time writes the cache (`entries.lock`); another at the same time only
//! reads it.
//!
//! The book is kept as a second name of the file written beside it (a copy where the folder
//! takes no links), named with its SHA-256, and hashed when it is taken: one changed since
//! is a miss.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
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
/// Held by the run that writes the cache.
const LOCK: &str = "entries.lock";
/// A key is a SHA-256 in hex.
const KEY_LEN: usize = 64;
const HEADER_LEN: u64 = KEY_LEN as u64 + 4;

/// Where an entry lies in the pack: its bytes' offset and length.
type At = (u64, u32);

/// The pack as the run found it, and where each whole entry lies in it.
struct Earlier {
    pack: File,
    index: HashMap<String, At>,
}

/// What the pack's writer is told: an entry this run used, where it lies already, or one it
/// made, to append.
enum Kept {
    Found(String, At),
    Made(String, Vec<u8>),
}

/// The thread appending to the pack. It answers where each entry this run used lies, and
/// whether everything it was given was written.
struct Writer {
    send: Sender<Kept>,
    thread: JoinHandle<Appended>,
}

struct Appended {
    used: HashMap<String, At>,
    written: bool,
}

pub struct Cache {
    dir: PathBuf,
    fingerprint: Fingerprint,
    earlier: Option<Earlier>,
    /// None when another run writes the cache, or its folder cannot be written.
    writer: Mutex<Option<Writer>>,
    /// The book this run used or made.
    book: Mutex<Option<String>>,
    /// The thread keeping the book this run made.
    book_writer: Mutex<Option<JoinHandle<()>>>,
    /// This run's hold on the cache, released when the run ends.
    _lock: Option<File>,
}

impl Cache {
    /// The cache for one book, in a hidden folder beside it.
    pub fn beside(book: &Path, pipeline: &Pipeline) -> Cache {
        let stem = book.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        Cache::in_folder(book.parent().unwrap_or(Path::new(".")).join(".torimatome-cache").join(stem), Fingerprint::of(pipeline))
    }

    fn in_folder(dir: PathBuf, fingerprint: Fingerprint) -> Cache {
        let earlier = File::open(dir.join(PACK)).ok().map(|pack| Earlier { index: index(&pack), pack });
        // Where the folder cannot lock at all (some shares), runs do not wait for each other.
        let lock = std::fs::create_dir_all(&dir)
            .and_then(|_| File::create(dir.join(LOCK)))
            .ok()
            .filter(|lock| !matches!(lock.try_lock(), Err(std::fs::TryLockError::WouldBlock)));
        let writer = lock.as_ref().and_then(|_| {
            // Appended after the last whole entry: one cut short by a run that stopped is
            // cut off first.
            let end = earlier.as_ref().map_or(0, |e| e.index.values().map(|&(at, len)| at + u64::from(len)).max().unwrap_or(0));
            let mut pack = std::fs::OpenOptions::new().write(true).create(true).truncate(false).open(dir.join(PACK)).ok()?;
            pack.set_len(end).ok()?;
            pack.seek(SeekFrom::Start(end)).ok()?;
            let (send, receive) = channel::<Kept>();
            let thread = std::thread::spawn(move || {
                let mut out = BufWriter::with_capacity(1 << 20, pack);
                let (mut used, mut written, mut at) = (HashMap::new(), true, end);
                for kept in receive {
                    match kept {
                        Kept::Found(key, found) => {
                            used.insert(key, found);
                        }
                        Kept::Made(key, bytes) => {
                            written &= write_entry(&mut out, &key, &bytes).is_ok();
                            let len = bytes.len() as u32;
                            used.insert(key, (at + HEADER_LEN, len));
                            at += HEADER_LEN + u64::from(len);
                        }
                    }
                }
                Appended { used, written: written && out.flush().is_ok() }
            });
            Some(Writer { send, thread })
        });
        Cache { dir, fingerprint, earlier, writer: Mutex::new(writer), book: Mutex::new(None), book_writer: Mutex::new(None), _lock: lock }
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
        read_exact_at(&earlier.pack, &mut bytes, offset).ok()?;
        let submission: Submission = postcard::from_bytes(&bytes).ok()?;
        if submission.name != name || submission.sha256 != sha256 {
            return None;
        }
        self.keep(Kept::Found(key.to_string(), (offset, len)));
        Some(submission)
    }

    /// Keep what reading a file gave. A cache that cannot be written only costs speed.
    pub fn put(&self, key: &str, submission: &Submission) {
        if let Ok(bytes) = postcard::to_allocvec(submission) {
            self.keep(Kept::Made(key.to_string(), bytes));
        }
    }

    fn keep(&self, kept: Kept) {
        if let Some(writer) = self.writer.lock().ok().as_deref().and_then(Option::as_ref) {
            let _ = writer.send.send(kept);
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
        Some(format!("book-{}", hex(&h.finalize())))
    }

    /// The book kept under `key`, when it is still what was kept, and the snapshot kept
    /// with it when the run wrote one: its file, and the SHA-256 it had when kept (in its
    /// name), for the run to check.
    pub fn get_book(&self, key: &str) -> Option<(Vec<u8>, Option<(PathBuf, String)>)> {
        *self.book.lock().ok()? = Some(key.to_string());
        // `{key}.{kind}-{sha256}{extension}`, as `put_book` names them.
        let kept = |kind: &str, extension: &str| {
            let prefix = format!("{key}.{kind}-");
            std::fs::read_dir(&self.dir).ok()?.flatten().find_map(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                let sha256 = name.strip_prefix(&prefix)?.strip_suffix(extension)?.to_string();
                Some((entry.path(), sha256))
            })
        };
        let (path, sha256) = kept("book", ".xlsx")?;
        let book = std::fs::read(path).ok()?;
        if crate::digest::sha256_hex(&book) != sha256 {
            return None;
        }
        Some((book, kept("snapshot", ".json")))
    }

    /// Keep the book written at `path` with the SHA-256 `sha256`, and the snapshot written
    /// beside it with its SHA-256 and where each file's rows lie in it, each under a name
    /// that says its SHA-256: second names of the files beside the book rather than copies
    /// of their hundreds of megabytes (the run replaces those files by renaming, never in
    /// place, and what comes back from the cache is hashed). Copies where the folder takes
    /// no links (a share, another drive), through temporary names: a file cut short must
    /// never be found. On a thread of its own while the run goes on; `prune` waits for it.
    pub fn put_book(&self, key: &str, (path, sha256): (&Path, &str), snapshot: Option<(&Path, &str, Vec<u8>)>) {
        if self.writer.lock().map_or(true, |w| w.is_none()) {
            return;
        }
        if let Ok(mut book) = self.book.lock() {
            *book = Some(key.to_string());
        }
        let (dir, key) = (self.dir.clone(), key.to_string());
        let book = (path.to_path_buf(), sha256.to_string());
        let snapshot = snapshot.map(|(path, sha256, pieces)| (path.to_path_buf(), sha256.to_string(), pieces));
        let thread = std::thread::spawn(move || {
            if keep(&dir, &format!("{key}.book-{}.xlsx", book.1), |to| link_or_copy(&book.0, to)) {
                if let Some((path, sha256, pieces)) = snapshot {
                    let name = format!("{key}.snapshot-{sha256}");
                    if keep(&dir, &format!("{name}.json"), |to| link_or_copy(&path, to)) {
                        keep(&dir, &format!("{name}.pieces"), |to| std::fs::write(to, &pieces));
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

    /// Finish the pack and the book, write the pack anew when it is mostly entries this run
    /// did not use, then remove everything else but this run's book.
    pub fn prune(&self) {
        if let Some(thread) = self.book_writer.lock().ok().and_then(|mut w| w.take()) {
            let _ = thread.join();
        }
        let Some(Writer { send, thread }) = self.writer.lock().ok().and_then(|mut w| w.take()) else { return };
        drop(send);
        let Ok(Appended { used, written }) = thread.join() else { return };
        if written {
            self.compact(&used);
        }
        let Ok(book) = self.book.lock() else { return };
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            // The pack, and the book and the snapshot kept with it under its name.
            let kept = name == PACK || name == LOCK || book.as_deref().is_some_and(|b| name.starts_with(&format!("{b}.")));
            if !kept {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// Write the pack anew with only the entries `used`, when the others are more than a
    /// third of it: replacing files one at a time leaves each one's old entry behind.
    fn compact(&self, used: &HashMap<String, At>) {
        let path = self.dir.join(PACK);
        let live: u64 = used.values().map(|&(_, len)| HEADER_LEN + u64::from(len)).sum();
        let Ok(pack) = File::open(&path) else { return };
        let size = pack.metadata().map_or(0, |m| m.len());
        if size <= live + live / 2 {
            return;
        }
        keep(&self.dir, PACK, |partial| {
            let mut out = BufWriter::with_capacity(1 << 20, File::create(partial)?);
            // In the order they lie, which reads the pack front to back.
            let mut entries: Vec<(&String, &At)> = used.iter().collect();
            entries.sort_by_key(|(_, (at, _))| *at);
            let mut bytes = Vec::new();
            for (key, &(at, len)) in entries {
                bytes.resize(len as usize, 0);
                read_exact_at(&pack, &mut bytes, at)?;
                write_entry(&mut out, key, &bytes)?;
            }
            out.flush()
        });
    }
}

/// One entry of a pack: its key, its length, its bytes.
fn write_entry(out: &mut impl Write, key: &str, bytes: &[u8]) -> std::io::Result<()> {
    out.write_all(key.as_bytes())?;
    out.write_all(&(bytes.len() as u32).to_le_bytes())?;
    out.write_all(bytes)
}

/// Write the file `name` in `dir` through a temporary name, so that one cut short is never
/// found under its own; whether it was written.
fn keep(dir: &Path, name: &str, write: impl FnOnce(&Path) -> std::io::Result<()>) -> bool {
    let partial = dir.join(format!("{name}.partial-{}", std::process::id()));
    let kept = write(&partial).and_then(|_| std::fs::rename(&partial, dir.join(name))).is_ok();
    if !kept {
        let _ = std::fs::remove_file(&partial);
    }
    kept
}

/// A second name for a file, or where the folder takes no links, a copy.
fn link_or_copy(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::hard_link(from, to).or_else(|_| std::fs::copy(from, to).map(|_| ()))
}

/// Where each entry of a pack lies; a pack cut short keeps the entries before the cut.
fn index(pack: &File) -> HashMap<String, At> {
    let mut index = HashMap::new();
    let size = pack.metadata().map_or(0, |m| m.len());
    let mut header = [0u8; KEY_LEN + 4];
    let mut at = 0u64;
    while at + HEADER_LEN <= size && read_exact_at(pack, &mut header, at).is_ok() {
        let Ok(key) = std::str::from_utf8(&header[..KEY_LEN]) else { break };
        let len = u32::from_le_bytes([header[KEY_LEN], header[KEY_LEN + 1], header[KEY_LEN + 2], header[KEY_LEN + 3]]);
        if at + HEADER_LEN + u64::from(len) > size {
            break;
        }
        // A key made again later (its entry could not be read) is found where it was last put.
        index.insert(key.to_string(), (at + HEADER_LEN, len));
        at += HEADER_LEN + u64::from(len);
    }
    index
}

/// Read `buf.len()` bytes at `offset`, leaving the file's position alone: the readers
/// share the pack.
#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset) {
            Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::Issue;

    fn cache() -> Cache {
        Cache { dir: PathBuf::from("unused"), fingerprint: Fingerprint("f".into()), earlier: None, writer: Mutex::new(None), book: Mutex::new(None), book_writer: Mutex::new(None), _lock: None }
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

    /// A file as a run reads it: its key, name and hash, and what reading it gave.
    struct Read {
        key: String,
        name: String,
        sha256: String,
    }

    fn file(c: &Cache, name: &str, bytes: &[u8]) -> (Read, Submission) {
        let sub = Submission::error(name, bytes, Issue::NotWorkbookName);
        let key = c.key(Period { fiscal_year: 2024, half: torimatome_ja_core::era::Half::First }, name, &sub.sha256);
        (Read { key, name: name.to_string(), sha256: sub.sha256.clone() }, sub)
    }

    fn open(dir: &Path) -> Cache {
        Cache::in_folder(dir.to_path_buf(), Fingerprint("f".into()))
    }

    /// A run: the files it finds in the cache, and those it reads and puts there.
    fn run(dir: &Path, files: &[(&str, &[u8])]) -> Vec<bool> {
        let c = open(dir);
        let found = files
            .iter()
            .map(|(name, bytes)| {
                let (f, sub) = file(&c, name, bytes);
                let found = c.get(&f.key, &f.name, &f.sha256).is_some();
                if !found {
                    c.put(&f.key, &sub);
                }
                found
            })
            .collect();
        c.prune();
        found
    }

    /// The pack's entries in order, and whether it ends with its last entry.
    fn pack(dir: &Path) -> (Vec<String>, bool) {
        let pack = std::fs::read(dir.join(PACK)).expect("pack");
        let (mut keys, mut at) = (Vec::new(), 0);
        while at + KEY_LEN + 4 <= pack.len() {
            let len = u32::from_le_bytes(pack[at + KEY_LEN..at + KEY_LEN + 4].try_into().expect("4 bytes")) as usize;
            keys.push(String::from_utf8_lossy(&pack[at..at + KEY_LEN]).into_owned());
            at += KEY_LEN + 4 + len;
        }
        (keys, at == pack.len())
    }

    #[test]
    fn the_pack_is_appended_to_and_written_anew_when_mostly_stale() {
        let dir = tempfile::tempdir().expect("temp");
        let dir = dir.path();
        let a: Vec<u8> = vec![1; 400];
        let (b, c, d, e, f) = (vec![2; 400], vec![3; 400], vec![4; 400], vec![5; 400], vec![6; 400]);
        assert_eq!(run(dir, &[("a", &a), ("b", &b), ("c", &c), ("d", &d)]), [false; 4]);
        assert_eq!(pack(dir), (pack(dir).0, true));
        let first = pack(dir).0;
        assert_eq!(first.len(), 4);

        // One file corrected: its entry is appended, the others stay where they were.
        assert_eq!(run(dir, &[("a", &a), ("b", &b), ("c", &c), ("d", &e)]), [true, true, true, false]);
        let (keys, whole) = pack(dir);
        assert!(whole);
        assert_eq!(keys.len(), 5, "the corrected file's entry appended");
        assert_eq!(keys[..4], first[..], "the entries before left where they were");

        // Two more: more than a third of the pack would be entries no file has now, so it
        // is written anew with this run's entries only, which the next run finds.
        assert_eq!(run(dir, &[("a", &a), ("b", &f), ("c", &d), ("d", &e)]), [true, false, false, true]);
        let (keys, whole) = pack(dir);
        assert!(whole);
        assert_eq!(keys.len(), 4, "written anew: {keys:?}");
        assert_eq!(run(dir, &[("a", &a), ("b", &f), ("c", &d), ("d", &e)]), [true; 4]);

        // A run that stopped while appending left an entry cut short: the entries before it
        // are found, and the next entry goes where the cut one began.
        let mut bytes = std::fs::read(dir.join(PACK)).expect("pack");
        let whole_len = bytes.len();
        let len = u32::from_le_bytes(bytes[KEY_LEN..KEY_LEN + 4].try_into().expect("4 bytes")) as usize;
        bytes.extend_from_slice(&bytes[..KEY_LEN + 4 + len / 2].to_vec());
        std::fs::write(dir.join(PACK), &bytes).expect("cut entry");
        assert_eq!(run(dir, &[("a", &a), ("b", &f), ("c", &d), ("d", &c)]), [true, true, true, false]);
        let (keys, whole) = pack(dir);
        assert!(whole, "the cut entry cut off");
        assert_eq!(keys.len(), 5);
        assert!(std::fs::metadata(dir.join(PACK)).expect("pack").len() > whole_len as u64);
        assert_eq!(run(dir, &[("a", &a), ("b", &f), ("c", &d), ("d", &c)]), [true; 4]);
    }

    #[test]
    fn a_second_run_at_the_same_time_only_reads_the_cache() {
        let dir = tempfile::tempdir().expect("temp");
        let dir = dir.path();
        let (a, b) = (vec![1; 100], vec![2; 100]);
        run(dir, &[("a", &a)]);
        let before = std::fs::read(dir.join(PACK)).expect("pack");
        let first = open(dir);
        let (read, _) = file(&first, "a", &a);
        assert!(first.get(&read.key, &read.name, &read.sha256).is_some());
        // Meanwhile another run: it finds what is there, and writes nothing.
        assert_eq!(run(dir, &[("a", &a), ("b", &b)]), [true, false]);
        assert_eq!(std::fs::read(dir.join(PACK)).expect("pack"), before);
        first.prune();
        drop(first);
        assert_eq!(run(dir, &[("a", &a), ("b", &b)]), [true, false], "written by a run that held the cache alone");
        assert_eq!(run(dir, &[("a", &a), ("b", &b)]), [true, true]);
    }
}
