//! Excel workbooks (.xlsx): one report's workbook ([`write_xlsx`]) and the
//! collection sheet of many reports ([`write_collection`]).
//!
//! **One report** ([`write_xlsx`]), on one sheet named 年度报告: the title
//! across the width of table 3; the sections under the template's headings,
//! each paragraph in a row of its own (merged across, wrapped); and the three
//! tables drawn as the template draws them (by [`crate::layout`]), merged
//! header cells and all, with a blank row before and after each table. The
//! label columns share three sheet columns (A–C): table 3's three label
//! levels take one each, table 2's single label column spans all three;
//! table 4, which has no label column, starts at column A. Values are
//! numbers: counts with format `0`, amounts in 万元 with as many decimals as
//! the value has (two to four). Text in 宋体 (section headings 黑体, body
//! text 仿宋), thin borders on every table cell, A4 landscape, one page wide.
//!
//! **Collection sheet** ([`write_collection`]), on one sheet named 汇总表:
//! one row per report; columns 机关名称, 年度, 版本 (the template edition,
//! 2021 or 2019), 错误, 警告 (counts of the report's diagnostics), then one
//! column per cell — every cell of the 2021 edition, then those only the 2019
//! edition has when a report uses it. Four header rows word each cell as the
//! template does (the section of its table; the clause or group; the row
//! label; the column label), merged where neighbours share them, and a fifth
//! row gives the cell addresses (and `agency`, `year`, `template`, `errors`,
//! `warnings`), so that the sheet reads back exactly
//! (`gongkai_read::read_collection`). Panes are frozen below the header and
//! right of the agency column.
//!
//! The output depends on the reports only: the workbook's creation date is
//! fixed.

use crate::layout::{self, Content, Drawn};
use crate::Options;
use gongkai_report::{count_levels, Num, Report};
use gongkai_template::{Edition, TableKey, Template, ValueKind};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};

/// Excel keeps at most this many characters in a cell.
const MAX_CELL_CHARS: usize = 32_767;
/// Rows of a sheet.
const MAX_ROWS: usize = 1_048_576;
/// Widths of the label columns A–C and of the value columns, in characters.
const LABEL_WIDTHS: [f64; 3] = [7.0, 11.0, 32.0];
const VALUE_WIDTH: f64 = 9.5;
/// The font of tables and headers.
const SONG: &str = "宋体";
const HEI: &str = "黑体";
const FANGSONG: &str = "仿宋";
/// A4 in Excel's paper codes.
const A4: u8 = 9;

fn clip(s: &str) -> String {
    if s.chars().count() > MAX_CELL_CHARS {
        s.chars().take(MAX_CELL_CHARS).collect()
    } else {
        s.to_string()
    }
}

fn properties(title: &str) -> DocProperties {
    let mut p = DocProperties::new().set_title(clip(title));
    if let Ok(d) = ExcelDateTime::from_ymd(2021, 1, 1) {
        p = p.set_creation_datetime(&d);
    }
    p
}

/// How many decimals an amount is shown with: as many as it has, two to four.
fn decimals(v: f64) -> usize {
    (2..=4)
        .find(|&d| {
            let s = format!("{v:.*}", d);
            s.parse::<f64>().ok() == Some(v)
        })
        .unwrap_or(4)
}

fn number_format(kind: ValueKind, v: Num) -> String {
    match kind {
        ValueKind::Amount => format!("0.{}", "0".repeat(decimals(v.as_f64()))),
        _ => match v {
            Num::Int(_) => "0".to_string(),
            // A count with decimals is wrong, but is shown as it is.
            Num::Dec(d) => format!("0.{}", "0".repeat(decimals(d))),
        },
    }
}

struct Styles {
    title: Format,
    heading: Format,
    paragraph: Format,
    label: Format,
    label_left: Format,
    head: Format,
    value: Format,
}

impl Styles {
    fn new() -> Styles {
        let cell = Format::new()
            .set_font_name(SONG)
            .set_font_size(10)
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        Styles {
            title: Format::new()
                .set_font_name(SONG)
                .set_font_size(18)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            heading: Format::new().set_font_name(HEI).set_font_size(12),
            paragraph: Format::new()
                .set_font_name(FANGSONG)
                .set_font_size(12)
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            label: cell.clone().set_align(FormatAlign::Center),
            label_left: cell.clone().set_align(FormatAlign::Left),
            head: cell.clone().set_align(FormatAlign::Center).set_bold(),
            value: cell.set_align(FormatAlign::Center),
        }
    }
}

/// Writes one report as a workbook, with default options.
pub fn write_xlsx(report: &Report) -> Vec<u8> {
    write_xlsx_with(report, &Options::default())
}

