//! Proactive disclosure: the items an agency publishes, their 三级审核
//! (each step recorded, with who and when), their attachments, the
//! particulars and the versions of the agency's 指南, and the annual reports
//! published in its 专栏.
//!
//! Staff queries take the user's [`Scope`]; the public ones only ever see
//! items whose status is `published` — an item stopped at any step, filed
//! as not proactive, or withdrawn is not found by them. A 规章 or 行政规范性
//! 文件 published through the workflow is entered in the normative-document
//! ledger (table 2) in the same transaction, and its repeal likewise, so the
//! report and the portal cannot disagree.

use chrono::{Datelike, NaiveDate};
use gongkai_casework::disclosure::{
    self as rules, Action, Actor, Disclosure, ItemDraft, Profile, Request, Status, Validity,
};
use gongkai_casework::model::DocumentKind;
use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::access::Scope;
use crate::ledger::{audit, bump_counter, ensure_agency_in, Tx};
use crate::{date_str, now, parse_date, Result, Store, StoreError};

/// An item of government information.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub id: i64,
    pub agency: String,
    /// 索引号.
    pub index_no: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub publisher: String,
    pub written_on: NaiveDate,
    pub changed_on: Option<NaiveDate>,
    /// The last day to publish (第二十六条), for proactive items.
    pub due_on: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
    pub doc_no: String,
    pub topic: String,
    pub column: String,
    pub disclosure: Disclosure,
    pub ground: String,
    pub reason: String,
    pub doc_kind: Option<DocumentKind>,
    pub validity: Option<Validity>,
    pub validity_on: Option<NaiveDate>,
    pub interprets: Option<i64>,
    pub status: Status,
    pub request: Option<Request>,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
    pub change_seq: i64,
}

impl Item {
    /// The draft this item was made from (to edit it).
    pub fn draft(&self) -> ItemDraft {
        ItemDraft {
            title: self.title.clone(),
            summary: self.summary.clone(),
            body: self.body.clone(),
            publisher: self.publisher.clone(),
            written_on: Some(self.written_on),
            changed_on: self.changed_on,
            doc_no: self.doc_no.clone(),
            topic: self.topic.clone(),
            column: self.column.clone(),
            disclosure: Some(self.disclosure),
            ground: self.ground.clone(),
            reason: self.reason.clone(),
            doc_kind: self.doc_kind,
            interprets: self.interprets,
        }
    }

    /// Whether it was (or, unpublished, now is) past its 20 working days.
    pub fn late(&self, today: NaiveDate) -> bool {
        match (self.disclosure, self.due_on) {
            (Disclosure::Active, Some(due)) => {
                let open = matches!(
                    self.status,
                    Status::Draft
                        | Status::Review
                        | Status::Secrecy
                        | Status::Sign
                        | Status::Returned
                );
                if open || self.published_on.is_some() {
                    rules::is_late(due, self.published_on, today)
                } else {
                    false
                }
            }
            _ => false,
        }
    }
}

/// One step of an item's review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemStep {
    pub seq: i64,
    pub step: String,
    pub actor: String,
    pub role: String,
    pub at: String,
    pub note: String,
}

/// An attachment, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub id: i64,
    pub item: i64,
    pub file_name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: String,
}

/// Filters and page of the console's item list.
#[derive(Debug, Clone, Default)]
pub struct ItemQuery {
    pub status: Option<Status>,
    pub column: Option<String>,
    /// Year of the 成文日期.
    pub year: Option<i32>,
    /// Words in the title, 文号 or 索引号.
    pub text: Option<String>,
    /// Only items waiting for this actor's step.
    pub waiting_for: Option<Actor>,
    /// From 1.
    pub page: i64,
    pub per_page: i64,
}

/// A page of items.
#[derive(Debug, Clone, Serialize)]
pub struct ItemPage {
    pub rows: Vec<Item>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

/// The console's counts of an agency's disclosure work.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ItemTodo {
    pub drafts: i64,
    pub returned: i64,
    pub review: i64,
    pub secrecy: i64,
    pub sign: i64,
    /// Requests (withdrawal, repeal) awaiting the 负责人.
    pub requests: i64,
    /// Proactive, not yet published, last day within 5 working days.
    pub due_soon: i64,
    /// Proactive, not yet published, past the last day.
    pub overdue: i64,
    /// Published this year.
    pub published_this_year: i64,
    /// Published this year after the last day.
    pub late_this_year: i64,
}

/// What the search index holds of a published item.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexEntry {
    pub id: i64,
    pub agency_id: i64,
    pub publisher: String,
    pub index_no: String,
    pub title: String,
    pub doc_no: String,
    pub summary: String,
    /// The body, then each attachment's text.
    pub body: String,
    pub column: String,
    pub validity: String,
    pub published_on: NaiveDate,
}

/// A change the index has not seen: the item, and what it now is in
/// public (`None`: not public, remove it).
#[derive(Debug, Clone)]
pub struct IndexChange {
    pub id: i64,
    pub seq: i64,
    pub entry: Option<IndexEntry>,
}

/// An item published before it was kept here, for [`Store::import_items`].
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedItem {
    /// Where it was read (the row of the file), named in messages; 0 when
    /// it has none (then it is named by its place in the list).
    pub line: usize,
    pub draft: ItemDraft,
    /// Its 索引号 as published (kept), or `None` to give one.
    pub index_no: Option<String>,
    pub published_on: NaiveDate,
    /// For a normative document no longer in force.
    pub validity: Option<(Validity, NaiveDate)>,
}

/// What an import of items did, or (checked only) would do.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ItemsImported {
    /// The items imported: each row's line and its 索引号, kept or given
    /// (checked only: empty when one would be given).
    pub imported: Vec<(usize, String)>,
    /// Rows the platform already holds, left alone: each row's line and the
    /// 索引号 of the item there.
    pub already: Vec<(usize, String)>,
    /// Whether the agency did not exist and was created for the items.
    pub agency_created: bool,
}

/// How rows of an import stand against what the platform holds.
struct ItemPlan {
    /// Indices of the rows to import.
    fresh: Vec<usize>,
    already: Vec<(usize, String)>,
}

/// Where a row of an import is named: its line, else its place.
fn row_label(r: &ImportedItem, n: usize) -> String {
    if r.line > 0 {
        format!("第{}行", r.line)
    } else {
        format!("第{}条", n + 1)
    }
}

/// What identifies an item without a 索引号: its 名称, 文号 and 成文日期.
type ItemKey = (String, String, String);

fn item_key(title: &str, doc_no: &str, written: &str) -> ItemKey {
    (
        title.trim().to_string(),
        doc_no.trim().to_string(),
        written.to_string(),
    )
}

/// The counter and number of a 索引号 in the platform's own form,
/// `{code}/{year}-{number}` (full-width forms folded): the counter a new
/// number of that code and year is drawn from.
fn index_counter(index_no: &str) -> Option<(String, i64)> {
    let folded: String = index_no
        .trim()
        .chars()
        .map(gongkai_template::text::fold_char)
        .collect();
    let (prefix, number) = folded.rsplit_once('-')?;
    let (code, year) = prefix.rsplit_once('/')?;
    if code.is_empty()
        || year.len() != 4
        || !year.bytes().all(|b| b.is_ascii_digit())
        || number.is_empty()
        || number.len() > 12
        || !number.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let n: i64 = number.parse().ok()?;
    Some((format!("index:{prefix}"), n))
}

