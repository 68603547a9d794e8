//! Copied narrative (内容雷同): sections of annual reports whose own wording
//! is largely the same as the same section of another agency's report, or of
//! the same agency's report of the year before.
//!
//! # What counts
//!
//! Every text is cut into sentences (at 。！？；, their ASCII forms and line
//! breaks) and normalised: whitespace and punctuation dropped, full-width
//! letters and digits made half-width, Latin letters lower-cased and every run
//! of digits replaced by one placeholder, so that "2023年" and "2024年", or
//! "公开信息356条" and "公开信息412条", read the same. The agency's own name
//! ([`Passage::name`], also without 人民政府 or its county) reads as one
//! placeholder too, so a copy that puts its own name in is still whole.
//!
//! Text that every report has does not count:
//!
//! - a **template sentence** is one found (after normalisation) in the reports
//!   of at least `max(template_agencies, template_share × agencies)` distinct
//!   agencies of the batch (in a small batch, of half its agencies and at
//!   least three, when that is fewer) — the "本报告根据《中华人民共和国政府信息公开条例》…编制"
//!   boilerplate, section and sub-section titles, "无。", the fee sentence;
//! - so is a sentence at least `template_phrases` of whose shingles are common
//!   phrases (found in that many agencies' reports): boilerplate with a
//!   name or a place written into it;
//! - in the remaining sentences, common phrases themselves ("以公开为常态、
//!   不公开为例外") are left out too.
//!
//! What is left is a section's **own wording**, as a set of shingles (runs of
//! `shingle` characters, hashed). A section with fewer than `min_chars`
//! characters outside template sentences, or fewer than `min_chars / 4`
//! distinct shingles outside common phrases, is not compared.
//!
//! # The measure
//!
//! The similarity of a pair is the share of the copying section's own wording
//! that is also in the other one (containment), not the Jaccard resemblance
//! of the two: a section that took 70% of its text from another and wrote the
//! rest itself is 70% copied whatever the length of the other section, and a
//! short section copied whole out of a long one is 100% copied. Which section
//! copies:
//!
//! - reports of different years: the later year's ([`Copying::later`]); its
//!   share found in the earlier one is the similarity. A report that keeps
//!   last year's short text and adds much new text is not flagged;
//! - reports of the same year (different agencies): either may have copied the
//!   other, so the share of the *smaller* section found in the larger one
//!   counts, and `later` is simply the one with the higher id (the pair is
//!   unordered).
//!
//! Pairs compared: the same section number only; the same agency only
//! against the year just before ([`CopyKind::PreviousYear`]; entries of one
//! agency and year, or two years apart, are not compared); different
//! agencies in any years given ([`CopyKind::OtherAgency`] — the same year is
//! the main case, and a neighbour's report of last year is caught too).
//!
//! # How pairs are found
//!
//! The previous-year pairs are compared directly. Across agencies, candidate
//! pairs come from two indexes and are then verified exactly on the shingle
//! sets:
//!
//! 1. sampled runs of `2 × shingle` characters of each section's non-template
//!    sentences, in an inverted index; runs found in more than
//!    [`POSTING_CAP`] sections are stock phrasing and skipped; two sections
//!    sharing enough of the others are candidates. This finds partial copies
//!    and short sections copied into long ones;
//! 2. MinHash signatures (one-permutation hashing, 128 values, optimal
//!    densification) banded 21 × 6 (LSH): near-whole copies, also when one
//!    text was copied into more reports than the first index follows.
//!
//! Everything is linear in the text except the candidates, which grow with the
//! copies actually there; two passes run in parallel (rayon).

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::ops::Range;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

pub mod sample;

/// One section of one report, as the caller holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Passage<'a> {
    /// The caller's id of the report (returned in [`Copying`]).
    pub id: u64,
    /// The caller's id of the agency.
    pub agency: u64,
    /// The year the report covers.
    pub year: i32,
    /// The section number, 1 to 6 (only equal numbers are compared).
    pub section: u8,
    /// The agency's name as its reports write it ("云兴县畈青乡人民政府"), or
    /// empty. Where it occurs in the text — whole, without 人民政府/办事处,
    /// or without the region before it ("畈青乡") — it reads as one
    /// placeholder: boilerplate naming the agency is then template, and a
    /// copy that only puts its own name in is whole.
    pub name: &'a str,
    /// The section's text (tables left out).
    pub text: &'a str,
}

