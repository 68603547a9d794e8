//! The web system's view of the applications: online submissions with their
//! lookup codes, the case list with filters and paging, the to-do counts of
//! the dashboard, and approvals asked of a 负责人. Every query runs under a
//! [`Scope`].

use chrono::NaiveDate;
use gongkai_casework::clock::CaseState;
use gongkai_casework::model::{Event, EventKind, NewApplication};
use serde::Serialize;
use serde_json::json;

use crate::access::Scope;
use crate::ledger::{audit, bump_counter, CaseRow, CASE_COLUMNS};
use crate::{date_str, now, Result, Store, StoreError};

/// Filters, search, order and page of the case list.
#[derive(Debug, Clone, Default)]
pub struct CaseQuery {
    pub agency: Option<String>,
    /// A stage key (`open`, `awaiting_correction`, …), or `not_closed`.
    pub stage: Option<String>,
    pub channel: Option<String>,
    pub applicant_kind: Option<String>,
    pub outcome: Option<String>,
    /// Received on or after.
    pub from: Option<NaiveDate>,
    /// Received on or before.
    pub to: Option<NaiveDate>,
    /// Words in the number, the request or the applicant's name.
    pub text: Option<String>,
    /// `received` (default), `due`, `number`, `closed`; `-` first for descending.
    pub sort: Option<String>,
    /// From 1.
    pub page: i64,
    pub per_page: i64,
}

/// One page of the case list.
#[derive(Debug, Clone, Serialize)]
pub struct CasePage {
    pub rows: Vec<CaseRow>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

/// The dashboard's counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Todo {
    /// Open, due within the next days asked for (today included).
    pub due_soon: i64,
    pub overdue: i64,
    pub awaiting_correction: i64,
    pub consulting: i64,
    pub awaiting_payment: i64,
    pub pending_approvals: i64,
    /// Received in the year.
    pub received_this_year: i64,
    /// Closed in the year.
    pub closed_this_year: i64,
    pub open: i64,
}

/// A request awaiting a 负责人's decision, or decided.
#[derive(Debug, Clone, Serialize)]
pub struct Approval {
    pub id: i64,
    pub agency: String,
    pub number: String,
    pub kind: String,
    pub data: serde_json::Value,
    pub requested_by: String,
    pub requested_at: String,
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub reason: String,
}

/// What an online submission gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    pub number: String,
    /// False when the same form had already been submitted: the number is
    /// that of the first submission.
    pub fresh: bool,
}

type ApprovalRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
);

fn approval(r: ApprovalRow) -> Approval {
    Approval {
        id: r.0,
        agency: r.1,
        number: r.2,
        kind: r.3,
        data: serde_json::from_str(&r.4).unwrap_or(serde_json::Value::Null),
        requested_by: r.5,
        requested_at: r.6,
        status: r.7,
        decided_by: r.8,
        decided_at: r.9,
        reason: r.10,
    }
}

const APPROVAL_COLUMNS: &str = "id, agency, number, kind, data, requested_by, requested_at, \
                                status, decided_by, decided_at, reason";

impl Store {
    /// Records an application submitted on the portal, with the hash of its
    /// lookup code. `form_key` identifies the form the applicant filled in: a
    /// second submission of it (a double click, a reload) makes no second
    /// application and gives back the first one's number.
    pub async fn submit_online(
        &self,
        agency: &str,
        new: &NewApplication,
        code_hash: &str,
        form_key: &str,
        as_of: NaiveDate,
    ) -> Result<Submitted> {
        if let Some(why) = new.problem(as_of) {
            return Err(StoreError::Invalid(why));
        }
        let mut tx = self.pool.begin().await?;
        let held: Option<(String, String)> =
            sqlx::query_as("SELECT agency, number FROM receipts WHERE form_key = $1")
                .bind(form_key)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some((a, number)) = held {
            tx.rollback().await?;
            if a != agency {
                return Err(StoreError::Invalid("这份申请表已经提交过".into()));
            }
            return Ok(Submitted {
                number,
                fresh: false,
            });
        }
        let known: Option<(String,)> = sqlx::query_as("SELECT name FROM agencies WHERE name = $1")
            .bind(agency)
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_none() {
            return Err(StoreError::NotFound("机关".into()));
        }
        let numbers = self
            .insert_applications(&mut tx, "公众（网上申请）", agency, &[(new, &[])], as_of)
            .await?;
        let number = numbers.into_iter().next().unwrap_or_default();
        sqlx::query(
            "INSERT INTO receipts (agency, number, code_hash, form_key, submitted_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(agency)
        .bind(&number)
        .bind(code_hash)
        .bind(form_key)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Submitted {
            number,
            fresh: true,
        })
    }

