//! Importing the 台账 offices already keep: an Excel workbook (.xlsx) or a CSV
//! file (UTF-8 with or without BOM, UTF-16 with BOM, or GBK/GB18030), read
//! by [`crate::sheet`].
//!
//! The header row is found by its headings (编号, 收到日期, 申请人 …), matched
//! the way report labels are: normalised, then exactly or by a synonym, then by
//! containment or within a small edit distance (reported as fuzzy). Every row
//! that cannot be read is reported with its line, column, value and what was
//! expected; the store refuses the whole file when there is any. Nothing here
//! reads the clock or the disk, and no input makes it panic.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{Applicant, ApplicantKind, Channel, NewApplication, Outcome};
use crate::sheet::{self, quote, Columns, RecordField, Row, Schema, Value};
pub use crate::sheet::{ImportError, RowError};

/// One application read from a row of the ledger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportedApplication {
    /// 1-based row in the sheet, or the line of the CSV where the record starts.
    pub line: usize,
    pub application: NewApplication,
    /// The reply and its outcome, when the case is closed.
    pub reply: Option<(NaiveDate, Outcome)>,
    /// The 备注 column, and what the import assumed for this row (joined by "；").
    pub note: String,
}

/// A row (or cell) that could not be read.
/// What was read from a ledger file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportReport {
    /// The worksheet read (`None` for CSV).
    pub sheet: Option<String>,
    /// 1-based line of the header row.
    pub header_line: usize,
    /// The columns read: heading as written, field label, matched fuzzily.
    pub columns: Vec<(String, String, bool)>,
    pub rows: Vec<ImportedApplication>,
    pub errors: Vec<RowError>,
    /// What the import assumed or skipped, for the clerk to confirm.
    pub notes: Vec<String>,
}

impl ImportReport {
    /// True when every row could be read.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Longest text kept in a field.
const MAX_FIELD_CHARS: usize = 5_000;
/// The earliest year of a date in a 台账.
const FIRST_YEAR: i32 = 1990;

// ---------------------------------------------------------------------------
// Fields and headings

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Field {
    Number,
    Received,
    Name,
    Kind,
    IdDocument,
    Contact,
    Channel,
    Request,
    Form,
    Replied,
    Outcome,
    Note,
}

const REQUIRED: [Field; 4] = [Field::Received, Field::Name, Field::Kind, Field::Request];

/// What a 台账 is called and must have.
const LEDGER: Schema<Field> = Schema {
    file: "台账",
    one: "一件申请",
    many: "申请",
    required: &REQUIRED,
};

impl RecordField for Field {
    const ALL: &'static [Field] = &[
        Field::Number,
        Field::Received,
        Field::Name,
        Field::Kind,
        Field::IdDocument,
        Field::Contact,
        Field::Channel,
        Field::Request,
        Field::Form,
        Field::Replied,
        Field::Outcome,
        Field::Note,
    ];

    /// The canonical heading first, then the words offices use for it.
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Field::Number => &[
                "编号",
                "序号",
                "申请编号",
                "登记编号",
                "受理编号",
                "登记号",
                "流水号",
                "申请序号",
            ],
            Field::Received => &[
                "收到日期",
                "收文日期",
                "申请日期",
                "受理日期",
                "收到申请日期",
                "收到申请时间",
                "收到时间",
                "收文时间",
                "申请时间",
                "受理时间",
                "登记日期",
                "登记时间",
                "收件日期",
                "接收日期",
            ],
            Field::Name => &[
                "申请人",
                "姓名",
                "名称",
                "申请人姓名",
                "申请人名称",
                "申请人姓名名称",
                "申请人姓名或名称",
                "姓名名称",
                "姓名或名称",
                "申请人单位",
                "申请单位",
            ],
            Field::Kind => &[
                "申请人类型",
                "申请人类别",
                "申请人性质",
                "申请人身份",
                "申请主体类型",
                "申请主体",
                "类型",
                "类别",
            ],
            Field::IdDocument => &[
                "证件号码",
                "证件号",
                "身份证号码",
                "身份证号",
                "身份证件号码",
                "证件类型及号码",
                "统一社会信用代码",
                "证件名称及号码",
                "身份证明",
            ],
            Field::Contact => &[
                "联系方式",
                "联系电话",
                "电话",
                "手机",
                "手机号码",
                "地址",
                "联系地址",
                "通讯地址",
                "通信地址",
                "邮寄地址",
                "电子邮箱",
                "邮箱",
                "邮政编码",
            ],
            Field::Channel => &[
                "申请方式",
                "申请渠道",
                "提交方式",
                "申请途径",
                "受理方式",
                "收件方式",
                "来件方式",
                "申请形式",
            ],
            Field::Request => &[
                "申请内容",
                "所需信息",
                "所需信息内容",
                "所需信息内容描述",
                "所需政府信息",
                "所需政府信息的内容描述",
                "申请公开内容",
                "申请公开的内容",
                "申请公开的政府信息",
                "申请公开信息内容",
                "申请公开的信息内容",
                "申请信息内容",
                "申请事项",
                "内容描述",
                "信息内容",
            ],
            Field::Form => &[
                "获取方式",
                "载体形式",
                "获取信息方式",
                "获取信息的方式",
                "提供形式",
                "提供方式",
                "信息载体",
                "载体形式要求",
                "形式要求",
                "所需信息的载体形式",
            ],
            Field::Replied => &[
                "答复日期",
                "办结日期",
                "答复时间",
                "办结时间",
                "回复日期",
                "回复时间",
                "告知日期",
                "答复告知日期",
                "出具答复日期",
            ],
            Field::Outcome => &[
                "办理结果",
                "答复结果",
                "处理结果",
                "答复情况",
                "办理情况",
                "处理情况",
                "答复类型",
                "处理决定",
                "答复意见",
                "答复结论",
                "结果",
            ],
            Field::Note => &["备注", "说明", "备考"],
        }
    }

    /// Fields that may have several columns (joined when read).
    fn multi(self) -> bool {
        matches!(self, Field::Contact | Field::Note)
    }

    fn keys() -> &'static [(Field, String, usize)] {
        static KEYS: OnceLock<Vec<(Field, String, usize)>> = OnceLock::new();
        KEYS.get_or_init(sheet::synonym_keys::<Field>)
    }
}