impl<'a> Passage<'a> {
    /// The sections a report has, as passages: `id` and `agency` are the
    /// caller's, the year is the one the review files the report under, the
    /// name is the report's own (its title's agency), else empty.
    pub fn of_report(
        id: u64,
        agency: u64,
        year: i32,
        report: &'a gongkai_report::Report,
    ) -> impl Iterator<Item = Passage<'a>> + 'a {
        let name = report.agency.as_deref().unwrap_or("");
        report
            .sections
            .iter()
            .enumerate()
            .filter_map(move |(i, s)| {
                s.as_ref().map(|s| Passage {
                    id,
                    agency,
                    year,
                    section: i as u8 + 1,
                    name,
                    text: &s.text,
                })
            })
    }
}

/// How [`find_copies`] judges.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The share of a section's own wording that must be found in the other
    /// section (0 to 1; default 0.6).
    pub threshold: f64,
    /// Sections with fewer characters outside template sentences are not
    /// compared (default 80); nor are those with fewer than a quarter as
    /// many distinct shingles outside common phrases (too little of their
    /// own for a share to mean anything).
    pub min_chars: usize,
    /// A sentence or phrase found in at least this many distinct agencies'
    /// reports is template … (default 20; in a batch of fewer than 40
    /// agencies, half of them and at least three)
    pub template_agencies: usize,
    /// … or in at least this share of the agencies, when that is more
    /// (default 0.02).
    pub template_share: f64,
    /// A sentence with at least this share of its shingles common is
    /// template too (default 0.8).
    pub template_phrases: f64,
    /// Shingle length in characters (default 5, 2 to 16).
    pub shingle: usize,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            threshold: 0.6,
            min_chars: 80,
            template_agencies: 20,
            template_share: 0.02,
            template_phrases: 0.8,
            shingle: 5,
        }
    }
}

/// Whose text a copied section resembles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CopyKind {
    /// Another agency's report (of the same year, or of another year).
    OtherAgency,
    /// The same agency's report of the year before.
    PreviousYear,
}

impl CopyKind {
    /// The kind in the supervisor's words.
    pub fn label(self) -> &'static str {
        match self {
            CopyKind::OtherAgency => "与其他机关报告雷同",
            CopyKind::PreviousYear => "照搬本机关上年度报告",
        }
    }
}

/// A section found largely the same as the same section of another report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Copying {
    /// The report whose section copies: of the later year; in the same year
    /// (two agencies, where either may have copied), the higher id.
    pub later: u64,
    /// The report it resembles.
    pub earlier: u64,
    /// The section number.
    pub section: u8,
    /// The share of the copying section's own wording found in the other
    /// (in the same year: of the smaller section's), 0 to 1.
    pub similarity: f64,
    pub kind: CopyKind,
}

/// What a run did, for benchmarks and the supervisor's summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub passages: usize,
    /// Distinct agencies in the batch.
    pub agencies: usize,
    /// Agencies a sentence or phrase must be found in to be template.
    pub template_limit: usize,
    /// Sentences left out as template (occurrences).
    pub template_sentences: usize,
    /// Sections with enough own wording to be compared.
    pub compared: usize,
    /// Pairs verified exactly (previous-year pairs included).
    pub candidates: usize,
    pub copies: usize,
}

