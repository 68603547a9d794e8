//! The annual report computed from a year of the ledger.
//!
//! For year Y (条例 第五十条, the national template's table 3):
//! - new_received: applications received in Y, by applicant kind;
//! - carried_over: applications open on 1 January of Y (received before Y, not closed before Y);
//! - outcomes: applications closed in Y, by outcome;
//! - carried_forward: applications open on 31 December of Y.
//!
//! Every application received by the end of Y is counted exactly once on each side
//! of the table's own identity (new + carried over = processed + carried forward),
//! so the report is consistent by construction, and the carry-over of Y equals the
//! carry-forward of Y−1 because both are "open at the turn of the year".
//!
//! Table 2 counts normative documents by their issue and repeal dates; table 4
//! counts the reconsiderations and lawsuits handled in Y: those filed in Y or still
//! pending on 1 January; a result counts in the year it was decided, and those not
//! decided by 31 December are pending.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use gongkai_report::{Cell, Num, Origin, Report, SectionText};
use gongkai_template::{Edition, SectionKey, TableKey, Template};
use serde::{Deserialize, Serialize};

use crate::model::{ApplicantKind, CaseKind, Enforcement, LegalCase, NormativeDocument, Outcome};

/// One application as the annual report sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseSummary {
    pub kind: ApplicantKind,
    pub received_on: NaiveDate,
    pub closed: Option<(NaiveDate, Outcome)>,
}

/// Counts by applicant kind, in [`ApplicantKind::ALL`] order.
pub type ByKind = [i64; 6];

/// Table 3 of one year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requests {
    pub new_received: ByKind,
    pub carried_over: ByKind,
    pub outcomes: BTreeMap<Outcome, ByKind>,
    pub carried_forward: ByKind,
}

impl Requests {
    /// Counts one application into year `year`'s table.
    pub fn add(&mut self, year: i32, case: &CaseSummary) {
        let (start, end) = year_bounds(year);
        let k = case.kind.index();
        if case.received_on > end {
            return;
        }
        let closed_before = |d: NaiveDate| case.closed.is_some_and(|(c, _)| c < d);
        if case.received_on >= start {
            self.new_received[k] += 1;
        } else if !closed_before(start) {
            self.carried_over[k] += 1;
        }
        match case.closed {
            Some((on, outcome)) if on >= start && on <= end => {
                self.outcomes.entry(outcome).or_default()[k] += 1;
            }
            Some((on, _)) if on <= end => {}
            _ => {
                if case.received_on >= start || !closed_before(start) {
                    self.carried_forward[k] += 1;
                }
            }
        }
    }

    /// The table from a list of applications.
    pub fn tally<'a>(year: i32, cases: impl IntoIterator<Item = &'a CaseSummary>) -> Requests {
        let mut r = Requests::default();
        for c in cases {
            r.add(year, c);
        }
        r
    }

    pub fn processed(&self) -> ByKind {
        let mut sum = [0; 6];
        for v in self.outcomes.values() {
            for (s, x) in sum.iter_mut().zip(v) {
                *s += x;
            }
        }
        sum
    }
}

/// First and last day of a year.
pub fn year_bounds(year: i32) -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN),
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX),
    )
}

/// Table 2, first rows: issued / repealed / in force, for 规章 and 行政规范性文件.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentCounts {
    pub issued: i64,
    pub repealed: i64,
    pub in_force: i64,
}

impl DocumentCounts {
    pub fn add(&mut self, year: i32, doc: &NormativeDocument) {
        let (start, end) = year_bounds(year);
        if doc.issued_on >= start && doc.issued_on <= end {
            self.issued += 1;
        }
        if let Some(r) = doc.repealed_on {
            if r >= start && r <= end {
                self.repealed += 1;
            }
        }
        if doc.issued_on <= end && doc.repealed_on.is_none_or(|r| r > end) {
            self.in_force += 1;
        }
    }
}

/// Table 4 for one group: upheld, corrected, other, pending.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseCounts {
    pub upheld: i64,
    pub corrected: i64,
    pub other: i64,
    pub pending: i64,
}

