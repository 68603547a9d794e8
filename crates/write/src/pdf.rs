//! PDF in the layout of official documents, GB/T 9704-2012 — the same
//! layout as the Word writer ([`crate::docx`]), laid out here line by line.
//!
//! * **Page**: A4 (595.28 pt × 841.89 pt), margins top 37 mm, bottom 35 mm,
//!   left 28 mm, right 26 mm; a text area of 156 mm × 225 mm holding 22
//!   lines of 28 characters: lines on a grid of 225 mm / 22 (≈ 29 pt), and
//!   characters of the body size set a little closer than their size, so
//!   that 28 full-width characters fill 156 mm.
//! * **Title**: 方正小标宋简体 二号 (22 pt), centred, one grid line per line, a
//!   blank line below; a long title is broken where the Word writer breaks
//!   it (after the agency and year, or before 工作年度报告).
//! * **Body**: 仿宋_GB2312 三号 (16 pt), justified, first line indented two
//!   characters; headings of the first level in 黑体, of the second level
//!   (（一）…) in 楷体, as the Word writer sets them. Lines break between any
//!   two characters, except inside a run of Latin letters and figures, with
//!   避头尾: no line starts with a closing mark (，。、；：？！）》」』 …) and
//!   none ends with an opening one (（《「『 …).
//! * **Tables**: the template's tables with their merged cells, drawn by
//!   [`crate::layout`], in the Word writer's column widths and text sizes
//!   (小四 for table 2, 五号 for tables 3 and 4). Every cell is drawn as a
//!   rectangle of ruling lines, and its text as text runs of its own inside
//!   it, wrapped within the cell (a row label stays one cell however many
//!   lines it takes); numbers are written as the text writer writes them,
//!   centred. Tables break between rows; the header rows on top of a table
//!   are repeated on each page, and rows are kept together where the Word
//!   writer keeps them (a header with the first row, a sub-table of table 2,
//!   a small group of table 3).
//! * **Page numbers**: 4号 (14 pt) Arabic figures between dashes, "— 1 —",
//!   7 mm below the text area, odd pages on the right and even pages on the
//!   left, one character in from the text edge.
//!
//! **Fonts.** Freely licensed fonts are built in (see `fonts/README.md`):
//! Noto Serif CJK SC for 仿宋 and 宋体, its bold for 小标宋, Noto Sans CJK SC for
//! 黑体 and LXGW WenKai for 楷体, subset to GB 2312, level 1 of
//! 《通用规范汉字表》 and the template's labels. The official fonts can be
//! given instead ([`PdfFonts`]), role by role; a role without one falls back
//! to the built-in font. A character the chosen font lacks is taken from
//! another font that has it; one that no font has is drawn as the font's
//! empty box and reported ([`PdfOutput::warnings`]). Only the glyphs used are
//! embedded (CID-keyed fonts with a ToUnicode map, so that the text can be
//! copied and extracted).
//!
//! The document's title is the report's title, its language zh-CN and its
//! creator gongkai. The output depends on the report and the fonts only.
//!
//! The same pages, fonts and page numbers carry the charts of
//! [`crate::chart`], for which the drawing also has filled rectangles,
//! coloured lines and coloured, turned text.

use crate::layout::{self, Content, Drawn, RowKind, Slot};
use crate::Options;
use gongkai_report::Report;
use gongkai_template::TableKey;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Transform};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Data, Document};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Range;

// ---------------------------------------------------------------------------
// Geometry, in points (1/72 inch), y downwards from the top of the page.

const MM: f32 = 72.0 / 25.4;
/// A4.
pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
const MARGIN_TOP: f32 = 37.0 * MM;
const MARGIN_BOTTOM: f32 = 35.0 * MM;
pub(crate) const MARGIN_LEFT: f32 = 28.0 * MM;
const MARGIN_RIGHT: f32 = 26.0 * MM;
/// The text area: 156 mm × 225 mm.
pub(crate) const TEXT_W: f32 = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT;
pub(crate) const TEXT_H: f32 = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM;
const TEXT_BOTTOM: f32 = PAGE_H - MARGIN_BOTTOM;
const LINES_PER_PAGE: usize = 22;
const CHARS_PER_LINE: usize = 28;
/// The pitch of the lines: 22 of them fill the text area.
pub(crate) const LINE_PITCH: f32 = TEXT_H / LINES_PER_PAGE as f32;
/// 三号, the body size.
pub(crate) const BODY_SIZE: f32 = 16.0;
/// 二号, the title size.
pub(crate) const TITLE_SIZE: f32 = 22.0;
/// 4号, the page numbers' size.
const PAGE_NUMBER_SIZE: f32 = 14.0;
/// The pitch of full-width characters: 28 of them fill a line.
pub(crate) const CHAR_PITCH: f32 = TEXT_W / CHARS_PER_LINE as f32;
/// How much closer than their size characters are set (negative).
const CHAR_SPACING: f32 = CHAR_PITCH - BODY_SIZE;
/// Ruling lines of tables: 0.5 pt, as the Word writer's borders.
const RULE_WIDTH: f32 = 0.5;
/// Space left and right inside a table cell, as in the Word writer (1 mm).
const CELL_PAD_X: f32 = crate::docx::CELL_MARGIN as f32 / 20.0;
/// Space above and below the text of a table cell.
const CELL_PAD_Y: f32 = 2.0;
/// The least heights of table rows, as in the Word writer.
const ROW_MIN_BODY: f32 = 397.0 / 20.0;
const ROW_MIN_HEAD: f32 = 340.0 / 20.0;
/// Line height of table text, in units of its size (single spacing).
const TABLE_LEADING: f32 = 1.3;
/// Where the centre of a Chinese character lies above its baseline, in ems.
const CJK_CENTRE: f32 = 0.38;
/// The ascent of Chinese characters above the baseline, in ems.
const CJK_ASCENT: f32 = 0.88;
/// Slack for comparisons of lengths.
pub(crate) const EPS: f32 = 0.01;

/// Characters no line may start with (避头).
const NO_LINE_START: &str = "，。、；：？！）》」』】〕〗〉’”…—·～%‰℃,.;:?!)]}>・々〃ー";
/// Characters no line may end with (避尾).
const NO_LINE_END: &str = "（《「『【〔〖〈‘“([{<";

// ---------------------------------------------------------------------------
// Fonts.

/// What a font is used for: the fonts GB/T 9704 names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FontRole {
    /// 方正小标宋简体: the title.
    Title,
    /// 仿宋_GB2312: the body and the tables.
    Body,
    /// 黑体: headings of the first level.
    Heading,
    /// 楷体_GB2312: headings of the second level.
    Kai,
    /// 宋体: page numbers.
    Song,
}

impl FontRole {
    pub const ALL: [FontRole; 5] = [
        FontRole::Title,
        FontRole::Body,
        FontRole::Heading,
        FontRole::Kai,
        FontRole::Song,
    ];