/// Sections that copy another report's section (or last year's). The result
/// is ordered by `later`, section, descending similarity, `earlier`.
///
/// ```
/// use gongkai_review::similar::{find_copies, Passage, Settings};
/// let texts = ["本镇建成便民服务中心政务公开专区，设置查阅电脑两台、自助终端一台。"; 2];
/// let passages: Vec<Passage> = texts
///     .iter()
///     .enumerate()
///     .map(|(i, t)| Passage { id: i as u64, agency: i as u64, year: 2024, section: 1, name: "", text: t })
///     .collect();
/// let settings = Settings { min_chars: 20, ..Settings::default() };
/// let found = find_copies(&passages, &settings);
/// assert_eq!(found.len(), 1);
/// assert_eq!((found[0].later, found[0].earlier), (1, 0));
/// ```
pub fn find_copies(passages: &[Passage<'_>], settings: &Settings) -> Vec<Copying> {
    Corpus::new(passages, settings).find().0
}

/// [`find_copies`] with what the run did.
pub fn find_copies_with_stats(
    passages: &[Passage<'_>],
    settings: &Settings,
) -> (Vec<Copying>, Stats) {
    Corpus::new(passages, settings).find()
}

/// A batch of passages with its template sentences and common phrases
/// counted: [`Corpus::find`] finds every copy, [`Corpus::compare`] compares
/// two given passages the same way.
pub struct Corpus<'p, 't> {
    passages: &'p [Passage<'t>],
    settings: Settings,
    /// One bit per counting slot: set where a sentence or shingle hashed
    /// there is found in at least `limit` agencies.
    common: Vec<u64>,
    bits: u32,
    limit: usize,
    agencies: usize,
}

/// Runs of `2 × shingle` characters found in more sections than this are
/// stock phrasing and do not make candidates.
pub const POSTING_CAP: usize = 64;
/// One in this many runs is indexed (by its hash).
const SAMPLE: u64 = 4;
/// LSH buckets larger than this are left out (a text shared this widely is
/// template in all but name).
const BUCKET_CAP: usize = 1000;
const BINS: usize = 128;
const BANDS: usize = 21;
const ROWS: usize = 6;

const SEED_SENTENCE: u64 = 0x243F_6A88_85A3_08D3;
const SEED_SHINGLE: u64 = 0x1319_8A2E_0370_7344;
const SEED_WINDOW: u64 = 0xA409_3822_299F_31D0;
const SEED_BAND: u64 = 0x082E_FA98_EC4E_6C89;

impl<'p, 't> Corpus<'p, 't> {
    /// Counts, for every sentence and shingle, the distinct agencies whose
    /// passages have it (in a table of hashed slots: a collision can only make
    /// something look more common than it is).
    pub fn new(passages: &'p [Passage<'t>], settings: &Settings) -> Corpus<'p, 't> {
        let mut settings = settings.clone();
        settings.shingle = settings.shingle.clamp(2, 16);
        let mut order: Vec<u32> = (0..passages.len() as u32).collect();
        order.par_sort_unstable_by_key(|&i| passages[i as usize].agency);
        let mut groups: Vec<Range<usize>> = Vec::new();
        let mut start = 0;
        for i in 1..=order.len() {
            if i == order.len()
                || passages[order[i] as usize].agency != passages[order[start] as usize].agency
            {
                groups.push(start..i);
                start = i;
            }
        }
        let agencies = groups.len();
        // In a small batch (a county's dozen offices) no sentence reaches 20
        // agencies: there, one found in half of them (at least three) is
        // template — two offices sharing a text are still a copy.
        let mut limit = settings
            .template_agencies
            .max((settings.template_share * agencies as f64).ceil() as usize);
        if agencies < 40 {
            limit = limit.min(agencies.div_ceil(2).max(3));
        }
        let limit = limit.max(2);
        // At least a slot per byte of text (three per Chinese character), so
        // that a rare shingle seldom shares its slot with a common one.
        let bytes: usize = passages.iter().map(|p| p.text.len()).sum();
        let bits = (bytes.max(1) as f64).log2().ceil().clamp(12.0, 26.0) as u32;
        let table: Vec<AtomicU32> = (0..1usize << bits).map(|_| AtomicU32::new(0)).collect();
        let k = settings.shingle;
        let mask = (1u64 << bits) - 1;
        groups.par_iter().for_each_init(
            || (Norm::default(), Vec::<u32>::new()),
            |(norm, keys), g| {
                keys.clear();
                for &i in &order[g.clone()] {
                    norm.sentences(passages[i as usize].text, passages[i as usize].name);
                    for s in norm.bounds.iter() {
                        let cs = &norm.chars[s.clone()];
                        keys.push((sentence_hash(cs) & mask) as u32);
                        for_each_shingle(cs, k, |h| keys.push((h & mask) as u32));
                    }
                }
                keys.sort_unstable();
                keys.dedup();
                for &key in keys.iter() {
                    table[key as usize].fetch_add(1, Ordering::Relaxed);
                }
            },
        );
        let common: Vec<u64> = table
            .par_chunks(64)
            .map(|c| {
                c.iter().enumerate().fold(0u64, |w, (j, n)| {
                    w | (u64::from(n.load(Ordering::Relaxed) as usize >= limit) << j)
                })
            })
            .collect();
        Corpus {
            passages,
            settings,
            common,
            bits,
            limit,
            agencies,
        }
    }

    fn is_common(&self, h: u64) -> bool {
        let slot = (h & ((1u64 << self.bits) - 1)) as usize;
        self.common[slot / 64] >> (slot % 64) & 1 == 1
    }

    /// The own wording of a passage (sorted distinct shingles outside
    /// template sentences and common phrases; empty when the passage is too
    /// short to compare), its sampled runs for the index (sorted, when
    /// `windows`), and how many sentences were template.
    fn own(&self, p: &Passage<'_>, norm: &mut Norm, windows: bool) -> Own {
        let k = self.settings.shingle;
        let w = 2 * k;
        norm.sentences(p.text, p.name);
        let mut own = Own::default();
        let mut sh: Vec<u64> = Vec::new();
        for s in norm.bounds.iter() {
            let cs = &norm.chars[s.clone()];
            if self.is_common(sentence_hash(cs)) {
                own.template += 1;
                continue;
            }
            sh.clear();
            for_each_shingle(cs, k, |h| sh.push(h));
            let common = sh.iter().filter(|&&h| self.is_common(h)).count();
            if common as f64 >= self.settings.template_phrases * sh.len() as f64 {
                own.template += 1;
                continue;
            }
            own.text += cs.len();
            own.set.extend(
                sh.iter()
                    .filter(|&&h| !self.is_common(h))
                    .map(|&h| (h >> 32) as u32),
            );
            if windows && cs.len() >= w {
                for_each_gram(cs, w, SEED_WINDOW, |h| {
                    if h.is_multiple_of(SAMPLE) {
                        own.windows.push((h >> 32) as u32);
                    }
                });
            }
        }
        own.set.sort_unstable();
        own.set.dedup();
        let min = self.settings.min_chars.max(1);
        if own.text < min || own.set.len() < min.div_ceil(4) {
            own.set = Vec::new();
            own.windows = Vec::new();
        } else {
            own.windows.sort_unstable();
            own.windows.dedup();
        }
        own
    }

    /// How many characters passage `i` has outside template sentences (what
    /// `min_chars` is compared with).
    pub fn own_chars(&self, i: usize) -> usize {
        self.own(&self.passages[i], &mut Norm::default(), false)
            .text
    }

    /// Compares passages `a` and `b` (indices into the batch) as
    /// [`Corpus::find`] does, whatever the threshold: `None` when they are not
    /// compared (another section, the same agency other than a year apart,
    /// too little own wording).
    pub fn compare(&self, a: usize, b: usize) -> Option<Copying> {
        let (pa, pb) = (&self.passages[a], &self.passages[b]);
        if pa.section != pb.section || a == b {
            return None;
        }
        let mut norm = Norm::default();
        let sa = self.own(pa, &mut norm, false).set;
        let sb = self.own(pb, &mut norm, false).set;
        judge(pa, pb, a < b, &sa, &sb)
    }

    /// Every copy in the batch, with what the run did.
    pub fn find(&self) -> (Vec<Copying>, Stats) {
        let mut stats = Stats {
            passages: self.passages.len(),
            agencies: self.agencies,
            template_limit: self.limit,
            ..Stats::default()
        };
        let mut sections: Vec<u8> = self.passages.iter().map(|p| p.section).collect();
        sections.sort_unstable();
        sections.dedup();
        let mut copies = Vec::new();
        for section in sections {
            let members: Vec<usize> = (0..self.passages.len())
                .filter(|&i| self.passages[i].section == section)
                .collect();
            let template = AtomicUsize::new(0);
            let owns: Vec<Own> = members
                .par_iter()
                .map_init(Norm::default, |norm, &i| {
                    let own = self.own(&self.passages[i], norm, true);
                    template.fetch_add(own.template, Ordering::Relaxed);
                    own
                })
                .collect();
            stats.template_sentences += template.into_inner();
            stats.compared += owns.iter().filter(|o| !o.set.is_empty()).count();
            let mut pairs = self.previous_year_pairs(&members, &owns);
            let wp = window_pairs(&owns, self.settings.threshold);
            let lp = lsh_pairs(&owns);
            pairs.extend(wp);
            pairs.extend(lp);
            pairs.par_sort_unstable();
            pairs.dedup();
            stats.candidates += pairs.len();
            let found: Vec<Copying> = pairs
                .par_iter()
                .filter_map(|&pair| {
                    let (a, b) = ((pair >> 32) as usize, (pair & 0xFFFF_FFFF) as usize);
                    let (pa, pb) = (&self.passages[members[a]], &self.passages[members[b]]);
                    judge(pa, pb, members[a] < members[b], &owns[a].set, &owns[b].set)
                        .filter(|c| c.similarity >= self.settings.threshold)
                })
                .collect();
            copies.extend(found);
        }
        copies.par_sort_unstable_by(|x, y| {
            (x.later, x.section)
                .cmp(&(y.later, y.section))
                .then(y.similarity.total_cmp(&x.similarity))
                .then(x.earlier.cmp(&y.earlier))
        });
        stats.copies = copies.len();
        (copies, stats)
    }

    /// Each section against the same agency's section of the year before.
    fn previous_year_pairs(&self, members: &[usize], owns: &[Own]) -> Vec<u64> {
        let mut by_year: FxHashMap<(u64, i32), Vec<u32>> = FxHashMap::default();
        for (local, &i) in members.iter().enumerate() {
            if !owns[local].set.is_empty() {
                let p = &self.passages[i];
                by_year
                    .entry((p.agency, p.year))
                    .or_default()
                    .push(local as u32);
            }
        }
        let mut pairs = Vec::new();
        for (&(agency, year), later) in &by_year {
            if let Some(earlier) = by_year.get(&(agency, year - 1)) {
                for &a in later {
                    for &b in earlier {
                        pairs.push(pack(a, b));
                    }
                }
            }
        }
        pairs
    }
}

