//! The things a disclosure office records: applicants, applications, the
//! events of a case and its outcome.

use std::fmt;

use chrono::NaiveDate;
use gongkai_template::{text::normalize, Edition, TableKey, Template};
use serde::{Deserialize, Serialize};

/// The six kinds of applicant, the columns of table 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantKind {
    NaturalPerson,
    Business,
    Research,
    SocialWelfare,
    LegalService,
    OtherOrg,
}

impl ApplicantKind {
    pub const ALL: [ApplicantKind; 6] = [
        ApplicantKind::NaturalPerson,
        ApplicantKind::Business,
        ApplicantKind::Research,
        ApplicantKind::SocialWelfare,
        ApplicantKind::LegalService,
        ApplicantKind::OtherOrg,
    ];

    /// The table-3 column key: `natural_person`, `business` …
    pub fn column_key(self) -> &'static str {
        match self {
            ApplicantKind::NaturalPerson => "natural_person",
            ApplicantKind::Business => "business",
            ApplicantKind::Research => "research",
            ApplicantKind::SocialWelfare => "social_welfare",
            ApplicantKind::LegalService => "legal_service",
            ApplicantKind::OtherOrg => "other_org",
        }
    }

    /// The template's column label (自然人, 商业企业 …).
    pub fn label(self) -> &'static str {
        let t = Template::get(Edition::V2021).table(TableKey::T3);
        t.column(self.column_key())
            .map(|(_, c)| c.label)
            .unwrap_or("其他")
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// Reads a kind from its key or its Chinese label, as a clerk would write it
    /// ("自然人", "企业", "法人或其他组织-其他" …).
    pub fn parse(s: &str) -> Option<ApplicantKind> {
        let n = normalize(s);
        if n.is_empty() {
            return None;
        }
        for k in ApplicantKind::ALL {
            if n == k.column_key() || n == normalize(k.label()) {
                return Some(k);
            }
        }
        let has = |w: &str| n.contains(w);
        Some(if has("自然人") || has("个人") || has("公民") {
            ApplicantKind::NaturalPerson
        } else if has("商业") || has("企业") || has("公司") {
            ApplicantKind::Business
        } else if has("科研") {
            ApplicantKind::Research
        } else if has("公益") {
            ApplicantKind::SocialWelfare
        } else if has("法律服务") || has("律师") {
            ApplicantKind::LegalService
        } else if has("其他") || has("组织") {
            ApplicantKind::OtherOrg
        } else {
            return None;
        })
    }
}

impl fmt::Display for ApplicantKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// How an application arrived (申请方式).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    InPerson,
    Post,
    Fax,
    Online,
    Email,
    Other,
}

