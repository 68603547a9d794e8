//! Bar charts drawn on the server: as SVG for web pages and into PDF, with
//! no script, no chart library and nothing fetched.
//!
//! A [`Chart`] is described with a builder:
//!
//! ```
//! use gongkai_write::chart::Chart;
//! let chart = Chart::new(
//!     "各机关收到申请数",
//!     vec!["示例县人民政府办公室".into(), "示例县公安局".into()],
//! )
//! .unit("件")
//! .series("当面申请", vec![12.0, 3.0])
//! .series("网络申请", vec![40.0, 17.0])
//! .horizontal()
//! .stacked()
//! .value_labels();
//! let svg = chart.to_svg();
//! assert!(svg.starts_with("<svg"));
//! ```
//!
//! [`Chart::layout`] lays it out once as a [`Scene`]: filled rectangles,
//! lines and text in points (y downwards), knowing nothing of the device.
//! [`Scene::to_svg`] writes a scene as a standalone `<svg>`; [`chart_pdf`]
//! draws the scenes of several charts on A4 pages with the PDF writer's
//! fonts ([`crate::pdf`]), continuing a long chart on the next page.
//!
//! **Values.** A finite value of 0 or more is drawn. NaN, and a category
//! past the end of a series' values, is *absent*: no bar, and "—" as its
//! value label (absent is not zero). A negative or infinite value is drawn
//! as 0 — never as a bar the other way — and the chart says so in a note
//! under it ("注：有 2 个数值为负数或无穷大，按 0 绘制"); its value label,
//! when labels are shown, gives the value as it was given ("-5"). Values
//! past the last category are ignored.
//!
//! **Scale.** The value axis starts at 0 (the baseline is drawn) and ends
//! at a multiple of its tick step, which is 1, 2 or 5 times a power of ten;
//! counts (all values whole numbers, neither [`Chart::percent`] nor
//! [`Chart::shares`]) are never given fractional steps. Every part of a
//! chart split across pages has the same scale.
//!
//! **Nothing to draw.** No categories, no series, or every value absent: the
//! title and "无数据". Every value 0: the categories over an axis from 0 to
//! 5 (0 to 100% for percentages) with the note "各项数值均为 0" — the
//! categories are shown, since a zero is a figure too. No division by zero
//! and no NaN reach the output.
//!
//! **Text.** Text is measured by estimate (full-width characters 1 em,
//! figures and Latin letters by class, on the wide side), so that the SVG
//! and the PDF are laid out alike whatever font the browser has. Category
//! names longer than the label column are shortened with "…"; the whole
//! name is kept in the SVG (`<title>`, shown as a tooltip) and in the
//! bars' tooltips. Every text is XML-escaped in the SVG.
//!
//! **Colours.** The series take the Okabe–Ito palette ([`PALETTE`]), which
//! readers with the common forms of colour blindness tell apart; past eight
//! series the colours repeat. Value labels inside a bar are white on the
//! dark colours and near-black on the light ones.

use crate::pdf::{self, Align, Flow, FontRole, FontSet, Item, PdfFonts, PdfOutput, Shaped};
use std::fmt::Write as _;
use std::ops::Range;

// ---------------------------------------------------------------------------
// The scene.

/// A colour as red, green and blue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Whether dark text reads better on this colour than white.
    fn is_light(self) -> bool {
        let l = 0.2126 * self.0 as f32 + 0.7152 * self.1 as f32 + 0.0722 * self.2 as f32;
        l >= 140.0
    }
}

/// The colours of the series, in order: the Okabe–Ito palette (blue,
/// orange, bluish green, vermilion, sky blue, reddish purple, yellow, grey).
pub const PALETTE: [Rgb; 8] = [
    Rgb(0x00, 0x72, 0xb2),
    Rgb(0xe6, 0x9f, 0x00),
    Rgb(0x00, 0x9e, 0x73),
    Rgb(0xd5, 0x5e, 0x00),
    Rgb(0x56, 0xb4, 0xe9),
    Rgb(0xcc, 0x79, 0xa7),
    Rgb(0xf0, 0xe4, 0x42),
    Rgb(0x99, 0x99, 0x99),
];

/// Text: titles, labels.
const INK: Rgb = Rgb(0x22, 0x22, 0x22);
/// Tick labels, notes.
const MUTED: Rgb = Rgb(0x55, 0x55, 0x55);
/// Grid lines.
const GRID: Rgb = Rgb(0xdd, 0xdd, 0xdd);
/// The zero baseline.
const AXIS: Rgb = Rgb(0x44, 0x44, 0x44);

/// How a text stands on its point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The text starts at the point.
    Start,
    /// The text is centred on the point.
    Middle,
    /// The text ends at the point.
    End,
}

/// What a rectangle is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mark {
    /// A bar (or a segment of a stack): its series and category (indices
    /// into the chart's), and the quantity its length shows along the axis
    /// (the value, or its share in percent for [`Chart::shares`]).
    Bar {
        series: usize,
        category: usize,
        value: f64,
    },
    /// The colour swatch of a series in the legend.
    Swatch { series: usize },
}

/// A text on a baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// The anchor point: x, and y of the baseline.
    pub x: f32,
    pub y: f32,
    pub text: String,
    /// Font size in points.
    pub size: f32,
    pub anchor: Anchor,
    /// Rotation about the anchor point, in degrees clockwise (as SVG's
    /// `rotate`); 0 for level text.
    pub angle: f32,
    pub colour: Rgb,
    /// The whole text when `text` was shortened to fit.
    pub full: Option<String>,
}

/// A thing drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum Prim {
    /// A filled rectangle without outline, with a tooltip.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Rgb,
        mark: Mark,
        tip: String,
    },
    /// A straight line.
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        colour: Rgb,
    },
    Text(Text),
}

/// A chart laid out: what to draw, in points, y downwards from the top
/// left corner, in drawing order.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    pub width: f32,
    pub height: f32,
    /// The chart's title (the SVG's accessible name).
    pub title: String,
    pub prims: Vec<Prim>,
}

// ---------------------------------------------------------------------------
// The chart.

/// The width charts are laid out at by default: the text width of the PDF
/// page (156 mm), so that the PDF draws them at their size.
pub const DEFAULT_WIDTH: f32 = pdf::TEXT_W;

/// A bar chart of one or more series over named categories.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    title: String,
    categories: Vec<String>,
    unit: String,
    series: Vec<(String, Vec<f64>)>,
    horizontal: bool,
    stacked: bool,
    shares: bool,
    percent: bool,
    value_labels: bool,
}

impl Chart {
    /// A chart titled `title` over `categories` (agencies, years …), with
    /// vertical bars side by side until told otherwise.
    pub fn new(title: &str, categories: Vec<String>) -> Chart {
        Chart {
            title: title.to_string(),
            categories,
            unit: String::new(),
            series: Vec::new(),
            horizontal: false,
            stacked: false,
            shares: false,
            percent: false,
            value_labels: false,
        }
    }

    /// The unit of the values ("件"), shown as "单位：件" and in tooltips.
    pub fn unit(mut self, unit: &str) -> Chart {
        self.unit = unit.to_string();
        self
    }

    /// Adds a series: its name (in the legend, shown when there is more
    /// than one series) and a value per category, in the categories' order.
    pub fn series(mut self, name: &str, values: Vec<f64>) -> Chart {
        self.series.push((name.to_string(), values));
        self
    }

    /// Bars run left to right, categories one under the other: the choice
    /// for many categories and for long names (agencies).
    pub fn horizontal(mut self) -> Chart {
        self.horizontal = true;
        self
    }

    /// The series are stacked in one bar per category.
    pub fn stacked(mut self) -> Chart {
        self.stacked = true;
        self
    }

