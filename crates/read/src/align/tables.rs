//! Reading the three tables from the rows of their sections.

use super::glued::{row_total, solve, Equation, Outcome, Run, Var};
use super::labels::{Match, Matcher};
use super::norm;
use super::tokens::{is_page_number, trim_layout, trim_layout_start, Kind, RowToks, Tok, Unit};
use super::Ctx;
use gongkai_report::rules::{GK002, GK003, GK004, GK005, GK006, GK007, GK008, GK009, GK010};
use gongkai_report::{Cell, Diagnostic, Num, Origin, Pos};
use gongkai_template::text::normalize;
use gongkai_template::{table_name, CellIndex, Table, TableKey};
use std::collections::{BTreeMap, HashMap};

pub(crate) fn parse(key: TableKey, rows: &[RowToks], ctx: &mut Ctx<'_>) {
    let mut st = TableState::default();
    match key {
        TableKey::T2 => table2(rows, ctx, &mut st),
        TableKey::T3 => table3(rows, ctx, &mut st),
        TableKey::T4 => table4(rows, ctx, &mut st),
    }
    st.finish(key, ctx);
}

/// What one table's parser collected.
#[derive(Default)]
struct TableState {
    /// Cells read, in order: index → (cell, was blank).
    cells: BTreeMap<CellIndex, Cell>,
    /// Rows of the template seen in the source, with where.
    rows_seen: HashMap<usize, Pos>,
    /// Columns of the template present (for tables with one header).
    columns_absent: Vec<usize>,
    found: bool,
    pos: Option<Pos>,
    /// Rows whose number of values differs from the header (GK007): message,
    /// where, and whether non-zero values were dropped.
    misaligned: Vec<(String, Pos, bool)>,
}

impl TableState {
    fn set(&mut self, index: CellIndex, tok: &Tok, value: Num) {
        self.cells.entry(index).or_insert(Cell {
            value,
            origin: Origin::Source(tok.pos),
            blank: false,
        });
    }
    /// A figure recovered from glued digits.
    fn set_split(&mut self, index: CellIndex, value: i64, pos: Pos) {
        self.cells.entry(index).or_insert(Cell {
            value: Num::Int(value),
            origin: Origin::Source(pos),
            blank: false,
        });
    }
    fn set_blank(&mut self, index: CellIndex, pos: Pos) {
        self.cells.entry(index).or_insert(Cell {
            value: Num::Int(0),
            origin: Origin::Source(pos),
            blank: true,
        });
    }

    /// Applies the blank rules, reports missing rows and columns, and stores the cells.
    fn finish(mut self, key: TableKey, ctx: &mut Ctx<'_>) {
        let t = ctx.template();
        let table = t.table(key);
        let name = table_name(key);
        if !self.found {
            let section = t.section(table.section);
            ctx.push(Diagnostic::new(
                GK002,
                format!("未找到{name}（{}）", section.heading()),
            ));
            return;
        }
        ctx.report.tables[key.index()] = self.pos;
        match self.misaligned.len() {
            0 => {}
            1 => {
                let (msg, pos, lost) = self.misaligned.remove(0);
                let d = Diagnostic::new(GK007, msg).at(pos);
                ctx.push(if lost {
                    d.with_level(gongkai_report::Level::Warning)
                } else {
                    d
                });
            }
            n => {
                let lost = self.misaligned.iter().any(|m| m.2);
                let (first, pos, _) = &self.misaligned[0];
                let d = Diagnostic::new(
                    GK007,
                    format!("{name}有 {n} 行的数字个数与表头列数不符，第一处：{first}"),
                )
                .at(*pos);
                ctx.push(if lost {
                    d.with_level(gongkai_report::Level::Warning)
                } else {
                    d
                });
            }
        }
        let at = self.pos.unwrap_or(Pos::UNKNOWN);
        for &c in &self.columns_absent {
            let col = &table.columns[c];
            let label = match col.group {
                Some(g) if key == TableKey::T3 => format!("{g} · {}", col.label),
                _ => col.label.to_string(),
            };
            let mut d = Diagnostic::new(
                GK003,
                format!("{name}缺少“{label}”列，该列单元格按缺失处理，依赖它的核对不执行"),
            )
            .at(at);
            for (ri, row) in table.rows.iter().enumerate() {
                if row.columns.contains(&c) {
                    if let Some(i) = t.cell_at(key, ri, c) {
                        d = d.cell_address(&t.cells[i].address, None);
                    }
                }
            }
            ctx.push(d);
        }
        for (ri, row) in table.rows.iter().enumerate() {
            if !self.rows_seen.contains_key(&ri) {
                ctx.push(
                    Diagnostic::new(GK003, format!("{name}缺少“{}”行", row.full_label())).at(at),
                );
            }
        }
        // A row whose label is there but which has no figure at all (its cells
        // left empty, so that a copy kept only the label) is present and
        // zero, as the contract says; said so (GK006 below, and here).
        for (ri, row) in table.rows.iter().enumerate() {
            let Some(&pos) = self.rows_seen.get(&ri) else {
                continue;
            };
            let cells: Vec<CellIndex> = row
                .columns
                .iter()
                .filter(|c| !self.columns_absent.contains(c))
                .filter_map(|&c| t.cell_at(key, ri, c))
                .collect();
            // A row whose figures were there but unreadable has its diagnostic already.
            let named = cells.iter().any(|i| {
                ctx.diags
                    .iter()
                    .any(|d| d.cells.iter().any(|c| c.address == t.cells[*i].address))
            });
            if !cells.is_empty() && !named && cells.iter().all(|i| !self.cells.contains_key(i)) {
                ctx.push(
                    Diagnostic::new(
                        GK008,
                        format!(
                            "{name}“{}”一行只有行名、没有数字，各单元格按空白（0）读取",
                            row.full_label()
                        ),
                    )
                    .at(pos),
                );
                for i in &cells {
                    self.set_blank(*i, pos);
                }
            }
        }
        // A row or column whose cells are all blank is present and zero
        // (GK006 below): its label or header is there.
        let blanks: Vec<CellIndex> = self
            .cells
            .iter()
            .filter(|(_, c)| c.blank)
            .map(|(i, _)| *i)
            .collect();
        for (i, cell) in std::mem::take(&mut self.cells) {
            ctx.report.cells[i] = Some(cell);
        }
        if !blanks.is_empty() {
            let mut d = Diagnostic::new(
                GK006,
                format!("{name}有 {} 个空白单元格，按 0 读取", blanks.len()),
            );
            for i in blanks {
                d = d.cell(ctx.report, i);
            }
            ctx.push(d);
        }
    }
}

// ---------------------------------------------------------------------------
// Shared pieces.

/// Matchers and normalised labels of one table, built once per edition.
pub(crate) struct TableLabels {
    pub rows: Matcher,
    pub groups: Matcher,
    pub group_norms: Vec<String>,
    pub columns: Matcher,
    pub column_norms: Vec<String>,
    pub note_norms: Vec<String>,
}

pub(crate) fn labels(edition: gongkai_template::Edition, key: TableKey) -> &'static TableLabels {
    use std::sync::OnceLock;
    static CACHE: OnceLock<Vec<TableLabels>> = OnceLock::new();
    let all = CACHE.get_or_init(|| {
        let mut v = Vec::new();
        for e in gongkai_template::Edition::ALL {
            for k in TableKey::ALL {
                let table = gongkai_template::Template::get(e).table(k);
                let groups: Vec<&str> = if k == TableKey::T4 {
                    table.rows.iter().map(|r| r.label).collect()
                } else {
                    table.row_groups.to_vec()
                };
                v.push(TableLabels {
                    rows: row_matcher(table),
                    groups: Matcher::new(groups.iter().copied().enumerate()),
                    group_norms: table.row_groups.iter().map(|g| normalize(g)).collect(),
                    columns: Matcher::new(
                        table.columns.iter().enumerate().map(|(i, c)| (i, c.label)),
                    ),
                    column_norms: table.columns.iter().map(|c| normalize(c.label)).collect(),
                    note_norms: table.header_notes.iter().map(|n| normalize(n)).collect(),
                });
            }
        }
        v
    });
    let e = gongkai_template::Edition::ALL
        .iter()
        .position(|&x| x == edition)
        .unwrap_or(0);
    &all[e * TableKey::ALL.len() + key.index()]
}

