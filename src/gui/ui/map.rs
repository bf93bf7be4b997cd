//! The theatre drawn as territories: each region's outline, or its Voronoi cell (from
//! its coordinates) where it has none, in its holder's colour, the front along the borders that enemies share, fresh
//! captures, labels that do not overlap, and a tooltip per region; and the influence
//! network of the actors.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use bevy_egui::egui::{self, Align2, Color32, FontId, Galley, Pos2, Sense, Shape, Stroke, Vec2};

use super::territory::{self, Cell};
use super::{Snapshot, colour};
use crate::scenario::Compiled;

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

/// A region's label, laid out once per map.
struct Label {
    galley: Arc<Galley>,
    at: Pos2,
}

/// What the map draws that changes only with the scenario or the panel: the regions'
/// places on screen, their cells and their labels.
struct Layout {
    key: u64,
    sites: Vec<Pos2>,
    bound: Vec<Pos2>,
    cells: Vec<Cell>,
    /// The regions drawn from outlines, and the triangles that fill each (empty for
    /// the others, whose convex cells fill directly).
    outlined: Vec<usize>,
    triangles: Vec<Vec<[u32; 3]>>,
    /// Town markers' radii, 0 for none.
    radii: Vec<f32>,
    labels: Vec<Label>,
}

/// How far the theatre reaches beyond its outermost regions, in points.
const MARGIN: f32 = 34.0;

/// The layout for this rect and scenario, from egui's memory when neither changed.
fn layout(ui: &egui::Ui, painter: &egui::Painter, rect: egui::Rect, sc: &Compiled) -> Arc<Layout> {
    let mut h = DefaultHasher::new();
    for v in [
        rect.min.x,
        rect.min.y,
        rect.max.x,
        rect.max.y,
        ui.ctx().pixels_per_point(),
    ] {
        v.to_bits().hash(&mut h);
    }
    for r in &sc.regions {
        (r.coords.0.to_bits(), r.coords.1.to_bits(), &r.name).hash(&mut h);
        (r.value.to_bits(), r.population.to_bits()).hash(&mut h);
        for p in &r.outline {
            (p.0.to_bits(), p.1.to_bits()).hash(&mut h);
        }
    }
    let key = h.finish();
    let id = ui.id().with("territory layout");
    if let Some(cached) = ui.data(|d| d.get_temp::<Arc<Layout>>(id))
        && cached.key == key
    {
        return cached;
    }
    let coords: Vec<(f64, f64)> = sc.regions.iter().map(|r| r.coords).collect();
    let corners: Vec<(f64, f64)> = sc
        .regions
        .iter()
        .flat_map(|r| r.outline.iter().copied())
        .chain(coords.iter().copied())
        .collect();
    let at = fit(&corners, rect);
    let sites: Vec<Pos2> = coords.iter().map(|&c| at(c)).collect();
    let reach: Vec<Pos2> = corners.iter().map(|&c| at(c)).collect();
    let bound = territory::bound(&reach, MARGIN, rect.shrink(2.0));
    let mut cells = territory::cells(&sites, &bound);
    let outlined: Vec<usize> = (0..sc.regions.len())
        .filter(|&r| !sc.regions[r].outline.is_empty())
        .collect();
    let mut triangles = vec![Vec::new(); sc.regions.len()];
    for &r in &outlined {
        let points: Vec<Pos2> = sc.regions[r].outline.iter().map(|&c| at(c)).collect();
        triangles[r] = territory::triangulate(&points);
        cells[r] = Cell {
            points,
            sides: Vec::new(),
        };
    }
    territory::link_outlines(&mut cells, &outlined);
    let radii = town_radii(sc, &cells);
    let labels = place_labels(painter, sc, &sites, &cells, &radii, rect);
    let fresh = Arc::new(Layout {
        key,
        sites,
        bound,
        cells,
        outlined,
        triangles,
        radii,
        labels,
    });
    ui.data_mut(|d| d.insert_temp(id, fresh.clone()));
    fresh
}

