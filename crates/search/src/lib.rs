//! Chinese full-text search over published government information items
//! (政府信息), for the web system.
//!
//! # Design
//!
//! * **Engine.** A [tantivy] index, in memory or in a directory. Text fields
//!   (title, 文号, 索引号, summary, body) are tokenised by [`tokenizer`]: jieba's
//!   dictionary segmentation without HMM, indexing each word, the dictionary
//!   words inside it and its Han characters, so "规范性文件", "文件" and "文"
//!   all match; the query is cut into words by the same dictionary, each of
//!   which is one of those index terms. Only term frequencies are indexed
//!   (no positions): the search is a conjunction of words, not of phrases.
//! * **Query.** The user's text is never parsed as a query language: it is cut
//!   into words, and every word must occur in at least one searched field
//!   (title ×3, 文号 ×3, 索引号, summary ×1.5, body); a text equal to an item's
//!   文号 (brackets and spaces aside) adds a large bonus. Filters (agency,
//!   year, column, publisher, validity) are exact terms that add no score.
//!   Text with no word in it (punctuation, emoji) matches nothing; an empty
//!   text lists the filtered items newest first.
//! * **Ranking.** BM25, then the newer 发布日期, in one top-k collector, with a
//!   `Count` collector beside it so `total` is exact.
//! * **Highlighting.** The query words are looked for as they are written in
//!   the title and in the body (or summary): no re-tokenising of each hit.
//!   The snippet is the window of about 120 characters holding the most
//!   distinct words; the HTML is escaped, matches in `<mark>`.
//! * **Writes.** One `IndexWriter` behind a mutex. Each [`SearchIndex::apply`]
//!   or [`SearchIndex::rebuild`] is one commit whose payload records the
//!   caller's high-water mark and the schema version; the reader is reloaded
//!   after it (manual reload policy), so a write is visible when it returns,
//!   and searches in the meantime see the previous commit.
//! * **On disk.** [`SearchIndex::open_dir`] discards an index it cannot read or
//!   of another schema version and starts empty; [`SearchIndex::recreated`]
//!   says why, so the caller knows to rebuild.
//! * **Attachments.** [`attachment_text`] extracts the text of .docx, .pdf,
//!   .xlsx, .txt, .md and .html files with `gongkai-read`, bounded in size,
//!   time and output, on a thread of its own.

mod extract;
pub mod tokenizer;

use std::ops::Range;
use std::path::Path;
use std::sync::Mutex;

use chrono::{Datelike, NaiveDate};
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query as TQuery, TermQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value,
    STORED, STRING,
};
use tantivy::snippet::collapse_overlapped_ranges;
use tantivy::{
    doc, DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher,
    TantivyDocument, Term,
};

pub use extract::{attachment_text, ExtractLimits};

/// The schema's version, recorded in every commit's payload. Change it when
/// the schema or the tokenizer changes: an index of another version is
/// discarded on opening.
pub const SCHEMA_VERSION: u32 = 1;

const PAYLOAD_PREFIX: &str = "gongkai-search/";

/// Writer memory budget (split among its threads).
const WRITER_MEMORY: usize = 96 * 1024 * 1024;

/// Deepest result reachable by paging (offset + limit); beyond it no hits are
/// returned (the total is still exact).
pub const MAX_DEPTH: usize = 10_000;

/// At most this many distinct query words are used; the rest are ignored.
pub const MAX_QUERY_TERMS: usize = 32;

/// Body text longer than this (bytes) is not looked at past it for a snippet.
const SNIPPET_SCAN_BYTES: usize = 64 * 1024;

/// Characters in a body or summary snippet.
const SNIPPET_CHARS: usize = 120;

/// Characters shown before the first match in a snippet.
const SNIPPET_LEAD_CHARS: usize = 20;

