//! The JSON API under `/api/v1`, for an agency's CMS and other machine
//! clients: tokens (`Authorization: Bearer gk_…`) made on the console's user
//! page, the same scope as the console. `/api/openapi.json` describes it;
//! `/api/docs` shows that description as a page.

use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use gongkai_store::{Scope, User};

use crate::auth::token_hash;
use crate::console::{event_text, ActionForm, ListParams};
use crate::error::{ApiError, AppError};
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

#[cfg(test)]
mod tests {
    /// Every route of the API is described in the OpenAPI document, with the
    /// methods it answers to.
    #[test]
    fn the_document_describes_every_route() {
        let doc: serde_json::Value = serde_json::from_str(super::OPENAPI).expect("valid JSON");
        assert_eq!(doc["openapi"], "3.0.3");
        let source = include_str!("api.rs");
        let mut seen = 0;
        // Each `.route("path", method(handler))`, however it is wrapped.
        for call in source.split(".route(").skip(1) {
            let call = &call[..call.find(')').unwrap_or(call.len())];
            let path = call.split('"').nth(1).expect("a path");
            if !path.starts_with("/api/v1") {
                continue;
            }
            let method = if call.contains("post(") {
                "post"
            } else {
                "get"
            };
            assert!(
                doc["paths"][path][method].is_object(),
                "{method} {path} is not in openapi.json"
            );
            seen += 1;
        }
        assert!(seen >= 10, "{seen} routes");
    }
}
