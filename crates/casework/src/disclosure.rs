//! Proactive disclosure (主动公开, 条例第十九–二十六条) as values: the columns
//! of the 政府信息公开专栏 (国办公开办函〔2019〕61号), the 公开属性 decided at
//! drafting, the 有效性 of normative documents, the 三级审核 workflow as a
//! state machine, the 20-working-day clock of 第二十六条, and the 政府信息公开
//! 指南 generated from an agency's particulars.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;

/// A column of the 专栏 an item is listed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Column {
    /// Stable key, used in addresses (`/a/3/c/a20-01`).
    pub key: &'static str,
    /// The short name shown as the column's title.
    pub name: &'static str,
    /// What the law lists under it.
    pub scope: &'static str,
    /// The article and item (`第二十条第（一）项`).
    pub article: &'static str,
}

const fn col(
    key: &'static str,
    name: &'static str,
    scope: &'static str,
    article: &'static str,
) -> Column {
    Column {
        key,
        name,
        scope,
        article,
    }
}

/// 法定主动公开内容: the fifteen items of 第二十条.
pub const ARTICLE_20: [Column; 15] = [
    col(
        "a20-01",
        "法规文件",
        "行政法规、规章和规范性文件",
        "第二十条第（一）项",
    ),
    col(
        "a20-02",
        "机构职能",
        "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
        "第二十条第（二）项",
    ),
    col(
        "a20-03",
        "规划信息",
        "国民经济和社会发展规划、专项规划、区域规划及相关政策",
        "第二十条第（三）项",
    ),
    col(
        "a20-04",
        "统计信息",
        "国民经济和社会发展统计信息",
        "第二十条第（四）项",
    ),
    col(
        "a20-05",
        "行政许可和对外管理服务",
        "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
        "第二十条第（五）项",
    ),
    col(
        "a20-06",
        "行政处罚和行政强制",
        "实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定",
        "第二十条第（六）项",
    ),
    col(
        "a20-07",
        "财政预决算",
        "财政预算、决算信息",
        "第二十条第（七）项",
    ),
    col(
        "a20-08",
        "行政事业性收费",
        "行政事业性收费项目及其依据、标准",
        "第二十条第（八）项",
    ),
    col(
        "a20-09",
        "政府集中采购",
        "政府集中采购项目的目录、标准及实施情况",
        "第二十条第（九）项",
    ),
    col(
        "a20-10",
        "重大建设项目",
        "重大建设项目的批准和实施情况",
        "第二十条第（十）项",
    ),
    col(
        "a20-11",
        "民生保障",
        "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
        "第二十条第（十一）项",
    ),
    col(
        "a20-12",
        "应急管理",
        "突发公共事件的应急预案、预警信息及应对情况",
        "第二十条第（十二）项",
    ),
    col(
        "a20-13",
        "监督检查",
        "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
        "第二十条第（十三）项",
    ),
    col(
        "a20-14",
        "公务员招考",
        "公务员招考的职位、名额、报考条件等事项以及录用结果",
        "第二十条第（十四）项",
    ),
    col(
        "a20-15",
        "其他法定公开信息",
        "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
        "第二十条第（十五）项",
    ),
];

/// 第二十一条 for 设区的市级、县级人民政府及其部门.
pub const ARTICLE_21_COUNTY: Column = col(
    "a21-county",
    "重点领域信息",
    "市政建设、公共服务、公益事业、土地征收、房屋征收、治安管理、社会救助等方面的政府信息",
    "第二十一条",
);

/// 第二十一条 for 乡（镇）人民政府.
pub const ARTICLE_21_TOWNSHIP: Column = col(
    "a21-township",
    "乡镇重点信息",
    "贯彻落实农业农村政策、治理环境卫生、管理土地承包经营、审核宅基地使用情况、征收集体土地、征收房屋及补偿、管理救灾和社会救助款物等方面的政府信息",
    "第二十一条",
);

/// 政府信息公开制度: the agency's own rules of disclosure work.
pub const SYSTEM: Column = col(
    "system",
    "政府信息公开制度",
    "本机关政府信息公开工作的制度规定",
    "第十七条",
);