    /// Each category's stack is scaled to 100% (each segment its share of
    /// the category's total). Implies [`Chart::stacked`].
    pub fn shares(mut self) -> Chart {
        self.stacked = true;
        self.shares = true;
        self
    }

    /// The values are percentages: the axis and labels are written with
    /// "%", and the unit is "%".
    pub fn percent(mut self) -> Chart {
        self.percent = true;
        self
    }

    /// Each bar's value is written at its end (a stack's segments inside
    /// them where they fit, and its total at its end).
    pub fn value_labels(mut self) -> Chart {
        self.value_labels = true;
        self
    }

    /// The chart's title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Lays the chart out at [`DEFAULT_WIDTH`].
    pub fn layout(&self) -> Scene {
        self.layout_width(DEFAULT_WIDTH)
    }

    /// Lays the chart out `width` points wide (at least 200). A vertical
    /// chart with more categories than fit side by side is made wider.
    pub fn layout_width(&self, width: f32) -> Scene {
        let width = if width.is_finite() {
            width.max(MIN_WIDTH)
        } else {
            DEFAULT_WIDTH
        };
        let plan = Plan::new(self, width);
        if plan.empty {
            return self.empty_scene(width);
        }
        if self.horizontal {
            self.horizontal_part(&plan, 0..plan.n, width, true)
        } else {
            let per = plan.per_column(self, width);
            let width = if plan.n > per {
                width + (plan.n - per) as f32 * plan.min_band(self)
            } else {
                width
            };
            self.vertical_part(&plan, 0..plan.n, width, true)
        }
    }

    /// The chart as a standalone SVG document (see [`Scene::to_svg`]).
    pub fn to_svg(&self) -> String {
        self.layout().to_svg()
    }

    fn stacks(&self) -> bool {
        self.stacked && self.series.len() > 1
    }

    fn unit_shown(&self) -> Option<String> {
        if self.percent || self.shares {
            Some("单位：%".to_string())
        } else if self.unit.trim().is_empty() {
            None
        } else {
            Some(format!("单位：{}", self.unit.trim()))
        }
    }

    /// The unit written after a value in tooltips.
    fn unit_suffix(&self) -> &str {
        if self.percent {
            "%"
        } else {
            self.unit.trim()
        }
    }
}

// ---------------------------------------------------------------------------
// Measures.

const MIN_WIDTH: f32 = 200.0;
const PAD: f32 = 6.0;
const TITLE_SIZE: f32 = 12.0;
const LABEL_SIZE: f32 = 9.0;
const TICK_SIZE: f32 = 8.0;
const VALUE_SIZE: f32 = 8.0;
const NOTE_SIZE: f32 = 8.0;
/// The ascent of text above its baseline, and where the middle of a
/// Chinese character lies above it, in ems.
const ASCENT: f32 = 0.88;
const CENTRE: f32 = 0.38;
const SWATCH: f32 = 8.0;
const LEGEND_ROW: f32 = 14.0;
/// Space between a category label and the plot.
const LABEL_GAP: f32 = 5.0;
/// The height of the plot of a vertical chart.
const COLUMN_PLOT_H: f32 = 180.0;
/// The longest rotated category label of a vertical chart.
const ROTATED_MAX: f32 = 80.0;
/// Horizontal charts with more categories than this repeat the tick
/// labels above the plot.
const LONG: usize = 25;
/// Horizontal charts split across pages put at least this many categories
/// (or all that are left) on a page before breaking.
const MIN_ROWS: usize = 5;

/// The width of a character, in ems, estimated on the wide side for the
/// usual CJK fonts (full-width characters 1 em).
fn char_em(c: char) -> f32 {
    match c {
        ' ' => 0.3,
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'I' => 0.32,
        'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '/' => 0.42,
        'm' | 'w' | 'M' | 'W' | '@' | '%' => 0.92,
        '0'..='9' => 0.58,
        'A'..='Z' => 0.7,
        c if c.is_ascii() => 0.6,
        // Latin with marks, Greek, Cyrillic.
        c if (c as u32) < 0x1100 => 0.72,
        _ => 1.0,
    }
}

/// The estimated width of a text at a size.
fn text_width(s: &str, size: f32) -> f32 {
    s.chars().map(char_em).sum::<f32>() * size
}

/// A text shortened with "…" to fit `max` points, and whether it was.
fn fit_text(s: &str, size: f32, max: f32) -> (String, bool) {
    if text_width(s, size) <= max {
        return (s.to_string(), false);
    }
    let room = max - text_width("…", size);
    let mut out = String::new();
    let mut w = 0.0;
    for c in s.chars() {
        let cw = char_em(c) * size;
        if w + cw > room {
            break;
        }
        w += cw;
        out.push(c);
    }
    let mut out = out.trim_end().to_string();
    out.push('…');
    (out, true)
}

/// A value to at most `decimals` places, trailing zeros dropped.
fn number(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".to_string()
    } else {
        s
    }
}

/// The step and the end of a value axis from 0 to at least `max` (> 0)
/// with about `target` steps: the step is 1, 2 or 5 times a power of ten
/// (at least 1 when `whole`), the end a multiple of it.
fn nice_axis(max: f64, target: usize, whole: bool) -> (f64, f64) {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    let target = target.max(1) as f64;
    let magnitude = 10f64.powf((max / target).log10().floor());
    // Of the steps 1, 2 and 5 times a power of ten near max / target, the
    // one giving the number of steps nearest the target; on a tie, the one
    // ending nearer max.
    let mut best: Option<(f64, f64, f64)> = None;
    for scale in [0.1, 1.0, 10.0] {
        for m in [1.0, 2.0, 5.0] {
            let mut step = m * magnitude * scale;
            if whole && step < 1.0 {
                step = 1.0;
            }
            let steps = (max / step - 1e-9).ceil().max(1.0);
            let score = (steps - target).abs();
            let top = steps * step;
            let better = match best {
                None => true,
                Some((s, t, _)) => score < s - 1e-9 || (score < s + 1e-9 && top < t),
            };
            if better {
                best = Some((score, top, step));
            }
        }
    }
    let (_, top, step) = best.expect("there are candidates");
    (step, top)
}

/// The places to write tick values with.
fn decimals_of(step: f64) -> usize {
    if step >= 1.0 {
        0
    } else {
        (-step.log10() - 1e-9).ceil().clamp(0.0, 12.0) as usize
    }
}

// ---------------------------------------------------------------------------
// Planning: what is drawn and at what scale, for the whole chart.

/// The values to draw and the scale, the same for every part of a chart.
struct Plan {
    n: usize,
    /// The values drawn, by series then category: None when absent.
    vals: Vec<Vec<Option<f64>>>,
    /// Nothing to draw.
    empty: bool,
    /// The end of the value axis and its step.
    top: f64,
    step: f64,
    decimals: usize,
    /// The width of the category labels' column (horizontal charts).
    label_w: f32,
    /// Room right of the plot of a horizontal chart.
    right_room: f32,
    /// The widest tick label.
    tick_w: f32,
    notes: Vec<String>,
}

