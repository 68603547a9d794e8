//! One fixture per rule (fixtures/rules/): each is the clean report
//! fixtures/rules/clean.txt with one thing changed, and makes exactly its rule
//! fire — with the cells, values, expected values and positions the rule
//! names — and no other rule at error or warning level. Then the `gongkai`
//! command run on some of them.

use gongkai_report::{check_series, Diagnostic, Level, Num, Report, RULES};
use gongkai_template::{Edition, TableKey, Template};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::{Command, Output};

// ---------------------------------------------------------------------------
// Helpers.

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture_path(name: &str) -> PathBuf {
    root().join("fixtures/rules").join(name)
}

/// The text of a fixture.
fn text(name: &str) -> String {
    std::fs::read_to_string(fixture_path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A fixture read into a report, with `source` = the fixture's path.
fn read(name: &str) -> Report {
    let path = fixture_path(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    gongkai_read::read_report(&path.display().to_string(), &bytes)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Diagnostics at error or warning level.
fn loud(r: &Report) -> Vec<&Diagnostic> {
    r.diagnostics
        .iter()
        .filter(|d| d.level != Level::Info)
        .collect()
}

/// Asserts that every error or warning is of `rule`, and returns those diagnostics.
fn only<'a>(r: &'a Report, rule: &str) -> Vec<&'a Diagnostic> {
    let all = loud(r);
    let others: Vec<&&Diagnostic> = all.iter().filter(|d| d.rule != rule).collect();
    assert!(
        others.is_empty(),
        "{}: other rules fired: {others:#?}",
        r.source
    );
    assert!(
        !all.is_empty(),
        "{}: {rule} did not fire: {:#?}",
        r.source,
        r.diagnostics
    );
    all
}

/// The 1-based number of the one line of the fixture containing `needle`.
fn line_of(name: &str, needle: &str) -> u32 {
    let t = text(name);
    let hits: Vec<usize> = t
        .split('\n')
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(
        hits.len(),
        1,
        "{name}: “{needle}” should be on exactly one line, found on {hits:?}"
    );
    hits[0] as u32 + 1
}

/// The 1-based character column where tab-separated field `index` of a line starts.
fn field_col(name: &str, line: u32, index: usize) -> u32 {
    let t = text(name);
    let l = t.split('\n').nth(line as usize - 1).unwrap();
    let fields: Vec<&str> = l.split('\t').collect();
    assert!(
        index < fields.len(),
        "{name}:{line} has {} fields",
        fields.len()
    );
    1 + fields[..index]
        .iter()
        .map(|f| f.chars().count() as u32 + 1)
        .sum::<u32>()
}

/// The tab-separated fields of a line.
fn fields(name: &str, line: u32) -> Vec<String> {
    text(name)
        .split('\n')
        .nth(line as usize - 1)
        .unwrap()
        .split('\t')
        .map(str::to_string)
        .collect()
}

/// The index of the field holding the `k`-th number of a row (0-based, counting
/// fields that parse as numbers).
fn number_field(name: &str, line: u32, k: usize) -> usize {
    fields(name, line)
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()))
        .nth(k)
        .map(|(i, _)| i)
        .unwrap_or_else(|| panic!("{name}:{line} has no number {k}"))
}

/// Cells that differ between two reports: address → (value in a, value in b).
fn cell_diff(a: &Report, b: &Report) -> BTreeMap<String, (Option<Num>, Option<Num>)> {
    let mut out = BTreeMap::new();
    let ta = a.template();
    let tb = b.template();
    let mut addresses: BTreeSet<&str> = ta.cells.iter().map(|c| c.address.as_str()).collect();
    addresses.extend(tb.cells.iter().map(|c| c.address.as_str()));
    for address in addresses {
        let (va, vb) = (a.value(address), b.value(address));
        if va != vb {
            out.insert(address.to_string(), (va, vb));
        }
    }
    out
}

/// How many lines one text has and the other lacks, either way (as multisets).
fn changed_lines(a: &str, b: &str) -> usize {
    let mut count: BTreeMap<&str, i64> = BTreeMap::new();
    for l in a.split('\n') {
        *count.entry(l).or_default() += 1;
    }
    for l in b.split('\n') {
        *count.entry(l).or_default() -= 1;
    }
    count.values().map(|n| n.unsigned_abs() as usize).sum()
}

fn int(v: i64) -> Option<Num> {
    Some(Num::Int(v))
}

/// The addresses a diagnostic names, in order.
fn addresses(d: &Diagnostic) -> Vec<&str> {
    d.cells.iter().map(|c| c.address.as_str()).collect()
}

/// The addresses of one column of table 3, in row order.
fn t3_column(edition: Edition, column: &str) -> Vec<String> {
    Template::get(edition)
        .table(TableKey::T3)
        .rows
        .iter()
        .map(|r| format!("t3.{}.{column}", r.key))
        .collect()
}

// ---------------------------------------------------------------------------
// The clean report every fixture starts from.

#[test]
fn the_clean_report_passes_every_rule() {
    let r = read("clean.txt");
    assert!(r.diagnostics.is_empty(), "{:#?}", r.diagnostics);
    assert_eq!(r.agency.as_deref(), Some("卫滨区人民政府办公室"));
    assert_eq!(r.year, Some(2025));
    assert_eq!(r.stated_period_year, Some(2025));
    assert_eq!(r.edition, Edition::V2021);
    assert_eq!(
        r.present_cells().count(),
        Template::get(Edition::V2021).cells.len(),
        "every cell read"
    );
    assert_eq!(r.value("t2.normative.repealed"), int(1));
    assert_eq!(r.value("t2.normative.in_force"), int(27));
    assert_eq!(r.value("t3.new_received.natural_person"), int(81));
    assert_eq!(r.value("t3.new_received.total"), int(81));
    assert_eq!(r.value("t3.granted.total"), int(10));
    assert_eq!(r.value("t3.other.other.natural_person"), int(48));
    assert_eq!(r.value("t3.carried_forward.total"), int(0));
    assert_eq!(r.value("t4.review.total"), int(4));
    assert_eq!(r.value("t4.suit_direct.other"), int(1));
    // Cells know where they are: the 予以公开 total is the last field of its row.
    let line = line_of("clean.txt", "(一) 予以公开");
    let cell = r.cell("t3.granted.total").unwrap().origin.pos().unwrap();
    assert_eq!(
        (cell.line, cell.column),
        (line, field_col("clean.txt", line, 8))
    );
    assert!(r.sections.iter().all(Option::is_some));
}

