//! Speed and scale (issues 5 and 18): torimatome against the floor and the Python peers,
//! side by side in one run, on generated corpora of layout-A workbooks, up to 100,000 files.
//!
//! `cargo bench --bench scale -- [--files 1000,10000,100000] [--runs 3] [--full-max 20000]
//! [--polars-max 10000] [--skip-peers] [--skip-pandas] [--generate-only]`
//!
//! Per corpus size, each contender runs `--runs` times as a child process, the runs
//! interleaved so that drift hits all alike (median wall time, largest peak RSS; see `measure`):
//!
//! - torimatome cold: the full book (進捗一覧 with every row) into a fresh output folder;
//! - rerun: the same right after, into the same folder (the cache beside the book); its
//!   book must be byte-identical to the cold one;
//! - one changed: the common rerun, a department resending a corrected file: the first file
//!   rewritten with other values (same name, same department), rerun into the same folder;
//!   in the first run its book must be byte-identical to a cold run's on the changed inbox.
//!   The file is put back afterwards, even on error (`corpus::Resent`);
//! - summary cold and summary one changed: the same with `book.summary: true` and
//!   `--records DIR` (rows kept on disk, records as Parquet), its book and records checked
//!   the same way. It is what a national-scale collection runs: it runs at every size;
//! - floor read+write: `../shared/bench/floor` (calamine reads every cell, rust_xlsxwriter
//!   copies them all into one sheet; no logic), where one sheet holds them (some 15,000
//!   files); floor read: the same without the write, at every size: the summary's yardstick;
//! - polars + fastexcel up to `--polars-max` files (its one sheet overflows above some 17,000);
//!   pandas + openpyxl once only (it is slow), and not above 1,000 files.
//!
//! The full-book contenders run up to `--full-max` files: a book of millions of rows is not
//! the national-scale use. Reported per size: wall time, ms per file, peak RSS and ratios;
//! across sizes, ms per file against the smallest size and the marginal cost of the files
//! added (flat means linear), and issue 18's mark for the summary at the largest size: peak
//! RSS under 2 GiB, ms per file within 20 % of the smallest size's (make that 1,000 files:
//! `--files 1000,10000,100000`). The OS file cache is warm for everyone: "cold" means no earlier
//! torimatome output, not a cold disk. Each run's output folders are deleted once measured.
//! Times are reported, never asserted; a run that fails, a book or records that differ, or a
//! file not consolidated say something is wrong (exit status 1, after the report). The tables
//! go to stdout and to `target/bench-corpus/results.md`. `--generate-only` writes the corpora
//! (printing how long that took) and stops.

mod corpus;
mod measure;

use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{exit, Command};

use corpus::Corpus;
use measure::{Sample, Stat};

/// pandas takes about 87 s per 1,000 files: above this it runs only when asked by size.
const PANDAS_MAX_FILES: usize = 1_000;
/// The rows of a sheet of Excel: the floor's copy must fit in one.
const SHEET_ROWS: u64 = 1_048_576;

struct Args {
    files: Vec<usize>,
    runs: usize,
    /// The full-book contenders run up to this many files.
    full_max: usize,
    /// polars + fastexcel runs up to this many files.
    polars_max: usize,
    skip_peers: bool,
    skip_pandas: bool,
    generate_only: bool,
}

/// The programs under test and where they live.
struct Tools {
    torimatome: PathBuf,
    floor: PathBuf,
    /// The venv's python with the peers' packages, unless the peers are skipped.
    python: Option<PathBuf>,
    peers: PathBuf,
}

/// What is measured, in the tables' order.
#[derive(Clone, Copy)]
enum Contender {
    Cold,
    Rerun,
    Resent,
    Summary,
    SummaryResent,
    FloorWrite,
    FloorRead,
    Polars,
    Pandas,
}

use Contender::*;

const CONTENDERS: [Contender; 9] = [Cold, Rerun, Resent, Summary, SummaryResent, FloorWrite, FloorRead, Polars, Pandas];

impl Contender {
    fn name(self) -> &'static str {
        match self {
            Cold => "torimatome cold",
            Rerun => "rerun",
            Resent => "one changed",
            Summary => "summary cold",
            SummaryResent => "summary one changed",
            FloorWrite => "floor read+write",
            FloorRead => "floor read",
            Polars => "polars+fastexcel",
            Pandas => "pandas+openpyxl",
        }
    }
}

