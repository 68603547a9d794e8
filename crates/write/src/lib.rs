//! Writers from a [`Report`] to the standard layout of the national template:
//! Markdown ([`markdown`]), HTML ([`html`]), plain text ([`text`]), JSON
//! ([`json`]) and Word ([`docx`], in the layout of official documents,
//! GB/T 9704-2012).
//!
//! The Markdown, HTML and text writers lay a report out as the template does:
//! the title line, the six sections under the template's headings with their
//! text, and in sections 二, 三 and 四 the tables drawn with the template's
//! rows, columns and merged header cells. Every label is taken from
//! `gongkai-template`; every row label is written in full and every number in
//! a cell of its own, so that a reader recognising the template's labels reads
//! the output back. A cell the report lacks is written as an empty cell; a
//! cell the source left blank is written as the value it was read as (0).
//!
//! The JSON writer produces the object documented in [`json`], the contract of
//! `gongkai parse FILE --format json`.
//!
//! The text writers return strings ([`write`], by [`Format`]); the Word
//! writer returns bytes ([`docx::write_docx`]), as does the Excel writer
//! ([`xlsx::write_xlsx`]; [`xlsx::write_collection`] writes many reports as
//! one collection sheet), and the PDF writer ([`pdf::write_pdf`]; with other
//! fonts and the warnings, [`pdf::write_pdf_with`]).
//! [`write_bytes`] covers them all, by [`FileFormat`].
//!
//! Reply letters (政府信息公开申请答复告知书) are set in the same layout, as
//! Word ([`letter::letter_docx`]) and PDF ([`letter::letter_pdf`]).
//!
//! Bar charts ([`chart`]) are laid out once and drawn as SVG for web pages
//! ([`chart::Chart::to_svg`]) and into PDF ([`chart::chart_pdf`]), with the
//! same fonts and page layout as the report.
//! This crate does no IO.

use gongkai_report::Report;
use std::fmt;

pub mod chart;
pub mod docx;
pub mod html;
pub mod json;
mod layout;
pub mod letter;
pub mod markdown;
pub mod pdf;
pub mod text;
pub mod xlsx;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Markdown,
    Html,
    Text,
    Json,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Markdown, Format::Html, Format::Text, Format::Json];

    /// The format named by `md`, `markdown`, `html`, `htm`, `txt`, `text` or
    /// `json` (case and surrounding spaces ignored; a leading dot allowed, so
    /// that a file extension can be passed).
    pub fn parse(name: &str) -> Option<Format> {
        let name = name.trim();
        let name = name.strip_prefix('.').unwrap_or(name).to_ascii_lowercase();
        match name.as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "txt" | "text" => Some(Format::Text),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Text => "txt",
            Format::Json => "json",
        }
    }

    /// The name accepted by [`Format::parse`] and shown in help texts.
    pub fn name(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Text => "text",
            Format::Json => "json",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A file format the writers produce: a text format (written as UTF-8), or
/// Word. [`Format`] names the text formats only, so that [`write`] can
/// return a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileFormat {
    Text(Format),
    /// Word (.docx), in the layout of official documents (GB/T 9704-2012).
    Docx,
    /// Excel (.xlsx): the title, the sections and the three tables with the
    /// template's merged cells.
    Xlsx,
    /// PDF, in the layout of official documents (GB/T 9704-2012), with the
    /// built-in fonts ([`pdf::write_pdf_with`] takes others).
    Pdf,
}

impl FileFormat {
    pub const ALL: [FileFormat; 7] = [
        FileFormat::Text(Format::Markdown),
        FileFormat::Text(Format::Html),
        FileFormat::Text(Format::Text),
        FileFormat::Text(Format::Json),
        FileFormat::Docx,
        FileFormat::Xlsx,
        FileFormat::Pdf,
    ];

