//! `gongkai review` on real published reports of four provincial departments
//! (crawler copies in fixtures/real, keyed cell by cell by reading the
//! source), with a roster that also lists an office with no report, a file
//! that is not a report and one of an agency outside the roster.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn gongkai(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run gongkai")
}

const FILES: [&str; 8] = [
    "c-hebei-gxt-2022",
    "h-hebei-jyt-2022",
    "t-hebei-kjt-2022",
    "t-hebei-rst-2022",
    "h-hebei-gxt-2021",
    "t-hebei-jyt-2021",
    "c-hebei-kjt-2021",
    "pingtan-2022",
];

const ROSTER: &str = "编号,机关名称,曾用名,地区,层级,类别,上级机关
1,河北省人民政府办公厅,,河北省,省级,部门,
2,河北省工业和信息化厅,,河北省,省级,部门,河北省人民政府办公厅
3,河北省教育厅,,河北省,省级,部门,河北省人民政府办公厅
4,河北省科学技术厅,,河北省,省级,部门,河北省人民政府办公厅
5,河北省人力资源和社会保障厅,,河北省,省级,部门,河北省人民政府办公厅
6,河北省财政厅,,河北省,省级,部门,河北省人民政府办公厅
";

/// A folder of reports as a supervisor gathers them, and the roster.
fn season(dir: &Path) {
    let reports = dir.join("reports");
    std::fs::create_dir_all(&reports).unwrap();
    for f in FILES {
        std::fs::copy(
            root().join(format!("fixtures/real/{f}-crawl.txt")),
            reports.join(format!("{f}-crawl.txt")),
        )
        .unwrap();
    }
    std::fs::write(reports.join("broken.txt"), b"garbage\x00\x01\x02").unwrap();
    std::fs::write(dir.join("roster.csv"), ROSTER).unwrap();
    // The 教育厅's report recorded as published after the deadline.
    std::fs::write(
        dir.join("dates.csv"),
        "机关名称,年度,公开日期\n河北省教育厅,2022,2023-02-20\n",
    )
    .unwrap();
}

