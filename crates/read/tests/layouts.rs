//! The kinds of mess real reports have, beyond the seeds: space-aligned text as
//! PDF converters produce it, a group label broken one character per line, a long
//! label wrapped over two lines with its numbers on a line of their own, a page
//! number inside a table, thousands separators, full-width digits, a unit in a
//! cell, "—" for zero, and the 15 numbers of table 4 on one line.

use gongkai_report::{Level, Num};
use std::path::PathBuf;

fn read(rel: &str) -> gongkai_report::Report {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel);
    gongkai_read::read_report(rel, &std::fs::read(path).unwrap()).unwrap()
}

fn rules(r: &gongkai_report::Report, level: Level) -> Vec<&'static str> {
    r.diagnostics
        .iter()
        .filter(|d| d.level == level)
        .map(|d| d.rule)
        .collect()
}

#[test]
fn space_aligned_pdf_like_text() {
    let r = read("fixtures/layouts/pdf_like_space_aligned.txt");
    assert_eq!(
        rules(&r, Level::Error),
        Vec::<&str>::new(),
        "{:#?}",
        r.diagnostics
    );
    assert_eq!(
        rules(&r, Level::Warning),
        Vec::<&str>::new(),
        "{:#?}",
        r.diagnostics
    );
    assert_eq!(
        r.present_cells().count(),
        200,
        "every cell of the 2021 template"
    );
    assert_eq!(r.value("t2.license.decided"), Some(Num::Int(1204)));
    assert_eq!(r.value("t2.penalty.decided"), Some(Num::Int(12)));
    assert_eq!(r.value("t2.fee.amount"), Some(Num::Dec(25.1)));
    let coercion = r.cell("t2.coercion.decided").unwrap();
    assert!(coercion.blank && coercion.value == Num::Int(0));
    assert_eq!(r.value("t3.other.other.natural_person"), Some(Num::Int(48)));
    assert_eq!(r.value("t3.total_processed.total"), Some(Num::Int(81)));
    assert_eq!(r.value("t4.suit_direct.other"), Some(Num::Int(1)));
    assert_eq!(r.value("t4.review.total"), Some(Num::Int(4)));
    // Wrapped label: numbers on their own line, read into the right row.
    assert_eq!(
        r.cell("t3.partially_granted.total")
            .unwrap()
            .origin
            .pos()
            .unwrap()
            .line,
        41
    );
    assert_eq!(
        r.cell("t3.not_processed.confirmation.total")
            .unwrap()
            .origin
            .pos()
            .unwrap()
            .line,
        61
    );
    let infos: Vec<&str> = r
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Info)
        .map(|d| d.message.as_str())
        .collect();
    assert!(infos.iter().any(|m| m.contains("页码")), "{infos:?}");
    assert!(infos.iter().any(|m| m.contains("251000元")), "{infos:?}");
}

#[test]
fn a_typo_beyond_formatting_is_reported_with_the_template_label() {
    let text = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/layouts/pdf_like_space_aligned.txt"),
    )
    .unwrap()
    .replace("4.保护第三方合法权益", "4、保护第三方合法权利")
    .replace("（一）予以公开", "(一) 予以公开");
    let r = gongkai_read::read_report("x.txt", text.as_bytes()).unwrap();
    let typos: Vec<&str> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == "GK004")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(typos.len(), 1, "{typos:?}");
    assert!(typos[0].contains("4.保护第三方合法权益"));
    assert_eq!(
        r.value("t3.withheld.third_party_rights.total"),
        Some(Num::Int(1))
    );
}

