//! A library that answers the right ABI version but exports nothing else: the host must
//! refuse it naming the missing symbol.

#[unsafe(no_mangle)]
pub extern "C" fn tm_abi_version() -> u32 {
    torimatome_plugin_api::ABI_VERSION
}
