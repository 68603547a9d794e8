//! Proactive disclosure in the store: the 三级审核 of an item, what the
//! public sees at each step, the normative-document ledger (table 2) kept
//! by the workflow, withdrawal, and the search index's feed of changes.

mod common;

use chrono::NaiveDate;
use gongkai_casework::disclosure::{
    Action, Actor, Disclosure, ItemDraft, Request, Status, Validity,
};
use gongkai_casework::model::{DocumentKind, NormativeDocument};
use gongkai_report::{Num, Report};
use gongkai_store::{ImportedItem, ItemQuery, Scope, StoreError};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn int(r: &Report, address: &str) -> i64 {
    r.value(address).and_then(Num::as_int).unwrap_or(-1)
}

const AGENCY: &str = "某县市场监督管理局";
const OTHER: &str = "某县教育局";

fn normative() -> ItemDraft {
    ItemDraft {
        title: "某县市场监督管理局关于规范个体工商户登记的若干规定".into(),
        summary: "规范个体工商户登记程序。".into(),
        body: "第一条 为了规范个体工商户登记管理，制定本规定。".into(),
        publisher: AGENCY.into(),
        written_on: Some(d("2026-03-02")),
        doc_no: "某市监规〔2026〕1号".into(),
        column: "a20-01".into(),
        disclosure: Some(Disclosure::Active),
        doc_kind: Some(DocumentKind::Normative),
        ..Default::default()
    }
}

