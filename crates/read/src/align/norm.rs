//! Normalised label text, remembered. The same labels come back in every
//! report a process reads, and looking a label up costs a fraction of
//! normalising it again.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Texts remembered per thread before the memory is cleared and begun again.
const CAPACITY: usize = 4096;

thread_local! {
    static SEEN: RefCell<HashMap<Box<str>, Rc<str>>> = RefCell::new(HashMap::new());
}

/// [`gongkai_template::text::normalize`], remembered.
pub(crate) fn normalize(s: &str) -> Rc<str> {
    SEEN.with_borrow_mut(|seen| {
        if let Some(n) = seen.get(s) {
            return Rc::clone(n);
        }
        let n: Rc<str> = gongkai_template::text::normalize(s).into();
        if seen.len() >= CAPACITY {
            seen.clear();
        }
        seen.insert(s.into(), Rc::clone(&n));
        n
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_as_normalising() {
        for s in ["（一）予以公开", "1. 属于国家秘密", "", "## 一、总体情况"] {
            for _ in 0..2 {
                assert_eq!(&*normalize(s), gongkai_template::text::normalize(s));
            }
        }
    }
}
