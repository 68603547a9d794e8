//! The supervising office's review (上级机关): every agency under it and
//! every year — published, when, late or missing; faults by rule;
//! continuity; large changes; a score explained rule by rule — with the
//! report drilled down to its marked cells and source positions, files
//! collected by upload and the unmatched assigned, the region's figures
//! summed, charts, the 整改通知 and the 通报.
//!
//! A supervisor reads its agencies and never changes their cases, items or
//! reports: what it writes is its own collection of files and its roster
//! (`review_roster.rs`). Everything is limited to the scope of the store
//! (its own agency and those under it).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{Datelike, NaiveDate};
use gongkai_report::{year_in_file_name, Diagnostic, Level, Report};
use gongkai_review::letters::{bulletin, cell_label, rectification_notice, Sender};
use gongkai_review::season::{findings_from_json, section_heading};
use gongkai_review::similar::{
    find_copies, narrative, shared_spans, Passage, Settings as SimilarSettings,
};
use gongkai_review::{
    aggregate, review, summarize, Agency as RAgency, ChangeSettings, Copied, Entry, Kind, Match,
    Roster, Row, Settings, Status,
};
use gongkai_store::{NewReviewFile, Role};
use gongkai_template::Edition;
use gongkai_write::chart::Chart;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::auth::Staff;
use crate::console::download;
use crate::error::AppError;
use crate::pages::render;
use crate::portal::parse_id;
use crate::Shared;

/// The most an upload may carry, and each file in it (a zip's files too).
const UPLOAD_LIMIT: usize = 60 * 1024 * 1024;
const FILE_LIMIT: usize = 20 * 1024 * 1024;
/// A zip: at most this many files and this much unpacked.
const ZIP_FILES: usize = 2000;
const ZIP_UNPACKED: u64 = 300 * 1024 * 1024;
/// Seasons kept in memory (per supervisor and year) before they are dropped.
const SEASONS_KEPT: usize = 16;
/// Rows of the dashboard on a page.
const PAGE_ROWS: usize = 100;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/console/review", get(dashboard))
        .route("/console/review/export.csv", get(export_csv))
        .route("/console/review/export.xlsx", get(export_xlsx))
        .route("/console/review/bulletin.docx", get(bulletin_docx))
        .route("/console/review/charts.pdf", get(charts_pdf))
        .route("/console/review/aggregate", get(aggregate_page))
        .route("/console/review/settings", post(save_settings))
        .route("/console/review/figures.xlsx", get(figures_xlsx))
        .route("/console/review/figures.csv", get(figures_csv))
        .route("/console/review/files", get(files_page))
        .route(
            "/console/review/upload",
            post(upload).layer(DefaultBodyLimit::max(UPLOAD_LIMIT + 64 * 1024)),
        )
        .route("/console/review/files/{id}/assign", post(assign))
        .route("/console/review/files/{id}/source", get(file_source))
        .route("/console/review/a/{agency}/{year}", get(report_page))
        .route(
            "/console/review/a/{agency}/{year}/notice.docx",
            get(notice_docx),
        )
        .route(
            "/console/review/a/{agency}/{year}/copy/{section}",
            get(copy_page),
        )
}

/// The seasons computed, per supervisor and year, with the stamp of what
/// they were computed from.
pub(crate) type Cache = Mutex<HashMap<(String, i32), (String, Arc<Season>)>>;

