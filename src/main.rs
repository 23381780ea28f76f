//! The command line: `validate` and `run`. Only this file draws progress (indicatif) and
//! decides exit codes.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Arg, ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use torimatome::messages::{self, Lang};
use torimatome::model::{Consolidation, Outcome};
use torimatome::pipeline;
use torimatome::run::{self, Events, Paths};

/// A run allocates millions of small strings on two threads at once; glibc's malloc spent a
/// tenth of a 1,000-file run, mimalloc half that (1.35 → 1.25 s), and it hands freed memory
/// back to the system on its own.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

// Every help text below is an id of the catalogue, worded in the chosen language by
// `localized` before the arguments are parsed.
#[derive(Parser)]
#[command(name = "torimatome", version, about = "cli-about")]
struct Cli {
    /// `ja` or `en`; by default the system's language (LANGUAGE, LC_ALL, LC_MESSAGES, LANG
    /// on Unix; the user's language on Windows and macOS).
    #[arg(long, global = true, value_name = "ja|en", value_parser = ["ja", "en"], hide_possible_values = true, help = "cli-lang")]
    lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    #[command(about = "cli-validate")]
    Validate {
        #[arg(help = "cli-pipeline")]
        pipeline: PathBuf,
    },
    #[command(about = "cli-run")]
    Run {
        #[arg(help = "cli-pipeline")]
        pipeline: PathBuf,
        #[arg(long, help = "cli-run-feedback")]
        feedback: Option<PathBuf>,
        #[arg(long, help = "cli-run-inbox")]
        inbox: Option<PathBuf>,
        #[arg(long, help = "cli-run-out")]
        out: Option<PathBuf>,
        #[arg(long, help = "cli-run-records")]
        records: Option<PathBuf>,
        #[arg(long, help = "cli-run-strict")]
        strict: bool,
        #[arg(long, help = "cli-run-no-cache")]
        no_cache: bool,
        #[arg(long, help = "cli-run-open")]
        open: bool,
        #[arg(long, help = "cli-run-previous")]
        previous: Option<PathBuf>,
    },
    #[command(about = "cli-verify")]
    Verify {
        #[arg(help = "cli-verify-manifest")]
        manifest: PathBuf,
        #[arg(long, help = "cli-verify-inbox")]
        inbox: Option<PathBuf>,
    },
    #[command(about = "cli-lock")]
    Lock {
        #[arg(help = "cli-pipeline")]
        pipeline: PathBuf,
    },
    #[command(about = "cli-inspect")]
    Inspect {
        #[arg(required = true, help = "cli-inspect-files")]
        files: Vec<PathBuf>,
        #[arg(long, help = "cli-inspect-json")]
        json: bool,
    },
    #[command(about = "cli-guess")]
    Guess {
        #[arg(help = "cli-guess-inbox")]
        inbox: PathBuf,
        #[arg(long, help = "cli-guess-roster")]
        roster: Option<PathBuf>,
        #[arg(short = 'o', long = "out", help = "cli-guess-out")]
        out: Option<PathBuf>,
        #[arg(long = "plugins", help = "cli-guess-plugins")]
        plugins: Vec<PathBuf>,
    },
    #[command(about = "cli-preview")]
    Preview {
        #[arg(help = "cli-pipeline")]
        pipeline: PathBuf,
    },
    #[command(about = "cli-template")]
    Template {
        #[arg(help = "cli-pipeline")]
        pipeline: PathBuf,
        #[arg(short = 'o', long = "out", help = "cli-template-out")]
        out: PathBuf,
        #[arg(long, help = "cli-template-previous")]
        previous: Option<PathBuf>,
        #[arg(long, help = "cli-template-period")]
        period: Option<String>,
    },
}

/// The language of the command line: `--lang` if given (read before clap parses, since
/// the help itself is in it), else the system's.
fn language(args: &[std::ffi::OsString]) -> Lang {
    let given = args.iter().zip(args.iter().skip(1).map(Some).chain([None])).find_map(|(arg, next)| {
        let arg = arg.to_str()?;
        match arg.strip_prefix("--lang") {
            Some("") => next.and_then(|n| Lang::parse(n.to_str()?)),
            Some(rest) => Lang::parse(rest.strip_prefix('=')?),
            None => None,
        }
    });
    given.unwrap_or_else(|| sys_locale::get_locale().map(|l| Lang::of_locale(&l)).unwrap_or(Lang::En))
}

