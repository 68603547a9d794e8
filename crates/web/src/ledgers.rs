//! The console's other ledgers: the normative documents (规章、行政规范性
//! 文件), the enforcement figures of table 2, the reconsiderations and
//! lawsuits of table 4, the import of an office's 台账 workbook, the narrative
//! sections of the annual report, and the settings (working-day calendar,
//! the reconsideration body and court named in reply letters).
//!
//! Reading follows the user's scope; changing an agency's ledgers takes its
//! 经办人 or 负责人; the calendar takes the administrator; the remedies the
//! administrator or the agency's 负责人. Another agency's records answer "not
//! found", like missing ones.

use std::collections::BTreeMap;

use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use gongkai_casework::model::{
    CaseKind, CaseResult, DocumentKind, Enforcement, LegalCase, NormativeDocument,
};
use gongkai_store::{Agency, Role, StoreError};

use crate::auth::Staff;
use crate::console::{encode, scoped_agencies};
use crate::error::AppError;
use crate::pages::{render, render_or_plain};
use crate::portal::parse_id;
use crate::Shared;

/// The largest 台账 file accepted (the request around it may be a little larger).
pub const LEDGER_UPLOAD_LIMIT: usize = 10 * 1024 * 1024;
/// The largest calendar file accepted.
pub const CALENDAR_UPLOAD_LIMIT: usize = 256 * 1024;
/// Room for the other fields and the multipart framing.
const FORM_OVERHEAD: usize = 64 * 1024;
/// The longest narrative section accepted.
const NARRATIVE_LIMIT: usize = 20_000;

/// The routes of this module (the uploads with their own body limits).
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/console/documents", get(documents).post(save_document))
        .route(
            "/console/enforcement",
            get(enforcement).post(save_enforcement),
        )
        .route(
            "/console/legal-cases",
            get(legal_cases).post(save_legal_case),
        )
        .route(
            "/console/import",
            get(import_form)
                .post(import)
                .layer(DefaultBodyLimit::max(LEDGER_UPLOAD_LIMIT + FORM_OVERHEAD)),
        )
        .route("/console/report/narrative", post(save_narrative))
        .route("/console/settings", get(settings))
        .route(
            "/console/settings/calendar",
            post(load_calendar).layer(DefaultBodyLimit::max(CALENDAR_UPLOAD_LIMIT + FORM_OVERHEAD)),
        )
        .route("/console/settings/remedies", post(save_remedies))
}

pub(crate) type Errors = BTreeMap<&'static str, String>;

// ---------------------------------------------------------------------------
// Shared pieces

/// The agency a page shows: the one asked for (by id, within the scope —
/// otherwise "not found"), or the user's own, or the first in the scope.
pub(crate) async fn shown_agency(
    state: &Shared,
    staff: &Staff,
    id: &str,
) -> Result<(Agency, Vec<Agency>), AppError> {
    let agencies = scoped_agencies(state, staff).await?;
    let agency = if id.trim().is_empty() {
        agencies
            .iter()
            .find(|a| Some(&a.name) == staff.user.agency.as_ref())
            .or_else(|| agencies.first())
            .cloned()
    } else {
        let id = parse_id(id.trim())?;
        agencies.iter().find(|a| a.id == id).cloned()
    };
    Ok((agency.ok_or(AppError::NotFound)?, agencies))
}

/// The agency a form names (by id): "not found" outside the scope.
pub(crate) async fn posted_agency(
    state: &Shared,
    staff: &Staff,
    id: &str,
) -> Result<Agency, AppError> {
    let agency = state.store.agency_by_id(parse_id(id.trim())?).await?;
    staff.scope.check(&agency.name, "机关")?;
    Ok(agency)
}

/// A date field: empty is `None`.
pub(crate) fn day(s: &str) -> Result<Option<NaiveDate>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| format!("“{s}”不是日期，应为 2025-03-04 的形式"))
}

/// A required date, not after today.
fn past_day(s: &str, what: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    match day(s)? {
        None => Err(format!("请填写{what}")),
        Some(d) if d > today => Err(format!("{what}不能晚于今天（{today}）")),
        Some(d) if d.year() < 1949 => Err(format!("{what}{d}过早，请检查")),
        Some(d) => Ok(d),
    }
}

/// A required text of at most `max` characters.
fn text(s: &str, what: &str, max: usize) -> Result<String, String> {
    let s = s.trim();
    if s.is_empty() {
        Err(format!("请填写{what}"))
    } else if s.chars().count() > max {
        Err(format!("{what}不能超过{max}个字"))
    } else {
        Ok(s.to_string())
    }
}

/// The year a page is about: the one asked for, or last year.
pub(crate) fn year_param(s: &str, today: NaiveDate) -> Result<i32, AppError> {
    let year = s.trim().parse::<i32>().unwrap_or(today.year() - 1);
    if (2008..=today.year()).contains(&year) {
        Ok(year)
    } else {
        Err(AppError::Invalid(format!("年度{year}不在2008年至今年之间")))
    }
}