/// Where an agency stands for 第二十一条.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocalLevel {
    /// Neither (a provincial or central organ, a city without districts…).
    None,
    /// 设区的市级、县级人民政府及其部门.
    County,
    /// 乡（镇）人民政府, 街道办事处.
    Township,
}

impl LocalLevel {
    pub const ALL: [LocalLevel; 3] = [LocalLevel::None, LocalLevel::County, LocalLevel::Township];

    pub fn key(self) -> &'static str {
        match self {
            LocalLevel::None => "none",
            LocalLevel::County => "county",
            LocalLevel::Township => "township",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LocalLevel::None => "不适用第二十一条",
            LocalLevel::County => "设区的市级、县级人民政府及其部门",
            LocalLevel::Township => "乡（镇）人民政府、街道办事处",
        }
    }

    pub fn parse(s: &str) -> Option<LocalLevel> {
        let s = s.trim();
        LocalLevel::ALL
            .into_iter()
            .find(|l| l.key() == s || l.label() == s)
    }

    /// A first guess from the agency's name, for agencies set up before
    /// the setting existed; the administrator corrects it.
    pub fn guess(name: &str) -> LocalLevel {
        if name.ends_with("乡人民政府")
            || name.ends_with("镇人民政府")
            || name.ends_with("街道办事处")
        {
            LocalLevel::Township
        } else if name.contains('县') || name.contains('区') {
            LocalLevel::County
        } else {
            LocalLevel::None
        }
    }
}

/// The 法定主动公开内容 columns of an agency: 第二十条's fifteen, then its
/// 第二十一条 column if it has one.
pub fn statutory_columns(level: LocalLevel) -> Vec<Column> {
    let mut v = ARTICLE_20.to_vec();
    match level {
        LocalLevel::County => v.push(ARTICLE_21_COUNTY),
        LocalLevel::Township => v.push(ARTICLE_21_TOWNSHIP),
        LocalLevel::None => {}
    }
    v
}

/// Every column an item may be filed under, whatever the agency.
pub fn all_columns() -> impl Iterator<Item = Column> {
    ARTICLE_20
        .into_iter()
        .chain([ARTICLE_21_COUNTY, ARTICLE_21_TOWNSHIP, SYSTEM])
}

pub fn column(key: &str) -> Option<Column> {
    all_columns().find(|c| c.key == key)
}

/// 公开属性.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disclosure {
    /// 主动公开.
    Active,
    /// 依申请公开.
    OnRequest,
    /// 不予公开.
    Withheld,
}

impl Disclosure {
    pub const ALL: [Disclosure; 3] = [
        Disclosure::Active,
        Disclosure::OnRequest,
        Disclosure::Withheld,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Disclosure::Active => "active",
            Disclosure::OnRequest => "on_request",
            Disclosure::Withheld => "withheld",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Disclosure::Active => "主动公开",
            Disclosure::OnRequest => "依申请公开",
            Disclosure::Withheld => "不予公开",
        }
    }

    pub fn parse(s: &str) -> Option<Disclosure> {
        let s = s.trim();
        Disclosure::ALL
            .into_iter()
            .find(|d| d.key() == s || d.label() == s)
    }
}

/// The grounds in the 条例 for not disclosing proactively, offered when the
/// 公开属性 is not 主动公开 (the drafter names one and says why).
pub const WITHHOLDING_GROUNDS: [(&str, &str); 6] = [
    ("第十四条", "依法确定为国家秘密，法律、行政法规禁止公开，或公开后可能危及国家安全、公共安全、经济安全、社会稳定"),
    ("第十五条", "涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害"),
    ("第十六条第一款", "人事管理、后勤管理、内部工作流程等内部事务信息"),
    ("第十六条第二款", "履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息以及行政执法案卷信息"),
    ("第二十七条", "不属于主动公开范围，公民、法人或者其他组织可以申请获取"),
    ("第三十六条", "其他依照条例规定不予公开的情形"),
];

/// 有效性 of a normative document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    /// 有效.
    Valid,
    /// 失效 (its period ran out).
    Expired,
    /// 废止 (repealed by decision).
    Repealed,
}

