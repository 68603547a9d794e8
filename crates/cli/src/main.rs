//! The `gongkai` command: read, check, render and export annual reports.
//! Thin glue over the library crates; all messages in Chinese.

mod bench;
mod files;
mod ledger;
mod show;

use clap::{Parser, Subcommand, ValueEnum};
use gongkai_report::{rule, Figures, Level, Report, RULES};
use rayon::prelude::*;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "gongkai",
    version,
    about = "政府信息公开：年度报告的读取、检查、排版、导出；申请台账与期限；由台账生成年度报告",
    long_about = "读取各种格式（文本、Markdown、HTML、JSON）的政府信息公开工作年度报告，\
按国家模板逐格核对，像编译器一样指出每一处问题。"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 检查年度报告（文件或目录，目录递归读取）
    Check {
        /// 报告文件或目录
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// 输出格式
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
        /// 同时显示提示级（info）的诊断
        #[arg(long)]
        info: bool,
        /// 不做跨年度核对（GK020、GK021）
        #[arg(long)]
        no_series: bool,
    },
    /// 读取一份报告，输出单元格与诊断
    Parse {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = ParseFormat::Json)]
        format: ParseFormat,
    },
    /// 按标准格式输出报告（md、html、txt、json）
    Render {
        file: PathBuf,
        /// 目标格式
        #[arg(long)]
        to: String,
        /// 输出文件（默认输出到标准输出）
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
    },
    /// 导出为 CSV：每份报告一行，每个单元格地址一列
    Export {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, default_value = "csv")]
        to: String,
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
    },
    /// 台账：登记和办理政府信息公开申请，期限、收费、答复，规范性文件、执法数据、复议诉讼
    Ledger(ledger::LedgerArgs),
    /// 由台账生成年度报告：gongkai report generate --agency … --year 2025 --to md
    Report(ledger::ReportArgs),
    /// 解释一条规则，如 gongkai explain GK012
    Explain { rule: String },
    /// 列出全部规则
    Rules,
    /// 性能测试：生成各种版式的报告并计时读取与检查
    Bench {
        /// 生成的报告份数
        #[arg(long, default_value_t = 2000)]
        reports: usize,
        /// 同时把生成的语料写入此目录（用于测试 check 命令的整体速度）
        #[arg(long)]
        write_corpus: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum OutputFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ParseFormat {
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            paths,
            format,
            info,
            no_series,
        } => check(&paths, format, info, !no_series),
        Command::Parse {
            file,
            format: ParseFormat::Json,
        } => parse(&file),
        Command::Render { file, to, output } => render(&file, &to, output.as_deref()),
        Command::Export { paths, to, output } => export(&paths, &to, output.as_deref()),
        Command::Ledger(args) => ledger::run_ledger(args),
        Command::Report(args) => ledger::run_report(args),
        Command::Explain { rule: id } => explain(&id),
        Command::Rules => {
            let mut out = io::stdout().lock();
            for r in RULES {
                let _ = writeln!(
                    out,
                    "{}  {:<4}  {}：{}",
                    r.id,
                    r.level.label(),
                    r.name,
                    r.summary
                );
            }
            ExitCode::SUCCESS
        }
        Command::Bench {
            reports,
            write_corpus,
        } => bench::run(reports, write_corpus.as_deref()),
    }
}

/// Reads one file into a report; the error is a message for the user.
pub(crate) fn load(path: &std::path::Path) -> Result<(Report, Vec<u8>), String> {
    let bytes = std::fs::read(path)
        .map_err(|e| format!("{}：无法读取文件（{}）", path.display(), io_error(&e)))?;
    let source = path.display().to_string();
    match gongkai_read::read_report(&source, &bytes) {
        Ok(r) => Ok((r, bytes)),
        Err(e) => Err(format!("{source}：{e}")),
    }
}

pub(crate) fn io_error(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "文件不存在".into(),
        io::ErrorKind::PermissionDenied => "没有读取权限".into(),
        io::ErrorKind::IsADirectory => "这是一个目录".into(),
        _ => e.to_string(),
    }
}