/// A season of one supervisor: the roster, one row per agency, and where
/// each reviewed report came from.
pub struct Season {
    pub year: i32,
    pub roster: Roster,
    pub rows: Vec<Row>,
    /// By entry id: the source's key and its label.
    pub sources: Vec<(String, String)>,
    /// The counts of the season, and its charts (also drawn as SVG), made
    /// once: every visit of the table shows them.
    pub summary: gongkai_review::Summary,
    /// The thresholds it was reviewed with.
    pub changes: ChangeSettings,
    pub similar: SimilarSettings,
    charts: Vec<(&'static str, Chart)>,
    svgs: Vec<(&'static str, String)>,
}

impl Season {
    fn name(&self, id: u64) -> String {
        self.roster
            .get(id)
            .map_or_else(|| id.to_string(), |a| a.name.clone())
    }
}

/// The supervisor's agency; other roles are refused.
pub(crate) fn supervisor(staff: &Staff) -> Result<String, AppError> {
    match (&staff.user.role, &staff.user.agency) {
        (Role::Supervisor, Some(a)) => Ok(a.clone()),
        _ => Err(AppError::Forbidden(
            "年报审查供上级机关使用；请用上级机关的账号登录".into(),
        )),
    }
}

/// The year reviewed by default: last year's reports are this spring's work.
pub(crate) fn default_year(today: NaiveDate) -> i32 {
    today.year() - 1
}

/// An agency's kind as stored, else as its name suggests.
pub(crate) fn kind_of(s: &str, name: &str) -> Kind {
    Kind::parse(s).unwrap_or_else(|| Kind::guess(name))
}

/// A report as stored (gongkai's JSON) read back, with its findings.
pub(crate) fn stored_report(label: &str, json: &str) -> Option<Report> {
    let mut r = gongkai_read::json::read(label, json.as_bytes()).ok()?;
    let v: serde_json::Value = serde_json::from_str(json).ok()?;
    r.diagnostics = findings_from_json(&v).unwrap_or_else(|| gongkai_report::check(&r));
    Some(r)
}

/// The roster of a supervisor's scope, as the review's.
pub(crate) async fn roster(state: &Shared, staff: &Staff) -> Result<Roster, AppError> {
    let list = state.store.review_roster(&staff.scope).await?;
    roster_of(&list).map_err(AppError::Internal)
}

/// The review's roster of the store's agencies.
pub fn roster_of(list: &[gongkai_store::RosterAgency]) -> Result<Roster, String> {
    let ids: HashMap<&str, i64> = list.iter().map(|a| (a.name.as_str(), a.id)).collect();
    let agencies = list
        .iter()
        .map(|a| RAgency {
            id: a.id as u64,
            name: a.name.clone(),
            former_names: a.former_names.clone(),
            region: a.region.clone(),
            level: a.level.clone(),
            kind: kind_of(&a.kind, &a.name),
            parent: a
                .parent
                .as_deref()
                .and_then(|p| ids.get(p))
                .map(|&i| i as u64),
        })
        .collect();
    Roster::new(agencies)
}

/// The season of a supervisor for a year, computed once per change of what
/// it reads (and per day).
async fn season(state: &Shared, staff: &Staff, year: i32) -> Result<Arc<Season>, AppError> {
    let sup = supervisor(staff)?;
    let today = state.today();
    let stamp = format!("{}|{today}", state.store.review_stamp(&sup).await?);
    let key = (sup.clone(), year);
    if let Some((s, season)) = state.review.lock().ok().and_then(|c| c.get(&key).cloned()) {
        if s == stamp {
            return Ok(season);
        }
    }
    let (changes, similar) = thresholds(&state.store, &sup)
        .await
        .map_err(AppError::Internal)?;
    let season = compute_season(
        &state.store,
        &sup,
        &staff.scope,
        year,
        today,
        changes,
        similar,
    )
    .await
    .map_err(AppError::Internal)?;
    let season = Arc::new(season);
    if let Ok(mut c) = state.review.lock() {
        // A few seasons at a time: a visitor asking year after year does not
        // fill the memory.
        if c.len() >= SEASONS_KEPT && !c.contains_key(&key) {
            c.clear();
        }
        c.insert(key, (stamp, season.clone()));
    }
    Ok(season)
}

/// The thresholds of a supervisor's review: those it set, else the
/// review's defaults.
pub async fn thresholds(
    store: &gongkai_store::Store,
    sup: &str,
) -> Result<(ChangeSettings, SimilarSettings), String> {
    let mut changes = ChangeSettings::default();
    let mut similar = SimilarSettings::default();
    if let Some(s) = store
        .review_settings(sup)
        .await
        .map_err(|e| e.to_string())?
    {
        similar.threshold = s.copy_threshold;
        similar.min_chars = s.copy_min_chars.max(0) as usize;
        changes.ratio = s.change_ratio;
        changes.min_items = s.change_items;
    }
    Ok((changes, similar))
}

/// A supervisor's season for `year`, computed from the store: the agencies
/// of its scope, the files it collected and matched, and the reports its
/// agencies published here — each checked, compared with the year before,
/// searched for copied narrative and scored. The web and the command line
/// review the same way.
pub async fn compute_season(
    store: &gongkai_store::Store,
    sup: &str,
    scope: &gongkai_store::Scope,
    year: i32,
    today: NaiveDate,
    changes: ChangeSettings,
    similar: SimilarSettings,
) -> Result<Season, String> {
    let list = store
        .review_roster(scope)
        .await
        .map_err(|e| e.to_string())?;
    let roster = roster_of(&list)?;
    let names: Vec<String> = roster.agencies().iter().map(|a| a.name.clone()).collect();
    let sources = store
        .review_sources(sup, &names, &[year - 1, year])
        .await
        .map_err(|e| e.to_string())?;
    let season = tokio::task::spawn_blocking(move || {
        let by_name: HashMap<&str, u64> = roster
            .agencies()
            .iter()
            .map(|a| (a.name.as_str(), a.id))
            .collect();
        let mut entries = Vec::with_capacity(sources.len());
        let mut keys = Vec::with_capacity(sources.len());
        // The narrative of each entry, for the copied-narrative detection.
        let mut texts: Vec<(u64, u64, i32, String, Vec<(u8, String)>)> = Vec::new();
        for s in &sources {
            let Some(&id) = by_name.get(s.agency.as_str()) else {
                continue;
            };
            let Some(report) = stored_report(&s.label, &s.report) else {
                continue;
            };
            let agency = roster.get(id).expect("in the roster");
            let entry = keys.len() as u64;
            entries.push(Entry::of(entry, agency, s.year, s.published_on, &report));
            texts.push((
                entry,
                id,
                s.year,
                report.agency.clone().unwrap_or_default(),
                own_narrative(&report),
            ));
            keys.push((s.key.clone(), s.label.clone()));
        }
        let passages: Vec<Passage> = texts
            .iter()
            .flat_map(|(entry, agency, year, name, sections)| {
                sections.iter().map(move |(section, text)| Passage {
                    id: *entry,
                    agency: *agency,
                    year: *year,
                    section: *section,
                    name,
                    text,
                })
            })
            .collect();
        let copied: Vec<Copied> = find_copies(&passages, &similar)
            .into_iter()
            .map(Copied::from)
            .collect();
        let settings = Settings { today, changes };
        let rows = review(&roster, &entries, &copied, &[year], &settings);
        let mut season = Season {
            year,
            roster,
            summary: summarize(&rows),
            rows,
            sources: keys,
            charts: Vec::new(),
            svgs: Vec::new(),
            changes,
            similar,
        };
        // The year before's applications, by agency (its last report).
        let mut before: Vec<&Entry> = entries.iter().filter(|e| e.year == year - 1).collect();
        before.sort_by_key(|e| e.id);
        let prev: HashMap<u64, i64> = before
            .into_iter()
            .filter_map(|e| Some((e.agency, e.key.new_received?)))
            .collect();
        let charts = charts(&season, &season.rows, &prev);
        season.svgs = charts.iter().map(|(id, c)| (*id, c.to_svg())).collect();
        season.charts = charts;
        season
    })
    .await
    .map_err(|e| format!("审查：{e}"))?;
    Ok(season)
}

/// A report's narrative sections as the copied-narrative detection reads
/// them: without the template's wording (`narrative`) nor the draft gongkai
/// writes for an office that wrote none — offices that both published that
/// draft have copied nothing from each other.
pub fn own_narrative(report: &Report) -> Vec<(u8, String)> {
    narrative(report)
        .into_iter()
        .map(|(section, text)| {
            (
                section,
                gongkai_casework::annual::without_draft_wording(&text),
            )
        })
        .collect()
}

/// The reports a season reviewed for its year (one per agency with one),
/// read again from the store, each with its agency's id: what the region's
/// sum adds up.
pub async fn season_reports(
    store: &gongkai_store::Store,
    sup: &str,
    season: &Season,
) -> Result<Vec<(u64, Report)>, String> {
    let names: Vec<String> = season
        .roster
        .agencies()
        .iter()
        .map(|a| a.name.clone())
        .collect();
    let sources = store
        .review_sources(sup, &names, &[season.year])
        .await
        .map_err(|e| e.to_string())?;
    let chosen: HashMap<&str, u64> = season
        .rows
        .iter()
        .filter_map(|r| Some((season.sources.get(r.entry? as usize)?.0.as_str(), r.agency)))
        .collect();
    Ok(sources
        .iter()
        .filter_map(|s| {
            Some((
                *chosen.get(s.key.as_str())?,
                stored_report(&s.label, &s.report)?,
            ))
        })
        .collect())
}

#[derive(Debug, Default, Deserialize)]
pub struct DashboardQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    rule: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    page: String,
}

fn year_param(s: &str, today: NaiveDate) -> Result<i32, AppError> {
    match s.trim() {
        "" => Ok(default_year(today)),
        y => y
            .parse::<i32>()
            .ok()
            .filter(|y| (2008..=2100).contains(y))
            .ok_or_else(|| AppError::Invalid(format!("年度“{y}”应为四位数字"))),
    }
}

fn score_of(r: &Row) -> Option<u32> {
    r.score.as_ref().map(|s| s.total)
}

/// The rows a query asks for, in its order.
fn chosen<'a>(season: &'a Season, q: &DashboardQuery) -> Vec<&'a Row> {
    let needle = q.q.trim();
    let mut rows: Vec<&Row> = season
        .rows
        .iter()
        .filter(|r| match q.status.as_str() {
            "" => true,
            "faulty" => r.errors > 0,
            s => r.status.key() == s,
        })
        .filter(|r| q.rule.is_empty() || r.by_rule().contains_key(q.rule.as_str()))
        .filter(|r| {
            needle.is_empty()
                || season
                    .roster
                    .get(r.agency)
                    .is_some_and(|a| a.name.contains(needle) || a.region.contains(needle))
        })
        .collect();
    match q.sort.as_str() {
        "name" => {
            let name = |r: &Row| season.roster.get(r.agency).map(|a| a.name.as_str());
            rows.sort_by(|a, b| name(a).cmp(&name(b)).then(a.agency.cmp(&b.agency)))
        }
        "errors" => rows.sort_by(|a, b| b.errors.cmp(&a.errors).then(a.agency.cmp(&b.agency))),
        "late" => rows.sort_by_key(|r| {
            (
                std::cmp::Reverse(match r.status {
                    Status::Missing => i64::MAX,
                    Status::Late { days, .. } => days,
                    _ => -1,
                }),
                r.agency,
            )
        }),
        _ => rows.sort_by_key(|r| (score_of(r).unwrap_or(101), r.agency)),
    }
    rows
}

