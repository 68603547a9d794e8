//! Text whose line breaks were lost: crawler copies that collapse a whole
//! report onto one line, headings running on mid-line, table cells glued to
//! the next. This module cuts such lines back into lines: at the section
//! titles first, then, inside the tables' sections, at row labels and runs of
//! digits. The figures of a run stay glued; the table readers split them by the
//! template's arithmetic (`glued.rs`).

use super::labels::char_mask;
use gongkai_template::text::{fold_char, normalize, numbering_len};
use gongkai_template::{Edition, SectionKey, Template};
use std::sync::OnceLock;

/// A piece of a line: byte range, and whether it holds figures glued to a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub start: usize,
    pub end: usize,
    pub glued: bool,
}

/// Lines shorter than this are left alone by the section split.
const LONG_LINE: usize = 120;

/// A section title's form: its characters, the same as a string, a mask of
/// its characters, and the section.
struct Form {
    chars: Vec<char>,
    text: String,
    mask: u64,
    key: SectionKey,
}

fn section_forms() -> &'static Vec<Form> {
    static F: OnceLock<Vec<Form>> = OnceLock::new();
    F.get_or_init(|| {
        let mut v: Vec<Form> = Vec::new();
        for e in Edition::ALL {
            for s in &Template::get(e).sections {
                for form in std::iter::once(s.title).chain(s.variants.iter().copied()) {
                    let text = normalize(form);
                    if !v.iter().any(|f| f.text == text) {
                        v.push(Form {
                            chars: text.chars().collect(),
                            mask: char_mask(&text),
                            text,
                            key: s.key,
                        });
                    }
                }
            }
        }
        v
    })
}

const NUMERALS: [char; 6] = ['一', '二', '三', '四', '五', '六'];

/// Where numbered section titles start and end inside a long line: (start, end) bytes.
pub fn section_titles(line: &str) -> Vec<(usize, usize, SectionKey)> {
    let mut out = Vec::new();
    if line.len() < LONG_LINE {
        return out;
    }
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let forms = section_forms();
    let mut k = 0;
    while k + 2 < chars.len() {
        let (at, c) = chars[k];
        let sep = fold_char(chars[k + 1].1);
        let Some(num) = NUMERALS.iter().position(|&n| n == c) else {
            k += 1;
            continue;
        };
        if !matches!(sep, ',' | '.') {
            k += 1;
            continue;
        }
        // The title's characters after the numeral, spaces dropped.
        let mut body: Vec<(usize, char)> = Vec::new();
        for &(i, ch) in &chars[k + 2..] {
            if ch.is_whitespace() {
                continue;
            }
            body.push((i, fold_char(ch)));
            if body.len() >= 40 {
                break;
            }
        }
        let mut best: Option<(usize, usize, SectionKey)> = None; // (distance, chars, key)
        let window = char_mask(&body.iter().map(|(_, c)| *c).collect::<String>());
        for form in forms {
            let key = &form.key;
            if key.index() != num {
                continue;
            }
            let lf = form.chars.len();
            let budget = (lf / 5).max(1);
            if (form.mask & !window).count_ones() as usize > budget {
                continue;
            }
            let hi = (lf + budget).min(body.len());
            let window: Vec<char> = body[..hi].iter().map(|(_, c)| *c).collect();
            let dist = prefix_distances(&form.chars, &window);
            for len in lf.saturating_sub(budget).max(2)..=hi {
                let d = dist[len];
                if d <= budget && best.is_none_or(|(bd, bl, _)| d < bd || (d == bd && len > bl)) {
                    best = Some((d, len, *key));
                }
            }
        }
        if let Some((_, len, key)) = best {
            let (last, ch) = body[len - 1];
            let end = last + ch.len_utf8();
            out.push((at, end, key));
            k = chars.partition_point(|&(i, _)| i < end);
        } else {
            k += 1;
        }
    }
    out
}

