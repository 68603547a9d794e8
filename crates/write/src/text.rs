//! Plain text, laid out like reports copied from the web pages that publish
//! them: the title line, each section heading on a line of its own, paragraphs
//! separated by blank lines, and the tables as tab-separated rows.
//!
//! ```text
//! 某某区人民政府2024年政府信息公开工作年度报告
//!
//! 一、总体情况
//!
//! paragraph …
//!
//! 二、主动公开政府信息情况
//!
//! 第二十条第（一）项\t\t\t
//! 信息内容\t本年制发件数\t本年废止件数\t现行有效件数
//! 规章\t0\t0\t0
//! ```
//!
//! Every table row has the full width of the template's grid: a label the
//! template spans over several rows or columns is written in its first field
//! and the fields it covers are left empty — in table 3, 三、本年度办理结果 and
//! （三）不予公开 on the first row of their groups and empty fields below them.
//! A cell the report lacks is an empty field.

use crate::layout::{self, Content, Drawn};
use crate::Options;
use gongkai_report::Report;

/// Writes a report as plain text, with default options.
pub fn write(report: &Report) -> String {
    write_with(report, &Options::default())
}

/// Writes a report as plain text.
pub fn write_with(report: &Report, options: &Options) -> String {
    let mut out = String::new();
    out.push_str(&one_line(&layout::title(report)));
    out.push('\n');
    for part in layout::parts(report, options) {
        out.push('\n');
        out.push_str(&part.section.heading());
        out.push('\n');
        for p in &part.paragraphs {
            out.push('\n');
            out.push_str(&one_line(p));
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
    for line in table.expand() {
        let fields: Vec<String> = line
            .iter()
            .map(|slot| match slot.map(|s| s.content) {
                Some(Content::Label(s)) | Some(Content::Note(s)) => one_line(s),
                Some(Content::Value(i)) => layout::value_text(report, i),
                Some(Content::Empty) | None => String::new(),
            })
            .collect();
        out.push_str(&fields.join("\t"));
        out.push('\n');
    }
}

/// Text for one line that a text reader takes as a paragraph, not a table row:
/// no tabs or line breaks, and no runs of spaces (which align table columns).
fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.trim().chars() {
        if c.is_whitespace() {
            if !space {
                out.push(if c == '\u{3000}' { c } else { ' ' });
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{full_report, value_for};
    use gongkai_template::{Edition, TableKey, Template, T3_NOTE};

    fn fields(line: &str) -> Vec<&str> {
        line.split('\t').collect()
    }

    #[test]
    fn layout_like_the_seeds() {
        let r = full_report(Edition::V2021);
        let txt = write(&r);
        let lines: Vec<&str> = txt.lines().collect();
        assert_eq!(
            lines[0],
            "某某区人民政府办公室2024年政府信息公开工作年度报告"
        );
        assert_eq!(lines[1], "");
        assert_eq!(lines[2], "一、总体情况");
        assert_eq!(lines[4], "总体情况的第一段。");
        assert!(txt.contains("\n二、主动公开政府信息情况\n\n主动公开政府信息情况的第一段。\n\n主动公开政府信息情况的第二段。\n\n第二十条第（一）项\t\t\t\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t1\t2\t3\n"));
        assert!(txt.contains(
            "\n第二十条第（五）项\t\t\t\n信息内容\t本年处理决定数量\t\t\n行政许可\t7\t\t\n"
        ));
        // Table 3's headers and group labels as in the seeds.
        assert!(txt.contains(&format!("\n{T3_NOTE}\t\t\t申请人情况\t\t\t\t\t\t\n\t\t\t自然人\t法人或其他组织\t\t\t\t\t总计\n\t\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t\n")));
        assert!(txt.contains("\n三、本年度办理结果\t（一）予以公开\t\t"));
        assert!(txt.contains("\n\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t\t"));
        assert!(txt.contains("\n\t（三）不予公开\t1.属于国家秘密\t"));
        assert!(txt.contains("\n\t\t2.其他法律行政法规禁止公开\t"));
        assert!(txt.contains("\n四、结转下年度继续办理\t\t\t"));
        // Table 4: three header rows and a row of 15 numbers.
        assert!(txt.contains("\n行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t\n"));
        assert!(txt.contains(
            "\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t\n"
        ));
        let t = Template::get(Edition::V2021);
        let t4: Vec<String> = (0..t.cells.len())
            .filter(|&i| t.cells[i].table == TableKey::T4)
            .map(|i| value_for(Edition::V2021, i).to_string())
            .collect();
        assert!(txt.contains(&format!("\n{}\n", t4.join("\t"))));
        assert!(
            txt.ends_with("\n六、其他需要报告的事项\n\n其他需要报告的事项的第一段。\n\n其他需要报告的事项的第二段。\n")
        );
    }

    #[test]
    fn an_absent_column_is_left_out() {
        let mut r = full_report(Edition::V2021);
        let t = Template::get(Edition::V2021);
        let table = t.table(TableKey::T3);
        let (total, _) = table.column("total").unwrap();
        for ri in 0..table.rows.len() {
            let i = t.cell_at(TableKey::T3, ri, total).unwrap();
            r.cells[i] = None;
        }
        let txt = write(&r);
        for (ri, row) in table.rows.iter().enumerate() {
            let line = txt
                .lines()
                .filter(|l| l.contains('\t'))
                .find(|l| fields(l)[..3].contains(&row.label))
                .expect(row.label);
            let f = fields(line);
            // Three label columns and six value columns: no empty 总计 field,
            // which would read back as a blank cell.
            assert_eq!(f.len(), 9, "{line}");
            for c in 0..6 {
                let i = t.cell_at(TableKey::T3, ri, c).unwrap();
                assert_eq!(f[3 + c], value_for(Edition::V2021, i).to_string());
            }
        }
        let header = txt.lines().find(|l| l.contains("自然人")).unwrap();
        assert!(
            !header.contains("总计"),
            "the header leaves 总计 out too: {header}"
        );
    }

    #[test]
    fn paragraphs_are_single_lines() {
        assert_eq!(one_line("  a\tb    c\u{3000}\u{3000}d  "), "a b c\u{3000}d");
        let mut r = gongkai_report::Report::new("x", Edition::V2021);
        r.sections[0] = Some(gongkai_report::SectionText {
            heading: "一、总体情况".into(),
            pos: gongkai_report::Pos::UNKNOWN,
            text: "第一行\t有制表符\n\n   \n第二行".into(),
        });
        let txt = write(&r);
        assert_eq!(
            txt,
            "政府信息公开工作年度报告\n\n一、总体情况\n\n第一行 有制表符\n\n第二行\n"
        );
    }
}

/// The text as a crawler saves a page: the title on its own line, then the
/// whole report on one line, every cell glued to the next (the copies gongkai
/// must read back; for tests and benchmarks).
pub fn crawler_copy(text: &str) -> String {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let title = lines.next().unwrap_or_default().to_string();
    let body: String = lines
        .map(|l| {
            if l.contains('\t') {
                l.replace('\t', "")
            } else {
                format!(" {l} ")
            }
        })
        .collect();
    format!("{title}\n{body}")
}
