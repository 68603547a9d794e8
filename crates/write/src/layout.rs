//! The standard layout of a report, shared by the writers: which sections and
//! tables are written, and each table drawn as the national template draws it —
//! rows of cells with their row and column spans.
//!
//! Every label comes from the template crate. The HTML writer renders the
//! spans as they are; the Markdown and text writers expand them onto a
//! rectangular grid where a spanned label is written in its first slot and the
//! slots it covers are left empty.

use crate::Options;
use gongkai_report::Report;
use gongkai_template::{
    CellIndex, Section, Table, TableKey, Template, T3_APPLICANTS, T3_NOTE, T3_RESULTS,
};

/// What a slot of a drawn table holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Content {
    /// A row or column label (or a group or clause label).
    Label(&'static str),
    /// The note in the top-left corner of table 3.
    Note(&'static str),
    /// A value cell of the template.
    Value(CellIndex),
    /// Nothing: the template draws an empty cell here.
    Empty,
}

/// One drawn cell, with its spans.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Slot {
    pub content: Content,
    pub rows: usize,
    pub cols: usize,
}

impl Slot {
    fn new(content: Content) -> Slot {
        Slot {
            content,
            rows: 1,
            cols: 1,
        }
    }
    fn span(content: Content, rows: usize, cols: usize) -> Slot {
        Slot {
            content,
            rows: rows.max(1),
            cols: cols.max(1),
        }
    }
}

/// The role of a drawn row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowKind {
    /// A header row (column labels).
    Head,
    /// A clause heading of table 2 (第二十条第（一）项), starting a sub-table.
    Clause,
    /// A header row inside a sub-table of table 2 (信息内容 …).
    SubHead,
    /// A row of values.
    Body,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DrawnRow {
    pub kind: RowKind,
    /// The cells that start in this row, left to right.
    pub slots: Vec<Slot>,
}

/// A table drawn as the template draws it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Drawn {
    pub key: TableKey,
    pub width: usize,
    pub rows: Vec<DrawnRow>,
    /// Relative widths of the columns (for the HTML writer), summing to about 100.
    pub col_widths: Vec<f32>,
}

impl Drawn {
    /// Lays the drawn cells out on a rectangular grid: `grid[r][c]` is the slot
    /// that starts at that position, or None for a position covered by a span
    /// from above or from the left (and for positions nothing covers).
    pub fn expand(&self) -> Vec<Vec<Option<Slot>>> {
        let height = self.rows.len();
        let mut grid: Vec<Vec<Option<Slot>>> = vec![vec![None; self.width]; height];
        let mut covered = vec![vec![false; self.width]; height];
        for (r, row) in self.rows.iter().enumerate() {
            let mut c = 0;
            for slot in &row.slots {
                while c < self.width && covered[r][c] {
                    c += 1;
                }
                if c >= self.width {
                    break;
                }
                grid[r][c] = Some(*slot);
                for line in covered.iter_mut().skip(r).take(slot.rows) {
                    for cell in line.iter_mut().skip(c).take(slot.cols) {
                        *cell = true;
                    }
                }
                c += slot.cols;
            }
        }
        grid
    }

    /// For every position of the grid, where the slot covering it starts:
    /// `(row, column)`, the position itself for a slot's first position, or
    /// None for a position nothing covers. Writers that draw merged cells as
    /// a first cell and continuations (DOCX) need it.
    pub fn origins(&self) -> Vec<Vec<Option<(usize, usize)>>> {
        let grid = self.expand();
        let mut origins = vec![vec![None; self.width]; grid.len()];
        for (r, line) in grid.iter().enumerate() {
            for (c, slot) in line.iter().enumerate() {
                let Some(slot) = slot else { continue };
                for o in origins.iter_mut().skip(r).take(slot.rows) {
                    for x in o.iter_mut().skip(c).take(slot.cols) {
                        x.get_or_insert((r, c));
                    }
                }
            }
        }
        origins
    }
}

/// One section as it is written.
pub(crate) struct Part<'a> {
    pub section: &'static Section,
    /// The paragraphs of the section's text, trimmed, empty lines left out.
    pub paragraphs: Vec<&'a str>,
    pub table: Option<Drawn>,
}

/// The title line: "{agency}{year}年政府信息公开工作年度报告", leaving out what is unknown.
pub(crate) fn title(report: &Report) -> String {
    let mut s = String::new();
    if let Some(agency) = report.agency.as_deref() {
        s.push_str(agency.trim());
    }
    if let Some(year) = report.year {
        s.push_str(&format!("{year}年"));
    }
    s.push_str(report.template().title_suffix);
    s
}

