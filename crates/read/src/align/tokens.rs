//! Table rows as tokens: labels, numbers and blanks, each with its position.

use crate::doc::{Pos, TableCell};
use compact_str::CompactString;
use gongkai_report::Num;
use gongkai_template::text::{fold_char, numbering_len};

/// A unit written in a cell ("251000元", "3件").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    None,
    Yuan,
    WanYuan,
    Count,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Label,
    Value(Num, Unit),
    /// An empty cell, or "—", "-", "/", "无".
    Blank,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tok {
    /// The text as written (short texts are stored inline, without allocating).
    pub text: CompactString,
    pub pos: Pos,
    pub kind: Kind,
    /// The grid column the token's cell starts in, when the source has cells
    /// and the cell holds this one token (a cell of several figures has none).
    pub col: Option<u16>,
}

impl Tok {
    pub fn is_label(&self) -> bool {
        self.kind == Kind::Label
    }
    pub fn is_value_like(&self) -> bool {
        !self.is_label()
    }
    /// An empty field: the span of a neighbouring cell, not data. ("—" is data: a blank.)
    pub fn is_layout_blank(&self) -> bool {
        self.kind == Kind::Blank && self.text.is_empty()
    }
}

/// The tokens without the empty fields at the start.
pub fn trim_layout_start(toks: &[Tok]) -> &[Tok] {
    let start = toks
        .iter()
        .position(|t| !t.is_layout_blank())
        .unwrap_or(toks.len());
    &toks[start..]
}

/// The tokens without the empty fields at either end.
pub fn trim_layout(toks: &[Tok]) -> &[Tok] {
    let toks = trim_layout_start(toks);
    let end = toks
        .iter()
        .rposition(|t| !t.is_layout_blank())
        .map_or(0, |e| e + 1);
    &toks[..end]
}

/// One row of a table region, as tokens.
#[derive(Debug, Clone)]
pub struct RowToks {
    pub toks: Vec<Tok>,
    pub pos: Pos,
    /// Index of the item (line) this row came from.
    pub item: usize,
    /// A label follows a number: a sentence, not a table row.
    pub prose: bool,
    /// The row is a row of table cells laid out on a grid (columns are known).
    pub grid: bool,
    /// The row was cut out of a line whose cells were glued together: its
    /// figures may be glued too.
    pub glued: bool,
    /// The document table the row belongs to (grid columns compare within one).
    pub table: u32,
}

impl RowToks {
    pub fn has_values(&self) -> bool {
        self.toks.iter().any(|t| matches!(t.kind, Kind::Value(..)))
    }
    pub fn has_labels(&self) -> bool {
        self.toks.iter().any(Tok::is_label)
    }
    pub fn all_blank(&self) -> bool {
        self.toks.iter().all(|t| t.kind == Kind::Blank)
    }
    /// All label text, joined.
    pub fn label_text(&self) -> String {
        let mut s = String::new();
        for t in self.toks.iter().filter(|t| t.is_label()) {
            s.push_str(&t.text);
        }
        s
    }
}

fn is_blank_mark(s: &str) -> bool {
    matches!(
        s,
        "-" | "--" | "---" | "/" | "无" | "…" | "……" | "\\" | "x" | "X" | "×"
    )
}

