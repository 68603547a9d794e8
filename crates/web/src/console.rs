//! The staff console: the to-do dashboard, the case list, the case page with
//! every action of the ledger as a form, approvals, the annual report, users
//! and the audit log. Every page runs under the signed-in user's scope.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use gongkai_casework::fees;
use gongkai_casework::model::{
    ApplicantKind, Channel, Event, EventKind, FeeBasis, NewApplication, Outcome, Responsible,
};
use gongkai_store::{Agency, CaseQuery, CaseRow, Role};

use crate::auth::{random_token, token_hash, Staff};
use crate::error::AppError;
use crate::pages::render;
use crate::portal::parse_id;
use crate::Shared;

/// Stage keys and their labels.
pub const STAGES: [(&str, &str); 6] = [
    ("not_closed", "未办结（全部）"),
    ("open", "办理中"),
    ("awaiting_correction", "等待补正"),
    ("consulting", "征求意见中"),
    ("awaiting_payment", "等待缴费"),
    ("closed", "已办结"),
];

pub fn stage_label(key: &str) -> &str {
    STAGES
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, l)| *l)
        .unwrap_or(key)
}

/// A case row as the pages show it.
#[derive(Debug, Serialize)]
pub struct CaseView {
    pub agency: String,
    pub agency_id: i64,
    pub number: String,
    pub applicant_kind: String,
    pub applicant_name: String,
    pub channel: String,
    pub received_on: String,
    pub request: String,
    pub stage: String,
    pub stage_key: String,
    pub due_on: Option<String>,
    pub days_left: Option<i64>,
    pub closed_on: Option<String>,
    pub outcome: Option<String>,
}

fn kind_label(key: &str) -> String {
    ApplicantKind::ALL
        .iter()
        .find(|k| k.column_key() == key)
        .map(|k| k.label().to_string())
        .unwrap_or_else(|| key.to_string())
}

fn channel_label(key: &str) -> String {
    Channel::ALL
        .iter()
        .find(|c| c.key() == key)
        .map(|c| c.label().to_string())
        .unwrap_or_else(|| key.to_string())
}

async fn views(state: &Shared, rows: Vec<CaseRow>) -> Result<Vec<CaseView>, AppError> {
    let mut names: Vec<String> = rows.iter().map(|r| r.agency.clone()).collect();
    names.sort_unstable();
    names.dedup();
    let agencies = state.store.agencies_named(&names).await?;
    let today = state.today();
    Ok(rows
        .into_iter()
        .map(|r| {
            let agency_id = agencies
                .iter()
                .find(|a| a.name == r.agency)
                .map(|a| a.id)
                .unwrap_or(0);
            let days_left = match (&r.due_on, r.stage.as_str()) {
                (Some(d), stage) if stage != "closed" => NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .ok()
                    .map(|d| state.store.calendar().signed_working_days(today, d)),
                _ => None,
            };
            CaseView {
                agency_id,
                number: r.number,
                applicant_kind: kind_label(&r.applicant_kind),
                applicant_name: r.applicant_name,
                channel: channel_label(&r.channel),
                received_on: r.received_on,
                request: r.request,
                stage: stage_label(&r.stage).to_string(),
                stage_key: r.stage,
                due_on: r.due_on,
                days_left,
                closed_on: r.closed_on,
                outcome: r
                    .outcome
                    .as_deref()
                    .and_then(Outcome::parse)
                    .map(|o| o.label()),
                agency: r.agency,
            }
        })
        .collect())
}

/// The agencies of the user's scope.
pub(crate) async fn scoped_agencies(
    state: &Shared,
    staff: &Staff,
) -> Result<Vec<Agency>, AppError> {
    Ok(state.store.agencies_in(&staff.scope).await?)
}

pub async fn dashboard(State(state): State<Shared>, staff: Staff) -> Result<Response, AppError> {
    let today = state.today();
    let todo = state.store.todo(&staff.scope, today, 5).await?;
    let soon = state
        .store
        .case_page(
            &staff.scope,
            &CaseQuery {
                stage: Some("not_closed".into()),
                sort: Some("due".into()),
                page: 1,
                per_page: 15,
                ..Default::default()
            },
        )
        .await?;
    let approvals = state.store.approvals(&staff.scope, None, true).await?;
    let agencies = scoped_agencies(&state, &staff).await?;
    let approvals: Vec<_> = approvals
        .into_iter()
        .map(|a| {
            let id = agencies.iter().find(|x| x.name == a.agency).map(|x| x.id);
            ctx! { approval => a, agency_id => id }
        })
        .collect();
    // The own agency's proactive disclosure, for its staff.
    let items = match staff
        .user
        .agency
        .as_ref()
        .filter(|_| staff.user.role != Role::Supervisor)
    {
        Some(own) => {
            let t = state.store.item_todo(&staff.scope, own, today).await?;
            let mine = match staff.user.role.disclosure_actor() {
                Some(gongkai_casework::disclosure::Actor::Drafter) => t.returned + t.drafts,
                Some(gongkai_casework::disclosure::Actor::Reviewer) => t.review,
                Some(gongkai_casework::disclosure::Actor::Secrecy) => t.secrecy,
                Some(gongkai_casework::disclosure::Actor::Signer) => t.sign + t.requests,
                None => 0,
            };
            Some(ctx! { todo => t, mine => mine })
        }
        None => None,
    };
    Ok(render(
        "dashboard.html",
        ctx! {
            staff => staff.view(),
            items => items,
            today => today.to_string(),
            todo => todo,
            soon => views(&state, soon.rows).await?,
            approvals => approvals,
            agencies => agencies,
        },
    )?
    .into_response())
}

