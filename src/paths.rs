//! Paths as the user and the manifest write them: relative to a pipeline's folder or to
//! the manifest, with `.` and `..` folded away lexically (the path may not exist yet), and
//! written with `/` on every system. An edge: `absolute` reads the working directory.

use std::path::{Component, Path, PathBuf};

/// A path relative to the pipeline's folder, with `a/../` folded away so messages show
/// the path a person would type.
pub fn beside(dir: &Path, relative: &str) -> PathBuf {
    let mut out = PathBuf::new();
    for part in dir.join(relative).components() {
        match part {
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// `path` as seen from `base`, lexically, when both are absolute or both relative;
/// otherwise `path` as it is. Paths are written with `/` so a manifest reads the same
/// on every system.
pub fn relative(base: &Path, path: &Path) -> String {
    let (base, path) = (absolute(base), absolute(path));
    let b: Vec<Component> = base.components().collect();
    let p: Vec<Component> = path.components().collect();
    let common = b.iter().zip(&p).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return path.to_string_lossy().replace('\\', "/");
    }
    let mut parts: Vec<String> = vec!["..".to_string(); b.len() - common];
    parts.extend(p[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// An absolute path with `.` and `..` folded away, without touching the file system
/// (the path may not exist yet).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_written_relative_to_the_manifest() {
        assert_eq!(relative(Path::new("/a/out"), Path::new("/a/pipelines/x.yaml")), "../pipelines/x.yaml");
        assert_eq!(relative(Path::new("/a/out"), Path::new("/a/out/book.xlsx")), "book.xlsx");
        assert_eq!(relative(Path::new("/a/out"), Path::new("/a/out/../in")), "../in");
    }
}
