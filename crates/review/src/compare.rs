//! Key figures of a report, compared year on year (GK043) and ranked across
//! agencies: applications received, the share of reconsiderations and suits
//! decided against the agency (纠错率), lateness.

use gongkai_report::{Diagnostic, Num, Report};
use gongkai_template::TableKey;
use serde::{Deserialize, Serialize};

use crate::rules::{level_of, GK043};

/// The figures of one report the review compares and ranks (None where the
/// report lacks the cell).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KeyFigures {
    /// 表三 一、本年新收政府信息公开申请数量 · 总计
    pub new_received: Option<i64>,
    /// 表三 （七）总计 · 总计
    pub processed: Option<i64>,
    /// 表三 四、结转下年度继续办理 · 总计
    pub carried_forward: Option<i64>,
    /// 表三 （一）予以公开 · 总计
    pub granted: Option<i64>,
    /// 表四 行政复议 · 总计
    pub reviews: Option<i64>,
    /// 表四 行政诉讼（未经复议直接起诉 + 复议后起诉）· 总计
    pub suits: Option<i64>,
    /// 表四 three groups: 结果维持, 结果纠正, 其他结果 (decided cases).
    pub upheld: Option<i64>,
    pub corrected: Option<i64>,
    pub other_result: Option<i64>,
    /// 表二 行政规范性文件 · 本年制发件数 (2021 template only)
    pub normative_issued: Option<i64>,
}

impl KeyFigures {
    pub fn of(report: &Report) -> KeyFigures {
        let v = |t: TableKey, row: &str, col: &str| -> Option<i64> {
            report.value_by_keys(t, row, col).and_then(Num::as_int)
        };
        let sum = |vals: [Option<i64>; 3]| -> Option<i64> {
            let present: Vec<i64> = vals.into_iter().flatten().collect();
            (!present.is_empty()).then(|| present.iter().sum())
        };
        let t4 = |col: &str| {
            sum([
                v(TableKey::T4, "review", col),
                v(TableKey::T4, "suit_direct", col),
                v(TableKey::T4, "suit_after_review", col),
            ])
        };
        KeyFigures {
            new_received: v(TableKey::T3, "new_received", "total"),
            processed: v(TableKey::T3, "total_processed", "total"),
            carried_forward: v(TableKey::T3, "carried_forward", "total"),
            granted: v(TableKey::T3, "granted", "total"),
            reviews: v(TableKey::T4, "review", "total"),
            suits: match (
                v(TableKey::T4, "suit_direct", "total"),
                v(TableKey::T4, "suit_after_review", "total"),
            ) {
                (None, None) => None,
                (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
            },
            upheld: t4("upheld"),
            corrected: t4("corrected"),
            other_result: t4("other"),
            normative_issued: v(TableKey::T2, "normative", "issued"),
        }
    }

    /// Reconsiderations and suits decided (维持 + 纠正 + 其他).
    pub fn decided(&self) -> i64 {
        self.upheld.unwrap_or(0) + self.corrected.unwrap_or(0) + self.other_result.unwrap_or(0)
    }

    /// 纠错率: the share of decided reconsiderations and suits whose result
    /// corrected the agency; None when none was decided.
    pub fn correction_rate(&self) -> Option<f64> {
        let decided = self.decided();
        (decided > 0).then(|| self.corrected.unwrap_or(0) as f64 / decided as f64)
    }

    /// The figures compared year on year: (label, address, value).
    fn compared(&self) -> [(&'static str, &'static str, Option<i64>); 6] {
        [
            (
                "本年新收政府信息公开申请数量",
                "t3.new_received.total",
                self.new_received,
            ),
            ("办理结果总计", "t3.total_processed.total", self.processed),
            (
                "结转下年度继续办理",
                "t3.carried_forward.total",
                self.carried_forward,
            ),
            ("行政复议总计", "t4.review.total", self.reviews),
            ("行政诉讼总计", "t4.suit_direct.total", self.suits),
            (
                "行政规范性文件本年制发件数",
                "t2.normative.issued",
                self.normative_issued,
            ),
        ]
    }
}

/// When a change counts as large.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ChangeSettings {
    /// The change relative to the larger of the two years (0.5: half).
    pub ratio: f64,
    /// And at least this many items.
    pub min_items: i64,
}