#[derive(Default)]
struct Own {
    set: Vec<u32>,
    /// Characters of the sentences that are not template.
    text: usize,
    windows: Vec<u32>,
    template: usize,
}

fn pack(a: u32, b: u32) -> u64 {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    (u64::from(lo) << 32) | u64::from(hi)
}

/// The verdict on a pair, whatever the threshold. `a_first` breaks the tie of
/// equal ids (by position in the batch).
fn judge(
    pa: &Passage<'_>,
    pb: &Passage<'_>,
    a_first: bool,
    sa: &[u32],
    sb: &[u32],
) -> Option<Copying> {
    if sa.is_empty() || sb.is_empty() || pa.section != pb.section {
        return None;
    }
    let kind = if pa.agency == pb.agency {
        if (i64::from(pa.year) - i64::from(pb.year)).abs() != 1 {
            return None;
        }
        CopyKind::PreviousYear
    } else {
        CopyKind::OtherAgency
    };
    let shared = intersection(sa, sb) as f64;
    let a_later = if pa.year != pb.year {
        pa.year > pb.year
    } else {
        (pa.id, !a_first) > (pb.id, a_first)
    };
    let (later, earlier, sl, se) = if a_later {
        (pa, pb, sa, sb)
    } else {
        (pb, pa, sb, sa)
    };
    let similarity = if later.year != earlier.year {
        shared / sl.len() as f64
    } else {
        shared / sl.len().min(se.len()) as f64
    };
    Some(Copying {
        later: later.id,
        earlier: earlier.id,
        section: pa.section,
        similarity,
        kind,
    })
}

