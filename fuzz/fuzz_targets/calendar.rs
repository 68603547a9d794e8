#![no_main]

use libfuzzer_sys::fuzz_target;

// A calendar data file of any text: an error with a line, or a calendar whose
// arithmetic never panics.
fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(cal) = gongkai_casework::Calendar::parse(text) {
        for year in cal.years() {
            if let Some(d) = chrono::NaiveDate::from_ymd_opt(year, 12, 20) {
                let due = cal.add_working_days(d, 20);
                let _ = cal.working_days_between(d, due);
            }
        }
        let _ = gongkai_casework::Calendar::parse(&cal.to_toml());
    }
});
