#![no_main]

mod check;

use libfuzzer_sys::fuzz_target;
use std::io::{Cursor, Write};

const WORKBOOK: &[u8] = br#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const RELS: &[u8] = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;

/// A workbook whose only sheet is `sheet`, stored uncompressed.
fn workbook(sheet: &[u8]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in [
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", RELS),
        ("xl/worksheets/sheet1.xml", sheet),
    ] {
        w.start_file(name, options).expect("zip entry");
        w.write_all(data).expect("zip write");
    }
    w.finish().expect("zip").into_inner()
}

// A ZIP archive is read as a whole workbook; anything else as the XML of
// its one worksheet, so that the fuzzer reaches the sheet reading, the
// layout of tables and the collection sheet without having to get the
// archive's checksums right.
fuzz_target!(|data: &[u8]| {
    let bytes = if data.starts_with(b"PK") {
        data.to_vec()
    } else {
        workbook(data)
    };
    if let Ok(book) = gongkai_read::xlsx::open(&bytes) {
        check::check(&gongkai_read::xlsx::document(&book));
        if let Some(reports) = gongkai_read::collection::read_book("fuzz.xlsx", &book) {
            for r in &reports {
                assert!(r.source.starts_with("fuzz.xlsx#第"));
            }
        }
    }
    let _ = gongkai_read::read_reports("fuzz.xlsx", &bytes);
});