/// The case list's query string.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct ListParams {
    #[serde(default)]
    agency: String,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    page: String,
}

impl ListParams {
    pub fn to_query(&self, per_page: i64) -> Result<CaseQuery, AppError> {
        let date = |s: &str, what: &str| -> Result<Option<NaiveDate>, AppError> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| {
                    AppError::Invalid(format!("{what}“{s}”不是日期（应为 2025-03-04 的形式）"))
                })
        };
        let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        Ok(CaseQuery {
            agency: some(&self.agency),
            stage: some(&self.stage),
            channel: some(&self.channel),
            applicant_kind: some(&self.kind),
            outcome: some(&self.outcome),
            from: date(&self.from, "开始日期")?,
            to: date(&self.to, "结束日期")?,
            text: some(&self.q),
            sort: some(&self.sort),
            page: self.page.trim().parse().unwrap_or(1),
            per_page,
        })
    }

    /// The query string of this list at another page or order.
    fn link(&self, page: i64, sort: Option<&str>) -> String {
        let mut p = vec![];
        let mut push = |k: &str, v: &str| {
            if !v.trim().is_empty() {
                p.push(format!("{k}={}", encode(v.trim())));
            }
        };
        push("agency", &self.agency);
        push("stage", &self.stage);
        push("channel", &self.channel);
        push("kind", &self.kind);
        push("outcome", &self.outcome);
        push("from", &self.from);
        push("to", &self.to);
        push("q", &self.q);
        push("sort", sort.unwrap_or(&self.sort));
        if page > 1 {
            push("page", &page.to_string());
        }
        p.join("&")
    }
}

/// Percent-encodes a query value.
pub fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn outcome_options() -> Vec<(&'static str, String)> {
    Outcome::all().map(|o| (o.key(), o.label())).collect()
}

pub async fn cases(
    State(state): State<Shared>,
    staff: Staff,
    Query(p): Query<ListParams>,
) -> Result<Response, AppError> {
    let q = p.to_query(50)?;
    let page = state.store.case_page(&staff.scope, &q).await?;
    let sorts: Vec<(String, String, String)> = [
        ("-received", "收到日期（新→旧）"),
        ("received", "收到日期（旧→新）"),
        ("due", "答复期限（近→远）"),
        ("number", "编号"),
        ("-closed", "办结日期（新→旧）"),
    ]
    .iter()
    .map(|(k, l)| (k.to_string(), l.to_string(), p.link(1, Some(k))))
    .collect();
    Ok(render(
        "cases.html",
        ctx! {
            staff => staff.view(),
            params => &p,
            rows => views(&state, page.rows).await?,
            total => page.total,
            page => page.page,
            pages => page.pages,
            prev => (page.page > 1).then(|| p.link(page.page - 1, None)),
            next => (page.page < page.pages).then(|| p.link(page.page + 1, None)),
            export => p.link(1, None),
            sorts => sorts,
            stages => STAGES,
            channels => Channel::ALL.iter().map(|c| (c.key(), c.label())).collect::<Vec<_>>(),
            kinds => crate::portal::kinds(),
            outcomes => outcome_options(),
            agencies => scoped_agencies(&state, &staff).await?,
        },
    )?
    .into_response())
}

/// The headings of the case list's exports.
const EXPORT_HEADINGS: [&str; 11] = [
    "机关",
    "编号",
    "申请人类型",
    "申请人",
    "申请方式",
    "收到日期",
    "申请内容",
    "状态",
    "答复期限",
    "办结日期",
    "办理结果",
];

/// Every case the filters select (not only one page), as export rows.
async fn export_rows(
    state: &Shared,
    staff: &Staff,
    p: &ListParams,
) -> Result<Vec<Vec<String>>, AppError> {
    let mut q = p.to_query(500)?;
    let mut rows = Vec::new();
    let mut page = 1;
    loop {
        q.page = page;
        let got = state.store.case_page(&staff.scope, &q).await?;
        for r in views(state, got.rows).await? {
            rows.push(vec![
                r.agency,
                r.number,
                r.applicant_kind,
                r.applicant_name,
                r.channel,
                r.received_on,
                r.request,
                r.stage,
                r.due_on.unwrap_or_default(),
                r.closed_on.unwrap_or_default(),
                r.outcome.unwrap_or_default(),
            ]);
        }
        if got.page >= got.pages || page >= 2000 {
            break;
        }
        page += 1;
    }
    Ok(rows)
}

