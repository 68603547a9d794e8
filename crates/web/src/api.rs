//! The JSON API under `/api/v1`, for an agency's CMS and other machine
//! clients: tokens (`Authorization: Bearer gk_…`) made on the console's user
//! page, the same scope as the console. `/api/openapi.json` describes it;
//! `/api/docs` shows that description as a page.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, JsonRejection};
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use gongkai_casework::disclosure::{
    self as rules, Action, Actor, Disclosure, ItemDraft, Request, Status, Validity,
};
use gongkai_casework::model::DocumentKind;
use gongkai_store::{Agency, Item, ItemQuery, Role, Scope, User};

use crate::auth::token_hash;
use crate::console::{event_text, ActionForm, ListParams};
use crate::disclosure::{
    attachment_kind, clean_name, drafter_only, ATTACHMENT_LIMIT, ITEM_FORM_LIMIT,
};
use crate::error::{ApiError, AppError};
use crate::ledgers::{day, Errors};
use crate::portal::{parse_id, ApplyForm};
use crate::Shared;

const OPENAPI: &str = include_str!("../static/openapi.json");

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/openapi.json", get(openapi))
        .route("/api/docs", get(docs))
        .route("/api/v1/agencies", get(agencies))
        .route("/api/v1/dashboard", get(dashboard))
        .route("/api/v1/cases", get(cases))
        .route("/api/v1/cases/{id}/{number}", get(case))
        .route("/api/v1/cases/{id}/{number}/events", post(add_event))
        .route("/api/v1/agencies/{id}/applications", post(submit))
        .route(
            "/api/v1/cases/{id}/{number}/extension",
            post(request_extension),
        )
        .route("/api/v1/approvals", get(approvals))
        .route("/api/v1/approvals/{approval}", post(decide))
        .route("/api/v1/reports/{id}/{year}", get(report))
        .route(
            "/api/v1/items",
            get(items)
                .post(create_item)
                .layer(DefaultBodyLimit::max(ITEM_FORM_LIMIT)),
        )
        .route(
            "/api/v1/items/{id}",
            get(item)
                .put(update_item)
                .layer(DefaultBodyLimit::max(ITEM_FORM_LIMIT)),
        )
        .route("/api/v1/items/{id}/actions", post(item_action))
        .route(
            "/api/v1/items/{id}/attachments",
            post(attach).layer(DefaultBodyLimit::max(ATTACHMENT_LIMIT)),
        )
        .route("/api/v1/search", get(search))
}

/// A machine client, by its token.
pub struct Client {
    user: User,
    scope: Scope,
}

impl FromRequestParts<Shared> for Client {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Shared,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| t.starts_with("gk_") && t.len() == 67)
            .ok_or(ApiError(AppError::Forbidden(
                "缺少或无法识别访问令牌（请求头 Authorization: Bearer gk_…）".into(),
            )))?;
        let user = state
            .store
            .token_user(&token_hash(token))
            .await?
            .ok_or(ApiError(AppError::Forbidden("访问令牌无效或已停用".into())))?;
        let scope = state.store.scope_of(&user).await?;
        Ok(Client { user, scope })
    }
}

impl Client {
    fn actor(&self) -> String {
        format!("{}（{}，接口）", self.user.display_name, self.user.login)
    }
}

async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        OPENAPI,
    )
        .into_response()
}

/// The API described as a page: each operation with its parameters.
async fn docs() -> Result<Response, AppError> {
    let doc: Value = serde_json::from_str(OPENAPI)
        .map_err(|e| AppError::Internal(format!("openapi.json：{e}")))?;
    let mut operations = Vec::new();
    if let Some(paths) = doc["paths"].as_object() {
        for (path, methods) in paths {
            if let Some(methods) = methods.as_object() {
                for (method, op) in methods {
                    operations.push(ctx! {
                        method => method.to_uppercase(),
                        path => path,
                        summary => op["summary"].as_str().unwrap_or(""),
                        description => op["description"].as_str().unwrap_or(""),
                        parameters => op["parameters"].as_array().map(|ps| ps.iter().map(|p| ctx! {
                            name => p["name"].as_str().unwrap_or(""),
                            place => p["in"].as_str().unwrap_or(""),
                            description => p["description"].as_str().unwrap_or(""),
                        }).collect::<Vec<_>>()).unwrap_or_default(),
                    });
                }
            }
        }
    }
    Ok(crate::pages::render(
        "api_docs.html",
        ctx! { title => doc["info"]["title"].as_str().unwrap_or(""), operations => operations },
    )?
    .into_response())
}