fn row_view(season: &Season, r: &Row) -> minijinja::Value {
    let a = season.roster.get(r.agency);
    let rules: Vec<minijinja::Value> = r
        .by_rule()
        .into_iter()
        .map(|(rule, n)| {
            ctx! {
                rule => rule,
                n => n,
                name => gongkai_review::any_rule(rule).map_or("", |x| x.name),
                error => gongkai_review::rules::level_of(rule) == Level::Error,
            }
        })
        .collect();
    ctx! {
        agency => r.agency,
        name => a.map_or(String::new(), |a| a.name.clone()),
        region => a.map_or(String::new(), |a| a.region.clone()),
        kind => a.map_or("", |a| a.kind.label()),
        status => r.status.label(),
        status_key => r.status.key(),
        published_on => r.status.published_on().map(|d| d.to_string()),
        due => r.due.to_string(),
        edition => r.edition_label(),
        old_template => r.edition == Some(Edition::V2019) && r.year >= 2021,
        errors => r.errors,
        warnings => r.warnings,
        rules => rules,
        continuity => r.findings.iter().any(|d| d.rule == "GK020" || d.rule == "GK021"),
        copied => !r.copied.is_empty(),
        score => score_of(r),
        source => r.source.clone(),
        duplicates => r.duplicates.len(),
    }
}

/// The charts of a season: publication, faults by rule, applications and
/// the results of reconsideration and litigation by agency.
fn charts(season: &Season, rows: &[Row], prev: &HashMap<u64, i64>) -> Vec<(&'static str, Chart)> {
    let s = summarize(rows);
    let mut out = Vec::new();
    let status = Chart::new(
        "年度报告公开情况",
        ["按时公开", "逾期公开", "未公开", "公开日期不详", "未到期限"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
    )
    .unit("个单位")
    .series(
        "单位数",
        vec![
            s.on_time as f64,
            s.late as f64,
            s.missing as f64,
            s.undated as f64,
            s.not_due as f64,
        ],
    )
    .horizontal()
    .value_labels();
    out.push(("chart-status", status));
    if !s.by_rule.is_empty() {
        let mut by_rule: Vec<(&str, usize)> = s.by_rule.iter().map(|(r, n)| (*r, *n)).collect();
        by_rule.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let faults = Chart::new(
            "各规则发现的问题",
            by_rule
                .iter()
                .map(|(r, _)| format!("{r} {}", gongkai_review::any_rule(r).map_or("", |x| x.name)))
                .collect(),
        )
        .unit("处")
        .series("问题数", by_rule.iter().map(|(_, n)| *n as f64).collect())
        .horizontal()
        .value_labels();
        out.push(("chart-rules", faults));
    }
    // The 20 agencies with the most new applications.
    let mut apps: Vec<&Row> = rows
        .iter()
        .filter(|r| r.key.as_ref().and_then(|k| k.new_received).is_some())
        .collect();
    apps.sort_by_key(|r| std::cmp::Reverse(r.key.as_ref().and_then(|k| k.new_received)));
    apps.truncate(20);
    if !apps.is_empty() {
        let mut chart = Chart::new(
            &format!(
                "新收政府信息公开申请数量（{}年度前 {} 个单位）",
                season.year,
                apps.len()
            ),
            apps.iter().map(|r| season.name(r.agency)).collect(),
        )
        .unit("件");
        // The year before beside it, where the agencies reported it.
        if apps.iter().any(|r| prev.contains_key(&r.agency)) {
            chart = chart.series(
                &format!("{}年度", season.year - 1),
                // No report the year before is absent (NaN), not zero.
                apps.iter()
                    .map(|r| prev.get(&r.agency).map_or(f64::NAN, |&n| n as f64))
                    .collect(),
            );
        }
        let chart = chart
            .series(
                &format!("{}年度", season.year),
                apps.iter()
                    .map(|r| r.key.as_ref().and_then(|k| k.new_received).unwrap_or(0) as f64)
                    .collect(),
            )
            .horizontal()
            .value_labels();
        out.push(("chart-applications", chart));
    }
    let mut appeals: Vec<&Row> = rows
        .iter()
        .filter(|r| r.key.as_ref().is_some_and(|k| k.decided() > 0))
        .collect();
    appeals.sort_by_key(|r| std::cmp::Reverse(r.key.as_ref().map_or(0, |k| k.decided())));
    appeals.truncate(20);
    if !appeals.is_empty() {
        let get = |f: fn(&gongkai_review::KeyFigures) -> Option<i64>| -> Vec<f64> {
            appeals
                .iter()
                .map(|r| r.key.as_ref().and_then(f).unwrap_or(0) as f64)
                .collect()
        };
        let chart = Chart::new(
            "行政复议、行政诉讼结果（已审结）",
            appeals.iter().map(|r| season.name(r.agency)).collect(),
        )
        .unit("件")
        .series("结果维持", get(|k| k.upheld))
        .series("结果纠正", get(|k| k.corrected))
        .series("其他结果", get(|k| k.other_result))
        .horizontal()
        .stacked();
        out.push(("chart-appeals", chart));
    }
    out
}

pub async fn dashboard(
    State(state): State<Shared>,
    staff: Staff,
    Query(q): Query<DashboardQuery>,
) -> Result<Response, AppError> {
    let (sup, year, season) = year_season(&state, &staff, &q.year).await?;
    let rows = chosen(&season, &q);
    let pages = rows.len().div_ceil(PAGE_ROWS).max(1);
    let page = q.page.parse::<usize>().unwrap_or(1).clamp(1, pages);
    let shown: Vec<minijinja::Value> = rows
        .iter()
        .skip((page - 1) * PAGE_ROWS)
        .take(PAGE_ROWS)
        .map(|r| row_view(&season, r))
        .collect();
    let summary = &season.summary;
    let rules: Vec<minijinja::Value> = summary
        .by_rule
        .iter()
        .map(|(r, n)| {
            ctx! { rule => *r, n => *n, name => gongkai_review::any_rule(r).map_or("", |x| x.name) }
        })
        .collect();
    let problems = state.store.review_files_open(&sup).await?;
    let base = format!(
        "/console/review?year={year}&status={}&rule={}&q={}&sort={}",
        crate::console::encode(&q.status),
        crate::console::encode(&q.rule),
        crate::console::encode(&q.q),
        crate::console::encode(&q.sort)
    );
    let charts: Vec<minijinja::Value> = season
        .svgs
        .iter()
        .map(|(id, svg)| ctx! { id => id, svg => svg })
        .collect();
    Ok(render(
        "review.html",
        ctx! {
            staff => staff.view(),
            year => year,
            supervisor => sup,
            summary => summary,
            rules => rules,
            rows => shown,
            total => rows.len(),
            page => page,
            pages => pages,
            export => base.replacen("/console/review?", "/console/review/export.csv?", 1),
            export_xlsx => base.replacen("/console/review?", "/console/review/export.xlsx?", 1),
            base => base,
            q => ctx! { status => q.status, rule => q.rule, q => q.q, sort => q.sort },
            charts => charts,
            problems => problems,
            thresholds => ctx! {
                copy => (season.similar.threshold * 100.0).round() as i64,
                min_chars => season.similar.min_chars,
                ratio => (season.changes.ratio * 100.0).round() as i64,
                items => season.changes.min_items,
            },
        },
    )?
    .into_response())
}

#[derive(Debug, Deserialize)]
pub struct SettingsForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    copy: String,
    #[serde(default)]
    min_chars: String,
    #[serde(default)]
    ratio: String,
    #[serde(default)]
    items: String,
}

