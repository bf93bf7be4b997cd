//! The side panels: the top bar, the actors, the negotiating table with the
//! player's actions, and the chronicle with its charts.

use bevy::prelude::*;
use bevy_egui::egui::{self, Color32, RichText};
use egui_plot::{Legend, Line, Plot};

use super::super::advisor::{Advisor, Ask};
use super::super::autoplay::Autoplay;
use super::super::state::{Act, Session};
use super::{Snapshot, View, colour};
use crate::play::advisor::HORIZON_DAYS;
use crate::play::command::Command;
use crate::play::game::{CardView, Stage};
use crate::play::view;
use crate::sim::player::Reply;

pub fn top(
    root: &mut egui::Ui,
    snap: &Snapshot,
    auto: &mut Autoplay,
    view: &mut View,
    advisor: &Advisor,
    acts: &mut MessageWriter<Act>,
    asks: &mut MessageWriter<Ask>,
) {
    egui::Panel::top("top").show(root, |ui| {
        ui.horizontal(|ui| {
            ui.heading(&snap.sc.name);
            ui.separator();
            ui.label(RichText::new(crate::play::view::day_label(&snap.sc, snap.day)).strong());
            ui.separator();
            ui.label(format!("You play {}", snap.sc.actors[snap.seat].name));
            ui.separator();
            let (label, hint) = match snap.stage {
                Stage::Orders => (
                    "End the morning (Enter)",
                    "table proposals, press, then end the morning",
                ),
                Stage::Answers => ("End the day (Enter)", "answer what is put to you"),
                Stage::Over => ("The war is over", ""),
            };
            if ui
                .add_enabled(
                    snap.stage != Stage::Over && !snap.past,
                    egui::Button::new(label),
                )
                .on_hover_text(hint)
                .clicked()
            {
                acts.write(Act::Cmd(Command::End));
            }
            ui.add_enabled(
                !snap.past,
                egui::Checkbox::new(&mut auto.on, "Autoplay (P)"),
            );
            ui.add(egui::Slider::new(&mut auto.days_per_second, 0.5..=20.0).text("days/s"));
            ui.separator();
            let asking = advisor.busy().is_some();
            if ui
                .add_enabled(!asking && !snap.past, egui::Button::new("Advisor (A)"))
                .on_hover_text("odds with today's moves against ending the day without them")
                .clicked()
            {
                asks.write(Ask(Vec::new()));
            }
            if ui
                .button(if view.network {
                    "Map (N)"
                } else {
                    "Network (N)"
                })
                .clicked()
            {
                view.network = !view.network;
            }
            if ui.button("Save (S)").clicked() {
                acts.write(Act::Save);
            }
            if ui.button("Help (H)").clicked() {
                view.help = !view.help;
            }
        });
        ui.label(&snap.war);
    });
}

pub fn actors(root: &mut egui::Ui, snap: &Snapshot) {
    egui::Panel::left("actors")
        .resizable(true)
        .default_size(300.0)
        .show(root, |ui| {
            ui.heading("Actors");
            egui::ScrollArea::vertical().show(ui, |ui| {
                for a in &snap.actors {
                    let title =
                        RichText::new(format!("{} — {}", a.name, a.role)).color(colour(a.ix));
                    egui::CollapsingHeader::new(title)
                        .id_salt(("actor", a.ix))
                        .default_open(a.ix == snap.seat || a.role == "belligerent")
                        .show(ui, |ui| actor(ui, snap, a));
                }
            });
        });
}

