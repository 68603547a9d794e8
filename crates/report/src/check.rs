//! The rules that run on a finished `Report`: arithmetic (GK005, GK010–GK013),
//! text against tables (GK030), years and editions (GK031, GK032), and
//! across years of one agency (GK020, GK021).

use crate::rules::*;
use crate::{Diagnostic, Level, Num, Report};
use gongkai_template::{Edition, SectionKey, TableKey, Template, ValueKind};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// The outcome rows of table 3 that add up to （七）总计.
pub fn outcome_rows(t: &Template) -> Vec<usize> {
    let table = t.table(TableKey::T3);
    table
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            !matches!(
                r.key,
                "new_received" | "carried_over" | "total_processed" | "carried_forward"
            )
        })
        .map(|(i, _)| i)
        .collect()
}

/// Runs every single-report rule and returns what they found.
pub fn check(report: &Report) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    check_values(report, &mut out);
    check_t3_rows(report, &mut out);
    check_t3_columns(report, &mut out);
    check_t4(report, &mut out);
    check_text(report, &mut out);
    check_placeholders(report, &mut out);
    check_years(report, &mut out);
    out
}

/// GK005: counts must be whole and non-negative.
fn check_values(report: &Report, out: &mut Vec<Diagnostic>) {
    let t = report.template();
    for (i, def) in t.cells.iter().enumerate() {
        let Some(cell) = report.cell_at(i) else {
            continue;
        };
        let v = cell.value;
        let problem = match def.kind {
            ValueKind::Count if v.is_negative() => Some("为负数"),
            ValueKind::Count if v.as_int().is_none() => Some("不是整数"),
            ValueKind::Change if v.as_int().is_none() => Some("不是整数"),
            ValueKind::Amount if v.is_negative() => Some("为负数"),
            _ => None,
        };
        if let Some(p) = problem {
            out.push(
                Diagnostic::new(GK005, format!("{}的值 {v} {p}", t.cell_label(i))).cell(report, i),
            );
        }
    }
}

fn int(report: &Report, i: usize) -> Option<i64> {
    report.cell_at(i).and_then(|c| c.value.as_int())
}

/// Sums the cells; None when any is absent.
fn sum(report: &Report, cells: &[usize]) -> Option<i64> {
    cells
        .iter()
        .try_fold(0i64, |acc, &i| Some(acc.saturating_add(int(report, i)?)))
}

/// GK010: each row of table 3 adds up across the applicant columns.
fn check_t3_rows(report: &Report, out: &mut Vec<Diagnostic>) {
    let t = report.template();
    let table = t.table(TableKey::T3);
    let (total_col, _) = table.column("total").expect("table 3 has a total column");
    for (ri, row) in table.rows.iter().enumerate() {
        let parts: Vec<usize> = (0..table.columns.len())
            .filter(|&c| c != total_col)
            .filter_map(|c| t.cell_at(TableKey::T3, ri, c))
            .collect();
        let total = t.cell_at(TableKey::T3, ri, total_col).expect("cell");
        let (Some(expected), Some(actual)) = (sum(report, &parts), int(report, total)) else {
            continue;
        };
        if expected != actual {
            let mut d = Diagnostic::new(
                GK010,
                format!(
                    "表三“{}”一行：总计为 {actual}，各类申请人之和为 {expected}",
                    row.label
                ),
            )
            .expected(Num::Int(expected))
            .cell(report, total);
            for &p in &parts {
                d = d.cell(report, p);
            }
            out.push(d);
        }
    }
}

/// GK011 and GK012: each column of table 3.
fn check_t3_columns(report: &Report, out: &mut Vec<Diagnostic>) {
    let t = report.template();
    let table = t.table(TableKey::T3);
    let outcomes = outcome_rows(t);
    let row = |k: &str| table.row(k).expect("table 3 row").0;
    let (new, carried, processed, forward) = (
        row("new_received"),
        row("carried_over"),
        row("total_processed"),
        row("carried_forward"),
    );
    for (ci, column) in table.columns.iter().enumerate() {
        let cell = |r: usize| t.cell_at(TableKey::T3, r, ci).expect("cell");
        let outcome_cells: Vec<usize> = outcomes.iter().map(|&r| cell(r)).collect();
        if let (Some(expected), Some(actual)) =
            (sum(report, &outcome_cells), int(report, cell(processed)))
        {
            if expected != actual {
                let mut d = Diagnostic::new(
                    GK011,
                    format!(
                        "表三“{}”列：（七）总计为 {actual}，办理结果各项之和为 {expected}",
                        column.label
                    ),
                )
                .expected(Num::Int(expected))
                .cell(report, cell(processed));
                for &c in &outcome_cells {
                    if int(report, c) != Some(0) {
                        d = d.cell(report, c);
                    }
                }
                out.push(d);
            }
        }
        let left = sum(report, &[cell(new), cell(carried)]);
        let right = sum(report, &[cell(processed), cell(forward)]);
        if let (Some(l), Some(r)) = (left, right) {
            if l != r {
                out.push(
                    Diagnostic::new(
                        GK012,
                        format!(
                            "表三“{}”列：本年新收与上年结转之和为 {l}，办理结果总计与结转下年度之和为 {r}",
                            column.label
                        ),
                    )
                    .expected(Num::Int(l))
                    .cell(report, cell(processed))
                    .cell(report, cell(forward))
                    .cell(report, cell(new))
                    .cell(report, cell(carried)),
                );
            }
        }
    }
}

