//! Importing the 台账 offices already keep: an Excel workbook (.xlsx) or a CSV
//! file (UTF-8 with or without BOM, UTF-16 with BOM, or GBK/GB18030).
//!
//! The header row is found by its headings (编号, 收到日期, 申请人 …), matched
//! the way report labels are: normalised, then exactly or by a synonym, then by
//! containment or within a small edit distance (reported as fuzzy). Every row
//! that cannot be read is reported with its line, column, value and what was
//! expected; the store refuses the whole file when there is any. Nothing here
//! reads the clock or the disk, and no input makes it panic.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::Cursor;
use std::sync::OnceLock;

use calamine::{DataRef, Reader, Xlsx, XlsxError};
use chrono::{Datelike, NaiveDate};
use gongkai_template::text::{edit_distance, fold_char, normalize, typo_budget};
use serde::Serialize;

use crate::model::{Applicant, ApplicantKind, Channel, NewApplication, Outcome};

/// One application read from a row of the ledger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportedApplication {
    /// 1-based row in the sheet, or the line of the CSV where the record starts.
    pub line: usize,
    pub application: NewApplication,
    /// The reply and its outcome, when the case is closed.
    pub reply: Option<(NaiveDate, Outcome)>,
    /// The 备注 column, and what the import assumed for this row (joined by "；").
    pub note: String,
}

/// A row (or cell) that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub line: usize,
    /// The heading as written in the ledger; `None` when the column is absent.
    pub column: Option<String>,
    /// The value as written (shortened when very long).
    pub value: String,
    /// What is wrong and what was expected, in Chinese.
    pub message: String,
}

/// What was read from a ledger file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportReport {
    /// The worksheet read (`None` for CSV).
    pub sheet: Option<String>,
    /// 1-based line of the header row.
    pub header_line: usize,
    /// The columns read: heading as written, field label, matched fuzzily.
    pub columns: Vec<(String, String, bool)>,
    pub rows: Vec<ImportedApplication>,
    pub errors: Vec<RowError>,
    /// What the import assumed or skipped, for the clerk to confirm.
    pub notes: Vec<String>,
}

impl ImportReport {
    /// True when every row could be read.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
}

/// The file as a whole cannot be read.
#[derive(Debug)]
pub enum ImportError {
    /// The file is empty.
    Empty,
    /// Neither an .xlsx workbook nor a CSV text file.
    NotLedger(&'static str),
    /// An old binary Excel file (.xls).
    OldExcel,
    /// The workbook is protected by a password.
    Password,
    /// The workbook is damaged or incomplete (technical detail for the log).
    Damaged(String),
    /// The workbook has no worksheet.
    NoSheet,
    /// No row looks like a header row.
    NoHeader { sheets: Vec<String> },
    /// The header row lacks required columns.
    MissingColumns {
        sheet: Option<String>,
        header_line: usize,
        missing: Vec<&'static str>,
        headings: Vec<String>,
    },
    /// More cells than a ledger can sensibly have.
    TooLarge,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Empty => f.write_str("文件是空的，应为Excel工作簿（.xlsx）或CSV文件"),
            ImportError::NotLedger(what) => write!(
                f,
                "无法识别的文件格式（{what}）：应为Excel工作簿（.xlsx）或CSV文件"
            ),
            ImportError::OldExcel => f.write_str(
                "这是旧版Excel文件（.xls），请在Excel中“另存为”Excel工作簿（.xlsx）或CSV后再导入",
            ),
            ImportError::Password => f.write_str("工作簿设有打开密码，请在Excel中取消密码后再导入"),
            ImportError::Damaged(_) => f.write_str(
                "Excel工作簿已损坏或不完整，无法读取；请用Excel打开确认后重新保存为.xlsx再导入",
            ),
            ImportError::NoSheet => f.write_str("工作簿中没有可读取的工作表"),
            ImportError::NoHeader { sheets } => {
                let place = if sheets.is_empty() {
                    "文件".to_string()
                } else {
                    format!("工作表{}", quoted_list(sheets))
                };
                write!(
                    f,
                    "在{place}的前{HEADER_SCAN}行中没有找到表头行：应有一行列名，如{}",
                    REQUIRED
                        .iter()
                        .map(|f| f.label())
                        .collect::<Vec<_>>()
                        .join("、")
                )
            }
            ImportError::MissingColumns {
                sheet,
                header_line,
                missing,
                headings,
            } => {
                let place = match sheet {
                    Some(s) => format!("工作表“{s}”第{header_line}行"),
                    None => format!("第{header_line}行"),
                };
                write!(
                    f,
                    "台账缺少必需的列：{}。{place}的表头为：{}；必需的列为{}（也可写作{}）",
                    missing.join("、"),
                    headings.join("、"),
                    REQUIRED
                        .iter()
                        .map(|f| f.label())
                        .collect::<Vec<_>>()
                        .join("、"),
                    missing
                        .iter()
                        .filter_map(|m| Field::ALL.iter().find(|f| f.label() == *m))
                        .map(|f| f
                            .synonyms()
                            .iter()
                            .skip(1)
                            .take(3)
                            .copied()
                            .collect::<Vec<_>>()
                            .join("/"))
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join("；")
                )
            }
            ImportError::TooLarge => write!(
                f,
                "台账过大（超过{MAX_CELLS}个单元格），请按年度拆分后分别导入"
            ),
        }
    }
}

impl std::error::Error for ImportError {}

fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("“{s}”"))
        .collect::<Vec<_>>()
        .join("、")
}

/// Rows searched for the header.
const HEADER_SCAN: usize = 50;
/// A header row matches at least this many fields.
const HEADER_MIN: usize = 3;
/// Columns read; cells further right are ignored.
const MAX_COLS: usize = 128;
/// Non-empty cells read from one sheet or file.
const MAX_CELLS: usize = 2_000_000;
/// Longest text kept in a field.
const MAX_FIELD_CHARS: usize = 5_000;
/// Longest value quoted back in an error.
const MAX_QUOTE_CHARS: usize = 60;

// ---------------------------------------------------------------------------
// Fields and headings

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Field {
    Number,
    Received,
    Name,
    Kind,
    IdDocument,
    Contact,
    Channel,
    Request,
    Form,
    Replied,
    Outcome,
    Note,
}

const REQUIRED: [Field; 4] = [Field::Received, Field::Name, Field::Kind, Field::Request];

impl Field {
    const ALL: [Field; 12] = [
        Field::Number,
        Field::Received,
        Field::Name,
        Field::Kind,
        Field::IdDocument,
        Field::Contact,
        Field::Channel,
        Field::Request,
        Field::Form,
        Field::Replied,
        Field::Outcome,
        Field::Note,
    ];

