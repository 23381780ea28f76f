//! The pipeline file exactly as written: one struct per YAML mapping, unknown keys refused.
//! Nothing here is checked beyond shape; `pipeline::check` turns it into a [`super::Pipeline`].

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use spanned_yaml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPipeline {
    pub name: String,
    /// The shared folder, relative to the pipeline file.
    pub inbox: Spanned<String>,
    /// The book to write, relative to the pipeline file.
    pub output: Spanned<String>,
    #[serde(default)]
    pub files: RawFiles,
    pub period: RawPeriod,
    pub roster: RawRoster,
    #[serde(default)]
    pub department: RawDepartment,
    #[serde(default)]
    pub resubmission: RawResubmission,
    #[serde(default)]
    pub plugins: RawPlugins,
    pub layouts: Vec<Spanned<RawLayout>>,
    pub steps: Vec<Spanned<RawStep>>,
    #[serde(default)]
    pub book: RawBook,
    #[serde(default)]
    pub limits: RawLimits,
    /// How each indicator's achievement is measured: its direction, whether its plans are
    /// running totals, whether its target is a change from the baseline. The first rule
    /// that names an indicator applies; the others rise, year by year, against the plan.
    #[serde(default)]
    pub indicators: Vec<Spanned<RawIndicator>>,
    /// A text file of passwords departments told the office, relative to the pipeline
    /// file: a line each, a file-name pattern, a tab (or spaces), the password. Kept out
    /// of the pipeline, the book, the records and the manifest.
    #[serde(default)]
    pub passwords: Option<Spanned<String>>,
    /// The last period's manifest (or book), relative to the pipeline file: the book gets
    /// 前期比, this period against that one.
    #[serde(default)]
    pub previous: Option<Spanned<String>>,
}

/// Bounds on what one input file may cost to read.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLimits {
    /// The most one part of a workbook (a sheet) may unpack to, in MB; a file over it is
    /// refused as a decompression bomb.
    #[serde(default = "default_max_unpacked_mb")]
    pub max_unpacked_mb: Spanned<u64>,
}

impl Default for RawLimits {
    fn default() -> Self {
        RawLimits { max_unpacked_mb: Spanned::unplaced(default_max_unpacked_mb_value()) }
    }
}

fn default_max_unpacked_mb_value() -> u64 {
    256
}

fn default_max_unpacked_mb() -> Spanned<u64> {
    Spanned::unplaced(default_max_unpacked_mb_value())
}

/// Where plugins come from, and which to load.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlugins {
    /// Directories searched in order, relative to the pipeline file; `{profile}` stands
    /// for this torimatome's build profile (debug or release). Never the inbox.
    #[serde(default)]
    pub dirs: Vec<Spanned<String>>,
    /// Plugin names (torimatome-ja), found as the platform's library file name.
    #[serde(default)]
    pub load: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFiles {
    /// File-name patterns (`*` and `?`) of files that belong to the collection.
    #[serde(default = "default_include")]
    pub include: Vec<Spanned<String>>,
    /// File-name patterns set aside without reading; Excel lock files are always ignored.
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
}

impl Default for RawFiles {
    fn default() -> Self {
        RawFiles { include: default_include(), exclude: Vec::new() }
    }
}

