//! A lexer for content streams and CMaps: numbers, names, strings, arrays,
//! dictionaries (skipped) and operators. Inline images (`BI … ID … EI`) are
//! skipped whole and reported as the operator `BI`.

/// Deepest array nesting kept.
const MAX_NEST: usize = 32;
/// Most elements an array may hold.
const MAX_ARRAY: usize = 1_000_000;

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Num(f64),
    Name(Vec<u8>),
    Str(Vec<u8>),
    Array(Vec<Tok>),
    /// A dictionary operand (its contents are not needed).
    Dict,
    /// `true`, `false`, `null` and other keywords that are operands.
    Other,
    Op(Vec<u8>),
}

pub struct Lexer<'a> {
    b: &'a [u8],
    i: usize,
}

fn is_white(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delim(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

impl<'a> Lexer<'a> {
    pub fn new(b: &'a [u8]) -> Lexer<'a> {
        Lexer { b, i: 0 }
    }

    fn skip_space(&mut self) {
        while self.i < self.b.len() {
            let c = self.b[self.i];
            if is_white(c) {
                self.i += 1;
            } else if c == b'%' {
                while self.i < self.b.len() && !matches!(self.b[self.i], b'\r' | b'\n') {
                    self.i += 1;
                }
            } else {
                break;
            }
        }
    }

    /// The next token, or None at the end.
    pub fn next_tok(&mut self) -> Option<Tok> {
        self.tok(0)
    }

    fn tok(&mut self, depth: usize) -> Option<Tok> {
        loop {
            self.skip_space();
            let c = *self.b.get(self.i)?;
            match c {
                b'/' => {
                    self.i += 1;
                    let start = self.i;
                    while self.i < self.b.len()
                        && !is_white(self.b[self.i])
                        && !is_delim(self.b[self.i])
                    {
                        self.i += 1;
                    }
                    return Some(Tok::Name(unescape_name(&self.b[start..self.i])));
                }
                b'(' => return Some(Tok::Str(self.literal())),
                b'<' => {
                    if self.b.get(self.i + 1) == Some(&b'<') {
                        self.i += 2;
                        self.skip_dict();
                        return Some(Tok::Dict);
                    }
                    return Some(Tok::Str(self.hex()));
                }
                b'[' => {
                    self.i += 1;
                    let mut items = Vec::new();
                    loop {
                        self.skip_space();
                        match self.b.get(self.i) {
                            None => break,
                            Some(b']') => {
                                self.i += 1;
                                break;
                            }
                            _ => {}
                        }
                        let before = self.i;
                        let t = if depth < MAX_NEST {
                            self.tok(depth + 1)
                        } else {
                            None
                        };
                        match t {
                            // An operator inside an array: the array was not closed.
                            Some(Tok::Op(_)) | None => {
                                if self.i == before {
                                    self.i += 1;
                                }
                                break;
                            }
                            Some(t) => {
                                if items.len() < MAX_ARRAY {
                                    items.push(t);
                                }
                            }
                        }
                    }
                    return Some(Tok::Array(items));
                }
                b']' | b'>' | b')' | b'{' | b'}' => {
                    self.i += 1;
                    continue;
                }
                b'0'..=b'9' | b'+' | b'-' | b'.' => {
                    let start = self.i;
                    self.i += 1;
                    while self.i < self.b.len()
                        && matches!(self.b[self.i], b'0'..=b'9' | b'.' | b'-' | b'+')
                    {
                        self.i += 1;
                    }
                    let s = std::str::from_utf8(&self.b[start..self.i]).unwrap_or("0");
                    let v = s.parse::<f64>().ok().or_else(|| {
                        // "--5", "5-": forgiving, as readers are.
                        let t: String = s
                            .chars()
                            .filter(|c| c.is_ascii_digit() || *c == '.')
                            .collect();
                        t.parse().ok()
                    });
                    return Some(Tok::Num(v.filter(|v| v.is_finite()).unwrap_or(0.0)));
                }
                _ => {
                    let start = self.i;
                    while self.i < self.b.len()
                        && !is_white(self.b[self.i])
                        && !is_delim(self.b[self.i])
                    {
                        self.i += 1;
                    }
                    if self.i == start {
                        self.i += 1;
                        continue;
                    }
                    let word = &self.b[start..self.i];
                    if matches!(word, b"true" | b"false" | b"null") {
                        return Some(Tok::Other);
                    }
                    if word == b"BI" {
                        self.skip_inline_image();
                    }
                    return Some(Tok::Op(word.to_vec()));
                }
            }
        }
    }

    fn literal(&mut self) -> Vec<u8> {
        self.i += 1;
        let mut out = Vec::new();
        let mut depth = 1usize;
        while self.i < self.b.len() {
            let c = self.b[self.i];
            self.i += 1;
            match c {
                b'(' => {
                    depth += 1;
                    out.push(c);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    out.push(c);
                }
                b'\\' => {
                    let Some(&e) = self.b.get(self.i) else { break };
                    self.i += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'\r' => {
                            if self.b.get(self.i) == Some(&b'\n') {
                                self.i += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v = (e - b'0') as u32;
                            for _ in 0..2 {
                                match self.b.get(self.i) {
                                    Some(&d @ b'0'..=b'7') => {
                                        v = v * 8 + (d - b'0') as u32;
                                        self.i += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        other => out.push(other),
                    }
                }
                _ => out.push(c),
            }
        }
        out
    }

    fn hex(&mut self) -> Vec<u8> {
        self.i += 1;
        let mut out = Vec::new();
        let mut half: Option<u8> = None;
        while self.i < self.b.len() {
            let c = self.b[self.i];
            self.i += 1;
            let v = match c {
                b'>' => break,
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => continue,
            };
            match half.take() {
                Some(h) => out.push(h << 4 | v),
                None => half = Some(v),
            }
        }
        if let Some(h) = half {
            out.push(h << 4);
        }
        out
    }

    fn skip_dict(&mut self) {
        let mut depth = 1usize;
        while self.i < self.b.len() && depth > 0 {
            match self.b[self.i] {
                b'<' if self.b.get(self.i + 1) == Some(&b'<') => {
                    depth += 1;
                    self.i += 2;
                }
                b'>' if self.b.get(self.i + 1) == Some(&b'>') => {
                    depth -= 1;
                    self.i += 2;
                }
                b'(' => {
                    self.literal();
                }
                _ => self.i += 1,
            }
        }
    }

    /// Skips an inline image's dictionary and data, up to and including `EI`.
    fn skip_inline_image(&mut self) {
        // The dictionary runs to the ID operator.
        while self.i + 1 < self.b.len() {
            if &self.b[self.i..self.i + 2] == b"ID"
                && self.i > 0
                && is_white(self.b[self.i - 1])
                && self.b.get(self.i + 2).is_none_or(|&c| is_white(c))
            {
                self.i += 3;
                break;
            }
            self.i += 1;
        }
        // The data runs to whitespace, EI, whitespace (or the end).
        while self.i + 1 < self.b.len() {
            if &self.b[self.i..self.i + 2] == b"EI"
                && is_white(self.b[self.i - 1])
                && self
                    .b
                    .get(self.i + 2)
                    .is_none_or(|&c| is_white(c) || is_delim(c))
            {
                self.i += 2;
                return;
            }
            self.i += 1;
        }
        self.i = self.b.len();
    }
}

fn unescape_name(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'#' && i + 2 < raw.len() {
            if let Ok(v) =
                u8::from_str_radix(std::str::from_utf8(&raw[i + 1..i + 3]).unwrap_or("x"), 16)
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(raw[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        let mut l = Lexer::new(b"BT /F1 12 Tf [(a\\(b) -20 <4e2d>] TJ << /A [1 2] >> BDC ET");
        let mut toks = Vec::new();
        while let Some(t) = l.next_tok() {
            toks.push(t);
        }
        assert_eq!(toks[0], Tok::Op(b"BT".to_vec()));
        assert_eq!(toks[1], Tok::Name(b"F1".to_vec()));
        assert_eq!(
            toks[4],
            Tok::Array(vec![
                Tok::Str(b"a(b".to_vec()),
                Tok::Num(-20.0),
                Tok::Str(vec![0x4e, 0x2d])
            ])
        );
        assert_eq!(toks[6], Tok::Dict);
        assert_eq!(toks.last(), Some(&Tok::Op(b"ET".to_vec())));
    }

    #[test]
    fn inline_image_is_skipped() {
        let mut l = Lexer::new(b"BI /W 1 /H 1 ID \x00EI\xff EI Q");
        assert_eq!(l.next_tok(), Some(Tok::Op(b"BI".to_vec())));
        assert_eq!(l.next_tok(), Some(Tok::Op(b"Q".to_vec())));
    }
}
