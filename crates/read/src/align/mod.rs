//! The template aligner: from any [`Document`] to a [`Report`].
//!
//! It finds the title (agency and year), the six sections by their titles (not
//! their numerals), the edition of the template, and the three tables, and
//! reads each row and column by its label. What it recovers from — typos in
//! labels, missing columns, blank cells, wrapped labels, page numbers inside a
//! table — it reports as diagnostics; nothing is silently repaired.

pub mod glued;
mod labels;
mod norm;
mod stated;
mod tables;
pub mod tokens;
mod unglue;

use crate::doc::{Block, Document, Pos, TableCell};
use gongkai_report::rules::{GK001, GK004, GK008};
use gongkai_report::{Diagnostic, Level, Report, SectionText};
use gongkai_template::text::{edit_distance, normalize, numbering_len};
use gongkai_template::{Edition, SectionKey, TableKey, Template};
use regex::Regex;
use std::collections::HashSet;
use std::sync::OnceLock;
use tokens::{tokenize_cells, tokenize_line, RowToks};

pub use labels::{Match, Matcher};

/// A line of the document: a line of text, or a table row.
#[derive(Debug)]
pub(crate) struct Item<'a> {
    text: Option<&'a str>,
    cells: Option<&'a [TableCell]>,
    /// For a table row: the grid column each of its cells starts in, and
    /// which table of the document it belongs to.
    cols: Option<Vec<u16>>,
    table: u32,
    pos: Pos,
    /// Cut out of a longer line whose cells were glued together.
    glued: bool,
}

impl<'a> Item<'a> {
    fn piece(&self, text: &'a str, start: usize, glued: bool) -> Item<'a> {
        let line = self.text.unwrap_or_default();
        let offset = line[..start].chars().count() as u32;
        Item {
            text: Some(text),
            cells: None,
            cols: None,
            table: u32::MAX,
            pos: Pos::new(self.pos.line, self.pos.column + offset),
            glued,
        }
    }
}

/// Lines whose breaks were lost: cut at the section titles inside them.
fn split_long_lines(items: Vec<Item<'_>>) -> (Vec<Item<'_>>, bool) {
    let mut out = Vec::with_capacity(items.len());
    let mut cut = false;
    for item in items {
        match item.text {
            Some(line) if item.cells.is_none() && line.len() >= 120 => {
                let pieces = unglue::split_sections(line);
                if pieces.len() == 1 {
                    out.push(item);
                    continue;
                }
                cut = true;
                for p in pieces {
                    let text = line[p.start..p.end].trim();
                    let start = p.start
                        + (line[p.start..p.end].len() - line[p.start..p.end].trim_start().len());
                    out.push(item.piece(text, start, false));
                }
            }
            _ => out.push(item),
        }
    }
    (out, cut)
}

/// Lines of the tables' sections whose cells were glued: cut into rows.
fn split_glued_rows<'a>(items: Vec<Item<'a>>, sections: &Sections) -> (Vec<Item<'a>>, bool) {
    let mut in_table = vec![false; items.len()];
    for key in [
        SectionKey::Proactive,
        SectionKey::Requests,
        SectionKey::Appeals,
    ] {
        let (from, to) = sections.range_for(key, items.len());
        for flag in in_table.iter_mut().take(to).skip(from) {
            *flag = true;
        }
    }
    let mut out = Vec::with_capacity(items.len());
    let mut cut = false;
    for (i, item) in items.into_iter().enumerate() {
        match item.text {
            Some(line) if in_table[i] && item.cells.is_none() => match unglue::split_rows(line) {
                Some(pieces) if pieces.len() > 1 || pieces.iter().any(|p| p.glued) => {
                    cut = true;
                    for p in pieces {
                        let raw = &line[p.start..p.end];
                        let start = p.start + (raw.len() - raw.trim_start().len());
                        out.push(item.piece(raw.trim(), start, p.glued));
                    }
                }
                _ => out.push(item),
            },
            _ => out.push(item),
        }
    }
    (out, cut)
}

