//! Realistic sample ledgers: applications with timelines that keep the
//! statutory deadlines (and a few that do not), for demonstrations, tests and
//! benchmarks. Deterministic for a seed.

use chrono::{Datelike, Days, NaiveDate};
use gongkai_report::sample::Rng;

use crate::calendar::Calendar;
use crate::clock;
use crate::model::{
    Applicant, ApplicantKind, CaseKind, CaseResult, Channel, DocumentKind, Enforcement, Event,
    EventKind, FeeBasis, LegalCase, NewApplication, NormativeDocument, Outcome,
};

/// One generated application and its events.
#[derive(Debug, Clone)]
pub struct SampleCase {
    pub application: NewApplication,
    pub events: Vec<Event>,
}

const SURNAMES: &[&str] = &["张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴"];
const REQUESTS: &[&str] = &[
    "某路段道路改造工程的立项批复文件",
    "本村2024年征地补偿安置方案",
    "某小区规划许可证及附图",
    "本机关2024年度部门预算及“三公”经费",
    "某企业环境影响评价文件及批复",
    "某房屋征收项目的征收决定及补偿方案",
    "某行政处罚决定书",
    "城乡居民最低生活保障资金发放明细",
];

fn pick<T: Copy>(rng: &mut Rng, items: &[T]) -> T {
    items[rng.below(items.len() as u64) as usize]
}

fn kind(rng: &mut Rng) -> ApplicantKind {
    match rng.below(100) {
        0..=71 => ApplicantKind::NaturalPerson,
        72..=85 => ApplicantKind::Business,
        86..=87 => ApplicantKind::Research,
        88..=89 => ApplicantKind::SocialWelfare,
        90..=95 => ApplicantKind::LegalService,
        _ => ApplicantKind::OtherOrg,
    }
}

/// A name that fits the kind of applicant, as ledgers write them (people
/// anonymised as 张某), and an identity document: an ID number for people,
/// a unified social credit code for organisations (sample values, marked so).
fn applicant_name(rng: &mut Rng, kind: ApplicantKind, i: usize) -> (String, String) {
    let place = pick(rng, &["城关", "东城", "西湖", "南山", "北关", "河西"]);
    let name = match kind {
        ApplicantKind::NaturalPerson => {
            let given = pick(rng, &["", "某"]);
            format!("{}某{given}", pick(rng, SURNAMES))
        }
        ApplicantKind::Business => format!(
            "某某{}{}",
            pick(
                rng,
                &["建设工程", "科技", "商贸", "置业", "物流", "环保科技"]
            ),
            pick(rng, &["有限公司", "有限责任公司", "股份有限公司"])
        ),
        ApplicantKind::Research => pick(
            rng,
            &[
                "某某大学公共管理学院",
                "某某大学法学院",
                "某某省社会科学院",
                "某某城市规划设计研究院",
            ],
        )
        .to_string(),
        ApplicantKind::SocialWelfare => format!(
            "某某{}",
            pick(
                rng,
                &[
                    "公益基金会",
                    "环保志愿者协会",
                    "社会工作服务中心",
                    "助残服务中心"
                ]
            )
        ),
        ApplicantKind::LegalService => {
            format!("某某{}", pick(rng, &["律师事务所", "法律服务所", "公证处"]))
        }
        ApplicantKind::OtherOrg => format!(
            "{place}{}",
            pick(rng, &["社区居民委员会", "村民委员会", "某小区业主委员会"])
        ),
    };
    let id = match kind {
        ApplicantKind::NaturalPerson => format!("示例身份证号{:06}", i),
        _ => format!("示例统一社会信用代码{:06}", i),
    };
    (name, id)
}

fn outcome(rng: &mut Rng) -> Outcome {
    let key = match rng.below(100) {
        0..=44 => "granted",
        45..=54 => "partially_granted",
        55..=56 => "withheld.state_secret",
        57..=58 => "withheld.third_party_rights",
        59..=61 => "withheld.process_information",
        62..=63 => "withheld.internal_affairs",
        64..=79 => "unavailable.not_held",
        80..=82 => "unavailable.requires_compilation",
        83..=84 => "unavailable.still_unclear",
        85..=88 => "not_processed.petition_complaint",
        89..=91 => "not_processed.repeated",
        92 => "not_processed.publication",
        93 => "not_processed.excessive",
        94..=95 => "not_processed.confirmation",
        _ => "other.other",
    };
    Outcome::all()
        .find(|o| o.key() == key)
        .unwrap_or(Outcome::OTHER)
}