const CHUNK: usize = 512;

fn check(paths: &[PathBuf], format: OutputFormat, show_info: bool, series: bool) -> ExitCode {
    let (files, missing) = files::collect(paths);
    let stderr = io::stderr();
    for m in &missing {
        let _ = writeln!(stderr.lock(), "错误：{m}");
    }
    let progress = if stderr.is_terminal() && files.len() > 200 && format == OutputFormat::Human {
        let pb = indicatif::ProgressBar::new(files.len() as u64);
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} 份 {per_sec} 预计剩余 {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(pb)
    } else {
        None
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut totals = (0usize, 0usize, 0usize);
    let mut unreadable = missing.len();
    let mut figures: Vec<Option<Figures>> = Vec::new();
    let mut sources: Vec<String> = Vec::new();
    let mut first_json = true;
    if format == OutputFormat::Json {
        let _ = write!(out, "{{\"reports\":[");
    }
    // Files are read in parallel, a chunk at a time, and printed in order; only
    // the few figures the cross-year rules need are kept.
    for chunk in files.chunks(CHUNK) {
        let results: Vec<Result<(Report, Vec<u8>), String>> = chunk
            .par_iter()
            .map(|p| {
                let r = load(p);
                if let Some(pb) = &progress {
                    pb.inc(1);
                }
                r
            })
            .collect();
        for result in results {
            match result {
                Ok((report, bytes)) => {
                    let (e, w, i) = gongkai_report::count_levels(&report.diagnostics);
                    totals = (totals.0 + e, totals.1 + w, totals.2 + i);
                    match format {
                        OutputFormat::Human => {
                            if let Some(pb) = &progress {
                                pb.suspend(|| show::report(&mut out, &report, &bytes, show_info));
                            } else {
                                show::report(&mut out, &report, &bytes, show_info);
                            }
                        }
                        OutputFormat::Json => {
                            if !first_json {
                                let _ = write!(out, ",");
                            }
                            first_json = false;
                            let _ = write!(out, "{}", gongkai_write::json::to_string(&report));
                        }
                    }
                    if series {
                        figures.push(Figures::of(&report));
                        sources.push(report.source.clone());
                    }
                }
                Err(msg) => {
                    unreadable += 1;
                    if let Some(pb) = &progress {
                        pb.suspend(|| eprintln!("错误：{msg}"));
                    } else {
                        let _ = out.flush();
                        eprintln!("错误：{msg}");
                    }
                }
            }
        }
    }
    if let Some(pb) = progress {
        pb.finish_and_clear();
    }
    let series_diags = if series {
        gongkai_report::check_series_figures(&figures)
    } else {
        Vec::new()
    };
    for (_, d) in &series_diags {
        match d.level {
            Level::Error => totals.0 += 1,
            Level::Warning => totals.1 += 1,
            Level::Info => totals.2 += 1,
        }
    }
    match format {
        OutputFormat::Human => {
            for (i, d) in &series_diags {
                show::diagnostic(&mut out, &sources[*i], None, d);
            }
            let read = files.len() + missing.len() - unreadable;
            let _ = writeln!(
                out,
                "\n检查了 {read} 份报告{}：{} 个错误，{} 个警告，{} 个提示{}",
                if unreadable > 0 {
                    format!("（另有 {unreadable} 个文件无法读取）")
                } else {
                    String::new()
                },
                totals.0,
                totals.1,
                totals.2,
                if show_info || totals.2 == 0 {
                    ""
                } else {
                    "（加 --info 显示提示）"
                }
            );
        }
        OutputFormat::Json => {
            let series_json: Vec<serde_json::Value> = series_diags
                .iter()
                .map(|(i, d)| serde_json::json!({ "source": sources[*i], "diagnostic": d }))
                .collect();
            let _ = write!(
                out,
                "],\"series\":{},\"summary\":{}}}",
                serde_json::Value::Array(series_json),
                serde_json::json!({
                    "reports": files.len() - (unreadable - missing.len()),
                    "unreadable": unreadable,
                    "errors": totals.0, "warnings": totals.1, "infos": totals.2
                })
            );
            let _ = writeln!(out);
        }
    }
    let _ = out.flush();
    if unreadable > 0 {
        ExitCode::from(2)
    } else if totals.0 > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn parse(file: &std::path::Path) -> ExitCode {
    match load(file) {
        Ok((report, _)) => {
            println!("{}", gongkai_write::json::to_string_pretty(&report));
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("错误：{msg}");
            ExitCode::from(2)
        }
    }
}

fn render(file: &std::path::Path, to: &str, output: Option<&std::path::Path>) -> ExitCode {
    let Some(format) = gongkai_write::Format::parse(to) else {
        eprintln!("错误：不支持的格式“{to}”，可选：md、html、txt、json");
        return ExitCode::from(2);
    };
    let report = match load(file) {
        Ok((r, _)) => r,
        Err(msg) => {
            eprintln!("错误：{msg}");
            return ExitCode::from(2);
        }
    };
    let text = gongkai_write::write(format, &report);
    write_output(output, text.as_bytes())
}

pub(crate) fn write_output(output: Option<&std::path::Path>, bytes: &[u8]) -> ExitCode {
    match output {
        Some(path) => match std::fs::write(path, bytes) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("错误：无法写入 {}（{}）", path.display(), io_error(&e));
                ExitCode::from(2)
            }
        },
        None => {
            let mut out = io::stdout().lock();
            if out.write_all(bytes).and_then(|_| out.flush()).is_err() {
                return ExitCode::from(2);
            }
            ExitCode::SUCCESS
        }
    }
}