/// Names laid out by priority (value, then population): each just below its town, at
/// the first free spot around it, or at its area's centre; names that fit nowhere are
/// left off.
fn place_labels(
    painter: &egui::Painter,
    sc: &Compiled,
    sites: &[Pos2],
    cells: &[Cell],
    radii: &[f32],
    rect: egui::Rect,
) -> Vec<Label> {
    let mut order: Vec<usize> = (0..sc.regions.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (&sc.regions[a], &sc.regions[b]);
        rb.value
            .total_cmp(&ra.value)
            .then(rb.population.total_cmp(&ra.population))
    });
    let galleys: Vec<Arc<Galley>> = order
        .iter()
        .map(|&r| {
            let font = FontId::proportional(if sc.regions[r].value >= 0.5 {
                13.0
            } else {
                12.0
            });
            painter.layout_no_wrap(sc.regions[r].name.clone(), font, Color32::from_gray(235))
        })
        .collect();
    let wanted: Vec<(Vec<Pos2>, Vec2)> = order
        .iter()
        .zip(&galleys)
        .map(|(&r, g)| {
            let size = g.size() + Vec2::new(4.0, 0.0);
            (spots(sites[r], radii[r], size, cells.get(r)), size)
        })
        .collect();
    let mut marks: Vec<egui::Rect> = order
        .iter()
        .map(|&r| egui::Rect::from_center_size(sites[r], Vec2::splat(2.0 * radii[r])))
        .collect();
    // No name goes under the legend.
    marks.push(legend_box(sc, rect));
    territory::place_labels(&wanted, &marks, rect.shrink(4.0))
        .into_iter()
        .zip(galleys)
        .filter_map(|(spot, galley)| {
            let at = spot?.center() - galley.size() / 2.0;
            Some(Label { galley, at })
        })
        .collect()
}

/// Where a label of `size` may go, best first: below the town, above, to either side,
/// at the corners, then at the cell's centroid.
fn spots(town: Pos2, radius: f32, size: Vec2, cell: Option<&Cell>) -> Vec<Pos2> {
    let dy = radius + 2.0 + size.y / 2.0;
    let dx = radius + 3.0 + size.x / 2.0;
    let mut out: Vec<Pos2> = [
        Vec2::new(0.0, dy),
        Vec2::new(0.0, -dy),
        Vec2::new(dx, 0.0),
        Vec2::new(-dx, 0.0),
        Vec2::new(dx, dy),
        Vec2::new(-dx, dy),
        Vec2::new(dx, -dy),
        Vec2::new(-dx, -dy),
        Vec2::new(0.0, dy + size.y),
        Vec2::new(0.0, -dy - size.y),
    ]
    .into_iter()
    .map(|o| town + o)
    .collect();
    out.extend(cell.and_then(|c| territory::centroid(&c.points)));
    out
}

/// A region is contested when a neighbour is held by someone else; the holder of
/// that neighbour is returned (the first one, when there are several).
fn contested_by(snap: &Snapshot, r: usize) -> Option<usize> {
    let holder = snap.holders.get(r)?.0;
    snap.sc.regions[r]
        .adjacent
        .iter()
        .filter_map(|&q| snap.holders.get(q).map(|h| h.0))
        .find(|&h| h != holder)
}

fn recently_taken(snap: &Snapshot, r: usize) -> bool {
    snap.holders
        .get(r)
        .and_then(|h| h.1)
        .is_some_and(|d| d + 3 >= snap.day)
}

/// Where the last map drawn was, and its layout: what the screenshot mode reports.
#[derive(Clone)]
struct Drawn {
    panel: egui::Rect,
    layout: Arc<Layout>,
}

const DRAWN: &str = "truce map drawn";

/// The map panel last drawn and the boxes of the labels on it, if a map was drawn.
pub fn drawn_labels(ctx: &egui::Context) -> Option<(egui::Rect, Vec<egui::Rect>)> {
    let drawn = ctx.data(|d| d.get_temp::<Drawn>(egui::Id::new(DRAWN)))?;
    let boxes = drawn
        .layout
        .labels
        .iter()
        .map(|l| egui::Rect::from_min_size(l.at, l.galley.size()))
        .collect();
    Some((drawn.panel, boxes))
}