fn typo(ctx: &mut Ctx<'_>, tok: &Tok, template_label: &str) {
    ctx.push(
        Diagnostic::new(
            GK004,
            format!(
                "“{}”与模板不一致，模板为“{template_label}”",
                tok.text.trim()
            ),
        )
        .at(tok.pos),
    );
}

fn page_number_row(row: &RowToks) -> bool {
    if row.toks.len() > 4 || row.toks.iter().map(|t| t.text.len()).sum::<usize>() > 24 {
        return false;
    }
    let mut s = String::new();
    for t in &row.toks {
        s.push_str(&t.text);
    }
    is_page_number(&s)
}

/// Page numbers (noted once the table has begun) and empty rows carry no data.
fn skip_row(ctx: &mut Ctx<'_>, table_begun: bool, r: &RowToks) -> bool {
    if page_number_row(r) {
        if table_begun {
            ctx.push(Diagnostic::new(GK008, "跳过表格中的页码").at(r.pos));
            ctx.consumed.insert(r.item);
        }
        return true;
    }
    r.all_blank()
}

/// Stores a value token into a cell; reports text where a number belongs (GK005).
fn put(ctx: &mut Ctx<'_>, st: &mut TableState, index: CellIndex, tok: &Tok) {
    match &tok.kind {
        Kind::Value(n, unit) => {
            let t = ctx.template();
            let def = &t.cells[index];
            let mut value = *n;
            if def.kind == gongkai_template::ValueKind::Amount && *unit == Unit::Yuan {
                let wan = n.as_f64() / 10_000.0;
                value = Num::Dec(wan);
                ctx.push(
                    Diagnostic::new(
                        GK008,
                        format!("“{}”以元为单位，已换算为 {wan} 万元", tok.text),
                    )
                    .at(tok.pos),
                );
            }
            st.set(index, tok, value);
        }
        Kind::Blank => st.set_blank(index, tok.pos),
        Kind::Label => {
            let label = ctx.template().cell_label(index);
            ctx.push(
                Diagnostic::new(GK005, format!("{label}的内容“{}”不是数字", tok.text))
                    .cell_address(&ctx.template().cells[index].address, Some(tok.pos))
                    .at(tok.pos),
            );
        }
    }
}

/// Builds a matcher over a table's row labels (id = row index).
fn row_matcher(table: &Table) -> Matcher {
    Matcher::new(table.rows.iter().enumerate().map(|(i, r)| (i, r.label)))
}

/// Finds the row a row of tokens is about: the last label token that names a
/// template row. Returns (row, index of that token, match).
fn match_row(
    row: &RowToks,
    rows: &Matcher,
    groups: &Matcher,
    group_norms: &[String],
) -> Option<(usize, usize, Match)> {
    let labels: Vec<usize> = row
        .toks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.is_label())
        .map(|(i, _)| i)
        .collect();
    for &ti in labels.iter().rev() {
        let text = &row.toks[ti].text;
        let norm = norm::normalize(text);
        if let Some(m) = rows.exact(&norm) {
            return Some((m, ti, Match::Exact(m)));
        }
        // "（三）不予公开1.属于国家秘密" in one cell: strip the group label.
        for g in group_norms {
            if let Some(rest) = norm.strip_prefix(g.as_str()) {
                let rest = rest.trim_start_matches(|c: char| {
                    c.is_ascii_digit() || "一二三四五六七八九十".contains(c)
                });
                if let Some(m) = rows.exact(rest) {
                    return Some((m, ti, Match::Exact(m)));
                }
            }
        }
        if groups.exact(&norm).is_some() {
            // A group label: the row label, if any, was after it.
            break;
        }
        if let Some(m) = rows.find_norm(&norm) {
            return Some((m.id(), ti, m));
        }
    }
    None
}

// ---------------------------------------------------------------------------
// Table 3.