/// The case list as an Excel workbook.
pub async fn cases_xlsx(
    State(state): State<Shared>,
    staff: Staff,
    Query(p): Query<ListParams>,
) -> Result<Response, AppError> {
    let rows = export_rows(&state, &staff, &p).await?;
    let bytes = gongkai_write::xlsx::write_table("申请台账", &EXPORT_HEADINGS, &rows)
        .map_err(AppError::Invalid)?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "申请台账",
        "xlsx",
    ))
}

/// The case list as CSV (UTF-8 with a byte-order mark, so Excel opens it
/// in Chinese).
pub async fn cases_csv(
    State(state): State<Shared>,
    staff: Staff,
    Query(p): Query<ListParams>,
) -> Result<Response, AppError> {
    let mut out = String::from("\u{feff}");
    out.push_str(&EXPORT_HEADINGS.join(","));
    out.push_str("\r\n");
    for row in export_rows(&state, &staff, &p).await? {
        let line: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    Ok(download(
        out.into_bytes(),
        "text/csv; charset=utf-8",
        "申请台账",
        "csv",
    ))
}

/// A CSV field: quoted when needed; a leading =, +, - or @ is prefixed with
/// an apostrophe so a spreadsheet does not run it as a formula.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The registration form for applications on paper, by letter, fax or e-mail.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct NewCaseForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    received_on: String,
    #[serde(default)]
    source_number: String,
    #[serde(flatten)]
    applicant: crate::portal::ApplyForm,
}

async fn new_case_page(
    state: &Shared,
    staff: &Staff,
    form: &NewCaseForm,
    errors: &BTreeMap<&'static str, String>,
) -> Result<axum::response::Html<String>, AppError> {
    render(
        "new_case.html",
        ctx! {
            staff => staff.view(),
            form => form,
            errors => errors,
            agencies => scoped_agencies(state, staff).await?,
            channels => Channel::ALL.iter().map(|c| (c.key(), c.label(), c.receipt_rule())).collect::<Vec<_>>(),
            kinds => crate::portal::kinds(),
            forms => crate::portal::FORMS,
            deliveries => crate::portal::DELIVERY,
        },
    )
}

pub async fn new_case_form(
    State(state): State<Shared>,
    staff: Staff,
) -> Result<Response, AppError> {
    staff.must_handle()?;
    let form = NewCaseForm {
        agency: staff.user.agency.clone().unwrap_or_default(),
        channel: "in_person".into(),
        received_on: state.today().to_string(),
        applicant: crate::portal::ApplyForm {
            kind: "natural_person".into(),
            form_key: random_token()?,
            ..Default::default()
        },
        ..Default::default()
    };
    Ok(new_case_page(&state, &staff, &form, &BTreeMap::new())
        .await?
        .into_response())
}

pub async fn new_case(
    State(state): State<Shared>,
    staff: Staff,
    Form(f): Form<NewCaseForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&f.csrf)?;
    staff.must_handle()?;
    let today = state.today();
    let agency = f.agency.trim().to_string();
    staff.scope.check(&agency, "机关")?;
    let agency = state.store.agency_by_name(&agency).await?;
    let channel = Channel::ALL.iter().copied().find(|c| c.key() == f.channel);
    let received = NaiveDate::parse_from_str(f.received_on.trim(), "%Y-%m-%d").ok();
    let mut errors = BTreeMap::new();
    let mut new = match f.applicant.validate(received.unwrap_or(today)) {
        Ok(n) => Some(n),
        Err(e) => {
            errors = e;
            None
        }
    };
    if channel.is_none() {
        errors.insert("channel", "请选择申请方式".into());
    }
    match received {
        None => {
            errors.insert(
                "received_on",
                "请填写收到申请的日期（如 2025-03-04）".into(),
            );
        }
        Some(d) if d > today => {
            errors.insert("received_on", format!("收到日期不能晚于今天（{today}）"));
        }
        Some(d) if d < NewApplication::EARLIEST => {
            errors.insert(
                "received_on",
                "收到日期早于《政府信息公开条例》施行之日（2008-05-01）".into(),
            );
        }
        _ => {}
    }
    if f.source_number.chars().count() > 64 {
        errors.insert("source_number", "不能超过64个字".into());
    }
    if !errors.is_empty() {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            new_case_page(&state, &staff, &f, &errors).await?,
        )
            .into_response());
    }
    let Some(new) = new.as_mut() else {
        return Err(AppError::Internal("表单校验".into()));
    };
    new.channel = channel.unwrap_or(Channel::Other);
    let source = f.source_number.trim();
    new.number = (!source.is_empty()).then(|| source.to_string());
    let number = state
        .store
        .add_application(&staff.actor(), &agency.name, new, today)
        .await?;
    Ok(Redirect::to(&format!("/console/case/{}/{}", agency.id, encode(&number))).into_response())
}

/// The case page.
pub async fn case(
    State(state): State<Shared>,
    staff: Staff,
    Path((id, number)): Path<(String, String)>,
) -> Result<Response, AppError> {
    case_page(
        &state,
        &staff,
        &id,
        &number,
        None,
        &ActionForm::default(),
        StatusCode::OK,
    )
    .await
}