fn intersection(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Candidates from the inverted index of sampled runs: pairs sharing at
/// least `threshold / 2` (at least two) of the indexable runs of the smaller.
fn window_pairs(owns: &[Own], threshold: f64) -> Vec<u64> {
    let mut entries: Vec<u64> = owns
        .par_iter()
        .enumerate()
        .flat_map_iter(|(a, o)| {
            o.windows
                .iter()
                .map(move |&w| (u64::from(w) << 32) | a as u64)
        })
        .collect();
    entries.par_sort_unstable();
    // Indexable runs of each section (not stock phrasing), and for each run
    // found in two to POSTING_CAP sections, its members: (section, run start).
    let mut usable = vec![0u32; owns.len()];
    let mut member_of: Vec<u64> = Vec::new();
    let mut start = 0;
    for i in 1..=entries.len() {
        if i == entries.len() || entries[i] >> 32 != entries[start] >> 32 {
            let n = i - start;
            if n <= POSTING_CAP {
                for &e in &entries[start..i] {
                    let a = e & 0xFFFF_FFFF;
                    usable[a as usize] += 1;
                    if n >= 2 {
                        member_of.push((a << 32) | start as u64);
                    }
                }
            }
            start = i;
        }
    }
    member_of.par_sort_unstable();
    let mut groups: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    for i in 1..=member_of.len() {
        if i == member_of.len() || member_of[i] >> 32 != member_of[start] >> 32 {
            groups.push(start..i);
            start = i;
        }
    }
    let share = 0.5 * threshold;
    groups
        .par_iter()
        .map_init(FxHashMap::<u32, u32>::default, |counts, g| {
            counts.clear();
            let a = (member_of[g.start] >> 32) as u32;
            for &m in &member_of[g.clone()] {
                let s = (m & 0xFFFF_FFFF) as usize;
                let w = entries[s] >> 32;
                for &e in entries[s..].iter().take_while(|&&e| e >> 32 == w) {
                    let b = (e & 0xFFFF_FFFF) as u32;
                    if b > a {
                        *counts.entry(b).or_default() += 1;
                    }
                }
            }
            let mut out = Vec::new();
            for (&b, &c) in counts.iter() {
                let small = usable[a as usize].min(usable[b as usize]);
                let need = if small < 4 {
                    1
                } else {
                    ((share * f64::from(small)).ceil() as u32).max(2)
                };
                if c >= need {
                    out.push(pack(a, b));
                }
            }
            out
        })
        .flatten_iter()
        .collect()
}

/// Candidates from MinHash banding: sections with an equal band of 6 values.
fn lsh_pairs(owns: &[Own]) -> Vec<u64> {
    let mut keys: Vec<(u64, u32)> = owns
        .par_iter()
        .enumerate()
        .filter(|(_, o)| !o.set.is_empty())
        .flat_map_iter(|(a, o)| {
            let sig = signature(&o.set);
            (0..BANDS).map(move |band| {
                let rows = &sig[band * ROWS..(band + 1) * ROWS];
                (fold(SEED_BAND ^ band as u64, rows), a as u32)
            })
        })
        .collect();
    keys.par_sort_unstable();
    let mut groups: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    for i in 1..=keys.len() {
        if i == keys.len() || keys[i].0 != keys[start].0 {
            if (2..=BUCKET_CAP).contains(&(i - start)) {
                groups.push(start..i);
            }
            start = i;
        }
    }
    groups
        .par_iter()
        .flat_map_iter(|g| {
            let members = &keys[g.clone()];
            members.iter().enumerate().flat_map(move |(x, &(_, a))| {
                members[x + 1..].iter().map(move |&(_, b)| pack(a, b))
            })
        })
        .collect()
}

/// One-permutation MinHash with optimal densification (Shrivastava 2017):
/// the top 7 bits of a shingle choose its bin, the rest compete for the
/// minimum; an empty bin borrows the value of the first non-empty bin on its
/// own fixed probe sequence, the same for every set.
fn signature(set: &[u32]) -> [u32; BINS] {
    let mut sig = [u32::MAX; BINS];
    for &v in set {
        let bin = (v >> 25) as usize;
        let val = v & 0x01FF_FFFF;
        if val < sig[bin] {
            sig[bin] = val;
        }
    }
    let raw = sig;
    for (bin, slot) in sig.iter_mut().enumerate() {
        if *slot != u32::MAX {
            continue;
        }
        for attempt in 1u64.. {
            let probe = (mix64(((bin as u64) << 32) | attempt) % BINS as u64) as usize;
            if raw[probe] != u32::MAX {
                *slot = raw[probe];
                break;
            }
        }
    }
    sig
}

/// The byte ranges of the text two passages share, for marking them side by
/// side: runs of at least `min_chars` normalised characters (as the
/// detection reads them: punctuation and spaces skipped, runs of digits equal
/// whatever their value) found in both. Ranges are on character boundaries,
/// sorted, disjoint, and reach from the first to the last character of a run
/// (punctuation inside included). Template sentences are shared text too and
/// are marked.
pub fn shared_spans(a: &str, b: &str, min_chars: usize) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let k = min_chars.max(1);
    let (na, nb) = (located(a), located(b));
    if na.len() < k || nb.len() < k {
        return (Vec::new(), Vec::new());
    }
    let ca: Vec<u32> = na.iter().map(|c| c.0).collect();
    let cb: Vec<u32> = nb.iter().map(|c| c.0).collect();
    let mut at: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    let mut j = 0u32;
    for_each_gram(&cb, k, SEED_WINDOW, |h| {
        at.entry(h).or_default().push(j);
        j += 1;
    });
    let mut ha = Vec::with_capacity(ca.len());
    for_each_gram(&ca, k, SEED_WINDOW, |h| ha.push(h));
    // Coverage counts as differences: +1 where a shared run starts, -1 after.
    let mut da = vec![0i32; ca.len() + 1];
    let mut db = vec![0i32; cb.len() + 1];
    for (i, win) in ca.windows(k).enumerate() {
        if let Some(js) = at.get(&ha[i]) {
            let mut hit = false;
            for &j in js.iter().take(64) {
                let j = j as usize;
                if cb[j..j + k] == *win {
                    db[j] += 1;
                    db[j + k] -= 1;
                    hit = true;
                }
            }
            if hit {
                da[i] += 1;
                da[i + k] -= 1;
            }
        }
    }
    (ranges(&na, &da), ranges(&nb, &db))
}

