//! The working-day calendar of China: Saturdays and Sundays are off, the
//! statutory holidays the State Council announces each year are off, and the
//! make-up working days (调休) it announces with them are working days even when
//! they fall on a weekend.
//!
//! The data is a small TOML file (`data/calendar-cn.toml`, described at its top)
//! that an administrator extends each December. Years the data does not cover
//! count weekends only; [`Calendar::covers`] tells callers so they can mark a
//! deadline as provisional.

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Bound;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// The shipped data: the years 2023–2026.
const CHINA: &str = include_str!("../data/calendar-cn.toml");

/// The keys a `[[year]]` table may have.
const YEAR_KEYS: &str = "year、notice、off、work";

/// A run of consecutive days as written in the data (`"10-01..10-08"`), or one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DayRange {
    from: NaiveDate,
    to: NaiveDate,
}

impl DayRange {
    fn days(self) -> impl Iterator<Item = NaiveDate> {
        self.from.iter_days().take_while(move |d| *d <= self.to)
    }
}

/// One announced year.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct YearData {
    notice: Option<String>,
    off: Vec<DayRange>,
    work: Vec<DayRange>,
}

impl YearData {
    /// Every listed day with whether it is a working day.
    fn day_map(&self) -> BTreeMap<NaiveDate, bool> {
        let mut map = BTreeMap::new();
        for r in &self.off {
            map.extend(r.days().map(|d| (d, false)));
        }
        for r in &self.work {
            map.extend(r.days().map(|d| (d, true)));
        }
        map
    }
}

/// A working-day calendar: the announced years, and weekends elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Calendar {
    years: BTreeMap<i32, YearData>,
    /// Derived from `years`: every listed day and whether it is a working day.
    /// A day listed by the block of its own year wins over one listed by the
    /// block of a neighbouring year.
    days: BTreeMap<NaiveDate, bool>,
}

/// Why a calendar file was refused: the line (1-based; 0 when the file as a whole
/// is at fault) and what is wrong, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            f.write_str(&self.message)
        } else {
            write!(f, "第{}行：{}", self.line, self.message)
        }
    }
}

impl std::error::Error for CalendarError {}

