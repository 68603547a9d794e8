//! Reply letters (政府信息公开申请答复告知书) as Word and PDF, in the layout of
//! official documents (GB/T 9704-2012), set as the reports are: the same
//! page, grid, fonts and page numbers ([`crate::docx`], [`crate::pdf`]).
//!
//! The input is the letter as plain text, as `gongkai-casework` renders it:
//!
//! * the first line is the **title** (政府信息公开申请答复告知书): 方正小标宋简体
//!   二号, centred;
//! * a line before the salutation that is not indented is the **number
//!   line** (〔2025〕第0017号): 仿宋 三号, centred;
//! * a line ending with "：" before the body is the **salutation** (张某：),
//!   flush left;
//! * a line opening with spaces is a **paragraph of the body**: 仿宋_GB2312
//!   三号, justified; its leading spaces ("　　", or four half-width ones) are
//!   its first-line indent, set as an indent and not as text;
//! * the lines at the end that are not indented and hold no sentence
//!   punctuation (。；：！？) are the **signature** (落款: the agency, the
//!   date): right-aligned, four characters in from the right edge of the
//!   text;
//! * a blank line is a blank line of the grid; any other line is set flush
//!   left.
//!
//! Nothing before the body ends a page, and the last paragraph of the body
//! stays on the page of the signature (Word: `w:keepNext`).
//!
//! In a PDF a character no font has is drawn as an empty box and reported
//! ([`PdfOutput::warnings`]), as for reports.

use crate::docx::{self, Run};
use crate::pdf::{self, Align, Flow, FontRole, FontSet, PdfFonts, PdfOutput, Shaped};

/// How far the signature stands in from the right edge of the text, in characters.
const SIGNATURE_RIGHT_CHARS: u32 = 4;

/// What a line of a letter is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Title,
    /// The number line under the title, centred.
    Number,
    /// The salutation, flush left.
    Salutation,
    /// A paragraph of the body, its first line indented this many
    /// half-width characters.
    Body {
        indent: usize,
    },
    /// Another line, flush left.
    Plain,
    Blank,
    /// The agency or the date at the end, right-aligned.
    Signature,
}

/// A line of a letter: what it is, its text without its indent, and whether
/// it stays on the page of the next line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Line<'a> {
    kind: Kind,
    text: &'a str,
    keep_next: bool,
}

/// The leading spaces of a line in half-width characters (a full-width
/// space counts two), and the rest of the line.
fn split_indent(line: &str) -> (usize, &str) {
    let mut halves = 0;
    for (i, c) in line.char_indices() {
        match c {
            '\u{3000}' => halves += 2,
            ' ' | '\u{a0}' => halves += 1,
            _ => return (halves, &line[i..]),
        }
    }
    (halves, "")
}

/// Reads the lines of a letter.
fn parse(text: &str) -> Vec<Line<'_>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: Vec<&str> = text.lines().map(str::trim_end).collect();
    let first = raw.iter().position(|l| !l.is_empty()).unwrap_or(raw.len());
    let end = raw
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(first, |i| i + 1);
    let mut lines = Vec::new();
    let mut started = false;
    for (i, &l) in raw[first..end].iter().enumerate() {
        let (indent, rest) = split_indent(l);
        let kind = if l.is_empty() {
            Kind::Blank
        } else if i == 0 && indent == 0 {
            Kind::Title
        } else if indent > 0 {
            started = true;
            Kind::Body { indent }
        } else if started {
            Kind::Plain
        } else if rest.ends_with('：') || rest.ends_with(':') {
            started = true;
            Kind::Salutation
        } else {
            Kind::Number
        };
        lines.push(Line {
            kind,
            text: rest,
            keep_next: false,
        });
    }
    // The signature: the plain lines at the end without sentence punctuation.
    let signature = lines
        .iter()
        .rposition(|l| {
            l.kind != Kind::Plain || l.text.contains(['。', '；', '：', '！', '？', ':', ';'])
        })
        .map_or(0, |i| i + 1);
    for l in &mut lines[signature..] {
        l.kind = Kind::Signature;
    }
    // Nothing before the body ends a page; the last paragraph of the body
    // stays with the signature.
    let is_body = |l: &Line<'_>| matches!(l.kind, Kind::Body { .. });
    let n = lines.len();
    if let Some(first_body) = lines.iter().position(is_body) {
        for l in &mut lines[..first_body] {
            l.keep_next = true;
        }
    }
    if signature < n {
        if let Some(last_body) = lines.iter().rposition(is_body) {
            for l in &mut lines[last_body..n - 1] {
                l.keep_next = true;
            }
        }
    }
    lines
}

/// The title of a letter (its first line, when it is one), for the
/// document's properties.
fn title_of<'a>(lines: &[Line<'a>]) -> &'a str {
    lines
        .iter()
        .find(|l| l.kind == Kind::Title)
        .map_or("政府信息公开申请答复告知书", |l| l.text)
}

// ---------------------------------------------------------------------------
// Word.