/// Generates `count` applications received between `from` and `to` (inclusive)
/// for one agency, with timelines as of `as_of`: cases whose reply would fall
/// after `as_of` are left open. Every timeline is accepted by the clock.
pub fn applications(
    seed: u64,
    cal: &Calendar,
    from: NaiveDate,
    to: NaiveDate,
    count: usize,
    as_of: NaiveDate,
) -> Vec<SampleCase> {
    let mut rng = Rng::new(seed);
    let span = (to - from).num_days().max(0) as u64 + 1;
    let mut days: Vec<u64> = (0..count).map(|_| rng.below(span)).collect();
    days.sort_unstable();
    let mut out = Vec::with_capacity(count);
    for (i, day) in days.into_iter().enumerate() {
        let received = from + Days::new(day);
        let kind = kind(&mut rng);
        let (name, id_document) = applicant_name(&mut rng, kind, i);
        let application = NewApplication {
            number: None,
            applicant: Applicant {
                kind,
                name,
                id_document,
                contact: format!("1380000{:04}", rng.below(10_000)),
            },
            channel: pick(&mut rng, &Channel::ALL),
            received_on: received,
            request: pick(&mut rng, REQUESTS).to_string(),
            form: pick(&mut rng, &["纸质", "电子数据"]).to_string(),
        };
        let events = timeline(&mut rng, cal, received, as_of);
        out.push(SampleCase {
            application,
            events,
        });
    }
    out
}

/// A plausible timeline: optional correction, consultation, extension or fee,
/// then a reply within the deadline (a few late), a withdrawal, or nothing yet.
fn timeline(rng: &mut Rng, cal: &Calendar, received: NaiveDate, as_of: NaiveDate) -> Vec<Event> {
    let mut events: Vec<Event> = Vec::new();
    let ev = |on: NaiveDate, kind: EventKind| Event {
        on,
        kind,
        actor: "办理人".to_string(),
        note: String::new(),
    };
    let wd = |d: NaiveDate, n: u32| cal.add_working_days(d, n);
    let mut cursor = received;
    let roll = rng.below(100);
    if roll < 8 {
        // Correction: notice within 7 working days (one in ten late).
        let notice = wd(
            received,
            if rng.below(10) == 0 {
                9
            } else {
                1 + rng.below(6) as u32
            },
        );
        let until = notice + Days::new(15);
        events.push(ev(notice, EventKind::CorrectionRequested { until }));
        if rng.below(4) == 0 {
            // Never corrected: the ledger closes it when `until` passes.
            return keep_until(events, as_of);
        }
        cursor = notice + Days::new(1 + rng.below(14));
        events.push(ev(cursor, EventKind::CorrectionReceived));
    } else if roll < 13 {
        let start = wd(received, 2 + rng.below(5) as u32);
        events.push(ev(
            start,
            EventKind::ConsultationStarted {
                party: "第三方".to_string(),
            },
        ));
        cursor = wd(start, 3 + rng.below(12) as u32);
        events.push(ev(cursor, EventKind::ConsultationEnded));
    } else if roll < 15 {
        let basis = if rng.below(2) == 0 {
            FeeBasis::ByVolume
        } else {
            FeeBasis::ByCount
        };
        let quantity = if basis == FeeBasis::ByVolume {
            31 + rng.below(200) as u32
        } else {
            11 + rng.below(25) as u32
        };
        let quote = crate::fees::quote(basis, quantity);
        let notice = wd(received, 3 + rng.below(10) as u32);
        events.push(ev(
            notice,
            EventKind::FeeNoticed {
                basis,
                quantity,
                amount_yuan: quote.amount_yuan,
            },
        ));
        if rng.below(3) == 0 {
            return keep_until(events, as_of);
        }
        cursor = wd(notice, 1 + rng.below(15) as u32);
        events.push(ev(
            cursor,
            EventKind::FeePaid {
                amount_yuan: quote.amount_yuan,
            },
        ));
    }
    let Ok(state) = clock::evaluate(cal, received, &events, cursor) else {
        return Vec::new();
    };
    let Some(mut due) = state.due_on else {
        return keep_until(events, as_of);
    };
    if rng.below(30) == 0 {
        // Extension, approved the day before the deadline.
        let on = due.pred_opt().unwrap_or(due).max(cursor);
        let days = 5 + rng.below(16) as u32;
        events.push(ev(
            on,
            EventKind::Extended {
                days,
                approver: "分管负责人".to_string(),
                applicant_notified_on: on,
            },
        ));
        due = wd(due, days);
        cursor = on;
    }
    let left = cal.working_days_between(cursor, due).max(1);
    let reply_on = if rng.below(50) == 0 {
        wd(due, 1 + rng.below(5) as u32) // late
    } else if rng.below(12) == 0 {
        cursor // on the spot
    } else {
        wd(cursor, 1 + rng.below(left as u64) as u32)
    };
    let close = if rng.below(40) == 0 {
        EventKind::Withdrawn
    } else {
        EventKind::Replied {
            outcome: outcome(rng),
            responsible: None,
        }
    };
    events.push(ev(reply_on.max(cursor), close));
    keep_until(events, as_of)
}