fn actor(ui: &mut egui::Ui, snap: &Snapshot, a: &view::ActorView) {
    ui.label(format!("Leader: {}", a.leader));
    if let Some(text) = view::alignment_text(&snap.sc, a.ix) {
        ui.label(crate::sim::outcome::capitalise(&text))
            .on_hover_text(
                "Allies share a camp: they do not fight each other, they supply each other, and \
             they strike together where both border a region. A patron lends its share of \
             its military help to each client.",
            );
    }
    if let Some(text) = view::aims_text(&snap.sc, a) {
        ui.label(crate::sim::outcome::capitalise(&text))
            .on_hover_text(
                "The enemy-held regions it attacks: its scenario's aims, or those its stances on \
             the map issues ask for. It concentrates its offensives where taking ground is \
             worth most and most likely.",
            );
    }
    ui.label(format!(
        "Capabilities: military {:.2}, economic {:.2}, diplomatic {:.2}",
        a.military, a.economic, a.diplomatic
    ));
    if let Some((troops, morale, dead)) = a.army {
        ui.label(format!(
            "Troops {}, morale {morale:.2}, dead {}",
            crate::sim::combat::thousands(troops.round() as i64),
            crate::sim::combat::thousands(dead.round() as i64)
        ));
        ui.add(
            egui::ProgressBar::new(a.exhaustion as f32)
                .text(format!("exhaustion {:.0}%", 100.0 * a.exhaustion)),
        );
    }
    if let Some(l) = a.leverage {
        ui.add(egui::ProgressBar::new(l as f32).text(format!("leverage {l:.2}")));
    }
    ui.label(format!(
        "War outlook (BATNA) {:.2}; hurting {:+.2}; resolve {:.2}; pressure at home {:.2}",
        a.batna, a.hurt, a.resolve, a.pressure
    ))
    .on_hover_text("BATNA: what fighting on is worth to it. Hurting > 0: it would rather stop where it stands.");
    if let Some((mean, spread)) = a.belief {
        ui.label(format!(
            "Reckons its power {} of what it is",
            crate::play::view::belief_text(mean, spread)
        ))
        .on_hover_text(
            "Its belief about the balance of power: the factor it applies to its own strength \
             when it projects the war (×1 is the truth). With uncertainty, battles revise it.",
        );
    }
    if let Some(text) = view::capital_text(&snap.sc, a) {
        ui.label(crate::sim::outcome::capitalise(&text))
            .on_hover_text(
                "The chance it reckons its capital falls within its horizon: the enemy that takes \
             it would dictate the peace, and its war outlook counts that.",
            );
    }
    if let Some(text) = view::fall_text(&snap.sc, a) {
        ui.label(crate::sim::outcome::capitalise(&text))
            .on_hover_text(
                "Its value of fighting on has just fallen off a cliff (Zartman's precipice): \
             texts that wait for a ripe moment are drafted the next morning.",
            );
    }
    if let Some((support, leaders)) = a.home {
        let text = crate::play::view::support_text(&snap.sc, support, leaders);
        let low = support < snap.sc.model.repudiation_support;
        let line = if low {
            egui::RichText::new(text).color(Color32::from_rgb(235, 150, 60))
        } else {
            egui::RichText::new(text)
        };
        ui.label(line).on_hover_text(
            "Its government's support at home: losses and lost ground wear it down, \
             concessions signed cost it; low support may repudiate a deal, and protests may \
             bring down the leader.",
        );
    }
    egui::Grid::new(("stance", a.ix))
        .striped(true)
        .show(ui, |ui| {
            for (k, issue) in snap.sc.issues.iter().enumerate() {
                let Some(&(position, salience)) = a.stance.get(k) else {
                    continue;
                };
                if salience <= 0.0 {
                    continue;
                }
                ui.label(&issue.name)
                    .on_hover_text(format!("0 = {}, 1 = {}", issue.low, issue.high));
                ui.add(
                    egui::ProgressBar::new(position as f32)
                        .desired_width(110.0)
                        .text(format!("{position:.2} (cares {salience:.1})")),
                );
                ui.end_row();
            }
        });
    let ties: Vec<String> = snap.influence[a.ix]
        .iter()
        .enumerate()
        .filter(|&(j, &w)| j != a.ix && w > 0.05)
        .map(|(j, w)| format!("{} {w:.2}", snap.sc.actors[j].name))
        .collect();
    if !ties.is_empty() {
        ui.label(format!("Influence over: {}", ties.join(", ")));
    }
}