impl Default for ChangeSettings {
    fn default() -> Self {
        ChangeSettings {
            ratio: 0.5,
            min_items: 20,
        }
    }
}

impl ChangeSettings {
    /// Whether a change from `before` to `now` counts as large.
    pub fn is_large(&self, before: i64, now: i64) -> bool {
        let diff = now - before;
        let base = now.max(before);
        diff.abs() >= self.min_items && base > 0 && diff.abs() as f64 >= self.ratio * base as f64
    }
}

/// A change in words: 增加 40%, 减少 12%, 由 0 增加, 持平.
pub fn change_words(before: i64, now: i64) -> String {
    let diff = now - before;
    if diff == 0 {
        "持平".to_string()
    } else if before == 0 {
        "由 0 增加".to_string()
    } else if diff > 0 {
        format!("增加 {:.0}%", diff as f64 * 100.0 / before as f64)
    } else {
        format!("减少 {:.0}%", -diff as f64 * 100.0 / before as f64)
    }
}

/// One figure of an agency year by year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesRow {
    pub label: &'static str,
    /// The template cell it is read from (`t4.*.x`: the sum of table 4's
    /// reconsideration and two litigation rows).
    pub address: &'static str,
    /// By year, in the order given.
    pub cells: Vec<SeriesCell>,
}

/// A figure of one year, with its change from the year before.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesCell {
    pub year: i32,
    pub value: Option<i64>,
    /// The change from the year before, when both years have the figure.
    pub change: Option<String>,
    /// A large change (GK043's measure).
    pub large: bool,
}

/// An agency's key figures year on year: one row per figure compared by
/// GK043, plus 予以公开 and the decided reconsideration and litigation
/// results; `years` in order, a year without a report as `None`. A change
/// is measured from the year just before only.
pub fn series(years: &[(i32, Option<KeyFigures>)], settings: &ChangeSettings) -> Vec<SeriesRow> {
    type Get = fn(&KeyFigures) -> Option<i64>;
    let figures: [(&'static str, &'static str, Get); 9] = [
        (
            "本年新收政府信息公开申请数量",
            "t3.new_received.total",
            |k| k.new_received,
        ),
        ("办理结果总计", "t3.total_processed.total", |k| {
            k.processed
        }),
        ("其中：予以公开", "t3.granted.total", |k| k.granted),
        (
            "结转下年度继续办理",
            "t3.carried_forward.total",
            |k| k.carried_forward,
        ),
        ("行政复议总计", "t4.review.total", |k| k.reviews),
        ("行政诉讼总计", "t4.suit_direct.total", |k| k.suits),
        ("复议、诉讼结果纠正", "t4.*.corrected", |k| {
            k.corrected
        }),
        ("复议、诉讼已审结", "t4.*.decided", |k| {
            let d = k.decided();
            (k.upheld.is_some() || k.corrected.is_some() || k.other_result.is_some()).then_some(d)
        }),
        (
            "行政规范性文件本年制发件数",
            "t2.normative.issued",
            |k| k.normative_issued,
        ),
    ];
    figures
        .iter()
        .map(|(label, address, get)| {
            let mut cells = Vec::with_capacity(years.len());
            let mut prev: Option<(i32, Option<i64>)> = None;
            for (year, key) in years {
                let value = key.as_ref().and_then(get);
                let before = prev.filter(|p| p.0 == year - 1).and_then(|p| p.1);
                let (change, large) = match (before, value) {
                    (Some(b), Some(v)) => (Some(change_words(b, v)), settings.is_large(b, v)),
                    _ => (None, false),
                };
                cells.push(SeriesCell {
                    year: *year,
                    value,
                    change,
                    large,
                });
                prev = Some((*year, value));
            }
            SeriesRow {
                label,
                address,
                cells,
            }
        })
        .collect()
}

