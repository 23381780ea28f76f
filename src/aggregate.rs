//! Aggregating with polars: status counts per plan, goal and measure, and per department;
//! achievement of each indicator against this fiscal year's plan, by the pipeline's rules.
//!
//! polars' group_by gives no stable order, so every result is sorted explicitly before it
//! reaches the book: the same inputs must give the same bytes.

use std::collections::{BTreeMap, HashSet};

use rustc_hash::{FxHashMap, FxHashSet};

use polars::prelude::*;

use crate::model::{AchievementRule, Consolidation, Direction, IndicatorRow, Kind};

pub use crate::model::{GRADES, NO_STATUS, OTHER_GRADE, STATUSES};

/// Projects per status: the four canonical statuses, then blank.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusCounts(pub [u32; 5]);

impl StatusCounts {
    pub fn total(&self) -> u32 {
        self.0.iter().sum()
    }

    /// Add another's counts, status by status.
    fn add_counts(&mut self, other: &StatusCounts) {
        for (slot, n) in self.0.iter_mut().zip(other.0) {
            *slot += n;
        }
    }

    fn add(&mut self, status: &str, n: u32) {
        let slot = STATUSES.iter().position(|s| *s == status).unwrap_or(STATUSES.len());
        self.0[slot] += n;
    }
}

/// One plan's projects per status: per goal, and per measure within its goal.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanCounts {
    pub plan: String,
    /// Goal → projects per status, goals in sorted order.
    pub by_goal: Vec<(String, StatusCounts)>,
    /// (goal, measure) → projects per status, in sorted order.
    pub by_measure: Vec<((String, String), StatusCounts)>,
}

impl PlanCounts {
    pub fn total(&self) -> StatusCounts {
        let mut all = StatusCounts::default();
        for (_, counts) in &self.by_goal {
            all.add_counts(counts);
        }
        all
    }
}

/// The one figure of the whole collection: how many projects are 達成 or 推進中, and how
/// many measured indicators are at or above this year's plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overall {
    pub projects: u32,
    pub projects_on_track: u32,
    /// Indicators with an achievement this year (an actual, a plan, a meaningful ratio).
    pub indicators_measured: u32,
    pub indicators_at_plan: u32,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Aggregates {
    /// Each plan's counts, in the pipeline's order of plans.
    pub plans: Vec<PlanCounts>,
    /// Department → projects per status and indicator count.
    pub by_department: BTreeMap<String, (StatusCounts, u32)>,
    /// Basic policy → evaluation rows per grade (A–D, then any other grade, then blank),
    /// for lists of graded actions: every row of such a list is counted.
    pub by_policy_grade: Vec<(String, [u32; 6])>,
    pub overall: Overall,
    /// Departments named on consolidated rows (the owners of a compiled list's actions)
    /// that are not on the roster, each with its row count, in name order.
    pub owners_not_on_roster: Vec<(String, usize)>,
}

pub fn aggregate(c: &Consolidation) -> PolarsResult<Aggregates> {
    let mut counter = Counter::new(c);
    counter.add(&c.rows);
    counter.finish()
}

/// The book's counts, taken a file's rows at a time: a prefecture's rows need not all be
/// in memory to be counted. What is kept is small: each project once (as numbers standing
/// for its texts), and counts. Given the rows in file order, it counts what [`aggregate`]
/// counts of them all at once.
pub struct Counter<'c> {
    c: &'c Consolidation,
    /// Every text counted by, once; the columns below hold their numbers.
    names: Names,
    /// Projects by (plan, department, project): a project counts once, with the status of
    /// its first row.
    seen: FxHashSet<(u32, u32, u32)>,
    /// One row per project: plan, goal, measure, department, status.
    projects: [Vec<u32>; 5],
    /// Department → indicators, rows.
    departments: FxHashMap<u32, (u32, usize)>,
    /// Basic policy → graded rows per grade slot.
    grades: BTreeMap<String, [u32; 6]>,
    measured: u32,
    at_plan: u32,
}

/// Texts numbered in the order first seen.
#[derive(Default)]
struct Names {
    ids: FxHashMap<String, u32>,
    texts: Vec<String>,
}

impl Names {
    fn id(&mut self, text: &str) -> u32 {
        if let Some(id) = self.ids.get(text) {
            return *id;
        }
        let id = self.texts.len() as u32;
        self.texts.push(text.to_string());
        self.ids.insert(text.to_string(), id);
        id
    }