/// One published item as the index sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// The item's id in the database (unique across the platform).
    pub key: i64,
    /// The agency's number (portal pages /a/{id}/...).
    pub agency_id: i64,
    /// 发布机构 (text).
    pub publisher: String,
    /// 索引号.
    pub index_no: String,
    /// 名称.
    pub title: String,
    /// 文号 (may be empty).
    pub doc_no: String,
    /// 内容概述.
    pub summary: String,
    /// The item's text plus its attachments' text.
    pub body: String,
    /// The key of the 专栏 column (e.g. "a20-01"), filterable exactly.
    pub column: String,
    /// "有效" / "失效" / "废止" / ""; filterable exactly.
    pub validity: String,
    /// 发布日期 (year filter, and newest-first tie-break).
    pub published_on: NaiveDate,
}

/// A search: words and exact filters, combined with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// The user's words, as typed (never parsed as a query language).
    pub text: String,
    pub agency_id: Option<i64>,
    /// Year of 发布日期.
    pub year: Option<i32>,
    pub column: Option<String>,
    pub publisher: Option<String>,
    pub validity: Option<String>,
    pub offset: usize,
    pub limit: usize,
}

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub key: i64,
    pub agency_id: i64,
    /// BM25 relevance (0 when the query had no words).
    pub score: f32,
    /// The title, HTML-escaped, matched words in `<mark>`.
    pub title_html: String,
    /// About 120 characters of the body (or summary) around the matches,
    /// HTML-escaped, matched words in `<mark>`; "…" where text was cut.
    pub snippet_html: String,
    pub published_on: NaiveDate,
    pub doc_no: String,
    pub index_no: String,
    pub publisher: String,
    pub column: String,
    pub validity: String,
}

/// A page of results.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Results {
    /// All matching items (not just this page).
    pub total: usize,
    pub hits: Vec<Hit>,
}

/// What went wrong, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchError {
    pub message: String,
}

impl std::fmt::Display for SearchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SearchError {}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> SearchError {
        SearchError {
            message: format!("全文检索索引出错：{e}"),
        }
    }
}

fn err(message: impl Into<String>) -> SearchError {
    SearchError {
        message: message.into(),
    }
}

#[derive(Clone, Copy)]
struct Fields {
    key: Field,
    agency_id: Field,
    year: Field,
    published: Field,
    publisher: Field,
    index_no: Field,
    title: Field,
    doc_no: Field,
    doc_no_exact: Field,
    summary: Field,
    body: Field,
    column: Field,
    validity: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer::TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let int = NumericOptions::default()
        .set_indexed()
        .set_fast()
        .set_stored();
    let fields = Fields {
        key: b.add_i64_field("key", int.clone()),
        agency_id: b.add_i64_field("agency_id", int.clone()),
        year: b.add_i64_field("year", NumericOptions::default().set_indexed()),
        published: b.add_i64_field(
            "published",
            NumericOptions::default().set_fast().set_stored(),
        ),
        publisher: b.add_text_field("publisher", STRING | STORED),
        index_no: b.add_text_field("index_no", text.clone()),
        title: b.add_text_field("title", text.clone()),
        doc_no: b.add_text_field("doc_no", text.clone()),
        doc_no_exact: b.add_text_field("doc_no_exact", STRING),
        summary: b.add_text_field("summary", text.clone()),
        body: b.add_text_field("body", text),
        column: b.add_text_field("column", STRING | STORED),
        validity: b.add_text_field("validity", STRING | STORED),
    };
    (b.build(), fields)
}

