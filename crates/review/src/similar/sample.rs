//! Generated report narrative with planted copies, for tests and benchmarks
//! of [`super::find_copies`].
//!
//! Township governments (镇、乡、街道) of generated counties write the six
//! sections from sentence frames of the kind such reports are made of —
//! 主动公开, 依申请公开, 政府信息管理, 平台建设, 监督保障, problems and
//! improvements, other matters — each frame filled with the agency's own
//! names, villages, projects, lists of work and figures, so that independent
//! texts share stock phrasing but not their wording. Every report also has
//! the boilerplate every report has (the 编制 sentence, the statistics period,
//! sub-section titles, the fee sentence, "无。").
//!
//! Copies are then planted: a section taken over from the same agency's
//! previous year (figures and year changed), from another agency of the same
//! year (names and figures changed), from another agency's report of the
//! year before, by a cluster of agencies from one model text, and partial
//! copies that keep about 70% of the source's sentences and write the rest.
//! Every sentence keeps the id of the text it was first written for, so any
//! pair found can be told related or not ([`Sample::related`]).

use super::{CopyKind, Passage};
use gongkai_report::sample::Rng;

/// How much to generate and plant.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub agencies: usize,
    pub first_year: i32,
    pub years: usize,
    /// Share of sections (from the second year on) taken from the same
    /// agency's previous year.
    pub previous_year: f64,
    /// Share of sections taken from another agency of the same year.
    pub other_agency: f64,
    /// Share of sections taken from another agency's report of the year before.
    pub cross_year: f64,
    /// Share of planted copies that are partial (about 70% of the sentences).
    pub partial: f64,
    /// Model texts each copied by 4 to 12 agencies (in the last year).
    pub clusters: usize,
}

impl Plan {
    /// `agencies` agencies over `years` years from 2023, with copies at
    /// rates a supervisor might meet.
    pub fn new(agencies: usize, years: usize) -> Plan {
        Plan {
            agencies,
            first_year: 2023,
            years,
            previous_year: 0.05,
            other_agency: 0.02,
            cross_year: 0.005,
            partial: 0.3,
            clusters: agencies / 1000 + 1,
        }
    }
}

/// One generated report.
#[derive(Debug, Clone)]
pub struct Report {
    pub id: u64,
    pub agency: u64,
    /// The agency's full name, as written in its text.
    pub name: String,
    pub year: i32,
    pub sections: [String; 6],
}

/// A planted copy: `later`'s section taken (wholly or in part) from
/// `earlier`'s.
#[derive(Debug, Clone, PartialEq)]
pub struct Planted {
    pub later: u64,
    pub earlier: u64,
    pub section: u8,
    pub kind: CopyKind,
    pub partial: bool,
}

/// A generated batch.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Report `i` has id `i`.
    pub reports: Vec<Report>,
    pub planted: Vec<Planted>,
    /// The ids of the original texts each section's sentences came from.
    origins: Vec<[Vec<u32>; 6]>,
}

impl Sample {
    pub fn generate(seed: u64, plan: &Plan) -> Sample {
        Generator::new(seed, plan).run()
    }

    /// Every section of every report, report `i` section `s` at `6 * i + s - 1`.
    pub fn passages(&self) -> Vec<Passage<'_>> {
        self.reports
            .iter()
            .flat_map(|r| {
                r.sections.iter().enumerate().map(move |(s, text)| Passage {
                    id: r.id,
                    agency: r.agency,
                    year: r.year,
                    section: s as u8 + 1,
                    name: &r.name,
                    text,
                })
            })
            .collect()
    }

    /// The index in [`Sample::passages`] of a report's section.
    pub fn passage_index(id: u64, section: u8) -> usize {
        id as usize * 6 + usize::from(section) - 1
    }

    /// Whether two reports' sections share a sentence written for one text
    /// (a copy, a copy of a copy, or two copies of one source).
    pub fn related(&self, a: u64, b: u64, section: u8) -> bool {
        let s = usize::from(section) - 1;
        let (x, y) = (&self.origins[a as usize][s], &self.origins[b as usize][s]);
        x.iter().any(|o| y.binary_search(o).is_ok())
    }
}

/// A piece of a section: a sentence or a few, a heading or boilerplate.
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    /// The text it was first written for; 0 for headings and boilerplate.
    origin: u32,
    newline: bool,
}

#[derive(Debug, Clone)]
struct Ctx {
    county: String,
    town: String,
    full: String,
    /// 我镇 / 我乡 / 本街道
    we: &'static str,
    villages: Vec<String>,
}

struct Generator<'a> {
    rng: Rng,
    plan: &'a Plan,
    ctxs: Vec<Ctx>,
    next_origin: u32,
}