/// Sets the thresholds of the supervisor's review: when a section counts
/// as copied, and when a change from the year before counts as large.
pub async fn save_settings(
    State(state): State<Shared>,
    staff: Staff,
    Form(f): Form<SettingsForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&f.csrf)?;
    let sup = supervisor(&staff)?;
    let year = year_param(&f.year, state.today())?;
    let number = |v: &str, what: &str, range: std::ops::RangeInclusive<i64>| {
        v.trim()
            .trim_end_matches(['%', '％'])
            .parse::<i64>()
            .ok()
            .filter(|n| range.contains(n))
            .ok_or_else(|| {
                AppError::Invalid(format!(
                    "{what}应为 {} 到 {} 之间的整数，填写的是“{}”",
                    range.start(),
                    range.end(),
                    v.trim()
                ))
            })
    };
    let settings = gongkai_store::ReviewSettings {
        copy_threshold: number(&f.copy, "内容雷同的相同文字占比（%）", 30..=100)? as f64 / 100.0,
        copy_min_chars: number(&f.min_chars, "内容雷同比较的最少字数", 20..=5000)?,
        change_ratio: number(&f.ratio, "变化较大的增减比例（%）", 10..=1000)? as f64 / 100.0,
        change_items: number(&f.items, "变化较大的最少件数", 1..=1_000_000)?,
    };
    state
        .store
        .set_review_settings(&staff.actor(), &sup, &settings)
        .await?;
    Ok(Redirect::to(&format!("/console/review?year={year}")).into_response())
}

/// A table as CSV for Excel (with a byte-order mark; fields quoted where needed).
fn csv_bytes<const N: usize>(header: &[&str; N], rows: &[[String; N]]) -> Vec<u8> {
    let field = |s: &str| {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut out = String::from("\u{FEFF}");
    out.push_str(&header.join(","));
    out.push('\n');
    for cells in rows {
        let line: Vec<String> = cells.iter().map(|c| field(c)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out.into_bytes()
}

pub async fn export_csv(
    State(state): State<Shared>,
    staff: Staff,
    Query(q): Query<DashboardQuery>,
) -> Result<Response, AppError> {
    let (_, year, season) = year_season(&state, &staff, &q.year).await?;
    let rows: Vec<[String; 16]> = chosen(&season, &q)
        .into_iter()
        .map(|r| gongkai_review::export::record(&season.roster, r))
        .collect();
    Ok(download(
        csv_bytes(&gongkai_review::export::HEADER, &rows),
        "text/csv; charset=utf-8",
        &format!("{year}年度报告审查"),
        "csv",
    ))
}

pub async fn figures_xlsx(
    State(state): State<Shared>,
    staff: Staff,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    figures_export(&state, &staff, &q, false).await
}

pub async fn figures_csv(
    State(state): State<Shared>,
    staff: Staff,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    figures_export(&state, &staff, &q, true).await
}

/// Every agency's key figures, most new applications first — the rankings
/// in full — as Excel or CSV.
async fn figures_export(
    state: &Shared,
    staff: &Staff,
    q: &YearQuery,
    csv: bool,
) -> Result<Response, AppError> {
    let (sup, year, season) = year_season(state, staff, &q.year).await?;
    let rows: Vec<[String; 14]> = gongkai_review::export::by_applications(&season.rows)
        .into_iter()
        .map(|r| gongkai_review::export::figures_record(&season.roster, r))
        .collect();
    let title = format!("{sup}所属单位{year}年度主要数据");
    let header = &gongkai_review::export::FIGURES_HEADER;
    if csv {
        return Ok(download(
            csv_bytes(header, &rows),
            "text/csv; charset=utf-8",
            &title,
            "csv",
        ));
    }
    let rows: Vec<Vec<String>> = rows.into_iter().map(|r| r.to_vec()).collect();
    let bytes =
        gongkai_write::xlsx::write_table(&title, header, &rows).map_err(AppError::Invalid)?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &title,
        "xlsx",
    ))
}

/// The season's charts as a PDF (A4, a long chart continued on the next page).
pub async fn charts_pdf(
    State(state): State<Shared>,
    staff: Staff,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let (sup, year, season) = year_season(&state, &staff, &q.year).await?;
    let title = format!("{sup}所属单位{year}年度报告审查图表");
    let t = title.clone();
    let pdf = tokio::task::spawn_blocking(move || {
        let list: Vec<(&str, &Chart)> = season.charts.iter().map(|(_, c)| (c.title(), c)).collect();
        gongkai_write::chart::chart_pdf(&t, &list, &gongkai_write::pdf::PdfFonts::embedded())
    })
    .await
    .map_err(|e| AppError::Internal(format!("图表：{e}")))?;
    Ok(download(pdf.bytes, "application/pdf", &title, "pdf"))
}

/// The review table as an Excel workbook, as the page's filters choose.
pub async fn export_xlsx(
    State(state): State<Shared>,
    staff: Staff,
    Query(q): Query<DashboardQuery>,
) -> Result<Response, AppError> {
    let (_, year, season) = year_season(&state, &staff, &q.year).await?;
    let rows: Vec<Vec<String>> = chosen(&season, &q)
        .into_iter()
        .map(|r| gongkai_review::export::record(&season.roster, r).to_vec())
        .collect();
    let title = format!("{year}年度报告审查");
    let bytes = gongkai_write::xlsx::write_table(&title, &gongkai_review::export::HEADER, &rows)
        .map_err(AppError::Invalid)?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &title,
        "xlsx",
    ))
}

