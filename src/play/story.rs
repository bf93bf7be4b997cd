//! The story of a finished game beside the record: the run's key events (captures,
//! agreements, the end) and figures, and what really happened, from the scenario's
//! history file where there is one. What the end screen and the terminal tell.

use super::source::Source;
use crate::scenario::{Compiled, bundled};
use crate::sim::outcome::Outcome;
use crate::validation::history::{self, History, Measure};

/// One dated event of a story.
#[derive(Debug, Clone, PartialEq)]
pub struct Beat {
    pub day: i64,
    pub date: String,
    pub text: String,
}

/// A figure of the run beside the record's, where the record has it.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub name: String,
    pub run: Option<f64>,
    pub real: f64,
}

/// A finished game's story and the record's.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Story {
    pub run: Vec<Beat>,
    /// What really happened, in a few words: the scenario's `history`.
    pub told: String,
    /// What really happened, in order; empty without a history file.
    pub record: Vec<Beat>,
    pub figures: Vec<Figure>,
}

impl Story {
    pub fn of(outcome: &Outcome, sc: &Compiled, history: Option<&History>) -> Story {
        Story {
            run: run_beats(outcome, sc),
            told: sc.history.trim().to_string(),
            record: history.map(|h| record_beats(h, sc)).unwrap_or_default(),
            figures: history.map(|h| figures(h, outcome)).unwrap_or_default(),
        }
    }

    /// The story as text, for the terminal: the run, then the record, then figures.
    pub fn text(&self) -> String {
        use std::fmt::Write;
        let mut out = String::from("What happened in this game:\n");
        for b in &self.run {
            let _ = writeln!(out, "  {} (day {}): {}", b.date, b.day, b.text);
        }
        if !self.told.is_empty() || !self.record.is_empty() {
            out.push_str("What really happened:\n");
            if !self.told.is_empty() {
                let _ = writeln!(out, "  {}", self.told);
            }
            for b in &self.record {
                let _ = writeln!(out, "  {} (day {}): {}", b.date, b.day, b.text);
            }
        }
        if !self.figures.is_empty() {
            out.push_str("This game against the record:\n");
            for f in &self.figures {
                let run = f.run.map_or("—".to_string(), figure);
                let _ = writeln!(out, "  {}: {run} (really {})", f.name, figure(f.real));
            }
        }
        out
    }
}

/// The record of what really happened in the war of `source`: its history file
/// (`x.history.ron` beside `x.ron`, or the bundled one). `None` where there is none
/// or it does not read: the story is then the run's alone.
pub fn record_for(source: &Source) -> Option<History> {
    if let Some(text) = bundled::history(&source.label) {
        return history::parse(&source.label, text.to_string())
            .ok()
            .map(|l| l.history);
    }
    let path = std::path::Path::new(&source.label);
    let name = path.file_name()?.to_str()?;
    let beside = path.with_file_name(format!("{}.history.ron", name.strip_suffix(".ron")?));
    if !beside.is_file() {
        return None;
    }
    history::read(&beside).ok().map(|l| l.history)
}

/// A count with thousands separators.
pub fn figure(x: f64) -> String {
    crate::sim::combat::thousands(x.round() as i64)
}

fn beat(sc: &Compiled, day: i64, text: String) -> Beat {
    Beat {
        day,
        date: sc.start.plus_days(day).to_string(),
        text,
    }
}

/// Captures, signatures, breakdowns and the end, by day (signatures before
/// captures on one day, as the day's phases run).
fn run_beats(o: &Outcome, sc: &Compiled) -> Vec<Beat> {
    let mut out = Vec::new();
    for c in &o.captures {
        out.push(beat(
            sc,
            i64::from(c.day),
            format!(
                "{} {} {}",
                sc.actor_name(&c.by),
                sc.actor_verb(&c.by, "takes", "take"),
                sc.region_name(&c.region)
            ),
        ));
    }
    for a in &o.agreements {
        let broker = sc.actor_name(&a.broker);
        out.push(beat(
            sc,
            i64::from(a.signed_day),
            format!("{} signed, brokered by {broker}", a.name),
        ));
        if let Some(end) = a.ended_day {
            let how = if a.superseded {
                "is superseded by a later deal"
            } else {
                "breaks down"
            };
            out.push(beat(
                sc,
                i64::from(end),
                format!("{} {how} after {} days", a.name, a.held_days),
            ));
        }
    }
    let end = match o.end.as_str() {
        "durable_agreement" => "The war ends: an agreement holds".to_string(),
        "capitulation" => format!(
            "The war ends: {} capitulates",
            o.loser.as_deref().map_or("a side", |l| sc.actor_name(l))
        ),
        "time_limit" => "The time limit is reached with no durable agreement".to_string(),
        other => other.to_string(),
    };
    out.push(beat(sc, i64::from(o.end_day), end));
    out.sort_by_key(|b| b.day);
    out
}

