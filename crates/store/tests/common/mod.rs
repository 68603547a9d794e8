//! Runs each test against every configured database: always a fresh SQLite
//! file, and a fresh PostgreSQL database when `GONGKAI_TEST_POSTGRES` names a
//! server (e.g. `postgres://postgres@127.0.0.1:5432/postgres`; `.ci/run` sets it).

use std::sync::atomic::{AtomicUsize, Ordering};

use gongkai_store::Store;
use sqlx::{any::AnyPoolOptions, Executor};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh, empty database of one backend.
pub struct TestDb {
    pub label: String,
    pub url: String,
    cleanup: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub async fn open(&self) -> Store {
        Store::open(&self.url)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", self.label))
    }

    pub async fn drop_database(self) {
        if let Some((admin, name)) = self.cleanup {
            sqlx::any::install_default_drivers();
            if let Ok(pool) = AnyPoolOptions::new()
                .max_connections(1)
                .connect(&admin)
                .await
            {
                let _ = pool
                    .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await;
            }
        }
    }
}

/// One fresh database per configured backend.
pub async fn databases(test: &str) -> Vec<TestDb> {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(format!("{test}.db"));
    let mut out = vec![TestDb {
        label: format!("sqlite {test}"),
        url: path.display().to_string(),
        cleanup: None,
        _dir: Some(dir),
    }];
    match std::env::var("GONGKAI_TEST_POSTGRES") {
        Ok(admin) if !admin.is_empty() => {
            sqlx::any::install_default_drivers();
            let name = format!("gongkai_test_{test}_{}_{n}", std::process::id());
            let pool = AnyPoolOptions::new()
                .max_connections(1)
                .connect(&admin)
                .await
                .unwrap_or_else(|e| panic!("GONGKAI_TEST_POSTGRES={admin}: {e}"));
            pool.execute(format!("DROP DATABASE IF EXISTS {name}").as_str())
                .await
                .expect("drop old test database");
            pool.execute(format!("CREATE DATABASE {name}").as_str())
                .await
                .expect("create test database");
            pool.close().await;
            let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
            out.push(TestDb {
                label: format!("postgres {test}"),
                url: format!("{base}/{name}"),
                cleanup: Some((admin.clone(), name)),
                _dir: None,
            });
        }
        _ => eprintln!("（未设置 GONGKAI_TEST_POSTGRES：{test} 只在 SQLite 上运行）"),
    }
    out
}
