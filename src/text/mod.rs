//! `truce play --text`: the game in a terminal. A status view each day, then short
//! commands read line by line from stdin, so that a script can play it too.

use std::io::{BufRead, Write};
use std::path::Path;

use crate::error::{Error, Result};
use crate::play::advisor::{self, Position};
use crate::play::command::{Command, HELP, Line, parse_line};
use crate::play::compare::{self, Standing};
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
        self.sides()?;
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
            Line::Sides => self.sides()?,
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
            Line::Back(days) => self.back(days)?,
            Line::Branches => self.branches()?,
            Line::Switch(name) => match self.game.switch(&name) {
                Ok(note) => self.moved(&note)?,
                Err(e) => self.say(&format!("? {e}"))?,
            },
            Line::Compare(pick) => self.compare(pick)?,
            Line::Quit => {
                self.say("Bye.")?;
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// `back N`: the morning of N days ago, played on as a new branch.
    fn back(&mut self, days: u32) -> Result<()> {
        let today = self.game.day();
        let Some(day) = today.checked_sub(days) else {
            let played = match today {
                0 => "nothing yet: this is the first day".to_string(),
                1 => "1 day: `back 1` goes back to the first morning".to_string(),
                n => format!("{n} days: `back` goes back 1 to {n} days"),
            };
            return self.say(&format!(
                "? cannot go back {days} days: branch {} has played {played}",
                self.game.branch()
            ));
        };
        match self.game.fork(day) {
            Ok(note) => {
                let left = self
                    .game
                    .timeline()
                    .current()
                    .from
                    .as_ref()
                    .map(|f| f.branch.clone())
                    .unwrap_or_default();
                self.moved(&format!(
                    "{note} (`branches` lists them; `switch {left}` returns to it.)"
                ))
            }
            Err(e) => self.say(&format!("? {e}")),
        }
    }

    /// After the game moved to another day or branch: the note, the save, the day.
    fn moved(&mut self, note: &str) -> Result<()> {
        self.say(note)?;
        // The news of the line now played is its own: show only what comes next.
        self.shown = self
            .game
            .sim()
            .world()
            .resource::<Chronicle>()
            .entries
            .len();
        self.autosave()?;
        self.status()
    }

    fn branches(&mut self) -> Result<()> {
        let list = self.game.branches();
        let width = list.iter().map(|b| b.name.len()).max().unwrap_or(0);
        self.say("Branches (* is the one you play):")?;
        for b in list {
            self.say(&format!(
                "  {} {:<width$}  {}, reached day {}",
                if b.current { '*' } else { ' ' },
                b.name,
                b.origin(),
                b.day
            ))?;
        }
        Ok(())
    }

    /// Two branches where they stand, and the advisor's odds for each.
    fn compare(&mut self, pick: Option<(String, String)>) -> Result<()> {
        if self.game.branches().len() < 2 {
            return self
                .say("? there is one branch only: `back N` plays another from a past morning");
        }
        let (a, b) = pick.unwrap_or_else(|| compare::default_pair(&self.game));
        for name in [&a, &b] {
            if let Err(e) = self.game.branch_log(name) {
                return self.say(&format!("? {e}"));
            }
        }
        let runs = self.continuations.min(compare::RUNS);
        for name in [a, b] {
            match Standing::of_branch(&self.game, &name) {
                Ok((standing, branch_game)) => {
                    let odds = match compare::odds(&branch_game, runs) {
                        Ok(f) => compare::odds_line(&f),
                        Err(e) => e,
                    };
                    let line = standing.line(&branch_game);
                    self.say(&format!(
                        "  {line}\n      advisor ({runs} continuations): {odds}"
                    ))?;
                }
                Err(e) => self.say(&format!("? {e}"))?,
            }
        }
        Ok(())
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
        let mut head = view::day_label(&sc, clock.day);
        if self.game.timeline().branches().len() > 1 {
            head.push_str(&format!(" · branch {}", self.game.branch()));
        }
        self.say(&format!("\n== {head} =="))?;
        self.news()?;
        if self.game.is_over() {
            return Ok(());
        }
        self.say(&view::war_line(self.game.sim()))?;
        for line in view::in_force(self.game.sim_mut()) {
            self.say(&line)?;
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
                        self.odds(v, &actors)?;
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
                    self.odds(v, &actors)?;
                }
            }
            Stage::Over => {}
        }
        Ok(())
    }

    /// The sides of the war as they stand today.
    fn sides(&mut self) -> Result<()> {
        let sc = self.game.scenario().clone();
        let actors = view::actors(self.game.sim());
        self.say("The sides:")?;
        for line in view::sides_lines(&sc, &actors) {
            self.say(&line)?;
        }
        let patrons: Vec<String> = actors
            .iter()
            .filter(|a| a.role == "patron")
            .filter_map(|a| {
                let text = view::alignment_text(&sc, a.ix)?;
                Some(format!(
                    "  {}: {text}",
                    crate::sim::outcome::capitalise(&a.name)
                ))
            })
            .collect();
        for line in patrons {
            self.say(&line)?;
        }
        Ok(())
    }

    fn odds(&mut self, v: &CardView, actors: &[view::ActorView]) -> Result<()> {
        let sc = self.game.scenario().clone();
        for (party, why) in &v.odds {
            let who = if *party == self.game.seat() {
                format!("{} (you; the AI would sign at)", sc.actors[*party].name)
            } else {
                sc.actors[*party].name.clone()
            };
            self.say(&format!("       {who}: {}", view::odds_text(why)))?;
            if let Some(behind) = actors.get(*party).and_then(|a| view::outlook_text(&sc, a)) {
                self.say(&format!("         its war outlook: {behind}"))?;
            }
        }
        Ok(())
    }

    fn ending(&mut self) -> Result<()> {
        let sc = self.game.scenario().clone();
        let outcome = self.game.sim_mut().outcome();
        self.say(&format!("\n{}", crate::report::summary(&outcome, &sc)))?;
        let record = crate::play::story::record_for(&self.source);
        let story = crate::play::story::Story::of(&outcome, &sc, record.as_ref());
        self.say(story.text().trim_end())
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
