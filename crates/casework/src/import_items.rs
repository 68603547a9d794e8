//! Importing the items of government information an agency has already
//! published (on its old site or CMS) into its 专栏: a workbook (.xlsx) or
//! CSV file with a header row of the metadata's names (索引号, 名称, 内容概述,
//! 发布机构, 成文日期, 发布日期, 文号, 主题分类, 所属栏目, 公开属性, 文件类型,
//! 有效性 …), read by [`crate::sheet`] like the 台账.
//!
//! Every row is checked as a draft is ([`ItemDraft::problems`]) and as a
//! published item must be (发布日期 between 成文日期 and today, only 主动公开,
//! 有效性 only for 规章 and 行政规范性文件, no 索引号 twice); every problem is
//! reported with its line, column, value and what was expected, and the
//! store imports nothing from a file with any. What the platform already
//! holds is the store's to decide (`Store::import_items`). No IO, no clock:
//! "today" is the caller's.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use chrono::NaiveDate;
use gongkai_template::text::{fold_char, normalize};
use serde::Serialize;

use crate::disclosure::{
    self as rules, Column, Disclosure, ItemDraft, LocalLevel, Validity, ARTICLE_20,
    ARTICLE_21_COUNTY, ARTICLE_21_TOWNSHIP, SYSTEM,
};
use crate::model::DocumentKind;
use crate::sheet::{self, quote, Columns, RecordField, Row, Schema, Value};
pub use crate::sheet::{ImportError, RowError};

/// One item read from a row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemRow {
    /// 1-based row in the sheet, or the line of the CSV where the record starts.
    pub line: usize,
    /// Its 索引号 as published, or `None`: the platform gives one.
    pub index_no: Option<String>,
    pub draft: ItemDraft,
    pub published_on: NaiveDate,
    /// 失效 or 废止, and since when, for a normative document no longer in force.
    pub validity: Option<(Validity, NaiveDate)>,
}

/// What was read from a file of items.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemsReport {
    /// The worksheet read (`None` for CSV).
    pub sheet: Option<String>,
    /// 1-based line of the header row.
    pub header_line: usize,
    /// The columns read: heading as written, field label, matched fuzzily.
    pub columns: Vec<(String, String, bool)>,
    pub rows: Vec<ItemRow>,
    pub errors: Vec<RowError>,
    /// What the import assumed or skipped, for the clerk to confirm.
    pub notes: Vec<String>,
}

impl ItemsReport {
    /// True when every row could be read.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// The rows in error, each once, in order.
    pub fn bad_lines(&self) -> Vec<usize> {
        let mut lines: Vec<usize> = self.errors.iter().map(|e| e.line).collect();
        lines.dedup();
        lines
    }
}

/// What the rows are read against.
#[derive(Debug, Clone, Copy)]
pub struct ItemsContext<'a> {
    /// The agency importing: the 发布机构 of rows that leave it blank.
    pub agency: &'a str,
    /// Where the agency stands for 第二十一条 (which column "第二十一条" is).
    pub level: LocalLevel,
    pub today: NaiveDate,
}

/// The earliest year of a date read (成文日期 go back to the founding of the
/// People's Republic; [`ItemDraft::problems`] holds the exact day).
const FIRST_YEAR: i32 = 1949;
/// The longest 索引号 kept.
pub const INDEX_NO_MAX: usize = 60;

// ---------------------------------------------------------------------------
// Fields and headings

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Field {
    IndexNo,
    Title,
    Summary,
    Publisher,
    Written,
    Published,
    DocNo,
    Topic,
    Column,
    Disclosure,
    DocKind,
    Validity,
    ValidityOn,
    Body,
}

const REQUIRED: [Field; 4] = [
    Field::Title,
    Field::Written,
    Field::Published,
    Field::Column,
];

const ITEMS: Schema<Field> = Schema {
    file: "文件",
    one: "一条信息",
    many: "信息",
    required: &REQUIRED,
};

impl RecordField for Field {
    const ALL: &'static [Field] = &[
        Field::IndexNo,
        Field::Title,
        Field::Summary,
        Field::Publisher,
        Field::Written,
        Field::Published,
        Field::DocNo,
        Field::Topic,
        Field::Column,
        Field::Disclosure,
        Field::DocKind,
        Field::Validity,
        Field::ValidityOn,
        Field::Body,
    ];

    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Field::IndexNo => &[
                "索引号",
                "信息索引号",
                "索引编号",
                "索引",
                "信息索引",
                "索引码",
            ],
            Field::Title => &[
                "名称",
                "信息名称",
                "标题",
                "文件名称",
                "文件标题",
                "信息标题",
                "政府信息名称",
                "公开信息名称",
                "文章标题",
            ],
            Field::Summary => &[
                "内容概述",
                "内容概要",
                "摘要",
                "内容摘要",
                "信息摘要",
                "主要内容",
                "内容简介",
                "内容提要",
                "概述",
                "简介",
            ],
            Field::Publisher => &[
                "发布机构",
                "发布机关",
                "发布单位",
                "发文机关",
                "发文单位",
                "发文机构",
                "制发机关",
                "公开机构",
                "公开主体",
                "发布机构名称",
                "信息来源",
                "来源",
            ],
            Field::Written => &[
                "成文日期",
                "成文时间",
                "生成日期",
                "形成日期",
                "印发日期",
                "发文日期",
                "制发日期",
                "签发日期",
                "文件日期",
                "成文日",
            ],
            Field::Published => &[
                "发布日期",
                "发布时间",
                "公开日期",
                "公开时间",
                "上网日期",
                "上网时间",
                "发布日",
                "发表日期",
            ],
            Field::DocNo => &[
                "文号",
                "发文字号",
                "发文文号",
                "文件编号",
                "文件字号",
                "文件文号",
                "字号",
            ],
            Field::Topic => &["主题分类", "主题", "主题类别", "信息分类", "分类"],
            Field::Column => &[
                "所属栏目",
                "栏目",
                "公开栏目",
                "信息类别",
                "公开类别",
                "公开事项类别",
                "法定主动公开内容",
                "主动公开内容",
                "第二十条",
                "条例第二十条",
                "第二十条事项",
                "公开目录",
                "目录类别",
                "所属类别",
            ],
            Field::Disclosure => &["公开属性", "公开方式", "公开形式", "公开类型", "是否公开"],
            Field::DocKind => &[
                "文件类型",
                "是否规范性文件",
                "是否为规范性文件",
                "规范性文件",
                "规范性文件类型",
                "文件类别",
            ],
            Field::Validity => &[
                "有效性",
                "效力",
                "效力状态",
                "文件效力",
                "时效性",
                "是否有效",
                "有效状态",
            ],
            Field::ValidityOn => &[
                "失效或废止日期",
                "失效日期",
                "废止日期",
                "失效时间",
                "废止时间",
                "失效废止日期",
                "效力变更日期",
            ],
            Field::Body => &["正文", "全文", "正文内容", "信息内容", "内容"],
        }
    }

    fn keys() -> &'static [(Field, String, usize)] {
        static KEYS: OnceLock<Vec<(Field, String, usize)>> = OnceLock::new();
        KEYS.get_or_init(sheet::synonym_keys::<Field>)
    }
}

