//! Errors as pages (or JSON under `/api`): what went wrong in Chinese, never
//! a stack trace or an SQL statement.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongkai_store::StoreError;

/// Why a request could not be answered.
#[derive(Debug)]
pub enum AppError {
    /// Nothing here — or nothing this user may see, which looks the same.
    NotFound,
    /// Not signed in (pages redirect to the login page).
    SignIn,
    /// Signed in, but the role may not do this.
    Forbidden(String),
    /// The request is wrong: what and where.
    Invalid(String),
    /// The form's token did not match (a forged or stale form).
    Csrf,
    /// Too many attempts.
    Throttled(String),
    /// The request's body is over the route's limit.
    TooLarge(String),
    /// Something failed on the server; the message goes to the log only.
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::NotFound(_) => AppError::NotFound,
            StoreError::Invalid(why) => AppError::Invalid(why),
            StoreError::Clock(c) => AppError::Invalid(c.message),
            StoreError::Import(r) => {
                AppError::Invalid(format!("台账有{}处错误，未导入", r.errors.len()))
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::SignIn => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The words shown to the user.
    pub fn message(&self) -> String {
        match self {
            AppError::NotFound => "没有找到这个页面或记录。".into(),
            AppError::SignIn => "请先登录。".into(),
            AppError::Forbidden(why) => why.clone(),
            AppError::Invalid(why) => why.clone(),
            AppError::Csrf => "表单已失效或不是从本站提交的，请刷新页面后重新提交。".into(),
            AppError::Throttled(why) => why.clone(),
            AppError::TooLarge(why) => why.clone(),
            AppError::Internal(_) => "服务器内部错误，请稍后再试；问题持续时请联系管理员。".into(),
        }
    }

    fn log(&self) {
        if let AppError::Internal(detail) = self {
            eprintln!("内部错误：{detail}");
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        if matches!(self, AppError::SignIn) {
            return axum::response::Redirect::to("/login").into_response();
        }
        let status = self.status();
        let title = match status {
            StatusCode::NOT_FOUND => "未找到",
            StatusCode::FORBIDDEN => "无权操作",
            StatusCode::UNPROCESSABLE_ENTITY => "无法办理",
            StatusCode::TOO_MANY_REQUESTS => "请稍后再试",
            StatusCode::PAYLOAD_TOO_LARGE => "文件过大",
            _ => "出错了",
        };
        let body = crate::pages::render_or_plain(
            "error.html",
            ctx! { title => title, message => self.message() },
        );
        (status, body).into_response()
    }
}

/// An error of the JSON API: `{"error": "…"}` with the status.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> ApiError {
        ApiError(e)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let status = self.0.status();
        let body = serde_json::json!({ "error": self.0.message() });
        (status, axum::Json(body)).into_response()
    }
}
