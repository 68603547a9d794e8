//! The ledger against real databases: SQLite always, PostgreSQL when configured.

mod common;

use chrono::NaiveDate;
use gongkai_casework::annual::{CaseSummary, Requests};
use gongkai_casework::clock::Stage;
use gongkai_casework::model::*;
use gongkai_casework::sample;
use gongkai_report::{check, check_series, Level, Num, Report};
use gongkai_store::{ListFilter, StoreError};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn application(name: &str, kind: ApplicantKind, received: &str) -> NewApplication {
    NewApplication {
        number: None,
        applicant: Applicant {
            kind,
            name: name.to_string(),
            id_document: "110101199001011234".to_string(),
            contact: "13800001111".to_string(),
        },
        channel: Channel::Online,
        received_on: d(received),
        request: "某路段改造工程的立项批复".to_string(),
        form: "电子数据".to_string(),
    }
}

fn event(on: &str, kind: EventKind) -> Event {
    Event {
        on: d(on),
        kind,
        actor: "李办理".to_string(),
        note: String::new(),
    }
}

fn int(r: &Report, address: &str) -> i64 {
    r.value(address).and_then(Num::as_int).unwrap_or(-1)
}

const AGENCY: &str = "某某市某某局";

#[tokio::test]
async fn deadlines_across_national_day_with_consultation_and_extension() {
    for db in common::databases("deadlines").await {
        let store = db.open().await;
        // Received Friday 2025-09-26; Sunday 09-28 is a make-up working day,
        // 10-01..10-08 are off, Saturday 10-11 is a make-up working day.
        let n = store
            .add_application(
                "李办理",
                AGENCY,
                &application("张某", ApplicantKind::NaturalPerson, "2025-09-26"),
                d("2025-09-26"),
            )
            .await
            .unwrap();
        assert_eq!(n, "2025-0001", "{}", db.label);
        let s = store.case_state(AGENCY, &n, d("2025-09-26")).await.unwrap();
        assert_eq!(s.due_on, Some(d("2025-10-30")), "{}", db.label);

        // Consultation 10-09 (Thu) .. 10-13 (Mon): 10-10, 10-11, 10-13 are
        // three working days not counted.
        store
            .add_event(
                AGENCY,
                &n,
                event(
                    "2025-10-09",
                    EventKind::ConsultationStarted {
                        party: "某公司".into(),
                    },
                ),
                d("2025-10-09"),
            )
            .await
            .unwrap();
        let s = store.case_state(AGENCY, &n, d("2025-10-10")).await.unwrap();
        assert_eq!(s.stage, Stage::Consulting);
        let s = store
            .add_event(
                AGENCY,
                &n,
                event("2025-10-13", EventKind::ConsultationEnded),
                d("2025-10-13"),
            )
            .await
            .unwrap();
        assert_eq!(s.due_on, Some(d("2025-11-04")), "{}", db.label);

        // An extension of 20 working days, once.
        let ext = |on: &str| {
            event(
                on,
                EventKind::Extended {
                    days: 20,
                    approver: "王副局长".into(),
                    applicant_notified_on: d(on),
                },
            )
        };
        let s = store
            .add_event(AGENCY, &n, ext("2025-11-03"), d("2025-11-03"))
            .await
            .unwrap();
        assert_eq!(s.due_on, Some(d("2025-12-02")), "{}", db.label);
        let second = store
            .add_event(AGENCY, &n, ext("2025-11-04"), d("2025-11-04"))
            .await;
        assert!(
            matches!(second, Err(StoreError::Clock(_))),
            "{}: {second:?}",
            db.label
        );
        let a = store.application(AGENCY, &n).await.unwrap();
        assert_eq!(a.events.len(), 3, "a refused event is not written");

        // Due soon and overdue.
        let due = store
            .due("系统", Some(AGENCY), d("2025-11-28"), 5)
            .await
            .unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].days_left, 2, "{}", db.label);
        let due = store
            .due("系统", Some(AGENCY), d("2025-12-04"), 5)
            .await
            .unwrap();
        assert_eq!(due[0].days_left, -2, "{}", db.label);

        store
            .add_event(
                AGENCY,
                &n,
                event(
                    "2025-12-01",
                    EventKind::Replied {
                        outcome: Outcome::GRANTED,
                        responsible: None,
                    },
                ),
                d("2025-12-01"),
            )
            .await
            .unwrap();
        let rows = store
            .list(&ListFilter {
                agency: Some(AGENCY.into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(rows[0].stage, "closed");
        assert_eq!(rows[0].outcome.as_deref(), Some("granted"));
        assert!(store
            .due("系统", None, d("2025-12-04"), 5)
            .await
            .unwrap()
            .is_empty());
        store.close().await;
        db.drop_database().await;
    }
}

#[tokio::test]
async fn correction_not_made_lapses_and_counts_in_the_report() {
    for db in common::databases("lapse").await {
        let store = db.open().await;
        let n = store
            .add_application(
                "李办理",
                AGENCY,
                &application("某某科技有限公司", ApplicantKind::Business, "2025-12-01"),
                d("2025-12-01"),
            )
            .await
            .unwrap();
        store
            .add_event(
                AGENCY,
                &n,
                event(
                    "2025-12-03",
                    EventKind::CorrectionRequested {
                        until: d("2025-12-17"),
                    },
                ),
                d("2025-12-03"),
            )
            .await
            .unwrap();
        // Still waiting on 12-17; lapsed after it.
        assert_eq!(store.sweep("系统", None, d("2025-12-17")).await.unwrap(), 0);
        assert_eq!(
            store.sweep("系统", None, d("2025-12-18")).await.unwrap(),
            1,
            "{}",
            db.label
        );
        let a = store.application(AGENCY, &n).await.unwrap();
        assert!(
            matches!(a.events.last().unwrap().kind, EventKind::Lapsed { outcome } if outcome == Outcome::NO_CORRECTION)
        );
        let r = store
            .annual_report("系统", AGENCY, 2025, d("2026-01-10"))
            .await
            .unwrap();
        assert_eq!(
            int(&r, "t3.other.no_correction.business"),
            1,
            "{}",
            db.label
        );
        assert_eq!(int(&r, "t3.carried_forward.total"), 0);
        store.close().await;
        db.drop_database().await;
    }
}

#[tokio::test]
async fn generated_ledger_gives_clean_reports_that_chain() {
    for db in common::databases("chain").await {
        let store = db.open().await;
        let as_of = d("2026-01-20");
        let mut all: Vec<(String, Vec<sample::SampleCase>)> = Vec::new();
        for (i, agency) in ["甲县人民政府办公室", "甲县自然资源局"].iter().enumerate()
        {
            let cases = sample::applications(
                i as u64 + 11,
                &store.calendar(),
                d("2023-01-01"),
                d("2025-12-31"),
                1500,
                as_of,
            );
            store
                .insert_sample("导入", agency, &cases, as_of)
                .await
                .unwrap();
            for doc in sample::documents(i as u64, 2021, 2025) {
                store.put_document("导入", agency, &doc).await.unwrap();
            }
            for c in sample::legal_cases(i as u64, 2023, 2025, as_of) {
                store.put_case("导入", agency, &c).await.unwrap();
            }
            for y in 2023..=2025 {
                store
                    .put_enforcement("导入", agency, y, &sample::enforcement(i as u64, y))
                    .await
                    .unwrap();
            }
            all.push((agency.to_string(), cases));
        }
        store.sweep("系统", None, as_of).await.unwrap();
        for (agency, _) in &all {
            let mut reports = Vec::new();
            for year in 2023..=2025 {
                let r = store
                    .annual_report("系统", agency, year, as_of)
                    .await
                    .unwrap();
                let faults: Vec<_> = check(&r)
                    .into_iter()
                    .filter(|x| x.level != Level::Info)
                    .collect();
                assert!(
                    faults.is_empty(),
                    "{} {agency} {year}: {faults:#?}",
                    db.label
                );
                reports.push(r);
            }
            let refs: Vec<&Report> = reports.iter().collect();
            assert!(check_series(&refs).is_empty(), "{}", db.label);
            assert!(int(&reports[1], "t3.new_received.total") > 400);
            assert_eq!(
                int(&reports[2], "t3.carried_over.total"),
                int(&reports[1], "t3.carried_forward.total")
            );
        }
        // The database's counts equal a count made in memory from the stored cases.
        let rows = store
            .list(&ListFilter {
                agency: Some(all[0].0.clone()),
                ..Default::default()
            })
            .await
            .unwrap();
        let summaries: Vec<CaseSummary> = rows
            .iter()
            .map(|r| CaseSummary {
                kind: ApplicantKind::ALL
                    .into_iter()
                    .find(|k| k.column_key() == r.applicant_kind)
                    .unwrap(),
                received_on: d(&r.received_on),
                closed: r.closed_on.as_ref().map(|c| {
                    (
                        d(c),
                        Outcome::all()
                            .find(|o| Some(o.key()) == r.outcome.as_deref())
                            .unwrap(),
                    )
                }),
            })
            .collect();
        let by_db = store.ledger_year(&all[0].0, 2024).await.unwrap();
        assert_eq!(
            by_db.requests,
            Requests::tally(2024, &summaries),
            "{}",
            db.label
        );
        // And all agencies at once give the same figures.
        let everyone = store.ledger_years(None, 2024).await.unwrap();
        assert_eq!(everyone.len(), 2);
        assert_eq!(
            everyone
                .iter()
                .find(|l| l.agency == all[0].0)
                .unwrap()
                .requests,
            by_db.requests
        );
        store.close().await;
        db.drop_database().await;
    }
}

#[tokio::test]
async fn audit_log_records_changes_without_personal_data() {
    for db in common::databases("audit").await {
        let store = db.open().await;
        let n = store
            .add_application(
                "李办理",
                AGENCY,
                &application("张三丰", ApplicantKind::NaturalPerson, "2025-03-03"),
                d("2025-03-03"),
            )
            .await
            .unwrap();
        store
            .add_event(
                AGENCY,
                &n,
                event(
                    "2025-03-10",
                    EventKind::Replied {
                        outcome: Outcome::GRANTED,
                        responsible: None,
                    },
                ),
                d("2025-03-10"),
            )
            .await
            .unwrap();
        let log = store.audit_log(50).await.unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            ["application.event", "application.create", "agency.create"],
            "{}",
            db.label
        );
        let text = serde_json::to_string(&log).unwrap();
        for secret in ["张三丰", "110101199001011234", "13800001111"] {
            assert!(
                !text.contains(secret),
                "{}: audit log holds {secret}",
                db.label
            );
        }
        assert_eq!(log[0].actor, "李办理");
        assert_eq!(log[0].before.as_ref().unwrap()["stage"], "open");
        assert_eq!(
            log[0].after.as_ref().unwrap()["state"]["outcome"],
            "granted"
        );
        store.close().await;
        db.drop_database().await;
    }
}