    /// The format named by `docx` or `word`, `xlsx` or `excel`, `pdf`, or by a name
    /// [`Format::parse`] accepts (case and surrounding spaces ignored; a
    /// leading dot allowed).
    pub fn parse(name: &str) -> Option<FileFormat> {
        let trimmed = name.trim();
        let bare = trimmed
            .strip_prefix('.')
            .unwrap_or(trimmed)
            .to_ascii_lowercase();
        match bare.as_str() {
            "docx" | "word" => Some(FileFormat::Docx),
            "xlsx" | "excel" => Some(FileFormat::Xlsx),
            "pdf" => Some(FileFormat::Pdf),
            _ => Format::parse(name).map(FileFormat::Text),
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Text(f) => f.extension(),
            FileFormat::Docx => "docx",
            FileFormat::Xlsx => "xlsx",
            FileFormat::Pdf => "pdf",
        }
    }

    /// The name accepted by [`FileFormat::parse`] and shown in help texts.
    pub fn name(self) -> &'static str {
        match self {
            FileFormat::Text(f) => f.name(),
            FileFormat::Docx => "docx",
            FileFormat::Xlsx => "xlsx",
            FileFormat::Pdf => "pdf",
        }
    }

    /// Whether the output is text (UTF-8) rather than binary.
    pub fn is_text(self) -> bool {
        matches!(self, FileFormat::Text(_))
    }
}

impl From<Format> for FileFormat {
    fn from(format: Format) -> FileFormat {
        FileFormat::Text(format)
    }
}

impl fmt::Display for FileFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Choices for the layout writers (Markdown, HTML, text, Word). JSON ignores them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// Write every section heading and every table even when the report has
    /// nothing for them — a blank template to fill in. By default a section
    /// is written when the report has its text or a cell of its table, and a
    /// table when the report has at least one of its cells, so that what the
    /// source lacks is not written out as empty cells that would read back
    /// as zeros.
    pub complete: bool,
}

/// Writes a report in a format, with default options. Every output ends with
/// a line break.
pub fn write(format: Format, report: &Report) -> String {
    write_with(format, report, &Options::default())
}

/// Writes a report in a format.
pub fn write_with(format: Format, report: &Report, options: &Options) -> String {
    match format {
        Format::Markdown => markdown::write_with(report, options),
        Format::Html => html::write_with(report, options),
        Format::Text => text::write_with(report, options),
        Format::Json => {
            let mut s = json::to_string_pretty(report);
            s.push('\n');
            s
        }
    }
}

/// Writes a report in any format, as the bytes of the file, with default
/// options.
pub fn write_bytes(format: FileFormat, report: &Report) -> Vec<u8> {
    write_bytes_with(format, report, &Options::default())
}

/// Writes a report in any format, as the bytes of the file.
pub fn write_bytes_with(format: FileFormat, report: &Report, options: &Options) -> Vec<u8> {
    match format {
        FileFormat::Text(f) => write_with(f, report, options).into_bytes(),
        FileFormat::Docx => docx::write_docx_with(report, options),
        FileFormat::Xlsx => xlsx::write_xlsx_with(report, options),
        FileFormat::Pdf => pdf::write_pdf_with(report, options, &pdf::PdfFonts::embedded()).bytes,
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    //! Reports built by hand for the writers' tests.

    use gongkai_report::{Num, Origin, Pos, Report, SectionText};
    use gongkai_template::{Edition, SectionKey, Template, ValueKind};

    /// A distinct value for every cell: 1, 2, 3 … in template order, the
    /// amounts with decimals.
    pub fn value_for(edition: Edition, index: usize) -> Num {
        let t = Template::get(edition);
        match t.cells[index].kind {
            ValueKind::Amount => Num::Dec(index as f64 + 1.25),
            _ => Num::Int(index as i64 + 1),
        }
    }

    /// A report with every cell of the edition present and every section written.
    pub fn full_report(edition: Edition) -> Report {
        let t = Template::get(edition);
        let mut r = Report::new("full.txt", edition);
        r.agency = Some("某某区人民政府办公室".into());
        r.year = Some(2024);
        for (i, def) in t.cells.iter().enumerate() {
            assert!(r.set(
                &def.address,
                value_for(edition, i),
                Origin::Source(Pos::new(1, 1))
            ));
        }
        for key in SectionKey::ALL {
            let s = t.section(key);
            r.sections[key.index()] = Some(SectionText {
                heading: s.heading(),
                pos: Pos::UNKNOWN,
                text: format!("{}的第一段。\n{}的第二段。", s.title, s.title),
            });
        }
        r
    }
}
