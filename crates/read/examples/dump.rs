//! Prints what the reader makes of a file: cells and diagnostics.
fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).expect("readable file");
        match gongkai_read::read_report(&path, &bytes) {
            Ok(r) => {
                println!(
                    "== {path}: agency={:?} year={:?} edition={}",
                    r.agency, r.year, r.edition
                );
                for (a, c) in r.present_cells() {
                    println!(
                        "  {a} = {}{} @{}",
                        c.value,
                        if c.blank { " (blank)" } else { "" },
                        c.origin.pos().map(|p| p.to_string()).unwrap_or_default()
                    );
                }
                for d in &r.diagnostics {
                    println!(
                        "  {} {:?} {} @{:?}:{:?} cells={}",
                        d.rule,
                        d.level,
                        d.message,
                        d.line,
                        d.column,
                        d.cells.len()
                    );
                }
            }
            Err(e) => println!("== {path}: ERROR {e}"),
        }
    }
}
