//! `gongkai serve-bench`: the web system under load. A temporary database of
//! generated applications, the real server in this process on a loopback
//! port, and a bounded number of client connections (plain HTTP/1.1 with
//! keep-alive) driving it for a bounded time per phase: the dashboard and
//! the case list as signed-in clerks, the public pages, and durable online
//! applications — each acknowledged one then looked up in the database.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use clap::Args;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use gongkai_store::{Store, StoreError};

#[derive(Args)]
pub struct ServeBenchArgs {
    /// 申请总件数
    #[arg(long, default_value_t = 1_000_000)]
    applications: usize,
    /// 机关个数，每个机关一名经办人
    #[arg(long, default_value_t = 1000)]
    agencies: usize,
    /// 每个阶段的秒数
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// 每个阶段最多的请求次数
    #[arg(long, default_value_t = 200_000)]
    max_requests: u64,
    /// 同时打开的客户端连接数
    #[arg(long, default_value_t = 16)]
    connections: usize,
    /// 登录的经办人人数，从各机关中随机抽取
    #[arg(long, default_value_t = 100)]
    clerks: usize,
    /// 在此 PostgreSQL 服务器上新建临时数据库测试（如 postgres://postgres@127.0.0.1:5432/postgres，须有建库权限）；默认用临时 SQLite 文件
    #[arg(long)]
    db: Option<String>,
    /// 临时 SQLite 数据库所在的目录（默认为系统临时目录）
    #[arg(long)]
    temp_dir: Option<PathBuf>,
    /// 已发布的政府信息条数（平均分到各机关），用于测试信息页面和专栏栏目页面
    #[arg(long, default_value_t = 1_000_000)]
    items: usize,
    /// 同时测试全文检索：计时建立索引，再计时检索（100 万条信息建立索引约需 10 分钟）
    #[arg(long)]
    search: bool,
}

/// The day the server takes for today: after the generated years.
fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 20).unwrap_or_default()
}

const ACTOR: &str = "性能测试";
const PASSWORD: &str = "bench-password";

pub fn run(args: ServeBenchArgs) -> ExitCode {
    let postgres = args.db.clone();
    let temp_dir = args.temp_dir.clone();
    crate::benchdb::run_on_runtime(temp_dir.as_deref(), postgres.as_deref(), |store, spec| {
        Box::pin(bench(store, spec, args))
    })
}

/// The benchmark on an empty store; the store stays the caller's to close.
async fn bench(store: &Store, spec: &str, args: ServeBenchArgs) -> Result<ExitCode, StoreError> {
    let names =
        crate::benchdb::fill(store, ACTOR, args.applications, args.agencies, as_of()).await?;
    let t = Instant::now();
    let hash = gongkai_web::hash_password(PASSWORD);
    for (i, name) in names.iter().enumerate() {
        store
            .create_user(
                ACTOR,
                &format!("clerk{}", i + 1),
                &format!("经办人{}", i + 1),
                &hash,
                gongkai_store::Role::Clerk,
                Some(name),
            )
            .await?;
    }
    let agencies = store.agency_list().await?;
    println!(
        "经办人账号：{} 个，{:.1} 秒",
        names.len(),
        t.elapsed().as_secs_f64()
    );

    let items = fill_items(store, &agencies, args.items).await?;

    // The server, in this process, on a loopback port of its own. It shares
    // the store by a second handle on the same database.
    let server_store = Store::open(spec).await?;
    let started = Instant::now();
    let state = gongkai_web::AppState::new(
        server_store,
        gongkai_web::Config {
            today: Some(as_of()),
            secure_cookies: false,
            index_dir: None,
            search_index: args.search,
        },
    );
    let search = args.search.then(|| state.search.clone());
    let listener = match tokio::net::TcpListener::bind("127.0.0.1:0").await {
        Ok(l) => l,
        Err(e) => return Ok(fail(format!("无法在本机回环地址上监听：{e}"))),
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => return Ok(fail(format!("无法读取监听地址：{e}"))),
    };
    let server = tokio::spawn(gongkai_web::serve_on(state, listener));
    let result = drive(store, &args, addr, &agencies, &items, search, started).await;
    server.abort();
    let _ = server.await;
    result
}

/// One connection to the server, kept alive between requests.
pub(crate) struct Conn {
    addr: SocketAddr,
    stream: Option<BufReader<TcpStream>>,
}

/// What the benchmark reads of an answer.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) cookie: Option<String>,
    pub(crate) body: Vec<u8>,
}

