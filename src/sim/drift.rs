//! Stance drift: positions move toward those of actors with influence over their
//! holder (the spatial model's persuasion step), and a belligerent losing ground
//! slowly concedes on the issues that follow the map: toward the war's likely outcome
//! while it expects to lose (`realism_rate`), and toward the map as it stands on a day
//! the map moved against it (`aspiration_rate`: aspirations adapt to failure).

use crate::scenario::compiled::{ActorIx, Tracks};

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
            if let Some(t) = &issue.tracks {
                if losing {
                    next += m.realism_rate * flex * (outlook.war_point[k] - pos);
                }
                if m.aspiration_rate > 0.0 && is_belligerent && failed(t, i, &situation, k) {
                    next += m.aspiration_rate * flex * (situation.now[k] - pos);
                }
            }
            stance.position[k] = next.clamp(0.0, 1.0);
        }
    }
}

/// Whether map issue `k` (tracking `t`) moved against belligerent `i` since the
/// previous day: the tracked camp's share fell where `i` is in it, rose where not.
fn failed(t: &Tracks, i: ActorIx, situation: &Situation, k: usize) -> bool {
    let Some(&before) = situation.yesterday.get(k) else {
        return false;
    };
    let moved = situation.now[k] - before;
    if t.counts(i) {
        moved < -1e-12
    } else {
        moved > 1e-12
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_side_fails_where_the_map_moved_against_it() {
        let sc = crate::sim::testkit::tiny();
        let t = sc.issues[0].tracks.as_ref().expect("land follows the map");
        let (red, blue) = (sc.actor_ix("red").unwrap(), sc.actor_ix("blue").unwrap());
        let at = |yesterday: Vec<f64>, now: f64| Situation {
            now: vec![now, 0.0],
            yesterday,
            ..Situation::default()
        };
        // Blue's share of the land rose: red failed, blue did not.
        let rose = at(vec![0.4, 0.0], 0.6);
        assert!(failed(t, red, &rose, 0) && !failed(t, blue, &rose, 0));
        // It fell: blue failed.
        let fell = at(vec![0.6, 0.0], 0.4);
        assert!(failed(t, blue, &fell, 0) && !failed(t, red, &fell, 0));
        // Nothing moved, or the first day (no yesterday): nobody failed.
        let still = at(vec![0.5, 0.0], 0.5);
        assert!(!failed(t, red, &still, 0) && !failed(t, blue, &still, 0));
        assert!(!failed(t, red, &at(vec![], 0.6), 0));
    }
}