impl Plan {
    fn new(chart: &Chart, width: f32) -> Plan {
        let n = chart.categories.len();
        let mut bad = 0;
        let vals: Vec<Vec<Option<f64>>> = chart
            .series
            .iter()
            .map(|(_, values)| {
                (0..n)
                    .map(|c| match values.get(c) {
                        None => None,
                        Some(v) if v.is_nan() => None,
                        Some(&v) if v.is_finite() && v >= 0.0 => Some(v),
                        Some(_) => {
                            bad += 1;
                            Some(0.0)
                        }
                    })
                    .collect()
            })
            .collect();
        let empty = n == 0 || vals.iter().flatten().all(Option::is_none);
        let mut plan = Plan {
            n,
            vals,
            empty,
            top: 1.0,
            step: 1.0,
            decimals: 0,
            label_w: 0.0,
            right_room: 0.0,
            tick_w: 0.0,
            notes: Vec::new(),
        };
        if empty {
            return plan;
        }
        let max = (0..n).map(|c| plan.extent(chart, c)).fold(0.0f64, f64::max);
        let whole = !chart.percent
            && !chart.shares
            && plan
                .vals
                .iter()
                .flatten()
                .flatten()
                .all(|v| v.fract() == 0.0);
        if max == 0.0 {
            plan.notes.push("注：各项数值均为 0".to_string());
        }
        if bad > 0 {
            plan.notes
                .push(format!("注：有 {bad} 个数值为负数或无穷大，按 0 绘制"));
        }
        // The widest value label, written right of the bars.
        let value_w = if chart.value_labels && !chart.shares {
            (0..n)
                .flat_map(|c| {
                    let texts: Vec<String> = if chart.stacks() {
                        vec![plan.value_text(chart, plan.extent(chart, c))]
                    } else {
                        (0..plan.vals.len())
                            .map(|s| plan.value_label(chart, s, c))
                            .collect()
                    };
                    texts
                })
                .map(|t| text_width(&t, VALUE_SIZE))
                .fold(0.0, f32::max)
        } else {
            0.0
        };
        plan.label_w = chart
            .categories
            .iter()
            .map(|c| text_width(c, LABEL_SIZE))
            .fold(0.0, f32::max)
            .min((width * 0.38).max(40.0));
        let (target, max) = if chart.horizontal {
            let length = width - 2.0 * PAD - plan.label_w - LABEL_GAP - value_w - 16.0;
            ((length / 40.0) as usize, max)
        } else {
            ((COLUMN_PLOT_H / 36.0) as usize, max)
        };
        let max = if max > 0.0 {
            max
        } else if chart.percent || chart.shares {
            100.0
        } else {
            5.0
        };
        let (step, top) = nice_axis(max, target.clamp(2, 10), whole);
        plan.step = step;
        plan.top = top;
        plan.decimals = decimals_of(step);
        plan.tick_w = plan
            .ticks()
            .iter()
            .map(|&t| text_width(&plan.tick_text(chart, t), TICK_SIZE))
            .fold(0.0, f32::max);
        let last_tick = text_width(&plan.tick_text(chart, top), TICK_SIZE);
        plan.right_room =
            (last_tick / 2.0 + 2.0).max(if value_w > 0.0 { value_w + 5.0 } else { 0.0 });
        plan
    }

    /// The length of category c's bar (stacked) or of its longest bar.
    fn extent(&self, chart: &Chart, c: usize) -> f64 {
        let drawn = self.vals.iter().filter_map(|s| s[c]);
        if chart.shares {
            if self.total(c) > 0.0 {
                100.0
            } else {
                0.0
            }
        } else if chart.stacked {
            drawn.sum()
        } else {
            drawn.fold(0.0, f64::max)
        }
    }

    fn total(&self, c: usize) -> f64 {
        self.vals.iter().filter_map(|s| s[c]).sum()
    }

    /// The quantity along the axis of series s in category c: the value,
    /// or its share in percent; None when absent.
    fn along(&self, chart: &Chart, s: usize, c: usize) -> Option<f64> {
        let v = self.vals[s][c]?;
        if chart.shares {
            let total = self.total(c);
            Some(if total > 0.0 { v / total * 100.0 } else { 0.0 })
        } else {
            Some(v)
        }
    }

    fn ticks(&self) -> Vec<f64> {
        let steps = (self.top / self.step).round() as usize;
        (0..=steps).map(|i| i as f64 * self.step).collect()
    }

    fn tick_text(&self, chart: &Chart, v: f64) -> String {
        let mut s = number(v, self.decimals);
        if chart.percent || chart.shares {
            s.push('%');
        }
        s
    }

    /// A value as written on the chart: whole numbers as such, others to
    /// two places (one for percentages).
    fn value_text(&self, chart: &Chart, v: f64) -> String {
        if chart.percent || chart.shares {
            format!("{}%", number(v, 1))
        } else {
            number(v, 2)
        }
    }

    /// The label of the bar of series s in category c, side by side: its
    /// value, "—" when absent, and a value drawn as 0 as it was given.
    fn value_label(&self, chart: &Chart, s: usize, c: usize) -> String {
        match chart.series[s].1.get(c) {
            Some(&v) if v.is_finite() && v < 0.0 => self.value_text(chart, v),
            Some(&v) if v == f64::INFINITY => "无穷大".to_string(),
            Some(&v) if v == f64::NEG_INFINITY => "负无穷大".to_string(),
            _ => self
                .along(chart, s, c)
                .map_or("—".to_string(), |v| self.value_text(chart, v)),
        }
    }

    fn tip(&self, chart: &Chart, s: usize, c: usize) -> String {
        let category = &chart.categories[c];
        let name = chart.series[s].0.trim();
        let raw = chart.series[s].1.get(c).copied();
        let value = match raw {
            None => "无".to_string(),
            Some(v) if v.is_nan() => "无".to_string(),
            Some(v) if v.is_finite() => format!("{}{}", number(v, 2), chart.unit_suffix()),
            Some(v) if v > 0.0 => "无穷大（按 0 绘制）".to_string(),
            Some(_) => "负无穷大（按 0 绘制）".to_string(),
        };
        let value = match raw {
            Some(v) if v.is_finite() && v < 0.0 => format!("{value}（负数，按 0 绘制）"),
            _ => value,
        };
        let share = if chart.shares {
            self.along(chart, s, c)
                .map(|p| format!("，占 {}%", number(p, 1)))
                .unwrap_or_default()
        } else {
            String::new()
        };
        if name.is_empty() || chart.series.len() == 1 && !chart.stacked {
            format!("{category}：{value}{share}")
        } else {
            format!("{category}\n{name}：{value}{share}")
        }
    }

    /// The least width of a category of a vertical chart.
    fn min_band(&self, chart: &Chart) -> f32 {
        if chart.stacks() || chart.series.len() <= 1 {
            16.0
        } else {
            chart.series.len() as f32 * 7.0 + 6.0
        }
    }

    /// How many categories of a vertical chart fit side by side in `width`.
    fn per_column(&self, chart: &Chart, width: f32) -> usize {
        let plot = width - 2.0 * PAD - self.tick_w - 6.0 - 24.0;
        ((plot / self.min_band(chart)).floor() as usize).max(1)
    }
}

// ---------------------------------------------------------------------------
// Laying out.

fn text(x: f32, y: f32, s: impl Into<String>, size: f32, anchor: Anchor, colour: Rgb) -> Prim {
    Prim::Text(Text {
        x,
        y,
        text: s.into(),
        size,
        anchor,
        angle: 0.0,
        colour,
        full: None,
    })
}

fn line(x1: f32, y1: f32, x2: f32, y2: f32, width: f32, colour: Rgb) -> Prim {
    Prim::Line {
        x1,
        y1,
        x2,
        y2,
        width,
        colour,
    }
}

impl Chart {
    fn colour(s: usize) -> Rgb {
        PALETTE[s % PALETTE.len()]
    }

