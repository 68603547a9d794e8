#![no_main]

//! A roster file as a supervisor uploads it: any bytes, read as a CSV or a
//! workbook, then as a roster under a supervising office. Never a panic:
//! rows, or the problems row by row.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(rows) = gongkai_read::table::rows("名单.csv", data) {
        let outside = ["某县人民政府办公室".to_string(), "某县教育局".to_string()];
        let _ = gongkai_review::roster_from_table_under(&rows, &outside);
    }
});