async fn case_page(
    state: &Shared,
    staff: &Staff,
    id: &str,
    number: &str,
    error: Option<String>,
    form: &ActionForm,
    status: StatusCode,
) -> Result<Response, AppError> {
    let agency = state.store.agency_by_id(parse_id(id)?).await?;
    // The scope first: another agency's case is "not found", like a missing one.
    let row = state
        .store
        .case_row(&staff.scope, &agency.name, number)
        .await?;
    let today = state.today();
    let a = state.store.application(&agency.name, number).await?;
    let s = state.store.case_state(&agency.name, number, today).await?;
    let explanation = crate::deadline::explain(&state.store.calendar(), &a, &s);
    let approvals = state
        .store
        .approvals(&staff.scope, Some((&agency.name, number)), false)
        .await?;
    let timeline: Vec<_> = a
        .events
        .iter()
        .map(|e| ctx! { on => e.on.to_string(), what => event_text(e), actor => e.actor, note => e.note })
        .collect();
    let days_left = s
        .due_on
        .filter(|_| s.closed.is_none())
        .map(|d| state.store.calendar().signed_working_days(today, d));
    let nth = state
        .store
        .nth_in_month(&agency.name, number)
        .await
        .unwrap_or(1);
    let reply_reason = reply_note(&a);
    let preview = if form.action == "preview" {
        form.preview.clone()
    } else {
        None
    };
    let extended = s.extension_days > 0;
    let pending_extension = approvals
        .iter()
        .any(|x| x.kind == "extension" && x.status == "pending");
    let page = render(
        "case.html",
        ctx! {
            staff => staff.view(),
            agency => agency,
            number => number,
            case => views(state, vec![row]).await?.pop(),
            applicant => a.applicant,
            applicant_kind => a.applicant.kind.label(),
            channel => a.channel.label(),
            received_on => a.received_on.to_string(),
            request => a.request,
            form_wanted => a.form,
            timeline => timeline,
            stage => s.stage.label(),
            stage_key => format!("{:?}", s.stage),
            closed => s.closed.map(|(d, o)| ctx! { on => d.to_string(), outcome => o.label() }),
            due_on => s.due_on.map(|d| d.to_string()),
            days_left => days_left,
            correction_notice_due => s.correction_notice_due.to_string(),
            correction_due => s.correction_due.map(|d| d.to_string()),
            pay_due => s.pay_due.map(|d| d.to_string()),
            warnings => s.warnings.iter().map(|w| w.message.clone()).collect::<Vec<_>>(),
            explanation => explanation,
            approvals => approvals,
            pending_extension => pending_extension,
            extended => extended,
            outcomes => outcome_options(),
            today => today.to_string(),
            error => error,
            form => form,
            preview => preview,
            fee_by_count => fees::quote(FeeBasis::ByCount, nth).explain(),
            nth_in_month => nth,
            reply_reason => reply_reason,
        },
    )?;
    Ok((status, page).into_response())
}

/// The clerk's wording of the reply (the reason the letter gives), once
/// the case has been answered.
pub fn reply_note(a: &gongkai_casework::model::Application) -> Option<String> {
    a.events
        .iter()
        .rev()
        .find(|e| matches!(e.kind, EventKind::Replied { .. }))
        .map(|e| e.note.clone())
}

/// One event in words.
pub fn event_text(e: &Event) -> String {
    match &e.kind {
        EventKind::CorrectionRequested { until } => format!("补正告知（补正期限{until}）"),
        EventKind::ConsultationStarted { party } if !party.is_empty() => {
            format!("征求意见（{party}）")
        }
        EventKind::Extended {
            days,
            approver,
            applicant_notified_on,
        } => {
            format!("延期答复{days}个工作日（批准人{approver}，{applicant_notified_on}告知申请人）")
        }
        EventKind::FeeNoticed {
            basis,
            quantity,
            amount_yuan,
        } => format!(
            "收费通知（{}，数量{quantity}，{amount_yuan}元）",
            basis.label()
        ),
        EventKind::FeePaid { amount_yuan } => format!("缴费{amount_yuan}元"),
        EventKind::Replied {
            outcome,
            responsible: Some(r),
        } => format!(
            "答复：{}（由{}负责公开{}）",
            outcome.label(),
            if r.agency.is_empty() {
                "其他机关"
            } else {
                &r.agency
            },
            if r.contact.is_empty() {
                String::new()
            } else {
                format!("，联系方式{}", r.contact)
            }
        ),
        EventKind::Replied { outcome, .. } | EventKind::Lapsed { outcome } => {
            format!("{}：{}", e.kind.label(), outcome.label())
        }
        other => other.label().to_string(),
    }
}

/// Every action of the case page.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct ActionForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    party: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    notify_on: String,
    #[serde(default)]
    basis: String,
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    elsewhere: String,
    #[serde(default)]
    responsible_agency: String,
    #[serde(default)]
    responsible_contact: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
    /// The letter previewed before a reply is recorded.
    #[serde(default)]
    pub preview: Option<String>,
}