// ---------------------------------------------------------------------------
// Entry point

/// Reads a ledger: an .xlsx workbook (detected by its zip signature) or a CSV
/// file. In a workbook, the first sheet with a header row is read.
pub fn read_ledger(file_name: &str, bytes: &[u8]) -> Result<ImportReport, ImportError> {
    let table = sheet::read_table(file_name, bytes, &LEDGER)?;
    let cols = &table.cols;
    let mut notes = table.notes;
    if !cols.has(Field::Channel) {
        notes.push("台账没有“申请方式”列，全部申请按“其他”方式计".to_string());
    }
    if !cols.has(Field::Replied) && cols.has(Field::Outcome) {
        notes.push("台账没有“答复日期”列，有办理结果的行无法导入".to_string());
    }
    let mut report = ImportReport {
        sheet: table.sheet,
        header_line: table.header_line,
        columns: table.columns,
        rows: Vec::new(),
        errors: Vec::new(),
        notes,
    };
    let mut numbers: HashMap<String, usize> = HashMap::new();
    for row in &table.rows {
        read_row(row, cols, &mut numbers, &mut report);
    }
    report.notes.extend(table.row_notes);
    Ok(report)
}

// ---------------------------------------------------------------------------
// Rows

/// Words in 办理结果 that mean the case is still open.
const OPEN_WORDS: [&str; 10] = [
    "办理中",
    "正在办理",
    "在办",
    "未办结",
    "待答复",
    "处理中",
    "审核中",
    "延期答复",
    "征求意见中",
    "补正中",
];

