//! The boundary between torimatome and its plugins.
//!
//! A plugin is a shared library that torimatome loads with libloading. Its author writes
//! plain safe Rust: a type implementing [`Plugin`], steps implementing [`Step`] (a column
//! of cells at a time) and layouts implementing [`Layout`] (a sheet at a time), and one
//! line, [`export_plugin!`], that generates the C functions the host calls.
//!
//! What crosses the boundary is C-compatible only: `#[repr(C)]` structs, integers,
//! floats, pointers to UTF-8 bytes, and JSON text for descriptions, options and layout
//! results. Nothing of Rust's own ABI, no allocator is shared: each side frees what it
//! allocated (the host lends its cells; the plugin's outputs are freed by the plugin's
//! own `tm_free_*` functions). Every exported function catches panics, so a panic in a
//! plugin never unwinds into the host: it comes back as an error status and a message.
//!
//! ```ignore
//! struct Mine;
//! impl Plugin for Mine {
//!     fn describe(&self) -> Description { /* name, version, steps, layouts */ }
//!     fn step(&self, name: &str, options: &Options) -> Result<Box<dyn Step>, String> { /* ... */ }
//! }
//! torimatome_plugin_api::export_plugin!(Mine);
//! ```

pub mod abi;
#[doc(hidden)]
pub mod export;
pub mod types;

#[doc(hidden)]
pub use export as __export;
pub use export::quietly;

pub use types::*;

/// The version of the boundary. A host refuses a plugin built for another version.
/// Raise it on any change to `abi`, to the JSON shapes, or to what a status code means.
pub const ABI_VERSION: u32 = 1;

/// What a plugin offers. Defaulted methods refuse what the plugin does not offer.
pub trait Plugin: Send + Sync + 'static {
    /// Name, version, and the steps and layouts the plugin offers with their options.
    fn describe(&self) -> Description;

    /// A normalization step configured with the pipeline's options.
    fn step(&self, name: &str, _options: &Options) -> Result<Box<dyn Step>, String> {
        Err(format!("this plugin has no step `{name}`"))
    }

    /// A layout configured with the pipeline's options.
    fn layout(&self, name: &str, _options: &Options) -> Result<Box<dyn Layout>, String> {
        Err(format!("this plugin has no layout `{name}`"))
    }
}

/// A normalization step: turns a column of cells of one role into outputs.
pub trait Step: Send + Sync {
    /// `out` has one slot per cell, each starting as [`CellOut::default`]: leave a slot
    /// alone to pass the cell through unchanged.
    fn apply(&self, role: Role, cells: &[CellIn<'_>], out: &mut [CellOut]);
}

/// A layout: finds its data in a sheet and says where each value is.
pub trait Layout: Send + Sync {
    fn read(&self, sheet: &SheetIn<'_>) -> LayoutResult;
}
