//! Reply letters (政府信息公开申请答复告知书), one per outcome, from templates
//! an office can edit.
//!
//! The letter's frame is the template `base`: title, number line, salutation,
//! the sentence on the application received, the remedy sentence, agency and
//! date. The decision and its reason come from the template of the outcome's
//! group (`granted`, `partially_granted`, `withheld`, `unavailable`,
//! `not_processed`, `other`), which fills `{% block decision %}` and cites the
//! article of the 条例 from [`Outcome::article`]. An office may replace `base`,
//! a group's template, or the template of a single outcome
//! (`withheld.state_secret`); the defaults are embedded from
//! `crates/casework/templates/letter/`.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, NaiveDate};
use minijinja::syntax::SyntaxConfig;
use minijinja::{context, Environment, ErrorKind, UndefinedBehavior, Value};
use serde::Serialize;

use crate::model::{Outcome, Responsible};

/// What a letter says.
#[derive(Debug, Clone, Serialize)]
pub struct LetterContext {
    pub agency: String,
    /// The application's number, `2025-0017` (or the office's own).
    pub number: String,
    pub applicant_name: String,
    pub received_on: NaiveDate,
    pub request: String,
    pub outcome: Outcome,
    pub replied_on: NaiveDate,
    /// Free text the clerk adds (the specific reason, how to obtain the
    /// information …); may be empty.
    pub reason: String,
    /// 复议机关; empty for the generic wording.
    pub review_body: String,
    /// 管辖法院; empty for the generic wording.
    pub court: String,
    /// The agency responsible for the information, when it is not this one
    /// (条例 第三十六条第（五）项).
    pub responsible: Option<Responsible>,
}

/// The frame of every letter.
pub const BASE: &str = "base";

/// The embedded templates: the frame, then one per outcome group.
const DEFAULTS: [(&str, &str); 7] = [
    (BASE, include_str!("../templates/letter/base.txt")),
    ("granted", include_str!("../templates/letter/granted.txt")),
    (
        "partially_granted",
        include_str!("../templates/letter/partially_granted.txt"),
    ),
    ("withheld", include_str!("../templates/letter/withheld.txt")),
    (
        "unavailable",
        include_str!("../templates/letter/unavailable.txt"),
    ),
    (
        "not_processed",
        include_str!("../templates/letter/not_processed.txt"),
    ),
    ("other", include_str!("../templates/letter/other.txt")),
];

/// The variables a template may use.
pub const VARIABLES: [&str; 16] = [
    "agency",
    "number",
    "number_line",
    "applicant_name",
    "received_on",
    "request",
    "outcome",
    "outcome_label",
    "article",
    "reason",
    "replied_on",
    "review_body",
    "elsewhere",
    "responsible_agency",
    "responsible_contact",
    "court",
];

/// A template that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LetterError {
    /// No template has this name.
    UnknownKey(String),
    /// The template has an error: where, and what (in Chinese).
    Template {
        /// The template the error is in (`base`, `withheld` …).
        key: String,
        line: Option<usize>,
        /// The text of that line.
        source_line: Option<String>,
        message: String,
    },
    /// A replacement frame without the place for the decision.
    MissingBlock,
}

impl fmt::Display for LetterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LetterError::UnknownKey(k) => write!(
                f,
                "没有名为“{k}”的答复告知书模板：可用的有 base（版式）、{}，或单个办理结果代码（如 withheld.state_secret）",
                DEFAULTS[1..]
                    .iter()
                    .map(|(k, _)| *k)
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            LetterError::Template {
                key,
                line,
                source_line,
                message,
            } => {
                write!(f, "模板“{key}”")?;
                if let Some(l) = line {
                    write!(f, "第{l}行")?;
                }
                write!(f, "有误：{message}")?;
                if let Some(s) = source_line {
                    write!(f, "（该行为：{s}）")?;
                }
                Ok(())
            }
            LetterError::MissingBlock => f.write_str(
                "版式模板中没有 {% block decision %}{% endblock %}：答复内容将无处放置，请保留这一处",
            ),
        }
    }
}

impl std::error::Error for LetterError {}

