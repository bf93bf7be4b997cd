//! A small two-sided scenario for unit tests of the mechanics.

use std::sync::Arc;

use crate::scenario::{Compiled, load_str};

/// Its truces are not broken for a prize (`breach_cost` out of reach): on a map this
/// small every region is one, and the tests of other mechanics would see breaches.
pub const TINY: &str = r#"Scenario(
    format: 1, id: "tiny", name: "Tiny war", start_date: "2001-01-01", max_turns: 60,
    model: (breach_cost: 10.0),
    issues: [
        Issue(id: "land", name: "Land", low: "red", high: "blue",
              tracks: Some((side: "blue"))),
        Issue(id: "talks", name: "Talks", low: "none", high: "full", status_quo: 0.0),
    ],
    actors: [
        Actor(id: "red", name: "Red", role: Belligerent,
              capability: (military: 0.5, economic: 0.5, diplomatic: 0.5),
              stances: {"land": (position: 0.0, salience: 1.0), "talks": (position: 1.0, salience: 0.3)},
              resolve: 0.5, domestic_pressure: 0.5),
        Actor(id: "blue", name: "Blue", role: Belligerent,
              capability: (military: 0.5, economic: 0.5, diplomatic: 0.5),
              stances: {"land": (position: 1.0, salience: 1.0), "talks": (position: 0.5, salience: 0.3)},
              resolve: 0.5, domestic_pressure: 0.5),
        Actor(id: "broker", name: "Broker", role: Mediator,
              capability: (military: 0.5, economic: 0.5, diplomatic: 0.8),
              stances: {"talks": (position: 1.0, salience: 1.0)},
              mediation: Some((leverage: 0.5, style: Manipulative, activism: 0.9))),
    ],
    relations: {"broker": {"red": (influence: 0.6), "blue": (influence: 0.6)}},
    theatre: (
        regions: [
            (id: "r1", name: "One", controller: "red", value: 1.0, population: 1000,
             coords: (0.0, 0.0), adjacent: ["r2"], supply_hub: true),
            (id: "r2", name: "Two", controller: "red", value: 0.5, population: 1000,
             coords: (1.0, 0.0), adjacent: ["b1"]),
            (id: "b1", name: "Three", controller: "blue", value: 0.5, population: 1000,
             coords: (2.0, 0.0), adjacent: ["b2"]),
            (id: "b2", name: "Four", controller: "blue", value: 1.0, population: 1000,
             coords: (3.0, 0.0), adjacent: [], supply_hub: true),
        ],
        forces: {
            "red": (troops: 10000, quality: 0.5, morale: 0.5),
            "blue": (troops: 10000, quality: 0.5, morale: 0.5),
        },
    ),
    proposals: [
        Proposal(id: "truce", name: "truce", kind: Ceasefire, brokers: ["broker"],
                 parties: ["red", "blue"], terms: {"talks": 1.0},
                 provisions: (monitoring: 0.5, specificity: 0.5)),
    ],
)"#;