/// The map; with `hover`, the area under the pointer is outlined and explained.
pub fn theatre(ui: &mut egui::Ui, snap: &Snapshot, hover: bool) {
    let sc = &snap.sc;
    let (response, painter) = ui.allocate_painter(ui.available_size(), Sense::hover());
    let rect = response.rect;
    painter.rect_filled(rect, 4.0, Color32::from_rgb(28, 32, 38));
    if sc.regions.is_empty() || snap.holders.len() != sc.regions.len() {
        return;
    }
    let lay = layout(ui, &painter, rect, sc);
    ui.data_mut(|d| {
        d.insert_temp(
            egui::Id::new(DRAWN),
            Drawn {
                panel: rect,
                layout: lay.clone(),
            },
        )
    });
    painter.add(Shape::convex_polygon(
        lay.bound.clone(),
        Color32::from_rgb(36, 40, 46),
        Stroke::NONE,
    ));
    // Outlined areas go over computed cells, which may reach under them.
    for (r, cell) in lay.cells.iter().enumerate() {
        if lay.triangles[r].is_empty() {
            fill_cell(&painter, snap, r, cell, &[]);
        }
    }
    for &r in &lay.outlined {
        fill_cell(&painter, snap, r, &lay.cells[r], &lay.triangles[r]);
    }
    painter.add(Shape::closed_line(
        lay.bound.clone(),
        Stroke::new(1.5, Color32::from_gray(120)),
    ));
    borders(&painter, snap, &lay);
    for (r, cell) in lay.cells.iter().enumerate() {
        if recently_taken(snap, r) {
            painter.add(Shape::closed_line(
                inset(&cell.points, 2.5),
                Stroke::new(2.5, Color32::YELLOW),
            ));
        }
    }
    front(&painter, snap, &lay);
    offensives(&painter, snap, &lay);
    let hovered = response.hover_pos().filter(|_| hover).and_then(|p| {
        let inside = |&r: &usize| territory::contains(&lay.cells[r].points, p);
        lay.outlined
            .iter()
            .copied()
            .find(inside)
            .or_else(|| (0..lay.cells.len()).find(inside))
    });
    if let Some(r) = hovered {
        painter.add(Shape::closed_line(
            lay.cells[r].points.clone(),
            Stroke::new(2.0, Color32::WHITE),
        ));
    }
    towns(&painter, snap, &lay);
    for l in &lay.labels {
        // A dark shadow keeps names readable over any colour.
        for d in [Vec2::new(1.0, 1.0), Vec2::new(-1.0, 1.0)] {
            painter.galley_with_override_text_color(
                l.at + d,
                l.galley.clone(),
                Color32::from_black_alpha(220),
            );
        }
        painter.galley(l.at, l.galley.clone(), Color32::WHITE);
    }
    legend(&painter, snap, rect);
    if let Some(r) = hovered {
        response.on_hover_ui_at_pointer(|ui| tooltip(ui, snap, r));
    }
}

/// A region's area in its holder's colour: rear areas darker, contested ones bright
/// and hatched in the colour of the side that contests them. A convex cell fills
/// directly; an outline by its `triangles`.
fn fill_cell(
    painter: &egui::Painter,
    snap: &Snapshot,
    r: usize,
    cell: &Cell,
    triangles: &[[u32; 3]],
) {
    if cell.points.len() < 3 {
        return;
    }
    let holder = snap.holders[r].0;
    let by = contested_by(snap, r);
    let base = colour(holder);
    let fill = if by.is_some() {
        base
    } else {
        base.lerp_to_gamma(Color32::from_rgb(36, 40, 46), 0.45)
    };
    if triangles.is_empty() {
        painter.add(Shape::convex_polygon(
            cell.points.clone(),
            fill,
            Stroke::NONE,
        ));
    } else {
        let mut mesh = egui::Mesh::default();
        for &p in &cell.points {
            mesh.colored_vertex(p, fill);
        }
        for t in triangles {
            mesh.add_triangle(t[0], t[1], t[2]);
        }
        painter.add(Shape::mesh(mesh));
    }
    if let Some(enemy) = by {
        hatch(painter, &cell.points, colour(enemy).gamma_multiply(0.35));
    }
}