impl Conn {
    pub(crate) fn new(addr: SocketAddr) -> Conn {
        Conn { addr, stream: None }
    }

    pub(crate) async fn send(
        &mut self,
        method: &str,
        path: &str,
        cookie: Option<&str>,
        form: Option<&str>,
    ) -> std::io::Result<Answer> {
        if self.stream.is_none() {
            let s = TcpStream::connect(self.addr).await?;
            s.set_nodelay(true)?;
            self.stream = Some(BufReader::new(s));
        }
        let r = self.exchange(method, path, cookie, form).await;
        if r.is_err() {
            self.stream = None;
        }
        r
    }

    async fn exchange(
        &mut self,
        method: &str,
        path: &str,
        cookie: Option<&str>,
        form: Option<&str>,
    ) -> std::io::Result<Answer> {
        use std::io::{Error, ErrorKind};
        let bad = |what: &str| Error::new(ErrorKind::InvalidData, what.to_string());
        let Some(s) = self.stream.as_mut() else {
            return Err(bad("no connection"));
        };
        let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n", self.addr);
        if let Some(c) = cookie {
            req.push_str(&format!("Cookie: gk_session={c}\r\n"));
        }
        if let Some(f) = form {
            req.push_str(&format!(
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{f}",
                f.len()
            ));
        } else {
            req.push_str("\r\n");
        }
        s.get_mut().write_all(req.as_bytes()).await?;
        let mut line = String::new();
        s.read_line(&mut line).await?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| bad("status line"))?;
        let mut length = None;
        let mut chunked = false;
        let mut close = false;
        let mut set_cookie = None;
        loop {
            line.clear();
            if s.read_line(&mut line).await? == 0 {
                return Err(bad("headers cut short"));
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let Some((k, v)) = l.split_once(':') else {
                continue;
            };
            let v = v.trim();
            match k.to_ascii_lowercase().as_str() {
                "content-length" => length = v.parse::<usize>().ok(),
                "transfer-encoding" => chunked = v.eq_ignore_ascii_case("chunked"),
                "connection" => close = v.eq_ignore_ascii_case("close"),
                "set-cookie" => {
                    set_cookie = v
                        .strip_prefix("gk_session=")
                        .and_then(|r| r.split(';').next())
                        .map(str::to_string)
                }
                _ => {}
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                s.read_line(&mut line).await?;
                let n = usize::from_str_radix(line.trim(), 16).map_err(|_| bad("chunk size"))?;
                let mut chunk = vec![0; n + 2];
                s.read_exact(&mut chunk).await?;
                if n == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..n]);
            }
        } else if let Some(n) = length {
            body.resize(n, 0);
            s.read_exact(&mut body).await?;
        } else {
            s.read_to_end(&mut body).await?;
            close = true;
        }
        if close {
            self.stream = None;
        }
        Ok(Answer {
            status,
            cookie: set_cookie,
            body,
        })
    }
}

/// A small, fast random number generator (xorshift), one per connection.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn hex(&mut self) -> String {
        (0..4).map(|_| format!("{:016x}", self.next())).collect()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Dashboard,
    Cases,
    Public,
    Apply,
    Items,
    Columns,
    Search,
}

impl Phase {
    fn label(self) -> &'static str {
        match self {
            Phase::Dashboard => "控制台首页（待办）",
            Phase::Cases => "案件列表（筛选、翻页）",
            Phase::Public => "公众页面",
            Phase::Apply => "网上申请（提交即落盘）",
            Phase::Items => "政府信息页面",
            Phase::Columns => "专栏栏目和目录页面",
            Phase::Search => "全文检索",
        }
    }
}

/// What the connections share during a phase.
struct Plan {
    phase: Phase,
    addr: SocketAddr,
    /// Sessions of signed-in clerks.
    sessions: Vec<String>,
    /// Agency ids and names.
    agencies: Vec<(i64, String)>,
    /// Pages of a clerk's case list (one agency's applications).
    pages: usize,
    /// Published items: agency id, first item id, how many.
    items: Vec<(i64, i64, i64)>,
    until: Instant,
    budget: AtomicU64,
}

/// What one connection measured.
#[derive(Default)]
struct Tally {
    times: Vec<Duration>,
    errors: u64,
    first_error: Option<String>,
    /// Acknowledged applications: agency, number and the marker in the request.
    accepted: Vec<(String, String, String)>,
}