/// Three belligerents at war with each other around a triangle of fronts: red and
/// blue may sign a truce, green is party to nothing. Edit `side` into an actor to
/// make a coalition.
pub const THREE: &str = r#"Scenario(
    format: 1, id: "three", name: "Three-way war", start_date: "2001-01-01", max_turns: 90,
    model: (durable_days: 10, breach_cost: 10.0),
    issues: [
        Issue(id: "land", name: "Green's land", low: "none", high: "all",
              tracks: Some((side: "green"))),
        Issue(id: "talks", name: "Talks", low: "none", high: "full", status_quo: 0.0),
    ],
    actors: [
        Actor(id: "red", name: "Red", role: Belligerent,
              capability: (military: 0.5, economic: 0.5, diplomatic: 0.5),
              stances: {"land": (position: 0.0, salience: 0.5), "talks": (position: 1.0, salience: 1.0)},
              resolve: 0.3, domestic_pressure: 0.2),
        Actor(id: "blue", name: "Blue", role: Belligerent,
              capability: (military: 0.5, economic: 0.5, diplomatic: 0.5),
              stances: {"land": (position: 0.0, salience: 0.5), "talks": (position: 1.0, salience: 1.0)},
              resolve: 0.3, domestic_pressure: 0.2),
        Actor(id: "green", name: "Green", role: Belligerent,
              capability: (military: 0.5, economic: 0.5, diplomatic: 0.5),
              stances: {"land": (position: 1.0, salience: 1.0), "talks": (position: 0.0, salience: 0.2)},
              resolve: 0.8, domestic_pressure: 0.5),
        Actor(id: "broker", name: "Broker", role: Mediator,
              capability: (military: 0.5, economic: 0.5, diplomatic: 0.8),
              stances: {"talks": (position: 1.0, salience: 1.0)},
              mediation: Some((leverage: 0.8, style: Manipulative, activism: 0.9))),
    ],
    relations: {"broker": {"red": (influence: 0.6), "blue": (influence: 0.6)}},
    theatre: (
        regions: [
            (id: "r0", name: "Red home", controller: "red", value: 0.5, population: 1000,
             coords: (0.0, 0.0), adjacent: ["r1"], supply_hub: true, contestable: false),
            (id: "r1", name: "Red march", controller: "red", value: 0.5, population: 1000,
             coords: (1.0, 0.0), adjacent: ["b1", "g1"]),
            (id: "b0", name: "Blue home", controller: "blue", value: 0.5, population: 1000,
             coords: (3.0, 0.0), adjacent: ["b1"], supply_hub: true, contestable: false),
            (id: "b1", name: "Blue march", controller: "blue", value: 0.5, population: 1000,
             coords: (2.0, 0.0), adjacent: ["g1"]),
            (id: "g0", name: "Green home", controller: "green", value: 0.5, population: 1000,
             coords: (1.5, 2.0), adjacent: ["g1"], supply_hub: true, contestable: false),
            (id: "g1", name: "Green march", controller: "green", value: 0.5, population: 1000,
             coords: (1.5, 1.0), adjacent: []),
        ],
        forces: {
            "red": (troops: 10000, quality: 0.5, morale: 0.6, aims: Some(["b1", "g1"])),
            "blue": (troops: 10000, quality: 0.5, morale: 0.6, aims: Some(["r1", "g1"])),
            "green": (troops: 10000, quality: 0.5, morale: 0.6, aims: Some(["r1", "b1"])),
        },
    ),
    proposals: [
        Proposal(id: "truce", name: "red-blue truce", kind: Ceasefire, brokers: ["broker"],
                 parties: ["red", "blue"], terms: {"talks": 1.0},
                 provisions: (monitoring: 0.8, specificity: 0.8)),
    ],
)"#;

/// An army of `troops` at quality and morale 0.5 and 0.6, no reinforcements.
pub fn army(troops: f64) -> crate::sim::components::Army {
    crate::sim::components::Army {
        troops,
        quality: 0.5,
        morale: 0.6,
        initial_morale: 0.6,
        reinforcements: 0.0,
        capital: None,
        dead: 0.0,
    }
}

/// The three-way war, with `edit` applied to its text first.
pub fn three_with(edit: impl Fn(&str) -> String) -> Arc<Compiled> {
    match load_str("three.ron", edit(THREE)) {
        Ok(l) => Arc::new(l.compiled),
        Err(e) => panic!("{e}"),
    }
}

/// The tiny scenario, with `edit` applied to its text first.
pub fn tiny_with(edit: impl Fn(&str) -> String) -> Arc<Compiled> {
    let text = edit(TINY);
    match load_str("tiny.ron", text) {
        Ok(l) => Arc::new(l.compiled),
        Err(e) => panic!("{e}"),
    }
}

pub fn tiny() -> Arc<Compiled> {
    tiny_with(str::to_string)
}