/// GK013: each group of table 4.
fn check_t4(report: &Report, out: &mut Vec<Diagnostic>) {
    let t = report.template();
    let table = t.table(TableKey::T4);
    let (total_col, _) = table.column("total").expect("table 4 total");
    for (ri, row) in table.rows.iter().enumerate() {
        let parts: Vec<usize> = (0..table.columns.len())
            .filter(|&c| c != total_col)
            .filter_map(|c| t.cell_at(TableKey::T4, ri, c))
            .collect();
        let total = t.cell_at(TableKey::T4, ri, total_col).expect("cell");
        let (Some(expected), Some(actual)) = (sum(report, &parts), int(report, total)) else {
            continue;
        };
        if expected != actual {
            let mut d = Diagnostic::new(
                GK013,
                format!(
                    "表四“{}”：总计为 {actual}，各项之和为 {expected}",
                    row.label
                ),
            )
            .expected(Num::Int(expected))
            .cell(report, total);
            for &p in &parts {
                d = d.cell(report, p);
            }
            out.push(d);
        }
    }
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid regex"))
}

/// A number stated in the text: "收到政府信息公开申请 81 件", or 0 for "未收到…申请".
pub fn stated_new_requests(text: &str) -> Option<(i64, usize)> {
    static POSITIVE: OnceLock<Regex> = OnceLock::new();
    static NONE: OnceLock<Regex> = OnceLock::new();
    let positive = re(
        &POSITIVE,
        r"(?:共收到|收到|受理|新收|接收|办理)[^。；;，,]{0,24}?申请[^。；;，,\d]{0,12}?(\d[\d,，]*)\s*(?:件|项|条|个|份|宗)",
    );
    let none = re(
        &NONE,
        r"(?:未收到|没有收到|未受理|无)[^。；;]{0,30}?(?:公开申请|的申请|申请公开|申请)",
    );
    // Only lines that mention an application can state the number received.
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.contains("申请") {
            if let Some((n, at)) = stated_in_line(line, positive, none) {
                return Some((n, offset + at));
            }
        }
        offset += line.len();
    }
    None
}

fn stated_in_line(text: &str, positive: &Regex, none: &Regex) -> Option<(i64, usize)> {
    let mut best: Option<(i64, usize)> = None;
    if let Some(c) = positive.captures(text) {
        let m = c.get(1).expect("group");
        let digits: String = m.as_str().chars().filter(|c| c.is_ascii_digit()).collect();
        if let Ok(n) = digits.parse::<i64>() {
            best = Some((n, m.start()));
        }
    }
    if let Some(m) = none.find(text) {
        if best.is_none_or(|(_, at)| m.start() < at) {
            best = Some((0, m.start()));
        }
    }
    best
}

/// GK030: figures in the text against the tables.
fn check_text(report: &Report, out: &mut Vec<Diagnostic>) {
    let Some(general) = report.section(SectionKey::General) else {
        return;
    };
    let Some((stated, byte_at)) = stated_new_requests(&general.text) else {
        return;
    };
    let t = report.template();
    let Some(i) = t.cell_by_keys(TableKey::T3, "new_received", "total") else {
        return;
    };
    let table_value = match int(report, i) {
        Some(v) => v,
        None => {
            // Without a total column, the sum of the applicant columns, when all are there.
            let table = t.table(TableKey::T3);
            let (r, _) = table.row("new_received").expect("row");
            let parts: Vec<usize> = (0..table.columns.len() - 1)
                .filter_map(|c| t.cell_at(TableKey::T3, r, c))
                .collect();
            match sum(report, &parts) {
                Some(v) => v,
                None => return,
            }
        }
    };
    if stated != table_value {
        let excerpt: String = general.text[byte_at..].chars().take(30).collect();
        let mut d = Diagnostic::new(
            GK030,
            format!("正文称收到政府信息公开申请 {stated} 件（“{excerpt}…”），表三本年新收总计为 {table_value}"),
        )
        .expected(Num::Int(table_value))
        .cell(report, i);
        if d.line.is_none() {
            d = d.at(general.pos);
        }
        out.push(d);
    }
}