    /// The font's name as the standard gives it.
    pub fn font_name(self) -> &'static str {
        match self {
            FontRole::Title => "方正小标宋简体",
            FontRole::Body => "仿宋_GB2312",
            FontRole::Heading => "黑体",
            FontRole::Kai => "楷体_GB2312",
            FontRole::Song => "宋体",
        }
    }

    /// The role a font file stands for, by its usual file names
    /// (方正小标宋简体.ttf, FZXBSJW.TTF, 仿宋_GB2312.ttf, simfang.ttf, 仿宋.ttf,
    /// simhei.ttf, 楷体_GB2312.ttf, simkai.ttf, simsun.ttc …), with a rank:
    /// a lower rank is preferred when several files stand for one role
    /// (仿宋_GB2312 before 仿宋). None for other files.
    pub fn of_file_name(file_name: &str) -> Option<(FontRole, u8)> {
        let name = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
        let (stem, ext) = name.rsplit_once('.')?;
        if !matches!(
            ext.to_ascii_lowercase().as_str(),
            "ttf" | "otf" | "ttc" | "otc"
        ) {
            return None;
        }
        let stem = stem.trim().to_lowercase().replace([' ', '-'], "_");
        if stem.starts_with("方正小标宋")
            || stem.starts_with("fzxbs")
            || stem.starts_with("fzxiaobiaosong")
        {
            return Some((FontRole::Title, 0));
        }
        let role = match stem.as_str() {
            "仿宋_gb2312" | "fangsong_gb2312" | "fs_gb2312" => (FontRole::Body, 0),
            "仿宋" | "simfang" | "fangsong" => (FontRole::Body, 1),
            "stfangso" | "华文仿宋" => (FontRole::Body, 2),
            "黑体" | "simhei" | "heiti" => (FontRole::Heading, 0),
            "楷体_gb2312" | "kaiti_gb2312" | "kt_gb2312" => (FontRole::Kai, 0),
            "楷体" | "simkai" | "kaiti" => (FontRole::Kai, 1),
            "stkaiti" | "华文楷体" => (FontRole::Kai, 2),
            "宋体" | "simsun" | "songti" => (FontRole::Song, 0),
            _ => return None,
        };
        Some(role)
    }
}

/// One font file given for a role.
#[derive(Clone)]
struct GivenFont {
    role: FontRole,
    rank: u8,
    name: String,
    data: Data,
    index: u32,
}

/// The fonts to set a report in: for each role, a font given by the user
/// or, by default, the built-in one.
#[derive(Clone, Default)]
pub struct PdfFonts {
    given: Vec<GivenFont>,
}

impl fmt::Debug for PdfFonts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.given.iter().map(|g| (g.role, &g.name)))
            .finish()
    }
}

impl PdfFonts {
    /// The built-in fonts only.
    pub fn embedded() -> PdfFonts {
        PdfFonts::default()
    }

    /// Uses a font file for a role (the first font of a collection). A file
    /// that is not a font readable for embedding is refused, with the reason
    /// in Chinese.
    pub fn add(&mut self, role: FontRole, file_name: &str, bytes: Vec<u8>) -> Result<(), String> {
        self.add_ranked(role, 0, file_name, bytes)
    }

    fn add_ranked(
        &mut self,
        role: FontRole,
        rank: u8,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Result<(), String> {
        let data = Data::from(bytes);
        let index = 0;
        if FontRef::from_index(data.as_ref(), index).is_err()
            || Font::new(data.clone(), index).is_none()
        {
            return Err(format!("字体文件“{file_name}”无法读取，已忽略"));
        }
        if let Some(i) = self.given.iter().position(|g| g.role == role) {
            if self.given[i].rank <= rank {
                return Ok(());
            }
            self.given.remove(i);
        }
        self.given.push(GivenFont {
            role,
            rank,
            name: file_name.to_string(),
            data,
            index,
        });
        Ok(())
    }

    /// The fonts among files (name and bytes, as read from a folder) whose
    /// names [`FontRole::of_file_name`] recognises; files of other names are
    /// skipped. Returns the fonts and a message in Chinese for every
    /// recognised file that could not be used.
    pub fn from_files<I>(files: I) -> (PdfFonts, Vec<String>)
    where
        I: IntoIterator<Item = (String, Vec<u8>)>,
    {
        let mut fonts = PdfFonts::default();
        let mut problems = Vec::new();
        let mut files: Vec<(String, Vec<u8>)> = files.into_iter().collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, bytes) in files {
            if let Some((role, rank)) = FontRole::of_file_name(&name) {
                if let Err(e) = fonts.add_ranked(role, rank, &name, bytes) {
                    problems.push(e);
                }
            }
        }
        (fonts, problems)
    }

    /// The file given for a role, if any.
    pub fn file_for(&self, role: FontRole) -> Option<&str> {
        self.given
            .iter()
            .find(|g| g.role == role)
            .map(|g| g.name.as_str())
    }
}

static SERIF_REGULAR: &[u8] = include_bytes!("../fonts/NotoSerifCJKsc-Regular.otf");
static SERIF_BOLD: &[u8] = include_bytes!("../fonts/NotoSerifCJKsc-Bold.otf");
static SANS_REGULAR: &[u8] = include_bytes!("../fonts/NotoSansCJKsc-Regular.otf");
static KAI_REGULAR: &[u8] = include_bytes!("../fonts/LXGWWenKai-Regular.ttf");

/// The built-in font for a role.
fn embedded_for(role: FontRole) -> &'static [u8] {
    match role {
        FontRole::Title => SERIF_BOLD,
        FontRole::Body | FontRole::Song => SERIF_REGULAR,
        FontRole::Heading => SANS_REGULAR,
        FontRole::Kai => KAI_REGULAR,
    }
}

/// A font ready for use.
struct Face {
    font: Font,
    data: Data,
    index: u32,
    units_per_em: f32,
}

impl Face {
    fn new(data: Data, index: u32) -> Option<Face> {
        let font_ref = FontRef::from_index(data.as_ref(), index).ok()?;
        let units_per_em = font_ref
            .metrics(Size::unscaled(), LocationRef::default())
            .units_per_em as f32;
        let font = Font::new(data.clone(), index)?;
        Some(Face {
            font,
            data,
            index,
            units_per_em: units_per_em.max(1.0),
        })
    }

    /// The glyph of a character and its advance in ems.
    fn glyph(&self, c: char) -> Option<(u32, f32)> {
        let font_ref = FontRef::from_index(self.data.as_ref(), self.index).ok()?;
        let gid = font_ref.charmap().map(c)?;
        if gid.to_u32() == 0 {
            return None;
        }
        let advance = font_ref
            .glyph_metrics(Size::unscaled(), LocationRef::default())
            .advance_width(gid)
            .unwrap_or(self.units_per_em);
        Some((gid.to_u32(), advance / self.units_per_em))
    }
}

/// The fonts of one document: the faces, the order in which each role
/// tries them, the glyphs looked up so far and the characters none has.
pub(crate) struct FontSet {
    faces: Vec<Face>,
    chains: HashMap<FontRole, Vec<usize>>,
    cache: HashMap<(usize, char), Option<(u32, f32)>>,
    missing: BTreeMap<char, usize>,
}