/// Writes one report as a workbook.
pub fn write_xlsx_with(report: &Report, options: &Options) -> Vec<u8> {
    match build_report(report, options) {
        Ok(bytes) => bytes,
        Err(e) => failure_workbook(&format!("无法生成工作簿：{e}")),
    }
}

/// A workbook saying why the real one could not be written (it cannot fail).
fn failure_workbook(message: &str) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let _ = sheet.write_string(0, 0, clip(message));
    book.save_to_buffer().unwrap_or_default()
}

/// The sheet columns a drawn table's column takes: its first and last.
fn sheet_columns(d: &Drawn) -> Vec<(u16, u16)> {
    let grid = d.expand();
    // Label columns: those left of the first value in every body row.
    let labels = grid
        .iter()
        .zip(&d.rows)
        .filter(|(_, r)| r.kind == layout::RowKind::Body)
        .filter_map(|(line, _)| {
            line.iter()
                .position(|s| matches!(s, Some(s) if matches!(s.content, Content::Value(_))))
        })
        .min()
        .unwrap_or(0);
    let area = LABEL_WIDTHS.len();
    (0..d.width)
        .map(|c| {
            if labels == 0 {
                (c as u16, c as u16)
            } else if c < labels {
                let last = if c + 1 == labels { area - 1 } else { c };
                (c as u16, last as u16)
            } else {
                let at = (area + c - labels) as u16;
                (at, at)
            }
        })
        .collect()
}

/// Lines a text needs in a cell `width` characters wide, a Chinese character
/// taking `char_units` of them (a Latin letter or figure half as many).
fn lines_for(text: &str, width: f64, char_units: f64) -> usize {
    let per_line = (width / char_units).max(1.0);
    text.lines()
        .map(|l| {
            let units: f64 = l
                .chars()
                .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
                .sum();
            (units / per_line).ceil().max(1.0) as usize
        })
        .sum::<usize>()
        .max(1)
}

fn build_report(report: &Report, options: &Options) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let mut book = Workbook::new();
    let title = layout::title(report);
    book.set_properties(&properties(&title));
    let sheet = book.add_worksheet();
    sheet.set_name("年度报告")?;
    sheet.set_paper_size(A4);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_print_center_horizontally(true);
    sheet.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    for (c, w) in LABEL_WIDTHS.iter().enumerate() {
        sheet.set_column_width(c as u16, *w)?;
    }
    let t = report.template();
    let parts = layout::parts(report, options);
    let widest = parts
        .iter()
        .filter_map(|p| p.table.as_ref())
        .map(|d| sheet_columns(d).last().map_or(0, |c| c.1 as usize + 1))
        .max()
        .unwrap_or(LABEL_WIDTHS.len() + 7);
    for c in LABEL_WIDTHS.len()..widest.max(LABEL_WIDTHS.len() + 7) {
        sheet.set_column_width(c as u16, VALUE_WIDTH)?;
    }
    // Text spans the width of table 3 (A–J).
    let text_last: u16 = (LABEL_WIDTHS.len() + 7 - 1) as u16;
    let text_width: f64 = LABEL_WIDTHS.iter().sum::<f64>() + 7.0 * VALUE_WIDTH;

    let mut row: u32 = 0;
    sheet.merge_range(row, 0, row, text_last, &clip(&title), &styles.title)?;
    sheet.set_row_height(row, 36)?;
    row += 2;
    for part in &parts {
        if row as usize >= MAX_ROWS - 200 {
            break;
        }
        sheet.write_string_with_format(row, 0, clip(&part.section.heading()), &styles.heading)?;
        sheet.set_row_height(row, 20)?;
        row += 1;
        for p in &part.paragraphs {
            if row as usize >= MAX_ROWS - 200 {
                break;
            }
            let text = clip(p);
            sheet.merge_range(row, 0, row, text_last, &text, &styles.paragraph)?;
            let lines = lines_for(&text, text_width, 2.2).min(400);
            sheet.set_row_height(row, (lines as f64 * 16.0 + 4.0).min(409.0))?;
            row += 1;
        }
        if let Some(d) = &part.table {
            row += 1;
            row = draw_table(sheet, report, t, d, row, &styles)?;
            row += 1;
        }
        row += 1;
    }
    book.save_to_buffer()
}