impl Validity {
    pub const ALL: [Validity; 3] = [Validity::Valid, Validity::Expired, Validity::Repealed];

    pub fn key(self) -> &'static str {
        match self {
            Validity::Valid => "valid",
            Validity::Expired => "expired",
            Validity::Repealed => "repealed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Validity::Valid => "有效",
            Validity::Expired => "失效",
            Validity::Repealed => "废止",
        }
    }

    pub fn parse(s: &str) -> Option<Validity> {
        let s = s.trim();
        Validity::ALL
            .into_iter()
            .find(|v| v.key() == s || v.label() == s)
    }
}

/// Where an item stands in the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 起草中 (经办人).
    Draft,
    /// 待科室审核 (科室负责人).
    Review,
    /// 待保密审查 (保密审查员).
    Secrecy,
    /// 待签发 (负责人).
    Sign,
    /// 已发布.
    Published,
    /// 已审定，不公开 (依申请公开 or 不予公开: reviewed and kept on file).
    Filed,
    /// 已退回 (to the drafter, with the reason).
    Returned,
    /// 已撤回 (withdrawn after review).
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Draft,
        Status::Review,
        Status::Secrecy,
        Status::Sign,
        Status::Published,
        Status::Filed,
        Status::Returned,
        Status::Withdrawn,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Review => "review",
            Status::Secrecy => "secrecy",
            Status::Sign => "sign",
            Status::Published => "published",
            Status::Filed => "filed",
            Status::Returned => "returned",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "起草中",
            Status::Review => "待科室审核",
            Status::Secrecy => "待保密审查",
            Status::Sign => "待负责人签发",
            Status::Published => "已发布",
            Status::Filed => "已审定（不主动公开）",
            Status::Returned => "已退回修改",
            Status::Withdrawn => "已撤回",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.key() == s.trim())
    }

    /// Whether the drafter may still change the item.
    pub fn editable(self) -> bool {
        matches!(self, Status::Draft | Status::Returned)
    }
}

/// Who acts at a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// 经办人 (drafts, submits, asks for withdrawal or repeal).
    Drafter,
    /// 科室负责人.
    Reviewer,
    /// 保密审查员.
    Secrecy,
    /// 负责人 (分管领导: signs, decides withdrawals and repeals).
    Signer,
}

impl Actor {
    pub fn label(self) -> &'static str {
        match self {
            Actor::Drafter => "经办人",
            Actor::Reviewer => "科室负责人",
            Actor::Secrecy => "保密审查员",
            Actor::Signer => "负责人",
        }
    }
}

/// A change asked of a published item, decided by the 负责人.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Request {
    /// 撤回: the item leaves the portal.
    Withdraw { reason: String },
    /// 失效 or 废止 of a normative document, from a date.
    Validity {
        validity: Validity,
        on: NaiveDate,
        reason: String,
    },
}

impl Request {
    pub fn label(&self) -> String {
        match self {
            Request::Withdraw { reason } => format!("撤回（{reason}）"),
            Request::Validity {
                validity,
                on,
                reason,
            } => format!("自{on}起{}（{reason}）", validity.label()),
        }
    }
}

/// What someone does to an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// 提交审核 (drafter).
    Submit,
    /// 审核通过 / 保密审查通过 / 签发, by whoever the step is for.
    Approve,
    /// 退回 with the reason, by the reviewer of the current step.
    Return { reason: String },
    /// Ask for a change of a published item (drafter).
    Ask(Request),
    /// The 负责人 grants the change asked.
    Grant,
    /// The 负责人 refuses the change asked, saying why.
    Refuse { reason: String },
}

impl Action {
    pub fn label(&self) -> String {
        match self {
            Action::Submit => "提交审核".into(),
            Action::Approve => "通过".into(),
            Action::Return { reason } => format!("退回：{reason}"),
            Action::Ask(r) => format!("申请{}", r.label()),
            Action::Grant => "同意".into(),
            Action::Refuse { reason } => format!("不同意：{reason}"),
        }
    }
}