impl FontSet {
    pub(crate) fn new(fonts: &PdfFonts) -> FontSet {
        let mut faces = Vec::new();
        let mut given: HashMap<FontRole, usize> = HashMap::new();
        for g in &fonts.given {
            if let Some(face) = Face::new(g.data.clone(), g.index) {
                given.insert(g.role, faces.len());
                faces.push(face);
            }
        }
        let mut builtin: HashMap<*const u8, usize> = HashMap::new();
        let mut embedded: HashMap<FontRole, usize> = HashMap::new();
        for role in FontRole::ALL {
            let bytes = embedded_for(role);
            let i = *builtin.entry(bytes.as_ptr()).or_insert_with(|| {
                faces.push(Face::new(Data::from(bytes), 0).expect("the built-in fonts are valid"));
                faces.len() - 1
            });
            embedded.insert(role, i);
        }
        let mut chains = HashMap::new();
        for role in FontRole::ALL {
            // The role's own font, then the body font, then any other.
            let mut chain: Vec<usize> = Vec::new();
            let mut push = |i: Option<&usize>| {
                if let Some(&i) = i {
                    if !chain.contains(&i) {
                        chain.push(i);
                    }
                }
            };
            push(given.get(&role));
            push(embedded.get(&role));
            push(given.get(&FontRole::Body));
            push(embedded.get(&FontRole::Body));
            for r in FontRole::ALL {
                push(given.get(&r));
            }
            for r in FontRole::ALL {
                push(embedded.get(&r));
            }
            chains.insert(role, chain);
        }
        FontSet {
            faces,
            chains,
            cache: HashMap::new(),
            missing: BTreeMap::new(),
        }
    }

    fn lookup(&mut self, face: usize, c: char) -> Option<(u32, f32)> {
        let faces = &self.faces;
        *self
            .cache
            .entry((face, c))
            .or_insert_with(|| faces[face].glyph(c))
    }

    /// Maps text onto glyphs for a role, falling back along the role's
    /// chain; a character no font has gets the first font's empty box and
    /// is counted as missing.
    fn shape(&mut self, role: FontRole, text: &str) -> Vec<G> {
        let chain = self.chains[&role].clone();
        let mut out = Vec::new();
        for (i, c) in text.char_indices() {
            let range = i..i + c.len_utf8();
            let c = match c {
                '\t' | '\u{a0}' => ' ',
                c if c.is_control() => continue,
                c => c,
            };
            let found = chain
                .iter()
                .find_map(|&f| self.lookup(f, c).map(|(gid, adv)| (f, gid, adv)));
            let (face, gid, advance) = match found {
                Some(f) => f,
                None => {
                    *self.missing.entry(c).or_insert(0) += 1;
                    let wide = !c.is_ascii();
                    (chain[0], 0, if wide { 1.0 } else { 0.5 })
                }
            };
            out.push(G {
                c,
                face,
                gid,
                advance,
                range,
            });
        }
        out
    }
}

/// A character mapped onto a glyph.
#[derive(Debug, Clone)]
struct G {
    c: char,
    face: usize,
    gid: u32,
    /// The advance, in ems.
    advance: f32,
    /// Where the character is in its text, in bytes.
    range: Range<usize>,
}

// ---------------------------------------------------------------------------
// The output.

/// A PDF and what went wrong on the way.
#[derive(Debug, Clone)]
pub struct PdfOutput {
    pub bytes: Vec<u8>,
    /// Problems, in Chinese, for the user: characters no font has (drawn as
    /// empty boxes), fonts that could not be embedded.
    pub warnings: Vec<String>,
}

/// Writes a report as PDF with the built-in fonts and default options.
pub fn write_pdf(report: &Report) -> Vec<u8> {
    write_pdf_with(report, &Options::default(), &PdfFonts::embedded()).bytes
}

/// Writes a report as PDF with the given fonts.
pub fn write_pdf_with(report: &Report, options: &Options, fonts: &PdfFonts) -> PdfOutput {
    let title = layout::title(report);
    with_fallback(fonts, |fonts| {
        render(fonts, &title, |set| lay_out(report, options, set))
    })
}

/// Renders with the given fonts; when they cannot be embedded, with the
/// built-in fonts instead, saying so in the first warning.
pub(crate) fn with_fallback<F>(fonts: &PdfFonts, render: F) -> PdfOutput
where
    F: Fn(&PdfFonts) -> Result<PdfOutput, String>,
{
    match render(fonts) {
        Ok(out) => out,
        Err(e) if !fonts.given.is_empty() => {
            let mut out = render(&PdfFonts::embedded())
                .expect("a document can be written with the built-in fonts");
            out.warnings
                .insert(0, format!("所给字体无法嵌入（{e}），已改用内置字体"));
            out
        }
        Err(e) => panic!("a document can be written with the built-in fonts: {e}"),
    }
}

/// A PDF of the pages `lay_out` fills with the fonts, titled `title`; the
/// characters no font has are the warnings.
pub(crate) fn render<F>(fonts: &PdfFonts, title: &str, lay_out: F) -> Result<PdfOutput, String>
where
    F: FnOnce(&mut FontSet) -> Vec<Vec<Item>>,
{
    let mut set = FontSet::new(fonts);
    let title = title.to_string();
    let pages = lay_out(&mut set);

    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title)
            .language("zh-CN".to_string())
            .creator("gongkai".to_string()),
    );
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H).expect("A4 is a valid page size");
    for page_items in &pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for item in page_items {
            match item {
                Item::Rect { x, y, w, h } => {
                    let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) else {
                        continue;
                    };
                    let mut pb = PathBuilder::new();
                    pb.push_rect(rect);
                    let Some(path) = pb.finish() else { continue };
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke {
                        width: RULE_WIDTH,
                        ..Stroke::default()
                    }));
                    surface.draw_path(&path);
                }
                Item::Fill { x, y, w, h, colour } => {
                    let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) else {
                        continue;
                    };
                    let mut pb = PathBuilder::new();
                    pb.push_rect(rect);
                    let Some(path) = pb.finish() else { continue };
                    surface.set_stroke(None);
                    surface.set_fill(Some(Fill {
                        paint: rgb_of(*colour).into(),
                        ..Fill::default()
                    }));
                    surface.draw_path(&path);
                }
                Item::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                    colour,
                } => {
                    let mut pb = PathBuilder::new();
                    pb.move_to(*x1, *y1);
                    pb.line_to(*x2, *y2);
                    let Some(path) = pb.finish() else { continue };
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke {
                        paint: rgb_of(*colour).into(),
                        width: *width,
                        ..Stroke::default()
                    }));
                    surface.draw_path(&path);
                }
                Item::Run(run) => {
                    surface.set_stroke(None);
                    // Black in the grey colour space, as the report's text
                    // has always been written; other colours as RGB.
                    surface.set_fill(Some(if run.colour == BLACK {
                        Fill::default()
                    } else {
                        Fill {
                            paint: rgb_of(run.colour).into(),
                            ..Fill::default()
                        }
                    }));
                    if let Some((angle, px, py)) = run.turn {
                        surface.push_transform(&Transform::from_rotate_at(angle, px, py));
                    }
                    let glyphs: Vec<KrillaGlyph> = run
                        .glyphs
                        .iter()
                        .map(|(gid, advance, range)| {
                            KrillaGlyph::new(
                                GlyphId::new(*gid),
                                advance / run.size,
                                0.0,
                                0.0,
                                0.0,
                                range.clone(),
                                None,
                            )
                        })
                        .collect();
                    surface.draw_glyphs(
                        Point::from_xy(run.x, run.baseline),
                        &glyphs,
                        set.faces[run.face].font.clone(),
                        &run.text,
                        run.size,
                        false,
                    );
                    if run.turn.is_some() {
                        surface.pop();
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    let bytes = document.finish().map_err(|e| format!("{e:?}"))?;
    let warnings = set
        .missing
        .iter()
        .map(|(c, n)| {
            format!(
                "字符“{c}”（U+{:04X}）在所用字体中都没有字形，显示为空框（{n} 处）",
                *c as u32
            )
        })
        .collect();
    Ok(PdfOutput { bytes, warnings })
}

// ---------------------------------------------------------------------------
// Layout: what goes on each page.

/// A colour as red, green and blue.
pub(crate) type Colour = [u8; 3];

pub(crate) const BLACK: Colour = [0, 0, 0];

fn rgb_of(c: Colour) -> rgb::Color {
    rgb::Color::new(c[0], c[1], c[2])
}

/// A run of glyphs of one font on one line.
#[derive(Debug, Clone)]
pub(crate) struct Run {
    face: usize,
    pub(crate) size: f32,
    pub(crate) x: f32,
    pub(crate) baseline: f32,
    pub(crate) text: String,
    /// Glyph, advance in points, range in `text`.
    pub(crate) glyphs: Vec<(u32, f32, Range<usize>)>,
    /// The colour of the text ([`BLACK`] for all of a report's text).
    pub(crate) colour: Colour,
    /// A rotation of the run, clockwise in degrees, about a point.
    pub(crate) turn: Option<(f32, f32, f32)>,
}

#[derive(Debug, Clone)]
pub(crate) enum Item {
    /// The ruling lines around a table cell.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
    /// A filled rectangle without an outline (a bar of a chart).
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        colour: Colour,
    },
    /// A straight line.
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        colour: Colour,
    },
    Run(Run),
}