fn table3(rows: &[RowToks], ctx: &mut Ctx<'_>, st: &mut TableState) {
    let t = ctx.template();
    let table = t.table(TableKey::T3);
    let cached = labels(ctx.report.edition, TableKey::T3);
    let (row_m, group_m, group_norms) = (&cached.rows, &cached.groups, &cached.group_norms);

    // Header: the rows before the first data row.
    // A row label that is also a column label ("其他") starts the data only
    // when numbers follow it.
    let column_norms = &cached.column_norms;
    let first_data = rows
        .iter()
        .position(|r| match match_row(r, row_m, group_m, group_norms) {
            Some((_, ti, _)) => {
                r.has_values()
                    || !column_norms
                        .iter()
                        .any(|c| **c == *norm::normalize(&r.toks[ti].text))
            }
            None => false,
        });
    let Some(first_data) = first_data else { return };
    st.found = true;
    let header = &rows[..first_data];
    let mut present = vec![false; table.columns.len()];
    let mut header_text = String::new();
    let mut header_toks: Vec<&Tok> = Vec::new();
    for r in header {
        if r.prose || r.has_values() {
            continue;
        }
        for tok in r.toks.iter().filter(|t| t.is_label()) {
            header_text.push_str(&norm::normalize(&tok.text));
            header_toks.push(tok);
        }
    }
    // Column group labels and the note contain column words ("其他"): remove them first.
    for note in &cached.note_norms {
        header_text = header_text.replacen(note.as_str(), "|", 1);
    }
    let mut by_len: Vec<usize> = (0..table.columns.len()).collect();
    by_len.sort_by_key(|&c| std::cmp::Reverse(table.columns[c].label.chars().count()));
    for c in by_len {
        let l = &column_norms[c];
        if header_text.contains(l.as_str()) {
            present[c] = true;
            header_text = header_text.replacen(l.as_str(), "|", 1);
        }
    }
    let header_found = present.iter().any(|&p| p);
    if header_found {
        // Typos in column labels: what is left of the header, cell by cell.
        let missing: Vec<usize> = (0..present.len()).filter(|&c| !present[c]).collect();
        if !missing.is_empty() {
            let m = Matcher::new(missing.iter().map(|&c| (c, table.columns[c].label)));
            let known = Matcher::new(
                table
                    .columns
                    .iter()
                    .map(|c| c.label)
                    .chain(table.header_notes.iter().copied())
                    .enumerate(),
            );
            for tok in &header_toks {
                if known.exact(&norm::normalize(&tok.text)).is_some() {
                    continue;
                }
                if let Some(Match::Typo(c)) = m.find(&tok.text) {
                    if !present[c] {
                        present[c] = true;
                        typo(ctx, tok, table.columns[c].label);
                    }
                }
            }
        }
    } else {
        // No header: the template's columns, if the first data row has them all.
        let n = values_after(&rows[first_data], 0).len();
        present.iter_mut().for_each(|p| *p = true);
        ctx.push(
            Diagnostic::new(
                GK008,
                format!(
                    "表三未找到表头，按模板的 {} 列顺序读取（首行有 {n} 个数字）",
                    table.columns.len()
                ),
            )
            .at(rows[first_data].pos),
        );
    }
    st.pos = Some(header.first().map_or(rows[first_data].pos, |r| r.pos));
    st.columns_absent = (0..present.len()).filter(|&c| !present[c]).collect();
    let columns: Vec<usize> = (0..present.len()).filter(|&c| present[c]).collect();
    for r in header {
        ctx.consumed.insert(r.item);
    }
    let total_last = columns
        .last()
        .is_some_and(|&c| table.columns[c].key == "total");
    // Where each column stands in the header's grid, when the header is a grid
    // whose leaf labels name every column present: figures are then placed by
    // the grid column they stand in, not by their rank among the figures.
    let header_grid: Option<(u32, Vec<u16>)> = {
        let mut at: Vec<Option<u16>> = vec![None; table.columns.len()];
        let mut tables = Vec::new();
        for r in header.iter().filter(|r| r.grid && !r.has_values()) {
            for tok in r.toks.iter().filter(|t| t.is_label()) {
                let (Some(col), n) = (tok.col, norm::normalize(&tok.text)) else {
                    continue;
                };
                if let Some(c) = column_norms.iter().position(|l| **l == *n) {
                    if at[c].is_none() {
                        at[c] = Some(col);
                        tables.push(r.table);
                    }
                }
            }
        }
        let cols: Option<Vec<u16>> = columns.iter().map(|&c| at[c]).collect();
        tables.dedup();
        match (cols, tables.as_slice()) {
            (Some(cols), [t])
                if {
                    let mut sorted = cols.clone();
                    sorted.sort_unstable();
                    sorted.dedup();
                    sorted.len() == cols.len()
                } =>
            {
                Some((*t, cols))
            }
            _ => None,
        }
    };
    let grid_for = |r: &RowToks| -> Option<&[u16]> {
        match &header_grid {
            // The row's labels stand left of the header's columns (a row
            // shifted against its header is read by order instead).
            // The row reaches the header's last column (a row short of cells
            // lost one, and is read aligned at both ends instead, GK007).
            Some((t, cols))
                if r.grid
                    && r.table == *t
                    && r.toks.iter().filter_map(|x| x.col).max() >= cols.iter().copied().max()
                    && r.toks
                        .iter()
                        .filter(|x| x.is_label())
                        .all(|x| x.col.is_none_or(|c| cols.iter().all(|&g| c < g))) =>
            {
                Some(cols.as_slice())
            }
            _ => None,
        }
    };

    let mut pending_row: Option<usize> = None;
    let mut fragments: Vec<&RowToks> = Vec::new();
    let mut last_label: Option<usize> = None;
    // Rows whose figures are glued together, split once the whole table is read.
    let mut glued_rows: Vec<GluedRow> = Vec::new();
    // Figures of the pending row, one line each.
    let mut pending_vals: Vec<Tok> = Vec::new();
    let mut repeated_header_said = false;
    // A label matched by its beginning only: (row, token, text so far). The
    // GK004 is dropped if the rest of the label follows on the next lines.
    let mut deferred: Option<(usize, Tok, String)> = None;
    for r in &rows[first_data..] {
        if page_number_row(r) {
            ctx.push(Diagnostic::new(GK008, "跳过表格中的页码").at(r.pos));
            ctx.consumed.insert(r.item);
            continue;
        }
        if r.all_blank() {
            continue;
        }
        // A header repeated inside the table (one small table per group in
        // PDF-to-Markdown copies, "数据1 … 数据6 | 总计" placeholders): a
        // header, not a row of figures.
        if !r.has_values() && header_like(r, column_norms) {
            ctx.consumed.insert(r.item);
            if !repeated_header_said {
                repeated_header_said = true;
                ctx.push(
                    Diagnostic::new(
                        GK008,
                        format!("表三中重复出现的表头行“{}”已跳过", r.label_text()),
                    )
                    .at(r.pos),
                );
            }
            continue;
        }
        let mut found = match_row(r, row_m, group_m, group_norms);
        if found.is_none() && r.has_labels() && !fragments.is_empty() {
            // A label wrapped over lines: join it with the fragments before it.
            for k in (1..=fragments.len()).rev() {
                let mut joined = String::new();
                for f in &fragments[fragments.len() - k..] {
                    joined.push_str(&f.label_text());
                }
                joined.push_str(&r.label_text());
                if let Some(m) = row_m.find(&joined) {
                    let last = r.toks.iter().rposition(Tok::is_label).unwrap_or(0);
                    found = Some((m.id(), last, m));
                    break;
                }
            }
        }
        if found.is_some() && !pending_vals.is_empty() {
            if let Some(pri) = pending_row.take() {
                let vals = std::mem::take(&mut pending_vals);
                let pos = vals[0].pos;
                assign_t3(ctx, st, pri, &vals, &columns, total_last, pos, None);
            }
            pending_vals.clear();
        }
        match found {
            Some((ri, ti, m)) => {
                fragments.clear();
                if let Some((dri, tok, _)) = deferred.take() {
                    typo(ctx, &tok, table.rows[dri].label);
                }
                if let Match::Typo(_) = m {
                    let norm = normalize(&r.toks[ti].text);
                    if normalize(table.rows[ri].label).starts_with(&norm) {
                        // Perhaps the label wraps onto the next line: wait and see.
                        deferred = Some((ri, r.toks[ti].clone(), norm));
                    } else {
                        typo(ctx, &r.toks[ti], table.rows[ri].label);
                    }
                }
                ctx.consumed.insert(r.item);
                if st.rows_seen.contains_key(&ri) {
                    ctx.push(
                        Diagnostic::new(
                            GK008,
                            format!("表三“{}”一行重复出现，已忽略此行", table.rows[ri].label),
                        )
                        .at(r.pos),
                    );
                    continue;
                }
                st.rows_seen.insert(ri, r.toks[ti].pos);
                last_label = Some(ri);
                let values = values_after(r, ti + 1);
                if values.iter().all(Tok::is_layout_blank) && !r.has_values() {
                    // Its figures may follow on a row of their own; if none
                    // do, its empty cells are blank and zero (see finish).
                    pending_row = Some(ri);
                    continue;
                }
                pending_row = None;
                if !defer_glued(&mut glued_rows, r, ri, &values, columns.len()) {
                    assign_t3(
                        ctx,
                        st,
                        ri,
                        &values,
                        &columns,
                        total_last,
                        r.pos,
                        grid_for(r),
                    );
                }
            }
            None => {
                // The tail of a wrapped label, possibly with the numbers.
                let frag = normalize(&r.label_text());
                if !frag.is_empty() {
                    if let Some((ri, tok, so_far)) = deferred.take() {
                        let full = normalize(table.rows[ri].label);
                        let joined = format!("{so_far}{frag}");
                        if full.starts_with(&joined) {
                            ctx.consumed.insert(r.item);
                            if joined.len() < full.len() {
                                deferred = Some((ri, tok, joined));
                            }
                            if r.has_values() && pending_row == Some(ri) {
                                pending_row = None;
                                let li = r.toks.iter().rposition(Tok::is_label).unwrap_or(0);
                                let values = values_after(r, li + 1);
                                if !defer_glued(&mut glued_rows, r, ri, &values, columns.len()) {
                                    assign_t3(
                                        ctx,
                                        st,
                                        ri,
                                        &values,
                                        &columns,
                                        total_last,
                                        r.pos,
                                        grid_for(r),
                                    );
                                }
                            }
                            continue;
                        }
                        typo(ctx, &tok, table.rows[ri].label);
                    }
                }
                if !r.has_labels() && r.has_values() {
                    if let Some(ri) = pending_row {
                        let values = values_after(r, 0);
                        // One figure per line (a copy that put every cell on a
                        // line of its own): gather the row's figures.
                        let vals = trim_layout(&values);
                        if !r.grid
                            && !r.glued
                            && (vals.len() < columns.len() || !pending_vals.is_empty())
                        {
                            ctx.consumed.insert(r.item);
                            pending_vals.extend(vals.iter().cloned());
                            if pending_vals.len() >= columns.len() {
                                pending_row = None;
                                let vals = std::mem::take(&mut pending_vals);
                                let pos = vals[0].pos;
                                assign_t3(ctx, st, ri, &vals, &columns, total_last, pos, None);
                            }
                            continue;
                        }
                        pending_row = None;
                        ctx.consumed.insert(r.item);
                        if !defer_glued(&mut glued_rows, r, ri, &values, columns.len()) {
                            assign_t3(
                                ctx,
                                st,
                                ri,
                                &values,
                                &columns,
                                total_last,
                                r.pos,
                                grid_for(r),
                            );
                        }
                        continue;
                    }
                    ctx.push(
                        Diagnostic::new(GK008, "表三中有一行数字无法对应到任何行，已跳过")
                            .at(r.pos),
                    );
                    continue;
                }
                if r.has_labels() && !r.has_values() {
                    // The tail of a wrapped label just read, or the head of one to come.
                    let frag = normalize(&r.label_text());
                    let tail_of_last = last_label.is_some_and(|ri| {
                        !frag.is_empty() && normalize(table.rows[ri].label).ends_with(&frag)
                    });
                    let is_group = group_m.find_norm(&frag).is_some()
                        || group_norms.iter().any(|g| g.contains(&frag));
                    if tail_of_last || is_group {
                        ctx.consumed.insert(r.item);
                    } else {
                        fragments.push(r);
                    }
                    continue;
                }
                if r.has_values() {
                    ctx.push(
                        Diagnostic::new(
                            GK008,
                            format!("表三中无法识别的行“{}”，已跳过", r.label_text()),
                        )
                        .at(r.pos),
                    );
                }
            }
        }
    }
    if let Some((ri, tok, _)) = deferred.take() {
        typo(ctx, &tok, table.rows[ri].label);
    }
    if let (Some(pri), false) = (pending_row, pending_vals.is_empty()) {
        let vals = std::mem::take(&mut pending_vals);
        let pos = vals[0].pos;
        assign_t3(ctx, st, pri, &vals, &columns, total_last, pos, None);
    }
    if !glued_rows.is_empty() {
        split_glued_t3(ctx, st, &glued_rows, &columns, total_last);
    }
}

