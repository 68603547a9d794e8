//! The web system over HTTP: the real server on a random port, on SQLite and
//! (when `GONGKAI_TEST_POSTGRES` names a server) on PostgreSQL, driven by a
//! plain HTTP client as a browser or a CMS would.

#[path = "../../store/tests/common/mod.rs"]
mod common;

use std::net::SocketAddr;

use chrono::NaiveDate;
use gongkai_store::{Role, Store};
use gongkai_web::{hash_password, AppState, Config};

const PASSWORD: &str = "correct-horse";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).expect("date")
}

struct Site {
    addr: SocketAddr,
    agent: ureq::Agent,
}

struct Answer {
    status: u16,
    location: String,
    cookie: Option<String>,
    body: String,
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

impl Site {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn answer(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
        let mut r = r.expect("the server answers");
        let location = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let cookie = r
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(str::to_string);
        let status = r.status().as_u16();
        let body = r
            .body_mut()
            .with_config()
            .limit(20 * 1024 * 1024)
            .read_to_string()
            .unwrap_or_default();
        Answer {
            status,
            location,
            cookie,
            body,
        }
    }

    fn get(&self, path: &str, cookie: &str) -> Answer {
        Self::answer(self.agent.get(self.url(path)).header("Cookie", cookie).call())
    }

    fn post(&self, path: &str, cookie: &str, form: &[(&str, &str)]) -> Answer {
        Self::answer(
            self.agent
                .post(self.url(path))
                .header("Cookie", cookie)
                .send_form(form.iter().copied()),
        )
    }

    fn api(&self, path: &str, token: &str, json: Option<&str>) -> Answer {
        let auth = format!("Bearer {token}");
        let r = match json {
            Some(body) => self
                .agent
                .post(self.url(path))
                .header("Authorization", &auth)
                .content_type("application/json")
                .send(body),
            None => self
                .agent
                .get(self.url(path))
                .header("Authorization", &auth)
                .call(),
        };
        Self::answer(r)
    }

    /// Signs in; the session cookie.
    fn login(&self, login: &str) -> String {
        let a = self.post("/login", "", &[("login", login), ("password", PASSWORD)]);
        assert_eq!(a.status, 303, "{login} signs in: {}", a.body);
        a.cookie.expect("a session cookie")
    }

    /// The form token of the session.
    fn csrf(&self, cookie: &str) -> String {
        let page = self.get("/console/users", cookie).body;
        between(&page, "name=\"_csrf\" value=\"", "\"").to_string()
    }
}

fn between<'a>(s: &'a str, from: &str, to: &str) -> &'a str {
    let i = s.find(from).map(|i| i + from.len()).unwrap_or(s.len());
    let j = s[i..].find(to).map(|j| i + j).unwrap_or(s.len());
    &s[i..j]
}

async fn serve(store: Store) -> SocketAddr {
    let state = AppState::new(
        store,
        Config {
            today: Some(today()),
            secure_cookies: false,
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(gongkai_web::serve_on(state, listener));
    addr
}

/// Two agencies with a clerk and a leader each; the server on port 0.
fn start(rt: &tokio::runtime::Runtime, url: &str) -> (Site, i64, i64) {
    let (addr, a, b) = rt.block_on(async {
        let store = Store::open(url).await.expect("store");
        let hash = hash_password(PASSWORD);
        for name in ["甲县住房和城乡建设局", "乙县自然资源局"] {
            store.ensure_agency("测试", name).await.expect("agency");
        }
        for (login, role, agency) in [
            ("clerk_a", Role::Clerk, Some("甲县住房和城乡建设局")),
            ("leader_a", Role::Leader, Some("甲县住房和城乡建设局")),
            ("clerk_b", Role::Clerk, Some("乙县自然资源局")),
            ("admin", Role::Admin, None),
        ] {
            store
                .create_user("测试", login, login, &hash, role, agency, false)
                .await
                .expect("user");
        }
        let a = store.agency_by_name("甲县住房和城乡建设局").await.expect("a").id;
        let b = store.agency_by_name("乙县自然资源局").await.expect("b").id;
        (serve(store).await, a, b)
    });
    (
        Site {
            addr,
            agent: agent(),
        },
        a,
        b,
    )
}

fn application<'a>(key: &'a str, name: &'a str, request: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("kind", "natural_person"),
        ("name", name),
        ("id_document", "居民身份证 110101199001011234"),
        ("phone", "0512-12345678"),
        ("email", "zhang@example.cn"),
        ("address", "某市某区某路1号"),
        ("request", request),
        ("form", "电子文档"),
        ("delivery", "电子邮件"),
        ("form_key", key),
    ]
}

