//! Reading input files safely: only regular files (a pipe, a device or a
//! socket given as a file would block or never end), and no more than a
//! bound (a file of many gigabytes is refused, not read into memory).

use std::io::Read;
use std::path::Path;

/// The most a report file may hold (the largest real reports, PDF with
/// images, are a few tens of megabytes).
pub const REPORT_LIMIT: u64 = 256 << 20;
/// The most a 台账 workbook or CSV may hold.
pub const LEDGER_LIMIT: u64 = 256 << 20;
/// The most a font file may weigh (the largest CJK fonts are some 30 MB).
pub const FONT_LIMIT: u64 = 128 << 20;
/// The most a small text file (calendar, narrative, letter template) may hold.
pub const TEXT_LIMIT: u64 = 4 << 20;

fn megabytes(n: u64) -> String {
    let mb = n as f64 / (1u64 << 20) as f64;
    if mb >= 10.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{mb:.1} MB")
    }
}

/// Reads a whole regular file of at most `limit` bytes. The error is a
/// message for the user naming the file.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| format!("{shown}：{}", describe(path, &e)))?;
    if meta.is_dir() {
        return Err(format!("{shown}：这是一个目录，不是文件"));
    }
    if !meta.is_file() {
        return Err(format!(
            "{shown}：不是普通文件（而是管道、设备或套接字），不能读取"
        ));
    }
    if meta.len() > limit {
        return Err(format!(
            "{shown}：文件过大（{}，上限 {}），不读取",
            megabytes(meta.len()),
            megabytes(limit)
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("{shown}：{}", describe(path, &e)))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{shown}：无法读取（{}）", crate::io_error(&e)))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "{shown}：文件过大（超过上限 {}），不读取",
            megabytes(limit)
        ));
    }
    Ok(bytes)
}

/// Reads a small UTF-8 text file (UTF-8 with or without BOM); other
/// encodings are named in the error.
pub fn read_text(path: &Path, limit: u64) -> Result<String, String> {
    let bytes = read(path, limit)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            let guess = if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
                "，像是 UTF-16 编码"
            } else if encoding_is_gb(bytes) {
                "，像是 GBK/GB18030 编码"
            } else {
                ""
            };
            Err(format!(
                "{}：第{line}行不是 UTF-8 文字{guess}；请用 UTF-8 编码另存后再试",
                path.display()
            ))
        }
    }
}

/// Whether the bytes read as GB18030 without errors (and are not ASCII).
fn encoding_is_gb(bytes: &[u8]) -> bool {
    let (_, _, bad) = encoding_rs::GB18030.decode(bytes);
    !bad
}

/// An IO error on an input path in words, telling a missing file from a
/// link that loops or points nowhere.
pub fn describe(path: &Path, e: &std::io::Error) -> String {
    // ELOOP: 40 on Linux, 62 on macOS and the BSDs.
    let eloop = if cfg!(target_os = "linux") { 40 } else { 62 };
    if cfg!(unix) && e.raw_os_error() == Some(eloop) {
        return "符号链接循环指向自身，无法读取".into();
    }
    if e.kind() == std::io::ErrorKind::NotFound {
        if std::fs::symlink_metadata(path).is_ok() {
            return "符号链接指向的文件不存在".into();
        }
        return "文件或目录不存在".into();
    }
    crate::io_error(e)
}
