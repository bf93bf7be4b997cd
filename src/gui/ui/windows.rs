//! Windows over the panels: the start screen, the proposal composer, the end of the
//! war, and a scenario that no longer validates.

use bevy::prelude::*;
use bevy_egui::egui::{self, RichText};

use super::super::compare::{Compare, Side};
use super::super::state::{Act, Session};
use super::{Snapshot, View, colour};
use crate::play::advisor::HORIZON_DAYS;
use crate::play::command::{Command, Draft};
use crate::play::game::{Game, compose as compose_terms};
use crate::play::source::Source;
use crate::play::story::{self, Story};
use crate::play::view;
use crate::scenario::bundled::BUNDLED;
use crate::scenario::compiled::{Compiled, ProposalKind};

/// The start screen: a bundled scenario (unless one was given), then a seat.
pub fn menu(
    root: &mut egui::Ui,
    session: &mut Session,
    view: &mut View,
    acts: &mut MessageWriter<Act>,
) {
    egui::CentralPanel::default().show(root, |ui| {
        ui.heading("truce — play a ceasefire negotiation");
        ui.add_space(8.0);
        let source = match session.source.clone() {
            Some(s) => s,
            None => {
                ui.label("Choose a scenario:");
                for (i, (name, _)) in BUNDLED.iter().enumerate() {
                    if ui
                        .selectable_label(view.menu_pick == Some(i), *name)
                        .clicked()
                    {
                        view.menu_pick = Some(i);
                    }
                }
                let Some(i) = view.menu_pick else { return };
                Source::bundled(BUNDLED[i].0).expect("bundled")
            }
        };
        let sc = match source.compile() {
            Ok(sc) => sc,
            Err(e) => {
                ui.label(e.to_string());
                return;
            }
        };
        ui.add_space(8.0);
        ui.label(RichText::new(&sc.name).strong());
        ui.label(&sc.description);
        ui.add_space(8.0);
        ui.label("Choose your seat:");
        for a in &sc.actors {
            if ui
                .button(
                    RichText::new(format!(
                        "{} — {} ({})",
                        a.name,
                        view::role(a.role),
                        a.leader
                    ))
                    .color(colour(sc.actor_ix(&a.id).unwrap_or(0))),
                )
                .clicked()
            {
                acts.write(Act::Start {
                    source: source.clone(),
                    seat: a.id.clone(),
                });
            }
        }
        for note in session.notes.iter().rev().take(3) {
            ui.label(note);
        }
    });
}

/// The composer's choices: one control per issue, the provisions, the parties.
pub struct Compose {
    from: usize,
    terms: Vec<f64>,
    parties: Vec<bool>,
    monitoring: f64,
    specificity: f64,
    peacekeepers: Option<usize>,
    guarantors: Vec<bool>,
    exchange: bool,
    kind: ProposalKind,
}

impl Compose {
    pub fn new(sc: &Compiled, seat: usize) -> Compose {
        let from = (0..sc.proposals.len())
            .find(|&p| {
                sc.proposals[p].brokers.contains(&seat) || sc.proposals[p].parties.contains(&seat)
            })
            .unwrap_or(0);
        let mut c = Compose {
            from,
            terms: Vec::new(),
            parties: Vec::new(),
            monitoring: 0.0,
            specificity: 0.0,
            peacekeepers: None,
            guarantors: Vec::new(),
            exchange: false,
            kind: ProposalKind::Ceasefire,
        };
        c.load(sc);
        c
    }

    /// Starts from the chosen scenario proposal.
    fn load(&mut self, sc: &Compiled) {
        let p = &sc.proposals[self.from];
        self.terms = sc
            .issues
            .iter()
            .zip(&p.terms)
            .map(|(i, t)| t.unwrap_or(i.status_quo))
            .collect();
        self.parties = (0..sc.actors.len())
            .map(|a| p.parties.contains(&a))
            .collect();
        self.monitoring = p.provisions.monitoring;
        self.specificity = p.provisions.specificity;
        self.peacekeepers = p.provisions.peacekeepers;
        self.guarantors = (0..sc.actors.len())
            .map(|a| p.provisions.guarantors.contains(&a))
            .collect();
        self.exchange = p.provisions.prisoner_exchange;
        self.kind = p.kind;
    }

