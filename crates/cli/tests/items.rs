//! `gongkai items …` as an office runs it: the template, a workbook of
//! items already published imported (once, however often it is run), the
//! list, a bad file refused whole with every bad row named, and 索引号
//! given later past the ones imported.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

const AGENCY: &str = "某县市场监督管理局";
const TODAY: &str = "2026-03-10";

fn gongkai(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .env("GONGKAI_DB", db)
        .env("GONGKAI_USER", "李办理")
        .args(args)
        .output()
        .expect("run gongkai")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A cell of a test workbook.
enum Cell {
    Text(&'static str),
    /// An Excel date (a number formatted as a date).
    Date(u16, u8, u8),
    /// A bare number: a date cell that lost its format is its serial.
    Number(f64),
    Empty,
}
use Cell::*;

/// A workbook as an office's CMS exports it: a title above the header.
fn workbook(path: &Path, header: &[&str], rows: &[Vec<Cell>]) {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy/m/d");
    let sheet = book.add_worksheet();
    sheet
        .write_string(0, 0, format!("{AGENCY}政府信息公开目录（导出）"))
        .unwrap();
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 3;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Text(s) => {
                    sheet.write_string(r, c, *s).unwrap();
                }
                Date(y, m, d) => {
                    let t = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                    sheet.write_datetime_with_format(r, c, &t, &date).unwrap();
                }
                Number(n) => {
                    sheet.write_number(r, c, *n).unwrap();
                }
                Empty => {}
            }
        }
    }
    book.save(path).unwrap();
}

/// Headings in another order and other words than the template's.
const HEADER: [&str; 11] = [
    "标题",
    "信息索引号",
    "生成日期",
    "公开日期",
    "发文字号",
    "栏目",
    "发文机关",
    "内容概述",
    "文件类型",
    "效力状态",
    "失效日期",
];

fn good_rows() -> Vec<Vec<Cell>> {
    vec![
        vec![
            Text("关于规范个体工商户登记的若干规定"),
            Text("GK00001/2026-00005"),
            Date(2026, 1, 5),
            Date(2026, 1, 9),
            Text("某市监规〔2026〕1号"),
            Text("第二十条第（一）项"),
            Text(AGENCY),
            Text("规范登记程序和材料。"),
            Text("行政规范性文件"),
            Text("有效"),
            Empty,
        ],
        vec![
            Text("2025年第四季度行政许可办理情况"),
            Empty,
            // 2026-01-12 and 2026-01-15 as serial numbers.
            Number(46034.0),
            Number(46037.0),
            Empty,
            Text("（五）"),
            Empty,
            Empty,
            Empty,
            Empty,
            Empty,
        ],
        vec![
            Text("某县个体工商户登记暂行办法"),
            Text("GK00001/2019-00012"),
            Text("2019年4月1日"),
            Text("2019.4.3"),
            Text("某工商规〔2019〕2号"),
            Text("法规文件"),
            Text("某县工商行政管理局"),
            Empty,
            Text("规范性文件"),
            Text("已废止"),
            Date(2026, 1, 5),
        ],
        vec![
            Text("某县市场监督管理局政府信息公开工作制度"),
            Text("旧平台-2020-0007"),
            Text("2020-06-01"),
            Text("20200605"),
            Empty,
            Text("政府信息公开制度"),
            Empty,
            Empty,
            Empty,
            Empty,
            Empty,
        ],
    ]
}

