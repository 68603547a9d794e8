//! Word (.docx) in the layout of official documents, GB/T 9704-2012
//! 《党政机关公文格式》.
//!
//! * **Page**: A4 (210 mm × 297 mm), margins top 37 mm, bottom 35 mm, left
//!   28 mm, right 26 mm, so the text area is 156 mm × 225 mm, with 22 lines
//!   of 28 characters: a line grid (`w:docGrid w:type="lines"`) of 22 lines
//!   per page, and the characters of the text set 0.25 pt closer than their
//!   size (`w:spacing`), so that 28 of them fill a line. (A grid of lines and
//!   characters, `linesAndChars` with a negative `w:charSpace`, does this in
//!   Word, but LibreOffice then gives each character two cells of the grid,
//!   14 characters to the line; the line grid with closer characters looks
//!   the same in both.) Spacing between Chinese and Latin text
//!   (`w:autoSpaceDE`/`DN`) is off, as in official documents.
//! * **Title**: 方正小标宋简体 二号 (22 pt), centred, one line of the grid per
//!   line of the title, a blank line below it. A title too long for one line
//!   is broken where the words allow — after the agency and year, or before
//!   工作年度报告 — by narrowing the paragraph, so that the title stays one
//!   paragraph of text.
//! * **Body**: 仿宋_GB2312 三号 (16 pt), justified, first line indented two
//!   characters. Headings of the first level (一、总体情况 …, the template's
//!   section headings) in 黑体 三号; of the second level (paragraphs opening with
//!   （一）…) in 楷体_GB2312 三号 — the whole paragraph when it is a heading of
//!   its own, otherwise its first sentence.
//! * **Tables**: the three tables of the template with its merged cells (drawn
//!   by [`crate::layout`]; `w:gridSpan` across, `w:vMerge` down), borders on
//!   every cell, header rows repeated on each page (`w:tblHeader`), rows not
//!   split across pages; text in 仿宋 小四 (table 2) and 五号 (tables 3 and 4,
//!   so that table 3's ten columns and table 4's fifteen fit the width).
//! * **Page numbers**: 4号 半角 宋体 Arabic figures between one-em dashes,
//!   "— 1 —", 7 mm below the text area, odd pages on the right and even pages
//!   on the left, one character in from the edge (`w:evenAndOddHeaders`, two
//!   footers).
//! * **Fonts** are named as the standard names them (East Asian text), with
//!   Times New Roman for Latin letters and figures; `word/fontTable.xml` gives
//!   each an alternative name (仿宋_GB2312 → 仿宋, 方正小标宋简体 → 宋体,
//!   楷体_GB2312 → 楷体, 黑体 → SimHei, and 仿宋 → FangSong …) so that the document
//!   still looks right where the official fonts are not installed.
//!
//! The archive holds `[Content_Types].xml`, `_rels/.rels`,
//! `word/document.xml`, `word/styles.xml`, `word/settings.xml`,
//! `word/fontTable.xml`, `word/footer1.xml` (odd pages), `word/footer2.xml`
//! (even pages), `word/_rels/document.xml.rels`, `docProps/core.xml` and
//! `docProps/app.xml`. The output depends on the report only: no dates are
//! written, and every entry carries the ZIP epoch as its time.

use crate::layout::{self, Content, Drawn, RowKind, Slot};
use crate::Options;
use gongkai_report::Report;
use gongkai_template::TableKey;
use std::fmt::Write as _;
use std::io::{Cursor, Write as _};

/// A4, in twentieths of a point.
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
/// Millimetres to twips (1 mm = 56.7 twips), rounded.
const fn mm(x: u32) -> u32 {
    (x * 567 + 5) / 10
}
const MARGIN_TOP: u32 = mm(37);
const MARGIN_BOTTOM: u32 = mm(35);
const MARGIN_LEFT: u32 = mm(28);
const MARGIN_RIGHT: u32 = mm(26);
/// The text area: 156 mm × 225 mm.
const TEXT_W: u32 = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT;
const TEXT_H: u32 = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM;
const LINES_PER_PAGE: u32 = 22;
const CHARS_PER_LINE: u32 = 28;
/// The pitch of the document grid's lines: 22 of them fill the text area.
const LINE_PITCH: u32 = TEXT_H / LINES_PER_PAGE;
/// 三号, the body size, in half-points.
pub(crate) const BODY_SIZE: u32 = 32;
/// 二号, the title size.
const TITLE_SIZE: u32 = 44;
/// 4号, the page numbers' size.
const PAGE_NUMBER_SIZE: u32 = 28;
/// 小四 and 五号, for tables.
const TABLE_SIZE_LARGE: u32 = 24;
const TABLE_SIZE_SMALL: u32 = 21;
// 22 lines fill the text area; a 23rd does not fit.
const _: () =
    assert!(LINE_PITCH * LINES_PER_PAGE <= TEXT_H && LINE_PITCH * (LINES_PER_PAGE + 1) > TEXT_H);

