//! PDF (the real 淮安市 report's cells are checked in `seeds.rs`): every Chinese font
//! encoding we support decodes to the right text; scans, undecodable fonts
//! and encrypted files are refused with a clear message; broken and hostile
//! files never panic.

use gongkai_read::doc::{Block, Document};
use gongkai_read::{pdf, read_report, Format};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(name: &str) -> Vec<u8> {
    let path = root().join("fixtures/pdf").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn texts(doc: &Document) -> Vec<String> {
    doc.blocks
        .iter()
        .filter_map(|b| b.text().map(str::to_string))
        .collect()
}

fn read_texts(name: &str) -> Vec<String> {
    texts(&pdf::read(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}")))
}

/// Laid out as our own PDF writer lays a report out: Identity-H codes with a
/// ToUnicode CMap, tables drawn with lines, one text run per line of a
/// cell, table 3 broken over two pages. Same figures as Huai'an.
#[test]
fn a_ruled_report_like_ours_reads_back() {
    let bytes = fixture("ruled_report_identity.pdf");
    let report = read_report("ruled_report_identity.pdf", &bytes).unwrap();
    assert_eq!(report.agency.as_deref(), Some("某某市人民政府"));
    assert_eq!(report.year, Some(2024));
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("fixtures/expected/huaian_city_2024.json")).unwrap(),
    )
    .unwrap();
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
    assert_eq!(got, want);
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    let doc = pdf::read(&bytes).unwrap();
    let tables = doc
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::Table(_)))
        .count();
    assert_eq!(tables, 3, "table 3 continues on the next page as one table");
}

/// A one-page-per-`lines_per_page` PDF of text lines: each line's fields
/// (split on runs of spaces) set one after another with a wide gap, no lines
/// drawn, in a UniGB-UCS2-H font; a page number at the foot of each page.
fn unruled_pdf(text: &str, lines_per_page: usize) -> Vec<u8> {
    let lines: Vec<&str> = text.lines().collect();
    let mut contents = Vec::new();
    for (p, chunk) in lines.chunks(lines_per_page).enumerate() {
        let mut c = String::from("BT /F1 9 Tf\n");
        for (i, line) in chunk.iter().enumerate() {
            let y = 780.0 - i as f64 * 14.0;
            let mut x = 60.0;
            for field in line.split("    ").map(str::trim).filter(|f| !f.is_empty()) {
                let hex: String = field.encode_utf16().map(|u| format!("{u:04X}")).collect();
                c.push_str(&format!("1 0 0 1 {x:.1} {y:.1} Tm <{hex}> Tj\n"));
                let w: f64 = field
                    .chars()
                    .map(|ch| if ch.is_ascii() { 4.5 } else { 9.0 })
                    .sum();
                x += w + 24.0;
            }
        }
        let hex: String = format!("- {} -", p + 1)
            .encode_utf16()
            .map(|u| format!("{u:04X}"))
            .collect();
        c.push_str(&format!("1 0 0 1 290 40 Tm <{hex}> Tj\nET\n"));
        contents.push(c);
    }
    let n = contents.len();
    let font = 3 + 2 * n;
    let mut objs: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {n} >>",
            (0..n)
                .map(|i| format!("{} 0 R", 3 + i))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    ];
    for i in 0..n {
        objs.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {} 0 R /Resources << /Font << /F1 {font} 0 R >> >> >>",
            3 + n + i
        ));
    }
    for c in &contents {
        objs.push(format!("<< /Length {} >>\nstream\n{c}\nendstream", c.len()));
    }
    objs.push(format!("<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [{} 0 R] >>", font + 1));
    objs.push("<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /DW 1000 /W [1 95 500] >>".into());
    let objs: Vec<Vec<u8>> = objs.into_iter().map(String::into_bytes).collect();
    pdf_of(&objs)
}

