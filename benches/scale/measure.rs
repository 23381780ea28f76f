//! Running the contenders as child processes and measuring each: wall time and peak RSS.
//!
//! Wall time is `Instant` around the child, start to exit. Peak RSS comes from GNU time
//! (`/usr/bin/time -f %M -o FILE`): it waits for its child with wait4 and writes ru_maxrss
//! (KiB; the largest of the child and the descendants it waited for) to a file of its own,
//! so the child's stdout and stderr stay untouched for the checks. time's own start-up is
//! a millisecond, far below what is measured.

use std::ffi::OsStr;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

const TIME: &str = "/usr/bin/time";

/// One run of one child.
pub struct Sample {
    pub seconds: f64,
    pub rss_mib: f64,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `program args…` to its end; an exit status other than 0 is an error with its stderr.
pub fn run<S: AsRef<OsStr>>(program: &Path, args: &[S], scratch: &Path) -> Result<Sample, String> {
    let rss_file = scratch.join("rss");
    let mut command = Command::new(TIME);
    command.arg("-f").arg("%M").arg("-o").arg(&rss_file).arg(program).args(args);
    let start = Instant::now();
    let out = command.output().map_err(|e| format!("{TIME} {}: {e}", program.display()))?;
    let seconds = start.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if !out.status.success() {
        return Err(format!("{} exited with {}:\n{}", program.display(), out.status, tail(&stderr, 20)));
    }
    let kib: f64 = fs::read_to_string(&rss_file)
        .ok()
        .and_then(|s| s.lines().last()?.trim().parse().ok())
        .ok_or_else(|| format!("{TIME} wrote no peak RSS to {}", rss_file.display()))?;
    Ok(Sample { seconds, rss_mib: kib / 1024.0, stdout, stderr })
}

/// The last `n` lines of a child's output, for error messages.
pub fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Median wall time and largest peak RSS over a contender's runs.
#[derive(Clone, Copy, Default)]
pub struct Stat {
    pub seconds: f64,
    pub rss_mib: f64,
}

impl Stat {
    pub fn of(samples: &[Sample]) -> Option<Stat> {
        if samples.is_empty() {
            return None;
        }
        let mut times: Vec<f64> = samples.iter().map(|s| s.seconds).collect();
        times.sort_by(f64::total_cmp);
        let mid = times.len() / 2;
        let seconds = if times.len() % 2 == 1 { times[mid] } else { (times[mid - 1] + times[mid]) / 2.0 };
        let rss_mib = samples.iter().map(|s| s.rss_mib).fold(0.0, f64::max);
        Some(Stat { seconds, rss_mib })
    }
}
