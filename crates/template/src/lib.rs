//! The national templates of the 政府信息公开工作年度报告, as data.
//!
//! Two editions exist: the 2021 edition (国办公开办函〔2021〕30号), used from the
//! 2021 report year, and the 2019 trial edition (国办公开办函〔2019〕60号), used for
//! 2019 and 2020. Everything the rest of gongkai knows about the template —
//! section titles, tables, rows, columns, labels and cell addresses — is here,
//! and only here. Other crates ask questions of a [`Template`].
//!
//! This crate does no IO.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

pub mod text;

/// The edition of the national template a report follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Edition {
    /// 国办公开办函〔2021〕30号, report years 2021 onwards.
    V2021,
    /// 国办公开办函〔2019〕60号 (试行), report years 2019 and 2020.
    V2019,
}

impl Edition {
    pub const ALL: [Edition; 2] = [Edition::V2021, Edition::V2019];

    /// "2021" or "2019", as in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Edition::V2021 => "2021",
            Edition::V2019 => "2019",
        }
    }

    pub fn parse(s: &str) -> Option<Edition> {
        match s.trim() {
            "2021" => Some(Edition::V2021),
            "2019" => Some(Edition::V2019),
            _ => None,
        }
    }

    /// The document that issued this edition.
    pub fn document(self) -> &'static str {
        match self {
            Edition::V2021 => "国办公开办函〔2021〕30号",
            Edition::V2019 => "国办公开办函〔2019〕60号",
        }
    }
}

impl fmt::Display for Edition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The six sections of a report, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SectionKey {
    General,
    Proactive,
    Requests,
    Appeals,
    Problems,
    Other,
}

impl SectionKey {
    pub const ALL: [SectionKey; 6] = [
        SectionKey::General,
        SectionKey::Proactive,
        SectionKey::Requests,
        SectionKey::Appeals,
        SectionKey::Problems,
        SectionKey::Other,
    ];

    /// Stable key used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            SectionKey::General => "general",
            SectionKey::Proactive => "proactive",
            SectionKey::Requests => "requests",
            SectionKey::Appeals => "appeals",
            SectionKey::Problems => "problems",
            SectionKey::Other => "other",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// One of the three tables of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableKey {
    /// 主动公开政府信息情况
    T2,
    /// 收到和处理政府信息公开申请情况
    T3,
    /// 政府信息公开行政复议、行政诉讼情况
    T4,
}

impl TableKey {
    pub const ALL: [TableKey; 3] = [TableKey::T2, TableKey::T3, TableKey::T4];

    pub fn as_str(self) -> &'static str {
        match self {
            TableKey::T2 => "t2",
            TableKey::T3 => "t3",
            TableKey::T4 => "t4",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// A section heading of the template.
#[derive(Debug, Clone)]
pub struct Section {
    pub key: SectionKey,
    /// "一" … "六"
    pub numeral: &'static str,
    /// The title as the template words it, without the numeral.
    pub title: &'static str,
    /// Other wordings seen in real reports, accepted without comment.
    pub variants: &'static [&'static str],
    pub table: Option<TableKey>,
}

impl Section {
    /// "一、总体情况"
    pub fn heading(&self) -> String {
        format!("{}、{}", self.numeral, self.title)
    }
}

/// What kind of number a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// A whole, non-negative number of items.
    Count,
    /// A whole number that may be negative (本年增/减).
    Change,
    /// An amount in 万元, decimals allowed.
    Amount,
}

/// A column of a table.
#[derive(Debug, Clone)]
pub struct Column {
    pub key: &'static str,
    pub label: &'static str,
    /// The header cell spanning this column and its neighbours, if any
    /// (法人或其他组织, 未经复议直接起诉 …).
    pub group: Option<&'static str>,
    pub kind: ValueKind,
}