/// Whether a day is a Saturday or Sunday.
pub fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The Chinese name of a day of the week: 星期一 … 星期日.
pub fn weekday_label(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

impl Calendar {
    /// The shipped calendar of China (`data/calendar-cn.toml`).
    pub fn china() -> Calendar {
        // The shipped file is checked by a test; an empty calendar (weekends
        // only, every year flagged as not covered) is the safe fallback.
        Calendar::parse(CHINA).unwrap_or_default()
    }

    /// The text of the shipped data file.
    pub fn china_toml() -> &'static str {
        CHINA
    }

    /// Reads a calendar file. Strict: a bad date, a range written backwards, a
    /// day both off and working, a make-up working day on a weekday, a year given
    /// twice or an unknown key is an error with its line.
    pub fn parse(text: &str) -> Result<Calendar, CalendarError> {
        let at = |span: std::ops::Range<usize>, message: String| CalendarError {
            line: line_of(text, span.start),
            message,
        };
        let doc = DeTable::parse(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(0);
            let excerpt = text
                .lines()
                .nth(line.saturating_sub(1))
                .unwrap_or("")
                .trim();
            CalendarError {
                line,
                message: if excerpt.is_empty() {
                    "不是有效的TOML格式".to_string()
                } else {
                    format!("不是有效的TOML格式：“{excerpt}”")
                },
            }
        })?;
        let doc = doc.get_ref();
        let mut cal = Calendar::default();
        // Where each day was first listed, to report conflicts across years.
        let mut seen: BTreeMap<NaiveDate, (i32, bool)> = BTreeMap::new();
        for (key, value) in doc.iter() {
            if key.get_ref().as_ref() != "year" {
                return Err(at(
                    key.span(),
                    format!("未知的键“{}”（文件中只允许 [[year]] 表格）", key.get_ref()),
                ));
            }
            let Some(tables) = value.get_ref().as_array() else {
                return Err(at(
                    value.span(),
                    "“year”应写作 [[year]] 表格，每年一个".to_string(),
                ));
            };
            for table in tables.iter() {
                let Some(t) = table.get_ref().as_table() else {
                    return Err(at(
                        table.span(),
                        "“year”应写作 [[year]] 表格，每年一个".to_string(),
                    ));
                };
                let (year, data) = parse_year(text, table.span(), t)?;
                if cal.years.contains_key(&year) {
                    let span = t.get("year").map(|v| v.span()).unwrap_or(table.span());
                    return Err(at(span, format!("{year}年重复出现")));
                }
                check_days(text, t, year, &data, &mut seen)?;
                cal.years.insert(year, data);
            }
        }
        if cal.years.is_empty() {
            return Err(CalendarError {
                line: 0,
                message: "文件中没有任何年份（[[year]] 表格）".to_string(),
            });
        }
        cal.rebuild();
        Ok(cal)
    }

    /// Puts the years of `other` in place of this calendar's same years (and adds
    /// the new ones). Returns the years whose days changed, in order.
    pub fn extend(&mut self, other: &Calendar) -> Vec<i32> {
        let mut changed = Vec::new();
        for (year, data) in &other.years {
            let differs = self
                .years
                .get(year)
                .is_none_or(|old| old.day_map() != data.day_map());
            if differs {
                changed.push(*year);
            }
            self.years.insert(*year, data.clone());
        }
        self.rebuild();
        changed
    }

    /// A calendar with only `year` of this one (empty when it is not covered).
    pub fn year_only(&self, year: i32) -> Calendar {
        let mut cal = Calendar::default();
        if let Some(data) = self.years.get(&year) {
            cal.years.insert(year, data.clone());
        }
        cal.rebuild();
        cal
    }

    /// The years covered by announced data, in order.
    pub fn years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    /// Whether `year` is covered by announced data.
    pub fn covers_year(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// Whether the year of `date` is covered by announced data. When it is not,
    /// only weekends are counted and a deadline there is provisional.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.years.contains_key(&date.year())
    }

    /// The title of the notice a year's data comes from, when the file names it.
    pub fn notice(&self, year: i32) -> Option<&str> {
        self.years.get(&year).and_then(|y| y.notice.as_deref())
    }

    /// Whether `d` is a working day.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.days.get(&d) {
            Some(working) => *working,
            None => !is_weekend(d),
        }
    }

    /// The `n`-th working day after `start` (the start day is not counted);
    /// `start` itself when `n` is 0. Saturates at the last date chrono knows.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            // Jump whole weeks while no listed day lies ahead of them: each
            // ordinary week holds exactly five working days.
            let next_listed = self
                .days
                .range((Bound::Excluded(d), Bound::Unbounded))
                .next()
                .map(|(day, _)| *day);
            let free_weeks = match next_listed {
                Some(listed) => ((listed - d).num_days() - 1).max(0) / 7,
                None => i64::MAX,
            };
            let weeks = free_weeks.min(i64::from((left - 1) / 5));
            if weeks > 0 {
                match d.checked_add_days(Days::new(weeks as u64 * 7)) {
                    Some(next) => d = next,
                    None => return NaiveDate::MAX,
                }
                left -= weeks as u32 * 5;
                continue;
            }
            match d.succ_opt() {
                Some(next) => d = next,
                None => return NaiveDate::MAX,
            }
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// The number of working days `d` with `from < d <= to` (0 when `to <= from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        if to <= from {
            return 0;
        }
        let mut count = weekdays_between(from, to) as i64;
        for (day, working) in self
            .days
            .range((Bound::Excluded(from), Bound::Included(to)))
        {
            count += i64::from(*working) - i64::from(!is_weekend(*day));
        }
        count.clamp(0, i64::from(u32::MAX)) as u32
    }

    /// Working days from `from` to `to`, negative when `to` is before `from`:
    /// the days left until a deadline, or (negative) how far past it.
    pub fn signed_working_days(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to >= from {
            i64::from(self.working_days_between(from, to))
        } else {
            -i64::from(self.working_days_between(to, from))
        }
    }

    /// The data file for this calendar: parsing it gives this calendar back.
    pub fn to_toml(&self) -> String {
        let mut out = String::from(
            "# 工作日历：off 为放假日，work 为调休上班日（格式见 crates/casework/data/calendar-cn.toml）\n",
        );
        for (year, data) in &self.years {
            out.push_str("\n[[year]]\n");
            out.push_str(&format!("year = {year}\n"));
            if let Some(notice) = &data.notice {
                out.push_str(&format!("notice = {}\n", toml_string(notice)));
            }
            out.push_str(&format!("off = {}\n", ranges_toml(*year, &data.off)));
            out.push_str(&format!("work = {}\n", ranges_toml(*year, &data.work)));
        }
        out
    }

    fn rebuild(&mut self) {
        let mut days: BTreeMap<NaiveDate, (bool, bool)> = BTreeMap::new();
        for (year, data) in &self.years {
            for (d, working) in data.day_map() {
                let own = d.year() == *year;
                match days.entry(d) {
                    Entry::Vacant(v) => {
                        v.insert((working, own));
                    }
                    Entry::Occupied(mut o) => {
                        if own && !o.get().1 {
                            o.insert((working, own));
                        }
                    }
                }
            }
        }
        self.days = days.into_iter().map(|(d, (w, _))| (d, w)).collect();
    }
}

