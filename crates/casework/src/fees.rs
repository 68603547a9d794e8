//! The information processing fee (信息处理费) of 国办函〔2020〕109号
//! 《政府信息公开信息处理费管理办法》.
//!
//! One basis per application:
//! - 按件计收 (by count): the n-th application of the same applicant within one
//!   calendar month. The first 10 are free; the 11th to the 30th cost 100 元
//!   each; from the 31st, each further band of 10 costs 100 元 more per
//!   application than the band before (31–40: 200 元, 41–50: 300 元 …).
//! - 按量计收 (by volume): the pages of the information provided, progressive
//!   like tax brackets: pages 1–30 free, 31–100 at 10 元, 101–200 at 20 元,
//!   from 201 at 40 元 a page.
//!
//! Amounts are whole 元 in `i64`; the largest inputs (`u32::MAX`) do not
//! overflow.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::model::FeeBasis;

/// One band of a quote: the units (applications or pages) `from..=to` at
/// `rate_yuan` each; `to` is `None` for the open-ended last band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Band {
    pub from: u32,
    pub to: Option<u32>,
    pub rate_yuan: i64,
    /// How many units of the quantity fall in this band.
    pub units: u32,
    pub amount_yuan: i64,
}

/// The fee for one application and how it is made up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeeQuote {
    pub basis: FeeBasis,
    /// The n-th application in the month (by count) or the pages (by volume).
    pub quantity: u32,
    pub amount_yuan: i64,
    /// By count: the one band the application falls in (none when `quantity`
    /// is 0). By volume: every band the pages reach, the free one included.
    pub bands: Vec<Band>,
}

/// Applications in a month that cost nothing.
pub const FREE_APPLICATIONS: u32 = 10;
/// Pages that cost nothing.
pub const FREE_PAGES: u32 = 30;

/// The volume bands: first page, last page, 元 a page.
const PAGE_BANDS: [(u32, Option<u32>, i64); 4] = [
    (1, Some(30), 0),
    (31, Some(100), 10),
    (101, Some(200), 20),
    (201, None, 40),
];

/// The fee for this application when it is the `nth_in_month` application of
/// its applicant in the calendar month (1-based; 0 is read as "none before"
/// and costs nothing).
pub fn fee_by_count(nth_in_month: u32) -> FeeQuote {
    let n = nth_in_month;
    let band = if n == 0 {
        None
    } else if n <= FREE_APPLICATIONS {
        Some((1, Some(FREE_APPLICATIONS), 0))
    } else if n <= 30 {
        Some((11, Some(30), 100))
    } else {
        let k = (n - 31) / 10;
        let from = 31 + k * 10;
        Some((from, Some(from.saturating_add(9)), 200 + 100 * i64::from(k)))
    };
    let bands: Vec<Band> = band
        .map(|(from, to, rate)| Band {
            from,
            to,
            rate_yuan: rate,
            units: 1,
            amount_yuan: rate,
        })
        .into_iter()
        .collect();
    FeeQuote {
        basis: FeeBasis::ByCount,
        quantity: n,
        amount_yuan: bands.iter().map(|b| b.amount_yuan).sum(),
        bands,
    }
}

/// The fee for `pages` pages, band by band.
pub fn fee_by_volume(pages: u32) -> FeeQuote {
    let mut bands = Vec::new();
    for (from, to, rate) in PAGE_BANDS {
        if pages < from {
            break;
        }
        let last = to.map_or(pages, |t| t.min(pages));
        let units = last - from + 1;
        bands.push(Band {
            from,
            to,
            rate_yuan: rate,
            units,
            amount_yuan: i64::from(units).saturating_mul(rate),
        });
    }
    FeeQuote {
        basis: FeeBasis::ByVolume,
        quantity: pages,
        amount_yuan: bands
            .iter()
            .fold(0i64, |sum, b| sum.saturating_add(b.amount_yuan)),
        bands,
    }
}

/// The fee on either basis.
pub fn quote(basis: FeeBasis, quantity: u32) -> FeeQuote {
    match basis {
        FeeBasis::ByCount => fee_by_count(quantity),
        FeeBasis::ByVolume => fee_by_volume(quantity),
    }
}

