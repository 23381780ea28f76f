//! A run, end to end: the inbox folder in, the book (and the records export) out. This and
//! the CLI are the only places that touch files; the stages in between take bytes and
//! return values. Progress is reported through [`Events`], which the CLI draws.

use std::fmt;
use std::fs::File;
use std::collections::HashMap;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};

use rayon::prelude::*;
use std::path::{Path, PathBuf};

use crate::cache::Cache;
use crate::messages::{self, Arg, Lang};
use crate::collect::{self, Submission};
use crate::model::{Consolidation, Issue, Outcome};
use torimatome_ja_core::era::{self, Period};
use crate::pipeline::{PeriodSource, Pipeline};
use crate::spill::Spill;
use crate::{aggregate, book, compare, inbox, manifest, parquet, paths, records, workbook};

/// What a run tells whoever watches it, from the threads that read the files.
pub trait Events: Sync {
    fn started(&self, _files: usize) {}
    fn file_done(&self, _name: &str, _outcome: Option<&Outcome>) {}
    fn finished(&self) {}
}

/// Watching nobody: for tests and library use.
pub struct Quiet;
impl Events for Quiet {}

/// Where to read and write, when the command line overrides the pipeline.
#[derive(Debug, Default, Clone)]
pub struct Paths {
    pub inbox: Option<PathBuf>,
    pub out: Option<PathBuf>,
    /// The records: a `.csv` file, a `.parquet` file, or a folder (no extension, or one
    /// that exists) of Parquet parts by period, `period=2023H2/records.parquet`.
    pub records: Option<PathBuf>,
    /// Keep and reuse what runs read, in the rerun cache beside the book.
    pub cache: bool,
}

/// Why a run wrote no book.
#[derive(Debug)]
pub enum RunError {
    Inbox(PathBuf, std::io::Error),
    /// An output cannot be written; the system's words.
    Output(PathBuf, String),
    /// An output is not named for what it holds: the extension it needs (`xlsx`, `csv`).
    OutputName(PathBuf, &'static str),
    /// An output would go into the inbox, where the next run would read it.
    OutputInInbox(PathBuf),
    /// A folder is where an output goes.
    OutputIsFolder(PathBuf),
    Aggregate(String),
    /// The pipeline leaves the period to the files, and none states one.
    Period,
    /// The last period's manifest (`previous`) cannot be used: like a bad pipeline, the
    /// run stops before reading the inbox.
    Previous(PathBuf, Previous),
    /// The pipeline asks for a summary book and the run was given nowhere to put the rows.
    SummaryWithoutRecords,
}

/// Why the last period's manifest cannot be compared with.
#[derive(Debug)]
pub enum Previous {
    Unreadable(String),
    NotManifest(String),
    /// The book it names is not there.
    BookMissing(PathBuf),
    /// The book it names is not the book it was written with.
    BookChanged(PathBuf),
    /// A manifest of a run that wrote no snapshot (before torimatome did).
    NoSnapshot,
    /// A manifest of a summary run, whose rows went to its records only.
    SummaryBook,
    SnapshotMissing(PathBuf),
    SnapshotChanged(PathBuf),
    NotSnapshot(PathBuf, String),
}

impl RunError {
    /// A mistake in what the run was told (exit code 2, as a bad pipeline), rather than
    /// in reading or writing.
    pub fn is_config(&self) -> bool {
        matches!(self, RunError::Previous(..) | RunError::SummaryWithoutRecords)
    }
}

impl RunError {
    /// What went wrong, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let path = |p: &Path| Arg::from(p.display().to_string());
        match self {
            RunError::Inbox(p, e) => messages::text(lang, "inbox-unreadable", &[("path", path(p)), ("why", e.to_string().into())]),
            RunError::Output(p, e) => messages::text(lang, "output-unwritable", &[("path", path(p)), ("why", e.into())]),
            RunError::OutputName(p, ext) => {
                messages::text(lang, if *ext == "csv" { "output-not-csv" } else { "output-not-xlsx" }, &[("path", path(p))])
            }
            RunError::OutputInInbox(p) => messages::text(lang, "output-in-inbox", &[("path", path(p))]),
            RunError::OutputIsFolder(p) => {
                let why = messages::text(lang, "output-is-folder", &[]);
                messages::text(lang, "output-unwritable", &[("path", path(p)), ("why", why.into())])
            }
            RunError::Aggregate(e) => messages::text(lang, "book-failed", &[("why", e.into())]),
            RunError::Period => messages::text(lang, "no-period", &[]),
            RunError::SummaryWithoutRecords => messages::text(lang, "summary-without-records", &[]),
            RunError::Previous(p, why) => {
                let (id, args): (&str, Vec<(&str, Arg)>) = match why {
                    Previous::Unreadable(e) => ("previous-unreadable", vec![("why", e.into())]),
                    Previous::NotManifest(e) => ("previous-not-manifest", vec![("why", e.into())]),
                    Previous::BookMissing(b) => ("previous-book-missing", vec![("book", path(b))]),
                    Previous::BookChanged(b) => ("previous-book-changed", vec![("book", path(b))]),
                    Previous::NoSnapshot => ("previous-no-snapshot", vec![]),
                    Previous::SummaryBook => ("previous-summary-book", vec![]),
                    Previous::SnapshotMissing(s) => ("previous-snapshot-missing", vec![("snapshot", path(s))]),
                    Previous::SnapshotChanged(s) => ("previous-snapshot-changed", vec![("snapshot", path(s))]),
                    Previous::NotSnapshot(s, e) => ("previous-not-snapshot", vec![("snapshot", path(s)), ("why", e.into())]),
                };
                let why = messages::text(lang, id, &args);
                messages::text(lang, "previous-refused", &[("path", path(p)), ("why", why.into())])
            }
        }
    }
}