/// Each single-report fixture: the rules that fire at error or warning level
/// are exactly its own (none for the info-level rules, which must still fire).
#[test]
fn every_fixture_fires_its_rule_and_no_other() {
    for rule in RULES {
        if matches!(rule.id, "GK020" | "GK021") {
            for year in [2024, 2025] {
                assert!(
                    fixture_path(&format!("{}-{year}.txt", rule.id)).exists(),
                    "{} has no {year} fixture",
                    rule.id
                );
            }
            continue;
        }
        let name = format!("{}.txt", rule.id);
        let r = read(&name);
        let fired: BTreeSet<&str> = loud(&r).iter().map(|d| d.rule).collect();
        if rule.level == Level::Info {
            assert!(fired.is_empty(), "{name}: {:#?}", loud(&r));
            assert!(
                r.diagnostics.iter().any(|d| d.rule == rule.id),
                "{name}: {:#?}",
                r.diagnostics
            );
        } else {
            assert_eq!(
                fired,
                BTreeSet::from([rule.id]),
                "{name}: {:#?}",
                r.diagnostics
            );
            assert!(
                loud(&r).iter().all(|d| d.level == rule.level),
                "{name}: level"
            );
        }
        // A fixture is the clean report with one change: few lines removed or
        // added (more where a whole column or table is redrawn).
        let changed = changed_lines(&text("clean.txt"), &text(&name));
        let most = match rule.id {
            "GK003" => 56,
            "GK032" => 26,
            "GK033" => 8,
            _ => 5,
        };
        assert!(
            (1..=most).contains(&changed),
            "{name}: {changed} lines removed or added to clean.txt"
        );
    }
}

// ---------------------------------------------------------------------------
// Structure: GK001–GK009.

#[test]
fn gk009_glued_figures_that_split_more_than_one_way() {
    let name = "GK009.txt";
    let r = read(name);
    let d = only(&r, "GK009");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].level, Level::Warning);
    assert!(d[0].message.contains("0127"), "{}", d[0].message);
    let named: Vec<&str> = d[0].cells.iter().map(|c| c.address.as_str()).collect();
    assert_eq!(named, ["t2.normative.repealed", "t2.normative.in_force"]);
    assert_eq!(d[0].line, Some(line_of(name, "行政规范性文件0127")));
    // Both splits (0|1|27, 0|12|7) agree on the first cell: it is read.
    let diff = cell_diff(&read("clean.txt"), &r);
    let changed: Vec<&str> = diff.keys().map(String::as_str).collect();
    assert_eq!(changed, ["t2.normative.in_force", "t2.normative.repealed"]);
    assert!(diff.values().all(|(_, now)| now.is_none()));
}

#[test]
fn gk001_missing_section() {
    let r = read("GK001.txt");
    let d = only(&r, "GK001");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].level, Level::Error);
    assert!(
        d[0].message.contains("六、其他需要报告的事项"),
        "{}",
        d[0].message
    );
    assert_eq!(d[0].line, None, "a missing section has no position");
    assert!(r.sections[5].is_none());
    assert!(r.sections[..5].iter().all(Option::is_some));
    assert!(
        cell_diff(&read("clean.txt"), &r).is_empty(),
        "the tables are untouched"
    );
}

#[test]
fn gk002_missing_table() {
    let r = read("GK002.txt");
    let d = only(&r, "GK002");
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("表四"), "{}", d[0].message);
    assert!(r.tables[TableKey::T4.index()].is_none());
    assert!(r.tables[TableKey::T3.index()].is_some());
    // Exactly the 15 cells of table 4 are missing.
    let diff = cell_diff(&read("clean.txt"), &r);
    assert_eq!(diff.len(), 15, "{diff:?}");
    assert!(diff
        .iter()
        .all(|(a, (_, now))| a.starts_with("t4.") && now.is_none()));
    assert!(r
        .section(gongkai_template::SectionKey::Appeals)
        .unwrap()
        .text
        .contains("未发生"));
}

#[test]
fn gk003_missing_column_names_every_cell_of_it() {
    let name = "GK003.txt";
    let r = read(name);
    let d = only(&r, "GK003");
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("其他"), "{}", d[0].message);
    assert_eq!(addresses(d[0]), t3_column(Edition::V2021, "other_org"));
    assert!(d[0].cells.iter().all(|c| c.value.is_none()));
    // Where the table (its header) begins.
    assert_eq!(d[0].line, Some(line_of(name, "勾稽关系")));
    assert_eq!(d[0].column, Some(1));
    // The column is unknown, not zero; the other columns are read as before.
    let diff = cell_diff(&read("clean.txt"), &r);
    assert_eq!(diff.len(), 25);
    assert!(diff
        .iter()
        .all(|(a, (before, now))| a.ends_with(".other_org") && *before == int(0) && now.is_none()));
}

#[test]
fn gk004_label_typo_names_the_template_label() {
    let name = "GK004.txt";
    let r = read(name);
    let d = only(&r, "GK004");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].level, Level::Warning);
    assert!(
        d[0].message.contains("本年度止件数") && d[0].message.contains("本年废止件数"),
        "{}",
        d[0].message
    );
    let line = line_of(name, "本年度止件数");
    assert_eq!(
        (d[0].line, d[0].column),
        (Some(line), Some(field_col(name, line, 2)))
    );
    // The column is still read.
    assert!(cell_diff(&read("clean.txt"), &r).is_empty());
    assert_eq!(r.value("t2.normative.repealed"), int(1));
}

