//! The player's commands: what the window, the terminal and a save file all speak.
//! Names are the scenario's ids, so a save reads like the game that was played.

use serde::{Deserialize, Serialize};

/// One command of the player, as typed (`table moscow-truce`) or saved (RON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Command {
    /// Convene the parties on a proposal (a scenario proposal or a counter on the table).
    Table(String),
    /// Put a variant of a scenario proposal: its id, then `key=value` changes.
    Propose(Draft),
    /// Spend leverage on a party of a proposal tabled today.
    Incentive(String, f64),
    /// Lean on an actor to sign what is on the table today, at a cost in its trust.
    Pressure(String, f64),
    /// Answer a proposal on the table.
    Accept(String),
    Reject(String),
    /// Reject it and put terms moved toward one's own positions.
    Counter(String),
    /// End the morning (the proposals are tabled) or the day.
    End,
    /// Hand the seat to the AI for the rest of the game.
    Auto,
    /// Declare a unilateral ceasefire for so many days (a belligerent's seat).
    Declare(u32),
}

/// A command as typed at the terminal (`table moscow-truce`), for labels.
impl std::fmt::Display for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Command::Table(p) => write!(f, "table {p}"),
            Command::Propose(d) => write!(f, "propose {}", d.from),
            Command::Incentive(a, v) => write!(f, "incentive {a} {v}"),
            Command::Pressure(a, v) => write!(f, "pressure {a} {v}"),
            Command::Accept(p) => write!(f, "accept {p}"),
            Command::Reject(p) => write!(f, "reject {p}"),
            Command::Counter(p) => write!(f, "counter {p}"),
            Command::End => f.write_str("end"),
            Command::Auto => f.write_str("auto"),
            Command::Declare(days) => write!(f, "declare {days}"),
        }
    }
}

/// A proposal composed by the player: a scenario proposal with changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub from: String,
    /// `issue-id=value`, `parties=a,b`, `monitoring=0.8`, `specificity=0.6`,
    /// `peacekeepers=russia|none`, `guarantors=a,b|none`, `exchange=yes|no`,
    /// `kind=humanitarian|ceasefire|settlement`.
    #[serde(default)]
    pub changes: Vec<(String, String)>,
}

/// What a line of the terminal asks for: a command of the game, or something about
/// the session itself (help, the advisor, saving).
#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    Game(Command),
    Help,
    /// Ask the advisor about the moves given so far today (or the ones on the line).
    Advise(Vec<Command>),
    Save(String),
    /// Go back this many days: the morning of that day, played on as a new branch.
    Back(u32),
    /// List the branches.
    Branches,
    /// Play another branch where it stands.
    Switch(String),
    /// Two branches side by side (the one played and its parent unless named).
    Compare(Option<(String, String)>),
    /// Print the status again.
    Status,
    /// Who fights beside whom, who backs whom, and what each side aims to take.
    Sides,
    Quit,
}

/// The longest unilateral ceasefire a player may declare at once.
pub const MAX_DECLARED_DAYS: u32 = 60;

pub const HELP: &str = "\
Commands (names are the scenario's ids; a number picks from the lists shown):
  table PROPOSAL            convene the parties on a proposal, as its broker
  propose PROPOSAL K=V...   put a variant: ISSUE=0.4 parties=a,b monitoring=0.8
                            specificity=0.6 peacekeepers=ACTOR|none guarantors=a,b|none
                            exchange=yes|no kind=humanitarian|ceasefire|settlement
  incentive ACTOR LEVERAGE  spend leverage on a party of what you tabled today
  pressure ACTOR AMOUNT     lean on an actor (0..1) to sign today; costs its trust in you
  declare DAYS              (a belligerent) stop your offensives for DAYS days, from
                            tomorrow, without any agreement; ends if you lose ground
  accept|reject|counter P   answer a proposal put to you
  end                       end the morning (proposals go on the table), then the day
  advise [COMMAND]          odds of a durable agreement within 30 days with today's
                            moves (and COMMAND) against ending the day without them
  back N                    go back N days, to that morning, and play on from there
                            as a new branch (the line you leave is kept)
  branches                  list the branches: where each was forked, the day reached
  switch BRANCH             play another branch from the day it reached
  compare [A B]             two branches side by side (ground, dead, agreements) with
                            the advisor's odds for each; the one you play and its parent
  save FILE                 save the game (scenario, seed, your commands, the branches)
  status                    show the situation again
  sides                     who fights beside whom, who backs whom, and the ground
                            each side still aims to take
  auto                      let the AI play your seat to the end
  help, quit";