// ---------------------------------------------------------------------------
// The template

/// A column of the workbook `gongkai items template` writes, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateColumn {
    pub heading: &'static str,
    pub required: bool,
    /// Written as an Excel date.
    pub date: bool,
    /// What goes in it, for the notes sheet.
    pub help: &'static str,
    /// The example row's value.
    pub example: &'static str,
    /// The values offered in a list, when the column has a fixed set.
    pub choices: &'static [&'static str],
}

const fn tc(
    heading: &'static str,
    required: bool,
    date: bool,
    help: &'static str,
    example: &'static str,
    choices: &'static [&'static str],
) -> TemplateColumn {
    TemplateColumn {
        heading,
        required,
        date,
        help,
        example,
        choices,
    }
}

/// The template's columns, each the canonical heading its field is read by.
pub const TEMPLATE: [TemplateColumn; 14] = [
    tc(
        "索引号",
        false,
        false,
        "信息发布时的索引号，原样保留；留空的由平台按本机关的格式编号（机构代码/年份-序号）。同一索引号只能有一条信息",
        "",
        &[],
    ),
    tc(
        "名称",
        true,
        false,
        "信息的名称（标题），不超过200字",
        "某县市场监督管理局2024年第一季度行政许可办理情况",
        &[],
    ),
    tc(
        "内容概述",
        false,
        false,
        "内容的简要说明，不超过1000字",
        "2024年第一季度受理和办结的行政许可事项及办理结果。",
        &[],
    ),
    tc(
        "发布机构",
        false,
        false,
        "发布信息的机关；留空的按导入时指定的机关",
        "某县市场监督管理局",
        &[],
    ),
    tc(
        "成文日期",
        true,
        true,
        "信息形成的日期：2024-03-05、2024/3/5、2024年3月5日、20240305或Excel日期",
        "2024-04-03",
        &[],
    ),
    tc(
        "发布日期",
        true,
        true,
        "信息公开发布的日期，不早于成文日期，不晚于今天；写法同成文日期",
        "2024-04-08",
        &[],
    ),
    tc(
        "文号",
        false,
        false,
        "发文字号，如 某市监发〔2024〕12号；规章和行政规范性文件必填",
        "",
        &[],
    ),
    tc(
        "主题分类",
        false,
        false,
        "主题分类，如 市场监管、综合政务，不超过50字",
        "市场监管",
        &[],
    ),
    tc(
        "所属栏目",
        true,
        false,
        "《条例》第二十条的一项（如“第二十条第（一）项”“（五）”“5”或栏目名“行政许可和对外管理服务”）、第二十一条，或“政府信息公开制度”；规章和行政规范性文件属于第二十条第（一）项",
        "第二十条第（五）项",
        &[],
    ),
    tc(
        "公开属性",
        false,
        false,
        "已发布的信息均为主动公开；留空按主动公开",
        "主动公开",
        &["主动公开"],
    ),
    tc(
        "文件类型",
        false,
        false,
        "规章或行政规范性文件写明类型（计入年度报告表二）；其他信息留空",
        "",
        &["规章", "行政规范性文件"],
    ),
    tc(
        "有效性",
        false,
        false,
        "规章和行政规范性文件：有效、失效或废止；留空按有效；其他信息留空",
        "",
        &["有效", "失效", "废止"],
    ),
    tc(
        "失效或废止日期",
        false,
        true,
        "有效性为失效或废止时必填，不早于成文日期，不晚于今天",
        "",
        &[],
    ),
    tc(
        "正文",
        false,
        false,
        "正文文字（可留空；附件导入后在控制台上传）",
        "",
        &[],
    ),
];

// ---------------------------------------------------------------------------
// Entry point

/// Reads a file of published items: an .xlsx workbook (the first sheet with
/// a header row) or a CSV file. Every row is checked against `ctx`.
pub fn read_items(
    file_name: &str,
    bytes: &[u8],
    ctx: &ItemsContext<'_>,
) -> Result<ItemsReport, ImportError> {
    let table = sheet::read_table(file_name, bytes, &ITEMS)?;
    let cols = &table.cols;
    let mut notes = table.notes;
    if !cols.has(Field::Publisher) {
        notes.push(format!(
            "文件没有“发布机构”列，全部按“{}”导入",
            ctx.agency.trim()
        ));
    }
    let mut report = ItemsReport {
        sheet: table.sheet,
        header_line: table.header_line,
        columns: table.columns,
        rows: Vec::new(),
        errors: Vec::new(),
        notes,
    };
    let mut seen = Seen::default();
    let mut blank_publisher = Vec::new();
    for row in &table.rows {
        read_row(row, cols, ctx, &mut seen, &mut blank_publisher, &mut report);
    }
    if cols.has(Field::Publisher) && !blank_publisher.is_empty() {
        report.notes.push(format!(
            "{}行没有填写发布机构（第{}行），按“{}”导入",
            blank_publisher.len(),
            lines_list(&blank_publisher),
            ctx.agency.trim()
        ));
    }
    report.notes.extend(table.row_notes);
    Ok(report)
}

