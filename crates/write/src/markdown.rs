//! Markdown (CommonMark with GFM pipe tables).
//!
//! ```text
//! # {agency}{year}年政府信息公开工作年度报告
//!
//! ## 一、总体情况
//!
//! paragraph …
//!
//! ## 二、主动公开政府信息情况
//!
//! | 第二十条第（一）项 |  |  |  |
//! | --- | --- | --- | --- |
//! | 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
//! | 规章 | 0 | 0 | 0 |
//! …
//! ```
//!
//! Each table is one pipe table on the template's grid. Pipe tables cannot
//! merge cells, so a label that the template spans over several rows or
//! columns is written in its first slot and the slots it covers are left
//! empty: table 2's clause headings (第二十条第（一）项 …) are rows of their own,
//! each followed by its 信息内容 header row; table 3 has three label columns
//! (三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密) and its three header rows;
//! table 4 its three header rows and one row of 15 numbers. The first row of
//! the template's header is the pipe table's header; the others follow it.

use crate::layout::{self, Content, Drawn};
use crate::Options;
use gongkai_report::Report;

/// Writes a report as Markdown, with default options.
pub fn write(report: &Report) -> String {
    write_with(report, &Options::default())
}

/// Writes a report as Markdown.
pub fn write_with(report: &Report, options: &Options) -> String {
    let mut out = String::new();
    out.push_str("# ");
    out.push_str(&escape_inline(&layout::title(report)));
    out.push('\n');
    for part in layout::parts(report, options) {
        out.push_str("\n## ");
        out.push_str(&part.section.heading());
        out.push('\n');
        for p in &part.paragraphs {
            out.push('\n');
            out.push_str(&escape_paragraph(p));
            out.push('\n');
        }
        if let Some(table) = &part.table {
            out.push('\n');
            write_table(&mut out, report, table);
        }
    }
    out
}

fn write_table(out: &mut String, report: &Report, table: &Drawn) {
    let grid = table.expand();
    for (r, line) in grid.iter().enumerate() {
        out.push('|');
        for slot in line {
            let text = match slot.map(|s| s.content) {
                Some(Content::Label(s)) | Some(Content::Note(s)) => escape_cell(s),
                Some(Content::Value(i)) => layout::value_text(report, i),
                Some(Content::Empty) | None => String::new(),
            };
            out.push(' ');
            out.push_str(&text);
            out.push_str(" |");
        }
        out.push('\n');
        if r == 0 {
            out.push('|');
            for _ in 0..table.width {
                out.push_str(" --- |");
            }
            out.push('\n');
        }
    }
}

/// Escapes text inside a table cell: pipes, backslashes, inline markup, and
/// line breaks (which a pipe table cannot hold) as spaces.
fn escape_cell(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    escape_inline(one_line.trim())
}

