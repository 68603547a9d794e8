//! Excel workbooks (.xlsx, .xlsm): a workbook holding one report's tables.
//!
//! A workbook is read with calamine into [`Sheet`]s (the cells that hold
//! something, as they are displayed, and the merged regions), which serve
//! two readers: [`read`] turns a workbook holding one report into a
//! [`Document`]; [`crate::collection`] reads a collection sheet (one report
//! per row).
//!
//! **One report.** The visible worksheets are read in order (hidden sheets
//! and chart sheets are skipped, with a note). On each sheet, runs of
//! consecutive non-empty rows are split into tables and paragraphs: a row
//! with two or more filled cells is a table row; a row with one filled cell
//! is a paragraph, except between two table rows (unless it reads as prose:
//! it ends with "。" or is long) and except a merged row (a clause heading
//! drawn across a table) right above or below a table row. A table keeps
//! every column from its leftmost to its rightmost filled cell, empty cells
//! included; merged regions become row and column spans.
//!
//! **Values** are taken as Excel displays them in the usual number formats:
//! whole numbers without ".0", other numbers with at most ten decimals (so
//! that 0.1 + 0.2 reads 0.3), text as written (a number stored as text
//! stays text, and the aligner reads it as a number). Formulas give their
//! cached results. calamine does not expose number formats, so a value
//! shown rounded ("12.35" for 12.345) is read as stored.
//!
//! **Positions.** A block's line is its row in the sheet and its column the
//! sheet column (both 1-based). A workbook with several sheets has a note
//! naming them: positions are within each sheet.
//!
//! **Limits.** At most [`MAX_ENTRIES`] archive entries, unpacking to at most
//! [`MAX_UNZIPPED`] bytes together (checked before calamine reads anything),
//! at most [`MAX_CELLS`] filled cells, merged regions covering at most
//! [`MAX_MERGED_SLOTS`] cells in all. Broken or hostile workbooks give a
//! [`ReadError`], never a panic.

use crate::doc::{Block, Document, Pos, ReadError, ReadNote, Table, TableCell};
use crate::zipped::Budget;
use calamine::{DataRef, Reader, SheetType, SheetVisible, Xlsx, XlsxError};
use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;

/// Most bytes the archive's entries may unpack to, together.
pub const MAX_UNZIPPED: u64 = 200 * 1024 * 1024;
/// Most entries the archive may hold.
pub const MAX_ENTRIES: usize = 10_000;
/// Most filled cells read from a workbook.
pub const MAX_CELLS: usize = 2_000_000;
/// Most cell positions merged regions may cover together; larger merges are
/// ignored, with a note.
pub const MAX_MERGED_SLOTS: usize = 4_000_000;
/// Excel's own limits.
const MAX_ROWS: u32 = 1_048_576;
const MAX_COLS: u32 = 16_384;
/// Widest table laid out; cells further right are left out of the table.
const MAX_TABLE_WIDTH: u32 = 512;

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Whether the bytes look like an Excel workbook: a ZIP archive naming an
/// `xl/workbook` part.
pub fn looks_like_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_MAGIC) && crate::docx::zip_names_contain(bytes, b"xl/workbook")
}

/// A filled cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Number(f64),
}

impl Value {
    /// The value as Excel shows it in the usual formats.
    pub fn shown(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Number(f) => number_text(*f),
        }
    }
}

