//! Collection sheets: a supervisor's workbook with one report per row.
//!
//! A sheet is a collection sheet when its header names template cells
//! across columns, either
//!
//! * by **address**: a header row with at least three cell addresses
//!   (`t3.granted.total` …), as `gongkai export --to xlsx` writes it under
//!   its label rows; or
//! * by **label**: a header (one row, or several with merged cells) under an
//!   agency column (机关名称, 单位名称 …) whose columns resolve to at least
//!   three cells. A column's labels are read from every header row above it
//!   (a merged label counts for every column it covers) and may also be
//!   joined in one cell ("予以公开-总计", "表三/（三）不予公开/1.属于国家秘密/自然人").
//!   Each part must match a label of the cell — its table, group, row or
//!   column — the way report labels are matched: exactly after
//!   normalisation, or within a typo budget (GK004). Units in brackets
//!   ("（万元）") are ignored.
//!
//! Other columns: 机关名称/单位名称 (the agency), 年度 (the year), 版本
//! (the template edition: 2021 or 2019, or the document's number), 错误 and
//! 警告 (ignored: the rules are run again), 来源, 序号, 备注 (ignored).
//!
//! Every data row becomes a [`Report`] named `{file}#第{row}行（{agency}）`,
//! its cells at (row, column) of the sheet. A blank cell is absent (not
//! zero); a value that is not a number is GK005 naming the row, the column
//! and what was expected; "—", "/", "无" read as 0 (GK006). A row whose
//! agency reads 合计, 总计 or 小计 is a sum, not a report, and is skipped.
//! The single-report rules run on every report.

use crate::align::tokens::{parse_value, Kind, Unit};
use crate::xlsx::{column_name, Sheet, Value, Workbook};
use gongkai_report::rules::{GK002, GK003, GK004, GK005, GK006, GK008};
use gongkai_report::{Cell, Diagnostic, Level, Num, Origin, Pos, Report};
use gongkai_template::text::{edit_distance, normalize, typo_budget};
use gongkai_template::{
    table_name, CellIndex, Edition, TableKey, Template, ValueKind, T3_APPLICANTS, T3_RESULTS,
};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Rows searched for the header.
const HEADER_SCAN: u32 = 40;
/// A collection header resolves at least this many cells.
const MIN_CELLS: usize = 3;
/// Most parts a column's header is split into.
const MAX_PARTS: usize = 8;

/// A column that is not a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meta {
    Agency,
    Year,
    Edition,
    Errors,
    Warnings,
    Ignored,
}

fn meta_of(text: &str) -> Option<Meta> {
    let key = normalize(text).to_lowercase();
    let key = key.as_str();
    Some(match key {
        "机关名称" | "单位名称" | "机关" | "单位" | "填报单位" | "报告机关" | "行政机关"
        | "机关单位" | "部门名称" | "部门" | "名称" | "机关单位名称" | "单位机关名称"
        | "agency" => Meta::Agency,
        "年度" | "年份" | "报告年度" | "统计年度" | "year" => Meta::Year,
        "版本" | "模板版本" | "模板" | "报告类型" | "格式版本" | "template" | "edition" => {
            Meta::Edition
        }
        "错误" | "错误数" | "errors" => Meta::Errors,
        "警告" | "警告数" | "warnings" => Meta::Warnings,
        "来源" | "来源文件" | "文件" | "source" | "序号" | "编号" | "备注" => {
            Meta::Ignored
        }
        _ => return None,
    })
}

// ---------------------------------------------------------------------------
// Labels of cells.

/// One role a header part may play for a cell: any of these labels.
#[derive(Debug)]
struct Role {
    ids: Vec<usize>,
    required: bool,
}

/// The labels a header may use for the cells of one edition.
#[derive(Debug)]
struct Labels {
    /// Normalised label texts; an id is an index here.
    keys: Vec<String>,
    /// The template's wording of each id.
    words: Vec<&'static str>,
    index: HashMap<String, usize>,
    cells: Vec<Vec<Role>>,
}

/// The compared form of a label: normalised, unit brackets dropped.
fn key_of(s: &str) -> String {
    normalize(&strip_units(s))
}

/// Drops bracketed units: "（万元）", "(单位：件)".
fn strip_units(s: &str) -> String {
    let mut out = s.to_string();
    for (open, close) in [('（', '）'), ('(', ')')] {
        while let Some(a) = out.find(open) {
            let Some(len) = out[a..].find(close) else {
                break;
            };
            let inner = &out[a + open.len_utf8()..a + len];
            let unit = inner.contains("万元")
                || inner.contains("单位")
                || matches!(inner.trim(), "元" | "件" | "个" | "项" | "次" | "条");
            if !unit {
                break;
            }
            out.replace_range(a..a + len + close.len_utf8(), "");
        }
    }
    out
}

