//! The regularities of when wars end, over many seeds of the bundled wars: what the
//! bargaining theory of war says the timing should show (docs/model.md, "Beliefs" and
//! "Known limits"). Most compare the days after one kind of day with the days after
//! another, pooled over the wars, and ask for a gap well beyond the noise.

use std::sync::Arc;

use truce::scenario::{self, Compiled};
use truce::sim::Simulation;
use truce::sim::components::Record;
use truce::sim::outcome::Outcome;

/// The bundled wars with a real map and a record (the fictional Askel delta left out).
const WARS: [&str; 6] = [
    "karabakh-2020",
    "karabakh-1994",
    "four-day-war-2016",
    "donbas-2014",
    "lebanon-2006",
    "gaza-2014",
];

/// Days after a day of one kind within which a settlement counts as following it.
const WINDOW: u32 = 3;

/// A region worth at least this much is a decisive capture (a capital, Shusha).
const DECISIVE: f64 = 0.5;

fn war(name: &str) -> Arc<Compiled> {
    let path = crate::root().join(format!("scenarios/{name}.ron"));
    Arc::new(scenario::load(&path).expect("a bundled war loads").compiled)
}

/// A bundled war with its record.
fn war_with_record(name: &str) -> truce::validation::War {
    let dir = crate::root().join("scenarios");
    truce::validation::War::load(
        &dir.join(format!("{name}.ron")),
        &dir.join(format!("{name}.history.ron")),
    )
    .expect("a bundled war loads")
}

/// The strategic value of the region with id `region` (0 for none).
fn value_of(sc: &Compiled, region: &str) -> f64 {
    sc.region_ix(region).map_or(0.0, |r| sc.regions[r].value)
}

/// One run, day by day: what the day brought and when the war's durable deal was signed.
struct Run {
    /// Per day: the most valuable region that changed hands, if any.
    captured: Vec<Option<f64>>,
    /// Per day: military dead that day, all sides together.
    dead: Vec<f64>,
    settled: Option<u32>,
}

fn play(sc: &Arc<Compiled>, seed: u64, sim: &mut Simulation) -> (Run, Outcome) {
    sim.reset(seed);
    let o = sim.run_to_end();
    let days = &sim.world().resource::<Record>().days;
    let n = days.len();
    let mut captured = vec![None; n];
    for c in &o.captures {
        let value = value_of(sc, &c.region);
        if let Some(slot) = captured.get_mut(c.day as usize) {
            *slot = Some(slot.map_or(value, |v: f64| v.max(value)));
        }
    }
    let total = |d: &truce::sim::components::DayRecord| d.military_dead.iter().sum::<f64>();
    let dead = (0..n)
        .map(|i| total(&days[i]) - if i > 0 { total(&days[i - 1]) } else { 0.0 })
        .collect();
    let settled = o
        .agreements
        .iter()
        .find(|a| a.durable)
        .map(|a| a.signed_day);
    (
        Run {
            captured,
            dead,
            settled,
        },
        o,
    )
}

/// Of the days that `pick` chooses, while the war was still on, how many were followed
/// within [`WINDOW`] days by the signing of the deal that ended it.
#[derive(Default, Debug, Clone, Copy)]
struct Rate {
    days: u32,
    followed: u32,
}

impl Rate {
    fn add(&mut self, run: &Run, pick: impl Fn(&Run, usize) -> bool) {
        let last = run.settled.map_or(run.captured.len(), |d| d as usize);
        for d in 0..last.min(run.captured.len()) {
            // A day too near the end of a war that did not settle has no days after it
            // to watch (a capital's fall ends the war that very day).
            let watched = run.settled.is_some() || d + (WINDOW as usize) < run.captured.len() - 1;
            if !watched || !pick(run, d) {
                continue;
            }
            self.days += 1;
            if run
                .settled
                .is_some_and(|s| s > d as u32 && s <= d as u32 + WINDOW)
            {
                self.followed += 1;
            }
        }
    }

    fn p(self) -> f64 {
        f64::from(self.followed) / f64::from(self.days.max(1))
    }
}