/// A PDF of these objects (numbered from 1, the first the catalog), with its
/// cross-reference table.
fn pdf_of(objs: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// No lines drawn: rows from text aligned by gaps, the group label one
/// character per line, a wrapped label with its numbers on a line of their
/// own, page numbers between the rows of a table. Reads to the same cells
/// and diagnostics as the text it was set from.
#[test]
fn unruled_tables_read_like_the_text() {
    let text = std::fs::read_to_string(root().join("fixtures/layouts/pdf_like_space_aligned.txt"))
        .unwrap();
    let from_text = read_report("x.txt", text.as_bytes()).unwrap();
    let bytes = unruled_pdf(&text, 40);
    let from_pdf = read_report("x.pdf", &bytes).unwrap();
    let cells = |r: &gongkai_report::Report| -> BTreeMap<String, f64> {
        r.present_cells()
            .map(|(a, c)| (a.to_string(), c.value.as_f64()))
            .collect()
    };
    let (a, b) = (cells(&from_pdf), cells(&from_text));
    let differ: Vec<String> = b
        .iter()
        .filter(|(k, v)| a.get(*k) != Some(v))
        .map(|(k, v)| format!("{k}: {:?} / {v}", a.get(k)))
        .collect();
    assert!(differ.is_empty() && a.len() == b.len(), "{differ:#?}");
    assert_eq!(from_pdf.present_cells().count(), 200);
    let rules = |r: &gongkai_report::Report| -> Vec<String> {
        let mut v: Vec<String> = r
            .diagnostics
            .iter()
            .filter(|d| d.level != gongkai_report::Level::Info)
            .map(|d| d.rule.to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        rules(&from_pdf),
        rules(&from_text),
        "{:#?}",
        from_pdf.diagnostics
    );
    assert_eq!(from_pdf.agency, from_text.agency);
}

#[test]
fn huaian_2024_layout() {
    let doc = pdf::read(&fixture("huaian_city_2024.pdf")).unwrap();
    let t = texts(&doc);
    // The title set over two centred lines is one heading.
    assert_eq!(t[0], "淮安市人民政府2024年政府信息公开工作年度报告");
    assert!(matches!(doc.blocks[0], Block::Heading { .. }));
    // A paragraph continued across a page break is one paragraph.
    assert!(t
        .iter()
        .any(|p| p.contains("“建设‘四最’一流营商环境高质量推进产业发展”")));
    // Page numbers are left out.
    assert!(!t.iter().any(|p| p.contains("- 1 -") || p == "-1-"));
    // Three tables; table 2 and table 3 each continue on the next page.
    let tables: Vec<_> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect();
    assert_eq!(tables.len(), 3);
    assert_eq!(tables[0].rows.len(), 14);
    assert_eq!(tables[1].rows.len(), 28);
    // The group label written one character per line is one cell, spanning
    // its rows on both pages (the empty part of it on the next page joined).
    let group = &tables[1].rows[5][0];
    assert_eq!(group.text, "三、本年度办理结果");
    assert_eq!(group.row_span, 22);
    assert_eq!(tables[1].rows.len(), 5 + 22 + 1);
    // Merged header cells keep their spans.
    assert_eq!(tables[1].rows[0][1].text, "申请人情况");
    assert_eq!(tables[1].rows[0][1].col_span, 7);
    // Positions: lines counted through the document, cells at their grid column.
    let first_number = &tables[1].rows[3][1];
    assert_eq!(first_number.text, "3001");
    assert_eq!(first_number.pos.column, 4);
    assert!(doc.notes.is_empty(), "{:?}", doc.notes);
}

#[test]
fn predefined_chinese_cmaps_decode() {
    let two = vec![
        "政府信息公开工作年度报告".to_string(),
        "本年新收政府信息公开申请数量 2024".to_string(),
    ];
    assert_eq!(read_texts("cmap_unigb_ucs2_h.pdf"), two);
    assert_eq!(read_texts("cmap_gbk_euc_h.pdf"), two);
    assert_eq!(read_texts("cmap_gb_euc_h.pdf"), two);
    let mut gbk2k = two.clone();
    gbk2k.push("㐀主动公开".into());
    assert_eq!(read_texts("cmap_gbk2k_h.pdf"), gbk2k);
    assert_eq!(read_texts("cmap_unigb_utf16_h.pdf"), ["𠮷政府信息公开"]);
    // Vertical CMaps: a column read top to bottom.
    assert_eq!(read_texts("cmap_unigb_ucs2_v.pdf"), ["本年度办理结果"]);
    assert_eq!(read_texts("cmap_gbk_euc_v.pdf"), ["不予公开"]);
}

#[test]
fn identity_h_with_tounicode_decodes() {
    // bfchar, bfrange with a string and in array form, a code for two characters.
    assert_eq!(
        read_texts("cmap_identity_tounicode.pdf"),
        ["政府信息公开年度报告2024"]
    );
}

#[test]
fn simple_fonts_with_differences_and_tounicode() {
    let doc = pdf::read(&fixture("simple_differences.pdf")).unwrap();
    // /Differences: uni653F, uni5E9C, u4FE1 and WinAnsi digits; one glyph name
    // ("g1234") says nothing and is left out, with a note naming the font.
    assert_eq!(texts(&doc), ["政府信 12", "公开2"]);
    assert_eq!(doc.notes.len(), 1);
    assert!(doc.notes[0].message.contains("Helvetica"));
    assert!(doc.notes[0].message.contains("无法解码"));
}

#[test]
fn text_that_cannot_be_decoded_is_refused() {
    let err = pdf::read(&fixture("cmap_identity_no_tounicode.pdf")).unwrap_err();
    assert!(err.message.contains("无法解码"), "{err}");
    assert!(err.message.contains("ABCDEF+SimSun"), "{err}");
}

#[test]
fn a_scan_needs_ocr_first() {
    let bytes = fixture("scan_image_only.pdf");
    let err = pdf::read(&bytes).unwrap_err();
    assert!(err.message.contains("文字识别"), "{err}");
    assert!(err.message.contains("OCR"), "{err}");
    let err = read_report("scan.pdf", &bytes).unwrap_err();
    assert!(err.message.contains("没有文字层"), "{err}");
}

#[test]
fn encrypted_files() {
    // Only an owner password: opens with the empty user password.
    assert_eq!(
        read_texts("encrypted_empty_user_password.pdf"),
        ["Annual report 2024"]
    );
    let err = pdf::read(&fixture("encrypted_user_password.pdf")).unwrap_err();
    assert!(err.message.contains("加密"), "{err}");
}

#[test]
fn detected_by_magic_or_extension() {
    let bytes = fixture("cmap_unigb_ucs2_h.pdf");
    assert_eq!(Format::detect("report.bin", &bytes), Format::Pdf);
    assert_eq!(Format::detect("report.txt", &bytes), Format::Pdf);
    let mut late = vec![b' '; 600];
    late.extend_from_slice(&bytes);
    assert_eq!(Format::detect("x", &late), Format::Pdf);
    assert_eq!(Format::detect("report.PDF", b"not really"), Format::Pdf);
    assert!(pdf::looks_like_pdf(&late));
    assert!(!pdf::looks_like_pdf(b"%PD"));
    let err = read_report("report.pdf", b"not really").unwrap_err();
    assert!(err.message.contains("不是 PDF"), "{err}");
}

#[test]
fn hostile_files_are_errors() {
    for bytes in [
        &b"%PDF-"[..],
        b"%PDF-1.7\n",
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 1 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
        b"%PDF-1.7\nxref\n0 99999999\ntrailer << /Size 99999999 >>\nstartxref\n9\n%%EOF",
        b"%PDF-1.7\n1 0 obj [1 0 R] endobj\ntrailer << /Root 1 0 R >>\nstartxref 0\n%%EOF",
    ] {
        let r = pdf::read(bytes);
        assert!(r.is_err(), "{:?}", String::from_utf8_lossy(bytes));
        assert!(!r.unwrap_err().message.is_empty());
    }
}

// ---------------------------------------------------------------------------
// Mutations: the reader must never panic. A panic inside the reader is
// caught as a last resort and turned into an error; the hook below counts
// them, so that such a catch still fails the test.

static PANICS: AtomicUsize = AtomicUsize::new(0);

fn count_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // Only panics of the mutation test itself (others fail on their own).
            if std::thread::current().name() == Some("mutated_files_never_panic") {
                PANICS.fetch_add(1, Ordering::SeqCst);
            }
            prev(info);
        }));
    });
}

