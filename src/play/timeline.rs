//! The timeline of a game: going back to the morning of any day played, and
//! branches. A past day is rebuilt by replaying the log up to where that day began
//! (exact, like any replay). Playing on from a past day makes a new branch; the line
//! left keeps its commands, so the player can switch back to it. Both front ends and
//! the save file use these.

use serde::{Deserialize, Serialize};

use super::command::Command;
use super::game::{Game, did_you_mean};

/// The name of the first line of play.
pub const MAIN: &str = "main";

/// Where a branch was forked: the branch it left and the day whose morning it
/// started from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fork {
    pub branch: String,
    pub day: u32,
}

/// One line of play.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Branch {
    pub name: String,
    /// `None` for the line played from the start.
    #[serde(default)]
    pub from: Option<Fork>,
    /// The day it reached when last played (for display).
    pub day: u32,
    /// Its commands from day 0. Empty for the branch being played: its commands are
    /// the game's log.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commands: Vec<Command>,
}

/// The branches of a game, in the order they were made, and the one being played.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    branches: Vec<Branch>,
    current: usize,
}

impl Default for Timeline {
    fn default() -> Timeline {
        Timeline {
            branches: vec![Branch {
                name: MAIN.into(),
                from: None,
                day: 0,
                commands: Vec::new(),
            }],
            current: 0,
        }
    }
}

impl Timeline {
    /// The branches as saved, with the one being played named `current`. An empty
    /// list (a save from before branches) is one branch.
    pub fn from_saved(branches: Vec<Branch>, current: &str) -> Result<Timeline, String> {
        if branches.is_empty() {
            let mut t = Timeline::default();
            t.branches[0].name = current.to_string();
            return Ok(t);
        }
        for (i, b) in branches.iter().enumerate() {
            if branches[..i].iter().any(|o| o.name == b.name) {
                return Err(format!("the branch `{}` is listed twice", b.name));
            }
            if let Some(f) = &b.from
                && !branches.iter().any(|o| o.name == f.branch)
            {
                return Err(format!(
                    "the branch `{}` is forked from `{}`, which is not listed",
                    b.name, f.branch
                ));
            }
        }
        let names: Vec<&str> = branches.iter().map(|b| b.name.as_str()).collect();
        let Some(current) = branches.iter().position(|b| b.name == current) else {
            return Err(format!(
                "the branch played, `{current}`, is not listed{}",
                did_you_mean(current, &names)
            ));
        };
        if !branches[current].commands.is_empty() {
            return Err(format!(
                "the branch played, `{}`, lists commands of its own: they belong in `commands`",
                branches[current].name
            ));
        }
        Ok(Timeline { branches, current })
    }

    /// All branches, in the order they were made. The one being played has no
    /// commands here (they are the game's log) and its `day` may be behind.
    pub fn branches(&self) -> &[Branch] {
        &self.branches
    }

    pub fn current(&self) -> &Branch {
        &self.branches[self.current]
    }

    fn find(&self, name: &str) -> Result<usize, String> {
        self.branches
            .iter()
            .position(|b| b.name == name)
            .ok_or_else(|| {
                let names: Vec<&str> = self.branches.iter().map(|b| b.name.as_str()).collect();
                format!("no branch `{name}`{}", did_you_mean(name, &names))
            })
    }

    /// The first free name of the form `bN`.
    fn fresh_name(&self) -> String {
        (self.branches.len()..)
            .map(|n| format!("b{n}"))
            .find(|n| self.branches.iter().all(|b| b.name != *n))
            .expect("names are unbounded")
    }
}

/// A branch as listed to the player.
#[derive(Debug, Clone, PartialEq)]
pub struct BranchView {
    pub name: String,
    pub from: Option<Fork>,
    /// The day it reached.
    pub day: u32,
    pub current: bool,
}

impl BranchView {
    /// "forked from main at day 3" or "from the start".
    pub fn origin(&self) -> String {
        match &self.from {
            Some(f) => format!("forked from {} at day {}", f.branch, f.day),
            None => "from the start".into(),
        }
    }
}

impl Game {
    /// The name of the branch being played.
    pub fn branch(&self) -> &str {
        &self.timeline().current().name
    }

    /// The branches, the one being played with the day it has reached.
    pub fn branches(&self) -> Vec<BranchView> {
        let t = self.timeline();
        t.branches()
            .iter()
            .enumerate()
            .map(|(i, b)| BranchView {
                name: b.name.clone(),
                from: b.from.clone(),
                day: if i == t.current { self.day() } else { b.day },
                current: i == t.current,
            })
            .collect()
    }

    /// The commands of branch `name` from day 0.
    pub fn branch_log(&self, name: &str) -> Result<&[Command], String> {
        let t = self.timeline();
        let i = t.find(name)?;
        Ok(if i == t.current {
            self.log()
        } else {
            &t.branches()[i].commands
        })
    }

