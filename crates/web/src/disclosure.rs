//! The console's proactive disclosure (主动公开): the items of an agency
//! with their review, drafting and editing (经办人), the steps of the
//! 三级审核 (科室负责人 → 保密审查员 → 负责人), attachments, withdrawal and
//! repeal, the agency's particulars and its 指南, and publishing the annual
//! report in the 专栏.
//!
//! Who may take a step is the workflow's rule (`gongkai_casework::
//! disclosure::step`) with the role of the user; what they may see is their
//! scope, in the store's queries.

use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use gongkai_casework::disclosure::{
    self as rules, Action, Actor, Disclosure, ItemDraft, LocalLevel, Profile, Request, Status,
    Validity, WITHHOLDING_GROUNDS,
};
use gongkai_casework::model::DocumentKind;
use gongkai_store::{Agency, Item, ItemQuery, Role};

use crate::auth::Staff;
use crate::console::{download, encode};
use crate::error::AppError;
use crate::ledgers::{
    chosen_file, day, page, posted_agency, read_upload, refusal, shown_agency, status_of, Errors,
};
use crate::pages::render;
use crate::portal::parse_id;
use crate::Shared;

/// The largest attachment accepted.
pub const ATTACHMENT_LIMIT: usize = 20 * 1024 * 1024;
const FORM_OVERHEAD: usize = 64 * 1024;
/// The largest item form (the body may be long).
pub(crate) const ITEM_FORM_LIMIT: usize = 1024 * 1024;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/console/items", get(items))
        .route(
            "/console/items/new",
            get(new_item_form)
                .post(new_item)
                .layer(DefaultBodyLimit::max(ITEM_FORM_LIMIT)),
        )
        .route("/console/item/{id}", get(item_page))
        .route(
            "/console/item/{id}/edit",
            get(edit_item_form)
                .post(edit_item)
                .layer(DefaultBodyLimit::max(ITEM_FORM_LIMIT)),
        )
        .route("/console/item/{id}/action", post(item_action))
        .route(
            "/console/item/{id}/attach",
            post(attach).layer(DefaultBodyLimit::max(ATTACHMENT_LIMIT + FORM_OVERHEAD)),
        )
        .route("/console/item/{id}/detach", post(detach))
        .route("/console/item/{id}/file/{file}", get(attachment))
        .route("/console/guide", get(guide_page))
        .route("/console/guide/profile", post(save_profile))
        .route("/console/guide/text", post(save_guide))
        .route("/console/report/publish", post(publish_report))
}

/// The file kinds accepted as attachments: extension, media type, and the
/// bytes such a file starts with.
const ATTACHMENT_KINDS: [(&str, &str, &[u8]); 3] = [
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
    ("pdf", "application/pdf", b"%PDF-"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        b"PK\x03\x04",
    ),
];