    /// Whether `code_hash` opens the application `number` of `agency`.
    pub async fn receipt_matches(
        &self,
        agency: &str,
        number: &str,
        code_hash: &str,
    ) -> Result<bool> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT code_hash FROM receipts WHERE agency = $1 AND number = $2")
                .bind(agency)
                .bind(number)
                .fetch_optional(&self.read)
                .await?;
        Ok(matches!(row, Some((h,)) if h == code_hash))
    }

    /// A case's row, when the scope allows it.
    pub async fn case_row(&self, scope: &Scope, agency: &str, number: &str) -> Result<CaseRow> {
        scope.check(agency, "申请")?;
        let q = CaseQuery {
            agency: Some(agency.to_string()),
            text: None,
            page: 1,
            per_page: 1,
            ..Default::default()
        };
        let (sql, args) = case_sql(scope, &q, Some(number));
        let mut query = sqlx::query_as::<_, crate::ledger::CaseTuple>(&sql);
        for a in &args {
            query = query.bind(a.as_str());
        }
        query
            .fetch_optional(&self.read)
            .await?
            .map(crate::ledger::case_row)
            .ok_or_else(|| StoreError::NotFound("申请".into()))
    }

    /// One page of the case list.
    pub async fn case_page(&self, scope: &Scope, q: &CaseQuery) -> Result<CasePage> {
        let per_page = q.per_page.clamp(1, 500);
        let (where_sql, args) = case_where(scope, q, None);
        let count_sql = format!("SELECT COUNT(*) FROM applications WHERE 1 = 1{where_sql}");
        let mut count = sqlx::query_as::<_, (i64,)>(&count_sql);
        for a in &args {
            count = count.bind(a.as_str());
        }
        let (total,) = count.fetch_one(&self.read).await?;
        let pages = ((total + per_page - 1) / per_page).max(1);
        let page = q.page.clamp(1, pages);
        let order = match q.sort.as_deref().unwrap_or("-received") {
            "received" => "received_on, number",
            "due" => "due_on IS NULL, due_on, received_on",
            "-due" => "due_on IS NULL, due_on DESC, received_on",
            "number" => "number",
            "-number" => "number DESC",
            "closed" => "closed_on, number",
            "-closed" => "closed_on DESC, number DESC",
            _ => "received_on DESC, number DESC",
        };
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM applications WHERE 1 = 1{where_sql} ORDER BY {order}, agency \
             LIMIT {per_page} OFFSET {}",
            (page - 1) * per_page
        );
        let mut query = sqlx::query_as::<_, crate::ledger::CaseTuple>(&sql);
        for a in &args {
            query = query.bind(a.as_str());
        }
        let rows = query
            .fetch_all(&self.read)
            .await?
            .into_iter()
            .map(crate::ledger::case_row)
            .collect();
        Ok(CasePage {
            rows,
            total,
            page,
            pages,
        })
    }

    /// The dashboard's counts for the agencies of the scope, as of `today`,
    /// with "soon" meaning due within `within` working days.
    pub async fn todo(&self, scope: &Scope, today: NaiveDate, within: u32) -> Result<Todo> {
        let soon = date_str(self.calendar().add_working_days(today, within));
        let today_s = date_str(today);
        let year = chrono::Datelike::year(&today);
        let mut next = 0;
        let (scope_sql, scope_args) = scope.sql("agency", &mut next);
        let p = |k: usize| format!("${}", next + k);
        let sql = format!(
            "SELECT \
               COALESCE(SUM(CASE WHEN stage <> 'closed' AND due_on >= {t} AND due_on <= {s} THEN 1 ELSE 0 END), 0), \
               COALESCE(SUM(CASE WHEN stage <> 'closed' AND due_on < {t} THEN 1 ELSE 0 END), 0), \
               COALESCE(SUM(CASE WHEN stage = 'awaiting_correction' THEN 1 ELSE 0 END), 0), \
               COALESCE(SUM(CASE WHEN stage = 'consulting' THEN 1 ELSE 0 END), 0), \
               COALESCE(SUM(CASE WHEN stage = 'awaiting_payment' THEN 1 ELSE 0 END), 0), \
               COUNT(*) \
             FROM applications WHERE stage <> 'closed'{scope_sql}",
            t = p(1),
            s = p(2),
        );
        let mut q = sqlx::query_as::<_, (i64, i64, i64, i64, i64, i64)>(&sql);
        for a in &scope_args {
            q = q.bind(a.as_str());
        }
        let open = q.bind(&today_s).bind(&soon).fetch_one(&self.read).await?;
        let mut next2 = 0;
        let (scope_sql2, scope_args2) = scope.sql("agency", &mut next2);
        let sql = format!(
            "SELECT COUNT(*) FROM applications WHERE year = ${}{scope_sql2}",
            next2 + 1
        );
        let mut q = sqlx::query_as::<_, (i64,)>(&sql);
        for a in &scope_args2 {
            q = q.bind(a.as_str());
        }
        let (received,) = q.bind(year as i64).fetch_one(&self.read).await?;
        let sql = format!(
            "SELECT COUNT(*) FROM applications WHERE closed_on >= ${} AND closed_on <= ${}{scope_sql2}",
            next2 + 1,
            next2 + 2
        );
        let mut q = sqlx::query_as::<_, (i64,)>(&sql);
        for a in &scope_args2 {
            q = q.bind(a.as_str());
        }
        let (closed,) = q
            .bind(format!("{year}-01-01"))
            .bind(format!("{year}-12-31"))
            .fetch_one(&self.read)
            .await?;
        let sql = format!("SELECT COUNT(*) FROM approvals WHERE status = 'pending'{scope_sql2}");
        let mut q = sqlx::query_as::<_, (i64,)>(&sql);
        for a in &scope_args2 {
            q = q.bind(a.as_str());
        }
        let (pending,) = q.fetch_one(&self.read).await?;
        Ok(Todo {
            due_soon: open.0,
            overdue: open.1,
            awaiting_correction: open.2,
            consulting: open.3,
            awaiting_payment: open.4,
            open: open.5,
            pending_approvals: pending,
            received_this_year: received,
            closed_this_year: closed,
        })
    }

    /// Asks a 负责人 to approve something for a case (an extension: `data`
    /// holds the days and the day the applicant will be told).
    pub async fn request_approval(
        &self,
        scope: &Scope,
        actor: &str,
        agency: &str,
        number: &str,
        kind: &str,
        data: serde_json::Value,
    ) -> Result<i64> {
        scope.check(agency, "申请")?;
        let mut tx = self.pool.begin().await?;
        let exists: Option<(String,)> =
            sqlx::query_as("SELECT stage FROM applications WHERE agency = $1 AND number = $2")
                .bind(agency)
                .bind(number)
                .fetch_optional(&mut *tx)
                .await?;
        match exists {
            None => return Err(StoreError::NotFound("申请".into())),
            Some((stage,)) if stage == "closed" => {
                return Err(StoreError::Invalid("申请已经办结".into()))
            }
            _ => {}
        }
        let pending: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM approvals WHERE agency = $1 AND number = $2 AND kind = $3 AND status = 'pending'",
        )
        .bind(agency)
        .bind(number)
        .bind(kind)
        .fetch_optional(&mut *tx)
        .await?;
        if pending.is_some() {
            return Err(StoreError::Invalid("已有一项同类请求等待负责人审批".into()));
        }
        let id = bump_counter(&mut tx, "approval", 1).await?;
        sqlx::query(&format!(
            "INSERT INTO approvals ({APPROVAL_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', NULL, NULL, '')"
        ))
        .bind(id)
        .bind(agency)
        .bind(number)
        .bind(kind)
        .bind(data.to_string())
        .bind(actor)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            actor,
            "approval.request",
            &format!("{agency}/{number}"),
            None,
            Some(json!({ "id": id, "kind": kind, "data": data })),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Approvals of the scope: pending ones first, then the latest decided.
    pub async fn approvals(
        &self,
        scope: &Scope,
        case: Option<(&str, &str)>,
        pending_only: bool,
    ) -> Result<Vec<Approval>> {
        let mut next = 0;
        let (scope_sql, args) = scope.sql("agency", &mut next);
        let mut sql = format!("SELECT {APPROVAL_COLUMNS} FROM approvals WHERE 1 = 1{scope_sql}");
        if case.is_some() {
            sql.push_str(&format!(
                " AND agency = ${} AND number = ${}",
                next + 1,
                next + 2
            ));
        }
        if pending_only {
            sql.push_str(" AND status = 'pending'");
        }
        sql.push_str(" ORDER BY status <> 'pending', id DESC LIMIT 200");
        let mut q = sqlx::query_as::<_, ApprovalRow>(&sql);
        for a in &args {
            q = q.bind(a.as_str());
        }
        if let Some((a, n)) = case {
            q = q.bind(a).bind(n);
        }
        Ok(q.fetch_all(&self.read)
            .await?
            .into_iter()
            .map(approval)
            .collect())
    }

    /// A 负责人 decides on a request. Approving an extension records it on
    /// the case in the same transaction: when the clock refuses it (the
    /// deadline has passed, an extension was already granted), nothing is
    /// recorded and the request stays pending.
    pub async fn decide_approval(
        &self,
        scope: &Scope,
        actor: &str,
        id: i64,
        approve: bool,
        reason: &str,
        as_of: NaiveDate,
    ) -> Result<Option<CaseState>> {
        let mut tx = self.pool.begin().await?;
        let row: Option<ApprovalRow> = sqlx::query_as(&format!(
            "SELECT {APPROVAL_COLUMNS} FROM approvals WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(a) = row.map(approval) else {
            return Err(StoreError::NotFound("审批事项".into()));
        };
        scope.check(&a.agency, "审批事项")?;
        if a.status != "pending" {
            return Err(StoreError::Invalid("这项请求已经审批过".into()));
        }
        let mut state = None;
        if approve && a.kind == "extension" {
            let days = a.data.get("days").and_then(|v| v.as_u64()).unwrap_or(20) as u32;
            let notified = a
                .data
                .get("notify_on")
                .and_then(|v| v.as_str())
                .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                .unwrap_or(as_of)
                .max(as_of);
            let event = Event {
                on: as_of,
                kind: EventKind::Extended {
                    days,
                    approver: actor.to_string(),
                    applicant_notified_on: notified,
                },
                actor: a.requested_by.clone(),
                note: a
                    .data
                    .get("note")
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string(),
            };
            state = Some(
                self.add_event_in(&mut tx, &a.agency, &a.number, event, as_of)
                    .await?,
            );
        }
        sqlx::query(
            "UPDATE approvals SET status = $1, decided_by = $2, decided_at = $3, reason = $4 WHERE id = $5",
        )
        .bind(if approve { "approved" } else { "refused" })
        .bind(actor)
        .bind(now())
        .bind(reason)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            actor,
            if approve {
                "approval.approve"
            } else {
                "approval.refuse"
            },
            &format!("{}/{}", a.agency, a.number),
            None,
            Some(json!({ "id": id, "kind": a.kind, "reason": reason })),
        )
        .await?;
        tx.commit().await?;
        Ok(state)
    }
}