impl Channel {
    pub const ALL: [Channel; 6] = [
        Channel::InPerson,
        Channel::Post,
        Channel::Fax,
        Channel::Online,
        Channel::Email,
        Channel::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Channel::InPerson => "in_person",
            Channel::Post => "post",
            Channel::Fax => "fax",
            Channel::Online => "online",
            Channel::Email => "email",
            Channel::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::InPerson => "当面",
            Channel::Post => "信函",
            Channel::Fax => "传真",
            Channel::Online => "网络",
            Channel::Email => "电子邮件",
            Channel::Other => "其他",
        }
    }

    /// Which day counts as the day of receipt (条例 第三十一条).
    pub fn receipt_rule(self) -> &'static str {
        match self {
            Channel::InPerson => "当面提交的，以提交之日为收到申请之日",
            Channel::Post => "以邮寄方式提交的，以行政机关签收之日为收到申请之日",
            Channel::Fax | Channel::Online | Channel::Email => {
                "以传真、互联网渠道或者电子邮箱提交的，以双方确认之日为收到申请之日"
            }
            Channel::Other => "以行政机关实际收到申请之日为收到申请之日",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        let n = normalize(s);
        for c in Channel::ALL {
            if n == c.key() || n == c.label() {
                return Some(c);
            }
        }
        let has = |w: &str| n.contains(w);
        Some(if has("当面") || has("现场") || has("窗口") {
            Channel::InPerson
        } else if has("信函") || has("邮寄") || has("邮政") || has("挂号") || has("快递")
        {
            Channel::Post
        } else if has("传真") {
            Channel::Fax
        } else if has("邮件") || has("邮箱") || has("email") {
            Channel::Email
        } else if has("网") || has("在线") || has("平台") {
            Channel::Online
        } else if has("其他") {
            Channel::Other
        } else {
            return None;
        })
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The outcome of a case: the key of an outcome row of table 3
/// (`granted`, `withheld.state_secret`, `other.no_correction` …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Outcome(&'static str);

/// Table-3 rows that are not outcomes.
const NOT_OUTCOMES: [&str; 4] = [
    "new_received",
    "carried_over",
    "total_processed",
    "carried_forward",
];

impl Outcome {
    pub const GRANTED: Outcome = Outcome("granted");
    /// 本机关不掌握相关政府信息: the information does not exist (条例 第三十六条
    /// 第（四）项), or another agency is responsible for it (第（五）项).
    pub const NOT_HELD: Outcome = Outcome("unavailable.not_held");
    pub const NO_CORRECTION: Outcome = Outcome("other.no_correction");
    pub const FEE_UNPAID: Outcome = Outcome("other.fee_unpaid");
    /// A withdrawal, and anything else the template has no row for.
    pub const OTHER: Outcome = Outcome("other.other");

    /// Every outcome, in the template's row order.
    pub fn all() -> impl Iterator<Item = Outcome> {
        Template::get(Edition::V2021)
            .table(TableKey::T3)
            .rows
            .iter()
            .filter(|r| !NOT_OUTCOMES.contains(&r.key))
            .map(|r| Outcome(r.key))
    }

    pub fn key(self) -> &'static str {
        self.0
    }

    /// The row label with its group: "（三）不予公开 · 1.属于国家秘密".
    pub fn label(self) -> String {
        Template::get(Edition::V2021)
            .table(TableKey::T3)
            .row(self.0)
            .map(|(_, r)| match r.group {
                Some(g) if g != gongkai_template::T3_RESULTS => r.full_label(),
                _ => r.label.to_string(),
            })
            .unwrap_or_else(|| self.0.to_string())
    }

    /// The row label alone: "属于国家秘密".
    pub fn short_label(self) -> String {
        let label = Template::get(Edition::V2021)
            .table(TableKey::T3)
            .row(self.0)
            .map(|(_, r)| r.label)
            .unwrap_or(self.0);
        gongkai_template::text::strip_numbering(label).to_string()
    }

    /// Reads an outcome from its key, its template label, or the words a clerk
    /// writes in a 台账 ("予以公开", "不予公开-国家秘密", "撤回申请" …).
    pub fn parse(s: &str) -> Option<Outcome> {
        let trimmed = s.trim();
        if let Some(o) = Outcome::all().find(|o| o.0 == trimmed) {
            return Some(o);
        }
        let n = normalize(trimmed);
        if n.is_empty() {
            return None;
        }
        // Exact label, with or without its group and numbering.
        for o in Outcome::all() {
            let label = normalize(&o.label().replace(" · ", ""));
            let short = normalize(&o.short_label());
            if n == label || n == short || n == normalize(&o.label()) {
                return Some(o);
            }
        }
        let has = |w: &str| n.contains(w);
        let o = if has("撤回") || has("撤销申请") {
            Outcome::OTHER
        } else if has("部分公开") || has("区分处理") {
            Outcome("partially_granted")
        } else if has("国家秘密") {
            Outcome("withheld.state_secret")
        } else if has("法律") && has("禁止公开") {
            Outcome("withheld.prohibited_by_law")
        } else if has("三安全一稳定") || has("危及") {
            Outcome("withheld.security_stability")
        } else if has("第三方") {
            Outcome("withheld.third_party_rights")
        } else if has("内部事务") {
            Outcome("withheld.internal_affairs")
        } else if has("过程性") {
            Outcome("withheld.process_information")
        } else if has("执法案卷") {
            Outcome("withheld.enforcement_case_file")
        } else if has("查询事项") {
            Outcome("withheld.query_service")
        } else if has("不掌握") || has("不存在") {
            Outcome("unavailable.not_held")
        } else if has("另行制作") || has("没有现成") {
            Outcome("unavailable.requires_compilation")
        } else if has("仍不明确") {
            Outcome("unavailable.still_unclear")
        } else if has("信访") || has("举报") || has("投诉") {
            Outcome("not_processed.petition_complaint")
        } else if has("重复申请") {
            Outcome("not_processed.repeated")
        } else if has("出版物") {
            Outcome("not_processed.publication")
        } else if has("大量反复") {
            Outcome("not_processed.excessive")
        } else if has("确认") || has("重新出具") {
            Outcome("not_processed.confirmation")
        } else if has("不补正") || has("逾期未补正") || has("未补正") {
            Outcome::NO_CORRECTION
        } else if has("缴纳") || has("未缴费") || has("未付费") {
            Outcome::FEE_UNPAID
        } else if has("予以公开") || n == "公开" || n == "同意公开" {
            Outcome::GRANTED
        } else if has("其他") {
            Outcome::OTHER
        } else {
            return None;
        };
        Some(o)
    }

    /// The article of the 条例 (2019) a reply with this outcome rests on:
    /// 第十四至十六条 the grounds for withholding, with 第三十六条第（三）项 (the
    /// reply that withholds); 第三十六条第（四）项 no such information,
    /// 第（六）项 a repeated application, 第（七）项 information whose access
    /// other laws regulate (行政查询事项); 第三十七条 partial disclosure;
    /// 第三十八条 only information already made or obtained (no compiling, no
    /// confirming or re-issuing what the applicant has); 第三十九条 petitions
    /// (第一款) and publications (第二款); 第三十五条 excessive applications;
    /// 第二十九条第二款 and 第三十条 an unclear application and its correction;
    /// 第四十二条 fees; nothing for a withdrawal and other endings the 条例
    /// does not provide for. Information another agency is responsible for
    /// (counted as `not_held`) rests on 第三十六条第（五）项 instead: see
    /// [`Responsible`].
    pub fn article(self) -> &'static str {
        match self.0 {
            "granted" => "第三十六条第（一）项、第（二）项",
            "partially_granted" => "第三十七条",
            "withheld.state_secret" => "第十四条、第三十六条第（三）项",
            "withheld.prohibited_by_law" => "第十四条、第三十六条第（三）项",
            "withheld.security_stability" => "第十四条、第三十六条第（三）项",
            "withheld.third_party_rights" => "第十五条、第三十二条、第三十六条第（三）项",
            "withheld.internal_affairs" => "第十六条第一款、第三十六条第（三）项",
            "withheld.process_information" => "第十六条第二款、第三十六条第（三）项",
            "withheld.enforcement_case_file" => "第十六条第二款、第三十六条第（三）项",
            "withheld.query_service" => "第三十六条第（七）项",
            "unavailable.not_held" => "第三十六条第（四）项",
            "unavailable.requires_compilation" => "第三十八条",
            "unavailable.still_unclear" => "第二十九条第二款、第三十条",
            "not_processed.petition_complaint" => "第三十九条第一款",
            "not_processed.repeated" => "第三十六条第（六）项",
            "not_processed.publication" => "第三十九条第二款",
            "not_processed.excessive" => "第三十五条",
            "not_processed.confirmation" => "第三十八条",
            "other.no_correction" => "第三十条",
            "other.fee_unpaid" => "第四十二条",
            // A withdrawal and the like: the 条例 has no article on them.
            _ => "",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for Outcome {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for Outcome {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Outcome, D::Error> {
        let s = String::deserialize(d)?;
        Outcome::all()
            .find(|o| o.0 == s)
            .ok_or_else(|| serde::de::Error::custom(format!("未知的办理结果：{s}")))
    }
}

/// The agency responsible for disclosing information the office does not
/// hold (条例 第三十六条第（五）项): its name and contact, or empty when it
/// cannot be determined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Responsible {
    #[serde(default)]
    pub agency: String,
    #[serde(default)]
    pub contact: String,
}

/// The applicant. Name, identity document and contact are personal data: they
/// are stored with the application and never written to the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    pub kind: ApplicantKind,
    pub name: String,
    #[serde(default)]
    pub id_document: String,
    #[serde(default)]
    pub contact: String,
}

/// A new application as entered or imported, before it has a number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApplication {
    /// The office's own number, when it has one (imports keep theirs); otherwise
    /// the ledger assigns the next `YYYY-NNNN`.
    #[serde(default)]
    pub number: Option<String>,
    pub applicant: Applicant,
    pub channel: Channel,
    /// The day of receipt under 条例 第三十一条.
    pub received_on: NaiveDate,
    /// What information is asked for (申请内容).
    pub request: String,
    /// In what form it is wanted (纸质、电子数据 …).
    #[serde(default)]
    pub form: String,
}