    fn text(&self, id: u32) -> &str {
        self.texts.get(id as usize).map_or("", String::as_str)
    }
}

impl<'c> Counter<'c> {
    /// Counting for the consolidation `c` (its period, rules, plans and roster), whose rows
    /// are given to [`Counter::add`].
    pub fn new(c: &'c Consolidation) -> Counter<'c> {
        Counter {
            c,
            names: Names::default(),
            seen: FxHashSet::default(),
            projects: Default::default(),
            departments: FxHashMap::default(),
            grades: BTreeMap::new(),
            measured: 0,
            at_plan: 0,
        }
    }

    pub fn add(&mut self, rows: &[IndicatorRow]) {
        for row in rows {
            let plan = self.names.id(&row.plan);
            let department = self.names.id(&row.department);
            let project = self.names.id(&row.project);
            if self.seen.insert((plan, department, project)) {
                let goal = self.names.id(&row.goal);
                let measure = self.names.id(&row.measure);
                let status = self.names.id(row.status.as_deref().unwrap_or(NO_STATUS));
                for (column, id) in self.projects.iter_mut().zip([plan, goal, measure, department, status]) {
                    column.push(id);
                }
            }
            let counts = self.departments.entry(department).or_default();
            counts.1 += 1;
            if row.indicator.is_some() {
                counts.0 += 1;
                if let Some(Achievement { percent: Some(p), .. }) = achievement(row, self.c.period.fiscal_year, &self.c.rules) {
                    self.measured += 1;
                    self.at_plan += u32::from(p >= 100.0);
                }
            }
            if let Some(grade) = &row.grade {
                let slot = match GRADES.iter().position(|g| g == grade) {
                    Some(slot) => slot,
                    None if grade.is_empty() => GRADES.len() + 1,
                    None => GRADES.len(),
                };
                self.grades.entry(row.goal.clone()).or_default()[slot] += 1;
            }
        }
    }

    pub fn finish(self) -> PolarsResult<Aggregates> {
        let Counter { c, names, projects, departments, grades, measured, at_plan, .. } = self;
        let [plan, goal, measure, department, status] = projects;
        let frame = DataFrame::new_infer_height(vec![
            Column::new("plan".into(), plan),
            Column::new("goal".into(), goal),
            Column::new("measure".into(), measure),
            Column::new("department".into(), department),
            Column::new("status".into(), status),
        ])?;
        let mut out = Aggregates::default();
        let by_measure = frame.clone().lazy().group_by([col("plan"), col("goal"), col("measure"), col("status")]).agg([len().alias("n")]).collect()?;
        let mut plans: BTreeMap<String, (BTreeMap<String, StatusCounts>, BTreeMap<(String, String), StatusCounts>)> = BTreeMap::new();
        for [plan, goal, measure, status, n] in rows_of(&by_measure, ["plan", "goal", "measure", "status", "n"])? {
            let (goals, measures) = plans.entry(names.text(plan).to_string()).or_default();
            goals.entry(names.text(goal).to_string()).or_default().add(names.text(status), n);
            measures.entry((names.text(goal).to_string(), names.text(measure).to_string())).or_default().add(names.text(status), n);
        }
        // The pipeline's order of plans; a plan no layout declares (rows of an older cache)
        // after them.
        let mut order: Vec<&String> = c.plans.iter().collect();
        order.extend(plans.keys().filter(|p| !c.plans.contains(p)));
        out.plans = order
            .into_iter()
            .filter_map(|plan| {
                let (goals, measures) = plans.get(plan)?;
                Some(PlanCounts { plan: plan.clone(), by_goal: goals.clone().into_iter().collect(), by_measure: measures.clone().into_iter().collect() })
            })
            .collect();

        let by_department = frame.lazy().group_by([col("department"), col("status")]).agg([len().alias("n")]).collect()?;
        for [department, status, n] in rows_of(&by_department, ["department", "status", "n"])? {
            out.by_department.entry(names.text(department).to_string()).or_default().0.add(names.text(status), n);
        }
        let roster: HashSet<&str> = c.roster.iter().map(String::as_str).collect();
        for (department, (indicators, rows)) in departments {
            let name = names.text(department);
            out.by_department.entry(name.to_string()).or_default().1 += indicators;
            if !roster.contains(name) {
                out.owners_not_on_roster.push((name.to_string(), rows));
            }
        }
        out.owners_not_on_roster.sort();
        out.by_policy_grade = grades.into_iter().collect();

        let mut all = StatusCounts::default();
        for plan in &out.plans {
            all.add_counts(&plan.total());
        }
        out.overall = Overall { projects: all.total(), projects_on_track: all.0[0] + all.0[1], indicators_measured: measured, indicators_at_plan: at_plan };
        Ok(out)
    }
}

/// The rows of a frame of u32 columns, as arrays in the order of `columns`.
fn rows_of<const N: usize>(df: &DataFrame, columns: [&str; N]) -> PolarsResult<Vec<[u32; N]>> {
    let columns: Vec<Column> = columns.iter().map(|name| df.column(name).and_then(|c| c.cast(&DataType::UInt32))).collect::<PolarsResult<_>>()?;
    let columns: Vec<&UInt32Chunked> = columns.iter().map(|c| c.u32()).collect::<PolarsResult<_>>()?;
    Ok((0..df.height()).map(|i| std::array::from_fn(|k| columns[k].get(i).unwrap_or(0))).collect())
}

/// How far an indicator has come this fiscal year, and by which rule: a percentage, or
/// why none means anything.
#[derive(Debug, Clone, PartialEq)]
pub struct Achievement {
    /// Percent, one decimal; None when the rule gives no meaningful ratio.
    pub percent: Option<f64>,
    /// The rule, as the book shows it beside the figure (実績÷計画).
    pub rule: &'static str,
    /// Why there is no figure, when there is none.
    pub why_not: Option<&'static str>,
}

/// The achievement of an indicator this fiscal year (`fy`) under the first of `rules` that
/// applies to it (or [`AchievementRule::DEFAULT`]). None when it has no actual or no plan
/// for the year: nothing to measure yet.
///
/// - rising or held (`increase`, `keep`): actual ÷ plan;
/// - falling (`decrease`): plan ÷ actual;
/// - against the baseline (`from_baseline`): the change so far over the change planned,
///   (actual − baseline) ÷ (plan − baseline), or (baseline − actual) ÷ (baseline − plan)
///   for a fall;
/// - cumulative plans (`cumulative`): the actuals of every plan year up to this one,
///   summed, in place of this year's.
///
/// A ratio of a negative figure (a rate of change), of a zero, or of a plan that moves the
/// wrong way from the baseline misleads: the figure is left out and `why_not` says why.
pub fn achievement(row: &IndicatorRow, fy: i32, rules: &[AchievementRule]) -> Option<Achievement> {
    let actual = row.value(Kind::Actual, fy)?.value?;
    let plan = row.value(Kind::Plan, fy)?.value?;
    let rule = rules.iter().find(|r| r.applies_to(row)).unwrap_or(&AchievementRule::DEFAULT);
    if rule.change {
        return Some(Achievement { percent: None, rule: "増減の指標", why_not: Some("増減を表す指標の比は意味をなさない") });
    }
    let rule_text = match (rule.direction, rule.from_baseline, rule.cumulative) {
        (Direction::Decrease, true, false) => "(基準値−実績)÷(基準値−計画)",
        (Direction::Decrease, true, true) => "(基準値−累計実績)÷(基準値−計画)",
        (Direction::Decrease, false, false) => "計画÷実績 (減少が目標)",
        (Direction::Decrease, false, true) => "計画÷累計実績 (減少が目標)",
        (_, true, false) => "(実績−基準値)÷(計画−基準値)",
        (_, true, true) => "(累計実績−基準値)÷(計画−基準値)",
        (Direction::Keep, false, false) => "実績÷計画 (維持が目標)",
        (Direction::Keep, false, true) => "累計実績÷計画 (維持が目標)",
        (Direction::Increase, false, false) => "実績÷計画",
        (Direction::Increase, false, true) => "累計実績÷計画",
    };
    let none = |why: &'static str| Some(Achievement { percent: None, rule: rule_text, why_not: Some(why) });
    let actual = if rule.cumulative {
        // Every plan year up to this one needs its actual, or the sum says too little.
        let mut sum = 0.0;
        let mut years: Vec<i32> = row.values.iter().filter(|v| v.kind == Kind::Plan && v.fiscal_year <= fy).map(|v| v.fiscal_year).collect();
        years.sort_unstable();
        years.dedup();
        for year in years {
            match row.value(Kind::Actual, year).and_then(|v| v.value) {
                Some(v) => sum += v,
                None => return none("累計に要る年度の実績がない"),
            }
        }
        sum
    } else {
        actual
    };
    let baseline = row.values.iter().find(|v| v.kind == Kind::Baseline).and_then(|v| v.value);
    if actual < 0.0 || plan < 0.0 || (rule.from_baseline && baseline.is_some_and(|b| b < 0.0)) {
        return none("負の値 (増減率など) の比は意味をなさない");
    }
    let ratio = if rule.from_baseline {
        let Some(base) = baseline else { return none("基準値がない") };
        let (done, planned) = match rule.direction {
            Direction::Decrease => (base - actual, base - plan),
            _ => (actual - base, plan - base),
        };
        if planned <= 0.0 {
            return none("計画値が基準値から目標の向きに動いていない");
        }
        done / planned
    } else {
        match rule.direction {
            Direction::Decrease if actual == 0.0 => return none("実績が 0: 減少の比は出せない"),
            Direction::Decrease => plan / actual,
            _ if plan == 0.0 => return none("計画値が 0"),
            _ => actual / plan,
        }
    };
    Some(Achievement { percent: Some((ratio * 1000.0).round() / 10.0), rule: rule_text, why_not: None })
}

#[cfg(test)]
mod tests {
    use super::achievement;
    use crate::model::{AchievementRule, CellRef, Direction, IndicatorRow, Kind, ValueCell};

