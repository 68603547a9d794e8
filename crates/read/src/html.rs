//! HTML reader: web pages as government portals publish them.
//!
//! The page is decoded (the `<meta charset>` declaration is honoured, see
//! [`decode_html`]), tokenized with html5ever's tokenizer, and turned into
//! blocks by a small, non-recursive structure builder:
//!
//! * `<h1>`…`<h6>` become headings; `<p>`, `<div>`, `<li>` and text directly
//!   inside any block element become paragraphs, one per line (`<br>` splits).
//!   A short line whose text is all bold (`<strong>`, `<b>`) becomes a heading
//!   of level 0 (a guess from the format, not from the wording).
//! * Tables keep their cells as written, with `rowspan`/`colspan` (capped at
//!   [`MAX_SPAN`]). Inside a cell `<br>` and block boundaries (`<p>`, `<div>`)
//!   become '\n'; other whitespace is collapsed.
//! * **Nested tables.** A table that has a table inside one of its cells, or
//!   that has a single cell, is taken for a layout table: it is unwrapped, its
//!   cells' contents (paragraphs, headings and the inner tables) become blocks
//!   of their own, in row order. Inner tables stay tables.
//! * **Page chrome.** `<script>`, `<style>`, `<head>`, `<select>`, `<button>`,
//!   `<iframe>`, `<svg>` … are skipped. `<nav>`, `<header>` (outside
//!   `<article>`/`<main>`), `<footer>`, `<aside>`, `<form>`, hidden elements and
//!   block elements whose `id` or `class` consists of site-chrome words (nav,
//!   menu, header, footer, breadcrumb, crumb, share, toolbar …, optionally with
//!   words like top, main, box, wrap) are read into a side buffer that is
//!   dropped at their end — unless it holds a data table (two rows and two
//!   columns or more), or, for a `<form>` (ASP.NET pages wrap the whole page
//!   in one), a heading or 200 characters of text.
//!
//! **Positions.** The decoded text is fed to the tokenizer in chunks that start
//! at each `<` and `&` and end after each `>`, `;` and line break, so every
//! token is emitted while the chunk holding its source is fed. A tag's position
//! is the `<` that began its chunk; a text's position is its first
//! non-whitespace character, looked up in that chunk (for a character
//! reference, its `&`). Offsets become line and column (in characters) through
//! a line index. The tokenizer's own line counter is not needed.
//!
//! **Limits.** Elements nest at most [`MAX_DEPTH`] deep (deeper start tags are
//! read as inline, with a note); end tags are matched through per-name index
//! lists, so no input makes the builder recurse or scan without bound. A table
//! whose grid would exceed [`MAX_GRID_SLOTS`] loses its spans, then rows, with
//! a note, so that [`Table::grid`] stays cheap for later stages.

use crate::decode::{self, Encoding};
use crate::doc::{Block, Document, Pos, ReadError, ReadNote, Table, TableCell};
use html5ever::buffer_queue::BufferQueue;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::LocalName;
use std::borrow::Cow;
use std::collections::HashMap;

/// Largest `rowspan`/`colspan` honoured; larger values are capped, with a note.
pub const MAX_SPAN: u32 = 1000;
/// Deepest element nesting tracked.
pub const MAX_DEPTH: usize = 1000;
/// How many bytes at the start of the file are searched for `<meta charset>`.
const PRESCAN: usize = 8192;
/// A bold-only line up to this many characters is taken for a heading.
pub(crate) const BOLD_HEADING_MAX_CHARS: usize = 50;

/// Reads an HTML page.
pub fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    if let Some(err) = sniff_binary(bytes, "HTML") {
        return Err(err);
    }
    let (text, mut notes) = decode_html(bytes);
    let mut doc = read_str(&text);
    notes.append(&mut doc.notes);
    doc.notes = notes;
    Ok(doc)
}

/// Reads HTML that is already text (no encoding detection).
pub fn read_str(text: &str) -> Document {
    read_fragment(text, &[])
}

/// Reads HTML that is part of a larger file. `origins[i]` says where line
/// `i + 1` of `text` sits in that file: (line, characters before it on that
/// line). Lines past the end of `origins` follow the last one. Every position,
/// in blocks and in notes, is given in the file's terms.
pub(crate) fn read_fragment(text: &str, origins: &[(u32, u32)]) -> Document {
    let src = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let bom = text.len() - src.len();
    let mut builder = Builder::new(text, bom, origins);
    let mut tokenizer = Tokenizer::new(
        &mut builder,
        TokenizerOpts {
            discard_bom: false,
            ..Default::default()
        },
    );
    let mut queue = BufferQueue::default();
    let mut start = bom;
    let bytes = text.as_bytes();
    let mut i = bom;
    while i < bytes.len() {
        let b = bytes[i];
        // A chunk ends before '<' and '&', and after '>', ';' and line breaks.
        if (b == b'<' || b == b'&') && i > start {
            feed(&mut tokenizer, &mut queue, text, start, i);
            start = i;
        }
        if b == b'>' || b == b';' || b == b'\n' || b == b'\r' {
            feed(&mut tokenizer, &mut queue, text, start, i + 1);
            start = i + 1;
        }
        i += 1;
    }
    if start < bytes.len() {
        feed(&mut tokenizer, &mut queue, text, start, bytes.len());
    }
    tokenizer.end();
    drop(tokenizer);
    builder.finish()
}

fn feed(
    tokenizer: &mut Tokenizer<&mut Builder<'_>>,
    queue: &mut BufferQueue,
    text: &str,
    start: usize,
    end: usize,
) {
    // Chunk boundaries sit on ASCII bytes, so they are char boundaries.
    let Some(chunk) = text.get(start..end) else {
        return;
    };
    tokenizer.sink.chunk = (start, end);
    tokenizer.sink.cursor = start;
    if chunk.starts_with('<') {
        tokenizer.sink.last_lt = start;
    }
    queue.push_back(StrTendril::from_slice(chunk));
    let _ = tokenizer.feed(queue);
}

// ---------------------------------------------------------------------------
// Encoding

/// Decodes an HTML page: a BOM decides first, then a `<meta charset>` or
/// `<meta http-equiv="Content-Type" content="…; charset=…">` in the first
/// 8 KiB, else [`decode::decode`] guesses. Notes say when the declaration was
/// missing, unknown or contradicted by the bytes.
pub fn decode_html(bytes: &[u8]) -> (Cow<'_, str>, Vec<ReadNote>) {
    let has_bom = bytes.starts_with(b"\xEF\xBB\xBF")
        || bytes.starts_with(b"\xFF\xFE")
        || bytes.starts_with(b"\xFE\xFF");
    if has_bom {
        let (text, _, notes) = decode::decode(bytes);
        return (text, notes);
    }
    let non_ascii = bytes.iter().any(|b| !b.is_ascii());
    let Some((label, line)) = prescan_charset(bytes) else {
        let (text, enc, mut notes) = decode::decode(bytes);
        if non_ascii && enc == Encoding::Utf8 {
            notes.insert(
                0,
                ReadNote {
                    message: "页面没有用 <meta charset> 声明字符编码，已按 UTF-8 读取".into(),
                    pos: Pos::new(1, 1),
                },
            );
        }
        return (text, notes);
    };
    let at = Pos::new(line, 1);
    let Some(declared) = encoding_rs::Encoding::for_label(label.as_bytes()) else {
        let (text, enc, mut notes) = decode::decode(bytes);
        notes.insert(0, ReadNote {
            message: format!(
                "第 {line} 行 <meta> 声明的字符编码“{label}”无法识别（应为 utf-8、gb2312、gbk 或 gb18030 等），已自动识别为 {}",
                enc.name()
            ),
            pos: at,
        });
        return (text, notes);
    };
    let mut notes = Vec::new();
    let is_utf8 = std::str::from_utf8(bytes).is_ok();
    let declared_utf8 = declared == encoding_rs::UTF_8
        || declared == encoding_rs::UTF_16LE
        || declared == encoding_rs::UTF_16BE;
    if declared_utf8 {
        if is_utf8 {
            return (String::from_utf8_lossy(bytes), notes);
        }
        let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
        notes.push(ReadNote {
            message: format!(
                "第 {line} 行 <meta> 声明字符编码为“{label}”，但内容不是有效的 UTF-8，已按 GB18030（GBK）读取"
            ),
            pos: at,
        });
        if had_errors {
            notes.push(replacement_note(
                "按 GB18030 读取时有无法识别的字节，已替换为“\u{FFFD}”",
                &text,
            ));
        }
        return (text, notes);
    }
    if non_ascii && is_utf8 {
        // Files saved again as UTF-8 often keep their old declaration.
        notes.push(ReadNote {
            message: format!("第 {line} 行 <meta> 声明字符编码为“{label}”，但内容是有效的 UTF-8，已按 UTF-8 读取"),
            pos: at,
        });
        return (String::from_utf8_lossy(bytes), notes);
    }
    // GB2312 and GBK are subsets of GB18030: decode the superset.
    let enc = if declared == encoding_rs::GBK {
        encoding_rs::GB18030
    } else {
        declared
    };
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        notes.push(replacement_note(
            &format!("按第 {line} 行 <meta> 声明的字符编码“{label}”读取时有无法识别的字节，已替换为“\u{FFFD}”"),
            &text,
        ));
    }
    (text, notes)
}

