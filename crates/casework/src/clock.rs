//! The statutory deadlines of a case (条例 第三十条、第三十二条、第三十三条), in
//! working days of a [`Calendar`].
//!
//! - The day of receipt is not counted; the reply is due within 20 working days
//!   of it. A reply on the day of receipt is in time.
//! - 补正 (第三十条): the notice must go out within 7 working days of receipt (a
//!   later one is accepted with a warning). While the office awaits the
//!   correction no deadline runs; when the corrected application arrives the 20
//!   working days run again, in full, from that day.
//! - 征求意见 (第三十二条; 第三十三条第三款): the time a consultation takes is not counted: the
//!   deadline moves later by the working days `d` with `start < d <= end`. The
//!   third party has 15 working days to answer; past that, an open consultation
//!   is flagged. A consultation started after the deadline has passed does not
//!   move it (the case is already late), and is flagged.
//! - 延期 (第三十三条第二款): once, 1 to 20 working days, approved by a named person on
//!   or before the deadline; it adds its days to the deadline.
//! - Fees (国办函〔2020〕109号第七条): the applicant has 20 working days from the
//!   day after the notice to pay; the period from the day the notice is sent to
//!   the day of payment, both included, is not counted in the reply clock. A
//!   notice for no fee is refused (free applications never pause or lapse).
//! - A reply, a withdrawal or a lapse closes the case; nothing may follow.
//!
//! Lapses: when the correction period (`until`) or the payment period has run
//! out and the case is still waiting, [`CaseState::lapse`] gives the day and
//! outcome to close it with: the first calendar day after the period ran out
//! (`until` + 1, or the pay-by day + 1), or the day of the last event if that is
//! later, so the `Lapsed` event can always be appended.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::calendar::Calendar;
use crate::fees;
use crate::model::{Event, EventKind, FeeBasis, Outcome};

/// Working days to reply (条例 第三十三条第二款).
pub const REPLY_DAYS: u32 = 20;
/// Working days to send a correction notice (条例 第三十条).
pub const CORRECTION_NOTICE_DAYS: u32 = 7;
/// Working days a consulted third party has to answer (条例 第三十二条).
pub const CONSULTATION_DAYS: u32 = 15;
/// The longest extension, in working days (条例 第三十三条第二款).
pub const MAX_EXTENSION_DAYS: u32 = 20;
/// Working days the applicant has to pay a fee (国办函〔2020〕109号).
pub const PAYMENT_DAYS: u32 = 20;

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Open,
    AwaitingCorrection,
    Consulting,
    AwaitingPayment,
    Closed,
}

impl Stage {
    pub fn label(self) -> &'static str {
        match self {
            Stage::Open => "办理中",
            Stage::AwaitingCorrection => "等待补正",
            Stage::Consulting => "征求意见中",
            Stage::AwaitingPayment => "等待缴费",
            Stage::Closed => "已办结",
        }
    }
}

/// Something the office should know about a case that does not stop it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// `correction_notice_late`, `correction_repeated`, `correction_late`,
    /// `consultation_overdue`, `consultation_open`, `consultation_after_deadline`,
    /// `notice_after_deadline`, `fee_above_standard`, `fee_notice_after_deadline`,
    /// `fee_paid_late`, `reply_late`, `calendar_not_covered`.
    pub code: &'static str,
    pub message: String,
}

/// An event the clock refuses: its index in the timeline and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockError {
    pub event: usize,
    pub message: String,
}

impl fmt::Display for ClockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "第{}个事件：{}", self.event + 1, self.message)
    }
}

impl std::error::Error for ClockError {}

/// A case as of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseState {
    pub stage: Stage,
    /// The reply deadline as things stand. `None` while the clock is stopped:
    /// awaiting correction, consulting, or awaiting payment when the payment
    /// period pauses the clock (a consultation or fee notice that came after the
    /// deadline had passed stops nothing: the passed deadline is kept). When the
    /// case is closed: the deadline as it stood on the closing day (pauses
    /// counted up to that day), so a late reply can be judged; `None` when it
    /// was closed while awaiting correction.
    pub due_on: Option<NaiveDate>,
    /// The last day to send a correction notice: receipt + 7 working days.
    pub correction_notice_due: NaiveDate,
    /// The day the applicant was asked to correct by, of the latest correction
    /// notice (kept after the correction arrives).
    pub correction_due: Option<NaiveDate>,
    /// The day the consulted party's answer is due, of the latest consultation
    /// (kept after it ends).
    pub consultation_answer_due: Option<NaiveDate>,
    /// The last day to pay, of the latest fee notice (kept after payment).
    pub pay_due: Option<NaiveDate>,
    /// Working days not counted since the 20 working days last started
    /// (receipt or correction): ended pauses, and an open pause up to the
    /// closing day when the case closed during it.
    pub paused_working_days: u32,
    /// Working days of the extension, if any.
    pub extension_days: u32,
    pub closed: Option<(NaiveDate, Outcome)>,
    /// The case ran out of time and should be closed so (only when not closed):
    /// the first calendar day after the correction or payment period, or the
    /// day of the last event if later.
    pub lapse: Option<(NaiveDate, Outcome)>,
    /// A date used falls in a year the calendar does not cover: it was computed
    /// with weekends only.
    pub provisional: bool,
    pub warnings: Vec<Warning>,
}

/// The state of a case received on `received_on` with `events`, as of `as_of`.
/// Refuses a timeline that breaks a rule, naming the first offending event.
pub fn evaluate(
    cal: &Calendar,
    received_on: NaiveDate,
    events: &[Event],
    as_of: NaiveDate,
) -> Result<CaseState, ClockError> {
    let mut m = Machine::new(cal, received_on);
    for (i, e) in events.iter().enumerate() {
        m.apply(i, e)?;
    }
    Ok(m.finish(as_of))
}

/// Checks that `next` may be appended to `events` (same rules, and not dated
/// after `as_of`); returns the state after it.
pub fn append(
    cal: &Calendar,
    received_on: NaiveDate,
    events: &[Event],
    next: &Event,
    as_of: NaiveDate,
) -> Result<CaseState, ClockError> {
    let mut m = Machine::new(cal, received_on);
    for (i, e) in events.iter().enumerate() {
        m.apply(i, e)?;
    }
    if next.on > as_of {
        return Err(ClockError {
            event: events.len(),
            message: format!(
                "{}的日期{}晚于今天（{as_of}），不能预先登记",
                next.kind.label(),
                next.on
            ),
        });
    }
    if let Err(message) = m.check_new(next) {
        return Err(ClockError {
            event: events.len(),
            message,
        });
    }
    m.apply(events.len(), next)?;
    Ok(m.finish(as_of))
}

/// Working days left until the reply is due (0 on the day itself, negative when
/// overdue), `None` when no deadline runs (clock stopped or case closed).
pub fn days_left(cal: &Calendar, state: &CaseState, as_of: NaiveDate) -> Option<i64> {
    if state.closed.is_some() {
        return None;
    }
    state.due_on.map(|due| cal.signed_working_days(as_of, due))
}

/// What stops the clock, if anything.
#[derive(Debug, Clone, Copy)]
enum Pause {
    None,
    Correction {
        until: NaiveDate,
    },
    Consultation {
        start: NaiveDate,
        answer_due: NaiveDate,
        /// Whether it moves the deadline (it started on or before it).
        counts: bool,
    },
    Payment {
        notice: NaiveDate,
        pay_due: NaiveDate,
        /// The amount noticed, in yuan.
        amount: i64,
        /// Whether it moves the deadline (the setting, and it came in time).
        counts: bool,
    },
}