impl NewApplication {
    /// The first day an application under the 条例 can have been received:
    /// the day it took effect, 2008-05-01.
    pub const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(2008, 5, 1) {
        Some(d) => d,
        None => NaiveDate::MIN,
    };

    /// What makes the application doubtful enough to refuse, in Chinese:
    /// no applicant, no request, a day of receipt before the 条例 or after
    /// `as_of` (today).
    pub fn problem(&self, as_of: NaiveDate) -> Option<String> {
        if self.applicant.name.trim().is_empty() {
            return Some("申请人姓名或名称不能为空".into());
        }
        if self.request.trim().is_empty() {
            return Some("申请内容不能为空".into());
        }
        if self.received_on < Self::EARLIEST {
            return Some(format!(
                "收到日期{}早于《政府信息公开条例》施行之日（2008-05-01），请检查年份",
                self.received_on
            ));
        }
        if self.received_on > as_of {
            return Some(format!(
                "收到日期{}晚于今天（{as_of}），不能预先登记；请检查日期，或用 --as-of 指定办理日期",
                self.received_on
            ));
        }
        None
    }
}

/// How a fee is counted (国办函〔2020〕109号): one basis per application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeBasis {
    /// 按件计收: by the number of applications from the same applicant in a month.
    ByCount,
    /// 按量计收: by the number of pages.
    ByVolume,
}

