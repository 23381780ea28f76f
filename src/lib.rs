//! torimatome consolidates the progress reports that a city's departments drop into a
//! shared folder into one progress book.
//!
//! The data flows through one module per stage:
//!
//! ```text
//! pipeline (YAML → checked Pipeline)
//!    │
//! run ── reads the inbox folder (file I/O only at the edges: see ARCHITECTURE.md)
//!    │
//! workbook  bytes → sheets with cells at the positions the user sees (calamine)
//!    │
//! layout    finds the table by header text, fills merged cells down
//!    │
//! normalize steps named in the pipeline turn each column's cells into values
//!    │
//! collect   department, period, report date; which file of a department counts
//!    │
//! aggregate status counts with polars, achievement against plan
//!    │
//! book / records   the progress book (rust_xlsxwriter) and the CSV export
//! ```
//!
//! Bad cells and bad files are data, not errors: they become [`model::Problem`]s that
//! reach the book, each an [`messages::Issue`] whose words are in one catalogue. Only a
//! bad pipeline or an unwritable output stops a run.

pub mod aggregate;
pub mod book;
pub mod cache;
pub mod collect;
pub mod compare;
pub mod digest;
pub mod explore;
pub mod forms;
pub mod guess;
pub mod inbox;
pub mod layout;
pub mod manifest;
pub mod messages;
pub mod model;
pub mod normalize;
pub mod parquet;
pub mod paths;
pub mod pipeline;
pub mod plugin;
pub mod preview;
pub mod records;
pub mod run;
pub mod spill;
pub mod survey;
pub mod verify;
pub mod workbook;
