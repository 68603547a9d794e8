#![no_main]

use libfuzzer_sys::fuzz_target;

// "fuzz.txt": the format is decided by the bytes, as for a file without a
// telling extension.
fuzz_target!(|data: &[u8]| {
    let _ = gongkai_read::read_report("fuzz.txt", data);
});
