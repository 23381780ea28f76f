//! The command line: `validate` and `run`. Only this file draws progress (indicatif) and
//! decides exit codes.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use torimatome::model::{Consolidation, Outcome};
use torimatome::pipeline;
use torimatome::run::{self, Events, Paths};

/// A run allocates millions of small strings on two threads at once; glibc's malloc spent a
/// tenth of a 1,000-file run, mimalloc half that (1.35 → 1.25 s), and it hands freed memory
/// back to the system on its own.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "torimatome", version, about = "進捗報告の取りまとめ: consolidate department progress reports into one book")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a pipeline file and list every problem with its line and column.
    Validate { pipeline: PathBuf },
    /// Read the inbox and write the progress book.
    Run {
        pipeline: PathBuf,
        /// Read this folder instead of the pipeline's inbox.
        #[arg(long)]
        inbox: Option<PathBuf>,
        /// Write the book here instead of the pipeline's output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Also write every consolidated value to this CSV file.
        #[arg(long)]
        records: Option<PathBuf>,
        /// Exit non-zero when the book lists any problem.
        #[arg(long)]
        strict: bool,
        /// Read every file afresh: neither use nor keep the rerun cache (a hidden
        /// .torimatome-cache folder beside the book, keyed by content).
        #[arg(long)]
        no_cache: bool,
    },
    /// Rerun from a manifest (or a book beside its manifest) and say what differs.
    Verify {
        manifest: PathBuf,
        /// Read this copy of the inbox instead of the one the manifest names.
        #[arg(long)]
        inbox: Option<PathBuf>,
    },
    /// Pin the pipeline's plugins as they are now, accepting a deliberate update.
    Lock { pipeline: PathBuf },
}

/// Exit codes of `run`: 0 book written; 1 book written but problems listed under --strict;
/// 2 the pipeline is invalid; 3 no book could be written. `verify`: 0 identical, else the
/// sum of 1 inputs changed, 2 pipeline or plugins changed, 4 book differs; 8 cannot verify.
const EXIT_PROBLEMS: u8 = 1;
const EXIT_PIPELINE: u8 = 2;
const EXIT_NO_BOOK: u8 = 3;
const EXIT_CANNOT_VERIFY: u8 = 8;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Verify { manifest, inbox } => verify(&manifest, inbox.as_deref()),
        Command::Lock { pipeline } => lock(&pipeline),
        Command::Validate { pipeline } => match pipeline::load(&pipeline) {
            Ok(p) => {
                println!("{}: OK ({}, {} layouts, steps: {})", pipeline.display(), p.name, p.layouts.len(), p.normalizer.step_names().join(", "));
                ExitCode::SUCCESS
            }
            Err(errors) => report_config_errors(&errors),
        },
        Command::Run { pipeline, inbox, out, records, strict, no_cache } => {
            let p = match pipeline::load(&pipeline) {
                Ok(p) => p,
                Err(errors) => return report_config_errors(&errors),
            };
            // The first run pins the plugins it loaded; later runs are held to those pins.
            match pipeline::lock::write(&pipeline, &p.plugins, true) {
                Ok(true) => eprintln!("pinned the plugins in {}", pipeline::lock::path_for(&pipeline).display()),
                Ok(false) => {}
                Err(e) => eprintln!("warning: {e}"),
            }
            let events = Progress::new();
            match run::run(&p, &Paths { inbox, out, records, cache: !no_cache }, &events) {
                Ok(report) => {
                    println!("{}", summary(&report.consolidation, &report.book.display().to_string()));
                    let code = if strict && !report.consolidation.problems.is_empty() {
                        ExitCode::from(EXIT_PROBLEMS)
                    } else {
                        ExitCode::SUCCESS
                    };
                    // The process ends here: freeing a prefecture's rows one by one would
                    // only add a tenth of a second before the OS takes the memory back.
                    std::mem::forget(report);
                    code
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(EXIT_NO_BOOK)
                }
            }
        }
    }
}