/// How the lines of a block of text are aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Centre,
    Right,
    /// Both edges, but the last line to the left.
    Justify,
}

/// Text mapped onto glyphs: the text and its glyphs, each with its role's
/// font size and the spacing added after it.
pub(crate) struct Shaped {
    text: String,
    glyphs: Vec<G>,
    size: f32,
}

impl Shaped {
    pub(crate) fn new(set: &mut FontSet, parts: &[(FontRole, &str)], size: f32) -> Shaped {
        let mut text = String::new();
        let mut glyphs = Vec::new();
        for (role, part) in parts {
            let offset = text.len();
            for mut g in set.shape(*role, part) {
                g.range = g.range.start + offset..g.range.end + offset;
                glyphs.push(g);
            }
            text.push_str(part);
        }
        Shaped { text, glyphs, size }
    }

    /// The width glyph `i` takes on a line.
    fn width(&self, i: usize) -> f32 {
        self.glyphs[i].advance * self.size + CHAR_SPACING
    }

    fn line_width(&self, range: Range<usize>) -> f32 {
        range.map(|i| self.width(i)).sum()
    }

    /// Whether a line may break before glyph `i`.
    fn can_break(&self, i: usize) -> bool {
        let (a, b) = (self.glyphs[i - 1].c, self.glyphs[i].c);
        let word = |c: char| c.is_ascii_graphic();
        let inside_word = word(a) && word(b);
        !inside_word && !NO_LINE_START.contains(b) && !NO_LINE_END.contains(a)
    }

    /// Breaks the text into lines: the first `first` wide, the rest `rest`.
    pub(crate) fn break_lines(&self, first: f32, rest: f32) -> Vec<Range<usize>> {
        let n = self.glyphs.len();
        let mut lines = Vec::new();
        let mut start = 0;
        while start < n {
            // No line starts with a space.
            while start < n && self.glyphs[start].c == ' ' {
                start += 1;
            }
            if start >= n {
                break;
            }
            let limit = if lines.is_empty() { first } else { rest };
            let mut w = 0.0;
            let mut end = start;
            while end < n {
                let gw = self.width(end);
                if end > start && w + gw > limit + EPS {
                    break;
                }
                w += gw;
                end += 1;
            }
            if end < n {
                // Step back to where a line may break, if there is such a place.
                if let Some(b) = (start + 1..=end).rev().find(|&b| self.can_break(b)) {
                    end = b;
                }
            }
            lines.push(start..end);
            start = end;
        }
        lines
    }

    /// Runs for one line placed from `x` with its baseline at `baseline`,
    /// `width` wide, aligned.
    fn place_line(
        &self,
        range: Range<usize>,
        x: f32,
        baseline: f32,
        width: f32,
        align: Align,
        last: bool,
    ) -> Vec<Item> {
        // Spaces at the end of a line take no room.
        let mut end = range.end;
        while end > range.start && self.glyphs[end - 1].c == ' ' {
            end -= 1;
        }
        let range = range.start..end;
        if range.is_empty() {
            return Vec::new();
        }
        let natural = self.line_width(range.clone());
        let count = range.len();
        let (mut cursor, extra) = match align {
            Align::Left => (x, 0.0),
            Align::Centre => (x + ((width - natural) / 2.0).max(0.0), 0.0),
            Align::Right => (x + (width - natural).max(0.0), 0.0),
            Align::Justify if last || count < 2 => (x, 0.0),
            Align::Justify => (x, ((width - natural) / (count - 1) as f32).max(0.0)),
        };
        let mut items = Vec::new();
        let mut i = range.start;
        while i < range.end {
            let face = self.glyphs[i].face;
            let run_start = i;
            while i < range.end && self.glyphs[i].face == face {
                i += 1;
            }
            let bytes = self.glyphs[run_start].range.start..self.glyphs[i - 1].range.end;
            let text = self.text[bytes.clone()].to_string();
            let mut glyphs = Vec::new();
            let x0 = cursor;
            for k in run_start..i {
                let g = &self.glyphs[k];
                let mut advance = self.width(k);
                if k + 1 < range.end {
                    advance += extra;
                }
                glyphs.push((
                    g.gid,
                    advance,
                    g.range.start - bytes.start..g.range.end - bytes.start,
                ));
                cursor += advance;
            }
            items.push(Item::Run(Run {
                face,
                size: self.size,
                x: x0,
                baseline,
                text,
                glyphs,
                colour: BLACK,
                turn: None,
            }));
        }
        items
    }
}

/// The pages being filled: their items and where the next thing goes.
pub(crate) struct Flow {
    pages: Vec<Vec<Item>>,
    /// The top of the next thing on the current page.
    y: f32,
}

impl Flow {
    pub(crate) fn new() -> Flow {
        Flow {
            pages: vec![Vec::new()],
            y: MARGIN_TOP,
        }
    }

