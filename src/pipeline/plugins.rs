//! The pipeline's plugins: found in the directories it names, loaded, and asked to build
//! the steps and layouts the pipeline uses, with options checked against what each plugin
//! says it takes.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use torimatome_plugin_api::{OptionInfo, OptionValue, Options, Role};

use super::errors::{role, Errors};
use crate::messages::Msg;
use crate::paths::beside;
use super::raw::{RawOption, RawPlugins, RawStep};
use spanned_yaml::{Pos, Spanned};
use crate::model::STATUSES;
use crate::normalize::{Normalizer, Step};
use crate::plugin::{self, Plugin, PluginLayout, PluginStep};

/// The build profile of this torimatome, for `{profile}` in plugin directories.
const PROFILE: &str = if cfg!(debug_assertions) { "debug" } else { "release" };

/// The plugins a pipeline loaded, and whether any it named could not be: then a step or
/// layout nobody offers is that plugin's fault, already reported.
pub struct Loaded {
    pub plugins: Vec<Arc<Plugin>>,
    pub some_failed: bool,
}

/// Load the plugins a pipeline names; a plugin that cannot be found or loaded is a
/// problem at its name.
pub fn load(raw: &RawPlugins, dir: &Path, inbox: &Path, pins: Option<(&super::lock::Pins, &Path)>, p: &mut Errors) -> Loaded {
    let mut dirs: Vec<PathBuf> = raw.dirs.iter().map(|d| beside(dir, &d.value.replace("{profile}", PROFILE))).collect();
    for (d, raw_dir) in dirs.iter().zip(&raw.dirs) {
        if d.starts_with(inbox) {
            p.push((raw_dir.pos, Msg::new("config-plugins-in-inbox")));
        }
    }
    // Last, the folder torimatome itself runs from: the Windows package keeps its plugin
    // DLLs beside torimatome.exe. Whoever can write there can replace torimatome itself.
    if let Some(own) = std::env::current_exe().ok().and_then(|exe| exe.parent().map(Path::to_path_buf)) {
        if !own.starts_with(inbox) && !dirs.contains(&own) {
            dirs.push(own);
        }
    }
    let mut loaded: Vec<Arc<Plugin>> = Vec::new();
    let before = p.len();
    for name in &raw.load {
        let Some(path) = plugin::find(&dirs, &name.value) else {
            let looked: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
            let missing = Msg::new("config-plugin-not-found").arg("name", &name.value).arg("file", plugin::file_name(&name.value));
            p.push((name.pos, missing.arg("dirs", looked.join(", "))));
            continue;
        };
        match plugin::load(&path) {
            Ok(plugin) => match pins.and_then(|(pins, pipeline)| super::lock::check(pins, &plugin, pipeline)) {
                Some(refused) => p.push((name.pos, refused)),
                None => loaded.push(plugin),
            },
            Err(why) => p.push((
                name.pos,
                Msg::new("config-plugin-refused").arg("name", &name.value).arg("path", path.display().to_string()).arg("why", why),
            )),
        }
    }
    Loaded { some_failed: p.len() > before, plugins: loaded }
}

/// The plugin offering a step or layout: the one named, or the only one offering it.
fn provider<'a>(
    loaded: &'a Loaded,
    wanted: Option<&Spanned<String>>,
    kind: &'static str,
    name: &Spanned<String>,
    offers: impl Fn(&Plugin) -> bool,
    p: &mut Errors,
) -> Option<&'a Arc<Plugin>> {
    let plugins = &loaded.plugins;
    let candidates: Vec<&Arc<Plugin>> = plugins
        .iter()
        .filter(|pl| wanted.is_none_or(|w| pl.description.name == w.value))
        .filter(|pl| offers(pl))
        .collect();
    match candidates.as_slice() {
        [one] => Some(one),
        [] if loaded.some_failed => None,
        [] => {
            let names: Vec<&str> = plugins.iter().map(|pl| pl.description.name.as_str()).collect();
            p.push((name.pos, Msg::new("config-no-provider").arg("kind", kind).arg("name", &name.value).arg("loaded", names.join(", "))));
            None
        }
        _ => {
            p.push((name.pos, Msg::new("config-several-providers").arg("kind", kind).arg("name", &name.value)));
            None
        }
    }
}