fn date_field(s: &str, what: &str, default: NaiveDate) -> Result<NaiveDate, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(default);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("{what}“{s}”不是日期（应为 2025-03-04 的形式）"))
}

fn number_field(s: &str, what: &str) -> Result<i64, String> {
    s.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n >= 0 && *n <= 100_000_000)
        .ok_or_else(|| format!("{what}应为不小于0的整数"))
}

impl ActionForm {
    /// The event this form records, or what is wrong with it.
    pub fn to_event(&self, actor: &str, today: NaiveDate) -> Result<Event, String> {
        let on = date_field(&self.on, "日期", today)?;
        if on > today {
            return Err(format!("日期{on}晚于今天（{today}），不能预先登记"));
        }
        let note = self.note.trim().chars().take(500).collect::<String>();
        let kind = match self.action.as_str() {
            "correction_requested" => {
                let until = date_field(&self.until, "补正期限", NaiveDate::MIN)?;
                if until == NaiveDate::MIN {
                    return Err("请填写补正期限".into());
                }
                EventKind::CorrectionRequested { until }
            }
            "correction_received" => EventKind::CorrectionReceived,
            "consultation_started" => EventKind::ConsultationStarted {
                party: self.party.trim().chars().take(100).collect(),
            },
            "consultation_ended" => EventKind::ConsultationEnded,
            "fee_noticed" => {
                let basis = match self.basis.as_str() {
                    "by_count" => FeeBasis::ByCount,
                    "by_volume" => FeeBasis::ByVolume,
                    _ => return Err("请选择计收方式".into()),
                };
                let quantity = number_field(&self.quantity, "数量")? as u32;
                let quote = fees::quote(basis, quantity);
                if quote.amount_yuan == 0 {
                    return Err(format!("{}：不收费，不需要发出收费通知", quote.explain()));
                }
                EventKind::FeeNoticed {
                    basis,
                    quantity,
                    amount_yuan: quote.amount_yuan,
                }
            }
            "fee_paid" => EventKind::FeePaid {
                amount_yuan: number_field(&self.amount, "金额")?,
            },
            "replied" => {
                let outcome = Outcome::parse(&self.outcome)
                    .filter(|o| o.key() == self.outcome)
                    .ok_or("请选择办理结果")?;
                let responsible = (self.elsewhere == "on").then(|| Responsible {
                    agency: self.responsible_agency.trim().chars().take(100).collect(),
                    contact: self.responsible_contact.trim().chars().take(200).collect(),
                });
                if responsible.is_some() && outcome != Outcome::NOT_HELD {
                    return Err(
                        "由其他机关负责公开的，办理结果应为“本机关不掌握相关政府信息”".into(),
                    );
                }
                EventKind::Replied {
                    outcome,
                    responsible,
                }
            }
            "withdrawn" => EventKind::Withdrawn,
            _ => return Err("无法识别的操作".into()),
        };
        let note = if self.action == "replied" {
            self.reason.trim().chars().take(2000).collect()
        } else {
            note
        };
        Ok(Event {
            on,
            kind,
            actor: actor.to_string(),
            note,
        })
    }
}

