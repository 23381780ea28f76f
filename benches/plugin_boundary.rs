//! What the plugin boundary costs: the Japanese normalizer steps (fullwidth, era_years,
//! numbers, status) run over the same cells twice, once through the `torimatome-ja`
//! shared library loaded with libloading, once linked in (`InProcessStep` around
//! `JaPlugin`). Same code, same cells, same `Normalizer`; only the boundary differs.
//!
//! `cargo bench --bench plugin_boundary`. Speed is reported, never asserted: the machine
//! decides the figures. The one thing that fails the run is the two ways disagreeing,
//! because then the figures would compare different work.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use torimatome::normalize::{Cell, Normalizer, Output, Role, Step};
use torimatome::plugin::{self, InProcessStep, Plugin, PluginStep};
use torimatome::workbook::{NumberFormat, Value};
use torimatome_ja::JaPlugin;
use torimatome_plugin_api::{OptionValue, Options, Plugin as _};

/// Batch sizes: one sheet's column, a large workbook, a whole collection at once.
const BATCH_SIZES: [usize; 3] = [60, 1_000, 100_000];
/// Cells normalized per side in each timed round, so that every batch size gets a
/// measurable amount of work (half a million cells whatever the batch size).
const CELLS_PER_ROUND: usize = 500_000;
/// Rounds per side; medians are reported, the sides alternate to share any drift.
const ROUNDS: usize = 11;
/// The batch size the target is stated for.
const TARGET_BATCH: usize = 1_000;

fn main() {
    let plugin = current_plugin();
    let in_process = in_process_normalizer();
    let boundary = boundary_normalizer(&plugin);

    let batches: Vec<Batch> = BATCH_SIZES.iter().map(|&n| Batch::generate(n, 0x746f_7269 ^ n as u64)).collect();
    // Before any timing: both ways must do the same work, cell for cell.
    for batch in &batches {
        verify_same_outputs(batch, &in_process, &boundary);
    }
    let largest = batches.last().expect("batch sizes");
    println!("outputs identical both ways on {} batches ({} cells in all)", batches.len(), batches.iter().map(|b| b.cells).sum::<usize>());
    println!("data set ({} cells): {}", largest.cells, largest.summary(&in_process));
    println!();

    // ratio: boundary time / in-process time for the same cells, median over the rounds.
    println!("{:>7} {:>10} {:>16} {:>16} {:>7}", "batch", "cells", "in-process c/s", "boundary c/s", "ratio");
    let mut target_ratio = None;
    for batch in &batches {
        let m = measure(batch, &in_process, &boundary);
        println!("{:>7} {:>10} {:>16.0} {:>16.0} {:>6.2}×", batch.cells, m.cells, m.in_process, m.boundary, m.ratio);
        if batch.cells == TARGET_BATCH {
            target_ratio = Some(m.ratio);
        }
    }
    if let Some(ratio) = target_ratio {
        println!("boundary cost: {ratio:.2}× at batch {TARGET_BATCH} (target < 1.5×)");
    }
}

// ---------------------------------------------------------------------------------------
// The plugin and the two pipelines
// ---------------------------------------------------------------------------------------

/// Build the plugin library and load it. The bench links the rlib; the `.so` is built
/// explicitly rather than trusting whatever an earlier build left in target/release, so
/// the figures never come from a stale library. `--workspace --lib` builds it with the
/// same features as a plain `cargo build --release`, so the two do not rebuild each other.
fn current_plugin() -> Arc<Plugin> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "--workspace", "--lib"])
        .current_dir(root)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "building torimatome-ja failed: {status}");

    // `--release` and the bench profile both build into target/release.
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), |d| root.join(PathBuf::from(d)));
    let dir = target.join("release");
    let path = plugin::find(std::slice::from_ref(&dir), "torimatome-ja").unwrap_or_else(|| panic!("no torimatome-ja library in {}", dir.display()));
    let plugin = plugin::load(&path).unwrap_or_else(|why| panic!("loading {}: {why}", path.display()));
    println!("plugin: {} (sha256 {}…)", path.display(), &plugin.sha256[..12]);
    plugin
}

