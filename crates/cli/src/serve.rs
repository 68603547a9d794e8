//! `gongkai serve`: the web system on the ledger's store.

use std::net::SocketAddr;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Args;

#[derive(Args)]
pub struct ServeArgs {
    /// 数据库：SQLite 文件路径，或 postgres://用户@主机/库名（默认 gongkai.db；加 --demo 时默认 gongkai-demo.db）
    #[arg(long, env = "GONGKAI_DB")]
    db: Option<String>,
    /// 监听地址
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// 演示：数据库为空时填入示例县的台账（四个机关、三年多的申请）和各角色的演示账号
    #[arg(long)]
    demo: bool,
    /// 以此日期为“今天”（默认按北京时间的今天），如 2026-03-02
    #[arg(long, value_parser = crate::ledger::parse_date_arg)]
    today: Option<NaiveDate>,
    /// 通过 HTTPS 提供服务时（含经反向代理），给登录凭据加上 Secure 标记
    #[arg(long)]
    secure_cookies: bool,
    /// 全文检索索引所在目录（默认：SQLite 文件旁的“文件名.search”目录；PostgreSQL 时在内存中建立）。索引可随时删除，启动时由数据库重建
    #[arg(long)]
    index_dir: Option<std::path::PathBuf>,
}

pub fn run(args: ServeArgs) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("错误：无法启动（{e}）");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(serve(args))
}

async fn serve(args: ServeArgs) -> ExitCode {
    let db = args.db.clone().unwrap_or_else(|| {
        if args.demo {
            "gongkai-demo.db"
        } else {
            "gongkai.db"
        }
        .to_string()
    });
    let store = match gongkai_store::Store::open(&db).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("错误：{e}");
            return ExitCode::from(2);
        }
    };
    let index_dir = args.index_dir.clone().or_else(|| {
        let url = gongkai_store::database_url(&db);
        url.strip_prefix("sqlite://")
            .and_then(|rest| rest.split('?').next())
            .filter(|p| !p.is_empty() && *p != ":memory:")
            .map(|p| std::path::PathBuf::from(format!("{p}.search")))
    });
    let config = gongkai_web::Config {
        today: args.today,
        secure_cookies: args.secure_cookies,
        index_dir,
        search_index: true,
    };
    let state = gongkai_web::AppState::new(store, config);
    if args.demo {
        eprintln!("准备演示数据……");
        match gongkai_web::demo::fill(&state.store, state.today()).await {
            Ok(logins) if !logins.is_empty() => {
                eprintln!("演示账号（密码均为 {}）：", gongkai_web::demo::PASSWORD);
                for l in logins {
                    eprintln!(
                        "  {:<10} {}{}",
                        l.login,
                        l.role.label(),
                        l.agency.map(|a| format!("，{a}")).unwrap_or_default()
                    );
                }
            }
            Ok(_) => eprintln!("数据库 {db} 已有数据，未填入演示数据。"),
            Err(e) => {
                eprintln!("错误：演示数据未能填入（{e}）");
                return ExitCode::from(2);
            }
        }
    } else {
        match state.store.user_count().await {
            Ok(0) => eprintln!(
                "还没有任何用户：请在浏览器中打开 http://{}/setup 设置管理员。",
                args.listen
            ),
            Ok(_) => {}
            Err(e) => {
                eprintln!("错误：{e}");
                return ExitCode::from(2);
            }
        }
    }
    eprintln!("数据库：{db}");
    eprintln!(
        "公众门户：http://{}/    工作人员登录：http://{}/login",
        args.listen, args.listen
    );
    match gongkai_web::serve(state, args.listen).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::from(2)
        }
    }
}