/// A row of a table.
#[derive(Debug, Clone)]
pub struct Row {
    pub key: &'static str,
    pub label: &'static str,
    /// The row-spanning label this row sits under (（三）不予公开 …), if any.
    pub group: Option<&'static str>,
    /// For table 2, the sub-table heading (第二十条第（一）项 …).
    pub clause: Option<&'static str>,
    /// Indices into [`Table::columns`] of the cells this row has.
    pub columns: Vec<usize>,
}

impl Row {
    /// The label with its group, as a reader would say it: "（三）不予公开 · 1.属于国家秘密".
    pub fn full_label(&self) -> String {
        match self.group {
            Some(g) => format!("{g} · {}", self.label),
            None => self.label.to_string(),
        }
    }
}

/// A table of the template.
#[derive(Debug, Clone)]
pub struct Table {
    pub key: TableKey,
    pub section: SectionKey,
    pub title: &'static str,
    pub rows: Vec<Row>,
    pub columns: Vec<Column>,
    /// Header cells that are part of the template but name no column.
    pub header_notes: &'static [&'static str],
    /// Row groups, in order (三、本年度办理结果, （三）不予公开 …).
    pub row_groups: &'static [&'static str],
    /// Column groups, in order (申请人情况, 法人或其他组织 …).
    pub column_groups: &'static [&'static str],
}

impl Table {
    pub fn row(&self, key: &str) -> Option<(usize, &Row)> {
        self.rows.iter().enumerate().find(|(_, r)| r.key == key)
    }
    pub fn column(&self, key: &str) -> Option<(usize, &Column)> {
        self.columns.iter().enumerate().find(|(_, c)| c.key == key)
    }
}

/// A cell of the template, with its address.
#[derive(Debug, Clone)]
pub struct CellDef {
    /// "t3.withheld.state_secret.natural_person"
    pub address: String,
    pub table: TableKey,
    pub row: usize,
    pub column: usize,
    pub kind: ValueKind,
}

/// Index of a cell within its template's [`Template::cells`].
pub type CellIndex = usize;

/// One edition of the national template.
#[derive(Debug)]
pub struct Template {
    pub edition: Edition,
    pub title_suffix: &'static str,
    pub sections: Vec<Section>,
    pub tables: Vec<Table>,
    pub cells: Vec<CellDef>,
    by_address: HashMap<String, CellIndex>,
    /// `grid[table][row][column]` → cell index.
    grid: Vec<Vec<Vec<Option<CellIndex>>>>,
}

impl Template {
    /// The template of an edition, built once.
    pub fn get(edition: Edition) -> &'static Template {
        static T2021: OnceLock<Template> = OnceLock::new();
        static T2019: OnceLock<Template> = OnceLock::new();
        match edition {
            Edition::V2021 => T2021.get_or_init(|| build(Edition::V2021)),
            Edition::V2019 => T2019.get_or_init(|| build(Edition::V2019)),
        }
    }

    pub fn section(&self, key: SectionKey) -> &Section {
        &self.sections[key.index()]
    }

    pub fn table(&self, key: TableKey) -> &Table {
        &self.tables[key.index()]
    }

    /// The cell at an address such as "t3.granted.total".
    pub fn cell_index(&self, address: &str) -> Option<CellIndex> {
        self.by_address.get(address).copied()
    }

    /// The cell of a table at a row and column, if the template has one there.
    pub fn cell_at(&self, table: TableKey, row: usize, column: usize) -> Option<CellIndex> {
        self.grid[table.index()]
            .get(row)?
            .get(column)
            .copied()
            .flatten()
    }

    /// The cell of a table by row and column keys.
    pub fn cell_by_keys(&self, table: TableKey, row: &str, column: &str) -> Option<CellIndex> {
        let t = self.table(table);
        let (r, _) = t.row(row)?;
        let (c, _) = t.column(column)?;
        self.cell_at(table, r, c)
    }

    /// How a reader names a cell: "表三 （三）不予公开 · 1.属于国家秘密 / 自然人".
    pub fn cell_label(&self, index: CellIndex) -> String {
        let def = &self.cells[index];
        let table = self.table(def.table);
        let row = &table.rows[def.row];
        let col = &table.columns[def.column];
        let col_label = match col.group {
            Some(g) if table.key != TableKey::T2 => format!("{g} · {}", col.label),
            _ => col.label.to_string(),
        };
        format!(
            "{} {} / {}",
            table_name(def.table),
            row.full_label(),
            col_label
        )
    }
}

