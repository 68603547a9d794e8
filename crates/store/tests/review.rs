//! The supervising office's review in the store: a roster imported under a
//! supervisor (agencies created review-only, former names kept, no agency
//! taken from another supervisor), collected files (a duplicate found by its
//! bytes), assignment within the scope only, the reports to review (files
//! and reports published here), and the stamp that says when to recompute.

mod common;

use chrono::NaiveDate;
use gongkai_store::{NewReviewFile, RosterRow, Scope, StoreError};

const SUP: &str = "某县人民政府办公室";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn row(name: &str, parent: Option<&str>, former: &[&str]) -> RosterRow {
    RosterRow {
        name: name.into(),
        parent: parent.map(String::from),
        kind: if name.ends_with("人民政府") {
            "government"
        } else {
            "department"
        }
        .into(),
        region: "某县".into(),
        level: "县级".into(),
        former_names: former.iter().map(|s| s.to_string()).collect(),
    }
}

fn file(name: &str, agency: Option<&str>, year: Option<i32>, bytes: &[u8]) -> NewReviewFile {
    NewReviewFile {
        file_name: name.into(),
        part: 0,
        sha256: format!("{:x}", bytes.iter().map(|b| *b as u64).sum::<u64>() * 7919),
        content: bytes.to_vec(),
        named: agency.unwrap_or("").into(),
        agency: agency.map(String::from),
        year,
        published_on: Some(d("2026-01-20")),
        status: if agency.is_some() {
            "matched"
        } else {
            "unmatched"
        }
        .into(),
        problem: String::new(),
        report: Some(format!(
            "{{\"agency\":{:?},\"year\":{},\"template\":\"2021\",\"cells\":{{\"t4.review.total\":3}}}}",
            agency.unwrap_or(""),
            year.unwrap_or(2025)
        )),
    }
}