/// Is a row of labels a header: two or more column labels of the table, or
/// placeholder headers ("数据1", "数据2" … as PDF converters name columns)?
fn header_like(r: &RowToks, column_norms: &[String]) -> bool {
    let columns = r
        .toks
        .iter()
        .filter(|t| t.is_label())
        .filter(|t| {
            let n = norm::normalize(&t.text);
            column_norms.iter().any(|c| **c == *n)
                || n.strip_prefix("数据")
                    .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
        })
        .count();
    columns >= 2
}

/// A table row whose figures were glued together: its template row, the run
/// of digits (with the spaces the source had) and where it is.
struct GluedRow {
    row: usize,
    run: Run,
    pos: Pos,
    text: String,
}

/// Keeps a row of a glued line for splitting when its figures do not already
/// stand one per column. Returns whether it was kept.
fn defer_glued(
    out: &mut Vec<GluedRow>,
    r: &RowToks,
    ri: usize,
    values: &[Tok],
    width: usize,
) -> bool {
    if !r.glued {
        return false;
    }
    let vals = trim_layout(values);
    if vals.len() == width || vals.is_empty() {
        return false;
    }
    let text: Vec<&str> = vals.iter().map(|t| t.text.as_str()).collect();
    let text = text.join(" ");
    let Some(run) = Run::parse(&text, width) else {
        return false;
    };
    out.push(GluedRow {
        row: ri,
        run,
        pos: vals[0].pos,
        text,
    });
    true
}

/// Splits the glued rows of table 3 by the table's arithmetic: each row's parts
/// add up to its total (GK010), each column's outcomes to （七）总计 (GK011),
/// and 一 + 二 = 三 + 四 (GK012). What one split settles is read (GK008); what
/// several leave open is named (GK009) and left absent.
fn split_glued_t3(
    ctx: &mut Ctx<'_>,
    st: &mut TableState,
    glued: &[GluedRow],
    columns: &[usize],
    total_last: bool,
) {
    let t = ctx.template();
    let table = t.table(TableKey::T3);
    let width = columns.len();
    let runs: Vec<Run> = glued.iter().map(|g| g.run.clone()).collect();
    let run_of = |row: usize| glued.iter().position(|g| g.row == row);
    let row_index = |key: &str| table.row(key).map(|(i, _)| i);
    // A term of an equation: a glued cell, or a known figure.
    let term = |st: &TableState, row: usize, k: usize| -> Option<Result<Var, i64>> {
        if let Some(run) = run_of(row) {
            return Some(Ok(Var { run, slot: k }));
        }
        let index = t.cell_at(TableKey::T3, row, columns[k])?;
        match st.cells.get(&index).map(|c| c.value) {
            Some(Num::Int(v)) => Some(Err(v)),
            _ => None,
        }
    };
    let equation =
        |st: &TableState, plus: &[usize], minus: &[usize], k: usize| -> Option<Equation> {
            let mut e = Equation::default();
            for (rows, sign) in [(plus, 1i64), (minus, -1i64)] {
                for &row in rows {
                    match term(st, row, k)? {
                        Ok(v) => e.terms.push((v, sign)),
                        Err(c) => e.constant += sign * c,
                    }
                }
            }
            (!e.terms.is_empty()).then_some(e)
        };
    let mut rows_eq = Vec::new();
    // Rows no split of which adds up: a fault of the report itself (GK010),
    // whatever the split; their own sum is left out of the search.
    let mut faulty = vec![false; runs.len()];
    if total_last && width == table.columns.len() {
        for (r, run) in runs.iter().enumerate() {
            let alone = solve(std::slice::from_ref(run), &[row_total(0, width)]);
            if run.digits.len() < width {
                // Fewer digits than cells: blank cells were lost, not a fault.
                continue;
            }
            if alone == Outcome::NoSolution {
                faulty[r] = true;
            } else {
                rows_eq.push(row_total(r, width));
            }
        }
    }
    for (g, _) in glued.iter().zip(&faulty).filter(|(_, f)| **f) {
        let mut d = Diagnostic::new(
            GK010,
            format!(
                "表三“{}”一行数字粘连（{}），任何拆分都不能使各类申请人之和等于总计",
                table.rows[g.row].label, g.text
            ),
        )
        .at(g.pos);
        for &c in columns {
            if let Some(index) = t.cell_at(TableKey::T3, g.row, c) {
                d = d.cell_address(&t.cells[index].address, None);
            }
        }
        ctx.push(d);
    }
    let outcomes = gongkai_report::outcome_rows(t);
    let mut col_sum = Vec::new();
    let mut balance = Vec::new();
    if let (Some(new), Some(carried), Some(processed), Some(forward)) = (
        row_index("new_received"),
        row_index("carried_over"),
        row_index("total_processed"),
        row_index("carried_forward"),
    ) {
        for k in 0..width {
            if let Some(e) = equation(st, &outcomes, &[processed], k) {
                col_sum.push(e);
            }
            if let Some(e) = equation(st, &[new, carried], &[processed, forward], k) {
                balance.push(e);
            }
        }
    }
    // All the equations first; if the table itself does not add up, fewer.
    let attempts: [(&str, Vec<Equation>); 4] = [
        (
            "",
            [rows_eq.clone(), col_sum.clone(), balance.clone()].concat(),
        ),
        (
            "（不计各列办理结果之和）",
            [rows_eq.clone(), balance.clone()].concat(),
        ),
        (
            "（不计第一项加第二项等于第三项加第四项）",
            [rows_eq.clone(), col_sum].concat(),
        ),
        ("（仅按各行之和）", rows_eq),
    ];
    let mut outcome = Outcome::NoSolution;
    let mut relaxed = "";
    for (note, eqs) in attempts {
        outcome = solve(&runs, &eqs);
        if outcome != Outcome::NoSolution {
            relaxed = note;
            break;
        }
    }
    let values = match outcome {
        Outcome::Solved { values, .. } => values,
        Outcome::NoSolution => runs.iter().map(|r| vec![None; r.width]).collect(),
    };
    let mut split_rows = Vec::new();
    let mut open: Vec<CellIndex> = Vec::new();
    let mut open_rows = Vec::new();
    for (g, vals) in glued.iter().zip(&values) {
        let label = table.rows[g.row].label;
        if vals.iter().all(Option::is_some) {
            split_rows.push(format!(
                "“{}”{}",
                label,
                vals.iter()
                    .map(|v| v.unwrap_or(0).to_string())
                    .collect::<Vec<_>>()
                    .join(" | ")
            ));
        } else {
            open_rows.push(format!("“{label}”（{}）", g.text));
        }
        for (k, v) in vals.iter().enumerate() {
            let Some(index) = t.cell_at(TableKey::T3, g.row, columns[k]) else {
                continue;
            };
            match v {
                Some(v) => st.set_split(index, *v, g.pos),
                None => open.push(index),
            }
        }
    }
    if !split_rows.is_empty() {
        ctx.push(
            Diagnostic::new(
                GK008,
                format!(
                    "表三有 {} 行数字粘连，按表内勾稽关系{relaxed}唯一拆分：{}",
                    split_rows.len(),
                    split_rows.join("；")
                ),
            )
            .at(glued[0].pos),
        );
    }
    if !open.is_empty() {
        let mut d = Diagnostic::new(
            GK009,
            format!(
                "表三有 {} 行数字粘连，无法按表内勾稽关系唯一拆分，{} 个单元格按缺失处理：{}",
                open_rows.len(),
                open.len(),
                open_rows.join("；")
            ),
        )
        .at(glued
            .iter()
            .find(|g| open.iter().any(|&i| t.cells[i].row == g.row))
            .map_or(glued[0].pos, |g| g.pos));
        for i in open {
            d = d.cell_address(&t.cells[i].address, None);
        }
        ctx.push(d);
    }
}

/// The value tokens of a row from token `from` on; label tokens among them are kept
/// (they are text where a number belongs).
fn values_after(r: &RowToks, from: usize) -> Vec<Tok> {
    r.toks.iter().skip(from).cloned().collect()
}

