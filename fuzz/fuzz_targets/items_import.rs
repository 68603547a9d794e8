#![no_main]

use gongkai_casework::disclosure::LocalLevel;
use gongkai_casework::import_items::{read_items, ItemsContext};
use libfuzzer_sys::fuzz_target;

// A file of published items of any bytes, as a workbook and as CSV: an
// error or a report, never a panic.
fuzz_target!(|data: &[u8]| {
    let Some(today) = chrono::NaiveDate::from_ymd_opt(2026, 3, 10) else {
        return;
    };
    let ctx = ItemsContext {
        agency: "某县市场监督管理局",
        level: LocalLevel::County,
        today,
    };
    let _ = read_items("政府信息.xlsx", data, &ctx);
    let _ = read_items("政府信息.csv", data, &ctx);
});