/// A 文号 reduced to what identifies it: no spaces, one kind of bracket,
/// lower-case ASCII. "国办发[2019]61号" and "国办发〔2019〕61号" are the same.
fn doc_no_key(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '[' | '［' | '【' | '(' | '（' | '〔' | '{' | '｛' => '〔',
            ']' | '］' | '】' | ')' | '）' | '〕' | '}' | '｝' => '〕',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

const EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(1970, 1, 1) {
    Some(d) => d,
    None => panic!(),
};

fn day_number(d: NaiveDate) -> i64 {
    (d - EPOCH).num_days()
}

fn from_day_number(n: i64) -> NaiveDate {
    EPOCH
        .checked_add_signed(chrono::Duration::days(n))
        .unwrap_or(EPOCH)
}

/// The full-text index of published items. `Send + Sync`: share one (in an
/// `Arc`) among all request handlers.
pub struct SearchIndex {
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    mark: Mutex<Option<i64>>,
    fields: Fields,
    recreated: Option<String>,
}

impl SearchIndex {
    /// A new, empty index held in memory.
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        let (schema, _) = schema();
        SearchIndex::from_index(Index::create_in_ram(schema), None)
    }

    /// The index in `dir` (created if missing). An index there that cannot be
    /// read, or was written with another schema version, is discarded and
    /// replaced by an empty one; [`SearchIndex::recreated`] then says why.
    pub fn open_dir(dir: &Path) -> Result<SearchIndex, SearchError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| err(format!("无法创建全文检索索引目录 {}：{e}", dir.display())))?;
        let (schema, _) = schema();
        let had_index = dir.join("meta.json").exists();
        if had_index {
            match open_existing(dir, &schema) {
                Ok(index) => return SearchIndex::from_index(index, None),
                Err(reason) => {
                    clear_index_files(dir)?;
                    let index = Index::create_in_dir(dir, schema)?;
                    return SearchIndex::from_index(index, Some(reason));
                }
            }
        }
        clear_index_files(dir)?;
        let index = Index::create_in_dir(dir, schema)?;
        SearchIndex::from_index(index, None)
    }

    fn from_index(index: Index, recreated: Option<String>) -> Result<SearchIndex, SearchError> {
        tokenizer::warm_up();
        index
            .tokenizers()
            .register(tokenizer::TOKENIZER, tokenizer::JiebaTokenizer);
        let (_, fields) = schema();
        let mark = parse_payload(index.load_metas()?.payload.as_deref()).and_then(|(_, m)| m);
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 4);
        let writer = index.writer_with_num_threads(threads, WRITER_MEMORY)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            reader,
            writer: Mutex::new(writer),
            mark: Mutex::new(mark),
            fields,
            recreated,
        })
    }

    /// Why the index directory's previous content was discarded (unreadable,
    /// another schema version), if it was: the caller should rebuild. None for
    /// an index opened as it was, or a new one.
    pub fn recreated(&self) -> Option<&str> {
        self.recreated.as_deref()
    }

    /// The high-water mark the last commit recorded; None for an empty or new
    /// index.
    pub fn mark(&self) -> Option<i64> {
        *self.mark.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Number of items searchable now.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether no item is searchable.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn to_document(&self, d: &Doc) -> TantivyDocument {
        let f = &self.fields;
        doc!(
            f.key => d.key,
            f.agency_id => d.agency_id,
            f.year => i64::from(d.published_on.year()),
            f.published => day_number(d.published_on),
            f.publisher => d.publisher.as_str(),
            f.index_no => d.index_no.as_str(),
            f.title => d.title.as_str(),
            f.doc_no => d.doc_no.as_str(),
            f.doc_no_exact => doc_no_key(&d.doc_no),
            f.summary => d.summary.as_str(),
            f.body => d.body.as_str(),
            f.column => d.column.as_str(),
            f.validity => d.validity.as_str(),
        )
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Commits what the writer holds with `mark`, reloads the reader.
    fn commit(&self, writer: &mut IndexWriter, mark: i64) -> Result<(), SearchError> {
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&format!("{PAYLOAD_PREFIX}{SCHEMA_VERSION} mark={mark}"));
        prepared.commit()?;
        *self.mark.lock().unwrap_or_else(|p| p.into_inner()) = Some(mark);
        self.reader.reload()?;
        Ok(())
    }

    /// Replaces the whole content with `docs` and records `mark`. Searches see
    /// the old content until the new one is committed; on an error the old
    /// content stays. Returns the number of items indexed.
    pub fn rebuild(
        &self,
        docs: impl Iterator<Item = Doc>,
        mark: i64,
    ) -> Result<usize, SearchError> {
        let mut writer = self.writer();
        let result = (|| {
            writer.delete_all_documents()?;
            let mut n = 0;
            for d in docs {
                writer.add_document(self.to_document(&d))?;
                n += 1;
            }
            Ok::<usize, SearchError>(n)
        })();
        match result {
            Ok(n) => {
                if let Err(e) = self.commit(&mut writer, mark) {
                    let _ = writer.rollback();
                    return Err(e);
                }
                Ok(n)
            }
            Err(e) => {
                let _ = writer.rollback();
                Err(e)
            }
        }
    }

    /// Adds or replaces (by key) `upserts`, deletes the `removed` keys, in one
    /// commit recording `mark`; visible to searches when it returns.
    pub fn apply(&self, upserts: &[Doc], removed: &[i64], mark: i64) -> Result<(), SearchError> {
        let mut writer = self.writer();
        let key = self.fields.key;
        let result = (|| {
            for k in removed.iter().chain(upserts.iter().map(|d| &d.key)) {
                writer.delete_term(Term::from_field_i64(key, *k));
            }
            for d in upserts {
                writer.add_document(self.to_document(d))?;
            }
            self.commit(&mut writer, mark)
        })();
        if result.is_err() {
            let _ = writer.rollback();
        }
        result
    }

    /// Searches: see the crate documentation for the semantics.
    pub fn search(&self, q: &Query) -> Result<Results, SearchError> {
        let f = self.fields;
        let searcher = self.reader.searcher();
        let terms: Vec<String> = tokenizer::query_terms(&q.text)
            .into_iter()
            .take(MAX_QUERY_TERMS)
            .collect();
        let has_text = !q.text.trim().is_empty();

        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        for t in &terms {
            let per_field: Vec<(Occur, Box<dyn TQuery>)> = [
                (f.title, 3.0f32),
                (f.doc_no, 3.0),
                (f.index_no, 1.0),
                (f.summary, 1.5),
                (f.body, 1.0),
            ]
            .into_iter()
            .map(|(field, boost)| {
                let tq: Box<dyn TQuery> = Box::new(TermQuery::new(
                    Term::from_field_text(field, t),
                    IndexRecordOption::WithFreqs,
                ));
                let q: Box<dyn TQuery> = if boost == 1.0 {
                    tq
                } else {
                    Box::new(BoostQuery::new(tq, boost))
                };
                (Occur::Should, q)
            })
            .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(per_field))));
        }
        let text_query: Option<Box<dyn TQuery>> = if terms.is_empty() {
            None
        } else {
            let exact = doc_no_key(&q.text);
            if !exact.is_empty() {
                let tq = TermQuery::new(
                    Term::from_field_text(f.doc_no_exact, &exact),
                    IndexRecordOption::Basic,
                );
                clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(tq), 10.0))));
            }
            Some(Box::new(BooleanQuery::new(clauses)))
        };
        if has_text && text_query.is_none() {
            // Only punctuation, spaces, emoji …: no word to look for.
            return Ok(Results::default());
        }

        let mut filters: Vec<Term> = Vec::new();
        if let Some(a) = q.agency_id {
            filters.push(Term::from_field_i64(f.agency_id, a));
        }
        if let Some(y) = q.year {
            filters.push(Term::from_field_i64(f.year, i64::from(y)));
        }
        for (field, value) in [
            (f.column, &q.column),
            (f.publisher, &q.publisher),
            (f.validity, &q.validity),
        ] {
            if let Some(v) = value {
                filters.push(Term::from_field_text(field, v));
            }
        }
        let mut all: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        if let Some(tq) = text_query {
            all.push((Occur::Must, tq));
        }
        for t in filters {
            let tq = TermQuery::new(t, IndexRecordOption::Basic);
            all.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(tq), 0.0)),
            ));
        }
        let query: Box<dyn TQuery> = match all.len() {
            0 => Box::new(AllQuery),
            _ => Box::new(BooleanQuery::new(all)),
        };

        let limit = q.limit.min(MAX_DEPTH.saturating_sub(q.offset));
        if limit == 0 {
            let total = searcher.search(&*query, &Count)?;
            return Ok(Results {
                total,
                hits: Vec::new(),
            });
        }
        let top = TopDocs::with_limit(limit).and_offset(q.offset);
        let (total, found): (usize, Vec<(f32, DocAddress)>) = if terms.is_empty() {
            let c = top.order_by((
                SortByStaticFastValue::<i64>::for_field("published"),
                Order::Desc,
            ));
            let (total, docs) = searcher.search(&*query, &(Count, c))?;
            (total, docs.into_iter().map(|(_, a)| (0.0, a)).collect())
        } else {
            let c = top.order_by((
                (SortBySimilarityScore, Order::Desc),
                (
                    SortByStaticFastValue::<i64>::for_field("published"),
                    Order::Desc,
                ),
            ));
            let (total, docs) = searcher.search(&*query, &(Count, c))?;
            (total, docs.into_iter().map(|((s, _), a)| (s, a)).collect())
        };
        let hits = self.hits(&searcher, &terms, found)?;
        Ok(Results { total, hits })
    }

    fn hits(
        &self,
        searcher: &Searcher,
        terms: &[String],
        found: Vec<(f32, DocAddress)>,
    ) -> Result<Vec<Hit>, SearchError> {
        let f = self.fields;
        let mut hits = Vec::with_capacity(found.len());
        for (score, addr) in found {
            let d: TantivyDocument = searcher.doc(addr)?;
            let text = |field: Field| {
                d.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            let int = |field: Field| d.get_first(field).and_then(|v| v.as_i64()).unwrap_or(0);
            let title = text(f.title);
            let body = text(f.body);
            let summary = text(f.summary);
            let (title_html, snippet_html) = if terms.is_empty() {
                (escape(&title), lead(&summary, &body))
            } else {
                let title_html = marked(&title, 0..title.len(), &occurrences(&title, terms));
                let scan = &body[..floor_char_boundary(&body, SNIPPET_SCAN_BYTES)];
                let snippet = snippet_html(scan, terms)
                    .or_else(|| snippet_html(&summary, terms))
                    .unwrap_or_else(|| lead(&summary, &body));
                (title_html, snippet)
            };
            hits.push(Hit {
                key: int(f.key),
                agency_id: int(f.agency_id),
                score,
                title_html,
                snippet_html,
                published_on: from_day_number(int(f.published)),
                doc_no: text(f.doc_no),
                index_no: text(f.index_no),
                publisher: text(f.publisher),
                column: text(f.column),
                validity: text(f.validity),
            });
        }
        Ok(hits)
    }
}