/// Backslash-escapes the ASCII punctuation that inline Markdown gives meaning to.
fn escape_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '~' | '#' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escapes one paragraph line so that it stays a paragraph: inline markup, and
/// at the start of the line what would open a heading, list, quote, thematic
/// break or code block.
fn escape_paragraph(line: &str) -> String {
    let line = line.trim_matches(|c: char| c == ' ' || c == '\t');
    let mut out = escape_inline(line);
    // Block markers at the start of the line (`#`, `>` are escaped already).
    let first = out.chars().next();
    if matches!(first, Some('-' | '+' | '=')) {
        out.insert(0, '\\');
    } else if first.is_some_and(|c| c.is_ascii_digit()) {
        // An ordered-list marker: up to nine digits then '.' or ')'.
        let digits = out.chars().take_while(|c| c.is_ascii_digit()).count();
        if digits <= 9 {
            let after = out[digits..].chars().next();
            if matches!(after, Some('.' | ')')) {
                out.insert(digits, '\\');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{full_report, value_for};
    use gongkai_report::{Num, Origin, Pos};
    use gongkai_template::{Edition, TableKey, Template, T3_RESULTS, T3_WITHHELD};

    /// The cells of a pipe-table line, unescaped enough for the tests.
    fn cells(line: &str) -> Vec<String> {
        let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
        inner.split(" |").map(|c| c.trim().to_string()).collect()
    }

    /// The lines of the section whose heading is `heading`, up to the next heading.
    fn section<'a>(md: &'a str, heading: &str) -> Vec<&'a str> {
        let start = md
            .lines()
            .position(|l| l == format!("## {heading}"))
            .expect(heading);
        md.lines()
            .skip(start + 1)
            .take_while(|l| !l.starts_with("## "))
            .collect()
    }

    #[test]
    fn title_and_headings_are_the_templates() {
        let r = full_report(Edition::V2021);
        let md = write(&r);
        assert!(md.starts_with("# 某某区人民政府办公室2024年政府信息公开工作年度报告\n"));
        let t = Template::get(Edition::V2021);
        let headings: Vec<&str> = md.lines().filter(|l| l.starts_with("## ")).collect();
        let expected: Vec<String> = t
            .sections
            .iter()
            .map(|s| format!("## {}", s.heading()))
            .collect();
        assert_eq!(headings, expected);
        assert!(md.contains("\n总体情况的第一段。\n\n总体情况的第二段。\n"));
    }

    #[test]
    fn unknown_title_parts_are_left_out() {
        let mut r = gongkai_report::Report::new("x", Edition::V2021);
        assert!(write(&r).starts_with("# 政府信息公开工作年度报告\n"));
        r.year = Some(2023);
        assert!(write(&r).starts_with("# 2023年政府信息公开工作年度报告\n"));
        r.year = None;
        r.agency = Some("某某局".into());
        assert!(write(&r).starts_with("# 某某局政府信息公开工作年度报告\n"));
        // Nothing else: no section, no table.
        assert_eq!(write(&r).lines().count(), 1);
    }

    /// Every cell's value is in the row of its label, in its column.
    fn check_all_cells(edition: Edition) {
        let r = full_report(edition);
        let t = Template::get(edition);
        let md = write(&r);

        // Table 2: the row starting with the item label; values in template column order.
        let s2 = section(&md, &t.sections[1].heading());
        let t2 = t.table(TableKey::T2);
        for (ri, row) in t2.rows.iter().enumerate() {
            let line = s2
                .iter()
                .find(|l| cells(l).first() == Some(&row.label.to_string()))
                .expect(row.label);
            let got = cells(line);
            assert_eq!(got.len(), 4, "{line}");
            for (k, &c) in row.columns.iter().enumerate() {
                let i = t.cell_at(TableKey::T2, ri, c).unwrap();
                assert_eq!(
                    got[1 + k],
                    value_for(edition, i).to_string(),
                    "{}",
                    t.cells[i].address
                );
            }
            // The header row right above the run names the columns.
            let pos = s2.iter().position(|l| l == line).unwrap();
            let header = s2[..pos]
                .iter()
                .rev()
                .find(|l| cells(l)[0] == t2.header_notes[0])
                .unwrap();
            for (k, &c) in row.columns.iter().enumerate() {
                assert_eq!(cells(header)[1 + k], t2.columns[c].label);
            }
        }
        assert!(s2.contains(&"| 第二十条第（一）项 |  |  |  |"), "{s2:?}");

        // Table 3: the item label in the third column (or earlier for spanned labels).
        let s3 = section(&md, &t.sections[2].heading());
        let t3 = t.table(TableKey::T3);
        for (ri, row) in t3.rows.iter().enumerate() {
            let line = s3
                .iter()
                .filter(|l| l.starts_with('|'))
                .find(|l| cells(l)[..3].contains(&row.label.to_string()))
                .expect(row.label);
            let got = cells(line);
            assert_eq!(got.len(), 10, "{line}");
            for c in 0..7 {
                let i = t.cell_at(TableKey::T3, ri, c).unwrap();
                assert_eq!(got[3 + c], value_for(edition, i).to_string());
            }
        }
        // Group labels on the first row of their group, empty below.
        let first = s3
            .iter()
            .position(|l| l.starts_with(&format!("| {T3_RESULTS} |")))
            .unwrap();
        assert!(s3[first].contains("（一）予以公开"));
        assert!(s3[first + 1].starts_with("|  | （二）部分公开"));
        let w = s3
            .iter()
            .position(|l| l.contains(&format!("| {T3_WITHHELD} | 1.属于国家秘密 |")))
            .unwrap();
        assert!(s3[w + 1].starts_with("|  |  | 2.其他法律行政法规禁止公开 |"));
        assert!(s3[w].starts_with("|  | "));

        // Table 4: three header rows, then one row of 15 numbers in template order.
        let s4 = section(&md, &t.sections[3].heading());
        let rows: Vec<&&str> = s4.iter().filter(|l| l.starts_with('|')).collect();
        assert_eq!(rows.len(), 5, "{rows:?}");
        assert_eq!(cells(rows[0])[0], "行政复议");
        assert_eq!(cells(rows[0])[5], "行政诉讼");
        assert_eq!(cells(rows[2])[5], "未经复议直接起诉");
        assert_eq!(cells(rows[2])[10], "复议后起诉");
        assert!(cells(rows[3])[..5].iter().all(String::is_empty));
        assert_eq!(cells(rows[3])[5..10], cells(rows[3])[10..15]);
        assert_eq!(cells(rows[3])[5], "结果维持");
        let values = cells(rows[4]);
        let t4_cells: Vec<usize> = (0..t.cells.len())
            .filter(|&i| t.cells[i].table == TableKey::T4)
            .collect();
        assert_eq!(values.len(), 15);
        for (k, i) in t4_cells.into_iter().enumerate() {
            assert_eq!(values[k], value_for(edition, i).to_string());
        }
    }

    #[test]
    fn every_cell_in_its_row_2021() {
        check_all_cells(Edition::V2021);
    }

    #[test]
    fn every_cell_in_its_row_2019() {
        check_all_cells(Edition::V2019);
    }

    #[test]
    fn numbers_print_as_read() {
        let mut r = gongkai_report::Report::new("x", Edition::V2021);
        let o = Origin::Source(Pos::new(1, 1));
        r.set("t2.fee.amount", Num::Dec(12.5), o.clone());
        r.set("t2.license.decided", Num::Int(3), o.clone());
        let md = write(&r);
        assert!(md.contains("| 行政事业性收费 | 12.5 |  |  |"), "{md}");
        assert!(md.contains("| 行政许可 | 3 |  |  |"));
        // Absent cells are empty; tables 3 and 4 have no cell and are left out.
        assert!(md.contains("| 规章 |  |  |  |"));
        assert!(!md.contains("## 三、"));
        r.set("t2.fee.amount", Num::Dec(7.0), o);
        assert!(write(&r).contains("| 行政事业性收费 | 7 |  |  |"));
    }

    #[test]
    fn blank_cells_are_written_as_their_value() {
        let mut r = gongkai_report::Report::new("x", Edition::V2021);
        r.set(
            "t4.review.upheld",
            Num::Int(0),
            Origin::Source(Pos::new(3, 1)),
        );
        let i = r.template().cell_index("t4.review.upheld").unwrap();
        if let Some(c) = r.cells[i].as_mut() {
            c.blank = true;
        }
        let md = write(&r);
        assert!(md.contains("\n| 0 |  |  |"), "{md}");
    }

    #[test]
    fn complete_writes_the_blank_template() {
        let r = gongkai_report::Report::new("x", Edition::V2021);
        let md = write_with(&r, &Options { complete: true });
        assert_eq!(md.matches("\n## ").count(), 6);
        assert_eq!(md.lines().filter(|l| l.starts_with("| --- |")).count(), 3);
    }

    #[test]
    fn paragraphs_stay_paragraphs() {
        assert_eq!(escape_paragraph("# 标题"), "\\# 标题");
        assert_eq!(escape_paragraph("- 1、公开"), "\\- 1、公开");
        assert_eq!(escape_paragraph("1. 第一"), "1\\. 第一");
        assert_eq!(escape_paragraph("    缩进"), "缩进");
        assert_eq!(escape_paragraph("a|b*c_d"), "a\\|b\\*c\\_d");
        assert_eq!(escape_paragraph("2025年"), "2025年");
        assert_eq!(escape_cell("a|b\nc"), "a\\|b c");
    }
}