    fn indicator(name: &str, values: &[(Kind, i32, f64)]) -> IndicatorRow {
        IndicatorRow {
            department: "課".into(),
            file: "f.xlsx".into(),
            sheet: "s".into(),
            row: 5,
            goal: String::new(),
            measure: String::new(),
            project: "事業".into(),
            status: None,
            status_raw: String::new(),
            status_cell: None,
            grade: None,
            indicator: Some(name.into()),
            unit: String::new(),
            values: values
                .iter()
                .map(|&(kind, fiscal_year, v)| ValueCell { kind, fiscal_year, value: Some(v), flag: None, raw: v.to_string(), cell: CellRef { row: 4, col: 3 } })
                .collect(),
            plan: String::new(),
            notes: Vec::new(),
        }
    }

    fn rule(name: &str, direction: Direction, cumulative: bool, from_baseline: bool) -> AchievementRule {
        AchievementRule { name: Some(regex::Regex::new(name).expect("pattern")), unit: None, direction, cumulative, from_baseline, change: false }
    }

    fn percent(row: &IndicatorRow, rules: &[AchievementRule]) -> (Option<f64>, &'static str, Option<&'static str>) {
        let a = achievement(row, 2022, rules).expect("actual and plan are there");
        (a.percent, a.rule, a.why_not)
    }

