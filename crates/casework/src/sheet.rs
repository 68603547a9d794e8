//! Reading a table of records from what offices keep them in: an Excel
//! workbook (.xlsx) or a CSV file (UTF-8 with or without BOM, UTF-16 with
//! BOM, or GBK/GB18030). Shared by the 台账 import (`import.rs`) and the
//! import of items already published (`import_items.rs`); each describes
//! its columns by a [`RecordField`] type and a [`Schema`].
//!
//! The header row is found by its headings, matched the way report labels
//! are: normalised, then exactly or by a synonym, then by containment or
//! within a small edit distance (reported as fuzzy). Rows below it that are
//! empty, repeat the header or have none of the required fields are skipped
//! with a note. Dates are read in the forms offices write them. Nothing here
//! reads the clock or the disk, and no input makes it panic.

use std::collections::BTreeMap;
use std::fmt;
use std::hash::Hash;
use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx, XlsxError};
use chrono::{Datelike, NaiveDate};
use gongkai_template::text::{edit_distance, fold_char, normalize, typo_budget};
use serde::Serialize;

/// A row (or cell) that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub line: usize,
    /// The heading as written in the file; `None` when the column is absent.
    pub column: Option<String>,
    /// The value as written (shortened when very long).
    pub value: String,
    /// What is wrong and what was expected, in Chinese.
    pub message: String,
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
    NoHeader {
        sheets: Vec<String>,
        /// The headings looked for.
        expected: Vec<&'static str>,
    },
    /// The header row lacks required columns.
    MissingColumns {
        /// What the file is called ("台账", "文件").
        file: &'static str,
        sheet: Option<String>,
        header_line: usize,
        missing: Vec<&'static str>,
        headings: Vec<String>,
        /// Every required column, and other words for the missing ones.
        expected: String,
    },
    /// More cells than such a file can sensibly have.
    TooLarge { file: &'static str },
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
            ImportError::NoHeader { sheets, expected } => {
                let place = if sheets.is_empty() {
                    "文件".to_string()
                } else {
                    format!("工作表{}", quoted_list(sheets))
                };
                write!(
                    f,
                    "在{place}的前{HEADER_SCAN}行中没有找到表头行：应有一行列名，如{}",
                    expected.join("、")
                )
            }
            ImportError::MissingColumns {
                file,
                sheet,
                header_line,
                missing,
                headings,
                expected,
            } => {
                let place = match sheet {
                    Some(s) => format!("工作表“{s}”第{header_line}行"),
                    None => format!("第{header_line}行"),
                };
                write!(
                    f,
                    "{file}缺少必需的列：{}。{place}的表头为：{}；必需的列为{expected}",
                    missing.join("、"),
                    headings.join("、"),
                )
            }
            ImportError::TooLarge { file } => write!(
                f,
                "{file}过大（超过{MAX_CELLS}个单元格），请按年度拆分后分别导入"
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
pub(crate) const HEADER_SCAN: usize = 50;
/// A header row matches at least this many fields.
const HEADER_MIN: usize = 3;
/// Columns read; cells further right are ignored.
const MAX_COLS: usize = 128;
/// Non-empty cells read from one sheet or file.
pub(crate) const MAX_CELLS: usize = 2_000_000;
/// Longest value quoted back in an error.
pub(crate) const MAX_QUOTE_CHARS: usize = 60;

// ---------------------------------------------------------------------------
// Fields and headings

/// The fields of a record, each named by the headings offices give its
/// column. Implemented by a plain enum in each importer.
pub(crate) trait RecordField:
    Copy + Eq + Ord + Hash + fmt::Debug + std::panic::RefUnwindSafe + 'static
{
    /// Every field.
    const ALL: &'static [Self];

    /// The canonical heading first, then the words offices use for it.
    fn synonyms(self) -> &'static [&'static str];

    fn label(self) -> &'static str {
        self.synonyms()[0]
    }

    /// Whether the field may have several columns (joined when read).
    fn multi(self) -> bool {
        false
    }

    /// [`synonym_keys`] of this type, built once (in a `OnceLock` of the
    /// implementation: a static in a generic function would be shared by
    /// every type).
    fn keys() -> &'static [(Self, String, usize)];
}

