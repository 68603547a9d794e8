//! `gongkai serve`: one process serving the public portal (online
//! applications and their status), the staff console (the ledger's work as
//! pages and forms) and the JSON API, on the store of the command line.
//!
//! Pages are rendered on the server from the templates in `templates/`
//! (minijinja, escaping every value); the stylesheet is in `static/`; nothing
//! is fetched from elsewhere. Who may see what is decided by the store's
//! [`Scope`](gongkai_store::Scope), in the queries, never in the pages.

/// A template context: each value serialised as it is (`name => value`).
macro_rules! ctx {
    ($($k:ident => $v:expr),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut m = std::collections::BTreeMap::<&'static str, minijinja::Value>::new();
        $( m.insert(stringify!($k), minijinja::Value::from(minijinja::value::Serde(&$v))); )*
        minijinja::Value::from(minijinja::value::Serde(m))
    }};
}

mod api;
mod auth;
mod column;
mod console;
mod deadline;
pub mod demo;
mod disclosure;
mod error;
mod ledgers;
mod pages;
mod portal;
mod review;
mod review_agency;
mod review_roster;
pub mod search;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::routing::{get, post};
use axum::Router;
use chrono::NaiveDate;
use gongkai_store::Store;

pub use auth::hash_password;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Today for the ledger; `None` for the date in China (UTC+8).
    pub today: Option<NaiveDate>,
    /// Mark cookies `Secure` (when served over HTTPS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// Where the full-text index is kept; `None`: in memory, built at start.
    pub index_dir: Option<std::path::PathBuf>,
    /// Whether to build and keep the full-text index (benchmarks of other
    /// pages leave it out; the search then finds nothing).
    pub search_index: bool,
}

/// What every handler shares.
pub struct AppState {
    pub store: Store,
    pub config: Config,
    /// The portal's home page (every agency: the longest public page) as
    /// last rendered, with the agencies' count and highest id it showed.
    home: std::sync::Mutex<Option<((i64, i64), axum::body::Bytes)>>,
    /// The full-text index of published items.
    pub search: Arc<search::Search>,
    /// The supervisors' review seasons as last computed.
    review: review::Cache,
    /// The supervisors' scopes (every agency under each, which a region of
    /// thousands makes costly to walk on every request), with the stamp of
    /// the agencies they were computed from.
    scopes: auth::ScopeCache,
}

impl AppState {
    /// The state of a server. An index directory that cannot be opened (in
    /// use by another process, not writable) is said, and the index is kept
    /// in memory instead.
    pub fn new(store: Store, config: Config) -> Arc<AppState> {
        let index = match &config.index_dir {
            Some(dir) => match gongkai_search::SearchIndex::open_dir(dir) {
                Ok(i) => {
                    if let Some(why) = i.recreated() {
                        eprintln!(
                            "全文检索索引目录 {} 中原有的索引已弃用（{why}），将重新建立",
                            dir.display()
                        );
                    }
                    Ok(i)
                }
                Err(e) => {
                    eprintln!(
                        "全文检索索引目录 {} 无法使用（{e}），本次改在内存中建立索引",
                        dir.display()
                    );
                    gongkai_search::SearchIndex::in_memory()
                }
            },
            None => gongkai_search::SearchIndex::in_memory(),
        };
        let index = index.unwrap_or_else(|e| panic!("全文检索索引无法建立：{e}"));
        Arc::new(AppState {
            store,
            config,
            home: std::sync::Mutex::new(None),
            review: Default::default(),
            scopes: Default::default(),
            search: Arc::new(search::Search::new(index)),
        })
    }

    /// Today in China, or the day the server was told.
    pub fn today(&self) -> NaiveDate {
        self.config
            .today
            .unwrap_or_else(|| (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive())
    }
}

pub type Shared = Arc<AppState>;

/// The supervising office's review, for the command line: the same season,
/// roster import and collection as the web's.
pub use review::{
    collect_file, compute_season, own_narrative, roster_of, season_reports, thresholds, Season,
};
pub use review_roster::store_rows;

/// The largest request body accepted by forms and the API.
pub const BODY_LIMIT: usize = 256 * 1024;

/// The whole site.
pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/", get(portal::home))
        .route("/a/{id}/apply", get(portal::apply_form).post(portal::apply))
        .route("/lookup", get(portal::lookup_form).post(portal::lookup))
        .route("/lookup/letter", post(portal::lookup_letter))
        .route("/static/style.css", get(pages::stylesheet))
        .route("/setup", get(auth::setup_form).post(auth::setup))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/console", get(console::dashboard))
        .route("/console/cases", get(console::cases))
        .route("/console/cases.csv", get(console::cases_csv))
        .route("/console/cases.xlsx", get(console::cases_xlsx))
        .route(
            "/console/cases/new",
            get(console::new_case_form).post(console::new_case),
        )
        .route("/console/case/{id}/{number}", get(console::case))
        .route(
            "/console/case/{id}/{number}/action",
            post(console::case_action),
        )
        .route("/console/case/{id}/{number}/letter", get(console::letter))
        .route("/console/approvals/{approval}", post(console::decide))
        .route(
            "/console/users",
            get(console::users).post(console::add_user),
        )
        .route("/console/agencies", post(console::add_agency))
        .route("/console/tokens", post(console::add_token))
        .route("/console/audit", get(console::audit))
        .route("/console/report", get(console::report))
        .route("/console/report/download", get(console::report_download))
        .merge(ledgers::routes())
        .merge(disclosure::routes())
        .merge(column::routes())
        .merge(review::routes())
        .merge(review_roster::routes())
        .merge(api::routes())
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

/// Headers every response carries: no framing by other sites, no sniffing,
/// no referrer to other sites, scripts and styles from this site only.
async fn security_headers(mut res: axum::response::Response) -> axum::response::Response {
    let h = res.headers_mut();
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
         form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ));
    res
}

/// Serves until Ctrl-C (or SIGTERM); every acknowledged write is already
/// committed to the database when its answer is sent.
pub async fn serve(state: Shared, listen: SocketAddr) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| format!("无法在 {listen} 上监听：{e}"))?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("无法读取监听地址：{e}"))?;
    eprintln!("gongkai 已启动：http://{local}/");
    serve_on(state, listener).await
}

/// Serves on a listener already bound (tests bind port 0).
pub async fn serve_on(state: Shared, listener: tokio::net::TcpListener) -> Result<(), String> {
    tokio::spawn(sweeper(state.clone()));
    if state.config.search_index {
        tokio::spawn(search::keep(state.clone()));
    }
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|e| format!("服务中止：{e}"))
}

/// Closes cases whose correction or payment period ran out and refreshes
/// deadlines: at start, then every hour (as the CLI's `overdue` does before
/// it lists). Several processes may sweep at once; each change is its own
/// transaction and a lapse is recorded once.
async fn sweeper(state: Shared) {
    loop {
        if let Err(e) = state
            .store
            .sweep("系统（到期处理）", None, state.today())
            .await
        {
            eprintln!("到期处理未完成：{e}");
        }
        tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    eprintln!("gongkai 正在停止……");
}
