//! Rows set down on disk while the inbox is read, for a run whose book is a summary: a
//! prefecture's six million rows go to the records, and memory holds only what the book
//! counts. Each file's rows are written as one postcard entry as soon as the file is read
//! (on the reading thread), and read back, a file at a time, in file order once the run
//! knows which files count.
//!
//! The file is anonymous (`tempfile`): the system removes it when the run ends, however it
//! ends. It is made beside the book, on the disk the book goes to, rather than in the
//! system's temporary folder, which may be memory.

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::model::{IndicatorRow, Spilled};

/// The spill being written: the file and where the next entry starts.
pub struct Spill {
    out: Mutex<(BufWriter<File>, u64)>,
    folder: PathBuf,
}

impl Spill {
    pub fn in_folder(dir: &Path) -> std::io::Result<Spill> {
        let file = tempfile::tempfile_in(dir)?;
        Ok(Spill { out: Mutex::new((BufWriter::with_capacity(1 << 20, file), 0)), folder: dir.to_path_buf() })
    }

    /// The folder the spill is written in, for a message when it cannot be.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// Set down one file's rows.
    pub fn put(&self, rows: &[IndicatorRow]) -> Result<Spilled, String> {
        let bytes = postcard::to_stdvec(rows).map_err(|e| e.to_string())?;
        let mut out = self.out.lock().map_err(|_| "spill: a writer panicked".to_string())?;
        let offset = out.1;
        out.0.write_all(&bytes).map_err(|e| e.to_string())?;
        out.1 += bytes.len() as u64;
        Ok(Spilled { offset, len: bytes.len() as u64, rows: rows.len() })
    }

    /// Done writing: the spill to read back.
    pub fn into_reader(self) -> Result<SpillReader, String> {
        let (out, _) = self.out.into_inner().map_err(|_| "spill: a writer panicked".to_string())?;
        let file = out.into_inner().map_err(|e| e.error().to_string())?;
        Ok(SpillReader { file })
    }
}

pub struct SpillReader {
    file: File,
}

impl SpillReader {
    /// One file's rows, as they were set down.
    pub fn rows(&mut self, at: &Spilled) -> Result<Vec<IndicatorRow>, String> {
        let mut bytes = vec![0; at.len as usize];
        self.file.seek(SeekFrom::Start(at.offset)).and_then(|_| self.file.read_exact(&mut bytes)).map_err(|e| e.to_string())?;
        postcard::from_bytes(&bytes).map_err(|e| e.to_string())
    }
}
