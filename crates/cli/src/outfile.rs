//! Writing output files safely: never over a file the command reads, never
//! over an existing file unless asked (`--force`), and never a half-written
//! file in place of a whole one (the bytes go to a temporary file beside the
//! target, renamed over it when complete).

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Whether `a` and `b` are the same file (the same inode on Unix, so hard
/// links and symbolic links count; the same canonical path elsewhere).
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Checks that `output` may be written: it is none of `inputs`, and it does
/// not exist unless `force`. The error is a message for the user.
pub fn guard(output: &Path, inputs: &[PathBuf], force: bool) -> Result<(), String> {
    if let Some(input) = inputs.iter().find(|i| same_file(i, output)) {
        return Err(format!(
            "输出文件 {} 就是要读取的文件 {}，不能覆盖；请用 -o 指定另一个文件",
            output.display(),
            input.display()
        ));
    }
    match std::fs::symlink_metadata(output) {
        Ok(m) if m.is_dir() => Err(format!(
            "输出位置 {} 是一个目录，请指定文件名",
            output.display()
        )),
        Ok(_) if !force => Err(format!(
            "输出文件 {} 已经存在；如要覆盖，请加 --force",
            output.display()
        )),
        _ => Ok(()),
    }
}

/// A file being written: a temporary file beside the target, renamed over it
/// by [`Pending::commit`]; dropped uncommitted, it is removed.
pub struct Pending {
    target: PathBuf,
    temp: PathBuf,
    file: Option<File>,
}

impl Pending {
    pub fn create(target: &Path) -> io::Result<Pending> {
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut n = 0u32;
        loop {
            let temp = dir.join(format!(".{name}.{}.{n}.part", std::process::id()));
            match File::options().write(true).create_new(true).open(&temp) {
                Ok(file) => {
                    return Ok(Pending {
                        target: target.to_path_buf(),
                        temp,
                        file: Some(file),
                    })
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 100 => n += 1,
                Err(e) => return Err(e),
            }
        }
    }

    /// Flushes to disk and moves the file into place.
    pub fn commit(mut self) -> io::Result<()> {
        let done = match self.file.take() {
            Some(f) => f
                .sync_all()
                .and_then(|_| std::fs::rename(&self.temp, &self.target)),
            None => Err(io::Error::other("closed")),
        };
        if done.is_err() {
            let _ = std::fs::remove_file(&self.temp);
        }
        done
    }
}

impl Write for Pending {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(io::Error::other("closed")),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// Writes `bytes` to `path` whole (through a temporary file).
pub fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut p = Pending::create(path)?;
    p.write_all(bytes)?;
    p.commit()
}

/// Where a streamed output goes: a file (moved into place by
/// [`Sink::finish`]) or standard output.
pub enum Sink {
    File(io::BufWriter<Pending>),
    Stdout(io::BufWriter<io::Stdout>),
}

impl Sink {
    /// Flushes everything; a file is moved into place.
    pub fn finish(self) -> io::Result<()> {
        match self {
            Sink::File(w) => w.into_inner().map_err(|e| e.into_error())?.commit(),
            Sink::Stdout(mut w) => w.flush(),
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::File(w) => w.write(buf),
            Sink::Stdout(w) => w.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::File(w) => w.flush(),
            Sink::Stdout(w) => w.flush(),
        }
    }
}
