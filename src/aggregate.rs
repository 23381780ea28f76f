//! Aggregating with polars: status counts per goal and per department, achievement of
//! each indicator against this fiscal year's plan.
//!
//! polars' group_by gives no stable order, so every result is sorted explicitly before it
//! reaches the book: the same inputs must give the same bytes.

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::model::{Consolidation, IndicatorRow, Kind};

pub use crate::model::{GRADES, NO_STATUS, OTHER_GRADE, STATUSES};

/// Projects per status: the four canonical statuses, then blank.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusCounts(pub [u32; 5]);

impl StatusCounts {
    pub fn total(&self) -> u32 {
        self.0.iter().sum()
    }

    fn add(&mut self, status: &str, n: u32) {
        let slot = STATUSES.iter().position(|s| *s == status).unwrap_or(STATUSES.len());
        self.0[slot] += n;
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Aggregates {
    /// Goal → projects per status, goals in sorted order.
    pub by_goal: Vec<(String, StatusCounts)>,
    /// Department → projects per status and indicator count.
    pub by_department: BTreeMap<String, (StatusCounts, u32)>,
    /// Basic policy → evaluation rows per grade (A–D, then any other grade, then blank),
    /// for lists of graded actions: every row of such a list is counted.
    pub by_policy_grade: Vec<(String, [u32; 6])>,
}

pub fn aggregate(c: &Consolidation) -> PolarsResult<Aggregates> {
    let projects = projects_frame(&c.rows)?;
    let mut out = Aggregates::default();

    let by_goal = projects
        .clone()
        .lazy()
        .group_by([col("goal"), col("status")])
        .agg([len().alias("n")])
        .sort(["goal", "status"], SortMultipleOptions::default())
        .collect()?;
    let mut goals: BTreeMap<String, StatusCounts> = BTreeMap::new();
    for (goal, status, n) in triples(&by_goal, "goal")? {
        goals.entry(goal).or_default().add(&status, n);
    }
    out.by_goal = goals.into_iter().collect();

    let by_department = projects
        .lazy()
        .group_by([col("department"), col("status")])
        .agg([len().alias("n")])
        .sort(["department", "status"], SortMultipleOptions::default())
        .collect()?;
    for (department, status, n) in triples(&by_department, "department")? {
        out.by_department.entry(department).or_default().0.add(&status, n);
    }
    for row in c.rows.iter().filter(|r| r.indicator.is_some()) {
        out.by_department.entry(row.department.clone()).or_default().1 += 1;
    }
    out.by_policy_grade = grades_by_policy(&c.rows)?;
    Ok(out)
}

fn grades_by_policy(rows: &[IndicatorRow]) -> PolarsResult<Vec<(String, [u32; 6])>> {
    let graded: Vec<&IndicatorRow> = rows.iter().filter(|r| r.grade.is_some()).collect();
    if graded.is_empty() {
        return Ok(Vec::new());
    }
    let frame = DataFrame::new_infer_height(vec![
        Column::new("goal".into(), graded.iter().map(|r| r.goal.as_str()).collect::<Vec<_>>()),
        Column::new("status".into(), graded.iter().map(|r| r.grade.as_deref().unwrap_or_default()).collect::<Vec<_>>()),
    ])?;
    let counts = frame
        .lazy()
        .group_by([col("goal"), col("status")])
        .agg([len().alias("n")])
        .sort(["goal", "status"], SortMultipleOptions::default())
        .collect()?;
    let mut by_policy: BTreeMap<String, [u32; 6]> = BTreeMap::new();
    for (policy, grade, n) in triples(&counts, "goal")? {
        let slot = match GRADES.iter().position(|g| *g == grade) {
            Some(slot) => slot,
            None if grade.is_empty() => GRADES.len() + 1,
            None => GRADES.len(),
        };
        by_policy.entry(policy).or_default()[slot] += n;
    }
    Ok(by_policy.into_iter().collect())
}

/// One row per project (department, project), with its goal and status.
fn projects_frame(rows: &[IndicatorRow]) -> PolarsResult<DataFrame> {
    let column = |f: fn(&IndicatorRow) -> &str| -> Vec<&str> { rows.iter().map(f).collect() };
    let frame = DataFrame::new_infer_height(vec![
        Column::new("department".into(), column(|r| &r.department)),
        Column::new("project".into(), column(|r| &r.project)),
        Column::new("goal".into(), column(|r| &r.goal)),
        Column::new("status".into(), column(|r| r.status.as_deref().unwrap_or(NO_STATUS))),
    ])?;
    frame
        .lazy()
        .unique_stable_generic(Some(vec![col("department"), col("project")]), UniqueKeepStrategy::First)
        .collect()
}

fn triples(df: &DataFrame, key: &str) -> PolarsResult<Vec<(String, String, u32)>> {
    let keys = df.column(key)?.str()?;
    let statuses = df.column("status")?.str()?;
    let counts = df.column("n")?.cast(&DataType::UInt32)?;
    let counts = counts.u32()?;
    Ok(keys
        .iter()
        .zip(statuses.iter())
        .zip(counts.iter())
        .map(|((k, s), n)| (k.unwrap_or_default().to_string(), s.unwrap_or_default().to_string(), n.unwrap_or(0)))
        .collect())
}

/// Achievement of an indicator: this period's actual against this fiscal year's plan, in %.
/// None when either is missing or the plan is zero (no meaningful ratio).
pub fn achievement(row: &IndicatorRow, fiscal_year: i32) -> Option<f64> {
    let actual = row.value(Kind::Actual, fiscal_year)?.value?;
    let plan = row.value(Kind::Plan, fiscal_year)?.value?;
    (plan != 0.0).then(|| (actual / plan * 1000.0).round() / 10.0)
}
