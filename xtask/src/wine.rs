//! `cargo xtask wine-test`: the Windows package as a DX office uses it, under Wine, against
//! the Linux build. Everything happens in `target/wine-test`, made afresh: the package
//! unpacked twice (once for each system, so that neither's lock or cache is the other's),
//! a fresh Wine prefix, and a stand-in `bcryptprimitives.dll` beside the test's exe only.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::books;
use crate::package;

/// The sample pipeline's book and manifest, relative to the package's folder.
const BOOK: &str = "out/minato-2024H1.xlsx";
const MANIFEST: &str = "out/minato-2024H1.manifest.json";
const HOSTILE_BOOK: &str = "out/hostile.xlsx";
const HOSTILE_MANIFEST: &str = "out/hostile.manifest.json";

pub fn test(root: &Path) -> Result<(), String> {
    let zip = package::make(root)?;
    let host = host_build(root)?;
    let work = root.join("target/wine-test");
    if work.exists() {
        std::fs::remove_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    }
    let windows = unpack(&zip, &work.join("windows"))?;
    let linux = unpack(&zip, &work.join("linux"))?;
    for dir in [&windows, &linux] {
        hostile_pipeline(root, dir)?;
    }
    windows_paths_pipeline(&windows)?;
    stand_in(root, &windows)?;
    let wine = Wine::new(&work.join("prefix"))?;
    let mut failures = Vec::new();

    // 1. The command line, in a Japanese Windows: its summary in Japanese, unasked.
    let out = wine.run(&windows, &["torimatome.exe", "run", "pipelines\\minato.yaml"], "")?;
    check(&out, "torimatome.exe run pipelines\\minato.yaml", &mut failures);
    if !stdout(&out).contains("ファイル (集計") {
        failures.push(format!("the summary is not in Japanese in a Japanese Windows:\n{}", stdout(&out)));
    }
    let book = std::fs::read(windows.join(BOOK)).map_err(|e| format!("no book from the command line: {e}"))?;

    // 2. 取りまとめ.bat, double-clicked (no pipeline dropped on it: the sample), the book
    //    removed first so that the batch file must write it again; a key for its pause.
    std::fs::remove_file(windows.join(BOOK)).map_err(|e| e.to_string())?;
    let out = wine.run(&windows, &["cmd", "/c", "取りまとめ.bat"], "\r\n")?;
    check(&out, "取りまとめ.bat", &mut failures);
    match std::fs::read(windows.join(BOOK)) {
        Ok(again) if again == book => {}
        Ok(_) => failures.push("取りまとめ.bat wrote another book than the command line".into()),
        Err(e) => failures.push(format!("取りまとめ.bat wrote no book: {e}\n{}", stdout(&out))),
    }

    // 3. A hostile inbox (damaged, encrypted, disguised and huge files): a book all the same.
    let out = wine.run(&windows, &["torimatome.exe", "run", "pipelines\\hostile.yaml"], "")?;
    check(&out, "torimatome.exe run pipelines\\hostile.yaml", &mut failures);

    // 4. Windows paths: the sample's inbox in a folder with a Japanese name, the pipeline
    //    naming it by an absolute path with a drive and backslashes, its book by a
    //    relative one; the same book but for the pipeline's own hash.
    let out = wine.run(&windows, &["torimatome.exe", "run", "pipelines\\windows-paths.yaml"], "")?;
    check(&out, "torimatome.exe run pipelines\\windows-paths.yaml", &mut failures);
    let cells = books::differences(&windows.join("out/windows-paths.xlsx"), &windows.join(BOOK), &["パイプライン SHA-256"])?;
    if !cells.is_empty() {
        failures.push(format!("a pipeline with Windows paths gave another book:\n{}", cells.join("\n")));
    }

    // 5. An auditor's rerun on Windows: identical.
    let out = wine.run(&windows, &["torimatome.exe", "--lang", "en", "verify", &MANIFEST.replace('/', "\\")], "")?;
    check(&out, "torimatome.exe verify", &mut failures);

    // The same pipelines on Linux, from the other copy of the package.
    for pipeline in ["pipelines/minato.yaml", "pipelines/hostile.yaml"] {
        let mut command = Command::new(&host);
        command.current_dir(&linux).args(["--lang", "en", "run", pipeline]);
        let out = command.output().map_err(|e| format!("{command:?}: {e}"))?;
        check(&out, &format!("linux: torimatome run {pipeline}"), &mut failures);
    }
    for (book, manifest) in [(BOOK, MANIFEST), (HOSTILE_BOOK, HOSTILE_MANIFEST)] {
        let cells = books::differences(&windows.join(book), &linux.join(book), &[])?;
        let fields = books::manifest_differences(&windows.join(manifest), &linux.join(manifest))?;
        if cells.is_empty() && fields.is_empty() {
            println!("wine-test: {book}: the Windows book's cells equal the Linux book's; the manifests agree");
        }
        if !cells.is_empty() {
            failures.push(format!("{book}: {} cells differ between Windows and Linux:\n{}", cells.len(), cells.join("\n")));
        }
        if !fields.is_empty() {
            failures.push(format!("{manifest}: differs between Windows and Linux:\n{}", fields.join("\n")));
        }
    }
    // Explorer, opening the book, outlives the batch file: end what is left of this Wine.
    let _ = Command::new(wine.loader.with_file_name("wineserver")).env("WINEPREFIX", &wine.prefix).arg("-k").status();
    if failures.is_empty() {
        println!("wine-test: the package ran from the command line and from 取りまとめ.bat, read a hostile inbox, and verified identical");
        Ok(())
    } else {
        Err(failures.join("\n\n"))
    }
}

