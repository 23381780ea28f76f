//! The edge of a first collection: `inspect`, `guess` and `preview` read the files and the
//! inbox they look at here (and `guess` writes its pipeline here); `survey`, `guess` and
//! `preview` do the rest on values. Nothing here writes a book.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::collect::{self, Submission};
use crate::guess::{self, Roster, Setting};
use crate::messages::{self, Lang};
use crate::model::Issue;
use crate::pipeline::{self, ConfigError, PeriodSource, Pipeline};
use crate::preview::{self, Seen};
use crate::survey::{self, FileSurvey};
use crate::workbook::{self, Limits};
use crate::{inbox, paths, run};
use torimatome_ja_core::era::{self, Period};

/// Why a command of a first collection could not do its work, in the user's words.
#[derive(Debug)]
pub enum ExploreError {
    /// The pipeline does not load: its problems.
    Pipeline(Vec<ConfigError>),
    /// Anything else, worded.
    Other(String),
}

/// The one place a reader's panic is caught here: the panic's words, or the value.
fn without_panic<T>(read: impl FnOnce() -> T) -> Result<T, String> {
    torimatome_plugin_api::quietly(read).map_err(|panic| {
        let why = panic.downcast_ref::<String>().map(String::as_str).or_else(|| panic.downcast_ref::<&str>().copied());
        why.unwrap_or("unknown").to_string()
    })
}

/// Survey one file from its bytes, or from why it has none.
fn survey_of(name: &str, bytes: Result<Vec<u8>, String>, lang: Lang) -> FileSurvey {
    let revision = collect::revision(&[], name);
    let reader_failed = |why: String| format!("{} ({why})", messages::text(lang, "reader-failed", &[]));
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(why) => return survey::survey(name, Err(why), revision),
    };
    match without_panic(|| workbook::read(&bytes, &Limits::default())) {
        Ok(Ok(book)) => without_panic(|| survey::survey(name, Ok(&book), revision.clone()))
            .unwrap_or_else(|why| survey::survey(name, Err(reader_failed(why)), revision)),
        Ok(Err(e)) => survey::survey(name, Err(messages::read_error(lang, &e)), revision),
        Err(why) => survey::survey(name, Err(reader_failed(why)), revision),
    }
}

/// The surveys of every file of a folder (the files inside its zip archives too), in name
/// order.
fn survey_folder(dir: &Path, lang: Lang) -> Result<Vec<FileSurvey>, String> {
    let entries = run::inbox_entries(dir).map_err(|e| e.text(lang))?;
    let limit = Limits::default().max_unpacked_bytes;
    let none = pipeline::Passwords::default();
    Ok(entries
        .par_iter()
        .map(|entry| {
            let bytes = inbox::read(entry, &none, limit).map(|(b, _)| b).map_err(|issue| issue.what_in(lang));
            survey_of(&entry.name, bytes, lang)
        })
        .collect())
}

/// `inspect`: what torimatome sees in each file (a folder: in each of its files).
pub fn inspect(paths: &[PathBuf], lang: Lang) -> Vec<FileSurvey> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            match survey_folder(path, lang) {
                Ok(surveys) => out.extend(surveys),
                Err(why) => out.push(survey::survey(&path.display().to_string(), Err(why), (0, String::new()))),
            }
            continue;
        }
        let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        let bytes = std::fs::read(path).map_err(|e| messages::text(lang, "inspect-cannot-read", &[("why", e.to_string().into())]));
        out.push(survey_of(&name, bytes, lang));
    }
    out
}

/// What `guess` made: the pipeline's text, where it was written, and what validating it
/// found (nothing when it loads).
pub struct Guessed {
    pub yaml: String,
    pub path: Option<PathBuf>,
    pub problems: Vec<ConfigError>,
}

/// Where plugins are, as a pipeline beside `pipeline_dir` names them: `dirs` given, else the
/// folder torimatome runs from, its build profile written `{profile}`.
fn plugin_dirs(pipeline_dir: &Path, dirs: Option<&[PathBuf]>) -> Vec<String> {
    let own = || std::env::current_exe().ok().and_then(|exe| exe.parent().map(Path::to_path_buf));
    let dirs: Vec<PathBuf> = match dirs {
        Some(dirs) => dirs.to_vec(),
        None => own().into_iter().collect(),
    };
    dirs.iter()
        .map(|d| {
            let written = paths::relative(pipeline_dir, d);
            match written.rsplit_once('/') {
                Some((head, "debug" | "release")) if head.ends_with("target") => format!("{head}/{{profile}}"),
                _ => written,
            }
        })
        .collect()
}

/// The departments of a roster file: a line each, `#` a comment, as `pipeline::check` reads it.
fn roster_names(path: &Path, lang: Lang) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        messages::text(lang, "config-roster-unreadable", &[("path", path.display().to_string().into()), ("why", e.to_string().into())])
    })?;
    Ok(text.lines().map(|l| l.trim().trim_start_matches('\u{feff}').to_string()).filter(|l| !l.is_empty() && !l.starts_with('#')).collect())
}

