//! The invariants of ARCHITECTURE.md that can be read off the source text, checked on every
//! `cargo test` (as rust-analyzer's `xtask/src/tidy.rs`): which modules may use which crate or
//! touch files, no `unwrap`, no import circles. Each invariant is one row of [`RULES`] or
//! [`NO_CYCLES`]; ARCHITECTURE.md names it and points here.
//!
//! Only `src/**/*.rs` is read, and only its code: comments, string and char literals and every
//! `#[cfg(test)]` item are blanked first (tests may unwrap and use temp files). A failure lists
//! every violation at once as `path:line: invariant, found …`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

/// Where a use is allowed (a path ending in `/` allows everything under it), what counts as a
/// use (a name must start at a word boundary: `File::` does not match `TempFile::`), the message.
struct Rule {
    allowed_in: &'static [&'static str],
    searched: &'static [&'static str],
    message: &'static str,
}

const RULES: &[Rule] = &[
    Rule {
        allowed_in: &[
            "src/main.rs", "src/run.rs", "src/inbox.rs", "src/cache.rs", "src/paths.rs", "src/verify.rs", "src/plugin.rs", "src/explore.rs", "src/forms.rs",
            "src/spill.rs", "src/pipeline/mod.rs", "src/pipeline/check.rs", "src/pipeline/lock.rs", "src/pipeline/plugins.rs",
        ],
        // `env!(` and `option_env!(` are read at compile time: not in this list, so allowed.
        searched: &[
            "std::fs", "fs::", "File::", "OpenOptions", "read_dir", "std::env", "env::var", "current_dir",
            "current_exe", "tempfile",
        ],
        message: "only the edges touch files and the environment (main, run, inbox, cache, paths, verify, plugin, pipeline, explore, forms, spill)",
    },
    Rule {
        allowed_in: &["src/workbook/"],
        searched: &["calamine"],
        message: "calamine only in the workbook stage (src/workbook/)",
    },
    // src/parquet.rs: the records as Parquet, written with polars' writer (polars_io).
    Rule {
        allowed_in: &["src/aggregate.rs", "src/parquet.rs"],
        searched: &["polars"],
        message: "polars only in src/aggregate.rs and src/parquet.rs",
    },
    Rule {
        allowed_in: &["src/book/"],
        searched: &["rust_xlsxwriter"],
        message: "rust_xlsxwriter only under src/book/",
    },
    Rule { allowed_in: &["src/main.rs"], searched: &["indicatif"], message: "indicatif only in src/main.rs" },
    Rule {
        allowed_in: &[],
        // `unwrap_or…` and `expect_err` do not match: the parenthesis is part of the pattern.
        searched: &[".unwrap()", ".expect("],
        message: "no unwrap/expect outside tests (bad input is data)",
    },
];

/// Directories whose modules must not import each other in a circle: `src/foo.rs` and
/// `src/foo/` are module `foo`, a `mod.rs` directly in the directory is module `mod`. The crate
/// roots (`main.rs`, the binary, and `lib.rs`) may use anything, and so may a child the items
/// its folder's `mod.rs` declares (the folder's face, as `pipeline::Pipeline`): a circle is
/// between siblings, or a parent and a child through a sibling.
const NO_CYCLES: &[(&str, &str)] = &[
    ("src/", "stages import downward only: no import circle between the top-level modules of src"),
    ("src/pipeline/", "no import circle between the modules of src/pipeline"),
];

#[test]
fn source_is_tidy() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let sources: Vec<(String, String)> = files
        .iter()
        .map(|f| {
            let path = f.strip_prefix(root).expect("under the root").to_string_lossy().replace('\\', "/");
            (path, std::fs::read_to_string(f).expect("a source file"))
        })
        .collect();

    let mut problems: Vec<String> = sources.iter().flat_map(|(path, text)| check_uses(path, text)).collect();
    for &(dir, message) in NO_CYCLES {
        problems.extend(check_cycles(dir, message, &sources));
    }
    assert!(
        problems.is_empty(),
        "{} violations of the invariants in ARCHITECTURE.md (tests/it/tidy.rs):\n{}\n",
        problems.len(),
        problems.join("\n")
    );
}

