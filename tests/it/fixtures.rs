//! Data-driven: every collection under fixtures/ with an expected.json is consolidated by
//! the pipeline of the same name in pipelines/, and must give what expected.json says.
//! The workbooks and expected.json come from fixtures/make_fixtures.py.

use crate::common;

use serde_json::Value as Json;
use torimatome::model::Outcome;

fn s(v: &Json) -> String {
    match v {
        Json::Null => String::new(),
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn every_fixture_collection_consolidates_as_expected() {
    let root = common::project_root().join("fixtures");
    let mut cases = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&root).expect("fixtures/").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    // A collection with a pipeline of its name (fixtures/hostile has its own test).
    let pipelines = common::project_root().join("pipelines");
    for dir in entries.into_iter().filter(|d| d.join("expected.json").exists() && d.file_name().is_some_and(|n| pipelines.join(format!("{}.yaml", n.to_string_lossy())).exists())) {
        let name = dir.file_name().expect("name").to_string_lossy().into_owned();
        let expected: Json = serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).expect("read")).expect("json");
        check_case(&name, &expected);
        cases += 1;
    }
    assert!(cases > 0, "no fixture collection found");
}

fn check_case(name: &str, expected: &Json) {
    let run = common::run_pipeline(&format!("pipelines/{name}.yaml"), None);
    let c = &run.consolidation;
    assert_eq!(c.period.to_string(), s(&expected["period"]), "{name}: period");

    for f in expected["files"].as_array().expect("files") {
        let file = s(&f["file"]);
        let got = c.files.iter().find(|x| x.name == file).unwrap_or_else(|| panic!("{name}: {file} not listed"));
        assert_eq!(got.outcome.as_str(), s(&f["outcome"]), "{name}: {file}: {}", got.outcome.reason());
        if let Outcome::Superseded { by } = &got.outcome {
            assert_eq!(by, &s(&f["superseded_by"]), "{name}: {file} superseded by");
        }
    }
    let missing: Vec<String> = expected["missing_departments"].as_array().expect("missing").iter().map(s).collect();
    assert_eq!(c.missing(), missing, "{name}: missing departments");

    for (file, want) in expected["consolidated"].as_object().expect("consolidated") {
        for v in want["values"].as_array().expect("values") {
            let cell = s(&v["cell"]);
            let got = run
                .records
                .iter()
                .find(|r| &r["file"] == file && r["cell"] == cell)
                .unwrap_or_else(|| panic!("{name}: {file} {cell} not in the records"));
            for field in ["project", "indicator", "unit", "kind", "fiscal_year", "raw", "flag"] {
                assert_eq!(got[field], s(&v[field]), "{name}: {file} {cell} {field}");
            }
            assert_eq!(got["value"].parse::<f64>().ok(), v["value"].as_f64(), "{name}: {file} {cell} value");
        }
        for p in want["projects"].as_array().expect("projects") {
            let cell = s(&p["cell"]);
            let row = c.rows.iter().find(|r| &r.file == file && r.status_cell.is_some_and(|c| c.to_string() == *cell)).unwrap_or_else(|| panic!("{name}: {file} {cell}"));
            assert_eq!(row.status.clone().unwrap_or_default(), s(&p["status"]), "{name}: {file} {cell} status");
            assert_eq!(row.goal, s(&p["goal"]));
            assert_eq!(row.measure, s(&p["measure"]));
        }
        let value_problems: Vec<_> = c.problems.iter().filter(|p| &p.file == file && !p.cell.is_empty()).collect();
        let want_problems = want["problems"].as_array().expect("problems");
        assert_eq!(value_problems.len(), want_problems.len(), "{name}: {file} problems {value_problems:?}");
        for p in want_problems {
            assert!(
                value_problems.iter().any(|g| g.sheet == s(&p["sheet"]) && g.cell == s(&p["cell"]) && g.raw == s(&p["raw"])),
                "{name}: {file} {} not reported",
                s(&p["cell"])
            );
        }
        let file_info = c.files.iter().find(|f| &f.name == file).expect("listed");
        assert_eq!(file_info.rows_consolidated as u64, want["indicator_rows"].as_u64().expect("rows"), "{name}: {file} rows");
    }
}

