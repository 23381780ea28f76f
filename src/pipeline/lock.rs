//! Plugin pins: a lock file beside the pipeline records each plugin's SHA-256, so that a
//! rerun months later uses the same code or says why not. A plugin whose hash differs is
//! refused; `torimatome lock PIPELINE` accepts the plugins as they are now, deliberately.
//! A pin names the library file (relative to the pipeline) as well as the plugin, since a
//! pipeline may load the same plugin from another directory (a debug and a release build).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::messages::Msg;
use crate::plugin::Plugin;

/// (plugin name, library path relative to the pipeline) → SHA-256 of the library pinned.
pub type Pins = BTreeMap<(String, String), String>;

fn key(plugin: &Plugin, pipeline: &Path) -> (String, String) {
    let dir = pipeline.parent().unwrap_or(Path::new("."));
    (plugin.description.name.clone(), crate::paths::relative(dir, &plugin.path))
}

/// `pipelines/seto.yaml` → `pipelines/seto.lock`.
pub fn path_for(pipeline: &Path) -> PathBuf {
    pipeline.with_extension("lock")
}

/// The pins of a pipeline; none when it has no lock file yet.
pub fn read(pipeline: &Path) -> Result<Pins, Msg> {
    let path = path_for(pipeline);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Pins::new()),
        Err(e) => return Err(Msg::new("config-lock-unreadable").arg("path", path.display().to_string()).arg("why", e.to_string())),
    };
    let mut pins = Pins::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_whitespace().collect::<Vec<_>>().as_slice() {
            [name, file, sha] if sha.len() == 64 && sha.chars().all(|c| c.is_ascii_hexdigit()) => {
                pins.insert((name.to_string(), file.to_string()), sha.to_string());
            }
            _ => return Err(Msg::new("config-lock-line").arg("path", path.display().to_string()).arg("line", (i + 1).to_string())),
        }
    }
    Ok(pins)
}

/// The problem with a plugin whose library is not the one pinned, if it is not.
pub fn check(pins: &Pins, plugin: &Plugin, pipeline: &Path) -> Option<Msg> {
    let pinned = pins.get(&key(plugin, pipeline))?;
    (*pinned != plugin.sha256).then(|| {
        Msg::new("config-lock-differs")
            .arg("name", &plugin.description.name)
            .arg("path", plugin.path.display().to_string())
            .arg("lock", path_for(pipeline).display().to_string())
            .arg("pinned", pinned.get(..12).unwrap_or(pinned))
            .arg("found", plugin.sha256.get(..12).unwrap_or(&plugin.sha256))
            .arg("pipeline", pipeline.display().to_string())
    })
}

/// Write the pins of these plugins, keeping pins of other library files. With `keep`,
/// pins already in the file stay as they are (a first run pins what it loaded; it never
/// re-pins); without, these plugins are pinned as they are now.
pub fn write(pipeline: &Path, plugins: &[std::sync::Arc<Plugin>], keep: bool) -> Result<bool, Msg> {
    let mut pins = read(pipeline)?;
    let before = pins.clone();
    for p in plugins {
        let sha = p.sha256.clone();
        if keep {
            pins.entry(key(p, pipeline)).or_insert(sha);
        } else {
            pins.insert(key(p, pipeline), sha);
        }
    }
    if pins == before && path_for(pipeline).exists() {
        return Ok(false);
    }
    let mut text = String::from(
        "# torimatome plugin lock: the SHA-256 of each plugin this pipeline runs with.\n\
         # A plugin that differs is refused; accept a deliberate update with `torimatome lock PIPELINE`.\n",
    );
    for ((name, file), sha) in &pins {
        text.push_str(&format!("{name} {file} {sha}\n"));
    }
    let path = path_for(pipeline);
    std::fs::write(&path, text).map_err(|e| Msg::new("config-lock-unwritable").arg("path", path.display().to_string()).arg("why", e.to_string()))?;
    Ok(true)
}