/// What a file of records is called, and which columns it must have.
pub(crate) struct Schema<F: 'static> {
    /// The file in messages ("台账", "文件").
    pub file: &'static str,
    /// One record ("一件申请") and records ("申请") in messages.
    pub one: &'static str,
    pub many: &'static str,
    /// Columns the header must have; a row with none of them filled is not
    /// a record.
    pub required: &'static [F],
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

/// Every synonym of every field in its compared form, with its field and
/// length in characters.
pub(crate) fn synonym_keys<F: RecordField>() -> Vec<(F, String, usize)> {
    F::ALL
        .iter()
        .flat_map(|f| {
            f.synonyms().iter().map(move |s| {
                let k = heading_key(s);
                let n = k.chars().count();
                (*f, k, n)
            })
        })
        .collect()
}

/// Which field a heading names, and whether only fuzzily.
pub(crate) fn match_heading<F: RecordField>(heading: &str) -> Option<(F, bool)> {
    let key = heading_key(heading);
    if key.is_empty() {
        return None;
    }
    let keys = F::keys();
    if let Some((f, _, _)) = keys.iter().find(|(_, k, _)| *k == key) {
        return Some((*f, false));
    }
    let key_len = key.chars().count();
    if key_len > 40 {
        return None;
    }
    // The synonym the heading contains, preferring one at its end (the head
    // noun of a Chinese heading), then the longest: "申请人身份证号码" → 证件号码.
    let mut best: Option<((bool, usize, usize), F, bool)> = None; // (rank, field, ambiguous)
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
    let mut best: Option<(usize, F, bool)> = None; // (distance, field, ambiguous)
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
pub(crate) enum Value {
    Empty,
    Text(String),
    Int(i64),
    Number(f64),
    Date(NaiveDate),
}

impl Value {
    pub(crate) fn text(s: &str) -> Value {
        if s.trim().is_empty() {
            Value::Empty
        } else {
            Value::Text(s.to_string())
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        matches!(self, Value::Empty)
    }

    /// The value as the clerk sees it: numbers without a trailing ".0",
    /// dates as 2025-03-04.
    pub(crate) fn shown(&self) -> String {
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
pub(crate) struct Row {
    pub line: usize,
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

/// Shortens a value quoted back to the clerk.
pub(crate) fn quote(s: &str) -> String {
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
// Entry point

/// The records of a file: where its header is, which columns were read, and
/// the rows below it that may be records.
pub(crate) struct Table<F> {
    /// The worksheet read (`None` for CSV).
    pub sheet: Option<String>,
    /// 1-based line of the header row.
    pub header_line: usize,
    /// The columns read, left to right: heading as written, field label,
    /// matched fuzzily.
    pub columns: Vec<(String, String, bool)>,
    pub cols: Columns<F>,
    /// Notes on the file and its header row.
    pub notes: Vec<String>,
    /// Notes on the rows skipped, for after the importer's own notes.
    pub row_notes: Vec<String>,
    /// The rows to read as records.
    pub rows: Vec<Row>,
}

/// Reads a file of records: an .xlsx workbook (detected by its zip
/// signature) or a CSV file. In a workbook, the first sheet with a header
/// row is read.
pub(crate) fn read_table<F: RecordField>(
    file_name: &str,
    bytes: &[u8],
    schema: &Schema<F>,
) -> Result<Table<F>, ImportError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Empty);
    }
    let lower = file_name.to_lowercase();
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        // calamine is defensive, but a hostile zip is a hostile zip: a panic in
        // the parser is reported as a damaged workbook rather than taking the
        // caller down.
        return match std::panic::catch_unwind(|| read_xlsx(bytes, schema)) {
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
    let rows = read_csv(&text, schema)?;
    let mut table = find_table(schema, None, rows)?.ok_or_else(|| no_header(schema, vec![]))?;
    notes.append(&mut table.notes);
    table.notes = notes;
    Ok(table)
}

fn no_header<F: RecordField>(schema: &Schema<F>, sheets: Vec<String>) -> ImportError {
    ImportError::NoHeader {
        sheets,
        expected: schema.required.iter().map(|f| f.label()).collect(),
    }
}

// ---------------------------------------------------------------------------
// Xlsx

fn xlsx_error(e: XlsxError) -> ImportError {
    match e {
        XlsxError::Password => ImportError::Password,
        e => ImportError::Damaged(e.to_string()),
    }
}

fn read_xlsx<F: RecordField>(bytes: &[u8], schema: &Schema<F>) -> Result<Table<F>, ImportError> {
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
        let rows = match sheet_rows(&mut book, name, merges_ok, schema.file) {
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
        if let Some(mut table) = find_table(schema, Some(name.clone()), rows)? {
            // Merges reaching below the header filled data rows: say so.
            let mut notes: Vec<String> = filled
                .iter()
                .filter(|(_, r1, _)| *r1 as usize + 1 > table.header_line)
                .map(|(r0, r1, c)| {
                    format!(
                        "合并单元格{col}{}:{col}{}的内容已填入所合并的每一行",
                        r0 + 1,
                        r1 + 1,
                        col = column_letters(*c)
                    )
                })
                .collect();
            notes.append(&mut table.notes);
            table.notes = notes;
            return Ok(table);
        }
    }
    match first_damage {
        Some(d) if !read_any => Err(ImportError::Damaged(d)),
        _ => Err(no_header(schema, names)),
    }
}

/// "A", "B" … "Z", "AA" … for a 0-based column.
pub(crate) fn column_letters(c: u32) -> String {
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
    file: &'static str,
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
                return Err(ImportError::TooLarge { file });
            }
            grid.entry(r).or_default().insert(c, v);
        }
    }
    // Fill vertical merges down their first column: a name or a date merged
    // over the rows of several records belongs to each of them.
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

fn read_csv<F>(text: &str, schema: &Schema<F>) -> Result<Vec<Row>, ImportError> {
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
            return Err(ImportError::TooLarge { file: schema.file });
        }
        rows.push(Row { line, cells });
    }
    Ok(rows)
}

