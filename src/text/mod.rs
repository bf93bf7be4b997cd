//! `truce play --text`: the game in a terminal. A status view each day, then short
//! commands read line by line from stdin, so that a script can play it too.

use std::io::{BufRead, Write};
use std::path::Path;

use crate::error::{Error, Result};
use crate::play::advisor::{self, Position};
use crate::play::command::{Command, HELP, Line, parse_line};
use crate::play::game::{CardView, Game, Stage};
use crate::play::save::Save;
use crate::play::source::Source;
use crate::play::view;
use crate::sim::components::Chronicle;

/// A terminal session: the game, where its scenario came from, and how much of the
/// chronicle has been shown.
pub struct Session<'a> {
    game: Game,
    source: Source,
    out: &'a mut dyn Write,
    shown: usize,
    /// Advisor continuations per option.
    pub continuations: u32,
    /// Where to save after every day (`--save`).
    pub autosave: Option<std::path::PathBuf>,
}

impl<'a> Session<'a> {
    pub fn new(game: Game, source: Source, out: &'a mut dyn Write) -> Session<'a> {
        Session {
            game,
            source,
            out,
            shown: 0,
            continuations: advisor::CONTINUATIONS,
            autosave: None,
        }
    }

    /// Plays until the war ends, the input ends, or the player quits.
    pub fn run(&mut self, input: &mut dyn BufRead) -> Result<u8> {
        let sc = self.game.scenario().clone();
        self.say(&format!(
            "{}\nYou play {} ({}). Type `help` for the commands.\n",
            sc.name,
            sc.actors[self.game.seat()].name,
            view::role(sc.actors[self.game.seat()].role)
        ))?;
        self.status()?;
        let mut line = String::new();
        while !self.game.is_over() {
            self.prompt()?;
            line.clear();
            let n = input
                .read_line(&mut line)
                .map_err(|e| Error::runtime(format!("cannot read the input: {e}")))?;
            if n == 0 {
                self.say(&format!(
                    "\nInput ended on day {}; the war goes on. Save with `save FILE` to keep a game.",
                    self.game.day()
                ))?;
                return Ok(0);
            }
            match parse_line(&line) {
                Ok(None) => {}
                Ok(Some(l)) => {
                    if !self.line(l)? {
                        return Ok(0);
                    }
                }
                Err(e) => self.say(&format!("? {e}"))?,
            }
        }
        self.news()?;
        self.ending()?;
        Ok(0)
    }

    /// Carries out one line; `false` to quit.
    fn line(&mut self, l: Line) -> Result<bool> {
        match l {
            Line::Game(cmd) => {
                let cmd = self.resolve_numbers(cmd);
                let before = self.game.day();
                match self.game.apply(cmd) {
                    Ok(note) => {
                        if !note.is_empty() {
                            self.say(&note)?;
                        }
                        if self.game.day() != before || self.game.is_over() {
                            self.autosave()?;
                        }
                        if self.game.day() != before || self.game.stage() == Stage::Answers {
                            self.status()?;
                        }
                    }
                    Err(e) => self.say(&format!("? {e}"))?,
                }
            }
            Line::Help => self.say(HELP)?,
            Line::Status => self.status()?,
            Line::Advise(extra) => {
                let extra: Vec<Command> =
                    extra.into_iter().map(|c| self.resolve_numbers(c)).collect();
                let position = Position::of(&self.game);
                let label = position.label(&extra);
                match advisor::advise(&position, &extra, self.continuations) {
                    Ok(a) => self.say(&advisor::describe(&a, &label))?,
                    Err(e) => self.say(&format!("? {e}"))?,
                }
            }
            Line::Save(file) => {
                let path = Path::new(&file);
                match Save::of(&self.game, &self.source).write(path) {
                    Ok(()) => self.say(&format!("Saved to {file}."))?,
                    Err(e) => self.say(&format!("? {e}"))?,
                }
            }
            Line::Quit => {
                self.say("Bye.")?;
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn autosave(&mut self) -> Result<()> {
        if let Some(path) = &self.autosave {
            Save::of(&self.game, &self.source).write(path)?;
        }
        Ok(())
    }

    /// `table 2` means the second proposal listed; `accept 1` the first put to you.
    fn resolve_numbers(&mut self, cmd: Command) -> Command {
        let pick = |list: Vec<CardView>, s: &str| -> Option<String> {
            let n: usize = s.parse().ok()?;
            list.get(n.checked_sub(1)?).map(|v| v.id.clone())
        };
        match cmd {
            Command::Table(p) => {
                let id = pick(self.game.offers(), &p).unwrap_or(p);
                Command::Table(id)
            }
            Command::Accept(p) => Command::Accept(pick(self.game.put_to_player(), &p).unwrap_or(p)),
            Command::Reject(p) => Command::Reject(pick(self.game.put_to_player(), &p).unwrap_or(p)),
            Command::Counter(p) => {
                Command::Counter(pick(self.game.put_to_player(), &p).unwrap_or(p))
            }
            other => other,
        }
    }

    fn prompt(&mut self) -> Result<()> {
        let p = match self.game.stage() {
            Stage::Orders => format!("day {} morning> ", self.game.day()),
            Stage::Answers => format!("day {} answer> ", self.game.day()),
            Stage::Over => "> ".into(),
        };
        self.write(&p)
    }

    fn news(&mut self) -> Result<()> {
        let start = self.game.clock().start;
        let entries: Vec<String> = {
            let chronicle = self.game.sim().world().resource::<Chronicle>();
            chronicle.entries[self.shown..]
                .iter()
                .map(|e| {
                    format!(
                        "  {} {}: {}",
                        start.plus_days(i64::from(e.day)),
                        e.place,
                        e.text
                    )
                })
                .collect()
        };
        self.shown += entries.len();
        for e in entries {
            self.say(&e)?;
        }
        Ok(())
    }

    /// The day's view: the news, the war, the player's standing, the table.
    pub fn status(&mut self) -> Result<()> {
        let sc = self.game.scenario().clone();
        let me = self.game.seat();
        let clock = self.game.clock().clone();
        self.say(&format!("\n== {} ==", view::day_label(&sc, clock.day)))?;
        self.news()?;
        if self.game.is_over() {
            return Ok(());
        }
        self.say(&view::war_line(self.game.sim()))?;
        let agreements = view::in_force(self.game.sim_mut());
        for (name, broker, day, prot) in agreements {
            self.say(&format!(
                "In force: the {name} (brokered by {}, signed day {day}, protection {prot:.2})",
                sc.actors[broker].name
            ))?;
        }
        let actors = view::actors(self.game.sim());
        let mine = &actors[me];
        let mut standing = format!(
            "You: {} ({}, {}); your war outlook (BATNA) {:.2}",
            mine.name, mine.role, mine.leader, mine.batna
        );
        if let Some(l) = mine.leverage {
            standing.push_str(&format!(", leverage {l:.2}"));
        }
        if let Some((troops, morale, dead)) = mine.army {
            standing.push_str(&format!(
                ", troops {}, morale {morale:.2}, dead {}",
                crate::sim::combat::thousands(troops.round() as i64),
                crate::sim::combat::thousands(dead.round() as i64)
            ));
        }
        if let Some((mean, spread)) = mine.belief {
            standing.push_str(&format!(
                "; you reckon your power {} of what it is",
                view::belief_text(mean, spread)
            ));
        }
        if let Some((support, leaders)) = mine.home {
            standing.push_str(&format!("; {}", view::support_text(&sc, support, leaders)));
        }
        self.say(&standing)?;
        let others: Vec<String> = actors
            .iter()
            .filter(|a| a.ix != me)
            .filter_map(|a| {
                a.home
                    .map(|(s, n)| format!("{} {}", a.name, view::support_text(&sc, s, n)))
            })
            .collect();
        if !others.is_empty() {
            self.say(&format!("Others at home: {}", others.join("; ")))?;
        }
        match self.game.stage() {
            Stage::Orders => {
                let offers = self.game.offers();
                if offers.is_empty() {
                    self.say("Nothing you can table today. `end` to let the day play out.")?;
                } else {
                    self.say("You can table (odds if tabled now, before incentives):")?;
                    for (i, v) in offers.iter().enumerate() {
                        self.say(&format!("  {}. {} — the {}", i + 1, v.id, v.name))?;
                        self.odds(v)?;
                    }
                }
            }
            Stage::Answers => {
                let table = self.game.put_to_player();
                self.say(
                    "Put to you today (`accept N`, `reject N`, `counter N`; unanswered means no):",
                )?;
                for (i, v) in table.iter().enumerate() {
                    let broker = v.broker.map_or("?", |b| sc.actors[b].name.as_str());
                    self.say(&format!(
                        "  {}. {} — the {}, tabled by {broker}",
                        i + 1,
                        v.id,
                        v.name
                    ))?;
                    self.odds(v)?;
                }
            }
            Stage::Over => {}
        }
        Ok(())
    }

    fn odds(&mut self, v: &CardView) -> Result<()> {
        let sc = self.game.scenario().clone();
        for (party, why) in &v.odds {
            let who = if *party == self.game.seat() {
                format!("{} (you; the AI would sign at)", sc.actors[*party].name)
            } else {
                sc.actors[*party].name.clone()
            };
            self.say(&format!("       {who}: {}", view::odds_text(why)))?;
        }
        Ok(())
    }

    fn ending(&mut self) -> Result<()> {
        let sc = self.game.scenario().clone();
        let outcome = self.game.sim_mut().outcome();
        self.say(&format!("\n{}", crate::report::summary(&outcome, &sc)))?;
        if !sc.history.trim().is_empty() {
            self.say(&format!("\nWhat really happened:\n{}", sc.history.trim()))?;
        }
        Ok(())
    }

    fn say(&mut self, text: &str) -> Result<()> {
        self.write(text)?;
        self.write("\n")
    }

    fn write(&mut self, text: &str) -> Result<()> {
        let r = self
            .out
            .write_all(text.as_bytes())
            .and_then(|()| self.out.flush());
        match r {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(Error::runtime(format!("cannot write output: {e}")))
            }
            _ => Ok(()),
        }
    }
}

/// Asks for a choice among `options` on the terminal; the answer is a number or a name.
pub fn choose(
    what: &str,
    options: &[(String, String)],
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> Result<usize> {
    let io = |e: std::io::Error| Error::runtime(format!("cannot talk to the terminal: {e}"));
    writeln!(out, "Choose {what}:").map_err(io)?;
    for (i, (id, label)) in options.iter().enumerate() {
        writeln!(out, "  {}. {id} — {label}", i + 1).map_err(io)?;
    }
    let mut line = String::new();
    loop {
        write!(out, "{what}> ").map_err(io)?;
        out.flush().map_err(io)?;
        line.clear();
        if input.read_line(&mut line).map_err(io)? == 0 {
            return Err(Error::bad_input(format!(
                "no {what} chosen: the input ended"
            )));
        }
        let answer = line.trim();
        if let Ok(n) = answer.parse::<usize>()
            && (1..=options.len()).contains(&n)
        {
            return Ok(n - 1);
        }
        if let Some(i) = options.iter().position(|(id, _)| id == answer) {
            return Ok(i);
        }
        writeln!(out, "? `{answer}` is not one of the choices").map_err(io)?;
    }
}
