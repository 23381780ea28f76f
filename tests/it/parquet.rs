//! The records as Parquet (`--records FILE.parquet`, or a folder of parts by period): the
//! samples' run gives the same bytes twice, as many rows as the CSV, typed columns, and
//! DuckDB counts 概要's projects from it with the SQL README shows.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use torimatome::run::{self, Paths, Quiet};

use crate::common;

/// The samples' run with the records at `records` (relative to a fresh folder); the folder,
/// the report's records file and the consolidation.
fn samples_with_records(records: &str) -> (tempfile::TempDir, PathBuf, torimatome::model::Consolidation) {
    let loaded = common::load_project("pipelines/seto.yaml");
    let dir = tempfile::tempdir().expect("temp dir");
    let paths = Paths {
        inbox: Some(common::shared().join("samples/inbox")),
        out: Some(dir.path().join("book.xlsx")),
        records: Some(dir.path().join(records)),
        cache: false,
    };
    let report = run::run(&loaded, &paths, &Quiet).unwrap_or_else(|e| panic!("run failed: {e}"));
    let written = report.records.expect("records written");
    (dir, written, report.consolidation)
}

/// Run a DuckDB query over the Parquet file at `path` (as `records`) and return its rows,
/// tab-separated. A missing DuckDB fails, saying how to install it.
fn duckdb(path: &Path, sql: &str) -> Vec<Vec<String>> {
    let script = "import sys\n\
try:\n    import duckdb\n\
except ImportError:\n    sys.exit('DuckDB is not installed: python3 -m pip install duckdb==1.5.6 (as .ci/run does)')\n\
con = duckdb.connect()\n\
con.execute(\"CREATE VIEW records AS SELECT * FROM read_parquet('%s')\" % sys.argv[1].replace(\"'\", \"''\"))\n\
for row in con.execute(sys.argv[2]).fetchall():\n    print('\\t'.join('' if v is None else str(v) for v in row))\n";
    let out = Command::new("python3")
        .args(["-c", script, &path.to_string_lossy(), sql])
        .output()
        .unwrap_or_else(|e| panic!("python3 cannot run ({e}): install Python 3 and DuckDB (python3 -m pip install duckdb==1.5.6)"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "DuckDB failed: {stderr}");
    String::from_utf8_lossy(&out.stdout).lines().map(|l| l.split('\t').map(String::from).collect()).collect()
}

#[test]
fn the_records_as_parquet_are_the_same_bytes_twice_and_as_many_rows_as_the_csv() {
    let (_a, first, _) = samples_with_records("records.parquet");
    let (_b, second, _) = samples_with_records("records.parquet");
    let (one, two) = (std::fs::read(&first).expect("parquet"), std::fs::read(&second).expect("parquet"));
    assert!(one.starts_with(b"PAR1") && one.ends_with(b"PAR1"), "a Parquet file");
    assert!(one == two, "the same inputs give the same bytes");

    let csv = common::run_pipeline("pipelines/seto.yaml", Some(&common::shared().join("samples/inbox")));
    let counted = duckdb(&first, "SELECT count(*) FROM records");
    assert_eq!(counted, vec![vec![csv.records.len().to_string()]], "as many rows as the CSV");

    // The CSV's columns in its order, typed.
    let columns = duckdb(&first, "SELECT column_name, column_type FROM (DESCRIBE records)");
    let names: Vec<&str> = columns.iter().map(|c| c[0].as_str()).collect();
    assert_eq!(names, torimatome::records::COLUMNS);
    for c in &columns {
        let want = match c[0].as_str() {
            "fiscal_year" => "INTEGER",
            "value" => "DOUBLE",
            _ => "VARCHAR",
        };
        assert_eq!(c[1], want, "{}", c[0]);
    }
    // Text as written (no apostrophe before a sign), numbers as numbers: the CSV's values.
    let sums = duckdb(&first, "SELECT count(value), round(sum(value), 6), sum(fiscal_year) FROM records");
    let values: Vec<f64> = csv.records.iter().filter_map(|r| r["value"].parse::<f64>().ok()).collect();
    let years: i64 = csv.records.iter().map(|r| r["fiscal_year"].parse::<i64>().expect("a year")).sum();
    assert_eq!(sums[0][0], values.len().to_string());
    assert!((sums[0][1].parse::<f64>().expect("a sum") - values.iter().sum::<f64>()).abs() < 1e-6, "{sums:?}");
    assert_eq!(sums[0][2], years.to_string());
    let raws = duckdb(&first, "SELECT count(*) FROM records WHERE raw = '-'");
    let lone_signs = csv.records.iter().filter(|r| r["raw"] == "-").count();
    assert_eq!(raws[0][0], lone_signs.to_string());
}

#[test]
fn a_folder_of_records_holds_a_part_per_period() {
    let (dir, written, c) = samples_with_records("records");
    let part = dir.path().join("records").join(format!("period={}", c.period)).join("records.parquet");
    assert_eq!(written, part);
    assert!(part.is_file());
    // Another period's part is left alone; this period's is replaced.
    let other = dir.path().join("records/period=2000H1/records.parquet");
    std::fs::create_dir_all(other.parent().expect("folder")).expect("folder");
    std::fs::copy(&part, &other).expect("copy");
    std::fs::write(&part, b"stale").expect("stale");
    let loaded = common::load_project("pipelines/seto.yaml");
    let paths = Paths {
        inbox: Some(common::shared().join("samples/inbox")),
        out: Some(dir.path().join("book.xlsx")),
        records: Some(dir.path().join("records")),
        cache: false,
    };
    run::run(&loaded, &paths, &Quiet).unwrap_or_else(|e| panic!("run failed: {e}"));
    assert!(std::fs::read(&part).expect("part").starts_with(b"PAR1"), "the period's part rewritten");
    assert!(other.is_file(), "another period's part kept");
    // Read hive-style, the folder's period column is the parts' own.
    let glob = dir.path().join("records/*/*.parquet");
    let periods = duckdb(&glob, "SELECT period, count(*) FROM records GROUP BY period ORDER BY period");
    assert_eq!(periods.len(), 2, "{periods:?}");
    assert_eq!(periods[1][0], c.period.to_string());
}

/// 概要's projects per plan, goal and status, as README gives the query.
const OVERVIEW_SQL: &str = "\
WITH projects AS (
  SELECT plan, department, project, min(goal) AS goal, min(status) AS status
  FROM records GROUP BY plan, department, project)