/// GK043: the key figures that changed much from year N−1 (`prev`) to N.
pub fn large_changes(
    prev: &KeyFigures,
    cur: &KeyFigures,
    prev_year: i32,
    settings: &ChangeSettings,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for ((label, address, now), (_, _, before)) in cur.compared().into_iter().zip(prev.compared()) {
        let (Some(now), Some(before)) = (now, before) else {
            continue;
        };
        if settings.is_large(before, now) {
            let how = change_words(before, now);
            let mut d = Diagnostic::new(
                GK043,
                format!("{label}：{prev_year} 年度为 {before}，本年度为 {now}，{how}，请核实"),
            )
            .with_level(level_of(GK043))
            .expected(Num::Int(before));
            d.cells.push(gongkai_report::CellRef {
                address: address.to_string(),
                value: Some(Num::Int(now)),
                line: None,
                column: None,
            });
            out.push(d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_report::sample::{consistent_report_for, Rng};

    #[test]
    fn figures_and_correction_rate() {
        let mut r = consistent_report_for(&mut Rng::new(7), "甲县交通运输局", 2024, None);
        for (row, vals) in [
            ("review", [3, 1, 0, 1, 5]),
            ("suit_direct", [1, 1, 0, 0, 2]),
            ("suit_after_review", [0, 0, 1, 0, 1]),
        ] {
            for (col, v) in ["upheld", "corrected", "other", "pending", "total"]
                .iter()
                .zip(vals)
            {
                r.set(
                    &format!("t4.{row}.{col}"),
                    Num::Int(v),
                    gongkai_report::Origin::Derived("测试".into()),
                );
            }
        }
        let k = KeyFigures::of(&r);
        assert_eq!(k.reviews, Some(5));
        assert_eq!(k.suits, Some(3));
        assert_eq!(k.decided(), 4 + 2 + 1);
        assert_eq!(k.corrected, Some(2));
        assert!((k.correction_rate().unwrap() - 2.0 / 7.0).abs() < 1e-9);
        assert_eq!(KeyFigures::default().correction_rate(), None);
    }

    #[test]
    fn a_series_year_on_year() {
        let k = |n: i64, granted: i64| KeyFigures {
            new_received: Some(n),
            granted: Some(granted),
            ..Default::default()
        };
        let years = [
            (2021, Some(k(10, 4))),
            (2022, Some(k(100, 5))),
            (2023, None),
            (2024, Some(k(90, 5))),
            (2025, Some(k(81, 5))),
        ];
        let rows = series(&years, &ChangeSettings::default());
        let apps = &rows[0];
        assert_eq!(apps.address, "t3.new_received.total");
        let got: Vec<(Option<i64>, Option<&str>, bool)> = apps
            .cells
            .iter()
            .map(|c| (c.value, c.change.as_deref(), c.large))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some(10), None, false),
                (Some(100), Some("增加 900%"), true),
                (None, None, false),
                // 2023 is missing: no change is measured across the gap.
                (Some(90), None, false),
                (Some(81), Some("减少 10%"), false),
            ]
        );
        let granted = rows
            .iter()
            .find(|r| r.address == "t3.granted.total")
            .unwrap();
        assert_eq!(granted.cells[4].change.as_deref(), Some("持平"));
        // Figures a report lacks stay empty.
        let reviews = rows
            .iter()
            .find(|r| r.address == "t4.review.total")
            .unwrap();
        assert!(reviews.cells.iter().all(|c| c.value.is_none()));
    }

    #[test]
    fn large_changes_are_flagged_small_ones_not() {
        let prev = KeyFigures {
            new_received: Some(40),
            processed: Some(40),
            reviews: Some(2),
            ..Default::default()
        };
        let cur = KeyFigures {
            new_received: Some(400),
            processed: Some(50),
            reviews: Some(9),
            ..Default::default()
        };
        let found = large_changes(&prev, &cur, 2023, &ChangeSettings::default());
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].rule, GK043);
        assert!(found[0].message.contains("2023 年度为 40"));
        assert!(found[0].message.contains("增加 900%"));
        assert_eq!(found[0].cells[0].address, "t3.new_received.total");
        let drop = large_changes(&cur, &prev, 2023, &ChangeSettings::default());
        assert!(drop[0].message.contains("减少 90%"), "{drop:#?}");
    }
}
