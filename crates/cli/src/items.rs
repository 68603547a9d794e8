//! `gongkai items …`: the items of proactive disclosure an agency has
//! already published elsewhere, imported from a workbook or CSV into its
//! 专栏 (all or none, and only once), listed, and the template to fill.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use gongkai_casework::disclosure::{self, LocalLevel};
use gongkai_casework::import_items::{read_items, ItemsContext, ItemsReport, TEMPLATE};
use gongkai_store::{ImportedItem, ItemsImported, Scope, Store, StoreError};
use unicode_width::UnicodeWidthStr;

use crate::ledger::{fail, open, pad, runtime, today, Db};

#[derive(Args)]
pub struct ItemsArgs {
    #[command(flatten)]
    db: Db,
    #[command(subcommand)]
    command: ItemsCommand,
}

#[derive(Subcommand)]
enum ItemsCommand {
    /// 导入本机关已经发布的政府信息（.xlsx 或 .csv）：有一行不能导入就全部不导入；平台上已有的不重复导入
    Import {
        /// 文件（.xlsx 或 .csv，CSV 可为 UTF-8 或 GBK），有一行列名：索引号、名称、内容概述、发布机构、成文日期、发布日期、文号、主题分类、所属栏目、公开属性、文件类型、有效性等（gongkai items template 生成模板）
        file: PathBuf,
        /// 机关名称（全称，如 某某县市场监督管理局）；机关不存在时新建
        #[arg(long)]
        agency: String,
        /// 只检查，不写入
        #[arg(long)]
        check: bool,
    },
    /// 列出机关已发布的政府信息（按发布日期，最新的在前）
    List {
        /// 机关名称（全称）
        #[arg(long)]
        agency: String,
        /// 最多列出的条数
        #[arg(long, default_value_t = 50, value_parser = positive)]
        limit: i64,
    },
    /// 生成导入用的 Excel 模板：列名、一行示例和“说明”工作表
    Template {
        /// 输出文件（.xlsx）
        #[arg(short = 'o', long)]
        output: PathBuf,
        /// 输出文件已存在时覆盖它
        #[arg(long)]
        force: bool,
    },
}

/// A count of at least one.
fn positive(s: &str) -> Result<i64, String> {
    match s.trim().parse::<i64>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err("应为正整数，如 100".to_string()),
    }
}

pub fn run(args: ItemsArgs) -> ExitCode {
    let ItemsArgs { db, command } = args;
    match command {
        ItemsCommand::Template { output, force } => template(&db, &output, force),
        ItemsCommand::Import {
            file,
            agency,
            check,
        } => runtime().block_on(import(&db, &file, &agency, check)),
        ItemsCommand::List { agency, limit } => runtime().block_on(list(&db, &agency, limit)),
    }
}

// ---------------------------------------------------------------------------
// import

/// Whether the ledger is there to be looked at without creating it: a
/// server, or an SQLite file that exists.
fn ledger_exists(db: &Db) -> bool {
    db.files().iter().all(|f| f.exists())
}

async fn import(db: &Db, file: &Path, agency: &str, check: bool) -> ExitCode {
    let agency = agency.trim();
    if agency.is_empty() {
        return fail("--agency 不能为空，请写明机关全称");
    }
    let bytes = match crate::input::read(file, crate::input::LEDGER_LIMIT) {
        Ok(b) => b,
        Err(msg) => return fail(msg),
    };
    // The ledger is opened first when it is there (the agency's level for
    // 第二十一条 is in it); a new one is created only to import into.
    let store = if ledger_exists(db) {
        match open(db).await {
            Ok(s) => Some(s),
            Err(code) => return code,
        }
    } else {
        None
    };
    let code = import_with(store.as_ref(), db, file, &bytes, agency, check).await;
    if let Some(s) = store {
        s.close().await;
    }
    code
}

