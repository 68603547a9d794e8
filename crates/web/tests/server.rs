//! The web system over HTTP: the real server on a random port, on SQLite and
//! (when `GONGKAI_TEST_POSTGRES` names a server) on PostgreSQL, driven by a
//! plain HTTP client as a browser or a CMS would.

#[allow(dead_code)] // the store tests use all of it; these tests only some
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
        Self::answer(
            self.agent
                .get(self.url(path))
                .header("Cookie", cookie)
                .call(),
        )
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
            index_dir: None,
            search_index: true,
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
                .create_user("测试", login, login, &hash, role, agency)
                .await
                .expect("user");
        }
        let a = store
            .agency_by_name("甲县住房和城乡建设局")
            .await
            .expect("a")
            .id;
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
fn one_site_on_two_servers(
    rt: &tokio::runtime::Runtime,
    first: &Site,
    url: &str,
    a: i64,
    label: &str,
) {
    let addr = rt.block_on(async { serve(Store::open(url).await.expect("store")).await });
    let second = Site {
        addr,
        agent: agent(),
    };
    let clerk = first.login("clerk_a");
    assert_eq!(
        second.get("/console", &clerk).status,
        200,
        "{label}: the session holds on the second server"
    );
    let key = "3333333333333333333333333333333333333333333333333333333333333333";
    let receipt = second.post(
        &format!("/a/{a}/apply"),
        "",
        &application(key, "赵六", "某道路工程批复"),
    );
    assert_eq!(receipt.status, 200, "{label}");
    let number = between(&receipt.body, "id=\"number\">", "<").to_string();
    let listed = first.get("/console/cases?q=赵六", &clerk).body;
    assert!(
        listed.contains(&number),
        "{label}: {number} on the first server's list"
    );
    let logout_csrf = second.csrf(&clerk);
    assert_eq!(
        second
            .post("/logout", &clerk, &[("_csrf", &logout_csrf)])
            .status,
        303,
        "{label}"
    );
    assert_eq!(
        first.get("/console", &clerk).status,
        303,
        "{label}: signed out on both"
    );
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
    assert!(
        refused.body.contains("value=\"张三\""),
        "{label}: the name is kept"
    );
    assert!(
        refused.body.contains("0512-12345678"),
        "{label}: the phone is kept"
    );

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
    assert!(
        !again.body.contains(&code),
        "{label}: the code is shown once"
    );

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
        &[
            ("agency", &a_s),
            ("number", &number),
            ("code", "WRONGCODE234"),
        ],
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
    assert!(
        dash.body.contains(&number),
        "{label}: the dashboard lists the case"
    );
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
        act(&[
            ("action", "consultation_started"),
            ("party", "某房地产开发有限公司")
        ])
        .status,
        303,
        "{label}"
    );
    assert_eq!(
        act(&[("action", "consultation_ended")]).status,
        303,
        "{label}"
    );
    assert_eq!(
        act(&[
            ("action", "extension"),
            ("days", "20"),
            ("note", "需要调取档案")
        ])
        .status,
        303,
        "{label}"
    );
    let shown = site.get(&page, &clerk).body;
    assert!(shown.contains("待审批"), "{label}");

    // Only a leader approves; the extension then counts in the deadline.
    assert!(
        !shown.contains("/console/approvals/"),
        "{label}: a clerk is not offered the decision"
    );
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
        &[
            ("_csrf", &leader_csrf),
            ("decision", "approve"),
            ("back", &page),
        ],
    );
    assert_eq!(approved.status, 303, "{label}: {}", approved.body);
    let shown = site.get(&page, &clerk).body;
    let deadline = between(&shown, "id=\"deadline\"", "</section>");
    assert!(
        deadline.contains("同意延长答复期限20个工作日"),
        "{label}: {deadline}"
    );
    // The 40th working day after 2026-03-02: 21 in March (3rd–31st), then
    // April 1–3, 7–10 (the 6th is 清明), 13–17, 20–24, 27 and 28.
    assert!(
        deadline.contains("答复期限：2026-04-28"),
        "{label}: {deadline}"
    );
    assert!(
        deadline.contains("2026-04-06（星期一）法定节假日"),
        "{label}: {deadline}"
    );

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
        &[
            ("agency", &a_s),
            ("number", &number),
            ("code", &code),
            ("format", "txt"),
        ],
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
    assert_eq!(
        csv.lines().count(),
        2,
        "{label}: the header and 张三's case: {csv}"
    );
    assert!(csv.contains(&number) && csv.contains("部分公开"), "{label}");

    // Escaped on the clerk's pages.
    let list = site.get("/console/cases?q=alert", &clerk).body;
    assert!(list.contains("2026-0002"), "{label}");
    assert!(!list.contains("<script>alert(1)</script>"), "{label}");
    assert!(list.contains("&lt;script&gt;"), "{label}");
    let hostile_page = site
        .get(&format!("/console/case/{a}/2026-0002"), &clerk)
        .body;
    assert!(!hostile_page.contains("<img src=x"), "{label}");

    // Another agency's clerk: not found, by page, letter, search and API.
    let other = site.login("clerk_b");
    assert_eq!(site.get(&page, &other).status, 404, "{label}");
    assert_eq!(
        site.get(&format!("{page}/letter?format=txt"), &other)
            .status,
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
    let push = site.api(
        &format!("/api/v1/agencies/{a}/applications"),
        &token,
        Some(PUSHED),
    );
    assert_eq!(push.status, 404, "{label}: pushing into another agency");
    let own = site.api(
        &format!("/api/v1/agencies/{b}/applications"),
        &token,
        Some(PUSHED),
    );
    assert_eq!(own.status, 201, "{label}: {}", own.body);
    let twice = site.api(
        &format!("/api/v1/agencies/{b}/applications"),
        &token,
        Some(PUSHED),
    );
    assert_eq!(twice.status, 200, "{label}: the same push again");
    assert!(twice.body.contains("\"created\":false"), "{label}");
    assert_eq!(
        site.api("/api/v1/cases", "gk_forged", None).status,
        403,
        "{label}"
    );
    let pushed = between(&own.body, "\"number\":\"", "\"").to_string();
    let ask = site.api(
        &format!("/api/v1/cases/{b}/{pushed}/extension"),
        &token,
        Some(r#"{"days": 10, "note": "需要调取档案"}"#),
    );
    assert_eq!(ask.status, 201, "{label}: {}", ask.body);
    let listed = site.api("/api/v1/approvals", &token, None);
    assert!(
        listed.body.contains("需要调取档案"),
        "{label}: {}",
        listed.body
    );
    let id = between(&ask.body, "\"approval\":", ",").trim().to_string();
    let by_clerk = site.api(
        &format!("/api/v1/approvals/{id}"),
        &token,
        Some(r#"{"approve": true}"#),
    );
    assert_eq!(by_clerk.status, 403, "{label}: a clerk does not approve");
    let other_report = site.api(&format!("/api/v1/reports/{a}/2026"), &token, None);
    assert_eq!(other_report.status, 404, "{label}: another agency's report");
    let own_report = site.api(&format!("/api/v1/reports/{b}/2026"), &token, None);
    assert_eq!(own_report.status, 200, "{label}: {}", own_report.body);
    let r: serde_json::Value = serde_json::from_str(&own_report.body).expect("json");
    assert_eq!(
        r["report"]["cells"]["t3.new_received.natural_person"], 1,
        "{label}"
    );

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
            matches!(
                e.kind(),
                std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset
            ),
            "{label}: {e}"
        ),
        Err(e) => panic!("{label}: {e}"),
    }
    let stored = site.get("/console/cases?q=王五", &clerk).body;
    assert!(stored.contains("没有符合条件的申请"), "{label}");
    assert_eq!(
        site.get("/console", "").status,
        303,
        "{label}: signed out goes to login"
    );
    assert_eq!(
        site.get("/setup", "").location,
        "/login",
        "{label}: setup is done once"
    );
    for _ in 0..5 {
        let wrong = site.post(
            "/login",
            "",
            &[("login", "leader_a"), ("password", "guess")],
        );
        assert_eq!(wrong.status, 401, "{label}");
    }
    let locked = site.post(
        "/login",
        "",
        &[("login", "leader_a"), ("password", PASSWORD)],
    );
    assert!(
        locked.body.contains("登录失败次数过多"),
        "{label}: {}",
        locked.status
    );
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
        &[
            ("login", "root"),
            ("display_name", "管理员"),
            ("password", "short"),
            ("password2", "short"),
        ],
    );
    assert_eq!(short.status, 422);
    assert!(short.body.contains("密码至少8个字符"));
    assert!(short.body.contains("value=\"root\""), "the login is kept");
    let made = site.post(
        "/setup",
        "",
        &[
            ("login", "root"),
            ("display_name", "管理员"),
            ("password", PASSWORD),
            ("password2", PASSWORD),
        ],
    );
    assert_eq!(made.status, 303);
    assert!(made.cookie.is_some(), "signed in at once");
    let second = site.post(
        "/setup",
        "",
        &[
            ("login", "evil"),
            ("display_name", "x"),
            ("password", PASSWORD),
            ("password2", PASSWORD),
        ],
    );
    assert_eq!(second.location, "/login", "a second setup is refused");
    let evil = site.post("/login", "", &[("login", "evil"), ("password", PASSWORD)]);
    assert_eq!(evil.status, 401);
}

