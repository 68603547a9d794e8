//! The full-text index of published items, kept up to date from the
//! database: built whole when it is new (or was discarded), then fed the
//! items changed since its mark — every two seconds, and at once after a
//! change made through this process. Several processes on one PostgreSQL
//! each keep their own index and so each find an item published through
//! any of them within seconds. The database stays the only record: the
//! index can be deleted at any time and is rebuilt.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use gongkai_search::{Doc, SearchIndex};
use gongkai_store::{IndexEntry, Store};
use tokio::sync::Notify;

/// Items read from the database per batch.
const BATCH: i64 = 2_000;

/// The index with what keeps it fresh.
pub struct Search {
    pub index: Arc<SearchIndex>,
    /// Set once the first build has finished.
    ready: AtomicBool,
    /// Woken after a change made here.
    wake: Notify,
}

impl Search {
    pub fn new(index: SearchIndex) -> Search {
        Search {
            index: Arc::new(index),
            ready: AtomicBool::new(false),
            wake: Notify::new(),
        }
    }

    /// Whether the first build has finished (until then results may be incomplete).
    pub fn ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    /// Asks the keeper to look for changes now.
    pub fn changed(&self) {
        self.wake.notify_one();
    }

    /// Brings the index up to date now (tests, and the keeper).
    pub async fn sync(&self, store: &Store) -> Result<usize, String> {
        let mut done = 0;
        loop {
            let mark = self.index.mark().unwrap_or(0);
            let changes = store
                .index_changes(mark, BATCH)
                .await
                .map_err(|e| e.to_string())?;
            let Some(last) = changes.last().map(|c| c.seq) else {
                return Ok(done);
            };
            let mut upserts = Vec::new();
            let mut removed = Vec::new();
            for c in changes {
                done += 1;
                match c.entry {
                    Some(e) => upserts.push(doc(e)),
                    None => removed.push(c.id),
                }
            }
            let index = self.index.clone();
            tokio::task::spawn_blocking(move || index.apply(&upserts, &removed, last))
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| e.to_string())?;
        }
    }

    /// Builds the index whole from the published items.
    pub async fn rebuild(&self, store: &Store) -> Result<usize, String> {
        let mark = store.item_change_mark().await.map_err(|e| e.to_string())?;
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || index.rebuild(std::iter::empty(), 0))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())?;
        let mut after = 0;
        let mut n = 0;
        loop {
            let entries = store
                .index_entries(after, BATCH * 5)
                .await
                .map_err(|e| e.to_string())?;
            let Some(last) = entries.last().map(|e| e.id) else {
                break;
            };
            after = last;
            n += entries.len();
            let docs: Vec<Doc> = entries.into_iter().map(doc).collect();
            let index = self.index.clone();
            // Marked 0 until the whole build is in: a crash in between
            // leaves an index the next start rebuilds.
            tokio::task::spawn_blocking(move || index.apply(&docs, &[], 0))
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| e.to_string())?;
        }
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || index.apply(&[], &[], mark.max(1)))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())?;
        Ok(n)
    }
}

/// Builds or catches up the index, then follows the database's changes.
pub async fn keep(state: crate::Shared) {
    let store = &state.store;
    let this = state.search.clone();
    this.run(store).await
}

impl Search {
    async fn run(&self, store: &Store) {
        let stale = match self.index.mark() {
            None | Some(0) => true,
            // A mark beyond the database's: another database (restored, replaced).
            Some(m) => store
                .item_change_mark()
                .await
                .map(|db| m > db)
                .unwrap_or(false),
        };
        if stale {
            let started = std::time::Instant::now();
            match self.rebuild(store).await {
                Ok(n) if n > 0 => eprintln!(
                    "全文检索索引已建立：{n} 条信息，用时 {:.1} 秒",
                    started.elapsed().as_secs_f64()
                ),
                Ok(_) => {}
                Err(e) => eprintln!("全文检索索引未能建立：{e}"),
            }
        }
        loop {
            if let Err(e) = self.sync(store).await {
                eprintln!("全文检索索引未能更新：{e}");
            }
            self.ready.store(true, Ordering::Release);
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(Duration::from_secs(2)) => {}
            }
        }
    }
}

fn doc(e: IndexEntry) -> Doc {
    Doc {
        key: e.id,
        agency_id: e.agency_id,
        publisher: e.publisher,
        index_no: e.index_no,
        title: e.title,
        doc_no: e.doc_no,
        summary: e.summary,
        body: e.body,
        column: e.column,
        validity: e.validity,
        published_on: e.published_on,
    }
}
