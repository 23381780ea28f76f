//! torimatome-ja: the Japanese normalizers, served to torimatome as a plugin.
//!
//! The pure functions (`text`, `era`, `number`, `status`) read what Japanese municipal
//! workbooks hold: era years and fiscal years, full-width text, number forms, status
//! marks. `steps` wraps them as the plugin's steps (`fullwidth`, `era_years`, `numbers`,
//! `status`, `departments`). Built as a cdylib, pipelines load it through the plugin
//! boundary; built as an rlib, torimatome links the same functions for its own needs
//! (periods in file names, header matching) and the benchmark compares both.

pub mod era;
pub mod number;
pub mod status;
mod steps;
pub mod text;

pub use steps::JaPlugin;

torimatome_plugin_api::export_plugin!(JaPlugin);