/// The WHERE clause (after `WHERE 1 = 1`) of a case query, with its arguments.
fn case_where(scope: &Scope, q: &CaseQuery, number: Option<&str>) -> (String, Vec<String>) {
    let mut next = 0;
    let (mut sql, mut args) = scope.sql("agency", &mut next);
    let mut add = |sql: &mut String, clause: &str, a: String| {
        next += 1;
        sql.push_str(&clause.replace('?', &format!("${next}")));
        args.push(a);
    };
    if let Some(a) = &q.agency {
        add(&mut sql, " AND agency = ?", a.clone());
    }
    if let Some(n) = number {
        add(&mut sql, " AND number = ?", n.to_string());
    }
    match q.stage.as_deref() {
        Some("not_closed") => sql.push_str(" AND stage <> 'closed'"),
        Some(s) if !s.is_empty() => add(&mut sql, " AND stage = ?", s.to_string()),
        _ => {}
    }
    if let Some(c) = q.channel.as_deref().filter(|s| !s.is_empty()) {
        add(&mut sql, " AND channel = ?", c.to_string());
    }
    if let Some(k) = q.applicant_kind.as_deref().filter(|s| !s.is_empty()) {
        add(&mut sql, " AND applicant_kind = ?", k.to_string());
    }
    if let Some(o) = q.outcome.as_deref().filter(|s| !s.is_empty()) {
        add(&mut sql, " AND outcome = ?", o.to_string());
    }
    if let Some(d) = q.from {
        add(&mut sql, " AND received_on >= ?", date_str(d));
    }
    if let Some(d) = q.to {
        add(&mut sql, " AND received_on <= ?", date_str(d));
    }
    if let Some(t) = q.text.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let escaped: String = t
            .chars()
            .take(100)
            .flat_map(|c| match c {
                '%' | '_' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        let pattern = format!("%{escaped}%");
        next += 1;
        let k = next;
        sql.push_str(&format!(
            " AND (number LIKE ${k} ESCAPE '\\' OR request LIKE ${k} ESCAPE '\\' \
             OR applicant_name LIKE ${k} ESCAPE '\\' OR source_number LIKE ${k} ESCAPE '\\')"
        ));
        args.push(pattern);
    }
    (sql, args)
}

fn case_sql(scope: &Scope, q: &CaseQuery, number: Option<&str>) -> (String, Vec<String>) {
    let (w, args) = case_where(scope, q, number);
    (
        format!("SELECT {CASE_COLUMNS} FROM applications WHERE 1 = 1{w}"),
        args,
    )
}