async fn import_with(
    store: Option<&Store>,
    db: &Db,
    file: &Path,
    bytes: &[u8],
    agency: &str,
    check: bool,
) -> ExitCode {
    let name = file.display().to_string();
    let level = match store {
        Some(s) => match s.profile(agency).await {
            Ok(p) => p.local_level.unwrap_or_else(|| LocalLevel::guess(agency)),
            Err(e) => return fail(e),
        },
        None => LocalLevel::guess(agency),
    };
    let today = db.as_of.unwrap_or_else(today);
    let ctx = ItemsContext {
        agency,
        level,
        today,
    };
    let report = match read_items(&name, bytes, &ctx) {
        Ok(r) => r,
        Err(e) => return fail(format!("{name}：{e}")),
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
        print_errors(&name, &report);
        return ExitCode::from(1);
    }
    if report.rows.is_empty() {
        eprintln!("错误：{name} 中没有政府信息（只有表头），未导入");
        return ExitCode::from(1);
    }
    let rows: Vec<ImportedItem> = report
        .rows
        .into_iter()
        .map(|r| ImportedItem {
            line: r.line,
            draft: r.draft,
            index_no: r.index_no,
            published_on: r.published_on,
            validity: r.validity,
        })
        .collect();
    let opened;
    let store = match store {
        Some(s) => s,
        None if check => {
            println!(
                "检查通过：{name} 共{}条政府信息可以导入（未写入；数据库 {} 还不存在，未与平台上已有的信息核对）",
                rows.len(),
                db.db
            );
            return ExitCode::SUCCESS;
        }
        None => {
            opened = match open(db).await {
                Ok(s) => s,
                Err(code) => return code,
            };
            &opened
        }
    };
    let done = if check {
        store
            .check_item_import(&Scope::All, agency, &rows, today)
            .await
    } else {
        store
            .import_items(&db.actor, &Scope::All, agency, &rows, today)
            .await
    };
    let done = match done {
        Ok(d) => d,
        Err(StoreError::Invalid(why)) => {
            eprintln!("错误：{why}");
            return ExitCode::from(1);
        }
        Err(e) => return fail(e),
    };
    report_done(&name, agency, &done, check);
    ExitCode::SUCCESS
}

