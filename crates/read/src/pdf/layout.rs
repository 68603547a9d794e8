//! From glyphs and drawn lines to the lines and tables of one page.
//!
//! * **Tables from ruling lines.** Horizontal and vertical lines that touch
//!   each other make a grid; the distinct positions of the vertical lines
//!   are the column boundaries, those of the horizontal lines the row
//!   boundaries. Two neighbouring slots of the grid with no line drawn
//!   between them belong to one cell (a merged cell: its row and column
//!   spans). Each glyph goes to the cell its centre falls in. A grid of a
//!   single slot is a frame, not a table.
//! * **Lines.** The other glyphs are grouped by baseline into lines, left to
//!   right. A gap wider than [`COLUMN_GAP`] font sizes splits a line into
//!   parts; consecutive lines of three or more parts are a table aligned by
//!   text (no lines drawn).
//! * **Cells.** The lines inside a cell are joined: without a space between
//!   Chinese characters (a label wrapped in its cell, or written one
//!   character per line), with one between Latin letters or digits.

use super::content::{Glyph, Segment};

/// A gap between glyphs wider than this many font sizes separates columns.
pub const COLUMN_GAP: f64 = 1.5;
/// Position tolerance for lines meeting (points).
const TOL: f64 = 2.0;
/// Largest grid laid out (rows × columns).
const MAX_SLOTS: usize = 200_000;

/// A part of a line between column gaps.
#[derive(Debug, Clone)]
pub struct Part {
    pub text: String,
    pub x0: f64,
    pub x1: f64,
}

/// A line of text on the page.
#[derive(Debug, Clone)]
pub struct Line {
    pub parts: Vec<Part>,
    pub y: f64,
    pub size: f64,
    pub bold: bool,
}

impl Line {
    pub fn x0(&self) -> f64 {
        self.parts.first().map_or(0.0, |p| p.x0)
    }
    pub fn x1(&self) -> f64 {
        self.parts.last().map_or(0.0, |p| p.x1)
    }
    /// The text, parts separated by a space.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for p in &self.parts {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(&p.text);
        }
        s
    }
}

/// A cell of a table found on the page.
#[derive(Debug, Clone)]
pub struct CellBox {
    pub text: String,
    /// Grid column (0-based).
    pub col: usize,
    pub row_span: u32,
    pub col_span: u32,
    /// The text runs down to the cell's bottom edge (within a line): text
    /// that may go on in the part of the cell on the next page.
    pub fills_bottom: bool,
}

#[derive(Debug, Clone)]
pub struct TableBox {
    pub rows: Vec<Vec<CellBox>>,
    /// Column boundaries, left to right (for a table aligned by text, the
    /// left and right edges only).
    pub xs: Vec<f64>,
    pub x0: f64,
    pub x1: f64,
    pub top: f64,
    /// Drawn with lines (false: aligned by text).
    pub ruled: bool,
}

#[derive(Debug, Clone)]
pub enum Item {
    Line(Line),
    Table(TableBox),
}

impl Item {
    fn top(&self) -> f64 {
        match self {
            Item::Line(l) => l.y + l.size * 0.8,
            Item::Table(t) => t.top,
        }
    }
}

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
        || "“”‘’—…·".contains(c)
}

/// Joins two lines of text. A line break in Chinese text is not a space:
/// one is put back only between Latin words (letters or digits on both
/// sides, a letter on one).
pub fn join(a: &mut String, b: &str) {
    let last = a.chars().next_back();
    let first = b.chars().next();
    if let (Some(l), Some(f)) = (last, first) {
        if l.is_ascii_alphanumeric()
            && f.is_ascii_alphanumeric()
            && (l.is_ascii_alphabetic() || f.is_ascii_alphabetic())
        {
            a.push(' ');
        }
    }
    a.push_str(b);
}