    pub(crate) fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN_TOP;
    }

    pub(crate) fn room(&self) -> f32 {
        TEXT_BOTTOM - self.y
    }

    pub(crate) fn at_top(&self) -> bool {
        self.y <= MARGIN_TOP + EPS
    }

    /// Moves to the next line of the grid (after a table, say).
    fn snap_to_grid(&mut self) {
        let lines = ((self.y - MARGIN_TOP) / LINE_PITCH - EPS).ceil().max(0.0);
        self.y = MARGIN_TOP + lines * LINE_PITCH;
        if self.room() < LINE_PITCH - EPS {
            self.new_page();
        }
    }

    /// The top of a new grid line, on a new page when this one is full.
    pub(crate) fn take_line(&mut self) -> f32 {
        if self.room() < LINE_PITCH - EPS {
            self.new_page();
        }
        let top = self.y;
        self.y += LINE_PITCH;
        top
    }

    /// The top of the next thing on the current page.
    pub(crate) fn y(&self) -> f32 {
        self.y
    }

    /// Puts items on the current page and moves `height` down.
    pub(crate) fn place(&mut self, items: Vec<Item>, height: f32) {
        self.push(items);
        self.y += height;
    }

    fn push(&mut self, items: Vec<Item>) {
        self.pages
            .last_mut()
            .expect("there is always a page")
            .extend(items);
    }
}

/// The baseline of text of a size centred on a grid line.
fn grid_baseline(top: f32, size: f32) -> f32 {
    top + LINE_PITCH / 2.0 + CJK_CENTRE * size
}

fn lay_out(report: &Report, options: &Options, set: &mut FontSet) -> Vec<Vec<Item>> {
    let mut flow = Flow::new();
    title(report, set, &mut flow);
    // A blank line between the title and the text.
    flow.take_line();
    let parts = layout::parts(report, options);
    for part in &parts {
        // A heading stays with what follows it.
        let next = if let Some(first) = part.paragraphs.first() {
            let shaped = paragraph_shaped(set, first);
            shaped
                .break_lines(TEXT_W - 2.0 * CHAR_PITCH, TEXT_W)
                .len()
                .min(1) as f32
                * LINE_PITCH
        } else if let Some(table) = &part.table {
            TableLayout::new(report, table, set).first_block_height()
        } else {
            0.0
        };
        if flow.room() < LINE_PITCH + next - EPS && !flow.at_top() {
            flow.new_page();
        }
        let heading = Shaped::new(
            set,
            &[(FontRole::Heading, &part.section.heading())],
            BODY_SIZE,
        );
        paragraph(&heading, &mut flow, Align::Justify, 2.0 * CHAR_PITCH);
        for p in &part.paragraphs {
            let shaped = paragraph_shaped(set, p);
            paragraph(&shaped, &mut flow, Align::Justify, 2.0 * CHAR_PITCH);
        }
        if let Some(table) = &part.table {
            let t = TableLayout::new(report, table, set);
            t.draw(&mut flow);
            flow.snap_to_grid();
        }
    }
    number_pages(flow, set)
}

/// The pages of a flow with their numbers.
pub(crate) fn number_pages(mut flow: Flow, set: &mut FontSet) -> Vec<Vec<Item>> {
    for (i, page) in flow.pages.iter_mut().enumerate() {
        page.extend(page_number(set, i + 1));
    }
    flow.pages
}

/// The title, centred, one grid line per line, broken where the Word writer
/// breaks it.
fn title(report: &Report, set: &mut FontSet, flow: &mut Flow) {
    let text = layout::title(report);
    let shaped = Shaped::new(set, &[(FontRole::Title, &text)], TITLE_SIZE);
    let lines = title_lines(report, &shaped);
    let last = lines.len().saturating_sub(1);
    for (i, range) in lines.into_iter().enumerate() {
        let top = flow.take_line();
        let items = shaped.place_line(
            range,
            MARGIN_LEFT,
            grid_baseline(top, TITLE_SIZE),
            TEXT_W,
            Align::Centre,
            i == last,
        );
        flow.push(items);
    }
}

/// The lines of the title: one when it fits; else broken after the agency
/// and year when the rest (政府信息公开工作年度报告) is no longer, or before
/// 工作年度报告; else wherever the characters allow.
fn title_lines(report: &Report, shaped: &Shaped) -> Vec<Range<usize>> {
    let n = shaped.glyphs.len();
    if shaped.line_width(0..n) <= TEXT_W + EPS {
        return std::iter::once(0..n).collect();
    }
    let at = |tail: &str| -> Option<usize> {
        let byte = shaped.text.len().checked_sub(tail.len())?;
        if !shaped.text.ends_with(tail) {
            return None;
        }
        shaped.glyphs.iter().position(|g| g.range.start >= byte)
    };
    let suffix = report.template().title_suffix;
    if let Some(k) = at(suffix) {
        let (head, tail) = (shaped.line_width(0..k), shaped.line_width(k..n));
        if k > 0 && head >= tail && head <= TEXT_W + EPS {
            return vec![0..k, k..n];
        }
    }
    if let Some(k) = at("工作年度报告") {
        let (head, tail) = (shaped.line_width(0..k), shaped.line_width(k..n));
        if k > 0 && head >= tail && head <= TEXT_W + EPS {
            return vec![0..k, k..n];
        }
    }
    shaped.break_lines(TEXT_W, TEXT_W)
}

/// A paragraph of a section's text, opening in 楷体 where the Word writer
/// sets it so: a second-level heading (（一）…) standing alone, or the first
/// sentence of a paragraph opening with one.
fn paragraph_shaped(set: &mut FontSet, text: &str) -> Shaped {
    let parts: Vec<(FontRole, &str)> = match crate::docx::second_level_number(text) {
        None => vec![(FontRole::Body, text)],
        Some(number_len) => match text.find('。') {
            None if text.chars().count() <= 40 => vec![(FontRole::Kai, text)],
            Some(stop) if text[..stop].chars().count() <= 40 && stop > number_len => {
                let end = stop + '。'.len_utf8();
                vec![
                    (FontRole::Kai, &text[..end]),
                    (FontRole::Body, &text[end..]),
                ]
            }
            _ => vec![(FontRole::Body, text)],
        },
    };
    Shaped::new(set, &parts, BODY_SIZE)
}

/// Sets a paragraph on the grid, its first line indented.
fn paragraph(shaped: &Shaped, flow: &mut Flow, align: Align, indent: f32) {
    paragraph_lines(shaped, flow, align, indent, 0.0);
}

/// The lines of a paragraph whose first line is indented `indent` and
/// whose every line stops `right` short of the right edge of the text.
pub(crate) fn lines_of(shaped: &Shaped, indent: f32, right: f32) -> Vec<Range<usize>> {
    shaped.break_lines(TEXT_W - indent - right, TEXT_W - right)
}