async fn agencies(State(state): State<Shared>, c: Client) -> Result<Json<Value>, ApiError> {
    let list: Vec<_> = state
        .store
        .agency_list()
        .await?
        .into_iter()
        .filter(|a| c.scope.allows(&a.name))
        .collect();
    Ok(Json(json!({ "agencies": list })))
}

async fn dashboard(State(state): State<Shared>, c: Client) -> Result<Json<Value>, ApiError> {
    let todo = state.store.todo(&c.scope, state.today(), 5).await?;
    Ok(Json(json!({ "today": state.today(), "todo": todo })))
}

async fn cases(
    State(state): State<Shared>,
    c: Client,
    Query(p): Query<ListParams>,
) -> Result<Json<Value>, ApiError> {
    let page = state.store.case_page(&c.scope, &p.to_query(100)?).await?;
    Ok(Json(json!(page)))
}

async fn case_json(
    state: &Shared,
    scope: &Scope,
    id: &str,
    number: &str,
) -> Result<Value, ApiError> {
    let agency = state.store.agency_by_id(parse_id(id)?).await?;
    let row = state.store.case_row(scope, &agency.name, number).await?;
    let a = state.store.application(&agency.name, number).await?;
    let s = state
        .store
        .case_state(&agency.name, number, state.today())
        .await?;
    let events: Vec<Value> = a
        .events
        .iter()
        .map(|e| json!({ "on": e.on, "event": e.kind, "text": event_text(e), "actor": e.actor, "note": e.note }))
        .collect();
    Ok(json!({
        "agency": agency,
        "case": row,
        "applicant": a.applicant,
        "form": a.form,
        "events": events,
        "state": {
            "stage": s.stage.label(),
            "due_on": s.due_on,
            "closed": s.closed.map(|(d, o)| json!({ "on": d, "outcome": o.key(), "label": o.label() })),
            "paused_working_days": s.paused_working_days,
            "extension_days": s.extension_days,
            "warnings": s.warnings,
        },
        "deadline": crate::deadline::explain(&state.store.calendar(), &a, &s),
    }))
}

async fn case(
    State(state): State<Shared>,
    c: Client,
    Path((id, number)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(case_json(&state, &c.scope, &id, &number).await?))
}

async fn add_event(
    State(state): State<Shared>,
    c: Client,
    Path((id, number)): Path<(String, String)>,
    Json(f): Json<ActionForm>,
) -> Result<Response, ApiError> {
    let agency = state.store.agency_by_id(parse_id(&id)?).await?;
    state
        .store
        .case_row(&c.scope, &agency.name, &number)
        .await?;
    if !c.user.role.handles_cases() {
        return Err(AppError::Forbidden(format!("{}不能办理申请", c.user.role.label())).into());
    }
    let today = state.today();
    let event = f.to_event(&c.actor(), today).map_err(AppError::Invalid)?;
    state
        .store
        .add_event(&agency.name, &number, event, today)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(case_json(&state, &c.scope, &id, &number).await?),
    )
        .into_response())
}

/// An application pushed by the agency's own website: the fields of the
/// portal's form; `form_key` makes a repeated push create one application.
#[derive(Debug, Deserialize)]
struct Pushed {
    #[serde(flatten)]
    form: ApplyForm,
}

async fn submit(
    State(state): State<Shared>,
    c: Client,
    Path(id): Path<String>,
    Json(p): Json<Pushed>,
) -> Result<Response, ApiError> {
    let agency = state.store.agency_by_id(parse_id(&id)?).await?;
    c.scope.check(&agency.name, "机关")?;
    if !c.user.role.handles_cases() {
        return Err(AppError::Forbidden(format!("{}不能登记申请", c.user.role.label())).into());
    }
    let today = state.today();
    let new = match p.form.validate(today) {
        Ok(n) => n,
        Err(errors) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({ "error": "申请内容不完整或有误", "fields": errors })),
            )
                .into_response())
        }
    };
    let key = p.form.form_key.trim();
    if key.is_empty() || key.chars().count() > 128 {
        return Err(AppError::Invalid(
            "请提供 form_key（每份申请唯一，最多128个字符），重复推送同一份申请时用同一个值".into(),
        )
        .into());
    }
    let code = crate::portal::lookup_code()?;
    let done = state
        .store
        .submit_online(
            &agency.name,
            &new,
            &token_hash(&code),
            &format!("api:{}:{key}", agency.id),
            today,
        )
        .await?;
    let status = if done.fresh {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(json!({
            "agency": agency.name,
            "agency_id": agency.id,
            "number": done.number,
            "lookup_code": if done.fresh { Some(code) } else { None },
            "received_on": today,
            "created": done.fresh,
        })),
    )
        .into_response())
}