/// What the runs must agree on; `None` where the contender did not run.
struct Checks {
    /// Every rerun's book is the cold run's.
    rerun: Option<bool>,
    /// The one-changed rerun's book is a cold run's on the changed inbox.
    resent: Option<bool>,
    /// The same for the summary's book and records.
    summary_resent: bool,
    /// Files consolidated and problems listed, from the first cold run's manifest.
    full: Option<(u64, u64)>,
    summary: (u64, u64),
}

/// One corpus size's results.
struct Row {
    files: usize,
    cells: u64,
    stats: [Option<Stat>; CONTENDERS.len()],
    checks: Checks,
}

impl Row {
    fn seconds(&self, c: Contender) -> Option<f64> {
        self.stats[c as usize].map(|s| s.seconds)
    }
    fn ms_per_file(&self, c: Contender) -> Option<f64> {
        self.seconds(c).map(|s| 1000.0 * s / self.files as f64)
    }
}

fn main() {
    if let Err(e) = bench() {
        eprintln!("scale: {e}");
        exit(1);
    }
}

fn bench() -> Result<(), String> {
    let args = parse_args()?;
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let torimatome = PathBuf::from(env!("CARGO_BIN_EXE_torimatome"));
    // The binary is target/<profile>/torimatome: its grandparent is the target directory.
    let target = torimatome.parent().and_then(Path::parent).ok_or("no target directory")?.to_path_buf();
    if args.generate_only {
        for &files in &args.files {
            corpus::prepare(repo, &target, files)?;
        }
        return Ok(());
    }
    let plugin = torimatome.with_file_name("libtorimatome_ja.so");
    if !plugin.exists() {
        return Err(format!("{} is missing: run `cargo build --release --workspace --lib` first", plugin.display()));
    }
    let shared = repo.join("../shared/bench");
    let tools = Tools {
        floor: build_floor(&shared.join("floor"), &target)?,
        python: if args.skip_peers { None } else { python_env(&target) },
        peers: shared.join("peers"),
        torimatome,
    };
    let mut rows = Vec::new();
    let mut written = Vec::new();
    for &files in &args.files {
        let corpus = corpus::prepare(repo, &target, files)?;
        written.extend(corpus.written_in.map(|s| (files, s)));
        rows.push(bench_size(&args, &tools, &corpus)?);
    }
    let report = report(&args, &rows, &written);
    println!("\n{report}");
    let results = target.join("bench-corpus/results.md");
    fs::write(&results, &report).map_err(|e| format!("{}: {e}", results.display()))?;
    eprintln!("written to {}", results.display());
    let failed = failed_checks(&rows);
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("checks failed: {}", failed.join("; ")))
    }
}

/// `--files 100,1000`, `--runs 3`, `--full-max N`, `--polars-max N`, `--skip-peers`,
/// `--skip-pandas`, `--generate-only`; cargo adds `--bench`.
fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        files: vec![1_000],
        runs: 3,
        full_max: 20_000,
        polars_max: 10_000,
        skip_peers: false,
        skip_pandas: false,
        generate_only: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--files" => {
                let list = it.next().ok_or("--files needs a list such as 100,1000")?;
                args.files = list.split(',').map(|n| n.trim().parse().map_err(|_| format!("--files: `{n}` is not a count"))).collect::<Result<_, _>>()?;
            }
            "--runs" => args.runs = Some(count("--runs", &mut it)?).filter(|&n| n > 0).ok_or("--runs needs a count above 0")?,
            "--full-max" => args.full_max = count("--full-max", &mut it)?,
            "--polars-max" => args.polars_max = count("--polars-max", &mut it)?,
            "--skip-peers" => args.skip_peers = true,
            "--skip-pandas" => args.skip_pandas = true,
            "--generate-only" => args.generate_only = true,
            "--bench" => {}
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if args.files.contains(&0) {
        return Err("--files: a corpus needs at least one file".into());
    }
    Ok(args)
}

/// The count that follows `flag`.
fn count(flag: &str, it: &mut impl Iterator<Item = String>) -> Result<usize, String> {
    let n = it.next().ok_or(format!("{flag} needs a count"))?;
    n.parse().map_err(|_| format!("{flag}: `{n}` is not a count"))
}

