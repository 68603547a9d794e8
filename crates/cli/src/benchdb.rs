//! The temporary database of the benchmarks (`gongkai ledger bench`,
//! `gongkai serve-bench`): an SQLite file in its own directory, or a
//! database of its own on a PostgreSQL server; removed when the benchmark
//! ends, fails or is interrupted (Ctrl-C, SIGTERM). Directories left by a
//! benchmark that was killed outright are removed by the next one.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::ExitCode;

use gongkai_store::{Store, StoreError};

const PREFIX: &str = "gongkai-bench-";

/// A directory removed with everything in it when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Whether the process that made a bench directory is gone (Linux: no
/// `/proc/<pid>`; elsewhere assumed alive, and the directory is kept).
fn abandoned(name: &str) -> bool {
    let Some(pid) = name
        .strip_prefix(PREFIX)
        .and_then(|r| r.split('-').next())
        .and_then(|p| p.parse::<u32>().ok())
    else {
        return false;
    };
    let proc = Path::new("/proc");
    proc.join("self").exists() && pid != std::process::id() && !proc.join(pid.to_string()).exists()
}

type BenchFuture<'a> = Pin<Box<dyn Future<Output = Result<ExitCode, StoreError>> + 'a>>;

/// Runs `bench` on a fresh SQLite database in a temporary directory under
/// `parent` (default: the system's), and removes it whatever happens.
/// `bench` is given the store and the database's path or URL (to open it
/// once more).
pub async fn run<F>(parent: Option<&Path>, bench: F) -> ExitCode
where
    F: for<'a> FnOnce(&'a Store, &'a str) -> BenchFuture<'a>,
{
    run_on(parent, None, bench).await
}

/// [`run_on`] on a runtime of its own, for a command's entry point.
pub fn run_on_runtime<F>(parent: Option<&Path>, postgres: Option<&str>, bench: F) -> ExitCode
where
    F: for<'a> FnOnce(&'a Store, &'a str) -> BenchFuture<'a>,
{
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(run_on(parent, postgres, bench)),
        Err(e) => {
            eprintln!("错误：无法启动（{e}）");
            ExitCode::from(2)
        }
    }
}

/// As [`run`]; with `postgres` (the URL of a database on a PostgreSQL
/// server), on a new database of that server, dropped at the end.
pub async fn run_on<F>(parent: Option<&Path>, postgres: Option<&str>, bench: F) -> ExitCode
where
    F: for<'a> FnOnce(&'a Store, &'a str) -> BenchFuture<'a>,
{
    // Signals are caught from here on, before anything is created.
    let signals = Signals::new();
    if let Some(server) = postgres {
        return run_postgres(server, signals, bench).await;
    }
    let parent = parent
        .map(Path::to_path_buf)
        .unwrap_or_else(std::env::temp_dir);
    if let Ok(entries) = std::fs::read_dir(&parent) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if abandoned(&name) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = parent.join(format!("{PREFIX}{}-{stamp}", std::process::id()));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!(
            "错误：无法创建临时目录 {}（{}）",
            dir.display(),
            crate::io_error(&e)
        );
        return ExitCode::from(2);
    }
    let dir = TempDir(dir);
    let path = dir.0.join("bench.db");
    eprintln!("临时数据库：{}（结束后删除）", path.display());
    let spec = path.display().to_string();
    let store = match Store::open(&spec).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("错误：{e}");
            return ExitCode::from(2);
        }
    };
    let code = tokio::select! {
        r = bench(&store, &spec) => match r {
            Ok(code) => code,
            Err(e) => {
                eprintln!("错误：{e}");
                ExitCode::from(2)
            }
        },
        _ = signals.wait() => {
            eprintln!("已中断，删除临时数据库");
            ExitCode::from(130)
        }
    };
    store.close().await;
    drop(dir);
    code
}