const KEY1: &str = "1111111111111111111111111111111111111111111111111111111111111111";
const KEY2: &str = "2222222222222222222222222222222222222222222222222222222222222222";
const PUSHED: &str = r#"{"kind":"natural_person","name":"李四","id_document":"居民身份证 x","phone":"13800000000","request":"某项目环评批复","form":"纸质","delivery":"邮寄","address":"某路2号","form_key":"cms-0001"}"#;

#[test]
fn the_whole_story_on_every_database() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let dbs = rt.block_on(common::databases("web_story"));
    for db in dbs {
        let (site, a, b) = start(&rt, &db.url);
        story(&site, a, b, &db.label);
        one_site_on_two_servers(&rt, &site, &db.url, a, &db.label);
        rt.block_on(db.drop_database());
    }
}

/// A second process on the same database is the same site: a session begun
/// on one server is valid on the other, and an application submitted to one
/// is on the other's list.
fn one_site_on_two_servers(rt: &tokio::runtime::Runtime, first: &Site, url: &str, a: i64, label: &str) {
    let addr = rt.block_on(async { serve(Store::open(url).await.expect("store")).await });
    let second = Site {
        addr,
        agent: agent(),
    };
    let clerk = first.login("clerk_a");
    assert_eq!(second.get("/console", &clerk).status, 200, "{label}: the session holds on the second server");
    let key = "3333333333333333333333333333333333333333333333333333333333333333";
    let receipt = second.post(&format!("/a/{a}/apply"), "", &application(key, "赵六", "某道路工程批复"));
    assert_eq!(receipt.status, 200, "{label}");
    let number = between(&receipt.body, "id=\"number\">", "<").to_string();
    let listed = first.get("/console/cases?q=赵六", &clerk).body;
    assert!(listed.contains(&number), "{label}: {number} on the first server's list");
    let logout_csrf = second.csrf(&clerk);
    assert_eq!(second.post("/logout", &clerk, &[("_csrf", &logout_csrf)]).status, 303, "{label}");
    assert_eq!(first.get("/console", &clerk).status, 303, "{label}: signed out on both");
}