/// A group of table rows up to this many is kept on one page.
pub(crate) const KEPT_GROUP_ROWS: usize = 10;
/// Space left and right inside a table cell (1 mm).
pub(crate) const CELL_MARGIN: u32 = 57;

/// How much closer than their size the characters are set, in twips
/// (negative), so that 28 characters of the body size fill a line: the
/// difference between the pitch 28 characters leave and the size, rounded
/// down.
pub(crate) const CHAR_SPACING: i32 = {
    let pitch = (TEXT_W / CHARS_PER_LINE) as i32;
    let size = (BODY_SIZE * 10) as i32;
    if pitch >= size {
        0
    } else {
        pitch - size
    }
};

/// Where the footer sits: its page number's top 7 mm below the text area.
/// The footer line is exactly as high as the page number's size.
fn footer_distance() -> u32 {
    MARGIN_BOTTOM - mm(7) - PAGE_NUMBER_SIZE * 10
}

const FANGSONG: &str = "仿宋_GB2312";
const XIAOBIAOSONG: &str = "方正小标宋简体";
const HEITI: &str = "黑体";
const KAITI: &str = "楷体_GB2312";
const SONGTI: &str = "宋体";
const LATIN: &str = "Times New Roman";

/// Writes a report as a Word document, with default options.
pub fn write_docx(report: &Report) -> Vec<u8> {
    write_docx_with(report, &Options::default())
}

/// Writes a report as a Word document.
pub fn write_docx_with(report: &Report, options: &Options) -> Vec<u8> {
    let title = layout::title(report);
    let creator = report.agency.as_deref().map(str::trim);
    package(document(report, options), core(&title, creator))
}

/// The archive of a Word document in the layout of official documents: its
/// main part and core properties, with the styles, settings, fonts and page
/// number footers every document of this crate shares.
pub(crate) fn package(document: String, core: String) -> Vec<u8> {
    let parts: [(&str, String); 11] = [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("word/document.xml", document),
        ("word/styles.xml", styles()),
        ("word/settings.xml", SETTINGS.to_string()),
        ("word/fontTable.xml", font_table()),
        ("word/footer1.xml", footer(true)),
        ("word/footer2.xml", footer(false)),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_string()),
        ("docProps/core.xml", core),
        ("docProps/app.xml", APP.to_string()),
    ];
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, xml) in parts {
        // Writing to memory cannot fail; the names are distinct.
        zip.start_file(name, options)
            .expect("a new entry in an archive in memory");
        zip.write_all(xml.as_bytes())
            .expect("writing to an archive in memory");
    }
    zip.finish()
        .expect("finishing an archive in memory")
        .into_inner()
}

// ---------------------------------------------------------------------------
// Package parts that do not depend on the report.

const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

const CONTENT_TYPES: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">",
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>",
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>",
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>",
    "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>",
    "<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>",
    "<Override PartName=\"/word/fontTable.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>",
    "<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>",
    "<Override PartName=\"/word/footer2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>",
    "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>",
    "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>",
    "</Types>"
);

const ROOT_RELS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>",
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>",
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>",
    "</Relationships>"
);

const DOCUMENT_RELS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>",
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>",
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable\" Target=\"fontTable.xml\"/>",
    "<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>",
    "<Relationship Id=\"rId5\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer2.xml\"/>",
    "</Relationships>"
);

const SETTINGS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
    "<w:zoom w:percent=\"100\"/>",
    "<w:defaultTabStop w:val=\"420\"/>",
    "<w:evenAndOddHeaders/>",
    "<w:characterSpacingControl w:val=\"compressPunctuation\"/>",
    "<w:compat>",
    "<w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/>",
    "</w:compat>",
    "<w:themeFontLang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/>",
    "<w:decimalSymbol w:val=\".\"/>",
    "<w:listSeparator w:val=\",\"/>",
    "</w:settings>"
);

const APP: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" ",
    "xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">",
    "<Application>gongkai</Application>",
    "</Properties>"
);

/// The core properties: the title, the creator (the agency) if known, the
/// language.
pub(crate) fn core(title: &str, creator: Option<&str>) -> String {
    let mut s = String::from(XML_DECL);
    s.push_str(concat!(
        "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" ",
        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" ",
        "xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
    ));
    let _ = write!(s, "<dc:title>{}</dc:title>", escape(title));
    if let Some(creator) = creator {
        let _ = write!(s, "<dc:creator>{}</dc:creator>", escape(creator));
    }
    s.push_str("<dc:language>zh-CN</dc:language></cp:coreProperties>");
    s
}

/// `w:rFonts` naming an East Asian font, with Times New Roman for Latin text.
fn fonts(east_asia: &str, latin: &str) -> String {
    format!(
        "<w:rFonts w:ascii=\"{latin}\" w:eastAsia=\"{east_asia}\" w:hAnsi=\"{latin}\" w:cs=\"{latin}\" w:hint=\"eastAsia\"/>"
    )
}