/// Sets a paragraph on the grid, its first line indented `indent`, every
/// line ending `right` short of the right edge of the text.
pub(crate) fn paragraph_lines(
    shaped: &Shaped,
    flow: &mut Flow,
    align: Align,
    indent: f32,
    right: f32,
) {
    let lines = lines_of(shaped, indent, right);
    let last = lines.len().saturating_sub(1);
    for (i, range) in lines.into_iter().enumerate() {
        let top = flow.take_line();
        let ind = if i == 0 { indent } else { 0.0 };
        let items = shaped.place_line(
            range,
            MARGIN_LEFT + ind,
            grid_baseline(top, shaped.size),
            TEXT_W - ind - right,
            align,
            i == last,
        );
        flow.push(items);
    }
}

/// Sets a title centred on the grid, one grid line per line; a title of
/// several lines is broken into lines of about equal length.
pub(crate) fn balanced_lines(shaped: &Shaped, flow: &mut Flow) {
    let mut lines = shaped.break_lines(TEXT_W, TEXT_W);
    let n = lines.len();
    if n > 1 {
        let total = shaped.line_width(0..shaped.glyphs.len());
        let mut w = (total / n as f32).min(TEXT_W);
        loop {
            let tried = shaped.break_lines(w, w);
            if tried.len() <= n || w >= TEXT_W {
                lines = tried;
                break;
            }
            w = (w + shaped.size / 2.0).min(TEXT_W);
        }
    }
    let last = lines.len().saturating_sub(1);
    for (i, range) in lines.into_iter().enumerate() {
        let top = flow.take_line();
        let items = shaped.place_line(
            range,
            MARGIN_LEFT,
            grid_baseline(top, shaped.size),
            TEXT_W,
            Align::Centre,
            i == last,
        );
        flow.push(items);
    }
}

/// "— 1 —", 7 mm below the text area, on the right of odd pages and the
/// left of even pages, one character in from the edge of the text.
fn page_number(set: &mut FontSet, number: usize) -> Vec<Item> {
    let text = format!("— {number} —");
    let shaped = Shaped::new(set, &[(FontRole::Song, &text)], PAGE_NUMBER_SIZE);
    // Page numbers are set at their natural width.
    let width = shaped.natural_width();
    let baseline = TEXT_BOTTOM + 7.0 * MM + CJK_ASCENT * PAGE_NUMBER_SIZE;
    let x = if number % 2 == 1 {
        PAGE_W - MARGIN_RIGHT - PAGE_NUMBER_SIZE - width
    } else {
        MARGIN_LEFT + PAGE_NUMBER_SIZE
    };
    shaped
        .place_natural(x, baseline, BLACK, None)
        .into_iter()
        .map(Item::Run)
        .collect()
}

impl Shaped {
    /// The width of the whole text set at the glyphs' own advances (no
    /// closer setting, unlike the lines of the body).
    pub(crate) fn natural_width(&self) -> f32 {
        self.glyphs.iter().map(|g| g.advance * self.size).sum()
    }

    /// The whole text as runs at the glyphs' own advances, from `x` on the
    /// baseline, in a colour, turned `turn` (degrees clockwise about a
    /// point) if given.
    pub(crate) fn place_natural(
        &self,
        x: f32,
        baseline: f32,
        colour: Colour,
        turn: Option<(f32, f32, f32)>,
    ) -> Vec<Run> {
        let n = self.glyphs.len();
        let mut cursor = x;
        let mut runs = Vec::new();
        let mut i = 0;
        while i < n {
            let face = self.glyphs[i].face;
            let start = i;
            while i < n && self.glyphs[i].face == face {
                i += 1;
            }
            let bytes = self.glyphs[start].range.start..self.glyphs[i - 1].range.end;
            let x0 = cursor;
            let glyphs = (start..i)
                .map(|k| {
                    let g = &self.glyphs[k];
                    let advance = g.advance * self.size;
                    cursor += advance;
                    (
                        g.gid,
                        advance,
                        g.range.start - bytes.start..g.range.end - bytes.start,
                    )
                })
                .collect();
            runs.push(Run {
                face,
                size: self.size,
                x: x0,
                baseline,
                text: self.text[bytes].to_string(),
                glyphs,
                colour,
                turn,
            });
        }
        runs
    }
}

// ---------------------------------------------------------------------------
// Tables.

/// A drawn cell with its text shaped and broken into lines.
struct CellText {
    shaped: Shaped,
    lines: Vec<Range<usize>>,
    align: Align,
}

/// A table measured for drawing: column positions, the slots of the grid,
/// their text, and the height of every row.
struct TableLayout {
    /// Left edges of the columns and the right edge of the last, from the
    /// left margin.
    xs: Vec<f32>,
    grid: Vec<Vec<Option<Slot>>>,
    origins: Vec<Vec<Option<(usize, usize)>>>,
    texts: HashMap<(usize, usize), CellText>,
    heights: Vec<f32>,
    /// How many rows on top are header rows, repeated on each page.
    head: usize,
    /// Whether row r is kept on the page of row r + 1.
    keep_next: Vec<bool>,
}

impl TableLayout {
    fn new(report: &Report, table: &Drawn, set: &mut FontSet) -> TableLayout {
        let widths: Vec<f32> = crate::docx::column_widths(table)
            .iter()
            .map(|&w| w as f32 / 20.0)
            .collect();
        let mut xs = vec![0.0];
        for w in &widths {
            xs.push(xs.last().copied().unwrap_or(0.0) + w);
        }
        let size = crate::docx::table_size(table.key) as f32 / 2.0;
        let grid = table.expand();
        let origins = table.origins();
        let n = table.rows.len();
        let line_h = size * TABLE_LEADING;
        let mut texts = HashMap::new();
        let mut heights: Vec<f32> = table
            .rows
            .iter()
            .map(|r| {
                if r.kind == RowKind::Body {
                    ROW_MIN_BODY
                } else {
                    ROW_MIN_HEAD
                }
            })
            .collect();
        // Needed heights of the spanning slots, met once the single rows are known.
        let mut spans: Vec<(usize, usize, f32)> = Vec::new();
        for (r, line) in grid.iter().enumerate() {
            for (c, slot) in line.iter().enumerate() {
                let Some(slot) = slot else { continue };
                let cols = slot.cols.clamp(1, table.width - c);
                let width = xs[c + cols] - xs[c] - 2.0 * CELL_PAD_X;
                let (text, align) = match slot.content {
                    Content::Label(label) => {
                        // Row labels of table 3 read left to right; group and
                        // column labels are centred.
                        let left = table.key == TableKey::T3
                            && table.rows[r].kind == RowKind::Body
                            && slot.rows == 1;
                        (
                            label.to_string(),
                            if left { Align::Left } else { Align::Centre },
                        )
                    }
                    Content::Note(note) => (note.to_string(), Align::Left),
                    Content::Value(i) => (layout::value_text(report, i), Align::Centre),
                    Content::Empty => (String::new(), Align::Centre),
                };
                let shaped = Shaped::new(set, &[(FontRole::Body, &text)], size);
                let lines = shaped.break_lines(width, width);
                let needed = lines.len() as f32 * line_h + 2.0 * CELL_PAD_Y;
                let rows = slot.rows.clamp(1, n - r);
                if rows == 1 {
                    heights[r] = heights[r].max(needed);
                } else {
                    spans.push((r, rows, needed));
                }
                texts.insert(
                    (r, c),
                    CellText {
                        shaped,
                        lines,
                        align,
                    },
                );
            }
        }
        spans.sort_by_key(|s| s.1);
        for (r, rows, needed) in spans {
            let have: f32 = heights[r..r + rows].iter().sum();
            if have < needed {
                let more = (needed - have) / rows as f32;
                for h in &mut heights[r..r + rows] {
                    *h += more;
                }
            }
        }
        let head = table
            .rows
            .iter()
            .take_while(|r| r.kind == RowKind::Head)
            .count();
        let keep_next = (0..n)
            .map(|r| {
                r + 1 < n
                    && (table.rows[r].kind != RowKind::Body
                        || (table.key == TableKey::T2 && table.rows[r + 1].kind != RowKind::Clause)
                        || (0..table.width).any(|c| {
                            origins[r][c].is_some_and(|(r0, c0)| {
                                origins[r + 1][c] == Some((r0, c0))
                                    && grid[r0][c0]
                                        .is_some_and(|s| s.rows <= crate::docx::KEPT_GROUP_ROWS)
                            })
                        }))
            })
            .collect();
        TableLayout {
            xs,
            grid,
            origins,
            texts,
            heights,
            head,
            keep_next,
        }
    }