/// Every `.rs` file under `dir`, sorted so the report reads in a stable order; `tests/` skipped.
fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> =
        std::fs::read_dir(dir).expect("a source directory").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() && path.file_name().is_some_and(|n| n != "tests") {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The violations of [`RULES`] in one file.
fn check_uses(path: &str, text: &str) -> Vec<String> {
    let rules: Vec<&Rule> = RULES.iter().filter(|r| !r.allowed_in.iter().any(|a| allows(a, path))).collect();
    let code = code_only(text);
    let mut problems = Vec::new();
    for (n, line) in code.lines().enumerate() {
        for rule in &rules {
            // One report per line and rule: `std::env::var` is one use, not two.
            if let Some(found) = rule.searched.iter().find(|s| !word_starts(line, s).is_empty()) {
                let source = text.lines().nth(n).unwrap_or_default().trim();
                problems.push(format!("{path}:{}: {}, found `{found}` in `{source}`", n + 1, rule.message));
            }
        }
    }
    problems
}

fn allows(allowed: &str, path: &str) -> bool {
    if allowed.ends_with('/') { path.starts_with(allowed) } else { path == allowed }
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Byte offsets where `pat` occurs in `code` and, if it starts with a name, the name starts there.
fn word_starts(code: &str, pat: &str) -> Vec<usize> {
    let starts_with_name = pat.starts_with(is_ident);
    code.match_indices(pat)
        .map(|(at, _)| at)
        .filter(|&at| !starts_with_name || !code[..at].ends_with(is_ident))
        .collect()
}

/// The text with comments (`//`, `///`, `//!`, `/* */`), string and char literals and
/// `#[cfg(test)]` items replaced by spaces; line breaks are kept, so line numbers still hold.
fn code_only(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let at = |i: usize| c.get(i).copied().unwrap_or(' ');
    let find = |from: usize, ch: char| c.iter().skip(from).position(|&x| x == ch).map_or(c.len(), |p| from + p);
    let mut keep = vec![true; c.len()];
    let mut i = 0;
    while i < c.len() {
        // The end (exclusive) of a comment or literal starting at i, if one does.
        let end = match (c[i], at(i + 1)) {
            ('/', '/') => Some(find(i, '\n')),
            ('/', '*') => {
                let (mut depth, mut j) = (0, i);
                loop {
                    match (at(j), at(j + 1)) {
                        _ if j >= c.len() => break Some(j),
                        ('/', '*') => (depth, j) = (depth + 1, j + 2),
                        ('*', '/') if depth == 1 => break Some(j + 2),
                        ('*', '/') => (depth, j) = (depth - 1, j + 2),
                        _ => j += 1,
                    }
                }
            }
            // A raw string `r"…"`, `r#"…"#`, `br"…"`: an `r` that does not end a longer name.
            ('r', '#' | '"') if !(i > 0 && is_ident(c[i - 1]) && c[i - 1] != 'b') => {
                let hashes = c[i + 1..].iter().take_while(|&&x| x == '#').count();
                (at(i + 1 + hashes) == '"').then(|| {
                    let close: String = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
                    let rest: String = c[i + 2 + hashes..].iter().collect();
                    rest.find(&close).map_or(c.len(), |b| i + 2 + hashes + rest[..b].chars().count() + close.len())
                })
            }
            ('"', _) => {
                let mut j = i + 1;
                while j < c.len() && c[j] != '"' {
                    j += if c[j] == '\\' { 2 } else { 1 };
                }
                Some(j + 1)
            }
            ('\'', '\\') => Some(find(i + 3, '\'') + 1),
            ('\'', _) if at(i + 2) == '\'' => Some(i + 3),
            _ => None, // code, or a lifetime
        };
        match end {
            Some(end) => {
                let end = end.min(c.len());
                keep[i..end].iter_mut().for_each(|k| *k = false);
                i = end;
            }
            None => i += 1,
        }
    }
    let mut code: String = c.iter().zip(&keep).map(|(&ch, &k)| if k || ch == '\n' { ch } else { ' ' }).collect();

    // A `#[cfg(test)]` item runs to its first `;` or to the brace that closes its first `{`.
    while let Some(start) = code.find("#[cfg(test)]") {
        let (mut depth, mut end) = (0, code.len());
        for (j, ch) in code[start..].char_indices() {
            let closes = match ch {
                ';' => depth == 0,
                '{' => {
                    depth += 1;
                    false
                }
                '}' => {
                    depth -= 1;
                    depth == 0
                }
                _ => false,
            };
            if closes {
                end = start + j + 1;
                break;
            }
        }
        let blanked: String = code[start..end].chars().map(|ch| if ch == '\n' { '\n' } else { ' ' }).collect();
        code.replace_range(start..end, &blanked);
    }
    code
}

/// The import circles among the modules of `dir` (see [`NO_CYCLES`]), each once, with where each
/// of its edges is.
fn check_cycles(dir: &str, message: &str, sources: &[(String, String)]) -> Vec<String> {
    let module_of = |path: &str| {
        let rest = path.strip_prefix(dir)?;
        let first = rest.split('/').next()?;
        (!["main.rs", "lib.rs"].contains(&first)).then(|| first.trim_end_matches(".rs").to_string())
    };
    let modules: BTreeSet<String> = sources.iter().filter_map(|(p, _)| module_of(p)).collect();
    // Each edge with the first place it is made.
    let mut edges: BTreeMap<(String, String), String> = BTreeMap::new();
    for (path, text) in sources {
        let Some(from) = module_of(path) else { continue };
        let code = code_only(text);
        for (to, offset) in references(dir, path, &from, &modules, &code) {
            let line = code[..offset].matches('\n').count() + 1;
            edges.entry((from.clone(), to)).or_insert(format!("{path}:{line}"));
        }
    }

    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, to) in edges.keys() {
        next.entry(from).or_default().push(to);
    }
    // For every edge, the shortest way back closes a circle; a circle found from several of its
    // edges is kept once, turned to start at its smallest module.
    let mut cycles = BTreeSet::new();
    for (from, to) in edges.keys() {
        if let Some(back) = shortest_path(&next, to, from) {
            let mut cycle: Vec<&str> = std::iter::once(from.as_str()).chain(back).collect();
            cycle.pop(); // `from` again
            let min = (0..cycle.len()).min_by_key(|&k| cycle[k]).unwrap_or(0);
            cycle.rotate_left(min);
            cycles.insert(cycle);
        }
    }
    cycles
        .into_iter()
        .map(|cycle| {
            let hops: Vec<(&str, &str)> = (0..cycle.len()).map(|k| (cycle[k], cycle[(k + 1) % cycle.len()])).collect();
            let at = |(a, b): (&str, &str)| &edges[&(a.to_string(), b.to_string())];
            let circle = cycle.iter().chain(cycle.first()).copied().collect::<Vec<_>>().join(" -> ");
            let wheres: Vec<String> = hops.iter().map(|&(a, b)| format!("{a} -> {b} at {}", at((a, b)))).collect();
            format!("{}: {message}, found {circle} ({})", at(hops[0]), wheres.join("; "))
        })
        .collect()
}

/// The modules of `dir` that the code of `path` (module `from`) names, each with a byte offset:
/// `crate::dir::x` anywhere; `super::x` from a file directly in `dir`; `self::x` and a bare `x::`
/// from its `mod.rs`. A name that is not a module of `dir` is an item of `mod.rs`, which a child
/// may use (see `NO_CYCLES`).
fn references(dir: &str, path: &str, from: &str, modules: &BTreeSet<String>, code: &str) -> Vec<(String, usize)> {
    let in_dir = path.strip_prefix(dir).is_some_and(|rest| !rest.contains('/'));
    let mut prefixes = vec![format!("crate::{}", dir.trim_start_matches("src/").replace('/', "::"))];
    if in_dir && dir != "src/" && from != "mod" {
        prefixes.push("super::".into());
    }
    if from == "mod" {
        prefixes.push("self::".into());
    }
    // `a::x` is not a path starting at `x`: the match must not follow `::`.
    let starts = |pat: &str| -> Vec<usize> {
        word_starts(code, pat).into_iter().filter(|&at| !code[..at].ends_with(':')).collect()
    };

    let mut found = Vec::new();
    for prefix in &prefixes {
        for at in starts(prefix) {
            for (name, offset) in names_after(&code[at + prefix.len()..]) {
                if !modules.contains(&name) {
                    continue;
                }
                let to = name;
                found.push((to, at + prefix.len() + offset));
            }
        }
    }
    if from == "mod" {
        for module in modules {
            found.extend(starts(&format!("{module}::")).into_iter().map(|at| (module.clone(), at)));
        }
    }
    found.retain(|(to, _)| to != from);
    found
}

/// The first name of `x::…`, or of each item of `{x::…, y, …}`, with its byte offset.
fn names_after(rest: &str) -> Vec<(String, usize)> {
    let name_at = |at: usize| {
        let skip = rest[at..].len() - rest[at..].trim_start().len();
        let name: String = rest[at + skip..].chars().take_while(|&ch| is_ident(ch)).collect();
        (name, at + skip)
    };
    if !rest.starts_with('{') {
        return vec![name_at(0)];
    }
    let (mut names, mut depth) = (vec![name_at(1)], 0);
    for (j, ch) in rest.char_indices() {
        match ch {
            '{' => depth += 1,
            '}' if depth == 1 => break,
            '}' => depth -= 1,
            ',' if depth == 1 => names.push(name_at(j + 1)),
            _ => {}
        }
    }
    names.retain(|(name, _)| !name.is_empty());
    names
}

/// The modules from `start` to `goal` along the fewest edges, both ends included.
fn shortest_path<'a>(next: &BTreeMap<&'a str, Vec<&'a str>>, start: &'a str, goal: &'a str) -> Option<Vec<&'a str>> {
    let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        if node == goal {
            let mut path = vec![node];
            while let Some(&prev) = came_from.get(path[path.len() - 1]) {
                path.push(prev);
            }
            path.reverse();
            return Some(path);
        }
        for &n in next.get(node).into_iter().flatten() {
            if n != start && !came_from.contains_key(n) {
                came_from.insert(n, node);
                queue.push_back(n);
            }
        }
    }
    None
}