/// Where an item goes, and what changes with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub to: Status,
    /// The step's name as recorded (`科室审核通过`, `签发并发布`…).
    pub step: &'static str,
    /// The change now pending (`Some(None)` clears it; `None` leaves it).
    pub request: Option<Option<Request>>,
    /// The validity the item now has, when the step changes it.
    pub validity: Option<(Validity, NaiveDate)>,
}

/// Why an action cannot be taken now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The workflow: what `action` by `actor` does to an item in `status` with
/// `pending` asked of it. Every step has one actor; nothing reaches
/// [`Status::Published`] but through 科室审核, 保密审查 and 签发 in turn.
pub fn step(
    status: Status,
    disclosure: Disclosure,
    is_normative: bool,
    pending: Option<&Request>,
    actor: Actor,
    action: &Action,
) -> Result<Transition, Refusal> {
    let refuse = |why: &str| Err(Refusal(why.to_string()));
    let plain = |to: Status, step: &'static str| {
        Ok(Transition {
            to,
            step,
            request: None,
            validity: None,
        })
    };
    let reviewer_of = |s: Status| match s {
        Status::Review => Some(Actor::Reviewer),
        Status::Secrecy => Some(Actor::Secrecy),
        Status::Sign => Some(Actor::Signer),
        _ => None,
    };
    match action {
        Action::Submit => {
            if !status.editable() {
                return refuse(&format!("事项{}，不能再提交", status.label()));
            }
            if actor != Actor::Drafter {
                return refuse("只有经办人可以提交审核");
            }
            plain(Status::Review, "提交审核")
        }
        Action::Approve => {
            let Some(who) = reviewer_of(status) else {
                return refuse(&format!("事项{}，没有待审核的环节", status.label()));
            };
            if who != actor {
                return refuse(&format!(
                    "这一环节（{}）应由{}办理",
                    status.label(),
                    who.label()
                ));
            }
            match status {
                Status::Review => plain(Status::Secrecy, "科室审核通过"),
                Status::Secrecy => plain(Status::Sign, "保密审查通过"),
                _ if disclosure == Disclosure::Active => plain(Status::Published, "签发并发布"),
                _ => plain(Status::Filed, "签发（不主动公开，归档）"),
            }
        }
        Action::Return { reason } => {
            let Some(who) = reviewer_of(status) else {
                return refuse(&format!("事项{}，没有可退回的环节", status.label()));
            };
            if who != actor {
                return refuse(&format!(
                    "这一环节（{}）应由{}办理",
                    status.label(),
                    who.label()
                ));
            }
            if reason.trim().is_empty() {
                return refuse("退回须写明理由");
            }
            plain(
                Status::Returned,
                match status {
                    Status::Review => "科室审核退回",
                    Status::Secrecy => "保密审查退回",
                    _ => "签发退回",
                },
            )
        }
        Action::Ask(request) => {
            if status != Status::Published {
                return refuse("只有已发布的事项可以申请撤回或变更效力");
            }
            if actor != Actor::Drafter {
                return refuse("撤回或变更效力由经办人提出申请，负责人审批");
            }
            if pending.is_some() {
                return refuse("已有一项申请在等待负责人审批");
            }
            let reason = match request {
                Request::Withdraw { reason } => reason,
                Request::Validity {
                    validity, reason, ..
                } => {
                    if !is_normative {
                        return refuse("只有规章和行政规范性文件有效性可以变更");
                    }
                    if *validity == Validity::Valid {
                        return refuse("请选择失效或废止");
                    }
                    reason
                }
            };
            if reason.trim().is_empty() {
                return refuse("请写明理由");
            }
            Ok(Transition {
                to: Status::Published,
                step: match request {
                    Request::Withdraw { .. } => "申请撤回",
                    Request::Validity { .. } => "申请变更效力",
                },
                request: Some(Some(request.clone())),
                validity: None,
            })
        }
        Action::Grant | Action::Refuse { .. } => {
            let Some(request) = pending else {
                return refuse("没有等待审批的申请");
            };
            if actor != Actor::Signer {
                return refuse("撤回和变更效力由负责人审批");
            }
            if let Action::Refuse { reason } = action {
                if reason.trim().is_empty() {
                    return refuse("不同意须写明理由");
                }
                return Ok(Transition {
                    to: status,
                    step: "不同意申请",
                    request: Some(None),
                    validity: None,
                });
            }
            Ok(match request {
                Request::Withdraw { .. } => Transition {
                    to: Status::Withdrawn,
                    step: "同意撤回",
                    request: Some(None),
                    validity: None,
                },
                Request::Validity { validity, on, .. } => Transition {
                    to: Status::Published,
                    step: "同意变更效力",
                    request: Some(None),
                    validity: Some((*validity, *on)),
                },
            })
        }
    }
}

