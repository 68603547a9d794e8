//! Proactive disclosure through the JSON API: the real server on a random
//! port, on SQLite and (when `GONGKAI_TEST_POSTGRES` names a server) on
//! PostgreSQL, driven by a plain HTTP client as an agency's CMS would — a
//! 经办人's token drafts a normative document, the 科室负责人, 保密审查员 and
//! 负责人 take their steps with their own tokens, and the published item is
//! found by the public search.

#[allow(dead_code)] // the store tests use all of it; these tests only some
#[path = "../../store/tests/common/mod.rs"]
mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use gongkai_store::{Role, Store};
use gongkai_web::{hash_password, AppState, Config};

const A: &str = "甲县住房和城乡建设局";
const B: &str = "乙县自然资源局";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).expect("date")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The API token of a user (made here, recorded hashed as the console does).
fn token_of(login: &str) -> String {
    format!("gk_{}", hex(&Sha256::digest(format!("token of {login}"))))
}

/// Percent-encodes a query value.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

struct Site {
    addr: SocketAddr,
    agent: ureq::Agent,
}

struct Answer {
    status: u16,
    json: Value,
    text: String,
}

impl Answer {
    fn error(&self) -> &str {
        self.json["error"].as_str().unwrap_or("")
    }
}

impl Site {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn answer(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
        let mut r = r.expect("the server answers");
        let status = r.status().as_u16();
        let text = r.body_mut().read_to_string().unwrap_or_default();
        Answer {
            status,
            json: serde_json::from_str(&text).unwrap_or(Value::Null),
            text,
        }
    }

