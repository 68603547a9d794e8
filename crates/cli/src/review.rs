//! `gongkai review`: a supervising office's review of its agencies' annual
//! reports from a folder of files — matched to the roster, checked, compared
//! with the year before, scored — printed as a table (or CSV, JSON), with the
//! 整改通知 and the 通报 as Word files and the region's figures summed.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use gongkai_report::{year_in_file_name, Report};
use gongkai_review::letters::{bulletin, rectification_notice, Sender};
use gongkai_review::similar::{find_copies, Passage, Settings as SimilarSettings};
use gongkai_review::{
    aggregate, review, roster_from_table_under, summarize, ChangeSettings, Copied, Entry, Match,
    Roster, Row, Settings,
};
use gongkai_template::Edition;
use rayon::prelude::*;
use serde_json::json;
use unicode_width::UnicodeWidthStr;

#[derive(Args)]
pub struct ReviewArgs {
    /// 报告文件或目录（目录递归读取；每行一个机关的 Excel 汇总表也可）；使用 --db 时收集到数据库中
    #[arg(required_unless_present = "db")]
    paths: Vec<PathBuf>,
    /// 机关名单（CSV 或 Excel）：表头含“机关名称”，可选“编号”“曾用名”“地区”“层级”“类别”“上级机关”；使用 --db 时导入数据库（全部成功才导入）
    #[arg(long, value_name = "文件", required_unless_present = "db")]
    roster: Option<PathBuf>,
    /// 网站的数据库（SQLite 文件或 postgres://…）：与网站“年报审查”相同——导入名单、收集报告，并审查数据库中的全部报告（含在本平台公开的报告）
    #[arg(long, value_name = "数据库")]
    db: Option<String>,
    /// 使用 --db 时的上级机关（审查者），如“示例县人民政府办公室”
    #[arg(long = "as", value_name = "机关", requires = "db")]
    supervisor: Option<String>,
    /// 使用 --db 时记入审计日志的操作人
    #[arg(long, default_value = "命令行", requires = "db")]
    actor: String,
    /// 审查的年度（默认：收到的报告中最多的年度；使用 --db 时为上一年度）
    #[arg(long)]
    year: Option<i32>,
    /// 审查日期，用于判断逾期和未公开（YYYY-MM-DD，默认今天）
    #[arg(long, value_name = "日期")]
    today: Option<String>,
    /// 只审查此机关及其下级机关
    #[arg(long, value_name = "机关")]
    under: Option<String>,
    /// 公开日期表（CSV）：每行“机关名称,年度,公开日期”；网页文件中的“发布时间”等字段也会读取
    #[arg(long, value_name = "文件")]
    dates: Option<PathBuf>,
    /// 机关名称对照表：每行“报告中的名称,名单中的名称”
    #[arg(long, value_name = "文件")]
    agency_map: Option<PathBuf>,
    /// 输出格式
    #[arg(long, value_enum, default_value_t = ReviewFormat::Table)]
    to: ReviewFormat,
    /// 输出文件（默认输出到标准输出）
    #[arg(short = 'o', long)]
    output: Option<PathBuf>,
    /// 把每个有问题的机关的整改通知和全地区的通报（Word）写入此目录
    #[arg(long, value_name = "目录")]
    letters: Option<PathBuf>,
    /// 发文机关：整改通知和通报的落款
    #[arg(long, default_value = "政府信息公开工作主管部门")]
    sender: String,
    /// 整改期限（YYYY-MM-DD，默认审查日期后 30 天）
    #[arg(long, value_name = "日期")]
    reply_by: Option<String>,
    /// 把审查年度的数据相加，写出汇总表（按扩展名：.md .html .docx .pdf .xlsx .json）
    #[arg(long, value_name = "文件")]
    aggregate: Option<PathBuf>,
    /// 汇总表和通报中的地区名称（默认取名单的地区或“本地区”）
    #[arg(long)]
    region: Option<String>,
    /// 变化较大（GK043）的门槛：增减比例（0.5 即一半；默认 0.5，使用 --db 时默认取网站上设置的审查标准）
    #[arg(long, value_parser = ratio_arg)]
    change_ratio: Option<f64>,
    /// 变化较大（GK043）的门槛：至少相差的件数（默认 20）
    #[arg(long, value_parser = clap::value_parser!(i64).range(1..))]
    change_items: Option<i64>,
    /// 内容雷同（GK042）的门槛：某部分自身文字在其他报告中出现的比例（0.6 即六成；默认 0.6）
    #[arg(long, value_parser = ratio_arg)]
    copy_threshold: Option<f64>,
    /// 内容雷同（GK042）：自身文字少于此字数的部分不比较（默认 80）
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    copy_min_chars: Option<u32>,
}

