//! Data-driven: every collection under fixtures/ with an expected.json is consolidated by
//! the pipeline of the same name in pipelines/, and must give what expected.json says.
//! The workbooks and expected.json come from fixtures/make_fixtures.py.

mod common;

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
    let shipped = std::fs::read_to_string(root.join("pipelines/minato.yaml")).expect("pipeline");
    let without = shipped.replace("  fiscal_year: 令和6年度\n  half: 上期\n", "");
    assert_ne!(without, shipped, "the shipped pipeline states its period");
    let dir = tempfile::tempdir().expect("temp");
    let path = dir.path().join("minato-open.yaml");
    std::fs::write(&path, without.replace("../", &format!("{}/", root.display()))).expect("write");
    let pipeline = common::load(&path).expect("valid without a period");
    assert!(pipeline.period.is_none());
    let c = torimatome::run::consolidate(&pipeline, &root.join("fixtures/minato/inbox"), &torimatome::run::Quiet).expect("run");
    let stated = common::run_pipeline("pipelines/minato.yaml", None).consolidation;
    assert_eq!(c.period, stated.period);
    assert_eq!(c.rows, stated.rows);
}
