//! Excel workbooks: hand-built ones as offices make them
//! (`fixtures/xlsx/`, see its README), collection sheets, and broken ones.

use gongkai_read::{read_collection, read_report, read_reports, Format};
use gongkai_report::{Level, Num, Report};
use std::io::{Cursor, Write};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The filled national template (Word), whose values the workbooks repeat.
fn filled_template() -> Report {
    read_report(
        "national-template-filled.docx",
        &fixture("docx/national-template-filled.docx"),
    )
    .unwrap()
}

fn assert_same_cells(want: &Report, got: &Report) {
    assert_eq!(want.edition, got.edition);
    let cells = |r: &Report| {
        r.present_cells()
            .map(|(a, c)| (a.to_string(), c.value))
            .collect::<Vec<_>>()
    };
    assert_eq!(cells(want), cells(got));
    assert_eq!(got.present_cells().count(), 200);
}

fn rules(r: &Report, level: Level) -> Vec<&'static str> {
    r.diagnostics
        .iter()
        .filter(|d| d.level == level)
        .map(|d| d.rule)
        .collect()
}

#[test]
fn detection() {
    let office = fixture("xlsx/report_office.xlsx");
    assert_eq!(Format::detect("a.bin", &office), Format::Xlsx);
    assert_eq!(Format::detect("报告.xlsx", &office), Format::Xlsx);
    assert_eq!(
        Format::detect("报告.xlsx", b"<html><body>x</body></html>"),
        Format::Html
    );
    assert!(gongkai_read::docx::refuse_other_office(&office).is_none());
    // A Word document named .xlsx is still a Word document.
    let word = fixture("docx/national-template-filled.docx");
    assert_eq!(Format::detect("报告.xlsx", &word), Format::Docx);
}

#[test]
fn an_office_workbook_reads_to_the_template_cells() {
    let r = read_report("report_office.xlsx", &fixture("xlsx/report_office.xlsx")).unwrap();
    assert_same_cells(&filled_template(), &r);
    assert_eq!(r.agency.as_deref(), Some("某某市人民政府办公室"));
    assert_eq!(r.year, Some(2024));
    assert!(rules(&r, Level::Error).is_empty(), "{:#?}", r.diagnostics);
    // The fee header says （万元） where the template says （单位：万元）.
    assert_eq!(rules(&r, Level::Warning), ["GK004"]);
    // Zeros left blank read as 0, said so.
    assert!(rules(&r, Level::Info).contains(&"GK006"));
    // Numbers stored as text read as numbers: 本年废止件数 of 行政规范性文件,
    // and the first row of table 3.
    assert_eq!(r.value("t2.normative.repealed"), Some(Num::Int(2)));
    assert_eq!(r.value("t2.fee.amount"), Some(Num::Dec(3.5)));
    // Positions are sheet rows and columns: 一、本年新收 is row 26, 自然人 column D.
    let pos = r
        .cell("t3.new_received.natural_person")
        .unwrap()
        .origin
        .pos()
        .unwrap();
    assert_eq!((pos.line, pos.column), (26, 4));
    for key in gongkai_template::SectionKey::ALL {
        assert!(r.section(key).is_some(), "{key:?}");
    }
}

#[test]
fn one_sheet_per_table_with_a_hidden_sheet() {
    let r = read_report("report_sheets.xlsx", &fixture("xlsx/report_sheets.xlsx")).unwrap();
    assert_same_cells(&filled_template(), &r);
    assert!(rules(&r, Level::Error).is_empty(), "{:#?}", r.diagnostics);
    assert!(rules(&r, Level::Warning).is_empty(), "{:#?}", r.diagnostics);
    let notes: Vec<&str> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == "GK008")
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        notes.iter().any(|m| m.contains("“下拉选项”是隐藏的")),
        "{notes:?}"
    );
    assert!(notes.iter().any(|m| m.contains("“表三”")), "{notes:?}");
}