    /// Rows kept together: runs of rows each kept with the next.
    fn blocks(&self) -> Vec<Range<usize>> {
        let mut blocks = Vec::new();
        let mut start = 0;
        for r in 0..self.heights.len() {
            if !self.keep_next[r] {
                blocks.push(start..r + 1);
                start = r + 1;
            }
        }
        if start < self.heights.len() {
            blocks.push(start..self.heights.len());
        }
        blocks
    }

    fn height(&self, rows: Range<usize>) -> f32 {
        self.heights[rows].iter().sum()
    }

    fn first_block_height(&self) -> f32 {
        self.blocks()
            .first()
            .map_or(0.0, |b| self.height(b.clone()).min(TEXT_H))
    }

    /// Places the rows on pages, returning for every page the rows on it (a
    /// run of consecutive rows) and the top of the first.
    fn paginate(&self, flow: &mut Flow) -> Vec<(usize, Range<usize>, f32)> {
        let head_h = self.height(0..self.head);
        let mut pages: Vec<(usize, Range<usize>, f32)> = Vec::new();
        let mut page = flow.pages.len() - 1;
        let mut top = flow.y;
        let mut start = 0;
        let mut y = flow.y;
        let new_page = |flow: &mut Flow,
                        pages: &mut Vec<_>,
                        page: &mut usize,
                        start: &mut usize,
                        r: usize,
                        top: f32,
                        y: &mut f32| {
            if *start < r {
                pages.push((*page, *start..r, top));
            }
            flow.new_page();
            *page = flow.pages.len() - 1;
            *start = r;
            *y = flow.y + if r >= self.head { head_h } else { 0.0 };
        };
        for block in self.blocks() {
            let h = self.height(block.clone());
            let fresh = TEXT_H
                - if block.start >= self.head {
                    head_h
                } else {
                    0.0
                };
            if y + h > TEXT_BOTTOM + EPS
                && (start < block.start || y > MARGIN_TOP + EPS)
                && h <= fresh + EPS
            {
                new_page(
                    flow,
                    &mut pages,
                    &mut page,
                    &mut start,
                    block.start,
                    top,
                    &mut y,
                );
                top = flow.y;
            }
            for r in block {
                if y + self.heights[r] > TEXT_BOTTOM + EPS && (start < r || y > MARGIN_TOP + EPS) {
                    new_page(flow, &mut pages, &mut page, &mut start, r, top, &mut y);
                    top = flow.y;
                }
                y += self.heights[r];
            }
        }
        if start < self.heights.len() {
            pages.push((page, start..self.heights.len(), top));
        }
        flow.y = y;
        pages
    }

    fn draw(&self, flow: &mut Flow) {
        // Lines of a slot's text already drawn on earlier pages, for slots
        // broken across pages.
        let mut done: HashMap<(usize, usize), usize> = HashMap::new();
        for (page, rows, top) in self.paginate(flow) {
            let mut items = Vec::new();
            let mut y = top;
            // On a page the table continues on, its header rows come first.
            let mut shown: Vec<usize> = Vec::new();
            if rows.start >= self.head && rows.start > 0 {
                shown.extend(0..self.head);
            }
            shown.extend(rows.clone());
            let mut tops = HashMap::new();
            for &r in &shown {
                tops.insert(r, y);
                y += self.heights[r];
            }
            for &r in &shown {
                for c in 0..self.xs.len() - 1 {
                    let Some((r0, c0)) = self.origins[r][c] else {
                        continue;
                    };
                    if c0 != c {
                        continue;
                    }
                    // A slot is drawn from its first row on this page.
                    let first_here = r0 == r || !shown.contains(&(r - 1));
                    if !first_here {
                        continue;
                    }
                    let slot = self.grid[r0][c0].unwrap_or(Slot {
                        content: Content::Empty,
                        rows: 1,
                        cols: 1,
                    });
                    let cols = slot.cols.clamp(1, self.xs.len() - 1 - c);
                    let mut h = 0.0;
                    let mut k = r;
                    while k < r0 + slot.rows && shown.contains(&k) {
                        h += self.heights[k];
                        k += 1;
                    }
                    let x = MARGIN_LEFT + self.xs[c];
                    let w = self.xs[c + cols] - self.xs[c];
                    let y0 = tops[&r];
                    items.push(Item::Rect { x, y: y0, w, h });
                    let Some(cell) = self.texts.get(&(r0, c0)) else {
                        continue;
                    };
                    if r0 == r && k == r0 + slot.rows {
                        // The whole slot on this page (header rows each time).
                        items.extend(cell_text(cell, 0..cell.lines.len(), x, y0, w, h));
                        continue;
                    }
                    // A slot broken across pages: its text flows through its
                    // parts, as word processors do. The lines that fit go on
                    // this page, from the top; when the rest fits, centred.
                    let from = done.get(&(r0, c0)).copied().unwrap_or(0);
                    let rest = cell.lines.len() - from.min(cell.lines.len());
                    let line_h = cell.shaped.size * TABLE_LEADING;
                    let fits = ((h - 2.0 * CELL_PAD_Y + EPS) / line_h).floor().max(0.0) as usize;
                    let last_part = k == r0 + slot.rows;
                    let n = if last_part { rest } else { rest.min(fits) };
                    if n == 0 {
                        continue;
                    }
                    let part = cell_text(cell, from..from + n, x, y0, w, h);
                    items.extend(part);
                    done.insert((r0, c0), from + n);
                }
            }
            flow.pages[page].extend(items);
        }
    }
}

