//! The templates (embedded in the binary), rendering, and the stylesheet.

use std::sync::OnceLock;

use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use minijinja::Environment;

use crate::error::AppError;

/// Every template, by name.
const TEMPLATES: [(&str, &str); 45] = [
    ("base.html", include_str!("../templates/base.html")),
    ("error.html", include_str!("../templates/error.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("apply.html", include_str!("../templates/apply.html")),
    ("receipt.html", include_str!("../templates/receipt.html")),
    ("lookup.html", include_str!("../templates/lookup.html")),
    ("status.html", include_str!("../templates/status.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("setup.html", include_str!("../templates/setup.html")),
    (
        "dashboard.html",
        include_str!("../templates/dashboard.html"),
    ),
    ("cases.html", include_str!("../templates/cases.html")),
    (
        "case_table.html",
        include_str!("../templates/case_table.html"),
    ),
    ("case.html", include_str!("../templates/case.html")),
    ("new_case.html", include_str!("../templates/new_case.html")),
    ("users.html", include_str!("../templates/users.html")),
    ("report.html", include_str!("../templates/report.html")),
    ("audit.html", include_str!("../templates/audit.html")),
    ("api_docs.html", include_str!("../templates/api_docs.html")),
    (
        "ledger_nav.html",
        include_str!("../templates/ledger_nav.html"),
    ),
    (
        "documents.html",
        include_str!("../templates/documents.html"),
    ),
    (
        "enforcement.html",
        include_str!("../templates/enforcement.html"),
    ),
    (
        "legal_cases.html",
        include_str!("../templates/legal_cases.html"),
    ),
    ("import.html", include_str!("../templates/import.html")),
    ("settings.html", include_str!("../templates/settings.html")),
    ("pager.html", include_str!("../templates/pager.html")),
    (
        "column_nav.html",
        include_str!("../templates/column_nav.html"),
    ),
    (
        "column_home.html",
        include_str!("../templates/column_home.html"),
    ),
    (
        "column_list.html",
        include_str!("../templates/column_list.html"),
    ),
    (
        "column_item.html",
        include_str!("../templates/column_item.html"),
    ),
    ("guide.html", include_str!("../templates/guide.html")),
    (
        "reports_public.html",
        include_str!("../templates/reports_public.html"),
    ),
    (
        "report_public.html",
        include_str!("../templates/report_public.html"),
    ),
    ("search.html", include_str!("../templates/search.html")),
    ("items.html", include_str!("../templates/items.html")),
    (
        "item_form.html",
        include_str!("../templates/item_form.html"),
    ),
    ("review.html", include_str!("../templates/review.html")),
    (
        "review_report.html",
        include_str!("../templates/review_report.html"),
    ),
    (
        "review_files.html",
        include_str!("../templates/review_files.html"),
    ),
    (
        "review_aggregate.html",
        include_str!("../templates/review_aggregate.html"),
    ),
    (
        "review_copy.html",
        include_str!("../templates/review_copy.html"),
    ),
    (
        "review_tabs.html",
        include_str!("../templates/review_tabs.html"),
    ),
    (
        "review_roster.html",
        include_str!("../templates/review_roster.html"),
    ),
    (
        "review_agency.html",
        include_str!("../templates/review_agency.html"),
    ),
    ("item.html", include_str!("../templates/item.html")),
    (
        "guide_console.html",
        include_str!("../templates/guide_console.html"),
    ),
];

const STYLESHEET: &str = include_str!("../static/style.css");

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.add_filter("truncate", truncate);
        // `.html` templates escape every value (minijinja's default for the name).
        for (name, source) in TEMPLATES {
            if let Err(e) = env.add_template(name, source) {
                panic!("template {name} does not parse: {e}");
            }
        }
        env
    })
}

/// The first `n` characters of `s`, with "…" when cut.
fn truncate(s: String, n: usize) -> String {
    if s.chars().count() <= n {
        s
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}

/// Renders a page.
pub fn render(name: &str, ctx: minijinja::Value) -> Result<Html<String>, AppError> {
    env()
        .get_template(name)
        .and_then(|t| t.render(ctx))
        .map(Html)
        .map_err(|e| {
            let mut why = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                why.push_str(&format!("：{s}"));
                source = s.source();
            }
            AppError::Internal(format!("模板 {name}：{why}"))
        })
}

/// Renders a page, or — when even that fails — a plain message.
pub fn render_or_plain(name: &str, ctx: minijinja::Value) -> Html<String> {
    render(name, ctx).unwrap_or_else(|_| {
        Html("<!doctype html><meta charset=utf-8><title>出错了</title><p>服务器内部错误，请稍后再试。</p>".into())
    })
}

pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
        .into_response()
}

pub async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, AppError::NotFound).into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_template_parses() {
        let _ = super::env();
    }
}
