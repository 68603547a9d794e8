//! The demo of `gongkai serve --demo`: a county's sample ledger (several
//! agencies, three years of cases up to last year, and this year's so far),
//! the county government office as the supervisor of the others, and one
//! login for each role.

use chrono::{Datelike, NaiveDate};
use gongkai_store::{Role, Store};

use crate::auth::hash_password;

/// The demo logins: login, password, role, agency.
pub const PASSWORD: &str = "gongkai-demo";

#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub login: String,
    pub role: Role,
    pub agency: Option<String>,
}

/// Fills an empty store with the demo; a store with data is left alone (its
/// logins are listed when they are the demo's).
pub async fn fill(store: &Store, today: NaiveDate) -> Result<Vec<DemoLogin>, String> {
    let empty = store.is_empty().await.map_err(|e| e.to_string())?
        && store.user_count().await.map_err(|e| e.to_string())? == 0;
    let names = gongkai_store::sample_agency_names(4);
    if empty {
        store
            .fill_sample("示例数据", names.len(), 120, today.year() - 1, today)
            .await
            .map_err(|e| e.to_string())?;
        // This year's cases so far, so the dashboard has work to show.
        let from = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
        for (i, name) in names.iter().enumerate() {
            let cases = gongkai_casework::sample::applications(
                100 + i as u64,
                &store.calendar(),
                from.min(today),
                today,
                ((today.ordinal() as usize) / 12).clamp(4, 40),
                today,
            );
            store
                .insert_sample("示例数据", name, &cases, today)
                .await
                .map_err(|e| e.to_string())?;
        }
        let (head, rest) = names.split_first().ok_or("没有示例机关")?;
        for n in rest {
            let kind = if n.ends_with("人民政府") {
                "government"
            } else {
                "department"
            };
            store
                .set_agency_place("示例数据", n, Some(head), kind)
                .await
                .map_err(|e| e.to_string())?;
        }
        store
            .set_agency_place("示例数据", head, None, "government")
            .await
            .map_err(|e| e.to_string())?;
        let hash = hash_password(PASSWORD);
        let mut users: Vec<(String, String, Role, Option<String>)> = vec![
            ("admin".into(), "平台管理员".into(), Role::Admin, None),
            (
                "county".into(),
                "县政务公开办".into(),
                Role::Supervisor,
                Some(head.clone()),
            ),
        ];
        for (i, n) in names.iter().enumerate() {
            users.push((
                format!("clerk{}", i + 1),
                format!("经办人{}", i + 1),
                Role::Clerk,
                Some(n.clone()),
            ));
            users.push((
                format!("leader{}", i + 1),
                format!("负责人{}", i + 1),
                Role::Leader,
                Some(n.clone()),
            ));
            users.push((
                format!("reviewer{}", i + 1),
                format!("科室负责人{}", i + 1),
                Role::Reviewer,
                Some(n.clone()),
            ));
            users.push((
                format!("secrecy{}", i + 1),
                format!("保密审查员{}", i + 1),
                Role::Secrecy,
                Some(n.clone()),
            ));
        }
        for (login, name, role, agency) in users {
            store
                .create_user("示例数据", &login, &name, &hash, role, agency.as_deref())
                .await
                .map_err(|e| e.to_string())?;
        }
        for (i, n) in names.iter().enumerate() {
            fill_column(store, i, n, today).await?;
        }
        fill_review(store, head, today).await?;
    }
    let mut users = store.users().await.map_err(|e| e.to_string())?;
    // The administrator, the supervisor, then each agency's clerk and leader.
    users.sort_by_key(|u| {
        let digits: String = u.login.chars().filter(char::is_ascii_digit).collect();
        (
            digits.parse::<u32>().unwrap_or(0),
            u.role != Role::Admin,
            u.role != Role::Supervisor,
            u.role != Role::Clerk,
            u.role != Role::Leader,
            u.role != Role::Reviewer,
        )
    });
    Ok(users
        .into_iter()
        .filter(|u| {
            u.login == "admin"
                || u.login == "county"
                || u.login.starts_with("clerk")
                || u.login.starts_with("leader")
                || u.login.starts_with("reviewer")
                || u.login.starts_with("secrecy")
        })
        .map(|u| DemoLogin {
            login: u.login,
            role: u.role,
            agency: u.agency,
        })
        .collect())
}

