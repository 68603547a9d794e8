//! Storage of the office ledger: an embedded SQLite file by default, PostgreSQL
//! when given a `postgres://` URL. One code path (sqlx's `Any` driver) and one
//! set of migrations (`migrations/`), applied when the store is opened.
//!
//! Every change runs in one transaction together with its entry in the audit
//! log (who, when, what, before and after). The applicant's name, identity
//! document and contact never enter the audit log.
//!
//! Cases keep their derived state (stage, deadline, closing date and outcome)
//! in their row, recomputed by the deadline clock (`gongkai_casework::clock`)
//! whenever an event is added, the calendar changes, or [`Store::sweep`] runs.

mod access;
mod cases;
mod disclosure;
mod error;
mod ledger;
mod ops;
mod registers;
mod report;
mod review;

use std::str::FromStr;
use std::sync::{Arc, RwLock};

use chrono::{NaiveDate, SecondsFormat, Utc};
use gongkai_casework::calendar::Calendar;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

pub use access::{Agency, Role, Scope, User};
pub use cases::{Approval, CasePage, CaseQuery, Submitted, Todo};
pub use disclosure::{
    report_due, Attachment, ImportedItem, IndexChange, IndexEntry, Item, ItemPage, ItemQuery,
    ItemStep, ItemTodo, ItemsImported, PublishedReport,
};
pub use error::StoreError;
pub use ledger::{
    AuditEntry, CalendarLoad, CaseRow, DueRow, ImportOutcome, ListFilter, MovedDeadline,
};
pub use ops::{sample_agency_names, SampleFilled};
pub use review::{
    NewReviewFile, ReviewFile, ReviewSettings, ReviewSource, RosterAgency, RosterImported,
    RosterRow,
};

pub type Result<T> = std::result::Result<T, StoreError>;

/// Which database is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The ledger of one or many agencies.
pub struct Store {
    pool: AnyPool,
    /// Where the pages' queries read: on an SQLite file in WAL mode, a few
    /// read-only connections beside the one writer, so that reading never
    /// waits for a write to be made durable; otherwise the same pool.
    read: AnyPool,
    backend: Backend,
    /// Replaced whole when an administrator loads a calendar file; readers
    /// take a snapshot.
    calendar: RwLock<Arc<Calendar>>,
}

/// The migrations, embedded in the binary (without sqlx's compile-time
/// macros): version, description and SQL of each file in `migrations/`.
const MIGRATIONS: [(i64, &str, &str); 7] = [
    (1, "ledger", include_str!("../migrations/0001_ledger.sql")),
    (2, "web", include_str!("../migrations/0002_web.sql")),
    (
        3,
        "year_index",
        include_str!("../migrations/0003_year_index.sql"),
    ),
    (
        4,
        "disclosure",
        include_str!("../migrations/0004_disclosure.sql"),
    ),
    (5, "review", include_str!("../migrations/0005_review.sql")),
    (
        6,
        "items_title",
        include_str!("../migrations/0006_items_title.sql"),
    ),
    (
        7,
        "review_settings",
        include_str!("../migrations/0007_review_settings.sql"),
    ),
];

/// The embedded migrations as a source for sqlx's migrator (the checksums
/// are those `sqlx::migrate!` computes, so existing databases agree).
#[derive(Debug)]
struct Embedded;

impl<'s> sqlx::migrate::MigrationSource<'s> for Embedded {
    fn resolve(
        self,
    ) -> std::pin::Pin<
        Box<
            dyn std::future::Future<
                    Output = std::result::Result<
                        Vec<sqlx::migrate::Migration>,
                        sqlx::error::BoxDynError,
                    >,
                > + Send
                + 's,
        >,
    > {
        Box::pin(async {
            Ok(MIGRATIONS
                .iter()
                .map(|&(version, description, sql)| {
                    sqlx::migrate::Migration::new(
                        version,
                        description.into(),
                        sqlx::migrate::MigrationType::Simple,
                        sql.into(),
                        false,
                    )
                })
                .collect())
        })
    }
}

/// The database URL for a plain file path: `gongkai.db` → `sqlite://gongkai.db?mode=rwc`.
pub fn database_url(spec: &str) -> String {
    if spec.starts_with("postgres://")
        || spec.starts_with("postgresql://")
        || spec.starts_with("sqlite:")
    {
        spec.to_string()
    } else {
        format!("sqlite://{spec}?mode=rwc")
    }
}

