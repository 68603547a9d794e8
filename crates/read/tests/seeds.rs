//! The real reports read to exactly the right cells and diagnostics: the five
//! seeds (and their HTML and Markdown versions) and 淮安市 2024 as published,
//! in PDF. The expected JSON in fixtures/expected was written by reading each
//! file.

use std::collections::BTreeMap;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn check_seed(name: &str) {
    check_file(&format!("fixtures/seeds/{name}.txt"), name);
}

#[test]
fn huaian_2024_pdf_reads_to_exactly_its_cells() {
    let report = check_file("fixtures/pdf/huaian_city_2024.pdf", "huaian_city_2024");
    assert_eq!(report.present_cells().count(), 200);
    // Not even an info-level note: nothing in it needed recovering from.
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
}

/// Reads `rel` and compares it with the expected result `name`; returns the
/// report read.
fn check_file(rel: &str, name: &str) -> gongkai_report::Report {
    let path = root().join(rel);
    let bytes = std::fs::read(&path).unwrap();
    let report = gongkai_read::read_report(&path.display().to_string(), &bytes).unwrap();
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            root()
                .join("fixtures/expected")
                .join(format!("{name}.json")),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        report.agency.as_deref(),
        expected["agency"].as_str(),
        "{name} agency"
    );
    assert_eq!(
        report.year.map(i64::from),
        expected["year"].as_i64(),
        "{name} year"
    );
    assert_eq!(
        report.edition.as_str(),
        expected["template"].as_str().unwrap(),
        "{name} template"
    );
    let got: BTreeMap<String, f64> = report
        .present_cells()
        .map(|(a, c)| (a.to_string(), c.value.as_f64()))
        .collect();
    let want: BTreeMap<String, f64> = expected["cells"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(a, v)| (a.clone(), v.as_f64().unwrap()))
        .collect();
    for (a, v) in &want {
        assert_eq!(got.get(a), Some(v), "{name}: cell {a}");
    }
    for a in got.keys() {
        assert!(want.contains_key(a), "{name}: cell {a} should be absent");
    }
    let mut got_diags: Vec<(String, String)> = report
        .diagnostics
        .iter()
        .filter(|d| d.level != gongkai_report::Level::Info)
        .map(|d| (d.rule.to_string(), d.level.as_str().to_string()))
        .collect();
    got_diags.sort();
    let mut want_diags: Vec<(String, String)> = expected["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d[0].as_str().unwrap().to_string(),
                d[1].as_str().unwrap().to_string(),
            )
        })
        .collect();
    want_diags.sort();
    assert_eq!(
        got_diags, want_diags,
        "{name}: diagnostics {:#?}",
        report.diagnostics
    );
    // Every cell knows where it came from.
    for (a, c) in report.present_cells() {
        assert!(c.origin.pos().is_some(), "{name}: {a} has no position");
    }
    report
}

#[test]
fn seed_000() {
    check_seed("000_de18c90c9c2a264c");
}
#[test]
fn seed_001_no_total_column_and_a_typo() {
    check_seed("001_ff4af530816f6324");
}
#[test]
fn seed_002_subsection_numbered_like_sections() {
    check_seed("002_8591b3548935c282");
}
#[test]
fn seed_003_markdown_headings_no_other_column() {
    check_seed("003_24e54dd9fa50b781");
}
#[test]
fn seed_004() {
    check_seed("004_2b0ab0a9b3d9c007");
}

#[test]
fn seed_001_diagnostics_point_at_the_source() {
    let path = root().join("fixtures/seeds/001_ff4af530816f6324.txt");
    let report = gongkai_read::read_report("001.txt", &std::fs::read(path).unwrap()).unwrap();
    let typo = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "GK004")
        .unwrap();
    assert_eq!((typo.line, typo.column), (Some(20), Some(13)));
    assert!(typo.message.contains("本年废止件数"));
    let missing = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "GK003")
        .unwrap();
    assert!(missing.message.contains("总计"));
    assert_eq!(missing.cells.len(), 25);
}

#[test]
fn sections_are_found_by_title() {
    let path = root().join("fixtures/seeds/002_8591b3548935c282.txt");
    let report = gongkai_read::read_report("002.txt", &std::fs::read(path).unwrap()).unwrap();
    let general = report
        .section(gongkai_template::SectionKey::General)
        .unwrap();
    // "二、依申请公开情况" stays inside section 1.
    assert!(general.text.contains("依申请公开情况"));
    assert!(general.text.contains("收到依申请公开事项 0 条"));
    let other = report.section(gongkai_template::SectionKey::Other).unwrap();
    assert!(other.text.contains("国办函〔2020〕109号"));
}

// The same reports as published on portals: HTML with merged cells (one of
// them GBK-encoded) and Markdown, read to the same cells and diagnostics.
#[test]
fn seed_003_as_an_html_page() {
    check_file("fixtures/html/003_weibin_2025.html", "003_24e54dd9fa50b781");
}
#[test]
fn seed_000_as_a_gbk_html_page() {
    check_file(
        "fixtures/html/000_leikou_2025_gbk.html",
        "000_de18c90c9c2a264c",
    );
}
#[test]
fn seed_002_as_markdown() {
    check_file("fixtures/md/002_huji_2024.md", "002_8591b3548935c282");
}