#[test]
fn a_missing_section_and_sections_out_of_order() {
    let base = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/seeds/000_de18c90c9c2a264c.txt"),
    )
    .unwrap();
    let without = base.replace("五、存在的主要问题及改进情况", "");
    let r = gongkai_read::read_report("x.txt", without.as_bytes()).unwrap();
    let gk001: Vec<&str> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == "GK001")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(gk001.len(), 1);
    assert!(gk001[0].contains("存在的主要问题及改进情况"));
    // Swap sections 五 and 六.
    let (head, tail) = base.split_once("五、存在的主要问题及改进情况").unwrap();
    let (five, six) = tail.split_once("六、其他需要报告的事项").unwrap();
    let swapped = format!("{head}六、其他需要报告的事项{six}\n五、存在的主要问题及改进情况{five}");
    let r = gongkai_read::read_report("x.txt", swapped.as_bytes()).unwrap();
    let gk001: Vec<&gongkai_report::Diagnostic> =
        r.diagnostics.iter().filter(|d| d.rule == "GK001").collect();
    assert_eq!(gk001.len(), 1, "{gk001:#?}");
    assert!(gk001[0].line.is_some());
}

#[test]
fn text_contradicting_the_table() {
    let text = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/layouts/pdf_like_space_aligned.txt"),
    )
    .unwrap()
    .replace(
        "全年受理政府信息公开申请81项",
        "全年受理政府信息公开申请80项",
    );
    let r = gongkai_read::read_report("x.txt", text.as_bytes()).unwrap();
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.rule == "GK030")
        .expect("GK030");
    assert_eq!(d.expected, Some(Num::Int(81)));
    assert!(d.message.contains("80"));
}

#[test]
fn gbk_text_reads_like_utf8() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/seeds/003_24e54dd9fa50b781.txt");
    let utf8 = std::fs::read_to_string(path).unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode(&utf8);
    let a = gongkai_read::read_report("a.txt", utf8.as_bytes()).unwrap();
    let b = gongkai_read::read_report("b.txt", &gbk).unwrap();
    assert_eq!(a.cells, b.cells);
    assert!(b
        .diagnostics
        .iter()
        .any(|d| d.rule == "GK008" && d.message.contains("GB18030")));
}

/// The clean rule fixture's table 3 as a PDF-to-Markdown converter writes it
/// (`fixtures/md/clean_pdf_to_markdown.md`): a header row shorter than the data
/// rows (Markdown would drop the extra cells), the table cut into one small
/// table per group under placeholder headers "数据1 … 数据6 | 总计", a long label
/// split over two rows, a label alone on its row with its figures on the next,
/// and an OCR slip in a label (掌握 → 掌捤). It reads to the clean report's
/// cells, the slip reported as GK004 and nothing else loud.
#[test]
fn pdf_to_markdown_copy_reads_to_the_same_cells() {
    let clean = read("fixtures/rules/clean.txt");
    let r = read("fixtures/md/clean_pdf_to_markdown.md");
    let got: Vec<(String, f64)> = r
        .present_cells()
        .map(|(a, c)| (a.to_string(), c.value.as_f64()))
        .collect();
    let want: Vec<(String, f64)> = clean
        .present_cells()
        .map(|(a, c)| (a.to_string(), c.value.as_f64()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(
        rules(&r, Level::Error),
        Vec::<&str>::new(),
        "{:#?}",
        r.diagnostics
    );
    assert_eq!(rules(&r, Level::Warning), ["GK004"], "{:#?}", r.diagnostics);
    // The recovered extra cells and the repeated headers are said.
    assert!(r
        .diagnostics
        .iter()
        .any(|d| d.rule == "GK008" && d.message.contains("重复出现的表头行")));
    assert!(r
        .diagnostics
        .iter()
        .any(|d| d.rule == "GK008" && d.message.contains("比表头多")));
}

/// The 2019 template's wording "规范性文件" in a 2021 table 2 is its
/// "行政规范性文件": read, with a GK004 warning naming the template's label.
#[test]
fn earlier_wording_of_a_row_label_is_read_with_a_warning() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/rules/clean.txt");
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains("\n行政规范性文件\t0\t1\t27"));
    let text = text.replace("\n行政规范性文件\t0\t1\t27", "\n规范性文件\t0\t1\t27");
    let r = gongkai_read::read_report("variant-2025.txt", text.as_bytes()).unwrap();
    assert_eq!(r.value("t2.normative.in_force"), Some(Num::Int(27)));
    assert_eq!(r.value("t2.normative.repealed"), Some(Num::Int(1)));
    assert_eq!(
        rules(&r, Level::Error),
        Vec::<&str>::new(),
        "{:#?}",
        r.diagnostics
    );
    let w: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Warning)
        .collect();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].rule, "GK004");
    assert!(w[0].message.contains("行政规范性文件"));
}

