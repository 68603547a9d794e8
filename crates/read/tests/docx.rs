//! Word documents: the national template, blank and filled, reads to exactly
//! its cells; broken, hostile and foreign files are refused without panicking.

use gongkai_read::doc::{Block, Document};
use gongkai_read::{docx, read_report, Format};
use gongkai_report::{Level, Num, Pos};
use gongkai_template::{Edition, SectionKey, TableKey};
use std::io::{Cursor, Write};
use std::path::PathBuf;

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/docx")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A ZIP archive of the given entries (stored, not compressed, unless said).
fn zip_of(entries: &[(&str, &[u8])], deflate: bool) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let method = if deflate {
        zip::CompressionMethod::Deflated
    } else {
        zip::CompressionMethod::Stored
    };
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, data) in entries {
        w.start_file(*name, options).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

const RELS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

/// A .docx holding this document.xml.
fn docx_of(document: &[u8]) -> Vec<u8> {
    zip_of(
        &[
            ("[Content_Types].xml", b"<Types/>"),
            ("_rels/.rels", RELS),
            ("word/document.xml", document),
        ],
        true,
    )
}

fn body(inner: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{inner}</w:body></w:document>"#
    )
    .into_bytes()
}

/// Table 3 of the filled template, columns 自然人 … 总计.
const T3: [(&str, [i64; 7]); 25] = [
    ("new_received", [120, 30, 3, 2, 8, 4, 167]),
    ("carried_over", [6, 2, 0, 1, 0, 1, 10]),
    ("granted", [60, 15, 2, 1, 3, 2, 83]),
    ("partially_granted", [10, 4, 0, 1, 1, 0, 16]),
    ("withheld.state_secret", [1, 0, 0, 0, 0, 0, 1]),
    ("withheld.prohibited_by_law", [0, 1, 0, 0, 0, 0, 1]),
    ("withheld.security_stability", [0, 0, 0, 0, 0, 0, 0]),
    ("withheld.third_party_rights", [2, 1, 0, 0, 1, 0, 4]),
    ("withheld.internal_affairs", [1, 0, 0, 0, 0, 0, 1]),
    ("withheld.process_information", [3, 0, 0, 0, 0, 0, 3]),
    ("withheld.enforcement_case_file", [0, 0, 0, 0, 0, 0, 0]),
    ("withheld.query_service", [1, 0, 0, 0, 0, 1, 2]),
    ("unavailable.not_held", [20, 5, 1, 1, 1, 0, 28]),
    ("unavailable.requires_compilation", [4, 1, 0, 0, 0, 0, 5]),
    ("unavailable.still_unclear", [2, 0, 0, 0, 0, 0, 2]),
    ("not_processed.petition_complaint", [3, 0, 0, 0, 0, 0, 3]),
    ("not_processed.repeated", [5, 1, 0, 0, 1, 0, 7]),
    ("not_processed.publication", [1, 0, 0, 0, 0, 0, 1]),
    ("not_processed.excessive", [0, 0, 0, 0, 0, 0, 0]),
    ("not_processed.confirmation", [1, 0, 0, 0, 0, 0, 1]),
    ("other.no_correction", [2, 1, 0, 0, 0, 0, 3]),
    ("other.fee_unpaid", [0, 0, 0, 0, 0, 0, 0]),
    ("other.other", [1, 0, 0, 0, 0, 1, 2]),
    ("total_processed", [117, 29, 3, 3, 7, 4, 163]),
    ("carried_forward", [9, 3, 0, 0, 1, 1, 14]),
];
const T3_COLUMNS: [&str; 7] = [
    "natural_person",
    "business",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
    "total",
];
const T4_GROUPS: [(&str, [i64; 5]); 3] = [
    ("review", [3, 1, 0, 1, 5]),
    ("suit_direct", [2, 0, 1, 1, 4]),
    ("suit_after_review", [1, 0, 0, 0, 1]),
];
const T4_COLUMNS: [&str; 5] = ["upheld", "corrected", "other", "pending", "total"];