/// Monday to Friday days `d` with `from < d <= to`.
fn weekdays_between(from: NaiveDate, to: NaiveDate) -> u64 {
    let total = (to - from).num_days();
    if total <= 0 {
        return 0;
    }
    let weeks = total / 7;
    let rest = total % 7;
    let first = i64::from(from.weekday().num_days_from_monday());
    let extra = (1..=rest).filter(|k| (first + k) % 7 < 5).count() as i64;
    (weeks * 5 + extra) as u64
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

fn parse_year(
    text: &str,
    span: std::ops::Range<usize>,
    t: &DeTable<'_>,
) -> Result<(i32, YearData), CalendarError> {
    let at = |span: std::ops::Range<usize>, message: String| CalendarError {
        line: line_of(text, span.start),
        message,
    };
    for (key, _) in t.iter() {
        let k = key.get_ref().as_ref();
        if !matches!(k, "year" | "notice" | "off" | "work") {
            return Err(at(
                key.span(),
                format!("未知的键“{k}”（[[year]] 表格中只允许 {YEAR_KEYS}）"),
            ));
        }
    }
    let Some(y) = t.get("year") else {
        return Err(at(span, "缺少年份（year = 年份）".to_string()));
    };
    let year = y
        .get_ref()
        .as_integer()
        .and_then(|i| i64::from_str_radix(i.as_str(), i.radix()).ok())
        .filter(|y| (1900..=9999).contains(y))
        .ok_or_else(|| {
            at(
                y.span(),
                "年份应是1900至9999之间的整数，如 year = 2025".to_string(),
            )
        })? as i32;
    let notice = match t.get("notice") {
        None => None,
        Some(v) => match v.get_ref().as_str() {
            Some(s) => Some(s.to_string()),
            None => return Err(at(v.span(), "“notice”应是带引号的通知名称".to_string())),
        },
    };
    let off = match t.get("off") {
        Some(v) => parse_list(text, year, "off", v)?,
        None => Vec::new(),
    };
    let work = match t.get("work") {
        Some(v) => parse_list(text, year, "work", v)?,
        None => Vec::new(),
    };
    Ok((year, YearData { notice, off, work }))
}

fn parse_list(
    text: &str,
    year: i32,
    key: &str,
    value: &Spanned<DeValue<'_>>,
) -> Result<Vec<DayRange>, CalendarError> {
    let at = |span: std::ops::Range<usize>, message: String| CalendarError {
        line: line_of(text, span.start),
        message,
    };
    let Some(items) = value.get_ref().as_array() else {
        return Err(at(
            value.span(),
            format!("“{key}”应是日期列表，如 {key} = [\"10-01..10-08\"]"),
        ));
    };
    let mut out = Vec::new();
    for item in items.iter() {
        let Some(s) = item.get_ref().as_str() else {
            return Err(at(
                item.span(),
                format!("“{key}”中的每一项都应是带引号的日期，如 \"10-01\""),
            ));
        };
        let range = parse_range(s, year).map_err(|m| at(item.span(), m))?;
        out.push(range);
    }
    Ok(out)
}

fn parse_range(s: &str, year: i32) -> Result<DayRange, String> {
    let s = s.trim();
    let (from, to) = match s.split_once("..") {
        Some((a, b)) => (parse_day(a.trim(), year)?, parse_day(b.trim(), year)?),
        None => {
            let d = parse_day(s, year)?;
            (d, d)
        }
    };
    if from > to {
        return Err(format!("日期范围“{s}”起止颠倒（{from}在{to}之后）"));
    }
    Ok(DayRange { from, to })
}

fn parse_day(s: &str, year: i32) -> Result<NaiveDate, String> {
    let invalid = || format!("日期“{s}”无效");
    let malformed =
        || format!("日期“{s}”无效：应写作“月-日”（如“10-01”）或完整日期（如“2022-12-31”）");
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &str, max_len: usize| {
        !p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit())
    };
    let (y, m, d) = match parts.as_slice() {
        [m, d] if digits(m, 2) && digits(d, 2) => (year, *m, *d),
        [y, m, d] if y.len() == 4 && digits(y, 4) && digits(m, 2) && digits(d, 2) => {
            (y.parse::<i32>().map_err(|_| malformed())?, *m, *d)
        }
        _ => return Err(malformed()),
    };
    let m: u32 = m.parse().map_err(|_| malformed())?;
    let d: u32 = d.parse().map_err(|_| malformed())?;
    let date = NaiveDate::from_ymd_opt(y, m, d).ok_or_else(invalid)?;
    if (y - year).abs() > 1 {
        return Err(format!("日期“{s}”不在{year}年或相邻年份之内"));
    }
    Ok(date)
}

