//! The agencies under review and how a report is matched to one of them.
//!
//! A report names its agency in its title (or the file name does); the
//! roster names the agency as the supervisor knows it. They differ in the
//! usual ways: a region in front ("淮安市洪泽区人民政府" against
//! "洪泽区人民政府"), a former name after a 机构改革, or no name in the
//! report at all. Matching tries, in order: the supervisor's explicit
//! mapping, the name or a former name, the name with or without a region in
//! front, and last the agency's name inside the file name. Where two
//! agencies fit equally, the report is ambiguous and left for the
//! supervisor to assign — never guessed.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use gongkai_report::{differs_by_region_prefix, normalize_agency};
use serde::{Deserialize, Serialize};

/// Whether an agency is a government (its report due 31 March) or a
/// department (31 January) — 条例第四十九条.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Government,
    Department,
}

impl Kind {
    /// The kind a name suggests: 人民政府 and 街道办事处 are governments
    /// (a township's report is published with its county's), the rest
    /// departments.
    pub fn guess(name: &str) -> Kind {
        let n = name.trim();
        if n.ends_with("人民政府") || n.ends_with("办事处") || n.ends_with("行政公署") {
            Kind::Government
        } else {
            Kind::Department
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Kind::Government => "government",
            Kind::Department => "department",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        match s.trim() {
            "government" | "人民政府" | "政府" => Some(Kind::Government),
            "department" | "部门" | "政府部门" => Some(Kind::Department),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Government => "人民政府",
            Kind::Department => "部门",
        }
    }

    /// The last day to publish the report of `year` (条例第四十九条).
    pub fn due_date(self, year: i32) -> NaiveDate {
        let (m, d) = match self {
            Kind::Government => (3, 31),
            Kind::Department => (1, 31),
        };
        NaiveDate::from_ymd_opt(year + 1, m, d).expect("a valid date")
    }
}

/// An agency under review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub id: u64,
    pub name: String,
    /// Names it had before (机构改革): its reports under them are its own.
    #[serde(default)]
    pub former_names: Vec<String>,
    /// The region it belongs to ("洪泽区").
    #[serde(default)]
    pub region: String,
    /// 省级, 市级, 县级, 乡级 …
    #[serde(default)]
    pub level: String,
    pub kind: Kind,
    /// The agency it reports to, if in the roster.
    #[serde(default)]
    pub parent: Option<u64>,
}

/// How a report was matched to its agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// The supervisor said so.
    Mapping,
    Name,
    FormerName,
    /// The names differ by a region in front.
    RegionPrefix,
    /// The report names no agency the roster knows; its file name does.
    FileName,
}

impl MatchedBy {
    pub fn label(self) -> &'static str {
        match self {
            MatchedBy::Mapping => "按指定对应关系",
            MatchedBy::Name => "按机关名称",
            MatchedBy::FormerName => "按机关曾用名",
            MatchedBy::RegionPrefix => "按机关名称（只差地区前缀）",
            MatchedBy::FileName => "按文件名中的机关名称",
        }
    }
}

/// The result of matching a report to the roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "result")]
pub enum Match {
    Agency {
        id: u64,
        by: MatchedBy,
    },
    /// Several agencies fit equally (their ids).
    Ambiguous {
        ids: Vec<u64>,
    },
    None,
}

/// The agencies under review, indexed for matching.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    agencies: Vec<Agency>,
    by_id: HashMap<u64, usize>,
    /// Normalised current name → agency index.
    names: HashMap<String, Vec<usize>>,
    /// Normalised former name → agency index.
    former: HashMap<String, Vec<usize>>,
    /// Normalised name as written in reports → agency id (the supervisor's mapping).
    mapping: HashMap<String, u64>,
}

