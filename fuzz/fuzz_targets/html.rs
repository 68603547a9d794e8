#![no_main]

mod check;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = gongkai_read::html::read(data) {
        check::check(&doc);
    }
});