/// Lays out one page.
pub fn layout(glyphs: Vec<Glyph>, segments: &[Segment]) -> Vec<Item> {
    let grids = find_grids(segments);
    let mut free: Vec<Glyph> = Vec::new();
    let mut in_cells: Vec<Vec<Vec<Glyph>>> = grids
        .iter()
        .map(|g| vec![Vec::new(); g.cells.len()])
        .collect();
    for g in glyphs {
        let cx = (g.x0 + g.x1) / 2.0;
        let cy = g.y + g.size * 0.3;
        let mut placed = false;
        for (k, grid) in grids.iter().enumerate() {
            if let Some(cell) = grid.cell_at(cx, cy) {
                in_cells[k][cell].push(g.clone());
                placed = true;
                break;
            }
        }
        if !placed {
            free.push(g);
        }
    }
    let mut items: Vec<Item> = Vec::new();
    for (grid, cells) in grids.iter().zip(in_cells) {
        if cells.iter().all(Vec::is_empty) {
            continue;
        }
        let fills: Vec<bool> = cells
            .iter()
            .zip(&grid.cells)
            .map(|(gs, c)| {
                // The lowest glyph's bottom against the cell's bottom edge.
                let bottom = grid.ys[c.r1 + 1];
                gs.iter()
                    .filter(|g| g.text.trim() != "")
                    .map(|g| (g.y - 0.12 * g.size - bottom, g.size))
                    .min_by(|a, b| a.0.total_cmp(&b.0))
                    .is_some_and(|(gap, size)| gap < 1.6 * size + TOL)
            })
            .collect();
        let texts: Vec<String> = cells.into_iter().map(cell_text).collect();
        let mut rows: Vec<Vec<CellBox>> = vec![Vec::new(); grid.ys.len() - 1];
        for (i, c) in grid.cells.iter().enumerate() {
            rows[c.r0].push(CellBox {
                text: texts[i].clone(),
                col: c.c0,
                row_span: (c.r1 - c.r0 + 1) as u32,
                col_span: (c.c1 - c.c0 + 1) as u32,
                fills_bottom: fills[i],
            });
        }
        for row in &mut rows {
            row.sort_by_key(|c| c.col);
        }
        items.push(Item::Table(TableBox {
            rows,
            xs: grid.xs.clone(),
            x0: grid.xs[0],
            x1: *grid.xs.last().unwrap_or(&0.0),
            top: grid.ys[0],
            ruled: true,
        }));
    }
    // Free lines; runs of lines of three or more parts are tables aligned by text.
    let lines = make_lines(free);
    let mut run: Vec<Line> = Vec::new();
    let flush = |run: &mut Vec<Line>, items: &mut Vec<Item>| {
        if run.len() >= 2 {
            let x0 = run.iter().map(Line::x0).fold(f64::MAX, f64::min);
            let x1 = run.iter().map(Line::x1).fold(f64::MIN, f64::max);
            let top = run[0].y + run[0].size * 0.8;
            let rows = run
                .iter()
                .map(|l| {
                    l.parts
                        .iter()
                        .enumerate()
                        .map(|(i, p)| CellBox {
                            text: p.text.clone(),
                            col: i,
                            row_span: 1,
                            col_span: 1,
                            fills_bottom: false,
                        })
                        .collect()
                })
                .collect();
            items.push(Item::Table(TableBox {
                rows,
                xs: vec![x0, x1],
                x0,
                x1,
                top,
                ruled: false,
            }));
        } else {
            items.extend(run.drain(..).map(Item::Line));
        }
        run.clear();
    };
    for line in lines {
        if line.parts.len() >= 3 {
            run.push(line);
        } else {
            flush(&mut run, &mut items);
            items.push(Item::Line(line));
        }
    }
    flush(&mut run, &mut items);
    items.sort_by(|a, b| b.top().total_cmp(&a.top()));
    items
}

/// The text of a cell: its lines joined.
fn cell_text(glyphs: Vec<Glyph>) -> String {
    let mut s = String::new();
    for line in make_lines(glyphs) {
        join(&mut s, line.text().trim());
    }
    s.trim().to_string()
}

/// Groups glyphs into lines by baseline, top to bottom, each left to right.
/// Glyphs of vertical fonts make one line per column, read top to bottom.
pub fn make_lines(glyphs: Vec<Glyph>) -> Vec<Line> {
    let (vertical, glyphs): (Vec<Glyph>, Vec<Glyph>) = glyphs.into_iter().partition(|g| g.vertical);
    let mut lines = horizontal_lines(glyphs);
    if !vertical.is_empty() {
        lines.extend(vertical_lines(vertical));
        lines.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x0().total_cmp(&b.x0())));
    }
    lines
}

fn vertical_lines(mut glyphs: Vec<Glyph>) -> Vec<Line> {
    glyphs.retain(|g| g.text != " ");
    glyphs.sort_by(|a, b| a.x0.total_cmp(&b.x0).then(b.y.total_cmp(&a.y)));
    let mut cols: Vec<Vec<Glyph>> = Vec::new();
    for g in glyphs {
        match cols.last_mut() {
            Some(col) if (col[0].x0 - g.x0).abs() <= 0.5 * g.size => col.push(g),
            _ => cols.push(vec![g]),
        }
    }
    let mut lines = Vec::new();
    for mut col in cols {
        col.sort_by(|a, b| b.y.total_cmp(&a.y));
        let mut run: Vec<Glyph> = Vec::new();
        let mut emit = |run: &mut Vec<Glyph>| {
            if let Some(top) = run.first() {
                let text: String = run.iter().map(|g| g.text.as_str()).collect();
                let x0 = run.iter().map(|g| g.x0).fold(f64::MAX, f64::min);
                let x1 = run.iter().map(|g| g.x1).fold(f64::MIN, f64::max);
                lines.push(Line {
                    parts: vec![Part { text, x0, x1 }],
                    y: top.y,
                    size: top.size,
                    bold: top.bold,
                });
            }
            run.clear();
        };
        for g in col {
            if run.last().is_some_and(|p| p.y - g.y > 1.8 * g.size) {
                emit(&mut run);
            }
            run.push(g);
        }
        emit(&mut run);
    }
    lines
}