#[test]
fn a_pipeline_without_a_period_takes_the_one_the_files_state() {
    let root = common::project_root();
    let stated = common::run_pipeline("pipelines/minato.yaml", None).consolidation;
    // From the file names, and from the titles inside the workbooks alone (each workbook
    // then parsed once, for its title and its reading).
    for check in ["[file_name, title]", "[title]"] {
        let staged = common::stage_edited("pipelines/minato.yaml", |shipped| {
            let without = shipped.replace("  fiscal_year: 令和6年度\n  half: 上期\n", "").replace("  check: [file_name, title]", &format!("  check: {check}"));
            assert!(!without.contains("fiscal_year"), "the shipped pipeline states its period");
            without
        });
        let pipeline = common::load(&staged.path).expect("valid without a period");
        assert!(pipeline.period.is_none());
        let c = torimatome::run::consolidate(&pipeline, &root.join("fixtures/minato/inbox"), &torimatome::run::Quiet).expect("run");
        assert_eq!(c.period, stated.period, "{check}");
        assert_eq!(c.rows, stated.rows, "{check}");
        let outcomes = |c: &torimatome::model::Consolidation| c.files.iter().map(|f| (f.name.clone(), f.outcome.clone())).collect::<Vec<_>>();
        assert_eq!(outcomes(&c), outcomes(&stated), "{check}");
    }
}

/// Every case under fixtures/cases/ (a pipeline, its inbox, the outputs expected of it, in
/// `expected/`) gives those outputs. Each case is named after what once went wrong; see
/// fixtures/cases/README.md. `UPDATE_EXPECT=1 cargo test --test fixtures` rewrites the
/// expectations from this build, to be read in `git diff` before they are committed.
#[test]
fn every_case_gives_its_expected_outputs() {
    let root = common::project_root().join("fixtures/cases");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut cases: Vec<_> = std::fs::read_dir(&root).expect("fixtures/cases").map(|e| e.expect("entry").path()).filter(|d| d.join("pipeline.yaml").exists()).collect();
    cases.sort();
    assert!(cases.len() >= 10, "the cases are there: {}", cases.len());
    let mut failures = Vec::new();
    for dir in &cases {
        for (name, got) in case_outputs(dir) {
            let path = dir.join("expected").join(name);
            if update {
                std::fs::create_dir_all(path.parent().expect("expected/")).expect("mkdir expected/");
                std::fs::write(&path, &got).expect("write expectation");
                continue;
            }
            let want = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e} (UPDATE_EXPECT=1 writes it)", path.display()));
            if want != got {
                failures.push(format!("{}\n{}", path.display(), first_difference(&want, &got)));
            }
        }
    }
    assert!(failures.is_empty(), "{} expectation(s) differ (UPDATE_EXPECT=1 rewrites them):\n\n{}", failures.len(), failures.join("\n\n"));
}

