//! Unpacking the parts of an Office file (Word, Excel) within a budget, so
//! that a compression bomb is refused, whatever its entries declare.

use crate::doc::ReadError;
use std::io::{Read, Write};

/// How many bytes may still be unpacked, of how many in all, and what kind
/// of file it is (for messages: "Word 文档", ".docx").
pub(crate) struct Budget {
    left: u64,
    limit: u64,
    what: &'static str,
    ext: &'static str,
}

impl Budget {
    pub fn new(limit: u64, what: &'static str, ext: &'static str) -> Budget {
        Budget {
            left: limit,
            limit,
            what,
            ext,
        }
    }

    /// Unpacks one entry into `out` within the remaining budget; returns how
    /// many bytes it unpacked to.
    pub fn unpack(
        &mut self,
        file: &mut impl Read,
        name: &str,
        declared: u64,
        out: &mut impl Write,
    ) -> Result<u64, ReadError> {
        let (limit, what, ext) = (self.limit, self.what, self.ext);
        if declared > self.left {
            return Err(error(format!(
                "ZIP 中的 {name} 声明解压后有 {declared} 字节，超过解压上限（各部件合计最多 {limit} 字节，可能是压缩炸弹）；期望正常大小的 {what}"
            )));
        }
        let n = std::io::copy(&mut file.take(self.left + 1), out).map_err(|_| {
            error(format!(
                "ZIP 中的 {name} 无法解压：数据已损坏或被截断；期望完整的 {what}（{ext}）"
            ))
        })?;
        if n > self.left {
            return Err(error(format!(
                "ZIP 中的 {name} 解压后超过解压上限（各部件合计最多 {limit} 字节，可能是压缩炸弹）；期望正常大小的 {what}"
            )));
        }
        self.left -= n;
        Ok(n)
    }
}

fn error(message: String) -> ReadError {
    ReadError { message, pos: None }
}
