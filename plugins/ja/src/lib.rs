//! torimatome-ja: the Japanese normalizers, served to torimatome as a plugin.
//!
//! The functions that read era years, full-width text, number forms and status marks live
//! in `torimatome-ja-core` (re-exported here); `steps` wraps them as the plugin's steps
//! (`fullwidth`, `era_years`, `numbers`, `status`, `departments`). Built as a cdylib,
//! pipelines load it through the plugin boundary; as an rlib, the benchmark runs the same
//! steps in-process to measure what the boundary costs.

mod steps;

pub use steps::JaPlugin;
pub use torimatome_ja_core::{era, number, status, text};

torimatome_plugin_api::export_plugin!(JaPlugin);