    fn draft(&self, sc: &Compiled) -> Draft {
        let ids = |flags: &[bool]| {
            let v: Vec<&str> = flags
                .iter()
                .enumerate()
                .filter(|&(_, &on)| on)
                .map(|(a, _)| sc.actors[a].id.as_str())
                .collect();
            if v.is_empty() {
                "none".to_string()
            } else {
                v.join(",")
            }
        };
        let mut changes: Vec<(String, String)> = sc
            .issues
            .iter()
            .zip(&self.terms)
            .filter(|(i, _)| i.tracks.is_none())
            .map(|(i, v)| (i.id.clone(), format!("{v:.2}")))
            .collect();
        let kind = match self.kind {
            ProposalKind::Humanitarian => "humanitarian",
            ProposalKind::Ceasefire => "ceasefire",
            ProposalKind::Settlement => "settlement",
        };
        changes.extend([
            ("parties".to_string(), ids(&self.parties)),
            ("monitoring".to_string(), format!("{:.2}", self.monitoring)),
            (
                "specificity".to_string(),
                format!("{:.2}", self.specificity),
            ),
            (
                "peacekeepers".to_string(),
                self.peacekeepers
                    .map_or("none".to_string(), |a| sc.actors[a].id.clone()),
            ),
            ("guarantors".to_string(), ids(&self.guarantors)),
            (
                "exchange".to_string(),
                if self.exchange { "yes" } else { "no" }.to_string(),
            ),
            ("kind".to_string(), kind.to_string()),
        ]);
        Draft {
            from: sc.proposals[self.from].id.clone(),
            changes,
        }
    }
}

/// The composer; `false` once closed.
pub fn compose(
    ctx: &egui::Context,
    c: &mut Compose,
    snap: &Snapshot,
    game: &Game,
    acts: &mut MessageWriter<Act>,
) -> bool {
    let sc = &snap.sc;
    let mut open = true;
    let mut sent = false;
    egui::Window::new("Compose a proposal")
        .open(&mut open)
        .default_width(420.0)
        .show(ctx, |ui| {
            let before = c.from;
            egui::ComboBox::from_label("starting from")
                .selected_text(&sc.proposals[c.from].name)
                .show_ui(ui, |ui| {
                    for (i, p) in sc.proposals.iter().enumerate() {
                        ui.selectable_value(&mut c.from, i, &p.name);
                    }
                });
            if c.from != before {
                c.load(sc);
            }
            egui::ComboBox::from_label("kind")
                .selected_text(format!("{:?}", c.kind))
                .show_ui(ui, |ui| {
                    for k in [
                        ProposalKind::Humanitarian,
                        ProposalKind::Ceasefire,
                        ProposalKind::Settlement,
                    ] {
                        ui.selectable_value(&mut c.kind, k, format!("{k:?}"));
                    }
                });
            for (k, issue) in sc.issues.iter().enumerate() {
                if issue.tracks.is_some() {
                    continue;
                }
                ui.add(egui::Slider::new(&mut c.terms[k], 0.0..=1.0).text(&issue.name))
                    .on_hover_text(format!("0 = {}, 1 = {}", issue.low, issue.high));
            }
            ui.add(egui::Slider::new(&mut c.monitoring, 0.0..=1.0).text("monitoring"));
            ui.add(egui::Slider::new(&mut c.specificity, 0.0..=1.0).text("specificity"));
            ui.checkbox(&mut c.exchange, "prisoner exchange");
            egui::ComboBox::from_label("peacekeepers")
                .selected_text(
                    c.peacekeepers
                        .map_or("none", |a| sc.actors[a].name.as_str()),
                )
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut c.peacekeepers, None, "none");
                    for (a, actor) in sc.actors.iter().enumerate() {
                        ui.selectable_value(&mut c.peacekeepers, Some(a), &actor.name);
                    }
                });
            ui.horizontal_wrapped(|ui| {
                ui.label("parties:");
                for (a, actor) in sc.actors.iter().enumerate() {
                    ui.checkbox(&mut c.parties[a], &actor.name);
                }
            });
            ui.horizontal_wrapped(|ui| {
                ui.label("guarantors:");
                for (a, actor) in sc.actors.iter().enumerate() {
                    ui.checkbox(&mut c.guarantors[a], &actor.name);
                }
            });
            ui.separator();
            let draft = c.draft(sc);
            let from = sc.proposal_ix(&draft.from).unwrap_or(0);
            match compose_terms(sc, from, &draft.changes) {
                Ok(terms) => {
                    ui.label(RichText::new("Odds if tabled now, before incentives:").strong());
                    for (party, why) in game.preview(&terms) {
                        ui.label(format!(
                            "{}: {}",
                            sc.actors[party].name,
                            view::odds_text(&why)
                        ));
                    }
                    if ui
                        .add_enabled(
                            snap.stage == crate::play::game::Stage::Orders,
                            egui::Button::new("Propose"),
                        )
                        .clicked()
                    {
                        acts.write(Act::Cmd(Command::Propose(draft)));
                        sent = true;
                    }
                }
                Err(e) => {
                    ui.label(format!("? {e}"));
                }
            }
        });
    open && !sent
}

