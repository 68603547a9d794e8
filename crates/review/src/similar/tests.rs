use super::sample::{Plan, Sample};
use super::*;

const PREAMBLE: &str = "本报告是根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开条例〉实施后有关问题的通知》要求，由{name}编制的2024年度政府信息公开工作年度报告。本报告中所列数据的统计期限自2024年1月1日起至2024年12月31日止。\n";

/// Section 1 of 青山县石桥镇人民政府, written in its own words.
const SHIQIAO: &str = "（一）主动公开情况
石桥镇围绕茶旅融合和集镇改造两项中心工作，在政府网站公开镇区雨污分流改造工程施工许可、中标结果和月度进度37条，在杨柳村、河湾村的公开栏张贴老旧房屋拆除补偿方案和评估结果。针对今年汛期山洪，镇应急办在微信公众号连续发布水位预警和转移安置点位置，累计推送22期。
（二）依申请公开情况
全年受理申请9件，其中6件来自集镇改造范围内的商户，询问门面补偿的计算口径；镇党政办会同规划所逐户解释，并把计算表作为答复附件一并提供。另有2件申请公开石桥水库承包合同，因合同涉及第三方商业信息，征求承包人意见后部分公开。
（三）政府信息公开平台建设情况
镇便民服务中心新装两台自助查询机，可查阅近五年镇政府发文和村级财务报表；镇村两级公开栏统一更换为不锈钢玻璃橱窗，共计十四处。
（四）监督保障情况
镇纪委对村级公开栏开展季度抽查，发现河湾村未按时公布低保名单，已督促整改并在全镇通报。
";

/// The same section as 青山县白沙镇人民政府 copied it: names, villages and
/// figures changed, full-width digits in places.
const BAISHA: &str = "（一）主动公开情况
白沙镇围绕茶旅融合和集镇改造两项中心工作，在政府网站公开镇区雨污分流改造工程施工许可、中标结果和月度进度４１条，在东坪村、西岭村的公开栏张贴老旧房屋拆除补偿方案和评估结果。针对今年汛期山洪，镇应急办在微信公众号连续发布水位预警和转移安置点位置，累计推送18期。
（二）依申请公开情况
全年受理申请12件，其中7件来自集镇改造范围内的商户，询问门面补偿的计算口径；镇党政办会同规划所逐户解释，并把计算表作为答复附件一并提供。另有3件申请公开白沙水库承包合同，因合同涉及第三方商业信息，征求承包人意见后部分公开。
（三）政府信息公开平台建设情况
镇便民服务中心新装两台自助查询机，可查阅近五年镇政府发文和村级财务报表；镇村两级公开栏统一更换为不锈钢玻璃橱窗，共计十四处。
（四）监督保障情况
镇纪委对村级公开栏开展季度抽查，发现西岭村未按时公布低保名单，已督促整改并在全镇通报。
";

/// Section 1 of 青山县龙潭乡人民政府: the same topics, its own text.
const LONGTAN: &str = "（一）主动公开情况
今年我乡把惠农补贴发放作为公开重点，一卡通发放的耕地地力保护补贴、生猪调出奖励资金逐村逐户公示，公示期满后在乡政府网站长期保留。乡里还把全年召开的十一次乡长办公会议题摘要挂到网上，群众可以看到哪些事项已经研究、何时落实。
（二）依申请公开情况
龙潭乡共收到申请4件，都是外出务工人员通过邮寄方式提出的，内容是宅基地确权登记进度。乡自然资源所逐件调取档案，在十五个工作日内把登记册复印件寄回。
（三）政府信息公开平台建设情况
乡政府网站完成适老化改造，字体可放大，增加了语音播报；在集市日设置流动公开点，由驻村干部现场讲解医保缴费新标准。
（四）监督保障情况
乡人大主席团每半年听取一次政务公开工作汇报，今年提出的三条意见已全部落实。
";