/// The steps of pipelines/seto.yaml that touch value, status and header cells, with its
/// options. `departments` is left out: it needs a roster and sees one cell per sheet.
fn pipeline_steps() -> Vec<(&'static str, Options)> {
    let numbers = Options::from([
        ("percent_units".to_string(), OptionValue::List(vec!["%".into()])),
        ("bare_fractions_are_percent".to_string(), OptionValue::Bool(true)),
    ]);
    let vocabulary: BTreeMap<String, Vec<String>> = [
        ("達成", &["◎", "達成", "達成見込み", "達成済み"][..]),
        ("推進中", &["○", "〇", "◯", "推進中"]),
        ("課題あり", &["△", "課題あり", "要対策", "課題あり対策要"]),
        ("取組なし", &["－", "-", "―", "×", "取組なし", "今年度取組みなし"]),
    ]
    .into_iter()
    .map(|(label, forms)| (label.to_string(), forms.iter().map(|f| f.to_string()).collect()))
    .collect();
    let status = Options::from([("vocabulary".to_string(), OptionValue::Map(vocabulary))]);
    vec![("fullwidth", Options::new()), ("era_years", Options::new()), ("numbers", numbers), ("status", status)]
}

/// The roles a step applies to by default, as the plugin describes them.
fn default_roles(description: &torimatome_plugin_api::Description, step: &str) -> Vec<Role> {
    description.steps.iter().find(|s| s.name == step).unwrap_or_else(|| panic!("step {step} described")).roles.clone()
}

fn in_process_normalizer() -> Normalizer {
    let description = JaPlugin.describe();
    let steps = pipeline_steps()
        .into_iter()
        .map(|(name, options)| {
            let step = JaPlugin.step(name, &options).unwrap_or_else(|why| panic!("in-process {name}: {why}"));
            let label = format!("{}/{name}", description.name);
            Box::new(InProcessStep::new(&label, default_roles(&description, name), step)) as Box<dyn Step>
        })
        .collect();
    Normalizer::new(steps)
}

fn boundary_normalizer(plugin: &Arc<Plugin>) -> Normalizer {
    let steps = pipeline_steps()
        .into_iter()
        .map(|(name, options)| {
            let roles = default_roles(&plugin.description, name);
            let step = PluginStep::new(plugin.clone(), name, roles, &options).unwrap_or_else(|why| panic!("plugin {name}: {why}"));
            Box::new(step) as Box<dyn Step>
        })
        .collect();
    Normalizer::new(steps)
}

// ---------------------------------------------------------------------------------------
// The data set
// ---------------------------------------------------------------------------------------

/// A tiny linear congruential generator (Knuth's MMIX constants): deterministic data
/// without a rand dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as u32
    }

    /// A number in 0..n.
    fn below(&mut self, n: u32) -> u32 {
        self.next() % n
    }

    /// An index into `weights`, drawn in proportion to them.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let mut roll = self.below(weights.iter().sum());
        for (i, &w) in weights.iter().enumerate() {
            if roll < w {
                return i;
            }
            roll -= w;
        }
        unreachable!("roll below the sum of the weights")
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u32) as usize]
    }
}

/// One batch: the columns a sheet hands the normalizer, in the proportions of a KPI
/// table — per row four-odd value cells and one status cell, a few sub-headers per sheet.
struct Batch {
    cells: usize,
    columns: Vec<(Role, Vec<Cell>)>,
}

impl Batch {
    fn generate(cells: usize, seed: u64) -> Batch {
        let mut rng = Lcg(seed);
        let headers = (cells * 2 / 100).max(1);
        let statuses = cells * 20 / 100;
        let values = cells - headers - statuses;
        let columns = vec![
            (Role::ValueHeader, (0..headers).map(|_| header_cell(&mut rng)).collect()),
            (Role::Status, (0..statuses).map(|_| status_cell(&mut rng)).collect()),
            (Role::Value, (0..values).map(|_| value_cell(&mut rng)).collect()),
        ];
        Batch { cells, columns }
    }

    /// What the cells turned into, counted, so the mix can be judged realistic.
    fn summary(&self, normalizer: &Normalizer) -> String {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for (role, template) in &self.columns {
            let mut cells = template.clone();
            normalizer.run(*role, &mut cells);
            for cell in &cells {
                let kind = match &cell.out {
                    Output::Number { value: Some(_), .. } => "number",
                    Output::Number { value: None, .. } => "no value",
                    Output::Status(_) => "status",
                    Output::Header { .. } => "header",
                    Output::Unreadable(_) => "unreadable",
                    _ => "other",
                };
                *counts.entry(kind).or_default() += 1;
            }
        }
        counts.iter().map(|(k, n)| format!("{n} {k}")).collect::<Vec<_>>().join(", ")
    }
}