#[tokio::test]
async fn a_new_calendar_moves_the_deadlines_of_open_cases() {
    for db in common::databases("calendar").await {
        let store = db.open().await;
        let n = store
            .add_application(
                "李办理",
                AGENCY,
                &application("张某", ApplicantKind::NaturalPerson, "2026-12-10"),
                d("2026-12-10"),
            )
            .await
            .unwrap();
        // 2027 is not announced: weekends only, provisional.
        let s = store.case_state(AGENCY, &n, d("2026-12-10")).await.unwrap();
        assert_eq!(s.due_on, Some(d("2027-01-07")), "{}", db.label);
        assert!(s.provisional);
        let text = "[[year]]\nyear = 2027\noff = [\"01-01..01-03\", \"01-06\"]\nwork = []\n";
        let done = store
            .load_calendar("管理员", text, d("2026-12-11"), false)
            .await
            .unwrap();
        assert!(done.applied);
        assert_eq!((done.added.clone(), done.open), (vec![2027], 1));
        assert_eq!(done.moved.len(), 1);
        assert_eq!(done.moved[0].after, Some(d("2027-01-11")));
        let rows = store.list(&ListFilter::default()).await.unwrap();
        assert_eq!(
            rows[0].due_on.as_deref(),
            Some("2027-01-11"),
            "{}",
            db.label
        );
        // The loaded year survives reopening.
        store.close().await;
        let store = db.open().await;
        assert!(store.calendar().years().contains(&2027));
        let s = store.case_state(AGENCY, &n, d("2026-12-11")).await.unwrap();
        assert_eq!(s.due_on, Some(d("2027-01-11")));
        store.close().await;
        db.drop_database().await;
    }
}

