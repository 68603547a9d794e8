//! Consistent reports (`gongkai_report::sample`) written as text, then
//! degraded the ways real copies are — zeros written as dashes or left empty,
//! every line break and cell separator lost as in crawler copies — and read
//! back: to the same cells, or with the cells that cannot be placed named
//! (GK007, GK009) and absent; never a wrong figure, never a false error.

use gongkai_report::sample::consistent_report;
use gongkai_report::{Level, Report};
use gongkai_write::Format;
use proptest::prelude::*;
use std::collections::BTreeSet;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn text_of(report: &Report) -> String {
    gongkai_write::write(Format::Text, report)
}

fn read(name: &str, text: &str) -> Report {
    gongkai_read::read_report(name, text.as_bytes())
        .unwrap_or_else(|e| panic!("{name}: does not read: {e}\n{text}"))
}

/// Every figure read equals the one written; every cell written but not read
/// is named as one that cannot be placed; no error or warning but GK007/GK009.
/// Returns how many cells were read.
fn faithful(report: &Report, back: &Report, what: &str) -> Result<usize, String> {
    let named: BTreeSet<String> = back
        .diagnostics
        .iter()
        .filter(|d| d.rule == "GK009" || d.rule == "GK007")
        .flat_map(|d| d.cells.iter().map(|c| c.address.clone()))
        .collect();
    let mut read = 0;
    for (a, cell) in report.present_cells() {
        match back.value(a) {
            Some(v) if v.as_f64() == cell.value.as_f64() => read += 1,
            Some(v) => return Err(format!("{what}: {a} wrote {:?}, read {v:?}", cell.value)),
            None if named.contains(a) => {}
            None => return Err(format!("{what}: {a} not read and not named")),
        }
    }
    for (a, c) in back.present_cells() {
        if report.cell(a).is_none() {
            return Err(format!("{what}: {a} read as {:?}, not written", c.value));
        }
    }
    let loud: Vec<_> = back
        .diagnostics
        .iter()
        .filter(|d| d.level != Level::Info && d.rule != "GK009" && d.rule != "GK007")
        .collect();
    if !loud.is_empty() {
        return Err(format!("{what}: {loud:#?}"));
    }
    Ok(read)
}

/// Zero cells of the tab-separated tables written as `mark`.
fn zeros_as(text: &str, mark: &str) -> String {
    text.lines()
        .map(|l| {
            if !l.contains('\t') {
                return l.to_string();
            }
            l.split('\t')
                .map(|f| if f == "0" { mark } else { f })
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn zeros_as_dashes_or_blanks_read_back(seed in any::<u64>(), year in 2021i32..2026) {
        let report = consistent_report(seed, year);
        let text = text_of(&report);
        for mark in ["—", "-", "/", "无", ""] {
            let back = read(&format!("degraded-{year}.txt"), &zeros_as(&text, mark));
            let n = faithful(&report, &back, &format!("zeros as “{mark}”")).map_err(TestCaseError::fail)?;
            prop_assert_eq!(n, report.present_cells().count(), "zeros as “{}”: every cell", mark);
        }
    }

    #[test]
    fn glued_crawler_copies_read_back_or_name_what_stays_open(seed in any::<u64>(), year in 2021i32..2026) {
        let report = consistent_report(seed, year);
        let text = gongkai_write::text::crawler_copy(&text_of(&report));
        let back = read(&format!("crawled-{year}.txt"), &text);
        let n = faithful(&report, &back, "glued").map_err(TestCaseError::fail)?;
        // Tables 3 and 4 have arithmetic to split by; most cells come back.
        prop_assert!(n * 10 >= report.present_cells().count() * 8, "only {} of {} cells read\n{}", n, report.present_cells().count(), text);
    }
}