fn read_row(
    row: &Row,
    cols: &Columns<Field>,
    numbers: &mut HashMap<String, usize>,
    report: &mut ImportReport,
) {
    let line = row.line;
    let mut errors: Vec<RowError> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let err = |errors: &mut Vec<RowError>, f: Field, v: &Value, message: String| {
        errors.push(RowError {
            line,
            column: cols.heading(f),
            value: quote(&v.shown()),
            message,
        });
    };
    let text = |errors: &mut Vec<RowError>, f: Field| -> String {
        let v = cols.value(row, f);
        let s = v.shown();
        if s.chars().count() > MAX_FIELD_CHARS {
            err(
                errors,
                f,
                &v,
                format!(
                    "{}过长（超过{MAX_FIELD_CHARS}字），请检查是否误粘贴了其他内容",
                    f.label()
                ),
            );
        }
        s
    };

    // 编号
    let number = text(&mut errors, Field::Number);
    let number = if number.is_empty() {
        None
    } else {
        match numbers.get(&number) {
            Some(first) => err(
                &mut errors,
                Field::Number,
                &Value::Text(number.clone()),
                format!("编号与第{first}行重复，同一台账中的编号应各不相同"),
            ),
            None => {
                numbers.insert(number.clone(), line);
            }
        }
        Some(number)
    };

    // 收到日期
    let received_v = cols.value(row, Field::Received);
    let received = match sheet::parse_date(&received_v, FIRST_YEAR) {
        Ok(d) => Some(d),
        Err(why) => {
            err(
                &mut errors,
                Field::Received,
                &received_v,
                format!("收到日期{why}"),
            );
            None
        }
    };

    // 申请人
    let name = text(&mut errors, Field::Name);
    if name.is_empty() {
        err(
            &mut errors,
            Field::Name,
            &Value::Empty,
            "申请人为空：应填写申请人的姓名或单位名称".to_string(),
        );
    }

    // 申请人类型
    let kind_v = cols.value(row, Field::Kind);
    let kinds = ApplicantKind::ALL
        .iter()
        .map(|k| k.label())
        .collect::<Vec<_>>()
        .join("、");
    let kind = match ApplicantKind::parse(&kind_v.shown()) {
        Some(k) => Some(k),
        None if kind_v.is_empty() => {
            err(
                &mut errors,
                Field::Kind,
                &kind_v,
                format!("申请人类型为空：应为{kinds}之一"),
            );
            None
        }
        None => {
            err(
                &mut errors,
                Field::Kind,
                &kind_v,
                format!("无法识别的申请人类型：应为{kinds}之一"),
            );
            None
        }
    };

    // 申请方式
    let channel = if cols.has(Field::Channel) {
        let v = cols.value(row, Field::Channel);
        match Channel::parse(&v.shown()) {
            Some(c) => c,
            None if v.is_empty() => {
                notes.push("申请方式未填写，按“其他”计".to_string());
                Channel::Other
            }
            None => {
                notes.push(format!(
                    "申请方式“{}”无法识别，按“其他”计",
                    quote(&v.shown())
                ));
                Channel::Other
            }
        }
    } else {
        Channel::Other
    };

    // 申请内容
    let request = text(&mut errors, Field::Request);
    if request.is_empty() {
        err(
            &mut errors,
            Field::Request,
            &Value::Empty,
            "申请内容为空：应填写申请获取的政府信息".to_string(),
        );
    }

    let id_document = text(&mut errors, Field::IdDocument);
    let contact = text(&mut errors, Field::Contact);
    let form = text(&mut errors, Field::Form);
    let remark = text(&mut errors, Field::Note);

    // 答复日期 and 办理结果
    let replied_v = cols.value(row, Field::Replied);
    let outcome_v = cols.value(row, Field::Outcome);
    let outcome_text = outcome_v.shown();
    let open_word = OPEN_WORDS.iter().any(|w| outcome_text.contains(w));
    let replied = if replied_v.is_empty() {
        None
    } else {
        match sheet::parse_date(&replied_v, FIRST_YEAR) {
            Ok(d) => {
                if let Some(r) = received {
                    if d < r {
                        err(
                            &mut errors,
                            Field::Replied,
                            &replied_v,
                            format!(
                                "答复日期早于收到日期（{}），应在收到申请之日或之后",
                                r.format("%Y-%m-%d")
                            ),
                        );
                    }
                }
                Some(d)
            }
            Err(why) => {
                err(
                    &mut errors,
                    Field::Replied,
                    &replied_v,
                    format!("答复日期{why}"),
                );
                None
            }
        }
    };
    let outcome = if outcome_v.is_empty() {
        None
    } else if open_word {
        if !replied_v.is_empty() {
            err(
                &mut errors,
                Field::Outcome,
                &outcome_v,
                "办理结果写的是尚在办理，却填写了答复日期：已答复的应填写办理结果，未答复的应删去答复日期"
                    .to_string(),
            );
        } else {
            notes.push(format!(
                "办理结果为“{}”，按尚未办结导入",
                quote(&outcome_text)
            ));
        }
        None
    } else {
        match Outcome::parse(&outcome_text) {
            Some(o) => {
                if o == Outcome::OTHER {
                    notes.push(format!("办理结果：{}", quote(&outcome_text)));
                }
                Some(o)
            }
            None => {
                err(
                    &mut errors,
                    Field::Outcome,
                    &outcome_v,
                    "无法识别的办理结果：应为年度报告表三中的一种情形，如予以公开、部分公开、\
                     不予公开（属于国家秘密）、本机关不掌握相关政府信息、不予处理（重复申请）、\
                     申请人撤回申请"
                        .to_string(),
                );
                None
            }
        }
    };
    if !replied_v.is_empty() && outcome_v.is_empty() {
        let (f, v) = if cols.has(Field::Outcome) {
            (Field::Outcome, &outcome_v)
        } else {
            (Field::Replied, &replied_v)
        };
        err(
            &mut errors,
            f,
            v,
            "填写了答复日期但没有办理结果：已答复的应填写办理结果，未答复的应删去答复日期"
                .to_string(),
        );
    }
    if replied_v.is_empty() && !outcome_v.is_empty() && !open_word {
        err(
            &mut errors,
            Field::Replied,
            &replied_v,
            format!(
                "有办理结果“{}”但没有答复日期：应填写答复日期",
                quote(&outcome_text)
            ),
        );
    }

    if !errors.is_empty() {
        report.errors.append(&mut errors);
        return;
    }
    let (Some(received), Some(kind)) = (received, kind) else {
        return;
    };
    let reply = match (replied, outcome) {
        (Some(d), Some(o)) => Some((d, o)),
        _ => None,
    };
    let mut note_parts = Vec::new();
    if !remark.is_empty() {
        note_parts.push(remark);
    }
    note_parts.extend(notes);
    report.rows.push(ImportedApplication {
        line,
        application: NewApplication {
            number,
            applicant: Applicant {
                kind,
                name,
                id_document,
                contact,
            },
            channel,
            received_on: received,
            request,
            form,
        },
        reply,
        note: note_parts.join("；"),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const GOOD: &[u8] = include_bytes!("../../../fixtures/ledger/taizhang_2025_good.xlsx");
    const BAD: &[u8] = include_bytes!("../../../fixtures/ledger/taizhang_2025_bad.xlsx");
    const CSV_2024: &[u8] = include_bytes!("../../../fixtures/ledger/taizhang_2024.csv");
    const MERGED: &[u8] = include_bytes!("../../../fixtures/ledger/taizhang_merged.xlsx");

    fn row(r: &ImportReport, line: usize) -> &ImportedApplication {
        r.rows
            .iter()
            .find(|a| a.line == line)
            .unwrap_or_else(|| panic!("no row at line {line}"))
    }

    #[test]
    fn good_workbook_reads_every_row() {
        let r = read_ledger("taizhang_2025_good.xlsx", GOOD).unwrap();
        assert!(r.is_ok(), "{:#?}", r.errors);
        assert_eq!(r.sheet.as_deref(), Some("2025年台账"));
        assert_eq!(r.header_line, 3);
        assert_eq!(r.rows.len(), 40);
        assert_eq!(r.rows.first().unwrap().line, 4);
        assert_eq!(r.rows.last().unwrap().line, 43);
        let fields: Vec<&str> = r.columns.iter().map(|c| c.1.as_str()).collect();
        assert_eq!(
            fields,
            [
                "编号",
                "收到日期",
                "申请人",
                "申请人类型",
                "证件号码",
                "联系方式",
                "申请方式",
                "申请内容",
                "获取方式",
                "答复日期",
                "办理结果",
                "备注"
            ]
        );
        assert!(
            r.columns.iter().all(|c| !c.2),
            "no fuzzy heading: {:?}",
            r.columns
        );
        assert_eq!(r.columns[5].0, "联系电话");

        // Numbers are kept as the office wrote them: 1.0 in Excel is "1".
        let first = row(&r, 4);
        assert_eq!(first.application.number.as_deref(), Some("1"));
        assert_eq!(first.application.received_on, date(2025, 1, 6));
        assert_eq!(first.application.applicant.name, "张某");
        assert_eq!(
            first.application.applicant.kind,
            ApplicantKind::NaturalPerson
        );
        assert_eq!(first.application.applicant.contact, "138****0101");
        assert_eq!(first.application.channel, Channel::Online);
        assert_eq!(first.application.request, "本村2024年征地补偿安置方案");
        assert_eq!(first.application.form, "电子文档");
        assert_eq!(first.reply, Some((date(2025, 1, 20), Outcome::GRANTED)));
        assert_eq!(row(&r, 43).application.number.as_deref(), Some("40"));

        // A date typed as text, and a reply date typed with dots.
        assert_eq!(row(&r, 13).application.received_on, date(2025, 3, 18));
        assert_eq!(
            row(&r, 18).reply,
            Some((date(2025, 5, 16), Outcome::GRANTED))
        );

        let key = |line| row(&r, line).reply.map(|(_, o)| o.key());
        assert_eq!(key(5), Some("partially_granted"));
        assert_eq!(key(6), Some("unavailable.not_held"));
        assert_eq!(key(8), Some("withheld.state_secret"));
        assert_eq!(key(9), Some("withheld.enforcement_case_file"));
        assert_eq!(key(12), Some("withheld.third_party_rights"));
        assert_eq!(key(13), Some("unavailable.requires_compilation"));
        assert_eq!(key(14), Some("not_processed.petition_complaint"));
        assert_eq!(key(20), Some("withheld.process_information"));
        assert_eq!(key(22), Some("not_processed.repeated"));
        assert_eq!(key(23), Some("not_processed.publication"));
        assert_eq!(key(24), Some("withheld.internal_affairs"));
        assert_eq!(key(28), Some("other.no_correction"));
        assert_eq!(key(31), Some("other.other"));
        assert_eq!(key(33), Some("withheld.query_service"));
        assert_eq!(key(35), Some("withheld.security_stability"));
        assert_eq!(key(36), Some("not_processed.confirmation"));
        assert_eq!(key(38), Some("not_processed.excessive"));
        // Open cases.
        assert_eq!(key(41), None);
        assert_eq!(key(42), None);
        assert_eq!(key(43), None);
        assert_eq!(r.rows.iter().filter(|a| a.reply.is_none()).count(), 3);

        // Kinds.
        assert_eq!(
            row(&r, 6).application.applicant.kind,
            ApplicantKind::Business
        );
        assert_eq!(
            row(&r, 9).application.applicant.kind,
            ApplicantKind::LegalService
        );
        assert_eq!(
            row(&r, 15).application.applicant.kind,
            ApplicantKind::SocialWelfare
        );
        assert_eq!(
            row(&r, 17).application.applicant.kind,
            ApplicantKind::Research
        );
        assert_eq!(
            row(&r, 33).application.applicant.kind,
            ApplicantKind::OtherOrg
        );
        assert_eq!(
            row(&r, 42).application.applicant.kind,
            ApplicantKind::OtherOrg
        );
        assert_eq!(row(&r, 42).application.applicant.id_document, "");

        // Notes: the 备注, and what the import assumed.
        assert_eq!(row(&r, 11).note, "当场答复");
        assert_eq!(row(&r, 27).application.channel, Channel::Other);
        assert_eq!(row(&r, 27).note, "申请方式未填写，按“其他”计");
        assert_eq!(row(&r, 31).note, "办理结果：申请人撤回申请");
        assert_eq!(row(&r, 41).note, "办理结果为“办理中”，按尚未办结导入");
        assert_eq!(row(&r, 35).application.channel, Channel::Fax);
        assert_eq!(row(&r, 7).application.channel, Channel::Email);
        assert_eq!(row(&r, 6).application.channel, Channel::InPerson);
        assert_eq!(row(&r, 9).application.channel, Channel::Post);

        // The signature line under the table is not an application.
        assert_eq!(
            r.notes,
            [
                "第46行没有收到日期、申请人、申请人类型、申请内容，不是一件申请，已跳过（“填表人：李某　　审核人：王某”）"
            ]
        );
    }

    #[test]
    fn bad_workbook_reports_every_bad_row() {
        let r = read_ledger("taizhang_2025_bad.xlsx", BAD).unwrap();
        assert!(!r.is_ok());
        assert_eq!(r.rows.len(), 35);
        let got: Vec<(usize, Option<&str>, &str)> = r
            .errors
            .iter()
            .map(|e| (e.line, e.column.as_deref(), e.value.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (8, Some("收到日期"), "2025-02-30"),
                (12, Some("申请人类型"), "个体户户"),
                (16, Some("答复日期"), "2025-03-28"),
                (20, Some("办理结果"), "已处理"),
                (26, Some("编号"), "17"),
            ]
        );
        assert_eq!(
            r.errors[0].message,
            "收到日期不是有效的日期：2025年2月没有30日"
        );
        assert!(r.errors[1]
            .message
            .starts_with("无法识别的申请人类型：应为自然人、商业企业"));
        assert_eq!(
            r.errors[2].message,
            "答复日期早于收到日期（2025-04-07），应在收到申请之日或之后"
        );
        assert!(
            r.errors[3].message.starts_with("无法识别的办理结果"),
            "{}",
            r.errors[3].message
        );
        assert_eq!(
            r.errors[4].message,
            "编号与第20行重复，同一台账中的编号应各不相同"
        );
        for line in [8, 12, 16, 20, 26] {
            assert!(r.rows.iter().all(|a| a.line != line));
        }
    }

    #[test]
    fn gbk_csv_with_other_headings() {
        let r = read_ledger("taizhang_2024.csv", CSV_2024).unwrap();
        assert!(r.is_ok(), "{:#?}", r.errors);
        assert_eq!(r.sheet, None);
        assert_eq!(r.header_line, 2);
        assert_eq!(
            r.columns,
            [
                ("序号", "编号", false),
                ("收文日期", "收到日期", false),
                ("申请人姓名/名称", "申请人", false),
                ("申请人类别", "申请人类型", false),
                ("申请渠道", "申请方式", false),
                ("申请内容", "申请内容", false),
                ("办结日期", "答复日期", false),
                ("处理结果", "办理结果", false),
            ]
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c))
        );
        assert_eq!(r.rows.len(), 15);
        assert_eq!(r.notes, ["文件按GBK（GB18030）编码读取"]);
        let first = row(&r, 3);
        assert_eq!(first.application.number.as_deref(), Some("1"));
        assert_eq!(first.application.applicant.name, "钱某");
        assert_eq!(first.application.received_on, date(2024, 1, 8));
        assert_eq!(first.reply, Some((date(2024, 1, 26), Outcome::GRANTED)));
        assert_eq!(
            row(&r, 4).application.applicant.kind,
            ApplicantKind::Business
        );
        assert_eq!(row(&r, 5).application.received_on, date(2024, 3, 4));
        assert_eq!(
            row(&r, 5).application.applicant.kind,
            ApplicantKind::NaturalPerson
        );
        assert_eq!(row(&r, 6).application.channel, Channel::Post);
        assert_eq!(
            row(&r, 6).application.applicant.kind,
            ApplicantKind::LegalService
        );
        assert_eq!(row(&r, 6).reply.unwrap().0, date(2024, 4, 16));
        assert_eq!(row(&r, 7).application.received_on, date(2024, 4, 8));
        assert_eq!(row(&r, 7).application.channel, Channel::Online);
        assert_eq!(
            row(&r, 15).application.applicant.kind,
            ApplicantKind::OtherOrg
        );
        assert_eq!(
            row(&r, 16).reply,
            Some((date(2025, 1, 17), Outcome::GRANTED))
        );
        assert_eq!(row(&r, 17).reply, None);
        assert_eq!(row(&r, 17).application.number.as_deref(), Some("15"));
    }

    #[test]
    fn two_row_header_and_merged_cells() {
        let r = read_ledger("taizhang_merged.xlsx", MERGED).unwrap();
        assert!(r.is_ok(), "{:#?}", r.errors);
        assert_eq!(r.header_line, 2);
        let headings: Vec<(&str, &str)> = r
            .columns
            .iter()
            .map(|c| (c.0.as_str(), c.1.as_str()))
            .collect();
        assert_eq!(
            headings,
            [
                ("编号", "编号"),
                ("收到日期", "收到日期"),
                ("姓名/名称", "申请人"),
                ("类型", "申请人类型"),
                ("申请内容", "申请内容"),
                ("答复日期", "答复日期"),
                ("办理结果", "办理结果"),
            ]
        );
        assert_eq!(r.rows.len(), 3);
        // The second application shares the merged date, name and kind.
        let second = &r.rows[1];
        assert_eq!(second.line, 4);
        assert_eq!(second.application.number.as_deref(), Some("2"));
        assert_eq!(second.application.received_on, date(2025, 3, 3));
        assert_eq!(second.application.applicant.name, "张某");
        assert_eq!(
            second.application.applicant.kind,
            ApplicantKind::NaturalPerson
        );
        assert_eq!(second.reply, None);
        assert_eq!(
            r.rows[2].application.applicant.kind,
            ApplicantKind::Business
        );
        assert_eq!(
            r.notes,
            [
                "合并单元格B3:B4的内容已填入所合并的每一行",
                "合并单元格C3:C4的内容已填入所合并的每一行",
                "合并单元格D3:D4的内容已填入所合并的每一行",
                "台账没有“申请方式”列，全部申请按“其他”方式计",
            ]
        );
    }

    fn csv(text: &str) -> ImportReport {
        read_ledger("t.csv", text.as_bytes()).unwrap()
    }

    const HEAD: &str = "编号,收到日期,申请人,申请人类型,申请方式,申请内容,答复日期,办理结果\n";

    #[test]
    fn headings_match_exactly_by_synonym_or_fuzzily() {
        let match_heading = sheet::match_heading::<Field>;
        assert_eq!(match_heading("收到日期"), Some((Field::Received, false)));
        assert_eq!(match_heading(" 收文日期 "), Some((Field::Received, false)));
        assert_eq!(
            match_heading("申请人（姓名/名称）"),
            Some((Field::Name, false))
        );
        assert_eq!(match_heading("申请人类别*"), Some((Field::Kind, false)));
        assert_eq!(
            match_heading("收到日期（必填）"),
            Some((Field::Received, false))
        );
        assert_eq!(match_heading("收到曰期"), Some((Field::Received, true)));
        assert_eq!(match_heading("申请內容"), Some((Field::Request, true)));
        assert_eq!(
            match_heading("申请人身份证号码"),
            Some((Field::IdDocument, true))
        );
        assert_eq!(
            match_heading("申请人联系电话"),
            Some((Field::Contact, true))
        );
        assert_eq!(match_heading("日期"), None);
        assert_eq!(match_heading("经办人"), None);
        assert_eq!(match_heading(""), None);
    }

    #[test]
    fn fuzzy_headings_are_reported() {
        let r = csv("编号,收到曰期,申请人,申请人类型,申请內容,经办人\n1,2025-03-04,张某,自然人,某文件,王某\n");
        assert!(r.is_ok(), "{:?}", r.errors);
        assert!(r
            .columns
            .contains(&("收到曰期".into(), "收到日期".into(), true)));
        assert!(r
            .columns
            .contains(&("申请內容".into(), "申请内容".into(), true)));
        assert!(
            r.notes.contains(&"列“经办人”未能识别，未导入".to_string()),
            "{:?}",
            r.notes
        );
        assert!(r
            .notes
            .contains(&"台账没有“申请方式”列，全部申请按“其他”方式计".to_string()));
        assert_eq!(r.rows[0].application.channel, Channel::Other);
    }

    #[test]
    fn missing_required_column_is_refused() {
        let e = read_ledger(
            "t.csv",
            "编号,收到日期,申请人,申请内容\n1,2025-03-04,张某,某文件\n".as_bytes(),
        )
        .unwrap_err();
        match &e {
            ImportError::MissingColumns {
                missing,
                header_line,
                ..
            } => {
                assert_eq!(missing, &["申请人类型"]);
                assert_eq!(*header_line, 1);
            }
            other => panic!("{other:?}"),
        }
        let msg = e.to_string();
        assert!(msg.contains("台账缺少必需的列：申请人类型"), "{msg}");
        assert!(msg.contains("申请人类别"), "{msg}");
    }

    #[test]
    fn no_header_is_refused() {
        let e = read_ledger("t.csv", "a,b,c\n1,2,3\n".as_bytes()).unwrap_err();
        assert!(matches!(e, ImportError::NoHeader { .. }));
        assert!(e.to_string().contains("没有找到表头行"), "{e}");
    }

    #[test]
    fn every_kind_of_bad_row() {
        let r = csv(&format!(
            "{HEAD}\
             1,2025-03-04,张某,自然人,网上申请,某文件,2025-03-10,\n\
             2,2025-03-04,王某,自然人,网上申请,某文件,,予以公开\n\
             3,2025-03-04,,自然人,网上申请,某文件,,\n\
             4,,李某,,网上申请,,,\n\
             5,2025-03-04,赵某,自然人,网上申请,某文件,2025-03-05,办理中\n\
             6,2025-03-04,刘某,自然人,网上申请,某文件,昨天,予以公开\n\
             ,2025-03-04,陈某,自然人,微信,某文件,,\n"
        ));
        let got: Vec<(usize, Option<&str>)> = r
            .errors
            .iter()
            .map(|e| (e.line, e.column.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (2, Some("办理结果")),
                (3, Some("答复日期")),
                (4, Some("申请人")),
                (5, Some("收到日期")),
                (5, Some("申请人类型")),
                (5, Some("申请内容")),
                (6, Some("办理结果")),
                (7, Some("答复日期")),
            ]
        );
        assert!(r.errors[0].message.contains("没有办理结果"));
        assert!(r.errors[1].message.contains("没有答复日期"));
        assert_eq!(
            r.errors[4].message,
            "申请人类型为空：应为自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他之一"
        );
        // The last row has no number and an unknown channel: read, with a note.
        assert_eq!(r.rows.len(), 1);
        assert_eq!(r.rows[0].line, 8);
        assert_eq!(r.rows[0].application.number, None);
        assert_eq!(r.rows[0].application.channel, Channel::Other);
        assert_eq!(r.rows[0].note, "申请方式“微信”无法识别，按“其他”计");
    }

    #[test]
    fn bom_tabs_crlf_blank_and_repeated_header_rows() {
        let text = "\u{FEFF}编号\t收到日期\t申请人\t申请人类型\t申请内容\r\n\
                    1\t2025-03-04\t张某\t自然人\t某文件\r\n\
                    \t\t\t\t\r\n\
                    编号\t收到日期\t申请人\t申请人类型\t申请内容\r\n\
                    2\t2025-03-05\t\"王某\r\n（代理人）\"\t企业\t\"某\"\"规划\"\"\"\r\n\
                    3\t2025-03-06\t李某\t自然人\t某文件\r\n";
        let r = csv(text);
        assert!(r.is_ok(), "{:?}", r.errors);
        assert_eq!(r.rows.len(), 3);
        assert_eq!(r.rows[1].line, 5);
        assert_eq!(r.rows[1].application.applicant.name, "王某\r\n（代理人）");
        assert_eq!(r.rows[1].application.request, "某\"规划\"");
        // A record spanning two lines: the next one starts on line 7.
        assert_eq!(r.rows[2].line, 7);
        assert_eq!(
            r.notes,
            [
                "台账没有“申请方式”列，全部申请按“其他”方式计",
                "第4行是重复的表头，已跳过"
            ]
        );
    }

    #[test]
    fn ragged_rows_and_rows_without_an_application() {
        let r = csv(&format!(
            "{HEAD}1,2025-03-04,张某,自然人\n2,2025-03-04,王某,自然人,信函,某文件,2025-03-20,予以公开,多出来的,列\n3\n4\n5\n合计：2件\n"
        ));
        let got: Vec<(usize, Option<&str>)> = r
            .errors
            .iter()
            .map(|e| (e.line, e.column.as_deref()))
            .collect();
        assert_eq!(got, [(2, Some("申请内容"))]);
        assert_eq!(r.rows.len(), 1);
        assert_eq!(
            r.notes,
            ["第4至7行没有收到日期、申请人、申请人类型、申请内容，不是申请，已跳过".to_string()]
        );
    }

    #[test]
    fn duplicate_numbers_are_reported_after_the_first() {
        let r = csv(&format!(
            "{HEAD}17,2025-03-04,张某,自然人,信函,甲,,\n 17 ,2025-03-05,王某,自然人,信函,乙,,\n17,2025-03-06,李某,自然人,信函,丙,,\n"
        ));
        let got: Vec<(usize, &str)> = r
            .errors
            .iter()
            .map(|e| (e.line, e.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (3, "编号与第2行重复，同一台账中的编号应各不相同"),
                (4, "编号与第2行重复，同一台账中的编号应各不相同")
            ]
        );
    }

    #[test]
    fn garbage_never_panics() {
        // Random bytes, deterministic.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for len in [1usize, 2, 7, 64, 1000, 10_000] {
            for _ in 0..20 {
                let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
                let _ = read_ledger("x.csv", &bytes);
                let _ = read_ledger("x.xlsx", &bytes);
                let mut zipped = b"PK\x03\x04".to_vec();
                zipped.extend_from_slice(&bytes);
                let _ = read_ledger("x.xlsx", &zipped);
            }
        }
        // Truncated workbooks, at many lengths.
        for cut in (0..GOOD.len()).step_by(97) {
            match read_ledger("t.xlsx", &GOOD[..cut]) {
                Ok(r) => assert!(r.rows.len() <= 40),
                Err(e) => assert!(!e.to_string().is_empty()),
            }
        }
        // A workbook with bytes flipped in the middle.
        for i in (0..GOOD.len()).step_by(211) {
            let mut b = GOOD.to_vec();
            b[i] ^= 0x5A;
            let _ = read_ledger("t.xlsx", &b);
        }
        // Empty, whitespace, binary, PDF, old Excel.
        assert!(matches!(read_ledger("t.csv", b""), Err(ImportError::Empty)));
        assert!(matches!(
            read_ledger("t.csv", b" \r\n "),
            Err(ImportError::Empty)
        ));
        assert!(matches!(
            read_ledger("t.csv", b"\x00\x01\x02abc"),
            Err(ImportError::NotLedger(_))
        ));
        assert!(matches!(
            read_ledger("t.pdf", b"%PDF-1.7\n..."),
            Err(ImportError::NotLedger(_))
        ));
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        assert!(matches!(
            read_ledger("t.xls", &ole),
            Err(ImportError::OldExcel)
        ));
        assert!(matches!(
            read_ledger("t.xlsx", b"hello"),
            Err(ImportError::Damaged(_))
        ));
        assert!(matches!(
            read_ledger("t.xlsx", &GOOD[..100]),
            Err(ImportError::Damaged(_))
        ));
        // Unterminated quotes, lone delimiters, control characters.
        for text in [
            "\"",
            "\"\"\"",
            ",,,,\n,,,",
            "编号,\"收到日期\n",
            "\u{1}\u{2}\u{3}",
            "a\tb;c,d\n",
        ] {
            let _ = read_ledger("t.csv", text.as_bytes());
        }
    }

    #[test]
    fn huge_cells_are_reported_not_kept() {
        let long = "某".repeat(200_000);
        let r = csv(&format!(
            "{HEAD}1,2025-03-04,张某,自然人,信函,{long},,\n2,{long},王某,自然人,信函,乙,,\n"
        ));
        let got: Vec<(usize, Option<&str>)> = r
            .errors
            .iter()
            .map(|e| (e.line, e.column.as_deref()))
            .collect();
        assert_eq!(got, [(2, Some("申请内容")), (3, Some("收到日期"))]);
        assert!(r
            .errors
            .iter()
            .all(|e| e.value.chars().count() <= sheet::MAX_QUOTE_CHARS + 1));
        // A heading row that is one enormous cell is not a header.
        let e = read_ledger("t.csv", long.as_bytes()).unwrap_err();
        assert!(matches!(e, ImportError::NoHeader { .. }));
    }

    #[test]
    fn report_serialises() {
        let r = read_ledger("taizhang_2025_bad.xlsx", BAD).unwrap();
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains("\"header_line\":3"), "{}", &json[..200]);
        assert!(json.contains("partially_granted"));
    }
}