/// The command with every about and help text worded in `lang`, headings included; the
/// help and version flags are made here so that their texts are too.
fn localized(mut cmd: clap::Command, lang: Lang, root: bool) -> clap::Command {
    let t = |id: &str| messages::text(lang, id, &[]);
    if let Some(about) = cmd.get_about().map(ToString::to_string) {
        cmd = cmd.about(t(&about));
    }
    let ids: Vec<String> = cmd.get_arguments().map(|a| a.get_id().to_string()).collect();
    for id in ids {
        cmd = cmd.mut_arg(id, |a| {
            let help = a.get_help().map(|h| t(&h.to_string()));
            let heading = t(if a.is_positional() { "cli-arguments" } else { "cli-options" });
            let a = a.help_heading(heading);
            match help {
                Some(help) => a.help(help),
                None => a,
            }
        });
    }
    let names: Vec<String> = cmd.get_subcommands().map(|c| c.get_name().to_string()).collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, |c| localized(c, lang, false));
    }
    cmd = cmd
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .arg(Arg::new("help").short('h').long("help").action(ArgAction::Help).help(t("cli-help")).help_heading(t("cli-options")))
        .subcommand_help_heading(t("cli-commands"))
        .help_template(format!("{{about-with-newline}}\n{}: {{usage}}\n\n{{all-args}}{{after-help}}", t("cli-usage")));
    if root {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version").short('V').long("version").action(ArgAction::Version).help(t("cli-version")).help_heading(t("cli-options")),
        );
    }
    cmd
}

/// Exit codes of `run`: 0 book written; 1 book written but problems listed under --strict;
/// 2 the pipeline is invalid; 3 no book could be written. `verify`: 0 identical, else the
/// sum of 1 inputs changed, 2 pipeline or plugins changed, 4 book differs; 8 cannot verify.
const EXIT_PROBLEMS: u8 = 1;
const EXIT_PIPELINE: u8 = 2;
const EXIT_NO_BOOK: u8 = 3;
const EXIT_CANNOT_VERIFY: u8 = 8;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = language(&args);
    let cli = localized(Cli::command(), lang, true)
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m))
        .unwrap_or_else(|e| e.exit());
    let say = |id: &str, message: String| messages::text(lang, id, &[("message", message.into())]);
    match cli.command {
        Command::Verify { manifest, inbox } => verify(&manifest, inbox.as_deref(), lang),
        Command::Lock { pipeline } => lock(&pipeline, lang),
        Command::Inspect { files, json } => inspect(&files, json, lang),
        Command::Guess { inbox, roster, out, plugins } => guess(&inbox, roster.as_deref(), out.as_deref(), &plugins, lang),
        Command::Preview { pipeline } => preview(&pipeline, lang),
        Command::Template { pipeline, out, previous, period } => template(&pipeline, &out, previous.as_deref(), period.as_deref(), lang),
        Command::Validate { pipeline } => match pipeline::load(&pipeline) {
            Ok(p) => {
                let steps = p.normalizer.step_names().join(", ");
                let args = [
                    ("path", pipeline.display().to_string().into()),
                    ("name", p.name.as_str().into()),
                    ("layouts", p.layouts.len().into()),
                    ("steps", steps.into()),
                ];
                println!("{}", messages::text(lang, "validate-ok", &args));
                ExitCode::SUCCESS
            }
            Err(errors) => report_config_errors(&errors, lang),
        },
        Command::Run { pipeline, feedback, inbox, out, records, strict, no_cache, open, previous } => {
            let mut p = match pipeline::load(&pipeline) {
                Ok(p) => p,
                Err(errors) => return report_config_errors(&errors, lang),
            };
            if previous.is_some() {
                p.previous = previous;
            }
            // The first run pins the plugins it loaded; later runs are held to those pins.
            match pipeline::lock::write(&pipeline, &p.plugins, true) {
                Ok(true) => {
                    let path = pipeline::lock::path_for(&pipeline).display().to_string();
                    eprintln!("{}", messages::text(lang, "pinned-plugins", &[("path", path.into())]));
                }
                Ok(false) => {}
                Err(e) => eprintln!("{}", say("warning", e.text(lang))),
            }
            // The feedback folder is checked before any file is read, as the book is.
            let inbox_dir = inbox.clone().unwrap_or_else(|| p.inbox.clone());
            if let Some(dir) = &feedback {
                if let Err(e) = torimatome::forms::check_feedback_dir(dir, &inbox_dir) {
                    eprintln!("{}", say("error", e.text(lang)));
                    return ExitCode::from(EXIT_NO_BOOK);
                }
            }
            let events = Progress::new(lang);
            match run::run(&p, &Paths { inbox, out, records, cache: !no_cache }, &events) {
                Ok(report) => {
                    println!("{}", summary(&report.consolidation, &report.book.display().to_string(), lang));
                    if let Some(dir) = &feedback {
                        match torimatome::forms::feedback(&p, &inbox_dir, &report.consolidation, dir) {
                            Ok(_) => {
                                let count = torimatome::forms::problems_by_department(&report.consolidation).len();
                                let args = [("count", count.into()), ("path", dir.display().to_string().into())];
                                eprintln!("{}", messages::text(lang, "feedback-written", &args));
                            }
                            Err(e) => eprintln!("{}", say("warning", e.text(lang))),
                        }
                    }
                    if open {
                        if let Err(why) = open_in_its_program(&report.book) {
                            let args = [("path", report.book.display().to_string().into()), ("why", why.to_string().into())];
                            eprintln!("{}", say("warning", messages::text(lang, "open-failed", &args)));
                        }
                    }
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
                    eprintln!("{}", say("error", e.text(lang)));
                    ExitCode::from(if e.is_config() { EXIT_PIPELINE } else { EXIT_NO_BOOK })
                }
            }
        }
    }
}

