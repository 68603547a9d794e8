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
    /// The database at `target` (a file path, or host, port and database
    /// name) could not be opened.
    pub(crate) fn connect(target: &str, e: &sqlx::Error) -> StoreError {
        StoreError::Connect(format!("{target}：{}", describe(e)))
    }
}

/// A database error in words. The driver's own (English) text is shown only
/// for errors not recognised here, after what is known.
pub fn describe(e: &sqlx::Error) -> String {
    use std::io::ErrorKind;
    match e {
        sqlx::Error::Io(io) => match io.kind() {
            ErrorKind::ConnectionRefused => "连接被拒绝：服务器没有运行，或地址、端口不对".into(),
            ErrorKind::TimedOut => "连接超时".into(),
            ErrorKind::NotFound => "找不到文件或主机".into(),
            ErrorKind::PermissionDenied => "没有权限".into(),
            ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe => {
                "连接被服务器断开".into()
            }
            ErrorKind::AddrNotAvailable
            | ErrorKind::HostUnreachable
            | ErrorKind::NetworkUnreachable => "无法到达服务器".into(),
            _ => match io.raw_os_error() {
                Some(code) => format!("网络或文件错误（错误码 {code}）"),
                None => "网络或文件错误".into(),
            },
        },
        sqlx::Error::Database(db) => {
            let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
            match code.as_str() {
                "3D000" => "数据库不存在（请先在服务器上建立它）".into(),
                "28P01" | "28000" => "用户名或密码不对，或该用户无权连接".into(),
                "42501" => "没有权限".into(),
                "53300" => "服务器连接数已满".into(),
                "57P01" | "57P02" | "57P03" => "服务器正在关闭或启动".into(),
                // SQLite result codes (the primary code in the low byte).
                c => match c.parse::<i64>().map(|n| n & 0xff) {
                    Ok(5) | Ok(6) => "数据库正被其他程序占用（已等待 10 秒）".into(),
                    Ok(8) => "数据库文件只读，不能写入".into(),
                    Ok(10) => "读写数据库文件时出错（磁盘错误）".into(),
                    Ok(11) => "数据库文件已损坏".into(),
                    Ok(13) => "磁盘已满".into(),
                    Ok(14) => "无法打开数据库文件：所在目录不存在，或没有权限".into(),
                    Ok(19) => "数据与已有记录冲突".into(),
                    Ok(26) => "这不是 SQLite 数据库文件".into(),
                    _ => format!("数据库返回错误（{code}：{}）", db.message()),
                },
            }
        }
        sqlx::Error::PoolTimedOut => "等待数据库连接超时".into(),
        sqlx::Error::PoolClosed => "数据库连接已关闭".into(),
        sqlx::Error::Tls(_) => "加密连接（TLS）失败".into(),
        sqlx::Error::Configuration(_) => "数据库地址无法识别".into(),
        sqlx::Error::Protocol(_) => "服务器的回应无法识别（这是 PostgreSQL 服务器吗？）".into(),
        sqlx::Error::RowNotFound => "找不到记录".into(),
        sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) => {
            "数据库中的数据无法读取（数据库是否由其他程序修改过？）".into()
        }
        other => format!("数据库错误（{other}）"),
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Connect(e) => write!(f, "无法打开数据库：{e}"),
            StoreError::Migrate(e) => write!(f, "无法升级数据库结构：{e}"),
            StoreError::Db(e) => write!(f, "数据库操作失败：{}", describe(e)),
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