impl<'a> Generator<'a> {
    fn new(seed: u64, plan: &'a Plan) -> Generator<'a> {
        let mut rng = Rng::new(seed);
        let ctxs = (0..plan.agencies).map(|_| agency(&mut rng)).collect();
        Generator {
            rng,
            plan,
            ctxs,
            next_origin: 1,
        }
    }

    fn chance(&mut self, p: f64) -> bool {
        (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p && p > 0.0
    }

    fn run(mut self) -> Sample {
        let n = self.plan.agencies;
        let mut texts: Vec<[Vec<Piece>; 6]> = Vec::with_capacity(n * self.plan.years);
        let mut planted = Vec::new();
        for y in 0..self.plan.years {
            let year = self.plan.first_year + y as i32;
            let base = y * n;
            for a in 0..n {
                let sections = std::array::from_fn(|s| self.section(s as u8 + 1, a, year));
                texts.push(sections);
            }
            // Sections taken over (not used as a source again this year), and
            // sections used as a source (not taken over afterwards).
            let mut taken = vec![[false; 6]; n];
            let mut source_of = vec![[false; 6]; n];
            if y > 0 {
                for a in 0..n {
                    for s in 0..6 {
                        if !self.chance(self.plan.previous_year) {
                            continue;
                        }
                        let partial = self.chance(self.plan.partial);
                        let source = texts[base - n + a][s].clone();
                        let own = texts[base + a][s].clone();
                        texts[base + a][s] =
                            self.copy(&source, &own, a, a, year - 1, year, partial);
                        taken[a][s] = true;
                        planted.push(Planted {
                            later: (base + a) as u64,
                            earlier: (base - n + a) as u64,
                            section: s as u8 + 1,
                            kind: CopyKind::PreviousYear,
                            partial,
                        });
                    }
                }
            }
            for a in 0..n {
                for s in 0..6 {
                    let (same, cross) = (self.plan.other_agency, self.plan.cross_year);
                    let kind = if self.chance(same) {
                        0
                    } else if y > 0 && self.chance(cross) {
                        1
                    } else {
                        continue;
                    };
                    if taken[a][s] || source_of[a][s] || n < 2 {
                        continue;
                    }
                    let b = (a + 1 + self.rng.below(n as u64 - 1) as usize) % n;
                    let src = if kind == 0 { base + b } else { base - n + b };
                    if kind == 0 {
                        if taken[b][s] {
                            continue;
                        }
                        source_of[b][s] = true;
                    }
                    let partial = self.chance(self.plan.partial);
                    let source = texts[src][s].clone();
                    let own = texts[base + a][s].clone();
                    let from_year = year - kind;
                    texts[base + a][s] = self.copy(&source, &own, b, a, from_year, year, partial);
                    taken[a][s] = true;
                    planted.push(Planted {
                        later: (base + a) as u64,
                        earlier: src as u64,
                        section: s as u8 + 1,
                        kind: CopyKind::OtherAgency,
                        partial,
                    });
                }
            }
            if y + 1 == self.plan.years && n > 12 {
                for _ in 0..self.plan.clusters {
                    let s = [0, 0, 4, 4, 5][self.rng.below(5) as usize];
                    let b = self.rng.below(n as u64) as usize;
                    if taken[b][s] {
                        continue;
                    }
                    source_of[b][s] = true;
                    let size = 4 + self.rng.below(9) as usize;
                    for _ in 0..size {
                        let a = self.rng.below(n as u64) as usize;
                        if a == b || taken[a][s] || source_of[a][s] {
                            continue;
                        }
                        let source = texts[base + b][s].clone();
                        let own = texts[base + a][s].clone();
                        texts[base + a][s] = self.copy(&source, &own, b, a, year, year, false);
                        taken[a][s] = true;
                        planted.push(Planted {
                            later: (base + a) as u64,
                            earlier: (base + b) as u64,
                            section: s as u8 + 1,
                            kind: CopyKind::OtherAgency,
                            partial: false,
                        });
                    }
                }
            }
        }
        let mut reports = Vec::with_capacity(texts.len());
        let mut origins = Vec::with_capacity(texts.len());
        for (i, sections) in texts.into_iter().enumerate() {
            let a = i % n;
            let year = self.plan.first_year + (i / n) as i32;
            let mut ids: [Vec<u32>; 6] = Default::default();
            let joined = std::array::from_fn(|s| {
                let mut t = String::new();
                for p in &sections[s] {
                    t.push_str(&p.text);
                    if p.newline {
                        t.push('\n');
                    }
                    if p.origin != 0 {
                        ids[s].push(p.origin);
                    }
                }
                ids[s].sort_unstable();
                ids[s].dedup();
                t
            });
            reports.push(Report {
                id: i as u64,
                agency: a as u64,
                name: self.ctxs[a].full.clone(),
                year,
                sections: joined,
            });
            origins.push(ids);
        }
        Sample {
            reports,
            planted,
            origins,
        }
    }

    /// `source` (agency `from`'s, of `from_year`) as agency `to` of `year`
    /// would copy it: names and figures changed; partial copies keep about
    /// 70% of the sentences and put the copier's own in place of the rest.
    #[allow(clippy::too_many_arguments)]
    fn copy(
        &mut self,
        source: &[Piece],
        own: &[Piece],
        from: usize,
        to: usize,
        from_year: i32,
        year: i32,
        partial: bool,
    ) -> Vec<Piece> {
        let (f, t) = (self.ctxs[from].clone(), self.ctxs[to].clone());
        let mut pairs: Vec<(String, String)> = vec![
            (f.full.clone(), t.full.clone()),
            (f.town.clone(), t.town.clone()),
            (f.county.clone(), t.county.clone()),
            (f.we.to_string(), t.we.to_string()),
        ];
        for (v, w) in f.villages.iter().zip(&t.villages) {
            pairs.push((v.clone(), w.clone()));
        }
        let mine: Vec<&Piece> = own.iter().filter(|p| p.origin != 0).collect();
        let mut out = Vec::with_capacity(source.len());
        for (i, p) in source.iter().enumerate() {
            if partial && p.origin != 0 && !mine.is_empty() && self.chance(0.3) {
                out.push(mine[i % mine.len()].clone());
                continue;
            }
            let text = if from == to {
                p.text.clone()
            } else {
                replace_all(&p.text, &pairs)
            };
            out.push(Piece {
                text: self.renumber(&text, from_year, year),
                origin: p.origin,
                newline: p.newline,
            });
        }
        out
    }

    /// Every figure changed, the year moved on.
    fn renumber(&mut self, text: &str, from_year: i32, year: i32) -> String {
        let mut out = String::with_capacity(text.len());
        let mut digits = String::new();
        let flush = |digits: &mut String, out: &mut String, rng: &mut Rng| {
            if digits.is_empty() {
                return;
            }
            if digits.parse::<i32>().ok() == Some(from_year) {
                out.push_str(&year.to_string());
            } else if digits.len() == 4 && digits.starts_with("20") {
                out.push_str(digits);
            } else {
                let lo = 10u64.pow(digits.len() as u32 - 1);
                let v = if digits.len() == 1 {
                    1 + rng.below(9)
                } else {
                    lo + rng.below(9 * lo)
                };
                out.push_str(&v.to_string());
            }
            digits.clear();
        };
        for c in text.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
            } else {
                flush(&mut digits, &mut out, &mut self.rng);
                out.push(c);
            }
        }
        flush(&mut digits, &mut out, &mut self.rng);
        out
    }