async fn run_postgres<F>(server: &str, signals: Signals, bench: F) -> ExitCode
where
    F: for<'a> FnOnce(&'a Store, &'a str) -> BenchFuture<'a>,
{
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let name = format!("gongkai_bench_{}_{stamp}", std::process::id());
    let url = match gongkai_store::create_postgres_database(server, &name).await {
        Ok(u) => u,
        Err(e) => {
            eprintln!("错误：{e}");
            return ExitCode::from(2);
        }
    };
    eprintln!("临时数据库：PostgreSQL 数据库 {name}（结束后删除）");
    let spec = url;
    let code = match Store::open(&spec).await {
        Ok(store) => {
            let code = tokio::select! {
                r = bench(&store, &spec) => match r {
                    Ok(code) => code,
                    Err(e) => {
                        eprintln!("错误：{e}");
                        ExitCode::from(2)
                    }
                },
                _ = signals.wait() => {
                    eprintln!("已中断，删除临时数据库");
                    ExitCode::from(130)
                }
            };
            store.close().await;
            code
        }
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::from(2)
        }
    };
    if let Err(e) = gongkai_store::drop_postgres_database(server, &name).await {
        eprintln!("错误：临时数据库 {name} 未能删除（{e}）");
        return ExitCode::from(2);
    }
    code
}

/// Fills the benchmark's database: `applications` generated applications
/// (2023–2025, as they stood on `as_of`) spread evenly over `agencies`
/// sample agencies, then a sweep as of `as_of`. Returns the agencies' names.
pub async fn fill(
    store: &Store,
    actor: &str,
    applications: usize,
    agencies: usize,
    as_of: chrono::NaiveDate,
) -> Result<Vec<String>, StoreError> {
    use chrono::NaiveDate;
    use gongkai_casework::sample;
    use std::time::{Duration, Instant};
    let agencies = agencies.max(1);
    let names = gongkai_store::sample_agency_names(agencies);
    let from = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default();
    let to = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap_or_default();
    let per_agency = applications / agencies;
    eprintln!(
        "生成并写入 {} 件申请（{agencies} 个机关，2023—2025年）……",
        per_agency * agencies
    );
    let start = Instant::now();
    let mut generate = Duration::ZERO;
    for (i, name) in names.iter().enumerate() {
        let t = Instant::now();
        let cases =
            sample::applications(i as u64 + 1, &store.calendar(), from, to, per_agency, as_of);
        generate += t.elapsed();
        store.insert_sample(actor, name, &cases, as_of).await?;
        if (i + 1) % 100 == 0 {
            eprintln!(
                "  {} 个机关，{:.1} 秒",
                i + 1,
                start.elapsed().as_secs_f64()
            );
        }
    }
    let load = start.elapsed() - generate;
    println!(
        "写入：{} 件申请 {:.1} 秒（不含生成 {:.1} 秒），每秒 {:.0} 件",
        per_agency * agencies,
        load.as_secs_f64(),
        generate.as_secs_f64(),
        (per_agency * agencies) as f64 / load.as_secs_f64()
    );
    let t = Instant::now();
    let lapsed = store.sweep(actor, None, as_of).await?;
    println!(
        "清理期满案件：{lapsed} 件，{:.2} 秒",
        t.elapsed().as_secs_f64()
    );
    Ok(names)
}

/// Ctrl-C, or SIGTERM on Unix, caught from the moment of creation.
struct Signals {
    #[cfg(unix)]
    streams: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl Signals {
    fn new() -> Signals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Signals {
                streams: signal(SignalKind::terminate())
                    .ok()
                    .zip(signal(SignalKind::interrupt()).ok()),
            }
        }
        #[cfg(not(unix))]
        Signals {}
    }

    async fn wait(mut self) {
        #[cfg(unix)]
        {
            match &mut self.streams {
                Some((t, i)) => {
                    tokio::select! {
                        _ = t.recv() => {}
                        _ = i.recv() => {}
                    }
                }
                None => std::future::pending::<()>().await,
            }
        }
        #[cfg(not(unix))]
        {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }
}
