//! Which row is which across two readings: a row's identity is its department, goal,
//! measure, project and indicator, each compared after normalisation (NFKC, no spaces, no
//! numbering prefix such as ①, (1), (a), ア.), never its position. Where the names no
//! longer agree, a similarity of their characters suggests a rename, which the book marks
//! as a guess.

use std::sync::OnceLock;

use regex::Regex;
use torimatome_ja_core::text;

/// A name as identity compares it: circled numbers and numbering prefixes dropped, NFKC,
/// every space removed, Latin letters in lower case. `①　行政手続のオンライン化` and
/// `(1) 行政手続のオンライン化` are the same name.
pub fn key(name: &str) -> String {
    // Circled and parenthesised numbers first: NFKC turns ① into a bare 1, which would then
    // look like part of the name (5G活用).
    let trimmed = name.trim_start_matches(|c: char| c.is_whitespace() || is_enclosed_number(c));
    // A name that is nothing but its number is kept.
    let name = if trimmed.is_empty() { name } else { trimmed };
    let mut folded = text::squash(name);
    static PREFIX: OnceLock<Option<Regex>> = OnceLock::new();
    let prefix = PREFIX.get_or_init(|| {
        Regex::new(r"^(?:\([0-9A-Za-zア-ンｱ-ﾝ一二三四五六七八九十]{1,3}\)|[0-9]{1,3}[.)、:]|[0-9]{1,3}-[0-9]{1,3}[.)、:]?|[A-Za-z][.)]|[ア-ン][.)、]|[一二三四五六七八九十]{1,3}[、.]|第[0-9一二三四五六七八九十]{1,3}[章節項]?|[・■●○◆◇□\-])").ok()
    });
    if let Some(prefix) = prefix {
        // A name may carry two (「1. (1) …」); one that is nothing but a prefix is kept.
        for _ in 0..3 {
            match prefix.find(&folded) {
                Some(m) if m.end() < folded.len() => folded = folded[m.end()..].to_string(),
                _ => break,
            }
        }
    }
    folded.to_lowercase()
}

/// ①…⑳, ㉑…㊿, ❶…❿, ⑴…⒇, ⒈…⒛ and the like.
fn is_enclosed_number(c: char) -> bool {
    matches!(c, '\u{2460}'..='\u{24FF}' | '\u{2776}'..='\u{2793}' | '\u{3251}'..='\u{325F}' | '\u{32B1}'..='\u{32BF}')
}

/// How alike two names are, from 0 to 1: the Dice coefficient of their keys' character
/// pairs (a one-character key is its own pair). 行政手続のオンライン化 and
/// 行政手続きのオンライン化 are 0.9 alike.
pub fn similarity(a: &str, b: &str) -> f64 {
    let pairs = |s: &str| -> Vec<(char, char)> {
        let chars: Vec<char> = s.chars().collect();
        match chars.len() {
            0 => Vec::new(),
            1 => vec![(chars[0], chars[0])],
            _ => chars.windows(2).map(|w| (w[0], w[1])).collect(),
        }
    };
    let (mut x, y) = (pairs(a), pairs(b));
    if x.is_empty() && y.is_empty() {
        return 1.0;
    }
    let total = x.len() + y.len();
    let mut shared = 0;
    for pair in &y {
        if let Some(i) = x.iter().position(|p| p == pair) {
            x.swap_remove(i);
            shared += 1;
        }
    }
    2.0 * shared as f64 / total as f64
}

#[cfg(test)]
mod tests {
    use super::{key, similarity};

    #[test]
    fn numbering_width_and_spaces_do_not_change_a_name() {
        let same = ["①行政手続のオンライン化", "(1) 行政手続のオンライン化", "（１）行政手続の　オンライン化", "1. 行政手続のオンライン化", "ア．行政手続のオンライン化", "(a)行政手続のオンライン化", "・行政手続のオンライン化"];
        for name in same {
            assert_eq!(key(name), "行政手続のオンライン化", "{name}");
        }
        // Numbers that are part of the name stay.
        assert_eq!(key("5G活用の検討"), "5g活用の検討");
        assert_eq!(key("R P A の導入"), "rpaの導入");
        assert_eq!(key("①"), "1");
    }

    #[test]
    fn similar_names_are_measured_by_their_characters() {
        assert!(similarity(&key("行政手続のオンライン化"), &key("行政手続きのオンライン化")) > 0.85);
        assert!(similarity(&key("窓口の待ち時間"), &key("電子申請の件数")) < 0.3);
        assert_eq!(similarity("", ""), 1.0);
        assert_eq!(similarity("a", "a"), 1.0);
    }
}
