//! From bytes to a `Report`, in two stages.
//!
//! 1. **Format readers** ([`text`], [`markdown`], [`html`]) turn bytes into one
//!    [`Document`](doc::Document): headings, paragraphs and tables, each with its
//!    position in the source. A reader knows formats, not the template.
//! 2. **The template aligner** ([`align`]) maps a document onto the national
//!    template: finds the six sections by their titles, the tables, and each row
//!    and column by its label. It knows the template, not formats.
//!
//! [`read_report`] does both and runs the rules.

pub mod decode;
pub mod doc;
pub mod html;
pub mod markdown;
pub mod text;
pub mod json;