/// `guess`: survey the inbox, write a pipeline for it (to `out`, or only return it), and
/// validate what was written by loading it. `plugins`: the plugin folders to name instead
/// of the one torimatome runs from.
pub fn guess(inbox: &Path, roster: Option<&Path>, out: Option<&Path>, plugins: Option<&[PathBuf]>, lang: Lang) -> Result<Guessed, ExploreError> {
    let surveys: Vec<FileSurvey> = survey_folder(inbox, lang)
        .map_err(ExploreError::Other)?
        .into_iter()
        .filter(|s| {
            let own = s.file.rsplit('/').next().unwrap_or(&s.file);
            !own.starts_with("~$") && !own.starts_with('.')
        })
        .collect();
    let pipeline_dir = out.and_then(Path::parent).filter(|d| !d.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let names = match roster {
        Some(path) => Some(roster_names(path, lang).map_err(ExploreError::Other)?),
        None => None,
    };
    let absolute = paths::absolute(inbox);
    let folder = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let collection = match folder(&absolute).as_str() {
        "inbox" | "受付" | "" => absolute.parent().map(folder).unwrap_or_default(),
        name => name.to_string(),
    };
    let setting = Setting {
        inbox: paths::relative(&pipeline_dir, inbox),
        collection: if collection.is_empty() { "collection".into() } else { collection },
        roster: roster.zip(names.as_deref()).map(|(path, departments)| Roster { path: paths::relative(&pipeline_dir, path), departments }),
        plugin_dirs: plugin_dirs(&pipeline_dir, plugins),
        lang,
    };
    let yaml = guess::pipeline(&surveys, &setting);
    let write = |path: &Path| std::fs::write(path, &yaml).map_err(|e| ExploreError::Other(messages::text(lang, "output-unwritable", &[("path", path.display().to_string().into()), ("why", e.to_string().into())])));
    match out {
        Some(path) => {
            write(path)?;
            let problems = pipeline::load_unpinned(path).err().unwrap_or_default();
            Ok(Guessed { yaml, path: Some(path.to_path_buf()), problems })
        }
        None => {
            // Validated from a trial file where the pipeline's relative paths hold, then gone.
            let trial = pipeline_dir.join(".torimatome-guess.yaml.partial");
            write(&trial)?;
            let problems = pipeline::load_unpinned(&trial).err().unwrap_or_default();
            let _ = std::fs::remove_file(&trial);
            Ok(Guessed { yaml, path: None, problems })
        }
    }
}

/// The period of a pipeline's run: its own, else the one most file names (then titles) state.
fn period_of(p: &Pipeline, entries: &[inbox::Entry]) -> Option<Period> {
    if let Some(period) = p.period {
        return Some(period);
    }
    let wanted: Vec<&inbox::Entry> = entries.iter().filter(|e| collect::screen(p, &e.name).is_none()).collect();
    for source in &p.period_checks {
        let stated: Vec<Period> = match source {
            PeriodSource::FileName => wanted.iter().filter_map(|e| era::parse_period(&e.name)).collect(),
            PeriodSource::Title => wanted
                .par_iter()
                .filter_map(|e| {
                    let (bytes, _) = inbox::read(e, &p.passwords, p.limits.max_unpacked_bytes).ok()?;
                    let book = without_panic(|| workbook::read_with_passwords(&bytes, &p.limits, &p.passwords.for_file(&e.name))).ok()?.ok()?;
                    collect::period_in_title(&book)
                })
                .collect(),
        };
        if let Some(period) = collect::majority_period(stated) {
            return Some(period);
        }
    }
    None
}

/// One file read as a run reads it, with what a preview shows beside.
fn read_one(p: &Pipeline, period: Period, entry: &inbox::Entry) -> (Submission, Seen) {
    let name = &entry.name;
    let mut seen = Seen { name: name.clone(), ..Seen::default() };
    let bytes = match inbox::read(entry, &p.passwords, p.limits.max_unpacked_bytes) {
        Ok((bytes, _)) => bytes,
        Err(Issue::CannotOpen { .. }) if collect::screen(p, name).is_some() => Vec::new(),
        Err(issue) => return (Submission::error(name, &[], issue), seen),
    };
    let sha256 = crate::digest::sha256_hex(&bytes);
    let read = without_panic(|| {
        if collect::screen(p, name).is_some() {
            return (collect::submission(p, period, name, &bytes, sha256.clone()), Vec::new());
        }
        let book = workbook::read_with_passwords(&bytes, &p.limits, &p.passwords.for_file(name));
        let sub = collect::submission_of(p, period, name, &bytes, sha256.clone(), Some(book.clone()));
        let unrecognised = book.as_ref().map(|b| preview::unrecognised(p, &sub.layout, b)).unwrap_or_default();
        (sub, unrecognised)
    });
    match read {
        Ok((sub, unrecognised)) => {
            seen.layout = sub.layout.clone();
            seen.problems = sub.problems.clone();
            seen.unrecognised = unrecognised;
            (sub, seen)
        }
        Err(why) => (Submission::error(name, &bytes, Issue::ReaderFailed { why }), seen),
    }
}

/// `preview`: every file's verdict under the pipeline, as text, without writing anything.
pub fn preview(path: &Path, lang: Lang) -> Result<String, ExploreError> {
    let p = pipeline::load(path).map_err(ExploreError::Pipeline)?;
    let entries = run::inbox_entries(&p.inbox).map_err(|e| ExploreError::Other(e.text(lang)))?;
    let period = period_of(&p, &entries).ok_or_else(|| ExploreError::Other(messages::text(lang, "no-period", &[])))?;
    let (subs, seen): (Vec<Submission>, Vec<Seen>) = entries.par_iter().map(|e| read_one(&p, period, e)).unzip();
    let consolidation = collect::decide(&p, period, subs);
    Ok(preview::text(&p, &seen, &consolidation, lang))
}
