//! Properties over consistent reports (`gongkai_report::sample`):
//!
//! (a) every writer's output reads back to exactly the same cells, with no
//!     error or warning;
//! (b) changing one cell of table 3 or table 4 makes exactly the rules that
//!     cell takes part in fire, for the rows and columns it is in;
//! (c) across years, GK020 fires exactly when a carried-over cell differs from
//!     the year before's carried-forward cell.

use gongkai_report::sample::{consistent_report, consistent_series};
use gongkai_report::{check, check_series, Diagnostic, Level, Num, Origin, Report};
use gongkai_template::{Edition, TableKey, Template};
use gongkai_write::{FileFormat, Format};
use proptest::prelude::*;
use std::collections::BTreeSet;

/// `cases` cases, no failure files (the seeds that fail are in the message).
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------
// (a) Round trips through each writer.

/// Writes a report in a format and reads it back under a name with the
/// format's extension (and the report's year, as a real file name would have).
fn round_trip(report: &Report, format: impl Into<FileFormat>) -> Report {
    let format = format.into();
    let bytes = gongkai_write::write_bytes(format, report);
    let year = report.year.unwrap_or(2025);
    let source = format!("sample-{year}.{}", format.extension());
    gongkai_read::read_report(&source, &bytes).unwrap_or_else(|e| {
        panic!(
            "{format}: the written report does not read back: {e}\n{}",
            String::from_utf8_lossy(&bytes)
        )
    })
}

/// Checks that `back` has exactly the cells of `report` (every present cell
/// equal, no other cell), the same agency and year, and no error or warning.
/// Describes the first difference.
fn same_cells(report: &Report, back: &Report) -> Result<(), String> {
    if back.edition != report.edition {
        return Err(format!(
            "edition {} read back as {}",
            report.edition, back.edition
        ));
    }
    for (address, cell) in report.present_cells() {
        match back.value(address) {
            Some(v) if v == cell.value => {}
            other => {
                return Err(format!(
                    "{address}: wrote {:?}, read back {other:?}",
                    cell.value
                ))
            }
        }
    }
    for (address, cell) in back.present_cells() {
        // An unknown cell inside a row that has figures is written empty, and
        // an empty cell in a present row reads as a blank zero (GK006): said,
        // not silent. Only a non-blank figure out of nowhere is a fault.
        if report.cell(address).is_none() && !cell.blank {
            return Err(format!(
                "{address}: not written, read back as {:?}",
                cell.value
            ));
        }
    }
    let loud: Vec<&Diagnostic> = back
        .diagnostics
        .iter()
        .filter(|d| d.level != Level::Info)
        .collect();
    if !loud.is_empty() {
        return Err(format!("errors or warnings on reading back: {loud:#?}"));
    }
    if back.agency != report.agency || back.year != report.year {
        return Err(format!(
            "agency/year {:?}/{:?} read back as {:?}/{:?}",
            report.agency, report.year, back.agency, back.year
        ));
    }
    Ok(())
}

fn check_round_trip(
    seed: u64,
    year: i32,
    format: impl Into<FileFormat>,
) -> Result<(), TestCaseError> {
    let format = format.into();
    let report = consistent_report(seed, year);
    let back = round_trip(&report, format);
    same_cells(&report, &back).map_err(|e| {
        let shown = match format {
            FileFormat::Text(f) => gongkai_write::write(f, &report),
            _ => gongkai_write::write(Format::Text, &report),
        };
        TestCaseError::fail(format!(
            "{format}, consistent_report({seed}, {year}): {e}\n{shown}"
        ))
    })
}

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn text_round_trip(seed in any::<u64>(), year in 2021i32..=2026) {
        check_round_trip(seed, year, Format::Text)?;
    }

    #[test]
    fn markdown_round_trip(seed in any::<u64>(), year in 2021i32..=2026) {
        check_round_trip(seed, year, Format::Markdown)?;
    }

    #[test]
    fn html_round_trip(seed in any::<u64>(), year in 2021i32..=2026) {
        check_round_trip(seed, year, Format::Html)?;
    }

    #[test]
    fn json_round_trip(seed in any::<u64>(), year in 2021i32..=2026) {
        check_round_trip(seed, year, Format::Json)?;
    }
}

