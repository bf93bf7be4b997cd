//! Record: the day's figures, kept for charts, summaries and event conditions.

use bevy::prelude::*;

use super::assessment::share;
use super::components::*;
use super::{Phase, Turn};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Turn::Close,
        record
            .run_if(|chronicle: Res<Chronicle>| !chronicle.is_quiet())
            .in_set(Phase::Record),
    );
}

#[allow(clippy::too_many_arguments)]
fn record(
    scenario: Res<ScenarioRes>,
    clock: Res<Clock>,
    roster: Res<Roster>,
    situation: Res<Situation>,
    toll: Res<Toll>,
    mut record: ResMut<Record>,
    armies: Query<&Army>,
    outlooks: Query<&Outlook>,
    agreements: Query<&Agreement>,
    homes: Query<&Home>,
) {
    let sc = &*scenario.0;
    // Kept current by the assessment and by transfers on signing.
    let holders = &situation.holders;
    let mut control = vec![0.0; sc.actors.len()];
    let mut military_dead = vec![0.0; sc.actors.len()];
    let mut batna = vec![0.0; sc.actors.len()];
    let mut support = vec![None; sc.actors.len()];
    let mut capital_risk = vec![None; sc.actors.len()];
    for (a, &e) in roster.actors.iter().enumerate() {
        let outlook = outlooks.get(e).ok();
        if let Some(outlook) = outlook {
            batna[a] = outlook.batna;
        }
        support[a] = homes.get(e).ok().map(|h| h.support);
        if let Ok(army) = armies.get(e) {
            control[a] = share(&sc.values, holders, a);
            military_dead[a] = army.dead;
            if army.capital.is_some() {
                capital_risk[a] = Some(outlook.map_or(0.0, |o| o.capital_risk));
            }
        }
    }
    record.days.push(DayRecord {
        day: clock.day,
        control,
        military_dead,
        civilian_dead: toll.civilian_dead,
        displaced: toll.displaced,
        truce_in_force: agreements.iter().any(Agreement::in_force),
        ripeness: situation.ripeness,
        precipice: situation.precipice,
        belief: situation.belief.clone(),
        belief_gap: situation.belief_gap,
        batna,
        support,
        capital_risk,
    });
}
