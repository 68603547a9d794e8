//! One review season: for every agency of the roster and every year asked,
//! was the report published, when, late or missing; its faults by rule;
//! continuity with the year before (GK020, GK021); copied narrative (GK042);
//! large changes (GK043); and its score.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use gongkai_report::{compare_years, normalize_agency, Diagnostic, Figures, Level, Report};
use gongkai_template::Edition;
use serde::Serialize;

use crate::compare::{large_changes, ChangeSettings, KeyFigures};
use crate::roster::{Agency, Roster};
use crate::rules::{level_of, GK040, GK041, GK042};
use crate::score::{score, Score};

/// What the review keeps of one collected report: small, so a season of
/// 50,000 reports fits in memory without the reports.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The caller's id of the collected report.
    pub id: u64,
    pub agency: u64,
    pub year: i32,
    /// The file it was read from, or where it was published.
    pub source: String,
    /// The day it was published, when known.
    pub published_on: Option<NaiveDate>,
    pub edition: Edition,
    /// The report's own findings (reading and the single-report rules).
    pub findings: Vec<Diagnostic>,
    /// What the rules across years compare.
    pub figures: Option<Figures>,
    pub key: KeyFigures,
}

impl Entry {
    /// The entry of a report read and checked, matched to `agency` for `year`.
    pub fn of(
        id: u64,
        agency: &Agency,
        year: i32,
        published_on: Option<NaiveDate>,
        report: &Report,
    ) -> Entry {
        let figures = if report.year == Some(year) && report.agency.is_some() {
            Figures::of(report)
        } else {
            let mut r = report.clone();
            r.year = Some(year);
            r.agency = Some(agency.name.clone());
            Figures::of(&r)
        };
        let figures = figures.map(|mut f| {
            // One series per agency of the roster, whatever name the report gives.
            f.agency_key = normalize_agency(&agency.name);
            f
        });
        Entry {
            id,
            agency: agency.id,
            year,
            source: report.source.clone(),
            published_on,
            edition: report.edition,
            findings: report.diagnostics.clone(),
            figures,
            key: KeyFigures::of(report),
        }
    }
}

/// A section found copied (from the copied-narrative detection), by entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Copied {
    /// The entry whose section copies.
    pub entry: u64,
    /// The entry it copies from.
    pub from: u64,
    /// The section, 1 to 6.
    pub section: u8,
    /// How much of the text they share, 0 to 1.
    pub similarity: f64,
    /// Copied from the same agency's report of the year before.
    pub previous_year: bool,
}

impl From<crate::similar::Copying> for Copied {
    fn from(c: crate::similar::Copying) -> Copied {
        Copied {
            entry: c.later,
            from: c.earlier,
            section: c.section,
            similarity: c.similarity,
            previous_year: c.kind == crate::similar::CopyKind::PreviousYear,
        }
    }
}

/// Whether and when an agency published its report of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Status {
    OnTime {
        published_on: NaiveDate,
    },
    Late {
        published_on: NaiveDate,
        days: i64,
    },
    /// Collected, but the day it was published is not known (an uploaded file).
    Undated,
    /// The deadline has passed and there is no report.
    Missing,
    /// No report yet, and the deadline has not passed.
    NotDue,
}

impl Status {
    pub fn label(&self) -> String {
        match self {
            Status::OnTime { .. } => "按时公开".into(),
            Status::Late { days, .. } => format!("逾期 {days} 天"),
            Status::Undated => "已收集，公开日期不详".into(),
            Status::Missing => "未公开".into(),
            Status::NotDue => "未到期限".into(),
        }
    }

    pub fn key(&self) -> &'static str {
        match self {
            Status::OnTime { .. } => "on_time",
            Status::Late { .. } => "late",
            Status::Undated => "undated",
            Status::Missing => "missing",
            Status::NotDue => "not_due",
        }
    }

    pub fn published_on(&self) -> Option<NaiveDate> {
        match *self {
            Status::OnTime { published_on } | Status::Late { published_on, .. } => {
                Some(published_on)
            }
            _ => None,
        }
    }
}