impl fmt::Display for RunError {
    /// In English, for logs and tests; the command line uses [`RunError::text`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

pub struct Report {
    pub consolidation: Consolidation,
    pub book: PathBuf,
    pub manifest: PathBuf,
    /// The records file written (in a folder of parts, this period's part).
    pub records: Option<PathBuf>,
}

/// What `--records` names, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RecordsForm {
    Csv,
    Parquet,
    /// A folder partitioned hive-style by period: each run replaces its period's part.
    ParquetParts,
}

fn records_form(path: &Path) -> Option<RecordsForm> {
    match path.extension() {
        Some(e) if e.eq_ignore_ascii_case("csv") => Some(RecordsForm::Csv),
        Some(e) if e.eq_ignore_ascii_case("parquet") => Some(RecordsForm::Parquet),
        _ if path.is_dir() || path.extension().is_none() => Some(RecordsForm::ParquetParts),
        _ => None,
    }
}

/// The file a records path is written to: itself, or in a folder of parts
/// `period=<period>/records.parquet` (without the period, a file in the folder itself: what
/// is checked before the run).
fn records_file(path: &Path, period: Option<&str>) -> PathBuf {
    match (records_form(path), period) {
        (Some(RecordsForm::ParquetParts), Some(period)) => path.join(format!("period={period}")).join("records.parquet"),
        (Some(RecordsForm::ParquetParts), None) => path.join("records.parquet"),
        _ => path.to_path_buf(),
    }
}

