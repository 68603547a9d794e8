//! Consistent reports made from a seed: for benchmarks, property tests and demos.
//! Every rule holds on them (the tables add up, the text agrees with them).

use crate::{Num, Origin, Report, SectionText};
use gongkai_template::{Edition, TableKey, Template};

/// A small deterministic generator (xorshift64*), so samples need no dependency.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A number in 0..n (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    /// Mostly small counts, sometimes zero, now and then large.
    pub fn count(&mut self) -> i64 {
        match self.below(10) {
            0..=3 => 0,
            4..=7 => self.below(10) as i64,
            8 => self.below(200) as i64,
            _ => self.below(5000) as i64,
        }
    }
}

const AGENCIES: &[&str] = &[
    "殷都区磊口乡人民政府",
    "卫滨区人民政府办公室",
    "朱阳关镇人民政府",
    "淮安市人民政府",
    "某某县自然资源局",
    "某某市生态环境局",
    "某某区教育局",
    "某某县住房和城乡建设局",
];

/// A consistent 2021-edition report for an agency and year.
pub fn consistent_report(seed: u64, year: i32) -> Report {
    let mut rng = Rng::new(seed);
    let agency = AGENCIES[rng.below(AGENCIES.len() as u64) as usize];
    consistent_report_for(&mut rng, agency, year, None)
}

/// A consistent report; `carried_over` fixes table 3's carried-over row
/// (the previous year's carried-forward), so that a series chains.
pub fn consistent_report_for(
    rng: &mut Rng,
    agency: &str,
    year: i32,
    carried_over: Option<[i64; 6]>,
) -> Report {
    let edition = Edition::V2021;
    let t = Template::get(edition);
    let mut r = Report::new(format!("sample-{year}.txt"), edition);
    r.agency = Some(agency.to_string());
    r.year = Some(year);
    r.title = Some(format!("{agency}{year}年政府信息公开工作年度报告"));
    let origin = || Origin::Derived("样例数据".to_string());
    let set = |r: &mut Report, table: TableKey, row: &str, col: &str, v: Num| {
        let i = t.cell_by_keys(table, row, col).expect("template cell");
        r.cells[i] = Some(crate::Cell {
            value: v,
            origin: origin(),
            blank: false,
        });
    };

    // Table 2.
    for row in ["regulation", "normative"] {
        let issued = rng.count().min(30);
        let repealed = rng.count().min(30);
        let in_force = issued + rng.count();
        set(&mut r, TableKey::T2, row, "issued", Num::Int(issued));
        set(&mut r, TableKey::T2, row, "repealed", Num::Int(repealed));
        set(&mut r, TableKey::T2, row, "in_force", Num::Int(in_force));
    }
    for row in ["license", "penalty", "coercion"] {
        set(&mut r, TableKey::T2, row, "decided", Num::Int(rng.count()));
    }
    let fee = rng.below(100_000) as f64 / 100.0;
    set(
        &mut r,
        TableKey::T2,
        "fee",
        "amount",
        if fee.fract() == 0.0 {
            Num::Int(fee as i64)
        } else {
            Num::Dec(fee)
        },
    );

    // Table 3, column by column: outcomes, then carried forward, then received.
    let t3 = t.table(TableKey::T3);
    let outcome_rows: Vec<&str> = t3
        .rows
        .iter()
        .map(|row| row.key)
        .filter(|k| {
            !matches!(
                *k,
                "new_received" | "carried_over" | "total_processed" | "carried_forward"
            )
        })
        .collect();
    let columns: Vec<&str> = t3
        .columns
        .iter()
        .map(|c| c.key)
        .filter(|k| *k != "total")
        .collect();
    let mut totals = std::collections::HashMap::<&str, i64>::new();
    for (ci, col) in columns.iter().enumerate() {
        let active = ci == 0 || rng.below(3) == 0;
        let mut processed = 0;
        for row in &outcome_rows {
            let v = if active && rng.below(3) == 0 {
                rng.count().min(500)
            } else {
                0
            };
            processed += v;
            set(&mut r, TableKey::T3, row, col, Num::Int(v));
            *totals.entry(row).or_default() += v;
        }
        let forward = if active { rng.count().min(50) } else { 0 };
        let over = match carried_over {
            Some(c) => c[ci],
            None => (if active { rng.count().min(50) } else { 0 }).min(processed + forward),
        };
        // new + over = processed + forward; when the carried-over figure is
        // fixed and too large, more cases are carried forward.
        let (new, forward) = if over > processed + forward {
            (0, over - processed)
        } else {
            (processed + forward - over, forward)
        };
        for (row, v) in [
            ("new_received", new),
            ("carried_over", over),
            ("total_processed", processed),
            ("carried_forward", forward),
        ] {
            set(&mut r, TableKey::T3, row, col, Num::Int(v));
            *totals.entry(row).or_default() += v;
        }
    }
    for (row, total) in &totals {
        set(&mut r, TableKey::T3, row, "total", Num::Int(*total));
    }

    // Table 4.
    for row in ["review", "suit_direct", "suit_after_review"] {
        let mut sum = 0;
        for col in ["upheld", "corrected", "other", "pending"] {
            let v = if rng.below(4) == 0 {
                rng.below(5) as i64
            } else {
                0
            };
            sum += v;
            set(&mut r, TableKey::T4, row, col, Num::Int(v));
        }
        set(&mut r, TableKey::T4, row, "total", Num::Int(sum));
    }

    let received = r
        .value("t3.new_received.total")
        .and_then(Num::as_int)
        .unwrap_or(0);
    let texts = [
        format!(
            "（一）主动公开\n{year}年，本机关坚持以公开为常态、不公开为例外，及时主动公开政府信息。\n（二）依申请公开\n全年共收到政府信息公开申请{received}件，均在法定期限内答复。\n（三）政府信息管理\n规范信息发布审核流程。\n（四）政府信息公开平台建设\n加强政府网站和政务新媒体建设。\n（五）监督保障\n将政务公开纳入年度绩效考核。"
        ),
        String::new(),
        String::new(),
        String::new(),
        "一是公开内容的深度有待加强。\n二是将进一步完善工作机制。".to_string(),
        format!("本机关{year}年度未收取信息处理费。本报告所列数据的统计期限为{year}年1月1日至{year}年12月31日。"),
    ];
    for s in &t.sections {
        let text = texts[s.key.index()].clone();
        r.sections[s.key.index()] = Some(SectionText {
            heading: s.heading(),
            pos: crate::Pos::UNKNOWN,
            text,
        });
    }
    r.stated_period_year = Some(year);
    r
}

