//! PDF: the text layer, with positions, rebuilt into headings, paragraphs
//! and tables.
//!
//! The file is parsed with `lopdf` (cross-reference tables and streams,
//! object streams; an encrypted file is opened with the empty user password
//! when it has one). Each page's content stream is run ([`content`]): the
//! glyphs shown, decoded through their fonts ([`font`]: predefined Chinese
//! CMaps, ToUnicode CMaps, simple encodings), and the straight lines drawn.
//! The page is then laid out ([`layout`]): tables from the ruling lines (or
//! from text aligned in columns where no lines are drawn), and lines of text
//! from the other glyphs.
//!
//! * **Blocks.** Lines of text are joined into paragraphs: a line starts a
//!   new paragraph when it is indented, when the line before it ended short
//!   of the right margin, when the font size changes or after a wide gap.
//!   A paragraph continues across a page break when its last line was full
//!   and the next page starts at the margin. Centred lines in a large font
//!   one under the other are one title. A short paragraph of one line that
//!   starts with an enumeration mark ("一、", "（一）"), or is set larger
//!   than the body text, is a heading of unknown level (0).
//! * **Tables** keep their merged cells (row and column spans, from the
//!   lines drawn). A table that continues on the next page (the next page
//!   starts with a table of the same left and right edges) is one table:
//!   both parts are put on the column boundaries of both (a column drawn
//!   on one page only), header rows repeated at the top of the continued
//!   part are left out, and a merged cell broken by the page break (empty
//!   at the top of the continued part, or with the rest of its text) is
//!   one cell again.
//! * **Page numbers** ("- 4 -", "第 4 页", "4/6") alone on a line are page
//!   furniture and are left out, like running heads in other formats.
//!
//! **Positions.** A PDF has no lines of source text. The line of a position
//! counts the lines the reader keeps, from 1, through the whole document:
//! every line of text (a paragraph is at its first line) and every row of
//! a table counts one, pages in order, top to bottom. The column is 1 for
//! text and, for a table cell, its column in the table's grid (1-based).
//! Notes about a page name the page.
//!
//! **Refused.** A PDF with no text layer (pages of images only: a scan) is
//! refused, saying it needs 文字识别 (OCR) first; nothing is guessed. Text in
//! a font that cannot be decoded is left out with a note naming the font;
//! when no text at all can be decoded the file is refused. An encrypted file
//! that does not open with the empty password is refused. Limits (pages,
//! operators, glyphs, stream sizes, nesting) bound the work on hostile
//! input; the reader never panics (a panic deep in the parser is caught as
//! a last resort and reported as a broken file).

mod content;
mod font;
mod layout;
mod lex;

use crate::align::tokens::is_page_number;
use crate::doc::{Block, Document, Pos, ReadError, ReadNote, Table, TableCell};
use content::{FontCache, Runner};
use gongkai_template::text::numbering_len;
use layout::{join, Item, Line, TableBox};
use lopdf::{Dictionary, Document as PdfDoc, Object, Stream};
use std::collections::BTreeMap;
use std::io::Read;

/// Most pages read.
pub const MAX_PAGES: usize = 5_000;
/// Most bytes one stream (or the form XObjects of a page together) may
/// decode to.
pub const MAX_STREAM_BYTES: usize = 64 * 1024 * 1024;

/// Whether the bytes are a PDF file: `%PDF-` within the first 1024 bytes.
pub fn looks_like_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}

fn error(message: impl Into<String>) -> ReadError {
    ReadError {
        message: message.into(),
        pos: None,
    }
}

/// Reads a PDF file.
pub fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_inner(bytes))) {
        Ok(r) => r,
        Err(_) => Err(error(
            "PDF 文件结构异常，解析时出错，无法读取（文件可能已损坏）；请用 PDF 阅读器另存或重新导出后再读取",
        )),
    }
}