impl CaseCounts {
    pub fn add(&mut self, year: i32, case: &LegalCase) {
        let (start, end) = year_bounds(year);
        if case.filed_on > end {
            return;
        }
        match case.decided {
            Some((on, _)) if on < start => {}
            Some((on, result)) if on <= end => match result {
                crate::model::CaseResult::Upheld => self.upheld += 1,
                crate::model::CaseResult::Corrected => self.corrected += 1,
                crate::model::CaseResult::Other => self.other += 1,
            },
            _ => self.pending += 1,
        }
    }
    pub fn total(&self) -> i64 {
        self.upheld + self.corrected + self.other + self.pending
    }
}

/// Everything the annual report of one agency and year is made from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LedgerYear {
    pub agency: String,
    pub year: i32,
    pub regulation: DocumentCounts,
    pub normative: DocumentCounts,
    /// `None` when the year's enforcement figures were never entered: the
    /// report then says 0 and notes it.
    pub enforcement: Option<Enforcement>,
    pub requests: Requests,
    pub cases: BTreeMap<CaseKindKey, CaseCounts>,
    /// Narrative text the office wrote for sections 一, 五 and 六.
    pub narrative: BTreeMap<String, String>,
    /// Applications received in the year, by channel key (`online` …).
    #[serde(default)]
    pub channels: BTreeMap<String, i64>,
    /// Steps taken in the year, by event kind (`correction_requested`,
    /// `consultation_started`, `extended`, `fee_noticed`).
    #[serde(default)]
    pub steps: BTreeMap<String, i64>,
    /// Applications closed in the year whose reply came after the deadline.
    #[serde(default)]
    pub late_replies: i64,
}

/// [`CaseKind`] as a map key that serialises as its row key.
pub type CaseKindKey = String;

impl LedgerYear {
    pub fn new(agency: &str, year: i32) -> LedgerYear {
        LedgerYear {
            agency: agency.to_string(),
            year,
            ..LedgerYear::default()
        }
    }

    pub fn add_document(&mut self, doc: &NormativeDocument) {
        match doc.kind {
            crate::model::DocumentKind::Regulation => self.regulation.add(self.year, doc),
            crate::model::DocumentKind::Normative => self.normative.add(self.year, doc),
        }
    }

    pub fn add_case(&mut self, case: &LegalCase) {
        let year = self.year;
        self.cases
            .entry(case.kind.row_key().to_string())
            .or_default()
            .add(year, case);
    }
}

/// The keys of the narrative sections an office writes.
pub const NARRATIVE_SECTIONS: [SectionKey; 3] =
    [SectionKey::General, SectionKey::Problems, SectionKey::Other];

