//! (in progress)
use crate::doc::{Document, ReadError};
pub fn read(_bytes: &[u8]) -> Result<Document, ReadError> {
    Err(ReadError { message: "not yet".into(), pos: None })
}
