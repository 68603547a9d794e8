//! Input that is not what it claims to be: a text file as the ledger, a
//! closed port, a pipe or a device given as a file, a huge file, looping
//! links. Each fails at once, in Chinese, naming what it is.

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs gongkai in `dir`; fails the test if it has not finished in 10 s.
fn run(dir: &Path, args: &[&str]) -> (Output, Duration) {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .current_dir(dir)
        .env_remove("GONGKAI_DB")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    loop {
        if child.try_wait().unwrap().is_some() {
            return (child.wait_with_output().unwrap(), start.elapsed());
        }
        if start.elapsed() > Duration::from_secs(10) {
            child.kill().unwrap();
            panic!("gongkai {args:?} hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// No word of English in what the user reads (paths aside).
fn chinese(text: &str) {
    for word in [
        "error", "Error", "database", "unable", "file", "found", "loop", "such",
    ] {
        assert!(!text.contains(word), "English in: {text}");
    }
}

#[test]
fn a_wrong_ledger_fails_at_once_saying_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("笔记.txt"), "这不是数据库\n").unwrap();
    let (o, took) = run(d, &["ledger", "list", "--db", "笔记.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert!(
        stderr(&o).contains("笔记.txt") && stderr(&o).contains("不是台账数据库"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(d.join("笔记.txt")).unwrap(),
        "这不是数据库\n"
    );

    let (o, took) = run(
        d,
        &[
            "ledger",
            "list",
            "--db",
            "postgres://用户:口令@127.0.0.1:1/台账",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(took < Duration::from_secs(5), "{took:?}");
    let err = stderr(&o);
    assert!(
        err.contains("127.0.0.1:1") && err.contains("连接被拒绝"),
        "{err}"
    );
    assert!(!err.contains("口令"), "the password is shown: {err}");
    chinese(&err);

    let (o, _) = run(d, &["ledger", "list", "--db", "没有的目录/台账.db"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("所在目录"), "{}", stderr(&o));
    chinese(&stderr(&o));
    let (o, _) = run(d, &["ledger", "list", "--db", "."]);
    assert!(stderr(&o).contains("这是一个目录"), "{}", stderr(&o));
}

#[test]
fn a_pipe_or_a_device_given_as_a_file_is_refused_not_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(Command::new("mkfifo")
        .arg(d.join("管道.txt"))
        .status()
        .unwrap()
        .success());
    for args in [
        vec!["check", "管道.txt"],
        vec!["parse", "管道.txt"],
        vec!["ledger", "import", "管道.txt", "--agency", "某局"],
        vec!["ledger", "calendar", "--load", "管道.txt"],
        vec!["check", "/dev/zero"],
        vec!["ledger", "import", "/dev/zero", "--agency", "某局"],
    ] {
        let (o, _) = run(d, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&o).contains("不是普通文件"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    // A directory holding a pipe: the pipe is skipped.
    let (o, _) = run(d, &["check", "."]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("检查了 0 份报告"));
}

#[test]
fn a_huge_file_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let f = std::fs::File::create(d.join("巨大.pdf")).unwrap();
    f.set_len(3 << 30).unwrap(); // sparse: 3 GB that take no disk
    let (o, took) = run(d, &["check", "巨大.pdf"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("文件过大"), "{}", stderr(&o));
    assert!(took < Duration::from_secs(5));
}

#[test]
fn looping_links_and_odd_encodings_are_named_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::os::unix::fs::symlink("环2", d.join("环1")).unwrap();
    std::os::unix::fs::symlink("环1", d.join("环2")).unwrap();
    let (o, _) = run(d, &["check", "环1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("符号链接循环"), "{}", stderr(&o));
    chinese(&stderr(&o));
    std::os::unix::fs::symlink("不存在.txt", d.join("断链.txt")).unwrap();
    let (o, _) = run(d, &["check", "断链.txt"]);
    assert!(
        stderr(&o).contains("符号链接指向的文件不存在"),
        "{}",
        stderr(&o)
    );

    // A directory with a link to its parent: walked once, the loop named.
    std::fs::create_dir(d.join("报告")).unwrap();
    std::os::unix::fs::symlink("..", d.join("报告/上级")).unwrap();
    let (o, _) = run(d, &["check", "报告"]);
    assert!(stderr(&o).contains("符号链接循环"), "{}", stderr(&o));
    chinese(&stderr(&o));

    // A calendar saved in GBK.
    let (gbk, _, _) = encoding_rs::GBK.encode("# 节假日\n[[year]]\nyear = 2027\n");
    std::fs::write(d.join("2027.toml"), &gbk).unwrap();
    let (o, _) = run(d, &["ledger", "calendar", "--load", "2027.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("不是 UTF-8"), "{}", stderr(&o));
    assert!(stderr(&o).contains("GBK"), "{}", stderr(&o));
}

#[test]
fn utf16_text_without_a_bom_is_read_not_called_binary() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let seed = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/seeds/000_de18c90c9c2a264c.txt");
    let text = std::fs::read_to_string(&seed).unwrap();
    let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    std::fs::write(d.join("报告.txt"), le).unwrap();
    let (o, _) = run(d, &["parse", "报告.txt"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (want, _) = run(d, &["parse", seed.to_str().unwrap()]);
    let cells = |o: &Output| {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["cells"].clone()
    };
    assert_eq!(cells(&o), cells(&want));
}

#[test]
fn command_line_mistakes_are_explained_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (args, want) in [
        (vec!["render", "a.txt", "--foo"], "无法识别的参数“--foo”"),
        (vec!["chek"], "没有“chek”这个命令（是不是要写 check？）"),
        (vec!["check", "--format", "xml", "a"], "可选：human、json"),
        (vec!["ledger", "list", "--year", "abc"], "应为整数"),
        (vec!["ledger", "add", "--agency", "某局"], "缺少必需的参数"),
        (
            vec![
                "ledger",
                "event",
                "--agency",
                "某局",
                "2025-0001",
                "答复",
                "--on",
                "2025-13-01",
            ],
            "日期“2025-13-01”不存在",
        ),
    ] {
        let (o, _) = run(d, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(
            err.contains("用法：") && err.contains("--help 查看帮助"),
            "{err}"
        );
        for word in ["error", "Usage", "tip", "For more", "unexpected", "invalid"] {
            assert!(!err.contains(word), "{args:?}: {err}");
        }
    }
    let (o, _) = run(d, &["ledger", "event", "--help"]);
    assert!(o.status.success());
    let help = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        help.contains("用法：gongkai ledger event [选项] --agency <机关>"),
        "{help}"
    );
    assert!(
        help.contains("显示帮助") && !help.contains("Print help"),
        "{help}"
    );
}

#[test]
fn check_json_names_the_files_it_could_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("坏.pdf"), "不是 PDF").unwrap();
    let (o, _) = run(d, &["check", "--format", "json", "坏.pdf", "没有.txt"]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let files = v["summary"]["unreadable_files"].as_array().unwrap();
    assert_eq!(v["summary"]["unreadable"], 2);
    let sources: Vec<&str> = files
        .iter()
        .map(|f| f["source"].as_str().unwrap())
        .collect();
    assert!(
        sources.contains(&"坏.pdf") && sources.contains(&"没有.txt"),
        "{sources:?}"
    );
    assert!(files
        .iter()
        .all(|f| !f["message"].as_str().unwrap().is_empty()));
}

#[test]
fn a_pipe_named_like_a_font_is_skipped_not_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("字体")).unwrap();
    assert!(Command::new("mkfifo")
        .arg(d.join("字体/simfang.ttf"))
        .status()
        .unwrap()
        .success());
    let seed = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/seeds/000_de18c90c9c2a264c.txt");
    let (o, _) = run(
        d,
        &[
            "render",
            seed.to_str().unwrap(),
            "--to",
            "pdf",
            "-o",
            "报告.pdf",
            "--font-dir",
            "字体",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("不是普通文件"), "{}", stderr(&o));
}
