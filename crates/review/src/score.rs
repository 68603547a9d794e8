//! A score out of 100 for one agency's report of one year, explained rule by
//! rule: every point taken off names its rule, how many findings, and why.
//!
//! The scale, written out so a supervisor can defend it:
//!
//! | finding | points off |
//! |---|---|
//! | GK041 未公开年度报告 | all 100 |
//! | GK040 逾期公开 | 10; 20 if more than 30 days late |
//! | GK032 使用旧版模板 | 10 |
//! | GK001 章节缺失, GK002 表格缺失 | 10 each, at most 30 per rule |
//! | GK042 内容雷同 | 5 per section |
//! | any other error | 5 each, at most 20 per rule |
//! | any other warning | 2 each, at most 10 per rule |
//! | information | none |
//!
//! The score never goes below 0.

use std::collections::BTreeMap;

use gongkai_report::{Diagnostic, Level};
use serde::Serialize;

use crate::rules::{any_rule, GK040, GK041, GK042};

/// Points taken off for one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deduction {
    pub rule: &'static str,
    /// The rule's name.
    pub name: &'static str,
    /// How many findings of the rule.
    pub count: usize,
    pub points: u32,
    /// How the points were counted ("每处扣 5 分，共 3 处，最多扣 20 分").
    pub how: String,
}

/// A score and its explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Score {
    pub total: u32,
    pub deductions: Vec<Deduction>,
}

/// Days late beyond which lateness costs double.
pub const LONG_LATE_DAYS: i64 = 30;

/// The score of a report from its findings. `late_days` is how late it was
/// published (for GK040).
pub fn score(findings: &[Diagnostic], late_days: Option<i64>) -> Score {
    let mut counts: BTreeMap<&'static str, (Level, usize)> = BTreeMap::new();
    for d in findings {
        if d.level == Level::Info {
            continue;
        }
        counts.entry(d.rule).or_insert((d.level, 0)).1 += 1;
    }
    let mut deductions = Vec::new();
    for (rule, (level, count)) in counts {
        let name = any_rule(rule).map_or("", |r| r.name);
        let (points, how) = match rule {
            GK041 => (100, "未公开年度报告，不得分".to_string()),
            GK040 => {
                let days = late_days.unwrap_or(0);
                if days > LONG_LATE_DAYS {
                    (
                        20,
                        format!("逾期 {days} 天（超过 {LONG_LATE_DAYS} 天），扣 20 分"),
                    )
                } else {
                    (10, format!("逾期 {days} 天，扣 10 分"))
                }
            }
            "GK032" => (10, "使用旧版模板，扣 10 分".to_string()),
            "GK001" | "GK002" => capped(count, 10, 30),
            GK042 => (
                5 * count as u32,
                format!("每个雷同部分扣 5 分，共 {count} 个部分"),
            ),
            _ if level == Level::Error => capped(count, 5, 20),
            _ => capped(count, 2, 10),
        };
        deductions.push(Deduction {
            rule,
            name,
            count,
            points,
            how,
        });
    }
    // The largest deductions first, then by rule.
    deductions.sort_by(|a, b| b.points.cmp(&a.points).then(a.rule.cmp(b.rule)));
    let off: u32 = deductions.iter().map(|d| d.points).sum();
    Score {
        total: 100u32.saturating_sub(off),
        deductions,
    }
}

fn capped(count: usize, each: u32, cap: u32) -> (u32, String) {
    let raw = each.saturating_mul(count as u32);
    if raw > cap {
        (
            cap,
            format!("每处扣 {each} 分，共 {count} 处，本规则最多扣 {cap} 分"),
        )
    } else {
        (raw, format!("每处扣 {each} 分，共 {count} 处"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::level_of;

    fn d(rule: &'static str) -> Diagnostic {
        Diagnostic::new(rule, "x").with_level(level_of(rule))
    }

    #[test]
    fn a_clean_report_scores_100() {
        let s = score(&[d("GK006"), d("GK043")], None);
        assert_eq!(s.total, 100);
        assert!(s.deductions.is_empty());
    }

    #[test]
    fn deductions_are_counted_and_capped() {
        let mut f = vec![d("GK010"); 7];
        f.push(d("GK030"));
        f.push(d("GK042"));
        f.push(d("GK042"));
        let s = score(&f, None);
        // GK010: 7 × 5 = 35, capped at 20; GK030: 2; GK042: 2 × 5.
        assert_eq!(s.total, 100 - 20 - 2 - 10);
        assert_eq!(s.deductions[0].rule, "GK010");
        assert_eq!(s.deductions[0].count, 7);
        assert!(s.deductions[0].how.contains("最多扣 20 分"));
        let late = score(&[d(GK040)], Some(12));
        assert_eq!(late.total, 90);
        let very_late = score(&[d(GK040)], Some(45));
        assert_eq!(very_late.total, 80);
        assert!(very_late.deductions[0].how.contains("45"));
    }

    #[test]
    fn a_missing_report_scores_zero_and_never_below() {
        assert_eq!(score(&[d(GK041)], None).total, 0);
        let many: Vec<Diagnostic> = [
            "GK001", "GK002", "GK010", "GK011", "GK012", "GK013", "GK032",
        ]
        .iter()
        .flat_map(|r| vec![d(r); 10])
        .collect();
        assert_eq!(score(&many, Some(90)).total, 0);
    }
}