/// Diagonal stripes across a polygon.
fn hatch(painter: &egui::Painter, poly: &[Pos2], colour: Color32) {
    let bb = egui::Rect::from_points(poly);
    let step = 9.0;
    let span = bb.width() + bb.height();
    let mut t = 0.0;
    while t < span {
        let a = Pos2::new(bb.left() + t, bb.top());
        let b = a + Vec2::new(-bb.height(), bb.height());
        for seg in territory::inside_segments(poly, a, b) {
            painter.line_segment(seg, Stroke::new(1.5, colour));
        }
        t += step;
    }
}

/// `poly` pulled towards its centroid by `by` points, for outlines drawn inside a cell.
fn inset(poly: &[Pos2], by: f32) -> Vec<Pos2> {
    let Some(c) = territory::centroid(poly) else {
        return Vec::new();
    };
    poly.iter()
        .map(|&p| {
            let d = p - c;
            let len = d.length().max(1e-3);
            c + d * ((len - by).max(0.0) / len)
        })
        .collect()
}

/// Thin lines between regions of one holder, firmer ones where two holders meet but
/// the regions are not neighbours in the scenario (no fighting across).
fn borders(painter: &egui::Painter, snap: &Snapshot, lay: &Layout) {
    for (r, cell) in lay.cells.iter().enumerate() {
        let n = cell.points.len();
        for (i, side) in cell.sides.iter().enumerate() {
            let Some(q) = *side else {
                // An outline's outer edge: where the land ends.
                if !lay.triangles[r].is_empty() {
                    let seg = [cell.points[i], cell.points[(i + 1) % n]];
                    painter.line_segment(seg, Stroke::new(1.0, Color32::from_gray(20)));
                }
                continue;
            };
            if q < r {
                continue;
            }
            let seg = [cell.points[i], cell.points[(i + 1) % n]];
            let same = snap.holders[q].0 == snap.holders[r].0;
            // Cells too small for a town would be all border: leave theirs out.
            if same && lay.radii[r] <= 0.0 && lay.radii[q] <= 0.0 {
                continue;
            }
            let stroke = if same {
                Stroke::new(1.0, Color32::from_black_alpha(110))
            } else {
                Stroke::new(2.0, Color32::from_gray(20))
            };
            painter.line_segment(seg, stroke);
        }
    }
}

/// The front: thick red along the shared border of neighbours held by different sides,
/// or a dashed line between their towns where their cells do not touch.
fn front(painter: &egui::Painter, snap: &Snapshot, lay: &Layout) {
    let red = Color32::from_rgb(235, 70, 50);
    for (r, region) in snap.sc.regions.iter().enumerate() {
        for &q in &region.adjacent {
            if q <= r || q >= lay.cells.len() || snap.holders[q].0 == snap.holders[r].0 {
                continue;
            }
            let mut shared = lay.cells[r].shared_edges(q).peekable();
            match shared.peek() {
                Some(_) => {
                    for seg in shared {
                        painter.line_segment(seg, Stroke::new(6.0, Color32::from_black_alpha(160)));
                        painter.line_segment(seg, Stroke::new(4.0, red));
                    }
                }
                None => {
                    // Fainter: it crosses other regions, so it must not read as a border.
                    painter.add(Shape::dashed_line(
                        &[lay.sites[r], lay.sites[q]],
                        Stroke::new(1.5, red.gamma_multiply(0.6)),
                        8.0,
                        5.0,
                    ));
                }
            }
        }
    }
}

