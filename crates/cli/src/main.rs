//! The `gongkai` command: read, check, render and export annual reports.
//! Thin glue over the library crates; all messages in Chinese.

mod bench;
mod benchdb;
mod files;
mod input;
mod items;
mod ledger;
mod outfile;
mod output;
mod review;
mod reviewbench;
mod serve;
mod servebench;
mod show;
mod zh;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use gongkai_report::{Figures, Level, Report, RULES};
use rayon::prelude::*;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "gongkai",
    version,
    about = "政府信息公开：年度报告的读取、检查、排版、导出；申请台账与期限；由台账生成年度报告",
    long_about = "读取各种格式（文本、Markdown、HTML、Word、PDF、Excel、JSON）的政府信息公开工作年度报告，\
按国家模板逐格核对，像编译器一样指出每一处问题；按标准格式排版、导出汇总表。\
台账：登记申请、计算法定期限、生成答复告知书，并由台账生成年度报告。"
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
        /// 机关名称对照表：每行“报告中的名称,统一名称”（也可用“=”或制表符分隔），
        /// 跨年度核对时把同一机关的不同写法视为一个机关
        #[arg(long, value_name = "文件")]
        agency_map: Option<PathBuf>,
    },
    /// 读取一份报告，输出单元格与诊断
    Parse {
        /// 报告文件
        file: PathBuf,
        /// 输出格式
        #[arg(long, value_enum, default_value_t = ParseFormat::Json)]
        format: ParseFormat,
    },
    /// 按标准格式输出报告（md、html、txt、json、docx、xlsx、pdf）
    Render {
        /// 报告文件
        file: PathBuf,
        /// 目标格式：md、html、txt、json、docx、pdf、xlsx
        #[arg(long)]
        to: String,
        /// 输出文件（默认输出到标准输出）
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
        /// 输出文件已存在时覆盖它（要读取的文件本身永不覆盖）
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        fonts: output::FontArgs,
    },
    /// 导出汇总表（CSV 或 Excel）：每份报告一行，每个单元格一列
    Export {
        /// 报告文件或目录
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// 汇总表格式：csv 或 xlsx
        #[arg(long, default_value = "csv")]
        to: String,
        /// 输出文件（默认输出到标准输出）
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
        /// 输出文件已存在时覆盖它（要读取的文件本身永不覆盖）
        #[arg(long)]
        force: bool,
    },
    /// 台账：登记和办理政府信息公开申请，期限、收费、答复，规范性文件、执法数据、复议诉讼
    Ledger(ledger::LedgerArgs),
    /// 由台账生成年度报告：gongkai report generate --agency … --year 2025 --to md
    Report(ledger::ReportArgs),
    /// 上级机关审查下级机关的年度报告：按名单匹配、检查、跨年度核对、评分，输出审查表、整改通知、通报和汇总表
    Review(review::ReviewArgs),
    /// 年报审查性能测试：在临时数据库中生成大规模地区（默认 1 万个单位 × 5 年的报告），在本机回环地址上启动网站，计时上级机关的审查表、报告详情和汇总（结束后删除临时数据库）
    ReviewBench(reviewbench::ReviewBenchArgs),
    /// 主动公开：导入机关已经发布的政府信息（Excel 或 CSV），列出已发布的信息，生成导入模板
    Items(items::ItemsArgs),
    /// 启动网站：公众申请门户、工作人员控制台和接口（gongkai serve --demo 带演示数据）
    Serve(serve::ServeArgs),
    /// 网站性能测试：在临时数据库中生成大规模台账，在本机回环地址上启动网站，以多个并发连接计时控制台、案件列表、公众页面和网上申请（结束或中断后删除临时数据库）
    ServeBench(servebench::ServeBenchArgs),
    /// 解释一条规则，如 gongkai explain GK012
    Explain {
        /// 规则编号，如 GK012
        rule: String,
    },
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
        /// Word、PDF、Excel 各生成的报告份数（单核计时写出与读回）
        #[arg(long, default_value_t = 100)]
        files: usize,
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
    let command = zh::localize(Cli::command()).mut_subcommand("ledger", |l| {
        l.mut_subcommand("event", |e| e.after_help(ledger::outcome_help()))
    });
    let matches = command
        .clone()
        .try_get_matches()
        .unwrap_or_else(|e| zh::exit(e, &command));
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| zh::exit(e, &command));
    match cli.command {
        Command::Check {
            paths,
            format,
            info,
            no_series,
            agency_map,
        } => {
            let map = match agency_map.as_deref().map(read_agency_map).transpose() {
                Ok(map) => map.unwrap_or_default(),
                Err(msg) => {
                    eprintln!("错误：{msg}");
                    return ExitCode::from(2);
                }
            };
            check(&paths, format, info, !no_series, &map)
        }
        Command::Parse {
            file,
            format: ParseFormat::Json,
        } => parse(&file),
        Command::Render {
            file,
            to,
            output,
            force,
            fonts,
        } => render(
            &file,
            &to,
            output.as_deref(),
            force,
            fonts.font_dir.as_deref(),
        ),
        Command::Export {
            paths,
            to,
            output,
            force,
        } => export(&paths, &to, output.as_deref(), force),
        Command::Ledger(args) => ledger::run_ledger(args),
        Command::Report(args) => ledger::run_report(args),
        Command::Review(args) => review::run(args),
        Command::ReviewBench(args) => reviewbench::run(args),
        Command::Items(args) => items::run(args),
        Command::Serve(args) => serve::run(args),
        Command::ServeBench(args) => servebench::run(args),
        Command::Explain { rule: id } => explain(&id),
        Command::Rules => {
            let mut out = io::stdout().lock();
            for r in RULES.iter().chain(gongkai_review::REVIEW_RULES) {
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
            files,
        } => bench::run(reports, write_corpus.as_deref(), files),
    }
}