    fn section(&mut self, section: u8, a: usize, year: i32) -> Vec<Piece> {
        let ctx = self.ctxs[a].clone();
        let mut out = Vec::new();
        let r = &mut self.rng;
        let boiler = |text: String, newline: bool| Piece {
            text,
            origin: 0,
            newline,
        };
        match section {
            1 => {
                out.push(boiler(
                    format!(
                        "本报告是根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开条例〉实施后有关问题的通知》要求，由{}编制的{year}年度政府信息公开工作年度报告。",
                        ctx.full
                    ),
                    false,
                ));
                out.push(boiler(
                    format!("本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"),
                    true,
                ));
                out.push(boiler(opening(r, &ctx, year), true));
                let parts: [(&str, &[Frame]); 5] = [
                    ("（一）主动公开情况", PROACTIVE),
                    ("（二）依申请公开情况", ON_REQUEST),
                    ("（三）政府信息管理情况", MANAGEMENT),
                    ("（四）政府信息公开平台建设情况", PLATFORMS),
                    ("（五）监督保障情况", OVERSIGHT),
                ];
                for (heading, frames) in parts {
                    out.push(boiler(heading.to_string(), true));
                    let count = 2 + r.below(3) as usize;
                    let first = r.below(frames.len() as u64) as usize;
                    let step = 1 + r.below(frames.len() as u64 - 1) as usize;
                    let mut para = String::new();
                    for j in 0..count.min(frames.len()) {
                        para.push_str(&frames[(first + j * step) % frames.len()](r, &ctx, year));
                    }
                    para.push_str(&remark(r));
                    let origin = bump(&mut self.next_origin);
                    out.push(Piece {
                        text: para,
                        origin,
                        newline: true,
                    });
                }
            }
            2 => {
                if r.below(2) == 0 {
                    out.push(boiler(
                        format!("注：本表数据统计时限为{year}年1月1日至{year}年12月31日。"),
                        false,
                    ));
                }
            }
            3 => match r.below(20) {
                0..=9 => {}
                10..=16 => {
                    let t = format!("本年度收到的申请主要涉及{}等方面。", list(r, INFO, 2, 3));
                    out.push(Piece {
                        text: t,
                        origin: bump(&mut self.next_origin),
                        newline: false,
                    });
                }
                _ => {
                    let t = format!(
                        "{year}年，{}收到的{}件申请中，{}件涉及{}{}，{}件涉及{}和{}，{}；{}{}件因{}，{}。",
                        we(r, &ctx),
                        n(r, 5, 40),
                        n(r, 1, 9),
                        village(r, &ctx),
                        pick(r, PROJECTS),
                        n(r, 1, 9),
                        pick(r, INFO),
                        pick(r, INFO),
                        pick(r, &["均已在法定期限内答复", "已全部办结", "均已按期答复申请人"]),
                        pick(r, &["另有", "其中"]),
                        n(r, 1, 5),
                        pick(r, &["申请内容不明确", "不属于本机关公开职责", "所申请信息不存在"]),
                        pick(r, &["已告知申请人补正", "已告知申请人向有关机关申请", "已依法告知申请人"]),
                    );
                    let o = bump(&mut self.next_origin);
                    out.push(Piece {
                        text: t,
                        origin: o,
                        newline: false,
                    });
                }
            },
            4 => {
                let t = if r.below(3) == 0 {
                    "无。".to_string()
                } else {
                    format!(
                        "本年度{}未发生因政府信息公开引起的行政复议、行政诉讼案件。",
                        ctx.full
                    )
                };
                out.push(boiler(t, false));
            }
            5 => {
                let problems = list_of(r, PROBLEMS, 3);
                out.push(boiler(
                    format!(
                        "{year}年，{}政府信息公开工作{}，但{}：一是{}；二是{}；三是{}。",
                        we(r, &ctx),
                        pick(r, &["取得了一定成效", "稳步推进", "有序开展"]),
                        pick(r, &["仍存在一些不足", "也存在一些问题"]),
                        problems[0],
                        problems[1],
                        problems[2]
                    ),
                    true,
                ));
                let t = format!(
                    "如{}{}{}，{}{}{}。",
                    village(r, &ctx),
                    pick(r, PROJECTS),
                    pick(
                        r,
                        &[
                            "公示内容不完整",
                            "信息更新滞后",
                            "公开不及时",
                            "资金使用情况未公开"
                        ]
                    ),
                    pick(r, INFO),
                    pick(r, &["栏目长期未更新", "公开要素不全", "解读材料缺失"]),
                    pick(
                        r,
                        &["等问题仍有发生", "的情况依然存在", "需要在今后工作中改进"]
                    )
                );
                let o = bump(&mut self.next_origin);
                out.push(Piece {
                    text: t,
                    origin: o,
                    newline: true,
                });
                let mut para = format!(
                    "下一步，{}将{}：",
                    we(r, &ctx),
                    pick(
                        r,
                        &["重点做好以下工作", "从以下方面加以改进", "采取以下措施"]
                    )
                );
                let count = 2 + r.below(3) as usize;
                let improvements = list_of(r, IMPROVEMENTS, count);
                for (j, imp) in improvements.iter().enumerate() {
                    let detail = IMPROVEMENT_DETAILS
                        [r.below(IMPROVEMENT_DETAILS.len() as u64) as usize](
                        r, &ctx, year
                    );
                    para.push_str(&format!(
                        "{}是{}，{}{}",
                        ["一", "二", "三", "四", "五"][j],
                        imp,
                        detail,
                        if j + 1 == count { "。" } else { "；" }
                    ));
                }
                para.push_str(&remark(r));
                let o = bump(&mut self.next_origin);
                out.push(Piece {
                    text: para,
                    origin: o,
                    newline: true,
                });
                if r.below(2) == 0 {
                    let t = format!(
                        "针对{}年度报告中提出的{}问题，{}{}，已整改到位。",
                        year - 1,
                        pick(r, PROBLEMS),
                        we(r, &ctx),
                        IMPROVEMENT_DETAILS[r.below(IMPROVEMENT_DETAILS.len() as u64) as usize](
                            r, &ctx, year
                        )
                    );
                    let o = bump(&mut self.next_origin);
                    out.push(Piece {
                        text: t,
                        origin: o,
                        newline: true,
                    });
                }
            }
            _ => {
                if r.below(5) == 0 {
                    out.push(boiler("无。".into(), false));
                } else {
                    out.push(boiler(
                        format!("本年度{}未收取政府信息公开信息处理费。", ctx.full),
                        true,
                    ));
                    let count = 2 + r.below(2) as usize;
                    let first = r.below(OTHER.len() as u64) as usize;
                    let mut para = String::new();
                    for j in 0..count {
                        para.push_str(&OTHER[(first + j) % OTHER.len()](r, &ctx, year));
                    }
                    para.push_str(&remark(r));
                    let o = bump(&mut self.next_origin);
                    out.push(Piece {
                        text: para,
                        origin: o,
                        newline: true,
                    });
                }
            }
        }
        out
    }
}

fn bump(counter: &mut u32) -> u32 {
    *counter += 1;
    *counter - 1
}

