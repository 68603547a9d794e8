//! Times the review of a large region: 10,000 agencies × 5 years of
//! consistent reports (with a few planted faults), kept as entries, reviewed
//! for one year; and a region of 1,000 agencies summed into one report.
//!
//! cargo run --release -p gongkai-review --example review_bench [agencies] [years]

use std::time::Instant;

use chrono::{Days, NaiveDate};
use gongkai_report::sample::consistent_series;
use gongkai_review::{aggregate, review, Agency, ChangeSettings, Entry, Kind, Roster, Settings};
use gongkai_template::Edition;

fn main() {
    let mut args = std::env::args().skip(1);
    let agencies: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let years: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(5);
    let first = 2020;
    let last = first + years as i32 - 1;

    let t = Instant::now();
    let mut roster = Vec::new();
    for id in 1..=agencies {
        let county = (id - 1) / 100;
        let name = if (id - 1) % 100 == 0 {
            format!("第{county}县人民政府")
        } else {
            format!("第{county}县第{}局", (id - 1) % 100)
        };
        roster.push(Agency {
            id,
            kind: Kind::guess(&name),
            name,
            former_names: vec![],
            region: format!("第{county}县"),
            level: "县级".into(),
            parent: None,
        });
    }
    let roster = Roster::new(roster).expect("roster");
    let mut entries = Vec::new();
    let mut region_reports = Vec::new();
    for a in roster.agencies() {
        for (k, mut r) in consistent_series(a.id, &a.name, first, years)
            .into_iter()
            .enumerate()
        {
            let year = first + k as i32;
            if a.id % 97 == 0 && year == last {
                continue; // missing
            }
            r.diagnostics = gongkai_report::check(&r);
            let due = a.kind.due_date(year);
            let published = if a.id % 89 == 0 {
                due + Days::new(10)
            } else {
                due - Days::new(5)
            };
            entries.push(Entry::of(
                entries.len() as u64,
                a,
                year,
                Some(published),
                &r,
            ));
            if a.id <= 1000 && year == last {
                region_reports.push(r);
            }
        }
    }
    let made = t.elapsed();
    println!(
        "{} 份报告（{agencies} 个机关 × {years} 年）生成、检查并取要素：{:.1} s",
        entries.len(),
        made.as_secs_f64()
    );

    let settings = Settings {
        today: NaiveDate::from_ymd_opt(last + 1, 6, 1).unwrap(),
        changes: ChangeSettings::default(),
    };
    let mut times = Vec::new();
    let mut rows = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        rows = review(&roster, &entries, &[], &[last], &settings);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let s = gongkai_review::summarize(&rows);
    println!(
        "审查 {last} 年度（{} 行，逾期 {}，未公开 {}）：中位 {:.1} ms，最慢 {:.1} ms",
        rows.len(),
        s.late,
        s.missing,
        times[2],
        times[4]
    );

    let refs: Vec<&gongkai_report::Report> = region_reports.iter().collect();
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let agg = aggregate("示例地区", last, Edition::V2021, &refs);
        assert_eq!(agg.included, refs.len());
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "汇总 {} 个机关的报告并检查：中位 {:.1} ms，最慢 {:.1} ms",
        refs.len(),
        times[2],
        times[4]
    );
}