fn sender(state: &Shared, sup: &str) -> Sender {
    let today = state.today();
    Sender {
        name: sup.to_string(),
        date: today,
        reply_by: today + chrono::Days::new(30),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    format: String,
}

pub async fn bulletin_docx(
    State(state): State<Shared>,
    staff: Staff,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let (sup, year, season) = year_season(&state, &staff, &q.year).await?;
    let text = bulletin(
        &sender(&state, &sup),
        &sup,
        &season.roster,
        &season.rows,
        year,
    );
    Ok(download(
        gongkai_write::letter::letter_docx(&text),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        &format!("{year}年度报告审查情况通报"),
        "docx",
    ))
}

#[derive(Debug, Deserialize)]
pub struct ReportPath {
    agency: String,
    year: String,
}

/// The supervisor, the year asked (last year when none) and its season.
async fn year_season(
    state: &Shared,
    staff: &Staff,
    year: &str,
) -> Result<(String, i32, Arc<Season>), AppError> {
    let sup = supervisor(staff)?;
    let year = year_param(year, state.today())?;
    let season = season(state, staff, year).await?;
    Ok((sup, year, season))
}

/// The supervisor, the year and the season of a path, and the index of its
/// agency's row (not found: outside the scope).
async fn agency_season(
    state: &Shared,
    staff: &Staff,
    p: &ReportPath,
) -> Result<(String, i32, Arc<Season>, usize), AppError> {
    let (sup, year, season) = year_season(state, staff, &p.year).await?;
    let id = parse_id(&p.agency)? as u64;
    let i = season
        .rows
        .iter()
        .position(|r| r.agency == id)
        .ok_or(AppError::NotFound)?;
    Ok((sup, year, season, i))
}

pub async fn notice_docx(
    State(state): State<Shared>,
    staff: Staff,
    Path(p): Path<ReportPath>,
) -> Result<Response, AppError> {
    let (sup, year, season, i) = agency_season(&state, &staff, &p).await?;
    let row = &season.rows[i];
    let agency = season.roster.get(row.agency).ok_or(AppError::NotFound)?;
    let text = rectification_notice(&sender(&state, &sup), agency, row).ok_or_else(|| {
        AppError::Invalid(format!(
            "{}{year}年度报告没有发现问题，无需整改通知",
            agency.name
        ))
    })?;
    Ok(download(
        gongkai_write::letter::letter_docx(&text),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        &format!("{}{year}年年报整改通知", agency.name),
        "docx",
    ))
}

/// The report reviewed for a row, read again from where it came from: a
/// collected file from its bytes (so positions are the file's), a report
/// published here from its JSON.
async fn row_report(
    state: &Shared,
    sup: &str,
    season: &Season,
    row: &Row,
) -> Result<Option<(Report, Option<Vec<u8>>, String)>, AppError> {
    match row.entry {
        Some(entry) => entry_report(state, sup, season, entry).await,
        None => Ok(None),
    }
}

/// The report of a season's entry, with the bytes of a text file (for its
/// source lines) and where it came from.
async fn entry_report(
    state: &Shared,
    sup: &str,
    season: &Season,
    entry: u64,
) -> Result<Option<(Report, Option<Vec<u8>>, String)>, AppError> {
    let (key, label) = season
        .sources
        .get(entry as usize)
        .cloned()
        .ok_or(AppError::NotFound)?;
    if let Some(id) = key.strip_prefix('f').and_then(|s| s.parse::<i64>().ok()) {
        let (f, bytes) = state.store.review_file(sup, id).await?;
        let name = f.file_name.clone();
        let part = f.part;
        let b = bytes.clone();
        let report = tokio::task::spawn_blocking(move || {
            gongkai_read::read_reports(&name, &b)
                .ok()
                .and_then(|mut v| {
                    let i = (part.max(1) - 1) as usize;
                    (i < v.len()).then(|| v.swap_remove(i))
                })
        })
        .await
        .map_err(|e| AppError::Internal(format!("读取：{e}")))?;
        let text_format = matches!(
            gongkai_read::Format::detect(&f.file_name, &bytes),
            gongkai_read::Format::Text
                | gongkai_read::Format::Markdown
                | gongkai_read::Format::Html
        );
        return Ok(report.map(|r| (r, text_format.then_some(bytes), label)));
    }
    // A report published here: "p{agency id}-{year}".
    let (agency, year) = key
        .strip_prefix('p')
        .and_then(|k| k.split_once('-'))
        .and_then(|(a, y)| Some((a.parse::<u64>().ok()?, y.parse::<i32>().ok()?)))
        .ok_or(AppError::NotFound)?;
    let agency = season.roster.get(agency).ok_or(AppError::NotFound)?;
    let p = state.store.published_report(&agency.name, year).await?;
    Ok(stored_report(&label, &p.report).map(|r| (r, None, label)))
}

/// A text with the given byte ranges marked, every part escaped.
fn marked(text: &str, spans: &[std::ops::Range<usize>]) -> String {
    let esc = crate::console::escape_attr;
    let mut out = String::new();
    let mut at = 0;
    for r in spans {
        if r.start < at
            || r.end > text.len()
            || !text.is_char_boundary(r.start)
            || !text.is_char_boundary(r.end)
        {
            continue;
        }
        out.push_str(&esc(&text[at..r.start]));
        out.push_str("<mark>");
        out.push_str(&esc(&text[r.clone()]));
        out.push_str("</mark>");
        at = r.end;
    }
    out.push_str(&esc(&text[at..]));
    out
}

#[derive(Debug, Deserialize)]
pub struct CopyPath {
    agency: String,
    year: String,
    section: String,
}

/// A copied section side by side with its source, the passages they share marked.
pub async fn copy_page(
    State(state): State<Shared>,
    staff: Staff,
    Path(p): Path<CopyPath>,
) -> Result<Response, AppError> {
    let path = ReportPath {
        agency: p.agency.clone(),
        year: p.year.clone(),
    };
    let (sup, year, season, i) = agency_season(&state, &staff, &path).await?;
    let row = &season.rows[i];
    let agency = season.roster.get(row.agency).ok_or(AppError::NotFound)?;
    let section: u8 = p.section.parse().map_err(|_| AppError::NotFound)?;
    let copy = row
        .copied
        .iter()
        .find(|c| c.section == section)
        .ok_or(AppError::NotFound)?;
    let (Some((own, _, own_label)), Some((other, _, other_label))) = (
        entry_report(&state, &sup, &season, copy.entry).await?,
        entry_report(&state, &sup, &season, copy.from).await?,
    ) else {
        return Err(AppError::NotFound);
    };
    let text = |r: &Report| {
        r.sections
            .get(usize::from(section).saturating_sub(1))
            .and_then(|s| s.as_ref())
            .map(|s| s.text.clone())
            .unwrap_or_default()
    };
    let (a, b) = (text(&own), text(&other));
    let (sa, sb) = shared_spans(&a, &b, 12);
    Ok(render(
        "review_copy.html",
        ctx! {
            staff => staff.view(),
            agency => ctx! { id => agency.id, name => agency.name.clone() },
            year => year,
            section => section_heading(section),
            similarity => format!("{:.0}%", copy.similarity * 100.0),
            previous_year => copy.previous_year,
            own => marked(&a, &sa),
            own_label => own_label,
            other => marked(&b, &sb),
            other_label => other_label,
            other_name => other.agency.clone().unwrap_or_default(),
        },
    )?
    .into_response())
}

/// The line of a text file at a 1-based number, shortened.
fn source_line(bytes: &[u8], line: u32) -> Option<String> {
    let (text, _, _) = gongkai_read::decode::decode(bytes);
    let l = text.lines().nth(line.checked_sub(1)? as usize)?;
    let l = l.trim();
    Some(if l.chars().count() > 160 {
        format!("{}…", l.chars().take(160).collect::<String>())
    } else {
        l.to_string()
    })
}

fn level_label(l: Level) -> &'static str {
    match l {
        Level::Error => "错误",
        Level::Warning => "警告",
        Level::Info => "提示",
    }
}