/// A share given on the command line: a number above 0 (1 is the whole).
fn ratio_arg(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= 10.0 => Ok(v),
        _ => Err(format!("“{s}”应为大于 0 的小数，如 0.5")),
    }
}

impl ReviewArgs {
    /// The thresholds: `base`, with those given on the command line instead.
    fn thresholds(
        &self,
        (mut changes, mut similar): (ChangeSettings, SimilarSettings),
    ) -> (ChangeSettings, SimilarSettings) {
        if let Some(r) = self.change_ratio {
            changes.ratio = r;
        }
        if let Some(n) = self.change_items {
            changes.min_items = n;
        }
        if let Some(t) = self.copy_threshold {
            similar.threshold = t.min(1.0);
        }
        if let Some(n) = self.copy_min_chars {
            similar.min_chars = n as usize;
        }
        (changes, similar)
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ReviewFormat {
    Table,
    Csv,
    Json,
}

/// A file that could not go into the review, and why.
struct Problem {
    file: String,
    kind: &'static str,
    message: String,
}

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("错误：{msg}");
    ExitCode::from(2)
}

fn parse_date(s: &str, what: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{what}“{s}”应为 YYYY-MM-DD 格式的日期"))
}

/// Rows of a CSV or Excel table, numbered as a reader counts them.
fn table_rows(path: &Path) -> Result<Vec<(u32, Vec<String>)>, String> {
    let bytes = crate::input::read(path, crate::input::REPORT_LIMIT)?;
    gongkai_read::table::rows(&path.display().to_string(), &bytes)
}

fn load_roster(path: &Path) -> Result<Roster, String> {
    load_roster_under(path, &[]).map(|(r, _)| r)
}

/// A roster file whose parents may also be the agencies `outside` (see
/// [`roster_from_table_under`]).
#[allow(clippy::type_complexity)]
fn load_roster_under(
    path: &Path,
    outside: &[String],
) -> Result<(Roster, HashMap<u64, String>), String> {
    let rows = table_rows(path)?;
    roster_from_table_under(&rows, outside).map_err(|errors| {
        let mut m = format!("机关名单 {} 有 {} 处问题：", path.display(), errors.len());
        for e in errors {
            m.push_str("\n  ");
            m.push_str(&e);
        }
        m
    })
}

/// The publication dates a supervisor recorded: (agency id, year) → date.
fn load_dates(path: &Path, roster: &Roster) -> Result<HashMap<(u64, i32), NaiveDate>, String> {
    let mut out = HashMap::new();
    let mut errors = Vec::new();
    for (line, cells) in table_rows(path)? {
        let cells: Vec<&str> = cells.iter().map(|s| s.trim()).collect();
        if cells.iter().all(|c| c.is_empty()) || cells[0] == "机关名称" {
            continue;
        }
        let [name, year, date, ..] = cells.as_slice() else {
            errors.push(format!("第 {line} 行：应为“机关名称,年度,公开日期”"));
            continue;
        };
        let id = match roster.match_name(name) {
            Match::Agency { id, .. } => id,
            _ => {
                errors.push(format!("第 {line} 行：机关“{name}”不在名单中"));
                continue;
            }
        };
        let Ok(year) = year.trim_end_matches(['年', '度']).parse::<i32>() else {
            errors.push(format!("第 {line} 行：年度“{year}”应为四位数字"));
            continue;
        };
        let date = date.replace(['/', '.'], "-");
        match NaiveDate::parse_from_str(&date, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(&date, "%Y年%m月%d日"))
        {
            Ok(d) => {
                out.insert((id, year), d);
            }
            Err(_) => errors.push(format!("第 {line} 行：公开日期“{date}”应为 YYYY-MM-DD")),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(format!(
            "公开日期表 {}：\n  {}",
            path.display(),
            errors.join("\n  ")
        ))
    }
}

/// What reading one file gave.
struct Read {
    file: String,
    reports: Result<Vec<Report>, String>,
    page_date: Option<NaiveDate>,
}

pub fn run(args: ReviewArgs) -> ExitCode {
    let today = match args.today.as_deref().map(|s| parse_date(s, "审查日期")) {
        Some(Ok(d)) => d,
        Some(Err(m)) => return fail(m),
        None => chrono::Local::now().date_naive(),
    };
    let reply_by = match args.reply_by.as_deref().map(|s| parse_date(s, "整改期限")) {
        Some(Ok(d)) => d,
        Some(Err(m)) => return fail(m),
        None => today + chrono::Days::new(30),
    };
    let gathered = match &args.db {
        Some(db) => from_db(&args, db, today),
        None => from_files(&args, today),
    };
    let Gathered {
        roster: scoped,
        mut rows,
        problems,
        year,
        chosen,
    } = match gathered {
        Ok(g) => g,
        Err(code) => return code,
    };
    rows.sort_by(|a, b| {
        let s = |r: &Row| r.score.as_ref().map_or(101, |s| s.total);
        s(a).cmp(&s(b)).then(a.agency.cmp(&b.agency))
    });
    let region = args.region.clone().unwrap_or_else(|| region_name(&scoped));
    report_problems(&problems);

    let text = match args.to {
        ReviewFormat::Table => table(&scoped, &rows, year),
        ReviewFormat::Csv => csv_text(&scoped, &rows),
        ReviewFormat::Json => json_text(&scoped, &rows, &problems, year),
    };
    if let Some(out) = &args.output {
        let mut inputs = args.paths.clone();
        inputs.extend(args.db.as_deref().and_then(db_file));
        if let Err(m) = crate::outfile::guard(out, &inputs, true) {
            return fail(m);
        }
    }
    let code = crate::write_output(args.output.as_deref(), text.as_bytes());
    if code != ExitCode::SUCCESS {
        return code;
    }

    let sender = Sender {
        name: args.sender.clone(),
        date: today,
        reply_by,
    };
    if let Some(dir) = &args.letters {
        if let Err(m) = write_letters(dir, &sender, &region, &scoped, &rows, year) {
            return fail(m);
        }
    }
    if let Some(path) = &args.aggregate {
        let chosen: Vec<&Report> = chosen.iter().collect();
        let agg = aggregate(&region, year, Edition::V2021, &chosen);
        for n in agg.left_out.iter().chain(&agg.incomplete) {
            eprintln!("提示：汇总表：{}：{}", n.source, n.message);
        }
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let Some(format) = gongkai_write::FileFormat::parse(&ext) else {
            return fail(format!(
                "汇总表文件 {} 的扩展名应为 .md、.html、.txt、.json、.docx、.pdf 或 .xlsx",
                path.display()
            ));
        };
        let bytes = crate::output::report_bytes(
            format,
            &agg.report,
            &gongkai_write::pdf::PdfFonts::embedded(),
        );
        if let Err(e) = crate::outfile::write_file(path, &bytes) {
            return fail(format!(
                "无法写入 {}（{}）",
                path.display(),
                crate::io_error(&e)
            ));
        }
        let errors = agg
            .findings
            .iter()
            .filter(|d| d.level == gongkai_report::Level::Error)
            .count();
        eprintln!(
            "汇总表：{} 份报告相加，写入 {}{}",
            agg.included,
            path.display(),
            if errors > 0 {
                format!("；汇总后的数据有 {errors} 处错误（各机关的错误相加所致）")
            } else {
                String::new()
            }
        );
    }
    ExitCode::SUCCESS
}

/// What a review read: the roster in scope, a row per agency, the files
/// that could not go in, the year, and the reports to sum (when asked for).
struct Gathered {
    roster: Roster,
    rows: Vec<Row>,
    problems: Vec<Problem>,
    year: i32,
    chosen: Vec<Report>,
}

/// The review of a folder of files against a roster file.
fn from_files(args: &ReviewArgs, today: NaiveDate) -> Result<Gathered, ExitCode> {
    let roster_path = args.roster.as_deref().expect("required without --db");
    let roster = load_roster(roster_path).map_err(fail)?;
    let (roster, dates) = names_and_dates(args, roster, "机关名单中").map_err(fail)?;
    let scope: Option<Vec<u64>> = match &args.under {
        Some(name) => match roster.by_name(name) {
            Some(a) => Some(roster.subtree(a.id)),
            None => return Err(fail(format!("机关“{name}”不在名单中"))),
        },
        None => None,
    };

    // Read every file (in parallel), then match each report in file order.
    let (files, mut problems) = files_of(&args.paths);
    let read: Vec<Read> = files
        .par_iter()
        .map(|path| {
            let file = path.display().to_string();
            match crate::load_all(path) {
                Ok((reports, shown)) => {
                    let page_date = if shown.is_empty() {
                        None
                    } else {
                        let (text, _, _) = gongkai_read::decode::decode(&shown);
                        gongkai_review::dates::published_date(&text)
                    };
                    Read {
                        file,
                        reports: Ok(reports),
                        page_date,
                    }
                }
                Err(m) => Read {
                    reports: Err(m
                        .strip_prefix(&format!("{file}："))
                        .map_or(m.clone(), String::from)),
                    file,
                    page_date: None,
                },
            }
        })
        .collect();
    let mut entries: Vec<Entry> = Vec::new();
    let mut reports: Vec<Report> = Vec::new();
    for r in read {
        let list = match r.reports {
            Ok(list) => list,
            Err(m) => {
                problems.push(Problem {
                    file: r.file,
                    kind: "无法读取",
                    message: m,
                });
                continue;
            }
        };
        for report in list {
            let id = match roster.match_report(report.agency.as_deref(), &report.source) {
                Match::Agency { id, .. } => id,
                Match::Ambiguous { ids } => {
                    let names: Vec<String> = ids
                        .iter()
                        .filter_map(|i| roster.get(*i).map(|a| a.name.clone()))
                        .collect();
                    problems.push(Problem {
                        file: report.source.clone(),
                        kind: "无法确定机关",
                        message: format!(
                            "报告可能属于{}，请在机关名称对照表中指定",
                            names.join("、")
                        ),
                    });
                    continue;
                }
                Match::None => {
                    problems.push(Problem {
                        file: report.source.clone(),
                        kind: "未匹配",
                        message: format!(
                            "报告中的机关“{}”不在名单中；请在机关名称对照表中指定，或把机关加入名单",
                            report.agency.as_deref().unwrap_or("（未写明）")
                        ),
                    });
                    continue;
                }
            };
            if scope.as_ref().is_some_and(|s| !s.contains(&id)) {
                continue;
            }
            let Some(year) = report.year.or_else(|| year_in_file_name(&report.source)) else {
                problems.push(Problem {
                    file: report.source.clone(),
                    kind: "年度不明",
                    message: "标题和文件名中都没有年度".into(),
                });
                continue;
            };
            let agency = roster.get(id).expect("matched");
            let published = dates.get(&(id, year)).copied().or(r.page_date);
            entries.push(Entry::of(
                entries.len() as u64,
                agency,
                year,
                published,
                &report,
            ));
            reports.push(report);
        }
    }
    let year = match args.year {
        Some(y) => y,
        None => {
            let mut counts: BTreeMap<i32, usize> = BTreeMap::new();
            for e in &entries {
                *counts.entry(e.year).or_default() += 1;
            }
            match counts.iter().max_by_key(|(y, n)| (**n, **y)) {
                Some((y, _)) => *y,
                None => {
                    report_problems(&problems);
                    return Err(fail("没有读到可以匹配到名单中机关的报告"));
                }
            }
        }
    };
    for e in &entries {
        if e.year != year && e.year != year - 1 {
            problems.push(Problem {
                file: e.source.clone(),
                kind: "年度不符",
                message: format!("这是 {} 年度的报告，本次审查 {year} 年度", e.year),
            });
        }
    }
    let scoped = match &scope {
        Some(ids) => sub_roster(&roster, ids).map_err(fail)?,
        None => roster.clone(),
    };
    // Copied narrative, across the agencies and against the year before.
    // The narrative sections, without the template's own wording.
    let texts: Vec<(&Entry, &str, Vec<(u8, String)>)> = entries
        .iter()
        .zip(&reports)
        .map(|(e, r)| {
            (
                e,
                r.agency.as_deref().unwrap_or(""),
                gongkai_web::own_narrative(r),
            )
        })
        .collect();
    let passages: Vec<Passage> = texts
        .iter()
        .flat_map(|(e, name, sections)| {
            sections.iter().map(move |(section, text)| Passage {
                id: e.id,
                agency: e.agency,
                year: e.year,
                section: *section,
                name,
                text,
            })
        })
        .collect();
    let (changes, similar) = args.thresholds(Default::default());
    let copied: Vec<Copied> = find_copies(&passages, &similar)
        .into_iter()
        .map(Copied::from)
        .collect();
    let settings = Settings { today, changes };
    let rows = review(&scoped, &entries, &copied, &[year], &settings);
    // What the region's sum adds up: the report reviewed for each agency.
    let chosen = if args.aggregate.is_some() {
        let ids: Vec<u64> = scoped.agencies().iter().map(|a| a.id).collect();
        rows.iter()
            .filter(|r| ids.contains(&r.agency))
            .filter_map(|r| r.entry)
            .map(|i| reports[i as usize].clone())
            .collect()
    } else {
        Vec::new()
    };
    Ok(Gathered {
        roster: scoped,
        rows,
        problems,
        year,
        chosen,
    })
}

fn report_problems(problems: &[Problem]) {
    if problems.is_empty() {
        return;
    }
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "以下 {} 个文件未计入审查：", problems.len());
    for p in problems {
        let _ = writeln!(err, "  [{}] {}：{}", p.kind, p.file, p.message);
    }
}

/// The region the roster covers: the one region all agencies share, else "本地区".
fn region_name(roster: &Roster) -> String {
    let mut regions: Vec<&str> = roster
        .agencies()
        .iter()
        .map(|a| a.region.as_str())
        .filter(|r| !r.is_empty())
        .collect();
    regions.sort_unstable();
    regions.dedup();
    match regions.as_slice() {
        [one] => one.to_string(),
        _ => "本地区".into(),
    }
}

fn name_of(roster: &Roster, id: u64) -> String {
    roster
        .get(id)
        .map_or_else(|| id.to_string(), |a| a.name.clone())
}

fn pad(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// The dashboard as a table for a terminal: the worst first.
fn table(roster: &Roster, rows: &[Row], year: i32) -> String {
    let head = [
        "机关",
        "类别",
        "公开情况",
        "模板",
        "错误",
        "警告",
        "问题（规则×处数）",
        "得分",
    ];
    let mut lines: Vec<[String; 8]> = Vec::new();
    for r in rows {
        let a = roster.get(r.agency);
        lines.push([
            name_of(roster, r.agency),
            a.map_or("", |a| a.kind.label()).to_string(),
            r.status.label(),
            r.edition_label().to_string(),
            r.errors.to_string(),
            r.warnings.to_string(),
            gongkai_review::export::problems(r),
            r.score
                .as_ref()
                .map_or("—".to_string(), |s| s.total.to_string()),
        ]);
    }
    let mut widths = head.map(UnicodeWidthStr::width);
    for l in &lines {
        for (i, c) in l.iter().enumerate() {
            widths[i] = widths[i].max(UnicodeWidthStr::width(c.as_str()));
        }
    }
    let mut out = String::new();
    let s = summarize(rows);
    out.push_str(&format!(
        "{year} 年度报告审查：{} 个机关，按时公开 {}，逾期 {}，未公开 {}，公开日期不详 {}，未到期限 {}；有错误的报告 {} 份{}\n\n",
        s.agencies,
        s.on_time,
        s.late,
        s.missing,
        s.undated,
        s.not_due,
        s.with_errors,
        s.mean_score
            .map_or(String::new(), |m| format!("；平均得分 {m:.1}"))
    ));
    let row_text = |cells: &[String]| -> String {
        let mut l = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                l.push_str(c);
            } else {
                l.push_str(&pad(c, widths[i]));
                l.push_str("  ");
            }
        }
        l.trim_end().to_string() + "\n"
    };
    out.push_str(&row_text(&head.map(String::from)));
    for l in &lines {
        out.push_str(&row_text(l));
    }
    if !s.by_rule.is_empty() {
        out.push_str("\n各规则问题数：");
        let parts: Vec<String> = s
            .by_rule
            .iter()
            .map(|(rule, n)| {
                let name = gongkai_review::any_rule(rule).map_or("", |r| r.name);
                format!("{rule} {name} {n} 处")
            })
            .collect();
        out.push_str(&parts.join("；"));
        out.push('\n');
    }
    out
}