/// Parses one line typed at the prompt. Errors say what was expected.
pub fn parse_line(line: &str) -> Result<Option<Line>, String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let Some((&verb, rest)) = words.split_first() else {
        return Ok(None);
    };
    let one = |what: &str| -> Result<String, String> {
        match rest {
            [x] => Ok((*x).to_string()),
            _ => Err(format!(
                "`{verb}` takes one {what}: `{verb} {}`",
                what.to_uppercase()
            )),
        }
    };
    let amount = |what: &str| -> Result<(String, f64), String> {
        let usage = || format!("`{verb}` takes an actor and {what}: `{verb} ACTOR 0.3`");
        match rest {
            [who, x] => {
                let v: f64 = x.parse().map_err(|_| usage())?;
                if !v.is_finite() || v <= 0.0 {
                    return Err(format!("{what} must be a positive number, not `{x}`"));
                }
                Ok(((*who).to_string(), v))
            }
            _ => Err(usage()),
        }
    };
    let line = match verb.to_ascii_lowercase().as_str() {
        "table" | "convene" => Line::Game(Command::Table(one("proposal")?)),
        "propose" => {
            let [from, changes @ ..] = rest else {
                return Err(
                    "`propose` takes a proposal and changes: `propose moscow-truce monitoring=0.8`"
                        .into(),
                );
            };
            let changes = changes
                .iter()
                .map(|kv| {
                    kv.split_once('=')
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .ok_or_else(|| format!("`{kv}` is not KEY=VALUE"))
                })
                .collect::<Result<_, _>>()?;
            Line::Game(Command::Propose(Draft {
                from: (*from).to_string(),
                changes,
            }))
        }
        "incentive" | "incentives" => {
            let (who, v) = amount("the leverage to spend")?;
            Line::Game(Command::Incentive(who, v))
        }
        "pressure" | "press" => {
            let (who, v) = amount("an amount")?;
            Line::Game(Command::Pressure(who, v))
        }
        "accept" | "sign" => Line::Game(Command::Accept(one("proposal")?)),
        "reject" | "refuse" => Line::Game(Command::Reject(one("proposal")?)),
        "counter" => Line::Game(Command::Counter(one("proposal")?)),
        "end" | "e" | "next" => Line::Game(Command::End),
        "advise" | "advisor" | "?" => {
            let moves = if rest.is_empty() {
                Vec::new()
            } else {
                match parse_line(&rest.join(" "))? {
                    Some(Line::Game(c)) if c != Command::End => vec![c],
                    _ => return Err("`advise` takes a move: `advise table moscow-truce`".into()),
                }
            };
            Line::Advise(moves)
        }
        "save" => Line::Save(one("file")?),
        "back" | "undo" => {
            let usage =
                "`back` takes a number of days: `back 2` goes back to the morning of two days ago";
            match rest {
                [] => Line::Back(1),
                [n] => match n.parse::<u32>() {
                    Ok(0) => {
                        return Err(
                            "`back 0` is today; `back 1` goes back to yesterday morning".into()
                        );
                    }
                    Ok(n) => Line::Back(n),
                    Err(_) => return Err(format!("`{n}` is not a number of days: {usage}")),
                },
                _ => return Err(usage.into()),
            }
        }
        "branches" | "branch" => Line::Branches,
        "switch" => Line::Switch(one("branch")?),
        "compare" => match rest {
            [] => Line::Compare(None),
            [a, b] => Line::Compare(Some(((*a).to_string(), (*b).to_string()))),
            _ => return Err("`compare` takes two branches, or none: `compare main b1`".into()),
        },
        "status" | "s" => Line::Status,
        "sides" | "aims" => Line::Sides,
        "auto" => Line::Game(Command::Auto),
        "declare" | "ceasefire" => {
            let usage = "`declare` takes a number of days: `declare 7`";
            match rest {
                [n] => match n.parse::<u32>() {
                    Ok(d) if (1..=MAX_DECLARED_DAYS).contains(&d) => {
                        Line::Game(Command::Declare(d))
                    }
                    _ => {
                        return Err(format!(
                            "`{n}` is not a number of days from 1 to {MAX_DECLARED_DAYS}: {usage}"
                        ));
                    }
                },
                _ => return Err(usage.into()),
            }
        }
        "help" | "h" => Line::Help,
        "quit" | "exit" | "q" => Line::Quit,
        other => {
            return Err(format!(
                "unknown command `{other}`; type `help` for the list"
            ));
        }
    };
    Ok(Some(line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_commands_of_the_help() {
        let game = |s: &str| match parse_line(s).unwrap() {
            Some(Line::Game(c)) => c,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            game("table moscow-truce"),
            Command::Table("moscow-truce".into())
        );
        assert_eq!(
            game("pressure azerbaijan 0.3"),
            Command::Pressure("azerbaijan".into(), 0.3)
        );
        assert_eq!(game("END"), Command::End);
        assert_eq!(
            game("propose moscow-truce monitoring=0.8 peacekeepers=russia"),
            Command::Propose(Draft {
                from: "moscow-truce".into(),
                changes: vec![
                    ("monitoring".into(), "0.8".into()),
                    ("peacekeepers".into(), "russia".into())
                ],
            })
        );
        assert_eq!(
            parse_line("advise accept moscow-truce").unwrap(),
            Some(Line::Advise(vec![Command::Accept("moscow-truce".into())]))
        );
        assert_eq!(parse_line("   ").unwrap(), None);
        assert_eq!(parse_line("back 3").unwrap(), Some(Line::Back(3)));
        assert_eq!(parse_line("back").unwrap(), Some(Line::Back(1)));
        assert_eq!(parse_line("branches").unwrap(), Some(Line::Branches));
        assert_eq!(
            parse_line("switch main").unwrap(),
            Some(Line::Switch("main".into()))
        );
        assert_eq!(parse_line("compare").unwrap(), Some(Line::Compare(None)));
        assert_eq!(
            parse_line("compare main b1").unwrap(),
            Some(Line::Compare(Some(("main".into(), "b1".into()))))
        );
    }

    #[test]
    fn declare_takes_a_number_of_days() {
        assert_eq!(
            parse_line("declare 7").unwrap(),
            Some(Line::Game(Command::Declare(7)))
        );
        assert_eq!(Command::Declare(7).to_string(), "declare 7");
        assert!(parse_line("declare").unwrap_err().contains("`declare 7`"));
        assert!(
            parse_line("ceasefire 0")
                .unwrap_err()
                .contains("from 1 to 60")
        );
        assert!(
            parse_line("declare 61")
                .unwrap_err()
                .contains("from 1 to 60")
        );
    }

    #[test]
    fn bad_lines_say_what_was_expected() {
        assert!(
            parse_line("pressure azerbaijan")
                .unwrap_err()
                .contains("ACTOR 0.3")
        );
        assert!(
            parse_line("pressure azerbaijan -1")
                .unwrap_err()
                .contains("positive")
        );
        assert!(
            parse_line("fly away")
                .unwrap_err()
                .contains("unknown command `fly`")
        );
        assert!(
            parse_line("back two")
                .unwrap_err()
                .contains("`two` is not a number of days")
        );
        assert!(parse_line("back 0").unwrap_err().contains("`back 1`"));
        assert!(
            parse_line("switch")
                .unwrap_err()
                .contains("`switch BRANCH`")
        );
        assert!(
            parse_line("propose x monitoring")
                .unwrap_err()
                .contains("KEY=VALUE")
        );
    }

    #[test]
    fn commands_round_trip_through_ron() {
        let cmds = vec![
            Command::Table("moscow-truce".into()),
            Command::Incentive("armenia".into(), 0.25),
            Command::End,
        ];
        let text = ron::to_string(&cmds).unwrap();
        let back: Vec<Command> = ron::from_str(&text).unwrap();
        assert_eq!(back, cmds);
    }
}