/// Replaces every pattern in one pass (the first listed wins at a place), so
/// a replacement is never replaced again.
fn replace_all(text: &str, pairs: &[(String, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    'outer: while let Some(c) = rest.chars().next() {
        for (from, to) in pairs {
            if !from.is_empty() && rest.starts_with(from.as_str()) {
                out.push_str(to);
                rest = &rest[from.len()..];
                continue 'outer;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn agency(r: &mut Rng) -> Ctx {
    let county = format!(
        "{}{}{}",
        pick(r, COUNTY_CHARS),
        pick(r, COUNTY_CHARS),
        pick(r, &["县", "县", "区", "市"])
    );
    let stem = format!("{}{}", pick(r, PLACE_CHARS), pick(r, PLACE_CHARS));
    let (town, full, we) = match r.below(20) {
        0..=11 => (
            format!("{stem}镇"),
            format!("{county}{stem}镇人民政府"),
            "我镇",
        ),
        12..=16 => (
            format!("{stem}乡"),
            format!("{county}{stem}乡人民政府"),
            "我乡",
        ),
        _ => (
            format!("{stem}街道"),
            format!("{county}{stem}街道办事处"),
            "本街道",
        ),
    };
    let villages = (0..6)
        .map(|_| {
            format!(
                "{}{}{}",
                pick(r, PLACE_CHARS),
                pick(r, VILLAGE_CHARS),
                pick(r, &["村", "村", "村", "社区"])
            )
        })
        .collect();
    Ctx {
        county,
        town,
        full,
        we,
        villages,
    }
}

type Frame = fn(&mut Rng, &Ctx, i32) -> String;

fn pick<'s>(r: &mut Rng, list: &[&'s str]) -> &'s str {
    list[r.below(list.len() as u64) as usize]
}

/// `count` distinct picks.
fn list_of<'s>(r: &mut Rng, list: &[&'s str], count: usize) -> Vec<&'s str> {
    let mut out: Vec<&str> = Vec::with_capacity(count);
    while out.len() < count.min(list.len()) {
        let x = pick(r, list);
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

/// Between `lo` and `hi` distinct picks joined with 、.
fn list(r: &mut Rng, items: &[&str], lo: usize, hi: usize) -> String {
    let count = lo + r.below((hi - lo + 1) as u64) as usize;
    list_of(r, items, count).join("、")
}

fn n(r: &mut Rng, lo: u64, hi: u64) -> u64 {
    lo + r.below(hi - lo + 1)
}

fn village<'c>(r: &mut Rng, ctx: &'c Ctx) -> &'c str {
    &ctx.villages[r.below(ctx.villages.len() as u64) as usize]
}

/// How the agency names itself.
fn we(r: &mut Rng, ctx: &Ctx) -> String {
    match r.below(4) {
        0 => ctx.town.clone(),
        1 => ctx.full.clone(),
        _ => ctx.we.to_string(),
    }
}

fn doc(r: &mut Rng, ctx: &Ctx, year: i32) -> String {
    match r.below(4) {
        0 => format!("《{}关于进一步做好{}工作的通知》", ctx.town, pick(r, WORK)),
        1 => format!("《{}{year}年{}工作方案》", ctx.town, pick(r, WORK)),
        2 => format!("《{}{}实施方案》", ctx.town, pick(r, WORK)),
        _ => format!("《{}{year}年政务公开工作要点》", ctx.town),
    }
}

/// A sentence of free wording: a few clauses of an adverb, a verb, an
/// object and an aim, as officials write them.
fn remark(r: &mut Rng) -> String {
    let count = 2 + r.below(2) as usize;
    let mut out = String::new();
    for j in 0..count {
        let object = match r.below(3) {
            0 => pick(r, WORK),
            1 => pick(r, INFO),
            _ => pick(r, PROJECTS),
        };
        out.push_str(&format!(
            "{}{}{}{}{}",
            pick(r, ADVERBS),
            pick(r, VERBS),
            object,
            pick(r, AIMS),
            if j + 1 == count { "。" } else { "，" }
        ));
    }
    out
}

fn opening(r: &mut Rng, ctx: &Ctx, year: i32) -> String {
    format!(
        "{year}年，{}{}，{}，{}。",
        we(r, ctx),
        pick(
            r,
            &[
                "在县委、县政府的正确领导下",
                "在上级政务公开部门的指导下",
                "认真贯彻落实上级部署"
            ]
        ),
        pick(r, &["深入贯彻落实《条例》", "坚持以人民为中心的发展思想"]),
        pick(
            r,
            &[
                "扎实推进政务公开工作",
                "不断提升政务公开质量",
                "持续深化政务公开"
            ]
        )
    )
}

