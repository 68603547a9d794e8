//! The public side of proactive disclosure: each agency's 政府信息公开专栏
//! (国办公开办函〔2019〕61号: 政府信息公开指南, 政府信息公开制度, 法定主动
//! 公开内容, 政府信息公开年报), the item pages with their metadata,
//! attachments and 解读, the 目录, the full-text search of the platform, an
//! Atom feed per agency, and the sitemap for crawlers.
//!
//! Only published items exist here: the store's public queries never return
//! another status, so an item stopped at any step of its review is "not
//! found" by page, by search, by feed and by sitemap alike. Addresses are
//! stable: `/a/{agency}/i/{item}` never changes once published.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use gongkai_casework::disclosure::{self as rules, LocalLevel};
use gongkai_store::{Agency, Item};

use crate::console::encode;
use crate::disclosure::{file_response, guide_in_force};
use crate::error::AppError;
use crate::pages::render;
use crate::portal::parse_id;
use crate::Shared;

/// URLs in one sitemap file (the protocol's limit is 50,000).
const SITEMAP_CHUNK: i64 = 50_000;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/a/{id}", get(home))
        .route("/a/{id}/guide", get(guide))
        .route("/a/{id}/catalog", get(catalog))
        .route("/a/{id}/c/{column}", get(column_list))
        .route("/a/{id}/i/{item}", get(item))
        .route("/a/{id}/i/{item}/f/{file}", get(attachment))
        .route("/a/{id}/reports", get(reports))
        .route("/a/{id}/reports/{year}", get(report))
        .route("/a/{id}/feed.atom", get(feed))
        .route("/search", get(search))
        .route("/sitemap.xml", get(sitemap))
        .route("/sitemap/{file}", get(sitemap_items))
        .route("/robots.txt", get(robots))
}

async fn agency_of(state: &Shared, id: &str) -> Result<Agency, AppError> {
    Ok(state.store.portal_agency_by_id(parse_id(id)?).await?)
}

/// The agency's 法定主动公开内容 columns with their counts.
async fn statutory(state: &Shared, agency: &Agency) -> Result<Vec<minijinja::Value>, AppError> {
    let level = state
        .store
        .profile(&agency.name)
        .await?
        .local_level
        .unwrap_or(LocalLevel::None);
    let counts = state.store.public_column_counts(&agency.name).await?;
    Ok(rules::statutory_columns(level)
        .into_iter()
        .map(|c| {
            let n = counts
                .iter()
                .find(|(k, _)| k == c.key)
                .map(|(_, n)| *n)
                .unwrap_or(0);
            ctx! { key => c.key, name => c.name, scope => c.scope, article => c.article, count => n }
        })
        .collect())
}

fn row(i: &Item) -> minijinja::Value {
    ctx! {
        id => i.id,
        title => i.title,
        index_no => i.index_no,
        summary => i.summary,
        doc_no => i.doc_no,
        published_on => i.published_on.map(|d| d.to_string()),
        written_on => i.written_on.to_string(),
        validity => i.validity.map(|v| v.label()),
        column => rules::column(&i.column).map(|c| c.name),
    }
}

pub async fn home(
    State(state): State<Shared>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let agency = agency_of(&state, &id).await?;
    let latest = state.store.public_items(&agency.name, None, 1, 8).await?;
    let reports = state.store.published_reports(&agency.name).await?;
    let system = state
        .store
        .public_items(&agency.name, Some(rules::SYSTEM.key), 1, 5)
        .await?;
    Ok(render(
        "column_home.html",
        ctx! {
            agency => agency,
            columns => statutory(&state, &agency).await?,
            latest => latest.rows.iter().map(row).collect::<Vec<_>>(),
            total => latest.total,
            system => system.rows.iter().map(row).collect::<Vec<_>>(),
            reports => reports,
        },
    )?
    .into_response())
}

pub async fn guide(
    State(state): State<Shared>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let agency = agency_of(&state, &id).await?;
    let (body, edited) = guide_in_force(&state, &agency).await?;
    Ok(render(
        "guide.html",
        ctx! {
            agency => agency,
            paragraphs => paragraphs(&body),
            edited => edited,
        },
    )?
    .into_response())
}