pub async fn report_page(
    State(state): State<Shared>,
    staff: Staff,
    Path(p): Path<ReportPath>,
) -> Result<Response, AppError> {
    let (sup, year, season, i) = agency_season(&state, &staff, &p).await?;
    let row = &season.rows[i];
    let agency = season.roster.get(row.agency).ok_or(AppError::NotFound)?;
    let found = row_report(&state, &sup, &season, row).await?;
    let edition = row.edition.unwrap_or(Edition::V2021);
    let (document, source_text) = match &found {
        Some((report, bytes, _)) => (
            Some(crate::console::marked_document(report, &row.findings)),
            bytes.clone(),
        ),
        None => (None, None),
    };
    let findings: Vec<minijinja::Value> = row
        .findings
        .iter()
        .map(|d: &Diagnostic| {
            let at = d.line.map(|l| match d.column {
                Some(c) => format!("第 {l} 行第 {c} 列"),
                None => format!("第 {l} 行"),
            });
            ctx! {
                rule => d.rule,
                name => gongkai_review::any_rule(d.rule).map_or("", |r| r.name),
                level => level_label(d.level),
                level_key => d.level.as_str(),
                message => d.message.clone(),
                cells => {
                    // A row's or a column's rule names every cell of it: the first
                    // three say where, the count says how many.
                    let mut cells: Vec<String> =
                        d.cells.iter().take(3).map(|c| cell_label(&c.address, edition)).collect();
                    if d.cells.len() > 3 {
                        cells.push(format!("等共 {} 个单元格", d.cells.len()));
                    }
                    cells
                },
                expected => d.expected.map(|e| e.to_string()),
                at => at,
                line => d.line.and_then(|l| source_text.as_deref().and_then(|b| source_line(b, l))),
            }
        })
        .collect();
    let deductions = row
        .score
        .as_ref()
        .map(|s| s.deductions.clone())
        .unwrap_or_default();
    let copied: Vec<minijinja::Value> = row
        .copied
        .iter()
        .map(|c| {
            ctx! {
                n => c.section,
                section => section_heading(c.section),
                similarity => format!("{:.0}%", c.similarity * 100.0),
                from => season.sources.get(c.from as usize).map(|s| s.1.clone()),
            }
        })
        .collect();
    let file_id = row
        .entry
        .and_then(|e| season.sources.get(e as usize))
        .and_then(|(k, _)| k.strip_prefix('f'))
        .and_then(|s| s.parse::<i64>().ok());
    Ok(render(
        "review_report.html",
        ctx! {
            staff => staff.view(),
            agency => ctx! { id => agency.id, name => agency.name.clone(), kind => agency.kind.label(), region => agency.region.clone() },
            year => year,
            row => row_view(&season, row),
            score => score_of(row),
            deductions => deductions,
            findings => findings,
            document => document,
            source => found.as_ref().map(|f| f.2.clone()),
            file_id => file_id,
            copied => copied,
            has_faults => row.faults().next().is_some(),
        },
    )?
    .into_response())
}

pub async fn aggregate_page(
    State(state): State<Shared>,
    staff: Staff,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let (sup, year, season) = year_season(&state, &staff, &q.year).await?;
    let reports = season_reports(&state.store, &sup, &season)
        .await
        .map_err(AppError::Internal)?;
    let refs: Vec<&Report> = reports.iter().map(|(_, r)| r).collect();
    let agg = aggregate(&sup, year, Edition::V2021, &refs);
    let title = format!("{sup}所属单位{year}年度数据汇总");
    match q.format.as_str() {
        "" | "html" => {}
        f => {
            let format = gongkai_write::FileFormat::parse(f)
                .ok_or_else(|| AppError::Invalid(format!("不支持的格式“{f}”")))?;
            let bytes = match format {
                gongkai_write::FileFormat::Pdf => {
                    gongkai_write::pdf::write_pdf_with(
                        &agg.report,
                        &gongkai_write::Options::default(),
                        &gongkai_write::pdf::PdfFonts::embedded(),
                    )
                    .bytes
                }
                _ => gongkai_write::write_bytes(format, &agg.report),
            };
            return Ok(download(bytes, mime(format), &title, format.extension()));
        }
    }
    let rankings = rankings(&season);
    let outcome = outcome_chart(&agg.report);
    Ok(render(
        "review_aggregate.html",
        ctx! {
            staff => staff.view(),
            year => year,
            title => title,
            included => agg.included,
            left_out => agg.left_out,
            incomplete => agg.incomplete,
            findings => agg.findings.iter().filter(|d| d.level != Level::Info).map(|d| ctx! { rule => d.rule, level => level_label(d.level), message => d.message.clone() }).collect::<Vec<_>>(),
            document => crate::console::marked_document(&agg.report, &agg.findings),
            rankings => rankings,
            outcome => outcome,
        },
    )?
    .into_response())
}

fn mime(f: gongkai_write::FileFormat) -> &'static str {
    use gongkai_write::{FileFormat, Format};
    match f {
        FileFormat::Docx => {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        }
        FileFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        FileFormat::Pdf => "application/pdf",
        FileFormat::Text(Format::Json) => "application/json",
        // Downloaded, never shown as a page of this site.
        FileFormat::Text(_) => "text/plain; charset=utf-8",
    }
}

/// The outcome mix of the summed table 3: how the applications processed ended.
fn outcome_chart(sum: &Report) -> Option<String> {
    let v = |row: &str| -> f64 {
        sum.value(&format!("t3.{row}.total"))
            .map_or(0.0, |n| n.as_f64())
    };
    let group = |prefix: &str| -> f64 {
        let t = sum.template();
        t.cells
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                c.address.starts_with(&format!("t3.{prefix}.")) && c.address.ends_with(".total")
            })
            .map(|(i, _)| sum.cell_at(i).map_or(0.0, |c| c.value.as_f64()))
            .sum()
    };
    let values = vec![
        v("granted"),
        v("partially_granted"),
        group("withheld"),
        group("unavailable"),
        group("not_processed"),
        group("other") + v("other"),
    ];
    if values.iter().all(|x| *x == 0.0) {
        return None;
    }
    Some(
        Chart::new(
            "办理结果构成",
            [
                "予以公开",
                "部分公开",
                "不予公开",
                "无法提供",
                "不予处理",
                "其他处理",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        )
        .unit("件")
        .series("件数", values)
        .horizontal()
        .value_labels()
        .to_svg(),
    )
}