/// A quiet day: nothing changed hands that day or the day before.
fn quiet(run: &Run, d: usize) -> bool {
    run.captured[d].is_none() && (d == 0 || run.captured[d - 1].is_none())
}

/// Which days of a run count as days of a kind.
type Pick<'a> = &'a dyn Fn(&Run, usize) -> bool;

/// The bundled wars of [`WARS`].
fn library() -> Vec<Arc<Compiled>> {
    WARS.iter().map(|name| war(name)).collect()
}

/// The days each `pick` chooses, and their settlements, in every war.
fn rates(seeds: u64, picks: &[Pick]) -> Vec<Vec<Rate>> {
    rates_of(&library(), seeds, picks)
}

/// [`rates`] in the scenarios given.
fn rates_of(scenarios: &[Arc<Compiled>], seeds: u64, picks: &[Pick]) -> Vec<Vec<Rate>> {
    scenarios
        .iter()
        .map(|sc| {
            let mut sim = Simulation::new(sc.clone(), 0);
            let mut mine = vec![Rate::default(); picks.len()];
            for seed in 0..seeds {
                let (run, _) = play(sc, seed, &mut sim);
                for (rate, pick) in mine.iter_mut().zip(picks) {
                    rate.add(&run, pick);
                }
            }
            eprintln!("{}: {mine:?}", sc.id);
            mine
        })
        .collect()
}

/// Settlements after the days of kind `a` against what the rate after days of kind
/// `b` in the same war would give them: (observed, expected, z). Stratified by war
/// (Mantel–Haenszel), since wars end at very different rates and pooling would
/// compare one war's days with another's.
fn against(by_war: &[Vec<Rate>], a: usize, b: usize) -> (f64, f64, f64) {
    let (mut observed, mut expected, mut variance) = (0.0, 0.0, 0.0);
    for w in by_war {
        let (x, base) = (w[a], w[b]);
        if x.days == 0 || base.days == 0 {
            continue;
        }
        let p = base.p();
        observed += f64::from(x.followed);
        expected += f64::from(x.days) * p;
        variance += f64::from(x.days) * p * (1.0 - p);
    }
    let z = (observed - expected) / variance.sqrt().max(1e-9);
    (observed, expected, z)
}

/// A day on which a region worth at least [`DECISIVE`] changed hands.
fn decisive(run: &Run, d: usize) -> bool {
    run.captured[d].is_some_and(|v| v >= DECISIVE)
}

/// Asserts that in `scenarios` (`seeds` runs of each) the war's deal is signed within
/// [`WINDOW`] days of a decisive capture far more often than the quiet days' rate of
/// the same war would give: at least 20 times, more than twice as often, z above 4.
fn settlements_follow_decisive_captures(what: &str, scenarios: &[Arc<Compiled>], seeds: u64) {
    let by_war = rates_of(scenarios, seeds, &[&decisive, &quiet]);
    let (observed, expected, z) = against(&by_war, 0, 1);
    eprintln!(
        "{what}: settled within {WINDOW} days of a decisive capture {observed} times, \
         {expected:.1} at the quiet days' rate of each war (z = {z:.1})"
    );
    assert!(observed >= 20.0, "too few to judge: {observed}");
    assert!(
        observed > 2.0 * expected && z > 4.0,
        "after decisive captures {observed} settlements, {expected:.1} expected after \
         quiet days (z = {z:.1})"
    );
}

#[test]
#[ignore = "shown by the 2020 war alone: the other wars open their final texts on the \
            record's dates, and settlements follow the dates, not captures; four of the six \
            records have no decisive capture in the days before their end (docs/validation.md, \
            The regularity in the records themselves)"]
fn a_settlement_follows_a_decisive_capture_far_more_often_than_a_quiet_day() {
    settlements_follow_decisive_captures("the library", &library(), 150);
}