/// Builds the annual report. Every cell is `Origin::Derived` with a note of the
/// ledger rows it counts.
pub fn build_report(ly: &LedgerYear) -> Report {
    let edition = Edition::V2021;
    let t = Template::get(edition);
    let year = ly.year;
    let mut r = Report::new(format!("台账：{}/{}", ly.agency, year), edition);
    r.agency = Some(ly.agency.clone());
    r.year = Some(year);
    r.title = Some(format!("{}{}{}", ly.agency, year, t.title_suffix));
    r.stated_period_year = Some(year);

    let mut set = |table: TableKey, row: &str, col: &str, value: Num, why: String| {
        if let Some(i) = t.cell_by_keys(table, row, col) {
            r.cells[i] = Some(Cell {
                value,
                origin: Origin::Derived(why),
                blank: false,
            });
        }
    };

    // Table 2.
    for (row, counts, label) in [
        ("regulation", ly.regulation, "规章"),
        ("normative", ly.normative, "行政规范性文件"),
    ] {
        set(
            TableKey::T2,
            row,
            "issued",
            Num::Int(counts.issued),
            format!("台账：{year}年内印发的{label}"),
        );
        set(
            TableKey::T2,
            row,
            "repealed",
            Num::Int(counts.repealed),
            format!("台账：{year}年内废止的{label}"),
        );
        set(
            TableKey::T2,
            row,
            "in_force",
            Num::Int(counts.in_force),
            format!("台账：截至{year}年12月31日现行有效的{label}"),
        );
    }
    let enf = ly.enforcement.unwrap_or_default();
    let enf_note = if ly.enforcement.is_some() {
        format!("台账：{year}年执法数据")
    } else {
        format!("台账：{year}年执法数据未录入，按0填报")
    };
    for (row, v) in [
        ("license", enf.license),
        ("penalty", enf.penalty),
        ("coercion", enf.coercion),
    ] {
        set(TableKey::T2, row, "decided", Num::Int(v), enf_note.clone());
    }
    let amount = (enf.fee_amount * 10_000.0).round() / 10_000.0;
    set(
        TableKey::T2,
        "fee",
        "amount",
        if amount.fract() == 0.0 && amount.abs() < 1e15 {
            Num::Int(amount as i64)
        } else {
            Num::Dec(amount)
        },
        enf_note,
    );

    // Table 3.
    let q = &ly.requests;
    let mut put_row = |row: &str, counts: &ByKind, why: &str| {
        for k in ApplicantKind::ALL {
            set(
                TableKey::T3,
                row,
                k.column_key(),
                Num::Int(counts[k.index()]),
                format!("台账：{why}（{}）", k.label()),
            );
        }
        set(
            TableKey::T3,
            row,
            "total",
            Num::Int(counts.iter().sum()),
            format!("台账：{why}（合计）"),
        );
    };
    put_row(
        "new_received",
        &q.new_received,
        &format!("{year}年内收到的申请"),
    );
    put_row(
        "carried_over",
        &q.carried_over,
        &format!("{year}年1月1日仍在办理的申请"),
    );
    for outcome in Outcome::all() {
        let counts = q.outcomes.get(&outcome).copied().unwrap_or_default();
        put_row(
            outcome.key(),
            &counts,
            &format!("{year}年内办结、结果为“{}”的申请", outcome.short_label()),
        );
    }
    put_row(
        "total_processed",
        &q.processed(),
        &format!("{year}年内办结的申请"),
    );
    put_row(
        "carried_forward",
        &q.carried_forward,
        &format!("{year}年12月31日仍在办理的申请"),
    );

    // Table 4.
    for kind in CaseKind::ALL {
        let c = ly.cases.get(kind.row_key()).copied().unwrap_or_default();
        let why = |what: &str| format!("台账：{}，{what}", kind.label());
        for (col, v, what) in [
            ("upheld", c.upheld, format!("{year}年内结果维持")),
            ("corrected", c.corrected, format!("{year}年内结果纠正")),
            ("other", c.other, format!("{year}年内其他结果")),
            (
                "pending",
                c.pending,
                format!("截至{year}年12月31日尚未审结"),
            ),
            ("total", c.total(), "合计".to_string()),
        ] {
            set(TableKey::T4, kind.row_key(), col, Num::Int(v), why(&what));
        }
    }

    // Sections.
    for s in &t.sections {
        let text = match ly.narrative.get(s.key.as_str()) {
            Some(text) if !text.trim().is_empty() => text.trim_end().to_string(),
            _ => default_narrative(s.key, ly),
        };
        r.sections[s.key.index()] = Some(SectionText {
            heading: s.heading(),
            pos: gongkai_report::Pos::UNKNOWN,
            text,
        });
    }
    r
}

/// "N件" clauses joined by "、", the zero ones left out; `none` when all are zero.
fn counted(parts: &[(&str, i64)], none: &str) -> String {
    let shown: Vec<String> = parts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(what, n)| format!("{what}{n}件"))
        .collect();
    if shown.is_empty() {
        none.to_string()
    } else {
        shown.join("、")
    }
}