impl Store {
    /// Opens (creating when needed) the database at `spec` — a file path, a
    /// `sqlite:` URL or a `postgres://` URL — and applies the migrations.
    pub async fn open(spec: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let url = database_url(spec);
        let backend = if url.starts_with("postgres") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        };
        let target = describe_target(spec, &url);
        if backend == Backend::Sqlite {
            check_sqlite_file(&url, &target)?;
        }
        let options =
            AnyConnectOptions::from_str(&url).map_err(|e| StoreError::connect(&target, &e))?;
        // One attempt first, so that a wrong address fails at once with its
        // reason, rather than after the pool's wait for a connection.
        match tokio::time::timeout(
            std::time::Duration::from_secs(10),
            <sqlx::AnyConnection as sqlx::Connection>::connect_with(&options),
        )
        .await
        {
            Ok(Ok(conn)) => {
                let _ = sqlx::Connection::close(conn).await;
            }
            Ok(Err(e)) => return Err(StoreError::connect(&target, &e)),
            Err(_) => {
                return Err(StoreError::Connect(format!(
                    "{target}：连接超时（10 秒内没有回应）"
                )))
            }
        }
        let pool = match backend {
            // One writer: SQLite serialises writes anyway, and one connection
            // keeps "database is locked" out of the way of the user.
            Backend::Sqlite => sqlite_pool(1, false)
                .connect_with(options.clone())
                .await
                .map_err(|e| StoreError::connect(&target, &e))?,
            Backend::Postgres => AnyPoolOptions::new()
                .max_connections(8)
                .acquire_timeout(std::time::Duration::from_secs(15))
                .connect_with(options)
                .await
                .map_err(|e| StoreError::connect(&target, &e))?,
        };
        migrate(&pool, backend).await?;
        // Readers beside the writer, on a file only (each connection to an
        // in-memory database would be a database of its own). They open
        // when first needed, after the migrations.
        let read = match (backend, sqlite_path(&url)) {
            (Backend::Sqlite, Some(_)) => {
                let options = AnyConnectOptions::from_str(&url)
                    .map_err(|e| StoreError::connect(&target, &e))?;
                let readers = std::thread::available_parallelism()
                    .map(|n| n.get())
                    .unwrap_or(2)
                    .clamp(2, 8) as u32;
                sqlite_pool(readers, true).connect_lazy_with(options)
            }
            _ => pool.clone(),
        };
        let store = Store {
            pool,
            read,
            backend,
            calendar: RwLock::new(Arc::new(Calendar::china())),
        };
        store.load_stored_calendar().await?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The working-day calendar in force: the shipped years, with the years an
    /// administrator loaded on top (a snapshot: a later load does not change it).
    pub fn calendar(&self) -> Arc<Calendar> {
        self.calendar
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn set_calendar(&self, calendar: Calendar) {
        *self.calendar.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(calendar);
    }

    /// Closes the pools, waiting for connections to finish.
    pub async fn close(self) {
        self.read.close().await;
        self.pool.close().await;
    }

    async fn load_stored_calendar(&self) -> Result<()> {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT year, data FROM calendar_years ORDER BY year")
                .fetch_all(&self.pool)
                .await?;
        let mut calendar = (*self.calendar()).clone();
        for (year, data) in rows {
            let extra = Calendar::parse(&data).map_err(|e| {
                StoreError::Invalid(format!("数据库中保存的{year}年工作日历无法读取：{e}"))
            })?;
            calendar.extend(&extra);
        }
        self.set_calendar(calendar);
        Ok(())
    }
}

/// Creates the empty database `name` (lower-case letters, digits and `_`)
/// on the PostgreSQL server of `server` — the URL of any database there the
/// user may connect to — and returns the URL of the new one. For
/// benchmarks, which drop it again with [`drop_postgres_database`].
pub async fn create_postgres_database(server: &str, name: &str) -> Result<String> {
    scratch_name(name)?;
    let target = describe_target(server, server);
    let mut conn = admin_connection(server, &target).await?;
    conn.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .map_err(|e| StoreError::connect(&target, &e))?;
    let _ = sqlx::Connection::close(conn).await;
    let (base, query) = match server.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (server, String::new()),
    };
    let base = match base.split_once("://") {
        Some((scheme, rest)) => match rest.split_once('/') {
            Some((host, _)) => format!("{scheme}://{host}"),
            None => base.to_string(),
        },
        None => base.to_string(),
    };
    Ok(format!("{base}/{name}{query}"))
}

/// Drops the database `name` made by [`create_postgres_database`], ending
/// the sessions still connected to it.
pub async fn drop_postgres_database(server: &str, name: &str) -> Result<()> {
    scratch_name(name)?;
    let target = describe_target(server, server);
    let mut conn = admin_connection(server, &target).await?;
    conn.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
        .await
        .map_err(|e| StoreError::connect(&target, &e))?;
    let _ = sqlx::Connection::close(conn).await;
    Ok(())
}

fn scratch_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!("数据库名“{name}”不合用")))
    }
}