fn size(half_points: u32) -> String {
    format!("<w:sz w:val=\"{half_points}\"/><w:szCs w:val=\"{half_points}\"/>")
}

/// First line indented two characters (at the body size).
fn indent_two() -> String {
    format!(
        "<w:ind w:firstLineChars=\"200\" w:firstLine=\"{}\"/>",
        BODY_SIZE * 20
    )
}

fn styles() -> String {
    let mut s = String::from(XML_DECL);
    let _ = write!(s, "<w:styles xmlns:w=\"{NS_W}\">");
    // Defaults: 仿宋_GB2312 三号, Chinese.
    let _ = write!(
        s,
        "<w:docDefaults><w:rPrDefault><w:rPr>{}<w:kern w:val=\"2\"/>{}<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:jc w:val=\"both\"/></w:pPr></w:pPrDefault></w:docDefaults>",
        fonts(FANGSONG, LATIN),
        size(BODY_SIZE)
    );
    // Body text.
    let _ = write!(
        s,
        "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/><w:pPr><w:widowControl w:val=\"0\"/><w:autoSpaceDE w:val=\"0\"/><w:autoSpaceDN w:val=\"0\"/>{}<w:jc w:val=\"both\"/></w:pPr><w:rPr>{}<w:spacing w:val=\"{CHAR_SPACING}\"/>{}</w:rPr></w:style>",
        indent_two(),
        fonts(FANGSONG, LATIN),
        size(BODY_SIZE)
    );
    // The title.
    let _ = write!(
        s,
        "<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"{LINE_PITCH}\" w:lineRule=\"exact\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr>{}{}</w:rPr></w:style>",
        fonts(XIAOBIAOSONG, LATIN),
        size(TITLE_SIZE)
    );
    // Headings: 一、 in 黑体, （一） in 楷体.
    for (id, name, font, level) in [
        ("Heading1", "heading 1", HEITI, 1),
        ("Heading2", "heading 2", KAITI, 2),
    ] {
        let _ = write!(
            s,
            "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/>{}<w:outlineLvl w:val=\"{}\"/></w:pPr><w:rPr>{}<w:b w:val=\"0\"/>{}</w:rPr></w:style>",
            indent_two(),
            level - 1,
            fonts(font, LATIN),
            size(BODY_SIZE)
        );
    }
    // Table text: off the grid, single spacing, centred.
    let _ = write!(
        s,
        "<w:style w:type=\"paragraph\" w:styleId=\"TableText\"><w:name w:val=\"Table Text\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"240\" w:lineRule=\"auto\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/></w:pPr><w:rPr>{}<w:kern w:val=\"0\"/>{}</w:rPr></w:style>",
        fonts(FANGSONG, LATIN),
        size(TABLE_SIZE_LARGE)
    );
    // Page numbers.
    let _ = write!(
        s,
        "<w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"{}\" w:lineRule=\"exact\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/></w:pPr><w:rPr>{}{}</w:rPr></w:style>",
        PAGE_NUMBER_SIZE * 10,
        fonts(SONGTI, SONGTI),
        size(PAGE_NUMBER_SIZE)
    );
    s.push_str("<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/></w:style>");
    s.push_str("<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:semiHidden/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>");
    s.push_str("</w:styles>");
    s
}

fn font_table() -> String {
    let mut s = String::from(XML_DECL);
    let _ = write!(s, "<w:fonts xmlns:w=\"{NS_W}\">");
    // (name, alternative, charset, family, pitch)
    let fonts: [(&str, Option<&str>, &str, &str, &str); 9] = [
        (LATIN, None, "00", "roman", "variable"),
        (FANGSONG, Some("仿宋"), "86", "modern", "fixed"),
        ("仿宋", Some("FangSong"), "86", "modern", "fixed"),
        (XIAOBIAOSONG, Some(SONGTI), "86", "auto", "default"),
        (SONGTI, Some("SimSun"), "86", "auto", "variable"),
        (KAITI, Some("楷体"), "86", "modern", "fixed"),
        ("楷体", Some("KaiTi"), "86", "modern", "fixed"),
        (HEITI, Some("SimHei"), "86", "modern", "fixed"),
        ("SimHei", None, "86", "modern", "fixed"),
    ];
    for (name, alt, charset, family, pitch) in fonts {
        let _ = write!(s, "<w:font w:name=\"{name}\">");
        if let Some(alt) = alt {
            let _ = write!(s, "<w:altName w:val=\"{alt}\"/>");
        }
        let _ = write!(
            s,
            "<w:charset w:val=\"{charset}\"/><w:family w:val=\"{family}\"/><w:pitch w:val=\"{pitch}\"/></w:font>"
        );
    }
    s.push_str("</w:fonts>");
    s
}