pub fn run(pipeline: &Pipeline, paths: &Paths, events: &dyn Events) -> Result<Report, RunError> {
    let inbox = paths.inbox.clone().unwrap_or_else(|| pipeline.inbox.clone());
    let book_path = paths.out.clone().unwrap_or_else(|| pipeline.output.clone());
    if pipeline.summary && paths.records.is_none() {
        return Err(RunError::SummaryWithoutRecords);
    }
    // A summary book shows no rows: there is no 前期比 to make.
    let previous = pipeline.previous.as_deref().filter(|_| !pipeline.summary).map(load_previous).transpose()?;
    check_outputs(&book_path, paths.records.as_deref(), &inbox)?;
    let cache = paths.cache.then(|| Cache::beside(&paths::absolute(&book_path), pipeline));
    let snapshot_path = manifest::snapshot_path_for(&book_path);
    let (consolidation, made, records_written) = if let (true, Some(records)) = (pipeline.summary, &paths.records) {
        summary_run(pipeline, &inbox, &book_path, records, events, cache.as_ref())?
    } else {
        let (consolidation, keys) = read_inbox(pipeline, &inbox, events, cache.as_ref())?;
        release_freed_memory();
        let aggregate = || aggregate::aggregate(&consolidation).map_err(|e| e.to_string());
        let made = make_book(pipeline, &consolidation, &keys, cache.as_ref(), previous.as_ref(), aggregate, Some(&snapshot_path))?;
        let records = match &paths.records {
            Some(path) => Some(write_records(path, &consolidation.period.to_string(), |sink| records::write(&consolidation, sink))?),
            None => None,
        };
        (consolidation, made, records)
    };
    if let Err(e) = write_file(&book_path, &made.book) {
        // No snapshot of a book that was not written.
        let _ = std::fs::remove_file(partial(&snapshot_path));
        return Err(e);
    }
    let book_sha256 = crate::digest::sha256_hex(&made.book);
    // Every run but a summary's leaves its rows for the next period's 前期比, named in the
    // manifest; a summary's rows are in its records. Made beside the book, under a
    // temporary name until the book is written.
    if made.snapshot.is_some() {
        replace(&partial(&snapshot_path), &snapshot_path).map_err(|e| RunError::Output(snapshot_path.clone(), e.to_string()))?;
    }
    if let (Some(cache), Some(key)) = (&cache, &made.key) {
        let snapshot = made.snapshot.as_ref().map(|s| (snapshot_path.as_path(), s.sha256.as_str(), postcard::to_allocvec(&s.pieces).unwrap_or_default()));
        cache.put_book(key, (&paths::absolute(&book_path), &book_sha256), snapshot);
    }
    if let Some(cache) = &cache {
        cache.prune();
    }
    let manifest_path = manifest::path_for(&book_path);
    let facts = manifest::RunFacts {
        pipeline_path: &pipeline.path,
        pipeline_sha256: &pipeline.sha256,
        inbox: &inbox,
        plugins: pipeline
            .plugins
            .iter()
            .map(|p| manifest::PluginEntry {
                name: p.description.name.clone(),
                version: p.description.version.clone(),
                sha256: p.sha256.clone(),
            })
            .collect(),
        book_path: &book_path,
        book_sha256,
        snapshot: made.snapshot.map(|s| (snapshot_path.as_path(), s.sha256)),
        previous: previous.as_ref().map(|p| (p.path.as_path(), p.sha256.clone())),
        summary: pipeline.summary,
    };
    let manifest_dir = manifest_path.parent().unwrap_or(Path::new("."));
    let m = manifest::build(&consolidation, &facts, manifest_dir);
    write_file(&manifest_path, manifest::to_json(&m).as_bytes())?;
    events.finished();
    Ok(Report { consolidation, book: book_path, manifest: manifest_path, records: records_written })
}