/// Section 1 of 青山县竹林镇人民政府: the first two parts of 石桥镇's taken
/// over (names changed), the rest its own.
const ZHULIN: &str = "（一）主动公开情况
竹林镇围绕茶旅融合和集镇改造两项中心工作，在政府网站公开镇区雨污分流改造工程施工许可、中标结果和月度进度29条，在杨柳村、河湾村的公开栏张贴老旧房屋拆除补偿方案和评估结果。针对今年汛期山洪，镇应急办在微信公众号连续发布水位预警和转移安置点位置，累计推送25期。
（二）依申请公开情况
全年受理申请5件，其中3件来自集镇改造范围内的商户，询问门面补偿的计算口径；镇党政办会同规划所逐户解释，并把计算表作为答复附件一并提供。另有1件申请公开竹林水库承包合同，因合同涉及第三方商业信息，征求承包人意见后部分公开。
（三）政府信息公开平台建设情况
竹林镇在文化站开辟政务公开阅览角，订阅县报和政策汇编，每周二由镇党政办值班人员解答群众疑问。
（四）监督保障情况
镇党委会每季度专题研究一次公开工作，分管领导对发布稿件逐篇签字。
";

/// A short section: two parts of 石桥镇's, nothing else.
const SHORT_COPY: &str = "（一）主动公开情况
新桥镇围绕茶旅融合和集镇改造两项中心工作，在政府网站公开镇区雨污分流改造工程施工许可、中标结果和月度进度12条，在杨柳村、河湾村的公开栏张贴老旧房屋拆除补偿方案和评估结果。针对今年汛期山洪，镇应急办在微信公众号连续发布水位预警和转移安置点位置，累计推送8期。
";

/// A background of generated reports of one year: enough agencies for the
/// boilerplate to be template.
fn background(agencies: usize) -> Sample {
    let plan = Plan {
        agencies,
        first_year: 2024,
        years: 1,
        previous_year: 0.0,
        other_agency: 0.0,
        cross_year: 0.0,
        partial: 0.0,
        clusters: 0,
    };
    Sample::generate(11, &plan)
}

struct Own {
    id: u64,
    agency: u64,
    year: i32,
    section: u8,
    name: &'static str,
    text: String,
}

fn section1(id: u64, agency: u64, name: &'static str, body: &str) -> Own {
    Own {
        id,
        agency,
        year: 2024,
        section: 1,
        name,
        text: format!("{}{body}", PREAMBLE.replace("{name}", name)),
    }
}

const SHIQIAO_NAME: &str = "青山县石桥镇人民政府";
const BAISHA_NAME: &str = "青山县白沙镇人民政府";

/// Runs the detection over the background and `own`; returns the copies
/// that involve `own` (the background has none planted).
fn run(own: &[Own], settings: &Settings) -> Vec<Copying> {
    let bg = background(60);
    let mut passages = bg.passages();
    passages.extend(own.iter().map(|o| Passage {
        id: o.id,
        agency: o.agency,
        year: o.year,
        section: o.section,
        name: o.name,
        text: &o.text,
    }));
    find_copies(&passages, settings)
        .into_iter()
        .filter(|c| c.later >= 1000 || c.earlier >= 1000)
        .collect()
}

#[test]
fn copy_with_names_and_figures_changed_is_found() {
    let own = [
        section1(1000, 500, SHIQIAO_NAME, SHIQIAO),
        section1(1001, 501, BAISHA_NAME, BAISHA),
    ];
    let found = run(&own, &Settings::default());
    assert_eq!(found.len(), 1, "{found:?}");
    let c = &found[0];
    assert_eq!((c.later, c.earlier, c.section), (1001, 1000, 1));
    assert_eq!(c.kind, CopyKind::OtherAgency);
    assert!(c.similarity > 0.85, "{c:?}");
}