#[test]
fn gk005_text_where_a_number_belongs() {
    let name = "GK005.txt";
    let r = read(name);
    let d = only(&r, "GK005");
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("若干"), "{}", d[0].message);
    assert_eq!(addresses(d[0]), ["t2.penalty.decided"]);
    assert_eq!(d[0].cells[0].value, None);
    let line = line_of(name, "若干");
    let col = field_col(name, line, 1);
    assert_eq!((d[0].line, d[0].column), (Some(line), Some(col)));
    assert_eq!(
        (d[0].cells[0].line, d[0].cells[0].column),
        (Some(line), Some(col))
    );
    let diff = cell_diff(&read("clean.txt"), &r);
    assert_eq!(
        diff,
        BTreeMap::from([("t2.penalty.decided".to_string(), (int(0), None))])
    );
}

#[test]
fn gk006_blank_cell_reads_as_zero_with_a_note() {
    let name = "GK006.txt";
    let r = read(name);
    assert!(loud(&r).is_empty(), "{:#?}", r.diagnostics);
    let d: Vec<&Diagnostic> = r.diagnostics.iter().filter(|d| d.rule == "GK006").collect();
    assert_eq!(d.len(), 1, "{:#?}", r.diagnostics);
    assert_eq!(d[0].level, Level::Info);
    assert_eq!(addresses(d[0]), ["t3.granted.research"]);
    assert_eq!(d[0].cells[0].value, int(0));
    // The empty field between 商业企业 and 社会公益组织.
    let line = line_of(name, "(一) 予以公开");
    let f = fields(name, line);
    let blank = f.iter().position(|x| x.is_empty()).unwrap();
    assert_eq!(blank, 4, "{f:?}");
    assert_eq!(
        (d[0].cells[0].line, d[0].cells[0].column),
        (Some(line), Some(field_col(name, line, blank)))
    );
    assert!(r.cell("t3.granted.research").unwrap().blank);
    assert!(cell_diff(&read("clean.txt"), &r).is_empty());
    // The other diagnostics: none.
    assert_eq!(r.diagnostics.len(), 1, "{:#?}", r.diagnostics);
}

#[test]
fn gk007_row_with_a_cell_missing_is_aligned_first_and_last() {
    let name = "GK007.txt";
    let r = read(name);
    assert!(loud(&r).is_empty(), "{:#?}", r.diagnostics);
    let d: Vec<&Diagnostic> = r.diagnostics.iter().filter(|d| d.rule == "GK007").collect();
    assert_eq!(d.len(), 1, "{:#?}", r.diagnostics);
    assert_eq!(d[0].level, Level::Info);
    assert!(
        d[0].message.contains("6 个数字") && d[0].message.contains("7 列"),
        "{}",
        d[0].message
    );
    let line = line_of(name, "6.属于四类过程性信息");
    assert_eq!(d[0].line, Some(line));
    // First number to the first column, last to 总计, the gap read as a blank.
    assert_eq!(
        r.value("t3.withheld.process_information.natural_person"),
        int(3)
    );
    assert_eq!(r.value("t3.withheld.process_information.total"), int(3));
    let other = r.cell("t3.withheld.process_information.other_org").unwrap();
    assert!(other.blank && other.value == Num::Int(0));
    assert_eq!(
        r.cell("t3.withheld.process_information.total")
            .unwrap()
            .origin
            .pos()
            .unwrap()
            .line,
        line
    );
    assert!(cell_diff(&read("clean.txt"), &r).is_empty());
    // The blank is noted too (GK006), and nothing else.
    let rules: BTreeSet<&str> = r.diagnostics.iter().map(|d| d.rule).collect();
    assert_eq!(rules, BTreeSet::from(["GK006", "GK007"]));
}

/// The same loss of a cell on a row whose label is followed by an empty field
/// (the layout of rows 一、二 and 四 of table 3, where the label spans two
/// columns). Fails: the empty layout field is read as the 自然人 cell and every
/// number moves one column right, with no GK007; GK012 then fires for the
/// 自然人 and 商业企业 columns.
#[test]
fn gk007_row_with_a_layout_blank_after_its_label() {
    let row = "一、本年新收政府信息公开申请数量\t\t81\t0\t0\t0\t0\t0\t81";
    let clean = text("clean.txt");
    assert!(clean.contains(row));
    let lost = clean.replace(
        row,
        "一、本年新收政府信息公开申请数量\t\t81\t0\t0\t0\t0\t81",
    );
    let r = gongkai_read::read_report("lost-cell.txt", lost.as_bytes()).unwrap();
    assert_eq!(
        r.value("t3.new_received.natural_person"),
        int(81),
        "{:#?}",
        r.diagnostics
    );
    assert_eq!(r.value("t3.new_received.business"), int(0));
    assert_eq!(r.value("t3.new_received.total"), int(81));
    assert!(r.cell("t3.new_received.other_org").unwrap().blank);
    assert!(loud(&r).is_empty(), "{:#?}", r.diagnostics);
    assert!(
        r.diagnostics.iter().any(|d| d.rule == "GK007"),
        "{:#?}",
        r.diagnostics
    );
}