impl FeeQuote {
    /// The calculation in one line of Chinese, e.g. "按量计收：150页，其中第31—100页
    /// 70页×10元=700元，第101—200页50页×20元=1000元，合计1700元".
    pub fn explain(&self) -> String {
        let label = self.basis.label();
        match self.basis {
            FeeBasis::ByCount => match self.bands.first() {
                None => format!("{label}：未计件，合计0元"),
                Some(b) if b.rate_yuan == 0 => format!(
                    "{label}：本月第{}件，每月{FREE_APPLICATIONS}件以内免费，合计0元",
                    self.quantity
                ),
                Some(b) => format!(
                    "{label}：本月第{}件，属第{}，每件{}元，合计{}元",
                    self.quantity,
                    band_span(b, "件"),
                    b.rate_yuan,
                    self.amount_yuan
                ),
            },
            FeeBasis::ByVolume => {
                let paid: Vec<String> = self
                    .bands
                    .iter()
                    .filter(|b| b.rate_yuan > 0)
                    .map(|b| {
                        format!(
                            "第{}{}页×{}元={}元",
                            band_span(b, "页"),
                            b.units,
                            b.rate_yuan,
                            b.amount_yuan
                        )
                    })
                    .collect();
                if paid.is_empty() {
                    format!(
                        "{label}：{}页，{FREE_PAGES}页以内免费，合计0元",
                        self.quantity
                    )
                } else {
                    format!(
                        "{label}：{}页，其中{}，合计{}元",
                        self.quantity,
                        paid.join("，"),
                        self.amount_yuan
                    )
                }
            }
        }
    }
}

/// "31—100页" / "201页起" / "31—40件".
fn band_span(b: &Band, unit: &str) -> String {
    match b.to {
        Some(to) => format!("{}—{}{unit}", b.from, to),
        None => format!("{}{unit}起", b.from),
    }
}

