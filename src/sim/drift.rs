//! Stance drift: positions move toward those of actors with influence over their
//! holder (the spatial model's persuasion step), and a belligerent losing ground
//! slowly concedes on the issues that follow the map.

use bevy::prelude::*;

use super::components::*;
use super::responses::Minds;
use super::{Phase, Turn};
use crate::policy::utility;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Turn::Close, drift.in_set(Phase::Drift));
}

fn drift(
    scenario: Res<ScenarioRes>,
    relations: Res<Relations>,
    situation: Res<Situation>,
    minds: Res<Minds>,
    mut actors: Query<(&Actor, &mut Stance, &Outlook, Has<Army>)>,
) {
    let sc = &*scenario.0;
    let m = &sc.model;
    // Everyone is pulled toward the stances of the morning (as gathered in `Minds`,
    // which nothing has changed since), not toward stances already moved today.
    let before = &minds.stance;
    for (actor, mut stance, outlook, is_belligerent) in &mut actors {
        let i = actor.ix;
        let losing = is_belligerent
            && utility(&stance.position, &stance.salience, &outlook.war_point)
                < utility(&stance.position, &stance.salience, &situation.now);
        for (k, issue) in sc.issues.iter().enumerate() {
            let flex = stance.flexibility[k];
            let pos = stance.position[k];
            let pull: f64 = (0..sc.actors.len())
                .filter(|&j| j != i && before[j].salience[k] > 0.0)
                .map(|j| {
                    relations.influence[j][i]
                        * before[j].salience[k]
                        * (before[j].position[k] - pos)
                })
                .sum();
            let mut next = pos + m.drift_rate * flex * pull;
            if issue.tracks.is_some() && losing {
                next += m.realism_rate * flex * (outlook.war_point[k] - pos);
            }
            stance.position[k] = next.clamp(0.0, 1.0);
        }
    }
}