/// Checks a year's days: no day listed twice, none both off and working, make-up
/// working days only on weekends, and no conflict with the years read before.
fn check_days(
    text: &str,
    t: &DeTable<'_>,
    year: i32,
    data: &YearData,
    seen: &mut BTreeMap<NaiveDate, (i32, bool)>,
) -> Result<(), CalendarError> {
    let line_for = |key: &str, index: usize| {
        t.get(key)
            .and_then(|v| {
                v.get_ref()
                    .as_array()
                    .and_then(|a| a.get(index).map(|i| i.span()))
            })
            .map(|s| line_of(text, s.start))
            .unwrap_or(0)
    };
    let mut mine: BTreeMap<NaiveDate, bool> = BTreeMap::new();
    for (key, list, working) in [("off", &data.off, false), ("work", &data.work, true)] {
        for (index, range) in list.iter().enumerate() {
            for d in range.days() {
                let err = |message: String| CalendarError {
                    line: line_for(key, index),
                    message,
                };
                if working && !is_weekend(d) {
                    return Err(err(format!(
                        "调休上班日{d}是{}，本来就是工作日",
                        weekday_label(d)
                    )));
                }
                match mine.insert(d, working) {
                    Some(prev) if prev == working => {
                        return Err(err(format!("日期{d}重复列出")));
                    }
                    Some(_) => {
                        return Err(err(format!("日期{d}既列为放假日又列为调休上班日")));
                    }
                    None => {}
                }
                if let Some((other, prev)) = seen.get(&d) {
                    if *prev != working {
                        return Err(err(format!(
                            "日期{d}在{other}年列为{}，在{year}年又列为{}",
                            if *prev {
                                "调休上班日"
                            } else {
                                "放假日"
                            },
                            if working {
                                "调休上班日"
                            } else {
                                "放假日"
                            },
                        )));
                    }
                }
            }
        }
    }
    for (d, working) in mine {
        seen.entry(d).or_insert((year, working));
    }
    Ok(())
}