proptest! {
    #![proptest_config(config(32))]

    /// The file formats (Word, and every other binary format the writers
    /// have): fewer cases, each file being larger to make and read.
    #[test]
    fn binary_round_trip(seed in any::<u64>(), year in 2021i32..=2026) {
        for format in FileFormat::ALL.into_iter().filter(|f| !f.is_text()) {
            check_round_trip(seed, year, format)?;
        }
    }
}

/// The round trip of a few fixed seeds in every format, as a plain test (a
/// failure names the seed without shrinking). Sample reports have every cell.
#[test]
fn round_trip_fixed_seeds() {
    for seed in 0..24u64 {
        for format in FileFormat::ALL {
            let report = consistent_report(seed, 2025);
            assert_eq!(
                report.present_cells().count(),
                Template::get(Edition::V2021).cells.len()
            );
            if let Err(e) = same_cells(&report, &round_trip(&report, format)) {
                panic!("{format}, consistent_report({seed}, 2025): {e}");
            }
        }
    }
}

/// The rule fixtures (real reports, one of them in the 2019 template, with
/// blank cells, a page number, a missing column …) through every writer: the
/// same cells, and no error or warning the original did not have.
#[test]
fn fixtures_round_trip() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/rules");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(files.len() >= 19);
    for path in files {
        let report =
            gongkai_read::read_report(&path.display().to_string(), &std::fs::read(&path).unwrap())
                .unwrap();
        let mut had: BTreeSet<&str> = report
            .diagnostics
            .iter()
            .filter(|d| d.level != Level::Info)
            .map(|d| d.rule)
            .collect();
        // Text where a number belongs (GK005) leaves the cell unknown; it is
        // written empty, and a row left with no figure reads back as missing (GK003).
        if had.contains("GK005") {
            had.insert("GK003");
        }
        for format in FileFormat::ALL {
            let mut back = round_trip(&report, format);
            let now: BTreeSet<&str> = back
                .diagnostics
                .iter()
                .filter(|d| d.level != Level::Info)
                .map(|d| d.rule)
                .collect();
            assert!(
                now.is_subset(&had),
                "{format}, {}: {now:?} after, {had:?} before: {:#?}",
                path.display(),
                back.diagnostics
            );
            back.diagnostics.clear();
            if let Err(e) = same_cells(&report, &back) {
                panic!("{format}, {}: {e}", path.display());
            }
        }
    }
}

/// A consistent report without one column of table 3 (every cell of it absent,
/// as when the source has no such column).
fn without_t3_column(seed: u64, column: &str) -> Report {
    let mut report = consistent_report(seed, 2025);
    let t = report.template();
    let table = t.table(TableKey::T3);
    for (i, def) in t.cells.iter().enumerate() {
        if def.table == TableKey::T3 && table.columns[def.column].key == column {
            report.cells[i] = None;
        }
    }
    report
}

/// A report lacking a column reads back lacking it, with GK003 saying so (but
/// for JSON, which is not aligned to the template) and no other error or
/// warning.
fn check_absent_column(seed: u64, column: &str, format: FileFormat) -> Result<(), String> {
    let report = without_t3_column(seed, column);
    assert_eq!(
        report.present_cells().count(),
        Template::get(Edition::V2021).cells.len() - 25
    );
    let back = round_trip(&report, format);
    let loud: BTreeSet<&str> = back
        .diagnostics
        .iter()
        .filter(|d| d.level != Level::Info)
        .map(|d| d.rule)
        .collect();
    // JSON says which cells there are; the structure rules are the aligner's.
    let want = if format == FileFormat::Text(Format::Json) {
        BTreeSet::new()
    } else {
        BTreeSet::from(["GK003"])
    };
    if loud != want {
        return Err(format!(
            "{format}, seed {seed}, no {column} column: rules {loud:?}: {:#?}",
            back.diagnostics
        ));
    }
    let mut back = back;
    back.diagnostics.clear();
    same_cells(&report, &back)
        .map_err(|e| format!("{format}, seed {seed}, no {column} column: {e}"))
}

