//! The integration tests, one binary (each linking polars cost a link on two cores): what
//! a DX office, an auditor and a hostile shared folder do to torimatome, end to end.
//!
//! Nothing here builds anything or writes into the source tree: the plugins are the
//! libraries `cargo test` built as dev-dependencies, and every pipeline runs from a copy
//! in a temporary folder (`common::stage`), where its lock, cache and book go.

mod common;

mod audit;
mod book;
mod cache;
mod cli;
mod fixtures;
mod forms;
mod guess;
mod hostile;
mod messages;
mod parquet;
mod plugins;
mod previous;
mod print;
mod robustness;
mod samples;
mod summary;
mod tidy;
mod xls_bombs;