fn open_existing(dir: &Path, schema: &Schema) -> Result<Index, String> {
    let index = std::panic::catch_unwind(|| Index::open_in_dir(dir))
        .map_err(|_| "索引文件损坏，无法读取".to_string())?
        .map_err(|e| format!("索引无法读取（{e}）"))?;
    if index.schema() != *schema {
        return Err("索引的字段与本版本不同".into());
    }
    let metas = index
        .load_metas()
        .map_err(|e| format!("索引无法读取（{e}）"))?;
    match parse_payload(metas.payload.as_deref()) {
        Some((v, _)) if v == SCHEMA_VERSION => {}
        Some((v, _)) => return Err(format!("索引是第 {v} 版的，本版本是第 {SCHEMA_VERSION} 版")),
        None if metas.segments.is_empty() => {}
        None => return Err("索引不是本系统写的（提交记录中没有版本）".into()),
    }
    // Open every segment now: a missing or truncated file shows here, not in
    // the first search.
    let reader = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| index.reader()))
        .map_err(|_| "索引文件损坏，无法读取".to_string())?
        .map_err(|e| format!("索引文件损坏，无法读取（{e}）"))?;
    drop(reader);
    Ok(index)
}

/// (schema version, mark) from a commit payload.
fn parse_payload(payload: Option<&str>) -> Option<(u32, Option<i64>)> {
    let rest = payload?.strip_prefix(PAYLOAD_PREFIX)?;
    let (version, mark) = match rest.split_once(' ') {
        Some((v, m)) => (v, m.strip_prefix("mark=").and_then(|m| m.parse().ok())),
        None => (rest, None),
    };
    Some((version.parse().ok()?, mark))
}