fn default_include() -> Vec<Spanned<String>> {
    ["*.xlsx", "*.xlsm", "*.xls", "*.xlsb", "*.ods"]
        .iter()
        .map(|p| Spanned::unplaced(p.to_string()))
        .collect()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPeriod {
    /// The fiscal year being collected, in any form the era step reads ("令和4年度", 2022).
    /// With `half`; leave both out to take the period most files state (see `check`).
    #[serde(default)]
    pub fiscal_year: Option<Spanned<String>>,
    /// 上期 or 下期.
    #[serde(default)]
    pub half: Option<Spanned<String>>,
    /// Where each file states its own period (file_name, title); a file for another period
    /// is set aside.
    #[serde(default)]
    pub check: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRoster {
    /// A text file with one department a line, relative to the pipeline file.
    #[serde(default)]
    pub file: Option<Spanned<String>>,
    /// Departments written in the pipeline itself.
    #[serde(default)]
    pub departments: Vec<Spanned<String>>,
    /// Other names a department writes for itself.
    #[serde(default)]
    pub aliases: BTreeMap<String, Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDepartment {
    /// The label next to which each workbook names its department (担当課).
    #[serde(default)]
    pub label: Vec<Spanned<String>>,
    /// Also look for a roster name in the file name when the label gives none.
    #[serde(default)]
    pub from_file_name: bool,
}

impl Default for RawDepartment {
    fn default() -> Self {
        RawDepartment { label: Vec::new(), from_file_name: true }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawResubmission {
    /// The label next to which a workbook gives its report date (報告日).
    #[serde(default)]
    pub report_date_label: Vec<Spanned<String>>,
    /// Regular expressions on the file name marking a corrected file; a capture group,
    /// if any, is the revision number (v2, 第3版).
    #[serde(default)]
    pub revision_marks: Vec<Spanned<String>>,
    /// What decides between two files of one department, first key first: report_date,
    /// revision, file_name.
    #[serde(default)]
    pub order: Vec<Spanned<String>>,
}

/// One rule of `indicators`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIndicator {
    /// A regular expression on the indicator's name (待ち時間|削減).
    #[serde(default)]
    pub name: Option<Spanned<String>>,
    /// A regular expression on its unit.
    #[serde(default)]
    pub unit: Option<Spanned<String>>,
    /// increase (the default), decrease or keep.
    #[serde(default)]
    pub direction: Option<Spanned<String>>,
    /// The plans are running totals over the plan's years; the actuals, each year's own.
    #[serde(default)]
    pub cumulative: bool,
    /// The target is a change from the baseline: achievement is the change so far over
    /// the change planned.
    #[serde(default)]
    pub from_baseline: bool,
    /// The figure is itself a change (増減率, 前年差): the book gives it no ratio.
    #[serde(default)]
    pub change: bool,
}

/// A mapping kept in the order it is written: serde's own maps sort their keys, and the
/// book shows the notes in the pipeline's order.
#[derive(Debug)]
pub struct Ordered<V>(pub Vec<(Spanned<String>, V)>);

impl<V> Default for Ordered<V> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Ordered<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Entries<V> {
            type Value = Ordered<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Ordered(entries))
            }
        }
        d.deserialize_map(Entries(PhantomData))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLayout {
    pub name: String,
    /// The plan the layout's projects belong to (ICT戦略推進プラン, 行革実施計画): 概要
    /// counts each plan apart. Without it, the layout is a plan of its own.
    #[serde(default)]
    pub plan: Option<String>,
    /// `table` (one row per indicator or action, read by torimatome) or `plugin`.
    pub kind: Spanned<String>,
    /// Regular expressions on sheet names; hidden sheets are never read.
    pub sheets: Vec<Spanned<String>>,
    /// For lists compiled by one department for many (an A–D evaluation list): the
    /// department the file counts for when neither the file nor its name says.
    #[serde(default)]
    pub department: Option<Spanned<String>>,
    /// For `kind: plugin`: the plugin and its layout, with options.
    #[serde(default)]
    pub plugin: Option<Spanned<String>>,
    #[serde(default)]
    pub layout: Option<Spanned<String>>,
    #[serde(default)]
    pub options: BTreeMap<Spanned<String>, Spanned<RawOption>>,
    /// Steps for this layout's rows instead of the pipeline's (another status scale).
    #[serde(default)]
    pub steps: Option<Vec<Spanned<RawStep>>>,
    #[serde(default)]
    pub header: RawHeader,
    /// Role → header texts that name it (compared after NFKC, spaces removed).
    #[serde(default)]
    pub columns: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    /// Roles a table must have; a sheet with some but not all of them is a wrong template.
    #[serde(default)]
    pub required: Vec<Spanned<String>>,
    /// What departments write beside their figures: the book's name for each note column
    /// (状況, 課題, 今後の方向性, 備考) → the header texts that name it.
    #[serde(default)]
    pub notes: Ordered<Vec<Spanned<String>>>,
    /// Header groups whose sub-headers are value columns (指標値 over R1実績値 | R3計画値).
    /// A list without values (an A–D evaluation list) leaves it out.
    #[serde(default)]
    pub values: Option<RawValues>,
    /// The status column holds letter grades (A–D): keep the letter for 評価一覧.
    #[serde(default)]
    pub grades: bool,
    /// Roles whose blank cells mean "same as above" (merged cells).
    #[serde(default)]
    pub fill_down: Vec<Spanned<String>>,
    #[serde(default)]
    pub end: RawEnd,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHeader {
    /// How many rows from the top to search for the header row.
    #[serde(default = "default_search_rows")]
    pub search_rows: u32,
    /// 1 or 2: a two-row header has group cells merged over sub-headers.
    #[serde(default = "default_header_rows")]
    pub rows: u32,
}

impl Default for RawHeader {
    fn default() -> Self {
        RawHeader { search_rows: default_search_rows(), rows: default_header_rows() }
    }
}

fn default_search_rows() -> u32 {
    20
}
fn default_header_rows() -> u32 {
    2
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawValues {
    /// Group headers over baseline and plan columns (指標値).
    #[serde(default)]
    pub groups: Vec<Spanned<String>>,
    /// Group headers over the actual for this period (実績値).
    #[serde(default)]
    pub actual: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnd {
    /// Regular expressions; a row whose first non-empty cell matches ends the table.
    #[serde(default)]
    pub stop_at: Vec<Spanned<String>>,
    /// This many blank rows in a row end the table.
    #[serde(default = "default_blank_rows")]
    pub blank_rows: u32,
}

impl Default for RawEnd {
    fn default() -> Self {
        RawEnd { stop_at: Vec::new(), blank_rows: default_blank_rows() }
    }
}

fn default_blank_rows() -> u32 {
    3
}

/// One normalization step: its name, the plugin serving it (when more than one could),
/// the roles it applies to, and its options.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    pub step: Spanned<String>,
    #[serde(default)]
    pub plugin: Option<Spanned<String>>,
    #[serde(default)]
    pub on: Vec<Spanned<String>>,
    #[serde(default)]
    pub options: BTreeMap<Spanned<String>, Spanned<RawOption>>,
}

/// Step options are data the step itself checks, so their shape is open here.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawOption {
    Bool(bool),
    Number(f64),
    Text(String),
    List(Vec<String>),
    Map(BTreeMap<String, Vec<String>>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBook {
    /// Title printed on 概要.
    #[serde(default)]
    pub title: Option<String>,
    /// The fixed creation time written into the book, so reruns give identical bytes.
    #[serde(default = "default_created")]
    pub created: Spanned<String>,
    /// A summary book: 概要, 部署別, 未提出, 問題一覧, 入力ファイル and 監査情報, without
    /// 進捗一覧 and the other lists of rows, whose detail goes to the records (Parquet) only.
    #[serde(default)]
    pub summary: bool,
}

impl Default for RawBook {
    fn default() -> Self {
        RawBook { title: None, created: default_created(), summary: false }
    }
}

fn default_created() -> Spanned<String> {
    Spanned::unplaced("2000-01-01T00:00:00".to_string())
}
