//! The `Report`: the cells of the national template, each with where it came from.

use gongkai_template::{text, CellIndex, Edition, SectionKey, TableKey, Template};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::fmt;

/// A position in a source file: 1-based line and column (in characters).
/// Zero means unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord, Hash, Serialize)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    pub const UNKNOWN: Pos = Pos { line: 0, column: 0 };
    pub fn new(line: u32, column: u32) -> Pos {
        Pos { line, column }
    }
    pub fn is_known(self) -> bool {
        self.line > 0
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// The value of a cell: a whole number, or an amount with decimals (万元).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    Int(i64),
    Dec(f64),
}

impl Num {
    pub fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Dec(d) => d,
        }
    }
    /// The whole number, if this is one (a decimal with no fraction counts).
    pub fn as_int(self) -> Option<i64> {
        match self {
            Num::Int(i) => Some(i),
            Num::Dec(d) if d.fract() == 0.0 && d.abs() < 9.0e15 => Some(d as i64),
            Num::Dec(_) => None,
        }
    }
    pub fn is_negative(self) -> bool {
        self.as_f64() < 0.0
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Num::Int(i) => write!(f, "{i}"),
            Num::Dec(d) => {
                // Shortest form that reads back to the same value.
                let s = format!("{d}");
                f.write_str(&s)
            }
        }
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            Num::Int(i) => s.serialize_i64(i),
            Num::Dec(d) => s.serialize_f64(d),
        }
    }
}

/// Where a cell's value came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// A place in the source file.
    Source(Pos),
    /// Computed from other records (a ledger), described in words.
    Derived(String),
}

impl Origin {
    pub fn pos(&self) -> Option<Pos> {
        match self {
            Origin::Source(p) if p.is_known() => Some(*p),
            _ => None,
        }
    }
}

/// One cell of a report.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub value: Num,
    pub origin: Origin,
    /// The source left the cell blank (or wrote "—", "/", "无"); read as 0.
    pub blank: bool,
}

impl Cell {
    pub fn at(value: Num, pos: Pos) -> Cell {
        Cell {
            value,
            origin: Origin::Source(pos),
            blank: false,
        }
    }
}

/// The text of one of the six sections.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionText {
    /// The heading as the source writes it.
    pub heading: String,
    /// Where the heading is.
    #[serde(skip)]
    pub pos: Pos,
    /// The paragraphs of the section (tables left out), one per line.
    pub text: String,
}

/// A report read into the cells of the national template.
#[derive(Debug, Clone)]
pub struct Report {
    /// The file (or other source) this report was read from.
    pub source: String,
    pub agency: Option<String>,
    pub year: Option<i32>,
    pub edition: Edition,
    /// The title line as the source writes it.
    pub title: Option<String>,
    /// One entry per cell of the template; `None` when the source lacks the cell.
    pub cells: Vec<Option<Cell>>,
    /// The six sections, in template order; `None` when missing.
    pub sections: [Option<SectionText>; 6],
    /// Where each table begins in the source, when found.
    pub tables: [Option<Pos>; 3],
    /// The period the statistics cover, as stated in the text, if stated (year).
    pub stated_period_year: Option<i32>,
    pub diagnostics: Vec<crate::Diagnostic>,
    /// For a PDF: the first line of each page, positions being lines counted
    /// through the document (empty otherwise). See [`Report::page_of`].
    pub pages: Vec<u32>,
}

impl Report {
    /// An empty report: no cells, no sections.
    pub fn new(source: impl Into<String>, edition: Edition) -> Report {
        Report {
            source: source.into(),
            agency: None,
            year: None,
            edition,
            title: None,
            cells: vec![None; Template::get(edition).cells.len()],
            sections: Default::default(),
            tables: [None; 3],
            stated_period_year: None,
            diagnostics: Vec::new(),
            pages: Vec::new(),
        }
    }

    /// The page and the line on it of a line counted through a PDF (both
    /// 1-based); `None` for formats with lines of their own.
    pub fn page_of(&self, line: u32) -> Option<(u32, u32)> {
        let page = self.pages.partition_point(|&start| start <= line);
        let start = *self.pages.get(page.checked_sub(1)?)?;
        Some((page as u32, line - start + 1))
    }

    pub fn template(&self) -> &'static Template {
        Template::get(self.edition)
    }

    pub fn cell(&self, address: &str) -> Option<&Cell> {
        let i = self.template().cell_index(address)?;
        self.cells[i].as_ref()
    }

    pub fn value(&self, address: &str) -> Option<Num> {
        self.cell(address).map(|c| c.value)
    }

    /// Sets a cell by address. Returns false when the template has no such cell.
    pub fn set(&mut self, address: &str, value: Num, origin: Origin) -> bool {
        match self.template().cell_index(address) {
            Some(i) => {
                self.cells[i] = Some(Cell {
                    value,
                    origin,
                    blank: false,
                });
                true
            }
            None => false,
        }
    }

    pub fn cell_at(&self, index: CellIndex) -> Option<&Cell> {
        self.cells.get(index).and_then(|c| c.as_ref())
    }

    pub fn value_by_keys(&self, table: TableKey, row: &str, column: &str) -> Option<Num> {
        let i = self.template().cell_by_keys(table, row, column)?;
        self.cell_at(i).map(|c| c.value)
    }

    pub fn section(&self, key: SectionKey) -> Option<&SectionText> {
        self.sections[key.index()].as_ref()
    }

    /// Present cells with their addresses, in template order.
    pub fn present_cells(&self) -> impl Iterator<Item = (&'static str, &Cell)> + '_ {
        let t = self.template();
        self.cells
            .iter()
            .enumerate()
            .filter_map(move |(i, c)| c.as_ref().map(|c| (t.cells[i].address.as_str(), c)))
    }

    /// The agency name in the form used to match reports of one agency across years.
    pub fn agency_key(&self) -> Option<String> {
        self.agency.as_deref().map(normalize_agency)
    }

    /// The cells as a JSON object from address to number, in template order.
    pub fn cells_json(&self) -> CellsJson<'_> {
        CellsJson(self)
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.level == crate::Level::Error)
    }
}

/// Serializes a report's present cells as a flat object.
pub struct CellsJson<'a>(&'a Report);

impl Serialize for CellsJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        for (address, cell) in self.0.present_cells() {
            map.serialize_entry(address, &cell.value)?;
        }
        map.end()
    }
}

/// The canonical form of an agency name: widths folded, spacing and punctuation dropped.
pub fn normalize_agency(name: &str) -> String {
    text::normalize_keep_numbering(name)
}
