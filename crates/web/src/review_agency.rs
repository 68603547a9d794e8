//! One agency in the supervising office's review, year on year: each year's
//! report — published when, late or missing, faults by level — and its key
//! figures side by side with their changes, large changes marked (GK043's
//! measure), and charts of applications and of reconsideration and
//! litigation results by year. Copied narrative is found across a whole
//! season and is shown on each year's page.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use gongkai_review::{review, series, Agency, ChangeSettings, Entry, Roster, SeriesRow, Settings};
use gongkai_write::chart::Chart;

use crate::auth::Staff;
use crate::error::AppError;
use crate::pages::render;
use crate::portal::parse_id;
use crate::review::{default_year, roster, stored_report, supervisor};
use crate::Shared;

/// The first year of annual reports (the 条例 took effect in 2008).
const FIRST_YEAR: i32 = 2008;
/// Years shown when the agency has no report at all.
const EMPTY_YEARS: i32 = 3;

pub async fn agency_page(
    State(state): State<Shared>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let sup = supervisor(&staff)?;
    let id = parse_id(&id)?;
    let roster = roster(&state, &staff).await?;
    let agency = roster.get(id as u64).cloned().ok_or(AppError::NotFound)?;
    let today = state.today();
    let last = default_year(today);
    let years: Vec<i32> = (FIRST_YEAR..=last).collect();
    let sources = state
        .store
        .review_sources(&sup, std::slice::from_ref(&agency.name), &years)
        .await?;
    let a = agency.clone();
    let view = tokio::task::spawn_blocking(move || {
        let one = Agency {
            parent: None,
            ..a.clone()
        };
        let roster = Roster::new(vec![one.clone()]).map_err(AppError::Internal)?;
        let mut entries = Vec::new();
        for (i, s) in sources.iter().enumerate() {
            if let Some(report) = stored_report(&s.label, &s.report) {
                entries.push(Entry::of(i as u64, &one, s.year, s.published_on, &report));
            }
        }
        let first = entries
            .iter()
            .map(|e| e.year)
            .min()
            .unwrap_or(last + 1 - EMPTY_YEARS)
            .max(FIRST_YEAR);
        let shown: Vec<i32> = (first..=last).collect();
        let settings = Settings {
            today,
            changes: ChangeSettings::default(),
        };
        let rows = review(&roster, &entries, &[], &shown, &settings);
        let keyed: Vec<(i32, Option<gongkai_review::KeyFigures>)> =
            rows.iter().map(|r| (r.year, r.key.clone())).collect();
        let figures = series(&keyed, &settings.changes);
        let years: Vec<minijinja::Value> = rows
            .iter()
            .map(|r| {
                let own_errors = r
                    .faults()
                    .filter(|d| d.level == gongkai_report::Level::Error)
                    .count();
                ctx! {
                    year => r.year,
                    status => r.status.label(),
                    status_key => r.status.key(),
                    published_on => r.status.published_on().map(|d| d.to_string()),
                    due => r.due.to_string(),
                    edition => r.edition_label(),
                    errors => own_errors,
                    warnings => r.faults().count() - own_errors,
                    continuity => r.findings.iter().any(|d| d.rule == "GK020" || d.rule == "GK021"),
                    large => r.findings.iter().filter(|d| d.rule == "GK043").count(),
                    source => r.source.clone(),
                    reviewed => r.entry.is_some(),
                }
            })
            .collect();
        let charts: Vec<minijinja::Value> = charts(&shown, &figures)
            .into_iter()
            .map(|(id, c)| ctx! { id => id, svg => c.to_svg() })
            .collect();
        Ok::<_, AppError>(ctx! {
            years => years,
            year_list => shown,
            figures => figures,
            charts => charts,
        })
    })
    .await
    .map_err(|e| AppError::Internal(format!("逐年比较：{e}")))??;
    let parent = agency
        .parent
        .and_then(|p| roster.get(p))
        .map(|p| p.name.clone());
    Ok(render(
        "review_agency.html",
        ctx! {
            staff => staff.view(),
            supervisor => sup,
            agency => ctx! {
                id => agency.id,
                name => agency.name,
                kind => agency.kind.label(),
                region => agency.region,
                level => agency.level,
                former_names => agency.former_names,
                parent => parent,
            },
            year => last,
            view => view,
        },
    )?
    .into_response())
}

/// Applications by year, and the decided reconsiderations and suits by
/// result; a chart only where some year has the figures.
fn charts(years: &[i32], figures: &[SeriesRow]) -> Vec<(&'static str, Chart)> {
    let categories: Vec<String> = years.iter().map(|y| format!("{y}年度")).collect();
    let values = |address: &str| -> Option<Vec<f64>> {
        let row = figures.iter().find(|r| r.address == address)?;
        row.cells.iter().any(|c| c.value.is_some()).then(|| {
            row.cells
                .iter()
                .map(|c| c.value.unwrap_or(0) as f64)
                .collect()
        })
    };
    let mut out = Vec::new();
    if let Some(received) = values("t3.new_received.total") {
        let mut chart = Chart::new("政府信息公开申请（历年）", categories.clone())
            .unit("件")
            .series("本年新收", received);
        if let Some(granted) = values("t3.granted.total") {
            chart = chart.series("予以公开", granted);
        }
        out.push(("chart-years-applications", chart.value_labels()));
    }
    if let (Some(corrected), Some(decided)) = (values("t4.*.corrected"), values("t4.*.decided")) {
        if decided.iter().any(|d| *d > 0.0) {
            let other: Vec<f64> = decided.iter().zip(&corrected).map(|(d, c)| d - c).collect();
            let chart = Chart::new("行政复议、行政诉讼已审结（历年）", categories)
                .unit("件")
                .series("结果纠正", corrected)
                .series("维持及其他结果", other)
                .stacked();
            out.push(("chart-years-appeals", chart));
        }
    }
    out
}
