//! JSON: reads back the object that `gongkai parse FILE --format json` writes
//! (see `gongkai_write::json`) — `template`, `agency`, `year`, `cells` (address
//! → number) and `sections` (key → text). `source` and `diagnostics` are not
//! read: the report's source is the file being read, and diagnostics are
//! recomputed by the rules.
//!
//! The reader is strict about what it understands and silent about what it
//! does not know: an unknown cell address or section key, or a value of the
//! wrong kind, is an error naming it; other top-level keys are ignored.
//! Each cell's position is where its address stands in the file, so that
//! diagnostics point into the JSON.

use crate::doc::{Pos, ReadError};
use gongkai_report::{Num, Origin, Report, SectionText};
use gongkai_template::{Edition, SectionKey, Template};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Reads a report from the bytes of a JSON file.
pub fn read(source: &str, bytes: &[u8]) -> Result<Report, ReadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        // The valid prefix is UTF-8 by definition.
        let prefix = std::str::from_utf8(valid).unwrap_or("");
        error("JSON 文件不是有效的 UTF-8 编码", Some(end_pos(prefix)))
    })?;
    let root: Value = serde_json::from_str(text).map_err(|e| syntax_error(text, &e))?;
    let Value::Object(root) = root else {
        return Err(error(
            format!("JSON 的顶层应为对象，而不是{}", kind(&root)),
            Some(Pos::new(1, 1)),
        ));
    };
    let keys = key_positions(text);
    let pos_of = |key: &str| keys.get(key).copied();

    let cells = match root.get("cells") {
        None | Some(Value::Null) => None,
        Some(Value::Object(m)) => Some(m),
        Some(other) => {
            return Err(error(
                format!(
                    "“cells”的值应为对象（单元格地址 → 数字），而不是{}",
                    kind(other)
                ),
                pos_of("cells"),
            ))
        }
    };
    let edition = edition(&root, cells, &pos_of)?;
    let template = Template::get(edition);
    let mut report = Report::new(source, edition);

    report.agency = match root.get("agency") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            return Err(error(
                format!("“agency”的值应为字符串或 null，而不是{}", kind(other)),
                pos_of("agency"),
            ))
        }
    };
    report.year = match root.get("year") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_i64().and_then(|y| i32::try_from(y).ok()) {
            Some(y) => Some(y),
            None => {
                return Err(error(
                    format!("“year”的值应为整数年份或 null，而不是{}", kind(v)),
                    pos_of("year"),
                ))
            }
        },
    };

    if let Some(cells) = cells {
        for (address, value) in cells {
            let pos = pos_of(address);
            let Some(index) = template.cell_index(address) else {
                return Err(error(
                    format!(
                        "未知的单元格地址“{address}”（{}年版模板没有这个单元格）",
                        edition.as_str()
                    ),
                    pos,
                ));
            };
            let num = match value {
                Value::Number(n) => match (n.as_i64(), n.as_f64()) {
                    (Some(i), _) => Num::Int(i),
                    (None, Some(f)) if f.is_finite() => Num::Dec(f),
                    _ => return Err(error(format!("单元格“{address}”的值超出可读范围"), pos)),
                },
                other => {
                    return Err(error(
                        format!("单元格“{address}”的值应为数字，而不是{}", kind(other)),
                        pos,
                    ));
                }
            };
            let table = template.cells[index].table.index();
            let origin_pos = pos.unwrap_or(Pos::UNKNOWN);
            if report.tables[table].is_none() {
                report.tables[table] = Some(origin_pos);
            }
            report.cells[index] = Some(gongkai_report::Cell {
                value: num,
                origin: Origin::Source(origin_pos),
                blank: false,
            });
        }
    }

    match root.get("sections") {
        None | Some(Value::Null) => {}
        Some(Value::Object(sections)) => {
            for (key, value) in sections {
                let pos = pos_of(key);
                let Some(section) = SectionKey::ALL.into_iter().find(|k| k.as_str() == key) else {
                    let known: Vec<&str> = SectionKey::ALL.iter().map(|k| k.as_str()).collect();
                    return Err(error(
                        format!("未知的部分“{key}”（应为 {} 之一）", known.join("、")),
                        pos,
                    ));
                };
                let text = match value {
                    Value::Null => continue,
                    Value::String(s) => s.clone(),
                    other => {
                        return Err(error(
                            format!("部分“{key}”的值应为文字，而不是{}", kind(other)),
                            pos,
                        ));
                    }
                };
                report.sections[section.index()] = Some(SectionText {
                    heading: template.section(section).heading(),
                    pos: pos.unwrap_or(Pos::UNKNOWN),
                    text,
                });
            }
        }
        Some(other) => {
            return Err(error(
                format!(
                    "“sections”的值应为对象（部分 → 文字），而不是{}",
                    kind(other)
                ),
                pos_of("sections"),
            ))
        }
    }
    Ok(report)
}