pub fn table(
    root: &mut egui::Ui,
    snap: &Snapshot,
    view: &mut View,
    advisor: &Advisor,
    acts: &mut MessageWriter<Act>,
    asks: &mut MessageWriter<Ask>,
) {
    egui::Panel::right("table")
        .resizable(true)
        .default_size(420.0)
        .show(root, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                ui.heading("The negotiating table");
                for line in &snap.in_force {
                    ui.label(RichText::new(line).color(Color32::LIGHT_GREEN));
                }
                // A past morning is looked at, not played: "Play from here" first.
                ui.add_enabled_ui(!snap.past, |ui| match snap.stage {
                    Stage::Orders => orders(ui, snap, view, acts, asks),
                    Stage::Answers => answers(ui, snap, acts),
                    Stage::Over => {}
                });
                ui.separator();
                advice(ui, advisor);
            });
        });
}

fn odds(ui: &mut egui::Ui, snap: &Snapshot, card: &CardView) {
    if card.odds.is_empty() {
        ui.label("Odds appear after the first day's assessment.");
        return;
    }
    for (party, why) in &card.odds {
        let who = &snap.sc.actors[*party].name;
        let you = if *party == snap.seat {
            " (you: the AI would sign at)"
        } else {
            ""
        };
        egui::CollapsingHeader::new(format!(
            "{who}{you}: {:.0}% to sign",
            100.0 * why.probability
        ))
        .id_salt(("why", card.serial, *party))
        .show(ui, |ui| {
            egui::Grid::new(("reasons", card.serial, *party)).show(ui, |ui| {
                for (reason, value) in view::reasons(why) {
                    ui.label(reason);
                    ui.label(format!("{value:+.3}"));
                    ui.end_row();
                }
                ui.label(RichText::new("margin").strong());
                ui.label(RichText::new(format!("{:+.3}", why.margin)).strong());
                ui.end_row();
            });
            if let Some(behind) = snap
                .actors
                .get(*party)
                .and_then(|a| view::outlook_text(&snap.sc, a))
            {
                ui.label(format!("Its war outlook: {behind}"));
            }
        });
    }
}

fn orders(
    ui: &mut egui::Ui,
    snap: &Snapshot,
    view: &mut View,
    acts: &mut MessageWriter<Act>,
    asks: &mut MessageWriter<Ask>,
) {
    ui.label(RichText::new("You may table").strong());
    if snap.offers.is_empty() {
        ui.label("Nothing you can table today.");
    }
    for card in &snap.offers {
        ui.group(|ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(&card.name).strong());
                if ui.button("Table").clicked() {
                    acts.write(Act::Cmd(Command::Table(card.id.clone())));
                }
                if ui.button("Ask the advisor").clicked() {
                    asks.write(Ask(vec![Command::Table(card.id.clone())]));
                }
            });
            odds(ui, snap, card);
        });
    }
    if !snap.sc.proposals.is_empty() && ui.button("Compose a proposal…").clicked() {
        view.compose = Some(super::windows::Compose::new(&snap.sc, snap.seat));
    }
    ui.separator();
    let names: Vec<&str> = snap.sc.actors.iter().map(|a| a.name.as_str()).collect();
    ui.horizontal(|ui| {
        egui::ComboBox::from_id_salt("pressure-on")
            .selected_text(names[view.pressure_on.min(names.len() - 1)])
            .show_ui(ui, |ui| {
                for (i, n) in names.iter().enumerate() {
                    ui.selectable_value(&mut view.pressure_on, i, *n);
                }
            });
        ui.add(egui::Slider::new(&mut view.pressure, 0.05..=1.0).text("pressure"));
        if ui.button("Press").clicked() {
            let id = snap.sc.actors[view.pressure_on].id.clone();
            acts.write(Act::Cmd(Command::Pressure(id, view.pressure)));
        }
    });
    if snap.sc.actors[snap.seat].role == crate::scenario::compiled::Role::Belligerent {
        if view.declare_days == 0 {
            view.declare_days = 7;
        }
        ui.horizontal(|ui| {
            let most = crate::play::command::MAX_DECLARED_DAYS;
            ui.add(egui::Slider::new(&mut view.declare_days, 1..=most).text("days"));
            if ui
                .button("Declare a ceasefire")
                .on_hover_text("Stop your offensives from tomorrow, without any agreement; it ends if you lose ground")
                .clicked()
            {
                acts.write(Act::Cmd(Command::Declare(view.declare_days)));
            }
        });
    }
    if let Some(left) = snap.leverage_left {
        ui.horizontal(|ui| {
            egui::ComboBox::from_id_salt("incentive-to")
                .selected_text(names[view.incentive_to.min(names.len() - 1)])
                .show_ui(ui, |ui| {
                    for (i, n) in names.iter().enumerate() {
                        ui.selectable_value(&mut view.incentive_to, i, *n);
                    }
                });
            let max = left.max(0.01);
            view.incentive = view.incentive.min(max);
            ui.add(egui::Slider::new(&mut view.incentive, 0.0..=max).text("leverage"));
            if ui.button("Offer").clicked() {
                let id = snap.sc.actors[view.incentive_to].id.clone();
                acts.write(Act::Cmd(Command::Incentive(id, view.incentive)));
            }
        });
    }
}