/// The footer of odd pages (`odd`, number on the right) or even pages (on the
/// left), one character in from the edge: "— 1 —".
fn footer(odd: bool) -> String {
    let mut s = String::from(XML_DECL);
    let _ = write!(s, "<w:ftr xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\">");
    let one_char = PAGE_NUMBER_SIZE * 10;
    let (jc, ind) = if odd {
        ("right", format!("<w:ind w:right=\"{one_char}\"/>"))
    } else {
        ("left", format!("<w:ind w:left=\"{one_char}\"/>"))
    };
    let _ = write!(
        s,
        "<w:p><w:pPr><w:pStyle w:val=\"Footer\"/>{ind}<w:jc w:val=\"{jc}\"/></w:pPr>"
    );
    s.push_str("<w:r><w:t xml:space=\"preserve\">— </w:t></w:r>");
    s.push_str("<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>");
    s.push_str("<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>");
    s.push_str("<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>");
    s.push_str("<w:r><w:t>1</w:t></w:r>");
    s.push_str("<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>");
    s.push_str("<w:r><w:t xml:space=\"preserve\"> —</w:t></w:r>");
    s.push_str("</w:p></w:ftr>");
    s
}

// ---------------------------------------------------------------------------
// The document.

fn document(report: &Report, options: &Options) -> String {
    let mut s = document_start();
    title_paragraph(&mut s, report);
    // A blank line between the title and the text.
    s.push_str("<w:p/>");
    let mut ends_with_table = false;
    for part in layout::parts(report, options) {
        paragraph(&mut s, "Heading1", &[Run::plain(&part.section.heading())]);
        for p in &part.paragraphs {
            body_paragraph(&mut s, p);
        }
        ends_with_table = false;
        if let Some(table) = &part.table {
            write_table(&mut s, report, table);
            ends_with_table = true;
        }
    }
    if ends_with_table {
        // Word wants a paragraph between a table and the section's end.
        s.push_str("<w:p/>");
    }
    document_end(&mut s);
    s
}

/// The main part up to the first paragraph of the body.
pub(crate) fn document_start() -> String {
    let mut s = String::from(XML_DECL);
    let _ = write!(
        s,
        "<w:document xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\"><w:body>"
    );
    s
}

/// Ends the main part: the page (A4, margins, the grid of 22 lines, the
/// footers with page numbers) and the closing tags.
pub(crate) fn document_end(s: &mut String) {
    let _ = write!(
        s,
        concat!(
            "<w:sectPr>",
            "<w:footerReference w:type=\"default\" r:id=\"rId4\"/>",
            "<w:footerReference w:type=\"even\" r:id=\"rId5\"/>",
            "<w:pgSz w:w=\"{pw}\" w:h=\"{ph}\"/>",
            "<w:pgMar w:top=\"{top}\" w:right=\"{right}\" w:bottom=\"{bottom}\" w:left=\"{left}\" w:header=\"851\" w:footer=\"{footer}\" w:gutter=\"0\"/>",
            "<w:pgNumType w:fmt=\"decimal\"/>",
            "<w:cols w:space=\"425\"/>",
            "<w:docGrid w:type=\"lines\" w:linePitch=\"{pitch}\"/>",
            "</w:sectPr>"
        ),
        pw = PAGE_W,
        ph = PAGE_H,
        top = MARGIN_TOP,
        right = MARGIN_RIGHT,
        bottom = MARGIN_BOTTOM,
        left = MARGIN_LEFT,
        footer = footer_distance(),
        pitch = LINE_PITCH,
    );
    s.push_str("</w:body></w:document>");
}

/// The width of title text in twips: Chinese characters a full size, Latin
/// letters and figures half, all set [`CHAR_SPACING`] closer.
fn title_width(text: &str) -> i32 {
    let full = (TITLE_SIZE * 10) as i32;
    text.chars()
        .map(|c| if c.is_ascii() { full / 2 } else { full } + CHAR_SPACING)
        .sum()
}

/// Where a title too long for one line is best broken: the width of its
/// first line, in twips — the agency and year, when the rest
/// (政府信息公开工作年度报告) is no longer; else up to 工作年度报告. None when the
/// title fits one line, or no such line fits.
fn title_first_line(report: &Report) -> Option<i32> {
    let title = layout::title(report);
    let line = TEXT_W as i32;
    if title_width(&title) <= line {
        return None;
    }
    let suffix = report.template().title_suffix;
    let head = title.strip_suffix(suffix)?;
    let (head_w, suffix_w) = (title_width(head), title_width(suffix));
    if head_w >= suffix_w && head_w <= line {
        return Some(head_w);
    }
    let tail = "工作年度报告";
    let first = title.strip_suffix(tail)?;
    let first_w = title_width(first);
    (first_w <= line && first_w >= title_width(tail)).then_some(first_w)
}

/// The title, narrowed (indented equally on both sides) so that a long
/// title breaks where its words allow; half a character of room keeps the
/// first line from breaking early.
fn title_paragraph(s: &mut String, report: &Report) {
    let title = layout::title(report);
    s.push_str("<w:p><w:pPr><w:pStyle w:val=\"Title\"/>");
    if let Some(first) = title_first_line(report) {
        let room = first + (TITLE_SIZE * 10) as i32 / 2;
        let side = ((TEXT_W as i32 - room) / 2).max(0);
        let _ = write!(
            s,
            "<w:ind w:left=\"{side}\" w:right=\"{side}\" w:firstLineChars=\"0\" w:firstLine=\"0\"/>"
        );
    }
    s.push_str("</w:pPr>");
    write_run(s, &Run::plain(&title), None);
    s.push_str("</w:p>");
}