/// A refusal the store gave for what was typed: shown next to the form.
pub(crate) fn refusal(e: StoreError) -> Result<String, AppError> {
    match e {
        StoreError::Invalid(why) => Ok(why),
        e => Err(e.into()),
    }
}

pub(crate) fn page(status: StatusCode, html: Html<String>) -> Response {
    (status, html).into_response()
}

pub(crate) fn status_of(errors: &Errors) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

// ---------------------------------------------------------------------------
// 规章、行政规范性文件

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct DocumentParams {
    #[serde(default)]
    agency: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    validity: String,
    #[serde(default)]
    year: String,
    /// The document to edit, by its number.
    #[serde(default)]
    edit: String,
    /// The number just saved (the notice).
    #[serde(default)]
    saved: String,
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct DocumentForm {
    #[serde(default, rename = "_csrf", skip_serializing)]
    csrf: String,
    #[serde(default)]
    agency: String,
    /// The number of the document edited; empty when adding one.
    #[serde(default)]
    original: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    issued_on: String,
    #[serde(default)]
    repealed_on: String,
}

const DOCUMENT_KINDS: [DocumentKind; 2] = [DocumentKind::Regulation, DocumentKind::Normative];

/// Whether a document matches the list's filters.
fn document_shown(d: &NormativeDocument, p: &DocumentParams, today: NaiveDate) -> bool {
    let in_force = d.repealed_on.is_none_or(|r| r > today);
    let year = p.year.trim().parse::<i32>().ok();
    (p.kind.is_empty() || d.kind.row_key() == p.kind)
        && match p.validity.as_str() {
            "in_force" => in_force,
            "repealed" => !in_force,
            _ => true,
        }
        && year
            .is_none_or(|y| d.issued_on.year() == y || d.repealed_on.is_some_and(|r| r.year() == y))
}

#[allow(clippy::too_many_arguments)]
async fn documents_page(
    state: &Shared,
    staff: &Staff,
    agency: &Agency,
    agencies: &[Agency],
    p: &DocumentParams,
    form: &DocumentForm,
    errors: &Errors,
) -> Result<Response, AppError> {
    let today = state.today();
    let all = state.store.documents(&staff.scope, &agency.name).await?;
    let total = all.len();
    let rows: Vec<_> = all
        .into_iter()
        .filter(|d| document_shown(d, p, today))
        .map(|d| {
            ctx! {
                number => d.number,
                kind => d.kind.label(),
                title => d.title,
                issued_on => d.issued_on.to_string(),
                repealed_on => d.repealed_on.map(|r| r.to_string()),
                in_force => d.repealed_on.is_none_or(|r| r > today),
                edit => format!("/console/documents?agency={}&edit={}", agency.id, encode(&d.number)),
            }
        })
        .collect();
    let html = render(
        "documents.html",
        ctx! {
            staff => staff.view(),
            here => "documents",
            agency => agency,
            agencies => agencies,
            params => p,
            rows => rows,
            total => total,
            kinds => DOCUMENT_KINDS.iter().map(|k| (k.row_key(), k.label())).collect::<Vec<_>>(),
            form => form,
            errors => errors,
            today => today.to_string(),
        },
    )?;
    Ok(page(status_of(errors), html))
}

pub async fn documents(
    State(state): State<Shared>,
    staff: Staff,
    Query(p): Query<DocumentParams>,
) -> Result<Response, AppError> {
    let (agency, agencies) = shown_agency(&state, &staff, &p.agency).await?;
    let mut form = DocumentForm {
        agency: agency.id.to_string(),
        kind: DocumentKind::Normative.row_key().into(),
        ..Default::default()
    };
    if !p.edit.is_empty() {
        let d = state
            .store
            .document(&staff.scope, &agency.name, &p.edit)
            .await?;
        form = DocumentForm {
            agency: agency.id.to_string(),
            original: d.number.clone(),
            number: d.number,
            kind: d.kind.row_key().into(),
            title: d.title,
            issued_on: d.issued_on.to_string(),
            repealed_on: d.repealed_on.map(|r| r.to_string()).unwrap_or_default(),
            ..Default::default()
        };
    }
    documents_page(
        &state,
        &staff,
        &agency,
        &agencies,
        &p,
        &form,
        &Errors::new(),
    )
    .await
}

/// The document a form describes, or what is wrong with each field.
fn document_from(f: &DocumentForm, today: NaiveDate) -> Result<NormativeDocument, Errors> {
    let mut errors = Errors::new();
    let number = text(&f.number, "文号", 100)
        .map_err(|e| errors.insert("number", e))
        .ok();
    let title = text(&f.title, "文件名称", 200)
        .map_err(|e| errors.insert("title", e))
        .ok();
    let kind = DOCUMENT_KINDS.into_iter().find(|k| k.row_key() == f.kind);
    if kind.is_none() {
        errors.insert("kind", "请选择规章或行政规范性文件".into());
    }
    let issued = past_day(&f.issued_on, "印发日期", today)
        .map_err(|e| errors.insert("issued_on", e))
        .ok();
    let repealed = day(&f.repealed_on)
        .map_err(|e| errors.insert("repealed_on", e))
        .ok();
    if let (Some(i), Some(Some(r))) = (issued, repealed) {
        if r < i {
            errors.insert("repealed_on", format!("废止日期不能早于印发日期（{i}）"));
        }
    }
    match (number, title, kind, issued, repealed) {
        (Some(number), Some(title), Some(kind), Some(issued_on), Some(repealed_on))
            if errors.is_empty() =>
        {
            Ok(NormativeDocument {
                number,
                kind,
                title,
                issued_on,
                repealed_on,
            })
        }
        _ => Err(errors),
    }
}

pub async fn save_document(
    State(state): State<Shared>,
    staff: Staff,
    Form(f): Form<DocumentForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&f.csrf)?;
    let agency = posted_agency(&state, &staff, &f.agency).await?;
    staff.must_handle()?;
    let today = state.today();
    let editing = !f.original.trim().is_empty();
    if editing {
        // Editing: the document must be the agency's.
        state
            .store
            .document(&staff.scope, &agency.name, f.original.trim())
            .await?;
    }
    let mut result = document_from(&f, today);
    if let Ok(doc) = &result {
        if editing && doc.number != f.original.trim() {
            let mut e = Errors::new();
            e.insert(
                "number",
                "文号登记后不能修改；文号有误的，请另行登记正确的文件".into(),
            );
            result = Err(e);
        } else if !editing {
            match state
                .store
                .document(&staff.scope, &agency.name, &doc.number)
                .await
            {
                Ok(_) => {
                    let mut e = Errors::new();
                    e.insert(
                        "number",
                        format!(
                            "本机关已登记文号为“{}”的文件；要修改，请在列表中点“修改”",
                            doc.number
                        ),
                    );
                    result = Err(e);
                }
                Err(StoreError::NotFound(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    let errors = match result {
        Ok(doc) => match state
            .store
            .put_document(&staff.actor(), &agency.name, &doc)
            .await
        {
            Ok(()) => {
                return Ok(Redirect::to(&format!(
                    "/console/documents?agency={}&saved={}",
                    agency.id,
                    encode(&doc.number)
                ))
                .into_response())
            }
            Err(e) => {
                let mut errors = Errors::new();
                errors.insert("form", refusal(e)?);
                errors
            }
        },
        Err(errors) => errors,
    };
    let agencies = scoped_agencies(&state, &staff).await?;
    let p = DocumentParams {
        agency: agency.id.to_string(),
        ..Default::default()
    };
    documents_page(&state, &staff, &agency, &agencies, &p, &f, &errors).await
}

// ---------------------------------------------------------------------------
// 执法数据 (table 2: 行政许可、行政处罚、行政强制、行政事业性收费)

#[derive(Debug, Default, Deserialize)]
pub struct YearParams {
    #[serde(default)]
    agency: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    saved: String,
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct EnforcementForm {
    #[serde(default, rename = "_csrf", skip_serializing)]
    csrf: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    license: String,
    #[serde(default)]
    penalty: String,
    #[serde(default)]
    coercion: String,
    #[serde(default)]
    fee_amount: String,
}

/// A count of decisions: a whole number, not negative.
fn count(s: &str) -> Result<i64, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("请填写数量（没有的填0）".into());
    }
    s.parse::<i64>()
        .ok()
        .filter(|n| (0..=100_000_000).contains(n))
        .ok_or_else(|| format!("“{s}”不是不小于0的整数"))
}

/// An amount in 万元: not negative, at most four decimals (to the yuan).
fn amount(s: &str) -> Result<f64, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("请填写金额（没有的填0）".into());
    }
    let decimals = s.split_once('.').map(|(_, d)| d.len()).unwrap_or(0);
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=100_000_000.0).contains(&v) && decimals <= 4 => Ok(v),
        Ok(v) if v.is_finite() && decimals > 4 => {
            Err("单位是万元，最多保留四位小数（精确到元）".into())
        }
        _ => Err(format!("“{s}”不是不小于0的金额（单位：万元）")),
    }
}