/// "3、5、9" (the first ten, then "等").
fn lines_list(lines: &[usize]) -> String {
    let mut s = lines
        .iter()
        .take(10)
        .map(|l| l.to_string())
        .collect::<Vec<_>>()
        .join("、");
    if lines.len() > 10 {
        s.push('等');
    }
    s
}

/// What earlier rows of the file were: by 索引号, and by 名称, 文号 and
/// 成文日期 for rows without one.
#[derive(Default)]
struct Seen {
    index_nos: HashMap<String, usize>,
    titles: HashMap<(String, String, NaiveDate), usize>,
}

// ---------------------------------------------------------------------------
// Values

/// Folds full-width forms and drops spacing and brackets: "第二十条第（一）项"
/// → "第二十条第一项".
fn squeeze(s: &str) -> String {
    s.chars()
        .map(fold_char)
        .filter(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '[' | ']' | '"' | ':' | ','))
        .collect()
}

/// 1–15 from "一" … "十五" or "1" … "15".
fn item_number(s: &str) -> Option<usize> {
    if let Ok(n) = s.parse::<usize>() {
        return (1..=15).contains(&n).then_some(n);
    }
    const DIGITS: &str = "一二三四五六七八九";
    let digit = |c: char| DIGITS.chars().position(|d| d == c).map(|i| i + 1);
    let chars: Vec<char> = s.chars().collect();
    let n = match chars.as_slice() {
        [c] if *c == '十' => 10,
        [c] => digit(*c)?,
        ['十', c] => 10 + digit(*c)?,
        _ => return None,
    };
    (1..=15).contains(&n).then_some(n)
}

/// Whether `rest` (what follows an item's number) names `col` or says nothing.
fn names_column(rest: &str, col: &Column) -> bool {
    let rest = normalize(rest.trim_start_matches('项'));
    rest.is_empty() || rest == normalize(col.name) || rest == normalize(col.scope)
}

/// The 第二十一条 column of an agency at `level`.
fn article_21(level: LocalLevel) -> Option<Column> {
    match level {
        LocalLevel::County => Some(ARTICLE_21_COUNTY),
        LocalLevel::Township => Some(ARTICLE_21_TOWNSHIP),
        LocalLevel::None => None,
    }
}

const COLUMN_EXPECTED: &str = "应为《条例》第二十条第（一）至（十五）项之一（如“第二十条第（一）项”“（一）”“1”或栏目名“法规文件”），或第二十一条、政府信息公开制度";

const NO_ARTICLE_21: &str = "本机关不适用《条例》第二十一条（只适用于设区的市级、县级人民政府及其部门和乡（镇）人民政府）：请改为第二十条的一项";

/// The column a cell names: its key, its name or scope, or the article and
/// item in any of the ways offices write them.
fn parse_column(raw: &str, level: LocalLevel) -> Result<Column, String> {
    let s = squeeze(raw);
    if s.is_empty() {
        return Err(format!("所属栏目为空：{COLUMN_EXPECTED}"));
    }
    if let Some(c) = rules::column(&s.to_ascii_lowercase()) {
        return check_level(c, level);
    }
    if let Some(c) = rules::all_columns().find(|c| s == squeeze(c.name) || s == squeeze(c.scope)) {
        return check_level(c, level);
    }
    if ["公开制度", "政府信息公开工作制度", "信息公开制度", "制度"].contains(&s.as_str())
    {
        return Ok(SYSTEM);
    }
    let rest = s.strip_prefix("条例").unwrap_or(&s);
    if let Some(after) = rest.strip_prefix("第二十一条") {
        return match article_21(level) {
            Some(c) if names_column(after, &c) => Ok(c),
            Some(c) => Err(format!(
                "所属栏目“{}”与本机关的第二十一条栏目“{}”不符",
                quote(raw),
                c.name
            )),
            None => Err(NO_ARTICLE_21.to_string()),
        };
    }
    let rest = rest.strip_prefix("第二十条").unwrap_or(rest);
    let rest = rest.strip_prefix('第').unwrap_or(rest);
    // The number: the longest run of numerals at the front.
    let numeral_len = rest
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_digit() || "一二三四五六七八九十".contains(*c))
        .map(|(i, c)| i + c.len_utf8())
        .last()
        .unwrap_or(0);
    let (number, after) = rest.split_at(numeral_len);
    if let Some(k) = item_number(number) {
        let c = ARTICLE_20[k - 1];
        if names_column(after, &c) {
            return Ok(c);
        }
    }
    Err(format!("无法识别的所属栏目：{COLUMN_EXPECTED}"))
}

/// A 第二十一条 column named outright must be the agency's own.
fn check_level(c: Column, level: LocalLevel) -> Result<Column, String> {
    if c.key.starts_with("a21-") && article_21(level).map(|own| own.key) != Some(c.key) {
        return Err(match article_21(level) {
            Some(own) => format!(
                "“{}”不是本机关的第二十一条栏目：本机关的为“{}”",
                c.name, own.name
            ),
            None => NO_ARTICLE_21.to_string(),
        });
    }
    Ok(c)
}

/// 公开属性 of a published item: only 主动公开 (blank reads as it).
fn parse_disclosure(raw: &str) -> Result<(), String> {
    let n = normalize(raw);
    if n.is_empty() || ["主动公开", "主动", "active", "公开", "已公开"].contains(&n.as_str())
    {
        return Ok(());
    }
    if Disclosure::parse(&n).is_some()
        || [
            "依申请",
            "依申请公开",
            "不公开",
            "不予公开",
            "非公开",
            "不主动公开",
        ]
        .contains(&n.as_str())
    {
        return Err(format!(
            "公开属性为“{}”：只能导入已主动公开的信息，不主动公开的信息不导入",
            quote(raw)
        ));
    }
    Err("无法识别的公开属性：已发布的信息应为“主动公开”（或留空）".to_string())
}

