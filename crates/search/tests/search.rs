use chrono::NaiveDate;
use gongkai_search::{Doc, Query, SearchIndex};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn item(key: i64, agency_id: i64, title: &str, body: &str, published_on: NaiveDate) -> Doc {
    Doc {
        key,
        agency_id,
        publisher: format!("第{agency_id}号机关"),
        index_no: format!("11320800MB{key:04}/2024-{key:05}"),
        title: title.to_string(),
        doc_no: String::new(),
        summary: String::new(),
        body: body.to_string(),
        column: "a20-01".to_string(),
        validity: "有效".to_string(),
        published_on,
    }
}

fn corpus() -> Vec<Doc> {
    let mut docs = vec![
        item(
            1,
            10,
            "关于印发行政规范性文件管理办法的通知",
            "为加强行政规范性文件的制定和监督管理，根据有关法律法规，结合本市实际，制定本办法。",
            date(2023, 5, 1),
        ),
        item(
            2,
            10,
            "2024年政府信息公开工作年度报告",
            "本年度共制定规范性文件5件，主动公开政府信息5500余条，依申请公开办理167件。",
            date(2024, 3, 1),
        ),
        item(
            3,
            20,
            "关于做好防汛抗旱工作的通知",
            "各县区人民政府要切实做好防汛准备，落实防汛责任制，确保安全度汛。",
            date(2024, 6, 10),
        ),
        item(
            4,
            20,
            "市人民政府关于调整最低工资标准的通知",
            "经研究，决定调整全市最低工资标准，自2024年7月1日起执行。",
            date(2024, 6, 20),
        ),
    ];
    docs[0].doc_no = "淮政规〔2023〕3号".to_string();
    docs[0].summary = "规定行政规范性文件的起草、审核、发布和备案。".to_string();
    docs[1].doc_no = "国办发〔2019〕61号".to_string();
    docs[2].column = "a20-05".to_string();
    docs[3].validity = "废止".to_string();
    docs[3].publisher = "某市人力资源和社会保障局".to_string();
    docs
}

fn index() -> SearchIndex {
    let ix = SearchIndex::in_memory().unwrap();
    assert_eq!(ix.mark(), None);
    assert_eq!(ix.rebuild(corpus().into_iter(), 7).unwrap(), 4);
    assert_eq!(ix.mark(), Some(7));
    ix
}

fn q(text: &str) -> Query {
    Query {
        text: text.to_string(),
        limit: 10,
        ..Query::default()
    }
}

fn keys(ix: &SearchIndex, query: &Query) -> Vec<i64> {
    ix.search(query)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.key)
        .collect()
}

#[test]
fn phrase_finds_items_and_title_match_ranks_first() {
    let ix = index();
    assert_eq!(ix.len(), 4);
    // "规范性文件": in item 1's title and body, in item 2's body only.
    let r = ix.search(&q("规范性文件")).unwrap();
    assert_eq!(r.total, 2);
    assert_eq!(r.hits.iter().map(|h| h.key).collect::<Vec<_>>(), vec![1, 2]);
    assert!(r.hits[0].score > r.hits[1].score);
    assert!(
        r.hits[0].title_html.contains("<mark>"),
        "{}",
        r.hits[0].title_html
    );
    assert!(
        r.hits[1].snippet_html.contains("<mark>"),
        "{}",
        r.hits[1].snippet_html
    );
    assert!(!r.hits[1].title_html.contains("<mark>"));
    // A part of a word finds it too.
    assert_eq!(keys(&ix, &q("文件")), vec![1, 2]);
    // Words are combined with AND.
    assert_eq!(keys(&ix, &q("防汛 通知")), vec![3]);
    assert_eq!(keys(&ix, &q("防汛 工资")), Vec::<i64>::new());
    // Case of ASCII letters does not matter.
    let mut d = item(9, 30, "关于GB/T 2260标准的说明", "", date(2020, 1, 1));
    d.summary = "Administrative Divisions".into();
    ix.apply(&[d], &[], 8).unwrap();
    assert_eq!(keys(&ix, &q("gb/t 2260")), vec![9]);
    assert_eq!(keys(&ix, &q("administrative")), vec![9]);
}

