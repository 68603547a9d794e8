//! Diagnostics: what a rule found, with the cells, their values and where they are.

use crate::{Num, Pos, Report};
use gongkai_template::CellIndex;
use serde::Serialize;
use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
        }
    }
    /// The word shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Level::Error => "错误",
            Level::Warning => "警告",
            Level::Info => "提示",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A cell a diagnostic is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellRef {
    pub address: String,
    /// The value read, if the cell has one.
    pub value: Option<Num>,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub level: Level,
    pub message: String,
    pub cells: Vec<CellRef>,
    /// The value the rule expected, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<Num>,
    /// Where in the source the finding is (the first cell, or the heading or label concerned).
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// For findings across reports: the other report involved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with the level of its rule.
    pub fn new(rule: &'static str, message: impl Into<String>) -> Diagnostic {
        let level = crate::rules::rule(rule)
            .map(|r| r.level)
            .unwrap_or(Level::Error);
        Diagnostic {
            rule,
            level,
            message: message.into(),
            cells: Vec::new(),
            expected: None,
            line: None,
            column: None,
            related: None,
        }
    }

    pub fn with_level(mut self, level: Level) -> Self {
        self.level = level;
        self
    }

    pub fn at(mut self, pos: Pos) -> Self {
        if pos.is_known() {
            self.line = Some(pos.line);
            self.column = Some(pos.column);
        }
        self
    }

    pub fn expected(mut self, value: Num) -> Self {
        self.expected = Some(value);
        self
    }

    pub fn related(mut self, source: impl Into<String>) -> Self {
        self.related = Some(source.into());
        self
    }

    /// Adds a cell of a report (with its value and position, if present).
    pub fn cell(mut self, report: &Report, index: CellIndex) -> Self {
        let address = report.template().cells[index].address.clone();
        let cell = report.cell_at(index);
        let pos = cell.and_then(|c| c.origin.pos());
        self.cells.push(CellRef {
            address,
            value: cell.map(|c| c.value),
            line: pos.map(|p| p.line),
            column: pos.map(|p| p.column),
        });
        if self.line.is_none() {
            if let Some(p) = pos {
                self.line = Some(p.line);
                self.column = Some(p.column);
            }
        }
        self
    }

    /// Adds a cell by address only (a cell the source lacks).
    pub fn cell_address(mut self, address: &str, pos: Option<Pos>) -> Self {
        self.cells.push(CellRef {
            address: address.to_string(),
            value: None,
            line: pos.map(|p| p.line),
            column: pos.map(|p| p.column),
        });
        self
    }

    pub fn pos(&self) -> Option<Pos> {
        Some(Pos::new(self.line?, self.column.unwrap_or(1)))
    }
}