fn horizontal_lines(mut glyphs: Vec<Glyph>) -> Vec<Line> {
    glyphs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x0.total_cmp(&b.x0)));
    let mut groups: Vec<Vec<Glyph>> = Vec::new();
    let mut base = f64::NAN;
    let mut size = 0.0f64;
    for g in glyphs {
        let same = groups.last().is_some() && (base - g.y).abs() <= 0.5 * size.min(g.size).max(0.5);
        if !same {
            groups.push(Vec::new());
            base = g.y;
            size = g.size;
        } else {
            size = size.max(g.size);
        }
        if let Some(last) = groups.last_mut() {
            last.push(g);
        }
    }
    groups.into_iter().filter_map(build_line).collect()
}

fn build_line(mut gs: Vec<Glyph>) -> Option<Line> {
    gs.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let size = gs.iter().map(|g| g.size).fold(0.0, f64::max);
    let y = gs.first()?.y;
    let bold = gs.iter().filter(|g| g.bold).count() * 2 > gs.len();
    let mut parts: Vec<Part> = Vec::new();
    let mut prev: Option<&Glyph> = None;
    let mut space = false;
    for g in &gs {
        if g.text == " " {
            space = prev.is_some();
            continue;
        }
        if let Some(p) = prev {
            // The same glyph drawn twice (fake bold, shadow): once.
            if p.text == g.text && (g.x0 - p.x0).abs() < 0.3 * g.size {
                continue;
            }
            let gap = g.x0 - p.x1;
            let part = parts.last_mut().expect("a part");
            if gap > COLUMN_GAP * size.max(1.0) {
                parts.push(Part {
                    text: g.text.clone(),
                    x0: g.x0,
                    x1: g.x1,
                });
            } else {
                let l = part.text.chars().next_back().unwrap_or(' ');
                let f = g.text.chars().next().unwrap_or(' ');
                if space || gap > 0.2 * size && !is_cjk(l) && !is_cjk(f) {
                    part.text.push(' ');
                }
                part.text.push_str(&g.text);
                part.x1 = part.x1.max(g.x1);
            }
        } else {
            parts.push(Part {
                text: g.text.clone(),
                x0: g.x0,
                x1: g.x1,
            });
        }
        space = false;
        prev = Some(g);
    }
    if parts.is_empty() {
        return None;
    }
    Some(Line {
        parts,
        y,
        size,
        bold,
    })
}

#[derive(Debug)]
struct GridCell {
    r0: usize,
    c0: usize,
    r1: usize,
    c1: usize,
}

#[derive(Debug)]
struct Grid {
    /// Column boundaries, left to right.
    xs: Vec<f64>,
    /// Row boundaries, top to bottom.
    ys: Vec<f64>,
    /// Slot (r × columns + c) → cell index.
    slot: Vec<usize>,
    cells: Vec<GridCell>,
}