fn items(doc: &Document) -> Vec<Item<'_>> {
    let mut out = Vec::with_capacity(doc.blocks.len());
    for (b, block) in doc.blocks.iter().enumerate() {
        let table = u32::try_from(b).unwrap_or(u32::MAX);
        match block {
            Block::Heading { text, pos, .. } | Block::Paragraph { text, pos } => {
                for (k, line) in text.split('\n').enumerate() {
                    let line = line.trim();
                    if line.is_empty() {
                        continue;
                    }
                    let p = if k == 0 {
                        *pos
                    } else {
                        Pos::new(pos.line + k as u32, 1)
                    };
                    out.push(Item {
                        text: Some(line),
                        cells: None,
                        cols: None,
                        table: u32::MAX,
                        pos: p,
                        glued: false,
                    });
                }
            }
            Block::Table(t) => {
                let grid = t.grid();
                for (r, row) in t.rows.iter().enumerate() {
                    // The grid column where each cell of this row starts.
                    let mut cols = vec![u16::MAX; row.len()];
                    if let Some(slots) = grid.slots.get(r) {
                        for (c, slot) in slots.iter().enumerate() {
                            if let Some((sr, si)) = *slot {
                                if sr == r && cols[si] == u16::MAX {
                                    cols[si] = u16::try_from(c).unwrap_or(u16::MAX);
                                }
                            }
                        }
                    }
                    // Cells the grid could not place (hostile spans) have no column.
                    let cols = cols.iter().all(|&c| c != u16::MAX).then_some(cols);
                    // An empty row carries nothing, unless it is a row of
                    // several cells (table 4's figures, all left blank).
                    if row.len() < 5 && row.iter().all(|c| c.text.trim().is_empty()) {
                        continue;
                    }
                    let pos = row.first().map_or(t.pos, |c| c.pos);
                    // A row with a single cell of text reads as a line too
                    // (headings laid out inside tables).
                    let mut nonempty = row.iter().filter(|c| !c.text.trim().is_empty());
                    let text = match (nonempty.next(), nonempty.next()) {
                        (Some(only), None) => Some(only.text.trim()),
                        _ => None,
                    };
                    out.push(Item {
                        text,
                        cells: Some(row),
                        cols,
                        table,
                        pos,
                        glued: false,
                    });
                }
            }
        }
    }
    out
}

/// What the table parsers share.
pub(crate) struct Ctx<'r> {
    pub report: &'r mut Report,
    pub diags: Vec<Diagnostic>,
    /// Items read as table rows (left out of the section text).
    pub consumed: HashSet<usize>,
    /// Table-2 figures the report states in its own words.
    pub stated: Vec<stated::Stated>,
}

impl Ctx<'_> {
    pub fn template(&self) -> &'static Template {
        Template::get(self.report.edition)
    }
    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }
}

/// Aligns a document to the template, then runs the single-report rules.
pub fn align(doc: &Document, source: &str) -> Report {
    let (items, _) = split_long_lines(items(doc));
    let mut sections = find_sections(&items);
    let (items, glued) = split_glued_rows(items, &sections);
    if glued {
        sections = find_sections(&items);
    }
    let edition = detect_edition(&items, &sections);
    let mut report = Report::new(source, edition.unwrap_or(Edition::V2021));
    if edition.is_none() {
        // Without a table 2 to tell by, the report year decides: reports for
        // 2019 and 2020 were made on the 2019 template.
        find_title(&items, &sections, &mut report);
        if report.year.is_some_and(|y| y <= 2020) {
            report.edition = Edition::V2019;
        }
        report.title = None;
        report.agency = None;
        report.year = None;
    }
    report.pages = doc.pages.clone();
    let stated: Vec<stated::Stated> = items
        .iter()
        .filter(|i| i.cells.is_none())
        .filter_map(|i| i.text)
        .flat_map(stated::stated)
        .collect();
    let mut ctx = Ctx {
        report: &mut report,
        diags: Vec::new(),
        consumed: HashSet::new(),
        stated,
    };

    for note in &doc.notes {
        ctx.push(
            Diagnostic::new(GK008, note.message.clone())
                .with_level(Level::Info)
                .at(note.pos),
        );
    }
    find_title(&items, &sections, ctx.report);
    section_diagnostics(&sections, &items, &mut ctx);

    for key in TableKey::ALL {
        let section = Template::get(ctx.report.edition).table(key).section;
        let (from, to) = sections.range_for(section, items.len());
        let rows = rows_in(&items, from, to);
        tables::parse(key, &rows, &mut ctx);
    }

    // Section texts: the lines of each section not read as table rows.
    for key in SectionKey::ALL {
        let Some(start) = sections.start[key.index()] else {
            continue;
        };
        let end = sections.end_of(key, items.len());
        let mut text = String::new();
        for (i, item) in items.iter().enumerate().take(end).skip(start + 1) {
            if ctx.consumed.contains(&i) || item.cells.is_some() {
                continue;
            }
            if let Some(t) = item.text {
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(t);
            }
        }
        let heading = items[start].text.unwrap_or_default().to_string();
        ctx.report.sections[key.index()] = Some(SectionText {
            heading,
            pos: items[start].pos,
            text,
        });
    }
    ctx.report.stated_period_year = stated_period_year(&items);

    let mut diags = std::mem::take(&mut ctx.diags);
    drop(ctx);
    diags.extend(gongkai_report::check(&report));
    diags.sort_by_key(|d| (d.line.is_none(), d.line, d.column));
    report.diagnostics = diags;
    report
}