/// Which application of the month this one is: the number of the applicant's
/// applications received in the calendar month of `this`, on or before `this`,
/// counting this one.
///
/// `received_dates_of_same_applicant` are the days of receipt of the
/// applicant's applications and may include this application or not: when the
/// list has one or more entries on the day of `this`, one of them is taken to be
/// this application; when it has none, this application is added. Dates after
/// `this` or in other months are ignored. Several applications received on the
/// same day all count as received by that day, so each is charged as the last
/// of them (a caller that knows their order passes only the earlier ones and
/// this one).
pub fn nth_in_month(received_dates_of_same_applicant: &[NaiveDate], this: NaiveDate) -> u32 {
    let same_month = |d: &&NaiveDate| d.year() == this.year() && d.month() == this.month();
    let before = received_dates_of_same_applicant
        .iter()
        .filter(same_month)
        .filter(|d| **d < this)
        .count();
    let same_day = received_dates_of_same_applicant
        .iter()
        .filter(|d| **d == this)
        .count();
    let n = before.saturating_add(same_day.max(1));
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn by_count_at_every_band_edge() {
        let cases = [
            (1, 0),
            (10, 0),
            (11, 100),
            (30, 100),
            (31, 200),
            (40, 200),
            (41, 300),
            (50, 300),
            (51, 400),
            (60, 400),
            (61, 500),
            (0, 0),
        ];
        for (n, amount) in cases {
            assert_eq!(fee_by_count(n).amount_yuan, amount, "第{n}件");
        }
    }

    #[test]
    fn by_count_bands_say_where_the_application_falls() {
        let q = fee_by_count(11);
        assert_eq!(q.basis, FeeBasis::ByCount);
        assert_eq!(q.quantity, 11);
        assert_eq!(
            q.bands,
            vec![Band {
                from: 11,
                to: Some(30),
                rate_yuan: 100,
                units: 1,
                amount_yuan: 100
            }]
        );
        let q = fee_by_count(45);
        assert_eq!((q.bands[0].from, q.bands[0].to), (41, Some(50)));
        assert_eq!(fee_by_count(10).bands[0].to, Some(10));
        assert!(fee_by_count(0).bands.is_empty());
    }

    #[test]
    fn by_count_does_not_overflow() {
        let q = fee_by_count(u32::MAX);
        // Band k = (4294967295 - 31) / 10 = 429496726: 200 + 100·k 元.
        assert_eq!(q.amount_yuan, 200 + 100 * 429_496_726);
        assert_eq!(q.bands[0].from, 4_294_967_291);
        assert_eq!(q.bands[0].to, Some(u32::MAX));
    }

    #[test]
    fn by_volume_at_every_band_edge() {
        let cases = [
            (0, 0),
            (1, 0),
            (30, 0),
            (31, 10),
            (100, 700),
            (101, 720),
            (150, 1_700),
            (200, 2_700),
            (201, 2_740),
            (250, 4_700),
        ];
        for (pages, amount) in cases {
            assert_eq!(fee_by_volume(pages).amount_yuan, amount, "{pages}页");
        }
    }

    #[test]
    fn by_volume_bands_add_up() {
        let q = fee_by_volume(150);
        let bands: Vec<_> = q
            .bands
            .iter()
            .map(|b| (b.from, b.to, b.rate_yuan, b.units, b.amount_yuan))
            .collect();
        assert_eq!(
            bands,
            vec![
                (1, Some(30), 0, 30, 0),
                (31, Some(100), 10, 70, 700),
                (101, Some(200), 20, 50, 1000),
            ]
        );
        assert!(fee_by_volume(0).bands.is_empty());
        assert_eq!(fee_by_volume(30).bands.len(), 1);
        let q = fee_by_volume(201);
        assert_eq!(q.bands.last().unwrap().to, None);
        assert_eq!(q.bands.last().unwrap().units, 1);
    }

    #[test]
    fn by_volume_does_not_overflow() {
        let q = fee_by_volume(u32::MAX);
        let expected = 700 + 2000 + (i64::from(u32::MAX) - 200) * 40;
        assert_eq!(q.amount_yuan, expected);
        assert_eq!(q.bands[3].units, u32::MAX - 200);
    }

    #[test]
    fn quote_picks_the_basis() {
        assert_eq!(quote(FeeBasis::ByVolume, 150), fee_by_volume(150));
        assert_eq!(quote(FeeBasis::ByCount, 31), fee_by_count(31));
        assert_eq!(quote(FeeBasis::ByCount, 31).amount_yuan, 200);
    }

    #[test]
    fn explanations() {
        assert_eq!(
            fee_by_volume(150).explain(),
            "按量计收：150页，其中第31—100页70页×10元=700元，第101—200页50页×20元=1000元，合计1700元"
        );
        assert_eq!(
            fee_by_volume(230).explain(),
            "按量计收：230页，其中第31—100页70页×10元=700元，第101—200页100页×20元=2000元，第201页起30页×40元=1200元，合计3900元"
        );
        assert_eq!(
            fee_by_volume(12).explain(),
            "按量计收：12页，30页以内免费，合计0元"
        );
        assert_eq!(
            fee_by_count(3).explain(),
            "按件计收：本月第3件，每月10件以内免费，合计0元"
        );
        assert_eq!(
            fee_by_count(35).explain(),
            "按件计收：本月第35件，属第31—40件，每件200元，合计200元"
        );
        assert_eq!(fee_by_count(0).explain(), "按件计收：未计件，合计0元");
    }

    #[test]
    fn nth_in_month_with_or_without_this_one() {
        let others = [
            d("2025-03-02"),
            d("2025-03-15"),
            d("2025-02-28"),
            d("2025-04-01"),
        ];
        // Without this one: the two earlier in March, plus this.
        assert_eq!(nth_in_month(&others, d("2025-03-20")), 3);
        // With this one in the list: the same.
        let mut with = others.to_vec();
        with.push(d("2025-03-20"));
        assert_eq!(nth_in_month(&with, d("2025-03-20")), 3);
        // Later applications in the month do not count.
        assert_eq!(nth_in_month(&others, d("2025-03-10")), 2);
        // February 28 and April 1 are other months.
        assert_eq!(nth_in_month(&others, d("2025-04-01")), 1);
        assert_eq!(nth_in_month(&[], d("2025-04-01")), 1);
        // Same month of another year does not count.
        assert_eq!(nth_in_month(&[d("2024-03-05")], d("2025-03-20")), 1);
        // Two received the same day both count by that day.
        let same_day = [d("2025-03-20"), d("2025-03-20"), d("2025-03-01")];
        assert_eq!(nth_in_month(&same_day, d("2025-03-20")), 3);
    }

    #[test]
    fn the_eleventh_application_in_a_month_pays() {
        let dates: Vec<NaiveDate> = (1..=10)
            .map(|day| NaiveDate::from_ymd_opt(2025, 6, day).unwrap())
            .collect();
        let n = nth_in_month(&dates, d("2025-06-11"));
        assert_eq!(n, 11);
        assert_eq!(fee_by_count(n).amount_yuan, 100);
        assert_eq!(
            fee_by_count(nth_in_month(&dates, d("2025-07-01"))).amount_yuan,
            0
        );
    }
}
