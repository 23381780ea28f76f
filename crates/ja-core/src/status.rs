//! Status marks (進捗区分) mapped to the book's canonical labels.
//!
//! The mapping is per source and lives in the pipeline configuration (Kameyama's A–D and
//! Setouchi's ○/△ are different scales); this module only applies it. Forms are compared
//! after [`squash`] and ASCII lower-casing, so "Ｂ", "b" and "B " are one form, while
//! "〇" (U+3007), "◯" (U+25EF) and "○" (U+25CB) stay distinct: NFKC does not fold them, and
//! whether they mean the same mark is the configuration's call.

use std::collections::BTreeMap;

use crate::text::{nfkc, squash};

/// A status vocabulary: which written forms mean which canonical label.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary {
    /// Comparison key of each form → canonical label.
    forms: BTreeMap<String, String>,
}

/// Result of looking a status cell up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusMatch {
    /// Empty or whitespace only.
    Blank,
    /// The canonical label.
    Found(String),
    /// Text that no form matches; the caller reports it with its cell.
    Unknown,
}

impl Vocabulary {
    /// Builds a vocabulary from (canonical label, forms) pairs. Each label also matches
    /// itself, so a department writing "推進中" needs no extra form.
    ///
    /// # Errors
    ///
    /// Every problem, joined by "; ": a form (after normalisation) given to two labels, a
    /// blank label, a blank form.
    pub fn new(entries: &[(String, Vec<String>)]) -> Result<Vocabulary, String> {
        let mut forms: BTreeMap<String, String> = BTreeMap::new();
        let mut problems: Vec<String> = Vec::new();
        for (label, written) in entries {
            if key(label).is_empty() {
                problems.push("進捗区分の名前が空".to_string());
                continue;
            }
            for form in std::iter::once(label).chain(written) {
                if let Err(problem) = add_form(&mut forms, label, form) {
                    problems.push(problem);
                }
            }
        }
        if problems.is_empty() {
            Ok(Vocabulary { forms })
        } else {
            Err(problems.join("; "))
        }
    }

    /// Maps a status cell to its canonical label.
    ///
    /// The whole text is tried first; then its first token, split at whitespace or a
    /// colon, so "A 順調に進んだ" and "A：順調" match the form "A".
    pub fn lookup(&self, raw: &str) -> StatusMatch {
        let whole = key(raw);
        if whole.is_empty() {
            return StatusMatch::Blank;
        }
        let found = self
            .forms
            .get(&whole)
            .or_else(|| first_token(raw).and_then(|token| self.forms.get(&key(&token))));
        match found {
            Some(label) => StatusMatch::Found(label.clone()),
            None => StatusMatch::Unknown,
        }
    }
}

/// Records one form of `label`, refusing a blank form or one already given to another label.
fn add_form(forms: &mut BTreeMap<String, String>, label: &str, form: &str) -> Result<(), String> {
    let k = key(form);
    if k.is_empty() {
        return Err(format!(
            "進捗区分「{label}」の表記が空"
        ));
    }
    match forms.get(&k) {
        Some(other) if other != label => Err(format!(
            "表記「{form}」が「{other}」と「{label}」の両方にある"
        )),
        Some(_) => Ok(()),
        None => {
            forms.insert(k, label.to_string());
            Ok(())
        }
    }
}

/// Comparison key: no whitespace, NFKC, ASCII letters in lower case.
fn key(s: &str) -> String {
    squash(s).to_ascii_lowercase()
}

/// The text before the first whitespace or colon, when something follows it:
/// "A 順調に進んだ" → "A", "A：順調" → "A" (NFKC turns "：" into ":").
fn first_token(raw: &str) -> Option<String> {
    let s = nfkc(raw);
    let (token, _) = s.split_once(|c: char| c.is_whitespace() || c == ':')?;
    (!token.is_empty()).then(|| token.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Cases that are a literal input and its expected result are tables in tests/data,
    // run by tests/tables.rs; the tests here build their input or expectation in code.

    fn entry(label: &str, forms: &[&str]) -> (String, Vec<String>) {
        (
            label.to_string(),
            forms.iter().map(|f| f.to_string()).collect(),
        )
    }

    fn found(label: &str) -> StatusMatch {
        StatusMatch::Found(label.to_string())
    }

    #[test]
    fn circles_are_distinct_unless_listed() {
        let v = Vocabulary::new(&[entry("推進中", &["○"])]).unwrap();
        assert_eq!(v.lookup("○"), found("推進中"));
        assert_eq!(v.lookup("〇"), StatusMatch::Unknown);
        assert_eq!(v.lookup("◯"), StatusMatch::Unknown);
    }

    #[test]
    fn the_same_form_for_two_labels_is_an_error() {
        let e = Vocabulary::new(&[entry("達成", &["A"]), entry("推進中", &["A"])]).unwrap_err();
        assert!(
            e.contains("「A」") && e.contains("達成") && e.contains("推進中"),
            "{e}"
        );
    }

    #[test]
    fn forms_equal_after_normalisation_conflict_too() {
        let e = Vocabulary::new(&[entry("達成", &["Ａ"]), entry("推進中", &["a"])]).unwrap_err();
        assert!(e.contains("推進中"), "{e}");
    }

    #[test]
    fn a_label_used_as_another_labels_form_conflicts() {
        assert!(Vocabulary::new(&[entry("達成", &[]), entry("推進中", &["達成"])]).is_err());
    }

    #[test]
    fn every_problem_is_reported() {
        let e = Vocabulary::new(&[
            entry("達成", &["A", "B"]),
            entry("推進中", &["A", "B", " "]),
            entry("", &["C"]),
        ])
        .unwrap_err();
        assert_eq!(e.split("; ").count(), 4, "{e}");
    }

    #[test]
    fn repeating_a_form_under_one_label_is_fine() {
        let v = Vocabulary::new(&[
            entry("達成", &["A", "Ａ", "a", "達成"]),
            entry("達成", &["◎"]),
        ]);
        assert_eq!(v.map(|v| v.lookup("◎")), Ok(found("達成")));
    }

    #[test]
    fn empty_vocabulary_knows_nothing() {
        let v = Vocabulary::new(&[]).unwrap();
        assert_eq!(v.lookup("A"), StatusMatch::Unknown);
        assert_eq!(v.lookup(""), StatusMatch::Blank);
    }
}