fn export(paths: &[PathBuf], to: &str, output: Option<&std::path::Path>) -> ExitCode {
    if !to.eq_ignore_ascii_case("csv") {
        eprintln!("错误：export 目前支持 --to csv");
        return ExitCode::from(2);
    }
    let (files, missing) = files::collect(paths);
    for m in &missing {
        eprintln!("错误：{m}");
    }
    let sink: Box<dyn Write> = match output {
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => Box::new(io::BufWriter::new(f)),
            Err(e) => {
                eprintln!("错误：无法写入 {}（{}）", p.display(), io_error(&e));
                return ExitCode::from(2);
            }
        },
        None => Box::new(io::BufWriter::new(io::stdout())),
    };
    let mut w = csv::Writer::from_writer(sink);
    let addresses = files::all_addresses();
    let mut header: Vec<String> = ["source", "agency", "year", "template", "errors", "warnings"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(addresses.iter().cloned());
    let mut failed = missing.len();
    if w.write_record(&header).is_err() {
        return ExitCode::from(2);
    }
    for chunk in files.chunks(CHUNK) {
        let results: Vec<_> = chunk.par_iter().map(|p| load(p)).collect();
        for r in results {
            match r {
                Ok((report, _)) => {
                    let (e, wn, _) = gongkai_report::count_levels(&report.diagnostics);
                    let mut rec = vec![
                        report.source.clone(),
                        report.agency.clone().unwrap_or_default(),
                        report.year.map(|y| y.to_string()).unwrap_or_default(),
                        report.edition.as_str().to_string(),
                        e.to_string(),
                        wn.to_string(),
                    ];
                    for a in &addresses {
                        rec.push(report.value(a).map(|v| v.to_string()).unwrap_or_default());
                    }
                    if w.write_record(&rec).is_err() {
                        return ExitCode::from(2);
                    }
                }
                Err(msg) => {
                    failed += 1;
                    eprintln!("错误：{msg}");
                }
            }
        }
    }
    if w.flush().is_err() {
        return ExitCode::from(2);
    }
    if failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

fn explain(id: &str) -> ExitCode {
    match rule(id) {
        Some(r) => {
            println!(
                "{}（{}）：{}\n\n{}\n\n{}",
                r.id,
                r.level.label(),
                r.name,
                r.summary,
                r.explanation
            );
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("错误：没有规则“{id}”。运行 gongkai rules 查看全部规则。");
            ExitCode::from(2)
        }
    }
}