/// An amount as typed back into the form: no trailing zeros.
fn amount_text(v: f64) -> String {
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

async fn enforcement_page(
    state: &Shared,
    staff: &Staff,
    agency: &Agency,
    year: i32,
    form: &EnforcementForm,
    errors: &Errors,
    saved: bool,
) -> Result<Response, AppError> {
    let agencies = scoped_agencies(state, staff).await?;
    let years = state
        .store
        .enforcement_years(&staff.scope, &agency.name)
        .await?;
    let html = render(
        "enforcement.html",
        ctx! {
            staff => staff.view(),
            here => "enforcement",
            agency => agency,
            agencies => agencies,
            year => year,
            years => years,
            form => form,
            errors => errors,
            saved => saved,
        },
    )?;
    Ok(page(status_of(errors), html))
}

pub async fn enforcement(
    State(state): State<Shared>,
    staff: Staff,
    Query(p): Query<YearParams>,
) -> Result<Response, AppError> {
    let (agency, _) = shown_agency(&state, &staff, &p.agency).await?;
    let year = year_param(&p.year, state.today())?;
    let figures = state
        .store
        .enforcement(&staff.scope, &agency.name, year)
        .await?;
    let form = EnforcementForm {
        agency: agency.id.to_string(),
        year: year.to_string(),
        license: figures.map(|e| e.license.to_string()).unwrap_or_default(),
        penalty: figures.map(|e| e.penalty.to_string()).unwrap_or_default(),
        coercion: figures.map(|e| e.coercion.to_string()).unwrap_or_default(),
        fee_amount: figures
            .map(|e| amount_text(e.fee_amount))
            .unwrap_or_default(),
        ..Default::default()
    };
    enforcement_page(
        &state,
        &staff,
        &agency,
        year,
        &form,
        &Errors::new(),
        !p.saved.is_empty(),
    )
    .await
}

pub async fn save_enforcement(
    State(state): State<Shared>,
    staff: Staff,
    Form(f): Form<EnforcementForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&f.csrf)?;
    let agency = posted_agency(&state, &staff, &f.agency).await?;
    staff.must_handle()?;
    let year = year_param(&f.year, state.today())?;
    let mut errors = Errors::new();
    let mut take = |key: &'static str, r: Result<i64, String>| {
        r.map_err(|e| errors.insert(key, e)).unwrap_or(0)
    };
    let license = take("license", count(&f.license));
    let penalty = take("penalty", count(&f.penalty));
    let coercion = take("coercion", count(&f.coercion));
    let fee_amount = amount(&f.fee_amount)
        .map_err(|e| errors.insert("fee_amount", e))
        .unwrap_or(0.0);
    if errors.is_empty() {
        let e = Enforcement {
            license,
            penalty,
            coercion,
            fee_amount,
        };
        match state
            .store
            .put_enforcement(&staff.actor(), &agency.name, year, &e)
            .await
        {
            Ok(()) => {
                return Ok(Redirect::to(&format!(
                    "/console/enforcement?agency={}&year={year}&saved=1",
                    agency.id
                ))
                .into_response())
            }
            Err(e) => {
                errors.insert("form", refusal(e)?);
            }
        }
    }
    enforcement_page(&state, &staff, &agency, year, &f, &errors, false).await
}

