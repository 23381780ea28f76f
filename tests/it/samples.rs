//! The Seto samples (../shared/samples), made with other tools, against truth.jsonl: what
//! a DX office would check in the book and the records export.

use crate::common;

use std::collections::BTreeMap;

use serde_json::Value as Json;
use torimatome::model::Outcome;

fn truth() -> Vec<Json> {
    let text = std::fs::read_to_string(common::shared().join("samples/truth.jsonl")).expect("truth.jsonl");
    text.lines().map(|l| serde_json::from_str(l).expect("truth line")).collect()
}

fn of_type<'a>(truth: &'a [Json], kind: &'a str) -> impl Iterator<Item = &'a Json> {
    truth.iter().filter(move |r| r["type"] == kind)
}

fn s(v: &Json) -> String {
    match v {
        Json::Null => String::new(),
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn seto() -> common::Outcome {
    common::run_pipeline("pipelines/seto.yaml", Some(&common::shared().join("samples/inbox")))
}

#[test]
fn every_value_of_every_layout_matches_truth() {
    every_value_of_every_layout_matches_truth_in(&seto());
}

/// For any pipeline's run over the samples (tests/it/guess.rs runs a guessed one).
pub fn every_value_of_every_layout_matches_truth_in(run: &common::Outcome) {
    let truth = truth();
    // Values: the records also hold what departments wrote beside them (kind `note`).
    let values: Vec<&BTreeMap<String, String>> = run.records.iter().filter(|r| r["kind"] != "note").collect();
    let by_cell: BTreeMap<(String, String, String), &BTreeMap<String, String>> = values
        .iter()
        .copied()
        .map(|r| ((r["file"].clone(), r["sheet"].clone(), r["cell"].clone()), r))
        .collect();
    let consolidated: Vec<&str> = run
        .consolidation
        .files
        .iter()
        .filter(|f| f.outcome == Outcome::Consolidated)
        .map(|f| f.name.as_str())
        .collect();
    let mut checked = 0;
    let mut mismatches = Vec::new();
    for t in of_type(&truth, "value") {
        let file = s(&t["file"]);
        if !consolidated.contains(&file.as_str()) {
            continue;
        }
        let key = (file.clone(), s(&t["sheet"]), s(&t["cell"]));
        let Some(r) = by_cell.get(&key) else {
            mismatches.push(format!("{key:?}: missing from records (raw {:?})", s(&t["raw"])));
            continue;
        };
        checked += 1;
        // xls and ods give no number formats: a fraction read as a percentage keeps the raw
        // number it holds, and the guess is listed in 問題一覧 for a person to confirm.
        let guessed = run.consolidation.problems.iter().any(|p| {
            p.file == key.0 && p.cell == key.2 && p.what().contains("と読んだ")
        });
        if guessed && r["raw"] != s(&t["raw"]) {
            let shown = r["raw"].parse::<f64>().map(|f| f * 100.0);
            assert_eq!(shown.ok(), t["value"].as_f64(), "{key:?}: a guessed percentage is the fraction ×100");
        }
        for field in ["period", "department", "goal", "measure", "project", "indicator", "unit", "kind", "fiscal_year", "flag", "raw"] {
            if field == "raw" && guessed {
                continue;
            }
            if r[field] != s(&t[field]) {
                mismatches.push(format!("{key:?} {field}: records {:?}, truth {:?}", r[field], s(&t[field])));
            }
        }
        let value: Option<f64> = r["value"].parse().ok();
        if value != t["value"].as_f64() {
            mismatches.push(format!("{key:?} value: records {:?}, truth {}", r["value"], t["value"]));
        }
    }
    assert!(mismatches.is_empty(), "{} of {checked} values differ:\n{}", mismatches.len(), mismatches.join("\n"));
    let expected = of_type(&truth, "value").filter(|t| consolidated.contains(&s(&t["file"]).as_str())).count();
    assert_eq!(checked, expected, "every value truth lists for a consolidated file is in the records");
    assert_eq!(values.len(), expected, "and the records hold nothing truth does not list");
    eprintln!("{checked} values match truth.jsonl");
}

#[test]
fn every_project_status_matches_truth() {
    every_project_status_matches_truth_in(&seto());
}

/// For any pipeline's run over the samples (tests/it/guess.rs runs a guessed one).
pub fn every_project_status_matches_truth_in(run: &common::Outcome) {
    let truth = truth();
    let mut checked = 0;
    for t in of_type(&truth, "project") {
        let (file, cell) = (s(&t["file"]), s(&t["cell"]));
        let Some(row) = run.consolidation.rows.iter().find(|r| r.file == file && r.status_cell.is_some_and(|c| c.to_string() == *cell)) else {
            let file_outcome = run.consolidation.files.iter().find(|f| f.name == file).map(|f| f.outcome.clone());
            assert!(file_outcome != Some(Outcome::Consolidated), "{file} {cell}: project missing from the book");
            continue;
        };
        assert_eq!(row.status.clone().unwrap_or_default(), s(&t["status"]), "{file} {cell} status");
        assert_eq!(row.status_raw, s(&t["status_raw"]), "{file} {cell} raw status");
        assert_eq!(row.project, s(&t["project"]), "{file} {cell} project");
        assert_eq!(row.goal, s(&t["goal"]), "{file} {cell} goal");
        checked += 1;
    }
    let superseded = of_type(&truth, "file").filter(|f| f["expect"] == "superseded").map(|f| s(&f["file"])).collect::<Vec<_>>();
    let expected = of_type(&truth, "project").filter(|t| !superseded.contains(&s(&t["file"]))).count();
    assert_eq!(checked, expected, "every status of a consolidated file is in the book");
}

#[test]
fn every_file_has_the_outcome_truth_expects() {
    every_file_has_the_outcome_truth_expects_in(&seto());
}

/// For any pipeline's run over the samples (tests/it/guess.rs runs a guessed one).
pub fn every_file_has_the_outcome_truth_expects_in(run: &common::Outcome) {
    let truth = truth();
    let files = &run.consolidation.files;
    assert_eq!(files.len(), of_type(&truth, "file").count(), "every file of the inbox is listed");
    for t in of_type(&truth, "file") {
        let name = s(&t["file"]);
        let file = files.iter().find(|f| f.name == name).unwrap_or_else(|| panic!("{name} not listed"));
        let expected = match s(&t["expect"]).as_str() {
            "ok" => "consolidated",
            "superseded" => "superseded",
            "ignored" => "ignored",
            "error" => "error",
            unknown => panic!("truth expects {unknown}"),
        };
        assert_eq!(file.outcome.as_str(), expected, "{name}: {}", file.outcome.reason());
        if let Outcome::Superseded { by } = &file.outcome {
            assert_eq!(by, &s(&t["superseded_by"]), "{name} superseded by");
        }
    }
    // The reasons a person reads say what truth says.
    let reason = |name: &str| files.iter().find(|f| f.name == name).map(|f| f.outcome.reason_in(torimatome::messages::Lang::En)).unwrap_or_default();
    assert!(reason("R4上期_まちづくり協働課.xlsx").contains("truncated"));
    assert!(reason("新規 Microsoft Excel ワークシート.xlsx").contains("zero-byte"));
    assert!(reason("R4上期_提出用メモ.xlsx").contains("not a workbook"));
    assert!(reason("R4上期_都市計画課.xlsx").contains("password"));
    assert!(reason("R4上期_税務課.xlsx").contains("no 指標名 column"));
    assert!(reason("R4上期_秘書広報課.xlsx").contains("not on the roster"));
    assert!(reason("~$R4上期_市民課.xlsx").contains("lock"));
}

#[test]
fn superseded_and_rejected_files_contribute_no_values() {
    superseded_and_rejected_files_contribute_no_values_in(&seto());
}

/// For any pipeline's run over the samples (tests/it/guess.rs runs a guessed one).
pub fn superseded_and_rejected_files_contribute_no_values_in(run: &common::Outcome) {
    for f in &run.consolidation.files {
        if f.outcome != Outcome::Consolidated {
            assert!(!run.records.iter().any(|r| r["file"] == f.name), "{} is {} but has records", f.name, f.outcome.as_str());
            assert_eq!(f.rows_consolidated, 0, "{}", f.name);
        }
    }
    // The resubmission's changed value is the one consolidated.
    let l7: Vec<_> = run.records.iter().filter(|r| r["department"] == "情報政策課" && r["cell"] == "L7").collect();
    assert_eq!(l7.len(), 1);
    assert_eq!(l7[0]["file"], "R4上期_情報政策課_修正版.xlsx");
    assert_eq!(l7[0]["value"], "96.1");
}

#[test]
fn every_hazard_truth_lists_in_a_consolidated_file_is_a_problem() {
    every_hazard_truth_lists_in_a_consolidated_file_is_a_problem_in(&seto());
}

/// For any pipeline's run over the samples (tests/it/guess.rs runs a guessed one).
pub fn every_hazard_truth_lists_in_a_consolidated_file_is_a_problem_in(run: &common::Outcome) {
    let c = &run.consolidation;
    for t in of_type(&truth(), "issue") {
        let file = s(&t["file"]);
        let consolidated = c.files.iter().any(|f| f.name == file && f.outcome == Outcome::Consolidated);
        if !consolidated {
            // Its file is listed, with its reason, as a problem of its own.
            assert!(c.problems.iter().any(|p| p.file == file), "{file} not in 問題一覧");
            continue;
        }
        assert!(
            c.problems.iter().any(|p| p.file == file && p.sheet == s(&t["sheet"]) && p.cell == s(&t["cell"]) && p.raw == s(&t["raw"])),
            "{file} {} {} not in 問題一覧",
            s(&t["sheet"]),
            s(&t["cell"])
        );
    }
    // Every file that does not count says why in 問題一覧, and nothing is silently dropped;
    // only files the pipeline never opens (lock files, other extensions) are not problems.
    let pipeline = common::load_project("pipelines/seto.yaml");
    for f in &c.files {
        if f.outcome != Outcome::Consolidated && torimatome::collect::screen(&pipeline, &f.name).is_none() {
            assert!(c.problems.iter().any(|p| p.file == f.name), "{} ({}) has no problem listed", f.name, f.outcome.as_str());
        }
    }
    assert_eq!(c.rows_read(), c.rows_consolidated() + c.rows_set_aside());
}

#[test]
fn departments_that_sent_nothing_are_missing_and_those_whose_files_failed_are_apart() {
    departments_that_sent_nothing_are_missing_and_those_whose_files_failed_are_apart_in(&seto());
}

/// For any pipeline's run over the samples (tests/it/guess.rs runs a guessed one).
pub fn departments_that_sent_nothing_are_missing_and_those_whose_files_failed_are_apart_in(run: &common::Outcome) {
    let c = &run.consolidation;
    let missing = c.missing();
    assert_eq!(missing, ["保育課"], "only 保育課 sent no file at all");
    // Their files arrived and could not be read: a reminder to submit would be wrong.
    let failed: Vec<(&str, Vec<&str>)> = c.failed().into_iter().map(|(d, files)| (d, files.iter().map(|f| f.name.as_str()).collect())).collect();
    assert_eq!(
        failed,
        [
            ("まちづくり協働課", vec!["R4上期_まちづくり協働課.xlsx"]),
            ("都市計画課", vec!["R4上期_都市計画課.xlsx"]),
            ("税務課", vec!["R4上期_税務課.xlsx"]),
        ]
    );
    for department in ["情報政策課", "危機管理課", "市民課", "こども未来課", "教育政策課", "産業政策課"] {
        assert!(c.submitted().contains(&department), "{department} submitted");
    }
    assert_eq!(c.submitted().len() + failed.len() + missing.len(), c.roster.len());
}

#[test]
fn every_evaluation_row_is_in_the_book_with_its_grade() {
    every_evaluation_row_is_in_the_book_with_its_grade_in(&seto());
}

/// For any pipeline's run over the samples (tests/it/guess.rs runs a guessed one).
pub fn every_evaluation_row_is_in_the_book_with_its_grade_in(run: &common::Outcome) {
    let truth = truth();
    let mut checked = 0;
    for t in of_type(&truth, "evaluation") {
        let (file, cell) = (s(&t["file"]), s(&t["cell"]));
        let row = run
            .consolidation
            .rows
            .iter()
            .find(|r| r.file == file && r.status_cell.is_some_and(|c| c.to_string() == *cell))
            .unwrap_or_else(|| panic!("{file} {cell}: evaluation row not consolidated"));
        assert_eq!(row.grade.clone().unwrap_or_default(), s(&t["grade"]), "{cell} grade (raw {:?})", s(&t["raw"]));
        assert_eq!(row.status_raw, s(&t["raw"]), "{cell} raw");
        assert_eq!(row.goal, s(&t["policy"]), "{cell} policy");
        assert_eq!(row.measure, s(&t["measure"]), "{cell} measure");
        assert_eq!(row.project, s(&t["action"]), "{cell} action");
        assert_eq!(row.department, s(&t["department"]), "{cell} department");
        // A–D through the pipeline's vocabulary: A is 達成 … D is 取組なし.
        let status = ["達成", "推進中", "課題あり", "取組なし"][(s(&t["grade"]).as_bytes()[0] - b'A') as usize];
        assert_eq!(row.status.as_deref(), Some(status), "{cell} status");
        checked += 1;
    }
    assert_eq!(checked, of_type(&truth, "evaluation").count());
    assert!(checked > 0);

    // The book lists each with its grade, and counts them per basic policy and grade.
    let listed = common::read_sheet(&run.book, "評価一覧");
    let header = &listed[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
    for t in of_type(&truth, "evaluation") {
        let source = format!("{}!{}!{}", s(&t["file"]), s(&t["sheet"]), s(&t["cell"]));
        let row = listed.iter().find(|r| r[col("出典")] == source).unwrap_or_else(|| panic!("{source} not in 評価一覧"));
        assert_eq!(row[col("評価")], s(&t["grade"]));
        assert_eq!(row[col("具体的取組")], s(&t["action"]));
    }
    let overview = common::read_sheet(&run.book, "概要");
    let at = overview.iter().position(|r| r.first().map(String::as_str) == Some("基本方針")).expect("policy × grade table on 概要");
    let grades: Vec<String> = overview[at][1..5].to_vec();
    assert_eq!(grades, ["A", "B", "C", "D"]);
    for row in overview[at + 1..].iter().take_while(|r| r.first().is_some_and(|g| !g.is_empty())) {
        for (i, grade) in grades.iter().enumerate() {
            // The last row totals the policies.
            let want = of_type(&truth, "evaluation").filter(|t| (row[0] == "合計" || s(&t["policy"]) == row[0]) && &s(&t["grade"]) == grade).count();
            assert_eq!(row[1 + i].parse::<f64>().unwrap_or(0.0) as usize, want, "{} {grade}", row[0]);
        }
        // The share of A and B among all the policy's grades.
        let (a_b, all) = (row[1].parse::<f64>().unwrap_or(0.0) + row[2].parse::<f64>().unwrap_or(0.0), row[7].parse::<f64>().unwrap_or(0.0));
        if all > 0.0 {
            assert!((row[8].parse::<f64>().unwrap_or(-1.0) - a_b / all).abs() < 1e-9, "{}: A+B share {}", row[0], row[8]);
        }
    }
}