/// What each demo agency publishes: column, title, 文号 (normative
/// documents have one), summary, body.
const DEMO_ITEMS: [(&str, &str, &str, &str); 14] = [
    ("a20-02", "{a}机构职能", "本机关的主要职责、内设机构和联系方式。", "一、主要职责\n贯彻执行国家和省、市有关方针政策和法律法规，负责本行业、本领域的行政管理工作。\n二、内设机构\n办公室、政策法规科、行政审批科、执法监督科。\n三、办公地址和时间\n工作日上午8:30—12:00，下午14:30—17:30。"),
    ("a20-03", "{y}年度工作计划", "本机关年度重点工作安排。", "为做好{y}年度各项工作，结合实际，制定本计划。一是深化“放管服”改革，提升政务服务水平；二是加强事中事后监管；三是推进政务公开标准化规范化。"),
    ("a20-04", "{y}年上半年主要统计数据", "上半年业务统计数据。", "上半年共办理各类业务事项1235件，同比增长8.6%；群众满意率99.2%。"),
    ("a20-05", "行政许可事项清单（{y}年版）", "本机关实施的行政许可事项及其依据、条件、程序。", "本清单列明本机关实施的行政许可事项共12项，逐项载明设定依据、实施条件、办理程序和办理时限。申请人可通过政务服务网在线办理。"),
    ("a20-06", "行政处罚裁量基准", "规范行政处罚自由裁量权。", "为规范行政处罚自由裁量权的行使，根据《中华人民共和国行政处罚法》，结合本地实际，制定本裁量基准。违法情节轻微并及时改正，没有造成危害后果的，不予行政处罚。"),
    ("a20-07", "{y}年部门预算公开", "本机关{y}年部门预算及说明。", "{y}年本部门收支预算总计856.32万元，其中一般公共预算拨款收入812.50万元。“三公”经费预算12.30万元，比上年减少0.80万元。"),
    ("a20-08", "行政事业性收费项目目录", "本机关执收的行政事业性收费项目、依据和标准。", "本机关现无执收的行政事业性收费项目。涉企行政事业性收费一律按目录清单执行，目录清单之外一律不得收费。"),
    ("a20-09", "{y}年政府集中采购项目实施情况", "政府采购意向和结果公告。", "本年度通过政府集中采购完成办公设备采购项目3个，合同金额合计45.6万元，均按规定公开采购意向和采购结果。"),
    ("a20-11", "关于做好{y}年度就业帮扶工作的通知", "就业帮扶政策措施及其落实。", "各有关单位：为稳定和扩大就业，现就做好本年度就业帮扶工作通知如下：一、加大援企稳岗力度；二、拓宽就业渠道；三、强化困难人员兜底帮扶。"),
    ("a20-12", "突发事件应急预案", "本机关突发事件应急预案。", "为有效预防和妥善处置突发事件，保障人民群众生命财产安全，制定本预案。预案适用于本行政区域内发生的各类突发事件的应对工作。"),
    ("a20-13", "{y}年安全生产监督检查情况通报", "安全生产监督检查结果。", "本年度共开展安全生产监督检查86次，检查生产经营单位214家，发现并督促整改隐患371处，整改率100%。"),
    ("a20-14", "{y}年公开招录公务员拟录用人员名单公示", "公务员招考录用结果。", "根据公务员录用有关规定，经笔试、面试、体检和考察，现将拟录用人员名单予以公示，公示期为5个工作日。"),
    ("a20-15", "政务公开工作要点", "本机关年度政务公开工作安排。", "全面推进决策、执行、管理、服务、结果公开，加强政策解读回应，提升政府信息公开工作质量。"),
    ("system", "{a}政府信息公开工作制度", "本机关政府信息公开的工作机制、审查和考核制度。", "第一条 为规范本机关政府信息公开工作，根据《中华人民共和国政府信息公开条例》，制定本制度。\n第二条 拟公开的政府信息依次经经办人起草、科室负责人审核、保密审查、负责人签发后发布。"),
];