#[test]
fn gk008_page_number_inside_a_table_is_skipped() {
    let name = "GK008.txt";
    let r = read(name);
    assert!(loud(&r).is_empty(), "{:#?}", r.diagnostics);
    let d: Vec<&Diagnostic> = r.diagnostics.iter().filter(|d| d.rule == "GK008").collect();
    assert_eq!(d.len(), 1, "{:#?}", r.diagnostics);
    assert_eq!(d[0].level, Level::Info);
    assert!(d[0].message.contains("页码"), "{}", d[0].message);
    assert_eq!(d[0].line, Some(line_of(name, "- 4 -")));
    assert!(
        cell_diff(&read("clean.txt"), &r).is_empty(),
        "the page number is not data"
    );
    // Nor is it text of the section.
    assert!(!r
        .section(gongkai_template::SectionKey::Requests)
        .unwrap()
        .text
        .contains("4"));
    assert_eq!(r.diagnostics.len(), 1, "{:#?}", r.diagnostics);
}

// ---------------------------------------------------------------------------
// Arithmetic: GK010–GK013.

#[test]
fn gk010_row_total() {
    let name = "GK010.txt";
    let r = read(name);
    let d = only(&r, "GK010");
    assert_eq!(d.len(), 2, "{d:#?}");
    assert_eq!(
        cell_diff(&read("clean.txt"), &r),
        BTreeMap::from([
            ("t3.granted.natural_person".to_string(), (int(10), int(11))),
            (
                "t3.withheld.third_party_rights.natural_person".to_string(),
                (int(1), int(0))
            ),
        ])
    );
    for (d, row, needle, value, expected) in [
        (d[0], "granted", "(一) 予以公开", 10, 11),
        (
            d[1],
            "withheld.third_party_rights",
            "4.保护第三方合法权益",
            1,
            0,
        ),
    ] {
        assert_eq!(d.level, Level::Error);
        let parts: Vec<String> = [
            "natural_person",
            "business",
            "research",
            "social_welfare",
            "legal_service",
            "other_org",
        ]
        .iter()
        .map(|c| format!("t3.{row}.{c}"))
        .collect();
        let mut want = vec![format!("t3.{row}.total")];
        want.extend(parts);
        assert_eq!(addresses(d), want);
        assert_eq!(d.cells[0].value, int(value));
        assert_eq!(d.expected, int(expected));
        let line = line_of(name, needle);
        let total_col = field_col(name, line, number_field(name, line, 6));
        assert_eq!((d.line, d.column), (Some(line), Some(total_col)), "{row}");
        assert_eq!(
            (d.cells[0].line, d.cells[0].column),
            (Some(line), Some(total_col))
        );
        assert_eq!(d.cells[1].line, Some(line));
    }
    assert_eq!(d[0].cells[1].value, int(11));
}

#[test]
fn gk011_column_total_of_the_outcomes() {
    let name = "GK011.txt";
    let r = read(name);
    let d = only(&r, "GK011");
    assert_eq!(d.len(), 2, "{d:#?}");
    assert_eq!(
        cell_diff(&read("clean.txt"), &r),
        BTreeMap::from([
            ("t3.granted.natural_person".to_string(), (int(10), int(9))),
            ("t3.granted.total".to_string(), (int(10), int(9))),
        ])
    );
    let line = line_of(name, "(七) 总计");
    for (d, column, k) in [(d[0], "natural_person", 0), (d[1], "total", 6)] {
        assert_eq!(d.cells[0].address, format!("t3.total_processed.{column}"));
        assert_eq!(d.cells[0].value, int(81));
        assert_eq!(d.expected, int(80));
        assert_eq!(
            (d.line, d.column),
            (
                Some(line),
                Some(field_col(name, line, number_field(name, line, k)))
            )
        );
        // The outcome cells named are the non-zero ones of the column.
        assert!(addresses(d).contains(&format!("t3.granted.{column}").as_str()));
        assert!(addresses(d).contains(&format!("t3.other.other.{column}").as_str()));
        assert!(!addresses(d).contains(&format!("t3.withheld.state_secret.{column}").as_str()));
        let sum: i64 = d.cells[1..]
            .iter()
            .map(|c| c.value.unwrap().as_int().unwrap())
            .sum();
        assert_eq!(sum, 80);
    }
    assert!(d[0].message.contains("自然人") && d[1].message.contains("总计"));
}

#[test]
fn gk012_received_and_carried_against_processed_and_forward() {
    let name = "GK012.txt";
    let r = read(name);
    let d = only(&r, "GK012");
    assert_eq!(d.len(), 2, "{d:#?}");
    assert_eq!(
        cell_diff(&read("clean.txt"), &r),
        BTreeMap::from([
            (
                "t3.carried_forward.natural_person".to_string(),
                (int(0), int(2))
            ),
            ("t3.carried_forward.total".to_string(), (int(0), int(2))),
        ])
    );
    let forward_line = line_of(name, "四、结转下年度继续办理");
    for (d, column) in [(d[0], "natural_person"), (d[1], "total")] {
        let want: Vec<String> = [
            "total_processed",
            "carried_forward",
            "new_received",
            "carried_over",
        ]
        .iter()
        .map(|row| format!("t3.{row}.{column}"))
        .collect();
        assert_eq!(addresses(d), want);
        let values: Vec<Option<Num>> = d.cells.iter().map(|c| c.value).collect();
        assert_eq!(values, [int(81), int(2), int(81), int(0)]);
        assert_eq!(d.expected, int(81), "new + carried over");
        assert_eq!(d.line, Some(line_of(name, "(七) 总计")));
        assert_eq!(d.cells[1].line, Some(forward_line));
    }
}

#[test]
fn gk013_table4_group_total() {
    let name = "GK013.txt";
    let r = read(name);
    let d = only(&r, "GK013");
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(d[0].message.contains("行政复议"), "{}", d[0].message);
    assert_eq!(
        addresses(d[0]),
        [
            "t4.review.total",
            "t4.review.upheld",
            "t4.review.corrected",
            "t4.review.other",
            "t4.review.pending"
        ]
    );
    let values: Vec<Option<Num>> = d[0].cells.iter().map(|c| c.value).collect();
    assert_eq!(values, [int(5), int(2), int(1), int(1), int(0)]);
    assert_eq!(d[0].expected, int(4));
    // Table 4's numbers are on one line: the total is its fifth field.
    let line = line_of(name, "2\t1\t1\t0\t5");
    assert_eq!(
        (d[0].line, d[0].column),
        (Some(line), Some(field_col(name, line, 4)))
    );
    assert_eq!(
        cell_diff(&read("clean.txt"), &r),
        BTreeMap::from([("t4.review.total".to_string(), (int(4), int(5)))])
    );
}