/// 第二十六条: the last day to publish an item formed (or changed) on `from`.
pub fn publish_by(calendar: &Calendar, from: NaiveDate) -> NaiveDate {
    calendar.add_working_days(from, 20)
}

/// Whether an item is (or was) late: published after its last day, or
/// still unpublished after it.
pub fn is_late(due: NaiveDate, published: Option<NaiveDate>, today: NaiveDate) -> bool {
    match published {
        Some(p) => p > due,
        None => today > due,
    }
}

/// The particulars of an agency the 指南 is made from (第十二条).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    /// The agency's code at the head of its 索引号 (统一社会信用代码 or 组织机构代码).
    pub code: String,
    /// 政府信息公开工作机构.
    pub office: String,
    pub address: String,
    pub postcode: String,
    /// 办公时间.
    pub hours: String,
    pub telephone: String,
    pub fax: String,
    pub email: String,
    /// 政府网站或其他互联网渠道.
    pub website: String,
    /// 第二十一条.
    pub local_level: Option<LocalLevel>,
}

/// The 政府信息公开指南 generated from the agency's particulars: the
/// sections 第十二条 asks for. Plain text, one paragraph per line; headings
/// are lines starting with a Chinese ordinal.
pub fn guide_text(agency: &str, p: &Profile, fee_by_count: bool) -> String {
    let or_unset = |s: &str| {
        if s.trim().is_empty() {
            "（未填写）".to_string()
        } else {
            s.trim().to_string()
        }
    };
    let office = if p.office.trim().is_empty() {
        format!("{agency}政府信息公开工作机构")
    } else {
        p.office.trim().to_string()
    };
    let mut t = String::new();
    t.push_str(
        "为了保障公民、法人和其他组织依法获取政府信息，根据《中华人民共和国政府信息公开条例》（以下简称《条例》），编制本指南。本指南每年更新。\n",
    );
    t.push_str("一、主动公开\n");
    t.push_str(&format!(
        "（一）公开范围。{agency}按照《条例》第十九条、第二十条{}的规定主动公开政府信息，具体内容见本机关政府信息公开专栏“法定主动公开内容”栏目。\n",
        match p.local_level {
            Some(LocalLevel::County) | Some(LocalLevel::Township) => "、第二十一条",
            _ => "",
        }
    ));
    t.push_str("（二）公开形式。主动公开的政府信息通过本机关政府信息公开专栏发布，并可通过政务服务场所、档案馆、图书馆等场所查阅。\n");
    t.push_str("（三）公开时限。属于主动公开范围的政府信息，自该政府信息形成或者变更之日起20个工作日内予以公开。法律、法规对政府信息公开的期限另有规定的，从其规定。\n");
    t.push_str("二、依申请公开\n");
    t.push_str(&format!(
        "（一）受理机构。名称：{office}；办公地址：{}；邮政编码：{}；办公时间：{}；联系电话：{}；传真：{}；电子邮箱：{}；互联网渠道：{}。\n",
        or_unset(&p.address),
        or_unset(&p.postcode),
        or_unset(&p.hours),
        or_unset(&p.telephone),
        or_unset(&p.fax),
        or_unset(&p.email),
        or_unset(&p.website),
    ));
    t.push_str("（二）申请方式。申请人可以通过本平台在线提交申请，也可以通过信函、传真、电子邮件或者当面提交书面申请；采用书面形式确有困难的，可以口头提出，由受理机构代为填写申请。申请内容应当包括申请人的姓名或者名称、身份证明、联系方式，申请公开的政府信息的名称、文号或者便于查询的其他特征性描述，以及申请公开的政府信息的形式要求（纸质、电子邮件、光盘等）和获取信息的方式。\n");
    t.push_str("（三）办理流程。本机关收到申请后，能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内予以答复；需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不超过20个工作日。申请内容不明确的，本机关在收到申请之日起7个工作日内一次性告知申请人作出补正；征求第三方和其他机关意见所需时间不计算在答复期限内。\n");
    t.push_str("（四）收到申请的时间。当面提交的，以提交之日为收到之日；以邮寄方式提交的，以本机关签收之日为收到之日；以平常信函等无需签收的邮寄方式提交的，以本机关与申请人确认之日为收到之日；通过互联网渠道或者传真提交的，以双方确认之日为收到之日。\n");
    t.push_str(&format!(
        "（五）收费。本机关依申请提供政府信息，不收取费用。但是，申请人申请公开政府信息的数量、频次明显超过合理范围的，按照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）{}收取信息处理费。\n",
        if fee_by_count {
            "按件计收"
        } else {
            "按件或者按量计收"
        }
    ));
    t.push_str("三、监督和救济\n");
    t.push_str("公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼。\n");
    t
}

