//! The `Report` — an annual report as the cells of the national template — and
//! the rules that check it.
//!
//! A `Report` comes from a reader (`gongkai-read`) or from an office's ledger;
//! either way every cell can say where it came from. [`check`] runs the
//! single-report rules; [`check_series`] compares reports of one agency across
//! consecutive years. [`RULES`] lists every rule with its explanation.
//!
//! This crate does no IO.

mod check;
mod diagnostic;
mod model;
pub mod rules;

pub mod sample;

pub use check::{
    check, check_series, check_series_figures, compare_years, count_levels,
    differs_by_region_prefix, link_region_prefixes, outcome_rows, stated_new_requests,
    year_in_file_name, Figures,
};
pub use diagnostic::{CellRef, Diagnostic, Level};
pub use model::{normalize_agency, Cell, CellsJson, Num, Origin, Pos, Report, SectionText};
pub use rules::{rule, Rule, RULES};