/// Drops the events after `as_of`: they have not happened yet.
fn keep_until(mut events: Vec<Event>, as_of: NaiveDate) -> Vec<Event> {
    events.retain(|e| e.on <= as_of);
    events
}

/// A few normative documents per year.
pub fn documents(seed: u64, first_year: i32, last_year: i32) -> Vec<NormativeDocument> {
    let mut rng = Rng::new(seed ^ 0xd0c);
    let mut out = Vec::new();
    for year in first_year..=last_year {
        for n in 0..rng.below(6) {
            let issued =
                NaiveDate::from_ymd_opt(year, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32)
                    .unwrap_or_default();
            // A repeal only within the ledger's years: the ledger does not
            // know what will happen after its last year.
            let end = NaiveDate::from_ymd_opt(last_year, 12, 31).unwrap_or(NaiveDate::MAX);
            let repealed = if rng.below(4) == 0 {
                issued
                    .checked_add_days(Days::new(100 + rng.below(900)))
                    .filter(|d| *d <= end)
            } else {
                None
            };
            let kind = if rng.below(8) == 0 {
                DocumentKind::Regulation
            } else {
                DocumentKind::Normative
            };
            out.push(NormativeDocument {
                number: format!(
                    "{}〔{year}〕{}号",
                    if kind == DocumentKind::Regulation {
                        "规"
                    } else {
                        "规字"
                    },
                    n + 1
                ),
                kind,
                title: format!(
                    "关于{}的实施办法",
                    pick(
                        &mut rng,
                        &["规范行政执法", "优化营商环境", "加强公共资源交易管理"]
                    )
                ),
                issued_on: issued,
                repealed_on: repealed,
            });
        }
    }
    out
}

/// Enforcement figures for a year.
pub fn enforcement(seed: u64, year: i32) -> Enforcement {
    let mut rng = Rng::new(seed ^ year as u64);
    Enforcement {
        license: rng.below(3000) as i64,
        penalty: rng.below(800) as i64,
        coercion: rng.below(50) as i64,
        fee_amount: rng.below(1_000_000) as f64 / 100.0,
    }
}

/// Reconsiderations and lawsuits over the years.
pub fn legal_cases(seed: u64, first_year: i32, last_year: i32, as_of: NaiveDate) -> Vec<LegalCase> {
    let mut rng = Rng::new(seed ^ 0xca5e);
    let mut out = Vec::new();
    for year in first_year..=last_year {
        for n in 0..rng.below(5) {
            let filed =
                NaiveDate::from_ymd_opt(year, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32)
                    .unwrap_or_default();
            let decided_on = filed + Days::new(30 + rng.below(200));
            let result = pick(
                &mut rng,
                &[
                    CaseResult::Upheld,
                    CaseResult::Upheld,
                    CaseResult::Corrected,
                    CaseResult::Other,
                ],
            );
            out.push(LegalCase {
                number: format!("{year}-{}", n + 1),
                kind: pick(&mut rng, &CaseKind::ALL),
                filed_on: filed,
                decided: (decided_on <= as_of).then_some((decided_on, result)),
            });
        }
    }
    out
}

/// The last day of a year.
pub fn end_of_year(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default()
}

/// Whether a date is in a year.
pub fn in_year(d: NaiveDate, year: i32) -> bool {
    d.year() == year
}

#[cfg(test)]
mod tests {
    use crate::model::ApplicantKind as K;

    #[test]
    fn applicants_are_named_as_their_kind() {
        let cal = crate::calendar::Calendar::china();
        let from = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let to = chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
        let cases = super::applications(7, &cal, from, to, 600, to);
        let ends = |name: &str, words: &[&str]| words.iter().any(|w| name.ends_with(w));
        for c in &cases {
            let a = &c.application.applicant;
            let ok = match a.kind {
                K::NaturalPerson => a.name.chars().count() <= 3 && a.name.contains('某'),
                K::Business => ends(&a.name, &["公司"]),
                K::Research => ends(&a.name, &["学院", "研究院", "科学院"]),
                K::SocialWelfare => ends(&a.name, &["基金会", "协会", "中心"]),
                K::LegalService => ends(&a.name, &["事务所", "服务所", "公证处"]),
                K::OtherOrg => ends(&a.name, &["委员会"]),
            };
            assert!(ok, "{:?}: {}", a.kind, a.name);
            assert!(!a.id_document.is_empty());
        }
        for k in K::ALL {
            assert!(
                cases.iter().any(|c| c.application.applicant.kind == k),
                "{k:?}"
            );
        }
    }
}