    /// The same scenario, seed and seat played with `commands`, on one branch.
    pub fn replayed(&self, commands: &[Command]) -> Result<Game, String> {
        let mut g = Game::new(self.scenario().clone(), self.sim().seed(), self.seat());
        g.replay(commands)?;
        Ok(g)
    }

    /// Where the log stands at the morning of `day`, or why that day cannot be shown.
    fn morning(&self, day: u32) -> Result<usize, String> {
        if day > self.day() {
            return Err(format!(
                "day {day} is not played yet on branch {} (it is day {})",
                self.branch(),
                self.day()
            ));
        }
        self.day_start(day).ok_or_else(|| {
            format!(
                "the AI played day {day} in one go with the days after it (`auto`); \
                 you can go back to day {} or before",
                self.last_morning()
            )
        })
    }

    /// The game as it was on the morning of `day` of this branch, to look at: a
    /// separate game, this one is unchanged.
    pub fn at_day(&self, day: u32) -> Result<Game, String> {
        let start = self.morning(day)?;
        Ok(self
            .replayed(&self.log()[..start])
            .expect("a prefix of the game's own log replays"))
    }

    /// The game of branch `name` where it stands, to look at.
    pub fn branch_game(&self, name: &str) -> Result<Game, String> {
        let log = self.branch_log(name)?.to_vec();
        self.replayed(&log)
            .map_err(|e| format!("branch {name} does not replay: {e}"))
    }

    /// Plays on from the morning of `day` as a new branch; the line left is kept.
    /// A branch left with nothing played since it was forked moves back instead,
    /// so that going back twice does not leave an empty branch behind.
    pub fn fork(&mut self, day: u32) -> Result<String, String> {
        let start = self.morning(day)?;
        if start == self.log().len() {
            return Err(format!(
                "nothing has been played since the morning of day {day}: there is nothing to go back from"
            ));
        }
        let mut fresh = self
            .replayed(&self.log()[..start])
            .expect("a prefix replays");
        let untouched = self
            .timeline()
            .current()
            .from
            .as_ref()
            .is_some_and(|f| self.day_start(f.day) == Some(self.log().len()));
        let reached = self.day();
        let mut t = self.timeline().clone();
        let note = if untouched {
            let b = &mut t.branches[t.current];
            let from = b.from.as_mut().expect("untouched branches are forks");
            from.day = day;
            format!(
                "Back to the morning of day {day}, still on branch {} (forked from {}).",
                b.name, from.branch
            )
        } else {
            let name = t.fresh_name();
            let left = &mut t.branches[t.current];
            left.commands = self.log().to_vec();
            left.day = reached;
            let note = format!(
                "Back to the morning of day {day}: you now play branch {name} from there; \
                 branch {} is kept as it was (day {reached}).",
                left.name
            );
            let parent = left.name.clone();
            t.branches.push(Branch {
                name,
                from: Some(Fork {
                    branch: parent,
                    day,
                }),
                day,
                commands: Vec::new(),
            });
            t.current = t.branches.len() - 1;
            note
        };
        *fresh.timeline_mut() = t;
        *self = fresh;
        Ok(note)
    }

    /// Plays branch `name` where it stands; the one left is kept.
    pub fn switch(&mut self, name: &str) -> Result<String, String> {
        let mut t = self.timeline().clone();
        let to = t.find(name)?;
        if to == t.current {
            return Err(format!("you already play branch {name}"));
        }
        let commands = std::mem::take(&mut t.branches[to].commands);
        let mut fresh = self
            .replayed(&commands)
            .map_err(|e| format!("branch {name} does not replay: {e}"))?;
        let left = &mut t.branches[t.current];
        left.commands = self.log().to_vec();
        left.day = self.day();
        let note = format!(
            "You play branch {name} (day {}); branch {} is kept (day {}).",
            fresh.day(),
            left.name,
            left.day
        );
        t.current = to;
        t.branches[to].day = fresh.day();
        *fresh.timeline_mut() = t;
        *self = fresh;
        Ok(note)
    }

