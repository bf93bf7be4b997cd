//! The theatre drawn from the scenario's regions (coordinates, adjacency, control
//! colours, the front line, fresh captures), and the influence network of the actors.

use bevy_egui::egui::{self, Align2, Color32, FontId, Pos2, Sense, Stroke, Vec2};

use super::{Snapshot, colour};

/// Maps scenario coordinates into `rect`, keeping the aspect ratio.
fn fit(points: &[(f64, f64)], rect: egui::Rect) -> impl Fn((f64, f64)) -> Pos2 + use<> {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in points {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    let margin = 40.0;
    let (w, h) = ((x1 - x0).max(1e-9), (y1 - y0).max(1e-9));
    let scale = ((f64::from(rect.width()) - 2.0 * margin) / w)
        .min((f64::from(rect.height()) - 2.0 * margin) / h)
        .max(0.0);
    let (cx, cy) = (f64::from(rect.center().x), f64::from(rect.center().y));
    let (mx, my) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    // Scenario y grows northward; the screen's grows downward.
    move |(x, y)| {
        Pos2::new(
            (cx + (x - mx) * scale) as f32,
            (cy - (y - my) * scale) as f32,
        )
    }
}

pub fn theatre(ui: &mut egui::Ui, snap: &Snapshot) {
    let sc = &snap.sc;
    let (response, painter) = ui.allocate_painter(ui.available_size(), Sense::hover());
    let rect = response.rect;
    painter.rect_filled(rect, 4.0, Color32::from_rgb(28, 32, 38));
    let coords: Vec<(f64, f64)> = sc.regions.iter().map(|r| r.coords).collect();
    let at = fit(&coords, rect);
    // Roads between neighbours; the front line where neighbours are held by enemies.
    for (r, region) in sc.regions.iter().enumerate() {
        for &q in &region.adjacent {
            if q < r {
                continue;
            }
            let front = snap.holders[r].0 != snap.holders[q].0;
            let stroke = if front {
                Stroke::new(4.0, Color32::from_rgb(235, 70, 50))
            } else {
                Stroke::new(1.5, Color32::from_gray(90))
            };
            painter.line_segment([at(region.coords), at(sc.regions[q].coords)], stroke);
        }
    }
    let max_value = sc
        .regions
        .iter()
        .map(|r| r.value)
        .fold(0.0, f64::max)
        .max(1e-9);
    for (r, region) in sc.regions.iter().enumerate() {
        let p = at(region.coords);
        let (holder, since) = snap.holders[r];
        let radius = 8.0 + 10.0 * (region.value / max_value) as f32;
        painter.circle_filled(p, radius, colour(holder));
        // A capture in the last three days: a bright ring.
        if since.is_some_and(|d| d + 3 >= snap.day) {
            painter.circle_stroke(p, radius + 4.0, Stroke::new(2.5, Color32::YELLOW));
        }
        if region.supply_hub {
            painter.circle_stroke(p, radius, Stroke::new(1.5, Color32::WHITE));
        }
        painter.text(
            p + Vec2::new(0.0, radius + 8.0),
            Align2::CENTER_CENTER,
            &region.name,
            FontId::proportional(12.0),
            Color32::from_gray(225),
        );
    }
    // Legend: who holds what.
    let mut y = rect.top() + 14.0;
    for a in sc.belligerents() {
        let held = snap.holders.iter().filter(|h| h.0 == a).count();
        painter.circle_filled(Pos2::new(rect.left() + 16.0, y), 6.0, colour(a));
        painter.text(
            Pos2::new(rect.left() + 28.0, y),
            Align2::LEFT_CENTER,
            format!("{} — {held} regions", sc.actors[a].name),
            FontId::proportional(13.0),
            Color32::from_gray(230),
        );
        y += 18.0;
    }
    painter.text(
        Pos2::new(rect.left() + 10.0, rect.bottom() - 12.0),
        Align2::LEFT_CENTER,
        "red: the front line · yellow ring: taken in the last 3 days · N: influence network",
        FontId::proportional(11.0),
        Color32::from_gray(150),
    );
}

pub fn network(ui: &mut egui::Ui, snap: &Snapshot) {
    let sc = &snap.sc;
    let (response, painter) = ui.allocate_painter(ui.available_size(), Sense::hover());
    let rect = response.rect;
    painter.rect_filled(rect, 4.0, Color32::from_rgb(28, 32, 38));
    let n = sc.actors.len().max(1);
    let radius = 0.38 * rect.width().min(rect.height());
    let at = |i: usize| {
        let angle = std::f32::consts::TAU * i as f32 / n as f32 - std::f32::consts::FRAC_PI_2;
        rect.center() + radius * Vec2::new(angle.cos(), angle.sin())
    };
    for (from, row) in snap.influence.iter().enumerate() {
        for (to, &w) in row.iter().enumerate() {
            if from == to || w <= 0.05 {
                continue;
            }
            let (a, b) = (at(from), at(to));
            let dir = (b - a).normalized();
            // Offset each direction a little so that both arrows of a pair show.
            let side = Vec2::new(-dir.y, dir.x) * 4.0;
            let start = a + dir * 24.0 + side;
            let end = b - dir * 28.0 + side;
            painter.arrow(
                start,
                end - start,
                Stroke::new(1.0 + 5.0 * w as f32, colour(from).gamma_multiply(0.8)),
            );
        }
    }
    for (i, a) in sc.actors.iter().enumerate() {
        let p = at(i);
        painter.circle_filled(p, 22.0, colour(i));
        if i == snap.seat {
            painter.circle_stroke(p, 26.0, Stroke::new(2.5, Color32::WHITE));
        }
        painter.text(
            p + Vec2::new(0.0, 36.0),
            Align2::CENTER_CENTER,
            &a.name,
            FontId::proportional(13.0),
            Color32::from_gray(230),
        );
    }
    painter.text(
        Pos2::new(rect.left() + 10.0, rect.bottom() - 12.0),
        Align2::LEFT_CENTER,
        "arrows: influence (thicker is stronger) · N: the map",
        FontId::proportional(11.0),
        Color32::from_gray(150),
    );
}
