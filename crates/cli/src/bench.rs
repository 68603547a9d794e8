//! `gongkai bench`: generates a corpus of consistent reports in every layout
//! the writers produce, then times reading and checking them, on one core and
//! on all cores.

use gongkai_report::sample::consistent_report;
use gongkai_write::Format;
use rayon::prelude::*;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

const LAYOUTS: [(Format, &str); 3] = [
    (Format::Text, "txt"),
    (Format::Markdown, "md"),
    (Format::Html, "html"),
];

pub fn run(n: usize, write_corpus: Option<&Path>) -> ExitCode {
    let n = n.max(LAYOUTS.len());
    eprintln!("生成 {n} 份报告……");
    let corpus: Vec<(String, Vec<u8>)> = (0..n)
        .into_par_iter()
        .map(|i| {
            let (format, ext) = LAYOUTS[i % LAYOUTS.len()];
            let report = consistent_report(i as u64, 2021 + (i % 5) as i32);
            (
                format!("report-{i:06}.{ext}"),
                gongkai_write::write(format, &report).into_bytes(),
            )
        })
        .collect();
    if let Some(dir) = write_corpus {
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!("错误：无法创建目录 {}（{e}）", dir.display());
            return ExitCode::from(2);
        }
        for (name, bytes) in &corpus {
            if let Err(e) = std::fs::write(dir.join(name), bytes) {
                eprintln!("错误：无法写入 {}（{e}）", dir.join(name).display());
                return ExitCode::from(2);
            }
        }
        eprintln!("语料已写入 {}", dir.display());
    }
    println!(
        "{:<10} {:>8} {:>10} {:>12} {:>12}",
        "版式", "份数", "MB", "单核 MB/s", "单核 份/秒"
    );
    let mut failures = 0;
    for (format, ext) in LAYOUTS {
        let docs: Vec<&(String, Vec<u8>)> = corpus
            .iter()
            .filter(|(name, _)| name.ends_with(ext))
            .collect();
        let bytes: usize = docs.iter().map(|(_, b)| b.len()).sum();
        let start = Instant::now();
        for (name, b) in &docs {
            match gongkai_read::read_report(name, b) {
                Ok(r) if !r.has_errors() => {}
                _ => failures += 1,
            }
        }
        let secs = start.elapsed().as_secs_f64().max(1e-9);
        println!(
            "{:<10} {:>8} {:>10.1} {:>12.1} {:>12.0}",
            format.name(),
            docs.len(),
            bytes as f64 / 1e6,
            bytes as f64 / 1e6 / secs,
            docs.len() as f64 / secs
        );
    }
    let total: usize = corpus.iter().map(|(_, b)| b.len()).sum();
    let start = Instant::now();
    let errors: usize = corpus
        .par_iter()
        .map(|(name, b)| {
            usize::from(gongkai_read::read_report(name, b).map_or(true, |r| r.has_errors()))
        })
        .sum();
    let secs = start.elapsed().as_secs_f64().max(1e-9);
    println!(
        "全部（{} 线程）: {} 份，{:.1} MB，{:.1} MB/s，{:.0} 份/秒",
        rayon::current_num_threads(),
        corpus.len(),
        total as f64 / 1e6,
        total as f64 / 1e6 / secs,
        corpus.len() as f64 / secs
    );
    if failures + errors > 0 {
        eprintln!("错误：{} 份生成的报告未能无误读回", failures + errors);
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