/// Maps the values of a table-3 row to the columns present.
#[allow(clippy::too_many_arguments)]
fn assign_t3(
    ctx: &mut Ctx<'_>,
    st: &mut TableState,
    ri: usize,
    values: &[Tok],
    columns: &[usize],
    total_last: bool,
    row_pos: Pos,
    grid: Option<&[u16]>,
) {
    let t = ctx.template();
    let m = columns.len();
    // Cells on the header's grid: each figure in the column it stands in.
    if let Some(grid) = grid {
        // Every figure stands under a column of the header, and no label
        // does (a row shifted against its header is read by order instead).
        let figures_placed = values.iter().all(|v| {
            if v.is_label() {
                v.col.is_none_or(|c| !grid.contains(&c))
            } else {
                v.is_layout_blank() || v.col.is_some_and(|c| grid.contains(&c))
            }
        });
        if figures_placed {
            for (&c, &gc) in columns.iter().zip(grid) {
                let Some(index) = t.cell_at(TableKey::T3, ri, c) else {
                    continue;
                };
                match values.iter().find(|v| v.col == Some(gc)) {
                    Some(tok) => put(ctx, st, index, tok),
                    None => st.set_blank(index, row_pos),
                }
            }
            return;
        }
    }
    // Empty cells at either end are layout, not data; "—" is data (a blank).
    let trimmed = trim_layout(values);
    // An empty field between the label and the numbers is the label cell's
    // span, not a blank first column: only the anchored reading below applies.
    let chosen: Vec<Option<&Tok>> = if trimmed.len() == m {
        trimmed.iter().map(Some).collect()
    } else if trimmed.is_empty() {
        return;
    } else {
        let k = trimmed.len();
        let mut out: Vec<Option<&Tok>> = vec![None; m];
        if k < m {
            if total_last && k >= 2 {
                for i in 0..k - 1 {
                    out[i] = Some(&trimmed[i]);
                }
                out[m - 1] = Some(&trimmed[k - 1]);
            } else {
                for i in 0..k {
                    out[i] = Some(&trimmed[i]);
                }
            }
        } else if total_last {
            for i in 0..m - 1 {
                out[i] = Some(&trimmed[i]);
            }
            out[m - 1] = Some(&trimmed[k - 1]);
        } else {
            for i in 0..m {
                out[i] = Some(&trimmed[i]);
            }
        }
        let dropped: Vec<&str> = if k > m {
            let skip = if total_last { m - 1 } else { m };
            trimmed[skip..k - usize::from(total_last)]
                .iter()
                .map(|t| t.text.as_str())
                .collect()
        } else {
            Vec::new()
        };
        let label = t.table(TableKey::T3).rows[ri].label;
        let msg = if k < m {
            format!("表三“{label}”一行有 {k} 个数字，表头有 {m} 列；按首尾对齐读取，缺少的中间列按空白（0）读取")
        } else {
            format!(
                "表三“{label}”一行有 {k} 个数字，表头有 {m} 列；按首尾对齐读取，舍弃了多出的“{}”",
                dropped.join("、")
            )
        };
        let nonzero_dropped = dropped.iter().any(|d| {
            !matches!(
                super::tokens::parse_value(d),
                Some(Kind::Value(Num::Int(0), _)) | Some(Kind::Blank)
            )
        });
        st.misaligned.push((msg, row_pos, nonzero_dropped));
        out
    };
    for (slot, &c) in chosen.iter().zip(columns) {
        let Some(index) = t.cell_at(TableKey::T3, ri, c) else {
            continue;
        };
        match slot {
            Some(tok) => put(ctx, st, index, tok),
            None => st.set_blank(index, row_pos),
        }
    }
}

// ---------------------------------------------------------------------------
// Table 2.

fn table2(rows: &[RowToks], ctx: &mut Ctx<'_>, st: &mut TableState) {
    let t = ctx.template();
    let table = t.table(TableKey::T2);
    let cached = labels(ctx.report.edition, TableKey::T2);
    let (row_m, col_m, clause_m, notes) = (
        &cached.rows,
        &cached.columns,
        &cached.groups,
        &cached.note_norms,
    );
    // Does this copy lose blank cells without a trace? Evidence: a glued
    // row with fewer digits than cells, or a row label followed at once by the
    // next row's label (all its cells vanished).
    let vanishing = rows.iter().enumerate().any(|(i, r)| {
        let Some((ri, ti, _)) = match_row(r, row_m, clause_m, &[]) else {
            return false;
        };
        let width = table.rows[ri].columns.len();
        let digits: usize = r.toks[ti + 1..]
            .iter()
            .filter(|t| !t.is_label())
            .map(|t| t.text.chars().filter(char::is_ascii_digit).count())
            .sum();
        let next_is_row = rows.get(i + 1).is_some_and(|n| {
            n.toks.first().is_some_and(Tok::is_label)
                && match_row(n, row_m, clause_m, &[]).is_some()
        });
        (r.glued && digits > 0 && digits < width)
            || (digits == 0
                && !r.has_values()
                && next_is_row
                && rows.get(i + 1).is_some_and(|n| n.glued))
    });
    let mut header: Vec<(usize, Pos)> = Vec::new();
    let mut header_grid: Option<(u32, Vec<(usize, u16)>)> = None;
    let mut header_continues = false;
    let mut pending_row: Option<usize> = None;
    let mut pending_vals: Vec<Tok> = Vec::new();
    for r in rows {
        if skip_row(ctx, st.found, r) {
            continue;
        }
        let labels: Vec<&Tok> = r.toks.iter().filter(|t| t.is_label()).collect();
        // A clause heading (第二十条第（一）项).
        if labels.len() == 1 && !r.has_values() {
            if let Some(m) = clause_m.find(&labels[0].text) {
                if let Match::Typo(i) = m {
                    typo(ctx, labels[0], table.row_groups[i]);
                }
                header_continues = false;
                ctx.consumed.insert(r.item);
                continue;
            }
        }
        // A header row: column labels, no numbers.
        if !r.has_values() && !labels.is_empty() {
            let mut cols = Vec::new();
            let mut gcols: Vec<(usize, Option<u16>)> = Vec::new();
            let mut typos = Vec::new();
            let mut other = 0;
            for tok in &labels {
                let n = norm::normalize(&tok.text);
                if notes.iter().any(|note| **note == *n) {
                    continue;
                }
                match col_m.find_norm(&n) {
                    Some(Match::Exact(c)) => {
                        cols.push((c, tok.pos));
                        gcols.push((c, tok.col));
                    }
                    Some(Match::Typo(c)) => {
                        cols.push((c, tok.pos));
                        gcols.push((c, tok.col));
                        typos.push((*tok, c));
                    }
                    None => other += 1,
                }
            }
            if !cols.is_empty() && other == 0 {
                for (tok, c) in typos {
                    typo(ctx, tok, table.columns[c].label);
                }
                // A header written one label per line continues on the next.
                if header_continues {
                    for c in cols {
                        if !header.iter().any(|h| h.0 == c.0) {
                            header.push(c);
                        }
                    }
                    header_grid = None;
                } else {
                    header = cols;
                    // Where the header's columns stand, when it is a grid row.
                    header_grid = gcols
                        .iter()
                        .map(|&(c, col)| col.map(|g| (c, g)))
                        .collect::<Option<Vec<_>>>()
                        .filter(|_| r.grid)
                        .map(|g| (r.table, g));
                }
                header_continues = true;
                ctx.consumed.insert(r.item);
                if st.pos.is_none() {
                    st.pos = Some(r.pos);
                }
                continue;
            }
        }
        if !pending_vals.is_empty() && r.has_labels() {
            if let Some(pri) = pending_row.take() {
                let vals = std::mem::take(&mut pending_vals);
                assign_t2(ctx, st, pri, &vals, &header, vals[0].pos, None);
            }
            pending_vals.clear();
        }
        // "信息内容" (the row-label column's header) keeps a header open.
        if !r.has_values() && labels.len() == 1 && *norm::normalize(&labels[0].text) == *"信息内容"
        {
            ctx.consumed.insert(r.item);
            continue;
        }
        let found = match_row(r, row_m, clause_m, &[]).or_else(|| earlier_wording(ctx, r, table));
        if found.is_some() {
            header_continues = false;
        }
        let (ri, ti) = match found {
            Some((ri, ti, m)) => {
                if let Match::Typo(_) = m {
                    typo(ctx, &r.toks[ti], table.rows[ri].label);
                }
                (ri, ti)
            }
            None => {
                if !r.has_labels() && r.has_values() {
                    if let Some(ri) = pending_row {
                        ctx.consumed.insert(r.item);
                        let values = values_after(r, 0);
                        let vals = trim_layout(&values);
                        let want = t2_width(table, ri, &header);
                        if !r.grid && !r.glued && (vals.len() < want || !pending_vals.is_empty()) {
                            // One figure per line: gather the row's figures.
                            pending_vals.extend(vals.iter().cloned());
                            if pending_vals.len() >= want {
                                pending_row = None;
                                let vals = std::mem::take(&mut pending_vals);
                                assign_t2(ctx, st, ri, &vals, &header, vals[0].pos, None);
                            }
                        } else {
                            pending_row = None;
                            assign_t2(
                                ctx,
                                st,
                                ri,
                                &values,
                                &header,
                                r.pos,
                                r.glued.then_some(vanishing),
                            );
                        }
                    }
                }
                continue;
            }
        };
        ctx.consumed.insert(r.item);
        st.found = true;
        if st.pos.is_none() {
            st.pos = Some(r.pos);
        }
        if st.rows_seen.contains_key(&ri) {
            continue;
        }
        st.rows_seen.insert(ri, r.toks[ti].pos);
        let values = values_after(r, ti + 1);
        if (values.is_empty() || !r.grid) && values.iter().all(Tok::is_layout_blank) {
            pending_row = Some(ri);
            continue;
        }
        pending_row = None;
        if let Some((t, grid)) = &header_grid {
            if r.grid && r.table == *t && place_t2_by_grid(ctx, st, ri, r, &values, grid) {
                continue;
            }
        }
        assign_t2(
            ctx,
            st,
            ri,
            &values,
            &header,
            r.pos,
            r.glued.then_some(vanishing),
        );
    }
    if let (Some(pri), false) = (pending_row, pending_vals.is_empty()) {
        let vals = std::mem::take(&mut pending_vals);
        assign_t2(ctx, st, pri, &vals, &header, vals[0].pos, None);
    }
}

