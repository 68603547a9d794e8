//! Canonical forms of labels, so that "（一）予以公开", "(一) 予以公开" and
//! "一、予以公开" compare equal, and small typos can be measured.

/// Folds a character to its canonical form: full-width ASCII to half-width,
/// ideographic space to space, curly quotes to straight ones.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' | '\u{2002}' | '\u{2003}' | '\u{2009}' => ' ',
        '“' | '”' | '„' | '‟' | '「' | '」' | '『' | '』' => '"',
        '‘' | '’' | '‚' | '‛' => '\'',
        '〔' | '【' => '[',
        '〕' | '】' => ']',
        '—' | '–' | '‐' | '‑' | '‒' | '―' | '─' => '-',
        '。' => '.',
        '、' => ',',
        _ => c,
    }
}

/// Characters dropped from a label before comparing: spacing, brackets,
/// quotes and punctuation of either width.
fn is_noise(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '(' | ')'
                | '['
                | ']'
                | '{'
                | '}'
                | '<'
                | '>'
                | '"'
                | '\''
                | ','
                | '.'
                | ':'
                | ';'
                | '!'
                | '?'
                | '·'
                | '•'
                | '*'
                | '#'
                | '|'
                | '_'
                | '《'
                | '》'
                | '〈'
                | '〉'
                | '…'
                | '\u{200B}'
                | '\u{FEFF}'
        )
}

const CJK_NUMERALS: &str = "一二三四五六七八九十";

/// Length in bytes of a leading enumeration mark: "三、", "（一）", "(1)", "1.",
/// "1、", "2．", "①". Returns 0 when the text does not start with one.
pub fn numbering_len(s: &str) -> usize {
    let t = s;
    let mut chars = t.char_indices().peekable();
    let Some(&(_, first)) = chars.peek() else {
        return 0;
    };
    let first_f = fold_char(first);
    if ('①'..='⑳').contains(&first) {
        return first.len_utf8();
    }
    if first_f == '(' {
        // (一) or (1)
        chars.next();
        let mut seen = 0;
        while let Some(&(_, c)) = chars.peek() {
            let f = fold_char(c);
            if CJK_NUMERALS.contains(f) || f.is_ascii_digit() {
                seen += 1;
                chars.next();
            } else if f == ' ' {
                chars.next();
            } else {
                break;
            }
        }
        if seen > 0 && seen <= 3 {
            if let Some(&(i, c)) = chars.peek() {
                if fold_char(c) == ')' {
                    return i + c.len_utf8();
                }
            }
        }
        return 0;
    }
    let mut seen = 0;
    let mut digits = false;
    while let Some(&(_, c)) = chars.peek() {
        let f = fold_char(c);
        if CJK_NUMERALS.contains(f) {
            seen += 1;
            chars.next();
        } else if f.is_ascii_digit() {
            digits = true;
            seen += 1;
            chars.next();
        } else {
            break;
        }
    }
    if seen == 0 || seen > 3 {
        return 0;
    }
    if let Some(&(i, c)) = chars.peek() {
        let f = fold_char(c);
        if f == ',' || f == '.' {
            // "1." must not be a decimal number "1.5".
            let after = &t[i + c.len_utf8()..];
            if digits
                && after
                    .chars()
                    .next()
                    .is_some_and(|n| fold_char(n).is_ascii_digit())
            {
                return 0;
            }
            return i + c.len_utf8();
        }
    }
    0
}

/// Removes all leading enumeration marks (and the spaces after them).
pub fn strip_numbering(s: &str) -> &str {
    let mut t = s.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '#');
    loop {
        let n = numbering_len(t);
        if n == 0 {
            return t;
        }
        t = t[n..].trim_start_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
    }
}

/// The canonical form of a label: numbering removed, characters folded,
/// spacing and punctuation dropped.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in strip_numbering(s).chars() {
        let f = fold_char(c);
        if !is_noise(f) {
            out.push(f);
        }
    }
    out
}

/// Like [`normalize`] but keeps the numbering, for group labels where the
/// numeral is what tells them apart.
pub fn normalize_keep_numbering(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let f = fold_char(c);
        if !is_noise(f) {
            out.push(f);
        }
    }
    out
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() {
        return b.len();
    }
    if b.is_empty() {
        return a.len();
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The largest edit distance still taken as "the same label with a typo".
pub fn typo_budget(template_len_chars: usize) -> usize {
    (template_len_chars / 4).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_forms() {
        assert_eq!(normalize("（一）予以公开"), "予以公开");
        assert_eq!(normalize("(一) 予以公开"), "予以公开");
        assert_eq!(normalize("1.属于国家秘密"), "属于国家秘密");
        assert_eq!(normalize("1. 属于国家秘密"), "属于国家秘密");
        assert_eq!(normalize("1、属于国家秘密"), "属于国家秘密");
        assert_eq!(normalize("三、本年度办理结果"), "本年度办理结果");
        assert_eq!(normalize("## 一、总体情况"), "总体情况");
        assert_eq!(normalize("3. 危及“三安全一稳定”"), "危及三安全一稳定");
        assert_eq!(normalize("3.危及\"三安全一稳定\""), "危及三安全一稳定");
        assert_eq!(
            normalize("(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)"),
            normalize("（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
        );
    }

    #[test]
    fn decimals_are_not_numbering() {
        assert_eq!(numbering_len("1.5"), 0);
        assert_eq!(numbering_len("12"), 0);
        assert_eq!(numbering_len("十分"), 0);
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("本年度止件数", "本年废止件数"), 1);
        assert_eq!(
            edit_distance("其他法律法规禁止公开", "其他法律行政法规禁止公开"),
            2
        );
    }
}