/// What a section says when the office has not written it: every sub-part
/// of the template, in sentences made of the ledger's own figures (the same
/// numbers as the tables).
fn default_narrative(key: SectionKey, ly: &LedgerYear) -> String {
    let year = ly.year;
    let q = &ly.requests;
    let sum = |k: &ByKind| k.iter().sum::<i64>();
    let received = sum(&q.new_received);
    let over = sum(&q.carried_over);
    let processed = sum(&q.processed());
    let forward = sum(&q.carried_forward);
    let group = |prefix: &str| -> i64 {
        q.outcomes
            .iter()
            .filter(|(o, _)| o.key() == prefix || o.key().starts_with(&format!("{prefix}.")))
            .map(|(_, k)| sum(k))
            .sum()
    };
    let step = |k: &str| ly.steps.get(k).copied().unwrap_or(0);
    let case = |k: &str| ly.cases.get(k).copied().unwrap_or_default();
    let review = case("review");
    let (direct, after) = (case("suit_direct"), case("suit_after_review"));
    let lawsuits = direct.total() + after.total();
    let corrected = review.corrected + direct.corrected + after.corrected;
    let pending = review.pending + direct.pending + after.pending;
    match key {
        SectionKey::General => {
            let (rg, nm) = (ly.regulation, ly.normative);
            let enforcement = match ly.enforcement {
                Some(e) => format!(
                    "全年作出行政许可决定{}件、行政处罚决定{}件、行政强制决定{}件。",
                    e.license, e.penalty, e.coercion
                ),
                None => {
                    "行政许可、行政处罚、行政强制的决定数尚未录入台账，表二按0填报。".to_string()
                }
            };
            let channels: Vec<(&str, i64)> = crate::model::Channel::ALL
                .iter()
                .map(|c| (c.label(), ly.channels.get(c.key()).copied().unwrap_or(0)))
                .collect();
            let by_channel = counted(&channels, "");
            let platform = if received == 0 {
                format!("{year}年未收到政府信息公开申请。")
            } else if by_channel.is_empty() {
                format!("{year}年共收到政府信息公开申请{received}件。")
            } else {
                format!("{year}年收到的申请中，按提交方式：{by_channel}。")
            };
            [
                format!(
                    "（一）主动公开\n{year}年，本机关制发规章{}件、行政规范性文件{}件，废止规章{}件、行政规范性文件{}件；截至{year}年12月31日，现行有效规章{}件、行政规范性文件{}件。{enforcement}",
                    rg.issued, nm.issued, rg.repealed, nm.repealed, rg.in_force, nm.in_force
                ),
                format!(
                    "（二）依申请公开\n{year}年，本机关共收到政府信息公开申请{received}件，上年结转{over}件；办结{processed}件（{}），结转下年度继续办理{forward}件。",
                    counted(
                        &[
                            ("予以公开", group("granted")),
                            ("部分公开", group("partially_granted")),
                            ("不予公开", group("withheld")),
                            ("无法提供", group("unavailable")),
                            ("不予处理", group("not_processed")),
                            ("其他处理", group("other")),
                        ],
                        "无"
                    )
                ),
                format!(
                    "（三）政府信息管理\n本机关以台账登记每一件政府信息公开申请的收到、补正、征求意见、延期、收费和答复，按法定期限办理。{year}年{}。",
                    counted(
                        &[
                            ("发出补正告知", step("correction_requested")),
                            ("征求第三方或其他机关意见", step("consultation_started")),
                            ("延期答复", step("extended")),
                            ("发出收费通知", step("fee_noticed")),
                        ],
                        "没有需要补正、征求意见、延期或收费的申请"
                    )
                ),
                format!("（四）政府信息公开平台建设\n{platform}"),
                format!(
                    "（五）监督保障\n{year}年，本机关因政府信息公开工作被申请行政复议{}件、被提起行政诉讼{lawsuits}件；审结的案件中结果被纠正{corrected}件，尚未审结{pending}件。",
                    review.total()
                ),
            ]
            .join("\n")
        }
        SectionKey::Problems => {
            if ly.late_replies == 0 && corrected == 0 {
                format!(
                    "台账记录显示，{year}年本机关办结的政府信息公开申请均在法定期限内答复，行政复议、行政诉讼中没有结果被纠正的案件。本机关将继续按期限提醒跟踪在办申请。"
                )
            } else {
                let mut found = Vec::new();
                if ly.late_replies > 0 {
                    found.push(format!("有{}件申请超过法定期限答复", ly.late_replies));
                }
                if corrected > 0 {
                    found.push(format!("行政复议、行政诉讼中结果被纠正{corrected}件"));
                }
                format!(
                    "台账记录显示，{year}年本机关{}。本机关将逐件核查原因，对在办申请按期限提醒跟踪办理，依法规范答复。",
                    found.join("，")
                )
            }
        }
        SectionKey::Other => {
            format!("本报告所列数据的统计期限为{year}年1月1日至{year}年12月31日。")
        }
        _ => String::new(),
    }
}

