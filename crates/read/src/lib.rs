//! From bytes to a `Report`, in two stages.
//!
//! 1. **Format readers** ([`text`], [`markdown`], [`html`], [`docx`],
//!    [`pdf`]) turn bytes into one
//!    [`Document`](doc::Document): headings, paragraphs and tables, each with its
//!    position in the source. A reader knows formats, not the template.
//! 2. **The template aligner** ([`align`]) maps a document onto the national
//!    template: finds the six sections by their titles, the tables, and each row
//!    and column by its label. It knows the template, not formats.
//!
//! [`read_report`] does both and runs the rules. Excel workbooks ([`xlsx`])
//! hold one report, or a collection sheet with one report per row
//! ([`collection`]); [`read_reports`] reads either.

pub mod align;
pub mod collection;
pub mod decode;
pub mod doc;
pub mod docx;
pub mod html;
pub mod json;
pub mod markdown;
pub mod pdf;
pub mod table;
pub mod text;
pub mod xlsx;
mod zipped;

use doc::{Document, ReadError};
use gongkai_report::Report;

/// The formats a report can be read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
    Json,
    /// Word (.docx). Old binary Word files (.doc) and other Office files
    /// (.xls, .pptx …) are not read: [`read_document`] refuses them, in
    /// whatever format they were detected as, saying what they are and what
    /// to do.
    Docx,
    /// Excel (.xlsx, .xlsm): one report's tables, or a collection sheet
    /// (see [`read_reports`]).
    Xlsx,
    /// PDF with a text layer (see [`pdf`]); a scan without one is refused.
    Pdf,
}

impl Format {
    /// Decides the format from the file name, then from the first bytes. A
    /// ZIP archive with a `word/document` part is a Word document whatever
    /// its name; so is a file named `.docx` (`.docm`, `.dotx`, `.dotm`)
    /// unless its bytes are plainly HTML. A file with `%PDF-` in its first
    /// 1024 bytes is a PDF whatever its name, and so is a file named `.pdf`.
    pub fn detect(source: &str, bytes: &[u8]) -> Format {
        if docx::looks_like_docx(bytes) {
            return Format::Docx;
        }
        if pdf::looks_like_pdf(bytes) {
            return Format::Pdf;
        }
        if xlsx::looks_like_xlsx(bytes) {
            return Format::Xlsx;
        }
        let lower = source.to_ascii_lowercase();
        let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        match ext {
            "html" | "htm" | "xhtml" | "shtml" => return Format::Html,
            "md" | "markdown" => return Format::Markdown,
            "json" => return Format::Json,
            "pdf" => return Format::Pdf,
            _ => {}
        }
        let sniffed = Format::sniff(bytes);
        if matches!(ext, "docx" | "docm" | "dotx" | "dotm") && sniffed != Format::Html {
            return Format::Docx;
        }
        if matches!(ext, "xlsx" | "xlsm") && sniffed != Format::Html {
            return Format::Xlsx;
        }
        sniffed
    }

    /// The format the first bytes of a file say.
    fn sniff(bytes: &[u8]) -> Format {
        let head = &bytes[..bytes.len().min(2048)];
        let head = head.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(head);
        let start = head
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(head.len());
        let h = &head[start..];
        let starts = |p: &[u8]| h.len() >= p.len() && h[..p.len()].eq_ignore_ascii_case(p);
        // Tags are looked for only at the '<' of the head (plain text has few).
        let has = |tag: &[u8]| {
            memchr::memchr_iter(b'<', h)
                .any(|i| h.len() - i >= tag.len() && h[i..i + tag.len()].eq_ignore_ascii_case(tag))
        };
        if starts(b"<!doctype html")
            || starts(b"<html")
            || starts(b"<?xml") && has(b"<html")
            || has(b"<table")
            || has(b"<body")
            || has(b"<div")
            || has(b"<p>")
        {
            Format::Html
        } else if h.first() == Some(&b'{') {
            Format::Json
        } else if has_table_markup(bytes) {
            // A page saved under another name, or HTML inside a script's
            // string: the tables are HTML markup.
            Format::Html
        } else {
            Format::Text
        }
    }
}

/// Does the text hold HTML table markup (`<table`, `<tr`, `<td`) anywhere?
fn has_table_markup(bytes: &[u8]) -> bool {
    // Only the '<' of a text are looked at: plain text has few or none.
    let (mut table, mut tr, mut td) = (false, false, false);
    for i in memchr::memchr_iter(b'<', bytes) {
        let rest = &bytes[i..];
        let is =
            |tag: &[u8]| rest.len() >= tag.len() && rest[..tag.len()].eq_ignore_ascii_case(tag);
        table |= is(b"<table");
        tr |= is(b"<tr");
        td |= is(b"<td");
        if table && tr && td {
            return true;
        }
    }
    false
}