proptest! {
    #![proptest_config(config(32))]

    /// A middle column of table 3 absent (seed 003 has no 其他 column): written
    /// as empty cells, read back as a column left blank, that is, absent.
    #[test]
    fn absent_middle_column_round_trip(
        seed in any::<u64>(),
        column in prop::sample::select(vec!["business", "research", "social_welfare", "legal_service", "other_org"]),
    ) {
        for format in FileFormat::ALL {
            check_absent_column(seed, column, format).map_err(TestCaseError::fail)?;
        }
    }
}

/// The first or the last column of table 3 absent (seed 001 has no 总计
/// column): the writers leave the column out, so the numbers cannot shift by
/// one column on reading back, in any format.
#[test]
fn absent_edge_column_round_trip() {
    let mut failures = Vec::new();
    for seed in 0..8u64 {
        for column in ["natural_person", "total"] {
            for format in FileFormat::ALL {
                if let Err(e) = check_absent_column(seed, column, format) {
                    failures.push(e.lines().next().unwrap_or_default().to_string());
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------
// (b) One cell changed.

/// What a diagnostic is about: its rule and the row or column it names.
type Finding = (&'static str, String);

/// The row or column of a table-3/table-4 diagnostic, from its first cell.
fn finding(d: &Diagnostic) -> Finding {
    let first = d.cells.first().map(|c| c.address.as_str()).unwrap_or("");
    let key = match d.rule {
        // t3.<row>.total, t4.<group>.total
        "GK010" | "GK013" => first
            .split_once('.')
            .map(|(_, rest)| rest)
            .unwrap_or("")
            .trim_end_matches(".total")
            .to_string(),
        // t3.total_processed.<column>
        "GK011" | "GK012" => first.rsplit('.').next().unwrap_or("").to_string(),
        "GK030" => String::new(),
        _ => format!("{}: {}", first, d.message),
    };
    (d.rule, key)
}

fn findings<'a>(diags: impl IntoIterator<Item = &'a Diagnostic>) -> BTreeSet<Finding> {
    diags
        .into_iter()
        .filter(|d| d.level != Level::Info)
        .map(finding)
        .collect()
}

/// The rules a change of cell `index` makes fire, worked out from the rule
/// definitions: GK010 for its row of table 3; GK011 for its column when it is
/// an outcome or （七）总计; GK012 for its column when it is one of the four
/// rows of the 勾稽关系; GK013 for its group of table 4; GK030 when it is the
/// number of new requests, which the sample's text states.
fn expected_findings(index: usize) -> BTreeSet<Finding> {
    let t = Template::get(Edition::V2021);
    let def = &t.cells[index];
    let table = t.table(def.table);
    let row = table.rows[def.row].key;
    let column = table.columns[def.column].key;
    let mut out = BTreeSet::new();
    match def.table {
        TableKey::T3 => {
            out.insert(("GK010", row.to_string()));
            let balance = matches!(
                row,
                "new_received" | "carried_over" | "total_processed" | "carried_forward"
            );
            if !balance || row == "total_processed" {
                out.insert(("GK011", column.to_string()));
            }
            if balance {
                out.insert(("GK012", column.to_string()));
            }
            if row == "new_received" && column == "total" {
                out.insert(("GK030", String::new()));
            }
        }
        TableKey::T4 => {
            out.insert(("GK013", row.to_string()));
        }
        TableKey::T2 => {}
    }
    out
}

/// Cells of tables 3 and 4.
fn arithmetic_cells() -> Vec<usize> {
    let t = Template::get(Edition::V2021);
    (0..t.cells.len())
        .filter(|&i| t.cells[i].table != TableKey::T2)
        .collect()
}

fn with_change(report: &Report, index: usize, delta: i64) -> Report {
    let t = report.template();
    let address = &t.cells[index].address;
    let v = report
        .value(address)
        .and_then(Num::as_int)
        .expect("a count");
    let mut changed = report.clone();
    assert!(changed.set(
        address,
        Num::Int(v + delta),
        Origin::Derived("changed".into())
    ));
    changed
}

#[test]
fn expected_findings_cover_the_rules() {
    // The worked-out sets for a few cells, spelled out.
    let t = Template::get(Edition::V2021);
    let set = |a: &str| expected_findings(t.cell_index(a).unwrap());
    let f = |items: &[(&'static str, &str)]| {
        items
            .iter()
            .map(|(r, k)| (*r, k.to_string()))
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(
        set("t3.granted.business"),
        f(&[("GK010", "granted"), ("GK011", "business")])
    );
    assert_eq!(
        set("t3.other.other.total"),
        f(&[("GK010", "other.other"), ("GK011", "total")])
    );
    assert_eq!(
        set("t3.carried_over.research"),
        f(&[("GK010", "carried_over"), ("GK012", "research")])
    );
    assert_eq!(
        set("t3.total_processed.natural_person"),
        f(&[
            ("GK010", "total_processed"),
            ("GK011", "natural_person"),
            ("GK012", "natural_person")
        ])
    );
    assert_eq!(
        set("t3.new_received.total"),
        f(&[("GK010", "new_received"), ("GK012", "total"), ("GK030", "")])
    );
    assert_eq!(
        set("t4.suit_direct.pending"),
        f(&[("GK013", "suit_direct")])
    );
    assert_eq!(arithmetic_cells().len(), 25 * 7 + 15);
}

/// Every cell of tables 3 and 4, changed on the report itself.
#[test]
fn one_cell_changed_fires_exactly_its_rules() {
    for seed in 0..32u64 {
        let report = consistent_report(seed, 2025);
        assert!(check(&report).is_empty(), "seed {seed} is consistent");
        for index in arithmetic_cells() {
            for delta in [1, -1] {
                let v = report.cell_at(index).unwrap().value.as_int().unwrap();
                if v + delta < 0 {
                    continue;
                }
                let got = findings(&check(&with_change(&report, index, delta)));
                let want = expected_findings(index);
                assert_eq!(
                    got,
                    want,
                    "seed {seed}: {} {delta:+} (was {v})",
                    report.template().cells[index].address
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// One cell changed, then written (as text, or in another format) and read
    /// back: the reader's diagnostics are exactly the same findings.
    #[test]
    fn one_cell_changed_through_a_writer(
        seed in any::<u64>(),
        year in 2021i32..=2026,
        pick in any::<proptest::sample::Index>(),
        delta in 1i64..=5,
        format in prop::sample::select(vec![Format::Text, Format::Text, Format::Markdown, Format::Html, Format::Json]),
    ) {
        let report = consistent_report(seed, year);
        let cells = arithmetic_cells();
        let index = cells[pick.index(cells.len())];
        let changed = with_change(&report, index, delta);
        let back = round_trip(&changed, format);
        prop_assert_eq!(back.value(&report.template().cells[index].address), changed.value(&report.template().cells[index].address));
        let got = findings(&back.diagnostics);
        let want = expected_findings(index);
        prop_assert_eq!(got, want, "{}: {} {:+}: {:#?}", format, report.template().cells[index].address, delta, back.diagnostics);
    }
}

// ---------------------------------------------------------------------------
// (c) Across years.

const AGENCY: &str = "某某县自然资源局";

fn t3_columns() -> Vec<&'static str> {
    Template::get(Edition::V2021)
        .table(TableKey::T3)
        .columns
        .iter()
        .map(|c| c.key)
        .collect()
}

/// GK020 findings of a series: (index of the later report, column).
fn gk020(reports: &[Report]) -> BTreeSet<(usize, String)> {
    let refs: Vec<&Report> = reports.iter().collect();
    let found = check_series(&refs);
    for (_, d) in &found {
        assert_eq!(d.rule, "GK020", "only GK020 can fire: {d:#?}");
    }
    found
        .iter()
        .map(|(i, d)| {
            (
                *i,
                d.cells[0]
                    .address
                    .trim_start_matches("t3.carried_over.")
                    .to_string(),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn gk020_fires_exactly_for_the_changed_carry_over(
        seed in any::<u64>(),
        first_year in 2021i32..=2024,
        years in 2usize..=4,
        pick_year in any::<proptest::sample::Index>(),
        pick_column in any::<proptest::sample::Index>(),
        delta in prop_oneof![1i64..=20, -20i64..=-1],
        reverse in any::<bool>(),
    ) {
        let mut series = consistent_series(seed, AGENCY, first_year, years);
        prop_assert!(gk020(&series).is_empty(), "a consistent series chains");
        // Year N (not the first), one column.
        let k = 1 + pick_year.index(years - 1);
        let columns = t3_columns();
        let column = columns[pick_column.index(columns.len())];
        let address = format!("t3.carried_over.{column}");
        let before = series[k - 1].value(&format!("t3.carried_forward.{column}")).and_then(Num::as_int).unwrap();
        let now = series[k].value(&address).and_then(Num::as_int).unwrap();
        prop_assert_eq!(now, before);
        let changed = now + delta;
        series[k].set(&address, Num::Int(changed), Origin::Derived("changed".into()));
        let mut order: Vec<usize> = (0..years).collect();
        if reverse {
            order.reverse();
        }
        let shuffled: Vec<Report> = order.iter().map(|&i| series[i].clone()).collect();
        let found = gk020(&shuffled);
        let at = order.iter().position(|&i| i == k).unwrap();
        prop_assert_eq!(found, BTreeSet::from([(at, column.to_string())]));
        // The diagnostic names the two cells, their values and the expected value.
        let refs: Vec<&Report> = shuffled.iter().collect();
        let (_, d) = check_series(&refs).remove(0);
        prop_assert_eq!(d.cells[0].value, Some(Num::Int(changed)));
        prop_assert_eq!(d.cells[1].value, Some(Num::Int(before)));
        prop_assert_eq!(d.expected, Some(Num::Int(before)));
        prop_assert_eq!(d.related.as_deref(), Some(series[k - 1].source.as_str()));
        // Changed back, nothing fires.
        series[k].set(&address, Num::Int(before), Origin::Derived("changed back".into()));
        prop_assert!(gk020(&series).is_empty());
    }

}

proptest! {
    #![proptest_config(config(48))]

    /// The same, with every report of the series written as text and read back.
    #[test]
    fn gk020_through_text(
        seed in any::<u64>(),
        pick_column in any::<proptest::sample::Index>(),
        delta in 1i64..=20,
    ) {
        let mut series = consistent_series(seed, AGENCY, 2023, 3);
        let columns = t3_columns();
        let column = columns[pick_column.index(columns.len())];
        let read: Vec<Report> = series.iter().map(|r| round_trip(r, Format::Text)).collect();
        prop_assert!(gk020(&read).is_empty());
        let address = format!("t3.carried_over.{column}");
        let v = series[2].value(&address).and_then(Num::as_int).unwrap();
        series[2].set(&address, Num::Int(v + delta), Origin::Derived("changed".into()));
        let read: Vec<Report> = series.iter().map(|r| round_trip(r, Format::Text)).collect();
        prop_assert_eq!(gk020(&read), BTreeSet::from([(2usize, column.to_string())]));
    }
}
