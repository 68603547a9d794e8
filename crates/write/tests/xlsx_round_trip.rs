//! Excel out, Excel in: a report's workbook and the collection sheet of many
//! reports read back to the same cells.

use gongkai_report::sample::consistent_report;
use gongkai_report::{Diagnostic, Level, Num, Origin, Pos, Report, SectionText};
use gongkai_template::{Edition, SectionKey, Template, ValueKind};
use gongkai_write::xlsx::{write_collection, write_xlsx};
use proptest::prelude::*;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Every present cell equal, no other cell, same agency, year and edition.
fn same_cells(a: &Report, b: &Report) -> Result<(), String> {
    if a.edition != b.edition {
        return Err(format!("edition {} read as {}", a.edition, b.edition));
    }
    for (address, cell) in a.present_cells() {
        match b.value(address) {
            Some(v) if v == cell.value => {}
            other => return Err(format!("{address}: wrote {:?}, read {other:?}", cell.value)),
        }
    }
    for (address, cell) in b.present_cells() {
        if a.cell(address).is_none() {
            return Err(format!("{address}: not written, read {:?}", cell.value));
        }
    }
    if a.agency != b.agency || a.year != b.year {
        return Err(format!(
            "agency/year {:?}/{:?} read as {:?}/{:?}",
            a.agency, a.year, b.agency, b.year
        ));
    }
    Ok(())
}

fn loud(r: &Report) -> Vec<&Diagnostic> {
    r.diagnostics
        .iter()
        .filter(|d| d.level != Level::Info)
        .collect()
}

/// A report with every cell of the edition, amounts with two to four
/// decimals, a negative change in the 2019 edition.
fn full(edition: Edition, seed: u64) -> Report {
    let t = Template::get(edition);
    let mut r = Report::new("原始报告.txt", edition);
    r.agency = Some("某某县人民政府办公室".into());
    r.year = Some(if edition == Edition::V2021 {
        2023
    } else {
        2020
    });
    for (i, def) in t.cells.iter().enumerate() {
        let k = i as u64 + seed;
        let value = match def.kind {
            ValueKind::Amount => Num::Dec([12.5, 0.125, 1.2468, 100.25][(k % 4) as usize]),
            ValueKind::Change => Num::Int(-((k % 7) as i64)),
            ValueKind::Count => Num::Int(((k * 37) % 101) as i64),
        };
        assert!(r.set(&def.address, value, Origin::Source(Pos::new(1, 1))));
    }
    for key in SectionKey::ALL {
        r.sections[key.index()] = Some(SectionText {
            heading: t.section(key).heading(),
            pos: Pos::UNKNOWN,
            text: format!("{}的第一段。\n{}的第二段。", key.as_str(), key.as_str()),
        });
    }
    r.diagnostics = gongkai_report::check(&r);
    r
}

#[test]
fn full_reports_of_both_editions_read_back() {
    for edition in Edition::ALL {
        let r = full(edition, 3);
        let bytes = write_xlsx(&r);
        let back = gongkai_read::read_report("报告.xlsx", &bytes).expect("reads back");
        same_cells(&r, &back).unwrap();
        for key in SectionKey::ALL {
            assert_eq!(
                r.section(key).map(|s| &s.text),
                back.section(key).map(|s| &s.text),
                "{edition} {key:?}"
            );
        }
    }
}

#[test]
fn collection_of_both_editions_reads_back() {
    let reports = vec![
        full(Edition::V2021, 1),
        full(Edition::V2019, 2),
        full(Edition::V2021, 5),
    ];
    let bytes = write_collection(&reports).unwrap();
    let back = gongkai_read::read_reports("汇总.xlsx", &bytes).expect("reads back");
    assert_eq!(back.len(), 3);
    for (i, (a, b)) in reports.iter().zip(&back).enumerate() {
        same_cells(a, b).unwrap_or_else(|e| panic!("row {i}: {e}"));
        assert_eq!(
            b.source,
            format!("汇总.xlsx#第{}行（某某县人民政府办公室）", i + 6)
        );
    }
    // Positions are the sheet's rows and columns.
    let cell = back[0].cell("t3.granted.total").unwrap();
    let pos = cell.origin.pos().unwrap();
    assert_eq!(pos.line, 6);
    assert!(pos.column > 5);
}

#[test]
fn empty_collection_is_a_header_only() {
    let bytes = write_collection(&[]).unwrap();
    let back = gongkai_read::read_reports("空.xlsx", &bytes).unwrap();
    assert!(back.is_empty());
    assert!(gongkai_read::read_report("空.xlsx", &bytes).is_err());
}

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn report_workbook_round_trip(seed in any::<u64>(), year in 2021i32..=2026) {
        let r = consistent_report(seed, year);
        let bytes = write_xlsx(&r);
        let back = gongkai_read::read_report(&format!("sample-{year}.xlsx"), &bytes)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        same_cells(&r, &back).map_err(TestCaseError::fail)?;
        let l = loud(&back);
        prop_assert!(l.is_empty(), "{l:#?}");
    }

    #[test]
    fn collection_round_trip(seeds in proptest::collection::vec(any::<u64>(), 1..12)) {
        let reports: Vec<Report> = seeds
            .iter()
            .enumerate()
            .map(|(i, &s)| consistent_report(s, 2021 + (i % 5) as i32))
            .collect();
        let bytes = write_collection(&reports).map_err(TestCaseError::fail)?;
        let back = gongkai_read::read_reports("汇总.xlsx", &bytes)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back.len(), reports.len());
        for (a, b) in reports.iter().zip(&back) {
            same_cells(a, b).map_err(TestCaseError::fail)?;
            let l = loud(b);
            prop_assert!(l.is_empty(), "{:#?}", l);
        }
    }
}
