//! A plugin built for another plugin ABI: the host must refuse it and say both versions.

#[unsafe(no_mangle)]
pub extern "C" fn tm_abi_version() -> u32 {
    torimatome_plugin_api::ABI_VERSION + 1
}