/// The floor's `rawread`, built once into `target/floor`. Its source folder is read-only and
/// cargo must write a Cargo.lock, so it is built from a copy (`target/floor-src`), made its
/// own workspace so that cargo does not take it for a stray member of this one.
fn build_floor(source: &Path, target: &Path) -> Result<PathBuf, String> {
    let binary = target.join("floor/release/rawread");
    if binary.exists() {
        return Ok(binary);
    }
    let copy = target.join("floor-src");
    fs::create_dir_all(copy.join("src")).map_err(|e| format!("{}: {e}", copy.display()))?;
    let manifest = fs::read_to_string(source.join("Cargo.toml")).map_err(|e| format!("floor: {e}"))?;
    fs::write(copy.join("Cargo.toml"), manifest + "\n[workspace]\n").map_err(|e| format!("floor copy: {e}"))?;
    fs::copy(source.join("src/main.rs"), copy.join("src/main.rs")).map_err(|e| format!("floor copy: {e}"))?;
    eprintln!("building the floor (rawread) into {}", target.join("floor").display());
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release", "--manifest-path"])
        .arg(copy.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target.join("floor"))
        .status()
        .map_err(|e| format!("cargo: {e}"))?;
    if !status.success() || !binary.exists() {
        return Err(format!("building the floor failed ({status})"));
    }
    Ok(binary)
}

/// The peers' Python, from `target/bench-venv` (made on first use). A failure is printed and
/// the peers skipped: they are yardsticks, not the product.
fn python_env(target: &Path) -> Option<PathBuf> {
    let venv = target.join("bench-venv");
    let python = venv.join("bin/python3");
    let ready = || {
        Command::new(&python).args(["-c", "import openpyxl, pandas, polars, fastexcel, xlsxwriter"]).output().is_ok_and(|o| o.status.success())
    };
    if ready() {
        return Some(python);
    }
    eprintln!("setting up {} for the peers", venv.display());
    let made = Command::new("python3").arg("-m").arg("venv").arg(&venv).output();
    let installed = made.and_then(|_| {
        Command::new(venv.join("bin/pip")).args(["install", "-q", "openpyxl", "pandas", "polars", "fastexcel", "xlsxwriter"]).output()
    });
    match installed {
        Ok(out) if out.status.success() && ready() => Some(python),
        Ok(out) => {
            eprintln!("skipping the peers: pip install failed:\n{}", measure::tail(&String::from_utf8_lossy(&out.stderr), 10));
            None
        }
        Err(e) => {
            eprintln!("skipping the peers: cannot make the venv: {e}");
            None
        }
    }
}

/// One torimatome output folder: the book, with its manifest and rerun cache beside it,
/// and for a summary the records folder.
struct Output {
    dir: PathBuf,
    summary: bool,
    /// Keep a rerun cache (a hundred thousand files' is some 3 GB).
    cache: bool,
}

impl Output {
    fn book(&self) -> PathBuf {
        self.dir.join("book.xlsx")
    }

    fn manifest(&self) -> PathBuf {
        self.dir.join("book.manifest.json")
    }

    /// `torimatome run` of the full or the summary pipeline into this folder.
    fn run(&self, tools: &Tools, corpus: &Corpus, scratch: &Path) -> Result<Sample, String> {
        fs::create_dir_all(&self.dir).map_err(|e| format!("{}: {e}", self.dir.display()))?;
        let pipeline = if self.summary { &corpus.summary } else { &corpus.pipeline };
        let mut args: Vec<OsString> = vec!["run".into(), pipeline.into(), "--out".into(), self.book().into()];
        if self.summary {
            args.extend(["--records".into(), self.dir.join("records").into()]);
        }
        if !self.cache {
            args.push("--no-cache".into());
        }
        measure::run(&tools.torimatome, &args, scratch)
    }

