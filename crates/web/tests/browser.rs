//! The whole story in a real browser: headless Chromium driven over
//! WebDriver (chromedriver), against the server started in this process on
//! the demo ledger.
//!
//! An applicant applies online, a clerk handles the case (correction,
//! consultation, an extension approved by the agency's head, a partial
//! disclosure with the letter previewed first), the applicant follows it and
//! downloads the letter, the annual report counts it; another agency's clerk
//! cannot see it; hostile input is shown as text, forged forms are refused
//! and repeated wrong passwords lock the login. Screenshots of the main pages
//! are written to `target/screenshots/`.
//!
//! Without chromedriver and Chromium the test says so and passes, unless
//! `GONGKAI_BROWSER=required` (as CI sets it), when it fails.

use std::net::TcpListener as StdListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

const TODAY: &str = "2026-03-02";
const PASSWORD: &str = gongkai_web::demo::PASSWORD;

/// The two hostile strings put in every text field.
const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "\"><img src=x onerror=alert(1)>";

/// A program: the environment's choice, then the usual places.
fn find_program(var: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(var) {
        let p = PathBuf::from(p);
        return p.is_file().then_some(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in names {
        for dir in std::env::split_paths(&path).chain([PathBuf::from("/usr/bin")]) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// chromedriver, ended when the test ends (also when it fails).
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port no other test of this process was given (the tests run at once,
/// and a port just freed may be handed out twice).
fn free_port() -> u16 {
    static GIVEN: std::sync::Mutex<Vec<u16>> = std::sync::Mutex::new(Vec::new());
    loop {
        let port = StdListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let mut given = GIVEN.lock().unwrap_or_else(|e| e.into_inner());
        if !given.contains(&port) {
            given.push(port);
            return port;
        }
    }
}

/// Whether a chromedriver answers on the port (and not another program
/// that took it).
fn is_chromedriver(port: u16) -> bool {
    use std::io::{Read, Write};
    let Ok(mut c) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = c.set_read_timeout(Some(Duration::from_secs(2)));
    if c.write_all(b"GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .is_err()
    {
        return false;
    }
    // It answers and keeps the connection open: read until the answer says so.
    let mut answer = Vec::new();
    let mut buf = [0u8; 1024];
    while let Ok(n) = c.read(&mut buf) {
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&buf[..n]);
        if String::from_utf8_lossy(&answer).contains("\"ready\"") {
            return true;
        }
    }
    false
}

/// A chromedriver listening on a port of its own: started again on another
/// port if it exits (another program took the port first).
fn start_driver(program: &Path) -> Driver {
    for _ in 0..5 {
        let port = free_port();
        let child = Command::new(program)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let mut driver = Driver { child, port };
        let start = Instant::now();
        loop {
            if let Ok(Some(_)) = driver.child.try_wait() {
                break;
            }
            if is_chromedriver(port) {
                return driver;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "chromedriver did not listen on port {port} within 20 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    panic!("chromedriver exited five times without listening");
}

/// A browser with its own profile and download folder.
struct Browser {
    client: Client,
    base: String,
    shots: PathBuf,
    downloads: PathBuf,
    _profile: tempfile::TempDir,
}

async fn open_browser(driver: &Driver, chromium: &Path, base: &str, shots: &Path) -> Browser {
    let profile = tempfile::tempdir().expect("profile folder");
    let downloads = profile.path().join("downloads");
    std::fs::create_dir_all(&downloads).expect("download folder");
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium.to_string_lossy(),
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1366,768", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                format!("--user-data-dir={}", profile.path().join("chrome").display()),
            ],
            "prefs": {
                "download.default_directory": downloads.to_string_lossy(),
                "download.prompt_for_download": false,
                "download.directory_upgrade": true,
            },
        },
        // Dialogs stay open, so a script that fired one is caught.
        "unhandledPromptBehavior": "ignore",
    });
    let Value::Object(caps) = caps else {
        unreachable!()
    };
    // A machine busy with other tests may be slow to start the browser:
    // asked again a few times before failing.
    let mut tries = 0;
    let client = loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
        {
            Ok(c) => break c,
            Err(e) if tries < 3 => {
                eprintln!("a Chromium session, try {}: {e}", tries + 1);
                tries += 1;
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Err(e) => panic!("a Chromium session: {e}"),
        }
    };
    Browser {
        client,
        base: base.to_string(),
        shots: shots.to_path_buf(),
        downloads,
        _profile: profile,
    }
}

impl Browser {
    async fn go(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|e| panic!("open {path}: {e}"));
        self.no_dialog(path).await;
    }

    async fn find(&self, css: &str) -> fantoccini::elements::Element {
        match self.client.find(Locator::Css(css)).await {
            Ok(e) => e,
            Err(e) => panic!(
                "no element {css} on {}: {e}\n{}",
                self.url().await,
                self.main_text().await
            ),
        }
    }

    async fn has(&self, css: &str) -> bool {
        !self
            .client
            .find_all(Locator::Css(css))
            .await
            .map(|v| v.is_empty())
            .unwrap_or(true)
    }

    async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.expect("element text")
    }

    async fn value(&self, css: &str) -> String {
        self.find(css)
            .await
            .prop("value")
            .await
            .expect("element value")
            .unwrap_or_default()
    }

    async fn url(&self) -> String {
        self.client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default()
    }

    /// What the page says: the text of its `main`.
    async fn main_text(&self) -> String {
        match self.client.find(Locator::Css("main")).await {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script {script}: {e}"))
    }

    /// Types into a field (after clearing it).
    async fn fill(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        e.clear().await.expect("clear field");
        e.send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    /// Sets a date field as its picker would (typing into one depends on
    /// the browser's locale).
    async fn set_date(&self, css: &str, date: &str) {
        let e = self.find(css).await;
        let arg = serde_json::to_value(&e).expect("element as argument");
        self.js(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
            vec![arg, json!(date)],
        )
        .await;
    }

    /// Chooses an option by its value (its text when it has no value).
    async fn select(&self, css: &str, value: &str) {
        let e = self.find(css).await;
        if e.select_by_value(value).await.is_err() {
            e.select_by_label(value)
                .await
                .unwrap_or_else(|e| panic!("select {value} in {css}: {e}"));
        }
    }

    /// Opens a `<details>` section by its summary.
    async fn open_section(&self, summary: &str) {
        let summaries = self
            .client
            .find_all(Locator::Css("details > summary"))
            .await
            .expect("summaries");
        for s in summaries {
            if s.text().await.unwrap_or_default().trim() == summary {
                let open = self
                    .js(
                        "return arguments[0].parentElement.open;",
                        vec![serde_json::to_value(&s).unwrap()],
                    )
                    .await;
                if open != json!(true) {
                    s.click().await.expect("open section");
                }
                return;
            }
        }
        panic!("no section {summary} on {}", self.url().await);
    }

    /// Clicks what submits a form or follows a link, and waits for the next page.
    async fn click_and_wait(&self, css: &str) {
        self.js("window.__before_click = true;", vec![]).await;
        let e = self.find(css).await;
        e.click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
        self.wait_for_new_page(css).await;
    }

    /// On the roster page: opens an agency's row, types `value` into
    /// `field` of its form of class `form`, and sends it.
    async fn roster_change(&self, agency: &str, form: &str, field: &str, value: &str) {
        let row = format!("//table[@id='roster-table']//tr[td[1]/a[text()='{agency}']]");
        self.client
            .find(Locator::XPath(&format!("{row}//summary")))
            .await
            .unwrap_or_else(|e| panic!("the row of {agency}: {e}"))
            .click()
            .await
            .expect("open the row");
        self.client
            .find(Locator::XPath(&format!(
                "{row}//form[contains(@class,'{form}')]//input[@name='{field}']"
            )))
            .await
            .unwrap_or_else(|e| panic!("the {field} field of {agency}: {e}"))
            .send_keys(value)
            .await
            .expect("type");
        self.click_xpath_and_wait(&format!("{row}//form[contains(@class,'{form}')]//button"))
            .await;
    }

    /// Clicks the element an XPath finds and waits for the page it loads.
    async fn click_xpath_and_wait(&self, xpath: &str) {
        self.js("window.__before_click = true;", vec![]).await;
        self.client
            .find(Locator::XPath(xpath))
            .await
            .unwrap_or_else(|e| panic!("find {xpath}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {xpath}: {e}"));
        self.wait_for_new_page(xpath).await;
    }

    async fn wait_for_new_page(&self, what: &str) {
        let start = Instant::now();
        loop {
            let done = self
                .client
                .execute(
                    "return window.__before_click === undefined && document.readyState === 'complete';",
                    vec![],
                )
                .await;
            if let Ok(Value::Bool(true)) = done {
                break;
            }
            if let Err(fantoccini::error::CmdError::Standard(e)) = &done {
                if e.error == fantoccini::error::ErrorStatus::UnexpectedAlertOpen {
                    panic!("a dialog opened after {what}");
                }
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "no new page within 30 s after {what} (at {})",
                self.url().await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.no_dialog(what).await;
    }

    /// Fails when a dialog (alert, confirm, prompt) is open.
    async fn no_dialog(&self, what: &str) {
        if let Ok(text) = self.client.get_alert_text().await {
            panic!("a dialog opened on {what}: {text}");
        }
    }

    /// The HTTP status of a GET from this page (with its cookies and the
    /// given headers).
    async fn status_of(&self, path: &str, headers: Value) -> u16 {
        let v = self
            .client
            .execute_async(
                "const [path, headers, done] = arguments;
                 fetch(path, {headers, redirect: 'manual'}).then(r => done(r.status), e => done(String(e)));",
                vec![json!(path), headers],
            )
            .await
            .unwrap_or_else(|e| panic!("fetch {path}: {e}"));
        v.as_u64().unwrap_or_else(|| panic!("fetch {path}: {v}")) as u16
    }

    /// A screenshot of the whole page (the window made as tall as the page,
    /// at most 5000 pixels) as `target/screenshots/{name}.png`.
    async fn shot(&self, name: &str) {
        let (w, h) = self.client.get_window_size().await.expect("window size");
        let height = self
            .js("return Math.ceil(document.documentElement.scrollHeight);", vec![])
            .await
            .as_u64()
            .unwrap_or(h)
            // The window's frame and toolbar take some of its height.
            + (h - self.js("return window.innerHeight;", vec![]).await.as_u64().unwrap_or(h));
        let tall = height.clamp(h, 5000);
        if tall > h {
            self.client
                .set_window_size(w as u32, tall as u32)
                .await
                .expect("resize");
        }
        let png = self.client.screenshot().await.expect("screenshot");
        if tall > h {
            self.client
                .set_window_size(w as u32, h as u32)
                .await
                .expect("resize back");
        }
        std::fs::write(self.shots.join(format!("{name}.png")), png).expect("write screenshot");
        // Nothing may be wider than the window.
        let overflow = self
            .js(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                vec![],
            )
            .await
            .as_i64()
            .unwrap_or(0);
        assert!(
            overflow <= 0,
            "{name}: the page is {overflow} px wider than the window ({w} px)"
        );
    }

    async fn login(&self, login: &str) {
        self.go("/login").await;
        self.fill("#login", login).await;
        self.fill("#password", PASSWORD).await;
        self.click_and_wait("form[action='/login'] button[type=submit]")
            .await;
        let who = self.text("header .who").await;
        assert!(
            who.contains(login) || self.url().await.ends_with("/console"),
            "{login} is not signed in: {}",
            self.main_text().await
        );
    }

    async fn logout(&self) {
        self.click_and_wait("form[action='/logout'] button").await;
        assert!(
            self.url().await.ends_with("/login"),
            "signed out to the login page"
        );
    }

    /// Waits for a finished download whose name ends with `ext`; its bytes.
    async fn downloaded(&self, ext: &str) -> (String, Vec<u8>) {
        let start = Instant::now();
        loop {
            for entry in std::fs::read_dir(&self.downloads)
                .expect("download folder")
                .flatten()
            {
                let name = entry.file_name().to_string_lossy().to_string();
                if name.ends_with(ext) {
                    let bytes = std::fs::read(entry.path()).expect("downloaded file");
                    if !bytes.is_empty() {
                        std::fs::remove_file(entry.path()).ok();
                        return (name, bytes);
                    }
                }
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "no {ext} file downloaded within 20 s (at {}: {})",
                self.url().await,
                self.main_text().await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// The figures of a row of the report's table 3 (in the text form: the
/// row's words, then its seven columns, 自然人 first and 总计 last).
fn table3_row(report: &str, row: &str) -> Vec<i64> {
    let line = report
        .lines()
        .find(|l| l.contains(row))
        .unwrap_or_else(|| panic!("no row {row} in the report:\n{report}"));
    let figures: Vec<i64> = line
        .split_whitespace()
        .filter_map(|s| s.parse().ok())
        .collect();
    assert_eq!(figures.len(), 7, "seven columns in: {line}");
    figures
}

/// chromedriver and Chromium, or `None` (said, and a failure when
/// `GONGKAI_BROWSER=required`).
fn browser_programs() -> Option<(PathBuf, PathBuf)> {
    let required = std::env::var("GONGKAI_BROWSER")
        .map(|v| v == "required")
        .unwrap_or(false);
    let driver_program = find_program("GONGKAI_CHROMEDRIVER", &["chromedriver"]);
    let chromium = find_program(
        "GONGKAI_CHROMIUM",
        &["chromium", "chromium-browser", "google-chrome"],
    );
    let (Some(driver_program), Some(chromium)) = (driver_program, chromium) else {
        let msg = "浏览器测试未运行：没有找到 chromedriver 或 Chromium\
                   （Debian：apt-get install chromium chromium-driver fonts-noto-cjk）";
        if required {
            panic!("{msg}；GONGKAI_BROWSER=required");
        }
        eprintln!("{msg}。设置 GONGKAI_BROWSER=required 时本测试会失败。");
        return None;
    };
    Some((driver_program, chromium))
}

/// The folder screenshots go to.
fn screenshot_folder() -> PathBuf {
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target folder")
        .join("screenshots");
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    shots
}

/// The server on a store, on a port of its own; its address.
async fn serve_demo(store: gongkai_store::Store, today: NaiveDate) -> String {
    let state = gongkai_web::AppState::new(
        store,
        gongkai_web::Config {
            today: Some(today),
            secure_cookies: false,
            index_dir: None,
            search_index: true,
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(gongkai_web::serve_on(state, listener));
    base
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_story_in_a_browser() {
    let Some((driver_program, chromium)) = browser_programs() else {
        return;
    };
    let started = Instant::now();

    // The server on the demo ledger.
    let dir = tempfile::tempdir().expect("temp dir");
    let today = NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    let store = gongkai_store::Store::open(&dir.path().join("demo.db").to_string_lossy())
        .await
        .expect("store");
    gongkai_web::demo::fill(&store, today).await.expect("demo");
    let users = store.users().await.expect("users");
    let office = store.agency_by_id(1).await.expect("agency 1");
    let agency_of = |login: &str| {
        users
            .iter()
            .find(|u| u.login == login)
            .and_then(|u| u.agency.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        agency_of("clerk1"),
        office.name,
        "clerk1 works for agency 1"
    );
    assert_eq!(
        agency_of("leader1"),
        office.name,
        "leader1 works for agency 1"
    );
    assert_ne!(
        agency_of("clerk2"),
        office.name,
        "clerk2 works for another agency"
    );
    let base = serve_demo(store, today).await;
    eprintln!(
        "[{:5.1}s] server with the demo at {base}",
        started.elapsed().as_secs_f32()
    );

    let shots = screenshot_folder();

    let driver = start_driver(&driver_program);
    // The applicant's browser and the staff's.
    let public = open_browser(&driver, &chromium, &base, &shots).await;
    let staff = open_browser(&driver, &chromium, &base, &shots).await;
    eprintln!(
        "[{:5.1}s] two browsers open",
        started.elapsed().as_secs_f32()
    );

    let step = |what: &str| eprintln!("[{:5.1}s] {what}", started.elapsed().as_secs_f32());

    // 1. Someone applies online.
    public.go("/").await;
    assert!(public.main_text().await.contains(&office.name));
    public.shot("01-portal-home").await;
    public.click_and_wait("a[href='/a/1/apply']").await;
    assert!(public.main_text().await.contains("政府信息公开申请"));
    let applicant = "张三丰";
    let request =
        "示例县2025年城区道路改造工程的立项批复文件（示发改〔2025〕12号）及其资金安排情况";
    public.select("#kind", "natural_person").await;
    public.fill("#name", applicant).await;
    public.fill("#contact_person", "张小明").await;
    public
        .fill("#id_document", "居民身份证 110101199001011234")
        .await;
    public.fill("#phone", "0571-88886666转8021").await;
    public.fill("#email", "张三丰@示例.中国").await;
    public.fill("#address", "示例县城关镇人民路1号3单元").await;
    public.select("#form", "电子文档").await;
    public.select("#delivery", "电子邮件").await;
    // The request is left out: the page says so next to it, and keeps the rest.
    public.click_and_wait("form.form button[type=submit]").await;
    let err = public.text("#err-request").await;
    assert!(
        err.contains("请填写所需信息"),
        "the missing request is named: {err}"
    );
    assert!(
        public.has(".field.invalid #request").await,
        "the request field is marked"
    );
    assert!(public.text(".alert").await.contains("1 处需要修改"));
    assert_eq!(public.value("#name").await, applicant, "the name is kept");
    assert_eq!(public.value("#contact_person").await, "张小明");
    assert_eq!(
        public.value("#id_document").await,
        "居民身份证 110101199001011234"
    );
    assert_eq!(public.value("#phone").await, "0571-88886666转8021");
    assert_eq!(public.value("#email").await, "张三丰@示例.中国");
    assert_eq!(public.value("#address").await, "示例县城关镇人民路1号3单元");
    assert_eq!(public.value("#form").await, "电子文档");
    assert_eq!(public.value("#delivery").await, "电子邮件");
    public.shot("02-apply-form-with-errors").await;
    public.fill("#request", request).await;
    public.click_and_wait("form.form button[type=submit]").await;
    let number = public.text("#number").await.trim().to_string();
    let code = public.text("#code").await.trim().to_string();
    assert!(public.main_text().await.contains("申请已提交"));
    assert!(
        number.starts_with("2026"),
        "a number of this year: {number}"
    );
    assert_eq!(code.chars().count(), 12, "a lookup code: {code}");
    public.shot("03-receipt").await;
    step(&format!("1. applied online: {number}"));

    // 2. The clerk finds the case and asks for a correction.
    staff.go("/login").await;
    staff.shot("04-login").await;
    staff.login("clerk1").await;
    assert!(staff.main_text().await.contains("待办事项"));
    staff.shot("05-dashboard").await;
    // The report before, to compare with the one after the reply.
    staff.go("/console/report?agency=1&year=2026").await;
    let before = staff.text("#report-text").await;
    const PARTIAL: &str = "（二）部分公开（区分处理的";
    let partial_before = table3_row(&before, PARTIAL);
    let case_link = format!("a[href='/console/case/1/{number}']");
    staff.go("/console").await;
    if staff.has(&case_link).await {
        step("2. the case is on the dashboard");
    }
    staff.go("/console/cases").await;
    staff.fill("input[name=q]", &number).await;
    staff
        .click_and_wait("form.filters button[type=submit]")
        .await;
    let list = staff.main_text().await;
    assert!(
        list.contains("共 1 件"),
        "the search finds the case:\n{list}"
    );
    assert!(list.contains(applicant) && list.contains("网络"));
    staff.shot("06-case-list").await;
    staff.click_and_wait(&case_link).await;
    assert_eq!(staff.text("#stage").await, "办理中");
    let page = staff.main_text().await;
    assert!(page.contains(applicant) && page.contains(request));
    assert!(page.contains("电子邮箱：张三丰@示例.中国"));
    staff.shot("07-case-page").await;
    staff.open_section("补正告知").await;
    staff.set_date("#corr-until", "2026-03-16").await;
    staff
        .fill("#corr-note", "请说明所需文件的具体年份和文号")
        .await;
    staff.click_and_wait("#request-correction").await;
    assert!(
        !staff.has("#action-error").await,
        "{}",
        staff.main_text().await
    );
    assert_eq!(staff.text("#stage").await, "等待补正");
    assert!(staff
        .main_text()
        .await
        .contains("补正告知（补正期限2026-03-16）"));
    step("2. correction requested");

    // 3. The applicant looks it up.
    public.go("/lookup").await;
    public.select("#agency", "1").await;
    public.fill("#number", &number).await;
    public.fill("#code", &code.to_lowercase()).await;
    public.click_and_wait("form.form button[type=submit]").await;
    assert_eq!(public.text("#stage").await, "等待补正");
    let status = public.main_text().await;
    assert!(
        status.contains("补正通知") && status.contains("2026-03-16"),
        "{status}"
    );
    assert!(
        status.contains("请说明所需文件的具体年份和文号"),
        "the notice says what to correct:\n{status}"
    );
    public.shot("08-lookup-status").await;
    step("3. the applicant sees the correction notice");

    // 4. Correction received, a third party consulted, an extension asked for and approved.
    staff.open_section("收到补正").await;
    staff.click_and_wait("#record-correction").await;
    assert_eq!(staff.text("#stage").await, "办理中");
    staff.open_section("征求第三方意见").await;
    staff.fill("#cons-party", "示例县城投建设有限公司").await;
    staff.click_and_wait("#start-consultation").await;
    assert_eq!(staff.text("#stage").await, "征求意见中");
    staff.open_section("征求第三方意见").await;
    staff.click_and_wait("#end-consultation").await;
    assert_eq!(staff.text("#stage").await, "办理中");
    staff.open_section("延期答复").await;
    staff.fill("#ext-days", "15").await;
    staff
        .fill("#ext-note", "涉及档案调取，需要延长答复期限")
        .await;
    staff.click_and_wait("#request-extension").await;
    assert!(
        !staff.has("#action-error").await,
        "{}",
        staff.main_text().await
    );
    assert!(staff.text("#approvals").await.contains("待审批"));
    staff.logout().await;
    staff.login("leader1").await;
    let dash = staff.main_text().await;
    assert!(
        dash.contains("等待负责人审批") && dash.contains(&number),
        "{dash}"
    );
    staff.click_and_wait(&case_link).await;
    staff.click_and_wait("#approve-extension").await;
    let approvals = staff.text("#approvals").await;
    assert!(approvals.contains("已同意"), "{approvals}");
    let deadline = staff.text("#deadline").await;
    assert!(deadline.contains("收到补正"), "{deadline}");
    assert!(
        deadline.contains("征求示例县城投建设有限公司意见"),
        "{deadline}"
    );
    assert!(
        deadline.contains("同意延长答复期限15个工作日"),
        "{deadline}"
    );
    assert!(deadline.contains("延长的15"), "{deadline}");
    step("4. correction, consultation, extension approved");

    // 5. The clerk replies: partial disclosure, the letter previewed first.
    staff.logout().await;
    staff.login("clerk1").await;
    staff.go(&format!("/console/case/1/{number}")).await;
    staff.open_section("答复").await;
    staff.select("#outcome", "partially_granted").await;
    let reason = "资金安排情况中涉及第三方商业秘密的部分不予公开，其余部分予以公开，见附件。";
    staff.fill("#reason", reason).await;
    staff.click_and_wait("#preview-reply").await;
    let letter = staff.text("#letter-preview").await;
    assert!(
        letter.contains(applicant),
        "the preview names the applicant:\n{letter}"
    );
    assert!(
        letter.contains(reason),
        "the preview has the reason:\n{letter}"
    );
    assert_eq!(
        staff.text("#stage").await,
        "办理中",
        "a preview records nothing"
    );
    assert_eq!(staff.value("#outcome").await, "partially_granted");
    staff.shot("09-case-letter-preview").await;
    staff.click_and_wait("#record-reply").await;
    assert!(
        !staff.has("#action-error").await,
        "{}",
        staff.main_text().await
    );
    assert_eq!(staff.text("#stage").await, "已办结");
    let deadline = staff.text("#deadline").await;
    assert!(deadline.contains("办结：（二）部分公开"), "{deadline}");
    step("5. replied");

    // 6. The applicant sees the case closed and downloads the letter.
    public.go("/lookup").await;
    public.select("#agency", "1").await;
    public.fill("#number", &number).await;
    public.fill("#code", &code).await;
    public.click_and_wait("form.form button[type=submit]").await;
    assert_eq!(public.text("#stage").await, "已办结");
    assert!(public.main_text().await.contains("部分公开"));
    public.shot("10-lookup-closed").await;
    public
        .find("#letter-txt")
        .await
        .click()
        .await
        .expect("download");
    let (name, bytes) = public.downloaded(".txt").await;
    let text = String::from_utf8(bytes).expect("a UTF-8 letter");
    assert!(
        text.contains(applicant) && text.contains(reason),
        "{name}:\n{text}"
    );
    for (id, ext, magic) in [
        ("#letter-docx", ".docx", &b"PK"[..]),
        ("#letter-pdf", ".pdf", &b"%PDF"[..]),
    ] {
        if public.has(id).await {
            public.find(id).await.click().await.expect("download");
            let (name, bytes) = public.downloaded(ext).await;
            assert!(bytes.starts_with(magic), "{name} is a {ext} file");
        }
    }
    step("6. the letter downloaded");

    // 7. The annual report counts it.
    staff.go("/console/report?agency=1&year=2026").await;
    let after = staff.text("#report-text").await;
    let partial_after = table3_row(&after, PARTIAL);
    assert_eq!(
        partial_after[0],
        partial_before[0] + 1,
        "table 3, 部分公开, 自然人: one more"
    );
    assert_eq!(
        partial_after[6],
        partial_before[6] + 1,
        "table 3, 部分公开, 总计: one more"
    );
    assert_eq!(
        partial_after[1..6],
        partial_before[1..6],
        "the other columns as before"
    );
    staff.shot("11-report").await;
    step("7. the report counts it");

    // The other ledgers' pages, as the clerk sees them (looked at, and none
    // wider than the window).
    for (path, name, words) in [
        ("/console/documents", "14-documents", "规范性文件"),
        (
            "/console/enforcement?agency=1&year=2025",
            "15-enforcement",
            "本年处理决定数量",
        ),
        ("/console/legal-cases", "16-legal-cases", "行政复议"),
        ("/console/import", "17-import", "导入"),
    ] {
        staff.go(path).await;
        let text = staff.main_text().await;
        assert!(text.contains(words), "{path}: {text}");
        staff.shot(name).await;
    }

    // 8. Another agency's clerk sees nothing of it, on a page or by the API.
    staff.logout().await;
    staff.login("clerk2").await;
    staff.go(&format!("/console/case/1/{number}")).await;
    assert!(
        staff.main_text().await.contains("没有找到"),
        "{}",
        staff.main_text().await
    );
    assert_eq!(
        staff
            .status_of(&format!("/console/case/1/{number}"), json!({}))
            .await,
        404
    );
    staff.go("/console/users").await;
    staff.fill("#t-name", "门户网站申请表").await;
    staff
        .click_and_wait("form[action='/console/tokens'] button")
        .await;
    let token = staff.text("#new-token").await.trim().to_string();
    assert!(token.starts_with("gk_"), "a token: {token}");
    let bearer = json!({ "Authorization": format!("Bearer {token}") });
    assert_eq!(
        staff.status_of("/api/v1/dashboard", bearer.clone()).await,
        200
    );
    assert_eq!(
        staff
            .status_of(&format!("/api/v1/cases/1/{number}"), bearer.clone())
            .await,
        404
    );
    step("8. clerk2 gets 没有找到 and 404");

    // 9. A hostile visitor.
    public.go("/a/1/apply").await;
    for field in [
        "#name",
        "#contact_person",
        "#id_document",
        "#phone",
        "#email",
        "#address",
        "#request",
    ] {
        let payload = if field == "#request" || field == "#email" {
            IMG
        } else {
            SCRIPT
        };
        public.fill(field, payload).await;
    }
    public.select("#form", "纸质").await;
    public.select("#delivery", "自行领取").await;
    public.click_and_wait("form.form button[type=submit]").await;
    // Refused (no such phone or e-mail), with every value kept as typed.
    assert!(public.has("#err-phone").await && public.has("#err-email").await);
    assert_eq!(public.value("#name").await, SCRIPT);
    assert_eq!(public.value("#email").await, IMG);
    assert_eq!(public.value("#request").await, IMG);
    assert_eq!(
        public
            .js(
                "return document.querySelectorAll('main script, main img').length;",
                vec![]
            )
            .await,
        json!(0)
    );
    public.fill("#phone", "0571-12345678").await;
    public.fill("#email", "").await;
    public.click_and_wait("form.form button[type=submit]").await;
    let hostile = public.text("#number").await.trim().to_string();
    staff.logout().await;
    staff.login("clerk1").await;
    staff.go(&format!("/console/case/1/{hostile}")).await;
    let page = staff.main_text().await;
    assert!(
        page.contains(&format!("{SCRIPT}（自然人）")),
        "the name as text:\n{page}"
    );
    assert!(page.contains(&format!("联系人：{SCRIPT}")), "{page}");
    assert!(page.contains(IMG), "the request as text:\n{page}");
    assert_eq!(
        staff
            .js(
                "return document.querySelectorAll('main script, main img, [onerror]').length;",
                vec![]
            )
            .await,
        json!(0),
        "nothing typed became markup"
    );
    staff.no_dialog("the hostile case page").await;
    staff.go(&format!("/console/cases?q={hostile}")).await;
    assert_eq!(
        staff
            .js(
                "return document.querySelectorAll('main script, main img').length;",
                vec![]
            )
            .await,
        json!(0)
    );
    assert!(staff.main_text().await.contains(SCRIPT));
    // A form without the session's token is refused, and so is one with another token.
    staff.go(&format!("/console/case/1/{hostile}")).await;
    for forged in [
        "",
        "0000000000000000000000000000000000000000000000000000000000000000",
    ] {
        staff.open_section("申请人撤回申请").await;
        let form = "form:has(input[name=action][value=withdrawn])";
        staff
            .js(
                "const f = document.querySelector(arguments[0]);
                 const t = f.querySelector('input[name=_csrf]');
                 if (arguments[1]) { t.value = arguments[1]; } else { t.remove(); }",
                vec![json!(form), json!(forged)],
            )
            .await;
        staff.click_and_wait(&format!("{form} button")).await;
        let refused = staff.main_text().await;
        assert!(
            refused.contains("表单已失效"),
            "a forged form is refused:\n{refused}"
        );
        staff.go(&format!("/console/case/1/{hostile}")).await;
        assert_eq!(staff.text("#stage").await, "办理中", "nothing was recorded");
    }
    // Wrong passwords lock the login.
    public.go("/login").await;
    let mut locked_after = None;
    for attempt in 1..=7 {
        public.fill("#login", "clerk3").await;
        public.fill("#password", "wrong-password").await;
        public
            .click_and_wait("form[action='/login'] button[type=submit]")
            .await;
        if public.main_text().await.contains("登录失败次数过多") {
            locked_after = Some(attempt);
            break;
        }
        assert!(public.main_text().await.contains("登录名或密码不正确"));
    }
    assert!(
        locked_after.is_some(),
        "the login locks after repeated wrong passwords"
    );
    public.fill("#login", "clerk3").await;
    public.fill("#password", PASSWORD).await;
    public
        .click_and_wait("form[action='/login'] button[type=submit]")
        .await;
    assert!(
        public.main_text().await.contains("登录失败次数过多"),
        "a locked login stays locked, even with the right password"
    );
    step(&format!(
        "9. hostile input shown as text, forged forms refused, login locked after {} tries",
        locked_after.unwrap()
    ));

    // The application form on a phone.
    public
        .client
        .set_window_size(390, 844)
        .await
        .expect("phone size");
    public.go("/a/1/apply").await;
    let width = public.js("return window.innerWidth;", vec![]).await;
    assert!(
        width.as_u64().unwrap_or(0) <= 400,
        "a phone-wide window: {width}"
    );
    public.click_and_wait("form.form button[type=submit]").await;
    public.shot("12-phone-apply-form").await;
    public.go("/").await;
    public.shot("13-phone-portal-home").await;

    let _ = public.client.close().await;
    let _ = staff.client.close().await;
    drop(driver);
    step("done");
}

/// Proactive disclosure in a browser, on the demo: a clerk drafts a
/// 规范性文件 with a Word attachment and its 解读; the 科室负责人 passes it,
/// 保密审查 sends it back (while stopped it is nowhere public); fixed, it
/// goes through every step and is signed; it appears in the 专栏 under
/// 第二十条第（一）项 and in the search by a phrase of its attachment; table
/// 2 of the report counts it; it is repealed and shows 废止.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proactive_disclosure_in_a_browser() {
    let Some((driver_program, chromium)) = browser_programs() else {
        return;
    };
    let started = Instant::now();
    let step = |what: &str| eprintln!("[{:5.1}s] {what}", started.elapsed().as_secs_f32());
    let dir = tempfile::tempdir().expect("temp dir");
    let today = NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    let store = gongkai_store::Store::open(&dir.path().join("demo.db").to_string_lossy())
        .await
        .expect("store");
    gongkai_web::demo::fill(&store, today).await.expect("demo");
    let base = serve_demo(store, today).await;
    let shots = screenshot_folder();
    let driver = start_driver(&driver_program);
    let public = open_browser(&driver, &chromium, &base, &shots).await;
    let staff = open_browser(&driver, &chromium, &base, &shots).await;
    step("server and browsers ready");

    // The clerk drafts the document.
    staff.login("clerk1").await;
    staff.go("/console/items").await;
    assert!(staff.main_text().await.contains("待保密审查"));
    staff.shot("20-items-console").await;
    staff.click_and_wait("#new-item").await;
    let title = "示例县人民政府办公室关于加强农村集体资产管理的意见";
    staff.fill("#title", title).await;
    staff.fill("#doc_no", "示政办规〔2026〕3号").await;
    staff.set_date("#written_on", "2026-02-26").await;
    staff.select("#column", "a20-01").await;
    staff.select("#doc_kind", "normative").await;
    staff.fill("#topic", "农业农村").await;
    staff
        .fill(
            "#summary",
            "加强农村集体资产管理，维护集体经济组织成员合法权益。",
        )
        .await;
    staff
        .fill("#body", "一、总体要求\n二、主要任务\n三、保障措施")
        .await;
    staff.click_and_wait("#item-form button[type=submit]").await;
    assert!(
        staff.url().await.contains("/console/item/"),
        "saved: {}",
        staff.main_text().await
    );
    let item = staff.url().await;
    let id: String = item
        .rsplit('/')
        .next()
        .unwrap()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let index_no = staff.text("#facts dd").await;
    // The attachment, chosen as a user would.
    let docx = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/docx/national-template-filled.docx")
        .canonicalize()
        .expect("fixture");
    staff
        .find("#attach-form input[type=file]")
        .await
        .send_keys(&docx.to_string_lossy())
        .await
        .expect("choose the file");
    staff
        .click_and_wait("#attach-form button[type=submit]")
        .await;
    assert!(
        staff
            .text("#files")
            .await
            .contains("national-template-filled.docx"),
        "the attachment is listed: {}",
        staff.text("#files").await
    );
    staff.shot("21-item-draft-with-attachment").await;

    // Its 解读, linked by the 索引号.
    staff.go("/console/items/new").await;
    staff.fill("#title", &format!("《{title}》政策解读")).await;
    staff.set_date("#written_on", "2026-02-26").await;
    staff.select("#column", "a20-01").await;
    staff.fill("#interprets", &index_no).await;
    staff.fill("#body", "一、起草背景\n二、主要内容").await;
    staff.click_and_wait("#item-form button[type=submit]").await;
    let reading = staff.url().await;
    assert!(
        reading.contains("/console/item/"),
        "{}",
        staff.main_text().await
    );
    assert!(
        staff.text("#facts").await.contains(title),
        "the link is shown"
    );
    staff.logout().await;
    step("drafted with an attachment and its 解读");

    // Each step by its own role.
    let act = |who: &'static str, page: String, button: &'static str| {
        let staff = &staff;
        async move {
            staff.login(who).await;
            staff.client.goto(&page).await.expect("item page");
            staff.click_and_wait(button).await;
            assert!(
                !staff.has("#action-error").await,
                "{who} {button}: {}",
                staff.text("#action-error").await
            );
            staff.logout().await;
        }
    };
    act("clerk1", item.clone(), "#submit").await;
    act("reviewer1", item.clone(), "#approve").await;
    staff.login("secrecy1").await;
    staff.client.goto(&item).await.expect("item page");
    staff
        .fill("#return-reason", "附件为另一机关的年度报告，请核实")
        .await;
    staff.click_and_wait("#return").await;
    assert!(staff.text("#status").await.contains("已退回修改"));
    staff.shot("22-item-returned-by-secrecy").await;
    staff.logout().await;
    step("sent back at 保密审查");

    // Stopped: nowhere public.
    public.go(&format!("/a/1/i/{id}")).await;
    assert!(public.main_text().await.contains("没有找到"), "not public");
    public.go("/a/1/c/a20-01").await;
    assert!(!public.main_text().await.contains(title));
    tokio::time::sleep(Duration::from_secs(3)).await;
    public.go("/search?q=农村集体资产管理").await;
    assert!(
        public.text("#total").await.contains("找到 0 条"),
        "not found by search"
    );

    // Fixed and through every step.
    staff.login("clerk1").await;
    staff.client.goto(&item).await.expect("item page");
    staff.click_and_wait("#edit").await;
    staff
        .fill("#summary", "加强农村集体资产管理，附件为参考格式。")
        .await;
    staff.click_and_wait("#item-form button[type=submit]").await;
    staff.logout().await;
    for page in [item.clone(), reading.clone()] {
        act("clerk1", page.clone(), "#submit").await;
        act("reviewer1", page.clone(), "#approve").await;
        act("secrecy1", page.clone(), "#approve").await;
        act("leader1", page.clone(), "#approve").await;
    }
    staff.login("clerk1").await;
    staff.client.goto(&item).await.expect("item page");
    assert!(staff.text("#status").await.contains("已发布"));
    staff.shot("23-item-published-with-steps").await;
    step("passed every step and signed");

    // In the 专栏 under 第二十条第（一）项, with its 解读 both ways.
    public.go("/a/1").await;
    public.shot("24-column-home").await;
    public.go("/a/1/c/a20-01").await;
    assert!(public.main_text().await.contains(title));
    public.shot("25-column-list").await;
    public.go(&format!("/a/1/i/{id}")).await;
    assert!(public.text("#meta").await.contains("示政办规〔2026〕3号"));
    assert!(public.text("#links").await.contains("政策解读"));
    assert!(public
        .text("#files")
        .await
        .contains("national-template-filled.docx"));
    public.shot("26-item-public").await;
    // Found by a phrase of its attachment.
    let mut found = false;
    for _ in 0..50 {
        public
            .go("/search?q=某某市人民政府办公室2024年政府信息公开工作年度报告")
            .await;
        if public.main_text().await.contains(title) {
            found = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(found, "found by a phrase of the attachment");
    public.shot("27-search").await;
    step("in the 专栏 and found by its attachment");

    // Table 2 of the report counts it.
    staff.go("/console/report?agency=1&year=2026").await;
    let issued = staff
        .js(
            "return document.querySelector('[data-cell=\"t2.normative.issued\"]').textContent;",
            vec![],
        )
        .await;
    assert_eq!(
        issued.as_str().map(str::trim),
        Some("1"),
        "table 2 counts it"
    );

    // Repealed: asked by the clerk, granted by the leader.
    staff.client.goto(&item).await.expect("item page");
    staff.open_section("申请宣布失效或废止").await;
    staff.fill("#repeal-reason", "已被新文件替代").await;
    staff
        .click_and_wait("#repeal-form button[type=submit]")
        .await;
    assert!(staff.text("#request").await.contains("废止"));
    staff.logout().await;
    act("leader1", item.clone(), "#grant").await;
    public.go(&format!("/a/1/i/{id}")).await;
    assert!(public.text("#validity").await.contains("废止"));
    public.shot("28-item-repealed").await;
    staff.login("leader1").await;
    staff.go("/console/report?agency=1&year=2026").await;
    let repealed = staff
        .js(
            "return document.querySelector('[data-cell=\"t2.normative.repealed\"]').textContent;",
            vec![],
        )
        .await;
    assert_eq!(
        repealed.as_str().map(str::trim),
        Some("1"),
        "table 2 counts the repeal"
    );
    step("repealed, shown 废止, counted in table 2");

    // The 指南, generated from the agency's particulars, and its editor.
    public.go("/a/1/guide").await;
    assert!(public
        .text("#guide")
        .await
        .contains("示例县人民政府办公室办公室"));
    public.shot("29-guide").await;
    staff.go("/console/guide?agency=1").await;
    staff.shot("30-guide-console").await;
    public.go("/a/1/reports/2025").await;
    public.shot("31-annual-report-published").await;

    let _ = public.client.close().await;
    let _ = staff.client.close().await;
    drop(driver);
    step("done");
}

/// The supervising office's review: the county's season, a folder of
/// reports uploaded, the unmatched one assigned, the worst agency opened
/// with its marked cells, its 整改通知 downloaded; what it may not do.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_review_of_a_season_in_a_browser() {
    use gongkai_report::sample::{consistent_report_for, Rng};
    let Some((driver_program, chromium)) = browser_programs() else {
        return;
    };
    let started = Instant::now();
    let step = |what: &str| eprintln!("[{:5.1}s] {what}", started.elapsed().as_secs_f32());
    let dir = tempfile::tempdir().expect("temp dir");
    let today = NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    let store = gongkai_store::Store::open(&dir.path().join("demo.db").to_string_lossy())
        .await
        .expect("store");
    gongkai_web::demo::fill(&store, today).await.expect("demo");
    // An agency of another county: outside the supervisor's region.
    store
        .ensure_agency("测试", "邻县人民政府")
        .await
        .expect("agency");
    let outside = store
        .agency_by_name("邻县人民政府")
        .await
        .expect("agency")
        .id;
    let base = serve_demo(store, today).await;
    let shots = screenshot_folder();
    let driver = start_driver(&driver_program);
    let b = open_browser(&driver, &chromium, &base, &shots).await;
    step("server and browser ready");

    b.login("county").await;
    b.go("/console/review").await;
    let text = b.main_text().await;
    assert!(
        text.contains("2025年度政府信息公开工作年度报告审查"),
        "{text}"
    );
    assert!(b.has("#review-table").await);
    assert!(b.has("#chart-status svg").await, "the charts are drawn");
    let apps = b
        .js(
            "return document.querySelector('#chart-applications svg').textContent;",
            vec![],
        )
        .await;
    assert!(
        apps.as_str()
            .is_some_and(|t| t.contains("2024年度") && t.contains("2025年度")),
        "applications by agency and year: {apps}"
    );
    assert!(
        !text.contains("邻县人民政府"),
        "another county's agency is not listed"
    );
    b.shot("40-review-dashboard").await;
    b.find("#charts-pdf").await.click().await.expect("download");
    let (_, pdf) = b.downloaded(".pdf").await;
    assert!(pdf.starts_with(b"%PDF"), "the charts as a PDF");
    b.find("#export-xlsx")
        .await
        .click()
        .await
        .expect("download");
    let (_, xlsx) = b.downloaded(".xlsx").await;
    let book = gongkai_read::xlsx::open(&xlsx).expect("the table as a workbook");
    assert_eq!(
        book.sheets[0].shown_at(0, 0).as_deref(),
        Some("机关名称"),
        "the review table's header"
    );
    assert!(book.sheets[0].rows().len() >= 11, "a row per agency");
    step("the season's table");

    // A folder of two reports: one names its agency in a way the roster
    // does not know; the other is matched.
    let folder = tempfile::tempdir().expect("folder");
    let mut rng = Rng::new(77);
    let mut unmatched = consistent_report_for(&mut rng, "城关镇政府", 2025, None);
    unmatched.agency = Some("城关镇政府".into());
    let a = folder.path().join("城关2025年报.md");
    std::fs::write(
        &a,
        gongkai_write::write(gongkai_write::Format::Markdown, &unmatched),
    )
    .unwrap();
    let matched = consistent_report_for(&mut rng, "示例县城关镇人民政府", 2024, None);
    let m = folder
        .path()
        .join("示例县城关镇人民政府2024年政府信息公开工作年度报告.md");
    std::fs::write(
        &m,
        gongkai_write::write(gongkai_write::Format::Markdown, &matched),
    )
    .unwrap();
    b.go("/console/review/files").await;
    b.find("#review-files")
        .await
        .send_keys(&format!("{}\n{}", a.display(), m.display()))
        .await
        .expect("choose the files");
    b.click_and_wait("#review-upload").await;
    let message = b.text("#review-message").await;
    assert!(
        message.contains("已收集 2 份报告，其中 1 份需要处理"),
        "{message}"
    );
    b.shot("41-review-files").await;
    // The unmatched one, assigned.
    let id = b
        .js(
            "return [...document.querySelectorAll('#review-files-table tr.unmatched')]
               .find(r => r.textContent.includes('城关2025年报.md')).dataset.file;",
            vec![],
        )
        .await
        .as_str()
        .expect("the unmatched file is listed")
        .to_string();
    b.select(
        &format!("tr[data-file='{id}'] select[name=agency]"),
        "示例县城关镇人民政府",
    )
    .await;
    b.fill(&format!("tr[data-file='{id}'] input[name=year]"), "2025")
        .await;
    b.click_and_wait(&format!("tr[data-file='{id}'] button[type=submit]"))
        .await;
    assert!(!b.has(&format!("tr[data-file='{id}'].unmatched")).await);
    assert!(b
        .text(&format!("tr[data-file='{id}']"))
        .await
        .contains("示例县城关镇人民政府 · 2025年度"));
    step("uploaded, the unmatched one assigned");

    // The worst agency, opened: its marked cells and its notice.
    b.go("/console/review").await;
    let worst = b
        .text("#review-table tbody tr:first-child td:first-child")
        .await;
    assert!(worst.contains("示例县交通运输局"), "{worst}");
    b.click_and_wait("#review-table tbody tr:first-child td:first-child a")
        .await;
    assert!(
        b.has("#report-text td.fault").await,
        "the faulty cells are marked"
    );
    let findings = b.text("#findings").await;
    assert!(findings.contains("GK010"), "{findings}");
    assert!(
        findings.contains("表三 三、本年度办理结果 · （一）予以公开 / 自然人"),
        "{findings}"
    );
    assert!(findings.contains("第 "), "the source position: {findings}");
    assert!(b.text("#deductions").await.contains("−"));
    b.shot("42-review-worst-agency").await;
    b.find("#notice").await.click().await.expect("download");
    let (name, docx) = b.downloaded(".docx").await;
    assert!(
        name.contains("整改通知") || name.ends_with(".docx"),
        "{name}"
    );
    let doc = gongkai_read::read_document(gongkai_read::Format::Docx, &docx).expect("a Word file");
    let words: String = doc.blocks.iter().map(|x| format!("{x:?}")).collect();
    assert!(words.contains("整改通知"), "{words}");
    assert!(words.contains("表三行合计不符"), "{words}");
    step("the worst agency and its notice");

    // Copied narrative: the 水利局 took the 卫生健康局's problems section,
    // which repeats its own of last year; the offices on the platform that
    // published gongkai's draft as written copied nothing from each other.
    b.go("/console/review?year=2025&rule=GK042").await;
    let copied = b.text("#review-table tbody").await;
    assert!(
        copied.contains("示例县水利局") && copied.contains("示例县卫生健康局"),
        "{copied}"
    );
    assert!(!copied.contains("示例县发展和改革局"), "{copied}");
    assert_eq!(
        b.js(
            "return document.querySelectorAll('#review-table tbody tr').length;",
            vec![]
        )
        .await,
        json!(2)
    );
    // The copied section, side by side with its source.
    b.go("/console/review?year=2025&rule=GK042&q=水利局").await;
    b.click_and_wait("#review-table tbody tr:first-child td:first-child a")
        .await;
    b.click_and_wait("#copied a.copy-link").await;
    assert!(
        b.has("#copy-own mark").await,
        "the shared passages are marked"
    );
    assert!(b.has("#copy-other mark").await);
    assert!(
        b.text("#copy-other").await.contains("卫生健康"),
        "the source is the 卫生健康局's"
    );
    b.shot("44-review-copy").await;
    step("a copied section side by side");

    // The sum and the rankings.
    b.go("/console/review/aggregate").await;
    assert!(b.text("#included").await.trim().parse::<u32>().unwrap() >= 8);
    assert!(b.has("#rankings").await);
    b.shot("43-review-aggregate").await;
    // The rankings in full: every agency's key figures, most applications first.
    b.find("#figures-xlsx")
        .await
        .click()
        .await
        .expect("download");
    let (_, xlsx) = b.downloaded(".xlsx").await;
    let rows = gongkai_read::table::rows("主要数据.xlsx", &xlsx).expect("a workbook");
    assert_eq!(rows[0].1[5], "本年新收政府信息公开申请数量");
    assert_eq!(rows.len(), 11, "a header and a row per agency");
    let received: Vec<i64> = rows[1..]
        .iter()
        .filter_map(|r| r.1.get(5).and_then(|v| v.parse().ok()))
        .collect();
    assert!(
        received.len() >= 8 && received.windows(2).all(|w| w[0] >= w[1]),
        "{received:?}"
    );

    // What a supervisor may not do: change an agency's data, or see one
    // outside its region.
    let csrf = b
        .js(
            "return document.querySelector('input[name=_csrf]').value;",
            vec![],
        )
        .await;
    let status = b
        .client
        .execute_async(
            "const [csrf, done] = arguments;
             fetch('/console/cases/new', {method: 'POST', redirect: 'manual',
               body: new URLSearchParams({_csrf: csrf, agency: '2', kind: 'natural_person', name: '某某', channel: 'letter', received: '2026-03-01', request: '测试'})})
             .then(r => done(r.status), e => done(String(e)));",
            vec![csrf],
        )
        .await
        .expect("fetch");
    assert_eq!(status, json!(403), "a supervisor registers no case");
    assert_eq!(
        b.status_of(&format!("/console/review/a/{outside}/2025"), json!({}))
            .await,
        404
    );
    b.go("/console/review/files").await;
    let forged = b
        .client
        .execute_async(
            "const [csrf, id, done] = arguments;
             fetch('/console/review/files/' + id + '/assign', {method: 'POST', redirect: 'manual',
               body: new URLSearchParams({_csrf: csrf, agency: '邻县人民政府', year: '2025'})})
             .then(r => done(r.status), e => done(String(e)));",
            vec![
                b.js(
                    "return document.querySelector('input[name=_csrf]').value;",
                    vec![],
                )
                .await,
                json!(id),
            ],
        )
        .await
        .expect("fetch");
    assert_eq!(
        forged,
        json!(404),
        "a report is not given to another county's agency"
    );
    // Script in a file name is shown as text.
    let hostile = folder.path().join("<img src=x onerror=alert(1)>.md");
    std::fs::copy(&a, &hostile).unwrap();
    b.find("#review-files")
        .await
        .send_keys(&hostile.display().to_string())
        .await
        .expect("choose the file");
    b.click_and_wait("#review-upload").await;
    b.no_dialog("the file list").await;
    assert!(b
        .text("#review-files-table")
        .await
        .contains("<img src=x onerror=alert(1)>.md"));
    assert!(b.text("#review-files-table").await.contains("重复文件"));
    step("what a supervisor may not do");

    // The roster: a file with bad rows is refused whole, each row named.
    b.go("/console/review/roster").await;
    assert!(
        b.text("#roster-table").await.contains("示例县教育局"),
        "a former name is listed"
    );
    let bad = folder.path().join("名单（有误）.csv");
    std::fs::write(
        &bad,
        "机关名称,曾用名,类别,地区,层级,上级机关\n\
         示例县河东乡人民政府,,人民政府,示例县,乡级,\n\
         示例县商务局,,局,示例县,县级,\n\
         示例县商务局二,,部门,示例县,县级,不存在的上级\n",
    )
    .unwrap();
    b.find("#roster-file")
        .await
        .send_keys(&bad.display().to_string())
        .await
        .expect("choose the roster");
    b.click_and_wait("#roster-upload").await;
    let errors = b.text("#roster-errors").await;
    assert!(
        errors.contains("第 3 行") && errors.contains("第 4 行"),
        "{errors}"
    );
    assert!(!b
        .text("#roster-table")
        .await
        .contains("示例县河东乡人民政府"));
    // A good one: an agency added, one renamed by its former name, and a
    // former name that matches the report nobody could place.
    let good = folder.path().join("名单.csv");
    std::fs::write(
        &good,
        "机关名称,曾用名,类别,地区,层级,上级机关\n\
         示例县河东乡人民政府,,人民政府,示例县,乡级,\n\
         示例县水务局,示例县水利局,部门,示例县,县级,\n\
         示例县河西乡人民政府,河西乡政府,人民政府,示例县,乡级,\n",
    )
    .unwrap();
    b.find("#roster-file")
        .await
        .send_keys(&good.display().to_string())
        .await
        .expect("choose the roster");
    b.click_and_wait("#roster-upload").await;
    let message = b.text("#roster-message").await;
    assert!(
        message.contains("新增 1 个单位，更新 2 个单位（其中 1 个按曾用名更名）"),
        "{message}"
    );
    assert!(
        message.contains("有 1 份已对应到单位"),
        "the 河西乡 report is matched now: {message}"
    );
    let table = b.text("#roster-table").await;
    assert!(table.contains("示例县河东乡人民政府") && table.contains("示例县水务局"));
    // A roster of one row, under an agency already there.
    let one = folder.path().join("新增.csv");
    std::fs::write(
        &one,
        "机关名称,上级机关\n示例县城关镇财政所,示例县城关镇人民政府\n",
    )
    .unwrap();
    b.find("#roster-file")
        .await
        .send_keys(&one.display().to_string())
        .await
        .expect("choose the roster");
    b.click_and_wait("#roster-upload").await;
    assert!(
        b.text("#roster-message").await.contains("新增 1 个单位"),
        "{}",
        b.main_text().await
    );
    let added = b
        .js(
            "return [...document.querySelectorAll('#roster-table tbody tr')]
               .find(r => r.cells[0].textContent.trim() === '示例县城关镇财政所').cells[5].textContent.trim();",
            vec![],
        )
        .await;
    assert_eq!(added, json!("示例县城关镇人民政府"));
    assert!(!table.contains("示例县水利局\t"), "renamed, not kept twice");
    // Renamed by hand; a former name with markup stays text.
    b.roster_change("示例县交通运输局", "rename", "name", "示例县交通局")
        .await;
    assert!(b
        .text("#roster-message")
        .await
        .contains("已更名为“示例县交通局”"));
    b.roster_change(
        "示例县卫生健康局",
        "former",
        "former",
        "<script>alert(1)</script>卫生局",
    )
    .await;
    b.no_dialog("the roster").await;
    assert!(b
        .text("#roster-table")
        .await
        .contains("<script>alert(1)</script>卫生局"));
    b.shot("45-review-roster").await;
    // Found by a former name.
    b.go("/console/review/roster?q=水利").await;
    assert_eq!(
        b.js("return [...document.querySelectorAll('#roster-table tbody tr')].map(r => r.cells[0].textContent.trim());", vec![])
            .await,
        json!(["示例县水务局"])
    );
    b.go("/console/review/roster").await;
    // The roster as a workbook, to edit and import again.
    b.find("#roster-download")
        .await
        .click()
        .await
        .expect("download");
    let (_, xlsx) = b.downloaded(".xlsx").await;
    let rows = gongkai_read::table::rows("名单.xlsx", &xlsx).expect("the roster as a workbook");
    assert_eq!(rows[0].1[0], "机关名称");
    assert!(rows
        .iter()
        .any(|r| r.1[0] == "示例县水务局" && r.1[1] == "示例县水利局"));
    // Forged: another county's agency renamed; an agency on the portal renamed.
    let csrf = b
        .js(
            "return document.querySelector('input[name=_csrf]').value;",
            vec![],
        )
        .await;
    let post = |path: &'static str, body: Value| {
        let client = b.client.clone();
        async move {
            client
                .execute_async(
                    "const [path, body, done] = arguments;
                     fetch(path, {method: 'POST', redirect: 'manual', body: new URLSearchParams(body)})
                     .then(r => done(r.status), e => done(String(e)));",
                    vec![json!(path), body],
                )
                .await
                .expect("fetch")
        }
    };
    assert_eq!(
        post(
            "/console/review/roster/rename",
            json!({"_csrf": csrf, "agency": "邻县人民政府", "name": "邻县政府"})
        )
        .await,
        json!(404)
    );
    assert_eq!(
        post(
            "/console/review/roster/rename",
            json!({"_csrf": csrf, "agency": "示例县发展和改革局", "name": "示例县发展改革局"})
        )
        .await,
        json!(422),
        "an agency on the portal keeps its name"
    );
    assert_eq!(
        post(
            "/console/review/roster/rename",
            json!({"_csrf": "forged", "agency": "示例县水务局", "name": "示例县水务局改"})
        )
        .await,
        json!(403)
    );
    // An oversized roster is refused before it is read.
    let big = b
        .client
        .execute_async(
            "const [csrf, done] = arguments;
             const form = new FormData();
             form.append('_csrf', csrf);
             form.append('roster', new Blob([new Uint8Array(6 * 1024 * 1024)]), '名单.csv');
             fetch('/console/review/roster', {method: 'POST', body: form, redirect: 'manual'})
             .then(r => done(r.status), e => done(String(e)));",
            vec![csrf.clone()],
        )
        .await
        .expect("fetch");
    assert_eq!(big, json!(413), "an oversized roster");
    step("the roster imported, renamed, downloaded");

    // One agency year on year: the renamed 水务局 keeps its three years.
    let href = b
        .js(
            "return [...document.querySelectorAll('#roster-table td a')]
               .find(a => a.textContent === '示例县水务局').getAttribute('href');",
            vec![],
        )
        .await;
    b.go(href.as_str().expect("a link")).await;
    let years = b.text("#agency-years").await;
    for y in ["2023", "2024", "2025"] {
        assert!(years.contains(y), "{years}");
    }
    assert!(
        years.contains("逾期"),
        "this year's report was late: {years}"
    );
    assert_eq!(
        b.js(
            "return document.querySelectorAll('#agency-years a').length;",
            vec![]
        )
        .await,
        json!(3),
        "each year's report opens"
    );
    assert!(b
        .text("#agency-facts")
        .await
        .contains("曾用名：示例县水利局"));
    assert!(b.has("#agency-figures td.num").await);
    assert!(b.has("#chart-years-applications svg").await);
    b.shot("46-review-agency-years").await;
    assert_eq!(
        b.status_of(&format!("/console/review/a/{outside}"), json!({}))
            .await,
        404
    );

    // The thresholds: no section is long enough to compare, so none is copied.
    b.go("/console/review").await;
    assert!(b.text("#review-table").await.contains("GK042"));
    b.find("#review-settings summary")
        .await
        .click()
        .await
        .expect("open");
    b.fill("#review-settings input[name=min_chars]", "5000")
        .await;
    b.click_and_wait("#save-settings").await;
    assert!(b.main_text().await.contains("少于 5000 字的不比较"));
    assert!(!b.text("#review-table").await.contains("GK042"));
    let csrf = b
        .js(
            "return document.querySelector('input[name=_csrf]').value;",
            vec![],
        )
        .await;
    assert_eq!(
        post(
            "/console/review/settings",
            json!({"_csrf": csrf, "year": "2025", "copy": "5", "min_chars": "80", "ratio": "50", "items": "20"})
        )
        .await,
        json!(422),
        "a threshold out of range"
    );
    step("the thresholds");

    let _ = b.client.close().await;
    drop(driver);
    step("done");
}