/// The Linux build the Windows books are compared with: the debug build `cargo test`
/// makes (a book's cells do not depend on the profile).
fn host_build(root: &Path) -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(root).args(["build", "--locked", "-p", "torimatome", "-p", "torimatome-ja", "-p", "torimatome-cards"]);
    crate::run(&mut command)?;
    Ok(root.join("target/debug/torimatome"))
}

/// Unpack the package into `dir`; gives the package's own folder.
fn unpack(zip: &Path, dir: &Path) -> Result<PathBuf, String> {
    let file = std::fs::File::open(zip).map_err(|e| format!("{}: {e}", zip.display()))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| format!("{}: {e}", zip.display()))?;
    archive.extract(dir).map_err(|e| format!("unpacking {}: {e}", zip.display()))?;
    // The package's folder is named as the zip is.
    let top = zip.file_stem().ok_or_else(|| format!("{}: no name", zip.display()))?;
    Ok(dir.join(top))
}

/// The hostile fixture inbox beside the package's sample, and a pipeline for it: the
/// sample's, pointed at it.
fn hostile_pipeline(root: &Path, package: &Path) -> Result<(), String> {
    let from = root.join("fixtures/hostile");
    copy_tree(&from.join("inbox"), &package.join("fixtures/hostile/inbox"))?;
    std::fs::copy(from.join("roster.txt"), package.join("fixtures/hostile/roster.txt")).map_err(|e| e.to_string())?;
    let yaml = std::fs::read_to_string(package.join("pipelines/minato.yaml")).map_err(|e| e.to_string())?;
    let yaml = yaml
        .replace("../fixtures/minato/inbox", "../fixtures/hostile/inbox")
        .replace("../fixtures/minato/roster.txt", "../fixtures/hostile/roster.txt")
        .replace("../out/minato-2024H1.xlsx", "../out/hostile.xlsx");
    std::fs::write(package.join("pipelines/hostile.yaml"), yaml).map_err(|e| e.to_string())
}

