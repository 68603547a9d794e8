//! (in progress)
use crate::doc::ReadError;
pub fn read(_source: &str, _bytes: &[u8]) -> Result<gongkai_report::Report, ReadError> {
    Err(ReadError { message: "not yet".into(), pos: None })
}
