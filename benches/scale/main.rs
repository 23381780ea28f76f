//! Speed and scale (issue 5): torimatome against the floor and the Python peers, side by
//! side in one run, on a generated corpus of layout-A workbooks.
//!
//! `cargo bench --bench scale -- [--files 100,1000,10000] [--runs 3] [--skip-peers] [--skip-pandas]`
//!
//! Per corpus size, each contender runs `--runs` times as a child process (median wall
//! time, largest peak RSS; see `measure`): torimatome cold (a fresh output folder), the
//! rerun right after it on the same inputs (its book must be byte-identical), the floor
//! (`../shared/bench/floor`: calamine read + rust_xlsxwriter write, no logic) and the
//! polars + fastexcel peer; pandas + openpyxl once only (it is slow), and by default not
//! above 1,000 files. The OS file cache is warm for everyone: "cold" means no earlier
//! torimatome output, not a cold disk. Times are reported, never asserted; only a run
//! that fails, or books that differ, say something is wrong. The table goes to stdout
//! and to `target/bench-corpus/results.md`.

mod corpus;
mod measure;

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{exit, Command};

use measure::{Sample, Stat};

/// pandas takes about 87 s per 1,000 files: above this it runs only when asked by size.
const PANDAS_MAX_FILES: usize = 1_000;

struct Args {
    files: Vec<usize>,
    runs: usize,
    skip_peers: bool,
    skip_pandas: bool,
}

/// The programs under test and where they live.
struct Tools {
    torimatome: PathBuf,
    floor: PathBuf,
    /// The venv's python with the peers' packages, unless the peers are skipped.
    python: Option<PathBuf>,
    peers: PathBuf,
}

/// One corpus size's results.
struct Row {
    files: usize,
    cells: u64,
    cold: Stat,
    rerun: Stat,
    identical: bool,
    floor: Stat,
    polars: Option<Stat>,
    pandas: Option<Stat>,
    /// What torimatome's manifest says: files consolidated, problems listed.
    consolidated: u64,
    problems: u64,
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
    for &files in &args.files {
        let corpus = corpus::prepare(repo, &target, files)?;
        rows.push(bench_size(&args, &tools, &corpus, files)?);
    }
    let report = report(&args, &rows);
    println!("\n{report}");
    let results = target.join("bench-corpus/results.md");
    fs::write(&results, &report).map_err(|e| format!("{}: {e}", results.display()))?;
    eprintln!("written to {}", results.display());
    Ok(())
}

/// `--files 100,1000`, `--runs 3`, `--skip-peers`, `--skip-pandas`; cargo adds `--bench`.
fn parse_args() -> Result<Args, String> {
    let mut args = Args { files: vec![1_000], runs: 3, skip_peers: false, skip_pandas: false };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--files" => {
                let list = it.next().ok_or("--files needs a list such as 100,1000")?;
                args.files = list.split(',').map(|n| n.trim().parse().map_err(|_| format!("--files: `{n}` is not a count"))).collect::<Result<_, _>>()?;
            }
            "--runs" => args.runs = it.next().and_then(|n| n.parse().ok()).filter(|&n| n > 0).ok_or("--runs needs a count above 0")?,
            "--skip-peers" => args.skip_peers = true,
            "--skip-pandas" => args.skip_pandas = true,
            "--bench" => {}
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(args)
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

/// Every contender on one corpus, interleaved run by run so that drift hits all alike.
fn bench_size(args: &Args, tools: &Tools, corpus: &corpus::Corpus, files: usize) -> Result<Row, String> {
    let scratch = tempfile::tempdir_in(corpus.inbox.parent().unwrap_or(Path::new("."))).map_err(|e| format!("scratch dir: {e}"))?;
    let tmp = scratch.path();
    // Accept the plugins as built now: a lock left by an earlier build would refuse them.
    let locked = Command::new(&tools.torimatome).arg("lock").arg(&corpus.pipeline).output().map_err(|e| format!("torimatome lock: {e}"))?;
    if !locked.status.success() {
        return Err(format!("torimatome lock failed:\n{}", String::from_utf8_lossy(&locked.stderr)));
    }
    let (mut cold, mut rerun, mut floor, mut polars) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut identical = true;
    for run in 0..args.runs {
        eprintln!("{files} files, run {} of {}", run + 1, args.runs);
        let book = tmp.join(format!("run{run}/book.xlsx"));
        fs::create_dir_all(tmp.join(format!("run{run}"))).map_err(|e| e.to_string())?;
        let run_args = [OsStr::new("run"), corpus.pipeline.as_os_str(), OsStr::new("--out"), book.as_os_str()];
        cold.push(measure::run(&tools.torimatome, &run_args, tmp)?);
        let first = fs::read(&book).map_err(|e| format!("{}: {e}", book.display()))?;
        rerun.push(measure::run(&tools.torimatome, &run_args, tmp)?);
        identical &= fs::read(&book).map_err(|e| e.to_string())? == first;

        let out = tmp.join("floor.xlsx");
        floor.push(measure::run(&tools.floor, &[corpus.inbox.as_os_str(), OsStr::new("--write"), out.as_os_str()], tmp)?);
        if let Some(python) = &tools.python {
            polars.push(peer(python, &tools.peers.join("peer_polars.py"), corpus, tmp)?);
        }
    }
    let pandas_due = !args.skip_pandas && files <= PANDAS_MAX_FILES;
    let pandas = match &tools.python {
        Some(python) if pandas_due => Some(peer(python, &tools.peers.join("peer_pandas.py"), corpus, tmp)?),
        _ => None,
    };
    let (consolidated, problems) = check_manifest(&tmp.join("run0/book.manifest.json"), files)?;
    Ok(Row {
        files,
        cells: floor[0].stdout.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0),
        cold: Stat::of(&cold).unwrap_or_default(),
        rerun: Stat::of(&rerun).unwrap_or_default(),
        identical,
        floor: Stat::of(&floor).unwrap_or_default(),
        polars: Stat::of(&polars),
        pandas: pandas.map(|s| Stat::of(&[s]).unwrap_or_default()),
        consolidated,
        problems,
    })
}