// ---------------------------------------------------------------------------
// Across years: GK020, GK021.

#[test]
fn gk020_carried_over_against_last_years_carried_forward() {
    let prev = read("GK020-2024.txt");
    let cur = read("GK020-2025.txt");
    // Each year is consistent on its own.
    assert!(loud(&prev).is_empty(), "{:#?}", prev.diagnostics);
    assert!(loud(&cur).is_empty(), "{:#?}", cur.diagnostics);
    assert_eq!(prev.agency_key(), cur.agency_key());
    assert_eq!((prev.year, cur.year), (Some(2024), Some(2025)));
    assert_eq!(prev.value("t3.carried_forward.natural_person"), int(2));
    for order in [[&prev, &cur], [&cur, &prev]] {
        let later = if order[0].year == Some(2025) { 0 } else { 1 };
        let found = check_series(&order);
        assert_eq!(found.len(), 2, "{found:#?}");
        for ((i, d), column) in found.iter().zip(["natural_person", "total"]) {
            assert_eq!(*i, later, "reported on the later report");
            assert_eq!(d.rule, "GK020");
            assert_eq!(d.level, Level::Error);
            assert_eq!(d.cells.len(), 2);
            assert_eq!(d.cells[0].address, format!("t3.carried_over.{column}"));
            assert_eq!(d.cells[0].value, int(0));
            assert_eq!(
                d.cells[1].address,
                format!("{}#t3.carried_forward.{column}", prev.source)
            );
            assert_eq!(d.cells[1].value, int(2));
            assert_eq!(d.expected, int(2));
            assert_eq!(d.related.as_deref(), Some(prev.source.as_str()));
            let line = line_of("GK020-2025.txt", "二、上年结转政府信息公开申请数量");
            let k = if column == "total" { 6 } else { 0 };
            let col = field_col(
                "GK020-2025.txt",
                line,
                number_field("GK020-2025.txt", line, k),
            );
            assert_eq!((d.line, d.column), (Some(line), Some(col)));
            let fwd = line_of("GK020-2024.txt", "四、结转下年度继续办理");
            assert_eq!(d.cells[1].line, Some(fwd));
        }
    }
    // Not across agencies: the clean report of another agency does not chain.
    let mut other = read("clean.txt");
    other.agency = Some("红旗区人民政府办公室".into());
    assert!(check_series(&[&prev, &other]).is_empty());
}

#[test]
fn gk021_in_force_against_last_year() {
    let prev = read("GK021-2024.txt");
    let cur = read("GK021-2025.txt");
    assert!(loud(&prev).is_empty(), "{:#?}", prev.diagnostics);
    assert!(loud(&cur).is_empty(), "{:#?}", cur.diagnostics);
    let found = check_series(&[&prev, &cur]);
    assert_eq!(found.len(), 1, "{found:#?}");
    let (i, d) = &found[0];
    assert_eq!(*i, 1);
    assert_eq!(d.rule, "GK021");
    assert_eq!(d.level, Level::Warning);
    assert!(d.message.contains("行政规范性文件"), "{}", d.message);
    assert_eq!(addresses(d), ["t2.normative.in_force"]);
    assert_eq!(d.cells[0].value, int(27));
    assert_eq!(
        d.expected,
        int(19),
        "20 in force last year + 0 issued - 1 repealed"
    );
    let line = line_of("GK021-2025.txt", "行政规范性文件");
    assert_eq!(
        (d.line, d.column),
        (Some(line), Some(field_col("GK021-2025.txt", line, 3)))
    );
    assert_eq!(d.related.as_deref(), Some(prev.source.as_str()));
}

#[test]
fn series_fixtures_do_not_pair_with_the_other_fixtures() {
    // Checked as one directory, only the GK020 and GK021 pairs chain.
    let dir = root().join("fixtures/rules");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    let reports: Vec<Report> = names.iter().map(|n| read(n)).collect();
    let refs: Vec<&Report> = reports.iter().collect();
    let found: Vec<(String, &str)> = check_series(&refs)
        .into_iter()
        .map(|(i, d)| (names[i].clone(), d.rule))
        .collect();
    assert_eq!(
        found,
        [
            ("GK020-2025.txt".to_string(), "GK020"),
            ("GK020-2025.txt".to_string(), "GK020"),
            ("GK021-2025.txt".to_string(), "GK021")
        ]
    );
}

// ---------------------------------------------------------------------------
// Text, years and editions: GK030–GK032.

#[test]
fn gk030_text_contradicts_the_table() {
    let name = "GK030.txt";
    let r = read(name);
    let d = only(&r, "GK030");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].level, Level::Warning);
    assert!(
        d[0].message.contains("80") && d[0].message.contains("81"),
        "{}",
        d[0].message
    );
    assert_eq!(addresses(d[0]), ["t3.new_received.total"]);
    assert_eq!(d[0].cells[0].value, int(81));
    assert_eq!(d[0].expected, int(81), "the table's figure");
    let line = line_of(name, "一、本年新收政府信息公开申请数量");
    assert_eq!(d[0].line, Some(line));
    assert!(cell_diff(&read("clean.txt"), &r).is_empty());
}