/// Raises a counter to at least `value` (never lowers it).
async fn raise_counter(tx: &mut Tx<'_>, name: &str, value: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO counters (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE \
         SET value = CASE WHEN counters.value < excluded.value THEN excluded.value \
         ELSE counters.value END",
    )
    .bind(name)
    .bind(value)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Rows looked up at once (well within either database's limit of binds).
const LOOKUP_CHUNK: usize = 500;

/// Which rows the platform already holds, and which cannot be imported
/// because their 索引号 or their 名称, 文号 and 成文日期 belong to another
/// item. A row with a 索引号 is the item of that 索引号: held when this
/// agency has it under the same 名称, refused when another agency has it or
/// the 名称 differs, and refused when this agency has an item of the same
/// 名称, 文号 and 成文日期 under another 索引号. A row without one is held
/// when this agency has an item of the same 名称, 文号 and 成文日期.
async fn plan_items(
    conn: &mut sqlx::AnyConnection,
    scope: &Scope,
    agency: &str,
    rows: &[ImportedItem],
) -> Result<ItemPlan> {
    use std::collections::HashMap;
    let mut by_index: HashMap<String, (String, String)> = HashMap::new();
    let numbers: Vec<String> = rows
        .iter()
        .filter_map(|r| r.index_no.as_deref().map(|n| n.trim().to_string()))
        .collect();
    for chunk in numbers.chunks(LOOKUP_CHUNK) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT index_no, agency, title FROM items WHERE index_no IN ({})",
            marks.join(", ")
        );
        let mut q = sqlx::query_as::<_, (String, String, String)>(&sql);
        for n in chunk {
            q = q.bind(n);
        }
        for (no, a, title) in q.fetch_all(&mut *conn).await? {
            by_index.insert(no, (a, title));
        }
    }
    // The agency's items of the rows' 名称, 文号 and 成文日期, looked up by
    // all three at once (a 名称 such as 行政处罚决定书 may have thousands),
    // through the index on 名称 and 成文日期: CROSS JOIN keeps SQLite's
    // outer loop on the keys (else it walks the agency's items and scans
    // the keys for each).
    let mut by_key: HashMap<ItemKey, String> = HashMap::new();
    let mut keys: Vec<ItemKey> = rows
        .iter()
        .filter_map(|r| {
            r.draft
                .written_on
                .map(|w| item_key(&r.draft.title, &r.draft.doc_no, &date_str(w)))
        })
        .collect();
    keys.sort();
    keys.dedup();
    for chunk in keys.chunks(LOOKUP_CHUNK / 2) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, ${}, ${})", 3 * i + 2, 3 * i + 3, 3 * i + 4))
            .collect();
        let sql = format!(
            "WITH k (t, d, w) AS (VALUES {}) SELECT i.title, i.doc_no, i.written_on, i.index_no \
             FROM k CROSS JOIN items i WHERE i.agency = $1 AND i.title = k.t \
             AND i.written_on = k.w AND i.doc_no = k.d ORDER BY i.id",
            values.join(", ")
        );
        let mut q = sqlx::query_as::<_, (String, String, String, String)>(&sql).bind(agency);
        for (title, doc_no, written) in chunk {
            q = q.bind(title).bind(doc_no).bind(written);
        }
        for (title, doc_no, written, no) in q.fetch_all(&mut *conn).await? {
            by_key
                .entry(item_key(&title, &doc_no, &written))
                .or_insert(no);
        }
    }
    let mut problems = Vec::new();
    let mut plan = ItemPlan {
        fresh: Vec::new(),
        already: Vec::new(),
    };
    for (n, r) in rows.iter().enumerate() {
        let key = item_key(
            &r.draft.title,
            &r.draft.doc_no,
            &r.draft.written_on.map(date_str).unwrap_or_default(),
        );
        let held_as = by_key.get(&key);
        let label = row_label(r, n);
        match r.index_no.as_deref().map(str::trim) {
            Some(no) => match by_index.get(no) {
                Some((a, _)) if a != agency => problems.push(if scope.allows(a) {
                    format!("{label}：索引号{no}已是{a}的信息的索引号，同一索引号只能有一条信息")
                } else {
                    format!("{label}：索引号{no}已是其他机关的信息的索引号，同一索引号只能有一条信息")
                }),
                Some((_, title)) if title.trim() != r.draft.title.trim() => problems.push(format!(
                    "{label}：本机关已有索引号为{no}的信息《{title}》，与本行的名称不同；同一索引号只能有一条信息"
                )),
                Some(_) => plan.already.push((r.line, no.to_string())),
                None => match held_as {
                    Some(other) => problems.push(format!(
                        "{label}：本机关已有名称、文号和成文日期都相同的信息，索引号为{other}，与本行的索引号{no}不同；是同一条信息的，请把本行的索引号改为{other}或留空"
                    )),
                    None => plan.fresh.push(n),
                },
            },
            None => match held_as {
                Some(no) => plan.already.push((r.line, no.clone())),
                None => plan.fresh.push(n),
            },
        }
    }
    if !problems.is_empty() {
        return Err(StoreError::Invalid(format!(
            "{}处与平台上已有的信息冲突，全部未导入：\n{}",
            problems.len(),
            problems.join("\n")
        )));
    }
    Ok(plan)
}

/// An annual report as published in the 专栏.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublishedReport {
    pub agency: String,
    pub year: i32,
    pub version: i64,
    pub published_on: NaiveDate,
    pub published_by: String,
    /// gongkai's JSON of the report.
    pub report: String,
    pub errors: i64,
    pub warnings: i64,
}

const ITEM_COLUMNS: &str = "i.id, i.agency, i.index_no, i.title, i.summary, i.body, i.publisher, \
    i.written_on, i.changed_on, i.due_on, i.published_on, i.doc_no, i.topic, i.column_key, \
    i.disclosure, i.disclosure_ground, i.disclosure_reason, i.doc_kind, i.validity, \
    i.validity_on, i.interprets, i.status, i.request, i.created_by, i.created_at, \
    i.updated_at, i.change_seq";

/// The same columns without the body (lists).
const ITEM_LIST_COLUMNS: &str = "i.id, i.agency, i.index_no, i.title, i.summary, '' AS body, \
    i.publisher, i.written_on, i.changed_on, i.due_on, i.published_on, i.doc_no, i.topic, \
    i.column_key, i.disclosure, i.disclosure_ground, i.disclosure_reason, i.doc_kind, \
    i.validity, i.validity_on, i.interprets, i.status, i.request, i.created_by, \
    i.created_at, i.updated_at, i.change_seq";

fn bad(what: &str, value: &str) -> StoreError {
    StoreError::Invalid(format!("数据库中的{what}“{value}”无法识别"))
}

fn opt_date(s: Option<String>) -> Result<Option<NaiveDate>> {
    s.filter(|s| !s.is_empty())
        .as_deref()
        .map(parse_date)
        .transpose()
}

fn item_from(r: &AnyRow) -> Result<Item> {
    let disclosure: String = r.try_get(14)?;
    let doc_kind: String = r.try_get(17)?;
    let validity: String = r.try_get(18)?;
    let status: String = r.try_get(21)?;
    let request: Option<String> = r.try_get(22)?;
    Ok(Item {
        id: r.try_get(0)?,
        agency: r.try_get(1)?,
        index_no: r.try_get(2)?,
        title: r.try_get(3)?,
        summary: r.try_get(4)?,
        body: r.try_get(5)?,
        publisher: r.try_get(6)?,
        written_on: parse_date(&r.try_get::<String, _>(7)?)?,
        changed_on: opt_date(r.try_get(8)?)?,
        due_on: opt_date(r.try_get(9)?)?,
        published_on: opt_date(r.try_get(10)?)?,
        doc_no: r.try_get(11)?,
        topic: r.try_get(12)?,
        column: r.try_get(13)?,
        disclosure: Disclosure::parse(&disclosure).ok_or_else(|| bad("公开属性", &disclosure))?,
        ground: r.try_get(15)?,
        reason: r.try_get(16)?,
        doc_kind: if doc_kind.is_empty() {
            None
        } else {
            Some(DocumentKind::parse(&doc_kind).ok_or_else(|| bad("文件类型", &doc_kind))?)
        },
        validity: if validity.is_empty() {
            None
        } else {
            Some(Validity::parse(&validity).ok_or_else(|| bad("有效性", &validity))?)
        },
        validity_on: opt_date(r.try_get(19)?)?,
        interprets: r.try_get(20)?,
        status: Status::parse(&status).ok_or_else(|| bad("状态", &status))?,
        request: match request.filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(serde_json::from_str(&s).map_err(|_| bad("申请", &s))?),
        },
        created_by: r.try_get(23)?,
        created_at: r.try_get(24)?,
        updated_at: r.try_get(25)?,
        change_seq: r.try_get(26)?,
    })
}

fn pages(total: i64, per_page: i64) -> i64 {
    ((total + per_page - 1) / per_page).max(1)
}

/// The year part and code of a 索引号.
fn index_prefix(code: &str, agency_id: i64, year: i32) -> String {
    let code = code.trim();
    if code.is_empty() {
        format!("GK{agency_id:05}/{year}")
    } else {
        format!("{code}/{year}")
    }
}