const PROACTIVE: &[Frame] = &[
    |r, c, _| {
        format!(
            "{}坚持“以公开为常态、不公开为例外”原则，围绕{}等重点工作，{}{}{}等信息。",
            we(r, c),
            list(r, WORK, 3, 4),
            pick(r, &["及时", "全面", "持续", "主动"]),
            pick(r, &["公开", "发布", "公示"]),
            list(r, INFO, 3, 4)
        )
    },
    |r, _, _| {
        format!(
            "全年通过{}等渠道主动公开政府信息{}条，其中{}{}条、{}{}条、{}{}条。",
            list(r, CHANNELS, 2, 3),
            n(r, 80, 900),
            pick(r, INFO),
            n(r, 5, 90),
            pick(r, INFO),
            n(r, 5, 90),
            pick(r, INFO),
            n(r, 5, 90)
        )
    },
    |r, c, _| {
        format!(
            "在{}方面，{}{}{}{}等信息{}条，{}。",
            pick(r, WORK),
            pick(r, &["公开", "发布", "公示"]),
            village(r, c),
            pick(r, PROJECTS),
            pick(
                r,
                &[
                    "招标公告",
                    "实施方案",
                    "中标结果",
                    "竣工验收结果",
                    "资金使用情况",
                    "建设进度"
                ]
            ),
            n(r, 2, 40),
            pick(
                r,
                &[
                    "主动接受群众监督",
                    "切实保障群众知情权",
                    "回应群众关切",
                    "提高工作透明度"
                ]
            )
        )
    },
    |r, c, y| {
        format!(
            "制定印发{}，{}{}等{}项{}，{}。",
            doc(r, c, y),
            pick(r, &["明确", "细化", "梳理"]),
            list(r, INFO, 2, 3),
            n(r, 5, 40),
            pick(r, &["公开事项", "公开内容", "重点公开任务"]),
            pick(
                r,
                &["落实责任科室", "明确责任人和完成时限", "实行清单化管理"]
            )
        )
    },
    |r, c, _| {
        format!(
            "对{}、{}等{}个村（社区）的{}进行{}，公示期{}天，{}。",
            village(r, c),
            village(r, c),
            n(r, 3, 20),
            pick(r, INFO),
            pick(r, &["集中公示", "张榜公示", "网上公示", "公开公示"]),
            n(r, 5, 15),
            pick(r, &["未收到异议", "群众反响良好", "接受群众监督无异议"])
        )
    },
    |r, _, _| {
        format!(
            "{}{}，{}上级{}{}篇，{}{}{}{}，{}{}{}。",
            pick(r, &["围绕", "聚焦", "紧扣"]),
            list(r, WORK, 2, 3),
            pick(r, &["及时转载", "同步发布", "集中推送"]),
            pick(r, &["政策文件", "政策解读材料", "工作动态"]),
            n(r, 5, 80),
            pick(r, &["制作", "编印"]),
            pick(r, &["图解", "短视频", "问答", "明白纸"]),
            n(r, 2, 30),
            pick(r, &["期", "份", "条"]),
            pick(r, &["解读", "宣传"]),
            pick(r, WORK),
            pick(r, &["相关政策", "惠民政策", "工作要求"])
        )
    },
    |r, c, y| {
        format!(
            "{y}年，{}{}{}、{}领域信息公开，{}{}{}。",
            we(r, c),
            pick(r, &["重点做好", "着力抓好", "扎实推进"]),
            pick(r, WORK),
            pick(r, WORK),
            village(r, c),
            pick(r, PROJECTS),
            pick(
                r,
                &[
                    "已完工并公示决算",
                    "完成招标并公开结果",
                    "开工建设并定期公开进度"
                ]
            )
        )
    },
    |r, c, _| {
        format!(
            "{}{}开设“{}”专题，{}{}等信息{}条，{}{}人次。",
            we(r, c),
            pick(r, &["在政府网站", "在政务公开栏", "通过微信公众号"]),
            pick(r, WORK),
            pick(r, &["发布", "更新"]),
            list(r, INFO, 2, 3),
            n(r, 10, 200),
            pick(r, &["浏览量达", "累计访问"]),
            n(r, 1000, 90000)
        )
    },
];

const ON_REQUEST: &[Frame] = &[
    |r, c, y| {
        format!(
            "{y}年，{}共收到政府信息公开申请{}件，{}，申请内容主要涉及{}等方面。",
            we(r, c),
            n(r, 1, 60),
            pick(
                r,
                &["均在法定期限内予以答复", "全部按期办结", "已全部依法答复"]
            ),
            list(r, INFO, 2, 3)
        )
    },
    |r, c, _| {
        format!(
            "{}村民申请公开{}{}，经审查{}，并{}。",
            village(r, c),
            pick(r, PROJECTS),
            pick(r, &["补偿标准", "资金拨付情况", "立项批复", "设计方案"]),
            pick(r, &["予以公开", "部分公开", "依法告知向相关部门申请"]),
            pick(r, &["当面送达答复书", "通过邮寄方式答复", "电话告知申请人"])
        )
    },
    |r, c, y| {
        format!(
            "进一步规范依申请公开{}{}，{}{}，{}{}制度。",
            pick(r, &["受理", "登记", "审核", "答复", "归档"]),
            pick(r, &["流程", "环节", "程序"]),
            pick(r, &["修订", "制定", "完善"]),
            doc(r, c, y),
            pick(r, &["实行", "落实", "建立"]),
            pick(r, &["申请登记台账", "一案一档", "答复文书审核"])
        )
    },
    |r, _, _| {
        format!(
            "对申请人{}的{}{}，{}{}{}，{}。",
            pick(r, &["反映", "关注", "提出"]),
            list(r, WORK, 1, 2),
            pick(r, &["问题", "事项", "诉求"]),
            pick(r, &["主动对接", "会同", "协调"]),
            pick(
                r,
                &[
                    "县自然资源局",
                    "县农业农村局",
                    "县住建局",
                    "县民政局",
                    "县人社局",
                    "县交通运输局",
                    "县水利局"
                ]
            ),
            pick(r, &["核实情况", "联合答复", "共同研究"]),
            pick(r, &["及时化解矛盾", "避免引发行政争议", "得到申请人认可"])
        )
    },
    |r, c, _| {
        format!(
            "{}在{}设立依申请公开受理窗口，{}{}和{}，全年{}受理{}件，其中涉及{}的{}件。",
            we(r, c),
            pick(r, &["便民服务中心", "党政办公室", "政务服务大厅"]),
            pick(r, &["公布", "明确"]),
            pick(r, &["受理地址", "受理电话", "办公时间"]),
            pick(r, &["申请表格", "办理流程", "收费标准"]),
            pick(r, &["现场", "网上", "信函"]),
            n(r, 1, 30),
            pick(r, WORK),
            n(r, 1, 9)
        )
    },
];

const MANAGEMENT: &[Frame] = &[
    |r, _, y| {
        format!(
            "对{}年以前{}的{}件{}进行{}，{}{}件，{}{}件，清理结果{}。",
            y - 1,
            pick(r, &["制发", "印发"]),
            n(r, 10, 90),
            pick(r, &["规范性文件", "政策文件", "行政规范性文件"]),
            pick(r, &["全面清理", "集中清理", "专项清理"]),
            pick(r, &["废止", "宣布失效"]),
            n(r, 1, 9),
            pick(r, &["修改", "继续有效"]),
            n(r, 1, 30),
            pick(r, &["已在政府网站公开", "向社会公布", "统一公开"])
        )
    },
    |r, c, _| {
        format!(
            "严格落实信息发布{}制度，{}{}，涉及{}和{}的信息{}。",
            pick(r, &["三审三校", "三级审核", "保密审查"]),
            we(r, c),
            pick(
                r,
                &[
                    "由党政办公室统一把关",
                    "明确分管领导审签",
                    "建立发布审核台账"
                ]
            ),
            pick(r, WORK),
            pick(r, WORK),
            pick(r, &["经审核后发布", "发布前均经保密审查"])
        )
    },
    |r, _, _| {
        format!(
            "{}政府网站{}{}{}次，{}{}{}处，将{}、{}等栏目{}。",
            pick(r, &["开展", "组织"]),
            pick(r, &["内容", "栏目", "链接"]),
            pick(r, &["自查", "排查", "巡查"]),
            n(r, 2, 24),
            pick(r, &["整改", "修正", "清理"]),
            pick(r, &["错链断链", "过期信息", "空白栏目", "错别字"]),
            n(r, 1, 60),
            pick(r, INFO),
            pick(r, INFO),
            pick(r, &["进行归并", "重新梳理", "统一规范"])
        )
    },
    |r, _, _| {
        format!(
            "建立政府信息{}机制，将{}等{}{}。",
            pick(r, &["公开属性源头认定", "动态更新", "分类管理"]),
            list(r, INFO, 3, 4),
            pick(r, &["信息", "文件"]),
            pick(r, &["逐条明确公开属性", "纳入目录管理", "及时更新维护"])
        )
    },
];