#[test]
fn doc_no_is_found_as_typed() {
    let ix = index();
    assert_eq!(keys(&ix, &q("国办发〔2019〕61号")), vec![2]);
    assert_eq!(keys(&ix, &q("国办发[2019]61号")), vec![2]);
    assert_eq!(keys(&ix, &q("淮政规〔2023〕3号")), vec![1]);
    let h = &ix.search(&q("国办发〔2019〕61号")).unwrap().hits[0];
    assert_eq!(h.doc_no, "国办发〔2019〕61号");
}

#[test]
fn ties_are_broken_newest_first() {
    let ix = SearchIndex::in_memory().unwrap();
    let docs: Vec<Doc> = (1..=5)
        .map(|i| item(i, 1, "政务公开工作要点", "", date(2020 + i as i32, 1, 1)))
        .collect();
    ix.rebuild(docs.into_iter(), 1).unwrap();
    assert_eq!(keys(&ix, &q("政务公开")), vec![5, 4, 3, 2, 1]);
}

#[test]
fn filters_each_work_and_combine() {
    let ix = index();
    let mut query = q("通知");
    assert_eq!(ix.search(&query).unwrap().total, 3);
    query.agency_id = Some(20);
    let mut found = keys(&ix, &query);
    found.sort();
    assert_eq!(found, vec![3, 4]);
    query.column = Some("a20-05".into());
    assert_eq!(keys(&ix, &query), vec![3]);

    let mut query = q("");
    query.year = Some(2024);
    assert_eq!(keys(&ix, &query), vec![4, 3, 2]);
    let mut query = q("");
    query.validity = Some("废止".into());
    assert_eq!(keys(&ix, &query), vec![4]);
    let mut query = q("");
    query.publisher = Some("某市人力资源和社会保障局".into());
    assert_eq!(keys(&ix, &query), vec![4]);
    query.publisher = Some("人力资源".into()); // exact, not a word search
    assert_eq!(keys(&ix, &query), Vec::<i64>::new());
    let mut query = q("");
    query.year = Some(2023);
    query.agency_id = Some(10);
    assert_eq!(keys(&ix, &query), vec![1]);
    // Empty text, no filter: everything, newest first, without marks.
    let r = ix.search(&q("")).unwrap();
    assert_eq!(
        r.hits.iter().map(|h| h.key).collect::<Vec<_>>(),
        vec![4, 3, 2, 1]
    );
    assert!(r.hits.iter().all(|h| !h.title_html.contains("<mark>")));
    assert_eq!(r.hits[0].published_on, date(2024, 6, 20));
    assert_eq!(r.hits[0].validity, "废止");
    assert_eq!(r.hits[1].column, "a20-05");
}

#[test]
fn paging_keeps_the_total() {
    let ix = SearchIndex::in_memory().unwrap();
    let docs: Vec<Doc> = (0..25)
        .map(|i| {
            item(
                i,
                1,
                &format!("第{i}号公告"),
                "公告内容",
                date(2000, 1, 1) + chrono::Duration::days(i),
            )
        })
        .collect();
    ix.rebuild(docs.into_iter(), 1).unwrap();
    let mut query = q("公告");
    query.limit = 10;
    let mut seen = Vec::new();
    for page in 0..3 {
        query.offset = page * 10;
        let r = ix.search(&query).unwrap();
        assert_eq!(r.total, 25);
        assert_eq!(r.hits.len(), if page < 2 { 10 } else { 5 });
        seen.extend(r.hits.iter().map(|h| h.key));
    }
    seen.sort();
    assert_eq!(seen, (0..25).collect::<Vec<_>>());
    query.offset = 100;
    let r = ix.search(&query).unwrap();
    assert_eq!((r.total, r.hits.len()), (25, 0));
    query.offset = 0;
    query.limit = 0;
    let r = ix.search(&query).unwrap();
    assert_eq!((r.total, r.hits.len()), (25, 0));
    query.offset = usize::MAX;
    query.limit = usize::MAX;
    assert_eq!(ix.search(&query).unwrap().total, 25);
}