/// An extension asked of the 负责人: days (1–20), the day the applicant is
/// told, the reason.
#[derive(Debug, Deserialize)]
struct ExtensionRequest {
    #[serde(default = "twenty")]
    days: u32,
    #[serde(default)]
    notify_on: Option<chrono::NaiveDate>,
    #[serde(default)]
    note: String,
}

fn twenty() -> u32 {
    20
}

async fn request_extension(
    State(state): State<Shared>,
    c: Client,
    Path((id, number)): Path<(String, String)>,
    Json(r): Json<ExtensionRequest>,
) -> Result<Response, ApiError> {
    let agency = state.store.agency_by_id(parse_id(&id)?).await?;
    state
        .store
        .case_row(&c.scope, &agency.name, &number)
        .await?;
    if !c.user.role.handles_cases() {
        return Err(AppError::Forbidden(format!("{}不能办理申请", c.user.role.label())).into());
    }
    if !(1..=20).contains(&r.days) {
        return Err(AppError::Invalid("延长答复的期限为1至20个工作日".into()).into());
    }
    let today = state.today();
    let data = json!({
        "days": r.days,
        "notify_on": r.notify_on.unwrap_or(today).max(today).to_string(),
        "note": r.note.trim().chars().take(500).collect::<String>(),
    });
    let approval = state
        .store
        .request_approval(
            &c.scope,
            &c.actor(),
            &agency.name,
            &number,
            "extension",
            data,
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "approval": approval, "status": "pending" })),
    )
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
struct ApprovalParams {
    #[serde(default)]
    pending: Option<bool>,
}

async fn approvals(
    State(state): State<Shared>,
    c: Client,
    Query(p): Query<ApprovalParams>,
) -> Result<Json<Value>, ApiError> {
    let list = state
        .store
        .approvals(&c.scope, None, p.pending.unwrap_or(true))
        .await?;
    Ok(Json(json!({ "approvals": list })))
}

#[derive(Debug, Deserialize)]
struct Decision {
    approve: bool,
    #[serde(default)]
    reason: String,
}

async fn decide(
    State(state): State<Shared>,
    c: Client,
    Path(approval): Path<String>,
    Json(d): Json<Decision>,
) -> Result<Json<Value>, ApiError> {
    if c.user.role != gongkai_store::Role::Leader {
        return Err(AppError::Forbidden("只有负责人可以审批".into()).into());
    }
    if !d.approve && d.reason.trim().is_empty() {
        return Err(AppError::Invalid("不同意的，请写明理由".into()).into());
    }
    let id = parse_id(&approval)?;
    let state_after = state
        .store
        .decide_approval(
            &c.scope,
            &c.actor(),
            id,
            d.approve,
            d.reason.trim(),
            state.today(),
        )
        .await?;
    Ok(Json(json!({
        "approval": id,
        "status": if d.approve { "approved" } else { "refused" },
        "due_on": state_after.and_then(|s| s.due_on),
    })))
}