/// Tokens of a label with its figures glued on: the trailing run of digits
/// is cut off the label first.
fn tokenize_glued(text: &str, pos: Pos, item: usize) -> RowToks {
    let mut cut = text.len();
    for (i, c) in text.char_indices().rev() {
        let f = gongkai_template::text::fold_char(c);
        if f.is_ascii_digit() || f == ' ' || f == '.' || f == ',' || f == '-' || f == '+' {
            cut = i;
        } else {
            break;
        }
    }
    // A leading '.' or ',' belongs to the label ("1." of a numbering).
    while cut < text.len()
        && !text[cut..].starts_with(|c: char| {
            let f = gongkai_template::text::fold_char(c);
            f.is_ascii_digit() || f == '-'
        })
    {
        cut += text[cut..].chars().next().map_or(1, char::len_utf8);
    }
    if cut == 0 || cut >= text.len() {
        return tokenize_line(text, pos, item);
    }
    let mut toks = Vec::new();
    tokens::tokenize_cell(&text[..cut], pos, None, &mut toks);
    let offset = text[..cut].chars().count() as u32;
    tokens::tokenize_cell(
        &text[cut..],
        Pos::new(pos.line, pos.column + offset),
        None,
        &mut toks,
    );
    let mut row = tokens::finish(toks, pos, item);
    row.glued = true;
    row
}

/// Rows of a region, as tokens.
fn rows_in(items: &[Item<'_>], from: usize, to: usize) -> Vec<RowToks> {
    let mut rows = Vec::new();
    for (i, item) in items.iter().enumerate().take(to).skip(from) {
        match (item.cells, item.text) {
            (Some(cells), _) => {
                let mut row = tokenize_cells(cells, item.cols.as_deref(), i);
                row.table = item.table;
                rows.push(row);
            }
            (None, Some(text)) => {
                // Sentences are not table rows; short lines may be (labels,
                // numbers on a line of their own, wrapped labels).
                if text.ends_with('。') || text.chars().count() > 120 {
                    continue;
                }
                let mut row = if item.glued {
                    tokenize_glued(text, item.pos, i)
                } else {
                    tokenize_line(text, item.pos, i)
                };
                row.glued = item.glued;
                if !row.prose {
                    rows.push(row);
                }
            }
            (None, None) => {}
        }
    }
    rows
}

// ---------------------------------------------------------------------------
// Sections.

pub(crate) struct Sections {
    /// Item index of each section heading.
    start: [Option<usize>; 6],
    /// Sections found, but out of the template's order.
    out_of_order: Vec<SectionKey>,
}

impl Sections {
    fn end_of(&self, key: SectionKey, len: usize) -> usize {
        let Some(start) = self.start[key.index()] else {
            return len;
        };
        self.start
            .iter()
            .flatten()
            .copied()
            .filter(|&s| s > start)
            .min()
            .unwrap_or(len)
    }

    /// The item range to search for a section's table: the section itself, or,
    /// when its heading is missing, the gap between its neighbours.
    fn range_for(&self, key: SectionKey, len: usize) -> (usize, usize) {
        if let Some(s) = self.start[key.index()] {
            return (s + 1, self.end_of(key, len));
        }
        let before = self.start[..key.index()].iter().flatten().copied().max();
        let after = self.start[key.index() + 1..]
            .iter()
            .flatten()
            .copied()
            .min();
        // The table parsers match rows by label, so the wider range is safe.
        (before.map_or(0, |b| b + 1), after.unwrap_or(len))
    }
}

struct SectionMatcher {
    /// (normalised title, its length in characters, its character mask, section)
    forms: Vec<(String, usize, u64, SectionKey)>,
}

fn section_matcher() -> &'static SectionMatcher {
    static M: OnceLock<SectionMatcher> = OnceLock::new();
    M.get_or_init(|| {
        let t = Template::get(Edition::V2021);
        let mut forms = Vec::new();
        for s in &t.sections {
            for title in std::iter::once(&s.title).chain(s.variants) {
                let norm = normalize(title);
                let (len, mask) = (norm.chars().count(), labels::char_mask(&norm));
                forms.push((norm, len, mask, s.key));
            }
        }
        SectionMatcher { forms }
    })
}

