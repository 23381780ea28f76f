//! Byte scans over XML parts that are not parsed: the few facts torimatome reads ahead of
//! calamine (merged areas, an ods's repeated cells) without a second parse of a sheet.

/// Where `needle` (never empty) first stands in `haystack`.
pub fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    // memchr's vectorized search: this runs over every sheet's whole XML (for its merged
    // areas), where a byte-by-byte window compare was 5% of a run.
    memchr::memmem::find(haystack, needle)
}

/// Whether what precedes a name opens a tag with it: `<` or `<prefix:`.
pub fn opens_tag(before: &[u8]) -> bool {
    match before.split_last() {
        Some((b'<', _)) => true,
        Some((b':', head)) => {
            let prefix = head.iter().rev().take_while(|b| b.is_ascii_alphanumeric()).count();
            prefix > 0 && head[..head.len() - prefix].ends_with(b"<")
        }
        _ => false,
    }
}

/// An attribute's raw value, the name matched whole (`ref="A1:B2"`, either quote).
pub fn attribute<'a>(tag: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    value_after(tag, name, |b| b.is_ascii_whitespace())
}

/// An attribute matched by its local name (`r:id` for `id`), as calamine matches it.
pub fn local_attribute<'a>(tag: &'a [u8], local: &[u8]) -> Option<&'a [u8]> {
    value_after(tag, local, |b| b == b':')
}

/// The quoted value after the first `name` in `tag` whose preceding byte passes `starts`.
fn value_after<'a>(tag: &'a [u8], name: &[u8], starts: impl Fn(u8) -> bool) -> Option<&'a [u8]> {
    let mut rest = tag;
    loop {
        let at = find(rest, name)?;
        let whole = at > 0 && starts(rest[at - 1]);
        rest = &rest[at + name.len()..];
        if !whole {
            continue;
        }
        let after = rest.trim_ascii_start().strip_prefix(b"=")?.trim_ascii_start();
        let quote = *after.first().filter(|q| **q == b'"' || **q == b'\'')?;
        let value = &after[1..];
        return Some(&value[..value.iter().position(|b| *b == quote)?]);
    }
}
