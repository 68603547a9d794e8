//! The PDF writer's output, read back with lopdf: page size, embedded font
//! subsets, the text through the ToUnicode maps, page numbers, page breaks
//! and reported missing glyphs.

use gongkai_report::{Report, SectionText};
use gongkai_template::{Edition, SectionKey, Template};
use gongkai_write::pdf::{write_pdf, write_pdf_with, FontRole, PdfFonts};
use gongkai_write::Options;
use lopdf::{Document, Object};

fn sample() -> Report {
    gongkai_report::sample::consistent_report(7, 2024)
}

/// A report with a long narrative in section 一.
fn long_report() -> Report {
    let mut r = sample();
    let t = Template::get(r.edition);
    let s = t.section(SectionKey::ALL[0]);
    let paragraph = "本机关坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，\
                     围绕中心工作，持续深化政务公开，不断提升政府信息公开工作的质量和实效。";
    let mut text = String::from("（一）主动公开情况");
    for _ in 0..30 {
        text.push('\n');
        text.push_str(paragraph);
    }
    r.sections[SectionKey::ALL[0].index()] = Some(SectionText {
        heading: s.heading(),
        pos: gongkai_report::Pos::UNKNOWN,
        text,
    });
    r
}

/// The text of every page, through lopdf's text extraction.
fn page_texts(bytes: &[u8]) -> Vec<String> {
    let doc = Document::load_mem(bytes).expect("the PDF parses");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    pages
        .iter()
        .map(|&p| {
            doc.extract_text(&[p])
                .expect("the text extracts")
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect()
        })
        .collect()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn the_file_is_a_pdf_of_a4_pages() {
    let bytes = write_pdf(&sample());
    assert!(bytes.starts_with(b"%PDF-"));
    let doc = Document::load_mem(&bytes).unwrap();
    let pages = doc.get_pages();
    assert!(pages.len() >= 2, "{} pages", pages.len());
    for id in pages.values() {
        let page = doc.get_dictionary(*id).unwrap();
        let media = page
            .get(b"MediaBox")
            .ok()
            .and_then(|o| o.as_array().ok())
            .cloned()
            .or_else(|| {
                // Inherited from the page tree.
                let parent = page.get(b"Parent").ok()?.as_reference().ok()?;
                doc.get_dictionary(parent)
                    .ok()?
                    .get(b"MediaBox")
                    .ok()?
                    .as_array()
                    .ok()
                    .cloned()
            })
            .expect("a media box");
        let nums: Vec<f32> = media
            .iter()
            .map(|o| match o {
                Object::Integer(i) => *i as f32,
                Object::Real(r) => *r,
                _ => f32::NAN,
            })
            .collect();
        assert!((nums[2] - nums[0] - 595.28).abs() < 0.01, "{nums:?}");
        assert!((nums[3] - nums[1] - 841.89).abs() < 0.01, "{nums:?}");
    }
    // The same report, the same bytes.
    assert_eq!(bytes, write_pdf(&sample()));
}

#[test]
fn fonts_are_embedded_as_subsets() {
    let bytes = write_pdf(&sample());
    let doc = Document::load_mem(&bytes).unwrap();
    let mut names = Vec::new();
    let mut files = 0;
    for object in doc.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        if dict.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"FontDescriptor") {
            let name = dict.get(b"FontName").unwrap().as_name().unwrap();
            names.push(String::from_utf8_lossy(name).to_string());
            if dict.has(b"FontFile2") || dict.has(b"FontFile3") || dict.has(b"FontFile") {
                files += 1;
            }
        }
    }
    assert!(names.len() >= 3, "{names:?}");
    assert_eq!(files, names.len(), "every font is embedded: {names:?}");
    // Subset fonts are named with a six-letter tag: ABCDEF+Name.
    for n in &names {
        let (tag, _) = n.split_once('+').unwrap_or_else(|| panic!("{n}"));
        assert!(
            tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
            "{n}"
        );
    }
    assert!(
        names.iter().any(|n| n.contains("NotoSerifCJK")),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n.contains("NotoSansCJK")), "{names:?}");
    // Far smaller than the fonts it takes glyphs from.
    assert!(bytes.len() < 1_500_000, "{} bytes", bytes.len());
}