/// Follows references (a bounded number of times).
pub(crate) fn deref<'a>(doc: &'a PdfDoc, obj: &'a Object) -> Option<&'a Object> {
    doc.dereference(obj).ok().map(|(_, o)| o)
}

/// A dictionary entry, references followed.
pub(crate) fn dict_get<'a>(
    doc: &'a PdfDoc,
    dict: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Object> {
    dict.get(key).ok().and_then(|o| deref(doc, o))
}

pub(crate) fn name_of(obj: &Object) -> Option<Vec<u8>> {
    match obj {
        Object::Name(n) => Some(n.clone()),
        _ => None,
    }
}

pub(crate) fn number(obj: &Object) -> Option<f64> {
    match obj {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(*r as f64).filter(|v| v.is_finite()),
        _ => None,
    }
}

/// The decoded bytes of a stream, at most [`MAX_STREAM_BYTES`]. A Flate
/// stream that breaks off gives what was decoded before the break.
pub(crate) fn stream_bytes(s: &Stream) -> Option<Vec<u8>> {
    let filters: Vec<Vec<u8>> = match s.dict.get(b"Filter") {
        Err(_) => Vec::new(),
        Ok(Object::Name(n)) => vec![n.clone()],
        Ok(Object::Array(a)) => a.iter().filter_map(name_of).collect(),
        Ok(_) => return None,
    };
    let predictor = s
        .dict
        .get(b"DecodeParms")
        .ok()
        .and_then(|p| p.as_dict().ok())
        .and_then(|d| d.get(b"Predictor").ok())
        .and_then(|p| p.as_i64().ok())
        .unwrap_or(1);
    match filters.as_slice() {
        [] => Some(s.content.iter().take(MAX_STREAM_BYTES).copied().collect()),
        [f] if (f == b"FlateDecode" || f == b"Fl") && predictor <= 1 => {
            let mut out = Vec::new();
            let mut dec =
                flate2::read::ZlibDecoder::new(s.content.as_slice()).take(MAX_STREAM_BYTES as u64);
            if dec.read_to_end(&mut out).is_err() && out.is_empty() {
                // Raw deflate without the zlib header.
                let mut raw = flate2::read::DeflateDecoder::new(s.content.as_slice())
                    .take(MAX_STREAM_BYTES as u64);
                out.clear();
                let _ = raw.read_to_end(&mut out);
            }
            Some(out)
        }
        _ => {
            let mut out = s.decompressed_content().ok()?;
            out.truncate(MAX_STREAM_BYTES);
            Some(out)
        }
    }
}

/// One page, run and laid out.
struct Page {
    items: Vec<Item>,
    images: usize,
    glyphs: usize,
    truncated: bool,
}

