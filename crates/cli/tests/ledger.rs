//! `gongkai ledger …` and `gongkai report generate` run as a clerk runs them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn gongkai(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .env("GONGKAI_DB", db)
        .env("GONGKAI_USER", "李办理")
        .args(args)
        .output()
        .expect("run gongkai")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A ledger with one application, replied to.
fn replied_case(db: &Path, agency: &str) {
    let o = gongkai(
        db,
        &[
            "ledger",
            "add",
            "--agency",
            agency,
            "--kind",
            "自然人",
            "--name",
            "张某",
            "--channel",
            "网络",
            "--received",
            "2025-09-26",
            "--request",
            "某小区规划许可证及附图",
            "--as-of",
            "2025-09-26",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = gongkai(
        db,
        &[
            "ledger",
            "event",
            "--agency",
            agency,
            "2025-0001",
            "答复",
            "--on",
            "2025-10-29",
            "--outcome",
            "予以公开",
            "--as-of",
            "2025-10-29",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_reply_letter_as_word_and_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let agency = "某某县住房和城乡建设局";
    replied_case(&db, agency);
    let letter = |extra: &[&str]| {
        let mut args = vec!["ledger", "letter", "--agency", agency, "2025-0001"];
        args.extend_from_slice(extra);
        gongkai(&db, &args)
    };
    let o = letter(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace()))
        .filter(|l| !l.is_empty())
        .collect();
    assert!(lines.len() >= 6, "{text}");

    // Word, by the file's extension: the letter's text, paragraph by paragraph.
    let docx = dir.path().join("告知书.docx");
    let o = letter(&["-o", docx.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read(&docx).unwrap();
    let doc = gongkai_read::docx::read(&bytes).expect("a Word document");
    let back: Vec<&str> = doc
        .blocks
        .iter()
        .filter_map(gongkai_read::doc::Block::text)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    assert_eq!(back, lines);

    // Not over an existing file without --force; over it with.
    let o = letter(&["--to", "pdf", "-o", docx.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("已经存在"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&docx).unwrap(), bytes);
    let o = letter(&["--to", "docx", "-o", docx.to_str().unwrap(), "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read(&docx).unwrap(), bytes);
    // Never over the ledger itself.
    let o = letter(&["--to", "pdf", "-o", db.to_str().unwrap(), "--force"]);
    assert_eq!(o.status.code(), Some(2));

    // PDF: every line of the letter in the text the PDF reader finds.
    let pdf = dir.path().join("告知书.pdf");
    let o = letter(&["--to", "pdf", "-o", pdf.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("警告"), "{}", stderr(&o));
    let doc = gongkai_read::pdf::read(&std::fs::read(&pdf).unwrap()).expect("a PDF");
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let all: String = doc
        .blocks
        .iter()
        .filter_map(gongkai_read::doc::Block::text)
        .map(squeeze)
        .collect();
    for line in &lines {
        assert!(all.contains(&squeeze(line)), "{line} in {all}");
    }

    // Text by name; Word to a pipe; other formats refused.
    let txt = dir.path().join("告知书.txt");
    let o = letter(&["--to", "txt", "-o", txt.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&txt).unwrap(), text);
    let o = letter(&["--to", "docx"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout.starts_with(b"PK\x03\x04"));
    let o = letter(&["--to", "md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("txt、docx、pdf"), "{}", stderr(&o));
}

#[test]
fn a_case_from_receipt_to_reply_letter() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let agency = "某某县住房和城乡建设局";
    let o = gongkai(
        &db,
        &[
            "ledger",
            "add",
            "--agency",
            agency,
            "--kind",
            "自然人",
            "--name",
            "张某",
            "--channel",
            "网络",
            "--received",
            "2025-09-26",
            "--request",
            "某小区规划许可证及附图",
            "--as-of",
            "2025-09-26",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("2025-0001"), "{out}");
    assert!(out.contains("答复期限：2025-10-30"), "{out}");

    // Due soon on 10-27: three working days left; overdue on 10-31.
    let o = gongkai(&db, &["ledger", "overdue", "--as-of", "2025-10-27"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("剩3个工作日"), "{}", stdout(&o));
    let o = gongkai(&db, &["ledger", "overdue", "--as-of", "2025-10-31"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("逾期1个工作日"), "{}", stdout(&o));

    // A reply with an outcome in the clerk's words, then the letter.
    let o = gongkai(
        &db,
        &[
            "ledger",
            "event",
            "--agency",
            agency,
            "2025-0001",
            "答复",
            "--on",
            "2025-10-29",
            "--outcome",
            "本机关不掌握相关政府信息",
            "--as-of",
            "2025-10-29",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = gongkai(&db, &["ledger", "letter", "--agency", agency, "2025-0001"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let letter = stdout(&o);
    assert!(letter.contains("政府信息公开申请答复告知书"), "{letter}");
    assert!(letter.contains("张某"));
    assert!(letter.contains("第三十六条第（四）项"), "{letter}");

    // An event after the reply is refused, and nothing is written.
    let o = gongkai(
        &db,
        &[
            "ledger",
            "event",
            "--agency",
            agency,
            "2025-0001",
            "撤回",
            "--on",
            "2025-10-30",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let o = gongkai(&db, &["ledger", "show", "--agency", agency, "2025-0001"]);
    assert!(!stdout(&o).contains("撤回"), "{}", stdout(&o));

    // The audit log names the clerk and not the applicant.
    let o = gongkai(&db, &["ledger", "audit"]);
    let log = stdout(&o);
    assert!(
        log.contains("李办理") && log.contains("application.event"),
        "{log}"
    );
    assert!(!log.contains("张某"), "{log}");
}

#[test]
fn a_sample_ledger_gives_a_report_that_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let o = gongkai(
        &db,
        &[
            "ledger",
            "sample",
            "--agencies",
            "2",
            "--per-year",
            "150",
            "--as-of",
            "2026-01-20",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out_dir = dir.path().join("reports");
    // One year in Word: the directory check reads both formats.
    for (year, to) in [("2023", "md"), ("2024", "docx"), ("2025", "md")] {
        let o = gongkai(
            &db,
            &[
                "report",
                "generate",
                "--year",
                year,
                "--to",
                to,
                "--out-dir",
                out_dir.to_str().unwrap(),
                "--as-of",
                "2026-01-20",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    // The three years of both agencies, checked together: no errors, the
    // carry-over chains (GK020) and documents in force chain (GK021).
    let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["check", out_dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let names: Vec<_> = std::fs::read_dir(&out_dir).unwrap().collect();
    assert_eq!(names.len(), 6);
    let o = gongkai(
        &db,
        &[
            "report",
            "generate",
            "--agency",
            "示例县人民政府办公室",
            "--year",
            "2025",
            "--to",
            "json",
            "--as-of",
            "2026-01-20",
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["year"], 2025);
    assert!(json["cells"]["t3.new_received.total"].as_i64().unwrap() > 100);
}

#[test]
fn a_workbook_with_bad_rows_is_refused_whole_and_each_row_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let bad = root().join("fixtures/ledger/taizhang_2025_bad.xlsx");
    let o = gongkai(
        &db,
        &[
            "ledger",
            "import",
            bad.to_str().unwrap(),
            "--agency",
            "某某镇人民政府",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("整个文件未导入"), "{err}");
    assert!(err.matches("  第").count() >= 4, "{err}");
    let o = gongkai(&db, &["ledger", "list"]);
    assert!(stdout(&o).contains("没有符合条件的申请"), "{}", stdout(&o));

    let good = root().join("fixtures/ledger/taizhang_2025_good.xlsx");
    let o = gongkai(
        &db,
        &[
            "ledger",
            "import",
            good.to_str().unwrap(),
            "--agency",
            "某某镇人民政府",
            "--as-of",
            "2026-01-10",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("已导入"), "{}", stdout(&o));
}

#[test]
fn fee_calculator() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("unused.db");
    let o = gongkai(
        &db,
        &["ledger", "fee", "--basis", "按量", "--quantity", "150"],
    );
    assert!(o.status.success());
    assert!(stdout(&o).contains("1700"), "{}", stdout(&o));
    assert!(!db.exists(), "the calculator needs no database");
    let o = gongkai(
        &db,
        &["ledger", "fee", "--basis", "按件", "--quantity", "31"],
    );
    assert!(stdout(&o).contains("200"), "{}", stdout(&o));
}

fn add_case(db: &Path, agency: &str, received: &str) {
    let o = gongkai(
        db,
        &[
            "ledger",
            "add",
            "--agency",
            agency,
            "--kind",
            "自然人",
            "--name",
            "张某",
            "--channel",
            "网络",
            "--received",
            received,
            "--request",
            "某文件",
            "--as-of",
            received,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn an_unknown_outcome_lists_the_outcomes_and_a_refused_fee_notice_prints_no_fee() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    add_case(&db, "某局", "2025-09-01");
    let o = gongkai(
        &db,
        &[
            "ledger",
            "event",
            "--agency",
            "某局",
            "2025-0001",
            "答复",
            "--on",
            "2025-09-02",
            "--outcome",
            "好的",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    for row in [
        "予以公开",
        "本机关不掌握相关政府信息",
        "属于国家秘密",
        "重复申请",
        "unavailable.not_held",
    ] {
        assert!(err.contains(row), "{err}");
    }
    assert!(!err.contains("--help"), "{err}");

    let notice = |on: &str| {
        gongkai(
            &db,
            &[
                "ledger",
                "event",
                "--agency",
                "某局",
                "2025-0001",
                "收费通知",
                "--basis",
                "按量",
                "--pages",
                "100",
                "--on",
                on,
                "--as-of",
                on,
            ],
        )
    };
    let o = notice("2025-09-02");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("700元"), "{}", stdout(&o));
    let o = notice("2025-09-03");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).is_empty(),
        "printed before the refusal: {}",
        stdout(&o)
    );
}

#[test]
fn a_free_application_gets_no_fee_notice() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    // The applicant's tenth application this month is free (109号).
    for _ in 0..10 {
        add_case(&db, "某局", "2025-11-03");
    }
    let o = gongkai(
        &db,
        &[
            "ledger",
            "event",
            "--agency",
            "某局",
            "2025-0010",
            "收费通知",
            "--basis",
            "按件",
            "--on",
            "2025-11-04",
            "--as-of",
            "2025-11-04",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("不收费"), "{}", stderr(&o));
    // Nothing recorded; the case is open and never lapses as unpaid.
    let o = gongkai(
        &db,
        &[
            "ledger",
            "overdue",
            "--within",
            "30",
            "--as-of",
            "2026-02-02",
        ],
    );
    assert!(!stdout(&o).contains("逾期未缴纳"), "{}", stdout(&o));
    let o = gongkai(&db, &["ledger", "show", "--agency", "某局", "2025-0010"]);
    assert!(!stdout(&o).contains("收费通知"), "{}", stdout(&o));

    // The eleventh costs 100 元; paying less is recorded with a warning.
    add_case(&db, "某局", "2025-11-03");
    let o = gongkai(
        &db,
        &[
            "ledger",
            "event",
            "--agency",
            "某局",
            "2025-0011",
            "收费通知",
            "--basis",
            "按件",
            "--on",
            "2025-11-04",
            "--as-of",
            "2025-11-04",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("100元"), "{}", stdout(&o));
    let o = gongkai(
        &db,
        &[
            "ledger",
            "event",
            "--agency",
            "某局",
            "2025-0011",
            "缴费",
            "--amount",
            "50",
            "--on",
            "2025-11-05",
            "--as-of",
            "2025-11-05",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("少于收费通知的100元"), "{}", stdout(&o));
}

#[test]
fn information_another_agency_is_responsible_for_is_referred_and_counted_as_not_held() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    add_case(&db, "某局", "2025-09-01");
    add_case(&db, "某局", "2025-09-01");
    let o = gongkai(
        &db,
        &[
            "ledger",
            "event",
            "--agency",
            "某局",
            "2025-0001",
            "答复",
            "--on",
            "2025-09-05",
            "--as-of",
            "2025-09-05",
            "--outcome",
            "不属于本机关负责公开",
            "--responsible",
            "某县自然资源局",
            "--responsible-contact",
            "0000-12345678",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = gongkai(&db, &["ledger", "letter", "--agency", "某局", "2025-0001"]);
    let letter = stdout(&o);
    assert!(letter.contains("第三十六条第（五）项"), "{letter}");
    assert!(
        letter.contains("某县自然资源局负责公开，联系方式：0000-12345678"),
        "{letter}"
    );
    assert!(!letter.contains("不存在"), "{letter}");

    // A withdrawal cites no article.
    let o = gongkai(
        &db,
        &[
            "ledger",
            "event",
            "--agency",
            "某局",
            "2025-0002",
            "撤回",
            "--on",
            "2025-09-05",
            "--as-of",
            "2025-09-05",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = gongkai(&db, &["ledger", "letter", "--agency", "某局", "2025-0002"]);
    let letter = stdout(&o);
    assert!(
        letter.contains("撤回") && !letter.contains("第三十三条"),
        "{letter}"
    );

    // --responsible with another outcome is refused.
    add_case(&db, "某局", "2025-09-01");
    let o = gongkai(
        &db,
        &[
            "ledger",
            "event",
            "--agency",
            "某局",
            "2025-0003",
            "答复",
            "--on",
            "2025-09-05",
            "--as-of",
            "2025-09-05",
            "--outcome",
            "予以公开",
            "--responsible",
            "某县自然资源局",
        ],
    );
    assert_eq!(o.status.code(), Some(2));

    let o = gongkai(
        &db,
        &[
            "report",
            "generate",
            "--agency",
            "某局",
            "--year",
            "2025",
            "--to",
            "json",
            "--as-of",
            "2026-01-10",
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["cells"]["t3.unavailable.not_held.natural_person"], 1);
}

#[test]
fn a_calendar_file_replaces_a_shipped_year_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    add_case(&db, "某局", "2025-09-26");
    let file = dir.path().join("2025.toml");
    std::fs::write(
        &file,
        "[[year]]\nyear = 2025\noff = [\"01-01\"]\nwork = []\n",
    )
    .unwrap();
    let load = |extra: &[&str]| {
        let mut args = vec![
            "ledger",
            "calendar",
            "--load",
            file.to_str().unwrap(),
            "--as-of",
            "2025-09-26",
        ];
        args.extend_from_slice(extra);
        gongkai(&db, &args)
    };
    let o = load(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("--replace"), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("某局 第2025-0001号：2025-10-30 →"),
        "{}",
        stdout(&o)
    );
    let o = gongkai(
        &db,
        &[
            "ledger",
            "show",
            "--agency",
            "某局",
            "2025-0001",
            "--as-of",
            "2025-09-26",
        ],
    );
    assert!(
        stdout(&o).contains("答复期限：2025-10-30"),
        "{}",
        stdout(&o)
    );
    let o = load(&["--replace"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("已替换2025年"), "{}", stdout(&o));
    let o = gongkai(
        &db,
        &[
            "ledger",
            "show",
            "--agency",
            "某局",
            "2025-0001",
            "--as-of",
            "2025-09-26",
        ],
    );
    assert!(
        !stdout(&o).contains("答复期限：2025-10-30"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn doubtful_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let add = |name: &str, received: &str, as_of: &str| {
        gongkai(
            &db,
            &[
                "ledger",
                "add",
                "--agency",
                "某局",
                "--kind",
                "自然人",
                "--name",
                name,
                "--channel",
                "网络",
                "--received",
                received,
                "--request",
                "某文件",
                "--as-of",
                as_of,
            ],
        )
    };
    for (name, received, as_of, why) in [
        (
            "张某",
            "1900-01-05",
            "2025-01-05",
            "早于《政府信息公开条例》施行之日",
        ),
        ("张某", "2099-01-05", "2025-01-05", "晚于今天"),
        ("张某", "2025-01-06", "2025-01-05", "晚于今天"),
        ("  ", "2025-01-05", "2025-01-05", "申请人姓名或名称不能为空"),
    ] {
        let o = add(name, received, as_of);
        assert_eq!(o.status.code(), Some(2), "{received}");
        assert!(stderr(&o).contains(why), "{received}: {}", stderr(&o));
    }
    let o = gongkai(&db, &["ledger", "list"]);
    assert!(stdout(&o).contains("没有符合条件的申请"), "{}", stdout(&o));
}

#[test]
fn a_late_correction_gets_the_same_answer_whether_or_not_overdue_ran() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    add_case(&db, "某局", "2025-12-01");
    add_case(&db, "某局", "2025-12-01");
    for n in ["2025-0001", "2025-0002"] {
        let o = gongkai(
            &db,
            &[
                "ledger",
                "event",
                "--agency",
                "某局",
                n,
                "补正告知",
                "--on",
                "2025-12-03",
                "--until",
                "2025-12-17",
                "--as-of",
                "2025-12-03",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let late = |n: &str| {
        gongkai(
            &db,
            &[
                "ledger",
                "event",
                "--agency",
                "某局",
                n,
                "收到补正",
                "--on",
                "2025-12-19",
                "--as-of",
                "2025-12-19",
            ],
        )
    };
    // Case 1 before any sweep; case 2 after `overdue` closed it.
    let before = late("2025-0001");
    let o = gongkai(&db, &["ledger", "overdue", "--as-of", "2025-12-19"]);
    assert!(o.status.code().is_some());
    let after = late("2025-0002");
    assert_eq!(before.status.code(), Some(2), "{}", stdout(&before));
    assert_eq!(after.status.code(), Some(2), "{}", stdout(&after));
    // Both end the same way: closed as no correction.
    let o = gongkai(&db, &["ledger", "overdue", "--as-of", "2025-12-19"]);
    assert!(o.status.code().is_some());
    let o = gongkai(&db, &["ledger", "list"]);
    assert_eq!(stdout(&o).matches("已办结").count(), 2, "{}", stdout(&o));
}

#[test]
fn the_generated_report_has_every_sub_part_and_no_placeholder() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    add_case(&db, "某局", "2025-09-01");
    add_case(&db, "某局", "2025-09-01");
    // One reply late (due 2025-09-29), one in time.
    for (n, on) in [("2025-0001", "2025-10-15"), ("2025-0002", "2025-09-10")] {
        let o = gongkai(
            &db,
            &[
                "ledger",
                "event",
                "--agency",
                "某局",
                n,
                "答复",
                "--on",
                on,
                "--as-of",
                on,
                "--outcome",
                "予以公开",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let out = dir.path().join("报告.md");
    let o = gongkai(
        &db,
        &[
            "report",
            "generate",
            "--agency",
            "某局",
            "--year",
            "2025",
            "--to",
            "md",
            "-o",
            out.to_str().unwrap(),
            "--as-of",
            "2026-01-10",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let md = std::fs::read_to_string(&out).unwrap();
    for part in [
        "（一）主动公开",
        "（二）依申请公开",
        "（三）政府信息管理",
        "（四）政府信息公开平台建设",
        "（五）监督保障",
    ] {
        assert!(md.contains(part), "{part}:\n{md}");
    }
    assert!(md.contains("共收到政府信息公开申请2件"), "{md}");
    assert!(md.contains("通过网络") || md.contains("网络2件"), "{md}");
    assert!(md.contains("有1件申请超过法定期限答复"), "{md}");
    assert!(!md.contains("尚未填写"), "{md}");
    // The report checks without a warning: text and tables agree.
    let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["check", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains("0 个错误，0 个警告"), "{}", stdout(&o));
}