impl Roster {
    /// A roster; fails on two agencies with one id, or a parent not in it.
    pub fn new(agencies: Vec<Agency>) -> Result<Roster, String> {
        let mut r = Roster::default();
        for (i, a) in agencies.iter().enumerate() {
            if r.by_id.insert(a.id, i).is_some() {
                return Err(format!("机关编号 {} 重复", a.id));
            }
            let key = normalize_agency(&a.name);
            if key.is_empty() {
                return Err(format!("机关编号 {} 没有名称", a.id));
            }
            // Two agencies whose names read the same (widths, spaces) are
            // kept: a report naming them is ambiguous, left to the supervisor.
            r.names.entry(key).or_default().push(i);
            for f in &a.former_names {
                let fk = normalize_agency(f);
                if !fk.is_empty() {
                    r.former.entry(fk).or_default().push(i);
                }
            }
        }
        for a in &agencies {
            if let Some(p) = a.parent {
                if !r.by_id.contains_key(&p) {
                    return Err(format!("机关“{}”的上级机关编号 {p} 不在名单中", a.name));
                }
            }
        }
        r.agencies = agencies;
        Ok(r)
    }

    /// Adds the supervisor's explicit mapping: reports naming `written`
    /// belong to agency `id`.
    pub fn map_name(&mut self, written: &str, id: u64) -> Result<(), String> {
        if !self.by_id.contains_key(&id) {
            return Err(format!("机关编号 {id} 不在名单中"));
        }
        self.mapping.insert(normalize_agency(written), id);
        Ok(())
    }

    pub fn agencies(&self) -> &[Agency] {
        &self.agencies
    }

    pub fn get(&self, id: u64) -> Option<&Agency> {
        self.by_id.get(&id).map(|&i| &self.agencies[i])
    }

    pub fn len(&self) -> usize {
        self.agencies.len()
    }

    pub fn is_empty(&self) -> bool {
        self.agencies.is_empty()
    }

    /// The agency an exact (normalised) name or former name belongs to.
    pub fn by_name(&self, name: &str) -> Option<&Agency> {
        let key = normalize_agency(name);
        self.names
            .get(&key)
            .or_else(|| self.former.get(&key).filter(|v| v.len() == 1))
            .and_then(|v| v.first())
            .map(|&i| &self.agencies[i])
    }

    /// `id` and every agency under it, at any depth.
    pub fn subtree(&self, id: u64) -> Vec<u64> {
        let mut children: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
        for a in &self.agencies {
            if let Some(p) = a.parent {
                children.entry(p).or_default().push(a.id);
            }
        }
        let mut out = vec![id];
        let mut i = 0;
        while i < out.len() {
            if let Some(c) = children.get(&out[i]) {
                for &x in c {
                    if !out.contains(&x) {
                        out.push(x);
                    }
                }
            }
            i += 1;
        }
        out
    }

    /// Matches a report to its agency: by the name the report gives, then by
    /// its file name.
    pub fn match_report(&self, named: Option<&str>, file_name: &str) -> Match {
        if let Some(n) = named {
            let m = self.match_name(n);
            if m != Match::None {
                return m;
            }
        }
        self.match_file_name(file_name)
    }

    /// Matches a name as a report writes it.
    pub fn match_name(&self, named: &str) -> Match {
        let key = normalize_agency(named);
        if key.is_empty() {
            return Match::None;
        }
        if let Some(&id) = self.mapping.get(&key) {
            return Match::Agency {
                id,
                by: MatchedBy::Mapping,
            };
        }
        if let Some(v) = self.names.get(&key) {
            return self.one_of(v, MatchedBy::Name);
        }
        if let Some(v) = self.former.get(&key) {
            return self.one_of(v, MatchedBy::FormerName);
        }
        // A region in front of one name or the other.
        let mut found: Vec<(usize, usize)> = Vec::new(); // (agency, length of the shorter name)
        for (name, v) in self.names.iter().chain(self.former.iter()) {
            let fits = differs_by_region_prefix(&key, name) || differs_by_region_prefix(name, &key);
            if fits {
                for &i in v {
                    found.push((i, name.len().min(key.len())));
                }
            }
        }
        self.best(found, MatchedBy::RegionPrefix)
    }

