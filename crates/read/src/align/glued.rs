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
///
/// The budget and the order are those of a plain depth-first enumeration of
/// every split ([`splits_plain`]), part by part from the first: its steps are
/// counted up front when they may exceed the budget, and the splits found are
/// put in its order. The search itself starts from the last part (a row's
/// total) and goes back, skipping every branch where no split can satisfy the
/// equations.
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
    if local
        .iter()
        .any(|e| e.terms.iter().any(|(v, _)| v.run == ri && v.slot >= w))
    {
        return splits_plain(run, ri, local, respect_breaks);
    }
    let lattice = Lattice::new(run, respect_breaks);
    if lattice.steps(run) > RUN_STEPS {
        return None;
    }
    let bounds: Vec<Bounds> = local.iter().map(|e| lattice.bounds(run, ri, e)).collect();
    let mut search = Backwards {
        lattice: &lattice,
        run,
        ri,
        local,
        bounds: &bounds,
        parts: vec![0; w],
        residual: local.iter().map(|e| i128::from(e.constant)).collect(),
        out: Vec::new(),
    };
    search.go(n, w);
    let mut out = search.out;
    if out.len() > RUN_CANDIDATES {
        // Near the cap, whether the plain enumeration gave up depends on the
        // order it met the splits in: ask it.
        return splits_plain(run, ri, local, respect_breaks);
    }
    // The plain enumeration's order: by the length of each part, first to
    // last (a part longer than one digit has no leading zero, so its length
    // is that of its figure).
    let digits_of = |v: &i64| if *v == 0 { 1 } else { v.ilog10() + 1 };
    out.sort_by(|x, y| x.iter().map(digits_of).cmp(y.iter().map(digits_of)));
    Some(out)
}

/// What a run's splits depend on: its digits, breaks and width, whether
/// breaks are respected, and the local equations (constant, and the
/// coefficient on each slot of the run).
#[derive(PartialEq, Eq, Hash)]
struct SplitKey {
    digits: Vec<u8>,
    breaks: Vec<usize>,
    width: usize,
    respect: bool,
    equations: Vec<(i64, Vec<(usize, i64)>)>,
}

/// Splits remembered per thread before the memory is cleared and begun again.
const REMEMBERED: usize = 1024;