/// A number as text: whole numbers without ".0", others with at most ten
/// decimals, trailing zeros dropped.
pub fn number_text(f: f64) -> String {
    if !f.is_finite() {
        return String::new();
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    if f.abs() >= 1e15 {
        return format!("{f}");
    }
    let s = format!("{f:.10}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// A merged region, 0-based and inclusive: first row, first column, last
/// row, last column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub r0: u32,
    pub c0: u32,
    pub r1: u32,
    pub c1: u32,
}

/// One worksheet: its filled cells and merged regions (0-based rows and
/// columns).
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub cells: BTreeMap<(u32, u32), Value>,
    pub merges: Vec<Merge>,
    /// For every position a merge covers other than its first: that first
    /// position.
    covered: HashMap<(u32, u32), (u32, u32)>,
    /// For the first position of every merge: its rows and columns.
    spans: HashMap<(u32, u32), (u32, u32)>,
}

impl Sheet {
    /// A sheet from cells and merges (merges that overlap an earlier one or
    /// lie outside the filled range are dropped; coverage is bounded).
    pub fn new(
        name: impl Into<String>,
        cells: BTreeMap<(u32, u32), Value>,
        merges: Vec<Merge>,
        budget: &mut usize,
        notes: &mut Vec<String>,
    ) -> Sheet {
        let mut sheet = Sheet {
            name: name.into(),
            cells,
            ..Sheet::default()
        };
        let max_r = sheet.cells.keys().map(|k| k.0).max().unwrap_or(0);
        let max_c = sheet.cells.keys().map(|k| k.1).max().unwrap_or(0);
        for m in merges {
            if m.r1 < m.r0 || m.c1 < m.c0 || m.r0 > max_r || m.c0 > max_c {
                continue;
            }
            if m.r0 == m.r1 && m.c0 == m.c1 {
                continue;
            }
            let m = Merge {
                r1: m.r1.min(max_r),
                c1: m.c1.min(max_c),
                ..m
            };
            let area = (m.r1 - m.r0 + 1) as usize * (m.c1 - m.c0 + 1) as usize;
            if area > *budget {
                notes.push(format!(
                    "工作表“{}”中的合并区域 {} 过大，已按未合并读取",
                    sheet.name,
                    range_name(m)
                ));
                continue;
            }
            let overlaps = (m.r0..=m.r1).any(|r| {
                (m.c0..=m.c1).any(|c| {
                    sheet.covered.contains_key(&(r, c)) || sheet.spans.contains_key(&(r, c))
                })
            });
            if overlaps {
                continue;
            }
            *budget -= area;
            for r in m.r0..=m.r1 {
                for c in m.c0..=m.c1 {
                    if (r, c) != (m.r0, m.c0) {
                        sheet.covered.insert((r, c), (m.r0, m.c0));
                    }
                }
            }
            sheet
                .spans
                .insert((m.r0, m.c0), (m.r1 - m.r0 + 1, m.c1 - m.c0 + 1));
            sheet.merges.push(m);
        }
        sheet
    }

    /// The text shown at a position: the cell's own, or, for a position
    /// inside a merged region, the region's.
    pub fn shown_at(&self, r: u32, c: u32) -> Option<String> {
        let at = self.covered.get(&(r, c)).copied().unwrap_or((r, c));
        self.cells.get(&at).map(Value::shown)
    }

    /// The first position of the merged region covering a position (the
    /// position itself when it is not merged).
    pub fn origin(&self, r: u32, c: u32) -> (u32, u32) {
        self.covered.get(&(r, c)).copied().unwrap_or((r, c))
    }

    /// Rows and columns of the merged region starting at a position, (1, 1)
    /// when none does.
    pub fn span(&self, r: u32, c: u32) -> (u32, u32) {
        self.spans.get(&(r, c)).copied().unwrap_or((1, 1))
    }

    /// Whether a position is covered by a merged region starting elsewhere.
    pub fn is_covered(&self, r: u32, c: u32) -> bool {
        self.covered.contains_key(&(r, c))
    }

    /// The filled cells of each row that has one, in order.
    pub fn rows(&self) -> Vec<(u32, Vec<(u32, &Value)>)> {
        let mut out: Vec<(u32, Vec<(u32, &Value)>)> = Vec::new();
        for (&(r, c), v) in &self.cells {
            // Excel shows nothing of a cell inside a merged region but its first.
            if self.is_covered(r, c) || v.shown().trim().is_empty() {
                continue;
            }
            match out.last_mut() {
                Some((row, cells)) if *row == r => cells.push((c, v)),
                _ => out.push((r, vec![(c, v)])),
            }
        }
        out
    }
}

/// "A", "B" … "Z", "AA" … for a 0-based column.
pub fn column_name(c: u32) -> String {
    let mut n = c as u64 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        out.push((b'A' + r) as char);
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

fn range_name(m: Merge) -> String {
    format!(
        "{}{}:{}{}",
        column_name(m.c0),
        m.r0 + 1,
        column_name(m.c1),
        m.r1 + 1
    )
}

/// A workbook as read: its visible worksheets, and what was skipped.
#[derive(Debug, Clone, Default)]
pub struct Workbook {
    pub sheets: Vec<Sheet>,
    /// Notes in Chinese (sheets skipped, merges ignored …).
    pub notes: Vec<String>,
}

fn error(message: impl Into<String>) -> ReadError {
    ReadError {
        message: message.into(),
        pos: None,
    }
}

/// Opens a workbook: checks the archive, then reads every visible worksheet.
pub fn open(bytes: &[u8]) -> Result<Workbook, ReadError> {
    open_limited(bytes, MAX_UNZIPPED)
}

fn open_limited(bytes: &[u8], max_unzipped: u64) -> Result<Workbook, ReadError> {
    if bytes.starts_with(OLE_MAGIC) {
        return Err(crate::docx::refuse_other_office(bytes)
            .unwrap_or_else(|| error("这是旧版 Office 文件")));
    }
    if !bytes.starts_with(ZIP_MAGIC) {
        return Err(error(
            "不是有效的 .xlsx 文件：文件开头不是 ZIP 格式（.xlsx 是 ZIP 压缩包，应以“PK”开头）；期望 Excel 工作簿（.xlsx）",
        ));
    }
    check_archive(bytes, max_unzipped)?;
    // calamine is careful, but a hostile archive is a hostile archive: a
    // panic inside it is reported as a damaged workbook.
    match std::panic::catch_unwind(|| read_book(bytes)) {
        Ok(r) => r,
        Err(_) => Err(damaged()),
    }
}

fn damaged() -> ReadError {
    error(
        "Excel 工作簿已损坏或不完整，无法读取；请用 Excel 或 WPS 打开确认后重新保存为 .xlsx 再读取",
    )
}

/// Counts the entries and unpacks every one into nothing, so that a
/// compression bomb is refused before calamine keeps anything.
fn check_archive(bytes: &[u8], max_unzipped: u64) -> Result<(), ReadError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| match e {
        zip::result::ZipError::UnsupportedArchive(m)
            if m.contains("assword") || m.contains("ncrypt") =>
        {
            error(
                "工作簿设置了密码（已加密），无法读取；请在 Excel 中取消密码后另存为 .xlsx 再读取",
            )
        }
        _ => error(
            "不是有效的 .xlsx 文件：ZIP 结构损坏或文件被截断；期望完整的 Excel 工作簿（.xlsx）",
        ),
    })?;
    if archive.len() > MAX_ENTRIES {
        return Err(error(format!(
            "ZIP 中有 {} 个条目，超过上限 {MAX_ENTRIES}，不像是 Excel 工作簿；期望 Excel 工作簿（.xlsx）",
            archive.len()
        )));
    }
    let mut budget = Budget::new(max_unzipped, "Excel 工作簿", ".xlsx");
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).map_err(|_| damaged())?;
        let name = file.name().to_string();
        let declared = file.size();
        budget.unpack(&mut file, &name, declared, &mut std::io::sink())?;
    }
    check_shared_strings(&mut archive)
}

