//! Rebuild and search timings on generated items.
//!
//! cargo run --release -p gongkai-search --example search_bench -- --items 1000000 [--searches 2000] [--dir PATH]
//!
//! Generates N items (titles from policy words, 文号 like "某府发〔2024〕12号",
//! bodies of 300–800 characters from realistic phrases, 1,000 agencies),
//! rebuilds an on-disk index with them (in a temporary directory unless
//! `--dir` is given), then runs searches of 1–3 common words without and
//! with an agency filter and prints p50/p95/p99.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use gongkai_search::{Doc, Query, SearchIndex};

/// A small, fixed pseudo-random generator (xorshift64*), so runs compare.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const PLACES: &[&str] = &[
    "北京市",
    "天津市",
    "河北省",
    "山西省",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "四川省",
    "贵州省",
    "云南省",
    "陕西省",
    "甘肃省",
    "淮安市",
    "苏州市",
    "杭州市",
    "宁波市",
    "合肥市",
    "南昌市",
    "济南市",
    "郑州市",
    "武汉市",
    "长沙市",
    "成都市",
    "昆明市",
    "西安市",
    "兰州市",
    "海淀区",
    "浦东新区",
    "清江浦区",
];
const BODIES: &[&str] = &[
    "人民政府",
    "人民政府办公室",
    "发展和改革委员会",
    "教育局",
    "科学技术局",
    "工业和信息化局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化广电和旅游局",
    "卫生健康委员会",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "数据局",
    "税务局",
    "行政审批局",
];
const ABBR: &[&str] = &[
    "府发",
    "政办发",
    "府办发",
    "发改",
    "教发",
    "财预",
    "人社发",
    "环发",
    "建发",
    "交发",
    "卫发",
    "应急",
    "市监",
    "政规",
];
const TOPICS: &[&str] = &[
    "优化营商环境",
    "安全生产",
    "防汛抗旱",
    "乡村振兴",
    "城乡居民医疗保险",
    "最低工资标准",
    "住房公积金",
    "义务教育",
    "生态环境保护",
    "大气污染防治",
    "河湖长制",
    "高标准农田建设",
    "老旧小区改造",
    "养老服务体系",
    "政府信息公开",
    "政务服务",
    "一网通办",
    "行政审批制度改革",
    "财政预算管理",
    "政府采购",
    "专项债券",
    "科技创新",
    "数字经济",
    "中小企业发展",
    "就业创业",
    "社会救助",
    "残疾人保障",
    "食品安全",
    "药品监管",
    "道路交通安全",
    "消防安全",
    "森林防火",
    "耕地保护",
    "土地征收",
    "国有资产管理",
    "行政执法",
    "公共法律服务",
    "文化旅游",
    "全民健身",
    "疫情防控",
    "公共卫生",
    "招商引资",
    "对外开放",
    "统计调查",
    "审计整改",
    "规范性文件",
    "数据共享",
];
const KINDS: &[&str] = &[
    "实施意见",
    "管理办法",
    "实施方案",
    "工作方案",
    "通知",
    "若干措施",
    "实施细则",
    "工作要点",
    "行动计划",
    "暂行规定",
    "指导意见",
    "考核办法",
    "应急预案",
    "专项规划",
    "年度报告",
    "情况的通报",
    "公告",
];
const LEADS: &[&str] = &[
    "关于印发",
    "关于进一步加强",
    "关于做好",
    "关于推进",
    "关于开展",
    "关于调整",
    "关于公布",
    "关于规范",
    "关于深化",
    "关于全面推行",
];
const SENTENCES: &[&str] = &[
    "为深入贯彻落实党中央、国务院决策部署，结合本地实际，制定本方案。",
    "各地各部门要充分认识此项工作的重要意义，切实加强组织领导，明确责任分工，确保各项任务落到实处。",
    "坚持以人民为中心的发展思想，着力解决群众急难愁盼问题，不断增强人民群众的获得感、幸福感、安全感。",
    "建立健全工作机制，加强部门协同配合，形成工作合力。",
    "严格落实属地管理责任和行业监管责任，加强监督检查，对工作不力的单位和个人依法依规严肃追究责任。",
    "各县（区）人民政府、市各有关部门要于每年12月底前将工作进展情况报送市人民政府办公室。",
    "本办法自印发之日起施行，有效期五年。",
    "加大财政资金投入力度，统筹用好中央和省级补助资金，提高资金使用效益。",
    "强化信息化支撑，推进数据共享和业务协同，提升政务服务便利化水平。",
    "加强政策宣传解读，及时回应社会关切，营造良好舆论氛围。",
    "完善考核评价体系，将工作完成情况纳入年度绩效考核。",
    "依法依规推进政府信息公开，主动公开政策文件、执行情况和结果。",
    "到2025年，基本建立覆盖城乡、功能完善、运行高效的服务体系。",
    "对在工作中作出突出贡献的单位和个人，按照有关规定给予表彰奖励。",
    "本通知由市司法局负责解释，未尽事宜按照国家和省有关规定执行。",
    "加强队伍建设，提高工作人员业务能力和服务水平。",
    "鼓励社会资本参与项目建设运营，创新投融资模式。",
    "开展专项整治行动，依法查处各类违法违规行为。",
    "各单位要认真组织自查，建立问题清单，明确整改时限，实行销号管理。",
    "统筹发展和安全，守牢安全生产底线，坚决防范遏制重特大事故发生。",
];

