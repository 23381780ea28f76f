//! The inbox as a run sees it: the files at the top of the shared folder, and the
//! workbooks inside the zip archives among them (a department's habit of sending a
//! password-protected zip and the password apart), each named `archive.zip/member.xlsx`.
//! An edge: it lists the folder and reads files; everything after it takes bytes.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::messages::Issue;
use crate::pipeline::Passwords;
use crate::workbook::ReadError;

/// One thing of the inbox to read, by the name the book gives it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    source: Source,
}

#[derive(Debug, Clone)]
enum Source {
    File(PathBuf),
    /// The `index`th entry of a zip archive of the inbox.
    Member { archive: PathBuf, index: usize },
    /// An archive whose list of files could not be read.
    Broken(Issue),
}

/// Everything the inbox holds, sorted by name: its plain files (not its folders), and for
/// each `.zip` its files (not its folders); an archive that cannot be listed is one entry
/// with why.
pub fn entries(inbox: &Path) -> std::io::Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(inbox)?.filter_map(Result::ok) {
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.to_lowercase().ends_with(".zip") {
            match members(&path) {
                Ok(names) => entries.extend(
                    names.into_iter().map(|(index, member)| Entry { name: format!("{name}/{member}"), source: Source::Member { archive: path.clone(), index } }),
                ),
                Err(why) => entries.push(Entry { name, source: Source::Broken(Issue::ArchiveUnreadable { why }) }),
            }
        } else {
            entries.push(Entry { name, source: Source::File(path) });
        }
    }
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(entries)
}

/// The files of an archive: index and name. Names are UTF-8 when the archive says so or
/// they are; otherwise Shift_JIS, as Windows in Japan writes them.
fn members(path: &Path) -> Result<Vec<(usize, String)>, String> {
    let mut zip = zip::ZipArchive::new(File::open(path).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    let mut names = Vec::new();
    for index in 0..zip.len() {
        let file = zip.by_index_raw(index).map_err(|e| e.to_string())?;
        if file.is_dir() {
            continue;
        }
        let raw = file.name_raw();
        let name = match std::str::from_utf8(raw) {
            Ok(name) => name.to_string(),
            Err(_) => encoding_rs::SHIFT_JIS.decode(raw).0.into_owned(),
        };
        names.push((index, name));
    }
    Ok(names)
}

/// An entry's bytes, and whether they took a password. A member of an archive is
/// unpacked up to `limit` bytes (a larger one is a bomb), with the first of `passwords`
/// that opens it when it is encrypted.
pub fn read(entry: &Entry, passwords: &Passwords, limit: u64) -> Result<(Vec<u8>, bool), Issue> {
    match &entry.source {
        Source::File(path) => std::fs::read(path).map(|bytes| (bytes, false)).map_err(|e| Issue::CannotOpen { why: e.to_string() }),
        Source::Broken(issue) => Err(issue.clone()),
        Source::Member { archive, index } => {
            let archive_name = archive.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let mut tries: Vec<&str> = passwords.for_file(&archive_name);
            tries.extend(passwords.for_file(&entry.name));
            member(archive, *index, &entry.name, &tries, limit)
        }
    }
}

fn member(archive: &Path, index: usize, name: &str, passwords: &[&str], limit: u64) -> Result<(Vec<u8>, bool), Issue> {
    let unreadable = |e: &dyn std::fmt::Display| Issue::ArchiveUnreadable { why: e.to_string() };
    let file = File::open(archive).map_err(|e| Issue::CannotOpen { why: e.to_string() })?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| unreadable(&e))?;
    let unpack = |mut file: zip::read::ZipFile<'_, File>| -> Result<Vec<u8>, Issue> {
        let too_large = || Issue::Unreadable(ReadError::TooLarge { part: name.to_string(), limit });
        if file.size() > limit {
            return Err(too_large());
        }
        let mut bytes = Vec::with_capacity(file.size().min(16 << 20) as usize);
        (&mut file).take(limit + 1).read_to_end(&mut bytes).map_err(|e| unreadable(&e))?;
        if bytes.len() as u64 > limit {
            return Err(too_large());
        }
        Ok(bytes)
    };
    match zip.by_index(index) {
        Ok(file) => return unpack(file).map(|bytes| (bytes, false)),
        Err(zip::result::ZipError::UnsupportedArchive(why)) if why == zip::result::ZipError::PASSWORD_REQUIRED => {}
        Err(e) => return Err(unreadable(&e)),
    }
    // ZipCrypto lets one wrong password in 256 through its check; the data's checksum
    // then fails, and the next password is tried.
    for password in passwords {
        if let Ok(file) = zip.by_index_decrypt(index, password.as_bytes()) {
            if let Ok(bytes) = unpack(file) {
                return Ok((bytes, true));
            }
        }
    }
    Err(Issue::ArchivePassword)
}