/// The letter templates: the embedded defaults and an office's replacements.
#[derive(Debug, Clone, Default)]
pub struct Letters {
    overrides: BTreeMap<String, String>,
}

/// The group of an outcome: the part of its key before the dot.
fn group(outcome: Outcome) -> &'static str {
    outcome.key().split('.').next().unwrap_or("other")
}

fn default_source(key: &str) -> Option<&'static str> {
    DEFAULTS.iter().find(|(k, _)| *k == key).map(|(_, s)| *s)
}

/// What a key names: the frame, a group, or one outcome.
fn known_key(key: &str) -> bool {
    default_source(key).is_some() || Outcome::all().any(|o| o.key() == key)
}

impl Letters {
    /// The names a template can be given: `base`, the groups, then each outcome.
    pub fn keys() -> Vec<&'static str> {
        DEFAULTS
            .iter()
            .map(|(k, _)| *k)
            .chain(Outcome::all().map(Outcome::key))
            .collect()
    }

    /// Replaces a template (`base`, a group such as `withheld`, or one outcome
    /// such as `withheld.state_secret`). The new template is tried on every
    /// outcome it serves and refused, with the line and what is wrong, if any
    /// of them fails.
    pub fn with_override(
        &mut self,
        outcome_group_or_key: &str,
        template_source: &str,
    ) -> Result<(), LetterError> {
        let key = outcome_group_or_key.trim();
        if !known_key(key) {
            return Err(LetterError::UnknownKey(key.to_string()));
        }
        if key == BASE && !has_decision_block(template_source) {
            return Err(LetterError::MissingBlock);
        }
        let mut candidate = self.clone();
        candidate
            .overrides
            .insert(key.to_string(), template_source.to_string());
        for outcome in Outcome::all() {
            let serves = key == BASE || key == group(outcome) || key == outcome.key();
            if !serves {
                continue;
            }
            for ctx in sample_contexts(outcome) {
                candidate.render(&ctx)?;
            }
        }
        *self = candidate;
        Ok(())
    }

    /// The source of a template: the office's replacement if any, else the
    /// default. For a single outcome without a replacement of its own, the
    /// template of its group.
    pub fn template_source(&self, key: &str) -> Option<&str> {
        let key = key.trim();
        if let Some(s) = self.overrides.get(key) {
            return Some(s);
        }
        if let Some(s) = default_source(key) {
            return Some(s);
        }
        let outcome = Outcome::all().find(|o| o.key() == key)?;
        self.template_source(group(outcome))
    }

    /// The name of the template a letter for this outcome is rendered from.
    fn template_key(&self, outcome: Outcome) -> &'static str {
        if self.overrides.contains_key(outcome.key()) {
            outcome.key()
        } else {
            group(outcome)
        }
    }

    /// Renders the letter as plain text.
    pub fn render(&self, ctx: &LetterContext) -> Result<String, LetterError> {
        let key = self.template_key(ctx.outcome);
        let base = self.template_source(BASE).unwrap_or(DEFAULTS[0].1);
        let body = self
            .template_source(key)
            .ok_or_else(|| LetterError::UnknownKey(key.to_string()))?;
        let sources = [(BASE, base), (key, body)];
        let locate = |e: minijinja::Error| template_error(&sources, key, e);
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        if let Ok(syntax) = SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
        {
            env.set_syntax(syntax);
        }
        env.add_template(BASE, base).map_err(locate)?;
        if key != BASE {
            env.add_template(key, body).map_err(locate)?;
        }
        let template = env.get_template(key).map_err(locate)?;
        let text = template.render(values(ctx)).map_err(locate)?;
        let mut text = text.trim_end().to_string();
        text.push('\n');
        Ok(text)
    }
}

fn has_decision_block(source: &str) -> bool {
    source.match_indices("{%").any(|(i, _)| {
        let rest = source[i + 2..].trim_start_matches(['-', '+', ' ', '\t', '\n', '\r']);
        rest.strip_prefix("block")
            .is_some_and(|r| r.trim_start().starts_with("decision"))
    })
}