thread_local! {
    static SPLITS: std::cell::RefCell<std::collections::HashMap<SplitKey, Option<Vec<Vec<i64>>>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// [`splits`], remembered: the same run is split with the same equations
/// several times over while a table's arithmetic is relaxed step by step.
fn remembered_splits(
    run: &Run,
    ri: usize,
    local: &[&Equation],
    respect_breaks: bool,
) -> Option<Vec<Vec<i64>>> {
    // Terms on other runs add nothing to a local equation (see `splits`).
    let key = SplitKey {
        digits: run.digits.clone(),
        breaks: run.breaks.clone(),
        width: run.width,
        respect: respect_breaks,
        equations: local
            .iter()
            .map(|e| {
                let terms = e
                    .terms
                    .iter()
                    .filter(|(v, _)| v.run == ri)
                    .map(|(v, c)| (v.slot, *c))
                    .collect();
                (e.constant, terms)
            })
            .collect(),
    };
    if let Some(found) = SPLITS.with_borrow(|m| m.get(&key).cloned()) {
        return found;
    }
    let found = splits(run, ri, local, respect_breaks);
    SPLITS.with_borrow_mut(|m| {
        if m.len() >= REMEMBERED {
            m.clear();
        }
        m.insert(key, found.clone());
    });
    found
}

/// What an equation's first k slots can add up to over the splits of the
/// run's first `at` digits into k figures, for each (at, k).
struct Bounds {
    coef: Vec<i128>,
    lo: Vec<i128>,
    hi: Vec<i128>,
}

/// The splits of a run's prefixes: node (at, k) stands for the first `at`
/// digits split into k figures.
struct Lattice {
    n: usize,
    w: usize,
    /// Per digit: how long a figure starting there may be, breaks respected
    /// and leading zeros refused.
    longest: Vec<usize>,
    /// Whether the first `at` digits can be split into k figures.
    reached: Vec<bool>,
}

impl Lattice {
    fn new(run: &Run, respect: bool) -> Lattice {
        let n = run.digits.len();
        let w = run.width;
        let longest: Vec<usize> = (0..n)
            .map(|at| {
                let mut len = if run.digits[at] == 0 {
                    1
                } else {
                    MAX_DIGITS.min(n - at)
                };
                if respect {
                    if let Some(b) = run.breaks.iter().filter(|&&b| b > at).min() {
                        len = len.min(b - at);
                    }
                }
                len
            })
            .collect();
        let mut l = Lattice {
            n,
            w,
            longest,
            reached: vec![false; (n + 1) * (w + 1)],
        };
        l.reached[0] = true;
        for k in 0..w {
            for at in 0..n {
                if !l.reached[l.idx(at, k)] {
                    continue;
                }
                for len in 1..=l.longest[at] {
                    let i = l.idx(at + len, k + 1);
                    l.reached[i] = true;
                }
            }
        }
        l
    }

    fn idx(&self, at: usize, k: usize) -> usize {
        at * (self.w + 1) + k
    }

    /// Steps the plain enumeration takes (capped just above the budget).
    fn steps(&self, run: &Run) -> usize {
        // Its nodes are the ways to cut the first parts off the run: at most
        // C(n, k) at depth k. When these add up to no more than the budget,
        // no count is needed.
        let mut bound = 0usize;
        let mut c = 1usize;
        for k in 0..=self.w {
            bound = bound.saturating_add(c);
            c = c.saturating_mul(self.n - k.min(self.n)) / (k + 1);
        }
        if bound <= RUN_STEPS {
            return bound;
        }
        let (n, w) = (self.n, self.w);
        let mut count = vec![0usize; (n + 1) * (w + 1)];
        for k in (0..=w).rev() {
            for at in (0..=n).rev() {
                let mut steps = 1usize;
                let left = w - k;
                let rest = n - at;
                if left > 0 && rest >= left && rest <= left * MAX_DIGITS {
                    let max_len = if run.digits[at] == 0 {
                        1
                    } else {
                        MAX_DIGITS.min(rest - (left - 1))
                    };
                    // `longest` already holds the breaks' limit.
                    let max_len = max_len.min(self.longest[at].max(1));
                    for len in 1..=max_len {
                        steps = steps
                            .saturating_add(count[self.idx(at + len, k + 1)])
                            .min(RUN_STEPS + 1);
                    }
                }
                count[self.idx(at, k)] = steps;
            }
        }
        count[self.idx(0, 0)]
    }

    fn bounds(&self, run: &Run, ri: usize, e: &Equation) -> Bounds {
        let mut coef = vec![0i128; self.w];
        for (v, c) in &e.terms {
            if v.run == ri {
                coef[v.slot] += i128::from(*c);
            }
        }
        let size = (self.n + 1) * (self.w + 1);
        let mut lo = vec![i128::MAX; size];
        let mut hi = vec![i128::MIN; size];
        lo[0] = 0;
        hi[0] = 0;
        for (k, &c) in coef.iter().enumerate() {
            for at in 0..self.n {
                let i = self.idx(at, k);
                if !self.reached[i] {
                    continue;
                }
                let mut v = 0i64;
                for len in 1..=self.longest[at] {
                    v = v * 10 + i64::from(run.digits[at + len - 1]);
                    let x = c * i128::from(v);
                    let j = self.idx(at + len, k + 1);
                    lo[j] = lo[j].min(lo[i] + x);
                    hi[j] = hi[j].max(hi[i] + x);
                }
            }
        }
        Bounds { coef, lo, hi }
    }
}

/// The search from the last figure back to the first.
struct Backwards<'a> {
    lattice: &'a Lattice,
    run: &'a Run,
    ri: usize,
    local: &'a [&'a Equation],
    bounds: &'a [Bounds],
    parts: Vec<i64>,
    /// Per equation: its constant and the figures placed so far.
    residual: Vec<i128>,
    out: Vec<Vec<i64>>,
}