// ---------------------------------------------------------------------------
// 行政复议、行政诉讼 (table 4)

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct LegalCaseParams {
    #[serde(default)]
    agency: String,
    #[serde(default)]
    edit: String,
    #[serde(default)]
    saved: String,
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct LegalCaseForm {
    #[serde(default, rename = "_csrf", skip_serializing)]
    csrf: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    original: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    filed_on: String,
    #[serde(default)]
    decided_on: String,
    #[serde(default)]
    result: String,
}

const CASE_RESULTS: [(CaseResult, &str); 3] = [
    (CaseResult::Upheld, "结果维持"),
    (CaseResult::Corrected, "结果纠正"),
    (CaseResult::Other, "其他结果"),
];

fn result_label(r: CaseResult) -> &'static str {
    CASE_RESULTS
        .iter()
        .find(|(x, _)| *x == r)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

async fn legal_cases_page(
    state: &Shared,
    staff: &Staff,
    agency: &Agency,
    p: &LegalCaseParams,
    form: &LegalCaseForm,
    errors: &Errors,
) -> Result<Response, AppError> {
    let agencies = scoped_agencies(state, staff).await?;
    let rows: Vec<_> = state
        .store
        .legal_cases(&staff.scope, &agency.name)
        .await?
        .into_iter()
        .map(|c| {
            ctx! {
                number => c.number,
                kind => c.kind.label(),
                filed_on => c.filed_on.to_string(),
                decided_on => c.decided.map(|d| d.0.to_string()),
                result => c.decided.map(|d| result_label(d.1)),
                edit => format!("/console/legal-cases?agency={}&edit={}", agency.id, encode(&c.number)),
            }
        })
        .collect();
    let html = render(
        "legal_cases.html",
        ctx! {
            staff => staff.view(),
            here => "legal_cases",
            agency => agency,
            agencies => agencies,
            params => p,
            rows => rows,
            kinds => CaseKind::ALL.iter().map(|k| (k.row_key(), k.label())).collect::<Vec<_>>(),
            results => CASE_RESULTS.iter().map(|(r, l)| (r.column_key(), *l)).collect::<Vec<_>>(),
            form => form,
            errors => errors,
        },
    )?;
    Ok(page(status_of(errors), html))
}

pub async fn legal_cases(
    State(state): State<Shared>,
    staff: Staff,
    Query(p): Query<LegalCaseParams>,
) -> Result<Response, AppError> {
    let (agency, _) = shown_agency(&state, &staff, &p.agency).await?;
    let mut form = LegalCaseForm {
        agency: agency.id.to_string(),
        kind: CaseKind::Review.row_key().into(),
        ..Default::default()
    };
    if !p.edit.is_empty() {
        let c = state
            .store
            .legal_case(&staff.scope, &agency.name, &p.edit)
            .await?;
        form.original = c.number.clone();
        form.number = c.number;
        form.kind = c.kind.row_key().into();
        form.filed_on = c.filed_on.to_string();
        if let Some((d, r)) = c.decided {
            form.decided_on = d.to_string();
            form.result = r.column_key().into();
        }
    }
    legal_cases_page(&state, &staff, &agency, &p, &form, &Errors::new()).await
}

fn legal_case_from(f: &LegalCaseForm, today: NaiveDate) -> Result<LegalCase, Errors> {
    let mut errors = Errors::new();
    let number = text(&f.number, "案号", 100)
        .map_err(|e| errors.insert("number", e))
        .ok();
    let kind = CaseKind::ALL.into_iter().find(|k| k.row_key() == f.kind);
    if kind.is_none() {
        errors.insert("kind", "请选择案件类型".into());
    }
    let filed = past_day(&f.filed_on, "收到（立案）日期", today)
        .map_err(|e| errors.insert("filed_on", e))
        .ok();
    let decided = if f.decided_on.trim().is_empty() {
        Some(None)
    } else {
        past_day(&f.decided_on, "审结日期", today)
            .map(Some)
            .map_err(|e| errors.insert("decided_on", e))
            .ok()
    };
    let result = CASE_RESULTS
        .iter()
        .find(|(r, _)| r.column_key() == f.result)
        .map(|(r, _)| *r);
    if !f.result.is_empty() && result.is_none() {
        errors.insert("result", "请选择审理结果".into());
    }
    let decided = match (decided, result) {
        (Some(Some(d)), Some(r)) => Some(Some((d, r))),
        (Some(None), None) => Some(None),
        (Some(Some(_)), None) => {
            errors
                .entry("result")
                .or_insert_with(|| "已审结的，请选择审理结果".into());
            None
        }
        (Some(None), Some(_)) => {
            errors.insert("decided_on", "选择了审理结果的，请填写审结日期".into());
            None
        }
        (None, _) => None,
    };
    if let (Some(fd), Some(Some((d, _)))) = (filed, decided) {
        if d < fd {
            errors.insert(
                "decided_on",
                format!("审结日期不能早于收到（立案）日期（{fd}）"),
            );
        }
    }
    match (number, kind, filed, decided) {
        (Some(number), Some(kind), Some(filed_on), Some(decided)) if errors.is_empty() => {
            Ok(LegalCase {
                number,
                kind,
                filed_on,
                decided,
            })
        }
        _ => Err(errors),
    }
}

pub async fn save_legal_case(
    State(state): State<Shared>,
    staff: Staff,
    Form(f): Form<LegalCaseForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&f.csrf)?;
    let agency = posted_agency(&state, &staff, &f.agency).await?;
    staff.must_handle()?;
    let editing = !f.original.trim().is_empty();
    if editing {
        state
            .store
            .legal_case(&staff.scope, &agency.name, f.original.trim())
            .await?;
    }
    let mut result = legal_case_from(&f, state.today());
    if let Ok(c) = &result {
        if editing && c.number != f.original.trim() {
            let mut e = Errors::new();
            e.insert(
                "number",
                "案号登记后不能修改；案号有误的，请另行登记".into(),
            );
            result = Err(e);
        } else if !editing {
            match state
                .store
                .legal_case(&staff.scope, &agency.name, &c.number)
                .await
            {
                Ok(_) => {
                    let mut e = Errors::new();
                    e.insert(
                        "number",
                        format!(
                            "已登记案号为“{}”的案件；要修改，请在列表中点“修改”",
                            c.number
                        ),
                    );
                    result = Err(e);
                }
                Err(StoreError::NotFound(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    let errors = match result {
        Ok(c) => match state.store.put_case(&staff.actor(), &agency.name, &c).await {
            Ok(()) => {
                return Ok(Redirect::to(&format!(
                    "/console/legal-cases?agency={}&saved={}",
                    agency.id,
                    encode(&c.number)
                ))
                .into_response())
            }
            Err(e) => {
                let mut errors = Errors::new();
                errors.insert("form", refusal(e)?);
                errors
            }
        },
        Err(errors) => errors,
    };
    let p = LegalCaseParams {
        agency: agency.id.to_string(),
        ..Default::default()
    };
    legal_cases_page(&state, &staff, &agency, &p, &f, &errors).await
}

// ---------------------------------------------------------------------------
// Uploads

/// A multipart form: its text fields and its one file.
#[derive(Default)]
pub(crate) struct Upload {
    pub(crate) fields: BTreeMap<String, String>,
    pub(crate) file: Option<(String, Vec<u8>)>,
}

impl Upload {
    pub(crate) fn field(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("")
    }
}

/// Reads a multipart form; a body over the route's limit is refused (413)
/// with a page saying so.
pub(crate) async fn read_upload(mut mp: Multipart, limit: usize) -> Result<Upload, Response> {
    let refuse = |status: StatusCode, message: String| {
        let title = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "文件过大"
        } else {
            "无法办理"
        };
        page(
            status,
            render_or_plain("error.html", ctx! { title => title, message => message }),
        )
    };
    let failed = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "上传的文件超过{}MB，未处理；请拆分后分别上传。",
                    limit.div_ceil(1024 * 1024)
                ),
            )
        } else {
            refuse(
                StatusCode::BAD_REQUEST,
                "上传的表单不完整，无法读取，请重新选择文件后提交。".into(),
            )
        }
    };
    let mut up = Upload::default();
    while let Some(field) = mp.next_field().await.map_err(failed)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("").to_string();
            let bytes = field.bytes().await.map_err(failed)?;
            if bytes.len() > limit {
                return Err(refuse(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!(
                        "上传的文件超过{}MB，未处理；请拆分后分别上传。",
                        limit.div_ceil(1024 * 1024)
                    ),
                ));
            }
            up.file = Some((file_name, bytes.to_vec()));
        } else {
            let value = field.text().await.map_err(failed)?;
            up.fields.insert(name, value.chars().take(1000).collect());
        }
    }
    Ok(up)
}

