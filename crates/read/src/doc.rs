//! The document model every format reader produces: a sequence of blocks
//! (headings, paragraphs, tables), each with its position in the source.
//! Readers know formats, not the template.

pub use gongkai_report::Pos;

/// A document as read from a file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub blocks: Vec<Block>,
    /// For a PDF, whose positions are lines counted through the document:
    /// the first such line of each page (empty for formats with lines of
    /// their own).
    pub pages: Vec<u32>,
    /// What the reader noticed and recovered from (encoding guessed, unclosed
    /// tags …), in Chinese, with where.
    pub notes: Vec<ReadNote>,
}

/// Something a reader recovered from.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadNote {
    pub message: String,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading. `level` is 1–6 when the format says it (Markdown `#`,
    /// HTML `<h2>`), 0 when the reader only guessed it is a heading.
    Heading {
        level: u8,
        text: String,
        pos: Pos,
    },
    /// A paragraph or a line of text.
    Paragraph {
        text: String,
        pos: Pos,
    },
    Table(Table),
}

impl Block {
    pub fn pos(&self) -> Pos {
        match self {
            Block::Heading { pos, .. } | Block::Paragraph { pos, .. } => *pos,
            Block::Table(t) => t.pos,
        }
    }
    /// The text of a heading or paragraph; None for a table.
    pub fn text(&self) -> Option<&str> {
        match self {
            Block::Heading { text, .. } | Block::Paragraph { text, .. } => Some(text),
            Block::Table(_) => None,
        }
    }
}

/// A table as it is written: rows of cells in source order. A cell that spans
/// rows or columns appears once, in the row where it starts, with its spans.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub rows: Vec<Vec<TableCell>>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableCell {
    /// The text of the cell; line breaks inside the cell (`<br>`) become '\n'.
    pub text: String,
    pub pos: Pos,
    pub row_span: u32,
    pub col_span: u32,
}

impl TableCell {
    pub fn new(text: impl Into<String>, pos: Pos) -> TableCell {
        TableCell {
            text: text.into(),
            pos,
            row_span: 1,
            col_span: 1,
        }
    }
}

/// A table laid out on a rectangular grid: `slots[r][c]` names the cell
/// (row, index within that row) covering that slot, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub slots: Vec<Vec<Option<(usize, usize)>>>,
    pub width: usize,
}

impl Table {
    /// Lays the cells out on a grid, honouring row and column spans.
    /// Spans are capped so that hostile input cannot allocate without bound.
    pub fn grid(&self) -> Grid {
        const MAX_SPAN: usize = 1000;
        // The grid never holds more than about four million slots, whatever
        // the spans say: rows are not laid out wider than this.
        let max_width = (4_000_000 / self.rows.len().max(1)).clamp(1, 4096);
        if self
            .rows
            .iter()
            .flatten()
            .all(|c| c.row_span <= 1 && c.col_span <= 1)
        {
            // No spans (text and Markdown tables): each cell in its own column.
            let width = self
                .rows
                .iter()
                .map(|r| r.len().min(max_width))
                .max()
                .unwrap_or(0);
            let slots = self
                .rows
                .iter()
                .enumerate()
                .map(|(r, row)| {
                    (0..width)
                        .map(|i| (i < row.len()).then_some((r, i)))
                        .collect()
                })
                .collect();
            return Grid { slots, width };
        }
        let mut slots: Vec<Vec<Option<(usize, usize)>>> = vec![Vec::new(); self.rows.len()];
        for (r, row) in self.rows.iter().enumerate() {
            let mut c = 0;
            for (i, cell) in row.iter().enumerate() {
                while slots[r].get(c).is_some_and(|s| s.is_some()) {
                    c += 1;
                }
                if c >= max_width {
                    break;
                }
                let rs = (cell.row_span.max(1) as usize).min(MAX_SPAN);
                let cs = (cell.col_span.max(1) as usize)
                    .min(MAX_SPAN)
                    .min(max_width - c);
                for rr in r..(r + rs).min(self.rows.len()) {
                    let line = &mut slots[rr];
                    if line.len() < c + cs {
                        line.resize(c + cs, None);
                    }
                    for slot in &mut line[c..c + cs] {
                        if slot.is_none() {
                            *slot = Some((r, i));
                        }
                    }
                }
                c += cs;
            }
        }
        let width = slots.iter().map(Vec::len).max().unwrap_or(0);
        for line in &mut slots {
            line.resize(width, None);
        }
        Grid { slots, width }
    }
}

/// A reader's failure: the input could not be read at all.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadError {
    /// What went wrong, in Chinese.
    pub message: String,
    pub pos: Option<Pos>,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.pos {
            Some(p) => write!(f, "{}（第 {} 行）", self.message, p.line),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ReadError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_honours_spans() {
        let p = Pos::new(1, 1);
        let mut a = TableCell::new("a", p);
        a.row_span = 2;
        let mut b = TableCell::new("b", p);
        b.col_span = 2;
        let t = Table {
            rows: vec![
                vec![a, b],
                vec![TableCell::new("c", p), TableCell::new("d", p)],
            ],
            pos: p,
        };
        let g = t.grid();
        assert_eq!(g.width, 3);
        assert_eq!(g.slots[0], vec![Some((0, 0)), Some((0, 1)), Some((0, 1))]);
        assert_eq!(g.slots[1], vec![Some((0, 0)), Some((1, 0)), Some((1, 1))]);
    }

    #[test]
    fn hostile_spans_stay_bounded() {
        let p = Pos::new(1, 1);
        let mut cell = TableCell::new("x", p);
        cell.row_span = 1000;
        cell.col_span = 1000;
        let t = Table {
            rows: vec![vec![cell.clone(); 50]; 3000],
            pos: p,
        };
        let g = t.grid();
        assert!(g.width * g.slots.len() <= 4_000_000);
        assert_eq!(g.slots.len(), 3000);
    }
}