    fn label(self) -> &'static str {
        self.synonyms()[0]
    }

    /// The canonical heading first, then the words offices use for it.
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Field::Number => &[
                "编号",
                "序号",
                "申请编号",
                "登记编号",
                "受理编号",
                "登记号",
                "流水号",
                "申请序号",
            ],
            Field::Received => &[
                "收到日期",
                "收文日期",
                "申请日期",
                "受理日期",
                "收到申请日期",
                "收到申请时间",
                "收到时间",
                "收文时间",
                "申请时间",
                "受理时间",
                "登记日期",
                "登记时间",
                "收件日期",
                "接收日期",
            ],
            Field::Name => &[
                "申请人",
                "姓名",
                "名称",
                "申请人姓名",
                "申请人名称",
                "申请人姓名名称",
                "申请人姓名或名称",
                "姓名名称",
                "姓名或名称",
                "申请人单位",
                "申请单位",
            ],
            Field::Kind => &[
                "申请人类型",
                "申请人类别",
                "申请人性质",
                "申请人身份",
                "申请主体类型",
                "申请主体",
                "类型",
                "类别",
            ],
            Field::IdDocument => &[
                "证件号码",
                "证件号",
                "身份证号码",
                "身份证号",
                "身份证件号码",
                "证件类型及号码",
                "统一社会信用代码",
                "证件名称及号码",
                "身份证明",
            ],
            Field::Contact => &[
                "联系方式",
                "联系电话",
                "电话",
                "手机",
                "手机号码",
                "地址",
                "联系地址",
                "通讯地址",
                "通信地址",
                "邮寄地址",
                "电子邮箱",
                "邮箱",
                "邮政编码",
            ],
            Field::Channel => &[
                "申请方式",
                "申请渠道",
                "提交方式",
                "申请途径",
                "受理方式",
                "收件方式",
                "来件方式",
                "申请形式",
            ],
            Field::Request => &[
                "申请内容",
                "所需信息",
                "所需信息内容",
                "所需信息内容描述",
                "所需政府信息",
                "所需政府信息的内容描述",
                "申请公开内容",
                "申请公开的内容",
                "申请公开的政府信息",
                "申请公开信息内容",
                "申请公开的信息内容",
                "申请信息内容",
                "申请事项",
                "内容描述",
                "信息内容",
            ],
            Field::Form => &[
                "获取方式",
                "载体形式",
                "获取信息方式",
                "获取信息的方式",
                "提供形式",
                "提供方式",
                "信息载体",
                "载体形式要求",
                "形式要求",
                "所需信息的载体形式",
            ],
            Field::Replied => &[
                "答复日期",
                "办结日期",
                "答复时间",
                "办结时间",
                "回复日期",
                "回复时间",
                "告知日期",
                "答复告知日期",
                "出具答复日期",
            ],
            Field::Outcome => &[
                "办理结果",
                "答复结果",
                "处理结果",
                "答复情况",
                "办理情况",
                "处理情况",
                "答复类型",
                "处理决定",
                "答复意见",
                "答复结论",
                "结果",
            ],
            Field::Note => &["备注", "说明", "备考"],
        }
    }

    /// Fields that may have several columns (joined when read).
    fn multi(self) -> bool {
        matches!(self, Field::Contact | Field::Note)
    }
}

/// A heading in the form it is compared in: [`normalize`]d, with slashes and
/// "必填" marks removed.
fn heading_key(s: &str) -> String {
    let n: String = normalize(s)
        .chars()
        .filter(|c| !matches!(c, '/' | '\\' | '-' | '~' | '+'))
        .collect();
    let n = n.strip_suffix("必填").unwrap_or(&n);
    let n = n.strip_suffix("选填").unwrap_or(n);
    n.to_string()
}

/// Every synonym in its compared form, with its field and length in characters.
fn synonym_keys() -> &'static [(Field, String, usize)] {
    static KEYS: OnceLock<Vec<(Field, String, usize)>> = OnceLock::new();
    KEYS.get_or_init(|| {
        Field::ALL
            .iter()
            .flat_map(|f| {
                f.synonyms().iter().map(move |s| {
                    let k = heading_key(s);
                    let n = k.chars().count();
                    (*f, k, n)
                })
            })
            .collect()
    })
}

/// Which field a heading names, and whether only fuzzily.
fn match_heading(heading: &str) -> Option<(Field, bool)> {
    let key = heading_key(heading);
    if key.is_empty() {
        return None;
    }
    let keys = synonym_keys();
    if let Some((f, _, _)) = keys.iter().find(|(_, k, _)| *k == key) {
        return Some((*f, false));
    }
    let key_len = key.chars().count();
    if key_len > 40 {
        return None;
    }
    // The synonym the heading contains, preferring one at its end (the head
    // noun of a Chinese heading), then the longest: "申请人身份证号码" → 证件号码.
    let mut best: Option<((bool, usize, usize), Field, bool)> = None; // (rank, field, ambiguous)
    for (f, s, len) in keys {
        if *len < 3 {
            continue;
        }
        let Some(at) = key.rfind(s.as_str()) else {
            continue;
        };
        let end = at + s.len();
        let rank = (end == key.len(), *len, end);
        match best {
            Some((r, bf, _)) if r == rank && bf != *f => best = Some((r, bf, true)),
            Some((r, _, _)) if r >= rank => {}
            _ => best = Some((rank, *f, false)),
        }
    }
    match best {
        Some((_, f, false)) => return Some((f, true)),
        Some(_) => return None,
        None => {}
    }
    // A typo: "收到曰期", "申请內容".
    if key_len < 3 {
        return None;
    }
    let mut best: Option<(usize, Field, bool)> = None; // (distance, field, ambiguous)
    for (f, s, len) in keys {
        if *len < 3 || key_len.abs_diff(*len) > 2 {
            continue;
        }
        let d = edit_distance(&key, s);
        if d == 0 || d > typo_budget(*len) {
            continue;
        }
        match best {
            Some((bd, bf, _)) if bd == d && bf != *f => best = Some((d, bf, true)),
            Some((bd, _, _)) if bd <= d => {}
            _ => best = Some((d, *f, false)),
        }
    }
    match best {
        Some((_, f, false)) => Some((f, true)),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Cells and rows

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Empty,
    Text(String),
    Int(i64),
    Number(f64),
    Date(NaiveDate),
}

impl Value {
    fn text(s: &str) -> Value {
        if s.trim().is_empty() {
            Value::Empty
        } else {
            Value::Text(s.to_string())
        }
    }

    fn is_empty(&self) -> bool {
        matches!(self, Value::Empty)
    }

    /// The value as the clerk sees it: numbers without a trailing ".0",
    /// dates as 2025-03-04.
    fn shown(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(s) => s.trim().to_string(),
            Value::Int(i) => i.to_string(),
            Value::Number(f) => format_number(*f),
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        }
    }
}

fn format_number(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

fn from_data(d: DataRef<'_>) -> Value {
    match d {
        DataRef::Empty => Value::Empty,
        DataRef::String(s) => Value::text(&s),
        DataRef::SharedString(s) => Value::text(s),
        DataRef::Int(i) => Value::Int(i),
        DataRef::Float(f) => Value::Number(f),
        DataRef::Bool(b) => Value::Text(if b { "TRUE" } else { "FALSE" }.to_string()),
        DataRef::DateTime(dt) => {
            if dt.is_datetime() {
                match dt.as_datetime() {
                    Some(t) => Value::Date(t.date()),
                    None => Value::Number(dt.as_f64()),
                }
            } else {
                Value::Number(dt.as_f64())
            }
        }
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::text(&s),
        DataRef::Error(e) => Value::Text(e.to_string()),
    }
}

/// A row of the sheet or CSV, with its 1-based line.
#[derive(Debug)]
struct Row {
    line: usize,
    cells: Vec<Value>,
}

impl Row {
    fn get(&self, col: usize) -> &Value {
        self.cells.get(col).unwrap_or(&Value::Empty)
    }
    fn is_empty(&self) -> bool {
        self.cells.iter().all(Value::is_empty)
    }
}

// ---------------------------------------------------------------------------
// Entry point

/// Reads a ledger: an .xlsx workbook (detected by its zip signature) or a CSV
/// file. In a workbook, the first sheet with a header row is read.
pub fn read_ledger(file_name: &str, bytes: &[u8]) -> Result<ImportReport, ImportError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Empty);
    }
    let lower = file_name.to_lowercase();
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        // calamine is defensive, but a hostile zip is a hostile zip: a panic in
        // the parser is reported as a damaged workbook rather than taking the
        // caller down.
        return match std::panic::catch_unwind(|| read_xlsx(bytes)) {
            Ok(r) => r,
            Err(_) => Err(ImportError::Damaged("parser panicked".into())),
        };
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(ImportError::OldExcel);
    }
    if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
        return Err(ImportError::Damaged("not a zip archive".into()));
    }
    if bytes.starts_with(b"%PDF") {
        return Err(ImportError::NotLedger("PDF文件"));
    }
    let (text, mut notes) = decode_text(bytes)?;
    let rows = read_csv(&text)?;
    let mut report = read_rows(None, &rows)?.ok_or(ImportError::NoHeader { sheets: vec![] })?;
    notes.append(&mut report.notes);
    report.notes = notes;
    Ok(report)
}

// ---------------------------------------------------------------------------
// Xlsx

