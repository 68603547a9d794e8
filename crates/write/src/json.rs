//! JSON: the contract of `gongkai parse FILE --format json`. One object:
//!
//! ```json
//! {
//!   "source": "report.txt",
//!   "agency": "某某区人民政府办公室",
//!   "year": 2024,
//!   "template": "2021",
//!   "cells": { "t2.regulation.issued": 0, "t2.fee.amount": 1.5, "t3.new_received.total": 81 },
//!   "sections": { "general": "（一）主动公开……", "proactive": "" },
//!   "diagnostics": [
//!     { "rule": "GK010", "level": "error", "message": "……", "cells": [ … ], "line": 40, "column": 3 }
//!   ]
//! }
//! ```
//!
//! - `agency` and `year` are null when unknown.
//! - `template` is the edition of the national template, "2021" or "2019".
//! - `cells` maps each present cell's address to its number, in template
//!   order; a cell the source lacks is absent. Counts are integers; amounts
//!   (万元) keep their decimals.
//! - `sections` maps the key of each present section (`general`, `proactive`,
//!   `requests`, `appeals`, `problems`, `other`) to its text, one paragraph a
//!   line; a missing section is absent.
//! - `diagnostics` lists what the rules found: `rule`, `level` ("error",
//!   "warning" or "info"), `message`, `cells` (each with `address`, `value`,
//!   `line`, `column`), `line` and `column`, and `expected` and `related` when
//!   set.

use gongkai_report::{CellsJson, Diagnostic, Report};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::Value;

/// The object written for a report.
#[derive(Serialize)]
struct JsonReport<'a> {
    source: &'a str,
    agency: Option<&'a str>,
    year: Option<i32>,
    template: &'static str,
    cells: CellsJson<'a>,
    sections: Sections<'a>,
    diagnostics: &'a [Diagnostic],
}

impl<'a> JsonReport<'a> {
    fn new(report: &'a Report) -> JsonReport<'a> {
        JsonReport {
            source: &report.source,
            agency: report.agency.as_deref(),
            year: report.year,
            template: report.edition.as_str(),
            cells: report.cells_json(),
            sections: Sections(report),
            diagnostics: &report.diagnostics,
        }
    }
}

/// The present sections, key → text, in template order.
struct Sections<'a>(&'a Report);

impl Serialize for Sections<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        for section in &self.0.template().sections {
            if let Some(text) = self.0.section(section.key) {
                map.serialize_entry(section.key.as_str(), &text.text)?;
            }
        }
        map.end()
    }
}

/// The report as a JSON value.
pub fn write(report: &Report) -> Value {
    // Every map key is a string, so serializing cannot fail; the fallback is
    // never taken.
    serde_json::to_value(JsonReport::new(report))
        .unwrap_or_else(|_| Value::Object(Default::default()))
}

/// The report as pretty-printed JSON, keys in the order documented above and
/// cells in template order. No trailing line break.
pub fn to_string_pretty(report: &Report) -> String {
    serde_json::to_string_pretty(&JsonReport::new(report)).unwrap_or_else(|_| "{}".to_string())
}

/// The report as JSON on one line (for JSON Lines output).
pub fn to_string(report: &Report) -> String {
    serde_json::to_string(&JsonReport::new(report)).unwrap_or_else(|_| "{}".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::full_report;
    use gongkai_report::{Num, Origin, Pos, SectionText};
    use gongkai_template::{Edition, SectionKey};

    #[test]
    fn one_object_with_the_contract_keys() {
        let mut r = Report::new("a.txt", Edition::V2021);
        r.set(
            "t3.new_received.total",
            Num::Int(81),
            Origin::Source(Pos::new(40, 3)),
        );
        r.set(
            "t2.fee.amount",
            Num::Dec(1.5),
            Origin::Source(Pos::new(20, 2)),
        );
        r.sections[SectionKey::Problems.index()] = Some(SectionText {
            heading: "五、存在问题及改进情况".into(),
            pos: Pos::new(50, 1),
            text: "一是……\n二是……".into(),
        });
        r.diagnostics = gongkai_report::check(&r);
        r.diagnostics.push(
            Diagnostic::new("GK030", "文字与表格不符")
                .expected(Num::Int(80))
                .at(Pos::new(5, 7)),
        );
        let v = write(&r);
        let obj = v.as_object().unwrap();
        let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        let mut expected = vec![
            "source",
            "agency",
            "year",
            "template",
            "cells",
            "sections",
            "diagnostics",
        ];
        expected.sort_unstable();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, expected);
        assert_eq!(v["source"], "a.txt");
        assert!(v["agency"].is_null());
        assert!(v["year"].is_null());
        assert_eq!(v["template"], "2021");
        assert_eq!(v["cells"].as_object().unwrap().len(), 2);
        assert_eq!(v["cells"]["t3.new_received.total"], 81);
        assert!(v["cells"]["t3.new_received.total"].is_i64());
        assert_eq!(v["cells"]["t2.fee.amount"], 1.5);
        assert_eq!(
            v["sections"],
            serde_json::json!({ "problems": "一是……\n二是……" })
        );
        let d = v["diagnostics"].as_array().unwrap().last().unwrap();
        assert_eq!(d["rule"], "GK030");
        assert_eq!(d["level"], "warning");
        assert_eq!(d["message"], "文字与表格不符");
        assert_eq!(d["line"], 5);
        assert_eq!(d["column"], 7);
        assert_eq!(d["expected"], 80);
        assert!(d["cells"].is_array());
        assert!(d.get("related").is_none());
    }

    #[test]
    fn pretty_output_keeps_template_order() {
        let r = full_report(Edition::V2019);
        let s = to_string_pretty(&r);
        assert!(s.starts_with("{\n  \"source\": \"full.txt\",\n  \"agency\": \"某某区人民政府办公室\",\n  \"year\": 2024,\n  \"template\": \"2019\",\n  \"cells\": {\n    \"t2.regulation.made\": 1,"));
        let general = s.find("\"general\"").unwrap();
        let other = s.find("\"other\": \"").unwrap();
        assert!(general < other);
        let parsed: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(parsed, write(&r));
        assert_eq!(
            serde_json::from_str::<Value>(&to_string(&r)).unwrap(),
            parsed
        );
        assert!(!to_string(&r).contains('\n'));
    }

    #[test]
    fn decimals_keep_their_decimals() {
        let mut r = Report::new("a", Edition::V2021);
        r.set(
            "t2.fee.amount",
            Num::Dec(0.35),
            Origin::Source(Pos::UNKNOWN),
        );
        assert!(to_string(&r).contains("\"t2.fee.amount\":0.35"));
        r.set("t2.fee.amount", Num::Int(2), Origin::Source(Pos::UNKNOWN));
        assert!(to_string(&r).contains("\"t2.fee.amount\":2}"));
    }
}