fn listed(db: &Path) -> String {
    let o = gongkai(db, &["items", "list", "--agency", AGENCY, "--limit", "100"]);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

#[test]
fn a_workbook_of_published_items_is_imported_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let file = dir.path().join("已发布信息.xlsx");
    workbook(&file, &HEADER, &good_rows());
    let f = file.to_str().unwrap();

    // Checked first: nothing written, not even the database.
    let o = gongkai(
        &db,
        &[
            "items", "import", f, "--agency", AGENCY, "--check", "--as-of", TODAY,
        ],
    );
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("共4条政府信息可以导入"),
        "{}",
        stdout(&o)
    );
    assert!(!db.exists());

    let o = gongkai(
        &db,
        &["items", "import", f, "--agency", AGENCY, "--as-of", TODAY],
    );
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.contains(&format!("已新建机关“{AGENCY}”")), "{out}");
    assert!(out.contains("已导入4条政府信息"), "{out}");
    assert!(out.contains("第4行（GK00001/2026-00005）"), "{out}");
    // The row without a 索引号 gets the agency's next one for its year:
    // past 00005, which the file brought.
    assert!(out.contains("第5行（GK00001/2026-00006）"), "{out}");
    // The title line above the header is not a row; blank 发布机构 are said.
    let err = stderr(&o);
    assert!(!err.contains("错误"), "{err}");
    assert!(
        err.contains("提示：2行没有填写发布机构（第5、7行）"),
        "{err}"
    );

    let list = listed(&db);
    for want in [
        "GK00001/2026-00005",
        "GK00001/2026-00006",
        "GK00001/2019-00012",
        "旧平台-2020-0007",
        "关于规范个体工商户登记的若干规定",
        "2026-01-15",
        "行政许可和对外管理服务",
        "政府信息公开制度",
        "共4条已发布的政府信息",
    ] {
        assert!(list.contains(want), "{want}: {list}");
    }
    // Newest first.
    let at = |s: &str| list.find(s).unwrap();
    assert!(at("GK00001/2026-00006") < at("GK00001/2026-00005"));
    assert!(at("GK00001/2026-00005") < at("GK00001/2019-00012"));

    // Again, and checked again: nothing new, each row named with its item.
    let o = gongkai(
        &db,
        &[
            "items", "import", f, "--agency", AGENCY, "--check", "--as-of", TODAY,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("0条政府信息可以导入，4条平台上已有"),
        "{}",
        stdout(&o)
    );
    let o = gongkai(
        &db,
        &["items", "import", f, "--agency", AGENCY, "--as-of", TODAY],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("4条平台上已有"), "{out}");
    assert!(out.contains("第5行（GK00001/2026-00006）"), "{out}");
    assert!(out.contains("没有新的政府信息，未作改动"), "{out}");
    assert!(!out.contains("已新建机关"), "{out}");
    assert!(listed(&db).contains("共4条已发布的政府信息"));

    // A later file: its rows without a 索引号 are numbered past every one
    // given so far; the row already there is skipped.
    let later = dir.path().join("补充.csv");
    std::fs::write(
        &later,
        "名称,成文日期,发布日期,所属栏目\n\
         2026年第一季度行政许可办理情况,2026-03-02,2026-03-05,5\n\
         2025年第四季度行政许可办理情况,2026-01-12,2026-01-15,5\n",
    )
    .unwrap();
    let o = gongkai(
        &db,
        &[
            "items",
            "import",
            later.to_str().unwrap(),
            "--agency",
            AGENCY,
            "--as-of",
            TODAY,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("已导入1条政府信息"), "{out}");
    assert!(out.contains("第2行（GK00001/2026-00007）"), "{out}");
    assert!(out.contains("1条平台上已有"), "{out}");

    // An item drafted in the console afterwards does not collide either.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let index_no = rt.block_on(async {
        use gongkai_casework::disclosure::{Disclosure, ItemDraft};
        let store = gongkai_store::Store::open(db.to_str().unwrap())
            .await
            .unwrap();
        let scope = gongkai_store::Scope::Agencies(vec![AGENCY.into()]);
        let draft = ItemDraft {
            title: "2026年3月抽查结果".into(),
            publisher: AGENCY.into(),
            written_on: chrono::NaiveDate::from_ymd_opt(2026, 3, 9),
            column: "a20-13".into(),
            disclosure: Some(Disclosure::Active),
            ..Default::default()
        };
        let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        let item = store
            .create_item("张三", &scope, AGENCY, &draft, today)
            .await
            .unwrap();
        store.close().await;
        item.index_no
    });
    assert_eq!(index_no, "GK00001/2026-00008");
    // The draft is not published: the list is unchanged but for the import.
    assert!(listed(&db).contains("共5条已发布的政府信息"));
}