    /// The title, the legend and the unit above the plot; returns the y
    /// below them.
    fn header(&self, width: f32, title: bool, legend: bool, prims: &mut Vec<Prim>) -> f32 {
        let mut y = PAD;
        if title && !self.title.trim().is_empty() {
            let (t, cut) = fit_text(&self.title, TITLE_SIZE, width - 2.0 * PAD);
            prims.push(Prim::Text(Text {
                x: width / 2.0,
                y: y + TITLE_SIZE * ASCENT,
                text: t,
                size: TITLE_SIZE,
                anchor: Anchor::Middle,
                angle: 0.0,
                colour: INK,
                full: cut.then(|| self.title.clone()),
            }));
            y += TITLE_SIZE * 1.5;
        }
        let mut unit = if legend { self.unit_shown() } else { None };
        if legend && self.series.len() > 1 {
            let mut x = PAD;
            let mut row = y;
            for (s, (name, _)) in self.series.iter().enumerate() {
                let (shown, cut) = fit_text(name, LABEL_SIZE, (width / 3.0).max(60.0));
                let w = SWATCH + 4.0 + text_width(&shown, LABEL_SIZE);
                if x > PAD && x + w > width - PAD {
                    x = PAD;
                    row += LEGEND_ROW;
                }
                prims.push(Prim::Rect {
                    x,
                    y: row + (LEGEND_ROW - SWATCH) / 2.0,
                    w: SWATCH,
                    h: SWATCH,
                    fill: Chart::colour(s),
                    mark: Mark::Swatch { series: s },
                    tip: name.clone(),
                });
                prims.push(Prim::Text(Text {
                    x: x + SWATCH + 4.0,
                    y: row + LEGEND_ROW / 2.0 + CENTRE * LABEL_SIZE,
                    text: shown,
                    size: LABEL_SIZE,
                    anchor: Anchor::Start,
                    angle: 0.0,
                    colour: INK,
                    full: cut.then(|| name.clone()),
                }));
                x += w + 12.0;
            }
            if let Some(u) = &unit {
                if x + text_width(u, NOTE_SIZE) <= width - PAD {
                    prims.push(text(
                        width - PAD,
                        row + LEGEND_ROW / 2.0 + CENTRE * NOTE_SIZE,
                        u.clone(),
                        NOTE_SIZE,
                        Anchor::End,
                        MUTED,
                    ));
                    unit = None;
                }
            }
            y = row + LEGEND_ROW;
        }
        if let Some(u) = unit {
            prims.push(text(
                width - PAD,
                y + NOTE_SIZE * ASCENT + 1.0,
                u,
                NOTE_SIZE,
                Anchor::End,
                MUTED,
            ));
            y += NOTE_SIZE + 5.0;
        }
        y + 4.0
    }

    /// The notes under the plot from `y`; returns the y below them.
    fn notes(plan: &Plan, width: f32, mut y: f32, prims: &mut Vec<Prim>) -> f32 {
        for note in &plan.notes {
            let (t, cut) = fit_text(note, NOTE_SIZE, width - 2.0 * PAD);
            prims.push(Prim::Text(Text {
                x: PAD,
                y: y + NOTE_SIZE * ASCENT + 2.0,
                text: t,
                size: NOTE_SIZE,
                anchor: Anchor::Start,
                angle: 0.0,
                colour: MUTED,
                full: cut.then(|| note.clone()),
            }));
            y += NOTE_SIZE + 5.0;
        }
        y
    }

    /// The title and "无数据".
    fn empty_scene(&self, width: f32) -> Scene {
        let mut prims = Vec::new();
        let y = self.header(width, true, false, &mut prims);
        let h = 60.0;
        prims.push(text(
            width / 2.0,
            y + h / 2.0 + CENTRE * LABEL_SIZE * 1.2,
            "无数据",
            LABEL_SIZE * 1.2,
            Anchor::Middle,
            MUTED,
        ));
        Scene {
            width,
            height: y + h + PAD,
            title: self.title.clone(),
            prims,
        }
    }

    /// The bars' thickness and the height of a category of a horizontal
    /// chart.
    fn row_measures(&self) -> (f32, f32) {
        if self.stacks() || self.series.len() <= 1 {
            (11.0, 17.0)
        } else {
            (9.0, self.series.len() as f32 * 9.0 + 7.0)
        }
    }

    /// Categories `cats` of a horizontal chart.
    fn horizontal_part(&self, plan: &Plan, cats: Range<usize>, width: f32, title: bool) -> Scene {
        let mut prims = Vec::new();
        let mut y = self.header(width, title, true, &mut prims);
        let (bar_t, band) = self.row_measures();
        let x0 = PAD + plan.label_w + LABEL_GAP;
        let x1 = (width - PAD - plan.right_room).max(x0 + 20.0);
        let scale = (x1 - x0) / plan.top as f32;
        let ticks = plan.ticks();
        let tick_labels = |prims: &mut Vec<Prim>, baseline: f32| {
            for &t in &ticks {
                prims.push(text(
                    x0 + t as f32 * scale,
                    baseline,
                    plan.tick_text(self, t),
                    TICK_SIZE,
                    Anchor::Middle,
                    MUTED,
                ));
            }
        };
        if plan.n > LONG {
            tick_labels(&mut prims, y + TICK_SIZE * ASCENT);
            y += TICK_SIZE + 5.0;
        }
        let plot_top = y;
        let plot_bottom = plot_top + cats.len() as f32 * band;
        if !cats.is_empty() {
            for &t in ticks.iter().skip(1) {
                let x = x0 + t as f32 * scale;
                prims.push(line(x, plot_top, x, plot_bottom, 0.5, GRID));
            }
        }
        let ns = self.series.len();
        for (i, c) in cats.clone().enumerate() {
            let top = plot_top + i as f32 * band;
            let name = &self.categories[c];
            let (shown, cut) = fit_text(name, LABEL_SIZE, plan.label_w);
            prims.push(Prim::Text(Text {
                x: x0 - LABEL_GAP,
                y: top + band / 2.0 + CENTRE * LABEL_SIZE,
                text: shown,
                size: LABEL_SIZE,
                anchor: Anchor::End,
                angle: 0.0,
                colour: INK,
                full: cut.then(|| name.clone()),
            }));
            if self.stacks() {
                let by = top + (band - bar_t) / 2.0;
                let mut acc = 0.0f64;
                for s in 0..ns {
                    let Some(v) = plan.along(self, s, c) else {
                        continue;
                    };
                    let (x, w) = (x0 + acc as f32 * scale, v as f32 * scale);
                    acc += v;
                    if v <= 0.0 {
                        continue;
                    }
                    self.bar(plan, &mut prims, s, c, v, (x, by, w, bar_t));
                    if self.value_labels {
                        let label = plan.value_text(self, v);
                        if text_width(&label, VALUE_SIZE) + 4.0 <= w {
                            prims.push(text(
                                x + w / 2.0,
                                by + bar_t / 2.0 + CENTRE * VALUE_SIZE,
                                label,
                                VALUE_SIZE,
                                Anchor::Middle,
                                on(Chart::colour(s)),
                            ));
                        }
                    }
                }
                if self.value_labels {
                    let label = if self.shares {
                        (plan.total(c) == 0.0).then(|| "—".to_string())
                    } else if plan.vals.iter().all(|v| v[c].is_none()) {
                        Some("—".to_string())
                    } else {
                        Some(plan.value_text(self, acc))
                    };
                    if let Some(label) = label {
                        prims.push(text(
                            x0 + acc as f32 * scale + 3.0,
                            by + bar_t / 2.0 + CENTRE * VALUE_SIZE,
                            label,
                            VALUE_SIZE,
                            Anchor::Start,
                            INK,
                        ));
                    }
                }
            } else {
                let first = top + (band - ns as f32 * bar_t) / 2.0;
                for s in 0..ns {
                    let by = first + s as f32 * bar_t;
                    let v = plan.along(self, s, c);
                    let w = v.unwrap_or(0.0) as f32 * scale;
                    if let Some(v) = v.filter(|&v| v > 0.0) {
                        let gap = if ns > 1 { 1.0 } else { 0.0 };
                        self.bar(plan, &mut prims, s, c, v, (x0, by, w, bar_t - gap));
                    }
                    if self.value_labels {
                        let label = plan.value_label(self, s, c);
                        prims.push(text(
                            x0 + w + 3.0,
                            by + bar_t / 2.0 + CENTRE * VALUE_SIZE,
                            label,
                            VALUE_SIZE,
                            Anchor::Start,
                            INK,
                        ));
                    }
                }
            }
        }
        if !cats.is_empty() {
            prims.push(line(x0, plot_top, x0, plot_bottom, 0.8, AXIS));
        }
        tick_labels(&mut prims, plot_bottom + 3.0 + TICK_SIZE * ASCENT);
        let y = plot_bottom + TICK_SIZE + 6.0;
        let y = Chart::notes(plan, width, y, &mut prims);
        Scene {
            width,
            height: y + PAD,
            title: self.title.clone(),
            prims,
        }
    }