fn verify(manifest: &std::path::Path, inbox: Option<&std::path::Path>, lang: Lang) -> ExitCode {
    match torimatome::verify::verify(&torimatome::verify::manifest_of(manifest), inbox, lang) {
        Ok(verdict) => {
            for line in &verdict.lines {
                println!("{line}");
            }
            ExitCode::from(verdict.exit_code())
        }
        Err(e) => {
            eprintln!("{}", messages::text(lang, "cannot-verify", &[("message", e.into())]));
            ExitCode::from(EXIT_CANNOT_VERIFY)
        }
    }
}

fn lock(path: &std::path::Path, lang: Lang) -> ExitCode {
    match pipeline::load_unpinned(path) {
        Ok(p) => match pipeline::lock::write(path, &p.plugins, false) {
            Ok(_) => {
                for plugin in &p.plugins {
                    println!("{} {} {}", plugin.description.name, plugin.description.version, plugin.sha256);
                }
                let pinned = pipeline::lock::path_for(path).display().to_string();
                println!("{}", messages::text(lang, "pinned-in", &[("path", pinned.into())]));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{}", messages::text(lang, "error", &[("message", e.text(lang).into())]));
                ExitCode::from(EXIT_NO_BOOK)
            }
        },
        Err(errors) => report_config_errors(&errors, lang),
    }
}

/// `inspect`: what torimatome sees in each file, for a person or (`--json`) for tools.
fn inspect(files: &[PathBuf], json: bool, lang: Lang) -> ExitCode {
    let surveys = torimatome::explore::inspect(files, lang);
    if json {
        match serde_json::to_string_pretty(&surveys) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("{}", messages::text(lang, "error", &[("message", e.to_string().into())]));
                return ExitCode::from(EXIT_NO_BOOK);
            }
        }
    } else {
        print!("{}", torimatome::survey::render::text(&surveys, lang));
    }
    ExitCode::SUCCESS
}

/// `guess`: a pipeline for an inbox, written and validated; 2 when it does not validate.
fn guess(inbox: &std::path::Path, roster: Option<&std::path::Path>, out: Option<&std::path::Path>, plugins: &[PathBuf], lang: Lang) -> ExitCode {
    let plugins = (!plugins.is_empty()).then_some(plugins);
    match torimatome::explore::guess(inbox, roster, out, plugins, lang) {
        Ok(guessed) => {
            match &guessed.path {
                Some(path) => eprintln!("{}", messages::text(lang, "guess-written", &[("path", path.display().to_string().into())])),
                None => print!("{}", guessed.yaml),
            }
            if guessed.problems.is_empty() {
                return ExitCode::SUCCESS;
            }
            eprintln!("{}", messages::text(lang, "guess-invalid", &[]));
            report_config_errors(&guessed.problems, lang)
        }
        Err(torimatome::explore::ExploreError::Pipeline(errors)) => report_config_errors(&errors, lang),
        Err(torimatome::explore::ExploreError::Other(why)) => {
            eprintln!("{}", messages::text(lang, "error", &[("message", why.into())]));
            ExitCode::from(EXIT_NO_BOOK)
        }
    }
}