/// calamine takes a cell's shared-string index without checking it: a cell
/// naming a string the workbook does not have is refused here first.
fn check_shared_strings(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<(), ReadError> {
    use quick_xml::events::Event;
    let names: Vec<String> = archive.file_names().map(str::to_string).collect();
    let is = |n: &str, want: &str| n.replace('\\', "/").eq_ignore_ascii_case(want);
    let mut count = 0usize;
    if let Some(n) = names.iter().find(|n| is(n, "xl/sharedStrings.xml")) {
        let file = archive.by_name(n).map_err(|_| damaged())?;
        let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(file));
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match xml.read_event_into(&mut buf) {
                Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == b"si" => {
                    count += 1
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
    }
    for n in &names {
        if is(n, "xl/sharedStrings.xml") || !n.to_ascii_lowercase().ends_with(".xml") {
            continue;
        }
        let file = archive.by_name(n).map_err(|_| damaged())?;
        let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(file));
        let mut buf = Vec::new();
        let mut shared = false;
        let mut value: Option<String> = None;
        loop {
            buf.clear();
            match xml.read_event_into(&mut buf) {
                Ok(Event::Start(e)) => match e.local_name().as_ref() {
                    b"c" => {
                        shared = e
                            .attributes()
                            .with_checks(false)
                            .flatten()
                            .any(|a| a.key.as_ref() == b"t" && a.value.as_ref() == b"s");
                    }
                    b"v" if shared => value = Some(String::new()),
                    _ => {}
                },
                Ok(Event::Text(t)) => {
                    if let Some(v) = value.as_mut() {
                        let raw = String::from_utf8_lossy(&t);
                        match quick_xml::escape::unescape(&raw) {
                            Ok(u) => v.push_str(&u),
                            Err(_) => v.push_str(&raw),
                        }
                    }
                }
                Ok(Event::End(e)) => match e.local_name().as_ref() {
                    b"v" => {
                        if let Some(v) = value.take() {
                            let index = v.parse::<usize>().unwrap_or(0);
                            if index >= count {
                                return Err(error(format!(
                                    "Excel 工作簿已损坏：{n} 中的单元格引用了第 {} 个共享字符串，而工作簿只有 {count} 个；请用 Excel 或 WPS 打开确认后重新保存为 .xlsx 再读取",
                                    index + 1
                                )));
                            }
                        }
                    }
                    b"c" => shared = false,
                    _ => {}
                },
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
    }
    Ok(())
}

fn xlsx_error(e: XlsxError) -> ReadError {
    match e {
        XlsxError::Password => {
            error("工作簿设置了打开密码，无法读取；请在 Excel 中取消密码后另存为 .xlsx 再读取")
        }
        _ => damaged(),
    }
}

fn read_book(bytes: &[u8]) -> Result<Workbook, ReadError> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(xlsx_error)?;
    let mut notes = Vec::new();
    let merges_ok = book.load_merged_regions().is_ok();
    if !merges_ok {
        notes.push("工作簿的合并单元格信息无法读取，已按未合并读取".to_string());
    }
    let meta: Vec<(String, SheetType, SheetVisible)> = book
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.typ, s.visible))
        .collect();
    let mut sheets = Vec::new();
    let mut total = 0usize;
    let mut budget = MAX_MERGED_SLOTS;
    let mut damaged_sheets = 0;
    for (name, typ, visible) in meta {
        if typ != SheetType::WorkSheet {
            continue;
        }
        if visible != SheetVisible::Visible {
            notes.push(format!("工作表“{name}”是隐藏的，未读取"));
            continue;
        }
        let mut cells = BTreeMap::new();
        {
            let mut reader = match book.worksheet_cells_reader(&name) {
                Ok(r) => r,
                Err(XlsxError::Password) => return Err(xlsx_error(XlsxError::Password)),
                Err(_) => {
                    damaged_sheets += 1;
                    notes.push(format!("工作表“{name}”已损坏，未读取"));
                    continue;
                }
            };
            loop {
                let cell = match reader.next_cell() {
                    Ok(Some(c)) => c,
                    Ok(None) => break,
                    Err(_) => return Err(damaged()),
                };
                let (r, c) = cell.get_position();
                if r >= MAX_ROWS || c >= MAX_COLS {
                    continue;
                }
                let Some(v) = value_of(cell.get_value()) else {
                    continue;
                };
                total += 1;
                if total > MAX_CELLS {
                    return Err(error(format!(
                        "工作簿过大：有内容的单元格超过 {MAX_CELLS} 个；期望一份年度报告或一张汇总表"
                    )));
                }
                cells.insert((r, c), v);
            }
        }
        let merges = if merges_ok {
            book.merged_regions_by_sheet(&name)
                .into_iter()
                .map(|(_, _, d)| Merge {
                    r0: d.start.0,
                    c0: d.start.1,
                    r1: d.end.0,
                    c1: d.end.1,
                })
                .collect()
        } else {
            Vec::new()
        };
        sheets.push(Sheet::new(name, cells, merges, &mut budget, &mut notes));
    }
    if sheets.is_empty() {
        if damaged_sheets > 0 {
            return Err(damaged());
        }
        return Err(error(
            "工作簿中没有可读取的工作表；期望含有年度报告表格的工作表",
        ));
    }
    Ok(Workbook { sheets, notes })
}

