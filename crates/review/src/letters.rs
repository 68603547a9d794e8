//! The letters of a review, as plain text in the convention of the project's
//! letter writers (`gongkai_write::letter`: title, salutation, indented body
//! paragraphs, signature and date at the end): a 整改通知 to one agency
//! listing its faults in plain Chinese, and a 通报 summarising the review of
//! the whole region.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use gongkai_report::{CellRef, Diagnostic, Level};
use gongkai_template::{Edition, Template};

use crate::roster::{Agency, Roster};
use crate::rules::any_rule;
use crate::season::{summarize, Row, Status};

/// Who writes, and when.
#[derive(Debug, Clone)]
pub struct Sender {
    /// The supervising office ("洪泽区人民政府办公室").
    pub name: String,
    pub date: NaiveDate,
    /// The day by which the fixes are due.
    pub reply_by: NaiveDate,
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

/// 一, 二, … 九十九.
pub fn numeral(n: usize) -> String {
    const D: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_string(),
        10..=19 => format!("十{}", if n > 10 { D[n - 10] } else { "" }),
        20..=99 => format!("{}十{}", D[n / 10], if n % 10 > 0 { D[n % 10] } else { "" }),
        _ => n.to_string(),
    }
}

/// How a reader names a cell: "表三 一、本年新收政府信息公开申请数量 / 总计";
/// a cell of another report ("source#address", the year before) is
/// "上一年度报告的…". An address the edition lacks is looked up in the 2021
/// template, and shown as it is when neither has it.
pub fn cell_label(address: &str, edition: Edition) -> String {
    let (other, address) = match address.rsplit_once('#') {
        Some((_, a)) => (true, a),
        None => (false, address),
    };
    let label = [edition, Edition::V2021]
        .into_iter()
        .find_map(|e| {
            let t = Template::get(e);
            t.cell_index(address).map(|i| t.cell_label(i))
        })
        .unwrap_or_else(|| address.to_string());
    if other {
        format!("上一年度报告的{label}")
    } else {
        label
    }
}

/// How a cell of a finding reads: "表三 一、本年新收政府信息公开申请数量 / 总计（填报 12）".
fn cell_words(c: &CellRef, edition: Edition) -> String {
    let mut s = cell_label(&c.address, edition);
    if let Some(v) = c.value {
        s.push_str(&format!("（填报 {v}）"));
    }
    s
}

/// One finding in plain words: its message, the cells and what was expected.
fn finding_words(d: &Diagnostic, edition: Edition) -> String {
    let mut s = d.message.trim_end_matches(['。', '；']).to_string();
    if !d.cells.is_empty() {
        let cells: Vec<String> = d.cells.iter().map(|c| cell_words(c, edition)).collect();
        s.push_str(&format!("。涉及：{}", cells.join("、")));
    }
    if let Some(e) = d.expected {
        s.push_str(&format!("，应为 {e}"));
    }
    s
}