    /// A bar: (x, y, w, h).
    fn bar(
        &self,
        plan: &Plan,
        prims: &mut Vec<Prim>,
        s: usize,
        c: usize,
        value: f64,
        (x, y, w, h): (f32, f32, f32, f32),
    ) {
        prims.push(Prim::Rect {
            x,
            y,
            w,
            h,
            fill: Chart::colour(s),
            mark: Mark::Bar {
                series: s,
                category: c,
                value,
            },
            tip: plan.tip(self, s, c),
        });
    }

    /// Categories `cats` of a vertical chart.
    fn vertical_part(&self, plan: &Plan, cats: Range<usize>, width: f32, title: bool) -> Scene {
        let mut prims = Vec::new();
        let mut y = self.header(width, title, true, &mut prims);
        if self.value_labels {
            y += VALUE_SIZE + 4.0;
        }
        let plot_top = y;
        let plot_bottom = plot_top + COLUMN_PLOT_H;
        let scale = COLUMN_PLOT_H / plan.top as f32;
        let k = cats.len().max(1);
        let ns = self.series.len();
        let x1 = width - PAD;
        // Category labels level when each fits its column, else turned.
        let mut x0 = PAD + plan.tick_w + 6.0;
        let band_of = |x0: f32| (x1 - x0) / k as f32;
        let level = cats
            .clone()
            .all(|c| text_width(&self.categories[c], LABEL_SIZE) <= band_of(x0) - 2.0);
        let labels: Vec<(String, bool)> = cats
            .clone()
            .map(|c| {
                let max = if level { band_of(x0) } else { ROTATED_MAX };
                fit_text(&self.categories[c], LABEL_SIZE, max)
            })
            .collect();
        let cos = std::f32::consts::FRAC_1_SQRT_2;
        if !level {
            // The first label, turned, must not run off the left edge.
            for _ in 0..2 {
                let band = band_of(x0);
                let need = labels
                    .iter()
                    .enumerate()
                    .map(|(i, (t, _))| {
                        PAD + text_width(t, LABEL_SIZE) * cos + LABEL_SIZE * 0.6
                            - (i as f32 + 0.5) * band
                    })
                    .fold(0.0, f32::max);
                x0 = x0.max(need);
            }
        }
        let band = band_of(x0);
        for &t in plan.ticks().iter() {
            let yy = plot_bottom - t as f32 * scale;
            if t > 0.0 {
                prims.push(line(x0, yy, x1, yy, 0.5, GRID));
            }
            prims.push(text(
                x0 - 4.0,
                yy + CENTRE * TICK_SIZE,
                plan.tick_text(self, t),
                TICK_SIZE,
                Anchor::End,
                MUTED,
            ));
        }
        let (bar_w, slot) = if self.stacks() || ns <= 1 {
            ((band * 0.6).min(40.0), 0.0)
        } else {
            let slot = (band * 0.8 / ns as f32).min(24.0);
            (slot - 1.0, slot)
        };
        for (i, c) in cats.clone().enumerate() {
            let cx = x0 + (i as f32 + 0.5) * band;
            if self.stacks() {
                let bx = cx - bar_w / 2.0;
                let mut acc = 0.0f64;
                for s in 0..ns {
                    let Some(v) = plan.along(self, s, c) else {
                        continue;
                    };
                    let h = v as f32 * scale;
                    let yy = plot_bottom - acc as f32 * scale - h;
                    acc += v;
                    if v <= 0.0 {
                        continue;
                    }
                    self.bar(plan, &mut prims, s, c, v, (bx, yy, bar_w, h));
                    if self.value_labels {
                        let label = plan.value_text(self, v);
                        if text_width(&label, VALUE_SIZE) + 2.0 <= bar_w && VALUE_SIZE + 2.0 <= h {
                            prims.push(text(
                                cx,
                                yy + h / 2.0 + CENTRE * VALUE_SIZE,
                                label,
                                VALUE_SIZE,
                                Anchor::Middle,
                                on(Chart::colour(s)),
                            ));
                        }
                    }
                }
                if self.value_labels && !self.shares {
                    let label = if plan.vals.iter().all(|v| v[c].is_none()) {
                        "—".to_string()
                    } else {
                        plan.value_text(self, acc)
                    };
                    if text_width(&label, VALUE_SIZE) <= band {
                        prims.push(text(
                            cx,
                            plot_bottom - acc as f32 * scale - 3.0,
                            label,
                            VALUE_SIZE,
                            Anchor::Middle,
                            INK,
                        ));
                    }
                }
            } else {
                let width_all = if ns <= 1 { bar_w } else { slot * ns as f32 };
                for s in 0..ns {
                    let (bx, w, mid) = if ns <= 1 {
                        (cx - bar_w / 2.0, bar_w, cx)
                    } else {
                        let bx = cx - width_all / 2.0 + s as f32 * slot;
                        (bx, bar_w, bx + bar_w / 2.0)
                    };
                    let v = plan.along(self, s, c);
                    let h = v.unwrap_or(0.0) as f32 * scale;
                    if let Some(v) = v.filter(|&v| v > 0.0) {
                        self.bar(plan, &mut prims, s, c, v, (bx, plot_bottom - h, w, h));
                    }
                    if self.value_labels {
                        let label = plan.value_label(self, s, c);
                        let room = if ns <= 1 { band } else { slot + 2.0 };
                        if text_width(&label, VALUE_SIZE) <= room {
                            prims.push(text(
                                mid,
                                plot_bottom - h - 3.0,
                                label,
                                VALUE_SIZE,
                                Anchor::Middle,
                                INK,
                            ));
                        }
                    }
                }
            }
            let (shown, cut) = labels[i].clone();
            let full = cut.then(|| self.categories[c].clone());
            prims.push(Prim::Text(if level {
                Text {
                    x: cx,
                    y: plot_bottom + 4.0 + LABEL_SIZE * ASCENT,
                    text: shown,
                    size: LABEL_SIZE,
                    anchor: Anchor::Middle,
                    angle: 0.0,
                    colour: INK,
                    full,
                }
            } else {
                Text {
                    x: cx + LABEL_SIZE * 0.35,
                    y: plot_bottom + 6.0,
                    text: shown,
                    size: LABEL_SIZE,
                    anchor: Anchor::End,
                    angle: -45.0,
                    colour: INK,
                    full,
                }
            }));
        }
        prims.push(line(x0, plot_bottom, x1, plot_bottom, 0.8, AXIS));
        let label_h = if level {
            LABEL_SIZE + 6.0
        } else {
            labels
                .iter()
                .map(|(t, _)| text_width(t, LABEL_SIZE))
                .fold(0.0, f32::max)
                * cos
                + LABEL_SIZE
                + 8.0
        };
        let y = Chart::notes(plan, width, plot_bottom + label_h, &mut prims);
        Scene {
            width,
            height: y + PAD,
            title: self.title.clone(),
            prims,
        }
    }
}

