//! Stance drift: positions move toward those of actors with influence over their
//! holder (the spatial model's persuasion step), and a belligerent losing ground
//! slowly concedes on the issues that follow the map.

use bevy::prelude::*;

use super::components::*;
use super::{Phase, Turn};
use crate::policy::utility;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Turn, drift.in_set(Phase::Drift));
}

fn drift(
    scenario: Res<ScenarioRes>,
    roster: Res<Roster>,
    relations: Res<Relations>,
    situation: Res<Situation>,
    mut actors: Query<(&Actor, &mut Stance, &Outlook, Has<Army>)>,
) {
    let sc = &*scenario.0;
    let m = &sc.model;
    let before: Vec<(Vec<f64>, Vec<f64>)> = roster
        .actors
        .iter()
        .map(|&e| {
            let (_, s, _, _) = actors.get(e).expect("every actor has a stance");
            (s.position.clone(), s.salience.clone())
        })
        .collect();
    for &e in &roster.actors {
        let Ok((actor, mut stance, outlook, is_belligerent)) = actors.get_mut(e) else {
            continue;
        };
        let i = actor.ix;
        let losing = is_belligerent
            && utility(&stance.position, &stance.salience, &outlook.war_point)
                < utility(&stance.position, &stance.salience, &situation.now);
        for (k, issue) in sc.issues.iter().enumerate() {
            let flex = stance.flexibility[k];
            let pos = stance.position[k];
            let pull: f64 = (0..sc.actors.len())
                .filter(|&j| j != i && before[j].1[k] > 0.0)
                .map(|j| relations.influence[j][i] * before[j].1[k] * (before[j].0[k] - pos))
                .sum();
            let mut next = pos + m.drift_rate * flex * pull;
            if issue.tracks.is_some() && losing {
                next += m.realism_rate * flex * (outlook.war_point[k] - pos);
            }
            stance.position[k] = next.clamp(0.0, 1.0);
        }
    }
}
