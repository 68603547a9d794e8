//! Runs a page's content stream and collects what the layout needs: every
//! glyph shown (its text, box and size, in page space), the straight
//! horizontal and vertical lines drawn (strokes and thin filled rectangles),
//! and how many images were painted.

use super::font::Font;
use super::lex::{Lexer, Tok};
use super::{deref, dict_get, name_of, number, stream_bytes};
use lopdf::{Dictionary, Document as PdfDoc, Object, ObjectId};
use std::collections::HashMap;
use std::rc::Rc;

/// Most operators run per page (form XObjects included).
const MAX_OPS: usize = 4_000_000;
/// Most glyphs kept per page.
const MAX_GLYPHS: usize = 400_000;
/// Most line segments kept per page.
const MAX_SEGMENTS: usize = 20_000;
/// Deepest `q` nesting and form XObject nesting.
const MAX_SAVE: usize = 256;
const MAX_FORM_DEPTH: usize = 8;
/// A filled rectangle thinner than this (in points) is a drawn line.
const THIN: f64 = 2.5;

type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn apply(m: &Matrix, x: f64, y: f64) -> (f64, f64) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

/// A glyph on the page (y grows upwards).
#[derive(Debug, Clone)]
pub struct Glyph {
    pub text: String,
    pub x0: f64,
    pub x1: f64,
    /// Baseline.
    pub y: f64,
    /// Font size on the page.
    pub size: f64,
    pub bold: bool,
    /// Set in a vertical font (text runs top to bottom).
    pub vertical: bool,
}

/// A horizontal (`y0 == y1`) or vertical (`x0 == x1`) line on the page.
#[derive(Debug, Clone, Copy)]
pub struct Segment {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

#[derive(Debug, Default)]
pub struct PageContent {
    pub glyphs: Vec<Glyph>,
    pub segments: Vec<Segment>,
    pub images: usize,
    /// Codes shown that decode to no text, by font name.
    pub undecodable: HashMap<String, usize>,
    /// Limits hit on this page (already in Chinese).
    pub truncated: bool,
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    size: f64,
    char_spacing: f64,
    word_spacing: f64,
    scale: f64,
    leading: f64,
    rise: f64,
}

/// Fonts loaded so far, by object (shared across pages).
pub type FontCache = HashMap<ObjectId, Rc<Font>>;

pub struct Runner<'d> {
    doc: &'d PdfDoc,
    fonts: &'d mut FontCache,
    out: PageContent,
    ops: usize,
    /// Bytes of form XObject streams decoded so far.
    decoded: usize,
}

enum PathOp {
    Move(f64, f64),
    Line(f64, f64),
    Rect(f64, f64, f64, f64),
    Close,
}

