//! The rules of the review: what a supervising office finds across the
//! reports of its agencies rather than in one report — lateness, a missing
//! report, copied narrative, large changes from the year before. They use the
//! same [`Rule`] shape as the checker's rules and continue its numbering.

use gongkai_report::{Level, Rule};

pub const GK040: &str = "GK040";
pub const GK041: &str = "GK041";
pub const GK042: &str = "GK042";
pub const GK043: &str = "GK043";

/// The review's rules, in id order.
pub static REVIEW_RULES: &[Rule] = &[
    Rule {
        id: GK040,
        level: Level::Error,
        name: "年度报告逾期公开",
        summary: "年度报告公开日期晚于法定期限（部门1月31日前，人民政府3月31日前）",
        explanation: "《中华人民共和国政府信息公开条例》第四十九条规定：县级以上人民政府部门应当在每年1月31日前\
向本级政府信息公开工作主管部门提交本部门上一年度政府信息公开工作年度报告并向社会公布；\
县级以上地方人民政府的政府信息公开工作主管部门应当在每年3月31日前向社会公布本级政府上一年度政府信息公开工作年度报告。\
\n\n本规则按机关类别（人民政府或部门）计算期限，以报告的公开日期（发布日期）与期限比较。\n\n\
修改方法：按期公开年度报告；已逾期的，尽快公开并说明原因。",
    },
    Rule {
        id: GK041,
        level: Level::Error,
        name: "未公开年度报告",
        summary: "法定期限已过，仍未收到（未公开）该机关本年度的年度报告",
        explanation: "法定期限（部门1月31日，人民政府3月31日）已过，审查中没有该机关本年度的年度报告：\
既没有在本平台公开，也没有上报或上传的文件。\n\n修改方法：立即按模板编制并公开年度报告；\
已公开但未收集到的，请提交公开页面或文件。",
    },
    Rule {
        id: GK042,
        level: Level::Warning,
        name: "内容雷同",
        summary: "报告某一部分的文字与其他机关的报告或本机关上一年度的报告大部分相同",
        explanation: "年度报告应如实反映本机关本年度的工作。某一部分（如“总体情况”“存在的主要问题及改进情况”）\
的文字与其他机关同一部分，或与本机关上一年度同一部分大部分相同（模板中每份报告都有的套话不计在内），\
说明可能照抄照搬。相似程度和门槛在审查设置中可调。\n\n修改方法：结合本机关本年度的实际工作重写该部分。",
    },
    Rule {
        id: GK043,
        level: Level::Info,
        name: "数据与上年相比变化较大",
        summary: "关键数据（如新收申请数）与上一年度相比增减幅度较大，请核实",
        explanation: "同一机关连续两年的关键数据（本年新收申请、办理结果总计、结转下年度、行政复议和行政诉讼总计、\
本年制发的规范性文件）变化幅度超过设定的门槛（默认增减一半以上且相差至少20件）。变化较大本身不是错误，\
但常常提示填报有误（如多填或漏填一位数），请核实。\n\n修改方法：核对数据；确属实际变化的，可在正文中说明原因。",
    },
];

/// A rule of the review or of the checker, by id (case-insensitive).
pub fn any_rule(id: &str) -> Option<&'static Rule> {
    REVIEW_RULES
        .iter()
        .find(|r| r.id.eq_ignore_ascii_case(id.trim()))
        .or_else(|| gongkai_report::rule(id))
}

/// The level of a rule (an unknown id counts as an error).
pub fn level_of(id: &str) -> Level {
    any_rule(id).map_or(Level::Error, |r| r.level)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_checkers_and_are_unique() {
        let mut ids: Vec<&str> = gongkai_report::RULES.iter().map(|r| r.id).collect();
        ids.extend(REVIEW_RULES.iter().map(|r| r.id));
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, ids);
        assert_eq!(any_rule("gk042").unwrap().name, "内容雷同");
        assert_eq!(any_rule("GK010").unwrap().id, "GK010");
        assert_eq!(level_of("GK043"), Level::Info);
    }
}