#[test]
fn a_collection_sheet_with_label_headers() {
    let bytes = fixture("xlsx/collection_labels.xlsx");
    let reports = read_reports("汇总.xlsx", &bytes).unwrap();
    assert_eq!(read_collection("汇总.xlsx", &bytes).unwrap().len(), 3);
    // The 合计 row and the note under the table are not reports.
    let names: Vec<&str> = reports.iter().map(|r| r.source.as_str()).collect();
    assert_eq!(
        names,
        [
            "汇总.xlsx#第5行（某某市人民政府办公室）",
            "汇总.xlsx#第6行（某某市生态环境局）",
            "汇总.xlsx#第7行（某某市教育局）"
        ]
    );
    let first = &reports[0];
    assert_eq!(first.year, Some(2024));
    for (address, value) in [
        ("t2.regulation.issued", Num::Int(1)),
        ("t2.regulation.repealed", Num::Int(0)),
        ("t2.regulation.in_force", Num::Int(12)),
        ("t2.license.decided", Num::Int(1234)),
        ("t2.fee.amount", Num::Dec(3.5)),
        ("t3.new_received.natural_person", Num::Int(120)),
        ("t3.new_received.other_org", Num::Int(4)),
        ("t3.new_received.total", Num::Int(167)),
        ("t3.granted.total", Num::Int(83)),
        ("t3.total_processed.total", Num::Int(163)),
        ("t4.review.total", Num::Int(5)),
        ("t4.suit_direct.total", Num::Int(4)),
    ] {
        assert_eq!(first.value(address), Some(value), "{address}");
    }
    assert_eq!(first.present_cells().count(), 16);
    // The header's typo is read through and reported, on every report.
    for r in &reports {
        assert!(r.diagnostics.iter().any(|d| d.rule == "GK004"
            && d.message.contains("本年度止件数")
            && d.message.contains("本年废止件数")));
        // Cells the header lacks are said to be missing, once per table.
        assert!(r
            .diagnostics
            .iter()
            .any(|d| d.rule == "GK003" && d.message.contains("表头没有表三")));
        // The 联系人 column is not a cell.
        assert!(r
            .diagnostics
            .iter()
            .any(|d| d.rule == "GK008" && d.message.contains("联系人")));
    }
    // Bad values name the row, the column and what was expected.
    let second = &reports[1];
    assert_eq!(second.year, Some(2024));
    let bad: Vec<&str> = second
        .diagnostics
        .iter()
        .filter(|d| d.rule == "GK005")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(bad.len(), 2, "{bad:?}");
    assert!(
        bad[0].starts_with("第6行E列")
            && bad[0].contains("“两件”")
            && bad[0].contains("应为非负整数"),
        "{}",
        bad[0]
    );
    assert!(
        bad[1].starts_with("第6行J列") && bad[1].contains("“abc”"),
        "{}",
        bad[1]
    );
    let d = second
        .diagnostics
        .iter()
        .find(|d| d.rule == "GK005")
        .unwrap();
    assert_eq!((d.line, d.column), (Some(6), Some(5)));
    assert_eq!(second.value("t2.regulation.repealed"), None);
    // "1.2万元" is an amount in 万元; "—" is a blank read as 0.
    assert_eq!(second.value("t2.fee.amount"), Some(Num::Dec(1.2)));
    assert_eq!(
        second.value("t3.new_received.legal_service"),
        Some(Num::Int(0))
    );
    assert!(second.cell("t3.new_received.legal_service").unwrap().blank);
    assert!(second
        .diagnostics
        .iter()
        .any(|d| d.rule == "GK003" && d.message.contains("第6行表二有 1 个单元格空白或无法读取")));
    // The single-report rules ran: 行政复议 of the third row adds up, the
    // second row's new_received does not (5 + ? ≠ 5 once a value is lost).
    assert!(reports[2].diagnostics.iter().all(|d| d.rule != "GK013"));
}

#[test]
fn a_workbook_that_is_not_a_collection_is_refused_as_one() {
    let e = read_collection("x.xlsx", &fixture("xlsx/report_office.xlsx")).unwrap_err();
    assert!(e.message.contains("没有汇总表"), "{}", e.message);
    // And read_reports gives its one report.
    assert_eq!(
        read_reports("x.xlsx", &fixture("xlsx/report_office.xlsx"))
            .unwrap()
            .len(),
        1
    );
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(*name, options).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

const WORKBOOK: &[u8] = br#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const RELS: &[u8] = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;

fn workbook_with_sheet(sheet: &[u8]) -> Vec<u8> {
    zip_of(&[
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", RELS),
        ("xl/worksheets/sheet1.xml", sheet),
    ])
}

#[test]
fn broken_and_hostile_workbooks_are_errors_not_panics() {
    let good = fixture("xlsx/report_office.xlsx");
    let mut inputs: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"PK\x03\x04".to_vec(),
        good[..good.len() / 2].to_vec(),
        good[..good.len() - 30].to_vec(),
        zip_of(&[("xl/workbook.xml", b"<workbook><sheets><sheet")]),
        zip_of(&[("xl/workbook.xml", b"not xml at all")]),
        zip_of(&[("xl/workbook.xml", WORKBOOK)]),
        workbook_with_sheet(b"<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>99</v></c></row></sheetData></worksheet>"),
        workbook_with_sheet(b"<worksheet><sheetData><row><c r=\"XFD1048576\"><v>1</v></c><c r=\"A1\"><v>2</v></c></row></sheetData><mergeCells><mergeCell ref=\"A1:XFD1048576\"/><mergeCell ref=\"B2:A1\"/><mergeCell ref=\"ZZZZ9:A\"/></mergeCells></worksheet>"),
        workbook_with_sheet(format!("<worksheet>{}</worksheet>", "<x>".repeat(50_000)).as_bytes()),
        workbook_with_sheet(b"<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>t3.granted.total</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>t3.granted.natural_person</t></is></c><c r=\"C1\" t=\"inlineStr\"><is><t>t4.review.total</t></is></c></row><row r=\"2\"><c r=\"A2\"><v>1e308</v></c><c r=\"B2\" t=\"e\"><v>#DIV/0!</v></c><c r=\"C2\" t=\"b\"><v>1</v></c></row></sheetData></worksheet>"),
    ];
    // Every byte flipped in turn in the first kilobyte of a good workbook.
    for i in (0..good.len().min(1024)).step_by(7) {
        let mut b = good.clone();
        b[i] ^= 0x5A;
        inputs.push(b);
    }
    for (k, input) in inputs.iter().enumerate() {
        // Whatever they hold, none of them panics.
        let _ = read_reports("x.xlsx", input);
        let _ = read_report("x.xlsx", input);
        let _ = read_collection("x.xlsx", input);
        let _ = gongkai_read::xlsx::read(input);
        if k < 7 {
            assert!(read_report("x.xlsx", input).is_err(), "input {k}");
        }
    }
    // The huge merge is bounded, the 1e308 read, the error and boolean cells are text.
    let hostile = &inputs[10];
    let reports = read_reports("x.xlsx", hostile).unwrap();
    assert_eq!(reports.len(), 1);
    assert!(reports[0].diagnostics.iter().any(|d| d.rule == "GK005"));
}

#[test]
fn old_excel_files_say_what_to_do() {
    let mut ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    ole.extend("Workbook".encode_utf16().flat_map(u16::to_le_bytes));
    let e = read_report("旧.xls", &ole).unwrap_err();
    assert!(
        e.message.contains(".xls") && e.message.contains("另存为 .xlsx"),
        "{}",
        e.message
    );
}
