//! Applications, their events, and the other ledgers, with the audit log.

use chrono::{Datelike, NaiveDate};
use gongkai_casework::calendar::Calendar;
use gongkai_casework::clock::{self, CaseState, Stage};
use gongkai_casework::import::ImportReport;
use gongkai_casework::model::{
    Applicant, ApplicantKind, Application, Channel, Enforcement, Event, EventKind, LegalCase,
    NewApplication, NormativeDocument,
};
use serde::Serialize;
use serde_json::{json, Value};
use sqlx::{Any, Transaction};

use crate::{date_str, now, parse_date, Result, Store, StoreError};

pub(crate) type Tx<'a> = Transaction<'a, Any>;

/// A case as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseRow {
    pub agency: String,
    pub number: String,
    pub source_number: String,
    pub applicant_kind: String,
    pub applicant_name: String,
    pub channel: String,
    pub received_on: String,
    pub request: String,
    pub stage: String,
    pub due_on: Option<String>,
    pub closed_on: Option<String>,
    pub outcome: Option<String>,
}

/// A case whose deadline is near or past.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DueRow {
    pub case: CaseRow,
    /// Working days left; negative when overdue.
    pub days_left: i64,
    pub provisional: bool,
}

/// Which cases to list.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub agency: Option<String>,
    /// Received in this year.
    pub year: Option<i32>,
    /// Only cases not yet closed.
    pub open_only: bool,
    pub limit: Option<i64>,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

pub(crate) const CASE_COLUMNS: &str =
    "agency, number, source_number, applicant_kind, applicant_name, channel, \
     received_on, request, stage, due_on, closed_on, outcome";

pub(crate) type CaseTuple = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

pub(crate) fn case_row(t: CaseTuple) -> CaseRow {
    CaseRow {
        agency: t.0,
        number: t.1,
        source_number: t.2,
        applicant_kind: t.3,
        applicant_name: t.4,
        channel: t.5,
        received_on: t.6,
        request: t.7,
        stage: t.8,
        due_on: t.9,
        closed_on: t.10,
        outcome: t.11,
    }
}

fn stage_key(s: Stage) -> &'static str {
    match s {
        Stage::Open => "open",
        Stage::AwaitingCorrection => "awaiting_correction",
        Stage::Consulting => "consulting",
        Stage::AwaitingPayment => "awaiting_payment",
        Stage::Closed => "closed",
    }
}

/// The application as the audit log may see it: no name, identity document or contact.
fn redacted(agency: &str, number: &str, a: &NewApplication) -> Value {
    json!({
        "agency": agency,
        "number": number,
        "source_number": a.number,
        "applicant_kind": a.applicant.kind,
        "channel": a.channel,
        "received_on": date_str(a.received_on),
        "request": a.request,
        "form": a.form,
    })
}

fn state_json(s: &CaseState) -> Value {
    json!({
        "stage": stage_key(s.stage),
        "due_on": s.due_on.map(date_str),
        "closed_on": s.closed.map(|c| date_str(c.0)),
        "outcome": s.closed.map(|c| c.1.key()),
    })
}

