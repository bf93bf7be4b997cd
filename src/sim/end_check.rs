//! End check: a run ends when an agreement has held long enough to count as durable,
//! when a side capitulates (its capital lost or its army broken), or at the time
//! limit; otherwise the clock moves to the next day.

use bevy::prelude::*;

use super::components::*;
use super::diplomacy::{and_list, party_names};
use super::{Phase, Turn};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Turn::Close, check.in_set(Phase::EndCheck));
}

fn check(
    scenario: Res<ScenarioRes>,
    roster: Res<Roster>,
    mut clock: ResMut<Clock>,
    mut chronicle: ResMut<Chronicle>,
    armies: Query<(&Actor, &Army)>,
    regions: Query<&Control>,
    mut agreements: Query<&mut Agreement>,
) {
    let sc = &*scenario.0;
    let m = &sc.model;
    let day = clock.day;
    let mut durable = None;
    for mut ag in &mut agreements {
        if ag.in_force() && day - ag.signed_day >= m.durable_days && !ag.durable {
            ag.durable = true;
            durable = Some((ag.signed_day, ag.terms.clone(), ag.broker));
        }
    }
    if let Some((signed, terms, broker)) = durable {
        chronicle.tell(day, || {
            let names = party_names(sc, &terms);
            (
                sc.actors[broker].seat.clone(),
                format!(
                    "the {} signed on {} has held for {} days; {} turn to its implementation",
                    terms.name,
                    clock.start.plus_days(i64::from(signed)),
                    day - signed,
                    and_list(&names)
                ),
            )
        });
        clock.end = Some(EndReason::DurableAgreement);
        return;
    }
    for &e in &roster.actors {
        let Ok((actor, army)) = armies.get(e) else {
            continue;
        };
        let capital_lost = army.capital.is_some_and(|r| {
            regions
                .get(roster.regions[r])
                .is_ok_and(|c| c.holder != actor.ix)
        });
        let at_war = !agreements
            .iter()
            .any(|a| a.in_force() && a.terms.parties.contains(&actor.ix));
        if capital_lost || (at_war && army.morale <= m.capitulation_morale) {
            chronicle.tell(day, || {
                let who = &sc.actors[actor.ix];
                let why = if capital_lost {
                    format!(
                        "after the fall of {}",
                        sc.regions[army.capital.unwrap_or(0)].name
                    )
                } else {
                    "as its army breaks".to_string()
                };
                (who.seat.clone(), format!("{} capitulates {why}", who.name))
            });
            clock.end = Some(EndReason::Capitulation);
            clock.loser = Some(actor.ix);
            return;
        }
    }
    if day + 1 >= sc.max_turns {
        clock.end = Some(EndReason::TimeLimit);
        return;
    }
    clock.day += 1;
}