/// Rankings of the season: applications, 纠错率, lateness.
fn rankings(season: &Season) -> minijinja::Value {
    let name = |r: &Row| season.name(r.agency);
    let mut apps: Vec<&Row> = season
        .rows
        .iter()
        .filter(|r| r.key.as_ref().and_then(|k| k.new_received).is_some())
        .collect();
    apps.sort_by_key(|r| {
        (
            std::cmp::Reverse(r.key.as_ref().and_then(|k| k.new_received)),
            r.agency,
        )
    });
    let apps: Vec<minijinja::Value> = apps
        .iter()
        .take(10)
        .map(|r| ctx! { name => name(r), n => r.key.as_ref().and_then(|k| k.new_received) })
        .collect();
    let mut rate: Vec<(&Row, f64, i64, i64)> = season
        .rows
        .iter()
        .filter_map(|r| {
            let k = r.key.as_ref()?;
            Some((
                r,
                k.correction_rate()?,
                k.corrected.unwrap_or(0),
                k.decided(),
            ))
        })
        .collect();
    rate.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then(b.3.cmp(&a.3))
            .then(a.0.agency.cmp(&b.0.agency))
    });
    let rate: Vec<minijinja::Value> = rate
        .iter()
        .take(10)
        .map(|(r, x, c, d)| ctx! { name => name(r), rate => format!("{:.1}%", x * 100.0), corrected => *c, decided => *d })
        .collect();
    let mut late: Vec<&Row> = season
        .rows
        .iter()
        .filter(|r| matches!(r.status, Status::Late { .. } | Status::Missing))
        .collect();
    late.sort_by_key(|r| {
        (
            std::cmp::Reverse(match r.status {
                Status::Missing => i64::MAX,
                Status::Late { days, .. } => days,
                _ => 0,
            }),
            r.agency,
        )
    });
    let late: Vec<minijinja::Value> = late
        .iter()
        .take(10)
        .map(|r| ctx! { name => name(r), status => r.status.label() })
        .collect();
    ctx! { applications => apps, rate => rate, late => late }
}

// ---------------------------------------------------------------------------
// Collecting files.

pub async fn files_page(State(state): State<Shared>, staff: Staff) -> Result<Response, AppError> {
    let sup = supervisor(&staff)?;
    show_files(&state, &staff, &sup, None, StatusCode::OK).await
}

async fn show_files(
    state: &Shared,
    staff: &Staff,
    sup: &str,
    message: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let files = state.store.review_files(sup).await?;
    let roster = state.store.review_roster(&staff.scope).await?;
    let view: Vec<minijinja::Value> = files
        .iter()
        .map(|f| {
            ctx! {
                id => f.id,
                batch => f.batch,
                file_name => f.file_name,
                part => f.part,
                named => f.named,
                agency => f.agency,
                year => f.year,
                published_on => f.published_on.map(|d| d.to_string()),
                status => f.status,
                status_label => f.status_label(),
                problem => f.problem,
                uploaded_at => f.uploaded_at,
                assignable => matches!(f.status.as_str(), "unmatched" | "ambiguous" | "no_year" | "matched"),
            }
        })
        .collect();
    let open = files
        .iter()
        .filter(|f| matches!(f.status.as_str(), "unmatched" | "ambiguous" | "no_year"))
        .count();
    Ok((
        status,
        render(
            "review_files.html",
            ctx! {
                staff => staff.view(),
                files => view,
                open => open,
                agencies => roster.iter().map(|a| ctx! { name => a.name.clone() }).collect::<Vec<_>>(),
                message => message,
                year => default_year(state.today()),
            },
        )?,
    )
        .into_response())
}

/// The files of a zip archive, bounded in number and size.
fn unzip(name: &str, bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("“{name}”不是有效的 zip 压缩包（{e}）"))?;
    if zip.len() > ZIP_FILES {
        return Err(format!(
            "“{name}”含 {} 个文件，超过 {ZIP_FILES} 个；请分批上传",
            zip.len()
        ));
    }
    let mut out = Vec::new();
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut f = zip
            .by_index(i)
            .map_err(|e| format!("“{name}”中的第 {} 个文件无法读取（{e}）", i + 1))?;
        if f.is_dir() {
            continue;
        }
        // Names in old Chinese zips are often GBK, which the crate reads as
        // CP437; the raw bytes decoded as GBK give the name back.
        let inner = match std::str::from_utf8(f.name_raw()) {
            Ok(s) => s.to_string(),
            Err(_) => encoding_rs::GBK.decode(f.name_raw()).0.into_owned(),
        };
        let inner = crate::disclosure::clean_name_or(&inner, "未命名文件");
        if inner.starts_with('.') || inner.starts_with("__MACOSX") {
            continue;
        }
        let mut buf = Vec::new();
        let limit = (FILE_LIMIT as u64 + 1).min(ZIP_UNPACKED - total + 1);
        (&mut f)
            .take(limit)
            .read_to_end(&mut buf)
            .map_err(|e| format!("“{name}”中的“{inner}”无法解压（{e}）"))?;
        if buf.len() > FILE_LIMIT {
            return Err(format!(
                "“{name}”中的“{inner}”解压后超过 {} MB",
                FILE_LIMIT / 1024 / 1024
            ));
        }
        total += buf.len() as u64;
        if total > ZIP_UNPACKED {
            return Err(format!(
                "“{name}”解压后超过 {} MB；请分批上传",
                ZIP_UNPACKED / 1024 / 1024
            ));
        }
        out.push((inner, buf));
    }
    Ok(out)
}

