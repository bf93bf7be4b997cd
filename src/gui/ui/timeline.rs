//! The timeline bar: the branch played (a picker), a scrubber over the mornings
//! played on it, "Play from here" when a past morning is shown, and the compare
//! view's button. The frame drawn round the map says the past is shown.

use bevy::prelude::*;
use bevy_egui::egui::{self, Color32, RichText, Stroke};

use super::super::compare::Compare;
use super::super::state::Act;
use super::super::timeline::Scrub;
use crate::play::game::Game;
use crate::play::timeline::BranchView;

/// The colour of the past: the frame round the map and the bar's words.
pub const PAST: Color32 = Color32::from_rgb(240, 180, 40);

/// The live game's timeline, as the bar needs it.
pub struct Line {
    pub branches: Vec<BranchView>,
    pub branch: String,
    /// Today on the branch played.
    pub present: u32,
    /// The last morning that can be rebuilt (before `present` after `auto`).
    pub last_morning: u32,
}

impl Line {
    pub fn of(game: &Game) -> Line {
        Line {
            branches: game.branches(),
            branch: game.branch().to_string(),
            present: game.day(),
            last_morning: game.last_morning(),
        }
    }

    /// A day chosen on the scrubber, kept to the mornings that can be shown;
    /// `None` is the present.
    fn choose(&self, day: u32) -> Option<u32> {
        (day < self.present).then_some(day.min(self.last_morning))
    }

    /// The choice `by` days later (or earlier) than `day`.
    pub fn step(&self, day: Option<u32>, by: i32) -> Option<u32> {
        let now = day.unwrap_or(self.present);
        let next = now.saturating_add_signed(by).min(self.present);
        self.choose(next)
    }
}

pub fn bar(
    root: &mut egui::Ui,
    line: &Line,
    scrub: &mut Scrub,
    compare: &mut Compare,
    acts: &mut MessageWriter<Act>,
) {
    egui::Panel::bottom("timeline").show(root, |ui| {
        ui.horizontal(|ui| {
            ui.label(RichText::new("Timeline").strong());
            let mut pick = line.branch.clone();
            egui::ComboBox::from_id_salt("branch")
                .selected_text(format!("branch {}", line.branch))
                .show_ui(ui, |ui| {
                    for b in &line.branches {
                        ui.selectable_value(
                            &mut pick,
                            b.name.clone(),
                            format!("{} — {}, day {}", b.name, b.origin(), b.day),
                        );
                    }
                })
                .response
                .on_hover_text("the branch played; choose another to play it where it stands");
            if pick != line.branch {
                scrub.day = None;
                acts.write(Act::Switch(pick));
            }
            let mut day = scrub.day.unwrap_or(line.present);
            let slider = egui::Slider::new(&mut day, 0..=line.present.max(1))
                .text("day")
                .integer();
            if ui
                .add_enabled(line.present > 0, slider)
                .on_hover_text("look at the morning of a past day (Left and Right)")
                .changed()
            {
                scrub.day = line.choose(day);
            }
            match scrub.past_day() {
                Some(d) => {
                    ui.label(
                        RichText::new(format!(
                            "The morning of day {d}, as it was (today is day {})",
                            line.present
                        ))
                        .color(PAST)
                        .strong(),
                    );
                    if ui
                        .button("Play from here")
                        .on_hover_text(format!(
                            "play on from this morning as a new branch; branch {} is kept",
                            line.branch
                        ))
                        .clicked()
                    {
                        acts.write(Act::Fork(d));
                        scrub.day = None;
                    }
                    if ui.button("Back to today").clicked() {
                        scrub.day = None;
                    }
                }
                None => {
                    ui.label(format!(
                        "Today: day {} of branch {}",
                        line.present, line.branch
                    ));
                }
            }
            ui.separator();
            let label = format!("Compare branches (C) · {}", line.branches.len());
            if ui.selectable_label(compare.open, label).clicked() {
                compare.open = !compare.open;
            }
        });
    });
}

/// The frame round the map while a past morning is shown.
pub fn frame(ui: &egui::Ui) {
    ui.painter().rect_stroke(
        ui.max_rect(),
        4.0,
        Stroke::new(6.0, PAST),
        egui::StrokeKind::Inside,
    );
}
