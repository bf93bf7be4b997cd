//! What both front-ends show, worked out once: the war's figures, an actor's state,
//! and the reasons behind a party's odds of signing.

use bevy::prelude::*;

use crate::policy::Acceptance;
use crate::scenario::Compiled;
use crate::scenario::compiled::{ActorIx, RegionIx, Role};
use crate::sim::Simulation;
use crate::sim::components::{
    Agreement, Army, Belief, Disposition, Home, InPrinciple, Mediator, Outlook, Record, Roster,
    Stance,
};
use crate::sim::diplomacy::and_list;

pub fn role(r: Role) -> &'static str {
    match r {
        Role::Belligerent => "belligerent",
        Role::Mediator => "mediator",
        Role::Patron => "patron",
        Role::Observer => "observer",
    }
}

/// The reasons behind a party's decision, in the order they add up.
pub fn reasons(a: &Acceptance) -> Vec<(&'static str, f64)> {
    vec![
        ("terms", a.utility),
        ("fighting on (BATNA)", a.batna),
        ("binding", a.binding),
        ("cost at home", a.audience),
        ("signing with the enemy", a.signing_cost),
        ("incentives and pressure", a.incentives),
        ("lobbying", a.lobbying),
        ("trust", a.trust),
    ]
}

/// "62% (terms 0.71 vs war 0.55, binding 0.30, home −0.02, sign −0.05, incentives +0.03)".
pub fn odds_text(a: &Acceptance) -> String {
    format!(
        "{:>3.0}%  (terms {:.2} vs war {:.2}, binding {:.2}, home cost {:.2}, signing {:.2}, incentives {:+.2}, lobbying {:+.2}, trust {:+.2})",
        100.0 * a.probability,
        a.utility,
        a.batna,
        a.binding,
        a.audience,
        a.signing_cost,
        a.incentives,
        a.lobbying,
        a.trust
    )
}

