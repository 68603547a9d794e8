//! The template aligner: from any [`Document`] to a [`Report`].
//!
//! It finds the title (agency and year), the six sections by their titles (not
//! their numerals), the edition of the template, and the three tables, and
//! reads each row and column by its label. What it recovers from — typos in
//! labels, missing columns, blank cells, wrapped labels, page numbers inside a
//! table — it reports as diagnostics; nothing is silently repaired.

mod labels;
mod tables;
pub mod tokens;

use crate::doc::{Block, Document, Pos, TableCell};
use gongkai_report::rules::{GK001, GK008};
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
    pos: Pos,
}

fn items(doc: &Document) -> Vec<Item<'_>> {
    let mut out = Vec::with_capacity(doc.blocks.len());
    for block in &doc.blocks {
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
                        pos: p,
                    });
                }
            }
            Block::Table(t) => {
                for row in &t.rows {
                    if row.iter().all(|c| c.text.trim().is_empty()) {
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
                        pos,
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
    let items = items(doc);
    let sections = find_sections(&items);
    let edition = detect_edition(&items, &sections);
    let mut report = Report::new(source, edition);
    report.pages = doc.pages.clone();
    let mut ctx = Ctx {
        report: &mut report,
        diags: Vec::new(),
        consumed: HashSet::new(),
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
        let section = Template::get(edition).table(key).section;
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

/// Rows of a region, as tokens.
fn rows_in(items: &[Item<'_>], from: usize, to: usize) -> Vec<RowToks> {
    let mut rows = Vec::new();
    for (i, item) in items.iter().enumerate().take(to).skip(from) {
        match (item.cells, item.text) {
            (Some(cells), _) => rows.push(tokenize_cells(cells, i)),
            (None, Some(text)) => {
                // Sentences are not table rows; short lines may be (labels,
                // numbers on a line of their own, wrapped labels).
                if text.ends_with('。') || text.chars().count() > 120 {
                    continue;
                }
                let row = tokenize_line(text, item.pos, i);
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
    forms: Vec<(String, SectionKey)>,
}

fn section_matcher() -> &'static SectionMatcher {
    static M: OnceLock<SectionMatcher> = OnceLock::new();
    M.get_or_init(|| {
        let t = Template::get(Edition::V2021);
        let mut forms = Vec::new();
        for s in &t.sections {
            forms.push((normalize(s.title), s.key));
            for v in s.variants {
                forms.push((normalize(v), s.key));
            }
        }
        SectionMatcher { forms }
    })
}

/// Which section a heading line opens, by its title.
fn section_of(text: &str) -> Option<SectionKey> {
    let t = text.trim_start_matches(|c: char| c == '#' || c.is_whitespace());
    if t.chars().count() > 40 {
        return None;
    }
    let numbered = numbering_len(t) > 0;
    let norm = normalize(t);
    if norm.is_empty() {
        return None;
    }
    let m = section_matcher();
    for (form, key) in &m.forms {
        if norm == *form {
            return Some(*key);
        }
    }
    if !numbered {
        return None;
    }
    let mut best: Option<(usize, SectionKey)> = None;
    for (form, key) in &m.forms {
        let flen = form.chars().count();
        let nlen = norm.chars().count();
        let score = if norm.starts_with(form.as_str()) && nlen <= flen + 8 {
            Some(nlen - flen)
        } else if nlen + 4 >= flen && nlen <= flen + 4 {
            let d = edit_distance(&norm, form);
            (d <= (flen / 4).max(1)).then_some(d)
        } else {
            None
        };
        if let Some(s) = score {
            if best.is_none_or(|(b, _)| s < b) {
                best = Some((s, *key));
            }
        }
    }
    best.map(|(_, k)| k)
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
            Some(_) => {}
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
    let limit = sections
        .start
        .iter()
        .flatten()
        .copied()
        .min()
        .unwrap_or(items.len())
        .min(40);
    for item in items.iter().take(limit.max(1)) {
        let Some(text) = item.text else { continue };
        let text = text
            .trim_start_matches(|c: char| c == '#' || c.is_whitespace())
            .trim();
        if !(text.contains("年度报告") || text.contains("年报") || text.contains("工作报告"))
        {
            continue;
        }
        if text.chars().count() > 80 {
            continue;
        }
        report.title = Some(text.to_string());
        let agency_end;
        if let Some(c) = year_re.captures(text) {
            let m = c.get(1).expect("group");
            report.year = m.as_str().parse().ok();
            agency_end = m.start();
        } else {
            agency_end = text.find("政府信息公开").unwrap_or(0);
        }
        let agency = text[..agency_end]
            .trim_matches(|c: char| c.is_whitespace() || "《》\"“”：:".contains(c))
            .trim_end_matches("关于");
        if !agency.is_empty() {
            report.agency = Some(agency.to_string());
        }
        return;
    }
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

fn detect_edition(items: &[Item<'_>], sections: &Sections) -> Edition {
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
    for item in items.iter().take(to).skip(from) {
        let texts: Vec<&str> = match item.cells {
            Some(cells) => cells.iter().map(|c| c.text.as_str()).collect(),
            None => item.text.into_iter().collect(),
        };
        for t in texts {
            if t.is_empty() || t.as_bytes()[0].is_ascii_digit() {
                continue;
            }
            let mut n = normalize(t);
            // "本年处理决定数量" (2021) contains "处理决定数量" (2019): remove 2021 labels first.
            for l in labels_2021 {
                if n.contains(l.as_str()) {
                    n = n.replace(l.as_str(), "|");
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
        Edition::V2019
    } else {
        Edition::V2021
    }
}