    /// What a rerun must give again, byte for byte: the book and every file of the records
    /// folder (none for a full book), by path within the folder.
    fn outcome(&self) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
        let mut paths = vec![self.book()];
        if self.summary {
            files_under(&self.dir.join("records"), &mut paths)?;
            if paths.len() == 1 {
                return Err(format!("{}: the summary run wrote no records", self.dir.display()));
            }
        }
        paths.sort();
        paths
            .into_iter()
            .map(|p| {
                let bytes = fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))?;
                Ok((p.strip_prefix(&self.dir).unwrap_or(&p).to_path_buf(), bytes))
            })
            .collect()
    }

    fn remove(&self) -> Result<(), String> {
        remove(&self.dir)
    }
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    for entry in fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.is_dir() {
            files_under(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// Deletes a run's output as soon as it is measured: a 100,000-file corpus leaves
/// gigabytes of books, caches and records otherwise.
fn remove(path: &Path) -> Result<(), String> {
    let removed = if path.is_dir() { fs::remove_dir_all(path) } else { fs::remove_file(path) };
    match removed {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(format!("{}: {e}", path.display())),
        _ => Ok(()),
    }
}

/// Every contender on one corpus, interleaved run by run so that drift hits all alike.
fn bench_size(args: &Args, tools: &Tools, corpus: &Corpus) -> Result<Row, String> {
    let files = corpus.files;
    let scratch = tempfile::tempdir_in(corpus.inbox.parent().unwrap_or(Path::new("."))).map_err(|e| format!("scratch dir: {e}"))?;
    let tmp = scratch.path();
    // Accept the plugins as built now: a lock left by an earlier build would refuse them.
    for pipeline in [&corpus.pipeline, &corpus.summary] {
        let locked = Command::new(&tools.torimatome).arg("lock").arg(pipeline).output().map_err(|e| format!("torimatome lock: {e}"))?;
        if !locked.status.success() {
            return Err(format!("torimatome lock {} failed:\n{}", pipeline.display(), String::from_utf8_lossy(&locked.stderr)));
        }
    }
    let full_due = files <= args.full_max;
    let floor_writes = corpus.sheet_rows() <= SHEET_ROWS;
    let polars = tools.python.as_ref().filter(|_| files <= args.polars_max);
    let mut samples: [Vec<Sample>; CONTENDERS.len()] = Default::default();
    let mut checks = Checks { rerun: full_due.then_some(true), resent: None, summary_resent: false, full: None, summary: (0, 0) };
    for run in 0..args.runs {
        eprintln!("{files} files, run {} of {}", run + 1, args.runs);
        let first = run == 0;
        let full = Output { dir: tmp.join(format!("full{run}")), summary: false, cache: true };
        let summary = Output { dir: tmp.join(format!("summary{run}")), summary: true, cache: true };
        if full_due {
            samples[Cold as usize].push(full.run(tools, corpus, tmp)?);
            if first {
                checks.full = Some(check_manifest(&full.manifest(), files, "full")?);
            }
            let cold = full.outcome()?;
            samples[Rerun as usize].push(full.run(tools, corpus, tmp)?);
            let same = full.outcome()? == cold;
            checks.rerun = checks.rerun.map(|all| all && same);
        }
        samples[Summary as usize].push(summary.run(tools, corpus, tmp)?);
        if first {
            checks.summary = check_manifest(&summary.manifest(), files, "summary")?;
        }

        let inbox = corpus.inbox.as_os_str();
        if floor_writes {
            let out = tmp.join("floor.xlsx");
            samples[FloorWrite as usize].push(measure::run(&tools.floor, &[inbox, OsStr::new("--write"), out.as_os_str()], tmp)?);
            remove(&out)?;
        }
        samples[FloorRead as usize].push(measure::run(&tools.floor, &[inbox], tmp)?);
        if let Some(python) = polars {
            samples[Polars as usize].push(peer(python, &tools.peers.join("peer_polars.py"), corpus, tmp)?);
        }

        let resent = corpus.resend_first()?;
        if full_due {
            samples[Resent as usize].push(full.run(tools, corpus, tmp)?);
        }
        samples[SummaryResent as usize].push(summary.run(tools, corpus, tmp)?);
        // The check costs a cold run of each: once is enough, the outcome does not drift.
        if first {
            if full_due {
                checks.resent = Some(same_as_cold(&full, tools, corpus, tmp)?);
            }
            checks.summary_resent = same_as_cold(&summary, tools, corpus, tmp)?;
        }
        resent.restore()?;
        full.remove()?;
        summary.remove()?;
    }
    if let Some(python) = tools.python.as_ref().filter(|_| !args.skip_pandas && files <= PANDAS_MAX_FILES) {
        samples[Pandas as usize].push(peer(python, &tools.peers.join("peer_pandas.py"), corpus, tmp)?);
    }
    let read = samples[FloorRead as usize].first().map(|s| s.stdout.clone()).unwrap_or_default();
    Ok(Row {
        files,
        cells: read.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0),
        stats: CONTENDERS.map(|c| Stat::of(&samples[c as usize])),
        checks,
    })
}

/// Whether a rerun's outcome is what a cold run on the same inbox gives, in a fresh folder
/// beside it (deleted after). That run keeps no cache: it is never rerun, and two caches of
/// a large corpus at once would crowd the disk.
fn same_as_cold(rerun: &Output, tools: &Tools, corpus: &Corpus, tmp: &Path) -> Result<bool, String> {
    let cold = Output { dir: rerun.dir.with_extension("cold"), summary: rerun.summary, cache: false };
    cold.run(tools, corpus, tmp)?;
    let same = cold.outcome()? == rerun.outcome()?;
    cold.remove()?;
    if !same {
        eprintln!("  {}: the rerun with one file changed differs from a cold run", rerun.dir.display());
    }
    Ok(same)
}

/// One peer script run; the files it skipped (its "skip" lines) are printed, since a peer
/// that skips files does less work than the others.
fn peer(python: &Path, script: &Path, corpus: &Corpus, tmp: &Path) -> Result<Sample, String> {
    let out = tmp.join("peer.xlsx");
    let sample = measure::run(python, &[script.as_os_str(), corpus.inbox.as_os_str(), out.as_os_str()], tmp)?;
    remove(&out)?;
    let skipped: Vec<&str> = sample.stderr.lines().filter(|l| l.starts_with("skip")).collect();
    let name = script.file_stem().unwrap_or_default().to_string_lossy();
    eprintln!("  {name}: {} ({} files skipped){}", sample.stdout.trim(), skipped.len(), skipped.first().map(|l| format!(", first: {l}")).unwrap_or_default());
    Ok(sample)
}

/// Files consolidated and problems listed, from a cold run's manifest; every file not
/// consolidated is named, since the corpus is meant to consolidate whole.
fn check_manifest(path: &Path, files: usize, book: &str) -> Result<(u64, u64), String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let manifest: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let inputs = manifest["inputs"].as_array().ok_or_else(|| format!("{}: no inputs", path.display()))?;
    let set_aside: Vec<&serde_json::Value> = inputs.iter().filter(|i| i["outcome"] != "consolidated").collect();
    let problems = manifest["counts"]["problems"].as_u64().unwrap_or(0);
    let consolidated = (inputs.len() - set_aside.len()) as u64;
    eprintln!("  torimatome {book}: {consolidated} of {files} files consolidated, {problems} problems");
    for input in set_aside.iter().take(5) {
        eprintln!("    not consolidated: {} ({}: {})", input["name"], input["outcome"], input["reason"]);
    }
    Ok((consolidated, problems))
}

