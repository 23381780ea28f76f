//! Tiny xls files that made calamine ask for 128 GiB (cells at A1 and at row 65536, column
//! 65536), 40 TiB (a DIMENSIONS record claiming 4,294,967,295 rows), or 288 GB in 288 MB
//! blocks (1,000 sheet names for one 9M-cell sheet): a failed allocation aborts, so one of
//! them in the inbox used to end the whole run. They are now counted before calamine opens
//! them (`xls_guard`), refused as too large, and the run goes on.
//! fixtures/hostile/make_xls_bombs.py made them.

use crate::common;

use torimatome::model::Outcome;
use torimatome::run::{self, Quiet};

#[test]
fn xls_bombs_are_refused_and_the_run_goes_on() {
    let root = common::project_root();
    let bombs = ["xls-bomb-far-cells.xls", "xls-bomb-dimensions.xls", "xls-bomb-many-sheets.xls"];
    let inbox = tempfile::tempdir().expect("temp");
    for name in bombs {
        std::fs::copy(root.join("fixtures/hostile").join(name), inbox.path().join(format!("R6上期_{name}"))).expect("copy");
    }
    std::fs::copy(root.join("fixtures/minato/inbox/R6上期_福祉課.xlsx"), inbox.path().join("R6上期_福祉課.xlsx")).expect("copy");
    let pipeline = common::load_project("pipelines/minato.yaml");
    let c = run::consolidate(&pipeline, inbox.path(), &Quiet).expect("the run goes on");

    for name in bombs {
        let file = c.files.iter().find(|f| f.name.ends_with(name)).unwrap_or_else(|| panic!("{name} is listed"));
        let reason = file.outcome.reason_in(torimatome::messages::Lang::En);
        assert_eq!(file.outcome.as_str(), "error", "{name}: {reason}");
        assert!(reason.contains("too large"), "{name}: {reason}");
    }
    assert!(c.files.iter().any(|f| f.name == "R6上期_福祉課.xlsx" && f.outcome == Outcome::Consolidated), "the good file is consolidated");
}
