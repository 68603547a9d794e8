//! `gongkai review-bench`: the supervisor's review pages under a large
//! region. A temporary database with a supervising office over N agencies
//! (a roster imported), Y years of their reports collected as files (with
//! some planted faults, lateness and missing years), the real server in this
//! process on a loopback port; then timed: the season computed (the first
//! visit), the review table over and over with its filters, sorts and pages,
//! agencies' reports drilled down, and the region's sum.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use chrono::{Datelike, Days, NaiveDate};
use clap::Args;
use gongkai_report::sample::consistent_series;
use gongkai_report::{Num, Origin};
use gongkai_store::{NewReviewFile, Role, RosterRow, Store, StoreError};

use crate::servebench::{fail, Conn};

#[derive(Args)]
pub struct ReviewBenchArgs {
    /// 所属单位个数
    #[arg(long, default_value_t = 10_000)]
    agencies: usize,
    /// 每个单位的年度报告份数（连续年度，到去年为止）
    #[arg(long, default_value_t = 5)]
    years: usize,
    /// 审查表的请求次数
    #[arg(long, default_value_t = 300)]
    requests: usize,
    /// 在此 PostgreSQL 服务器上新建临时数据库测试；默认用临时 SQLite 文件
    #[arg(long)]
    db: Option<String>,
    /// 临时 SQLite 数据库所在的目录（默认为系统临时目录）
    #[arg(long)]
    temp_dir: Option<std::path::PathBuf>,
}

const ACTOR: &str = "性能测试";
const PASSWORD: &str = "bench-password";
const SUPERVISOR: &str = "示例市人民政府办公室";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default()
}

pub fn run(args: ReviewBenchArgs) -> ExitCode {
    let postgres = args.db.clone();
    let temp_dir = args.temp_dir.clone();
    crate::benchdb::run_on_runtime(temp_dir.as_deref(), postgres.as_deref(), |store, spec| {
        Box::pin(bench(store, spec, args))
    })
}