/// The columns an item may be filed under, for the agency.
fn columns_for(level: LocalLevel) -> Vec<(&'static str, String)> {
    let mut v: Vec<(&'static str, String)> = rules::statutory_columns(level)
        .into_iter()
        .map(|c| (c.key, format!("{} {}", c.article, c.name)))
        .collect();
    v.push((rules::SYSTEM.key, rules::SYSTEM.name.to_string()));
    v
}

fn column_name(key: &str) -> String {
    rules::column(key)
        .map(|c| c.name.to_string())
        .unwrap_or_else(|| key.to_string())
}

/// What the list and pages show of an item.
fn item_view(i: &Item, today: NaiveDate) -> minijinja::Value {
    ctx! {
        id => i.id,
        index_no => i.index_no,
        title => i.title,
        summary => i.summary,
        body => i.body,
        publisher => i.publisher,
        written_on => i.written_on.to_string(),
        changed_on => i.changed_on.map(|d| d.to_string()),
        due_on => i.due_on.map(|d| d.to_string()),
        published_on => i.published_on.map(|d| d.to_string()),
        doc_no => i.doc_no,
        topic => i.topic,
        column => column_name(&i.column),
        column_key => i.column,
        disclosure => i.disclosure.label(),
        disclosure_key => i.disclosure.key(),
        ground => i.ground,
        reason => i.reason,
        doc_kind => i.doc_kind.map(|k| k.label()),
        validity => i.validity.map(|v| v.label()),
        validity_on => i.validity_on.map(|d| d.to_string()),
        status => i.status.label(),
        status_key => i.status.key(),
        request => i.request.as_ref().map(|r| r.label()),
        late => i.late(today),
        created_by => i.created_by,
    }
}

// ---------------------------------------------------------------------------
// The list

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct ItemParams {
    #[serde(default)]
    agency: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    column: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    q: String,
    /// `1`: only what waits for the user's own step.
    #[serde(default)]
    mine: String,
    #[serde(default)]
    page: String,
}

pub async fn items(
    State(state): State<Shared>,
    staff: Staff,
    Query(p): Query<ItemParams>,
) -> Result<Response, AppError> {
    let (agency, agencies) = shown_agency(&state, &staff, &p.agency).await?;
    let today = state.today();
    let status = Status::parse(&p.status);
    let actor = staff.user.role.disclosure_actor();
    let q = ItemQuery {
        status,
        column: (!p.column.is_empty()).then(|| p.column.clone()),
        year: p.year.trim().parse().ok(),
        text: (!p.q.trim().is_empty()).then(|| p.q.trim().to_string()),
        waiting_for: if p.mine == "1" { actor } else { None },
        page: p.page.trim().parse().unwrap_or(1),
        per_page: 30,
    };
    let list = state.store.items(&staff.scope, &agency.name, &q).await?;
    let todo = state
        .store
        .item_todo(&staff.scope, &agency.name, today)
        .await?;
    let level = state.store.profile(&agency.name).await?.local_level;
    let rows: Vec<_> = list.rows.iter().map(|i| item_view(i, today)).collect();
    let base = format!(
        "/console/items?agency={}&status={}&column={}&year={}&q={}&mine={}",
        agency.id,
        encode(&p.status),
        encode(&p.column),
        encode(&p.year),
        encode(&p.q),
        encode(&p.mine)
    );
    Ok(render(
        "items.html",
        ctx! {
            staff => staff.view(),
            agency => agency,
            agencies => agencies,
            params => p,
            rows => rows,
            total => list.total,
            page => list.page,
            pages => list.pages,
            base => base,
            todo => todo,
            statuses => Status::ALL.iter().map(|s| (s.key(), s.label())).collect::<Vec<_>>(),
            columns => columns_for(level.unwrap_or(LocalLevel::None)),
            drafts => actor == Some(Actor::Drafter),
            my_step => actor.map(|a| a.label()),
            year => today.year(),
        },
    )?
    .into_response())
}

// ---------------------------------------------------------------------------
// Drafting and editing

#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub struct ItemForm {
    #[serde(default, rename = "_csrf", skip_serializing)]
    csrf: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    publisher: String,
    #[serde(default)]
    written_on: String,
    #[serde(default)]
    changed_on: String,
    #[serde(default)]
    doc_no: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    column: String,
    #[serde(default)]
    disclosure: String,
    #[serde(default)]
    ground: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    doc_kind: String,
    /// The 索引号 or number of the item this one interprets.
    #[serde(default)]
    interprets: String,
}

impl ItemForm {
    fn from_item(i: &Item, interprets_index: Option<String>) -> ItemForm {
        ItemForm {
            title: i.title.clone(),
            summary: i.summary.clone(),
            body: i.body.clone(),
            publisher: i.publisher.clone(),
            written_on: i.written_on.to_string(),
            changed_on: i.changed_on.map(|d| d.to_string()).unwrap_or_default(),
            doc_no: i.doc_no.clone(),
            topic: i.topic.clone(),
            column: i.column.clone(),
            disclosure: i.disclosure.key().into(),
            ground: i.ground.clone(),
            reason: i.reason.clone(),
            doc_kind: i.doc_kind.map(|k| k.row_key()).unwrap_or("").into(),
            interprets: interprets_index.unwrap_or_default(),
            ..Default::default()
        }
    }
}

