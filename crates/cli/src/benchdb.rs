//! The temporary database of `gongkai ledger bench`: created in its own
//! directory, removed when the benchmark ends, fails or is interrupted
//! (Ctrl-C, SIGTERM); directories left by a benchmark that was killed
//! outright are removed by the next one.

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
pub async fn run<F>(parent: Option<&Path>, bench: F) -> ExitCode
where
    F: for<'a> FnOnce(&'a Store) -> BenchFuture<'a>,
{
    // Signals are caught from here on, before anything is created.
    let signals = Signals::new();
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
    let store = match Store::open(&path.display().to_string()).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("错误：{e}");
            return ExitCode::from(2);
        }
    };
    let code = tokio::select! {
        r = bench(&store) => match r {
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
