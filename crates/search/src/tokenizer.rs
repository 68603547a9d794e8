//! The jieba tokenizer, as tantivy sees it.
//!
//! Two modes share one segmentation (jieba's dictionary, no HMM, so that a
//! phrase is cut the same way wherever it stands):
//!
//! * **Index mode** ([`JiebaTokenizer`], registered as `"jieba"`) emits each
//!   word jieba cuts, then every shorter dictionary word inside it (jieba's
//!   search mode, extended to every length), then each Han character of it.
//!   So "规范性文件" is found by "规范性文件", "规范性", "文件" and "文".
//! * **Query mode** ([`query_terms`]) emits only the words jieba cuts: each of
//!   them is one of the index-mode tokens of the same text, so a conjunction
//!   of them finds the text, and a long word is not split into weaker parts.
//!
//! ASCII letters are lower-cased; tokens without a letter or a digit (Han
//! characters count as letters) are dropped, so punctuation, spaces and emoji
//! never become terms.

use std::sync::OnceLock;

use jieba_rs::Jieba;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The name the index registers the tokenizer under.
pub const TOKENIZER: &str = "jieba";

/// Longest word (in characters) whose inner dictionary words are emitted;
/// longer runs (long ASCII strings, numbers) are emitted whole.
const MAX_EXPAND_CHARS: usize = 12;

/// Words of government information disclosure that jieba's dictionary lacks:
/// each is kept whole (and its parts are indexed too).
const EXTRA_WORDS: &[&str] = &[
    "规范性文件",
    "行政规范性文件",
    "政府信息公开",
    "政务公开",
    "依申请公开",
    "主动公开",
    "信息公开指南",
    "信息公开目录",
    "年度报告",
    "索引号",
    "发布机构",
    "营商环境",
    "放管服",
    "一网通办",
    "行政许可",
    "行政处罚",
    "行政复议",
    "行政诉讼",
    "财政预决算",
    "部门预算",
    "部门决算",
    "三公经费",
    "政策解读",
    "专项债券",
];

fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(|| {
        let mut jieba = Jieba::new();
        for word in EXTRA_WORDS {
            if jieba.has_word(word) {
                continue;
            }
            let freq = jieba.suggest_freq(word);
            jieba.add_word(word, Some(freq), None);
        }
        jieba
    })
}

/// Loads the dictionary now (it takes a fraction of a second), so that the
/// first search or index call does not.
pub fn warm_up() {
    let _ = jieba();
}

fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

fn keep(word: &str) -> bool {
    word.chars().any(char::is_alphanumeric)
}

fn normalise(word: &str) -> String {
    if word.bytes().any(|b| b.is_ascii_uppercase()) {
        word.to_ascii_lowercase()
    } else {
        word.to_string()
    }
}

/// Calls `emit(term, byte_from, byte_to)` for each index-mode token of `text`.
pub fn index_tokens(text: &str, mut emit: impl FnMut(&str, usize, usize)) {
    let jieba = jieba();
    let base = text.as_ptr() as usize;
    for word in jieba.cut(text, false) {
        if !keep(word) {
            continue;
        }
        let from = word.as_ptr() as usize - base;
        emit(word, from, from + word.len());
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        let n = chars.len();
        if n < 2 || !chars.iter().any(|&(_, c)| is_han(c)) {
            continue;
        }
        let end_of = |i: usize| if i < n { chars[i].0 } else { word.len() };
        if n > 2 && n <= MAX_EXPAND_CHARS {
            for len in 2..n {
                for (start, &(a, _)) in chars[..=n - len].iter().enumerate() {
                    let b = end_of(start + len);
                    let sub = &word[a..b];
                    if jieba.has_word(sub) && keep(sub) {
                        emit(sub, from + a, from + b);
                    }
                }
            }
        }
        for (i, &(a, c)) in chars.iter().enumerate() {
            if is_han(c) {
                emit(&word[a..end_of(i + 1)], from + a, from + end_of(i + 1));
            }
        }
    }
}

/// The query-mode terms of `text`, normalised, in order, without repeats.
pub fn query_terms(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in jieba().cut(text, false) {
        if !keep(word) {
            continue;
        }
        let term = normalise(word);
        if !out.contains(&term) {
            out.push(term);
        }
    }
    out
}

/// The index-mode tokenizer for tantivy.
#[derive(Clone, Default)]
pub struct JiebaTokenizer;

/// The tokens of one text, produced at once and handed out one by one.
pub struct JiebaTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = JiebaTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> JiebaTokenStream {
        let mut tokens = Vec::new();
        index_tokens(text, |word, from, to| {
            let position = tokens.len();
            tokens.push(Token {
                offset_from: from,
                offset_to: to,
                position,
                text: normalise(word),
                position_length: 1,
            });
        });
        JiebaTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for JiebaTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index_terms(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        index_tokens(text, |w, a, b| {
            assert_eq!(&text[a..b], w);
            v.push(normalise(w));
        });
        v
    }

    #[test]
    fn index_mode_has_words_inner_words_and_characters() {
        let t = index_terms("关于印发规范性文件管理办法的通知");
        for w in [
            "规范性文件",
            "规范性",
            "文件",
            "规范",
            "管理",
            "办法",
            "通知",
            "文",
            "规",
        ] {
            assert!(t.contains(&w.to_string()), "{w} missing from {t:?}");
        }
    }

    #[test]
    fn every_query_term_is_an_index_term() {
        let text = "国务院办公厅关于全面推进政务公开工作的意见（国办发〔2019〕61号）GB/T 2260";
        let idx = index_terms(text);
        for q in query_terms(text) {
            assert!(idx.contains(&q), "{q} not indexed: {idx:?}");
        }
        assert!(query_terms("GB/T").contains(&"gb".to_string()));
    }

    #[test]
    fn punctuation_and_emoji_are_dropped() {
        assert!(query_terms("，。！？\"()[] :: 😀🎉  \t").is_empty());
        assert!(index_terms("——「」😀").is_empty());
    }
}
