//! What checking a pipeline collects: every error at its line and column, so that
//! `validate` lists them all at once. Shared by the checks of the pipeline and of its
//! plugins' steps and layouts, which both read role names.

use spanned_yaml::{Pos, Spanned};

use crate::messages::Msg;
use crate::normalize::{Role, ROLES};

/// The errors found so far, each at its position in the YAML, as messages of the catalogue
/// (worded when shown, in the reader's language).
#[derive(Debug, Default)]
pub struct Errors(Vec<(Pos, Msg)>);

impl Errors {
    /// One more error: a message of the catalogue (text as it is goes in with `.into()`).
    pub fn push(&mut self, error: (Pos, Msg)) {
        self.0.push(error);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// In the order of the file, each error once.
    pub fn sort(&mut self) {
        self.0.sort_by_key(|a| a.0);
        self.0.dedup();
    }
}

impl IntoIterator for Errors {
    type Item = (Pos, Msg);
    type IntoIter = std::vec::IntoIter<(Pos, Msg)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// A role named in the pipeline (`goal`, `status`, …); an unknown name is an error.
pub fn role(name: &Spanned<String>, p: &mut Errors) -> Option<Role> {
    let role = Role::parse(&name.value);
    if role.is_none() {
        let known: Vec<&str> = ROLES.iter().map(|(_, n)| *n).collect();
        p.push((name.pos, Msg::new("config-unknown-role").arg("name", &name.value).arg("known", known.join(", "))));
    }
    role
}