pub async fn case_action(
    State(state): State<Shared>,
    staff: Staff,
    Path((id, number)): Path<(String, String)>,
    Form(f): Form<ActionForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&f.csrf)?;
    let agency = state.store.agency_by_id(parse_id(&id)?).await?;
    state
        .store
        .case_row(&staff.scope, &agency.name, &number)
        .await?;
    staff.must_handle()?;
    match act(&state, &staff, &agency, &number, &f).await? {
        Ok(None) => Ok(
            Redirect::to(&format!("/console/case/{}/{}", agency.id, encode(&number)))
                .into_response(),
        ),
        Ok(Some(shown)) => {
            case_page(&state, &staff, &id, &number, None, &shown, StatusCode::OK).await
        }
        Err(why) => {
            case_page(
                &state,
                &staff,
                &id,
                &number,
                Some(why),
                &f,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// Does what the case form asks: `Ok(None)` when recorded, `Ok(Some(form))`
/// with a letter to preview, `Err(why)` when refused (shown on the page, with
/// the form as typed).
async fn act(
    state: &Shared,
    staff: &Staff,
    agency: &Agency,
    number: &str,
    f: &ActionForm,
) -> Result<Result<Option<ActionForm>, String>, AppError> {
    let today = state.today();
    let refusal = |e: gongkai_store::StoreError| match e {
        gongkai_store::StoreError::Clock(c) => Ok(Err(c.message)),
        gongkai_store::StoreError::Invalid(why) => Ok(Err(why)),
        e => Err(AppError::from(e)),
    };
    match f.action.as_str() {
        "extension" => {
            let days = match number_field(&f.days, "延长的工作日") {
                Ok(d) if (1..=20).contains(&d) => d,
                Ok(_) => return Ok(Err("延长答复的期限最长不超过20个工作日".into())),
                Err(e) => return Ok(Err(e)),
            };
            let notify = match date_field(&f.notify_on, "告知申请人日期", today) {
                Ok(d) => d,
                Err(e) => return Ok(Err(e)),
            };
            let data = serde_json::json!({
                "days": days,
                "notify_on": notify.to_string(),
                "note": f.note.trim().chars().take(500).collect::<String>(),
            });
            match state
                .store
                .request_approval(
                    &staff.scope,
                    &staff.actor(),
                    &agency.name,
                    number,
                    "extension",
                    data,
                )
                .await
            {
                Ok(_) => Ok(Ok(None)),
                Err(e) => refusal(e),
            }
        }
        "preview" => {
            // The letter as it will read, before the reply is recorded.
            let mut as_reply = f.clone();
            as_reply.action = "replied".into();
            let event = match as_reply.to_event(&staff.actor(), today) {
                Ok(e) => e,
                Err(why) => return Ok(Err(why)),
            };
            match preview_letter(state, &agency.name, number, event, today).await {
                Ok(text) => {
                    let mut shown = f.clone();
                    shown.preview = Some(text);
                    Ok(Ok(Some(shown)))
                }
                Err(why) => Ok(Err(why)),
            }
        }
        _ => {
            let event = match f.to_event(&staff.actor(), today) {
                Ok(e) => e,
                Err(why) => return Ok(Err(why)),
            };
            match state
                .store
                .add_event(&agency.name, number, event, today)
                .await
            {
                Ok(_) => Ok(Ok(None)),
                Err(e) => refusal(e),
            }
        }
    }
}

/// The letter a reply would produce, without recording it.
async fn preview_letter(
    state: &Shared,
    agency: &str,
    number: &str,
    event: Event,
    today: NaiveDate,
) -> Result<String, String> {
    let a = state
        .store
        .application(agency, number)
        .await
        .map_err(|e| e.to_string())?;
    let mut events = a.events.clone();
    events.push(event.clone());
    gongkai_casework::clock::evaluate(&state.store.calendar(), a.received_on, &events, today)
        .map_err(|e| e.message)?;
    let EventKind::Replied {
        outcome,
        responsible,
    } = event.kind
    else {
        return Err("只有答复可以预览告知书".into());
    };
    let (review_body, court) = state
        .store
        .agency_remedies(agency)
        .await
        .map_err(|e| e.to_string())?;
    let mut letters = gongkai_casework::letter::Letters::default();
    for (key, body) in state
        .store
        .letter_templates(agency)
        .await
        .map_err(|e| e.to_string())?
    {
        letters
            .with_override(&key, &body)
            .map_err(|e| e.to_string())?;
    }
    letters
        .render(&gongkai_casework::letter::LetterContext {
            agency: agency.to_string(),
            number: number.to_string(),
            applicant_name: a.applicant.name,
            received_on: a.received_on,
            request: a.request,
            outcome,
            replied_on: event.on,
            reason: event.note,
            review_body,
            court,
            responsible,
        })
        .map_err(|e| e.to_string())
}

#[derive(Debug, Default, Deserialize)]
pub struct LetterParams {
    #[serde(default)]
    format: String,
}

pub async fn letter(
    State(state): State<Shared>,
    staff: Staff,
    Path((id, number)): Path<(String, String)>,
    Query(p): Query<LetterParams>,
) -> Result<Response, AppError> {
    let agency = state.store.agency_by_id(parse_id(&id)?).await?;
    state
        .store
        .case_row(&staff.scope, &agency.name, &number)
        .await?;
    let a = state.store.application(&agency.name, &number).await?;
    let reason = reply_note(&a).unwrap_or_default();
    let text = state
        .store
        .reply_letter(&agency.name, &number, &reason, state.today())
        .await?;
    letter_file(&p.format, &agency.name, &number, &text)
}

/// A reply letter as a download: text, Word or PDF.
pub fn letter_file(
    format: &str,
    agency: &str,
    number: &str,
    text: &str,
) -> Result<Response, AppError> {
    let name = format!("{agency}{number}答复告知书");
    let (bytes, mime, ext): (Vec<u8>, &str, &str) = match format {
        "" | "txt" => (text.as_bytes().to_vec(), "text/plain; charset=utf-8", "txt"),
        "docx" => (
            gongkai_write::letter::letter_docx(text),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        "pdf" => {
            let out = gongkai_write::letter::letter_pdf_embedded(text);
            for w in &out.warnings {
                eprintln!("答复告知书 PDF：{w}");
            }
            (out.bytes, "application/pdf", "pdf")
        }
        _ => {
            return Err(AppError::Invalid(format!(
                "不支持的格式“{format}”，可选：txt、docx、pdf"
            )))
        }
    };
    Ok(download(bytes, mime, &name, ext))
}

/// A file download with its Chinese name (RFC 6266/5987).
pub fn download(bytes: Vec<u8>, mime: &str, name: &str, ext: &str) -> Response {
    let disposition = format!(
        "attachment; filename=\"download.{ext}\"; filename*=UTF-8''{}.{ext}",
        encode(name)
    );
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(mime) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

#[derive(Debug, Deserialize)]
pub struct DecideForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    back: String,
}

pub async fn decide(
    State(state): State<Shared>,
    staff: Staff,
    Path(approval): Path<String>,
    Form(f): Form<DecideForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&f.csrf)?;
    staff.must_lead()?;
    let id = parse_id(&approval)?;
    let approve = match f.decision.as_str() {
        "approve" => true,
        "refuse" => false,
        _ => return Err(AppError::Invalid("请选择同意或不同意".into())),
    };
    if !approve && f.reason.trim().is_empty() {
        return Err(AppError::Invalid("不同意的，请写明理由".into()));
    }
    state
        .store
        .decide_approval(
            &staff.scope,
            &staff.actor(),
            id,
            approve,
            f.reason.trim(),
            state.today(),
        )
        .await?;
    let back = if f.back.starts_with("/console") && !f.back.starts_with("//") {
        f.back
    } else {
        "/console".into()
    };
    Ok(Redirect::to(&back).into_response())
}

pub async fn users(State(state): State<Shared>, staff: Staff) -> Result<Response, AppError> {
    users_page(&state, &staff, None).await
}

/// The users page: every user for the administrator, the own account for
/// others; a token just made is shown once.
async fn users_page(
    state: &Shared,
    staff: &Staff,
    new_token: Option<String>,
) -> Result<Response, AppError> {
    let users = if staff.user.role == Role::Admin {
        state.store.users().await?
    } else {
        vec![staff.user.clone()]
    };
    let users: Vec<_> = users
        .into_iter()
        .map(|u| ctx! { user => u, role => u.role.label() })
        .collect();
    Ok(render(
        "users.html",
        ctx! {
            staff => staff.view(),
            users => users,
            agencies => state.store.agency_list().await?,
            roles => Role::ALL.iter().map(|r| (r.key(), r.label())).collect::<Vec<_>>(),
            new_token => new_token,
        },
    )?
    .into_response())
}

#[derive(Debug, Deserialize)]
pub struct UserForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    agency: String,
}

pub async fn add_user(
    State(state): State<Shared>,
    staff: Staff,
    Form(f): Form<UserForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&f.csrf)?;
    staff.must_admin()?;
    let role = Role::parse(&f.role).ok_or_else(|| AppError::Invalid("请选择角色".into()))?;
    if f.password.chars().count() < crate::auth::MIN_PASSWORD {
        return Err(AppError::Invalid(format!(
            "密码至少{}个字符",
            crate::auth::MIN_PASSWORD
        )));
    }
    if f.display_name.trim().is_empty() {
        return Err(AppError::Invalid("请填写姓名".into()));
    }
    let agency = (!f.agency.trim().is_empty()).then(|| f.agency.trim().to_string());
    state
        .store
        .create_user(
            &staff.actor(),
            &f.login,
            &f.display_name,
            &crate::auth::hash_password(&f.password),
            role,
            agency.as_deref(),
        )
        .await?;
    Ok(Redirect::to("/console/users").into_response())
}

#[derive(Debug, Deserialize)]
pub struct AgencyForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    kind: String,
}