// The checker checked: synthetic sources, so a broken invariant is seen without touching src/.

fn sources(files: &[(&str, &str)]) -> Vec<(String, String)> {
    files.iter().map(|&(p, t)| (p.to_string(), t.to_string())).collect()
}

#[test]
fn tidy_sees_polars_outside_aggregate() {
    let text = "//! Counts, not polars.\nuse std::io::Write;\nuse polars::prelude::*;\n";
    let problems = check_uses("src/collect.rs", text);
    let expected = "src/collect.rs:3: polars only in src/aggregate.rs and src/parquet.rs, found `polars` in `use polars::prelude::*;`";
    assert_eq!(problems, vec![expected]);
    assert_eq!(check_uses("src/aggregate.rs", text), Vec::<String>::new());
}

#[test]
fn tidy_sees_unwrap_and_files_outside_tests_only() {
    let text = r#"fn read(x: Option<u8>) -> u8 {
    let y = x.unwrap_or(0) + x.unwrap_or_default(); // not x.unwrap()
    let s = "std::fs::read(p).expect(\"file\")"; let c = '"'; let u = x.unwrap();
    /* File::open(p).unwrap() */ y
}
#[cfg(test)]
mod tests {
    #[test]
    fn t() { std::fs::read("f").expect("file"); }
}
"#;
    let problems = check_uses("src/layout/rows.rs", text);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("src/layout/rows.rs:3: no unwrap/expect outside tests"), "{problems:?}");

    let text = "fn f() -> Vec<u8> {\n    std::fs::read(\"x\").unwrap_or_default()\n}\n";
    let problems = check_uses("src/layout/rows.rs", text);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("src/layout/rows.rs:2: only the edges touch files"), "{problems:?}");
    // A compile-time `env!` and a type that merely ends in `File` are no uses.
    let text = "const V: &str = env!(\"CARGO_PKG_VERSION\");\nstruct X(TempFile::Y);\n";
    assert_eq!(check_uses("src/model.rs", text), Vec::<String>::new());
}

