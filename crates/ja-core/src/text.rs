//! Text normalisation shared by every other normaliser.
//!
//! Departments type the same thing in many widths and spacings: full-width digits and
//! brackets, ideographic spaces, line breaks inside a cell. Everything that compares text
//! goes through [`nfkc`] (keeps inner spaces) or [`squash`] (drops them all).

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// NFKC, then trim. NFKC folds full-width digits, letters and brackets to ASCII
/// ("Ｒ４（２）" → "R4(2)") and the ideographic space U+3000 to an ASCII space;
/// `str::trim` removes Unicode White_Space at both ends, U+3000 included.
pub fn nfkc(s: &str) -> String {
    nfkc_cow(s).into_owned()
}

/// [`nfkc`], borrowing the text when it is already in that form.
pub fn nfkc_cow(s: &str) -> Cow<'_, str> {
    // Most cells are already NFKC (plain kanji, ASCII digits): the quick check answers
    // without decomposing and recomposing every character.
    if unicode_normalization::is_nfkc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        return Cow::Borrowed(s.trim());
    }
    let folded: String = s.nfkc().collect();
    Cow::Owned(folded.trim().to_string())
}

/// NFKC, then remove every whitespace character, inner ones included.
///
/// Used to compare headers and department names, which differ in the documents only by a
/// space, a full-width space or a line break ("こども 未来課", "市民課\u{3000}",
/// "ものづくり\n商業振興課"), and by bracket width ("（" vs "(").
pub fn squash(s: &str) -> String {
    if unicode_normalization::is_nfkc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        return s.chars().filter(|c| !c.is_whitespace()).collect();
    }
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// Cyrillic and Greek letters found in a string that also contains Japanese text,
/// in order of first appearance, each listed once.
///
/// A Cyrillic "д" looks like a CJK-font "д" but never matches in a lookup
/// ("デジタルデバйд" in the documents). A string that is entirely Greek or Cyrillic is
/// left alone: it was written that way on purpose. The raw text is examined, not its
/// NFKC form, because NFKC turns the micro sign "µ" into Greek "μ" and would invent a hit.
pub fn lookalikes(s: &str) -> Vec<char> {
    if !s.chars().any(is_japanese) {
        return Vec::new();
    }
    let mut found: Vec<char> = Vec::new();
    for c in s.chars().filter(|&c| is_cyrillic(c) || is_greek(c)) {
        if !found.contains(&c) {
            found.push(c);
        }
    }
    found
}

/// The TR39 confusable skeleton of a name, squashed: two names a reader cannot tell apart
/// on paper ("DX推進課" and "DХ推進課" with a Cyrillic Х, "ロ" and "口") have the same one.
/// Used to match a name typed with look-alike letters to the roster name it imitates;
/// the match is always reported, never made silently.
pub fn skeleton(s: &str) -> String {
    unicode_security::skeleton(&squash(s)).collect()
}

/// The characters of `written` that `meant` does not have, each once, in order: what a
/// person must retype.
pub fn differing_chars(written: &str, meant: &str) -> Vec<char> {
    let mut odd: Vec<char> = Vec::new();
    for c in written.chars().filter(|c| !meant.contains(*c) && !c.is_whitespace()) {
        if !odd.contains(&c) {
            odd.push(c);
        }
    }
    odd
}

/// Hiragana, Katakana (full and half width) and CJK ideographs, plus the iteration mark 々.
fn is_japanese(c: char) -> bool {
    matches!(c,
        '\u{3005}'                  // 々
        | '\u{3040}'..='\u{309F}'   // Hiragana
        | '\u{30A0}'..='\u{30FF}'   // Katakana
        | '\u{31F0}'..='\u{31FF}'   // Katakana phonetic extensions
        | '\u{3400}'..='\u{4DBF}'   // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'   // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}'   // CJK compatibility ideographs
        | '\u{FF66}'..='\u{FF9F}'   // half-width Katakana
        | '\u{20000}'..='\u{2FA1F}' // CJK extensions B and later
    )
}

fn is_cyrillic(c: char) -> bool {
    matches!(c,
        '\u{0400}'..='\u{052F}'     // Cyrillic and supplement
        | '\u{1C80}'..='\u{1C8F}'   // extended C
        | '\u{2DE0}'..='\u{2DFF}'   // extended A
        | '\u{A640}'..='\u{A69F}'   // extended B
    )
}

fn is_greek(c: char) -> bool {
    matches!(c, '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    // Cases that are a literal input and its expected result are tables in tests/data,
    // run by tests/tables.rs; the tests here build their input or expectation in code.

    #[test]
    fn squash_makes_bracket_widths_equal() {
        assert_eq!(squash("SNS（Instagram）"), squash("SNS(Instagram)"));
    }

    #[test]
    fn skeletons_join_names_a_reader_cannot_tell_apart() {
        // Cyrillic Х (U+0425) and Latin X; katakana ロ and kanji 口; spacing and width.
        assert_eq!(skeleton("D\u{0425}推進課"), skeleton("DX推進課"));
        assert_eq!(skeleton("ＤＸ 推進課"), skeleton("DX推進課"));
        assert_eq!(skeleton("入ロ"), skeleton("入口"));
        assert_ne!(skeleton("市民課"), skeleton("市民税課"));
        assert_ne!(skeleton("情報政策課"), skeleton("情報政策課й"));
    }
}