/// Finds the charset label declared by a `<meta>` tag near the start, and the
/// line of that tag.
fn prescan_charset(bytes: &[u8]) -> Option<(String, u32)> {
    let head = &bytes[..bytes.len().min(PRESCAN)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(rel) = find_bytes(lower.get(from..)?, b"<meta") {
        let start = from + rel;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |p| start + p);
        let tag = &lower[start..end];
        if let Some(label) = charset_in_tag(tag) {
            let line = head[..start].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
            return Some((label, line));
        }
        from = start + 5;
    }
    None
}

fn charset_in_tag(tag: &[u8]) -> Option<String> {
    let mut from = 0;
    while let Some(rel) = find_bytes(tag.get(from..)?, b"charset") {
        let mut i = from + rel + 7;
        while tag.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        if tag.get(i) == Some(&b'=') {
            i += 1;
            while tag
                .get(i)
                .is_some_and(|b| b.is_ascii_whitespace() || *b == b'"' || *b == b'\'')
            {
                i += 1;
            }
            let label: String = tag[i.min(tag.len())..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
                .map(|&b| b as char)
                .collect();
            if !label.is_empty() {
                return Some(label);
            }
        }
        from = from + rel + 7;
    }
    None
}

fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

fn replacement_note(message: &str, text: &str) -> ReadNote {
    let pos = match text.find('\u{FFFD}') {
        Some(at) => PosMap::new(text).pos(at),
        None => Pos::new(1, 1),
    };
    ReadNote {
        message: message.to_string(),
        pos,
    }
}

/// Says whether the bytes are plainly not text: a PDF, an Office or ZIP
/// file, an image, or bytes with many control characters. `what` names the
/// expected format in the message.
pub(crate) fn sniff_binary(bytes: &[u8], what: &str) -> Option<ReadError> {
    let kind = if bytes.starts_with(b"%PDF-") {
        Some("PDF 文件")
    } else if bytes.starts_with(b"PK\x03\x04") {
        Some("ZIP 压缩格式的文件（可能是 .docx、.xlsx 或 .wps）")
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        Some("旧版 Office 文件（.doc 或 .xls）")
    } else if bytes.starts_with(b"\x89PNG")
        || bytes.starts_with(b"\xFF\xD8\xFF")
        || bytes.starts_with(b"GIF8")
    {
        Some("图片文件")
    } else {
        None
    };
    if let Some(kind) = kind {
        return Some(ReadError {
            message: format!("这是{kind}，不是{what}文本；请先另存为{what}或纯文本再读取"),
            pos: None,
        });
    }
    let sample = &bytes[..bytes.len().min(PRESCAN)];
    let is_control = |b: &u8| matches!(b, 0x00..=0x08 | 0x0E..=0x1A | 0x1C..=0x1F);
    let controls = sample.iter().filter(|b| is_control(b)).count();
    if controls >= 4 && controls * 16 > sample.len() {
        // UTF-16 text has NUL bytes of its own (asked only now: it decodes
        // the head of the file twice).
        if bytes.starts_with(b"\xFF\xFE")
            || bytes.starts_with(b"\xFE\xFF")
            || crate::decode::utf16_without_bom(bytes).is_some()
        {
            return None;
        }
        let first = sample.iter().position(is_control).unwrap_or(0);
        let line = sample[..first].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        return Some(ReadError {
            message: format!(
                "文件开头 {} 个字节中有 {controls} 个控制字符（第一个在第 {line} 行），不像是文本：期望{what}文本，这可能是二进制文件",
                sample.len()
            ),
            pos: Some(Pos::new(line, 1)),
        });
    }
    None
}

// ---------------------------------------------------------------------------
// Positions

/// Byte offsets in a text to 1-based line and column (in characters). Lines
/// end at "\n", "\r\n" or a lone "\r". A lookup counts characters from the
/// last answer (when it is earlier on the same line) or from a checkpoint kept
/// every [`CHECKPOINT`] bytes, so no lookup costs more than that, even on a
/// single long line.
pub(crate) struct PosMap<'a> {
    src: &'a str,
    line_starts: Vec<usize>,
    /// (offset, column) at the first char boundary of every CHECKPOINT bytes.
    checkpoints: Vec<(usize, u32)>,
    /// The last answer: (offset, line index, column).
    cache: (usize, usize, u32),
}

const CHECKPOINT: usize = 4096;

impl<'a> PosMap<'a> {
    pub(crate) fn new(src: &'a str) -> PosMap<'a> {
        let bytes = src.as_bytes();
        let mut line_starts = vec![0];
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                line_starts.push(i + 1);
            }
        }
        // A checkpoint at the first character at or after every multiple of
        // CHECKPOINT bytes; its column counted from the start of its line, or
        // from the checkpoint before it on the same line.
        let mut checkpoints = Vec::with_capacity(src.len() / CHECKPOINT + 1);
        let mut line = 0;
        let mut last: Option<(usize, usize, u32)> = None; // (line, offset, column)
        for mark in (0..src.len()).step_by(CHECKPOINT) {
            let mut at = mark;
            while !src.is_char_boundary(at) {
                at += 1;
            }
            if at >= src.len() {
                break;
            }
            while line_starts.get(line + 1).is_some_and(|&s| s <= at) {
                line += 1;
            }
            let (from, col) = match last {
                Some((l, off, col)) if l == line => (off, col),
                _ => (line_starts[line], 1),
            };
            let col = col
                .saturating_add(u32::try_from(src[from..at].chars().count()).unwrap_or(u32::MAX));
            checkpoints.push((at, col));
            last = Some((line, at, col));
        }
        PosMap {
            src,
            line_starts,
            checkpoints,
            cache: (0, 0, 1),
        }
    }

    pub(crate) fn pos(&mut self, offset: usize) -> Pos {
        let mut off = offset.min(self.src.len());
        while off > 0 && !self.src.is_char_boundary(off) {
            off -= 1;
        }
        let (c_off, c_line, c_col) = self.cache;
        // Lookups mostly go forward on the line of the last one.
        let on_cached_line = self.line_starts.get(c_line).is_some_and(|&s| s <= off)
            && self
                .line_starts
                .get(c_line + 1)
                .is_none_or(|&next| off < next);
        let line = if on_cached_line {
            c_line
        } else {
            match self.line_starts.binary_search(&off) {
                Ok(i) => i,
                Err(i) => i.saturating_sub(1),
            }
        };
        let line_start = self.line_starts.get(line).copied().unwrap_or(0);
        let (mut from, mut col) = (line_start, 1);
        if c_line == line && c_off <= off && c_off > from {
            (from, col) = (c_off, c_col);
        }
        if off - from > CHECKPOINT {
            let checkpoint = match self.checkpoints.binary_search_by(|&(o, _)| o.cmp(&off)) {
                Ok(i) => self.checkpoints.get(i),
                Err(i) => i.checked_sub(1).and_then(|i| self.checkpoints.get(i)),
            };
            if let Some(&(p_off, p_col)) = checkpoint {
                if p_off > from {
                    (from, col) = (p_off, p_col);
                }
            }
        }
        let counted = self.src.get(from..off).map_or(0, |s| s.chars().count());
        let col = col.saturating_add(u32::try_from(counted).unwrap_or(u32::MAX));
        self.cache = (off, line, col);
        Pos::new(u32::try_from(line + 1).unwrap_or(u32::MAX), col)
    }
}

// ---------------------------------------------------------------------------
// Lines of inline text

/// Inline text being gathered into one line; whitespace runs collapse to one
/// space, leading and trailing whitespace is dropped.
#[derive(Default)]
pub(crate) struct LineBuf {
    pub(crate) text: String,
    pub(crate) start: Option<Pos>,
    pending_space: bool,
    bold_chars: usize,
    plain_chars: usize,
}

