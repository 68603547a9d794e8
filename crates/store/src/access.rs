//! Who may see what: agencies as a hierarchy, users and their roles, and the
//! [`Scope`] every query of the web system runs under. A user of one agency
//! never reaches another agency's data: the scope is applied here, in the
//! SQL, not in the pages — a case outside it is "not found", by page, by id,
//! by search and by API alike.

use serde::Serialize;
use serde_json::json;

use crate::ledger::{audit, bump_counter};
use crate::{now, Result, Store, StoreError};

/// An agency on the platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agency {
    /// The number in its addresses (`/a/3/`).
    pub id: i64,
    pub name: String,
    /// The agency it reports to, if it is on the platform.
    pub parent: Option<String>,
    /// `government` (its annual report is due on 31 March) or `department`
    /// (31 January).
    pub kind: String,
}

impl Agency {
    pub fn kind_label(&self) -> &'static str {
        if self.kind == "government" {
            "人民政府"
        } else {
            "部门"
        }
    }
}

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 管理员: agencies, users, settings — of the whole platform.
    Admin,
    /// 经办人: registers and handles applications of the agency.
    Clerk,
    /// 负责人: as the 经办人, and approves extensions and signs replies.
    Leader,
    /// 上级机关: reads (never changes) the agencies under its own.
    Supervisor,
    /// 科室负责人: the first review of an item to be published.
    Reviewer,
    /// 保密审查员: the 保密审查 of an item to be published.
    Secrecy,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Clerk,
        Role::Leader,
        Role::Reviewer,
        Role::Secrecy,
        Role::Supervisor,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Clerk => "clerk",
            Role::Leader => "leader",
            Role::Supervisor => "supervisor",
            Role::Reviewer => "reviewer",
            Role::Secrecy => "secrecy",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "管理员",
            Role::Clerk => "经办人",
            Role::Leader => "负责人",
            Role::Supervisor => "上级机关",
            Role::Reviewer => "科室负责人",
            Role::Secrecy => "保密审查员",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.key() == s.trim() || r.label() == s.trim())
    }

    /// Whether the role records events and registers applications.
    pub fn handles_cases(self) -> bool {
        matches!(self, Role::Clerk | Role::Leader)
    }

    /// The part the role plays in the review of items to be published.
    pub fn disclosure_actor(self) -> Option<gongkai_casework::disclosure::Actor> {
        use gongkai_casework::disclosure::Actor;
        match self {
            Role::Clerk => Some(Actor::Drafter),
            Role::Reviewer => Some(Actor::Reviewer),
            Role::Secrecy => Some(Actor::Secrecy),
            Role::Leader => Some(Actor::Signer),
            Role::Admin | Role::Supervisor => None,
        }
    }
}

/// A user of the console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    /// The agency the user works for; `None` for the platform's administrator.
    pub agency: Option<String>,
    pub active: bool,
}

/// The agencies a query may touch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every agency (the platform's administrator).
    All,
    /// These agencies only (a user's own; a supervisor's subordinates).
    Agencies(Vec<String>),
}

impl Scope {
    pub fn allows(&self, agency: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Agencies(list) => list.iter().any(|a| a == agency),
        }
    }

    /// The agencies, or `None` for all of them.
    pub fn agencies(&self) -> Option<&[String]> {
        match self {
            Scope::All => None,
            Scope::Agencies(list) => Some(list),
        }
    }

    /// Refuses an agency outside the scope as "not found" — the same answer
    /// as for an agency that does not exist, so ids cannot be probed.
    pub fn check(&self, agency: &str, what: &str) -> Result<()> {
        if self.allows(agency) {
            Ok(())
        } else {
            Err(StoreError::NotFound(what.to_string()))
        }
    }

    /// `AND <column> IN ($k, …)` for the scope, numbering parameters from
    /// `next`, with the values to bind; empty for [`Scope::All`]. A scope of
    /// no agency matches nothing.
    pub fn sql(&self, column: &str, next: &mut usize) -> (String, Vec<String>) {
        match self {
            Scope::All => (String::new(), Vec::new()),
            Scope::Agencies(list) if list.is_empty() => (" AND 1 = 0".into(), Vec::new()),
            Scope::Agencies(list) => {
                let marks: Vec<String> = list
                    .iter()
                    .map(|_| {
                        *next += 1;
                        format!("${}", *next)
                    })
                    .collect();
                (
                    format!(" AND {column} IN ({})", marks.join(", ")),
                    list.clone(),
                )
            }
        }
    }
}