fn csv_text(roster: &Roster, rows: &[Row]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(gongkai_review::export::HEADER);
    for r in rows {
        let _ = w.write_record(gongkai_review::export::record(roster, r));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn json_text(roster: &Roster, rows: &[Row], problems: &[Problem], year: i32) -> String {
    let rows: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            let mut v = serde_json::to_value(r).unwrap_or_default();
            v["agency_name"] = json!(name_of(roster, r.agency));
            v["status_label"] = json!(r.status.label());
            v
        })
        .collect();
    let problems: Vec<serde_json::Value> = problems
        .iter()
        .map(|p| json!({"file": p.file, "kind": p.kind, "message": p.message}))
        .collect();
    let v = json!({"year": year, "rows": rows, "problems": problems});
    format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
}

/// File names keep to characters every file system takes.
fn file_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if "/\\:*?\"<>|".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect()
}

fn write_letters(
    dir: &Path,
    sender: &Sender,
    region: &str,
    roster: &Roster,
    rows: &[Row],
    year: i32,
) -> Result<(), String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("无法创建目录 {}（{}）", dir.display(), crate::io_error(&e)))?;
    let mut written = 0;
    for r in rows {
        let Some(agency) = roster.get(r.agency) else {
            continue;
        };
        let Some(text) = rectification_notice(sender, agency, r) else {
            continue;
        };
        let path = dir.join(file_safe(&format!(
            "{}{}年年报整改通知.docx",
            agency.name, r.year
        )));
        crate::outfile::write_file(&path, &gongkai_write::letter::letter_docx(&text))
            .map_err(|e| format!("无法写入 {}（{}）", path.display(), crate::io_error(&e)))?;
        written += 1;
    }
    let text = bulletin(sender, region, roster, rows, year);
    let path = dir.join(file_safe(&format!("{region}{year}年年报审查情况通报.docx")));
    crate::outfile::write_file(&path, &gongkai_write::letter::letter_docx(&text))
        .map_err(|e| format!("无法写入 {}（{}）", path.display(), crate::io_error(&e)))?;
    eprintln!(
        "已写出整改通知 {written} 份和通报 1 份，在 {}",
        dir.display()
    );
    Ok(())
}