/// A summary run: each file's rows are set down on disk as it is read; once the run knows
/// which files count, their rows are read back a file at a time, counted for the book and
/// written to the records. Memory holds the files' outcomes and the counts, not the rows.
fn summary_run(
    pipeline: &Pipeline,
    inbox: &Path,
    book_path: &Path,
    records: &Path,
    events: &dyn Events,
    cache: Option<&Cache>,
) -> Result<(Consolidation, Made, Option<PathBuf>), RunError> {
    let folder = paths::absolute(book_path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")));
    let spill = Spill::in_folder(&folder).map_err(|e| RunError::Output(folder.clone(), e.to_string()))?;
    let (consolidation, keys) = read_inbox_into(pipeline, inbox, events, cache, Some(&spill))?;
    release_freed_memory();
    let mut spilled = spill.into_reader().map_err(|e| RunError::Output(folder.clone(), e))?;
    let mut counter = aggregate::Counter::new(&consolidation);
    let fiscal_year = consolidation.period.fiscal_year;
    let written = write_records(records, &consolidation.period.to_string(), |mut sink| {
        for at in &consolidation.spilled {
            let rows = spilled.rows(at)?;
            counter.add(&rows);
            records::of_rows(&rows, fiscal_year, |r| sink.record(&r))?;
        }
        sink.finish()
    })?;
    let counts = counter.finish().map_err(|e| e.to_string());
    let made = make_book(pipeline, &consolidation, &keys, cache, None, || counts, None)?;
    Ok((consolidation, made, Some(written)))
}

/// Write the records to `path` (a CSV, a Parquet file, or this period's part of a folder)
/// as `fill` gives them to the sink, whole or not at all.
fn write_records(path: &Path, period: &str, fill: impl FnOnce(Box<dyn records::Sink>) -> Result<(), String>) -> Result<PathBuf, RunError> {
    let file = records_file(path, Some(period));
    write_whole(&file, |written| {
        let mut out = records::Shared::new(BufWriter::with_capacity(1 << 20, written));
        let sink: Box<dyn records::Sink> = if records_form(path) == Some(RecordsForm::Csv) {
            Box::new(records::Csv::new(out.clone(), period).map_err(|e| e.to_string())?)
        } else {
            Box::new(parquet::Writer::new(out.clone(), period).map_err(|e| e.to_string())?)
        };
        fill(sink)?;
        out.flush().map_err(|e| e.to_string())
    })?;
    Ok(file)
}

/// Consolidate the inbox and make the book, in memory, with 前期比 against the last
/// period's snapshot when there is one: what `verify` compares with the book it checks.
pub fn book_bytes(pipeline: &Pipeline, inbox: &Path, events: &dyn Events, previous: Option<&LastPeriod>) -> Result<Vec<u8>, RunError> {
    let (consolidation, keys) = read_inbox(pipeline, inbox, events, None)?;
    release_freed_memory();
    let aggregate = || aggregate::aggregate(&consolidation).map_err(|e| e.to_string());
    Ok(make_book(pipeline, &consolidation, &keys, None, previous, aggregate, None)?.book)
}

/// A book made, or found in the cache.
struct Made {
    book: Vec<u8>,
    /// The snapshot, when one was asked for: written under its temporary name beside the
    /// book, to be renamed once the book is written.
    snapshot: Option<SnapshotMade>,
    /// The book's cache key, when it is to be kept.
    key: Option<String>,
}

/// The book of a consolidation whose files had the cache keys `keys`, and its snapshot
/// when `snapshot` says where: the cached ones when the cache has them, else made — the
/// snapshot on a thread of its own while the book is written, which keeps one core for
/// itself most of the time.
fn make_book(
    pipeline: &Pipeline,
    consolidation: &Consolidation,
    keys: &[String],
    cache: Option<&Cache>,
    previous: Option<&LastPeriod>,
    aggregate: impl FnOnce() -> Result<aggregate::Aggregates, String> + Send,
    snapshot: Option<&Path>,
) -> Result<Made, RunError> {
    let file_keys = keys;
    // The book depends on the last period's snapshot too.
    let keys = keys.iter().map(String::as_str).chain(previous.map(|p| p.sha256.as_str()));
    let key = cache.and_then(|c| c.book_key(keys));
    if let Some((book, kept)) = cache.zip(key.as_ref()).and_then(|(c, key)| c.get_book(key)) {
        // The kept snapshot is hashed as it is copied: one that is not what was kept (cut
        // short, changed) is made afresh.
        let snapshot = match (snapshot, kept) {
            (None, _) => None,
            (Some(path), Some((kept, sha256))) if copy_hashed(&kept, &partial(path)).is_ok_and(|copied| copied == sha256) => {
                Some(SnapshotMade { sha256, pieces: Vec::new() })
            }
            (Some(path), _) => Some(write_snapshot(consolidation, file_keys, cache, path)?),
        };
        return Ok(Made { book, snapshot, key: None });
    }
    let provenance = book::Provenance {
        pipeline_name: &pipeline.name,
        pipeline_sha256: &pipeline.sha256,
        plugins: pipeline
            .plugins
            .iter()
            .map(|p| format!("{} {} ({})", p.description.name, p.description.version, p.sha256))
            .collect(),
        created: pipeline.created,
    };
    let comparison = previous.map(|p| compare::compare(&p.snapshot, consolidation));
    let (book, snapshot) = std::thread::scope(|scope| {
        let snapshot = snapshot.map(|path| scope.spawn(move || write_snapshot(consolidation, file_keys, cache, path)));
        let book = book::write_compared(consolidation, aggregate, &provenance, comparison.as_ref(), pipeline.summary).map_err(RunError::Aggregate);
        let snapshot = snapshot.map(|thread| thread.join().unwrap_or_else(|_| Err(RunError::Aggregate("writing the snapshot panicked".into()))));
        (book, snapshot)
    });
    Ok(Made { book: book?, snapshot: snapshot.transpose()?, key })
}

/// Copy a file, giving the SHA-256 of what was written.
fn copy_hashed(from: &Path, to: &Path) -> std::io::Result<String> {
    let mut out = crate::digest::Hashing::new(BufWriter::with_capacity(1 << 20, File::create(to)?));
    std::io::copy(&mut File::open(from)?, &mut out)?;
    out.finish().map(|(_, sha256)| sha256)
}

/// A snapshot written: its SHA-256, and where each file's rows lie in it with the file's
/// cache key, for the cache to keep (none for one copied from the cache, which has them).
struct SnapshotMade {
    sha256: String,
    pieces: Vec<(String, compare::snapshot::Piece)>,
}

/// Write the snapshot of a consolidation whose files had the cache keys `keys` under the
/// temporary name of `path`. A file whose key the last snapshot in the cache has rows for
/// is copied from there, when those bytes are still what they were (a CRC-32 each): a
/// rerun after one file changed writes that file's rows only.
fn write_snapshot(c: &Consolidation, keys: &[String], cache: Option<&Cache>, path: &Path) -> Result<SnapshotMade, RunError> {
    let failed = |e: std::io::Error| RunError::Output(path.to_path_buf(), e.to_string());
    make_folder_of(path).map_err(failed)?;
    let file = File::create(partial(path)).map_err(failed)?;
    // Each file's key by name: files and keys are both in name order.
    let key_of: HashMap<&str, &str> =
        if c.files.len() == keys.len() { c.files.iter().zip(keys).filter(|(_, k)| !k.is_empty()).map(|(f, k)| (f.name.as_str(), k.as_str())).collect() } else { HashMap::new() };
    let mut last = cache.and_then(Cache::last_snapshot).and_then(|(path, pieces)| {
        let pieces: Vec<(String, compare::snapshot::Piece)> = postcard::from_bytes(&pieces).ok()?;
        Some((File::open(path).ok()?, pieces.into_iter().map(|(key, piece)| (piece.file.clone(), (key, piece))).collect::<HashMap<_, _>>()))
    });
    let mut earlier = |name: &str| -> Option<Vec<u8>> {
        let (file, pieces) = last.as_mut()?;
        let (key, piece) = pieces.get(name)?;
        if key_of.get(name) != Some(&key.as_str()) {
            return None;
        }
        let mut bytes = vec![0; usize::try_from(piece.len).ok()?];
        file.seek(SeekFrom::Start(piece.offset)).ok()?;
        file.read_exact(&mut bytes).ok()?;
        (crc32fast::hash(&bytes) == piece.crc32).then_some(bytes)
    };
    // Buffered before it is hashed: serde_json writes a field at a time, and hashing each
    // piece as it came cost more than making the JSON.
    let mut out = BufWriter::with_capacity(1 << 20, crate::digest::Hashing::new(file));
    let pieces = compare::snapshot::write(c, &mut out, &mut earlier).map_err(failed)?;
    let (_, sha256) = out.into_inner().map_err(|e| failed(e.into_error()))?.finish().map_err(failed)?;
    let pieces = pieces.into_iter().filter_map(|p| Some((key_of.get(p.file.as_str())?.to_string(), p))).collect();
    Ok(SnapshotMade { sha256, pieces })
}

/// What the inbox holds to read, sorted by name: its plain files, and the files of its
/// zip archives.
pub fn inbox_entries(inbox: &Path) -> Result<Vec<inbox::Entry>, RunError> {
    inbox::entries(inbox).map_err(|e| RunError::Inbox(inbox.to_path_buf(), e))
}

/// Read every file of the inbox and decide what counts.
pub fn consolidate(pipeline: &Pipeline, inbox: &Path, events: &dyn Events) -> Result<Consolidation, RunError> {
    read_inbox(pipeline, inbox, events, None).map(|(consolidation, _)| consolidation)
}

/// Read every file of the inbox, or take what an earlier run read of it from the cache,
/// and decide what counts. Also gives each file's cache key, in name order.
fn read_inbox(pipeline: &Pipeline, inbox: &Path, events: &dyn Events, cache: Option<&Cache>) -> Result<(Consolidation, Vec<String>), RunError> {
    read_inbox_into(pipeline, inbox, events, cache, None)
}

/// [`read_inbox`], each file's rows set down in `spill` as soon as it is read, when there
/// is one.
fn read_inbox_into(pipeline: &Pipeline, inbox: &Path, events: &dyn Events, cache: Option<&Cache>, spill: Option<&Spill>) -> Result<(Consolidation, Vec<String>), RunError> {
    let entries = inbox_entries(inbox)?;
    let (period, parsed) = match pipeline.period {
        Some(period) => (period, None),
        None => stated_period(pipeline, &entries).ok_or(RunError::Period)?,
    };
    events.started(entries.len());
    // Files are read in parallel; `collect` keeps them in name order, and `decide` sorts
    // again, so the book does not depend on which thread finished first.
    let spill_failed: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);
    let read = |entry: &inbox::Entry, parsed: Option<Parsed>| {
        let (mut sub, key) = read_file(pipeline, period, entry, cache, parsed);
        if let Some(spill) = spill {
            match spill.put(&sub.rows) {
                Ok(at) => {
                    sub.spilled = Some(at);
                    sub.rows = Vec::new();
                }
                Err(why) => {
                    if let Ok(mut failed) = spill_failed.lock() {
                        failed.get_or_insert(why);
                    }
                }
            }
        }
        events.file_done(&entry.name, sub.rejected.as_ref());
        (sub, key)
    };
    let (subs, keys): (Vec<Submission>, Vec<String>) = match parsed {
        Some(parsed) => entries.par_iter().zip(parsed).map(|(entry, parsed)| read(entry, parsed)).unzip(),
        None => entries.par_iter().map(|entry| read(entry, None)).unzip(),
    };
    // The spill's disk is the book's: full, the book could not be written either.
    if let (Some(spill), Some(why)) = (spill, spill_failed.into_inner().ok().flatten()) {
        return Err(RunError::Output(spill.folder().to_path_buf(), why));
    }
    Ok((collect::decide(pipeline, period, subs), keys))
}

