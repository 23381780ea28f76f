//! Plugins: shared libraries named in the pipeline, loaded with libloading.
//!
//! On load the library must answer the plugin ABI version this torimatome speaks, export
//! every symbol of the boundary, and describe itself (name, version, steps, layouts and
//! their options) in JSON the host can read; otherwise it is refused with the reason.
//! Libraries are never unloaded: a step or layout handle may outlive any bookkeeping, and
//! unloading code that may still run is never worth the memory.
//!
//! Everything a plugin returns is checked like any other input. A plugin that panics is
//! caught on its own side of the boundary (`export_plugin!`) and its message comes back
//! here as an error; a plugin that answers nonsense is refused for that call. Either way
//! the caller gets an `Err` and the run goes on without that output.

use std::ffi::c_void;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use libloading::Library;
use torimatome_plugin_api::abi::{self, TmCell, TmOut, TmSheet, TmStr, TmString, TM_ERROR, TM_OK, TM_PANIC};
use torimatome_plugin_api::{CellIn, Description, LayoutResult, Options, Role, ABI_VERSION};

use crate::normalize::{Cell, Step};
use crate::workbook::Sheet;

/// The functions of the boundary, copied out of a library that is never unloaded.
struct Api {
    describe: abi::DescribeFn,
    step_new: abi::NewFn,
    step_apply: abi::StepApplyFn,
    step_drop: abi::DropFn,
    free_outs: abi::FreeOutsFn,
    layout_new: abi::NewFn,
    layout_read: abi::LayoutReadFn,
    layout_drop: abi::DropFn,
    free_string: abi::FreeStringFn,
}

/// A loaded plugin.
pub struct Plugin {
    pub path: PathBuf,
    /// The library file's SHA-256, so a book can say which plugin made it.
    pub sha256: String,
    pub description: Description,
    api: Api,
}

/// The file name a plugin crate builds to on this platform (libtorimatome_ja.so).
pub fn file_name(plugin: &str) -> String {
    format!("{}{}{}", std::env::consts::DLL_PREFIX, plugin.replace('-', "_"), std::env::consts::DLL_SUFFIX)
}

/// The first of `dirs` that holds the plugin's library.
pub fn find(dirs: &[PathBuf], plugin: &str) -> Option<PathBuf> {
    dirs.iter().map(|d| d.join(file_name(plugin))).find(|p| p.is_file())
}

/// Load a plugin library, or say exactly why not.
pub fn load(path: &Path) -> Result<Arc<Plugin>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    // SAFETY: loading runs the library's initialisers. That is the trust a pipeline
    // places in the plugin directories it names; the inbox is never among them.
    let library = unsafe { Library::new(path) }.map_err(|e| format!("cannot load {}: {e}", path.display()))?;
    let library: &'static Library = Box::leak(Box::new(library));

    let version: abi::AbiVersionFn = symbol(library, abi::SYM_ABI_VERSION)?;
    // SAFETY: the symbol has the boundary's signature, which takes nothing.
    let speaks = unsafe { version() };
    if speaks != ABI_VERSION {
        return Err(format!("built for plugin ABI {speaks}, this torimatome speaks {ABI_VERSION}"));
    }
    let api = Api {
        describe: symbol(library, abi::SYM_DESCRIBE)?,
        step_new: symbol(library, abi::SYM_STEP_NEW)?,
        step_apply: symbol(library, abi::SYM_STEP_APPLY)?,
        step_drop: symbol(library, abi::SYM_STEP_DROP)?,
        free_outs: symbol(library, abi::SYM_FREE_OUTS)?,
        layout_new: symbol(library, abi::SYM_LAYOUT_NEW)?,
        layout_read: symbol(library, abi::SYM_LAYOUT_READ)?,
        layout_drop: symbol(library, abi::SYM_LAYOUT_DROP)?,
        free_string: symbol(library, abi::SYM_FREE_STRING)?,
    };
    let mut out = TmString::NONE;
    // SAFETY: `out` is a valid slot for the plugin to write its description into.
    let status = unsafe { (api.describe)(&mut out) };
    let json = take_string(&api, out)?;
    if status != TM_OK {
        return Err(format!("describing itself failed: {}", json.unwrap_or_default()));
    }
    let description: Description = serde_json::from_str(&json.unwrap_or_default())
        .map_err(|e| format!("its description is not what the boundary defines: {e}"))?;
    Ok(Arc::new(Plugin { path: path.to_path_buf(), sha256: crate::digest::sha256_hex(&bytes), description, api }))
}

fn symbol<T: Copy>(library: &'static Library, name: &str) -> Result<T, String> {
    // SAFETY: every symbol of the boundary is declared with its type in `abi`; a library
    // that exports the name with another type breaks the contract it was built against.
    unsafe { library.get::<T>(name.as_bytes()) }
        .map(|s| *s)
        .map_err(|_| format!("missing symbol `{name}`: not a torimatome plugin, or built for another torimatome"))
}