#[tokio::test]
async fn an_import_with_bad_rows_is_refused_whole() {
    let bad = include_bytes!("../../../fixtures/ledger/taizhang_2025_bad.xlsx");
    let good = include_bytes!("../../../fixtures/ledger/taizhang_2025_good.xlsx");
    for db in common::databases("import").await {
        let store = db.open().await;
        let report = gongkai_casework::import::read_ledger("taizhang_2025_bad.xlsx", bad).unwrap();
        assert!(!report.errors.is_empty());
        let r = store
            .import_applications("李办理", AGENCY, &report, d("2026-01-05"))
            .await;
        assert!(matches!(r, Err(StoreError::Import(_))), "{}", db.label);
        assert!(store.list(&ListFilter::default()).await.unwrap().is_empty());

        let report =
            gongkai_casework::import::read_ledger("taizhang_2025_good.xlsx", good).unwrap();
        assert!(report.is_ok(), "{:?}", report.errors);
        let numbers = store
            .import_applications("李办理", AGENCY, &report, d("2026-01-05"))
            .await
            .unwrap()
            .imported;
        assert_eq!(numbers.len(), report.rows.len());
        let rows = store.list(&ListFilter::default()).await.unwrap();
        assert_eq!(rows.len(), report.rows.len(), "{}", db.label);
        let replied = report.rows.iter().filter(|r| r.reply.is_some()).count();
        assert_eq!(rows.iter().filter(|r| r.stage == "closed").count(), replied);
        let r = store
            .annual_report("系统", AGENCY, 2025, d("2026-01-05"))
            .await
            .unwrap();
        assert_eq!(int(&r, "t3.new_received.total") as usize, report.rows.len());
        let faults: Vec<_> = check(&r)
            .into_iter()
            .filter(|x| x.level == Level::Error)
            .collect();
        assert!(faults.is_empty(), "{faults:#?}");
        store.close().await;
        db.drop_database().await;
    }
}

