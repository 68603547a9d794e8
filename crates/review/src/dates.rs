//! The day a report was published, as a saved portal page states it.

use chrono::NaiveDate;

/// The fields a CMS page names its publication date with.
const FIELDS: [&str; 6] = [
    "发布时间",
    "发布日期",
    "公开日期",
    "公开时间",
    "发文日期",
    "更新时间",
];

/// The date after the first publication field ("发布时间：2025-01-20 09:30",
/// "发布日期：2025年1月20日", "公开日期: 2025/01/20") in the first 20,000
/// characters of a page's text. None when there is no such field: a report's
/// own text (its signature date) is not its publication date.
pub fn published_date(text: &str) -> Option<NaiveDate> {
    if let Some(d) = record_date(text) {
        return Some(d);
    }
    let head: String = text.chars().take(20_000).collect();
    for field in FIELDS {
        let mut rest = head.as_str();
        while let Some(at) = rest.find(field) {
            let after = &rest[at + field.len()..];
            let after =
                after.trim_start_matches([' ', '\u{3000}', '\t', '&', 'n', 'b', 's', 'p', ';']);
            if let Some(value) = after.strip_prefix([':', '：']) {
                if let Some(d) = date_at_start(value.trim_start()) {
                    return Some(d);
                }
            }
            rest = &rest[at + field.len()..];
        }
    }
    None
}

/// A crawler's record puts the date second: "标题,2023-01-28,\"正文…" on the
/// first line (the title names a report).
fn record_date(text: &str) -> Option<NaiveDate> {
    let first = text.trim_start_matches('\u{FEFF}').lines().next()?;
    let mut fields = first.splitn(3, [',', '\t']);
    let title = fields.next()?;
    let date = fields.next()?;
    if !(title.contains("报告") || title.contains("年报") || title.contains("报...")) {
        return None;
    }
    date_at_start(date.trim().trim_matches('"'))
}

/// A date at the start of `s`: 2025-01-20, 2025/1/20, 2025.01.20, 2025年1月20日.
fn date_at_start(s: &str) -> Option<NaiveDate> {
    let mut nums = Vec::new();
    let mut cur = String::new();
    for c in s.chars().take(16) {
        let c = match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        };
        if c.is_ascii_digit() {
            cur.push(c);
        } else if matches!(c, '-' | '/' | '.' | '年' | '月' | '日' | ' ') && !cur.is_empty() {
            nums.push(std::mem::take(&mut cur));
            if nums.len() == 3 {
                break;
            }
        } else {
            break;
        }
    }
    if !cur.is_empty() && nums.len() < 3 {
        nums.push(cur);
    }
    let [y, m, d] = nums.as_slice() else {
        return None;
    };
    if y.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn page_fields() {
        assert_eq!(
            published_date(
                "标题：某局2024年报告\n发布机构：某局\n发布时间：2025-01-20 09:30\n正文"
            ),
            ymd(2025, 1, 20)
        );
        assert_eq!(published_date("发布日期: 2025年3月5日"), ymd(2025, 3, 5));
        assert_eq!(
            published_date("公开日期&nbsp;：２０２５/０１/０９"),
            ymd(2025, 1, 9)
        );
        assert_eq!(published_date("发布时间：2025.2.28"), ymd(2025, 2, 28));
        // A field without a date, then one with.
        assert_eq!(
            published_date("发布时间：\n更新时间：2025-02-01"),
            ymd(2025, 2, 1)
        );
        assert_eq!(published_date("某局\n2025年1月20日"), None);
        // Crawler records: title, date, body.
        assert_eq!(
            published_date("河北省教育厅2022年政府信息公开工作年度报告,2023年01月28日,\"本报告…"),
            ymd(2023, 1, 28)
        );
        assert_eq!(
            published_date("某厅2022年政府信息公开工作年度报告,2023-01-31 12:19:21,本报告"),
            ymd(2023, 1, 31)
        );
        assert_eq!(published_date("姓名,2023-01-31,其他"), None);
        assert_eq!(published_date("发布时间：2025-02-30"), None);
        assert_eq!(published_date("发布时间：25-01-20"), None);
    }
}