#[test]
fn independent_text_on_the_same_topics_is_not_found() {
    let own = [
        section1(1000, 500, SHIQIAO_NAME, SHIQIAO),
        section1(1002, 502, "青山县龙潭乡人民政府", LONGTAN),
    ];
    assert_eq!(run(&own, &Settings::default()), vec![]);
    // Not even at a low threshold.
    let low = Settings {
        threshold: 0.2,
        ..Settings::default()
    };
    assert_eq!(run(&own, &low), vec![]);
}

#[test]
fn template_sentences_do_not_count() {
    // Section 1 of two agencies with nothing but the boilerplate and the
    // part titles; section 6 with only the fee sentence; section 4 "无。".
    let titles = "（一）主动公开情况\n（二）依申请公开情况\n（三）政府信息公开平台建设情况\n（四）监督保障情况\n";
    let mut own = Vec::new();
    for (i, name) in [SHIQIAO_NAME, BAISHA_NAME].into_iter().enumerate() {
        let i = i as u64;
        own.push(section1(1000 + i, 500 + i, name, titles));
        own.push(Own {
            id: 1000 + i,
            agency: 500 + i,
            year: 2024,
            section: 6,
            name,
            text: format!("本年度{name}未收取政府信息公开信息处理费。\n"),
        });
        own.push(Own {
            id: 1000 + i,
            agency: 500 + i,
            year: 2024,
            section: 4,
            name,
            text: "无。".into(),
        });
    }
    let low = Settings {
        threshold: 0.1,
        min_chars: 10,
        ..Settings::default()
    };
    assert_eq!(run(&own, &low), vec![]);

    // The boilerplate is template; the copied own text still counts the same.
    let with = [
        section1(1000, 500, SHIQIAO_NAME, SHIQIAO),
        section1(1001, 501, BAISHA_NAME, BAISHA),
    ];
    let without = [
        Own {
            text: SHIQIAO.into(),
            ..section1(1000, 500, SHIQIAO_NAME, "")
        },
        Own {
            text: BAISHA.into(),
            ..section1(1001, 501, BAISHA_NAME, "")
        },
    ];
    let a = run(&with, &Settings::default());
    let b = run(&without, &Settings::default());
    assert_eq!(a.len(), 1);
    assert_eq!(b.len(), 1);
    assert!((a[0].similarity - b[0].similarity).abs() < 1e-9);
}

#[test]
fn short_sections_are_ignored() {
    let text = "镇便民服务中心新装两台自助查询机，可查阅近五年镇政府发文和村级财务报表。";
    let passages: Vec<Passage> = (0..2)
        .map(|i| Passage {
            id: i,
            agency: i,
            year: 2024,
            section: 3,
            name: "",
            text,
        })
        .collect();
    assert_eq!(find_copies(&passages, &Settings::default()), vec![]);
    let corpus = Corpus::new(&passages, &Settings::default());
    assert!(corpus.own_chars(0) < 80);
    assert_eq!(corpus.compare(0, 1), None);
    // With a lower floor they are the same text.
    let low = Settings {
        min_chars: 20,
        ..Settings::default()
    };
    let found = find_copies(&passages, &low);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].similarity, 1.0);
}

#[test]
fn previous_year_copy_is_found_with_the_later_year_as_copier() {
    let this_year = section1(1000, 500, SHIQIAO_NAME, SHIQIAO);
    let mut last_year = section1(1003, 500, SHIQIAO_NAME, SHIQIAO);
    last_year.year = 2023;
    last_year.text = last_year
        .text
        .replace("2024", "2023")
        .replace("37条", "45条")
        .replace("22期", "31期");
    // The ids say nothing about the order: the year does.
    let found = run(&[this_year, last_year], &Settings::default());
    assert_eq!(found.len(), 1, "{found:?}");
    let c = &found[0];
    assert_eq!((c.later, c.earlier), (1000, 1003));
    assert_eq!(c.kind, CopyKind::PreviousYear);
    assert!(c.similarity > 0.95, "{c:?}");
}

