//! Word documents (.docx): the body of `word/document.xml`.
//!
//! A .docx file is a ZIP archive of XML parts. The main part is found through
//! `_rels/.rels` (usually `word/document.xml`); `word/styles.xml`, when
//! present, tells which paragraph styles are headings. Headers, footers,
//! footnotes and comments live in parts of their own and are not read.
//!
//! * **Paragraphs** (`w:p`): the text of their runs (`w:r/w:t`), with `w:tab`
//!   as a tab, `w:br` and `w:cr` as a line break, `w:noBreakHyphen` as '-',
//!   and `w:sym` as its character (a code in the symbol fonts' private range
//!   F020–F0FF is given as the plain character it stands for only for the
//!   Symbol font, otherwise kept as it is). Text in `w:hyperlink`,
//!   `w:smartTag`, `w:sdt` (content controls), `w:fldSimple`, `w:customXml`
//!   and inserted text (`w:ins`, `w:moveTo`) is read; deleted text (`w:del`,
//!   `w:moveFrom`, `w:delText`), field codes (`w:instrText`), ruby text
//!   (`w:rt`) and hidden runs (`w:vanish`) are not. Of `mc:AlternateContent`
//!   only the first `mc:Choice` is read (the `mc:Fallback` repeats it).
//! * **Headings**: a paragraph whose style (or a style it is based on) is
//!   named or identified as "Heading N" / "标题 N" (level N, at most 6), or
//!   "Title" / "标题" (level 1), or that has an outline level
//!   (`w:outlineLvl` 0–8, level = value + 1, at most 6; 9 is body text),
//!   directly or through its style.
//! * **Tables** (`w:tbl/w:tr/w:tc`): `w:gridSpan` is the column span,
//!   `w:vMerge` restart/continue becomes the row span of the restarting cell
//!   (a continuing cell is not a cell of its own), `w:gridBefore` becomes an
//!   empty cell. The paragraphs of a cell are joined by line breaks. A table
//!   inside a cell is flattened into the cell's text, one line per row, cells
//!   separated by tabs — except when the outer table has a single cell (a
//!   frame drawn around content): then the frame is unwrapped and its
//!   paragraphs and tables become blocks of their own.
//! * **Text boxes** (`w:txbxContent`): their paragraphs follow the paragraph
//!   that anchors them, as paragraphs (in a table cell, as lines of the cell).
//!
//! **Positions.** A .docx has no lines. The position of a block is its
//! ordinal in the body, 1-based: every paragraph directly in the body (empty
//! ones included, as Word counts them) and every row of a table in the body
//! counts one. A heading or paragraph is at (its ordinal, 1); a table cell is
//! at (its row's ordinal, 1); paragraphs of text boxes and everything inside
//! nested tables take the ordinal of what anchors them. Line breaks inside a
//! paragraph do not count.
//!
//! **Limits.** The archive may hold at most [`MAX_ENTRIES`] entries, and the
//! parts read may unpack to at most [`MAX_UNZIPPED`] bytes together (the size
//! a part declares is checked first, then the bytes really unpacked). XML
//! elements may nest at most [`MAX_DEPTH`] deep. Spans are capped at
//! [`MAX_SPAN`] and tables bounded like the HTML reader's. Past any limit, or
//! on a broken archive or malformed XML, the reader returns a [`ReadError`]
//! saying, in Chinese, what it expected. Old binary Word files (.doc) and
//! other Office files (.xlsx, .pptx) are recognised and refused with a
//! message saying what to do.

use crate::doc::{Block, Document, Pos, ReadError, ReadNote, Table, TableCell};
use crate::zipped::Budget;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;

/// Most bytes the parts read may unpack to, together.
pub const MAX_UNZIPPED: u64 = 200 * 1024 * 1024;
/// Most entries the archive may hold.
pub const MAX_ENTRIES: usize = 10_000;
/// Deepest XML element nesting read.
pub const MAX_DEPTH: usize = 512;
/// Largest column or row span honoured; larger ones are capped, with a note.
pub const MAX_SPAN: u32 = 1000;

/// The namespace of WordprocessingML (transitional and strict).
const NS_MAIN: &[u8] = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const NS_MAIN_STRICT: &[u8] = b"http://purl.oclc.org/ooxml/wordprocessingml/main";
/// Markup compatibility (`mc:AlternateContent`).
const NS_MC: &[u8] = b"http://schemas.openxmlformats.org/markup-compatibility/2006";

const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Whether the bytes look like a Word document: a ZIP archive naming a
/// `word/document` part. Only the start and the end of the file (where the
/// archive's directory is) are searched.
pub fn looks_like_docx(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_MAGIC) && zip_names_contain(bytes, b"word/document")
}

/// Searches the first 64 KiB and the last 1 MiB of a ZIP file (local headers
/// of the first entries, and the central directory) for a name.
pub(crate) fn zip_names_contain(bytes: &[u8], needle: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let tail = &bytes[bytes.len().saturating_sub(1024 * 1024)..];
    find(head, needle).is_some() || find(tail, needle).is_some()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    let first = needle[0];
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        match hay[i..=hay.len() - needle.len()]
            .iter()
            .position(|&b| b == first)
        {
            None => return None,
            Some(k) => {
                i += k;
                if &hay[i..i + needle.len()] == needle {
                    return Some(i);
                }
                i += 1;
            }
        }
    }
    None
}

/// For a file that is an Office file but neither a Word document nor an
/// Excel workbook (.doc, .xls, .pptx, an encrypted document …), the error
/// saying so; None for
/// anything else. Readers of text formats call this first, so that such a
/// file is named for what it is.
pub fn refuse_other_office(bytes: &[u8]) -> Option<ReadError> {
    if bytes.starts_with(OLE_MAGIC) {
        return Some(refuse_ole(bytes));
    }
    if bytes.starts_with(ZIP_MAGIC)
        && !looks_like_docx(bytes)
        && !crate::xlsx::looks_like_xlsx(bytes)
    {
        return Some(refuse_zip(bytes));
    }
    None
}

fn error(message: impl Into<String>) -> ReadError {
    ReadError {
        message: message.into(),
        pos: None,
    }
}

/// An OLE compound file: old Word (.doc), Excel (.xls), PowerPoint (.ppt),
/// or an encrypted Office document. Its directory names its streams in
/// UTF-16, which tells them apart.
fn refuse_ole(bytes: &[u8]) -> ReadError {
    let has = |name: &str| {
        let utf16: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        find(bytes, &utf16).is_some()
    };
    if has("EncryptedPackage") {
        error("这是设置了打开密码的加密 Office 文档，无法读取；请在 Word 或 WPS 中取消密码，另存为 .docx 后再读取")
    } else if has("WordDocument") {
        error("这是旧版 Word 文件（.doc，二进制格式），无法直接读取；请用 Word 或 WPS 打开，另存为 .docx（Word 文档）后再读取")
    } else if has("Workbook") || has("Book") {
        error("这是旧版 Excel 工作簿（.xls），暂不支持读取；请用 Excel 或 WPS 打开，另存为 .xlsx（Excel 工作簿）后再读取")
    } else if has("PowerPoint Document") {
        error("这是旧版 PowerPoint 演示文稿（.ppt），不支持读取；请把报告另存为 .docx、HTML 或纯文本后再读取")
    } else {
        error("这是旧版 Office 二进制文件（.doc、.xls 等），无法直接读取；请用 Word 或 WPS 打开，另存为 .docx 后再读取")
    }
}