fn print_errors(name: &str, report: &ItemsReport) {
    eprintln!(
        "错误：{name} 中有{}处问题（{}行），整个文件未导入：",
        report.errors.len(),
        report.bad_lines().len()
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

/// "第3行（索引号 X）、第5行（索引号 Y）" for the first ten, then "等N行".
fn rows_named(rows: &[(usize, String)]) -> String {
    let mut s = rows
        .iter()
        .take(10)
        .map(|(line, no)| format!("第{line}行（{no}）"))
        .collect::<Vec<_>>()
        .join("、");
    if rows.len() > 10 {
        s.push_str(&format!("等{}行", rows.len()));
    }
    s
}

fn report_done(name: &str, agency: &str, done: &ItemsImported, check: bool) {
    let numbered = done.imported.iter().filter(|(_, no)| no.is_empty()).count();
    if check {
        println!(
            "检查通过：{name} 中{}条政府信息可以导入，{}条平台上已有、将跳过（未写入）",
            done.imported.len(),
            done.already.len()
        );
        if done.agency_created {
            println!("机关“{agency}”还不存在，导入时新建");
        }
        if numbered > 0 {
            println!("其中{numbered}条没有索引号，导入时按本机关的格式编号");
        }
        return;
    }
    if done.agency_created {
        println!("已新建机关“{agency}”");
    }
    if !done.already.is_empty() {
        println!(
            "{}条平台上已有（同一索引号，或没有索引号时名称、文号和成文日期相同），未重复导入：{}",
            done.already.len(),
            rows_named(&done.already)
        );
    }
    if done.imported.is_empty() {
        println!("没有新的政府信息，未作改动");
        return;
    }
    println!(
        "已导入{}条政府信息到{agency}（已发布，发布日期按文件）：{}",
        done.imported.len(),
        rows_named(&done.imported)
    );
}

// ---------------------------------------------------------------------------
// list

async fn list(db: &Db, agency: &str, limit: i64) -> ExitCode {
    let agency = agency.trim();
    if !ledger_exists(db) {
        return fail(format!("数据库 {} 不存在（请用 --db 指定）", db.db));
    }
    let store = match open(db).await {
        Ok(s) => s,
        Err(code) => return code,
    };
    let code = match list_items(&store, agency, limit).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    };
    store.close().await;
    code
}

async fn list_items(store: &Store, agency: &str, limit: i64) -> Result<(), StoreError> {
    store.agency_by_name(agency).await?;
    const PAGE: i64 = 100;
    let mut rows = Vec::new();
    let mut total = 0;
    let mut page = 1;
    while (rows.len() as i64) < limit {
        let p = store.public_items(agency, None, page, PAGE).await?;
        total = p.total;
        let done = p.rows.len() < PAGE as usize;
        rows.extend(p.rows);
        if done {
            break;
        }
        page += 1;
    }
    rows.truncate(limit as usize);
    if rows.is_empty() {
        println!("{agency}还没有已发布的政府信息");
        return Ok(());
    }
    let head = ["索引号", "名称", "发布日期", "成文日期", "文号", "所属栏目"];
    let table: Vec<[String; 6]> = rows
        .iter()
        .map(|i| {
            [
                i.index_no.clone(),
                shorten(&i.title, 40),
                i.published_on.map(|d| d.to_string()).unwrap_or_default(),
                i.written_on.to_string(),
                i.doc_no.clone(),
                disclosure::column(&i.column)
                    .map(|c| c.name.to_string())
                    .unwrap_or_else(|| i.column.clone()),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..head.len())
        .map(|c| {
            table
                .iter()
                .map(|r| r[c].width())
                .chain([head[c].width()])
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
    let mut out = std::io::stdout().lock();
    let head: Vec<String> = head.iter().map(|s| s.to_string()).collect();
    let _ = writeln!(out, "{}", line(&head));
    for r in &table {
        let _ = writeln!(out, "{}", line(r));
    }
    if total as usize > table.len() {
        let _ = writeln!(
            out,
            "共{total}条已发布的政府信息，列出最新的{}条（用 --limit 列出更多）",
            table.len()
        );
    } else {
        let _ = writeln!(out, "共{total}条已发布的政府信息");
    }
    Ok(())
}

/// At most `width` columns of text, with "…" when cut.
fn shorten(s: &str, width: usize) -> String {
    let s: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if s.width() <= width {
        return s;
    }
    let mut out = String::new();
    for c in s.chars() {
        if out.width() + c.to_string().width() > width - 1 {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

// ---------------------------------------------------------------------------
// template

fn template(db: &Db, output: &Path, force: bool) -> ExitCode {
    if let Err(msg) = crate::outfile::guard(output, &db.files(), force) {
        return fail(msg);
    }
    let bytes = match template_workbook() {
        Ok(b) => b,
        Err(e) => return fail(format!("无法生成模板（{e}）")),
    };
    if let Err(e) = crate::outfile::write_file(output, &bytes) {
        return fail(format!(
            "无法写入 {}（{}）",
            output.display(),
            crate::io_error(&e)
        ));
    }
    println!(
        "已生成导入模板 {}：在“政府信息”工作表中每行填写一条（第2行为示例，导入前请改写或删去），各列的写法见“说明”工作表",
        output.display()
    );
    println!(
        "填好后先检查：gongkai items import {} --agency 机关全称 --check",
        output.display()
    );
    ExitCode::SUCCESS
}

/// The rows a list in the template reaches (the rest of the sheet is free).
const TEMPLATE_ROWS: u32 = 10_000;

/// The workbook of `gongkai items template`: the headings and an example
/// row on the first sheet, lists for the columns of fixed values, and a
/// sheet of notes.
fn template_workbook() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{
        Color, DataValidation, DataValidationErrorStyle, Format, Formula, Workbook,
    };
    let mut book = Workbook::new();
    let heading = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7));
    let required = heading.clone().set_font_color(Color::RGB(0xC00000));
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let text = Format::new().set_num_format("@");
    let wrap = Format::new().set_text_wrap();
    let bold = Format::new().set_bold();

    // The items first: the importer reads the first sheet with a header.
    // The 所属栏目 list refers to the columns listed on the notes sheet.
    let columns: Vec<_> = disclosure::all_columns().collect();
    {
        let sheet = book.add_worksheet();
        sheet.set_name("政府信息")?;
        for (c, col) in TEMPLATE.iter().enumerate() {
            let c = c as u16;
            let fmt = if col.required { &required } else { &heading };
            sheet.write_string_with_format(0, c, col.heading, fmt)?;
            let width = match col.heading {
                "名称" | "内容概述" | "正文" => 40,
                "索引号" | "所属栏目" | "发布机构" => 26,
                "文号" => 20,
                _ => 14,
            };
            sheet.set_column_width(c, width)?;
            if col.date {
                sheet.set_column_format(c, &date)?;
                if let Some(d) = parse_example_date(col.example) {
                    sheet.write_datetime_with_format(1, c, d, &date)?;
                }
            } else {
                sheet.set_column_format(c, &text)?;
                if !col.example.is_empty() {
                    sheet.write_string_with_format(1, c, col.example, &text)?;
                }
            }
            if !col.choices.is_empty() {
                let v = DataValidation::new()
                    .allow_list_strings(col.choices)?
                    .ignore_blank(true);
                sheet.add_data_validation(1, c, TEMPLATE_ROWS, c, &v)?;
            }
            if col.heading == "所属栏目" {
                // Offered from the notes sheet; the other ways of writing a
                // column ("（五）", "5") stay allowed.
                let v = DataValidation::new()
                    .allow_list_formula(Formula::new(format!(
                        "='说明'!$A${}:$A${}",
                        notes_columns_row() + 2,
                        notes_columns_row() + 1 + columns.len() as u32
                    )))
                    .ignore_blank(true)
                    .set_error_style(DataValidationErrorStyle::Information);
                sheet.add_data_validation(1, c, TEMPLATE_ROWS, c, &v)?;
            }
        }
        sheet.set_freeze_panes(1, 0)?;
    }
    {
        let sheet = book.add_worksheet();
        sheet.set_name("说明")?;
        sheet.set_column_width(0, 24)?;
        sheet.set_column_width(1, 30)?;
        sheet.set_column_width(2, 90)?;
        sheet.write_string_with_format(0, 0, "列名", &bold)?;
        sheet.write_string_with_format(0, 1, "是否必填", &bold)?;
        sheet.write_string_with_format(0, 2, "填写说明", &bold)?;
        for (r, col) in TEMPLATE.iter().enumerate() {
            let r = r as u32 + 1;
            sheet.write_string(r, 0, col.heading)?;
            sheet.write_string(r, 1, if col.required { "必填" } else { "选填" })?;
            sheet.write_string_with_format(r, 2, col.help, &wrap)?;
        }
        let start = notes_columns_row();
        sheet.write_string_with_format(start, 0, "所属栏目可填写", &bold)?;
        sheet.write_string_with_format(start, 1, "也可填写", &bold)?;
        sheet.write_string_with_format(start, 2, "内容", &bold)?;
        for (k, col) in columns.iter().enumerate() {
            let r = start + 1 + k as u32;
            // What is offered in the list, and what else says the same.
            let (offered, also, scope) = match col.key {
                "a21-county" => (
                    col.name,
                    "第二十一条",
                    format!("{}：{}", LocalLevel::County.label(), col.scope),
                ),
                "a21-township" => (
                    col.name,
                    "第二十一条",
                    format!("{}：{}", LocalLevel::Township.label(), col.scope),
                ),
                "system" => (col.name, "公开制度", col.scope.to_string()),
                _ => (col.article, col.name, col.scope.to_string()),
            };
            sheet.write_string(r, 0, offered)?;
            sheet.write_string(r, 1, also)?;
            sheet.write_string_with_format(r, 2, &scope, &wrap)?;
        }
        let first = start + 2 + columns.len() as u32;
        for (k, note) in [
            "红色列名的列必填。第2行为示例，导入前请改写或删去。列的顺序可以调整，列名也可用常见的其他写法（如“标题”“发文字号”“生成日期”“公开日期”“栏目”）。",
            "日期可写作2024-03-05、2024/3/5、2024.3.5、2024年3月5日、20240305，或Excel日期。",
            "文件中有任何一行不能导入时，整个文件都不导入，并逐行列出问题（行号、列名、应当怎样写）。导入前可先检查：gongkai items import 文件 --agency 机关全称 --check",
            "同一文件可以再次导入：有索引号的按索引号、没有索引号的按名称、文号和成文日期判断平台上是否已有，已有的不重复导入。",
            "导入的信息状态为“已发布”，发布日期按文件；附件和政策解读的对应关系，导入后在控制台补充。",
        ]
        .iter()
        .enumerate()
        {
            sheet.write_string(first + k as u32, 0, *note)?;
        }
    }
    book.save_to_buffer()
}

/// The row (0-based) of the notes sheet where the list of columns starts.
fn notes_columns_row() -> u32 {
    TEMPLATE.len() as u32 + 2
}

fn parse_example_date(s: &str) -> Option<rust_xlsxwriter::ExcelDateTime> {
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    use chrono::Datelike;
    rust_xlsxwriter::ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).ok()
}