fn ranges_toml(year: i32, ranges: &[DayRange]) -> String {
    let day = |d: NaiveDate| {
        if d.year() == year {
            d.format("%m-%d").to_string()
        } else {
            d.format("%Y-%m-%d").to_string()
        }
    };
    let items: Vec<String> = ranges
        .iter()
        .map(|r| {
            if r.from == r.to {
                format!("\"{}\"", day(r.from))
            } else {
                format!("\"{}..{}\"", day(r.from), day(r.to))
            }
        })
        .collect();
    format!("[{}]", items.join(", "))
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn err(text: &str) -> CalendarError {
        Calendar::parse(text).expect_err("应当报错")
    }

    /// Counting day by day, to check the fast paths against.
    fn slow_between(cal: &Calendar, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days()
            .skip(1)
            .take_while(|x| *x <= to)
            .filter(|x| cal.is_working_day(*x))
            .count() as u32
    }

    #[test]
    fn the_shipped_data_parses() {
        let cal = Calendar::parse(CHINA).expect("随附的工作日历应能读取");
        assert_eq!(cal.years(), vec![2023, 2024, 2025, 2026]);
        assert_eq!(Calendar::china(), cal);
        assert_eq!(
            cal.notice(2025),
            Some("国务院办公厅关于2025年部分节假日安排的通知")
        );
    }

    #[test]
    fn shipped_days_off_and_make_up_days() {
        let cal = Calendar::china();
        // 2025 National Day: Sunday 09-28 and Saturday 10-11 are worked.
        assert!(cal.is_working_day(d("2025-09-26")));
        assert!(!cal.is_working_day(d("2025-09-27")));
        assert!(cal.is_working_day(d("2025-09-28")));
        for day in 1..=8 {
            assert!(!cal.is_working_day(NaiveDate::from_ymd_opt(2025, 10, day).unwrap()));
        }
        assert!(cal.is_working_day(d("2025-10-09")));
        assert!(cal.is_working_day(d("2025-10-11")));
        assert!(!cal.is_working_day(d("2025-10-12")));
        // 2023 New Year: 2022-12-31 (listed under 2023) and 2023-01-02 (a Monday) off.
        assert!(!cal.is_working_day(d("2022-12-31")));
        assert!(!cal.is_working_day(d("2023-01-02")));
        assert!(cal.is_working_day(d("2023-01-03")));
        // 2024 Spring Festival.
        assert!(cal.is_working_day(d("2024-02-04")));
        assert!(cal.is_working_day(d("2024-02-09")));
        assert!(!cal.is_working_day(d("2024-02-12")));
        assert!(!cal.is_working_day(d("2024-02-17")));
        assert!(cal.is_working_day(d("2024-02-18")));
        // 2026: the Dragon Boat Festival Friday, and Saturday 02-28 worked.
        assert!(!cal.is_working_day(d("2026-06-19")));
        assert!(cal.is_working_day(d("2026-02-28")));
        assert!(!cal.is_working_day(d("2026-02-23")));
        // 2025 has 248 working days: 261 weekdays − 18 holidays on weekdays
        // (01-01; 01-28..01-31, 02-03, 02-04; 04-04; 05-01, 05-02, 05-05; 06-02;
        // 10-01..10-03, 10-06..10-08) + 5 make-up days (365 − 104 − 13 statutory days).
        assert_eq!(
            cal.working_days_between(d("2024-12-31"), d("2025-12-31")),
            248
        );
    }

    #[test]
    fn twenty_working_days_across_national_day_2025() {
        let cal = Calendar::china();
        let received = d("2025-09-26");
        // 09-28 (1), 09-29 (2), 09-30 (3), 10-09 (4), 10-10 (5), 10-11 (6),
        // 10-13 (7) … 10-17 (11), 10-20 .. 10-24 (16), 10-27 .. 10-30 (20).
        assert_eq!(cal.add_working_days(received, 1), d("2025-09-28"));
        assert_eq!(cal.add_working_days(received, 3), d("2025-09-30"));
        assert_eq!(cal.add_working_days(received, 4), d("2025-10-09"));
        assert_eq!(cal.add_working_days(received, 6), d("2025-10-11"));
        assert_eq!(cal.add_working_days(received, 7), d("2025-10-13"));
        assert_eq!(cal.add_working_days(received, 20), d("2025-10-30"));
        assert_eq!(cal.add_working_days(received, 0), received);
        assert_eq!(cal.working_days_between(received, d("2025-10-30")), 20);
        assert_eq!(cal.working_days_between(received, d("2025-10-08")), 3);
        assert_eq!(cal.working_days_between(d("2025-10-30"), received), 0);
        assert_eq!(cal.working_days_between(received, received), 0);
    }

    #[test]
    fn across_spring_festival_2024() {
        let cal = Calendar::china();
        // From Friday 02-02: Sunday 02-04 (1), 02-05 .. 02-09 (2–6), 02-10 ..
        // 02-17 off, Sunday 02-18 (7), 02-19 (8).
        let start = d("2024-02-02");
        assert_eq!(cal.add_working_days(start, 1), d("2024-02-04"));
        assert_eq!(cal.add_working_days(start, 6), d("2024-02-09"));
        assert_eq!(cal.add_working_days(start, 7), d("2024-02-18"));
        assert_eq!(cal.add_working_days(start, 8), d("2024-02-19"));
        // 20 from 02-02: 02-19 (8) … 02-23 (12), 02-26 .. 03-01 (17), 03-04 .. 03-06 (20).
        assert_eq!(cal.add_working_days(start, 20), d("2024-03-06"));
        assert_eq!(
            cal.working_days_between(d("2024-02-09"), d("2024-02-18")),
            1
        );
    }

    #[test]
    fn across_new_year_2026_and_2024() {
        let cal = Calendar::china();
        // 2026-01-01 .. 01-03 off, Sunday 01-04 worked.
        assert_eq!(cal.add_working_days(d("2025-12-31"), 1), d("2026-01-04"));
        assert_eq!(cal.add_working_days(d("2025-12-31"), 2), d("2026-01-05"));
        // From Friday 2023-12-29: the weekend, 2024-01-01 off, Tuesday 01-02.
        assert_eq!(cal.add_working_days(d("2023-12-29"), 1), d("2024-01-02"));
        // 20 from 2023-12-25 (Mon): 12-26 .. 12-29 (4), 01-02 .. 01-05 (8),
        // 01-08 .. 01-12 (13), 01-15 .. 01-19 (18), 01-22 (19), 01-23 (20).
        assert_eq!(cal.add_working_days(d("2023-12-25"), 20), d("2024-01-23"));
        // From Friday 2022-12-30: 12-31, 01-01 and Monday 01-02 off.
        assert_eq!(cal.add_working_days(d("2022-12-30"), 1), d("2023-01-03"));
    }

    #[test]
    fn into_a_year_not_covered_only_weekends_count() {
        let cal = Calendar::china();
        assert!(cal.covers(d("2026-12-31")));
        assert!(!cal.covers(d("2027-01-01")));
        assert!(!cal.covers(d("2022-12-31")));
        // 2027-01-01 is a Friday: a working day until 2027 is loaded.
        assert!(cal.is_working_day(d("2027-01-01")));
        assert_eq!(cal.add_working_days(d("2026-12-30"), 1), d("2026-12-31"));
        assert_eq!(cal.add_working_days(d("2026-12-30"), 2), d("2027-01-01"));
        assert_eq!(cal.add_working_days(d("2026-12-30"), 3), d("2027-01-04"));
        // From Thursday 2026-12-10: 12-11 (1), 12-14 .. 12-18 (6), 12-21 .. 12-25
        // (11), 12-28 .. 2027-01-01 (16), 01-04 .. 01-07 (20).
        assert_eq!(cal.add_working_days(d("2026-12-10"), 20), d("2027-01-07"));
    }

    #[test]
    fn fast_paths_agree_with_counting_day_by_day() {
        let cal = Calendar::china();
        let starts = [
            "2022-11-20",
            "2022-12-30",
            "2023-01-20",
            "2023-09-28",
            "2024-02-03",
            "2024-09-13",
            "2025-01-25",
            "2025-09-27",
            "2026-02-13",
            "2026-12-20",
            "2027-03-03",
        ];
        for s in starts {
            let start = d(s);
            let mut prev = start;
            for n in 0..400 {
                let got = cal.add_working_days(start, n);
                assert_eq!(cal.working_days_between(start, got), n, "{s} + {n}");
                if n > 0 {
                    assert!(cal.is_working_day(got), "{s} + {n} = {got}");
                    assert!(got > prev);
                    // Nothing between the previous result and this one is a working day.
                    assert_eq!(slow_between(&cal, prev, got), 1, "{s} + {n}");
                }
                prev = got;
            }
            for end in [
                "2022-01-01",
                "2023-06-30",
                "2025-10-31",
                "2026-12-31",
                "2028-02-29",
            ] {
                assert_eq!(
                    cal.working_days_between(start, d(end)),
                    slow_between(&cal, start, d(end)),
                    "{s} .. {end}"
                );
            }
        }
    }

    #[test]
    fn many_working_days_and_dates_at_the_limits() {
        let cal = Calendar::china();
        let start = d("2020-01-01");
        let far = cal.add_working_days(start, 10_000);
        assert_eq!(cal.working_days_between(start, far), 10_000);
        assert_eq!(slow_between(&cal, start, far), 10_000);
        assert_eq!(cal.add_working_days(start, u32::MAX), NaiveDate::MAX);
        assert_eq!(cal.add_working_days(NaiveDate::MAX, 1), NaiveDate::MAX);
        let near_end = NaiveDate::MAX - Days::new(3);
        assert_eq!(cal.add_working_days(near_end, 10), NaiveDate::MAX);
        assert_eq!(cal.add_working_days(NaiveDate::MIN, 0), NaiveDate::MIN);
        assert!(cal.add_working_days(NaiveDate::MIN, 5) > NaiveDate::MIN);
        let all = cal.working_days_between(NaiveDate::MIN, NaiveDate::MAX);
        assert!(all > 60_000_000, "{all}");
        assert_eq!(cal.working_days_between(NaiveDate::MAX, NaiveDate::MIN), 0);
        assert_eq!(cal.signed_working_days(d("2025-11-28"), d("2025-12-02")), 2);
        assert_eq!(
            cal.signed_working_days(d("2025-12-04"), d("2025-12-02")),
            -2
        );
        assert_eq!(cal.signed_working_days(d("2025-12-02"), d("2025-12-02")), 0);
    }

    #[test]
    fn an_empty_calendar_counts_weekends_only() {
        let cal = Calendar::default();
        assert!(cal.years().is_empty());
        assert!(cal.is_working_day(d("2025-10-01")));
        assert_eq!(cal.add_working_days(d("2025-09-26"), 20), d("2025-10-24"));
    }

    #[test]
    fn writes_the_file_back() {
        let cal = Calendar::china();
        let text = cal.to_toml();
        assert!(
            text.contains("off = [\"2022-12-31..01-02\", \"01-21..01-27\""),
            "{text}"
        );
        assert!(text.contains("work = [\"01-26\", \"02-08\", \"04-27\", \"09-28\", \"10-11\"]"));
        assert_eq!(Calendar::parse(&text).unwrap(), cal);
        let one = cal.year_only(2024);
        assert_eq!(one.years(), vec![2024]);
        assert_eq!(Calendar::parse(&one.to_toml()).unwrap(), one);
        assert!(cal.year_only(2030).years().is_empty());
        // Quotes and backslashes in a notice survive.
        let odd = "[[year]]\nyear = 2027\nnotice = \"关于\\\"2027\\\"年\\\\安排\"\noff = []\n";
        let c = Calendar::parse(odd).unwrap();
        assert_eq!(c.notice(2027), Some("关于\"2027\"年\\安排"));
        assert_eq!(Calendar::parse(&c.to_toml()).unwrap(), c);
    }

    #[test]
    fn extend_replaces_years_and_reports_changes() {
        let mut cal = Calendar::china();
        let same = cal.year_only(2025);
        assert!(cal.extend(&same).is_empty());
        let next = Calendar::parse(
            "[[year]]\nyear = 2027\noff = [\"01-01..01-03\", \"01-06\"]\nwork = []\n\
             [[year]]\nyear = 2025\noff = [\"01-01\"]\nwork = []\n",
        )
        .unwrap();
        assert_eq!(cal.extend(&next), vec![2025, 2027]);
        assert_eq!(cal.years(), vec![2023, 2024, 2025, 2026, 2027]);
        // 2025 was replaced: National Day is no longer listed.
        assert!(cal.is_working_day(d("2025-10-08")));
        assert!(!cal.is_working_day(d("2025-09-28")));
        assert!(cal.covers(d("2027-01-06")));
        // 2026-12-10 + 20 with 2027-01-01 and 01-06 off: 12-31 (15), 01-04 (16),
        // 01-05 (17), 01-07 (18), 01-08 (19), 01-11 (20).
        assert_eq!(cal.add_working_days(d("2026-12-10"), 20), d("2027-01-11"));
        // Same days written differently is no change.
        let rewritten = Calendar::parse(
            "[[year]]\nyear = 2027\noff = [\"01-01\", \"01-02..01-03\", \"2027-01-06\"]\n",
        )
        .unwrap();
        assert!(cal.extend(&rewritten).is_empty());
    }

    #[test]
    fn a_days_own_year_wins_over_a_neighbour() {
        let mut cal = Calendar::parse("[[year]]\nyear = 2023\noff = [\"2022-12-30\"]\n").unwrap();
        assert!(!cal.is_working_day(d("2022-12-30")));
        let y2022 = Calendar::parse("[[year]]\nyear = 2022\noff = [\"10-03\"]\n").unwrap();
        cal.extend(&y2022);
        // The 2023 block still lists 2022-12-30; the 2022 block does not mention it.
        assert!(!cal.is_working_day(d("2022-12-30")));
        let y2022 = Calendar::parse("[[year]]\nyear = 2022\nwork = [\"12-31\"]\n").unwrap();
        let mut cal = Calendar::parse("[[year]]\nyear = 2023\noff = [\"2022-12-31\"]\n").unwrap();
        cal.extend(&y2022);
        assert!(cal.is_working_day(d("2022-12-31")));
    }

    #[test]
    fn errors_name_the_line() {
        let e = err("[[year]]\nyear = 2025\noff = [\"01-01\",\n  \"02-30\"]\n");
        assert_eq!(e.line, 4);
        assert_eq!(e.message, "日期“02-30”无效");
        assert_eq!(e.to_string(), "第4行：日期“02-30”无效");

        let e = err("[[year]]\nyear = 2025\noff = [\"10-08..10-01\"]\n");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("起止颠倒"), "{e}");

        let e = err("[[year]]\nyear = 2025\noff = [\"10-01..10-08\"]\nwork = [\"10-04\"]\n");
        assert_eq!(e.line, 4);
        assert!(e.message.contains("既列为放假日又列为调休上班日"), "{e}");

        let e = err("[[year]]\nyear = 2025\n\n[[year]]\nyear = 2025\n");
        assert_eq!(e.line, 5);
        assert_eq!(e.message, "2025年重复出现");

        let e = err("[[year]]\nyear = 2025\nholiday = [\"01-01\"]\n");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("未知的键“holiday”"), "{e}");

        let e = err("title = \"x\"\n[[year]]\nyear = 2025\n");
        assert_eq!(e.line, 1);
        assert!(e.message.contains("未知的键“title”"), "{e}");

        let e = err("[[year]]\nyear = 2025\noff = [01-01]\n");
        assert_eq!(e.line, 3);
        assert!(e.message.starts_with("不是有效的TOML格式"), "{e}");

        // 2025-10-09 is a Thursday.
        let e = err("[[year]]\nyear = 2025\nwork = [\"10-09\"]\n");
        assert_eq!(e.line, 3);
        assert_eq!(e.message, "调休上班日2025-10-09是星期四，本来就是工作日");

        let e = err("[[year]]\noff = [\"10-01\"]\n");
        assert_eq!(e.line, 1);
        assert!(e.message.contains("缺少年份"), "{e}");

        let e = err("[[year]]\nyear = 2025\noff = [\"10-01\", \"09-30..10-02\"]\n");
        assert!(e.message.contains("重复列出"), "{e}");

        let e = err("[[year]]\nyear = 2025\noff = [\"2029-01-01\"]\n");
        assert!(e.message.contains("不在2025年或相邻年份之内"), "{e}");

        let e = err("[[year]]\nyear = 2025\noff = [\"10/01\"]\n");
        assert!(e.message.contains("应写作“月-日”"), "{e}");

        let e = err("[[year]]\nyear = 2025\noff = [1001]\n");
        assert!(e.message.contains("带引号的日期"), "{e}");

        let e = err("[[year]]\nyear = \"2025\"\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("年份应是"), "{e}");

        let e = err("[[year]]\nyear = 99999\n");
        assert!(e.message.contains("年份应是"), "{e}");

        let e = err("year = 2025\n");
        assert!(e.message.contains("[[year]]"), "{e}");

        let e = err("[[year]]\nyear = 2025\noff = \"10-01\"\n");
        assert!(e.message.contains("日期列表"), "{e}");

        // Conflicts across years.
        let e = err(
            "[[year]]\nyear = 2022\nwork = [\"12-31\"]\n[[year]]\nyear = 2023\noff = [\"2022-12-31\"]\n",
        );
        assert_eq!(e.line, 6);
        assert!(e.message.contains("在2022年列为调休上班日"), "{e}");

        let e = err("");
        assert_eq!(e.line, 0);
        assert_eq!(e.to_string(), "文件中没有任何年份（[[year]] 表格）");
    }

    #[test]
    fn never_panics_on_any_input() {
        let inputs = [
            "\u{0}",
            "[[year]]\nyear = -9223372036854775808\n",
            "[[year]]\nyear = 0x7e9\noff = [\"02-29\"]\n",
            "[[year]]\nyear = 2024\noff = [\"02-29\", \"..\", \"-\"]\n",
            "[[year]]\nyear = 2024\noff = [\"99999-01-01\"]\n",
            "[[year]]\nyear = 2024\noff = [\"１０-０１\"]\n",
            "[year]\nyear = 2024\n",
            "[[year]]\nyear = 2024\noff = [[\"01-01\"]]\n",
            "[[year]]\nyear = 2024\nnotice = 3\n",
            "[[year]]\nyear = 2024\n[year.off]\n",
        ];
        for text in inputs {
            assert!(Calendar::parse(text).is_err(), "{text:?}");
        }
        // 2024-02-29 exists; a hexadecimal year is still a year.
        let ok = Calendar::parse("[[year]]\nyear = 0x7e8\noff = [\"02-29\"]\n").unwrap();
        assert!(!ok.is_working_day(d("2024-02-29")));
        // Every prefix of the shipped file: no panic.
        for (i, _) in CHINA.char_indices() {
            let _ = Calendar::parse(&CHINA[..i]);
        }
    }

    #[test]
    fn make_up_days_are_weekends_and_holidays_are_listed() {
        let cal = Calendar::china();
        let work: Vec<NaiveDate> = cal
            .days
            .iter()
            .filter(|(_, w)| **w)
            .map(|(d, _)| *d)
            .collect();
        assert_eq!(work.len(), 7 + 8 + 5 + 6);
        assert!(work.iter().all(|d| is_weekend(*d)));
        // Days off per year, weekends included: 2023 has 3 + 7 + 1 + 5 + 3 + 8.
        let off_in = |y: i32| {
            cal.days
                .iter()
                .filter(|(d, w)| !**w && d.year() == y)
                .count()
        };
        assert_eq!(off_in(2022), 1);
        assert_eq!(off_in(2023), 2 + 7 + 1 + 5 + 3 + 8);
        assert_eq!(off_in(2024), 1 + 8 + 3 + 5 + 1 + 3 + 7);
        assert_eq!(off_in(2025), 1 + 8 + 3 + 5 + 3 + 8);
        assert_eq!(off_in(2026), 3 + 9 + 3 + 5 + 3 + 3 + 7);
    }
}