fn ranges(located: &[(u32, usize, usize)], diff: &[i32]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut depth = 0;
    let mut start = None;
    for (i, c) in located.iter().enumerate() {
        depth += diff[i];
        match (depth > 0, start) {
            (true, None) => start = Some(c.1),
            (false, Some(s)) => {
                out.push(s..located[i - 1].2);
                start = None;
            }
            _ => {}
        }
    }
    if let (Some(s), Some(last)) = (start, located.last()) {
        out.push(s..last.2);
    }
    out
}

/// Normalised characters of a whole text with the byte range each came from
/// (a run of digits is one character spanning the run).
fn located(text: &str) -> Vec<(u32, usize, usize)> {
    let mut out: Vec<(u32, usize, usize)> = Vec::new();
    let mut in_digits = false;
    for (at, c) in text.char_indices() {
        let end = at + c.len_utf8();
        match classify(c) {
            Class::End | Class::Skip => {
                if matches!(classify(c), Class::End) {
                    in_digits = false;
                }
            }
            Class::Digit => {
                if in_digits {
                    if let Some(last) = out.last_mut() {
                        last.2 = end;
                    }
                } else {
                    out.push((DIGITS, at, end));
                    in_digits = true;
                }
            }
            Class::Char(x) => {
                out.push((x, at, end));
                in_digits = false;
            }
        }
    }
    out
}

/// The placeholder of a run of digits.
const DIGITS: u32 = '#' as u32;

