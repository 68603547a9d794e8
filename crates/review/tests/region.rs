//! A generated region — 12 counties of 25 agencies each, three years of
//! reports — with faults planted of every kind the review finds: late,
//! missing, arithmetic, continuity, a renamed agency, a region prefix, a
//! large change, copied text, a duplicate. Every planted fault is found, and
//! nothing else is flagged.

use chrono::{Days, NaiveDate};
use gongkai_report::sample::consistent_series;
use gongkai_report::{Level, Num, Origin, Report};
use gongkai_review::letters::{bulletin, rectification_notice, Sender};
use gongkai_review::{
    review, summarize, Agency, ChangeSettings, Copied, Entry, Kind, Match, MatchedBy, Roster,
    Settings, Status,
};

const COUNTIES: [&str; 12] = [
    "清河县",
    "安平县",
    "阜城县",
    "武邑县",
    "景县",
    "故城县",
    "饶阳县",
    "武强县",
    "深州市",
    "枣强县",
    "冀州区",
    "桃城区",
];
const DEPARTMENTS: [&str; 24] = [
    "人民政府办公室",
    "发展和改革局",
    "教育局",
    "科学技术局",
    "工业和信息化局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "生态环境分局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化广电和旅游局",
    "卫生健康局",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "医疗保障局",
];
const YEARS: [i32; 3] = [2022, 2023, 2024];

struct Region {
    roster: Roster,
    /// (file name, published on, report) as collected.
    files: Vec<(String, Option<NaiveDate>, Report)>,
}

fn name(county: usize, dept: Option<usize>) -> String {
    match dept {
        None => format!("{}人民政府", COUNTIES[county]),
        Some(d) => format!("{}{}", COUNTIES[county], DEPARTMENTS[d]),
    }
}

/// The agency ids of the planted faults.
mod planted {
    pub const LATE: u64 = 3;
    pub const VERY_LATE: u64 = 30;
    pub const MISSING: u64 = 55;
    pub const ARITHMETIC: u64 = 80;
    pub const CONTINUITY: u64 = 104;
    pub const RENAMED: u64 = 130;
    pub const PREFIXED: u64 = 160;
    pub const CHANGED: u64 = 190;
    pub const COPIER: u64 = 220;
    pub const COPIED_FROM: u64 = 221;
    pub const DUPLICATE: u64 = 250;
    pub const NO_NAME: u64 = 275;
}

fn set(r: &mut Report, address: &str, delta: i64) {
    let v = r.value(address).and_then(Num::as_int).unwrap();
    assert!(r.set(address, Num::Int(v + delta), Origin::Derived("测试".into())));
}

/// Writes the table's new requests into the text's "收到政府信息公开申请N件".
fn restate_received(r: &mut Report) {
    let n = r
        .value("t3.new_received.total")
        .and_then(Num::as_int)
        .unwrap();
    let general = r.sections[0].as_mut().unwrap();
    let start = general.text.find("收到政府信息公开申请").unwrap() + "收到政府信息公开申请".len();
    let end = start + general.text[start..].find('件').unwrap();
    general.text.replace_range(start..end, &n.to_string());
}