/// `template`: the next period's form for each department of the roster.
fn template(path: &std::path::Path, out: &std::path::Path, previous: Option<&std::path::Path>, period: Option<&str>, lang: Lang) -> ExitCode {
    let p = match pipeline::load(path) {
        Ok(p) => p,
        Err(errors) => return report_config_errors(&errors, lang),
    };
    let period = match period.map(|s| torimatome_ja_core::era::parse_period(s).ok_or(s)).transpose() {
        Ok(period) => period,
        Err(given) => {
            eprintln!("{}", messages::text(lang, "error", &[("message", messages::text(lang, "template-bad-period", &[("period", given.into())]).into())]));
            return ExitCode::from(EXIT_PIPELINE);
        }
    };
    match torimatome::forms::template(&p, out, previous, period) {
        Ok(written) => {
            let args = [("period", written.period.label_ja().into()), ("count", written.files.len().into()), ("path", out.display().to_string().into())];
            println!("{}", messages::text(lang, "template-written", &args));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}", messages::text(lang, "error", &[("message", e.text(lang).into())]));
            ExitCode::from(EXIT_NO_BOOK)
        }
    }
}

/// `preview`: every file's verdict under a pipeline, nothing written.
fn preview(pipeline: &std::path::Path, lang: Lang) -> ExitCode {
    match torimatome::explore::preview(pipeline, lang) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(torimatome::explore::ExploreError::Pipeline(errors)) => report_config_errors(&errors, lang),
        Err(torimatome::explore::ExploreError::Other(why)) => {
            eprintln!("{}", messages::text(lang, "error", &[("message", why.into())]));
            ExitCode::from(EXIT_NO_BOOK)
        }
    }
}

fn report_config_errors(errors: &[pipeline::ConfigError], lang: Lang) -> ExitCode {
    for e in errors {
        eprintln!("{}", e.render(lang));
    }
    eprintln!("{}", messages::text(lang, "pipeline-problems", &[("count", errors.len().into())]));
    ExitCode::from(EXIT_PIPELINE)
}

/// One line that says what went in and what came out; the numbers add up.
fn summary(c: &Consolidation, book: &str, lang: Lang) -> String {
    let count = |f: fn(&Outcome) -> bool| c.files.iter().filter(|x| f(&x.outcome)).count();
    let args = [
        ("book", book.into()),
        ("files", c.files.len().into()),
        ("consolidated", count(|o| *o == Outcome::Consolidated).into()),
        ("superseded", count(|o| matches!(o, Outcome::Superseded { .. })).into()),
        ("ignored", count(|o| matches!(o, Outcome::Ignored(_))).into()),
        ("errors", count(|o| matches!(o, Outcome::Error(_))).into()),
        ("read", c.rows_read().into()),
        ("rows", c.rows_consolidated().into()),
        ("aside", c.rows_set_aside().into()),
        ("problems", c.problems.len().into()),
        ("submitted", c.submitted().len().into()),
        ("roster", c.roster.len().into()),
        ("failed", c.failed().len().into()),
        ("missing", c.missing().len().into()),
    ];
    messages::text(lang, "summary", &args)
}

/// A progress bar on a terminal, plain lines otherwise (CI logs, redirected output).
struct Progress {
    bar: Option<ProgressBar>,
    /// Without a terminal: each file's line, printed in name order once all are read
    /// (files finish in whatever order the threads take them; a log should not).
    lines: std::sync::Mutex<Vec<(String, String)>>,
    lang: Lang,
}

impl Progress {
    fn new(lang: Lang) -> Progress {
        Progress { bar: std::io::stderr().is_terminal().then(ProgressBar::hidden), lines: std::sync::Mutex::default(), lang }
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
            None => eprintln!("{}", messages::text(self.lang, "reading-files", &[("files", files.into())])),
        }
    }

    fn file_done(&self, name: &str, outcome: Option<&Outcome>) {
        let note = outcome.map(|o| format!(" — {}", o.reason_in(self.lang))).unwrap_or_default();
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

/// Open a written book in whatever program the system opens .xlsx files with, without
/// waiting for it: Explorer on Windows (as a double-click does), `open` on macOS,
/// `xdg-open` elsewhere.
fn open_in_its_program(book: &std::path::Path) -> std::io::Result<()> {
    let opener = if cfg!(windows) {
        "explorer"
    } else if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    // Explorer takes a relative path for a folder of its own choosing: give it the whole path.
    let book = std::path::absolute(book)?;
    // Without our standard streams: the program that opens the book outlives torimatome,
    // and must not hold a log or a pipe our output goes to open after we are done.
    let null = std::process::Stdio::null;
    std::process::Command::new(opener).arg(book).stdin(null()).stdout(null()).stderr(null()).spawn().map(drop)
}