type AgencyRow = (i64, String, Option<String>, String);

fn agency(r: AgencyRow) -> Agency {
    Agency {
        id: r.0,
        name: r.1,
        parent: r.2,
        kind: r.3,
    }
}

type UserRow = (i64, String, String, String, Option<String>, i64);
/// A user's row with one more text column (the password hash, a session's form token).
type UserRowWith = (i64, String, String, String, Option<String>, i64, String);

fn user(r: UserRow) -> Result<User> {
    Ok(User {
        id: r.0,
        login: r.1,
        display_name: r.2,
        role: Role::parse(&r.3)
            .ok_or_else(|| StoreError::Invalid(format!("数据库中的角色“{}”无法读取", r.3)))?,
        agency: r.4,
        active: r.5 != 0,
    })
}

const USER_COLUMNS: &str = "id, login, display_name, role, agency, active";

impl Store {
    /// Every agency on the platform, by name.
    pub async fn agency_list(&self) -> Result<Vec<Agency>> {
        let rows: Vec<AgencyRow> =
            sqlx::query_as("SELECT id, name, parent, kind FROM agencies ORDER BY name")
                .fetch_all(&self.read)
                .await?;
        Ok(rows.into_iter().map(agency).collect())
    }

    /// The agencies on the portal (those known only to a supervisor's
    /// review have no 专栏 or application form here), by name.
    pub async fn portal_agency_list(&self) -> Result<Vec<Agency>> {
        let rows: Vec<AgencyRow> = sqlx::query_as(
            "SELECT id, name, parent, kind FROM agencies WHERE on_portal = 1 ORDER BY name",
        )
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(agency).collect())
    }

    /// An agency on the portal, by its number; one known only to a review is not found.
    pub async fn portal_agency_by_id(&self, id: i64) -> Result<Agency> {
        let row: Option<AgencyRow> = sqlx::query_as(
            "SELECT id, name, parent, kind FROM agencies WHERE id = $1 AND on_portal = 1",
        )
        .bind(id)
        .fetch_optional(&self.read)
        .await?;
        row.map(agency)
            .ok_or_else(|| StoreError::NotFound("机关".into()))
    }

    /// How many agencies there are and their highest id: changes whenever
    /// one is added, by any process.
    pub async fn agency_stamp(&self) -> Result<(i64, i64)> {
        let row: (i64, i64) = sqlx::query_as("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM agencies")
            .fetch_one(&self.read)
            .await?;
        Ok(row)
    }

    /// Changes whenever an agency is added, placed under another or renamed,
    /// by any process: what a supervisor's scope is computed from.
    pub async fn scope_stamp(&self) -> Result<(i64, i64, i64)> {
        let row: (i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM agencies), (SELECT COALESCE(MAX(id), 0) FROM agencies), \
             (SELECT COALESCE(MAX(value), 0) FROM counters WHERE name = 'review_change')",
        )
        .fetch_one(&self.read)
        .await?;
        Ok(row)
    }

    /// The agencies of these names (those that exist), by name.
    pub async fn agencies_named(&self, names: &[String]) -> Result<Vec<Agency>> {
        if names.is_empty() {
            return Ok(Vec::new());
        }
        let mut next = 0;
        let (where_sql, args) = Scope::Agencies(names.to_vec()).sql("name", &mut next);
        let sql = format!(
            "SELECT id, name, parent, kind FROM agencies WHERE 1 = 1{where_sql} ORDER BY name"
        );
        let mut q = sqlx::query_as::<_, AgencyRow>(&sql);
        for a in &args {
            q = q.bind(a.as_str());
        }
        Ok(q.fetch_all(&self.read)
            .await?
            .into_iter()
            .map(agency)
            .collect())
    }

    /// The agencies a scope reaches, by name.
    pub async fn agencies_in(&self, scope: &Scope) -> Result<Vec<Agency>> {
        match scope.agencies() {
            None => self.agency_list().await,
            Some(names) => self.agencies_named(names).await,
        }
    }

    pub async fn agency_by_id(&self, id: i64) -> Result<Agency> {
        let row: Option<AgencyRow> =
            sqlx::query_as("SELECT id, name, parent, kind FROM agencies WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.read)
                .await?;
        row.map(agency)
            .ok_or_else(|| StoreError::NotFound("机关".into()))
    }

    pub async fn agency_by_name(&self, name: &str) -> Result<Agency> {
        let row: Option<AgencyRow> =
            sqlx::query_as("SELECT id, name, parent, kind FROM agencies WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.read)
                .await?;
        row.map(agency)
            .ok_or_else(|| StoreError::NotFound(format!("机关“{name}”")))
    }

    /// Sets the agency an agency reports to (its supervisor sees it), and its
    /// kind. A parent that would make a circle is refused.
    pub async fn set_agency_place(
        &self,
        actor: &str,
        name: &str,
        parent: Option<&str>,
        kind: &str,
    ) -> Result<()> {
        if kind != "government" && kind != "department" {
            return Err(StoreError::Invalid(format!("机关类别“{kind}”无法识别")));
        }
        let all = self.agency_list().await?;
        if !all.iter().any(|a| a.name == name) {
            return Err(StoreError::NotFound(format!("机关“{name}”")));
        }
        if let Some(p) = parent {
            if !all.iter().any(|a| a.name == p) {
                return Err(StoreError::NotFound(format!("上级机关“{p}”")));
            }
            // Walk up from the new parent: meeting `name` would close a circle.
            let mut at = Some(p.to_string());
            let mut steps = 0;
            while let Some(cur) = at {
                if cur == name || steps > all.len() {
                    return Err(StoreError::Invalid(format!(
                        "“{p}”是“{name}”的下级机关，不能作为它的上级"
                    )));
                }
                at = all
                    .iter()
                    .find(|a| a.name == cur)
                    .and_then(|a| a.parent.clone());
                steps += 1;
            }
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE agencies SET parent = $1, kind = $2 WHERE name = $3")
            .bind(parent)
            .bind(kind)
            .bind(name)
            .execute(&mut *tx)
            .await?;
        bump_counter(&mut tx, "review_change", 1).await?;
        audit(
            &mut tx,
            actor,
            "agency.place",
            name,
            None,
            Some(json!({ "parent": parent, "kind": kind })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The scope of a user: all agencies for the administrator, the own
    /// agency for its staff, the agencies under its own for a supervisor
    /// (its own included, read-only).
    pub async fn scope_of(&self, u: &User) -> Result<Scope> {
        if u.role == Role::Admin {
            return Ok(Scope::All);
        }
        let Some(own) = &u.agency else {
            return Ok(Scope::Agencies(Vec::new()));
        };
        if u.role != Role::Supervisor {
            return Ok(Scope::Agencies(vec![own.clone()]));
        }
        self.scope_under(own).await
    }

    /// The scope of a supervising agency: itself and every agency under it,
    /// at any depth.
    pub async fn scope_under(&self, own: &str) -> Result<Scope> {
        let all = self.agency_list().await?;
        // Children by parent, so a region of thousands is walked once.
        let mut children: std::collections::HashMap<&str, Vec<&str>> =
            std::collections::HashMap::new();
        for a in &all {
            if let Some(p) = a.parent.as_deref() {
                children.entry(p).or_default().push(a.name.as_str());
            }
        }
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        seen.insert(own);
        let mut inside = vec![own.to_string()];
        let mut i = 0;
        while i < inside.len() {
            let cur = inside[i].clone();
            for &c in children.get(cur.as_str()).into_iter().flatten() {
                if seen.insert(c) {
                    inside.push(c.to_string());
                }
            }
            i += 1;
        }
        Ok(Scope::Agencies(inside))
    }

    pub async fn user_count(&self) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
            .fetch_one(&self.read)
            .await?;
        Ok(n)
    }

    /// Creates a user; the password comes already hashed.
    pub async fn create_user(
        &self,
        actor: &str,
        login: &str,
        display_name: &str,
        password_hash: &str,
        role: Role,
        agency: Option<&str>,
    ) -> Result<i64> {
        let user = (login, display_name, password_hash, role, agency);
        self.insert_user(actor, user, false).await
    }

    /// The one-time setup: creates the platform's administrator only while
    /// there is no user at all, atomically, so two setups at once make one.
    pub async fn create_first_admin(
        &self,
        actor: &str,
        login: &str,
        display_name: &str,
        password_hash: &str,
    ) -> Result<i64> {
        let user = (login, display_name, password_hash, Role::Admin, None);
        self.insert_user(actor, user, true).await
    }

    async fn insert_user(
        &self,
        actor: &str,
        (login, display_name, password_hash, role, agency): (&str, &str, &str, Role, Option<&str>),
        first_only: bool,
    ) -> Result<i64> {
        let login = login.trim();
        if login.is_empty() || login.chars().count() > 64 {
            return Err(StoreError::Invalid(
                "登录名不能为空，也不能超过64个字符".into(),
            ));
        }
        if role != Role::Admin && agency.is_none() {
            return Err(StoreError::Invalid(format!(
                "{}须属于一个机关",
                role.label()
            )));
        }
        let mut tx = self.pool.begin().await?;
        if first_only {
            let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
                .fetch_one(&mut *tx)
                .await?;
            if n > 0 {
                return Err(StoreError::Invalid("系统已经设置过管理员".into()));
            }
        }
        if let Some(a) = agency {
            let known: Option<(String,)> =
                sqlx::query_as("SELECT name FROM agencies WHERE name = $1")
                    .bind(a)
                    .fetch_optional(&mut *tx)
                    .await?;
            if known.is_none() {
                return Err(StoreError::NotFound(format!("机关“{a}”")));
            }
        }
        let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE login = $1")
            .bind(login)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Invalid(format!("登录名“{login}”已被使用")));
        }
        let id = bump_counter(&mut tx, "user", 1).await?;
        sqlx::query(
            "INSERT INTO users (id, login, display_name, password_hash, role, agency, active, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7)",
        )
        .bind(id)
        .bind(login)
        .bind(display_name.trim())
        .bind(password_hash)
        .bind(role.key())
        .bind(agency)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            actor,
            "user.create",
            login,
            None,
            Some(json!({ "login": login, "role": role.key(), "agency": agency })),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The user with this login name, with the hash of the password.
    pub async fn user_for_login(&self, login: &str) -> Result<Option<(User, String)>> {
        let row: Option<UserRowWith> = sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS}, password_hash FROM users WHERE login = $1"
        ))
        .bind(login.trim())
        .fetch_optional(&self.read)
        .await?;
        match row {
            Some(r) => Ok(Some((user((r.0, r.1, r.2, r.3, r.4, r.5))?, r.6))),
            None => Ok(None),
        }
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        let rows: Vec<UserRow> = sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM users ORDER BY agency, login"
        ))
        .fetch_all(&self.read)
        .await?;
        rows.into_iter().map(user).collect()
    }

    /// Enables or disables a user; disabling ends their sessions and tokens.
    pub async fn set_user_active(&self, actor: &str, id: i64, active: bool) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
            .bind(active as i64)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("用户".into()));
        }
        if !active {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM api_tokens WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        audit(
            &mut tx,
            actor,
            if active {
                "user.enable"
            } else {
                "user.disable"
            },
            &id.to_string(),
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a user's password (hashed) and ends their other sessions.
    pub async fn set_password(&self, actor: &str, id: i64, password_hash: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("用户".into()));
        }
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit(&mut tx, actor, "user.password", &id.to_string(), None, None).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Starts a session: its token (hashed), the form token, the expiry.
    pub async fn create_session(
        &self,
        user_id: i64,
        token_hash: &str,
        csrf: &str,
        expires_at: &str,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf)
        .bind(now())
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user of a live session, with its form token.
    pub async fn session_user(&self, token_hash: &str) -> Result<Option<(User, String)>> {
        let row: Option<UserRowWith> = sqlx::query_as(
            "SELECT u.id, u.login, u.display_name, u.role, u.agency, u.active, s.csrf \
                 FROM sessions s JOIN users u ON u.id = s.user_id \
                 WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1",
        )
        .bind(token_hash)
        .bind(now())
        .fetch_optional(&self.read)
        .await?;
        match row {
            Some(r) => Ok(Some((user((r.0, r.1, r.2, r.3, r.4, r.5))?, r.6))),
            None => Ok(None),
        }
    }

    pub async fn end_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records an API token (hashed) for a user.
    pub async fn create_api_token(
        &self,
        actor: &str,
        user_id: i64,
        name: &str,
        token_hash: &str,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(name)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            actor,
            "token.create",
            &user_id.to_string(),
            None,
            Some(json!({ "name": name })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user an API token belongs to.
    pub async fn token_user(&self, token_hash: &str) -> Result<Option<User>> {
        let row: Option<UserRow> = sqlx::query_as(
            "SELECT u.id, u.login, u.display_name, u.role, u.agency, u.active \
             FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND u.active = 1",
        )
        .bind(token_hash)
        .fetch_optional(&self.read)
        .await?;
        row.map(user).transpose()
    }

    /// Whether logins under `key` are locked now: the time they unlock.
    pub async fn login_locked(&self, key: &str) -> Result<Option<String>> {
        let row: Option<(Option<String>,)> =
            sqlx::query_as("SELECT locked_until FROM login_failures WHERE key = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?;
        let now = now();
        Ok(row.and_then(|r| r.0).filter(|until| *until > now))
    }

    /// Counts a failed login under `key`; after `limit` failures within
    /// `window_secs`, locks it for `lock_secs`. Returns whether it is now locked.
    pub async fn login_failed(
        &self,
        key: &str,
        limit: i64,
        window_secs: i64,
        lock_secs: i64,
    ) -> Result<bool> {
        let now_t = chrono::Utc::now();
        let stamp = |t: chrono::DateTime<chrono::Utc>| {
            t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        };
        let window_from = stamp(now_t - chrono::Duration::seconds(window_secs));
        let mut tx = self.pool.begin().await?;
        let row: Option<(i64, String)> =
            sqlx::query_as("SELECT failures, window_start FROM login_failures WHERE key = $1")
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?;
        let failures = match row {
            Some((n, start)) if start > window_from => n + 1,
            _ => 1,
        };
        let start = match failures {
            1 => stamp(now_t),
            _ => {
                sqlx::query_as::<_, (String,)>(
                    "SELECT window_start FROM login_failures WHERE key = $1",
                )
                .bind(key)
                .fetch_one(&mut *tx)
                .await?
                .0
            }
        };
        let locked = failures >= limit;
        let until = locked.then(|| stamp(now_t + chrono::Duration::seconds(lock_secs)));
        sqlx::query(
            "INSERT INTO login_failures (key, failures, window_start, locked_until) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (key) DO UPDATE SET failures = $2, window_start = $3, locked_until = $4",
        )
        .bind(key)
        .bind(if locked { 0 } else { failures })
        .bind(start)
        .bind(until)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(locked)
    }

    /// Forgets the failures under `key` (after a successful login).
    pub async fn login_succeeded(&self, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_failures WHERE key = $1")
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
