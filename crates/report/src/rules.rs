//! The GK rules: id, level, name, one-line summary and long explanation.

use crate::Level;

/// A rule of the checker.
#[derive(Debug)]
pub struct Rule {
    pub id: &'static str,
    pub level: Level,
    /// Short name in Chinese.
    pub name: &'static str,
    /// One-line description in Chinese.
    pub summary: &'static str,
    /// Long explanation in Chinese: what the rule checks, why, and how to fix it.
    pub explanation: &'static str,
}

pub const GK001: &str = "GK001";
pub const GK002: &str = "GK002";
pub const GK003: &str = "GK003";
pub const GK004: &str = "GK004";
pub const GK005: &str = "GK005";
pub const GK006: &str = "GK006";
pub const GK007: &str = "GK007";
pub const GK008: &str = "GK008";
pub const GK009: &str = "GK009";
pub const GK010: &str = "GK010";
pub const GK011: &str = "GK011";
pub const GK012: &str = "GK012";
pub const GK013: &str = "GK013";
pub const GK020: &str = "GK020";
pub const GK021: &str = "GK021";
pub const GK030: &str = "GK030";
pub const GK031: &str = "GK031";
pub const GK032: &str = "GK032";
pub const GK033: &str = "GK033";

/// All rules, in id order.
pub static RULES: &[Rule] = &[
    Rule {
        id: GK001,
        level: Level::Error,
        name: "章节缺失或顺序错误",
        summary: "年度报告的六个部分有缺失，或顺序与模板不一致",
        explanation: "国家模板规定年度报告由六部分组成，依次为：一、总体情况；二、主动公开政府信息情况；\
三、收到和处理政府信息公开申请情况；四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及改进情况；\
六、其他需要报告的事项。\n\n本规则按标题文字（而非序号）识别各部分，因此“总体情况”下的“二、依申请公开情况”\
不会被误认为第二部分。缺少任何一部分，或各部分出现顺序与模板不同，均报告此错误。\n\n\
修改方法：按模板补齐缺失的部分，并按模板顺序排列。",
    },
    Rule {
        id: GK002,
        level: Level::Error,
        name: "表格缺失",
        summary: "模板要求的表格未找到",
        explanation: "第二、三、四部分各有一张固定格式的表格（主动公开政府信息情况表；收到和处理政府信息公开申请情况表；\
政府信息公开行政复议、行政诉讼情况表）。即使全部数据为零，也应按模板列出表格。\n\n\
修改方法：在对应部分按模板插入完整表格。",
    },
    Rule {
        id: GK003,
        level: Level::Error,
        name: "行或列缺失",
        summary: "表格缺少模板规定的行或列",
        explanation: "表格中缺少的行或列，其单元格视为“未知”而不是零：依赖这些单元格的核对规则不会执行，\
本规则说明原因。例如缺少“总计”列时，无法核对各行合计（GK010）。整行或整列全部留空的，也按缺失处理。\n\n\
修改方法：按模板补齐缺失的行或列，数值为零的填写 0。",
    },
    Rule {
        id: GK004,
        level: Level::Warning,
        name: "标签与模板不一致",
        summary: "行或列的名称与模板文字不同",
        explanation: "表格的行名、列名应与国家模板一字不差。读取时会容忍空格、全角半角括号与标点、引号样式、\
序号写法（“1.”“1、”“1. ”）等格式差异，这些不报告；文字上的差异（错别字、增删字词）会被识别为最接近的模板标签，\
并在此报告模板的原文。\n\n示例：“本年度止件数”应为“本年废止件数”；“其他法律法规禁止公开”应为“其他法律行政法规禁止公开”。\n\n\
修改方法：将标签改为模板原文。",
    },
    Rule {
        id: GK005,
        level: Level::Error,
        name: "数值无效",
        summary: "单元格不是数字，或为负数，或件数不是整数",
        explanation: "表格中的件数必须是非负整数；“本年收费金额”以万元为单位，可以有小数；\
2019 年版模板中的“本年增/减”可以为负数。单元格中的文字、负数、件数中的小数都会报告此错误，该单元格按缺失处理。\n\n\
修改方法：填写正确的数字。",
    },
    Rule {
        id: GK006,
        level: Level::Info,
        name: "空白单元格按零读取",
        summary: "表格中的空白单元格（或“—”“/”“无”）按 0 读取",
        explanation: "许多报告把零留空或写作“—”“-”“/”“无”。当该单元格所在的行和列都存在时，按 0 读取，并给出本提示，\
以免悄悄改动数据。整行或整列都为空的（行名或列名在，单元格全为空白），该行或该列同样存在，按 0 读取；\
只有行名或列名根本没有出现时，才按缺失处理（见 GK003）。\n\n修改方法：零值请填写 0。",
    },
    Rule {
        id: GK007,
        level: Level::Info,
        name: "行内数字个数与表头不符",
        summary: "一行中的数字个数与表头列数不同，已按首尾对齐读取",
        explanation: "从网页或 PDF 复制的表格常丢失空白单元格，或多出一个单元格。此时按以下方式读取并给出本提示：\
第一个数字对应第一列；若表格有“总计”列，最后一个数字对应“总计”；其余数字依次对应中间各列，缺少的中间列按空白（0）读取，\
多出的数字舍弃。请核对原表。\n\n修改方法：使每行的数字个数与表头列数一致。",
    },
    Rule {
        id: GK008,
        level: Level::Info,
        name: "读取时的恢复处理",
        summary: "读取时跳过或换算了部分内容（页码、单位换算、无法识别的行等）",
        explanation: "读取不规范的输入时，为尽量恢复数据而做的处理：跳过表格中的页码（如“- 4 -”）、\
把以“元”为单位的收费金额换算为万元、跳过无法识别的表格行等。每一处处理都给出本提示，不悄悄修改数据。",
    },
    Rule {
        id: GK009,
        level: Level::Warning,
        name: "粘连数字无法唯一拆分",
        summary: "相邻单元格的数字粘连在一起，按表内勾稽关系有不止一种拆分，相关单元格按缺失处理",
        explanation: "从网页抓取的文本常丢失单元格之间的分隔，相邻单元格的数字连成一串（如“15231001157”）。\
gongkai 按模板自身的勾稽关系拆分：表三每行六类申请人之和等于总计，每列办理结果各项之和等于（七）总计，\
第一项加第二项等于第三项加第四项；表四每组各项之和等于总计。只有一种拆分满足全部关系时，按该拆分读取并给出提示（GK008）；\
有几种拆分都满足时，不作猜测：本警告列出无法确定的单元格，这些单元格按缺失处理。\n\n\
修改方法：核对原表，或改用保留表格结构的版本（网页、Word、PDF）。",
    },
    Rule {
        id: GK010,
        level: Level::Error,
        name: "表三行合计不符",
        summary: "表三每一行：总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他",
        explanation: "收到和处理政府信息公开申请情况表中，每一行的“总计”应等于六类申请人的数量之和。\n\n\
该行缺少任何一列时本规则不执行（见 GK003）。\n\n修改方法：重新核算该行各列与总计。",
    },
    Rule {
        id: GK011,
        level: Level::Error,
        name: "表三办理结果合计不符",
        summary: "表三每一列：（七）总计 = 予以公开 + 部分公开 + 不予公开各项 + 无法提供各项 + 不予处理各项 + 其他处理各项",
        explanation: "“（七）总计”是本年度办理结果（一）至（六）各项之和。每一列（每类申请人及总计）分别核对。\n\n\
修改方法：重新核算办理结果各项与（七）总计。",
    },
    Rule {
        id: GK012,
        level: Level::Error,
        name: "表三勾稽关系不符",
        summary: "表三每一列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理",
        explanation: "表三左上角注明：“本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和”。\
即每一列中，“一、本年新收政府信息公开申请数量”加“二、上年结转政府信息公开申请数量”，\
等于“（七）总计”加“四、结转下年度继续办理”。\n\n修改方法：核对新收、结转、办结的件数。",
    },
    Rule {
        id: GK013,
        level: Level::Error,
        name: "表四合计不符",
        summary: "表四每一组：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
        explanation: "行政复议、未经复议直接起诉、复议后起诉三组，各自的“总计”应等于结果维持、结果纠正、其他结果、\
尚未审结四项之和。\n\n修改方法：重新核算该组各项与总计。",
    },
    Rule {
        id: GK020,
        level: Level::Error,
        name: "上年结转与上年报告不符",
        summary: "同一机关：本年“上年结转”各列 = 上一年度报告“结转下年度继续办理”各列",
        explanation: "同时检查同一机关连续年度的报告时（机关名称经规范化后相同），本年度表三“二、上年结转政府信息公开申请数量”\
每一列，应等于上一年度报告表三“四、结转下年度继续办理”的同一列。\n\n修改方法：核对两年的结转数据。",
    },
    Rule {
        id: GK021,
        level: Level::Warning,
        name: "现行有效件数与上年不衔接",
        summary: "同一机关：现行有效件数（本年）= 现行有效件数（上年）+ 本年制发 − 本年废止",
        explanation: "规章、行政规范性文件的“现行有效件数”应与上一年度报告衔接：上年现行有效件数加本年制发件数，\
减本年废止件数。因文件自然失效等原因可能不一致，故为警告。\n\n修改方法：核对制发、废止和现行有效件数。",
    },
    Rule {
        id: GK030,
        level: Level::Warning,
        name: "正文数字与表格不符",
        summary: "正文中写明的数字与表格中的数据矛盾",
        explanation: "例如正文写“全年共收到政府信息公开申请81件”，而表三“一、本年新收政府信息公开申请数量”的总计不是 81；\
或正文写“未收到政府信息公开申请”而表中新收件数不为零。\n\n修改方法：使正文与表格一致。",
    },
    Rule {
        id: GK031,
        level: Level::Warning,
        name: "年度不一致",
        summary: "标题中的年度、统计期限和文件名中的年度不一致",
        explanation: "年度报告标题中的年度（如“2025年政府信息公开工作年度报告”）、正文写明的统计期限\
（如“统计时限为2025年1月1日起至2025年12月31日止”）以及文件名中的年度应当一致。\n\n修改方法：核对报告年度。",
    },
    Rule {
        id: GK032,
        level: Level::Warning,
        name: "使用旧版模板",
        summary: "2021 年及以后的年度报告使用了 2019 年版模板",
        explanation: "自 2021 年度起，年度报告应使用《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）。\
2019 年版模板（国办公开办函〔2019〕60号）仅适用于 2019、2020 年度。\n\n修改方法：按新版模板重新填报表格。",
    },
    Rule {
        id: GK033,
        level: Level::Warning,
        name: "正文有未填写的占位文字",
        summary: "正文中留有“尚未填写”“待填写”“此处填写”等占位文字",
        explanation: "年度报告的每一部分都应写明实际情况。正文中留有“（本部分尚未填写。）”“待填写”“待补充”“此处填写”\
“请填写”或“××”之类的占位文字，说明这一部分还没有写完，不能这样公开。\n\n修改方法：写明该部分的实际内容；\
确无相关情况的，写明“无”或说明情况。",
    },
];

/// Looks a rule up by id (case-insensitive).
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id.eq_ignore_ascii_case(id.trim()))
}
