//! Charts as their users get them: the SVG parsed as XML (bars measured
//! against the values, text read back unescaped, the accessible name), and
//! the PDF read back with lopdf (pages, headings carried over, the text).

use gongkai_write::chart::{chart_pdf_embedded, Chart};
use lopdf::Document;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::HashMap;

// ---------------------------------------------------------------------------
// A small XML tree.

#[derive(Debug)]
enum Node {
    El(El),
    Text(String),
}

#[derive(Debug)]
struct El {
    name: String,
    attrs: HashMap<String, String>,
    children: Vec<Node>,
}

impl El {
    fn attr(&self, name: &str) -> &str {
        self.attrs
            .get(name)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("<{}> has no {name}", self.name))
    }

    fn num(&self, name: &str) -> f64 {
        self.attr(name)
            .parse()
            .unwrap_or_else(|e| panic!("{name}={}: {e}", self.attr(name)))
    }

    /// Every element under this one (this one first), depth first.
    fn all(&self) -> Vec<&El> {
        let mut out = vec![self];
        for c in &self.children {
            if let Node::El(e) = c {
                out.extend(e.all());
            }
        }
        out
    }

    fn text(&self) -> String {
        self.children
            .iter()
            .map(|c| match c {
                Node::Text(t) => t.clone(),
                Node::El(e) => e.text(),
            })
            .collect()
    }
}

fn element(e: &quick_xml::events::BytesStart<'_>, decoder: quick_xml::Decoder) -> El {
    let attrs = e
        .attributes()
        .map(|a| {
            let a = a.expect("a well-formed attribute");
            (
                String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                a.decode_and_unescape_value(decoder)
                    .expect("a valid value")
                    .into_owned(),
            )
        })
        .collect();
    El {
        name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
        attrs,
        children: Vec::new(),
    }
}

/// Parses a document strictly: one root, every tag closed.
fn parse(xml: &str) -> El {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<El> = Vec::new();
    let mut root = None;
    loop {
        match reader.read_event().expect("the SVG is well-formed XML") {
            Event::Start(e) => stack.push(element(&e, reader.decoder())),
            Event::Empty(e) => {
                let el = element(&e, reader.decoder());
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::El(el)),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                let el = stack.pop().expect("balanced tags");
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::El(el)),
                    None => {
                        assert!(root.is_none(), "one root element");
                        root = Some(el);
                    }
                }
            }
            Event::Text(t) => {
                let text = t.unescape().expect("valid text").into_owned();
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(Node::Text(text));
                } else {
                    assert!(text.trim().is_empty(), "text outside the root: {text}");
                }
            }
            Event::CData(_) | Event::PI(_) | Event::DocType(_) => {
                panic!("unexpected markup")
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(stack.is_empty(), "every element closed");
    root.expect("a root element")
}

struct Bar {
    series: usize,
    category: usize,
    value: f64,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

fn bars(svg: &El) -> Vec<Bar> {
    svg.all()
        .into_iter()
        .filter(|e| e.name == "rect" && e.attrs.get("class").map(String::as_str) == Some("bar"))
        .map(|e| Bar {
            series: e.attr("data-series").parse().unwrap(),
            category: e.attr("data-category").parse().unwrap(),
            value: e.num("data-value"),
            x: e.num("x"),
            y: e.num("y"),
            w: e.num("width"),
            h: e.num("height"),
        })
        .collect()
}

/// The texts drawn (not tooltips).
fn texts(svg: &El) -> Vec<String> {
    svg.all()
        .into_iter()
        .filter(|e| e.name == "text")
        .map(El::text)
        .collect()
}

fn agencies(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("样本机关{i:03}")).collect()
}

/// Close enough for lengths written to two places.
fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= 0.02 + 1e-6 * b.abs()
}

// ---------------------------------------------------------------------------
// SVG.

