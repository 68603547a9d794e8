//! A region's or a system's figures summed from its agencies' reports into
//! one report in the template's layout, with the rules applied to the sum.
//!
//! Only reports in one edition are summed (the 2019 and 2021 tables differ);
//! the others are listed as left out, with why. A cell a report lacks adds
//! nothing and is listed against the report, so the sum never hides a gap.

use gongkai_report::{check, Diagnostic, Num, Origin, Report, SectionText};
use gongkai_template::{Edition, Template};
use serde::Serialize;

/// A report left out of the sum, or summed with cells missing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    pub source: String,
    pub message: String,
}

/// The sum of a set of reports.
#[derive(Debug, Clone)]
pub struct Aggregate {
    /// The summed report: its cells, and sections saying what it is.
    pub report: Report,
    /// How many reports were summed.
    pub included: usize,
    /// Reports left out (another edition).
    pub left_out: Vec<Note>,
    /// Reports summed that lacked cells.
    pub incomplete: Vec<Note>,
    /// The rules applied to the sum (its table arithmetic).
    pub findings: Vec<Diagnostic>,
}

/// Sums `reports` (of `edition`) into one report named `title` for `year`.
pub fn aggregate(title: &str, year: i32, edition: Edition, reports: &[&Report]) -> Aggregate {
    let t = Template::get(edition);
    let mut sums: Vec<Option<Num>> = vec![None; t.cells.len()];
    let mut left_out = Vec::new();
    let mut incomplete = Vec::new();
    let mut included = 0;
    for r in reports {
        if r.edition != edition {
            left_out.push(Note {
                source: r.source.clone(),
                message: format!(
                    "使用{}模板，与汇总表（{}模板）的表格不同，未计入",
                    edition_label(r.edition),
                    edition_label(edition)
                ),
            });
            continue;
        }
        let missing = (0..t.cells.len())
            .filter(|&i| r.cell_at(i).is_none())
            .count();
        if missing == t.cells.len() {
            left_out.push(Note {
                source: r.source.clone(),
                message: "没有读到表格数据，未计入".into(),
            });
            continue;
        }
        included += 1;
        for (i, slot) in sums.iter_mut().enumerate() {
            match r.cell_at(i) {
                Some(c) => {
                    *slot = Some(match (*slot, c.value) {
                        (None, v) => v,
                        (Some(Num::Int(a)), Num::Int(b)) => Num::Int(a.saturating_add(b)),
                        (Some(a), b) => Num::Dec(round4(a.as_f64() + b.as_f64())),
                    })
                }
                None => {}
            }
        }
        if missing > 0 {
            incomplete.push(Note {
                source: r.source.clone(),
                message: format!("缺少 {missing} 个单元格，按 0 计入"),
            });
        }
    }
    let mut report = Report::new(format!("{title}（汇总）"), edition);
    // The writers title a report "{agency}{year}年政府信息公开工作年度报告".
    report.agency = Some(format!("{title}各单位"));
    report.year = Some(year);
    report.title = Some(format!("{title}{year}年政府信息公开工作年度报告汇总表"));
    report.stated_period_year = Some(year);
    let origin = Origin::Derived(format!("{included} 份报告相加"));
    for (i, v) in sums.into_iter().enumerate() {
        // Every cell of the sum is present: a cell no report had is 0.
        report.cells[i] = Some(gongkai_report::Cell {
            value: v.unwrap_or(Num::Int(0)),
            origin: origin.clone(),
            blank: false,
        });
    }
    for (i, s) in t.sections.iter().enumerate() {
        report.sections[i] = Some(SectionText {
            heading: s.heading(),
            pos: gongkai_report::Pos::default(),
            text: if i == 0 {
                format!(
                    "本报告的表格由{title} {included} 个单位{year}年度政府信息公开工作年度报告的数据逐格相加得出。"
                )
            } else {
                "各单位的情况见其年度报告。".to_string()
            },
        });
    }
    let findings = check(&report);
    report.diagnostics = findings.clone();
    Aggregate {
        report,
        included,
        left_out,
        incomplete,
        findings,
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

pub fn edition_label(e: Edition) -> &'static str {
    match e {
        Edition::V2021 => "2021年版",
        Edition::V2019 => "2019年版",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_report::sample::{consistent_report_for, Rng};

    #[test]
    fn sums_cell_by_cell_and_checks_the_sum() {
        let mut rng = Rng::new(11);
        let a = consistent_report_for(&mut rng, "甲局", 2024, None);
        let b = consistent_report_for(&mut rng, "乙局", 2024, None);
        let agg = aggregate("示例县", 2024, Edition::V2021, &[&a, &b]);
        assert_eq!(agg.included, 2);
        for addr in [
            "t3.new_received.total",
            "t3.granted.business",
            "t4.review.total",
        ] {
            let want =
                a.value(addr).unwrap().as_int().unwrap() + b.value(addr).unwrap().as_int().unwrap();
            assert_eq!(agg.report.value(addr), Some(Num::Int(want)), "{addr}");
        }
        let fee =
            a.value("t2.fee.amount").unwrap().as_f64() + b.value("t2.fee.amount").unwrap().as_f64();
        assert!((agg.report.value("t2.fee.amount").unwrap().as_f64() - fee).abs() < 1e-6);
        // Consistent parts make a consistent sum.
        assert!(
            agg.findings
                .iter()
                .all(|d| d.level != gongkai_report::Level::Error),
            "{:#?}",
            agg.findings
        );
    }

    #[test]
    fn a_faulty_part_shows_in_the_sum_and_other_editions_are_left_out() {
        let mut rng = Rng::new(12);
        let a = consistent_report_for(&mut rng, "甲局", 2024, None);
        let mut b = consistent_report_for(&mut rng, "乙局", 2024, None);
        let total = b.value("t3.new_received.total").unwrap().as_int().unwrap();
        b.set(
            "t3.new_received.total",
            Num::Int(total + 5),
            Origin::Derived("测试".into()),
        );
        let old = Report::new("旧模板.docx", Edition::V2019);
        let mut partial = consistent_report_for(&mut rng, "丙局", 2024, None);
        let i = partial.template().cell_index("t4.review.total").unwrap();
        partial.cells[i] = None;
        let agg = aggregate("示例县", 2024, Edition::V2021, &[&a, &b, &old, &partial]);
        assert_eq!(agg.included, 3);
        assert_eq!(agg.left_out.len(), 1);
        assert!(agg.left_out[0].message.contains("2019年版"));
        assert_eq!(agg.incomplete.len(), 1);
        assert!(agg.incomplete[0].message.contains("1 个单元格"));
        assert!(
            agg.findings.iter().any(|d| d.rule == "GK010"),
            "{:#?}",
            agg.findings
        );
    }
}