fn value_of(d: &DataRef<'_>) -> Option<Value> {
    let text = |s: &str| {
        if s.trim().is_empty() {
            None
        } else {
            Some(Value::Text(s.to_string()))
        }
    };
    match d {
        DataRef::Empty => None,
        DataRef::String(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::Int(i) => Some(Value::Number(*i as f64)),
        DataRef::Float(f) if f.is_finite() => Some(Value::Number(*f)),
        DataRef::Float(_) => None,
        DataRef::Bool(b) => Some(Value::Text(if *b { "TRUE" } else { "FALSE" }.to_string())),
        DataRef::DateTime(dt) => Some(Value::Number(dt.as_f64())),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => text(s),
        DataRef::Error(e) => Some(Value::Text(e.to_string())),
    }
}

/// Reads a workbook holding one report into the document model.
pub fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    let book = open(bytes)?;
    Ok(document(&book))
}

/// The document of an opened workbook: every sheet's paragraphs and tables,
/// in order.
pub fn document(book: &Workbook) -> Document {
    let mut doc = Document::default();
    for n in &book.notes {
        doc.notes.push(ReadNote {
            message: n.clone(),
            pos: Pos::new(1, 1),
        });
    }
    let with_content: Vec<&Sheet> = book
        .sheets
        .iter()
        .filter(|s| !s.rows().is_empty())
        .collect();
    if with_content.len() > 1 {
        doc.notes.push(ReadNote {
            message: format!(
                "工作簿有 {} 个工作表（{}），依次读取；行号、列号指各自工作表中的位置",
                with_content.len(),
                with_content
                    .iter()
                    .map(|s| format!("“{}”", s.name))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            pos: Pos::new(1, 1),
        });
    }
    for sheet in with_content {
        sheet_blocks(sheet, &mut doc.blocks);
    }
    doc
}

/// Text that reads as a sentence rather than a label.
fn is_prose(text: &str) -> bool {
    let t = text.trim();
    t.ends_with('。') || t.ends_with('；') || t.chars().count() > 60
}

/// The blocks of one sheet.
fn sheet_blocks(sheet: &Sheet, out: &mut Vec<Block>) {
    let rows = sheet.rows();
    // Runs of consecutive rows: a row not filled but covered by a vertical
    // merge from the row above does not break a run.
    let mut runs: Vec<Vec<usize>> = Vec::new();
    let mut prev: Option<u32> = None;
    for (i, (r, _)) in rows.iter().enumerate() {
        let joined = match prev {
            Some(p) => *r - p <= 50 && (p + 1..*r).all(|gap| row_is_merged_into(sheet, p, gap)),
            None => false,
        };
        if joined {
            if let Some(run) = runs.last_mut() {
                run.push(i);
            }
        } else {
            runs.push(vec![i]);
        }
        prev = Some(*r);
    }
    for run in runs {
        let multi: Vec<bool> = run.iter().map(|&i| rows[i].1.len() >= 2).collect();
        let first = multi.iter().position(|&m| m);
        let last = multi.iter().rposition(|&m| m);
        let mut in_table = vec![false; run.len()];
        if let (Some(a), Some(b)) = (first, last) {
            for k in a..=b {
                let (_, cells) = &rows[run[k]];
                in_table[k] = multi[k] || !is_prose(&cells[0].1.shown());
            }
            // Merged single rows right above or below (clause headings).
            let merged_label = |k: usize| {
                let (r, cells) = &rows[run[k]];
                let (c, v) = cells[0];
                sheet.span(*r, c).1 > 1 && !is_prose(&v.shown())
            };
            let mut k = a;
            while k > 0 && merged_label(k - 1) {
                k -= 1;
                in_table[k] = true;
            }
            let mut k = b;
            while k + 1 < run.len() && merged_label(k + 1) {
                k += 1;
                in_table[k] = true;
            }
        }
        let mut k = 0;
        while k < run.len() {
            if in_table[k] {
                let start = k;
                while k < run.len() && in_table[k] {
                    k += 1;
                }
                let table_rows: Vec<u32> = run[start..k].iter().map(|&i| rows[i].0).collect();
                if let Some(t) = table(sheet, &table_rows) {
                    out.push(Block::Table(t));
                }
            } else {
                let (r, cells) = &rows[run[k]];
                for (c, v) in cells {
                    out.push(Block::Paragraph {
                        text: v.shown().trim().to_string(),
                        pos: Pos::new(r + 1, c + 1),
                    });
                }
                k += 1;
            }
        }
    }
}

/// Whether an empty row is inside a merged region starting at or above the
/// filled row `above` (a vertically merged table row).
fn row_is_merged_into(sheet: &Sheet, above: u32, r: u32) -> bool {
    sheet.merges.iter().any(|m| m.r0 <= above && r <= m.r1)
}

/// The table over the given sheet rows (consecutive, possibly with gaps
/// covered by merges): every column from the leftmost to the rightmost
/// filled cell.
fn table(sheet: &Sheet, rows: &[u32]) -> Option<Table> {
    let (&r0, &r1) = (rows.first()?, rows.last()?);
    let mut c0 = u32::MAX;
    let mut c1 = 0;
    for (&(r, c), v) in sheet.cells.range((r0, 0)..=(r1, u32::MAX)) {
        if v.shown().trim().is_empty() {
            continue;
        }
        let (_, cols) = sheet.span(r, c);
        c0 = c0.min(c);
        c1 = c1.max(c + cols - 1);
    }
    if c0 == u32::MAX {
        return None;
    }
    let c1 = c1.min(c0 + MAX_TABLE_WIDTH - 1);
    // A table wider and longer than any report is laid out from its filled
    // cells only (Table::grid bounds it anyway).
    let dense = (r1 - r0 + 1) as u64 * (c1 - c0 + 1) as u64 <= 4_000_000;
    let mut out = Vec::new();
    for r in r0..=r1 {
        let mut line = Vec::new();
        let cols: Vec<u32> = if dense {
            (c0..=c1).collect()
        } else {
            sheet
                .cells
                .range((r, c0)..=(r, c1))
                .map(|(k, _)| k.1)
                .collect()
        };
        for c in cols {
            if sheet.is_covered(r, c) {
                // Covered by a merge starting in this table: the span says
                // so. A merge starting outside it (above or to the left)
                // stands as an empty cell here.
                let (or, oc) = sheet.origin(r, c);
                if or >= r0 && oc >= c0 {
                    continue;
                }
            }
            let text = sheet
                .cells
                .get(&(r, c))
                .map(Value::shown)
                .unwrap_or_default();
            let mut cell = TableCell::new(text.trim().to_string(), Pos::new(r + 1, c + 1));
            let (rs, cs) = sheet.span(r, c);
            cell.row_span = rs.min(r1 - r + 1).min(crate::docx::MAX_SPAN);
            cell.col_span = cs.min(c1 - c + 1).min(crate::docx::MAX_SPAN);
            line.push(cell);
        }
        out.push(line);
    }
    Some(Table {
        rows: out,
        pos: Pos::new(r0 + 1, c0 + 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_shown() {
        assert_eq!(number_text(12.0), "12");
        assert_eq!(number_text(12.5), "12.5");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(1.2345), "1.2345");
        assert_eq!(number_text(-0.0), "0");
        assert_eq!(number_text(f64::NAN), "");
    }

    #[test]
    fn column_names() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(16383), "XFD");
    }

    fn sheet(cells: &[((u32, u32), &str)], merges: &[Merge]) -> Sheet {
        let cells = cells
            .iter()
            .map(|(k, v)| (*k, Value::Text(v.to_string())))
            .collect();
        let mut budget = MAX_MERGED_SLOTS;
        Sheet::new("表", cells, merges.to_vec(), &mut budget, &mut Vec::new())
    }

    #[test]
    fn rows_become_paragraphs_and_tables() {
        let s = sheet(
            &[
                ((0, 0), "某局2024年政府信息公开工作年度报告"),
                ((2, 0), "二、主动公开政府信息情况"),
                ((3, 0), "第二十条第（一）项"),
                ((4, 0), "信息内容"),
                ((4, 1), "本年制发件数"),
                ((5, 0), "规章"),
                ((5, 1), "3"),
                ((6, 0), "本机关全年共收到申请 5 件。"),
            ],
            &[Merge {
                r0: 3,
                c0: 0,
                r1: 3,
                c1: 1,
            }],
        );
        let mut blocks = Vec::new();
        sheet_blocks(&s, &mut blocks);
        assert_eq!(blocks.len(), 4, "{blocks:?}");
        assert_eq!(blocks[0].text(), Some("某局2024年政府信息公开工作年度报告"));
        assert_eq!(blocks[1].pos(), Pos::new(3, 1));
        let Block::Table(t) = &blocks[2] else {
            panic!("{blocks:?}")
        };
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[0].len(), 1);
        assert_eq!(t.rows[0][0].col_span, 2);
        assert_eq!(t.rows[2][1].text, "3");
        assert_eq!(t.rows[2][1].pos, Pos::new(6, 2));
        assert_eq!(blocks[3].text(), Some("本机关全年共收到申请 5 件。"));
    }

    #[test]
    fn hostile_merges_are_bounded() {
        let s = sheet(
            &[((0, 0), "a"), ((1_000_000, 100), "c")],
            &[
                Merge {
                    r0: 0,
                    c0: 0,
                    r1: MAX_ROWS,
                    c1: MAX_COLS,
                },
                Merge {
                    r0: 5,
                    c0: 1,
                    r1: 0,
                    c1: 0,
                },
            ],
        );
        assert!(s.merges.is_empty());
        let mut blocks = Vec::new();
        sheet_blocks(&s, &mut blocks);
        assert_eq!(blocks.len(), 2);
    }

    #[test]
    fn unpacking_stops_at_the_cap() {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file("xl/workbook.xml", options).unwrap();
        w.write_all(&vec![b' '; 100_000]).unwrap();
        let bytes = w.finish().unwrap().into_inner();
        let e = open_limited(&bytes, 50_000).unwrap_err();
        assert!(e.message.contains("解压上限"), "{}", e.message);
        // A part that says it is small but unpacks to more is stopped too:
        // patch the sizes in its local header and central directory entry.
        let mut lying = bytes.clone();
        let small = 1000u32.to_le_bytes();
        for i in 0..lying.len() - 4 {
            if lying[i..].starts_with(b"PK\x03\x04") {
                lying[i + 22..i + 26].copy_from_slice(&small);
            } else if lying[i..].starts_with(b"PK\x01\x02") {
                lying[i + 24..i + 28].copy_from_slice(&small);
            }
        }
        assert!(open_limited(&lying, 50_000).is_err());
    }

    #[test]
    fn not_a_workbook() {
        assert!(read(b"").is_err());
        assert!(read(b"PK\x03\x04garbage").is_err());
        assert!(read(b"hello").unwrap_err().message.contains("ZIP"));
    }
}