pub async fn add_agency(
    State(state): State<Shared>,
    staff: Staff,
    Form(f): Form<AgencyForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&f.csrf)?;
    staff.must_admin()?;
    let name = f.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::Invalid(
            "机关名称不能为空，也不能超过100个字".into(),
        ));
    }
    state.store.ensure_agency(&staff.actor(), name).await?;
    let parent = (!f.parent.trim().is_empty()).then(|| f.parent.trim());
    let kind = if f.kind.is_empty() {
        state.store.agency_by_name(name).await?.kind
    } else {
        f.kind.clone()
    };
    state
        .store
        .set_agency_place(&staff.actor(), name, parent, &kind)
        .await?;
    Ok(Redirect::to("/console/users").into_response())
}

#[derive(Debug, Deserialize)]
pub struct TokenForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    name: String,
}

/// A new API token for the signed-in user, shown once.
pub async fn add_token(
    State(state): State<Shared>,
    staff: Staff,
    Form(f): Form<TokenForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&f.csrf)?;
    let name = f.name.trim();
    if name.is_empty() || name.chars().count() > 64 {
        return Err(AppError::Invalid("请填写令牌用途（不超过64个字）".into()));
    }
    let token = format!("gk_{}", random_token()?);
    state
        .store
        .create_api_token(&staff.actor(), staff.user.id, name, &token_hash(&token))
        .await?;
    users_page(&state, &staff, Some(token)).await
}

