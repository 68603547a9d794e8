//! Where the source has cells, a figure's column is the grid column it stands
//! in, never its rank among the non-blank figures: a blank 总计 next to
//! non-zero parts is a real fault (GK010), not hidden by shifting figures.

use gongkai_read::read_report;
use gongkai_report::Num;
use std::path::PathBuf;

fn clean() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/rules/clean.txt");
    std::fs::read_to_string(path).unwrap()
}

/// The clean fixture with the （一）予以公开 row's figures replaced (tab-separated).
fn with_granted(cells: &str) -> String {
    let text = clean();
    let old = "(一) 予以公开\t10\t0\t0\t0\t0\t0\t10";
    assert!(text.contains(old));
    text.replace(old, &format!("(一) 予以公开\t{cells}"))
}

#[test]
fn a_blank_total_stays_in_its_column() {
    // 31 | 2 | (blank) | (blank) | 1 | 1 | (blank)
    let r = read_report(
        "grid-2025.txt",
        with_granted("31\t2\t\t\t1\t1\t").as_bytes(),
    )
    .unwrap();
    let v = |a: &str| r.value(a);
    assert_eq!(v("t3.granted.natural_person"), Some(Num::Int(31)));
    assert_eq!(v("t3.granted.business"), Some(Num::Int(2)));
    assert_eq!(v("t3.granted.research"), Some(Num::Int(0)));
    assert_eq!(v("t3.granted.social_welfare"), Some(Num::Int(0)));
    assert_eq!(v("t3.granted.legal_service"), Some(Num::Int(1)));
    assert_eq!(v("t3.granted.other_org"), Some(Num::Int(1)));
    assert_eq!(v("t3.granted.total"), Some(Num::Int(0)));
    let gk010: Vec<_> = r.diagnostics.iter().filter(|d| d.rule == "GK010").collect();
    assert_eq!(gk010.len(), 1, "{:#?}", r.diagnostics);
    assert!(
        gk010[0].message.contains("予以公开"),
        "{}",
        gk010[0].message
    );
    // The figures were not shifted: no GK007 about this row.
    assert!(
        r.diagnostics.iter().all(|d| d.rule != "GK007"),
        "{:#?}",
        r.diagnostics
    );
}

#[test]
fn blank_cells_in_the_middle_keep_the_total_in_place() {
    let r = read_report("grid-2025.txt", with_granted("8\t\t\t2\t\t\t10").as_bytes()).unwrap();
    assert_eq!(r.value("t3.granted.social_welfare"), Some(Num::Int(2)));
    assert_eq!(r.value("t3.granted.total"), Some(Num::Int(10)));
    assert!(r.diagnostics.iter().all(|d| d.rule != "GK010"));
}