fn story(site: &Site, a: i64, b: i64, label: &str) {
    // The portal lists the agencies.
    let home = site.get("/", "");
    assert_eq!(home.status, 200, "{label}");
    assert!(home.body.contains("甲县住房和城乡建设局"), "{label}");

    // A refused application keeps what was typed and says what is wrong.
    let refused = site.post(&format!("/a/{a}/apply"), "", &application(KEY1, "张三", ""));
    assert_eq!(refused.status, 422, "{label}");
    assert!(refused.body.contains("请填写所需信息的名称"), "{label}");
    assert!(refused.body.contains("value=\"张三\""), "{label}: the name is kept");
    assert!(refused.body.contains("0512-12345678"), "{label}: the phone is kept");

    // Submitted: a number and a lookup code; the same form again makes no second case.
    let form = application(KEY1, "张三", "2025年某小区规划许可证及附图");
    let receipt = site.post(&format!("/a/{a}/apply"), "", &form);
    assert_eq!(receipt.status, 200, "{label}: {}", receipt.body);
    let number = between(&receipt.body, "id=\"number\">", "<").to_string();
    let code = between(&receipt.body, "id=\"code\">", "<").to_string();
    assert_eq!(number, "2026-0001", "{label}");
    assert_eq!(code.len(), 12, "{label}");
    let again = site.post(&format!("/a/{a}/apply"), "", &form);
    assert!(again.body.contains("这份申请已经提交过"), "{label}");
    assert!(again.body.contains(&number), "{label}");
    assert!(!again.body.contains(&code), "{label}: the code is shown once");

    // Hostile text in every field is escaped wherever it is shown.
    let hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>";
    let second = site.post(
        &format!("/a/{a}/apply"),
        "",
        &application(KEY2, hostile, hostile),
    );
    assert_eq!(second.status, 200, "{label}: {}", second.body);

    // The applicant looks it up: a wrong code and an unknown number say the same.
    let a_s = a.to_string();
    let wrong = site.post(
        "/lookup",
        "",
        &[("agency", &a_s), ("number", &number), ("code", "WRONGCODE234")],
    );
    assert_eq!(wrong.status, 422, "{label}");
    assert!(wrong.body.contains("不正确"), "{label}");
    let look = || {
        site.post(
            "/lookup",
            "",
            &[("agency", &a_s), ("number", &number), ("code", &code)],
        )
    };
    let status = look();
    assert!(status.body.contains("办理中"), "{label}: {}", status.body);
    assert!(
        status.body.contains("2026-03-30"),
        "{label}: 20 working days from 2026-03-02"
    );

    // The clerk of agency A.
    let clerk = site.login("clerk_a");
    let dash = site.get("/console", &clerk);
    assert_eq!(dash.status, 200, "{label}");
    assert!(dash.body.contains(&number), "{label}: the dashboard lists the case");
    let page = format!("/console/case/{a}/{number}");
    let action = format!("{page}/action");
    let csrf = site.csrf(&clerk);
    assert_eq!(csrf.len(), 64, "{label}");

    // A form without the session's token is refused and changes nothing.
    let forged = site.post(&action, &clerk, &[("action", "withdrawn")]);
    assert_eq!(forged.status, 403, "{label}");

    let act = |fields: &[(&str, &str)]| {
        let mut f = vec![("_csrf", csrf.as_str())];
        f.extend_from_slice(fields);
        site.post(&action, &clerk, &f)
    };
    let done = act(&[
        ("action", "correction_requested"),
        ("until", "2026-03-16"),
        ("note", "请写明许可证的文号"),
    ]);
    assert_eq!(done.status, 303, "{label}: {}", done.body);
    assert!(look().body.contains("等待补正"), "{label}");
    // A date in the future is refused on the page, with the form kept.
    let future = act(&[("action", "correction_received"), ("on", "2026-04-01")]);
    assert_eq!(future.status, 422, "{label}");
    assert!(future.body.contains("不能预先登记"), "{label}");
    assert_eq!(
        act(&[("action", "correction_received"), ("on", "2026-03-02")]).status,
        303,
        "{label}"
    );
    assert_eq!(
        act(&[("action", "consultation_started"), ("party", "某房地产开发有限公司")]).status,
        303,
        "{label}"
    );
    assert_eq!(act(&[("action", "consultation_ended")]).status, 303, "{label}");
    assert_eq!(
        act(&[("action", "extension"), ("days", "20"), ("note", "需要调取档案")]).status,
        303,
        "{label}"
    );
    let shown = site.get(&page, &clerk).body;
    assert!(shown.contains("待审批"), "{label}");

    // Only a leader approves; the extension then counts in the deadline.
    assert!(!shown.contains("/console/approvals/"), "{label}: a clerk is not offered the decision");
    let leader = site.login("leader_a");
    let leader_csrf = site.csrf(&leader);
    let for_leader = site.get(&page, &leader).body;
    let approval = between(&for_leader, "action=\"/console/approvals/", "\"").to_string();
    assert!(approval.parse::<i64>().is_ok(), "{label}: {approval}");
    let by_clerk = site.post(
        &format!("/console/approvals/{approval}"),
        &clerk,
        &[("_csrf", &csrf), ("decision", "approve")],
    );
    assert_eq!(by_clerk.status, 403, "{label}");
    let approved = site.post(
        &format!("/console/approvals/{approval}"),
        &leader,
        &[("_csrf", &leader_csrf), ("decision", "approve"), ("back", &page)],
    );
    assert_eq!(approved.status, 303, "{label}: {}", approved.body);
    let shown = site.get(&page, &clerk).body;
    let deadline = between(&shown, "id=\"deadline\"", "</section>");
    assert!(deadline.contains("同意延长答复期限20个工作日"), "{label}: {deadline}");
    // The 40th working day after 2026-03-02: 21 in March (3rd–31st), then
    // April 1–3, 7–10 (the 6th is 清明), 13–17, 20–24, 27 and 28.
    assert!(deadline.contains("答复期限：2026-04-28"), "{label}: {deadline}");
    assert!(deadline.contains("2026-04-06（星期一）法定节假日"), "{label}: {deadline}");

    // The reply, previewed then recorded; the letter is downloaded by both.
    let reply = [
        ("outcome", "partially_granted"),
        ("reason", "附图涉及第三方商业秘密，已作区分处理"),
    ];
    let mut preview = reply.to_vec();
    preview.push(("action", "preview"));
    let previewed = act(&preview);
    assert_eq!(previewed.status, 200, "{label}");
    assert!(previewed.body.contains("id=\"letter-preview\""), "{label}");
    assert!(previewed.body.contains("张三："), "{label}");
    let mut record = reply.to_vec();
    record.push(("action", "replied"));
    assert_eq!(act(&record).status, 303, "{label}");
    let letter = site.get(&format!("{page}/letter?format=txt"), &clerk);
    assert_eq!(letter.status, 200, "{label}");
    assert!(letter.body.contains("附图涉及第三方商业秘密"), "{label}");
    assert!(look().body.contains("已办结"), "{label}");
    let public_letter = site.post(
        "/lookup/letter",
        "",
        &[("agency", &a_s), ("number", &number), ("code", &code), ("format", "txt")],
    );
    assert_eq!(public_letter.body, letter.body, "{label}");
    for (format, magic) in [("docx", "PK"), ("pdf", "%PDF")] {
        let file = site.agent.post(site.url("/lookup/letter")).send_form([
            ("agency", a_s.as_str()),
            ("number", number.as_str()),
            ("code", code.as_str()),
            ("format", format),
        ]);
        let mut file = file.expect("letter file");
        assert_eq!(file.status().as_u16(), 200, "{label}: {format}");
        let bytes = file.body_mut().read_to_vec().expect("bytes");
        assert!(bytes.starts_with(magic.as_bytes()), "{label}: {format}");
    }

    // The annual report counts it.
    let report = site.get(&format!("/console/report?agency={a}&year=2026"), &clerk);
    assert_eq!(report.status, 200, "{label}");
    let json = site.get(
        &format!("/console/report/download?agency={a}&year=2026&format=json"),
        &clerk,
    );
    let json: serde_json::Value = serde_json::from_str(&json.body).expect("json report");
    assert_eq!(
        json["cells"]["t3.partially_granted.natural_person"], 1,
        "{label}: {}",
        json["cells"]["t3.partially_granted.natural_person"]
    );

    // The list exported: the filters apply, every case they select is in it.
    let mut xlsx = site
        .agent
        .get(site.url("/console/cases.xlsx?q=张三"))
        .header("Cookie", &clerk)
        .call()
        .expect("export");
    assert_eq!(xlsx.status().as_u16(), 200, "{label}");
    let bytes = xlsx.body_mut().read_to_vec().expect("bytes");
    assert!(bytes.starts_with(b"PK"), "{label}");
    let csv = site.get("/console/cases.csv?q=张三", &clerk).body;
    assert!(csv.starts_with('\u{feff}'), "{label}");
    assert_eq!(csv.lines().count(), 2, "{label}: the header and 张三's case: {csv}");
    assert!(csv.contains(&number) && csv.contains("部分公开"), "{label}");

    // Escaped on the clerk's pages.
    let list = site.get("/console/cases?q=alert", &clerk).body;
    assert!(list.contains("2026-0002"), "{label}");
    assert!(!list.contains("<script>alert(1)</script>"), "{label}");
    assert!(list.contains("&lt;script&gt;"), "{label}");
    let hostile_page = site.get(&format!("/console/case/{a}/2026-0002"), &clerk).body;
    assert!(!hostile_page.contains("<img src=x"), "{label}");

    // Another agency's clerk: not found, by page, letter, search and API.
    let other = site.login("clerk_b");
    assert_eq!(site.get(&page, &other).status, 404, "{label}");
    assert_eq!(
        site.get(&format!("{page}/letter?format=txt"), &other).status,
        404,
        "{label}"
    );
    let search = site.get(&format!("/console/cases?q={number}"), &other).body;
    assert!(search.contains("没有符合条件的申请"), "{label}");
    let other_csrf = site.csrf(&other);
    let tokens = site.post(
        "/console/tokens",
        &other,
        &[("_csrf", &other_csrf), ("name", "门户网站申请表")],
    );
    let token = between(&tokens.body, "id=\"new-token\">", "<").to_string();
    assert!(token.starts_with("gk_"), "{label}: {}", tokens.status);
    let api = site.api(&format!("/api/v1/cases/{a}/{number}"), &token, None);
    assert_eq!(api.status, 404, "{label}: {}", api.body);
    let mine = site.api("/api/v1/cases", &token, None);
    assert!(mine.body.contains("\"total\":0"), "{label}: {}", mine.body);
    let push = site.api(&format!("/api/v1/agencies/{a}/applications"), &token, Some(PUSHED));
    assert_eq!(push.status, 404, "{label}: pushing into another agency");
    let own = site.api(&format!("/api/v1/agencies/{b}/applications"), &token, Some(PUSHED));
    assert_eq!(own.status, 201, "{label}: {}", own.body);
    let twice = site.api(&format!("/api/v1/agencies/{b}/applications"), &token, Some(PUSHED));
    assert_eq!(twice.status, 200, "{label}: the same push again");
    assert!(twice.body.contains("\"created\":false"), "{label}");
    assert_eq!(site.api("/api/v1/cases", "gk_forged", None).status, 403, "{label}");
    let pushed = between(&own.body, "\"number\":\"", "\"").to_string();
    let ask = site.api(
        &format!("/api/v1/cases/{b}/{pushed}/extension"),
        &token,
        Some(r#"{"days": 10, "note": "需要调取档案"}"#),
    );
    assert_eq!(ask.status, 201, "{label}: {}", ask.body);
    let listed = site.api("/api/v1/approvals", &token, None);
    assert!(listed.body.contains("需要调取档案"), "{label}: {}", listed.body);
    let id = between(&ask.body, "\"approval\":", ",").trim().to_string();
    let by_clerk = site.api(&format!("/api/v1/approvals/{id}"), &token, Some(r#"{"approve": true}"#));
    assert_eq!(by_clerk.status, 403, "{label}: a clerk does not approve");
    let other_report = site.api(&format!("/api/v1/reports/{a}/2026"), &token, None);
    assert_eq!(other_report.status, 404, "{label}: another agency's report");
    let own_report = site.api(&format!("/api/v1/reports/{b}/2026"), &token, None);
    assert_eq!(own_report.status, 200, "{label}: {}", own_report.body);
    let r: serde_json::Value = serde_json::from_str(&own_report.body).expect("json");
    assert_eq!(r["report"]["cells"]["t3.new_received.natural_person"], 1, "{label}");

    // Limits and sign-in.
    // An oversized body is refused (413, or the connection closed while it
    // was still being sent) and nothing of it is stored.
    let big = "字".repeat(100_000);
    let oversized = site
        .agent
        .post(site.url(&format!("/a/{a}/apply")))
        .send_form(application(KEY1, "王五", &big));
    match oversized {
        Ok(r) => assert_eq!(r.status().as_u16(), 413, "{label}"),
        Err(ureq::Error::Io(e)) => assert!(
            matches!(e.kind(), std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset),
            "{label}: {e}"
        ),
        Err(e) => panic!("{label}: {e}"),
    }
    let stored = site.get("/console/cases?q=王五", &clerk).body;
    assert!(stored.contains("没有符合条件的申请"), "{label}");
    assert_eq!(site.get("/console", "").status, 303, "{label}: signed out goes to login");
    assert_eq!(site.get("/setup", "").location, "/login", "{label}: setup is done once");
    for _ in 0..5 {
        let wrong = site.post("/login", "", &[("login", "leader_a"), ("password", "guess")]);
        assert_eq!(wrong.status, 401, "{label}");
    }
    let locked = site.post("/login", "", &[("login", "leader_a"), ("password", PASSWORD)]);
    assert!(locked.body.contains("登录失败次数过多"), "{label}: {}", locked.status);
    let missing = site.get("/console/case/999/2026-0001", &clerk);
    assert_eq!(missing.status, 404, "{label}");
    assert!(
        !missing.body.contains("sqlx") && !missing.body.contains("SELECT"),
        "{label}"
    );
}

#[test]
fn the_first_start_sets_up_one_administrator() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let dir = tempfile::tempdir().expect("dir");
    let url = dir.path().join("setup.db").display().to_string();
    let addr = rt.block_on(async { serve(Store::open(&url).await.expect("store")).await });
    let site = Site {
        addr,
        agent: agent(),
    };
    assert_eq!(site.get("/login", "").location, "/setup");
    let short = site.post(
        "/setup",
        "",
        &[("login", "root"), ("display_name", "管理员"), ("password", "short"), ("password2", "short")],
    );
    assert_eq!(short.status, 422);
    assert!(short.body.contains("密码至少8个字符"));
    assert!(short.body.contains("value=\"root\""), "the login is kept");
    let made = site.post(
        "/setup",
        "",
        &[("login", "root"), ("display_name", "管理员"), ("password", PASSWORD), ("password2", PASSWORD)],
    );
    assert_eq!(made.status, 303);
    assert!(made.cookie.is_some(), "signed in at once");
    let second = site.post(
        "/setup",
        "",
        &[("login", "evil"), ("display_name", "x"), ("password", PASSWORD), ("password2", PASSWORD)],
    );
    assert_eq!(second.location, "/login", "a second setup is refused");
    let evil = site.post("/login", "", &[("login", "evil"), ("password", PASSWORD)]);
    assert_eq!(evil.status, 401);
}