/// The fixed wording of the sections [`build_report`] writes for an office
/// that wrote none (see `default_narrative`): every literal part between its
/// figures. Kept beside the sentences they come from; a test holds them to
/// each other.
const DRAFT_WORDING: &[&str] = &[
    "（一）主动公开",
    "年，本机关制发规章",
    "件、行政规范性文件",
    "件，废止规章",
    "件；截至",
    "年12月31日，现行有效规章",
    "全年作出行政许可决定",
    "件、行政处罚决定",
    "件、行政强制决定",
    "行政许可、行政处罚、行政强制的决定数尚未录入台账，表二按0填报。",
    "年未收到政府信息公开申请。",
    "年共收到政府信息公开申请",
    "年收到的申请中，按提交方式：",
    "（二）依申请公开",
    "年，本机关共收到政府信息公开申请",
    "件，上年结转",
    "件；办结",
    "），结转下年度继续办理",
    "予以公开",
    "部分公开",
    "不予公开",
    "无法提供",
    "不予处理",
    "其他处理",
    "（三）政府信息管理",
    "本机关以台账登记每一件政府信息公开申请的收到、补正、征求意见、延期、收费和答复，按法定期限办理。",
    "发出补正告知",
    "征求第三方或其他机关意见",
    "延期答复",
    "发出收费通知",
    "没有需要补正、征求意见、延期或收费的申请",
    "（四）政府信息公开平台建设",
    "（五）监督保障",
    "年，本机关因政府信息公开工作被申请行政复议",
    "件、被提起行政诉讼",
    "件；审结的案件中结果被纠正",
    "件，尚未审结",
    "台账记录显示，",
    "年本机关办结的政府信息公开申请均在法定期限内答复，行政复议、行政诉讼中没有结果被纠正的案件。本机关将继续按期限提醒跟踪在办申请。",
    "件申请超过法定期限答复",
    "行政复议、行政诉讼中结果被纠正",
    "。本机关将逐件核查原因，对在办申请按期限提醒跟踪办理，依法规范答复。",
    "本报告所列数据的统计期限为",
    "年1月1日至",
    "年12月31日。",
];

/// A section's text without the wording gongkai writes for an office that
/// wrote none, nor the figures in it: what is left is the office's own. Two
/// offices that both publish the draft as written have copied nothing from
/// each other, and the review's copied-narrative detection is given this.
pub fn without_draft_wording(text: &str) -> String {
    static WORDING: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let wording = WORDING.get_or_init(|| {
        let mut v: Vec<String> = DRAFT_WORDING.iter().map(|s| s.to_string()).collect();
        v.extend(
            crate::model::Channel::ALL
                .iter()
                .map(|c| c.label().to_string()),
        );
        // Longest first, so no fragment is cut by a shorter one inside it.
        v.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        v
    });
    if !wording.iter().any(|w| text.contains(w.as_str())) {
        return text.to_string();
    }
    let mut out = text.to_string();
    for w in wording {
        if out.contains(w.as_str()) {
            out = out.replace(w.as_str(), "");
        }
    }
    // The figures between the fragments, and the separators they leave.
    let mut cleaned = String::with_capacity(out.len());
    let mut prev_sep = true;
    for c in out.chars() {
        if c.is_ascii_digit() {
            continue;
        }
        let sep = matches!(
            c,
            '件' | '、' | '，' | '。' | '（' | '）' | '；' | '：' | '年'
        ) || c.is_whitespace();
        if sep && prev_sep {
            continue;
        }
        prev_sep = sep;
        cleaned.push(c);
    }
    cleaned
        .trim_matches(|c: char| c.is_whitespace() || "件、，。；：年".contains(c))
        .to_string()
}

