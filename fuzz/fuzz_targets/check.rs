//! What every reader promises about a document, whatever the input.

use gongkai_read::doc::{Block, Document};

pub fn check(doc: &Document) {
    for block in &doc.blocks {
        match block {
            Block::Heading { text, level, .. } => {
                assert!(*level <= 6, "heading level {level}");
                check_text(text);
            }
            Block::Paragraph { text, .. } => check_text(text),
            Block::Table(t) => {
                for cell in t.rows.iter().flatten() {
                    assert!(cell.row_span >= 1 && cell.col_span >= 1, "zero span");
                    assert!(
                        cell.text.trim() == cell.text,
                        "cell text not trimmed: {:?}",
                        cell.text
                    );
                }
                let grid = t.grid();
                assert_eq!(grid.slots.len(), t.rows.len());
            }
        }
        assert!(block.pos().line >= 1, "unknown position for {block:?}");
    }
}

fn check_text(text: &str) {
    assert!(!text.is_empty(), "empty block");
    assert!(text.trim() == text, "block text not trimmed: {text:?}");
}