/// The sections to write, in template order. A section is written when the
/// report has its text or its table has a cell, or always under
/// [`Options::complete`]; a table likewise.
pub(crate) fn parts<'a>(report: &'a Report, options: &Options) -> Vec<Part<'a>> {
    let t = report.template();
    let mut out = Vec::new();
    for section in &t.sections {
        let text = report.section(section.key);
        let table = section
            .table
            .filter(|&k| options.complete || has_cells(report, k))
            .map(|k| {
                if options.complete {
                    draw(t, k)
                } else {
                    draw_present(report, k)
                }
            });
        if text.is_none() && table.is_none() && !options.complete {
            continue;
        }
        let paragraphs = text
            .map(|s| {
                s.text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        out.push(Part {
            section,
            paragraphs,
            table,
        });
    }
    out
}

fn has_cells(report: &Report, key: TableKey) -> bool {
    let t = report.template();
    t.cells
        .iter()
        .enumerate()
        .any(|(i, def)| def.table == key && report.cell_at(i).is_some())
}

/// The text of a value cell: its number, or nothing when the report lacks it.
pub(crate) fn value_text(report: &Report, index: CellIndex) -> String {
    report
        .cell_at(index)
        .map(|c| c.value.to_string())
        .unwrap_or_default()
}

/// Draws a table of the template.
pub(crate) fn draw(t: &'static Template, key: TableKey) -> Drawn {
    let table = t.table(key);
    match key {
        TableKey::T2 => draw_t2(t, table),
        TableKey::T3 => draw_t3(t, table, &(0..table.columns.len()).collect::<Vec<_>>()),
        TableKey::T4 => draw_t4(t, table),
    }
}

/// Draws a table as the report has it: a column of table 3 that the report
/// lacks entirely (seed reports without 总计 or 其他) is left out, header and
/// all, rather than drawn empty — an empty column would read back as zeros.
pub(crate) fn draw_present(report: &Report, key: TableKey) -> Drawn {
    let t = report.template();
    let table = t.table(key);
    if key != TableKey::T3 {
        return draw(t, key);
    }
    let cols: Vec<usize> = (0..table.columns.len())
        .filter(|&c| {
            (0..table.rows.len()).any(|r| {
                t.cell_at(key, r, c)
                    .is_some_and(|i| report.cell_at(i).is_some())
            })
        })
        .collect();
    if cols.is_empty() {
        return draw(t, key);
    }
    draw_t3(t, table, &cols)
}

/// Table 2: one sub-table per clause — the clause across the whole width, a
/// header row (信息内容 and the column labels), then one row per item. When a
/// sub-table has fewer columns than the widest one, its last column spans the
/// rest, as in the template.
fn draw_t2(t: &'static Template, table: &'static Table) -> Drawn {
    // Runs of consecutive rows under one clause, with the columns they use.
    let mut runs: Vec<(Option<&'static str>, Vec<usize>, Vec<usize>)> = Vec::new();
    for (ri, row) in table.rows.iter().enumerate() {
        match runs.last_mut() {
            Some((clause, rows, cols)) if *clause == row.clause => {
                rows.push(ri);
                for &c in &row.columns {
                    if !cols.contains(&c) {
                        cols.push(c);
                    }
                }
            }
            _ => runs.push((row.clause, vec![ri], row.columns.clone())),
        }
    }
    for (_, _, cols) in &mut runs {
        cols.sort_unstable();
    }
    let value_width = runs
        .iter()
        .map(|(_, _, c)| c.len())
        .max()
        .unwrap_or(1)
        .max(1);
    let width = 1 + value_width;
    let corner = table.header_notes.first().copied();
    let mut rows = Vec::new();
    for (clause, run_rows, cols) in &runs {
        if let Some(clause) = clause {
            rows.push(DrawnRow {
                kind: RowKind::Clause,
                slots: vec![Slot::span(Content::Label(clause), 1, width)],
            });
        }
        let last_span = value_width + 1 - cols.len().max(1);
        let spans = |i: usize| if i + 1 == cols.len() { last_span } else { 1 };
        let mut head = vec![Slot::new(corner.map_or(Content::Empty, Content::Label))];
        for (i, &c) in cols.iter().enumerate() {
            head.push(Slot::span(
                Content::Label(table.columns[c].label),
                1,
                spans(i),
            ));
        }
        rows.push(DrawnRow {
            kind: RowKind::SubHead,
            slots: head,
        });
        for &ri in run_rows {
            let mut slots = vec![Slot::new(Content::Label(table.rows[ri].label))];
            for (i, &c) in cols.iter().enumerate() {
                let content = t
                    .cell_at(table.key, ri, c)
                    .map_or(Content::Empty, Content::Value);
                slots.push(Slot::span(content, 1, spans(i)));
            }
            rows.push(DrawnRow {
                kind: RowKind::Body,
                slots,
            });
        }
    }
    let label_share = 34.0;
    let mut col_widths = vec![label_share];
    col_widths.resize(1 + value_width, (100.0 - label_share) / value_width as f32);
    Drawn {
        key: table.key,
        width,
        rows,
        col_widths,
    }
}

/// Table 3: three header rows under the note in the top-left corner; the
/// outcome rows (三、本年度办理结果) under a label spanning them, with their
/// sub-groups (（三）不予公开 …) spanning theirs.
fn draw_t3(t: &'static Template, table: &'static Table, cols: &[usize]) -> Drawn {
    let ncols = cols.len();
    let outer: Vec<usize> = (0..table.rows.len())
        .filter(|&i| table.rows[i].group == Some(T3_RESULTS))
        .collect();
    let range = match (outer.first(), outer.last()) {
        (Some(&a), Some(&b)) => Some((a, b)),
        _ => None,
    };
    let nested = |i: usize| {
        let g = table.rows[i].group;
        g.is_some() && g != Some(T3_RESULTS)
    };
    let depth = if (0..table.rows.len()).any(nested) {
        3
    } else if range.is_some() {
        2
    } else {
        1
    };
    let has_column_groups = cols.iter().any(|&c| table.columns[c].group.is_some());
    let head_rows = if has_column_groups { 3 } else { 2 };

    let mut rows = Vec::new();
    // Header: the note, then 申请人情况 over every column.
    rows.push(DrawnRow {
        kind: RowKind::Head,
        slots: vec![
            Slot::span(Content::Note(T3_NOTE), head_rows, depth),
            Slot::span(Content::Label(T3_APPLICANTS), 1, ncols),
        ],
    });
    // Then each column, or its group over its run of columns.
    let mut second = Vec::new();
    let mut third = Vec::new();
    let mut k = 0;
    while k < ncols {
        let column = &table.columns[cols[k]];
        match column.group {
            None => {
                second.push(Slot::span(Content::Label(column.label), head_rows - 1, 1));
                k += 1;
            }
            Some(g) => {
                let start = k;
                while k < ncols && table.columns[cols[k]].group == Some(g) {
                    third.push(Slot::new(Content::Label(table.columns[cols[k]].label)));
                    k += 1;
                }
                second.push(Slot::span(Content::Label(g), 1, k - start));
            }
        }
    }
    rows.push(DrawnRow {
        kind: RowKind::Head,
        slots: second,
    });
    if has_column_groups {
        rows.push(DrawnRow {
            kind: RowKind::Head,
            slots: third,
        });
    }

    for (ri, row) in table.rows.iter().enumerate() {
        let mut slots = Vec::new();
        match range {
            Some((a, b)) if (a..=b).contains(&ri) => {
                if ri == a {
                    slots.push(Slot::span(Content::Label(T3_RESULTS), b - a + 1, 1));
                }
                if nested(ri) {
                    let g = row.group;
                    let first = ri == a || table.rows[ri - 1].group != g;
                    if first {
                        let run = table.rows[ri..=b]
                            .iter()
                            .take_while(|r| r.group == g)
                            .count();
                        if let Some(g) = g {
                            slots.push(Slot::span(Content::Label(g), run, 1));
                        }
                    }
                    slots.push(Slot::span(
                        Content::Label(row.label),
                        1,
                        depth.saturating_sub(2),
                    ));
                } else {
                    slots.push(Slot::span(Content::Label(row.label), 1, depth - 1));
                }
            }
            _ => slots.push(Slot::span(Content::Label(row.label), 1, depth)),
        }
        for &c in cols {
            slots.push(Slot::new(
                t.cell_at(table.key, ri, c)
                    .map_or(Content::Empty, Content::Value),
            ));
        }
        rows.push(DrawnRow {
            kind: RowKind::Body,
            slots,
        });
    }

    let label_shares: &[f32] = match depth {
        3 => &[8.0, 11.0, 25.0],
        2 => &[10.0, 34.0],
        _ => &[44.0],
    };
    let mut col_widths = label_shares.to_vec();
    col_widths.resize(label_shares.len() + ncols, 56.0 / ncols as f32);
    Drawn {
        key: table.key,
        width: depth + ncols,
        rows,
        col_widths,
    }
}

/// Table 4: the template draws its rows as column groups — 行政复议 over its
/// five columns, 行政诉讼 over ten with 未经复议直接起诉 and 复议后起诉 over five
/// each — and one row of values.
fn draw_t4(t: &'static Template, table: &'static Table) -> Drawn {
    let ncols = table.columns.len();
    let grouped = table.rows.iter().any(|r| r.group.is_some());
    let head_rows = if grouped { 3 } else { 2 };
    let mut first = Vec::new();
    let mut second = Vec::new();
    let mut third = Vec::new();
    let mut r = 0;
    while r < table.rows.len() {
        match table.rows[r].group {
            None => {
                first.push(Slot::span(Content::Label(table.rows[r].label), 1, ncols));
                for col in &table.columns {
                    second.push(Slot::span(Content::Label(col.label), head_rows - 1, 1));
                }
                r += 1;
            }
            Some(g) => {
                let start = r;
                while r < table.rows.len() && table.rows[r].group == Some(g) {
                    second.push(Slot::span(Content::Label(table.rows[r].label), 1, ncols));
                    third.extend(
                        table
                            .columns
                            .iter()
                            .map(|c| Slot::new(Content::Label(c.label))),
                    );
                    r += 1;
                }
                first.push(Slot::span(Content::Label(g), 1, ncols * (r - start)));
            }
        }
    }
    let mut rows = vec![
        DrawnRow {
            kind: RowKind::Head,
            slots: first,
        },
        DrawnRow {
            kind: RowKind::Head,
            slots: second,
        },
    ];
    if grouped {
        rows.push(DrawnRow {
            kind: RowKind::Head,
            slots: third,
        });
    }
    let mut values = Vec::new();
    for ri in 0..table.rows.len() {
        for c in 0..ncols {
            values.push(Slot::new(
                t.cell_at(table.key, ri, c)
                    .map_or(Content::Empty, Content::Value),
            ));
        }
    }
    rows.push(DrawnRow {
        kind: RowKind::Body,
        slots: values,
    });
    let width = ncols * table.rows.len();
    Drawn {
        key: table.key,
        width,
        rows,
        col_widths: vec![100.0 / width.max(1) as f32; width],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_template::Edition;

    /// Every position of every drawn table is covered exactly once.
    #[test]
    fn drawn_tables_are_rectangular() {
        for e in Edition::ALL {
            let t = Template::get(e);
            for key in TableKey::ALL {
                let d = draw(t, key);
                let mut count = vec![vec![0u32; d.width]; d.rows.len()];
                let grid = d.expand();
                for (r, line) in grid.iter().enumerate() {
                    for (c, slot) in line.iter().enumerate() {
                        if let Some(s) = slot {
                            assert!(
                                r + s.rows <= d.rows.len() && c + s.cols <= d.width,
                                "{e} {key:?} {r} {c}"
                            );
                            for l in count.iter_mut().skip(r).take(s.rows) {
                                for x in l.iter_mut().skip(c).take(s.cols) {
                                    *x += 1;
                                }
                            }
                        }
                    }
                }
                assert!(
                    count.iter().flatten().all(|&n| n == 1),
                    "{e} {key:?}: {count:?}"
                );
                assert_eq!(d.col_widths.len(), d.width);
            }
        }
    }

    /// Each value cell of the template is drawn exactly once.
    #[test]
    fn every_cell_is_drawn_once() {
        for e in Edition::ALL {
            let t = Template::get(e);
            let mut seen = vec![0; t.cells.len()];
            for key in TableKey::ALL {
                for row in draw(t, key).rows {
                    for s in row.slots {
                        if let Content::Value(i) = s.content {
                            seen[i] += 1;
                        }
                    }
                }
            }
            assert!(seen.iter().all(|&n| n == 1), "{e}");
        }
    }

    /// Every covered position points at the start of a slot that covers it.
    #[test]
    fn origins_point_at_covering_slots() {
        for e in Edition::ALL {
            let t = Template::get(e);
            for key in TableKey::ALL {
                let d = draw(t, key);
                let grid = d.expand();
                for (r, line) in d.origins().iter().enumerate() {
                    for (c, o) in line.iter().enumerate() {
                        let (r0, c0) = o.expect("every position is covered");
                        let s = grid[r0][c0].expect("origin starts a slot");
                        assert!(r0 <= r && r < r0 + s.rows && c0 <= c && c < c0 + s.cols);
                    }
                }
            }
        }
    }

    #[test]
    fn table_widths_match_the_template() {
        let t = Template::get(Edition::V2021);
        assert_eq!(draw(t, TableKey::T2).width, 4);
        assert_eq!(draw(t, TableKey::T3).width, 10);
        assert_eq!(draw(t, TableKey::T4).width, 15);
        assert_eq!(draw(t, TableKey::T3).rows.len(), 3 + 25);
        assert_eq!(draw(t, TableKey::T4).rows.len(), 4);
    }
}