/// The SQLite file of a database given as `--db`, which no output may
/// overwrite (none for PostgreSQL).
fn db_file(spec: &str) -> Option<PathBuf> {
    if spec.starts_with("postgres://") || spec.starts_with("postgresql://") {
        return None;
    }
    let path = spec
        .strip_prefix("sqlite://")
        .or_else(|| spec.strip_prefix("sqlite:"))
        .unwrap_or(spec);
    Some(PathBuf::from(path.split('?').next().unwrap_or(path)))
}

/// The review kept in the web system's database, as the web does it: the
/// roster imported (if given), the files collected into the database (if
/// any), then the season of every report the supervisor has — collected
/// before, now, or published on the platform by its agencies.
fn from_db(args: &ReviewArgs, db: &str, today: NaiveDate) -> Result<Gathered, ExitCode> {
    let Some(sup) = args.supervisor.clone() else {
        return Err(fail(
            "使用 --db 时请用 --as 指定审查的上级机关，如 --as 示例县人民政府办公室",
        ));
    };
    if let Some(file) = db_file(db) {
        if !file.exists() {
            return Err(fail(format!(
                "数据库 {} 不存在；请指定网站使用的数据库（gongkai serve --db 的值）",
                file.display()
            )));
        }
    }
    crate::ledger::runtime().block_on(async {
        let store = gongkai_store::Store::open(db)
            .await
            .map_err(|e| fail(format!("无法打开数据库 {db}（{e}）")))?;
        if store.agency_by_name(&sup).await.is_err() {
            return Err(fail(format!("机关“{sup}”不在数据库 {db} 中")));
        }
        let actor = format!("{}（命令行）", args.actor);
        if let Some(path) = &args.roster {
            // Parents may be agencies already under the supervisor.
            let here = store.scope_under(&sup).await.map_err(fail)?;
            let outside = here.agencies().map(<[String]>::to_vec).unwrap_or_default();
            let (roster, outside_parents) = load_roster_under(path, &outside).map_err(fail)?;
            let rows = gongkai_web::store_rows(&roster, &sup, &outside_parents);
            let done = store
                .import_roster(&actor, &sup, &rows)
                .await
                .map_err(|e| fail(format!("名单 {} 未导入：{e}", path.display())))?;
            eprintln!(
                "名单：新增 {} 个单位，更新 {} 个单位{}",
                done.created,
                done.updated,
                if done.renamed > 0 {
                    format!("（其中 {} 个按曾用名更名）", done.renamed)
                } else {
                    String::new()
                }
            );
        }
        let scope = store.scope_under(&sup).await.map_err(fail)?;
        let mut problems = Vec::new();
        if !args.paths.is_empty() {
            problems = collect_into(args, &store, &sup, &scope, &actor).await?;
        }
        let year = args
            .year
            .unwrap_or_else(|| chrono::Datelike::year(&today) - 1);
        let (changes, similar) =
            args.thresholds(gongkai_web::thresholds(&store, &sup).await.map_err(fail)?);
        let season =
            gongkai_web::compute_season(&store, &sup, &scope, year, today, changes, similar)
                .await
                .map_err(fail)?;
        let chosen = if args.aggregate.is_some() {
            gongkai_web::season_reports(&store, &sup, &season)
                .await
                .map_err(fail)?
        } else {
            Vec::new()
        };
        let (roster, rows, chosen) = match &args.under {
            Some(name) => {
                let Some(top) = season.roster.by_name(name) else {
                    return Err(fail(format!("机关“{name}”不在{sup}的所属单位中")));
                };
                let ids = season.roster.subtree(top.id);
                let roster = sub_roster(&season.roster, &ids).map_err(fail)?;
                let rows = season
                    .rows
                    .into_iter()
                    .filter(|r| ids.contains(&r.agency))
                    .collect();
                let chosen = chosen
                    .into_iter()
                    .filter(|(id, _)| ids.contains(id))
                    .map(|(_, r)| r)
                    .collect();
                (roster, rows, chosen)
            }
            None => (
                season.roster,
                season.rows,
                chosen.into_iter().map(|(_, r)| r).collect(),
            ),
        };
        Ok(Gathered {
            roster,
            rows,
            problems,
            year,
            chosen,
        })
    })
}

