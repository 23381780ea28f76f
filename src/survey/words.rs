//! The words municipal workbooks use, as `inspect` and `guess` know them before any pipeline
//! exists: header texts per role (DOMAIN.md's variants), the names of commentary columns,
//! value groups, the labels beside a department or a report date, the labels of action-plan
//! cards, and the status marks of the four statuses the book counts. Compared after NFKC
//! without spaces ([`text::squash`]), as the table reader compares a pipeline's texts.

use torimatome_ja_core::text;

use crate::normalize::Role;

/// Header texts naming each role of a table, most common first.
pub const FIELDS: &[(Role, &[&str])] = &[
    (Role::Goal, &["基本目標", "基本方針", "政策目標", "目標", "基本政策", "大項目", "柱"]),
    (Role::Measure, &["施策", "取組", "重点施策", "主な施策", "施策の方向", "取組方針", "基本施策", "中項目", "取組項目", "推進施策"]),
    (
        Role::Project,
        &["事業名", "事業", "取組名", "具体的取組", "具体的な取組", "アクションプラン", "主な事業", "事業・取組", "取組内容", "小項目", "実施事業", "主な取組"],
    ),
    (Role::Indicator, &["指標名", "指標", "KPI", "評価指標", "成果指標", "KPI名", "指標項目", "数値目標", "評価指標(定量的)"]),
    (Role::Unit, &["単位"]),
    (Role::Status, &["進捗区分", "進捗状況区分", "評価", "自己評価", "進捗評価", "達成状況", "評価区分", "進捗度", "達成度"]),
    (Role::Department, &["担当課", "担当部署", "所管課", "主管課", "主管部門", "担当部局", "担当課名", "所属"]),
];

/// Commentary columns: the note's name in the book → header texts naming it.
pub const NOTES: &[(&str, &[&str])] = &[
    ("事業概要", &["事業概要", "概要", "取組の概要", "事業内容", "取組概要"]),
    ("状況", &["進捗状況", "推進状況", "取組状況", "実施状況", "進捗状況の説明"]),
    ("主な取組実績", &["主な取組実績", "取組実績", "主な実績"]),
    ("課題", &["課題", "推進状況・課題", "これまでの課題", "課題・問題点"]),
    ("今後の方向性", &["今後の方向性", "今後の取組", "今後の予定", "今後の方針"]),
    ("備考", &["備考", "特記事項"]),
];

/// Group headers over baseline and plan columns.
pub const VALUE_GROUPS: &[&str] = &["指標値", "目標値", "計画値", "数値目標", "目標", "計画"];
/// Group headers over this period's actual.
pub const ACTUAL_GROUPS: &[&str] = &["実績値", "実績", "進捗値"];

/// Labels beside which a workbook names its department, and its report date.
pub const DEPARTMENT_LABELS: &[&str] = &["担当課", "所属", "課名", "担当部署", "所管課", "部署名", "課室名", "担当"];
pub const REPORT_DATE_LABELS: &[&str] = &["報告日", "提出日", "作成日", "記入日", "報告年月日"];

/// The labels of an action-plan card (the torimatome-cards plugin's defaults), by the
/// field name its `labels` option takes.
pub const CARD_LABELS: &[(&str, &[&str])] = &[
    ("number", &["No.", "No"]),
    ("goal", &["基本方針"]),
    ("measure", &["取組"]),
    ("project", &["アクションプラン"]),
    ("department", &["主管部門"]),
    ("indicator", &["評価指標（定量的）", "評価指標"]),
    ("year_row", &["年度"]),
    ("plan", &["予定", "計画"]),
    ("actual", &["実績"]),
    ("other", &["概要", "関係部門"]),
];

/// Marks and words known to mean each of the book's four statuses (DOMAIN.md).
pub const STATUS_MARKS: &[(&str, &[&str])] = &[
    ("達成", &["◎", "達成", "達成見込み", "達成済み", "達成済", "指標達成済み又は達成見込み"]),
    ("推進中", &["○", "〇", "◯", "推進中", "順調", "実施中", "取組中"]),
    ("課題あり", &["△", "課題あり", "要対策", "課題あり対策要", "遅れ", "遅延"]),
    ("取組なし", &["－", "-", "―", "—", "×", "取組なし", "今年度取組みなし", "今年度取組なし", "未着手"]),
];

/// The grades of a self-evaluation list, with the book's status each maps to.
pub const GRADES: [(&str, &str); 4] = [("A", "達成"), ("B", "推進中"), ("C", "課題あり"), ("D", "取組なし")];

/// Words that, in a legend's description of a mark, say which status it is.
const STATUS_WORDS: &[(&str, &[&str])] = &[
    ("取組なし", &["取組なし", "取組みなし", "取り組みなし", "未着手", "未実施", "実施なし"]),
    ("課題あり", &["課題", "遅れ", "対策", "遅延"]),
    ("達成", &["達成", "完了"]),
    ("推進中", &["推進", "順調", "実施中", "取組中", "進行"]),
];