/// The draft a form describes, or what is wrong with each field.
async fn draft_from(
    state: &Shared,
    staff: &Staff,
    agency: &Agency,
    f: &ItemForm,
) -> Result<ItemDraft, Errors> {
    let mut errors = Errors::new();
    let written_on = day(&f.written_on)
        .map_err(|e| errors.insert("written_on", e))
        .ok()
        .flatten();
    let changed_on = day(&f.changed_on)
        .map_err(|e| errors.insert("changed_on", e))
        .ok()
        .flatten();
    let doc_kind = match f.doc_kind.as_str() {
        "" => None,
        k => match DocumentKind::parse(k) {
            Some(k) => Some(k),
            None => {
                errors.insert("doc_kind", "请选择规章、行政规范性文件或不属于".into());
                None
            }
        },
    };
    let interprets = match f.interprets.trim() {
        "" => None,
        t => match find_item(state, staff, agency, t).await {
            Some(id) => Some(id),
            None => {
                errors.insert("interprets", format!("本机关没有索引号或编号为“{t}”的事项"));
                None
            }
        },
    };
    let d = ItemDraft {
        title: f.title.clone(),
        summary: f.summary.clone(),
        body: f.body.replace("\r\n", "\n"),
        publisher: f.publisher.clone(),
        written_on,
        changed_on,
        doc_no: f.doc_no.clone(),
        topic: f.topic.clone(),
        column: f.column.clone(),
        disclosure: Disclosure::parse(&f.disclosure),
        ground: f.ground.clone(),
        reason: f.reason.clone(),
        doc_kind,
        interprets,
    };
    for (field, message) in d.problems(state.today()) {
        if !(field == "written_on" && errors.contains_key("written_on")) {
            errors.entry(field).or_insert(message);
        }
    }
    if errors.is_empty() {
        Ok(d)
    } else {
        Err(errors)
    }
}

/// An item of the agency named by its 索引号 or its number.
async fn find_item(state: &Shared, staff: &Staff, agency: &Agency, text: &str) -> Option<i64> {
    if let Ok(id) = text.parse::<i64>() {
        if let Ok(i) = state.store.item(&staff.scope, id).await {
            if i.agency == agency.name {
                return Some(i.id);
            }
        }
    }
    let q = ItemQuery {
        text: Some(text.to_string()),
        page: 1,
        per_page: 5,
        ..Default::default()
    };
    let page = state
        .store
        .items(&staff.scope, &agency.name, &q)
        .await
        .ok()?;
    page.rows
        .into_iter()
        .find(|i| i.index_no == text)
        .map(|i| i.id)
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &Shared,
    staff: &Staff,
    agency: &Agency,
    editing: Option<&Item>,
    form: &ItemForm,
    errors: &Errors,
) -> Result<Response, AppError> {
    let level = state.store.profile(&agency.name).await?.local_level;
    let html = render(
        "item_form.html",
        ctx! {
            staff => staff.view(),
            agency => agency,
            editing => editing.map(|i| ctx! { id => i.id, index_no => i.index_no, status => i.status.label() }),
            form => form,
            errors => errors,
            columns => columns_for(level.unwrap_or(LocalLevel::None)),
            disclosures => Disclosure::ALL.iter().map(|d| (d.key(), d.label())).collect::<Vec<_>>(),
            grounds => WITHHOLDING_GROUNDS.iter().map(|(a, why)| (*a, format!("{a}：{why}"))).collect::<Vec<_>>(),
            doc_kinds => [DocumentKind::Normative, DocumentKind::Regulation].iter().map(|k| (k.row_key(), k.label())).collect::<Vec<_>>(),
            today => state.today().to_string(),
        },
    )?;
    Ok(page(status_of(errors), html))
}

fn must_draft(staff: &Staff) -> Result<(), AppError> {
    drafter_only(staff.user.role)
}

/// Only a 经办人 drafts and edits items, attaches and detaches files.
pub(crate) fn drafter_only(role: Role) -> Result<(), AppError> {
    if role == Role::Clerk {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "政府信息由本机关经办人起草和修改；请用经办人的账号".into(),
        ))
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct AgencyParam {
    #[serde(default)]
    agency: String,
}