fn xlsx_error(e: XlsxError) -> ImportError {
    match e {
        XlsxError::Password => ImportError::Password,
        e => ImportError::Damaged(e.to_string()),
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<ImportReport, ImportError> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(xlsx_error)?;
    let names = book.sheet_names();
    if names.is_empty() {
        return Err(ImportError::NoSheet);
    }
    // Merged regions help with two-row headers and merged data cells; a
    // workbook whose merges cannot be read is still read without them.
    let merges_ok = book.load_merged_regions().is_ok();
    let mut first_damage = None;
    let mut read_any = false;
    for name in &names {
        let rows = match sheet_rows(&mut book, name, merges_ok) {
            Ok(r) => r,
            Err(ImportError::Damaged(d)) => {
                // A chart sheet or a damaged sheet: try the next one.
                first_damage.get_or_insert(d);
                continue;
            }
            Err(e) => return Err(e),
        };
        read_any = true;
        let (rows, filled) = rows;
        if let Some(mut report) = read_rows(Some(name.clone()), &rows)? {
            // Merges reaching below the header filled data rows: say so.
            let mut notes: Vec<String> = filled
                .iter()
                .filter(|(_, r1, _)| *r1 as usize + 1 > report.header_line)
                .map(|(r0, r1, c)| {
                    format!(
                        "合并单元格{col}{}:{col}{}的内容已填入所合并的每一行",
                        r0 + 1,
                        r1 + 1,
                        col = column_letters(*c)
                    )
                })
                .collect();
            notes.append(&mut report.notes);
            report.notes = notes;
            return Ok(report);
        }
    }
    match first_damage {
        Some(d) if !read_any => Err(ImportError::Damaged(d)),
        _ => Err(ImportError::NoHeader { sheets: names }),
    }
}

/// "A", "B" … "Z", "AA" … for a 0-based column.
fn column_letters(c: u32) -> String {
    let mut n = c as u64 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        out.push((b'A' + r) as char);
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// A vertical merge filled down: first row, last row, column (0-based).
type Merge = (u32, u32, u32);

/// The rows of one sheet, merged cells filled down, and notes on the merges
/// that were filled.
fn sheet_rows(
    book: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    merges_ok: bool,
) -> Result<(Vec<Row>, Vec<Merge>), ImportError> {
    let mut grid: BTreeMap<u32, BTreeMap<u32, Value>> = BTreeMap::new();
    {
        let mut cells = book.worksheet_cells_reader(name).map_err(xlsx_error)?;
        let mut count = 0usize;
        loop {
            let cell = match cells.next_cell() {
                Ok(Some(c)) => c,
                Ok(None) => break,
                Err(e) => return Err(xlsx_error(e)),
            };
            let (r, c) = cell.get_position();
            if c as usize >= MAX_COLS {
                continue;
            }
            let v = from_data(cell.get_value().clone());
            if v.is_empty() {
                continue;
            }
            count += 1;
            if count > MAX_CELLS {
                return Err(ImportError::TooLarge);
            }
            grid.entry(r).or_default().insert(c, v);
        }
    }
    // Fill vertical merges down their first column: a name or a date merged
    // over the rows of several applications belongs to each of them.
    let mut filled = Vec::new();
    if merges_ok {
        let regions: Vec<_> = book
            .merged_regions_by_sheet(name)
            .into_iter()
            .map(|(_, _, d)| *d)
            .collect();
        for d in regions {
            let (r0, c0) = d.start;
            let (r1, _) = d.end;
            if r1 <= r0 || c0 as usize >= MAX_COLS || r1 - r0 > 10_000 {
                continue;
            }
            let Some(v) = grid.get(&r0).and_then(|row| row.get(&c0)).cloned() else {
                continue;
            };
            for r in r0 + 1..=r1 {
                grid.entry(r)
                    .or_default()
                    .entry(c0)
                    .or_insert_with(|| v.clone());
            }
            filled.push((r0, r1, c0));
        }
    }
    filled.sort_by_key(|&(r0, _, c0)| (r0, c0));
    let rows = grid
        .into_iter()
        .map(|(r, cols)| {
            let width = cols.keys().next_back().map_or(0, |c| *c as usize + 1);
            let mut cells = vec![Value::Empty; width];
            for (c, v) in cols {
                cells[c as usize] = v;
            }
            Row {
                line: r as usize + 1,
                cells,
            }
        })
        .collect();
    Ok((rows, filled))
}

// ---------------------------------------------------------------------------
// CSV

/// Decodes a text file: UTF-8 (BOM or not), UTF-16 with BOM, else GB18030
/// (a superset of GBK). Binary files are refused.
fn decode_text(bytes: &[u8]) -> Result<(String, Vec<String>), ImportError> {
    let mut notes = Vec::new();
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let (text, bad) = encoding_rs::UTF_8.decode_without_bom_handling(rest);
        if bad {
            notes.push("文件中有不合UTF-8编码的字节，已替换为“�”，请核对相关内容".to_string());
        }
        return Ok((text.into_owned(), notes));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (text, _, bad) = encoding_rs::UTF_16LE.decode(bytes);
        if bad {
            notes.push("文件中有不合UTF-16编码的字节，已替换为“�”，请核对相关内容".to_string());
        }
        return Ok((text.into_owned(), notes));
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(ImportError::NotLedger("二进制文件"));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), notes));
    }
    let (text, bad) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    notes.push("文件按GBK（GB18030）编码读取".to_string());
    if bad {
        notes.push("文件中有无法按GBK解码的字节，已替换为“�”，请核对相关内容".to_string());
    }
    Ok((text.into_owned(), notes))
}

/// The delimiter used most in the first lines: comma, tab or semicolon.
fn guess_delimiter(text: &str) -> u8 {
    let head: String = text.lines().take(20).collect::<Vec<_>>().join("\n");
    let count = |c: char| head.chars().filter(|&x| x == c).count();
    let (comma, tab, semi) = (count(','), count('\t'), count(';'));
    if tab > comma && tab >= semi {
        b'\t'
    } else if semi > comma && semi > tab {
        b';'
    } else {
        b','
    }
}

fn read_csv(text: &str) -> Result<Vec<Row>, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(guess_delimiter(text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut count = 0usize;
    let mut record = csv::StringRecord::new();
    // Lines are counted from byte offsets: the reader's own line count lags by
    // one after a CRLF terminator.
    let bytes = text.as_bytes();
    let (mut seen_byte, mut seen_line) = (0usize, 1usize);
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            // The input is valid UTF-8 and the reader is flexible, so this is
            // not expected; stop rather than loop.
            Err(_) => break,
        }
        let mut start = record.position().map_or(seen_byte, |p| {
            (p.byte() as usize).clamp(seen_byte, bytes.len())
        });
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        seen_line += bytes[seen_byte..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        seen_byte = start;
        let line = seen_line;
        let cells: Vec<Value> = record.iter().take(MAX_COLS).map(Value::text).collect();
        count += cells.iter().filter(|v| !v.is_empty()).count();
        if count > MAX_CELLS {
            return Err(ImportError::TooLarge);
        }
        rows.push(Row { line, cells });
    }
    Ok(rows)
}

// ---------------------------------------------------------------------------
// Header and columns

/// The fields a row's cells name, with their columns.
fn row_matches(row: &Row) -> Vec<(usize, String, Field, bool)> {
    row.cells
        .iter()
        .enumerate()
        .filter_map(|(c, v)| {
            let h = v.shown();
            let h = h.trim();
            if h.is_empty() || h.chars().count() > 60 {
                return None;
            }
            match_heading(h).map(|(f, fuzzy)| (c, h.to_string(), f, fuzzy))
        })
        .collect()
}

fn distinct_fields(m: &[(usize, String, Field, bool)]) -> usize {
    let mut fs: Vec<Field> = m.iter().map(|x| x.2).collect();
    fs.sort();
    fs.dedup();
    fs.len()
}

/// The columns read for each field.
struct Columns {
    /// field → (column, heading as written)
    map: BTreeMap<Field, Vec<(usize, String)>>,
}

impl Columns {
    fn first(&self, f: Field) -> Option<&(usize, String)> {
        self.map.get(&f).and_then(|v| v.first())
    }
    fn heading(&self, f: Field) -> Option<String> {
        self.first(f).map(|(_, h)| h.clone())
    }
}

