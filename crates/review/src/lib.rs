//! The supervising office's review of the annual reports of the agencies
//! under it (条例第四十七条、第四十九–五十条): who published, when, late or
//! missing; the faults of each report by rule; continuity with last year;
//! copied narrative; a score explained rule by rule; figures compared year
//! on year and summed over a region. Pure: reports, agencies and dates come
//! in as values; the store keeps them and the web system and the command
//! show them.

pub mod aggregate;
pub mod compare;
pub mod dates;
pub mod export;
pub mod letters;
pub mod roster;
pub mod rules;
pub mod score;
pub mod season;
pub mod similar;

pub use aggregate::{aggregate, Aggregate};
pub use compare::{series, ChangeSettings, KeyFigures, SeriesCell, SeriesRow};
pub use roster::{
    roster_from_table, roster_from_table_under, Agency, Kind, Match, MatchedBy, Roster,
};
pub use rules::{any_rule, REVIEW_RULES};
pub use score::{score, Deduction, Score};
pub use season::{review, summarize, Copied, Entry, Row, Settings, Status, Summary};