#[test]
fn gk031_title_year_and_statistics_period_disagree() {
    let name = "GK031.txt";
    let r = read(name);
    let d = only(&r, "GK031");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].level, Level::Warning);
    assert!(
        d[0].message.contains("2025") && d[0].message.contains("2024"),
        "{}",
        d[0].message
    );
    assert_eq!((r.year, r.stated_period_year), (Some(2025), Some(2024)));
    assert!(cell_diff(&read("clean.txt"), &r).is_empty());
    // The file name's year counts too: the same text under a 2024 name agrees
    // with the period and not with the title.
    let bytes = std::fs::read(fixture_path(name)).unwrap();
    let r = gongkai_read::read_report("卫滨区-2024.txt", &bytes).unwrap();
    let d: Vec<&Diagnostic> = r.diagnostics.iter().filter(|d| d.rule == "GK031").collect();
    assert_eq!(d.len(), 2, "{d:#?}");
    let r = gongkai_read::read_report(
        "卫滨区-2025.txt",
        &std::fs::read(fixture_path("clean.txt")).unwrap(),
    )
    .unwrap();
    assert!(r.diagnostics.is_empty(), "{:#?}", r.diagnostics);
}

#[test]
fn gk033_placeholder_text_left_in_a_section() {
    let name = "GK033.txt";
    let r = read(name);
    let d = only(&r, "GK033");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].level, Level::Warning);
    assert!(d[0].message.contains("尚未填写"), "{}", d[0].message);
    assert!(
        d[0].message.contains("五、存在的主要问题及改进情况"),
        "{}",
        d[0].message
    );
    assert_eq!(d[0].line, Some(82));
}

#[test]
fn gk032_a_2025_report_in_the_2019_template() {
    let name = "GK032.txt";
    let r = read(name);
    let d = only(&r, "GK032");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].level, Level::Warning);
    assert!(d[0].message.contains("2025"), "{}", d[0].message);
    assert_eq!(r.edition, Edition::V2019);
    assert_eq!(r.year, Some(2025));
    let t = Template::get(Edition::V2019);
    assert_eq!(
        r.present_cells().count(),
        t.cells.len(),
        "every cell of the 2019 template read"
    );
    assert_eq!(r.value("t2.normative.public_total"), int(27));
    assert_eq!(r.value("t2.procurement.projects"), int(0));
    assert_eq!(r.value("t2.procurement.amount"), int(0));
    assert_eq!(r.value("t2.other_service.change"), int(0));
    // （六）其他处理 is one row, holding what the 2021 template splits in three.
    assert_eq!(r.value("t3.other.natural_person"), int(48));
    assert_eq!(r.value("t3.other.total"), int(48));
    assert_eq!(r.value("t3.other.other.total"), None);
    // Every other cell of table 3 and table 4 reads as in the clean report.
    let clean = read("clean.txt");
    for (address, cell) in r.present_cells() {
        if address.starts_with("t2.") || address.starts_with("t3.other.") {
            continue;
        }
        assert_eq!(clean.value(address), Some(cell.value), "{address}");
    }
    // The same report dated 2020 is in its proper template.
    let older = text(name)
        .replace(
            "2025 年政府信息公开工作年度报告",
            "2020 年政府信息公开工作年度报告",
        )
        .replace("2025年", "2020年");
    let r = gongkai_read::read_report("old.txt", older.as_bytes()).unwrap();
    assert_eq!(r.year, Some(2020));
    assert!(loud(&r).is_empty(), "{:#?}", r.diagnostics);
}

// ---------------------------------------------------------------------------
// The command.