/// Row labels of table 2 in the wording of the other edition: the 2019
/// template's "规范性文件" in a 2021 table is its "行政规范性文件" (read, and
/// reported as GK004 by the caller, which sees a typo match).
fn earlier_wording(ctx: &Ctx<'_>, r: &RowToks, table: &Table) -> Option<(usize, usize, Match)> {
    const VARIANTS: [(&str, &str); 1] = [("规范性文件", "normative")];
    if ctx.report.edition != gongkai_template::Edition::V2021 {
        return None;
    }
    let ti = r.toks.iter().rposition(Tok::is_label)?;
    let n = normalize(&r.toks[ti].text);
    let key = VARIANTS.iter().find(|(v, _)| *v == n)?.1;
    let (ri, _) = table.row(key)?;
    Some((ri, ti, Match::Typo(ri)))
}

/// A grid row of table 2 under a grid header: each figure in the column it
/// stands in, a blank cell blank. Returns false (read by order instead) when a
/// figure stands outside the header's columns or a label inside them.
fn place_t2_by_grid(
    ctx: &mut Ctx<'_>,
    st: &mut TableState,
    ri: usize,
    r: &RowToks,
    values: &[Tok],
    grid: &[(usize, u16)],
) -> bool {
    let t = ctx.template();
    let row = &t.table(TableKey::T2).rows[ri];
    let mine: Vec<(usize, u16)> = grid
        .iter()
        .copied()
        .filter(|(c, _)| row.columns.contains(c))
        .collect();
    if mine.is_empty() {
        return false;
    }
    let min = mine.iter().map(|m| m.1).min().unwrap_or(0);
    let labels_left = r
        .toks
        .iter()
        .filter(|x| x.is_label())
        .all(|x| x.col.is_none_or(|c| c < min));
    let reaches = r.toks.iter().filter_map(|x| x.col).max() >= mine.iter().map(|m| m.1).max();
    // A cell spanning the header's columns ("本年处理决定数量" over three) holds
    // its figure at the span's first column.
    let placed = values.iter().all(|v| {
        v.is_label() || v.is_layout_blank() || v.col.is_some_and(|c| mine.iter().any(|m| m.1 == c))
    });
    if !(labels_left && reaches && placed) {
        return false;
    }
    for &(c, col) in &mine {
        let Some(index) = t.cell_at(TableKey::T2, ri, c) else {
            continue;
        };
        match values.iter().find(|v| v.col == Some(col)) {
            Some(tok) => put(ctx, st, index, tok),
            None => st.set_blank(index, r.pos),
        }
    }
    // Columns of the row the header does not name are absent, as by order.
    for &c in &row.columns {
        if !mine.iter().any(|m| m.0 == c) {
            if let Some(index) = t.cell_at(TableKey::T2, ri, c) {
                ctx.push(
                    Diagnostic::new(
                        GK003,
                        format!(
                            "表二“{}”一行缺少“{}”列",
                            row.label,
                            t.table(TableKey::T2).columns[c].label
                        ),
                    )
                    .cell_address(&t.cells[index].address, None)
                    .at(r.pos),
                );
            }
        }
    }
    true
}

/// How many figures a table-2 row has under its sub-table's header.
fn t2_width(table: &Table, ri: usize, header: &[(usize, Pos)]) -> usize {
    let row = &table.rows[ri];
    let n = header
        .iter()
        .filter(|(c, _)| row.columns.contains(c))
        .count();
    if n == 0 {
        row.columns.len()
    } else {
        n
    }
}

fn assign_t2(
    ctx: &mut Ctx<'_>,
    st: &mut TableState,
    ri: usize,
    values: &[Tok],
    header: &[(usize, Pos)],
    row_pos: Pos,
    // For a row cut out of glued text: whether blank cells vanish in this copy.
    glued: Option<bool>,
) {
    let t = ctx.template();
    let table = t.table(TableKey::T2);
    let row = &table.rows[ri];
    // The columns this row has, as its sub-table's header names them.
    let from_header: Vec<usize> = header
        .iter()
        .map(|(c, _)| *c)
        .filter(|c| row.columns.contains(c))
        .collect();
    let columns: Vec<usize> = if from_header.is_empty() {
        row.columns.clone()
    } else {
        from_header
    };
    let m = columns.len();
    if let (Some(vanishing), true) = (glued, m > 1) {
        if glued_t2(ctx, st, ri, values, &columns, vanishing) {
            return;
        }
    }
    // Cells beyond the header's columns must be empty; cells up to them are
    // real (a blank one is a blank cell).
    // A row of empty cells (a grid row) is blank in every column.
    let raw = if values.len() >= m && values.iter().all(Tok::is_layout_blank) {
        values
    } else {
        trim_layout_start(values)
    };
    let beyond_blank = raw.iter().skip(m).all(Tok::is_layout_blank);
    let take: Vec<&Tok> = if raw.len() >= m && beyond_blank {
        raw[..m].iter().collect()
    } else {
        let nonblank = trim_layout(raw);
        if nonblank.len() != m {
            ctx.push(
                Diagnostic::new(
                    GK007,
                    format!(
                        "表二“{}”一行有 {} 个数字，表头有 {m} 列；按从左到右的顺序读取",
                        row.label,
                        nonblank.len()
                    ),
                )
                .at(row_pos),
            );
        }
        nonblank.iter().take(m).collect()
    };
    for (i, &c) in columns.iter().enumerate() {
        let Some(index) = t.cell_at(TableKey::T2, ri, c) else {
            continue;
        };
        match take.get(i) {
            Some(tok) => put(ctx, st, index, tok),
            None => {
                // Not in the source: absent, and said so.
                ctx.push(
                    Diagnostic::new(
                        GK003,
                        format!("表二“{}”一行缺少“{}”", row.label, table.columns[c].label),
                    )
                    .cell_address(&t.cells[index].address, None)
                    .at(row_pos),
                );
            }
        }
    }
    // Columns of the row that the header did not name are absent.
    for &c in &row.columns {
        if !columns.contains(&c) {
            if let Some(index) = t.cell_at(TableKey::T2, ri, c) {
                ctx.push(
                    Diagnostic::new(
                        GK003,
                        format!("表二“{}”一行缺少“{}”列", row.label, table.columns[c].label),
                    )
                    .cell_address(&t.cells[index].address, None)
                    .at(row_pos),
                );
            }
        }
    }
}