#[test]
fn in_the_record_a_settlement_follows_a_decisive_capture_in_two_wars_of_six() {
    // The regularity in the histories themselves, by the same rule as in the runs: a
    // settlement within WINDOW days after a capture of a region worth DECISIVE. Only
    // Shusha (2020) and Wadi Saluki (Lebanon) are followed so; the other four wars end
    // with no decisive capture in the days before (Donbas's airport fell 22 days before
    // Minsk II). Pooled over the library, the test above rests on 2020 and Lebanon
    // (docs/validation.md, "The regularity in the records themselves").
    let shown: Vec<&str> = WARS
        .iter()
        .copied()
        .filter(|name| {
            let w = war_with_record(name);
            let h = &w.record.history;
            let Some(settled) = h.settlement.as_ref().map(|s| i64::from(s.day)) else {
                return false;
            };
            h.captures.iter().any(|c| {
                value_of(&w.compiled, &c.region) >= DECISIVE
                    && settled > c.day
                    && settled <= c.day + i64::from(WINDOW)
            })
        })
        .collect();
    assert_eq!(shown, ["karabakh-2020", "lebanon-2006"]);
}

#[test]
fn with_every_end_drafted_when_ripe_a_settlement_follows_a_decisive_capture() {
    // The what-if of `--draft-when-ripe`: each war's settlement text, where its
    // scenario opens it on the record's date, is drafted when the war turns ripe. The
    // regularity is then the model's over the library (the scores fall:
    // docs/validation.md, "What the record's dates give").
    let ripe: Vec<Arc<Compiled>> = WARS
        .iter()
        .map(|name| {
            let mut w = war_with_record(name);
            let dated = w.draft_when_ripe();
            assert_eq!(dated, *name != "karabakh-2020", "{name}");
            w.compiled
        })
        .collect();
    settlements_follow_decisive_captures("drafted when ripe", &ripe, 150);
}

#[test]
fn in_the_2020_war_a_settlement_follows_a_decisive_capture() {
    // The war whose end the mechanism was built to explain, and the one whose final
    // text is drafted when the war is ripe: Shusha's fall (and Lachin's) against the
    // quiet days of the same war. Over the library the regularity fails (the test
    // above).
    settlements_follow_decisive_captures("the 2020 war", &[war("karabakh-2020")], 300);
}

#[test]
fn short_spikes_of_violence_alone_do_not_bring_a_settlement() {
    // A spike: a day whose dead are at least twice the run's median day, with nothing
    // taken that day or the next few (so that what follows is the bloodshed alone).
    let spike = |run: &Run, d: usize| {
        let mut sorted: Vec<f64> = run.dead.iter().copied().filter(|&x| x > 0.0).collect();
        sorted.sort_by(f64::total_cmp);
        let median = sorted.get(sorted.len() / 2).copied().unwrap_or(f64::MAX);
        let calm_after = (d..(d + WINDOW as usize + 1).min(run.captured.len()))
            .all(|k| run.captured[k].is_none());
        run.dead[d] >= 2.0 * median && calm_after
    };
    let by_war = rates(150, &[&spike, &quiet]);
    let (observed, expected, z) = against(&by_war, 0, 1);
    eprintln!(
        "settled within {WINDOW} days of a spike: {observed} times, {expected:.1} at the \
         quiet days' rate of each war (z = {z:.1})"
    );
    assert!(
        expected >= 10.0,
        "too few spikes to judge: {expected:.1} expected"
    );
    // No more likely than after a quiet day, beyond the noise.
    assert!(
        z < 3.0,
        "a spike alone brings settlements: {observed} against {expected:.1} (z = {z:.1})"
    );
}

/// Each belligerent's positions on the issues that follow the map, day by day, and
/// the days on which it lost ground.
struct Stances {
    /// Per day, per belligerent (in `sides` order): the mean over map issues of how
    /// far its position has moved toward its enemy's since the start (in the
    /// direction of the enemy's position on day 0).
    conceded: Vec<Vec<f64>>,
    /// Per day, per belligerent: whether it lost a region that day.
    lost: Vec<Vec<bool>>,
}