/// The keyboard shortcuts; `false` once closed.
pub fn help(ctx: &egui::Context) -> bool {
    let mut open = true;
    egui::Window::new("Keyboard shortcuts")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                for (_, name, what) in super::SHORTCUTS {
                    ui.label(RichText::new(name).strong().monospace());
                    ui.label(what);
                    ui.end_row();
                }
            });
            ui.separator();
            ui.label(
                "Hover a region for its holder and who contests it, unfold a party's odds for \
                 its reasons, and hover the charts for their values.",
            );
        });
    open
}

/// The end of the war: the game's story and charts beside what really happened;
/// `false` once dismissed.
pub fn end(ctx: &egui::Context, snap: &Snapshot, summary: &str, story: &Story) -> bool {
    let mut open = true;
    egui::Window::new("The war is over")
        .open(&mut open)
        .default_width(900.0)
        .default_height(560.0)
        .show(ctx, |ui| {
            ui.label(summary);
            ui.separator();
            ui.columns(2, |cols| {
                cols[0].label(RichText::new("This game").strong());
                beats(&mut cols[0], "run", &story.run);
                cols[1].label(RichText::new("What really happened").strong());
                if !story.told.is_empty() {
                    cols[1].label(&story.told);
                }
                beats(&mut cols[1], "record", &story.record);
            });
            if !story.figures.is_empty() {
                ui.separator();
                egui::Grid::new("figures").striped(true).show(ui, |ui| {
                    ui.strong("");
                    ui.strong("this game");
                    ui.strong("really");
                    ui.end_row();
                    for f in &story.figures {
                        ui.label(&f.name);
                        ui.label(f.run.map_or("—".into(), story::figure));
                        ui.label(story::figure(f.real));
                        ui.end_row();
                    }
                });
            }
            ui.separator();
            end_charts(ui, snap);
        });
    open
}

/// A story's beats, dated, in a scrolling list.
fn beats(ui: &mut egui::Ui, id: &str, beats: &[story::Beat]) {
    egui::ScrollArea::vertical()
        .id_salt(id)
        .max_height(220.0)
        .show(ui, |ui| {
            for b in beats {
                ui.label(format!("{} (day {}): {}", b.date, b.day, b.text));
            }
        });
}

/// Ground held and military dead over the game, per side.
fn end_charts(ui: &mut egui::Ui, snap: &Snapshot) {
    let sc = &snap.sc;
    let w = ui.available_width() / 2.0 - 8.0;
    let series = |f: &dyn Fn(&crate::sim::components::DayRecord, usize) -> f64| {
        sc.belligerents()
            .map(|a| {
                let pts: Vec<[f64; 2]> = snap
                    .days
                    .iter()
                    .map(|d| [f64::from(d.day), f(d, a)])
                    .collect();
                (a, pts)
            })
            .collect::<Vec<_>>()
    };
    ui.horizontal(|ui| {
        for (title, id, lines) in [
            (
                "Ground held (%)",
                "end ground",
                series(&|d, a| 100.0 * d.control[a]),
            ),
            (
                "Military dead",
                "end dead",
                series(&|d, a| d.military_dead[a]),
            ),
        ] {
            ui.vertical(|ui| {
                ui.label(title);
                egui_plot::Plot::new(id)
                    .height(150.0)
                    .width(w)
                    .legend(egui_plot::Legend::default())
                    .show(ui, |plot| {
                        for (a, pts) in lines {
                            plot.line(
                                egui_plot::Line::new(sc.actors[a].name.clone(), pts)
                                    .color(colour(a)),
                            );
                        }
                    });
            });
        }
    });
}

