//! Figures glued together: splitting runs of digits back into cells.
//!
//! Crawler copies of reports often lose every separator between table cells,
//! so a row of seven figures "152 | 3 | 1 | 0 | 0 | 1 | 157" arrives as the
//! digit run "15231001157". The template's own arithmetic says how to split
//! it: a row's parts add up to its total, a column's outcome rows add up to
//! （七）总计, and so on. This module finds every split of the runs that
//! satisfies all the equations given; a cell is known when every solution
//! agrees on it, and ambiguous otherwise. The search is bounded in steps, so a
//! pathological run costs milliseconds, not minutes.

/// One run of digits standing for `width` consecutive cells.
#[derive(Debug, Clone)]
pub struct Run {
    /// The digits, without separators.
    pub digits: Vec<u8>,
    /// Digit offsets where the source had a space (a likely cell boundary).
    pub breaks: Vec<usize>,
    /// How many cells the run stands for.
    pub width: usize,
}

impl Run {
    /// A run from text made of digits and spaces only; None otherwise.
    pub fn parse(text: &str, width: usize) -> Option<Run> {
        let mut digits = Vec::new();
        let mut breaks = Vec::new();
        for c in text.chars() {
            match c {
                '0'..='9' => digits.push(c as u8 - b'0'),
                c if c.is_whitespace() => {
                    if !digits.is_empty() && breaks.last() != Some(&digits.len()) {
                        breaks.push(digits.len());
                    }
                }
                _ => return None,
            }
        }
        if breaks.last() == Some(&digits.len()) {
            breaks.pop();
        }
        (!digits.is_empty() && width > 0).then_some(Run {
            digits,
            breaks,
            width,
        })
    }
}

/// A variable: cell `slot` of run `run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Var {
    pub run: usize,
    pub slot: usize,
}

/// Σ coef·var + constant = 0.
#[derive(Debug, Clone, Default)]
pub struct Equation {
    pub terms: Vec<(Var, i64)>,
    pub constant: i64,
}

impl Equation {
    fn runs(&self) -> Vec<usize> {
        let mut r: Vec<usize> = self.terms.iter().map(|(v, _)| v.run).collect();
        r.sort_unstable();
        r.dedup();
        r
    }
    fn holds(&self, value: impl Fn(Var) -> i64) -> bool {
        let mut s = self.constant as i128;
        for (v, c) in &self.terms {
            s += i128::from(value(*v)) * i128::from(*c);
        }
        s == 0
    }
}

/// What the search found.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Values per run and slot: Some when every solution agrees.
    Solved {
        values: Vec<Vec<Option<i64>>>,
        /// How many solutions were found (capped).
        solutions: usize,
    },
    /// No split satisfies all the equations.
    NoSolution,
}

/// Steps allowed to enumerate the splits of one run.
const RUN_STEPS: usize = 200_000;
/// Splits kept for one run; a run with more is left unsolved.
const RUN_CANDIDATES: usize = 5_000;
/// Steps allowed to combine the runs.
const SEARCH_STEPS: usize = 2_000_000;
/// Distinct solutions kept.
const MAX_SOLUTIONS: usize = 64;
/// Digits in one figure, at most.
const MAX_DIGITS: usize = 9;

/// Every split of `run` into its cells that satisfies the equations local to it.
/// None when the run has more splits than can be enumerated in budget.
fn splits(
    run: &Run,
    ri: usize,
    local: &[&Equation],
    respect_breaks: bool,
) -> Option<Vec<Vec<i64>>> {
    let n = run.digits.len();
    let w = run.width;
    if n < w {
        return Some(Vec::new());
    }
    let mut out = Vec::new();
    let mut parts: Vec<i64> = Vec::with_capacity(w);
    let mut steps = 0usize;
    // Depth-first over the end of each part. With `respect`, no figure spans
    // a space of the source.
    #[allow(clippy::too_many_arguments)]
    fn go(
        run: &Run,
        ri: usize,
        local: &[&Equation],
        respect: bool,
        at: usize,
        parts: &mut Vec<i64>,
        out: &mut Vec<Vec<i64>>,
        steps: &mut usize,
    ) -> bool {
        *steps += 1;
        if *steps > RUN_STEPS || out.len() > RUN_CANDIDATES {
            return false;
        }
        let n = run.digits.len();
        let w = run.width;
        let left = w - parts.len();
        if left == 0 {
            if at == n
                && local
                    .iter()
                    .all(|e| e.holds(|v| if v.run == ri { parts[v.slot] } else { 0 }))
            {
                out.push(parts.clone());
            }
            return true;
        }
        let rest = n - at;
        if rest < left || rest > left * MAX_DIGITS {
            return true;
        }
        let max_len = if run.digits[at] == 0 {
            1
        } else {
            MAX_DIGITS.min(rest - (left - 1))
        };
        for len in 1..=max_len {
            let end = at + len;
            // A space inside a figure is allowed only when not respecting breaks.
            if respect && run.breaks.iter().any(|&b| b > at && b < end) {
                break;
            }
            let v = run.digits[at..end]
                .iter()
                .fold(0i64, |acc, d| acc * 10 + i64::from(*d));
            parts.push(v);
            let ok = go(run, ri, local, respect, end, parts, out, steps);
            parts.pop();
            if !ok {
                return false;
            }
        }
        true
    }
    let complete = go(
        run,
        ri,
        local,
        respect_breaks,
        0,
        &mut parts,
        &mut out,
        &mut steps,
    );
    complete.then_some(out)
}