pub async fn audit(State(state): State<Shared>, staff: Staff) -> Result<Response, AppError> {
    staff.must_admin()?;
    let entries = state.store.audit_log(300).await?;
    Ok(render(
        "audit.html",
        ctx! { staff => staff.view(), entries => entries },
    )?
    .into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct ReportParams {
    #[serde(default)]
    agency: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    format: String,
}

async fn generated(
    state: &Shared,
    staff: &Staff,
    p: &ReportParams,
) -> Result<(Agency, i32, gongkai_report::Report), AppError> {
    let agencies = scoped_agencies(state, staff).await?;
    let agency = match p.agency.trim().parse::<i64>() {
        Ok(id) => agencies.into_iter().find(|a| a.id == id),
        Err(_) => agencies.into_iter().next(),
    }
    .ok_or(AppError::NotFound)?;
    let today = state.today();
    let year = p
        .year
        .trim()
        .parse::<i32>()
        .unwrap_or(chrono::Datelike::year(&today) - 1);
    if !(2008..=chrono::Datelike::year(&today)).contains(&year) {
        return Err(AppError::Invalid(format!("年度{year}不在2008年至今年之间")));
    }
    let report = state
        .store
        .annual_report(&staff.actor(), &agency.name, year, today)
        .await?;
    Ok((agency, year, report))
}

pub async fn report(
    State(state): State<Shared>,
    staff: Staff,
    Query(p): Query<ReportParams>,
) -> Result<Response, AppError> {
    let (agency, year, report) = generated(&state, &staff, &p).await?;
    let checked = gongkai_report::check(&report);
    let diagnostics: Vec<_> = checked
        .iter()
        .map(|d| {
            ctx! {
                rule => d.rule,
                level => match d.level {
                    gongkai_report::Level::Error => "错误",
                    gongkai_report::Level::Warning => "警告",
                    _ => "提示",
                },
                message => d.message.clone(),
                cells => d.cells.iter().map(|c| c.address.clone()).collect::<Vec<_>>(),
            }
        })
        .collect();
    Ok(render(
        "report.html",
        ctx! {
            staff => staff.view(),
            agency => agency,
            year => year,
            agencies => scoped_agencies(&state, &staff).await?,
            diagnostics => diagnostics,
            document => marked_document(&report, &checked),
            narratives => crate::ledgers::narrative_sections(&state, &staff, &agency, year).await?,
            publication => crate::disclosure::publication(&state, &agency, year).await?,
        },
    )?
    .into_response())
}

/// The report in the standard layout (the HTML writer's article), each cell
/// a rule found fault with marked and titled with the rules' messages.
pub fn marked_document(
    report: &gongkai_report::Report,
    diagnostics: &[gongkai_report::Diagnostic],
) -> String {
    let html = gongkai_write::write(gongkai_write::Format::Html, report);
    let start = html.find("<article>").unwrap_or(0);
    let end = html
        .rfind("</article>")
        .map(|i| i + "</article>".len())
        .unwrap_or(html.len());
    let mut article = html[start..end].to_string();
    let mut faults: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for d in diagnostics
        .iter()
        .filter(|d| d.level != gongkai_report::Level::Info)
    {
        for c in &d.cells {
            faults
                .entry(c.address.as_str())
                .or_default()
                .push(format!("{} {}", d.rule, d.message));
        }
    }
    for (address, messages) in faults {
        let title = escape_attr(&messages.join("\n"));
        article = article.replace(
            &format!("data-cell=\"{address}\""),
            &format!("data-cell=\"{address}\" class=\"fault\" title=\"{title}\""),
        );
    }
    article
}

pub(crate) fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

pub async fn report_download(
    State(state): State<Shared>,
    staff: Staff,
    Query(p): Query<ReportParams>,
) -> Result<Response, AppError> {
    let (agency, year, report) = generated(&state, &staff, &p).await?;
    let format = gongkai_write::FileFormat::ALL
        .into_iter()
        .find(|f| f.extension() == p.format)
        .ok_or_else(|| AppError::Invalid(format!("不支持的格式“{}”", p.format)))?;
    let bytes = gongkai_write::write_bytes(format, &report);
    let name = format!("{}{year}年政府信息公开工作年度报告", agency.name);
    let mime = match format.extension() {
        "md" => "text/markdown; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "json" => "application/json",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    };
    Ok(download(bytes, mime, &name, format.extension()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report whose row does not add up: the cells the rule names are
    /// marked, with the rule's message; the others are not.
    #[test]
    fn faulty_cells_are_marked_in_the_document() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/rules/GK010.txt"
        );
        let bytes = std::fs::read(path).expect("fixture");
        let report = gongkai_read::read_report("GK010.txt", &bytes).expect("readable");
        let diagnostics = gongkai_report::check(&report);
        let fault = diagnostics
            .iter()
            .find(|d| d.rule == "GK010")
            .expect("GK010 fires");
        let html = marked_document(&report, &diagnostics);
        assert!(html.starts_with("<article>") && html.ends_with("</article>"));
        for c in &fault.cells {
            let marked = format!("data-cell=\"{}\" class=\"fault\" title=\"", c.address);
            assert!(html.contains(&marked), "{} is marked", c.address);
        }
        assert!(html.contains("GK010 "));
        let marked = html.matches("class=\"fault\"").count();
        let named: std::collections::BTreeSet<&str> = diagnostics
            .iter()
            .filter(|d| d.level != gongkai_report::Level::Info)
            .flat_map(|d| d.cells.iter().map(|c| c.address.as_str()))
            .collect();
        assert!(marked <= named.len(), "only the named cells are marked");
    }
}