impl Labels {
    fn get(edition: Edition) -> &'static Labels {
        static L: OnceLock<[Labels; 2]> = OnceLock::new();
        let all = L.get_or_init(|| [Labels::build(Edition::V2021), Labels::build(Edition::V2019)]);
        match edition {
            Edition::V2021 => &all[0],
            Edition::V2019 => &all[1],
        }
    }

    fn id(&mut self, label: &'static str) -> Vec<usize> {
        let mut out = Vec::new();
        let mut forms = vec![key_of(label)];
        // "（二）部分公开（区分处理的…）" is often written "部分公开".
        let bare = gongkai_template::text::strip_numbering(label);
        if let Some(a) = bare.find(['（', '(']).filter(|&a| a > 0) {
            let head = normalize(&bare[..a]);
            if !head.is_empty() {
                forms.push(head);
            }
        }
        for key in forms {
            if key.is_empty() {
                continue;
            }
            let id = match self.index.get(&key) {
                Some(&i) => i,
                None => {
                    self.keys.push(key.clone());
                    self.words.push(label);
                    self.index.insert(key, self.keys.len() - 1);
                    self.keys.len() - 1
                }
            };
            if !out.contains(&id) {
                out.push(id);
            }
        }
        out
    }

    fn build(edition: Edition) -> Labels {
        let t = Template::get(edition);
        let mut l = Labels {
            keys: Vec::new(),
            words: Vec::new(),
            index: HashMap::new(),
            cells: Vec::new(),
        };
        let mut aliases: HashMap<TableKey, Vec<usize>> = HashMap::new();
        for table in &t.tables {
            let section = t.section(table.section);
            let mut ids = Vec::new();
            let numbered: &'static str = match table.key {
                TableKey::T2 => "表2",
                TableKey::T3 => "表3",
                TableKey::T4 => "表4",
            };
            let joined: &'static str =
                Box::leak(format!("{}{}", table_name(table.key), table.title).into_boxed_str());
            for a in [
                table_name(table.key),
                numbered,
                table.title,
                section.title,
                joined,
            ] {
                ids.extend(l.id(a));
            }
            for v in section.variants {
                ids.extend(l.id(v));
            }
            for n in table.header_notes {
                ids.extend(l.id(n));
            }
            aliases.insert(table.key, ids);
        }
        for def in &t.cells {
            let table = t.table(def.table);
            let row = &table.rows[def.row];
            let col = &table.columns[def.column];
            let mut roles = vec![
                Role {
                    ids: l.id(row.label),
                    required: true,
                },
                Role {
                    ids: l.id(col.label),
                    required: row.columns.len() > 1,
                },
                Role {
                    ids: aliases[&def.table].clone(),
                    required: false,
                },
            ];
            for g in [row.group, row.clause, col.group].into_iter().flatten() {
                roles.push(Role {
                    ids: l.id(g),
                    required: false,
                });
            }
            if def.table == TableKey::T3 {
                if row.group.is_some() && row.group != Some(T3_RESULTS) {
                    roles.push(Role {
                        ids: l.id(T3_RESULTS),
                        required: false,
                    });
                }
                roles.push(Role {
                    ids: l.id(T3_APPLICANTS),
                    required: false,
                });
            }
            l.cells.push(roles);
        }
        l
    }

    /// The labels a part matches: (id, whether only within the typo budget).
    fn matches(&self, part: &str) -> Vec<(usize, bool)> {
        let key = key_of(part);
        if key.is_empty() {
            return Vec::new();
        }
        if let Some(&id) = self.index.get(&key) {
            return vec![(id, false)];
        }
        let len = key.chars().count();
        if len > 80 {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (id, label) in self.keys.iter().enumerate() {
            let llen = label.chars().count();
            let budget = typo_budget(llen);
            if llen < 2 || llen.abs_diff(len) > budget {
                continue;
            }
            if edit_distance(&key, label) <= budget {
                out.push((id, true));
            }
        }
        out
    }
}