fn verify(manifest: &std::path::Path, inbox: Option<&std::path::Path>) -> ExitCode {
    match torimatome::verify::verify(&torimatome::verify::manifest_of(manifest), inbox) {
        Ok(verdict) => {
            for line in &verdict.lines {
                println!("{line}");
            }
            ExitCode::from(verdict.exit_code())
        }
        Err(e) => {
            eprintln!("cannot verify: {e}");
            ExitCode::from(EXIT_CANNOT_VERIFY)
        }
    }
}

fn lock(path: &std::path::Path) -> ExitCode {
    match pipeline::load_unpinned(path) {
        Ok(p) => match pipeline::lock::write(path, &p.plugins, false) {
            Ok(_) => {
                for plugin in &p.plugins {
                    println!("{} {} {}", plugin.description.name, plugin.description.version, plugin.sha256);
                }
                println!("pinned in {}", pipeline::lock::path_for(path).display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(EXIT_NO_BOOK)
            }
        },
        Err(errors) => report_config_errors(&errors),
    }
}

fn report_config_errors(errors: &[pipeline::ConfigError]) -> ExitCode {
    for e in errors {
        eprintln!("{e}");
    }
    eprintln!("{} problem(s) in the pipeline", errors.len());
    ExitCode::from(EXIT_PIPELINE)
}

/// One line that says what went in and what came out; the numbers add up.
fn summary(c: &Consolidation, book: &str) -> String {
    let count = |f: fn(&Outcome) -> bool| c.files.iter().filter(|x| f(&x.outcome)).count();
    format!(
        "{book}: {} files ({} consolidated, {} superseded, {} ignored, {} errors); rows read {} = consolidated {} + set aside {}; {} problems; departments {}/{} submitted, {} failed, {} missing",
        c.files.len(),
        count(|o| *o == Outcome::Consolidated),
        count(|o| matches!(o, Outcome::Superseded { .. })),
        count(|o| matches!(o, Outcome::Ignored(_))),
        count(|o| matches!(o, Outcome::Error(_))),
        c.rows_read(),
        c.rows_consolidated(),
        c.rows_set_aside(),
        c.problems.len(),
        c.submitted().len(),
        c.roster.len(),
        c.failed().len(),
        c.missing().len(),
    )
}

/// A progress bar on a terminal, plain lines otherwise (CI logs, redirected output).
struct Progress {
    bar: Option<ProgressBar>,
    /// Without a terminal: each file's line, printed in name order once all are read
    /// (files finish in whatever order the threads take them; a log should not).
    lines: std::sync::Mutex<Vec<(String, String)>>,
}

impl Progress {
    fn new() -> Progress {
        Progress { bar: std::io::stderr().is_terminal().then(ProgressBar::hidden), lines: std::sync::Mutex::default() }
    }
}

impl Events for Progress {
    fn started(&self, files: usize) {
        match &self.bar {
            Some(bar) => {
                bar.set_length(files as u64);
                bar.set_style(
                    ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {wide_msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
            None => eprintln!("reading {files} files"),
        }
    }

    fn file_done(&self, name: &str, outcome: Option<&Outcome>) {
        let note = outcome.map(|o| format!(" — {}", o.reason())).unwrap_or_default();
        match &self.bar {
            Some(bar) => {
                // Files that do not count are worth a line of their own above the bar.
                if outcome.is_some() {
                    bar.println(format!("  {name}{note}"));
                }
                bar.set_message(name.to_string());
                bar.inc(1);
            }
            None => {
                if let Ok(mut lines) = self.lines.lock() {
                    lines.push((name.to_string(), format!("  {name}{note}")));
                }
            }
        }
    }

    fn finished(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        if let Ok(mut lines) = self.lines.lock() {
            lines.sort();
            for (_, line) in lines.drain(..) {
                eprintln!("{line}");
            }
        }
    }
}