fn expected_filled() -> Vec<(String, Num)> {
    let mut out: Vec<(String, Num)> = [
        ("t2.regulation.issued", 1),
        ("t2.regulation.repealed", 0),
        ("t2.regulation.in_force", 12),
        ("t2.normative.issued", 5),
        ("t2.normative.repealed", 2),
        ("t2.normative.in_force", 48),
        ("t2.license.decided", 1234),
        ("t2.penalty.decided", 56),
        ("t2.coercion.decided", 7),
    ]
    .iter()
    .map(|(a, v)| (a.to_string(), Num::Int(*v)))
    .collect();
    out.push(("t2.fee.amount".into(), Num::Dec(3.5)));
    for (row, values) in T3 {
        for (col, v) in T3_COLUMNS.iter().zip(values) {
            out.push((format!("t3.{row}.{col}"), Num::Int(v)));
        }
    }
    for (group, values) in T4_GROUPS {
        for (col, v) in T4_COLUMNS.iter().zip(values) {
            out.push((format!("t4.{group}.{col}"), Num::Int(v)));
        }
    }
    out
}

#[test]
fn filled_template_reads_to_exactly_its_cells() {
    let bytes = fixture("national-template-filled.docx");
    assert_eq!(Format::detect("report.docx", &bytes), Format::Docx);
    // The bytes decide, whatever the name.
    assert_eq!(Format::detect("report.txt", &bytes), Format::Docx);
    let report = read_report("national-template-filled.docx", &bytes).unwrap();
    assert_eq!(report.edition, Edition::V2021);
    assert_eq!(report.agency.as_deref(), Some("某某市人民政府办公室"));
    assert_eq!(report.year, Some(2024));

    let expected = expected_filled();
    assert_eq!(expected.len(), 10 + 175 + 15);
    for (address, value) in &expected {
        let cell = report
            .cell(address)
            .unwrap_or_else(|| panic!("{address} missing"));
        assert_eq!(cell.value, *value, "{address}");
        assert!(!cell.blank, "{address} read as blank");
    }
    assert_eq!(report.present_cells().count(), expected.len());
    assert!(
        report.diagnostics.is_empty(),
        "diagnostics: {:#?}",
        report.diagnostics
    );
    let again = gongkai_report::check(&report);
    assert!(
        again.iter().all(|d| d.level == Level::Info),
        "rules fire: {again:#?}"
    );
    for key in SectionKey::ALL {
        assert!(report.section(key).is_some(), "section {key:?}");
    }

    // Positions are body ordinals: table 3's first value row is element 39,
    // table 4's values 72; the tables start at 11 (table 2's first header
    // row: its clause row above reads as a line), 36 and 69.
    let pos = |a: &str| report.cell(a).unwrap().origin.pos().unwrap();
    assert_eq!(pos("t3.new_received.natural_person"), Pos::new(39, 1));
    assert_eq!(pos("t3.carried_forward.total"), Pos::new(63, 1));
    assert_eq!(pos("t4.suit_after_review.total"), Pos::new(72, 1));
    assert_eq!(pos("t2.fee.amount"), Pos::new(23, 1));
    assert_eq!(
        report.tables,
        [
            Some(Pos::new(11, 1)),
            Some(Pos::new(36, 1)),
            Some(Pos::new(69, 1))
        ]
    );
}