/// The 整改通知 to one agency for one year's report: every fault, grouped by
/// rule, with what the template expects. None when the report has nothing
/// to fix.
pub fn rectification_notice(sender: &Sender, agency: &Agency, row: &Row) -> Option<String> {
    let faults: Vec<&Diagnostic> = row.faults().collect();
    if faults.is_empty() {
        return None;
    }
    let edition = row.edition.unwrap_or(Edition::V2021);
    let year = row.year;
    let mut out = String::new();
    out.push_str(&format!(
        "关于{}{year}年政府信息公开工作年度报告问题的整改通知\n\n",
        agency.name
    ));
    out.push_str(&format!("{}：\n", agency.name));
    let opening = match row.status {
        Status::Missing => format!(
            "　　根据《中华人民共和国政府信息公开条例》第四十九条、第五十条规定，{}对本辖区各单位{year}年政府信息公开工作年度报告的公开情况进行了检查。经查，你单位{year}年度报告应于{}前向社会公布，至今未公开。\n",
            sender.name,
            ymd(row.due)
        ),
        _ => format!(
            "　　根据《中华人民共和国政府信息公开条例》第四十九条、第五十条规定，{}对你单位{year}年政府信息公开工作年度报告进行了审查。经审查，发现以下问题：\n",
            sender.name
        ),
    };
    out.push_str(&opening);
    // Group by rule, in rule order.
    let mut by_rule: BTreeMap<&'static str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in &faults {
        by_rule.entry(d.rule).or_default().push(d);
    }
    if row.status != Status::Missing {
        for (k, (rule, list)) in by_rule.iter().enumerate() {
            let r = any_rule(rule);
            let name = r.map_or("", |r| r.name);
            let level = if list[0].level == Level::Error {
                "错误"
            } else {
                "问题"
            };
            let mut para = format!(
                "　　{}、{name}（{rule}，{level}，共 {} 处）。",
                numeral(k + 1),
                list.len()
            );
            if let Some(r) = r {
                para.push_str(&format!("模板要求：{}。", r.summary));
            }
            out.push_str(&para);
            out.push('\n');
            for (j, d) in list.iter().enumerate() {
                out.push_str(&format!("　　{}.{}。\n", j + 1, finding_words(d, edition)));
            }
        }
    }
    let ask = match row.status {
        Status::Missing => format!(
            "　　请你单位按照《中华人民共和国政府信息公开工作年度报告格式》要求，于{}前编制并公开{year}年政府信息公开工作年度报告，并将公开情况书面报送{}。\n",
            ymd(sender.reply_by),
            sender.name
        ),
        _ => format!(
            "　　请你单位对照《中华人民共和国政府信息公开工作年度报告格式》逐项核实整改，于{}前将修改后的年度报告重新公开，并将整改情况书面报送{}。\n",
            ymd(sender.reply_by),
            sender.name
        ),
    };
    out.push_str(&ask);
    out.push_str("　　特此通知。\n\n");
    out.push_str(&sender.name);
    out.push('\n');
    out.push_str(&ymd(sender.date));
    out.push('\n');
    Some(out)
}

