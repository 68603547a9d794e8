//! Copied-narrative detection over a generated batch: 50,000 reports (25,000
//! agencies × 2 years) × 6 sections by default, with planted copies.
//!
//! `cargo run --release -p gongkai-review --example similar_bench [agencies] [years] [seed]`
//!
//! Prints the time of `find_copies` (counting the templates included), the
//! candidates verified, and the recall and precision of what was found
//! against what was planted: recall over the planted copies whose similarity,
//! measured exactly as the detection measures it, reaches the threshold;
//! precision as the share of the copies found whose two sections share a
//! sentence written for one text (planted copies, copies of copies, two
//! copies of one source).

use gongkai_review::similar::sample::{Plan, Sample};
use gongkai_review::similar::{CopyKind, Corpus, Settings};
use rustc_hash::FxHashSet;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let agencies = args.first().and_then(|a| a.parse().ok()).unwrap_or(25_000);
    let years = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(2);
    let seed = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(7);

    let t = Instant::now();
    let sample = Sample::generate(seed, &Plan::new(agencies, years));
    let passages = sample.passages();
    let chars: usize = passages.iter().map(|p| p.text.chars().count()).sum();
    println!(
        "generated {} reports, {} sections, {:.1} M characters, {} planted copies in {:.1} s",
        sample.reports.len(),
        passages.len(),
        chars as f64 / 1e6,
        sample.planted.len(),
        t.elapsed().as_secs_f64()
    );
    println!("threads: {}", rayon::current_num_threads());

    let settings = Settings::default();
    let t = Instant::now();
    let corpus = Corpus::new(&passages, &settings);
    let counted = t.elapsed().as_secs_f64();
    let (copies, stats) = corpus.find();
    let total = t.elapsed().as_secs_f64();
    println!(
        "find_copies: {total:.2} s (templates counted in {counted:.2} s, pairs in {:.2} s)",
        total - counted
    );
    println!("{stats:#?}");

    // Recall: planted copies at or above the threshold when measured exactly.
    let found: FxHashSet<(u64, u64, u8)> = copies
        .iter()
        .flat_map(|c| {
            [
                (c.later, c.earlier, c.section),
                (c.earlier, c.later, c.section),
            ]
        })
        .collect();
    let mut expected = 0;
    let mut hit = 0;
    let mut below = 0;
    // Per kind: planted, too short, below the threshold, at or above, found.
    let mut by_kind = [[0usize; 5]; 4];
    let mut missed = Vec::new();
    for p in &sample.planted {
        let row = match (p.kind, p.partial) {
            (CopyKind::PreviousYear, false) => 0,
            (CopyKind::PreviousYear, true) => 1,
            (CopyKind::OtherAgency, false) => 2,
            (CopyKind::OtherAgency, true) => 3,
        };
        by_kind[row][0] += 1;
        let a = Sample::passage_index(p.later, p.section);
        let b = Sample::passage_index(p.earlier, p.section);
        let Some(c) = corpus.compare(a, b) else {
            below += 1;
            by_kind[row][1] += 1;
            continue;
        };
        if c.similarity < settings.threshold {
            below += 1;
            by_kind[row][2] += 1;
            continue;
        }
        expected += 1;
        by_kind[row][3] += 1;
        let ok = found.contains(&(p.later, p.earlier, p.section)) && c.kind == p.kind;
        hit += usize::from(ok);
        by_kind[row][4] += usize::from(ok);
        if !ok {
            missed.push((p.clone(), c.similarity));
        }
    }
    let related = copies
        .iter()
        .filter(|c| sample.related(c.later, c.earlier, c.section))
        .count();
    if std::env::var_os("SIMILAR_BENCH_SHOW").is_some() {
        for (p, sim) in missed.iter().take(5) {
            println!("missed: {p:?} measured {sim:.3}");
        }
        for c in copies
            .iter()
            .filter(|c| !sample.related(c.later, c.earlier, c.section))
            .take(5)
        {
            println!("unrelated: {c:?}");
            let r = &sample.reports;
            let s = usize::from(c.section) - 1;
            println!(
                "  {}\n  ---\n  {}",
                r[c.later as usize].sections[s], r[c.earlier as usize].sections[s]
            );
        }
    }
    println!(
        "planted: {} ({} below the threshold or too short when measured, {} at or above)",
        sample.planted.len(),
        below,
        expected
    );
    println!(
        "  {:<24} {:>7} {:>9} {:>8} {:>8} {:>7}",
        "", "planted", "too short", "below", "above", "found"
    );
    for (label, [n, short, low, high, k]) in [
        "previous year, whole",
        "previous year, partial",
        "other agency, whole",
        "other agency, partial",
    ]
    .iter()
    .zip(by_kind)
    {
        println!("  {label:<24} {n:>7} {short:>9} {low:>8} {high:>8} {k:>7}");
    }
    println!(
        "recall:    {:.4} ({hit} of {expected})",
        hit as f64 / expected.max(1) as f64
    );
    println!(
        "precision: {:.4} ({related} of {} found are related)",
        related as f64 / copies.len().max(1) as f64,
        copies.len()
    );
    let previous = copies
        .iter()
        .filter(|c| c.kind == CopyKind::PreviousYear)
        .count();
    println!(
        "found: {} previous year, {} other agency",
        previous,
        copies.len() - previous
    );
}
