//! The catalogue: every word torimatome says about a file or a cell, and what to do about
//! it. Readers and deciders record *what happened* as an [`Issue`] (or a
//! [`ReadError`](crate::workbook::ReadError)) with its facts; the words are made here,
//! when the book, the records or the command line show them, and never compared as text.
//! A second language goes here, beside the first.

use std::fmt;

use serde::{Deserialize, Serialize};
use torimatome_ja_core::era::Period;

use crate::workbook::{NotWorkbook, ReadError};

/// The canonical statuses in the order the book shows them; blank status is counted apart.
pub const STATUSES: [&str; 4] = ["達成", "推進中", "課題あり", "取組なし"];
/// How the book names a project whose status cell was blank or unreadable.
pub const NO_STATUS: &str = "未記入";
/// The grades an evaluation list uses, in the order the book shows them.
pub const GRADES: [&str; 4] = ["A", "B", "C", "D"];
/// How the book counts a grade that is none of them (未評価, E).
pub const OTHER_GRADE: &str = "その他";

/// Something a person must look at, or the reason a file does not count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Issue {
    // Why a file does not count.
    /// An Excel owner (lock) file, `~$…`.
    LockFile,
    HiddenFile,
    /// The pipeline's `files.exclude`.
    Excluded,
    /// Not a workbook by its name (`files.include`).
    NotWorkbookName,
    CannotOpen { why: String },
    /// A zip archive of the inbox whose files cannot be listed or unpacked.
    ArchiveUnreadable { why: String },
    /// A file of a zip archive that is encrypted, and no password given opens it.
    ArchivePassword,
    Unreadable(ReadError),
    /// torimatome's own reader failed (panicked) on the file.
    ReaderFailed { why: String },
    /// Every sheet of the file that a plugin layout tried, it failed on.
    LayoutPluginFailed { failures: Vec<String> },
    WrongTemplate { sheet: String, missing: Vec<String> },
    NoLayout { sheets: Vec<String> },
    DepartmentNotOnRoster { why: String },
    NoDepartmentAnywhere,
    /// A file that was read but whose department no rule gave.
    NoDepartment,
    AnotherPeriod { stated: Period, expected: Period },
    Superseded { by: String },
    /// The pipeline's order could not tell which of a department's files is newest.
    Undecided { winner: String, others: Vec<String> },

    // What is wrong in a file that counts, at a sheet or a cell.
    /// The department cell names no roster department.
    DepartmentCellNotOnRoster { why: String },
    /// A department written with look-alike letters: counted, to be retyped.
    DepartmentLookalike { warning: String },
    /// A department on a row of a list that is not on the roster.
    RowDepartment { why: String },
    LayoutFailed { layout: String, why: String },
    StepFailed { step: String, role: String, why: String },
    /// A value cell a step could not read; the step's reason.
    Value { why: String },
    /// A value read, with something worth a person's look.
    ValueWarning { warning: String },
    /// A status mark the vocabulary does not have; the step's reason.
    Status { why: String },
    StatusNotCounted { label: String },
    /// A name (goal, measure, project, indicator) worth a look (look-alike letters).
    TextWarning { warning: String },
    NoProject,
    MissingColumn { name: String, rows: usize },
    ValueHeader,
    ReportDate { why: String },
    /// A problem a plugin layout found, in its own words.
    Plugin { what: String, todo: String },
}