/// "表二", "表三", "表四" — the tables are named after their sections.
pub fn table_name(key: TableKey) -> &'static str {
    match key {
        TableKey::T2 => "表二",
        TableKey::T3 => "表三",
        TableKey::T4 => "表四",
    }
}

// ---------------------------------------------------------------------------
// The data.

fn sections() -> Vec<Section> {
    vec![
        Section {
            key: SectionKey::General,
            numeral: "一",
            title: "总体情况",
            variants: &["基本情况", "总体工作情况"],
            table: None,
        },
        Section {
            key: SectionKey::Proactive,
            numeral: "二",
            title: "主动公开政府信息情况",
            variants: &["行政机关主动公开政府信息情况", "主动公开政府信息的情况"],
            table: Some(TableKey::T2),
        },
        Section {
            key: SectionKey::Requests,
            numeral: "三",
            title: "收到和处理政府信息公开申请情况",
            variants: &[],
            table: Some(TableKey::T3),
        },
        Section {
            key: SectionKey::Appeals,
            numeral: "四",
            title: "政府信息公开行政复议、行政诉讼情况",
            variants: &[
                "政府信息公开行政复议及行政诉讼情况",
                "政府信息公开行政复议和行政诉讼情况",
                "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
                "因政府信息公开工作被申请行政复议和提起行政诉讼情况",
                "因政府信息公开申请行政复议、提起行政诉讼情况",
                "政府信息公开行政复议、行政诉讼情况统计",
            ],
            table: Some(TableKey::T4),
        },
        Section {
            key: SectionKey::Problems,
            numeral: "五",
            title: "存在的主要问题及改进情况",
            variants: &[
                "存在问题及改进情况",
                "存在的主要问题和改进情况",
                "存在的主要问题及改进措施",
                "存在的主要问题和改进措施",
                "存在的主要问题及整改措施",
                "存在的主要问题及整改情况",
                "政府信息公开工作存在的主要问题及改进情况",
                "政府信息公开工作存在的主要问题及改进措施",
                "政府信息公开工作存在的主要问题和改进措施",
            ],
            table: None,
        },
        Section {
            key: SectionKey::Other,
            numeral: "六",
            title: "其他需要报告的事项",
            variants: &[
                "其他需要报告事项",
                "其他需要说明的事项",
                "其他需要报告的情况",
            ],
            table: None,
        },
    ]
}

const fn col(
    key: &'static str,
    label: &'static str,
    group: Option<&'static str>,
    kind: ValueKind,
) -> Column {
    Column {
        key,
        label,
        group,
        kind,
    }
}

fn row(
    key: &'static str,
    label: &'static str,
    group: Option<&'static str>,
    columns: Vec<usize>,
) -> Row {
    Row {
        key,
        label,
        group,
        clause: None,
        columns,
    }
}

fn t2_row(
    key: &'static str,
    label: &'static str,
    clause: &'static str,
    columns: Vec<usize>,
) -> Row {
    Row {
        key,
        label,
        group: None,
        clause: Some(clause),
        columns,
    }
}

/// Clause headings of table 2.
pub const CLAUSE_1: &str = "第二十条第（一）项";
pub const CLAUSE_5: &str = "第二十条第（五）项";
pub const CLAUSE_6: &str = "第二十条第（六）项";
pub const CLAUSE_8: &str = "第二十条第（八）项";
pub const CLAUSE_9: &str = "第二十条第（九）项";