enum Class {
    /// Ends a sentence.
    End,
    /// Dropped (space, punctuation).
    Skip,
    Digit,
    Char(u32),
}

fn classify(c: char) -> Class {
    // Most of the text: CJK ideographs, kept as they are.
    if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
        return Class::Char(c as u32);
    }
    let c = match c {
        // Full-width ASCII forms to ASCII.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    match c {
        '。' | '｡' | '!' | '?' | ';' | '\n' | '\r' => Class::End,
        '0'..='9' | '\u{2460}'..='\u{249B}' => Class::Digit,
        'A'..='Z' => Class::Char(c.to_ascii_lowercase() as u32),
        '〇' => Class::Char(c as u32),
        _ if c.is_whitespace() || c.is_ascii_punctuation() => Class::Skip,
        '\u{3000}'..='\u{303F}'
        | '\u{2000}'..='\u{206F}'
        | '\u{FE10}'..='\u{FE1F}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF5F}'..='\u{FF65}'
        | '\u{00A0}'..='\u{00BF}'
        | '\u{2500}'..='\u{257F}'
        | '\u{25A0}'..='\u{25FF}'
        | '\u{FEFF}' => Class::Skip,
        _ => Class::Char(c as u32),
    }
}

/// A reusable buffer of a text's normalised sentences.
#[derive(Default)]
struct Norm {
    chars: Vec<u32>,
    bounds: Vec<Range<usize>>,
    spare_chars: Vec<u32>,
    spare_bounds: Vec<Range<usize>>,
    /// The name last masked, its forms and their first characters.
    name: String,
    forms: Vec<Vec<u32>>,
    firsts: Vec<u32>,
}

/// The placeholder of the agency's own name.
const NAME: u32 = 0xE000;

/// The forms of an agency's name looked for in its text, longest first:
/// the name, without 人民政府/办事处 and the like, and without each region
/// before it (县、区、市 …).
fn name_forms(name: &str) -> Vec<Vec<u32>> {
    let norm = |t: &str| -> Vec<u32> {
        t.chars()
            .filter_map(|c| match classify(c) {
                Class::Char(x) => Some(x),
                Class::Digit => Some(DIGITS),
                _ => None,
            })
            .collect()
    };
    let full = norm(name);
    let mut forms = vec![full.clone()];
    let mut core = full;
    for suffix in [
        "人民政府办公室",
        "人民政府办公厅",
        "人民政府",
        "办事处",
        "管理委员会",
        "管委会",
    ] {
        let suffix = norm(suffix);
        if core.len() > suffix.len() + 1 && core.ends_with(&suffix) {
            core.truncate(core.len() - suffix.len());
            forms.push(core.clone());
            break;
        }
    }
    let regions: Vec<u32> = "省市县区旗州盟".chars().map(|c| c as u32).collect();
    for f in forms.clone() {
        for (i, c) in f.iter().enumerate() {
            if regions.contains(c) && f.len() - i > 3 {
                forms.push(f[i + 1..].to_vec());
            }
        }
    }
    forms.retain(|f| f.len() >= 2);
    forms.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    forms.dedup();
    forms
}

impl Norm {
    /// Normalised sentences of `text`, the agency's `name` (its forms) read
    /// as one placeholder.
    fn sentences(&mut self, text: &str, name: &str) {
        self.split(text);
        if name.is_empty() {
            return;
        }
        if self.name != name {
            self.name.clear();
            self.name.push_str(name);
            self.forms = name_forms(name);
            self.firsts = self.forms.iter().map(|f| f[0]).collect();
        }
        if self.forms.is_empty() {
            return;
        }
        // The split text moves to the spare buffers and comes back masked.
        std::mem::swap(&mut self.chars, &mut self.spare_chars);
        std::mem::swap(&mut self.bounds, &mut self.spare_bounds);
        self.chars.clear();
        self.bounds.clear();
        for b in self.spare_bounds.iter() {
            let start = self.chars.len();
            let cs = &self.spare_chars[b.clone()];
            let mut i = 0;
            'outer: while i < cs.len() {
                if !self.firsts.contains(&cs[i]) {
                    self.chars.push(cs[i]);
                    i += 1;
                    continue;
                }
                for f in &self.forms {
                    if cs[i..].starts_with(f) {
                        self.chars.push(NAME);
                        i += f.len();
                        continue 'outer;
                    }
                }
                self.chars.push(cs[i]);
                i += 1;
            }
            self.bounds.push(start..self.chars.len());
        }
    }

    fn split(&mut self, text: &str) {
        self.chars.clear();
        self.bounds.clear();
        let mut start = 0;
        let mut in_digits = false;
        for c in text.chars() {
            match classify(c) {
                Class::End => {
                    if self.chars.len() > start {
                        self.bounds.push(start..self.chars.len());
                    }
                    start = self.chars.len();
                    in_digits = false;
                }
                // Separators inside a number ("1,234", "3.5") keep it one run.
                Class::Skip => {}
                Class::Digit => {
                    if !in_digits {
                        self.chars.push(DIGITS);
                        in_digits = true;
                    }
                }
                Class::Char(x) => {
                    self.chars.push(x);
                    in_digits = false;
                }
            }
        }
        if self.chars.len() > start {
            self.bounds.push(start..self.chars.len());
        }
    }
}