impl Issue {
    /// What is wrong, for the person who reads the book.
    pub fn what(&self) -> String {
        match self {
            Issue::LockFile => "Excel の作業中ロックファイル / Excel owner (lock) file".into(),
            Issue::HiddenFile => "隠しファイル / hidden file".into(),
            Issue::Excluded => "パイプラインの除外パターンに該当 / excluded by the pipeline".into(),
            Issue::NotWorkbookName => "ブックの拡張子ではない / not a workbook by its name".into(),
            Issue::CannotOpen { why } => format!("ファイルを開けない (使用中か権限なし) / cannot open the file: {why}"),
            Issue::ArchiveUnreadable { .. } => "zip ファイルを展開できない / the zip archive cannot be unpacked".into(),
            Issue::ArchivePassword => "パスワード付きの zip: 開けるパスワードがない / a password-protected zip, and no password opens it".into(),
            Issue::Unreadable(e) => e.to_string(),
            Issue::ReaderFailed { .. } => "読み込み中に内部エラー / the reader failed on this file".into(),
            Issue::LayoutPluginFailed { failures } => format!("プラグインが読めなかった / a layout plugin failed: {}", failures.join("; ")),
            Issue::WrongTemplate { sheet, missing } => format!(
                "様式が違う: シート「{sheet}」に {} の列がない / wrong template: no {} column",
                missing.join("・"),
                missing.join(", ")
            ),
            Issue::NoLayout { sheets } => {
                // A workbook may have a thousand sheets: the first few say what it is.
                const NAMED: usize = 10;
                let mut named = sheets.iter().take(NAMED).map(String::as_str).collect::<Vec<_>>().join(", ");
                if sheets.len() > NAMED {
                    named += &format!(" ほか {} 枚", sheets.len() - NAMED);
                }
                format!("宣言されたどの様式にも合わない (シート: {named}) / matches no declared layout")
            }
            Issue::DepartmentNotOnRoster { why } => format!("名簿にない担当課 / department not on the roster: {why}"),
            Issue::NoDepartmentAnywhere => "担当課が読めない / no department in the file or its name".into(),
            Issue::NoDepartment => "担当課が読めない / no department".into(),
            Issue::AnotherPeriod { stated, expected } => {
                format!("別の期の報告 ({} / {stated}) / reports on another period than {expected}", stated.label_ja())
            }
            Issue::Superseded { by } => format!("{by} に差し替えられた / superseded by a later submission"),
            Issue::Undecided { winner, others } => format!(
                "{winner} と {} のどちらが新しいか判定できない (報告日も版の印も同じ); 名前の順で {winner} を集計した / cannot tell which file is newer",
                others.join("、")
            ),
            Issue::DepartmentCellNotOnRoster { why } => format!("担当課が名簿にない / department not on the roster: {why}"),
            Issue::DepartmentLookalike { warning } | Issue::ValueWarning { warning } | Issue::TextWarning { warning } => warning.clone(),
            Issue::RowDepartment { why } => format!("担当課 / department: {why}"),
            Issue::LayoutFailed { layout, why } => format!("レイアウト {layout} が失敗 / layout {layout} failed: {why}"),
            Issue::StepFailed { step, role, why } => format!("プラグインの処理が失敗 / step {step} failed on the {role} column: {why}"),
            Issue::Value { why } | Issue::Status { why } | Issue::ReportDate { why } => why.clone(),
            Issue::StatusNotCounted { label } => format!(
                "進捗区分「{label}」は集計する区分 ({}) のどれでもない / not one of the statuses the book counts",
                STATUSES.join("・")
            ),
            Issue::NoProject => "事業名のない行 / a row without a project".into(),
            Issue::MissingColumn { name, rows } => {
                format!("見出しに「{name}」の列がない: {rows} 行をこの列なしで集計 / no {name} column: {rows} rows read without it")
            }
            Issue::ValueHeader => "見出しから基準値・計画値・実績値と年度が読めない / header names no kind and fiscal year".into(),
            Issue::Plugin { what, .. } => what.clone(),
        }
    }

    /// The technical detail behind it, in the words of the reader that failed, for
    /// whoever looks into it: a column of its own, apart from what a person reads.
    pub fn detail(&self) -> Option<&str> {
        match self {
            Issue::Unreadable(ReadError::Corrupt(why)) | Issue::ReaderFailed { why } | Issue::ArchiveUnreadable { why } => Some(why),
            _ => None,
        }
    }