fn read_inner(bytes: &[u8]) -> Result<Document, ReadError> {
    if !looks_like_pdf(bytes) {
        return Err(error("不是 PDF 文件（文件开头没有 %PDF- 标记）"));
    }
    let pdf = PdfDoc::load_mem(bytes).map_err(|e| match e {
        lopdf::Error::Decryption(_)
        | lopdf::Error::InvalidPassword
        | lopdf::Error::UnsupportedSecurityHandler(_) => encrypted_error(),
        _ => error("PDF 文件已损坏或结构无法识别，无法读取；请用 PDF 阅读器打开后另存，再读取"),
    })?;
    if pdf.is_encrypted() {
        return Err(encrypted_error());
    }
    let pages: BTreeMap<u32, lopdf::ObjectId> = pdf.get_pages();
    if pages.is_empty() {
        return Err(error("PDF 文件中没有页面"));
    }
    let mut notes: Vec<(usize, String)> = Vec::new();
    if pages.len() > MAX_PAGES {
        notes.push((
            0,
            format!("PDF 共 {} 页，只读取了前 {MAX_PAGES} 页", pages.len()),
        ));
    }
    let mut fonts = FontCache::new();
    let mut undecodable: BTreeMap<String, usize> = BTreeMap::new();
    let mut laid: Vec<Page> = Vec::new();
    let mut sizes: BTreeMap<i64, usize> = BTreeMap::new();
    for (_, &page_id) in pages.iter().take(MAX_PAGES) {
        let Ok(page) = pdf.get_dictionary(page_id) else {
            laid.push(Page {
                items: Vec::new(),
                images: 0,
                glyphs: 0,
                truncated: false,
            });
            continue;
        };
        let mut chain: Vec<&Dictionary> = Vec::new();
        if let Ok((direct, ids)) = pdf.get_page_resources(page_id) {
            chain.extend(direct);
            for id in ids {
                if let Ok(d) = pdf.get_dictionary(id) {
                    chain.push(d);
                }
            }
        }
        // Resources given inline on a parent are not in lopdf's list.
        if chain.is_empty() {
            if let Some(Object::Dictionary(d)) = dict_get(&pdf, page, b"Resources") {
                chain.push(d);
            }
        }
        let mut data = Vec::new();
        for id in pdf.get_page_contents(page_id) {
            if let Ok(Object::Stream(s)) = pdf.get_object(id) {
                if let Some(b) = stream_bytes(s) {
                    if data.len() + b.len() > MAX_STREAM_BYTES {
                        break;
                    }
                    data.extend_from_slice(&b);
                    data.push(b'\n');
                }
            }
        }
        let ctm = page_matrix(&pdf, page);
        let mut runner = Runner::new(&pdf, &mut fonts);
        runner.run(&data, &chain, ctm, 0);
        let out = runner.finish();
        for (name, n) in out.undecodable {
            *undecodable.entry(name).or_default() += n;
        }
        let glyphs = out.glyphs.iter().filter(|g| g.text != " ").count();
        let items = layout::layout(out.glyphs, &out.segments);
        // The body text's size: the most common size of the text outside tables.
        for item in &items {
            if let Item::Line(l) = item {
                let chars = l
                    .parts
                    .iter()
                    .map(|p| p.text.chars().count())
                    .sum::<usize>();
                *sizes.entry((l.size * 2.0).round() as i64).or_default() += chars;
            }
        }
        laid.push(Page {
            items,
            images: out.images,
            glyphs,
            truncated: out.truncated,
        });
    }
    let total_glyphs: usize = laid.iter().map(|p| p.glyphs).sum();
    if total_glyphs == 0 {
        let images: usize = laid.iter().map(|p| p.images).sum();
        if !undecodable.is_empty() {
            return Err(error(format!(
                "PDF 中的文字无法解码：字体{}既没有 ToUnicode 映射，编码也无法识别；请用生成该文件的软件重新导出 PDF（保留文字信息），或先做文字识别（OCR）再读取",
                font_list(&undecodable)
            )));
        }
        if images > 0 {
            return Err(error(
                "这个 PDF 没有文字层，只有图像（可能是扫描件），无法直接读取；请先做文字识别（OCR），把识别出的文字另存为 Word、文本或带文字层的 PDF 后再读取",
            ));
        }
        return Err(error("PDF 中没有可读取的文字"));
    }
    let body = sizes
        .iter()
        .max_by_key(|(_, n)| **n)
        .map_or(12.0, |(s, _)| *s as f64 / 2.0);
    // The margins of the text, over the whole document (a page of a few
    // short paragraphs says little about them).
    let body_lines: Vec<&Line> = laid
        .iter()
        .flat_map(|p| p.items.iter())
        .filter_map(|it| match it {
            Item::Line(l) if l.text().chars().count() >= 6 => Some(l),
            _ => None,
        })
        .collect();
    let left = body_lines.iter().map(|l| l.x0()).fold(f64::MAX, f64::min);
    let right = right_margin(&body_lines, body);
    let (left, right) = if body_lines.is_empty() {
        (0.0, 0.0)
    } else {
        (left, right)
    };
    let mut asm = Assembler::new(body, left, right);
    for (p, page) in laid.into_iter().enumerate() {
        if page.glyphs == 0 && page.images > 0 {
            notes.push((
                asm.line as usize + 1,
                format!("第 {} 页只有图像、没有文字层（可能是扫描页），未读取；如需读取请先做文字识别（OCR）", p + 1),
            ));
        }
        if page.truncated {
            notes.push((
                asm.line as usize + 1,
                format!("第 {} 页内容超出读取上限，只读取了一部分", p + 1),
            ));
        }
        asm.page(p, page.items);
    }
    for (name, n) in &undecodable {
        let font = if name.is_empty() {
            "（未设置字体）".to_string()
        } else {
            format!("“{name}”")
        };
        notes.push((
            0,
            format!("字体{font}中有 {n} 个字符无法解码为文字（没有 ToUnicode 映射，编码也无法识别），已略去"),
        ));
    }
    let mut doc = asm.finish();
    doc.notes = notes
        .into_iter()
        .map(|(line, message)| ReadNote {
            message,
            pos: Pos::new(line.max(1) as u32, 1),
        })
        .collect();
    Ok(doc)
}