    fn get(&self, path: &str, token: Option<&str>) -> Answer {
        let mut req = self.agent.get(self.url(path));
        if let Some(t) = token {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        Self::answer(req.call())
    }

    fn post(&self, path: &str, token: &str, body: &Value) -> Answer {
        Self::answer(
            self.agent
                .post(self.url(path))
                .header("Authorization", &format!("Bearer {token}"))
                .content_type("application/json")
                .send(body.to_string().as_str()),
        )
    }

    fn put(&self, path: &str, token: &str, body: &Value) -> Answer {
        Self::answer(
            self.agent
                .put(self.url(path))
                .header("Authorization", &format!("Bearer {token}"))
                .content_type("application/json")
                .send(body.to_string().as_str()),
        )
    }

    fn upload(&self, item: i64, name: &str, token: &str, bytes: &[u8]) -> Answer {
        Self::answer(
            self.agent
                .post(self.url(&format!(
                    "/api/v1/items/{item}/attachments?name={}",
                    enc(name)
                )))
                .header("Authorization", &format!("Bearer {token}"))
                .content_type("application/octet-stream")
                .send(bytes),
        )
    }

    fn act(&self, item: i64, token: &str, body: Value) -> Answer {
        self.post(&format!("/api/v1/items/{item}/actions"), token, &body)
    }

    /// The public search (no token), until `done` holds or 10 seconds pass.
    fn search_until(&self, query: &str, done: impl Fn(&Value) -> bool) -> Value {
        let started = Instant::now();
        loop {
            let found = self.get(&format!("/api/v1/search?{query}"), None);
            assert_eq!(found.status, 200, "{}", found.text);
            if done(&found.json) || started.elapsed() > Duration::from_secs(10) {
                return found.json;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
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

/// Two agencies: the first with a user of each role of the review, the
/// second with a clerk; a token for each; the server on port 0.
fn start(rt: &tokio::runtime::Runtime, url: &str) -> (Site, i64, i64) {
    let (addr, a, b) = rt.block_on(async {
        let store = Store::open(url).await.expect("store");
        let hash = hash_password("correct-horse");
        for name in [A, B] {
            store.ensure_agency("测试", name).await.expect("agency");
        }
        for (login, role, agency) in [
            ("clerk_a", Role::Clerk, Some(A)),
            ("reviewer_a", Role::Reviewer, Some(A)),
            ("secrecy_a", Role::Secrecy, Some(A)),
            ("leader_a", Role::Leader, Some(A)),
            ("clerk_b", Role::Clerk, Some(B)),
            ("admin", Role::Admin, None),
        ] {
            let id = store
                .create_user("测试", login, login, &hash, role, agency)
                .await
                .expect("user");
            let token_hash = hex(&Sha256::digest(token_of(login).as_bytes()));
            store
                .create_api_token("测试", id, "内容管理系统", &token_hash)
                .await
                .expect("token");
        }
        let a = store.agency_by_name(A).await.expect("a").id;
        let b = store.agency_by_name(B).await.expect("b").id;
        (serve(store).await, a, b)
    });
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    (Site { addr, agent }, a, b)
}

const HOSTILE: &str = "<script>alert(1)</script>";
const TITLE_WORD: &str = "住房公积金缴存管理办法";

#[test]
fn items_through_the_api_on_every_database() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let dbs = rt.block_on(common::databases("api_items"));
    for db in dbs {
        let (site, a, b) = start(&rt, &db.url);
        story(&site, a, b, &db.label);
        rt.block_on(db.drop_database());
    }
}

fn story(site: &Site, a: i64, b: i64, label: &str) {
    let clerk = token_of("clerk_a");
    let reviewer = token_of("reviewer_a");
    let secrecy = token_of("secrecy_a");
    let leader = token_of("leader_a");
    let other = token_of("clerk_b");
    let admin = token_of("admin");

    // The docs page shows the operations.
    let docs = site.get("/api/docs", None);
    assert_eq!(docs.status, 200, "{label}");
    for op in ["三级审核的一步", "上传附件（经办人", "全文检索已发布的事项"]
    {
        assert!(docs.text.contains(op), "{label}: {op} on the docs page");
    }

    // Without a token the staff side says why, in Chinese.
    let anonymous = site.get(&format!("/api/v1/items?agency={a}"), None);
    assert_eq!(anonymous.status, 403, "{label}: {}", anonymous.text);
    assert!(anonymous.error().contains("访问令牌"), "{label}");

    // The 经办人 drafts a normative document; the title comes back as it
    // was written, script and all, as data.
    let title = format!("关于印发{HOSTILE}{TITLE_WORD}的通知");
    let draft = json!({
        "agency": a,
        "title": title,
        "summary": "规定住房公积金的缴存基数、比例和办理程序。",
        "body": "第一条 为规范住房公积金缴存管理，制定本办法。",
        "publisher": A,
        "written_on": "2026-02-27",
        "changed_on": null,
        "doc_no": "甲建规〔2026〕1号",
        "topic": "城乡建设",
        "column": "a20-01",
        "disclosure": "active",
        "ground": "",
        "reason": "",
        "doc_kind": "normative",
        "interprets": null,
    });
    // Not a clerk: refused, nothing drafted.
    let by_reviewer = site.post("/api/v1/items", &reviewer, &draft);
    assert_eq!(by_reviewer.status, 403, "{label}: {}", by_reviewer.text);
    assert!(
        by_reviewer.error().contains("经办人"),
        "{label}: {}",
        by_reviewer.text
    );
    // Another agency's clerk: the agency is not found.
    assert_eq!(
        site.post("/api/v1/items", &other, &draft).status,
        404,
        "{label}"
    );
    // Wrong fields: each said, in Chinese.
    let mut wrong = draft.clone();
    wrong["title"] = json!("");
    wrong["written_on"] = json!("2026/02/27");
    wrong["disclosure"] = json!("public");
    wrong["column"] = json!("a20-03");
    let refused = site.post("/api/v1/items", &clerk, &wrong);
    assert_eq!(refused.status, 422, "{label}: {}", refused.text);
    let fields = &refused.json["fields"];
    assert_eq!(fields["title"], "请填写名称", "{label}: {}", refused.text);
    assert!(
        fields["written_on"]
            .as_str()
            .unwrap_or("")
            .contains("不是日期"),
        "{label}"
    );
    assert!(
        fields["disclosure"]
            .as_str()
            .unwrap_or("")
            .contains("on_request"),
        "{label}"
    );
    assert!(
        fields["column"]
            .as_str()
            .unwrap_or("")
            .contains("第二十条第（一）项"),
        "{label}"
    );
    let not_json = site.post("/api/v1/items", &clerk, &json!({ "title": 5 }));
    assert_eq!(not_json.status, 422, "{label}: {}", not_json.text);
    assert!(
        not_json.error().starts_with("请求体的字段有误"),
        "{label}: {}",
        not_json.text
    );
    let listed = site.get(&format!("/api/v1/items?agency={a}"), Some(&clerk));
    assert_eq!(listed.json["total"], 0, "{label}: nothing drafted yet");

    let created = site.post("/api/v1/items", &clerk, &draft);
    assert_eq!(created.status, 201, "{label}: {}", created.text);
    let item = &created.json["item"];
    let id = item["id"].as_i64().expect("an id");
    assert_eq!(item["title"], title.as_str(), "{label}");
    assert_eq!(item["status"], "draft", "{label}");
    assert_eq!(item["doc_kind"], "normative", "{label}");
    assert_eq!(item["validity"], "valid", "{label}");
    assert_eq!(item["agency_id"], a, "{label}");
    assert!(
        item["index_no"].as_str().is_some_and(|s| !s.is_empty()),
        "{label}"
    );
    assert!(
        item["due_on"].is_string(),
        "{label}: the 20 working days run"
    );
    assert_eq!(created.json["can"], json!(["edit", "submit"]), "{label}");
    assert_eq!(created.json["steps"][0]["step"], "起草", "{label}");

    // The list: in scope, without bodies; out of scope, not found.
    let listed = site.get(
        &format!("/api/v1/items?agency={a}&status=draft"),
        Some(&clerk),
    );
    assert_eq!(listed.status, 200, "{label}: {}", listed.text);
    assert_eq!(listed.json["total"], 1, "{label}");
    assert_eq!(listed.json["pages"], 1, "{label}");
    assert_eq!(listed.json["rows"][0]["id"], id, "{label}");
    assert!(listed.json["rows"][0].get("body").is_none(), "{label}");
    let mine = site.get("/api/v1/items?q=%E5%85%AC%E7%A7%AF%E9%87%91", Some(&clerk));
    assert_eq!(
        mine.json["total"], 1,
        "{label}: the clerk's own agency by default"
    );
    let published = site.get(
        &format!("/api/v1/items?agency={a}&status=published"),
        Some(&clerk),
    );
    assert_eq!(published.json["total"], 0, "{label}");
    let bad_status = site.get(
        &format!("/api/v1/items?agency={a}&status=done"),
        Some(&clerk),
    );
    assert_eq!(bad_status.status, 422, "{label}");
    assert!(bad_status.error().contains("没有状态"), "{label}");
    assert_eq!(
        site.get(&format!("/api/v1/items?agency={a}"), Some(&other))
            .status,
        404,
        "{label}"
    );
    let others = site.get("/api/v1/items", Some(&other));
    assert_eq!(
        others.json["total"], 0,
        "{label}: the other agency has none"
    );

    // Another agency's token does not find the item, whatever it asks.
    let path = format!("/api/v1/items/{id}");
    assert_eq!(site.get(&path, Some(&other)).status, 404, "{label}");
    assert_eq!(
        site.put(&path, &other, &json!({ "summary": "x" })).status,
        404,
        "{label}"
    );
    assert_eq!(
        site.act(id, &other, json!({ "action": "submit" })).status,
        404,
        "{label}"
    );
    assert_eq!(
        site.upload(id, "通知.pdf", &other, b"%PDF-1.4").status,
        404,
        "{label}"
    );
    let seen = site.get(&path, Some(&reviewer));
    assert_eq!(seen.status, 200, "{label}");
    assert_eq!(
        seen.json["can"],
        json!([]),
        "{label}: nothing to review yet"
    );

    // Editing: the fields given change, the others stay.
    let edited = site.put(&path, &clerk, &json!({ "summary": "规定缴存基数和比例。" }));
    assert_eq!(edited.status, 200, "{label}: {}", edited.text);
    assert_eq!(
        edited.json["item"]["summary"], "规定缴存基数和比例。",
        "{label}"
    );
    assert_eq!(edited.json["item"]["title"], title.as_str(), "{label}");
    assert_eq!(
        edited.json["item"]["doc_no"], "甲建规〔2026〕1号",
        "{label}"
    );
    let by_leader = site.put(&path, &leader, &json!({ "summary": "x" }));
    assert_eq!(by_leader.status, 403, "{label}");
    assert!(by_leader.error().contains("经办人"), "{label}");
    let no_doc_no = site.put(&path, &clerk, &json!({ "doc_no": null }));
    assert_eq!(no_doc_no.status, 422, "{label}: {}", no_doc_no.text);
    assert!(
        no_doc_no.json["fields"]["doc_no"]
            .as_str()
            .unwrap_or("")
            .contains("文号"),
        "{label}"
    );

    // Attachments: a wrong type, a PDF that is not one, a PDF that cannot be
    // read — each refused, nothing stored; a real PDF is kept.
    let wrong_type = site.upload(id, "通知.txt", &clerk, "正文".as_bytes());
    assert_eq!(wrong_type.status, 422, "{label}: {}", wrong_type.text);
    assert!(
        wrong_type.error().contains("不是可以上传的文件类型"),
        "{label}"
    );
    let old_office = site.upload(id, "通知.doc", &clerk, b"\xd0\xcf\x11\xe0");
    assert_eq!(old_office.status, 422, "{label}");
    assert!(old_office.error().contains(".docx"), "{label}");
    let not_pdf = site.upload(id, "通知.pdf", &clerk, b"PK\x03\x04 not a pdf");
    assert_eq!(not_pdf.status, 422, "{label}");
    assert!(
        not_pdf.error().contains("内容不是PDF文件"),
        "{label}: {}",
        not_pdf.text
    );
    let garbage = site.upload(id, "坏.pdf", &clerk, b"%PDF-1.7\n garbage \x00\xff");
    assert_eq!(garbage.status, 422, "{label}: {}", garbage.text);
    assert!(
        garbage.error().contains("无法读取"),
        "{label}: {}",
        garbage.text
    );
    assert!(garbage.error().contains("附件未上传"), "{label}");
    let nameless = site.upload(id, "", &clerk, b"%PDF-1.4");
    assert_eq!(nameless.status, 422, "{label}");
    assert!(nameless.error().contains("name"), "{label}");
    let by_secrecy = site.upload(id, "通知.pdf", &secrecy, b"%PDF-1.4");
    assert_eq!(by_secrecy.status, 403, "{label}");
    let after = site.get(&path, Some(&clerk)).json;
    assert_eq!(after["attachments"], json!([]), "{label}: nothing stored");
    assert!(
        after["steps"]
            .as_array()
            .is_some_and(|s| s.iter().all(|s| s["step"] != "添加附件")),
        "{label}"
    );
    let pdf = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/pdf/huaian_city_2024.pdf"
    ))
    .expect("fixture");
    let kept = site.upload(id, "附件1 年度报告.pdf", &clerk, &pdf);
    assert_eq!(kept.status, 201, "{label}: {}", kept.text);
    assert_eq!(
        kept.json["attachment"]["file_name"], "附件1 年度报告.pdf",
        "{label}"
    );
    assert_eq!(
        kept.json["attachment"]["media_type"], "application/pdf",
        "{label}"
    );
    assert_eq!(kept.json["attachment"]["size"], pdf.len(), "{label}");
    assert_eq!(
        kept.json["attachment"]["sha256"],
        hex(&Sha256::digest(&pdf)).as_str(),
        "{label}"
    );
    let files = site.get(&path, Some(&clerk)).json["attachments"].clone();
    assert_eq!(files.as_array().map(Vec::len), Some(1), "{label}");

    // The public search does not know an item under review.
    let query = format!("q={}", enc(TITLE_WORD));
    let before = site.get(&format!("/api/v1/search?{query}"), None);
    assert_eq!(before.status, 200, "{label}: {}", before.text);
    assert_eq!(before.json["total"], 0, "{label}");

    // The 三级审核, each step by its own role.
    let early = site.act(id, &reviewer, json!({ "action": "approve" }));
    assert_eq!(early.status, 422, "{label}");
    assert!(
        early.error().contains("没有待审核的环节"),
        "{label}: {}",
        early.text
    );
    let unknown = site.act(id, &clerk, json!({ "action": "publish" }));
    assert_eq!(unknown.status, 422, "{label}");
    assert!(unknown.error().contains("没有操作"), "{label}");
    let submitted = site.act(id, &clerk, json!({ "action": "submit" }));
    assert_eq!(submitted.status, 200, "{label}: {}", submitted.text);
    assert_eq!(submitted.json["item"]["status"], "review", "{label}");
    assert_eq!(submitted.json["can"], json!([]), "{label}: the clerk waits");
    assert_eq!(
        site.get(&path, Some(&reviewer)).json["can"],
        json!(["approve", "return"]),
        "{label}"
    );
    let locked = site.put(&path, &clerk, &json!({ "summary": "x" }));
    assert_eq!(locked.status, 422, "{label}");
    assert!(
        locked.error().contains("不能修改"),
        "{label}: {}",
        locked.text
    );
    let late_file = site.upload(id, "附件2.pdf", &clerk, &pdf);
    assert_eq!(late_file.status, 422, "{label}");
    assert!(late_file.error().contains("不能再添加附件"), "{label}");
    let skipped = site.act(id, &secrecy, json!({ "action": "approve" }));
    assert_eq!(skipped.status, 422, "{label}");
    assert!(
        skipped.error().contains("应由科室负责人办理"),
        "{label}: {}",
        skipped.text
    );
    let by_admin = site.act(id, &admin, json!({ "action": "approve" }));
    assert_eq!(by_admin.status, 403, "{label}");
    assert!(
        by_admin.error().contains("管理员不能办理主动公开事项"),
        "{label}"
    );
    let no_reason = site.act(id, &reviewer, json!({ "action": "return", "reason": " " }));
    assert_eq!(no_reason.status, 422, "{label}");
    assert!(no_reason.error().contains("理由"), "{label}");

    let reviewed = site.act(id, &reviewer, json!({ "action": "approve" }));
    assert_eq!(reviewed.status, 200, "{label}: {}", reviewed.text);
    assert_eq!(reviewed.json["item"]["status"], "secrecy", "{label}");
    let cleared = site.act(id, &secrecy, json!({ "action": "approve" }));
    assert_eq!(cleared.status, 200, "{label}: {}", cleared.text);
    assert_eq!(cleared.json["item"]["status"], "sign", "{label}");
    let by_clerk = site.act(id, &clerk, json!({ "action": "approve" }));
    assert_eq!(by_clerk.status, 422, "{label}");
    assert!(by_clerk.error().contains("应由负责人办理"), "{label}");
    assert_eq!(
        site.get(&format!("/api/v1/search?{query}"), None).json["total"],
        0,
        "{label}"
    );

    let signed = site.act(id, &leader, json!({ "action": "approve" }));
    assert_eq!(signed.status, 200, "{label}: {}", signed.text);
    let item = &signed.json["item"];
    assert_eq!(item["status"], "published", "{label}");
    assert_eq!(item["published_on"], "2026-03-02", "{label}");
    assert_eq!(
        item["public_url"],
        format!("/a/{a}/i/{id}").as_str(),
        "{label}"
    );
    assert_eq!(item["late"], false, "{label}");
    let steps: Vec<&str> = signed.json["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter_map(|s| s["step"].as_str())
        .collect();
    assert_eq!(
        steps,
        [
            "起草",
            "修改",
            "添加附件",
            "提交审核",
            "科室审核通过",
            "保密审查通过",
            "签发并发布"
        ],
        "{label}"
    );

    // Published: the public search finds it within seconds, the title
    // escaped in title_html; by its attachment's words too.
    let found = site.search_until(&query, |r| r["total"] == 1);
    assert_eq!(found["total"], 1, "{label}: {found}");
    let hit = &found["hits"][0];
    assert_eq!(hit["id"], id, "{label}");
    assert_eq!(hit["url"], format!("/a/{a}/i/{id}").as_str(), "{label}");
    assert_eq!(hit["doc_no"], "甲建规〔2026〕1号", "{label}");
    assert_eq!(hit["validity"], "有效", "{label}");
    let title_html = hit["title_html"].as_str().expect("title_html");
    assert!(!title_html.contains("<script"), "{label}: {title_html}");
    assert!(
        title_html.contains("&lt;script&gt;"),
        "{label}: {title_html}"
    );
    let in_file = site.get(&format!("/api/v1/search?q={}", enc("淮安市人民政府")), None);
    assert_eq!(
        in_file.json["hits"][0]["id"], id,
        "{label}: {}",
        in_file.text
    );
    let elsewhere = site.get(&format!("/api/v1/search?{query}&agency={b}"), None);
    assert_eq!(elsewhere.json["total"], 0, "{label}");
    let filtered = site.get(
        &format!("/api/v1/search?{query}&column=a20-01&validity=valid&year=2026"),
        None,
    );
    assert_eq!(filtered.json["total"], 1, "{label}: {}", filtered.text);
    let bad_column = site.get("/api/v1/search?column=a99", None);
    assert_eq!(bad_column.status, 422, "{label}");
    assert!(bad_column.error().contains("没有栏目"), "{label}");
    let everything = site.get("/api/v1/search", None);
    assert_eq!(
        everything.json["total"], 1,
        "{label}: no condition lists every published item"
    );

    // Repeal asked and refused, then withdrawal asked and granted: the item
    // leaves the search.
    let repeal = site.act(
        id,
        &clerk,
        json!({ "action": "validity", "validity": "repealed", "on": "2026-03-02", "reason": "上位法修改" }),
    );
    assert_eq!(repeal.status, 200, "{label}: {}", repeal.text);
    assert_eq!(
        repeal.json["item"]["request"]["kind"], "validity",
        "{label}"
    );
    let refuse_bare = site.act(id, &leader, json!({ "action": "refuse" }));
    assert_eq!(refuse_bare.status, 422, "{label}");
    assert!(refuse_bare.error().contains("理由"), "{label}");
    let refused = site.act(
        id,
        &leader,
        json!({ "action": "refuse", "reason": "仍需执行" }),
    );
    assert_eq!(refused.status, 200, "{label}: {}", refused.text);
    assert_eq!(refused.json["item"]["validity"], "valid", "{label}");
    assert!(refused.json["item"]["request"].is_null(), "{label}");
    let withdraw = site.act(
        id,
        &clerk,
        json!({ "action": "withdraw", "reason": "内容有误" }),
    );
    assert_eq!(withdraw.status, 200, "{label}: {}", withdraw.text);
    let granted = site.act(id, &leader, json!({ "action": "grant" }));
    assert_eq!(granted.status, 200, "{label}: {}", granted.text);
    assert_eq!(granted.json["item"]["status"], "withdrawn", "{label}");
    let gone = site.search_until(&query, |r| r["total"] == 0);
    assert_eq!(gone["total"], 0, "{label}: withdrawn, not found");
}