/// A file of the inbox as read from disk: its bytes, their SHA-256, and the workbook when
/// it was parsed ahead (to find the period in its title).
struct Parsed {
    bytes: Vec<u8>,
    sha256: String,
    /// The bytes came out of an encrypted zip archive, with a password.
    unlocked: bool,
    book: Option<Result<workbook::Workbook, workbook::ReadError>>,
}

/// The entry's bytes: the one place a file of the inbox is read. A file the pipeline does
/// not want is only hashed for the record, and one that cannot be opened (a lock file) is
/// recorded as empty.
fn read_bytes(pipeline: &Pipeline, entry: &inbox::Entry) -> Result<Parsed, Submission> {
    let name = &entry.name;
    let (bytes, unlocked) = match inbox::read(entry, &pipeline.passwords, pipeline.limits.max_unpacked_bytes) {
        Ok(read) => read,
        Err(Issue::CannotOpen { .. }) if collect::screen(pipeline, name).is_some() => (Vec::new(), false),
        Err(issue) => return Err(Submission::error(name, &[], issue)),
    };
    let sha256 = crate::digest::sha256_hex(&bytes);
    Ok(Parsed { bytes, sha256, unlocked, book: None })
}

/// One file of the inbox: bytes in, a submission out, through the cache when there is
/// one. A file that cannot be opened now is reported afresh, and not cached.
fn read_file(pipeline: &Pipeline, period: Period, entry: &inbox::Entry, cache: Option<&Cache>, parsed: Option<Parsed>) -> (Submission, String) {
    let name = &entry.name;
    let file = match parsed {
        Some(parsed) => parsed,
        None => match read_bytes(pipeline, entry) {
            Ok(file) => file,
            Err(sub) => return (sub, String::new()),
        },
    };
    let key = cache.map(|c| c.key(period, name, &file.sha256)).unwrap_or_default();
    if let Some(sub) = cache.and_then(|c| c.get(&key, name, &file.sha256)) {
        return (sub, key);
    }
    let Parsed { bytes, sha256, unlocked, book } = file;
    let mut sub = caught(name, &bytes, || collect::submission_of(pipeline, period, name, &bytes, sha256, book));
    if unlocked && sub.opened == workbook::Opened::Plain {
        sub.opened = workbook::Opened::Password;
    }
    if let Some(cache) = cache {
        cache.put(&key, &sub);
    }
    (sub, key)
}

