//! `gongkai ledger …` and `gongkai report generate`: the office ledger.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use gongkai_casework::clock::{CaseState, Stage};
use gongkai_casework::fees;
use gongkai_casework::letter::Letters;
use gongkai_casework::model::{
    Applicant, ApplicantKind, CaseKind, CaseResult, Channel, DocumentKind, Enforcement, Event,
    EventKind, FeeBasis, LegalCase, NewApplication, NormativeDocument, Outcome, Responsible,
};
use gongkai_store::{CaseRow, ListFilter, Store, StoreError};
use gongkai_write::pdf::PdfFonts;
use gongkai_write::FileFormat;
use unicode_width::UnicodeWidthStr;

use crate::{io_error, write_output};

/// Where the ledger is and who is working on it.
#[derive(Args)]
pub struct Db {
    /// 台账数据库：SQLite 文件路径，或 postgres://用户@主机/库名
    #[arg(long, env = "GONGKAI_DB", default_value = "gongkai.db", global = true)]
    pub(crate) db: String,
    /// 以此日期为“今天”计算期限（默认今天），如 2025-10-09
    #[arg(long, value_parser = parse_date_arg, global = true)]
    pub(crate) as_of: Option<NaiveDate>,
    /// 操作人，记入审计日志
    #[arg(long, env = "GONGKAI_USER", default_value = "管理员", global = true)]
    pub(crate) actor: String,
}

#[derive(Args)]
pub struct LedgerArgs {
    #[command(flatten)]
    db: Db,
    #[command(subcommand)]
    command: LedgerCommand,
}

