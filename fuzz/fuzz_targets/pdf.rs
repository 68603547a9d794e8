#![no_main]

mod check;

use libfuzzer_sys::fuzz_target;

// A file starting like a PDF is read whole. Anything else becomes the
// content stream of a one-page PDF (its first half) and the ToUnicode CMap
// of the page's font (its second half), not compressed, so that the fuzzer
// reaches the content interpreter, the layout and the CMap parser without
// having to get a cross-reference table right.
fuzz_target!(|data: &[u8]| {
    let result = if data.starts_with(b"%PDF-") {
        gongkai_read::pdf::read(data)
    } else {
        let (content, cmap) = data.split_at(data.len() / 2);
        gongkai_read::pdf::read(&page_with(content, cmap))
    };
    if let Ok(doc) = result {
        check::check(&doc);
    }
});

fn page_with(content: &[u8], cmap: &[u8]) -> Vec<u8> {
    let stream = |body: &[u8]| {
        let mut s = format!("<< /Length {} >>\nstream\n", body.len()).into_bytes();
        s.extend_from_slice(body);
        s.extend_from_slice(b"\nendstream");
        s
    };
    let objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 7 0 R >> >> >>".to_vec(),
        stream(content),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X /DW 1000 >>] /ToUnicode 6 0 R >>".to_vec(),
        stream(cmap),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Y /Encoding /GBK-EUC-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /Y >>] >>".to_vec(),
    ];
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    out
}