/// The files under `paths`, and those that could not be read as problems.
fn files_of(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Problem>) {
    let (files, missing) = crate::files::collect(paths);
    let problems = missing
        .iter()
        .map(|(p, m)| Problem {
            file: p.display().to_string(),
            kind: "无法读取",
            message: m.clone(),
        })
        .collect();
    (files, problems)
}

/// The roster with the names map of `--agency-map` applied (each name it
/// maps to must be `where` — in the roster), and the dates of `--dates`.
#[allow(clippy::type_complexity)]
fn names_and_dates(
    args: &ReviewArgs,
    mut roster: Roster,
    where_: &str,
) -> Result<(Roster, HashMap<(u64, i32), NaiveDate>), String> {
    if let Some(map) = &args.agency_map {
        for (line, written, name) in crate::read_agency_pairs(map)? {
            let Some(id) = roster.by_name(&name).map(|a| a.id) else {
                return Err(format!(
                    "{}：第 {line} 行的“{name}”不在{where_}",
                    map.display()
                ));
            };
            roster.map_name(&written, id)?;
        }
    }
    let dates = match &args.dates {
        Some(p) => load_dates(p, &roster)?,
        None => HashMap::new(),
    };
    Ok((roster, dates))
}

/// The roster of the agencies `ids`, the top of them reporting to no one
/// inside.
fn sub_roster(roster: &Roster, ids: &[u64]) -> Result<Roster, String> {
    let agencies = roster
        .agencies()
        .iter()
        .filter(|a| ids.contains(&a.id))
        .map(|a| {
            let mut a = a.clone();
            a.parent = a.parent.filter(|p| ids.contains(p));
            a
        })
        .collect();
    Roster::new(agencies)
}

