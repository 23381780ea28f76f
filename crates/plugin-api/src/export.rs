//! What `export_plugin!` expands to: the C functions of the boundary, each a thin shell
//! around a safe function here that catches panics and checks every pointer.

use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::abi::*;
use crate::types::{CellIn, CellOut, Options, Role, SheetIn};
use crate::{Layout, Plugin, Step};

/// Generate the exported C functions for a plugin: `export_plugin!(MyPlugin)`, where the
/// expression builds the plugin (once, on first use).
#[macro_export]
macro_rules! export_plugin {
    ($plugin:expr) => {
        fn __tm_plugin() -> &'static dyn $crate::Plugin {
            static PLUGIN: ::std::sync::OnceLock<::std::boxed::Box<dyn $crate::Plugin>> = ::std::sync::OnceLock::new();
            PLUGIN.get_or_init(|| ::std::boxed::Box::new($plugin)).as_ref()
        }
        #[unsafe(no_mangle)]
        pub extern "C" fn tm_abi_version() -> u32 {
            $crate::ABI_VERSION
        }
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn tm_describe(out: *mut $crate::abi::TmString) -> i32 {
            unsafe { $crate::__export::describe(__tm_plugin, out) }
        }
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn tm_step_new(
            name: $crate::abi::TmStr,
            options: $crate::abi::TmStr,
            handle: *mut *mut ::std::ffi::c_void,
            err: *mut $crate::abi::TmString,
        ) -> i32 {
            unsafe { $crate::__export::step_new(__tm_plugin, name, options, handle, err) }
        }
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn tm_step_apply(
            handle: *const ::std::ffi::c_void,
            role: u32,
            cells: *const $crate::abi::TmCell,
            n: usize,
            out: *mut $crate::abi::TmOut,
            err: *mut $crate::abi::TmString,
        ) -> i32 {
            unsafe { $crate::__export::step_apply(handle, role, cells, n, out, err) }
        }
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn tm_step_drop(handle: *mut ::std::ffi::c_void) {
            unsafe { $crate::__export::step_drop(handle) }
        }
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn tm_free_outs(out: *mut $crate::abi::TmOut, n: usize) {
            unsafe { $crate::__export::free_outs(out, n) }
        }
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn tm_layout_new(
            name: $crate::abi::TmStr,
            options: $crate::abi::TmStr,
            handle: *mut *mut ::std::ffi::c_void,
            err: *mut $crate::abi::TmString,
        ) -> i32 {
            unsafe { $crate::__export::layout_new(__tm_plugin, name, options, handle, err) }
        }
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn tm_layout_read(
            handle: *const ::std::ffi::c_void,
            sheet: *const $crate::abi::TmSheet,
            out: *mut $crate::abi::TmString,
            err: *mut $crate::abi::TmString,
        ) -> i32 {
            unsafe { $crate::__export::layout_read(handle, sheet, out, err) }
        }
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn tm_layout_drop(handle: *mut ::std::ffi::c_void) {
            unsafe { $crate::__export::layout_drop(handle) }
        }
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn tm_free_string(s: $crate::abi::TmString) {
            unsafe { s.free() }
        }
    };
}

type PluginFn = fn() -> &'static dyn Plugin;

thread_local! {
    /// Inside `guard` on this thread: a panic is caught and reported to the host.
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// `catch_unwind`, without the panic's message and backtrace on the terminal: the host
/// reports it in the book. Panics elsewhere are printed as before. Both sides use it: a
/// plugin's exported functions here (in the plugin's own copy of std), and the host's
/// readers (`run`), each setting the hook of its own std once.
pub fn quietly<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let before = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(std::cell::Cell::get) {
                before(info)
            }
        }));
    });
    let outer = GUARDED.with(|g| g.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(outer));
    result
}

/// Run `f`, turning an error or a panic into a status code and a message in `err`.
fn guard(err: *mut TmString, f: impl FnOnce() -> Result<(), String>) -> i32 {
    let (status, message) = match quietly(f) {
        Ok(Ok(())) => return TM_OK,
        Ok(Err(message)) => (TM_ERROR, message),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "a panic without a message".into());
            (TM_PANIC, format!("panicked: {message}"))
        }
    };
    if !err.is_null() {
        // The host passes a slot holding no string; writing over it leaks nothing.
        unsafe { err.write(TmString::new(message)) };
    }
    status
}

/// # Safety
/// `out` is null or a writable slot.
pub unsafe fn describe(plugin: PluginFn, out: *mut TmString) -> i32 {
    guard(out, || {
        let json = serde_json::to_string(&plugin().describe()).map_err(|e| e.to_string())?;
        if out.is_null() {
            return Err("no place for the description".into());
        }
        unsafe { out.write(TmString::new(json)) };
        Ok(())
    })
}

unsafe fn name_and_options<'a>(name: TmStr, options: TmStr) -> Result<(&'a str, Options), String> {
    let name = unsafe { name.to_str() }.map_err(|e| format!("name: {e}"))?;
    let options = unsafe { options.to_str() }.map_err(|e| format!("options: {e}"))?;
    let options: Options = if options.is_empty() {
        Options::new()
    } else {
        serde_json::from_str(options).map_err(|e| format!("options: {e}"))?
    };
    Ok((name, options))
}