/// What a person checks after a run, as text: how each file ended, the problems, the
/// counts and decisions of the collection, each consolidated row, and the records. A
/// pipeline that does not validate gives its errors instead.
fn case_outputs(dir: &std::path::Path) -> Vec<(&'static str, String)> {
    let relative = dir.strip_prefix(common::project_root()).expect("under the project").join("pipeline.yaml");
    let staged = common::stage(relative.to_str().expect("UTF-8"));
    let pipeline = match common::load(&staged.path) {
        Ok(p) => p,
        Err(errors) => {
            let lines: Vec<String> = errors.iter().map(|e| format!("{}:{}: {}", e.pos.line, e.pos.col, e.message.text(torimatome::messages::Lang::En))).collect();
            return vec![("validate.txt", lines.join("\n") + "\n")];
        }
    };
    let out = tempfile::tempdir().expect("temp");
    let paths = torimatome::run::Paths { inbox: None, out: Some(out.path().join("book.xlsx")), records: Some(out.path().join("records.csv")), cache: false };
    let report = torimatome::run::run(&pipeline, &paths, &torimatome::run::Quiet).unwrap_or_else(|e| panic!("{}: run failed: {e}", dir.display()));
    let c = &report.consolidation;

    let mut outcomes = String::new();
    for f in &c.files {
        let department = f.department.as_deref().unwrap_or("-");
        let opened = match f.opened {
            torimatome::workbook::Opened::Plain => "",
            torimatome::workbook::Opened::DefaultPassword => " | opened with Excel's default password",
            torimatome::workbook::Opened::Password => " | opened with a password",
        };
        outcomes += &format!("{} | {} | {department} | {}{opened}\n", f.name, f.outcome.as_str(), f.outcome.reason());
    }
    let mut problems = String::new();
    for p in &c.problems {
        let detail = if p.detail().is_empty() { String::new() } else { format!(" | {}", p.detail()) };
        problems += &format!("{}!{}!{} | {} | {} | {}{detail}\n", p.file, p.sheet, p.cell, p.raw, p.what(), p.todo());
    }

    let mut summary = format!(
        "rows read {} = consolidated {} + set aside {}\nsubmitted: {}\nfailed: {}\nmissing: {}\n",
        c.rows_read(),
        c.rows_consolidated(),
        c.rows_set_aside(),
        c.submitted().join(", "),
        c.failed().iter().map(|(d, files)| format!("{d} ({})", files.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", "))).collect::<Vec<_>>().join("; "),
        c.missing().join(", "),
    );
    for r in &c.resubmissions {
        summary += &format!("resubmission: {} / {}: {} of {:?} — {}{}\n", r.department, r.layout, r.winner, r.files, r.why, if r.undecided { " (undecided)" } else { "" });
    }
    let agg = torimatome::aggregate::aggregate(c).expect("aggregate");
    for (owner, rows) in &agg.owners_not_on_roster {
        summary += &format!("owner not on the roster: {owner} ({rows} rows)\n");
    }
    for plan in &agg.plans {
        for (goal, counts) in &plan.by_goal {
            summary += &format!("projects by goal: {} / {goal}: {:?} = {}\n", plan.plan, counts.0, counts.total());
        }
        for ((goal, measure), counts) in &plan.by_measure {
            summary += &format!("projects by measure: {} / {goal} / {measure}: {:?} = {}\n", plan.plan, counts.0, counts.total());
        }
    }
    let o = &agg.overall;
    summary += &format!(
        "overall: projects 達成+推進中 {} of {}; indicators at or above plan {} of {} measured\n",
        o.projects_on_track, o.projects, o.indicators_at_plan, o.indicators_measured
    );
    for (policy, counts) in &agg.by_policy_grade {
        summary += &format!("grades by policy (A B C D その他 未記入): {policy}: {counts:?} = {}\n", counts.iter().sum::<u32>());
    }
    let graded = c.rows.iter().filter(|r| r.grade.is_some()).count() as u32;
    let counted: u32 = agg.by_policy_grade.iter().flat_map(|(_, n)| n.iter()).sum();
    assert_eq!(counted, graded, "{}: every graded row is counted once", dir.display());

    let mut rows = String::new();
    for r in &c.rows {
        rows += &common::row_line(r);
        rows.push('\n');
    }
    let records = std::fs::read_to_string(out.path().join("records.csv")).expect("records written");
    vec![("outcomes.txt", outcomes), ("problems.txt", problems), ("summary.txt", summary), ("rows.txt", rows), ("records.csv", records)]
}

/// The first line where two texts part, for a failure message a person can act on.
fn first_difference(want: &str, got: &str) -> String {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    let at = w.iter().zip(&g).position(|(a, b)| a != b).unwrap_or(w.len().min(g.len()));
    format!("line {}:\n  expected: {}\n  got:      {}", at + 1, w.get(at).unwrap_or(&"(end)"), g.get(at).unwrap_or(&"(end)"))
}

/// A password a department told the office opens its file, and is written nowhere: not in
/// the book (any of its parts), the manifest or the records.
#[test]
fn a_password_opens_its_file_and_reaches_no_output() {
    let staged = common::stage("fixtures/cases/passwords-told-apart/pipeline.yaml");
    let pipeline = common::load(&staged.path).expect("valid");
    let out = tempfile::tempdir().expect("temp");
    let paths = torimatome::run::Paths { inbox: None, out: Some(out.path().join("book.xlsx")), records: Some(out.path().join("records.csv")), cache: true };
    let report = torimatome::run::run(&pipeline, &paths, &torimatome::run::Quiet).expect("run");
    let opened = report.consolidation.files.iter().find(|f| f.name == "R4上期_福祉課.xlsx").expect("listed");
    assert_eq!((opened.outcome.as_str(), opened.opened), ("consolidated", torimatome::workbook::Opened::Password));

    let password = b"secret";
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&report.book).expect("book")).expect("a zip");
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).expect("part");
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut part, &mut bytes).expect("inflate");
        assert!(!bytes.windows(password.len()).any(|w| w == password), "the password is in {}", part.name().unwrap_or_default());
    }
    for path in [report.manifest, out.path().join("records.csv")] {
        let bytes = std::fs::read(&path).expect("written");
        assert!(!bytes.windows(password.len()).any(|w| w == password), "the password is in {}", path.display());
    }
}