/// Reads bytes of a known format into the document model. An Office file
/// that is not a Word document (.doc, .xlsx …) is refused, whatever the
/// format, with a message saying what it is.
pub fn read_document(format: Format, bytes: &[u8]) -> Result<Document, ReadError> {
    if format != Format::Docx && format != Format::Xlsx {
        if let Some(err) = docx::refuse_other_office(bytes) {
            return Err(err);
        }
    }
    match format {
        Format::Docx => docx::read(bytes),
        Format::Pdf => pdf::read(bytes),
        Format::Xlsx => xlsx::read(bytes),
        Format::Text => text::read(bytes),
        Format::Markdown => markdown::read(bytes),
        Format::Html => html::read(bytes),
        Format::Json => Err(ReadError {
            message: "JSON 文件直接读作报告，不经过文档模型".into(),
            pos: None,
        }),
    }
}

/// Reads a report from the bytes of a file: detects the format, reads the
/// document, aligns it to the template and runs the single-report rules.
/// `source` names the file in diagnostics (and decides the format by its
/// extension when it has one).
pub fn read_report(source: &str, bytes: &[u8]) -> Result<Report, ReadError> {
    let format = Format::detect(source, bytes);
    if format == Format::Json {
        let mut report = json::read(source, bytes)?;
        report.diagnostics = gongkai_report::check(&report);
        return Ok(report);
    }
    if format == Format::Xlsx {
        let mut reports = read_reports(source, bytes)?;
        return match reports.len() {
            1 => Ok(reports.remove(0)),
            0 => Err(ReadError {
                message: "这是汇总表（每行一份报告），但表头下没有数据行；期望至少一行机关的数据"
                    .into(),
                pos: None,
            }),
            n => Err(ReadError {
                message: format!(
                    "这是汇总表，含 {n} 份报告（每行一份）；请用 gongkai check 或 gongkai export 逐行读取"
                ),
                pos: None,
            }),
        };
    }
    let doc = read_document(format, bytes)?;
    let report = align::align(&doc, source);
    not_a_report(&doc, &report)?;
    Ok(report)
}

/// A file from which no section and no table of the template can be read is
/// not "a report with every section missing": it could not be read as one.
fn not_a_report(doc: &Document, report: &Report) -> Result<(), ReadError> {
    if report.sections.iter().any(Option::is_some) || report.tables.iter().any(Option::is_some) {
        return Ok(());
    }
    let what = if doc.blocks.is_empty() {
        "文件中没有可读的文字".to_string()
    } else {
        format!(
            "文件中有 {} 段文字或表格，但没有模板的任何一部分标题（如“一、总体情况”“三、收到和处理政府信息公开申请情况”），也没有模板的任何一张表格",
            doc.blocks.len()
        )
    };
    Err(ReadError {
        message: format!("无法作为政府信息公开工作年度报告读取：{what}"),
        pos: None,
    })
}

/// Reads every report a file holds: the rows of a collection sheet (an
/// Excel workbook with one report per row, see [`collection`]), else the
/// one report of the file, as [`read_report`] reads it.
pub fn read_reports(source: &str, bytes: &[u8]) -> Result<Vec<Report>, ReadError> {
    if Format::detect(source, bytes) != Format::Xlsx {
        return read_report(source, bytes).map(|r| vec![r]);
    }
    let book = xlsx::open(bytes)?;
    if let Some(reports) = collection::read_book(source, &book) {
        return Ok(reports);
    }
    Ok(vec![align::align(&xlsx::document(&book), source)])
}

/// Reads a collection sheet: one report per data row, each named
/// `{source}#第{row}行（{agency}）`, with its cells' positions and the
/// single-report rules run. An error when the file is not an Excel
/// workbook or no sheet of it is a collection sheet.
pub fn read_collection(source: &str, bytes: &[u8]) -> Result<Vec<Report>, ReadError> {
    let book = xlsx::open(bytes)?;
    collection::read_book(source, &book).ok_or_else(|| ReadError {
        message: "工作簿中没有汇总表：没有一行表头列出单元格地址（如 t3.granted.total）或模板标签（如“予以公开-总计”），且有“机关名称”列".into(),
        pos: None,
    })
}
