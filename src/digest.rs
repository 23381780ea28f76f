//! Content hashes: files are known by what they hold, never by name or time.

use sha2::{Digest, Sha256};

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A writer that hashes what passes through it: an output's SHA-256 without holding it
/// whole (a prefecture's snapshot is hundreds of megabytes).
pub struct Hashing<W> {
    out: W,
    hash: Sha256,
}

impl<W: std::io::Write> Hashing<W> {
    pub fn new(out: W) -> Hashing<W> {
        Hashing { out, hash: Sha256::new() }
    }

    /// The writer, flushed, and the SHA-256 of everything written.
    pub fn finish(mut self) -> std::io::Result<(W, String)> {
        self.out.flush()?;
        Ok((self.out, hex(&self.hash.finalize())))
    }
}

impl<W: std::io::Write> std::io::Write for Hashing<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(bytes)?;
        self.hash.update(&bytes[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}