/// The context values a template sees.
fn values(ctx: &LetterContext) -> Value {
    let name = ctx.applicant_name.trim();
    context! {
        agency => ctx.agency.trim(),
        number => ctx.number.trim(),
        number_line => number_line(&ctx.number, ctx.received_on),
        applicant_name => if name.is_empty() { "申请人" } else { name },
        received_on => chinese_date(ctx.received_on),
        request => ctx.request.trim(),
        outcome => ctx.outcome.key(),
        outcome_label => ctx.outcome.label(),
        article => match &ctx.responsible {
            Some(_) => "第三十六条第（五）项",
            None => ctx.outcome.article(),
        },
        elsewhere => ctx.responsible.is_some(),
        responsible_agency => ctx.responsible.as_ref().map(|r| r.agency.trim()).unwrap_or(""),
        responsible_contact => ctx.responsible.as_ref().map(|r| r.contact.trim()).unwrap_or(""),
        reason => sentence(&ctx.reason),
        replied_on => chinese_date(ctx.replied_on),
        review_body => ctx.review_body.trim(),
        court => ctx.court.trim(),
    }
}

/// 2025年3月4日.
pub fn chinese_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// The number line of the letter: `2025-0017` → 〔2025〕第0017号; a bare
/// number takes the year of receipt; a number already written as a 文号 is
/// kept.
pub fn number_line(number: &str, received_on: NaiveDate) -> String {
    let n = number.trim();
    if n.is_empty() {
        return String::new();
    }
    if n.contains('〔') || n.contains('[') || n.ends_with('号') {
        return n.to_string();
    }
    if let Some((y, seq)) = n.split_once('-') {
        if y.len() == 4
            && y.bytes().all(|b| b.is_ascii_digit())
            && !seq.is_empty()
            && seq.bytes().all(|b| b.is_ascii_digit())
        {
            return format!("〔{y}〕第{seq}号");
        }
    }
    format!("〔{}〕第{n}号", received_on.year())
}

/// The clerk's text as a sentence: trimmed, with a full stop when it has none.
fn sentence(s: &str) -> String {
    let t = s.trim();
    match t.chars().last() {
        None => String::new(),
        Some('。' | '！' | '？' | '!' | '?' | '.' | '；') => t.to_string(),
        Some(_) => format!("{t}。"),
    }
}

/// Contexts a replacement template is tried on: everything filled in, and
/// the optional parts empty.
fn sample_contexts(outcome: Outcome) -> [LetterContext; 2] {
    let day = |m, d| NaiveDate::from_ymd_opt(2025, m, d).unwrap_or_default();
    let full = LetterContext {
        agency: "某县人民政府办公室".into(),
        number: "2025-0017".into(),
        applicant_name: "张某".into(),
        received_on: day(3, 4),
        request: "某路段道路改造工程的立项批复文件".into(),
        outcome,
        replied_on: day(3, 20),
        reason: "说明".into(),
        review_body: "某县人民政府".into(),
        court: "某县人民法院".into(),
        responsible: (outcome == Outcome::NOT_HELD).then(|| Responsible {
            agency: "某县自然资源局".into(),
            contact: "0000-12345678".into(),
        }),
    };
    let bare = LetterContext {
        number: String::new(),
        reason: String::new(),
        review_body: String::new(),
        court: String::new(),
        responsible: None,
        ..full.clone()
    };
    [full, bare]
}

