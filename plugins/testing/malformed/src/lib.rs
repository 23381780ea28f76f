//! A plugin that answers nonsense through a well-formed call: an output kind the boundary
//! does not define, text that is not UTF-8, a layout result that is not JSON. The host
//! must refuse the output and go on. Each function follows the boundary's contract in
//! `torimatome_plugin_api::abi`; that is the safety each `unsafe fn` here asks for.
#![allow(clippy::missing_safety_doc)]

use std::ffi::c_void;

use torimatome_plugin_api::abi::{TmCell, TmOut, TmSheet, TmStr, TmString, TM_OK};

const DESCRIPTION: &str = r#"{"name":"torimatome-test-malformed","version":"0.1.0","steps":[{"name":"garble","roles":["value"]}],"layouts":[{"name":"garble"}]}"#;

#[unsafe(no_mangle)]
pub extern "C" fn tm_abi_version() -> u32 {
    torimatome_plugin_api::ABI_VERSION
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn tm_describe(out: *mut TmString) -> i32 {
    unsafe { out.write(TmString::new(DESCRIPTION.to_string())) };
    TM_OK
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn tm_step_new(_name: TmStr, _options: TmStr, handle: *mut *mut c_void, _err: *mut TmString) -> i32 {
    // Any non-null pointer: this plugin never dereferences it.
    unsafe { handle.write(std::ptr::NonNull::<u8>::dangling().as_ptr() as *mut c_void) };
    TM_OK
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn tm_step_apply(
    _handle: *const c_void,
    _role: u32,
    _cells: *const TmCell,
    n: usize,
    out: *mut TmOut,
    _err: *mut TmString,
) -> i32 {
    let slots = unsafe { std::slice::from_raw_parts_mut(out, n) };
    for (i, slot) in slots.iter_mut().enumerate() {
        if i % 2 == 0 {
            slot.kind = 42;
        } else {
            slot.kind = 6; // unreadable, with a reason that is not UTF-8
            let mut bad = std::mem::ManuallyDrop::new(vec![0xFF_u8, 0xFE, 0xFD]);
            slot.text = TmString { ptr: bad.as_mut_ptr(), len: bad.len(), cap: bad.capacity() };
        }
    }
    TM_OK
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn tm_step_drop(_handle: *mut c_void) {}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn tm_free_outs(out: *mut TmOut, n: usize) {
    for slot in unsafe { std::slice::from_raw_parts_mut(out, n) } {
        unsafe { slot.free() };
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn tm_layout_new(_name: TmStr, _options: TmStr, handle: *mut *mut c_void, _err: *mut TmString) -> i32 {
    unsafe { handle.write(std::ptr::NonNull::<u8>::dangling().as_ptr() as *mut c_void) };
    TM_OK
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn tm_layout_read(_handle: *const c_void, _sheet: *const TmSheet, out: *mut TmString, _err: *mut TmString) -> i32 {
    unsafe { out.write(TmString::new("{\"match\": \"found\", \"rows\": [{\"row\": -1}]".to_string())) };
    TM_OK
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn tm_layout_drop(_handle: *mut c_void) {}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn tm_free_string(s: TmString) {
    unsafe { s.free() }
}