/// The review of one agency's report of one year.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub agency: u64,
    pub year: i32,
    pub due: NaiveDate,
    pub status: Status,
    /// The entry reviewed (the last one collected), if any.
    pub entry: Option<u64>,
    /// Other entries collected for this agency and year.
    pub duplicates: Vec<u64>,
    #[serde(skip)]
    pub edition: Option<Edition>,
    pub source: Option<String>,
    /// Every finding: the report's own, across years, lateness, copies.
    pub findings: Vec<Diagnostic>,
    pub errors: usize,
    pub warnings: usize,
    /// None while the report is not due.
    pub score: Option<Score>,
    pub key: Option<KeyFigures>,
    /// Sections copied, with where from.
    pub copied: Vec<Copied>,
}

impl Row {
    /// Findings at error or warning level.
    pub fn faults(&self) -> impl Iterator<Item = &Diagnostic> {
        self.findings.iter().filter(|d| d.level != Level::Info)
    }

    /// Error and warning counts by rule.
    pub fn by_rule(&self) -> BTreeMap<&'static str, usize> {
        let mut m = BTreeMap::new();
        for d in self.faults() {
            *m.entry(d.rule).or_default() += 1;
        }
        m
    }

    pub fn edition_label(&self) -> &'static str {
        match self.edition {
            Some(Edition::V2021) => "2021年版",
            Some(Edition::V2019) => "2019年版",
            None => "—",
        }
    }
}

/// How the review judges.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The day of the review: deadlines after it have not passed.
    pub today: NaiveDate,
    pub changes: ChangeSettings,
}