/// Words that mark text left to be written.
const PLACEHOLDERS: [&str; 7] = [
    "尚未填写",
    "待填写",
    "待补充",
    "此处填写",
    "请填写",
    "××",
    "XXX",
];

/// GK033: placeholder text left in a section.
fn check_placeholders(report: &Report, out: &mut Vec<Diagnostic>) {
    for section in report.sections.iter().flatten() {
        for line in section.text.lines() {
            let Some(word) = PLACEHOLDERS.iter().find(|w| line.contains(*w)) else {
                continue;
            };
            let excerpt: String = line.trim().chars().take(30).collect();
            let d = Diagnostic::new(
                GK033,
                format!(
                    "“{}”中有未填写的占位文字“{word}”：“{excerpt}”",
                    section.heading.trim()
                ),
            );
            // At the section's heading (paragraphs do not keep their lines).
            out.push(d.at(section.pos));
            break;
        }
    }
}

/// The year of a file name: a 4-digit 19xx or 20xx not part of a longer run of letters or digits.
pub fn year_in_file_name(source: &str) -> Option<i32> {
    let name = source.rsplit(['/', '\\']).next().unwrap_or(source);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let chars: Vec<char> = stem.chars().collect();
    let mut found = None;
    for i in 0..chars.len().saturating_sub(3) {
        let w = &chars[i..i + 4];
        if !w.iter().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 4).copied();
        let bounded = |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric());
        if bounded(before) && bounded(after) {
            let y: i32 = w.iter().collect::<String>().parse().ok()?;
            if (2000..=2100).contains(&y) {
                if found.is_some() {
                    return None; // two years: not telling
                }
                found = Some(y);
            }
        }
    }
    found
}

/// GK031 and GK032.
fn check_years(report: &Report, out: &mut Vec<Diagnostic>) {
    let mut years: Vec<(&str, i32)> = Vec::new();
    if let Some(y) = report.year {
        years.push(("标题", y));
    }
    if let Some(y) = report.stated_period_year {
        years.push(("统计期限", y));
    }
    if let Some(y) = year_in_file_name(&report.source) {
        years.push(("文件名", y));
    }
    if let Some(&(first, y0)) = years.first() {
        for &(what, y) in &years[1..] {
            if y != y0 {
                out.push(Diagnostic::new(
                    GK031,
                    format!("{first}中的年度为 {y0}，{what}中的年度为 {y}"),
                ));
            }
        }
    }
    if report.edition == Edition::V2019 {
        if let Some(y) = report.year.filter(|&y| y >= 2021) {
            out.push(Diagnostic::new(
                GK032,
                format!(
                    "{y} 年度报告使用了 2019 年版模板（{}），应使用 {}",
                    Edition::V2019.document(),
                    Edition::V2021.document()
                ),
            ));
        }
    }
}

/// What the rules across years need of a report: its agency, year, and the
/// few cells they compare. Small, so a batch of 100,000 reports can be
/// compared without keeping the reports.
#[derive(Debug, Clone)]
pub struct Figures {
    pub source: String,
    pub agency_key: String,
    pub year: i32,
    pub edition: Edition,
    cells: Vec<(usize, Num, Option<crate::Pos>)>,
}

impl Figures {
    /// The figures of a report; None when its agency or year is unknown.
    pub fn of(report: &Report) -> Option<Figures> {
        let agency_key = report.agency_key().filter(|a| !a.is_empty())?;
        let year = report.year?;
        let t = report.template();
        let mut cells = Vec::with_capacity(20);
        let mut keep = |table: TableKey, row: &str, col: &str| {
            if let Some(i) = t.cell_by_keys(table, row, col) {
                if let Some(c) = report.cell_at(i) {
                    cells.push((i, c.value, c.origin.pos()));
                }
            }
        };
        for column in &t.table(TableKey::T3).columns {
            keep(TableKey::T3, "carried_over", column.key);
            keep(TableKey::T3, "carried_forward", column.key);
        }
        for row in ["regulation", "normative"] {
            for col in ["issued", "repealed", "in_force"] {
                keep(TableKey::T2, row, col);
            }
        }
        cells.shrink_to_fit();
        let mut agency_key = agency_key;
        agency_key.shrink_to_fit();
        Some(Figures {
            source: report.source.clone(),
            agency_key,
            year,
            edition: report.edition,
            cells,
        })
    }