// ---------------------------------------------------------------------------
// Header and columns

/// The fields a row's cells name, with their columns.
fn row_matches<F: RecordField>(row: &Row) -> Vec<(usize, String, F, bool)> {
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

fn distinct_fields<F: RecordField>(m: &[(usize, String, F, bool)]) -> usize {
    let mut fs: Vec<F> = m.iter().map(|x| x.2).collect();
    fs.sort();
    fs.dedup();
    fs.len()
}

/// The columns read for each field.
pub(crate) struct Columns<F> {
    /// field → (column, heading as written)
    map: BTreeMap<F, Vec<(usize, String)>>,
}

impl<F: RecordField> Columns<F> {
    /// Whether the file has a column for the field.
    pub(crate) fn has(&self, f: F) -> bool {
        self.map.contains_key(&f)
    }

    /// The heading of the field's (first) column, as written.
    pub(crate) fn heading(&self, f: F) -> Option<String> {
        self.map
            .get(&f)
            .and_then(|v| v.first())
            .map(|(_, h)| h.clone())
    }

    /// The value of a field in a row (several columns joined by "；").
    pub(crate) fn value(&self, row: &Row, f: F) -> Value {
        let Some(v) = self.map.get(&f) else {
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
}

/// Finds the header of a sheet or CSV and the rows below it. `Ok(None)`
/// when it has no header row.
fn find_table<F: RecordField>(
    schema: &Schema<F>,
    sheet: Option<String>,
    rows: Vec<Row>,
) -> Result<Option<Table<F>>, ImportError> {
    // The header: the row among the first ones naming the most fields.
    let mut best: Option<(usize, usize)> = None; // (index, score)
    for (i, row) in rows.iter().take(HEADER_SCAN).enumerate() {
        let score = distinct_fields(&row_matches::<F>(row));
        if score >= HEADER_MIN && best.is_none_or(|(_, s)| score > s) {
            best = Some((i, score));
        }
    }
    let Some((hi, _)) = best else {
        return Ok(None);
    };
    let mut rows = rows.into_iter().skip(hi);
    let Some(header) = rows.next() else {
        return Ok(None);
    };
    let matches = row_matches::<F>(&header);
    let mut notes = Vec::new();

    // Assign columns: exact before fuzzy, then left to right; fields that
    // may have several columns take each.
    let mut map: BTreeMap<F, Vec<(usize, String, bool)>> = BTreeMap::new();
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
    let missing: Vec<F> = schema
        .required
        .iter()
        .filter(|f| !map.contains_key(f))
        .copied()
        .collect();
    if !missing.is_empty() {
        return Err(ImportError::MissingColumns {
            file: schema.file,
            sheet,
            header_line: header.line,
            missing: missing.iter().map(|f| f.label()).collect(),
            headings: header
                .cells
                .iter()
                .map(Value::shown)
                .filter(|h| !h.is_empty())
                .map(|h| quote(&h))
                .collect(),
            expected: format!(
                "{}（也可写作{}）",
                schema
                    .required
                    .iter()
                    .map(|f| f.label())
                    .collect::<Vec<_>>()
                    .join("、"),
                missing
                    .iter()
                    .map(|f| {
                        f.synonyms()
                            .iter()
                            .skip(1)
                            .take(3)
                            .copied()
                            .collect::<Vec<_>>()
                            .join("/")
                    })
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join("；")
            ),
        });
    }
    let cols = Columns {
        map: map
            .into_iter()
            .map(|(f, v)| (f, v.into_iter().map(|(c, h, _)| (c, h)).collect()))
            .collect(),
    };

    let mut row_notes = Vec::new();
    let mut skipped: Vec<(usize, String)> = Vec::new();
    let mut data = Vec::new();
    for row in rows {
        if row.is_empty() {
            continue;
        }
        if schema
            .required
            .iter()
            .all(|f| cols.value(&row, *f).is_empty())
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
        let m = row_matches::<F>(&row);
        if distinct_fields(&m) >= HEADER_MIN && m.iter().all(|m| !m.3) {
            row_notes.push(format!("第{}行是重复的表头，已跳过", row.line));
            continue;
        }
        data.push(row);
    }
    row_notes.extend(skipped_notes(schema, &skipped));
    Ok(Some(Table {
        sheet,
        header_line: header.line,
        columns: columns
            .into_iter()
            .map(|(_, h, f, fz)| (h, f, fz))
            .collect(),
        cols,
        notes,
        row_notes,
        rows: data,
    }))
}

/// Notes for rows without any of the required fields (footers, pre-numbered
/// empty rows), one per run of consecutive lines.
fn skipped_notes<F: RecordField>(schema: &Schema<F>, skipped: &[(usize, String)]) -> Vec<String> {
    let mut out = Vec::new();
    let what = schema
        .required
        .iter()
        .map(|f| f.label())
        .collect::<Vec<_>>()
        .join("、");
    let mut i = 0;
    while i < skipped.len() {
        let mut j = i;
        while j + 1 < skipped.len() && skipped[j + 1].0 == skipped[j].0 + 1 {
            j += 1;
        }
        if i == j {
            out.push(format!(
                "第{}行没有{what}，不是{}，已跳过（“{}”）",
                skipped[i].0,
                schema.one,
                quote(&skipped[i].1)
            ));
        } else {
            out.push(format!(
                "第{}至{}行没有{what}，不是{}，已跳过",
                skipped[i].0, skipped[j].0, schema.many
            ));
        }
        i = j + 1;
    }
    out
}

// ---------------------------------------------------------------------------
// Dates

/// The forms of a date read, for messages.
pub(crate) const DATE_FORMS: &str = "应写作2025-03-04、2025/3/4、2025.3.4、2025年3月4日或20250304";

/// Reads a date of `first_year` or later (to 2100): an Excel date, an Excel
/// serial number, 20250304, or text such as 2025-03-04, 2025/3/4, 2025.3.4,
/// 2025年3月4日 (a time after it is ignored). The error says what was
/// expected, to follow the field's name ("收到日期为空：…").
pub(crate) fn parse_date(v: &Value, first_year: i32) -> Result<NaiveDate, String> {
    let d = match v {
        Value::Empty => return Err(format!("为空：{DATE_FORMS}")),
        Value::Date(d) => *d,
        Value::Int(i) => number_date(*i as f64, first_year)
            .ok_or_else(|| format!("无法识别为日期：{DATE_FORMS}"))?,
        Value::Number(f) => {
            number_date(*f, first_year).ok_or_else(|| format!("无法识别为日期：{DATE_FORMS}"))?
        }
        Value::Text(s) => text_date(s)?,
    };
    if !(first_year..=2100).contains(&d.year()) {
        return Err(format!("的年份{}不合理：{DATE_FORMS}", d.year()));
    }
    Ok(d)
}

/// 20250304, or an Excel serial day number (a date cell that lost its
/// format) of `first_year` (1900 at the earliest) to 2100.
fn number_date(f: f64, first_year: i32) -> Option<NaiveDate> {
    if !f.is_finite() || f < 0.0 {
        return None;
    }
    if f.fract() == 0.0 && (19_000_101.0..=21_001_231.0).contains(&f) {
        let n = f as u32;
        return NaiveDate::from_ymd_opt((n / 10_000) as i32, n / 100 % 100, n % 100);
    }
    // Serial numbers count days from 1899-12-30 (for dates after February
    // 1900, which Excel believes had a 29th).
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let first = NaiveDate::from_ymd_opt(first_year.max(1901), 1, 1)?;
    let last = NaiveDate::from_ymd_opt(2100, 12, 31)?;
    let serial = |d: NaiveDate| (d - epoch).num_days() as f64;
    if (serial(first)..=serial(last)).contains(&f) {
        return epoch.checked_add_days(chrono::Days::new(f.floor() as u64));
    }
    None
}

fn text_date(s: &str) -> Result<NaiveDate, String> {
    let folded: String = s.trim().chars().map(fold_char).collect();
    // Drop a time: "2025-03-04 10:30", "2025-03-04T00:00:00".
    let date_part = folded
        .split(|c: char| c.is_whitespace() || c == 'T')
        .next()
        .unwrap_or("");
    let bad = || format!("无法识别为日期：{DATE_FORMS}");
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
            assert_eq!(parse_date(&Value::Text(s.into()), 1990), Ok(want), "{s}");
        }
        assert_eq!(
            parse_date(&Value::Number(45720.0), 1990),
            Ok(date(2025, 3, 4))
        );
        assert_eq!(
            parse_date(&Value::Number(20250304.0), 1990),
            Ok(date(2025, 3, 4))
        );
        for s in [
            "2025-02-30",
            "2025-13-01",
            "3月4日",
            "25/3/4",
            "明天",
            "2025-3",
            "17",
        ] {
            assert!(parse_date(&Value::Text(s.into()), 1990).is_err(), "{s}");
        }
        assert!(parse_date(&Value::Number(17.0), 1990).is_err());
        assert!(parse_date(&Value::Number(f64::NAN), 1990).is_err());
        assert!(parse_date(&Value::Text("1900-01-01".into()), 1990).is_err());
    }

    #[test]
    fn serial_numbers_follow_the_first_year_allowed() {
        // 1 October 1949 is serial 18172; 1 January 1990 is 32874.
        assert_eq!(
            parse_date(&Value::Number(18172.0), 1949),
            Ok(date(1949, 10, 1))
        );
        assert!(parse_date(&Value::Number(18172.0), 1990).is_err());
        assert_eq!(
            parse_date(&Value::Number(32874.0), 1990),
            Ok(date(1990, 1, 1))
        );
        assert!(parse_date(&Value::Number(32873.0), 1990).is_err());
        assert_eq!(
            parse_date(&Value::Text("1985-06-01".into()), 1949),
            Ok(date(1985, 6, 1))
        );
        assert!(parse_date(&Value::Text("1985-06-01".into()), 1990)
            .unwrap_err()
            .contains("年份1985不合理"));
        // Not a day of any year: a year alone, a negative number.
        assert!(parse_date(&Value::Int(2024), 1949).is_err());
        assert!(parse_date(&Value::Int(-5), 1949).is_err());
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
    fn column_letters_run_past_z() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }
}