/// The day's offensives: an arrow into each region struck with a real chance of
/// taking it, from the attacker's neighbouring ground, thicker for better odds; in
/// yellow where the region fell.
fn offensives(painter: &egui::Painter, snap: &Snapshot, lay: &Layout) {
    for s in &snap.strikes {
        if s.chance < ARROW_CHANCE && !s.fell {
            continue;
        }
        let r = s.region;
        // From the attacker's neighbouring region with the longest border with it.
        let from = snap.sc.regions[r]
            .adjacent
            .iter()
            .copied()
            .filter(|&q| snap.holders.get(q).is_some_and(|h| h.0 == s.attacker))
            .max_by(|&a, &b| border(lay, r, a).total_cmp(&border(lay, r, b)));
        let Some(q) = from else { continue };
        // Across the front: from inside the attacker's ground, over the middle of the
        // longest stretch of border, to the town; where the areas do not touch, from
        // a third of the way between the towns.
        let b = lay.sites[r];
        let crossing = lay.cells[r]
            .shared_edges(q)
            .max_by(|x, y| (x[1] - x[0]).length().total_cmp(&(y[1] - y[0]).length()))
            .map(|[x, y]| x + (y - x) / 2.0);
        let a = match crossing {
            Some(m) => {
                let back = lay.sites[q] - m;
                m + back.normalized() * back.length().min(28.0)
            }
            None => lay.sites[q] + (b - lay.sites[q]) * 0.3,
        };
        let d = b - a;
        let len = d.length();
        if len < 8.0 {
            continue;
        }
        let dir = d / len;
        let start = a;
        let end = b - dir * (lay.radii[r] + 4.0);
        let width = 1.5 + 10.0 * (s.chance as f32).sqrt();
        let colour = if s.fell {
            Color32::YELLOW
        } else {
            colour(s.attacker).gamma_multiply(0.9)
        };
        painter.line_segment(
            [start, end],
            Stroke::new(width + 2.0, Color32::from_black_alpha(150)),
        );
        painter.arrow(start, end - start, Stroke::new(width, colour));
    }
}

/// Strikes less likely than this to take their region in a day get no arrow (the
/// ones under a truce, and weak probes), so that the map shows the offensives.
const ARROW_CHANCE: f64 = 0.01;

/// The length of the border regions `r` and `q` share on the map (0 where their
/// areas do not touch).
fn border(lay: &Layout, r: usize, q: usize) -> f32 {
    lay.cells[r]
        .shared_edges(q)
        .map(|[a, b]| (b - a).length())
        .sum()
}

/// A marker at each region's town, larger for more valuable ones; supply hubs ringed
/// in white, fresh captures in yellow.
fn towns(painter: &egui::Painter, snap: &Snapshot, lay: &Layout) {
    for (r, region) in snap.sc.regions.iter().enumerate() {
        let p = lay.sites[r];
        let radius = lay.radii[r];
        if radius <= 0.0 {
            continue;
        }
        painter.circle(
            p,
            radius,
            colour(snap.holders[r].0),
            Stroke::new(1.5, Color32::from_gray(15)),
        );
        if region.supply_hub {
            painter.circle_stroke(p, radius + 2.0, Stroke::new(1.5, Color32::WHITE));
        }
        if recently_taken(snap, r) {
            painter.circle_stroke(p, radius + 4.5, Stroke::new(2.0, Color32::YELLOW));
        }
    }
}

/// The radii of the regions' town markers: larger for more valuable regions, smaller
/// than their cells (0 where a cell is too small to show one).
fn town_radii(sc: &Compiled, cells: &[Cell]) -> Vec<f32> {
    let max_value = sc.regions.iter().map(|r| r.value).fold(0.0, f64::max);
    sc.regions
        .iter()
        .zip(cells)
        .map(|(r, cell)| {
            let wanted = if max_value > 0.0 {
                2.5 + 3.5 * (r.value / max_value) as f32
            } else {
                3.0
            };
            let room = 0.2 * territory::area(&cell.points).sqrt();
            if room < 1.5 { 0.0 } else { wanted.min(room) }
        })
        .collect()
}