/// Fills one demo agency's 专栏: its particulars, items published through
/// every step of the review over last year and this, a normative document
/// with its 解读 (and an older one repealed), items still in review, one
/// sent back, one filed as not proactive, and last year's annual report.
async fn fill_column(
    store: &Store,
    i: usize,
    agency: &str,
    today: NaiveDate,
) -> Result<(), String> {
    use gongkai_casework::disclosure::{
        Action, Actor, Disclosure, ItemDraft, LocalLevel, Profile, Request, Validity,
    };
    use gongkai_casework::model::DocumentKind;
    use gongkai_store::Scope;
    let e = |e: gongkai_store::StoreError| e.to_string();
    let scope = Scope::Agencies(vec![agency.to_string()]);
    let n = i + 1;
    let (clerk, reviewer, secrecy, leader) = (
        format!("经办人{n}（clerk{n}）"),
        format!("科室负责人{n}（reviewer{n}）"),
        format!("保密审查员{n}（secrecy{n}）"),
        format!("负责人{n}（leader{n}）"),
    );
    let profile = Profile {
        code: format!("11320800MB{:07}", 1_234_500 + n),
        office: format!("{agency}办公室"),
        address: format!("示例县人民路{}号", 10 + n * 2),
        postcode: "223000".into(),
        hours: "工作日上午8:30—12:00，下午14:30—17:30".into(),
        telephone: format!("0517-8000{:04}", 1000 + n),
        fax: format!("0517-8000{:04}", 2000 + n),
        email: format!("gk{n}@example.gov.cn"),
        website: "本平台政府信息公开专栏".into(),
        local_level: Some(LocalLevel::guess(agency)),
    };
    store
        .put_profile("示例数据", &scope, agency, &profile)
        .await
        .map_err(e)?;
    let calendar = store.calendar();
    // Publishes a draft through every step on `day`.
    let publish = |id: i64, day: NaiveDate| {
        let scope = scope.clone();
        let (clerk, reviewer, secrecy, leader) = (
            clerk.clone(),
            reviewer.clone(),
            secrecy.clone(),
            leader.clone(),
        );
        async move {
            for (who, name, a) in [
                (Actor::Drafter, &clerk, Action::Submit),
                (Actor::Reviewer, &reviewer, Action::Approve),
                (Actor::Secrecy, &secrecy, Action::Approve),
                (Actor::Signer, &leader, Action::Approve),
            ] {
                store
                    .act_on_item(name, who, &scope, id, &a, day)
                    .await
                    .map_err(|e| e.to_string())?;
            }
            Ok::<(), String>(())
        }
    };
    let year = today.year();
    let draft =
        |column: &str, title: String, summary: &str, body: String, written: NaiveDate| ItemDraft {
            title,
            summary: summary.to_string(),
            body,
            publisher: agency.to_string(),
            written_on: Some(written),
            column: column.to_string(),
            disclosure: Some(Disclosure::Active),
            topic: "综合政务".into(),
            ..Default::default()
        };
    for (k, (column, title, summary, body)) in DEMO_ITEMS.iter().enumerate() {
        for y in [year - 1, year] {
            let written =
                NaiveDate::from_ymd_opt(y, 1 + ((k + n) % 11) as u32, 5 + (k as u32 % 20))
                    .unwrap_or(today);
            if written >= today || (y == year && k % 3 != 0) {
                continue;
            }
            let fill = |t: &str| t.replace("{a}", agency).replace("{y}", &y.to_string());
            let d = draft(column, fill(title), summary, fill(body), written);
            let item = store
                .create_item(&clerk, &scope, agency, &d, written)
                .await
                .map_err(e)?;
            // Most within the 20 working days; one a year a little late.
            let days = if k == 4 { 23 } else { 3 + (k as u32 % 12) };
            let day = calendar.add_working_days(written, days).min(today);
            publish(item.id, day).await?;
        }
    }
    // Normative documents: one in force with its 解读, one repealed.
    let short: String = agency
        .chars()
        .filter(|c| !"示例县人民政府局".contains(*c))
        .take(2)
        .collect();
    let normative = |no: u32, written: NaiveDate| {
        ItemDraft {
        doc_no: format!("示{short}规〔{}〕{no}号", written.year()),
        doc_kind: Some(DocumentKind::Normative),
        ..draft(
            "a20-01",
            format!("{agency}关于进一步规范行政执法行为的若干规定（第{no}号）"),
            "规范行政执法程序，保护公民、法人和其他组织的合法权益。",
            "第一条 为了规范行政执法行为，保障和监督行政机关有效实施行政管理，根据有关法律法规，结合本地实际，制定本规定。\n第二条 行政执法应当遵循公开、公平、公正的原则。\n第三条 本规定自发布之日起施行，有效期五年。".into(),
            written,
        )
    }
    };
    let old = NaiveDate::from_ymd_opt(year - 1, 3, 10).unwrap_or(today);
    let d = normative(1, old);
    let first = store
        .create_item(&clerk, &scope, agency, &d, old)
        .await
        .map_err(e)?;
    publish(first.id, calendar.add_working_days(old, 6)).await?;
    let newer = NaiveDate::from_ymd_opt(year - 1, 9, 15).unwrap_or(today);
    let d = normative(2, newer);
    let policy = store
        .create_item(&clerk, &scope, agency, &d, newer)
        .await
        .map_err(e)?;
    let on = calendar.add_working_days(newer, 8);
    publish(policy.id, on).await?;
    let reading = ItemDraft {
        interprets: Some(policy.id),
        ..draft(
            "a20-01",
            format!("《{}》政策解读", policy.title),
            "从制定背景、主要内容和创新举措三个方面解读。",
            "一、制定背景\n为适应行政执法体制改革的要求，有必要对原规定进行修订。\n二、主要内容\n规定共三条，明确了行政执法的原则和程序。\n三、创新举措\n全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度。".into(),
            newer,
        )
    };
    let reading = store
        .create_item(&clerk, &scope, agency, &reading, newer)
        .await
        .map_err(e)?;
    publish(reading.id, on).await?;
    // The first is repealed by the second: asked and granted.
    for (who, name, a) in [
        (
            Actor::Drafter,
            &clerk,
            Action::Ask(Request::Validity {
                validity: Validity::Repealed,
                on,
                reason: format!("已被{}替代", policy.doc_no),
            }),
        ),
        (Actor::Signer, &leader, Action::Grant),
    ] {
        store
            .act_on_item(name, who, &scope, first.id, &a, on)
            .await
            .map_err(e)?;
    }
    // Work still under way this year.
    let recent = today.pred_opt().unwrap_or(today);
    let waiting = store
        .create_item(
            &clerk,
            &scope,
            agency,
            &draft(
                "a20-13",
                format!("{year}年第一季度食品安全监督抽检结果"),
                "监督抽检结果公告。",
                "本季度共监督抽检食品样品120批次，合格118批次，不合格2批次，已依法处置。".into(),
                recent,
            ),
            recent,
        )
        .await
        .map_err(e)?;
    store
        .act_on_item(
            &clerk,
            Actor::Drafter,
            &scope,
            waiting.id,
            &Action::Submit,
            today,
        )
        .await
        .map_err(e)?;
    let returned = store
        .create_item(
            &clerk,
            &scope,
            agency,
            &draft(
                "a20-10",
                format!("{year}年重大建设项目批准和实施情况"),
                "重大建设项目信息。",
                "本年度批准实施重大建设项目2个，总投资3.2亿元。项目负责人联系电话：13800000000。"
                    .into(),
                recent,
            ),
            recent,
        )
        .await
        .map_err(e)?;
    for (who, name, a) in [
        (Actor::Drafter, &clerk, Action::Submit),
        (Actor::Reviewer, &reviewer, Action::Approve),
        (
            Actor::Secrecy,
            &secrecy,
            Action::Return {
                reason: "正文含个人手机号码，请删除后再提交".into(),
            },
        ),
    ] {
        store
            .act_on_item(name, who, &scope, returned.id, &a, today)
            .await
            .map_err(e)?;
    }
    let withheld = ItemDraft {
        disclosure: Some(Disclosure::Withheld),
        ground: "第十六条第二款".into(),
        reason: "内部讨论记录，属于过程性信息".into(),
        ..draft(
            "a20-06",
            "关于某案件处罚决定的集体讨论记录".into(),
            "",
            "讨论记录（内部）。".into(),
            recent,
        )
    };
    let withheld = store
        .create_item(&clerk, &scope, agency, &withheld, recent)
        .await
        .map_err(e)?;
    publish(withheld.id, today).await?;
    // Last year's annual report, published on time.
    let report = store
        .annual_report("示例数据", agency, year - 1, today)
        .await
        .map_err(e)?;
    let checked = gongkai_report::check(&report);
    let count = |l| checked.iter().filter(|d| d.level == l).count() as i64;
    let errors = count(gongkai_report::Level::Error);
    if errors == 0 && today > NaiveDate::from_ymd_opt(year, 1, 20).unwrap_or(today) {
        let json = gongkai_write::write(gongkai_write::Format::Json, &report);
        let on = NaiveDate::from_ymd_opt(year, 1, 20).unwrap_or(today);
        store
            .publish_report(
                &leader,
                &scope,
                agency,
                year - 1,
                &json,
                errors,
                count(gongkai_report::Level::Warning),
                on,
            )
            .await
            .map_err(e)?;
    }
    Ok(())
}