/// The sample's inbox copied to `共有/R6上期/inbox` and a pipeline naming it as Windows does,
/// `Z:\tmp\…\共有\R6上期\inbox\` (Wine's drive Z: is `/`); its book `..\out\…`.
fn windows_paths_pipeline(package: &Path) -> Result<(), String> {
    let shared = package.join("共有").join("R6上期");
    copy_tree(&package.join("fixtures/minato/inbox"), &shared.join("inbox"))?;
    let absolute = std::path::absolute(&shared).map_err(|e| e.to_string())?;
    let windows = format!("Z:{}\\inbox\\", absolute.display().to_string().replace('/', "\\"));
    let yaml = std::fs::read_to_string(package.join("pipelines/minato.yaml")).map_err(|e| e.to_string())?;
    let yaml = yaml
        .replace("inbox: ../fixtures/minato/inbox", &format!("inbox: {windows}"))
        .replace("output: ../out/minato-2024H1.xlsx", "output: ..\\out\\windows-paths.xlsx")
        .replace("file: ../fixtures/minato/roster.txt", "file: ..\\fixtures\\minato\\roster.txt");
    if !yaml.contains("Z:") || !yaml.contains("windows-paths") || !yaml.contains("minato\\roster") {
        return Err("pipelines/minato.yaml no longer names its inbox, output and roster as the test expects".into());
    }
    std::fs::write(package.join("pipelines/windows-paths.yaml"), yaml).map_err(|e| e.to_string())
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(|e| format!("{}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// Wine 8 has no `ProcessPrng`, which Rust's standard library asks `bcryptprimitives.dll`
/// for (Windows 10 and later have it): a stand-in, built here with MinGW-w64, beside the
/// test's exe only.
fn stand_in(root: &Path, package: &Path) -> Result<(), String> {
    let mut command = Command::new("x86_64-w64-mingw32-gcc");
    command
        .args(["-shared", "-O2", "-o"])
        .arg(package.join("bcryptprimitives.dll"))
        .arg(root.join("xtask/windows/process_prng.c"))
        .arg("-ladvapi32");
    crate::run(&mut command)
}

/// Wine with a prefix of its own, as a Japanese Windows: its 64-bit loader (Debian does not
/// put `wine64` on PATH), no Mono or Gecko to install, the stand-in DLL before Wine's own.
struct Wine {
    loader: PathBuf,
    prefix: PathBuf,
    /// Runs so far, numbering their logs.
    runs: std::cell::Cell<u32>,
}

impl Wine {
    fn new(prefix: &Path) -> Result<Wine, String> {
        let loader = ["/usr/lib/wine/wine64", "/usr/bin/wine64", "/usr/bin/wine"]
            .iter()
            .map(PathBuf::from)
            .find(|p| p.is_file())
            .ok_or("no Wine: apt-get install wine wine64")?;
        Ok(Wine { loader, prefix: prefix.to_path_buf(), runs: std::cell::Cell::new(0) })
    }

    /// Run a Windows program in `dir`, with `input` on its standard input. Its output goes
    /// to a file, not a pipe: a program it starts (Explorer, opening the book) inherits
    /// Wine's Unix descriptors and would hold a pipe open long after it ends.
    fn run(&self, dir: &Path, args: &[&str], input: &str) -> Result<Output, String> {
        let n = self.runs.get() + 1;
        self.runs.set(n);
        let log = self.prefix.with_file_name(format!("run-{n}.log"));
        let file = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = file.try_clone().map_err(|e| e.to_string())?;
        let mut command = Command::new(&self.loader);
        command
            .current_dir(dir)
            .args(args)
            .env("WINEPREFIX", &self.prefix)
            .env("WINEDEBUG", "-all")
            .env("WINEDLLOVERRIDES", "bcryptprimitives=n,b;mscoree=;mshtml=;winemenubuilder.exe=")
            // Japanese Windows: the locale Wine gives its programs comes from the Unix one.
            .env("LANG", "ja_JP.UTF-8")
            .env("LC_ALL", "ja_JP.UTF-8")
            // No display: Explorer (opening the book) has nothing to draw on.
            .env_remove("DISPLAY")
            .stdin(Stdio::piped())
            .stdout(file)
            .stderr(err);
        let mut child = command.spawn().map_err(|e| format!("{command:?}: {e}"))?;
        if let Some(mut stdin) = child.stdin.take() {
            use std::io::Write;
            let _ = stdin.write_all(input.as_bytes());
        }
        let status = child.wait().map_err(|e| format!("{command:?}: {e}"))?;
        let stdout = std::fs::read(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        Ok(Output { status, stdout, stderr: Vec::new() })
    }
}

fn stdout(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn check(out: &Output, what: &str, failures: &mut Vec<String>) {
    if out.status.success() {
        println!("wine-test: {what}: ok");
    } else {
        failures.push(format!("{what}: {}\n{}", out.status, stdout(out)));
    }
}