/// A case list as a clerk asks for it: filters, orders, a page far down.
fn case_list_path(rng: &mut Rng, pages: usize) -> String {
    let far = (pages * 9 / 10).max(1);
    match rng.below(8) {
        0 => "/console/cases".to_string(),
        1 => "/console/cases?stage=not_closed".to_string(),
        2 => format!("/console/cases?page={far}"),
        3 => "/console/cases?stage=not_closed&sort=due".to_string(),
        4 => format!(
            "/console/cases?from=2024-01-01&to=2024-12-31&page={}",
            (far / 3).max(1)
        ),
        5 => format!("/console/cases?q={}", encode("公开")),
        6 => "/console/cases?channel=online&kind=natural_person&sort=received".to_string(),
        _ => format!(
            "/console/cases?stage=closed&sort=-closed&page={}",
            (far / 2).max(1)
        ),
    }
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One connection's share of a phase.
async fn connection(plan: Arc<Plan>, seed: u64) -> Tally {
    let mut rng = Rng(seed | 1);
    let mut conn = Conn::new(plan.addr);
    let mut tally = Tally::default();
    while Instant::now() < plan.until
        && plan
            .budget
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |b| b.checked_sub(1))
            .is_ok()
    {
        let session = &plan.sessions[rng.below(plan.sessions.len())];
        let (id, name) = &plan.agencies[rng.below(plan.agencies.len())];
        let mut marker = String::new();
        let (method, path, cookie, form) = match plan.phase {
            Phase::Dashboard => ("GET", "/console".to_string(), Some(session.as_str()), None),
            Phase::Cases => (
                "GET",
                case_list_path(&mut rng, plan.pages),
                Some(session.as_str()),
                None,
            ),
            Phase::Public => (
                "GET",
                match rng.below(3) {
                    0 => "/".to_string(),
                    1 => format!("/a/{id}"),
                    _ => format!("/a/{id}/apply"),
                },
                None,
                None,
            ),
            Phase::Apply => {
                let key = rng.hex();
                marker = format!("性能测试{}", &key[..16]);
                let form = format!(
                    "kind=natural_person&name={}&id_document={}&phone=010-12345678&request={}\
                     &form={}&delivery={}&form_key={key}",
                    encode("测试申请人"),
                    encode("居民身份证110101199001011234"),
                    encode(&format!(
                        "请公开本机关2025年的政府信息公开工作年度报告（{marker}）"
                    )),
                    encode("电子文档"),
                    encode("网上获取"),
                );
                ("POST", format!("/a/{id}/apply"), None, Some(form))
            }
            Phase::Items => {
                let (agency, first, n) = plan.items[rng.below(plan.items.len())];
                let item = first + rng.below(n.max(1) as usize) as i64;
                ("GET", format!("/a/{agency}/i/{item}"), None, None)
            }
            Phase::Columns => {
                let (agency, _, n) = plan.items[rng.below(plan.items.len())];
                let page = 1 + rng.below((n as usize / 20).clamp(1, 50));
                let column = BENCH_COLUMNS[rng.below(BENCH_COLUMNS.len())];
                (
                    "GET",
                    match rng.below(3) {
                        0 => format!("/a/{agency}"),
                        1 => format!("/a/{agency}/catalog?page={page}"),
                        _ => format!("/a/{agency}/c/{column}"),
                    },
                    None,
                    None,
                )
            }
            Phase::Search => {
                let words = SEARCH_WORDS[rng.below(SEARCH_WORDS.len())];
                let path = if rng.below(2) == 0 {
                    format!("/search?q={}", encode(words))
                } else {
                    let (agency, _, _) = plan.items[rng.below(plan.items.len())];
                    format!("/search?q={}&agency={agency}", encode(words))
                };
                ("GET", path, None, None)
            }
        };
        let t = Instant::now();
        let answer = conn.send(method, &path, cookie, form.as_deref()).await;
        let took = t.elapsed();
        match answer {
            Ok(a) if a.status == 200 => {
                tally.times.push(took);
                if plan.phase == Phase::Apply {
                    let body = String::from_utf8_lossy(&a.body);
                    match receipt_number(&body) {
                        Some(n) => tally.accepted.push((name.clone(), n, marker)),
                        None => {
                            tally.errors += 1;
                            tally
                                .first_error
                                .get_or_insert_with(|| "回执页上没有受理编号".to_string());
                        }
                    }
                }
            }
            Ok(a) => {
                tally.errors += 1;
                tally
                    .first_error
                    .get_or_insert_with(|| format!("{method} {path}：状态 {}", a.status));
            }
            Err(e) => {
                tally.errors += 1;
                tally
                    .first_error
                    .get_or_insert_with(|| format!("{method} {path}：{e}"));
            }
        }
    }
    tally
}