/// Reviews the reports of `years` of every agency in the roster.
/// `entries` may hold other years too (the year before is compared with).
/// Where an agency has several entries for one year, the last collected
/// (highest id) is reviewed and the others are its duplicates; the earliest
/// publication among them decides lateness.
pub fn review(
    roster: &Roster,
    entries: &[Entry],
    copied: &[Copied],
    years: &[i32],
    settings: &Settings,
) -> Vec<Row> {
    let mut by_key: HashMap<(u64, i32), Vec<&Entry>> = HashMap::new();
    for e in entries {
        by_key.entry((e.agency, e.year)).or_default().push(e);
    }
    for v in by_key.values_mut() {
        v.sort_by_key(|e| e.id);
    }
    let mut copies: HashMap<u64, Vec<&Copied>> = HashMap::new();
    for c in copied {
        copies.entry(c.entry).or_default().push(c);
    }
    let source_of: HashMap<u64, &Entry> = entries.iter().map(|e| (e.id, e)).collect();
    let mut rows = Vec::with_capacity(roster.len() * years.len());
    for agency in roster.agencies() {
        for &year in years {
            let due = agency.kind.due_date(year);
            let list = by_key.get(&(agency.id, year));
            let Some(entry) = list.and_then(|l| l.last()).copied() else {
                let missing = settings.today > due;
                let findings = if missing {
                    vec![Diagnostic::new(
                        GK041,
                        format!(
                            "{year} 年度报告应于 {} 前公开，至 {} 仍未收到",
                            due.format("%Y年%-m月%-d日"),
                            settings.today.format("%Y年%-m月%-d日")
                        ),
                    )
                    .with_level(level_of(GK041))]
                } else {
                    Vec::new()
                };
                let score = missing.then(|| score(&findings, None));
                rows.push(Row {
                    agency: agency.id,
                    year,
                    due,
                    status: if missing {
                        Status::Missing
                    } else {
                        Status::NotDue
                    },
                    entry: None,
                    duplicates: Vec::new(),
                    edition: None,
                    source: None,
                    errors: findings.len(),
                    warnings: 0,
                    findings,
                    score,
                    key: None,
                    copied: Vec::new(),
                });
                continue;
            };
            let list = list.expect("an entry came from the list");
            let first_published = list.iter().filter_map(|e| e.published_on).min();
            let status = match first_published {
                None => Status::Undated,
                Some(p) if p > due => Status::Late {
                    published_on: p,
                    days: (p - due).num_days(),
                },
                Some(p) => Status::OnTime { published_on: p },
            };
            let mut findings = entry.findings.clone();
            if let Status::Late { published_on, days } = status {
                findings.push(
                    Diagnostic::new(
                        GK040,
                        format!(
                            "{year} 年度报告应于 {} 前公开（{}），实际于 {} 公开，逾期 {days} 天",
                            due.format("%Y年%-m月%-d日"),
                            agency.kind.label(),
                            published_on.format("%Y年%-m月%-d日")
                        ),
                    )
                    .with_level(level_of(GK040)),
                );
            }
            // Continuity and changes against the year before.
            if let Some(prev) = by_key
                .get(&(agency.id, year - 1))
                .and_then(|l| l.last())
                .copied()
            {
                if let (Some(p), Some(c)) = (&prev.figures, &entry.figures) {
                    findings.extend(compare_years(p, c));
                }
                findings.extend(large_changes(
                    &prev.key,
                    &entry.key,
                    year - 1,
                    &settings.changes,
                ));
            }
            let mut row_copies: Vec<Copied> = copies
                .get(&entry.id)
                .map(|v| v.iter().map(|c| (*c).clone()).collect())
                .unwrap_or_default();
            row_copies.sort_by(|a, b| {
                a.section
                    .cmp(&b.section)
                    .then(b.similarity.total_cmp(&a.similarity))
            });
            // One finding per copied section, naming the closest source.
            let mut seen = Vec::new();
            for c in &row_copies {
                if seen.contains(&c.section) {
                    continue;
                }
                seen.push(c.section);
                let from = source_of.get(&c.from);
                let whose = match from {
                    Some(f) if c.previous_year => format!("本机关 {} 年度报告", f.year),
                    Some(f) => {
                        let name = roster.get(f.agency).map_or("其他机关", |a| a.name.as_str());
                        format!("“{name}” {} 年度报告", f.year)
                    }
                    None => "另一份报告".into(),
                };
                let heading = section_heading(c.section);
                let mut d = Diagnostic::new(
                    GK042,
                    format!(
                        "“{heading}”与{whose}的同一部分文字相同约 {:.0}%",
                        c.similarity * 100.0
                    ),
                )
                .with_level(level_of(GK042));
                if let Some(f) = from {
                    d = d.related(f.source.clone());
                }
                findings.push(d);
            }
            let late_days = match status {
                Status::Late { days, .. } => Some(days),
                _ => None,
            };
            let (errors, warnings, _) = gongkai_report::count_levels(&findings);
            rows.push(Row {
                agency: agency.id,
                year,
                due,
                status,
                entry: Some(entry.id),
                duplicates: list
                    .iter()
                    .filter(|e| e.id != entry.id)
                    .map(|e| e.id)
                    .collect(),
                edition: Some(entry.edition),
                source: Some(entry.source.clone()),
                score: Some(score(&findings, late_days)),
                errors,
                warnings,
                findings,
                key: Some(entry.key.clone()),
                copied: row_copies,
            });
        }
    }
    rows
}

/// "一、总体情况" for section 1 … 6.
pub fn section_heading(section: u8) -> String {
    let t = gongkai_template::Template::get(Edition::V2021);
    t.sections
        .get(usize::from(section).saturating_sub(1))
        .map_or_else(|| format!("第{section}部分"), |s| s.heading())
}

/// Counts of a season, for its summary and its 通报.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    pub agencies: usize,
    pub rows: usize,
    pub on_time: usize,
    pub late: usize,
    pub undated: usize,
    pub missing: usize,
    pub not_due: usize,
    /// Reports with at least one error.
    pub with_errors: usize,
    pub old_template: usize,
    pub copied: usize,
    /// Findings by rule (errors and warnings).
    pub by_rule: BTreeMap<&'static str, usize>,
    /// The mean score of the reports due.
    pub mean_score: Option<f64>,
}