#[tokio::test]
async fn an_item_goes_through_every_step_and_table_2_follows() {
    for db in common::databases("disclosure_story").await {
        let store = db.open().await;
        store.ensure_agency("管理员", AGENCY).await.unwrap();
        store.ensure_agency("管理员", OTHER).await.unwrap();
        let own = Scope::Agencies(vec![AGENCY.into()]);
        let other = Scope::Agencies(vec![OTHER.into()]);
        let today = d("2026-03-10");

        let item = store
            .create_item("张三", &own, AGENCY, &normative(), today)
            .await
            .unwrap();
        assert_eq!(item.status, Status::Draft);
        assert!(item.index_no.ends_with("/2026-00001"), "{}", item.index_no);
        // 20 working days from 2 March 2026 (no holiday in between).
        assert_eq!(item.due_on, Some(d("2026-03-30")));
        // Another agency's user cannot see it, nor draft for this agency.
        assert!(matches!(
            store.item(&other, item.id).await,
            Err(StoreError::NotFound(_))
        ));
        assert!(store
            .create_item("李四", &other, AGENCY, &normative(), today)
            .await
            .is_err());
        // Not public, not in the index's feed as public.
        assert!(store.public_item(None, item.id).await.is_err());

        let act = |who: Actor, a: Action| {
            let store = &store;
            let own = own.clone();
            let id = item.id;
            async move { store.act_on_item("某人", who, &own, id, &a, today).await }
        };
        // The signer cannot skip the steps before.
        assert!(act(Actor::Signer, Action::Approve).await.is_err());
        act(Actor::Drafter, Action::Submit).await.unwrap();
        assert!(act(Actor::Secrecy, Action::Approve).await.is_err());
        act(Actor::Reviewer, Action::Approve).await.unwrap();
        let back = act(
            Actor::Secrecy,
            Action::Return {
                reason: "附件含个人身份证号码".into(),
            },
        )
        .await
        .unwrap();
        assert_eq!(back.status, Status::Returned);
        assert!(store.public_item(None, item.id).await.is_err());
        // Fixed and resubmitted: every step again.
        let mut fixed = normative();
        fixed.body.push_str("第二条 本规定自发布之日起施行。");
        store
            .update_item("张三", &own, item.id, &fixed, today)
            .await
            .unwrap();
        act(Actor::Drafter, Action::Submit).await.unwrap();
        act(Actor::Reviewer, Action::Approve).await.unwrap();
        act(Actor::Secrecy, Action::Approve).await.unwrap();
        let published = act(Actor::Signer, Action::Approve).await.unwrap();
        assert_eq!(published.status, Status::Published);
        assert_eq!(published.published_on, Some(today));
        assert!(!published.late(today));
        // Once published, it cannot be edited.
        assert!(store
            .update_item("张三", &own, item.id, &fixed, today)
            .await
            .is_err());

        let steps = store.item_steps(&own, item.id).await.unwrap();
        let names: Vec<&str> = steps.iter().map(|s| s.step.as_str()).collect();
        assert_eq!(
            names,
            [
                "起草",
                "提交审核",
                "科室审核通过",
                "保密审查退回",
                "修改",
                "提交审核",
                "科室审核通过",
                "保密审查通过",
                "签发并发布"
            ]
        );
        assert_eq!(steps[3].note, "附件含个人身份证号码");

        // Public, and in the ledger of table 2.
        let public = store.public_item(Some(AGENCY), item.id).await.unwrap();
        assert_eq!(public.title, fixed.title);
        assert!(store.public_item(Some(OTHER), item.id).await.is_err());
        let docs = store.documents(&own, AGENCY).await.unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].number, "某市监规〔2026〕1号");
        // The ledger page cannot change what the workflow recorded.
        let edit = NormativeDocument {
            repealed_on: Some(d("2026-03-05")),
            ..docs[0].clone()
        };
        assert!(store.put_document("张三", AGENCY, &edit).await.is_err());
        let report = store
            .annual_report("张三", AGENCY, 2026, today)
            .await
            .unwrap();
        assert_eq!(int(&report, "t2.normative.issued"), 1);
        assert_eq!(int(&report, "t2.normative.in_force"), 1);

        // Repealed: asked by the drafter, granted by the signer.
        act(
            Actor::Drafter,
            Action::Ask(Request::Validity {
                validity: Validity::Repealed,
                on: d("2026-03-10"),
                reason: "上位法修改".into(),
            }),
        )
        .await
        .unwrap();
        let t = store.item_todo(&own, AGENCY, today).await.unwrap();
        assert_eq!(t.requests, 1);
        let repealed = act(Actor::Signer, Action::Grant).await.unwrap();
        assert_eq!(repealed.validity, Some(Validity::Repealed));
        assert_eq!(repealed.status, Status::Published);
        let report = store
            .annual_report("张三", AGENCY, 2026, today)
            .await
            .unwrap();
        assert_eq!(int(&report, "t2.normative.repealed"), 1);
        assert_eq!(int(&report, "t2.normative.in_force"), 0);

        // The index's feed: the last change of the item is public, with its validity.
        let changes = store.index_changes(0, 100).await.unwrap();
        let last = changes.iter().rfind(|c| c.id == item.id).unwrap();
        assert_eq!(last.entry.as_ref().unwrap().validity, "废止");
        let mark = store.item_change_mark().await.unwrap();
        assert!(store.index_changes(mark, 100).await.unwrap().is_empty());

        // Withdrawn: leaves the public side and the feed says to remove it.
        act(
            Actor::Drafter,
            Action::Ask(Request::Withdraw {
                reason: "重复发布".into(),
            }),
        )
        .await
        .unwrap();
        assert!(
            store.public_item(None, item.id).await.is_ok(),
            "public until granted"
        );
        let gone = act(Actor::Signer, Action::Grant).await.unwrap();
        assert_eq!(gone.status, Status::Withdrawn);
        assert!(store.public_item(None, item.id).await.is_err());
        let changes = store.index_changes(mark, 100).await.unwrap();
        assert!(changes.last().unwrap().entry.is_none());
        store.close().await;
        db.drop_database().await;
    }
}