#[test]
fn same_agency_is_compared_only_a_year_apart() {
    let text = SHIQIAO;
    let p = |id: u64, year: i32| Passage {
        id,
        agency: 7,
        year,
        section: 1,
        name: SHIQIAO_NAME,
        text,
    };
    let passages = [p(1, 2024), p(2, 2024), p(3, 2022)];
    let corpus = Corpus::new(&passages, &Settings::default());
    // Two entries of one year, and two years apart: not compared.
    assert_eq!(corpus.compare(0, 1), None);
    assert_eq!(corpus.compare(0, 2), None);
    assert_eq!(corpus.find().0, vec![]);
    // Another section number is never compared.
    let other = [
        p(1, 2024),
        Passage {
            agency: 8,
            section: 5,
            ..p(4, 2024)
        },
    ];
    assert_eq!(
        Corpus::new(&other, &Settings::default()).compare(0, 1),
        None
    );
}

#[test]
fn short_section_copied_out_of_a_long_one_counts_whole() {
    let own = [
        section1(1000, 500, SHIQIAO_NAME, SHIQIAO),
        section1(1004, 504, "青山县新桥镇人民政府", SHORT_COPY),
    ];
    let found = run(&own, &Settings::default());
    assert_eq!(found.len(), 1, "{found:?}");
    let c = &found[0];
    assert_eq!((c.later, c.earlier), (1004, 1000));
    // The short one is all copied, though it is under half the long one.
    assert!(c.similarity > 0.9, "{c:?}");
}

#[test]
fn partial_copy_has_its_share() {
    let own = [
        section1(1000, 500, SHIQIAO_NAME, SHIQIAO),
        section1(1005, 505, "青山县竹林镇人民政府", ZHULIN),
    ];
    let low = Settings {
        threshold: 0.4,
        ..Settings::default()
    };
    let found = run(&own, &low);
    assert_eq!(found.len(), 1, "{found:?}");
    let c = &found[0];
    assert!(c.similarity > 0.55 && c.similarity < 0.95, "{c:?}");
    let strict = Settings {
        threshold: 0.95,
        ..Settings::default()
    };
    assert_eq!(run(&own, &strict), vec![]);
}

#[test]
fn same_year_pairs_are_ordered_by_id() {
    let own = [
        section1(1001, 501, BAISHA_NAME, BAISHA),
        section1(1000, 500, SHIQIAO_NAME, SHIQIAO),
    ];
    let found = run(&own, &Settings::default());
    assert_eq!((found[0].later, found[0].earlier), (1001, 1000));
}

#[test]
fn normalisation_reads_figures_and_punctuation_alike() {
    let mut a = Norm::default();
    let mut b = Norm::default();
    a.sentences("全年公开信息２０２４条， 其中“政策解读”12条；", "");
    b.sentences("全年公开信息 2023 条,其中政策解读 7 条;", "");
    assert_eq!(a.chars, b.chars);
    assert_eq!(a.bounds.len(), 1);
    let text: String = a
        .chars
        .iter()
        .map(|&c| char::from_u32(c).unwrap())
        .collect();
    assert_eq!(text, "全年公开信息#条其中政策解读#条");
    // Latin letters lower-cased, full-width letters half-width.
    a.sentences("ＡＰＰ上线", "");
    b.sentences("app上线", "");
    assert_eq!(a.chars, b.chars);
}