#[test]
fn blank_template_reads_without_cells() {
    let bytes = fixture("national-template-blank.docx");
    let doc = docx::read(&bytes).unwrap();
    // Title, six headings, three texts, three tables.
    let tables: Vec<_> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect();
    assert_eq!(tables.len(), 3);
    // The tables as the template draws them: widths and heights.
    let shape: Vec<(usize, usize)> = tables
        .iter()
        .map(|t| (t.rows.len(), t.grid().width))
        .collect();
    assert_eq!(shape, vec![(14, 4), (28, 10), (4, 15)]);
    // Table 3's corner note spans three rows and three columns; the outcome
    // label spans its 22 rows; （三）不予公开 its 8.
    let t3 = tables[1];
    assert_eq!((t3.rows[0][0].row_span, t3.rows[0][0].col_span), (3, 3));
    assert_eq!(t3.rows[5][0].text, "三、本年度办理结果");
    assert_eq!(t3.rows[5][0].row_span, 22);
    assert_eq!(t3.rows[7][0].text, "（三）不予公开");
    assert_eq!(t3.rows[7][0].row_span, 8);
    // Labels broken over two lines keep the break.
    assert_eq!(t3.rows[2][0].text, "商业\n企业");
    assert_eq!(tables[2].rows[1][1].text, "结果\n纠正");
    // The blank value cells are there, empty (the full-width spaces of
    // table 2 trimmed).
    assert!(t3.rows[3][1..].iter().all(|c| c.text.is_empty()));
    assert!(tables[0].rows[2][1..].iter().all(|c| c.text.is_empty()));
    assert_eq!(tables[0].rows[0][0].col_span, 4);

    let texts: Vec<&str> = doc.blocks.iter().filter_map(Block::text).collect();
    assert_eq!(texts[0], "政府信息公开工作年度报告格式模板");
    assert!(texts.contains(&"六、其他需要报告的事项"));
    assert!(texts.contains(&"（文字描述，收取信息处理费情况在此处报告。）"));
    assert!(doc.notes.is_empty(), "{:?}", doc.notes);

    // Every row of tables 2 and 3 is there with its cells empty: present
    // and zero, each cell said to be blank (GK006). Table 4's one row of
    // figures is wholly blank, with no label of its own: its groups are
    // still reported missing (GK003).
    let report = read_report("blank.docx", &bytes).unwrap();
    assert_eq!(report.present_cells().count(), 185);
    assert!(report
        .present_cells()
        .all(|(a, c)| !a.starts_with("t4.") && c.blank && c.value.as_f64() == 0.0));
    let loud: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.level != gongkai_report::Level::Info)
        .collect();
    assert!(
        loud.iter()
            .all(|d| d.rule == "GK003" && d.message.contains("表四")),
        "{loud:#?}"
    );
    for key in SectionKey::ALL {
        assert!(report.section(key).is_some(), "section {key:?}");
    }
    for key in TableKey::ALL {
        assert!(report.tables[key.index()].is_some(), "table {key:?}");
    }
    assert!(!report.diagnostics.iter().any(|d| d.rule == "GK001"));
}

#[test]
fn foreign_files_are_named() {
    // Old binary Word.
    let mut doc = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    doc.resize(512, 0);
    doc.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
    doc.resize(2048, 0);
    for name in ["report.doc", "report.docx", "report.txt", "report.html"] {
        let e = read_report(name, &doc).unwrap_err();
        assert!(
            e.message.contains(".doc") && e.message.contains("另存为 .docx"),
            "{name}: {}",
            e.message
        );
    }
    // Excel.
    let xlsx = zip_of(
        &[
            ("[Content_Types].xml", b"<Types/>"),
            ("xl/workbook.xml", b"<workbook/>"),
        ],
        true,
    );
    assert_ne!(Format::detect("a.xlsx", &xlsx), Format::Docx);
    for name in ["report.xlsx", "report.docx", "report"] {
        let e = read_report(name, &xlsx).unwrap_err();
        assert!(e.message.contains(".xlsx"), "{name}: {}", e.message);
    }
    // Some other archive.
    let other = zip_of(&[("a.txt", b"hello")], false);
    let e = read_report("a.zip", &other).unwrap_err();
    assert!(e.message.contains("word/document.xml"), "{}", e.message);
    // HTML saved under a Word name is read as HTML.
    let html = b"<html><body><h1>x</h1></body></html>";
    assert_eq!(Format::detect("report.docx", html), Format::Html);
    // Not a ZIP at all, under a Word name.
    let e = read_report("report.docx", b"just some words").unwrap_err();
    assert!(e.message.contains("ZIP"), "{}", e.message);
}

#[test]
fn main_part_is_found_through_its_relationship() {
    let rels = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/document2.xml"/></Relationships>"#;
    let bytes = zip_of(
        &[
            ("_rels/.rels", rels),
            (
                "word/document2.xml",
                &body("<w:p><w:r><w:t>正文</w:t></w:r></w:p>"),
            ),
        ],
        true,
    );
    assert_eq!(Format::detect("x", &bytes), Format::Docx);
    let doc = docx::read(&bytes).unwrap();
    assert_eq!(
        doc.blocks,
        vec![Block::Paragraph {
            text: "正文".into(),
            pos: Pos::new(1, 1)
        }]
    );
}

// ---------------------------------------------------------------------------
// Garbage: never a panic, always a Chinese message.

/// A small deterministic generator (xorshift).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn assert_chinese_error(result: Result<Document, gongkai_read::doc::ReadError>, what: &str) {
    if let Err(e) = result {
        assert!(
            e.message
                .chars()
                .any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)),
            "{what}: {}",
            e.message
        );
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for i in 0..300 {
        let len = rng.below(4096);
        let mut bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        if i % 2 == 0 {
            // Starting like a ZIP, so that the archive reader is reached.
            bytes.splice(0..0, b"PK\x03\x04".iter().copied());
        }
        let result = docx::read(&bytes);
        assert!(result.is_err(), "random bytes {i} read as a document");
        assert_chinese_error(result, "random bytes");
        let _ = read_report("random.docx", &bytes);
    }
}