#[tokio::test]
async fn an_item_not_proactive_is_filed_and_never_public() {
    for db in common::databases("disclosure_filed").await {
        let store = db.open().await;
        store.ensure_agency("管理员", AGENCY).await.unwrap();
        let own = Scope::Agencies(vec![AGENCY.into()]);
        let today = d("2026-05-06");
        let mut draft = ItemDraft {
            title: "关于某企业行政处罚案件的讨论记录".into(),
            publisher: AGENCY.into(),
            written_on: Some(d("2026-05-01")),
            column: "a20-06".into(),
            disclosure: Some(Disclosure::Withheld),
            ..Default::default()
        };
        // Without its ground and reason it cannot be saved.
        let e = store
            .create_item("张三", &own, AGENCY, &draft, today)
            .await
            .unwrap_err();
        assert!(e.to_string().contains("条例条款"), "{e}");
        draft.ground = "第十六条第二款".into();
        draft.reason = "过程性信息".into();
        let item = store
            .create_item("张三", &own, AGENCY, &draft, today)
            .await
            .unwrap();
        assert_eq!(item.due_on, None, "no clock for an item not published");
        for (who, a) in [
            (Actor::Drafter, Action::Submit),
            (Actor::Reviewer, Action::Approve),
            (Actor::Secrecy, Action::Approve),
            (Actor::Signer, Action::Approve),
        ] {
            store
                .act_on_item("某人", who, &own, item.id, &a, today)
                .await
                .unwrap();
        }
        let filed = store.item(&own, item.id).await.unwrap();
        assert_eq!(filed.status, Status::Filed);
        assert!(store.public_item(None, item.id).await.is_err());
        assert_eq!(
            store.public_items(AGENCY, None, 1, 20).await.unwrap().total,
            0
        );
        assert!(store.index_entries(0, 100).await.unwrap().is_empty());
        let page = store
            .items(
                &own,
                AGENCY,
                &ItemQuery {
                    page: 1,
                    per_page: 20,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(page.total, 1);
        store.close().await;
        db.drop_database().await;
    }
}

fn published(
    line: usize,
    index_no: Option<&str>,
    title: &str,
    written: &str,
    on: &str,
) -> ImportedItem {
    ImportedItem {
        line,
        draft: ItemDraft {
            title: title.into(),
            summary: "概述。".into(),
            publisher: AGENCY.into(),
            written_on: Some(d(written)),
            column: "a20-05".into(),
            disclosure: Some(Disclosure::Active),
            ..Default::default()
        },
        index_no: index_no.map(str::to_string),
        published_on: d(on),
        validity: None,
    }
}

#[tokio::test]
async fn imported_items_are_published_once_and_move_the_index_counter() {
    for db in common::databases("disclosure_import").await {
        let store = db.open().await;
        let today = d("2026-03-10");
        let all = Scope::All;
        let own = Scope::Agencies(vec![AGENCY.into()]);
        // The agency does not exist yet: it is created with the items. Its
        // 索引号 are GK{id}/{year}-{n} until it sets its code.
        let rows = vec![
            published(
                2,
                Some("GK00001/2026-00041"),
                "甲",
                "2026-01-05",
                "2026-01-06",
            ),
            published(
                3,
                Some("GK00001/2026-00007"),
                "乙",
                "2026-01-05",
                "2026-01-07",
            ),
            published(4, None, "丙", "2025-11-03", "2025-11-04"),
            published(5, Some("某旧平台-0001"), "丁", "2024-05-06", "2024-05-08"),
        ];
        let checked = store
            .check_item_import(&all, AGENCY, &rows, today)
            .await
            .unwrap();
        assert!(checked.agency_created);
        assert_eq!(checked.imported.len(), 4);
        assert_eq!(checked.imported[2], (4, String::new()));
        assert!(
            store.agency_by_name(AGENCY).await.is_err(),
            "checking wrote nothing"
        );

        let done = store
            .import_items("管理员", &all, AGENCY, &rows, today)
            .await
            .unwrap();
        assert!(done.agency_created);
        assert!(done.already.is_empty());
        assert_eq!(
            done.imported,
            [
                (2, "GK00001/2026-00041".to_string()),
                (3, "GK00001/2026-00007".to_string()),
                (4, "GK00001/2025-00001".to_string()),
                (5, "某旧平台-0001".to_string()),
            ]
        );
        let page = store.public_items(AGENCY, None, 1, 20).await.unwrap();
        assert_eq!(page.total, 4);
        let first = &page.rows[0];
        assert_eq!(
            (first.title.as_str(), first.published_on),
            ("乙", Some(d("2026-01-07")))
        );
        assert_eq!(first.status, Status::Published);
        let steps = store.item_steps(&own, first.id).await.unwrap();
        assert_eq!(steps[0].step, "导入（原已发布）");

        // The next draft's 索引号 is past every number imported.
        let draft = store
            .create_item(
                "张三",
                &own,
                AGENCY,
                &published(0, None, "戊", "2026-03-02", "2026-03-02").draft,
                today,
            )
            .await
            .unwrap();
        assert_eq!(draft.index_no, "GK00001/2026-00042");

        // Again: nothing new, every row named with the item it is.
        let again = store
            .import_items("管理员", &own, AGENCY, &rows, today)
            .await
            .unwrap();
        assert!(again.imported.is_empty());
        assert!(!again.agency_created);
        assert_eq!(
            again.already,
            [
                (2, "GK00001/2026-00041".to_string()),
                (3, "GK00001/2026-00007".to_string()),
                (4, "GK00001/2025-00001".to_string()),
                (5, "某旧平台-0001".to_string()),
            ]
        );
        assert_eq!(
            store.public_items(AGENCY, None, 1, 20).await.unwrap().total,
            4
        );

        // With the agency's own code: its numbers move its counter too.
        let mut profile = store.profile(AGENCY).await.unwrap();
        profile.code = "11320800MB0000000X".into();
        store
            .put_profile("管理员", &own, AGENCY, &profile)
            .await
            .unwrap();
        let more = vec![
            published(
                2,
                Some("11320800MB0000000X/2026-00003"),
                "己",
                "2026-02-02",
                "2026-02-03",
            ),
            published(3, None, "甲", "2026-01-05", "2026-01-06"),
        ];
        let done = store
            .import_items("管理员", &own, AGENCY, &more, today)
            .await
            .unwrap();
        assert_eq!(done.imported.len(), 1);
        assert_eq!(done.already, [(3, "GK00001/2026-00041".to_string())]);
        let draft = store
            .create_item(
                "张三",
                &own,
                AGENCY,
                &published(0, None, "庚", "2026-03-02", "2026-03-02").draft,
                today,
            )
            .await
            .unwrap();
        assert_eq!(draft.index_no, "11320800MB0000000X/2026-00004");

        // Conflicts refuse the whole file, each row named.
        store.ensure_agency("管理员", OTHER).await.unwrap();
        let other = Scope::Agencies(vec![OTHER.into()]);
        let clash = vec![
            published(2, Some("新-1"), "辛", "2026-02-02", "2026-02-03"),
            published(
                3,
                Some("GK00001/2026-00041"),
                "另一条",
                "2026-01-05",
                "2026-01-06",
            ),
        ];
        let e = store
            .import_items("管理员", &all, OTHER, &clash, today)
            .await
            .unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("第3行：索引号GK00001/2026-00041已是某县市场监督管理局的信息的索引号"),
            "{msg}"
        );
        // A user of the other agency is not told whose it is.
        let msg = store
            .import_items("李四", &other, OTHER, &clash, today)
            .await
            .unwrap_err()
            .to_string();
        assert!(msg.contains("已是其他机关的信息的索引号"), "{msg}");
        assert!(!msg.contains(AGENCY), "{msg}");
        assert_eq!(
            store.public_items(OTHER, None, 1, 20).await.unwrap().total,
            0
        );
        let clash = vec![
            published(
                7,
                Some("GK00001/2026-00041"),
                "甲（修改）",
                "2026-01-05",
                "2026-01-06",
            ),
            published(8, Some("新-2"), "乙", "2026-01-05", "2026-01-07"),
            published(9, None, "壬", "2026-01-05", "2026-01-07"),
        ];
        let msg = store
            .import_items("管理员", &own, AGENCY, &clash, today)
            .await
            .unwrap_err()
            .to_string();
        assert!(
            msg.starts_with("2处与平台上已有的信息冲突，全部未导入"),
            "{msg}"
        );
        assert!(
            msg.contains("第7行：本机关已有索引号为GK00001/2026-00041的信息《甲》"),
            "{msg}"
        );
        assert!(
            msg.contains(
                "第8行：本机关已有名称、文号和成文日期都相同的信息，索引号为GK00001/2026-00007"
            ),
            "{msg}"
        );
        assert_eq!(
            store.public_items(AGENCY, None, 1, 20).await.unwrap().total,
            5
        );

        // Rows checked before anything is looked up: every one named.
        let bad = vec![
            published(2, Some("X-1"), "", "2026-01-05", "2026-01-06"),
            published(3, Some("X-1"), "癸", "2026-01-05", "2026-01-04"),
            published(4, None, "子", "2026-01-05", "2026-04-01"),
        ];
        let msg = store
            .import_items("管理员", &own, AGENCY, &bad, today)
            .await
            .unwrap_err()
            .to_string();
        assert!(msg.starts_with("3处问题，全部未导入"), "{msg}");
        assert!(msg.contains("第2行：请填写名称"), "{msg}");
        assert!(
            msg.contains("第3行：发布日期早于成文日期；索引号X-1与第2行重复"),
            "{msg}"
        );
        assert!(msg.contains("第4行：发布日期不能晚于今天"), "{msg}");
        store.close().await;
        db.drop_database().await;
    }
}
