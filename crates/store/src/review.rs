//! What a supervising office's review keeps: the agencies under it with
//! their region, level and former names (a roster imported, or the
//! agencies already on the platform), the report files it collected (kept
//! with their bytes, each report matched to an agency and year or listed
//! with its problem), and the reports to review — those files and the
//! reports its agencies published on this platform.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;

use crate::access::Scope;
use crate::ledger::{audit, bump_counter, insert_agency};
use crate::{date_str, now, Result, Store, StoreError};

/// An agency as the review sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RosterAgency {
    pub id: i64,
    pub name: String,
    pub parent: Option<String>,
    pub kind: String,
    pub region: String,
    pub level: String,
    /// Whether it has its 专栏 and application portal here.
    pub on_portal: bool,
    pub former_names: Vec<String>,
}

/// An agency of a roster to import.
#[derive(Debug, Clone)]
pub struct RosterRow {
    pub name: String,
    /// The agency it reports to, by name (none: the supervisor itself).
    pub parent: Option<String>,
    pub kind: String,
    pub region: String,
    pub level: String,
    pub former_names: Vec<String>,
}

/// What a roster import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RosterImported {
    /// Agencies created (known only to the review until they go on the portal).
    pub created: usize,
    /// Agencies already there, placed and described as the roster says.
    pub updated: usize,
    /// Of those, agencies of the review only found under a former name and
    /// renamed (their reports stay one series).
    pub renamed: usize,
}

/// A supervising office's thresholds for its review (see
/// `gongkai_review::similar::Settings` and `gongkai_review::ChangeSettings`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ReviewSettings {
    /// The share of a section's own wording found elsewhere (0 to 1).
    pub copy_threshold: f64,
    /// Sections with fewer characters of their own are not compared.
    pub copy_min_chars: i64,
    /// A change from the year before relative to the larger year (0.5: half).
    pub change_ratio: f64,
    /// … and of at least this many items.
    pub change_items: i64,
}

/// A report file collected, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewFile {
    pub id: i64,
    pub supervisor: String,
    pub batch: i64,
    pub file_name: String,
    pub part: i64,
    pub sha256: String,
    pub named: String,
    pub agency: Option<String>,
    pub year: Option<i32>,
    pub published_on: Option<NaiveDate>,
    /// `matched`, `unmatched`, `ambiguous`, `unreadable`, `no_year`, `duplicate`.
    pub status: String,
    pub problem: String,
    pub uploaded_by: String,
    pub uploaded_at: String,
}

impl ReviewFile {
    pub fn status_label(&self) -> &'static str {
        match self.status.as_str() {
            "matched" => "已对应",
            "unmatched" => "未对应到机关",
            "ambiguous" => "可能属于几个机关",
            "unreadable" => "无法读取",
            "no_year" => "年度不明",
            "duplicate" => "重复文件",
            _ => "—",
        }
    }
}

/// A report file to keep.
#[derive(Debug, Clone)]
pub struct NewReviewFile {
    pub file_name: String,
    pub part: i64,
    pub sha256: String,
    pub content: Vec<u8>,
    pub named: String,
    pub agency: Option<String>,
    pub year: Option<i32>,
    pub published_on: Option<NaiveDate>,
    pub status: String,
    pub problem: String,
    /// The report as read (gongkai's JSON).
    pub report: Option<String>,
}

/// A report to review: a file collected, or a report published here.
#[derive(Debug, Clone)]
pub struct ReviewSource {
    /// `f{id}` for a file, `p{agency id}-{year}` for a published report.
    pub key: String,
    pub agency: String,
    pub year: i32,
    pub published_on: Option<NaiveDate>,
    /// gongkai's JSON of the report.
    pub report: String,
    /// Where it came from, in words.
    pub label: String,
}

type FileRow = (
    i64,
    String,
    i64,
    String,
    i64,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
    String,
    String,
    String,
    String,
);