/// What stands behind a belligerent's war outlook, beside its odds: the factor it
/// reckons its power by (where it is not the truth), the chance it fears for its
/// capital (where an enemy can strike it) and its government's support at home
/// (where the scenario has it). `None` when there is nothing to say.
pub fn outlook_text(sc: &Compiled, a: &ActorView) -> Option<String> {
    let mut parts = Vec::new();
    if let Some((mean, spread)) = a.belief
        && ((mean - 1.0).abs() > 0.005 || spread > 0.005)
    {
        parts.push(format!("reckons its power {}", belief_text(mean, spread)));
    }
    parts.extend(capital_text(sc, a));
    parts.extend(fall_text(sc, a));
    if let Some((support, leaders)) = a.home {
        parts.push(support_text(sc, support, leaders));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// "its outlook fell 0.12 in 3 days: the war is ripe for a text": a belligerent's
/// precipice, where its fall is enough to make the war `Ripe`; `None` otherwise.
pub fn fall_text(sc: &Compiled, a: &ActorView) -> Option<String> {
    // Only a belligerent's outlook falls: the others' `fall` stays 0.
    (a.fall > 0.0 && a.fall >= sc.model.precipice).then(|| {
        format!(
            "its outlook fell {:.2} in {} days: the war is ripe for a text",
            a.fall, sc.model.precipice_days
        )
    })
}

/// "fears losing Stepanakert within 14 days: 13%": the chance a belligerent reckons
/// its capital falls within its horizon; `None` while it is (almost) none.
pub fn capital_text(sc: &Compiled, a: &ActorView) -> Option<String> {
    let (capital, risk) = a.capital_risk?;
    (risk >= 0.005).then(|| {
        format!(
            "fears losing {} within {} days: {:.0}%",
            sc.regions[capital].name,
            sc.model.horizon,
            100.0 * risk
        )
    })
}

/// One actor as the panels show it.
#[derive(Debug, Clone)]
pub struct ActorView {
    pub ix: ActorIx,
    pub name: String,
    pub role: &'static str,
    pub leader: String,
    pub military: f64,
    pub economic: f64,
    pub diplomatic: f64,
    /// Position and salience on each issue.
    pub stance: Vec<(f64, f64)>,
    pub batna: f64,
    pub hurt: f64,
    /// For a belligerent: how far its BATNA fell from its best of the last
    /// `precipice_days` days (the precipice).
    pub fall: f64,
    pub resolve: f64,
    pub pressure: f64,
    /// Troops, morale and dead, for belligerents.
    pub army: Option<(f64, f64, f64)>,
    /// Exhaustion: how far morale has fallen from where it started, in [0, 1].
    pub exhaustion: f64,
    /// For belligerents, the factor it expects on its own power and how unsure it is
    /// (its standard deviation): what it believes of the balance, the truth being 1.
    pub belief: Option<(f64, f64)>,
    /// For a belligerent whose scenario declares it: its government's support at home
    /// and how many times its leader has changed.
    pub home: Option<(f64, u32)>,
    /// For a belligerent with a capital: the capital and the chance it reckons it
    /// falls within the horizon.
    pub capital_risk: Option<(RegionIx, f64)>,
    pub leverage: Option<f64>,
    /// For a belligerent: the regions its enemies hold that it aims to take today
    /// (its `aims`, or what its stances on the map issues ask for), in scenario order.
    /// For an enemy of the player's belligerent, what its stances claim instead: its
    /// plan is its own (the player's side projects the war with the claims too).
    pub aims: Vec<RegionIx>,
    /// Whether `aims` are the belligerent's claims rather than its plan.
    pub claimed: bool,
}

pub fn actors(sim: &Simulation) -> Vec<ActorView> {
    let w = sim.world();
    let sc = &**sim.scenario();
    let roster = w.resource::<Roster>();
    let war_aims = w.resource::<crate::sim::components::WarAims>();
    let holders: Vec<ActorIx> = sim.control().iter().map(|c| c.holder).collect();
    let shares = crate::sim::aims::map_shares(sc, &holders);
    // A belligerent's player knows its own camp's plans and its enemies' claims.
    let seat = w
        .resource::<crate::sim::player::Seats>()
        .player
        .filter(|&p| sc.actors[p].role == Role::Belligerent);
    let claimed = |a: ActorIx| {
        seat.is_some_and(|p| sc.hostile(a, p)) && sc.actors[a].role == Role::Belligerent
    };
    let aims = |a: ActorIx| -> Vec<RegionIx> {
        if sc.actors[a].role != Role::Belligerent {
            return vec![];
        }
        (0..sc.regions.len())
            .filter(|&r| sc.hostile(a, holders[r]) && sc.regions[r].contestable)
            .filter(|&r| {
                if claimed(a) {
                    crate::sim::aims::claimed(sc, &holders, &shares, a, r)
                } else {
                    crate::sim::aims::in_aims(sc, war_aims, &holders, &shares, a, r)
                }
            })
            .collect()
    };
    sc.actors
        .iter()
        .enumerate()
        .map(|(ix, a)| {
            let e = roster.actors[ix];
            let stance = w.get::<Stance>(e);
            let outlook = w.get::<Outlook>(e);
            let disp = w.get::<Disposition>(e);
            let army = w.get::<Army>(e);
            ActorView {
                ix,
                name: a.name.clone(),
                role: role(a.role),
                leader: a.leader.clone(),
                military: a.capability.military,
                economic: a.capability.economic,
                diplomatic: a.capability.diplomatic,
                stance: stance.map_or_else(Vec::new, |s| {
                    s.position
                        .iter()
                        .copied()
                        .zip(s.salience.iter().copied())
                        .collect()
                }),
                batna: outlook.map_or(0.0, |o| o.batna),
                hurt: outlook.map_or(0.0, |o| o.hurt),
                fall: outlook.map_or(0.0, |o| o.fall),
                resolve: disp.map_or(0.0, |d| d.resolve),
                pressure: disp.map_or(0.0, |d| d.pressure),
                army: army.map(|a| (a.troops, a.morale, a.dead)),
                exhaustion: army.map_or(0.0, |a| {
                    (1.0 - a.morale / a.initial_morale.max(1e-9)).clamp(0.0, 1.0)
                }),
                leverage: w.get::<Mediator>(e).map(|m| m.leverage),
                belief: w.get::<Belief>(e).map(|b| (b.mean(), b.spread())),
                home: w.get::<Home>(e).map(|h| (h.support, h.leaders)),
                capital_risk: army
                    .and_then(|a| a.capital)
                    .map(|c| (c, outlook.map_or(0.0, |o| o.capital_risk))),
                aims: aims(ix),
                claimed: claimed(ix),
            }
        })
        .collect()
}

/// Whom an actor fights beside and who backs it (a belligerent), or whom it backs (a
/// patron): "fights beside the LPR; backed by Russia (71%)". `None` for an actor
/// alone with no patron.
pub fn alignment_text(sc: &Compiled, a: ActorIx) -> Option<String> {
    let name = |b: ActorIx| sc.actors[b].name.clone();
    let mut parts = Vec::new();
    match sc.actors[a].role {
        Role::Belligerent => {
            let allies: Vec<String> = sc
                .belligerents()
                .filter(|&b| b != a && sc.camp(b) == sc.camp(a))
                .map(name)
                .collect();
            if !allies.is_empty() {
                let lead = if sc.leads(a) {
                    "leads a coalition with"
                } else {
                    "fights beside"
                };
                parts.push(format!("{lead} {}", and_list(&allies)));
            }
            let patrons: Vec<String> = (0..sc.actors.len())
                .filter_map(|p| {
                    let &(_, share) = sc.actors[p].clients.iter().find(|c| c.0 == a)?;
                    Some(if share < 1.0 {
                        format!("{} ({:.0}% of its help)", name(p), 100.0 * share)
                    } else {
                        name(p)
                    })
                })
                .collect();
            if !patrons.is_empty() {
                parts.push(format!("backed by {}", and_list(&patrons)));
            }
        }
        Role::Patron => {
            let clients = &sc.actors[a].clients;
            let list: Vec<String> = clients
                .iter()
                .map(|&(c, share)| {
                    if clients.len() > 1 {
                        format!("{} ({:.0}%)", name(c), 100.0 * share)
                    } else {
                        name(c)
                    }
                })
                .collect();
            if !list.is_empty() {
                parts.push(format!("backs {}", and_list(&list)));
            }
        }
        _ => {}
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// "aims at 5 regions: Lachin, Shusha, …, and 3 more": the enemy-held regions a
/// belligerent wants today ("claims …" where the player sees only its claims), the
/// first few by name (names may hold an "and", so the
/// list has none of its own). `None` when it wants none.
pub fn aims_text(sc: &Compiled, a: &ActorView) -> Option<String> {
    const NAMED: usize = 6;
    if a.aims.is_empty() {
        return None;
    }
    let mut names: Vec<String> = a
        .aims
        .iter()
        .take(NAMED)
        .map(|&r| sc.regions[r].name.clone())
        .collect();
    if a.aims.len() > NAMED {
        names.push(format!("and {} more", a.aims.len() - NAMED));
    }
    let verb = if a.claimed { "claims" } else { "aims at" };
    Some(match a.aims.len() {
        1 => format!("{verb} {}", names[0]),
        n => format!("{verb} {n} regions: {}", names.join(", ")),
    })
}

/// The sides of the war, a line for each belligerent: whom it fights beside, who
/// backs it, and what it aims to take; for `play --text`'s `sides`.
pub fn sides_lines(sc: &Compiled, actors: &[ActorView]) -> Vec<String> {
    let mut out = Vec::new();
    for a in actors.iter().filter(|a| a.role == "belligerent") {
        let mut parts: Vec<String> = alignment_text(sc, a.ix).into_iter().collect();
        parts.extend(aims_text(sc, a));
        if parts.is_empty() {
            parts.push("fights alone and takes nothing more".into());
        }
        out.push(format!(
            "  {}: {}",
            crate::sim::outcome::capitalise(&a.name),
            parts.join("; ")
        ));
    }
    out
}

/// The texts that bind the parties today, and those agreed in principle that wait
/// for their signature, each as one line for the status and the table.
pub fn in_force(sim: &mut Simulation) -> Vec<String> {
    let sc = sim.scenario().clone();
    let day = sim.clock().day;
    let world = sim.world_mut();
    let mut signed: Vec<&Agreement> = Vec::new();
    let mut q = world.query::<&Agreement>();
    signed.extend(q.iter(world).filter(|a| a.in_force()));
    signed.sort_by_key(|a| (a.signed_day, a.origin));
    let mut out: Vec<String> = signed.iter().map(|a| in_force_line(&sc, day, a)).collect();
    let mut agreed: Vec<&InPrinciple> = world.query::<&InPrinciple>().iter(world).collect();
    agreed.sort_by_key(|t| (t.agreed_day, t.origin));
    out.extend(agreed.iter().map(|t| {
        format!(
            "Agreed in principle: the {} ({}, day {}), to be signed on day {}",
            t.terms.name,
            sc.actors[t.broker].name,
            t.agreed_day,
            t.signing_day()
        )
    }));
    out
}

/// "In force: the truce (Russia, day 3, protection 0.62); peacekeepers 40% deployed;
/// to hand over: Aghdam to Azerbaijan on day 13".
fn in_force_line(sc: &Compiled, day: u32, a: &Agreement) -> String {
    let mut line = format!(
        "In force: the {} ({}, day {}, protection {:.2})",
        a.terms.name, sc.actors[a.broker].name, a.signed_day, a.protection
    );
    let p = &a.terms.provisions;
    let share = crate::policy::deployed(p, day.saturating_sub(a.signed_day));
    if share < 1.0 && (p.peacekeepers.is_some() || p.monitoring > 0.0) {
        let who = if p.peacekeepers.is_some() {
            "peacekeepers"
        } else {
            "monitors"
        };
        line.push_str(&format!("; {who} {:.0}% deployed", 100.0 * share));
    }
    let due: Vec<String> = a
        .handovers
        .iter()
        .filter(|h| h.done.is_none())
        .map(|h| {
            format!(
                "{} to {} on day {}",
                sc.regions[h.region].name, sc.actors[h.to].name, h.due
            )
        })
        .collect();
    if !due.is_empty() {
        line.push_str(&format!("; to hand over: {}", due.join(", ")));
    }
    line
}

/// "Day 5 · 2020-10-14 · day 18 of the war": the day of the run, its date, and how
/// long the war has lasted when it began before the scenario.
pub fn day_label(sc: &Compiled, day: u32) -> String {
    let date = sc.start.plus_days(i64::from(day));
    let mut label = format!("Day {day} · {date}");
    if let Some(began) = sc.war_began {
        let of_war = began.days_until(date) + 1;
        label.push_str(&format!(" · day {of_war} of the war"));
    }
    label
}

/// The war's figures by actor index: ground held, military dead; and civilians
/// dead and people displaced. Before the first day, as the scenario starts it.
pub struct WarFigures {
    pub control: Vec<f64>,
    pub military_dead: Vec<f64>,
    pub civilians: f64,
    pub displaced: f64,
}

pub fn war_figures(sim: &Simulation) -> WarFigures {
    let sc: &Compiled = sim.scenario();
    match sim.world().resource::<Record>().days.last() {
        Some(last) => WarFigures {
            control: last.control.clone(),
            military_dead: last.military_dead.clone(),
            civilians: last.civilian_dead,
            displaced: last.displaced,
        },
        None => {
            let holders: Vec<ActorIx> = sc.regions.iter().map(|r| r.controller).collect();
            let share = |a| crate::sim::assessment::share(&sc.values, &holders, a);
            WarFigures {
                control: (0..sc.actors.len()).map(share).collect(),
                military_dead: sc.actors.iter().map(|a| a.military_dead).collect(),
                civilians: sc.civilian_dead,
                displaced: sc.displaced,
            }
        }
    }
}

/// The war in one line: ground held, dead, displaced.
pub fn war_line(sim: &Simulation) -> String {
    let sc: &Compiled = sim.scenario();
    let f = war_figures(sim);
    let thousands = |x: f64| crate::sim::combat::thousands(x.round() as i64);
    let ground: Vec<String> = sc
        .belligerents()
        .map(|a| format!("{} {:.0}%", sc.actors[a].name, 100.0 * f.control[a]))
        .collect();
    let dead: Vec<String> = sc
        .belligerents()
        .map(|a| format!("{} {}", sc.actors[a].name, thousands(f.military_dead[a])))
        .collect();
    format!(
        "Ground held: {}. Military dead: {}; civilians {}; displaced {}.",
        ground.join(", "),
        dead.join(", "),
        thousands(f.civilians),
        thousands(f.displaced)
    )
}

/// Every agreement signed so far: (name, signed day, still in force), by day.
pub fn signed(sim: &mut Simulation) -> Vec<(String, u32, bool)> {
    let world = sim.world_mut();
    let mut q = world.query::<&Agreement>();
    let mut out: Vec<_> = q
        .iter(world)
        .map(|a| (a.terms.name.clone(), a.signed_day, a.in_force()))
        .collect();
    out.sort_by_key(|a| a.1);
    out
}

/// "support at home 64%", with the protest and repudiation levels the model reads it
/// against, and the changes of leader so far.
pub fn support_text(sc: &Compiled, support: f64, leaders: u32) -> String {
    let m = &sc.model;
    let mut text = format!("support at home {:.0}%", 100.0 * support);
    if support < m.protest_support {
        text.push_str(" (protests: the leader may fall)");
    } else if support < m.repudiation_support {
        text.push_str(" (low enough to repudiate a deal)");
    }
    match leaders {
        0 => {}
        1 => text.push_str(", one change of leader"),
        n => text.push_str(&format!(", {n} changes of leader")),
    }
    text
}

/// "expects its power ×1.30" or "expects its power ×1.12 ± 0.15".
pub fn belief_text(mean: f64, spread: f64) -> String {
    if spread > 0.005 {
        format!("×{mean:.2} ± {spread:.2}")
    } else {
        format!("×{mean:.2}")
    }
}