/// The year a date falls in.
pub fn year_of(d: NaiveDate) -> i32 {
    d.year()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CaseResult, DocumentKind};
    use gongkai_report::Level;
    use gongkai_report::{check, check_series};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn case(kind: ApplicantKind, r: NaiveDate, closed: Option<(NaiveDate, &str)>) -> CaseSummary {
        CaseSummary {
            kind,
            received_on: r,
            closed: closed.map(|(c, o)| (c, Outcome::parse(o).unwrap())),
        }
    }

    #[test]
    fn turn_of_the_year_is_counted_once_on_each_side() {
        use ApplicantKind::*;
        let cases = [
            case(
                NaturalPerson,
                d(2024, 12, 20),
                Some((d(2025, 1, 10), "granted")),
            ),
            case(NaturalPerson, d(2024, 12, 30), None),
            case(Business, d(2024, 3, 1), Some((d(2024, 3, 5), "granted"))),
            case(
                Business,
                d(2025, 3, 1),
                Some((d(2025, 3, 5), "partially_granted")),
            ),
            case(LegalService, d(2025, 12, 31), None),
            case(Research, d(2025, 12, 1), Some((d(2026, 1, 5), "granted"))),
            case(NaturalPerson, d(2026, 1, 2), None),
        ];
        let y25 = Requests::tally(2025, &cases);
        assert_eq!(y25.new_received, [0, 1, 1, 0, 1, 0]);
        assert_eq!(y25.carried_over, [2, 0, 0, 0, 0, 0]);
        assert_eq!(y25.processed(), [1, 1, 0, 0, 0, 0]);
        assert_eq!(y25.carried_forward, [1, 0, 1, 0, 1, 0]);
        let y26 = Requests::tally(2026, &cases);
        assert_eq!(y26.carried_over, y25.carried_forward);
        assert_eq!(y26.new_received, [1, 0, 0, 0, 0, 0]);
    }

    #[test]
    fn documents_and_cases() {
        let mut ly = LedgerYear::new("某某县人民政府", 2025);
        let doc = |k, i: NaiveDate, r: Option<NaiveDate>| NormativeDocument {
            number: format!("{i}"),
            kind: k,
            title: "办法".into(),
            issued_on: i,
            repealed_on: r,
        };
        for x in [
            doc(DocumentKind::Normative, d(2020, 5, 1), None),
            doc(DocumentKind::Normative, d(2021, 5, 1), Some(d(2025, 6, 1))),
            doc(DocumentKind::Normative, d(2025, 2, 1), Some(d(2025, 9, 1))),
            doc(DocumentKind::Normative, d(2025, 3, 1), None),
            doc(DocumentKind::Regulation, d(2026, 3, 1), None),
        ] {
            ly.add_document(&x);
        }
        assert_eq!(
            ly.normative,
            DocumentCounts {
                issued: 2,
                repealed: 2,
                in_force: 2
            }
        );
        assert_eq!(ly.regulation, DocumentCounts::default());
        let lc = |k, f: NaiveDate, dec: Option<(NaiveDate, CaseResult)>| LegalCase {
            number: "x".into(),
            kind: k,
            filed_on: f,
            decided: dec,
        };
        for c in [
            lc(
                CaseKind::Review,
                d(2024, 11, 1),
                Some((d(2025, 1, 20), CaseResult::Upheld)),
            ),
            lc(
                CaseKind::Review,
                d(2024, 11, 1),
                Some((d(2024, 12, 20), CaseResult::Upheld)),
            ),
            lc(CaseKind::Review, d(2025, 4, 1), None),
            lc(
                CaseKind::SuitDirect,
                d(2025, 4, 1),
                Some((d(2026, 2, 1), CaseResult::Corrected)),
            ),
            lc(
                CaseKind::SuitAfterReview,
                d(2025, 7, 1),
                Some((d(2025, 9, 1), CaseResult::Other)),
            ),
        ] {
            ly.add_case(&c);
        }
        let review = ly.cases["review"];
        assert_eq!((review.upheld, review.pending, review.total()), (1, 1, 2));
        assert_eq!(ly.cases["suit_direct"].pending, 1);
        assert_eq!(ly.cases["suit_after_review"].other, 1);
    }

    #[test]
    fn generated_reports_check_clean_and_chain() {
        use ApplicantKind::*;
        let mut rng = gongkai_report::sample::Rng::new(7);
        let kinds = ApplicantKind::ALL;
        let mut cases = Vec::new();
        for i in 0..3000 {
            let received = d(2023, 1, 1) + chrono::Days::new(rng.below(3 * 365));
            let kind = if i % 3 == 0 {
                NaturalPerson
            } else {
                kinds[rng.below(6) as usize]
            };
            let closed = if rng.below(10) == 0 {
                None
            } else {
                let o = Outcome::all().nth(rng.below(21) as usize).unwrap();
                Some((received + chrono::Days::new(rng.below(60)), o))
            };
            cases.push(CaseSummary {
                kind,
                received_on: received,
                closed,
            });
        }
        let reports: Vec<Report> = (2023..=2025)
            .map(|y| {
                let mut ly = LedgerYear::new("某某市某某局", y);
                ly.requests = Requests::tally(y, &cases);
                build_report(&ly)
            })
            .collect();
        for r in &reports {
            let errors: Vec<_> = check(r)
                .into_iter()
                .filter(|d| d.level != Level::Info)
                .collect();
            assert!(errors.is_empty(), "{errors:#?}");
            assert!(r.value("t3.new_received.total").unwrap().as_int().unwrap() > 900);
        }
        let refs: Vec<&Report> = reports.iter().collect();
        assert!(check_series(&refs).is_empty());
    }

    /// Every draft section gongkai writes — busy years and empty ones —
    /// leaves almost nothing once its own wording is taken out; an office's
    /// own sentences stay whole.
    #[test]
    fn draft_wording_is_taken_out_and_only_it() {
        use ApplicantKind::*;
        let mut rng = gongkai_report::sample::Rng::new(11);
        for busy in [0u64, 1, 40] {
            let mut cases = Vec::new();
            for _ in 0..busy * 20 {
                let received = d(2025, 1, 1) + chrono::Days::new(rng.below(300));
                let o = Outcome::all().nth(rng.below(21) as usize).unwrap();
                cases.push(CaseSummary {
                    kind: NaturalPerson,
                    received_on: received,
                    closed: (rng.below(4) > 0).then(|| (received + chrono::Days::new(30), o)),
                });
            }
            let mut ly = LedgerYear::new("某某县某某局", 2025);
            ly.requests = Requests::tally(2025, &cases);
            ly.late_replies = busy as i64 % 3;
            for (i, c) in crate::model::Channel::ALL.iter().enumerate() {
                ly.channels
                    .insert(c.key().to_string(), (busy as i64 + i as i64) % 4);
            }
            for step in [
                "correction_requested",
                "consultation_started",
                "extended",
                "fee_noticed",
            ] {
                ly.steps.insert(step.to_string(), busy as i64 % 5);
            }
            if busy > 0 {
                ly.enforcement = Some(Enforcement {
                    license: 12,
                    penalty: 3,
                    coercion: 0,
                    fee_amount: 1.5,
                });
            }
            let r = build_report(&ly);
            for section in r.sections.iter().flatten() {
                let left = without_draft_wording(&section.text);
                assert!(
                    left.chars().count() <= 12,
                    "{busy}: “{left}” is left of “{}”",
                    section.text
                );
            }
        }
        let own = "2025年，本局围绕乡村振兴，在局网站开设专栏公开项目资金使用情况。";
        assert_eq!(without_draft_wording(own), own);
        let mixed = format!("（一）主动公开\n{own}");
        assert!(without_draft_wording(&mixed).contains("在局网站开设专栏公开项目资金使用情况"));
    }
}