/// Edit distances between `form` and every prefix of `window`:
/// `out[j]` is the distance to `window[..j]` (one table for all lengths).
fn prefix_distances(form: &[char], window: &[char]) -> Vec<usize> {
    let mut prev: Vec<usize> = (0..=window.len()).collect();
    let mut cur = vec![0; window.len() + 1];
    for (i, &f) in form.iter().enumerate() {
        cur[0] = i + 1;
        for (j, &w) in window.iter().enumerate() {
            let sub = prev[j] + usize::from(f != w);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev
}

/// Cuts a long line at the section titles inside it.
pub fn split_sections(line: &str) -> Vec<Piece> {
    let titles = section_titles(line);
    if titles.is_empty() || (titles.len() == 1 && titles[0].0 == 0) {
        return vec![Piece {
            start: 0,
            end: line.len(),
            glued: false,
        }];
    }
    let mut out = Vec::new();
    let mut at = 0;
    for (s, e, _) in titles {
        if s > at {
            out.push(Piece {
                start: at,
                end: s,
                glued: false,
            });
        }
        out.push(Piece {
            start: s,
            end: e,
            glued: false,
        });
        at = e;
    }
    if at < line.len() {
        out.push(Piece {
            start: at,
            end: line.len(),
            glued: false,
        });
    }
    out.retain(|p| !line[p.start..p.end].trim().is_empty());
    out
}

/// Row labels of table 2 that stand before their figures with no numbering.
fn t2_labels() -> &'static Vec<String> {
    static L: OnceLock<Vec<String>> = OnceLock::new();
    L.get_or_init(|| {
        let mut v: Vec<String> = Vec::new();
        for e in Edition::ALL {
            let t = Template::get(e).table(gongkai_template::TableKey::T2);
            for r in &t.rows {
                let n = normalize(r.label);
                if !v.contains(&n) {
                    v.push(n);
                }
            }
        }
        // Longest first, so that 行政规范性文件 wins over 规范性文件.
        v.sort_by_key(|l| std::cmp::Reverse(l.chars().count()));
        v
    })
}

/// [`t2_labels`], each with a searcher built once.
fn t2_finders() -> &'static Vec<memchr::memmem::Finder<'static>> {
    static F: OnceLock<Vec<memchr::memmem::Finder<'static>>> = OnceLock::new();
    F.get_or_init(|| {
        t2_labels()
            .iter()
            .map(|l| memchr::memmem::Finder::new(l.as_bytes()))
            .collect()
    })
}

fn is_digitish(c: char) -> bool {
    fold_char(c).is_ascii_digit()
}

/// Does a line look like table cells glued together: labels and runs of digits
/// alternating, at least `min` times?
pub fn looks_glued(line: &str, min: usize) -> bool {
    let mut switches = 0;
    let mut prev_digit = false;
    let mut prev_text = false;
    for c in line.chars() {
        if is_digitish(c) {
            if prev_text {
                switches += 1;
            }
            prev_digit = true;
            prev_text = false;
        } else if !c.is_whitespace() && !matches!(fold_char(c), '.' | ',') {
            if prev_digit {
                switches += 1;
            }
            prev_text = true;
            prev_digit = false;
        }
    }
    switches / 2 >= min
}

/// How many distinct words of the template's row and column labels a line holds.
fn table_words(line: &str) -> usize {
    const WORDS: [&str; 19] = [
        "本年新收",
        "上年结转",
        "予以公开",
        "部分公开",
        "不予公开",
        "无法提供",
        "不予处理",
        "其他处理",
        "结转下年度",
        "行政许可",
        "行政处罚",
        "行政强制",
        "行政事业性收费",
        "本年制发件数",
        "现行有效件数",
        "结果维持",
        "结果纠正",
        "尚未审结",
        "处理决定数量",
    ];
    static FINDERS: OnceLock<Vec<memchr::memmem::Finder<'static>>> = OnceLock::new();
    let finders = FINDERS.get_or_init(|| {
        WORDS
            .iter()
            .map(|w| memchr::memmem::Finder::new(w.as_bytes()))
            .collect()
    });
    finders
        .iter()
        .filter(|f| f.find(line.as_bytes()).is_some())
        .count()
}

/// A CJK label directly followed by a digit, with no space between: "总计000".
fn label_touches_digits(line: &str) -> bool {
    let mut prev: Option<char> = None;
    for c in line.chars() {
        if let Some(p) = prev {
            if is_digitish(c) && ('\u{4e00}'..='\u{9fff}').contains(&p) {
                return true;
            }
        }
        prev = Some(c);
    }
    false
}

/// Cuts a line of a table's section into rows: text pieces (labels, headers)
/// and "label + digits" pieces. Returns None when the line is not glued cells.
pub fn split_rows(line: &str) -> Option<Vec<Piece>> {
    // A sentence with figures in it ("共收到申请81件，办结80件。") is prose;
    // table cells glued together name several of the template's rows.
    let cells_like = (looks_glued(line, 2) || label_touches_digits(line)) && !line.contains('。');
    if !cells_like && table_words(line) < 3 {
        return None;
    }
    // Alternate runs: text, then digits (with spaces, separators and decimal points).
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let n = chars.len();
    let mut runs: Vec<(usize, usize, bool)> = Vec::new(); // (start char, end char, digits)
    let mut k = 0;
    while k < n {
        let digit = is_digitish(chars[k].1)
            || (matches!(fold_char(chars[k].1), '-' | '+')
                && k + 1 < n
                && is_digitish(chars[k + 1].1));
        let start = k;
        if digit {
            k += 1;
            while k < n {
                let c = chars[k].1;
                let f = fold_char(c);
                let next_digit = k + 1 < n && is_digitish(chars[k + 1].1);
                if is_digitish(c)
                    || ((f == '.' || f == ',' || f == '-' || f == '+' || f == ' ') && next_digit)
                {
                    k += 1;
                } else if c.is_whitespace() {
                    // Spaces between runs of digits stay in the run.
                    let mut j = k;
                    while j < n && chars[j].1.is_whitespace() {
                        j += 1;
                    }
                    if j < n && is_digitish(chars[j].1) {
                        k = j;
                    } else {
                        break;
                    }
                } else {
                    break;
                }
            }
        } else {
            k += 1;
            while k < n
                && !(is_digitish(chars[k].1)
                    || (matches!(fold_char(chars[k].1), '-' | '+')
                        && k + 1 < n
                        && is_digitish(chars[k + 1].1)))
            {
                k += 1;
            }
        }
        runs.push((start, k, digit));
    }
    // A label's numbering swallowed by the figures before it: "…00000002.其他法律…".
    for i in 1..runs.len() {
        let (s, _, digit) = runs[i];
        if digit || s == 0 {
            continue;
        }
        let first = fold_char(chars[s].1);
        let (ps, pe, pdigit) = runs[i - 1];
        if !pdigit || !matches!(first, '.' | ',') {
            continue;
        }
        // The numbering is one digit (the template's items run 1–8).
        if is_digitish(chars[pe - 1].1) {
            runs[i - 1].1 = pe - 1;
            runs[i].0 = pe - 1;
            if pe - 1 == ps {
                // The run was only the numbering: it joins the text.
                runs[i - 1].2 = false;
            }
        }
    }
    // Runs of text next to each other (after the moves above) are one run.
    let mut merged: Vec<(usize, usize, bool)> = Vec::with_capacity(runs.len());
    for r in runs {
        if r.0 == r.1 {
            continue;
        }
        match merged.last_mut() {
            Some(last) if !last.2 && !r.2 => last.1 = r.1,
            _ => merged.push(r),
        }
    }
    let runs = merged;
    let byte = |c: usize| if c < n { chars[c].0 } else { line.len() };
    let mut out: Vec<Piece> = Vec::new();
    let mut i = 0;
    while i < runs.len() {
        let (s, e, digit) = runs[i];
        if digit {
            out.push(Piece {
                start: byte(s),
                end: byte(e),
                glued: true,
            });
            i += 1;
            continue;
        }
        let text = &line[byte(s)..byte(e)];
        let cuts = label_cuts(text);
        let followed = runs.get(i + 1).is_some_and(|r| r.2);
        let mut from = 0;
        for (j, &cut) in cuts.iter().enumerate() {
            let _ = j;
            if cut > from {
                out.push(Piece {
                    start: byte(s) + from,
                    end: byte(s) + cut,
                    glued: false,
                });
            }
            from = cut;
        }
        if followed {
            let (_, de, _) = runs[i + 1];
            out.push(Piece {
                start: byte(s) + from,
                end: byte(de),
                glued: true,
            });
            i += 2;
        } else {
            out.push(Piece {
                start: byte(s) + from,
                end: byte(e),
                glued: false,
            });
            i += 1;
        }
    }
    out.retain(|p| !line[p.start..p.end].trim().is_empty());
    Some(out)
}

/// Byte offsets inside a run of text where a new row label begins: before a
/// numbering mark (not "第（一）项"), before "第二十条", and before a table-2
/// row label that ends the text.
fn label_cuts(text: &str) -> Vec<usize> {
    let mut cuts = Vec::new();
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        let rest = &text[i..];
        let after_di = matches!(prev, Some('第'));
        let numbered = numbering_len(rest) > 0
            && !after_di
            && !prev.is_some_and(|p| p.is_ascii_digit())
            && !matches!(prev, Some('(' | '（' | '“' | '‘' | '"' | '\'' | '《'));
        if i > 0 && (numbered || rest.starts_with("第二十条")) {
            cuts.push(i);
        }
        prev = Some(c);
    }
    // Table 2's row labels wherever they stand (a row whose cells vanished
    // leaves its label glued to the next one: "…总数量规章规范性文件222").
    let labels = t2_labels();
    let finders = t2_finders();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    for (l, finder) in labels.iter().zip(finders) {
        // Non-overlapping matches, left to right, as `match_indices` finds them.
        for at in finder.find_iter(text.as_bytes()) {
            let end = at + l.len();
            // Inside a longer label already found ("规范性文件" in "行政规范性文件").
            if taken.iter().any(|&(a, e)| at >= a && end <= e) {
                continue;
            }
            taken.push((at, end));
            if at > 0 && !cuts.contains(&at) {
                cuts.push(at);
            }
            if end < text.len()
                && !text[end..].starts_with(|c: char| is_digitish(c) || c.is_whitespace())
                && !cuts.contains(&end)
            {
                cuts.push(end);
            }
        }
    }
    // The row label right before the figures.
    let norm_tail: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for l in t2_labels() {
        if norm_tail.ends_with(l.as_str()) {
            // Find where it starts in the text (spaces not counted).
            let want = l.chars().count();
            let mut seen = 0;
            let mut at = text.len();
            for (i, c) in text.char_indices().rev() {
                if c.is_whitespace() {
                    continue;
                }
                seen += 1;
                at = i;
                if seen == want {
                    break;
                }
            }
            if at > 0 && !cuts.contains(&at) {
                cuts.push(at);
            }
            break;
        }
    }
    cuts.sort_unstable();
    cuts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &str, pieces: &[Piece]) -> Vec<String> {
        pieces
            .iter()
            .map(|p| line[p.start..p.end].trim().to_string())
            .collect()
    }

    #[test]
    fn prefix_distances_match_edit_distance() {
        let form: Vec<char> = "政府信息公开行政复议".chars().collect();
        let window: Vec<char> = "政府信息公开行政法复议情况".chars().collect();
        let d = prefix_distances(&form, &window);
        for j in 0..=window.len() {
            let w: String = window[..j].iter().collect();
            let f: String = form.iter().collect();
            assert_eq!(d[j], gongkai_template::text::edit_distance(&f, &w), "{w}");
        }
    }

    #[test]
    fn titles_mid_line() {
        let line = "本报告根据条例编制，数据统计时限为2022年1月1日至2022年12月31日。 一、总体情况 2022年，本区认真执行条例。 二、主动公开政府信息情况第二十条第（一）项 信息内容 本年制发件数 三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和） 申请人情况 四、政府信息公开行政法复议、行政诉讼情况行政复议";
        let t = texts(line, &split_sections(line));
        assert!(t.contains(&"一、总体情况".to_string()), "{t:?}");
        assert!(t.contains(&"二、主动公开政府信息情况".to_string()), "{t:?}");
        assert!(
            t.contains(&"三、收到和处理政府信息公开申请情况".to_string()),
            "{t:?}"
        );
        assert!(
            t.contains(&"四、政府信息公开行政法复议、行政诉讼情况".to_string()),
            "{t:?}"
        );
    }

    #[test]
    fn glued_rows() {
        let line = "申请人情况 自然人 其他 一、本年新收政府信息公开申请数量 713000074二、上年结转政府信息公开申请数量 1000001三、本年度办理结果 （一）予以公开 210000021（三）不予公开 1.属于国家秘密00000002.其他法律行政法规禁止公开 0000000";
        let p = split_rows(line).unwrap();
        let t = texts(line, &p);
        assert_eq!(
            t,
            [
                "申请人情况 自然人 其他",
                "一、本年新收政府信息公开申请数量 713000074",
                "二、上年结转政府信息公开申请数量 1000001",
                "三、本年度办理结果",
                "（一）予以公开 210000021",
                "（三）不予公开",
                "1.属于国家秘密0000000",
                "2.其他法律行政法规禁止公开 0000000",
            ]
        );
    }

    #[test]
    fn sentences_with_figures_are_not_cut() {
        assert!(split_rows("2025年，本机关共收到政府信息公开申请81件，办结80件。").is_none());
        // Glued cells followed by a note are still cut.
        let line = "行政许可3189行政处罚81行政强制0行政事业性收费670.37 注：收费单位为万元。";
        assert!(split_rows(line).is_some());
    }

    #[test]
    fn table_two_glued() {
        let line = "第二十条第（一）项 信息内容 本年制发件数 本年废止件数 现行有效件数 规章000行政规范性文件8855698第二十条第（五）项信息内容本年处理决定数量行政许可10690";
        let t = texts(line, &split_rows(line).unwrap());
        assert_eq!(
            t,
            [
                "第二十条第（一）项 信息内容 本年制发件数 本年废止件数 现行有效件数",
                "规章000",
                "行政规范性文件8855698",
                "第二十条第（五）项信息内容本年处理决定数量",
                "行政许可10690",
            ]
        );
    }
}