/// A ZIP archive that is not a Word document.
fn refuse_zip(bytes: &[u8]) -> ReadError {
    if zip_names_contain(bytes, b"xl/workbook") {
        error("这是 Excel 工作簿（.xlsx），不是 Word 文档；请以 .xlsx 为扩展名读取")
    } else if zip_names_contain(bytes, b"ppt/presentation") {
        error("这是 PowerPoint 演示文稿（.pptx），不支持读取；请把报告另存为 .docx、HTML 或纯文本后再读取")
    } else if zip_names_contain(bytes, b"content.xml") && zip_names_contain(bytes, b"mimetype") {
        error("这是 OpenDocument 文件（.odt 等），暂不支持读取；请另存为 .docx 后再读取")
    } else {
        error("这是 ZIP 压缩文件，其中没有 Word 文档正文（word/document.xml），不是 .docx 文件；期望 Word 文档（.docx）")
    }
}

/// Reads a Word document.
pub fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    read_limited(bytes, MAX_UNZIPPED)
}

/// Reads a Word document, unpacking at most `max_unzipped` bytes.
fn read_limited(bytes: &[u8], max_unzipped: u64) -> Result<Document, ReadError> {
    if bytes.starts_with(OLE_MAGIC) {
        return Err(refuse_ole(bytes));
    }
    if !bytes.starts_with(ZIP_MAGIC) {
        if bytes.starts_with(b"PK") {
            return Err(error(
                "不是有效的 .docx 文件：ZIP 文件头不完整；期望 Word 文档（.docx，ZIP 压缩格式）",
            ));
        }
        return Err(error(
            "不是有效的 .docx 文件：文件开头不是 ZIP 格式（.docx 是 ZIP 压缩包，应以“PK”开头）；期望 Word 文档（.docx）",
        ));
    }
    if let Some(n) = declared_entries(bytes) {
        if n > MAX_ENTRIES as u64 {
            return Err(error(format!(
                "ZIP 目录声明有 {n} 个条目，超过上限 {MAX_ENTRIES}，不像是 Word 文档；期望 Word 文档（.docx）"
            )));
        }
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| zip_error(&e, None))?;
    if archive.len() > MAX_ENTRIES {
        return Err(error(format!(
            "ZIP 中有 {} 个条目，超过上限 {MAX_ENTRIES}，不像是 Word 文档；期望 Word 文档（.docx）",
            archive.len()
        )));
    }
    let mut budget = Budget::new(max_unzipped, "Word 文档", ".docx");
    let mut notes = Vec::new();

    let main = main_part_name(&mut archive, &mut budget);
    let Some(main) = main else {
        if zip_names_contain(bytes, b"xl/workbook") || zip_names_contain(bytes, b"ppt/") {
            return Err(refuse_zip(bytes));
        }
        return Err(error(
            "ZIP 中没有 word/document.xml：这不是 Word 文档（.docx），或文件已损坏；期望 Word 文档（.docx）",
        ));
    };
    let xml = read_entry(&mut archive, &main, &mut budget)?;
    let dir = main.rsplit_once('/').map_or("", |(d, _)| d);
    let styles_name = if dir.is_empty() {
        "styles.xml".to_string()
    } else {
        format!("{dir}/styles.xml")
    };
    let styles = match find_entry(&archive, &styles_name) {
        Some(name) => match read_entry(&mut archive, &name, &mut budget) {
            Ok(bytes) => match parse_styles(&bytes) {
                Ok(s) => s,
                Err(_) => {
                    notes.push(ReadNote {
                        message: format!("{name} 不是格式正确的 XML，未按样式识别标题"),
                        pos: Pos::new(1, 1),
                    });
                    Styles::default()
                }
            },
            Err(e) => return Err(e),
        },
        None => Styles::default(),
    };
    let text = xml_text(&xml, &main, &mut notes)?;
    let mut doc = parse_document(&text, &main, &styles)?;
    notes.append(&mut doc.notes);
    doc.notes = notes;
    Ok(doc)
}

/// Reads the main part of a Word document on its own (the XML of
/// `word/document.xml`, without the archive around it and without styles:
/// headings are known only by their outline level or a style id such as
/// "Heading1"). For tests and fuzzing of the XML reading.
pub fn read_main_part(xml: &[u8]) -> Result<Document, ReadError> {
    let part = "word/document.xml";
    let mut notes = Vec::new();
    let text = xml_text(xml, part, &mut notes)?;
    let mut doc = parse_document(&text, part, &Styles::default())?;
    notes.append(&mut doc.notes);
    doc.notes = notes;
    Ok(doc)
}

/// The number of entries the end-of-central-directory record declares
/// (the ZIP64 record's when there is one), if it can be found.
fn declared_entries(bytes: &[u8]) -> Option<u64> {
    const EOCD: &[u8] = b"PK\x05\x06";
    let from = bytes.len().saturating_sub(22 + 65_535);
    let tail = &bytes[from..];
    let at = (0..tail.len().saturating_sub(21))
        .rev()
        .find(|&i| &tail[i..i + 4] == EOCD)?;
    let rec = &tail[at..];
    let n = u16::from_le_bytes([rec[10], rec[11]]) as u64;
    if n != 0xFFFF {
        return Some(n);
    }
    // ZIP64: a locator 20 bytes before, pointing at the ZIP64 record.
    let abs = from + at;
    let loc = bytes.get(abs.checked_sub(20)?..abs)?;
    if &loc[..4] != b"PK\x06\x07" {
        return Some(n);
    }
    let off = u64::from_le_bytes(loc[8..16].try_into().ok()?) as usize;
    let rec64 = bytes.get(off..off.checked_add(56)?)?;
    if &rec64[..4] != b"PK\x06\x06" {
        return Some(n);
    }
    Some(u64::from_le_bytes(rec64[32..40].try_into().ok()?))
}

type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// The archive's name for `wanted`, compared without regard to case or to
/// the kind of slash.
fn find_entry(archive: &Archive<'_>, wanted: &str) -> Option<String> {
    let norm = |s: &str| s.trim_start_matches('/').replace('\\', "/");
    let wanted = norm(wanted);
    archive
        .file_names()
        .find(|n| norm(n).eq_ignore_ascii_case(&wanted))
        .map(str::to_string)
}

