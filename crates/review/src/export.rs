//! A season's rows as a table: the same columns whether the command writes
//! CSV or the web system offers it for download.

use crate::roster::Roster;
use crate::season::{Row, Status};

/// The columns of the review table.
pub const HEADER: [&str; 16] = [
    "机关名称",
    "编号",
    "地区",
    "类别",
    "年度",
    "公开情况",
    "公开日期",
    "公开期限",
    "逾期天数",
    "模板",
    "错误",
    "警告",
    "问题",
    "得分",
    "扣分说明",
    "来源",
];

/// The rules a row's faults fall under, with their counts: "GK010×2 GK011".
pub fn problems(r: &Row) -> String {
    r.by_rule()
        .iter()
        .map(|(rule, n)| {
            if *n > 1 {
                format!("{rule}×{n}")
            } else {
                rule.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One row of the table, in the order of [`HEADER`].
pub fn record(roster: &Roster, r: &Row) -> [String; 16] {
    let a = roster.get(r.agency);
    let late = match r.status {
        Status::Late { days, .. } => days.to_string(),
        _ => String::new(),
    };
    let how: Vec<String> = r
        .score
        .iter()
        .flat_map(|s| &s.deductions)
        .map(|d| format!("{} {} −{}（{}）", d.rule, d.name, d.points, d.how))
        .collect();
    [
        a.map_or_else(|| r.agency.to_string(), |a| a.name.clone()),
        r.agency.to_string(),
        a.map_or(String::new(), |a| a.region.clone()),
        a.map_or("", |a| a.kind.label()).to_string(),
        r.year.to_string(),
        r.status.label(),
        r.status
            .published_on()
            .map_or(String::new(), |d| d.to_string()),
        r.due.to_string(),
        late,
        r.edition_label().to_string(),
        r.errors.to_string(),
        r.warnings.to_string(),
        problems(r),
        r.score
            .as_ref()
            .map_or(String::new(), |s| s.total.to_string()),
        how.join("；"),
        r.source.clone().unwrap_or_default(),
    ]
}