async fn admin_connection(server: &str, target: &str) -> Result<sqlx::AnyConnection> {
    sqlx::any::install_default_drivers();
    if !server.starts_with("postgres://") && !server.starts_with("postgresql://") {
        return Err(StoreError::Invalid(format!(
            "“{server}”不是 PostgreSQL 地址（应为 postgres://用户@主机/库名）"
        )));
    }
    let options =
        AnyConnectOptions::from_str(server).map_err(|e| StoreError::connect(target, &e))?;
    <sqlx::AnyConnection as sqlx::Connection>::connect_with(&options)
        .await
        .map_err(|e| StoreError::connect(target, &e))
}

/// A pool of SQLite connections in WAL mode, the writer's settings; readers
/// refuse to write.
fn sqlite_pool(connections: u32, read_only: bool) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(connections)
        .after_connect(move |conn, _| {
            Box::pin(async move {
                // The busy timeout first: switching a new file to WAL
                // waits for another process opening it at the same time.
                conn.execute(
                    "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
                )
                .await?;
                if read_only {
                    conn.execute("PRAGMA query_only = ON;").await?;
                }
                Ok(())
            })
        })
        .acquire_timeout(std::time::Duration::from_secs(15))
}

/// How the user knows the database: the file path, or the server, port and
/// database name (never the password).
fn describe_target(spec: &str, url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) if scheme.starts_with("postgres") => {
            let rest = rest.rsplit_once('@').map(|(_, r)| r).unwrap_or(rest);
            let rest = rest.split('?').next().unwrap_or(rest);
            let (host, db) = rest.split_once('/').unwrap_or((rest, ""));
            let host = if host.is_empty() { "localhost" } else { host };
            if db.is_empty() {
                format!("PostgreSQL 服务器 {host}")
            } else {
                format!("PostgreSQL 服务器 {host} 上的数据库“{db}”")
            }
        }
        _ => format!("台账文件 {}", sqlite_path(url).unwrap_or(spec)),
    }
}

/// The file of an SQLite URL (`None` for an in-memory database).
fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then_some(path)
}

/// Refuses, before SQLite is asked, what cannot be a ledger file: a
/// directory, a pipe or device, a file of other content, a missing folder.
fn check_sqlite_file(url: &str, target: &str) -> Result<()> {
    let Some(path) = sqlite_path(url) else {
        return Ok(());
    };
    let path = std::path::Path::new(path);
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(StoreError::Connect(format!(
            "{target}：这是一个目录；请用 --db 指定文件，如 --db 台账.db"
        ))),
        Ok(m) if !m.is_file() => Err(StoreError::Connect(format!(
            "{target}：不是普通文件（而是管道、设备或套接字）"
        ))),
        Ok(m) if m.len() > 0 => {
            use std::io::Read;
            let mut head = [0u8; 16];
            let n = std::fs::File::open(path)
                .and_then(|f| f.take(16).read(&mut head))
                .map_err(|e| {
                    let why = match e.kind() {
                        std::io::ErrorKind::PermissionDenied => "没有读取权限".to_string(),
                        _ => format!("无法读取（错误码 {}）", e.raw_os_error().unwrap_or(0)),
                    };
                    StoreError::Connect(format!("{target}：{why}"))
                })?;
            if n < 16 || &head != b"SQLite format 3\0" {
                return Err(StoreError::Connect(format!(
                    "{target}：这个文件不是台账数据库（SQLite 文件）；请检查 --db 或环境变量 GONGKAI_DB"
                )));
            }
            Ok(())
        }
        Ok(_) => Ok(()),
        Err(_) => {
            let parent = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            if parent.is_dir() {
                Ok(())
            } else {
                Err(StoreError::Connect(format!(
                    "{target}：所在目录 {} 不存在",
                    parent.display()
                )))
            }
        }
    }
}

/// Applies the migrations. PostgreSQL serialises concurrent runs with an
/// advisory lock. SQLite has none: two processes opening a new file at once
/// both find it unmigrated, and the second to write fails (its transaction
/// rolls back whole, SQLite's DDL being transactional). It then tries again
/// and finds the migrations applied.
async fn migrate(pool: &AnyPool, backend: Backend) -> Result<()> {
    let attempts = match backend {
        Backend::Sqlite => 20,
        Backend::Postgres => 1,
    };
    let migrator = sqlx::migrate::Migrator::new(Embedded)
        .await
        .map_err(|e| StoreError::Migrate(e.to_string()))?;
    let mut last = None;
    for attempt in 0..attempts {
        match migrator.run(pool).await {
            Ok(()) => return Ok(()),
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(std::time::Duration::from_millis(20 * (attempt + 1))).await;
    }
    Err(StoreError::Migrate(
        last.map(|e| e.to_string()).unwrap_or_default(),
    ))
}

/// Now, as stored: RFC 3339 UTC with milliseconds.
fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn date_str(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn parse_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| StoreError::Invalid(format!("数据库中的日期“{s}”无法读取")))
}