fn stances(sc: &Arc<Compiled>, seed: u64, sim: &mut Simulation) -> Stances {
    use truce::sim::components::{Actor, Control, Stance};
    let sides: Vec<usize> = sc.belligerents().collect();
    let map: Vec<usize> = (0..sc.issues.len())
        .filter(|&k| sc.issues[k].tracks.is_some())
        .collect();
    sim.reset(seed);
    let read = |sim: &mut Simulation| {
        let world = sim.world_mut();
        let mut q = world.query::<(&Actor, &Stance)>();
        let mut pos = vec![vec![0.0; sc.issues.len()]; sc.actors.len()];
        for (a, s) in q.iter(world) {
            pos[a.ix].clone_from(&s.position);
        }
        let mut q = world.query::<&Control>();
        let holders: Vec<usize> = q.iter(world).map(|c| c.holder).collect();
        (pos, holders)
    };
    let (start, mut holders) = read(sim);
    let (mut conceded, mut lost) = (Vec::new(), Vec::new());
    while sim.step() {
        let (pos, now) = read(sim);
        conceded.push(
            sides
                .iter()
                .map(|&i| {
                    let enemy = sides.iter().copied().find(|&j| j != i).unwrap_or(i);
                    let moves: Vec<f64> = map
                        .iter()
                        .map(|&k| {
                            let toward = (start[enemy][k] - start[i][k]).signum();
                            (pos[i][k] - start[i][k]) * toward
                        })
                        .collect();
                    moves.iter().sum::<f64>() / moves.len().max(1) as f64
                })
                .collect(),
        );
        lost.push(
            sides
                .iter()
                .map(|&i| holders.iter().zip(&now).any(|(&h, &n)| h == i && n != i))
                .collect(),
        );
        holders = now;
    }
    Stances { conceded, lost }
}

#[test]
fn the_losing_side_concedes_after_its_position_worsens() {
    // Over the days after a side loses ground, against the days after it loses none:
    // how far its positions on the map issues move toward its enemy's.
    let (mut after_loss, mut after_none) = ((0.0, 0u32), (0.0, 0u32));
    let mut wars_with_losses = 0;
    for name in WARS {
        let sc = war(name);
        if !sc.issues.iter().any(|i| i.tracks.is_some()) {
            continue;
        }
        let mut sim = Simulation::new(sc.clone(), 0);
        let (mut loss, mut none) = ((0.0, 0u32), (0.0, 0u32));
        for seed in 0..60 {
            let s = stances(&sc, seed, &mut sim);
            let w = WINDOW as usize;
            for d in 1..s.conceded.len().saturating_sub(w) {
                for side in 0..s.lost[d].len() {
                    let moved = s.conceded[d + w][side] - s.conceded[d][side];
                    let slot = if s.lost[d][side] {
                        &mut loss
                    } else {
                        &mut none
                    };
                    slot.0 += moved;
                    slot.1 += 1;
                }
            }
        }
        eprintln!(
            "{name}: moved {:.5} a window after losing ground ({} days), {:.5} after not ({} days)",
            loss.0 / f64::from(loss.1.max(1)),
            loss.1,
            none.0 / f64::from(none.1.max(1)),
            none.1
        );
        if loss.1 > 0 {
            wars_with_losses += 1;
            // Weighed within the war: each war's difference counts by its loss days.
            after_loss.0 += loss.0;
            after_loss.1 += loss.1;
            after_none.0 += f64::from(loss.1) * none.0 / f64::from(none.1.max(1));
            after_none.1 += loss.1;
        }
    }
    assert!(
        wars_with_losses >= 4,
        "only {wars_with_losses} wars lost ground"
    );
    let (moved_loss, moved_none) = (
        after_loss.0 / f64::from(after_loss.1),
        after_none.0 / f64::from(after_none.1),
    );
    eprintln!(
        "moved toward the enemy: {moved_loss:.5} after losing ground, {moved_none:.5} after not"
    );
    assert!(
        moved_loss > 1.5 * moved_none && moved_loss > 0.0,
        "after losing ground {moved_loss:.5}, after not {moved_none:.5}"
    );
}

