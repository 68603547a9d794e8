//! Fonts: how the bytes of a shown string split into character codes, what
//! text each code stands for, and how wide its glyph is.
//!
//! * Composite fonts (Type0) with a predefined CMap: `Identity-H/V` (two-byte
//!   codes, text from the ToUnicode CMap only), `UniGB-UCS2-H/V` and the other
//!   `-UCS2-` CMaps (UCS-2 big-endian codes), `UniGB-UTF16-H/V` (UTF-16
//!   big-endian), `GBK-EUC-H/V`, `GB-EUC-H/V`, `GBpc-EUC-H/V`,
//!   `GBKp-EUC-H/V` (GBK), `GBK2K-H/V` (GB 18030) and the Big5 CMaps; or an
//!   embedded CMap stream (its code space ranges and CID mappings, and a
//!   predefined CMap it uses).
//! * Simple fonts: one-byte codes, text from the ToUnicode CMap, else from
//!   the encoding (`WinAnsiEncoding`, `MacRomanEncoding`, standard) with its
//!   `/Differences` glyph names (`uniXXXX`, `uXXXX`, the usual Latin names).
//!
//! A ToUnicode CMap, when present, takes precedence over the encoding.
//! A code with no known text decodes to None: the caller reports it.

use super::lex::{Lexer, Tok};
use super::{deref, dict_get, name_of, number, stream_bytes};
use lopdf::{Dictionary, Document as PdfDoc, Object};
use std::collections::HashMap;

/// Most entries a ToUnicode or CID CMap may define (ranges expanded).
const MAX_CMAP_ENTRIES: usize = 200_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Codec {
    /// One byte per code.
    Simple,
    /// Two bytes per code (Identity and unknown CMaps).
    TwoByte,
    Ucs2,
    Utf16,
    Gbk,
    Gb18030,
    Big5,
    /// Code lengths from an embedded CMap's code space ranges.
    Ranges,
}

/// A font as the text extractor needs it.
#[derive(Debug)]
pub struct Font {
    /// The base font name (for messages).
    pub name: String,
    codec: Codec,
    /// Code space ranges of an embedded CMap: (byte length, low, high).
    ranges: Vec<(usize, u32, u32)>,
    /// Embedded CMap: code → CID (composite fonts).
    cids: HashMap<(u8, u32), u32>,
    /// ToUnicode: (code length, code) → text.
    to_unicode: HashMap<(u8, u32), String>,
    /// Simple fonts: the text of each byte from the encoding.
    simple: Vec<Option<char>>,
    /// Glyph widths in thousandths of the font size: by CID (composite) or code (simple).
    widths: HashMap<u32, f64>,
    default_width: f64,
    /// Adobe-GB1 (or another Adobe CJK collection): ASCII has CIDs 1–95.
    adobe_cjk: bool,
    pub vertical: bool,
    pub composite: bool,
    /// Whether the font name says bold.
    pub bold: bool,
}

/// One code of a shown string.
#[derive(Debug, Clone)]
pub struct Code {
    pub len: usize,
    pub text: Option<String>,
    /// Width in thousandths of the font size.
    pub width: f64,
    /// A single-byte code 32: word spacing applies.
    pub space: bool,
}

impl Font {
    /// A font that knows nothing: codes are one byte, no text.
    pub fn unknown(name: &str) -> Font {
        Font {
            name: name.to_string(),
            codec: Codec::Simple,
            ranges: Vec::new(),
            cids: HashMap::new(),
            to_unicode: HashMap::new(),
            simple: vec![None; 256],
            widths: HashMap::new(),
            default_width: 500.0,
            adobe_cjk: false,
            vertical: false,
            composite: false,
            bold: false,
        }
    }

    /// Reads a font dictionary.
    pub fn load(doc: &PdfDoc, dict: &Dictionary) -> Font {
        let subtype = dict_get(doc, dict, b"Subtype").and_then(name_of);
        let base = dict_get(doc, dict, b"BaseFont")
            .and_then(name_of)
            .map(|n| decode_name(&n))
            .unwrap_or_default();
        let mut font = Font::unknown(&base);
        let lower = base.to_ascii_lowercase();
        font.bold = lower.contains("bold") || base.contains("黑体") || lower.contains("hei");
        if subtype.as_deref() == Some(b"Type0".as_slice()) {
            font.composite = true;
            font.load_composite(doc, dict);
        } else {
            font.load_simple(doc, dict);
        }
        if let Some(Object::Stream(s)) = dict_get(doc, dict, b"ToUnicode") {
            if let Some(bytes) = stream_bytes(s) {
                let cmap = parse_cmap(&bytes, 0);
                font.to_unicode = cmap.bf;
                if font.codec == Codec::Ranges && font.ranges.is_empty() {
                    font.ranges = cmap.ranges;
                }
            }
        }
        font
    }