#[test]
fn apply_replaces_and_removes() {
    let ix = index();
    let mut changed = corpus()[2].clone();
    changed.title = "关于做好抗旱保供水工作的通知".into();
    changed.body = "确保城乡供水安全。".into();
    ix.apply(&[changed], &[4], 9).unwrap();
    assert_eq!(ix.mark(), Some(9));
    assert_eq!(ix.len(), 3);
    assert_eq!(keys(&ix, &q("防汛")), Vec::<i64>::new());
    assert_eq!(keys(&ix, &q("供水")), vec![3]);
    assert_eq!(keys(&ix, &q("最低工资")), Vec::<i64>::new());
    // Removing a key that is not there is no error.
    ix.apply(&[], &[12345], 10).unwrap();
    assert_eq!(ix.len(), 3);
}

#[test]
fn rebuild_replaces_everything() {
    let ix = index();
    let fresh = vec![item(100, 1, "新的内容", "完全不同的正文", date(2025, 1, 1))];
    assert_eq!(ix.rebuild(fresh.into_iter(), 20).unwrap(), 1);
    assert_eq!(ix.len(), 1);
    assert_eq!(ix.mark(), Some(20));
    assert_eq!(keys(&ix, &q("通知")), Vec::<i64>::new());
    assert_eq!(keys(&ix, &q("正文")), vec![100]);
}

#[test]
fn mark_and_content_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    {
        let ix = SearchIndex::open_dir(dir.path()).unwrap();
        assert_eq!(ix.mark(), None);
        assert!(ix.recreated().is_none());
        ix.rebuild(corpus().into_iter(), 41).unwrap();
        ix.apply(&[], &[3], 42).unwrap();
    }
    let ix = SearchIndex::open_dir(dir.path()).unwrap();
    assert!(ix.recreated().is_none());
    assert_eq!(ix.mark(), Some(42));
    assert_eq!(ix.len(), 3);
    assert_eq!(keys(&ix, &q("规范性文件")), vec![1, 2]);
}

#[test]
fn a_new_directory_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a/b/search");
    let ix = SearchIndex::open_dir(&path).unwrap();
    assert!(ix.is_empty());
    assert!(ix.recreated().is_none());
}

#[test]
fn a_corrupt_index_is_recreated_empty() {
    // meta.json that is not JSON.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("meta.json"), b"{ not json").unwrap();
    std::fs::write(dir.path().join("keep-me.txt"), b"not ours").unwrap();
    let ix = SearchIndex::open_dir(dir.path()).unwrap();
    assert!(ix.recreated().is_some());
    assert_eq!(ix.mark(), None);
    assert!(ix.is_empty());
    ix.apply(&corpus(), &[], 1).unwrap();
    assert_eq!(ix.len(), 4);
    assert!(dir.path().join("keep-me.txt").exists());
    drop(ix);

    // Segment files truncated.
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.len() > 32 && !name.starts_with('.') {
            std::fs::write(&path, b"garbage").unwrap();
        }
    }
    let ix = SearchIndex::open_dir(dir.path()).unwrap();
    assert!(ix.recreated().is_some(), "truncated segments not noticed");
    assert!(ix.is_empty());
    assert_eq!(ix.mark(), None);
    drop(ix);

    // An index of another schema version.
    let dir = tempfile::tempdir().unwrap();
    {
        let ix = SearchIndex::open_dir(dir.path()).unwrap();
        ix.apply(&corpus(), &[], 5).unwrap();
    }
    let meta = dir.path().join("meta.json");
    let text = std::fs::read_to_string(&meta).unwrap();
    let old = format!("gongkai-search/{} mark=5", gongkai_search::SCHEMA_VERSION);
    assert!(text.contains(&old), "{text}");
    std::fs::write(&meta, text.replace(&old, "gongkai-search/0 mark=5")).unwrap();
    let ix = SearchIndex::open_dir(dir.path()).unwrap();
    assert!(ix.recreated().unwrap().contains("版"));
    assert!(ix.is_empty());
}