/// Text as paragraphs, each marked as a heading when it starts with a
/// Chinese ordinal (一、 二、 …).
fn paragraphs(text: &str) -> Vec<minijinja::Value> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let heading = l
                .char_indices()
                .nth(1)
                .is_some_and(|(i, c)| c == '、' && "一二三四五六七八九十".contains(&l[..i]));
            ctx! { text => l, heading => heading }
        })
        .collect()
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct PageParam {
    #[serde(default)]
    page: String,
}

fn page_no(p: &PageParam) -> i64 {
    p.page.trim().parse::<i64>().unwrap_or(1).clamp(1, 100_000)
}

pub async fn catalog(
    State(state): State<Shared>,
    Path(id): Path<String>,
    Query(p): Query<PageParam>,
) -> Result<Response, AppError> {
    let agency = agency_of(&state, &id).await?;
    let list = state
        .store
        .public_items(&agency.name, None, page_no(&p), 50)
        .await?;
    Ok(render(
        "column_list.html",
        ctx! {
            agency => agency,
            catalog => true,
            title => "政府信息公开目录",
            rows => list.rows.iter().map(row).collect::<Vec<_>>(),
            total => list.total,
            page => list.page,
            pages => list.pages,
            base => format!("/a/{}/catalog", agency.id),
        },
    )?
    .into_response())
}

pub async fn column_list(
    State(state): State<Shared>,
    Path((id, key)): Path<(String, String)>,
    Query(p): Query<PageParam>,
) -> Result<Response, AppError> {
    let agency = agency_of(&state, &id).await?;
    let column = rules::column(&key).ok_or(AppError::NotFound)?;
    let list = state
        .store
        .public_items(&agency.name, Some(column.key), page_no(&p), 20)
        .await?;
    Ok(render(
        "column_list.html",
        ctx! {
            agency => agency,
            catalog => false,
            title => column.name,
            column => column,
            rows => list.rows.iter().map(row).collect::<Vec<_>>(),
            total => list.total,
            page => list.page,
            pages => list.pages,
            base => format!("/a/{}/c/{}", agency.id, column.key),
        },
    )?
    .into_response())
}