/// The colour of text on a fill.
fn on(fill: Rgb) -> Rgb {
    if fill.is_light() {
        INK
    } else {
        Rgb(0xff, 0xff, 0xff)
    }
}

// ---------------------------------------------------------------------------
// SVG.

/// Fonts for the SVG: CJK fonts of the usual systems, then any sans-serif.
const SVG_FONTS: &str = "'Noto Sans CJK SC','Source Han Sans SC','Source Han Sans CN',\
'PingFang SC','Hiragino Sans GB','Microsoft YaHei','WenQuanYi Micro Hei',sans-serif";

/// Text escaped for XML (content and attributes); characters XML does not
/// allow are dropped.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A length for SVG: at most two places, never NaN.
fn num(v: f32) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    number(v as f64, 2)
}

impl Scene {
    /// The scene as a standalone SVG document: `viewBox` in points,
    /// `width="100%"` (the height follows), `role="img"` and the title as
    /// its accessible name, a white background, text in a CJK font stack.
    /// Bars carry `class="bar"` and `data-series`, `data-category`,
    /// `data-value` (the quantity along the axis), and a `<title>` tooltip.
    pub fn to_svg(&self) -> String {
        let mut s = String::new();
        let _ = write!(
            s,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"100%\" \
             role=\"img\" aria-label=\"{t}\" font-family=\"{SVG_FONTS}\">\n<title>{t}</title>\n\
             <rect class=\"background\" x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n",
            w = num(self.width),
            h = num(self.height),
            t = esc(&self.title),
        );
        for prim in &self.prims {
            match prim {
                Prim::Rect {
                    x,
                    y,
                    w,
                    h,
                    fill,
                    mark,
                    tip,
                } => {
                    let class = match mark {
                        Mark::Bar {
                            series,
                            category,
                            value,
                        } => format!(
                            "class=\"bar\" data-series=\"{series}\" data-category=\"{category}\" \
                             data-value=\"{}\"",
                            number(*value, 6)
                        ),
                        Mark::Swatch { series } => {
                            format!("class=\"swatch\" data-series=\"{series}\"")
                        }
                    };
                    let _ = writeln!(
                        s,
                        "<rect {class} x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\">\
                         <title>{}</title></rect>",
                        num(*x),
                        num(*y),
                        num(*w),
                        num(*h),
                        fill.hex(),
                        esc(tip)
                    );
                }
                Prim::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                    colour,
                } => {
                    let _ = writeln!(
                        s,
                        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\"/>",
                        num(*x1),
                        num(*y1),
                        num(*x2),
                        num(*y2),
                        colour.hex(),
                        num(*width)
                    );
                }
                Prim::Text(t) => {
                    let anchor = match t.anchor {
                        Anchor::Start => "start",
                        Anchor::Middle => "middle",
                        Anchor::End => "end",
                    };
                    let turn = if t.angle != 0.0 {
                        format!(
                            " transform=\"rotate({} {} {})\"",
                            num(t.angle),
                            num(t.x),
                            num(t.y)
                        )
                    } else {
                        String::new()
                    };
                    let body = format!(
                        "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{anchor}\" fill=\"{}\"{turn}>{}</text>",
                        num(t.x),
                        num(t.y),
                        num(t.size),
                        t.colour.hex(),
                        esc(&t.text)
                    );
                    match &t.full {
                        Some(full) => {
                            let _ = writeln!(s, "<g><title>{}</title>{body}</g>", esc(full));
                        }
                        None => {
                            let _ = writeln!(s, "{body}");
                        }
                    }
                }
            }
        }
        s.push_str("</svg>\n");
        s
    }
}

// ---------------------------------------------------------------------------
// PDF.

/// Charts as a PDF of A4 pages, in the page layout of the report PDF
/// (margins, page numbers "— 1 —"): `title` centred on the first page (and
/// the document's title), then each chart under its heading (黑体), drawn
/// at [`DEFAULT_WIDTH`], the text in the 黑体 font. A chart that does not fit
/// in what is left of a page goes to the next; one too long for a page (a
/// horizontal chart of many categories, a vertical one of more columns
/// than fit across) continues on the next page under its heading with
/// "（续）", at the same scale. The chart's own title is drawn under the
/// heading unless it is the same text. Characters no font has are drawn as
/// empty boxes and named in the warnings.
pub fn chart_pdf(title: &str, charts: &[(&str, &Chart)], fonts: &PdfFonts) -> PdfOutput {
    pdf::with_fallback(fonts, |fonts| {
        pdf::render(fonts, title, |set| lay_out(title, charts, set))
    })
}

/// [`chart_pdf`] with the built-in fonts.
pub fn chart_pdf_embedded(title: &str, charts: &[(&str, &Chart)]) -> PdfOutput {
    chart_pdf(title, charts, &PdfFonts::embedded())
}

fn lay_out(title: &str, charts: &[(&str, &Chart)], set: &mut FontSet) -> Vec<Vec<Item>> {
    let mut flow = Flow::new();
    if !title.trim().is_empty() {
        let shaped = Shaped::new(set, &[(FontRole::Title, title)], pdf::TITLE_SIZE);
        pdf::balanced_lines(&shaped, &mut flow);
        flow.take_line();
    }
    let width = DEFAULT_WIDTH;
    for (i, (heading, chart)) in charts.iter().enumerate() {
        if i > 0 && !flow.at_top() {
            // Space between charts.
            flow.place(Vec::new(), pdf::LINE_PITCH / 2.0);
        }
        let plan = Plan::new(chart, width);
        let n = if plan.empty { 0 } else { plan.n };
        let show_title = chart.title.trim() != heading.trim();
        let part = |cats: Range<usize>, first: bool| -> Scene {
            if plan.empty {
                chart.empty_scene(width)
            } else if chart.horizontal {
                chart.horizontal_part(&plan, cats, width, first && show_title)
            } else {
                chart.vertical_part(&plan, cats, width, first && show_title)
            }
        };
        let per_column = plan.per_column(chart, width);
        let (_, band) = chart.row_measures();
        let mut start = 0;
        let mut first = true;
        loop {
            let rest = n - start;
            let heading_text = if first {
                heading.to_string()
            } else {
                format!("{heading}（续）")
            };
            let shaped = Shaped::new(set, &[(FontRole::Heading, &heading_text)], pdf::BODY_SIZE);
            let heading_h = pdf::lines_of(&shaped, 0.0, 0.0).len() as f32 * pdf::LINE_PITCH;
            let least = if chart.horizontal {
                rest.min(MIN_ROWS)
            } else {
                rest.min(per_column)
            };
            let least_h = part(start..start + least, first).height + heading_h;
            if least_h > flow.room() + pdf::EPS && !flow.at_top() {
                flow.new_page();
            }
            if first || flow.at_top() {
                pdf::paragraph_lines(&shaped, &mut flow, Align::Left, 0.0, 0.0);
            }
            let k = if plan.empty {
                0
            } else if chart.horizontal {
                let overhead = part(start..start, first).height;
                (((flow.room() - overhead) / band + 1e-3).floor().max(1.0) as usize).min(rest)
            } else {
                least
            };
            let scene = part(start..start + k, first);
            let items = scene_items(&scene, set, pdf::MARGIN_LEFT, flow.y());
            flow.place(items, scene.height);
            start += k;
            first = false;
            if start >= n {
                break;
            }
            if chart.horizontal {
                flow.new_page();
            }
        }
    }
    pdf::number_pages(flow, set)
}

