//! A shared folder cannot break a run: cut, scrambled and junk copies of real workbooks are
//! each listed with an outcome, and the run goes on to write the book.

use crate::common;

use torimatome::model::Outcome;
use torimatome::run::{self, Quiet};

/// A small deterministic generator, so a failure names inputs that can be remade.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn damaged_workbooks_are_listed_and_the_run_goes_on() {
    let samples = common::shared().join("samples/inbox");
    let inbox = tempfile::tempdir().expect("temp");
    let mut rng = Lcg(2022);
    let mut written = 0;
    let mut names: Vec<_> = std::fs::read_dir(&samples).expect("samples").map(|e| e.expect("entry").path()).collect();
    names.sort();
    for path in names.iter().filter(|p| p.extension().is_some_and(|e| e == "xlsx" || e == "xls" || e == "ods")) {
        let bytes = std::fs::read(path).expect("read");
        if bytes.len() < 64 {
            continue;
        }
        let stem = path.file_stem().expect("stem").to_string_lossy().into_owned();
        let ext = path.extension().expect("ext").to_string_lossy().into_owned();
        for cut in [bytes.len() / 10, bytes.len() / 2, bytes.len() - 1] {
            std::fs::write(inbox.path().join(format!("{stem}_cut{cut}.{ext}")), &bytes[..cut]).expect("write");
            written += 1;
        }
        for round in 0..4 {
            let mut scrambled = bytes.clone();
            for _ in 0..8 {
                let at = (rng.next() as usize) % scrambled.len();
                scrambled[at] = rng.next() as u8;
            }
            std::fs::write(inbox.path().join(format!("{stem}_flip{round}.{ext}")), &scrambled).expect("write");
            written += 1;
        }
    }
    let junk: Vec<u8> = (0..5000).map(|_| rng.next() as u8).collect();
    std::fs::write(inbox.path().join("junk.xlsx"), junk).expect("write");
    std::fs::write(inbox.path().join("memo.txt"), "メモ").expect("write");
    written += 2;

    let pipeline = common::load_project("pipelines/seto.yaml");
    let c = run::consolidate(&pipeline, inbox.path(), &Quiet).expect("the run goes on");
    assert_eq!(c.files.len(), written, "every file is accounted for");
    for f in &c.files {
        assert_eq!(f.rows_read, f.rows_consolidated + f.rows_set_aside, "{}", f.name);
        if let Outcome::Error(_) | Outcome::Ignored(_) = &f.outcome {
            assert!(!f.outcome.reason().is_empty(), "{}: a reason a person can read", f.name);
        }
    }
    let cut_to_a_tenth = c.files.iter().filter(|f| f.name.contains("_cut") && f.outcome.as_str() == "error").count();
    assert!(cut_to_a_tenth > 0, "cut files are errors");
    let dir = tempfile::tempdir().expect("temp");
    let paths = run::Paths { inbox: Some(inbox.path().to_path_buf()), out: Some(dir.path().join("b.xlsx")), records: None, cache: false };
    run::run(&pipeline, &paths, &Quiet).expect("a book is written");
}

/// Found by fuzzing (fuzz/README.md, F3): a `<v>NaN</v>` cell once made the whole value
/// column unreadable. Now it is one problem at its cell, and the other values stand.
#[test]
fn a_nan_cell_is_one_problem_not_a_lost_column() {
    let inbox = tempfile::tempdir().expect("temp");
    std::fs::copy(common::project_root().join("fuzz/findings/xlsx-nan-value-cell.xlsx"), inbox.path().join("R6上期_企画課.xlsx")).expect("copy");
    let pipeline = common::load_project("pipelines/minato.yaml");
    let c = run::consolidate(&pipeline, inbox.path(), &Quiet).expect("run");
    let cells: Vec<&str> = c.problems.iter().map(|p| p.cell.as_str()).collect();
    assert_eq!(cells, ["I6"], "{:?}", c.problems);
    let values: Vec<_> = c.rows.iter().flat_map(|r| &r.values).collect();
    assert!(values.iter().all(|v| v.value.is_none_or(f64::is_finite)));
    assert_eq!(values.iter().filter(|v| v.value.is_some()).count(), values.len() - 1, "only I6 is empty");
}

/// Found by fuzzing (fuzz/README.md, F4 and F5): a cell far from A1 once made the reader
/// lay out rows × columns up to it, and abort the whole run asking for up to 512 GiB. The
/// bypasses are the same sheet spelled otherwise (attribute order, lower case). Now cells
/// are placed one by one: a far cell costs one cell, and a cell beyond Excel's grid
/// (row 4,000,000,000) refuses its file alone.
#[test]
fn cells_far_from_a1_cost_what_they_hold() {
    let findings = common::project_root().join("fuzz/findings");
    let far = [
        "xlsx-far-corners-abort.xlsx",
        "xlsx-span-check-bypass-attribute-order.xlsx",
        "xlsx-span-check-bypass-lowercase.xlsx",
    ];
    let others = ["xlsx-anchor-one-cell-row-4000000000.xlsx", "xlsx-anchor-5000-rows-at-column-XFD.xlsx"];
    let inbox = tempfile::tempdir().expect("temp");
    for (i, name) in far.iter().chain(&others).enumerate() {
        std::fs::copy(findings.join(name), inbox.path().join(format!("R6上期_{i}_{name}"))).expect("copy");
    }
    std::fs::copy(common::project_root().join("fixtures/minato/inbox/R6上期_福祉課.xlsx"), inbox.path().join("R6上期_福祉課.xlsx")).expect("copy");
    let pipeline = common::load_project("pipelines/minato.yaml");
    let c = run::consolidate(&pipeline, inbox.path(), &Quiet).expect("the run goes on");

    let outcome = |name: &str| {
        let file = c.files.iter().find(|f| f.name.ends_with(name)).unwrap_or_else(|| panic!("{name} is listed"));
        (file.outcome.as_str().to_string(), file.outcome.reason())
    };
    let spellings: Vec<_> = far.iter().map(|name| outcome(name)).collect();
    assert!(spellings.iter().all(|o| *o == spellings[0]), "one sheet, one outcome however it is spelled: {spellings:?}");
    assert_ne!(spellings[0].0, "consolidated", "a sheet with two stray cells is no report");
    let (beyond, reason) = outcome(others[0]);
    assert_eq!(beyond, "error");
    assert!(reason.contains("Excel の範囲外のセル") && reason.contains("4000000000"), "{reason}");
    assert!(!outcome(others[1]).1.is_empty(), "the XFD sheet is read and listed with its reason");
    assert!(c.files.iter().any(|f| f.name == "R6上期_福祉課.xlsx" && f.outcome == Outcome::Consolidated));
}
