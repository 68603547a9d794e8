//! `gongkai bench`: generates a corpus of consistent reports in every layout
//! the writers produce, then times reading and checking them, on one core and
//! on all cores.

use gongkai_report::sample::consistent_report;
use gongkai_write::{FileFormat, Format};
use rayon::prelude::*;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

const LAYOUTS: [(Format, &str); 3] = [
    (Format::Text, "txt"),
    (Format::Markdown, "md"),
    (Format::Html, "html"),
];

pub fn run(n: usize, write_corpus: Option<&Path>, files: usize) -> ExitCode {
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
    // Crawler copies of the text reports: every cell glued to the next, the
    // figures split back by the template's arithmetic.
    let glued: Vec<(String, String)> = corpus
        .iter()
        .filter(|(name, _)| name.ends_with("txt"))
        .map(|(name, b)| {
            (
                name.replace(".txt", "-crawl.txt"),
                gongkai_write::text::crawler_copy(&String::from_utf8_lossy(b)),
            )
        })
        .collect();
    let bytes: usize = glued.iter().map(|(_, t)| t.len()).sum();
    let start = Instant::now();
    for (name, text) in &glued {
        if gongkai_read::read_report(name, text.as_bytes()).is_err() {
            failures += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64().max(1e-9);
    println!(
        "{:<10} {:>8} {:>10.1} {:>12.1} {:>12.0}",
        "粘连文本",
        glued.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / secs,
        glued.len() as f64 / secs
    );
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
    failures += file_formats(files);
    if failures + errors > 0 {
        eprintln!("错误：{} 份生成的报告未能无误读回", failures + errors);
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// Word, PDF and Excel: `n` reports each, written and read back on one core.
/// Returns how many did not read back to their cells without error.
fn file_formats(n: usize) -> usize {
    if n == 0 {
        return 0;
    }
    println!(
        "{:<10} {:>8} {:>12} {:>12} {:>12}",
        "文件格式", "份数", "平均 KB", "写出 份/秒", "读取 份/秒"
    );
    let reports: Vec<_> = (0..n)
        .map(|i| consistent_report(i as u64, 2021 + (i % 5) as i32))
        .collect();
    let mut failures = 0;
    for format in [FileFormat::Docx, FileFormat::Pdf, FileFormat::Xlsx] {
        let start = Instant::now();
        let files: Vec<Vec<u8>> = reports
            .iter()
            .map(|r| gongkai_write::write_bytes(format, r))
            .collect();
        let write_secs = start.elapsed().as_secs_f64().max(1e-9);
        let start = Instant::now();
        for (report, bytes) in reports.iter().zip(&files) {
            let name = format!("report.{}", format.extension());
            match gongkai_read::read_report(&name, bytes) {
                Ok(back)
                    if !back.has_errors()
                        && report
                            .present_cells()
                            .all(|(a, c)| back.value(a) == Some(c.value)) => {}
                _ => failures += 1,
            }
        }
        let read_secs = start.elapsed().as_secs_f64().max(1e-9);
        let bytes: usize = files.iter().map(Vec::len).sum();
        println!(
            "{:<10} {:>8} {:>12.1} {:>12.0} {:>12.0}",
            format.name(),
            n,
            bytes as f64 / n as f64 / 1e3,
            n as f64 / write_secs,
            n as f64 / read_secs
        );
    }
    failures
}