/// A title broken over two lines, with a CMS page's fields above it: the
/// agency is the line before the year, and the fields are not part of it.
#[test]
fn title_broken_over_two_lines_under_cms_fields() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/rules/clean.txt");
    let text = std::fs::read_to_string(path).unwrap();
    let title = "# 卫滨区人民政府办公室 2025 年政府信息公开工作年度报告";
    assert!(text.contains(title));
    let text = text.replace(
        title,
        "发布机构：卫滨区人民政府办公室\n发布时间：2026-01-20 09:30\n\n卫滨区人民政府办公室\n2025年政府信息公开工作年度报告",
    );
    let r = gongkai_read::read_report("page.txt", text.as_bytes()).unwrap();
    assert_eq!(r.agency.as_deref(), Some("卫滨区人民政府办公室"));
    assert_eq!(r.year, Some(2025));
    assert_eq!(
        rules(&r, Level::Error),
        Vec::<&str>::new(),
        "{:#?}",
        r.diagnostics
    );

    // A CMS "标题：" field carrying the title.
    let text = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/rules/clean.txt"),
    )
    .unwrap()
    .replace(
        title,
        "标题：卫滨区人民政府办公室2025年政府信息公开工作年度报告\n发布机构：卫滨区人民政府办公室",
    );
    let r = gongkai_read::read_report("page.txt", text.as_bytes()).unwrap();
    assert_eq!(r.agency.as_deref(), Some("卫滨区人民政府办公室"));
    assert_eq!(r.year, Some(2025));
}

/// A file from which no section and no table can be read is not a report
/// with every section missing: it is refused, saying why.
#[test]
fn a_file_that_is_not_a_report_is_refused() {
    let text = "会议纪要\n\n一、会议议定事项\n\n请各单位于本月底前报送材料。\n";
    let e = gongkai_read::read_report("minutes.txt", text.as_bytes()).unwrap_err();
    assert!(
        e.message.contains("无法作为政府信息公开工作年度报告读取"),
        "{}",
        e.message
    );
    let e = gongkai_read::read_report("empty.txt", b"   \n").unwrap_err();
    assert!(e.message.contains("没有可读的文字"), "{}", e.message);
}

/// A section title in a wording real reports use is read as the template's
/// without a word; a title with a slip in it is read too, and said (GK004).
#[test]
fn section_title_variants_and_slips() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/rules/clean.txt");
    let clean = std::fs::read_to_string(path).expect("fixture");
    let title = "五、存在的主要问题及改进情况";
    assert!(clean.contains(title));
    for (variant, said) in [
        ("五、存在的主要问题及整改措施", false),
        ("五、政府信息公开工作存在的主要问题及改进情况", false),
        ("五、存在的主要问题及改近情况", true),
    ] {
        let text = clean.replace(title, variant);
        let r = gongkai_read::read_report("variant.txt", text.as_bytes()).expect("readable");
        assert!(r.sections[4].is_some(), "{variant}: section five read");
        assert!(
            !rules(&r, Level::Error).contains(&"GK001"),
            "{variant}: not missing"
        );
        let slips: Vec<_> = r
            .diagnostics
            .iter()
            .filter(|d| d.rule == "GK004" && d.message.contains("第五部分的标题"))
            .collect();
        assert_eq!(!slips.is_empty(), said, "{variant}: {slips:?}");
        if said {
            assert!(slips[0].message.contains("五、存在的主要问题及改进情况"));
            assert!(slips[0].line.is_some(), "the line is named");
        }
    }
}
