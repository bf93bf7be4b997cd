//! Shifts in power a side can see coming: the scenario's scheduled reinforcements and
//! withdrawals (`Troops` effects) and patrons stepping their help up or down
//! (`Commitment` effects), from events that will fire, or may, before the middle of
//! the horizon. With `commitment_weight` above 0 they add to each side's trend
//! (assessment.rs), so a side whose reinforcements or patron are on the way holds out
//! as a side whose power is already rising does.
//!
//! A side foresees an event whose timing it knows: a dated one, or one with a daily
//! chance whose condition asks no more than that the war go on (`AtWar`,
//! `DayAtLeast`, or all of those). An event that waits on the map, the dead or a
//! signature is not foreseen: nobody knows when it will come.

use super::combat::Forces;
use crate::scenario::Compiled;
use crate::scenario::compiled::{Condition, Effect};

/// Adds to `trend` (by actor: the expected relative change in power by the middle of
/// the horizon) the foreseen shifts of the events not yet fired, each weighed by its
/// chance of firing in the days from tomorrow to the middle of the horizon.
pub fn foreseen_into(sc: &Compiled, day: u32, fired: &[bool], forces: &Forces, trend: &mut [f64]) {
    let last = day + (0.5 * sc.model.horizon).round() as u32;
    for (i, ev) in sc.events.iter().enumerate() {
        if fired.get(i).copied().unwrap_or(false) && !ev.repeat {
            continue;
        }
        let Some(from) = ev.when.as_ref().map_or(Some(0), earliest) else {
            continue;
        };
        let expected = match ev.day {
            Some(d) if d > day && d <= last && d >= from => ev.chance,
            Some(_) => 0.0,
            None => {
                let days = last.saturating_sub(day.max(from.saturating_sub(1)));
                if ev.repeat {
                    ev.chance * f64::from(days)
                } else {
                    1.0 - (1.0 - ev.chance).powi(days as i32)
                }
            }
        };
        if expected <= 0.0 {
            continue;
        }
        for effect in &ev.effects {
            match *effect {
                Effect::Troops(a, n) => {
                    if let Some(army) = &forces.army[a]
                        && army.troops > 0.0
                    {
                        trend[a] += expected * n.max(-army.troops) / army.troops;
                    }
                }
                Effect::Commitment(p, d) => forces.commitment_shift(sc, p, d, expected, trend),
                _ => {}
            }
        }
    }
}

/// The first day on which a condition that asks only that the war go on can hold;
/// `None` for a condition on anything a side cannot foresee.
fn earliest(c: &Condition) -> Option<u32> {
    match c {
        Condition::AtWar => Some(0),
        Condition::DayAtLeast(d) => Some(*d),
        Condition::All(list) => list.iter().try_fold(0, |at, c| Some(at.max(earliest(c)?))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::components::{Actor, Army, Patron};

    fn forces(sc: &Compiled) -> Forces {
        let army = crate::sim::testkit::army(10_000.0);
        let actors: Vec<Actor> = (0..sc.actors.len()).map(|ix| Actor { ix }).collect();
        let armies: Vec<(&Actor, &Army)> = sc.belligerents().map(|a| (&actors[a], &army)).collect();
        let patron = Patron {
            military: 0.8,
            commitment: 0.2,
        };
        let patrons: Vec<(&Actor, &Patron)> = (0..sc.actors.len())
            .filter(|&a| !sc.actors[a].clients.is_empty())
            .map(|a| (&actors[a], &patron))
            .collect();
        let mut f = Forces::default();
        f.read(sc, armies.into_iter(), patrons.into_iter());
        f
    }

    /// The tiny war with a patron of blue's and `events` added.
    fn with_events(events: &str) -> std::sync::Arc<Compiled> {
        crate::sim::testkit::tiny_with(|t| {
            let t = t.replacen(
                "    ],\n    relations:",
                r#"        Actor(id: "sponsor", name: "Sponsor", role: Patron, side: Some("blue"),
              capability: (military: 0.8, economic: 0.5, diplomatic: 0.5), commitment: 0.2),
    ],
    relations:"#,
                1,
            );
            let at = t.rfind(')').unwrap();
            format!("{}    events: [{events}],\n)", &t[..at])
        })
    }

    #[test]
    fn scheduled_reinforcements_and_a_patron_stepping_up_are_foreseen() {
        let sc = with_events(
            r#"
        Event(id: "call-up", news: "red calls up its reserves", day: Some(5),
              effects: [Troops("red", 5000)]),
        Event(id: "arms", news: "the sponsor sends arms", when: Some(All([AtWar, DayAtLeast(3)])),
              chance: 0.1, effects: [Commitment("sponsor", 0.3)]),
        Event(id: "rumour", news: "red's line is said to waver", when: Some(Held("r2", "blue")),
              chance: 0.5, effects: [Troops("red", -5000)]),
        "#,
        );
        let (red, blue) = (sc.actor_ix("red").unwrap(), sc.actor_ix("blue").unwrap());
        let f = forces(&sc);
        let fired = vec![false; sc.events.len()];
        let mut trend = vec![0.0; sc.actors.len()];
        foreseen_into(&sc, 0, &fired, &f, &mut trend);
        // Half red's troops again, for certain; the rumour waits on the map.
        assert!((trend[red] - 0.5).abs() < 1e-12, "{trend:?}");
        // Blue's patron steps up by 0.3 with the chance the event fires in time.
        let days = (0.5 * sc.model.horizon).round() as i32 - 2;
        let p = 1.0 - 0.9_f64.powi(days);
        let bonus = sc.model.patron_weight * 0.8 * 0.2;
        let lift = sc.model.patron_weight * 0.8 * 0.3 / (1.0 + bonus);
        assert!((trend[blue] - p * lift).abs() < 1e-12, "{trend:?}");
        // Once the call-up is past and the arms have come, nothing more is foreseen.
        let mut trend = vec![0.0; sc.actors.len()];
        foreseen_into(&sc, 5, &[true, true, false], &f, &mut trend);
        assert_eq!(trend, vec![0.0; sc.actors.len()]);
    }
}
