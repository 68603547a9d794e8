#![no_main]

mod check;

use libfuzzer_sys::fuzz_target;

// A ZIP archive is read as a whole .docx; anything else as the XML of its
// main part, so that the fuzzer reaches the XML reading without having to
// get the archive's checksums right.
fuzz_target!(|data: &[u8]| {
    let result = if data.starts_with(b"PK") {
        gongkai_read::docx::read(data)
    } else {
        gongkai_read::docx::read_main_part(data)
    };
    if let Ok(doc) = result {
        check::check(&doc);
    }
});