/// Reads and matches one file's reports.
pub fn collect_file(roster: &Roster, name: &str, bytes: Vec<u8>) -> Vec<NewReviewFile> {
    let sha: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let blank = |status: &str, problem: String, bytes: Vec<u8>| NewReviewFile {
        file_name: name.to_string(),
        part: 0,
        sha256: sha.clone(),
        content: bytes,
        named: String::new(),
        agency: None,
        year: None,
        published_on: None,
        status: status.into(),
        problem,
        report: None,
    };
    let reports = match gongkai_read::read_reports(name, &bytes) {
        Ok(r) if !r.is_empty() => r,
        Ok(_) => return vec![blank("unreadable", "文件中没有报告".into(), bytes)],
        Err(e) => return vec![blank("unreadable", e.to_string(), bytes)],
    };
    let page_date = match gongkai_read::Format::detect(name, &bytes) {
        gongkai_read::Format::Text
        | gongkai_read::Format::Markdown
        | gongkai_read::Format::Html => {
            let (text, _, _) = gongkai_read::decode::decode(&bytes);
            gongkai_review::dates::published_date(&text)
        }
        _ => None,
    };
    let many = reports.len() > 1;
    let mut out = Vec::new();
    for (i, report) in reports.iter().enumerate() {
        let named = report.agency.clone().unwrap_or_default();
        let year = report.year.or_else(|| year_in_file_name(name));
        let (agency, status, problem) = match roster.match_report(report.agency.as_deref(), name) {
            Match::Agency { id, by } => {
                let a = roster.get(id).map(|a| a.name.clone());
                match year {
                    Some(_) => (a, "matched", format!("{}对应", by.label())),
                    None => (a, "no_year", "标题和文件名中都没有年度，请指定".to_string()),
                }
            }
            Match::Ambiguous { ids } => {
                let names: Vec<String> = ids
                    .iter()
                    .filter_map(|i| roster.get(*i).map(|a| a.name.clone()))
                    .collect();
                (
                    None,
                    "ambiguous",
                    format!("可能属于{}，请指定", names.join("、")),
                )
            }
            Match::None => (
                None,
                "unmatched",
                format!(
                    "报告中的机关“{}”不在本机关所属单位中，请指定",
                    if named.is_empty() {
                        "（未写明）"
                    } else {
                        &named
                    }
                ),
            ),
        };
        out.push(NewReviewFile {
            file_name: name.to_string(),
            part: if many { i as i64 + 1 } else { 0 },
            sha256: sha.clone(),
            content: bytes.clone(),
            named,
            agency,
            year,
            published_on: page_date,
            status: status.into(),
            problem,
            report: Some(gongkai_write::write(gongkai_write::Format::Json, report)),
        });
    }
    out
}

pub async fn upload(
    State(state): State<Shared>,
    staff: Staff,
    mut mp: Multipart,
) -> Result<Response, AppError> {
    let sup = supervisor(&staff)?;
    let mut csrf = String::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut total = 0usize;
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::TooLarge(format!(
                    "一次上传的文件合计超过 {} MB，未处理；请分批上传",
                    UPLOAD_LIMIT / 1024 / 1024
                )))
            }
            Err(_) => {
                return Err(AppError::Invalid(
                    "上传的表单不完整，无法读取，请重新选择文件后提交".into(),
                ))
            }
        };
        match field.name().unwrap_or("") {
            "_csrf" => csrf = field.text().await.unwrap_or_default(),
            "files" => {
                let name =
                    crate::disclosure::clean_name_or(field.file_name().unwrap_or(""), "未命名文件");
                let bytes = field.bytes().await.map_err(|_| {
                    AppError::TooLarge(format!(
                        "一次上传的文件合计超过 {} MB，未处理；请分批上传",
                        UPLOAD_LIMIT / 1024 / 1024
                    ))
                })?;
                if bytes.is_empty() {
                    continue;
                }
                total += bytes.len();
                if bytes.len() > FILE_LIMIT || total > UPLOAD_LIMIT {
                    return Err(AppError::TooLarge(format!(
                        "“{name}”超过 {} MB，或一次上传的文件合计过大；未处理",
                        FILE_LIMIT / 1024 / 1024
                    )));
                }
                files.push((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    staff.check_csrf(&csrf)?;
    if files.is_empty() {
        return show_files(
            &state,
            &staff,
            &sup,
            Some("请选择要上传的年度报告文件（可多选，也可上传 zip 压缩包）".into()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let roster = roster(&state, &staff).await?;
    let collected = tokio::task::spawn_blocking(move || {
        let mut out = Vec::new();
        for (name, bytes) in files {
            if name.to_ascii_lowercase().ends_with(".zip") {
                match unzip(&name, &bytes) {
                    Ok(inner) => {
                        for (n, b) in inner {
                            out.extend(collect_file(&roster, &n, b));
                        }
                    }
                    Err(why) => out.push(NewReviewFile {
                        file_name: name.clone(),
                        part: 0,
                        sha256: Sha256::digest(&bytes)
                            .iter()
                            .map(|b| format!("{b:02x}"))
                            .collect(),
                        content: Vec::new(),
                        named: String::new(),
                        agency: None,
                        year: None,
                        published_on: None,
                        status: "unreadable".into(),
                        problem: why,
                        report: None,
                    }),
                }
            } else {
                out.extend(collect_file(&roster, &name, bytes));
            }
        }
        out
    })
    .await
    .map_err(|e| AppError::Internal(format!("读取上传的文件：{e}")))?;
    let n = collected.len();
    state
        .store
        .add_review_files(&staff.actor(), &sup, collected)
        .await?;
    let files = state.store.review_files(&sup).await?;
    let open = files
        .iter()
        .take(n)
        .filter(|f| f.status != "matched")
        .count();
    show_files(
        &state,
        &staff,
        &sup,
        Some(if open == 0 {
            format!("已收集 {n} 份报告，全部对应到所属单位。")
        } else {
            format!("已收集 {n} 份报告，其中 {open} 份需要处理（见下表）；其余已计入审查。")
        }),
        StatusCode::OK,
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct AssignForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    year: String,
}

pub async fn assign(
    State(state): State<Shared>,
    staff: Staff,
    Path(id): Path<String>,
    Form(f): Form<AssignForm>,
) -> Result<Response, AppError> {
    let sup = supervisor(&staff)?;
    staff.check_csrf(&f.csrf)?;
    let id = parse_id(&id)?;
    let Ok(year) = f.year.trim().parse::<i32>() else {
        return show_files(
            &state,
            &staff,
            &sup,
            Some(format!("年度“{}”应为四位数字", f.year.trim())),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    match state
        .store
        .assign_review_file(
            &staff.actor(),
            &sup,
            &staff.scope,
            id,
            f.agency.trim(),
            year,
        )
        .await
    {
        Ok(()) => Ok(Redirect::to("/console/review/files").into_response()),
        Err(gongkai_store::StoreError::Invalid(m)) => {
            show_files(
                &state,
                &staff,
                &sup,
                Some(m),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn file_source(
    State(state): State<Shared>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let sup = supervisor(&staff)?;
    let (f, bytes) = state.store.review_file(&sup, parse_id(&id)?).await?;
    let (stem, ext) = match f.file_name.rsplit_once('.') {
        Some((s, e)) if !e.is_empty() && e.len() <= 5 => (s.to_string(), e.to_ascii_lowercase()),
        _ => (f.file_name.clone(), "bin".to_string()),
    };
    // Offered as a download whatever it is: never shown as a page of this site.
    Ok(download(bytes, "application/octet-stream", &stem, &ext))
}

#[cfg(test)]
mod tests {
    use super::marked;

    #[test]
    fn marked_text_is_escaped_and_marks_only_whole_characters() {
        let t = "甲<b>乙&丙丁";
        // "乙&丙" is bytes 6..13.
        assert_eq!(marked(t, &[6..13]), "甲&lt;b&gt;<mark>乙&amp;丙</mark>丁");
        // A range inside a character, or out of order, is left unmarked.
        assert_eq!(marked(t, &[1..3]), "甲&lt;b&gt;乙&amp;丙丁");
        assert_eq!(marked("ab", &[1..2, 0..1]), "a<mark>b</mark>");
    }
}