impl LineBuf {
    pub(crate) fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Appends text. `start_pos` is called for the position of the first
    /// non-whitespace character when the line has none yet; it gets the byte
    /// index of that character within `s`.
    pub(crate) fn push(&mut self, s: &str, bold: bool, start_pos: impl FnOnce(usize) -> Pos) {
        let mut start_pos = Some(start_pos);
        // Runs of non-whitespace are copied whole.
        let mut at = 0;
        while at < s.len() {
            let rest = &s[at..];
            let word = rest.find(char::is_whitespace).unwrap_or(rest.len());
            if word > 0 {
                if self.text.is_empty() {
                    if let Some(f) = start_pos.take() {
                        self.start = Some(f(at));
                    }
                } else if self.pending_space {
                    self.text.push(' ');
                }
                self.pending_space = false;
                self.text.push_str(&rest[..word]);
                let chars = rest[..word].chars().count();
                if bold {
                    self.bold_chars += chars;
                } else {
                    self.plain_chars += chars;
                }
            }
            let rest = &rest[word..];
            let space = rest
                .find(|c: char| !c.is_whitespace())
                .unwrap_or(rest.len());
            if space > 0 {
                self.pending_space = !self.text.is_empty();
            }
            at += word + space;
        }
    }

    /// Appends a space (as from a line break inside a heading).
    pub(crate) fn space(&mut self) {
        self.pending_space = !self.text.is_empty();
    }

    /// Whether the whole line is bold and short enough to be a heading.
    pub(crate) fn bold_only(&self) -> bool {
        self.plain_chars == 0 && self.bold_chars > 0 && self.bold_chars <= BOLD_HEADING_MAX_CHARS
    }
}

// ---------------------------------------------------------------------------
// The structure builder

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
    /// Inline element: no line boundary.
    Inline = 0,
    /// Block element: a line boundary at its start and end.
    Block,
    Heading,
    Bold,
    Pre,
    /// Content skipped entirely.
    Skip,
    /// Possible page chrome: content gathered aside, kept only if it holds a table.
    Chrome,
    Table,
    Row,
    Cell,
    Caption,
}
const ROLES: usize = 11;

struct Open {
    name: LocalName,
    role: Role,
    /// Heading level, for `Role::Heading`.
    level: u8,
}

struct CellBuilder {
    /// Where the `<td>` tag is; used when the cell has no text.
    pos: Pos,
    blocks: Vec<Block>,
    row_span: u32,
    col_span: u32,
    /// The cell's class or id marks page chrome.
    chrome: bool,
}

struct TableBuilder {
    pos: Pos,
    /// Caption, and text written inside the table but outside any cell.
    before: Vec<Block>,
    rows: Vec<Vec<CellBuilder>>,
    cell_open: bool,
    /// The table's class or id marks page chrome (a navigation bar built as a
    /// table): only data tables found inside it are kept.
    chrome: bool,
}

enum Sink {
    Root(Vec<Block>),
    Chrome { blocks: Vec<Block>, form: bool },
    Table(TableBuilder),
}

struct Builder<'s> {
    src: &'s str,
    posmap: PosMap<'s>,
    origins: &'s [(u32, u32)],
    /// The chunk being fed: byte range in `src`.
    chunk: (usize, usize),
    /// Where in the chunk the next text is looked for.
    cursor: usize,
    /// Offset of the last chunk that began with '<'.
    last_lt: usize,
    stack: Vec<Open>,
    by_name: HashMap<LocalName, Vec<usize>>,
    by_role: [Vec<usize>; ROLES],
    /// Stack indices of tables, cells and captions: end tags do not close
    /// elements across them.
    boundaries: Vec<usize>,
    line: LineBuf,
    sinks: Vec<Sink>,
    notes: Vec<ReadNote>,
    depth_noted: bool,
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "basefont"
            | "bgsound"
            | "br"
            | "col"
            | "embed"
            | "frame"
            | "hr"
            | "image"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Elements whose content is never part of the article.
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "head"
            | "title"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "select"
            | "option"
            | "optgroup"
            | "datalist"
            | "button"
            | "textarea"
            | "iframe"
            | "object"
            | "applet"
            | "svg"
            | "math"
            | "canvas"
            | "audio"
            | "video"
            | "map"
            | "noembed"
            | "noframes"
            | "frameset"
            | "xml"
    )
}

fn raw_kind(name: &str) -> Option<TokenSinkResult<()>> {
    Some(match name {
        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
            TokenSinkResult::RawData(RawKind::Rawtext)
        }
        "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
        "plaintext" => TokenSinkResult::Plaintext,
        _ => return None,
    })
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "header"
            | "hgroup"
            | "legend"
            | "li"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "section"
            | "summary"
            | "ul"
            | "body"
            | "html"
            | "tbody"
            | "thead"
            | "tfoot"
            | "colgroup"
    )
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// Words that mark site chrome in an `id` or `class`.
const CHROME_WORDS: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "menubar",
    "submenu",
    "header",
    "footer",
    "breadcrumb",
    "breadcrumbs",
    "crumb",
    "crumbs",
    "share",
    "bdshare",
    "bdsharebuttonbox",
    "toolbar",
    "topbar",
    "copyright",
    "sitemap",
    "skiplink",
    "position",
    "curpos",
    "dqwz",
    "weizhi",
];
/// Words that may stand beside a chrome word ("main-nav", "footer_box").
const QUALIFIERS: &[&str] = &[
    "top",
    "bottom",
    "main",
    "site",
    "page",
    "global",
    "common",
    "wrap",
    "wrapper",
    "box",
    "bar",
    "list",
    "con",
    "cont",
    "inner",
    "outer",
    "left",
    "right",
    "sub",
    "fixed",
    "mobile",
    "pc",
    "m",
    "new",
    "bg",
    "area",
    "container",
    "links",
    "btn",
    "button",
    "buttons",
    "items",
    "ul",
    "div",
    "mod",
    "module",
    "part",
    "section",
    "panel",
    "fix",
    "wrp",
    "in",
    "out",
    "index",
    "home",
    "head",
    "foot",
];

fn is_chrome_word(word: &str) -> bool {
    if CHROME_WORDS.contains(&word) {
        return true;
    }
    // "navlist", "footerbox", "menu2"
    CHROME_WORDS.iter().any(|w| {
        word.strip_prefix(w).is_some_and(|rest| {
            !rest.is_empty()
                && (rest.bytes().all(|b| b.is_ascii_digit()) || QUALIFIERS.contains(&rest))
        })
    })
}

/// Whether one class name or id names site chrome: all its words are chrome
/// words or qualifiers, and one at least is a chrome word.
fn is_chrome_name(name: &str) -> bool {
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    let mut chrome = false;
    for w in &words {
        if is_chrome_word(w) {
            chrome = true;
        } else if !(QUALIFIERS.contains(&w.as_str()) || w.bytes().all(|b| b.is_ascii_digit())) {
            return false;
        }
    }
    chrome
}

fn attr<'t>(tag: &'t Tag, name: &str) -> Option<&'t str> {
    tag.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| &*a.value)
}

fn marks_chrome(tag: &Tag) -> bool {
    if attr(tag, "id").is_some_and(is_chrome_name) {
        return true;
    }
    if attr(tag, "class").is_some_and(|c| c.split_ascii_whitespace().any(is_chrome_name)) {
        return true;
    }
    is_hidden(tag)
}

fn is_hidden(tag: &Tag) -> bool {
    if attr(tag, "hidden").is_some() {
        return true;
    }
    attr(tag, "style").is_some_and(|s| {
        let squashed: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        squashed.contains("display:none") || squashed.contains("visibility:hidden")
    })
}

/// Parses a `rowspan`/`colspan` value the way browsers do (leading digits);
/// returns 1 for nothing or zero, and whether the value was capped.
fn parse_span(value: Option<&str>) -> (u32, bool) {
    let Some(v) = value else { return (1, false) };
    // Markup kept inside a script's string escapes its quotes (colspan=\"3\"):
    // the escape and the quote are not part of the value.
    let v = v.trim_start_matches(|c: char| {
        c.is_ascii_whitespace() || c == '\\' || c == '"' || c == '\''
    });
    let v = v.strip_prefix('+').unwrap_or(v);
    let mut n: u64 = 0;
    let mut any = false;
    for b in v.bytes().take_while(u8::is_ascii_digit) {
        any = true;
        n = n.saturating_mul(10).saturating_add(u64::from(b - b'0'));
    }
    if !any || n == 0 {
        return (1, false);
    }
    if n > u64::from(MAX_SPAN) {
        return (MAX_SPAN, true);
    }
    (n as u32, false)
}

/// A table worth keeping: two rows and two columns at least. (Counted from
/// the rows as written, without laying spans out on a grid.)
fn is_data_table(block: &Block) -> bool {
    match block {
        Block::Table(t) => {
            t.rows.len() >= 2
                && t.rows
                    .iter()
                    .any(|r| r.len() >= 2 || r.iter().any(|c| c.col_span >= 2))
        }
        _ => false,
    }
}