pub async fn new_item_form(
    State(state): State<Shared>,
    staff: Staff,
    Query(p): Query<AgencyParam>,
) -> Result<Response, AppError> {
    let (agency, _) = shown_agency(&state, &staff, &p.agency).await?;
    must_draft(&staff)?;
    let form = ItemForm {
        agency: agency.id.to_string(),
        publisher: agency.name.clone(),
        written_on: state.today().to_string(),
        disclosure: Disclosure::Active.key().into(),
        column: rules::ARTICLE_20[0].key.into(),
        ..Default::default()
    };
    form_page(&state, &staff, &agency, None, &form, &Errors::new()).await
}

pub async fn new_item(
    State(state): State<Shared>,
    staff: Staff,
    headers: axum::http::HeaderMap,
    Form(f): Form<ItemForm>,
) -> Result<Response, AppError> {
    crate::auth::same_site(&headers)?;
    staff.check_csrf(&f.csrf)?;
    let agency = posted_agency(&state, &staff, &f.agency).await?;
    must_draft(&staff)?;
    let d = match draft_from(&state, &staff, &agency, &f).await {
        Ok(d) => d,
        Err(errors) => return form_page(&state, &staff, &agency, None, &f, &errors).await,
    };
    match state
        .store
        .create_item(
            &staff.actor(),
            &staff.scope,
            &agency.name,
            &d,
            state.today(),
        )
        .await
    {
        Ok(item) => Ok(Redirect::to(&format!("/console/item/{}", item.id)).into_response()),
        Err(e) => {
            let mut errors = Errors::new();
            errors.insert("form", refusal(e)?);
            form_page(&state, &staff, &agency, None, &f, &errors).await
        }
    }
}

async fn item_in_scope(
    state: &Shared,
    staff: &Staff,
    id: &str,
) -> Result<(Item, Agency), AppError> {
    let item = state.store.item(&staff.scope, parse_id(id)?).await?;
    let agency = state.store.agency_by_name(&item.agency).await?;
    Ok((item, agency))
}

pub async fn edit_item_form(
    State(state): State<Shared>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (item, agency) = item_in_scope(&state, &staff, &id).await?;
    must_draft(&staff)?;
    if !item.status.editable() {
        return Err(AppError::Invalid(format!(
            "事项{}，不能修改",
            item.status.label()
        )));
    }
    let interprets = match item.interprets {
        Some(p) => state
            .store
            .item(&staff.scope, p)
            .await
            .ok()
            .map(|i| i.index_no),
        None => None,
    };
    let mut form = ItemForm::from_item(&item, interprets);
    form.agency = agency.id.to_string();
    form_page(&state, &staff, &agency, Some(&item), &form, &Errors::new()).await
}

pub async fn edit_item(
    State(state): State<Shared>,
    staff: Staff,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    Form(f): Form<ItemForm>,
) -> Result<Response, AppError> {
    crate::auth::same_site(&headers)?;
    staff.check_csrf(&f.csrf)?;
    let (item, agency) = item_in_scope(&state, &staff, &id).await?;
    must_draft(&staff)?;
    let d = match draft_from(&state, &staff, &agency, &f).await {
        Ok(d) => d,
        Err(errors) => return form_page(&state, &staff, &agency, Some(&item), &f, &errors).await,
    };
    match state
        .store
        .update_item(&staff.actor(), &staff.scope, item.id, &d, state.today())
        .await
    {
        Ok(_) => {
            state.search.changed();
            Ok(Redirect::to(&format!("/console/item/{}", item.id)).into_response())
        }
        Err(e) => {
            let mut errors = Errors::new();
            errors.insert("form", refusal(e)?);
            form_page(&state, &staff, &agency, Some(&item), &f, &errors).await
        }
    }
}

// ---------------------------------------------------------------------------
// The item page and its steps