/// The annual report of an agency's year from its ledger, with what the
/// rules found.
async fn report(
    State(state): State<Shared>,
    c: Client,
    Path((id, year)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let agency = state.store.agency_by_id(parse_id(&id)?).await?;
    c.scope.check(&agency.name, "机关")?;
    let year: i32 = year.parse().map_err(|_| AppError::NotFound)?;
    let this_year = chrono::Datelike::year(&state.today());
    if !(2008..=this_year).contains(&year) {
        return Err(AppError::Invalid(format!("年度{year}不在2008年至今年之间")).into());
    }
    let report = state
        .store
        .annual_report(&c.actor(), &agency.name, year, state.today())
        .await?;
    let diagnostics = gongkai_report::check(&report);
    Ok(Json(json!({
        "report": gongkai_write::json::write(&report),
        "diagnostics": diagnostics,
    })))
}

// ---------------------------------------------------------------------------
// Proactive disclosure (主动公开): items, their 三级审核, attachments, and the
// public search of published items. Who may take a step is the workflow's
// rule with the token user's role; what they may see is their scope, in the
// store's queries — an item of another agency is "not found".

/// A JSON body, or what is wrong with it in Chinese.
fn json_body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    match body {
        Ok(Json(t)) => Ok(t),
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(AppError::TooLarge(format!(
            "请求体超过{}MB，未处理；较长的正文请作为附件上传",
            ITEM_FORM_LIMIT.div_ceil(1024 * 1024)
        ))
        .into()),
        Err(JsonRejection::MissingJsonContentType(_)) => {
            Err(AppError::Invalid("请求头 Content-Type 须为 application/json".into()).into())
        }
        Err(JsonRejection::JsonSyntaxError(_)) => {
            Err(AppError::Invalid("请求体不是有效的 JSON".into()).into())
        }
        Err(e) => Err(AppError::Invalid(format!("请求体的字段有误：{}", e.body_text())).into()),
    }
}

/// The agency a request names by its id, or the token user's own when it
/// names none; "not found" outside the scope.
async fn client_agency(state: &Shared, c: &Client, id: &str) -> Result<Agency, ApiError> {
    let agency = match (id.trim(), &c.user.agency) {
        ("", Some(own)) => state.store.agency_by_name(own).await?,
        ("", None) => {
            return Err(AppError::Invalid(
                "请用 agency 指明机关（/api/v1/agencies 中的 id）".into(),
            )
            .into())
        }
        (id, _) => state.store.agency_by_id(parse_id(id)?).await?,
    };
    c.scope.check(&agency.name, "机关")?;
    Ok(agency)
}

/// An item as the API gives it: its fields, with the labels and what
/// follows from them.
fn item_json(i: &Item, agency_id: i64, today: NaiveDate) -> Value {
    let mut v = json!(i);
    if let Some(o) = v.as_object_mut() {
        o.insert("agency_id".into(), json!(agency_id));
        o.insert("status_label".into(), json!(i.status.label()));
        o.insert("disclosure_label".into(), json!(i.disclosure.label()));
        o.insert(
            "column_name".into(),
            json!(rules::column(&i.column).map(|c| c.name)),
        );
        o.insert(
            "doc_kind_label".into(),
            json!(i.doc_kind.map(|k| k.label())),
        );
        o.insert(
            "validity_label".into(),
            json!(i.validity.map(|v| v.label())),
        );
        o.insert(
            "request_label".into(),
            json!(i.request.as_ref().map(|r| r.label())),
        );
        o.insert("late".into(), json!(i.late(today)));
        o.insert(
            "public_url".into(),
            json!((i.status == Status::Published).then(|| format!("/a/{agency_id}/i/{}", i.id))),
        );
    }
    v
}

/// What the role may do to the item now: `edit` (change it, attach files)
/// and the actions of `POST /api/v1/items/{id}/actions` the workflow allows.
fn item_can(i: &Item, role: Role, today: NaiveDate) -> Vec<&'static str> {
    let Some(actor) = role.disclosure_actor() else {
        return Vec::new();
    };
    let why = || "x".to_string();
    let mut can = Vec::new();
    if actor == Actor::Drafter && i.status.editable() {
        can.push("edit");
    }
    for (key, action) in [
        ("submit", Action::Submit),
        ("approve", Action::Approve),
        ("return", Action::Return { reason: why() }),
        ("withdraw", Action::Ask(Request::Withdraw { reason: why() })),
        (
            "validity",
            Action::Ask(Request::Validity {
                validity: Validity::Repealed,
                on: today,
                reason: why(),
            }),
        ),
        ("grant", Action::Grant),
        ("refuse", Action::Refuse { reason: why() }),
    ] {
        let allowed = rules::step(
            i.status,
            i.disclosure,
            i.doc_kind.is_some(),
            i.request.as_ref(),
            actor,
            &action,
        )
        .is_ok();
        if allowed {
            can.push(key);
        }
    }
    can
}

