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

/// The columns of the key-figures table (the rankings in full).
pub const FIGURES_HEADER: [&str; 14] = [
    "机关名称",
    "地区",
    "类别",
    "公开情况",
    "逾期天数",
    "本年新收政府信息公开申请数量",
    "办理结果总计",
    "予以公开",
    "结转下年度继续办理",
    "行政复议",
    "行政诉讼",
    "复议、诉讼已审结",
    "复议、诉讼结果纠正",
    "纠错率",
];

/// The rows with their key figures, most new applications first (rows
/// without a report last, by agency).
pub fn by_applications(rows: &[Row]) -> Vec<&Row> {
    let mut out: Vec<&Row> = rows.iter().collect();
    out.sort_by_key(|r| {
        (
            std::cmp::Reverse(r.key.as_ref().and_then(|k| k.new_received)),
            r.agency,
        )
    });
    out
}

/// One row of the key-figures table, in the order of [`FIGURES_HEADER`];
/// a figure the report lacks is blank.
pub fn figures_record(roster: &Roster, r: &Row) -> [String; 14] {
    let a = roster.get(r.agency);
    let n = |v: Option<i64>| v.map_or(String::new(), |v| v.to_string());
    let k = r.key.clone().unwrap_or_default();
    let decided = (k.upheld.is_some() || k.corrected.is_some() || k.other_result.is_some())
        .then(|| k.decided());
    [
        a.map_or_else(|| r.agency.to_string(), |a| a.name.clone()),
        a.map_or(String::new(), |a| a.region.clone()),
        a.map_or("", |a| a.kind.label()).to_string(),
        r.status.label(),
        match r.status {
            Status::Late { days, .. } => days.to_string(),
            _ => String::new(),
        },
        n(k.new_received),
        n(k.processed),
        n(k.granted),
        n(k.carried_forward),
        n(k.reviews),
        n(k.suits),
        n(decided),
        n(k.corrected),
        k.correction_rate()
            .map_or(String::new(), |x| format!("{:.1}%", x * 100.0)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::KeyFigures;
    use crate::roster::{Agency, Kind};
    use chrono::NaiveDate;

    fn row(agency: u64, received: Option<i64>) -> Row {
        Row {
            agency,
            year: 2025,
            due: NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
            status: Status::Missing,
            entry: None,
            duplicates: Vec::new(),
            edition: None,
            source: None,
            findings: Vec::new(),
            errors: 0,
            warnings: 0,
            score: None,
            key: received.map(|n| KeyFigures {
                new_received: Some(n),
                upheld: Some(3),
                corrected: Some(1),
                ..Default::default()
            }),
            copied: Vec::new(),
        }
    }

    #[test]
    fn figures_most_applications_first() {
        let roster = Roster::new(
            (1..=3)
                .map(|id| Agency {
                    id,
                    name: format!("甲县第{id}局"),
                    former_names: Vec::new(),
                    region: "甲县".into(),
                    level: String::new(),
                    kind: Kind::Department,
                    parent: None,
                })
                .collect(),
        )
        .unwrap();
        let rows = vec![row(1, Some(5)), row(2, None), row(3, Some(40))];
        let order: Vec<u64> = by_applications(&rows).iter().map(|r| r.agency).collect();
        assert_eq!(order, vec![3, 1, 2]);
        let rec = figures_record(&roster, &rows[2]);
        assert_eq!(rec[0], "甲县第3局");
        assert_eq!(rec[5], "40");
        assert_eq!(rec[11], "4", "decided: upheld and corrected");
        assert_eq!(rec[13], "25.0%");
        let none = figures_record(&roster, &rows[1]);
        assert_eq!(none[3], "未公开");
        assert!(none[5..].iter().all(|c| c.is_empty()), "{none:?}");
    }
}
