//! `gongkai_write::json` → `gongkai_read::json::read` gives the report back.

use gongkai_report::{Num, Origin, Pos, Report, SectionText};
use gongkai_template::{Edition, SectionKey, Template, ValueKind};

/// A report with every cell present (values varied, amounts with decimals,
/// a negative change in the 2019 edition) and every section written.
fn full(edition: Edition) -> Report {
    let t = Template::get(edition);
    let mut r = Report::new("原始报告.txt", edition);
    r.agency = Some("某某县\"人民政府\"办公室".into());
    r.year = Some(if edition == Edition::V2021 {
        2023
    } else {
        2020
    });
    for (i, def) in t.cells.iter().enumerate() {
        let value = match def.kind {
            ValueKind::Amount => Num::Dec(i as f64 / 8.0 + 0.1),
            ValueKind::Change => Num::Int(-(i as i64)),
            ValueKind::Count => Num::Int((i as i64 * 37) % 101),
        };
        assert!(r.set(
            &def.address,
            value,
            Origin::Source(Pos::new(i as u32 + 1, 2))
        ));
    }
    for key in SectionKey::ALL {
        r.sections[key.index()] = Some(SectionText {
            heading: format!("{}、来源里的标题", t.section(key).numeral),
            pos: Pos::new(1, 1),
            text: format!(
                "第一段：“引号”和\\反斜杠\t制表符。\n第二段 {}",
                key.as_str()
            ),
        });
    }
    r.diagnostics = gongkai_report::check(&r);
    r
}

fn assert_same(a: &Report, b: &Report) {
    assert_eq!(a.edition, b.edition);
    assert_eq!(a.agency, b.agency);
    assert_eq!(a.year, b.year);
    let values = |r: &Report| {
        r.cells
            .iter()
            .map(|c| c.as_ref().map(|c| c.value))
            .collect::<Vec<_>>()
    };
    assert_eq!(values(a), values(b));
    for key in SectionKey::ALL {
        assert_eq!(
            a.section(key).map(|s| &s.text),
            b.section(key).map(|s| &s.text),
            "{key:?}"
        );
    }
}

#[test]
fn json_round_trip_keeps_every_cell_2021() {
    let r = full(Edition::V2021);
    let back = gongkai_read::json::read(
        "报告.json",
        gongkai_write::json::to_string_pretty(&r).as_bytes(),
    )
    .unwrap();
    assert_same(&r, &back);
    assert_eq!(back.source, "报告.json");
    // Headings are the template's.
    assert_eq!(
        back.section(SectionKey::General).unwrap().heading,
        "一、总体情况"
    );
    // Positions point into the JSON file.
    assert!(back
        .cell("t3.granted.total")
        .unwrap()
        .origin
        .pos()
        .is_some());
}

#[test]
fn json_round_trip_keeps_every_cell_2019() {
    let r = full(Edition::V2019);
    let text = gongkai_write::write(gongkai_write::Format::Json, &r);
    let back = gongkai_read::json::read("报告.json", text.as_bytes()).unwrap();
    assert_same(&r, &back);
}

#[test]
fn json_round_trip_keeps_absent_cells_absent() {
    for edition in Edition::ALL {
        let mut r = full(edition);
        for (i, c) in r.cells.iter_mut().enumerate() {
            if i % 3 == 0 {
                *c = None;
            }
        }
        r.sections[SectionKey::Problems.index()] = None;
        r.agency = None;
        r.year = None;
        let value = gongkai_write::json::write(&r);
        let back = gongkai_read::json::read("x.json", value.to_string().as_bytes()).unwrap();
        assert_same(&r, &back);
        assert!(back.section(SectionKey::Problems).is_none());
    }
}

#[test]
fn json_round_trip_recomputes_diagnostics() {
    let r = full(Edition::V2021);
    assert!(!r.diagnostics.is_empty());
    let text = gongkai_write::json::to_string_pretty(&r);
    let back = gongkai_read::read_report("报告.json", text.as_bytes()).unwrap();
    assert_same(&r, &back);
    let rules = |r: &Report| {
        r.diagnostics
            .iter()
            .map(|d| (d.rule, d.message.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(rules(&r), rules(&back));
}

#[test]
fn json_round_trip_keeps_amounts_exactly() {
    let awkward = [
        0.1 + 0.2,
        123456.789,
        5.448184794357964e-29,
        1.3914703501300755e-65,
        f64::MAX,
        1e-300,
        3.0,
        -0.0,
    ];
    for edition in Edition::ALL {
        let address = Template::get(edition)
            .cells
            .iter()
            .find(|c| c.kind == ValueKind::Amount)
            .unwrap()
            .address
            .clone();
        for v in awkward {
            let mut r = Report::new("x", edition);
            r.set(&address, Num::Dec(v), Origin::Source(Pos::UNKNOWN));
            let back =
                gongkai_read::json::read("x.json", gongkai_write::json::to_string(&r).as_bytes())
                    .unwrap();
            match back.value(&address) {
                Some(Num::Dec(d)) => assert_eq!(d.to_bits(), v.to_bits(), "{v:?}"),
                other => panic!("{v:?} read back as {other:?}"),
            }
        }
    }
}