/// An item with its steps, its attachments (without their bytes) and what
/// the caller may do to it.
async fn item_detail(state: &Shared, c: &Client, id: i64) -> Result<Value, ApiError> {
    let item = state.store.item(&c.scope, id).await?;
    let agency = state.store.agency_by_name(&item.agency).await?;
    let steps = state.store.item_steps(&c.scope, id).await?;
    let files = state.store.attachments(&c.scope, id).await?;
    let today = state.today();
    Ok(json!({
        "item": item_json(&item, agency.id, today),
        "steps": steps,
        "attachments": files,
        "can": item_can(&item, c.user.role, today),
    }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ItemParams {
    agency: String,
    status: String,
    column: String,
    year: String,
    q: String,
    page: String,
}

/// A page number: from 1, empty for the first.
fn page_param(s: &str) -> Result<i64, ApiError> {
    match s.trim() {
        "" => Ok(1),
        n => n
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| AppError::Invalid(format!("页码“{n}”应为正整数")).into()),
    }
}

/// A year filter: empty for none.
fn year_param(s: &str) -> Result<Option<i32>, ApiError> {
    match s.trim() {
        "" => Ok(None),
        y => y
            .parse::<i32>()
            .ok()
            .filter(|y| (1949..=9999).contains(y))
            .map(Some)
            .ok_or_else(|| AppError::Invalid(format!("年度“{y}”应为四位数字，如 2026")).into()),
    }
}

/// A column filter: empty for none, else a column's key.
fn column_param(s: &str) -> Result<Option<String>, ApiError> {
    match s.trim() {
        "" => Ok(None),
        k => rules::column(k)
            .map(|c| Some(c.key.to_string()))
            .ok_or_else(|| {
                AppError::Invalid(format!(
                    "没有栏目“{k}”；栏目为 a20-01 至 a20-15、a21-county、a21-township、system"
                ))
                .into()
            }),
    }
}

async fn items(
    State(state): State<Shared>,
    c: Client,
    Query(p): Query<ItemParams>,
) -> Result<Json<Value>, ApiError> {
    let agency = client_agency(&state, &c, &p.agency).await?;
    let status = match p.status.trim() {
        "" => None,
        s => Some(Status::parse(s).ok_or_else(|| {
            AppError::Invalid(format!(
                "没有状态“{s}”；状态为 {}",
                Status::ALL.map(|s| s.key()).join("、")
            ))
        })?),
    };
    let q = ItemQuery {
        status,
        column: column_param(&p.column)?,
        year: year_param(&p.year)?,
        text: Some(p.q.trim().chars().take(200).collect::<String>()).filter(|t| !t.is_empty()),
        waiting_for: None,
        page: page_param(&p.page)?,
        per_page: 100,
    };
    let list = state.store.items(&c.scope, &agency.name, &q).await?;
    let today = state.today();
    let rows: Vec<Value> = list
        .rows
        .iter()
        .map(|i| {
            let mut v = item_json(i, agency.id, today);
            // The list does not read the bodies: the item's own address has it.
            if let Some(o) = v.as_object_mut() {
                o.remove("body");
            }
            v
        })
        .collect();
    Ok(Json(json!({
        "agency": agency,
        "rows": rows,
        "total": list.total,
        "page": list.page,
        "pages": list.pages,
    })))
}

async fn item(
    State(state): State<Shared>,
    c: Client,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(item_detail(&state, &c, parse_id(&id)?).await?))
}

/// An item as a client writes it: the fields of [`ItemDraft`], dates as
/// `YYYY-MM-DD`, enumerations by their keys.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ItemBody {
    /// The agency's id (number or string); the token user's own when absent.
    agency: Option<Value>,
    title: Option<String>,
    summary: Option<String>,
    body: Option<String>,
    publisher: Option<String>,
    written_on: Option<String>,
    changed_on: Option<String>,
    doc_no: Option<String>,
    topic: Option<String>,
    column: Option<String>,
    disclosure: Option<String>,
    ground: Option<String>,
    reason: Option<String>,
    doc_kind: Option<String>,
    interprets: Option<i64>,
}

