use std::fmt;

use gongkai_casework::clock::ClockError;
use gongkai_casework::import::ImportReport;

/// What went wrong, in words a clerk can act on.
#[derive(Debug)]
pub enum StoreError {
    /// The database could not be opened or reached.
    Connect(String),
    /// The migrations could not be applied.
    Migrate(String),
    /// A query failed.
    Db(sqlx::Error),
    /// No such agency, application, document or case.
    NotFound(String),
    /// The change breaks a rule of the ledger (not an outcome, a second extension …).
    Invalid(String),
    /// The event is not allowed on this case.
    Clock(ClockError),
    /// An import had rows that could not be read; nothing was imported.
    Import(Box<ImportReport>),
}

impl StoreError {
    pub(crate) fn connect(e: sqlx::Error) -> StoreError {
        StoreError::Connect(e.to_string())
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Connect(e) => write!(f, "无法打开数据库：{e}"),
            StoreError::Migrate(e) => write!(f, "无法升级数据库结构：{e}"),
            StoreError::Db(e) => write!(f, "数据库操作失败：{e}"),
            StoreError::NotFound(what) => write!(f, "找不到{what}"),
            StoreError::Invalid(why) => f.write_str(why),
            StoreError::Clock(e) => write!(f, "{e}"),
            StoreError::Import(r) => {
                write!(f, "台账中有{}处无法读取，整个文件未导入", r.errors.len())
            }
        }
    }
}

impl std::error::Error for StoreError {}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> StoreError {
        StoreError::Db(e)
    }
}

impl From<ClockError> for StoreError {
    fn from(e: ClockError) -> StoreError {
        StoreError::Clock(e)
    }
}