    /// What to do about it.
    pub fn todo(&self) -> &str {
        match self {
            Issue::LockFile | Issue::HiddenFile | Issue::Excluded | Issue::NotWorkbookName => "",
            Issue::CannotOpen { .. } => "ファイルを閉じてから再実行 / close the file and run again",
            Issue::ArchiveUnreadable { .. } => "zip を作り直して再提出を依頼 / ask for the zip again",
            Issue::ArchivePassword => {
                "担当課から届いたパスワードをパスワードファイル (passwords) に書いて再実行 / write the password the department sent into the passwords file and run again"
            }
            Issue::Unreadable(ReadError::PasswordProtected) => {
                "パスワードを外したファイルの再提出を依頼 / ask for the file without its password"
            }
            Issue::Unreadable(ReadError::OldExcel { .. }) => {
                "Excel で開いて .xlsx 形式で保存し直したものを依頼 / ask for it opened in Excel and saved as .xlsx"
            }
            Issue::Unreadable(ReadError::Corrupt(_)) => {
                "Excel で開けるか確かめ、開けるなら保存し直したものを、開けないなら作り直しを依頼 / check it opens in Excel: if so ask for it saved again, if not for a new file"
            }
            Issue::Unreadable(_) => "提出元に開けるファイルの再提出を依頼 / ask for the file again",
            Issue::ReaderFailed { .. } => "torimatome の不具合として報告 / report it as a torimatome bug",
            Issue::LayoutPluginFailed { .. } => "",
            Issue::WrongTemplate { .. } => "正しい様式での再提出を依頼 / ask for the report on the current template",
            Issue::NoLayout { .. } => "この様式を読むレイアウトをパイプラインに宣言 / declare a layout for this kind of workbook",
            Issue::DepartmentNotOnRoster { .. } | Issue::DepartmentCellNotOnRoster { .. } => {
                "名簿か別名 (aliases) に加えるか、提出元を確認 / add it to the roster or aliases, or check the sender"
            }
            Issue::NoDepartmentAnywhere | Issue::NoDepartment => "担当課欄の記入を依頼 / ask for the 担当課 cell",
            Issue::AnotherPeriod { .. } => "提出期間を確認 / check which period the file reports",
            Issue::Superseded { .. } => "対応不要 (新しい方を集計) / nothing: the newer file is used",
            Issue::Undecided { .. } => {
                "担当課にどれが最新か確認し、古い方を受付フォルダから外すか名前に「修正版(2)」などと付けて再実行 / ask the department which is the latest; remove or mark the others"
            }
            Issue::DepartmentLookalike { .. } => {
                "担当課名を名簿どおりに打ち直すよう依頼 (集計は名簿の課として済み) / ask for the name as on the roster (counted as that department)"
            }
            Issue::RowDepartment { .. } | Issue::TextWarning { .. } => "文字を確認 / check the characters",
            Issue::LayoutFailed { .. } => "このシートは読まずに続行; プラグインの作成者に報告 / sheet skipped; report it to the plugin's maker",
            Issue::StepFailed { .. } => {
                "この列はこの処理なしで集計; プラグインの作成者に報告 / consolidated without this step here; report it to the plugin's maker"
            }
            Issue::Value { .. } => "担当課にセルの確認・修正を依頼 / ask the department to correct the cell",
            Issue::ValueWarning { .. } => "読み方が正しいか確認 / confirm the value was read right",
            Issue::Status { .. } => "進捗区分を凡例の記号で記入するよう依頼 / ask for a mark from the legend",
            Issue::StatusNotCounted { .. } => "パイプラインの status の語彙を直す / fix the status vocabulary in the pipeline",
            Issue::NoProject => "事業名を記入するよう依頼 / ask the department to name the project",
            Issue::MissingColumn { .. } => "様式が正しいか確認し、列を戻した様式での再提出を依頼 / check the template; ask for the report with the column",
            Issue::ValueHeader => "見出しを「R4計画値」のように直す / write the header like R4計画値",
            Issue::ReportDate { .. } => "報告日を日付で記入するよう依頼 / ask for a date",
            Issue::Plugin { todo, .. } => todo,
        }
    }
}

/// How 入力ファイル gives the reason of a superseded file.
pub fn superseded_by(by: &str) -> String {
    format!("{by} に差し替え / superseded by {by}")
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::ZeroBytes => write!(f, "空のファイル (0 バイト) / zero-byte file"),
            ReadError::PasswordProtected => write!(f, "パスワード保護されたブック / password-protected workbook"),
            ReadError::Truncated => write!(f, "途中で切れたファイル (zip の中央ディレクトリがない) / truncated file (zip central directory missing)"),
            ReadError::TooLarge { part, limit } => write!(
                f,
                "展開すると大きすぎる ({part} が {} MB 超) / too large when unpacked: {part} exceeds {} MB (decompression bomb?)",
                limit / (1024 * 1024),
                limit / (1024 * 1024)
            ),
            ReadError::TooManyCells { part, cells } => {
                write!(f, "シートが大きすぎる ({part}: {cells} セル以上) / too large: sheet {part} lays out {cells} cells or more")
            }
            ReadError::BeyondGrid { sheet, row, col } => write!(
                f,
                "Excel の範囲外のセル ({sheet}: {row} 行 {col} 列) / a cell beyond Excel's grid: sheet {sheet}, row {row}, column {col}"
            ),
            ReadError::NotAWorkbook(what) => {
                let what = match what {
                    NotWorkbook::Text => "テキストファイル / a text file with a spreadsheet's name",
                    NotWorkbook::Pdf => "PDF",
                    NotWorkbook::Unknown => "不明な形式 / unknown format",
                };
                write!(f, "Excel ブックではない ({what}) / not a workbook")
            }
            ReadError::OldExcel { biff } => write!(f, "Excel 2.x–4.0 の古い形式 (BIFF{biff}) / an Excel 2.x–4.0 workbook (BIFF{biff})"),
            ReadError::NoSheets => write!(f, "壊れたブック / corrupt workbook: シートが一つもない / the workbook has no sheets"),
            ReadError::SectorLoop => {
                write!(f, "壊れたブック / corrupt workbook: 複合ファイルのセクタの連鎖が循環している / the compound file's sector chains loop")
            }
            // What the format's reader said is a detail, apart (`Issue::detail`).
            ReadError::Corrupt(_) => write!(f, "壊れたブック (読めない部分がある) / corrupt workbook: parts of it cannot be read"),
        }
    }
}