fn table2(edition: Edition) -> Table {
    use ValueKind::*;
    match edition {
        Edition::V2021 => Table {
            key: TableKey::T2,
            section: SectionKey::Proactive,
            title: "主动公开政府信息情况",
            columns: vec![
                col("issued", "本年制发件数", None, Count),
                col("repealed", "本年废止件数", None, Count),
                col("in_force", "现行有效件数", None, Count),
                col("decided", "本年处理决定数量", None, Count),
                col("amount", "本年收费金额（单位：万元）", None, Amount),
            ],
            rows: vec![
                t2_row("regulation", "规章", CLAUSE_1, vec![0, 1, 2]),
                t2_row("normative", "行政规范性文件", CLAUSE_1, vec![0, 1, 2]),
                t2_row("license", "行政许可", CLAUSE_5, vec![3]),
                t2_row("penalty", "行政处罚", CLAUSE_6, vec![3]),
                t2_row("coercion", "行政强制", CLAUSE_6, vec![3]),
                t2_row("fee", "行政事业性收费", CLAUSE_8, vec![4]),
            ],
            header_notes: &["信息内容"],
            row_groups: &[CLAUSE_1, CLAUSE_5, CLAUSE_6, CLAUSE_8],
            column_groups: &[],
        },
        Edition::V2019 => Table {
            key: TableKey::T2,
            section: SectionKey::Proactive,
            title: "主动公开政府信息情况",
            columns: vec![
                col("made", "本年新制作数量", None, Count),
                col("published", "本年新公开数量", None, Count),
                col("public_total", "对外公开总数量", None, Count),
                col("previous", "上一年项目数量", None, Count),
                col("change", "本年增/减", None, Change),
                col("decided", "处理决定数量", None, Count),
                col("projects", "采购项目数量", None, Count),
                col("amount", "采购总金额", None, Amount),
            ],
            rows: vec![
                t2_row("regulation", "规章", CLAUSE_1, vec![0, 1, 2]),
                t2_row("normative", "规范性文件", CLAUSE_1, vec![0, 1, 2]),
                t2_row("license", "行政许可", CLAUSE_5, vec![3, 4, 5]),
                t2_row(
                    "other_service",
                    "其他对外管理服务事项",
                    CLAUSE_5,
                    vec![3, 4, 5],
                ),
                t2_row("penalty", "行政处罚", CLAUSE_6, vec![3, 4, 5]),
                t2_row("coercion", "行政强制", CLAUSE_6, vec![3, 4, 5]),
                t2_row("fee", "行政事业性收费", CLAUSE_8, vec![3, 4]),
                t2_row("procurement", "政府集中采购", CLAUSE_9, vec![6, 7]),
            ],
            header_notes: &["信息内容"],
            row_groups: &[CLAUSE_1, CLAUSE_5, CLAUSE_6, CLAUSE_8, CLAUSE_9],
            column_groups: &[],
        },
    }
}

/// Row group labels of table 3.
pub const T3_RESULTS: &str = "三、本年度办理结果";
pub const T3_WITHHELD: &str = "（三）不予公开";
pub const T3_UNAVAILABLE: &str = "（四）无法提供";
pub const T3_NOT_PROCESSED: &str = "（五）不予处理";
pub const T3_OTHER: &str = "（六）其他处理";
/// Column group labels of table 3.
pub const T3_APPLICANTS: &str = "申请人情况";
pub const T3_ORGS: &str = "法人或其他组织";
/// The note in the top-left header cell of table 3.
pub const T3_NOTE: &str = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

