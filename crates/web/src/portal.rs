//! The public portal (no login): the agencies, the online application
//! (条例第二十九条) and the status of an application by its number and
//! lookup code. The applicant's personal data is shown to no one else and
//! never logged.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::{Deserialize, Serialize};

use gongkai_casework::model::{Applicant, ApplicantKind, Channel, EventKind, NewApplication};

use crate::auth::{random_token, same_site, token_hash};
use crate::error::AppError;
use crate::pages::render;
use crate::Shared;

/// The home page: every agency. Agencies are added, never renamed or
/// removed, so the page rendered last is still right while their count and
/// highest id are the same (another process adding one changes them too).
pub async fn home(State(state): State<Shared>) -> Result<Response, AppError> {
    let stamp = state.store.agency_stamp().await?;
    let kept = state.home.lock().ok().and_then(|h| {
        h.as_ref()
            .filter(|(s, _)| *s == stamp)
            .map(|(_, b)| b.clone())
    });
    if let Some(page) = kept {
        return Ok(axum::response::Html(page).into_response());
    }
    let agencies = state.store.portal_agency_list().await?;
    let first_run = agencies.is_empty() && state.store.user_count().await? == 0;
    let page = render(
        "home.html",
        ctx! { agencies => agencies, first_run => first_run },
    )?;
    if !agencies.is_empty() {
        // Kept under the count and highest id of all agencies, read before
        // the list: an agency added since makes the next request render anew.
        let bytes = axum::body::Bytes::from(page.0);
        if let Ok(mut h) = state.home.lock() {
            *h = Some((stamp, bytes.clone()));
        }
        return Ok(axum::response::Html(bytes).into_response());
    }
    Ok(page.into_response())
}

pub fn parse_id(s: &str) -> Result<i64, AppError> {
    s.parse::<i64>().map_err(|_| AppError::NotFound)
}

/// The applicant kinds as the form offers them: key and label.
pub fn kinds() -> Vec<(&'static str, &'static str)> {
    ApplicantKind::ALL
        .iter()
        .map(|k| (k.column_key(), k.label()))
        .collect()
}

/// 所需信息的指定提供形式 and 获取信息的方式 (条例第二十九条第二款第三项).
pub const FORMS: [&str; 4] = ["纸质", "电子文档", "光盘", "其他"];
pub const DELIVERY: [&str; 4] = ["邮寄", "电子邮件", "自行领取", "网上获取"];

/// The application form as typed (kept when it is refused).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ApplyForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub contact_person: String,
    #[serde(default)]
    pub id_document: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub request: String,
    #[serde(default)]
    pub form: String,
    #[serde(default)]
    pub delivery: String,
    #[serde(default)]
    pub form_key: String,
}

/// The longest values the form takes.
const MAX_SHORT: usize = 100;
const MAX_REQUEST: usize = 2000;

impl ApplyForm {
    /// The application, or what is wrong with each field.
    pub fn validate(
        &self,
        received_on: chrono::NaiveDate,
    ) -> Result<NewApplication, BTreeMap<&'static str, String>> {
        let mut errors = BTreeMap::new();
        let kind = ApplicantKind::ALL
            .iter()
            .copied()
            .find(|k| k.column_key() == self.kind);
        if kind.is_none() {
            errors.insert("kind", "请选择申请人类型".to_string());
        }
        let too_long = |s: &str, n: usize| s.chars().count() > n;
        let name = self.name.trim();
        if name.is_empty() {
            errors.insert("name", "请填写姓名或名称".to_string());
        } else if too_long(name, MAX_SHORT) {
            errors.insert("name", format!("不能超过{MAX_SHORT}个字"));
        }
        let person = kind == Some(ApplicantKind::NaturalPerson);
        if !person && self.contact_person.trim().is_empty() && kind.is_some() {
            errors.insert("contact_person", "法人或其他组织请填写联系人".to_string());
        }
        if too_long(self.contact_person.trim(), MAX_SHORT) {
            errors.insert("contact_person", format!("不能超过{MAX_SHORT}个字"));
        }
        let id = self.id_document.trim();
        if id.is_empty() {
            errors.insert(
                "id_document",
                if person {
                    "请填写身份证件名称和号码".to_string()
                } else {
                    "请填写统一社会信用代码或其他组织机构代码".to_string()
                },
            );
        } else if too_long(id, 64) {
            errors.insert("id_document", "不能超过64个字".to_string());
        }
        let phone = self.phone.trim();
        let email = self.email.trim();
        let address = self.address.trim();
        if phone.is_empty() && email.is_empty() && address.is_empty() {
            errors.insert(
                "phone",
                "请至少填写一种联系方式（电话、电子邮箱或通信地址）".to_string(),
            );
        }
        if !phone.is_empty()
            && (too_long(phone, 32)
                || !phone
                    .chars()
                    .all(|c| c.is_ascii_digit() || "-+ ()转".contains(c)))
        {
            errors.insert("phone", "电话号码只能包含数字和“-”".to_string());
        }
        if !email.is_empty() && (too_long(email, MAX_SHORT) || !looks_like_email(email)) {
            errors.insert("email", "电子邮箱格式不正确".to_string());
        }
        if too_long(address, 200) {
            errors.insert("address", "不能超过200个字".to_string());
        }
        let request = self.request.trim();
        if request.is_empty() {
            errors.insert(
                "request",
                "请填写所需信息的名称、文号或者便于查询的其他特征性描述".to_string(),
            );
        } else if too_long(request, MAX_REQUEST) {
            errors.insert("request", format!("不能超过{MAX_REQUEST}个字"));
        }
        if !FORMS.contains(&self.form.as_str()) {
            errors.insert("form", "请选择所需信息的提供形式".to_string());
        }
        if !DELIVERY.contains(&self.delivery.as_str()) {
            errors.insert("delivery", "请选择获取信息的方式".to_string());
        }
        if self.delivery == "邮寄" && address.is_empty() {
            errors.insert("address", "选择邮寄的，请填写通信地址".to_string());
        }
        if self.delivery == "电子邮件" && email.is_empty() {
            errors.insert("email", "选择电子邮件的，请填写电子邮箱".to_string());
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut contact = Vec::new();
        if !self.contact_person.trim().is_empty() {
            contact.push(format!("联系人：{}", self.contact_person.trim()));
        }
        if !phone.is_empty() {
            contact.push(format!("电话：{phone}"));
        }
        if !email.is_empty() {
            contact.push(format!("电子邮箱：{email}"));
        }
        if !address.is_empty() {
            contact.push(format!("通信地址：{address}"));
        }
        Ok(NewApplication {
            number: None,
            applicant: Applicant {
                kind: kind.unwrap_or(ApplicantKind::NaturalPerson),
                name: name.to_string(),
                id_document: id.to_string(),
                contact: contact.join("；"),
            },
            channel: Channel::Online,
            received_on,
            request: request.to_string(),
            form: format!("{}；{}", self.form, self.delivery),
        })
    }
}

fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((user, host)) => {
            !user.is_empty()
                && host.contains('.')
                && !host.starts_with('.')
                && !host.ends_with('.')
                && !s.chars().any(|c| c.is_whitespace() || c == '<' || c == '>')
        }
        None => false,
    }
}

fn apply_page(
    agency: &gongkai_store::Agency,
    form: &ApplyForm,
    errors: &BTreeMap<&'static str, String>,
) -> Result<axum::response::Html<String>, AppError> {
    render(
        "apply.html",
        ctx! {
            agency => agency,
            form => form,
            errors => errors,
            kinds => kinds(),
            forms => FORMS,
            deliveries => DELIVERY,
            receipt_rule => Channel::Online.receipt_rule(),
        },
    )
}

pub async fn apply_form(
    State(state): State<Shared>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let agency = state.store.portal_agency_by_id(parse_id(&id)?).await?;
    let form = ApplyForm {
        kind: "natural_person".into(),
        form_key: random_token()?,
        ..Default::default()
    };
    Ok(apply_page(&agency, &form, &BTreeMap::new())?.into_response())
}

pub async fn apply(
    State(state): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<ApplyForm>,
) -> Result<Response, AppError> {
    same_site(&headers)?;
    let agency = state.store.portal_agency_by_id(parse_id(&id)?).await?;
    let today = state.today();
    let new = match f.validate(today) {
        Ok(n) => n,
        Err(errors) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                apply_page(&agency, &f, &errors)?,
            )
                .into_response())
        }
    };
    if f.form_key.len() != 64 || !f.form_key.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(AppError::Invalid(
            "申请表已失效，请重新打开申请页面填写".into(),
        ));
    }
    let code = lookup_code()?;
    let done = state
        .store
        .submit_online(&agency.name, &new, &token_hash(&code), &f.form_key, today)
        .await?;
    Ok(render(
        "receipt.html",
        ctx! {
            agency => agency,
            number => done.number,
            code => if done.fresh { Some(code) } else { None },
            received_on => today.to_string(),
            fresh => done.fresh,
        },
    )?
    .into_response())
}

