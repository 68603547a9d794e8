//! Reply letters as Word and PDF: real letters from the casework templates,
//! read back with the project's own Word and PDF readers.

use chrono::NaiveDate;
use gongkai_casework::letter::{LetterContext, Letters};
use gongkai_casework::{Outcome, Responsible};
use gongkai_read::doc::Block;
use gongkai_write::letter::{letter_docx, letter_pdf, letter_pdf_embedded};
use gongkai_write::pdf::PdfFonts;
use std::io::{Cursor, Read};

fn context(outcome: Outcome, reason: &str) -> LetterContext {
    let day = |m, d| NaiveDate::from_ymd_opt(2025, m, d).unwrap();
    LetterContext {
        agency: "某某县住房和城乡建设局".into(),
        number: "2025-0017".into(),
        applicant_name: "张某".into(),
        received_on: day(3, 4),
        request: "某小区规划许可证及附图".into(),
        outcome,
        replied_on: day(3, 20),
        reason: reason.into(),
        review_body: "某某县人民政府".into(),
        court: "某某县人民法院".into(),
        responsible: (outcome == Outcome::NOT_HELD).then(|| Responsible {
            agency: "某某县自然资源局".into(),
            contact: "0000-12345678".into(),
        }),
    }
}

/// Every outcome's letter, with and without the clerk's reason.
fn letters() -> Vec<String> {
    let letters = Letters::default();
    let mut out = Vec::new();
    for o in Outcome::all() {
        for reason in ["", "该信息涉及第三方商业秘密，第三方不同意公开"] {
            out.push(letters.render(&context(o, reason)).unwrap());
        }
    }
    out
}

/// The lines of a letter with text, without their indents.
fn text_lines(letter: &str) -> Vec<String> {
    letter
        .lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace()).to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn part(docx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(docx)).expect("a zip archive");
    let mut s = String::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("{name}"))
        .read_to_string(&mut s)
        .unwrap();
    s
}

/// The paragraphs of `word/document.xml`: their properties and their text.
fn paragraphs(xml: &str) -> Vec<(String, String)> {
    let body = xml.split("<w:body>").nth(1).unwrap();
    body.split("<w:p>")
        .skip(1)
        .map(|p| {
            let p = p.split("</w:p>").next().unwrap();
            let properties = p
                .split("<w:pPr>")
                .nth(1)
                .and_then(|x| x.split("</w:pPr>").next())
                .unwrap_or("")
                .to_string();
            let text: String = p
                .split("<w:t")
                .skip(1)
                .map(|t| {
                    let t = &t[t.find('>').unwrap() + 1..];
                    t.split("</w:t>").next().unwrap()
                })
                .collect();
            (properties, text)
        })
        .collect()
}