    fn load_composite(&mut self, doc: &PdfDoc, dict: &Dictionary) {
        self.codec = Codec::TwoByte;
        self.default_width = 1000.0;
        match dict_get(doc, dict, b"Encoding") {
            Some(Object::Name(n)) => {
                let n = n.clone();
                self.set_predefined(&String::from_utf8_lossy(&n));
            }
            Some(Object::Stream(s)) => {
                if let Some(name) = s.dict.get(b"CMapName").ok().and_then(name_of) {
                    self.vertical = name.ends_with(b"-V");
                }
                if let Some(bytes) = stream_bytes(s) {
                    let cmap = parse_cmap(&bytes, 0);
                    if let Some(used) = &cmap.usecmap {
                        self.set_predefined(used);
                    }
                    if !cmap.ranges.is_empty() {
                        self.codec = Codec::Ranges;
                        self.ranges = cmap.ranges;
                    }
                    self.cids = cmap.cid;
                    if let Ok(w) = s.dict.get(b"WMode").and_then(|o| o.as_i64()) {
                        self.vertical = w == 1;
                    }
                }
            }
            _ => {}
        }
        let Some(Object::Array(desc)) = dict_get(doc, dict, b"DescendantFonts") else {
            return;
        };
        let Some(Object::Dictionary(cid_font)) = desc.first().and_then(|o| deref(doc, o)) else {
            return;
        };
        if let Some(Object::Dictionary(info)) = dict_get(doc, cid_font, b"CIDSystemInfo") {
            let registry = dict_get(doc, info, b"Registry").and_then(|o| o.as_str().ok());
            self.adobe_cjk = registry == Some(b"Adobe".as_slice())
                && dict_get(doc, info, b"Ordering")
                    .and_then(|o| o.as_str().ok())
                    .is_some_and(|o| matches!(o, b"GB1" | b"CNS1" | b"Japan1" | b"Korea1"));
        }
        if let Some(dw) = dict_get(doc, cid_font, b"DW").and_then(number) {
            self.default_width = dw;
        }
        if let Some(Object::Array(w)) = dict_get(doc, cid_font, b"W") {
            let mut i = 0;
            while i < w.len() && self.widths.len() < MAX_CMAP_ENTRIES {
                let Some(first) = deref(doc, &w[i]).and_then(number) else {
                    break;
                };
                match w.get(i + 1).and_then(|o| deref(doc, o)) {
                    Some(Object::Array(list)) => {
                        for (k, o) in list.iter().enumerate().take(MAX_CMAP_ENTRIES) {
                            if let Some(v) = deref(doc, o).and_then(number) {
                                self.widths
                                    .insert((first as u32).saturating_add(k as u32), v);
                            }
                        }
                        i += 2;
                    }
                    Some(o) => {
                        let last = number(o).unwrap_or(first);
                        let v = w.get(i + 2).and_then(|o| deref(doc, o)).and_then(number);
                        if let Some(v) = v {
                            let (a, b) = (first as u32, last as u32);
                            for cid in a..=b.min(a.saturating_add(65_535)) {
                                if self.widths.len() >= MAX_CMAP_ENTRIES {
                                    break;
                                }
                                self.widths.insert(cid, v);
                            }
                        }
                        i += 3;
                    }
                    None => break,
                }
            }
        }
    }

    fn set_predefined(&mut self, name: &str) {
        self.vertical = name.ends_with("-V");
        self.codec = if name.starts_with("Identity") {
            Codec::TwoByte
        } else if name.contains("UCS2") {
            Codec::Ucs2
        } else if name.contains("UTF16") {
            Codec::Utf16
        } else if name.starts_with("GBK2K") {
            Codec::Gb18030
        } else if name.starts_with("GBK-EUC")
            || name.starts_with("GB-EUC")
            || name.starts_with("GBpc-EUC")
            || name.starts_with("GBKp-EUC")
            || name.starts_with("GBT-EUC")
        {
            Codec::Gbk
        } else if name.starts_with("B5pc")
            || name.starts_with("ETen-B5")
            || name.starts_with("HKscs-B5")
        {
            Codec::Big5
        } else {
            Codec::TwoByte
        };
    }