/// A row of table 2 whose figures are glued together. Table 2 has no
/// arithmetic of its own, so a run splits only when its digits leave one
/// reading (as many digits as cells); otherwise the cells are named (GK009)
/// and left absent. Returns whether the row was handled here.
/// The values every reading of `run` agrees on, when it may stand for 1 to
/// `width` figures placed in any columns (in order), the other cells blank.
fn agreed_placements(run: &Run, width: usize) -> Vec<Option<i64>> {
    let mut agreed: Vec<Option<Option<i64>>> = vec![None; width]; // None = no reading yet
    let mut readings = 0usize;
    for k in 1..=width {
        let Some(splits) = super::glued::all_splits(run, k) else {
            return vec![None; width];
        };
        for parts in splits {
            // Each choice of k columns out of width, in order.
            let mut chosen: Vec<usize> = (0..k).collect();
            loop {
                readings += 1;
                if readings > 100_000 {
                    return vec![None; width];
                }
                let mut row = vec![0i64; width];
                for (p, &c) in parts.iter().zip(&chosen) {
                    row[c] = *p;
                }
                for (slot, v) in agreed.iter_mut().zip(&row) {
                    *slot = match *slot {
                        None => Some(Some(*v)),
                        Some(Some(a)) if a == *v => Some(Some(a)),
                        _ => Some(None),
                    };
                }
                // Next combination.
                let mut i = k;
                loop {
                    if i == 0 {
                        break;
                    }
                    i -= 1;
                    if chosen[i] < width - k + i {
                        chosen[i] += 1;
                        for j in i + 1..k {
                            chosen[j] = chosen[j - 1] + 1;
                        }
                        break;
                    }
                    if i == 0 {
                        i = usize::MAX;
                        break;
                    }
                }
                if i == usize::MAX {
                    break;
                }
            }
        }
    }
    agreed.into_iter().map(Option::flatten).collect()
}

fn glued_t2(
    ctx: &mut Ctx<'_>,
    st: &mut TableState,
    ri: usize,
    values: &[Tok],
    columns: &[usize],
    vanishing: bool,
) -> bool {
    let vals = trim_layout(values);
    if (vals.len() == columns.len() && !vanishing) || vals.is_empty() {
        return false;
    }
    let text: Vec<&str> = vals.iter().map(|t| t.text.as_str()).collect();
    let text = text.join(" ");
    let t = ctx.template();
    let table = t.table(TableKey::T2);
    let pos = vals[0].pos;
    // A sign starts a figure ("35-15" is 35 and −15, "0+11" is 0 and +11).
    let parts: Vec<String> = {
        let mut v: Vec<String> = Vec::new();
        let mut cur = String::new();
        for c in text.chars() {
            if (c == '-' || c == '+') && !cur.trim().is_empty() {
                v.push(std::mem::take(&mut cur).trim().to_string());
            }
            if c != '+' {
                cur.push(c);
            }
        }
        if !cur.trim().is_empty() {
            v.push(cur.trim().to_string());
        }
        v
    };
    let values: Vec<Option<i64>> = if (text.contains('-') || text.contains('+'))
        && parts.len() == columns.len()
        && parts.iter().all(|p| {
            p.trim_start_matches('-')
                .bytes()
                .all(|b| b.is_ascii_digit())
        }) {
        parts.iter().map(|p| p.parse().ok()).collect()
    } else if vanishing {
        // Blank cells leave no trace in this copy: the run may stand for
        // fewer figures than cells, in any of the columns (the others blank,
        // 0). A cell is known when every such reading agrees on it.
        match Run::parse(&text, columns.len()) {
            Some(run) => agreed_placements(&run, columns.len()),
            None => vec![None; columns.len()],
        }
    } else {
        match Run::parse(&text, columns.len()).map(|run| solve(std::slice::from_ref(&run), &[])) {
            Some(Outcome::Solved { values, .. }) => values.into_iter().next().unwrap_or_default(),
            _ => vec![None; columns.len()],
        }
    };
    // Still open: the report's own sentences may leave one split.
    let mut evidence = String::new();
    let values = if values.iter().any(Option::is_none) && !vanishing {
        match split_by_statements(ctx, ri, &text, columns) {
            Some((v, words)) => {
                evidence = words;
                v
            }
            None => values,
        }
    } else {
        values
    };
    let mut open = Vec::new();
    for (k, &c) in columns.iter().enumerate() {
        let Some(index) = t.cell_at(TableKey::T2, ri, c) else {
            continue;
        };
        match values.get(k).copied().flatten() {
            Some(v) => st.set_split(index, v, pos),
            None => open.push(index),
        }
    }
    let label = table.rows[ri].label;
    let n = open.len();
    let settled = if evidence.is_empty() {
        format!("表二“{label}”一行数字粘连（{text}），只有一种拆分，已按此读取")
    } else {
        format!("表二“{label}”一行数字粘连（{text}），按正文所述（“{evidence}”）只有一种拆分，已按此读取")
    };
    say_split(
        ctx,
        pos,
        open,
        settled,
        format!("表二“{label}”一行数字粘连（{text}），表二没有可用于拆分的勾稽关系，{n} 个单元格按缺失处理"),
    );
    true
}

/// The splits of a glued table-2 row that agree with the figures the report
/// states in its own words for that row; Some when they settle every cell
/// (with the words that did), None otherwise.
fn split_by_statements(
    ctx: &Ctx<'_>,
    ri: usize,
    text: &str,
    columns: &[usize],
) -> Option<(Vec<Option<i64>>, String)> {
    let t = ctx.template();
    let table = t.table(TableKey::T2);
    let row = table.rows[ri].key;
    let said: Vec<&super::stated::Stated> = ctx.stated.iter().filter(|s| s.row == row).collect();
    if said.is_empty() {
        return None;
    }
    let run = Run::parse(text, columns.len())?;
    let splits = super::glued::all_splits(&run, columns.len())?;
    let mut used: Vec<&str> = Vec::new();
    let fits: Vec<&Vec<i64>> = splits
        .iter()
        .filter(|split| {
            columns.iter().zip(split.iter()).all(|(&c, v)| {
                let col = table.columns[c].key;
                let for_col: Vec<&&super::stated::Stated> =
                    said.iter().filter(|s| s.column == col).collect();
                for_col.is_empty() || for_col.iter().any(|s| s.value == *v)
            })
        })
        .collect();
    let [only] = fits.as_slice() else {
        return None;
    };
    for (&c, v) in columns.iter().zip(only.iter()) {
        let col = table.columns[c].key;
        if let Some(s) = said.iter().find(|s| s.column == col && s.value == *v) {
            used.push(&s.words);
        }
    }
    if used.is_empty() {
        return None;
    }
    used.dedup();
    Some((only.iter().map(|v| Some(*v)).collect(), used.join("”“")))
}

/// Says how glued figures were split: GK008 when every cell was settled,
/// GK009 naming the cells left open otherwise.
fn say_split(
    ctx: &mut Ctx<'_>,
    pos: Pos,
    open: Vec<CellIndex>,
    settled: String,
    unsettled: String,
) {
    if open.is_empty() {
        ctx.push(Diagnostic::new(GK008, settled).at(pos));
        return;
    }
    let t = ctx.template();
    let mut d = Diagnostic::new(GK009, unsettled).at(pos);
    for i in open {
        d = d.cell_address(&t.cells[i].address, None);
    }
    ctx.push(d);
}

// ---------------------------------------------------------------------------
// Table 4.