/// A multipart form (an upload), as a browser sends it.
fn upload(
    site: &Site,
    path: &str,
    cookie: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> Result<Answer, ureq::Error> {
    upload_by(&site.agent, site, path, cookie, fields, file)
}

/// An upload too large to be read: on a connection of its own, which the
/// server closes without reading the rest.
fn oversized(
    site: &Site,
    path: &str,
    cookie: &str,
    fields: &[(&str, &str)],
    file: (&str, &[u8]),
) -> Result<Answer, ureq::Error> {
    upload_by(&agent(), site, path, cookie, fields, Some(file))
}

fn upload_by(
    agent: &ureq::Agent,
    site: &Site,
    path: &str,
    cookie: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> Result<Answer, ureq::Error> {
    const BOUNDARY: &str = "----gongkai-test-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    agent
        .post(site.url(path))
        .header("Cookie", cookie)
        .content_type(format!("multipart/form-data; boundary={BOUNDARY}"))
        .send(&body[..])
        .map(|r| Site::answer(Ok(r)))
}

/// Refused for its size: 413, or the connection closed while it was sent.
fn too_large(r: Result<Answer, ureq::Error>, label: &str) {
    match r {
        Ok(a) => {
            assert_eq!(a.status, 413, "{label}: {}", a.body);
            assert!(a.body.contains("超过"), "{label}: {}", a.body);
        }
        Err(ureq::Error::Io(e)) => assert!(
            matches!(
                e.kind(),
                std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset
            ),
            "{label}: {e}"
        ),
        Err(e) => panic!("{label}: {e}"),
    }
}

#[test]
fn the_other_ledgers_on_every_database() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let dbs = rt.block_on(common::databases("web_ledgers"));
    for db in dbs {
        let (site, a, b) = start(&rt, &db.url);
        other_ledgers(&site, a, b, &db.label);
        rt.block_on(db.drop_database());
    }
}

fn other_ledgers(site: &Site, a: i64, b: i64, label: &str) {
    let clerk = site.login("clerk_a");
    let csrf = site.csrf(&clerk);
    let a_s = a.to_string();
    let b_s = b.to_string();
    let hostile = "<script>alert(1)</script>";
    let post = |path: &str, fields: &[(&str, &str)]| {
        let mut f = vec![("_csrf", csrf.as_str())];
        f.extend_from_slice(fields);
        site.post(path, &clerk, &f)
    };

    // 规章和行政规范性文件: added, refused with the fields kept, edited, filtered.
    let page = site.get("/console/documents", &clerk);
    assert_eq!(page.status, 200, "{label}: {}", page.body);
    assert!(page.body.contains("登记文件"), "{label}");
    let doc = |number: &str, kind: &str, title: &str, issued: &str, repealed: &str| {
        vec![
            ("agency", a_s.as_str()),
            ("number", number),
            ("kind", kind),
            ("title", title),
            ("issued_on", issued),
            ("repealed_on", repealed),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.to_string()))
        .collect::<Vec<_>>()
    };
    let send = |fields: Vec<(&str, String)>| {
        let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        post("/console/documents", &f)
    };
    let saved = send(doc(
        "甲建规〔2025〕1号",
        "normative",
        hostile,
        "2025-03-01",
        "",
    ));
    assert_eq!(saved.status, 303, "{label}: {}", saved.body);
    assert!(saved.location.contains("saved="), "{label}");
    let saved = send(doc(
        "甲建规〔2020〕2号",
        "regulation",
        "旧办法",
        "2020-01-02",
        "",
    ));
    assert_eq!(saved.status, 303, "{label}: {}", saved.body);
    let again = send(doc(
        "甲建规〔2025〕1号",
        "normative",
        "另一个文件",
        "2025-04-01",
        "",
    ));
    assert_eq!(again.status, 422, "{label}");
    assert!(again.body.contains("本机关已登记文号"), "{label}");
    assert!(
        again.body.contains("value=\"另一个文件\""),
        "{label}: the title is kept"
    );
    let backwards = send(doc(
        "甲建规〔2025〕9号",
        "normative",
        "某办法",
        "2025-05-01",
        "2025-04-01",
    ));
    assert_eq!(backwards.status, 422, "{label}");
    assert!(
        backwards.body.contains("废止日期不能早于印发日期"),
        "{label}"
    );
    assert!(
        backwards.body.contains("value=\"2025-04-01\""),
        "{label}: the date is kept"
    );
    let bad_date = send(doc(
        "甲建规〔2025〕9号",
        "normative",
        "某办法",
        "2025-02-30",
        "",
    ));
    assert_eq!(bad_date.status, 422, "{label}");
    assert!(bad_date.body.contains("不是日期"), "{label}");
    let future = send(doc(
        "甲建规〔2026〕9号",
        "normative",
        "某办法",
        "2026-12-01",
        "",
    ));
    assert!(future.body.contains("印发日期不能晚于今天"), "{label}");
    // Edited: repealed in 2025.
    let edit = site.get(
        &format!("/console/documents?agency={a}&edit=%E7%94%B2%E5%BB%BA%E8%A7%84%E3%80%942020%E3%80%952%E5%8F%B7"),
        &clerk,
    );
    assert_eq!(edit.status, 200, "{label}");
    assert!(
        edit.body.contains("value=\"旧办法\""),
        "{label}: the form is filled"
    );
    let mut edited = doc(
        "甲建规〔2020〕2号",
        "regulation",
        "旧办法",
        "2020-01-02",
        "2025-06-30",
    );
    edited.push(("original", "甲建规〔2020〕2号".into()));
    assert_eq!(send(edited).status, 303, "{label}");
    let list = site
        .get(&format!("/console/documents?agency={a}"), &clerk)
        .body;
    assert!(list.contains("已废止"), "{label}");
    assert!(!list.contains(hostile), "{label}: escaped");
    assert!(list.contains("&lt;script&gt;"), "{label}");
    let in_force = site
        .get(
            &format!("/console/documents?agency={a}&validity=in_force"),
            &clerk,
        )
        .body;
    assert!(
        !in_force.contains("旧办法") && in_force.contains("甲建规〔2025〕1号"),
        "{label}"
    );
    let of_2020 = site
        .get(
            &format!("/console/documents?agency={a}&year=2020&kind=regulation"),
            &clerk,
        )
        .body;
    assert!(
        of_2020.contains("旧办法") && !of_2020.contains("甲建规〔2025〕1号"),
        "{label}"
    );

    // 执法数据 of 2025, in 万元 as the template says.
    let figures = |fee: &str| {
        post(
            "/console/enforcement",
            &[
                ("agency", &a_s),
                ("year", "2025"),
                ("license", "12"),
                ("penalty", "3"),
                ("coercion", "1"),
                ("fee_amount", fee),
            ],
        )
    };
    let negative = figures("-1");
    assert_eq!(negative.status, 422, "{label}");
    assert!(negative.body.contains("不是不小于0的金额"), "{label}");
    assert!(
        negative.body.contains("value=\"12\""),
        "{label}: the figures are kept"
    );
    assert!(
        figures("1.23456").body.contains("最多保留四位小数"),
        "{label}"
    );
    assert_eq!(figures("2.5").status, 303, "{label}");
    let shown = site
        .get(
            &format!("/console/enforcement?agency={a}&year=2025"),
            &clerk,
        )
        .body;
    assert!(
        shown.contains("value=\"2.5\"") && shown.contains("本年收费金额（单位：万元）"),
        "{label}"
    );

    // 行政复议、行政诉讼.
    let case = |decided: &str, result: &str| {
        post(
            "/console/legal-cases",
            &[
                ("agency", &a_s),
                ("number", "（2025）甲行复1号"),
                ("kind", "review"),
                ("filed_on", "2025-04-01"),
                ("decided_on", decided),
                ("result", result),
            ],
        )
    };
    let half = case("2025-06-01", "");
    assert_eq!(half.status, 422, "{label}");
    assert!(half.body.contains("请选择审理结果"), "{label}");
    let early = case("2025-03-01", "upheld");
    assert!(early.body.contains("审结日期不能早于"), "{label}");
    assert_eq!(case("2025-06-01", "upheld").status, 303, "{label}");
    let cases = site
        .get(&format!("/console/legal-cases?agency={a}"), &clerk)
        .body;
    assert!(
        cases.contains("（2025）甲行复1号") && cases.contains("结果维持"),
        "{label}"
    );

    // The narrative, saved from the report page; the report regenerates with it.
    let report = site
        .get(&format!("/console/report?agency={a}&year=2025"), &clerk)
        .body;
    assert!(
        report.contains("一、总体情况") && report.contains("name=\"problems\""),
        "{label}"
    );
    let general = format!("本年度，本局认真贯彻《条例》。{hostile}");
    let narrative = post(
        "/console/report/narrative",
        &[
            ("agency", &a_s),
            ("year", "2025"),
            ("general", &general),
            ("problems", ""),
            ("other", ""),
        ],
    );
    assert_eq!(narrative.status, 303, "{label}: {}", narrative.body);
    let report = site
        .get(&format!("/console/report?agency={a}&year=2025"), &clerk)
        .body;
    assert!(
        report.contains("本年度，本局认真贯彻《条例》。&lt;script&gt;"),
        "{label}"
    );
    assert!(!report.contains(hostile), "{label}: escaped");
    let json = site.get(
        &format!("/console/report/download?agency={a}&year=2025&format=json"),
        &clerk,
    );
    let json: serde_json::Value = serde_json::from_str(&json.body).expect("json report");
    let cells = &json["cells"];
    assert_eq!(cells["t2.license.decided"], 12, "{label}: {cells}");
    assert_eq!(cells["t2.fee.amount"], 2.5, "{label}");
    assert_eq!(cells["t2.normative.issued"], 1, "{label}");
    assert_eq!(cells["t2.regulation.repealed"], 1, "{label}");
    assert_eq!(cells["t4.review.upheld"], 1, "{label}");
    let text = site.get(
        &format!("/console/report/download?agency={a}&year=2025&format=txt"),
        &clerk,
    );
    assert!(
        text.body.contains("本年度，本局认真贯彻《条例》。"),
        "{label}"
    );

    // 台账导入: a bad file is refused whole with every bad row; a good one
    // imported once; the same file again changes nothing.
    let good = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/ledger/taizhang_2025_good.xlsx"
    ))
    .expect("fixture");
    let bad = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/ledger/taizhang_2025_bad.xlsx"
    ))
    .expect("fixture");
    let import = |cookie: &str, token: &str, agency: &str, name: &str, bytes: &[u8]| {
        upload(
            site,
            "/console/import",
            cookie,
            &[("_csrf", token), ("agency", agency)],
            Some((name, bytes)),
        )
        .expect("answer")
    };
    let count = |cookie: &str| {
        let list = site.get("/console/cases?q=", cookie).body;
        between(&list, "共 ", " 件").to_string()
    };
    assert_eq!(
        site.get(&format!("/console/import?agency={a}"), &clerk)
            .status,
        200,
        "{label}"
    );
    let refused = import(&clerk, &csrf, &a_s, "taizhang_2025_bad.xlsx", &bad);
    assert_eq!(refused.status, 422, "{label}: {}", refused.body);
    assert!(refused.body.contains("整个文件未导入"), "{label}");
    for line in ["第8行", "第12行", "第16行", "第20行", "第26行"] {
        assert!(refused.body.contains(line), "{label}: {line} is listed");
    }
    assert_eq!(count(&clerk), "0", "{label}: nothing imported");
    let done = import(&clerk, &csrf, &a_s, "taizhang_2025_good.xlsx", &good);
    assert_eq!(done.status, 200, "{label}: {}", done.body);
    assert!(
        done.body.contains("已导入 40 件申请"),
        "{label}: {}",
        done.body
    );
    assert_eq!(count(&clerk), "40", "{label}");
    let twice = import(&clerk, &csrf, &a_s, "taizhang_2025_good.xlsx", &good);
    assert!(
        twice.body.contains("没有新的申请，台账未作改动"),
        "{label}: {}",
        twice.body
    );
    assert!(twice.body.contains("40 件申请台账中已有"), "{label}");
    assert_eq!(
        count(&clerk),
        "40",
        "{label}: the same file again changes nothing"
    );
    // A broken or hostile workbook, and a file that is not a ledger: refused in Chinese.
    let mut broken = good[..good.len() / 2].to_vec();
    broken.extend_from_slice(b"<x>");
    let damaged = import(&clerk, &csrf, &a_s, "坏.xlsx", &broken);
    assert_eq!(damaged.status, 422, "{label}");
    assert!(
        damaged.body.contains("Excel工作簿已损坏或不完整"),
        "{label}: {}",
        damaged.body
    );
    let pdf = import(
        &clerk,
        &csrf,
        &a_s,
        "x.pdf",
        b"%PDF-1.4 <script>alert(1)</script>",
    );
    assert!(pdf.body.contains("无法识别的文件格式"), "{label}");
    let csv = format!("收到日期,申请人,申请内容\n2025-13-01,{hostile},某文件\n");
    let hostile_csv = import(&clerk, &csrf, &a_s, "h.csv", csv.as_bytes());
    assert_eq!(hostile_csv.status, 422, "{label}");
    assert!(!hostile_csv.body.contains(hostile), "{label}: escaped");
    assert_eq!(count(&clerk), "40", "{label}");
    // Without the form token, or too large: refused.
    let forged = upload(
        site,
        "/console/import",
        &clerk,
        &[("agency", &a_s)],
        Some(("a.xlsx", &good)),
    )
    .expect("answer");
    assert_eq!(forged.status, 403, "{label}");
    let big = vec![b'a'; 11 * 1024 * 1024];
    too_large(
        oversized(
            site,
            "/console/import",
            &clerk,
            &[("_csrf", &csrf), ("agency", &a_s)],
            ("big.csv", &big),
        ),
        label,
    );

    // Forged forms (no token) change nothing.
    let forged = site.post(
        "/console/enforcement",
        &clerk,
        &[
            ("agency", &a_s),
            ("year", "2025"),
            ("license", "99"),
            ("penalty", "0"),
            ("coercion", "0"),
            ("fee_amount", "0"),
        ],
    );
    assert_eq!(forged.status, 403, "{label}");
    let forged = site.post(
        "/console/report/narrative",
        &clerk,
        &[("agency", &a_s), ("year", "2025"), ("general", "x")],
    );
    assert_eq!(forged.status, 403, "{label}");

    // Another agency's clerk: every page and form of agency A is "not found".
    let other = site.login("clerk_b");
    let other_csrf = site.csrf(&other);
    for path in [
        format!("/console/documents?agency={a}"),
        format!("/console/documents?agency={b}&edit=%E7%94%B2%E5%BB%BA%E8%A7%84%E3%80%942025%E3%80%951%E5%8F%B7"),
        format!("/console/enforcement?agency={a}&year=2025"),
        format!("/console/legal-cases?agency={a}"),
        format!("/console/import?agency={a}"),
        format!("/console/report?agency={a}&year=2025"),
    ] {
        assert_eq!(site.get(&path, &other).status, 404, "{label}: {path}");
    }
    for (path, fields) in [
        (
            "/console/documents",
            vec![
                ("agency", a_s.as_str()),
                ("number", "X"),
                ("kind", "normative"),
                ("title", "x"),
                ("issued_on", "2025-01-01"),
            ],
        ),
        (
            "/console/documents",
            vec![
                ("agency", b_s.as_str()),
                ("original", "甲建规〔2025〕1号"),
                ("number", "甲建规〔2025〕1号"),
                ("kind", "normative"),
                ("title", "x"),
                ("issued_on", "2025-01-01"),
            ],
        ),
        (
            "/console/enforcement",
            vec![
                ("agency", a_s.as_str()),
                ("year", "2025"),
                ("license", "0"),
                ("penalty", "0"),
                ("coercion", "0"),
                ("fee_amount", "0"),
            ],
        ),
        (
            "/console/legal-cases",
            vec![
                ("agency", a_s.as_str()),
                ("number", "X"),
                ("kind", "review"),
                ("filed_on", "2025-01-01"),
            ],
        ),
        (
            "/console/report/narrative",
            vec![("agency", a_s.as_str()), ("year", "2025"), ("general", "x")],
        ),
    ] {
        let mut f = vec![("_csrf", other_csrf.as_str())];
        f.extend(fields);
        assert_eq!(site.post(path, &other, &f).status, 404, "{label}: {path}");
    }
    let into_a = import(&other, &other_csrf, &a_s, "taizhang_2025_good.xlsx", &good);
    assert_eq!(into_a.status, 404, "{label}");
    let own = site.get("/console/documents", &other).body;
    assert!(
        !own.contains("甲建规"),
        "{label}: B's list shows none of A's"
    );

    // A supervisor reads its subordinate's ledgers and changes nothing.
    let admin = site.login("admin");
    let admin_csrf = site.csrf(&admin);
    let placed = site.post(
        "/console/agencies",
        &admin,
        &[
            ("_csrf", &admin_csrf),
            ("name", "甲县住房和城乡建设局"),
            ("parent", "乙县自然资源局"),
            ("kind", "department"),
        ],
    );
    assert_eq!(placed.status, 303, "{label}: {}", placed.body);
    let made = site.post(
        "/console/users",
        &admin,
        &[
            ("_csrf", &admin_csrf),
            ("login", "super_b"),
            ("display_name", "上级"),
            ("password", PASSWORD),
            ("role", "supervisor"),
            ("agency", "乙县自然资源局"),
        ],
    );
    assert_eq!(made.status, 303, "{label}: {}", made.body);
    let sup = site.login("super_b");
    let sup_csrf = site.csrf(&sup);
    let read = site.get(&format!("/console/documents?agency={a}"), &sup);
    assert_eq!(read.status, 200, "{label}");
    assert!(
        read.body.contains("甲建规〔2025〕1号")
            && !read
                .body
                .contains("method=\"post\" action=\"/console/documents\""),
        "{label}"
    );
    for (path, fields) in [
        (
            "/console/documents",
            vec![
                ("number", "Y"),
                ("kind", "normative"),
                ("title", "x"),
                ("issued_on", "2025-01-01"),
            ],
        ),
        (
            "/console/enforcement",
            vec![
                ("year", "2025"),
                ("license", "0"),
                ("penalty", "0"),
                ("coercion", "0"),
                ("fee_amount", "0"),
            ],
        ),
        (
            "/console/legal-cases",
            vec![
                ("number", "Y"),
                ("kind", "review"),
                ("filed_on", "2025-01-01"),
            ],
        ),
        (
            "/console/report/narrative",
            vec![("year", "2025"), ("general", "上级改写")],
        ),
        (
            "/console/settings/remedies",
            vec![("review_body", "某政府"), ("court", "某法院")],
        ),
    ] {
        let mut f = vec![("_csrf", sup_csrf.as_str()), ("agency", a_s.as_str())];
        f.extend(fields);
        assert_eq!(site.post(path, &sup, &f).status, 403, "{label}: {path}");
    }
    let by_sup = import(&sup, &sup_csrf, &a_s, "taizhang_2025_good.xlsx", &good);
    assert_eq!(by_sup.status, 403, "{label}");
    assert_eq!(site.get("/console/settings", &sup).status, 403, "{label}");
    let shown = site
        .get(&format!("/console/enforcement?agency={a}&year=2025"), &sup)
        .body;
    assert!(
        shown.contains("value=\"12\"") && shown.contains("只能查看"),
        "{label}"
    );

    // Settings: the remedies by the administrator or the agency's leader;
    // the calendar by the administrator only.
    assert_eq!(site.get("/console/settings", &clerk).status, 403, "{label}");
    let leader = site.login("leader_a");
    let leader_csrf = site.csrf(&leader);
    let set = site.post(
        "/console/settings/remedies",
        &leader,
        &[
            ("_csrf", &leader_csrf),
            ("agency", &a_s),
            ("review_body", "甲县人民政府"),
            ("court", "甲县人民法院"),
        ],
    );
    assert_eq!(set.status, 303, "{label}: {}", set.body);
    let elsewhere = site.post(
        "/console/settings/remedies",
        &leader,
        &[
            ("_csrf", &leader_csrf),
            ("agency", &b_s),
            ("review_body", "x"),
            ("court", "y"),
        ],
    );
    assert_eq!(elsewhere.status, 404, "{label}");
    let empty = site.post(
        "/console/settings/remedies",
        &leader,
        &[
            ("_csrf", &leader_csrf),
            ("agency", &a_s),
            ("review_body", ""),
            ("court", "甲县人民法院"),
        ],
    );
    assert_eq!(empty.status, 422, "{label}");
    assert!(
        empty.body.contains("请填写复议机关") && empty.body.contains("value=\"甲县人民法院\""),
        "{label}"
    );
    let settings = site
        .get(&format!("/console/settings?agency={a}"), &admin)
        .body;
    assert!(
        settings.contains("value=\"甲县人民政府\"") && settings.contains("工作日历"),
        "{label}"
    );
    let calendar = "[[year]]\nyear = 2027\noff = [\"01-01..01-03\"]\nwork = []\n";
    let by_leader = upload(
        site,
        "/console/settings/calendar",
        &leader,
        &[("_csrf", &leader_csrf)],
        Some(("2027.toml", calendar.as_bytes())),
    )
    .expect("answer");
    assert_eq!(by_leader.status, 403, "{label}");
    let load = |text: &str, replace: bool| {
        let mut f = vec![("_csrf", admin_csrf.as_str())];
        if replace {
            f.push(("replace", "on"));
        }
        upload(
            site,
            "/console/settings/calendar",
            &admin,
            &f,
            Some(("c.toml", text.as_bytes())),
        )
        .expect("answer")
    };
    let added = load(calendar, false);
    assert_eq!(added.status, 200, "{label}: {}", added.body);
    assert!(added.body.contains("已载入2027年的工作日历"), "{label}");
    let shipped = "[[year]]\nyear = 2026\noff = [\"01-01\"]\nwork = []\n";
    let asked = load(shipped, false);
    assert_eq!(asked.status, 422, "{label}");
    assert!(
        asked.body.contains("将替换工作日历中已有的2026年，未载入"),
        "{label}: {}",
        asked.body
    );
    let replaced = load(shipped, true);
    assert!(
        replaced.body.contains("已替换2026年的工作日历"),
        "{label}: {}",
        replaced.body
    );
    let broken = load("[[year]]\nyear = \"<script>\"\n", false);
    assert_eq!(broken.status, 422, "{label}");
    assert!(broken.body.contains("工作日历文件有误"), "{label}");
    assert!(!broken.body.contains("<script>\""), "{label}");
    too_large(
        oversized(
            site,
            "/console/settings/calendar",
            &admin,
            &[("_csrf", &admin_csrf)],
            ("c.toml", &vec![b'#'; 2 * 1024 * 1024]),
        ),
        label,
    );
}