/// The uploaded file, or the form's error when none was chosen.
pub(crate) fn chosen_file(up: &mut Upload) -> Option<(String, Vec<u8>)> {
    up.file.take().filter(|(_, b)| !b.is_empty())
}

// ---------------------------------------------------------------------------
// 台账导入

#[derive(Debug, Default, Deserialize)]
pub struct AgencyParams {
    #[serde(default)]
    agency: String,
}

async fn import_page(
    state: &Shared,
    staff: &Staff,
    agency: &Agency,
    result: minijinja::Value,
    status: StatusCode,
) -> Result<Response, AppError> {
    let agencies = scoped_agencies(state, staff).await?;
    let html = render(
        "import.html",
        ctx! {
            staff => staff.view(),
            here => "import",
            agency => agency,
            agencies => agencies,
            limit_mb => LEDGER_UPLOAD_LIMIT / (1024 * 1024),
            result => result,
        },
    )?;
    Ok(page(status, html))
}

pub async fn import_form(
    State(state): State<Shared>,
    staff: Staff,
    Query(p): Query<AgencyParams>,
) -> Result<Response, AppError> {
    let (agency, _) = shown_agency(&state, &staff, &p.agency).await?;
    import_page(&state, &staff, &agency, ctx! {}, StatusCode::OK).await
}

