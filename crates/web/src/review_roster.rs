//! The supervising office's roster (所属单位名单): the agencies under it with
//! their kind (which decides the due date), region, level, parent and
//! former names; imported from a workbook or CSV (all or nothing, every bad
//! row named), downloaded to be edited and imported again, and renamed
//! (机构改革) so that an agency's reports stay one series. Reports collected
//! earlier that matched no agency are matched again after each change.

use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gongkai_review::{roster_from_table_under, Match, Roster};
use gongkai_store::{RosterAgency, RosterRow};
use serde::Deserialize;

use crate::auth::Staff;
use crate::console::download;
use crate::error::AppError;
use crate::pages::render;
use crate::review::{default_year, kind_of, roster_of, supervisor};
use crate::Shared;

/// The largest roster file taken (a county's is a few kilobytes; a
/// province's tens of thousands of rows fit).
const ROSTER_LIMIT: usize = 5 * 1024 * 1024;

/// The roster's columns, as [`roster_from_table_under`] reads them back.
const COLUMNS: [&str; 6] = ["机关名称", "曾用名", "类别", "地区", "层级", "上级机关"];

pub fn routes() -> axum::Router<Shared> {
    Router::new()
        .route(
            "/console/review/roster",
            get(roster_page)
                .post(import)
                .layer(DefaultBodyLimit::max(ROSTER_LIMIT + 64 * 1024)),
        )
        .route("/console/review/roster.xlsx", get(roster_xlsx))
        .route("/console/review/roster/rename", post(rename))
        .route("/console/review/roster/former", post(add_former))
        .route(
            "/console/review/a/{agency}",
            get(crate::review_agency::agency_page),
        )
}

/// The answer to a roster or a change refused (the page, saying why).
const REFUSED: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;

/// Agencies shown on one page of the roster.
const PAGE_ROWS: usize = 100;

#[derive(Debug, Default, Deserialize)]
pub struct RosterQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: String,
}

pub async fn roster_page(
    State(state): State<Shared>,
    staff: Staff,
    axum::extract::Query(q): axum::extract::Query<RosterQuery>,
) -> Result<Response, AppError> {
    let sup = supervisor(&staff)?;
    let outcome = Outcome {
        query: q,
        ..Default::default()
    };
    show(&state, &staff, &sup, outcome, StatusCode::OK).await
}

/// What the page says after a change, and which agencies it lists.
#[derive(Default)]
struct Outcome {
    message: Option<String>,
    /// The file refused, and why, row by row.
    errors: Option<(String, Vec<String>)>,
    query: RosterQuery,
}

async fn show(
    state: &Shared,
    staff: &Staff,
    sup: &str,
    outcome: Outcome,
    status: StatusCode,
) -> Result<Response, AppError> {
    let list = state.store.review_roster(&staff.scope).await?;
    let year = default_year(state.today());
    let needle = outcome.query.q.trim();
    let mut agencies: Vec<&RosterAgency> = list
        .iter()
        .filter(|a| {
            needle.is_empty()
                || a.name.contains(needle)
                || a.region.contains(needle)
                || a.former_names.iter().any(|f| f.contains(needle))
        })
        .collect();
    // The supervisor first, then by region and name.
    agencies.sort_by(|a, b| {
        (a.name != sup, &a.region, &a.name).cmp(&(b.name != sup, &b.region, &b.name))
    });
    let total = agencies.len();
    let pages = total.div_ceil(PAGE_ROWS).max(1);
    let page = outcome
        .query
        .page
        .parse::<usize>()
        .unwrap_or(1)
        .clamp(1, pages);
    let view: Vec<minijinja::Value> = agencies
        .iter()
        .skip((page - 1) * PAGE_ROWS)
        .take(PAGE_ROWS)
        .map(|a| {
            let kind = kind_of(&a.kind, &a.name);
            let due = kind.due_date(year);
            ctx! {
                id => a.id,
                name => a.name,
                own => a.name == sup,
                kind => kind.label(),
                due => format!("次年{}月{}日前", chrono::Datelike::month(&due), chrono::Datelike::day(&due)),
                region => a.region,
                level => a.level,
                parent => a.parent,
                former_names => a.former_names,
                on_portal => a.on_portal,
            }
        })
        .collect();
    let (errors_file, errors) = outcome.errors.unzip();
    Ok((
        status,
        render(
            "review_roster.html",
            ctx! {
                staff => staff.view(),
                supervisor => sup,
                agencies => view,
                message => outcome.message,
                errors => errors,
                errors_file => errors_file,
                all => list.len(),
                total => total,
                q => needle,
                page => page,
                pages => pages,
                base => format!("/console/review/roster?q={}", crate::console::encode(needle)),
                open => state.store.review_files_open(sup).await?,
            },
        )?,
    )
        .into_response())
}