impl Backwards<'_> {
    /// Figures k.. are placed and take the digits from `at` on.
    fn go(&mut self, at: usize, k: usize) {
        if self.out.len() > RUN_CANDIDATES {
            return;
        }
        if k == 0 {
            let parts = &self.parts;
            let ri = self.ri;
            if at == 0
                && self
                    .local
                    .iter()
                    .all(|e| e.holds(|v| if v.run == ri { parts[v.slot] } else { 0 }))
            {
                self.out.push(parts.clone());
            }
            return;
        }
        let l = self.lattice;
        for len in 1..=MAX_DIGITS.min(at) {
            let start = at - len;
            if len > l.longest[start] {
                continue;
            }
            let node = l.idx(start, k - 1);
            if !l.reached[node] {
                continue;
            }
            let v = value(&self.run.digits[start..at]);
            let open = self.residual.iter().zip(self.bounds).all(|(r, b)| {
                let r = r + b.coef[k - 1] * i128::from(v);
                r + b.lo[node] <= 0 && r + b.hi[node] >= 0
            });
            if !open {
                continue;
            }
            for (r, b) in self.residual.iter_mut().zip(self.bounds) {
                *r += b.coef[k - 1] * i128::from(v);
            }
            self.parts[k - 1] = v;
            self.go(start, k - 1);
            for (r, b) in self.residual.iter_mut().zip(self.bounds) {
                *r -= b.coef[k - 1] * i128::from(v);
            }
        }
    }
}

/// The figure a run of digits reads as.
fn value(digits: &[u8]) -> i64 {
    digits.iter().fold(0i64, |acc, d| acc * 10 + i64::from(*d))
}

/// [`splits`] by plain depth-first enumeration of every split, step by step.
fn splits_plain(
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
    remembered_splits(&r, 0, &[], false)
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
            c = remembered_splits(run, ri, &local, true).filter(|v| !v.is_empty());
        }
        if c.is_none() {
            c = remembered_splits(run, ri, &local, false);
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

    /// The pruned enumeration finds what the plain one finds, in its order,
    /// and gives up where it gives up.
    #[test]
    fn pruned_splits_match_plain_enumeration() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        };
        let (mut found, mut over_budget) = (0, 0);
        for case in 0..3000 {
            let len = 1 + next(if case % 10 == 0 { 70 } else { 24 }) as usize;
            let zeros = next(4);
            let mut text = String::new();
            for _ in 0..len {
                let d = if next(4) < zeros { 0 } else { next(10) };
                text.push(char::from(b'0' + d as u8));
                if next(6) == 0 {
                    text.push(' ');
                }
            }
            let width = 1 + next(9) as usize;
            let Some(run) = Run::parse(&text, width) else {
                continue;
            };
            let mut eqs = Vec::new();
            if width > 1 && next(3) > 0 {
                eqs.push(row_total(0, width));
            }
            if next(3) == 0 {
                let mut e = Equation::default();
                for slot in 0..width {
                    let c = next(5) as i64 - 2;
                    if c != 0 {
                        e.terms.push((Var { run: 0, slot }, c));
                    }
                }
                e.constant = next(200) as i64 - 100;
                eqs.push(e);
            }
            let local: Vec<&Equation> = eqs.iter().collect();
            for respect in [true, false] {
                let pruned = splits(&run, 0, &local, respect);
                assert_eq!(
                    pruned,
                    splits_plain(&run, 0, &local, respect),
                    "{text:?} in {width}, {eqs:?}, respecting breaks: {respect}"
                );
                match pruned {
                    Some(list) if !list.is_empty() => found += 1,
                    None => over_budget += 1,
                    _ => {}
                }
            }
        }
        assert!(found > 100 && over_budget > 10, "{found} {over_budget}");
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