impl<'s> Builder<'s> {
    fn new(src: &'s str, start: usize, origins: &'s [(u32, u32)]) -> Builder<'s> {
        Builder {
            src,
            posmap: PosMap::new(src),
            origins,
            chunk: (start, start),
            cursor: start,
            last_lt: start,
            stack: Vec::new(),
            by_name: HashMap::new(),
            by_role: Default::default(),
            boundaries: Vec::new(),
            line: LineBuf::default(),
            sinks: vec![Sink::Root(Vec::new())],
            notes: Vec::new(),
            depth_noted: false,
        }
    }

    fn finish(mut self) -> Document {
        self.flush();
        let mut unclosed_tables = Vec::new();
        while let Some(top) = self.stack.last() {
            if top.role == Role::Table {
                if let Some(Sink::Table(t)) = self.sinks.last() {
                    unclosed_tables.push(t.pos);
                }
            }
            self.pop();
        }
        for pos in unclosed_tables.into_iter().rev() {
            self.notes.push(ReadNote {
                message: format!(
                    "第 {} 行开始的表格缺少结束标签 </table>，已在文件末尾结束该表格",
                    pos.line
                ),
                pos,
            });
        }
        let mut blocks = Vec::new();
        // Only the root is left once every element is popped.
        for sink in self.sinks.drain(..) {
            if let Sink::Root(b) = sink {
                blocks.extend(b);
            }
        }
        Document {
            blocks,
            notes: self.notes,
            pages: Vec::new(),
        }
    }

    fn pos_at(&mut self, offset: usize) -> Pos {
        let p = self.posmap.pos(offset);
        shift_pos(p, self.origins)
    }

    fn tag_pos(&mut self) -> Pos {
        self.pos_at(self.last_lt)
    }

    // -- the element stack ------------------------------------------------

    fn push(&mut self, name: LocalName, role: Role, level: u8) {
        let i = self.stack.len();
        self.by_name.entry(name.clone()).or_default().push(i);
        self.by_role[role as usize].push(i);
        if matches!(role, Role::Table | Role::Cell | Role::Caption) {
            self.boundaries.push(i);
        }
        self.stack.push(Open { name, role, level });
    }

    /// Pops the top element, running what its end means.
    fn pop(&mut self) {
        let Some(top) = self.stack.last() else { return };
        let role = top.role;
        // A line inside the element ends with it; headings need the stack as it is.
        if role != Role::Inline && role != Role::Bold {
            self.flush();
        }
        let Some(open) = self.stack.pop() else { return };
        if let Some(v) = self.by_name.get_mut(&open.name) {
            v.pop();
            if v.is_empty() {
                self.by_name.remove(&open.name);
            }
        }
        self.by_role[role as usize].pop();
        if matches!(role, Role::Table | Role::Cell | Role::Caption) {
            self.boundaries.pop();
        }
        match role {
            Role::Cell => {
                if let Some(Sink::Table(t)) = self.sinks.last_mut() {
                    t.cell_open = false;
                }
            }
            // Sinks are pushed and popped with their elements; the checks
            // only make sure the root is never taken.
            Role::Table if matches!(self.sinks.last(), Some(Sink::Table(_))) => {
                if let Some(Sink::Table(t)) = self.sinks.pop() {
                    let blocks = finish_table(t, &mut self.notes);
                    self.emit_all(blocks);
                }
            }
            Role::Chrome if matches!(self.sinks.last(), Some(Sink::Chrome { .. })) => {
                if let Some(Sink::Chrome { blocks, form }) = self.sinks.pop() {
                    if keep_chrome(&blocks, form) {
                        self.emit_all(blocks);
                    }
                }
            }
            _ => {}
        }
    }

    /// Pops elements down to and including stack index `i`.
    fn pop_to(&mut self, i: usize) {
        while self.stack.len() > i {
            self.pop();
        }
    }

    fn last_role(&self, role: Role) -> Option<usize> {
        self.by_role[role as usize].last().copied()
    }

    /// The nearest open element with `role` inside the innermost table, cell
    /// or caption (a heading around a table does not make its cells headings).
    fn inner_role(&self, role: Role) -> Option<usize> {
        let i = self.last_role(role)?;
        match self.boundary() {
            Some(b) if b > i => None,
            _ => Some(i),
        }
    }

    fn last_name(&self, name: &str) -> Option<usize> {
        self.by_name
            .get(&LocalName::from(name))
            .and_then(|v| v.last().copied())
    }

    fn boundary(&self) -> Option<usize> {
        self.boundaries.last().copied()
    }

    /// The nearest open element named `name` not beyond a table boundary.
    fn in_scope(&self, name: &str) -> Option<usize> {
        let i = self.last_name(name)?;
        match self.boundary() {
            Some(b) if b > i => None,
            _ => Some(i),
        }
    }

    fn close_p(&mut self) {
        if let Some(i) = self.in_scope("p") {
            self.pop_to(i);
        }
    }

    /// The innermost table, cell or caption, by stack index and role.
    fn table_context(&self) -> Option<(usize, Role)> {
        let i = self.boundary()?;
        Some((i, self.stack.get(i)?.role))
    }

    /// Closes an open cell or caption of the innermost table, and its open row
    /// too when `row` is set. Returns false when no table is open.
    fn close_table_parts(&mut self, row: bool) -> bool {
        let Some((i, role)) = self.table_context() else {
            return false;
        };
        if role == Role::Cell || role == Role::Caption {
            self.pop_to(i);
        }
        let Some(t) = self.last_role(Role::Table) else {
            return false;
        };
        // As in browsers, other elements left open directly inside the table
        // (not in a cell) end here; for a cell, the open row stays.
        let keep = match self.last_role(Role::Row) {
            Some(r) if r > t && !row => r + 1,
            _ => t + 1,
        };
        self.pop_to(keep);
        true
    }

    // -- output -------------------------------------------------------------

    fn emit(&mut self, block: Block) {
        match self.sinks.last_mut() {
            Some(Sink::Root(b)) | Some(Sink::Chrome { blocks: b, .. }) => b.push(block),
            Some(Sink::Table(t)) => {
                let cell = if t.cell_open {
                    t.rows.last_mut().and_then(|r| r.last_mut())
                } else {
                    None
                };
                match cell {
                    Some(c) => c.blocks.push(block),
                    None => t.before.push(block),
                }
            }
            None => self.sinks.push(Sink::Root(vec![block])),
        }
    }

    fn emit_all(&mut self, blocks: Vec<Block>) {
        for b in blocks {
            self.emit(b);
        }
    }

    /// Ends the current line, emitting it as a block.
    fn flush(&mut self) {
        if self.line.is_empty() {
            self.line = LineBuf::default();
            return;
        }
        let line = std::mem::take(&mut self.line);
        let pos = line.start.unwrap_or(Pos::UNKNOWN);
        let block = match self
            .inner_role(Role::Heading)
            .and_then(|i| self.stack.get(i))
        {
            Some(h) => Block::Heading {
                level: h.level,
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
        self.emit(block);
    }

    fn line_break(&mut self) {
        if self.inner_role(Role::Heading).is_some() {
            self.line.space();
        } else {
            self.flush();
        }
    }

    fn note_once_depth(&mut self) {
        if !self.depth_noted {
            self.depth_noted = true;
            let pos = self.tag_pos();
            self.notes.push(ReadNote {
                message: format!(
                    "第 {} 行起标签嵌套超过 {MAX_DEPTH} 层，更深的标签已按普通文字处理（页面结构可能有误）",
                    pos.line
                ),
                pos,
            });
        }
    }

    // -- tokens -------------------------------------------------------------

    fn characters(&mut self, text: &str) {
        if self.last_role(Role::Skip).is_some() {
            return;
        }
        let pre = self.last_role(Role::Pre).is_some();
        let bold = self.inner_role(Role::Bold).is_some();
        let mut rest = text;
        loop {
            let (piece, more) = match rest.find('\n') {
                Some(i) if pre => (&rest[..i], Some(&rest[i + 1..])),
                _ => (rest, None),
            };
            if !piece.is_empty() {
                self.push_text(piece, bold);
            }
            match more {
                Some(m) => {
                    self.flush();
                    rest = m;
                }
                None => break,
            }
        }
    }

    fn push_text(&mut self, piece: &str, bold: bool) {
        let needs_pos = self.line.is_empty();
        let first = piece.chars().find(|c| !c.is_whitespace());
        let Some(first) = first else {
            self.line.push(piece, bold, |_| Pos::UNKNOWN);
            return;
        };
        if !needs_pos {
            self.line.push(piece, bold, |_| Pos::UNKNOWN);
            return;
        }
        let at = self.locate(first);
        let pos = self.pos_at(at);
        self.line.push(piece, bold, |_| pos);
    }

    /// Finds the source offset of `c`, the first character of a text token,
    /// in the chunk being fed; for a character from a reference, its '&'.
    fn locate(&mut self, c: char) -> usize {
        let (start, end) = self.chunk;
        let from = self.cursor.clamp(start, end);
        let found = self
            .src
            .get(from..end)
            .and_then(|s| s.find(c).map(|i| (from + i, c.len_utf8())));
        let found = found.or_else(|| {
            self.src
                .get(from..end)
                .and_then(|s| s.find('&').map(|i| (from + i, 1)))
        });
        match found {
            Some((at, len)) => {
                self.cursor = at + len;
                at
            }
            None => from,
        }
    }

    fn start_tag(&mut self, tag: Tag) -> TokenSinkResult<()> {
        let name = tag.name.clone();
        let n: &str = &name;
        let raw = raw_kind(n);
        // A head without an end tag ends where body content begins.
        if let Some(h) = self.last_name("head") {
            let head_content = matches!(
                n,
                "meta"
                    | "link"
                    | "title"
                    | "style"
                    | "script"
                    | "noscript"
                    | "base"
                    | "template"
                    | "basefont"
                    | "bgsound"
            );
            if !head_content {
                self.pop_to(h);
            }
        }
        if self.last_role(Role::Skip).is_some() {
            if tag.self_closing {
                return TokenSinkResult::Continue;
            }
            if !is_void(n) && (raw.is_some() || self.stack.len() < MAX_DEPTH) {
                self.push(name, Role::Inline, 0);
            }
            return raw.unwrap_or(TokenSinkResult::Continue);
        }
        if raw.is_some() || is_skipped(n) {
            if n == "xmp" || n == "plaintext" {
                self.flush();
                self.close_p();
                self.push(name, Role::Pre, 0);
            } else if !(is_void(n) || tag.self_closing && raw.is_none()) {
                // Raw-text elements always end at their own end tag, so they
                // may go past the depth limit; others may not.
                if raw.is_some() || self.stack.len() < MAX_DEPTH {
                    self.push(name, Role::Skip, 0);
                } else {
                    self.note_once_depth();
                }
            }
            return raw.unwrap_or(TokenSinkResult::Continue);
        }
        match n {
            "html" | "body" => return TokenSinkResult::Continue,
            "br" => {
                self.line_break();
                return TokenSinkResult::Continue;
            }
            "hr" => {
                self.flush();
                self.close_p();
                return TokenSinkResult::Continue;
            }
            "table" => {
                self.flush();
                self.close_p();
                // A table directly inside a table (not in a cell) ends the outer one.
                if let Some((i, Role::Table)) = self.table_context() {
                    self.pop_to(i);
                }
                if self.stack.len() >= MAX_DEPTH {
                    self.note_once_depth();
                    return TokenSinkResult::Continue;
                }
                let pos = self.tag_pos();
                let chrome = marks_chrome(&tag);
                self.sinks.push(Sink::Table(TableBuilder {
                    pos,
                    before: Vec::new(),
                    rows: Vec::new(),
                    cell_open: false,
                    chrome,
                }));
                self.push(name, Role::Table, 0);
                return TokenSinkResult::Continue;
            }
            "tr" => {
                self.flush();
                if !self.close_table_parts(true) {
                    return TokenSinkResult::Continue;
                }
                self.start_row(name);
                return TokenSinkResult::Continue;
            }
            "td" | "th" => {
                self.flush();
                if !self.close_table_parts(false) {
                    return TokenSinkResult::Continue;
                }
                self.start_cell(name, &tag);
                return TokenSinkResult::Continue;
            }
            "thead" | "tbody" | "tfoot" | "caption" | "colgroup" => {
                self.flush();
                if !self.close_table_parts(true) {
                    return TokenSinkResult::Continue;
                }
                if n == "caption" && self.stack.len() < MAX_DEPTH {
                    self.push(name, Role::Caption, 0);
                }
                return TokenSinkResult::Continue;
            }
            _ => {}
        }
        if is_void(n) {
            return TokenSinkResult::Continue;
        }
        let level = heading_level(n);
        let block = level.is_some() || is_block(n) || matches!(n, "pre" | "listing");
        if block {
            self.flush();
            // Block elements end an open paragraph, as in browsers.
            self.close_p();
            match n {
                "li" => self.close_item(&["li"], &["ul", "ol", "menu", "dir"]),
                "dt" | "dd" => self.close_item(&["dt", "dd"], &["dl"]),
                _ => {}
            }
            if level.is_some() {
                if let Some(top) = self.stack.last() {
                    if top.role == Role::Heading {
                        self.pop();
                    }
                }
            }
        }
        if self.stack.len() >= MAX_DEPTH {
            self.note_once_depth();
            return TokenSinkResult::Continue;
        }
        let structural_chrome = match n {
            "nav" | "footer" | "aside" | "form" | "menu" => true,
            "header" => self.last_name("article").is_none() && self.last_name("main").is_none(),
            _ => false,
        };
        if structural_chrome || marks_chrome(&tag) {
            if block {
                self.sinks.push(Sink::Chrome {
                    blocks: Vec::new(),
                    form: n == "form",
                });
                self.push(name, Role::Chrome, 0);
            } else {
                self.push(name, Role::Skip, 0);
            }
            return TokenSinkResult::Continue;
        }
        let role = match (level, n) {
            (Some(_), _) => Role::Heading,
            (None, "b" | "strong") => Role::Bold,
            (None, "pre" | "listing") => Role::Pre,
            _ if block => Role::Block,
            _ => Role::Inline,
        };
        self.push(name, role, level.unwrap_or(0));
        TokenSinkResult::Continue
    }

    /// Closes an open list item (`items`) unless a list (`lists`) or a table
    /// boundary is nearer.
    fn close_item(&mut self, items: &[&str], lists: &[&str]) {
        let item = items.iter().filter_map(|n| self.last_name(n)).max();
        let Some(item) = item else { return };
        let guard = lists
            .iter()
            .filter_map(|n| self.last_name(n))
            .chain(self.boundary())
            .max();
        if !matches!(guard, Some(g) if g > item) {
            self.pop_to(item);
        }
    }

    fn start_row(&mut self, name: LocalName) {
        if let Some(Sink::Table(t)) = self.sinks.last_mut() {
            t.rows.push(Vec::new());
            t.cell_open = false;
        }
        if self.stack.len() < MAX_DEPTH {
            self.push(name, Role::Row, 0);
        }
    }

    fn start_cell(&mut self, name: LocalName, tag: &Tag) {
        if self.stack.len() + 1 >= MAX_DEPTH {
            self.note_once_depth();
            return;
        }
        let row_open = match (self.last_role(Role::Row), self.last_role(Role::Table)) {
            (Some(r), Some(t)) => r > t,
            _ => false,
        };
        if !row_open {
            self.start_row(LocalName::from("tr"));
        }
        let pos = self.tag_pos();
        let (row_span, capped_r) = parse_span(attr(tag, "rowspan"));
        let (col_span, capped_c) = parse_span(attr(tag, "colspan"));
        for (capped, which) in [(capped_r, "rowspan"), (capped_c, "colspan")] {
            if capped {
                let value = attr(tag, which)
                    .unwrap_or("")
                    .trim()
                    .chars()
                    .take(20)
                    .collect::<String>();
                self.notes.push(ReadNote {
                    message: format!(
                        "第 {} 行第 {} 列单元格的 {which}=“{value}” 超过上限，已按 {MAX_SPAN} 处理",
                        pos.line, pos.column
                    ),
                    pos,
                });
            }
        }
        let chrome = marks_chrome(tag);
        if let Some(Sink::Table(t)) = self.sinks.last_mut() {
            if t.rows.is_empty() {
                t.rows.push(Vec::new());
            }
            if let Some(row) = t.rows.last_mut() {
                row.push(CellBuilder {
                    pos,
                    blocks: Vec::new(),
                    row_span,
                    col_span,
                    chrome,
                });
                t.cell_open = true;
            }
        }
        self.push(name, Role::Cell, 0);
    }

    fn end_tag(&mut self, tag: Tag) {
        let n: &str = &tag.name;
        if self.last_role(Role::Skip).is_some() {
            if let Some(i) = self.last_name(n) {
                self.pop_to(i);
            }
            return;
        }
        match n {
            "html" | "body" => {}
            "br" => self.line_break(),
            "p" => match self.in_scope("p") {
                Some(i) => self.pop_to(i),
                None => self.flush(),
            },
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                if let Some(i) = self.inner_role(Role::Heading) {
                    self.pop_to(i);
                }
            }
            "td" | "th" => {
                self.flush();
                if let Some((i, Role::Cell)) = self.table_context() {
                    self.pop_to(i);
                }
            }
            "tr" => {
                self.flush();
                if let (Some(r), Some(t)) = (self.last_role(Role::Row), self.last_role(Role::Table))
                {
                    if r > t {
                        self.pop_to(r);
                    }
                }
            }
            "caption" => {
                self.flush();
                if let Some((i, Role::Caption)) = self.table_context() {
                    self.pop_to(i);
                }
            }
            "table" => {
                self.flush();
                if let Some(i) = self.last_role(Role::Table) {
                    self.pop_to(i);
                }
            }
            "thead" | "tbody" | "tfoot" => {
                self.flush();
                self.close_table_parts(true);
            }
            _ => {
                if let Some(i) = self.in_scope(n) {
                    self.pop_to(i);
                } else if is_block(n) {
                    self.flush();
                }
            }
        }
    }
}