/// 文件类型: a 规章, a 行政规范性文件, or neither (blank, 否, 其他 …).
fn parse_doc_kind(raw: &str) -> Result<Option<DocumentKind>, String> {
    let n = normalize(raw);
    let none = [
        "",
        "否",
        "无",
        "不是",
        "其他",
        "其它",
        "一般",
        "一般文件",
        "普通",
        "普通文件",
        "-",
        "/",
    ];
    if none.contains(&n.as_str()) || n.starts_with('非') || n.starts_with('不') {
        return Ok(None);
    }
    if n == "是" {
        return Ok(Some(DocumentKind::Normative));
    }
    DocumentKind::parse(&n)
        .map(Some)
        .ok_or_else(|| "无法识别的文件类型：应为“规章”或“行政规范性文件”，其他信息留空".to_string())
}

/// 有效性.
fn parse_validity(raw: &str) -> Result<Option<Validity>, String> {
    let n = normalize(raw);
    Ok(match n.as_str() {
        "" => None,
        "有效" | "现行有效" | "valid" | "是" => Some(Validity::Valid),
        "失效" | "已失效" | "宣布失效" | "expired" => Some(Validity::Expired),
        "废止" | "已废止" | "废除" | "已废除" | "repealed" => Some(Validity::Repealed),
        _ => return Err("无法识别的有效性：应为“有效”“失效”或“废止”".to_string()),
    })
}

// ---------------------------------------------------------------------------
// Rows

/// The column a field of [`ItemDraft::problems`] is read from.
fn draft_field(name: &str) -> Field {
    match name {
        "title" => Field::Title,
        "summary" => Field::Summary,
        "body" => Field::Body,
        "publisher" => Field::Publisher,
        "written_on" | "changed_on" => Field::Written,
        "doc_no" => Field::DocNo,
        "topic" => Field::Topic,
        "column" => Field::Column,
        _ => Field::Disclosure,
    }
}

/// The problems of one row, each reported once per field.
struct RowCheck<'a> {
    row: &'a Row,
    cols: &'a Columns<Field>,
    errors: Vec<RowError>,
    /// Fields already reported: the draft's own check says nothing more of them.
    failed: HashSet<Field>,
}

impl RowCheck<'_> {
    fn err(&mut self, f: Field, message: String) {
        self.failed.insert(f);
        self.errors.push(RowError {
            line: self.row.line,
            column: self.cols.heading(f),
            value: quote(&self.cols.value(self.row, f).shown()),
            message,
        });
    }

    fn failed(&self, f: Field) -> bool {
        self.failed.contains(&f)
    }

    fn value(&self, f: Field) -> Value {
        self.cols.value(self.row, f)
    }

    fn text(&self, f: Field) -> String {
        self.value(f).shown()
    }

    /// A date field, `name` leading its message.
    fn date(&mut self, f: Field, name: &str) -> Option<NaiveDate> {
        match sheet::parse_date(&self.value(f), FIRST_YEAR) {
            Ok(d) => Some(d),
            Err(why) => {
                self.err(f, format!("{name}{why}"));
                None
            }
        }
    }
}

