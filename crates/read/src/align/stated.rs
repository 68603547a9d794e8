//! Figures of table 2 that the report states in its own words
//! ("集中公开现行有效行政规范性文件698件", "制发的规范性文件88件"). Table 2 has
//! no arithmetic, so when its figures are glued together these statements are
//! the only evidence of where one figure ends: a split is taken only when the
//! report's own sentences leave exactly one.

use regex::Regex;
use std::sync::OnceLock;

/// A figure stated in the text: table-2 row key, column key, value, and the
/// words that state it.
#[derive(Debug, Clone, PartialEq)]
pub struct Stated {
    pub row: &'static str,
    pub column: &'static str,
    pub value: i64,
    pub words: String,
}

fn patterns() -> &'static Vec<(&'static str, &'static str, Regex)> {
    static P: OnceLock<Vec<(&'static str, &'static str, Regex)>> = OnceLock::new();
    P.get_or_init(|| {
        let mut v = Vec::new();
        for (row, noun) in [("normative", "(?:行政)?规范性文件"), ("regulation", "规章")] {
            let forms = [
                (
                    "issued",
                    format!(r"(?:制发|印发|出台|制定|新制定)[^。；;，,、\d]{{0,10}}?{noun}[^。；;，,、\d]{{0,4}}?(\d+)\s*(?:件|个|部)"),
                ),
                (
                    "repealed",
                    format!(r"(?:废止|宣布失效)[^。；;，,、\d]{{0,10}}?{noun}[^。；;，,、\d]{{0,4}}?(\d+)\s*(?:件|个|部)"),
                ),
                (
                    "repealed",
                    format!(r"{noun}[^。；;]{{0,16}}?废止\s*(\d+)\s*(?:件|个|部)"),
                ),
                (
                    "in_force",
                    format!(r"现行有效[^。；;，,、\d]{{0,10}}?{noun}[^。；;，,、\d]{{0,4}}?(\d+)\s*(?:件|个|部)"),
                ),
            ];
            for (column, pattern) in forms {
                v.push((row, column, Regex::new(&pattern).expect("valid pattern")));
            }
        }
        v
    })
}

/// Every table-2 figure stated in `text`.
pub fn stated(text: &str) -> Vec<Stated> {
    let mut out = Vec::new();
    if !text.contains("规范性文件") && !text.contains("规章") {
        return out;
    }
    for (row, column, re) in patterns() {
        for c in re.captures_iter(text) {
            let (Some(all), Some(n)) = (c.get(0), c.get(1)) else {
                continue;
            };
            if let Ok(value) = n.as_str().parse() {
                out.push(Stated {
                    row,
                    column,
                    value,
                    words: all.as_str().to_string(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_in_sentences() {
        let s = stated("设立规范性文件库，集中公开现行有效行政规范性文件698件，动态更新本年度制发的规范性文件88件。");
        let got: Vec<(&str, &str, i64)> = s.iter().map(|x| (x.row, x.column, x.value)).collect();
        assert!(got.contains(&("normative", "in_force", 698)), "{got:?}");
        assert!(got.contains(&("normative", "issued", 88)), "{got:?}");
        let s = stated("我厅制发规范性文件1件、废止1件。");
        let got: Vec<(&str, &str, i64)> = s.iter().map(|x| (x.row, x.column, x.value)).collect();
        assert!(got.contains(&("normative", "issued", 1)), "{got:?}");
        assert!(got.contains(&("normative", "repealed", 1)), "{got:?}");
        assert!(stated("全年主动公开政府信息3351条。").is_empty());
    }
}