/// The checks that failed, by size: said after the report, and the exit status says so.
fn failed_checks(rows: &[Row]) -> Vec<String> {
    let mut failed = Vec::new();
    for r in rows {
        let c = &r.checks;
        let whole = |counts: Option<(u64, u64)>| counts.is_none_or(|(n, problems)| n == r.files as u64 && problems == 0);
        for (ok, what) in [
            (c.rerun != Some(false), "a rerun's book differs from the cold one"),
            (c.resent != Some(false), "the one-changed rerun's book differs from a cold run's"),
            (c.summary_resent, "the summary's one-changed rerun differs from a cold run's"),
            (whole(c.full), "the full run did not consolidate every file cleanly"),
            (whole(Some(c.summary)), "the summary run did not consolidate every file cleanly"),
        ] {
            if !ok {
                failed.push(format!("{} files: {what}", r.files));
            }
        }
    }
    failed
}

fn report(args: &Args, rows: &[Row], written: &[(usize, f64)]) -> String {
    let mut md = String::new();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let _ = writeln!(md, "## Speed and scale: layout-A corpus, 60 indicator rows per file\n");
    let _ = writeln!(
        md,
        "{cores} cores; median of {} runs (pandas: one run); peak RSS the largest of the runs. \
         \"one changed\": the first file resent with other values, rerun into the same folder. \
         The full book up to {} files, polars up to {}, pandas up to {PANDAS_MAX_FILES}, floor read+write while one sheet holds the cells; — where a contender did not run.\n",
        args.runs, args.full_max, args.polars_max
    );
    let table = |md: &mut String, title: &str, cell: &dyn Fn(&Row, Contender) -> String| {
        let _ = writeln!(md, "{title}\n\n| files | {} |", CONTENDERS.map(Contender::name).join(" | "));
        let _ = writeln!(md, "|---:|{}", "---:|".repeat(CONTENDERS.len()));
        for r in rows {
            let _ = writeln!(md, "| {} | {} |", r.files, CONTENDERS.map(|c| cell(r, c)).join(" | "));
        }
        md.push('\n');
    };
    table(&mut md, "Wall time (s)", &|r, c| fixed(r.seconds(c), 2));
    table(&mut md, "Per file (ms)", &|r, c| fixed(r.ms_per_file(c), 2));
    table(&mut md, "Peak RSS (MiB)", &|r, c| fixed(r.stats[c as usize].map(|s| s.rss_mib), 0));

    md.push_str("Ratios of wall time\n\n| files | cells | cold / floor read+write | summary / floor read+write | summary / floor read | rerun / cold | one changed / cold | summary one changed / summary cold | polars / cold | pandas / cold |\n");
    md.push_str("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for r in rows {
        let q = |a: Contender, b: Contender| ratio(r.seconds(a), r.seconds(b));
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.files,
            r.cells,
            q(Cold, FloorWrite),
            q(Summary, FloorWrite),
            q(Summary, FloorRead),
            q(Rerun, Cold),
            q(Resent, Cold),
            q(SummaryResent, Summary),
            q(Polars, Cold),
            q(Pandas, Cold)
        );
    }
    if rows.len() > 1 {
        md.push_str(&scaling(rows));
    }

    md.push_str("\nChecks: books (and the summary's records) byte-identical to a cold run's on the same inbox; the first cold run's manifest\n\n");
    md.push_str("| files | rerun identical | one changed identical | summary one changed identical | full: consolidated, problems | summary: consolidated, problems |\n");
    md.push_str("|---:|:---:|:---:|:---:|---:|---:|\n");
    for r in rows {
        let c = &r.checks;
        let counts = |n: Option<(u64, u64)>| n.map_or("—".into(), |(n, p)| format!("{n}, {p}"));
        let _ = writeln!(md, "| {} | {} | {} | {} | {} | {} |", r.files, yes(c.rerun), yes(c.resent), yes(Some(c.summary_resent)), counts(c.full), counts(Some(c.summary)));
    }
    if !written.is_empty() {
        md.push_str("\nCorpora written in this run: ");
        let list: Vec<String> = written.iter().map(|&(files, s)| format!("{files} files in {s:.1} s ({:.0} files/s)", files as f64 / s)).collect();
        md.push_str(&list.join(", "));
        md.push('\n');
    }
    md
}