impl Grid {
    fn cell_at(&self, x: f64, y: f64) -> Option<usize> {
        let (xl, xr) = (self.xs[0], *self.xs.last()?);
        let (yt, yb) = (self.ys[0], *self.ys.last()?);
        if x < xl || x > xr || y > yt || y < yb {
            return None;
        }
        let ncols = self.xs.len() - 1;
        let c = self
            .xs
            .partition_point(|&v| v <= x)
            .saturating_sub(1)
            .min(ncols - 1);
        let r = self
            .ys
            .partition_point(|&v| v >= y)
            .saturating_sub(1)
            .min(self.ys.len() - 2);
        self.slot.get(r * ncols + c).copied()
    }
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

/// Merges collinear segments that overlap or touch. `key` is the fixed
/// coordinate, the interval the varying one.
fn merge(mut segs: Vec<(f64, f64, f64)>) -> Vec<(f64, f64, f64)> {
    segs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut out: Vec<(f64, f64, f64)> = Vec::new();
    let mut i = 0;
    while i < segs.len() {
        // One cluster of positions.
        let mut j = i + 1;
        while j < segs.len() && segs[j].0 - segs[j - 1].0 <= 1.0 {
            j += 1;
        }
        let mut cluster: Vec<(f64, f64, f64)> = segs[i..j].to_vec();
        let pos = cluster.iter().map(|s| s.0).sum::<f64>() / cluster.len() as f64;
        cluster.sort_by(|a, b| a.1.total_cmp(&b.1));
        let mut cur: Option<(f64, f64)> = None;
        for s in cluster {
            match cur {
                Some((a, b)) if s.1 <= b + TOL => cur = Some((a, b.max(s.2))),
                Some((a, b)) => {
                    out.push((pos, a, b));
                    cur = Some((s.1, s.2));
                }
                None => cur = Some((s.1, s.2)),
            }
        }
        if let Some((a, b)) = cur {
            out.push((pos, a, b));
        }
        i = j;
    }
    out
}

fn cluster_positions(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    let mut out: Vec<Vec<f64>> = Vec::new();
    for x in v {
        match out.last_mut() {
            Some(c) if x - c[c.len() - 1] <= TOL => c.push(x),
            _ => out.push(vec![x]),
        }
    }
    out.iter()
        .map(|c| c.iter().sum::<f64>() / c.len() as f64)
        .collect()
}

fn find_grids(segments: &[Segment]) -> Vec<Grid> {
    let h: Vec<(f64, f64, f64)> = segments
        .iter()
        .filter(|s| s.y0 == s.y1)
        .map(|s| (s.y0, s.x0, s.x1))
        .collect();
    let v: Vec<(f64, f64, f64)> = segments
        .iter()
        .filter(|s| s.x0 == s.x1 && s.y0 != s.y1)
        .map(|s| (s.x0, s.y0, s.y1))
        .collect();
    let h = merge(h);
    let v = merge(v);
    if h.len() * v.len() > 4_000_000 {
        return Vec::new();
    }
    let n = h.len() + v.len();
    let mut parent: Vec<usize> = (0..n).collect();
    for (i, hs) in h.iter().enumerate() {
        for (j, vs) in v.iter().enumerate() {
            if vs.0 >= hs.1 - TOL && vs.0 <= hs.2 + TOL && hs.0 >= vs.1 - TOL && hs.0 <= vs.2 + TOL
            {
                union(&mut parent, i, h.len() + j);
            }
        }
    }
    let mut comps: std::collections::BTreeMap<usize, (Vec<usize>, Vec<usize>)> = Default::default();
    for i in 0..n {
        let r = find(&mut parent, i);
        let e = comps.entry(r).or_default();
        if i < h.len() {
            e.0.push(i);
        } else {
            e.1.push(i - h.len());
        }
    }
    let mut grids = Vec::new();
    for (hs, vs) in comps.into_values() {
        if hs.len() < 2 || vs.len() < 2 {
            continue;
        }
        let xs = cluster_positions(vs.iter().map(|&j| v[j].0).collect());
        let mut ys = cluster_positions(hs.iter().map(|&i| h[i].0).collect());
        ys.reverse();
        if xs.len() < 2 || ys.len() < 2 {
            continue;
        }
        let (nr, nc) = (ys.len() - 1, xs.len() - 1);
        if nr * nc < 2 || nr * nc > MAX_SLOTS {
            continue;
        }
        let vwall = |x: f64, y: f64| {
            vs.iter()
                .any(|&j| (v[j].0 - x).abs() <= TOL && v[j].1 <= y && y <= v[j].2)
        };
        let hwall = |y: f64, x: f64| {
            hs.iter()
                .any(|&i| (h[i].0 - y).abs() <= TOL && h[i].1 <= x && x <= h[i].2)
        };
        let mut parent: Vec<usize> = (0..nr * nc).collect();
        for r in 0..nr {
            let my = (ys[r] + ys[r + 1]) / 2.0;
            for c in 0..nc {
                let mx = (xs[c] + xs[c + 1]) / 2.0;
                if c + 1 < nc && !vwall(xs[c + 1], my) {
                    union(&mut parent, r * nc + c, r * nc + c + 1);
                }
                if r + 1 < nr && !hwall(ys[r + 1], mx) {
                    union(&mut parent, r * nc + c, (r + 1) * nc + c);
                }
            }
        }
        let mut index: std::collections::HashMap<usize, usize> = Default::default();
        let mut cells: Vec<GridCell> = Vec::new();
        let mut slot = vec![0usize; nr * nc];
        for r in 0..nr {
            for c in 0..nc {
                let root = find(&mut parent, r * nc + c);
                let k = *index.entry(root).or_insert_with(|| {
                    cells.push(GridCell {
                        r0: r,
                        c0: c,
                        r1: r,
                        c1: c,
                    });
                    cells.len() - 1
                });
                let cell = &mut cells[k];
                cell.r0 = cell.r0.min(r);
                cell.c0 = cell.c0.min(c);
                cell.r1 = cell.r1.max(r);
                cell.c1 = cell.c1.max(c);
                slot[r * nc + c] = k;
            }
        }
        if cells.len() < 2 {
            continue;
        }
        grids.push(Grid {
            xs,
            ys,
            slot,
            cells,
        });
    }
    grids
}
