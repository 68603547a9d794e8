//! The text of an attachment, for the index.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::time::Duration;

use gongkai_read::doc::{Block, Document};
use gongkai_read::Format;

/// Bounds on [`attachment_text`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractLimits {
    /// Larger inputs are refused unread.
    pub max_bytes: usize,
    /// The extraction is abandoned after this long.
    pub timeout: Duration,
    /// The text is cut after this many characters.
    pub max_chars: usize,
}

impl Default for ExtractLimits {
    /// 20 MB, 10 s, 2,000,000 characters.
    fn default() -> ExtractLimits {
        ExtractLimits {
            max_bytes: 20 * 1024 * 1024,
            timeout: Duration::from_secs(10),
            max_chars: 2_000_000,
        }
    }
}

/// The text of an attachment for the index, by its file name's extension:
/// .docx (paragraphs and table cells), .pdf (its text layer), .xlsx (cell
/// text), .txt, .md, .html. Inputs over `limits.max_bytes` are refused; the
/// extraction runs on a thread of its own and is abandoned after
/// `limits.timeout` (the thread is left to finish on its own and its result
/// dropped); the text is cut at `limits.max_chars`. A broken or hostile file
/// gives an error in Chinese naming the file, never a panic.
pub fn attachment_text(
    file_name: &str,
    bytes: &[u8],
    limits: &ExtractLimits,
) -> Result<String, String> {
    let fail = |why: &str| format!("附件《{file_name}》无法读取：{why}");
    let lower = file_name.to_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let format = match ext {
        "docx" | "docm" => Format::Docx,
        "pdf" => Format::Pdf,
        "xlsx" | "xlsm" => Format::Xlsx,
        "txt" | "text" | "csv" => Format::Text,
        "md" | "markdown" => Format::Markdown,
        "html" | "htm" | "xhtml" | "shtml" => Format::Html,
        "" => return Err(fail("文件名没有扩展名，不知道是什么格式；可提取文字的格式有 .docx、.pdf、.xlsx、.txt、.md、.html")),
        _ => {
            return Err(fail(&format!(
                "不支持提取 .{ext} 文件的文字；可提取文字的格式有 .docx、.pdf、.xlsx、.txt、.md、.html"
            )))
        }
    };
    if bytes.len() > limits.max_bytes {
        return Err(fail(&format!(
            "文件有 {}，超过可提取文字的上限 {}",
            size(bytes.len()),
            size(limits.max_bytes)
        )));
    }
    let owned = bytes.to_vec();
    let max_chars = limits.max_chars;
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("attachment-text".into())
        .spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(|| {
                gongkai_read::read_document(format, &owned).map(|d| plain_text(&d, max_chars))
            }));
            let _ = tx.send(result);
        });
    if let Err(e) = spawned {
        return Err(fail(&format!("无法启动读取线程（{e}）")));
    }
    match rx.recv_timeout(limits.timeout) {
        Ok(Ok(Ok(text))) => Ok(text),
        Ok(Ok(Err(e))) => Err(fail(&e.to_string())),
        Ok(Err(_)) => Err(fail("文件内容异常，读取时出错")),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(fail(&format!(
            "读取超过 {} 秒仍未完成，已放弃",
            limits.timeout.as_secs_f32()
        ))),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(fail("读取线程意外中止")),
    }
}

fn size(n: usize) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    } else if n >= 1024 {
        format!("{:.1} KB", n as f64 / 1024.0)
    } else {
        format!("{n} 字节")
    }
}

/// Headings and paragraphs one a line; a table's rows one a line, cells
/// separated by tabs; cut at `max_chars` characters.
fn plain_text(doc: &Document, max_chars: usize) -> String {
    let mut out = String::new();
    let mut chars = 0usize;
    let mut push = |s: &str, out: &mut String| -> bool {
        for c in s.chars() {
            if chars >= max_chars {
                return false;
            }
            out.push(c);
            chars += 1;
        }
        true
    };
    'blocks: for block in &doc.blocks {
        match block {
            Block::Heading { text, .. } | Block::Paragraph { text, .. } => {
                if text.trim().is_empty() {
                    continue;
                }
                if !push(text, &mut out) || !push("\n", &mut out) {
                    break 'blocks;
                }
            }
            Block::Table(table) => {
                for row in &table.rows {
                    let cells: Vec<&str> = row
                        .iter()
                        .map(|c| c.text.trim())
                        .filter(|t| !t.is_empty())
                        .collect();
                    if cells.is_empty() {
                        continue;
                    }
                    if !push(&cells.join("\t"), &mut out) || !push("\n", &mut out) {
                        break 'blocks;
                    }
                }
            }
        }
    }
    out.truncate(out.trim_end().len());
    out
}