#[test]
fn the_agency_name_reads_as_one_placeholder() {
    let forms: Vec<String> = name_forms("青山县石桥镇人民政府")
        .iter()
        .map(|f| f.iter().map(|&c| char::from_u32(c).unwrap()).collect())
        .collect();
    for want in [
        "青山县石桥镇人民政府",
        "青山县石桥镇",
        "石桥镇人民政府",
        "石桥镇",
    ] {
        assert!(forms.iter().any(|f| f == want), "{want} in {forms:?}");
    }
    let mut a = Norm::default();
    let mut b = Norm::default();
    a.sentences(
        "本年度青山县石桥镇人民政府未收取信息处理费。石桥镇将继续努力。",
        SHIQIAO_NAME,
    );
    b.sentences(
        "本年度白沙镇人民政府未收取信息处理费。青山县白沙镇将继续努力。",
        BAISHA_NAME,
    );
    assert_eq!(a.chars, b.chars);
    assert!(a.chars.contains(&NAME));
}

#[test]
fn shared_spans_mark_the_copied_text_on_char_boundaries() {
    let (a, b) = shared_spans(SHIQIAO, BAISHA, 12);
    assert!(!a.is_empty() && !b.is_empty());
    for (text, spans) in [(SHIQIAO, &a), (BAISHA, &b)] {
        let mut end = 0;
        for r in spans.iter() {
            assert!(r.start >= end && r.start < r.end, "{spans:?}");
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            end = r.end;
        }
    }
    let covered = |text: &str, spans: &[Range<usize>], needle: &str| {
        let at = text.find(needle).unwrap();
        spans
            .iter()
            .any(|r| r.start <= at && at + needle.len() <= r.end)
    };
    // A copied sentence, whatever its figure.
    let sentence = "在政府网站公开镇区雨污分流改造工程施工许可、中标结果和月度进度";
    assert!(covered(SHIQIAO, &a, sentence));
    assert!(covered(BAISHA, &b, sentence));
    assert!(covered(SHIQIAO, &a, "进度37条"));
    assert!(covered(BAISHA, &b, "进度４１条"));
    // The names differ, so they are not marked.
    assert!(!covered(BAISHA, &b, "东坪村"));
    assert!(!covered(SHIQIAO, &a, "杨柳村"));
    // Independent texts share nothing of that length but a part title.
    let (x, y) = shared_spans(SHIQIAO, LONGTAN, 12);
    assert_eq!(x.len(), 1, "{x:?}");
    assert_eq!(&SHIQIAO[x[0].clone()], "三）政府信息公开平台建设情况");
    assert_eq!(&LONGTAN[y[0].clone()], "三）政府信息公开平台建设情况");
    // Degenerate input.
    assert_eq!(shared_spans("", "", 5), (vec![], vec![]));
    let (x, _) = shared_spans("ab😀cd", "xab😀cdx", 3);
    assert_eq!(x, vec![0..8]);
}

#[test]
fn nothing_to_compare() {
    assert_eq!(find_copies(&[], &Settings::default()), vec![]);
    let empty = [Passage {
        id: 1,
        agency: 1,
        year: 2024,
        section: 1,
        name: "某镇人民政府",
        text: "",
    }; 3];
    let (found, stats) = find_copies_with_stats(&empty, &Settings::default());
    assert_eq!(found, vec![]);
    assert_eq!(stats.compared, 0);
}

#[test]
fn planted_copies_are_found_in_a_generated_batch() {
    let sample = Sample::generate(3, &Plan::new(400, 2));
    let passages = sample.passages();
    let settings = Settings::default();
    let corpus = Corpus::new(&passages, &settings);
    let (found, stats) = corpus.find();
    assert!(stats.template_sentences > 0);
    let mut expected = 0;
    let mut hit = 0;
    for p in &sample.planted {
        let a = Sample::passage_index(p.later, p.section);
        let b = Sample::passage_index(p.earlier, p.section);
        let Some(c) = corpus.compare(a, b) else {
            continue;
        };
        if c.similarity < settings.threshold {
            continue;
        }
        expected += 1;
        assert_eq!(c.kind, p.kind);
        hit += usize::from(found.iter().any(|f| {
            f.section == p.section
                && ((f.later, f.earlier) == (p.later, p.earlier)
                    || (f.later, f.earlier) == (p.earlier, p.later))
        }));
    }
    let related = found
        .iter()
        .filter(|c| sample.related(c.later, c.earlier, c.section))
        .count();
    assert!(
        expected > 50,
        "{expected} planted copies above the threshold"
    );
    let recall = hit as f64 / expected as f64;
    let precision = related as f64 / found.len() as f64;
    assert!(recall >= 0.95, "recall {recall} ({hit} of {expected})");
    assert!(precision >= 0.95, "precision {precision}");
    // Sorted by the copying report, then section, then similarity.
    for w in found.windows(2) {
        assert!((w[0].later, w[0].section) <= (w[1].later, w[1].section));
    }
    // Every copy found is what `compare` says of the pair.
    for c in found.iter().take(50) {
        let a = Sample::passage_index(c.later, c.section);
        let b = Sample::passage_index(c.earlier, c.section);
        assert_eq!(corpus.compare(a, b).as_ref(), Some(c));
    }
}