/// Where the legend of the sides stands in the map panel `rect`: a row for each,
/// wider where a coalition's members name their leader.
fn legend_box(sc: &Compiled, rect: egui::Rect) -> egui::Rect {
    let rows = sc.belligerents().count();
    let width = if sc.belligerents().all(|a| sc.leads(a)) {
        230.0
    } else {
        280.0
    };
    egui::Rect::from_min_size(
        rect.left_top() + Vec2::new(6.0, 6.0),
        Vec2::new(width, 10.0 + 18.0 * rows as f32),
    )
}

/// Who holds how much, and how to read the map.
fn legend(painter: &egui::Painter, snap: &Snapshot, rect: egui::Rect) {
    let sc = &snap.sc;
    let sides = sc.belligerents();
    let mut rows: Vec<(usize, String)> = Vec::new();
    for a in sides {
        let held = snap.holders.iter().filter(|h| h.0 == a).count();
        let mut row = format!("{} — {held} regions", sc.actors[a].name);
        if !sc.leads(a) {
            row.push_str(&format!(", allied with {}", sc.actors[sc.camp(a)].name));
        }
        rows.push((a, row));
    }
    let box_ = legend_box(sc, rect);
    painter.rect_filled(box_, 4.0, Color32::from_black_alpha(150));
    let mut y = rect.top() + 20.0;
    for (a, text) in rows {
        painter.rect_filled(
            egui::Rect::from_center_size(Pos2::new(rect.left() + 18.0, y), Vec2::splat(11.0)),
            2.0,
            colour(a),
        );
        painter.text(
            Pos2::new(rect.left() + 30.0, y),
            Align2::LEFT_CENTER,
            text,
            FontId::proportional(13.0),
            Color32::from_gray(230),
        );
        y += 18.0;
    }
    painter.text(
        Pos2::new(rect.left() + 10.0, rect.bottom() - 12.0),
        Align2::LEFT_CENTER,
        "red: front · arrows: today's strikes · hatched: contested · dim: rear · \
         yellow: taken ≤ 3 days · ring: hub · N: network",
        FontId::proportional(11.0),
        Color32::from_gray(160),
    );
}

/// What the scenario and the day say about region `r`.
fn tooltip(ui: &mut egui::Ui, snap: &Snapshot, r: usize) {
    let sc = &snap.sc;
    let region = &sc.regions[r];
    let (holder, since) = snap.holders[r];
    ui.strong(&region.name);
    let held = match since {
        Some(d) => format!("Held by {} since day {d}", sc.actors[holder].name),
        None => format!("Held by {}", sc.actors[holder].name),
    };
    ui.colored_label(colour(holder), held);
    if let Some(by) = contested_by(snap, r) {
        ui.label(format!(
            "Contested: on the front with {}",
            sc.actors[by].name
        ));
    }
    ui.label(format!("Population {}", thousands(region.population)));
    ui.label(format!(
        "Value {:.2} · defensibility {:.2} (cover ×{:.2})",
        region.value, region.defensibility, region.cover
    ));
    if region.supply_hub {
        ui.label("Supply hub");
    }
    for s in snap.strikes.iter().filter(|s| s.region == r) {
        let what = if s.fell { " — and took it" } else { "" };
        ui.colored_label(
            colour(s.attacker),
            format!(
                "Struck by {} today: {} chance of taking it{what}",
                sc.actors[s.attacker].name,
                percent(s.chance)
            ),
        );
    }
    if !region.contestable {
        ui.label("Not contestable: no fighting here");
    }
}

/// A daily chance as a percentage, with a decimal for the small ones.
fn percent(p: f64) -> String {
    if p < 0.1 {
        format!("{:.1}%", 100.0 * p)
    } else {
        format!("{:.0}%", 100.0 * p)
    }
}

/// `12345.0` as `12,345`.
fn thousands(x: f64) -> String {
    crate::sim::combat::thousands(x.max(0.0).round() as i64)
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