#[tokio::test]
async fn a_roster_files_and_the_reports_to_review() {
    for db in common::databases("review_story").await {
        let store = db.open().await;
        store.ensure_agency("管理员", SUP).await.unwrap();
        store
            .ensure_agency("管理员", "某市人民政府办公室")
            .await
            .unwrap();
        store.ensure_agency("管理员", "邻县人民政府").await.unwrap();
        store
            .set_agency_place("管理员", SUP, Some("某市人民政府办公室"), "government")
            .await
            .unwrap();
        // Another supervisor's agency.
        store.ensure_agency("管理员", "邻县教育局").await.unwrap();
        store
            .set_agency_place("管理员", "邻县教育局", Some("邻县人民政府"), "department")
            .await
            .unwrap();

        // Refused whole: an agency of another supervisor, an unknown parent,
        // the supervisor's own superior.
        for bad in [
            vec![row("某县教育局", None, &[]), row("邻县教育局", None, &[])],
            vec![row("某县教育局", Some("某县不存在的局"), &[])],
            vec![row("某市人民政府办公室", None, &[])],
        ] {
            assert!(matches!(
                store.import_roster("上级", SUP, &bad).await,
                Err(StoreError::Invalid(_))
            ));
        }
        assert!(
            store.agency_by_name("某县教育局").await.is_err(),
            "nothing half-done"
        );

        let stamp0 = store.review_stamp(SUP).await.unwrap();
        let done = store
            .import_roster(
                "上级",
                SUP,
                &[
                    row("某县城关镇人民政府", None, &[]),
                    row("某县教育体育局", None, &["某县教育局"]),
                    row("某县城关镇财政所", Some("某县城关镇人民政府"), &[]),
                ],
            )
            .await
            .unwrap();
        assert_eq!(done.created, 3);
        let stamp1 = store.review_stamp(SUP).await.unwrap();
        assert_ne!(stamp0, stamp1);
        // Review-only agencies stay off the portal.
        let portal: Vec<String> = store
            .portal_agency_list()
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.name)
            .collect();
        assert!(!portal.contains(&"某县城关镇人民政府".to_string()));
        assert!(portal.contains(&SUP.to_string()));
        let town = store.agency_by_name("某县城关镇人民政府").await.unwrap();
        assert!(store.portal_agency_by_id(town.id).await.is_err());
        // The supervisor's scope reaches them, at every depth.
        store
            .create_user(
                "管理员",
                "sup",
                "上级",
                "x",
                gongkai_store::Role::Supervisor,
                Some(SUP),
            )
            .await
            .unwrap();
        let user = store
            .users()
            .await
            .unwrap()
            .into_iter()
            .find(|u| u.login == "sup")
            .unwrap();
        let scope = store.scope_of(&user).await.unwrap();
        for n in [
            SUP,
            "某县城关镇人民政府",
            "某县教育体育局",
            "某县城关镇财政所",
        ] {
            assert!(scope.allows(n), "{n}");
        }
        assert!(!scope.allows("邻县教育局"));
        let roster = store.review_roster(&scope).await.unwrap();
        let edu = roster.iter().find(|a| a.name == "某县教育体育局").unwrap();
        assert_eq!(edu.former_names, vec!["某县教育局".to_string()]);
        assert_eq!(edu.region, "某县");
        assert!(!edu.on_portal);
        assert_eq!(
            roster
                .iter()
                .find(|a| a.name == "某县城关镇财政所")
                .unwrap()
                .parent
                .as_deref(),
            Some("某县城关镇人民政府")
        );

        // Files: one matched, one unmatched, the same bytes again.
        let ids = store
            .add_review_files(
                "上级",
                SUP,
                vec![
                    file(
                        "城关镇.md",
                        Some("某县城关镇人民政府"),
                        Some(2025),
                        b"report one",
                    ),
                    file("不明.md", None, None, b"report two"),
                ],
            )
            .await
            .unwrap();
        let again = store
            .add_review_files(
                "上级",
                SUP,
                vec![file("城关镇副本.md", None, None, b"report one")],
            )
            .await
            .unwrap();
        let files = store.review_files(SUP).await.unwrap();
        assert_eq!(files.len(), 3);
        let dup = files.iter().find(|f| f.id == again[0]).unwrap();
        assert_eq!(dup.status, "duplicate");
        assert!(dup.problem.contains("城关镇.md"), "{}", dup.problem);
        assert_eq!(store.review_files_open(SUP).await.unwrap(), 1);
        // Another supervisor sees none of them.
        assert!(store.review_files("邻县人民政府").await.unwrap().is_empty());
        assert!(store.review_file("邻县人民政府", ids[0]).await.is_err());
        let (f, bytes) = store.review_file(SUP, ids[0]).await.unwrap();
        assert_eq!(
            (f.file_name.as_str(), bytes.as_slice()),
            ("城关镇.md", &b"report one"[..])
        );

        // Assigned within the scope only; a duplicate cannot be assigned.
        assert!(matches!(
            store
                .assign_review_file("上级", SUP, &scope, ids[1], "邻县教育局", 2025)
                .await,
            Err(StoreError::NotFound(_))
        ));
        assert!(store
            .assign_review_file("上级", SUP, &scope, again[0], "某县教育体育局", 2025)
            .await
            .is_err());
        let before = store.review_stamp(SUP).await.unwrap();
        store
            .assign_review_file("上级", SUP, &scope, ids[1], "某县教育体育局", 2025)
            .await
            .unwrap();
        assert_ne!(store.review_stamp(SUP).await.unwrap(), before);
        assert_eq!(store.review_files_open(SUP).await.unwrap(), 0);

        // The reports to review: both files, and a report published here.
        let published =
            "{\"agency\":\"某县人民政府办公室\",\"year\":2025,\"template\":\"2021\",\"cells\":{}}";
        store
            .publish_report(
                "负责人",
                &Scope::Agencies(vec![SUP.into()]),
                SUP,
                2025,
                published,
                0,
                0,
                d("2026-02-02"),
            )
            .await
            .unwrap();
        let names: Vec<String> = roster.iter().map(|a| a.name.clone()).collect();
        let mut sources = store
            .review_sources(SUP, &names, &[2024, 2025])
            .await
            .unwrap();
        sources.sort_by(|a, b| a.agency.cmp(&b.agency));
        let got: Vec<(&str, i32, Option<NaiveDate>)> = sources
            .iter()
            .map(|s| (s.agency.as_str(), s.year, s.published_on))
            .collect();
        assert_eq!(
            got,
            vec![
                ("某县人民政府办公室", 2025, Some(d("2026-02-02"))),
                ("某县城关镇人民政府", 2025, Some(d("2026-01-20"))),
                ("某县教育体育局", 2025, Some(d("2026-01-20"))),
            ]
        );
        assert!(sources[0].label.contains("本平台公开"));
        assert!(store
            .review_sources(SUP, &names, &[2023])
            .await
            .unwrap()
            .is_empty());
    }
}