/// Lines `which` of a cell's text, centred vertically in the cell (from its
/// top when they fill it).
fn cell_text(cell: &CellText, which: Range<usize>, x: f32, y: f32, w: f32, h: f32) -> Vec<Item> {
    let size = cell.shaped.size;
    let line_h = size * TABLE_LEADING;
    let total = which.len() as f32 * line_h;
    let mut top = y + ((h - total) / 2.0).max(CELL_PAD_Y.min(h / 2.0));
    let inner = w - 2.0 * CELL_PAD_X;
    let mut items = Vec::new();
    let last = cell.lines.len().saturating_sub(1);
    for (i, range) in cell.lines.iter().enumerate() {
        if !which.contains(&i) {
            continue;
        }
        let baseline = top + line_h / 2.0 + CJK_CENTRE * size;
        items.extend(cell.shaped.place_line(
            range.clone(),
            x + CELL_PAD_X,
            baseline,
            inner,
            cell.align,
            i == last,
        ));
        top += line_h;
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::full_report;
    use gongkai_template::Edition;

    #[test]
    fn geometry_follows_the_standard() {
        assert!((TEXT_W - 156.0 * MM).abs() < 0.01);
        assert!((TEXT_H - 225.0 * MM).abs() < 0.01);
        assert!((LINE_PITCH - 28.99).abs() < 0.01, "{LINE_PITCH}");
        assert!((28.0 * CHAR_PITCH - TEXT_W).abs() < 0.01);
        const { assert!(CHAR_SPACING < 0.0 && CHAR_SPACING > -0.3) };
    }

    #[test]
    fn file_names_name_roles() {
        use FontRole::*;
        for (name, role) in [
            ("方正小标宋简体.ttf", Title),
            ("FZXBSJW.TTF", Title),
            ("仿宋_GB2312.ttf", Body),
            ("simfang.ttf", Body),
            ("SIMHEI.TTF", Heading),
            ("楷体_GB2312.ttf", Kai),
            ("simkai.ttf", Kai),
            ("simsun.ttc", Song),
        ] {
            assert_eq!(
                FontRole::of_file_name(name).map(|r| r.0),
                Some(role),
                "{name}"
            );
        }
        assert_eq!(FontRole::of_file_name("simfang.txt"), None);
        assert_eq!(FontRole::of_file_name("arial.ttf"), None);
        assert!(
            FontRole::of_file_name("仿宋_GB2312.ttf").unwrap().1
                < FontRole::of_file_name("仿宋.ttf").unwrap().1
        );
    }

    #[test]
    fn lines_keep_closing_marks_off_their_starts() {
        let mut set = FontSet::new(&PdfFonts::embedded());
        // 27 characters and a full stop, then more: the full stop would start
        // the second line of a 27-character measure.
        let text = format!("{}。之后", "字".repeat(27));
        let shaped = Shaped::new(&mut set, &[(FontRole::Body, &text)], BODY_SIZE);
        let lines = shaped.break_lines(27.0 * CHAR_PITCH, TEXT_W);
        assert_eq!(lines.len(), 2);
        let second = shaped.glyphs[lines[1].start].c;
        assert!(!NO_LINE_START.contains(second), "{second}");
        // No line ends with an opening mark.
        let text = format!("{}（括号）", "字".repeat(27));
        let shaped = Shaped::new(&mut set, &[(FontRole::Body, &text)], BODY_SIZE);
        let lines = shaped.break_lines(TEXT_W, TEXT_W);
        let end = shaped.glyphs[lines[0].end - 1].c;
        assert_ne!(end, '（');
        // Figures stay together.
        let text = format!("{}12345", "字".repeat(26));
        let shaped = Shaped::new(&mut set, &[(FontRole::Body, &text)], BODY_SIZE);
        let lines = shaped.break_lines(TEXT_W, TEXT_W);
        assert_eq!(lines[0].end, 26);
    }

    #[test]
    fn twenty_eight_characters_fill_a_line() {
        let mut set = FontSet::new(&PdfFonts::embedded());
        let text = "政".repeat(56);
        let shaped = Shaped::new(&mut set, &[(FontRole::Body, &text)], BODY_SIZE);
        let lines = shaped.break_lines(TEXT_W, TEXT_W);
        assert_eq!(lines, vec![0..28, 28..56]);
    }

    /// Wherever the page breaks table 3, every line of text is drawn inside
    /// a cell on its page, and every character of every cell is drawn.
    #[test]
    fn text_of_cells_broken_across_pages_stays_in_its_cells() {
        let mut set = FontSet::new(&PdfFonts::embedded());
        let report = full_report(Edition::V2021);
        let table = layout::draw_present(&report, TableKey::T3);
        let t = TableLayout::new(&report, &table, &mut set);
        let chars: usize = t
            .texts
            .values()
            .map(|c| c.lines.iter().map(ExactSizeIterator::len).sum::<usize>())
            .sum();
        let head_chars: usize = (0..t.head)
            .flat_map(|r| (0..t.xs.len() - 1).map(move |c| (r, c)))
            .filter_map(|k| t.texts.get(&k))
            .map(|c| c.lines.iter().map(ExactSizeIterator::len).sum::<usize>())
            .sum();
        let mut start = MARGIN_TOP;
        while start < TEXT_BOTTOM - LINE_PITCH {
            let mut flow = Flow::new();
            flow.y = start;
            t.draw(&mut flow);
            let mut drawn = 0;
            for page in &flow.pages {
                let rects: Vec<(f32, f32, f32, f32)> = page
                    .iter()
                    .filter_map(|it| match it {
                        Item::Rect { x, y, w, h } => Some((*x, *y, *w, *h)),
                        _ => None,
                    })
                    .collect();
                for it in page {
                    let Item::Run(run) = it else { continue };
                    drawn += run.glyphs.len();
                    let w: f32 = run.glyphs.iter().map(|g| g.1).sum();
                    let (top, bottom) = (
                        run.baseline - CJK_ASCENT * run.size,
                        run.baseline + (1.0 - CJK_ASCENT) * run.size,
                    );
                    let inside = rects.iter().any(|&(x, y, rw, rh)| {
                        run.x >= x - EPS
                            && run.x + w <= x + rw + 0.5
                            && top >= y - EPS
                            && bottom <= y + rh + EPS
                    });
                    assert!(inside, "from {start}: “{}” outside its cell", run.text);
                }
            }
            let used = flow
                .pages
                .iter()
                .filter(|p| p.iter().any(|it| matches!(it, Item::Run(_))))
                .count();
            let repeated = (used - 1) * head_chars;
            assert_eq!(drawn, chars + repeated, "from {start}");
            start += LINE_PITCH;
        }
    }

    #[test]
    fn the_built_in_fonts_have_every_label() {
        let mut set = FontSet::new(&PdfFonts::embedded());
        for e in Edition::ALL {
            let t = gongkai_template::Template::get(e);
            for key in TableKey::ALL {
                for row in layout::draw(t, key).rows {
                    for slot in row.slots {
                        if let Content::Label(s) | Content::Note(s) = slot.content {
                            for role in FontRole::ALL {
                                set.shape(role, s);
                            }
                        }
                    }
                }
            }
            for s in &t.sections {
                set.shape(FontRole::Heading, &s.heading());
            }
        }
        assert!(set.missing.is_empty(), "{:?}", set.missing);
        let _ = full_report(Edition::V2021);
    }
}