/// Per-file cost by corpus size against the smallest size, and the marginal cost of the
/// files added since the previous size (which leaves out the fixed start-up cost): flat
/// means linear scaling. Then issue 18's mark for the summary at the largest size.
fn scaling(rows: &[Row]) -> String {
    let (small, large) = (&rows[0], &rows[rows.len() - 1]);
    let mut md = format!(
        "\nScaling (ms per file)\n\n| files | summary | summary / at {} files | marginal summary | torimatome cold | marginal cold | floor read |\n|---:|---:|---:|---:|---:|---:|---:|\n",
        small.files
    );
    for (i, r) in rows.iter().enumerate() {
        let marginal = |c: Contender| match i.checked_sub(1).map(|p| &rows[p]) {
            Some(prev) if r.files > prev.files => {
                let added = r.seconds(c).zip(prev.seconds(c)).map(|(now, before)| 1000.0 * (now - before) / (r.files - prev.files) as f64);
                fixed(added, 2)
            }
            _ => "—".into(),
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} |",
            r.files,
            fixed(r.ms_per_file(Summary), 2),
            ratio(r.ms_per_file(Summary), small.ms_per_file(Summary)),
            marginal(Summary),
            fixed(r.ms_per_file(Cold), 2),
            marginal(Cold),
            fixed(r.ms_per_file(FloorRead), 2),
        );
    }
    if let (Some(rss), Some(per_file)) = (large.stats[Summary as usize].map(|s| s.rss_mib), ratio_of(large.ms_per_file(Summary), small.ms_per_file(Summary))) {
        let _ = writeln!(
            md,
            "\nIssue 18's mark, summary + Parquet at {} files: peak RSS {rss:.0} MiB (under 2,048: {}); {per_file:.2} × the ms per file at {} files (within 1.20: {}).",
            large.files,
            if rss < 2048.0 { "yes" } else { "NO" },
            small.files,
            if per_file <= 1.2 { "yes" } else { "NO" },
        );
    }
    md
}

fn fixed(x: Option<f64>, decimals: usize) -> String {
    x.map_or("—".into(), |x| format!("{x:.decimals$}"))
}

fn ratio_of(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    a.zip(b.filter(|&b| b > 0.0)).map(|(a, b)| a / b)
}

fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    fixed(ratio_of(a, b), 2)
}

fn yes(check: Option<bool>) -> String {
    check.map_or("—", |ok| if ok { "yes" } else { "NO" }).into()
}
