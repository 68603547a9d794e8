//! The command line in Chinese: clap's own words (its help headings, usage
//! line, help and version flags, default and possible values, and its error
//! messages) replaced, so that every word a user reads is Chinese.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// The help page of a command, with headings for the parts it has.
fn template(positionals: bool, subcommands: bool) -> String {
    let mut t = String::from("{before-help}{about-with-newline}\n用法：{usage}\n");
    if positionals {
        t.push_str("\n参数：\n{positionals}\n");
    }
    if subcommands {
        t.push_str("\n命令：\n{subcommands}\n");
    }
    t.push_str("\n选项：\n{options}{after-help}");
    t
}

/// The value name shown for an argument, by its id (`<机关>` for `--agency`).
fn value_name(id: &str) -> &'static str {
    match id {
        "agency" | "responsible" => "机关",
        "responsible_contact" => "联系方式",
        "paths" => "路径",
        "file" => "文件",
        "to" | "format" => "格式",
        "output" => "输出文件",
        "out_dir" | "temp_dir" | "write_corpus" | "font_dir" => "目录",
        "db" => "数据库",
        "actor" | "approver" => "姓名",
        "kind" => "类型",
        "name" => "名称",
        "id" => "证件号码",
        "contact" => "联系方式",
        "channel" => "申请方式",
        "as_of" | "received" | "on" | "until" | "notified" | "issued" | "repealed" | "filed"
        | "decided" => "日期",
        "request" => "申请内容",
        "form" => "获取方式",
        "year" => "年份",
        "number" => "编号",
        "what" => "环节",
        "party" => "第三方",
        "days" | "within" => "工作日数",
        "outcome" => "办理结果",
        "basis" => "计费方式",
        "pages" => "页数",
        "amount" => "元",
        "note" => "备注",
        "quantity" => "数量",
        "reason" => "理由",
        "key" => "模板名",
        "review_body" => "复议机关",
        "court" => "法院",
        "title" => "标题",
        "result" => "结果",
        "section" => "部分",
        "load" => "文件",
        "limit" => "条数",
        "applications" | "per_year" | "license" | "penalty" | "coercion" => "件数",
        "agencies" => "个数",
        "write_seconds" | "seconds" => "秒数",
        "connections" | "clerks" => "个数",
        "max_requests" => "次数",
        "reports" | "files" => "份数",
        "rule" => "规则编号",
        "fee_amount" => "万元",
        _ => "值",
    }
}

/// An argument's help with its default, environment variable and possible
/// values said in Chinese (clap's own notes are hidden).
fn localize_arg(a: Arg) -> Arg {
    let id = a.get_id().as_str().to_string();
    let mut notes = Vec::new();
    let values: Vec<String> = a
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    let takes_value = a.get_action().takes_values();
    if takes_value && values.len() > 1 {
        notes.push(format!("可选：{}", values.join("、")));
    }
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .filter(|v| !v.is_empty())
        .collect();
    if takes_value && !defaults.is_empty() && !a.is_hide_default_value_set() {
        notes.push(format!("默认：{}", defaults.join("、")));
    }
    if let Some(env) = a.get_env() {
        notes.push(format!("环境变量 {}", env.to_string_lossy()));
    }
    let mut a = if takes_value {
        a.hide_default_value(true).hide_possible_values(true)
    } else {
        a
    };
    if a.get_env().is_some() {
        a = a.hide_env(true);
    }
    if !notes.is_empty() {
        let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
        let suffix = format!("（{}）", notes.join("；"));
        a = a.help(format!("{help}{suffix}"));
        if let Some(long) = a.get_long_help().map(|h| h.to_string()) {
            a = a.long_help(format!("{long}\n{suffix}"));
        }
    }
    // clap's derive names a value after its field in capitals (`<AGENCY>`).
    let derived = a
        .get_value_names()
        .is_none_or(|names| names.len() == 1 && names[0].as_str() == id.to_uppercase());
    if takes_value && derived {
        a = a.value_name(value_name(&id));
    }
    a
}

/// The command with every word clap adds in Chinese, recursively.
pub fn localize(cmd: Command) -> Command {
    let cmd = cmd.styles(clap::builder::Styles::plain());
    let root = cmd.get_name().to_string();
    let mut cmd = localize_one(cmd, true);
    cmd.build();
    set_usage(cmd, &root)
}

