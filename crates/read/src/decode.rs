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
    let utf8 = std::str::from_utf8(bytes).ok();
    // UTF-16 without a BOM: not UTF-8, or "UTF-8" full of NUL bytes (ASCII
    // in UTF-16).
    if utf8.is_none_or(|s| s.contains('\0')) {
        if let Some(kind) = utf16_without_bom(bytes) {
            let enc = match kind {
                Encoding::Utf16Be => encoding_rs::UTF_16BE,
                _ => encoding_rs::UTF_16LE,
            };
            let (text, _) = enc.decode_without_bom_handling(bytes);
            notes.push(ReadNote {
                message: format!(
                    "文件是没有字节顺序标记（BOM）的 {} 文本，已按此读取",
                    kind.name()
                ),
                pos: Pos::new(1, 1),
            });
            return (Cow::Owned(text.into_owned()), kind, notes);
        }
    }
    match utf8 {
        Some(s) => (Cow::Borrowed(s), Encoding::Utf8, notes),
        None => {
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

/// Whether the bytes are UTF-16 text without a byte-order mark, and in which
/// order: they decode without error, and nearly every character is one a
/// report has (Chinese characters, ASCII, CJK punctuation, full-width
/// forms). GBK bytes read as UTF-16 give Hangul, Yi, private-use characters
/// and broken surrogates, so they do not pass.
pub fn utf16_without_bom(bytes: &[u8]) -> Option<Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(1 << 16) & !1];
    let score = |enc: &'static encoding_rs::Encoding| -> f64 {
        let (text, bad) = enc.decode_without_bom_handling(sample);
        // A sample cut in a surrogate pair has one bad character at its end.
        let bad_count = text.matches('\u{FFFD}').count();
        if bad && (bad_count > 1 || sample.len() == bytes.len()) {
            return 0.0;
        }
        let mut good = 0usize;
        let mut all = 0usize;
        for c in text.chars() {
            all += 1;
            let u = c as u32;
            if (0x20..0x7F).contains(&u)
                || matches!(c, '\n' | '\r' | '\t')
                || (0x4E00..=0x9FFF).contains(&u)
                || (0x3000..=0x303F).contains(&u)
                || (0xFF00..=0xFFEF).contains(&u)
                || (0x2000..=0x206F).contains(&u)
                || (0x2460..=0x24FF).contains(&u)
            {
                good += 1;
            }
        }
        if all == 0 {
            0.0
        } else {
            good as f64 / all as f64
        }
    };
    let le = score(encoding_rs::UTF_16LE);
    let be = score(encoding_rs::UTF_16BE);
    match (le >= 0.95, be >= 0.95) {
        (true, _) if le >= be => Some(Encoding::Utf16Le),
        (_, true) => Some(Encoding::Utf16Be),
        _ => None,
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

    #[test]
    fn detects_utf16_without_a_bom() {
        let s = "二、主动公开政府信息情况\n第二十条第（一）项\t2025年\n";
        let le: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        let (t, e, notes) = decode(&le);
        assert_eq!((t.as_ref(), e), (s, Encoding::Utf16Le));
        assert!(notes[0].message.contains("UTF-16LE"));
        let (t, e, _) = decode(&be);
        assert_eq!((t.as_ref(), e), (s, Encoding::Utf16Be));
        // GBK is not taken for UTF-16, nor is UTF-8.
        let long = s.repeat(20);
        let (gbk, _, _) = encoding_rs::GBK.encode(&long);
        assert_eq!(decode(&gbk).1, Encoding::Gb18030);
        assert_eq!(utf16_without_bom(long.as_bytes()), None);
    }
}
