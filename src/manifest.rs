//! The run's manifest: what went in (pipeline, plugins, input files, each with its
//! SHA-256), what came out (counts, the book's SHA-256), so that an auditor can rerun the
//! consolidation months later and `verify` can say what differs.
//!
//! The manifest holds no time of its own: two runs on the same inputs give the same bytes.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::Consolidation;
use crate::paths::relative;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The torimatome version that wrote it.
    pub torimatome: String,
    pub pipeline: Hashed,
    /// The folder read, relative to the manifest's folder when it can be.
    pub inbox: String,
    pub plugins: Vec<PluginEntry>,
    pub inputs: Vec<InputEntry>,
    pub counts: Counts,
    pub book: Hashed,
    /// The period's rows as the next period's 前期比 reads them (`BOOK.snapshot.json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<Hashed>,
    /// The last period's snapshot this book's 前期比 compared with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<Hashed>,
    /// The book is a summary (`book.summary`): its rows are in the records, and it leaves
    /// no snapshot for a next period to compare with.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub summary: bool,
}

/// A file and its SHA-256; the path is relative to the manifest's folder when it can be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hashed {
    pub path: String,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PluginEntry {
    pub name: String,
    pub version: String,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputEntry {
    pub name: String,
    pub size: u64,
    pub sha256: String,
    pub outcome: String,
    pub reason: String,
    /// What the reader said, for whoever looks into it (empty when nothing more).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
    pub rows_read: usize,
    pub rows_consolidated: usize,
    pub rows_set_aside: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    pub files: usize,
    pub rows_read: usize,
    pub rows_consolidated: usize,
    pub rows_set_aside: usize,
    pub problems: usize,
    pub departments_asked: usize,
    pub departments_submitted: usize,
    /// Departments whose files arrived and none could count.
    pub departments_failed: usize,
    /// Departments that sent no file.
    pub departments_missing: usize,
}

/// Where the manifest of a book goes: beside it, `BOOK.manifest.json`.
pub fn path_for(book: &Path) -> PathBuf {
    let stem = book.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "book".into());
    book.with_file_name(format!("{stem}.manifest.json"))
}

/// Where the snapshot of a book goes: beside it, `BOOK.snapshot.json`.
pub fn snapshot_path_for(book: &Path) -> PathBuf {
    let stem = book.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "book".into());
    book.with_file_name(format!("{stem}.snapshot.json"))
}

/// What a run describes about itself, besides the consolidation.
pub struct RunFacts<'a> {
    pub pipeline_path: &'a Path,
    pub pipeline_sha256: &'a str,
    pub inbox: &'a Path,
    pub plugins: Vec<PluginEntry>,
    pub book_path: &'a Path,
    pub book_sha256: String,
    /// The snapshot written beside the book, and its SHA-256.
    pub snapshot: Option<(&'a Path, String)>,
    /// The last period's snapshot compared with, and its SHA-256.
    pub previous: Option<(&'a Path, String)>,
    pub summary: bool,
}

pub fn build(c: &Consolidation, facts: &RunFacts, manifest_dir: &Path) -> Manifest {
    let mut inputs: Vec<InputEntry> = c
        .files
        .iter()
        .map(|f| InputEntry {
            name: f.name.clone(),
            size: f.size,
            sha256: f.sha256.clone(),
            outcome: f.outcome.as_str().to_string(),
            reason: f.outcome.reason(),
            detail: f.outcome.detail().unwrap_or_default().to_string(),
            rows_read: f.rows_read,
            rows_consolidated: f.rows_consolidated,
            rows_set_aside: f.rows_set_aside,
        })
        .collect();
    inputs.sort_by(|a, b| a.name.cmp(&b.name));
    Manifest {
        torimatome: env!("CARGO_PKG_VERSION").to_string(),
        pipeline: Hashed { path: relative(manifest_dir, facts.pipeline_path), sha256: facts.pipeline_sha256.to_string() },
        inbox: relative(manifest_dir, facts.inbox),
        plugins: facts.plugins.clone(),
        inputs,
        counts: Counts {
            files: c.files.len(),
            rows_read: c.rows_read(),
            rows_consolidated: c.rows_consolidated(),
            rows_set_aside: c.rows_set_aside(),
            problems: c.problems.len(),
            departments_asked: c.roster.len(),
            departments_submitted: c.submitted().len(),
            departments_failed: c.failed().len(),
            departments_missing: c.missing().len(),
        },
        book: Hashed { path: relative(manifest_dir, facts.book_path), sha256: facts.book_sha256.clone() },
        snapshot: facts.snapshot.as_ref().map(|(path, sha256)| Hashed { path: relative(manifest_dir, path), sha256: sha256.clone() }),
        previous: facts.previous.as_ref().map(|(path, sha256)| Hashed { path: relative(manifest_dir, path), sha256: sha256.clone() }),
        summary: facts.summary,
    }
}

pub fn to_json(m: &Manifest) -> String {
    // Field order is the structs' order; lists are sorted: the same run gives the same text.
    let mut text = serde_json::to_string_pretty(m).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_sits_beside_the_book() {
        assert_eq!(path_for(Path::new("/x/seto-2022H1.xlsx")), PathBuf::from("/x/seto-2022H1.manifest.json"));
    }
}