    #[test]
    fn a_rising_indicator_is_its_actual_over_its_plan() {
        let row = indicator("電子申請の利用率", &[(Kind::Plan, 2022, 40.0), (Kind::Actual, 2022, 30.0)]);
        // 30 ÷ 40 = 75 %.
        assert_eq!(percent(&row, &[]), (Some(75.0), "実績÷計画", None));
    }

    #[test]
    fn a_falling_indicator_is_its_plan_over_its_actual() {
        let rules = [rule("待ち時間", Direction::Decrease, false, false)];
        // Waiting 24 minutes against a plan of 20: 20 ÷ 24 = 83.33… → 83.3 %, not 120 %.
        let row = indicator("窓口平均待ち時間", &[(Kind::Plan, 2022, 20.0), (Kind::Actual, 2022, 24.0)]);
        assert_eq!(percent(&row, &rules), (Some(83.3), "計画÷実績 (減少が目標)", None));
        // 15 minutes, better than planned: 20 ÷ 15 = 133.3 %.
        let row = indicator("窓口平均待ち時間", &[(Kind::Plan, 2022, 20.0), (Kind::Actual, 2022, 15.0)]);
        assert_eq!(percent(&row, &rules).0, Some(133.3));
    }

    #[test]
    fn a_falling_indicator_against_its_baseline_is_the_fall_so_far_over_the_fall_planned() {
        let rules = [rule("紙の申請", Direction::Decrease, false, true)];
        // From 1,000 sheets (baseline) to a plan of 600, at 850: (1000 − 850) ÷ (1000 − 600) = 37.5 %.
        let row = indicator("紙の申請件数", &[(Kind::Baseline, 2019, 1000.0), (Kind::Plan, 2022, 600.0), (Kind::Actual, 2022, 850.0)]);
        assert_eq!(percent(&row, &rules), (Some(37.5), "(基準値−実績)÷(基準値−計画)", None));
    }