/// The scenario file was saved with errors: the game goes on from the last good file.
pub fn problem(ctx: &egui::Context, text: &str) {
    egui::Window::new("The scenario file has errors")
        .default_width(600.0)
        .show(ctx, |ui| {
            ui.label(
                "The game goes on from the last valid version. Fix the file and save it again:",
            );
            ui.label(RichText::new(text).monospace());
        });
}

/// Two branches side by side; `false` once closed.
pub fn compare(
    ctx: &egui::Context,
    compare: &mut Compare,
    line: &super::timeline::Line,
    sc: &Compiled,
) -> bool {
    let mut open = true;
    egui::Window::new("Compare branches")
        .open(&mut open)
        .default_width(720.0)
        .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 90.0))
        .show(ctx, |ui| {
            if line.branches.len() < 2 {
                ui.label(
                    "There is one branch only. Go back on the timeline and press \
                     \"Play from here\" to play another line from a past morning.",
                );
                return;
            }
            ui.columns(2, |cols| {
                for (k, ui) in cols.iter_mut().enumerate() {
                    egui::ComboBox::from_id_salt(("compare", k))
                        .selected_text(format!("branch {}", compare.picks[k]))
                        .show_ui(ui, |ui| {
                            for b in &line.branches {
                                ui.selectable_value(
                                    &mut compare.picks[k],
                                    b.name.clone(),
                                    format!("{} — {}", b.name, b.origin()),
                                );
                            }
                        });
                    match compare.side(&compare.picks[k]) {
                        Some(side) => branch_side(ui, side, sc),
                        None => {
                            ui.spinner();
                        }
                    }
                }
            });
        });
    open
}

fn branch_side(ui: &mut egui::Ui, side: &Side, sc: &Compiled) {
    let s = &side.standing;
    let thousands = |x: f64| crate::sim::combat::thousands(x.round() as i64);
    ui.label(
        RichText::new(format!(
            "Day {}{}",
            s.day,
            if s.over { ", the war is over" } else { "" }
        ))
        .strong(),
    );
    egui::Grid::new(("side", &side.name))
        .striped(true)
        .show(ui, |ui| {
            ui.label("");
            ui.label("ground held");
            ui.label("military dead");
            ui.end_row();
            for &(a, ground, dead) in &s.sides {
                ui.label(RichText::new(&sc.actors[a].name).color(colour(a)));
                ui.add(
                    egui::ProgressBar::new(ground as f32)
                        .desired_width(90.0)
                        .fill(colour(a))
                        .text(format!("{:.0}%", 100.0 * ground)),
                );
                ui.label(thousands(dead));
                ui.end_row();
            }
        });
    ui.label(format!(
        "Civilians dead {}; displaced {}",
        thousands(s.civilians),
        thousands(s.displaced)
    ));
    ui.label(format!(
        "Agreements: {} signed, {} in force",
        s.signed.len(),
        s.in_force()
    ));
    for (name, day, in_force) in &s.signed {
        let text = format!(
            "  the {name}, day {day}{}",
            if *in_force { ", in force" } else { "" }
        );
        ui.label(if *in_force {
            RichText::new(text).color(egui::Color32::LIGHT_GREEN)
        } else {
            RichText::new(text)
        });
    }
    ui.separator();
    match &side.odds {
        None => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("the advisor plays it out…");
            });
        }
        Some(Err(e)) => {
            ui.label(format!("Advisor: {e}"));
        }
        Some(Ok(f)) => {
            ui.label(
                RichText::new(format!(
                    "Durable agreement within {HORIZON_DAYS} days: {:.0}% ({:.0}–{:.0}%)",
                    100.0 * f.durable,
                    100.0 * f.durable_ci.0,
                    100.0 * f.durable_ci.1
                ))
                .strong(),
            );
            ui.label(format!(
                "Dead from now {}, capitulation {:.0}% ({} continuations)",
                thousands(f.dead),
                100.0 * f.capitulation,
                f.runs
            ));
        }
    }
}