pub async fn item(
    State(state): State<Shared>,
    Path((id, item)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let agency = agency_of(&state, &id).await?;
    let item = state
        .store
        .public_item(Some(&agency.name), parse_id(&item)?)
        .await?;
    let files = state.store.public_attachments(&item).await?;
    let (policy, readings) = state.store.public_links(&item).await?;
    let column = rules::column(&item.column);
    Ok(render(
        "column_item.html",
        ctx! {
            agency => agency,
            item => ctx! {
                id => item.id,
                title => item.title,
                index_no => item.index_no,
                summary => item.summary,
                body => item.body,
                publisher => item.publisher,
                written_on => item.written_on.to_string(),
                published_on => item.published_on.map(|d| d.to_string()),
                doc_no => item.doc_no,
                topic => item.topic,
                disclosure => item.disclosure.label(),
                doc_kind => item.doc_kind.map(|k| k.label()),
                validity => item.validity.map(|v| v.label()),
                validity_on => item.validity_on.map(|d| d.to_string()),
            },
            column => column,
            files => files,
            policy => policy,
            readings => readings,
        },
    )?
    .into_response())
}

pub async fn attachment(
    State(state): State<Shared>,
    Path((id, item, file)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let agency = agency_of(&state, &id).await?;
    let (meta, bytes) = state
        .store
        .public_attachment(&agency.name, parse_id(&item)?, parse_id(&file)?)
        .await?;
    Ok(file_response(&meta.file_name, &meta.media_type, bytes))
}

pub async fn reports(
    State(state): State<Shared>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let agency = agency_of(&state, &id).await?;
    let list = state.store.published_reports(&agency.name).await?;
    Ok(render(
        "reports_public.html",
        ctx! { agency => agency, reports => list },
    )?
    .into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct FormatParam {
    #[serde(default)]
    format: String,
}

pub async fn report(
    State(state): State<Shared>,
    Path((id, year)): Path<(String, String)>,
    Query(f): Query<FormatParam>,
) -> Result<Response, AppError> {
    let agency = agency_of(&state, &id).await?;
    let year: i32 = year.trim().parse().map_err(|_| AppError::NotFound)?;
    let published = state.store.published_report(&agency.name, year).await?;
    let report = gongkai_read::read_report("published.json", published.report.as_bytes())
        .map_err(|e| AppError::Internal(format!("已发布的年度报告无法读取：{e}")))?;
    let name = format!("{}{year}年政府信息公开工作年度报告", agency.name);
    match f.format.as_str() {
        "" => {}
        "docx" | "pdf" => {
            let format = gongkai_write::FileFormat::ALL
                .into_iter()
                .find(|x| x.extension() == f.format)
                .ok_or(AppError::NotFound)?;
            let bytes =
                tokio::task::spawn_blocking(move || gongkai_write::write_bytes(format, &report))
                    .await
                    .map_err(|e| AppError::Internal(format!("排版年度报告：{e}")))?;
            let mime = if f.format == "pdf" {
                "application/pdf"
            } else {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            };
            return Ok(crate::console::download(bytes, mime, &name, &f.format));
        }
        _ => return Err(AppError::NotFound),
    }
    let html = gongkai_write::write(gongkai_write::Format::Html, &report);
    let start = html.find("<article>").unwrap_or(0);
    let end = html
        .rfind("</article>")
        .map(|i| i + "</article>".len())
        .unwrap_or(html.len());
    let due = gongkai_store::report_due(&agency.kind, year);
    Ok(render(
        "report_public.html",
        ctx! {
            agency => agency,
            year => year,
            published => published,
            document => html[start..end].to_string(),
            due => due.to_string(),
            late => published.published_on > due,
        },
    )?
    .into_response())
}

// ---------------------------------------------------------------------------
// Search

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    column: String,
    #[serde(default)]
    publisher: String,
    #[serde(default)]
    validity: String,
    #[serde(default)]
    page: String,
}

const PER_PAGE: usize = 20;

pub async fn search(
    State(state): State<Shared>,
    Query(p): Query<SearchParams>,
) -> Result<Response, AppError> {
    let agency = match p.agency.trim() {
        "" => None,
        id => Some(agency_of(&state, id).await?),
    };
    let page = p.page.trim().parse::<usize>().unwrap_or(1).clamp(1, 500);
    let text: String = p.q.chars().take(200).collect();
    let asked = !text.trim().is_empty()
        || !p.year.is_empty()
        || !p.column.is_empty()
        || !p.publisher.is_empty()
        || !p.validity.is_empty()
        || agency.is_some();
    let non_empty = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    let results = if asked {
        let q = gongkai_search::Query {
            text: text.clone(),
            agency_id: agency.as_ref().map(|a| a.id),
            year: p.year.trim().parse().ok(),
            column: non_empty(&p.column),
            publisher: non_empty(&p.publisher),
            validity: non_empty(&p.validity),
            offset: (page - 1) * PER_PAGE,
            limit: PER_PAGE,
        };
        let index = state.search.index.clone();
        Some(
            tokio::task::spawn_blocking(move || index.search(&q))
                .await
                .map_err(|e| AppError::Internal(format!("检索：{e}")))?
                .map_err(|e| AppError::Internal(format!("检索：{e}")))?,
        )
    } else {
        None
    };
    let hits: Vec<_> = results
        .iter()
        .flat_map(|r| r.hits.iter())
        .map(|h| {
            ctx! {
                agency_id => h.agency_id,
                key => h.key,
                title_html => h.title_html,
                snippet_html => h.snippet_html,
                published_on => h.published_on.to_string(),
                doc_no => h.doc_no,
                index_no => h.index_no,
                publisher => h.publisher,
                column => rules::column(&h.column).map(|c| c.name),
                validity => h.validity,
            }
        })
        .collect();
    let total = results.as_ref().map(|r| r.total).unwrap_or(0);
    let pages = total
        .div_ceil(PER_PAGE)
        .clamp(1, gongkai_search::MAX_DEPTH / PER_PAGE);
    let base = format!(
        "/search?q={}&agency={}&year={}&column={}&publisher={}&validity={}",
        encode(&text),
        encode(&p.agency),
        encode(&p.year),
        encode(&p.column),
        encode(&p.publisher),
        encode(&p.validity)
    );
    let this_year = state.today().year();
    Ok(render(
        "search.html",
        ctx! {
            params => p,
            agency => agency,
            asked => asked,
            hits => hits,
            total => total,
            page => page,
            pages => pages,
            base => base,
            ready => state.search.ready(),
            columns => rules::all_columns().map(|c| (c.key, c.name)).collect::<Vec<_>>(),
            years => (2008..=this_year).rev().collect::<Vec<_>>(),
            validities => ["有效", "失效", "废止"],
        },
    )?
    .into_response())
}

// ---------------------------------------------------------------------------
// Feeds and crawlers

/// Escapes text for XML.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// The site's own address, as the request named it.
fn origin(headers: &axum::http::HeaderMap, state: &Shared) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("localhost");
    let scheme = if state.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

fn day_start(d: NaiveDate) -> String {
    format!("{d}T00:00:00+08:00")
}

pub async fn feed(
    State(state): State<Shared>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    let id = id.strip_suffix(".atom").unwrap_or(&id).to_string();
    let agency = agency_of(&state, &id).await?;
    let list = state.store.public_items(&agency.name, None, 1, 50).await?;
    let base = origin(&headers, &state);
    let updated = list
        .rows
        .first()
        .and_then(|i| i.published_on)
        .unwrap_or(NaiveDate::from_ymd_opt(2019, 5, 15).unwrap_or_default());
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    x.push_str(&format!(
        "<title>{} 政府信息公开</title>\n<id>{base}/a/{}/</id>\n<link rel=\"self\" href=\"{base}/a/{}/feed.atom\"/>\n<link href=\"{base}/a/{}\"/>\n<updated>{}</updated>\n<author><name>{}</name></author>\n",
        xml(&agency.name),
        agency.id,
        agency.id,
        agency.id,
        day_start(updated),
        xml(&agency.name)
    ));
    for i in &list.rows {
        let on = i.published_on.unwrap_or(i.written_on);
        x.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{base}/a/{}/i/{}</id>\n<link href=\"{base}/a/{}/i/{}\"/>\n<published>{}</published>\n<updated>{}</updated>\n<summary>{}</summary>\n</entry>\n",
            xml(&i.title),
            agency.id,
            i.id,
            agency.id,
            i.id,
            day_start(on),
            day_start(on),
            xml(&if i.summary.is_empty() {
                format!("索引号：{}{}", i.index_no, if i.doc_no.is_empty() { String::new() } else { format!("；文号：{}", i.doc_no) })
            } else {
                i.summary.clone()
            })
        ));
    }
    x.push_str("</feed>\n");
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        x,
    )
        .into_response())
}