/// Copy a string the plugin allocated, then let the plugin free it.
fn take_string(api: &Api, s: TmString) -> Result<Option<String>, String> {
    // SAFETY: the plugin wrote a string of its own making, or none.
    let copied = unsafe { s.copy() }.map_err(|e| format!("answered text that is not UTF-8: {e}"));
    // SAFETY: the string came from this plugin and is freed once, by it.
    unsafe { (api.free_string)(s) };
    copied
}

/// Build a step or layout; `new` is the plugin's constructor for it.
fn construct(plugin: &Plugin, new: abi::NewFn, name: &str, options: &Options) -> Result<*mut c_void, String> {
    let options = serde_json::to_string(options).map_err(|e| e.to_string())?;
    let mut handle: *mut c_void = std::ptr::null_mut();
    let mut err = TmString::NONE;
    // SAFETY: the strings live across the call; `handle` and `err` are valid slots.
    let status = unsafe { new(TmStr::new(name), TmStr::new(&options), &mut handle, &mut err) };
    let message = take_string(&plugin.api, err)?.unwrap_or_default();
    match status {
        TM_OK if !handle.is_null() => Ok(handle),
        TM_OK => Err("returned no handle".into()),
        TM_PANIC => Err(message),
        _ => Err(if message.is_empty() { format!("refused `{name}`") } else { message }),
    }
}

/// A step served by a plugin.
pub struct PluginStep {
    plugin: Arc<Plugin>,
    label: String,
    roles: Vec<Role>,
    handle: Handle,
}

/// A plugin's step or layout instance. The plugin API requires steps and layouts to be
/// `Send + Sync`, so the handle may be shared across threads.
struct Handle(*mut c_void);
// SAFETY: see above; the pointee is a `Box<dyn Step/Layout>` that is `Send + Sync`.
unsafe impl Send for Handle {}
unsafe impl Sync for Handle {}

impl PluginStep {
    pub fn new(plugin: Arc<Plugin>, step: &str, roles: Vec<Role>, options: &Options) -> Result<PluginStep, String> {
        let handle = construct(&plugin, plugin.api.step_new, step, options)?;
        let label = format!("{}/{step}", plugin.description.name);
        Ok(PluginStep { plugin, label, roles, handle: Handle(handle) })
    }
}

impl Drop for PluginStep {
    fn drop(&mut self) {
        // SAFETY: the handle came from this plugin's `tm_step_new` and is dropped once.
        unsafe { (self.plugin.api.step_drop)(self.handle.0) };
    }
}

impl Step for PluginStep {
    fn name(&self) -> &str {
        &self.label
    }

    fn roles(&self) -> &[Role] {
        &self.roles
    }

    fn apply(&self, role: Role, cells: &mut [Cell]) -> Result<(), String> {
        let n = cells.len();
        let lent: Vec<TmCell> = cells.iter().map(|c| TmCell::new(&c.view())).collect();
        let mut outs: Vec<TmOut> = (0..n).map(|_| TmOut::EMPTY).collect();
        let mut err = TmString::NONE;
        let api = &self.plugin.api;
        // SAFETY: `lent` borrows the cells' strings, which outlive the call; `outs` has
        // `n` empty slots; the handle is this plugin's.
        let status = unsafe { (api.step_apply)(self.handle.0, role as u32, lent.as_ptr(), n, outs.as_mut_ptr(), &mut err) };
        let message = take_string(api, err)?.unwrap_or_default();
        // Read every slot before any is taken, so a malformed batch changes nothing.
        let mut results: Result<Vec<_>, String> = Ok(Vec::with_capacity(n));
        for slot in &outs {
            // SAFETY: after the call the slots hold what the plugin wrote.
            match (unsafe { slot.to_out() }, &mut results) {
                (Ok(out), Ok(list)) => list.push(out),
                (Err(why), _) => {
                    results = Err(why);
                    break;
                }
                (_, Err(_)) => break,
            }
        }
        // SAFETY: the slots' strings are the plugin's, freed once, by it.
        unsafe { (api.free_outs)(outs.as_mut_ptr(), n) };
        match status {
            TM_OK => {
                let results = results.map_err(|why| format!("returned malformed output on a column of {}: {why}", describe_cells(role, cells)))?;
                for (cell, result) in cells.iter_mut().zip(results) {
                    cell.take(result);
                }
                Ok(())
            }
            TM_PANIC | TM_ERROR => Err(format!("{message}, on a column of {}", describe_cells(role, cells))),
            other => Err(format!("answered status {other}, which the boundary does not define")),
        }
    }
}