/// An item as its drafter writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ItemDraft {
    /// 名称.
    pub title: String,
    /// 内容概述.
    pub summary: String,
    /// 正文.
    pub body: String,
    /// 发布机构.
    pub publisher: String,
    /// 成文日期.
    pub written_on: Option<NaiveDate>,
    /// The day the information changed, when this is a changed version
    /// (the 20 working days run from it).
    pub changed_on: Option<NaiveDate>,
    /// 文号.
    pub doc_no: String,
    /// 主题分类.
    pub topic: String,
    /// The column (`a20-01`…, `a21-county`, `a21-township`, `system`).
    pub column: String,
    pub disclosure: Option<Disclosure>,
    /// For 依申请公开 and 不予公开: the article of the 条例 relied on.
    pub ground: String,
    /// … and why.
    pub reason: String,
    /// 规章 or 行政规范性文件 (counted in table 2 once published).
    pub doc_kind: Option<crate::model::DocumentKind>,
    /// The item this one is the 解读 of.
    pub interprets: Option<i64>,
}

/// The limits of an item's fields (characters).
pub const TITLE_MAX: usize = 200;
pub const SUMMARY_MAX: usize = 1000;
pub const BODY_MAX: usize = 200_000;

impl ItemDraft {
    /// What is wrong with each field (field name, message); empty when the
    /// draft may be saved.
    pub fn problems(&self, today: NaiveDate) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let len = |s: &str| s.trim().chars().count();
        if len(&self.title) == 0 {
            out.push(("title", "请填写名称".to_string()));
        } else if len(&self.title) > TITLE_MAX {
            out.push(("title", format!("名称不能超过{TITLE_MAX}个字")));
        }
        if len(&self.summary) > SUMMARY_MAX {
            out.push(("summary", format!("内容概述不能超过{SUMMARY_MAX}个字")));
        }
        if self.body.chars().count() > BODY_MAX {
            out.push((
                "body",
                format!("正文不能超过{BODY_MAX}个字，较长的内容请作为附件上传"),
            ));
        }
        if len(&self.publisher) == 0 {
            out.push(("publisher", "请填写发布机构".to_string()));
        } else if len(&self.publisher) > 100 {
            out.push(("publisher", "发布机构不能超过100个字".to_string()));
        }
        match self.written_on {
            None => out.push(("written_on", "请填写成文日期".to_string())),
            Some(d) if d > today => {
                out.push(("written_on", format!("成文日期不能晚于今天（{today}）")))
            }
            Some(d) if d < NaiveDate::from_ymd_opt(1949, 10, 1).unwrap_or(d) => {
                out.push(("written_on", format!("成文日期{d}过早，请检查")))
            }
            Some(_) => {}
        }
        if let (Some(w), Some(c)) = (self.written_on, self.changed_on) {
            if c < w {
                out.push(("changed_on", "变更日期不能早于成文日期".to_string()));
            } else if c > today {
                out.push(("changed_on", format!("变更日期不能晚于今天（{today}）")));
            }
        }
        if len(&self.doc_no) > 100 {
            out.push(("doc_no", "文号不能超过100个字".to_string()));
        }
        if len(&self.topic) > 50 {
            out.push(("topic", "主题分类不能超过50个字".to_string()));
        }
        if column(self.column.trim()).is_none() {
            out.push((
                "column",
                "请选择所属栏目（第二十条、第二十一条的事项或公开制度）".to_string(),
            ));
        }
        match self.disclosure {
            None => out.push(("disclosure", "请选择公开属性".to_string())),
            Some(Disclosure::Active) => {}
            Some(_) => {
                if !WITHHOLDING_GROUNDS
                    .iter()
                    .any(|(a, _)| *a == self.ground.trim())
                {
                    out.push(("ground", "不主动公开的，请选择所依据的条例条款".to_string()));
                }
                if len(&self.reason) == 0 {
                    out.push(("reason", "不主动公开的，请写明理由".to_string()));
                } else if len(&self.reason) > 500 {
                    out.push(("reason", "理由不能超过500个字".to_string()));
                }
            }
        }
        if self.doc_kind.is_some() {
            if len(&self.doc_no) == 0 {
                out.push(("doc_no", "规章和行政规范性文件须有文号".to_string()));
            }
            if self.column.trim() != ARTICLE_20[0].key {
                out.push((
                    "column",
                    format!(
                        "规章和行政规范性文件属于{}（{}）",
                        ARTICLE_20[0].article, ARTICLE_20[0].name
                    ),
                ));
            }
        }
        out
    }

    /// The day the 20 working days run from.
    pub fn formed_on(&self) -> Option<NaiveDate> {
        self.changed_on.or(self.written_on)
    }
}