fn read_row(
    row: &Row,
    cols: &Columns<Field>,
    ctx: &ItemsContext<'_>,
    seen: &mut Seen,
    blank_publisher: &mut Vec<usize>,
    report: &mut ItemsReport,
) {
    let line = row.line;
    let mut c = RowCheck {
        row,
        cols,
        errors: Vec::new(),
        failed: HashSet::new(),
    };

    // 名称
    let title = c.text(Field::Title);
    if title.is_empty() {
        c.err(
            Field::Title,
            "名称为空：应填写这条政府信息的名称（标题）".to_string(),
        );
    }

    // 索引号
    let index_no = c.text(Field::IndexNo);
    let index_no = if index_no.is_empty() {
        None
    } else if index_no.chars().count() > INDEX_NO_MAX {
        c.err(
            Field::IndexNo,
            format!("索引号过长（超过{INDEX_NO_MAX}字）：应为信息发布时的索引号"),
        );
        None
    } else if index_no.chars().any(char::is_control) {
        c.err(
            Field::IndexNo,
            "索引号中有换行或控制字符：应为一行文字".to_string(),
        );
        None
    } else {
        match seen.index_nos.get(&index_no) {
            Some(first) => c.err(
                Field::IndexNo,
                format!("索引号与第{first}行重复：同一索引号只能有一条信息"),
            ),
            None => {
                seen.index_nos.insert(index_no.clone(), line);
            }
        }
        Some(index_no)
    };

    // 成文日期, 发布日期
    let written = c.date(Field::Written, "成文日期");
    let published = c.date(Field::Published, "发布日期");
    if let Some(p) = published {
        if let Some(w) = written.filter(|w| p < *w) {
            c.err(
                Field::Published,
                format!("发布日期早于成文日期（{w}）：应在成文之日或之后"),
            );
        } else if p > ctx.today {
            c.err(
                Field::Published,
                format!(
                    "发布日期不能晚于今天（{}）：只导入已经发布的信息",
                    ctx.today
                ),
            );
        }
    }

    // 所属栏目
    let column = match parse_column(&c.text(Field::Column), ctx.level) {
        Ok(col) => col.key.to_string(),
        Err(why) => {
            c.err(Field::Column, why);
            String::new()
        }
    };

    // 公开属性
    if let Err(why) = parse_disclosure(&c.text(Field::Disclosure)) {
        c.err(Field::Disclosure, why);
    }

    // 文件类型, 有效性, 失效或废止日期
    let doc_kind = match parse_doc_kind(&c.text(Field::DocKind)) {
        Ok(k) => k,
        Err(why) => {
            c.err(Field::DocKind, why);
            None
        }
    };
    let validity = match parse_validity(&c.text(Field::Validity)) {
        Ok(v) => v,
        Err(why) => {
            c.err(Field::Validity, why);
            None
        }
    };
    let validity = match validity {
        Some(v @ (Validity::Expired | Validity::Repealed)) => {
            if doc_kind.is_none() && !c.failed(Field::DocKind) {
                c.err(
                    Field::Validity,
                    format!(
                        "只有规章和行政规范性文件有有效性：本行的文件类型为空。是规范性文件的，请在“文件类型”列写明；不是的，有效性留空（不能写“{}”）",
                        v.label()
                    ),
                );
                None
            } else if c.value(Field::ValidityOn).is_empty() {
                let f = if cols.has(Field::ValidityOn) {
                    Field::ValidityOn
                } else {
                    Field::Validity
                };
                c.err(f, format!("有效性为“{}”：应填写失效或废止日期", v.label()));
                None
            } else {
                match c.date(Field::ValidityOn, "失效或废止日期") {
                    Some(on) if written.is_some_and(|w| on < w) => {
                        c.err(
                            Field::ValidityOn,
                            "失效或废止日期早于成文日期：应在成文之日或之后".to_string(),
                        );
                        None
                    }
                    Some(on) if on > ctx.today => {
                        c.err(
                            Field::ValidityOn,
                            format!(
                                "失效或废止日期晚于今天（{}）：尚未失效的文件，有效性写“有效”",
                                ctx.today
                            ),
                        );
                        None
                    }
                    Some(on) => Some((v, on)),
                    None => None,
                }
            }
        }
        _ => {
            if !c.value(Field::ValidityOn).is_empty() {
                c.err(
                    Field::ValidityOn,
                    "有效的文件不填写失效或废止日期：已失效或废止的，有效性写“失效”或“废止”"
                        .to_string(),
                );
            }
            None
        }
    };

    // 发布机构
    let mut publisher = c.text(Field::Publisher);
    if publisher.is_empty() {
        if cols.has(Field::Publisher) {
            blank_publisher.push(line);
        }
        publisher = ctx.agency.trim().to_string();
    }

    let draft = ItemDraft {
        title,
        summary: c.text(Field::Summary),
        body: match c.value(Field::Body) {
            Value::Text(s) => s.trim().to_string(),
            v => v.shown(),
        },
        publisher,
        written_on: written,
        changed_on: None,
        doc_no: c.text(Field::DocNo),
        topic: c.text(Field::Topic),
        column,
        disclosure: Some(Disclosure::Active),
        ground: String::new(),
        reason: String::new(),
        doc_kind,
        interprets: None,
    };
    // What a draft may not be (lengths, the 1949 bound, today, a normative
    // document's 文号 and column), for the fields not already reported.
    for (name, message) in draft.problems(ctx.today) {
        let f = draft_field(name);
        if !c.failed(f) {
            c.err(f, message);
        }
    }

    // The same item twice in the file: by 名称, 文号 and 成文日期 when
    // there is no 索引号 to tell them apart.
    if index_no.is_none() && !c.failed(Field::IndexNo) && !c.failed(Field::Title) {
        if let Some(w) = written {
            let key = (
                draft.title.trim().to_string(),
                draft.doc_no.trim().to_string(),
                w,
            );
            match seen.titles.get(&key) {
                Some(first) => c.err(
                    Field::Title,
                    format!(
                        "名称、文号和成文日期都与第{first}行相同：重复的行请删去；确是两条信息的，请分别填写索引号"
                    ),
                ),
                None => {
                    seen.titles.insert(key, line);
                }
            }
        }
    }

    if !c.errors.is_empty() {
        report.errors.append(&mut c.errors);
        return;
    }
    let (Some(_), Some(published_on)) = (written, published) else {
        return;
    };
    report.rows.push(ItemRow {
        line,
        index_no,
        draft,
        published_on,
        validity,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const AGENCY: &str = "某县市场监督管理局";

    fn ctx() -> ItemsContext<'static> {
        ItemsContext {
            agency: AGENCY,
            level: LocalLevel::County,
            today: date(2026, 3, 10),
        }
    }

    fn csv(text: &str) -> ItemsReport {
        read_items("items.csv", text.as_bytes(), &ctx()).unwrap()
    }

    const HEAD: &str = "索引号,名称,内容概述,发布机构,成文日期,发布日期,文号,主题分类,所属栏目,公开属性,文件类型,有效性,失效或废止日期\n";

    /// (line, heading) of every error.
    fn where_(r: &ItemsReport) -> Vec<(usize, Option<&str>)> {
        r.errors
            .iter()
            .map(|e| (e.line, e.column.as_deref()))
            .collect()
    }

    #[test]
    fn good_rows_are_read_with_every_field() {
        let r = csv(&format!(
            "{HEAD}\
             11320800MB0000000X/2024-00017,关于规范个体工商户登记的若干规定,规范登记程序。,某县市场监督管理局,2024-03-01,2024/3/5,某市监规〔2024〕1号,市场监管,第二十条第（一）项,主动公开,行政规范性文件,有效,\n\
             ,2023年行政许可办理情况,,,2024年1月5日,20240108,,综合政务,（五）,,,,\n\
             ,旧规定,,某县工商行政管理局,2015-06-01,2015-06-03,某工商规〔2015〕2号,,法规文件,,规范性文件,废止,2020-12-31\n\
             ,应急预案,,,2025-02-10,2025-02-11,,,第二十条第十二项 应急管理,,,,\n\
             ,重点领域,,,2025-02-10,2025-02-12,,,第二十一条,,,,\n\
             ,本机关制度,,,2025-02-10,2025-02-13,,,政府信息公开制度,,,,\n\
             ,第十五项,,,2025-02-10,2025-02-14,,,15,,,,\n"
        ));
        assert!(r.is_ok(), "{:#?}", r.errors);
        assert_eq!(r.rows.len(), 7);
        let first = &r.rows[0];
        assert_eq!(first.line, 2);
        assert_eq!(
            first.index_no.as_deref(),
            Some("11320800MB0000000X/2024-00017")
        );
        assert_eq!(first.draft.title, "关于规范个体工商户登记的若干规定");
        assert_eq!(first.draft.summary, "规范登记程序。");
        assert_eq!(first.draft.written_on, Some(date(2024, 3, 1)));
        assert_eq!(first.published_on, date(2024, 3, 5));
        assert_eq!(first.draft.doc_no, "某市监规〔2024〕1号");
        assert_eq!(first.draft.topic, "市场监管");
        assert_eq!(first.draft.column, "a20-01");
        assert_eq!(first.draft.disclosure, Some(Disclosure::Active));
        assert_eq!(first.draft.doc_kind, Some(DocumentKind::Normative));
        assert_eq!(first.validity, None, "有效 is the default");
        let second = &r.rows[1];
        assert_eq!(second.index_no, None);
        assert_eq!(second.draft.publisher, AGENCY, "blank: the agency");
        assert_eq!(second.draft.written_on, Some(date(2024, 1, 5)));
        assert_eq!(second.published_on, date(2024, 1, 8));
        assert_eq!(second.draft.column, "a20-05");
        assert_eq!(second.draft.doc_kind, None);
        assert_eq!(
            r.rows[2].validity,
            Some((Validity::Repealed, date(2020, 12, 31)))
        );
        assert_eq!(r.rows[2].draft.column, "a20-01");
        assert_eq!(r.rows[2].draft.publisher, "某县工商行政管理局");
        assert_eq!(r.rows[3].draft.column, "a20-12");
        assert_eq!(r.rows[4].draft.column, "a21-county");
        assert_eq!(r.rows[5].draft.column, "system");
        assert_eq!(r.rows[6].draft.column, "a20-15");
        assert_eq!(
            r.notes,
            ["5行没有填写发布机构（第3、5、6、7、8行），按“某县市场监督管理局”导入"]
        );
    }

    #[test]
    fn bad_dates_are_named_with_what_was_expected() {
        let r = csv(&format!(
            "{HEAD}\
             ,甲,,,2024-02-30,2024-03-01,,,1,,,,\n\
             ,乙,,,明天,2024-03-01,,,1,,,,\n\
             ,丙,,,2024-03-05,2024-03-01,,,1,,,,\n\
             ,丁,,,2024-03-05,2027-01-01,,,1,,,,\n\
             ,戊,,,2026-04-01,2026-04-02,,,1,,,,\n\
             ,己,,,1900-01-01,2024-03-01,,,1,,,,\n\
             ,庚,,,2024-03-05,,,,1,,,,\n"
        ));
        assert_eq!(
            where_(&r),
            [
                (2, Some("成文日期")),
                (3, Some("成文日期")),
                (4, Some("发布日期")),
                (5, Some("发布日期")),
                (6, Some("发布日期")),
                (6, Some("成文日期")),
                (7, Some("成文日期")),
                (8, Some("发布日期")),
            ]
        );
        let msg = |i: usize| r.errors[i].message.as_str();
        assert_eq!(msg(0), "成文日期不是有效的日期：2024年2月没有30日");
        assert!(
            msg(1).starts_with("成文日期无法识别为日期：应写作2025-03-04"),
            "{}",
            msg(1)
        );
        assert_eq!(
            msg(2),
            "发布日期早于成文日期（2024-03-05）：应在成文之日或之后"
        );
        assert!(msg(3).starts_with("发布日期不能晚于今天（2026-03-10）"));
        assert!(msg(5).starts_with("成文日期不能晚于今天"), "{}", msg(5));
        assert!(msg(6).contains("年份1900不合理"), "{}", msg(6));
        assert!(msg(7).starts_with("发布日期为空：应写作"), "{}", msg(7));
        assert_eq!(r.errors[0].value, "2024-02-30");
        assert!(r.rows.is_empty());
        assert_eq!(r.bad_lines(), [2, 3, 4, 5, 6, 7, 8]);
    }

    #[test]
    fn dates_as_text_in_several_forms() {
        let r = csv(&format!(
            "{HEAD},甲,,,2024年3月5日,2024.3.7,,,1,,,,\n,乙,,,2024-03-05T00:00:00,2024-03-06 09:30,,,1,,,,\n"
        ));
        assert!(r.is_ok(), "{:?}", r.errors);
        assert_eq!(r.rows[0].draft.written_on, Some(date(2024, 3, 5)));
        assert_eq!(r.rows[0].published_on, date(2024, 3, 7));
        assert_eq!(r.rows[1].published_on, date(2024, 3, 6));
    }

    #[test]
    fn unknown_or_withheld_disclosure_is_refused() {
        let r = csv(&format!(
            "{HEAD}\
             ,甲,,,2024-03-05,2024-03-06,,,1,依申请公开,,,\n\
             ,乙,,,2024-03-05,2024-03-06,,,1,不予公开,,,\n\
             ,丙,,,2024-03-05,2024-03-06,,,1,半公开,,,\n\
             ,丁,,,2024-03-05,2024-03-06,,,1,主动公开,,,\n\
             ,戊,,,2024-03-05,2024-03-06,,,1,,,,\n"
        ));
        assert_eq!(
            where_(&r),
            [
                (2, Some("公开属性")),
                (3, Some("公开属性")),
                (4, Some("公开属性"))
            ]
        );
        assert!(r.errors[0].message.contains("只能导入已主动公开的信息"));
        assert!(r.errors[1].message.contains("只能导入已主动公开的信息"));
        assert_eq!(
            r.errors[2].message,
            "无法识别的公开属性：已发布的信息应为“主动公开”（或留空）"
        );
        assert_eq!(r.errors[2].value, "半公开");
        assert_eq!(r.rows.len(), 2);
    }

    #[test]
    fn missing_title_and_other_bad_cells() {
        let r = csv(&format!(
            "{HEAD}\
             ,,概述,,2024-03-05,2024-03-06,,,1,,,,\n\
             ,甲,,,2024-03-05,2024-03-06,,,第二十条第（十六）项,,,,\n\
             ,乙,,,2024-03-05,2024-03-06,,,,,,,\n\
             ,丙,,,2024-03-05,2024-03-06,,,（二）法规文件,,,,\n\
             ,丁,,,2024-03-05,2024-03-06,,,1,,红头文件,,\n\
             ,戊,,,2024-03-05,2024-03-06,,,1,,行政规范性文件,,\n\
             ,己,,,2024-03-05,2024-03-06,某发〔2024〕1号,,5,,行政规范性文件,,\n\
             ,庚,,,2024-03-05,2024-03-06,,,1,,,废止,2025-01-01\n\
             ,辛,,,2024-03-05,2024-03-06,某规〔2024〕2号,,1,,规章,失效,\n\
             ,壬,,,2024-03-05,2024-03-06,某规〔2024〕3号,,1,,规章,有效,2025-01-01\n\
             ,癸,,,2024-03-05,2024-03-06,某规〔2024〕4号,,1,,规章,作废,\n\
             ,{},,,2024-03-05,2024-03-06,,,1,,,,\n",
            "长".repeat(201)
        ));
        assert_eq!(
            where_(&r),
            [
                (2, Some("名称")),
                (3, Some("所属栏目")),
                (4, Some("所属栏目")),
                (5, Some("所属栏目")),
                (6, Some("文件类型")),
                (7, Some("文号")),
                (8, Some("所属栏目")),
                (9, Some("有效性")),
                (10, Some("失效或废止日期")),
                (11, Some("失效或废止日期")),
                (12, Some("有效性")),
                (13, Some("名称")),
            ]
        );
        let msg = |i: usize| r.errors[i].message.as_str();
        assert_eq!(msg(0), "名称为空：应填写这条政府信息的名称（标题）");
        assert!(msg(1).starts_with("无法识别的所属栏目：应为《条例》第二十条"));
        assert!(msg(2).starts_with("所属栏目为空"));
        assert!(msg(3).starts_with("无法识别的所属栏目"), "{}", msg(3));
        assert!(msg(4).starts_with("无法识别的文件类型"));
        assert_eq!(msg(5), "规章和行政规范性文件须有文号");
        assert!(msg(6).starts_with("规章和行政规范性文件属于第二十条第（一）项"));
        assert!(msg(7).starts_with("只有规章和行政规范性文件有有效性"));
        assert_eq!(msg(8), "有效性为“失效”：应填写失效或废止日期");
        assert!(msg(9).starts_with("有效的文件不填写失效或废止日期"));
        assert!(msg(10).starts_with("无法识别的有效性"));
        assert_eq!(msg(11), "名称不能超过200个字");
        assert!(r.errors[11].value.ends_with('…'), "long values shortened");
        assert!(r.rows.is_empty());
    }

    #[test]
    fn duplicates_within_the_file_are_named_after_the_first() {
        let r = csv(&format!(
            "{HEAD}\
             X/2024-00001,甲,,,2024-03-05,2024-03-06,,,1,,,,\n\
              X/2024-00001 ,乙,,,2024-03-05,2024-03-06,,,1,,,,\n\
             ,丙,,,2024-03-05,2024-03-06,,,1,,,,\n\
             ,丙,,,2024-03-05,2024-03-07,,,1,,,,\n\
             ,丙,,,2024-03-06,2024-03-07,,,1,,,,\n\
             X/2024-00002,丙,,,2024-03-05,2024-03-06,,,1,,,,\n\
             ,丙,,,2024-03-05,2024-03-06,某罚〔2024〕1号,,6,,,,\n\
             ,丙,,,2024-03-05,2024-03-06,某罚〔2024〕2号,,6,,,,\n"
        ));
        assert_eq!(where_(&r), [(3, Some("索引号")), (5, Some("名称"))]);
        assert_eq!(
            r.errors[0].message,
            "索引号与第2行重复：同一索引号只能有一条信息"
        );
        assert!(r.errors[1]
            .message
            .starts_with("名称、文号和成文日期都与第4行相同"));
        // Another 成文日期 or 文号, or a 索引号 of its own: another item.
        assert_eq!(r.rows.len(), 6);
    }

    #[test]
    fn the_twenty_first_article_follows_the_agency() {
        let row = "{HEAD},甲,,,2024-03-05,2024-03-06,,,第二十一条,,,,\n";
        let row = row.replace("{HEAD}", HEAD);
        let read = |level| read_items("t.csv", row.as_bytes(), &ItemsContext { level, ..ctx() });
        assert_eq!(
            read(LocalLevel::Township).unwrap().rows[0].draft.column,
            "a21-township"
        );
        let r = read(LocalLevel::None).unwrap();
        assert!(r.errors[0]
            .message
            .starts_with("本机关不适用《条例》第二十一条"));
        let r = csv(&format!(
            "{HEAD},甲,,,2024-03-05,2024-03-06,,,乡镇重点信息,,,,\n"
        ));
        assert!(r.errors[0].message.contains("本机关的为“重点领域信息”"));
    }

    #[test]
    fn columns_in_every_common_form() {
        for (s, key) in [
            ("a20-03", "a20-03"),
            ("第二十条第（三）项", "a20-03"),
            ("第二十条第(三)项", "a20-03"),
            ("第二十条第三项", "a20-03"),
            ("条例第二十条第（三）项", "a20-03"),
            ("（三）", "a20-03"),
            ("3", "a20-03"),
            ("三", "a20-03"),
            ("（三）规划信息", "a20-03"),
            ("规划信息", "a20-03"),
            (
                "国民经济和社会发展规划、专项规划、区域规划及相关政策",
                "a20-03",
            ),
            ("第二十条第（十一）项", "a20-11"),
            ("十五", "a20-15"),
            ("第二十一条", "a21-county"),
            ("重点领域信息", "a21-county"),
            ("公开制度", "system"),
            ("system", "system"),
        ] {
            assert_eq!(
                parse_column(s, LocalLevel::County).map(|c| c.key),
                Ok(key),
                "{s}"
            );
        }
        for s in [
            "0",
            "16",
            "第二十条",
            "第二十条第（一）项 规划信息",
            "其他",
            "二十",
        ] {
            assert!(parse_column(s, LocalLevel::County).is_err(), "{s}");
        }
    }

    #[test]
    fn header_variants_are_read() {
        let text = "信息索引号,标题,摘要,发文机关,生成日期,公开日期,发文字号,主题,栏目（第二十条）,公开方式,是否规范性文件,效力状态,失效日期,正文\n\
                    A/2024-1,甲,概述,某局,2024-03-05,2024-03-06,某规〔2024〕1号,综合,（一）,主动公开,是,已失效,2025-06-30,第一条 正文。\n";
        let r = csv(text);
        assert!(r.is_ok(), "{:?}", r.errors);
        let fields: Vec<&str> = r.columns.iter().map(|c| c.1.as_str()).collect();
        assert_eq!(
            fields,
            [
                "索引号",
                "名称",
                "内容概述",
                "发布机构",
                "成文日期",
                "发布日期",
                "文号",
                "主题分类",
                "所属栏目",
                "公开属性",
                "文件类型",
                "有效性",
                "失效或废止日期",
                "正文"
            ]
        );
        let row = &r.rows[0];
        assert_eq!(row.index_no.as_deref(), Some("A/2024-1"));
        assert_eq!(row.draft.publisher, "某局");
        assert_eq!(row.draft.body, "第一条 正文。");
        assert_eq!(row.draft.doc_kind, Some(DocumentKind::Normative));
        assert_eq!(row.validity, Some((Validity::Expired, date(2025, 6, 30))));

        // Another order, "必填" marks, a typo, a column not known, GBK.
        let text = "发布日期（必填）,所属栏目*,名称（必填）,成文曰期,备注\n2024-03-06,1,甲,2024-03-05,无\n";
        let (gbk, _, _) = encoding_rs::GB18030.encode(text);
        let r = read_items("t.csv", &gbk, &ctx()).unwrap();
        assert!(r.is_ok(), "{:?}", r.errors);
        assert!(r
            .columns
            .contains(&("成文曰期".into(), "成文日期".into(), true)));
        assert!(r.notes.contains(&"列“备注”未能识别，未导入".to_string()));
        assert!(r
            .notes
            .contains(&"文件按GBK（GB18030）编码读取".to_string()));
        assert!(r
            .notes
            .contains(&"文件没有“发布机构”列，全部按“某县市场监督管理局”导入".to_string()));
        assert_eq!(r.rows[0].draft.written_on, Some(date(2024, 3, 5)));
    }

    #[test]
    fn a_file_without_the_required_columns_is_refused() {
        let e = read_items(
            "t.csv",
            "名称,成文日期,发布日期\n甲,2024-03-05,2024-03-06\n".as_bytes(),
            &ctx(),
        )
        .unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("文件缺少必需的列：所属栏目"), "{msg}");
        assert!(msg.contains("栏目"), "{msg}");
        let e = read_items("t.csv", "a,b,c\n1,2,3\n".as_bytes(), &ctx()).unwrap_err();
        assert!(matches!(e, ImportError::NoHeader { .. }));
        assert!(
            e.to_string().contains("名称、成文日期、发布日期、所属栏目"),
            "{e}"
        );
    }

    #[test]
    fn footers_and_repeated_headers_are_skipped_with_a_note() {
        let r = csv(&format!(
            "{HEAD},甲,,,2024-03-05,2024-03-06,,,1,,,,\n{HEAD}合计：1条\n"
        ));
        assert!(r.is_ok(), "{:?}", r.errors);
        assert_eq!(r.rows.len(), 1);
        assert!(r.notes.contains(&"第3行是重复的表头，已跳过".to_string()));
        assert!(r.notes.iter().any(|n| n.starts_with("第4行没有名称、成文日期、发布日期、所属栏目，不是一条信息")), "{:?}", r.notes);
    }

    #[test]
    fn the_template_headings_are_the_fields_labels() {
        let head: Vec<&str> = TEMPLATE.iter().map(|c| c.heading).collect();
        let example: Vec<&str> = TEMPLATE.iter().map(|c| c.example).collect();
        let text = format!("{}\n{}\n", head.join(","), example.join(","));
        let r = csv(&text);
        assert!(r.is_ok(), "{:?}", r.errors);
        assert!(
            r.columns.iter().all(|c| !c.2 && c.0 == c.1),
            "{:?}",
            r.columns
        );
        assert_eq!(r.columns.len(), TEMPLATE.len());
        assert_eq!(r.rows.len(), 1);
        for c in TEMPLATE.iter().filter(|c| c.required) {
            assert!(
                REQUIRED.iter().any(|f| f.label() == c.heading),
                "{}",
                c.heading
            );
        }
    }

    #[test]
    fn garbage_never_panics() {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for len in [1usize, 7, 300, 5000] {
            for _ in 0..20 {
                let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
                let _ = read_items("x.csv", &bytes, &ctx());
                let mut zipped = b"PK\x03\x04".to_vec();
                zipped.extend_from_slice(&bytes);
                let _ = read_items("x.xlsx", &zipped, &ctx());
            }
        }
        // Cells of every kind in every column.
        let cells = [
            "",
            "0",
            "-1",
            "1e308",
            "NaN",
            "第二十条第（",
            "（）",
            "十十",
            "9999-99-99",
            "\u{1}",
            "2024-03-05",
            "（一）",
            "废止",
            "是",
        ];
        let mut text = String::from(HEAD);
        for i in 0..400 {
            let row: Vec<&str> = (0..13)
                .map(|k| cells[(i * 7 + k * 3) % cells.len()])
                .collect();
            text.push_str(&row.join(","));
            text.push('\n');
        }
        let r = csv(&text);
        assert!(r.rows.len() + r.bad_lines().len() <= 400);
    }
}