fn region() -> Region {
    let mut agencies = Vec::new();
    let mut id = 1u64;
    for c in 0..COUNTIES.len() {
        let gov = id;
        agencies.push(Agency {
            id,
            name: name(c, None),
            former_names: vec![],
            region: COUNTIES[c].into(),
            level: "县级".into(),
            kind: Kind::Government,
            parent: None,
        });
        id += 1;
        for d in 0..DEPARTMENTS.len() {
            agencies.push(Agency {
                id,
                name: name(c, Some(d)),
                former_names: vec![],
                region: COUNTIES[c].into(),
                level: "县级".into(),
                kind: Kind::guess(&name(c, Some(d))),
                parent: Some(gov),
            });
            id += 1;
        }
    }
    // 机构改革: the bureau changed its name in 2024; its earlier reports bear the old one.
    let renamed = agencies
        .iter_mut()
        .find(|a| a.id == planted::RENAMED)
        .unwrap();
    let old_name = renamed.name.clone();
    renamed.former_names.push(old_name.clone());
    renamed.name = format!("{}数据和政务服务局", renamed.region);
    let roster = Roster::new(agencies.clone()).unwrap();

    let mut files = Vec::new();
    for a in &agencies {
        let series_name = if a.id == planted::RENAMED {
            old_name.clone()
        } else {
            a.name.clone()
        };
        let mut series = consistent_series(a.id * 7919, &series_name, YEARS[0], YEARS.len());
        for (k, mut r) in series.drain(..).enumerate() {
            let year = YEARS[k];
            if a.id == planted::MISSING && year == 2024 {
                continue;
            }
            if a.id == planted::RENAMED && year == 2024 {
                r.agency = Some(a.name.clone());
            }
            if a.id == planted::PREFIXED && year == 2024 {
                r.agency = Some(format!("衡水市{}", a.name));
            }
            if a.id == planted::ARITHMETIC && year == 2023 {
                // A part changed, the total not: a row and a column no longer add up.
                set(&mut r, "t3.granted.natural_person", 3);
            }
            if a.id == planted::CONTINUITY && year == 2024 {
                // Carried over moved between rows: every table adds up, but it no
                // longer follows last year's carried forward.
                let new = r
                    .value("t3.new_received.natural_person")
                    .and_then(Num::as_int)
                    .unwrap();
                let shift = if new >= 2 { 2 } else { -2 };
                set(&mut r, "t3.carried_over.natural_person", shift);
                set(&mut r, "t3.carried_over.total", shift);
                set(&mut r, "t3.new_received.natural_person", -shift);
                set(&mut r, "t3.new_received.total", -shift);
            }
            if a.id == planted::CHANGED && year == 2024 {
                // Received and carried forward up by 3,000: consistent, but a leap.
                for addr in [
                    "t3.new_received.natural_person",
                    "t3.new_received.total",
                    "t3.carried_forward.natural_person",
                    "t3.carried_forward.total",
                ] {
                    set(&mut r, addr, 3000);
                }
            }
            if matches!(a.id, planted::CONTINUITY | planted::CHANGED) && year == 2024 {
                // The text states the figure of the table, as a careful office writes it.
                restate_received(&mut r);
            }
            if a.id == planted::NO_NAME {
                r.agency = None;
                r.title = None;
            }
            r.diagnostics = gongkai_report::check(&r);
            let due = a.kind.due_date(year);
            let published = match (a.id, year) {
                (planted::LATE, 2024) => due + Days::new(12),
                (planted::VERY_LATE, 2024) => due + Days::new(45),
                _ => due - Days::new(1 + (a.id % 20)),
            };
            let file = format!("{}/{}{year}年政府信息公开工作年度报告.docx", year, a.name);
            r.source = file.clone();
            if a.id == planted::DUPLICATE && year == 2024 {
                files.push((file.clone(), Some(published), r.clone()));
            }
            files.push((file, Some(published), r));
        }
    }
    Region { roster, files }
}

fn entries(region: &Region) -> Vec<Entry> {
    let mut out = Vec::new();
    for (i, (file, published, report)) in region.files.iter().enumerate() {
        let m = region.roster.match_report(report.agency.as_deref(), file);
        let Match::Agency { id, by } = m else {
            panic!("{file}: {m:?}");
        };
        match id {
            planted::RENAMED if report.year == Some(2024) => assert_eq!(by, MatchedBy::Name),
            planted::RENAMED => assert_eq!(by, MatchedBy::FormerName),
            planted::PREFIXED if report.year == Some(2024) => {
                assert_eq!(by, MatchedBy::RegionPrefix)
            }
            planted::NO_NAME => assert_eq!(by, MatchedBy::FileName),
            _ => assert_eq!(by, MatchedBy::Name, "{file}"),
        }
        let agency = region.roster.get(id).unwrap();
        out.push(Entry::of(
            i as u64,
            agency,
            report.year.unwrap(),
            *published,
            report,
        ));
    }
    out
}