/// A deterministic pseudo-random sequence (xorshift).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// A PDF whose one page runs `content` (not compressed) with an Identity-H
/// font with a ToUnicode CMap, so that mutations reach the content lexer.
fn page_with_content(content: &[u8], cmap: &[u8]) -> Vec<u8> {
    let mut objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
    ];
    let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
    stream.extend_from_slice(content);
    stream.extend_from_slice(b"\nendstream");
    objs.push(stream);
    objs.push(b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X /DW 1000 /W [1 [500 600] 10 20 700] >>] /ToUnicode 6 0 R >>".to_vec());
    let mut tu = format!("<< /Length {} >>\nstream\n", cmap.len()).into_bytes();
    tu.extend_from_slice(cmap);
    tu.extend_from_slice(b"\nendstream");
    objs.push(tu);
    pdf_of(&objs)
}

const CONTENT: &[u8] = b"q 1 0 0 1 0 0 cm 0.5 w 72 700 m 500 700 l S 72 600 428 100 re S\n\
BT /F1 12 Tf 1 0 0 1 80 680 Tm [<00010002> -250 <0003>] TJ 0 -20 Td (\\000\\001) Tj T* <0002> ' ET\n\
BT /F1 10 Tf 2 Tr 100 650 Td 1 2 (ab) \" ET Q 80 620 m 80 500 l S /X1 Do BI /W 1 /H 1 ID \x00 EI";
const CMAP: &[u8] = b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
2 beginbfchar <0001> <653F> <0002> <5E9C> endbfchar\n\
2 beginbfrange <0003> <0005> <4FE1> <0010> <0012> [<0031> <0032> <0033>] endbfrange";