/// Writes a letter as a Word document in the layout of official documents.
pub fn letter_docx(text: &str) -> Vec<u8> {
    let lines = parse(text);
    let mut s = docx::document_start();
    let char_pitch = docx::BODY_SIZE as i32 * 10 + docx::CHAR_SPACING;
    for line in &lines {
        let keep = if line.keep_next { "<w:keepNext/>" } else { "" };
        let flush = "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>";
        let (style, properties) = match line.kind {
            Kind::Title => ("Title", keep.to_string()),
            Kind::Number => ("Normal", format!("{keep}{flush}<w:jc w:val=\"center\"/>")),
            Kind::Salutation | Kind::Plain => ("Normal", format!("{keep}{flush}")),
            Kind::Blank => ("Normal", keep.to_string()),
            // Two characters is the style's own indent.
            Kind::Body { indent: 4 } => ("Normal", keep.to_string()),
            Kind::Body { indent } => (
                "Normal",
                format!(
                    "{keep}<w:ind w:firstLineChars=\"{}\" w:firstLine=\"{}\"/>",
                    indent * 50,
                    indent as u32 * docx::BODY_SIZE * 5
                ),
            ),
            Kind::Signature => (
                "Normal",
                format!(
                    "{keep}<w:ind w:right=\"{}\" w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"right\"/>",
                    SIGNATURE_RIGHT_CHARS as i32 * char_pitch
                ),
            ),
        };
        docx::paragraph_with(&mut s, style, &properties, &[Run::plain(line.text)]);
    }
    docx::document_end(&mut s);
    let creator = lines
        .iter()
        .find(|l| l.kind == Kind::Signature)
        .map(|l| l.text);
    docx::package(s, docx::core(title_of(&lines), creator))
}

// ---------------------------------------------------------------------------
// PDF.

/// Writes a letter as PDF with the built-in fonts.
pub fn letter_pdf_embedded(text: &str) -> PdfOutput {
    letter_pdf(text, &PdfFonts::embedded())
}

/// Writes a letter as PDF with the given fonts (the built-in ones for the
/// roles without one). Characters no font has are drawn as empty boxes and
/// named in the warnings.
pub fn letter_pdf(text: &str, fonts: &PdfFonts) -> PdfOutput {
    let lines = parse(text);
    pdf::with_fallback(fonts, |fonts| {
        pdf::render(fonts, title_of(&lines), |set| lay_out(&lines, set))
    })
}

/// A line shaped for setting: its text (none for a blank line), alignment,
/// first-line indent and distance from the right edge, in points.
struct Set {
    shaped: Option<Shaped>,
    align: Align,
    indent: f32,
    right: f32,
    keep_next: bool,
}

impl Set {
    /// How many grid lines it takes.
    fn lines(&self) -> usize {
        self.shaped.as_ref().map_or(1, |s| {
            pdf::lines_of(s, self.indent, self.right).len().max(1)
        })
    }
}