fn is(words: &[&str], key: &str) -> bool {
    words.iter().any(|w| text::squash(w) == key)
}

/// The role a header text names, if a known one.
pub fn field(header: &str) -> Option<Role> {
    let key = text::squash(header);
    FIELDS.iter().find(|(_, words)| is(words, &key)).map(|(role, _)| *role)
}

/// The note a header text names: a known commentary column, or a text about this year's
/// state (令和4年度状況) or its problems.
pub fn note(header: &str) -> Option<&'static str> {
    let key = text::squash(header);
    if let Some((name, _)) = NOTES.iter().find(|(_, words)| is(words, &key)) {
        return Some(name);
    }
    if key.contains("区分") {
        return None;
    }
    if key.ends_with("状況") {
        return Some("状況");
    }
    if key.contains("課題") {
        return Some("課題");
    }
    if key.starts_with("今後") {
        return Some("今後の方向性");
    }
    None
}

/// Whether a header text is a known group over value columns; `Some(true)` over actuals.
pub fn value_group(header: &str) -> Option<bool> {
    let key = text::squash(header);
    if is(ACTUAL_GROUPS, &key) {
        Some(true)
    } else if is(VALUE_GROUPS, &key) {
        Some(false)
    } else {
        None
    }
}

pub fn is_department_label(label: &str) -> bool {
    is(DEPARTMENT_LABELS, &text::squash(label))
}

pub fn is_report_date_label(label: &str) -> bool {
    is(REPORT_DATE_LABELS, &text::squash(label))
}

/// The card field a label names.
pub fn card_field(label: &str) -> Option<&'static str> {
    let key = text::squash(label);
    CARD_LABELS.iter().find(|(_, words)| is(words, &key)).map(|(field, _)| *field)
}

/// The status a mark is known to mean: the whole text, else its first token ("◎ 達成").
pub fn known_status(mark: &str) -> Option<&'static str> {
    let of = |key: &str| STATUS_MARKS.iter().find(|(_, marks)| is(marks, key)).map(|(status, _)| *status);
    let key = text::squash(mark);
    of(&key).or_else(|| {
        let nfkc = text::nfkc(mark);
        let first = nfkc.split(|c: char| c.is_whitespace() || c == ':').next()?;
        of(&text::squash(first))
    })
}

/// The status a legend's description of a mark names ("課題あり対策要" → 課題あり).
pub fn status_in_words(description: &str) -> Option<&'static str> {
    let key = text::squash(description);
    STATUS_WORDS.iter().find(|(_, words)| words.iter().any(|w| key.contains(w))).map(|(status, _)| *status)
}

/// The letter of a grade as written ("A 順調に進んだ", "Ｂ", "b" → A, B, B).
pub fn grade(mark: &str) -> Option<&'static str> {
    let nfkc = text::nfkc(mark);
    let first = nfkc.split(|c: char| c.is_whitespace() || c == ':').next()?.to_ascii_uppercase();
    GRADES.iter().find(|(g, _)| *g == first).map(|(g, _)| *g)
}

/// Whether a name reads as a department's (情報政策課, 図書館, DX推進室, 消防本部).
pub fn looks_like_department(name: &str) -> bool {
    const ENDS: &[&str] = &["課", "室", "館", "局", "署", "所", "センター", "本部", "事務局", "委員会", "部", "係", "園"];
    let name = text::squash(name);
    let chars = name.chars().count();
    (2..=16).contains(&chars) && ENDS.iter().any(|e| name.ends_with(e)) && !name.chars().any(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_name_their_roles_whatever_their_width_and_spaces() {
        assert_eq!(field("事 業 名"), Some(Role::Project));
        assert_eq!(field("評価指標（定量的）"), Some(Role::Indicator));
        assert_eq!(field("進捗状況"), None);
        assert_eq!(note("進捗状況"), Some("状況"));
        assert_eq!(note("令和4年度状況"), Some("状況"));
        assert_eq!(note("進捗状況区分"), None);
        assert_eq!(value_group("実績値"), Some(true));
        assert_eq!(value_group("指標値"), Some(false));
    }

    #[test]
    fn marks_and_grades_are_known() {
        assert_eq!(known_status("〇"), Some("推進中"));
        assert_eq!(known_status("－"), Some("取組なし"));
        assert_eq!(known_status("◇"), None);
        assert_eq!(status_in_words("今年度取組みなし"), Some("取組なし"));
        assert_eq!(status_in_words("課題あり対策要"), Some("課題あり"));
        assert_eq!(status_in_words("指標達成済み又は達成見込み"), Some("達成"));
        assert_eq!(grade("A 順調に進んだ"), Some("A"));
        assert_eq!(grade("ｂ"), Some("B"));
        assert_eq!(grade("未評価"), None);
        assert!(looks_like_department("情報政策課"));
        assert!(!looks_like_department("R4上期"));
    }
}