fn mix64(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    x ^= x >> 33;
    x = x.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    x ^ (x >> 33)
}

fn fold(seed: u64, cs: &[u32]) -> u64 {
    let mut h = seed;
    for &c in cs {
        h = (h ^ u64::from(c)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        h ^= h >> 29;
    }
    mix64(h ^ cs.len() as u64)
}

fn sentence_hash(cs: &[u32]) -> u64 {
    fold(SEED_SENTENCE, cs)
}

/// The hashes of a sentence's shingles of `k` characters (one of the whole
/// sentence when it is shorter).
fn for_each_shingle(cs: &[u32], k: usize, f: impl FnMut(u64)) {
    if cs.len() < k {
        let mut f = f;
        if !cs.is_empty() {
            f(fold(SEED_SHINGLE, cs));
        }
        return;
    }
    for_each_gram(cs, k, SEED_SHINGLE, f);
}

/// The hashes of every run of `k` characters of `cs` (`cs.len() >= k`): a
/// polynomial hash rolled along, then mixed.
fn for_each_gram(cs: &[u32], k: usize, seed: u64, mut f: impl FnMut(u64)) {
    const B: u64 = 0x9E37_79B9_7F4A_7C15;
    let top = (0..k).fold(1u64, |p, _| p.wrapping_mul(B));
    let mut h = 0u64;
    for &c in &cs[..k] {
        h = h.wrapping_mul(B).wrapping_add(u64::from(c) + 1);
    }
    f(mix64(h ^ seed));
    for i in k..cs.len() {
        h = h
            .wrapping_mul(B)
            .wrapping_add(u64::from(cs[i]) + 1)
            .wrapping_sub((u64::from(cs[i - k]) + 1).wrapping_mul(top));
        f(mix64(h ^ seed));
    }
}

/// The sections whose text is the office's own narrative: 一、总体情况,
/// 五、存在的主要问题及改进情况 and 六、其他需要报告的事项. Sections two to
/// four hold the tables; what text they have is notes to the tables.
pub const NARRATIVE_SECTIONS: [u8; 3] = [1, 5, 6];

/// The narrative sections of a report ([`NARRATIVE_SECTIONS`]) as the
/// detection compares them: section number and text without the
/// template's own wording.
pub fn narrative(report: &gongkai_report::Report) -> Vec<(u8, String)> {
    report
        .sections
        .iter()
        .enumerate()
        .filter(|(i, _)| NARRATIVE_SECTIONS.contains(&(*i as u8 + 1)))
        .filter_map(|(i, s)| {
            s.as_ref()
                .map(|s| (i as u8 + 1, without_template_labels(&s.text)))
        })
        .collect()
}

/// A section's text without the template's own wording: section titles,
/// table titles, clause headings, row and column labels, left in the text
/// by copies whose tables lost their grid. What remains is what the office
/// wrote; two reports sharing only the template share nothing.
pub fn without_template_labels(text: &str) -> String {
    static LABELS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let labels = LABELS.get_or_init(|| {
        let mut v: Vec<String> = Vec::new();
        for e in [
            gongkai_template::Edition::V2021,
            gongkai_template::Edition::V2019,
        ] {
            let t = gongkai_template::Template::get(e);
            for s in &t.sections {
                v.push(s.heading());
                v.push(s.title.to_string());
            }
            for table in &t.tables {
                v.push(table.title.to_string());
                v.extend(table.header_notes.iter().map(|s| s.to_string()));
                v.extend(table.row_groups.iter().map(|s| s.to_string()));
                v.extend(table.column_groups.iter().map(|s| s.to_string()));
                for r in &table.rows {
                    v.push(r.label.to_string());
                    v.extend(r.clause.map(String::from));
                    v.extend(r.group.map(String::from));
                }
                v.extend(table.columns.iter().map(|c| c.label.to_string()));
            }
        }
        // Longest first, so a label is not cut by a shorter one inside it.
        v.retain(|l| l.chars().count() >= 2);
        v.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        v.dedup();
        v
    });
    let mut out = text.to_string();
    for l in labels {
        if out.contains(l.as_str()) {
            out = out.replace(l.as_str(), "");
        }
    }
    out
}

#[cfg(test)]
mod tests;