#[test]
fn hostile_queries_do_not_error() {
    let ix = index();
    let long = "规范".repeat(5_000);
    let junk: String = (0..10_000)
        .map(|i| char::from(b'!' + (i % 90) as u8))
        .collect();
    for text in [
        "\"",
        "(",
        ")",
        "a:b",
        "AND OR",
        "AND",
        "NOT",
        "title:通知",
        "*",
        "?",
        "~",
        "^2",
        "[1 TO 5]",
        "{",
        "\\",
        "-",
        "+通知",
        "\"规范性",
        "😀",
        "😀🎉通知",
        "，。！？",
        "的",
        "　",
        long.as_str(),
        junk.as_str(),
        "<script>alert(1)</script>",
    ] {
        let r = ix.search(&q(text));
        assert!(r.is_ok(), "{text:?}: {r:?}");
    }
    assert_eq!(ix.search(&q("，。！？")).unwrap().total, 0);
    assert_eq!(ix.search(&q("😀")).unwrap().total, 0);
    assert_eq!(keys(&ix, &q("😀防汛")), vec![3]);
    assert_eq!(keys(&ix, &q("\"防汛\"")), vec![3]);
    assert_eq!(keys(&ix, &q("(防汛)")), vec![3]);
}

#[test]
fn script_comes_out_escaped() {
    let ix = SearchIndex::in_memory().unwrap();
    let mut d = item(
        1,
        1,
        "<script>alert('标题')</script>通知",
        "正文<script>alert(\"x\")</script>通知 & <b>粗体</b>",
        date(2024, 1, 1),
    );
    d.summary = "<img src=x onerror=alert(1)>".into();
    ix.apply(&[d.clone()], &[], 1).unwrap();
    for text in ["通知", "script", "alert", ""] {
        let r = ix.search(&q(text)).unwrap();
        assert_eq!(r.total, 1, "{text}");
        let h = &r.hits[0];
        for html in [&h.title_html, &h.snippet_html] {
            assert!(!html.contains("<script"), "{text}: {html}");
            assert!(!html.contains("<img"), "{text}: {html}");
            assert!(!html.contains("<b>"), "{text}: {html}");
            assert!(
                html.replace("<mark>", "")
                    .replace("</mark>", "")
                    .find('<')
                    .is_none(),
                "{html}"
            );
        }
    }
    let h = &ix.search(&q("通知")).unwrap().hits[0];
    assert!(h.title_html.contains("&lt;script&gt;"), "{}", h.title_html);
    assert!(
        h.title_html.contains("<mark>通知</mark>"),
        "{}",
        h.title_html
    );
    assert!(h.snippet_html.contains("&amp;"), "{}", h.snippet_html);
}

#[test]
fn snippets_are_short_fragments_around_the_match() {
    let ix = SearchIndex::in_memory().unwrap();
    let filler = "各级行政机关应当依法履行职责，提高工作效率。".repeat(40);
    let body = format!("{filler}重点推进政务数据共享开放。{filler}");
    ix.apply(&[item(1, 1, "工作意见", &body, date(2024, 1, 1))], &[], 1)
        .unwrap();
    let h = &ix.search(&q("数据共享")).unwrap().hits[0];
    let plain = h.snippet_html.replace("<mark>", "").replace("</mark>", "");
    let n = plain.chars().count();
    assert!((60..=160).contains(&n), "{n}: {}", h.snippet_html);
    assert!(
        h.snippet_html.contains("<mark>数据共享</mark>")
            || h.snippet_html.contains("<mark>数据</mark>"),
        "{}",
        h.snippet_html
    );
    assert!(plain.starts_with('…') && plain.ends_with('…'), "{plain}");
    // No match in the body: the summary's beginning.
    let mut d = item(2, 1, "数据共享清单", "", date(2024, 1, 1));
    d.summary = "本清单列出可共享的数据目录。".into();
    ix.apply(&[d], &[], 2).unwrap();
    let r = ix.search(&q("清单")).unwrap();
    assert_eq!(r.hits[0].key, 2);
    assert!(
        r.hits[0].snippet_html.contains("<mark>清单</mark>"),
        "{}",
        r.hits[0].snippet_html
    );
}

#[test]
fn shared_between_threads() {
    let ix = std::sync::Arc::new(index());
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let ix = ix.clone();
            std::thread::spawn(move || {
                for i in 0..20 {
                    if t == 0 {
                        let d = item(1000 + i, 5, "并发写入的通知", "正文", date(2024, 1, 1));
                        ix.apply(&[d], &[], 100 + i).unwrap();
                    } else {
                        ix.search(&q("通知")).unwrap();
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(ix.len(), 24);
    assert_eq!(ix.mark(), Some(119));
}
