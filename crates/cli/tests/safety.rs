//! What must never happen to a user's files and ledger: an input overwritten
//! by the output, a benchmark or a sample written into a real ledger, an
//! import counted twice, a fresh ledger broken by two commands at once.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .current_dir(dir)
        .env_remove("GONGKAI_DB")
        .env("GONGKAI_USER", "李办理")
        .args(args)
        .output()
        .expect("run gongkai")
}

#[allow(dead_code)]
fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn render_never_writes_over_its_input_nor_an_existing_file_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(
        root().join("fixtures/seeds/000_de18c90c9c2a264c.txt"),
        d.join("报告.txt"),
    )
    .unwrap();
    let original = std::fs::read(d.join("报告.txt")).unwrap();

    // The input as the output: refused even with --force, the file untouched.
    for force in [false, true] {
        let mut args = vec!["render", "报告.txt", "--to", "md", "-o", "报告.txt"];
        if force {
            args.push("--force");
        }
        let o = run(d, &args);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("就是要读取的文件"), "{}", stderr(&o));
        assert_eq!(std::fs::read(d.join("报告.txt")).unwrap(), original);
    }
    // Through a hard link too.
    std::fs::hard_link(d.join("报告.txt"), d.join("链接.txt")).unwrap();
    let o = run(
        d,
        &[
            "render",
            "报告.txt",
            "--to",
            "md",
            "-o",
            "链接.txt",
            "--force",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(std::fs::read(d.join("报告.txt")).unwrap(), original);

    // A new file is written; written again only with --force.
    let o = run(
        d,
        &["render", "报告.txt", "--to", "html", "-o", "报告.html"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(d.join("报告.html"), "我的修改").unwrap();
    let o = run(
        d,
        &["render", "报告.txt", "--to", "html", "-o", "报告.html"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(d.join("报告.html")).unwrap(),
        "我的修改"
    );
    let o = run(
        d,
        &[
            "render",
            "报告.txt",
            "--to",
            "html",
            "-o",
            "报告.html",
            "--force",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(d.join("报告.html"))
        .unwrap()
        .contains("<table"));

    // export: the sheet is not written over a report it reads.
    std::fs::copy(d.join("报告.txt"), d.join("汇总.csv")).unwrap();
    let o = run(
        d,
        &[
            "export",
            "报告.txt",
            "汇总.csv",
            "--to",
            "csv",
            "-o",
            "汇总.csv",
            "--force",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(std::fs::read(d.join("汇总.csv")).unwrap(), original);
    // No temporary files are left behind.
    let left: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
        .collect();
    assert!(left.is_empty());
}

/// The README's render and export lines, run in their order on the files
/// they name, never write over a file an earlier line read or wrote.
#[test]
fn the_readme_examples_are_safe_to_run_in_order() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut seen: Vec<String> = Vec::new();
    let mut outputs = 0;
    for line in readme.lines() {
        let line = line.split('#').next().unwrap_or("");
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.first() != Some(&"gongkai") || words.len() < 3 {
            continue;
        }
        if matches!(words[1], "render" | "parse" | "check" | "export") {
            let input = words[2].to_string();
            if let Some(i) = words.iter().position(|w| *w == "-o") {
                let out = words[i + 1].to_string();
                assert!(
                    !seen.contains(&out) && out != input,
                    "README: “{line}” writes over {out}"
                );
                outputs += 1;
                seen.push(input);
                seen.push(out);
            } else {
                seen.push(input);
            }
        }
    }
    assert!(outputs >= 5, "{outputs}");
}

fn list(dir: &Path) -> String {
    let o = run(dir, &["ledger", "list"]);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

fn bench_dirs(tmp: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(tmp)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("gongkai-bench-")
        })
        .map(|e| e.path())
        .collect()
}

#[test]
fn a_sample_is_not_written_into_a_ledger_that_holds_data() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let sample = [
        "ledger",
        "sample",
        "--agencies",
        "1",
        "--per-year",
        "20",
        "--as-of",
        "2026-01-20",
    ];
    let o = run(d, &sample);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = list(d);
    let o = run(d, &sample);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("已有数据"), "{}", stderr(&o));
    assert_eq!(list(d), before);
    // Told so, it adds.
    let mut forced = sample.to_vec();
    forced.push("--force");
    let o = run(d, &forced);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_ne!(list(d), before);
}

#[test]
fn bench_uses_a_temporary_database_and_removes_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let tmp = d.join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    // A real ledger with one open case.
    let o = run(
        d,
        &[
            "ledger",
            "add",
            "--agency",
            "示例县人民政府办公室",
            "--kind",
            "自然人",
            "--name",
            "张某",
            "--channel",
            "网络",
            "--received",
            "2023-03-01",
            "--request",
            "某文件",
            "--as-of",
            "2023-03-01",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let before = list(d);
    let o = run(
        d,
        &[
            "ledger",
            "bench",
            "--applications",
            "600",
            "--agencies",
            "2",
            "--write-seconds",
            "1",
            "--temp-dir",
            tmp.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("持续写入"), "{}", stdout(&o));
    assert_eq!(list(d), before, "the bench changed the ledger");
    assert!(bench_dirs(&tmp).is_empty(), "{:?}", bench_dirs(&tmp));
}

#[test]
fn serve_bench_checks_its_applications_and_removes_its_database() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let tmp = d.join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let o = run(
        d,
        &[
            "serve-bench",
            "--applications",
            "600",
            "--agencies",
            "3",
            "--seconds",
            "1",
            "--max-requests",
            "200",
            "--connections",
            "2",
            "--clerks",
            "2",
            "--items",
            "300",
            "--temp-dir",
            tmp.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    for phase in [
        "控制台首页",
        "案件列表",
        "公众页面",
        "网上申请",
        "政府信息页面",
        "专栏栏目和目录页面",
    ] {
        assert!(out.contains(phase), "{out}");
    }
    assert!(out.contains("全部在数据库中"), "{out}");
    assert!(!out.contains("第一个错误"), "{out}");
    assert!(bench_dirs(&tmp).is_empty(), "{:?}", bench_dirs(&tmp));
    assert!(!d.join("gongkai.db").exists());
}

#[test]
fn review_bench_times_the_review_pages_and_removes_its_database() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let tmp = d.join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let o = run(
        d,
        &[
            "review-bench",
            "--agencies",
            "120",
            "--years",
            "2",
            "--requests",
            "10",
            "--temp-dir",
            tmp.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    for line in [
        "名单：120 个单位",
        "收集的报告：",
        "首次打开审查表",
        "审查表（筛选、排序、翻页）：10 次",
        "单位报告详情",
        "全地区汇总和排名（120 个单位）",
    ] {
        assert!(out.contains(line), "{line}: {out}");
    }
    assert!(bench_dirs(&tmp).is_empty(), "{:?}", bench_dirs(&tmp));
}

#[cfg(unix)]
#[test]
fn an_interrupted_bench_leaves_no_database_behind() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .current_dir(tmp)
        .args([
            "ledger",
            "bench",
            "--applications",
            "2000000",
            "--agencies",
            "100",
            "--temp-dir",
            tmp.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait for the database to grow, then interrupt.
    let start = std::time::Instant::now();
    loop {
        let grown = bench_dirs(tmp).iter().any(|d| {
            std::fs::metadata(d.join("bench.db-wal"))
                .or_else(|_| std::fs::metadata(d.join("bench.db")))
                .map(|m| m.len() > 100_000)
                .unwrap_or(false)
        });
        if grown {
            break;
        }
        assert!(start.elapsed().as_secs() < 60, "the bench wrote nothing");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let code = child.wait().unwrap();
    assert_eq!(code.code(), Some(130));
    assert!(bench_dirs(tmp).is_empty(), "{:?}", bench_dirs(tmp));
    assert!(!tmp.join("gongkai.db").exists());

    // One killed outright is cleaned up by the next bench.
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .current_dir(tmp)
        .args([
            "ledger",
            "bench",
            "--applications",
            "2000000",
            "--agencies",
            "100",
            "--temp-dir",
            tmp.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    while bench_dirs(tmp).is_empty() {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(bench_dirs(tmp).len(), 1);
    let o = run(
        tmp,
        &[
            "ledger",
            "bench",
            "--applications",
            "10",
            "--agencies",
            "1",
            "--write-seconds",
            "0",
            "--temp-dir",
            tmp.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(bench_dirs(tmp).is_empty(), "{:?}", bench_dirs(tmp));
}

#[test]
fn importing_a_ledger_again_changes_nothing_and_a_header_alone_creates_no_agency() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = root().join("fixtures/ledger/taizhang_2025_good.xlsx");
    let import = |file: &str| {
        run(
            d,
            &[
                "ledger",
                "import",
                file,
                "--agency",
                "某某镇人民政府",
                "--as-of",
                "2026-01-10",
            ],
        )
    };
    let o = import(good.to_str().unwrap());
    assert!(o.status.success(), "{}", stderr(&o));
    let before = list(d);
    let o = import(good.to_str().unwrap());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("未重复导入"), "{}", stdout(&o));
    assert!(stdout(&o).contains("台账未作改动"), "{}", stdout(&o));
    assert_eq!(list(d), before);

    // A file with its header row only.
    let csv = std::fs::read(root().join("fixtures/ledger/taizhang_2024.csv")).unwrap();
    // The title line and the header row.
    let header_end = csv
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'\n')
        .nth(1)
        .unwrap()
        .0
        + 1;
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("表头.csv"), &csv[..header_end]).unwrap();
    let o = run(
        other.path(),
        &["ledger", "import", "表头.csv", "--agency", "空机关"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("只有表头"), "{}", stderr(&o));
    let o = run(other.path(), &["ledger", "audit"]);
    assert!(!stdout(&o).contains("空机关"), "{}", stdout(&o));
}

/// Several commands opening a ledger that does not exist yet, at once: each
/// succeeds (the migrations are applied once, the others wait for them).
#[test]
fn concurrent_first_opens_of_a_new_ledger_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    for round in 0..12 {
        let db = dir.path().join(format!("新台账{round}.db"));
        let children: Vec<_> = (0..6)
            .map(|i| {
                let args: Vec<String> = if i % 2 == 0 {
                    vec!["ledger".into(), "list".into()]
                } else {
                    [
                        "ledger",
                        "add",
                        "--agency",
                        "某局",
                        "--kind",
                        "自然人",
                        "--name",
                        "张某",
                        "--channel",
                        "网络",
                        "--received",
                        "2025-09-26",
                        "--request",
                        "某文件",
                        "--as-of",
                        "2025-09-26",
                    ]
                    .iter()
                    .map(|s| s.to_string())
                    .collect()
                };
                Command::new(env!("CARGO_BIN_EXE_gongkai"))
                    .env("GONGKAI_DB", &db)
                    .args(&args)
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for c in children {
            let o = c.wait_with_output().unwrap();
            assert!(o.status.success(), "round {round}: {}", stderr(&o));
        }
        let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .env("GONGKAI_DB", &db)
            .args(["ledger", "list"])
            .output()
            .unwrap();
        assert!(stdout(&o).contains("共3件"), "{}", stdout(&o));
    }
}

/// An import killed in the middle leaves nothing behind: no applications and
/// no agency (it is created in the import's own transaction).
#[cfg(unix)]
#[test]
fn a_killed_import_leaves_no_agency_and_no_rows() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut csv = String::from(
        "序号,收文日期,申请人姓名/名称,申请人类别,申请渠道,申请内容,办结日期,处理结果\n",
    );
    for i in 1..=40_000 {
        csv.push_str(&format!("{i},2025-03-04,张某{i},自然人,网络,某文件{i},,\n"));
    }
    std::fs::write(d.join("台账.csv"), csv).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .current_dir(d)
        .env_remove("GONGKAI_DB")
        .args([
            "ledger",
            "import",
            "台账.csv",
            "--agency",
            "被中断的局",
            "--as-of",
            "2026-01-10",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once the transaction has written a good part of its rows.
    let start = std::time::Instant::now();
    loop {
        let wal = std::fs::metadata(d.join("gongkai.db-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
        if wal > 1 << 20 {
            break;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the import ended before it could be killed: {status}");
        }
        assert!(start.elapsed().as_secs() < 120, "the import wrote nothing");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let o = run(d, &["ledger", "list"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("没有符合条件的申请"), "{}", stdout(&o));
    let o = run(d, &["ledger", "audit"]);
    assert!(!stdout(&o).contains("被中断的局"), "{}", stdout(&o));
}