fn table4(rows: &[RowToks], ctx: &mut Ctx<'_>, st: &mut TableState) {
    let t = ctx.template();
    let table = t.table(TableKey::T4);
    let cached = labels(ctx.report.edition, TableKey::T4);
    let (group_m, col_m) = (&cached.groups, &cached.columns);
    let suit = normalize(gongkai_template::T4_SUIT);
    let mut header_groups: Vec<usize> = Vec::new();
    let mut stream: Vec<Tok> = Vec::new();
    let mut by_group: BTreeMap<usize, (Vec<Tok>, Pos)> = BTreeMap::new();
    let width = table.columns.len();
    let mut glued_stream = false;
    // All the figures came from grid rows: their blank cells are cells.
    let mut grid_stream = true;
    for r in rows {
        // The row of figures under the header, every cell of it blank (zeros
        // left empty or written "—"): present, and zero.
        if st.found
            && r.grid
            && stream.is_empty()
            && r.all_blank()
            && r.toks.len() == width * table.rows.len()
        {
            ctx.consumed.insert(r.item);
            stream.extend(r.toks.iter().cloned());
            continue;
        }
        if skip_row(ctx, st.found, r) {
            continue;
        }
        if !r.has_values() {
            // Header row: group and column labels.
            let mut any = false;
            for tok in r.toks.iter().filter(|t| t.is_label()) {
                let n = norm::normalize(&tok.text);
                if *n == *suit {
                    any = true;
                    continue;
                }
                if let Some(m) = group_m.find_norm(&n) {
                    if let Match::Typo(g) = m {
                        typo(ctx, tok, table.rows[g].label);
                    }
                    header_groups.push(m.id());
                    any = true;
                } else if let Some(m) = col_m.find_norm(&n) {
                    if let Match::Typo(c) = m {
                        typo(ctx, tok, table.columns[c].label);
                    }
                    any = true;
                }
            }
            if any {
                ctx.consumed.insert(r.item);
                st.found = true;
                if st.pos.is_none() {
                    st.pos = Some(r.pos);
                }
            }
            continue;
        }
        // A row per group (a transposed layout): "行政复议 2 1 1 0 4".
        let label = r.toks.iter().rposition(Tok::is_label);
        if let Some(li) = label {
            if let Some(m) = group_m.find(&r.toks[li].text) {
                if let Match::Typo(g) = m {
                    typo(ctx, &r.toks[li], table.rows[g].label);
                }
                ctx.consumed.insert(r.item);
                st.found = true;
                st.pos.get_or_insert(r.pos);
                by_group
                    .entry(m.id())
                    .or_insert((values_after(r, li + 1), r.pos));
                continue;
            }
            if !st.found {
                // The header and the figures on one line (a line whose cells
                // were glued): the labels name the table's groups or columns.
                let header_words = r.toks[..=li].iter().filter(|t| t.is_label()).any(|t| {
                    let n = norm::normalize(&t.text);
                    *n == *suit
                        || group_m.find_norm(&n).is_some()
                        || cached.column_norms.iter().any(|c| n.contains(c.as_str()))
                });
                if header_words && r.toks[li + 1..].iter().all(|t| !t.is_label()) {
                    ctx.consumed.insert(r.item);
                    st.found = true;
                    st.pos.get_or_insert(r.pos);
                    stream.extend(r.toks[li + 1..].iter().cloned());
                    glued_stream |= r.glued || r.toks[li + 1..].len() < width;
                }
                continue;
            }
            // Text where numbers belong: keep it in the stream (GK005 below).
        } else if !st.found {
            // Numbers before any header: take them only if they are the 15 of the table.
            if r.toks.iter().filter(|t| t.is_value_like()).count() != 15 {
                continue;
            }
            st.found = true;
            st.pos.get_or_insert(r.pos);
        }
        ctx.consumed.insert(r.item);
        glued_stream |= r.glued;
        grid_stream &= r.grid;
        stream.extend(r.toks.iter().cloned());
    }
    for (g, (values, pos)) in &by_group {
        st.rows_seen.insert(*g, *pos);
        assign_group(ctx, st, *g, values, *pos);
    }
    if stream.is_empty() {
        return;
    }
    let all = width * table.rows.len();
    let cells_of_grid: Vec<Tok>;
    let values = if grid_stream && stream.iter().filter(|t| !t.is_label()).count() == all {
        cells_of_grid = stream.iter().filter(|t| !t.is_label()).cloned().collect();
        &cells_of_grid[..]
    } else {
        trim_layout(&stream)
    };
    let pos = values
        .iter()
        .find(|t| !t.is_layout_blank())
        .or(values.first())
        .map_or(Pos::UNKNOWN, |t| t.pos);
    if glued_stream && values.len() != all && by_group.is_empty() && glued_t4(ctx, st, values, all)
    {
        return;
    }
    let groups_in_order: Vec<usize> = if values.len() == width * table.rows.len() {
        (0..table.rows.len()).collect()
    } else if !header_groups.is_empty() && values.len() == width * header_groups.len() {
        header_groups.clone()
    } else {
        // Blank cells lost (one figure per line, or glued copies): which
        // figure stands in which column cannot be told. Nothing is guessed:
        // the cells are named and left absent.
        let mut d = Diagnostic::new(
            GK007,
            format!(
                "表四有 {} 个数字（{}），模板为 {} 个，空白单元格已丢失，无法确定各数字所在的列；表四的单元格按缺失处理",
                values.len(),
                values.iter().map(|v| v.text.as_str()).collect::<Vec<_>>().join(" "),
                width * table.rows.len()
            ),
        )
        .with_level(gongkai_report::Level::Warning)
        .at(pos);
        for g in 0..table.rows.len() {
            if by_group.contains_key(&g) {
                continue;
            }
            st.rows_seen.insert(g, pos);
            for c in 0..width {
                if let Some(index) = t.cell_at(TableKey::T4, g, c) {
                    d = d.cell_address(&t.cells[index].address, None);
                }
            }
        }
        ctx.push(d);
        return;
    };
    for (k, &g) in groups_in_order.iter().enumerate() {
        if by_group.contains_key(&g) {
            continue;
        }
        let chunk: Vec<Tok> = values.iter().skip(k * width).take(width).cloned().collect();
        if chunk.is_empty() {
            continue;
        }
        st.rows_seen.insert(g, chunk[0].pos);
        assign_group(ctx, st, g, &chunk, chunk[0].pos);
    }
}

/// Table 4's figures glued together: split into the groups' cells so that
/// each group's parts add up to its total (GK013). Returns whether handled.
fn glued_t4(ctx: &mut Ctx<'_>, st: &mut TableState, values: &[Tok], all: usize) -> bool {
    let text: Vec<&str> = values.iter().map(|t| t.text.as_str()).collect();
    let text = text.join(" ");
    let Some(run) = Run::parse(&text, all) else {
        return false;
    };
    let t = ctx.template();
    let table = t.table(TableKey::T4);
    let width = table.columns.len();
    let pos = values[0].pos;
    // Each group: upheld + corrected + other + pending − total = 0.
    let eqs: Vec<Equation> = (0..table.rows.len())
        .map(|g| {
            let mut terms: Vec<(Var, i64)> = (0..width - 1)
                .map(|k| {
                    (
                        Var {
                            run: 0,
                            slot: g * width + k,
                        },
                        1,
                    )
                })
                .collect();
            terms.push((
                Var {
                    run: 0,
                    slot: g * width + width - 1,
                },
                -1,
            ));
            Equation { terms, constant: 0 }
        })
        .collect();
    let mut outcome = solve(std::slice::from_ref(&run), &eqs);
    let mut note = "";
    if outcome == Outcome::NoSolution {
        outcome = solve(std::slice::from_ref(&run), &[]);
        note = "（各组之和不符，未用于拆分）";
    }
    let vals = match outcome {
        Outcome::Solved { values, .. } => values.into_iter().next().unwrap_or_default(),
        Outcome::NoSolution => vec![None; all],
    };
    let mut open = Vec::new();
    for g in 0..table.rows.len() {
        st.rows_seen.insert(g, pos);
        for c in 0..width {
            let Some(index) = t.cell_at(TableKey::T4, g, c) else {
                continue;
            };
            match vals.get(g * width + c).copied().flatten() {
                Some(v) => st.set_split(index, v, pos),
                None => open.push(index),
            }
        }
    }
    let n = open.len();
    say_split(
        ctx,
        pos,
        open,
        format!("表四的数字粘连（{text}），按各组之和{note}唯一拆分"),
        format!("表四的数字粘连（{text}），无法按各组之和唯一拆分，{n} 个单元格按缺失处理"),
    );
    true
}

fn assign_group(ctx: &mut Ctx<'_>, st: &mut TableState, g: usize, values: &[Tok], pos: Pos) {
    let t = ctx.template();
    let table = t.table(TableKey::T4);
    // A group of exactly its cells keeps its blank ones (a grid row).
    let vals = if values.len() == table.columns.len() {
        values
    } else {
        trim_layout_start(values)
    };
    for c in 0..table.columns.len() {
        let Some(index) = t.cell_at(TableKey::T4, g, c) else {
            continue;
        };
        match vals.get(c) {
            Some(tok) => put(ctx, st, index, tok),
            None => ctx.push(
                Diagnostic::new(
                    GK003,
                    format!(
                        "表四“{}”缺少“{}”",
                        table.rows[g].full_label(),
                        table.columns[c].label
                    ),
                )
                .cell_address(&t.cells[index].address, None)
                .at(pos),
            ),
        }
    }
}
