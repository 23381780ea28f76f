//! What changed: 前期比 (this period against the last, when the run was given the last
//! period's manifest) and 差し替えの差分 (each 修正版 against the file it superseded).

use rust_xlsxwriter::{Workbook, XlsxError};

use super::splice::Part;
use super::styles::Styles;
use super::table::{Page, Table};
use crate::compare::{self, Change, Comparison, Corrected, Level, Match, Verdict};
use crate::model::{Consolidation, Direction, STATUSES};

/// 前期比: departments that submitted last time and not now, then each project with its
/// status then and now, and its indicators with their actuals, the change, and whether it
/// went the way the indicator should; added, dropped and renamed ones, and how each was
/// matched (a rename is a guess, said so with its similarity and the other candidates).
pub fn previous(book: &mut Workbook, cmp: &Comparison, st: &Styles, page: &Page) -> Result<Vec<Part>, XlsxError> {
    let last = format!("前期 ({})", cmp.last.label_ja());
    let this = format!("今期 ({})", cmp.this.label_ja());
    let headers = ["区分", "変化", "担当課", "基本目標", "施策", "事業名", "指標名", "単位", "望ましい方向", &last, &this, "増減", "評価", "照合", "前期の出典", "今期の出典"];
    let widths = [6.0, 8.0, 12.0, 12.0, 12.0, 18.0, 18.0, 6.0, 8.0, 10.0, 10.0, 8.0, 9.0, 22.0, 40.0, 40.0];
    let mut t = Table::new(book, st, page, "前期比", &headers, |col| widths[col as usize % widths.len()])?.identified_by(0, 1).print_only(14);
    for line in &cmp.lines {
        t.text(0, level_word(line.level))?;
        t.text(1, change_word(line.change))?;
        t.text(2, &line.department)?;
        t.text(3, &line.goal)?;
        t.text(4, &line.measure)?;
        t.text(5, &line.project)?;
        t.text(6, &line.indicator)?;
        t.text(7, &line.unit)?;
        t.text(8, line.direction.map_or("", direction_word))?;
        if line.level == Level::Project {
            let status = |s: &str| st.status((!s.is_empty()).then_some(s).filter(|s| STATUSES.contains(s)));
            t.text_with(9, &line.last, status(&line.last))?;
            t.text_with(10, &line.this, status(&line.this))?;
        } else {
            t.text(9, &line.last)?;
            t.text(10, &line.this)?;
        }
        if let Some(delta) = line.delta {
            t.number(11, delta)?;
        }
        match line.verdict {
            // 悪化 in the fill of 課題あり, 改善 in that of 達成.
            Some(Verdict::Worse) => t.text_with(12, verdict_word(Verdict::Worse), st.status(Some(STATUSES[2])))?,
            Some(Verdict::Better) => t.text_with(12, verdict_word(Verdict::Better), st.status(Some(STATUSES[0])))?,
            Some(v) => t.text(12, verdict_word(v))?,
            None => {}
        }
        t.text(13, &matched(&line.matched, &line.last_name))?;
        t.text(14, &line.last_source)?;
        t.text(15, &line.this_source)?;
        t.next();
    }
    t.finish()
}

/// 差し替えの差分: per department, each superseded file against the file that counts,
/// every cell whose text changed (a value by its kind and fiscal year, the status), rows
/// only one of them has, or that nothing changed.
pub fn corrections(book: &mut Workbook, c: &Consolidation, st: &Styles, page: &Page) -> Result<Vec<Part>, XlsxError> {
    let lines = compare::corrections(c);
    if lines.is_empty() {
        return Ok(Vec::new());
    }
    let headers = ["担当課", "差し替えられたファイル", "修正版", "事業名", "指標名", "項目", "元の値", "修正後の値", "元のセル", "修正後のセル"];
    let widths = [12.0, 24.0, 24.0, 20.0, 20.0, 14.0, 12.0, 12.0, 10.0, 10.0];
    let mut t = Table::new(book, st, page, "差し替えの差分", &headers, |col| widths[col as usize % widths.len()])?.identified_by(0, 0);
    for l in &lines {
        t.text(0, &l.department)?;
        t.text(1, &l.original)?;
        t.text(2, &l.corrected)?;
        t.text(3, &l.project)?;
        t.text(4, &l.indicator)?;
        t.text(5, &corrected_word(l.what))?;
        t.text(6, &l.old)?;
        t.text(7, &l.new)?;
        t.text(8, &l.old_cell)?;
        t.text(9, &l.new_cell)?;
        t.next();
    }
    t.finish()
}

fn level_word(level: Level) -> &'static str {
    match level {
        Level::Department => "提出",
        Level::Project => "事業",
        Level::Indicator => "指標",
    }
}

fn change_word(change: Change) -> &'static str {
    match change {
        Change::Kept => "継続",
        Change::Renamed => "名称変更",
        Change::Added => "追加",
        Change::Dropped => "削除",
        Change::NotSubmitted => "今期未提出",
    }
}

fn direction_word(direction: Direction) -> &'static str {
    match direction {
        Direction::Increase => "増加",
        Direction::Decrease => "減少",
        Direction::Keep => "維持",
    }
}

fn verdict_word(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Better => "改善",
        Verdict::Worse => "悪化",
        Verdict::Level => "変化なし",
        Verdict::Changed => "変化",
        Verdict::NotComparable => "比較不可",
    }
}

/// How a line was matched, in words: a rename says it is a guess.
fn matched(m: &Match, last_name: &str) -> String {
    match m {
        Match::Same => "同一".to_string(),
        Match::Spelling if last_name.is_empty() => "表記の違いのみ".to_string(),
        Match::Spelling => format!("表記の違いのみ (前期「{last_name}」)"),
        Match::Similar { percent, others } if others.is_empty() => format!("要確認: 名称の類似 {percent}% で同一と推定 (前期「{last_name}」)"),
        Match::Similar { percent, others } => {
            format!("要確認: 名称の類似 {percent}% で同一と推定 (前期「{last_name}」)。ほかの候補: {}", others.join("、"))
        }
        Match::None => String::new(),
    }
}

fn corrected_word(what: Corrected) -> String {
    match what {
        Corrected::Value(kind, year) => format!("{} ({}年度)", kind.label_ja(), year),
        Corrected::Status => "進捗区分".to_string(),
        Corrected::RowAdded => "行の追加".to_string(),
        Corrected::RowRemoved => "行の削除".to_string(),
        Corrected::Nothing => "変更なし".to_string(),
    }
}
