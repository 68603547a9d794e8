//! An office's casework, as values: disclosure applications and their
//! timelines, the working-day calendar of China, the statutory deadlines
//! (条例 第三十条至第三十三条), fees (国办函〔2020〕109号), outcomes, reply letters,
//! the imports of the 台账 offices already keep and of the items they have
//! already published, and the annual report computed from a year of the
//! ledger.
//!
//! This crate does no IO: it takes values (and bytes) and returns values.
//! Storage is `gongkai-store`; the clock of the wall is the caller's.

pub mod annual;
pub mod calendar;
pub mod clock;
pub mod disclosure;
pub mod fees;
pub mod import;
pub mod import_items;
pub mod letter;
pub mod model;
pub mod sample;
mod sheet;

pub use calendar::Calendar;
pub use model::*;