/// Parses a cell's text as a number, a blank, or neither (None).
pub fn parse_value(raw: &str) -> Option<Kind> {
    // Fast path: plain ASCII digits, the usual cell.
    let trimmed = raw.trim();
    if !trimmed.is_empty() && trimmed.len() <= 18 && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return trimmed
            .parse()
            .ok()
            .map(|v| Kind::Value(Num::Int(v), Unit::None));
    }
    // Fast path: text that cannot start a number or a blank mark.
    match trimmed.chars().next().map(fold_char) {
        None => return Some(Kind::Blank),
        Some(c)
            if c.is_ascii_digit()
                || matches!(c, '-' | '+' | '/' | '无' | '…' | '\\' | 'x' | 'X' | '×') => {}
        Some(_) => return None,
    }
    // Text with a character no number, unit or blank mark has ("1.属于…").
    if !trimmed.chars().map(fold_char).all(|c| {
        c.is_ascii_digit()
            || c.is_whitespace()
            || matches!(
                c,
                '-' | '+' | '.' | ',' | '/' | '\\' | 'x' | 'X' | '×' | '无' | '…'
            )
            || "万元件项个条次宗份".contains(c)
    }) {
        return None;
    }
    let mut s = String::with_capacity(raw.len());
    for c in raw.trim().chars() {
        s.push(fold_char(c));
    }
    let s = s.trim();
    // Spaces inside: separate cells ("0 0 0"), unless only before a unit ("3 件").
    let s: String = match s.split_whitespace().collect::<Vec<_>>().as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [num, unit]
            if matches!(
                *unit,
                "万元" | "元" | "件" | "项" | "个" | "条" | "次" | "宗" | "份"
            ) =>
        {
            format!("{num}{unit}")
        }
        _ => return None,
    };
    if s.is_empty() || is_blank_mark(&s) {
        return Some(Kind::Blank);
    }
    let mut unit = Unit::None;
    let mut body = s.as_str();
    for (suffix, u) in [
        ("万元", Unit::WanYuan),
        ("元", Unit::Yuan),
        ("件", Unit::Count),
        ("项", Unit::Count),
        ("个", Unit::Count),
        ("条", Unit::Count),
        ("次", Unit::Count),
        ("宗", Unit::Count),
        ("份", Unit::Count),
    ] {
        if let Some(b) = body.strip_suffix(suffix) {
            body = b;
            unit = u;
            break;
        }
    }
    let (negative, digits) = match body.as_bytes().first() {
        Some(b'-') => (true, &body[1..]),
        Some(b'+') => (false, &body[1..]),
        _ => (false, body),
    };
    if digits.is_empty() || !digits.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    let (int_part, frac_part) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    if let Some(f) = frac_part {
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let plain: String = if int_part.contains(',') {
        // Thousands separators must be in the right places: 1,204 / 12,345,678.
        let groups: Vec<&str> = int_part.split(',').collect();
        let ok = !groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3)
            && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
        if !ok {
            return None;
        }
        groups.concat()
    } else {
        if !int_part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        int_part.to_string()
    };
    let num = match frac_part {
        None => {
            let v: i64 = plain.parse().ok()?;
            Num::Int(if negative { -v } else { v })
        }
        Some(f) => {
            let v: f64 = format!("{plain}.{f}").parse().ok()?;
            if !v.is_finite() {
                return None;
            }
            Num::Dec(if negative { -v } else { v })
        }
    };
    Some(Kind::Value(num, unit))
}

/// Is this whitespace-separated part only an enumeration mark ("1.", "(一)")?
fn is_only_numbering(part: &str) -> bool {
    let n = numbering_len(part);
    n > 0 && n == part.len()
}

/// Appends the tokens of one cell.
pub fn tokenize_cell(text: &str, pos: Pos, col: Option<u16>, out: &mut Vec<Tok>) {
    let t = text.trim_matches(|c: char| c.is_whitespace());
    if t.is_empty() {
        out.push(Tok {
            text: CompactString::default(),
            pos,
            kind: Kind::Blank,
            col,
        });
        return;
    }
    let lead = text.chars().take_while(|c| c.is_whitespace()).count() as u32;
    if let Some(kind) = parse_value(t) {
        out.push(Tok {
            text: CompactString::from(t),
            pos: Pos::new(pos.line, pos.column + lead),
            kind,
            col,
        });
        return;
    }
    // Split into whitespace-separated parts with their character offsets.
    let mut parts: Vec<(u32, &str)> = Vec::new();
    let mut start: Option<(usize, u32)> = None;
    let mut chars = 0u32;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some((s, cs)) = start.take() {
                parts.push((cs, &text[s..i]));
            }
        } else if start.is_none() {
            start = Some((i, chars));
        }
        chars += 1;
    }
    if let Some((s, cs)) = start {
        parts.push((cs, &text[s..]));
    }
    let mut label: Option<Tok> = None;
    for (offset, part) in parts {
        let p = Pos::new(pos.line, pos.column + offset);
        let kind = if is_only_numbering(part) {
            None
        } else {
            parse_value(part)
        };
        match kind {
            Some(kind) => {
                if let Some(l) = label.take() {
                    out.push(l);
                }
                out.push(Tok {
                    text: CompactString::from(part),
                    pos: p,
                    kind,
                    col: None,
                });
            }
            None => match &mut label {
                Some(l) if !(numbering_len(part) > 0 && !is_only_numbering(&l.text)) => {
                    l.text.push(' ');
                    l.text.push_str(part);
                }
                _ => {
                    if let Some(l) = label.take() {
                        out.push(l);
                    }
                    label = Some(Tok {
                        text: CompactString::from(part),
                        pos: p,
                        kind: Kind::Label,
                        col: None,
                    });
                }
            },
        }
    }
    if let Some(l) = label {
        out.push(l);
    }
}