fn lay_out(lines: &[Line<'_>], set: &mut FontSet) -> Vec<Vec<pdf::Item>> {
    let items: Vec<Set> = lines
        .iter()
        .map(|line| {
            let (role, size) = match line.kind {
                Kind::Title => (FontRole::Title, pdf::TITLE_SIZE),
                _ => (FontRole::Body, pdf::BODY_SIZE),
            };
            let (align, indent, right) = match line.kind {
                Kind::Title | Kind::Number => (Align::Centre, 0.0, 0.0),
                Kind::Body { indent } => {
                    (Align::Justify, indent as f32 * pdf::CHAR_PITCH / 2.0, 0.0)
                }
                Kind::Signature => (
                    Align::Right,
                    0.0,
                    SIGNATURE_RIGHT_CHARS as f32 * pdf::CHAR_PITCH,
                ),
                Kind::Salutation | Kind::Plain | Kind::Blank => (Align::Justify, 0.0, 0.0),
            };
            let shaped =
                (line.kind != Kind::Blank).then(|| Shaped::new(set, &[(role, line.text)], size));
            Set {
                shaped,
                align,
                indent,
                right,
                keep_next: line.keep_next,
            }
        })
        .collect();
    let mut flow = Flow::new();
    for (i, item) in items.iter().enumerate() {
        // Lines kept together go to a new page when they do not fit on this
        // one but would on a page of their own.
        if i == 0 || !items[i - 1].keep_next {
            let kept = items[i..]
                .iter()
                .position(|s| !s.keep_next)
                .map_or(items.len(), |k| i + k + 1);
            if kept > i + 1 {
                let need =
                    items[i..kept].iter().map(Set::lines).sum::<usize>() as f32 * pdf::LINE_PITCH;
                if need > flow.room() + pdf::EPS && need <= pdf::TEXT_H + pdf::EPS && !flow.at_top()
                {
                    flow.new_page();
                }
            }
        }
        match &item.shaped {
            None => {
                flow.take_line();
            }
            Some(shaped) => {
                pdf::paragraph_lines(shaped, &mut flow, item.align, item.indent, item.right)
            }
        }
    }
    pdf::number_pages(flow, set)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LETTER: &str = "政府信息公开申请答复告知书\n\n〔2023〕第0001号\n\n王某：\n　　本机关于2023年1月19日收到您的申请。现答复如下：\n　　经审查，予以公开。\n　　特此告知。\n\n示例县人民政府办公室\n2023年2月8日\n";

    #[test]
    fn the_lines_of_a_letter_are_recognised() {
        let lines = parse(LETTER);
        let kinds: Vec<Kind> = lines.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            vec![
                Kind::Title,
                Kind::Blank,
                Kind::Number,
                Kind::Blank,
                Kind::Salutation,
                Kind::Body { indent: 4 },
                Kind::Body { indent: 4 },
                Kind::Body { indent: 4 },
                Kind::Blank,
                Kind::Signature,
                Kind::Signature,
            ]
        );
        // The indent is not part of the text.
        assert_eq!(lines[7].text, "特此告知。");
        // Kept together: everything up to the body; the last paragraph, the
        // blank line and the agency with the date.
        let keep: Vec<bool> = lines.iter().map(|l| l.keep_next).collect();
        assert_eq!(
            keep,
            vec![true, true, true, true, true, false, false, true, true, true, false]
        );
    }

    #[test]
    fn lines_with_sentence_punctuation_are_not_a_signature() {
        let lines = parse("告知书\n张某：\n　　正文。\n\n附件：清单\n示例局\n2025年1月2日");
        let kinds: Vec<Kind> = lines.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            vec![
                Kind::Title,
                Kind::Salutation,
                Kind::Body { indent: 4 },
                Kind::Blank,
                Kind::Plain,
                Kind::Signature,
                Kind::Signature,
            ]
        );
        // A title and a number line only: no signature.
        let lines = parse("告知书\n〔2025〕第1号");
        assert_eq!(lines[1].kind, Kind::Number);
        assert!(parse("").is_empty());
        assert!(parse("\n\n").is_empty());
    }

    /// Where the lines of a letter are set in the PDF: the title centred,
    /// the number line centred, the salutation flush left, the body
    /// indented two characters, the signature four characters in from the
    /// right; one line of the grid each.
    #[test]
    fn lines_are_placed_as_official_documents_place_them() {
        let mut set = FontSet::new(&PdfFonts::embedded());
        let pages = lay_out(&parse(LETTER), &mut set);
        assert_eq!(pages.len(), 1);
        let runs: Vec<&pdf::Run> = pages[0]
            .iter()
            .filter_map(|item| match item {
                pdf::Item::Run(run) => Some(run),
                _ => None,
            })
            .collect();
        let line = |text: &str| -> (f32, f32, f32) {
            let parts: Vec<&&pdf::Run> = runs
                .iter()
                .filter(|r| text.starts_with(r.text.as_str()) || r.text.starts_with(text))
                .collect();
            let first = parts.first().unwrap_or_else(|| panic!("{text}"));
            let last = parts.last().unwrap();
            let end = last.x + last.glyphs.iter().map(|g| g.1).sum::<f32>();
            (first.x, end, first.baseline)
        };
        let close = |a: f32, b: f32| (a - b).abs() < 0.05;
        let left = pdf::MARGIN_LEFT;
        let right = pdf::MARGIN_LEFT + pdf::TEXT_W;
        let (x, end, title_base) = line("政府信息公开申请答复告知书");
        assert!(close((x + end) / 2.0, (left + right) / 2.0), "{x} {end}");
        let (x, end, number_base) = line("〔2023〕第0001号");
        assert!(close((x + end) / 2.0, (left + right) / 2.0), "{x} {end}");
        // A blank line between the title and the number (the baselines of
        // the two sizes differ by a little within their grid lines).
        assert!((number_base - title_base - 2.0 * pdf::LINE_PITCH).abs() < 0.2 * pdf::LINE_PITCH);
        let (x, _, _) = line("王某：");
        assert!(close(x, left));
        let (x, _, _) = line("特此告知。");
        assert!(close(x, left + 2.0 * pdf::CHAR_PITCH), "{x}");
        let (_, end, agency_base) = line("示例县人民政府办公室");
        assert!(close(end, right - 4.0 * pdf::CHAR_PITCH), "{end}");
        let (_, end, date_base) = line("2023年2月8日");
        assert!(close(end, right - 4.0 * pdf::CHAR_PITCH), "{end}");
        assert!(close(date_base - agency_base, pdf::LINE_PITCH));
        // The page number below the text area.
        assert!(runs
            .iter()
            .any(|r| r.text.contains('1') && r.baseline > 0.9 * pdf::PAGE_H));
    }

    #[test]
    fn indents_are_counted_in_half_widths() {
        assert_eq!(split_indent("　　正文"), (4, "正文"));
        assert_eq!(split_indent("    正文"), (4, "正文"));
        assert_eq!(split_indent("正文"), (0, "正文"));
        let lines = parse("题\n　正文");
        assert_eq!(lines[1].kind, Kind::Body { indent: 2 });
    }
}
