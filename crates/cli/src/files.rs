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
pub fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<String>) {
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
                        Err(err) => missing.push(walk_error(p, &err)),
                    }
                }
                found.sort();
                files.extend(found);
            }
            Ok(_) => files.push(p.clone()),
            Err(e) => missing.push(format!(
                "{}：{}",
                p.display(),
                crate::input::describe(p, &e)
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