impl<'d> Runner<'d> {
    pub fn new(doc: &'d PdfDoc, fonts: &'d mut FontCache) -> Runner<'d> {
        Runner {
            doc,
            fonts,
            out: PageContent::default(),
            ops: 0,
            decoded: 0,
        }
    }

    pub fn finish(self) -> PageContent {
        self.out
    }

    /// Runs a content stream with its resources (innermost first) under `ctm`.
    pub fn run(&mut self, content: &[u8], resources: &[&Dictionary], ctm: Matrix, depth: usize) {
        let mut gs = GState {
            ctm,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            scale: 1.0,
            leading: 0.0,
            rise: 0.0,
        };
        let mut stack: Vec<GState> = Vec::new();
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        let mut path: Vec<PathOp> = Vec::new();
        let mut operands: Vec<Tok> = Vec::new();
        let mut lex = Lexer::new(content);
        while let Some(tok) = lex.next_tok() {
            let Tok::Op(op) = tok else {
                if operands.len() < 64 {
                    operands.push(tok);
                }
                continue;
            };
            self.ops += 1;
            if self.ops > MAX_OPS {
                self.out.truncated = true;
                return;
            }
            let n = |i: usize| -> f64 {
                let k = operands.len().wrapping_sub(i);
                match operands.get(k) {
                    Some(Tok::Num(v)) => *v,
                    _ => 0.0,
                }
            };
            match op.as_slice() {
                b"q" if stack.len() < MAX_SAVE => stack.push(gs.clone()),
                b"Q" => {
                    if let Some(s) = stack.pop() {
                        gs = s;
                    }
                }
                b"cm" => {
                    let m = [n(6), n(5), n(4), n(3), n(2), n(1)];
                    gs.ctm = mul(&m, &gs.ctm);
                }
                b"BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                b"Tf" => {
                    gs.size = n(1);
                    if let Some(Tok::Name(name)) =
                        operands.len().checked_sub(2).and_then(|k| operands.get(k))
                    {
                        gs.font = Some(self.font(resources, name));
                    }
                }
                b"Tc" => gs.char_spacing = n(1),
                b"Tw" => gs.word_spacing = n(1),
                b"Tz" => gs.scale = n(1) / 100.0,
                b"TL" => gs.leading = n(1),
                b"Ts" => gs.rise = n(1),
                b"Td" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, n(2), n(1)], &tlm);
                    tm = tlm;
                }
                b"TD" => {
                    gs.leading = -n(1);
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, n(2), n(1)], &tlm);
                    tm = tlm;
                }
                b"Tm" => {
                    tlm = [n(6), n(5), n(4), n(3), n(2), n(1)];
                    tm = tlm;
                }
                b"T*" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                    tm = tlm;
                }
                b"Tj" | b"'" | b"\"" => {
                    if op.as_slice() != b"Tj" {
                        if op.as_slice() == b"\"" {
                            gs.word_spacing = n(3);
                            gs.char_spacing = n(2);
                        }
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                        tm = tlm;
                    }
                    if let Some(Tok::Str(s)) = operands.last() {
                        self.show(&gs, &mut tm, s);
                    }
                }
                b"TJ" => {
                    if let Some(Tok::Array(items)) = operands.last() {
                        for item in items {
                            match item {
                                Tok::Str(s) => self.show(&gs, &mut tm, s),
                                Tok::Num(v) => {
                                    let tx = -v / 1000.0 * gs.size * gs.scale;
                                    if gs.font.as_ref().is_some_and(|f| f.vertical) {
                                        tm = mul(
                                            &[1.0, 0.0, 0.0, 1.0, 0.0, -v / 1000.0 * gs.size],
                                            &tm,
                                        );
                                    } else {
                                        tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                }
                b"m" => path.push(PathOp::Move(n(2), n(1))),
                b"l" => path.push(PathOp::Line(n(2), n(1))),
                b"c" => path.push(PathOp::Move(n(2), n(1))),
                b"v" | b"y" => path.push(PathOp::Move(n(2), n(1))),
                b"re" => path.push(PathOp::Rect(n(4), n(3), n(2), n(1))),
                b"h" => path.push(PathOp::Close),
                b"S" | b"s" | b"B" | b"B*" | b"b" | b"b*" => {
                    self.paint(&path, &gs.ctm, true);
                    path.clear();
                }
                b"f" | b"F" | b"f*" => {
                    self.paint(&path, &gs.ctm, false);
                    path.clear();
                }
                b"n" => path.clear(),
                b"BI" => self.out.images += 1,
                b"Do" => {
                    if let Some(Tok::Name(name)) = operands.last() {
                        let name = name.clone();
                        self.xobject(resources, &name, &gs.ctm, depth);
                    }
                }
                _ => {}
            }
            if path.len() > 100_000 {
                path.clear();
            }
            operands.clear();
        }
    }

    fn font(&mut self, resources: &[&Dictionary], name: &[u8]) -> Rc<Font> {
        for res in resources {
            let Some(Object::Dictionary(fonts)) = dict_get(self.doc, res, b"Font") else {
                continue;
            };
            let Ok(obj) = fonts.get(name) else { continue };
            let id = obj.as_reference().ok();
            if let Some(f) = id.and_then(|id| self.fonts.get(&id)) {
                return f.clone();
            }
            let font = match deref(self.doc, obj) {
                Some(Object::Dictionary(d)) => Font::load(self.doc, d),
                _ => Font::unknown(&String::from_utf8_lossy(name)),
            };
            let font = Rc::new(font);
            if let Some(id) = id {
                self.fonts.insert(id, font.clone());
            }
            return font;
        }
        Rc::new(Font::unknown(&String::from_utf8_lossy(name)))
    }

    fn show(&mut self, gs: &GState, tm: &mut Matrix, s: &[u8]) {
        let Some(font) = gs.font.clone() else {
            *self.out.undecodable.entry(String::new()).or_default() += s.len();
            return;
        };
        let mut rest = s;
        while !rest.is_empty() {
            let code = font.next_code(rest);
            rest = &rest[code.len.min(rest.len())..];
            let m = mul(tm, &gs.ctm);
            let size = gs.size * (m[2] * m[2] + m[3] * m[3]).sqrt();
            let advance;
            if font.vertical {
                let (x, y) = apply(&m, 0.0, 0.0);
                advance = code.width.max(1000.0) / 1000.0 * gs.size;
                let half = size / 2.0;
                self.glyph(
                    &font,
                    code.text.as_deref(),
                    x - half,
                    x + half,
                    y - size * 0.88,
                    size,
                );
                let ty =
                    -(gs.size + gs.char_spacing + if code.space { gs.word_spacing } else { 0.0 });
                *tm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, ty], tm);
                let _ = advance;
                continue;
            }
            advance = code.width / 1000.0 * gs.size * gs.scale;
            let (x0, y0) = apply(&m, 0.0, gs.rise);
            let (x1, _) = apply(&m, advance, gs.rise);
            self.glyph(
                &font,
                code.text.as_deref(),
                x0.min(x1),
                x0.max(x1),
                y0,
                size,
            );
            let tx = (code.width / 1000.0 * gs.size
                + gs.char_spacing
                + if code.space { gs.word_spacing } else { 0.0 })
                * gs.scale;
            *tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], tm);
        }
    }

    fn glyph(&mut self, font: &Font, text: Option<&str>, x0: f64, x1: f64, y: f64, size: f64) {
        match text {
            None => *self.out.undecodable.entry(font.name.clone()).or_default() += 1,
            Some(t) => {
                // A space is kept as " ": it separates words even where the
                // gap it leaves is narrow.
                let t = if t.chars().all(char::is_whitespace) {
                    " "
                } else {
                    t
                };
                if self.out.glyphs.len() >= MAX_GLYPHS {
                    self.out.truncated = true;
                    return;
                }
                if !(x0.is_finite() && x1.is_finite() && y.is_finite() && size.is_finite()) {
                    return;
                }
                self.out.glyphs.push(Glyph {
                    text: t.to_string(),
                    x0,
                    x1,
                    y,
                    size: size.abs().max(0.1),
                    bold: font.bold,
                    vertical: font.vertical,
                });
            }
        }
    }

    fn segment(&mut self, a: (f64, f64), b: (f64, f64)) {
        if self.out.segments.len() >= MAX_SEGMENTS {
            return;
        }
        let (dx, dy) = ((a.0 - b.0).abs(), (a.1 - b.1).abs());
        if !(dx.is_finite() && dy.is_finite()) || (dx < 1.0 && dy < 1.0) {
            return;
        }
        if dy < 1.0 {
            let y = (a.1 + b.1) / 2.0;
            self.out.segments.push(Segment {
                x0: a.0.min(b.0),
                y0: y,
                x1: a.0.max(b.0),
                y1: y,
            });
        } else if dx < 1.0 {
            let x = (a.0 + b.0) / 2.0;
            self.out.segments.push(Segment {
                x0: x,
                y0: a.1.min(b.1),
                x1: x,
                y1: a.1.max(b.1),
            });
        }
    }

    /// Turns a painted path into line segments: stroked straight lines and
    /// rectangle edges, and filled rectangles thin enough to be lines.
    fn paint(&mut self, path: &[PathOp], ctm: &Matrix, stroke: bool) {
        let mut cur = (0.0, 0.0);
        let mut start = (0.0, 0.0);
        for op in path {
            match *op {
                PathOp::Move(x, y) => {
                    cur = apply(ctm, x, y);
                    start = cur;
                }
                PathOp::Line(x, y) => {
                    let p = apply(ctm, x, y);
                    if stroke {
                        self.segment(cur, p);
                    }
                    cur = p;
                }
                PathOp::Close => {
                    if stroke {
                        self.segment(cur, start);
                    }
                    cur = start;
                }
                PathOp::Rect(x, y, w, h) => {
                    let a = apply(ctm, x, y);
                    let b = apply(ctm, x + w, y + h);
                    let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
                    let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
                    let (w, h) = (x1 - x0, y1 - y0);
                    if stroke {
                        self.segment((x0, y0), (x1, y0));
                        self.segment((x0, y1), (x1, y1));
                        self.segment((x0, y0), (x0, y1));
                        self.segment((x1, y0), (x1, y1));
                    } else if h < THIN && w >= THIN {
                        let y = (y0 + y1) / 2.0;
                        self.segment((x0, y), (x1, y));
                    } else if w < THIN && h >= THIN {
                        let x = (x0 + x1) / 2.0;
                        self.segment((x, y0), (x, y1));
                    }
                    cur = (x0, y0);
                    start = cur;
                }
            }
        }
        // A filled polygon (m/l/h) drawn as a thin bar is a line too.
        if !stroke {
            let mut pts: Vec<(f64, f64)> = Vec::new();
            for op in path {
                match *op {
                    PathOp::Move(x, y) | PathOp::Line(x, y) => pts.push(apply(ctm, x, y)),
                    PathOp::Rect(..) => return,
                    PathOp::Close => {}
                }
            }
            if (3..=5).contains(&pts.len()) {
                let (x0, x1) = pts
                    .iter()
                    .fold((f64::MAX, f64::MIN), |a, p| (a.0.min(p.0), a.1.max(p.0)));
                let (y0, y1) = pts
                    .iter()
                    .fold((f64::MAX, f64::MIN), |a, p| (a.0.min(p.1), a.1.max(p.1)));
                if y1 - y0 < THIN && x1 - x0 >= THIN {
                    self.segment((x0, (y0 + y1) / 2.0), (x1, (y0 + y1) / 2.0));
                } else if x1 - x0 < THIN && y1 - y0 >= THIN {
                    self.segment(((x0 + x1) / 2.0, y0), ((x0 + x1) / 2.0, y1));
                }
            }
        }
    }

    fn xobject(&mut self, resources: &[&Dictionary], name: &[u8], ctm: &Matrix, depth: usize) {
        let doc = self.doc;
        for res in resources {
            let Some(Object::Dictionary(xobjects)) = dict_get(doc, res, b"XObject") else {
                continue;
            };
            let Ok(obj) = xobjects.get(name) else {
                continue;
            };
            let Some(Object::Stream(s)) = deref(doc, obj) else {
                return;
            };
            match dict_get(doc, &s.dict, b"Subtype")
                .and_then(name_of)
                .as_deref()
            {
                Some(b"Image") => self.out.images += 1,
                Some(b"Form") => {
                    if depth >= MAX_FORM_DEPTH {
                        self.out.truncated = true;
                        return;
                    }
                    let mut m = IDENTITY;
                    if let Some(Object::Array(a)) = dict_get(doc, &s.dict, b"Matrix") {
                        if a.len() == 6 {
                            for (k, o) in a.iter().enumerate() {
                                m[k] = deref(doc, o).and_then(number).unwrap_or(m[k]);
                            }
                        }
                    }
                    let m = mul(&m, ctm);
                    let Some(bytes) = stream_bytes(s) else { return };
                    self.decoded += bytes.len();
                    if self.decoded > super::MAX_STREAM_BYTES {
                        self.out.truncated = true;
                        return;
                    }
                    let mut chain: Vec<&Dictionary> = Vec::with_capacity(resources.len() + 1);
                    if let Some(Object::Dictionary(r)) = dict_get(doc, &s.dict, b"Resources") {
                        chain.push(r);
                    }
                    chain.extend_from_slice(resources);
                    self.run(&bytes, &chain, m, depth + 1);
                }
                _ => {}
            }
            return;
        }
    }
}