SELECT plan, goal,
       CASE WHEN status IN ('達成', '推進中', '課題あり', '取組なし') THEN status ELSE '未記入' END AS status,
       count(*) AS projects
FROM projects GROUP BY ALL ORDER BY ALL";

#[test]
fn duckdb_counts_the_overviews_projects_from_the_parquet_records() {
    let (_dir, parquet, c) = samples_with_records("records.parquet");
    // One status and one goal per project in the records, so min() is the project's own.
    let mixed = duckdb(
        &parquet,
        "SELECT plan, department, project FROM records GROUP BY ALL HAVING count(DISTINCT status) > 1 OR count(DISTINCT goal) > 1",
    );
    assert!(mixed.is_empty(), "projects with two statuses or goals: {mixed:?}");

    let mut counted: BTreeMap<(String, String), [u32; 5]> = BTreeMap::new();
    for row in duckdb(&parquet, OVERVIEW_SQL) {
        let slot = torimatome::aggregate::STATUSES.iter().position(|s| *s == row[2]).unwrap_or(4);
        counted.entry((row[0].clone(), row[1].clone())).or_default()[slot] += row[3].parse::<u32>().expect("a count");
    }
    let overview = torimatome::aggregate::aggregate(&c).expect("aggregates");
    let mut book: BTreeMap<(String, String), [u32; 5]> = BTreeMap::new();
    for plan in &overview.plans {
        for (goal, counts) in &plan.by_goal {
            book.insert((plan.plan.clone(), goal.clone()), counts.0);
        }
    }
    assert!(book.len() >= 4, "the samples' two plans and their goals: {book:?}");
    assert_eq!(counted, book, "DuckDB's counts from the records against 概要's");
}