fn answers(ui: &mut egui::Ui, snap: &Snapshot, acts: &mut MessageWriter<Act>) {
    ui.label(RichText::new("On the table today").strong());
    for card in &snap.table {
        ui.group(|ui| {
            let broker = card.broker.map_or("?", |b| snap.sc.actors[b].name.as_str());
            ui.label(RichText::new(format!("{}, tabled by {broker}", card.name)).strong());
            odds(ui, snap, card);
            if card.terms.parties.contains(&snap.seat) {
                ui.horizontal(|ui| {
                    for (label, reply) in [
                        ("Accept", Reply::Accept),
                        ("Reject", Reply::Reject),
                        ("Counter", Reply::Counter),
                    ] {
                        let chosen = card.reply == Some(reply);
                        if ui.selectable_label(chosen, label).clicked() {
                            let id = card.id.clone();
                            acts.write(Act::Cmd(match reply {
                                Reply::Accept => Command::Accept(id),
                                Reply::Reject => Command::Reject(id),
                                Reply::Counter => Command::Counter(id),
                            }));
                        }
                    }
                });
            }
        });
    }
}

fn advice(ui: &mut egui::Ui, advisor: &Advisor) {
    ui.label(RichText::new("Advisor").strong());
    if let Some(q) = advisor.busy() {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(format!("playing out {q}…"));
        });
    }
    match &advisor.last {
        None => {
            ui.label("Ask what your moves lead to: A, or a proposal's button.");
        }
        Some((q, Err(e))) => {
            ui.label(format!("{q}: {e}"));
        }
        Some((q, Ok(a))) => {
            ui.label(format!(
                "{q} ({} continuations each, {:.2} s)",
                a.with.runs, a.seconds
            ));
            egui::Grid::new("advice").striped(true).show(ui, |ui| {
                ui.label("");
                ui.label("with");
                ui.label("without");
                ui.end_row();
                ui.label(format!("durable within {HORIZON_DAYS} days"));
                ui.label(format!("{:.1}%", 100.0 * a.with.durable));
                ui.label(format!("{:.1}%", 100.0 * a.without.durable));
                ui.end_row();
                ui.label("dead from now");
                ui.label(crate::sim::combat::thousands(a.with.dead.round() as i64));
                ui.label(crate::sim::combat::thousands(a.without.dead.round() as i64));
                ui.end_row();
                ui.label("displaced from now");
                ui.label(crate::sim::combat::thousands(
                    a.with.displaced.round() as i64
                ));
                ui.label(crate::sim::combat::thousands(
                    a.without.displaced.round() as i64
                ));
                ui.end_row();
                ui.label("capitulation");
                ui.label(format!("{:.1}%", 100.0 * a.with.capitulation));
                ui.label(format!("{:.1}%", 100.0 * a.without.capitulation));
                ui.end_row();
            });
        }
    }
}