impl FeeBasis {
    pub fn label(self) -> &'static str {
        match self {
            FeeBasis::ByCount => "按件计收",
            FeeBasis::ByVolume => "按量计收",
        }
    }
}

/// What happened in a case. Dates are calendar days; the clock works in
/// working days from them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventKind {
    /// 补正告知: the applicant is asked to correct the application by `until`.
    CorrectionRequested {
        until: NaiveDate,
    },
    /// The corrected application arrived; the 20 working days start again.
    CorrectionReceived,
    /// 征求意见: a third party or another agency is consulted; the clock pauses.
    ConsultationStarted {
        party: String,
    },
    /// Their answer arrived (or the 15 working days ran out); the clock resumes.
    ConsultationEnded,
    /// 延期答复: once, at most 20 working days, approved before the deadline.
    Extended {
        days: u32,
        approver: String,
        applicant_notified_on: NaiveDate,
    },
    /// 收费通知: the applicant has 20 working days to pay.
    FeeNoticed {
        basis: FeeBasis,
        /// Applications in the month (by count) or pages (by volume).
        quantity: u32,
        amount_yuan: i64,
    },
    FeePaid {
        amount_yuan: i64,
    },
    /// The reply (答复), with its outcome; for information another agency is
    /// responsible for (条例 第三十六条第（五）项, counted as
    /// `unavailable.not_held`), that agency.
    Replied {
        outcome: Outcome,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        responsible: Option<Responsible>,
    },
    /// The applicant withdrew (counted as `other.other`).
    Withdrawn,
    /// Closed by the ledger because a period ran out: no correction
    /// (`other.no_correction`) or no payment (`other.fee_unpaid`).
    Lapsed {
        outcome: Outcome,
    },
}

impl EventKind {
    pub fn label(&self) -> &'static str {
        match self {
            EventKind::CorrectionRequested { .. } => "补正告知",
            EventKind::CorrectionReceived => "收到补正",
            EventKind::ConsultationStarted { .. } => "征求意见",
            EventKind::ConsultationEnded => "征求意见结束",
            EventKind::Extended { .. } => "延期答复",
            EventKind::FeeNoticed { .. } => "收费通知",
            EventKind::FeePaid { .. } => "缴费",
            EventKind::Replied { .. } => "答复",
            EventKind::Withdrawn => "申请人撤回申请",
            EventKind::Lapsed { .. } => "期满终止",
        }
    }

    /// The outcome this event closes the case with, if it closes it.
    pub fn closes_with(&self) -> Option<Outcome> {
        match self {
            EventKind::Replied { outcome, .. } | EventKind::Lapsed { outcome } => Some(*outcome),
            EventKind::Withdrawn => Some(Outcome::OTHER),
            _ => None,
        }
    }
}