    fn get(
        &self,
        table: TableKey,
        row: &str,
        col: &str,
    ) -> Option<(usize, Num, Option<crate::Pos>)> {
        let i = Template::get(self.edition).cell_by_keys(table, row, col)?;
        self.cells.iter().find(|c| c.0 == i).copied()
    }

    fn cell_ref(
        &self,
        index: usize,
        value: Num,
        pos: Option<crate::Pos>,
        prefix: bool,
    ) -> crate::CellRef {
        let address = &Template::get(self.edition).cells[index].address;
        crate::CellRef {
            address: if prefix {
                format!("{}#{address}", self.source)
            } else {
                address.clone()
            },
            value: Some(value),
            line: pos.map(|p| p.line),
            column: pos.map(|p| p.column),
        }
    }
}

/// Runs the rules across years (GK020, GK021) over reports of any agencies:
/// reports are grouped by normalised agency name, and each pair of consecutive
/// years is compared. Returns (index of the later report, diagnostic).
pub fn check_series(reports: &[&Report]) -> Vec<(usize, Diagnostic)> {
    let figures: Vec<Option<Figures>> = reports.iter().map(|r| Figures::of(r)).collect();
    check_series_figures(&figures)
}

/// [`check_series`] over the figures of reports (None for a report whose
/// agency or year is unknown).
pub fn check_series_figures(figures: &[Option<Figures>]) -> Vec<(usize, Diagnostic)> {
    let mut keys: BTreeMap<&str, BTreeSet<i32>> = BTreeMap::new();
    for f in figures.iter().flatten() {
        keys.entry(f.agency_key.as_str())
            .or_default()
            .insert(f.year);
    }
    let canonical = link_region_prefixes(&keys);
    let mut by_agency: BTreeMap<&str, BTreeMap<i32, usize>> = BTreeMap::new();
    for (i, f) in figures.iter().enumerate() {
        if let Some(f) = f {
            let key = canonical
                .get(f.agency_key.as_str())
                .copied()
                .unwrap_or(f.agency_key.as_str());
            // Two reports of one agency and year: compare against the first only.
            by_agency.entry(key).or_default().entry(f.year).or_insert(i);
        }
    }
    let mut out = Vec::new();
    for years in by_agency.values() {
        for (&year, &cur) in years {
            let Some(&prev) = years.get(&(year - 1)) else {
                continue;
            };
            let (Some(p), Some(c)) = (&figures[prev], &figures[cur]) else {
                continue;
            };
            if p.agency_key != c.agency_key {
                out.push((
                    cur,
                    Diagnostic::new(
                        GK020,
                        format!(
                            "“{}”与上一年度的“{}”按同一机关衔接核对（名称只差地区前缀）",
                            c.agency_key, p.agency_key
                        ),
                    )
                    .with_level(Level::Info),
                ));
            }
            for d in compare_years(p, c) {
                out.push((cur, d));
            }
        }
    }
    out
}

/// Whether the agency name `long` is `short` with a region in front
/// ("淮安市洪泽区人民政府" and "洪泽区人民政府"): `short` must itself start with
/// a place (区, 县, 市, 镇 …) and be at least four characters, and what comes
/// before it must end with a region (省, 市, 县, 区 …). Both names are
/// normalised ([`crate::normalize_agency`]).
pub fn differs_by_region_prefix(long: &str, short: &str) -> bool {
    const REGION_ENDS: [&str; 9] = [
        "省",
        "市",
        "自治区",
        "自治州",
        "地区",
        "盟",
        "县",
        "区",
        "旗",
    ];
    const PLACE_UNITS: [char; 8] = ['省', '市', '区', '县', '镇', '乡', '旗', '州'];
    short.len() < long.len()
        && long.ends_with(short)
        && short.chars().count() >= 4
        && short.chars().take(8).any(|c| PLACE_UNITS.contains(&c))
        && {
            let prefix = &long[..long.len() - short.len()];
            REGION_ENDS.iter().any(|e| prefix.ends_with(e))
        }
}