/// Reads a sheet or CSV. `Ok(None)` when it has no header row.
fn read_rows(sheet: Option<String>, rows: &[Row]) -> Result<Option<ImportReport>, ImportError> {
    // The header: the row among the first ones naming the most fields.
    let mut best: Option<(usize, usize)> = None; // (index, score)
    for (i, row) in rows.iter().take(HEADER_SCAN).enumerate() {
        let score = distinct_fields(&row_matches(row));
        if score >= HEADER_MIN && best.is_none_or(|(_, s)| score > s) {
            best = Some((i, score));
        }
    }
    let Some((hi, _)) = best else {
        return Ok(None);
    };
    let header = &rows[hi];
    let matches = row_matches(header);
    let mut notes = Vec::new();

    // Assign columns: exact before fuzzy, then left to right; contact and note
    // may have several columns.
    let mut map: BTreeMap<Field, Vec<(usize, String, bool)>> = BTreeMap::new();
    for pass_fuzzy in [false, true] {
        for (c, h, f, fuzzy) in &matches {
            if *fuzzy != pass_fuzzy {
                continue;
            }
            let entry = map.entry(*f).or_default();
            if entry.is_empty() || f.multi() {
                entry.push((*c, h.clone(), *fuzzy));
            } else {
                notes.push(format!(
                    "列“{h}”也像是“{}”，已按列“{}”读取，此列未导入",
                    f.label(),
                    entry[0].1
                ));
            }
        }
    }
    for v in map.values_mut() {
        v.sort_by_key(|x| x.0);
    }
    let used: Vec<usize> = map.values().flatten().map(|x| x.0).collect();
    let mut columns: Vec<(usize, String, String, bool)> = map
        .iter()
        .flat_map(|(f, v)| {
            v.iter()
                .map(move |(c, h, fuzzy)| (*c, h.clone(), f.label().to_string(), *fuzzy))
        })
        .collect();
    columns.sort_by_key(|x| x.0);
    for (c, v) in header.cells.iter().enumerate() {
        let h = v.shown();
        if !h.is_empty() && !used.contains(&c) {
            notes.push(format!("列“{}”未能识别，未导入", quote(&h)));
        }
    }
    let missing: Vec<&'static str> = REQUIRED
        .iter()
        .filter(|f| !map.contains_key(f))
        .map(|f| f.label())
        .collect();
    if !missing.is_empty() {
        return Err(ImportError::MissingColumns {
            sheet,
            header_line: header.line,
            missing,
            headings: header
                .cells
                .iter()
                .map(Value::shown)
                .filter(|h| !h.is_empty())
                .map(|h| quote(&h))
                .collect(),
        });
    }
    let cols = Columns {
        map: map
            .into_iter()
            .map(|(f, v)| (f, v.into_iter().map(|(c, h, _)| (c, h)).collect()))
            .collect(),
    };
    if !cols.map.contains_key(&Field::Channel) {
        notes.push("台账没有“申请方式”列，全部申请按“其他”方式计".to_string());
    }
    if !cols.map.contains_key(&Field::Replied) && cols.map.contains_key(&Field::Outcome) {
        notes.push("台账没有“答复日期”列，有办理结果的行无法导入".to_string());
    }

    let mut report = ImportReport {
        sheet,
        header_line: header.line,
        columns: columns
            .into_iter()
            .map(|(_, h, f, fz)| (h, f, fz))
            .collect(),
        rows: Vec::new(),
        errors: Vec::new(),
        notes,
    };
    let mut numbers: HashMap<String, usize> = HashMap::new();
    let mut skipped: Vec<(usize, String)> = Vec::new();
    for row in &rows[hi + 1..] {
        if row.is_empty() {
            continue;
        }
        if REQUIRED
            .iter()
            .all(|f| field_value(row, &cols, *f).is_empty())
        {
            let preview = row
                .cells
                .iter()
                .map(Value::shown)
                .find(|s| !s.is_empty())
                .unwrap_or_default();
            skipped.push((row.line, preview));
            continue;
        }
        let m = row_matches(row);
        if distinct_fields(&m) >= HEADER_MIN && m.iter().all(|m| !m.3) {
            report
                .notes
                .push(format!("第{}行是重复的表头，已跳过", row.line));
            continue;
        }
        read_row(row, &cols, &mut numbers, &mut report);
    }
    report.notes.extend(skipped_notes(&skipped));
    Ok(Some(report))
}

/// Notes for rows without any of the required fields (footers, pre-numbered
/// empty rows), one per run of consecutive lines.
fn skipped_notes(skipped: &[(usize, String)]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < skipped.len() {
        let mut j = i;
        while j + 1 < skipped.len() && skipped[j + 1].0 == skipped[j].0 + 1 {
            j += 1;
        }
        let what = REQUIRED.map(|f| f.label()).join("、");
        if i == j {
            out.push(format!(
                "第{}行没有{what}，不是一件申请，已跳过（“{}”）",
                skipped[i].0,
                quote(&skipped[i].1)
            ));
        } else {
            out.push(format!(
                "第{}至{}行没有{what}，不是申请，已跳过",
                skipped[i].0, skipped[j].0
            ));
        }
        i = j + 1;
    }
    out
}

/// The value of a field in a row (several columns joined for contact and note).
fn field_value(row: &Row, cols: &Columns, f: Field) -> Value {
    let Some(v) = cols.map.get(&f) else {
        return Value::Empty;
    };
    if v.len() == 1 {
        return row.get(v[0].0).clone();
    }
    let parts: Vec<String> = v
        .iter()
        .map(|(c, _)| row.get(*c).shown())
        .filter(|s| !s.is_empty())
        .collect();
    if parts.is_empty() {
        Value::Empty
    } else {
        Value::Text(parts.join("；"))
    }
}

fn quote(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > MAX_QUOTE_CHARS {
        let mut q: String = s.chars().take(MAX_QUOTE_CHARS).collect();
        q.push('…');
        q
    } else {
        s.to_string()
    }
}

// ---------------------------------------------------------------------------
// Rows

/// Words in 办理结果 that mean the case is still open.
const OPEN_WORDS: [&str; 10] = [
    "办理中",
    "正在办理",
    "在办",
    "未办结",
    "待答复",
    "处理中",
    "审核中",
    "延期答复",
    "征求意见中",
    "补正中",
];

