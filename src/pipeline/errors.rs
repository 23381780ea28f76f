//! What checking a pipeline collects: every error at its line and column, so that
//! `validate` lists them all at once. Shared by the checks of the pipeline and of its
//! plugins' steps and layouts, which both read role names.

use spanned_yaml::{Pos, Spanned};

use crate::normalize::{Role, ROLES};

/// The errors found so far, each at its position in the YAML.
pub type Errors = Vec<(Pos, String)>;

/// A role named in the pipeline (`goal`, `status`, …); an unknown name is an error.
pub fn role(name: &Spanned<String>, p: &mut Errors) -> Option<Role> {
    let role = Role::parse(&name.value);
    if role.is_none() {
        let known: Vec<&str> = ROLES.iter().map(|(_, n)| *n).collect();
        p.push((name.pos, format!("unknown role `{}`; known roles: {}", name.value, known.join(", "))));
    }
    role
}
