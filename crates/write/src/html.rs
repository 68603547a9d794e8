//! HTML: one self-contained HTML5 document (UTF-8, `lang="zh-CN"`, inline CSS,
//! no external resources) in the standard layout, ready to print on A4.
//!
//! The tables are drawn with the template's merged cells: in table 2 each
//! clause heading spans the table and a sub-table with one column spans the
//! rest of the width; table 3's note spans the three header rows and the three
//! label columns, 申请人情况 spans the seven columns, 法人或其他组织 five, and
//! the row groups (三、本年度办理结果, （三）不予公开 …) span their rows; table 4
//! has 行政复议 over five columns and 行政诉讼 over ten, with 未经复议直接起诉 and
//! 复议后起诉 over five each. Labels are `<th>` cells with `scope`, values are
//! `<td>` cells carrying their address in `data-cell`.
//!
//! For print: `@page` sets A4 and its margins, tables use a fixed layout at
//! the page width, rows are not split across pages, and the header rows of
//! table 3 repeat on each page.

use crate::layout::{self, Content, Drawn, RowKind, Slot};
use crate::Options;
use gongkai_report::Report;
use gongkai_template::TableKey;
use std::fmt::Write as _;

/// The style sheet of the document.
const STYLE: &str = r#"@page { size: A4; margin: 25mm 20mm 22mm 20mm; }
* { box-sizing: border-box; }
html { color: #000; background: #fff; }
body {
  margin: 0 auto; padding: 15mm 20mm; max-width: 210mm;
  font-family: "仿宋", FangSong, "仿宋_GB2312", FangSong_GB2312, STFangsong, "Noto Serif CJK SC", "Source Han Serif SC", serif;
  font-size: 16pt; line-height: 1.75;
}
h1 {
  margin: 0 0 1em; text-align: center; font-weight: normal; font-size: 22pt; line-height: 1.5;
  font-family: "方正小标宋简体", "方正小标宋_GBK", "华文中宋", STZhongsong, "宋体", SimSun, "Noto Serif CJK SC", "Source Han Serif SC", serif;
}
h2 {
  margin: 1em 0 0.5em; text-indent: 2em; font-weight: normal; font-size: 16pt;
  font-family: "黑体", SimHei, "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif;
  break-after: avoid; page-break-after: avoid;
}
p { margin: 0; text-indent: 2em; text-align: justify; orphans: 2; widows: 2; }
table {
  width: 100%; max-width: 100%; table-layout: fixed; border-collapse: collapse;
  margin: 0.5em 0 1em; font-size: 10.5pt; line-height: 1.4;
}
th, td {
  border: 0.75pt solid #000; padding: 2pt 3pt; text-align: center; vertical-align: middle;
  font-weight: normal; overflow-wrap: anywhere; word-break: break-all;
}
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
table.t2 tbody, table.t4 { break-inside: avoid; page-break-inside: avoid; }
table.t3 tbody th { text-align: left; }
table.t3 tbody th[rowspan] { text-align: center; }
table.t4 { font-size: 9pt; }
td.note { text-align: left; font-size: 9pt; }
@media print {
  body { margin: 0; padding: 0; max-width: none; }
}
@media screen and (max-width: 210mm) {
  body { padding: 4mm; font-size: 14pt; }
  table { font-size: 9pt; }
}
"#;

/// Writes a report as an HTML document, with default options.
pub fn write(report: &Report) -> String {
    write_with(report, &Options::default())
}

/// Writes a report as an HTML document.
pub fn write_with(report: &Report, options: &Options) -> String {
    let title = escape(&layout::title(report));
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>{title}</title>");
    out.push_str("<style>\n");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<article>\n");
    let _ = writeln!(out, "<h1>{title}</h1>");
    for part in layout::parts(report, options) {
        let _ = writeln!(out, "<section id=\"{}\">", part.section.key.as_str());
        let _ = writeln!(out, "<h2>{}</h2>", escape(&part.section.heading()));
        for p in &part.paragraphs {
            let _ = writeln!(out, "<p>{}</p>", escape(p));
        }
        if let Some(table) = &part.table {
            write_table(&mut out, report, table);
        }
        out.push_str("</section>\n");
    }
    out.push_str("</article>\n</body>\n</html>\n");
    out
}

fn write_table(out: &mut String, report: &Report, table: &Drawn) {
    let _ = writeln!(out, "<table class=\"{}\">", table.key.as_str());
    out.push_str("<colgroup>");
    for w in &table.col_widths {
        let _ = write!(out, "<col style=\"width: {w:.2}%\">");
    }
    out.push_str("</colgroup>\n");
    // Header rows go into <thead> (repeated on each printed page); table 2 has
    // none — its clause rows start sub-tables, each a <tbody> kept together.
    let head: Vec<_> = table
        .rows
        .iter()
        .take_while(|r| r.kind == RowKind::Head)
        .collect();
    if !head.is_empty() {
        out.push_str("<thead>\n");
        for row in &head {
            out.push_str("<tr>");
            for slot in &row.slots {
                write_slot(out, report, slot, true);
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</thead>\n");
    }
    let mut open = false;
    for row in &table.rows[head.len()..] {
        if !open || (row.kind == RowKind::Clause && table.key == TableKey::T2) {
            if open {
                out.push_str("</tbody>\n");
            }
            out.push_str("<tbody>\n");
            open = true;
        }
        match row.kind {
            RowKind::Clause => out.push_str("<tr class=\"clause\">"),
            RowKind::SubHead | RowKind::Head => out.push_str("<tr class=\"head\">"),
            RowKind::Body => out.push_str("<tr>"),
        }
        let header_row = row.kind != RowKind::Body;
        for slot in &row.slots {
            write_slot(out, report, slot, header_row);
        }
        out.push_str("</tr>\n");
    }
    if open {
        out.push_str("</tbody>\n");
    }
    out.push_str("</table>\n");
}

fn spans(slot: &Slot) -> String {
    let mut s = String::new();
    if slot.rows > 1 {
        let _ = write!(s, " rowspan=\"{}\"", slot.rows);
    }
    if slot.cols > 1 {
        let _ = write!(s, " colspan=\"{}\"", slot.cols);
    }
    s
}

/// Writes one cell. In header rows a label names columns; in body rows it names rows.
fn write_slot(out: &mut String, report: &Report, slot: &Slot, header_row: bool) {
    let sp = spans(slot);
    match slot.content {
        Content::Label(text) => {
            let scope = match (header_row, slot.rows > 1, slot.cols > 1) {
                (true, _, true) => "colgroup",
                (true, _, false) => "col",
                (false, true, _) => "rowgroup",
                (false, false, _) => "row",
            };
            let _ = write!(out, "<th{sp} scope=\"{scope}\">{}</th>", escape(text));
        }
        Content::Note(text) => {
            let _ = write!(out, "<td{sp} class=\"note\">{}</td>", escape(text));
        }
        Content::Value(i) => {
            let address = &report.template().cells[i].address;
            let _ = write!(
                out,
                "<td{sp} data-cell=\"{}\">{}</td>",
                escape(address),
                escape(&layout::value_text(report, i))
            );
        }
        Content::Empty => {
            let _ = write!(out, "<td{sp}></td>");
        }
    }
}

/// Escapes text for HTML content and attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{full_report, value_for};
    use gongkai_report::{Num, Origin, Pos, Report, SectionText};
    use gongkai_template::{Edition, SectionKey, Template, T3_NOTE};

    /// One cell of a table as written: element name, spans, text.
    #[derive(Debug)]
    struct HCell {
        tag: String,
        rows: usize,
        cols: usize,
        text: String,
        attrs: String,
    }

    fn attr(attrs: &str, name: &str) -> Option<usize> {
        let at = attrs.find(&format!(" {name}=\""))? + name.len() + 3;
        attrs[at..].split('"').next()?.parse().ok()
    }

    /// The rows of each table of a document, parsed from the writer's own output.
    fn tables(html: &str) -> Vec<Vec<Vec<HCell>>> {
        let mut out = Vec::new();
        for chunk in html.split("<table").skip(1) {
            let body = chunk.split("</table>").next().unwrap();
            let mut rows = Vec::new();
            for tr in body.split("<tr").skip(1) {
                let tr = tr.split("</tr>").next().unwrap();
                let tr = &tr[tr.find('>').unwrap() + 1..];
                let mut cells = Vec::new();
                let mut rest = tr;
                while let Some(start) = rest.find('<') {
                    let tag = &rest[start + 1..start + 3];
                    let open_end = rest[start..].find('>').unwrap() + start;
                    let attrs = rest[start + 3..open_end].to_string();
                    let close = format!("</{tag}>");
                    let end = rest.find(&close).unwrap();
                    cells.push(HCell {
                        tag: tag.to_string(),
                        rows: attr(&attrs, "rowspan").unwrap_or(1),
                        cols: attr(&attrs, "colspan").unwrap_or(1),
                        text: rest[open_end + 1..end].to_string(),
                        attrs,
                    });
                    rest = &rest[end + close.len()..];
                }
                rows.push(cells);
            }
            out.push(rows);
        }
        out
    }

    /// Lays parsed rows out on a grid, as a browser would, and returns the
    /// width of each row (panicking on overlaps).
    fn row_widths(rows: &[Vec<HCell>]) -> Vec<usize> {
        let mut taken: Vec<Vec<bool>> = vec![Vec::new(); rows.len()];
        for (r, row) in rows.iter().enumerate() {
            let mut c = 0;
            for cell in row {
                while taken[r].get(c).copied().unwrap_or(false) {
                    c += 1;
                }
                for line in taken.iter_mut().skip(r).take(cell.rows) {
                    if line.len() < c + cell.cols {
                        line.resize(c + cell.cols, false);
                    }
                    for x in &mut line[c..c + cell.cols] {
                        assert!(!*x, "overlap at row {r}");
                        *x = true;
                    }
                }
                c += cell.cols;
            }
        }
        taken
            .iter()
            .map(|l| l.iter().filter(|&&x| x).count())
            .collect()
    }

    #[test]
    fn document_is_self_contained() {
        let html = write(&full_report(Edition::V2021));
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
        assert!(html.contains("<meta charset=\"utf-8\">"));
        assert!(html.contains("@page { size: A4; margin:"));
        assert!(html.contains("thead { display: table-header-group; }"));
        assert!(html.contains("page-break-inside: avoid"));
        assert!(
            html.contains("FangSong") && html.contains("SimHei") && html.contains("sans-serif")
        );
        for external in ["src=", "href=", "url(", "@import", "http"] {
            assert!(!html.contains(external), "{external}");
        }
        assert!(html.contains("<h1>某某区人民政府办公室2024年政府信息公开工作年度报告</h1>"));
        assert!(html.contains(
            "<h2>一、总体情况</h2>\n<p>总体情况的第一段。</p>\n<p>总体情况的第二段。</p>"
        ));
        assert!(html.ends_with("</html>\n"));
    }

    #[test]
    fn text_is_escaped() {
        let mut r = Report::new("x", Edition::V2021);
        r.agency = Some("<script>alert(\"x\")</script>&".into());
        r.sections[SectionKey::Other.index()] = Some(SectionText {
            heading: "六、其他需要报告的事项".into(),
            pos: Pos::UNKNOWN,
            text: "a<b>c & 'd'".into(),
        });
        let html = write(&r);
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;"));
        assert!(html.contains("<p>a&lt;b&gt;c &amp; &#39;d&#39;</p>"));
    }

    #[test]
    fn table3_merges_as_the_template() {
        let html = write(&full_report(Edition::V2021));
        assert!(html.contains(&format!(
            "<td rowspan=\"3\" colspan=\"3\" class=\"note\">{T3_NOTE}</td>"
        )));
        assert!(html.contains("<th colspan=\"7\" scope=\"colgroup\">申请人情况</th>"));
        assert!(html.contains("<th rowspan=\"2\" scope=\"col\">自然人</th>"));
        assert!(html.contains("<th colspan=\"5\" scope=\"colgroup\">法人或其他组织</th>"));
        assert!(html.contains("<th rowspan=\"2\" scope=\"col\">总计</th>"));
        assert!(
            html.contains("<th colspan=\"3\" scope=\"row\">一、本年新收政府信息公开申请数量</th>")
        );
        // 三、本年度办理结果 spans （一）予以公开 … （七）总计: 22 rows.
        assert!(html.contains("<th rowspan=\"22\" scope=\"rowgroup\">三、本年度办理结果</th><th colspan=\"2\" scope=\"row\">（一）予以公开</th>"));
        assert!(html
            .contains("<th rowspan=\"8\" scope=\"rowgroup\">（三）不予公开</th><th scope=\"row\">1.属于国家秘密</th>"));
        assert!(html.contains("<th rowspan=\"3\" scope=\"rowgroup\">（四）无法提供</th>"));
        assert!(html.contains("<th rowspan=\"5\" scope=\"rowgroup\">（五）不予处理</th>"));
        assert!(html.contains("<th rowspan=\"3\" scope=\"rowgroup\">（六）其他处理</th>"));
        assert!(html.contains("<th colspan=\"2\" scope=\"row\">（七）总计</th>"));
        // The header rows are in <thead>.
        let t3 = html.split("<table class=\"t3\">").nth(1).unwrap();
        let thead = t3.split("</thead>").next().unwrap();
        assert!(
            thead.contains("<thead>")
                && thead.contains("商业企业")
                && !thead.contains("<td data-cell")
        );
    }

    #[test]
    fn table3_of_2019_has_one_other_row() {
        let html = write(&full_report(Edition::V2019));
        assert!(html.contains("<th rowspan=\"20\" scope=\"rowgroup\">三、本年度办理结果</th>"));
        assert!(html.contains("<th colspan=\"2\" scope=\"row\">（六）其他处理</th>"));
    }

    #[test]
    fn table4_merges_as_the_template() {
        let html = write(&full_report(Edition::V2021));
        assert!(html.contains(
            "<th colspan=\"5\" scope=\"colgroup\">行政复议</th><th colspan=\"10\" scope=\"colgroup\">行政诉讼</th>"
        ));
        assert!(html.contains("<th rowspan=\"2\" scope=\"col\">结果维持</th>"));
        assert!(html.contains("<th colspan=\"5\" scope=\"colgroup\">未经复议直接起诉</th><th colspan=\"5\" scope=\"colgroup\">复议后起诉</th>"));
    }

    #[test]
    fn table2_clauses_span_the_table() {
        let html = write(&full_report(Edition::V2021));
        assert!(html.contains("<tr class=\"clause\"><th colspan=\"4\" scope=\"colgroup\">第二十条第（一）项</th></tr>"));
        assert!(html.contains("<th colspan=\"3\" scope=\"colgroup\">本年处理决定数量</th>"));
        assert!(
            html.contains("<th colspan=\"3\" scope=\"colgroup\">本年收费金额（单位：万元）</th>")
        );
        assert!(html.contains("<td colspan=\"3\" data-cell=\"t2.fee.amount\">"));
    }

    /// Every row of every table covers the template's width, with no overlaps,
    /// and each value cell holds its value.
    #[test]
    fn tables_are_rectangular_and_hold_every_value() {
        for edition in Edition::ALL {
            let r = full_report(edition);
            let t = Template::get(edition);
            let html = write(&r);
            let parsed = tables(&html);
            assert_eq!(parsed.len(), 3);
            for (rows, width) in parsed.iter().zip([4, 10, 15]) {
                assert!(
                    row_widths(rows).iter().all(|&w| w == width),
                    "{edition}: {:?}",
                    row_widths(rows)
                );
            }
            let mut seen = 0;
            for cell in parsed
                .iter()
                .flatten()
                .flatten()
                .filter(|c| c.tag == "td" && c.attrs.contains("data-cell"))
            {
                let address = cell
                    .attrs
                    .split("data-cell=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap();
                let i = t.cell_index(address).unwrap();
                assert_eq!(cell.text, value_for(edition, i).to_string());
                seen += 1;
            }
            assert_eq!(seen, t.cells.len());
        }
    }

    #[test]
    fn absent_cells_are_empty() {
        let mut r = Report::new("x", Edition::V2021);
        r.set(
            "t3.granted.total",
            Num::Int(4),
            Origin::Source(Pos::new(1, 1)),
        );
        let html = write(&r);
        // Only the total column has figures: the applicant-kind columns are left out.
        assert!(html.contains("<td data-cell=\"t3.granted.total\">4</td>"));
        assert!(!html.contains("data-cell=\"t3.granted.natural_person\""));
        r.set(
            "t3.granted.natural_person",
            Num::Int(4),
            Origin::Source(Pos::new(1, 1)),
        );
        let html = write(&r);
        assert!(html.contains("<td data-cell=\"t3.granted.total\">4</td>"));
        // A row the report lacks is drawn with empty cells; a column it lacks entirely is left out.
        assert!(html.contains("<td data-cell=\"t3.carried_over.natural_person\"></td>"));
        assert!(!html.contains("data-cell=\"t3.granted.business\""));
        assert!(!html.contains("class=\"t2\"") && !html.contains("class=\"t4\""));
    }
}