    /// Matches by an agency's name inside a file name ("2024年洪泽区人民政府…报告.pdf").
    pub fn match_file_name(&self, file_name: &str) -> Match {
        let stem = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
        let key = normalize_agency(stem);
        if key.is_empty() {
            return Match::None;
        }
        let mut found: Vec<(usize, &str)> = Vec::new();
        for (name, v) in self.names.iter().chain(self.former.iter()) {
            if name.chars().count() >= 4 && key.contains(name.as_str()) {
                for &i in v {
                    found.push((i, name.as_str()));
                }
            }
        }
        for (name, &id) in &self.mapping {
            if name.chars().count() >= 4 && key.contains(name.as_str()) {
                found.push((self.by_id[&id], name.as_str()));
            }
        }
        // A name inside another name found ("…人民政府" in "…人民政府办公室")
        // is not a second candidate; two names side by side are.
        let names: Vec<&str> = found.iter().map(|f| f.1).collect();
        found.retain(|f| !names.iter().any(|n| n.len() > f.1.len() && n.contains(f.1)));
        let mut ids: Vec<u64> = found.iter().map(|f| self.agencies[f.0].id).collect();
        ids.sort_unstable();
        ids.dedup();
        match ids.as_slice() {
            [] => Match::None,
            [id] => Match::Agency {
                id: *id,
                by: MatchedBy::FileName,
            },
            _ => Match::Ambiguous { ids },
        }
    }

    fn one_of(&self, v: &[usize], by: MatchedBy) -> Match {
        match v {
            [i] => Match::Agency {
                id: self.agencies[*i].id,
                by,
            },
            [] => Match::None,
            many => Match::Ambiguous {
                ids: many.iter().map(|&i| self.agencies[i].id).collect(),
            },
        }
    }

    /// The longest fit wins; several agencies at the longest are ambiguous.
    fn best(&self, mut found: Vec<(usize, usize)>, by: MatchedBy) -> Match {
        let Some(longest) = found.iter().map(|f| f.1).max() else {
            return Match::None;
        };
        found.retain(|f| f.1 == longest);
        let mut ids: Vec<u64> = found.iter().map(|f| self.agencies[f.0].id).collect();
        ids.sort_unstable();
        ids.dedup();
        match ids.as_slice() {
            [id] => Match::Agency { id: *id, by },
            _ => Match::Ambiguous { ids },
        }
    }
}

/// Reads a roster from a table (a CSV file or a worksheet): a header row
/// naming the columns, then one agency per row. Columns, by header:
/// 机关名称 (required; also 单位名称, 名称), 编号 (a number; else the row
/// order), 曾用名 (several separated by “、”“；” or “|”), 地区, 层级, 类别
/// (人民政府 or 部门; guessed from the name when blank) and 上级机关 (a name
/// in the roster). `rows` are (line or row number, cells). Every bad row is
/// reported, with its number.
pub fn roster_from_table(rows: &[(u32, Vec<String>)]) -> Result<Roster, Vec<String>> {
    roster_from_table_under(rows, &[]).map(|(r, _)| r)
}