fn keyed(name: &str) -> serde_json::Value {
    let path = root().join(format!("fixtures/real/{name}-crawl.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn a_season_reviewed_from_a_folder() {
    let tmp = tempfile::tempdir().unwrap();
    season(tmp.path());
    let p = |s: &str| tmp.path().join(s).display().to_string();
    let o = gongkai(&[
        "review",
        &p("reports"),
        "--roster",
        &p("roster.csv"),
        "--dates",
        &p("dates.csv"),
        "--today",
        "2023-06-01",
        "--to",
        "json",
        "--letters",
        &p("letters"),
        "--aggregate",
        &p("sum.json"),
        "--sender",
        "河北省人民政府办公厅",
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["year"], 2022, "the year most reports are of");

    // The file that is not a report and the agency outside the roster are
    // listed against their files; nothing else is held up.
    let problems: Vec<(String, String)> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["kind"].as_str().unwrap().to_string(),
                Path::new(p["file"].as_str().unwrap())
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        vec![
            ("无法读取".to_string(), "broken.txt".to_string()),
            ("未匹配".to_string(), "pingtan-2022-crawl.txt".to_string()),
        ]
    );
    assert!(stderr.contains("平潭综合实验区"), "{stderr}");

    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 6);
    let row = |name: &str| {
        rows.iter()
            .find(|r| r["agency_name"] == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let rules = |name: &str| -> BTreeSet<String> {
        row(name)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["level"] != "info")
            .map(|d| d["rule"].as_str().unwrap().to_string())
            .collect()
    };
    // No report: missing, and scored 0.
    for name in ["河北省财政厅", "河北省人民政府办公厅"] {
        assert_eq!(row(name)["status"]["status"], "missing");
        assert_eq!(row(name)["score"]["total"], 0);
        assert_eq!(rules(name), BTreeSet::from(["GK041".to_string()]));
    }
    // Published on the day the crawler recorded (the record's second field).
    assert_eq!(
        row("河北省工业和信息化厅")["status"]["published_on"],
        "2023-01-28"
    );
    assert_eq!(
        row("河北省科学技术厅")["status"]["published_on"],
        "2023-01-13"
    );
    assert_eq!(
        row("河北省人力资源和社会保障厅")["status"]["published_on"],
        "2023-01-31"
    );
    // The recorded date decides: 20 days after 31 January.
    assert_eq!(row("河北省教育厅")["status"]["status"], "late");
    assert_eq!(row("河北省教育厅")["status"]["days"], 20);

    // Each report's faults are those keyed from its source, plus what the
    // review adds across years and for lateness.
    for (name, file, extra) in [
        // Its 六、其他需要报告的事项 is its 2021 text word for word but the
        // year ("认真贯彻执行国务院办公厅《政府信息公开信息处理费管理办法》…").
        ("河北省工业和信息化厅", "c-hebei-gxt-2022", vec!["GK042"]),
        // 181 in force at the end of 2021, 5 issued and 17 repealed in 2022: 169, not 159.
        ("河北省教育厅", "h-hebei-jyt-2022", vec!["GK021", "GK040"]),
        // Its 五、存在的主要问题及改进情况 is its 2021 text but a few words
        // ("2022年我厅在信息公开工作中取得了一定成效，但也还存在政策解读形式不够丰富…").
        ("河北省科学技术厅", "t-hebei-kjt-2022", vec!["GK042"]),
        ("河北省人力资源和社会保障厅", "t-hebei-rst-2022", vec![]),
    ] {
        let k = keyed(file);
        let mut want: BTreeSet<String> = k["faults"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect();
        want.extend(extra.iter().map(|s| s.to_string()));
        let got = rules(name);
        // GK009 (glued digits that split more than one way) is the reader's
        // own warning about cells the key lists as ambiguous.
        let got: BTreeSet<String> = got.into_iter().filter(|r| r != "GK009").collect();
        if k["ambiguous"].as_array().is_some_and(|a| !a.is_empty()) {
            // Cells the key leaves ambiguous are left absent by the reader,
            // so the rules over them may not run: no fault beyond the key's.
            assert!(rules(name).contains("GK009"), "{name}");
            assert!(got.is_subset(&want), "{name}: {got:?} ⊄ {want:?}");
            for x in &extra {
                assert!(got.contains(*x), "{name}: {x} not found");
            }
            assert!(!got.is_empty(), "{name}");
        } else {
            assert_eq!(got, want, "{name}: {:#?}", row(name)["findings"]);
        }
    }
    // The continuity of table 3 holds for all three agencies with two years
    // (checked against the keyed cells).
    for (y1, y2) in [
        ("h-hebei-gxt-2021", "c-hebei-gxt-2022"),
        ("c-hebei-kjt-2021", "t-hebei-kjt-2022"),
        ("t-hebei-jyt-2021", "h-hebei-jyt-2022"),
    ] {
        let (a, b) = (keyed(y1), keyed(y2));
        for (addr, v) in b["cells"].as_object().unwrap() {
            if let Some(col) = addr.strip_prefix("t3.carried_over.") {
                let prev = &a["cells"][format!("t3.carried_forward.{col}")];
                assert!(prev.is_null() || prev == v, "{y2} {addr}");
            }
        }
    }
    // Scores: rows come worst first, each explained.
    let scores: Vec<i64> = rows
        .iter()
        .map(|r| r["score"]["total"].as_i64().unwrap())
        .collect();
    let mut sorted = scores.clone();
    sorted.sort();
    assert_eq!(scores, sorted);
    let jyt = &row("河北省教育厅")["score"];
    assert_eq!(jyt["total"], 100 - 10 - 2);
    assert!(jyt["deductions"][0]["how"]
        .as_str()
        .unwrap()
        .contains("逾期 20 天"));

    // A notice for every agency with faults, and the 通报.
    let letters: BTreeSet<String> = std::fs::read_dir(tmp.path().join("letters"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        letters.contains("河北省教育厅2022年年报整改通知.docx"),
        "{letters:?}"
    );
    assert!(letters.contains("河北省财政厅2022年年报整改通知.docx"));
    assert!(letters.contains("河北省2022年年报审查情况通报.docx"));
    let notice = std::fs::read(
        tmp.path()
            .join("letters/河北省教育厅2022年年报整改通知.docx"),
    )
    .unwrap();
    let doc = gongkai_read::read_document(gongkai_read::Format::Docx, &notice).unwrap();
    let text: String = doc.blocks.iter().map(|b| format!("{b:?}")).collect();
    assert!(text.contains("现行有效件数与上年不衔接"), "{text}");
    assert!(text.contains("逾期 20 天"), "{text}");
    let gxt = row("河北省工业和信息化厅")["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "GK042")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        gxt.contains("六、其他需要报告的事项") && gxt.contains("本机关 2021 年度报告"),
        "{gxt}"
    );

    // The sum of the region: the reports with tables, cell by cell.
    let sum: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("sum.json")).unwrap()).unwrap();
    let mut want = 0;
    for f in ["c-hebei-gxt-2022", "h-hebei-jyt-2022", "t-hebei-kjt-2022"] {
        want += keyed(f)["cells"]["t2.license.decided"].as_i64().unwrap();
    }
    assert_eq!(sum["cells"]["t2.license.decided"], want, "{sum}");
    assert!(
        stderr.contains("t-hebei-rst-2022-crawl.txt：没有读到表格数据，未计入"),
        "{stderr}"
    );
}

#[test]
fn the_table_and_bad_input() {
    let tmp = tempfile::tempdir().unwrap();
    season(tmp.path());
    let p = |s: &str| tmp.path().join(s).display().to_string();
    let o = gongkai(&[
        "review",
        &p("reports"),
        "--roster",
        &p("roster.csv"),
        "--today",
        "2023-06-01",
        "--under",
        "河北省教育厅",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.starts_with("2022 年度报告审查：1 个机关"), "{out}");
    assert!(out.contains("河北省教育厅"));
    assert!(!out.contains("河北省财政厅"), "{out}");

    // A roster with bad rows: every one named, exit 2.
    std::fs::write(
        tmp.path().join("bad.csv"),
        "机关名称,类别,上级机关\n甲局,局,\n乙局,部门,丙局\n",
    )
    .unwrap();
    let o = gongkai(&["review", &p("reports"), "--roster", &p("bad.csv")]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("第 2 行：类别“局”"), "{err}");
    assert!(err.contains("第 3 行：上级机关“丙局”不在名单中"), "{err}");
    // A bad date.
    let o = gongkai(&[
        "review",
        &p("reports"),
        "--roster",
        &p("roster.csv"),
        "--today",
        "6/1/2023",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("YYYY-MM-DD"));
    // An agency not in the roster for --under.
    let o = gongkai(&[
        "review",
        &p("reports"),
        "--roster",
        &p("roster.csv"),
        "--under",
        "某某局",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

/// The same review kept in the web system's database: the roster imported,
/// the folder collected into it, then reviewed from it — the same rows as
/// the review of the folder; collected again, every file is a duplicate;
/// reviewed again with nothing new, the rows stay.
#[test]
fn a_season_kept_in_the_server_database() {
    let tmp = tempfile::tempdir().unwrap();
    season(tmp.path());
    let p = |s: &str| tmp.path().join(s).display().to_string();
    let db = p("gongkai.db");
    let sup = "河北省人民政府办公厅";

    // No database yet, or a supervisor it does not have: refused.
    let o = gongkai(&["review", "--db", &db, "--as", sup]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("不存在"));
    let o = gongkai(&[
        "ledger",
        "--db",
        &db,
        "enforcement",
        "--agency",
        sup,
        "--year",
        "2023",
        "--license",
        "0",
        "--penalty",
        "0",
        "--coercion",
        "0",
        "--fee-amount",
        "0",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = gongkai(&["review", "--db", &db, "--as", "河北省某某厅"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("不在数据库"));
    let o = gongkai(&["review", "--db", &db]);
    assert_eq!(o.status.code(), Some(2), "--as is needed");

    let common = ["--today", "2023-06-01", "--year", "2022", "--to", "json"];
    let run = |extra: &[&str]| {
        let mut args = vec!["review", "--db", db.as_str(), "--as", sup];
        args.extend_from_slice(extra);
        args.extend_from_slice(&common);
        let o = gongkai(&args);
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(o.status.code(), Some(0), "{stderr}");
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        (v, stderr)
    };
    let (v, stderr) = run(&[
        &p("reports"),
        "--roster",
        &p("roster.csv"),
        "--dates",
        &p("dates.csv"),
        "--aggregate",
        &p("sum.json"),
    ]);
    assert!(
        stderr.contains("名单：新增 5 个单位，更新 1 个单位"),
        "{stderr}"
    );
    assert!(
        stderr.contains("已收集 9 份报告到数据库，其中 2 份需要处理"),
        "{stderr}"
    );
    let problems: BTreeSet<String> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{} {}",
                p["kind"].as_str().unwrap(),
                Path::new(p["file"].as_str().unwrap())
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
            )
        })
        .collect();
    assert_eq!(
        problems,
        BTreeSet::from([
            "无法读取 broken.txt".to_string(),
            "未对应到机关 pingtan-2022-crawl.txt".to_string(),
        ])
    );

    // The folder reviewed directly, for comparison.
    let o = gongkai(&[
        "review",
        &p("reports"),
        "--roster",
        &p("roster.csv"),
        "--dates",
        &p("dates.csv"),
        "--today",
        "2023-06-01",
        "--year",
        "2022",
        "--to",
        "json",
    ]);
    let direct: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let summary = |v: &serde_json::Value| -> BTreeSet<String> {
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let rules: BTreeSet<&str> = r["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|d| d["level"] != "info")
                    .map(|d| d["rule"].as_str().unwrap())
                    .collect();
                format!(
                    "{} {} {} {:?} {}",
                    r["agency_name"].as_str().unwrap(),
                    r["status"]["status"],
                    r["status"]["published_on"],
                    rules,
                    r["score"]["total"]
                )
            })
            .collect()
    };
    assert_eq!(summary(&v).len(), 6);
    assert_eq!(summary(&v), summary(&direct), "the same review either way");
    let sum: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("sum.json")).unwrap()).unwrap();
    let mut want = 0;
    for f in ["c-hebei-gxt-2022", "h-hebei-jyt-2022", "t-hebei-kjt-2022"] {
        want += keyed(f)["cells"]["t2.license.decided"].as_i64().unwrap();
    }
    assert_eq!(sum["cells"]["t2.license.decided"], want);

    // Nothing new: the season is read from the database alone.
    let (again, _) = run(&[]);
    assert_eq!(summary(&again), summary(&v));
    // The same folder collected twice: every report is a duplicate.
    let (_, stderr) = run(&[&p("reports")]);
    assert!(stderr.contains("重复文件"), "{stderr}");
    // Thresholds: with no section long enough to compare, nothing is copied;
    // a threshold of nothing is refused.
    let has_copies = |v: &serde_json::Value| {
        v["rows"].as_array().unwrap().iter().any(|r| {
            r["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["rule"] == "GK042")
        })
    };
    assert!(has_copies(&v));
    let (long, _) = run(&["--copy-min-chars", "5000"]);
    assert!(!has_copies(&long));
    let o = gongkai(&["review", "--db", &db, "--as", sup, "--copy-threshold", "0"]);
    assert_eq!(o.status.code(), Some(2));
    // One agency and those under it.
    let (under, _) = run(&["--under", "河北省教育厅"]);
    assert_eq!(under["rows"].as_array().unwrap().len(), 1);
    // A small roster adds an agency under one already there.
    std::fs::write(
        tmp.path().join("more.csv"),
        "机关名称,上级机关\n河北省教育考试院,河北省教育厅\n",
    )
    .unwrap();
    let (more, stderr) = run(&["--roster", &p("more.csv")]);
    assert!(stderr.contains("名单：新增 1 个单位"), "{stderr}");
    assert_eq!(more["rows"].as_array().unwrap().len(), 7);
    let (under, _) = run(&["--under", "河北省教育厅"]);
    assert_eq!(under["rows"].as_array().unwrap().len(), 2, "{under}");
    // A bad roster changes nothing.
    std::fs::write(
        tmp.path().join("bad.csv"),
        "机关名称,类别\n河北省审计厅,局\n",
    )
    .unwrap();
    let o = gongkai(&[
        "review",
        "--db",
        &db,
        "--as",
        sup,
        "--roster",
        &p("bad.csv"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("第 2 行"));
    let (after, _) = run(&[]);
    assert_eq!(after["rows"].as_array().unwrap().len(), 7);
}