/// Appends an audit entry inside the transaction.
pub(crate) async fn audit(
    tx: &mut Tx<'_>,
    actor: &str,
    action: &str,
    entity: &str,
    before: Option<Value>,
    after: Option<Value>,
) -> Result<()> {
    let seq = bump_counter(tx, "audit", 1).await?;
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, entity, before_state, after_state) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(seq)
    .bind(now())
    .bind(actor)
    .bind(action)
    .bind(entity)
    .bind(before.map(|v| v.to_string()))
    .bind(after.map(|v| v.to_string()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Adds `by` to a counter and returns its new value.
pub(crate) async fn bump_counter(tx: &mut Tx<'_>, name: &str, by: i64) -> Result<i64> {
    let (value,): (i64,) = sqlx::query_as(
        "INSERT INTO counters (name, value) VALUES ($1, $2) \
         ON CONFLICT (name) DO UPDATE SET value = counters.value + $2 RETURNING value",
    )
    .bind(name)
    .bind(by)
    .fetch_one(&mut **tx)
    .await?;
    Ok(value)
}

fn number_for(year: i32, seq: i64) -> String {
    format!("{year}-{seq:04}")
}

/// The derived columns of a case from its state.
struct Derived {
    stage: &'static str,
    due_on: Option<String>,
    closed_on: Option<String>,
    outcome: Option<&'static str>,
    provisional: i64,
    warnings: String,
}

fn derived(s: &CaseState) -> Derived {
    Derived {
        stage: stage_key(s.stage),
        due_on: s.due_on.map(date_str),
        closed_on: s.closed.map(|c| date_str(c.0)),
        outcome: s.closed.map(|c| c.1.key()),
        provisional: s.provisional as i64,
        warnings: serde_json::to_string(&s.warnings).unwrap_or_else(|_| "[]".into()),
    }
}

async fn write_derived(tx: &mut Tx<'_>, agency: &str, number: &str, s: &CaseState) -> Result<()> {
    let d = derived(s);
    sqlx::query(
        "UPDATE applications SET stage = $1, due_on = $2, closed_on = $3, outcome = $4, \
         provisional = $5, warnings = $6, updated_at = $7 WHERE agency = $8 AND number = $9",
    )
    .bind(d.stage)
    .bind(d.due_on)
    .bind(d.closed_on)
    .bind(d.outcome)
    .bind(d.provisional)
    .bind(d.warnings)
    .bind(now())
    .bind(agency)
    .bind(number)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A value bound into a multi-row insert.
enum Val {
    Text(String),
    MaybeText(Option<String>),
    Int(i64),
}

/// `INSERT INTO <head> VALUES (…), (…)` with `$n` placeholders, in chunks that
/// keep under both databases' limits on bound parameters.
async fn insert_rows(tx: &mut Tx<'_>, head: &str, rows: Vec<Vec<Val>>) -> Result<()> {
    let Some(width) = rows.first().map(Vec::len) else {
        return Ok(());
    };
    // Small statements: the cost of binding grows faster than the number of
    // parameters in one statement (on SQLite, 21 rows of 1,000 parameters load
    // 12,000 applications a second, 4 rows of 100 load 19,000; `ledger bench`).
    let per_statement = (100 / width.max(1)).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Val>> = rows.by_ref().take(per_statement).collect();
        let mut sql = format!("INSERT INTO {head} VALUES ");
        for i in 0..chunk.len() {
            sql.push_str(if i > 0 { ",(" } else { "(" });
            for c in 0..width {
                if c > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!("${}", i * width + c + 1));
            }
            sql.push(')');
        }
        let mut q = sqlx::query(&sql);
        for row in chunk {
            for v in row {
                q = match v {
                    Val::Text(t) => q.bind(t),
                    Val::MaybeText(t) => q.bind(t),
                    Val::Int(n) => q.bind(n),
                };
            }
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// The columns of an event row.
fn event_row(agency: &str, number: &str, seq: i64, e: &Event, stamp: &str) -> Result<Vec<Val>> {
    let data = serde_json::to_string(e).map_err(|x| StoreError::Invalid(x.to_string()))?;
    let kind = serde_json::to_value(&e.kind)
        .ok()
        .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_string))
        .unwrap_or_default();
    Ok(vec![
        Val::Text(agency.to_string()),
        Val::Text(number.to_string()),
        Val::Int(seq),
        Val::Text(date_str(e.on)),
        Val::Text(kind),
        Val::Text(data),
        Val::Text(e.actor.clone()),
        Val::Text(e.note.clone()),
        Val::Text(stamp.to_string()),
    ])
}

const EVENT_COLUMNS: &str =
    "events (agency, number, seq, on_date, kind, data, actor, note, recorded_at)";

async fn insert_event(
    tx: &mut Tx<'_>,
    agency: &str,
    number: &str,
    seq: i64,
    e: &Event,
) -> Result<()> {
    let row = event_row(agency, number, seq, e, &now())?;
    insert_rows(tx, EVENT_COLUMNS, vec![row]).await
}

async fn load_events(tx: &mut Tx<'_>, agency: &str, number: &str) -> Result<Vec<Event>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT data FROM events WHERE agency = $1 AND number = $2 ORDER BY seq")
            .bind(agency)
            .bind(number)
            .fetch_all(&mut **tx)
            .await?;
    rows.into_iter()
        .map(|(d,)| {
            serde_json::from_str(&d)
                .map_err(|e| StoreError::Invalid(format!("申请{number}的办理记录无法读取：{e}")))
        })
        .collect()
}

async fn received_on(tx: &mut Tx<'_>, agency: &str, number: &str) -> Result<NaiveDate> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT received_on FROM applications WHERE agency = $1 AND number = $2")
            .bind(agency)
            .bind(number)
            .fetch_optional(&mut **tx)
            .await?;
    match row {
        Some((d,)) => parse_date(&d),
        None => Err(StoreError::NotFound(format!("{agency}的申请{number}"))),
    }
}

/// What identifies an imported application: the office's number, the day
/// of receipt and the request; the applicant too when there is no number.
type ImportKey = (String, String, String, String);

fn import_key(source: &str, received: &str, request: &str, name: &str) -> ImportKey {
    let source = source.trim().to_string();
    let name = if source.is_empty() {
        name.trim().to_string()
    } else {
        String::new()
    };
    (
        source,
        received.to_string(),
        request.trim().to_string(),
        name,
    )
}

/// What loading a calendar file did, or would do.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalendarLoad {
    /// False when the file would replace years already in the calendar and
    /// replacing was not asked for: nothing was written.
    pub applied: bool,
    /// Years the calendar did not have.
    pub added: Vec<i32>,
    /// Years it had, with different days.
    pub replaced: Vec<i32>,
    /// The open cases whose deadline moves (or would move).
    pub moved: Vec<MovedDeadline>,
    /// Open cases in the ledger.
    pub open: usize,
}

/// An open case whose deadline a calendar change moves.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MovedDeadline {
    pub agency: String,
    pub number: String,
    pub before: Option<NaiveDate>,
    pub after: Option<NaiveDate>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportOutcome {
    /// The numbers given to the applications imported.
    pub imported: Vec<String>,
    /// Rows the ledger already held: the row's line and the number it has.
    pub already: Vec<(usize, String)>,
}

/// Registers an agency inside a transaction (idempotent); true when it
/// did not exist.
pub(crate) async fn ensure_agency_in(tx: &mut Tx<'_>, actor: &str, name: &str) -> Result<bool> {
    insert_agency(tx, actor, name, true).await
}

/// Registers an agency unless it exists: on the portal, or known only to a
/// supervisor's review. True when it was created.
pub(crate) async fn insert_agency(
    tx: &mut Tx<'_>,
    actor: &str,
    name: &str,
    on_portal: bool,
) -> Result<bool> {
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::Invalid("机关名称不能为空".into()));
    }
    let done = sqlx::query(
        "INSERT INTO agencies (name, created_at, on_portal) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(now())
    .bind(i64::from(on_portal))
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    let id = bump_counter(tx, "agency", 1).await?;
    let kind = if name.ends_with("人民政府") || name.ends_with("办事处") {
        "government"
    } else {
        "department"
    };
    sqlx::query("UPDATE agencies SET id = $1, kind = $2 WHERE name = $3")
        .bind(id)
        .bind(kind)
        .bind(name)
        .execute(&mut **tx)
        .await?;
    let after = if on_portal {
        json!({ "name": name })
    } else {
        json!({ "name": name, "on_portal": false })
    };
    audit(tx, actor, "agency.create", name, None, Some(after)).await?;
    Ok(true)
}