fn text_cell(text: &str) -> Cell {
    let value = if text.is_empty() { Value::Empty } else { Value::Text(text.to_string()) };
    Cell::new(value, text.to_string())
}

/// A number cell as the reader gives it: the typed value, and the text Excel shows.
fn number_cell(value: f64, format: NumberFormat) -> Cell {
    let value = Value::Number { value, format };
    let text = value.display();
    Cell::new(value, text)
}

fn header_cell(rng: &mut Lcg) -> Cell {
    text_cell(rng.pick(&["R1実績値", "R3計画値", "令和5年度計画値", "9月末時点"]))
}

fn status_cell(rng: &mut Lcg) -> Cell {
    const MARKS: [(&str, u32); 7] = [("○", 30), ("◎", 20), ("△", 15), ("", 15), ("〇", 10), ("－", 5), ("推進中", 5)];
    let weights: Vec<u32> = MARKS.iter().map(|m| m.1).collect();
    text_cell(MARKS[rng.weighted(&weights)].0)
}

/// The forms value cells take (DOMAIN.md, "Numbers"), by how often a KPI table has them:
/// half typed numbers, a third numbers written as text, the rest no value or unreadable.
#[derive(Clone, Copy)]
enum Form {
    General,
    PercentFormat,
    FixedGrouped,
    UnknownFraction,
    UnknownCount,
    Grouped,
    FullwidthGrouped,
    Approx,
    Percent,
    FullwidthPercent,
    BlackTriangle,
    WhiteTriangle,
    Hours,
    ThousandYen,
    LabelledPercent,
    Increase,
    Dash,
    Empty,
    NotMeasured,
    Unreadable,
}

const FORMS: [(Form, u32); 20] = [
    (Form::General, 22),
    (Form::PercentFormat, 10),
    (Form::FixedGrouped, 10),
    (Form::UnknownFraction, 4),
    (Form::UnknownCount, 4),
    (Form::Grouped, 10),
    (Form::FullwidthGrouped, 4),
    (Form::Approx, 3),
    (Form::Percent, 6),
    (Form::FullwidthPercent, 3),
    (Form::BlackTriangle, 2),
    (Form::WhiteTriangle, 2),
    (Form::Hours, 2),
    (Form::ThousandYen, 2),
    (Form::LabelledPercent, 1),
    (Form::Increase, 2),
    (Form::Dash, 4),
    (Form::Empty, 6),
    (Form::NotMeasured, 2),
    (Form::Unreadable, 1),
];

/// A value cell with its row's unit; the unit matches the form as it would on a real row.
fn value_cell(rng: &mut Lcg) -> Cell {
    let weights: Vec<u32> = FORMS.iter().map(|f| f.1).collect();
    let count_unit = rng.pick(&["人", "件"]);
    let any_unit = rng.pick(&["人", "%", "件", "千円", "時間"]);
    let tenths = format!("{}.{}", rng.below(100), rng.below(10));
    let (mut cell, unit) = match FORMS[rng.weighted(&weights)].0 {
        Form::General => (number_cell(rng.below(20_000) as f64, NumberFormat::General), count_unit),
        Form::PercentFormat => (number_cell(rng.below(1_000) as f64 / 1_000.0, NumberFormat::Percent(1)), "%"),
        Form::FixedGrouped => (number_cell(rng.below(5_000_000) as f64, NumberFormat::Fixed { decimals: 0, grouped: true }), "千円"),
        // What xls and ods give: no format, so a fraction in a % row is read as points.
        Form::UnknownFraction => (number_cell(rng.below(1_000) as f64 / 1_000.0, NumberFormat::Unknown), "%"),
        Form::UnknownCount => (number_cell(rng.below(500) as f64, NumberFormat::Unknown), count_unit),
        Form::Grouped => (text_cell(&grouped(rng.below(100_000))), count_unit),
        Form::FullwidthGrouped => (text_cell(&fullwidth(&grouped(rng.below(100_000)))), count_unit),
        Form::Approx => (text_cell(&format!("約{}", grouped(rng.below(100) * 100))), count_unit),
        Form::Percent => (text_cell(&format!("{tenths}%")), "%"),
        Form::FullwidthPercent => (text_cell(&fullwidth(&format!("{tenths}%"))), "%"),
        Form::BlackTriangle => (text_cell(&format!("▲{tenths}")), "%"),
        Form::WhiteTriangle => (text_cell(&format!("△{}", rng.below(50))), "件"),
        Form::Hours => (text_cell(&format!("{} 時間", grouped(rng.below(50_000)))), "時間"),
        Form::ThousandYen => (text_cell(&format!("{}千円", grouped(rng.below(100_000)))), "千円"),
        Form::LabelledPercent => (text_cell(&format!("申込み {tenths}%")), "%"),
        Form::Increase => (text_cell("↗"), any_unit),
        Form::Dash => (text_cell(rng.pick(&["—", "-", "－", "―"])), any_unit),
        Form::Empty => (text_cell(""), any_unit),
        Form::NotMeasured => (text_cell("(本年度未測定)"), any_unit),
        Form::Unreadable => (text_cell("調整中"), any_unit),
    };
    cell.unit = unit.to_string();
    cell
}