impl TokenSink for &mut Builder<'_> {
    type Handle = ();

    fn process_token(&mut self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => match tag.kind {
                TagKind::StartTag => return self.start_tag(tag),
                TagKind::EndTag => self.end_tag(tag),
            },
            Token::CharacterTokens(t) => self.characters(&t),
            Token::NullCharacterToken
            | Token::CommentToken(_)
            | Token::DoctypeToken(_)
            | Token::ParseError(_)
            | Token::EOFToken => {}
        }
        TokenSinkResult::Continue
    }
}

/// Moves a position within a fragment to the enclosing file (see [`read_fragment`]).
fn shift_pos(p: Pos, origins: &[(u32, u32)]) -> Pos {
    if origins.is_empty() || !p.is_known() {
        return p;
    }
    let i = (p.line as usize).saturating_sub(1);
    match origins.get(i) {
        Some(&(line, before)) => Pos::new(line, p.column.saturating_add(before)),
        None => {
            let (line, _) = origins[origins.len() - 1];
            let extra = u32::try_from(i - (origins.len() - 1)).unwrap_or(u32::MAX);
            Pos::new(line.saturating_add(extra), p.column)
        }
    }
}

fn keep_chrome(blocks: &[Block], form: bool) -> bool {
    if blocks.iter().any(is_data_table) {
        return true;
    }
    if form {
        let chars: usize = blocks
            .iter()
            .filter_map(Block::text)
            .map(|t| t.chars().count())
            .sum();
        let heading = blocks
            .iter()
            .any(|b| matches!(b, Block::Heading { level, .. } if *level > 0));
        return heading || chars >= 200;
    }
    false
}

