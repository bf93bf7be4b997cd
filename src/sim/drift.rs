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
    mut pull: Local<Vec<f64>>,
) {
    let sc = &*scenario.0;
    let m = &sc.model;
    // Everyone is pulled toward the stances of the morning (as gathered in `Minds`,
    // which nothing has changed since), not toward stances already moved today.
    let before = &minds.stance;
    for (actor, mut stance, outlook, is_belligerent) in &mut actors {
        let i = actor.ix;
        let stance = &mut *stance;
        let losing = is_belligerent
            && utility(&stance.position, &stance.salience, &outlook.war_point)
                < utility(&stance.position, &stance.salience, &situation.now);
        // The pull on each issue, summed over those with influence over the actor in
        // actor order; the others add nothing.
        pull.clear();
        pull.resize(sc.issues.len(), -0.0);
        for (j, other) in before.iter().enumerate() {
            let influence = relations.influence[j][i];
            if j == i || influence == 0.0 {
                continue;
            }
            let issues = pull.iter_mut().zip(&other.salience).zip(&other.position);
            for (((pull, &salience), &theirs), &mine) in issues.zip(&stance.position) {
                if salience > 0.0 {
                    *pull += influence * salience * (theirs - mine);
                }
            }
        }
        for (k, issue) in sc.issues.iter().enumerate() {
            let flex = stance.flexibility[k];
            let pos = stance.position[k];
            let mut next = pos + m.drift_rate * flex * pull[k];
            if issue.tracks.is_some() && losing {
                next += m.realism_rate * flex * (outlook.war_point[k] - pos);
            }
            stance.position[k] = next.clamp(0.0, 1.0);
        }
    }
}
