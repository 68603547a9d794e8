//! Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK,
//! detected automatically.

use crate::doc::{Pos, ReadNote};
use std::borrow::Cow;

/// The encoding a text was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Gb18030,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Gb18030 => "GB18030",
        }
    }
}

/// Decodes bytes. Valid UTF-8 is taken as UTF-8; a BOM decides when present;
/// anything else is decoded as GB18030 (a superset of GBK and GB2312), and
/// undecodable bytes become U+FFFD with a note saying so.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, Encoding, Vec<ReadNote>) {
    let mut notes = Vec::new();
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let (text, had_errors) = encoding_rs::UTF_8.decode_without_bom_handling(rest);
        if had_errors {
            notes.push(note(
                "文件以 UTF-8 BOM 开头，但含有无效的 UTF-8 字节，已替换为“\u{FFFD}”",
                &text,
            ));
        }
        return (text, Encoding::Utf8, notes);
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (enc, kind) = if bytes[0] == 0xFF {
            (encoding_rs::UTF_16LE, Encoding::Utf16Le)
        } else {
            (encoding_rs::UTF_16BE, Encoding::Utf16Be)
        };
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[2..]);
        if had_errors {
            notes.push(note("UTF-16 文本中有无效字节，已替换为“\u{FFFD}”", &text));
        }
        return (text, kind, notes);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), Encoding::Utf8, notes),
        Err(_) => {
            let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            notes.push(ReadNote {
                message: "文件不是 UTF-8 编码，已按 GB18030（GBK）读取".into(),
                pos: Pos::new(1, 1),
            });
            if had_errors {
                notes.push(note(
                    "按 GB18030 读取时有无法识别的字节，已替换为“\u{FFFD}”",
                    &text,
                ));
            }
            (text, Encoding::Gb18030, notes)
        }
    }
}

/// A note placed at the first replacement character.
fn note(message: &str, text: &str) -> ReadNote {
    let pos = text
        .find('\u{FFFD}')
        .map(|at| {
            let before = &text[..at];
            let line = before.matches('\n').count() as u32 + 1;
            let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
            Pos::new(line, col)
        })
        .unwrap_or(Pos::new(1, 1));
    ReadNote {
        message: message.to_string(),
        pos,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_encodings() {
        let s = "三、收到和处理政府信息公开申请情况";
        assert_eq!(decode(s.as_bytes()).1, Encoding::Utf8);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(s.as_bytes());
        let (t, e, _) = decode(&bom);
        assert_eq!((t.as_ref(), e), (s, Encoding::Utf8));
        let (gbk, _, _) = encoding_rs::GBK.encode(s);
        let (t, e, notes) = decode(&gbk);
        assert_eq!((t.as_ref(), e), (s, Encoding::Gb18030));
        assert_eq!(notes.len(), 1);
    }
}