fn record_beats(h: &History, sc: &Compiled) -> Vec<Beat> {
    let mut out = Vec::new();
    for t in &h.truces {
        let held = if t.held_days == 0 {
            "broken at once".to_string()
        } else {
            format!("held {} days", t.held_days)
        };
        out.push(beat(
            sc,
            i64::from(t.day),
            format!("{} ({}): {held}", t.name, sc.actor_name(&t.broker)),
        ));
    }
    for c in &h.captures {
        out.push(beat(
            sc,
            c.day,
            format!(
                "{} {} {}",
                sc.actor_name(&c.by),
                sc.actor_verb(&c.by, "takes", "take"),
                sc.region_name(&c.region)
            ),
        ));
    }
    if let Some(s) = &h.settlement {
        let keepers = s
            .peacekeepers
            .as_deref()
            .map(|p| format!(", {} peacekeepers", sc.actor_name(p)))
            .unwrap_or_default();
        out.push(beat(
            sc,
            i64::from(s.day),
            format!(
                "The war ends in a settlement brokered by {}{keepers}",
                sc.actor_name(&s.broker)
            ),
        ));
    }
    out.sort_by_key(|b| b.day);
    out
}

fn figures(h: &History, o: &Outcome) -> Vec<Figure> {
    h.figures
        .iter()
        .map(|f| {
            let run = match &f.measure {
                Measure::MilitaryDead(side) => o.casualties.military.get(side).map(|&d| d as f64),
                Measure::MilitaryDeadTotal => {
                    Some(o.casualties.military.values().sum::<u64>() as f64)
                }
                Measure::CivilianDead => Some(o.casualties.civilian as f64),
                Measure::Displaced => Some(o.displaced as f64),
                Measure::SettlementDay => o
                    .agreements
                    .iter()
                    .find(|a| a.durable)
                    .map(|a| f64::from(a.signed_day)),
            };
            Figure {
                name: f.name.clone(),
                run,
                real: f.real,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::play::game::Game;

    fn seed_war() -> (Arc<Compiled>, History) {
        let source = Source::bundled("karabakh-2020.ron").expect("bundled");
        let sc = source.compile().expect("the seed scenario compiles");
        let h = record_for(&source).expect("its record is bundled");
        (Arc::new(sc), h)
    }

    #[test]
    fn a_game_played_to_its_end_is_told_beside_the_record() {
        let (sc, h) = seed_war();
        let russia = sc.actor_ix("russia").unwrap();
        let mut game = Game::new(sc.clone(), 1, russia);
        game.apply(crate::play::command::Command::Auto).unwrap();
        while !game.is_over() {
            game.sim_mut().step();
        }
        let outcome = game.sim_mut().outcome();
        let story = Story::of(&outcome, &sc, Some(&h));
        // Every capture of the run is told, and the end last.
        let captures = story
            .run
            .iter()
            .filter(|b| b.text.contains(" takes "))
            .count();
        assert_eq!(captures, outcome.captures.len());
        assert!(
            story.run.last().unwrap().text.starts_with("The war ends")
                || outcome.end == "time_limit"
        );
        assert!(story.run.windows(2).all(|w| w[0].day <= w[1].day));
        // The record: Shusha on 8 November, the settlement the day after.
        assert!(
            story
                .record
                .iter()
                .any(|b| b.date == "2020-11-08" && b.text == "Azerbaijan takes Shusha")
        );
        let end = story.record.last().unwrap();
        assert_eq!(end.date, "2020-11-09");
        assert!(end.text.contains("Russia peacekeepers"), "{}", end.text);
        // Figures side by side: the run's dead beside the real ones.
        let dead = story
            .figures
            .iter()
            .find(|f| f.name == "military dead, Azerbaijan")
            .expect("a figure of the record");
        assert_eq!(dead.real, 2850.0);
        assert_eq!(
            dead.run,
            Some(outcome.casualties.military["azerbaijan"] as f64)
        );
        let text = story.text();
        assert!(
            text.contains("What really happened:") && text.contains("really 2,850"),
            "{text}"
        );
    }

    #[test]
    fn without_a_record_only_the_run_is_told() {
        let (sc, _) = seed_war();
        let russia = sc.actor_ix("russia").unwrap();
        let mut game = Game::new(sc.clone(), 3, russia);
        game.apply(crate::play::command::Command::Auto).unwrap();
        while !game.is_over() {
            game.sim_mut().step();
        }
        let story = Story::of(&game.sim_mut().outcome(), &sc, None);
        assert!(story.record.is_empty() && story.figures.is_empty());
        assert!(!story.run.is_empty());
        // The scenario's own few words remain.
        assert!(
            story
                .text()
                .contains("What really happened:\n  A humanitarian truce")
        );
    }
}