/// # Safety
/// Pointers as the boundary's contract says: `handle` writable, strings valid.
pub unsafe fn step_new(plugin: PluginFn, name: TmStr, options: TmStr, handle: *mut *mut c_void, err: *mut TmString) -> i32 {
    guard(err, || {
        let (name, options) = unsafe { name_and_options(name, options) }?;
        let step: Box<dyn Step> = plugin().step(name, &options)?;
        if handle.is_null() {
            return Err("no place for the step".into());
        }
        unsafe { handle.write(Box::into_raw(Box::new(step)) as *mut c_void) };
        Ok(())
    })
}

/// # Safety
/// `handle` from `step_new`; `cells` and `out` hold `n` elements; `out` slots empty.
pub unsafe fn step_apply(handle: *const c_void, role: u32, cells: *const TmCell, n: usize, out: *mut TmOut, err: *mut TmString) -> i32 {
    guard(err, || {
        if handle.is_null() || (n > 0 && (cells.is_null() || out.is_null())) {
            return Err("null pointer".into());
        }
        let step = unsafe { &*(handle as *const Box<dyn Step>) };
        let role = Role::from_u32(role).ok_or_else(|| format!("unknown role {role}"))?;
        let raw = if n == 0 { &[][..] } else { unsafe { std::slice::from_raw_parts(cells, n) } };
        let mut cells: Vec<CellIn<'_>> = Vec::with_capacity(n);
        for c in raw {
            cells.push(unsafe { c.to_cell() }?);
        }
        let mut results = vec![CellOut::default(); n];
        step.apply(role, &cells, &mut results);
        let slots = if n == 0 { &mut [][..] } else { unsafe { std::slice::from_raw_parts_mut(out, n) } };
        for (slot, result) in slots.iter_mut().zip(results) {
            *slot = TmOut::from_out(result);
        }
        Ok(())
    })
}

/// # Safety
/// `handle` from `step_new`, dropped once.
pub unsafe fn step_drop(handle: *mut c_void) {
    if !handle.is_null() {
        let _ = catch_unwind(AssertUnwindSafe(|| drop(unsafe { Box::from_raw(handle as *mut Box<dyn Step>) })));
    }
}

/// # Safety
/// `out` holds `n` slots filled by `step_apply` of this library.
pub unsafe fn free_outs(out: *mut TmOut, n: usize) {
    if out.is_null() {
        return;
    }
    for slot in unsafe { std::slice::from_raw_parts_mut(out, n) } {
        unsafe { slot.free() };
    }
}

/// # Safety
/// As for [`step_new`].
pub unsafe fn layout_new(plugin: PluginFn, name: TmStr, options: TmStr, handle: *mut *mut c_void, err: *mut TmString) -> i32 {
    guard(err, || {
        let (name, options) = unsafe { name_and_options(name, options) }?;
        let layout: Box<dyn Layout> = plugin().layout(name, &options)?;
        if handle.is_null() {
            return Err("no place for the layout".into());
        }
        unsafe { handle.write(Box::into_raw(Box::new(layout)) as *mut c_void) };
        Ok(())
    })
}

/// # Safety
/// `handle` from `layout_new`; `sheet` valid with `width * height` cells.
pub unsafe fn layout_read(handle: *const c_void, sheet: *const TmSheet, out: *mut TmString, err: *mut TmString) -> i32 {
    guard(err, || {
        if handle.is_null() || sheet.is_null() || out.is_null() {
            return Err("null pointer".into());
        }
        let layout = unsafe { &*(handle as *const Box<dyn Layout>) };
        let sheet = unsafe { &*sheet };
        let count = (sheet.width as usize).checked_mul(sheet.height as usize).ok_or("sheet too large")?;
        if count > 0 && sheet.cells.is_null() {
            return Err("null cells".into());
        }
        let raw = if count == 0 { &[][..] } else { unsafe { std::slice::from_raw_parts(sheet.cells, count) } };
        let cells: Vec<CellIn<'_>> = raw.iter().map(|c| unsafe { c.to_cell() }).collect::<Result<_, _>>()?;
        let merges = if sheet.n_merges == 0 || sheet.merges.is_null() {
            &[][..]
        } else {
            unsafe { std::slice::from_raw_parts(sheet.merges, sheet.n_merges) }
        };
        let view = SheetIn {
            name: unsafe { sheet.name.to_str() }.map_err(|e| format!("sheet name: {e}"))?,
            width: sheet.width,
            height: sheet.height,
            cells: &cells,
            merges,
            merges_known: sheet.merges_known != 0,
        };
        let json = serde_json::to_string(&layout.read(&view)).map_err(|e| e.to_string())?;
        unsafe { out.write(TmString::new(json)) };
        Ok(())
    })
}

/// # Safety
/// `handle` from `layout_new`, dropped once.
pub unsafe fn layout_drop(handle: *mut c_void) {
    if !handle.is_null() {
        let _ = catch_unwind(AssertUnwindSafe(|| drop(unsafe { Box::from_raw(handle as *mut Box<dyn Layout>) })));
    }
}
