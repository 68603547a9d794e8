//! Markdown reader (CommonMark with pipe tables), built on pulldown-cmark's
//! offset iterator so that every block knows its exact line and column.
//!
//! * ATX (`##`) and setext headings become headings with their level.
//! * Paragraphs become one block per source line: soft and hard line breaks
//!   both end a block. A short line that is all `**bold**` becomes a heading
//!   of level 0, as in the HTML reader.
//! * List items become paragraphs; an ordered item keeps its number ("1.").
//! * Pipe tables become tables, the header row first. `<br>` in a cell is a
//!   line break ('\n') in the cell's text.
//! * Raw HTML blocks are read by [`crate::html`] (that is how tables with merged
//!   cells are written in Markdown), positions moved to the Markdown file. An
//!   HTML block that opens a `<table>` and is cut short by a blank line is read
//!   on to its matching `</table>`.
//! * Text of images and code blocks: code block lines are paragraphs; image
//!   descriptions are dropped.

use crate::decode;
use crate::doc::{Block, Document, Pos, ReadError, ReadNote, Table, TableCell};
use crate::html::{self, LineBuf, PosMap};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// Reads a Markdown file.
pub fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    if let Some(err) = html::sniff_binary(bytes, "Markdown") {
        return Err(err);
    }
    let (text, _, mut notes) = decode::decode(bytes);
    let mut doc = read_str(&text);
    notes.append(&mut doc.notes);
    doc.notes = notes;
    Ok(doc)
}

/// Reads Markdown that is already text.
pub fn read_str(src: &str) -> Document {
    let mut r = Reader {
        src,
        posmap: PosMap::new(src),
        blocks: Vec::new(),
        notes: Vec::new(),
        line: LineBuf::default(),
        heading: None,
        strong: 0,
        image: 0,
        code: 0,
        lists: Vec::new(),
        marker_only: false,
        table: None,
        html: None,
        skip_until: 0,
        tables: None,
    };
    let parser = Parser::new_ext(src, Options::ENABLE_TABLES).into_offset_iter();
    for (event, range) in parser {
        if range.start < r.skip_until {
            continue;
        }
        r.event(event, range);
    }
    r.end_html();
    r.flush();
    r.end_table();
    Document {
        blocks: r.blocks,
        notes: r.notes,
        pages: Vec::new(),
    }
}

struct CellState {
    /// Where the cell starts in the source (its position when it has no text).
    start: usize,
    /// Its lines, joined by '\n'.
    text: String,
    /// Where its first line is.
    first: Option<Pos>,
}

struct TableState {
    pos: Pos,
    rows: Vec<Vec<TableCell>>,
    cell: Option<CellState>,
    /// Where the body row being read is in the source.
    row_range: Option<Range<usize>>,
}

struct HtmlState {
    /// Where the block starts and ends in the source.
    range: Range<usize>,
    text: String,
    /// For each line of `text`: (line in the file, characters before it).
    origins: Vec<(u32, u32)>,
    /// `text` still has to start a new line in `origins`.
    at_line_start: bool,
}

struct Reader<'s> {
    src: &'s str,
    posmap: PosMap<'s>,
    blocks: Vec<Block>,
    notes: Vec<ReadNote>,
    line: LineBuf,
    heading: Option<u8>,
    strong: usize,
    image: usize,
    code: usize,
    /// Open lists: whether each is ordered.
    lists: Vec<bool>,
    /// The line holds only the number of an ordered list item so far.
    marker_only: bool,
    table: Option<TableState>,
    html: Option<HtmlState>,
    /// Events starting before this offset were read as part of an HTML table.
    skip_until: usize,
    /// `<table` tags and where their `</table>` ends, computed when first needed.
    tables: Option<Vec<(usize, Option<usize>)>>,
}