/// What the import page says of a refused file.
fn refused(message: String) -> minijinja::Value {
    ctx! { refused => message }
}

pub async fn import(
    State(state): State<Shared>,
    staff: Staff,
    mp: Multipart,
) -> Result<Response, AppError> {
    let mut up = match read_upload(mp, LEDGER_UPLOAD_LIMIT).await {
        Ok(up) => up,
        Err(res) => return Ok(res),
    };
    staff.check_csrf(up.field("_csrf"))?;
    let agency = posted_agency(&state, &staff, up.field("agency")).await?;
    staff.must_handle()?;
    let check_only = up.field("check_only") == "on";
    let Some((name, bytes)) = chosen_file(&mut up) else {
        let r = refused("请选择要导入的台账文件（.xlsx 或 .csv）".into());
        return import_page(&state, &staff, &agency, r, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let shown_name: String = name.chars().take(100).collect();
    // Reading a workbook is work for the processor: off the async threads.
    let read =
        tokio::task::spawn_blocking(move || gongkai_casework::import::read_ledger(&name, &bytes))
            .await
            .map_err(|e| AppError::Internal(format!("读取台账：{e}")))?;
    let report = match read {
        Ok(r) => r,
        Err(e) => {
            if let gongkai_casework::import::ImportError::Damaged(why) = &e {
                eprintln!("台账导入：{shown_name}：{why}");
            }
            let r = refused(format!("{shown_name}：{e}。台账未作改动。"));
            return import_page(&state, &staff, &agency, r, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let columns: Vec<_> = report
        .columns
        .iter()
        .filter(|(_, _, fuzzy)| *fuzzy)
        .map(|(heading, field, _)| format!("列“{heading}”按“{field}”读取（名称相近）"))
        .collect();
    let base = |extra: minijinja::Value| {
        ctx! {
            file => shown_name,
            sheet => report.sheet,
            rows => report.rows.len(),
            notes => report.notes,
            columns => columns,
            errors => report.errors,
            extra => extra,
        }
    };
    if !report.is_ok() {
        return import_page(
            &state,
            &staff,
            &agency,
            base(ctx! { bad => true }),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    if report.rows.is_empty() {
        let r = refused(format!(
            "{shown_name} 中没有申请（只有表头），未导入，台账未作改动。"
        ));
        return import_page(&state, &staff, &agency, r, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    if check_only {
        return import_page(
            &state,
            &staff,
            &agency,
            base(ctx! { checked => true }),
            StatusCode::OK,
        )
        .await;
    }
    match state
        .store
        .import_applications(&staff.actor(), &agency.name, &report, state.today())
        .await
    {
        Ok(done) => {
            let already: Vec<_> = done
                .already
                .iter()
                .map(|(line, number)| ctx! { line => line, number => number })
                .collect();
            let r = base(ctx! {
                imported => done.imported.len(),
                first => done.imported.first(),
                last => done.imported.last(),
                already => already,
            });
            import_page(&state, &staff, &agency, r, StatusCode::OK).await
        }
        Err(StoreError::Invalid(why)) => {
            let r = refused(why);
            import_page(&state, &staff, &agency, r, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------
// 年度报告的文字部分

/// The narrative sections of an agency's report of a year, as the report
/// page's form shows them: key, heading as the template words it, text.
pub async fn narrative_sections(
    state: &Shared,
    staff: &Staff,
    agency: &Agency,
    year: i32,
) -> Result<Vec<minijinja::Value>, AppError> {
    let stored = state
        .store
        .narratives(&staff.scope, &agency.name, year)
        .await?;
    let template = gongkai_template::Template::get(gongkai_template::Edition::V2021);
    Ok(gongkai_casework::annual::NARRATIVE_SECTIONS
        .iter()
        .map(|key| {
            let heading = template
                .sections
                .iter()
                .find(|s| s.key == *key)
                .map(|s| s.heading())
                .unwrap_or_default();
            ctx! {
                key => key.as_str(),
                heading => heading,
                body => stored.get(key.as_str()).cloned().unwrap_or_default(),
            }
        })
        .collect())
}

pub async fn save_narrative(
    State(state): State<Shared>,
    staff: Staff,
    Form(f): Form<BTreeMap<String, String>>,
) -> Result<Response, AppError> {
    let field = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    staff.check_csrf(field("_csrf"))?;
    let agency = posted_agency(&state, &staff, field("agency")).await?;
    staff.must_handle()?;
    let year = year_param(field("year"), state.today())?;
    let stored = state
        .store
        .narratives(&staff.scope, &agency.name, year)
        .await?;
    for key in gongkai_casework::annual::NARRATIVE_SECTIONS {
        let key = key.as_str();
        let body = field(key).replace("\r\n", "\n");
        let body = body.trim_end();
        if body.chars().count() > NARRATIVE_LIMIT {
            return Err(AppError::Invalid(format!(
                "每一部分不能超过{NARRATIVE_LIMIT}个字，请精简后再保存"
            )));
        }
        if stored.get(key).map(String::as_str).unwrap_or("") != body {
            state
                .store
                .put_narrative(&staff.actor(), &agency.name, year, key, body)
                .await?;
        }
    }
    Ok(Redirect::to(&format!(
        "/console/report?agency={}&year={year}#narrative",
        agency.id
    ))
    .into_response())
}

// ---------------------------------------------------------------------------
// 设置: the working-day calendar; 复议机关、管辖法院

/// Whether the user may set the agency's remedies: the administrator, or
/// the agency's own 负责人.
fn may_set_remedies(staff: &Staff, agency: &Agency) -> bool {
    staff.user.role == Role::Admin
        || (staff.user.role == Role::Leader && staff.user.agency.as_deref() == Some(&agency.name))
}

fn must_configure(staff: &Staff) -> Result<(), AppError> {
    match staff.user.role {
        Role::Admin | Role::Leader => Ok(()),
        _ => Err(AppError::Forbidden(
            "只有管理员或本机关负责人可以设置".into(),
        )),
    }
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct RemediesForm {
    #[serde(default, rename = "_csrf", skip_serializing)]
    csrf: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    review_body: String,
    #[serde(default)]
    court: String,
}

async fn settings_page(
    state: &Shared,
    staff: &Staff,
    agency: &Agency,
    form: Option<&RemediesForm>,
    errors: &Errors,
    calendar: minijinja::Value,
    status: StatusCode,
) -> Result<Response, AppError> {
    let agencies = scoped_agencies(state, staff).await?;
    let (review_body, court) = state.store.agency_remedies(&agency.name).await?;
    let shown = match form {
        Some(f) => ctx! { review_body => f.review_body, court => f.court },
        None => ctx! { review_body => review_body, court => court },
    };
    let years: Vec<String> = state
        .store
        .calendar()
        .years()
        .iter()
        .map(|y| y.to_string())
        .collect();
    let html = render(
        "settings.html",
        ctx! {
            staff => staff.view(),
            agency => agency,
            agencies => agencies,
            form => shown,
            errors => errors,
            years => years,
            calendar => calendar,
            limit_kb => CALENDAR_UPLOAD_LIMIT / 1024,
        },
    )?;
    Ok(page(status, html))
}

#[derive(Debug, Default, Deserialize)]
pub struct SettingsParams {
    #[serde(default)]
    agency: String,
    #[serde(default)]
    saved: String,
}

pub async fn settings(
    State(state): State<Shared>,
    staff: Staff,
    Query(p): Query<SettingsParams>,
) -> Result<Response, AppError> {
    must_configure(&staff)?;
    let (agency, _) = shown_agency(&state, &staff, &p.agency).await?;
    let saved = if p.saved.is_empty() {
        ctx! {}
    } else {
        ctx! { remedies_saved => true }
    };
    settings_page(
        &state,
        &staff,
        &agency,
        None,
        &Errors::new(),
        saved,
        StatusCode::OK,
    )
    .await
}

pub async fn save_remedies(
    State(state): State<Shared>,
    staff: Staff,
    Form(f): Form<RemediesForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&f.csrf)?;
    let agency = posted_agency(&state, &staff, &f.agency).await?;
    if !may_set_remedies(&staff, &agency) {
        return Err(AppError::Forbidden(
            "只有管理员或本机关负责人可以设置复议机关和管辖法院".into(),
        ));
    }
    let mut errors = Errors::new();
    let review_body =
        text(&f.review_body, "复议机关", 100).map_err(|e| errors.insert("review_body", e));
    let court = text(&f.court, "管辖法院", 100).map_err(|e| errors.insert("court", e));
    if let (Ok(review_body), Ok(court)) = (review_body, court) {
        state
            .store
            .set_agency_remedies(&staff.actor(), &agency.name, &review_body, &court)
            .await?;
        return Ok(
            Redirect::to(&format!("/console/settings?agency={}&saved=1", agency.id))
                .into_response(),
        );
    }
    settings_page(
        &state,
        &staff,
        &agency,
        Some(&f),
        &errors,
        ctx! {},
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

pub async fn load_calendar(
    State(state): State<Shared>,
    staff: Staff,
    mp: Multipart,
) -> Result<Response, AppError> {
    let mut up = match read_upload(mp, CALENDAR_UPLOAD_LIMIT).await {
        Ok(up) => up,
        Err(res) => return Ok(res),
    };
    staff.check_csrf(up.field("_csrf"))?;
    staff.must_admin()?;
    let (agency, _) = shown_agency(&state, &staff, up.field("agency")).await?;
    let replace = up.field("replace") == "on";
    let refuse = |message: String| ctx! { refused => message };
    let outcome = match chosen_file(&mut up) {
        None => Err(refuse("请选择工作日历文件（.toml）".into())),
        Some((_, bytes)) => match String::from_utf8(bytes) {
            Err(_) => Err(refuse("工作日历文件应为 UTF-8 编码的文本（.toml）".into())),
            Ok(text) => match state
                .store
                .load_calendar(&staff.actor(), &text, state.today(), replace)
                .await
            {
                Ok(done) => Ok(done),
                Err(StoreError::Invalid(why)) => Err(refuse(why)),
                Err(e) => return Err(e.into()),
            },
        },
    };
    let (calendar, status) = match outcome {
        Err(r) => (r, StatusCode::UNPROCESSABLE_ENTITY),
        Ok(done) => {
            let years = |ys: &[i32]| {
                ys.iter()
                    .map(|y| format!("{y}年"))
                    .collect::<Vec<_>>()
                    .join("、")
            };
            let moved: Vec<_> = done
                .moved
                .iter()
                .map(|m| {
                    ctx! {
                        agency => m.agency,
                        number => m.number,
                        before => m.before.map(|d| d.to_string()).unwrap_or_else(|| "无".into()),
                        after => m.after.map(|d| d.to_string()).unwrap_or_else(|| "无".into()),
                    }
                })
                .collect();
            let status = if done.applied {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            (
                ctx! {
                    applied => done.applied,
                    added => years(&done.added),
                    replaced => years(&done.replaced),
                    moved => moved,
                    open => done.open,
                },
                status,
            )
        }
    };
    settings_page(
        &state,
        &staff,
        &agency,
        None,
        &Errors::new(),
        calendar,
        status,
    )
    .await
}