/// The edition from `template`; without it, the edition that has every cell
/// address given (2021 when both have them).
fn edition(
    root: &Map<String, Value>,
    cells: Option<&Map<String, Value>>,
    pos_of: &dyn Fn(&str) -> Option<Pos>,
) -> Result<Edition, ReadError> {
    let bad = |v: &Value| {
        error(
            format!(
                "“template”的值应为 \"2021\" 或 \"2019\"，而不是{}",
                describe(v)
            ),
            pos_of("template"),
        )
    };
    match root.get("template") {
        Some(v @ Value::String(s)) => Edition::parse(s).ok_or_else(|| bad(v)),
        Some(v @ Value::Number(n)) => match n.as_i64() {
            Some(2021) => Ok(Edition::V2021),
            Some(2019) => Ok(Edition::V2019),
            _ => Err(bad(v)),
        },
        None | Some(Value::Null) => {
            let fits = |e: Edition| {
                let t = Template::get(e);
                match cells {
                    None => true,
                    Some(m) => m.keys().all(|a| t.cell_index(a).is_some()),
                }
            };
            Ok(if !fits(Edition::V2021) && fits(Edition::V2019) {
                Edition::V2019
            } else {
                Edition::V2021
            })
        }
        Some(other) => Err(bad(other)),
    }
}

fn error(message: impl Into<String>, pos: Option<Pos>) -> ReadError {
    ReadError {
        message: message.into(),
        pos,
    }
}

/// What kind of JSON value this is, in words.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "布尔值",
        Value::Number(_) => "数字",
        Value::String(_) => "字符串",
        Value::Array(_) => "数组",
        Value::Object(_) => "对象",
    }
}

/// A short description of a value: the string itself, or its kind.
fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => {
            let short: String = s.chars().take(20).collect();
            format!("“{short}”")
        }
        Value::Number(n) => n.to_string(),
        other => kind(other).to_string(),
    }
}

fn syntax_error(text: &str, e: &serde_json::Error) -> ReadError {
    use serde_json::error::Category;
    let message = match e.classify() {
        Category::Eof => "JSON 不完整：文件在对象结束之前就结束了",
        Category::Syntax => "JSON 语法错误",
        Category::Data => "JSON 数据有误",
        Category::Io => "读取 JSON 时出错",
    };
    let pos = (e.line() > 0).then(|| char_pos(text, e.line(), e.column()));
    error(message, pos)
}

/// Converts serde_json's line and byte column to a line and a column in characters.
fn char_pos(text: &str, line: usize, byte_column: usize) -> Pos {
    let Some(l) = text.split('\n').nth(line.saturating_sub(1)) else {
        return Pos::new(clamp(line), clamp(byte_column));
    };
    let mut end = byte_column.min(l.len());
    while end > 0 && !l.is_char_boundary(end) {
        end -= 1;
    }
    Pos::new(clamp(line), clamp(l[..end].chars().count().max(1)))
}

fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The position just after the end of a text.
fn end_pos(text: &str) -> Pos {
    let line = text.matches('\n').count() + 1;
    let col = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Pos::new(clamp(line), clamp(col))
}