fn gongkai(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run gongkai")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

/// A fresh, empty directory under the system's temporary directory.
fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gongkai-rules-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn check_exit_codes() {
    // An error: 1, printed like a compiler's diagnostic.
    let o = gongkai(&["check", "fixtures/rules/GK010.txt"]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let out = stdout(&o);
    let line = line_of("GK010.txt", "(一) 予以公开");
    assert!(out.contains("错误[GK010]"), "{out}");
    assert!(
        out.contains(&format!("fixtures/rules/GK010.txt:{line}:")),
        "{out}"
    );
    assert!(out.contains("t3.granted.total = 10"), "{out}");
    // Clean: 0, and so is a warning only.
    for clean in [
        "fixtures/seeds/000_de18c90c9c2a264c.txt",
        "fixtures/rules/clean.txt",
        "fixtures/rules/GK030.txt",
    ] {
        let o = gongkai(&["check", clean]);
        assert_eq!(o.status.code(), Some(0), "{clean}: {o:?}");
    }
    // Across years: the pair errs, each file alone does not.
    let o = gongkai(&[
        "check",
        "fixtures/rules/GK020-2024.txt",
        "fixtures/rules/GK020-2025.txt",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("错误[GK020]"));
    let o = gongkai(&[
        "check",
        "--no-series",
        "fixtures/rules/GK020-2024.txt",
        "fixtures/rules/GK020-2025.txt",
    ]);
    assert_eq!(o.status.code(), Some(0));
    // A missing file or a binary file: 2.
    let o = gongkai(&["check", "fixtures/rules/no-such-report.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no-such-report.txt"));
    let dir = temp_dir("binary");
    let binary = dir.join("report.txt");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10").unwrap();
    let o = gongkai(&["check", binary.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    // Unreadable beats an error in another file.
    let o = gongkai(&[
        "check",
        "fixtures/rules/GK010.txt",
        binary.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn check_json_is_valid_json() {
    let files = [
        "fixtures/rules/GK010.txt",
        "fixtures/rules/GK004.txt",
        "fixtures/rules/GK020-2024.txt",
        "fixtures/rules/GK020-2025.txt",
    ];
    let mut args = vec!["check", "--format", "json"];
    args.extend(files);
    let o = gongkai(&args);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    let reports = v["reports"].as_array().unwrap();
    assert_eq!(reports.len(), files.len());
    for (r, f) in reports.iter().zip(files) {
        assert_eq!(r["source"], f);
    }
    let rules: Vec<&str> = reports[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["GK010", "GK010"]);
    assert_eq!(reports[0]["diagnostics"][0]["expected"], 11);
    assert_eq!(reports[1]["diagnostics"][0]["rule"], "GK004");
    assert_eq!(reports[1]["diagnostics"][0]["level"], "warning");
    let series = v["series"].as_array().unwrap();
    assert_eq!(series.len(), 2);
    assert_eq!(series[0]["source"], "fixtures/rules/GK020-2025.txt");
    assert_eq!(series[0]["diagnostic"]["rule"], "GK020");
    assert_eq!(v["summary"]["reports"], 4);
    assert_eq!(v["summary"]["errors"], 4);
    assert_eq!(v["summary"]["warnings"], 1);
    assert_eq!(v["summary"]["unreadable"], 0);

    // All the fixtures at once: each error and warning rule once per fixture
    // (twice for GK010–GK012 and GK020, whose fixtures break two rows or columns).
    let mut names: Vec<String> = std::fs::read_dir(root().join("fixtures/rules"))
        .unwrap()
        .map(|e| {
            format!(
                "fixtures/rules/{}",
                e.unwrap().file_name().to_string_lossy()
            )
        })
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    let mut args = vec!["check", "--format", "json"];
    args.extend(names.iter().map(String::as_str));
    let o = gongkai(&args);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert_eq!(v["summary"]["reports"], names.len());
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for r in v["reports"].as_array().unwrap() {
        for d in r["diagnostics"].as_array().unwrap() {
            if d["level"] != "info" {
                *count
                    .entry(d["rule"].as_str().unwrap().to_string())
                    .or_default() += 1;
            }
        }
    }
    for s in v["series"].as_array().unwrap() {
        *count
            .entry(s["diagnostic"]["rule"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    let want: BTreeMap<String, usize> = RULES
        .iter()
        .filter(|r| r.level != Level::Info)
        .map(|r| {
            (
                r.id.to_string(),
                if matches!(r.id, "GK010" | "GK011" | "GK012" | "GK020") {
                    2
                } else {
                    1
                },
            )
        })
        .collect();
    assert_eq!(count, want);
    assert_eq!(v["summary"]["errors"], 13);
    assert_eq!(v["summary"]["warnings"], 7);
}

#[test]
fn explain_and_rules() {
    let o = gongkai(&["explain", "GK012"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let rule = gongkai_report::rule("GK012").unwrap();
    assert!(out.contains(rule.explanation), "{out}");
    assert!(out.contains(rule.name));
    assert!(out.starts_with("GK012"));
    // Case does not matter; an unknown rule is an error.
    assert_eq!(stdout(&gongkai(&["explain", "gk012"])), out);
    assert_eq!(gongkai(&["explain", "GK999"]).status.code(), Some(2));

    let o = gongkai(&["rules"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let listed: Vec<&str> = out
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let all: Vec<&str> = RULES
        .iter()
        .chain(gongkai_review::REVIEW_RULES)
        .map(|r| r.id)
        .collect();
    assert_eq!(listed, all);
    assert_eq!(all.len(), 23);
    // The review's rules are explained as the checker's are.
    let o = gongkai(&["explain", "GK040"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("年度报告逾期公开"));
}

#[test]
fn parse_prints_one_json_object() {
    let o = gongkai(&["parse", "fixtures/rules/GK013.txt"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON object");
    let keys: BTreeSet<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        BTreeSet::from([
            "source",
            "agency",
            "year",
            "template",
            "cells",
            "sections",
            "diagnostics"
        ])
    );
    assert_eq!(v["source"], "fixtures/rules/GK013.txt");
    assert_eq!(v["agency"], "卫滨区人民政府办公室");
    assert_eq!(v["year"], 2025);
    assert_eq!(v["template"], "2021");
    let cells = v["cells"].as_object().unwrap();
    assert_eq!(cells.len(), Template::get(Edition::V2021).cells.len());
    assert_eq!(v["cells"]["t4.review.total"], 5);
    assert_eq!(v["cells"]["t3.new_received.total"], 81);
    assert_eq!(v["sections"].as_object().unwrap().len(), 6);
    let d = v["diagnostics"].as_array().unwrap();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0]["rule"], "GK013");
    assert_eq!(d[0]["expected"], 4);
    assert_eq!(d[0]["line"], line_of("GK013.txt", "2\t1\t1\t0\t5"));
    // A missing file: 2.
    assert_eq!(
        gongkai(&["parse", "fixtures/rules/none.txt"]).status.code(),
        Some(2)
    );
}

#[test]
fn render_writes_a_file() {
    let dir = temp_dir("render");
    let out = dir.join("GK010.html");
    let o = gongkai(&[
        "render",
        "fixtures/rules/GK010.txt",
        "--to",
        "html",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(o.stdout.is_empty(), "written to the file, not to stdout");
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("<table"), "{html}");
    assert!(html.contains("卫滨区人民政府办公室"));
    assert!(html.contains("收到和处理政府信息公开申请情况"));
    assert!(
        html.contains(">11<") || html.contains(">11 <") || html.contains("> 11<"),
        "the value read, 11, is written"
    );
    // Text renders to stdout; an unknown format is refused.
    let o = gongkai(&["render", "fixtures/rules/clean.txt", "--to", "txt"]);
    assert_eq!(o.status.code(), Some(0));
    let r = gongkai_read::read_report("rendered-2025.txt", &o.stdout).unwrap();
    assert!(cell_diff(&read("clean.txt"), &r).is_empty());
    assert_eq!(
        gongkai(&["render", "fixtures/rules/clean.txt", "--to", "odt"])
            .status
            .code(),
        Some(2)
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn export_csv_one_row_per_report_one_column_per_cell() {
    let dir = temp_dir("export");
    let names = ["clean.txt", "GK003.txt", "GK032.txt"];
    for n in names {
        std::fs::copy(fixture_path(n), dir.join(n)).unwrap();
    }
    let out = dir.join("out.csv");
    let o = gongkai(&[
        "export",
        dir.to_str().unwrap(),
        "--to",
        "csv",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    // Excel opens it as UTF-8: a byte-order mark first.
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with("\u{FEFF}".as_bytes()));
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..]);
    let mut records = rdr.records().map(Result::unwrap);
    // The template's words over the addresses.
    let words: Vec<String> = records.next().unwrap().iter().map(str::to_string).collect();
    let header: Vec<String> = records.next().unwrap().iter().map(str::to_string).collect();
    assert_eq!(words.len(), header.len());
    assert_eq!(&words[..2], ["来源文件", "机关名称"]);
    let at = |a: &str| words[header.iter().position(|h| h == a).unwrap()].clone();
    assert_eq!(
        at("t3.withheld.state_secret.natural_person"),
        "三、收到和处理政府信息公开申请情况｜（三）不予公开｜1.属于国家秘密｜自然人"
    );
    let mut addresses: Vec<String> = Template::get(Edition::V2021)
        .cells
        .iter()
        .map(|c| c.address.clone())
        .collect();
    for c in &Template::get(Edition::V2019).cells {
        if !addresses.contains(&c.address) {
            addresses.push(c.address.clone());
        }
    }
    assert_eq!(
        &header[..6],
        ["source", "agency", "year", "template", "errors", "warnings"]
    );
    assert_eq!(&header[6..], &addresses[..]);
    let unique: BTreeSet<&String> = header.iter().collect();
    assert_eq!(unique.len(), header.len(), "no column twice");
    let rows: Vec<csv::StringRecord> = records.collect();
    assert_eq!(rows.len(), names.len());
    let col = |a: &str| header.iter().position(|h| h == a).unwrap();
    // Rows in file-name order: GK003, GK032, clean.
    let by_name: BTreeMap<&str, &csv::StringRecord> = names
        .iter()
        .map(|n| (*n, rows.iter().find(|r| r[0].ends_with(n)).unwrap()))
        .collect();
    let clean = by_name["clean.txt"];
    assert_eq!(&clean[col("agency")], "卫滨区人民政府办公室");
    assert_eq!(&clean[col("year")], "2025");
    assert_eq!(&clean[col("template")], "2021");
    assert_eq!(&clean[col("errors")], "0");
    assert_eq!(&clean[col("t3.new_received.total")], "81");
    assert_eq!(&clean[col("t2.normative.in_force")], "27");
    assert_eq!(&clean[col("t2.procurement.amount")], "", "a 2019-only cell");
    let gk003 = by_name["GK003.txt"];
    assert_eq!(&gk003[col("errors")], "1");
    assert_eq!(
        &gk003[col("t3.granted.other_org")],
        "",
        "an absent cell is empty, not 0"
    );
    assert_eq!(&gk003[col("t3.granted.natural_person")], "10");
    let gk032 = by_name["GK032.txt"];
    assert_eq!(&gk032[col("template")], "2019");
    assert_eq!(&gk032[col("warnings")], "1");
    assert_eq!(&gk032[col("t2.normative.public_total")], "27");
    assert_eq!(&gk032[col("t2.normative.in_force")], "");
    assert_eq!(&gk032[col("t3.other.total")], "48");
    assert_eq!(&gk032[col("t3.other.other.total")], "");
    let _ = std::fs::remove_dir_all(dir);
}

/// One office under two names across years: "新乡市卫滨区人民政府办公室" and
/// "卫滨区人民政府办公室" (a region prefix) are linked, and GK020 compares
/// them, saying that it linked them; an explicit name table links names that
/// share no such prefix.
#[test]
fn gk020_links_names_that_differ_by_a_region_prefix_or_by_a_table() {
    let dir = temp_dir("agency-link");
    let y2024 = text("GK020-2024.txt");
    let y2025 =
        text("GK020-2025.txt").replace("新乡市卫滨区人民政府办公室", "卫滨区人民政府办公室");
    assert!(y2025.contains("# 卫滨区人民政府办公室 2025"));
    std::fs::write(dir.join("2024.txt"), &y2024).unwrap();
    std::fs::write(dir.join("2025.txt"), &y2025).unwrap();
    let o = gongkai(&["check", "--format", "json", dir.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let rules: Vec<(&str, &str)> = v["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["diagnostic"]["rule"].as_str().unwrap(),
                s["diagnostic"]["level"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(rules.contains(&("GK020", "error")), "{rules:?}");
    let link = v["series"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["diagnostic"]["level"] == "info")
        .expect("the link is said");
    let msg = link["diagnostic"]["message"].as_str().unwrap();
    assert!(
        msg.contains("卫滨区人民政府办公室") && msg.contains("新乡市卫滨区人民政府办公室"),
        "{msg}"
    );

    // A name with no region prefix in common is not linked by itself …
    let renamed = y2025.replace("卫滨区人民政府办公室", "卫滨区政府办");
    std::fs::write(dir.join("2025.txt"), &renamed).unwrap();
    let o = gongkai(&["check", "--format", "json", dir.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert!(v["series"].as_array().unwrap().is_empty(), "{v}");
    // … but a supervisor's table links it.
    let map = dir.join("对照表.csv");
    std::fs::write(
        &map,
        "# 报告中的名称,统一名称\n卫滨区政府办,新乡市卫滨区人民政府办公室\n",
    )
    .unwrap();
    let o = gongkai(&[
        "check",
        "--format",
        "json",
        "--agency-map",
        map.to_str().unwrap(),
        dir.join("2024.txt").to_str().unwrap(),
        dir.join("2025.txt").to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert!(
        v["series"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["diagnostic"]["rule"] == "GK020"),
        "{v}"
    );
    // A malformed table is refused with its line.
    std::fs::write(&map, "卫滨区政府办\n").unwrap();
    let o = gongkai(&[
        "check",
        "--agency-map",
        map.to_str().unwrap(),
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("第 1 行"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}