/// Tokens of a table row; `cols` are the grid columns its cells start in.
pub fn tokenize_cells(cells: &[TableCell], cols: Option<&[u16]>, item: usize) -> RowToks {
    let mut toks = Vec::with_capacity(cells.len());
    for (i, c) in cells.iter().enumerate() {
        let col = cols.and_then(|cs| cs.get(i).copied());
        let before = toks.len();
        tokenize_cell(&c.text, c.pos, col, &mut toks);
        // A cell read as one token: the token has the cell's column. A cell
        // read as several: its column belongs to its first label only;
        // figures inside it have no column of their own.
        if toks.len() == before + 1 {
            toks[before].col = col;
        } else if toks.len() > before + 1 {
            for t in &mut toks[before..] {
                if !t.is_label() {
                    t.col = None;
                }
            }
            if let Some(first) = toks[before..].iter_mut().find(|t| t.is_label()) {
                first.col = col;
            }
        }
    }
    let mut row = finish(toks, cells.first().map_or(Pos::UNKNOWN, |c| c.pos), item);
    row.grid = cols.is_some();
    row
}

/// Tokens of a line of text (no cells: split on spaces).
pub fn tokenize_line(text: &str, pos: Pos, item: usize) -> RowToks {
    let mut toks = Vec::new();
    tokenize_cell(text, pos, None, &mut toks);
    finish(toks, pos, item)
}

pub(crate) fn finish(toks: Vec<Tok>, pos: Pos, item: usize) -> RowToks {
    let mut seen_value = false;
    let mut prose = false;
    for t in &toks {
        match t.kind {
            Kind::Value(..) => seen_value = true,
            Kind::Label if seen_value => prose = true,
            _ => {}
        }
    }
    RowToks {
        toks,
        pos,
        item,
        prose,
        grid: false,
        glued: false,
        table: u32::MAX,
    }
}

/// "- 4 -", "—4—", "第 4 页", "4/6": a page number that fell inside a table.
pub fn is_page_number(text: &str) -> bool {
    let s: String = text
        .chars()
        .map(fold_char)
        .filter(|c| !c.is_whitespace())
        .collect();
    if s.is_empty() {
        return false;
    }
    let inner = s.trim_matches('-');
    let dashed = inner.len() < s.len() && s.starts_with('-') && s.ends_with('-');
    if dashed && !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    if let Some(rest) = s.strip_prefix('第').and_then(|r| r.strip_suffix('页')) {
        return !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit());
    }
    if let Some((a, b)) = s.split_once('/') {
        return !a.is_empty()
            && !b.is_empty()
            && a.len() <= 3
            && b.len() <= 3
            && a.bytes().all(|x| x.is_ascii_digit())
            && b.bytes().all(|x| x.is_ascii_digit());
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Option<Kind> {
        parse_value(s)
    }

    #[test]
    fn numbers() {
        assert_eq!(v("1,204"), Some(Kind::Value(Num::Int(1204), Unit::None)));
        assert_eq!(v("1，204"), Some(Kind::Value(Num::Int(1204), Unit::None)));
        assert_eq!(v("１２"), Some(Kind::Value(Num::Int(12), Unit::None)));
        assert_eq!(
            v("251000元"),
            Some(Kind::Value(Num::Int(251000), Unit::Yuan))
        );
        assert_eq!(v("0.35"), Some(Kind::Value(Num::Dec(0.35), Unit::None)));
        assert_eq!(v("-3"), Some(Kind::Value(Num::Int(-3), Unit::None)));
        assert_eq!(v("—"), Some(Kind::Blank));
        assert_eq!(v("无"), Some(Kind::Blank));
        assert_eq!(v(""), Some(Kind::Blank));
        assert_eq!(v("12,34"), None);
        assert_eq!(v("1."), None);
        assert_eq!(v("1、"), None);
        assert_eq!(v("若干"), None);
    }

    #[test]
    fn cells_split_into_labels_and_values() {
        let mut out = Vec::new();
        tokenize_cell(
            "（三）不予公开 1. 属于国家秘密 0 0 — 3",
            Pos::new(1, 1),
            None,
            &mut out,
        );
        let texts: Vec<&str> = out.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            ["（三）不予公开", "1. 属于国家秘密", "0", "0", "—", "3"]
        );
        assert_eq!(out[5].pos, Pos::new(1, 25));
        let mut out = Vec::new();
        tokenize_cell("结果 维持", Pos::new(1, 1), None, &mut out);
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn page_numbers() {
        assert!(is_page_number("- 4 -"));
        assert!(is_page_number("—4—"));
        assert!(is_page_number("第 4 页"));
        assert!(!is_page_number("4"));
        assert!(!is_page_number("-4"));
    }
}