fn read_row(
    row: &Row,
    cols: &Columns,
    numbers: &mut HashMap<String, usize>,
    report: &mut ImportReport,
) {
    let line = row.line;
    let mut errors: Vec<RowError> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let err = |errors: &mut Vec<RowError>, f: Field, v: &Value, message: String| {
        errors.push(RowError {
            line,
            column: cols.heading(f),
            value: quote(&v.shown()),
            message,
        });
    };
    let text = |errors: &mut Vec<RowError>, f: Field| -> String {
        let v = field_value(row, cols, f);
        let s = v.shown();
        if s.chars().count() > MAX_FIELD_CHARS {
            err(
                errors,
                f,
                &v,
                format!(
                    "{}过长（超过{MAX_FIELD_CHARS}字），请检查是否误粘贴了其他内容",
                    f.label()
                ),
            );
        }
        s
    };

    // 编号
    let number = text(&mut errors, Field::Number);
    let number = if number.is_empty() {
        None
    } else {
        match numbers.get(&number) {
            Some(first) => err(
                &mut errors,
                Field::Number,
                &Value::Text(number.clone()),
                format!("编号与第{first}行重复，同一台账中的编号应各不相同"),
            ),
            None => {
                numbers.insert(number.clone(), line);
            }
        }
        Some(number)
    };

    // 收到日期
    let received_v = field_value(row, cols, Field::Received);
    let received = match parse_date(&received_v) {
        Ok(d) => Some(d),
        Err(why) => {
            err(
                &mut errors,
                Field::Received,
                &received_v,
                format!("收到日期{why}"),
            );
            None
        }
    };

    // 申请人
    let name = text(&mut errors, Field::Name);
    if name.is_empty() {
        err(
            &mut errors,
            Field::Name,
            &Value::Empty,
            "申请人为空：应填写申请人的姓名或单位名称".to_string(),
        );
    }

    // 申请人类型
    let kind_v = field_value(row, cols, Field::Kind);
    let kinds = ApplicantKind::ALL
        .iter()
        .map(|k| k.label())
        .collect::<Vec<_>>()
        .join("、");
    let kind = match ApplicantKind::parse(&kind_v.shown()) {
        Some(k) => Some(k),
        None if kind_v.is_empty() => {
            err(
                &mut errors,
                Field::Kind,
                &kind_v,
                format!("申请人类型为空：应为{kinds}之一"),
            );
            None
        }
        None => {
            err(
                &mut errors,
                Field::Kind,
                &kind_v,
                format!("无法识别的申请人类型：应为{kinds}之一"),
            );
            None
        }
    };

    // 申请方式
    let channel = if cols.map.contains_key(&Field::Channel) {
        let v = field_value(row, cols, Field::Channel);
        match Channel::parse(&v.shown()) {
            Some(c) => c,
            None if v.is_empty() => {
                notes.push("申请方式未填写，按“其他”计".to_string());
                Channel::Other
            }
            None => {
                notes.push(format!(
                    "申请方式“{}”无法识别，按“其他”计",
                    quote(&v.shown())
                ));
                Channel::Other
            }
        }
    } else {
        Channel::Other
    };

    // 申请内容
    let request = text(&mut errors, Field::Request);
    if request.is_empty() {
        err(
            &mut errors,
            Field::Request,
            &Value::Empty,
            "申请内容为空：应填写申请获取的政府信息".to_string(),
        );
    }

    let id_document = text(&mut errors, Field::IdDocument);
    let contact = text(&mut errors, Field::Contact);
    let form = text(&mut errors, Field::Form);
    let remark = text(&mut errors, Field::Note);

    // 答复日期 and 办理结果
    let replied_v = field_value(row, cols, Field::Replied);
    let outcome_v = field_value(row, cols, Field::Outcome);
    let outcome_text = outcome_v.shown();
    let open_word = OPEN_WORDS.iter().any(|w| outcome_text.contains(w));
    let replied = if replied_v.is_empty() {
        None
    } else {
        match parse_date(&replied_v) {
            Ok(d) => {
                if let Some(r) = received {
                    if d < r {
                        err(
                            &mut errors,
                            Field::Replied,
                            &replied_v,
                            format!(
                                "答复日期早于收到日期（{}），应在收到申请之日或之后",
                                r.format("%Y-%m-%d")
                            ),
                        );
                    }
                }
                Some(d)
            }
            Err(why) => {
                err(
                    &mut errors,
                    Field::Replied,
                    &replied_v,
                    format!("答复日期{why}"),
                );
                None
            }
        }
    };
    let outcome = if outcome_v.is_empty() {
        None
    } else if open_word {
        if !replied_v.is_empty() {
            err(
                &mut errors,
                Field::Outcome,
                &outcome_v,
                "办理结果写的是尚在办理，却填写了答复日期：已答复的应填写办理结果，未答复的应删去答复日期"
                    .to_string(),
            );
        } else {
            notes.push(format!(
                "办理结果为“{}”，按尚未办结导入",
                quote(&outcome_text)
            ));
        }
        None
    } else {
        match Outcome::parse(&outcome_text) {
            Some(o) => {
                if o == Outcome::OTHER {
                    notes.push(format!("办理结果：{}", quote(&outcome_text)));
                }
                Some(o)
            }
            None => {
                err(
                    &mut errors,
                    Field::Outcome,
                    &outcome_v,
                    "无法识别的办理结果：应为年度报告表三中的一种情形，如予以公开、部分公开、\
                     不予公开（属于国家秘密）、本机关不掌握相关政府信息、不予处理（重复申请）、\
                     申请人撤回申请"
                        .to_string(),
                );
                None
            }
        }
    };
    if !replied_v.is_empty() && outcome_v.is_empty() {
        let (f, v) = if cols.map.contains_key(&Field::Outcome) {
            (Field::Outcome, &outcome_v)
        } else {
            (Field::Replied, &replied_v)
        };
        err(
            &mut errors,
            f,
            v,
            "填写了答复日期但没有办理结果：已答复的应填写办理结果，未答复的应删去答复日期"
                .to_string(),
        );
    }
    if replied_v.is_empty() && !outcome_v.is_empty() && !open_word {
        err(
            &mut errors,
            Field::Replied,
            &replied_v,
            format!(
                "有办理结果“{}”但没有答复日期：应填写答复日期",
                quote(&outcome_text)
            ),
        );
    }

    if !errors.is_empty() {
        report.errors.append(&mut errors);
        return;
    }
    let (Some(received), Some(kind)) = (received, kind) else {
        return;
    };
    let reply = match (replied, outcome) {
        (Some(d), Some(o)) => Some((d, o)),
        _ => None,
    };
    let mut note_parts = Vec::new();
    if !remark.is_empty() {
        note_parts.push(remark);
    }
    note_parts.extend(notes);
    report.rows.push(ImportedApplication {
        line,
        application: NewApplication {
            number,
            applicant: Applicant {
                kind,
                name,
                id_document,
                contact,
            },
            channel,
            received_on: received,
            request,
            form,
        },
        reply,
        note: note_parts.join("；"),
    });
}

// ---------------------------------------------------------------------------
// Dates

/// Reads a date: an Excel date, an Excel serial number, 20250304, or text
/// such as 2025-03-04, 2025/3/4, 2025.3.4, 2025年3月4日 (a time after it is
/// ignored). The error says what was expected.
fn parse_date(v: &Value) -> Result<NaiveDate, String> {
    const EXPECTED: &str = "应写作2025-03-04、2025/3/4、2025.3.4、2025年3月4日或20250304";
    let d = match v {
        Value::Empty => return Err(format!("为空：{EXPECTED}")),
        Value::Date(d) => *d,
        Value::Int(i) => {
            number_date(*i as f64).ok_or_else(|| format!("无法识别为日期：{EXPECTED}"))?
        }
        Value::Number(f) => number_date(*f).ok_or_else(|| format!("无法识别为日期：{EXPECTED}"))?,
        Value::Text(s) => text_date(s)?,
    };
    if !(1990..=2100).contains(&d.year()) {
        return Err(format!("的年份{}不合理：{EXPECTED}", d.year()));
    }
    Ok(d)
}

/// 20250304, or an Excel serial day number (a date cell that lost its format).
fn number_date(f: f64) -> Option<NaiveDate> {
    if !f.is_finite() || f < 0.0 {
        return None;
    }
    if f.fract() == 0.0 && (19_000_101.0..=21_001_231.0).contains(&f) {
        let n = f as u32;
        return NaiveDate::from_ymd_opt((n / 10_000) as i32, n / 100 % 100, n % 100);
    }
    // Serial numbers of 1990-01-01 … 2100-12-31.
    if (32_874.0..=73_415.0).contains(&f) {
        let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
        return epoch.checked_add_days(chrono::Days::new(f.floor() as u64));
    }
    None
}

fn text_date(s: &str) -> Result<NaiveDate, String> {
    const EXPECTED: &str = "应写作2025-03-04、2025/3/4、2025.3.4、2025年3月4日或20250304";
    let folded: String = s.trim().chars().map(fold_char).collect();
    // Drop a time: "2025-03-04 10:30", "2025-03-04T00:00:00".
    let date_part = folded
        .split(|c: char| c.is_whitespace() || c == 'T')
        .next()
        .unwrap_or("");
    let bad = || format!("无法识别为日期：{EXPECTED}");
    if date_part.len() == 8 && date_part.bytes().all(|b| b.is_ascii_digit()) {
        let (y, m, d) = (&date_part[..4], &date_part[4..6], &date_part[6..]);
        return ymd(y, m, d).ok_or_else(bad)?;
    }
    let parts: Vec<&str> = date_part
        .split(['-', '/', '.', '年', '月', '日', '号'])
        .collect();
    let parts: Vec<&str> = match parts.as_slice() {
        [y, m, d] => vec![y, m, d],
        [y, m, d, rest @ ..] if rest.iter().all(|r| r.is_empty()) => vec![y, m, d],
        _ => return Err(bad()),
    };
    if parts[0].len() != 4
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad());
    }
    ymd(parts[0], parts[1], parts[2]).ok_or_else(bad)?
}