fn settings() -> Settings {
    Settings {
        today: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
        changes: ChangeSettings::default(),
    }
}

#[test]
fn every_planted_fault_is_found_and_nothing_else() {
    let region = region();
    let entries = entries(&region);
    let copier = entries
        .iter()
        .find(|e| e.agency == planted::COPIER && e.year == 2024)
        .unwrap();
    let source = entries
        .iter()
        .find(|e| e.agency == planted::COPIED_FROM && e.year == 2024)
        .unwrap();
    let copied = vec![Copied {
        entry: copier.id,
        from: source.id,
        section: 5,
        similarity: 0.83,
        previous_year: false,
    }];
    let rows = review(&region.roster, &entries, &copied, &YEARS, &settings());
    assert_eq!(rows.len(), region.roster.len() * YEARS.len());

    let mut flagged = Vec::new();
    for r in &rows {
        let rules: Vec<&str> = r.faults().map(|d| d.rule).collect();
        if !rules.is_empty() {
            let mut rules = rules.clone();
            rules.sort();
            rules.dedup();
            flagged.push((r.agency, r.year, rules));
        }
    }
    flagged.sort();
    let want = vec![
        (planted::LATE, 2024, vec!["GK040"]),
        (planted::VERY_LATE, 2024, vec!["GK040"]),
        (planted::MISSING, 2024, vec!["GK041"]),
        (planted::ARITHMETIC, 2023, vec!["GK010", "GK011"]),
        (planted::CONTINUITY, 2024, vec!["GK020"]),
        (planted::COPIER, 2024, vec!["GK042"]),
    ];
    assert_eq!(flagged, want);

    let row = |agency: u64, year: i32| {
        rows.iter()
            .find(|r| r.agency == agency && r.year == year)
            .unwrap()
    };
    // Lateness and its score.
    assert!(matches!(
        row(planted::LATE, 2024).status,
        Status::Late { days: 12, .. }
    ));
    assert_eq!(row(planted::LATE, 2024).score.as_ref().unwrap().total, 90);
    assert_eq!(
        row(planted::VERY_LATE, 2024).score.as_ref().unwrap().total,
        80
    );
    assert_eq!(row(planted::MISSING, 2024).status, Status::Missing);
    assert_eq!(row(planted::MISSING, 2024).score.as_ref().unwrap().total, 0);
    // The year-on-year leap is information, not a fault.
    let changed = row(planted::CHANGED, 2024);
    assert!(
        changed.findings.iter().any(|d| d.rule == "GK043"
            && d.level == Level::Info
            && d.cells[0].address == "t3.new_received.total"),
        "{:#?}",
        changed.findings
    );
    assert_eq!(changed.score.as_ref().unwrap().total, 100);
    // The renamed and the prefixed agencies are one series with their earlier reports.
    for id in [planted::RENAMED, planted::PREFIXED, planted::NO_NAME] {
        assert_eq!(row(id, 2024).errors, 0, "{:#?}", row(id, 2024).findings);
    }
    // The continuity fault names both cells, last year's in the other report.
    let cont = row(planted::CONTINUITY, 2024);
    let d = cont.findings.iter().find(|d| d.rule == "GK020").unwrap();
    assert_eq!(d.cells.len(), 2);
    assert!(d.cells[1]
        .address
        .ends_with("#t3.carried_forward.natural_person"));
    // The duplicate is listed, the report reviewed once.
    assert_eq!(row(planted::DUPLICATE, 2024).duplicates.len(), 1);
    assert_eq!(row(planted::DUPLICATE, 2024).errors, 0);
    // Copied text names its source.
    let copy = row(planted::COPIER, 2024)
        .findings
        .iter()
        .find(|d| d.rule == "GK042")
        .unwrap();
    assert!(
        copy.message.contains("五、存在的主要问题及改进情况"),
        "{}",
        copy.message
    );
    assert!(copy
        .message
        .contains(&region.roster.get(planted::COPIED_FROM).unwrap().name));
    assert!(copy.message.contains("83%"));

    let s = summarize(&rows);
    assert_eq!(s.agencies, 300);
    assert_eq!(s.missing, 1);
    assert_eq!(s.late, 2);
    assert_eq!(s.on_time, 900 - 3);
    assert_eq!(s.by_rule.get("GK010"), Some(&1));
    assert_eq!(s.copied, 1);
}