/// The county's review season: agencies known only to its review (a
/// roster: townships and departments with no 专栏 here), and their reports
/// of the last two years collected as files — one late, one with a table
/// that does not add up, one that does not follow on from the year before,
/// one under its former name, one that names its agency so that it is not
/// matched, one year missing.
async fn fill_review(store: &Store, head: &str, today: NaiveDate) -> Result<(), String> {
    use gongkai_report::sample::consistent_series;
    use gongkai_report::{Num, Origin};
    use gongkai_store::{RosterRow, Scope};
    let e = |x: gongkai_store::StoreError| x.to_string();
    let year = today.year() - 1;
    let roster: [(&str, &str, &[&str]); 6] = [
        ("示例县城关镇人民政府", "government", &[]),
        ("示例县河西乡人民政府", "government", &[]),
        ("示例县教育体育局", "department", &["示例县教育局"]),
        ("示例县交通运输局", "department", &[]),
        ("示例县卫生健康局", "department", &[]),
        ("示例县水利局", "department", &[]),
    ];
    let rows: Vec<RosterRow> = roster
        .iter()
        .map(|(name, kind, former)| RosterRow {
            name: name.to_string(),
            parent: None,
            kind: kind.to_string(),
            region: "示例县".into(),
            level: if kind == &"government" {
                "乡级"
            } else {
                "县级"
            }
            .into(),
            former_names: former.iter().map(|s| s.to_string()).collect(),
        })
        .collect();
    store
        .import_roster("示例数据", head, &rows)
        .await
        .map_err(e)?;
    let list = store.review_roster(&Scope::All).await.map_err(e)?;
    let matcher = crate::review::roster_of(&list)?;
    let date = |m: u32, d: u32| NaiveDate::from_ymd_opt(year + 1, m, d);
    let mut files = Vec::new();
    for (k, (name, _, _)) in roster.iter().enumerate() {
        let series = consistent_series(900 + k as u64, name, year - 2, 3);
        for (j, mut r) in series.into_iter().enumerate() {
            let y = year - 2 + j as i32;
            let mut published = NaiveDate::from_ymd_opt(y + 1, 1, 15 + k as u32);
            let mut file_name = format!("{name}{y}年政府信息公开工作年度报告.md");
            match (k, y == year) {
                // 河西乡: this year's report names its agency so that it is not matched.
                (1, true) => {
                    r.agency = Some("河西乡政府".into());
                    file_name = format!("河西乡{y}年报.md");
                    published = None;
                }
                // 教育体育局: the earlier years' reports under the former name; this year's late.
                (2, false) => {
                    r.agency = Some("示例县教育局".into());
                    file_name = format!("示例县教育局{y}年政府信息公开工作年度报告.md");
                }
                (2, true) => published = date(2, 5),
                // 交通运输局: two parts changed, their totals not.
                (3, true) => {
                    for (address, delta) in [
                        ("t3.granted.natural_person", 2),
                        ("t3.partially_granted.natural_person", 1),
                    ] {
                        let v = r.value(address).and_then(Num::as_int).unwrap_or(0);
                        r.set(address, Num::Int(v + delta), Origin::Derived("示例".into()));
                    }
                }
                // 卫生健康局: one more carried over and carried forward: every table
                // adds up, but last year carried forward one less.
                (4, true) => {
                    for (address, delta) in [
                        ("t3.carried_over.natural_person", 1),
                        ("t3.carried_over.total", 1),
                        ("t3.carried_forward.natural_person", 1),
                        ("t3.carried_forward.total", 1),
                    ] {
                        let v = r.value(address).and_then(Num::as_int).unwrap_or(0);
                        r.set(address, Num::Int(v + delta), Origin::Derived("示例".into()));
                    }
                }
                // 水利局: a month late.
                (5, true) => published = date(3, 2),
                _ => {}
            }
            // Each office writes its own narrative; the 水利局 copied the
            // 卫生健康局's problems section this year.
            let own = OWN_WORDS[k];
            let problems = if k == 5 && y == year {
                OWN_WORDS[4].1.replace("卫生健康", "水利")
            } else {
                own.1.to_string()
            };
            if let Some(general) = r.sections[0].as_mut() {
                general.text =
                    format!("{}\n{}", own.0.replace("{y}", &y.to_string()), general.text);
            }
            if let Some(p) = r.sections[4].as_mut() {
                p.text = problems.replace("{y}", &y.to_string());
            }
            let text = gongkai_write::write(gongkai_write::Format::Markdown, &r);
            for mut f in crate::review::collect_file(&matcher, &file_name, text.into_bytes()) {
                f.published_on = published;
                files.push(f);
            }
        }
    }
    store
        .add_review_files("示例数据", head, files)
        .await
        .map_err(e)?;
    Ok(())
}