/// Every split of a run into exactly `parts` figures (no equations); None
/// when there are more than can be enumerated in budget.
pub fn all_splits(run: &Run, parts: usize) -> Option<Vec<Vec<i64>>> {
    let r = Run {
        digits: run.digits.clone(),
        breaks: run.breaks.clone(),
        width: parts,
    };
    splits(&r, 0, &[], false)
}

/// Finds the splits of all runs that satisfy all equations.
pub fn solve(runs: &[Run], equations: &[Equation]) -> Outcome {
    let eq_runs: Vec<Vec<usize>> = equations.iter().map(Equation::runs).collect();
    // Candidates per run, from the equations about that run alone.
    let mut cands: Vec<Option<Vec<Vec<i64>>>> = Vec::with_capacity(runs.len());
    for (ri, run) in runs.iter().enumerate() {
        let local: Vec<&Equation> = equations
            .iter()
            .zip(&eq_runs)
            .filter(|(_, r)| r.as_slice() == [ri])
            .map(|(e, _)| e)
            .collect();
        // Fewer digits than cells: blank cells were lost; the run stays open.
        if run.digits.len() < run.width {
            cands.push(None);
            continue;
        }
        let mut c = None;
        if !run.breaks.is_empty() {
            c = splits(run, ri, &local, true).filter(|v| !v.is_empty());
        }
        if c.is_none() {
            c = splits(run, ri, &local, false);
        }
        cands.push(c);
    }
    if cands.iter().any(|c| c.as_ref().is_some_and(Vec::is_empty)) {
        return Outcome::NoSolution;
    }
    // Runs with too many splits stay unknown; equations touching them are dropped.
    let open: Vec<bool> = cands.iter().map(Option::is_none).collect();
    let global: Vec<(usize, &Equation)> = equations
        .iter()
        .zip(&eq_runs)
        .filter(|(_, r)| r.len() > 1 && !r.iter().any(|&x| open[x]))
        .map(|(e, r)| (*r.iter().max().expect("non-empty"), e))
        .collect();
    // Search order: runs with fewer candidates first; an equation is checked
    // once the last of its runs (in that order) is assigned.
    let mut order: Vec<usize> = (0..runs.len()).filter(|&r| !open[r]).collect();
    order.sort_by_key(|&r| cands[r].as_ref().map_or(usize::MAX, Vec::len));
    let mut rank = vec![usize::MAX; runs.len()];
    for (k, &r) in order.iter().enumerate() {
        rank[r] = k;
    }
    let mut checks: Vec<Vec<&Equation>> = vec![Vec::new(); order.len()];
    for (_, e) in &global {
        let last = e.runs().iter().map(|&r| rank[r]).max().expect("non-empty");
        checks[last].push(e);
    }
    let mut chosen: Vec<usize> = vec![0; runs.len()];
    let mut solutions: Vec<Vec<usize>> = Vec::new();
    let mut steps = 0usize;
    let mut exhausted = false;
    #[allow(clippy::too_many_arguments)]
    fn search(
        k: usize,
        order: &[usize],
        cands: &[Option<Vec<Vec<i64>>>],
        checks: &[Vec<&Equation>],
        chosen: &mut Vec<usize>,
        solutions: &mut Vec<Vec<usize>>,
        steps: &mut usize,
        exhausted: &mut bool,
    ) {
        if *exhausted || solutions.len() >= MAX_SOLUTIONS {
            return;
        }
        if k == order.len() {
            solutions.push(chosen.clone());
            return;
        }
        let r = order[k];
        let list = cands[r].as_ref().expect("closed run");
        for i in 0..list.len() {
            *steps += 1;
            if *steps > SEARCH_STEPS {
                *exhausted = true;
                return;
            }
            chosen[r] = i;
            let ok = checks[k].iter().all(|e| {
                e.holds(|v| cands[v.run].as_ref().expect("closed run")[chosen[v.run]][v.slot])
            });
            if ok {
                search(
                    k + 1,
                    order,
                    cands,
                    checks,
                    chosen,
                    solutions,
                    steps,
                    exhausted,
                );
            }
        }
    }
    search(
        0,
        &order,
        &cands,
        &checks,
        &mut chosen,
        &mut solutions,
        &mut steps,
        &mut exhausted,
    );
    if solutions.is_empty() && !exhausted {
        return Outcome::NoSolution;
    }
    let mut values: Vec<Vec<Option<i64>>> = runs.iter().map(|r| vec![None; r.width]).collect();
    for (ri, run) in runs.iter().enumerate() {
        let Some(list) = &cands[ri] else { continue };
        for slot in 0..run.width {
            let mut agreed: Option<i64> = None;
            let mut same = true;
            // When the search ran out of steps, only what every candidate of
            // the run agrees on is known.
            let picks: Vec<usize> = if exhausted {
                (0..list.len()).collect()
            } else {
                solutions.iter().map(|s| s[ri]).collect()
            };
            for p in picks {
                let v = list[p][slot];
                match agreed {
                    None => agreed = Some(v),
                    Some(a) if a != v => same = false,
                    _ => {}
                }
            }
            if same {
                values[ri][slot] = agreed;
            }
        }
    }
    Outcome::Solved {
        values,
        solutions: if exhausted {
            MAX_SOLUTIONS
        } else {
            solutions.len()
        },
    }
}

