use std::io::Write;
use std::time::Duration;

use gongkai_search::{attachment_text, ExtractLimits};

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn docx_paragraphs_and_table_cells() {
    let text = attachment_text(
        "年度报告.docx",
        &fixture("docx/national-template-filled.docx"),
        &ExtractLimits::default(),
    )
    .unwrap();
    assert!(
        text.contains("某某市人民政府办公室2024年政府信息公开工作年度报告"),
        "{text}"
    );
    // A table row, cells separated by tabs.
    assert!(text.contains("行政规范性文件\t5\t2\t48"), "{text}");
}

#[test]
fn pdf_text_layer() {
    let text = attachment_text(
        "报告.PDF",
        &fixture("pdf/huaian_city_2024.pdf"),
        &ExtractLimits::default(),
    )
    .unwrap();
    assert!(
        text.contains("淮安市人民政府2024年政府信息公开工作年度报告"),
        "{}",
        &text[..300]
    );
    assert!(text.contains("市政府网站主动公开各类政府信息5500余条"));
}

#[test]
fn xlsx_txt_md_html() {
    let l = ExtractLimits::default();
    let text = attachment_text("汇总.xlsx", &fixture("xlsx/report_office.xlsx"), &l).unwrap();
    assert!(text.contains("全年共收到政府信息公开申请167件"), "{text}");
    assert_eq!(
        attachment_text("a.txt", "第一行\n第二行".as_bytes(), &l).unwrap(),
        "第一行\n第二行"
    );
    let md = attachment_text("a.md", "# 标题\n\n正文一段。".as_bytes(), &l).unwrap();
    assert!(md.contains("标题") && md.contains("正文一段。"), "{md}");
    let html = attachment_text(
        "a.html",
        "<html><body><h1>通知</h1><p>内容<script>x</script></p><table><tr><td>甲</td><td>乙</td></tr></table></body></html>"
            .as_bytes(),
        &l,
    )
    .unwrap();
    assert!(html.contains("通知") && html.contains("甲\t乙"), "{html}");
    // GBK text is decoded.
    let (gbk, _, _) = encoding_rs::GBK.encode("政府信息公开申请表");
    assert!(attachment_text("gbk.txt", &gbk, &l)
        .unwrap()
        .contains("政府信息公开申请表"));
}

#[test]
fn output_is_truncated() {
    let l = ExtractLimits {
        max_chars: 10,
        ..ExtractLimits::default()
    };
    let text = attachment_text("报告.pdf", &fixture("pdf/huaian_city_2024.pdf"), &l).unwrap();
    assert_eq!(text.chars().count(), 10);
    assert_eq!(text, "淮安市人民政府202");
}

#[test]
fn oversize_is_refused() {
    let l = ExtractLimits {
        max_bytes: 1000,
        ..ExtractLimits::default()
    };
    let e = attachment_text("大文件.pdf", &fixture("pdf/huaian_city_2024.pdf"), &l).unwrap_err();
    assert!(e.starts_with("附件《大文件.pdf》无法读取："), "{e}");
    assert!(e.contains("超过"), "{e}");
}

#[test]
fn broken_files_give_errors() {
    let l = ExtractLimits::default();
    let pdf = fixture("pdf/huaian_city_2024.pdf");
    for bytes in [
        &pdf[..pdf.len() / 3],
        &pdf[..200],
        b"%PDF-1.7\n garbage \x00\xff".as_slice(),
        b"".as_slice(),
    ] {
        let e = attachment_text("坏.pdf", bytes, &l).unwrap_err();
        assert!(e.starts_with("附件《坏.pdf》无法读取："), "{e}");
    }
    let docx = fixture("docx/national-template-filled.docx");
    for bytes in [
        &docx[..docx.len() / 2],
        b"PK\x03\x04 garbage".as_slice(),
        b"\x00\x01\x02".as_slice(),
    ] {
        let e = attachment_text("坏.docx", bytes, &l).unwrap_err();
        assert!(e.starts_with("附件《坏.docx》无法读取："), "{e}");
    }
    let e = attachment_text("x.exe", b"MZ", &l).unwrap_err();
    assert!(e.contains(".exe"), "{e}");
    let e = attachment_text("无扩展名", b"abc", &l).unwrap_err();
    assert!(e.contains("扩展名"), "{e}");
}

#[test]
fn zip_bomb_docx_is_refused() {
    // A Word document whose body part inflates to 208 MB of zeros (over the Word reader's 200 MB).
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        zip.start_file("[Content_Types].xml", opts).unwrap();
        zip.write_all(b"<Types/>").unwrap();
        zip.start_file("word/document.xml", opts).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..208 {
            zip.write_all(&zeros).unwrap();
        }
        zip.finish().unwrap();
    }
    let bytes = buf.into_inner();
    assert!(bytes.len() < 5 << 20, "{}", bytes.len());
    let e = attachment_text("炸弹.docx", &bytes, &ExtractLimits::default()).unwrap_err();
    assert!(e.starts_with("附件《炸弹.docx》无法读取："), "{e}");
}

#[test]
fn slow_extraction_is_abandoned() {
    let l = ExtractLimits {
        timeout: Duration::from_nanos(1),
        ..ExtractLimits::default()
    };
    let e = attachment_text("报告.pdf", &fixture("pdf/huaian_city_2024.pdf"), &l).unwrap_err();
    assert!(e.contains("已放弃"), "{e}");
}