/// The period most files state, for a pipeline that leaves it to them: by file name
/// first; only when no name states one, by the titles inside the workbooks, which are
/// then parsed once here and kept for their reading (one per file, in name order; None for
/// a file that could not be read, read and reported again with the rest).
fn stated_period(pipeline: &Pipeline, entries: &[inbox::Entry]) -> Option<(Period, Option<Vec<Option<Parsed>>>)> {
    let wanted = || entries.iter().map(|e| &e.name).filter(|n| collect::screen(pipeline, n).is_none());
    for source in &pipeline.period_checks {
        match source {
            PeriodSource::FileName => {
                if let Some(period) = collect::majority_period(wanted().filter_map(|n| era::parse_period(n))) {
                    return Some((period, None));
                }
            }
            PeriodSource::Title => {
                let parsed: Vec<Option<Parsed>> = entries
                    .par_iter()
                    .map(|entry| {
                        let name = &entry.name;
                        let mut file = read_bytes(pipeline, entry).ok()?;
                        if collect::screen(pipeline, name).is_none() {
                            let limits = pipeline.limits;
                            // A reader that panics here leaves the file unparsed, to be read
                            // (and reported) with the rest.
                            let passwords = pipeline.passwords.for_file(name);
                            file.book = without_panic(|| workbook::read_with_passwords(&file.bytes, &limits, &passwords)).ok();
                        }
                        Some(file)
                    })
                    .collect();
                let stated = parsed.iter().flatten().filter_map(|p| collect::period_in_title(p.book.as_ref()?.as_ref().ok()?));
                if let Some(period) = collect::majority_period(stated) {
                    return Some((period, Some(parsed)));
                }
            }
        }
    }
    None
}