/// One step on a case's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The day it happened.
    pub on: NaiveDate,
    #[serde(flatten)]
    pub kind: EventKind,
    /// Who recorded it.
    pub actor: String,
    #[serde(default)]
    pub note: String,
}

/// An application with its number and timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub agency: String,
    /// `2025-0017`.
    pub number: String,
    pub applicant: Applicant,
    pub channel: Channel,
    pub received_on: NaiveDate,
    pub request: String,
    pub form: String,
    pub events: Vec<Event>,
}

/// Kinds of normative document (table 2, 第二十条第（一）项).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// 规章
    Regulation,
    /// 行政规范性文件
    Normative,
}

impl DocumentKind {
    pub fn row_key(self) -> &'static str {
        match self {
            DocumentKind::Regulation => "regulation",
            DocumentKind::Normative => "normative",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::Regulation => "规章",
            DocumentKind::Normative => "行政规范性文件",
        }
    }
    pub fn parse(s: &str) -> Option<DocumentKind> {
        let n = normalize(s);
        if n == "regulation" || n.contains("规章") {
            Some(DocumentKind::Regulation)
        } else if n == "normative" || n.contains("规范性文件") {
            Some(DocumentKind::Normative)
        } else {
            None
        }
    }
}

/// A 规章 or 行政规范性文件 the agency issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NormativeDocument {
    /// 文号, e.g. 某府规〔2025〕3号.
    pub number: String,
    pub kind: DocumentKind,
    pub title: String,
    pub issued_on: NaiveDate,
    pub repealed_on: Option<NaiveDate>,
}

/// The year's enforcement figures (table 2, 第二十条第（五）（六）（八）项).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Enforcement {
    /// 行政许可 decisions.
    pub license: i64,
    /// 行政处罚 decisions.
    pub penalty: i64,
    /// 行政强制 decisions.
    pub coercion: i64,
    /// 行政事业性收费, in 万元.
    pub fee_amount: f64,
}

/// Kinds of case brought against the agency (table 4 groups).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    /// 行政复议
    Review,
    /// 行政诉讼 · 未经复议直接起诉
    SuitDirect,
    /// 行政诉讼 · 复议后起诉
    SuitAfterReview,
}

impl CaseKind {
    pub const ALL: [CaseKind; 3] = [
        CaseKind::Review,
        CaseKind::SuitDirect,
        CaseKind::SuitAfterReview,
    ];
    pub fn row_key(self) -> &'static str {
        match self {
            CaseKind::Review => "review",
            CaseKind::SuitDirect => "suit_direct",
            CaseKind::SuitAfterReview => "suit_after_review",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            CaseKind::Review => "行政复议",
            CaseKind::SuitDirect => "行政诉讼（未经复议直接起诉）",
            CaseKind::SuitAfterReview => "行政诉讼（复议后起诉）",
        }
    }
    pub fn parse(s: &str) -> Option<CaseKind> {
        if let Some(k) = CaseKind::ALL.into_iter().find(|k| k.row_key() == s.trim()) {
            return Some(k);
        }
        let n = normalize(s);
        if n.contains("复议后") {
            Some(CaseKind::SuitAfterReview)
        } else if n.contains("直接起诉") || n.contains("诉讼") {
            Some(CaseKind::SuitDirect)
        } else if n.contains("复议") {
            Some(CaseKind::Review)
        } else {
            None
        }
    }
}

/// How a reconsideration or lawsuit ended (table 4 columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseResult {
    /// 结果维持
    Upheld,
    /// 结果纠正
    Corrected,
    /// 其他结果
    Other,
}

impl CaseResult {
    pub fn column_key(self) -> &'static str {
        match self {
            CaseResult::Upheld => "upheld",
            CaseResult::Corrected => "corrected",
            CaseResult::Other => "other",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            CaseResult::Upheld => "维持",
            CaseResult::Corrected => "纠正",
            CaseResult::Other => "其他",
        }
    }
    pub fn parse(s: &str) -> Option<CaseResult> {
        let n = normalize(s);
        if n == "upheld" || n.contains("维持") || n.contains("驳回") {
            Some(CaseResult::Upheld)
        } else if n == "corrected"
            || n.contains("纠正")
            || n.contains("撤销")
            || n.contains("确认违法")
        {
            Some(CaseResult::Corrected)
        } else if n == "other" || n.contains("其他") || n.contains("撤诉") || n.contains("终止")
        {
            Some(CaseResult::Other)
        } else {
            None
        }
    }
}