#[tokio::test]
async fn importing_the_same_ledger_twice_changes_nothing() {
    let good = include_bytes!("../../../fixtures/ledger/taizhang_2025_good.xlsx");
    let csv = include_bytes!("../../../fixtures/ledger/taizhang_2024.csv");
    for db in common::databases("reimport").await {
        let store = db.open().await;
        let report =
            gongkai_casework::import::read_ledger("taizhang_2025_good.xlsx", good).unwrap();
        let first = store
            .import_applications("李办理", AGENCY, &report, d("2026-01-05"))
            .await
            .unwrap();
        assert_eq!(first.imported.len(), report.rows.len());
        assert!(first.already.is_empty());
        let rows = store.list(&ListFilter::default()).await.unwrap();
        let audit = store.audit_log(1_000_000).await.unwrap().len();

        let again = store
            .import_applications("李办理", AGENCY, &report, d("2026-01-05"))
            .await
            .unwrap();
        assert!(again.imported.is_empty(), "{}", db.label);
        assert_eq!(again.already.len(), report.rows.len());
        assert_eq!(again.already[0].1, first.imported[0]);
        assert_eq!(store.list(&ListFilter::default()).await.unwrap(), rows);
        assert_eq!(store.audit_log(1_000_000).await.unwrap().len(), audit);
        let r = store
            .annual_report("系统", AGENCY, 2025, d("2026-01-05"))
            .await
            .unwrap();
        assert_eq!(int(&r, "t3.new_received.total") as usize, report.rows.len());

        // A file holding the old rows and new ones imports only the new.
        let other = gongkai_casework::import::read_ledger("taizhang_2024.csv", csv).unwrap();
        let mut both = report.clone();
        both.rows.extend(other.rows.iter().cloned());
        let mixed = store
            .import_applications("李办理", AGENCY, &both, d("2026-01-05"))
            .await
            .unwrap();
        assert_eq!(mixed.imported.len(), other.rows.len());
        assert_eq!(mixed.already.len(), report.rows.len());
        store.close().await;
        db.drop_database().await;
    }
}