/// A minijinja error in Chinese, with the template, line and its text.
fn template_error(sources: &[(&str, &str); 2], key: &str, e: minijinja::Error) -> LetterError {
    let name = e.name().unwrap_or(key).to_string();
    let line = e.line();
    let source_line = line.and_then(|l| {
        let src = sources.iter().find(|(k, _)| *k == name).map(|(_, s)| *s)?;
        let text = src.lines().nth(l.checked_sub(1)?)?.trim();
        let mut t: String = text.chars().take(80).collect();
        if text.chars().count() > 80 {
            t.push('…');
        }
        Some(t)
    });
    let message = match e.kind() {
        ErrorKind::SyntaxError => "语法错误：检查 {% %} 与 {{ }} 是否成对闭合，if、for、block 是否有对应的 endif、endfor、endblock".to_string(),
        ErrorKind::UndefinedError => format!(
            "使用了不存在的变量或取值（可用的变量有：{}）",
            VARIABLES.join("、")
        ),
        ErrorKind::UnknownFilter => "使用了不存在的过滤器（“|”后面的名称）".to_string(),
        ErrorKind::UnknownFunction | ErrorKind::UnknownMethod => "使用了不存在的函数".to_string(),
        ErrorKind::UnknownTest => "使用了不存在的判断（“is”后面的名称）".to_string(),
        ErrorKind::TemplateNotFound => {
            "引用了不存在的模板：套用版式应写作 {% extends \"base\" %}".to_string()
        }
        ErrorKind::UnknownBlock => "引用了不存在的块：版式中答复内容的位置名为 decision".to_string(),
        ErrorKind::TooManyArguments | ErrorKind::MissingArgument => {
            "函数或过滤器的参数个数不对".to_string()
        }
        ErrorKind::BadEscape => "字符串中的转义写法有误".to_string(),
        ErrorKind::InvalidOperation | ErrorKind::NonKey | ErrorKind::NonPrimitive => {
            "无效的运算（例如对文字做算术，或用不能作为键的值取值）".to_string()
        }
        _ => "模板无法生成告知书".to_string(),
    };
    LetterError::Template {
        key: name,
        line,
        source_line,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(outcome: Outcome) -> LetterContext {
        LetterContext {
            agency: "某县人民政府办公室".into(),
            number: "2025-0017".into(),
            applicant_name: "张某".into(),
            received_on: NaiveDate::from_ymd_opt(2025, 3, 4).unwrap(),
            request: "某路段道路改造工程的立项批复文件".into(),
            outcome,
            replied_on: NaiveDate::from_ymd_opt(2025, 3, 20).unwrap(),
            reason: String::new(),
            review_body: "某县人民政府".into(),
            court: "某县人民法院".into(),
            responsible: None,
        }
    }

    fn outcome(key: &str) -> Outcome {
        Outcome::all().find(|o| o.key() == key).unwrap()
    }

    #[test]
    fn every_outcome_renders_with_its_article() {
        let letters = Letters::default();
        for o in Outcome::all() {
            let text = letters
                .render(&ctx(o))
                .unwrap_or_else(|e| panic!("{o}: {e}"));
            assert!(
                text.starts_with("政府信息公开申请答复告知书\n\n〔2025〕第0017号\n\n张某：\n"),
                "{o}:\n{text}"
            );
            assert!(
                text.contains("本机关于2025年3月4日收到您（单位）提出的政府信息公开申请，申请获取“某路段道路改造工程的立项批复文件”的信息。"),
                "{o}:\n{text}"
            );
            if o.article().is_empty() {
                // A withdrawal: the 条例 says nothing of it, nothing is cited.
                assert!(!text.contains("第三十三条"), "{o}:\n{text}");
                assert!(!text.contains("依据《"), "{o}:\n{text}");
            } else {
                assert!(
                    text.contains(&format!(
                        "《中华人民共和国政府信息公开条例》{}",
                        o.article()
                    )),
                    "{o} should cite {}:\n{text}",
                    o.article()
                );
            }
            assert!(text.contains(
                "如对本答复不服，可以在收到本告知书之日起60日内向某县人民政府申请行政复议，或者在6个月内向某县人民法院提起行政诉讼。"
            ), "{o}:\n{text}");
            assert!(
                text.ends_with("某县人民政府办公室\n2025年3月20日\n"),
                "{o}:\n{text}"
            );
            // One paragraph per line, no stray blank lines, no template syntax.
            assert!(
                !text.contains("{{") && !text.contains("{%") && !text.contains("{#"),
                "{o}:\n{text}"
            );
            let body: Vec<&str> = text.lines().skip(5).take_while(|l| !l.is_empty()).collect();
            assert_eq!(body.len(), 4, "{o}:\n{text}");
            assert!(body.iter().all(|l| l.starts_with("　　")), "{o}:\n{text}");
            assert_eq!(body[3], "　　特此告知。");
        }
    }

    #[test]
    fn information_another_agency_is_responsible_for_names_it() {
        let letters = Letters::default();
        let mut c = ctx(Outcome::NOT_HELD);
        let held = letters.render(&c).unwrap();
        assert!(held.contains("第三十六条第（四）项") && held.contains("该政府信息不存在"));
        c.responsible = Some(Responsible {
            agency: "某县自然资源局".into(),
            contact: "0000-12345678".into(),
        });
        let text = letters.render(&c).unwrap();
        assert!(text.contains("第三十六条第（五）项"), "{text}");
        assert!(
            !text.contains("第（四）项") && !text.contains("不存在"),
            "{text}"
        );
        assert!(
            text.contains("该政府信息由某县自然资源局负责公开，联系方式：0000-12345678"),
            "{text}"
        );
        // Responsible agency unknown: said so, nothing named.
        c.responsible = Some(Responsible {
            agency: String::new(),
            contact: String::new(),
        });
        let text = letters.render(&c).unwrap();
        assert!(text.contains("本机关不负责公开该政府信息"), "{text}");
    }

    #[test]
    fn decisions_say_what_the_outcome_is() {
        let letters = Letters::default();
        let render = |k: &str| letters.render(&ctx(outcome(k))).unwrap();
        assert!(render("granted")
            .contains("本机关决定予以公开。现将该信息随本告知书一并提供给您，请查收。"));
        assert!(render("withheld.state_secret").contains("属于依法确定为国家秘密的政府信息。根据《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项的规定，本机关决定不予公开。"));
        assert!(render("withheld.query_service").contains("请您依照有关法律、行政法规的规定办理"));
        assert!(render("unavailable.not_held").contains("该政府信息不存在"));
        assert!(render("not_processed.publication").contains("到公共图书馆、档案馆查阅"));
        assert!(render("not_processed.petition_complaint").contains("不作为政府信息公开申请处理"));
        assert!(render("other.other").contains("您已撤回本次政府信息公开申请"));
        assert!(render("other.fee_unpaid").contains("《政府信息公开信息处理费管理办法》"));
    }

    #[test]
    fn reason_remedies_and_number_variants() {
        let letters = Letters::default();
        let mut c = ctx(outcome("withheld.third_party_rights"));
        c.reason = "该信息涉及某公司的商业秘密，经书面征求意见，该公司不同意公开".into();
        c.review_body = String::new();
        c.court = " ".into();
        c.number = "17".into();
        let text = letters.render(&c).unwrap();
        assert!(text.contains("本机关决定不予公开。该信息涉及某公司的商业秘密，经书面征求意见，该公司不同意公开。\n"), "{text}");
        assert!(text.contains("60日内向依法履行行政复议职责的行政机关申请行政复议，或者在6个月内向有管辖权的人民法院提起行政诉讼。"), "{text}");
        assert!(text.contains("\n〔2025〕第17号\n"), "{text}");

        c.number = String::new();
        c.applicant_name = String::new();
        let text = letters.render(&c).unwrap();
        assert!(
            text.starts_with("政府信息公开申请答复告知书\n\n申请人：\n"),
            "{text}"
        );

        let mut g = ctx(Outcome::GRANTED);
        g.reason = "该信息已在本机关门户网站主动公开，您可登录查阅。".into();
        let text = letters.render(&g).unwrap();
        assert!(
            text.contains("本机关决定予以公开。该信息已在本机关门户网站主动公开，您可登录查阅。\n"),
            "{text}"
        );
        assert!(!text.contains("请查收"));
    }

    #[test]
    fn number_lines() {
        let d = NaiveDate::from_ymd_opt(2025, 3, 4).unwrap();
        assert_eq!(number_line("2025-0017", d), "〔2025〕第0017号");
        assert_eq!(number_line("17", d), "〔2025〕第17号");
        assert_eq!(
            number_line("某府信公〔2025〕17号", d),
            "某府信公〔2025〕17号"
        );
        assert_eq!(number_line("", d), "");
        assert_eq!(chinese_date(d), "2025年3月4日");
        assert_eq!(sentence(" 见附件 "), "见附件。");
        assert_eq!(sentence("见附件。"), "见附件。");
        assert_eq!(sentence(""), "");
    }

    #[test]
    fn an_office_override_is_used() {
        let mut letters = Letters::default();
        letters
            .with_override(
                "withheld",
                "{% extends \"base\" %}{% block decision %}　　本局认为：不予公开，依据第{{ article }}。\n{% endblock %}",
            )
            .unwrap();
        let text = letters
            .render(&ctx(outcome("withheld.internal_affairs")))
            .unwrap();
        assert!(
            text.contains("　　本局认为：不予公开，依据第第十六条第一款、第三十六条第（三）项。\n"),
            "{text}"
        );
        // Other groups keep the default.
        let text = letters.render(&ctx(Outcome::GRANTED)).unwrap();
        assert!(text.contains("本机关决定予以公开"));

        // A single outcome's own template wins over its group's.
        letters
            .with_override(
                "withheld.state_secret",
                "国家秘密：{{ applicant_name }}，{{ request }}，{{ article }}",
            )
            .unwrap();
        assert_eq!(
            letters
                .render(&ctx(outcome("withheld.state_secret")))
                .unwrap(),
            "国家秘密：张某，某路段道路改造工程的立项批复文件，第十四条、第三十六条第（三）项\n"
        );
        assert!(letters
            .render(&ctx(outcome("withheld.process_information")))
            .unwrap()
            .contains("本局认为"));

        // The frame.
        letters
            .with_override(
                "base",
                "{{ agency }}告知书\n{% block decision %}{% endblock %}{{ replied_on }}\n",
            )
            .unwrap();
        let text = letters.render(&ctx(Outcome::GRANTED)).unwrap();
        assert!(
            text.starts_with("某县人民政府办公室告知书\n　　经审查"),
            "{text}"
        );
        assert!(text.ends_with("2025年3月20日\n"), "{text}");

        assert_eq!(
            letters.template_source("withheld.state_secret"),
            Some("国家秘密：{{ applicant_name }}，{{ request }}，{{ article }}")
        );
        assert!(letters
            .template_source("withheld.internal_affairs")
            .unwrap()
            .contains("本局认为"));
        assert!(Letters::default()
            .template_source("withheld.internal_affairs")
            .unwrap()
            .contains("{% set grounds"));
        assert!(Letters::default()
            .template_source("base")
            .unwrap()
            .contains("{% block decision %}"));
        assert_eq!(Letters::default().template_source("春天"), None);
        assert_eq!(Letters::keys().len(), 7 + 21);
    }

    #[test]
    fn broken_overrides_are_refused_with_the_line() {
        let mut letters = Letters::default();
        let e = letters
            .with_override(
                "granted",
                "{% extends \"base\" %}\n{% block decision %}\n　　{% if reason %}{{ reason }}\n{% endblock %}",
            )
            .unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("模板“granted”第"), "{msg}");
        assert!(msg.contains("语法错误"), "{msg}");

        let e = letters
            .with_override(
                "other",
                "{% extends \"base\" %}{% block decision %}\n{{ applicant }}\n{% endblock %}",
            )
            .unwrap_err();
        assert_eq!(
            e,
            LetterError::Template {
                key: "other".into(),
                line: Some(2),
                source_line: Some("{{ applicant }}".into()),
                message: format!(
                    "使用了不存在的变量或取值（可用的变量有：{}）",
                    VARIABLES.join("、")
                ),
            }
        );
        assert!(
            e.to_string()
                .contains("模板“other”第2行有误：使用了不存在的变量"),
            "{e}"
        );

        let e = letters
            .with_override("granted", "{{ request | shout }}")
            .unwrap_err();
        assert!(e.to_string().contains("不存在的过滤器"), "{e}");

        let e = letters
            .with_override("granted", "{% extends \"layout\" %}")
            .unwrap_err();
        assert!(e.to_string().contains("不存在的模板"), "{e}");

        let e = letters
            .with_override("base", "没有答复内容的位置")
            .unwrap_err();
        assert_eq!(e, LetterError::MissingBlock);

        let e = letters.with_override("春天", "x").unwrap_err();
        assert!(matches!(e, LetterError::UnknownKey(_)));
        assert!(
            e.to_string().contains("没有名为“春天”的答复告知书模板"),
            "{e}"
        );

        // Nothing was replaced by the refused templates.
        for o in Outcome::all() {
            assert_eq!(
                letters.render(&ctx(o)).unwrap(),
                Letters::default().render(&ctx(o)).unwrap()
            );
        }
    }
}
