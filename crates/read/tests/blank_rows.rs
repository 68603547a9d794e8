//! A row whose label is there and whose cells are all blank is present and
//! zero (GK006, info), as the data contract says; GK003 is for a label that is
//! not there at all.

use gongkai_read::read_report;
use std::path::PathBuf;

fn clean() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/rules/clean.txt");
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn a_labelled_row_with_blank_cells_is_zero() {
    let text = clean();
    let line = text
        .lines()
        .position(|l| l.contains("1.属于国家秘密"))
        .expect("the clean fixture has the row");
    let blanked: String = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == line {
                // Keep the labels, drop every figure (the tabs stay).
                l.split('\t')
                    .map(|f| {
                        if f.trim().parse::<f64>().is_ok() {
                            ""
                        } else {
                            f
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\t")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let before = read_report("clean-2025.txt", text.as_bytes()).unwrap();
    assert!(before.diagnostics.iter().all(|d| d.rule != "GK003"));
    let r = read_report("blank-row-2025.txt", blanked.as_bytes()).unwrap();
    assert_eq!(
        r.value("t3.withheld.state_secret.total"),
        Some(gongkai_report::Num::Int(0))
    );
    assert!(
        r.diagnostics
            .iter()
            .all(|d| d.level == gongkai_report::Level::Info),
        "{:#?}",
        r.diagnostics
    );
    let d: Vec<_> = r.diagnostics.iter().filter(|d| d.rule == "GK006").collect();
    assert_eq!(d.len(), 1, "{:#?}", r.diagnostics);
    assert!(d[0]
        .cells
        .iter()
        .any(|c| c.address == "t3.withheld.state_secret.total"));
}
