#![no_main]

use libfuzzer_sys::fuzz_target;

// A 台账 of any bytes, as a workbook and as CSV: an error or a report, never a panic.
fuzz_target!(|data: &[u8]| {
    let _ = gongkai_casework::import::read_ledger("台账.xlsx", data);
    let _ = gongkai_casework::import::read_ledger("台账.csv", data);
});