fn level_of(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn is_br(html: &str) -> bool {
    let t = html.trim_start().as_bytes();
    t.len() >= 3
        && t[0] == b'<'
        && t[1].eq_ignore_ascii_case(&b'b')
        && t[2].eq_ignore_ascii_case(&b'r')
        && !t.get(3).is_some_and(u8::is_ascii_alphanumeric)
}

/// Counts `<table` openings minus `</table` closings (ASCII case-insensitive).
fn table_balance(text: &str) -> i64 {
    let lower = text.to_ascii_lowercase();
    let opens = lower
        .match_indices("<table")
        .filter(|(i, _)| tag_name_ends(&lower, i + 6))
        .count();
    let closes = lower
        .match_indices("</table")
        .filter(|(i, _)| tag_name_ends(&lower, i + 7))
        .count();
    opens as i64 - closes as i64
}

fn tag_name_ends(s: &str, at: usize) -> bool {
    !s.as_bytes()
        .get(at)
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-')
}

/// Pairs every `<table` in the source with the end of its matching
/// `</table …>` (None when it is never closed), in source order. One pass over
/// the source, so that any number of HTML blocks can look their table up.
fn match_tables(src: &str) -> Vec<(usize, Option<usize>)> {
    let bytes = src.as_bytes();
    let mut out: Vec<(usize, Option<usize>)> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'<' {
            let rest = &bytes[i..];
            let starts =
                |p: &[u8]| rest.len() >= p.len() && rest[..p.len()].eq_ignore_ascii_case(p);
            if starts(b"<table") && !bytes.get(i + 6).is_some_and(u8::is_ascii_alphanumeric) {
                open.push(out.len());
                out.push((i, None));
            } else if starts(b"</table") && !bytes.get(i + 7).is_some_and(u8::is_ascii_alphanumeric)
            {
                let end = bytes[i..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(bytes.len(), |p| i + p + 1);
                if let Some(k) = open.pop() {
                    if let Some(entry) = out.get_mut(k) {
                        entry.1 = Some(end);
                    }
                }
            }
        }
        i += 1;
    }
    out
}

impl<'s> Reader<'s> {
    fn pos(&mut self, offset: usize) -> Pos {
        self.posmap.pos(offset)
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        if self.html.is_some() && !matches!(event, Event::Html(_) | Event::End(TagEnd::HtmlBlock)) {
            self.end_html();
        }
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => {
                if self.image > 0 {
                    return;
                }
                if self.code > 0 {
                    self.code_text(&t, range);
                } else {
                    self.text(&t, range);
                }
            }
            Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                if self.image == 0 {
                    let at = range.start;
                    let pos = self.pos(at);
                    self.line.push(&t, self.strong > 0, |_| pos);
                }
            }
            Event::Html(t) => {
                if self.html.is_none() {
                    self.start_html(range.clone());
                }
                self.html_text(&t, range);
            }
            Event::InlineHtml(t) => {
                if is_br(&t) {
                    self.line_break();
                }
            }
            Event::SoftBreak | Event::HardBreak => self.line_break(),
            Event::Rule => self.flush(),
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        match tag {
            // The number of a loose list item waits for its paragraph.
            Tag::Paragraph if self.marker_only => {}
            Tag::Paragraph
            | Tag::BlockQuote(_)
            | Tag::FootnoteDefinition(_)
            | Tag::MetadataBlock(_) => self.flush(),
            Tag::DefinitionList | Tag::DefinitionListTitle | Tag::DefinitionListDefinition => {
                self.flush()
            }
            Tag::Heading { level, .. } => {
                self.flush();
                self.heading = Some(level_of(level));
            }
            Tag::CodeBlock(_) => {
                self.flush();
                self.code += 1;
            }
            Tag::HtmlBlock => {
                self.flush();
                self.start_html(range);
            }
            Tag::List(start) => {
                self.flush();
                self.lists.push(start.is_some());
            }
            Tag::Item => {
                self.flush();
                if self.lists.last() == Some(&true) {
                    self.item_number(range.start);
                }
            }
            Tag::Table(_) => {
                self.flush();
                self.end_table();
                let pos = self.pos(range.start);
                self.table = Some(TableState {
                    pos,
                    rows: Vec::new(),
                    cell: None,
                    row_range: None,
                });
            }
            Tag::TableHead | Tag::TableRow => {
                self.flush();
                let body = matches!(tag, Tag::TableRow);
                if let Some(t) = &mut self.table {
                    t.cell = None;
                    // Rows are mostly as wide as the one before.
                    let width = t.rows.last().map_or(0, Vec::len);
                    t.rows.push(Vec::with_capacity(width));
                    t.row_range = body.then_some(range);
                }
            }
            Tag::TableCell => {
                self.flush();
                if let Some(t) = &mut self.table {
                    if t.rows.is_empty() {
                        t.rows.push(Vec::new());
                    }
                    t.cell = Some(CellState {
                        start: range.start,
                        text: String::new(),
                        first: None,
                    });
                }
            }
            Tag::Strong => self.strong += 1,
            Tag::Image { .. } => self.image += 1,
            Tag::Emphasis | Tag::Strikethrough | Tag::Link { .. } => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph
            | TagEnd::BlockQuote(_)
            | TagEnd::FootnoteDefinition
            | TagEnd::MetadataBlock(_) => self.flush(),
            TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => self.flush(),
            TagEnd::Heading(_) => {
                self.flush();
                self.heading = None;
            }
            TagEnd::CodeBlock => {
                self.flush();
                self.code = self.code.saturating_sub(1);
            }
            TagEnd::HtmlBlock => self.end_html(),
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
            }
            TagEnd::Item => self.flush(),
            TagEnd::Table => {
                self.flush();
                self.end_table();
            }
            TagEnd::TableHead => self.flush(),
            TagEnd::TableRow => {
                self.flush();
                self.keep_cells_beyond_header();
            }
            TagEnd::TableCell => {
                self.flush();
                if let Some(c) = self.table.as_mut().and_then(|t| t.cell.take()) {
                    let pos = match c.first {
                        Some(pos) => pos,
                        None => self.pos(c.start),
                    };
                    if let Some(row) = self.table.as_mut().and_then(|t| t.rows.last_mut()) {
                        row.push(TableCell::new(c.text, pos));
                    }
                }
            }
            TagEnd::Strong => self.strong = self.strong.saturating_sub(1),
            TagEnd::Image => self.image = self.image.saturating_sub(1),
            TagEnd::Emphasis | TagEnd::Strikethrough | TagEnd::Link => {}
        }
    }

    /// A body row with more cells than the header (PDF-to-Markdown copies
    /// whose header row is shorter than the data): Markdown drops the extra
    /// cells; they are data, so they are read from the source and kept.
    fn keep_cells_beyond_header(&mut self) {
        let Some(range) = self.table.as_mut().and_then(|t| t.row_range.take()) else {
            return;
        };
        let Some(raw) = self.src.get(range.clone()) else {
            return;
        };
        // Cells of the raw line: split on unescaped '|', bounding pipes dropped.
        let mut cells: Vec<(usize, &str)> = Vec::new();
        let mut start = 0;
        let bytes = raw.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'|' && (i == 0 || bytes[i - 1] != b'\\') {
                cells.push((start, &raw[start..i]));
                start = i + 1;
            }
        }
        cells.push((start, &raw[start..]));
        if cells.first().is_some_and(|c| c.1.trim().is_empty()) && raw.trim_start().starts_with('|')
        {
            cells.remove(0);
        }
        if cells.last().is_some_and(|c| c.1.trim().is_empty()) && raw.trim_end().ends_with('|') {
            cells.pop();
        }
        let have = self
            .table
            .as_ref()
            .and_then(|t| t.rows.last())
            .map_or(0, Vec::len);
        if cells.len() <= have {
            return;
        }
        let extra: Vec<(String, Pos)> = cells[have..]
            .iter()
            .map(|(off, text)| {
                let lead = text.len() - text.trim_start().len();
                (text.trim().to_string(), self.pos(range.start + off + lead))
            })
            .collect();
        let at = extra[0].1;
        let n = extra.len();
        if let Some(row) = self.table.as_mut().and_then(|t| t.rows.last_mut()) {
            for (text, pos) in extra {
                row.push(TableCell::new(text, pos));
            }
        }
        self.notes.push(ReadNote {
            message: format!(
                "表格的这一行比表头多 {n} 个单元格（表头行较短），多出的单元格照常读取"
            ),
            pos: at,
        });
    }

    /// Puts the number of an ordered list item ("1." or "1)") in front of its text.
    fn item_number(&mut self, at: usize) {
        let Some(rest) = self.src.get(at..) else {
            return;
        };
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || !matches!(rest.as_bytes().get(digits), Some(b'.') | Some(b')')) {
            return;
        }
        let marker = &rest[..digits + 1];
        let pos = self.pos(at);
        self.line.push(marker, false, |_| pos);
        self.line.space();
        self.marker_only = true;
    }

    fn text(&mut self, t: &str, range: Range<usize>) {
        self.marker_only = false;
        let exact = self.src.get(range.clone()) == Some(t);
        let start = range.start;
        let bold = self.strong > 0;
        if self.line.is_empty() && t.chars().any(|c| !c.is_whitespace()) {
            let first = t
                .char_indices()
                .find(|(_, c)| !c.is_whitespace())
                .map_or(0, |(i, _)| i);
            let pos = self.pos(if exact { start + first } else { start });
            self.line.push(t, bold, |_| pos);
        } else {
            self.line.push(t, bold, |_| Pos::UNKNOWN);
        }
    }

    /// Code block text: one block per line.
    fn code_text(&mut self, t: &str, range: Range<usize>) {
        let exact = self.src.get(range.clone()) == Some(t);
        let base = self.pos(range.start);
        let mut offset = 0;
        for (k, piece) in t.split('\n').enumerate() {
            if !piece.trim().is_empty() {
                let first = piece
                    .char_indices()
                    .find(|(_, c)| !c.is_whitespace())
                    .map_or(0, |(i, _)| i);
                let pos = if exact {
                    self.pos(range.start + offset + first)
                } else {
                    Pos::new(base.line.saturating_add(k as u32), 1)
                };
                self.line.push(piece, false, |_| pos);
                self.flush();
            }
            offset += piece.len() + 1;
        }
    }

    fn line_break(&mut self) {
        if self.heading.is_some() {
            self.line.space();
        } else {
            self.flush();
        }
    }

    fn flush(&mut self) {
        self.marker_only = false;
        if self.line.is_empty() {
            self.line = LineBuf::default();
            return;
        }
        let line = std::mem::take(&mut self.line);
        let pos = line.start.unwrap_or(Pos::UNKNOWN);
        if let Some(cell) = self.table.as_mut().and_then(|t| t.cell.as_mut()) {
            if cell.first.is_none() {
                cell.first = Some(pos);
                cell.text = line.text;
            } else {
                cell.text.push('\n');
                cell.text.push_str(&line.text);
            }
            return;
        }
        let block = match self.heading {
            Some(level) => Block::Heading {
                level,
                text: line.text,
                pos,
            },
            None if line.bold_only() => Block::Heading {
                level: 0,
                text: line.text,
                pos,
            },
            None => Block::Paragraph {
                text: line.text,
                pos,
            },
        };
        self.blocks.push(block);
    }

    fn end_table(&mut self) {
        if let Some(t) = self.table.take() {
            if t.rows.iter().any(|r| !r.is_empty()) {
                let mut table = Table {
                    rows: t.rows,
                    pos: t.pos,
                };
                self.notes.extend(html::bound_table(&mut table));
                self.blocks.push(Block::Table(table));
            }
        }
    }

    // -- raw HTML -------------------------------------------------------------

    fn start_html(&mut self, range: Range<usize>) {
        self.html = Some(HtmlState {
            range,
            text: String::new(),
            origins: Vec::new(),
            at_line_start: true,
        });
    }

    fn html_text(&mut self, t: &str, range: Range<usize>) {
        let exact = self.src.get(range.clone()) == Some(t);
        let mut offset = range.start;
        let mut origins = Vec::new();
        let mut first = true;
        let at_line_start = match &self.html {
            Some(h) => h.at_line_start,
            None => true,
        };
        for piece in t.split_inclusive('\n') {
            if at_line_start || !first {
                let p = if exact || first {
                    self.pos(offset)
                } else {
                    Pos::UNKNOWN
                };
                origins.push(p);
            }
            first = false;
            offset += piece.len();
        }
        let Some(h) = self.html.as_mut() else { return };
        let mut last = h.origins.last().copied().unwrap_or((0, 0));
        for p in origins {
            let entry = if p.is_known() {
                (p.line, p.column.saturating_sub(1))
            } else {
                (last.0.saturating_add(1), 0)
            };
            h.origins.push(entry);
            last = entry;
        }
        h.text.push_str(t);
        h.at_line_start = t.ends_with('\n');
    }

    /// The end of the `</table>` matching the first `<table` at or after `from`.
    fn table_end(&mut self, from: usize) -> Option<usize> {
        let src = self.src;
        let tables = self.tables.get_or_insert_with(|| match_tables(src));
        let k = tables.partition_point(|&(at, _)| at < from);
        tables.get(k).and_then(|&(_, end)| end)
    }

    fn end_html(&mut self) {
        let Some(mut h) = self.html.take() else {
            return;
        };
        if table_balance(&h.text) > 0 {
            // A blank line ended the HTML block inside a table: read the
            // source on to the matching </table>.
            if let Some(end) = self.table_end(h.range.start) {
                if let Some(raw) = self.src.get(h.range.start..end) {
                    let first = self.pos(h.range.start);
                    h.text = raw.to_string();
                    h.origins = vec![(first.line, first.column.saturating_sub(1))];
                    self.skip_until = end;
                }
            }
        }
        let doc = html::read_fragment(&h.text, &h.origins);
        self.blocks.extend(doc.blocks);
        self.notes.extend(doc.notes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(doc: &Document) -> Vec<String> {
        doc.blocks
            .iter()
            .map(|b| match b {
                Block::Heading { level, text, .. } => format!("H{level} {text}"),
                Block::Paragraph { text, .. } => format!("P {text}"),
                Block::Table(t) => format!("T {}x{}", t.rows.len(), t.grid().width),
            })
            .collect()
    }

    fn tables(doc: &Document) -> Vec<&Table> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
            .collect()
    }

    fn find_pos(src: &str, needle: &str) -> Pos {
        let at = src.find(needle).expect("needle in source");
        PosMap::new(src).pos(at)
    }

    #[test]
    fn headings_lines_and_positions() {
        let md =
            "# 标题\n\n第一行\n  第二行  \n第三行\\\n第四行\n\n设置标题\n---\n\n**一、总体情况**\n\n**注：** 正文\n";
        let doc = read(md.as_bytes()).unwrap();
        assert_eq!(
            texts(&doc),
            [
                "H1 标题",
                "P 第一行",
                "P 第二行",
                "P 第三行",
                "P 第四行",
                "H2 设置标题",
                "H0 一、总体情况",
                "P 注： 正文"
            ]
        );
        let pos: Vec<Pos> = doc.blocks.iter().map(Block::pos).collect();
        assert_eq!(
            pos[..6],
            [
                Pos::new(1, 3),
                Pos::new(3, 1),
                Pos::new(4, 3),
                Pos::new(5, 1),
                Pos::new(6, 1),
                Pos::new(8, 1)
            ]
        );
        assert_eq!(pos[6], Pos::new(11, 3));
    }

    #[test]
    fn lists_keep_numbers() {
        let md = "- 1、公开内容\n- 2、公开形式\n\n1. 属于国家秘密\n2. 其他\n   续行\n\n3) 第三\n";
        let doc = read(md.as_bytes()).unwrap();
        assert_eq!(
            texts(&doc),
            [
                "P 1、公开内容",
                "P 2、公开形式",
                "P 1. 属于国家秘密",
                "P 2. 其他",
                "P 续行",
                "P 3) 第三"
            ]
        );
        assert_eq!(doc.blocks[2].pos(), Pos::new(4, 1));
        assert_eq!(doc.blocks[0].pos(), Pos::new(1, 3));
        assert_eq!(doc.blocks[4].pos(), Pos::new(6, 4));
    }

    #[test]
    fn pipe_tables() {
        let md =
            "前文\n\n| 信息内容 | 本年制发件数 |\n|---|---:|\n| 规章 | 0 |\n| 行政<br>规范性文件 |  27 |\n|  | |\n";
        let doc = read(md.as_bytes()).unwrap();
        assert_eq!(texts(&doc), ["P 前文", "T 4x2"]);
        let t = tables(&doc)[0];
        assert_eq!(t.pos, Pos::new(3, 1));
        let cells: Vec<Vec<&str>> = t
            .rows
            .iter()
            .map(|r| r.iter().map(|c| c.text.as_str()).collect())
            .collect();
        assert_eq!(
            cells,
            [
                vec!["信息内容", "本年制发件数"],
                vec!["规章", "0"],
                vec!["行政\n规范性文件", "27"],
                vec!["", ""]
            ]
        );
        assert_eq!(t.rows[0][1].pos, Pos::new(3, 10));
        assert_eq!(t.rows[2][1].pos, find_pos(md, "27"));
        assert_eq!(t.rows[3][0].pos.line, 7);
    }

    #[test]
    fn html_tables_are_read_with_file_positions() {
        let md = "## 四、复议诉讼\n\n<table>\n<tr><th colspan=\"5\">行政复议</th><th colspan=\"10\">行政诉讼</th></tr>\n<tr><td>结果<br>维持</td></tr>\n</table>\n\n后文\n";
        let doc = read(md.as_bytes()).unwrap();
        assert_eq!(texts(&doc), ["H2 四、复议诉讼", "T 2x15", "P 后文"]);
        let t = tables(&doc)[0];
        assert_eq!(t.pos, Pos::new(3, 1));
        assert_eq!(t.rows[0][1].pos, find_pos(md, "行政诉讼"));
        assert_eq!(t.rows[1][0].text, "结果\n维持");
        assert_eq!(t.rows[1][0].pos, Pos::new(5, 9));
        assert_eq!(doc.blocks[2].pos(), Pos::new(8, 1));
    }

    #[test]
    fn html_table_cut_by_blank_line() {
        let md = "<table>\n<tr><td>甲</td><td>乙</td></tr>\n\n<tr><td>1</td><td>2</td></tr>\n</table>\n\n后文\n";
        let doc = read(md.as_bytes()).unwrap();
        assert_eq!(texts(&doc), ["T 2x2", "P 后文"]);
        let t = tables(&doc)[0];
        assert_eq!(t.rows[1][1].pos, find_pos(md, "2</td>"));
    }

    #[test]
    fn html_in_blockquote_keeps_positions() {
        let md =
            "> <table><tr><td>甲</td><td>乙</td></tr>\n> <tr><td>1</td><td>2</td></tr></table>\n";
        let doc = read(md.as_bytes()).unwrap();
        let t = tables(&doc)[0];
        assert_eq!(t.rows[1][0].pos, Pos::new(2, 11));
        assert_eq!(t.rows[0][0].pos, Pos::new(1, 18));
    }

    #[test]
    fn gbk_markdown_is_decoded() {
        let (gbk, _, _) = encoding_rs::GBK.encode("## 六、其他需要报告的事项\n\n无\n");
        let doc = read(&gbk).unwrap();
        assert_eq!(texts(&doc), ["H2 六、其他需要报告的事项", "P 无"]);
        assert!(!doc.notes.is_empty());
    }

    #[test]
    fn fixture_002_huji() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/md/002_huji_2024.md");
        let bytes = std::fs::read(&path).unwrap();
        let src = std::str::from_utf8(&bytes).unwrap();
        let doc = read(&bytes).unwrap();
        assert!(doc.notes.is_empty(), "{:?}", doc.notes);
        let all = texts(&doc);
        assert_eq!(all[0], "H1 胡集乡 2024 年政府信息公开工作年度报告");
        assert!(
            all.contains(&"H2 三、收到和处理政府信息公开申请情况".to_string()),
            "{all:?}"
        );
        assert!(
            all.contains(&"H3 二、依申请公开情况".to_string()),
            "{all:?}"
        );
        assert!(
            all.contains(&"P 2024 年我乡收到依申请公开事项 0 条".to_string()),
            "{all:?}"
        );
        let ts = tables(&doc);
        assert_eq!(ts.len(), 3);
        assert_eq!(ts[0].grid().width, 4);
        assert_eq!(ts[0].rows[0][0].text, "第二十条第（一）项");
        assert_eq!(ts[1].grid().width, 10);
        assert_eq!(ts[1].rows.len(), 28);
        assert_eq!(ts[1].rows[0][0].pos, find_pos(src, "(本列数据"));
        let label = ts[1]
            .rows
            .iter()
            .map(|r| r[2].text.as_str())
            .find(|t| t.starts_with("2. 申请人逾期"))
            .unwrap();
        assert!(label.ends_with("不再处理其政府信息公开申请"));
        // Table 4 is raw HTML with merged cells.
        let t4 = ts[2];
        assert_eq!(t4.grid().width, 15);
        assert_eq!(
            (t4.rows[0][1].text.as_str(), t4.rows[0][1].col_span),
            ("行政诉讼", 10)
        );
        assert_eq!(t4.rows[1][0].text, "结果\n维持");
        assert_eq!(t4.rows[1][0].row_span, 2);
        assert_eq!(t4.pos, find_pos(src, "<table"));
        let soft = doc
            .blocks
            .iter()
            .position(|b| {
                b.text()
                    .is_some_and(|t| t.starts_with("政务公开是推进依法行政"))
            })
            .unwrap();
        assert_eq!(
            doc.blocks[soft].pos(),
            find_pos(src, "政务公开是推进依法行政")
        );
        assert!(
            doc.blocks[soft + 1].text().unwrap().starts_with("今年以来"),
            "{:?}",
            doc.blocks[soft + 1]
        );
        assert_eq!(doc.blocks[soft + 1].pos(), find_pos(src, "今年以来"));
        assert!(all.last().unwrap().contains("本年度我单位未收取信息处理费"));
    }

    /// xorshift64*: deterministic pseudo-random input for the garbage test.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    const SOUP: &[&str] = &[
        "|",
        "| a |",
        "|---|",
        ":-:",
        "\n",
        "\n\n",
        "  \n",
        "\\\n",
        "#",
        "## ",
        "===",
        "---",
        "- ",
        "1. ",
        "3) ",
        "> ",
        "**",
        "*",
        "_",
        "`",
        "```",
        "~~~",
        "    ",
        "\t",
        "<table>",
        "</table>",
        "<tr>",
        "<td>",
        "<br>",
        "<td colspan=9999999>",
        "&nbsp;",
        "&#0;",
        "[a](b)",
        "![x](y)",
        "[^1]",
        "<!--",
        "-->",
        "<div>",
        "三、",
        "81",
        "\r\n",
        "\r",
        "\u{3000}",
        "\0",
        "<",
        ">",
        "[",
        "]",
        "(",
        ")",
        "\\",
        "<br/>",
        "<TABLE>",
        "</TABLE>",
    ];

    #[test]
    fn garbage_never_panics() {
        let mut rng = Rng(0xD1B5_4A32_D192_ED03);
        for round in 0..3000 {
            let len = rng.below(200);
            let mut input: Vec<u8> = Vec::new();
            for _ in 0..len {
                if round % 3 == 0 || rng.below(5) == 0 {
                    input.push(rng.next() as u8);
                } else {
                    input.extend_from_slice(SOUP[rng.below(SOUP.len())].as_bytes());
                }
            }
            if let Ok(doc) = read(&input) {
                for b in &doc.blocks {
                    if let Block::Table(t) = b {
                        let _ = t.grid();
                    }
                }
            }
        }
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let md = format!(
            "{}x\n\n{}y\n\n{}",
            "> ".repeat(20_000),
            "- ".repeat(5_000),
            "<div>".repeat(100_000)
        );
        let doc = read(md.as_bytes()).unwrap();
        assert!(doc.blocks.iter().any(|b| b.text() == Some("x")));
        // Many HTML blocks opening tables never closed: each looks up its
        // </table> in one precomputed list, not by scanning the rest of the file.
        let md = "<table>\n\n".repeat(30_000);
        let doc = read(md.as_bytes()).unwrap();
        assert!(doc.blocks.is_empty());
        assert_eq!(doc.notes.len(), 30_000);
    }
}