#[test]
fn passages_of_a_report() {
    use gongkai_report::{Pos, Report, SectionText};
    use gongkai_template::Edition;
    let mut report = Report::new("石桥镇2024年报.docx", Edition::V2021);
    report.agency = Some(SHIQIAO_NAME.into());
    report.sections[0] = Some(SectionText {
        heading: "一、总体情况".into(),
        pos: Pos::default(),
        text: SHIQIAO.into(),
    });
    report.sections[4] = Some(SectionText {
        heading: "五、存在的主要问题及改进情况".into(),
        pos: Pos::default(),
        text: "无。".into(),
    });
    let passages: Vec<Passage> = Passage::of_report(9, 3, 2024, &report).collect();
    assert_eq!(passages.len(), 2);
    assert_eq!(
        (
            passages[0].id,
            passages[0].agency,
            passages[0].year,
            passages[0].section
        ),
        (9, 3, 2024, 1)
    );
    assert_eq!(passages[0].name, SHIQIAO_NAME);
    assert_eq!(passages[0].text, SHIQIAO);
    assert_eq!(passages[1].section, 5);
}

#[test]
fn a_text_copied_into_many_reports_is_found_between_all_of_them() {
    // 80 agencies copy 石桥镇's section, each with its own name and figures:
    // more than the run index follows (POSTING_CAP), fewer than make it
    // template here.
    let chars: Vec<char> = "金银铜铁锡山水云风雨".chars().collect();
    let names: Vec<String> = (0..80)
        .map(|i| format!("{}{}", chars[i / 10], chars[i % 10]))
        .collect();
    let texts: Vec<(String, String)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let text = SHIQIAO
                .replace("石桥", n)
                .replace("37条", &format!("{}条", 10 + i))
                .replace("22期", &format!("{}期", 90 - i));
            (format!("青山县{n}镇人民政府"), text)
        })
        .collect();
    let passages: Vec<Passage> = texts
        .iter()
        .enumerate()
        .map(|(i, (name, text))| Passage {
            id: i as u64,
            agency: i as u64,
            year: 2024,
            section: 1,
            name,
            text,
        })
        .collect();
    let settings = Settings {
        template_agencies: 200,
        ..Settings::default()
    };
    let found = find_copies(&passages, &settings);
    const { assert!(80 > POSTING_CAP) };
    assert_eq!(found.len(), 80 * 79 / 2);
    assert!(found
        .iter()
        .all(|c| c.similarity > 0.95 && c.later > c.earlier));
}

#[test]
fn template_wording_is_not_the_offices_own() {
    let left = "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数\n第二十条第（五）项信息内容本年处理决定数量";
    assert_eq!(without_template_labels(left).trim(), "");
    let own = "本机关全年主动公开政府信息1200条，其中行政规范性文件15件。";
    let kept = without_template_labels(own);
    assert!(kept.contains("本机关全年主动公开政府信息1200条"), "{kept}");
    assert_eq!(NARRATIVE_SECTIONS, [1, 5, 6]);
}