/// The main document part: the target of the officeDocument relationship
/// in `_rels/.rels`, else `word/document.xml`; None when the archive has
/// neither.
fn main_part_name(archive: &mut Archive<'_>, budget: &mut Budget) -> Option<String> {
    if let Some(rels) = find_entry(archive, "_rels/.rels") {
        if let Ok(bytes) = read_entry(archive, &rels, budget) {
            if let Some(target) = office_document_target(&bytes) {
                if let Some(name) = find_entry(archive, &target) {
                    return Some(name);
                }
            }
        }
    }
    find_entry(archive, "word/document.xml")
}

fn office_document_target(rels: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(rels.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(rels)).ok()?;
    let mut reader = Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                if e.local_name().as_ref() != b"Relationship" {
                    continue;
                }
                let ty = attr(&e, b"Type")?;
                if ty.ends_with("/officeDocument") {
                    let target = attr(&e, b"Target")?;
                    return Some(target.trim_start_matches('/').to_string());
                }
            }
            Ok(Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
}

/// Unpacks one entry within the remaining budget.
fn read_entry(
    archive: &mut Archive<'_>,
    name: &str,
    budget: &mut Budget,
) -> Result<Vec<u8>, ReadError> {
    let mut file = archive
        .by_name(name)
        .map_err(|e| zip_error(&e, Some(name)))?;
    let declared = file.size();
    let mut out = Vec::with_capacity(declared.min(16 * 1024 * 1024) as usize);
    budget.unpack(&mut file, name, declared, &mut out)?;
    Ok(out)
}

fn zip_error(e: &zip::result::ZipError, name: Option<&str>) -> ReadError {
    use zip::result::ZipError;
    let what = name.map_or("文件".to_string(), |n| format!("ZIP 中的 {n}"));
    match e {
        ZipError::UnsupportedArchive(m) if m.contains("assword") || m.contains("ncrypt") => error(
            format!("{what}设置了密码（已加密），无法读取；请取消密码后另存为 .docx 再读取"),
        ),
        ZipError::UnsupportedArchive(_) => error(format!(
            "{what}使用了不支持的 ZIP 格式（压缩方式或分卷）；期望 Word 保存的 .docx 文件"
        )),
        ZipError::FileNotFound => error(format!(
            "ZIP 中没有 {}；期望 Word 文档（.docx）",
            name.unwrap_or("所需的部件")
        )),
        _ if name.is_none() => {
            error("不是有效的 .docx 文件：ZIP 结构损坏或文件被截断；期望完整的 Word 文档（.docx）")
        }
        _ => error(format!(
            "{what}无法解压：数据已损坏或被截断；期望完整的 Word 文档（.docx）"
        )),
    }
}

/// The text of an XML part: UTF-8 (BOM dropped), or UTF-16 with a BOM.
/// Bytes that are not valid UTF-8 are replaced, with a note.
fn xml_text(bytes: &[u8], name: &str, notes: &mut Vec<ReadNote>) -> Result<String, ReadError> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (enc, skip) =
            encoding_rs::Encoding::for_bom(bytes).unwrap_or((encoding_rs::UTF_16LE, 2));
        let (text, _, bad) = enc.decode(&bytes[skip..]);
        if bad {
            notes.push(ReadNote {
                message: format!("{name} 中有无法识别的 UTF-16 字符，已替换为“\u{FFFD}”"),
                pos: Pos::new(1, 1),
            });
        }
        return Ok(text.into_owned());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(_) => {
            notes.push(ReadNote {
                message: format!("{name} 中有不是 UTF-8 的字节，已替换为“\u{FFFD}”"),
                pos: Pos::new(1, 1),
            });
            Ok(String::from_utf8_lossy(bytes).into_owned())
        }
    }
}

/// The value of an attribute, by local name (any prefix).
fn attr(e: &BytesStart<'_>, local: &[u8]) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| {
            // Decoded by hand: the parts are UTF-8 text already, and the
            // reader's own decoding methods depend on quick-xml's features.
            let raw = String::from_utf8_lossy(&a.value);
            match quick_xml::escape::unescape(&raw) {
                Ok(v) => v.into_owned(),
                Err(_) => raw.into_owned(),
            }
        })
}

/// An XML error in Chinese, with where it happened.
fn xml_error(e: &quick_xml::Error, part: &str, at: u64, ordinal: u32) -> ReadError {
    use quick_xml::errors::{IllFormedError, SyntaxError};
    let what = match e {
        quick_xml::Error::Syntax(s) => match s {
            SyntaxError::InvalidBangMarkup => "无法识别的 <! 标记".to_string(),
            SyntaxError::UnclosedPIOrXmlDecl => "处理指令或 XML 声明没有以 ?> 结束".to_string(),
            SyntaxError::UnclosedComment => "注释没有以 --> 结束".to_string(),
            SyntaxError::UnclosedDoctype => "DOCTYPE 没有结束".to_string(),
            SyntaxError::UnclosedCData => "CDATA 段没有以 ]]> 结束".to_string(),
            SyntaxError::UnclosedTag => "标签没有以 > 结束（文件可能被截断）".to_string(),
        },
        quick_xml::Error::IllFormed(f) => match f {
            IllFormedError::MissingEndTag(n) => {
                format!("元素 <{n}> 没有结束标签（文件可能被截断）")
            }
            IllFormedError::UnmatchedEndTag(n) => format!("多余的结束标签 </{n}>"),
            IllFormedError::MismatchedEndTag { expected, found } => {
                format!("结束标签 </{found}> 与开始标签 <{expected}> 不匹配")
            }
            _ => "XML 声明或 DOCTYPE 不完整".to_string(),
        },
        quick_xml::Error::InvalidAttr(_) => "属性写法错误".to_string(),
        quick_xml::Error::Escape(_) => "无法识别的字符引用".to_string(),
        quick_xml::Error::Encoding(_) => "字符编码错误".to_string(),
        quick_xml::Error::Namespace(_) => "命名空间错误".to_string(),
        quick_xml::Error::Io(_) => "读取错误".to_string(),
    };
    ReadError {
        message: format!(
            "{part} 不是格式正确的 XML：{what}（在第 {at} 字节处，正文第 {} 段附近）；期望 Word 文档正文的 XML",
            ordinal.max(1)
        ),
        pos: None,
    }
}

// ---------------------------------------------------------------------------
// Styles

#[derive(Debug, Default)]
struct StyleDef {
    name: Option<String>,
    based_on: Option<String>,
    outline: Option<u8>,
}

/// The paragraph styles of a document, by id.
#[derive(Debug, Default)]
struct Styles {
    defs: HashMap<String, StyleDef>,
}