/// Imports a roster file: read, checked whole, then stored all at once.
pub async fn import(
    State(state): State<Shared>,
    staff: Staff,
    mut mp: Multipart,
) -> Result<Response, AppError> {
    let sup = supervisor(&staff)?;
    let mut csrf = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    let too_large = || {
        AppError::TooLarge(format!(
            "名单文件超过 {} MB，未导入",
            ROSTER_LIMIT / 1024 / 1024
        ))
    };
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(_) => {
                return Err(AppError::Invalid(
                    "上传的表单不完整，无法读取，请重新选择名单文件后提交".into(),
                ))
            }
        };
        match field.name().unwrap_or("") {
            "_csrf" => csrf = field.text().await.unwrap_or_default(),
            "roster" => {
                let name =
                    crate::disclosure::clean_name_or(field.file_name().unwrap_or(""), "名单");
                let bytes = field.bytes().await.map_err(|_| too_large())?;
                if bytes.len() > ROSTER_LIMIT {
                    return Err(too_large());
                }
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    staff.check_csrf(&csrf)?;
    let Some((name, bytes)) = file.filter(|f| !f.1.is_empty()) else {
        let outcome = Outcome {
            message: Some("请选择名单文件（Excel 或 CSV）".into()),
            ..Default::default()
        };
        return show(&state, &staff, &sup, outcome, REFUSED).await;
    };
    let n = name.clone();
    // Parents may be agencies already under the supervisor (or itself).
    let outside: Vec<String> = staff
        .scope
        .agencies()
        .map_or_else(|| vec![sup.clone()], <[String]>::to_vec);
    let parsed = tokio::task::spawn_blocking(move || {
        let rows = gongkai_read::table::rows(&n, &bytes).map_err(|e| vec![e])?;
        roster_from_table_under(&rows, &outside)
    })
    .await
    .map_err(|e| AppError::Internal(format!("读取名单：{e}")))?;
    // Read and checked whole, then stored all at once: either way, every
    // problem is listed against the file and nothing is imported.
    let done = match parsed {
        Ok((roster, outside_parents)) => {
            let rows = store_rows(&roster, &sup, &outside_parents);
            match state.store.import_roster(&staff.actor(), &sup, &rows).await {
                Ok(d) => Ok(d),
                Err(gongkai_store::StoreError::Invalid(why)) => {
                    Err(why.split('；').map(String::from).collect())
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(errors) => Err(errors),
    };
    let done = match done {
        Ok(d) => d,
        Err(errors) => {
            let outcome = Outcome {
                errors: Some((name, errors)),
                ..Default::default()
            };
            return show(&state, &staff, &sup, outcome, REFUSED).await;
        }
    };
    let staff = refreshed(&state, staff).await?;
    let matched = rematch(&state, &staff, &sup).await?;
    let mut message = format!(
        "已导入“{name}”：新增 {} 个单位，更新 {} 个单位",
        done.created, done.updated
    );
    if done.renamed > 0 {
        message.push_str(&format!("（其中 {} 个按曾用名更名）", done.renamed));
    }
    message.push('。');
    if matched > 0 {
        message.push_str(&format!("此前未对应的报告中有 {matched} 份已对应到单位。"));
    }
    let outcome = Outcome {
        message: Some(message),
        ..Default::default()
    };
    show(&state, &staff, &sup, outcome, StatusCode::OK).await
}

/// The store's rows of a roster read from a file: parents by name — in the
/// roster, or already there (`outside`, by agency id) — and the
/// supervisor's direct subordinates under it.
pub fn store_rows(
    roster: &Roster,
    sup: &str,
    outside: &std::collections::HashMap<u64, String>,
) -> Vec<RosterRow> {
    roster
        .agencies()
        .iter()
        .map(|a| RosterRow {
            name: a.name.clone(),
            parent: a
                .parent
                .and_then(|p| roster.get(p))
                .map(|p| p.name.clone())
                .or_else(|| outside.get(&a.id).cloned())
                .filter(|p| p != sup),
            kind: a.kind.key().to_string(),
            region: a.region.clone(),
            level: a.level.clone(),
            former_names: a.former_names.clone(),
        })
        .collect()
}

/// The signed-in supervisor with its scope read again (a roster import or
/// a rename changes which names it reaches).
async fn refreshed(state: &Shared, mut staff: Staff) -> Result<Staff, AppError> {
    staff.scope = state.store.scope_of(&staff.user).await?;
    Ok(staff)
}

/// Matches again the collected reports that matched no agency (or several),
/// now that the roster changed; returns how many now match one.
async fn rematch(state: &Shared, staff: &Staff, sup: &str) -> Result<usize, AppError> {
    let files = state.store.review_files(sup).await?;
    let open: Vec<_> = files
        .into_iter()
        .filter(|f| matches!(f.status.as_str(), "unmatched" | "ambiguous") && f.year.is_some())
        .collect();
    if open.is_empty() {
        return Ok(0);
    }
    let list = state.store.review_roster(&staff.scope).await?;
    let roster = roster_of(&list).map_err(AppError::Internal)?;
    let mut n = 0;
    for f in open {
        let named = (!f.named.is_empty()).then_some(f.named.as_str());
        if let Match::Agency { id, .. } = roster.match_report(named, &f.file_name) {
            let (Some(agency), Some(year)) = (roster.get(id), f.year) else {
                continue;
            };
            state
                .store
                .assign_review_file(&staff.actor(), sup, &staff.scope, f.id, &agency.name, year)
                .await?;
            n += 1;
        }
    }
    Ok(n)
}

/// The roster as a workbook, in the columns the import reads.
pub async fn roster_xlsx(State(state): State<Shared>, staff: Staff) -> Result<Response, AppError> {
    let sup = supervisor(&staff)?;
    let list = state.store.review_roster(&staff.scope).await?;
    let rows: Vec<Vec<String>> = list
        .iter()
        .filter(|a| a.name != sup)
        .map(|a| {
            vec![
                a.name.clone(),
                a.former_names.join("、"),
                kind_of(&a.kind, &a.name).label().to_string(),
                a.region.clone(),
                a.level.clone(),
                a.parent.clone().filter(|p| p != &sup).unwrap_or_default(),
            ]
        })
        .collect();
    let title = format!("{sup}所属单位名单");
    let bytes =
        gongkai_write::xlsx::write_table(&title, &COLUMNS, &rows).map_err(AppError::Invalid)?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &title,
        "xlsx",
    ))
}

#[derive(Debug, Deserialize)]
pub struct RenameForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    name: String,
}

/// Renames an agency known only to the review (机构改革).
pub async fn rename(
    State(state): State<Shared>,
    staff: Staff,
    Form(f): Form<RenameForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&f.csrf)?;
    let sup = supervisor(&staff)?;
    let new = f.name.trim().to_string();
    let done = state
        .store
        .rename_review_agency(&staff.actor(), &sup, &staff.scope, &f.agency, &new)
        .await;
    let message = format!(
        "“{}”已更名为“{new}”；原名称记为曾用名，其报告继续计入本单位。",
        f.agency
    );
    changed(&state, staff, &sup, done, message).await
}