const FILE_COLUMNS: &str = "id, supervisor, batch, file_name, part, sha256, named, agency, year, \
     published_on, status, problem, uploaded_by, uploaded_at";

fn file(r: FileRow) -> ReviewFile {
    ReviewFile {
        id: r.0,
        supervisor: r.1,
        batch: r.2,
        file_name: r.3,
        part: r.4,
        sha256: r.5,
        named: r.6,
        agency: r.7,
        year: r.8.map(|y| y as i32),
        published_on: r
            .9
            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        status: r.10,
        problem: r.11,
        uploaded_by: r.12,
        uploaded_at: r.13,
    }
}

/// The counter of the files a supervisor collected.
fn files_counter(supervisor: &str) -> String {
    format!("review_files:{supervisor}")
}

fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    /// The agencies a scope reaches, with what the review needs of them.
    pub async fn review_roster(&self, scope: &Scope) -> Result<Vec<RosterAgency>> {
        let mut next = 0;
        let (where_sql, args) = scope.sql("name", &mut next);
        let sql = format!(
            "SELECT id, name, parent, kind, region, level, on_portal FROM agencies \
             WHERE 1 = 1{where_sql} ORDER BY id"
        );
        let mut q =
            sqlx::query_as::<_, (i64, String, Option<String>, String, String, String, i64)>(&sql);
        for a in &args {
            q = q.bind(a.as_str());
        }
        let rows = q.fetch_all(&self.read).await?;
        let mut next = 0;
        let (where_sql, args) = scope.sql("agency", &mut next);
        let sql = format!(
            "SELECT agency, former FROM agency_names WHERE 1 = 1{where_sql} ORDER BY agency, former"
        );
        let mut q = sqlx::query_as::<_, (String, String)>(&sql);
        for a in &args {
            q = q.bind(a.as_str());
        }
        let names = q.fetch_all(&self.read).await?;
        Ok(rows
            .into_iter()
            .map(|r| RosterAgency {
                former_names: names
                    .iter()
                    .filter(|n| n.0 == r.1)
                    .map(|n| n.1.clone())
                    .collect(),
                id: r.0,
                name: r.1,
                parent: r.2,
                kind: r.3,
                region: r.4,
                level: r.5,
                on_portal: r.6 != 0,
            })
            .collect())
    }

    /// Imports a roster under `supervisor`, all or nothing: creates the
    /// agencies not yet here (known only to the review: not on the portal),
    /// and places every agency under its parent (or the supervisor) with its
    /// kind, region, level and former names. An agency already placed under
    /// another supervisor is refused: a supervisor takes over no one's agency.
    pub async fn import_roster(
        &self,
        actor: &str,
        supervisor: &str,
        rows: &[RosterRow],
    ) -> Result<RosterImported> {
        let all = self.agency_list().await?;
        let sup = all
            .iter()
            .find(|a| a.name == supervisor)
            .ok_or_else(|| StoreError::NotFound(format!("机关“{supervisor}”")))?;
        // Who is already under the supervisor.
        let mut inside = vec![sup.name.clone()];
        let mut i = 0;
        while i < inside.len() {
            let cur = inside[i].clone();
            for a in &all {
                if a.parent.as_deref() == Some(cur.as_str()) && !inside.contains(&a.name) {
                    inside.push(a.name.clone());
                }
            }
            i += 1;
        }
        let listed: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        let mut problems = Vec::new();
        for r in rows {
            if r.name == supervisor {
                continue;
            }
            if let Some(existing) = all.iter().find(|a| a.name == r.name) {
                if existing.parent.is_some() && !inside.contains(&existing.name) {
                    problems.push(format!("“{}”已属于其他上级机关", r.name));
                }
                // The supervisor's own superiors cannot come under it.
                let mut at = sup.parent.clone();
                let mut steps = 0;
                while let Some(p) = at {
                    if p == r.name || steps > all.len() {
                        problems.push(format!("“{}”是本机关的上级机关", r.name));
                        break;
                    }
                    at = all
                        .iter()
                        .find(|a| a.name == p)
                        .and_then(|a| a.parent.clone());
                    steps += 1;
                }
            }
            if let Some(p) = &r.parent {
                if p != supervisor && !listed.contains(&p.as_str()) && !inside.contains(p) {
                    problems.push(format!("“{}”的上级机关“{p}”不在名单中", r.name));
                }
            }
            if r.kind != "government" && r.kind != "department" {
                problems.push(format!("“{}”的类别“{}”无法识别", r.name, r.kind));
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::Invalid(problems.join("；")));
        }
        // A row whose agency is not here yet but whose former name is an
        // agency of the review only: that agency was renamed.
        let mut renames: Vec<(&str, &str)> = Vec::new();
        for r in rows {
            if all.iter().any(|a| a.name == r.name) {
                continue;
            }
            for f in &r.former_names {
                if f == supervisor
                    || !inside.contains(f)
                    || listed.contains(&f.as_str())
                    || renames.iter().any(|x| x.0 == f)
                {
                    continue;
                }
                let (on_portal,): (i64,) =
                    sqlx::query_as("SELECT on_portal FROM agencies WHERE name = $1")
                        .bind(f.as_str())
                        .fetch_one(&self.read)
                        .await?;
                if on_portal == 0 {
                    renames.push((f.as_str(), r.name.as_str()));
                    break;
                }
            }
        }
        let mut out = RosterImported::default();
        let mut tx = self.pool.begin().await?;
        for (old, new) in &renames {
            rename_in(&mut tx, old, new).await?;
            out.renamed += 1;
        }
        for r in rows {
            if renames.iter().any(|x| x.1 == r.name) {
                out.updated += 1;
                continue;
            }
            let created = insert_agency(&mut tx, actor, &r.name, false).await?;
            if created {
                out.created += 1;
            } else {
                out.updated += 1;
            }
        }
        for r in rows {
            let parent = if r.name == supervisor {
                sup.parent.clone()
            } else {
                Some(r.parent.clone().unwrap_or_else(|| supervisor.to_string()))
            };
            sqlx::query(
                "UPDATE agencies SET parent = $1, kind = $2, region = $3, level = $4 WHERE name = $5",
            )
            .bind(parent.as_deref())
            .bind(&r.kind)
            .bind(&r.region)
            .bind(&r.level)
            .bind(&r.name)
            .execute(&mut *tx)
            .await?;
            for f in &r.former_names {
                sqlx::query(
                    "INSERT INTO agency_names (agency, former) VALUES ($1, $2) \
                     ON CONFLICT (agency, former) DO NOTHING",
                )
                .bind(&r.name)
                .bind(f)
                .execute(&mut *tx)
                .await?;
            }
        }
        bump_counter(&mut tx, "review_change", 1).await?;
        audit(
            &mut tx,
            actor,
            "review.roster",
            supervisor,
            None,
            Some(json!({ "agencies": rows.len(), "created": out.created })),
        )
        .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Renames an agency of `supervisor`'s review that is known only to the
    /// review (机构改革): its collected files, former names and subordinate
    /// agencies follow it, and the old name becomes a former name, so its
    /// reports under either name stay one series. An agency on the portal
    /// keeps its name here (its cases, items and users are filed under it);
    /// its new name is recorded by listing the old one as a former name of
    /// the new agency.
    pub async fn rename_review_agency(
        &self,
        actor: &str,
        supervisor: &str,
        scope: &Scope,
        old: &str,
        new: &str,
    ) -> Result<()> {
        let new = new.trim();
        scope.check(old, "机关")?;
        if old == supervisor {
            return Err(StoreError::Invalid("本机关的名称不能在审查中更改".into()));
        }
        if new.is_empty() || new.chars().count() > 100 || new.chars().any(char::is_control) {
            return Err(StoreError::Invalid(
                "新名称不能为空，不能超过100个字，也不能含换行等控制字符".into(),
            ));
        }
        if new == old {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        rename_in(&mut tx, old, new).await?;
        bump_counter(&mut tx, "review_change", 1).await?;
        audit(
            &mut tx,
            actor,
            "review.rename",
            new,
            Some(json!({ "name": old })),
            Some(json!({ "name": new })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a former name of an agency in `supervisor`'s scope: reports
    /// under that name are matched to it and read as one series with its own.
    pub async fn add_former_name(
        &self,
        actor: &str,
        scope: &Scope,
        agency: &str,
        former: &str,
    ) -> Result<()> {
        let former = former.trim();
        scope.check(agency, "机关")?;
        if former.is_empty() || former.chars().count() > 100 || former.chars().any(char::is_control)
        {
            return Err(StoreError::Invalid(
                "曾用名不能为空，不能超过100个字，也不能含换行等控制字符".into(),
            ));
        }
        if former == agency {
            return Err(StoreError::Invalid("曾用名与现名称相同".into()));
        }
        let taken: Option<(String,)> = sqlx::query_as("SELECT name FROM agencies WHERE name = $1")
            .bind(former)
            .fetch_optional(&self.read)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Invalid(format!(
                "“{former}”是本平台现有机关的名称，不能作为曾用名；若是同一机关更名，请对“{former}”使用“更名”"
            )));
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO agency_names (agency, former) VALUES ($1, $2) \
             ON CONFLICT (agency, former) DO NOTHING",
        )
        .bind(agency)
        .bind(former)
        .execute(&mut *tx)
        .await?;
        bump_counter(&mut tx, "review_change", 1).await?;
        audit(
            &mut tx,
            actor,
            "review.former_name",
            agency,
            None,
            Some(json!({ "former": former })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Keeps a batch of collected report files for `supervisor`; returns
    /// their ids. A file whose bytes were collected before is kept as a
    /// duplicate naming the first.
    pub async fn add_review_files(
        &self,
        actor: &str,
        supervisor: &str,
        files: Vec<NewReviewFile>,
    ) -> Result<Vec<i64>> {
        let mut tx = self.pool.begin().await?;
        let batch = bump_counter(&mut tx, "review_batch", 1).await?;
        bump_counter(&mut tx, &files_counter(supervisor), files.len() as i64).await?;
        let mut ids = Vec::with_capacity(files.len());
        for mut f in files {
            let before: Option<(i64, String)> = sqlx::query_as(
                "SELECT id, file_name FROM review_files WHERE supervisor = $1 AND sha256 = $2 \
                 AND part = $3 AND status <> 'duplicate' ORDER BY id LIMIT 1",
            )
            .bind(supervisor)
            .bind(&f.sha256)
            .bind(f.part)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((first, name)) = before {
                f.status = "duplicate".into();
                f.problem = format!("与已收集的文件“{name}”（编号 {first}）内容相同，未重复计入");
                f.agency = None;
            }
            let id = bump_counter(&mut tx, "review_file", 1).await?;
            sqlx::query(
                "INSERT INTO review_files (id, supervisor, batch, file_name, part, sha256, content, named, \
                 agency, year, published_on, status, problem, report, uploaded_by, uploaded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
            )
            .bind(id)
            .bind(supervisor)
            .bind(batch)
            .bind(&f.file_name)
            .bind(f.part)
            .bind(&f.sha256)
            .bind(f.content)
            .bind(&f.named)
            .bind(f.agency.as_deref())
            .bind(f.year.map(i64::from))
            .bind(f.published_on.map(date_str))
            .bind(&f.status)
            .bind(&f.problem)
            .bind(f.report.as_deref())
            .bind(actor)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            ids.push(id);
        }
        audit(
            &mut tx,
            actor,
            "review.collect",
            supervisor,
            None,
            Some(json!({ "batch": batch, "files": ids.len() })),
        )
        .await?;
        tx.commit().await?;
        Ok(ids)
    }

    /// The files a supervisor collected, newest first (without their bytes).
    pub async fn review_files(&self, supervisor: &str) -> Result<Vec<ReviewFile>> {
        let rows: Vec<FileRow> = sqlx::query_as(&format!(
            "SELECT {FILE_COLUMNS} FROM review_files WHERE supervisor = $1 ORDER BY id DESC"
        ))
        .bind(supervisor)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(file).collect())
    }

    /// How many of a supervisor's collected reports wait for it: not
    /// matched to an agency, or of no known year.
    pub async fn review_files_open(&self, supervisor: &str) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM review_files WHERE supervisor = $1 \
             AND status IN ('unmatched', 'ambiguous', 'no_year')",
        )
        .bind(supervisor)
        .fetch_one(&self.read)
        .await?;
        Ok(n)
    }

    /// One file a supervisor collected, with its bytes.
    pub async fn review_file(&self, supervisor: &str, id: i64) -> Result<(ReviewFile, Vec<u8>)> {
        let row: Option<FileRow> = sqlx::query_as(&format!(
            "SELECT {FILE_COLUMNS} FROM review_files WHERE supervisor = $1 AND id = $2"
        ))
        .bind(supervisor)
        .bind(id)
        .fetch_optional(&self.read)
        .await?;
        let f = file(row.ok_or_else(|| StoreError::NotFound("文件".into()))?);
        let (content,): (Vec<u8>,) =
            sqlx::query_as("SELECT content FROM review_files WHERE id = $1")
                .bind(id)
                .fetch_one(&self.read)
                .await?;
        Ok((f, content))
    }

    /// Assigns a collected report the supervisor could not match (or
    /// matched wrongly) to an agency in its scope and a year.
    pub async fn assign_review_file(
        &self,
        actor: &str,
        supervisor: &str,
        scope: &Scope,
        id: i64,
        agency: &str,
        year: i32,
    ) -> Result<()> {
        scope.check(agency, "机关")?;
        let (f, _) = self.review_file(supervisor, id).await?;
        if f.status == "unreadable" || f.status == "duplicate" {
            return Err(StoreError::Invalid(format!(
                "“{}”{}，不能指定机关",
                f.file_name,
                f.status_label()
            )));
        }
        if !(2008..=2100).contains(&year) {
            return Err(StoreError::Invalid(format!("年度“{year}”不是有效的年度")));
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE review_files SET agency = $1, year = $2, status = 'matched', problem = '' \
             WHERE id = $3 AND supervisor = $4",
        )
        .bind(agency)
        .bind(i64::from(year))
        .bind(id)
        .bind(supervisor)
        .execute(&mut *tx)
        .await?;
        bump_counter(&mut tx, "review_change", 1).await?;
        audit(
            &mut tx,
            actor,
            "review.assign",
            &format!("{supervisor}#{id}"),
            Some(json!({ "agency": f.agency, "year": f.year, "status": f.status })),
            Some(json!({ "agency": agency, "year": year })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The reports to review of `agencies` for `years`: the files
    /// `supervisor` collected and matched, and the reports the agencies
    /// published on this platform (the latest version, with the day of the
    /// first).
    pub async fn review_sources(
        &self,
        supervisor: &str,
        agencies: &[String],
        years: &[i32],
    ) -> Result<Vec<ReviewSource>> {
        if agencies.is_empty() || years.is_empty() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        // Agencies in chunks, so a region of thousands stays within the
        // databases' limits on parameters.
        for chunk in agencies.chunks(500) {
            let years_sql = placeholders(2 + chunk.len(), years.len());
            let sql = format!(
                "SELECT id, agency, year, published_on, report, file_name, part FROM review_files \
                 WHERE supervisor = $1 AND status = 'matched' AND report IS NOT NULL \
                 AND agency IN ({}) AND year IN ({years_sql}) ORDER BY id",
                placeholders(2, chunk.len())
            );
            let mut q =
                sqlx::query_as::<_, (i64, String, i64, Option<String>, String, String, i64)>(&sql)
                    .bind(supervisor);
            for a in chunk {
                q = q.bind(a.as_str());
            }
            for y in years {
                q = q.bind(i64::from(*y));
            }
            for r in q.fetch_all(&self.read).await? {
                out.push(ReviewSource {
                    key: format!("f{}", r.0),
                    agency: r.1,
                    year: r.2 as i32,
                    published_on: r
                        .3
                        .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                    report: r.4,
                    label: if r.6 > 0 {
                        format!("{}（第 {} 行）", r.5, r.6)
                    } else {
                        r.5
                    },
                });
            }
            let years_sql = placeholders(1 + chunk.len(), years.len());
            let sql = format!(
                "SELECT p.agency, a.id, p.year, p.version, \
                 (SELECT MIN(q.published_on) FROM published_reports q WHERE q.agency = p.agency AND q.year = p.year), \
                 p.report FROM published_reports p JOIN agencies a ON a.name = p.agency \
                 WHERE p.agency IN ({}) AND p.year IN ({years_sql}) AND p.version = \
                 (SELECT MAX(version) FROM published_reports v WHERE v.agency = p.agency AND v.year = p.year)",
                placeholders(1, chunk.len())
            );
            let mut q = sqlx::query_as::<_, (String, i64, i64, i64, String, String)>(&sql);
            for a in chunk {
                q = q.bind(a.as_str());
            }
            for y in years {
                q = q.bind(i64::from(*y));
            }
            for r in q.fetch_all(&self.read).await? {
                out.push(ReviewSource {
                    key: format!("p{}-{}", r.1, r.2),
                    agency: r.0,
                    year: r.2 as i32,
                    published_on: NaiveDate::parse_from_str(&r.4, "%Y-%m-%d").ok(),
                    report: r.5,
                    label: format!("本平台公开（第 {} 版）", r.3),
                });
            }
        }
        Ok(out)
    }

    /// The thresholds a supervisor set for its review; None: the defaults.
    pub async fn review_settings(&self, supervisor: &str) -> Result<Option<ReviewSettings>> {
        let row: Option<(f64, i64, f64, i64)> = sqlx::query_as(
            "SELECT copy_threshold, copy_min_chars, change_ratio, change_items \
             FROM review_settings WHERE supervisor = $1",
        )
        .bind(supervisor)
        .fetch_optional(&self.read)
        .await?;
        Ok(row.map(|r| ReviewSettings {
            copy_threshold: r.0,
            copy_min_chars: r.1,
            change_ratio: r.2,
            change_items: r.3,
        }))
    }

    /// Keeps a supervisor's thresholds; its seasons are computed again.
    pub async fn set_review_settings(
        &self,
        actor: &str,
        supervisor: &str,
        s: &ReviewSettings,
    ) -> Result<()> {
        let before = self.review_settings(supervisor).await?;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO review_settings (supervisor, copy_threshold, copy_min_chars, change_ratio, \
             change_items, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (supervisor) DO UPDATE SET copy_threshold = $2, copy_min_chars = $3, \
             change_ratio = $4, change_items = $5, updated_by = $6, updated_at = $7",
        )
        .bind(supervisor)
        .bind(s.copy_threshold)
        .bind(s.copy_min_chars)
        .bind(s.change_ratio)
        .bind(s.change_items)
        .bind(actor)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        bump_counter(&mut tx, "review_change", 1).await?;
        audit(
            &mut tx,
            actor,
            "review.settings",
            supervisor,
            before.map(|b| json!(b)),
            Some(json!(s)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes whenever what a supervisor's review reads changes: its files
    /// and their assignment, any published report, any agency or its place.
    pub async fn review_stamp(&self, supervisor: &str) -> Result<String> {
        // A counter per supervisor, moved by every batch it collects: the
        // files' rows carry their bytes, and are not read for this.
        let files: Option<(i64,)> = sqlx::query_as("SELECT value FROM counters WHERE name = $1")
            .bind(files_counter(supervisor))
            .fetch_optional(&self.read)
            .await?;
        let assigned: Option<(i64,)> =
            sqlx::query_as("SELECT value FROM counters WHERE name = 'review_change'")
                .fetch_optional(&self.read)
                .await?;
        let published: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM published_reports")
            .fetch_one(&self.read)
            .await?;
        let agencies = self.agency_stamp().await?;
        Ok(format!(
            "{}-{}-{}-{}-{}",
            files.map_or(0, |f| f.0),
            assigned.map_or(0, |a| a.0),
            published.0,
            agencies.0,
            agencies.1
        ))
    }
}

/// Renames an agency known only to the review, inside a transaction: the
/// new row takes the old one's number, place and description; what the
/// review filed under the old name follows; the old name is kept as a
/// former name.
async fn rename_in(tx: &mut crate::ledger::Tx<'_>, old: &str, new: &str) -> Result<()> {
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT COALESCE(id, 0), on_portal FROM agencies WHERE name = $1")
            .bind(old)
            .fetch_optional(&mut **tx)
            .await?;
    let Some((id, on_portal)) = row else {
        return Err(StoreError::NotFound("机关".into()));
    };
    if on_portal != 0 {
        return Err(StoreError::Invalid(format!(
            "“{old}”在本平台开设了专栏，其案件、信息和账号都记在原名称下，不能在审查中更名；\
             请把新机关列入名单，并把“{old}”填为它的曾用名"
        )));
    }
    let taken: Option<(String,)> = sqlx::query_as("SELECT name FROM agencies WHERE name = $1")
        .bind(new)
        .fetch_optional(&mut **tx)
        .await?;
    if taken.is_some() {
        return Err(StoreError::Invalid(format!("本平台已有名为“{new}”的机关")));
    }
    let (users,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE agency = $1")
        .bind(old)
        .fetch_one(&mut **tx)
        .await?;
    if users > 0 {
        return Err(StoreError::Invalid(format!(
            "“{old}”已有登录账号，不能在审查中更名"
        )));
    }
    sqlx::query(
        "INSERT INTO agencies (name, review_body, court, created_at, parent, kind, region, level, on_portal) \
         SELECT $1, review_body, court, created_at, parent, kind, region, level, on_portal \
         FROM agencies WHERE name = $2",
    )
    .bind(new)
    .bind(old)
    .execute(&mut **tx)
    .await?;
    for sql in [
        "UPDATE review_files SET agency = $1 WHERE agency = $2",
        "UPDATE agency_names SET agency = $1 WHERE agency = $2",
        "UPDATE agencies SET parent = $1 WHERE parent = $2",
    ] {
        sqlx::query(sql)
            .bind(new)
            .bind(old)
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query("DELETE FROM agencies WHERE name = $1")
        .bind(old)
        .execute(&mut **tx)
        .await
        .map_err(|_| {
            StoreError::Invalid(format!(
                "“{old}”在本平台已有台账或其他记录，不能在审查中更名；\
                 请把新机关列入名单，并把“{old}”填为它的曾用名"
            ))
        })?;
    sqlx::query("UPDATE agencies SET id = $1 WHERE name = $2")
        .bind((id != 0).then_some(id))
        .bind(new)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO agency_names (agency, former) VALUES ($1, $2) \
         ON CONFLICT (agency, former) DO NOTHING",
    )
    .bind(new)
    .bind(old)
    .execute(&mut **tx)
    .await?;
    // A former name that is now the agency's own name again is no longer former.
    sqlx::query("DELETE FROM agency_names WHERE agency = $1 AND former = $1")
        .bind(new)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