#[test]
fn the_svg_is_a_standalone_accessible_image() {
    let chart = Chart::new("2024年各机关新收申请", agencies(5))
        .unit("件")
        .series("新收申请", vec![5.0, 10.0, 0.0, 7.0, 3.0])
        .horizontal();
    let svg = parse(&chart.to_svg());
    assert_eq!(svg.name, "svg");
    assert_eq!(svg.attr("xmlns"), "http://www.w3.org/2000/svg");
    assert_eq!(svg.attr("width"), "100%");
    assert_eq!(svg.attr("role"), "img");
    assert_eq!(svg.attr("aria-label"), "2024年各机关新收申请");
    assert!(svg.attr("font-family").contains("Noto Sans CJK SC"));
    assert!(svg.attr("font-family").ends_with("sans-serif"));
    let view: Vec<f64> = svg
        .attr("viewBox")
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    assert_eq!(view.len(), 4);
    assert!(view[2] > 100.0 && view[3] > 50.0);
    match svg.children.iter().find_map(|c| match c {
        Node::El(e) => Some(e),
        Node::Text(_) => None,
    }) {
        Some(title) => {
            assert_eq!(title.name, "title");
            assert_eq!(title.text(), "2024年各机关新收申请");
        }
        None => panic!("no elements"),
    }
    // Everything drawn lies inside the view box.
    for e in svg.all() {
        if e.name == "rect" {
            assert!(e.num("x") >= 0.0 && e.num("x") + e.num("width") <= view[2] + 0.01);
            assert!(e.num("y") >= 0.0 && e.num("y") + e.num("height") <= view[3] + 0.01);
        }
        if e.name == "text" {
            assert!(e.num("x") >= 0.0 && e.num("x") <= view[2]);
            assert!(e.num("y") >= 0.0 && e.num("y") <= view[3]);
        }
    }
    let t = texts(&svg);
    for a in agencies(5) {
        assert!(t.contains(&a), "{a} missing from {t:?}");
    }
    assert!(t.contains(&"单位：件".to_string()));
}

#[test]
fn bars_are_as_long_as_their_values() {
    let values_a = vec![12.0, 47.0, 3.0, 0.0, 25.5, 8.0];
    let values_b = vec![30.0, 2.0, 19.0, 11.0, 0.5, 40.0];
    let base = Chart::new("比较", agencies(6))
        .series("2023年", values_a.clone())
        .series("2024年", values_b.clone());
    for horizontal in [true, false] {
        let chart = if horizontal {
            base.clone().horizontal()
        } else {
            base.clone()
        };
        let svg = parse(&chart.to_svg());
        let bars = bars(&svg);
        // Every non-zero value has its bar, with its value.
        assert_eq!(bars.len(), 11);
        for b in &bars {
            let given = [&values_a, &values_b][b.series][b.category];
            assert_eq!(b.value, given);
        }
        let length = |b: &Bar| if horizontal { b.w } else { b.h };
        let unit = length(&bars[0]) / bars[0].value;
        assert!(unit > 0.0);
        for b in &bars {
            assert!(
                near(length(b), b.value * unit),
                "series {} category {}: {} for {}",
                b.series,
                b.category,
                length(b),
                b.value
            );
        }
        // All bars stand on one baseline.
        let foot = |b: &Bar| if horizontal { b.x } else { b.y + b.h };
        assert!(bars.iter().all(|b| near(foot(b), foot(&bars[0]))));
        // The longest bar is that of the largest value.
        let longest = bars
            .iter()
            .max_by(|a, b| length(a).total_cmp(&length(b)))
            .unwrap();
        assert_eq!(longest.value, 47.0);
    }
}

#[test]
fn stacks_are_as_long_as_their_sums_and_shares_all_alike() {
    let a = vec![10.0, 0.0, 6.0, 0.0];
    let b = vec![30.0, 5.0, 2.0, 0.0];
    let c = vec![60.0, 15.0, 0.0, 0.0];
    let chart = Chart::new("构成", agencies(4))
        .series("甲", a.clone())
        .series("乙", b.clone())
        .series("丙", c.clone())
        .horizontal()
        .stacked();
    let svg = parse(&chart.to_svg());
    let bars = bars(&svg);
    let sums: Vec<f64> = (0..4).map(|i| a[i] + b[i] + c[i]).collect();
    let unit = bars[0].w / bars[0].value;
    for (cat, sum) in sums.iter().enumerate().take(3) {
        let mut segs: Vec<&Bar> = bars.iter().filter(|x| x.category == cat).collect();
        segs.sort_by_key(|x| x.series);
        // Each segment starts where the one before it ends.
        for pair in segs.windows(2) {
            assert!(near(pair[0].x + pair[0].w, pair[1].x));
            assert_eq!(pair[0].y, pair[1].y);
        }
        let total: f64 = segs.iter().map(|x| x.w).sum();
        assert!(near(total, sum * unit), "category {cat}");
    }
    assert!(bars.iter().all(|x| x.category != 3));

    let svg = parse(&chart.clone().shares().to_svg());
    let bars = self::bars(&svg);
    let full: Vec<f64> = (0..3)
        .map(|cat| bars.iter().filter(|x| x.category == cat).map(|x| x.w).sum())
        .collect();
    assert!(full.iter().all(|&f| near(f, full[0])), "{full:?}");
    for x in &bars {
        let given = [&a, &b, &c][x.series][x.category];
        assert!((x.value - given / sums[x.category] * 100.0).abs() < 1e-4);
    }
    let t = texts(&svg);
    assert!(t.contains(&"100%".to_string()));
    assert!(!t.iter().any(|t| t.contains("NaN")));
}