#[test]
fn truncated_and_damaged_template_never_panics() {
    let bytes = fixture("national-template-filled.docx");
    let mut cut = 0;
    while cut < bytes.len() {
        let result = docx::read(&bytes[..cut]);
        assert!(result.is_err(), "cut at {cut} still reads");
        assert_chinese_error(result, "truncated");
        cut += 211;
    }
    // Flipped bytes anywhere: an error or a document, never a panic.
    let mut rng = Rng(42);
    for _ in 0..200 {
        let mut damaged = bytes.clone();
        for _ in 0..1 + rng.below(8) {
            let at = rng.below(damaged.len());
            damaged[at] = rng.next() as u8;
        }
        let result = docx::read(&damaged);
        assert_chinese_error(result, "damaged");
        let _ = read_report("damaged.docx", &damaged);
    }
}

#[test]
fn deeply_nested_xml_is_refused() {
    let deep = body(&format!(
        "{}{}",
        "<w:sdt><w:sdtContent>".repeat(50_000),
        "</w:sdtContent></w:sdt>".repeat(50_000)
    ));
    let e = docx::read(&docx_of(&deep)).unwrap_err();
    assert!(e.message.contains("嵌套"), "{}", e.message);
    let e = docx::read_main_part(&deep).unwrap_err();
    assert!(e.message.contains("嵌套"), "{}", e.message);
    // Nested tables deep enough to pass the limit, likewise.
    let tables = body(&format!(
        "{}<w:p><w:r><w:t>x</w:t></w:r></w:p>{}",
        "<w:tbl><w:tr><w:tc>".repeat(300),
        "</w:tc></w:tr></w:tbl>".repeat(300)
    ));
    assert!(docx::read(&docx_of(&tables)).is_err());
    // Malformed XML.
    for bad in [
        &b"<w:document xmlns:w=\"x\"><w:body><w:p></w:body></w:document>"[..],
        b"<w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>abc",
        b"not xml at all",
        b"",
    ] {
        let e = docx::read(&docx_of(bad)).unwrap_err();
        assert!(e.message.contains("word/document.xml"), "{}", e.message);
    }
}

#[test]
fn huge_declared_size_is_refused_before_unpacking() {
    let document = body("<w:p><w:r><w:t>正文</w:t></w:r></w:p>");
    let mut bytes = zip_of(
        &[("_rels/.rels", RELS), ("word/document.xml", &document)],
        false,
    );
    // Patch the uncompressed size of word/document.xml: in its local header
    // (offset 22) and its central directory entry (offset 24).
    let name = b"word/document.xml";
    let mut patched = 0;
    let mut i = 0;
    while i + 46 < bytes.len() {
        if bytes[i..].starts_with(b"PK\x03\x04") && bytes[i + 30..].starts_with(name) {
            bytes[i + 22..i + 26].copy_from_slice(&0xFFFF_FF00u32.to_le_bytes());
            patched += 1;
        }
        if bytes[i..].starts_with(b"PK\x01\x02") && bytes[i + 46..].starts_with(name) {
            bytes[i + 24..i + 28].copy_from_slice(&0xFFFF_FF00u32.to_le_bytes());
            patched += 1;
        }
        i += 1;
    }
    assert_eq!(patched, 2);
    let e = docx::read(&bytes).unwrap_err();
    assert!(e.message.contains("上限"), "{}", e.message);
}

#[test]
fn a_large_part_that_compresses_well_is_read() {
    // 16 MiB of spaces inside a paragraph compress to a few kilobytes; under
    // the cap, they are unpacked and read as an empty paragraph.
    let mut xml = body("<w:p><w:r><w:t>");
    xml.truncate(xml.len() - "</w:body></w:document>".len());
    xml.extend(std::iter::repeat_n(b' ', 16 << 20));
    xml.extend_from_slice(b"</w:t></w:r></w:p></w:body></w:document>");
    let bytes = docx_of(&xml);
    assert!(bytes.len() < 1 << 20, "compressed to {}", bytes.len());
    let doc = docx::read(&bytes).unwrap();
    assert!(doc.blocks.is_empty());
}