/// The number on the receipt page (`<dd class="big" id="number">…</dd>`).
fn receipt_number(body: &str) -> Option<String> {
    let at = body.find("id=\"number\">")? + "id=\"number\">".len();
    let rest = &body[at..];
    let end = rest.find('<')?;
    let n = rest[..end].trim();
    (!n.is_empty()).then(|| n.to_string())
}

/// A phase's figures.
struct Figures {
    phase: Phase,
    ok: usize,
    errors: u64,
    first_error: Option<String>,
    seconds: f64,
    p50: f64,
    p95: f64,
    p99: f64,
    accepted: Vec<(String, String, String)>,
}

impl Figures {
    fn rate(&self) -> f64 {
        self.ok as f64 / self.seconds.max(1e-9)
    }
}

async fn run_phase(
    phase: Phase,
    args: &ServeBenchArgs,
    addr: SocketAddr,
    sessions: &[String],
    agencies: &[(i64, String)],
    pages: usize,
    items: &[(i64, i64, i64)],
) -> Figures {
    eprintln!("{}：{} 秒……", phase.label(), args.seconds);
    let start = Instant::now();
    let plan = Arc::new(Plan {
        phase,
        addr,
        sessions: sessions.to_vec(),
        agencies: agencies.to_vec(),
        pages,
        items: items.to_vec(),
        until: start + Duration::from_secs(args.seconds),
        budget: AtomicU64::new(args.max_requests),
    });
    let seed = start.elapsed().as_nanos() as u64 ^ 0x9e37_79b9_7f4a_7c15;
    let tasks: Vec<_> = (0..args.connections.max(1))
        .map(|i| {
            tokio::spawn(connection(
                plan.clone(),
                seed.wrapping_add((i as u64 + 1).wrapping_mul(0x2545_f491_4f6c_dd1d)),
            ))
        })
        .collect();
    let mut all = Tally::default();
    for t in tasks {
        if let Ok(mut t) = t.await {
            all.times.append(&mut t.times);
            all.errors += t.errors;
            if all.first_error.is_none() {
                all.first_error = t.first_error;
            }
            all.accepted.append(&mut t.accepted);
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    all.times.sort();
    let pct = |p: f64| -> f64 {
        if all.times.is_empty() {
            return 0.0;
        }
        let i = ((all.times.len() as f64 * p).ceil() as usize).clamp(1, all.times.len()) - 1;
        all.times[i].as_secs_f64() * 1000.0
    };
    Figures {
        phase,
        ok: all.times.len(),
        errors: all.errors,
        first_error: all.first_error,
        seconds,
        p50: pct(0.50),
        p95: pct(0.95),
        p99: pct(0.99),
        accepted: all.accepted,
    }
}

/// Signs the clerks in, runs the phases, checks the applications, prints
/// the table.
#[allow(clippy::too_many_arguments)]
async fn drive(
    store: &Store,
    args: &ServeBenchArgs,
    addr: SocketAddr,
    agencies: &[gongkai_store::Agency],
    items: &[(i64, i64, i64)],
    search: Option<Arc<gongkai_web::search::Search>>,
    started: Instant,
) -> Result<ExitCode, StoreError> {
    // The server is up when it answers; the first sweep may hold it a moment.
    let mut probe = Conn::new(addr);
    let t = Instant::now();
    loop {
        match probe.send("GET", "/", None, None).await {
            Ok(a) if a.status == 200 => break,
            _ if t.elapsed() > Duration::from_secs(60) => {
                return Ok(fail("服务器没有响应".to_string()))
            }
            _ => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
    let count = args.clerks.clamp(1, agencies.len().max(1));
    let t = Instant::now();
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut picked: Vec<usize> = (0..agencies.len()).collect();
    for i in 0..count {
        let j = i + rng.below(picked.len() - i);
        picked.swap(i, j);
    }
    picked.truncate(count);
    // Signed in over HTTP, a few at a time (each login checks an Argon2 hash).
    let mut sessions = Vec::new();
    for group in picked.chunks(args.connections.clamp(1, 8)) {
        let tasks: Vec<_> = group
            .iter()
            .map(|&i| {
                let form = format!("login=clerk{}&password={PASSWORD}", i + 1);
                tokio::spawn(async move {
                    let mut c = Conn::new(addr);
                    c.send("POST", "/login", None, Some(&form)).await
                })
            })
            .collect();
        for t in tasks {
            match t.await {
                Ok(Ok(a)) if a.status == 303 && a.cookie.is_some() => sessions.extend(a.cookie),
                Ok(Ok(a)) => return Ok(fail(format!("经办人登录失败：状态 {}", a.status))),
                Ok(Err(e)) => return Ok(fail(format!("经办人登录失败：{e}"))),
                Err(e) => return Ok(fail(format!("经办人登录失败：{e}"))),
            }
        }
    }
    println!(
        "登录：{} 名经办人，{:.1} 秒",
        sessions.len(),
        t.elapsed().as_secs_f64()
    );
    let ids: Vec<(i64, String)> = agencies.iter().map(|a| (a.id, a.name.clone())).collect();
    let per_agency = args.applications / agencies.len().max(1);
    let pages = per_agency.div_ceil(50).max(1);
    println!(
        "并发连接 {} 个，每阶段 {} 秒（至多 {} 次请求），服务器与客户端在同一进程，机器 {} 个处理器",
        args.connections,
        args.seconds,
        args.max_requests,
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );
    let mut figures = Vec::new();
    for phase in [Phase::Dashboard, Phase::Cases, Phase::Public, Phase::Apply] {
        figures.push(run_phase(phase, args, addr, &sessions, &ids, pages, items).await);
    }
    if !items.is_empty() {
        for phase in [Phase::Items, Phase::Columns] {
            figures.push(run_phase(phase, args, addr, &sessions, &ids, pages, items).await);
        }
        if let Some(search) = search {
            let t = Instant::now();
            while !search.ready() {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            println!(
                "全文检索索引：{} 条信息，建立用时 {:.1} 秒（自服务器启动）",
                search.index.len(),
                started
                    .elapsed()
                    .as_secs_f64()
                    .max(t.elapsed().as_secs_f64())
            );
            figures.push(run_phase(Phase::Search, args, addr, &sessions, &ids, pages, items).await);
        }
    }

    // Every acknowledged application is in the database, as submitted.
    let apply = &figures[3];
    let t = Instant::now();
    let mut missing = 0usize;
    for (agency, number, marker) in &apply.accepted {
        match store.application(agency, number).await {
            Ok(a) if a.request.contains(marker.as_str()) => {}
            _ => missing += 1,
        }
    }
    let checked = apply.accepted.len();

    println!();
    let right = |s: &str, w: usize| {
        let pad = w.saturating_sub(unicode_width::UnicodeWidthStr::width(s));
        format!("{}{s}", " ".repeat(pad))
    };
    println!(
        "{}{}{}{}{}{}{}  目标",
        crate::ledger::pad("阶段", 24),
        right("成功", 8),
        right("失败", 6),
        right("每秒", 10),
        right("p50毫秒", 9),
        right("p95毫秒", 9),
        right("p99毫秒", 9)
    );
    let mut met_all = true;
    for f in &figures {
        let (target, met) = match f.phase {
            Phase::Dashboard | Phase::Cases => ("p95 < 100 毫秒".to_string(), f.p95 < 100.0),
            Phase::Public => ("每秒 ≥ 2000 次".to_string(), f.rate() >= 2000.0),
            Phase::Apply => ("每秒 ≥ 200 件".to_string(), f.rate() >= 200.0),
            Phase::Items => ("每秒 ≥ 2000 次".to_string(), f.rate() >= 2000.0),
            Phase::Columns => ("p95 < 100 毫秒".to_string(), f.p95 < 100.0),
            Phase::Search => ("p95 < 50 毫秒".to_string(), f.p95 < 50.0),
        };
        let met = met && f.errors == 0 && f.ok > 0;
        met_all &= met;
        println!(
            "{}{:>8}{:>6}{:>10.0}{:>9.1}{:>9.1}{:>9.1}  {target}：{}",
            crate::ledger::pad(f.phase.label(), 24),
            f.ok,
            f.errors,
            f.rate(),
            f.p50,
            f.p95,
            f.p99,
            if met { "达到" } else { "未达到" }
        );
    }
    for f in &figures {
        if let Some(e) = &f.first_error {
            println!("{}：第一个错误：{e}", f.phase.label());
        }
    }
    println!(
        "核对：已确认的 {checked} 件网上申请{}（{:.1} 秒）",
        if missing == 0 {
            "全部在数据库中，内容无误".to_string()
        } else {
            format!("中有 {missing} 件不在数据库中或内容不符")
        },
        t.elapsed().as_secs_f64()
    );
    println!(
        "{}",
        if met_all && missing == 0 {
            "全部目标达到。"
        } else {
            "有目标未达到。"
        }
    );
    Ok(if missing == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

pub(crate) fn fail(msg: String) -> ExitCode {
    eprintln!("错误：{msg}");
    ExitCode::from(2)
}

/// Columns the generated items are filed under.
const BENCH_COLUMNS: [&str; 6] = ["a20-01", "a20-02", "a20-05", "a20-07", "a20-11", "a20-13"];

/// Words people search for.
const SEARCH_WORDS: [&str; 8] = [
    "规范性文件",
    "行政许可",
    "预算",
    "安全生产 检查",
    "就业 补贴",
    "政府采购",
    "应急预案",
    "公务员 招录",
];

const TITLE_WORDS: [&str; 12] = [
    "关于进一步加强",
    "关于印发",
    "关于做好",
    "关于开展",
    "关于公布",
    "关于调整",
    "关于规范",
    "关于推进",
    "关于实施",
    "关于建立",
    "关于完善",
    "关于落实",
];
const TOPICS: [&str; 12] = [
    "安全生产检查工作",
    "行政许可事项清单",
    "部门预算和决算",
    "就业创业补贴政策",
    "政府采购项目实施",
    "突发事件应急预案",
    "公务员招录工作",
    "行政处罚裁量基准",
    "行政事业性收费目录",
    "规范性文件清理",
    "农村集体资产管理",
    "城乡居民医疗保障",
];

/// `total` published items spread over the agencies, imported as an office
/// would import its CMS's, by the store's import (all of a batch or none);
/// for each agency: its id, first item id and count.
async fn fill_items(
    store: &Store,
    agencies: &[gongkai_store::Agency],
    total: usize,
) -> Result<Vec<(i64, i64, i64)>, StoreError> {
    use gongkai_casework::disclosure::{Disclosure, ItemDraft};
    if total == 0 || agencies.is_empty() {
        return Ok(Vec::new());
    }
    let t = Instant::now();
    let per = total / agencies.len();
    let mut rng = Rng(0x17e5_0000_0000_0001);
    let mut out = Vec::new();
    let mut next_id = 1i64;
    let year_start = NaiveDate::from_ymd_opt(2021, 1, 4).unwrap_or_default();
    for a in agencies {
        let scope = gongkai_store::Scope::Agencies(vec![a.name.clone()]);
        let mut rows = Vec::with_capacity(per);
        for k in 0..per {
            let topic = TOPICS[rng.below(TOPICS.len())];
            let title = format!(
                "{}{}{topic}的通知",
                a.name,
                TITLE_WORDS[rng.below(TITLE_WORDS.len())]
            );
            let written = year_start + chrono::Duration::days(rng.below(1800) as i64);
            let body: String = (0..3 + rng.below(4))
                .map(|i| format!("{}、为{topic}，根据有关法律法规和上级部门的部署，结合本地实际，现就有关事项通知如下，请认真贯彻执行。", ["一", "二", "三", "四", "五", "六"][i]))
                .collect();
            rows.push(gongkai_store::ImportedItem {
                line: k + 1,
                draft: ItemDraft {
                    title,
                    summary: format!("{topic}的有关安排。"),
                    body,
                    publisher: a.name.clone(),
                    written_on: Some(written),
                    doc_no: format!("示发〔{}〕{}号", written.format("%Y"), k + 1),
                    topic: "综合政务".into(),
                    column: BENCH_COLUMNS[rng.below(BENCH_COLUMNS.len())].into(),
                    disclosure: Some(Disclosure::Active),
                    ..Default::default()
                },
                index_no: Some(format!("B{:05}/{:07}", a.id, k + 1)),
                published_on: written + chrono::Duration::days(3 + rng.below(20) as i64),
                validity: None,
            });
        }
        for chunk in rows.chunks(2000) {
            store
                .import_items(ACTOR, &scope, &a.name, chunk, as_of())
                .await?;
        }
        out.push((a.id, next_id, per as i64));
        next_id += per as i64;
    }
    println!(
        "政府信息：{} 条（每个机关 {per} 条），导入 {:.1} 秒",
        per * agencies.len(),
        t.elapsed().as_secs_f64()
    );
    Ok(out)
}