/// The input a step failed on, in a few words: the role, the size, the first texts.
fn describe_cells(role: Role, cells: &[Cell]) -> String {
    let first: Vec<String> = cells.iter().filter(|c| !c.text.is_empty()).take(3).map(|c| format!("「{}」", c.text)).collect();
    format!("{} {role} cells ({}…)", cells.len(), first.join(" "))
}

/// A layout served by a plugin.
pub struct PluginLayout {
    plugin: Arc<Plugin>,
    label: String,
    handle: Handle,
}

impl PluginLayout {
    pub fn new(plugin: Arc<Plugin>, layout: &str, options: &Options) -> Result<PluginLayout, String> {
        let handle = construct(&plugin, plugin.api.layout_new, layout, options)?;
        let label = format!("{}/{layout}", plugin.description.name);
        Ok(PluginLayout { plugin, label, handle: Handle(handle) })
    }

    pub fn name(&self) -> &str {
        &self.label
    }

    /// Lend a sheet to the layout and read back what it found.
    pub fn read(&self, sheet: &Sheet) -> Result<LayoutResult, String> {
        let (height, width) = (sheet.height(), sheet.width());
        // The sheet crosses as one dense block; a card is a page, not a sheet that reaches
        // column XFD, so a block past this size is refused rather than built.
        if u64::from(height) * u64::from(width) > MAX_LENT_CELLS {
            return Err(format!(
                "sheet 「{}」 spans {height} rows × {width} columns, more than a layout plugin is lent ({MAX_LENT_CELLS} cells)",
                sheet.name
            ));
        }
        let texts: Vec<String> = (0..height).flat_map(|r| (0..width).map(move |c| (r, c))).map(|(r, c)| sheet.get(r, c).display()).collect();
        let cells: Vec<TmCell> = (0..height)
            .flat_map(|r| (0..width).map(move |c| (r, c)))
            .zip(&texts)
            .map(|((r, c), text)| TmCell::new(&CellIn { value: sheet.get(r, c).as_cell_value(), text, unit: "" }))
            .collect();
        let merges: Vec<[u32; 4]> = sheet.merges.iter().map(|&(a, b, c, d)| [a, b, c, d]).collect();
        let lent = TmSheet {
            name: TmStr::new(&sheet.name),
            width,
            height,
            cells: cells.as_ptr(),
            merges: merges.as_ptr(),
            n_merges: merges.len(),
            merges_known: sheet.merges_known as u32,
        };
        let mut out = TmString::NONE;
        let mut err = TmString::NONE;
        let api = &self.plugin.api;
        // SAFETY: `lent` and what it points to outlive the call; `out` and `err` are slots.
        let status = unsafe { (api.layout_read)(self.handle.0, &lent, &mut out, &mut err) };
        let message = take_string(api, err)?.unwrap_or_default();
        let json = take_string(api, out)?;
        match status {
            TM_OK => serde_json::from_str(&json.unwrap_or_default())
                .map_err(|e| format!("returned malformed output for sheet 「{}」: {e}", sheet.name)),
            TM_PANIC | TM_ERROR => Err(format!("{message}, on sheet 「{}」", sheet.name)),
            other => Err(format!("answered status {other}, which the boundary does not define")),
        }
    }
}

/// The most cells a sheet may have to cross to a layout plugin (about 100 MB of cells).
const MAX_LENT_CELLS: u64 = 2_000_000;

impl Drop for PluginLayout {
    fn drop(&mut self) {
        // SAFETY: the handle came from this plugin's `tm_layout_new` and is dropped once.
        unsafe { (self.plugin.api.layout_drop)(self.handle.0) };
    }
}

/// A step linked into torimatome itself rather than loaded: the same plugin code without
/// the boundary, for the benchmark that measures what the boundary costs.
pub struct InProcessStep {
    label: String,
    roles: Vec<Role>,
    step: Box<dyn torimatome_plugin_api::Step>,
}

impl InProcessStep {
    pub fn new(label: &str, roles: Vec<Role>, step: Box<dyn torimatome_plugin_api::Step>) -> InProcessStep {
        InProcessStep { label: label.to_string(), roles, step }
    }
}

impl Step for InProcessStep {
    fn name(&self) -> &str {
        &self.label
    }

    fn roles(&self) -> &[Role] {
        &self.roles
    }

    fn apply(&self, role: Role, cells: &mut [Cell]) -> Result<(), String> {
        let mut results = vec![torimatome_plugin_api::CellOut::default(); cells.len()];
        let views: Vec<CellIn<'_>> = cells.iter().map(Cell::view).collect();
        self.step.apply(role, &views, &mut results);
        drop(views);
        for (cell, result) in cells.iter_mut().zip(results) {
            cell.take(result);
        }
        Ok(())
    }
}
