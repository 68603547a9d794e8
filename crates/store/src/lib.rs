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

mod error;
mod ledger;
mod report;

use std::str::FromStr;

use chrono::{NaiveDate, SecondsFormat, Utc};
use gongkai_casework::calendar::Calendar;
use gongkai_casework::clock::Settings;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

pub use error::StoreError;
pub use ledger::{AuditEntry, CaseRow, DueRow, ImportOutcome, ListFilter};

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
    backend: Backend,
    calendar: Calendar,
    settings: Settings,
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

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
        let options = AnyConnectOptions::from_str(&url).map_err(StoreError::connect)?;
        let pool = match backend {
            // One writer: SQLite serialises writes anyway, and one connection
            // keeps "database is locked" out of the way of the user.
            Backend::Sqlite => AnyPoolOptions::new()
                .max_connections(1)
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        // The busy timeout first: switching a new file to WAL
                        // waits for another process opening it at the same time.
                        conn.execute(
                            "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                             PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
                        )
                        .await?;
                        Ok(())
                    })
                })
                .connect_with(options)
                .await
                .map_err(StoreError::connect)?,
            Backend::Postgres => AnyPoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await
                .map_err(StoreError::connect)?,
        };
        migrate(&pool, backend).await?;
        let mut store = Store {
            pool,
            backend,
            calendar: Calendar::china(),
            settings: Settings::default(),
        };
        store.load_calendar_and_settings().await?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The working-day calendar in force: the shipped years, with the years an
    /// administrator loaded on top.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    pub fn settings(&self) -> Settings {
        self.settings
    }

    /// Closes the pool, waiting for connections to finish.
    pub async fn close(self) {
        self.pool.close().await;
    }

    async fn load_calendar_and_settings(&mut self) -> Result<()> {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT year, data FROM calendar_years ORDER BY year")
                .fetch_all(&self.pool)
                .await?;
        for (year, data) in rows {
            let extra = Calendar::parse(&data).map_err(|e| {
                StoreError::Invalid(format!("数据库中保存的{year}年工作日历无法读取：{e}"))
            })?;
            self.calendar.extend(&extra);
        }
        let fee: Option<(String,)> = sqlx::query_as("SELECT value FROM settings WHERE name = $1")
            .bind("fee_period_pauses_clock")
            .fetch_optional(&self.pool)
            .await?;
        if let Some((v,)) = fee {
            self.settings.fee_period_pauses_clock = v == "true";
        }
        Ok(())
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
    let mut last = None;
    for attempt in 0..attempts {
        match MIGRATOR.run(pool).await {
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