/// Turns a finished table into blocks: the table itself, or, for a layout
/// table, the contents of its cells.
fn finish_table(t: TableBuilder, notes: &mut Vec<ReadNote>) -> Vec<Block> {
    if t.chrome {
        let nested: Vec<Block> = t
            .rows
            .into_iter()
            .flatten()
            .flat_map(|c| c.blocks)
            .filter(is_data_table)
            .collect();
        return nested;
    }
    let mut out = t.before;
    let cells: usize = t.rows.iter().map(Vec::len).sum();
    if cells == 0 {
        return out;
    }
    let nested = t
        .rows
        .iter()
        .flatten()
        .any(|c| c.blocks.iter().any(|b| matches!(b, Block::Table(_))));
    if nested || cells == 1 {
        for cell in t.rows.into_iter().flatten() {
            if cell.chrome && !cell.blocks.iter().any(is_data_table) {
                continue;
            }
            out.extend(cell.blocks);
        }
        return out;
    }
    let rows = t
        .rows
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|c| {
                    let pos = c.blocks.first().map_or(c.pos, Block::pos);
                    let text = c
                        .blocks
                        .iter()
                        .filter_map(Block::text)
                        .collect::<Vec<_>>()
                        .join("\n");
                    TableCell {
                        text,
                        pos,
                        row_span: c.row_span,
                        col_span: c.col_span,
                    }
                })
                .collect()
        })
        .collect();
    let mut table = Table { rows, pos: t.pos };
    notes.extend(bound_table(&mut table));
    out.push(Block::Table(table));
    out
}

/// The most grid slots (rows × columns) a table may take once its spans are
/// laid out; far above any real report table.
pub const MAX_GRID_SLOTS: usize = 1 << 22;