impl ItemBody {
    /// An item's present fields, as a body (what `PUT` starts from).
    fn of(i: &Item) -> Map<String, Value> {
        let v = json!({
            "title": i.title,
            "summary": i.summary,
            "body": i.body,
            "publisher": i.publisher,
            "written_on": i.written_on.to_string(),
            "changed_on": i.changed_on.map(|d| d.to_string()),
            "doc_no": i.doc_no,
            "topic": i.topic,
            "column": i.column,
            "disclosure": i.disclosure.key(),
            "ground": i.ground,
            "reason": i.reason,
            "doc_kind": i.doc_kind.map(|k| k.row_key()),
            "interprets": i.interprets,
        });
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    /// The draft, or what is wrong with each field.
    fn draft(&self, today: NaiveDate) -> Result<ItemDraft, Errors> {
        let mut errors = Errors::new();
        let text = |s: &Option<String>| s.clone().unwrap_or_default();
        let written_on = day(&text(&self.written_on))
            .map_err(|e| errors.insert("written_on", e))
            .ok()
            .flatten();
        let changed_on = day(&text(&self.changed_on))
            .map_err(|e| errors.insert("changed_on", e))
            .ok()
            .flatten();
        let disclosure = match text(&self.disclosure).trim() {
            "" => None,
            d => Disclosure::parse(d).or_else(|| {
                errors.insert(
                    "disclosure",
                    format!("没有公开属性“{d}”；应为 active（主动公开）、on_request（依申请公开）或 withheld（不予公开）"),
                );
                None
            }),
        };
        let doc_kind = match text(&self.doc_kind).trim() {
            "" => None,
            k => DocumentKind::parse(k).or_else(|| {
                errors.insert(
                    "doc_kind",
                    format!("没有文件类别“{k}”；应为 normative（行政规范性文件）、regulation（规章）或 null"),
                );
                None
            }),
        };
        let d = ItemDraft {
            title: text(&self.title),
            summary: text(&self.summary),
            body: text(&self.body).replace("\r\n", "\n"),
            publisher: text(&self.publisher),
            written_on,
            changed_on,
            doc_no: text(&self.doc_no),
            topic: text(&self.topic),
            column: text(&self.column),
            disclosure,
            ground: text(&self.ground),
            reason: text(&self.reason),
            doc_kind,
            interprets: self.interprets,
        };
        for (field, message) in d.problems(today) {
            errors.entry(field).or_insert(message);
        }
        if errors.is_empty() {
            Ok(d)
        } else {
            Err(errors)
        }
    }
}

/// 422 with what is wrong with each field.
fn invalid_item(errors: Errors) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({ "error": "事项内容不完整或有误", "fields": errors })),
    )
        .into_response()
}

async fn create_item(
    State(state): State<Shared>,
    c: Client,
    body: Result<Json<ItemBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let b = json_body(body)?;
    let agency_id = match &b.agency {
        None | Some(Value::Null) => String::new(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(AppError::Invalid("agency 应为机关编号".into()).into()),
    };
    let agency = client_agency(&state, &c, &agency_id).await?;
    drafter_only(c.user.role)?;
    let today = state.today();
    let d = match b.draft(today) {
        Ok(d) => d,
        Err(errors) => return Ok(invalid_item(errors)),
    };
    let item = state
        .store
        .create_item(&c.actor(), &c.scope, &agency.name, &d, today)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(item_detail(&state, &c, item.id).await?),
    )
        .into_response())
}

/// Changes a draft (or an item sent back): the fields given replace the
/// item's, those left out keep their values.
async fn update_item(
    State(state): State<Shared>,
    c: Client,
    Path(id): Path<String>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<Response, ApiError> {
    let item = state.store.item(&c.scope, parse_id(&id)?).await?;
    drafter_only(c.user.role)?;
    let Value::Object(given) = json_body(body)? else {
        return Err(AppError::Invalid("请求体应为 JSON 对象".into()).into());
    };
    if !item.status.editable() {
        return Err(AppError::Invalid(format!("事项{}，不能修改", item.status.label())).into());
    }
    let mut fields = ItemBody::of(&item);
    fields.extend(given.into_iter().filter(|(k, _)| k != "agency"));
    let b: ItemBody = serde_json::from_value(Value::Object(fields))
        .map_err(|e| AppError::Invalid(format!("请求体的字段有误：{e}")))?;
    let today = state.today();
    let d = match b.draft(today) {
        Ok(d) => d,
        Err(errors) => return Ok(invalid_item(errors)),
    };
    state
        .store
        .update_item(&c.actor(), &c.scope, item.id, &d, today)
        .await?;
    state.search.changed();
    Ok(Json(item_detail(&state, &c, item.id).await?).into_response())
}

/// A step of the workflow, as the console's buttons take it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ItemActionBody {
    action: String,
    reason: Option<String>,
    validity: Option<String>,
    on: Option<String>,
}