/// Common words users type, for the query load.
const QUERY_WORDS: &[&str] = &[
    "安全生产",
    "营商环境",
    "通知",
    "实施意见",
    "管理办法",
    "乡村振兴",
    "医疗保险",
    "公积金",
    "教育",
    "生态环境",
    "养老",
    "政府信息公开",
    "政务服务",
    "预算",
    "政府采购",
    "就业",
    "食品安全",
    "消防",
    "耕地",
    "执法",
    "疫情防控",
    "统计",
    "审计",
    "规范性文件",
    "数据共享",
    "方案",
    "人民政府",
    "财政",
    "考核",
    "整改",
];

fn agency_name(i: usize) -> String {
    format!(
        "{}{}",
        PLACES[i % PLACES.len()],
        BODIES[(i / PLACES.len()) % BODIES.len()]
    )
}

fn make_doc(r: &mut Rng, key: i64, agencies: usize) -> Doc {
    let agency = r.below(agencies);
    let year = 2015 + r.below(11) as i32;
    let published_on =
        NaiveDate::from_ymd_opt(year, 1 + r.below(12) as u32, 1 + r.below(28) as u32).unwrap();
    let publisher = agency_name(agency);
    let topic = r.pick(TOPICS);
    let title = format!(
        "{}{}{}{}的{}",
        publisher,
        r.pick(LEADS),
        r.pick(&PLACES[..20]),
        topic,
        r.pick(KINDS)
    );
    let doc_no = if r.below(4) == 0 {
        String::new()
    } else {
        let place = &PLACES[agency % PLACES.len()];
        let short: String = place.chars().next().into_iter().collect();
        format!(
            "{}{}〔{}〕{}号",
            short,
            r.pick(ABBR),
            year,
            1 + r.below(150)
        )
    };
    let target = 300 + r.below(500);
    let mut body = String::new();
    body.push_str(&format!("为推进{topic}工作，"));
    while body.chars().count() < target {
        if r.below(5) == 0 {
            body.push_str(&format!("切实做好{}工作。", r.pick(TOPICS)));
        } else {
            body.push_str(r.pick(SENTENCES));
        }
    }
    Doc {
        key,
        agency_id: agency as i64 + 1,
        index_no: format!(
            "{:08}-{}/{}-{:05}",
            agency + 10_000_000,
            r.pick(&["01", "02", "03", "04"]),
            year,
            key % 100_000
        ),
        summary: format!("{}{}工作的{}。", r.pick(LEADS), topic, r.pick(KINDS)),
        publisher,
        title,
        doc_no,
        body,
        column: format!("a20-{:02}", 1 + r.below(8)),
        validity: ["有效", "有效", "有效", "失效", "废止", ""][r.below(6)].to_string(),
        published_on,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn dir_size(path: &std::path::Path) -> u64 {
    std::fs::read_dir(path)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let items: usize = arg("--items")
        .map(|s| s.parse().expect("--items N"))
        .unwrap_or(100_000);
    let searches: usize = arg("--searches")
        .map(|s| s.parse().expect("--searches N"))
        .unwrap_or(2_000);
    let agencies = 1_000;
    let tmp;
    let dir = match arg("--dir") {
        Some(d) => std::path::PathBuf::from(d),
        None => {
            tmp = tempfile::tempdir().expect("temporary directory");
            tmp.path().to_path_buf()
        }
    };
    let skip_rebuild = args.iter().any(|a| a == "--reuse");

    let t = Instant::now();
    let ix = SearchIndex::open_dir(&dir).expect("open index");
    println!(
        "opened {} in {:.2}s ({} items there)",
        dir.display(),
        t.elapsed().as_secs_f64(),
        ix.len()
    );

    if !skip_rebuild {
        let mut r = Rng(0x9E37_79B9_7F4A_7C15);
        let mut chars = 0usize;
        let docs = (0..items).map(|i| {
            let d = make_doc(&mut r, i as i64 + 1, agencies);
            chars += d.body.chars().count();
            d
        });
        let t = Instant::now();
        let n = ix.rebuild(docs, items as i64).expect("rebuild");
        let secs = t.elapsed().as_secs_f64();
        println!(
            "rebuild: {n} items in {secs:.1}s = {:.0} items/s; body chars {:.0} avg; index {:.0} MB on disk",
            n as f64 / secs,
            chars as f64 / n as f64,
            dir_size(&dir) as f64 / 1e6
        );
    }

    let mut r = Rng(42);
    let queries: Vec<String> = (0..searches)
        .map(|_| {
            let words = 1 + r.below(3);
            (0..words)
                .map(|_| r.pick(QUERY_WORDS))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    for filtered in [false, true] {
        let mut times = Vec::with_capacity(searches);
        let mut totals = 0usize;
        for q in &queries {
            let query = Query {
                text: q.clone(),
                agency_id: filtered.then(|| 1 + r.below(agencies) as i64),
                limit: 10,
                ..Query::default()
            };
            let t = Instant::now();
            let res = ix.search(&query).expect("search");
            times.push(t.elapsed());
            totals += res.total;
        }
        times.sort();
        println!(
            "search {} ({} queries, 10 hits with snippets): p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms; mean total {:.0}",
            if filtered { "with agency filter" } else { "no filter" },
            searches,
            percentile(&times, 0.50),
            percentile(&times, 0.95),
            percentile(&times, 0.99),
            times.last().unwrap().as_secs_f64() * 1000.0,
            totals as f64 / searches as f64
        );
    }
}