/// Check options against what the plugin says it takes; all problems at once. `what` is
/// the step or layout: its kind (`step`, `layout`) and name.
fn options(
    given: &std::collections::BTreeMap<Spanned<String>, Spanned<RawOption>>,
    takes: &[OptionInfo],
    at: Pos,
    what: (&'static str, &str),
    p: &mut Errors,
) -> Options {
    let about = |id: &'static str| Msg::new(id).arg("kind", what.0).arg("what", what.1);
    let mut out = Options::new();
    for (key, value) in given {
        let value_json = option_value(&value.value);
        match takes.iter().find(|o| o.name == key.value) {
            None => {
                let known: Vec<&str> = takes.iter().map(|o| o.name.as_str()).collect();
                let id = if known.is_empty() { "config-unknown-option-none" } else { "config-unknown-option" };
                p.push((key.pos, about(id).arg("name", &key.value).arg("known", known.join(", "))));
            }
            Some(info) if !info.kind.admits(&value_json) => {
                let kind = format!("{:?}", info.kind).to_lowercase();
                p.push((value.pos, about("config-option-type").arg("name", &key.value).arg("type", kind)));
            }
            Some(_) => {
                out.insert(key.value.clone(), value_json);
            }
        }
    }
    for info in takes.iter().filter(|o| o.required && !out.contains_key(&o.name) && o.name != "roster") {
        p.push((at, about("config-option-required").arg("name", &info.name).arg("description", &info.description)));
    }
    out
}

fn option_value(raw: &RawOption) -> OptionValue {
    match raw {
        RawOption::Bool(b) => OptionValue::Bool(*b),
        RawOption::Number(n) => OptionValue::Number(*n),
        RawOption::Text(t) => OptionValue::Text(t.clone()),
        RawOption::List(l) => OptionValue::List(l.clone()),
        RawOption::Map(m) => OptionValue::Map(m.clone()),
    }
}

/// Build the steps of a pipeline (or of one layout) from its plugins.
pub fn steps(raw: &[Spanned<RawStep>], plugins: &Loaded, roster: &[(String, Vec<String>)], p: &mut Errors) -> Normalizer {
    let mut built: Vec<Box<dyn Step>> = Vec::new();
    for step in raw {
        let s = &step.value;
        let Some(plugin) = provider(plugins, s.plugin.as_ref(), "step", &s.step, |pl| pl.description.steps.iter().any(|i| i.name == s.step.value), p)
        else {
            continue;
        };
        let Some(info) = plugin.description.steps.iter().find(|i| i.name == s.step.value) else { continue };
        let what = ("step", s.step.value.as_str());
        let mut opts = options(&s.options, &info.options, s.step.pos, what, p);
        // A step that asks for the roster gets the pipeline's: the roster is stated once.
        if info.options.iter().any(|o| o.name == "roster") && !opts.contains_key("roster") {
            opts.insert("roster".into(), OptionValue::Map(roster.iter().cloned().collect()));
        }
        let roles: Vec<Role> = if s.on.is_empty() { info.roles.clone() } else { s.on.iter().filter_map(|r| role(r, p)).collect() };
        // A status step's vocabulary maps marks to labels; the book counts four. A label
        // outside them would leave its projects out of every count.
        if roles.contains(&Role::Status) {
            if let (Some(key), Some(OptionValue::Map(vocabulary))) = (s.options.keys().find(|k| k.value == "vocabulary"), opts.get("vocabulary")) {
                for label in vocabulary.keys().filter(|l| !STATUSES.contains(&l.as_str())) {
                    let not_counted = Msg::new("config-status-label").arg("kind", what.0).arg("what", what.1).arg("label", label);
                    p.push((s.options[key].pos, not_counted.arg("statuses", STATUSES.join(", "))));
                }
            }
        }
        match PluginStep::new(plugin.clone(), &s.step.value, roles, &opts) {
            Ok(step) => built.push(Box::new(step)),
            Err(why) => p.push((s.step.pos, plugin_said(what, &plugin.description.name, why))),
        }
    }
    Normalizer::new(built)
}

/// Build a plugin layout named in the pipeline.
pub fn layout(
    plugin_name: Option<&Spanned<String>>,
    layout: &Spanned<String>,
    given: &std::collections::BTreeMap<Spanned<String>, Spanned<RawOption>>,
    plugins: &Loaded,
    p: &mut Errors,
) -> Option<PluginLayout> {
    let plugin = provider(plugins, plugin_name, "layout", layout, |pl| pl.description.layouts.iter().any(|i| i.name == layout.value), p)?;
    let info = plugin.description.layouts.iter().find(|i| i.name == layout.value)?;
    let what = ("layout", layout.value.as_str());
    let opts = options(given, &info.options, layout.pos, what, p);
    match PluginLayout::new(plugin.clone(), &layout.value, &opts) {
        Ok(l) => Some(l),
        Err(why) => {
            p.push((layout.pos, plugin_said(what, &plugin.description.name, why)));
            None
        }
    }
}

/// A plugin's own words on why it refused a step or layout with these options.
fn plugin_said(what: (&'static str, &str), plugin: &str, why: String) -> Msg {
    Msg::new("config-plugin-said").arg("kind", what.0).arg("what", what.1).arg("plugin", plugin).arg("why", why)
}