#[test]
fn the_belief_gap_shrinks_as_the_fighting_goes_on_in_the_bundled_wars() {
    // The bundled wars set no `uncertainty` (their sources do not say how unsure each
    // side was), so their beliefs are points and their gap a constant. Given each
    // belligerent an uncertainty of 0.3 about its strength, the fighting on each
    // war's own map, with its own optimism, should teach both sides the balance.
    let (mut first, mut later, mut wars) = (0.0, 0.0, 0);
    for name in WARS {
        let mut sc = (*war(name)).clone();
        for i in sc.belligerents().collect::<Vec<_>>() {
            sc.actors[i].uncertainty = 0.3;
        }
        let sc = Arc::new(sc);
        let mut sim = Simulation::new(sc, 0);
        let (mut a, mut b, mut runs) = (0.0, 0.0, 0);
        for seed in 0..60 {
            sim.reset(seed);
            for _ in 0..30 {
                if !sim.step() {
                    break;
                }
            }
            let days = &sim.world().resource::<Record>().days;
            if days.len() < 30 {
                continue;
            }
            a += days[0].belief_gap.abs();
            b += days[29].belief_gap.abs();
            runs += 1;
        }
        eprintln!(
            "{name}: |gap| {:.3} on day 1, {:.3} on day 30 ({runs} runs lasted 30 days)",
            a / f64::from(runs.max(1)),
            b / f64::from(runs.max(1))
        );
        // A war whose sides start near the truth, or that ends within days, has
        // nothing to show.
        if runs < 20 || a / f64::from(runs) < 0.05 {
            continue;
        }
        assert!(b < a, "{name}: the gap grew, {a} → {b}");
        first += a / f64::from(runs);
        later += b / f64::from(runs);
        wars += 1;
    }
    assert!(wars >= 3, "only {wars} wars with a gap to close");
    assert!(
        later < 0.7 * first,
        "mean gap {first:.3} on day 1, {later:.3} on day 30, over {wars} wars"
    );
}

#[test]
fn a_change_of_leader_is_followed_by_a_settlement_in_the_2020_war() {
    // Only the 2020 war declares each government's support, so only there can a
    // leader fall. Within a week of a change of leader (while the war is on), how
    // often was the deal that ended the war signed, against the days of war at large?
    use truce::sim::components::HomeTurn;
    const WEEK: u32 = 7;
    let sc = war("karabakh-2020");
    let mut sim = Simulation::new(sc, 0);
    let (mut changes, mut after) = (0u32, 0u32);
    let (mut days, mut any) = (0u32, 0u32);
    let signed_within =
        |settled: Option<u32>, d: u32| settled.is_some_and(|s| s > d && s <= d + WEEK);
    for seed in 0..2000 {
        sim.reset(seed);
        let o = sim.run_to_end();
        let settled = o
            .agreements
            .iter()
            .find(|a| a.durable)
            .map(|a| a.signed_day);
        let end = settled.unwrap_or(o.end_day);
        for h in &o.home {
            if h.event == HomeTurn::LeaderChange && h.day < end {
                changes += 1;
                after += u32::from(signed_within(settled, h.day));
            }
        }
        // A day too near the end of a war that did not settle has no week to watch.
        let watched = if settled.is_some() {
            end
        } else {
            end.saturating_sub(WEEK)
        };
        for d in 0..watched {
            days += 1;
            any += u32::from(signed_within(settled, d));
        }
    }
    let p = f64::from(any) / f64::from(days);
    let expected = f64::from(changes) * p;
    let z = (f64::from(after) - expected) / (expected * (1.0 - p)).sqrt();
    eprintln!(
        "settled within {WEEK} days of a change of leader: {after} of {changes}, {expected:.1} \
         at the rate of any day of war ({p:.3}; z = {z:.1})"
    );
    assert!(
        changes >= 20,
        "too few changes of leader to judge: {changes}"
    );
    assert!(
        f64::from(after) > 2.0 * expected && z > 3.0,
        "after a change of leader {after} settlements, {expected:.1} expected (z = {z:.1})"
    );
}