/// The last period, as its manifest names it: the snapshot its run wrote, read once the
/// manifest's book and snapshot are found with the SHA-256 it gives them.
pub struct LastPeriod {
    /// The snapshot's path and SHA-256, for this run's manifest.
    pub path: PathBuf,
    pub sha256: String,
    pub snapshot: compare::Snapshot,
}

/// Load the last period from its manifest (or its book, whose manifest is beside it).
pub fn load_previous(given: &Path) -> Result<LastPeriod, RunError> {
    let refuse = |why: Previous| RunError::Previous(given.to_path_buf(), why);
    let is_book = given.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let manifest_path = if is_book { manifest::path_for(given) } else { given.to_path_buf() };
    let text = std::fs::read_to_string(&manifest_path).map_err(|e| refuse(Previous::Unreadable(e.to_string())))?;
    let m: manifest::Manifest = serde_json::from_str(&text).map_err(|e| refuse(Previous::NotManifest(e.to_string())))?;
    let dir = manifest_path.parent().unwrap_or(Path::new("."));
    let book = paths::beside(dir, &m.book.path);
    let book_bytes = std::fs::read(&book).map_err(|_| refuse(Previous::BookMissing(book.clone())))?;
    if crate::digest::sha256_hex(&book_bytes) != m.book.sha256 {
        return Err(refuse(Previous::BookChanged(book)));
    }
    let recorded = m.snapshot.ok_or_else(|| refuse(if m.summary { Previous::SummaryBook } else { Previous::NoSnapshot }))?;
    let path = paths::beside(dir, &recorded.path);
    let bytes = std::fs::read(&path).map_err(|_| refuse(Previous::SnapshotMissing(path.clone())))?;
    let sha256 = crate::digest::sha256_hex(&bytes);
    if sha256 != recorded.sha256 {
        return Err(refuse(Previous::SnapshotChanged(path)));
    }
    let snapshot = compare::snapshot::from_json(&String::from_utf8_lossy(&bytes)).map_err(|e| refuse(Previous::NotSnapshot(path.clone(), e)))?;
    Ok(LastPeriod { path, sha256, snapshot })
}

/// Before a file is read: every output is named for what it holds, is not in the inbox,
/// and can be written where it goes (its folder made, a trial file made and removed). A
/// run that has read a thousand files then always writes its book.
fn check_outputs(book: &Path, records: Option<&Path>, inbox: &Path) -> Result<(), RunError> {
    let named = |path: &Path, ext: &'static str| -> Result<(), RunError> {
        let ok = path.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext));
        if ok {
            Ok(())
        } else {
            Err(RunError::OutputName(path.to_path_buf(), ext))
        }
    };
    named(book, "xlsx")?;
    if let Some(records) = records {
        if records_form(records).is_none() {
            return Err(RunError::OutputName(records.to_path_buf(), "csv"));
        }
    }
    let manifest = manifest::path_for(book);
    let snapshot = manifest::snapshot_path_for(book);
    // A folder of parts is checked by a file in it: not in the inbox, and writable there.
    let records = records.map(|r| records_file(r, None));
    for out in [Some(book), Some(manifest.as_path()), Some(snapshot.as_path()), records.as_deref()].into_iter().flatten() {
        // A book (or the records) written into the inbox would be read as a department's
        // file by the next run.
        let dir = paths::absolute(out.parent().unwrap_or(Path::new(".")));
        if dir.starts_with(paths::absolute(inbox)) {
            return Err(RunError::OutputInInbox(out.to_path_buf()));
        }
        if out.is_dir() {
            return Err(RunError::OutputIsFolder(out.to_path_buf()));
        }
        writable(out).map_err(|e| RunError::Output(out.to_path_buf(), e.to_string()))?;
    }
    Ok(())
}

/// Whether `path` (no folder: checked before) can be written: its folder exists or is
/// made, and a file can be created beside it.
fn writable(path: &Path) -> std::io::Result<()> {
    make_folder_of(path)?;
    let trial = partial(path);
    std::fs::write(&trial, b"")?;
    std::fs::remove_file(&trial)
}

/// The name an output is written under until it is whole.
fn partial(path: &Path) -> PathBuf {
    suffixed(path, ".partial")
}

/// `path` with `suffix` added to its file name.
fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

