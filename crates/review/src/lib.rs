//! The supervising office's review of the annual reports of the agencies
//! under it (条例第四十七条、第四十九–五十条): who published, when, late or
//! missing; the faults of each report by rule; continuity with last year;
//! copied narrative; a score explained rule by rule; figures compared year
//! on year and summed over a region. Pure: reports, agencies and dates come
//! in as values; the store keeps them and the web system and the command
//! show them.

pub mod similar;