/// The next 索引号 of a code and year (`{prefix}-00001` …): the counter's
/// next number, past any number already taken (by an item imported with
/// its own 索引号 before imports moved the counters).
async fn next_index_no(tx: &mut Tx<'_>, prefix: &str) -> Result<String> {
    loop {
        let n = bump_counter(tx, &format!("index:{prefix}"), 1).await?;
        let index_no = format!("{prefix}-{n:05}");
        let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM items WHERE index_no = $1")
            .bind(&index_no)
            .fetch_optional(&mut **tx)
            .await?;
        if taken.is_none() {
            return Ok(index_no);
        }
    }
}

async fn add_step(
    tx: &mut Tx<'_>,
    item: i64,
    step: &str,
    actor: &str,
    role: &str,
    note: &str,
) -> Result<()> {
    let (seq,): (i64,) =
        sqlx::query_as("SELECT COALESCE(MAX(seq), 0) + 1 FROM item_steps WHERE item = $1")
            .bind(item)
            .fetch_one(&mut **tx)
            .await?;
    sqlx::query(
        "INSERT INTO item_steps (item, seq, step, actor, role, at, note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(item)
    .bind(seq)
    .bind(step)
    .bind(actor)
    .bind(role)
    .bind(now())
    .bind(note)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The checks of [`Store::import_items`] that need no database: each row
/// as a draft and as a published item.
fn check_imported(rows: &[ImportedItem], today: NaiveDate) -> Result<()> {
    let mut problems = Vec::new();
    // Earlier rows by 索引号, and by 名称, 文号 and 成文日期 without one.
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    let mut same: std::collections::HashMap<ItemKey, usize> = Default::default();
    for (n, r) in rows.iter().enumerate() {
        let mut p: Vec<String> = r
            .draft
            .problems(today)
            .into_iter()
            .map(|(_, m)| m)
            .collect();
        if r.draft.interprets.is_some() {
            p.push("导入的事项不能指向其他事项（解读关系请导入后在控制台设置）".into());
        }
        if r.draft.disclosure != Some(Disclosure::Active) {
            p.push("只能导入已主动公开的信息".into());
        }
        if r.draft.written_on.is_some_and(|w| r.published_on < w) {
            p.push("发布日期早于成文日期".into());
        }
        if r.published_on > today {
            p.push(format!("发布日期不能晚于今天（{today}）"));
        }
        if let Some(no) = &r.index_no {
            if no.trim().is_empty() || no.chars().count() > 60 {
                p.push("索引号为空或过长".into());
            } else if let Some(&first) = seen.get(no.trim()) {
                p.push(format!(
                    "索引号{no}与{}重复",
                    row_label(&rows[first], first)
                ));
            } else {
                seen.insert(no.trim().to_string(), n);
            }
        } else if let Some(w) = r.draft.written_on {
            let key = item_key(&r.draft.title, &r.draft.doc_no, &date_str(w));
            match same.get(&key) {
                Some(&first) => p.push(format!(
                    "名称、文号和成文日期都与{}相同（没有索引号区分）",
                    row_label(&rows[first], first)
                )),
                None => {
                    same.insert(key, n);
                }
            }
        }
        if r.validity.is_some() && r.draft.doc_kind.is_none() {
            p.push("只有规章和行政规范性文件有有效性".into());
        }
        if !p.is_empty() {
            problems.push(format!("{}：{}", row_label(r, n), p.join("；")));
        }
    }
    if !problems.is_empty() {
        return Err(StoreError::Invalid(format!(
            "{}处问题，全部未导入：\n{}",
            problems.len(),
            problems.join("\n")
        )));
    }
    Ok(())
}

impl Store {
    fn check_draft(&self, d: &ItemDraft, today: NaiveDate) -> Result<()> {
        let problems = d.problems(today);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(StoreError::Invalid(
                problems
                    .into_iter()
                    .map(|(_, m)| m)
                    .collect::<Vec<_>>()
                    .join("；"),
            ))
        }
    }

    /// The item a draft says it interprets must be the same agency's.
    async fn check_interprets(&self, agency: &str, d: &ItemDraft, own: Option<i64>) -> Result<()> {
        if let Some(target) = d.interprets {
            if Some(target) == own {
                return Err(StoreError::Invalid("解读不能指向事项本身".into()));
            }
            let row: Option<(String,)> = sqlx::query_as("SELECT agency FROM items WHERE id = $1")
                .bind(target)
                .fetch_optional(&self.pool)
                .await?;
            if row.map(|r| r.0).as_deref() != Some(agency) {
                return Err(StoreError::Invalid(format!(
                    "被解读的事项（编号{target}）不是本机关的事项"
                )));
            }
        }
        Ok(())
    }

    /// Drafts a new item of the agency: its 索引号 is given now and never
    /// changes; the 20 working days run from its 成文日期 (or change).
    pub async fn create_item(
        &self,
        actor: &str,
        scope: &Scope,
        agency: &str,
        d: &ItemDraft,
        today: NaiveDate,
    ) -> Result<Item> {
        scope.check(agency, "机关")?;
        self.check_draft(d, today)?;
        self.check_interprets(agency, d, None).await?;
        let a = self.agency_by_name(agency).await?;
        let profile = self.profile(agency).await?;
        let formed = d.formed_on().unwrap_or(today);
        let due = (d.disclosure == Some(Disclosure::Active))
            .then(|| rules::publish_by(&self.calendar(), formed));
        let year = today.year();
        let mut tx = self.pool.begin().await?;
        let id = bump_counter(&mut tx, "item", 1).await?;
        let index_no = next_index_no(&mut tx, &index_prefix(&profile.code, a.id, year)).await?;
        let seq = bump_counter(&mut tx, "item_change", 1).await?;
        let stamp = now();
        sqlx::query(
            "INSERT INTO items (id, agency, index_no, title, summary, body, publisher, written_on, \
             changed_on, due_on, published_on, doc_no, topic, column_key, disclosure, \
             disclosure_ground, disclosure_reason, doc_kind, validity, validity_on, interprets, \
             status, request, created_by, created_at, updated_at, change_seq) VALUES \
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, $11, $12, $13, $14, $15, $16, $17, \
             $18, NULL, $19, 'draft', NULL, $20, $21, $21, $22)",
        )
        .bind(id)
        .bind(agency)
        .bind(&index_no)
        .bind(d.title.trim())
        .bind(d.summary.trim())
        .bind(d.body.trim_end())
        .bind(d.publisher.trim())
        .bind(date_str(d.written_on.unwrap_or(today)))
        .bind(d.changed_on.map(date_str))
        .bind(due.map(date_str))
        .bind(d.doc_no.trim())
        .bind(d.topic.trim())
        .bind(d.column.trim())
        .bind(d.disclosure.unwrap_or(Disclosure::Active).key())
        .bind(d.ground.trim())
        .bind(d.reason.trim())
        .bind(d.doc_kind.map(|k| k.row_key()).unwrap_or(""))
        .bind(if d.doc_kind.is_some() { "valid" } else { "" })
        .bind(d.interprets)
        .bind(actor)
        .bind(&stamp)
        .bind(seq)
        .execute(&mut *tx)
        .await?;
        add_step(&mut tx, id, "起草", actor, "经办人", "").await?;
        audit(
            &mut tx,
            actor,
            "item.create",
            &format!("{agency}/{index_no}"),
            None,
            Some(serde_json::to_value(d).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        self.item(scope, id).await
    }

    /// Changes a draft (or an item sent back): only then may it change.
    pub async fn update_item(
        &self,
        actor: &str,
        scope: &Scope,
        id: i64,
        d: &ItemDraft,
        today: NaiveDate,
    ) -> Result<Item> {
        let before = self.item(scope, id).await?;
        if !before.status.editable() {
            return Err(StoreError::Invalid(format!(
                "事项{}，不能修改",
                before.status.label()
            )));
        }
        self.check_draft(d, today)?;
        self.check_interprets(&before.agency, d, Some(id)).await?;
        let formed = d.formed_on().unwrap_or(today);
        let due = (d.disclosure == Some(Disclosure::Active))
            .then(|| rules::publish_by(&self.calendar(), formed));
        let mut tx = self.pool.begin().await?;
        let seq = bump_counter(&mut tx, "item_change", 1).await?;
        let done = sqlx::query(
            "UPDATE items SET title = $1, summary = $2, body = $3, publisher = $4, \
             written_on = $5, changed_on = $6, due_on = $7, doc_no = $8, topic = $9, \
             column_key = $10, disclosure = $11, disclosure_ground = $12, \
             disclosure_reason = $13, doc_kind = $14, validity = $15, interprets = $16, \
             updated_at = $17, change_seq = $18 WHERE id = $19 AND change_seq = $20",
        )
        .bind(d.title.trim())
        .bind(d.summary.trim())
        .bind(d.body.trim_end())
        .bind(d.publisher.trim())
        .bind(date_str(d.written_on.unwrap_or(today)))
        .bind(d.changed_on.map(date_str))
        .bind(due.map(date_str))
        .bind(d.doc_no.trim())
        .bind(d.topic.trim())
        .bind(d.column.trim())
        .bind(d.disclosure.unwrap_or(Disclosure::Active).key())
        .bind(d.ground.trim())
        .bind(d.reason.trim())
        .bind(d.doc_kind.map(|k| k.row_key()).unwrap_or(""))
        .bind(if d.doc_kind.is_some() { "valid" } else { "" })
        .bind(d.interprets)
        .bind(now())
        .bind(seq)
        .bind(id)
        .bind(before.change_seq)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Invalid(
                "事项刚刚被他人修改或办理，请刷新页面后再试".into(),
            ));
        }
        add_step(&mut tx, id, "修改", actor, "经办人", "").await?;
        audit(
            &mut tx,
            actor,
            "item.update",
            &format!("{}/{}", before.agency, before.index_no),
            Some(serde_json::to_value(before.draft()).unwrap_or_default()),
            Some(serde_json::to_value(d).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        self.item(scope, id).await
    }

    /// One item, within the scope (any status).
    pub async fn item(&self, scope: &Scope, id: i64) -> Result<Item> {
        let sql = format!("SELECT {ITEM_COLUMNS} FROM items i WHERE i.id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound("事项".into()))?;
        let item = item_from(&row)?;
        scope.check(&item.agency, "事项")?;
        Ok(item)
    }

    /// The steps of an item's review, in order.
    pub async fn item_steps(&self, scope: &Scope, id: i64) -> Result<Vec<ItemStep>> {
        self.item(scope, id).await?;
        let rows: Vec<(i64, String, String, String, String, String)> = sqlx::query_as(
            "SELECT seq, step, actor, role, at, note FROM item_steps WHERE item = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| ItemStep {
                seq: r.0,
                step: r.1,
                actor: r.2,
                role: r.3,
                at: r.4,
                note: r.5,
            })
            .collect())
    }

    /// A page of the agency's items, newest first.
    pub async fn items(&self, scope: &Scope, agency: &str, q: &ItemQuery) -> Result<ItemPage> {
        scope.check(agency, "机关")?;
        let mut binds: Vec<String> = vec![agency.to_string()];
        let mut sql = String::from(" FROM items i WHERE i.agency = $1");
        let mut push = |cond: &str, v: String, binds: &mut Vec<String>| {
            binds.push(v);
            sql.push_str(&cond.replace("?", &format!("${}", binds.len())));
        };
        if let Some(s) = q.status {
            push(" AND i.status = ?", s.key().into(), &mut binds);
        }
        if let Some(a) = q.waiting_for {
            let s = match a {
                Actor::Drafter => "returned",
                Actor::Reviewer => "review",
                Actor::Secrecy => "secrecy",
                Actor::Signer => "sign",
            };
            if a == Actor::Signer {
                push(
                    " AND (i.status = ? OR (i.status = 'published' AND i.request IS NOT NULL))",
                    s.into(),
                    &mut binds,
                );
            } else {
                push(" AND i.status = ?", s.into(), &mut binds);
            }
        }
        if let Some(c) = q.column.as_ref().filter(|c| !c.is_empty()) {
            push(" AND i.column_key = ?", c.clone(), &mut binds);
        }
        if let Some(y) = q.year {
            push(" AND i.written_on >= ?", format!("{y}-01-01"), &mut binds);
            push(" AND i.written_on <= ?", format!("{y}-12-31"), &mut binds);
        }
        if let Some(t) = q.text.as_ref().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            let like = format!("%{}%", t.replace(['%', '_'], ""));
            binds.push(like);
            let n = binds.len();
            sql.push_str(&format!(
                " AND (i.title LIKE ${n} OR i.doc_no LIKE ${n} OR i.index_no LIKE ${n})"
            ));
        }
        let count_sql = format!("SELECT COUNT(*){sql}");
        let mut cq = sqlx::query_as::<_, (i64,)>(&count_sql);
        for b in &binds {
            cq = cq.bind(b.as_str());
        }
        let (total,) = cq.fetch_one(&self.read).await?;
        let per_page = q.per_page.clamp(1, 200);
        let page = q.page.max(1);
        let list_sql = format!(
            "SELECT {ITEM_LIST_COLUMNS}{sql} ORDER BY i.created_at DESC, i.id DESC LIMIT {per_page} OFFSET {}",
            (page - 1) * per_page
        );
        let mut lq = sqlx::query(&list_sql);
        for b in &binds {
            lq = lq.bind(b.as_str());
        }
        let rows = lq
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(item_from)
            .collect::<Result<Vec<_>>>()?;
        Ok(ItemPage {
            rows,
            total,
            page,
            pages: pages(total, per_page),
        })
    }

    /// Takes a step of the workflow. The step is the actor's own (科室审核
    /// by the 科室负责人, 保密审查 by the 保密审查员, 签发 by the 负责人);
    /// two people acting on one item at once: the second is told to look
    /// again, nothing is taken twice.
    #[allow(clippy::too_many_arguments)]
    pub async fn act_on_item(
        &self,
        actor_name: &str,
        actor: Actor,
        scope: &Scope,
        id: i64,
        action: &Action,
        today: NaiveDate,
    ) -> Result<Item> {
        let item = self.item(scope, id).await?;
        let t = rules::step(
            item.status,
            item.disclosure,
            item.doc_kind.is_some(),
            item.request.as_ref(),
            actor,
            action,
        )
        .map_err(|r| StoreError::Invalid(r.0))?;
        if matches!(action, Action::Submit) {
            // The drafter's last look: attachments were read, fields still valid.
            self.check_draft(&item.draft(), today)?;
        }
        let published_on = if t.to == Status::Published && item.status != Status::Published {
            Some(today)
        } else {
            item.published_on
        };
        let request = match &t.request {
            Some(r) => r.clone(),
            None => item.request.clone(),
        };
        let (validity, validity_on) = match t.validity {
            Some((v, on)) => (Some(v), Some(on)),
            None => (item.validity, item.validity_on),
        };
        let mut tx = self.pool.begin().await?;
        let seq = bump_counter(&mut tx, "item_change", 1).await?;
        let done = sqlx::query(
            "UPDATE items SET status = $1, request = $2, published_on = $3, validity = $4, \
             validity_on = $5, updated_at = $6, change_seq = $7 WHERE id = $8 AND change_seq = $9",
        )
        .bind(t.to.key())
        .bind(
            request
                .as_ref()
                .map(|r| serde_json::to_string(r).unwrap_or_default()),
        )
        .bind(published_on.map(date_str))
        .bind(validity.map(|v| v.key()).unwrap_or(""))
        .bind(validity_on.map(date_str))
        .bind(now())
        .bind(seq)
        .bind(id)
        .bind(item.change_seq)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Invalid(
                "事项刚刚被他人办理，请刷新页面后再看".into(),
            ));
        }
        let note = match action {
            Action::Return { reason } | Action::Refuse { reason } => reason.trim().to_string(),
            Action::Ask(r) => r.label(),
            _ => String::new(),
        };
        add_step(&mut tx, id, t.step, actor_name, actor.label(), &note).await?;
        // Table 2: the normative document enters the ledger when published,
        // and leaves force when its repeal or expiry is granted.
        if let Some(kind) = item.doc_kind {
            if t.to == Status::Published && item.status != Status::Published {
                sqlx::query(
                    "INSERT INTO documents (agency, number, kind, title, issued_on, repealed_on, item) \
                     VALUES ($1, $2, $3, $4, $5, NULL, $6) ON CONFLICT (agency, number) DO UPDATE SET \
                     kind = excluded.kind, title = excluded.title, issued_on = excluded.issued_on, \
                     repealed_on = NULL, item = excluded.item",
                )
                .bind(&item.agency)
                .bind(item.doc_no.trim())
                .bind(kind.row_key())
                .bind(&item.title)
                .bind(date_str(item.written_on))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            if let Some((_, on)) = t.validity {
                sqlx::query(
                    "UPDATE documents SET repealed_on = $1 WHERE agency = $2 AND number = $3 AND item = $4",
                )
                .bind(date_str(on))
                .bind(&item.agency)
                .bind(item.doc_no.trim())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
        }
        audit(
            &mut tx,
            actor_name,
            "item.step",
            &format!("{}/{}", item.agency, item.index_no),
            Some(json!({ "status": item.status.key() })),
            Some(json!({ "status": t.to.key(), "step": t.step, "note": note })),
        )
        .await?;
        tx.commit().await?;
        self.item(scope, id).await
    }

    /// Attaches a file to a draft (or an item sent back).
    #[allow(clippy::too_many_arguments)]
    pub async fn add_attachment(
        &self,
        actor: &str,
        scope: &Scope,
        item: i64,
        file_name: &str,
        media_type: &str,
        bytes: &[u8],
        sha256: &str,
        text: &str,
    ) -> Result<Attachment> {
        let it = self.item(scope, item).await?;
        if !it.status.editable() {
            return Err(StoreError::Invalid(format!(
                "事项{}，不能再添加附件",
                it.status.label()
            )));
        }
        let mut tx = self.pool.begin().await?;
        let id = bump_counter(&mut tx, "attachment", 1).await?;
        let seq = bump_counter(&mut tx, "item_change", 1).await?;
        let stamp = now();
        sqlx::query(
            "INSERT INTO attachments (id, item, file_name, media_type, size, sha256, content, text, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind(item)
        .bind(file_name)
        .bind(media_type)
        .bind(bytes.len() as i64)
        .bind(sha256)
        .bind(bytes.to_vec())
        .bind(text)
        .bind(&stamp)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE items SET change_seq = $1, updated_at = $2 WHERE id = $3")
            .bind(seq)
            .bind(&stamp)
            .bind(item)
            .execute(&mut *tx)
            .await?;
        add_step(&mut tx, item, "添加附件", actor, "经办人", file_name).await?;
        audit(
            &mut tx,
            actor,
            "item.attach",
            &format!("{}/{}", it.agency, it.index_no),
            None,
            Some(json!({ "file_name": file_name, "size": bytes.len(), "sha256": sha256 })),
        )
        .await?;
        tx.commit().await?;
        Ok(Attachment {
            id,
            item,
            file_name: file_name.into(),
            media_type: media_type.into(),
            size: bytes.len() as i64,
            sha256: sha256.into(),
            created_at: stamp,
        })
    }

    /// Removes an attachment from a draft (or an item sent back).
    pub async fn remove_attachment(
        &self,
        actor: &str,
        scope: &Scope,
        item: i64,
        attachment: i64,
    ) -> Result<()> {
        let it = self.item(scope, item).await?;
        if !it.status.editable() {
            return Err(StoreError::Invalid(format!(
                "事项{}，不能删除附件",
                it.status.label()
            )));
        }
        let mut tx = self.pool.begin().await?;
        let name: Option<(String,)> =
            sqlx::query_as("SELECT file_name FROM attachments WHERE id = $1 AND item = $2")
                .bind(attachment)
                .bind(item)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((name,)) = name else {
            return Err(StoreError::NotFound("附件".into()));
        };
        sqlx::query("DELETE FROM attachments WHERE id = $1")
            .bind(attachment)
            .execute(&mut *tx)
            .await?;
        let seq = bump_counter(&mut tx, "item_change", 1).await?;
        sqlx::query("UPDATE items SET change_seq = $1 WHERE id = $2")
            .bind(seq)
            .bind(item)
            .execute(&mut *tx)
            .await?;
        add_step(&mut tx, item, "删除附件", actor, "经办人", &name).await?;
        audit(
            &mut tx,
            actor,
            "item.detach",
            &format!("{}/{}", it.agency, it.index_no),
            Some(json!({ "file_name": name })),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The attachments of an item (staff: within the scope).
    pub async fn attachments(&self, scope: &Scope, item: i64) -> Result<Vec<Attachment>> {
        self.item(scope, item).await?;
        self.attachments_of(item).await
    }

    async fn attachments_of(&self, item: i64) -> Result<Vec<Attachment>> {
        let rows: Vec<(i64, i64, String, String, i64, String, String)> = sqlx::query_as(
            "SELECT id, item, file_name, media_type, size, sha256, created_at FROM attachments \
             WHERE item = $1 ORDER BY id",
        )
        .bind(item)
        .fetch_all(&self.read)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| Attachment {
                id: r.0,
                item: r.1,
                file_name: r.2,
                media_type: r.3,
                size: r.4,
                sha256: r.5,
                created_at: r.6,
            })
            .collect())
    }

    async fn attachment_bytes(&self, item: i64, attachment: i64) -> Result<(Attachment, Vec<u8>)> {
        let row = sqlx::query(
            "SELECT id, item, file_name, media_type, size, sha256, created_at, content \
             FROM attachments WHERE id = $1 AND item = $2",
        )
        .bind(attachment)
        .bind(item)
        .fetch_optional(&self.read)
        .await?
        .ok_or_else(|| StoreError::NotFound("附件".into()))?;
        Ok((
            Attachment {
                id: row.try_get(0)?,
                item: row.try_get(1)?,
                file_name: row.try_get(2)?,
                media_type: row.try_get(3)?,
                size: row.try_get(4)?,
                sha256: row.try_get(5)?,
                created_at: row.try_get(6)?,
            },
            row.try_get(7)?,
        ))
    }

    /// An attachment's bytes, for staff within the scope.
    pub async fn attachment(
        &self,
        scope: &Scope,
        item: i64,
        attachment: i64,
    ) -> Result<(Attachment, Vec<u8>)> {
        self.item(scope, item).await?;
        self.attachment_bytes(item, attachment).await
    }

    /// The agency's counts for the console.
    pub async fn item_todo(
        &self,
        scope: &Scope,
        agency: &str,
        today: NaiveDate,
    ) -> Result<ItemTodo> {
        scope.check(agency, "机关")?;
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT status, COUNT(*) FROM items WHERE agency = $1 GROUP BY status")
                .bind(agency)
                .fetch_all(&self.read)
                .await?;
        let mut t = ItemTodo::default();
        for (s, n) in rows {
            match s.as_str() {
                "draft" => t.drafts = n,
                "returned" => t.returned = n,
                "review" => t.review = n,
                "secrecy" => t.secrecy = n,
                "sign" => t.sign = n,
                _ => {}
            }
        }
        let (requests,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM items WHERE agency = $1 AND status = 'published' AND request IS NOT NULL",
        )
        .bind(agency)
        .fetch_one(&self.read)
        .await?;
        t.requests = requests;
        let soon = self.calendar().add_working_days(today, 5);
        let (due_soon, overdue): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(CASE WHEN due_on >= $2 AND due_on <= $3 THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN due_on < $2 THEN 1 ELSE 0 END), 0) FROM items \
             WHERE agency = $1 AND disclosure = 'active' AND due_on IS NOT NULL \
             AND status IN ('draft', 'returned', 'review', 'secrecy', 'sign')",
        )
        .bind(agency)
        .bind(date_str(today))
        .bind(date_str(soon))
        .fetch_one(&self.read)
        .await?;
        t.due_soon = due_soon;
        t.overdue = overdue;
        let (published, late) = self.published_counts(agency, today.year()).await?;
        t.published_this_year = published;
        t.late_this_year = late;
        Ok(t)
    }

    /// Items of the agency published in a year, and how many of them after
    /// their last day.
    pub async fn published_counts(&self, agency: &str, year: i32) -> Result<(i64, i64)> {
        let row: (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN due_on IS NOT NULL AND published_on > due_on \
             THEN 1 ELSE 0 END), 0) FROM items WHERE agency = $1 AND published_on >= $2 \
             AND published_on <= $3 AND status = 'published'",
        )
        .bind(agency)
        .bind(format!("{year}-01-01"))
        .bind(format!("{year}-12-31"))
        .fetch_one(&self.read)
        .await?;
        Ok(row)
    }

    /// Imports items already published elsewhere (an office's CMS): all of
    /// them or none. Each is checked as a draft is, its 发布日期 must fall
    /// between its 成文日期 and today, and only 主动公开 items are taken; it
    /// is recorded as published on its 发布日期, with a step saying it was
    /// imported. Rows the platform already holds are left alone, so an
    /// import run again changes nothing: a row with a 索引号 is the item of
    /// that 索引号, a row without one the agency's item of the same 名称,
    /// 文号 and 成文日期 (see [`plan_items`] for the rows refused instead).
    /// 索引号 kept in the platform's own form (`{code}/{year}-{number}`)
    /// move that code and year's counter past them, so no number given
    /// later is one of them. The agency is created, in the same
    /// transaction, when it does not exist and there is something to
    /// import (only a scope over every agency can name such an agency).
    pub async fn import_items(
        &self,
        actor: &str,
        scope: &Scope,
        agency: &str,
        rows: &[ImportedItem],
        today: NaiveDate,
    ) -> Result<ItemsImported> {
        let agency = agency.trim();
        if agency.is_empty() {
            return Err(StoreError::Invalid("机关名称不能为空".into()));
        }
        scope.check(agency, "机关")?;
        check_imported(rows, today)?;
        let profile = self.profile(agency).await?;
        let calendar = self.calendar();
        let stamp = now();
        let mut tx = self.pool.begin().await?;
        let plan = plan_items(&mut tx, scope, agency, rows).await?;
        if plan.fresh.is_empty() {
            tx.rollback().await?;
            return Ok(ItemsImported {
                imported: Vec::new(),
                already: plan.already,
                agency_created: false,
            });
        }
        let agency_created = ensure_agency_in(&mut tx, actor, agency).await?;
        let (agency_id,): (i64,) = sqlx::query_as("SELECT id FROM agencies WHERE name = $1")
            .bind(agency)
            .fetch_one(&mut *tx)
            .await?;
        let fresh: Vec<&ImportedItem> = plan.fresh.iter().map(|&i| &rows[i]).collect();
        // The numbers kept move their counters first: no number given below
        // (or to a draft later) can be one of them.
        let mut counters: std::collections::BTreeMap<String, i64> = Default::default();
        for (name, n) in fresh
            .iter()
            .filter_map(|r| r.index_no.as_deref().and_then(index_counter))
        {
            let v = counters.entry(name).or_insert(n);
            *v = (*v).max(n);
        }
        for (name, n) in &counters {
            raise_counter(&mut tx, name, *n).await?;
        }
        let mut imported = Vec::with_capacity(fresh.len());
        for chunk in fresh.chunks(400) {
            let n = chunk.len() as i64;
            let first_id = bump_counter(&mut tx, "item", n).await? - n + 1;
            let first_seq = bump_counter(&mut tx, "item_change", n).await? - n + 1;
            let mut values = Vec::with_capacity(chunk.len());
            let mut binds: Vec<Option<String>> = Vec::new();
            let mut steps = Vec::with_capacity(chunk.len());
            for (k, r) in chunk.iter().enumerate() {
                let d = &r.draft;
                let id = first_id + k as i64;
                let written = d.written_on.unwrap_or(r.published_on);
                let index_no = match &r.index_no {
                    Some(no) => no.trim().to_string(),
                    None => {
                        let prefix = index_prefix(&profile.code, agency_id, r.published_on.year());
                        next_index_no(&mut tx, &prefix).await?
                    }
                };
                imported.push((r.line, index_no.clone()));
                let due = rules::publish_by(&calendar, d.formed_on().unwrap_or(written));
                let (validity, validity_on) = match (d.doc_kind, r.validity) {
                    (Some(_), Some((v, on))) => (v.key(), Some(date_str(on))),
                    (Some(_), None) => ("valid", None),
                    _ => ("", None),
                };
                let base = binds.len();
                let cols: Vec<Option<String>> = vec![
                    Some(agency.to_string()),
                    Some(index_no),
                    Some(d.title.trim().to_string()),
                    Some(d.summary.trim().to_string()),
                    Some(d.body.trim_end().to_string()),
                    Some(d.publisher.trim().to_string()),
                    Some(date_str(written)),
                    d.changed_on.map(date_str),
                    Some(date_str(due)),
                    Some(date_str(r.published_on)),
                    Some(d.doc_no.trim().to_string()),
                    Some(d.topic.trim().to_string()),
                    Some(d.column.trim().to_string()),
                    Some(d.doc_kind.map(|k| k.row_key()).unwrap_or("").to_string()),
                    Some(validity.to_string()),
                    validity_on,
                ];
                let marks: Vec<String> =
                    (1..=cols.len()).map(|i| format!("${}", base + i)).collect();
                binds.extend(cols);
                values.push(format!(
                    "({id}, {}, 'active', '', '', {}, {}, {}, NULL, 'published', NULL, ${}, ${}, ${}, {})",
                    marks[..13].join(", "),
                    marks[13],
                    marks[14],
                    marks[15],
                    binds.len() + 1,
                    binds.len() + 2,
                    binds.len() + 2,
                    first_seq + k as i64,
                ));
                binds.push(Some(actor.to_string()));
                binds.push(Some(stamp.clone()));
                steps.push(id);
            }
            let sql = format!(
                "INSERT INTO items (id, agency, index_no, title, summary, body, publisher, written_on, \
                 changed_on, due_on, published_on, doc_no, topic, column_key, disclosure, \
                 disclosure_ground, disclosure_reason, doc_kind, validity, validity_on, interprets, \
                 status, request, created_by, created_at, updated_at, change_seq) VALUES {}",
                values.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for b in &binds {
                q = q.bind(b.clone());
            }
            q.execute(&mut *tx).await.map_err(|e| {
                let text = e.to_string();
                if text.contains("UNIQUE") || text.contains("unique") || text.contains("duplicate")
                {
                    StoreError::Invalid("有索引号与平台上已有的信息重复，全部未导入".into())
                } else {
                    e.into()
                }
            })?;
            let step_values: Vec<String> = steps
                .iter()
                .map(|id| format!("({id}, 1, '导入（原已发布）', $1, '经办人', $2, '')"))
                .collect();
            sqlx::query(&format!(
                "INSERT INTO item_steps (item, seq, step, actor, role, at, note) VALUES {}",
                step_values.join(", ")
            ))
            .bind(actor)
            .bind(&stamp)
            .execute(&mut *tx)
            .await?;
            for (k, r) in chunk.iter().enumerate() {
                if let Some(kind) = r.draft.doc_kind {
                    let written = r.draft.written_on.unwrap_or(r.published_on);
                    sqlx::query(
                        "INSERT INTO documents (agency, number, kind, title, issued_on, repealed_on, item) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (agency, number) DO UPDATE SET \
                         kind = excluded.kind, title = excluded.title, issued_on = excluded.issued_on, \
                         repealed_on = excluded.repealed_on, item = excluded.item",
                    )
                    .bind(agency)
                    .bind(r.draft.doc_no.trim())
                    .bind(kind.row_key())
                    .bind(r.draft.title.trim())
                    .bind(date_str(written))
                    .bind(r.validity.map(|(_, on)| date_str(on)))
                    .bind(first_id + k as i64)
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        audit(
            &mut tx,
            actor,
            "item.import",
            agency,
            None,
            Some(json!({ "items": imported.len(), "already_held": plan.already.len() })),
        )
        .await?;
        tx.commit().await?;
        Ok(ItemsImported {
            imported,
            already: plan.already,
            agency_created,
        })
    }

    /// What [`Store::import_items`] would do with the rows, writing nothing:
    /// the same checks, the rows it would import and those the platform
    /// already holds.
    pub async fn check_item_import(
        &self,
        scope: &Scope,
        agency: &str,
        rows: &[ImportedItem],
        today: NaiveDate,
    ) -> Result<ItemsImported> {
        let agency = agency.trim();
        if agency.is_empty() {
            return Err(StoreError::Invalid("机关名称不能为空".into()));
        }
        scope.check(agency, "机关")?;
        check_imported(rows, today)?;
        let mut conn = self.read.acquire().await?;
        let plan = plan_items(&mut conn, scope, agency, rows).await?;
        let (known,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM agencies WHERE name = $1")
            .bind(agency)
            .fetch_one(&mut *conn)
            .await?;
        Ok(ItemsImported {
            imported: plan
                .fresh
                .iter()
                .map(|&i| {
                    let r = &rows[i];
                    (
                        r.line,
                        r.index_no.as_deref().unwrap_or("").trim().to_string(),
                    )
                })
                .collect(),
            agency_created: known == 0 && !plan.fresh.is_empty(),
            already: plan.already,
        })
    }

    // -----------------------------------------------------------------
    // The public side: published items only.

    /// A published item of the agency (`None`: of any agency).
    pub async fn public_item(&self, agency: Option<&str>, id: i64) -> Result<Item> {
        let sql = format!(
            "SELECT {ITEM_COLUMNS} FROM items i WHERE i.id = $1 AND i.status = 'published'"
        );
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.read)
            .await?
            .ok_or_else(|| StoreError::NotFound("信息".into()))?;
        let item = item_from(&row)?;
        if agency.is_some_and(|a| a != item.agency) {
            return Err(StoreError::NotFound("信息".into()));
        }
        Ok(item)
    }

    /// The attachments of a published item.
    pub async fn public_attachments(&self, item: &Item) -> Result<Vec<Attachment>> {
        if item.status != Status::Published {
            return Err(StoreError::NotFound("信息".into()));
        }
        self.attachments_of(item.id).await
    }

    /// An attachment of a published item.
    pub async fn public_attachment(
        &self,
        agency: &str,
        item: i64,
        attachment: i64,
    ) -> Result<(Attachment, Vec<u8>)> {
        self.public_item(Some(agency), item).await?;
        self.attachment_bytes(item, attachment).await
    }

    /// A page of the agency's published items (of a column, or all: the
    /// 目录), newest first.
    pub async fn public_items(
        &self,
        agency: &str,
        column: Option<&str>,
        page: i64,
        per_page: i64,
    ) -> Result<ItemPage> {
        let per_page = per_page.clamp(1, 100);
        let page = page.max(1);
        let (filter, col) = match column {
            Some(c) => (" AND i.column_key = $2", c),
            None => ("", ""),
        };
        let count_sql = format!(
            "SELECT COUNT(*) FROM items i WHERE i.agency = $1 AND i.status = 'published'{filter}"
        );
        let mut cq = sqlx::query_as::<_, (i64,)>(&count_sql).bind(agency);
        if column.is_some() {
            cq = cq.bind(col);
        }
        let (total,) = cq.fetch_one(&self.read).await?;
        let sql = format!(
            "SELECT {ITEM_LIST_COLUMNS} FROM items i WHERE i.agency = $1 AND i.status = 'published'{filter} \
             ORDER BY i.published_on DESC, i.id DESC LIMIT {per_page} OFFSET {}",
            (page - 1) * per_page
        );
        let mut q = sqlx::query(&sql).bind(agency);
        if column.is_some() {
            q = q.bind(col);
        }
        let rows = q
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(item_from)
            .collect::<Result<Vec<_>>>()?;
        Ok(ItemPage {
            rows,
            total,
            page,
            pages: pages(total, per_page),
        })
    }

    /// How many items each column of the agency has published.
    pub async fn public_column_counts(&self, agency: &str) -> Result<Vec<(String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT column_key, COUNT(*) FROM items WHERE agency = $1 AND status = 'published' \
             GROUP BY column_key",
        )
        .bind(agency)
        .fetch_all(&self.read)
        .await?)
    }

    /// The 解读 of an item and the policy it interprets, as far as they are
    /// published: (id, title) of each.
    pub async fn public_links(
        &self,
        item: &Item,
    ) -> Result<(Option<(i64, String)>, Vec<(i64, String)>)> {
        let policy = match item.interprets {
            Some(p) => {
                sqlx::query_as::<_, (i64, String)>(
                    "SELECT id, title FROM items WHERE id = $1 AND status = 'published'",
                )
                .bind(p)
                .fetch_optional(&self.read)
                .await?
            }
            None => None,
        };
        let readings: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, title FROM items WHERE interprets = $1 AND status = 'published' ORDER BY id",
        )
        .bind(item.id)
        .fetch_all(&self.read)
        .await?;
        Ok((policy, readings))
    }

    /// The staff's view of the same links (any status, same agency).
    pub async fn item_links(
        &self,
        scope: &Scope,
        item: &Item,
    ) -> Result<(Option<(i64, String)>, Vec<(i64, String)>)> {
        scope.check(&item.agency, "事项")?;
        let policy = match item.interprets {
            Some(p) => {
                sqlx::query_as::<_, (i64, String)>("SELECT id, title FROM items WHERE id = $1")
                    .bind(p)
                    .fetch_optional(&self.read)
                    .await?
            }
            None => None,
        };
        let readings: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, title FROM items WHERE interprets = $1 ORDER BY id")
                .bind(item.id)
                .fetch_all(&self.read)
                .await?;
        Ok((policy, readings))
    }

    /// Published items for the sitemap, by id, from `offset`: (agency id,
    /// item id, 发布日期).
    pub async fn public_item_ids(
        &self,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<(i64, i64, String)>> {
        Ok(sqlx::query_as(
            "SELECT a.id, i.id, i.published_on FROM items i JOIN agencies a ON a.name = i.agency \
             WHERE i.status = 'published' ORDER BY i.id LIMIT $1 OFFSET $2",
        )
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.read)
        .await?)
    }

    /// How many items are published on the platform.
    pub async fn public_item_count(&self) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM items WHERE status = 'published'")
            .fetch_one(&self.read)
            .await?;
        Ok(n)
    }

    // -----------------------------------------------------------------
    // The search index's feed.

    /// The highest change number so far.
    pub async fn item_change_mark(&self) -> Result<i64> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT value FROM counters WHERE name = 'item_change'")
                .fetch_optional(&self.read)
                .await?;
        Ok(row.map(|r| r.0).unwrap_or(0))
    }

    async fn entries_for(&self, rows: &[AnyRow]) -> Result<Vec<(Item, IndexEntry)>> {
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let item = item_from(r)?;
            let agency_id: i64 = r.try_get(27)?;
            let texts: Vec<(String,)> =
                sqlx::query_as("SELECT text FROM attachments WHERE item = $1 ORDER BY id")
                    .bind(item.id)
                    .fetch_all(&self.read)
                    .await?;
            let mut body = item.body.clone();
            for (t,) in texts {
                if !t.is_empty() {
                    body.push('\n');
                    body.push_str(&t);
                }
            }
            let entry = IndexEntry {
                id: item.id,
                agency_id,
                publisher: item.publisher.clone(),
                index_no: item.index_no.clone(),
                title: item.title.clone(),
                doc_no: item.doc_no.clone(),
                summary: item.summary.clone(),
                body,
                column: item.column.clone(),
                validity: item
                    .validity
                    .map(|v| v.label().to_string())
                    .unwrap_or_default(),
                published_on: item.published_on.unwrap_or(item.written_on),
            };
            out.push((item, entry));
        }
        Ok(out)
    }

    /// Published items for a full rebuild of the index, by id after `after_id`.
    pub async fn index_entries(&self, after_id: i64, limit: i64) -> Result<Vec<IndexEntry>> {
        let sql = format!(
            "SELECT {ITEM_COLUMNS}, a.id FROM items i JOIN agencies a ON a.name = i.agency \
             WHERE i.status = 'published' AND i.id > $1 ORDER BY i.id LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(after_id)
            .bind(limit)
            .fetch_all(&self.read)
            .await?;
        Ok(self
            .entries_for(&rows)
            .await?
            .into_iter()
            .map(|(_, e)| e)
            .collect())
    }

    /// The items changed after `mark`, in order of change: each either
    /// what it now is in public, or `None` (not public: remove it).
    pub async fn index_changes(&self, mark: i64, limit: i64) -> Result<Vec<IndexChange>> {
        let sql = format!(
            "SELECT {ITEM_COLUMNS}, a.id FROM items i JOIN agencies a ON a.name = i.agency \
             WHERE i.change_seq > $1 ORDER BY i.change_seq LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(mark)
            .bind(limit)
            .fetch_all(&self.read)
            .await?;
        Ok(self
            .entries_for(&rows)
            .await?
            .into_iter()
            .map(|(item, entry)| IndexChange {
                id: item.id,
                seq: item.change_seq,
                entry: (item.status == Status::Published).then_some(entry),
            })
            .collect())
    }

    // -----------------------------------------------------------------
    // 指南

    /// The agency's particulars (empty ones when never set; the 第二十一条
    /// level guessed from its name until set).
    pub async fn profile(&self, agency: &str) -> Result<Profile> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT data FROM agency_profiles WHERE agency = $1")
                .bind(agency)
                .fetch_optional(&self.read)
                .await?;
        let mut p: Profile = match row {
            Some((data,)) => serde_json::from_str(&data)
                .map_err(|_| StoreError::Invalid(format!("数据库中{agency}的基本信息无法读取")))?,
            None => Profile::default(),
        };
        if p.local_level.is_none() {
            p.local_level = Some(rules::LocalLevel::guess(agency));
        }
        Ok(p)
    }

    /// Sets the agency's particulars.
    pub async fn put_profile(
        &self,
        actor: &str,
        scope: &Scope,
        agency: &str,
        p: &Profile,
    ) -> Result<()> {
        scope.check(agency, "机关")?;
        let fields = [
            (&p.code, "索引号机构代码", 40),
            (&p.office, "工作机构名称", 100),
            (&p.address, "办公地址", 200),
            (&p.postcode, "邮政编码", 20),
            (&p.hours, "办公时间", 200),
            (&p.telephone, "联系电话", 100),
            (&p.fax, "传真", 100),
            (&p.email, "电子邮箱", 100),
            (&p.website, "互联网渠道", 200),
        ];
        for (v, what, max) in fields {
            if v.chars().count() > max {
                return Err(StoreError::Invalid(format!("{what}不能超过{max}个字")));
            }
        }
        if !p
            .code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(StoreError::Invalid(
                "索引号机构代码只能由字母、数字和“-”组成".into(),
            ));
        }
        let before = self.profile(agency).await?;
        let data = serde_json::to_string(p).unwrap_or_default();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO agency_profiles (agency, data, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (agency) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
        )
        .bind(agency)
        .bind(&data)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            actor,
            "agency.profile",
            agency,
            Some(serde_json::to_value(before).unwrap_or_default()),
            Some(serde_json::to_value(p).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The 指南 as last edited: (version, body, by, at); `None` when never
    /// edited (the generated one is shown).
    pub async fn guide(&self, agency: &str) -> Result<Option<(i64, String, String, String)>> {
        Ok(sqlx::query_as(
            "SELECT version, body, edited_by, edited_at FROM guides WHERE agency = $1 \
             ORDER BY version DESC LIMIT 1",
        )
        .bind(agency)
        .fetch_optional(&self.read)
        .await?)
    }

    /// Every edited version of the 指南, newest first (without bodies).
    pub async fn guide_versions(
        &self,
        scope: &Scope,
        agency: &str,
    ) -> Result<Vec<(i64, String, String)>> {
        scope.check(agency, "机关")?;
        Ok(sqlx::query_as(
            "SELECT version, edited_by, edited_at FROM guides WHERE agency = $1 ORDER BY version DESC",
        )
        .bind(agency)
        .fetch_all(&self.read)
        .await?)
    }

    /// One version of the 指南.
    pub async fn guide_version(&self, scope: &Scope, agency: &str, version: i64) -> Result<String> {
        scope.check(agency, "机关")?;
        let row: Option<(String,)> =
            sqlx::query_as("SELECT body FROM guides WHERE agency = $1 AND version = $2")
                .bind(agency)
                .bind(version)
                .fetch_optional(&self.read)
                .await?;
        row.map(|r| r.0)
            .ok_or_else(|| StoreError::NotFound("指南版本".into()))
    }

    /// Saves an edited 指南 as a new version.
    pub async fn put_guide(
        &self,
        actor: &str,
        scope: &Scope,
        agency: &str,
        body: &str,
    ) -> Result<i64> {
        scope.check(agency, "机关")?;
        let body = body.trim();
        if body.is_empty() {
            return Err(StoreError::Invalid("指南不能为空".into()));
        }
        if body.chars().count() > 50_000 {
            return Err(StoreError::Invalid("指南不能超过50000个字".into()));
        }
        let mut tx = self.pool.begin().await?;
        let (version,): (i64,) =
            sqlx::query_as("SELECT COALESCE(MAX(version), 0) + 1 FROM guides WHERE agency = $1")
                .bind(agency)
                .fetch_one(&mut *tx)
                .await?;
        sqlx::query(
            "INSERT INTO guides (agency, version, body, edited_by, edited_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(agency)
        .bind(version)
        .bind(body)
        .bind(actor)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            actor,
            "guide.edit",
            agency,
            None,
            Some(json!({ "version": version, "chars": body.chars().count() })),
        )
        .await?;
        tx.commit().await?;
        Ok(version)
    }

    // -----------------------------------------------------------------
    // 年报

    /// Publishes the agency's annual report of a year in its 专栏 (a
    /// corrected report is published as a new version; earlier ones stay).
    #[allow(clippy::too_many_arguments)]
    pub async fn publish_report(
        &self,
        actor: &str,
        scope: &Scope,
        agency: &str,
        year: i32,
        report_json: &str,
        errors: i64,
        warnings: i64,
        today: NaiveDate,
    ) -> Result<i64> {
        scope.check(agency, "机关")?;
        if year >= today.year() {
            return Err(StoreError::Invalid(format!(
                "{year}年尚未结束，不能发布该年度的年度报告"
            )));
        }
        let mut tx = self.pool.begin().await?;
        let (version,): (i64,) = sqlx::query_as(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM published_reports WHERE agency = $1 AND year = $2",
        )
        .bind(agency)
        .bind(year as i64)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO published_reports (agency, year, version, published_on, published_by, report, errors, warnings) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(agency)
        .bind(year as i64)
        .bind(version)
        .bind(date_str(today))
        .bind(actor)
        .bind(report_json)
        .bind(errors)
        .bind(warnings)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            actor,
            "report.publish",
            &format!("{agency}/{year}"),
            None,
            Some(json!({ "version": version, "errors": errors, "warnings": warnings })),
        )
        .await?;
        tx.commit().await?;
        Ok(version)
    }

    /// The agency's published reports, the newest version of each year,
    /// newest year first (without the report itself).
    pub async fn published_reports(&self, agency: &str) -> Result<Vec<PublishedReport>> {
        let rows: Vec<(i64, i64, String, String, i64, i64)> = sqlx::query_as(
            "SELECT p.year, p.version, p.published_on, p.published_by, p.errors, p.warnings \
             FROM published_reports p WHERE p.agency = $1 AND p.version = \
             (SELECT MAX(version) FROM published_reports q WHERE q.agency = p.agency AND q.year = p.year) \
             ORDER BY p.year DESC",
        )
        .bind(agency)
        .fetch_all(&self.read)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(PublishedReport {
                    agency: agency.to_string(),
                    year: r.0 as i32,
                    version: r.1,
                    published_on: parse_date(&r.2)?,
                    published_by: r.3,
                    report: String::new(),
                    errors: r.4,
                    warnings: r.5,
                })
            })
            .collect()
    }

    /// The newest published version of the agency's report of a year.
    pub async fn published_report(&self, agency: &str, year: i32) -> Result<PublishedReport> {
        let row: Option<(i64, String, String, String, i64, i64)> = sqlx::query_as(
            "SELECT version, published_on, published_by, report, errors, warnings FROM published_reports \
             WHERE agency = $1 AND year = $2 ORDER BY version DESC LIMIT 1",
        )
        .bind(agency)
        .bind(year as i64)
        .fetch_optional(&self.read)
        .await?;
        let r = row.ok_or_else(|| StoreError::NotFound(format!("{year}年度报告")))?;
        Ok(PublishedReport {
            agency: agency.to_string(),
            year,
            version: r.0,
            published_on: parse_date(&r.1)?,
            published_by: r.2,
            report: r.3,
            errors: r.4,
            warnings: r.5,
        })
    }
}

/// The day an agency's annual report of `year` is due: 31 January of the
/// next year for a department, 31 March for a government (第五十条).
pub fn report_due(kind: &str, year: i32) -> NaiveDate {
    let month = if kind == "government" { 3 } else { 1 };
    NaiveDate::from_ymd_opt(year + 1, month, 31).unwrap_or(NaiveDate::MIN)
}