/// Which section a heading line opens, by its title.
fn section_of(text: &str) -> Option<SectionKey> {
    section_match(text).map(|(k, _)| k)
}

/// Which section a heading line opens, and whether its title departs from
/// the template's words (a slip in the wording, found by edit distance)
/// rather than being the title, a known variant, or either followed by a
/// short addition.
fn section_match(text: &str) -> Option<(SectionKey, bool)> {
    let t = text.trim_start_matches(|c: char| c == '#' || c.is_whitespace());
    if t.chars().count() > 40 {
        return None;
    }
    let numbered = numbering_len(t) > 0;
    let norm = norm::normalize(t);
    if norm.is_empty() {
        return None;
    }
    let m = section_matcher();
    for (form, _, _, key) in &m.forms {
        if *norm == **form {
            return Some((*key, false));
        }
    }
    if !numbered {
        return None;
    }
    let mut best: Option<(usize, SectionKey, bool)> = None;
    let nlen = norm.chars().count();
    let nmask = labels::char_mask(&norm);
    for &(ref form, flen, fmask, key) in &m.forms {
        // Each distinct character of the title missing from the line costs
        // at least one edit (a cheap lower bound; hash collisions only lower it).
        let missing = (fmask & !nmask).count_ones() as usize;
        let score = if norm.starts_with(form.as_str()) && nlen <= flen + 8 {
            Some((nlen - flen, false))
        } else if nlen + 4 >= flen && nlen <= flen + 4 && missing <= (flen / 4).max(1) {
            let d = edit_distance(&norm, form);
            (d <= (flen / 4).max(1)).then_some((d, true))
        } else {
            None
        };
        if let Some((s, slip)) = score {
            if best.is_none_or(|(b, _, _)| s < b) {
                best = Some((s, key, slip));
            }
        }
    }
    best.map(|(_, k, slip)| (k, slip))
}

fn find_sections(items: &[Item<'_>]) -> Sections {
    let candidates: Vec<(usize, SectionKey)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, it)| it.text.and_then(section_of).map(|k| (i, k)))
        .collect();
    // The longest run of candidates in template order (a heading repeated in
    // the text, or a line that happens to read like a title, does not break it).
    let n = candidates.len();
    let mut len = vec![1usize; n];
    let mut prev = vec![usize::MAX; n];
    for j in 0..n {
        for i in 0..j {
            if candidates[i].1 < candidates[j].1 && len[i] + 1 > len[j] {
                len[j] = len[i] + 1;
                prev[j] = i;
            }
        }
    }
    let mut start = [None; 6];
    if let Some(mut j) = (0..n).max_by_key(|&j| (len[j], std::cmp::Reverse(j))) {
        loop {
            start[candidates[j].1.index()] = Some(candidates[j].0);
            if prev[j] == usize::MAX {
                break;
            }
            j = prev[j];
        }
    }
    let mut out_of_order = Vec::new();
    for &(i, k) in &candidates {
        if start[k.index()].is_none() {
            start[k.index()] = Some(i);
            out_of_order.push(k);
        }
    }
    Sections {
        start,
        out_of_order,
    }
}