/// Three or more consecutive years of one agency whose carry-over chains.
pub fn consistent_series(seed: u64, agency: &str, first_year: i32, years: usize) -> Vec<Report> {
    let mut rng = Rng::new(seed);
    let mut out: Vec<Report> = Vec::new();
    for k in 0..years {
        let carried = out.last().map(|prev: &Report| {
            let mut c = [0i64; 6];
            let t = prev.template().table(TableKey::T3);
            for (ci, col) in t.columns.iter().filter(|c| c.key != "total").enumerate() {
                c[ci] = prev
                    .value(&format!("t3.carried_forward.{}", col.key))
                    .and_then(Num::as_int)
                    .unwrap_or(0);
            }
            c
        });
        out.push(consistent_report_for(
            &mut rng,
            agency,
            first_year + k as i32,
            carried,
        ));
    }
    // Keep table 2's stock consistent across the years too.
    for k in 1..out.len() {
        for row in ["regulation", "normative"] {
            let prev = out[k - 1]
                .value(&format!("t2.{row}.in_force"))
                .and_then(Num::as_int)
                .unwrap_or(0);
            let cur = &mut out[k];
            let issued = cur
                .value(&format!("t2.{row}.issued"))
                .and_then(Num::as_int)
                .unwrap_or(0);
            let repealed = cur
                .value(&format!("t2.{row}.repealed"))
                .and_then(Num::as_int)
                .unwrap_or(0)
                .min(prev + issued);
            cur.set(
                &format!("t2.{row}.repealed"),
                Num::Int(repealed),
                Origin::Derived("样例数据".into()),
            );
            cur.set(
                &format!("t2.{row}.in_force"),
                Num::Int(prev + issued - repealed),
                Origin::Derived("样例数据".into()),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_pass_every_rule() {
        for seed in 0..200 {
            let r = consistent_report(seed, 2025);
            let d = crate::check(&r);
            assert!(d.is_empty(), "seed {seed}: {d:?}");
        }
    }

    #[test]
    fn series_chain() {
        let s = consistent_series(7, "某某县自然资源局", 2023, 3);
        let refs: Vec<&Report> = s.iter().collect();
        assert!(crate::check_series(&refs).is_empty());
        for r in &s {
            assert!(crate::check(r).is_empty());
        }
    }
}