async fn show_item(
    state: &Shared,
    staff: &Staff,
    item: &Item,
    agency: &Agency,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let today = state.today();
    let steps = state.store.item_steps(&staff.scope, item.id).await?;
    let files = state.store.attachments(&staff.scope, item.id).await?;
    let (policy, readings) = state.store.item_links(&staff.scope, item).await?;
    let actor = staff.user.role.disclosure_actor();
    let can = |a: &Action| {
        actor.is_some_and(|who| {
            rules::step(
                item.status,
                item.disclosure,
                item.doc_kind.is_some(),
                item.request.as_ref(),
                who,
                a,
            )
            .is_ok()
        })
    };
    let probe_reason = "x".to_string();
    let calendar = state.store.calendar();
    let clock = match (item.disclosure, item.due_on) {
        (Disclosure::Active, Some(due)) => {
            let from = item.changed_on.unwrap_or(item.written_on);
            Some(ctx! {
                from => from.to_string(),
                from_what => if item.changed_on.is_some() { "变更日期" } else { "成文日期" },
                due => due.to_string(),
                days_left => item.published_on.is_none().then(|| calendar.signed_working_days(today, due)),
                taken => item.published_on.map(|p| rules::days_taken(&calendar, from, p)),
                late => item.late(today),
            })
        }
        _ => None,
    };
    let html = render(
        "item.html",
        ctx! {
            staff => staff.view(),
            agency => agency,
            item => item_view(item, today),
            steps => steps,
            files => files,
            policy => policy,
            readings => readings,
            clock => clock,
            error => error,
            public_url => (item.status == Status::Published).then(|| format!("/a/{}/i/{}", agency.id, item.id)),
            can => ctx! {
                edit => actor == Some(Actor::Drafter) && item.status.editable(),
                submit => can(&Action::Submit),
                approve => can(&Action::Approve),
                give_back => can(&Action::Return { reason: probe_reason.clone() }),
                withdraw => can(&Action::Ask(Request::Withdraw { reason: probe_reason.clone() })),
                repeal => can(&Action::Ask(Request::Validity { validity: Validity::Repealed, on: today, reason: probe_reason.clone() })),
                decide => can(&Action::Grant),
            },
            approve_label => match item.status {
                Status::Review => "科室审核通过",
                Status::Secrecy => "保密审查通过",
                Status::Sign if item.disclosure == Disclosure::Active => "签发并发布",
                _ => "签发（不主动公开，归档）",
            },
            limit_mb => ATTACHMENT_LIMIT / (1024 * 1024),
            today => today.to_string(),
        },
    )?;
    Ok(page(status, html))
}

pub async fn item_page(
    State(state): State<Shared>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (item, agency) = item_in_scope(&state, &staff, &id).await?;
    show_item(&state, &staff, &item, &agency, None, StatusCode::OK).await
}

#[derive(Debug, Default, Deserialize)]
pub struct ActionForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    validity: String,
    #[serde(default)]
    on: String,
}

