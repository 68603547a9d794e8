//! Plain text: UTF-8 (with or without BOM) or GB18030/GBK, detected.
//!
//! Each line becomes a block. A line with tabs, with `|` separators, or with
//! cells aligned by runs of two or more spaces becomes a table row; consecutive
//! rows make a table. Lines starting with `#` marks are headings; short lines
//! starting with an enumeration mark ("一、", "（一）") are taken as headings of
//! unknown level. Everything else is a paragraph.

use crate::decode::decode;
use crate::doc::{Block, Document, Pos, ReadError, Table, TableCell};
use gongkai_template::text::numbering_len;

/// Reads a text file.
pub fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    let (text, _, notes) = decode(bytes);
    if text.contains('\0') {
        return Err(ReadError {
            message: "文件含有二进制数据（空字节），不是文本文件".into(),
            pos: text.find('\0').map(|at| pos_of(&text, at)),
        });
    }
    let mut doc = read_str(&text);
    doc.notes.splice(0..0, notes);
    Ok(doc)
}

fn pos_of(text: &str, at: usize) -> Pos {
    let before = &text[..at];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    Pos::new(line, col)
}

/// The lines of a text, whatever ends them: "\r\n", "\n", or a lone "\r"
/// (old Mac files and some crawler exports).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let r = rest?;
        match memchr::memchr2(b'\n', b'\r', r.as_bytes()) {
            Some(i) => {
                let end = if r[i..].starts_with("\r\n") {
                    i + 2
                } else {
                    i + 1
                };
                rest = Some(&r[end..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// Reads text already decoded.
pub fn read_str(text: &str) -> Document {
    let mut doc = Document::default();
    let mut table: Option<Table> = None;
    for (i, line) in lines(text).enumerate() {
        let line_no = i as u32 + 1;
        let line = line.strip_prefix('\u{FEFF}').unwrap_or(line);
        if let Some(cells) = split_row(line, line_no) {
            let t = table.get_or_insert_with(|| Table {
                rows: Vec::new(),
                pos: Pos::new(line_no, 1),
            });
            t.rows.push(cells);
            continue;
        }
        if let Some(t) = table.take() {
            doc.blocks.push(Block::Table(t));
        }
        let trimmed = line.trim_matches(|c: char| c.is_whitespace());
        if trimmed.is_empty() {
            continue;
        }
        let col = line.chars().take_while(|c| c.is_whitespace()).count() as u32 + 1;
        let pos = Pos::new(line_no, col);
        let hashes = trimmed.chars().take_while(|&c| c == '#').count();
        if hashes > 0 && hashes <= 6 {
            let rest = trimmed[hashes..].trim();
            if !rest.is_empty() {
                doc.blocks.push(Block::Heading {
                    level: hashes as u8,
                    text: rest.to_string(),
                    pos,
                });
                continue;
            }
        }
        if looks_like_heading(trimmed) {
            doc.blocks.push(Block::Heading {
                level: 0,
                text: trimmed.to_string(),
                pos,
            });
        } else {
            doc.blocks.push(Block::Paragraph {
                text: trimmed.to_string(),
                pos,
            });
        }
    }
    if let Some(t) = table.take() {
        doc.blocks.push(Block::Table(t));
    }
    doc
}

fn looks_like_heading(s: &str) -> bool {
    numbering_len(s) > 0 && s.chars().count() <= 30 && !s.ends_with('。') && !s.ends_with('；')
}

/// Splits a line into table cells when it is a table row; None otherwise.
fn split_row(line: &str, line_no: u32) -> Option<Vec<TableCell>> {
    if line.contains('\t') {
        return Some(split_on(line, line_no, |s| s.find('\t').map(|i| (i, 1))));
    }
    let t = line.trim();
    if t.matches('|').count() >= 2 || (t.starts_with('|') && t.len() > 1) {
        // Markdown separator rows carry no data.
        if t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')) {
            return Some(Vec::new());
        }
        let mut cells = split_on(line, line_no, |s| s.find('|').map(|i| (i, 1)));
        // Bounding pipes produce empty first and last cells.
        if t.starts_with('|') && cells.first().is_some_and(|c| c.text.is_empty()) {
            cells.remove(0);
        }
        if t.ends_with('|') && cells.last().is_some_and(|c| c.text.is_empty()) {
            cells.pop();
        }
        return Some(cells);
    }
    // Space-aligned: two or more runs of 2+ spaces (or ideographic spaces).
    let gaps = count_gaps(t);
    if gaps >= 2 {
        let cells = split_on(line, line_no, find_gap);
        // Paragraphs indented with ideographic spaces and run together on
        // one line (crawler copies) are prose, not a row of cells.
        let prose = cells
            .iter()
            .any(|c| c.text.contains('。') || c.text.chars().count() > 80);
        return (!prose).then_some(cells);
    }
    None
}

fn find_gap(s: &str) -> Option<(usize, usize)> {
    let mut start = None;
    let mut width = 0;
    for (i, c) in s.char_indices() {
        let space = c == ' ' || c == '\u{3000}';
        match (space, start) {
            (true, None) => {
                start = Some(i);
                width = if c == '\u{3000}' { 2 } else { 1 };
            }
            (true, Some(_)) => width += if c == '\u{3000}' { 2 } else { 1 },
            (false, Some(st)) => {
                if width >= 2 {
                    return Some((st, i - st));
                }
                start = None;
            }
            (false, None) => {}
        }
    }
    match start {
        Some(st) if width >= 2 => Some((st, s.len() - st)),
        _ => None,
    }
}

fn count_gaps(s: &str) -> usize {
    let mut n = 0;
    let mut rest = s;
    while let Some((at, len)) = find_gap(rest) {
        n += 1;
        rest = &rest[at + len..];
    }
    n
}

/// Splits `line` with a separator finder returning (byte offset, byte length).
fn split_on(
    line: &str,
    line_no: u32,
    find: impl Fn(&str) -> Option<(usize, usize)>,
) -> Vec<TableCell> {
    let mut cells = Vec::new();
    let mut start = 0;
    let mut col = 1u32;
    loop {
        let rest = &line[start..];
        let (field, next) = match find(rest) {
            Some((at, len)) => (&rest[..at], Some(start + at + len)),
            None => (rest, None),
        };
        let lead = field.chars().take_while(|c| c.is_whitespace()).count() as u32;
        cells.push(TableCell::new(field.trim(), Pos::new(line_no, col + lead)));
        match next {
            Some(n) => {
                col += line[start..n].chars().count() as u32;
                start = n;
            }
            None => break,
        }
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_rows_make_tables() {
        let doc = read_str("一、总体情况\n\n规章\t0\t1\t27\n行政许可\t0\t\t\n正文。");
        assert_eq!(doc.blocks.len(), 3);
        let Block::Table(t) = &doc.blocks[1] else {
            panic!("table expected")
        };
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0][3].text, "27");
        assert_eq!(t.rows[0][3].pos, Pos::new(3, 8));
        assert_eq!(t.rows[1].len(), 4);
        assert!(matches!(&doc.blocks[0], Block::Heading { level: 0, .. }));
    }

    #[test]
    fn pipes_and_spaces() {
        let doc = read_str("| 规章 | 0 | 1 |\n|---|---|---|\n行政许可    3    4");
        let Block::Table(t) = &doc.blocks[0] else {
            panic!()
        };
        assert_eq!(
            t.rows[0]
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>(),
            ["规章", "0", "1"]
        );
        assert!(t.rows[1].is_empty());
        assert_eq!(
            t.rows[2]
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>(),
            ["行政许可", "3", "4"]
        );
        assert_eq!(t.rows[2][1].pos, Pos::new(3, 9));
    }

    #[test]
    fn markdown_headings_and_gbk() {
        let (gbk, _, _) = encoding_rs::GBK.encode("## 二、主动公开政府信息情况\r\n");
        let doc = read(&gbk).unwrap();
        assert_eq!(
            doc.blocks[0],
            Block::Heading {
                level: 2,
                text: "二、主动公开政府信息情况".into(),
                pos: Pos::new(1, 1)
            }
        );
        assert_eq!(doc.notes.len(), 1);
    }

    #[test]
    fn binary_is_refused() {
        assert!(read(b"abc\0def").is_err());
    }
}