impl ItemActionBody {
    fn action(&self) -> Result<Action, String> {
        let reason: String = self
            .reason
            .as_deref()
            .unwrap_or("")
            .trim()
            .chars()
            .take(500)
            .collect();
        match self.action.trim() {
            "submit" => Ok(Action::Submit),
            "approve" => Ok(Action::Approve),
            "return" => Ok(Action::Return { reason }),
            "withdraw" => Ok(Action::Ask(Request::Withdraw { reason })),
            "validity" => {
                let validity = Validity::parse(self.validity.as_deref().unwrap_or(""))
                    .ok_or("validity 应为 expired（失效）或 repealed（废止）")?;
                let on = day(self.on.as_deref().unwrap_or(""))?
                    .ok_or("请用 on 给出失效或废止的日期（YYYY-MM-DD）")?;
                Ok(Action::Ask(Request::Validity {
                    validity,
                    on,
                    reason,
                }))
            }
            "grant" => Ok(Action::Grant),
            "refuse" => Ok(Action::Refuse { reason }),
            "" => Err("请用 action 给出操作".into()),
            other => Err(format!(
                "没有操作“{other}”；操作为 submit、approve、return、withdraw、validity、grant、refuse"
            )),
        }
    }
}

async fn item_action(
    State(state): State<Shared>,
    c: Client,
    Path(id): Path<String>,
    body: Result<Json<ItemActionBody>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let item = state.store.item(&c.scope, parse_id(&id)?).await?;
    let Some(actor) = c.user.role.disclosure_actor() else {
        return Err(
            AppError::Forbidden(format!("{}不能办理主动公开事项", c.user.role.label())).into(),
        );
    };
    let action = json_body(body)?.action().map_err(AppError::Invalid)?;
    state
        .store
        .act_on_item(&c.actor(), actor, &c.scope, item.id, &action, state.today())
        .await?;
    state.search.changed();
    Ok(Json(item_detail(&state, &c, item.id).await?))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AttachParams {
    name: String,
}

/// A file attached to a draft: the request's body is the file, `name` its
/// name. Checked as the console checks it; a file that cannot be read for
/// the search is refused whole and nothing is stored.
async fn attach(
    State(state): State<Shared>,
    c: Client,
    Path(id): Path<String>,
    Query(p): Query<AttachParams>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let item = state.store.item(&c.scope, parse_id(&id)?).await?;
    drafter_only(c.user.role)?;
    let bytes = match body {
        Ok(b) => b,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return Err(AppError::TooLarge(format!(
                "附件超过{}MB，未上传；请拆分后分别上传",
                ATTACHMENT_LIMIT / (1024 * 1024)
            ))
            .into())
        }
        Err(_) => return Err(AppError::Invalid("附件没有完整收到，请重新上传".into()).into()),
    };
    if p.name.trim().is_empty() {
        return Err(AppError::Invalid("请用 name 参数给出文件名，如 ?name=通知.pdf".into()).into());
    }
    if bytes.is_empty() {
        return Err(AppError::Invalid("上传的附件是空的".into()).into());
    }
    if !item.status.editable() {
        return Err(
            AppError::Invalid(format!("事项{}，不能再添加附件", item.status.label())).into(),
        );
    }
    let name = clean_name(&p.name);
    let media = attachment_kind(&name, &bytes)
        .map_err(|why| AppError::Invalid(format!("{why}，未上传。")))?;
    let hash: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let (read_name, read_bytes) = (name.clone(), bytes.clone());
    let text = tokio::task::spawn_blocking(move || {
        gongkai_search::attachment_text(
            &read_name,
            &read_bytes,
            &gongkai_search::ExtractLimits::default(),
        )
    })
    .await
    .map_err(|e| AppError::Internal(format!("读取附件：{e}")))?
    .map_err(|why| AppError::Invalid(format!("{why}；附件未上传。")))?;
    let attachment = state
        .store
        .add_attachment(
            &c.actor(),
            &c.scope,
            item.id,
            &name,
            media,
            &bytes,
            &hash,
            &text,
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "attachment": attachment })),
    )
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SearchParams {
    q: String,
    agency: String,
    year: String,
    column: String,
    publisher: String,
    validity: String,
    page: String,
}

/// Results per page of the search.
const SEARCH_PER_PAGE: usize = 20;