/// The demo offices' own words: an opening of the 总体情况 and the 存在的
/// 主要问题及改进情况, one pair per office of the review's roster.
const OWN_WORDS: [(&str, &str); 6] = [
    (
        "{y}年，城关镇围绕老旧小区改造、农贸市场整治和城镇燃气安全三件民生实事，逐月在镇政府网站和公开栏公布项目进度、资金使用和验收结果，并在社区党群服务中心设立查阅点。",
        "一是社区公开栏更新不够及时，部分小区的公示内容停留在年初；二是征地拆迁补偿信息的公开还不够细。下一步将建立社区公开栏月度巡查制度，并按户公开补偿标准和发放进度。",
    ),
    (
        "{y}年，河西乡以村务公开为重点，督促各村每季度公开集体资产、土地流转和惠农补贴发放情况，乡纪委对公开内容逐村抽查，发现问题当场督促整改。",
        "一是个别村的财务公开只列总数、不列明细；二是乡政府网站栏目设置不够清晰。下一步将统一村级财务公开格式，重新梳理网站栏目，方便群众查找。",
    ),
    (
        "{y}年，教育体育局重点公开义务教育招生入学政策、学区划分、学生资助和校外培训机构监管信息，招生期间开设咨询热线并在局网站设置专题。",
        "一是部分学校的收费公示没有在校门口醒目位置张贴；二是体育场馆开放信息更新不及时。下一步将把学校公示纳入年度督导，并建立场馆开放信息周报制度。",
    ),
    (
        "{y}年，交通运输局公开农村公路建设养护计划、客运班线调整和出租车运价调整听证情况，重大项目在开工前召开群众座谈会听取意见。",
        "一是道路施工封闭的公告发布偏晚，群众出行受到影响；二是执法信息的公开没有做到全过程。下一步将要求施工单位提前七天报送封闭计划，并推行执法全过程记录公开。",
    ),
    (
        "{y}年，卫生健康局公开医疗机构执业登记、传染病防控和基本公共卫生服务项目资金使用情况，县医院改扩建工程的招标和进度在局网站专栏公布。",
        "一是卫生健康建设项目的招投标信息公开不够完整，部分中标结果没有及时公示；二是基层医疗机构的服务价格公示不统一，群众比较不同机构的收费仍有困难。下一步将把卫生健康建设项目从立项到验收的各环节信息全部纳入公开目录，并统一价格公示样式，定期组织抽查。",
    ),
    (
        "{y}年，水利局公开河道采砂许可、防汛抗旱预案、农村饮水安全工程建设和水资源费征收情况，汛期每日发布重点水库水位和降雨信息。",
        "一是防汛信息在乡村的传递仍依靠电话逐级通知，覆盖不全；二是河道采砂许可的监管结果公开不及时。下一步将建立覆盖到村的防汛预警短信平台，并按月公开采砂监管检查结果。",
    ),
];