/// A date from its parts, or why the day does not exist.
fn ymd(y: &str, m: &str, d: &str) -> Option<Result<NaiveDate, String>> {
    let (y, m, d) = (
        y.parse::<i32>().ok()?,
        m.parse::<u32>().ok()?,
        d.parse::<u32>().ok()?,
    );
    Some(match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => Ok(date),
        None if !(1..=12).contains(&m) => Err(format!("不是有效的日期：没有{m}月")),
        None => Err(format!("不是有效的日期：{y}年{m}月没有{d}日")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const GOOD: &[u8] = include_bytes!("../../../fixtures/ledger/taizhang_2025_good.xlsx");
    const BAD: &[u8] = include_bytes!("../../../fixtures/ledger/taizhang_2025_bad.xlsx");
    const CSV_2024: &[u8] = include_bytes!("../../../fixtures/ledger/taizhang_2024.csv");
    const MERGED: &[u8] = include_bytes!("../../../fixtures/ledger/taizhang_merged.xlsx");

    fn row(r: &ImportReport, line: usize) -> &ImportedApplication {
        r.rows
            .iter()
            .find(|a| a.line == line)
            .unwrap_or_else(|| panic!("no row at line {line}"))
    }

    #[test]
    fn good_workbook_reads_every_row() {
        let r = read_ledger("taizhang_2025_good.xlsx", GOOD).unwrap();
        assert!(r.is_ok(), "{:#?}", r.errors);
        assert_eq!(r.sheet.as_deref(), Some("2025年台账"));
        assert_eq!(r.header_line, 3);
        assert_eq!(r.rows.len(), 40);
        assert_eq!(r.rows.first().unwrap().line, 4);
        assert_eq!(r.rows.last().unwrap().line, 43);
        let fields: Vec<&str> = r.columns.iter().map(|c| c.1.as_str()).collect();
        assert_eq!(
            fields,
            [
                "编号",
                "收到日期",
                "申请人",
                "申请人类型",
                "证件号码",
                "联系方式",
                "申请方式",
                "申请内容",
                "获取方式",
                "答复日期",
                "办理结果",
                "备注"
            ]
        );
        assert!(
            r.columns.iter().all(|c| !c.2),
            "no fuzzy heading: {:?}",
            r.columns
        );
        assert_eq!(r.columns[5].0, "联系电话");

        // Numbers are kept as the office wrote them: 1.0 in Excel is "1".
        let first = row(&r, 4);
        assert_eq!(first.application.number.as_deref(), Some("1"));
        assert_eq!(first.application.received_on, date(2025, 1, 6));
        assert_eq!(first.application.applicant.name, "张某");
        assert_eq!(
            first.application.applicant.kind,
            ApplicantKind::NaturalPerson
        );
        assert_eq!(first.application.applicant.contact, "138****0101");
        assert_eq!(first.application.channel, Channel::Online);
        assert_eq!(first.application.request, "本村2024年征地补偿安置方案");
        assert_eq!(first.application.form, "电子文档");
        assert_eq!(first.reply, Some((date(2025, 1, 20), Outcome::GRANTED)));
        assert_eq!(row(&r, 43).application.number.as_deref(), Some("40"));

        // A date typed as text, and a reply date typed with dots.
        assert_eq!(row(&r, 13).application.received_on, date(2025, 3, 18));
        assert_eq!(
            row(&r, 18).reply,
            Some((date(2025, 5, 16), Outcome::GRANTED))
        );

        let key = |line| row(&r, line).reply.map(|(_, o)| o.key());
        assert_eq!(key(5), Some("partially_granted"));
        assert_eq!(key(6), Some("unavailable.not_held"));
        assert_eq!(key(8), Some("withheld.state_secret"));
        assert_eq!(key(9), Some("withheld.enforcement_case_file"));
        assert_eq!(key(12), Some("withheld.third_party_rights"));
        assert_eq!(key(13), Some("unavailable.requires_compilation"));
        assert_eq!(key(14), Some("not_processed.petition_complaint"));
        assert_eq!(key(20), Some("withheld.process_information"));
        assert_eq!(key(22), Some("not_processed.repeated"));
        assert_eq!(key(23), Some("not_processed.publication"));
        assert_eq!(key(24), Some("withheld.internal_affairs"));
        assert_eq!(key(28), Some("other.no_correction"));
        assert_eq!(key(31), Some("other.other"));
        assert_eq!(key(33), Some("withheld.query_service"));
        assert_eq!(key(35), Some("withheld.security_stability"));
        assert_eq!(key(36), Some("not_processed.confirmation"));
        assert_eq!(key(38), Some("not_processed.excessive"));
        // Open cases.
        assert_eq!(key(41), None);
        assert_eq!(key(42), None);
        assert_eq!(key(43), None);
        assert_eq!(r.rows.iter().filter(|a| a.reply.is_none()).count(), 3);

        // Kinds.
        assert_eq!(
            row(&r, 6).application.applicant.kind,
            ApplicantKind::Business
        );
        assert_eq!(
            row(&r, 9).application.applicant.kind,
            ApplicantKind::LegalService
        );
        assert_eq!(
            row(&r, 15).application.applicant.kind,
            ApplicantKind::SocialWelfare
        );
        assert_eq!(
            row(&r, 17).application.applicant.kind,
            ApplicantKind::Research
        );
        assert_eq!(
            row(&r, 33).application.applicant.kind,
            ApplicantKind::OtherOrg
        );
        assert_eq!(
            row(&r, 42).application.applicant.kind,
            ApplicantKind::OtherOrg
        );
        assert_eq!(row(&r, 42).application.applicant.id_document, "");

        // Notes: the 备注, and what the import assumed.
        assert_eq!(row(&r, 11).note, "当场答复");
        assert_eq!(row(&r, 27).application.channel, Channel::Other);
        assert_eq!(row(&r, 27).note, "申请方式未填写，按“其他”计");
        assert_eq!(row(&r, 31).note, "办理结果：申请人撤回申请");
        assert_eq!(row(&r, 41).note, "办理结果为“办理中”，按尚未办结导入");
        assert_eq!(row(&r, 35).application.channel, Channel::Fax);
        assert_eq!(row(&r, 7).application.channel, Channel::Email);
        assert_eq!(row(&r, 6).application.channel, Channel::InPerson);
        assert_eq!(row(&r, 9).application.channel, Channel::Post);

        // The signature line under the table is not an application.
        assert_eq!(
            r.notes,
            [
                "第46行没有收到日期、申请人、申请人类型、申请内容，不是一件申请，已跳过（“填表人：李某　　审核人：王某”）"
            ]
        );
    }

    #[test]
    fn bad_workbook_reports_every_bad_row() {
        let r = read_ledger("taizhang_2025_bad.xlsx", BAD).unwrap();
        assert!(!r.is_ok());
        assert_eq!(r.rows.len(), 35);
        let got: Vec<(usize, Option<&str>, &str)> = r
            .errors
            .iter()
            .map(|e| (e.line, e.column.as_deref(), e.value.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (8, Some("收到日期"), "2025-02-30"),
                (12, Some("申请人类型"), "个体户户"),
                (16, Some("答复日期"), "2025-03-28"),
                (20, Some("办理结果"), "已处理"),
                (26, Some("编号"), "17"),
            ]
        );
        assert_eq!(
            r.errors[0].message,
            "收到日期不是有效的日期：2025年2月没有30日"
        );
        assert!(r.errors[1]
            .message
            .starts_with("无法识别的申请人类型：应为自然人、商业企业"));
        assert_eq!(
            r.errors[2].message,
            "答复日期早于收到日期（2025-04-07），应在收到申请之日或之后"
        );
        assert!(
            r.errors[3].message.starts_with("无法识别的办理结果"),
            "{}",
            r.errors[3].message
        );
        assert_eq!(
            r.errors[4].message,
            "编号与第20行重复，同一台账中的编号应各不相同"
        );
        for line in [8, 12, 16, 20, 26] {
            assert!(r.rows.iter().all(|a| a.line != line));
        }
    }

    #[test]
    fn gbk_csv_with_other_headings() {
        let r = read_ledger("taizhang_2024.csv", CSV_2024).unwrap();
        assert!(r.is_ok(), "{:#?}", r.errors);
        assert_eq!(r.sheet, None);
        assert_eq!(r.header_line, 2);
        assert_eq!(
            r.columns,
            [
                ("序号", "编号", false),
                ("收文日期", "收到日期", false),
                ("申请人姓名/名称", "申请人", false),
                ("申请人类别", "申请人类型", false),
                ("申请渠道", "申请方式", false),
                ("申请内容", "申请内容", false),
                ("办结日期", "答复日期", false),
                ("处理结果", "办理结果", false),
            ]
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c))
        );
        assert_eq!(r.rows.len(), 15);
        assert_eq!(r.notes, ["文件按GBK（GB18030）编码读取"]);
        let first = row(&r, 3);
        assert_eq!(first.application.number.as_deref(), Some("1"));
        assert_eq!(first.application.applicant.name, "钱某");
        assert_eq!(first.application.received_on, date(2024, 1, 8));
        assert_eq!(first.reply, Some((date(2024, 1, 26), Outcome::GRANTED)));
        assert_eq!(
            row(&r, 4).application.applicant.kind,
            ApplicantKind::Business
        );
        assert_eq!(row(&r, 5).application.received_on, date(2024, 3, 4));
        assert_eq!(
            row(&r, 5).application.applicant.kind,
            ApplicantKind::NaturalPerson
        );
        assert_eq!(row(&r, 6).application.channel, Channel::Post);
        assert_eq!(
            row(&r, 6).application.applicant.kind,
            ApplicantKind::LegalService
        );
        assert_eq!(row(&r, 6).reply.unwrap().0, date(2024, 4, 16));
        assert_eq!(row(&r, 7).application.received_on, date(2024, 4, 8));
        assert_eq!(row(&r, 7).application.channel, Channel::Online);
        assert_eq!(
            row(&r, 15).application.applicant.kind,
            ApplicantKind::OtherOrg
        );
        assert_eq!(
            row(&r, 16).reply,
            Some((date(2025, 1, 17), Outcome::GRANTED))
        );
        assert_eq!(row(&r, 17).reply, None);
        assert_eq!(row(&r, 17).application.number.as_deref(), Some("15"));
    }

    #[test]
    fn two_row_header_and_merged_cells() {
        let r = read_ledger("taizhang_merged.xlsx", MERGED).unwrap();
        assert!(r.is_ok(), "{:#?}", r.errors);
        assert_eq!(r.header_line, 2);
        let headings: Vec<(&str, &str)> = r
            .columns
            .iter()
            .map(|c| (c.0.as_str(), c.1.as_str()))
            .collect();
        assert_eq!(
            headings,
            [
                ("编号", "编号"),
                ("收到日期", "收到日期"),
                ("姓名/名称", "申请人"),
                ("类型", "申请人类型"),
                ("申请内容", "申请内容"),
                ("答复日期", "答复日期"),
                ("办理结果", "办理结果"),
            ]
        );
        assert_eq!(r.rows.len(), 3);
        // The second application shares the merged date, name and kind.
        let second = &r.rows[1];
        assert_eq!(second.line, 4);
        assert_eq!(second.application.number.as_deref(), Some("2"));
        assert_eq!(second.application.received_on, date(2025, 3, 3));
        assert_eq!(second.application.applicant.name, "张某");
        assert_eq!(
            second.application.applicant.kind,
            ApplicantKind::NaturalPerson
        );
        assert_eq!(second.reply, None);
        assert_eq!(
            r.rows[2].application.applicant.kind,
            ApplicantKind::Business
        );
        assert_eq!(
            r.notes,
            [
                "合并单元格B3:B4的内容已填入所合并的每一行",
                "合并单元格C3:C4的内容已填入所合并的每一行",
                "合并单元格D3:D4的内容已填入所合并的每一行",
                "台账没有“申请方式”列，全部申请按“其他”方式计",
            ]
        );
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    fn csv(text: &str) -> ImportReport {
        read_ledger("t.csv", text.as_bytes()).unwrap()
    }

    const HEAD: &str = "编号,收到日期,申请人,申请人类型,申请方式,申请内容,答复日期,办理结果\n";

    #[test]
    fn date_forms() {
        for (s, want) in [
            ("2025-03-04", date(2025, 3, 4)),
            ("2025/3/4", date(2025, 3, 4)),
            ("2025.3.4", date(2025, 3, 4)),
            ("2025年3月4日", date(2025, 3, 4)),
            ("2025年03月04号", date(2025, 3, 4)),
            ("20250304", date(2025, 3, 4)),
            ("２０２５－３－４", date(2025, 3, 4)),
            ("2025-03-04 10:30:00", date(2025, 3, 4)),
            ("2025-03-04T00:00:00", date(2025, 3, 4)),
        ] {
            assert_eq!(parse_date(&Value::Text(s.into())), Ok(want), "{s}");
        }
        assert_eq!(parse_date(&Value::Number(45720.0)), Ok(date(2025, 3, 4)));
        assert_eq!(parse_date(&Value::Number(20250304.0)), Ok(date(2025, 3, 4)));
        for s in [
            "2025-02-30",
            "2025-13-01",
            "3月4日",
            "25/3/4",
            "明天",
            "2025-3",
            "17",
        ] {
            assert!(parse_date(&Value::Text(s.into())).is_err(), "{s}");
        }
        assert!(parse_date(&Value::Number(17.0)).is_err());
        assert!(parse_date(&Value::Number(f64::NAN)).is_err());
        assert!(parse_date(&Value::Text("1900-01-01".into())).is_err());
    }

    #[test]
    fn headings_match_exactly_by_synonym_or_fuzzily() {
        assert_eq!(match_heading("收到日期"), Some((Field::Received, false)));
        assert_eq!(match_heading(" 收文日期 "), Some((Field::Received, false)));
        assert_eq!(
            match_heading("申请人（姓名/名称）"),
            Some((Field::Name, false))
        );
        assert_eq!(match_heading("申请人类别*"), Some((Field::Kind, false)));
        assert_eq!(
            match_heading("收到日期（必填）"),
            Some((Field::Received, false))
        );
        assert_eq!(match_heading("收到曰期"), Some((Field::Received, true)));
        assert_eq!(match_heading("申请內容"), Some((Field::Request, true)));
        assert_eq!(
            match_heading("申请人身份证号码"),
            Some((Field::IdDocument, true))
        );
        assert_eq!(
            match_heading("申请人联系电话"),
            Some((Field::Contact, true))
        );
        assert_eq!(match_heading("日期"), None);
        assert_eq!(match_heading("经办人"), None);
        assert_eq!(match_heading(""), None);
    }

    #[test]
    fn fuzzy_headings_are_reported() {
        let r = csv("编号,收到曰期,申请人,申请人类型,申请內容,经办人\n1,2025-03-04,张某,自然人,某文件,王某\n");
        assert!(r.is_ok(), "{:?}", r.errors);
        assert!(r
            .columns
            .contains(&("收到曰期".into(), "收到日期".into(), true)));
        assert!(r
            .columns
            .contains(&("申请內容".into(), "申请内容".into(), true)));
        assert!(
            r.notes.contains(&"列“经办人”未能识别，未导入".to_string()),
            "{:?}",
            r.notes
        );
        assert!(r
            .notes
            .contains(&"台账没有“申请方式”列，全部申请按“其他”方式计".to_string()));
        assert_eq!(r.rows[0].application.channel, Channel::Other);
    }

    #[test]
    fn missing_required_column_is_refused() {
        let e = read_ledger(
            "t.csv",
            "编号,收到日期,申请人,申请内容\n1,2025-03-04,张某,某文件\n".as_bytes(),
        )
        .unwrap_err();
        match &e {
            ImportError::MissingColumns {
                missing,
                header_line,
                ..
            } => {
                assert_eq!(missing, &["申请人类型"]);
                assert_eq!(*header_line, 1);
            }
            other => panic!("{other:?}"),
        }
        let msg = e.to_string();
        assert!(msg.contains("台账缺少必需的列：申请人类型"), "{msg}");
        assert!(msg.contains("申请人类别"), "{msg}");
    }

    #[test]
    fn no_header_is_refused() {
        let e = read_ledger("t.csv", "a,b,c\n1,2,3\n".as_bytes()).unwrap_err();
        assert!(matches!(e, ImportError::NoHeader { .. }));
        assert!(e.to_string().contains("没有找到表头行"), "{e}");
    }

    #[test]
    fn every_kind_of_bad_row() {
        let r = csv(&format!(
            "{HEAD}\
             1,2025-03-04,张某,自然人,网上申请,某文件,2025-03-10,\n\
             2,2025-03-04,王某,自然人,网上申请,某文件,,予以公开\n\
             3,2025-03-04,,自然人,网上申请,某文件,,\n\
             4,,李某,,网上申请,,,\n\
             5,2025-03-04,赵某,自然人,网上申请,某文件,2025-03-05,办理中\n\
             6,2025-03-04,刘某,自然人,网上申请,某文件,昨天,予以公开\n\
             ,2025-03-04,陈某,自然人,微信,某文件,,\n"
        ));
        let got: Vec<(usize, Option<&str>)> = r
            .errors
            .iter()
            .map(|e| (e.line, e.column.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (2, Some("办理结果")),
                (3, Some("答复日期")),
                (4, Some("申请人")),
                (5, Some("收到日期")),
                (5, Some("申请人类型")),
                (5, Some("申请内容")),
                (6, Some("办理结果")),
                (7, Some("答复日期")),
            ]
        );
        assert!(r.errors[0].message.contains("没有办理结果"));
        assert!(r.errors[1].message.contains("没有答复日期"));
        assert_eq!(
            r.errors[4].message,
            "申请人类型为空：应为自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他之一"
        );
        // The last row has no number and an unknown channel: read, with a note.
        assert_eq!(r.rows.len(), 1);
        assert_eq!(r.rows[0].line, 8);
        assert_eq!(r.rows[0].application.number, None);
        assert_eq!(r.rows[0].application.channel, Channel::Other);
        assert_eq!(r.rows[0].note, "申请方式“微信”无法识别，按“其他”计");
    }

    #[test]
    fn bom_tabs_crlf_blank_and_repeated_header_rows() {
        let text = "\u{FEFF}编号\t收到日期\t申请人\t申请人类型\t申请内容\r\n\
                    1\t2025-03-04\t张某\t自然人\t某文件\r\n\
                    \t\t\t\t\r\n\
                    编号\t收到日期\t申请人\t申请人类型\t申请内容\r\n\
                    2\t2025-03-05\t\"王某\r\n（代理人）\"\t企业\t\"某\"\"规划\"\"\"\r\n\
                    3\t2025-03-06\t李某\t自然人\t某文件\r\n";
        let r = csv(text);
        assert!(r.is_ok(), "{:?}", r.errors);
        assert_eq!(r.rows.len(), 3);
        assert_eq!(r.rows[1].line, 5);
        assert_eq!(r.rows[1].application.applicant.name, "王某\r\n（代理人）");
        assert_eq!(r.rows[1].application.request, "某\"规划\"");
        // A record spanning two lines: the next one starts on line 7.
        assert_eq!(r.rows[2].line, 7);
        assert_eq!(
            r.notes,
            [
                "台账没有“申请方式”列，全部申请按“其他”方式计",
                "第4行是重复的表头，已跳过"
            ]
        );
    }

    #[test]
    fn ragged_rows_and_rows_without_an_application() {
        let r = csv(&format!(
            "{HEAD}1,2025-03-04,张某,自然人\n2,2025-03-04,王某,自然人,信函,某文件,2025-03-20,予以公开,多出来的,列\n3\n4\n5\n合计：2件\n"
        ));
        let got: Vec<(usize, Option<&str>)> = r
            .errors
            .iter()
            .map(|e| (e.line, e.column.as_deref()))
            .collect();
        assert_eq!(got, [(2, Some("申请内容"))]);
        assert_eq!(r.rows.len(), 1);
        assert_eq!(
            r.notes,
            ["第4至7行没有收到日期、申请人、申请人类型、申请内容，不是申请，已跳过".to_string()]
        );
    }

    #[test]
    fn duplicate_numbers_are_reported_after_the_first() {
        let r = csv(&format!(
            "{HEAD}17,2025-03-04,张某,自然人,信函,甲,,\n 17 ,2025-03-05,王某,自然人,信函,乙,,\n17,2025-03-06,李某,自然人,信函,丙,,\n"
        ));
        let got: Vec<(usize, &str)> = r
            .errors
            .iter()
            .map(|e| (e.line, e.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (3, "编号与第2行重复，同一台账中的编号应各不相同"),
                (4, "编号与第2行重复，同一台账中的编号应各不相同")
            ]
        );
    }

    #[test]
    fn garbage_never_panics() {
        // Random bytes, deterministic.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for len in [1usize, 2, 7, 64, 1000, 10_000] {
            for _ in 0..20 {
                let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
                let _ = read_ledger("x.csv", &bytes);
                let _ = read_ledger("x.xlsx", &bytes);
                let mut zipped = b"PK\x03\x04".to_vec();
                zipped.extend_from_slice(&bytes);
                let _ = read_ledger("x.xlsx", &zipped);
            }
        }
        // Truncated workbooks, at many lengths.
        for cut in (0..GOOD.len()).step_by(97) {
            match read_ledger("t.xlsx", &GOOD[..cut]) {
                Ok(r) => assert!(r.rows.len() <= 40),
                Err(e) => assert!(!e.to_string().is_empty()),
            }
        }
        // A workbook with bytes flipped in the middle.
        for i in (0..GOOD.len()).step_by(211) {
            let mut b = GOOD.to_vec();
            b[i] ^= 0x5A;
            let _ = read_ledger("t.xlsx", &b);
        }
        // Empty, whitespace, binary, PDF, old Excel.
        assert!(matches!(read_ledger("t.csv", b""), Err(ImportError::Empty)));
        assert!(matches!(
            read_ledger("t.csv", b" \r\n "),
            Err(ImportError::Empty)
        ));
        assert!(matches!(
            read_ledger("t.csv", b"\x00\x01\x02abc"),
            Err(ImportError::NotLedger(_))
        ));
        assert!(matches!(
            read_ledger("t.pdf", b"%PDF-1.7\n..."),
            Err(ImportError::NotLedger(_))
        ));
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        assert!(matches!(
            read_ledger("t.xls", &ole),
            Err(ImportError::OldExcel)
        ));
        assert!(matches!(
            read_ledger("t.xlsx", b"hello"),
            Err(ImportError::Damaged(_))
        ));
        assert!(matches!(
            read_ledger("t.xlsx", &GOOD[..100]),
            Err(ImportError::Damaged(_))
        ));
        // Unterminated quotes, lone delimiters, control characters.
        for text in [
            "\"",
            "\"\"\"",
            ",,,,\n,,,",
            "编号,\"收到日期\n",
            "\u{1}\u{2}\u{3}",
            "a\tb;c,d\n",
        ] {
            let _ = read_ledger("t.csv", text.as_bytes());
        }
    }

    #[test]
    fn huge_cells_are_reported_not_kept() {
        let long = "某".repeat(200_000);
        let r = csv(&format!(
            "{HEAD}1,2025-03-04,张某,自然人,信函,{long},,\n2,{long},王某,自然人,信函,乙,,\n"
        ));
        let got: Vec<(usize, Option<&str>)> = r
            .errors
            .iter()
            .map(|e| (e.line, e.column.as_deref()))
            .collect();
        assert_eq!(got, [(2, Some("申请内容")), (3, Some("收到日期"))]);
        assert!(r
            .errors
            .iter()
            .all(|e| e.value.chars().count() <= MAX_QUOTE_CHARS + 1));
        // A heading row that is one enormous cell is not a header.
        let e = read_ledger("t.csv", long.as_bytes()).unwrap_err();
        assert!(matches!(e, ImportError::NoHeader { .. }));
    }

    #[test]
    fn numbers_read_as_the_office_wrote_them() {
        assert_eq!(Value::Number(17.0).shown(), "17");
        assert_eq!(Value::Number(17.5).shown(), "17.5");
        assert_eq!(Value::Int(-3).shown(), "-3");
        assert_eq!(Value::Number(1e20).shown(), "100000000000000000000");
        assert_eq!(Value::Text("  2025-0017 ".into()).shown(), "2025-0017");
    }

    #[test]
    fn report_serialises() {
        let r = read_ledger("taizhang_2025_bad.xlsx", BAD).unwrap();
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains("\"header_line\":3"), "{}", &json[..200]);
        assert!(json.contains("partially_granted"));
    }
}
