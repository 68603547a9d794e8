//! Signing in and out, the one-time setup of the administrator, sessions
//! (kept in the database, so several processes on one PostgreSQL are one
//! site), the form token against forged submissions, and login throttling.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use gongkai_store::{Role, Scope, User};

use crate::error::AppError;
use crate::pages::render;
use crate::Shared;

const COOKIE: &str = "gk_session";
const SESSION_HOURS: i64 = 12;
/// Failed logins of one login name before it is locked, and for how long.
const LOGIN_LIMIT: i64 = 5;
const ADDRESS_LIMIT: i64 = 20;
const WINDOW_SECS: i64 = 15 * 60;
const LOCK_SECS: i64 = 15 * 60;
pub const MIN_PASSWORD: usize = 8;

/// A hash of the password with a current algorithm (Argon2id, salted).
pub fn hash_password(password: &str) -> String {
    password_auth::generate_hash(password)
}

fn verify_password(password: &str, hash: &str) -> bool {
    password_auth::verify_password(password, hash).is_ok()
}

/// A random token: 32 bytes, hexadecimal.
pub fn random_token() -> Result<String, AppError> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|e| AppError::Internal(format!("随机数：{e}")))?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

/// What the database keeps of a token: its SHA-256, so a copy of the
/// database opens no session.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// A signed-in user of the console, with what they may see.
#[derive(Debug, Clone)]
pub struct Staff {
    pub user: User,
    pub scope: Scope,
    /// The form token of the session.
    pub csrf: String,
}

impl Staff {
    /// Refuses a form whose token is not the session's.
    pub fn check_csrf(&self, token: &str) -> Result<(), AppError> {
        if !token.is_empty() && constant_time_eq(token.as_bytes(), self.csrf.as_bytes()) {
            Ok(())
        } else {
            Err(AppError::Csrf)
        }
    }

    /// Refuses users who cannot record events (the administrator, a supervisor).
    pub fn must_handle(&self) -> Result<(), AppError> {
        if self.user.role.handles_cases() {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "{}不能办理申请；请用本机关经办人或负责人的账号",
                self.user.role.label()
            )))
        }
    }

    pub fn must_lead(&self) -> Result<(), AppError> {
        if self.user.role == Role::Leader {
            Ok(())
        } else {
            Err(AppError::Forbidden("只有负责人可以审批".into()))
        }
    }

    pub fn must_admin(&self) -> Result<(), AppError> {
        if self.user.role == Role::Admin {
            Ok(())
        } else {
            Err(AppError::Forbidden("只有管理员可以办理".into()))
        }
    }

    /// The name recorded as the actor of changes.
    pub fn actor(&self) -> String {
        format!("{}（{}）", self.user.display_name, self.user.login)
    }

    /// What templates see of the user.
    pub fn view(&self) -> minijinja::Value {
        ctx! {
            name => self.user.display_name,
            login => self.user.login,
            role => self.user.role.label(),
            role_key => self.user.role.key(),
            agency => self.user.agency,
            csrf => self.csrf,
            handles => self.user.role.handles_cases(),
            admin => self.user.role == Role::Admin,
            leader => self.user.role == Role::Leader,
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

impl FromRequestParts<Shared> for Staff {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Shared,
    ) -> Result<Self, Self::Rejection> {
        let token = cookie_value(&parts.headers, COOKIE).ok_or(AppError::SignIn)?;
        if token.len() != 64 {
            return Err(AppError::SignIn);
        }
        let (user, csrf) = state
            .store
            .session_user(&token_hash(token))
            .await?
            .ok_or(AppError::SignIn)?;
        let scope = match (&user.role, &user.agency) {
            (Role::Supervisor, Some(own)) => supervisor_scope(state, own).await?,
            _ => state.store.scope_of(&user).await?,
        };
        Ok(Staff { user, scope, csrf })
    }
}

/// The scopes of supervisors as last computed, with the stamp of the
/// agencies they were computed from.
pub(crate) type ScopeCache =
    std::sync::Mutex<std::collections::HashMap<String, ((i64, i64, i64), Scope)>>;

/// Supervisors' scopes kept at a time.
const SCOPES_KEPT: usize = 256;

/// A supervisor's scope: computed again only when an agency was added,
/// moved or renamed since (by any process: the stamp is the database's).
async fn supervisor_scope(state: &Shared, own: &str) -> Result<Scope, AppError> {
    let stamp = state.store.scope_stamp().await?;
    if let Some((s, scope)) = state.scopes.lock().ok().and_then(|c| c.get(own).cloned()) {
        if s == stamp {
            return Ok(scope);
        }
    }
    let scope = state.store.scope_under(own).await?;
    if let Ok(mut c) = state.scopes.lock() {
        if c.len() >= SCOPES_KEPT && !c.contains_key(own) {
            c.clear();
        }
        c.insert(own.to_string(), (stamp, scope.clone()));
    }
    Ok(scope)
}

/// Refuses a form posted from another site (the browser says so in
/// `Sec-Fetch-Site`, or its `Origin` names another host).
pub fn same_site(headers: &HeaderMap) -> Result<(), AppError> {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if site == "cross-site" {
            return Err(AppError::Csrf);
        }
    }
    if let (Some(origin), Some(host)) = (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        let origin_host = origin.split("://").nth(1).unwrap_or(origin);
        if origin != "null" && origin_host != host {
            return Err(AppError::Csrf);
        }
    }
    Ok(())
}