/// One peer script run; the files it skipped (its "skip" lines) are printed, since a peer
/// that skips files does less work than the others.
fn peer(python: &Path, script: &Path, corpus: &corpus::Corpus, tmp: &Path) -> Result<Sample, String> {
    let out = tmp.join("peer.xlsx");
    let sample = measure::run(python, &[script.as_os_str(), corpus.inbox.as_os_str(), out.as_os_str()], tmp)?;
    let skipped: Vec<&str> = sample.stderr.lines().filter(|l| l.starts_with("skip")).collect();
    let name = script.file_stem().unwrap_or_default().to_string_lossy();
    eprintln!("  {name}: {} ({} files skipped){}", sample.stdout.trim(), skipped.len(), skipped.first().map(|l| format!(", first: {l}")).unwrap_or_default());
    Ok(sample)
}

/// Files consolidated and problems listed, from the manifest of the first cold run; every
/// file not consolidated is named, since the corpus is meant to consolidate whole.
fn check_manifest(path: &Path, files: usize) -> Result<(u64, u64), String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let manifest: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let inputs = manifest["inputs"].as_array().cloned().unwrap_or_default();
    let set_aside: Vec<&serde_json::Value> = inputs.iter().filter(|i| i["outcome"] != "consolidated").collect();
    let problems = manifest["counts"]["problems"].as_u64().unwrap_or(0);
    let consolidated = (inputs.len() - set_aside.len()) as u64;
    eprintln!("  torimatome: {consolidated} of {files} files consolidated, {problems} problems");
    for input in set_aside.iter().take(5) {
        eprintln!("    not consolidated: {} ({}: {})", input["name"], input["outcome"], input["reason"]);
    }
    Ok((consolidated, problems))
}

fn report(args: &Args, rows: &[Row]) -> String {
    let mut md = String::new();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let _ = writeln!(md, "## Speed and scale: layout-A corpus, 60 indicator rows per file\n");
    let _ = writeln!(md, "{cores} cores; median of {} runs (pandas: one run), seconds of wall time; peak RSS the largest of the runs.\n", args.runs);
    md.push_str("| files | cells | torimatome cold | rerun | floor | polars+fastexcel | pandas+openpyxl | torimatome/floor | polars/torimatome | pandas/torimatome | rerun/cold | torimatome ms/file | books identical | consolidated | problems |\n");
    md.push_str("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|---:|---:|\n");
    for r in rows {
        let polars = r.polars.map(|s| s.seconds);
        let pandas = r.pandas.map(|s| s.seconds);
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.2} | {} | {} | {} |",
            r.files,
            r.cells,
            secs(Some(r.cold.seconds)),
            secs(Some(r.rerun.seconds)),
            secs(Some(r.floor.seconds)),
            secs(polars),
            secs(pandas),
            ratio(Some(r.cold.seconds), r.floor.seconds),
            ratio(polars, r.cold.seconds),
            ratio(pandas, r.cold.seconds),
            ratio(Some(r.rerun.seconds), r.cold.seconds),
            1000.0 * r.cold.seconds / r.files as f64,
            if r.identical { "yes" } else { "NO" },
            r.consolidated,
            r.problems,
        );
    }
    md.push_str("\nPeak RSS (MiB)\n\n| files | torimatome cold | rerun | floor | polars+fastexcel | pandas+openpyxl |\n|---:|---:|---:|---:|---:|---:|\n");
    for r in rows {
        let mib = |s: Option<Stat>| s.map_or("—".to_string(), |s| format!("{:.0}", s.rss_mib));
        let _ = writeln!(md, "| {} | {} | {} | {} | {} | {} |", r.files, mib(Some(r.cold)), mib(Some(r.rerun)), mib(Some(r.floor)), mib(r.polars), mib(r.pandas));
    }
    if rows.len() > 1 {
        md.push_str(&cost_curve(rows));
    }
    md
}

/// Per-file cost by corpus size, and the marginal cost of the files added since the previous
/// size (which leaves out the fixed start-up cost): flat means linear scaling.
fn cost_curve(rows: &[Row]) -> String {
    let mut md = String::from("\nPer-file cost (ms per file)\n\n| files | torimatome | marginal torimatome | floor | polars+fastexcel |\n|---:|---:|---:|---:|---:|\n");
    for (i, r) in rows.iter().enumerate() {
        let per_file = |s: f64| format!("{:.2}", 1000.0 * s / r.files as f64);
        let marginal = match i.checked_sub(1).map(|p| &rows[p]) {
            Some(prev) if r.files > prev.files => format!("{:.2}", 1000.0 * (r.cold.seconds - prev.cold.seconds) / (r.files - prev.files) as f64),
            _ => "—".into(),
        };
        let polars = r.polars.map_or("—".into(), |s| per_file(s.seconds));
        let _ = writeln!(md, "| {} | {} | {} | {} | {} |", r.files, per_file(r.cold.seconds), marginal, per_file(r.floor.seconds), polars);
    }
    md
}

fn secs(s: Option<f64>) -> String {
    s.map_or("—".into(), |s| format!("{s:.2}"))
}

fn ratio(a: Option<f64>, b: f64) -> String {
    a.filter(|_| b > 0.0).map_or("—".into(), |a| format!("{:.2}", a / b))
}