fn localize_one(cmd: Command, root: bool) -> Command {
    let has_subcommands = cmd.has_subcommands();
    let has_positionals = cmd.get_positionals().next().is_some();
    let mut cmd = cmd
        .help_template(template(has_positionals, has_subcommands))
        .disable_help_flag(true)
        .disable_version_flag(true)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .mut_args(localize_arg)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助"),
        );
    if has_subcommands {
        cmd = cmd.disable_help_subcommand(true);
    }
    if root {
        cmd = cmd.arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本号"),
        );
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, |s| localize_one(s, false));
    }
    cmd
}

/// Sets each command's usage line from clap's, with its placeholders in
/// Chinese (`[选项]` for `[OPTIONS]`).
fn set_usage(mut cmd: Command, path: &str) -> Command {
    let usage = cmd.render_usage().to_string();
    let usage = usage
        .trim()
        .trim_start_matches("Usage:")
        .trim()
        .replace("[OPTIONS]", "[选项]")
        .replace("[COMMAND]", "[命令]")
        .replace("<COMMAND>", "<命令>");
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        let sub_path = format!("{path} {name}");
        cmd = cmd.mut_subcommand(&name, |s| {
            let s = s.bin_name(&sub_path);
            set_usage(s, &sub_path)
        });
    }
    cmd.override_usage(usage)
}

fn context_string(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join("、")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join("、"),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        ContextValue::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The reason a value was refused: ours are in Chinese already; Rust's
/// number parsing errors are put in words.
fn reason(source: &str) -> String {
    if source
        .chars()
        .any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
    {
        return source.to_string();
    }
    if source.contains("empty string") {
        "不能为空".into()
    } else if source.contains("too large") || source.contains("too small") {
        "数字超出范围".into()
    } else if source.contains("invalid digit") {
        "应为整数".into()
    } else if source.contains("float") {
        "应为数字".into()
    } else {
        "格式不对".into()
    }
}

/// Prints a command-line error in Chinese and exits: help and version as
/// asked (exit 0), anything else with what was wrong, the usage line and
/// where to find help (exit 2).
pub fn exit(e: clap::Error, root: &Command) -> ! {
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => e.exit(),
        _ => {}
    }
    let arg = context_string(&e, ContextKind::InvalidArg).unwrap_or_default();
    let value = context_string(&e, ContextKind::InvalidValue).unwrap_or_default();
    let suggestion = context_string(&e, ContextKind::SuggestedArg)
        .or_else(|| context_string(&e, ContextKind::SuggestedSubcommand))
        .map(|s| format!("（是不是要写 {s}？）"))
        .unwrap_or_default();
    let message = match e.kind() {
        ErrorKind::UnknownArgument => format!("无法识别的参数“{arg}”{suggestion}"),
        ErrorKind::InvalidSubcommand => {
            let sub = context_string(&e, ContextKind::InvalidSubcommand).unwrap_or_default();
            format!("没有“{sub}”这个命令{suggestion}")
        }
        ErrorKind::InvalidValue => {
            let valid = context_string(&e, ContextKind::ValidValue)
                .map(|v| format!("，可选：{v}"))
                .unwrap_or_default();
            if value.is_empty() {
                format!("{arg} 需要一个值{valid}")
            } else {
                format!("{arg} 的值“{value}”无效{valid}")
            }
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(&e)
                .map(|s| reason(&s.to_string()))
                .unwrap_or_else(|| "格式不对".into());
            format!("{arg} 的值“{value}”无效：{why}")
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => "缺少命令".to_string(),
        ErrorKind::ArgumentConflict => {
            let prior = context_string(&e, ContextKind::PriorArg).unwrap_or_default();
            format!("{arg} 不能与 {prior} 同时使用")
        }
        ErrorKind::NoEquals => format!("{arg} 的值须用等号写在后面，如 {arg}=值"),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("{arg} 的值个数不对")
        }
        ErrorKind::InvalidUtf8 => "命令行中有不是 UTF-8 的文字".to_string(),
        _ => "命令行无法解析".to_string(),
    };
    eprintln!("错误：{message}");
    // The command the user was running: the subcommands named on the line.
    let mut cmd = root;
    let mut path = vec![root.get_name().to_string()];
    for word in std::env::args_os().skip(1) {
        let word = word.to_string_lossy();
        if let Some(sub) = cmd.find_subcommand(word.as_ref()) {
            cmd = sub;
            path.push(sub.get_name().to_string());
        }
    }
    let usage = cmd.clone().render_usage().to_string();
    let usage = usage.trim().trim_start_matches("Usage:").trim();
    if !usage.is_empty() {
        eprintln!("\n用法：{usage}");
    }
    eprintln!("\n运行 {} --help 查看帮助", path.join(" "));
    std::process::exit(2)
}