impl Styles {
    /// The heading level a style gives its paragraphs: Some(Some(n)) for a
    /// heading, Some(None) when it says "body text" (outline level 9), None
    /// when it says nothing.
    fn level(&self, id: &str) -> Option<Option<u8>> {
        let mut id = id;
        for _ in 0..16 {
            if let Some(n) = heading_name_level(id) {
                return Some(Some(n));
            }
            let def = self.defs.get(id)?;
            if let Some(n) = def.name.as_deref().and_then(heading_name_level) {
                return Some(Some(n));
            }
            if let Some(o) = def.outline {
                return Some(outline_level(o));
            }
            id = def.based_on.as_deref()?;
        }
        None
    }
}

/// The level a style name or id says: "heading 2", "Heading2", "标题 2" → 2;
/// "Title", "标题" → 1.
fn heading_name_level(name: &str) -> Option<u8> {
    let n: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    if n == "title" || n == "标题" {
        return Some(1);
    }
    let digits = n
        .strip_prefix("heading")
        .or_else(|| n.strip_prefix("标题"))?;
    let level: u8 = digits.parse().ok()?;
    (1..=9).contains(&level).then_some(level.min(6))
}

/// Outline level 0–8 is heading level 1–9 (at most 6); 9 is body text.
fn outline_level(o: u8) -> Option<u8> {
    (o <= 8).then(|| (o + 1).min(6))
}