impl Store {
    /// Registers an agency (idempotent).
    pub async fn ensure_agency(&self, actor: &str, name: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        ensure_agency_in(&mut tx, actor, name).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether the ledger holds nothing yet: no agency, and so no application,
    /// document, figure or case.
    pub async fn is_empty(&self) -> Result<bool> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM agencies")
            .fetch_one(&self.pool)
            .await?;
        Ok(n == 0)
    }

    /// The agencies in the ledger, by name.
    pub async fn agencies(&self) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as("SELECT name FROM agencies ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Sets the reconsideration body and the court named in reply letters.
    pub async fn set_agency_remedies(
        &self,
        actor: &str,
        agency: &str,
        review_body: &str,
        court: &str,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let before: Option<(String, String)> =
            sqlx::query_as("SELECT review_body, court FROM agencies WHERE name = $1")
                .bind(agency)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(before) = before else {
            return Err(StoreError::NotFound(format!("机关“{agency}”")));
        };
        sqlx::query("UPDATE agencies SET review_body = $1, court = $2 WHERE name = $3")
            .bind(review_body)
            .bind(court)
            .bind(agency)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            actor,
            "agency.remedies",
            agency,
            Some(json!({ "review_body": before.0, "court": before.1 })),
            Some(json!({ "review_body": review_body, "court": court })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The reconsideration body and the court of an agency.
    pub async fn agency_remedies(&self, agency: &str) -> Result<(String, String)> {
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT review_body, court FROM agencies WHERE name = $1")
                .bind(agency)
                .fetch_optional(&self.pool)
                .await?;
        row.ok_or_else(|| StoreError::NotFound(format!("机关“{agency}”")))
    }

    /// Records a new application and returns its number (`2025-0017`).
    pub async fn add_application(
        &self,
        actor: &str,
        agency: &str,
        new: &NewApplication,
        as_of: NaiveDate,
    ) -> Result<String> {
        if let Some(why) = new.problem(as_of) {
            return Err(StoreError::Invalid(why));
        }
        let mut tx = self.pool.begin().await?;
        ensure_agency_in(&mut tx, actor, agency).await?;
        let numbers = self
            .insert_applications(&mut tx, actor, agency, &[(new, &[])], as_of)
            .await?;
        tx.commit().await?;
        Ok(numbers.into_iter().next().unwrap_or_default())
    }

    /// Imports a 台账 read by `gongkai_casework::import`: the whole file in one
    /// transaction, or nothing when any row could not be read. Applications
    /// the ledger already holds (the same office number, day of receipt and
    /// request — and applicant, when the office gave no number) are
    /// recognised and left alone, so importing a file again changes nothing.
    /// The agency is created in the same transaction, and only when there is
    /// something to import.
    pub async fn import_applications(
        &self,
        actor: &str,
        agency: &str,
        report: &ImportReport,
        as_of: NaiveDate,
    ) -> Result<ImportOutcome> {
        if !report.is_ok() {
            return Err(StoreError::Import(Box::new(report.clone())));
        }
        let agency = agency.trim();
        if agency.is_empty() {
            return Err(StoreError::Invalid("机关名称不能为空".into()));
        }
        let doubtful: Vec<String> = report
            .rows
            .iter()
            .filter_map(|r| {
                r.application
                    .problem(as_of)
                    .map(|why| format!("第{}行：{why}", r.line))
            })
            .collect();
        if !doubtful.is_empty() {
            return Err(StoreError::Invalid(format!(
                "台账中有{}行不能导入，整个文件未导入：\n  {}",
                doubtful.len(),
                doubtful.join("\n  ")
            )));
        }
        let mut tx = self.pool.begin().await?;
        let held: Vec<(String, String, String, String, String)> = sqlx::query_as(
            "SELECT source_number, received_on, request, applicant_name, number \
             FROM applications WHERE agency = $1",
        )
        .bind(agency)
        .fetch_all(&mut *tx)
        .await?;
        let mut known: std::collections::HashMap<ImportKey, String> = held
            .into_iter()
            .map(|(source, received, request, name, number)| {
                (import_key(&source, &received, &request, &name), number)
            })
            .collect();
        let mut already = Vec::new();
        let mut fresh = Vec::new();
        for r in &report.rows {
            let a = &r.application;
            let key = import_key(
                a.number.as_deref().unwrap_or(""),
                &date_str(a.received_on),
                &a.request,
                &a.applicant.name,
            );
            match known.get(&key) {
                Some(number) => already.push((r.line, number.clone())),
                None => {
                    known.insert(key, String::new());
                    fresh.push(r);
                }
            }
        }
        if fresh.is_empty() {
            tx.rollback().await?;
            return Ok(ImportOutcome {
                imported: Vec::new(),
                already,
            });
        }
        ensure_agency_in(&mut tx, actor, agency).await?;
        let rows: Vec<(&NewApplication, Vec<Event>)> = fresh
            .iter()
            .map(|r| {
                let reply: Vec<Event> = r
                    .reply
                    .iter()
                    .map(|&(on, outcome)| Event {
                        on,
                        kind: if outcome == gongkai_casework::model::Outcome::OTHER
                            && r.note.contains("撤回")
                        {
                            EventKind::Withdrawn
                        } else {
                            EventKind::Replied {
                                outcome,
                                responsible: None,
                            }
                        },
                        actor: actor.to_string(),
                        note: format!("由台账第{}行导入", r.line),
                    })
                    .collect();
                (&r.application, reply)
            })
            .collect();
        let mut numbers = Vec::with_capacity(rows.len());
        for chunk in rows.chunks(1000) {
            let refs: Vec<(&NewApplication, &[Event])> =
                chunk.iter().map(|(a, e)| (*a, e.as_slice())).collect();
            numbers.extend(
                self.insert_applications(&mut tx, actor, agency, &refs, as_of)
                    .await?,
            );
        }
        audit(
            &mut tx,
            actor,
            "ledger.import",
            agency,
            None,
            Some(json!({ "rows": numbers.len(), "already_held": already.len(), "sheet": report.sheet })),
        )
        .await?;
        tx.commit().await?;
        Ok(ImportOutcome {
            imported: numbers,
            already,
        })
    }

    /// Inserts applications with their events, in multi-row statements.
    pub(crate) async fn insert_applications(
        &self,
        tx: &mut Tx<'_>,
        actor: &str,
        agency: &str,
        rows: &[(&NewApplication, &[Event])],
        as_of: NaiveDate,
    ) -> Result<Vec<String>> {
        // Numbers per year of receipt.
        let mut numbers = Vec::with_capacity(rows.len());
        let mut years: Vec<i32> = rows.iter().map(|(a, _)| a.received_on.year()).collect();
        years.sort_unstable();
        years.dedup();
        let mut next: std::collections::HashMap<i32, i64> = Default::default();
        for y in years {
            let n = rows
                .iter()
                .filter(|(a, _)| a.received_on.year() == y)
                .count() as i64;
            let last = bump_counter(tx, &format!("application:{agency}:{y}"), n).await?;
            next.insert(y, last - n + 1);
        }
        let stamp = now();
        let cal = self.calendar();
        let mut states = Vec::with_capacity(rows.len());
        for (a, event) in rows {
            let y = a.received_on.year();
            let seq = next.get_mut(&y).expect("counted above");
            let number = number_for(y, *seq);
            *seq += 1;
            let state = clock::evaluate(&cal, a.received_on, event, as_of)
                .map_err(|e| StoreError::Invalid(format!("申请{number}：{}", e.message)))?;
            states.push((number.clone(), y, *seq - 1, state));
            numbers.push(number);
        }
        // The applications, their events and their audit entries, each in
        // multi-row inserts.
        let mut app_rows = Vec::with_capacity(rows.len());
        let mut event_rows = Vec::new();
        let mut audit_rows = Vec::with_capacity(rows.len());
        let last_audit = bump_counter(tx, "audit", rows.len() as i64).await?;
        let first_audit = last_audit - rows.len() as i64 + 1;
        for (i, ((a, events), (number, y, seq, state))) in rows.iter().zip(&states).enumerate() {
            let d = derived(state);
            app_rows.push(vec![
                Val::Text(agency.to_string()),
                Val::Text(number.clone()),
                Val::Int(*y as i64),
                Val::Int(*seq),
                Val::Text(a.number.clone().unwrap_or_default()),
                Val::Text(a.applicant.kind.column_key().to_string()),
                Val::Text(a.applicant.name.clone()),
                Val::Text(a.applicant.id_document.clone()),
                Val::Text(a.applicant.contact.clone()),
                Val::Text(a.channel.key().to_string()),
                Val::Text(date_str(a.received_on)),
                Val::Text(a.request.clone()),
                Val::Text(a.form.clone()),
                Val::Text(d.stage.to_string()),
                Val::MaybeText(d.due_on),
                Val::MaybeText(d.closed_on),
                Val::MaybeText(d.outcome.map(str::to_string)),
                Val::Int(d.provisional),
                Val::Text(d.warnings),
                Val::Text(stamp.clone()),
                Val::Text(stamp.clone()),
            ]);
            for (k, e) in events.iter().enumerate() {
                event_rows.push(event_row(agency, number, k as i64 + 1, e, &stamp)?);
            }
            let mut after = redacted(agency, number, a);
            after["state"] = state_json(state);
            audit_rows.push(vec![
                Val::Int(first_audit + i as i64),
                Val::Text(stamp.clone()),
                Val::Text(actor.to_string()),
                Val::Text("application.create".to_string()),
                Val::Text(format!("{agency}/{number}")),
                Val::MaybeText(None),
                Val::MaybeText(Some(after.to_string())),
            ]);
        }
        insert_rows(
            tx,
            "applications (agency, number, year, seq, source_number, applicant_kind, \
             applicant_name, applicant_id_document, applicant_contact, channel, received_on, request, \
             form, stage, due_on, closed_on, outcome, provisional, warnings, created_at, updated_at)",
            app_rows,
        )
        .await?;
        insert_rows(tx, EVENT_COLUMNS, event_rows).await?;
        insert_rows(
            tx,
            "audit_log (seq, at, actor, action, entity, before_state, after_state)",
            audit_rows,
        )
        .await?;
        Ok(numbers)
    }

    /// Inserts generated cases (applications with their timelines) in batches,
    /// in one transaction. Returns how many were inserted.
    pub async fn insert_sample(
        &self,
        actor: &str,
        agency: &str,
        cases: &[gongkai_casework::sample::SampleCase],
        as_of: NaiveDate,
    ) -> Result<usize> {
        let mut tx = self.pool.begin().await?;
        ensure_agency_in(&mut tx, actor, agency).await?;
        for chunk in cases.chunks(1000) {
            let refs: Vec<(&NewApplication, &[Event])> = chunk
                .iter()
                .map(|c| (&c.application, c.events.as_slice()))
                .collect();
            self.insert_applications(&mut tx, actor, agency, &refs, as_of)
                .await?;
        }
        tx.commit().await?;
        Ok(cases.len())
    }

    /// One application with its timeline.
    pub async fn application(&self, agency: &str, number: &str) -> Result<Application> {
        let mut tx = self.pool.begin().await?;
        type Row = (
            String,
            String,
            String,
            String,
            String,
            String,
            String,
            String,
        );
        let row: Option<Row> =
            sqlx::query_as(
                "SELECT applicant_kind, applicant_name, applicant_id_document, applicant_contact, \
                 channel, received_on, request, form FROM applications WHERE agency = $1 AND number = $2",
            )
            .bind(agency)
            .bind(number)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(r) = row else {
            return Err(StoreError::NotFound(format!("{agency}的申请{number}")));
        };
        let events = load_events(&mut tx, agency, number).await?;
        tx.commit().await?;
        let kind = serde_json::from_value::<ApplicantKind>(Value::String(r.0.clone()))
            .map_err(|_| StoreError::Invalid(format!("申请人类型“{}”无法读取", r.0)))?;
        let channel = serde_json::from_value::<Channel>(Value::String(r.4.clone()))
            .map_err(|_| StoreError::Invalid(format!("申请方式“{}”无法读取", r.4)))?;
        Ok(Application {
            agency: agency.to_string(),
            number: number.to_string(),
            applicant: Applicant {
                kind,
                name: r.1,
                id_document: r.2,
                contact: r.3,
            },
            channel,
            received_on: parse_date(&r.5)?,
            request: r.6,
            form: r.7,
            events,
        })
    }

    /// The state of a case as of a day.
    pub async fn case_state(
        &self,
        agency: &str,
        number: &str,
        as_of: NaiveDate,
    ) -> Result<CaseState> {
        let a = self.application(agency, number).await?;
        Ok(clock::evaluate(
            &self.calendar(),
            a.received_on,
            &a.events,
            as_of,
        )?)
    }

    /// Adds an event to a case, after the deadline clock has accepted it.
    pub async fn add_event(
        &self,
        agency: &str,
        number: &str,
        event: Event,
        as_of: NaiveDate,
    ) -> Result<CaseState> {
        let mut tx = self.pool.begin().await?;
        let state = self
            .add_event_in(&mut tx, agency, number, event, as_of)
            .await?;
        tx.commit().await?;
        Ok(state)
    }

    /// [`Store::add_event`] inside a transaction of the caller's.
    pub(crate) async fn add_event_in(
        &self,
        tx: &mut Tx<'_>,
        agency: &str,
        number: &str,
        event: Event,
        as_of: NaiveDate,
    ) -> Result<CaseState> {
        let tx = &mut *tx;
        let received = received_on(tx, agency, number).await?;
        let events = load_events(tx, agency, number).await?;
        let before = clock::evaluate(&self.calendar(), received, &events, as_of)?;
        let state = clock::append(&self.calendar(), received, &events, &event, as_of)?;
        insert_event(tx, agency, number, events.len() as i64 + 1, &event).await?;
        write_derived(tx, agency, number, &state).await?;
        let mut after = serde_json::to_value(&event).unwrap_or(Value::Null);
        after["state"] = state_json(&state);
        audit(
            tx,
            &event.actor,
            "application.event",
            &format!("{agency}/{number}"),
            Some(state_json(&before)),
            Some(after),
        )
        .await?;
        Ok(state)
    }

    /// Lists cases.
    pub async fn list(&self, filter: &ListFilter) -> Result<Vec<CaseRow>> {
        let mut sql = format!("SELECT {CASE_COLUMNS} FROM applications WHERE 1 = 1");
        let mut n = 0;
        let mut arg = |sql: &mut String, clause: &str| {
            n += 1;
            sql.push_str(&clause.replace('?', &format!("${n}")));
        };
        if filter.agency.is_some() {
            arg(&mut sql, " AND agency = ?");
        }
        if filter.year.is_some() {
            arg(&mut sql, " AND year = ?");
        }
        if filter.open_only {
            sql.push_str(" AND stage <> 'closed'");
        }
        sql.push_str(" ORDER BY agency, received_on, number");
        if filter.limit.is_some() {
            arg(&mut sql, " LIMIT ?");
        }
        let mut q = sqlx::query_as::<_, CaseTuple>(&sql);
        if let Some(a) = &filter.agency {
            q = q.bind(a.clone());
        }
        if let Some(y) = filter.year {
            q = q.bind(y as i64);
        }
        if let Some(l) = filter.limit {
            q = q.bind(l);
        }
        Ok(q.fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(case_row)
            .collect())
    }

    /// Open cases due within `within` working days, and overdue ones, most
    /// urgent first. Runs [`Store::sweep`] first so lapsed cases are closed.
    pub async fn due(
        &self,
        actor: &str,
        agency: Option<&str>,
        as_of: NaiveDate,
        within: i64,
    ) -> Result<Vec<DueRow>> {
        self.sweep(actor, agency, as_of).await?;
        let mut sql = format!(
            "SELECT {CASE_COLUMNS}, provisional FROM applications WHERE stage <> 'closed' AND due_on IS NOT NULL"
        );
        if agency.is_some() {
            sql.push_str(" AND agency = $1");
        }
        sql.push_str(" ORDER BY due_on, agency, number");
        let mut q = sqlx::query(&sql);
        if let Some(a) = agency {
            q = q.bind(a);
        }
        use sqlx::Row;
        let rows = q.fetch_all(&self.pool).await?;
        let mut out = Vec::new();
        for r in rows {
            let case = case_row((
                r.try_get(0)?,
                r.try_get(1)?,
                r.try_get(2)?,
                r.try_get(3)?,
                r.try_get(4)?,
                r.try_get(5)?,
                r.try_get(6)?,
                r.try_get(7)?,
                r.try_get(8)?,
                r.try_get(9)?,
                r.try_get(10)?,
                r.try_get(11)?,
            ));
            let provisional: i64 = r.try_get(12)?;
            let Some(due) = case.due_on.as_deref().map(parse_date).transpose()? else {
                continue;
            };
            let days_left = self.calendar().signed_working_days(as_of, due);
            if days_left <= within {
                out.push(DueRow {
                    case,
                    days_left,
                    provisional: provisional != 0,
                });
            }
        }
        Ok(out)
    }

    /// Re-evaluates open cases as of a day: closes those whose correction or
    /// payment period ran out (a `Lapsed` event by `actor`), and refreshes the
    /// deadlines of the others. Returns how many cases lapsed.
    pub async fn sweep(
        &self,
        actor: &str,
        agency: Option<&str>,
        as_of: NaiveDate,
    ) -> Result<usize> {
        self.recompute(actor, agency, as_of, true).await
    }

    pub(crate) async fn recompute(
        &self,
        actor: &str,
        agency: Option<&str>,
        as_of: NaiveDate,
        record_lapses: bool,
    ) -> Result<usize> {
        let mut sql = String::from(
            "SELECT agency, number, received_on, stage, due_on, provisional, warnings \
             FROM applications WHERE stage <> 'closed'",
        );
        if agency.is_some() {
            sql.push_str(" AND agency = $1");
        }
        type Open = (String, String, String, String, Option<String>, i64, String);
        let mut q = sqlx::query_as::<_, Open>(&sql);
        if let Some(a) = agency {
            q = q.bind(a);
        }
        let open = q.fetch_all(&self.pool).await?;
        let mut lapsed = 0;
        let cal = self.calendar();
        let mut tx = self.pool.begin().await?;
        for (agency, number, received, stage, due_on, provisional, warnings) in open {
            let received = parse_date(&received)?;
            let events = load_events(&mut tx, &agency, &number).await?;
            let state = clock::evaluate(&cal, received, &events, as_of)?;
            match state.lapse {
                Some((on, outcome)) if record_lapses => {
                    let event = Event {
                        on,
                        kind: EventKind::Lapsed { outcome },
                        actor: actor.to_string(),
                        note: "期限届满，系统自动办结".into(),
                    };
                    let closed = clock::append(&cal, received, &events, &event, as_of)?;
                    insert_event(&mut tx, &agency, &number, events.len() as i64 + 1, &event)
                        .await?;
                    write_derived(&mut tx, &agency, &number, &closed).await?;
                    audit(
                        &mut tx,
                        actor,
                        "application.lapse",
                        &format!("{agency}/{number}"),
                        Some(state_json(&state)),
                        Some(state_json(&closed)),
                    )
                    .await?;
                    lapsed += 1;
                }
                _ => {
                    let d = derived(&state);
                    let unchanged = d.stage == stage
                        && d.due_on == due_on
                        && d.provisional == provisional
                        && d.warnings == warnings;
                    if !unchanged {
                        write_derived(&mut tx, &agency, &number, &state).await?;
                    }
                }
            }
        }
        tx.commit().await?;
        Ok(lapsed)
    }

    /// Loads years of the working-day calendar (the data file an administrator
    /// extends each December) and recomputes the deadlines of open cases.
    /// A year the calendar already has (shipped or loaded before) is replaced
    /// only when `replace` is set; otherwise nothing is written and the
    /// outcome lists the years and the open cases whose deadline would move.
    pub async fn load_calendar(
        &self,
        actor: &str,
        text: &str,
        as_of: NaiveDate,
        replace: bool,
    ) -> Result<CalendarLoad> {
        let extra = Calendar::parse(text)
            .map_err(|e| StoreError::Invalid(format!("工作日历文件有误：{e}")))?;
        let current = self.calendar();
        let known = current.years();
        let mut updated = (*current).clone();
        let changed = updated.extend(&extra);
        let replaced: Vec<i32> = changed
            .iter()
            .copied()
            .filter(|y| known.contains(y))
            .collect();
        let added: Vec<i32> = changed
            .iter()
            .copied()
            .filter(|y| !known.contains(y))
            .collect();
        let moved = self.moved_deadlines(&updated, as_of).await?;
        let open = self.count_open(None).await?;
        if !replaced.is_empty() && !replace {
            return Ok(CalendarLoad {
                applied: false,
                added,
                replaced,
                moved,
                open,
            });
        }
        let mut tx = self.pool.begin().await?;
        for year in extra.years() {
            let data = extra.year_only(year).to_toml();
            sqlx::query(
                "INSERT INTO calendar_years (year, data, loaded_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (year) DO UPDATE SET data = excluded.data, loaded_at = excluded.loaded_at",
            )
            .bind(year as i64)
            .bind(data)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        }
        audit(
            &mut tx,
            actor,
            "calendar.load",
            "calendar",
            None,
            Some(json!({
                "years": extra.years(),
                "added": added,
                "replaced": replaced,
                "moved": moved.len(),
            })),
        )
        .await?;
        tx.commit().await?;
        self.set_calendar(updated);
        if !changed.is_empty() {
            self.recompute(actor, None, as_of, false).await?;
        }
        Ok(CalendarLoad {
            applied: true,
            added,
            replaced,
            moved,
            open,
        })
    }

    /// The open cases whose deadline differs under `cal` from the one stored.
    async fn moved_deadlines(
        &self,
        cal: &Calendar,
        as_of: NaiveDate,
    ) -> Result<Vec<MovedDeadline>> {
        let open: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT agency, number, received_on, due_on FROM applications \
             WHERE stage <> 'closed' ORDER BY agency, number",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut tx = self.pool.begin().await?;
        let mut moved = Vec::new();
        for (agency, number, received, due_on) in open {
            let received = parse_date(&received)?;
            let events = load_events(&mut tx, &agency, &number).await?;
            let state = clock::evaluate(cal, received, &events, as_of)?;
            let before = due_on.as_deref().map(parse_date).transpose()?;
            if state.due_on != before {
                moved.push(MovedDeadline {
                    agency,
                    number,
                    before,
                    after: state.due_on,
                });
            }
        }
        tx.rollback().await?;
        Ok(moved)
    }

    async fn count_open(&self, agency: Option<&str>) -> Result<usize> {
        let (n,): (i64,) = match agency {
            Some(a) => {
                sqlx::query_as(
                    "SELECT COUNT(*) FROM applications WHERE stage <> 'closed' AND agency = $1",
                )
                .bind(a)
                .fetch_one(&self.pool)
                .await?
            }
            None => {
                sqlx::query_as("SELECT COUNT(*) FROM applications WHERE stage <> 'closed'")
                    .fetch_one(&self.pool)
                    .await?
            }
        };
        Ok(n as usize)
    }

    /// The applicant's applications to this agency in the calendar month of
    /// `number`'s receipt, up to and including it: the basis of 按件计收.
    pub async fn nth_in_month(&self, agency: &str, number: &str) -> Result<u32> {
        let a = self.application(agency, number).await?;
        let month = a.received_on.format("%Y-%m-").to_string();
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM applications WHERE agency = $1 AND applicant_name = $2 \
             AND applicant_id_document = $3 AND received_on LIKE $4 \
             AND (received_on < $5 OR (received_on = $5 AND number <= $6))",
        )
        .bind(agency)
        .bind(&a.applicant.name)
        .bind(&a.applicant.id_document)
        .bind(format!("{month}%"))
        .bind(date_str(a.received_on))
        .bind(number)
        .fetch_one(&self.pool)
        .await?;
        Ok(n.max(1) as u32)
    }

    /// Records or replaces a normative document.
    pub async fn put_document(
        &self,
        actor: &str,
        agency: &str,
        doc: &NormativeDocument,
    ) -> Result<()> {
        self.ensure_agency(actor, agency).await?;
        if doc.repealed_on.is_some_and(|r| r < doc.issued_on) {
            return Err(StoreError::Invalid(format!(
                "文件{}的废止日期早于印发日期",
                doc.number
            )));
        }
        let linked: Option<(Option<i64>,)> =
            sqlx::query_as("SELECT item FROM documents WHERE agency = $1 AND number = $2")
                .bind(agency)
                .bind(&doc.number)
                .fetch_optional(&self.pool)
                .await?;
        if let Some((Some(item),)) = linked {
            return Err(StoreError::Invalid(format!(
                "文件{}经主动公开流程发布（事项编号{item}），其印发和废止由该事项的审核流程记录，请在“主动公开”中办理",
                doc.number
            )));
        }
        let mut tx = self.pool.begin().await?;
        let before: Option<(String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT kind, title, issued_on, repealed_on FROM documents WHERE agency = $1 AND number = $2",
        )
        .bind(agency)
        .bind(&doc.number)
        .fetch_optional(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO documents (agency, number, kind, title, issued_on, repealed_on) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (agency, number) DO UPDATE SET \
             kind = excluded.kind, title = excluded.title, issued_on = excluded.issued_on, \
             repealed_on = excluded.repealed_on",
        )
        .bind(agency)
        .bind(&doc.number)
        .bind(doc.kind.row_key())
        .bind(&doc.title)
        .bind(date_str(doc.issued_on))
        .bind(doc.repealed_on.map(date_str))
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            actor,
            "document.put",
            &format!("{agency}/{}", doc.number),
            before.map(
                |b| json!({ "kind": b.0, "title": b.1, "issued_on": b.2, "repealed_on": b.3 }),
            ),
            Some(serde_json::to_value(doc).unwrap_or(Value::Null)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the year's enforcement figures.
    pub async fn put_enforcement(
        &self,
        actor: &str,
        agency: &str,
        year: i32,
        e: &Enforcement,
    ) -> Result<()> {
        self.ensure_agency(actor, agency).await?;
        if e.license < 0
            || e.penalty < 0
            || e.coercion < 0
            || e.fee_amount.is_nan()
            || e.fee_amount < 0.0
        {
            return Err(StoreError::Invalid("执法数据不能为负数".into()));
        }
        let mut tx = self.pool.begin().await?;
        let before: Option<(i64, i64, i64, f64)> = sqlx::query_as(
            "SELECT license, penalty, coercion, fee_amount FROM enforcement WHERE agency = $1 AND year = $2",
        )
        .bind(agency)
        .bind(year as i64)
        .fetch_optional(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO enforcement (agency, year, license, penalty, coercion, fee_amount) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (agency, year) DO UPDATE SET \
             license = excluded.license, penalty = excluded.penalty, coercion = excluded.coercion, \
             fee_amount = excluded.fee_amount",
        )
        .bind(agency)
        .bind(year as i64)
        .bind(e.license)
        .bind(e.penalty)
        .bind(e.coercion)
        .bind(e.fee_amount)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            actor,
            "enforcement.put",
            &format!("{agency}/{year}"),
            before.map(
                |b| json!({ "license": b.0, "penalty": b.1, "coercion": b.2, "fee_amount": b.3 }),
            ),
            Some(serde_json::to_value(e).unwrap_or(Value::Null)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records or replaces a reconsideration or lawsuit.
    pub async fn put_case(&self, actor: &str, agency: &str, case: &LegalCase) -> Result<()> {
        self.ensure_agency(actor, agency).await?;
        if case.decided.is_some_and(|(d, _)| d < case.filed_on) {
            return Err(StoreError::Invalid(format!(
                "案件{}的审结日期早于立案日期",
                case.number
            )));
        }
        let mut tx = self.pool.begin().await?;
        let before: Option<(String, String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT kind, filed_on, decided_on, result FROM legal_cases WHERE agency = $1 AND number = $2",
        )
        .bind(agency)
        .bind(&case.number)
        .fetch_optional(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO legal_cases (agency, number, kind, filed_on, decided_on, result) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (agency, number) DO UPDATE SET \
             kind = excluded.kind, filed_on = excluded.filed_on, decided_on = excluded.decided_on, \
             result = excluded.result",
        )
        .bind(agency)
        .bind(&case.number)
        .bind(case.kind.row_key())
        .bind(date_str(case.filed_on))
        .bind(case.decided.map(|d| date_str(d.0)))
        .bind(case.decided.map(|d| d.1.column_key()))
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            actor,
            "case.put",
            &format!("{agency}/{}", case.number),
            before
                .map(|b| json!({ "kind": b.0, "filed_on": b.1, "decided_on": b.2, "result": b.3 })),
            Some(serde_json::to_value(case).unwrap_or(Value::Null)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets the narrative of a section (`general`, `problems`, `other`) for a year.
    pub async fn put_narrative(
        &self,
        actor: &str,
        agency: &str,
        year: i32,
        section: &str,
        body: &str,
    ) -> Result<()> {
        if !gongkai_casework::annual::NARRATIVE_SECTIONS
            .iter()
            .any(|s| s.as_str() == section)
        {
            return Err(StoreError::Invalid(format!(
                "只能填写第一、五、六部分（general、problems、other），不能填写“{section}”"
            )));
        }
        self.ensure_agency(actor, agency).await?;
        let mut tx = self.pool.begin().await?;
        let before: Option<(String,)> = sqlx::query_as(
            "SELECT body FROM narratives WHERE agency = $1 AND year = $2 AND section = $3",
        )
        .bind(agency)
        .bind(year as i64)
        .bind(section)
        .fetch_optional(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO narratives (agency, year, section, body) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (agency, year, section) DO UPDATE SET body = excluded.body",
        )
        .bind(agency)
        .bind(year as i64)
        .bind(section)
        .bind(body)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            actor,
            "narrative.put",
            &format!("{agency}/{year}/{section}"),
            before.map(|b| json!(b.0)),
            Some(json!(body)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces a reply-letter template for an agency.
    pub async fn put_letter_template(
        &self,
        actor: &str,
        agency: &str,
        key: &str,
        body: &str,
    ) -> Result<()> {
        self.ensure_agency(actor, agency).await?;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO letter_templates (agency, template_key, body) VALUES ($1, $2, $3) \
             ON CONFLICT (agency, template_key) DO UPDATE SET body = excluded.body",
        )
        .bind(agency)
        .bind(key)
        .bind(body)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            actor,
            "letter_template.put",
            &format!("{agency}/{key}"),
            None,
            Some(json!(body)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The agency's own letter templates.
    pub async fn letter_templates(&self, agency: &str) -> Result<Vec<(String, String)>> {
        Ok(sqlx::query_as(
            "SELECT template_key, body FROM letter_templates WHERE agency = $1 ORDER BY template_key",
        )
        .bind(agency)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The latest audit entries, newest first.
    pub async fn audit_log(&self, limit: i64) -> Result<Vec<AuditEntry>> {
        type Row = (
            i64,
            String,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT seq, at, actor, action, entity, before_state, after_state FROM audit_log \
                 ORDER BY seq DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        Ok(rows
            .into_iter()
            .map(|r| AuditEntry {
                seq: r.0,
                at: r.1,
                actor: r.2,
                action: r.3,
                entity: r.4,
                before: parse(r.5),
                after: parse(r.6),
            })
            .collect())
    }
}