/// The platform's full-text search of published items, as the portal's
/// search page has it; public, like that page. With no condition at all:
/// every published item, newest first.
async fn search(
    State(state): State<Shared>,
    Query(p): Query<SearchParams>,
) -> Result<Json<Value>, ApiError> {
    let agency = match p.agency.trim() {
        "" => None,
        id => Some(state.store.agency_by_id(parse_id(id)?).await?),
    };
    let last_page = gongkai_search::MAX_DEPTH / SEARCH_PER_PAGE;
    let page = page_param(&p.page)? as usize;
    if page > last_page {
        return Err(
            AppError::Invalid(format!("最多可以查看前{last_page}页，请增加查找条件")).into(),
        );
    }
    let validity = match p.validity.trim() {
        "" => None,
        v => Some(
            Validity::parse(v)
                .ok_or_else(|| {
                    AppError::Invalid(format!(
                        "没有有效性“{v}”；应为 valid（有效）、expired（失效）或 repealed（废止）"
                    ))
                })?
                .label()
                .to_string(),
        ),
    };
    let q = gongkai_search::Query {
        text: p.q.chars().take(200).collect(),
        agency_id: agency.as_ref().map(|a| a.id),
        year: year_param(&p.year)?,
        column: column_param(&p.column)?,
        publisher: Some(p.publisher.trim().to_string()).filter(|s| !s.is_empty()),
        validity,
        offset: (page - 1) * SEARCH_PER_PAGE,
        limit: SEARCH_PER_PAGE,
    };
    let index = state.search.index.clone();
    let results = tokio::task::spawn_blocking(move || index.search(&q))
        .await
        .map_err(|e| AppError::Internal(format!("检索：{e}")))?
        .map_err(|e| AppError::Internal(format!("检索：{e}")))?;
    let hits: Vec<Value> = results
        .hits
        .iter()
        .map(|h| {
            json!({
                "id": h.key,
                "agency_id": h.agency_id,
                "url": format!("/a/{}/i/{}", h.agency_id, h.key),
                "title_html": h.title_html,
                "snippet_html": h.snippet_html,
                "published_on": h.published_on,
                "doc_no": h.doc_no,
                "index_no": h.index_no,
                "publisher": h.publisher,
                "column": h.column,
                "column_name": rules::column(&h.column).map(|c| c.name),
                "validity": h.validity,
            })
        })
        .collect();
    Ok(Json(json!({
        "hits": hits,
        "total": results.total,
        "page": page,
        "pages": results.total.div_ceil(SEARCH_PER_PAGE).clamp(1, last_page),
        "ready": state.search.ready(),
    })))
}

#[cfg(test)]
mod tests {
    /// Every route of the API is described in the OpenAPI document, with
    /// the methods it answers to, and the document describes no other.
    #[test]
    fn the_document_describes_every_route() {
        let doc: serde_json::Value = serde_json::from_str(super::OPENAPI).expect("valid JSON");
        assert_eq!(doc["openapi"], "3.0.3");
        let source = include_str!("api.rs");
        let start = source.find("pub fn routes()").expect("routes()");
        let routes = &source[start..];
        let routes = &routes[..routes.find("\n}\n").expect("the end of routes()")];
        let mut routed = std::collections::BTreeSet::new();
        // Each `.route("path", method(handler).method(handler)…)`, however it is wrapped.
        for call in routes.split(".route(").skip(1) {
            let path = call.split('"').nth(1).expect("a path");
            if !path.starts_with("/api/v1") {
                continue;
            }
            let mut methods = 0;
            for method in ["get", "post", "put", "delete", "patch"] {
                let called = call.match_indices(&format!("{method}(")).any(|(i, _)| {
                    !call[..i]
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
                });
                if called {
                    assert!(
                        doc["paths"][path][method].is_object(),
                        "{method} {path} is not in openapi.json"
                    );
                    routed.insert(format!("{method} {path}"));
                    methods += 1;
                }
            }
            assert!(methods > 0, "{path}: no method");
        }
        assert!(routed.len() >= 17, "{} routes", routed.len());
        for (path, ops) in doc["paths"].as_object().expect("paths") {
            for method in ops.as_object().expect("operations").keys() {
                assert!(
                    routed.contains(&format!("{method} {path}")),
                    "openapi.json describes {method} {path}, which is not routed"
                );
            }
        }
    }
}