/// A reconsideration or lawsuit about the agency's disclosure work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalCase {
    /// 案号.
    pub number: String,
    pub kind: CaseKind,
    pub filed_on: NaiveDate,
    /// The result and the day it was decided; `None` while pending.
    pub decided: Option<(NaiveDate, CaseResult)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_are_the_table_3_rows() {
        let all: Vec<_> = Outcome::all().map(|o| o.key()).collect();
        assert_eq!(all.len(), 21);
        assert_eq!(all[0], "granted");
        assert!(all.contains(&"other.no_correction"));
        assert!(!all.contains(&"total_processed"));
    }

    #[test]
    fn outcomes_parse_from_clerks_words() {
        assert_eq!(Outcome::parse("予以公开"), Some(Outcome::GRANTED));
        assert_eq!(
            Outcome::parse("withheld.state_secret").unwrap().key(),
            "withheld.state_secret"
        );
        assert_eq!(
            Outcome::parse("不予公开-属于国家秘密").unwrap().key(),
            "withheld.state_secret"
        );
        assert_eq!(
            Outcome::parse("本机关不掌握相关政府信息").unwrap().key(),
            "unavailable.not_held"
        );
        assert_eq!(Outcome::parse("申请人撤回申请"), Some(Outcome::OTHER));
        assert_eq!(
            Outcome::parse("部分公开").unwrap().key(),
            "partially_granted"
        );
        assert_eq!(
            Outcome::parse("重复申请").unwrap().key(),
            "not_processed.repeated"
        );
        assert_eq!(Outcome::parse("春天"), None);
        assert_eq!(Outcome::parse(""), None);
    }

    #[test]
    fn articles_cite_the_provisions_of_the_regulation() {
        let article = |k: &str| Outcome::all().find(|o| o.key() == k).unwrap().article();
        assert_eq!(article("withheld.query_service"), "第三十六条第（七）项");
        assert_eq!(article("not_processed.publication"), "第三十九条第二款");
        assert_eq!(
            article("not_processed.petition_complaint"),
            "第三十九条第一款"
        );
        assert_eq!(
            article("unavailable.still_unclear"),
            "第二十九条第二款、第三十条"
        );
        assert_eq!(article("not_processed.confirmation"), "第三十八条");
        for o in Outcome::all() {
            // A withdrawal rests on no article of the 条例.
            if o == Outcome::OTHER {
                assert_eq!(o.article(), "");
            } else {
                assert!(o.article().starts_with('第'), "{o}");
            }
        }
    }

    #[test]
    fn kinds_and_channels_parse() {
        assert_eq!(
            ApplicantKind::parse("自然人"),
            Some(ApplicantKind::NaturalPerson)
        );
        assert_eq!(
            ApplicantKind::parse("商业企业"),
            Some(ApplicantKind::Business)
        );
        assert_eq!(
            ApplicantKind::parse("法人或其他组织（其他）"),
            Some(ApplicantKind::OtherOrg)
        );
        assert_eq!(
            ApplicantKind::parse("律师事务所"),
            Some(ApplicantKind::LegalService)
        );
        assert_eq!(ApplicantKind::parse("??"), None);
        assert_eq!(Channel::parse("信函"), Some(Channel::Post));
        assert_eq!(Channel::parse("网上申请"), Some(Channel::Online));
        assert_eq!(Channel::parse("电子邮件"), Some(Channel::Email));
        assert_eq!(Channel::parse("当面提交"), Some(Channel::InPerson));
    }

    #[test]
    fn events_round_trip_through_json() {
        let e = Event {
            on: NaiveDate::from_ymd_opt(2025, 3, 4).unwrap(),
            kind: EventKind::Replied {
                outcome: Outcome::parse("partially_granted").unwrap(),
                responsible: None,
            },
            actor: "张三".into(),
            note: String::new(),
        };
        let s = serde_json::to_string(&e).unwrap();
        assert!(s.contains("\"kind\":\"replied\""), "{s}");
        assert_eq!(serde_json::from_str::<Event>(&s).unwrap(), e);
    }
}