#[test]
fn a_deadline_not_passed_is_not_missing() {
    let region = region();
    let entries = entries(&region);
    // On 15 February 2025 the departments' 2024 reports were due, the governments' not.
    let early = Settings {
        today: NaiveDate::from_ymd_opt(2025, 2, 15).unwrap(),
        changes: ChangeSettings::default(),
    };
    let without: Vec<Entry> = entries
        .into_iter()
        .filter(|e| !(e.year == 2024 && (e.agency == 1 || e.agency == 2)))
        .collect();
    let rows = review(&region.roster, &without, &[], &[2024], &early);
    let status = |id: u64| rows.iter().find(|r| r.agency == id).unwrap().status;
    assert_eq!(region.roster.get(1).unwrap().kind, Kind::Government);
    assert_eq!(status(1), Status::NotDue);
    assert_eq!(status(2), Status::Missing);
    assert!(rows.iter().find(|r| r.agency == 1).unwrap().score.is_none());
}

#[test]
fn letters_name_every_fault_in_plain_words() {
    let region = region();
    let entries = entries(&region);
    let rows = review(&region.roster, &entries, &[], &YEARS, &settings());
    let sender = Sender {
        name: "衡水市人民政府办公室".into(),
        date: NaiveDate::from_ymd_opt(2025, 6, 3).unwrap(),
        reply_by: NaiveDate::from_ymd_opt(2025, 6, 30).unwrap(),
    };
    let row = |agency: u64, year: i32| {
        rows.iter()
            .find(|r| r.agency == agency && r.year == year)
            .unwrap()
    };
    let agency = region.roster.get(planted::ARITHMETIC).unwrap();
    let notice = rectification_notice(&sender, agency, row(planted::ARITHMETIC, 2023)).unwrap();
    assert!(notice.starts_with(&format!(
        "关于{}2023年政府信息公开工作年度报告问题的整改通知",
        agency.name
    )));
    assert!(notice.contains("表三行合计不符（GK010"), "{notice}");
    assert!(
        notice.contains("表三 三、本年度办理结果 · （一）予以公开 / 自然人"),
        "{notice}"
    );
    assert!(notice.contains("2025年6月30日前"));
    assert!(notice
        .trim_end()
        .ends_with("衡水市人民政府办公室\n2025年6月3日"));
    // Nothing to fix, no notice.
    assert!(rectification_notice(&sender, region.roster.get(1).unwrap(), row(1, 2024)).is_none());
    // A missing report: the notice asks for it.
    let missing = rectification_notice(
        &sender,
        region.roster.get(planted::MISSING).unwrap(),
        row(planted::MISSING, 2024),
    )
    .unwrap();
    assert!(missing.contains("至今未公开"), "{missing}");

    let b = bulletin(&sender, "衡水市", &region.roster, &rows, 2024);
    assert!(
        b.contains("应公开年度报告 300 份，按时公开 297 份，逾期公开 2 份，未公开 1 份"),
        "{b}"
    );
    assert!(b.contains(&format!(
        "{}（逾期 45 天）",
        region.roster.get(planted::VERY_LATE).unwrap().name
    )));
    assert!(b.contains(&region.roster.get(planted::MISSING).unwrap().name));
    assert!(
        b.contains("上年结转与上年报告不符（GK020）：1 个单位，共 2 处"),
        "{b}"
    );
}