/// The roster page after a change by hand: on success with `message` (and
/// the reports matched again), refused with the store's reason.
async fn changed(
    state: &Shared,
    staff: Staff,
    sup: &str,
    done: Result<(), gongkai_store::StoreError>,
    mut message: String,
) -> Result<Response, AppError> {
    match done {
        Ok(()) => {
            let staff = refreshed(state, staff).await?;
            let matched = rematch(state, &staff, sup).await?;
            if matched > 0 {
                message.push_str(&format!("此前未对应的报告中有 {matched} 份已对应到单位。"));
            }
            let outcome = Outcome {
                message: Some(message),
                ..Default::default()
            };
            show(state, &staff, sup, outcome, StatusCode::OK).await
        }
        Err(gongkai_store::StoreError::Invalid(why)) => {
            let outcome = Outcome {
                message: Some(why),
                ..Default::default()
            };
            show(state, &staff, sup, outcome, REFUSED).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct FormerForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    former: String,
}

/// Records a former name of an agency.
pub async fn add_former(
    State(state): State<Shared>,
    staff: Staff,
    Form(f): Form<FormerForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&f.csrf)?;
    let sup = supervisor(&staff)?;
    let former = f.former.trim().to_string();
    let done = state
        .store
        .add_former_name(&staff.actor(), &staff.scope, &f.agency, &former)
        .await;
    let message = format!("已为“{}”添加曾用名“{former}”。", f.agency);
    changed(&state, staff, &sup, done, message).await
}