/// Where each object key first appears in the text: every string literal
/// followed by a colon, by its raw content (escapes not decoded — a key written
/// with escapes has no position). One pass, never fails.
fn key_positions(text: &str) -> HashMap<&str, Pos> {
    let bytes = text.as_bytes();
    let mut out = HashMap::new();
    let (mut line, mut col) = (1u32, 1u32);
    let mut i = 0;
    // Advances line and column over bytes[from..to].
    let advance = |from: usize, to: usize, line: &mut u32, col: &mut u32| {
        for &b in &bytes[from..to] {
            if b == b'\n' {
                *line = line.saturating_add(1);
                *col = 1;
            } else if b & 0xC0 != 0x80 {
                *col = col.saturating_add(1);
            }
        }
    };
    while i < bytes.len() {
        if bytes[i] != b'"' {
            advance(i, i + 1, &mut line, &mut col);
            i += 1;
            continue;
        }
        let start_pos = Pos::new(line, col);
        let start = i + 1;
        let mut j = start;
        while j < bytes.len() && bytes[j] != b'"' {
            j += if bytes[j] == b'\\' { 2 } else { 1 };
        }
        let end = j.min(bytes.len());
        let after = (end + 1).min(bytes.len());
        advance(i, after, &mut line, &mut col);
        i = after;
        let mut k = i;
        while k < bytes.len() && matches!(bytes[k], b' ' | b'\t' | b'\r' | b'\n') {
            k += 1;
        }
        if k < bytes.len() && bytes[k] == b':' {
            if let Some(key) = text.get(start..end) {
                out.entry(key).or_insert(start_pos);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{
  "source": "a.txt",
  "agency": "某某区人民政府办公室",
  "year": 2024,
  "template": "2021",
  "cells": {
    "t2.fee.amount": 1.5,
    "t3.new_received.total": 81,
    "t4.review.total": 0
  },
  "sections": {
    "general": "全年共收到政府信息公开申请81件。",
    "other": "无"
  },
  "diagnostics": [
    { "rule": "GK010", "level": "error", "message": "x", "cells": [ { "address": "t3.new_received.total", "value": 81, "line": 3, "column": 1 } ], "line": 3, "column": 1 }
  ]
}"#;

    #[test]
    fn json_reads_cells_sections_and_title_parts() {
        let r = read("b.json", SAMPLE.as_bytes()).unwrap();
        assert_eq!(r.source, "b.json");
        assert_eq!(r.edition, Edition::V2021);
        assert_eq!(r.agency.as_deref(), Some("某某区人民政府办公室"));
        assert_eq!(r.year, Some(2024));
        assert_eq!(r.value("t2.fee.amount"), Some(Num::Dec(1.5)));
        assert_eq!(r.value("t3.new_received.total"), Some(Num::Int(81)));
        assert_eq!(r.value("t4.review.total"), Some(Num::Int(0)));
        assert_eq!(r.present_cells().count(), 3);
        // Positions are where the addresses stand.
        assert_eq!(
            r.cell("t3.new_received.total").unwrap().origin.pos(),
            Some(Pos::new(8, 5))
        );
        assert_eq!(r.tables[1], Some(Pos::new(8, 5)));
        let g = r.section(SectionKey::General).unwrap();
        assert_eq!(g.heading, "一、总体情况");
        assert_eq!(g.text, "全年共收到政府信息公开申请81件。");
        assert_eq!(
            r.section(SectionKey::Other).unwrap().heading,
            "六、其他需要报告的事项"
        );
        assert!(r.section(SectionKey::Problems).is_none());
        // Diagnostics are not read back.
        assert!(r.diagnostics.is_empty());
    }

    #[test]
    fn json_edition_2019_and_inferred() {
        let r = read(
            "x.json",
            br#"{"template":"2019","cells":{"t3.other.total":2,"t2.procurement.amount":3.25}}"#,
        )
        .unwrap();
        assert_eq!(r.edition, Edition::V2019);
        assert_eq!(r.value("t3.other.total"), Some(Num::Int(2)));
        let r = read("x.json", br#"{"cells":{"t3.other.total":2}}"#).unwrap();
        assert_eq!(r.edition, Edition::V2019);
        let r = read("x.json", br#"{"cells":{"t3.other.other.total":2}}"#).unwrap();
        assert_eq!(r.edition, Edition::V2021);
        let r = read("x.json", b"\xEF\xBB\xBF{}").unwrap();
        assert_eq!(r.edition, Edition::V2021);
        assert_eq!(r.present_cells().count(), 0);
    }

    #[test]
    fn json_unknown_address_is_named() {
        let e = read(
            "x.json",
            "{\"template\": \"2021\",\n \"cells\": {\"t3.other.total\": 1}}".as_bytes(),
        )
        .unwrap_err();
        assert!(e.message.contains("t3.other.total"), "{}", e.message);
        assert!(e.message.contains("2021"));
        assert_eq!(e.pos, Some(Pos::new(2, 12)));
        let e = read("x.json", br#"{"cells": {"t9.x": 1}}"#).unwrap_err();
        assert!(e.message.contains("t9.x"));
    }

    #[test]
    fn json_non_numbers_are_errors() {
        for bad in [r#""81""#, "null", "true", "[1]", "{}"] {
            let src = format!(r#"{{"cells": {{"t3.granted.total": {bad}}}}}"#);
            let e = read("x.json", src.as_bytes()).unwrap_err();
            assert!(
                e.message.contains("t3.granted.total") && e.message.contains("应为数字"),
                "{}",
                e.message
            );
        }
        let e = read("x.json", br#"{"cells": {"t3.granted.total": 1e400}}"#);
        assert!(e.is_err());
    }

    #[test]
    fn json_other_errors() {
        let cases: [(&[u8], &str); 10] = [
            (b"", "JSON"),
            (b"{", "不完整"),
            (b"{\"cells\": [1,}", "语法错误"),
            (b"[1, 2]", "数组"),
            (b"\"x\"", "字符串"),
            (b"{\"template\": \"2020\"}", "2020"),
            (b"{\"year\": \"2024\"}", "year"),
            (b"{\"agency\": 5}", "agency"),
            (b"{\"sections\": {\"foo\": \"x\"}}", "foo"),
            (
                b"{\"cells\": {}, \"sections\": {\"general\": 1}}",
                "general",
            ),
        ];
        for (input, needle) in cases {
            let e = read("x.json", input).unwrap_err();
            assert!(
                e.message.contains(needle),
                "{:?}: {}",
                String::from_utf8_lossy(input),
                e.message
            );
        }
        let e = read("x.json", b"{\n  \"a\": \xFF}").unwrap_err();
        assert!(e.message.contains("UTF-8"));
        assert_eq!(e.pos, Some(Pos::new(2, 8)));
        let e = read("x.json", "{\n  \"年\": x}".as_bytes()).unwrap_err();
        assert_eq!(e.pos, Some(Pos::new(2, 8)));
    }

    #[test]
    fn json_key_positions_skip_values_and_escapes() {
        let text = "{\"a\\\"b\": \"c:\", \"d\" :1, \"年\":{\"e\":2}}";
        let keys = key_positions(text);
        assert_eq!(keys.get("d"), Some(&Pos::new(1, 16)));
        assert_eq!(keys.get("e"), Some(&Pos::new(1, 29)));
        assert!(!keys.contains_key("c:"));
        assert!(keys.contains_key("a\\\"b"));
        // Unterminated strings do not panic.
        key_positions("{\"abc");
        key_positions("\"\\");
    }

    mod arbitrary {
        use super::super::read;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn json_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
                let _ = read("x.json", &bytes);
            }

            #[test]
            fn json_never_panics_on_near_json(s in r#"\{("[a-z0-9_."\\]{0,20}" ?: ?(-?[0-9.e]{0,8}|"[^"]{0,5}"|\{|\[|null|true) ?,? ?){0,6}\}?"#) {
                let _ = read("x.json", s.as_bytes());
                let wrapped = format!(r#"{{"cells": {s}, "sections": {s}}}"#);
                let _ = read("x.json", wrapped.as_bytes());
            }
        }
    }
}
