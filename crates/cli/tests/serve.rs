//! `gongkai serve` as a process: killed (SIGKILL) while applications are
//! being submitted, it loses none that it acknowledged.

use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn gongkai() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .into()
}

#[test]
fn a_killed_server_loses_no_acknowledged_application() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("kill.db");
    let db = db.to_str().expect("utf-8 path");
    // An agency to apply to.
    let added = gongkai()
        .args([
            "ledger",
            "--db",
            db,
            "--as-of",
            "2026-03-02",
            "add",
            "--agency",
            "甲县住房和城乡建设局",
        ])
        .args([
            "--kind",
            "自然人",
            "--name",
            "张三",
            "--channel",
            "当面",
            "--received",
            "2026-03-02",
            "--request",
            "某文件",
        ])
        .output()
        .expect("ledger add");
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let mut server = gongkai()
        .args([
            "serve",
            "--db",
            db,
            "--listen",
            &listen,
            "--today",
            "2026-03-02",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let base = format!("http://{listen}");
    let started = Instant::now();
    while agent().get(format!("{base}/")).call().is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let acknowledged = acknowledged.clone();
            let stop = stop.clone();
            let base = base.clone();
            std::thread::spawn(move || {
                let agent = agent();
                let mut i = 0;
                while !stop.load(Ordering::SeqCst) {
                    i += 1;
                    let key = format!("{w:032x}{i:032x}");
                    let name = format!("申请人{w}-{i}");
                    let form = [
                        ("kind", "natural_person"),
                        ("name", name.as_str()),
                        ("id_document", "居民身份证"),
                        ("phone", "12345678"),
                        ("request", "某项目批复"),
                        ("form", "纸质"),
                        ("delivery", "自行领取"),
                        ("form_key", key.as_str()),
                    ];
                    let Ok(mut r) = agent.post(format!("{base}/a/1/apply")).send_form(form) else {
                        continue;
                    };
                    if r.status().as_u16() != 200 {
                        continue;
                    }
                    let Ok(body) = r.body_mut().read_to_string() else {
                        continue;
                    };
                    if let Some(i) = body.find("id=\"number\">") {
                        let rest = &body[i + 12..];
                        let number = rest[..rest.find('<').unwrap_or(0)].to_string();
                        acknowledged.lock().expect("lock").push(number);
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    server.kill().expect("SIGKILL");
    let _ = server.wait();
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        w.join().expect("writer");
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert!(
        acknowledged.len() >= 5,
        "only {} submissions went through",
        acknowledged.len()
    );
    eprintln!(
        "{} applications acknowledged before the kill",
        acknowledged.len()
    );
    // Every acknowledged number is in the ledger, after the kill.
    let listed = gongkai()
        .args([
            "ledger",
            "--db",
            db,
            "--as-of",
            "2026-03-02",
            "list",
            "--agency",
            "甲县住房和城乡建设局",
            "--json",
        ])
        .output()
        .expect("ledger list");
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let listed = String::from_utf8_lossy(&listed.stdout);
    for n in &acknowledged {
        assert!(
            listed.contains(&format!("\"{n}\"")),
            "acknowledged {n} is lost"
        );
    }
}