fn mutate_and_read(seed: &[u8], runs: usize, rng: &mut Rng) -> usize {
    let mut ok = 0;
    // Truncations.
    let step = (seed.len() / (runs / 2).max(1)).max(1);
    for cut in (0..seed.len()).step_by(step) {
        if pdf::read(&seed[..cut]).is_ok() {
            ok += 1;
        }
    }
    // Byte flips, insertions of PDF syntax, deletions.
    const SYNTAX: &[&[u8]] = &[
        b"<<",
        b">>",
        b"[",
        b"]",
        b"(",
        b")",
        b" R ",
        b"9999999999",
        b"-1",
        b"/Type",
        b"stream",
        b"endobj",
        b"obj",
        b"<FFFF>",
        b"\\",
        b"q",
        b"Q",
        b"Tj",
        b"Tf",
        b"Do",
        b"1e308",
    ];
    for _ in 0..runs / 2 {
        let mut m = seed.to_vec();
        let edits = 1 + (rng.next() % 4) as usize;
        for _ in 0..edits {
            if m.is_empty() {
                break;
            }
            let at = (rng.next() as usize) % m.len();
            match rng.next() % 3 {
                0 => m[at] ^= 1 << (rng.next() % 8),
                1 => {
                    let s = SYNTAX[(rng.next() as usize) % SYNTAX.len()];
                    m.splice(at..at, s.iter().copied());
                }
                _ => {
                    let end = (at + 1 + (rng.next() % 16) as usize).min(m.len());
                    m.drain(at..end);
                }
            }
        }
        if pdf::read(&m).is_ok() {
            ok += 1;
        }
    }
    ok
}

#[test]
fn mutated_files_never_panic() {
    count_panics();
    let before = PANICS.load(Ordering::SeqCst);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut total = 0;
    let mut names: Vec<String> = std::fs::read_dir(root().join("fixtures/pdf"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    names.sort();
    for name in &names {
        let seed = fixture(name);
        let runs = if seed.len() > 100_000 { 400 } else { 600 };
        mutate_and_read(&seed, runs, &mut rng);
        total += runs;
    }
    // Content streams and CMaps not compressed, so that mutations reach
    // the content lexer, the interpreter and the CMap parser.
    let seed = page_with_content(CONTENT, CMAP);
    assert!(pdf::read(&seed).is_ok());
    for _ in 0..1500 {
        let mut content = CONTENT.to_vec();
        let mut cmap = CMAP.to_vec();
        for _ in 0..1 + rng.next() % 6 {
            let target = if rng.next().is_multiple_of(2) {
                &mut content
            } else {
                &mut cmap
            };
            if target.is_empty() {
                continue;
            }
            let at = (rng.next() as usize) % target.len();
            match rng.next() % 3 {
                0 => target[at] = (rng.next() % 256) as u8,
                1 => {
                    target.drain(at..(at + 8).min(target.len()));
                }
                _ => {
                    let s = target[at..(at + 12).min(target.len())].to_vec();
                    target.splice(at..at, s);
                }
            }
        }
        let _ = pdf::read(&page_with_content(&content, &cmap));
        total += 1;
    }
    // Deep nesting and large numbers.
    let deep = page_with_content(&[b'['; 100_000], CMAP);
    let _ = pdf::read(&deep);
    let q = page_with_content(&b"q ".repeat(50_000), CMAP);
    let _ = pdf::read(&q);
    let big = page_with_content(
        b"BT /F1 1e300 Tf 1e300 0 0 1e300 1e300 1e300 Tm <0001> Tj ET 0 0 1e308 1e308 re S",
        CMAP,
    );
    let _ = pdf::read(&big);
    assert!(total > 5000, "{total} runs");
    assert_eq!(PANICS.load(Ordering::SeqCst), before, "the reader panicked");
}
