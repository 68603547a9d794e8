//! Plain tables — a CSV file or the first sheet of a workbook — as rows of
//! text, numbered as a reader counts them: a roster of agencies, a list of
//! publication dates. What the columns mean is the caller's business.

/// Rows of a CSV (comma, tab or semicolon separated, in any of the
/// encodings [`crate::decode`] knows) or Excel table: (line or row number
/// from 1, cells). `name` is the file's name, for messages.
pub fn rows(name: &str, bytes: &[u8]) -> Result<Vec<(u32, Vec<String>)>, String> {
    if crate::xlsx::looks_like_xlsx(bytes) {
        let book = crate::xlsx::open(bytes).map_err(|e| format!("{name}：{e}"))?;
        let Some(sheet) = book.sheets.first() else {
            return Err(format!("{name}：工作簿中没有工作表"));
        };
        return Ok(sheet
            .rows()
            .into_iter()
            .map(|(r, cells)| {
                let width = cells.last().map_or(0, |c| c.0 as usize + 1);
                let mut row = vec![String::new(); width];
                for (c, v) in cells {
                    row[c as usize] = v.shown();
                }
                (r + 1, row)
            })
            .collect());
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(format!(
            "{name}：不是 CSV 或 Excel（.xlsx）表格；旧版 Excel（.xls）请另存为 .xlsx"
        ));
    }
    let (text, _, _) = crate::decode::decode(bytes);
    let text = text.trim_start_matches('\u{FEFF}');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| format!("{name}：第 {} 行无法读取（{e}）", i + 1))?;
        // The line the record starts on, counted from its byte offset (the
        // reader does not count the blank lines it skips).
        let line = rec.position().map_or(i + 1, |p| {
            let mut at = (p.byte() as usize).min(text.len());
            while matches!(text.as_bytes().get(at), Some(b'\n' | b'\r')) {
                at += 1;
            }
            memchr::memchr_iter(b'\n', &text.as_bytes()[..at]).count() + 1
        }) as u32;
        out.push((line, rec.iter().map(|s| s.trim().to_string()).collect()));
    }
    Ok(out)
}

/// The separator of a CSV text: the one of comma, tab and semicolon most
/// frequent on its first line (comma when none is).
fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    [b',', b'\t', b';']
        .into_iter()
        .map(|d| (first.bytes().filter(|&b| b == d).count(), d))
        .filter(|(n, _)| *n > 0)
        .max_by_key(|(n, d)| (*n, *d == b','))
        .map_or(b',', |(_, d)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_keep_their_line_numbers() {
        let text = "机关名称,类别\n甲县教育局,部门\n\n\"乙县\n人民政府\",人民政府\n";
        let rows = rows("名单.csv", text.as_bytes()).unwrap();
        assert_eq!(rows[0], (1, vec!["机关名称".into(), "类别".into()]));
        assert_eq!(rows[1], (2, vec!["甲县教育局".into(), "部门".into()]));
        assert_eq!(rows[2].0, 4, "{rows:?}");
        assert_eq!(rows[2].1[0], "乙县\n人民政府");
    }

    #[test]
    fn tabs_and_gbk_are_read() {
        let (gbk, _, _) = encoding_rs::GBK.encode("机关名称\t地区\n甲县教育局\t甲县\n");
        let rows = rows("名单.txt", &gbk).unwrap();
        assert_eq!(rows[1].1, vec!["甲县教育局".to_string(), "甲县".into()]);
    }

    #[test]
    fn other_office_files_are_refused_by_name() {
        let e = rows("名单.xls", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest").unwrap_err();
        assert!(e.contains("名单.xls") && e.contains(".xlsx"), "{e}");
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)) {
            let _ = rows("x.csv", &bytes);
        }
    }
}
