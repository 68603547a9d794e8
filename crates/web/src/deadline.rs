//! How a case's deadline was computed, in words a clerk can defend: from
//! which day the 20 working days run, which working days were not counted
//! (consultation, payment), the extension, and the holidays and 调休 working
//! weekends that fell inside.

use chrono::Datelike;
use gongkai_casework::calendar::{is_weekend, weekday_label, Calendar};
use gongkai_casework::clock::{CaseState, Stage};
use gongkai_casework::model::{Application, EventKind};
use serde::Serialize;

/// The explanation of a deadline.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// Lines, in order.
    pub steps: Vec<String>,
    /// Days inside the counted period that are not what the weekday says.
    pub special_days: Vec<String>,
}

pub fn explain(cal: &Calendar, a: &Application, s: &CaseState) -> Explanation {
    let mut steps = Vec::new();
    steps.push(format!(
        "收到申请：{}（{}；{}）",
        a.received_on,
        a.channel.label(),
        a.channel.receipt_rule()
    ));
    let base = a
        .events
        .iter()
        .rev()
        .find(|e| matches!(e.kind, EventKind::CorrectionReceived))
        .map(|e| e.on);
    let start = base.unwrap_or(a.received_on);
    match base {
        Some(d) => steps.push(format!(
            "收到补正：{d}。答复期限自收到补正之日起重新计算（《条例》第三十条）"
        )),
        None => {
            steps.push("答复期限：自收到申请之日起20个工作日内（《条例》第三十三条第二款）".into())
        }
    }
    if s.stage == Stage::AwaitingCorrection {
        if let Some(d) = s.correction_due {
            steps.push(format!(
                "正在等待补正（补正期限{d}）：补正期间不计算答复期限，收到补正后重新起算"
            ));
        }
    }
    for e in &a.events {
        match &e.kind {
            EventKind::ConsultationStarted { party } => steps.push(format!(
                "{}：征求{}意见，征求意见所需时间不计算在答复期限内（《条例》第三十三条第三款）",
                e.on,
                if party.is_empty() { "第三方" } else { party }
            )),
            EventKind::ConsultationEnded => {
                steps.push(format!("{}：征求意见结束，恢复计算", e.on))
            }
            EventKind::FeeNoticed { amount_yuan, .. } => steps.push(format!(
                "{}：发出收费通知（{amount_yuan}元），通知发出至缴费期间不计算在答复期限内（国办函〔2020〕109号第七条）",
                e.on
            )),
            EventKind::FeePaid { .. } => steps.push(format!("{}：缴费，恢复计算", e.on)),
            EventKind::Extended {
                days,
                approver,
                applicant_notified_on,
            } => steps.push(format!(
                "{}：经{approver}同意延长答复期限{days}个工作日，{applicant_notified_on}告知申请人（《条例》第三十三条第二款）",
                e.on
            )),
            _ => {}
        }
    }
    if s.paused_working_days > 0 {
        steps.push(format!("不计算在内的工作日：共{}个", s.paused_working_days));
    }
    let total = 20 + s.paused_working_days + s.extension_days;
    let mut special_days = Vec::new();
    match (s.due_on, s.closed) {
        (Some(due), _) => {
            steps.push(format!(
                "{start}之后的第{total}个工作日（20{}{}）为答复期限：{due}（{}）",
                if s.paused_working_days > 0 {
                    format!(" + 不计算的{}", s.paused_working_days)
                } else {
                    String::new()
                },
                if s.extension_days > 0 {
                    format!(" + 延长的{}", s.extension_days)
                } else {
                    String::new()
                },
                weekday_label(due)
            ));
            let mut d = start.succ_opt();
            while let Some(day) = d {
                if day > due {
                    break;
                }
                let working = cal.is_working_day(day);
                if is_weekend(day) && working {
                    special_days.push(format!(
                        "{day}（{}）调休上班，计为工作日",
                        weekday_label(day)
                    ));
                } else if !is_weekend(day) && !working {
                    special_days.push(format!(
                        "{day}（{}）法定节假日，不计为工作日",
                        weekday_label(day)
                    ));
                }
                d = day.succ_opt();
            }
            if !cal.covers_year(due.year()) || s.provisional {
                steps.push(format!(
                    "注意：{}年的节假日安排尚未载入，期限暂按周末计算，载入后会重新计算",
                    due.year()
                ));
            }
        }
        (None, None) => steps.push("目前期限暂停计算".into()),
        (None, Some(_)) => {}
    }
    if let Some((on, outcome)) = s.closed {
        steps.push(format!("{on}办结：{}", outcome.label()));
    }
    Explanation {
        steps,
        special_days,
    }
}
