//! `gongkai render` to every format, `export --to xlsx`, and `check`/`parse`
//! of what they wrote and of a collection sheet made by hand.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn gongkai(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .output()
        .expect("run gongkai")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// What `gongkai parse FILE` prints, as JSON.
fn parse(path: &Path) -> serde_json::Value {
    let o = gongkai(&["parse", path.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The cells of `gongkai parse FILE` as JSON.
fn cells(path: &Path) -> serde_json::Value {
    parse(path)["cells"].clone()
}

#[test]
fn a_filled_template_rendered_to_every_format_parses_to_the_same_cells() {
    let dir = tempfile::tempdir().unwrap();
    let seed = root().join("fixtures/docx/national-template-filled.docx");
    let want = cells(&seed);
    let want_map = want.as_object().unwrap();
    assert_eq!(want_map.len(), 200);
    assert!(
        want_map
            .values()
            .filter(|v| v.as_f64() != Some(0.0))
            .count()
            > 90
    );
    for to in gongkai_write::FileFormat::ALL {
        let out = dir.path().join(format!("报告.{}", to.extension()));
        let o = gongkai(&[
            "render",
            seed.to_str().unwrap(),
            "--to",
            to.name(),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{to}: {}", text(&o.stderr));
        let got = cells(&out);
        let got_map = got.as_object().unwrap();
        let differ: Vec<String> = want_map
            .keys()
            .chain(got_map.keys())
            .filter(|k| want_map.get(*k) != got_map.get(*k))
            .map(|k| format!("{k}: {:?} → {:?}", want_map.get(k), got_map.get(k)))
            .collect();
        assert!(differ.is_empty(), "{to}: {}", differ.join("\n"));
    }
    // The directory of everything written checks clean (exit 0).
    let o = gongkai(&["check", dir.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
    assert!(
        text(&o.stdout).contains(&format!(
            "检查了 {} 份报告",
            gongkai_write::FileFormat::ALL.len()
        )),
        "{}",
        text(&o.stdout)
    );
}

#[test]
fn an_unknown_format_is_refused_with_the_choices() {
    let seed = root().join("fixtures/seeds/000_de18c90c9c2a264c.txt");
    let o = gongkai(&["render", seed.to_str().unwrap(), "--to", "odt"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("不支持的格式“odt”") && err.contains("docx"),
        "{err}"
    );
}

#[test]
fn pdf_fonts_come_from_the_font_folder_and_bad_ones_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let fonts = dir.path().join("fonts");
    std::fs::create_dir(&fonts).unwrap();
    // Real fonts under the file names of 仿宋 and 宋体 (the body and the page
    // numbers), and a broken 黑体.
    for name in ["simfang.ttf", "simsun.ttf"] {
        std::fs::copy(
            root().join("crates/write/fonts/NotoSansCJKsc-Regular.otf"),
            fonts.join(name),
        )
        .unwrap();
    }
    std::fs::write(fonts.join("simhei.ttf"), b"not a font").unwrap();
    let seed = root().join("fixtures/docx/national-template-filled.docx");
    let out = dir.path().join("报告.pdf");
    let o = gongkai(&[
        "render",
        seed.to_str().unwrap(),
        "--to",
        "pdf",
        "-o",
        out.to_str().unwrap(),
        "--font-dir",
        fonts.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(err.contains("警告：字体文件“simhei.ttf”无法读取"), "{err}");
    assert!(err.contains("没有黑体字体，改用内置的开源字体"), "{err}");
    assert!(!err.contains("没有仿宋_GB2312字体"), "{err}");
    let pdf = std::fs::read(&out).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // The body and page numbers are set in the folder's font: the built-in
    // serif font (their default) is not embedded at all.
    let has = |name: &[u8]| pdf.windows(name.len()).any(|w| w == name);
    assert!(has(b"NotoSansCJKsc-Regular"));
    assert!(
        !has(b"NotoSerifCJKsc-Regular"),
        "the built-in body font is still used"
    );

    // A folder that does not exist is an error, and nothing is written.
    let missing = dir.path().join("没有的目录");
    let out2 = dir.path().join("另一份.pdf");
    let o = gongkai(&[
        "render",
        seed.to_str().unwrap(),
        "--to",
        "pdf",
        "-o",
        out2.to_str().unwrap(),
        "--font-dir",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("无法读取字体目录"));
    assert!(!out2.exists());
}

/// Table 3 of this report breaks after two rows of “三、本年度办理结果”,
/// whose label goes on on the next page, and the sub-item column is drawn
/// on the second page only: the PDF still reads back to the same cells,
/// with no row taken for repeated.
#[test]
fn a_pdf_whose_table_breaks_inside_a_group_reads_back_to_the_same_cells() {
    let dir = tempfile::tempdir().unwrap();
    let source = root().join("fixtures/rules/GK001.txt");
    let out = dir.path().join("报告.pdf");
    let o = gongkai(&[
        "render",
        source.to_str().unwrap(),
        "--to",
        "pdf",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(cells(&out), cells(&source));
    let o = gongkai(&["parse", out.to_str().unwrap()]);
    let parsed = text(&o.stdout);
    assert!(!parsed.contains("重复出现"), "{parsed}");
}

#[test]
fn faults_in_word_pdf_and_excel_files_are_shown_without_their_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let faulty = root().join("fixtures/rules/GK010.txt");
    for to in ["docx", "pdf", "xlsx"] {
        let out = dir.path().join(format!("报告.{to}"));
        let o = gongkai(&[
            "render",
            faulty.to_str().unwrap(),
            "--to",
            to,
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{to}: {}", text(&o.stderr));
        let o = gongkai(&["check", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{to}");
        let shown = String::from_utf8(o.stdout).expect("the output is text");
        assert!(shown.contains("错误[GK010]"), "{to}: {shown}");
        // Positions are given; no excerpt of the file's bytes is drawn. A
        // PDF's name the page and the line on it.
        if to == "pdf" {
            let at = shown
                .lines()
                .find(|l| l.contains("--> ") && l.contains("报告.pdf"))
                .unwrap_or_default();
            assert!(
                at.contains("报告.pdf：第") && at.contains("页第") && at.contains("全文第"),
                "{shown}"
            );
        } else {
            assert!(shown.contains(&format!("报告.{to}:")), "{to}: {shown}");
        }
        assert!(
            !shown
                .lines()
                .any(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit())
                    && l.contains(" | ")),
            "{to}: {shown}"
        );
        assert!(!shown.contains('\u{FFFD}'), "{to}: {shown}");
    }
}

// Excel: one report's workbook and the collection sheet of many.

#[test]
fn render_to_xlsx_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let seed = root().join("fixtures/seeds/000_de18c90c9c2a264c.txt");
    let out = dir.path().join("报告.xlsx");
    let o = gongkai(&[
        "render",
        seed.to_str().unwrap(),
        "--to",
        "excel",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(std::fs::read(&out).unwrap().starts_with(b"PK\x03\x04"));
    assert_eq!(parse(&out)["cells"], parse(&seed)["cells"]);
    let o = gongkai(&["check", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stdout));
}

#[test]
fn export_to_xlsx_then_check_row_by_row() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = root().join("fixtures/seeds");
    let out = dir.path().join("汇总.xlsx");
    let o = gongkai(&[
        "export",
        seeds.to_str().unwrap(),
        "--to",
        "xlsx",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));

    // Each row is a report of its own, with the cells of its seed.
    let rows = parse(&out);
    let rows = rows.as_array().expect("an array of reports");
    assert_eq!(rows.len(), 5);
    let mut seeds_sorted: Vec<PathBuf> = std::fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    seeds_sorted.sort();
    for (k, (row, seed)) in rows.iter().zip(&seeds_sorted).enumerate() {
        let want = parse(seed);
        assert_eq!(row["cells"], want["cells"], "{}", seed.display());
        assert_eq!(row["agency"], want["agency"]);
        let source = row["source"].as_str().unwrap();
        assert!(
            source.ends_with(&format!(
                "汇总.xlsx#第{}行（{}）",
                k + 6,
                want["agency"].as_str().unwrap()
            )),
            "{source}"
        );
    }

    // check names each row; the seeds lacking a column say so again.
    let o = gongkai(&["check", out.to_str().unwrap()]);
    let stdout = text(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("汇总.xlsx#第7行（"), "{stdout}");
    assert!(stdout.contains("检查了 5 份报告"), "{stdout}");

    // The CSV export is still there, and reads the collection row by row.
    let o = gongkai(&["export", out.to_str().unwrap(), "--to", "csv"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout).lines().count(), 7);
}

#[test]
fn a_hand_made_collection_sheet_is_checked_row_by_row() {
    let sheet = root().join("fixtures/xlsx/collection_labels.xlsx");
    let o = gongkai(&["check", "--format", "json", sheet.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["summary"]["reports"], 3);
    let bad = &v["reports"][1];
    assert!(bad["source"]
        .as_str()
        .unwrap()
        .ends_with("collection_labels.xlsx#第6行（某某市生态环境局）"));
    let messages: Vec<&str> = bad["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "GK005")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].contains("第6行E列"), "{}", messages[0]);
}

#[test]
fn directories_include_workbooks() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("fixtures/xlsx/report_office.xlsx"),
        dir.path().join("a.xlsx"),
    )
    .unwrap();
    std::fs::copy(
        root().join("fixtures/xlsx/collection_labels.xlsx"),
        dir.path().join("b.xlsx"),
    )
    .unwrap();
    let o = gongkai(&["check", dir.path().to_str().unwrap()]);
    assert!(
        text(&o.stdout).contains("检查了 4 份报告"),
        "{}",
        text(&o.stdout)
    );
}

#[test]
fn render_refuses_a_collection_of_many() {
    let sheet = root().join("fixtures/xlsx/collection_labels.xlsx");
    let o = gongkai(&["render", sheet.to_str().unwrap(), "--to", "md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("汇总表"), "{}", text(&o.stderr));
}

/// Every rule fixture (reports with missing rows and columns, typos, wrong
/// sums …) keeps its cells through a report workbook, and all of them
/// together through one collection sheet.
#[test]
fn rule_fixtures_keep_their_cells_through_excel() {
    let dir = root().join("fixtures/rules");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let cells = |r: &gongkai_report::Report| {
        r.present_cells()
            .map(|(a, c)| (a.to_string(), c.value))
            .collect::<Vec<_>>()
    };
    let mut reports = Vec::new();
    for path in &files {
        let source = path.display().to_string();
        let report = gongkai_read::read_report(&source, &std::fs::read(path).unwrap()).unwrap();
        let bytes = gongkai_write::xlsx::write_xlsx(&report);
        let back = gongkai_read::read_report("back.xlsx", &bytes).unwrap();
        // An unknown cell (text where a figure belongs, GK005) is written
        // empty and reads back as a blank zero (GK006), said and not silent.
        let back_cells: Vec<_> = back
            .present_cells()
            .filter(|(a, c)| !(c.blank && report.cell(a).is_none()))
            .map(|(a, c)| (a.to_string(), c.value))
            .collect();
        assert_eq!(cells(&report), back_cells, "{source}");
        assert_eq!(report.edition, back.edition, "{source}");
        reports.push(report);
    }
    let bytes = gongkai_write::xlsx::write_collection(&reports).unwrap();
    let back = gongkai_read::read_reports("汇总.xlsx", &bytes).unwrap();
    assert_eq!(back.len(), reports.len());
    for (a, b) in reports.iter().zip(&back) {
        assert_eq!(cells(a), cells(b), "{}", a.source);
        assert_eq!(
            (&a.agency, a.year, a.edition),
            (&b.agency, b.year, b.edition)
        );
    }
}