/// The equation "the first `w - 1` cells of `run` add up to its last".
pub fn row_total(run: usize, width: usize) -> Equation {
    let mut terms: Vec<(Var, i64)> = (0..width - 1).map(|slot| (Var { run, slot }, 1)).collect();
    terms.push((
        Var {
            run,
            slot: width - 1,
        },
        -1,
    ));
    Equation { terms, constant: 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(o: &Outcome) -> &Vec<Vec<Option<i64>>> {
        match o {
            Outcome::Solved { values, .. } => values,
            Outcome::NoSolution => panic!("no solution"),
        }
    }

    #[test]
    fn a_row_with_its_total() {
        let runs = vec![Run::parse("15231001157", 7).unwrap()];
        let eqs = vec![row_total(0, 7)];
        let o = solve(&runs, &eqs);
        // 152+3+1+0+0+1 = 157 is one split; is it the only one?
        let v = values(&o);
        assert_eq!(
            v[0],
            vec![
                Some(152),
                Some(3),
                Some(1),
                Some(0),
                Some(0),
                Some(1),
                Some(157)
            ]
        );
    }

    #[test]
    fn zeros_split_alone() {
        let runs = vec![Run::parse("0000000", 7).unwrap()];
        let o = solve(&runs, &[row_total(0, 7)]);
        assert_eq!(values(&o)[0], vec![Some(0); 7]);
    }

    #[test]
    fn ambiguous_cells_are_named() {
        // 11 + 0 … = 11, or 1 + 10 …? "1101011": parts 1,1,0,1,0,1 → 4 ≠ 1; the
        // run "12003" split in 3 with a total: 1+2=003 no; 12+0=03 no …
        let runs = vec![Run::parse("11211", 3).unwrap()];
        // 1+12=11? no. 11+2=11? no. 1+1=211 no … no solution with a total.
        assert_eq!(solve(&runs, &[row_total(0, 3)]), Outcome::NoSolution);
        // Without an equation, a run of 5 digits into 3 cells is ambiguous.
        let o = solve(&runs, &[]);
        assert_eq!(values(&o)[0], vec![None, None, None]);
    }

    #[test]
    fn spaces_are_preferred_as_boundaries() {
        let runs = vec![Run::parse("0 1 1 0 2", 5).unwrap()];
        let o = solve(&runs, &[row_total(0, 5)]);
        assert_eq!(
            values(&o)[0],
            vec![Some(0), Some(1), Some(1), Some(0), Some(2)]
        );
    }

    #[test]
    fn columns_settle_what_rows_leave_open() {
        // Two rows of (a, b, total), and a column equation a0 + a1 = 10.
        let runs = vec![
            Run::parse("5510", 3).unwrap(),
            Run::parse("5510", 3).unwrap(),
        ];
        // Row: 5+5=10 or 55+1=0? no: splits of "5510" into 3 with a+b=c: 5|5|10 only.
        let eqs = vec![row_total(0, 3), row_total(1, 3)];
        let o = solve(&runs, &eqs);
        assert_eq!(values(&o)[0], vec![Some(5), Some(5), Some(10)]);
    }

    #[test]
    fn runs_shorter_than_their_cells_stay_open() {
        // "22" for seven cells: blank cells were lost; nothing can be placed,
        // and the other run still splits.
        let runs = vec![
            Run::parse("22", 7).unwrap(),
            Run::parse("0000000", 7).unwrap(),
        ];
        let o = solve(&runs, &[row_total(1, 7)]);
        assert_eq!(values(&o)[0], vec![None; 7]);
        assert_eq!(values(&o)[1], vec![Some(0); 7]);
    }

    #[test]
    fn pathological_runs_are_bounded() {
        let long = "1".repeat(60);
        let runs = vec![Run::parse(&long, 15).unwrap(); 4];
        let eqs: Vec<Equation> = (0..4).map(|r| row_total(r, 15)).collect();
        // Too many splits to enumerate: the cells stay unknown, and the call returns.
        assert_eq!(values(&solve(&runs, &eqs))[0], vec![None; 15]);
    }
}
