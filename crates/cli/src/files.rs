//! Which files a command reads.

use gongkai_template::{Edition, Template};
use std::path::PathBuf;

/// Extensions read when walking a directory.
const EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "markdown", "html", "htm", "shtml", "xhtml", "json", "docx", "xlsx",
    "xlsm", "pdf",
];

/// Expands the paths: files as given, directories walked recursively (files
/// with a report extension, in name order). Returns the files and a message
/// for each path that could not be read.
pub fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    let mut missing = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                let mut found: Vec<PathBuf> = Vec::new();
                for entry in walkdir::WalkDir::new(p).follow_links(true) {
                    match entry {
                        Ok(e) if e.file_type().is_file() => {
                            let ext = e
                                .path()
                                .extension()
                                .and_then(|x| x.to_str())
                                .unwrap_or("")
                                .to_ascii_lowercase();
                            // A folder's README describes the reports; it is not one.
                            let stem = e.path().file_stem().and_then(|x| x.to_str()).unwrap_or("");
                            if EXTENSIONS.contains(&ext.as_str())
                                && !stem.eq_ignore_ascii_case("readme")
                            {
                                found.push(e.into_path());
                            }
                        }
                        Ok(_) => {}
                        Err(err) => missing
                            .push((err.path().unwrap_or(p).to_path_buf(), walk_error(p, &err))),
                    }
                }
                found.sort();
                files.extend(found);
            }
            Ok(_) => files.push(p.clone()),
            Err(e) => missing.push((
                p.clone(),
                format!("{}：{}", p.display(), crate::input::describe(p, &e)),
            )),
        }
    }
    (files, missing)
}

/// A problem met while walking a directory, in words.
fn walk_error(root: &std::path::Path, err: &walkdir::Error) -> String {
    let path = err.path().unwrap_or(root);
    if let Some(ancestor) = err.loop_ancestor() {
        return format!(
            "{}：符号链接循环（指向上级目录 {}），已跳过",
            path.display(),
            ancestor.display()
        );
    }
    match err.io_error() {
        Some(e) => format!(
            "{}：无法读取（{}）",
            path.display(),
            crate::input::describe(path, e)
        ),
        None => format!("{}：无法读取目录", path.display()),
    }
}

/// How the template words a cell: section, group or clause, row and column,
/// joined by "｜" ("三、收到和处理政府信息公开申请情况｜（三）不予公开｜1.属于国家秘密｜自然人").
pub fn cell_words(address: &str) -> String {
    for edition in [Edition::V2021, Edition::V2019] {
        let t = Template::get(edition);
        if let Some(def) = t.cells.iter().find(|c| c.address == address) {
            let table = t.table(def.table);
            let row = &table.rows[def.row];
            let col = &table.columns[def.column];
            let group = match def.table {
                gongkai_template::TableKey::T2 => row.clause.unwrap_or_default(),
                _ => row.group.unwrap_or_default(),
            };
            let section = t.section(table.section).heading();
            return [section.as_str(), group, row.label, col.label]
                .iter()
                .filter(|s| !s.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join("｜");
        }
    }
    address.to_string()
}

/// Every cell address of both editions: the 2021 edition's, then those only the 2019 edition has.
pub fn all_addresses() -> Vec<String> {
    let mut out: Vec<String> = Template::get(Edition::V2021)
        .cells
        .iter()
        .map(|c| c.address.clone())
        .collect();
    for c in &Template::get(Edition::V2019).cells {
        if !out.contains(&c.address) {
            out.push(c.address.clone());
        }
    }
    out
}