#[test]
fn the_text_extracts_back() {
    let report = sample();
    let bytes = write_pdf(&report);
    let pages = page_texts(&bytes);
    let all: String = pages.concat();
    let t = report.template();
    let title = squeeze(&format!(
        "{}{}年{}",
        report.agency.as_deref().unwrap_or(""),
        report.year.unwrap(),
        t.title_suffix
    ));
    assert!(all.contains(&title), "{title} in {all}");
    for s in &t.sections {
        assert!(all.contains(&squeeze(&s.heading())), "{}", s.heading());
    }
    for label in [
        "申请人情况",
        "自然人",
        "商业企业",
        "三、本年度办理结果",
        "（一）予以公开",
        "行政复议",
        "未经复议直接起诉",
    ] {
        assert!(all.contains(label), "{label}");
    }
    // A few numbers of table 3.
    let mut seen = 0;
    for (_, cell) in report.present_cells().take(40) {
        if all.contains(&cell.value.to_string()) {
            seen += 1;
        }
    }
    assert!(seen >= 38, "{seen} of 40 numbers");
    // Page numbers, "— n —", on every page.
    for (i, text) in pages.iter().enumerate() {
        let number = format!("—{}—", i + 1);
        assert!(text.contains(&number), "page {}: {text}", i + 1);
    }
}

#[test]
fn a_long_narrative_runs_over_several_pages() {
    let report = long_report();
    let bytes = write_pdf(&report);
    let pages = page_texts(&bytes);
    // 30 paragraphs of 3 lines and more: at least four pages of text before the tables.
    assert!(pages.len() >= 6, "{} pages", pages.len());
    let all: String = pages.concat();
    assert!(
        all.matches("认真贯彻落实《中华人民共和国政府信息公开条例》")
            .count()
            >= 25
    );
    assert!(pages[1].contains("政务公开") && pages[2].contains("政务公开"));
    // The second-level heading comes out as text too.
    assert!(all.contains("（一）主动公开情况"));
}

#[test]
fn missing_glyphs_are_reported_not_dropped() {
    let mut report = sample();
    let t = Template::get(Edition::V2021);
    let s = t.section(SectionKey::ALL[5]);
    // A character of Plane 2 no built-in font has, and a private-use one.
    report.sections[SectionKey::ALL[5].index()] = Some(SectionText {
        heading: s.heading(),
        pos: gongkai_report::Pos::UNKNOWN,
        text: "本年度收取信息处理费0元。𪚥\u{E000}".into(),
    });
    let out = write_pdf_with(&report, &Options::default(), &PdfFonts::embedded());
    assert!(out.bytes.starts_with(b"%PDF-"));
    assert_eq!(out.warnings.len(), 2, "{:?}", out.warnings);
    assert!(out.warnings[0].contains("U+E000"), "{:?}", out.warnings);
    assert!(out.warnings[1].contains("𪚥"), "{:?}", out.warnings);
    assert!(out.warnings.iter().all(|w| w.contains("没有字形")));
    // A report the built-in fonts cover has no warnings.
    let out = write_pdf_with(&sample(), &Options::default(), &PdfFonts::embedded());
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
}

#[test]
fn font_files_are_recognised_and_bad_ones_refused() {
    let (fonts, problems) = PdfFonts::from_files(vec![
        ("readme.txt".to_string(), b"hello".to_vec()),
        ("simfang.ttf".to_string(), b"not a font".to_vec()),
    ]);
    assert_eq!(fonts.file_for(FontRole::Body), None);
    assert_eq!(problems.len(), 1);
    assert!(problems[0].contains("simfang.ttf"), "{problems:?}");
    // A real font file for a role is used for it.
    let kai = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fonts/LXGWWenKai-Regular.ttf"
    ))
    .unwrap();
    let (fonts, problems) = PdfFonts::from_files(vec![("simhei.ttf".to_string(), kai)]);
    assert!(problems.is_empty());
    assert_eq!(fonts.file_for(FontRole::Heading), Some("simhei.ttf"));
    let out = write_pdf_with(&sample(), &Options::default(), &fonts);
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let doc = Document::load_mem(&out.bytes).unwrap();
    let has_wenkai = doc.objects.values().any(|o| {
        o.as_dict()
            .ok()
            .and_then(|d| d.get(b"FontName").ok())
            .and_then(|n| n.as_name().ok())
            .is_some_and(|n| String::from_utf8_lossy(n).contains("LXGW"))
    });
    assert!(has_wenkai);
}

/// Writes sample PDFs to the folder named by GONGKAI_PDF_DUMP, for looking at.
#[test]
fn dump_samples_when_asked() {
    let Ok(dir) = std::env::var("GONGKAI_PDF_DUMP") else {
        return;
    };
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(format!("{dir}/sample.pdf"), write_pdf(&sample())).unwrap();
    std::fs::write(format!("{dir}/long.pdf"), write_pdf(&long_report())).unwrap();
    std::fs::write(
        format!("{dir}/sample.docx"),
        gongkai_write::docx::write_docx(&sample()),
    )
    .unwrap();
    std::fs::write(
        format!("{dir}/long.docx"),
        gongkai_write::docx::write_docx(&long_report()),
    )
    .unwrap();
}