struct Machine<'a> {
    cal: &'a Calendar,
    received: NaiveDate,
    /// The day the 20 working days last started from.
    base: NaiveDate,
    /// Working days of ended pauses since `base`.
    paused: u32,
    extension: Option<u32>,
    pause: Pause,
    last: NaiveDate,
    closed: Option<(NaiveDate, Outcome)>,
    due_at_close: Option<NaiveDate>,
    corrections: u32,
    correction_notice_due: NaiveDate,
    correction_due: Option<NaiveDate>,
    consultation_answer_due: Option<NaiveDate>,
    pay_due: Option<NaiveDate>,
    /// The latest date the calendar was asked about (for `provisional`).
    latest: NaiveDate,
    warnings: Vec<Warning>,
}

impl<'a> Machine<'a> {
    fn new(cal: &'a Calendar, received: NaiveDate) -> Machine<'a> {
        let correction_notice_due = cal.add_working_days(received, CORRECTION_NOTICE_DAYS);
        Machine {
            cal,
            received,
            base: received,
            paused: 0,
            extension: None,
            pause: Pause::None,
            last: received,
            closed: None,
            due_at_close: None,
            corrections: 0,
            correction_notice_due,
            correction_due: None,
            consultation_answer_due: None,
            pay_due: None,
            latest: correction_notice_due,
            warnings: Vec::new(),
        }
    }

    fn add(&mut self, d: NaiveDate, n: u32) -> NaiveDate {
        let r = self.cal.add_working_days(d, n);
        self.latest = self.latest.max(r);
        r
    }

    fn between(&mut self, from: NaiveDate, to: NaiveDate) -> u32 {
        self.latest = self.latest.max(to);
        self.cal.working_days_between(from, to)
    }

    fn warn(&mut self, code: &'static str, message: String) {
        self.warnings.push(Warning { code, message });
    }

    /// The deadline without the open pause.
    fn frozen(&mut self) -> NaiveDate {
        let n = REPLY_DAYS
            .saturating_add(self.paused)
            .saturating_add(self.extension.unwrap_or(0));
        self.add(self.base, n)
    }

    /// The working days the open pause has stopped the clock for, up to `at`.
    fn open_pause_days(&mut self, at: NaiveDate) -> u32 {
        match self.pause {
            Pause::Consultation {
                start,
                counts: true,
                ..
            } => self.between(start, at),
            // 国办函〔2020〕109号第七条: the period from the day the notice is
            // sent to the day of payment, both included, is not counted. The
            // day of the notice is one of them when it is a working day the
            // reply clock would have counted (not the day it started from).
            Pause::Payment {
                notice,
                counts: true,
                ..
            } => {
                let notice_day = u32::from(notice > self.base && self.cal.is_working_day(notice));
                self.between(notice, at) + notice_day
            }
            _ => 0,
        }
    }

    /// The deadline as it stands on `at`, counting the open pause up to `at`;
    /// `None` while awaiting correction (no deadline runs).
    fn running(&mut self, at: NaiveDate) -> Option<NaiveDate> {
        if let Pause::Correction { .. } = self.pause {
            return None;
        }
        let frozen = self.frozen();
        let extra = self.open_pause_days(at);
        Some(self.add(frozen, extra))
    }

    fn apply(&mut self, index: usize, e: &Event) -> Result<(), ClockError> {
        let fail = |message: String| ClockError {
            event: index,
            message,
        };
        let label = e.kind.label();
        if let Some((on, outcome)) = self.closed {
            return Err(fail(format!(
                "本案已于{on}办结（{}），不能再登记{label}",
                outcome.short_label()
            )));
        }
        if e.on < self.received {
            return Err(fail(format!(
                "{label}的日期{}早于收到申请之日{}",
                e.on, self.received
            )));
        }
        if e.on < self.last {
            return Err(fail(format!(
                "{label}的日期{}早于上一个事件的日期{}，事件须按日期先后登记",
                e.on, self.last
            )));
        }
        let on = e.on;
        match &e.kind {
            EventKind::CorrectionRequested { until } => {
                self.no_open_pause(label).map_err(fail)?;
                if *until < on {
                    return Err(fail(format!("补正期限{until}早于补正告知日{on}")));
                }
                if self.corrections > 0 {
                    self.warn(
                        "correction_repeated",
                        format!("{on}再次要求补正：条例第三十条要求一次性告知需要补正的事项"),
                    );
                } else if on > self.correction_notice_due {
                    let due = self.correction_notice_due;
                    self.warn(
                        "correction_notice_late",
                        format!(
                            "补正告知于{on}发出，晚于收到申请后{CORRECTION_NOTICE_DAYS}个工作日（{due}）"
                        ),
                    );
                }
                self.corrections += 1;
                self.correction_due = Some(*until);
                self.pause = Pause::Correction { until: *until };
            }
            EventKind::CorrectionReceived => {
                let Pause::Correction { until } = self.pause else {
                    return Err(fail("没有等待中的补正告知，不能登记收到补正".to_string()));
                };
                if on > until {
                    self.warn(
                        "correction_late",
                        format!("补正于{on}收到，已过补正期限{until}"),
                    );
                }
                self.base = on;
                self.paused = 0;
                self.pause = Pause::None;
            }
            EventKind::ConsultationStarted { .. } => {
                self.no_open_pause(label).map_err(fail)?;
                let deadline = self.frozen();
                let counts = on <= deadline;
                if !counts {
                    self.warn(
                        "consultation_after_deadline",
                        format!(
                            "征求意见于{on}开始，答复期限{deadline}已过，所需时间不再顺延答复期限"
                        ),
                    );
                }
                let answer_due = self.add(on, CONSULTATION_DAYS);
                self.consultation_answer_due = Some(answer_due);
                self.pause = Pause::Consultation {
                    start: on,
                    answer_due,
                    counts,
                };
            }
            EventKind::ConsultationEnded => {
                let Pause::Consultation {
                    start, answer_due, ..
                } = self.pause
                else {
                    return Err(fail(
                        "没有进行中的征求意见，不能登记征求意见结束".to_string(),
                    ));
                };
                if on > answer_due {
                    self.warn(
                        "consultation_overdue",
                        format!(
                            "征求意见自{start}开始，第三方应于{answer_due}前答复，至{on}方结束"
                        ),
                    );
                }
                self.paused = self.paused.saturating_add(self.open_pause_days(on));
                self.pause = Pause::None;
            }
            EventKind::Extended {
                days,
                approver,
                applicant_notified_on,
            } => {
                if self.extension.is_some() {
                    return Err(fail(
                        "本案已延期一次，不能再次延期（条例第三十三条）".to_string(),
                    ));
                }
                if *days == 0 || *days > MAX_EXTENSION_DAYS {
                    return Err(fail(format!(
                        "延长的期限须为1至{MAX_EXTENSION_DAYS}个工作日，此处为{days}个"
                    )));
                }
                if approver.trim().is_empty() {
                    return Err(fail(
                        "延期须经政府信息公开工作机构负责人同意，请写明批准人".to_string(),
                    ));
                }
                let Some(deadline) = self.running(on) else {
                    return Err(fail("等待补正期间答复期限尚未起算，不能延期".to_string()));
                };
                if on > deadline {
                    return Err(fail(format!(
                        "延期须在答复期限（{deadline}）届满前决定，此处为{on}"
                    )));
                }
                if *applicant_notified_on > deadline {
                    self.warn(
                        "notice_after_deadline",
                        format!(
                            "延期于{applicant_notified_on}才告知申请人，晚于原答复期限{deadline}"
                        ),
                    );
                }
                self.extension = Some(*days);
            }
            EventKind::FeeNoticed {
                basis,
                quantity,
                amount_yuan,
            } => {
                self.no_open_pause(label).map_err(fail)?;
                if *amount_yuan < 0 {
                    return Err(fail(format!("收费金额不能为负数（{amount_yuan}元）")));
                }
                let standard = fees::quote(*basis, *quantity).amount_yuan;
                if *amount_yuan > standard {
                    let what = match basis {
                        FeeBasis::ByCount => format!("本月第{quantity}件"),
                        FeeBasis::ByVolume => format!("{quantity}页"),
                    };
                    self.warn(
                        "fee_above_standard",
                        format!(
                            "收费金额{amount_yuan}元高于{}（{what}）的标准{standard}元",
                            basis.label()
                        ),
                    );
                }
                if *amount_yuan == 0 {
                    // Recorded before such notices were refused: nothing is
                    // owed, so nothing pauses and nothing can lapse.
                    self.warn(
                        "fee_zero",
                        format!("{on}的收费通知金额为0元，不暂停答复期限，也不会因未缴费而终止"),
                    );
                    self.last = on;
                    return Ok(());
                }
                let deadline = self.frozen();
                let mut counts = true;
                if on > deadline {
                    counts = false;
                    self.warn(
                        "fee_notice_after_deadline",
                        format!("收费通知于{on}发出，答复期限{deadline}已过"),
                    );
                }
                let pay_due = self.add(on, PAYMENT_DAYS);
                self.pay_due = Some(pay_due);
                self.pause = Pause::Payment {
                    notice: on,
                    pay_due,
                    amount: *amount_yuan,
                    counts,
                };
            }
            EventKind::FeePaid { amount_yuan } => {
                let Pause::Payment {
                    pay_due, amount, ..
                } = self.pause
                else {
                    return Err(fail("没有待缴费的收费通知，不能登记缴费".to_string()));
                };
                if *amount_yuan < 0 {
                    return Err(fail(format!("缴费金额不能为负数（{amount_yuan}元）")));
                }
                if *amount_yuan < amount {
                    self.warn(
                        "fee_underpaid",
                        format!("缴费{amount_yuan}元，少于收费通知的{amount}元"),
                    );
                }
                if on > pay_due {
                    self.warn(
                        "fee_paid_late",
                        format!("于{on}缴费，已过缴费期限{pay_due}"),
                    );
                }
                self.paused = self.paused.saturating_add(self.open_pause_days(on));
                self.pause = Pause::None;
            }
            EventKind::Replied {
                outcome,
                responsible,
            } => {
                if responsible.is_some() && *outcome != Outcome::NOT_HELD {
                    return Err(fail(format!(
                        "“由其他机关负责公开”只能用于“本机关不掌握相关政府信息”，而不是“{}”",
                        outcome.short_label()
                    )));
                }
                let due = self.running(on);
                if let Some(due) = due {
                    if on > due {
                        let late = self.between(due, on);
                        let by = if late > 0 {
                            format!("，逾期{late}个工作日")
                        } else {
                            String::new()
                        };
                        self.warn(
                            "reply_late",
                            format!("于{on}答复，已超过答复期限{due}{by}（逾期答复）"),
                        );
                    }
                }
                if let Pause::Consultation { answer_due, .. } = self.pause {
                    if on <= answer_due {
                        self.warn(
                            "consultation_open",
                            format!(
                                "征求意见尚未结束、第三方答复期限（{answer_due}）未满即作出答复"
                            ),
                        );
                    }
                }
                self.close(on, *outcome, due);
            }
            EventKind::Withdrawn => {
                let due = self.running(on);
                self.close(on, Outcome::OTHER, due);
            }
            EventKind::Lapsed { outcome } => {
                let ran_out = match (self.pause, *outcome) {
                    (Pause::Correction { until }, o) if o == Outcome::NO_CORRECTION => {
                        if on <= until {
                            return Err(fail(format!("补正期限{until}尚未届满，不能以未补正办结")));
                        }
                        true
                    }
                    (Pause::Payment { pay_due, .. }, o) if o == Outcome::FEE_UNPAID => {
                        if on <= pay_due {
                            return Err(fail(format!(
                                "缴费期限{pay_due}尚未届满，不能以未缴费办结"
                            )));
                        }
                        true
                    }
                    _ => false,
                };
                if !ran_out {
                    return Err(fail(format!(
                        "期满终止只适用于等待补正期满未补正（{}）或等待缴费期满未缴费（{}）的申请，此处为“{}”",
                        Outcome::NO_CORRECTION.short_label(),
                        Outcome::FEE_UNPAID.short_label(),
                        outcome.short_label()
                    )));
                }
                let due = self.running(on);
                self.close(on, *outcome, due);
            }
        }
        self.last = on;
        Ok(())
    }

    /// Refuses to start a pause while another is open.
    /// Rules for a new event that a stored timeline is not held to (it was
    /// recorded before they existed and must still load): they refuse what
    /// the rules do not allow, whatever the sweep has or has not yet done.
    fn check_new(&self, next: &Event) -> Result<(), String> {
        let on = next.on;
        // After the correction period the application is deemed abandoned
        // (条例 第三十条): the same answer before and after `overdue` has
        // recorded the lapse.
        if let Pause::Correction { until } = self.pause {
            if on > until {
                let refused = match &next.kind {
                    EventKind::CorrectionReceived => Some("补正"),
                    EventKind::Replied { outcome, .. } if *outcome != Outcome::NO_CORRECTION => {
                        Some("答复")
                    }
                    EventKind::ConsultationStarted { .. }
                    | EventKind::Extended { .. }
                    | EventKind::FeeNoticed { .. } => Some(next.kind.label()),
                    _ => None,
                };
                if let Some(what) = refused {
                    return Err(format!(
                        "补正期限{until}已过，{on}不能再登记{what}：申请人无正当理由逾期不补正的，\
                         视为放弃申请（条例第三十条），本案应以“申请人逾期未按要求补正”办结\
                         （gongkai ledger overdue 会自动办结）。申请人有正当理由的，应在期限届满前\
                         重新告知补正期限；期限已过的，可请申请人重新提出申请"
                    ));
                }
            }
        }
        match &next.kind {
            // A notice for no fee would pause the clock and let a free
            // application lapse as unpaid (国办函〔2020〕109号: the first 10
            // applications of a month and the first 30 pages are free).
            EventKind::FeeNoticed {
                basis,
                quantity,
                amount_yuan: 0,
            } => {
                let what = match basis {
                    FeeBasis::ByCount => format!("同一申请人本月第{quantity}件"),
                    FeeBasis::ByVolume => format!("{quantity}页"),
                };
                Err(format!(
                    "收费金额为0元：{}{what}不收费（国办函〔2020〕109号），不发收费通知；\
                     不收费的申请不会因“逾期未缴纳费用”而终止，请照常答复",
                    basis.label()
                ))
            }
            // "逾期不补正" needs a correction notice whose period has run out.
            EventKind::Replied { outcome, .. } if *outcome == Outcome::NO_CORRECTION => {
                match self.pause {
                    Pause::Correction { until } if on > until => Ok(()),
                    Pause::Correction { until } => Err(format!(
                        "补正期限{until}尚未届满，不能以“申请人逾期未按要求补正”办结"
                    )),
                    _ if self.corrections == 0 => Err(
                        "本案没有发出补正告知，不能以“申请人逾期未按要求补正”办结（条例第三十条）"
                            .to_string(),
                    ),
                    _ => Err("补正已经收到，不能以“申请人逾期未按要求补正”办结".to_string()),
                }
            }
            // "逾期未缴纳费用" needs a fee notice whose period has run out.
            EventKind::Replied { outcome, .. } if *outcome == Outcome::FEE_UNPAID => {
                match self.pause {
                    Pause::Payment { pay_due, .. } if on > pay_due => Ok(()),
                    Pause::Payment { pay_due, .. } => Err(format!(
                        "缴费期限{pay_due}尚未届满，不能以“申请人逾期未缴纳信息处理费”办结"
                    )),
                    _ => Err(
                        "本案没有待缴费的收费通知，不能以“申请人逾期未缴纳信息处理费”办结"
                            .to_string(),
                    ),
                }
            }
            // The applicant is told of an extension once it is approved.
            EventKind::Extended {
                applicant_notified_on,
                ..
            } if *applicant_notified_on < on => Err(format!(
                "告知申请人延期的日期{applicant_notified_on}早于批准延期的日期{on}：\
                 延期须先经负责人同意，再告知申请人（条例第三十三条第二款）"
            )),
            _ => Ok(()),
        }
    }

    fn no_open_pause(&self, label: &str) -> Result<(), String> {
        let what = match self.pause {
            Pause::None => return Ok(()),
            Pause::Correction { until } => format!("正在等待补正（补正期限{until}）"),
            Pause::Consultation { start, .. } => format!("{start}开始的征求意见尚未结束"),
            Pause::Payment { pay_due, .. } => format!("正在等待缴费（缴费期限{pay_due}）"),
        };
        Err(format!("{what}，不能登记{label}"))
    }

    fn close(&mut self, on: NaiveDate, outcome: Outcome, due: Option<NaiveDate>) {
        self.paused = self.paused.saturating_add(self.open_pause_days(on));
        self.closed = Some((on, outcome));
        self.due_at_close = due;
    }

    fn finish(mut self, as_of: NaiveDate) -> CaseState {
        let stage = if self.closed.is_some() {
            Stage::Closed
        } else {
            match self.pause {
                Pause::None => Stage::Open,
                Pause::Correction { .. } => Stage::AwaitingCorrection,
                Pause::Consultation { .. } => Stage::Consulting,
                Pause::Payment { .. } => Stage::AwaitingPayment,
            }
        };
        let due_on = if self.closed.is_some() {
            self.due_at_close
        } else {
            match self.pause {
                Pause::Correction { .. }
                | Pause::Consultation { counts: true, .. }
                | Pause::Payment { counts: true, .. } => None,
                _ => Some(self.frozen()),
            }
        };
        let mut lapse = None;
        if self.closed.is_none() {
            match self.pause {
                Pause::Correction { until } if as_of > until => {
                    let day = until.succ_opt().unwrap_or(until).max(self.last);
                    lapse = Some((day, Outcome::NO_CORRECTION));
                }
                Pause::Payment { pay_due, .. } if as_of > pay_due => {
                    let day = pay_due.succ_opt().unwrap_or(pay_due).max(self.last);
                    lapse = Some((day, Outcome::FEE_UNPAID));
                }
                Pause::Consultation {
                    start, answer_due, ..
                } if as_of > answer_due => {
                    self.warn(
                        "consultation_overdue",
                        format!(
                            "征求意见自{start}开始，第三方答复期限{answer_due}已过，征求意见尚未结束"
                        ),
                    );
                }
                _ => {}
            }
        }
        let first = self.received.year();
        let last = self.latest.year().max(first);
        // Only a few years are ever covered, so `take` ends the walk early even
        // for absurd spans (dates near chrono's limits).
        let uncovered: Vec<i32> = (first..=last)
            .filter(|y| !self.cal.covers_year(*y))
            .take(10)
            .collect();
        let provisional = !uncovered.is_empty();
        if provisional {
            let years: Vec<String> = uncovered.iter().map(|y| format!("{y}年")).collect();
            self.warn(
                "calendar_not_covered",
                format!(
                    "期限计算涉及{}，工作日历尚未载入该年节假日安排，暂按周末计算",
                    years.join("、")
                ),
            );
        }
        CaseState {
            stage,
            due_on,
            correction_notice_due: self.correction_notice_due,
            correction_due: self.correction_due,
            consultation_answer_due: self.consultation_answer_due,
            pay_due: self.pay_due,
            paused_working_days: self.paused,
            extension_days: self.extension.unwrap_or(0),
            closed: self.closed,
            lapse,
            provisional,
            warnings: self.warnings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FeeBasis;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn ev(on: &str, kind: EventKind) -> Event {
        Event {
            on: d(on),
            kind,
            actor: "李办理".to_string(),
            note: String::new(),
        }
    }

    fn run(received: &str, events: &[Event], as_of: &str) -> Result<CaseState, ClockError> {
        evaluate(&Calendar::china(), d(received), events, d(as_of))
    }

    fn state(received: &str, events: &[Event], as_of: &str) -> CaseState {
        run(received, events, as_of).expect("时间线应被接受")
    }

    fn codes(s: &CaseState) -> Vec<&'static str> {
        s.warnings.iter().map(|w| w.code).collect()
    }

    fn replied(on: &str) -> Event {
        ev(
            on,
            EventKind::Replied {
                outcome: Outcome::GRANTED,
                responsible: None,
            },
        )
    }

    fn extended(on: &str, days: u32, notified: &str) -> Event {
        ev(
            on,
            EventKind::Extended {
                days,
                approver: "王副局长".to_string(),
                applicant_notified_on: d(notified),
            },
        )
    }

    fn correction(on: &str, until: &str) -> Event {
        ev(on, EventKind::CorrectionRequested { until: d(until) })
    }

    fn consult(on: &str) -> Event {
        ev(
            on,
            EventKind::ConsultationStarted {
                party: "某公司".to_string(),
            },
        )
    }

    fn fee_notice(on: &str) -> Event {
        ev(
            on,
            EventKind::FeeNoticed {
                basis: FeeBasis::ByVolume,
                quantity: 150,
                amount_yuan: 1700,
            },
        )
    }

    #[test]
    fn twenty_working_days_across_national_day() {
        // Friday 2025-09-26; Sunday 09-28 worked; 10-01..10-08 off; Saturday
        // 10-11 worked: 09-28 (1) … 09-30 (3), 10-09 (4), 10-10 (5), 10-11 (6),
        // 10-13 (7) … 10-30 (20).
        let s = state("2025-09-26", &[], "2025-09-26");
        assert_eq!(s.stage, Stage::Open);
        assert_eq!(s.due_on, Some(d("2025-10-30")));
        assert_eq!(s.correction_notice_due, d("2025-10-13"));
        assert_eq!(s.lapse, None);
        assert!(!s.provisional);
        assert!(s.warnings.is_empty());
        let cal = Calendar::china();
        assert_eq!(days_left(&cal, &s, d("2025-09-26")), Some(20));
        assert_eq!(days_left(&cal, &s, d("2025-10-08")), Some(17));
        assert_eq!(days_left(&cal, &s, d("2025-10-30")), Some(0));
        assert_eq!(days_left(&cal, &s, d("2025-10-31")), Some(-1));
    }

    #[test]
    fn replies_in_time_and_late() {
        let s = state("2025-09-26", &[replied("2025-09-26")], "2025-09-26");
        assert_eq!(s.stage, Stage::Closed);
        assert_eq!(s.closed, Some((d("2025-09-26"), Outcome::GRANTED)));
        assert!(s.warnings.is_empty());
        // Closed: the deadline is kept, but no days are left to count.
        assert_eq!(s.due_on, Some(d("2025-10-30")));
        assert_eq!(days_left(&Calendar::china(), &s, d("2025-09-26")), None);

        let s = state("2025-09-26", &[replied("2025-10-30")], "2025-11-30");
        assert!(s.warnings.is_empty());

        let s = state("2025-09-26", &[replied("2025-11-03")], "2025-11-30");
        assert_eq!(codes(&s), vec!["reply_late"]);
        // 10-31 and 11-03: two working days late.
        assert_eq!(
            s.warnings[0].message,
            "于2025-11-03答复，已超过答复期限2025-10-30，逾期2个工作日（逾期答复）"
        );
        assert_eq!(s.closed, Some((d("2025-11-03"), Outcome::GRANTED)));
    }

    #[test]
    fn a_correction_restarts_the_twenty_days() {
        // Notice on the third working day (09-30), correction by 10-20.
        let notice = correction("2025-09-30", "2025-10-20");
        let s = state("2025-09-26", std::slice::from_ref(&notice), "2025-10-10");
        assert_eq!(s.stage, Stage::AwaitingCorrection);
        assert_eq!(s.due_on, None);
        assert_eq!(s.correction_due, Some(d("2025-10-20")));
        assert_eq!(s.lapse, None);
        assert!(s.warnings.is_empty());
        assert_eq!(days_left(&Calendar::china(), &s, d("2025-10-10")), None);

        // Corrected on Wednesday 10-15: 10-16 (1), 10-17 (2), 10-20 .. 10-24 (7),
        // 10-27 .. 10-31 (12), 11-03 .. 11-07 (17), 11-10 (18), 11-11 (19), 11-12 (20).
        let events = [notice, ev("2025-10-15", EventKind::CorrectionReceived)];
        let s = state("2025-09-26", &events, "2025-10-15");
        assert_eq!(s.stage, Stage::Open);
        assert_eq!(s.due_on, Some(d("2025-11-12")));
        assert!(s.warnings.is_empty());
    }

    #[test]
    fn a_correction_notice_after_seven_working_days_is_late() {
        // The 7th working day after 09-26 is 10-13; 10-14 is the 8th.
        let s = state(
            "2025-09-26",
            &[correction("2025-10-13", "2025-10-27")],
            "2025-10-13",
        );
        assert!(s.warnings.is_empty());
        let s = state(
            "2025-09-26",
            &[correction("2025-10-12", "2025-10-27")],
            "2025-10-13",
        );
        assert!(
            s.warnings.is_empty(),
            "Sunday 10-12 is before the 7th working day"
        );
        let s = state(
            "2025-09-26",
            &[correction("2025-10-14", "2025-10-27")],
            "2025-10-14",
        );
        assert_eq!(codes(&s), vec!["correction_notice_late"]);
        assert_eq!(
            s.warnings[0].message,
            "补正告知于2025-10-14发出，晚于收到申请后7个工作日（2025-10-13）"
        );
        // Late, but accepted: the clock waits for the correction.
        assert_eq!(s.stage, Stage::AwaitingCorrection);
    }

    #[test]
    fn no_correction_by_the_stated_day_lapses() {
        let events = [correction("2025-12-03", "2025-12-17")];
        let s = state("2025-12-01", &events, "2025-12-17");
        assert_eq!(s.lapse, None);
        let s = state("2025-12-01", &events, "2025-12-18");
        assert_eq!(s.lapse, Some((d("2025-12-18"), Outcome::NO_CORRECTION)));
        assert_eq!(s.stage, Stage::AwaitingCorrection);
        // Evaluated weeks later, the lapse is still the day after the period.
        let s = state("2025-12-01", &events, "2026-01-20");
        assert_eq!(s.lapse, Some((d("2025-12-18"), Outcome::NO_CORRECTION)));

        let cal = Calendar::china();
        let lapsed = ev(
            "2025-12-18",
            EventKind::Lapsed {
                outcome: Outcome::NO_CORRECTION,
            },
        );
        let s = append(&cal, d("2025-12-01"), &events, &lapsed, d("2025-12-18")).unwrap();
        assert_eq!(s.stage, Stage::Closed);
        assert_eq!(s.closed, Some((d("2025-12-18"), Outcome::NO_CORRECTION)));
        assert_eq!(s.lapse, None);
        assert_eq!(s.due_on, None);

        // Not before the period has run out, and not with another outcome.
        let early = ev(
            "2025-12-17",
            EventKind::Lapsed {
                outcome: Outcome::NO_CORRECTION,
            },
        );
        let e = append(&cal, d("2025-12-01"), &events, &early, d("2025-12-17")).unwrap_err();
        assert_eq!(e.event, 1);
        assert!(e.message.contains("尚未届满"), "{e}");
        let wrong = ev(
            "2025-12-18",
            EventKind::Lapsed {
                outcome: Outcome::FEE_UNPAID,
            },
        );
        assert!(append(&cal, d("2025-12-01"), &events, &wrong, d("2025-12-18")).is_err());
    }

    #[test]
    fn a_late_correction_is_accepted_with_a_warning() {
        // Corrected Friday 12-19, two days after 12-17: 12-22 .. 12-26 (5),
        // 12-29 .. 12-31 (8), 2026-01-01 .. 01-03 off, Sunday 01-04 (9),
        // 01-05 .. 01-09 (14), 01-12 .. 01-16 (19), 01-19 (20).
        let events = [
            correction("2025-12-03", "2025-12-17"),
            ev("2025-12-19", EventKind::CorrectionReceived),
        ];
        let s = state("2025-12-01", &events, "2025-12-19");
        assert_eq!(codes(&s), vec!["correction_late"]);
        assert_eq!(s.due_on, Some(d("2026-01-19")));
        assert_eq!(s.lapse, None);
    }

    #[test]
    fn a_consultation_across_national_day_moves_the_deadline() {
        // Received Monday 09-15: due 10-17 (09-28 and 10-11 worked).
        let s = state("2025-09-15", &[], "2025-09-15");
        assert_eq!(s.due_on, Some(d("2025-10-17")));
        // Consultation 09-29 .. 10-10: 09-30, 10-09 and 10-10 are not counted.
        let started = [consult("2025-09-29")];
        let s = state("2025-09-15", &started, "2025-10-09");
        assert_eq!(s.stage, Stage::Consulting);
        assert_eq!(s.due_on, None);
        // The third party's 15 working days: 09-30 (1), 10-09 .. 10-11 (4),
        // 10-13 .. 10-17 (9), 10-20 .. 10-24 (14), 10-27 (15).
        assert_eq!(s.consultation_answer_due, Some(d("2025-10-27")));
        assert!(s.warnings.is_empty());
        let s = state("2025-09-15", &started, "2025-10-27");
        assert!(s.warnings.is_empty());
        let s = state("2025-09-15", &started, "2025-10-28");
        assert_eq!(codes(&s), vec!["consultation_overdue"]);

        let events = [
            consult("2025-09-29"),
            ev("2025-10-10", EventKind::ConsultationEnded),
        ];
        let s = state("2025-09-15", &events, "2025-10-10");
        assert_eq!(s.stage, Stage::Open);
        assert_eq!(s.paused_working_days, 3);
        // 10-17 + 3: 10-20, 10-21, 10-22.
        assert_eq!(s.due_on, Some(d("2025-10-22")));
        assert!(s.warnings.is_empty());
    }

    #[test]
    fn consultation_then_extension_then_due_soon() {
        // Received 09-26 (due 10-30); consultation 10-09 .. 10-13 pauses
        // 10-10, 10-11, 10-13: due 11-04.
        let mut events = vec![
            consult("2025-10-09"),
            ev("2025-10-13", EventKind::ConsultationEnded),
        ];
        let s = state("2025-09-26", &events, "2025-10-13");
        assert_eq!(s.due_on, Some(d("2025-11-04")));
        // 20 more from 11-04: 11-05 .. 11-07 (3), 11-10 .. 11-28 (18), 12-01, 12-02.
        events.push(extended("2025-11-03", 20, "2025-11-03"));
        let s = state("2025-09-26", &events, "2025-11-03");
        assert_eq!(s.due_on, Some(d("2025-12-02")));
        assert_eq!(s.extension_days, 20);
        let cal = Calendar::china();
        assert_eq!(days_left(&cal, &s, d("2025-11-28")), Some(2));
        assert_eq!(days_left(&cal, &s, d("2025-12-04")), Some(-2));
    }

    #[test]
    fn one_extension_of_at_most_twenty_days_before_the_deadline() {
        // Due 10-30; extended on that day by 20: 10-31 (1), 11-03 .. 11-07 (6),
        // 11-10 .. 11-14 (11), 11-17 .. 11-21 (16), 11-24 .. 11-27 (20).
        let first = extended("2025-10-30", 20, "2025-10-30");
        let s = state("2025-09-26", std::slice::from_ref(&first), "2025-10-30");
        assert_eq!(s.due_on, Some(d("2025-11-27")));
        assert!(s.warnings.is_empty());

        let e = run(
            "2025-09-26",
            &[first, extended("2025-11-03", 5, "2025-11-03")],
            "2025-11-03",
        )
        .unwrap_err();
        assert_eq!(e.event, 1);
        assert_eq!(e.message, "本案已延期一次，不能再次延期（条例第三十三条）");

        let e = run(
            "2025-09-26",
            &[extended("2025-10-31", 20, "2025-10-31")],
            "2025-10-31",
        )
        .unwrap_err();
        assert_eq!(e.event, 0);
        assert_eq!(
            e.message,
            "延期须在答复期限（2025-10-30）届满前决定，此处为2025-10-31"
        );

        for days in [0, 21] {
            let e = run(
                "2025-09-26",
                &[extended("2025-10-20", days, "2025-10-20")],
                "2025-10-20",
            )
            .unwrap_err();
            assert!(e.message.contains("须为1至20个工作日"), "{e}");
        }
        let mut no_approver = extended("2025-10-20", 10, "2025-10-20");
        if let EventKind::Extended { approver, .. } = &mut no_approver.kind {
            *approver = "  ".to_string();
        }
        assert!(run("2025-09-26", &[no_approver], "2025-10-20").is_err());

        // Told to the applicant after the old deadline: accepted, with a warning.
        let s = state(
            "2025-09-26",
            &[extended("2025-10-30", 5, "2025-10-31")],
            "2025-10-31",
        );
        assert_eq!(codes(&s), vec!["notice_after_deadline"]);
        // 10-30 + 5: 10-31, 11-03 .. 11-06.
        assert_eq!(s.due_on, Some(d("2025-11-06")));

        // No extension while awaiting a correction: no deadline runs.
        let e = run(
            "2025-09-26",
            &[
                correction("2025-09-30", "2025-10-20"),
                extended("2025-10-09", 5, "2025-10-09"),
            ],
            "2025-10-09",
        )
        .unwrap_err();
        assert_eq!(e.event, 1);
    }

    #[test]
    fn an_extension_during_a_long_consultation() {
        // Consultation 10-09 .. 11-14 pauses 27 working days (10-10, 10-11,
        // 10-13 .. 11-14); the extension of 5 on 11-10 is in time since the clock
        // is stopped. Due: 10-30 + 32 = 12-15. The third party's answer was due
        // 10-29, so the late end is flagged.
        let events = [
            consult("2025-10-09"),
            extended("2025-11-10", 5, "2025-11-10"),
            ev("2025-11-14", EventKind::ConsultationEnded),
        ];
        let s = state("2025-09-26", &events, "2025-11-14");
        assert_eq!(s.paused_working_days, 27);
        assert_eq!(s.consultation_answer_due, Some(d("2025-10-29")));
        assert_eq!(s.due_on, Some(d("2025-12-15")));
        assert_eq!(codes(&s), vec!["consultation_overdue"]);
    }

    #[test]
    fn a_consultation_after_the_deadline_stops_nothing() {
        let events = [consult("2025-11-03")];
        let s = state("2025-09-26", &events, "2025-11-04");
        assert_eq!(s.stage, Stage::Consulting);
        assert_eq!(s.due_on, Some(d("2025-10-30")));
        assert_eq!(codes(&s), vec!["consultation_after_deadline"]);
        let events = [
            consult("2025-11-03"),
            ev("2025-11-10", EventKind::ConsultationEnded),
        ];
        let s = state("2025-09-26", &events, "2025-11-10");
        assert_eq!(s.due_on, Some(d("2025-10-30")));
        assert_eq!(s.paused_working_days, 0);
        assert_eq!(days_left(&Calendar::china(), &s, d("2025-11-10")), Some(-7));
    }

    #[test]
    fn a_reply_during_a_consultation_is_flagged() {
        // Consultation from 10-09; reply 10-13 before the third party's 15
        // days: the deadline at closing counts 10-10, 10-11, 10-13 paused.
        let events = [consult("2025-10-09"), replied("2025-10-13")];
        let s = state("2025-09-26", &events, "2025-10-13");
        assert_eq!(codes(&s), vec!["consultation_open"]);
        assert_eq!(s.due_on, Some(d("2025-11-04")));
        assert_eq!(s.paused_working_days, 3);
        assert_eq!(s.stage, Stage::Closed);
    }

    #[test]
    fn the_fee_period_from_the_notice_to_payment_is_not_counted() {
        // 109号第七条. Received Monday 11-03: due 12-01. Fee notice Monday
        // 11-10, paid Monday 11-17: 11-10 .. 11-14 and 11-17, 6 working days.
        let paid = [
            fee_notice("2025-11-10"),
            ev("2025-11-17", EventKind::FeePaid { amount_yuan: 1700 }),
        ];
        let s = state("2025-11-03", &paid[..1], "2025-11-12");
        assert_eq!(s.stage, Stage::AwaitingPayment);
        assert_eq!(s.due_on, None);
        // The applicant has 20 working days from the day after the notice:
        // 11-11 .. 11-14 (4), 11-17 .. 12-05 (19), 12-08 (20).
        assert_eq!(s.pay_due, Some(d("2025-12-08")));
        let s = state("2025-11-03", &paid, "2025-11-17");
        assert_eq!(s.paused_working_days, 6);
        // 12-01 + 6: 12-02 .. 12-05, 12-08, 12-09.
        assert_eq!(s.due_on, Some(d("2025-12-09")));
        assert!(s.warnings.is_empty());

        // A notice on the day of receipt: that day was never counted, so
        // only the days after it are paused (11-04).
        let same_day = [
            fee_notice("2025-11-03"),
            ev("2025-11-04", EventKind::FeePaid { amount_yuan: 1700 }),
        ];
        let s = state("2025-11-03", &same_day, "2025-11-04");
        assert_eq!(s.paused_working_days, 1);
        assert_eq!(s.due_on, Some(d("2025-12-02")));

        // A notice sent on a Saturday pauses from the Monday.
        let weekend = [
            fee_notice("2025-11-08"),
            ev("2025-11-10", EventKind::FeePaid { amount_yuan: 1700 }),
        ];
        let s = state("2025-11-03", &weekend, "2025-11-10");
        assert_eq!(s.paused_working_days, 1);
    }

    #[test]
    fn a_fee_not_paid_lapses() {
        let cal = Calendar::china();
        let events = [fee_notice("2025-11-10")];
        let s = state("2025-11-03", &events, "2025-12-08");
        assert_eq!(s.lapse, None);
        let s = state("2025-11-03", &events, "2025-12-09");
        assert_eq!(s.lapse, Some((d("2025-12-09"), Outcome::FEE_UNPAID)));
        let lapsed = ev(
            "2025-12-09",
            EventKind::Lapsed {
                outcome: Outcome::FEE_UNPAID,
            },
        );
        let s = append(&cal, d("2025-11-03"), &events, &lapsed, d("2025-12-09")).unwrap();
        assert_eq!(s.closed, Some((d("2025-12-09"), Outcome::FEE_UNPAID)));
        assert_eq!(s.lapse, None);
        let early = ev(
            "2025-12-08",
            EventKind::Lapsed {
                outcome: Outcome::FEE_UNPAID,
            },
        );
        assert!(append(&cal, d("2025-11-03"), &events, &early, d("2025-12-08")).is_err());
        // Paid late: accepted with a warning.
        let late = [
            fee_notice("2025-11-10"),
            ev("2025-12-09", EventKind::FeePaid { amount_yuan: 1700 }),
        ];
        let s = state("2025-11-03", &late, "2025-12-09");
        assert_eq!(codes(&s), vec!["fee_paid_late"]);
    }

    #[test]
    fn fee_amounts_are_checked() {
        let above = ev(
            "2025-11-10",
            EventKind::FeeNoticed {
                basis: FeeBasis::ByVolume,
                quantity: 150,
                amount_yuan: 2000,
            },
        );
        let s = state("2025-11-03", &[above], "2025-11-10");
        assert_eq!(codes(&s), vec!["fee_above_standard"]);
        assert_eq!(
            s.warnings[0].message,
            "收费金额2000元高于按量计收（150页）的标准1700元"
        );
        let negative = ev(
            "2025-11-10",
            EventKind::FeeNoticed {
                basis: FeeBasis::ByCount,
                quantity: 12,
                amount_yuan: -100,
            },
        );
        assert!(run("2025-11-03", &[negative], "2025-11-10").is_err());
    }

    #[test]
    fn a_notice_for_no_fee_is_refused_and_an_underpayment_warned() {
        // The 10th application of the month is free: no notice, no lapse.
        let free = ev(
            "2025-11-10",
            EventKind::FeeNoticed {
                basis: FeeBasis::ByCount,
                quantity: 10,
                amount_yuan: 0,
            },
        );
        let e = append(
            &Calendar::china(),
            d("2025-11-03"),
            &[],
            &free,
            d("2025-11-10"),
        )
        .unwrap_err();
        assert!(e.message.contains("不收费"), "{}", e.message);
        assert!(e.message.contains("第10件"), "{}", e.message);
        // One already recorded pauses nothing and never lapses.
        let s = state("2025-11-03", std::slice::from_ref(&free), "2026-03-01");
        assert_eq!(s.lapse, None);
        assert_eq!(s.due_on, Some(d("2025-12-01")));
        assert!(codes(&s).contains(&"fee_zero"), "{:?}", codes(&s));

        let paid_less = [
            fee_notice("2025-11-10"),
            ev("2025-11-17", EventKind::FeePaid { amount_yuan: 1000 }),
        ];
        let s = state("2025-11-03", &paid_less, "2025-11-17");
        assert_eq!(codes(&s), vec!["fee_underpaid"]);
        assert_eq!(s.warnings[0].message, "缴费1000元，少于收费通知的1700元");
    }

    fn try_append(
        received: &str,
        events: &[Event],
        next: Event,
        as_of: &str,
    ) -> Result<CaseState, ClockError> {
        append(&Calendar::china(), d(received), events, &next, d(as_of))
    }

    #[test]
    fn a_late_correction_is_refused_before_and_after_the_sweep() {
        // Correction asked 12-03 by 12-17; it arrives 12-19.
        let asked = [correction("2025-12-03", "2025-12-17")];
        let late = ev("2025-12-19", EventKind::CorrectionReceived);
        let before_sweep =
            try_append("2025-12-01", &asked, late.clone(), "2025-12-19").unwrap_err();
        assert!(
            before_sweep.message.contains("视为放弃申请"),
            "{}",
            before_sweep.message
        );
        // After the sweep recorded the lapse: refused too.
        let lapsed = [
            asked[0].clone(),
            ev(
                "2025-12-18",
                EventKind::Lapsed {
                    outcome: Outcome::NO_CORRECTION,
                },
            ),
        ];
        assert!(try_append("2025-12-01", &lapsed, late, "2025-12-19").is_err());
        // So is any reply but the lapse, and a correction in time is taken.
        let reply = replied("2025-12-19");
        assert!(try_append("2025-12-01", &asked, reply, "2025-12-19").is_err());
        let in_time = ev("2025-12-17", EventKind::CorrectionReceived);
        assert!(try_append("2025-12-01", &asked, in_time, "2025-12-17").is_ok());
        // A stored timeline with a late correction still loads (with its warning).
        let stored = [
            asked[0].clone(),
            ev("2025-12-19", EventKind::CorrectionReceived),
        ];
        assert_eq!(
            codes(&state("2025-12-01", &stored, "2025-12-19")),
            vec!["correction_late"]
        );
    }

    #[test]
    fn doubtful_closings_and_extensions_are_refused() {
        let no_correction = |on: &str| {
            ev(
                on,
                EventKind::Replied {
                    outcome: Outcome::NO_CORRECTION,
                    responsible: None,
                },
            )
        };
        // 逾期不补正 with no correction notice at all.
        let e =
            try_append("2025-12-01", &[], no_correction("2025-12-10"), "2025-12-10").unwrap_err();
        assert!(e.message.contains("没有发出补正告知"), "{}", e.message);
        // … before the correction period ran out.
        let asked = [correction("2025-12-03", "2025-12-17")];
        assert!(try_append(
            "2025-12-01",
            &asked,
            no_correction("2025-12-10"),
            "2025-12-10"
        )
        .is_err());
        assert!(try_append(
            "2025-12-01",
            &asked,
            no_correction("2025-12-18"),
            "2025-12-18"
        )
        .is_ok());
        // 逾期未缴纳费用 without a fee notice.
        let unpaid = ev(
            "2025-12-10",
            EventKind::Replied {
                outcome: Outcome::FEE_UNPAID,
                responsible: None,
            },
        );
        assert!(try_append("2025-12-01", &[], unpaid, "2025-12-10").is_err());
        // An extension told to the applicant before it was approved.
        let e = try_append(
            "2025-12-01",
            &[],
            extended("2025-12-20", 10, "2025-12-19"),
            "2025-12-20",
        )
        .unwrap_err();
        assert!(e.message.contains("早于批准延期的日期"), "{}", e.message);
    }

    /// The choices docs/ledger.md documents, each pinned on real dates.
    #[test]
    fn the_documented_choices_hold() {
        let docs = include_str!("../../../docs/ledger.md");
        // Receipt on Saturday 11-08: counted from Monday 11-10, due 12-05.
        assert!(docs.contains("received Saturday 2025-11-08"));
        let s = state("2025-11-08", &[], "2025-11-08");
        assert_eq!(s.due_on, Some(d("2025-12-05")));
        assert_eq!(
            state("2025-11-10", &[], "2025-11-10").due_on,
            Some(d("2025-12-08"))
        );
        // A consultation pauses start < d <= end: sent Monday 11-10, answered
        // Wednesday 11-12 pauses 11-11 and 11-12.
        assert!(docs.contains("start < d ≤ end"));
        let s = state(
            "2025-11-03",
            &[
                consult("2025-11-10"),
                ev("2025-11-12", EventKind::ConsultationEnded),
            ],
            "2025-11-12",
        );
        assert_eq!(s.paused_working_days, 2);
        // The third party's 15 days from the day the request is sent.
        assert!(docs.contains("counted from the day the request is sent"));
        let s = state("2025-11-03", &[consult("2025-11-10")], "2025-11-10");
        assert_eq!(s.consultation_answer_due, Some(d("2025-12-01")));
        assert!(docs.contains("consultation_after_deadline"));
    }

    #[test]
    fn events_out_of_order_are_refused() {
        let e = run(
            "2025-09-26",
            &[
                correction("2025-10-09", "2025-10-20"),
                ev("2025-10-05", EventKind::CorrectionReceived),
            ],
            "2025-10-10",
        )
        .unwrap_err();
        assert_eq!(e.event, 1);
        assert_eq!(
            e.message,
            "收到补正的日期2025-10-05早于上一个事件的日期2025-10-09，事件须按日期先后登记"
        );
        assert_eq!(
            e.to_string(),
            "第2个事件：收到补正的日期2025-10-05早于上一个事件的日期2025-10-09，事件须按日期先后登记"
        );
        let e = run("2025-09-26", &[replied("2025-09-25")], "2025-10-10").unwrap_err();
        assert_eq!(e.event, 0);
        assert!(e.message.contains("早于收到申请之日2025-09-26"), "{e}");
        // The same day is fine: asked and corrected on the day of receipt.
        let s = state(
            "2025-09-26",
            &[
                correction("2025-09-26", "2025-09-26"),
                ev("2025-09-26", EventKind::CorrectionReceived),
            ],
            "2025-09-26",
        );
        assert_eq!(s.due_on, Some(d("2025-10-30")));
    }

    #[test]
    fn nothing_follows_a_closing_event() {
        let e = run(
            "2025-09-26",
            &[replied("2025-10-10"), consult("2025-10-11")],
            "2025-10-11",
        )
        .unwrap_err();
        assert_eq!(e.event, 1);
        assert!(e.message.starts_with("本案已于2025-10-10办结"), "{e}");
        let withdrawn = ev("2025-10-09", EventKind::Withdrawn);
        let e = run(
            "2025-09-26",
            &[withdrawn.clone(), replied("2025-10-10")],
            "2025-10-11",
        )
        .unwrap_err();
        assert_eq!(e.event, 1);
        let s = state("2025-09-26", &[withdrawn], "2025-10-11");
        assert_eq!(s.closed, Some((d("2025-10-09"), Outcome::OTHER)));
    }

    #[test]
    fn ends_without_beginnings_are_refused() {
        let cases = [
            (
                ev("2025-10-09", EventKind::CorrectionReceived),
                "没有等待中的补正告知",
            ),
            (
                ev("2025-10-09", EventKind::ConsultationEnded),
                "没有进行中的征求意见",
            ),
            (
                ev("2025-10-09", EventKind::FeePaid { amount_yuan: 100 }),
                "没有待缴费的收费通知",
            ),
        ];
        for (event, words) in cases {
            let e = run("2025-09-26", &[event], "2025-10-09").unwrap_err();
            assert_eq!(e.event, 0);
            assert!(e.message.contains(words), "{e}");
        }
        // Two pauses at once.
        let e = run(
            "2025-09-26",
            &[
                correction("2025-09-30", "2025-10-20"),
                consult("2025-10-09"),
            ],
            "2025-10-09",
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "正在等待补正（补正期限2025-10-20），不能登记征求意见"
        );
        // A correction period that ends before the notice.
        let e = run(
            "2025-09-26",
            &[correction("2025-09-30", "2025-09-29")],
            "2025-10-09",
        )
        .unwrap_err();
        assert!(e.message.contains("早于补正告知日"), "{e}");
        // A second correction request after the first was answered: warned.
        let s = state(
            "2025-09-26",
            &[
                correction("2025-09-30", "2025-10-20"),
                ev("2025-10-09", EventKind::CorrectionReceived),
                correction("2025-10-10", "2025-10-24"),
            ],
            "2025-10-10",
        );
        assert_eq!(codes(&s), vec!["correction_repeated"]);
    }

    #[test]
    fn a_deadline_in_a_year_not_covered_is_provisional() {
        // From Thursday 2026-12-10, weekends only in 2027: 2027-01-07.
        let s = state("2026-12-10", &[], "2026-12-10");
        assert_eq!(s.due_on, Some(d("2027-01-07")));
        assert!(s.provisional);
        assert_eq!(codes(&s), vec!["calendar_not_covered"]);
        assert!(
            s.warnings[0].message.contains("2027年"),
            "{}",
            s.warnings[0].message
        );
        let s = state("2026-06-01", &[], "2026-06-01");
        assert!(!s.provisional);
        // Loading 2027 settles it: 2027-01-01 and 01-06 off gives 01-11.
        let mut cal = Calendar::china();
        cal.extend(
            &Calendar::parse("[[year]]\nyear = 2027\noff = [\"01-01..01-03\", \"01-06\"]\n")
                .unwrap(),
        );
        let s = evaluate(&cal, d("2026-12-10"), &[], d("2026-12-10")).unwrap();
        assert_eq!(s.due_on, Some(d("2027-01-11")));
        assert!(!s.provisional);
        assert!(s.warnings.is_empty());
    }

    #[test]
    fn append_checks_like_evaluate_and_refuses_the_future() {
        let cal = Calendar::china();
        let events = [consult("2025-10-09")];
        let next = ev("2025-10-13", EventKind::ConsultationEnded);
        let appended = append(&cal, d("2025-09-26"), &events, &next, d("2025-10-13")).unwrap();
        let all = [events[0].clone(), next.clone()];
        assert_eq!(
            appended,
            evaluate(&cal, d("2025-09-26"), &all, d("2025-10-13")).unwrap()
        );
        let e = append(&cal, d("2025-09-26"), &events, &next, d("2025-10-10")).unwrap_err();
        assert_eq!(e.event, 1);
        assert!(e.message.contains("晚于今天"), "{e}");
        // A bad earlier event is reported with its own index.
        let bad = [ev("2025-10-09", EventKind::ConsultationEnded)];
        let e = append(
            &cal,
            d("2025-09-26"),
            &bad,
            &replied("2025-10-10"),
            d("2025-10-10"),
        )
        .unwrap_err();
        assert_eq!(e.event, 0);
    }

    #[test]
    fn stage_labels() {
        let labels: Vec<_> = [
            Stage::Open,
            Stage::AwaitingCorrection,
            Stage::Consulting,
            Stage::AwaitingPayment,
            Stage::Closed,
        ]
        .iter()
        .map(|s| s.label())
        .collect();
        assert_eq!(
            labels,
            vec!["办理中", "等待补正", "征求意见中", "等待缴费", "已办结"]
        );
        assert_eq!(
            serde_json::to_string(&Stage::AwaitingPayment).unwrap(),
            "\"awaiting_payment\""
        );
    }
}