/// Collects the files of `args.paths` into the database as the web's upload
/// does: each report read, matched to an agency of the scope and a year (the
/// name map and the dates table applied), kept with its bytes; what could
/// not be matched is listed for the supervisor to assign on the web.
async fn collect_into(
    args: &ReviewArgs,
    store: &gongkai_store::Store,
    sup: &str,
    scope: &gongkai_store::Scope,
    actor: &str,
) -> Result<Vec<Problem>, ExitCode> {
    let list = store.review_roster(scope).await.map_err(fail)?;
    let roster = gongkai_web::roster_of(&list).map_err(fail)?;
    let (roster, dates) =
        names_and_dates(args, roster, &format!("{sup}的所属单位中")).map_err(fail)?;
    let (files, mut problems) = files_of(&args.paths);
    let collected: Vec<Result<Vec<gongkai_store::NewReviewFile>, Problem>> = files
        .par_iter()
        .map(|path| {
            let name = path.display().to_string();
            match crate::input::read(path, crate::input::REPORT_LIMIT) {
                Ok(bytes) => Ok(gongkai_web::collect_file(&roster, &name, bytes)),
                Err(m) => Err(Problem {
                    file: name,
                    kind: "无法读取",
                    message: m,
                }),
            }
        })
        .collect();
    let mut new = Vec::new();
    for c in collected {
        match c {
            Ok(list) => new.extend(list),
            Err(p) => problems.push(p),
        }
    }
    for f in &mut new {
        let id = f
            .agency
            .as_deref()
            .and_then(|n| roster.by_name(n))
            .map(|a| a.id);
        if let (Some(id), Some(year)) = (id, f.year) {
            if let Some(d) = dates.get(&(id, year)) {
                f.published_on = Some(*d);
            }
        }
    }
    let n = new.len();
    let ids = store
        .add_review_files(actor, sup, new)
        .await
        .map_err(fail)?;
    let kept = store.review_files(sup).await.map_err(fail)?;
    let mut open = 0;
    for f in kept.iter().filter(|f| ids.contains(&f.id)) {
        if f.status != "matched" {
            open += 1;
            problems.push(Problem {
                file: if f.part > 0 {
                    format!("{}（第 {} 行）", f.file_name, f.part)
                } else {
                    f.file_name.clone()
                },
                kind: f.status_label(),
                message: f.problem.clone(),
            });
        }
    }
    eprintln!(
        "已收集 {n} 份报告到数据库{}",
        if open > 0 {
            format!("，其中 {open} 份需要处理（可在网站“年报审查 › 收集报告”中指定单位和年度）")
        } else {
            String::new()
        }
    );
    Ok(problems)
}
