//! Proper scoring rules, negatively oriented (lower is better, 0 is perfect).
//!
//! - A fact is a yes/no forecast: the share of runs in which it comes true, kept off
//!   0 and 1 by [`shrunk`], is scored with the Brier score and the log score.
//! - A figure is a forecast distribution: the runs' values, scored with the CRPS of
//!   their empirical distribution against the recorded value.

/// The share of `n` runs of which `k` agree, kept off 0 and 1: (k + 0.5) / (n + 1).
/// With no runs to judge by it is 0.5.
pub fn shrunk(k: u64, n: u64) -> f64 {
    (k as f64 + 0.5) / (n as f64 + 1.0)
}

/// Brier score of forecast probability `p` for an event that did (`true`) or did not
/// happen: (p − outcome)².
pub fn brier(p: f64, happened: bool) -> f64 {
    let y = if happened { 1.0 } else { 0.0 };
    (p - y) * (p - y)
}

/// Log score: −ln of the probability given to what happened.
pub fn log_score(p: f64, happened: bool) -> f64 {
    -(if happened { p } else { 1.0 - p }).ln()
}

/// Continuous ranked probability score of the empirical distribution of `sorted`
/// (ascending) against the observation `y`:
/// CRPS = mean |xᵢ − y| − ½ mean over pairs |xᵢ − xⱼ|, the pair term computed from
/// the sorted values as (1/n²) Σᵢ (2i − n − 1) xᵢ (i from 1). In the units of the
/// values; for a single value it is the absolute error. `None` without values.
pub fn crps(sorted: &[f64], y: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len() as f64;
    let spread: f64 = sorted.iter().map(|x| (x - y).abs()).sum::<f64>() / n;
    let pairs: f64 = sorted
        .iter()
        .enumerate()
        .map(|(i, x)| (2.0 * (i as f64 + 1.0) - n - 1.0) * x)
        .sum::<f64>()
        / (n * n);
    // Exact in arithmetic, never below 0; rounding may take it a hair under.
    Some((spread - pairs).max(0.0))
}

/// The `q` quantile of ascending `sorted` by linear interpolation between order
/// statistics (type 7, as numpy's default).
pub fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// Whether `y` lies in the central interval of `sorted` holding share `width` of it.
pub fn covers(sorted: &[f64], y: f64, width: f64) -> Option<bool> {
    let tail = (1.0 - width) / 2.0;
    Some(quantile(sorted, tail)? <= y && y <= quantile(sorted, 1.0 - tail)?)
}

/// The scale figures are scored on: ln(1 + x), so that an error is relative (the CRPS
/// of a forecast off by a factor of e is about 1) and counts of hundreds and of
/// hundreds of thousands weigh alike.
pub fn log_scale(x: f64) -> f64 {
    x.max(0.0).ln_1p()
}

/// Skill of a score against a baseline's: 1 − score / baseline. Positive when the
/// forecast beats the baseline, 0 when it ties, negative when it does worse; floored
/// at −10 (a baseline that scores almost perfectly would otherwise send it toward
/// −∞, which no JSON reader takes), and 0 when both scores are (almost) perfect.
pub fn skill(score: f64, baseline: f64) -> f64 {
    const TINY: f64 = 1e-9;
    if baseline <= TINY {
        return if score <= TINY { 0.0 } else { -10.0 };
    }
    (1.0 - score / baseline).max(-10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn shares_are_kept_off_the_ends() {
        assert!(close(shrunk(0, 0), 0.5));
        assert!(close(shrunk(0, 9), 0.05));
        assert!(close(shrunk(9, 9), 0.95));
        assert!(close(shrunk(3, 4), 0.7));
    }

    #[test]
    fn brier_and_log_scores_of_hand_worked_cases() {
        assert!(close(brier(0.7, true), 0.09));
        assert!(close(brier(0.7, false), 0.49));
        assert!(close(brier(0.5, true), 0.25));
        assert!(close(log_score(0.5, true), std::f64::consts::LN_2));
        assert!(close(log_score(0.25, false), (4.0_f64 / 3.0).ln()));
        assert!(close(log_score(std::f64::consts::E.recip(), true), 1.0));
    }

    #[test]
    fn crps_of_hand_worked_cases() {
        // One value: the absolute error.
        assert!(close(crps(&[5.0], 2.0).unwrap(), 3.0));
        // {1, 2, 3} against 2: mean |x − y| = 2/3; pairs: 8/9 halved = 4/9; CRPS = 2/9.
        assert!(close(crps(&[1.0, 2.0, 3.0], 2.0).unwrap(), 2.0 / 9.0));
        // {0, 10} against 0: mean |x − y| = 5; pairs (0, 10, 10, 0)/4 = 5, halved 2.5.
        assert!(close(crps(&[0.0, 10.0], 0.0).unwrap(), 2.5));
        // The same values: the pair term equals the brute-force mean over all pairs.
        let xs: [f64; 4] = [0.5, 1.0, 4.0, 7.5];
        let brute = xs
            .iter()
            .flat_map(|a| xs.iter().map(move |b| (a - b).abs()))
            .sum::<f64>()
            / 32.0;
        let spread = xs.iter().map(|x| (x - 3.0_f64).abs()).sum::<f64>() / 4.0;
        assert!(close(crps(&xs, 3.0).unwrap(), spread - brute));
        assert_eq!(crps(&[], 1.0), None);
    }

    #[test]
    fn a_sharper_forecast_on_the_mark_scores_better() {
        let wide: Vec<f64> = (0..=100).map(f64::from).collect();
        let sharp: Vec<f64> = (45..=55).map(f64::from).collect();
        assert!(crps(&sharp, 50.0).unwrap() < crps(&wide, 50.0).unwrap());
        // ... and worse when it is sharp and wrong.
        assert!(crps(&sharp, 95.0).unwrap() > crps(&wide, 95.0).unwrap());
    }

    #[test]
    fn quantiles_and_intervals() {
        let xs = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert!(close(quantile(&xs, 0.5).unwrap(), 3.0));
        assert!(close(quantile(&xs, 0.25).unwrap(), 2.0));
        assert!(close(quantile(&xs, 0.1).unwrap(), 1.4));
        assert_eq!(covers(&xs, 2.0, 0.5), Some(true));
        assert_eq!(covers(&xs, 1.5, 0.5), Some(false));
        assert_eq!(covers(&xs, 1.5, 0.9), Some(true));
    }

    #[test]
    fn skill_is_relative_to_the_baseline() {
        assert!(close(skill(0.1, 0.25), 0.6));
        assert!(close(skill(0.25, 0.25), 0.0));
        assert!(skill(0.5, 0.25) < 0.0);
        assert_eq!(skill(0.0, 0.0), 0.0);
        assert_eq!(skill(1e-17, 0.0), 0.0);
        assert_eq!(skill(0.3, 0.0), -10.0);
        assert_eq!(skill(100.0, 1.0), -10.0);
    }
}