/// 机构改革: an agency known only to the review is renamed — by hand or by a
/// roster naming it as a former name — and its files, subordinates and
/// number follow it; an agency on the portal keeps its name; a former name
/// added by hand is refused when it names another agency.
#[tokio::test]
async fn renamed_agencies_keep_their_history() {
    for db in common::databases("review_rename").await {
        let store = db.open().await;
        store.ensure_agency("管理员", SUP).await.unwrap();
        store
            .import_roster(
                "上级",
                SUP,
                &[
                    row("某县文化广电旅游局", None, &[]),
                    row("某县文化馆", Some("某县文化广电旅游局"), &[]),
                    row("某县卫生计生局", None, &[]),
                ],
            )
            .await
            .unwrap();
        let scope = Scope::Agencies(vec![
            SUP.into(),
            "某县文化广电旅游局".into(),
            "某县文化馆".into(),
            "某县卫生计生局".into(),
        ]);
        let ids = store
            .add_review_files(
                "上级",
                SUP,
                vec![file(
                    "文旅局2024.md",
                    Some("某县文化广电旅游局"),
                    Some(2024),
                    b"culture 2024",
                )],
            )
            .await
            .unwrap();
        let number = store.agency_by_name("某县文化广电旅游局").await.unwrap().id;
        let stamp = store.review_stamp(SUP).await.unwrap();

        // By hand.
        store
            .rename_review_agency("上级", SUP, &scope, "某县不在范围内的局", "x")
            .await
            .expect_err("an agency outside the scope is not found");
        store
            .rename_review_agency(
                "上级",
                SUP,
                &scope,
                "某县文化广电旅游局",
                "某县文化和旅游局",
            )
            .await
            .unwrap();
        assert_ne!(store.review_stamp(SUP).await.unwrap(), stamp);
        let renamed = store.agency_by_name("某县文化和旅游局").await.unwrap();
        assert_eq!(renamed.id, number, "the agency keeps its number");
        assert!(store.agency_by_name("某县文化广电旅游局").await.is_err());
        let (f, _) = store.review_file(SUP, ids[0]).await.unwrap();
        assert_eq!(f.agency.as_deref(), Some("某县文化和旅游局"));
        let scope = Scope::Agencies(vec![
            SUP.into(),
            "某县文化和旅游局".into(),
            "某县文化馆".into(),
            "某县卫生计生局".into(),
        ]);
        let roster = store.review_roster(&scope).await.unwrap();
        let culture = roster
            .iter()
            .find(|a| a.name == "某县文化和旅游局")
            .unwrap();
        assert_eq!(culture.former_names, vec!["某县文化广电旅游局".to_string()]);
        let hall = roster.iter().find(|a| a.name == "某县文化馆").unwrap();
        assert_eq!(hall.parent.as_deref(), Some("某县文化和旅游局"));
        let sources = store
            .review_sources(SUP, &["某县文化和旅游局".to_string()], &[2024])
            .await
            .unwrap();
        assert_eq!(sources.len(), 1, "the file follows the new name");

        // By a roster that names the old name as a former name.
        let done = store
            .import_roster(
                "上级",
                SUP,
                &[row("某县卫生健康局", None, &["某县卫生计生局"])],
            )
            .await
            .unwrap();
        assert_eq!((done.created, done.renamed), (0, 1), "{done:?}");
        assert!(store.agency_by_name("某县卫生计生局").await.is_err());

        // An agency on the portal keeps its name; the supervisor's own too;
        // a name taken is refused.
        store.ensure_agency("管理员", "某县司法局").await.unwrap();
        store
            .set_agency_place("管理员", "某县司法局", Some(SUP), "department")
            .await
            .unwrap();
        let scope = Scope::Agencies(vec![
            SUP.into(),
            "某县文化和旅游局".into(),
            "某县司法局".into(),
        ]);
        for (old, new) in [
            ("某县司法局", "某县司法行政局"),
            (SUP, "某县人民政府办"),
            ("某县文化和旅游局", "某县司法局"),
            ("某县文化和旅游局", "某县文化\n旅游局"),
            ("某县文化和旅游局", "  "),
        ] {
            assert!(
                matches!(
                    store
                        .rename_review_agency("上级", SUP, &scope, old, new)
                        .await,
                    Err(StoreError::Invalid(_))
                ),
                "{old} → {new}"
            );
        }
        // A former name by hand: kept, but not another agency's name.
        store
            .add_former_name("上级", &scope, "某县司法局", "某县司法行政局")
            .await
            .unwrap();
        assert!(matches!(
            store
                .add_former_name("上级", &scope, "某县司法局", "某县文化和旅游局")
                .await,
            Err(StoreError::Invalid(_))
        ));
        let roster = store.review_roster(&scope).await.unwrap();
        let justice = roster.iter().find(|a| a.name == "某县司法局").unwrap();
        assert_eq!(justice.former_names, vec!["某县司法行政局".to_string()]);
    }
}

/// A supervisor's thresholds: none until set, kept as set, and setting them
/// has the season computed again.
#[tokio::test]
async fn review_thresholds_are_kept() {
    for db in common::databases("review_settings").await {
        let store = db.open().await;
        store.ensure_agency("管理员", SUP).await.unwrap();
        assert_eq!(store.review_settings(SUP).await.unwrap(), None);
        let stamp = store.review_stamp(SUP).await.unwrap();
        let s = gongkai_store::ReviewSettings {
            copy_threshold: 0.75,
            copy_min_chars: 120,
            change_ratio: 0.3,
            change_items: 50,
        };
        store.set_review_settings("上级", SUP, &s).await.unwrap();
        assert_eq!(store.review_settings(SUP).await.unwrap(), Some(s));
        assert_ne!(store.review_stamp(SUP).await.unwrap(), stamp);
        let t = gongkai_store::ReviewSettings {
            copy_threshold: 0.9,
            ..s
        };
        store.set_review_settings("上级", SUP, &t).await.unwrap();
        assert_eq!(store.review_settings(SUP).await.unwrap(), Some(t));
        assert_eq!(store.review_settings("邻县人民政府").await.unwrap(), None);
    }
}