    fn load_simple(&mut self, doc: &PdfDoc, dict: &Dictionary) {
        self.codec = Codec::Simple;
        // The standard encoding's printable ASCII, as a base.
        for b in 0x20u8..0x7f {
            self.simple[b as usize] = Some(b as char);
        }
        let set_base = |simple: &mut Vec<Option<char>>, name: &[u8]| {
            let enc = match name {
                b"WinAnsiEncoding" => Some(encoding_rs::WINDOWS_1252),
                b"MacRomanEncoding" => Some(encoding_rs::MACINTOSH),
                _ => None,
            };
            if let Some(enc) = enc {
                for b in 0x20u8..=0xff {
                    let byte = [b];
                    let (s, _, bad) = enc.decode(&byte);
                    if !bad {
                        simple[b as usize] = s.chars().next().filter(|c| !c.is_control());
                    }
                }
            }
        };
        match dict_get(doc, dict, b"Encoding") {
            Some(Object::Name(n)) => {
                let n = n.clone();
                set_base(&mut self.simple, &n);
            }
            Some(Object::Dictionary(enc)) => {
                if let Some(n) = dict_get(doc, enc, b"BaseEncoding").and_then(name_of) {
                    set_base(&mut self.simple, &n);
                }
                if let Some(Object::Array(diffs)) = dict_get(doc, enc, b"Differences") {
                    let mut code: i64 = 0;
                    for o in diffs.iter().take(4096) {
                        match deref(doc, o) {
                            Some(Object::Integer(i)) => code = *i,
                            Some(Object::Real(r)) => code = *r as i64,
                            Some(Object::Name(n)) => {
                                if (0..256).contains(&code) {
                                    self.simple[code as usize] = glyph_char(n);
                                }
                                code += 1;
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
        let first = dict_get(doc, dict, b"FirstChar")
            .and_then(number)
            .unwrap_or(0.0);
        if let Some(Object::Array(w)) = dict_get(doc, dict, b"Widths") {
            for (k, o) in w.iter().enumerate().take(256) {
                if let Some(v) = deref(doc, o).and_then(number) {
                    self.widths.insert(
                        (first as i64).saturating_add(k as i64).clamp(0, 255) as u32,
                        v,
                    );
                }
            }
        }
        if let Some(Object::Dictionary(fd)) = dict_get(doc, dict, b"FontDescriptor") {
            if let Some(mw) = dict_get(doc, fd, b"MissingWidth").and_then(number) {
                self.default_width = mw;
            }
        }
    }

    /// Splits the next code off `bytes` (never empty) and decodes it.
    pub fn next_code(&self, bytes: &[u8]) -> Code {
        let b0 = bytes[0];
        let len = match self.codec {
            Codec::Simple => 1,
            Codec::TwoByte | Codec::Ucs2 => 2,
            Codec::Utf16 => {
                if (0xD8..0xDC).contains(&b0) {
                    4
                } else {
                    2
                }
            }
            Codec::Gbk | Codec::Big5 => {
                if (0x81..=0xFE).contains(&b0) {
                    2
                } else {
                    1
                }
            }
            Codec::Gb18030 => {
                if (0x81..=0xFE).contains(&b0) {
                    if bytes.get(1).is_some_and(|b| (0x30..=0x39).contains(b)) {
                        4
                    } else {
                        2
                    }
                } else {
                    1
                }
            }
            Codec::Ranges => self.range_len(bytes),
        }
        .min(bytes.len())
        .max(1);
        let raw = &bytes[..len];
        let code = raw.iter().fold(0u32, |a, &b| (a << 8) | b as u32);
        let mut text = self.to_unicode.get(&(len as u8, code)).cloned();
        if text.is_none() {
            text = self.decode_builtin(raw, code);
        }
        let text = text.filter(|t| {
            !t.is_empty()
                && t.chars().all(|c| {
                    !c.is_control() && c != '\u{FFFD}' && !('\u{E000}'..='\u{F8FF}').contains(&c)
                })
        });
        let width = self.width_of(code, len, text.as_deref());
        Code {
            len,
            text,
            width,
            space: len == 1 && code == 32,
        }
    }

    fn range_len(&self, bytes: &[u8]) -> usize {
        for n in 1..=4usize.min(bytes.len()) {
            let code = bytes[..n].iter().fold(0u32, |a, &b| (a << 8) | b as u32);
            if self
                .ranges
                .iter()
                .any(|&(l, lo, hi)| l == n && lo <= code && code <= hi)
            {
                return n;
            }
        }
        self.ranges.iter().map(|r| r.0).min().unwrap_or(2)
    }

    fn decode_builtin(&self, raw: &[u8], code: u32) -> Option<String> {
        match self.codec {
            Codec::Simple => self.simple[raw[0] as usize].map(String::from),
            Codec::TwoByte | Codec::Ranges => None,
            Codec::Ucs2 => char::from_u32(code).map(String::from),
            Codec::Utf16 => {
                let units: Vec<u16> = raw
                    .chunks(2)
                    .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                    .collect();
                String::from_utf16(&units).ok()
            }
            Codec::Gbk => decode_with(encoding_rs::GBK, raw),
            Codec::Gb18030 => decode_with(encoding_rs::GB18030, raw),
            Codec::Big5 => decode_with(encoding_rs::BIG5, raw),
        }
    }

    fn width_of(&self, code: u32, len: usize, text: Option<&str>) -> f64 {
        if !self.composite {
            return self
                .widths
                .get(&code)
                .copied()
                .unwrap_or(self.default_width);
        }
        let cid = match self.codec {
            Codec::TwoByte => Some(code),
            Codec::Ranges => self.cids.get(&(len as u8, code)).copied(),
            _ => None,
        };
        if let Some(w) = cid.and_then(|c| self.widths.get(&c)) {
            return *w;
        }
        if cid.is_none() {
            // Predefined CMaps map text to CIDs; for ASCII in Adobe's CJK
            // collections the CID is the code minus 31.
            if let Some(c) = text.and_then(|t| t.chars().next()).filter(|c| c.is_ascii()) {
                if self.adobe_cjk {
                    if let Some(w) = self.widths.get(&(c as u32).saturating_sub(31)) {
                        return *w;
                    }
                }
                return 500.0;
            }
        }
        self.default_width
    }
}

fn decode_with(enc: &'static encoding_rs::Encoding, raw: &[u8]) -> Option<String> {
    enc.decode_without_bom_handling_and_without_replacement(raw)
        .map(|s| s.into_owned())
}

/// A PDF name as text (`#xx` escapes are already undone by the parser).
pub fn decode_name(n: &[u8]) -> String {
    match std::str::from_utf8(n) {
        Ok(s) => s.to_string(),
        Err(_) => {
            decode_with(encoding_rs::GBK, n).unwrap_or_else(|| String::from_utf8_lossy(n).into())
        }
    }
}

/// The character a glyph name stands for: `uniXXXX`, `uXXXX[XX]`, a single
/// character, or one of the usual Latin names.
pub fn glyph_char(name: &[u8]) -> Option<char> {
    let name = std::str::from_utf8(name).ok()?;
    let base = name.split('.').next().unwrap_or(name);
    if let Some(hex) = base.strip_prefix("uni") {
        if hex.len() >= 4 {
            return u32::from_str_radix(&hex[..4], 16)
                .ok()
                .and_then(char::from_u32);
        }
    }
    if let Some(hex) = base.strip_prefix('u') {
        if (4..=6).contains(&hex.len()) && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
        }
    }
    let mut chars = base.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_ascii_alphabetic() {
            return Some(c);
        }
    }
    const NAMES: &[(&str, char)] = &[
        ("space", ' '),
        ("exclam", '!'),
        ("quotedbl", '"'),
        ("numbersign", '#'),
        ("dollar", '$'),
        ("percent", '%'),
        ("ampersand", '&'),
        ("quotesingle", '\''),
        ("quoteright", '’'),
        ("quoteleft", '‘'),
        ("parenleft", '('),
        ("parenright", ')'),
        ("asterisk", '*'),
        ("plus", '+'),
        ("comma", ','),
        ("hyphen", '-'),
        ("minus", '−'),
        ("period", '.'),
        ("slash", '/'),
        ("zero", '0'),
        ("one", '1'),
        ("two", '2'),
        ("three", '3'),
        ("four", '4'),
        ("five", '5'),
        ("six", '6'),
        ("seven", '7'),
        ("eight", '8'),
        ("nine", '9'),
        ("colon", ':'),
        ("semicolon", ';'),
        ("less", '<'),
        ("equal", '='),
        ("greater", '>'),
        ("question", '?'),
        ("at", '@'),
        ("bracketleft", '['),
        ("backslash", '\\'),
        ("bracketright", ']'),
        ("asciicircum", '^'),
        ("underscore", '_'),
        ("grave", '`'),
        ("braceleft", '{'),
        ("bar", '|'),
        ("braceright", '}'),
        ("asciitilde", '~'),
        ("endash", '–'),
        ("emdash", '—'),
        ("quotedblleft", '“'),
        ("quotedblright", '”'),
        ("bullet", '•'),
        ("ellipsis", '…'),
        ("degree", '°'),
        ("multiply", '×'),
    ];
    NAMES.iter().find(|(n, _)| *n == base).map(|&(_, c)| c)
}

/// What a CMap stream defines.
#[derive(Debug, Default)]
pub struct CMap {
    pub ranges: Vec<(usize, u32, u32)>,
    pub bf: HashMap<(u8, u32), String>,
    pub cid: HashMap<(u8, u32), u32>,
    pub usecmap: Option<String>,
}

fn code_of(bytes: &[u8]) -> Option<(u8, u32)> {
    if bytes.is_empty() || bytes.len() > 4 {
        return None;
    }
    Some((
        bytes.len() as u8,
        bytes.iter().fold(0u32, |a, &b| (a << 8) | b as u32),
    ))
}

fn utf16_text(bytes: &[u8]) -> Option<String> {
    if bytes.len() == 1 {
        return char::from_u32(bytes[0] as u32).map(String::from);
    }
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
        .collect();
    Some(
        char::decode_utf16(units)
            .map(|r| r.unwrap_or('\u{FFFD}'))
            .collect(),
    )
}

/// Adds `k` to the last UTF-16 unit of a destination string.
fn offset_text(dst: &[u8], k: u32) -> Option<String> {
    let mut units: Vec<u16> = dst
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
        .collect();
    let last = units.last_mut()?;
    *last = (*last as u32).checked_add(k).filter(|&v| v <= 0xFFFF)? as u16;
    Some(
        char::decode_utf16(units)
            .map(|r| r.unwrap_or('\u{FFFD}'))
            .collect(),
    )
}

/// Parses a CMap (ToUnicode or CID): code space ranges, bfchar/bfrange
/// (including the array form), cidchar/cidrange and usecmap.
pub fn parse_cmap(bytes: &[u8], _depth: usize) -> CMap {
    let mut out = CMap::default();
    let mut lex = Lexer::new(bytes);
    let mut operands: Vec<Tok> = Vec::new();
    let mut entries = 0usize;
    let mut ops = 0usize;
    while let Some(tok) = lex.next_tok() {
        ops += 1;
        if ops > 4_000_000 || entries > MAX_CMAP_ENTRIES {
            break;
        }
        let Tok::Op(op) = tok else {
            if operands.len() < 100_000 {
                operands.push(tok);
            }
            continue;
        };
        match op.as_slice() {
            b"usecmap" => {
                if let Some(Tok::Name(n)) = operands.last() {
                    out.usecmap = Some(String::from_utf8_lossy(n).into_owned());
                }
            }
            b"endcodespacerange" => {
                for pair in operands.chunks(2) {
                    if let [Tok::Str(lo), Tok::Str(hi)] = pair {
                        if let (Some((l, a)), Some((_, b))) = (code_of(lo), code_of(hi)) {
                            out.ranges.push((l as usize, a, b));
                        }
                    }
                }
            }
            b"endbfchar" => {
                for pair in operands.chunks(2) {
                    let [Tok::Str(src), dst] = pair else { continue };
                    let Some(code) = code_of(src) else { continue };
                    let text = match dst {
                        Tok::Str(d) => utf16_text(d),
                        Tok::Name(n) => glyph_char(n).map(String::from),
                        _ => None,
                    };
                    if let Some(t) = text {
                        out.bf.insert(code, t);
                        entries += 1;
                    }
                }
            }
            b"endbfrange" => {
                let mut i = 0;
                while i + 2 < operands.len() {
                    let (Tok::Str(lo), Tok::Str(hi)) = (&operands[i], &operands[i + 1]) else {
                        i += 1;
                        continue;
                    };
                    let (Some((l, a)), Some((_, b))) = (code_of(lo), code_of(hi)) else {
                        i += 3;
                        continue;
                    };
                    let b = b.min(a.saturating_add(65_535));
                    match &operands[i + 2] {
                        Tok::Str(dst) => {
                            for (k, code) in (a..=b).enumerate() {
                                if entries > MAX_CMAP_ENTRIES {
                                    break;
                                }
                                if let Some(t) = offset_text(dst, k as u32) {
                                    out.bf.insert((l, code), t);
                                    entries += 1;
                                }
                            }
                        }
                        Tok::Array(items) => {
                            for (k, code) in (a..=b).enumerate() {
                                if let Some(Tok::Str(d)) = items.get(k) {
                                    if let Some(t) = utf16_text(d) {
                                        out.bf.insert((l, code), t);
                                        entries += 1;
                                    }
                                }
                            }
                        }
                        _ => {}
                    }
                    i += 3;
                }
            }
            b"endcidchar" => {
                for pair in operands.chunks(2) {
                    if let [Tok::Str(src), Tok::Num(cid)] = pair {
                        if let Some(code) = code_of(src) {
                            out.cid.insert(code, *cid as u32);
                            entries += 1;
                        }
                    }
                }
            }
            b"endcidrange" => {
                for tri in operands.chunks(3) {
                    if let [Tok::Str(lo), Tok::Str(hi), Tok::Num(cid)] = tri {
                        if let (Some((l, a)), Some((_, b))) = (code_of(lo), code_of(hi)) {
                            for (k, code) in (a..=b.min(a.saturating_add(65_535))).enumerate() {
                                if entries > MAX_CMAP_ENTRIES {
                                    break;
                                }
                                out.cid
                                    .insert((l, code), (*cid as u32).saturating_add(k as u32));
                                entries += 1;
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        operands.clear();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tounicode_forms() {
        let cmap = parse_cmap(
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
              2 beginbfchar <0001> <653F> <0002> <62A5544A> endbfchar\n\
              2 beginbfrange <0010> <0012> <0030> <0020> <0021> [<4FE1> <D842DFB7>] endbfrange\n\
              1 begincidrange <8140> <817E> 100 endcidrange",
            0,
        );
        assert_eq!(cmap.bf[&(2, 1)], "政");
        assert_eq!(cmap.bf[&(2, 2)], "报告");
        assert_eq!(cmap.bf[&(2, 0x12)], "2");
        assert_eq!(cmap.bf[&(2, 0x20)], "信");
        assert_eq!(cmap.bf[&(2, 0x21)], "𠮷");
        assert_eq!(cmap.cid[&(2, 0x8141)], 101);
        assert_eq!(cmap.ranges, vec![(2, 0, 0xFFFF)]);
    }

    #[test]
    fn predefined_code_lengths() {
        let mut f = Font::unknown("x");
        f.composite = true;
        f.set_predefined("GBK2K-H");
        let (bytes, _, _) = encoding_rs::GB18030.encode("㐀主a");
        let c = f.next_code(&bytes);
        assert_eq!((c.len, c.text.as_deref()), (4, Some("㐀")));
        let c = f.next_code(&bytes[4..]);
        assert_eq!((c.len, c.text.as_deref()), (2, Some("主")));
        let c = f.next_code(&bytes[6..]);
        assert_eq!((c.len, c.text.as_deref()), (1, Some("a")));
        f.set_predefined("UniGB-UTF16-V");
        assert!(f.vertical);
        let c = f.next_code(&[0xD8, 0x42, 0xDF, 0xB7]);
        assert_eq!((c.len, c.text.as_deref()), (4, Some("𠮷")));
        // Private-use and control characters are not text.
        f.set_predefined("UniGB-UCS2-H");
        assert_eq!(f.next_code(&[0xE0, 0x00]).text, None);
        assert_eq!(f.next_code(&[0x00]).len, 1);
    }
}