#[test]
fn tidy_sees_an_import_circle() {
    let files = sources(&[
        ("src/main.rs", "use torimatome::{workbook, normalize};\n"),
        ("src/model.rs", "pub struct Row;\n"),
        ("src/normalize/mod.rs", "use crate::model::Row;\n\nuse crate::workbook::Sheet;\n"),
        ("src/workbook/mod.rs", "use crate::{\n    model,\n    normalize::{Cell, Step},\n};\n"),
        ("src/workbook/scan.rs", "use super::Sheet;\n#[cfg(test)]\nmod tests {\n    use crate::collect;\n}\n"),
    ]);
    assert_eq!(
        check_cycles("src/", "no circle", &files),
        vec![
            "src/normalize/mod.rs:3: no circle, found normalize -> workbook -> normalize \
             (normalize -> workbook at src/normalize/mod.rs:3; workbook -> normalize at src/workbook/mod.rs:3)"
        ]
    );
    // Downward only: no circle.
    let mut downward = files.clone();
    downward[3].1 = "use crate::model;\n".into();
    assert_eq!(check_cycles("src/", "no circle", &downward), Vec::<String>::new());

    // One level down: `super::x` and a bare `x::` in mod.rs; `super::Item`, the folder's own
    // item, is no edge.
    let files = sources(&[
        ("src/pipeline/mod.rs", "mod check;\nmod raw;\npub struct Pipeline;\nfn load() { check::go(raw::parse()) }\n"),
        ("src/pipeline/check.rs", "use super::raw::Raw;\nuse super::{plugins, Pipeline};\n"),
        ("src/pipeline/plugins.rs", "use crate::pipeline::check::role;\n"),
        ("src/pipeline/raw.rs", "pub struct Raw;\n"),
    ]);
    assert_eq!(
        check_cycles("src/pipeline/", "no circle", &files),
        vec![
            "src/pipeline/check.rs:2: no circle, found check -> plugins -> check \
             (check -> plugins at src/pipeline/check.rs:2; plugins -> check at src/pipeline/plugins.rs:1)",
        ]
    );
}
