//! From bytes to a `Report`, in two stages.
//!
//! 1. **Format readers** ([`text`], [`markdown`], [`html`], [`docx`]) turn bytes into one
//!    [`Document`](doc::Document): headings, paragraphs and tables, each with its
//!    position in the source. A reader knows formats, not the template.
//! 2. **The template aligner** ([`align`]) maps a document onto the national
//!    template: finds the six sections by their titles, the tables, and each row
//!    and column by its label. It knows the template, not formats.
//!
//! [`read_report`] does both and runs the rules.

pub mod align;
pub mod decode;
pub mod doc;
pub mod docx;
pub mod html;
pub mod json;
pub mod markdown;
pub mod text;

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
    /// (.xlsx, .pptx …) are not read: [`read_document`] refuses them, in
    /// whatever format they were detected as, saying what they are and what
    /// to do.
    Docx,
}

impl Format {
    /// Decides the format from the file name, then from the first bytes. A
    /// ZIP archive with a `word/document` part is a Word document whatever
    /// its name; so is a file named `.docx` (`.docm`, `.dotx`, `.dotm`)
    /// unless its bytes are plainly HTML.
    pub fn detect(source: &str, bytes: &[u8]) -> Format {
        if docx::looks_like_docx(bytes) {
            return Format::Docx;
        }
        let lower = source.to_ascii_lowercase();
        let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        match ext {
            "html" | "htm" | "xhtml" | "shtml" => return Format::Html,
            "md" | "markdown" => return Format::Markdown,
            "json" => return Format::Json,
            _ => {}
        }
        let sniffed = Format::sniff(bytes);
        if matches!(ext, "docx" | "docm" | "dotx" | "dotm") && sniffed != Format::Html {
            return Format::Docx;
        }
        sniffed
    }

    /// The format the first bytes of a file say.
    fn sniff(bytes: &[u8]) -> Format {
        let head = &bytes[..bytes.len().min(2048)];
        let head = String::from_utf8_lossy(head);
        let h = head
            .trim_start_matches('\u{FEFF}')
            .trim_start()
            .to_ascii_lowercase();
        if h.starts_with("<!doctype html")
            || h.starts_with("<html")
            || h.starts_with("<?xml") && h.contains("<html")
            || h.contains("<table")
            || h.contains("<body")
            || h.contains("<div")
            || h.contains("<p>")
        {
            Format::Html
        } else if h.starts_with('{') {
            Format::Json
        } else {
            Format::Text
        }
    }
}

/// Reads bytes of a known format into the document model. An Office file
/// that is not a Word document (.doc, .xlsx …) is refused, whatever the
/// format, with a message saying what it is.
pub fn read_document(format: Format, bytes: &[u8]) -> Result<Document, ReadError> {
    if format != Format::Docx {
        if let Some(err) = docx::refuse_other_office(bytes) {
            return Err(err);
        }
    }
    match format {
        Format::Docx => docx::read(bytes),
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
    let doc = read_document(format, bytes)?;
    Ok(align::align(&doc, source))
}