fn table3(edition: Edition) -> Table {
    use ValueKind::*;
    let columns = vec![
        col("natural_person", "自然人", None, Count),
        col("business", "商业企业", Some(T3_ORGS), Count),
        col("research", "科研机构", Some(T3_ORGS), Count),
        col("social_welfare", "社会公益组织", Some(T3_ORGS), Count),
        col("legal_service", "法律服务机构", Some(T3_ORGS), Count),
        col("other_org", "其他", Some(T3_ORGS), Count),
        col("total", "总计", None, Count),
    ];
    let all: Vec<usize> = (0..columns.len()).collect();
    let r = |key, label, group| row(key, label, group, all.clone());
    let mut rows = vec![
        r("new_received", "一、本年新收政府信息公开申请数量", None),
        r("carried_over", "二、上年结转政府信息公开申请数量", None),
        r("granted", "（一）予以公开", Some(T3_RESULTS)),
        r(
            "partially_granted",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            Some(T3_RESULTS),
        ),
        r("withheld.state_secret", "1.属于国家秘密", Some(T3_WITHHELD)),
        r(
            "withheld.prohibited_by_law",
            "2.其他法律行政法规禁止公开",
            Some(T3_WITHHELD),
        ),
        r(
            "withheld.security_stability",
            "3.危及“三安全一稳定”",
            Some(T3_WITHHELD),
        ),
        r(
            "withheld.third_party_rights",
            "4.保护第三方合法权益",
            Some(T3_WITHHELD),
        ),
        r(
            "withheld.internal_affairs",
            "5.属于三类内部事务信息",
            Some(T3_WITHHELD),
        ),
        r(
            "withheld.process_information",
            "6.属于四类过程性信息",
            Some(T3_WITHHELD),
        ),
        r(
            "withheld.enforcement_case_file",
            "7.属于行政执法案卷",
            Some(T3_WITHHELD),
        ),
        r(
            "withheld.query_service",
            "8.属于行政查询事项",
            Some(T3_WITHHELD),
        ),
        r(
            "unavailable.not_held",
            "1.本机关不掌握相关政府信息",
            Some(T3_UNAVAILABLE),
        ),
        r(
            "unavailable.requires_compilation",
            "2.没有现成信息需要另行制作",
            Some(T3_UNAVAILABLE),
        ),
        r(
            "unavailable.still_unclear",
            "3.补正后申请内容仍不明确",
            Some(T3_UNAVAILABLE),
        ),
        r(
            "not_processed.petition_complaint",
            "1.信访举报投诉类申请",
            Some(T3_NOT_PROCESSED),
        ),
        r(
            "not_processed.repeated",
            "2.重复申请",
            Some(T3_NOT_PROCESSED),
        ),
        r(
            "not_processed.publication",
            "3.要求提供公开出版物",
            Some(T3_NOT_PROCESSED),
        ),
        r(
            "not_processed.excessive",
            "4.无正当理由大量反复申请",
            Some(T3_NOT_PROCESSED),
        ),
        r(
            "not_processed.confirmation",
            "5.要求行政机关确认或重新出具已获取信息",
            Some(T3_NOT_PROCESSED),
        ),
    ];
    match edition {
        Edition::V2021 => rows.extend([
            r(
                "other.no_correction",
                "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                Some(T3_OTHER),
            ),
            r(
                "other.fee_unpaid",
                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                Some(T3_OTHER),
            ),
            r("other.other", "3.其他", Some(T3_OTHER)),
        ]),
        Edition::V2019 => rows.push(r("other", T3_OTHER, Some(T3_RESULTS))),
    }
    rows.push(r("total_processed", "（七）总计", Some(T3_RESULTS)));
    rows.push(r("carried_forward", "四、结转下年度继续办理", None));
    Table {
        key: TableKey::T3,
        section: SectionKey::Requests,
        title: "收到和处理政府信息公开申请情况",
        rows,
        columns,
        header_notes: &[T3_NOTE, T3_APPLICANTS, T3_ORGS],
        row_groups: match edition {
            Edition::V2021 => &[
                T3_RESULTS,
                T3_WITHHELD,
                T3_UNAVAILABLE,
                T3_NOT_PROCESSED,
                T3_OTHER,
            ],
            Edition::V2019 => &[T3_RESULTS, T3_WITHHELD, T3_UNAVAILABLE, T3_NOT_PROCESSED],
        },
        column_groups: &[T3_APPLICANTS, T3_ORGS],
    }
}