const PLATFORMS: &[Frame] = &[
    |r, c, _| {
        format!(
            "{}{}设置{}、{}等{}个栏目，{}{}条。",
            we(r, c),
            pick(r, &["政府网站信息公开专栏", "政府信息公开平台"]),
            pick(
                r,
                &[
                    "法定主动公开内容",
                    "政策文件",
                    "政策解读",
                    "工作动态",
                    "通知公告"
                ]
            ),
            list(r, INFO, 2, 3),
            n(r, 5, 30),
            pick(r, &["全年更新信息", "累计发布信息"]),
            n(r, 50, 900)
        )
    },
    |r, c, _| {
        format!(
            "在{}、{}等{}个村（社区）设立{}，配备{}{}台（套），{}。",
            village(r, c),
            village(r, c),
            n(r, 2, 20),
            pick(
                r,
                &["政务公开专区", "政务公开栏", "村务公开栏", "电子查阅点"]
            ),
            pick(r, &["查阅电脑", "自助终端", "政策汇编", "电子显示屏"]),
            n(r, 2, 30),
            pick(
                r,
                &[
                    "方便群众查阅",
                    "实现政务公开向基层延伸",
                    "打通服务群众最后一公里"
                ]
            )
        )
    },
    |r, c, _| {
        format!(
            "政务新媒体“{}发布”全年推送{}{}条，{}{}{}，{}{}等{}。",
            c.town,
            pick(r, &["信息", "图文", "动态"]),
            n(r, 50, 900),
            pick(r, &["关注人数达", "粉丝数达", "累计阅读量"]),
            n(r, 1000, 90000),
            pick(r, &["人", "余人", "人次"]),
            pick(r, &["重点发布", "及时推送"]),
            list(r, WORK, 2, 3),
            pick(r, &["信息", "内容", "动态"])
        )
    },
    |r, c, _| {
        format!(
            "{}{}和{}，{}{}活动，在{}{}{}{}{}份。",
            pick(r, &["依托", "利用"]),
            pick(r, CHANNELS),
            pick(r, CHANNELS),
            pick(r, &["开展", "推行"]),
            pick(r, &["政策进村入户", "送政策上门", "政策宣讲"]),
            village(r, c),
            pick(r, &["发放", "张贴"]),
            pick(r, WORK),
            pick(r, &["明白纸", "宣传单", "政策问答"]),
            n(r, 100, 5000)
        )
    },
    |r, c, _| {
        format!(
            "{}{}{}{}，{}{}{}和{}，{}{}{}。",
            pick(r, &["升级", "改版", "优化"]),
            village(r, c),
            pick(r, &["政务服务站", "便民服务点", "党群服务中心"]),
            pick(r, &["信息公开屏", "查阅终端", "公开栏"]),
            pick(r, &["同步", "实时"]),
            pick(r, &["公开", "展示"]),
            pick(r, INFO),
            pick(r, INFO),
            pick(r, &["实现", "推动"]),
            pick(r, &["镇村两级", "线上线下"]),
            pick(r, &["同步公开", "一体公开"])
        )
    },
];

const OVERSIGHT: &[Frame] = &[
    |r, c, _| {
        format!(
            "{}{}以{}为组长的政务公开工作领导小组，{}{}{}次，{}{}等领域公开工作。",
            we(r, c),
            pick(r, &["成立", "调整充实"]),
            pick(r, &["镇长", "乡长", "主任", "党委副书记", "分管副镇长"]),
            pick(r, &["召开", "组织召开"]),
            pick(r, &["专题会议", "工作推进会", "部署会"]),
            n(r, 2, 12),
            pick(r, &["研究部署", "推动落实"]),
            list(r, WORK, 2, 3)
        )
    },
    |r, _, _| {
        format!(
            "{}{}名{}参加{}政务公开业务培训，{}{}和{}{}。",
            pick(r, &["组织", "选派"]),
            n(r, 2, 40),
            pick(r, &["工作人员", "信息员", "村（社区）干部", "业务骨干"]),
            pick(r, &["全县", "全市", "县政务公开办举办的"]),
            pick(r, &["学习", "重点学习了"]),
            pick(
                r,
                &["《条例》", "政府信息公开标准目录", "依申请公开答复规范"]
            ),
            list(r, WORK, 1, 2),
            pick(r, &["公开标准", "公开要求", "公开目录"])
        )
    },
    |r, c, _| {
        format!(
            "将政务公开工作纳入{}，{}{}分，对{}、{}等{}的村（社区）{}。",
            pick(r, &["年度目标考核", "村（社区）年度考核", "机关效能考核"]),
            pick(r, &["分值占", "权重为"]),
            n(r, 2, 10),
            village(r, c),
            village(r, c),
            pick(r, &["公开不及时", "公开不规范", "更新滞后"]),
            pick(r, &["进行通报", "责令限期整改", "约谈相关负责人"])
        )
    },
    |r, _, _| {
        format!(
            "{}{}名{}对{}{}{}，{}意见建议{}条，{}。",
            pick(r, &["邀请", "聘请"]),
            n(r, 2, 20),
            pick(r, &["人大代表", "政协委员", "群众代表", "社会监督员"]),
            list(r, WORK, 1, 2),
            pick(r, &["公开情况", "信息公开工作"]),
            pick(r, &["开展评议", "进行监督", "提出意见建议"]),
            pick(r, &["收集", "梳理"]),
            n(r, 2, 40),
            pick(r, &["已全部整改落实", "均已及时反馈"])
        )
    },
];