#[derive(Subcommand)]
enum LedgerCommand {
    /// 登记一件政府信息公开申请
    Add {
        /// 机关名称（全称，如 某某县住房和城乡建设局）
        #[arg(long)]
        agency: String,
        /// 申请人类型：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他
        #[arg(long)]
        kind: String,
        /// 申请人姓名或名称
        #[arg(long)]
        name: String,
        /// 证件号码
        #[arg(long, default_value = "")]
        id: String,
        /// 联系方式
        #[arg(long, default_value = "")]
        contact: String,
        /// 申请方式：当面、信函、传真、网络、电子邮件、其他
        #[arg(long)]
        channel: String,
        /// 收到申请之日（条例第三十一条：当面为提交之日，信函为签收之日，网络、传真为双方确认之日）
        #[arg(long, value_parser = parse_date_arg)]
        received: NaiveDate,
        /// 申请内容
        #[arg(long)]
        request: String,
        /// 获取信息的方式（纸质、电子数据等）
        #[arg(long, default_value = "")]
        form: String,
    },
    /// 导入已有的台账（.xlsx 或 .csv）：全部导入或全部不导入
    Import {
        /// 台账文件（.xlsx 或 .csv，CSV 可为 UTF-8 或 GBK）
        file: PathBuf,
        /// 机关名称（全称，如 某某县住房和城乡建设局）
        #[arg(long)]
        agency: String,
        /// 只检查，不写入
        #[arg(long)]
        dry_run: bool,
    },
    /// 列出申请
    List {
        /// 只看此机关（默认全部机关）
        #[arg(long)]
        agency: Option<String>,
        /// 收到申请的年份
        #[arg(long)]
        year: Option<i32>,
        /// 只列出尚未办结的
        #[arg(long)]
        open: bool,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 查看一件申请：办理过程与期限
    Show {
        /// 机关名称（全称，如 某某县住房和城乡建设局）
        #[arg(long)]
        agency: String,
        /// 申请编号，如 2025-0001
        number: String,
    },
    /// 记录办理环节：补正告知、收到补正、征求意见、征求意见结束、延期、收费通知、缴费、答复、撤回
    Event {
        /// 机关名称（全称，如 某某县住房和城乡建设局）
        #[arg(long)]
        agency: String,
        /// 申请编号，如 2025-0001
        number: String,
        /// 环节
        what: String,
        /// 发生日期
        #[arg(long, value_parser = parse_date_arg)]
        on: NaiveDate,
        /// 补正期限（补正告知）
        #[arg(long, value_parser = parse_date_arg)]
        until: Option<NaiveDate>,
        /// 被征求意见的第三方或机关（征求意见）
        #[arg(long)]
        party: Option<String>,
        /// 延长的工作日数（延期，至多20）
        #[arg(long)]
        days: Option<u32>,
        /// 批准延期的负责人（延期）
        #[arg(long)]
        approver: Option<String>,
        /// 告知申请人延期的日期（延期，默认同日）
        #[arg(long, value_parser = parse_date_arg)]
        notified: Option<NaiveDate>,
        /// 办理结果（答复）：年度报告表三的措辞，如 予以公开、部分公开、本机关不掌握相关政府信息，或其代码如 granted（写错时列出全部）
        #[arg(long)]
        outcome: Option<String>,
        /// 负责公开所申请信息的其他机关（答复：不属于本机关负责公开，条例第三十六条第（五）项）
        #[arg(long)]
        responsible: Option<String>,
        /// 该机关的联系方式（与 --responsible 同用）
        #[arg(long)]
        responsible_contact: Option<String>,
        /// 计费方式（收费通知）：按件 或 按量
        #[arg(long)]
        basis: Option<String>,
        /// 页数（按量计收）；按件计收时自动统计同一申请人当月申请件数
        #[arg(long)]
        pages: Option<u32>,
        /// 缴费金额（缴费，元）
        #[arg(long)]
        amount: Option<i64>,
        /// 备注，记入办理过程
        #[arg(long, default_value = "")]
        note: String,
    },
    /// 即将到期和已经逾期的申请
    Overdue {
        /// 只看此机关（默认全部机关）
        #[arg(long)]
        agency: Option<String>,
        /// 列出剩余工作日不超过此数的申请
        #[arg(long, default_value_t = 5)]
        within: i64,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 信息处理费计算器（国办函〔2020〕109号）
    Fee {
        /// 按件 或 按量
        #[arg(long)]
        basis: String,
        /// 按件：同一申请人当月第几件；按量：页数
        #[arg(long)]
        quantity: u32,
    },
    /// 生成政府信息公开申请答复告知书
    Letter {
        /// 机关名称（全称，如 某某县住房和城乡建设局）
        #[arg(long)]
        agency: String,
        /// 申请编号，如 2025-0001
        number: String,
        /// 办理人补充的理由
        #[arg(long, default_value = "")]
        reason: String,
        /// 输出格式：txt（纯文本）、docx（Word）或 pdf（按公文格式排版）；默认按输出文件的扩展名，否则为 txt
        #[arg(long)]
        to: Option<String>,
        /// 输出文件（默认输出到标准输出）
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
        /// 输出文件已存在时覆盖它
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        fonts: crate::output::FontArgs,
    },
    /// 修改本机关的答复告知书模板，或查看默认模板
    LetterTemplate {
        /// 机关名称（全称，如 某某县住房和城乡建设局）
        #[arg(long)]
        agency: String,
        /// 模板名（办理结果代码或分组，如 granted、withheld）
        key: String,
        /// 新模板文件；不给出时显示当前模板
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// 设置复议机关和管辖法院（写入答复告知书）
    Remedies {
        /// 机关名称（全称，如 某某县住房和城乡建设局）
        #[arg(long)]
        agency: String,
        /// 行政复议机关，如 某某县人民政府
        #[arg(long)]
        review_body: String,
        /// 管辖法院，如 某某县人民法院
        #[arg(long)]
        court: String,
    },
    /// 登记规章或行政规范性文件（印发、废止）
    Document {
        /// 机关名称（全称，如 某某县住房和城乡建设局）
        #[arg(long)]
        agency: String,
        /// 文号
        #[arg(long)]
        number: String,
        /// 规章 或 行政规范性文件
        #[arg(long)]
        kind: String,
        /// 文件标题
        #[arg(long)]
        title: String,
        /// 印发日期
        #[arg(long, value_parser = parse_date_arg)]
        issued: NaiveDate,
        /// 废止日期（已废止时）
        #[arg(long, value_parser = parse_date_arg)]
        repealed: Option<NaiveDate>,
    },
    /// 录入本年度行政许可、行政处罚、行政强制决定数和行政事业性收费金额
    Enforcement {
        /// 机关名称（全称，如 某某县住房和城乡建设局）
        #[arg(long)]
        agency: String,
        /// 年度
        #[arg(long)]
        year: i32,
        /// 行政许可决定数（件）
        #[arg(long)]
        license: i64,
        /// 行政处罚决定数（件）
        #[arg(long)]
        penalty: i64,
        /// 行政强制决定数（件）
        #[arg(long)]
        coercion: i64,
        /// 行政事业性收费金额（万元）
        #[arg(long)]
        fee_amount: f64,
    },
    /// 登记行政复议或行政诉讼案件
    Case {
        /// 机关名称（全称，如 某某县住房和城乡建设局）
        #[arg(long)]
        agency: String,
        /// 案号
        #[arg(long)]
        number: String,
        /// 行政复议、直接起诉、复议后起诉
        #[arg(long)]
        kind: String,
        /// 立案（收到）日期
        #[arg(long, value_parser = parse_date_arg)]
        filed: NaiveDate,
        /// 审结日期（已审结时，同时写 --result）
        #[arg(long, value_parser = parse_date_arg)]
        decided: Option<NaiveDate>,
        /// 维持、纠正、其他
        #[arg(long)]
        result: Option<String>,
    },
    /// 填写年度报告第一、五、六部分的文字
    Narrative {
        /// 机关名称（全称，如 某某县住房和城乡建设局）
        #[arg(long)]
        agency: String,
        /// 报告年度
        #[arg(long)]
        year: i32,
        /// general（总体情况）、problems（存在的主要问题及改进情况）、other（其他需要报告的事项）
        #[arg(long)]
        section: String,
        /// 文字所在的文件（UTF-8）
        #[arg(long)]
        file: PathBuf,
    },
    /// 工作日历：查看，或载入国务院办公厅公布的新一年节假日安排
    Calendar {
        /// 载入此文件（UTF-8 文本，每年一段：[[year]]、year = 2027、off = ["01-01..01-03"] 放假日、work = ["02-14"] 调休上班日；用 --year 2026 查看一年的写法）
        #[arg(long)]
        load: Option<PathBuf>,
        /// 显示某年的节假日与调休上班日
        #[arg(long)]
        year: Option<i32>,
        /// 文件中的年份已在日历中（随附的或以前载入的）时，替换它（先不加此项查看哪些申请的期限会变）
        #[arg(long)]
        replace: bool,
    },
    /// 审计日志
    Audit {
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
    /// 性能测试：在临时数据库中生成大规模台账，计时年度报告生成与持续写入（不触及 --db 所指的台账，结束或中断后删除临时数据库）
    Bench {
        /// 申请总件数
        #[arg(long, default_value_t = 1_000_000)]
        applications: usize,
        /// 机关个数
        #[arg(long, default_value_t = 1000)]
        agencies: usize,
        /// 持续写入测试的秒数
        #[arg(long, default_value_t = 10)]
        write_seconds: u64,
        /// 临时数据库所在的目录（默认为系统临时目录）
        #[arg(long)]
        temp_dir: Option<PathBuf>,
    },
    /// 生成一份示例台账（演示用）：若干机关、三年的申请
    Sample {
        /// 机关个数
        #[arg(long, default_value_t = 3)]
        agencies: usize,
        /// 每个机关每年的申请件数
        #[arg(long, default_value_t = 200)]
        per_year: usize,
        /// 最后一年（共三年）
        #[arg(long, default_value_t = 2025)]
        year: i32,
        /// 台账中已有数据时仍写入示例数据（示例申请会计入这些机关的年度报告）
        #[arg(long)]
        force: bool,
    },
}

#[derive(Args)]
pub struct ReportArgs {
    #[command(subcommand)]
    command: ReportCommand,
}

#[derive(Subcommand)]
enum ReportCommand {
    /// 由台账生成年度报告
    Generate {
        #[command(flatten)]
        db: Db,
        /// 机关名称；不给出时为台账中的每个机关各生成一份（需 --out-dir）
        /// 只看此机关（默认全部机关）
        #[arg(long)]
        agency: Option<String>,
        /// 报告年度
        #[arg(long)]
        year: i32,
        /// 输出格式：md、html、txt、json、docx、xlsx 或 pdf
        #[arg(long, default_value = "md")]
        to: String,
        /// 输出文件（默认输出到标准输出）
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
        /// 为每个机关各写一个文件到此目录
        #[arg(long)]
        out_dir: Option<PathBuf>,
        /// 输出文件已存在时覆盖它
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        fonts: crate::output::FontArgs,
    },
}

/// Dates as clerks write them: 2025-03-04, 2025/3/4, 2025.3.4, 2025年3月4日, 20250304.
pub fn parse_date_arg(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim().trim_end_matches('日');
    let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月']).collect();
    let ymd = if parts.len() == 3 {
        (
            parts[0].parse().ok(),
            parts[1].parse().ok(),
            parts[2].parse().ok(),
        )
    } else if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        (
            t[..4].parse().ok(),
            t[4..6].parse().ok(),
            t[6..].parse().ok(),
        )
    } else {
        (None, None, None)
    };
    match ymd {
        (Some(y), Some(m), Some(d)) => {
            NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| format!("日期“{s}”不存在"))
        }
        _ => Err(format!("日期“{s}”无法识别，应写作 2025-03-04")),
    }
}

pub(crate) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

pub(crate) fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

pub(crate) fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("错误：{msg}");
    ExitCode::from(2)
}

impl Db {
    /// The database file, when the ledger is an SQLite file: what no output
    /// may overwrite.
    pub(crate) fn files(&self) -> Vec<PathBuf> {
        let spec = self.db.as_str();
        if spec.starts_with("postgres://") || spec.starts_with("postgresql://") {
            return Vec::new();
        }
        let path = spec
            .strip_prefix("sqlite://")
            .or_else(|| spec.strip_prefix("sqlite:"))
            .unwrap_or(spec);
        let path = path.split('?').next().unwrap_or(path);
        vec![PathBuf::from(path)]
    }
}

pub(crate) async fn open(db: &Db) -> Result<Store, ExitCode> {
    Store::open(&db.db).await.map_err(fail)
}

pub fn run_ledger(args: LedgerArgs) -> ExitCode {
    runtime().block_on(ledger(args))
}

pub fn run_report(args: ReportArgs) -> ExitCode {
    runtime().block_on(report(args))
}

async fn report(args: ReportArgs) -> ExitCode {
    let ReportCommand::Generate {
        db,
        agency,
        year,
        to,
        output,
        out_dir,
        force,
        fonts,
    } = args.command;
    let inputs = db.files();
    if let Some(out) = &output {
        if let Err(msg) = crate::outfile::guard(out, &inputs, force) {
            return fail(msg);
        }
    }
    let format = match crate::output_format(&to, output.as_deref().or(out_dir.as_deref())) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let fonts = match crate::output::pdf_fonts(fonts.font_dir.as_deref()) {
        Ok(f) => f,
        Err(msg) => return fail(msg),
    };
    let store = match open(&db).await {
        Ok(s) => s,
        Err(code) => return code,
    };
    let as_of = db.as_of.unwrap_or_else(today);
    let reports = match &agency {
        Some(a) => store
            .annual_report(&db.actor, a, year, as_of)
            .await
            .map(|r| vec![r]),
        None => {
            if out_dir.is_none() {
                return fail("未指定 --agency 时须用 --out-dir 指定输出目录");
            }
            store.annual_reports(&db.actor, year, as_of).await
        }
    };
    let reports = match reports {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let mut status = ExitCode::SUCCESS;
    for r in &reports {
        let errors: Vec<_> = gongkai_report::check(r)
            .into_iter()
            .filter(|d| d.level == gongkai_report::Level::Error)
            .collect();
        for d in &errors {
            eprintln!(
                "{}：{} {}",
                r.agency.as_deref().unwrap_or(""),
                d.rule,
                d.message
            );
        }
        if !errors.is_empty() {
            status = ExitCode::from(1);
        }
    }
    if let Some(dir) = out_dir {
        if let Err(e) = std::fs::create_dir_all(&dir) {
            return fail(format!(
                "无法创建目录 {}（{}）",
                dir.display(),
                io_error(&e)
            ));
        }
        for r in &reports {
            let name = format!(
                "{}_{}.{}",
                r.agency.as_deref().unwrap_or("机关"),
                year,
                format.extension()
            );
            let path = dir.join(safe_file_name(&name));
            if let Err(msg) = crate::outfile::guard(&path, &inputs, force) {
                return fail(msg);
            }
            if let Err(e) =
                crate::outfile::write_file(&path, &crate::output::report_bytes(format, r, &fonts))
            {
                return fail(format!("无法写入 {}（{}）", path.display(), io_error(&e)));
            }
        }
        eprintln!("已生成{}份年度报告，写入 {}", reports.len(), dir.display());
        return status;
    }
    let code = write_output(
        output.as_deref(),
        &crate::output::report_bytes(format, &reports[0], &fonts),
    );
    if code != ExitCode::SUCCESS {
        return code;
    }
    status
}

fn safe_file_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect()
}

async fn ledger(args: LedgerArgs) -> ExitCode {
    let db = args.db;
    let as_of = db.as_of.unwrap_or_else(today);
    let actor = db.actor.clone();
    // The fee calculator needs no database.
    if let LedgerCommand::Fee { basis, quantity } = &args.command {
        let Some(basis) = parse_basis(basis) else {
            return fail(format!("计费方式应为“按件”或“按量”，而不是“{basis}”"));
        };
        println!("{}", fees::quote(basis, *quantity).explain());
        return ExitCode::SUCCESS;
    }
    // The benchmark never touches the user's ledger.
    if let LedgerCommand::Bench {
        applications,
        agencies,
        write_seconds,
        temp_dir,
    } = &args.command
    {
        return crate::benchdb::run(temp_dir.as_deref(), |store, _| {
            Box::pin(bench(
                store,
                "性能测试",
                *applications,
                *agencies,
                *write_seconds,
            ))
        })
        .await;
    }
    let store = match open(&db).await {
        Ok(s) => s,
        Err(code) => return code,
    };
    let result = match args.command {
        LedgerCommand::Fee { .. } => Ok(ExitCode::SUCCESS),
        LedgerCommand::Add {
            agency,
            kind,
            name,
            id,
            contact,
            channel,
            received,
            request,
            form,
        } => {
            let Some(kind) = ApplicantKind::parse(&kind) else {
                return fail(format!(
                    "申请人类型“{kind}”无法识别，应为：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他"
                ));
            };
            let Some(channel) = Channel::parse(&channel) else {
                return fail(format!(
                    "申请方式“{channel}”无法识别，应为：当面、信函、传真、网络、电子邮件、其他"
                ));
            };
            let new = NewApplication {
                number: None,
                applicant: Applicant {
                    kind,
                    name,
                    id_document: id,
                    contact,
                },
                channel,
                received_on: received,
                request,
                form,
            };
            match store.add_application(&actor, &agency, &new, as_of).await {
                Ok(number) => {
                    let state = store.case_state(&agency, &number, as_of).await;
                    println!(
                        "已登记：{agency} 第{number}号（{}）",
                        channel.receipt_rule()
                    );
                    if let Ok(s) = state {
                        print_state(&store, &s, as_of);
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => Err(e),
            }
        }
        LedgerCommand::Import {
            file,
            agency,
            dry_run,
        } => import(&store, &actor, &file, &agency, dry_run, as_of).await,
        LedgerCommand::List {
            agency,
            year,
            open,
            json,
        } => {
            let filter = ListFilter {
                agency,
                year,
                open_only: open,
                limit: None,
            };
            match store.list(&filter).await {
                Ok(rows) => {
                    if json {
                        print_json(&rows);
                    } else {
                        print_cases(&rows, None);
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => Err(e),
            }
        }
        LedgerCommand::Show { agency, number } => show(&store, &agency, &number, as_of).await,
        LedgerCommand::Event {
            agency,
            number,
            what,
            on,
            until,
            party,
            days,
            approver,
            notified,
            outcome,
            responsible,
            responsible_contact,
            basis,
            pages,
            amount,
            note,
        } => {
            let mut fee_explained = None;
            let kind = match what.trim() {
                "补正告知" | "补正" | "correction_requested" => match until {
                    Some(until) => EventKind::CorrectionRequested { until },
                    None => return fail("补正告知须用 --until 写明补正期限"),
                },
                "收到补正" | "correction_received" => EventKind::CorrectionReceived,
                "征求意见" | "consultation_started" => EventKind::ConsultationStarted {
                    party: party.unwrap_or_default(),
                },
                "征求意见结束" | "consultation_ended" => EventKind::ConsultationEnded,
                "延期" | "延期答复" | "extended" => {
                    let (Some(days), Some(approver)) = (days, approver) else {
                        return fail("延期须用 --days 写明延长的工作日数，用 --approver 写明批准人");
                    };
                    EventKind::Extended {
                        days,
                        approver,
                        applicant_notified_on: notified.unwrap_or(on),
                    }
                }
                "收费通知" | "收费" | "fee_noticed" => {
                    let Some(basis) = basis.as_deref().and_then(parse_basis) else {
                        return fail("收费通知须用 --basis 写明计费方式：按件 或 按量");
                    };
                    let quantity = match basis {
                        FeeBasis::ByVolume => match pages {
                            Some(p) => p,
                            None => return fail("按量计收须用 --pages 写明页数"),
                        },
                        FeeBasis::ByCount => match store.nth_in_month(&agency, &number).await {
                            Ok(n) => n,
                            Err(e) => return fail(e),
                        },
                    };
                    let quote = fees::quote(basis, quantity);
                    // Shown once the notice is recorded, not before a refusal.
                    fee_explained = Some(quote.explain());
                    EventKind::FeeNoticed {
                        basis,
                        quantity,
                        amount_yuan: quote.amount_yuan,
                    }
                }
                "缴费" | "fee_paid" => match amount {
                    Some(amount_yuan) => EventKind::FeePaid { amount_yuan },
                    None => return fail("缴费须用 --amount 写明缴纳的金额（元）"),
                },
                "答复" | "replied" => {
                    let Some(text) = outcome else {
                        return fail("答复须用 --outcome 写明办理结果");
                    };
                    // 第三十六条第（五）项: another agency is responsible.
                    let elsewhere = ["不属于本机关", "非本机关", "其他机关负责", "其他行政机关负责"]
                        .iter()
                        .any(|w| text.contains(w));
                    let outcome = if elsewhere {
                        Some(Outcome::NOT_HELD)
                    } else {
                        Outcome::parse(&text)
                    };
                    let Some(outcome) = outcome else {
                        return fail(format!(
                            "办理结果“{text}”无法识别。可写年度报告表三的措辞或其代码：\n{}\n\
                             所申请的信息由其他机关负责公开的，写 --outcome 不属于本机关负责公开 --responsible 该机关 --responsible-contact 联系方式",
                            outcome_list()
                        ));
                    };
                    let responsible = if elsewhere || responsible.is_some() {
                        if outcome != Outcome::NOT_HELD {
                            return fail(
                                "--responsible 只用于所申请的信息由其他机关负责公开的情形（条例第三十六条第（五）项，计入“本机关不掌握相关政府信息”）",
                            );
                        }
                        Some(Responsible {
                            agency: responsible.unwrap_or_default().trim().to_string(),
                            contact: responsible_contact.unwrap_or_default().trim().to_string(),
                        })
                    } else {
                        None
                    };
                    EventKind::Replied {
                        outcome,
                        responsible,
                    }
                }
                "撤回" | "撤回申请" | "withdrawn" => EventKind::Withdrawn,
                other => {
                    return fail(format!(
                        "办理环节“{other}”无法识别，应为：补正告知、收到补正、征求意见、征求意见结束、延期、收费通知、缴费、答复、撤回"
                    ))
                }
            };
            let event = Event {
                on,
                kind,
                actor: actor.clone(),
                note,
            };
            match store.add_event(&agency, &number, event, as_of).await {
                Ok(state) => {
                    println!("已记录：{agency} 第{number}号");
                    if let Some(text) = fee_explained {
                        println!("{text}");
                    }
                    print_state(&store, &state, as_of);
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => Err(e),
            }
        }
        LedgerCommand::Overdue {
            agency,
            within,
            json,
        } => match store.due(&actor, agency.as_deref(), as_of, within).await {
            Ok(rows) => {
                if json {
                    print_json(&rows);
                } else if rows.is_empty() {
                    println!("没有{within}个工作日内到期或已经逾期的申请（截至{as_of}）");
                } else {
                    let cases: Vec<CaseRow> = rows.iter().map(|r| r.case.clone()).collect();
                    let left: Vec<String> = rows
                        .iter()
                        .map(|r| {
                            let mark = if r.provisional {
                                "（日历未覆盖，暂按周末计）"
                            } else {
                                ""
                            };
                            match r.days_left {
                                d if d < 0 => format!("逾期{}个工作日{mark}", -d),
                                0 => format!("今天到期{mark}"),
                                d => format!("剩{d}个工作日{mark}"),
                            }
                        })
                        .collect();
                    print_cases(&cases, Some(&left));
                }
                let overdue = rows.iter().any(|r| r.days_left < 0);
                Ok(if overdue {
                    ExitCode::from(1)
                } else {
                    ExitCode::SUCCESS
                })
            }
            Err(e) => Err(e),
        },
        LedgerCommand::Letter {
            agency,
            number,
            reason,
            to,
            output,
            force,
            fonts,
        } => {
            let format = match letter_format(to.as_deref(), output.as_deref()) {
                Ok(f) => f,
                Err(code) => return code,
            };
            if let Some(out) = &output {
                if let Err(msg) = crate::outfile::guard(out, &db.files(), force) {
                    return fail(msg);
                }
            }
            let fonts = if format == FileFormat::Pdf {
                match crate::output::pdf_fonts(fonts.font_dir.as_deref()) {
                    Ok(f) => f,
                    Err(msg) => return fail(msg),
                }
            } else {
                PdfFonts::embedded()
            };
            let out = LetterOutput {
                format,
                fonts: &fonts,
                path: output.as_deref(),
            };
            letter(&store, &agency, &number, &reason, &out, as_of).await
        }
        LedgerCommand::LetterTemplate { agency, key, file } => match file {
            Some(path) => {
                let body = match crate::input::read_text(&path, crate::input::TEXT_LIMIT) {
                    Ok(b) => b,
                    Err(msg) => return fail(msg),
                };
                let mut letters = Letters::default();
                if let Err(e) = letters.with_override(&key, &body) {
                    return fail(e);
                }
                store
                    .put_letter_template(&actor, &agency, &key, &body)
                    .await
                    .map(|_| {
                        println!("已保存{agency}的答复告知书模板“{key}”");
                        ExitCode::SUCCESS
                    })
            }
            None => {
                let own = store.letter_templates(&agency).await.unwrap_or_default();
                match own.iter().find(|(k, _)| *k == key) {
                    Some((_, body)) => {
                        print!("{body}");
                        Ok(ExitCode::SUCCESS)
                    }
                    None => match Letters::default().template_source(&key) {
                        Some(src) => {
                            print!("{src}");
                            Ok(ExitCode::SUCCESS)
                        }
                        None => return fail(format!("没有名为“{key}”的模板")),
                    },
                }
            }
        },
        LedgerCommand::Remedies {
            agency,
            review_body,
            court,
        } => store
            .set_agency_remedies(&actor, &agency, &review_body, &court)
            .await
            .map(|_| {
                println!("已保存：复议机关 {review_body}；管辖法院 {court}");
                ExitCode::SUCCESS
            }),
        LedgerCommand::Document {
            agency,
            number,
            kind,
            title,
            issued,
            repealed,
        } => {
            let Some(kind) = DocumentKind::parse(&kind) else {
                return fail(format!(
                    "文件类型“{kind}”无法识别，应为：规章 或 行政规范性文件"
                ));
            };
            let doc = NormativeDocument {
                number,
                kind,
                title,
                issued_on: issued,
                repealed_on: repealed,
            };
            store.put_document(&actor, &agency, &doc).await.map(|_| {
                println!("已登记{}：{}", kind.label(), doc.number);
                ExitCode::SUCCESS
            })
        }
        LedgerCommand::Enforcement {
            agency,
            year,
            license,
            penalty,
            coercion,
            fee_amount,
        } => {
            let e = Enforcement {
                license,
                penalty,
                coercion,
                fee_amount,
            };
            store
                .put_enforcement(&actor, &agency, year, &e)
                .await
                .map(|_| {
                    println!("已录入{agency}{year}年执法数据");
                    ExitCode::SUCCESS
                })
        }
        LedgerCommand::Case {
            agency,
            number,
            kind,
            filed,
            decided,
            result,
        } => {
            let Some(kind) = CaseKind::parse(&kind) else {
                return fail(format!(
                    "案件类型“{kind}”无法识别，应为：行政复议、直接起诉、复议后起诉"
                ));
            };
            let decided = match (decided, result) {
                (Some(d), Some(r)) => match CaseResult::parse(&r) {
                    Some(r) => Some((d, r)),
                    None => return fail(format!("审理结果“{r}”无法识别，应为：维持、纠正、其他")),
                },
                (None, None) => None,
                _ => return fail("已审结的案件须同时写明 --decided 和 --result"),
            };
            let case = LegalCase {
                number,
                kind,
                filed_on: filed,
                decided,
            };
            store.put_case(&actor, &agency, &case).await.map(|_| {
                println!("已登记{}案件：{}", kind.label(), case.number);
                ExitCode::SUCCESS
            })
        }
        LedgerCommand::Narrative {
            agency,
            year,
            section,
            file,
        } => {
            let body = match crate::input::read_text(&file, crate::input::TEXT_LIMIT) {
                Ok(b) => b,
                Err(msg) => return fail(msg),
            };
            store
                .put_narrative(&actor, &agency, year, &section, &body)
                .await
                .map(|_| {
                    println!("已保存{agency}{year}年度报告的文字部分（{section}）");
                    ExitCode::SUCCESS
                })
        }
        LedgerCommand::Calendar {
            load,
            year,
            replace,
        } => {
            if let Some(path) = load {
                let text = match crate::input::read_text(&path, crate::input::TEXT_LIMIT) {
                    Ok(t) => t,
                    Err(msg) => return fail(msg),
                };
                match store.load_calendar(&actor, &text, as_of, replace).await {
                    Ok(done) => Ok(print_calendar_load(&done)),
                    Err(e) => Err(e),
                }
            } else {
                let cal = store.calendar();
                let years: Vec<String> = cal.years().iter().map(|y| y.to_string()).collect();
                println!("工作日历覆盖：{}年", years.join("、"));
                if let Some(y) = year {
                    if !cal.years().contains(&y) {
                        println!("{y}年的节假日安排尚未载入：期限暂按周末计算，并标注为“暂定”。");
                    }
                    print!("{}", cal.year_only(y).to_toml());
                }
                Ok(ExitCode::SUCCESS)
            }
        }
        LedgerCommand::Audit { limit } => match store.audit_log(limit).await {
            Ok(entries) => {
                for e in entries {
                    println!(
                        "{:>6}  {}  {}  {}  {}",
                        e.seq, e.at, e.actor, e.action, e.entity
                    );
                    if let Some(b) = e.before {
                        println!("        前：{b}");
                    }
                    if let Some(a) = e.after {
                        println!("        后：{a}");
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => Err(e),
        },
        LedgerCommand::Sample {
            agencies,
            per_year,
            year,
            force,
        } => match store.is_empty().await {
            Ok(false) if !force => Ok(fail(format!(
                "台账 {} 中已有数据，示例申请会混入其中并计入年度报告；\
                 请用 --db 指定一个新文件，如 --db 示例.db（确要写入时加 --force）",
                db.db
            ))),
            Ok(_) => sample(&store, &actor, agencies, per_year, year, as_of).await,
            Err(e) => Err(e),
        },
        LedgerCommand::Bench { .. } => Ok(ExitCode::SUCCESS),
    };
    store.close().await;
    match result {
        Ok(code) => code,
        Err(StoreError::Import(report)) => {
            print_import_errors(&report);
            ExitCode::from(1)
        }
        Err(e) => fail(e),
    }
}

/// What `ledger event --help` adds after the options: the outcomes.
pub fn outcome_help() -> String {
    format!(
        "\n办理结果（--outcome，年度报告表三的措辞或其代码）：\n{}\n  不属于本机关负责公开（计入“本机关不掌握相关政府信息”，用 --responsible、--responsible-contact 写明负责的机关）\n",
        outcome_list()
    )
}

/// The outcomes a reply may have, one a line: the table-3 wording and the code.
fn outcome_list() -> String {
    Outcome::all()
        .filter(|o| *o != Outcome::NO_CORRECTION && *o != Outcome::FEE_UNPAID)
        .map(|o| format!("  {}（{}）", o.label(), o.key()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What `calendar --load` did, or why it did nothing; the exit code.
fn print_calendar_load(done: &gongkai_store::CalendarLoad) -> ExitCode {
    let years = |ys: &[i32]| {
        ys.iter()
            .map(|y| format!("{y}年"))
            .collect::<Vec<_>>()
            .join("、")
    };
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_else(|| "无".into());
    let list_moved = |verb: &str| {
        if done.moved.is_empty() {
            println!("没有未办结申请的期限{verb}变化");
        } else {
            println!("{}件未办结申请的答复期限{verb}改变：", done.moved.len());
            for m in &done.moved {
                println!(
                    "  {} 第{}号：{} → {}",
                    m.agency,
                    m.number,
                    day(m.before),
                    day(m.after)
                );
            }
        }
    };
    if !done.applied {
        eprintln!(
            "错误：文件将替换工作日历中已有的{}（国务院办公厅公布的安排），未载入。确要替换，请加 --replace。",
            years(&done.replaced)
        );
        list_moved("将会");
        return ExitCode::from(1);
    }
    if done.added.is_empty() && done.replaced.is_empty() {
        println!("工作日历没有变化");
        return ExitCode::SUCCESS;
    }
    if !done.added.is_empty() {
        println!("已载入{}的工作日历", years(&done.added));
    }
    if !done.replaced.is_empty() {
        println!("已替换{}的工作日历", years(&done.replaced));
    }
    list_moved("已");
    ExitCode::SUCCESS
}

fn parse_basis(s: &str) -> Option<FeeBasis> {
    match s.trim() {
        "按件" | "按件计收" | "by_count" => Some(FeeBasis::ByCount),
        "按量" | "按量计收" | "by_volume" => Some(FeeBasis::ByVolume),
        _ => None,
    }
}

async fn import(
    store: &Store,
    actor: &str,
    file: &Path,
    agency: &str,
    dry_run: bool,
    as_of: NaiveDate,
) -> Result<ExitCode, StoreError> {
    let bytes = match crate::input::read(file, crate::input::LEDGER_LIMIT) {
        Ok(b) => b,
        Err(msg) => return Ok(fail(msg)),
    };
    let name = file.display().to_string();
    let report = match gongkai_casework::import::read_ledger(&name, &bytes) {
        Ok(r) => r,
        Err(e) => return Ok(fail(format!("{name}：{e}"))),
    };
    for (heading, field, fuzzy) in &report.columns {
        if *fuzzy {
            eprintln!("提示：列“{heading}”按“{field}”读取（名称相近）");
        }
    }
    for note in &report.notes {
        eprintln!("提示：{note}");
    }
    if !report.is_ok() {
        print_import_errors(&report);
        return Ok(ExitCode::from(1));
    }
    if report.rows.is_empty() {
        eprintln!("错误：{name} 中没有申请（只有表头），未导入，台账未作改动");
        return Ok(ExitCode::from(1));
    }
    if dry_run {
        println!(
            "检查通过：{name} 共{}件申请可以导入（未写入）",
            report.rows.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let done = store
        .import_applications(actor, agency, &report, as_of)
        .await?;
    if !done.already.is_empty() {
        let shown: Vec<String> = done
            .already
            .iter()
            .take(10)
            .map(|(line, number)| format!("第{line}行即{number}号"))
            .collect();
        let more = if done.already.len() > shown.len() {
            format!("等{}行", done.already.len())
        } else {
            String::new()
        };
        println!(
            "{}件申请台账中已有（编号、收到日期和申请内容相同），未重复导入：{}{more}",
            done.already.len(),
            shown.join("、")
        );
    }
    if done.imported.is_empty() {
        println!("没有新的申请，台账未作改动");
    } else {
        println!(
            "已导入{}件申请到{agency}（编号 {} 至 {}）",
            done.imported.len(),
            done.imported.first().map(String::as_str).unwrap_or("-"),
            done.imported.last().map(String::as_str).unwrap_or("-")
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn print_import_errors(report: &gongkai_casework::import::ImportReport) {
    eprintln!(
        "错误：台账中有{}处无法读取，整个文件未导入：",
        report.errors.len()
    );
    for e in &report.errors {
        let col = e
            .column
            .as_deref()
            .map(|c| format!("“{c}”列"))
            .unwrap_or_default();
        let value = if e.value.is_empty() {
            String::new()
        } else {
            format!("“{}”", e.value)
        };
        eprintln!("  第{}行{col}{value}：{}", e.line, e.message);
    }
}

async fn show(
    store: &Store,
    agency: &str,
    number: &str,
    as_of: NaiveDate,
) -> Result<ExitCode, StoreError> {
    let a = store.application(agency, number).await?;
    let state = store.case_state(agency, number, as_of).await?;
    println!("{agency} 第{number}号");
    println!(
        "申请人：{}（{}）  申请方式：{}  收到日期：{}",
        a.applicant.name,
        a.applicant.kind.label(),
        a.channel.label(),
        a.received_on
    );
    println!("申请内容：{}", a.request);
    println!("办理过程：");
    println!("  {}  收到申请", a.received_on);
    for e in &a.events {
        let detail = match &e.kind {
            EventKind::CorrectionRequested { until } => format!("，补正期限{until}"),
            EventKind::ConsultationStarted { party } if !party.is_empty() => format!("（{party}）"),
            EventKind::Extended { days, approver, .. } => {
                format!("{days}个工作日，批准人{approver}")
            }
            EventKind::FeeNoticed {
                basis,
                quantity,
                amount_yuan,
            } => {
                format!("，{}，数量{quantity}，{amount_yuan}元", basis.label())
            }
            EventKind::FeePaid { amount_yuan } => format!("{amount_yuan}元"),
            EventKind::Replied {
                outcome,
                responsible: Some(r),
            } => {
                let who = if r.agency.is_empty() {
                    "负责机关无法确定".to_string()
                } else if r.contact.is_empty() {
                    format!("由{}负责公开", r.agency)
                } else {
                    format!("由{}负责公开，联系方式{}", r.agency, r.contact)
                };
                format!("：{}（不属于本机关负责公开，{who}）", outcome.label())
            }
            EventKind::Replied { outcome, .. } | EventKind::Lapsed { outcome } => {
                format!("：{}", outcome.label())
            }
            _ => String::new(),
        };
        let note = if e.note.is_empty() {
            String::new()
        } else {
            format!("（{}）", e.note)
        };
        println!("  {}  {}{detail}  {}{note}", e.on, e.kind.label(), e.actor);
    }
    print_state(store, &state, as_of);
    Ok(ExitCode::SUCCESS)
}

fn print_state(store: &Store, s: &CaseState, as_of: NaiveDate) {
    let mut line = format!("状态：{}", s.stage.label());
    if let Some((on, outcome)) = s.closed {
        line.push_str(&format!("（{on}，{}）", outcome.label()));
    } else if let Some(due) = s.due_on {
        let left = store.calendar().signed_working_days(as_of, due);
        line.push_str(&format!("  答复期限：{due}"));
        line.push_str(&match left {
            d if d < 0 => format!("（已逾期{}个工作日）", -d),
            0 => "（今天到期）".to_string(),
            d => format!("（剩{d}个工作日）"),
        });
    }
    if s.stage == Stage::AwaitingCorrection {
        if let Some(d) = s.correction_due {
            line.push_str(&format!("  补正期限：{d}"));
        }
    }
    if let Some(d) = s.pay_due {
        if s.stage == Stage::AwaitingPayment {
            line.push_str(&format!("  缴费期限：{d}"));
        }
    }
    if s.provisional {
        line.push_str("  （期限跨入尚未载入节假日安排的年份，暂按周末计算）");
    }
    println!("{line}");
    for w in &s.warnings {
        println!("注意：{}", w.message);
    }
}

/// The format of a reply letter: `--to` (txt, docx or pdf), else the
/// output file's extension when it is .docx or .pdf, else text. A binary
/// format is not written to a terminal.
fn letter_format(to: Option<&str>, output: Option<&Path>) -> Result<FileFormat, ExitCode> {
    let letter_formats = [
        FileFormat::Text(gongkai_write::Format::Text),
        FileFormat::Docx,
        FileFormat::Pdf,
    ];
    let name = match to {
        Some(name) => name.to_string(),
        None => output
            .and_then(Path::extension)
            .map(|e| e.to_string_lossy().into_owned())
            .filter(|e| {
                matches!(
                    FileFormat::parse(e),
                    Some(FileFormat::Docx | FileFormat::Pdf)
                )
            })
            .unwrap_or_else(|| "txt".to_string()),
    };
    match FileFormat::parse(&name) {
        Some(f) if letter_formats.contains(&f) => crate::output_format(&name, output),
        _ => Err(fail(format!(
            "答复告知书不支持格式“{name}”，可选：txt、docx、pdf"
        ))),
    }
}

/// Where and how a reply letter is written.
struct LetterOutput<'a> {
    format: FileFormat,
    /// For PDF.
    fonts: &'a PdfFonts,
    /// None for standard output.
    path: Option<&'a Path>,
}

impl LetterOutput<'_> {
    /// Writes the letter's text as text, Word or PDF. For PDF, what could
    /// not be set as asked (a character no font has …) is a warning.
    fn write(&self, text: &str) -> ExitCode {
        let bytes = match self.format {
            FileFormat::Docx => gongkai_write::letter::letter_docx(text),
            FileFormat::Pdf => {
                let out = gongkai_write::letter::letter_pdf(text, self.fonts);
                for w in &out.warnings {
                    eprintln!("警告：{w}");
                }
                out.bytes
            }
            _ => text.as_bytes().to_vec(),
        };
        write_output(self.path, &bytes)
    }
}

async fn letter(
    store: &Store,
    agency: &str,
    number: &str,
    reason: &str,
    output: &LetterOutput<'_>,
    as_of: NaiveDate,
) -> Result<ExitCode, StoreError> {
    match store.reply_letter(agency, number, reason, as_of).await {
        Ok(text) => Ok(output.write(&text)),
        Err(StoreError::Invalid(why)) => Ok(fail(why)),
        Err(e) => Err(e),
    }
}

async fn sample(
    store: &Store,
    actor: &str,
    agencies: usize,
    per_year: usize,
    last_year: i32,
    as_of: NaiveDate,
) -> Result<ExitCode, StoreError> {
    let done = store
        .fill_sample(actor, agencies, per_year, last_year, as_of)
        .await?;
    let to = NaiveDate::from_ymd_opt(last_year, 12, 31).unwrap_or_default();
    println!(
        "已生成示例台账：{}个机关，{}—{last_year}年共{}件申请。可以试试：",
        done.agencies.len(),
        done.first_year,
        done.applications
    );
    println!("  gongkai ledger overdue --as-of {to}");
    println!(
        "  gongkai report generate --agency {} --year {last_year} --to md",
        done.agencies[0]
    );
    Ok(ExitCode::SUCCESS)
}

pub(crate) async fn bench(
    store: &Store,
    actor: &str,
    applications: usize,
    agencies: usize,
    write_seconds: u64,
) -> Result<ExitCode, StoreError> {
    use std::time::{Duration, Instant};
    let as_of = NaiveDate::from_ymd_opt(2026, 1, 20).unwrap_or_default();
    let names = crate::benchdb::fill(store, actor, applications, agencies, as_of).await?;

    let mut times = Vec::new();
    for name in names.iter().take(20) {
        let t = Instant::now();
        let r = store.annual_report(actor, name, 2025, as_of).await?;
        times.push(t.elapsed());
        if gongkai_report::check(&r)
            .iter()
            .any(|d| d.level == gongkai_report::Level::Error)
        {
            return Ok(fail(format!("{name}的年度报告有错误")));
        }
    }
    times.sort();
    println!(
        "一个机关的年度报告：中位数 {:.1} 毫秒，最慢 {:.1} 毫秒（{} 次）",
        times[times.len() / 2].as_secs_f64() * 1000.0,
        times[times.len() - 1].as_secs_f64() * 1000.0,
        times.len()
    );
    let t = Instant::now();
    let all = store.annual_reports(actor, 2025, as_of).await?;
    println!(
        "全部 {} 个机关的年度报告：{:.2} 秒",
        all.len(),
        t.elapsed().as_secs_f64()
    );

    // Sustained durable writes: one application per transaction, committed.
    let t = Instant::now();
    let mut n = 0u64;
    let new = NewApplication {
        number: None,
        applicant: Applicant {
            kind: ApplicantKind::NaturalPerson,
            name: "测试".into(),
            id_document: String::new(),
            contact: String::new(),
        },
        channel: Channel::Online,
        received_on: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default(),
        request: "性能测试".into(),
        form: String::new(),
    };
    while t.elapsed() < Duration::from_secs(write_seconds) {
        store
            .add_application(actor, &names[(n as usize) % names.len()], &new, as_of)
            .await?;
        n += 1;
    }
    println!(
        "持续写入（每件申请一个事务，含审计日志，提交即落盘）：每秒 {:.0} 件（{} 秒内 {n} 件）",
        n as f64 / t.elapsed().as_secs_f64(),
        write_seconds
    );
    Ok(ExitCode::SUCCESS)
}

/// Names for sample agencies.
fn print_json<T: serde::Serialize>(v: &T) {
    println!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
}

pub(crate) fn pad(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

fn print_cases(rows: &[CaseRow], extra: Option<&[String]>) {
    if rows.is_empty() {
        println!("没有符合条件的申请");
        return;
    }
    let stage_label = |s: &str| match s {
        "open" => "办理中",
        "awaiting_correction" => "等待补正",
        "consulting" => "征求意见中",
        "awaiting_payment" => "等待缴费",
        "closed" => "已办结",
        _ => "未知",
    };
    let mut out = std::io::stdout().lock();
    let header = [
        "机关",
        "编号",
        "收到日期",
        "申请人类型",
        "申请人",
        "状态",
        "答复期限",
        "办结",
        "结果",
    ];
    let table: Vec<Vec<String>> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let kind = ApplicantKind::ALL
                .iter()
                .find(|k| k.column_key() == r.applicant_kind)
                .map(|k| k.label())
                .unwrap_or("");
            let outcome = r
                .outcome
                .as_deref()
                .and_then(|o| Outcome::all().find(|x| x.key() == o))
                .map(|o| o.short_label())
                .unwrap_or_default();
            let mut v = vec![
                r.agency.clone(),
                r.number.clone(),
                r.received_on.clone(),
                kind.to_string(),
                r.applicant_name.clone(),
                stage_label(&r.stage).to_string(),
                r.due_on.clone().unwrap_or_default(),
                r.closed_on.clone().unwrap_or_default(),
                outcome,
            ];
            if let Some(extra) = extra {
                v.push(extra.get(i).cloned().unwrap_or_default());
            }
            v
        })
        .collect();
    let mut head: Vec<String> = header.iter().map(|s| s.to_string()).collect();
    if extra.is_some() {
        head.push("剩余".to_string());
    }
    let widths: Vec<usize> = (0..head.len())
        .map(|c| {
            table
                .iter()
                .map(|r| UnicodeWidthStr::width(r[c].as_str()))
                .chain([UnicodeWidthStr::width(head[c].as_str())])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| pad(c, *w))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let _ = writeln!(out, "{}", line(&head));
    for r in &table {
        let _ = writeln!(out, "{}", line(r));
    }
    let _ = writeln!(out, "共{}件", rows.len());
}