/// 5081 → "5,081".
fn grouped(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "7,000" → "７，０００": digits and punctuation as a Japanese IME types them.
fn fullwidth(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' | ',' | '.' | '%' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            other => other,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Checking and timing
// ---------------------------------------------------------------------------------------

/// Panic at the first cell where the two ways differ, or where either reports a failure.
fn verify_same_outputs(batch: &Batch, in_process: &Normalizer, boundary: &Normalizer) {
    for (role, template) in &batch.columns {
        let (mut a, mut b) = (template.clone(), template.clone());
        let failures_a = in_process.run(*role, &mut a);
        let failures_b = boundary.run(*role, &mut b);
        assert!(failures_a.is_empty() && failures_b.is_empty(), "steps failed on {role}: {failures_a:?} / {failures_b:?}");
        for (i, (x, y)) in a.iter().zip(&b).enumerate() {
            if x.out != y.out || x.text != y.text || x.warnings != y.warnings {
                panic!(
                    "batch {}, {role} cell {i} 「{}」 differs:\n  in-process: {:?} {:?} {:?}\n  boundary:   {:?} {:?} {:?}",
                    batch.cells, template[i].text, x.out, x.text, x.warnings, y.out, y.text, y.warnings
                );
            }
        }
    }
}

/// Throughput of both ways on one batch, in cells per second, and what the boundary costs.
struct Measurement {
    cells: usize,
    in_process: f64,
    boundary: f64,
    /// Boundary time / in-process time for the same cells (1.00× would be free).
    ratio: f64,
}

fn measure(batch: &Batch, in_process: &Normalizer, boundary: &Normalizer) -> Measurement {
    let reps = CELLS_PER_ROUND.div_ceil(batch.cells);
    // Warm caches, the allocator and the branch predictors on both sides, untimed.
    run_reps(batch, in_process, reps.div_ceil(4));
    run_reps(batch, boundary, reps.div_ceil(4));

    let (mut a, mut b, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        // Alternate which side goes first, so a slow spell of the machine hits both.
        let (t_in, t_boundary) = if round % 2 == 0 {
            let t_in = run_reps(batch, in_process, reps);
            (t_in, run_reps(batch, boundary, reps))
        } else {
            let t_boundary = run_reps(batch, boundary, reps);
            (run_reps(batch, in_process, reps), t_boundary)
        };
        // The two halves of a round ran back to back, under the same load: their ratio
        // holds up on a busy machine better than a ratio of separate medians.
        ratios.push(t_boundary.as_secs_f64() / t_in.as_secs_f64());
        a.push(t_in);
        b.push(t_boundary);
    }
    let cells = batch.cells * reps;
    let per_second = |times: &mut Vec<Duration>| cells as f64 / median(times).as_secs_f64();
    ratios.sort_by(f64::total_cmp);
    Measurement { cells, in_process: per_second(&mut a), boundary: per_second(&mut b), ratio: ratios[ratios.len() / 2] }
}

/// Time `reps` runs of the normalizer over the batch. Steps consume their cells, so each
/// rep gets a fresh copy, made (and dropped) outside the timed section.
fn run_reps(batch: &Batch, normalizer: &Normalizer, reps: usize) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..reps {
        let mut columns = batch.columns.clone();
        let start = Instant::now();
        for (role, cells) in &mut columns {
            black_box(normalizer.run(*role, black_box(cells.as_mut_slice())));
        }
        total += start.elapsed();
        drop(black_box(columns));
    }
    total
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}