/// The least number of typos with which the parts can each take a distinct
/// role of the cell, every required role taken; None when they cannot.
fn fit(parts: &[Vec<(usize, bool)>], roles: &[Role]) -> Option<usize> {
    fn go(
        k: usize,
        parts: &[Vec<(usize, bool)>],
        roles: &[Role],
        used: &mut Vec<bool>,
        cost: usize,
        best: &mut Option<usize>,
    ) {
        if best.is_some_and(|b| cost >= b) {
            return;
        }
        if k == parts.len() {
            if roles
                .iter()
                .zip(used.iter())
                .all(|(r, &u)| u || !r.required)
            {
                *best = Some(cost);
            }
            return;
        }
        for (ri, role) in roles.iter().enumerate() {
            if used[ri] {
                continue;
            }
            let m = parts[k]
                .iter()
                .filter(|(id, _)| role.ids.contains(id))
                .map(|&(_, typo)| usize::from(typo))
                .min();
            if let Some(c) = m {
                used[ri] = true;
                go(k + 1, parts, roles, used, cost + c, best);
                used[ri] = false;
            }
        }
    }
    let mut best = None;
    let mut used = vec![false; roles.len()];
    go(0, parts, roles, &mut used, 0, &mut best);
    best
}

/// Splits a header text into parts: the whole text when it is a label,
/// else its pieces between separators.
fn parts_of(text: &str, labels: &Labels) -> Vec<String> {
    let t = text.trim();
    if t.is_empty() {
        return Vec::new();
    }
    if labels.index.contains_key(&key_of(t)) {
        return vec![t.to_string()];
    }
    t.split([
        '-', '—', '－', '–', '/', '／', '|', '｜', '·', '・', '•', '_', '>', '＞', '→', '\n', '：',
        ':', '\\',
    ])
    .map(str::trim)
    .filter(|p| !key_of(p).is_empty())
    .map(str::to_string)
    .collect()
}