const IMPROVEMENT_DETAILS: &[Frame] = &[
    |r, _, _| {
        format!(
            "{}{}开展{}{}{}次",
            pick(r, &["计划", "力争"]),
            pick(r, &["全年", "年内"]),
            list(r, WORK, 1, 2),
            pick(r, &["专题培训", "业务培训"]),
            n(r, 2, 12)
        )
    },
    |r, c, _| {
        format!(
            "在{}、{}{}{}",
            village(r, c),
            village(r, c),
            pick(r, &["试点", "推行", "建设"]),
            pick(r, &["政务公开专区", "村务公开电子屏", "政策明白卡"])
        )
    },
    |r, _, _| {
        format!(
            "{}做好{}领域信息公开",
            pick(r, &["重点", "着力"]),
            list(r, WORK, 2, 3)
        )
    },
    |r, c, y| format!("对照{}{}", doc(r, c, y), pick(r, &["逐项整改", "逐条落实"])),
    |r, c, _| {
        format!(
            "{}{}{}{}",
            pick(r, &["完成", "推进"]),
            village(r, c),
            pick(r, PROJECTS),
            pick(r, &["信息公开", "全过程公开"])
        )
    },
];

const OTHER: &[Frame] = &[
    |r, c, y| {
        format!(
            "{y}年，{}就{}{}{}{}{}次，{}{}{}人参与，{}已{}。",
            we(r, c),
            village(r, c),
            pick(r, PROJECTS),
            pick(r, &["开展", "组织"]),
            pick(r, &["听证会", "民意调查", "公众参与座谈"]),
            n(r, 1, 6),
            pick(r, &["邀请", "吸纳"]),
            pick(r, &["群众代表", "利益相关方", "村民代表"]),
            n(r, 5, 80),
            pick(r, &["意见采纳情况", "决策过程"]),
            pick(r, &["公开", "向社会公布"])
        )
    },
    |r, c, y| {
        format!(
            "{y}年，{}共办理人大代表建议{}件、政协委员提案{}件，内容涉及{}等方面，办理结果{}。",
            we(r, c),
            n(r, 1, 20),
            n(r, 1, 20),
            list(r, WORK, 2, 3),
            pick(r, &["已在政府网站公开", "已答复代表委员", "已全部公开"])
        )
    },
    |r, c, _| {
        format!(
            "{}{}{}领域基层政务公开标准化规范化建设，在{}{}{}，{}{}等{}{}项。",
            we(r, c),
            pick(r, &["积极推进", "扎实开展"]),
            pick(r, WORK),
            village(r, c),
            pick(r, &["建成", "打造"]),
            pick(r, &["示范点", "政务公开示范村", "标准化公开专区"]),
            pick(r, &["编制", "梳理"]),
            list(r, WORK, 2, 3),
            pick(r, &["公开事项目录", "公开标准目录"]),
            n(r, 10, 120)
        )
    },
    |r, c, y| {
        format!(
            "{y}年，{}{}{}{}{}项{}，包括{}{}。",
            we(r, c),
            pick(r, &["落实", "完成"]),
            doc(r, c, y),
            pick(r, &["确定的", "明确的"]),
            n(r, 5, 40),
            pick(r, &["政务公开重点任务", "工作任务"]),
            list(r, WORK, 2, 4),
            pick(r, &["等方面", "等领域"])
        )
    },
    |r, c, _| {
        format!(
            "{}{}{}“{}”{}活动，{}{}{}场次，{}群众{}人次。",
            we(r, c),
            pick(r, &["组织开展", "举办"]),
            village(r, c),
            pick(r, &["政府开放日", "政策宣讲进村组", "政务公开日"]),
            pick(r, &["主题", "系列"]),
            pick(r, &["围绕", "聚焦"]),
            list(r, WORK, 1, 2),
            n(r, 2, 20),
            pick(r, &["参与", "覆盖"]),
            n(r, 50, 3000)
        )
    },
];

const COUNTY_CHARS: &[&str] = &[
    "安", "平", "清", "河", "长", "宁", "永", "丰", "兴", "华", "阳", "东", "西", "南", "北", "新",
    "龙", "泉", "石", "桥", "云", "山", "梅", "林", "江", "城", "德", "远", "和", "顺", "武", "陵",
    "峰", "溪", "湖", "海", "临", "汾", "洛", "沁",
];

const PLACE_CHARS: &[&str] = &[
    "青", "白", "黄", "红", "金", "银", "柳", "杨", "李", "张", "王", "刘", "陈", "马", "牛", "羊",
    "龙", "凤", "虎", "鹤", "松", "竹", "桃", "杏", "梨", "枣", "茶", "稻", "麦", "田", "石", "沙",
    "土", "坪", "坝", "岭", "岗", "坡", "沟", "湾", "塘", "堰", "渡", "口", "关", "铺", "店", "集",
    "营", "寨", "庄", "屯", "堡", "台", "亭", "楼", "阁", "桥", "井", "泉", "溪", "河", "江", "湖",
    "潭", "洲", "岛", "峰", "山", "林", "园", "港", "洋", "源", "滩", "埠", "圩", "垸", "畈", "冲",
];

const VILLAGE_CHARS: &[&str] = &[
    "家", "头", "尾", "上", "下", "东", "西", "南", "北", "前", "后", "新", "旧", "大", "小", "中",
    "和", "平", "安", "乐", "丰", "兴", "旺", "福", "寿", "康", "宁", "泰", "盛", "昌", "荣", "华",
    "光", "明", "红", "星", "胜", "利", "建", "设", "团", "结", "友", "谊", "富", "裕", "强", "美",
    "秀", "丽", "清", "源", "溪", "湾", "岭", "坪", "冲", "坳", "垄", "塆", "场", "庙", "祠", "堂",
];

const WORK: &[&str] = &[
    "乡村振兴",
    "高标准农田建设",
    "农村人居环境整治",
    "耕地保护",
    "防汛抗旱",
    "森林防火",
    "秸秆禁烧",
    "安全生产",
    "食品安全",
    "信访维稳",
    "殡葬改革",
    "农村厕所革命",
    "生活垃圾分类",
    "河长制",
    "林长制",
    "美丽乡村建设",
    "特色产业发展",
    "农村集体产权制度改革",
    "宅基地管理",
    "土地流转",
    "退役军人服务",
    "残疾人帮扶",
    "农村低保",
    "特困人员供养",
    "临时救助",
    "养老服务",
    "医疗保障",
    "义务教育",
    "就业创业",
    "农民工工资支付",
    "营商环境优化",
    "招商引资",
    "重点项目建设",
    "财政收支",
    "专项资金管理",
    "村级财务管理",
    "农业保险",
    "动物防疫",
    "饮用水安全",
    "地质灾害防治",
    "道路交通安全",
    "消防安全",
    "城乡环境综合整治",
    "违法建设治理",
    "征地拆迁",
    "移民后期扶持",
    "防返贫监测",
    "文明城市创建",
    "平安建设",
    "法治政府建设",
    "公共文化服务",
    "全民健身",
    "基层党建",
    "网格化管理",
    "矛盾纠纷排查化解",
    "粮食生产",
    "畜禽养殖污染治理",
    "大气污染防治",
    "水土保持",
    "乡村旅游",
    "电商进农村",
    "农产品质量安全",
    "冬春农田水利建设",
    "农村危房改造",
    "农村公路建设",
    "村庄规划编制",
    "村集体经济发展",
    "新型农业经营主体培育",
    "农机购置补贴",
    "生态补偿",
    "防溺水",
    "燃气安全",
    "自建房安全排查",
    "防范非法集资",
    "义务兵征集",
    "民兵整组",
    "计划生育家庭奖励扶助",
    "稳岗就业",
    "春耕备耕",
    "森林资源保护",
];