fn percentile(times: &mut [f64], p: f64) -> f64 {
    if times.is_empty() {
        return 0.0;
    }
    times.sort_by(f64::total_cmp);
    let i = ((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1;
    times[i]
}

async fn bench(store: &Store, spec: &str, args: ReviewBenchArgs) -> Result<ExitCode, StoreError> {
    let last = today().year() - 1;
    let first = last - args.years.max(1) as i32 + 1;
    let t = Instant::now();
    store.ensure_agency(ACTOR, SUPERVISOR).await?;
    let names: Vec<String> = (0..args.agencies)
        .map(|i| {
            let county = i / 100;
            if i % 100 == 0 {
                format!("示例市第{county}县人民政府")
            } else {
                format!("示例市第{county}县第{}局", i % 100)
            }
        })
        .collect();
    let rows: Vec<RosterRow> = names
        .iter()
        .enumerate()
        .map(|(i, n)| RosterRow {
            name: n.clone(),
            parent: (i % 100 != 0).then(|| names[i - i % 100].clone()),
            kind: if i % 100 == 0 {
                "government"
            } else {
                "department"
            }
            .into(),
            region: format!("示例市第{}县", i / 100),
            level: "县级".into(),
            former_names: Vec::new(),
        })
        .collect();
    store.import_roster(ACTOR, SUPERVISOR, &rows).await?;
    let hash = gongkai_web::hash_password(PASSWORD);
    store
        .create_user(
            ACTOR,
            "supervisor",
            "上级机关",
            &hash,
            Role::Supervisor,
            Some(SUPERVISOR),
        )
        .await?;
    println!(
        "名单：{} 个单位，{:.1} 秒",
        names.len(),
        t.elapsed().as_secs_f64()
    );

    // The reports, collected as gongkai JSON files, a thousand at a time.
    let t = Instant::now();
    let mut batch = Vec::new();
    let mut count = 0usize;
    for (i, name) in names.iter().enumerate() {
        let government = i % 100 == 0;
        for (k, mut r) in consistent_series(i as u64 + 1, name, first, args.years.max(1))
            .into_iter()
            .enumerate()
        {
            let year = first + k as i32;
            if i % 97 == 5 && year == last {
                continue; // missing
            }
            if i % 53 == 7 {
                let v = r
                    .value("t3.granted.natural_person")
                    .and_then(Num::as_int)
                    .unwrap_or(0);
                r.set(
                    "t3.granted.natural_person",
                    Num::Int(v + 1),
                    Origin::Derived("性能测试".into()),
                );
            }
            r.diagnostics = gongkai_report::check(&r);
            let json = gongkai_write::write(gongkai_write::Format::Json, &r);
            let due = NaiveDate::from_ymd_opt(year + 1, if government { 3 } else { 1 }, 31)
                .unwrap_or_default();
            let published = if i % 89 == 3 {
                due + Days::new(12)
            } else {
                due - Days::new(3)
            };
            batch.push(NewReviewFile {
                file_name: format!("{name}{year}年政府信息公开工作年度报告.json"),
                part: 0,
                sha256: format!("{i:016x}{year:08x}"),
                content: json.clone().into_bytes(),
                named: name.clone(),
                agency: Some(name.clone()),
                year: Some(year),
                published_on: Some(published),
                status: "matched".into(),
                problem: String::new(),
                report: Some(json),
            });
            if batch.len() == 1000 {
                count += batch.len();
                store
                    .add_review_files(ACTOR, SUPERVISOR, std::mem::take(&mut batch))
                    .await?;
            }
        }
    }
    count += batch.len();
    store.add_review_files(ACTOR, SUPERVISOR, batch).await?;
    println!(
        "收集的报告：{count} 份（{first}–{last} 年度），{:.1} 秒",
        t.elapsed().as_secs_f64()
    );

    let server_store = Store::open(spec).await?;
    let state = gongkai_web::AppState::new(
        server_store,
        gongkai_web::Config {
            today: Some(today()),
            secure_cookies: false,
            index_dir: None,
            search_index: false,
        },
    );
    let listener = match tokio::net::TcpListener::bind("127.0.0.1:0").await {
        Ok(l) => l,
        Err(e) => return Ok(fail(format!("无法在本机回环地址上监听：{e}"))),
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => return Ok(fail(format!("无法读取监听地址：{e}"))),
    };
    let server = tokio::spawn(gongkai_web::serve_on(state, listener));
    let result = drive(addr, &args, last).await;
    server.abort();
    let _ = server.await;
    result
}

async fn drive(
    addr: std::net::SocketAddr,
    args: &ReviewBenchArgs,
    year: i32,
) -> Result<ExitCode, StoreError> {
    let mut c = Conn::new(addr);
    let started = Instant::now();
    let session = loop {
        match c
            .send(
                "POST",
                "/login",
                None,
                Some(&format!("login=supervisor&password={PASSWORD}")),
            )
            .await
        {
            Ok(a) if a.status == 303 && a.cookie.is_some() => break a.cookie.unwrap_or_default(),
            Ok(a) => return Ok(fail(format!("上级机关登录失败：状态 {}", a.status))),
            Err(_) if started.elapsed() < Duration::from_secs(30) => {
                tokio::time::sleep(Duration::from_millis(50)).await
            }
            Err(e) => return Ok(fail(format!("服务器没有响应：{e}"))),
        }
    };
    // The first visit computes the season.
    let (a, ms, _) = get(&mut c, &session, format!("/console/review?year={year}")).await;
    match a {
        Ok(a) if a.status == 200 => {}
        Ok(a) => return Ok(fail(format!("审查表：状态 {}", a.status))),
        Err(e) => return Ok(fail(format!("审查表：{e}"))),
    }
    println!("首次打开审查表（计算本年度审查）：{ms:.0} ms");
    let queries = [
        String::new(),
        "&sort=errors".into(),
        "&sort=late".into(),
        "&status=late".into(),
        "&status=missing".into(),
        "&rule=GK010".into(),
        "&q=第7县".into(),
        "&page=20".into(),
        "&sort=name&page=50".into(),
    ];
    let mut times = Vec::new();
    for i in 0..args.requests {
        let q = &queries[i % queries.len()];
        let (a, ms, path) = get(&mut c, &session, format!("/console/review?year={year}{q}")).await;
        match a {
            Ok(a) if a.status == 200 && !a.body.is_empty() => times.push(ms),
            Ok(a) => return Ok(fail(format!("{path}：状态 {}", a.status))),
            Err(e) => return Ok(fail(format!("{path}：{e}"))),
        }
    }
    let n = times.len();
    println!(
        "审查表（筛选、排序、翻页）：{n} 次，p50 {:.1} ms，p95 {:.1} ms，最慢 {:.1} ms",
        percentile(&mut times, 0.5),
        percentile(&mut times, 0.95),
        percentile(&mut times, 1.0)
    );
    let mut times = Vec::new();
    for i in 0..50usize {
        // Agency ids: the supervisor is 1, its agencies follow.
        let id = 2 + (i * 197) % args.agencies.max(1);
        let (a, ms, path) = get(&mut c, &session, format!("/console/review/a/{id}/{year}")).await;
        match a {
            Ok(a) if a.status == 200 => times.push(ms),
            Ok(a) => return Ok(fail(format!("{path}：状态 {}", a.status))),
            Err(e) => return Ok(fail(format!("{path}：{e}"))),
        }
    }
    println!(
        "单位报告详情（标出问题单元格）：{} 次，p50 {:.1} ms，p95 {:.1} ms",
        times.len(),
        percentile(&mut times, 0.5),
        percentile(&mut times, 0.95)
    );
    let (a, ms, _) = get(
        &mut c,
        &session,
        format!("/console/review/aggregate?year={year}"),
    )
    .await;
    match a {
        Ok(a) if a.status == 200 => {
            println!("全地区汇总和排名（{} 个单位）：{ms:.0} ms", args.agencies)
        }
        Ok(a) => return Ok(fail(format!("汇总：状态 {}", a.status))),
        Err(e) => return Ok(fail(format!("汇总：{e}"))),
    }
    Ok(ExitCode::SUCCESS)
}

/// A GET as the signed-in supervisor: the answer and how long it took (ms).
async fn get(
    c: &mut Conn,
    session: &str,
    path: String,
) -> (std::io::Result<crate::servebench::Answer>, f64, String) {
    let t = Instant::now();
    let a = c.send("GET", &path, Some(session), None).await;
    (a, t.elapsed().as_secs_f64() * 1000.0, path)
}