/// A scene as PDF items, its top left corner at (`x`, `y`) on the page.
fn scene_items(scene: &Scene, set: &mut FontSet, x: f32, y: f32) -> Vec<Item> {
    let colour = |c: Rgb| [c.0, c.1, c.2];
    let mut items = Vec::new();
    for prim in &scene.prims {
        match prim {
            Prim::Rect {
                x: rx,
                y: ry,
                w,
                h,
                fill,
                ..
            } => items.push(Item::Fill {
                x: x + rx,
                y: y + ry,
                w: *w,
                h: *h,
                colour: colour(*fill),
            }),
            Prim::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                colour: c,
            } => items.push(Item::Line {
                x1: x + x1,
                y1: y + y1,
                x2: x + x2,
                y2: y + y2,
                width: *width,
                colour: colour(*c),
            }),
            Prim::Text(t) => {
                let shaped = Shaped::new(set, &[(FontRole::Heading, &t.text)], t.size);
                let w = shaped.natural_width();
                let dx = match t.anchor {
                    Anchor::Start => 0.0,
                    Anchor::Middle => -w / 2.0,
                    Anchor::End => -w,
                };
                let (px, py) = (x + t.x, y + t.y);
                let turn = (t.angle != 0.0).then_some((t.angle, px, py));
                items.extend(
                    shaped
                        .place_natural(px + dx, py, colour(t.colour), turn)
                        .into_iter()
                        .map(Item::Run),
                );
            }
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("机关{i}")).collect()
    }

    fn bars(scene: &Scene) -> Vec<(usize, usize, f64, f32, f32, f32, f32)> {
        scene
            .prims
            .iter()
            .filter_map(|p| match p {
                Prim::Rect {
                    x,
                    y,
                    w,
                    h,
                    mark:
                        Mark::Bar {
                            series,
                            category,
                            value,
                        },
                    ..
                } => Some((*series, *category, *value, *x, *y, *w, *h)),
                _ => None,
            })
            .collect()
    }

    fn texts(scene: &Scene) -> Vec<&Text> {
        scene
            .prims
            .iter()
            .filter_map(|p| match p {
                Prim::Text(t) => Some(t),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn ticks_step_by_one_two_or_five() {
        assert_eq!(nice_axis(95.0, 5, false), (20.0, 100.0));
        assert_eq!(nice_axis(100.0, 5, false), (20.0, 100.0));
        assert_eq!(nice_axis(100.5, 5, false), (20.0, 120.0));
        assert_eq!(nice_axis(1234.0, 5, false), (200.0, 1400.0));
        assert_eq!(nice_axis(7.0, 4, false), (2.0, 8.0));
        assert_eq!(nice_axis(1.0, 5, false), (0.2, 1.0));
        let (step, top) = nice_axis(0.37, 4, false);
        assert!((step - 0.1).abs() < 1e-12 && (top - 0.4).abs() < 1e-12);
        // Counts are not split into fractions.
        assert_eq!(nice_axis(3.0, 6, true), (1.0, 3.0));
        assert_eq!(nice_axis(1.0, 5, true), (1.0, 1.0));
        // Every step is 1, 2 or 5 times a power of ten, and the axis ends
        // at or past the largest value, within one step of it.
        for max in [0.003, 0.9, 13.0, 99.0, 101.0, 4567.0, 2.5e7, 1e12] {
            for target in 2..=10 {
                let (step, top) = nice_axis(max, target, false);
                let m = step / 10f64.powf(step.log10().floor());
                assert!(
                    [1.0, 2.0, 5.0, 10.0].iter().any(|k| (m - k).abs() < 1e-9),
                    "{max} {target}: {step}"
                );
                assert!(top >= max - 1e-9 && top - step < max, "{max} {target}");
                let steps = top / step;
                assert!((steps - steps.round()).abs() < 1e-6);
            }
        }
        assert_eq!(decimals_of(1.0), 0);
        assert_eq!(decimals_of(0.5), 1);
        assert_eq!(decimals_of(0.2), 1);
        assert_eq!(decimals_of(0.05), 2);
        assert_eq!(number(0.30000000000000004, 1), "0.3");
        assert_eq!(number(-0.0, 0), "0");
        assert_eq!(number(12.0, 2), "12");
        assert_eq!(number(12.345, 2), "12.35");
    }

    #[test]
    fn the_axis_of_a_chart_ends_at_a_nice_value_past_the_largest() {
        let chart = Chart::new("t", names(3))
            .series("a", vec![12.0, 47.0, 3.0])
            .horizontal();
        let plan = Plan::new(&chart, DEFAULT_WIDTH);
        assert_eq!(plan.ticks().first(), Some(&0.0));
        assert!(plan.top >= 47.0 && plan.top - plan.step < 47.0);
        let tick_texts: Vec<String> = plan
            .ticks()
            .iter()
            .map(|&t| plan.tick_text(&chart, t))
            .collect();
        assert!(
            tick_texts.iter().all(|t| !t.contains('.')),
            "{tick_texts:?}"
        );
        // Stacked, the axis covers the sums.
        let chart = Chart::new("t", names(2))
            .series("a", vec![30.0, 10.0])
            .series("b", vec![25.0, 10.0])
            .stacked();
        let plan = Plan::new(&chart, DEFAULT_WIDTH);
        assert!(plan.top >= 55.0 && plan.top - plan.step < 55.0);
    }

    #[test]
    fn stacks_add_up_and_shares_make_a_hundred() {
        let chart = Chart::new("t", names(3))
            .series("a", vec![30.0, 1.0, 0.0])
            .series("b", vec![10.0, 3.0, 0.0])
            .horizontal();
        let stacked = chart.clone().stacked().layout();
        let b = bars(&stacked);
        // Category 0: a from the baseline, b right after it, lengths 3:1.
        let a0 = b.iter().find(|x| x.0 == 0 && x.1 == 0).unwrap();
        let b0 = b.iter().find(|x| x.0 == 1 && x.1 == 0).unwrap();
        assert!((a0.3 + a0.5 - b0.3).abs() < 1e-3);
        assert!((a0.5 / b0.5 - 3.0).abs() < 1e-3);
        assert_eq!(a0.4, b0.4);
        // Zero values have no bars.
        assert!(b.iter().all(|x| x.1 != 2));

        let shares = chart.shares().value_labels().layout();
        let b = bars(&shares);
        let scale = {
            let a0 = b.iter().find(|x| x.0 == 0 && x.1 == 0).unwrap();
            a0.5 as f64 / a0.2
        };
        for c in 0..2 {
            let values: Vec<f64> = b.iter().filter(|x| x.1 == c).map(|x| x.2).collect();
            assert!(
                (values.iter().sum::<f64>() - 100.0).abs() < 1e-9,
                "{values:?}"
            );
            let length: f32 = b.iter().filter(|x| x.1 == c).map(|x| x.5).sum();
            assert!((length as f64 - 100.0 * scale).abs() < 1e-2);
        }
        let share_of = |s, c| b.iter().find(|x| x.0 == s && x.1 == c).unwrap().2;
        assert!((share_of(0, 0) - 75.0).abs() < 1e-9);
        assert!((share_of(1, 1) - 75.0).abs() < 1e-9);
        // A category adding up to 0 has no bar, a "—", and nothing is NaN.
        assert!(b.iter().all(|x| x.1 != 2));
        assert!(texts(&shares).iter().any(|t| t.text == "—"));
        assert!(texts(&shares).iter().any(|t| t.text == "75%"));
        let svg = shares.to_svg();
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
    }

    #[test]
    fn grouped_bars_are_proportional_and_side_by_side() {
        let chart = Chart::new("t", names(2))
            .series("a", vec![40.0, 10.0])
            .series("b", vec![20.0, f64::NAN])
            .value_labels();
        for chart in [chart.clone(), chart.horizontal()] {
            let scene = chart.layout();
            let b = bars(&scene);
            assert_eq!(b.len(), 3, "the absent value has no bar");
            let length = |x: &(usize, usize, f64, f32, f32, f32, f32)| {
                if chart.horizontal {
                    x.5
                } else {
                    x.6
                }
            };
            let unit = length(&b[0]) as f64 / b[0].2;
            for x in &b {
                assert!((length(x) as f64 - x.2 * unit).abs() < 1e-2, "{x:?}");
            }
            // The absent value is written "—", not 0 (the one "0" is the
            // axis's).
            assert!(texts(&scene).iter().any(|t| t.text == "—"));
            assert_eq!(texts(&scene).iter().filter(|t| t.text == "0").count(), 1);
        }
    }

    #[test]
    fn text_is_escaped() {
        let chart = Chart::new(
            "<script>alert(1)</script> & \"引号\"",
            vec!["<script>x</script>".into(), "A & B 'c'".into()],
        )
        .series("<b>系列</b>", vec![1.0, 2.0])
        .series("&amp;", vec![3.0, 4.0])
        .unit("<件>");
        let svg = chart.to_svg();
        assert!(!svg.contains("<script"), "{svg}");
        assert!(!svg.contains("<b>"));
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;引号&quot;"));
        assert!(svg.contains("A &amp; B &#39;c&#39;"));
        assert!(svg.contains("&amp;amp;"));
        assert!(svg.contains("单位：&lt;件&gt;"));
        assert_eq!(esc("a\u{1}b\u{ffff}c"), "abc");
    }

    #[test]
    fn empty_and_zero_charts_draw_without_nan() {
        let cases = [
            Chart::new("空", vec![]),
            Chart::new("空", vec![]).series("a", vec![1.0]),
            Chart::new("无系列", names(3)),
            Chart::new("无值", names(2)).series("a", vec![]),
            Chart::new("无效值", names(2)).series("a", vec![f64::NAN, f64::NAN]),
        ];
        for chart in cases {
            for chart in [chart.clone(), chart.clone().horizontal().shares()] {
                let scene = chart.layout();
                assert!(bars(&scene).is_empty());
                assert!(texts(&scene).iter().any(|t| t.text == "无数据"));
                let svg = scene.to_svg();
                assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
            }
        }
        for chart in [
            Chart::new("零", names(3)).series("a", vec![0.0; 3]),
            Chart::new("零", names(3))
                .series("a", vec![0.0; 3])
                .series("b", vec![0.0; 3])
                .shares(),
            Chart::new("零", names(3))
                .series("a", vec![0.0; 3])
                .percent(),
        ] {
            for chart in [
                chart.clone(),
                chart.clone().horizontal().value_labels(),
                chart.value_labels(),
            ] {
                let scene = chart.layout();
                assert!(bars(&scene).is_empty());
                let t = texts(&scene);
                assert!(t.iter().any(|t| t.text == "注：各项数值均为 0"));
                // The categories are still named.
                assert!(t.iter().any(|t| t.text == "机关2"));
                let svg = scene.to_svg();
                assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
                assert!(scene.height.is_finite() && scene.width.is_finite());
            }
        }
    }

    #[test]
    fn negative_values_are_drawn_as_zero_and_said_so() {
        let chart = Chart::new("t", names(3))
            .series("a", vec![-5.0, 10.0, f64::INFINITY])
            .unit("件")
            .horizontal();
        let scene = chart.layout();
        let b = bars(&scene);
        assert_eq!(b.len(), 1);
        assert!(b.iter().all(|x| x.5 >= 0.0 && x.6 >= 0.0));
        assert!(texts(&scene)
            .iter()
            .any(|t| t.text == "注：有 2 个数值为负数或无穷大，按 0 绘制"));
        let plan = Plan::new(&chart, DEFAULT_WIDTH);
        assert!(plan.tip(&chart, 0, 0).contains("-5件（负数，按 0 绘制）"));
        // Labelled, a value drawn as 0 is written as given.
        let labels = chart.clone().value_labels().layout();
        let t = texts(&labels);
        assert!(t.iter().any(|t| t.text == "-5"));
        assert!(t.iter().any(|t| t.text == "无穷大"));
        // The axis is for the values drawn.
        assert_eq!(plan.top, 10.0);
    }

    #[test]
    fn long_names_are_shortened_and_kept_whole() {
        let long = "某某省某某市某某区人民政府某某街道办事处社区综合服务中心管理委员会".to_string();
        let chart = Chart::new("t", vec![long.clone(), "短名".into()])
            .series("a", vec![1.0, 2.0])
            .horizontal();
        let scene = chart.layout();
        let label = texts(&scene)
            .into_iter()
            .find(|t| t.full.as_deref() == Some(long.as_str()))
            .expect("the long name is shortened");
        assert!(label.text.ends_with('…'));
        assert!(text_width(&label.text, label.size) <= Plan::new(&chart, DEFAULT_WIDTH).label_w);
        assert!(texts(&scene)
            .iter()
            .any(|t| t.text == "短名" && t.full.is_none()));
        assert!(scene.to_svg().contains(&format!("<title>{long}</title>")));
    }

    /// The estimates are never narrower than the built-in 黑体 draws.
    #[test]
    fn estimated_widths_are_not_below_the_fonts() {
        let mut set = FontSet::new(&PdfFonts::embedded());
        for s in [
            "0123456789",
            "100%",
            "单位：件",
            "WMmw@%",
            "Hello, World",
            "示例县人民政府办公室（2024）",
            "abcdefghijklmnopqrstuvwxyz",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            "…—（）《》",
        ] {
            let shaped = Shaped::new(&mut set, &[(FontRole::Heading, s)], 10.0);
            let drawn = shaped.natural_width();
            let estimate = text_width(s, 10.0);
            assert!(
                estimate >= drawn - 0.01 && estimate <= drawn * 1.35 + 1.0,
                "{s}: estimated {estimate}, drawn {drawn}"
            );
        }
    }

    #[test]
    fn a_vertical_chart_of_many_columns_is_widened() {
        let chart = Chart::new("t", names(80)).series("a", vec![1.0; 80]);
        let scene = chart.layout();
        assert!(scene.width > DEFAULT_WIDTH);
        let b = bars(&scene);
        assert_eq!(b.len(), 80);
        for w in b.windows(2) {
            assert!(w[0].3 + w[0].5 <= w[1].3, "bars overlap");
        }
    }

    #[test]
    fn a_legend_only_for_several_series() {
        let one = Chart::new("t", names(2))
            .series("a", vec![1.0, 2.0])
            .layout();
        let swatches = |s: &Scene| {
            s.prims
                .iter()
                .filter(|p| {
                    matches!(
                        p,
                        Prim::Rect {
                            mark: Mark::Swatch { .. },
                            ..
                        }
                    )
                })
                .count()
        };
        assert_eq!(swatches(&one), 0);
        let three = Chart::new("t", names(2))
            .series("a", vec![1.0, 2.0])
            .series("b", vec![1.0, 2.0])
            .series("c", vec![1.0, 2.0])
            .layout();
        assert_eq!(swatches(&three), 3);
        // Each series its own colour.
        let colours: std::collections::HashSet<Rgb> = bars(&three)
            .iter()
            .map(|b| PALETTE[b.0 % PALETTE.len()])
            .collect();
        assert_eq!(colours.len(), 3);
    }
}