fn section_diagnostics(sections: &Sections, items: &[Item<'_>], ctx: &mut Ctx<'_>) {
    let t = ctx.template();
    for s in &t.sections {
        match sections.start[s.key.index()] {
            None => ctx.push(Diagnostic::new(
                GK001,
                format!("缺少第{}部分“{}”", s.numeral, s.heading()),
            )),
            Some(i) if sections.out_of_order.contains(&s.key) => ctx.push(
                Diagnostic::new(
                    GK001,
                    format!("第{}部分“{}”的位置与模板顺序不符", s.numeral, s.heading()),
                )
                .at(items[i].pos),
            ),
            Some(i) => {
                if let Some(text) = items[i].text {
                    if matches!(section_match(text), Some((_, true))) {
                        let shown = text
                            .trim_start_matches(|c: char| c == '#' || c.is_whitespace())
                            .trim();
                        ctx.push(
                            Diagnostic::new(
                                GK004,
                                format!(
                                    "第{}部分的标题“{shown}”与模板“{}、{}”不一致，已按该部分读取",
                                    s.numeral, s.numeral, s.title
                                ),
                            )
                            .at(items[i].pos),
                        );
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Title, agency, year.

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid regex"))
}

fn find_title(items: &[Item<'_>], sections: &Sections, report: &mut Report) {
    static YEAR: OnceLock<Regex> = OnceLock::new();
    let year_re = re(&YEAR, r"((?:19|20)\d{2})\s*年(?:度)?");
    let first_section = sections
        .start
        .iter()
        .flatten()
        .copied()
        .min()
        .unwrap_or(items.len());
    // The first 40 lines; failing that, every line before the first section
    // (a page whose report follows a long stretch of other content).
    if !title_in(items, 0, first_section.clamp(1, 40), year_re, report) && first_section > 40 {
        title_in(items, 40, first_section, year_re, report);
    }
}

/// Looks for the title among items `from..to`; true when found.
fn title_in(
    items: &[Item<'_>],
    from: usize,
    to: usize,
    year_re: &Regex,
    report: &mut Report,
) -> bool {
    let mut prev_line: Option<&str> = None;
    for item in items.iter().take(to).skip(from) {
        let Some(text) = item.text else { continue };
        let text = text
            .trim_start_matches(|c: char| c == '#' || c.is_whitespace())
            .trim();
        let before = prev_line.take();
        prev_line = agency_line(text);
        let prev_line = before;
        // A CMS page's field ("标题：…") names the title; it is not part of it.
        let text = ["标题", "文章标题", "题目", "名称", "信息名称"]
            .iter()
            .find_map(|f| {
                text.strip_prefix(f)
                    .map(|r| r.trim_start())
                    .and_then(|r| r.strip_prefix([':', '：']))
            })
            .map_or(text, str::trim);
        // A title at the start of a line that runs on (a crawler record
        // "标题,日期,正文…", a title cut short "…年度报..."): the title phrase.
        static HEAD: OnceLock<Regex> = OnceLock::new();
        let head = re(
            &HEAD,
            r"^(.{0,40}?)((?:19|20)\d{2})\s*年\s*(?:度)?\s*(?:政府)?信息公开(?:工作)?(?:年度)?(?:报告|年报|报\.*|…+|\.\.\.)",
        );
        let text = match head.find(text) {
            Some(m) if text.chars().count() > 80 || text[m.end()..].starts_with([',', '，']) => {
                m.as_str().trim_end_matches(['.', '…'])
            }
            _ => text,
        };
        if !(text.contains("年度报告")
            || text.contains("年报")
            || text.contains("工作报告")
            || head.is_match(text))
        {
            continue;
        }
        if text.chars().count() > 80 {
            continue;
        }
        report.title = Some(text.to_string());
        let mut agency_range = 0..0;
        if let Some(c) = year_re.captures(text) {
            let m = c.get(1).expect("group");
            report.year = m.as_str().parse().ok();
            agency_range = 0..m.start();
            // "2019年上海市人民政府办公厅政府信息公开工作年度报告": the year first.
            let after = c.get(0).expect("match").end();
            if text[..m.start()].trim().is_empty() {
                if let Some(k) = text[after..].find("政府信息公开") {
                    agency_range = after..after + k;
                }
            }
        } else {
            agency_range.end = text.find("政府信息公开").unwrap_or(0);
        }
        let agency = text[agency_range]
            .trim_matches(|c: char| c.is_whitespace() || "《》\"“”：:".contains(c))
            .trim_end_matches("关于");
        if !agency.is_empty() {
            report.agency = Some(agency.to_string());
        } else if let Some(prev) = prev_line {
            // A title broken over two lines: the agency on the line before.
            report.agency = Some(prev.to_string());
            report.title = Some(format!("{prev}{text}"));
        }
        return true;
    }
    false
}

/// Does a short line look like the name of an administrative organ (the first
/// line of a title broken in two)?
fn agency_line(text: &str) -> Option<&str> {
    let t = text.trim();
    let n = t.chars().count();
    let ends = [
        "政府",
        "办公室",
        "办公厅",
        "委员会",
        "局",
        "厅",
        "部",
        "委",
        "署",
        "院",
        "中心",
        "区",
        "县",
        "市",
        "镇",
        "乡",
        "街道",
        "办事处",
        "管委会",
        "管理委员会",
        "集团",
        "公司",
        "所",
        "站",
        "队",
        "会",
    ];
    ((2..=30).contains(&n)
        && !t
            .chars()
            .any(|c| c.is_ascii_digit() || "，。：:；".contains(c))
        && ends.iter().any(|e| t.ends_with(e)))
    .then_some(t)
}

/// The year of the statistics period stated in the text, if any.
fn stated_period_year(items: &[Item<'_>]) -> Option<i32> {
    static PERIOD: OnceLock<Regex> = OnceLock::new();
    let period = re(
        &PERIOD,
        r"(?:统计(?:时限|期限|时间|区间|周期|范围)|数据统计|统计截止)[^。]{0,12}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日",
    );
    for item in items {
        let Some(text) = item.text else { continue };
        if let Some(c) = period.captures(text) {
            return c.get(1).and_then(|m| m.as_str().parse().ok());
        }
    }
    None
}

// ---------------------------------------------------------------------------
// Edition.

fn detect_edition(items: &[Item<'_>], sections: &Sections) -> Option<Edition> {
    static LABELS: OnceLock<(Vec<String>, Vec<String>)> = OnceLock::new();
    let (only_2019, labels_2021) = LABELS.get_or_init(|| {
        let t19 = Template::get(Edition::V2019).table(TableKey::T2);
        let t21 = Template::get(Edition::V2021).table(TableKey::T2);
        let l21: Vec<String> = t21.columns.iter().map(|c| normalize(c.label)).collect();
        let only: Vec<String> = t19
            .columns
            .iter()
            .map(|c| normalize(c.label))
            .filter(|l| !l21.contains(l))
            .collect();
        (only, l21)
    });
    let (from, to) = sections.range_for(SectionKey::Proactive, items.len());
    let mut votes_2019 = 0;
    let mut votes_2021 = 0;
    for item in items.iter().take(to).skip(from) {
        let texts: Vec<&str> = match item.cells {
            Some(cells) => cells.iter().map(|c| c.text.as_str()).collect(),
            None => item.text.into_iter().collect(),
        };
        for t in texts {
            if t.is_empty() || t.as_bytes()[0].is_ascii_digit() {
                continue;
            }
            let norm = norm::normalize(t);
            let mut n = std::borrow::Cow::Borrowed(&*norm);
            // "本年处理决定数量" (2021) contains "处理决定数量" (2019): remove 2021 labels first.
            for l in labels_2021 {
                if n.contains(l.as_str()) {
                    n = n.replace(l.as_str(), "|").into();
                    votes_2021 += 1;
                }
            }
            if only_2019
                .iter()
                .any(|l| !l.is_empty() && n.contains(l.as_str()))
            {
                votes_2019 += 1;
            }
        }
    }
    if votes_2019 >= 2 {
        Some(Edition::V2019)
    } else if votes_2021 > 0 || votes_2019 > 0 {
        Some(Edition::V2021)
    } else {
        // No table 2 to tell by.
        None
    }
}