#[tokio::test]
async fn an_import_that_fails_or_is_empty_leaves_no_agency() {
    let good = include_bytes!("../../../fixtures/ledger/taizhang_2025_good.xlsx");
    for db in common::databases("import_agency").await {
        let store = db.open().await;
        let report =
            gongkai_casework::import::read_ledger("taizhang_2025_good.xlsx", good).unwrap();
        // Header only: nothing to import, no agency.
        let mut empty = report.clone();
        empty.rows.clear();
        let done = store
            .import_applications("李办理", "空台账局", &empty, d("2026-01-05"))
            .await
            .unwrap();
        assert!(done.imported.is_empty());
        assert!(store.agencies().await.unwrap().is_empty(), "{}", db.label);

        // A row the deadline clock refuses (a reply before receipt) fails
        // the import inside its transaction: no agency, no rows.
        let mut broken = report.clone();
        let last = broken.rows.len() - 1;
        let received = broken.rows[last].application.received_on;
        broken.rows[last].reply = Some((received - chrono::Duration::days(3), Outcome::GRANTED));
        let r = store
            .import_applications("李办理", "中断局", &broken, d("2026-01-05"))
            .await;
        assert!(r.is_err(), "{}", db.label);
        assert!(store.agencies().await.unwrap().is_empty(), "{}", db.label);
        assert!(store.list(&ListFilter::default()).await.unwrap().is_empty());
        store.close().await;
        db.drop_database().await;
    }
}

#[tokio::test]
async fn replacing_a_shipped_year_must_be_asked_for_and_lists_the_moved_cases() {
    for db in common::databases("calendar_replace").await {
        let store = db.open().await;
        let n = store
            .add_application(
                "李办理",
                AGENCY,
                &application("张某", ApplicantKind::NaturalPerson, "2025-09-26"),
                d("2025-09-26"),
            )
            .await
            .unwrap();
        let official = store.case_state(AGENCY, &n, d("2025-09-26")).await.unwrap();
        assert_eq!(official.due_on, Some(d("2025-10-30")));
        // A file with only 2025 and one holiday.
        let text = "[[year]]\nyear = 2025\noff = [\"01-01\"]\nwork = []\n";
        let done = store
            .load_calendar("管理员", text, d("2025-09-26"), false)
            .await
            .unwrap();
        assert!(!done.applied, "{}", db.label);
        assert_eq!(done.replaced, vec![2025]);
        assert_eq!(done.moved.len(), 1);
        assert_eq!(done.moved[0].before, Some(d("2025-10-30")));
        // Nothing changed, also after reopening.
        let rows = store.list(&ListFilter::default()).await.unwrap();
        assert_eq!(rows[0].due_on.as_deref(), Some("2025-10-30"));
        store.close().await;
        let store = db.open().await;
        let s = store.case_state(AGENCY, &n, d("2025-09-26")).await.unwrap();
        assert_eq!(s.due_on, Some(d("2025-10-30")));
        // Asked for, it replaces.
        let done = store
            .load_calendar("管理员", text, d("2025-09-26"), true)
            .await
            .unwrap();
        assert!(done.applied);
        let rows = store.list(&ListFilter::default()).await.unwrap();
        assert_eq!(rows[0].due_on, done.moved[0].after.map(|d| d.to_string()));
        assert_ne!(rows[0].due_on.as_deref(), Some("2025-10-30"));
        store.close().await;
        db.drop_database().await;
    }
}

/// A ledger written before the migrations were embedded by hand (with
/// `sqlx::migrate!`) opens: the checksums agree.
#[tokio::test]
async fn a_ledger_from_an_earlier_build_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/ledger/ledger_v0001.db"
        ),
        &path,
    )
    .unwrap();
    let store = gongkai_store::Store::open(&path.display().to_string())
        .await
        .unwrap();
    let rows = store.list(&ListFilter::default()).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].agency, "某局");
    store.close().await;
}