/// Keeps a table within [`MAX_GRID_SLOTS`] when laid out with
/// [`Table::grid`]: first by ignoring its spans, then by dropping rows (and,
/// for an absurdly wide row, cells). Says so in notes. Real tables are never
/// touched; this guards later stages against hostile input.
pub(crate) fn bound_table(table: &mut Table) -> Vec<ReadNote> {
    let mut notes = Vec::new();
    let rows = table.rows.len();
    let line = table.pos.line;
    // An upper bound of the grid width: the widest row plus every column
    // that a cell from an earlier row may hold down.
    let widest = table
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .fold(0usize, |w, c| w.saturating_add(c.col_span as usize))
        })
        .max();
    let held: usize = table
        .rows
        .iter()
        .flatten()
        .filter(|c| c.row_span > 1)
        .fold(0usize, |w, c| w.saturating_add(c.col_span as usize));
    let width = widest.unwrap_or(0).saturating_add(held);
    if rows.saturating_mul(width) <= MAX_GRID_SLOTS {
        return notes;
    }
    if table
        .rows
        .iter()
        .flatten()
        .any(|c| c.row_span > 1 || c.col_span > 1)
    {
        for cell in table.rows.iter_mut().flatten() {
            cell.row_span = 1;
            cell.col_span = 1;
        }
        notes.push(ReadNote {
            message: format!(
                "第 {line} 行开始的表格合并单元格过大（展开后超过 {MAX_GRID_SLOTS} 格），已忽略其 rowspan/colspan"
            ),
            pos: table.pos,
        });
    }
    let width = table.rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
    if rows.saturating_mul(width) > MAX_GRID_SLOTS {
        let keep = (MAX_GRID_SLOTS / width).max(1);
        table.rows.truncate(keep);
        for row in &mut table.rows {
            row.truncate(MAX_GRID_SLOTS);
        }
        notes.push(ReadNote {
            message: format!(
                "第 {line} 行开始的表格过大（{rows} 行 × {width} 列，超过 {MAX_GRID_SLOTS} 格），只读取了前 {keep} 行"
            ),
            pos: table.pos,
        });
    }
    notes
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

    fn fixture(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/html")
            .join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// The 1-based line of the first occurrence of `needle` in `src`, and its
    /// column in characters.
    fn find_pos(src: &str, needle: &str) -> Pos {
        let at = src.find(needle).expect("needle in source");
        PosMap::new(src).pos(at)
    }

    #[test]
    fn headings_paragraphs_and_lines() {
        let doc = read(
            "<h1>标题</h1>\n<p>第一行<br>第二行<br/>  第三行 </p><div>直接文字<p>段落</p>尾巴</div><ul><li>甲<li>乙</ul>"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(
            texts(&doc),
            [
                "H1 标题",
                "P 第一行",
                "P 第二行",
                "P 第三行",
                "P 直接文字",
                "P 段落",
                "P 尾巴",
                "P 甲",
                "P 乙"
            ]
        );
        assert_eq!(doc.blocks[1].pos(), Pos::new(2, 4));
        assert_eq!(doc.blocks[2].pos(), Pos::new(2, 11));
        assert_eq!(doc.blocks[3].pos(), Pos::new(2, 21));
    }

    #[test]
    fn bold_only_short_line_is_a_level_0_heading() {
        let doc =
            read("<p><strong>一、总体情况</strong></p><p><b>注：</b>正文</p>".as_bytes()).unwrap();
        assert_eq!(texts(&doc), ["H0 一、总体情况", "P 注：正文"]);
    }

    #[test]
    fn entities_whitespace_and_br_in_cells() {
        let html = "<table><tr><td> 结果<br>维持 </td><td>&nbsp;</td><td><p><span style='x'>3</span></p></td>\n<td>a &amp;\n  b&#x4E00;</td></table>";
        let doc = read(html.as_bytes()).unwrap();
        let t = tables(&doc)[0];
        let row: Vec<&str> = t.rows[0].iter().map(|c| c.text.as_str()).collect();
        assert_eq!(row, ["结果\n维持", "", "3", "a & b一"]);
        assert_eq!(t.rows[0][0].pos, find_pos(html, "结果"));
        assert_eq!(t.rows[0][1].pos, find_pos(html, "<td>&nbsp;"));
        assert_eq!(t.rows[0][2].pos, find_pos(html, "3</span>"));
        assert_eq!(t.rows[0][3].pos, Pos::new(2, 5));
        assert_eq!(t.pos, Pos::new(1, 1));
    }

    #[test]
    fn implied_closings() {
        let doc = read(b"<table><tr><td>a<td>b<tr><td>c<td>d</table><p>x<p>y").unwrap();
        let t = tables(&doc)[0];
        let cells: Vec<Vec<&str>> = t
            .rows
            .iter()
            .map(|r| r.iter().map(|c| c.text.as_str()).collect())
            .collect();
        assert_eq!(cells, [vec!["a", "b"], vec!["c", "d"]]);
        assert_eq!(texts(&doc)[1..], ["P x", "P y"]);
    }

    #[test]
    fn stray_elements_in_tables() {
        // A div left open directly in a table ends at the next row, as in browsers;
        // a heading around a table does not make its cells headings.
        let html = "<h2>标题<table><div class=nav>导航<tr><td>a<td><b>b</b></tr><tr><td>c<td>d</table></h2>";
        let doc = read(html.as_bytes()).unwrap();
        assert_eq!(texts(&doc), ["H2 标题", "T 2x2"]);
        let t = tables(&doc)[0];
        assert_eq!(t.rows[0][1].text, "b");
        let doc = read(b"<td>x</td><td>y</td></table></tr>z").unwrap();
        assert_eq!(texts(&doc), ["P x", "P y", "P z"]);
    }

    #[test]
    fn spans_are_read_and_capped() {
        let doc =
            read(b"<table><tr><td rowspan=2 colspan='3'>a</td><td colspan=\"99999999999999999999\">b<td rowspan=x>c<td colspan=0>d<tr><td>e</table>")
                .unwrap();
        let t = tables(&doc)[0];
        let spans: Vec<(u32, u32)> = t.rows[0].iter().map(|c| (c.row_span, c.col_span)).collect();
        assert_eq!(spans, [(2, 3), (1, MAX_SPAN), (1, 1), (1, 1)]);
        assert_eq!(doc.notes.len(), 1);
        assert!(doc.notes[0].message.contains("colspan"), "{:?}", doc.notes);
        assert_eq!(t.grid().width, 3 + MAX_SPAN as usize + 2);
    }

    #[test]
    fn huge_tables_are_bounded() {
        let bomb = "<tr><td rowspan=1000 colspan=1000>x</td><td>y</td></tr>".repeat(3000);
        let doc = read(format!("<table>{bomb}</table>").as_bytes()).unwrap();
        let t = tables(&doc)[0];
        assert_eq!(t.rows.len(), 3000);
        assert!(t
            .rows
            .iter()
            .flatten()
            .all(|c| c.row_span == 1 && c.col_span == 1));
        assert_eq!(t.grid().width, 2);
        assert!(
            doc.notes
                .iter()
                .any(|n| n.message.contains("已忽略其 rowspan/colspan")),
            "{:?}",
            doc.notes
        );
        let wide = format!(
            "<table><tr>{}{}</table>",
            "<td>1".repeat(5000),
            "<tr>".repeat(5000)
        );
        let doc = read(wide.as_bytes()).unwrap();
        let t = tables(&doc)[0];
        assert!(t.rows.len() * t.grid().width <= MAX_GRID_SLOTS);
        assert_eq!(t.rows[0].len(), 5000);
        assert_eq!(doc.notes.len(), 1, "{:?}", doc.notes);
        assert!(
            doc.notes[0].message.contains("只读取了前 838 行"),
            "{:?}",
            doc.notes
        );
    }

    #[test]
    fn layout_tables_are_unwrapped() {
        let html = "<table><tr><td class='left-nav'>首页 栏目</td><td><h2>标题</h2><p>正文</p>\
                    <table><tr><td>甲</td><td>乙</td></tr><tr><td>1</td><td>2</td></tr></table></td></tr></table>\
                    <table><tr><td>只有一格</td></tr></table>";
        let doc = read(html.as_bytes()).unwrap();
        assert_eq!(texts(&doc), ["H2 标题", "P 正文", "T 2x2", "P 只有一格"]);
    }

    #[test]
    fn chrome_is_skipped_but_tables_survive() {
        let html = r#"<html><head><title>页面标题</title><style>p{color:red}</style><script>var a="<p>脚本</p>";</script></head>
<body><div class="header">网站头部</div><nav><a>首页</a></nav><div id="breadcrumb">当前位置：首页 &gt; 年报</div>
<div class="main-nav">导航</div><div class="article-header"><h1>年度报告</h1></div>
<div class="nav"><table><tr><td>a</td><td>b</td></tr><tr><td>1</td><td>2</td></tr></table></div>
<div style="display: none">隐藏</div><select><option>选项</option></select><button>按钮</button>
<footer>版权所有</footer><div class="footer_box">ICP备案</div><span class="share">分享到</span>正文</body></html>"#;
        let doc = read(html.as_bytes()).unwrap();
        assert_eq!(texts(&doc), ["H1 年度报告", "T 2x2", "P 正文"]);
    }

    #[test]
    fn chrome_names() {
        for yes in [
            "nav",
            "main-nav",
            "navbar",
            "footer_box",
            "headerWrap",
            "breadcrumb",
            "bdsharebuttonbox",
            "top-menu",
            "nav2",
        ] {
            assert!(is_chrome_name(yes), "{yes}");
        }
        for no in [
            "article-header",
            "content",
            "TRS_Editor",
            "zoom",
            "navigator-content",
            "news",
            "menuitem-text",
        ] {
            assert!(!is_chrome_name(no), "{no}");
        }
    }

    #[test]
    fn aspnet_form_wrapping_the_page_is_kept() {
        let body = "正文内容".repeat(60);
        let html = format!(
            "<form id=form1><div class=nav>导航</div><h2>标题</h2><p>{body}</p></form><form><input>搜索</form>"
        );
        let doc = read(html.as_bytes()).unwrap();
        assert_eq!(doc.blocks.len(), 2, "{:?}", texts(&doc));
    }

    #[test]
    fn nested_divs_do_not_recurse() {
        let n = 200_000;
        let mut html = "<div>".repeat(n);
        html.push_str("深处");
        html.push_str(&"</div>".repeat(n));
        html.push_str("<table><tr><td>a<td>b<tr><td>c<td>d</table>");
        let doc = read(html.as_bytes()).unwrap();
        assert_eq!(texts(&doc), ["P 深处", "T 2x2"]);
        assert_eq!(
            doc.notes
                .iter()
                .filter(|n| n.message.contains("嵌套超过"))
                .count(),
            1,
            "{:?}",
            doc.notes
        );
        let tables = "<table><tr><td>".repeat(5000);
        let doc = read(tables.as_bytes()).unwrap();
        assert!(doc.blocks.is_empty());
    }

    #[test]
    fn charset_declarations() {
        let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body><p>三、收到和处理政府信息公开申请情况</p></body></html>";
        let (gbk, _, _) = encoding_rs::GBK.encode(page);
        let doc = read(&gbk).unwrap();
        assert_eq!(
            doc.blocks[0].text(),
            Some("三、收到和处理政府信息公开申请情况")
        );
        assert!(doc.notes.is_empty(), "{:?}", doc.notes);
        // Declared GBK, saved as UTF-8.
        let doc = read(page.as_bytes()).unwrap();
        assert_eq!(
            doc.blocks[0].text(),
            Some("三、收到和处理政府信息公开申请情况")
        );
        assert_eq!(doc.notes.len(), 1);
        // No declaration, GBK bytes: guessed, with a note.
        let bare = "<p>政府信息公开</p>";
        let (gbk, _, _) = encoding_rs::GBK.encode(bare);
        let doc = read(&gbk).unwrap();
        assert_eq!(doc.blocks[0].text(), Some("政府信息公开"));
        assert!(!doc.notes.is_empty());
        // Unknown label.
        let doc = read("<meta charset=\"x-nonsense\"><p>文字</p>".as_bytes()).unwrap();
        assert_eq!(doc.blocks[0].text(), Some("文字"));
        assert!(doc.notes[0].message.contains("x-nonsense"));
    }

    #[test]
    fn binary_input_is_refused() {
        assert!(read(b"%PDF-1.7\n...").is_err());
        assert!(read(b"PK\x03\x04\x14\x00").is_err());
        let junk: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
            .collect();
        let err = read(&junk).unwrap_err();
        assert!(err.message.contains("二进制"), "{}", err.message);
    }

    #[test]
    fn posmap_agrees_with_counting() {
        let long = "ab\r\n甲乙\rc\n\n".to_string() + &"x丙".repeat(5000) + "\nend";
        let short = "一行\r\n乙\r".repeat(3000);
        for text in [long, short] {
            agrees_with_counting(&text);
        }
    }

    fn agrees_with_counting(text: &str) {
        let mut map = PosMap::new(text);
        let offsets: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let bytes = text.as_bytes();
        let expected = |off: usize| {
            let (mut line, mut col) = (1, 1);
            for (i, c) in text[..off].char_indices() {
                if c == '\n' || (c == '\r' && bytes.get(i + 1) != Some(&b'\n')) {
                    (line, col) = (line + 1, 1);
                } else {
                    col += 1;
                }
            }
            Pos::new(line, col)
        };
        for &off in offsets
            .iter()
            .rev()
            .step_by(7)
            .chain(offsets.iter().step_by(5))
        {
            let got = map.pos(off);
            let want = expected(off);
            assert_eq!(got, want, "offset {off}");
        }
    }

    #[test]
    fn positions_on_crlf_and_long_lines() {
        let html = "<p>a</p>\r\n<p>乙</p>\r<p>c</p>";
        let doc = read(html.as_bytes()).unwrap();
        let pos: Vec<Pos> = doc.blocks.iter().map(Block::pos).collect();
        assert_eq!(pos, [Pos::new(1, 4), Pos::new(2, 4), Pos::new(3, 4)]);
        let long = "<td>x</td>".repeat(20_000);
        let html = format!("<table><tr>{long}</tr><tr>{long}</tr></table>");
        let doc = read(html.as_bytes()).unwrap();
        let t = tables(&doc)[0];
        let last = html.rfind(">x<").unwrap() + 1;
        assert_eq!(t.rows[1][19_999].pos, Pos::new(1, last as u32 + 1));
    }

    #[test]
    fn fixture_003_weibin() {
        let bytes = fixture("003_weibin_2025.html");
        let src = std::str::from_utf8(&bytes).unwrap();
        let doc = read(&bytes).unwrap();
        assert!(doc.notes.is_empty(), "{:?}", doc.notes);
        let all: Vec<String> = texts(&doc);
        let joined = doc
            .blocks
            .iter()
            .filter_map(Block::text)
            .collect::<Vec<_>>()
            .join("\n");
        for chrome in [
            "网站首页",
            "当前位置",
            "版权所有",
            "ICP",
            "分享到",
            "打印本页",
            "var _hmt",
            "字号",
        ] {
            assert!(!joined.contains(chrome), "{chrome} in {all:?}");
        }
        assert_eq!(
            all[0],
            "H1 卫滨区人民政府办公室 2025 年政府信息公开工作年度报告"
        );
        assert!(all.contains(&"H0 一、总体情况".to_string()), "{all:?}");
        assert!(
            all.contains(&"H2 三、收到和处理政府信息公开申请情况".to_string()),
            "{all:?}"
        );
        let ts = tables(&doc);
        assert_eq!(ts.len(), 3);
        // Table 2: four columns.
        assert_eq!(ts[0].grid().width, 4);
        assert_eq!(
            ts[0].rows[3]
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>(),
            ["行政规范性文件", "0", "1", "27"]
        );
        // Table 3.
        let t3 = ts[1];
        assert_eq!(t3.grid().width, 9);
        let note = &t3.rows[0][0];
        assert!(note.text.starts_with("(本列数据的勾稽关系为"));
        assert_eq!((note.row_span, note.col_span), (3, 2));
        assert_eq!(note.pos, find_pos(src, "(本列数据的勾稽关系为"));
        assert_eq!(
            (t3.rows[0][1].text.as_str(), t3.rows[0][1].col_span),
            ("申请人情况", 7)
        );
        assert_eq!(
            (t3.rows[1][1].text.as_str(), t3.rows[1][1].col_span),
            ("法人或其他组织", 5)
        );
        let result = t3
            .rows
            .iter()
            .flatten()
            .find(|c| c.text == "三、本年度办理结果")
            .unwrap();
        assert_eq!(result.row_span, 21);
        let withheld = t3
            .rows
            .iter()
            .flatten()
            .find(|c| c.text == "(三) 不予公开")
            .unwrap();
        assert_eq!(withheld.row_span, 8);
        let new_row: Vec<&str> = t3.rows[3].iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            new_row,
            [
                "一、本年新收政府信息公开申请数量",
                "81",
                "0",
                "0",
                "0",
                "0",
                "0",
                "81"
            ]
        );
        let other = t3
            .rows
            .iter()
            .find(|r| r.iter().any(|c| c.text == "3.其他"))
            .unwrap();
        assert_eq!(
            other.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(),
            ["3.其他", "48", "0", "0", "0", "48"]
        );
        let p48 = find_pos(src, ">48<");
        assert_eq!(other[1].pos, Pos::new(p48.line, p48.column + 1));
        // Table 4, with a <br> in its labels.
        let t4 = ts[2];
        assert_eq!(t4.grid().width, 15);
        assert_eq!(
            (t4.rows[0][1].text.as_str(), t4.rows[0][1].col_span),
            ("行政诉讼", 10)
        );
        assert_eq!(t4.rows[1][0].text, "结果\n维持");
        assert_eq!(
            t4.rows[3]
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()[..5],
            ["2", "1", "1", "0", "4"]
        );
        // Paragraph text and its position.
        let p = doc
            .blocks
            .iter()
            .find(|b| b.text().is_some_and(|t| t.starts_with("严格遵循")))
            .unwrap();
        assert_eq!(p.pos(), find_pos(src, "严格遵循"));
        assert!(p
            .text()
            .unwrap()
            .contains("全年主动公开各类政务信息 3351 条"));
        assert_eq!(
            all.last().unwrap(),
            "P 2025年度本单位政务公开不存在收费情况且无其他需要报告的事项。"
        );
    }

    #[test]
    fn fixture_000_leikou_gbk() {
        let bytes = fixture("000_leikou_2025_gbk.html");
        assert!(
            std::str::from_utf8(&bytes).is_err(),
            "the fixture is GBK-encoded"
        );
        let doc = read(&bytes).unwrap();
        assert!(doc.notes.is_empty(), "{:?}", doc.notes);
        let all = texts(&doc);
        assert!(
            all.contains(&"P (二) 依申请公开：全年共收到政府信息公开申请 0 件。".to_string()),
            "{all:?}"
        );
        assert!(
            all.iter().any(|t| t.starts_with("P 1、公开内容深度不足")),
            "{all:?}"
        );
        let ts = tables(&doc);
        assert_eq!(ts.len(), 3);
        assert_eq!(ts[1].grid().width, 10);
        assert_eq!(ts[1].rows.len(), 28);
        assert_eq!(ts[2].grid().width, 15);
        let joined = all.join("\n");
        assert!(
            !joined.contains("版权所有") && !joined.contains("网站地图"),
            "{joined}"
        );
    }

    /// xorshift64*: a small deterministic generator for the garbage tests.
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
        "<table>",
        "</table>",
        "<tr>",
        "</tr>",
        "<td>",
        "</td>",
        "<th colspan=3>",
        "<td rowspan=\"99999\">",
        "<td rowspan=-1>",
        "<p>",
        "</p>",
        "<br>",
        "<br/>",
        "</br>",
        "<div class=nav>",
        "<div>",
        "</div>",
        "<h2>",
        "</h3>",
        "<li>",
        "<ul>",
        "</ul>",
        "<script>",
        "</script>",
        "<style>",
        "<!--",
        "-->",
        "<![CDATA[",
        "&nbsp;",
        "&#x4E00;",
        "&#99999999;",
        "&",
        "&amp",
        "<",
        ">",
        "\"",
        "'",
        "=",
        "\n",
        "\r",
        "\r\n",
        "\t",
        " ",
        "\u{3000}",
        "三、",
        "81",
        "政府",
        "<caption>",
        "<thead>",
        "<tbody>",
        "</tbody>",
        "<form>",
        "</form>",
        "<nav>",
        "</nav>",
        "<head>",
        "<meta charset=gbk>",
        "<body>",
        "</body>",
        "<svg/>",
        "<svg>",
        "</svg>",
        "<plaintext>",
        "<title>",
        "<textarea>",
        "</",
        "<td/>",
        "<!doctype",
        "<xmp>",
        "<strong>",
        "</strong>",
        "<pre>",
        "</pre>",
        "\u{FEFF}",
        "\0",
        "<select>",
        "<option>",
        "<noscript>",
    ];

    #[test]
    fn garbage_never_panics() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for round in 0..3000 {
            let len = rng.below(300);
            let mut input: Vec<u8> = Vec::new();
            match round % 3 {
                0 => input.extend((0..len).map(|_| rng.next() as u8)),
                1 => {
                    for _ in 0..len {
                        input.extend_from_slice(SOUP[rng.below(SOUP.len())].as_bytes());
                    }
                }
                _ => {
                    for _ in 0..len {
                        if rng.below(4) == 0 {
                            input.push(rng.next() as u8);
                        } else {
                            input.extend_from_slice(SOUP[rng.below(SOUP.len())].as_bytes());
                        }
                    }
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
}