// ---------------------------------------------------------------------------
// Proactive disclosure: the 三级审核 and the 专栏

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

/// The value of a cell as the report page draws it.
fn cell<'a>(page: &'a str, address: &str) -> &'a str {
    let at = format!("data-cell=\"{address}\"");
    let rest = &page[page.find(&at).unwrap_or_else(|| panic!("{address} drawn"))..];
    between(rest, ">", "<")
}

/// Waits (up to 10 s) until the search for `q` does or does not list `url`.
fn searched(site: &Site, q: &str, url: &str, present: bool) -> bool {
    for _ in 0..50 {
        let page = site.get(&format!("/search?q={q}"), "").body;
        if page.contains(url) == present {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    false
}

#[test]
fn proactive_disclosure_on_every_database() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let dbs = rt.block_on(common::databases("web_disclosure"));
    for db in dbs {
        let (site, a, b) = start(&rt, &db.url);
        rt.block_on(async {
            let store = Store::open(&db.url).await.expect("store");
            let hash = hash_password(PASSWORD);
            for (login, role) in [("reviewer_a", Role::Reviewer), ("secrecy_a", Role::Secrecy)] {
                store
                    .create_user(
                        "测试",
                        login,
                        login,
                        &hash,
                        role,
                        Some("甲县住房和城乡建设局"),
                    )
                    .await
                    .expect("user");
            }
            store.close().await;
        });
        // A second process on the same database, started before anything
        // is published: it finds what the first publishes within seconds.
        let addr = rt.block_on(async { serve(Store::open(&db.url).await.expect("store")).await });
        let second = Site {
            addr,
            agent: agent(),
        };
        let published = disclosure(&site, a, b, &db.label);
        assert!(
            searched(&second, "危房改造", &published, true),
            "{}: the second server's search finds it",
            db.label
        );
        rt.block_on(db.drop_database());
    }
}

/// The story; the public address of the last item published.
fn disclosure(site: &Site, a: i64, b: i64, label: &str) -> String {
    let clerk = site.login("clerk_a");
    let csrf = site.csrf(&clerk);
    let form = |title: &str, summary: &str| {
        vec![
            ("_csrf", csrf.clone()),
            ("agency", a.to_string()),
            ("title", title.to_string()),
            ("summary", summary.to_string()),
            (
                "body",
                "第一条 为规范住房租赁市场秩序，制定本办法。".to_string(),
            ),
            ("publisher", "甲县住房和城乡建设局".to_string()),
            ("written_on", "2026-02-27".to_string()),
            ("doc_no", "甲住建规〔2026〕1号".to_string()),
            ("column", "a20-01".to_string()),
            ("disclosure", "active".to_string()),
            ("doc_kind", "normative".to_string()),
        ]
    };
    let post = |path: &str, cookie: &str, fields: &[(&str, String)]| {
        let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        site.post(path, cookie, &f)
    };
    // A field left out is named, nothing is saved.
    let mut bad = form("甲县住房租赁管理办法", "");
    bad.retain(|(k, _)| *k != "written_on");
    let refused = post("/console/items/new", &clerk, &bad);
    assert_eq!(refused.status, 422, "{label}");
    assert!(refused.body.contains("请填写成文日期"), "{label}");
    let made = post(
        "/console/items/new",
        &clerk,
        &form("甲县住房租赁管理办法", "规范住房租赁。"),
    );
    assert_eq!(made.status, 303, "{label}: {}", made.body);
    let item = made.location.clone();
    let id = item.rsplit('/').next().unwrap().to_string();
    let public = format!("/a/{a}/i/{id}");

    // Attachments: a wrong type, a broken PDF and an oversized file are
    // refused and nothing is stored; a real PDF is taken.
    let attach = format!("{item}/attach");
    let csrf_field = [("_csrf", csrf.as_str())];
    let exe = upload(
        site,
        &attach,
        &clerk,
        &csrf_field,
        Some(("工具.exe", b"MZ\x90\0")),
    )
    .unwrap();
    assert_eq!(exe.status, 422, "{label}");
    assert!(exe.body.contains("不是可以上传的文件类型"), "{label}");
    let pdf = fixture("pdf/huaian_city_2024.pdf");
    let broken = upload(
        site,
        &attach,
        &clerk,
        &csrf_field,
        Some(("坏.pdf", &pdf[..pdf.len() / 3])),
    )
    .unwrap();
    assert_eq!(broken.status, 422, "{label}: {}", broken.body);
    assert!(broken.body.contains("无法读取"), "{label}");
    too_large(
        oversized(
            site,
            &attach,
            &clerk,
            &csrf_field,
            ("大.pdf", &vec![b'%'; 21 * 1024 * 1024]),
        ),
        label,
    );
    assert!(site.get(&item, &clerk).body.contains("没有附件"), "{label}");
    let good = upload(
        site,
        &attach,
        &clerk,
        &csrf_field,
        Some(("淮安市2024年报.pdf", &pdf)),
    )
    .unwrap();
    assert_eq!(good.status, 303, "{label}: {}", good.body);
    assert!(
        site.get(&item, &clerk).body.contains("淮安市2024年报.pdf"),
        "{label}"
    );

    // Another agency's clerk: not found, by page, file and action; a form
    // without its token is refused.
    let other = site.login("clerk_b");
    let other_csrf = site.csrf(&other);
    assert_eq!(site.get(&item, &other).status, 404, "{label}");
    assert_eq!(
        site.post(
            &format!("{item}/action"),
            &other,
            &[("_csrf", &other_csrf), ("action", "submit")]
        )
        .status,
        404,
        "{label}"
    );
    assert_eq!(
        site.get(&format!("/console/items?agency={a}"), &other)
            .status,
        404,
        "{label}"
    );
    assert_eq!(
        site.post(&format!("{item}/action"), &clerk, &[("action", "submit")])
            .status,
        403,
        "{label}: no form token"
    );

    let step = |who: &str, action: &str, reason: &str| {
        let cookie = site.login(who);
        let t = site.csrf(&cookie);
        site.post(
            &format!("{item}/action"),
            &cookie,
            &[("_csrf", &t), ("action", action), ("reason", reason)],
        )
    };
    assert_eq!(step("clerk_a", "submit", "").status, 303, "{label}");
    // Out of turn: the leader cannot sign before the reviews.
    let early = step("leader_a", "approve", "");
    assert_eq!(early.status, 422, "{label}");
    assert!(
        early.body.contains("应由科室负责人办理"),
        "{label}: {}",
        early.body
    );
    assert_eq!(step("reviewer_a", "approve", "").status, 303, "{label}");
    assert_eq!(
        step("secrecy_a", "return", "附件含个人信息，请核实").status,
        303,
        "{label}"
    );
    let page = site.get(&item, &clerk).body;
    assert!(
        page.contains("已退回修改") && page.contains("附件含个人信息，请核实"),
        "{label}"
    );
    // Stopped at 保密审查: absent everywhere public.
    std::thread::sleep(std::time::Duration::from_millis(2500));
    assert_eq!(site.get(&public, "").status, 404, "{label}");
    assert!(
        !site
            .get(&format!("/a/{a}/c/a20-01"), "")
            .body
            .contains(&public),
        "{label}"
    );
    assert!(
        !site
            .get(&format!("/a/{a}/catalog"), "")
            .body
            .contains(&public),
        "{label}"
    );
    assert!(
        !site
            .get(&format!("/a/{a}/feed.atom"), "")
            .body
            .contains(&public),
        "{label}"
    );
    assert!(
        !site.get("/sitemap/items-0.xml", "").body.contains(&public),
        "{label}"
    );
    assert!(
        searched(site, "主动公开各类政府信息", &public, false),
        "{label}"
    );
    assert!(
        site.get(&format!("/a/{a}/i/{id}/f/1"), "").status == 404,
        "{label}"
    );

    // Fixed, and through every step again.
    let edited = post(
        &format!("{item}/edit"),
        &clerk,
        &form("甲县住房租赁管理办法", "规范住房租赁市场。"),
    );
    assert_eq!(edited.status, 303, "{label}: {}", edited.body);
    for (who, action) in [
        ("clerk_a", "submit"),
        ("reviewer_a", "approve"),
        ("secrecy_a", "approve"),
        ("leader_a", "approve"),
    ] {
        assert_eq!(step(who, action, "").status, 303, "{label}: {who}");
    }
    let page = site.get(&public, "").body;
    assert!(
        page.contains("甲县住房租赁管理办法") && page.contains("甲住建规〔2026〕1号"),
        "{label}"
    );
    assert!(page.contains("淮安市2024年报.pdf"), "{label}");
    assert!(
        site.get(&format!("/a/{a}/c/a20-01"), "")
            .body
            .contains(&public),
        "{label}"
    );
    assert!(
        site.get(&format!("/a/{a}/feed.atom"), "")
            .body
            .contains(&public),
        "{label}"
    );
    assert!(
        site.get("/sitemap/items-0.xml", "").body.contains(&public),
        "{label}"
    );
    assert_eq!(
        site.get(&format!("/a/{b}/i/{id}"), "").status,
        404,
        "{label}: under its own agency only"
    );
    // Found by a phrase of its attachment.
    assert!(
        searched(site, "主动公开各类政府信息", &public, true),
        "{label}"
    );
    // Table 2 of the annual report counts it.
    let leader = site.login("leader_a");
    let report = site
        .get(&format!("/console/report?agency={a}&year=2026"), &leader)
        .body;
    assert_eq!(cell(&report, "t2.normative.issued"), "1", "{label}");

    // Repealed: asked, granted; the 专栏 and table 2 follow.
    let cookie = site.login("clerk_a");
    let t = site.csrf(&cookie);
    let asked = site.post(
        &format!("{item}/action"),
        &cookie,
        &[
            ("_csrf", &t),
            ("action", "validity"),
            ("validity", "repealed"),
            ("on", "2026-03-02"),
            ("reason", "上位法修改"),
        ],
    );
    assert_eq!(asked.status, 303, "{label}: {}", asked.body);
    assert_eq!(step("leader_a", "grant", "").status, 303, "{label}");
    assert!(site.get(&public, "").body.contains("废止"), "{label}");
    let report = site
        .get(&format!("/console/report?agency={a}&year=2026"), &leader)
        .body;
    assert_eq!(cell(&report, "t2.normative.repealed"), "1", "{label}");

    // Script in a title is shown as text, on the page and in the search.
    let made = post(
        "/console/items/new",
        &clerk,
        &[
            ("_csrf", csrf.clone()),
            ("agency", a.to_string()),
            (
                "title",
                "<script>alert(1)</script>危房改造补助公示".to_string(),
            ),
            ("publisher", "甲县住房和城乡建设局".to_string()),
            ("written_on", "2026-03-02".to_string()),
            ("column", "a20-11".to_string()),
            ("disclosure", "active".to_string()),
        ],
    );
    assert_eq!(made.status, 303, "{label}: {}", made.body);
    let item = made.location.clone();
    for (who, action) in [
        ("clerk_a", "submit"),
        ("reviewer_a", "approve"),
        ("secrecy_a", "approve"),
        ("leader_a", "approve"),
    ] {
        let cookie = site.login(who);
        let t = site.csrf(&cookie);
        let r = site.post(
            &format!("{item}/action"),
            &cookie,
            &[("_csrf", &t), ("action", action)],
        );
        assert_eq!(r.status, 303, "{label}");
    }
    let id = item.rsplit('/').next().unwrap();
    let page = site.get(&format!("/a/{a}/i/{id}"), "").body;
    assert!(
        !page.contains("<script>alert") && page.contains("&lt;script&gt;"),
        "{label}"
    );
    assert!(
        searched(site, "危房改造", &format!("/a/{a}/i/{id}"), true),
        "{label}"
    );
    let found = site.get("/search?q=危房改造", "").body;
    assert!(!found.contains("<script>alert"), "{label}");
    format!("/a/{a}/i/{id}")
}