/// The 通报 of a review of `year` over the agencies of `rows` (one row per
/// agency for that year).
pub fn bulletin(sender: &Sender, region: &str, roster: &Roster, rows: &[Row], year: i32) -> String {
    let rows: Vec<&Row> = rows.iter().filter(|r| r.year == year).collect();
    let owned: Vec<Row> = rows.iter().map(|r| (*r).clone()).collect();
    let s = summarize(&owned);
    let name = |id: u64| {
        roster
            .get(id)
            .map_or_else(|| format!("编号 {id}"), |a| a.name.clone())
    };
    let due = s.rows - s.not_due;
    let mut out = String::new();
    out.push_str(&format!(
        "关于{region}{year}年政府信息公开工作年度报告审查情况的通报\n\n"
    ));
    out.push_str("各有关单位：\n");
    out.push_str(&format!(
        "　　根据《中华人民共和国政府信息公开条例》第四十九条、第五十条规定，{}对{region}所属 {} 个单位{year}年政府信息公开工作年度报告的公开时间、格式、数据和内容进行了审查。现将有关情况通报如下。\n",
        sender.name, s.agencies
    ));
    out.push_str("　　一、总体情况\n");
    let mut general = format!(
        "　　应公开年度报告 {due} 份，按时公开 {} 份，逾期公开 {} 份，未公开 {} 份",
        s.on_time, s.late, s.missing
    );
    if s.undated > 0 {
        general.push_str(&format!("，已收集但公开日期不详 {} 份", s.undated));
    }
    general.push_str(&format!(
        "。收集到的报告中，有错误的 {} 份，使用旧版模板的 {} 份，有内容雷同部分的 {} 份",
        s.with_errors, s.old_template, s.copied
    ));
    if let Some(m) = s.mean_score {
        general.push_str(&format!("；平均得分 {m:.1} 分"));
    }
    general.push_str("。\n");
    out.push_str(&general);
    out.push_str("　　二、存在的主要问题\n");
    let mut by_rule: Vec<(&'static str, usize, usize)> = s
        .by_rule
        .iter()
        .map(|(&rule, &n)| {
            let agencies = rows
                .iter()
                .filter(|r| r.by_rule().contains_key(rule))
                .count();
            (rule, n, agencies)
        })
        .collect();
    by_rule.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
    if by_rule.is_empty() {
        out.push_str("　　审查未发现问题。\n");
    }
    for (k, (rule, n, agencies)) in by_rule.iter().enumerate() {
        let r = any_rule(rule);
        out.push_str(&format!(
            "　　（{}）{}（{rule}）：{agencies} 个单位，共 {n} 处。{}。\n",
            numeral(k + 1),
            r.map_or("", |r| r.name),
            r.map_or("", |r| r.summary)
        ));
    }
    let late: Vec<String> = rows
        .iter()
        .filter_map(|r| match r.status {
            Status::Late { days, .. } => Some(format!("{}（逾期 {days} 天）", name(r.agency))),
            _ => None,
        })
        .collect();
    let missing: Vec<String> = rows
        .iter()
        .filter(|r| r.status == Status::Missing)
        .map(|r| name(r.agency))
        .collect();
    out.push_str("　　三、逾期公开和未公开的单位\n");
    out.push_str(&format!(
        "　　逾期公开：{}。\n",
        if late.is_empty() {
            "无".to_string()
        } else {
            late.join("、")
        }
    ));
    out.push_str(&format!(
        "　　未公开：{}。\n",
        if missing.is_empty() {
            "无".to_string()
        } else {
            missing.join("、")
        }
    ));
    let mut low: Vec<&&Row> = rows.iter().filter(|r| r.score.is_some()).collect();
    low.sort_by_key(|r| (r.score.as_ref().map_or(100, |s| s.total), r.agency));
    let low: Vec<String> = low
        .iter()
        .take(10)
        .filter(|r| r.score.as_ref().is_some_and(|s| s.total < 80))
        .map(|r| {
            format!(
                "{}（{} 分）",
                name(r.agency),
                r.score.as_ref().map_or(0, |s| s.total)
            )
        })
        .collect();
    out.push_str("　　四、得分较低的单位\n");
    out.push_str(&format!(
        "　　{}。\n",
        if low.is_empty() {
            "无得分低于 80 分的单位".to_string()
        } else {
            format!("得分低于 80 分的单位（至多列出 10 个）：{}", low.join("、"))
        }
    ));
    out.push_str("　　五、工作要求\n");
    out.push_str(&format!(
        "　　各单位要对照审查发现的问题逐项整改，于{}前将修改后的年度报告重新公开，并将整改情况报送{}。逾期公开和未公开的单位要说明原因，切实落实年度报告制度。\n\n",
        ymd(sender.reply_by),
        sender.name
    ));
    out.push_str(&sender.name);
    out.push('\n');
    out.push_str(&ymd(sender.date));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals() {
        assert_eq!(numeral(1), "一");
        assert_eq!(numeral(10), "十");
        assert_eq!(numeral(12), "十二");
        assert_eq!(numeral(20), "二十");
        assert_eq!(numeral(47), "四十七");
    }

    #[test]
    fn cells_in_words() {
        let c = CellRef {
            address: "t3.new_received.total".into(),
            value: Some(gongkai_report::Num::Int(12)),
            line: None,
            column: None,
        };
        assert_eq!(
            cell_words(&c, Edition::V2021),
            "表三 一、本年新收政府信息公开申请数量 / 总计（填报 12）"
        );
        let prev = CellRef {
            address: "甲局2023.docx#t3.carried_forward.total".into(),
            value: None,
            line: None,
            column: None,
        };
        assert_eq!(
            cell_words(&prev, Edition::V2021),
            "上一年度报告的表三 四、结转下年度继续办理 / 总计"
        );
    }
}