/// Write an output whole or not at all: under a temporary name, then renamed over the old
/// one, so a failure never leaves half a book where the last one was.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), RunError> {
    write_whole(path, |mut file| file.write_all(bytes).map_err(|e| e.to_string()))
}

/// [`write_file`], the bytes written by `fill` into the file under its temporary name; the
/// temporary file is removed when anything fails.
fn write_whole(path: &Path, fill: impl FnOnce(File) -> Result<(), String>) -> Result<(), RunError> {
    let temporary = partial(path);
    let written = make_folder_of(path)
        .and_then(|_| File::create(&temporary))
        .map_err(|e| e.to_string())
        .and_then(fill)
        .and_then(|_| replace(&temporary, path).map_err(|e| e.to_string()));
    written.map_err(|why| {
        let _ = std::fs::remove_file(&temporary);
        RunError::Output(path.to_path_buf(), why)
    })
}

/// Put the file written at `temporary` in the place of `path`: the file there renamed aside
/// first and removed after. Renamed over an existing file, Linux's ext4 writes the new one
/// out to disk there and then (its guard for programs that do not sync), which cost a
/// rerun 0.15 s for 10,000 files' snapshot; moved aside, the old file is only unlinked
/// (the cache keeps its other name). The old file or the new one is whole under a name at
/// every moment, and the old one is put back when the new one cannot take its place.
fn replace(temporary: &Path, path: &Path) -> std::io::Result<()> {
    let aside = suffixed(path, ".replaced");
    let moved = std::fs::rename(path, &aside).is_ok();
    match std::fs::rename(temporary, path) {
        Ok(()) => {
            if moved {
                let _ = std::fs::remove_file(&aside);
            }
            Ok(())
        }
        Err(e) => {
            if moved {
                let _ = std::fs::rename(&aside, path);
            }
            Err(e)
        }
    }
}

/// Make the folder an output goes in, unless it is the current one.
fn make_folder_of(path: &Path) -> std::io::Result<()> {
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => std::fs::create_dir_all(dir),
        None => Ok(()),
    }
}

/// Read one file from its bytes. A reader that panics on some odd file must not take the
/// whole collection down: the file is listed as an error and the run goes on.
fn caught(name: &str, bytes: &[u8], read: impl FnOnce() -> Submission) -> Submission {
    without_panic(read).unwrap_or_else(|why| Submission::error(name, bytes, Issue::ReaderFailed { why }))
}

/// The one place a panic of a reader is caught: its message, or the value. The panic is
/// not printed on the terminal (the book lists it); panics elsewhere are, as before.
fn without_panic<T>(read: impl FnOnce() -> T) -> Result<T, String> {
    torimatome_plugin_api::quietly(read).map_err(|panic| {
        let why = panic.downcast_ref::<String>().map(String::as_str).or_else(|| panic.downcast_ref::<&str>().copied());
        why.unwrap_or("unknown").to_string()
    })
}

/// Hand the memory the readers freed back to the system before the book is made. The
/// allocator keeps it in each reading thread's heap otherwise, and those threads sit idle
/// until the book is done: at 10,000 files the run's peak was 990 MB with it kept, 819 MB
/// without.
fn release_freed_memory() {
    // SAFETY: mi_collect only returns the calling thread's free pages to the system; with
    // another global allocator, mimalloc holds nothing and it does nothing.
    rayon::broadcast(|_| unsafe { libmimalloc_sys::mi_collect(true) });
    unsafe { libmimalloc_sys::mi_collect(true) };
}

#[cfg(test)]
mod tests {
    use super::replace;

    #[test]
    fn an_output_is_replaced_whole_and_its_other_name_keeps_the_old_one() {
        let dir = tempfile::tempdir().expect("temp");
        let (book, kept, new) = (dir.path().join("book.xlsx"), dir.path().join("kept"), dir.path().join("book.xlsx.partial"));
        std::fs::write(&book, "old").expect("old");
        std::fs::hard_link(&book, &kept).expect("a second name, as the cache keeps it");
        std::fs::write(&new, "new").expect("new");
        replace(&new, &book).expect("replaced");
        assert_eq!(std::fs::read_to_string(&book).expect("book"), "new");
        assert_eq!(std::fs::read_to_string(&kept).expect("kept"), "old");
        let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").flatten().map(|e| e.file_name()).collect();
        assert_eq!(left.len(), 2, "nothing aside left: {left:?}");
        // A new file that cannot take the old one's place leaves the old one where it was.
        assert!(replace(&dir.path().join("missing"), &book).is_err());
        assert_eq!(std::fs::read_to_string(&book).expect("book"), "new");
    }
}