#[test]
fn hostile_names_stay_text() {
    let names = vec![
        "<script>alert(\"x\")</script>".to_string(),
        "A & B <b>局</b>".to_string(),
        "']]><!--".to_string(),
    ];
    let chart = Chart::new("<svg onload=alert(1)> & 标题", names.clone())
        .series("\"系列\" & <i>", vec![1.0, 2.0, 3.0])
        .series("第二", vec![1.0, 2.0, 3.0])
        .unit("<件>")
        .horizontal()
        .value_labels();
    let raw = chart.to_svg();
    assert!(!raw.contains("<script"));
    assert!(!raw.contains("<b>") && !raw.contains("<i>") && !raw.contains("<!--"));
    let svg = parse(&raw);
    assert!(svg.all().iter().all(|e| matches!(
        e.name.as_str(),
        "svg" | "title" | "rect" | "line" | "text" | "g"
    )));
    assert!(svg.all().iter().all(|e| !e.attrs.contains_key("onload")));
    assert_eq!(svg.attr("aria-label"), "<svg onload=alert(1)> & 标题");
    let t = texts(&svg);
    for name in &names {
        assert!(t.contains(name), "{name} not read back from {t:?}");
    }
    assert!(t.contains(&"\"系列\" & <i>".to_string()));
    assert!(t.contains(&"单位：<件>".to_string()));
}

#[test]
fn long_names_are_shortened_with_the_whole_name_kept() {
    let long =
        "某某省某某市某某区人民政府某某街道办事处社区综合服务中心管理委员会办公室".to_string();
    let chart = Chart::new("长名称", vec![long.clone(), "短名".into()])
        .series("数量", vec![3.0, 4.0])
        .horizontal();
    let svg = parse(&chart.to_svg());
    let group = svg
        .all()
        .into_iter()
        .find(|e| {
            e.name == "g"
                && e.children
                    .iter()
                    .any(|c| matches!(c, Node::El(t) if t.name == "title" && t.text() == long))
        })
        .expect("the whole name is kept in a <title>");
    let shown = group
        .all()
        .into_iter()
        .find(|e| e.name == "text")
        .unwrap()
        .text();
    assert!(shown.ends_with('…'), "{shown}");
    assert!(long.starts_with(shown.trim_end_matches('…')));
    // The bar's tooltip names the agency in full.
    assert!(svg
        .all()
        .iter()
        .any(|e| e.name == "rect" && e.text().contains(&long)));
}

#[test]
fn empty_and_zero_charts_say_so() {
    let svg = parse(&Chart::new("没有数据", vec![]).to_svg());
    assert!(bars(&svg).is_empty());
    assert!(texts(&svg).contains(&"无数据".to_string()));
    let raw = Chart::new("零", agencies(3))
        .series("a", vec![0.0; 3])
        .series("b", vec![0.0; 3])
        .shares()
        .value_labels()
        .to_svg();
    let svg = parse(&raw);
    assert!(bars(&svg).is_empty());
    assert!(texts(&svg).contains(&"注：各项数值均为 0".to_string()));
    assert!(!raw.contains("NaN") && !raw.contains("inf"));
}

// ---------------------------------------------------------------------------
// PDF.

/// The text of every page, whitespace removed.
fn page_texts(bytes: &[u8]) -> Vec<String> {
    let doc = Document::load_mem(bytes).expect("the PDF parses");
    doc.get_pages()
        .keys()
        .map(|&p| {
            doc.extract_text(&[p])
                .expect("the text extracts")
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect()
        })
        .collect()
}

