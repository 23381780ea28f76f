//! Plugins that misbehave on purpose (plugins/testing): the host refuses or survives
//! each, with a message that says which plugin, what, and why, and the run goes on.

use crate::common;

use std::path::PathBuf;

use torimatome::model::Outcome;
use torimatome::plugin;
use torimatome::run::{self, Paths, Quiet};

fn library(name: &str) -> PathBuf {
    let dir = common::plugin_dir();
    plugin::find(std::slice::from_ref(&dir), name).unwrap_or_else(|| panic!("{name} is built into {} by `cargo test`", dir.display()))
}

fn refusal(name: &str) -> String {
    match plugin::load(&library(name)) {
        Ok(_) => panic!("{name} was loaded"),
        Err(why) => why,
    }
}

#[test]
fn a_plugin_built_for_another_abi_is_refused_with_both_versions() {
    let why = refusal("torimatome-test-old-abi");
    let speaks = torimatome_plugin_api::ABI_VERSION;
    assert_eq!(why, format!("built for plugin ABI {}, this torimatome speaks {speaks}", speaks + 1));
}

#[test]
fn a_library_missing_a_symbol_is_refused_naming_it() {
    let why = refusal("torimatome-test-no-symbol");
    assert!(why.contains("missing symbol `tm_describe`"), "{why}");
}

#[test]
fn the_shipped_plugin_describes_its_steps_and_options() {
    let ja = plugin::load(&library("torimatome-ja")).expect("loads");
    assert_eq!(ja.description.name, "torimatome-ja");
    let steps: Vec<&str> = ja.description.steps.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(steps, ["fullwidth", "era_years", "numbers", "status", "departments"]);
    let status = ja.description.steps.iter().find(|s| s.name == "status").expect("status");
    assert!(status.options.iter().any(|o| o.name == "vocabulary" && o.required));
    assert_eq!(ja.sha256.len(), 64);
}

/// The fixture pipeline with extra plugins and steps, written where its paths still resolve.
fn pipeline_with(load: &str, extra_step: &str, extra_layout: &str) -> (common::Staged, torimatome::pipeline::Pipeline) {
    let staged = common::stage_edited("pipelines/minato.yaml", |text| {
        text.replace("  load: [torimatome-ja]", &format!("  load: [torimatome-ja, {load}]"))
            .replace("  - step: departments", &format!("  - step: departments\n{extra_step}"))
            .replace("layouts:\n", &format!("layouts:\n{extra_layout}"))
    });
    let pipeline = common::load(&staged.path).unwrap_or_else(|e| panic!("{e:?}"));
    (staged, pipeline)
}

fn consolidate(pipeline: &torimatome::pipeline::Pipeline) -> torimatome::model::Consolidation {
    let dir = tempfile::tempdir().expect("temp");
    let paths = Paths { inbox: None, out: Some(dir.path().join("book.xlsx")), records: None, cache: false };
    run::run(pipeline, &paths, &Quiet).expect("the book is written").consolidation
}

#[test]
fn a_step_that_panics_becomes_a_problem_and_the_run_goes_on() {
    let (_dir, pipeline) = pipeline_with("torimatome-test-panics", "  - step: explode\n", "");
    let c = consolidate(&pipeline);
    let clean = common::run_pipeline("pipelines/minato.yaml", None).consolidation;
    // The step runs after `numbers`: its failure leaves every value as `numbers` read it.
    assert_eq!(c.rows, clean.rows);
    let failures: Vec<_> = c.problems.iter().filter(|p| p.what().contains("torimatome-test-panics/explode")).collect();
    assert!(!failures.is_empty());
    for f in &failures {
        assert!(f.detail().contains("panicked: boom on"), "{}", f.detail());
        assert!(f.detail().contains("value cells"), "names the input: {}", f.detail());
        assert!(!f.file.is_empty() && !f.sheet.is_empty(), "names the file and sheet: {f:?}");
    }
}

#[test]
fn a_step_that_answers_nonsense_is_refused_and_the_run_goes_on() {
    let (_dir, pipeline) = pipeline_with("torimatome-test-malformed", "  - step: garble\n", "");
    let c = consolidate(&pipeline);
    let clean = common::run_pipeline("pipelines/minato.yaml", None).consolidation;
    assert_eq!(c.rows, clean.rows, "nothing of the malformed output reached the book");
    assert!(c.problems.iter().any(|p| p.what().contains("torimatome-test-malformed/garble") && p.detail().contains("malformed output")));
}

#[test]
fn a_layout_that_panics_or_answers_nonsense_sets_the_sheet_aside() {
    for (plugin, layout, says) in [("torimatome-test-panics", "explode", "panicked: boom on sheet"), ("torimatome-test-malformed", "garble", "malformed output")] {
        let extra = format!("  - name: broken\n    kind: plugin\n    plugin: {plugin}\n    layout: {layout}\n    sheets: [\"^進捗報告$\"]\n");
        let (_dir, pipeline) = pipeline_with(plugin, "", &extra);
        let c = consolidate(&pipeline);
        // The broken layout comes first and fails on every report sheet; the table layout
        // after it still reads them, so the collection is consolidated all the same.
        let clean = common::run_pipeline("pipelines/minato.yaml", None).consolidation;
        assert_eq!(c.rows, clean.rows, "{plugin}");
        assert!(c.problems.iter().any(|p| p.detail().contains(says) && p.sheet == "進捗報告"), "{plugin}: {:?}", c.problems);
        assert!(c.files.iter().any(|f| f.outcome == Outcome::Consolidated));
    }
}

#[test]
fn plugins_never_load_from_the_inbox() {
    let staged = common::stage_edited("pipelines/minato.yaml", |text| {
        text.replace("dirs: [\"../target/{profile}\"]", "dirs: [\"../fixtures/minato/inbox\", \"../target/{profile}\"]")
    });
    let errors = common::load(&staged.path).err().expect("refused");
    assert!(errors.iter().any(|e| e.message.text(torimatome::messages::Lang::En).contains("never load from the inbox")), "{errors:?}");
}