#[test]
fn a_bad_file_is_refused_whole_with_every_bad_row_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let good = dir.path().join("good.xlsx");
    workbook(&good, &HEADER, &good_rows());
    let o = gongkai(
        &db,
        &[
            "items",
            "import",
            good.to_str().unwrap(),
            "--agency",
            AGENCY,
            "--as-of",
            TODAY,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));

    let mut rows = good_rows();
    // Lines 4 to 7 are the rows imported already (not a problem).
    rows.push(vec![
        // Line 8: a new, good row — not imported either.
        Text("新的一条"),
        Empty,
        Text("2026-02-02"),
        Text("2026-02-03"),
        Empty,
        Text("3"),
        Empty,
        Empty,
        Empty,
        Empty,
        Empty,
    ]);
    rows.push(vec![
        // Line 9: a day that does not exist, and no column.
        Text("日期有误"),
        Empty,
        Text("2026-02-30"),
        Text("2026-03-01"),
        Empty,
        Empty,
        Empty,
        Empty,
        Empty,
        Empty,
        Empty,
    ]);
    rows.push(vec![
        // Line 10: no 名称; published before it was written.
        Empty,
        Empty,
        Text("2026-02-05"),
        Text("2026-02-04"),
        Empty,
        Text("1"),
        Empty,
        Empty,
        Empty,
        Empty,
        Empty,
    ]);
    rows.push(vec![
        // Line 11: line 4's 索引号 again, a column and a 文件类型 not known.
        Text("另一条信息"),
        Text("GK00001/2026-00005"),
        Text("2026-02-05"),
        Text("2026-02-06"),
        Empty,
        Text("二十"),
        Empty,
        Empty,
        Text("红头文件"),
        Empty,
        Empty,
    ]);
    let bad = dir.path().join("bad.xlsx");
    workbook(&bad, &HEADER, &rows);
    let b = bad.to_str().unwrap();
    for check in [false, true] {
        let mut args = vec!["items", "import", b, "--agency", AGENCY, "--as-of", TODAY];
        if check {
            args.push("--check");
        }
        let o = gongkai(&db, &args);
        assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("整个文件未导入"), "{err}");
        assert!(err.contains("有7处问题（3行）"), "{err}");
        for want in [
            "第9行“生成日期”列“2026-02-30”：成文日期不是有效的日期：2026年2月没有30日",
            "第9行“栏目”列：所属栏目为空",
            "第10行“标题”列：名称为空",
            "第10行“公开日期”列“2026-02-04”：发布日期早于成文日期（2026-02-05）",
            "第11行“信息索引号”列“GK00001/2026-00005”：索引号与第4行重复",
            "第11行“栏目”列“二十”：无法识别的所属栏目",
            "第11行“文件类型”列“红头文件”：无法识别的文件类型",
        ] {
            assert!(err.contains(want), "{want}\n{err}");
        }
        assert!(!err.contains("第8行"), "{err}");
        assert!(stdout(&o).is_empty(), "{}", stdout(&o));
    }
    // Nothing of it was imported, the good new row included.
    let list = listed(&db);
    assert!(list.contains("共4条已发布的政府信息"), "{list}");
    assert!(!list.contains("新的一条"), "{list}");

    // Rows read well but in conflict with the platform: refused whole too.
    let clash = dir.path().join("clash.csv");
    std::fs::write(
        &clash,
        "索引号,名称,成文日期,发布日期,所属栏目\n\
         ,又一条,2026-02-02,2026-02-03,1\n\
         GK00001/2026-00005,名称改了,2026-01-05,2026-01-09,1\n",
    )
    .unwrap();
    let o = gongkai(
        &db,
        &[
            "items",
            "import",
            clash.to_str().unwrap(),
            "--agency",
            AGENCY,
            "--as-of",
            TODAY,
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains(
            "第3行：本机关已有索引号为GK00001/2026-00005的信息《关于规范个体工商户登记的若干规定》"
        ),
        "{err}"
    );
    assert!(!listed(&db).contains("又一条"));

    // Files that are not a table of items at all: exit 2, said in Chinese.
    let junk = dir.path().join("junk.xlsx");
    std::fs::write(&junk, b"PK\x03\x04 not really a workbook").unwrap();
    let o = gongkai(
        &db,
        &[
            "items",
            "import",
            junk.to_str().unwrap(),
            "--agency",
            AGENCY,
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("Excel工作簿已损坏或不完整"),
        "{}",
        stderr(&o)
    );
    let other = dir.path().join("other.csv");
    std::fs::write(&other, "名称,成文日期,发布日期\n甲,2026-01-05,2026-01-06\n").unwrap();
    let o = gongkai(
        &db,
        &[
            "items",
            "import",
            other.to_str().unwrap(),
            "--agency",
            AGENCY,
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("文件缺少必需的列：所属栏目"),
        "{}",
        stderr(&o)
    );
    let o = gongkai(&db, &["items", "list", "--agency", "没有这个机关"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("找不到机关“没有这个机关”"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_template_is_accepted_as_it_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let template: PathBuf = dir.path().join("模板.xlsx");
    let t = template.to_str().unwrap();
    let o = gongkai(&db, &["items", "template", "-o", t]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(template.exists());
    // Not written over without --force.
    let o = gongkai(&db, &["items", "template", "-o", t]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("已经存在"), "{}", stderr(&o));
    assert!(gongkai(&db, &["items", "template", "-o", t, "--force"])
        .status
        .success());

    let o = gongkai(&db, &["items", "import", t, "--agency", AGENCY, "--check"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("共1条政府信息可以导入"),
        "{}",
        stdout(&o)
    );
    // Every heading is the template's own: none read fuzzily, none unknown.
    assert!(!stderr(&o).contains("提示"), "{}", stderr(&o));
    let o = gongkai(&db, &["items", "import", t, "--agency", AGENCY]);
    assert!(o.status.success(), "{}", stderr(&o));
    let list = listed(&db);
    assert!(list.contains("2024-04-08"), "{list}");
    assert!(list.contains("行政许可和对外管理服务"), "{list}");
}