/// A run of text, in the paragraph's font or in another East Asian font.
pub(crate) struct Run<'a> {
    text: &'a str,
    east_asia: Option<&'static str>,
}

impl<'a> Run<'a> {
    pub(crate) fn plain(text: &'a str) -> Run<'a> {
        Run {
            text,
            east_asia: None,
        }
    }
}

fn paragraph(s: &mut String, style: &str, runs: &[Run<'_>]) {
    paragraph_with(s, style, "", runs);
}

/// A paragraph of a style, with more paragraph properties after the style
/// (`w:keepNext`, `w:ind`, `w:jc` …, in the schema's order).
pub(crate) fn paragraph_with(s: &mut String, style: &str, properties: &str, runs: &[Run<'_>]) {
    let _ = write!(
        s,
        "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/>{properties}</w:pPr>"
    );
    for run in runs {
        write_run(s, run, None);
    }
    s.push_str("</w:p>");
}

fn write_run(s: &mut String, run: &Run<'_>, size_half_points: Option<u32>) {
    if run.text.is_empty() {
        return;
    }
    s.push_str("<w:r>");
    if run.east_asia.is_some() || size_half_points.is_some() {
        s.push_str("<w:rPr>");
        if let Some(font) = run.east_asia {
            s.push_str(&fonts(font, LATIN));
        }
        if let Some(sz) = size_half_points {
            s.push_str(&size(sz));
        }
        s.push_str("</w:rPr>");
    }
    // Tabs are elements of their own; the rest is escaped text.
    for (i, piece) in run.text.split('\t').enumerate() {
        if i > 0 {
            s.push_str("<w:tab/>");
        }
        if !piece.is_empty() {
            let _ = write!(s, "<w:t xml:space=\"preserve\">{}</w:t>", escape(piece));
        }
    }
    s.push_str("</w:r>");
}

/// A paragraph of a section's text. One opening with a second-level number
/// (（一） …) is set in 楷体: whole, when it is a short heading without a full
/// stop, else its first sentence, up to and with the first "。".
fn body_paragraph(s: &mut String, text: &str) {
    let Some(number_len) = second_level_number(text) else {
        paragraph(s, "Normal", &[Run::plain(text)]);
        return;
    };
    match text.find('。') {
        None if text.chars().count() <= 40 => {
            paragraph(s, "Heading2", &[Run::plain(text)]);
        }
        Some(stop) if text[..stop].chars().count() <= 40 && stop > number_len => {
            let end = stop + '。'.len_utf8();
            paragraph(
                s,
                "Normal",
                &[
                    Run {
                        text: &text[..end],
                        east_asia: Some(KAITI),
                    },
                    Run::plain(&text[end..]),
                ],
            );
        }
        _ => paragraph(s, "Normal", &[Run::plain(text)]),
    }
}

/// The length in bytes of a second-level number "（一）" … "（十二）" opening
/// the text, if it opens with one.
pub(crate) fn second_level_number(text: &str) -> Option<usize> {
    let rest = text.strip_prefix('（')?;
    let close = rest.find('）')?;
    let numeral = &rest[..close];
    let is_numeral = !numeral.is_empty()
        && numeral.chars().count() <= 3
        && numeral.chars().all(|c| "一二三四五六七八九十".contains(c));
    is_numeral.then(|| '（'.len_utf8() + close + '）'.len_utf8())
}

// ---------------------------------------------------------------------------
// Tables.

/// The widths of a table's grid columns, in twips, filling the text width.
/// Table 3 keeps the template's proportions for its label columns (note,
/// group, item) with its value columns a little wider, so that five-digit
/// numbers fit; tables 2 and 4 have equal columns, as in the template.
pub(crate) fn column_widths(table: &Drawn) -> Vec<u32> {
    let weights: Vec<u32> = match table.key {
        TableKey::T3 => {
            let labels = table
                .rows
                .first()
                .and_then(|r| r.slots.first())
                .map_or(1, |s| s.cols)
                .min(table.width);
            let label_weights: &[u32] = match labels {
                3 => &[754, 921, 3000],
                2 => &[754, 3921],
                _ => &[4675],
            };
            let mut w: Vec<u32> = label_weights.iter().copied().take(labels).collect();
            w.resize(table.width, 724);
            w
        }
        _ => vec![1; table.width],
    };
    let total: u32 = weights.iter().sum::<u32>().max(1);
    let mut widths: Vec<u32> = weights.iter().map(|w| w * TEXT_W / total).collect();
    // Give the rounding's leftovers to the widest column.
    let used: u32 = widths.iter().sum();
    if let Some(widest) = widths.iter_mut().max() {
        *widest += TEXT_W - used;
    }
    widths
}

pub(crate) fn table_size(key: TableKey) -> u32 {
    match key {
        TableKey::T2 => TABLE_SIZE_LARGE,
        TableKey::T3 | TableKey::T4 => TABLE_SIZE_SMALL,
    }
}

fn write_table(s: &mut String, report: &Report, table: &Drawn) {
    let widths = column_widths(table);
    let sz = table_size(table.key);
    let border = |side: &str| {
        format!("<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>")
    };
    let _ = write!(
        s,
        "<w:tbl><w:tblPr><w:tblW w:w=\"{TEXT_W}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/><w:tblBorders>{}{}{}{}{}{}</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"{CELL_MARGIN}\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"{CELL_MARGIN}\" w:type=\"dxa\"/></w:tblCellMar><w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"1\" w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/></w:tblPr>",
        border("top"),
        border("left"),
        border("bottom"),
        border("right"),
        border("insideH"),
        border("insideV"),
    );
    s.push_str("<w:tblGrid>");
    for w in &widths {
        let _ = write!(s, "<w:gridCol w:w=\"{w}\"/>");
    }
    s.push_str("</w:tblGrid>");
    let grid = table.expand();
    let origins = table.origins();
    // The header rows on top of the table repeat on every page.
    let head = table
        .rows
        .iter()
        .take_while(|r| r.kind == RowKind::Head)
        .count();
    for (r, row) in table.rows.iter().enumerate() {
        s.push_str("<w:tr><w:trPr><w:cantSplit/>");
        let _ = write!(
            s,
            "<w:trHeight w:val=\"{}\"/>",
            if row.kind == RowKind::Body { 397 } else { 340 }
        );
        if r < head {
            s.push_str("<w:tblHeader/>");
        }
        s.push_str("<w:jc w:val=\"center\"/></w:trPr>");
        // Rows are kept on the page of the next one: header rows (so that a
        // header never ends a page), the rows of table 2's sub-tables (a
        // clause, its header, its items), and the rows of a small group of
        // table 3 (（三）不予公开 …), so that its label is not cut in two.
        let keep_next = r + 1 < table.rows.len()
            && (row.kind != RowKind::Body
                || (table.key == TableKey::T2 && table.rows[r + 1].kind != RowKind::Clause)
                || (0..table.width).any(|c| {
                    origins[r][c].is_some_and(|(r0, c0)| {
                        origins[r + 1][c] == Some((r0, c0))
                            && grid[r0][c0].is_some_and(|s| s.rows <= KEPT_GROUP_ROWS)
                    })
                }));
        let cell = CellStyle {
            key: table.key,
            kind: row.kind,
            size: sz,
            keep_next,
        };
        let mut c = 0;
        while c < table.width {
            match origins[r][c] {
                Some((r0, c0)) if c0 == c => {
                    let slot = grid[r0][c0].unwrap_or(Slot {
                        content: Content::Empty,
                        rows: 1,
                        cols: 1,
                    });
                    let cols = slot.cols.clamp(1, table.width - c);
                    let width: u32 = widths[c..c + cols].iter().sum();
                    let merge = if r0 < r {
                        Merge::Continue
                    } else if slot.rows > 1 {
                        Merge::Restart
                    } else {
                        Merge::None
                    };
                    write_cell(s, report, &cell, &slot, width, cols, merge);
                    c += cols;
                }
                _ => {
                    let empty = Slot {
                        content: Content::Empty,
                        rows: 1,
                        cols: 1,
                    };
                    write_cell(s, report, &cell, &empty, widths[c], 1, Merge::None);
                    c += 1;
                }
            }
        }
        s.push_str("</w:tr>");
    }
    s.push_str("</w:tbl>");
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Merge {
    None,
    Restart,
    Continue,
}

/// What the cells of a row share.
struct CellStyle {
    key: TableKey,
    kind: RowKind,
    /// The text size, in half-points.
    size: u32,
    /// Keep the row on the page of the next one.
    keep_next: bool,
}

fn write_cell(
    s: &mut String,
    report: &Report,
    style: &CellStyle,
    slot: &Slot,
    width: u32,
    cols: usize,
    merge: Merge,
) {
    let keep = if style.keep_next { "<w:keepNext/>" } else { "" };
    let _ = write!(s, "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>");
    if cols > 1 {
        let _ = write!(s, "<w:gridSpan w:val=\"{cols}\"/>");
    }
    match merge {
        Merge::None => {}
        Merge::Restart => s.push_str("<w:vMerge w:val=\"restart\"/>"),
        Merge::Continue => s.push_str("<w:vMerge/>"),
    }
    s.push_str("<w:vAlign w:val=\"center\"/></w:tcPr>");
    if merge == Merge::Continue {
        let _ = write!(
            s,
            "<w:p><w:pPr><w:pStyle w:val=\"TableText\"/>{keep}</w:pPr></w:p></w:tc>"
        );
        return;
    }
    let (text, align) = match slot.content {
        Content::Label(label) => {
            // Row labels of table 3 read left to right; group labels and
            // column labels are centred.
            let left = style.key == TableKey::T3 && style.kind == RowKind::Body && slot.rows == 1;
            (label.to_string(), if left { "left" } else { "center" })
        }
        Content::Note(note) => (note.to_string(), "left"),
        Content::Value(i) => (layout::value_text(report, i), "center"),
        Content::Empty => (String::new(), "center"),
    };
    let _ = write!(
        s,
        "<w:p><w:pPr><w:pStyle w:val=\"TableText\"/>{keep}<w:jc w:val=\"{align}\"/></w:pPr>"
    );
    write_run(s, &Run::plain(&text), Some(style.size));
    s.push_str("</w:p></w:tc>");
}

/// Escapes text for XML content and attribute values, leaving out the
/// characters XML 1.0 does not allow.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::full_report;
    use gongkai_template::Edition;
    use std::io::Read;

    fn part(docx: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn geometry_follows_the_standard() {
        assert_eq!((MARGIN_TOP, MARGIN_BOTTOM), (2098, 1985));
        assert_eq!((MARGIN_LEFT, MARGIN_RIGHT), (1588, 1474));
        // 156 mm × 225 mm.
        assert_eq!(TEXT_W, 8844);
        assert_eq!(TEXT_H, 12755);
        assert_eq!(LINE_PITCH, 579);
        // 28 characters fit the line, 29 do not.
        assert_eq!(CHAR_SPACING, -5);
        let pitch = BODY_SIZE as i32 * 10 + CHAR_SPACING;
        assert!(28 * pitch <= TEXT_W as i32);
        assert!(29 * pitch > TEXT_W as i32);
        assert!(footer_distance() > 1000 && footer_distance() < MARGIN_BOTTOM);
    }

    #[test]
    fn the_package_has_every_part() {
        let docx = write_docx(&full_report(Edition::V2021));
        let zip = zip::ZipArchive::new(Cursor::new(&docx[..])).unwrap();
        let mut names: Vec<&str> = zip.file_names().collect();
        names.sort_unstable();
        assert_eq!(
            names,
            vec![
                "[Content_Types].xml",
                "_rels/.rels",
                "docProps/app.xml",
                "docProps/core.xml",
                "word/_rels/document.xml.rels",
                "word/document.xml",
                "word/fontTable.xml",
                "word/footer1.xml",
                "word/footer2.xml",
                "word/settings.xml",
                "word/styles.xml",
            ]
        );
        let settings = part(&docx, "word/settings.xml");
        assert!(settings.contains("<w:evenAndOddHeaders/>"));
        let fonts = part(&docx, "word/fontTable.xml");
        for (font, alt) in [
            ("仿宋_GB2312", "仿宋"),
            ("方正小标宋简体", "宋体"),
            ("楷体_GB2312", "楷体"),
            ("黑体", "SimHei"),
        ] {
            assert!(
                fonts.contains(&format!(
                    "<w:font w:name=\"{font}\"><w:altName w:val=\"{alt}\"/>"
                )),
                "{font}"
            );
        }
        assert!(part(&docx, "word/footer1.xml").contains("<w:jc w:val=\"right\"/>"));
        assert!(part(&docx, "word/footer2.xml").contains("<w:jc w:val=\"left\"/>"));
        // The same report, the same bytes.
        assert_eq!(docx, write_docx(&full_report(Edition::V2021)));
    }

    #[test]
    fn tables_carry_their_merges_and_repeat_their_headers() {
        let docx = write_docx(&full_report(Edition::V2021));
        let doc = part(&docx, "word/document.xml");
        let tables: Vec<&str> = doc.split("<w:tbl>").skip(1).collect();
        assert_eq!(tables.len(), 3);
        let t3 = tables[1];
        // Three header rows repeat; the note spans three columns and rows.
        assert_eq!(t3.matches("<w:tblHeader/>").count(), 3);
        assert!(t3.contains("<w:gridSpan w:val=\"3\"/><w:vMerge w:val=\"restart\"/>"));
        assert_eq!(t3.matches("<w:gridCol ").count(), 10);
        // 三、本年度办理结果 spans 22 rows: one start, 21 continuations in
        // its column (and more for the groups and column headers).
        assert!(t3.matches("<w:vMerge/>").count() >= 21);
        let t4 = tables[2];
        assert!(t4.contains("<w:gridSpan w:val=\"10\"/>"));
        assert_eq!(t4.matches("<w:gridCol ").count(), 15);
        // Every grid is the text width.
        for t in &tables {
            let sum: u32 = t
                .split("<w:gridCol w:w=\"")
                .skip(1)
                .map(|x| x.split('"').next().unwrap().parse::<u32>().unwrap())
                .sum();
            assert_eq!(sum, TEXT_W);
        }
    }

    #[test]
    fn second_level_headings_are_set_in_kaiti() {
        let mut s = String::new();
        body_paragraph(&mut s, "（一）主动公开情况");
        assert!(s.contains("Heading2"), "{s}");
        let mut s = String::new();
        body_paragraph(&mut s, "（二）依申请公开。全年收到申请81件。");
        assert!(
            s.contains(&format!("w:eastAsia=\"{KAITI}\""))
                && s.contains("（二）依申请公开。</w:t>"),
            "{s}"
        );
        let mut s = String::new();
        body_paragraph(&mut s, "（注：本表不含……）");
        assert!(!s.contains(KAITI), "{s}");
        assert_eq!(second_level_number("（十二）x"), Some("（十二）".len()));
        assert_eq!(second_level_number("（1）x"), None);
    }

    /// Writes a report as DOCX and reads it back; describes the first
    /// difference in cells, agency or year, or an error or warning on
    /// reading back.
    fn round_trip(report: &Report) -> Result<(), String> {
        let year = report.year.unwrap_or(2025);
        let bytes = write_docx(report);
        let back = gongkai_read::read_report(&format!("sample-{year}.docx"), &bytes)
            .map_err(|e| format!("does not read back: {e}"))?;
        if back.edition != report.edition {
            return Err(format!(
                "edition {} read back as {}",
                report.edition, back.edition
            ));
        }
        for (address, cell) in report.present_cells() {
            if back.value(address) != Some(cell.value) {
                return Err(format!(
                    "{address}: wrote {:?}, read back {:?}",
                    cell.value,
                    back.value(address)
                ));
            }
        }
        for (address, cell) in back.present_cells() {
            if report.cell(address).is_none() {
                return Err(format!(
                    "{address}: not written, read back as {:?}",
                    cell.value
                ));
            }
        }
        let loud: Vec<_> = back
            .diagnostics
            .iter()
            .filter(|d| d.level != gongkai_report::Level::Info)
            .collect();
        if !loud.is_empty() {
            return Err(format!("errors or warnings on reading back: {loud:#?}"));
        }
        if back.agency != report.agency || back.year != report.year {
            return Err(format!(
                "agency/year {:?}/{:?} read back as {:?}/{:?}",
                report.agency, report.year, back.agency, back.year
            ));
        }
        Ok(())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 64,
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Consistent reports read back from DOCX to the same cells.
        #[test]
        fn consistent_reports_round_trip(seed in proptest::prelude::any::<u64>(), year in 2021i32..=2026) {
            let report = gongkai_report::sample::consistent_report(seed, year);
            if let Err(e) = round_trip(&report) {
                return Err(proptest::test_runner::TestCaseError::fail(format!(
                    "consistent_report({seed}, {year}): {e}"
                )));
            }
        }
    }

    #[test]
    fn fixed_reports_round_trip() {
        for seed in 0..8 {
            let report = gongkai_report::sample::consistent_report(seed, 2021 + seed as i32 % 5);
            round_trip(&report).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        }
        for e in Edition::ALL {
            let report = full_report(e);
            // The full reports' cells do not add up; only the cells are compared.
            let bytes = write_docx(&report);
            let back = gongkai_read::read_report("full.docx", &bytes).unwrap();
            for (address, cell) in report.present_cells() {
                assert_eq!(back.value(address), Some(cell.value), "{e} {address}");
            }
            assert_eq!(
                back.present_cells().count(),
                report.present_cells().count(),
                "{e}"
            );
            for key in gongkai_template::SectionKey::ALL {
                assert!(back.section(key).is_some(), "{e} {key:?}");
            }
        }
    }

    #[test]
    fn file_formats_cover_text_and_word() {
        use crate::{write, write_bytes, FileFormat, Format};
        assert_eq!(FileFormat::parse(" .DOCX "), Some(FileFormat::Docx));
        assert_eq!(FileFormat::parse("word"), Some(FileFormat::Docx));
        assert_eq!(
            FileFormat::parse("md"),
            Some(FileFormat::Text(Format::Markdown))
        );
        assert_eq!(FileFormat::parse(" .PDF"), Some(FileFormat::Pdf));
        let report = full_report(Edition::V2021);
        for format in FileFormat::ALL {
            assert_eq!(FileFormat::parse(format.name()), Some(format));
            let bytes = write_bytes(format, &report);
            match format {
                FileFormat::Text(f) => assert_eq!(bytes, write(f, &report).into_bytes()),
                FileFormat::Docx => {
                    assert!(bytes.starts_with(b"PK\x03\x04"));
                    assert_eq!(format.extension(), "docx");
                }
                FileFormat::Xlsx => {
                    assert!(bytes.starts_with(b"PK\x03\x04"));
                    assert_eq!(format.extension(), "xlsx");
                }
                FileFormat::Pdf => {
                    assert!(bytes.starts_with(b"%PDF-"));
                    assert_eq!(format.extension(), "pdf");
                }
            }
        }
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a<b>&\"c\u{1}"), "a&lt;b&gt;&amp;&quot;c");
    }
}