/// [`roster_from_table`] for a supervising office adding to what it has:
/// a 上级机关 not listed in the table but among `outside` (the office itself
/// and the agencies already under it, by name) is taken as that agency.
/// Those rows report to no one in the roster; the second value gives their
/// parent's name as `outside` spells it, by the row's agency id.
pub fn roster_from_table_under(
    rows: &[(u32, Vec<String>)],
    outside: &[String],
) -> Result<(Roster, HashMap<u64, String>), Vec<String>> {
    let outside: HashMap<String, &String> =
        outside.iter().map(|n| (normalize_agency(n), n)).collect();
    let mut outside_parents: HashMap<u64, String> = HashMap::new();
    let norm = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    let Some(header_at) = rows.iter().position(|(_, cells)| {
        cells
            .iter()
            .any(|c| matches!(norm(c).as_str(), "机关名称" | "单位名称" | "名称" | "机关"))
    }) else {
        return Err(vec![
            "没有找到表头：应有一行列名，至少包括“机关名称”（可选“编号”“曾用名”“地区”“层级”“类别”“上级机关”）"
                .into(),
        ]);
    };
    let header: Vec<String> = rows[header_at].1.iter().map(|c| norm(c)).collect();
    let col = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let name_col = col(&["机关名称", "单位名称", "名称", "机关"]).expect("found above");
    let id_col = col(&["编号", "机关编号", "序号"]);
    let former_col = col(&["曾用名", "原名称", "原机关名称"]);
    let region_col = col(&["地区", "区域", "行政区划", "所属地区"]);
    let level_col = col(&["层级", "级别", "机关层级"]);
    let kind_col = col(&["类别", "机关类别", "类型", "机关类型"]);
    let parent_col = col(&["上级机关", "上级", "主管机关", "上级单位"]);
    let get = |cells: &[String], c: Option<usize>| -> String {
        c.and_then(|c| cells.get(c))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let mut errors = Vec::new();
    let mut agencies = Vec::new();
    let mut parents: Vec<(usize, u32, String)> = Vec::new();
    let mut next_id = 1u64;
    let mut seen: HashMap<String, u32> = HashMap::new();
    for (line, cells) in &rows[header_at + 1..] {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let name = get(cells, Some(name_col));
        if name.is_empty() {
            errors.push(format!("第 {line} 行：缺少机关名称"));
            continue;
        }
        if let Some(first) = seen.insert(normalize_agency(&name), *line) {
            errors.push(format!("第 {line} 行：机关名称“{name}”与第 {first} 行重复"));
            continue;
        }
        let id = match get(cells, id_col) {
            s if s.is_empty() => next_id,
            s => match s.trim_end_matches(".0").parse::<u64>() {
                Ok(n) if n > 0 => n,
                _ => {
                    errors.push(format!("第 {line} 行：编号“{s}”应为正整数"));
                    continue;
                }
            },
        };
        next_id = next_id.max(id + 1);
        let kind = match get(cells, kind_col) {
            s if s.is_empty() => Kind::guess(&name),
            s => match Kind::parse(&s) {
                Some(k) => k,
                None => {
                    errors.push(format!("第 {line} 行：类别“{s}”应为“人民政府”或“部门”"));
                    continue;
                }
            },
        };
        let former_names = get(cells, former_col)
            .split(['、', '；', ';', '|', '，'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        let parent = get(cells, parent_col);
        if !parent.is_empty() {
            parents.push((agencies.len(), *line, parent));
        }
        agencies.push(Agency {
            id,
            name,
            former_names,
            region: get(cells, region_col),
            level: get(cells, level_col),
            kind,
            parent: None,
        });
    }
    for (i, line, parent) in parents {
        let key = normalize_agency(&parent);
        let listed = agencies.iter().any(|a| normalize_agency(&a.name) == key);
        if !listed {
            if let Some(name) = outside.get(&key) {
                if normalize_agency(&agencies[i].name) == key {
                    errors.push(format!("第 {line} 行：上级机关不能是本机关"));
                } else {
                    outside_parents.insert(agencies[i].id, (*name).clone());
                }
                continue;
            }
        }
        match agencies
            .iter()
            .find(|a| normalize_agency(&a.name) == key)
            .map(|a| a.id)
        {
            Some(p) if p == agencies[i].id => {
                errors.push(format!("第 {line} 行：上级机关不能是本机关"))
            }
            Some(p) => agencies[i].parent = Some(p),
            None => errors.push(format!("第 {line} 行：上级机关“{parent}”不在名单中")),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if agencies.is_empty() {
        return Err(vec!["名单中没有机关：表头下没有数据行".into()]);
    }
    Roster::new(agencies)
        .map(|r| (r, outside_parents))
        .map_err(|e| vec![e])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agency(id: u64, name: &str) -> Agency {
        Agency {
            id,
            name: name.into(),
            former_names: vec![],
            region: String::new(),
            level: String::new(),
            kind: Kind::guess(name),
            parent: None,
        }
    }

    fn roster() -> Roster {
        let mut a = vec![
            agency(1, "淮安市洪泽区人民政府"),
            agency(2, "洪泽区交通运输局"),
            agency(3, "洪泽区高良涧街道办事处"),
            agency(4, "洪泽区数据局"),
            agency(5, "清江浦区交通运输局"),
        ];
        a[3].former_names = vec!["洪泽区行政审批局".into()];
        a[1].parent = Some(1);
        a[2].parent = Some(1);
        a[3].parent = Some(1);
        Roster::new(a).unwrap()
    }

    #[test]
    fn kinds_and_due_dates() {
        assert_eq!(Kind::guess("洪泽区人民政府"), Kind::Government);
        assert_eq!(Kind::guess("高良涧街道办事处"), Kind::Government);
        assert_eq!(Kind::guess("洪泽区交通运输局"), Kind::Department);
        assert_eq!(
            Kind::Government.due_date(2024),
            NaiveDate::from_ymd_opt(2025, 3, 31).unwrap()
        );
        assert_eq!(
            Kind::Department.due_date(2024),
            NaiveDate::from_ymd_opt(2025, 1, 31).unwrap()
        );
    }

    #[test]
    fn names_former_names_and_region_prefixes() {
        let r = roster();
        let id = |m: Match| match m {
            Match::Agency { id, by } => Some((id, by)),
            _ => None,
        };
        assert_eq!(
            id(r.match_name("洪泽区交通运输局")),
            Some((2, MatchedBy::Name))
        );
        // Widths and spaces do not matter.
        assert_eq!(
            id(r.match_name(" 洪泽区 交通运输局 ")),
            Some((2, MatchedBy::Name))
        );
        assert_eq!(
            id(r.match_name("洪泽区行政审批局")),
            Some((4, MatchedBy::FormerName))
        );
        // The report leaves the region out; the roster has it.
        assert_eq!(
            id(r.match_name("洪泽区人民政府")),
            Some((1, MatchedBy::RegionPrefix))
        );
        // The report puts a region in front of the roster's name.
        assert_eq!(
            id(r.match_name("淮安市洪泽区交通运输局")),
            Some((2, MatchedBy::RegionPrefix))
        );
        // Another district's bureau of the same name is not matched to it.
        assert_eq!(
            id(r.match_name("淮安市清江浦区交通运输局")),
            Some((5, MatchedBy::RegionPrefix))
        );
        assert_eq!(r.match_name("交通运输局"), Match::None);
        assert_eq!(r.match_name("盱眙县交通运输局"), Match::None);
    }

    #[test]
    fn file_names_and_ambiguity() {
        let mut r = roster();
        assert_eq!(
            r.match_report(
                None,
                "uploads/2024年洪泽区交通运输局政府信息公开工作年度报告.docx"
            ),
            Match::Agency {
                id: 2,
                by: MatchedBy::FileName
            }
        );
        // The name in the report comes first.
        assert_eq!(
            r.match_report(Some("洪泽区数据局"), "洪泽区交通运输局.pdf"),
            Match::Agency {
                id: 4,
                by: MatchedBy::Name
            }
        );
        assert_eq!(r.match_report(None, "2024年度报告.pdf"), Match::None);
        // Two agencies in one file name: the supervisor decides.
        assert_eq!(
            r.match_report(None, "洪泽区交通运输局与清江浦区交通运输局.pdf"),
            Match::Ambiguous { ids: vec![2, 5] }
        );
        r.map_name("洪泽交通", 2).unwrap();
        assert_eq!(
            r.match_name("洪泽交通"),
            Match::Agency {
                id: 2,
                by: MatchedBy::Mapping
            }
        );
        assert!(r.map_name("某局", 99).is_err());
    }

    fn table(lines: &[&str]) -> Vec<(u32, Vec<String>)> {
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| (i as u32 + 1, l.split(',').map(String::from).collect()))
            .collect()
    }

    #[test]
    fn rosters_from_tables() {
        let r = roster_from_table(&table(&[
            "某市各单位名单,,",
            "编号,机关名称,曾用名,地区,类别,上级机关",
            "1,洪泽区人民政府,,洪泽区,,",
            "2,洪泽区数据局,洪泽区行政审批局、洪泽区政务服务管理办公室,洪泽区,部门,洪泽区人民政府",
            ",,,,,",
            "5,洪泽区交通运输局,,洪泽区,,洪泽区人民政府",
        ]))
        .unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r.get(1).unwrap().kind, Kind::Government);
        assert_eq!(r.get(2).unwrap().former_names.len(), 2);
        assert_eq!(r.get(5).unwrap().parent, Some(1));
        let errors = roster_from_table(&table(&[
            "机关名称,类别,上级机关,编号",
            "甲局,局,,",
            ",部门,,",
            "乙局,部门,丙局,",
            "丁局,部门,,x",
            "甲 局,部门,,",
        ]))
        .unwrap_err();
        assert_eq!(errors.len(), 5, "{errors:?}");
        assert!(
            errors[3].contains("第 6 行：机关名称“甲 局”与第 2 行重复"),
            "{errors:?}"
        );
        assert!(errors[0].starts_with("第 2 行：类别“局”"));
        assert!(errors[1].starts_with("第 3 行：缺少机关名称"));
        assert!(errors[2].contains("第 5 行：编号“x”"), "{errors:?}");
        assert!(errors[4].contains("上级机关“丙局”不在名单中"));
        assert!(roster_from_table(&table(&["名单", "甲局"])).is_err());
        // Under a supervising office: rows naming it as 上级机关 report to no
        // one in the roster; an unknown parent is still an error.
        let under = table(&[
            "机关名称,上级机关",
            "洪泽区教育局,洪泽区人民政府办公室",
            "洪泽区实验小学,洪泽区教育局",
        ]);
        assert!(roster_from_table(&under).is_err());
        let here = ["洪泽区人民政府办公室".to_string()];
        let (r, outside) = roster_from_table_under(&under, &here).unwrap();
        assert_eq!(r.by_name("洪泽区教育局").unwrap().parent, None);
        assert_eq!(r.by_name("洪泽区实验小学").unwrap().parent, Some(1));
        assert_eq!(
            outside.get(&1).map(String::as_str),
            Some("洪泽区人民政府办公室")
        );
        assert!(roster_from_table_under(&under, &["淮安市人民政府办公室".to_string()]).is_err());
        // A few new agencies under ones already there.
        let more = table(&["机关名称,上级机关", "洪泽区第二实验小学,洪泽区 教育局"]);
        let known = [
            "洪泽区人民政府办公室".to_string(),
            "洪泽区教育局".to_string(),
        ];
        let (r, outside) = roster_from_table_under(&more, &known).unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(outside.get(&1).map(String::as_str), Some("洪泽区教育局"));
    }

    #[test]
    fn roster_errors_and_subtrees() {
        assert!(Roster::new(vec![agency(1, "甲局"), agency(1, "乙局")]).is_err());
        // Names that read the same are two agencies; a report naming them is ambiguous.
        let twins = Roster::new(vec![agency(1, "甲县甲局"), agency(2, "甲县 甲局")]).unwrap();
        assert_eq!(
            twins.match_name("甲县甲局"),
            Match::Ambiguous { ids: vec![1, 2] }
        );
        let mut orphan = agency(2, "乙局");
        orphan.parent = Some(9);
        assert!(Roster::new(vec![agency(1, "甲局"), orphan]).is_err());
        let r = roster();
        let mut t = r.subtree(1);
        t.sort();
        assert_eq!(t, vec![1, 2, 3, 4]);
        assert_eq!(r.subtree(5), vec![5]);
        assert_eq!(r.by_name("洪泽区行政审批局").unwrap().id, 4);
    }
}