    #[test]
    fn a_target_relative_to_the_baseline_counts_the_rise_so_far() {
        // 「平均25%の上昇」 against H30: from 80 to a plan of 100, at 90: (90 − 80) ÷ (100 − 80) = 50 %,
        // where actual ÷ plan would say 90 %.
        let rules = [rule("満足度", Direction::Increase, false, true)];
        let row = indicator("利用者満足度", &[(Kind::Baseline, 2018, 80.0), (Kind::Plan, 2022, 100.0), (Kind::Actual, 2022, 90.0)]);
        assert_eq!(percent(&row, &rules), (Some(50.0), "(実績−基準値)÷(計画−基準値)", None));
        // Without a baseline there is nothing to measure from.
        let row = indicator("利用者満足度", &[(Kind::Plan, 2022, 100.0), (Kind::Actual, 2022, 90.0)]);
        assert_eq!(percent(&row, &rules), (None, "(実績−基準値)÷(計画−基準値)", Some("基準値がない")));
    }

    #[test]
    fn a_cumulative_plan_is_met_by_the_actuals_summed() {
        let rules = [rule("講座", Direction::Increase, true, false)];
        // Plans are running totals 10, 25, 45; actuals per year 12, 14, 9:
        // (12 + 14 + 9) ÷ 45 = 77.77… → 77.8 %.
        let row = indicator(
            "講座の累計開催数",
            &[
                (Kind::Plan, 2020, 10.0),
                (Kind::Plan, 2021, 25.0),
                (Kind::Plan, 2022, 45.0),
                (Kind::Actual, 2020, 12.0),
                (Kind::Actual, 2021, 14.0),
                (Kind::Actual, 2022, 9.0),
            ],
        );
        assert_eq!(percent(&row, &rules), (Some(77.8), "累計実績÷計画", None));
        // A year's actual missing: the sum would say too little.
        let mut gap = row.clone();
        gap.values.retain(|v| !(v.kind == Kind::Actual && v.fiscal_year == 2021));
        assert_eq!(percent(&gap, &rules).2, Some("累計に要る年度の実績がない"));
    }

    #[test]
    fn a_ratio_that_would_mislead_is_left_out_with_the_reason() {
        // A rate of change of −16.7 % against a plan of 15: not −111.3 %.
        let row = indicator("待ち時間の削減率 (前年度比)", &[(Kind::Plan, 2022, 15.0), (Kind::Actual, 2022, -16.7)]);
        assert_eq!(percent(&row, &[]), (None, "実績÷計画", Some("負の値 (増減率など) の比は意味をなさない")));
        let row = indicator("件数", &[(Kind::Plan, 2022, 0.0), (Kind::Actual, 2022, 3.0)]);
        assert_eq!(percent(&row, &[]).2, Some("計画値が 0"));
        // A figure that is itself a change, declared so: no ratio even when positive.
        let rules = [AchievementRule { change: true, ..rule("増減率", Direction::Increase, false, false) }];
        let row = indicator("市内IT事業所数の増減率", &[(Kind::Plan, 2022, 3.0), (Kind::Actual, 2022, 2.5)]);
        assert_eq!(percent(&row, &rules), (None, "増減の指標", Some("増減を表す指標の比は意味をなさない")));
        // A fall planned from a baseline below the plan is no fall.
        let rules = [rule("件数", Direction::Decrease, false, true)];
        let row = indicator("件数", &[(Kind::Baseline, 2019, 5.0), (Kind::Plan, 2022, 8.0), (Kind::Actual, 2022, 3.0)]);
        assert_eq!(percent(&row, &rules).2, Some("計画値が基準値から目標の向きに動いていない"));
    }

    #[test]
    fn the_first_rule_that_names_an_indicator_applies() {
        let rules = [rule("待ち時間", Direction::Decrease, false, false), rule("時間", Direction::Keep, false, false)];
        let row = indicator("待ち時間", &[(Kind::Plan, 2022, 10.0), (Kind::Actual, 2022, 20.0)]);
        assert_eq!(percent(&row, &rules).0, Some(50.0));
        let row = indicator("開庁時間", &[(Kind::Plan, 2022, 10.0), (Kind::Actual, 2022, 20.0)]);
        assert_eq!(percent(&row, &rules), (Some(200.0), "実績÷計画 (維持が目標)", None));
        // Nothing to measure without an actual.
        let row = indicator("開庁時間", &[(Kind::Plan, 2022, 10.0)]);
        assert_eq!(achievement(&row, 2022, &rules), None);
    }
}