/// Which cell a column's header texts name, with the typos read through
/// (the part as written, the template's label). Err(()) when the texts
/// name no cell or more than one equally well.
#[allow(clippy::type_complexity)]
fn resolve(
    texts: &[String],
    edition: Edition,
) -> Result<(CellIndex, Vec<(String, &'static str)>), ()> {
    let labels = Labels::get(edition);
    let parts: Vec<String> = texts.iter().flat_map(|t| parts_of(t, labels)).collect();
    if parts.is_empty() || parts.len() > MAX_PARTS {
        return Err(());
    }
    let matched: Vec<Vec<(usize, bool)>> = parts.iter().map(|p| labels.matches(p)).collect();
    if matched.iter().any(Vec::is_empty) {
        return Err(());
    }
    let mut best: Option<(usize, CellIndex)> = None;
    let mut tie = false;
    for (i, roles) in labels.cells.iter().enumerate() {
        if let Some(cost) = fit(&matched, roles) {
            match best {
                Some((b, _)) if cost > b => {}
                Some((b, _)) if cost == b => tie = true,
                _ => {
                    best = Some((cost, i));
                    tie = false;
                }
            }
        }
    }
    match best {
        Some((cost, i)) if !tie => {
            let mut typos = Vec::new();
            if cost > 0 {
                for (p, m) in parts.iter().zip(&matched) {
                    if let Some(&(id, _)) = m.iter().find(|(_, typo)| *typo) {
                        if !m.iter().any(|(_, typo)| !typo) {
                            typos.push((p.clone(), labels.words[id]));
                        }
                    }
                }
            }
            Ok((i, typos))
        }
        _ => Err(()),
    }
}

// ---------------------------------------------------------------------------
// The header.

/// What a column of the sheet holds.
#[derive(Debug, Clone, Default)]
struct ColumnMap {
    meta: Option<Meta>,
    /// The cell per edition (2021, 2019), if any.
    cell: [Option<CellIndex>; 2],
    /// Typos read through, per edition.
    typos: [Vec<(String, &'static str)>; 2],
    /// The header as written (for messages).
    heading: String,
}

fn ed_index(e: Edition) -> usize {
    match e {
        Edition::V2021 => 0,
        Edition::V2019 => 1,
    }
}

/// The header of a collection sheet.
#[derive(Debug)]
struct Layout {
    /// 0-based rows of the header (inclusive).
    first: u32,
    last: u32,
    columns: HashMap<u32, ColumnMap>,
    /// The edition most columns resolve in.
    edition: Edition,
    /// Header texts that name no cell: (column, text).
    unknown: Vec<(u32, String)>,
    /// Columns naming a cell another column already names: (column, first column).
    duplicates: Vec<(u32, u32)>,
}

/// The texts over a column in the header rows, each merged region once.
fn column_texts(sheet: &Sheet, first: u32, last: u32, c: u32) -> Vec<String> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for r in first..=last {
        let o = sheet.origin(r, c);
        if seen.contains(&o) {
            continue;
        }
        seen.push(o);
        if let Some(v) = sheet.cells.get(&o) {
            let t = v.shown();
            if !t.trim().is_empty() {
                out.push(t.trim().to_string());
            }
        }
    }
    out
}

fn is_address(text: &str) -> bool {
    let t = text.trim();
    t.starts_with('t')
        && Edition::ALL
            .iter()
            .any(|&e| Template::get(e).cell_index(t).is_some())
}

fn is_number_like(v: &Value) -> bool {
    match v {
        Value::Number(_) => true,
        Value::Text(s) => matches!(parse_value(s), Some(Kind::Value(..))),
    }
}

/// Finds the header of a collection sheet, if the sheet is one.
fn layout(sheet: &Sheet) -> Option<Layout> {
    let rows = sheet.rows();
    let head: Vec<&(u32, Vec<(u32, &Value)>)> =
        rows.iter().take_while(|(r, _)| *r < HEADER_SCAN).collect();
    // By address.
    if let Some((ar, cells)) = head.iter().find(|(_, cells)| {
        cells
            .iter()
            .filter(|(_, v)| matches!(v, Value::Text(s) if is_address(s)))
            .count()
            >= MIN_CELLS
    }) {
        let first = header_top(sheet, &rows, *ar);
        let mut columns: HashMap<u32, ColumnMap> = HashMap::new();
        let mut duplicates = Vec::new();
        let mut unknown = Vec::new();
        let mut seen: HashMap<(usize, CellIndex), u32> = HashMap::new();
        let max_c = cells.last().map_or(0, |c| c.0);
        for c in 0..=max_c.min(16_383) {
            let texts = column_texts(sheet, first, *ar, c);
            let address = sheet
                .cells
                .get(&(*ar, c))
                .map(Value::shown)
                .unwrap_or_default();
            let address = address.trim();
            let mut map = ColumnMap {
                heading: texts.join("/"),
                ..ColumnMap::default()
            };
            if is_address(address) {
                for e in Edition::ALL {
                    if let Some(i) = Template::get(e).cell_index(address) {
                        match seen.get(&(ed_index(e), i)) {
                            Some(&prev) => duplicates.push((c, prev)),
                            None => {
                                seen.insert((ed_index(e), i), c);
                                map.cell[ed_index(e)] = Some(i);
                            }
                        }
                    }
                }
            } else {
                map.meta = meta_of(address).or_else(|| texts.iter().find_map(|t| meta_of(t)));
                if map.meta.is_none() && !texts.is_empty() {
                    unknown.push((c, map.heading.clone()));
                }
            }
            if map.meta.is_some() || map.cell.iter().any(Option::is_some) {
                columns.insert(c, map);
            }
        }
        duplicates.sort_unstable();
        duplicates.dedup_by_key(|d| d.0);
        let edition = majority(&columns);
        return Some(Layout {
            first,
            last: *ar,
            columns,
            edition,
            unknown,
            duplicates,
        });
    }
    // By label, under an agency column.
    let (ar, ac) = head.iter().find_map(|(r, cells)| {
        cells
            .iter()
            .find(|(_, v)| matches!(v, Value::Text(s) if meta_of(s) == Some(Meta::Agency)))
            .map(|(c, _)| (*r, *c))
    })?;
    let first = header_top(sheet, &rows, ar);
    // The header goes down as far as the agency heading is merged, then
    // over rows with text only and nothing in the agency column.
    let mut last = ar + sheet.span(ar, ac).0 - 1;
    let below = last;
    for (r, cells) in rows.iter().filter(|(r, _)| *r > below) {
        if *r != last + 1 && !(last + 1..*r).all(|g| sheet.is_covered(g, ac)) {
            break;
        }
        let agency_empty = sheet.is_covered(*r, ac) || !cells.iter().any(|(c, _)| *c == ac);
        if !agency_empty || cells.iter().any(|(_, v)| is_number_like(v)) {
            break;
        }
        last = *r;
    }
    let max_c = rows
        .iter()
        .filter(|(r, _)| (first..=last).contains(r))
        .flat_map(|(r, cells)| cells.iter().map(move |(c, _)| c + sheet.span(*r, *c).1 - 1))
        .max()
        .unwrap_or(0)
        .min(16_383);
    let mut columns: HashMap<u32, ColumnMap> = HashMap::new();
    let mut unknown = Vec::new();
    let mut duplicates = Vec::new();
    let mut seen: HashMap<(usize, CellIndex), u32> = HashMap::new();
    for c in 0..=max_c {
        let texts = column_texts(sheet, first, last, c);
        if texts.is_empty() {
            continue;
        }
        let mut map = ColumnMap {
            heading: texts.join("/"),
            ..ColumnMap::default()
        };
        map.meta = texts.last().and_then(|t| meta_of(t));
        if map.meta.is_none() {
            for e in Edition::ALL {
                // Texts far above the data (a 填报单位 line taken into the
                // header) are dropped when the column does not resolve with them.
                let found = (0..texts.len()).find_map(|k| resolve(&texts[k..], e).ok());
                if let Some((i, typos)) = found {
                    match seen.get(&(ed_index(e), i)) {
                        Some(&prev) => duplicates.push((c, prev)),
                        None => {
                            seen.insert((ed_index(e), i), c);
                            map.cell[ed_index(e)] = Some(i);
                            map.typos[ed_index(e)] = typos;
                        }
                    }
                }
            }
        }
        if map.meta.is_none() && map.cell.iter().all(Option::is_none) {
            unknown.push((c, map.heading.clone()));
            continue;
        }
        columns.insert(c, map);
    }
    duplicates.sort_unstable();
    duplicates.dedup_by_key(|d| d.0);
    let cells = columns
        .values()
        .filter(|m| m.cell.iter().any(Option::is_some))
        .count();
    if cells < MIN_CELLS {
        return None;
    }
    let edition = majority(&columns);
    Some(Layout {
        first,
        last,
        columns,
        edition,
        unknown,
        duplicates,
    })
}

/// The first row of the header whose row `r` is part of: the rows right
/// above it with two or more filled cells (a title row has one).
fn header_top(sheet: &Sheet, rows: &[(u32, Vec<(u32, &Value)>)], r: u32) -> u32 {
    let _ = sheet;
    let mut top = r;
    let Some(mut i) = rows.iter().position(|(row, _)| *row == r) else {
        return r;
    };
    while i > 0 {
        let (prev, cells) = &rows[i - 1];
        if *prev + 1 != top || cells.len() < 2 || cells.iter().any(|(_, v)| is_number_like(v)) {
            break;
        }
        top = *prev;
        i -= 1;
    }
    top
}

/// The edition more columns name a cell of (2021 on a tie).
fn majority(columns: &HashMap<u32, ColumnMap>) -> Edition {
    let n = |e: Edition| {
        columns
            .values()
            .filter(|m| m.cell[ed_index(e)].is_some())
            .count()
    };
    if n(Edition::V2019) > n(Edition::V2021) {
        Edition::V2019
    } else {
        Edition::V2021
    }
}

// ---------------------------------------------------------------------------
// Rows.

/// The reports of the first collection sheet of a workbook; None when no
/// sheet is one.
pub fn read_book(source: &str, book: &Workbook) -> Option<Vec<Report>> {
    for sheet in &book.sheets {
        if let Some(layout) = layout(sheet) {
            return Some(read_rows(source, sheet, &layout, book.sheets.len() > 1));
        }
    }
    None
}

/// Whether a workbook is a collection sheet (one report per row).
pub fn is_collection(book: &Workbook) -> bool {
    book.sheets.iter().any(|s| layout(s).is_some())
}

fn parse_edition(text: &str) -> Option<Edition> {
    let t = text.trim();
    if t.contains("2019") || t.contains("60号") || t.contains("试行") {
        Some(Edition::V2019)
    } else if t.contains("2021") || t.contains("30号") {
        Some(Edition::V2021)
    } else {
        None
    }
}

fn parse_year(v: &Value) -> Option<i32> {
    match v {
        Value::Number(f) if f.fract() == 0.0 && (1900.0..=2200.0).contains(f) => Some(*f as i32),
        Value::Number(_) => None,
        Value::Text(s) => {
            let digits: Vec<char> = s.chars().map(gongkai_template::text::fold_char).collect();
            let text: String = digits.into_iter().collect();
            let mut found = None;
            let bytes = text.as_bytes();
            for i in 0..bytes.len().saturating_sub(3) {
                let w = &bytes[i..i + 4];
                let before = i == 0 || !bytes[i - 1].is_ascii_digit();
                let after = bytes.get(i + 4).is_none_or(|b| !b.is_ascii_digit());
                if w.iter().all(u8::is_ascii_digit) && before && after {
                    let y: i32 = text[i..i + 4].parse().ok()?;
                    if (1900..=2200).contains(&y) {
                        found = Some(y);
                        break;
                    }
                }
            }
            found
        }
    }
}

fn is_sum_row(agency: &str) -> bool {
    matches!(
        normalize(agency).as_str(),
        "合计" | "总计" | "小计" | "汇总" | "合计数" | "总合计"
    )
}

/// A row under the data that is a note, not an agency: "注：…", "填表人：…".
fn is_note_row(text: &str) -> bool {
    let t = text.trim();
    ["注", "说明", "填表", "制表", "审核", "备注"]
        .iter()
        .any(|p| t.starts_with(p))
        || t.contains('：')
        || t.contains(':')
        || t.chars().count() > 40
}

/// Where a cell of the sheet is, as users name it: "第5行第F列".
fn place(r: u32, c: u32) -> String {
    format!("第{}行{}列", r + 1, column_name(c))
}

/// A value as the user wrote it, shortened.
fn quoted(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

fn read_rows(source: &str, sheet: &Sheet, layout: &Layout, several: bool) -> Vec<Report> {
    let mut cols: Vec<(&u32, &ColumnMap)> = layout.columns.iter().collect();
    cols.sort_by_key(|(c, _)| **c);
    let find = |m: Meta| {
        cols.iter()
            .find(|(_, map)| map.meta == Some(m))
            .map(|(c, _)| **c)
    };
    let agency_col = find(Meta::Agency);
    let year_col = find(Meta::Year);
    let edition_col = find(Meta::Edition);
    let header_pos = |c: u32| Pos::new(layout.last + 1, c + 1);
    let sheet_note = if several {
        format!("（工作表“{}”）", sheet.name)
    } else {
        String::new()
    };

    // Which cells of each edition the header has.
    let headed: Vec<Vec<bool>> = Edition::ALL
        .iter()
        .map(|&e| {
            let mut v = vec![false; Template::get(e).cells.len()];
            for m in layout.columns.values() {
                if let Some(i) = m.cell[ed_index(e)] {
                    v[i] = true;
                }
            }
            v
        })
        .collect();
    let mut out = Vec::new();
    for (r, cells) in sheet.rows() {
        if r <= layout.last {
            continue;
        }
        let get = |c: Option<u32>| {
            c.and_then(|c| cells.iter().find(|(cc, _)| *cc == c))
                .map(|(_, v)| *v)
        };
        let holds_cell = cells.iter().any(|(c, _)| {
            layout
                .columns
                .get(c)
                .is_some_and(|m| m.cell.iter().any(Option::is_some))
        });
        let agency = get(agency_col).map(|v| v.shown().trim().to_string());
        if agency.as_deref().is_some_and(is_sum_row)
            || (!holds_cell && agency.as_deref().is_none_or(is_note_row))
        {
            continue;
        }
        let mut diags = Vec::new();
        let edition = match get(edition_col) {
            Some(v) => match parse_edition(&v.shown()) {
                Some(e) => e,
                None => {
                    let c = edition_col.unwrap_or(0);
                    diags.push(
                        Diagnostic::new(
                            GK008,
                            format!(
                                "{}的版本“{}”无法识别（应为 2021 或 2019），按{}年版模板读取",
                                place(r, c),
                                quoted(&v.shown()),
                                layout.edition.as_str()
                            ),
                        )
                        .with_level(Level::Warning)
                        .at(Pos::new(r + 1, c + 1)),
                    );
                    layout.edition
                }
            },
            None => layout.edition,
        };
        let name = match agency.as_deref().filter(|a| !a.is_empty()) {
            Some(a) => format!("{source}#第{}行（{a}）", r + 1),
            None => format!("{source}#第{}行", r + 1),
        };
        let mut report = Report::new(name, edition);
        report.agency = agency.filter(|a| !a.is_empty());
        if let Some(v) = get(year_col) {
            report.year = parse_year(v);
            if report.year.is_none() {
                let c = year_col.unwrap_or(0);
                diags.push(
                    Diagnostic::new(
                        GK008,
                        format!(
                            "{}的年度“{}”无法识别，应为四位年份，如 2024",
                            place(r, c),
                            quoted(&v.shown())
                        ),
                    )
                    .with_level(Level::Warning)
                    .at(Pos::new(r + 1, c + 1)),
                );
            }
        }
        if !sheet_note.is_empty() && out.is_empty() {
            diags.push(
                Diagnostic::new(GK008, format!("汇总表读取自{sheet_note}"))
                    .with_level(Level::Info)
                    .at(Pos::new(r + 1, 1)),
            );
        }
        let t = Template::get(edition);
        let ei = ed_index(edition);
        for (c, v) in &cells {
            let Some(map) = layout.columns.get(c) else {
                continue;
            };
            let pos = Pos::new(r + 1, c + 1);
            let Some(index) = map.cell[ei] else {
                if map.cell.iter().any(Option::is_some) {
                    diags.push(
                        Diagnostic::new(
                            GK008,
                            format!(
                                "{}（{}）不属于{}年版模板，未读取",
                                place(r, *c),
                                map.heading,
                                edition.as_str()
                            ),
                        )
                        .with_level(Level::Warning)
                        .at(pos),
                    );
                }
                continue;
            };
            let def = &t.cells[index];
            let expected = match def.kind {
                ValueKind::Count => "非负整数",
                ValueKind::Amount => "以万元为单位的金额，如 12.5",
                ValueKind::Change => "整数（可为负数）",
            };
            let (value, blank) = match v {
                Value::Number(f) => {
                    let n = if f.fract() == 0.0 && f.abs() < 9.0e15 {
                        Num::Int(*f as i64)
                    } else {
                        Num::Dec(*f)
                    };
                    (n, false)
                }
                Value::Text(s) => match parse_value(s) {
                    Some(Kind::Value(n, unit)) => {
                        if def.kind == ValueKind::Amount && unit == Unit::Yuan {
                            let wan = n.as_f64() / 10_000.0;
                            diags.push(
                                Diagnostic::new(
                                    GK008,
                                    format!(
                                        "{}的“{}”以元为单位，已换算为 {wan} 万元",
                                        place(r, *c),
                                        quoted(s)
                                    ),
                                )
                                .at(pos),
                            );
                            (Num::Dec(wan), false)
                        } else {
                            (n, false)
                        }
                    }
                    Some(Kind::Blank) => (Num::Int(0), true),
                    _ => {
                        diags.push(
                            Diagnostic::new(
                                GK005,
                                format!(
                                    "{}（{}）的值“{}”不是数字；应为{expected}",
                                    place(r, *c),
                                    t.cell_label(index),
                                    quoted(s)
                                ),
                            )
                            .cell_address(&def.address, Some(pos))
                            .at(pos),
                        );
                        continue;
                    }
                },
            };
            if blank {
                diags.push(
                    Diagnostic::new(
                        GK006,
                        format!(
                            "{}（{}）写作“{}”，按 0 读取",
                            place(r, *c),
                            t.cell_label(index),
                            quoted(&v.shown())
                        ),
                    )
                    .with_level(Level::Info)
                    .at(pos),
                );
            }
            report.cells[index] = Some(Cell {
                value,
                origin: Origin::Source(pos),
                blank,
            });
            let tk = def.table.index();
            if report.tables[tk].is_none() {
                report.tables[tk] = Some(pos);
            }
        }
        // Header findings, for every report of the sheet.
        for map_c in &cols {
            let (c, map) = map_c;
            for (written, label) in &map.typos[ei] {
                diags.push(
                    Diagnostic::new(
                        GK004,
                        format!(
                            "{}列表头“{}”与模板不一致，按模板的“{label}”读取",
                            column_name(**c),
                            written
                        ),
                    )
                    .at(header_pos(**c)),
                );
            }
        }
        for (c, first) in &layout.duplicates {
            diags.push(
                Diagnostic::new(
                    GK008,
                    format!(
                        "{}列与{}列对应同一单元格，只读取{}列",
                        column_name(*c),
                        column_name(*first),
                        column_name(*first)
                    ),
                )
                .with_level(Level::Warning)
                .at(header_pos(*c)),
            );
        }
        for (c, text) in &layout.unknown {
            diags.push(
                Diagnostic::new(
                    GK008,
                    format!(
                        "{}列表头“{}”未能对应模板中的单元格，未读取",
                        column_name(*c),
                        quoted(text)
                    ),
                )
                .with_level(Level::Info)
                .at(Pos::new(layout.first + 1, c + 1)),
            );
        }
        // Absent cells: a table the header lacks is noted; blank or
        // unreadable cells of a table the header has are GK002/GK003.
        for key in TableKey::ALL {
            let in_table: Vec<CellIndex> = (0..t.cells.len())
                .filter(|&i| t.cells[i].table == key)
                .collect();
            let in_cols = |i: &CellIndex| headed[ei][*i];
            let in_header = in_table.iter().filter(|i| in_cols(i)).count();
            let name = table_name(key);
            if in_header == 0 {
                diags.push(
                    Diagnostic::new(GK008, format!("汇总表没有{name}的列，{name}未读取"))
                        .with_level(Level::Info),
                );
                continue;
            }
            let unheaded: Vec<CellIndex> =
                in_table.iter().copied().filter(|i| !in_cols(i)).collect();
            let blank: Vec<CellIndex> = in_table
                .iter()
                .copied()
                .filter(|i| in_cols(i) && report.cells[*i].is_none())
                .collect();
            let listed = |cells: &[CellIndex]| {
                let shown: Vec<String> = cells.iter().take(3).map(|&i| t.cell_label(i)).collect();
                format!(
                    "{}{}",
                    shown.join("；"),
                    if cells.len() > 3 { " 等" } else { "" }
                )
            };
            if !unheaded.is_empty() {
                let mut d = Diagnostic::new(
                    GK003,
                    format!(
                        "汇总表的表头没有{name}的 {} 个单元格（{}），相关核对未进行",
                        unheaded.len(),
                        listed(&unheaded)
                    ),
                )
                .at(Pos::new(layout.first + 1, 1));
                for &i in unheaded.iter() {
                    d = d.cell_address(&t.cells[i].address, None);
                }
                diags.push(d);
            }
            if !blank.is_empty() && blank.len() + unheaded.len() == in_table.len() {
                diags.push(
                    Diagnostic::new(GK002, format!("第{}行{name}的单元格全部空白", r + 1))
                        .at(Pos::new(r + 1, 1)),
                );
            } else if !blank.is_empty() {
                let mut d = Diagnostic::new(
                    GK003,
                    format!(
                        "第{}行{name}有 {} 个单元格空白或无法读取（{}），按缺失处理，相关核对未进行",
                        r + 1,
                        blank.len(),
                        listed(&blank)
                    ),
                )
                .at(Pos::new(r + 1, 1));
                for &i in blank.iter() {
                    d = d.cell_address(&t.cells[i].address, None);
                }
                diags.push(d);
            }
        }
        diags.extend(gongkai_report::check(&report));
        diags.sort_by_key(|d| (d.line.is_none(), d.line, d.column));
        report.diagnostics = diags;
        out.push(report);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &[&str]) -> Vec<String> {
        t.iter().map(|s| s.to_string()).collect()
    }

    fn address(t: &[&str]) -> Option<String> {
        resolve(&texts(t), Edition::V2021)
            .ok()
            .map(|(i, _)| Template::get(Edition::V2021).cells[i].address.clone())
    }

    #[test]
    fn headers_resolve_to_cells() {
        assert_eq!(
            address(&["予以公开-总计"]).as_deref(),
            Some("t3.granted.total")
        );
        assert_eq!(
            address(&["表三", "三、本年度办理结果", "（一）予以公开", "总计"]).as_deref(),
            Some("t3.granted.total")
        );
        assert_eq!(
            address(&[
                "（三）不予公开",
                "1.属于国家秘密",
                "法人或其他组织",
                "商业企业"
            ])
            .as_deref(),
            Some("t3.withheld.state_secret.business")
        );
        assert_eq!(
            address(&["（七）总计", "总计"]).as_deref(),
            Some("t3.total_processed.total")
        );
        assert_eq!(
            address(&["行政复议", "总计"]).as_deref(),
            Some("t4.review.total")
        );
        assert_eq!(
            address(&["行政诉讼", "复议后起诉", "尚未审结"]).as_deref(),
            Some("t4.suit_after_review.pending")
        );
        assert_eq!(
            address(&["规章", "本年制发件数"]).as_deref(),
            Some("t2.regulation.issued")
        );
        assert_eq!(
            address(&["行政许可"]).as_deref(),
            Some("t2.license.decided")
        );
        assert_eq!(
            address(&["行政事业性收费", "本年收费金额（万元）"]).as_deref(),
            Some("t2.fee.amount")
        );
        assert_eq!(
            address(&["部分公开", "自然人"]).as_deref(),
            Some("t3.partially_granted.natural_person")
        );
        // A typo is read through and reported.
        let (_, typos) = resolve(&texts(&["规章", "本年度止件数"]), Edition::V2021).unwrap();
        assert_eq!(typos, vec![("本年度止件数".to_string(), "本年废止件数")]);
        // Not enough to name one cell.
        assert_eq!(address(&["总计"]), None);
        assert_eq!(address(&["自然人"]), None);
        assert_eq!(address(&["备注"]), None);
    }

    #[test]
    fn units_are_dropped() {
        assert_eq!(strip_units("本年收费金额（万元）"), "本年收费金额");
        assert_eq!(strip_units("（一）予以公开"), "（一）予以公开");
        assert_eq!(strip_units("金额(单位：万元)"), "金额");
    }

    #[test]
    fn years() {
        assert_eq!(parse_year(&Value::Number(2024.0)), Some(2024));
        assert_eq!(parse_year(&Value::Text("2024年".into())), Some(2024));
        assert_eq!(parse_year(&Value::Text("２０２３年度".into())), Some(2023));
        assert_eq!(parse_year(&Value::Text("去年".into())), None);
        assert_eq!(parse_year(&Value::Text("12345".into())), None);
    }
}