/// A lookup code: 12 characters, no look-alikes (0/O, 1/I/L).
pub fn lookup_code() -> Result<String, AppError> {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut b = [0u8; 12];
    getrandom::fill(&mut b).map_err(|e| AppError::Internal(format!("随机数：{e}")))?;
    Ok(b.iter()
        .map(|x| ALPHABET[*x as usize % ALPHABET.len()] as char)
        .collect())
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct LookupForm {
    #[serde(default)]
    agency: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    format: String,
}

pub async fn lookup_form(State(state): State<Shared>) -> Result<Response, AppError> {
    let agencies = state.store.portal_agency_list().await?;
    Ok(render(
        "lookup.html",
        ctx! { agencies => agencies, form => LookupForm::default(), error => "" },
    )?
    .into_response())
}

/// Lookups a visitor may get wrong before a pause.
const LOOKUP_LIMIT: i64 = 20;

/// Opens an application by agency, number and code; a wrong code and an
/// unknown number give the same answer.
async fn open_by_code(
    state: &Shared,
    addr: &SocketAddr,
    f: &LookupForm,
) -> Result<Result<(gongkai_store::Agency, String), &'static str>, AppError> {
    let key = format!("lookup:{}", addr.ip());
    if state.store.login_locked(&key).await?.is_some() {
        return Err(AppError::Throttled(
            "查询错误次数过多，请15分钟后再试。".into(),
        ));
    }
    let agency = match f.agency.parse::<i64>() {
        Ok(id) => state.store.agency_by_id(id).await.ok(),
        Err(_) => None,
    };
    let number = f.number.trim().to_string();
    let code = f.code.trim().to_uppercase();
    let ok = match &agency {
        Some(a) if !number.is_empty() && !code.is_empty() => {
            state
                .store
                .receipt_matches(&a.name, &number, &token_hash(&code))
                .await?
        }
        _ => false,
    };
    match (ok, agency) {
        (true, Some(a)) => {
            state.store.login_succeeded(&key).await?;
            Ok(Ok((a, number)))
        }
        _ => {
            state
                .store
                .login_failed(&key, LOOKUP_LIMIT, 15 * 60, 15 * 60)
                .await?;
            Ok(Err("受理机关、受理编号或查询码不正确。"))
        }
    }
}

pub async fn lookup(
    State(state): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<LookupForm>,
) -> Result<Response, AppError> {
    same_site(&headers)?;
    let (agency, number) = match open_by_code(&state, &addr, &f).await? {
        Ok(found) => found,
        Err(msg) => {
            let agencies = state.store.portal_agency_list().await?;
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                render(
                    "lookup.html",
                    ctx! { agencies => agencies, form => f, error => msg },
                )?,
            )
                .into_response());
        }
    };
    let today = state.today();
    let a = state.store.application(&agency.name, &number).await?;
    let s = state.store.case_state(&agency.name, &number, today).await?;
    let notices: Vec<String> = a
        .events
        .iter()
        .map(|e| {
            match &e.kind {
                // The notice must say what to correct (条例第三十条).
                EventKind::CorrectionRequested { until } => format!(
                    "{}：本机关向您发出补正通知，请于{until}前补正；补正期间不计算答复期限。{}",
                    e.on,
                    match e.note.trim() {
                        "" => String::new(),
                        what => format!("需要补正的事项：{what}"),
                    }
                ),
                EventKind::CorrectionReceived => {
                    format!("{}：收到您的补正，答复期限重新计算。", e.on)
                }
                EventKind::ConsultationStarted { .. } => format!(
                    "{}：本机关就您申请的信息征求第三方意见，征求意见所需时间不计算在答复期限内。",
                    e.on
                ),
                EventKind::ConsultationEnded => format!("{}：征求意见结束。", e.on),
                EventKind::Extended { days, .. } => {
                    format!("{}：经批准，答复期限延长{days}个工作日。", e.on)
                }
                EventKind::FeeNoticed { amount_yuan, .. } => format!(
                    "{}：本机关向您发出收费通知，信息处理费{amount_yuan}元{}。",
                    e.on,
                    s.pay_due
                        .map(|d| format!("，请于{d}前缴纳"))
                        .unwrap_or_default()
                ),
                EventKind::FeePaid { amount_yuan } => format!("{}：已缴纳{amount_yuan}元。", e.on),
                EventKind::Replied { outcome, .. } => {
                    format!("{}：已答复，办理结果：{}。", e.on, outcome.label())
                }
                EventKind::Withdrawn => format!("{}：您撤回了申请。", e.on),
                EventKind::Lapsed { outcome } => {
                    format!("{}：期限届满，本申请终止（{}）。", e.on, outcome.label())
                }
            }
        })
        .collect();
    let letter = s.closed.is_some()
        && a.events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Replied { .. }));
    Ok(render(
        "status.html",
        ctx! {
            agency => agency,
            number => number,
            received_on => a.received_on.to_string(),
            stage => s.stage.label(),
            closed => s.closed.is_some(),
            due_on => s.due_on.filter(|_| s.closed.is_none()).map(|d| d.to_string()),
            notices => notices,
            letter => letter,
            code => f.code.trim().to_uppercase(),
        },
    )?
    .into_response())
}

pub async fn lookup_letter(
    State(state): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<LookupForm>,
) -> Result<Response, AppError> {
    same_site(&headers)?;
    let (agency, number) = match open_by_code(&state, &addr, &f).await? {
        Ok(found) => found,
        Err(msg) => return Err(AppError::Invalid(msg.into())),
    };
    let a = state.store.application(&agency.name, &number).await?;
    let reason =
        crate::console::reply_note(&a).ok_or_else(|| AppError::Invalid("申请尚未答复".into()))?;
    let text = state
        .store
        .reply_letter(&agency.name, &number, &reason, state.today())
        .await?;
    crate::console::letter_file(&f.format, &agency.name, &number, &text)
}