fn font_list(fonts: &BTreeMap<String, usize>) -> String {
    let names: Vec<String> = fonts
        .keys()
        .take(5)
        .map(|n| {
            if n.is_empty() {
                "（未设置字体）".into()
            } else {
                format!("“{n}”")
            }
        })
        .collect();
    names.join("、")
}

fn encrypted_error() -> ReadError {
    error("PDF 文件已加密，需要密码才能打开，无法读取；请在 PDF 阅读器中输入密码后另存一份不加密的文件，再读取")
}

/// The matrix from the page's space to an upright page with its origin at
/// the lower left corner (the media box and /Rotate applied).
fn page_matrix(pdf: &PdfDoc, page: &Dictionary) -> [f64; 6] {
    let mut media = [0.0, 0.0, 595.0, 842.0];
    let mut node = Some(page);
    let mut rotate = 0i64;
    let mut have_rotate = false;
    let mut have_box = false;
    for _ in 0..32 {
        let Some(d) = node else { break };
        if !have_box {
            if let Some(Object::Array(a)) = dict_get(pdf, d, b"MediaBox") {
                if a.len() == 4 {
                    for (k, o) in a.iter().enumerate() {
                        media[k] = deref(pdf, o).and_then(number).unwrap_or(media[k]);
                    }
                    have_box = true;
                }
            }
        }
        if !have_rotate {
            if let Some(r) = dict_get(pdf, d, b"Rotate").and_then(|o| o.as_i64().ok()) {
                rotate = r;
                have_rotate = true;
            }
        }
        node = match dict_get(pdf, d, b"Parent") {
            Some(Object::Dictionary(p)) => Some(p),
            _ => None,
        };
    }
    let (x0, y0) = (media[0].min(media[2]), media[1].min(media[3]));
    let (w, h) = ((media[2] - media[0]).abs(), (media[3] - media[1]).abs());
    let m = match rotate.rem_euclid(360) {
        90 => [0.0, -1.0, 1.0, 0.0, 0.0, w],
        180 => [-1.0, 0.0, 0.0, -1.0, w, h],
        270 => [0.0, 1.0, -1.0, 0.0, h, 0.0],
        _ => [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
    };
    // Translate the media box to the origin, then rotate.
    let t = [1.0, 0.0, 0.0, 1.0, -x0, -y0];
    [
        t[0] * m[0] + t[1] * m[2],
        t[0] * m[1] + t[1] * m[3],
        t[2] * m[0] + t[3] * m[2],
        t[2] * m[1] + t[3] * m[3],
        t[4] * m[0] + t[5] * m[2] + m[4],
        t[4] * m[1] + t[5] * m[3] + m[5],
    ]
}

/// The right margin: where most lines end (full lines of paragraphs); of
/// places equally common, the rightmost; with fewer than three lines ending
/// together, or when they end far left of the widest line, the rightmost
/// end. A line set a little wider than the others
/// must not make them look short.
fn right_margin(lines: &[&Line], body: f64) -> f64 {
    let mut ends: Vec<f64> = lines.iter().map(|l| l.x1()).collect();
    ends.sort_by(f64::total_cmp);
    let tol = (body * 0.5).max(1.0);
    let mut best = (0usize, 0.0f64);
    let mut i = 0;
    while i < ends.len() {
        let mut j = i + 1;
        while j < ends.len() && ends[j] - ends[j - 1] <= tol {
            j += 1;
        }
        let mean = ends[i..j].iter().sum::<f64>() / (j - i) as f64;
        if j - i >= best.0 {
            best = (j - i, mean);
        }
        i = j;
    }
    // Too few lines to tell, or lines that only happen to end together
    // far left of the widest: the rightmost end.
    let max = ends.last().copied().unwrap_or(0.0);
    if best.0 < 3 || best.1 < max - 3.0 * body {
        return max;
    }
    best.1
}

/// A merged cell broken by the page break goes on at the top of the
/// continued part, in the same columns: empty there (its text fitted on
/// the page before), or with the rest of its text when the part before was
/// filled to its bottom. Such a cell of the continued part (spanning rows
/// itself, or continuing a cell that did) is joined to the cell it
/// continues. A cell that starts with its own enumeration mark ("（五）")
/// is a new cell.
fn continue_merged_cells(
    prev: &mut Table,
    prev_fills: &mut [Vec<bool>],
    rows: &mut [Vec<TableCell>],
    fills: &mut [Vec<bool>],
) {
    let (Some(first), Some(first_fills)) = (rows.first_mut(), fills.first_mut()) else {
        return;
    };
    let grid = prev.grid();
    let Some(last) = grid.slots.last() else {
        return;
    };
    let mut bottom: Vec<(usize, usize)> = Vec::new();
    for &(r, i) in last.iter().flatten() {
        if !bottom.contains(&(r, i)) {
            bottom.push((r, i));
        }
    }
    for (r, i) in bottom {
        let (col, span, rows_above, text_fills) = {
            let p = &prev.rows[r][i];
            let f = prev_fills
                .get(r)
                .and_then(|f| f.get(i))
                .copied()
                .unwrap_or(false);
            (p.pos.column, p.col_span, p.row_span, f)
        };
        let Some(k) = first
            .iter()
            .position(|c| c.pos.column == col && c.col_span == span)
        else {
            continue;
        };
        let c = &first[k];
        let merged = rows_above >= 2 || c.row_span >= 2;
        let goes_on = c.text.is_empty() || text_fills && numbering_len(&c.text) == 0;
        if !(merged && goes_on) {
            continue;
        }
        let c = first.remove(k);
        let f = if k < first_fills.len() {
            first_fills.remove(k)
        } else {
            false
        };
        let p = &mut prev.rows[r][i];
        p.row_span = p.row_span.saturating_add(c.row_span.max(1));
        join(&mut p.text, &c.text);
        if let Some(slot) = prev_fills.get_mut(r).and_then(|f| f.get_mut(i)) {
            *slot = f;
        }
    }
}

/// A paragraph being gathered.
struct Para {
    text: String,
    pos: Pos,
    lines: usize,
    size: f64,
    bold: bool,
    /// The last line reached the right margin.
    full: bool,
    /// Centred (a title line).
    centred: bool,
    last_y: f64,
    page: usize,
}

/// Turns the laid-out pages into blocks.
struct Assembler {
    blocks: Vec<Block>,
    /// The first line of each page.
    pages: Vec<u32>,
    line: u32,
    para: Option<Para>,
    body: f64,
    /// Left and right margins of the text.
    left: f64,
    right: f64,
    /// The last block is a table that ended its page.
    open_table: Option<OpenTable>,
}

/// The table last read, which the next page may continue.
struct OpenTable {
    page: usize,
    x0: f64,
    x1: f64,
    /// Column boundaries of the table so far (ruled tables).
    xs: Vec<f64>,
    ruled: bool,
    /// For every cell of the table so far: its text runs down to its
    /// bottom edge.
    fills: Vec<Vec<bool>>,
}

/// The column boundaries of two parts of a table together: the distinct
/// positions (within 2 points) of both.
fn union_columns(a: &[f64], b: &[f64]) -> Vec<f64> {
    let mut all: Vec<f64> = a.iter().chain(b).copied().collect();
    all.sort_by(f64::total_cmp);
    let mut out: Vec<f64> = Vec::new();
    for x in all {
        if out.last().is_none_or(|&l| x - l > 2.0) {
            out.push(x);
        }
    }
    out
}

/// Moves the cells of rows laid out on the column boundaries `from` onto
/// the boundaries `to` (a superset): their grid columns and column spans.
fn remap_columns(rows: &mut [Vec<TableCell>], from: &[f64], to: &[f64]) {
    let index = |x: f64| {
        to.iter()
            .position(|&t| (t - x).abs() <= 2.0)
            .unwrap_or_else(|| to.partition_point(|&t| t < x))
    };
    for cell in rows.iter_mut().flatten() {
        let c0 = (cell.pos.column as usize).saturating_sub(1);
        let c1 = c0 + cell.col_span.max(1) as usize;
        let (Some(&a), Some(&b)) = (from.get(c0), from.get(c1)) else {
            continue;
        };
        let (n0, n1) = (index(a), index(b));
        cell.pos.column = (n0 as u32).saturating_add(1);
        cell.col_span = (n1.saturating_sub(n0)).max(1) as u32;
    }
}

impl Assembler {
    fn new(body: f64, left: f64, right: f64) -> Assembler {
        Assembler {
            blocks: Vec::new(),
            pages: Vec::new(),
            line: 0,
            para: None,
            body,
            left,
            right,
            open_table: None,
        }
    }

    fn flush(&mut self) {
        let Some(p) = self.para.take() else { return };
        let text = p.text.trim().to_string();
        if text.is_empty() {
            return;
        }
        let chars = text.chars().count();
        let ends_sentence = text.ends_with(['。', '；', '，', '：', ';', ',']);
        let heading = chars <= 40
            && !ends_sentence
            && (p.lines == 1 && numbering_len(&text) > 0
                || p.size >= self.body * 1.15
                || p.lines == 1 && p.bold && chars <= 30);
        self.blocks.push(if heading {
            Block::Heading {
                level: 0,
                text,
                pos: p.pos,
            }
        } else {
            Block::Paragraph { text, pos: p.pos }
        });
    }

    fn page(&mut self, page: usize, items: Vec<Item>) {
        // The page starts at the next line counted.
        self.pages.push(self.line.saturating_add(1));
        // Page furniture: page numbers alone on a line.
        let items: Vec<Item> = items
            .into_iter()
            .filter(|it| match it {
                Item::Line(l) => {
                    let t = l.text();
                    !(t.chars().count() <= 12 && is_page_number(&t))
                }
                Item::Table(_) => true,
            })
            .collect();
        let (left, right) = (self.left, self.right);
        let mid = (left + right) / 2.0;
        let mut first = true;
        for item in items {
            match item {
                Item::Table(t) => {
                    self.flush();
                    self.table(page, first, t);
                }
                Item::Line(l) => {
                    self.text_line(page, l, left, right, mid);
                }
            }
            first = false;
        }
    }

    fn table(&mut self, page: usize, first_on_page: bool, t: TableBox) {
        let open = self.open_table.take().filter(|o| {
            first_on_page
                && o.page + 1 == page
                && (o.x0 - t.x0).abs() <= 3.0
                && (o.x1 - t.x1).abs() <= 3.0
                && o.ruled == t.ruled
        });
        let continues = open.is_some() && matches!(self.blocks.last(), Some(Block::Table(_)));
        let mut rows = Vec::with_capacity(t.rows.len());
        let mut fills: Vec<Vec<bool>> = t
            .rows
            .iter()
            .map(|r| r.iter().map(|c| c.fills_bottom).collect())
            .collect();
        let start = self.line + 1;
        for row in t.rows {
            self.line = self.line.saturating_add(1);
            let line = self.line;
            rows.push(
                row.into_iter()
                    .map(|c| TableCell {
                        text: c.text,
                        pos: Pos::new(line, (c.col as u32).saturating_add(1)),
                        row_span: c.row_span,
                        col_span: c.col_span,
                    })
                    .collect::<Vec<_>>(),
            );
        }
        let mut xs = t.xs;
        match (open, self.blocks.last_mut()) {
            (Some(mut open), Some(Block::Table(prev))) if continues => {
                // A column drawn in one part only (a column of sub-items on
                // the rows of one page): both parts on the columns of both.
                if t.ruled && open.xs != xs {
                    let all = union_columns(&open.xs, &xs);
                    remap_columns(&mut prev.rows, &open.xs, &all);
                    remap_columns(&mut rows, &xs, &all);
                    xs = all;
                }
                // Header rows repeated at the top of the continued part.
                let texts = |row: &[TableCell]| -> Vec<String> {
                    row.iter().map(|c| c.text.clone()).collect()
                };
                let repeated = rows
                    .iter()
                    .zip(&prev.rows)
                    .take_while(|(a, b)| {
                        texts(a) == texts(b) && a.iter().any(|c| !c.text.is_empty())
                    })
                    .count();
                rows.drain(..repeated);
                fills.drain(..repeated);
                if t.ruled {
                    continue_merged_cells(prev, &mut open.fills, &mut rows, &mut fills);
                }
                prev.rows.extend(rows);
                open.fills.extend(fills);
                fills = open.fills;
            }
            _ => {
                self.blocks.push(Block::Table(Table {
                    rows,
                    pos: Pos::new(start, 1),
                }));
            }
        }
        self.open_table = Some(OpenTable {
            page,
            x0: t.x0,
            x1: t.x1,
            xs,
            ruled: t.ruled,
            fills,
        });
    }

    fn text_line(&mut self, page: usize, l: Line, left: f64, right: f64, mid: f64) {
        self.open_table = None;
        self.line = self.line.saturating_add(1);
        let text = l.text();
        let x0 = l.x0();
        let x1 = l.x1();
        let size = l.size;
        let indented = x0 > left + 0.9 * size;
        let centred = indented && x1 < right - 0.9 * size && ((x0 + x1) / 2.0 - mid).abs() < size;
        let full = x1 >= right - 1.5 * size;
        let continues = self.para.as_ref().is_some_and(|p| {
            let same_size = (p.size - size).abs() <= 0.15 * size.max(p.size);
            if !same_size {
                return false;
            }
            let near = if p.page == page {
                p.last_y - l.y <= 2.2 * size && p.last_y > l.y
            } else {
                p.page + 1 == page
            };
            if !near {
                return false;
            }
            // A title set over several centred lines (the first may fill
            // the measure).
            if (p.centred || p.full) && centred && p.page == page && size >= self.body * 1.15 {
                return true;
            }
            // A numbered line after a finished sentence starts a new item.
            let numbered = numbering_len(&text) > 0 && p.text.ends_with(['。', '；', '：']);
            p.full && !indented && !p.centred && !numbered
        });
        if continues {
            let p = self.para.as_mut().expect("paragraph");
            join(&mut p.text, &text);
            p.lines += 1;
            p.full = full;
            p.last_y = l.y;
            p.page = page;
            p.bold &= l.bold;
            return;
        }
        self.flush();
        self.para = Some(Para {
            text,
            pos: Pos::new(self.line, 1),
            lines: 1,
            size,
            bold: l.bold,
            full,
            centred,
            last_y: l.y,
            page,
        });
    }

    fn finish(mut self) -> Document {
        self.flush();
        Document {
            blocks: self.blocks,
            notes: Vec::new(),
            pages: self.pages,
        }
    }
}
