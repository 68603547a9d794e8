//! Matching a label written in a report against the template's labels:
//! exact after normalisation, or the closest label within a typo budget.

use gongkai_template::text::{edit_distance, normalize};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// Same label, up to spacing, punctuation, brackets and numbering.
    Exact(usize),
    /// The closest template label; the source words it differently (GK004).
    Typo(usize),
}

impl Match {
    pub fn id(self) -> usize {
        match self {
            Match::Exact(i) | Match::Typo(i) => i,
        }
    }
}

/// A 64-bit set of the characters of a string (by hash): the characters of
/// one string missing from another's set bound their edit distance from below.
pub(crate) fn char_mask(s: &str) -> u64 {
    s.chars().fold(0u64, |m, c| {
        m | 1u64 << ((c as u32).wrapping_mul(2_654_435_761) >> 26)
    })
}

/// Labels longer than this are sentences, not labels.
const MAX_LABEL_CHARS: usize = 80;

#[derive(Debug, Default)]
pub struct Matcher {
    /// (normalised label, length in chars, id, character mask)
    entries: Vec<(String, usize, usize, u64)>,
    exact: HashMap<String, usize>,
}

impl Matcher {
    /// Builds a matcher over (id, label) pairs. Several labels may share an id.
    pub fn new<'a>(labels: impl IntoIterator<Item = (usize, &'a str)>) -> Matcher {
        let mut m = Matcher::default();
        for (id, label) in labels {
            let norm = normalize(label);
            let len = norm.chars().count();
            m.exact.entry(norm.clone()).or_insert(id);
            let mask = char_mask(&norm);
            m.entries.push((norm, len, id, mask));
        }
        m
    }

    /// Exact match on the normalised form.
    pub fn exact(&self, norm: &str) -> Option<usize> {
        self.exact.get(norm).copied()
    }

    /// Matches a label as written.
    pub fn find(&self, text: &str) -> Option<Match> {
        self.find_norm(&super::norm::normalize(text))
    }

    pub fn find_norm(&self, norm: &str) -> Option<Match> {
        if norm.is_empty() {
            return None;
        }
        if let Some(id) = self.exact(norm) {
            return Some(Match::Exact(id));
        }
        let len = norm.chars().count();
        if len > MAX_LABEL_CHARS {
            return None;
        }
        let mut best: Option<(usize, usize)> = None; // (score, id)
        let mut tie = false;
        let nmask = char_mask(norm);
        for (label, llen, id, lmask) in &self.entries {
            // Each character class of the label missing from the text costs at
            // least one edit (a cheap lower bound; hash collisions only lower it).
            let missing = (lmask & !nmask).count_ones() as usize;
            if missing > (llen / 4).max(1) && !label.starts_with(norm) {
                continue;
            }
            let score = if *llen <= 3 {
                // Short labels: only with a few extra characters around them.
                if norm.contains(label.as_str()) && len <= llen + 3 {
                    len - llen
                } else {
                    continue;
                }
            } else {
                let budget = (llen / 4).max(1);
                if len + budget < *llen || len > llen + budget.max(4) {
                    // Lengths too far apart for a typo; still try a wrapped
                    // prefix ("（二）部分公开" for the long label).
                    if len >= 4 && label.starts_with(norm) {
                        llen - len
                    } else if norm.contains(label.as_str()) && len <= llen + 4 {
                        len - llen
                    } else {
                        continue;
                    }
                } else {
                    let d = edit_distance(norm, label);
                    if d <= budget {
                        d
                    } else if len >= 4 && label.starts_with(norm) {
                        llen - len
                    } else {
                        continue;
                    }
                }
            };
            match best {
                Some((s, bid)) if score == s && bid != *id => tie = true,
                Some((s, _)) if score >= s => {}
                _ => {
                    best = Some((score, *id));
                    tie = false;
                }
            }
        }
        match best {
            Some((_, id)) if !tie => Some(Match::Typo(id)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_and_forms() {
        let m = Matcher::new([
            (0, "本年制发件数"),
            (1, "本年废止件数"),
            (2, "现行有效件数"),
        ]);
        assert_eq!(m.find("本年度止件数"), Some(Match::Typo(1)));
        assert_eq!(m.find(" 本年制发件数 "), Some(Match::Exact(0)));
        assert_eq!(m.find("信息内容"), None);
        let m = Matcher::new([(0, "规章"), (1, "行政规范性文件")]);
        assert_eq!(m.find("规定"), None);
        assert_eq!(m.find("规章（件）"), Some(Match::Typo(0)));
        let m = Matcher::new([
            (
                0,
                "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            ),
            (1, "（一）予以公开"),
        ]);
        assert_eq!(
            m.find("（二）部分公开（区分处理的，只计这一情形，"),
            Some(Match::Typo(0))
        );
    }
}