/// Reads one file into a report; the error is a message for the user.
pub(crate) fn load(path: &std::path::Path) -> Result<(Report, Vec<u8>), String> {
    let bytes = input::read(path, input::REPORT_LIMIT)?;
    let source = path.display().to_string();
    match gongkai_read::read_report(&source, &bytes) {
        Ok(r) => Ok((r, bytes)),
        Err(e) => Err(format!("{source}：{e}")),
    }
}

/// What [`load_all`] gives: the reports of a file and its bytes, or a message.
type Loaded = Result<(Vec<Report>, Vec<u8>), String>;

/// Reads one file into every report it holds: one, or one per row of a
/// collection sheet. The bytes come back for showing source lines; for Word,
/// PDF and Excel files, whose positions are not lines of their bytes, they
/// are left out.
pub(crate) fn load_all(path: &std::path::Path) -> Loaded {
    let bytes = input::read(path, input::REPORT_LIMIT)?;
    let source = path.display().to_string();
    match gongkai_read::read_reports(&source, &bytes) {
        Ok(reports) => {
            use gongkai_read::Format;
            let shown = match Format::detect(&source, &bytes) {
                Format::Docx | Format::Pdf | Format::Xlsx => Vec::new(),
                Format::Text | Format::Markdown | Format::Html | Format::Json => bytes,
            };
            Ok((reports, shown))
        }
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

/// Reads a table of agency names: "name as written,one name" per line.
fn read_agency_map(
    path: &std::path::Path,
) -> Result<std::collections::HashMap<String, String>, String> {
    Ok(read_agency_pairs(path)?
        .into_iter()
        .map(|(_, from, to)| {
            (
                gongkai_report::normalize_agency(&from),
                gongkai_report::normalize_agency(&to),
            )
        })
        .collect())
}

/// The lines of a table of agency names: (line number, name as written, one name).
pub(crate) fn read_agency_pairs(
    path: &std::path::Path,
) -> Result<Vec<(usize, String, String)>, String> {
    let bytes = std::fs::read(path)
        .map_err(|e| format!("无法读取机关名称对照表 {}：{e}", path.display()))?;
    let (text, _, _) = gongkai_read::decode::decode(&bytes);
    let mut pairs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim().trim_start_matches('\u{FEFF}');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((from, to)) = line.split_once([',', '，', '=', '\t']) else {
            return Err(format!(
                "{}：第 {} 行“{line}”应为“报告中的名称,统一名称”",
                path.display(),
                i + 1
            ));
        };
        let (from, to) = (from.trim(), to.trim());
        if from.is_empty() || to.is_empty() {
            return Err(format!(
                "{}：第 {} 行缺少名称，应为“报告中的名称,统一名称”",
                path.display(),
                i + 1
            ));
        }
        pairs.push((i + 1, from.to_string(), to.to_string()));
    }
    Ok(pairs)
}

fn check(
    paths: &[PathBuf],
    format: OutputFormat,
    show_info: bool,
    series: bool,
    agency_map: &std::collections::HashMap<String, String>,
) -> ExitCode {
    let (files, missing) = files::collect(paths);
    let stderr = io::stderr();
    for (_, m) in &missing {
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
    // The files that could not be read, named in the JSON summary.
    let mut unreadable: Vec<(String, String)> = missing
        .iter()
        .map(|(p, m)| (p.display().to_string(), m.clone()))
        .collect();
    // Reports read: one per file, or one per row of a collection sheet.
    let mut reports_read = 0usize;
    let mut figures: Vec<Option<Figures>> = Vec::new();
    let mut sources: Vec<String> = Vec::new();
    let mut first_json = true;
    if format == OutputFormat::Json {
        let _ = write!(out, "{{\"reports\":[");
    }
    // Files are read in parallel, a chunk at a time, and printed in order; only
    // the few figures the cross-year rules need are kept.
    for chunk in files.chunks(CHUNK) {
        let results: Vec<Loaded> = chunk
            .par_iter()
            .map(|p| {
                let r = load_all(p);
                if let Some(pb) = &progress {
                    pb.inc(1);
                }
                r
            })
            .collect();
        for (path, result) in chunk.iter().zip(results) {
            match result {
                Ok((reports, bytes)) => {
                    for report in reports {
                        reports_read += 1;
                        let (e, w, i) = gongkai_report::count_levels(&report.diagnostics);
                        totals = (totals.0 + e, totals.1 + w, totals.2 + i);
                        match format {
                            OutputFormat::Human => {
                                if let Some(pb) = &progress {
                                    pb.suspend(|| {
                                        show::report(&mut out, &report, &bytes, show_info)
                                    });
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
                            let mut f = Figures::of(&report);
                            if let Some(f) = f.as_mut() {
                                if let Some(one) = agency_map.get(&f.agency_key) {
                                    f.agency_key = one.clone();
                                }
                            }
                            figures.push(f);
                            sources.push(report.source.clone());
                        }
                    }
                }
                Err(msg) => {
                    unreadable.push((path.display().to_string(), msg.clone()));
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
                if d.level != Level::Info || show_info {
                    show::diagnostic(&mut out, &sources[*i], None, d);
                }
            }
            let read = reports_read;
            let _ = writeln!(
                out,
                "\n检查了 {read} 份报告{}：{} 个错误，{} 个警告，{} 个提示{}",
                if !unreadable.is_empty() {
                    format!("（另有 {} 个文件无法读取）", unreadable.len())
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
                    "reports": reports_read,
                    "unreadable": unreadable.len(),
                    "unreadable_files": unreadable
                        .iter()
                        .map(|(source, message)| serde_json::json!({ "source": source, "message": message }))
                        .collect::<Vec<_>>(),
                    "errors": totals.0, "warnings": totals.1, "infos": totals.2
                })
            );
            let _ = writeln!(out);
        }
    }
    let _ = out.flush();
    if !unreadable.is_empty() {
        ExitCode::from(2)
    } else if totals.0 > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn parse(file: &std::path::Path) -> ExitCode {
    match load_all(file) {
        Ok((reports, _)) if reports.len() == 1 => {
            println!("{}", gongkai_write::json::to_string_pretty(&reports[0]));
            ExitCode::SUCCESS
        }
        // A collection sheet: an array, one report per row.
        Ok((reports, _)) => {
            let all: Vec<String> = reports
                .iter()
                .map(gongkai_write::json::to_string_pretty)
                .collect();
            println!("[{}]", all.join(",\n"));
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("错误：{msg}");
            ExitCode::from(2)
        }
    }
}

/// The output format named by `--to`, or a message and exit code 2: an unknown
/// name, or a binary format with no output file while stdout is a terminal
/// (it would only garble it).
pub(crate) fn output_format(
    to: &str,
    output: Option<&std::path::Path>,
) -> Result<gongkai_write::FileFormat, ExitCode> {
    let Some(format) = gongkai_write::FileFormat::parse(to) else {
        let names: Vec<&str> = gongkai_write::FileFormat::ALL
            .iter()
            .map(|f| f.extension())
            .collect();
        eprintln!("错误：不支持的格式“{to}”，可选：{}", names.join("、"));
        return Err(ExitCode::from(2));
    };
    if !format.is_text() && output.is_none() && io::stdout().is_terminal() {
        eprintln!(
            "错误：{} 文件不能输出到终端，请用 -o 指定输出文件，如 -o 报告.{}",
            format.name(),
            format.extension()
        );
        return Err(ExitCode::from(2));
    }
    Ok(format)
}

fn render(
    file: &std::path::Path,
    to: &str,
    output: Option<&std::path::Path>,
    force: bool,
    font_dir: Option<&std::path::Path>,
) -> ExitCode {
    let format = match output_format(to, output) {
        Ok(f) => f,
        Err(code) => return code,
    };
    if let Some(out) = output {
        if let Err(msg) = outfile::guard(out, &[file.to_path_buf()], force) {
            eprintln!("错误：{msg}");
            return ExitCode::from(2);
        }
    }
    let fonts = match output::pdf_fonts(font_dir) {
        Ok(f) => f,
        Err(msg) => {
            eprintln!("错误：{msg}");
            return ExitCode::from(2);
        }
    };
    let report = match load(file) {
        Ok((r, _)) => r,
        Err(msg) => {
            eprintln!("错误：{msg}");
            return ExitCode::from(2);
        }
    };
    let bytes = output::report_bytes(format, &report, &fonts);
    write_output(output, &bytes)
}

pub(crate) fn write_output(output: Option<&std::path::Path>, bytes: &[u8]) -> ExitCode {
    match output {
        Some(path) => match outfile::write_file(path, bytes) {
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

fn export(paths: &[PathBuf], to: &str, output: Option<&std::path::Path>, force: bool) -> ExitCode {
    let to = to.trim().trim_start_matches('.').to_ascii_lowercase();
    if matches!(to.as_str(), "xlsx" | "excel") {
        return export_xlsx(paths, output, force);
    }
    if to != "csv" {
        eprintln!("错误：export 支持 --to csv 或 --to xlsx");
        return ExitCode::from(2);
    }
    let (files, missing) = files::collect(paths);
    for (_, m) in &missing {
        eprintln!("错误：{m}");
    }
    let sink = match output {
        Some(p) => {
            if let Err(msg) = outfile::guard(p, &files, force) {
                eprintln!("错误：{msg}");
                return ExitCode::from(2);
            }
            match outfile::Pending::create(p) {
                Ok(f) => outfile::Sink::File(io::BufWriter::new(f)),
                Err(e) => {
                    eprintln!("错误：无法写入 {}（{}）", p.display(), io_error(&e));
                    return ExitCode::from(2);
                }
            }
        }
        None => outfile::Sink::Stdout(io::BufWriter::new(io::stdout())),
    };
    // A byte-order mark, so that Excel opens the file as UTF-8.
    let mut sink = sink;
    if sink.write_all("\u{FEFF}".as_bytes()).is_err() {
        return ExitCode::from(2);
    }
    let mut w = csv::Writer::from_writer(sink);
    let addresses = files::all_addresses();
    // Two header rows: the template's words, then the keys and addresses.
    let mut words: Vec<String> = ["来源文件", "机关名称", "年度", "模板版本", "错误", "警告"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    words.extend(addresses.iter().map(|a| files::cell_words(a)));
    let mut header: Vec<String> = ["source", "agency", "year", "template", "errors", "warnings"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(addresses.iter().cloned());
    let mut failed = missing.len();
    if w.write_record(&words).is_err() || w.write_record(&header).is_err() {
        return ExitCode::from(2);
    }
    for chunk in files.chunks(CHUNK) {
        let results: Vec<_> = chunk.par_iter().map(|p| load_all(p)).collect();
        for r in results {
            match r {
                Ok((reports, _)) => {
                    for report in reports {
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
                }
                Err(msg) => {
                    failed += 1;
                    eprintln!("错误：{msg}");
                }
            }
        }
    }
    let finished = w
        .into_inner()
        .map_err(|e| e.into_error())
        .and_then(|sink| sink.finish());
    if let Err(e) = finished {
        eprintln!("错误：无法写出汇总表（{}）", io_error(&e));
        return ExitCode::from(2);
    }
    if failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// `export --to xlsx`: the collection sheet of every report read (one row
/// each), which `check` and `parse` read back row by row.
fn export_xlsx(paths: &[PathBuf], output: Option<&std::path::Path>, force: bool) -> ExitCode {
    if output.is_none() && io::stdout().is_terminal() {
        eprintln!("错误：xlsx 文件不能输出到终端，请用 -o 指定输出文件，如 -o 汇总.xlsx");
        return ExitCode::from(2);
    }
    let (files, missing) = files::collect(paths);
    for (_, m) in &missing {
        eprintln!("错误：{m}");
    }
    if let Some(p) = output {
        if let Err(msg) = outfile::guard(p, &files, force) {
            eprintln!("错误：{msg}");
            return ExitCode::from(2);
        }
    }
    let mut failed = missing.len();
    let mut reports = Vec::new();
    for chunk in files.chunks(CHUNK) {
        let results: Vec<_> = chunk.par_iter().map(|p| load_all(p)).collect();
        for r in results {
            match r {
                Ok((mut rs, _)) => {
                    // Only what the sheet shows is kept.
                    for report in &mut rs {
                        report.sections = Default::default();
                        report.title = None;
                    }
                    reports.append(&mut rs);
                }
                Err(msg) => {
                    failed += 1;
                    eprintln!("错误：{msg}");
                }
            }
        }
    }
    let bytes = match gongkai_write::xlsx::write_collection(&reports) {
        Ok(b) => b,
        Err(msg) => {
            eprintln!("错误：{msg}");
            return ExitCode::from(2);
        }
    };
    let code = write_output(output, &bytes);
    if code != ExitCode::SUCCESS || failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

fn explain(id: &str) -> ExitCode {
    match gongkai_review::any_rule(id) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command's help, as `--help` shows it.
    fn all_help(cmd: &mut clap::Command, out: &mut Vec<(String, String)>) {
        out.push((
            cmd.get_name().to_string(),
            cmd.render_long_help().to_string(),
        ));
        for sub in cmd.get_subcommands_mut() {
            all_help(sub, out);
        }
    }

    #[test]
    fn every_word_of_the_help_is_chinese() {
        let mut cmd = zh::localize(Cli::command());
        let mut pages = Vec::new();
        all_help(&mut cmd, &mut pages);
        assert!(pages.len() > 25);
        for (name, page) in &pages {
            let text = page.replace("--help", "").replace("help_", "");
            for word in [
                "Usage",
                "Options",
                "Arguments",
                "Commands",
                "Print",
                "help",
                "default",
                "possible",
                "env:",
                "[OPTIONS]",
                "<COMMAND>",
            ] {
                assert!(!text.contains(word), "{name}: “{word}” in\n{page}");
            }
            // No value named by its field in capitals (<AGENCY>).
            assert!(
                !page.contains(|c: char| c.is_ascii_uppercase())
                    || !page
                        .split('<')
                        .skip(1)
                        .any(|v| v.starts_with(|c: char| c.is_ascii_uppercase())),
                "{name}:\n{page}"
            );
        }
    }

    #[test]
    fn every_argument_is_described() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for a in cmd.get_arguments() {
                let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
                if help.trim().is_empty() {
                    missing.push(format!("{path} {}", a.get_id()));
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut cmd = zh::localize(Cli::command());
        cmd.build();
        let mut missing = Vec::new();
        walk(&cmd, "gongkai", &mut missing);
        assert!(missing.is_empty(), "no description: {missing:#?}");
    }
}