/// The working days between the day an item was formed and its 发布日期,
/// as a clerk reads it: "第12个工作日发布".
pub fn days_taken(calendar: &Calendar, from: NaiveDate, published: NaiveDate) -> u32 {
    calendar.working_days_between(from, published)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn nothing_is_published_but_through_every_step_in_turn() {
        let a = Disclosure::Active;
        let go = |s, who| step(s, a, false, None, who, &Action::Approve);
        // The drafter submits; each reviewer only at their own step.
        let t = step(
            Status::Draft,
            a,
            false,
            None,
            Actor::Drafter,
            &Action::Submit,
        )
        .unwrap();
        assert_eq!(t.to, Status::Review);
        assert!(go(Status::Review, Actor::Signer).is_err());
        assert!(go(Status::Review, Actor::Secrecy).is_err());
        assert!(go(Status::Draft, Actor::Signer).is_err());
        assert_eq!(
            go(Status::Review, Actor::Reviewer).unwrap().to,
            Status::Secrecy
        );
        assert!(go(Status::Secrecy, Actor::Reviewer).is_err());
        assert_eq!(
            go(Status::Secrecy, Actor::Secrecy).unwrap().to,
            Status::Sign
        );
        assert!(go(Status::Sign, Actor::Secrecy).is_err());
        assert_eq!(
            go(Status::Sign, Actor::Signer).unwrap().to,
            Status::Published
        );
        // Not proactive: signed and kept on file, never published.
        let t = step(
            Status::Sign,
            Disclosure::OnRequest,
            false,
            None,
            Actor::Signer,
            &Action::Approve,
        )
        .unwrap();
        assert_eq!(t.to, Status::Filed);
        // The drafter cannot approve anything.
        for s in [Status::Review, Status::Secrecy, Status::Sign] {
            assert!(go(s, Actor::Drafter).is_err());
        }
    }

    #[test]
    fn a_return_needs_a_reason_and_goes_back_to_the_drafter() {
        let a = Disclosure::Active;
        let ret = |reason: &str| Action::Return {
            reason: reason.into(),
        };
        assert!(step(Status::Secrecy, a, false, None, Actor::Secrecy, &ret("  ")).is_err());
        let t = step(
            Status::Secrecy,
            a,
            false,
            None,
            Actor::Secrecy,
            &ret("含个人信息"),
        )
        .unwrap();
        assert_eq!((t.to, t.step), (Status::Returned, "保密审查退回"));
        assert!(Status::Returned.editable());
        assert_eq!(
            step(
                Status::Returned,
                a,
                false,
                None,
                Actor::Drafter,
                &Action::Submit
            )
            .unwrap()
            .to,
            Status::Review
        );
        assert!(step(
            Status::Published,
            a,
            false,
            None,
            Actor::Reviewer,
            &ret("x")
        )
        .is_err());
    }

    #[test]
    fn withdrawal_and_repeal_are_asked_then_decided_by_the_signer() {
        let a = Disclosure::Active;
        let ask = Action::Ask(Request::Withdraw {
            reason: "内容有误".into(),
        });
        assert!(step(Status::Review, a, false, None, Actor::Drafter, &ask).is_err());
        let t = step(Status::Published, a, false, None, Actor::Drafter, &ask).unwrap();
        assert_eq!(t.to, Status::Published, "public until decided");
        let pending = t.request.clone().unwrap().unwrap();
        assert!(step(
            Status::Published,
            a,
            false,
            Some(&pending),
            Actor::Drafter,
            &ask
        )
        .is_err());
        assert!(step(
            Status::Published,
            a,
            false,
            Some(&pending),
            Actor::Reviewer,
            &Action::Grant
        )
        .is_err());
        let t = step(
            Status::Published,
            a,
            false,
            Some(&pending),
            Actor::Signer,
            &Action::Grant,
        )
        .unwrap();
        assert_eq!(t.to, Status::Withdrawn);

        let repeal = Action::Ask(Request::Validity {
            validity: Validity::Repealed,
            on: d("2026-06-01"),
            reason: "上位法修改".into(),
        });
        assert!(
            step(Status::Published, a, false, None, Actor::Drafter, &repeal).is_err(),
            "only normative documents have a validity"
        );
        let t = step(Status::Published, a, true, None, Actor::Drafter, &repeal).unwrap();
        let pending = t.request.unwrap().unwrap();
        let t = step(
            Status::Published,
            a,
            true,
            Some(&pending),
            Actor::Signer,
            &Action::Grant,
        )
        .unwrap();
        assert_eq!(t.to, Status::Published);
        assert_eq!(t.validity, Some((Validity::Repealed, d("2026-06-01"))));
        let refuse = Action::Refuse {
            reason: "仍需执行".into(),
        };
        let t = step(
            Status::Published,
            a,
            true,
            Some(&pending),
            Actor::Signer,
            &refuse,
        )
        .unwrap();
        assert_eq!((t.to, t.request), (Status::Published, Some(None)));
    }

    #[test]
    fn the_clock_counts_twenty_working_days() {
        let cal = Calendar::china();
        // 2025-09-26 (Friday): the National Day holiday (1–8 October) and its
        // make-up working days (28 September, 11 October) are counted.
        let due = publish_by(&cal, d("2025-09-26"));
        // Counted by hand: 28, 29, 30 September; 9, 10, 11 October; then
        // 13–17, 20–24, 27–30 October.
        assert_eq!(due, d("2025-10-30"));
        assert!(is_late(due, Some(due.succ_opt().unwrap()), due));
        assert!(!is_late(due, Some(due), d("2030-01-01")));
        assert!(is_late(due, None, due.succ_opt().unwrap()));
    }

    #[test]
    fn the_guide_names_the_office_and_the_fee_rule() {
        let p = Profile {
            office: "某县人民政府办公室".into(),
            telephone: "0517-12345678".into(),
            local_level: Some(LocalLevel::County),
            ..Default::default()
        };
        let g = guide_text("某县人民政府", &p, true);
        assert!(g.contains("名称：某县人民政府办公室"));
        assert!(g.contains("联系电话：0517-12345678"));
        assert!(g.contains("传真：（未填写）"));
        assert!(g.contains("第二十一条"));
        assert!(g.contains("国办函〔2020〕109号"));
        assert_eq!(LocalLevel::guess("某县某镇人民政府"), LocalLevel::Township);
        assert_eq!(LocalLevel::guess("某县教育局"), LocalLevel::County);
        assert_eq!(statutory_columns(LocalLevel::None).len(), 15);
        assert_eq!(statutory_columns(LocalLevel::Township).len(), 16);
    }
}