/// The other ledgers read back as written, and only within the reader's
/// scope: another agency's are "not found", like missing ones.
#[tokio::test]
async fn the_other_ledgers_are_read_within_the_scope() {
    use gongkai_store::Scope;
    const OTHER: &str = "某某市另一局";
    for db in common::databases("registers").await {
        let store = db.open().await;
        let doc = NormativeDocument {
            number: "某府规〔2025〕3号".into(),
            kind: DocumentKind::Regulation,
            title: "某某市政府信息公开规定".into(),
            issued_on: d("2025-03-01"),
            repealed_on: None,
        };
        store.put_document("李办理", AGENCY, &doc).await.unwrap();
        let older = NormativeDocument {
            number: "某办发〔2020〕1号".into(),
            kind: DocumentKind::Normative,
            title: "旧办法".into(),
            issued_on: d("2020-01-02"),
            repealed_on: Some(d("2025-06-30")),
        };
        store.put_document("李办理", AGENCY, &older).await.unwrap();
        let figures = Enforcement {
            license: 12,
            penalty: 3,
            coercion: 1,
            fee_amount: 2.5,
        };
        store
            .put_enforcement("李办理", AGENCY, 2025, &figures)
            .await
            .unwrap();
        let case = LegalCase {
            number: "（2025）某行复1号".into(),
            kind: CaseKind::Review,
            filed_on: d("2025-04-01"),
            decided: Some((d("2025-06-01"), CaseResult::Upheld)),
        };
        store.put_case("李办理", AGENCY, &case).await.unwrap();
        store
            .put_narrative("李办理", AGENCY, 2025, "general", "总体情况的文字")
            .await
            .unwrap();
        store.ensure_agency("测试", OTHER).await.unwrap();

        let own = Scope::Agencies(vec![AGENCY.to_string()]);
        for scope in [&own, &Scope::All] {
            let docs = store.documents(scope, AGENCY).await.unwrap();
            assert_eq!(
                docs,
                vec![doc.clone(), older.clone()],
                "{}: newest first",
                db.label
            );
            assert_eq!(
                store.document(scope, AGENCY, &doc.number).await.unwrap(),
                doc
            );
            assert_eq!(
                store.enforcement(scope, AGENCY, 2025).await.unwrap(),
                Some(figures)
            );
            assert_eq!(store.enforcement(scope, AGENCY, 2024).await.unwrap(), None);
            assert_eq!(
                store.enforcement_years(scope, AGENCY).await.unwrap(),
                vec![2025]
            );
            assert_eq!(
                store.legal_cases(scope, AGENCY).await.unwrap(),
                vec![case.clone()]
            );
            assert_eq!(
                store.legal_case(scope, AGENCY, &case.number).await.unwrap(),
                case
            );
            let n = store.narratives(scope, AGENCY, 2025).await.unwrap();
            assert_eq!(n.get("general").map(String::as_str), Some("总体情况的文字"));
        }
        assert!(matches!(
            store.document(&own, AGENCY, "无此文号").await,
            Err(StoreError::NotFound(_))
        ));
        // The other agency's reader sees none of it, and cannot tell it exists.
        let other = Scope::Agencies(vec![OTHER.to_string()]);
        let missing = |r: Result<(), StoreError>| matches!(r, Err(StoreError::NotFound(_)));
        assert!(missing(store.documents(&other, AGENCY).await.map(|_| ())));
        assert!(missing(
            store
                .document(&other, AGENCY, &doc.number)
                .await
                .map(|_| ())
        ));
        assert!(missing(
            store.enforcement(&other, AGENCY, 2025).await.map(|_| ())
        ));
        assert!(missing(
            store.enforcement_years(&other, AGENCY).await.map(|_| ())
        ));
        assert!(missing(store.legal_cases(&other, AGENCY).await.map(|_| ())));
        assert!(missing(
            store
                .legal_case(&other, AGENCY, &case.number)
                .await
                .map(|_| ())
        ));
        assert!(missing(
            store.narratives(&other, AGENCY, 2025).await.map(|_| ())
        ));
        assert!(store.documents(&other, OTHER).await.unwrap().is_empty());
        assert!(missing(
            store
                .documents(&Scope::Agencies(vec![]), AGENCY)
                .await
                .map(|_| ())
        ));
        store.close().await;
        db.drop_database().await;
    }
}