pub fn summarize(rows: &[Row]) -> Summary {
    let mut s = Summary {
        rows: rows.len(),
        ..Default::default()
    };
    let mut agencies: Vec<u64> = rows.iter().map(|r| r.agency).collect();
    agencies.sort_unstable();
    agencies.dedup();
    s.agencies = agencies.len();
    let mut scores = Vec::new();
    for r in rows {
        match r.status {
            Status::OnTime { .. } => s.on_time += 1,
            Status::Late { .. } => s.late += 1,
            Status::Undated => s.undated += 1,
            Status::Missing => s.missing += 1,
            Status::NotDue => s.not_due += 1,
        }
        if r.entry.is_some() && r.errors > 0 {
            s.with_errors += 1;
        }
        if r.edition == Some(Edition::V2019) && r.year >= 2021 {
            s.old_template += 1;
        }
        if !r.copied.is_empty() {
            s.copied += 1;
        }
        for (rule, n) in r.by_rule() {
            *s.by_rule.entry(rule).or_default() += n;
        }
        if let Some(sc) = &r.score {
            scores.push(f64::from(sc.total));
        }
    }
    if !scores.is_empty() {
        s.mean_score = Some(scores.iter().sum::<f64>() / scores.len() as f64);
    }
    s
}

/// The findings a report's JSON (gongkai's, as `gongkai parse` writes it)
/// carries, with their cells and positions; None when it carries none (its
/// findings are then the checker's to recompute). Rules this build does not
/// know are left out.
pub fn findings_from_json(v: &serde_json::Value) -> Option<Vec<Diagnostic>> {
    let list = v.get("diagnostics")?.as_array()?;
    let num = |x: &serde_json::Value| -> Option<gongkai_report::Num> {
        if let Some(i) = x.as_i64() {
            Some(gongkai_report::Num::Int(i))
        } else {
            x.as_f64().map(gongkai_report::Num::Dec)
        }
    };
    let int = |x: Option<&serde_json::Value>| x.and_then(|x| x.as_u64()).map(|n| n as u32);
    let mut out = Vec::with_capacity(list.len());
    for d in list {
        let Some(rule) = d
            .get("rule")
            .and_then(|r| r.as_str())
            .and_then(crate::rules::any_rule)
        else {
            continue;
        };
        let level = match d.get("level").and_then(|l| l.as_str()) {
            Some("error") => Level::Error,
            Some("warning") => Level::Warning,
            Some("info") => Level::Info,
            _ => rule.level,
        };
        let mut diag = Diagnostic::new(
            rule.id,
            d.get("message").and_then(|m| m.as_str()).unwrap_or(""),
        )
        .with_level(level);
        diag.line = int(d.get("line"));
        diag.column = int(d.get("column"));
        diag.expected = d.get("expected").and_then(num);
        diag.related = d.get("related").and_then(|r| r.as_str()).map(String::from);
        for c in d
            .get("cells")
            .and_then(|c| c.as_array())
            .into_iter()
            .flatten()
        {
            let Some(address) = c.get("address").and_then(|a| a.as_str()) else {
                continue;
            };
            diag.cells.push(gongkai_report::CellRef {
                address: address.to_string(),
                value: c.get("value").and_then(num),
                line: int(c.get("line")),
                column: int(c.get("column")),
            });
        }
        out.push(diag);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_survive_the_json() {
        let mut r = gongkai_report::sample::consistent_report(3, 2024);
        let v = r
            .value("t3.granted.natural_person")
            .unwrap()
            .as_int()
            .unwrap();
        r.set(
            "t3.granted.natural_person",
            gongkai_report::Num::Int(v + 1),
            gongkai_report::Origin::Source(gongkai_report::Pos::new(12, 5)),
        );
        r.diagnostics = gongkai_report::check(&r);
        assert!(!r.diagnostics.is_empty());
        let json: serde_json::Value = serde_json::from_str(&format!(
            "{{\"diagnostics\":{}}}",
            serde_json::to_string(&r.diagnostics).unwrap()
        ))
        .unwrap();
        assert_eq!(findings_from_json(&json).unwrap(), r.diagnostics);
        assert_eq!(findings_from_json(&serde_json::json!({"cells": {}})), None);
    }
}