/// Group labels of table 4.
pub const T4_REVIEW: &str = "行政复议";
pub const T4_SUIT: &str = "行政诉讼";
pub const T4_SUIT_DIRECT: &str = "未经复议直接起诉";
pub const T4_SUIT_AFTER_REVIEW: &str = "复议后起诉";

fn table4() -> Table {
    use ValueKind::*;
    let columns = vec![
        col("upheld", "结果维持", None, Count),
        col("corrected", "结果纠正", None, Count),
        col("other", "其他结果", None, Count),
        col("pending", "尚未审结", None, Count),
        col("total", "总计", None, Count),
    ];
    let all: Vec<usize> = (0..columns.len()).collect();
    Table {
        key: TableKey::T4,
        section: SectionKey::Appeals,
        title: "政府信息公开行政复议、行政诉讼情况",
        rows: vec![
            row("review", T4_REVIEW, None, all.clone()),
            row("suit_direct", T4_SUIT_DIRECT, Some(T4_SUIT), all.clone()),
            row(
                "suit_after_review",
                T4_SUIT_AFTER_REVIEW,
                Some(T4_SUIT),
                all,
            ),
        ],
        columns,
        header_notes: &[],
        row_groups: &[T4_SUIT],
        column_groups: &[],
    }
}

fn build(edition: Edition) -> Template {
    let tables = vec![table2(edition), table3(edition), table4()];
    let mut cells = Vec::new();
    let mut by_address = HashMap::new();
    let mut grid = Vec::new();
    for table in &tables {
        let mut tgrid = vec![vec![None; table.columns.len()]; table.rows.len()];
        for (ri, row) in table.rows.iter().enumerate() {
            for &ci in &row.columns {
                let column = &table.columns[ci];
                let address = format!("{}.{}.{}", table.key.as_str(), row.key, column.key);
                let index = cells.len();
                by_address.insert(address.clone(), index);
                tgrid[ri][ci] = Some(index);
                cells.push(CellDef {
                    address,
                    table: table.key,
                    row: ri,
                    column: ci,
                    kind: column.kind,
                });
            }
        }
        grid.push(tgrid);
    }
    Template {
        edition,
        title_suffix: "政府信息公开工作年度报告",
        sections: sections(),
        tables,
        cells,
        by_address,
        grid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_follow_the_spec() {
        let t = Template::get(Edition::V2021);
        for a in [
            "t2.regulation.issued",
            "t2.normative.in_force",
            "t2.license.decided",
            "t2.fee.amount",
            "t3.withheld.third_party_rights.natural_person",
            "t3.other.no_correction.total",
            "t3.carried_forward.other_org",
            "t4.suit_after_review.pending",
        ] {
            assert!(t.cell_index(a).is_some(), "{a}");
        }
        assert!(t.cell_index("t2.license.issued").is_none());
        // 6 + 1+1+1+1 = 10 cells in table 2, 25 rows × 7 in table 3, 15 in table 4.
        assert_eq!(t.cells.len(), 10 + 25 * 7 + 15);
    }

    #[test]
    fn edition_2019_has_one_other_row() {
        let t = Template::get(Edition::V2019);
        assert!(t.cell_index("t3.other.total").is_some());
        assert!(t.cell_index("t3.other.other.total").is_none());
        assert!(t.cell_index("t2.procurement.amount").is_some());
        assert_eq!(t.cells.len(), 3 * 2 + 3 * 4 + 2 + 2 + 23 * 7 + 15);
    }

    #[test]
    fn labels_are_unique_within_a_table() {
        for e in Edition::ALL {
            let t = Template::get(e);
            for table in &t.tables {
                let mut seen = std::collections::HashSet::new();
                for r in &table.rows {
                    assert!(seen.insert(text::normalize(r.label)), "{}", r.label);
                }
            }
        }
    }
}