const INFO: &[&str] = &[
    "财政预决算",
    "部门预算",
    "三公经费",
    "惠农补贴发放",
    "低保救助对象",
    "特困供养人员名单",
    "临时救助情况",
    "项目招投标",
    "工程建设项目",
    "征地补偿标准",
    "重大行政决策",
    "政策解读",
    "人事任免",
    "机构职能",
    "权责清单",
    "行政执法公示",
    "行政处罚结果",
    "双随机抽查结果",
    "危房改造对象",
    "耕地地力保护补贴",
    "种粮一次性补贴",
    "退役军人优待抚恤",
    "残疾人两项补贴",
    "高龄津贴",
    "城乡居民医保参保",
    "养老保险缴费",
    "就业岗位信息",
    "安全生产检查",
    "突发事件应对",
    "防汛预警",
    "环境整治进展",
    "村级财务收支",
    "集体资产处置",
    "土地承包经营权流转",
    "宅基地审批",
    "建设用地审批",
    "规划许可",
    "公共资源配置",
    "涉农资金使用",
    "乡村公益性岗位",
    "民生实事项目",
    "政府采购",
    "统计数据",
    "人大建议办理结果",
    "政协提案办理结果",
    "会议纪要",
    "规范性文件",
    "便民服务事项",
    "办事指南",
    "减税降费政策",
];

const CHANNELS: &[&str] = &[
    "政府门户网站",
    "政府信息公开专栏",
    "政务公开栏",
    "村务公开栏",
    "微信公众号",
    "政务微博",
    "政务新媒体",
    "便民服务中心电子显示屏",
    "农村应急广播",
    "宣传册",
    "公示栏",
    "政务服务网",
    "抖音号",
    "村民微信群",
    "政务公开专区",
    "社区公告栏",
    "新闻发布会",
    "县电视台",
    "县融媒体中心",
    "短信平台",
];

const PROJECTS: &[&str] = &[
    "道路硬化工程",
    "饮水安全巩固提升工程",
    "村级活动场所改造",
    "太阳能路灯安装项目",
    "河道清淤工程",
    "光伏发电项目",
    "污水管网建设",
    "小型农田水利设施维修",
    "桥梁加固工程",
    "危房改造",
    "文化广场建设",
    "垃圾中转站建设",
    "卫生室标准化建设",
    "幼儿园改扩建工程",
    "产业园区配套道路",
    "冷链仓储设施",
    "茶叶加工厂房",
    "蔬菜大棚",
    "养殖小区",
    "排涝泵站",
    "山塘除险加固",
    "农贸市场改造",
    "公厕新建",
    "人饮管网延伸工程",
    "通组道路",
    "边坡治理工程",
    "生态护岸",
    "健身步道",
    "党群服务中心",
    "老年活动中心",
    "村史馆",
    "停车场",
    "农家书屋",
    "电商服务站",
    "高标准农田",
    "土地整治项目",
    "林下经济示范基地",
    "特色种植基地",
    "农产品展销中心",
    "安置小区",
];

const PROBLEMS: &[&str] = &[
    "政务公开工作人员业务水平有待提高",
    "政策解读形式较为单一",
    "部分栏目信息更新不够及时",
    "公开内容的全面性和准确性还需加强",
    "基层政务公开标准化规范化建设有待深化",
    "主动回应社会关切的意识不强",
    "信息发布审核把关不够严格",
    "依申请公开答复规范性有待提升",
    "村务公开与政务公开衔接不够紧密",
    "政务新媒体运维管理不够规范",
    "公开平台互动交流功能发挥不充分",
    "政务公开专区利用率不高",
    "重点领域信息公开深度不够",
    "公开工作考核机制不够健全",
];

const IMPROVEMENTS: &[&str] = &[
    "加强业务培训",
    "丰富政策解读形式",
    "建立信息更新台账",
    "强化信息发布审核",
    "深化基层政务公开标准化规范化建设",
    "加强政务新媒体管理",
    "拓展公开渠道",
    "规范依申请公开办理",
    "完善考核评议机制",
    "推进重点领域信息公开",
    "加强政策解读和回应关切",
    "推动村务公开与政务公开有效衔接",
];

const ADVERBS: &[&str] = &[
    "扎实",
    "有序",
    "稳步",
    "持续",
    "深入",
    "全面",
    "积极",
    "认真",
    "切实",
    "着力",
    "重点",
    "及时",
    "规范",
    "严格",
    "主动",
    "不断",
    "进一步",
    "大力",
    "统筹",
    "精准",
    "同步",
    "定期",
    "分类",
    "逐项",
];

const VERBS: &[&str] = &[
    "推进", "开展", "落实", "做好", "抓好", "完善", "优化", "加强", "规范", "健全", "提升", "拓展",
    "深化", "强化", "创新", "梳理", "编制", "更新", "公开", "发布", "解读", "宣传", "督促", "指导",
    "部署", "跟进", "核查", "排查", "对接", "汇总",
];

const AIMS: &[&str] = &[
    "工作",
    "信息公开",
    "公开事项",
    "宣传解读",
    "监督检查",
    "整改落实",
    "台账管理",
    "意见征集",
    "结果公示",
    "进度通报",
    "政策咨询",
    "问题整改",
    "资料归档",
    "动态更新",
    "标准目录",
    "示范创建",
    "群众评议",
    "专项督查",
    "跟踪问效",
    "数据核对",
    "风险评估",
    "回应关切",
    "调查研究",
    "经验总结",
];