    /// Puts the saved branches back: each is replayed once, so that a save whose
    /// branch no longer replays is refused when read rather than when switched to.
    pub fn restore_timeline(&mut self, mut timeline: Timeline) -> Result<(), String> {
        for (i, b) in timeline.branches.iter_mut().enumerate() {
            if i == timeline.current {
                b.day = self.day();
                continue;
            }
            let g = self
                .replayed(&b.commands)
                .map_err(|e| format!("branch {}: {e}", b.name))?;
            b.day = g.day();
        }
        *self.timeline_mut() = timeline;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::testkit::tiny;

    /// The broker (seat 2) tables the truce every morning for `days` days.
    fn played(days: u32) -> Game {
        let mut g = Game::new(tiny(), 3, 2);
        for _ in 0..days {
            let _ = g.apply(Command::Table("truce".into()));
            g.apply(Command::End).unwrap();
            if g.is_over() {
                break;
            }
        }
        g
    }

    fn outcome(g: &mut Game) -> String {
        format!("{:?}", g.sim_mut().outcome())
    }

    #[test]
    fn each_morning_is_where_its_day_began_in_the_log() {
        let g = played(4);
        assert_eq!(g.day(), 4);
        for d in 0..=4 {
            let start = g.day_start(d).unwrap();
            let mut past = g.at_day(d).unwrap();
            assert_eq!(past.day(), d);
            assert_eq!(past.log(), &g.log()[..start]);
            assert!(past.moves().is_empty(), "the morning of day {d} is fresh");
            // The same as a game played only that far.
            let mut direct = played(d);
            assert_eq!(outcome(&mut past), outcome(&mut direct));
        }
        assert!(g.at_day(5).err().unwrap().contains("not played yet"));
    }

    #[test]
    fn a_branch_plays_on_from_its_day_and_the_old_line_is_kept() {
        let mut g = played(5);
        let main_log = g.log().to_vec();
        let day_2 = g.day_start(2).unwrap();
        let mut main_end = g.at_day(5).unwrap();
        let note = g.fork(2).unwrap();
        assert!(note.contains("branch b1"), "{note}");
        assert_eq!(g.branch(), "b1");
        assert_eq!(g.day(), 2);
        assert_eq!(g.log(), &main_log[..day_2]);
        // New moves append to the branch.
        g.apply(Command::Pressure("red".into(), 0.5)).unwrap();
        g.apply(Command::End).unwrap();
        assert_eq!(g.day(), 3);
        assert_eq!(g.log().last(), Some(&Command::End));
        assert_eq!(g.branch_log("main").unwrap(), &main_log[..]);
        let list = g.branches();
        assert_eq!(list.len(), 2);
        assert_eq!((list[0].name.as_str(), list[0].day), ("main", 5));
        assert!(!list[0].current && list[1].current);
        assert_eq!(
            list[1].from,
            Some(Fork {
                branch: "main".into(),
                day: 2
            })
        );
        // Switching back gives main as it was.
        g.switch("main").unwrap();
        assert_eq!(g.day(), 5);
        assert_eq!(g.log(), &main_log[..]);
        assert_eq!(outcome(&mut g), outcome(&mut main_end));
        assert_eq!(g.branch_log("b1").unwrap().len(), day_2 + 2);
        g.switch("b1").unwrap();
        assert_eq!(g.day(), 3);
    }

    #[test]
    fn going_back_again_before_playing_moves_the_branch_back() {
        let mut g = played(5);
        g.fork(4).unwrap();
        let note = g.fork(1).unwrap();
        assert!(note.contains("still on branch b1"), "{note}");
        assert_eq!(g.branches().len(), 2);
        assert_eq!(g.timeline().current().from.as_ref().unwrap().day, 1);
        assert_eq!(g.day(), 1);
        // Once something is played, going back forks again.
        g.apply(Command::End).unwrap();
        g.fork(1).unwrap();
        assert_eq!(g.branch(), "b2");
        assert_eq!(g.timeline().current().from.as_ref().unwrap().branch, "b1");
    }

    #[test]
    fn bad_days_and_names_say_what_is_possible() {
        let mut g = played(3);
        assert!(g.fork(3).unwrap_err().contains("nothing has been played"));
        assert!(g.fork(9).unwrap_err().contains("not played yet"));
        assert!(g.switch("main").unwrap_err().contains("already"));
        g.fork(1).unwrap();
        assert!(
            g.switch("mian")
                .unwrap_err()
                .contains("no branch `mian`; did you mean `main`?")
        );
        // Days the AI played in one go cannot be rebuilt.
        let mut g = played(2);
        g.apply(Command::Auto).unwrap();
        assert!(g.day() > 3);
        assert_eq!(g.last_morning(), 2);
        assert!(g.at_day(3).err().unwrap().contains("day 2 or before"));
        assert!(g.fork(2).is_ok());
    }

    #[test]
    fn saved_branches_are_checked() {
        let b = |name: &str, from: Option<&str>| Branch {
            name: name.into(),
            from: from.map(|f| Fork {
                branch: f.into(),
                day: 1,
            }),
            day: 1,
            commands: Vec::new(),
        };
        assert!(Timeline::from_saved(vec![], "main").is_ok());
        let err = |v, c| Timeline::from_saved(v, c).unwrap_err();
        assert!(err(vec![b("main", None), b("main", None)], "main").contains("twice"));
        assert!(err(vec![b("b1", Some("x"))], "b1").contains("not listed"));
        assert!(err(vec![b("main", None)], "mian").contains("did you mean `main`"));
    }
}