fn session_cookie(state: &Shared, token: &str, max_age: i64) -> HeaderValue {
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("gk_session=; Path=/; Max-Age=0"))
}

async fn start_session(state: &Shared, user_id: i64) -> Result<Response, AppError> {
    let token = random_token()?;
    let csrf = random_token()?;
    let expires = (chrono::Utc::now() + chrono::Duration::hours(SESSION_HOURS))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    state
        .store
        .create_session(user_id, &token_hash(&token), &csrf, &expires)
        .await?;
    let mut res = Redirect::to("/console").into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(state, &token, SESSION_HOURS * 3600),
    );
    Ok(res)
}

pub async fn login_form(State(state): State<Shared>) -> Result<Response, AppError> {
    if state.store.user_count().await? == 0 {
        return Ok(Redirect::to("/setup").into_response());
    }
    Ok(render("login.html", ctx! { login => "", error => "" })?.into_response())
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
}

pub async fn login(
    State(state): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Result<Response, AppError> {
    same_site(&headers)?;
    let login = f.login.trim().to_string();
    let by_login = format!("login:{login}");
    let by_address = format!("address:{}", addr.ip());
    let shown = login.clone();
    let refuse = |msg: &str| -> Result<Response, AppError> {
        Ok((
            axum::http::StatusCode::UNAUTHORIZED,
            render("login.html", ctx! { login => shown, error => msg })?,
        )
            .into_response())
    };
    for key in [&by_login, &by_address] {
        if state.store.login_locked(key).await?.is_some() {
            return Ok((
                axum::http::StatusCode::TOO_MANY_REQUESTS,
                render(
                    "login.html",
                    ctx! { login => login, error => "登录失败次数过多，已暂时锁定，请15分钟后再试。" },
                )?,
            )
                .into_response());
        }
    }
    let found = if login.is_empty() {
        None
    } else {
        state.store.user_for_login(&login).await?
    };
    let ok = match &found {
        Some((user, hash)) => user.active && verify_password(&f.password, hash),
        None => {
            // The same work as for a real user, so timing tells nothing.
            let _ = verify_password(&f.password, DUMMY_HASH);
            false
        }
    };
    if !ok {
        let locked_login = state
            .store
            .login_failed(&by_login, LOGIN_LIMIT, WINDOW_SECS, LOCK_SECS)
            .await?;
        let locked_address = state
            .store
            .login_failed(&by_address, ADDRESS_LIMIT, WINDOW_SECS, LOCK_SECS)
            .await?;
        if locked_login || locked_address {
            return refuse("登录失败次数过多，已暂时锁定，请15分钟后再试。");
        }
        return refuse("登录名或密码不正确。");
    }
    let Some((user, _)) = found else {
        return refuse("登录名或密码不正确。");
    };
    state.store.login_succeeded(&by_login).await?;
    start_session(&state, user.id).await
}

/// A hash to check against when the login name does not exist.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$X4T3v7P9CfN8pM1J1v2k3w2YQ7tq8w0t5bWcM7H6rYI";

#[derive(Deserialize)]
pub struct LogoutForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn logout(
    State(state): State<Shared>,
    staff: Staff,
    headers: HeaderMap,
    Form(f): Form<LogoutForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&f.csrf)?;
    if let Some(token) = cookie_value(&headers, COOKIE) {
        state.store.end_session(&token_hash(token)).await?;
    }
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut()
        .insert(header::SET_COOKIE, session_cookie(&state, "", 0));
    Ok(res)
}

pub async fn setup_form(State(state): State<Shared>) -> Result<Response, AppError> {
    if state.store.user_count().await? > 0 {
        return Ok(Redirect::to("/login").into_response());
    }
    Ok(render("setup.html", ctx! { form => ctx! {}, errors => ctx! {} })?.into_response())
}

#[derive(Deserialize, serde::Serialize)]
pub struct SetupForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password2: String,
}

/// The one-time setup: creates the administrator while there is no user.
pub async fn setup(
    State(state): State<Shared>,
    headers: HeaderMap,
    Form(f): Form<SetupForm>,
) -> Result<Response, AppError> {
    same_site(&headers)?;
    if state.store.user_count().await? > 0 {
        return Ok(Redirect::to("/login").into_response());
    }
    let mut errors = std::collections::BTreeMap::new();
    if f.login.trim().is_empty() {
        errors.insert("login", "请填写登录名".to_string());
    }
    if f.display_name.trim().is_empty() {
        errors.insert("display_name", "请填写姓名".to_string());
    }
    if f.password.chars().count() < MIN_PASSWORD {
        errors.insert("password", format!("密码至少{MIN_PASSWORD}个字符"));
    } else if f.password != f.password2 {
        errors.insert("password2", "两次输入的密码不一致".to_string());
    }
    if !errors.is_empty() {
        let shown = ctx! { login => f.login, display_name => f.display_name };
        return Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            render("setup.html", ctx! { form => shown, errors => errors })?,
        )
            .into_response());
    }
    let id = state
        .store
        .create_first_admin(
            "初始设置",
            &f.login,
            &f.display_name,
            &hash_password(&f.password),
        )
        .await?;
    start_session(&state, id).await
}
