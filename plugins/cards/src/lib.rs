//! torimatome-cards: action-plan cards (layout B, as in 吹田市 004) read as a torimatome
//! layout plugin.
//!
//! A card is a sheet of label/value rows (No., 基本方針, 取組, アクションプラン, 主管部門,
//! 評価指標) with a 年度 row naming fiscal years and 予定 / 実績 rows under it. The layout
//! `action_plan_card` finds the labels by text, emits one row per card with the position of
//! each plan and actual cell, and reports the cells it cannot attribute (two values in one
//! cell, a 実績 row shifted against its 年度 row) instead of reading them. See [`card`] for
//! the exact rules.

pub mod card;
pub mod text;

use torimatome_plugin_api::{
    Description, Layout, LayoutInfo, LayoutResult, OptionInfo, OptionKind, OptionValue, Options, Plugin, SheetIn,
};

pub use card::{read_sheet, Field, Labels};

/// The one layout this plugin offers.
pub const LAYOUT: &str = "action_plan_card";

/// The plugin: action-plan cards.
pub struct CardsPlugin;

/// The `action_plan_card` layout, configured.
#[derive(Debug, Clone, Default)]
pub struct CardLayout {
    pub labels: Labels,
}

impl CardLayout {
    /// Build the layout from the pipeline's options: `labels` (map: field → label texts).
    pub fn from_options(options: &Options) -> Result<CardLayout, String> {
        if let Some(unknown) = options.keys().find(|k| k.as_str() != "labels") {
            return Err(format!("layout `{LAYOUT}` has no option `{unknown}` (options: labels)"));
        }
        let labels = match options.get("labels") {
            None => Labels::default(),
            Some(OptionValue::Map(map)) => Labels::with(map)?,
            Some(_) => return Err("option `labels` must be a map of field → label texts".into()),
        };
        Ok(CardLayout { labels })
    }
}

impl Layout for CardLayout {
    fn read(&self, sheet: &SheetIn<'_>) -> LayoutResult {
        read_sheet(&self.labels, sheet)
    }
}

fn labels_description() -> String {
    let fields: Vec<String> =
        Field::ALL.iter().map(|f| format!("{}: [{}]", f.name(), f.default_labels().join(", "))).collect();
    format!(
        "field → label texts, matched after NFKC without whitespace; the fields given replace their defaults ({})",
        fields.join("; ")
    )
}

impl Plugin for CardsPlugin {
    fn describe(&self) -> Description {
        Description {
            name: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
            steps: vec![],
            layouts: vec![LayoutInfo {
                name: LAYOUT.into(),
                options: vec![OptionInfo {
                    name: "labels".into(),
                    kind: OptionKind::Map,
                    required: false,
                    description: labels_description(),
                }],
                description:
                    "action-plan cards (layout B): label rows, a 年度 row of fiscal years, 予定 and 実績 rows; \
                              one row per card; two-value cells and shifted 実績 rows reported, not read"
                        .into(),
            }],
        }
    }

    fn layout(&self, name: &str, options: &Options) -> Result<Box<dyn Layout>, String> {
        if name != LAYOUT {
            return Err(format!("this plugin has no layout `{name}` (it offers `{LAYOUT}`)"));
        }
        Ok(Box::new(CardLayout::from_options(options)?))
    }
}

torimatome_plugin_api::export_plugin!(CardsPlugin);