pub async fn item_action(
    State(state): State<Shared>,
    staff: Staff,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    Form(f): Form<ActionForm>,
) -> Result<Response, AppError> {
    crate::auth::same_site(&headers)?;
    staff.check_csrf(&f.csrf)?;
    let (item, agency) = item_in_scope(&state, &staff, &id).await?;
    let Some(actor) = staff.user.role.disclosure_actor() else {
        return Err(AppError::Forbidden(format!(
            "{}不能办理主动公开事项",
            staff.user.role.label()
        )));
    };
    let reason = f.reason.trim().chars().take(500).collect::<String>();
    let action = match f.action.as_str() {
        "submit" => Ok(Action::Submit),
        "approve" => Ok(Action::Approve),
        "return" => Ok(Action::Return { reason }),
        "withdraw" => Ok(Action::Ask(Request::Withdraw { reason })),
        "validity" => match (Validity::parse(&f.validity), day(&f.on)) {
            (Some(v), Ok(Some(on))) => Ok(Action::Ask(Request::Validity {
                validity: v,
                on,
                reason,
            })),
            (None, _) => Err("请选择失效或废止".to_string()),
            (_, Err(e)) => Err(e),
            (_, Ok(None)) => Err("请填写失效或废止的日期".to_string()),
        },
        "grant" => Ok(Action::Grant),
        "refuse" => Ok(Action::Refuse { reason }),
        _ => Err("未知的操作".to_string()),
    };
    let action = match action {
        Ok(a) => a,
        Err(why) => {
            return show_item(
                &state,
                &staff,
                &item,
                &agency,
                Some(why),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    match state
        .store
        .act_on_item(
            &staff.actor(),
            actor,
            &staff.scope,
            item.id,
            &action,
            state.today(),
        )
        .await
    {
        Ok(_) => {
            state.search.changed();
            Ok(Redirect::to(&format!("/console/item/{}", item.id)).into_response())
        }
        Err(e) => {
            let why = refusal(e)?;
            let item = state.store.item(&staff.scope, item.id).await?;
            show_item(
                &state,
                &staff,
                &item,
                &agency,
                Some(why),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

// ---------------------------------------------------------------------------
// Attachments

/// The kind of an uploaded file, by its name and its first bytes; `Err`
/// says what is wrong.
pub fn attachment_kind(name: &str, bytes: &[u8]) -> Result<&'static str, String> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let Some((_, media, magic)) = ATTACHMENT_KINDS.iter().find(|(e, _, _)| *e == ext) else {
        return Err(format!(
            "《{name}》不是可以上传的文件类型；附件须为 Word（.docx）、PDF（.pdf）或 Excel（.xlsx）文件{}",
            if ext == "doc" || ext == "xls" || ext == "wps" {
                "，旧版 Office 文件请先另存为 .docx 或 .xlsx"
            } else {
                ""
            }
        ));
    };
    if !bytes.starts_with(magic) {
        return Err(format!(
            "《{name}》的内容不是{}文件（文件可能已损坏或扩展名有误）",
            ext.to_uppercase()
        ));
    }
    Ok(media)
}

/// A file name safe to keep and to show: no folders, no control characters.
pub(crate) fn clean_name(name: &str) -> String {
    clean_name_or(name, "附件")
}

/// As [`clean_name`], with another name for a file that gives none.
pub(crate) fn clean_name_or(name: &str, unnamed: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(120).collect();
    let cleaned = cleaned.trim().to_string();
    if cleaned.is_empty() {
        unnamed.into()
    } else {
        cleaned
    }
}

pub async fn attach(
    State(state): State<Shared>,
    staff: Staff,
    Path(id): Path<String>,
    mp: Multipart,
) -> Result<Response, AppError> {
    let mut up = match read_upload(mp, ATTACHMENT_LIMIT).await {
        Ok(up) => up,
        Err(res) => return Ok(res),
    };
    staff.check_csrf(up.field("_csrf"))?;
    let (item, agency) = item_in_scope(&state, &staff, &id).await?;
    must_draft(&staff)?;
    let refuse = |why: String| {
        show_item(
            &state,
            &staff,
            &item,
            &agency,
            Some(why),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let Some((name, bytes)) = chosen_file(&mut up) else {
        return refuse("请选择要上传的附件".into()).await;
    };
    let name = clean_name(&name);
    let media = match attachment_kind(&name, &bytes) {
        Ok(m) => m,
        Err(why) => return refuse(format!("{why}，未上传。")).await,
    };
    let hash: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    // Read for the search before anything is stored: a file that cannot be
    // read is refused whole.
    let (read_name, read_bytes) = (name.clone(), bytes.clone());
    let text = tokio::task::spawn_blocking(move || {
        gongkai_search::attachment_text(
            &read_name,
            &read_bytes,
            &gongkai_search::ExtractLimits::default(),
        )
    })
    .await
    .map_err(|e| AppError::Internal(format!("读取附件：{e}")))?;
    let text = match text {
        Ok(t) => t,
        Err(why) => return refuse(format!("{why}；附件未上传。")).await,
    };
    match state
        .store
        .add_attachment(
            &staff.actor(),
            &staff.scope,
            item.id,
            &name,
            media,
            &bytes,
            &hash,
            &text,
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/console/item/{}#files", item.id)).into_response()),
        Err(e) => refuse(refusal(e)?).await,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DetachForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    file: String,
}

pub async fn detach(
    State(state): State<Shared>,
    staff: Staff,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    Form(f): Form<DetachForm>,
) -> Result<Response, AppError> {
    crate::auth::same_site(&headers)?;
    staff.check_csrf(&f.csrf)?;
    let (item, agency) = item_in_scope(&state, &staff, &id).await?;
    must_draft(&staff)?;
    match state
        .store
        .remove_attachment(&staff.actor(), &staff.scope, item.id, parse_id(&f.file)?)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/console/item/{}#files", item.id)).into_response()),
        Err(e) => {
            let why = refusal(e)?;
            show_item(
                &state,
                &staff,
                &item,
                &agency,
                Some(why),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub async fn attachment(
    State(state): State<Shared>,
    staff: Staff,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (meta, bytes) = state
        .store
        .attachment(&staff.scope, parse_id(&id)?, parse_id(&file)?)
        .await?;
    Ok(file_response(&meta.file_name, &meta.media_type, bytes))
}

/// An attachment as a download, under its own name.
pub fn file_response(name: &str, media: &str, bytes: Vec<u8>) -> Response {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    download(bytes, media, stem, ext)
}

// ---------------------------------------------------------------------------
// 指南 and the agency's particulars

#[derive(Debug, Default, Deserialize)]
pub struct GuideParams {
    #[serde(default)]
    agency: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    saved: String,
}

fn may_edit_guide(staff: &Staff) -> bool {
    matches!(staff.user.role, Role::Clerk | Role::Leader | Role::Admin)
}

/// The 指南 in force: the newest edited version, else the generated one.
pub async fn guide_in_force(
    state: &Shared,
    agency: &Agency,
) -> Result<(String, Option<(i64, String)>), AppError> {
    if let Some((version, body, _, at)) = state.store.guide(&agency.name).await? {
        return Ok((body, Some((version, at))));
    }
    let profile = state.store.profile(&agency.name).await?;
    Ok((rules::guide_text(&agency.name, &profile, true), None))
}

async fn guide_view(
    state: &Shared,
    staff: &Staff,
    agency: &Agency,
    agencies: &[Agency],
    p: &GuideParams,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let profile = state.store.profile(&agency.name).await?;
    let (current, edited) = guide_in_force(state, agency).await?;
    let versions = state
        .store
        .guide_versions(&staff.scope, &agency.name)
        .await?;
    let shown_version = match p.version.trim().parse::<i64>() {
        Ok(v) => Some((
            v,
            state
                .store
                .guide_version(&staff.scope, &agency.name, v)
                .await?,
        )),
        Err(_) => None,
    };
    let html = render(
        "guide_console.html",
        ctx! {
            staff => staff.view(),
            agency => agency,
            agencies => agencies,
            profile => profile,
            level => profile.local_level.unwrap_or(LocalLevel::None).key(),
            levels => LocalLevel::ALL.iter().map(|l| (l.key(), l.label())).collect::<Vec<_>>(),
            current => current,
            edited => edited,
            generated => rules::guide_text(&agency.name, &profile, true),
            versions => versions,
            shown_version => shown_version,
            may_edit => may_edit_guide(staff),
            saved => p.saved,
            error => error,
        },
    )?;
    Ok(page(status, html))
}

pub async fn guide_page(
    State(state): State<Shared>,
    staff: Staff,
    Query(p): Query<GuideParams>,
) -> Result<Response, AppError> {
    let (agency, agencies) = shown_agency(&state, &staff, &p.agency).await?;
    guide_view(&state, &staff, &agency, &agencies, &p, None, StatusCode::OK).await
}

#[derive(Debug, Default, Deserialize)]
pub struct ProfileForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    office: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    postcode: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    telephone: String,
    #[serde(default)]
    fax: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    level: String,
}

fn must_edit_guide(staff: &Staff) -> Result<(), AppError> {
    if may_edit_guide(staff) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "机关基本信息和指南由本机关经办人、负责人或管理员维护".into(),
        ))
    }
}

pub async fn save_profile(
    State(state): State<Shared>,
    staff: Staff,
    headers: axum::http::HeaderMap,
    Form(f): Form<ProfileForm>,
) -> Result<Response, AppError> {
    crate::auth::same_site(&headers)?;
    staff.check_csrf(&f.csrf)?;
    let agency = posted_agency(&state, &staff, &f.agency).await?;
    must_edit_guide(&staff)?;
    let p = Profile {
        code: f.code.trim().to_string(),
        office: f.office.trim().to_string(),
        address: f.address.trim().to_string(),
        postcode: f.postcode.trim().to_string(),
        hours: f.hours.trim().to_string(),
        telephone: f.telephone.trim().to_string(),
        fax: f.fax.trim().to_string(),
        email: f.email.trim().to_string(),
        website: f.website.trim().to_string(),
        local_level: LocalLevel::parse(&f.level),
    };
    match state
        .store
        .put_profile(&staff.actor(), &staff.scope, &agency.name, &p)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "/console/guide?agency={}&saved=profile",
            agency.id
        ))
        .into_response()),
        Err(e) => {
            let why = refusal(e)?;
            let agencies = crate::console::scoped_agencies(&state, &staff).await?;
            guide_view(
                &state,
                &staff,
                &agency,
                &agencies,
                &GuideParams::default(),
                Some(why),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct GuideForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    body: String,
}

pub async fn save_guide(
    State(state): State<Shared>,
    staff: Staff,
    headers: axum::http::HeaderMap,
    Form(f): Form<GuideForm>,
) -> Result<Response, AppError> {
    crate::auth::same_site(&headers)?;
    staff.check_csrf(&f.csrf)?;
    let agency = posted_agency(&state, &staff, &f.agency).await?;
    must_edit_guide(&staff)?;
    match state
        .store
        .put_guide(
            &staff.actor(),
            &staff.scope,
            &agency.name,
            &f.body.replace("\r\n", "\n"),
        )
        .await
    {
        Ok(v) => Ok(
            Redirect::to(&format!("/console/guide?agency={}&saved={v}", agency.id)).into_response(),
        ),
        Err(e) => {
            let why = refusal(e)?;
            let agencies = crate::console::scoped_agencies(&state, &staff).await?;
            guide_view(
                &state,
                &staff,
                &agency,
                &agencies,
                &GuideParams::default(),
                Some(why),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

// ---------------------------------------------------------------------------
// 年报

#[derive(Debug, Default, Deserialize)]
pub struct PublishForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    year: String,
}

/// Publishes the report as the report page shows it (generated from the
/// ledger with its narrative) in the agency's 专栏. The 负责人 signs it off.
pub async fn publish_report(
    State(state): State<Shared>,
    staff: Staff,
    headers: axum::http::HeaderMap,
    Form(f): Form<PublishForm>,
) -> Result<Response, AppError> {
    crate::auth::same_site(&headers)?;
    staff.check_csrf(&f.csrf)?;
    let agency = posted_agency(&state, &staff, &f.agency).await?;
    if staff.user.role != Role::Leader {
        return Err(AppError::Forbidden(
            "年度报告由本机关负责人审定后发布".into(),
        ));
    }
    let today = state.today();
    let year = crate::ledgers::year_param(&f.year, today)?;
    let report = state
        .store
        .annual_report(&staff.actor(), &agency.name, year, today)
        .await?;
    let checked = gongkai_report::check(&report);
    let errors = checked
        .iter()
        .filter(|d| d.level == gongkai_report::Level::Error)
        .count() as i64;
    let warnings = checked
        .iter()
        .filter(|d| d.level == gongkai_report::Level::Warning)
        .count() as i64;
    if errors > 0 {
        return Err(AppError::Invalid(format!(
            "年度报告还有{errors}处错误（见报告页面标出的单元格），改正后才能发布"
        )));
    }
    let json = gongkai_write::write(gongkai_write::Format::Json, &report);
    state
        .store
        .publish_report(
            &staff.actor(),
            &staff.scope,
            &agency.name,
            year,
            &json,
            errors,
            warnings,
            today,
        )
        .await?;
    Ok(Redirect::to(&format!(
        "/console/report?agency={}&year={year}&published=1",
        agency.id
    ))
    .into_response())
}

/// What the report page says of the year's publication.
pub async fn publication(
    state: &Shared,
    agency: &Agency,
    year: i32,
) -> Result<minijinja::Value, AppError> {
    let due = gongkai_store::report_due(&agency.kind, year);
    let published = state.store.published_report(&agency.name, year).await.ok();
    let today = state.today();
    Ok(ctx! {
        due => due.to_string(),
        due_rule => if agency.kind == "government" { "人民政府于每年3月31日前公布" } else { "部门于每年1月31日前公布" },
        published_on => published.as_ref().map(|p| p.published_on.to_string()),
        version => published.as_ref().map(|p| p.version),
        late => match &published {
            Some(p) => p.published_on > due,
            None => today > due,
        },
        overdue_unpublished => published.is_none() && today > due,
        public_url => format!("/a/{}/reports/{year}", agency.id),
        can_publish => year < today.year(),
    })
}