#[test]
fn a_long_chart_continues_on_the_next_pages() {
    let n = 120;
    let values: Vec<f64> = (0..n).map(|i| ((i * 37) % 500) as f64).collect();
    let chart = Chart::new("各机关新收申请数量", agencies(n))
        .unit("件")
        .series("新收申请", values)
        .horizontal()
        .value_labels();
    let out = chart_pdf_embedded("审查图表", &[("一、新收申请", &chart)]);
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let doc = Document::load_mem(&out.bytes).unwrap();
    for (_, id) in doc.get_pages() {
        let page = doc.get_object(id).unwrap().as_dict().unwrap();
        let media = page.get(b"MediaBox").unwrap().as_array().unwrap();
        let w = media[2].as_float().unwrap();
        let h = media[3].as_float().unwrap();
        assert!((w - 595.28).abs() < 0.1 && (h - 841.89).abs() < 0.1);
    }
    let pages = page_texts(&out.bytes);
    // About 30 rows of 17 pt to a page of 225 mm.
    assert!((3..=5).contains(&pages.len()), "{} pages", pages.len());
    assert!(pages[0].starts_with("审查图表一、新收申请各机关新收申请数量"));
    assert!(!pages[0].contains("（续）"));
    for (i, page) in pages.iter().enumerate().skip(1) {
        assert!(page.starts_with("一、新收申请（续）"), "page {}", i + 1);
        // The chart's own title only once, on its first page.
        assert!(!page.contains("各机关新收申请数量"));
    }
    // Every agency once, in order, and the pages well filled.
    let all: String = pages.concat();
    assert_eq!(all.matches("样本机关").count(), n);
    let mut last = 0;
    for name in agencies(n) {
        let at = all.find(&name).unwrap_or_else(|| panic!("{name} missing"));
        assert!(at >= last, "{name} out of order");
        last = at;
    }
    for page in &pages[..pages.len() - 1] {
        assert!(page.matches("样本机关").count() >= 20);
    }
    // Page numbers.
    for (i, page) in pages.iter().enumerate() {
        assert!(page.ends_with(&format!("—{}—", i + 1)), "page {}", i + 1);
    }
}

#[test]
fn charts_of_every_kind_go_into_one_pdf() {
    let years: Vec<String> = (2019..=2024).map(|y| format!("{y}年")).collect();
    let trend = Chart::new("历年新收申请", years)
        .unit("件")
        .series("自然人", vec![120.0, 150.0, 210.0, 180.0, 260.0, 301.0])
        .series("法人或其他组织", vec![20.0, 25.0, 31.0, 40.0, 38.0, 52.0])
        .value_labels();
    let long_names: Vec<String> = (0..12)
        .map(|i| format!("示例县第{i}人民政府办公室"))
        .collect();
    let rates = Chart::new("纠正率", long_names.clone())
        .percent()
        .series("纠正率", (0..12).map(|i| i as f64 * 8.5).collect());
    let shares = Chart::new("办理结果构成", agencies(4))
        .series("予以公开", vec![5.0, 1.0, 0.0, 3.0])
        .series("不予公开", vec![1.0, 1.0, 0.0, 3.0])
        .horizontal()
        .shares()
        .value_labels();
    let empty = Chart::new("空", vec![]);
    let out = chart_pdf_embedded(
        "示例县2024年度政府信息公开工作年度报告审查",
        &[
            ("一、历年变化", &trend),
            ("二、纠正率", &rates),
            ("三、办理结果构成", &shares),
            ("四、空", &empty),
        ],
    );
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let all = page_texts(&out.bytes).concat();
    for needle in [
        "示例县2024年度政府信息公开工作年度报告审查",
        "一、历年变化",
        "历年新收申请",
        "2019年",
        "2024年",
        "301",
        "自然人",
        "法人或其他组织",
        "二、纠正率",
        "100%",
        "三、办理结果构成",
        "83.3%",
        "四、空",
        "无数据",
        "单位：件",
    ] {
        assert!(all.contains(needle), "{needle} missing");
    }
    // The rotated labels of the vertical chart are text too (shortened or
    // whole, every one begins with the agency's county).
    assert!(all.matches("示例县第").count() >= 12);
}