/// Draws a table from `top`; returns the row after it.
fn draw_table(
    sheet: &mut Worksheet,
    report: &Report,
    t: &Template,
    d: &Drawn,
    top: u32,
    styles: &Styles,
) -> Result<u32, XlsxError> {
    let cols = sheet_columns(d);
    let grid = d.expand();
    let width_of = |c0: u16, c1: u16| -> f64 {
        (c0..=c1)
            .map(|c| LABEL_WIDTHS.get(c as usize).copied().unwrap_or(VALUE_WIDTH))
            .sum()
    };
    for (r, line) in grid.iter().enumerate() {
        // Rows are as tall as their longest label needs (spreadsheets do not
        // grow rows for wrapped text in merged cells).
        let lines = line
            .iter()
            .enumerate()
            .filter_map(|(c, s)| s.map(|s| (c, s)))
            .filter(|(_, s)| s.rows == 1)
            .filter_map(|(c, s)| match s.content {
                Content::Label(text) | Content::Note(text) => {
                    let last = cols[(c + s.cols - 1).min(cols.len() - 1)].1;
                    Some(lines_for(text, width_of(cols[c].0, last) - 1.0, 1.9))
                }
                _ => None,
            })
            .max()
            .unwrap_or(1);
        sheet.set_row_height(top + r as u32, (lines as f64 * 13.0 + 3.0).max(16.0))?;
        let kind = d.rows[r].kind;
        for (c, slot) in line.iter().enumerate() {
            let Some(slot) = slot else { continue };
            let r0 = top + r as u32;
            let r1 = r0 + slot.rows as u32 - 1;
            let c0 = cols[c].0;
            let c1 = cols[(c + slot.cols - 1).min(cols.len() - 1)].1;
            let merged = r1 > r0 || c1 > c0;
            match slot.content {
                Content::Label(text) | Content::Note(text) => {
                    let format = match kind {
                        layout::RowKind::Body if matches!(slot.content, Content::Label(_)) => {
                            // Row labels read left-aligned; group labels centred.
                            if c + slot.cols == cols.len()
                                || !matches!(line.get(c + slot.cols), Some(Some(s)) if !matches!(s.content, Content::Value(_)))
                            {
                                &styles.label_left
                            } else {
                                &styles.label
                            }
                        }
                        layout::RowKind::Clause => &styles.label_left,
                        _ => &styles.head,
                    };
                    if merged {
                        sheet.merge_range(r0, c0, r1, c1, text, format)?;
                    } else {
                        sheet.write_string_with_format(r0, c0, text, format)?;
                    }
                }
                Content::Empty => {
                    if merged {
                        sheet.merge_range(r0, c0, r1, c1, "", &styles.value)?;
                    } else {
                        sheet.write_blank(r0, c0, &styles.value)?;
                    }
                }
                Content::Value(i) => {
                    if merged {
                        sheet.merge_range(r0, c0, r1, c1, "", &styles.value)?;
                    }
                    match report.cell_at(i) {
                        Some(cell) => {
                            let f = styles
                                .value
                                .clone()
                                .set_num_format(number_format(t.cells[i].kind, cell.value));
                            sheet.write_number_with_format(r0, c0, cell.value.as_f64(), &f)?;
                        }
                        None => {
                            if !merged {
                                sheet.write_blank(r0, c0, &styles.value)?;
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(top + d.rows.len() as u32)
}

// ---------------------------------------------------------------------------
// The collection sheet.

/// The keys written in the address row over the first columns.
const META_KEYS: [&str; 5] = ["agency", "year", "template", "errors", "warnings"];
/// Their headings.
const META_HEADINGS: [&str; 5] = ["机关名称", "年度", "版本", "错误", "警告"];
/// Header rows: section, group, row label, column label, address.
const HEAD_ROWS: u32 = 5;

/// A cell column of the collection sheet: its address and how the template
/// words it.
struct CellColumn {
    address: &'static str,
    kind: ValueKind,
    levels: [String; 4],
}

/// The cell columns for reports of these editions: the 2021 edition's cells
/// (also when there are no reports), then those only the 2019 edition has.
fn cell_columns(reports: &[Report]) -> Vec<CellColumn> {
    let has = |e: Edition| reports.iter().any(|r| r.edition == e);
    let mut editions = Vec::new();
    if has(Edition::V2021) || !has(Edition::V2019) {
        editions.push(Edition::V2021);
    }
    if has(Edition::V2019) {
        editions.push(Edition::V2019);
    }
    let mut out: Vec<CellColumn> = Vec::new();
    for e in editions {
        let t = Template::get(e);
        for def in &t.cells {
            if out.iter().any(|c| c.address == def.address) {
                continue;
            }
            let table = t.table(def.table);
            let row = &table.rows[def.row];
            let col = &table.columns[def.column];
            let section = t.section(table.section).heading();
            let group = match def.table {
                TableKey::T2 => row.clause.unwrap_or_default().to_string(),
                _ => row.group.unwrap_or_default().to_string(),
            };
            out.push(CellColumn {
                address: def.address.as_str(),
                kind: def.kind,
                levels: [section, group, row.label.to_string(), col.label.to_string()],
            });
        }
    }
    out
}

/// Writes the collection sheet of many reports: one row per report. An
/// error (in Chinese) when the reports do not fit on one sheet.
pub fn write_collection(reports: &[Report]) -> Result<Vec<u8>, String> {
    if reports.len() + HEAD_ROWS as usize > MAX_ROWS {
        return Err(format!(
            "报告过多：一张工作表最多容纳 {} 份报告，现有 {} 份；请分批导出",
            MAX_ROWS - HEAD_ROWS as usize,
            reports.len()
        ));
    }
    build_collection(reports).map_err(|e| format!("无法生成工作簿：{e}"))
}

fn build_collection(reports: &[Report]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    book.set_properties(&properties("政府信息公开工作年度报告汇总表"));
    let sheet = book.add_worksheet();
    sheet.set_name("汇总表")?;
    sheet.set_paper_size(A4);
    sheet.set_landscape();
    let head = Format::new()
        .set_font_name(SONG)
        .set_font_size(10)
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(Color::RGB(0xF2F2F2));
    let address = Format::new()
        .set_font_name("Arial")
        .set_font_size(8)
        .set_font_color(Color::RGB(0x808080))
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    let text = Format::new()
        .set_font_name(SONG)
        .set_font_size(10)
        .set_border(FormatBorder::Thin);
    let count = text.clone().set_num_format("0");
    let centred = text.clone().set_align(FormatAlign::Center);
    let centred_count = count.clone().set_align(FormatAlign::Center);

    let columns = cell_columns(reports);
    let first = META_KEYS.len() as u16;
    // The first columns.
    for (c, h) in META_HEADINGS.iter().enumerate() {
        sheet.merge_range(0, c as u16, HEAD_ROWS - 2, c as u16, h, &head)?;
        sheet.write_string_with_format(HEAD_ROWS - 1, c as u16, META_KEYS[c], &address)?;
    }
    sheet.set_column_width(0, 28)?;
    for c in 1..first {
        sheet.set_column_width(c, 6.5)?;
    }
    // The label rows: runs of equal neighbours merged; an empty group merged
    // into the row label below it.
    let col_of = |k: usize| first + k as u16;
    for level in 0..4usize {
        let mut k = 0;
        while k < columns.len() {
            let text_here = &columns[k].levels[level];
            // Runs stop where any level above changes too.
            let mut end = k + 1;
            while end < columns.len()
                && (0..=level).all(|l| columns[end].levels[l] == columns[k].levels[l])
                && level < 3
            {
                end += 1;
            }
            let r = level as u32;
            if level == 1 && text_here.is_empty() {
                // Left to the row label, which takes both rows.
                k = end;
                continue;
            }
            let top_row = if level == 2 && columns[k].levels[1].is_empty() {
                1
            } else {
                r
            };
            let (c0, c1) = (col_of(k), col_of(end - 1));
            if c1 > c0 || top_row < r {
                sheet.merge_range(top_row, c0, r, c1, text_here, &head)?;
            } else {
                sheet.write_string_with_format(r, c0, text_here, &head)?;
            }
            k = end;
        }
    }
    for (k, col) in columns.iter().enumerate() {
        sheet.write_string_with_format(HEAD_ROWS - 1, col_of(k), col.address, &address)?;
        sheet.set_column_width(col_of(k), 10)?;
    }
    sheet.set_row_height(0, 30)?;
    sheet.set_row_height(1, 30)?;
    sheet.set_row_height(2, 54)?;
    sheet.set_row_height(3, 42)?;
    sheet.set_freeze_panes(HEAD_ROWS, 1)?;

    let mut formats: std::collections::HashMap<String, Format> = Default::default();
    for (i, report) in reports.iter().enumerate() {
        let r = HEAD_ROWS + i as u32;
        if let Some(a) = &report.agency {
            sheet.write_string_with_format(r, 0, clip(a.trim()), &text)?;
        } else {
            sheet.write_blank(r, 0, &text)?;
        }
        match report.year {
            Some(y) => sheet.write_number_with_format(r, 1, y as f64, &centred_count)?,
            None => sheet.write_blank(r, 1, &text)?,
        };
        sheet.write_string_with_format(r, 2, report.edition.as_str(), &centred)?;
        let (e, w, _) = count_levels(&report.diagnostics);
        sheet.write_number_with_format(r, 3, e as f64, &centred_count)?;
        sheet.write_number_with_format(r, 4, w as f64, &centred_count)?;
        let t = report.template();
        for (k, col) in columns.iter().enumerate() {
            let Some(index) = t.cell_index(col.address) else {
                continue;
            };
            let Some(cell) = report.cell_at(index) else {
                continue;
            };
            let nf = number_format(col.kind, cell.value);
            let f = formats
                .entry(nf.clone())
                .or_insert_with(|| text.clone().set_num_format(&nf));
            sheet.write_number_with_format(r, col_of(k), cell.value.as_f64(), f)?;
        }
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_keep_their_decimals() {
        assert_eq!(decimals(12.0), 2);
        assert_eq!(decimals(12.5), 2);
        assert_eq!(decimals(1.234), 3);
        assert_eq!(decimals(1.2345), 4);
        assert_eq!(decimals(1.23456), 4);
        assert_eq!(number_format(ValueKind::Count, Num::Int(3)), "0");
        assert_eq!(number_format(ValueKind::Amount, Num::Int(3)), "0.00");
    }

    #[test]
    fn label_columns_share_the_first_three() {
        let t = Template::get(Edition::V2021);
        let t2 = sheet_columns(&layout::draw(t, TableKey::T2));
        assert_eq!(t2[0], (0, 2));
        assert_eq!(t2[1], (3, 3));
        let t3 = sheet_columns(&layout::draw(t, TableKey::T3));
        assert_eq!(t3[..4], [(0, 0), (1, 1), (2, 2), (3, 3)]);
        let t4 = sheet_columns(&layout::draw(t, TableKey::T4));
        assert_eq!(t4[0], (0, 0));
        assert_eq!(t4.len(), 15);
    }

    #[test]
    fn workbooks_are_zip_archives() {
        let r = crate::testutil::full_report(Edition::V2021);
        let bytes = write_xlsx(&r);
        assert!(bytes.starts_with(b"PK\x03\x04"));
        assert_eq!(bytes, write_xlsx(&r), "deterministic");
        let c =
            write_collection(&[r.clone(), crate::testutil::full_report(Edition::V2019)]).unwrap();
        assert!(c.starts_with(b"PK\x03\x04"));
    }
}

/// A plain table as a workbook: one sheet named `sheet`, a bold header row
/// frozen at the top, then the rows as text (a value beginning with `=`,
/// `+`, `-` or `@` stays text: nothing is written as a formula). An error
/// (in Chinese) when the rows do not fit on one sheet.
pub fn write_table(
    sheet_name: &str,
    headers: &[&str],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, String> {
    if rows.len() + 1 > MAX_ROWS {
        return Err(format!(
            "行数过多：一张工作表最多容纳 {} 行，现有 {} 行；请缩小筛选范围",
            MAX_ROWS - 1,
            rows.len()
        ));
    }
    build_table(sheet_name, headers, rows).map_err(|e| format!("无法生成工作簿：{e}"))
}

fn build_table(
    sheet_name: &str,
    headers: &[&str],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    book.set_properties(&properties(sheet_name));
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name)?;
    let head = Format::new()
        .set_font_name(SONG)
        .set_font_size(10)
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0xF2F2F2));
    let text = Format::new()
        .set_font_name(SONG)
        .set_font_size(10)
        .set_border(FormatBorder::Thin);
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count() * 2 + 2).collect();
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &head)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate().take(headers.len()) {
            sheet.write_string_with_format(r as u32 + 1, c as u16, clip(v), &text)?;
            let w = v.chars().count() * 2 + 2;
            if let Some(slot) = widths.get_mut(c) {
                *slot = (*slot).max(w.min(60));
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, *w as f64)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}

#[cfg(test)]
mod table_tests {
    #[test]
    fn a_table_is_a_workbook_with_its_header_and_rows() {
        let rows = vec![
            vec!["示例局".to_string(), "=1+1".to_string()],
            vec!["另一局".to_string(), "2026-0001".to_string()],
        ];
        let bytes = super::write_table("申请台账", &["机关", "编号"], &rows).expect("workbook");
        assert!(bytes.starts_with(b"PK"));
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
        let mut shared = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/sharedStrings.xml").expect("strings"),
            &mut shared,
        )
        .expect("utf-8");
        for s in ["机关", "编号", "示例局", "=1+1", "2026-0001"] {
            assert!(shared.contains(s), "{s}");
        }
        let mut sheet = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").expect("sheet"),
            &mut sheet,
        )
        .expect("utf-8");
        assert!(!sheet.contains("<f>"), "no formula is written");
    }
}
