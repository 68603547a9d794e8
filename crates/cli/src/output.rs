//! Writing a report to a file format, with the fonts a PDF is set in.

use clap::Args;
use gongkai_report::Report;
use gongkai_write::pdf::{FontRole, PdfFonts};
use gongkai_write::{FileFormat, Options};
use std::path::{Path, PathBuf};

/// `--font-dir`: where the official fonts are, for PDF output.
#[derive(Args, Debug, Clone, Default)]
pub struct FontArgs {
    /// PDF 所用字体的目录（如 C:\Windows\Fonts）：其中的方正小标宋简体、仿宋_GB2312、黑体、
    /// 楷体_GB2312、宋体按文件名识别并嵌入；缺少的字体用内置的开源字体代替
    #[arg(long, env = "GONGKAI_FONT_DIR")]
    pub font_dir: Option<PathBuf>,
}

/// The fonts for PDF output: the files of `dir` whose names are those of the
/// official fonts, and the built-in fonts for the rest. A font file that
/// cannot be used is a warning; a folder that cannot be read is an error.
pub fn pdf_fonts(dir: Option<&Path>) -> Result<PdfFonts, String> {
    let Some(dir) = dir else {
        return Ok(PdfFonts::embedded());
    };
    let entries = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "无法读取字体目录 {}（{}）",
            dir.display(),
            crate::io_error(&e)
        )
    })?;
    let mut files = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if FontRole::of_file_name(&name).is_none() {
            continue;
        }
        // Regular files only, and no more than a font can weigh.
        match crate::input::read(&entry.path(), crate::input::FONT_LIMIT) {
            Ok(bytes) => files.push((name, bytes)),
            Err(msg) => eprintln!("警告：{msg}；改用内置字体"),
        }
    }
    let (fonts, problems) = PdfFonts::from_files(files);
    for p in problems {
        eprintln!("警告：{p}");
    }
    for role in FontRole::ALL {
        if fonts.file_for(role).is_none() {
            eprintln!(
                "提示：{} 中没有{}字体，改用内置的开源字体",
                dir.display(),
                role.font_name()
            );
        }
    }
    Ok(fonts)
}

/// The bytes of a report in a file format. For PDF, what could not be set
/// as asked (a character no font has …) is printed as a warning, naming
/// the report.
pub fn report_bytes(format: FileFormat, report: &Report, fonts: &PdfFonts) -> Vec<u8> {
    match format {
        FileFormat::Pdf => {
            let out = gongkai_write::pdf::write_pdf_with(report, &Options::default(), fonts);
            for w in &out.warnings {
                eprintln!("警告：{}：{w}", report.source);
            }
            out.bytes
        }
        _ => gongkai_write::write_bytes(format, report),
    }
}