/// Agency names that differ only by a region prefix ("淮安市洪泽区人民政府" and
/// "洪泽区人民政府") name one office: maps each longer name to the shorter one
/// it ends with, when that shorter name itself starts with a place (区, 县,
/// 市, 镇 …). `keys` are the names with the years of their reports; two names
/// with a report for the same year are two offices, and are not linked.
pub fn link_region_prefixes<'a>(
    keys: &BTreeMap<&'a str, BTreeSet<i32>>,
) -> BTreeMap<&'a str, &'a str> {
    let mut out = BTreeMap::new();
    for (&long, long_years) in keys {
        let mut found: Vec<&str> = keys
            .iter()
            .filter(|(_, years)| years.is_disjoint(long_years))
            .map(|(&short, _)| short)
            .filter(|&short| differs_by_region_prefix(long, short))
            .collect();
        // The longest shorter name is the nearest: "洪泽区人民政府" before "人民政府".
        found.sort_by_key(|s| std::cmp::Reverse(s.len()));
        if let Some(&short) = found.first() {
            out.insert(long, short);
        }
    }
    // Follow chains (a → b → c) to their end.
    let snapshot = out.clone();
    for v in out.values_mut() {
        let mut seen = 0;
        while let Some(next) = snapshot.get(v) {
            *v = next;
            seen += 1;
            if seen > 8 {
                break;
            }
        }
    }
    out
}

/// GK020 and GK021 for one agency's figures of year N−1 and N.
pub fn compare_years(prev: &Figures, cur: &Figures) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let tc = Template::get(cur.edition);
    for column in &tc.table(TableKey::T3).columns {
        let (Some((ci, now, now_pos)), Some((pi, before, before_pos))) = (
            cur.get(TableKey::T3, "carried_over", column.key),
            prev.get(TableKey::T3, "carried_forward", column.key),
        ) else {
            continue;
        };
        if now.as_int() != before.as_int() {
            let mut d = Diagnostic::new(
                GK020,
                format!(
                    "表三“{}”列：上年结转为 {now}，而 {} 年度报告（{}）的结转下年度继续办理为 {before}",
                    column.label, prev.year, prev.source
                ),
            )
            .expected(before)
            .related(prev.source.clone());
            d.cells.push(cur.cell_ref(ci, now, now_pos, false));
            d.cells.push(prev.cell_ref(pi, before, before_pos, true));
            if let Some(p) = now_pos {
                d = d.at(p);
            }
            out.push(d);
        }
    }
    for row in ["regulation", "normative"] {
        let int = |f: &Figures, col: &str| {
            f.get(TableKey::T2, row, col)
                .and_then(|(i, v, p)| Some((i, v.as_int()?, p)))
        };
        let (
            Some((ci, now, pos)),
            Some((_, issued, _)),
            Some((_, repealed, _)),
            Some((_, before, _)),
        ) = (
            int(cur, "in_force"),
            int(cur, "issued"),
            int(cur, "repealed"),
            int(prev, "in_force"),
        )
        else {
            continue;
        };
        let expected = before + issued - repealed;
        if expected != now {
            let label = tc
                .table(TableKey::T2)
                .row(row)
                .map_or(row, |(_, r)| r.label);
            let mut d = Diagnostic::new(
                GK021,
                format!(
                    "表二“{label}”：现行有效件数为 {now}，上年现行有效 {before} + 本年制发 {issued} − 本年废止 {repealed} = {expected}"
                ),
            )
            .expected(Num::Int(expected))
            .related(prev.source.clone());
            d.cells.push(cur.cell_ref(ci, Num::Int(now), pos, false));
            if let Some(p) = pos {
                d = d.at(p);
            }
            out.push(d);
        }
    }
    out
}

/// Counts diagnostics by level.
pub fn count_levels(diags: &[Diagnostic]) -> (usize, usize, usize) {
    diags.iter().fold((0, 0, 0), |(e, w, i), d| match d.level {
        Level::Error => (e + 1, w, i),
        Level::Warning => (e, w + 1, i),
        Level::Info => (e, w, i + 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stated_figures() {
        assert_eq!(
            stated_new_requests("全年受理政府信息公开申请 81 项，全部在法定期限内办结")
                .map(|x| x.0),
            Some(81)
        );
        assert_eq!(
            stated_new_requests("全年共收到政府信息公开申请 0 件。").map(|x| x.0),
            Some(0)
        );
        assert_eq!(
            stated_new_requests("本年度，未收到政府信息公开申请。").map(|x| x.0),
            Some(0)
        );
        assert_eq!(
            stated_new_requests("2024 年我乡收到依申请公开事项 0 条").map(|x| x.0),
            Some(0)
        );
        assert_eq!(
            stated_new_requests("共收到政府信息公开申请1,204件").map(|x| x.0),
            Some(1204)
        );
    }

    #[test]
    fn file_name_years() {
        assert_eq!(year_in_file_name("dir/huaian-city-2024.pdf"), Some(2024));
        assert_eq!(year_in_file_name("000_de18c90c9c2a264c.txt"), None);
        assert_eq!(year_in_file_name("ab2024cd.txt"), None);
        assert_eq!(year_in_file_name("2023年报告.html"), Some(2023));
    }
}