/// Height of the chronicle and of the charts beside it.
const BOTTOM_HEIGHT: f32 = 210.0;

pub fn bottom(root: &mut egui::Ui, snap: &Snapshot, session: &Session) {
    egui::Panel::bottom("chronicle")
        .resizable(false)
        .exact_size(BOTTOM_HEIGHT + 30.0)
        .show(root, |ui| {
            ui.columns(2, |cols| {
                cols[0].heading("Chronicle (latest first)");
                egui::ScrollArea::vertical()
                    .id_salt("news")
                    .max_height(BOTTOM_HEIGHT)
                    .auto_shrink([false, false])
                    .show(&mut cols[0], |ui| {
                        for note in session.notes.iter().rev().take(2) {
                            ui.label(RichText::new(note).italics().color(Color32::LIGHT_BLUE));
                        }
                        for e in snap.chronicle.iter().rev() {
                            ui.label(format!(
                                "{} {}: {}",
                                snap.sc.start.plus_days(i64::from(e.day)),
                                e.place,
                                e.text
                            ));
                        }
                    });
                charts(&mut cols[1], snap, session);
            });
        });
}

fn charts(ui: &mut egui::Ui, snap: &Snapshot, session: &Session) {
    let sc = &snap.sc;
    let h = BOTTOM_HEIGHT - 20.0;
    ui.horizontal(|ui| {
        let w = ui.available_width() / 4.0 - 6.0;
        ui.vertical(|ui| {
            ui.label("Military dead");
            Plot::new("dead")
                .height(h)
                .width(w)
                .legend(Legend::default())
                .show(ui, |plot| {
                    for a in sc.belligerents() {
                        let pts: Vec<[f64; 2]> = snap
                            .days
                            .iter()
                            .map(|d| [f64::from(d.day), d.military_dead[a]])
                            .collect();
                        plot.line(Line::new(sc.actors[a].name.clone(), pts).color(colour(a)));
                    }
                });
        });
        ui.vertical(|ui| {
            ui.label("Ground held (%)");
            Plot::new("ground").height(h).width(w).show(ui, |plot| {
                for a in sc.belligerents() {
                    let pts: Vec<[f64; 2]> = snap
                        .days
                        .iter()
                        .map(|d| [f64::from(d.day), 100.0 * d.control[a]])
                        .collect();
                    plot.line(Line::new(sc.actors[a].name.clone(), pts).color(colour(a)));
                }
            });
        });
        ui.vertical(|ui| {
            ui.label("Odds of signing (%)");
            Plot::new("odds").height(h).width(w).show(ui, |plot| {
                for a in sc.belligerents() {
                    let pts: Vec<[f64; 2]> = session
                        .odds_log
                        .iter()
                        .filter(|&&(d, p, _)| p == a && d <= snap.day)
                        .map(|&(d, _, prob)| [f64::from(d), 100.0 * prob])
                        .collect();
                    plot.line(Line::new(sc.actors[a].name.clone(), pts).color(colour(a)));
                }
            });
        });
        ui.vertical(|ui| {
            ui.label("Beliefs (×own power) and gap").on_hover_text(
                "The factor each side applies to its own strength (1 is the truth), and \
                     the gap: the sum of their logs, 0 when both see the balance as it is.",
            );
            Plot::new("beliefs").height(h).width(w).show(ui, |plot| {
                for a in sc.belligerents() {
                    let pts: Vec<[f64; 2]> = snap
                        .days
                        .iter()
                        .map(|d| [f64::from(d.day), d.belief.get(a).copied().unwrap_or(1.0)])
                        .collect();
                    plot.line(Line::new(sc.actors[a].name.clone(), pts).color(colour(a)));
                }
                let gap: Vec<[f64; 2]> = snap
                    .days
                    .iter()
                    .map(|d| [f64::from(d.day), d.belief_gap])
                    .collect();
                plot.line(Line::new("gap", gap).color(Color32::GRAY));
            });
        });
    });
}
