//! Diagnostics shown like a compiler's: the rule, the message, the file and
//! line, the source line with a caret under the cell, and the cells involved.

use gongkai_report::{Diagnostic, Report};
use std::io::Write;
use unicode_width::UnicodeWidthChar;

/// Prints the diagnostics of one report (info-level only when asked).
pub fn report(out: &mut impl Write, report: &Report, bytes: &[u8], show_info: bool) {
    let shown: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| show_info || d.level != gongkai_report::Level::Info)
        .collect();
    if shown.is_empty() {
        return;
    }
    let (text, _, _) = gongkai_read::decode::decode(bytes);
    let lines: Vec<&str> = text.split('\n').collect();
    for d in shown {
        located(out, &report.source, Some(&lines), d, report);
    }
}

/// Prints one diagnostic.
pub fn diagnostic(out: &mut impl Write, source: &str, lines: Option<&[&str]>, d: &Diagnostic) {
    located(
        out,
        source,
        lines,
        d,
        &Report::new(source, gongkai_template::Edition::V2021),
    );
}

/// Prints one diagnostic of `report`: a PDF's positions name the page.
fn located(
    out: &mut impl Write,
    source: &str,
    lines: Option<&[&str]>,
    d: &Diagnostic,
    report: &Report,
) {
    let _ = writeln!(out, "{}[{}]: {}", d.level.label(), d.rule, d.message);
    match (d.line, d.column) {
        (Some(line), _) if report.page_of(line).is_some() => {
            let (page, on_page) = report.page_of(line).unwrap_or((1, line));
            let _ = writeln!(
                out,
                "  --> {source}：第{page}页第{on_page}行（全文第{line}行）"
            );
        }
        (Some(line), col) => {
            let col = col.unwrap_or(1);
            let _ = writeln!(out, "  --> {source}:{line}:{col}");
            if let Some(text) = lines.and_then(|l| l.get(line as usize - 1)) {
                let (shown, caret) = excerpt(text.trim_end_matches('\r'), col as usize);
                let gutter = " ".repeat(line.to_string().len());
                let _ = writeln!(out, "{gutter} |");
                let _ = writeln!(out, "{line} | {shown}");
                let _ = writeln!(out, "{gutter} | {}^", " ".repeat(caret));
            }
        }
        _ => {
            let _ = writeln!(out, "  --> {source}");
        }
    }
    let cells: Vec<String> = d
        .cells
        .iter()
        .take(8)
        .map(|c| match c.value {
            Some(v) => format!("{} = {v}", c.address),
            None => c.address.clone(),
        })
        .collect();
    if !cells.is_empty() {
        let more = if d.cells.len() > cells.len() {
            format!(
                "，另有 {} 个（共 {} 个）",
                d.cells.len() - cells.len(),
                d.cells.len()
            )
        } else {
            String::new()
        };
        let expected = d
            .expected
            .map(|e| format!("；应为 {e}"))
            .unwrap_or_default();
        let _ = writeln!(out, "   = 单元格：{}{more}{expected}", cells.join("，"));
    }
    let _ = writeln!(out, "   = 说明：gongkai explain {}", d.rule);
    let _ = writeln!(out);
}

/// The line as shown (tabs as spaces, long lines windowed) and the display
/// column of the caret for a 1-based character column.
fn excerpt(line: &str, col: usize) -> (String, usize) {
    let chars: Vec<char> = line
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    let col = col.saturating_sub(1).min(chars.len());
    let start = col.saturating_sub(30);
    let end = (col + 50).min(chars.len());
    let mut shown = String::new();
    let mut caret = 0;
    if start > 0 {
        shown.push('…');
        caret += 1;
    }
    for (i, c) in chars[start..end].iter().enumerate() {
        if start + i < col {
            caret += c.width().unwrap_or(0);
        }
        shown.push(*c);
    }
    if end < chars.len() {
        shown.push('…');
    }
    (shown, caret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_list_of_cells_says_how_many_more_there_are() {
        let mut d = gongkai_report::Diagnostic::new(gongkai_report::rules::GK003, "缺 25 个");
        for i in 0..25 {
            d = d.cell_address(&format!("t3.x{i}"), None);
        }
        let mut out = Vec::new();
        diagnostic(&mut out, "a.xlsx", None, &d);
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.matches("t3.x").count(), 8, "{text}");
        assert!(text.contains("另有 17 个（共 25 个）"), "{text}");
    }

    #[test]
    fn caret_counts_wide_characters() {
        let (s, caret) = excerpt("规章\t0\t1", 4);
        assert_eq!(s, "规章 0 1");
        assert_eq!(caret, 5);
    }
}