#[test]
fn a_letter_in_word_holds_every_paragraph_in_order() {
    for letter in letters() {
        let docx = letter_docx(&letter);
        assert!(docx.starts_with(b"PK\x03\x04"));
        let xml = part(&docx, "word/document.xml");
        let paras = paragraphs(&xml);
        let with_text: Vec<&(String, String)> =
            paras.iter().filter(|(_, t)| !t.is_empty()).collect();
        let texts: Vec<&str> = with_text.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(texts, text_lines(&letter), "{letter}");
        // The title in the centred title style; the number line centred.
        assert!(with_text[0].0.contains("<w:pStyle w:val=\"Title\"/>"));
        assert!(part(&docx, "word/styles.xml").contains(
            "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/><w:outlineLvl w:val=\"0\"/>"
        ));
        assert!(with_text[1].1.starts_with('〔'));
        assert!(with_text[1].0.contains("<w:jc w:val=\"center\"/>"));
        // The salutation flush left; the body paragraphs with the style's
        // two-character indent and no spaces in their text.
        assert!(with_text[2].0.contains("w:firstLineChars=\"0\""));
        assert!(!with_text[2].0.contains("<w:jc"));
        for (p, t) in &with_text[3..with_text.len() - 2] {
            let p = p.replace("<w:keepNext/>", "");
            assert_eq!(p, "<w:pStyle w:val=\"Normal\"/>", "{t}");
            assert!(!t.starts_with('　'), "{t}");
        }
        // The agency and the date right-aligned, four characters in.
        for (p, t) in &with_text[with_text.len() - 2..] {
            assert!(p.contains("<w:jc w:val=\"right\"/>"), "{t}: {p}");
            assert!(p.contains("w:right=\"1260\""), "{t}: {p}");
        }
        // The last paragraph of the body stays with the signature.
        assert!(with_text[with_text.len() - 3].0.contains("<w:keepNext/>"));
        // Page numbers as in the reports, on A4.
        assert!(part(&docx, "word/footer1.xml").contains(" PAGE "));
        assert!(xml.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
        let core = part(&docx, "docProps/core.xml");
        assert!(core.contains("<dc:title>政府信息公开申请答复告知书</dc:title>"));
        assert!(core.contains("<dc:creator>某某县住房和城乡建设局</dc:creator>"));
        // The same letter, the same bytes.
        assert_eq!(docx, letter_docx(&letter));
    }
}

#[test]
fn a_letter_in_word_reads_back_with_the_word_reader() {
    for letter in letters() {
        let doc = gongkai_read::docx::read(&letter_docx(&letter)).expect("reads back");
        let texts: Vec<String> = doc
            .blocks
            .iter()
            .filter_map(Block::text)
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        assert_eq!(texts, text_lines(&letter));
    }
}

#[test]
fn a_letter_in_pdf_reads_back_with_the_pdf_reader() {
    for letter in letters() {
        let out = letter_pdf_embedded(&letter);
        assert!(out.bytes.starts_with(b"%PDF-"));
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
        let doc = gongkai_read::pdf::read(&out.bytes).expect("reads back");
        let all: String = doc
            .blocks
            .iter()
            .filter_map(Block::text)
            .map(squeeze)
            .collect();
        // Every line, in order.
        let mut from = 0;
        for line in text_lines(&letter) {
            let line = squeeze(&line);
            let at = all[from..]
                .find(&line)
                .unwrap_or_else(|| panic!("“{line}” not found after {from} in {all}"));
            from += at + line.len();
        }
        assert_eq!(out.bytes, letter_pdf_embedded(&letter).bytes);
    }
}

/// The text of every page, with lopdf's own extraction.
fn page_texts(bytes: &[u8]) -> Vec<String> {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    let text = |page: u32| squeeze(&doc.extract_text(&[page]).unwrap());
    doc.get_pages().into_keys().map(text).collect()
}

/// Wherever the page breaks a long letter, the last paragraph (特此告知。)
/// is on the last page with the agency and the date, and every page has
/// its number.
#[test]
fn a_long_letter_runs_over_pages_with_the_signature_kept_with_the_text() {
    let letters = Letters::default();
    let mut breaks = 0;
    // Half a line more each time, across the end of the first page.
    for n in 24..=44 {
        let reason = "经书面征求第三方意见，第三方不同意公开".repeat(n) + "。";
        let letter = letters
            .render(&context(Outcome::all().next().unwrap(), &reason))
            .unwrap();
        assert!(letter.contains(&reason));
        let pages = page_texts(&letter_pdf_embedded(&letter).bytes);
        for (i, page) in pages.iter().enumerate() {
            assert!(
                page.contains(&format!("—{}—", i + 1)),
                "{n}: page {}",
                i + 1
            );
        }
        let last = pages.last().unwrap();
        assert!(
            last.contains("特此告知。")
                && last.contains("某某县住房和城乡建设局")
                && last.contains("2025年3月20日"),
            "{n}: {last}"
        );
        if pages.len() > 1 && !last.contains("不同意公开") {
            breaks += 1;
        }
    }
    // Some of them break right before the kept lines.
    assert!(breaks > 0);
}

#[test]
fn characters_no_font_has_are_reported() {
    let letter = Letters::default()
        .render(&context(Outcome::all().next().unwrap(), ""))
        .unwrap()
        .replace("张某", "𪚥某\u{E000}");
    let out = letter_pdf(&letter, &PdfFonts::embedded());
    assert!(out.bytes.starts_with(b"%PDF-"));
    assert_eq!(out.warnings.len(), 2, "{:?}", out.warnings);
    assert!(out.warnings[0].contains("U+E000"), "{:?}", out.warnings);
    assert!(out.warnings[1].contains("𪚥"), "{:?}", out.warnings);
    assert!(out.warnings.iter().all(|w| w.contains("没有字形")));
    // Word names its fonts and draws nothing itself: the text is all there.
    let xml = part(&letter_docx(&letter), "word/document.xml");
    assert!(xml.contains("𪚥某\u{E000}："));
}