/// Removes the files tantivy keeps in an index directory (and nothing else).
fn clear_index_files(dir: &Path) -> Result<(), SearchError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| err(format!("无法读取全文检索索引目录 {}：{e}", dir.display())))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let stem = name.split('.').next().unwrap_or("");
        let segment_file = stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit());
        let tantivy_file =
            name == "meta.json" || name == ".managed.json" || name.starts_with(".tantivy-");
        if segment_file || tantivy_file {
            let path = entry.path();
            let removed = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
            removed.map_err(|e| err(format!("无法删除损坏的索引文件 {}：{e}", path.display())))?;
        }
    }
    Ok(())
}

fn floor_char_boundary(s: &str, max: usize) -> usize {
    if max >= s.len() {
        return s.len();
    }
    let mut i = max;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Byte ranges of `text` where a query term occurs (ASCII letters matched
/// whatever their case). Highlighting looks for the words themselves rather
/// than re-tokenising the text: it is much faster than running jieba over
/// every hit, and a word is marked wherever it is written.
fn occurrences(text: &str, terms: &[String]) -> Vec<Range<usize>> {
    let lower;
    let hay = if text.bytes().any(|b| b.is_ascii_uppercase()) {
        lower = text.to_ascii_lowercase();
        lower.as_str()
    } else {
        text
    };
    let mut ranges = Vec::new();
    for t in terms {
        ranges.extend(hay.match_indices(t.as_str()).map(|(i, m)| i..i + m.len()));
    }
    ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    ranges
}

/// The snippet HTML of `text`; None when no query term occurs in it. The
/// window of [`SNIPPET_CHARS`] characters is the one holding the most
/// distinct terms (the earliest such), starting a little before its first
/// match.
fn snippet_html(text: &str, terms: &[String]) -> Option<String> {
    let ranges = occurrences(text, terms);
    if ranges.is_empty() {
        return None;
    }
    let window_bytes = |start: usize| {
        text[start..]
            .char_indices()
            .nth(SNIPPET_CHARS)
            .map(|(i, _)| start + i)
            .unwrap_or(text.len())
    };
    let mut best = (0usize, ranges[0].start);
    if terms.len() > 1 {
        for r in ranges.iter().take(200) {
            let end = window_bytes(r.start);
            let distinct = terms
                .iter()
                .filter(|t| {
                    ranges.iter().any(|o| {
                        o.start >= r.start
                            && o.end <= end
                            && text[o.clone()].eq_ignore_ascii_case(t)
                    })
                })
                .count();
            if distinct > best.0 {
                best = (distinct, r.start);
            }
        }
    }
    let first = best.1;
    let before = text[..first]
        .char_indices()
        .rev()
        .nth(SNIPPET_LEAD_CHARS - 1)
        .map(|(i, _)| i)
        .unwrap_or(0);
    let end = window_bytes(before);
    let mut html = String::new();
    if before > 0 {
        html.push('…');
    }
    html.push_str(marked(text, before..end, &ranges).trim());
    if end < text.trim_end().len() {
        html.push('…');
    }
    Some(html)
}

/// `text[window]`, escaped, with `ranges` (byte ranges of `text`) in `<mark>`.
fn marked(text: &str, window: Range<usize>, ranges: &[Range<usize>]) -> String {
    let mut html = String::new();
    let mut at = window.start;
    for r in collapse_overlapped_ranges(ranges) {
        let (a, b) = (r.start.max(at), r.end.min(window.end));
        if a >= b || !text.is_char_boundary(a) || !text.is_char_boundary(b) {
            continue;
        }
        html.push_str(&escape(&text[at..a]));
        html.push_str("<mark>");
        html.push_str(&escape(&text[a..b]));
        html.push_str("</mark>");
        at = b;
    }
    html.push_str(&escape(&text[at..window.end]));
    html
}

/// The beginning of the summary (or, without one, of the body), escaped.
fn lead(summary: &str, body: &str) -> String {
    let text = if summary.trim().is_empty() {
        body
    } else {
        summary
    };
    let text = text.trim();
    let mut out: String = text.chars().take(SNIPPET_CHARS).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    escape(&out)
}

/// HTML-escapes text for element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

// Checked at compile time: the index is shared among request handlers.
const _: fn() = || {
    fn shared<T: Send + Sync>() {}
    shared::<SearchIndex>();
};