fn parse_styles(bytes: &[u8]) -> Result<Styles, ()> {
    let mut notes = Vec::new();
    let text = xml_text(bytes, "styles.xml", &mut notes).map_err(|_| ())?;
    let mut reader = Reader::from_str(&text);
    let mut styles = Styles::default();
    let mut current: Option<(String, StyleDef)> = None;
    let mut depth = 0usize;
    loop {
        let ev = reader.read_event().map_err(|_| ())?;
        let (e, empty) = match &ev {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 1 {
                    if let Some((id, def)) = current.take() {
                        styles.defs.insert(id, def);
                    }
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        if !empty {
            depth += 1;
            if depth > MAX_DEPTH {
                return Err(());
            }
        }
        let level = if empty { depth + 1 } else { depth };
        match e.local_name().as_ref() {
            b"style" if level == 2 => {
                let id = attr(e, b"styleId").unwrap_or_default();
                if empty {
                    styles.defs.insert(id, StyleDef::default());
                } else {
                    current = Some((id, StyleDef::default()));
                }
            }
            b"name" => {
                if let Some((_, def)) = current.as_mut() {
                    def.name = attr(e, b"val");
                }
            }
            b"basedOn" => {
                if let Some((_, def)) = current.as_mut() {
                    def.based_on = attr(e, b"val");
                }
            }
            b"outlineLvl" => {
                if let Some((_, def)) = current.as_mut() {
                    def.outline = attr(e, b"val").and_then(|v| v.trim().parse().ok());
                }
            }
            _ => {}
        }
    }
    Ok(styles)
}

// ---------------------------------------------------------------------------
// The body

/// The elements the reader acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Body,
    P,
    PPr,
    PStyle,
    OutlineLvl,
    R,
    RPr,
    Vanish,
    T,
    Tab,
    Br,
    Cr,
    Sym,
    NoBreakHyphen,
    Tbl,
    Tr,
    TrPr,
    GridBefore,
    Tc,
    TcPr,
    GridSpan,
    VMerge,
    TxbxContent,
    /// Content that is not read: w:del, w:moveFrom, w:rt, mc:Fallback …
    Skipped,
    AlternateContent,
    Choice,
    Fallback,
    Ins,
    Del,
    Other,
}

/// Which prefixes name WordprocessingML and markup compatibility, from the
/// declarations on the root element.
struct Names {
    w: Vec<u8>,
    mc: Vec<u8>,
}

impl Names {
    fn from_root(e: &BytesStart<'_>) -> Names {
        let mut w = None;
        let mut mc = b"mc".to_vec();
        for a in e.attributes().with_checks(false).flatten() {
            let key = a.key.as_ref();
            let prefix = if key == b"xmlns" {
                Some(Vec::new())
            } else {
                key.strip_prefix(b"xmlns:").map(<[u8]>::to_vec)
            };
            let Some(prefix) = prefix else { continue };
            let value = a.value.as_ref();
            if value == NS_MAIN || value == NS_MAIN_STRICT {
                w = Some(prefix);
            } else if value == NS_MC {
                mc = prefix;
            }
        }
        Names {
            w: w.unwrap_or_else(|| b"w".to_vec()),
            mc,
        }
    }

    fn kind(&self, qname: &[u8]) -> Kind {
        let (prefix, local) = match qname.iter().position(|&b| b == b':') {
            Some(i) => (&qname[..i], &qname[i + 1..]),
            None => (&qname[..0], qname),
        };
        if prefix == self.w.as_slice() {
            match local {
                b"body" => Kind::Body,
                b"p" => Kind::P,
                b"pPr" => Kind::PPr,
                b"pStyle" => Kind::PStyle,
                b"outlineLvl" => Kind::OutlineLvl,
                b"r" => Kind::R,
                b"rPr" => Kind::RPr,
                b"vanish" => Kind::Vanish,
                b"t" => Kind::T,
                b"tab" => Kind::Tab,
                b"br" => Kind::Br,
                b"cr" => Kind::Cr,
                b"sym" => Kind::Sym,
                b"noBreakHyphen" => Kind::NoBreakHyphen,
                b"tbl" => Kind::Tbl,
                b"tr" => Kind::Tr,
                b"trPr" => Kind::TrPr,
                b"gridBefore" => Kind::GridBefore,
                b"tc" => Kind::Tc,
                b"tcPr" => Kind::TcPr,
                b"gridSpan" => Kind::GridSpan,
                b"vMerge" => Kind::VMerge,
                b"txbxContent" => Kind::TxbxContent,
                b"del" | b"moveFrom" => Kind::Del,
                b"ins" | b"moveTo" => Kind::Ins,
                b"rt" | b"delText" | b"instrText" | b"delInstrText" => Kind::Skipped,
                _ => Kind::Other,
            }
        } else if prefix == self.mc.as_slice() {
            match local {
                b"AlternateContent" => Kind::AlternateContent,
                b"Choice" => Kind::Choice,
                b"Fallback" => Kind::Fallback,
                _ => Kind::Other,
            }
        } else {
            Kind::Other
        }
    }
}

/// A paragraph or a table, inside the body, a cell or a text box.
#[derive(Debug)]
enum Item {
    Para {
        text: String,
        level: Option<u8>,
        pos: Pos,
    },
    Table(Table),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VMerge {
    None,
    Restart,
    Continue,
}

#[derive(Debug)]
struct CellB {
    items: Vec<Item>,
    col_span: u32,
    vmerge: VMerge,
}

#[derive(Debug)]
struct RowB {
    cells: Vec<CellB>,
    pos: Pos,
    grid_before: u32,
}

#[derive(Debug)]
struct TableB {
    rows: Vec<RowB>,
    pos: Pos,
}

/// What content is being collected into.
#[derive(Debug)]
enum Frame {
    Body(Vec<Item>),
    Table(TableB),
    Cell(CellB),
    TextBox(Vec<Item>),
}

#[derive(Debug)]
struct ParaB {
    text: String,
    style: Option<String>,
    outline: Option<u8>,
    pos: Pos,
    /// The run being read is hidden (w:vanish).
    hidden: bool,
    /// Text boxes anchored in this paragraph.
    boxes: Vec<Item>,
}

/// One open element: what it is, and whether its end closes a frame or a
/// paragraph opened at its start.
#[derive(Debug, Clone, Copy)]
struct Open {
    kind: Kind,
    pushed: bool,
}

struct Parser<'s> {
    names: Names,
    styles: &'s Styles,
    stack: Vec<Open>,
    frames: Vec<Frame>,
    paras: Vec<ParaB>,
    /// When Some(d): everything inside the element at depth d is skipped.
    skip: Option<usize>,
    /// For each open mc:AlternateContent, whether a choice was taken.
    alternates: Vec<bool>,
    ordinal: u32,
    in_body: bool,
    saw_body: bool,
    saw_revisions: bool,
    capped_spans: bool,
    notes: Vec<ReadNote>,
}

fn parse_document(text: &str, part: &str, styles: &Styles) -> Result<Document, ReadError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut p = Parser {
        names: Names {
            w: b"w".to_vec(),
            mc: b"mc".to_vec(),
        },
        styles,
        stack: Vec::new(),
        frames: vec![Frame::Body(Vec::new())],
        paras: Vec::new(),
        skip: None,
        alternates: Vec::new(),
        ordinal: 0,
        in_body: false,
        saw_body: false,
        saw_revisions: false,
        capped_spans: false,
        notes: Vec::new(),
    };
    let mut root_seen = false;
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| xml_error(&e, part, reader.error_position(), p.ordinal))?;
        match ev {
            Event::Start(e) => {
                if !root_seen {
                    root_seen = true;
                    p.names = Names::from_root(&e);
                }
                if p.stack.len() >= MAX_DEPTH {
                    return Err(ReadError {
                        message: format!(
                            "{part} 的 XML 元素嵌套超过 {MAX_DEPTH} 层（在第 {} 字节处），不像是 Word 文档；期望 Word 文档正文的 XML",
                            reader.buffer_position()
                        ),
                        pos: None,
                    });
                }
                p.start(&e);
            }
            Event::Empty(e) => {
                if !root_seen {
                    root_seen = true;
                    p.names = Names::from_root(&e);
                }
                p.start(&e);
                p.end();
            }
            Event::End(_) => p.end(),
            Event::Text(e) if p.reading_text() => {
                let s = match e.unescape() {
                    Ok(s) => s.into_owned(),
                    Err(_) => String::from_utf8_lossy(&e).into_owned(),
                };
                p.push_text(&s);
            }
            Event::CData(e) if p.reading_text() => {
                p.push_text(&String::from_utf8_lossy(&e));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !p.stack.is_empty() {
        return Err(ReadError {
            message: format!(
                "{part} 在第 {} 字节处意外结束，还有 {} 个元素没有结束（文件可能被截断）；期望完整的 Word 文档正文",
                reader.buffer_position(),
                p.stack.len()
            ),
            pos: None,
        });
    }
    if !p.saw_body {
        return Err(ReadError {
            message: format!("{part} 中没有正文（w:body）；期望 Word 文档正文"),
            pos: None,
        });
    }
    Ok(p.finish())
}

impl Parser<'_> {
    fn anchor(&self) -> Pos {
        Pos::new(self.ordinal.max(1), 1)
    }

    fn parent(&self) -> Option<Kind> {
        self.stack.last().map(|o| o.kind)
    }

    fn grandparent(&self) -> Option<Kind> {
        self.stack.len().checked_sub(2).map(|i| self.stack[i].kind)
    }

    fn reading_text(&self) -> bool {
        self.skip.is_none()
            && self.parent() == Some(Kind::T)
            && self.paras.last().is_some_and(|p| !p.hidden)
    }

    fn push_text(&mut self, s: &str) {
        if let Some(p) = self.paras.last_mut() {
            p.text.push_str(s);
        }
    }

    fn push_char(&mut self, c: char) {
        if let Some(p) = self.paras.last_mut() {
            if !p.hidden {
                p.text.push(c);
            }
        }
    }

    fn start(&mut self, e: &BytesStart<'_>) {
        let kind = self.names.kind(e.name().as_ref());
        let mut open = Open {
            kind,
            pushed: false,
        };
        if self.skip.is_some() {
            self.stack.push(open);
            return;
        }
        let parent = self.parent();
        match kind {
            Kind::Body => {
                self.in_body = true;
                self.saw_body = true;
            }
            _ if !self.in_body => {}
            Kind::Skipped => self.skip = Some(self.stack.len()),
            Kind::Del => {
                self.saw_revisions = true;
                // A w:del inside run or paragraph properties marks a deleted
                // mark; only content elements are skipped.
                if !matches!(
                    parent,
                    Some(Kind::RPr | Kind::PPr | Kind::TrPr | Kind::TcPr)
                ) {
                    self.skip = Some(self.stack.len());
                }
            }
            Kind::Ins => self.saw_revisions = true,
            Kind::AlternateContent => {
                self.alternates.push(false);
                open.pushed = true;
            }
            Kind::Choice | Kind::Fallback => match self.alternates.last_mut() {
                Some(taken) if !*taken => *taken = true,
                Some(_) => self.skip = Some(self.stack.len()),
                None => {}
            },
            Kind::P => {
                let pos = if matches!(self.frames.last(), Some(Frame::Body(_))) {
                    self.ordinal = self.ordinal.saturating_add(1);
                    Pos::new(self.ordinal, 1)
                } else {
                    self.anchor()
                };
                self.paras.push(ParaB {
                    text: String::new(),
                    style: None,
                    outline: None,
                    pos,
                    hidden: false,
                    boxes: Vec::new(),
                });
                open.pushed = true;
            }
            Kind::PStyle if parent == Some(Kind::PPr) => {
                if let Some(p) = self.paras.last_mut() {
                    p.style = attr(e, b"val");
                }
            }
            Kind::OutlineLvl if parent == Some(Kind::PPr) => {
                if let Some(p) = self.paras.last_mut() {
                    p.outline = attr(e, b"val").and_then(|v| v.trim().parse().ok());
                }
            }
            Kind::R => {
                if let Some(p) = self.paras.last_mut() {
                    p.hidden = false;
                }
            }
            Kind::Vanish if parent == Some(Kind::RPr) && self.grandparent() == Some(Kind::R) => {
                let on = attr(e, b"val").is_none_or(|v| !matches!(v.trim(), "0" | "false" | "off"));
                if let Some(p) = self.paras.last_mut() {
                    p.hidden = on;
                }
            }
            Kind::Tab if parent == Some(Kind::R) => self.push_char('\t'),
            Kind::Br | Kind::Cr if parent == Some(Kind::R) => self.push_char('\n'),
            Kind::NoBreakHyphen if parent == Some(Kind::R) => self.push_char('-'),
            Kind::Sym if parent == Some(Kind::R) => {
                if let Some(c) = sym_char(e) {
                    self.push_char(c);
                }
            }
            Kind::Tbl => {
                let pos = if matches!(self.frames.last(), Some(Frame::Body(_))) {
                    Pos::new(self.ordinal.saturating_add(1), 1)
                } else {
                    self.anchor()
                };
                self.frames.push(Frame::Table(TableB {
                    rows: Vec::new(),
                    pos,
                }));
                open.pushed = true;
            }
            Kind::Tr => {
                let top_level = self.frames.len() == 2;
                if let Some(Frame::Table(_)) = self.frames.last() {
                    let pos = if top_level {
                        self.ordinal = self.ordinal.saturating_add(1);
                        Pos::new(self.ordinal, 1)
                    } else {
                        self.anchor()
                    };
                    if let Some(Frame::Table(t)) = self.frames.last_mut() {
                        t.rows.push(RowB {
                            cells: Vec::new(),
                            pos,
                            grid_before: 0,
                        });
                    }
                }
            }
            Kind::GridBefore if parent == Some(Kind::TrPr) => {
                let n = span_value(e);
                if let Some(Frame::Table(t)) = self.frames.last_mut() {
                    if let Some(row) = t.rows.last_mut() {
                        row.grid_before = n;
                    }
                }
            }
            Kind::Tc => {
                if let Some(Frame::Table(t)) = self.frames.last() {
                    if !t.rows.is_empty() {
                        self.frames.push(Frame::Cell(CellB {
                            items: Vec::new(),
                            col_span: 1,
                            vmerge: VMerge::None,
                        }));
                        open.pushed = true;
                    }
                }
            }
            Kind::GridSpan if parent == Some(Kind::TcPr) => {
                let n = span_value(e).max(1);
                if let Some(Frame::Cell(c)) = self.frames.last_mut() {
                    c.col_span = n;
                }
            }
            Kind::VMerge if parent == Some(Kind::TcPr) => {
                let v = attr(e, b"val");
                if let Some(Frame::Cell(c)) = self.frames.last_mut() {
                    c.vmerge = match v.as_deref().map(str::trim) {
                        Some("restart") => VMerge::Restart,
                        _ => VMerge::Continue,
                    };
                }
            }
            Kind::TxbxContent => {
                self.frames.push(Frame::TextBox(Vec::new()));
                open.pushed = true;
            }
            _ => {}
        }
        self.stack.push(open);
    }

    fn end(&mut self) {
        let Some(open) = self.stack.pop() else {
            return;
        };
        if let Some(d) = self.skip {
            if self.stack.len() == d {
                self.skip = None;
            }
            return;
        }
        if !open.pushed {
            if open.kind == Kind::Body {
                self.in_body = false;
            }
            return;
        }
        match open.kind {
            Kind::AlternateContent => {
                self.alternates.pop();
            }
            Kind::P => {
                if let Some(p) = self.paras.pop() {
                    self.finish_para(p);
                }
            }
            Kind::Tbl => {
                if let Some(Frame::Table(t)) = self.frames.pop() {
                    let items = self.finish_table(t);
                    for item in items {
                        self.deliver(item);
                    }
                }
            }
            Kind::Tc => {
                if let Some(Frame::Cell(c)) = self.frames.pop() {
                    if let Some(Frame::Table(t)) = self.frames.last_mut() {
                        if let Some(row) = t.rows.last_mut() {
                            row.cells.push(c);
                        }
                    }
                }
            }
            Kind::TxbxContent => {
                if let Some(Frame::TextBox(items)) = self.frames.pop() {
                    match self.paras.last_mut() {
                        Some(p) => p.boxes.extend(items),
                        None => {
                            for item in items {
                                self.deliver(item);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn finish_para(&mut self, p: ParaB) {
        let level = match p.outline {
            Some(o) => outline_level(o),
            None => p
                .style
                .as_deref()
                .and_then(|s| self.styles.level(s))
                .flatten(),
        };
        let anchor = p.pos;
        self.deliver(Item::Para {
            text: p.text,
            level,
            pos: p.pos,
        });
        // Text boxes: their paragraphs, and their tables as lines.
        for item in p.boxes {
            match item {
                Item::Para { text, .. } => self.deliver(Item::Para {
                    text,
                    level: None,
                    pos: anchor,
                }),
                Item::Table(t) => {
                    for line in table_lines(&t) {
                        self.deliver(Item::Para {
                            text: line,
                            level: None,
                            pos: anchor,
                        });
                    }
                }
            }
        }
    }

    /// Gives an item to the innermost frame that holds content.
    fn deliver(&mut self, item: Item) {
        if let Item::Para { text, .. } = &item {
            if text.trim().is_empty() {
                return;
            }
        }
        for frame in self.frames.iter_mut().rev() {
            match frame {
                Frame::Body(items) | Frame::TextBox(items) => {
                    items.push(item);
                    return;
                }
                Frame::Cell(c) => {
                    c.items.push(item);
                    return;
                }
                Frame::Table(_) => {}
            }
        }
    }

    /// Turns a finished table into items: the table, or for a frame (a
    /// single cell holding a table), the contents of its cell.
    fn finish_table(&mut self, t: TableB) -> Vec<Item> {
        let cells: usize = t.rows.iter().map(|r| r.cells.len()).sum();
        if cells == 0 {
            return Vec::new();
        }
        if cells == 1 {
            let holds_table = t
                .rows
                .iter()
                .flat_map(|r| &r.cells)
                .any(|c| c.items.iter().any(|i| matches!(i, Item::Table(_))));
            if holds_table {
                return t
                    .rows
                    .into_iter()
                    .flat_map(|r| r.cells)
                    .flat_map(|c| c.items)
                    .collect();
            }
        }
        let pos = t.rows.first().map_or(t.pos, |r| r.pos);
        let mut rows: Vec<Vec<TableCell>> = Vec::with_capacity(t.rows.len());
        // Restarting cells by the grid column they start at: (row, index).
        let mut owners: BTreeMap<u32, (usize, usize)> = BTreeMap::new();
        for (r, row) in t.rows.into_iter().enumerate() {
            let mut out: Vec<TableCell> = Vec::with_capacity(row.cells.len());
            let mut col: u32 = 0;
            if row.grid_before > 0 {
                let mut filler = TableCell::new("", row.pos);
                filler.col_span = self.cap(row.grid_before);
                col = filler.col_span;
                clear_owners(&mut owners, 0, col);
                out.push(filler);
            }
            for cell in row.cells {
                let span = self.cap(cell.col_span);
                let text = cell_text(&cell.items);
                let owner = match cell.vmerge {
                    VMerge::Continue => owners.get(&col).copied(),
                    _ => None,
                };
                match owner {
                    Some((or, oi)) => {
                        let rs = u32::try_from(r - or + 1).unwrap_or(u32::MAX);
                        let capped = self.cap(rs);
                        let target = &mut rows[or][oi];
                        target.row_span = capped;
                        if !text.is_empty() {
                            if !target.text.is_empty() {
                                target.text.push('\n');
                            }
                            target.text.push_str(&text);
                        }
                        clear_owners(&mut owners, col + 1, col.saturating_add(span));
                    }
                    None => {
                        let mut tc = TableCell::new(text, row.pos);
                        tc.col_span = span;
                        clear_owners(&mut owners, col, col.saturating_add(span));
                        if cell.vmerge != VMerge::None {
                            owners.insert(col, (r, out.len()));
                        }
                        out.push(tc);
                    }
                }
                col = col.saturating_add(span);
            }
            rows.push(out);
        }
        let mut table = Table { rows, pos };
        self.notes.extend(crate::html::bound_table(&mut table));
        vec![Item::Table(table)]
    }

    fn cap(&mut self, span: u32) -> u32 {
        if span > MAX_SPAN {
            if !self.capped_spans {
                self.capped_spans = true;
                self.notes.push(ReadNote {
                    message: format!("表格中有跨 {span} 行或列的合并单元格，已按 {MAX_SPAN} 读取"),
                    pos: self.anchor(),
                });
            }
            MAX_SPAN
        } else {
            span.max(1)
        }
    }

    fn finish(mut self) -> Document {
        let mut blocks = Vec::new();
        let items = match self.frames.drain(..).next() {
            Some(Frame::Body(items)) => items,
            _ => Vec::new(),
        };
        for item in items {
            match item {
                Item::Para { text, level, pos } => {
                    let text = text.trim().to_string();
                    if text.is_empty() {
                        continue;
                    }
                    blocks.push(match level {
                        Some(level) => Block::Heading { level, text, pos },
                        None => Block::Paragraph { text, pos },
                    });
                }
                Item::Table(t) => blocks.push(Block::Table(t)),
            }
        }
        if self.saw_revisions {
            self.notes.insert(
                0,
                ReadNote {
                    message: "文档中有未接受的修订，已按接受全部修订后的文字读取（删除的文字不读，插入的文字照读）".into(),
                    pos: Pos::new(1, 1),
                },
            );
        }
        Document {
            blocks,
            notes: self.notes,
            pages: Vec::new(),
        }
    }
}

/// Removes the restarting cells that start in columns `from..to`.
fn clear_owners(owners: &mut BTreeMap<u32, (usize, usize)>, from: u32, to: u32) {
    if from >= to {
        return;
    }
    let keys: Vec<u32> = owners.range(from..to).map(|(&k, _)| k).collect();
    for k in keys {
        owners.remove(&k);
    }
}

/// A span attribute (`w:val`), at least 1 when present and readable.
fn span_value(e: &BytesStart<'_>) -> u32 {
    attr(e, b"val")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map_or(1, |n| n.min(u32::MAX as u64) as u32)
}

/// The character of a `w:sym`.
fn sym_char(e: &BytesStart<'_>) -> Option<char> {
    let code = attr(e, b"char")?;
    let code = u32::from_str_radix(code.trim(), 16).ok()?;
    let font = attr(e, b"font").unwrap_or_default();
    let code = if (0xF020..=0xF0FF).contains(&code) && font.trim().eq_ignore_ascii_case("Symbol") {
        code - 0xF000
    } else {
        code
    };
    char::from_u32(code).filter(|c| !c.is_control())
}

/// The text of a cell: its paragraphs' lines, trimmed, empty ones left out,
/// joined by line breaks; a table inside as one line per row.
fn cell_text(items: &[Item]) -> String {
    let mut lines: Vec<String> = Vec::new();
    for item in items {
        match item {
            Item::Para { text, .. } => {
                for line in text.split('\n') {
                    let line = line.trim();
                    if !line.is_empty() {
                        lines.push(line.to_string());
                    }
                }
            }
            Item::Table(t) => lines.extend(table_lines(t)),
        }
    }
    lines.join("\n")
}

/// A table as lines of text: one per row, cells separated by tabs.
fn table_lines(t: &Table) -> Vec<String> {
    t.rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| c.text.replace('\n', " "))
                .collect::<Vec<_>>()
                .join("\t")
                .trim()
                .to_string()
        })
        .filter(|l| !l.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

    fn body(inner: &str) -> Document {
        let xml = format!("<w:document {NS}><w:body>{inner}</w:body></w:document>");
        parse_document(&xml, "word/document.xml", &Styles::default()).expect("parses")
    }

    fn texts(doc: &Document) -> Vec<String> {
        doc.blocks
            .iter()
            .map(|b| match b {
                Block::Heading { level, text, pos } => format!("H{level}@{}:{text}", pos.line),
                Block::Paragraph { text, pos } => format!("P@{}:{text}", pos.line),
                Block::Table(t) => format!(
                    "T@{}:{}",
                    t.pos.line,
                    t.rows
                        .iter()
                        .map(|r| r
                            .iter()
                            .map(|c| format!("{}[{}x{}]", c.text, c.row_span, c.col_span))
                            .collect::<Vec<_>>()
                            .join("|"))
                        .collect::<Vec<_>>()
                        .join(" / ")
                ),
            })
            .collect()
    }

    #[test]
    fn runs_tabs_breaks_and_revisions() {
        let doc = body(
            r#"<w:p><w:r><w:t>一、</w:t></w:r><w:r><w:t xml:space="preserve">总体 </w:t><w:tab/><w:t>情况</w:t><w:br/><w:t>下一行</w:t></w:r></w:p>
            <w:p/>
            <w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr><w:ins><w:r><w:t>新增</w:t></w:r></w:ins><w:del><w:r><w:delText>删除</w:delText></w:r></w:del><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:r><w:instrText>PAGE</w:instrText><w:t>&amp;&#x4E00;</w:t></w:r></w:p>
            <w:p><w:hyperlink><w:r><w:t>链接</w:t></w:r></w:hyperlink><w:smartTag><w:r><w:t>标记</w:t></w:r></w:smartTag><w:r><w:sym w:font="Symbol" w:char="F02D"/><w:sym w:font="Wingdings" w:char="F0FC"/></w:r></w:p>"#,
        );
        assert_eq!(
            texts(&doc),
            vec![
                "P@1:一、总体 \t情况\n下一行",
                "P@3:新增&一",
                "P@4:链接标记-\u{F0FC}",
            ]
        );
        assert!(doc.notes.iter().any(|n| n.message.contains("修订")));
    }

    #[test]
    fn headings_by_outline_and_style() {
        let styles = parse_styles(
            br#"<w:styles xmlns:w="x"><w:style w:styleId="1"><w:name w:val="heading 1"/></w:style>
            <w:style w:styleId="MyHead"><w:name w:val="My"/><w:basedOn w:val="1"/></w:style>
            <w:style w:styleId="Out"><w:name w:val="x"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style></w:styles>"#,
        )
        .unwrap();
        let xml = format!(
            r#"<w:document {NS}><w:body>
            <w:p><w:pPr><w:pStyle w:val="1"/></w:pPr><w:r><w:t>A</w:t></w:r></w:p>
            <w:p><w:pPr><w:pStyle w:val="MyHead"/></w:pPr><w:r><w:t>B</w:t></w:r></w:p>
            <w:p><w:pPr><w:pStyle w:val="Out"/></w:pPr><w:r><w:t>C</w:t></w:r></w:p>
            <w:p><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:r><w:t>D</w:t></w:r></w:p>
            <w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>E</w:t></w:r></w:p>
            <w:p><w:pPr><w:pStyle w:val="1"/><w:outlineLvl w:val="9"/></w:pPr><w:r><w:t>F</w:t></w:r></w:p>
            </w:body></w:document>"#
        );
        let doc = parse_document(&xml, "d", &styles).unwrap();
        assert_eq!(
            texts(&doc),
            vec!["H1@1:A", "H1@2:B", "H3@3:C", "H1@4:D", "H2@5:E", "P@6:F"]
        );
    }

    #[test]
    fn merged_cells_and_positions() {
        let doc = body(
            r#"<w:p><w:r><w:t>前</w:t></w:r></w:p>
            <w:tbl>
              <w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>角</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>甲</w:t></w:r></w:p><w:p><w:r><w:t>乙</w:t></w:r></w:p></w:tc></w:tr>
              <w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr>
              <w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr><w:tc><w:p><w:r><w:t>2</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>3</w:t></w:r></w:p></w:tc></w:tr>
            </w:tbl>
            <w:p><w:r><w:t>后</w:t></w:r></w:p>"#,
        );
        assert_eq!(
            texts(&doc),
            vec![
                "P@1:前",
                "T@2:角[2x2]|甲\n乙[1x1] / 1[1x1] / [1x1]|2[1x1]|3[1x1]",
                "P@5:后",
            ]
        );
        let Block::Table(t) = &doc.blocks[1] else {
            panic!()
        };
        assert_eq!(t.rows[1][0].pos, Pos::new(3, 1));
        let g = t.grid();
        assert_eq!(g.width, 3);
    }

    #[test]
    fn nested_tables_text_boxes_and_frames() {
        let inner = r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#;
        let doc = body(&format!(
            r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p>{inner}<w:p/></w:tc><w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            <w:p><w:r><w:t>锚</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>框</w:t></w:r></w:p>{inner}</w:tc></w:tr></w:tbl>"#
        ));
        assert_eq!(
            texts(&doc),
            vec![
                "T@1:a\nx\t1[1x1]|b[1x1]",
                "P@2:锚",
                "P@2:框内",
                "P@3:框",
                "T@3:x[1x1]|1[1x1]",
            ]
        );
    }

    #[test]
    fn malformed_and_deep_xml_are_errors() {
        for bad in [
            "<w:document><w:body><w:p></w:body></w:document>",
            "<w:document><w:body><w:p>",
            "<w:document><w:bo",
            "<w:document></w:document>",
        ] {
            let e = parse_document(bad, "word/document.xml", &Styles::default()).unwrap_err();
            assert!(e.message.contains("word/document.xml"), "{}", e.message);
        }
        let deep = format!(
            "<w:document {NS}><w:body>{}{}</w:body></w:document>",
            "<w:sdt>".repeat(100_000),
            "</w:sdt>".repeat(100_000)
        );
        let e = parse_document(&deep, "word/document.xml", &Styles::default()).unwrap_err();
        assert!(e.message.contains("嵌套"), "{}", e.message);
    }

    #[test]
    fn other_office_files_are_named() {
        let mut ole = OLE_MAGIC.to_vec();
        ole.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
        assert!(read(&ole).unwrap_err().message.contains(".doc"));
        assert!(refuse_other_office(&ole)
            .unwrap()
            .message
            .contains("另存为 .docx"));
        assert!(read(b"hello").unwrap_err().message.contains("ZIP"));
        assert!(refuse_other_office(b"<html>").is_none());
    }

    fn docx_of(document: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file("word/document.xml", options).unwrap();
        w.write_all(document).unwrap();
        w.finish().unwrap().into_inner()
    }

    /// A document.xml of about `n` bytes.
    fn big_document(n: usize) -> Vec<u8> {
        let mut xml = format!("<w:document {NS}><w:body><w:p><w:r><w:t>").into_bytes();
        xml.extend(std::iter::repeat_n(b'x', n));
        xml.extend_from_slice(b"</w:t></w:r></w:p></w:body></w:document>");
        xml
    }

    #[test]
    fn unpacking_stops_at_the_cap() {
        let bytes = docx_of(&big_document(100_000));
        assert!(read_limited(&bytes, 1 << 20).is_ok());
        let e = read_limited(&bytes, 50_000).unwrap_err();
        assert!(e.message.contains("声明解压后"), "{}", e.message);
        // A part that says it is small but unpacks to more is stopped at the
        // cap too: patch the sizes in its local header (offset 22) and its
        // central directory entry (offset 24).
        let mut lying = bytes.clone();
        let small = 1000u32.to_le_bytes();
        for i in 0..lying.len() - 4 {
            if lying[i..].starts_with(b"PK\x03\x04") {
                lying[i + 22..i + 26].copy_from_slice(&small);
            } else if lying[i..].starts_with(b"PK\x01\x02") {
                lying[i + 24..i + 28].copy_from_slice(&small);
            }
        }
        let e = read_limited(&lying, 50_000).unwrap_err();
        assert!(e.message.contains("解压后超过"), "{}", e.message);
    }

    #[test]
    fn heading_names() {
        assert_eq!(heading_name_level("heading 1"), Some(1));
        assert_eq!(heading_name_level("Heading3"), Some(3));
        assert_eq!(heading_name_level("标题 2"), Some(2));
        assert_eq!(heading_name_level("标题"), Some(1));
        assert_eq!(heading_name_level("heading 9"), Some(6));
        assert_eq!(heading_name_level("Normal"), None);
        assert_eq!(heading_name_level("heading 0"), None);
    }
}