pub async fn sitemap(
    State(state): State<Shared>,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    let base = origin(&headers, &state);
    let items = state.store.public_item_count().await?;
    let chunks = (items + SITEMAP_CHUNK - 1) / SITEMAP_CHUNK;
    // A sitemap index: the agencies' pages in the first file, items after.
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    x.push_str(&format!(
        "<sitemap><loc>{base}/sitemap/items-agencies.xml</loc></sitemap>\n"
    ));
    for n in 0..chunks {
        x.push_str(&format!(
            "<sitemap><loc>{base}/sitemap/items-{n}.xml</loc></sitemap>\n"
        ));
    }
    x.push_str("</sitemapindex>\n");
    Ok((
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        x,
    )
        .into_response())
}

pub async fn sitemap_items(
    State(state): State<Shared>,
    Path(n): Path<String>,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    let base = origin(&headers, &state);
    let n = n
        .strip_prefix("items-")
        .and_then(|n| n.strip_suffix(".xml"))
        .ok_or(AppError::NotFound)?;
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    if n == "agencies" {
        for a in state.store.portal_agency_list().await? {
            for path in ["", "/guide", "/catalog", "/reports"] {
                x.push_str(&format!("<url><loc>{base}/a/{}{path}</loc></url>\n", a.id));
            }
        }
    } else {
        let n: i64 = n.parse().map_err(|_| AppError::NotFound)?;
        if !(0..10_000).contains(&n) {
            return Err(AppError::NotFound);
        }
        let rows = state
            .store
            .public_item_ids(n * SITEMAP_CHUNK, SITEMAP_CHUNK)
            .await?;
        if rows.is_empty() && n > 0 {
            return Err(AppError::NotFound);
        }
        for (agency, item, on) in rows {
            x.push_str(&format!(
                "<url><loc>{base}/a/{agency}/i/{item}</loc><lastmod>{}</lastmod></url>\n",
                xml(&on)
            ));
        }
    }
    x.push_str("</urlset>\n");
    Ok((
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        x,
    )
        .into_response())
}

pub async fn robots(State(state): State<Shared>, headers: axum::http::HeaderMap) -> Response {
    let base = origin(&headers, &state);
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("User-agent: *\nDisallow: /console\nDisallow: /api\nDisallow: /lookup\nSitemap: {base}/sitemap.xml\n"),
    )
        .into_response()
}
