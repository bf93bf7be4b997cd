//! Plane geometry for the territory map, in screen coordinates: the theatre's bounding
//! shape, a Voronoi cell per region, the borders of outlines, triangles to fill them,
//! point-in-polygon hit tests, and label placement.
//! Pure functions, so that they can be tested without a window.

use bevy_egui::egui::{Pos2, Rect, Vec2};

/// Below this, a point is taken to lie on a clipping line (screen pixels).
const EPS: f32 = 1e-3;

/// A region's area: a convex Voronoi cell, or its outline. `sides[i]` names the site across the edge `points[i] → points[i + 1]`
/// (wrapping), or `None` where the edge is the theatre's bound.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub points: Vec<Pos2>,
    pub sides: Vec<Option<usize>>,
}

impl Cell {
    /// Every edge this cell shares with `other`'s: one for Voronoi cells, a run of
    /// them along the border of two outlines.
    pub fn shared_edges(&self, other: usize) -> impl Iterator<Item = [Pos2; 2]> + '_ {
        let n = self.points.len();
        self.sides
            .iter()
            .enumerate()
            .filter(move |&(_, &s)| s == Some(other))
            .map(move |(i, _)| [self.points[i], self.points[(i + 1) % n]])
    }
}

/// Names the neighbour across each edge of the cells drawn from outlines: an edge
/// whose two corners are also consecutive corners of another outline is their shared
/// border (neighbours' outlines share corners along it). Other edges stay `None`.
/// A cell edge by its two corners on the grid, with the cells that have it.
type EdgeCells = std::collections::HashMap<((i64, i64), (i64, i64)), Vec<usize>>;

pub fn link_outlines(cells: &mut [Cell], outlined: &[usize]) {
    // Corners are placed by one transform, so shared ones agree to a fraction of a
    // pixel; a quarter-pixel grid absorbs rounding.
    let key = |p: Pos2| ((p.x * 4.0).round() as i64, (p.y * 4.0).round() as i64);
    let mut edges = EdgeCells::new();
    for &r in outlined {
        let pts = &cells[r].points;
        let n = pts.len();
        for i in 0..n {
            let (a, b) = (key(pts[i]), key(pts[(i + 1) % n]));
            edges.entry((a.min(b), a.max(b))).or_default().push(r);
        }
    }
    for &r in outlined {
        let n = cells[r].points.len();
        let sides: Vec<Option<usize>> = (0..n)
            .map(|i| {
                let pts = &cells[r].points;
                let (a, b) = (key(pts[i]), key(pts[(i + 1) % n]));
                edges[&(a.min(b), a.max(b))]
                    .iter()
                    .copied()
                    .find(|&q| q != r)
            })
            .collect();
        cells[r].sides = sides;
    }
}

/// Triangles covering a simple polygon (ear clipping), as corner indices; convex or
/// not. Quadratic in the corners, so it runs once per layout, not per frame.
pub fn triangulate(poly: &[Pos2]) -> Vec<[u32; 3]> {
    let n = poly.len();
    if n < 3 {
        return Vec::new();
    }
    let turn = area2(poly).signum();
    let mut left: Vec<usize> = (0..n).collect();
    let mut out = Vec::with_capacity(n - 2);
    let cross = |o: Pos2, a: Pos2, b: Pos2| (a - o).x * (b - o).y - (a - o).y * (b - o).x;
    while left.len() > 3 {
        let m = left.len();
        let ear = (0..m).find(|&k| {
            let (a, b, c) = (left[(k + m - 1) % m], left[k], left[(k + 1) % m]);
            let (pa, pb, pc) = (poly[a], poly[b], poly[c]);
            if cross(pa, pb, pc) * turn <= 0.0 {
                return false;
            }
            // No other corner may lie inside the ear.
            !left.iter().any(|&q| {
                q != a
                    && q != b
                    && q != c
                    && cross(pa, pb, poly[q]) * turn >= 0.0
                    && cross(pb, pc, poly[q]) * turn >= 0.0
                    && cross(pc, pa, poly[q]) * turn >= 0.0
            })
        });
        // A degenerate ring (collinear runs) may have no clean ear: cut any corner.
        let k = ear.unwrap_or(0);
        let (a, b, c) = (left[(k + m - 1) % m], left[k], left[(k + 1) % m]);
        out.push([a as u32, b as u32, c as u32]);
        left.remove(k);
    }
    out.push([left[0] as u32, left[1] as u32, left[2] as u32]);
    out
}

/// The parts of segment `a → b` inside a simple polygon, convex or not (even-odd).
pub fn inside_segments(poly: &[Pos2], a: Pos2, b: Pos2) -> Vec<[Pos2; 2]> {
    let n = poly.len();
    let d = b - a;
    let mut ts: Vec<f32> = Vec::new();
    for i in 0..n {
        let (p, q) = (poly[i], poly[(i + 1) % n]);
        let e = q - p;
        let den = d.x * e.y - d.y * e.x;
        if den.abs() < 1e-9 {
            continue;
        }
        let w = p - a;
        let t = (w.x * e.y - w.y * e.x) / den;
        let u = (w.x * d.y - w.y * d.x) / den;
        if (0.0..=1.0).contains(&t) && (0.0..=1.0).contains(&u) {
            ts.push(t);
        }
    }
    ts.push(0.0);
    ts.push(1.0);
    ts.sort_by(f32::total_cmp);
    // Each stretch between crossings is inside or out as a whole: its midpoint says
    // which, so an end lying on the boundary cannot flip the parity.
    let mut out: Vec<[Pos2; 2]> = Vec::new();
    for w in ts.windows(2) {
        let (t0, t1) = (w[0], w[1]);
        if t1 - t0 <= f32::EPSILON || !contains(poly, a + d * ((t0 + t1) / 2.0)) {
            continue;
        }
        match out.last_mut() {
            Some(last) if (last[1] - (a + d * t0)).length() <= EPS => last[1] = a + d * t1,
            _ => out.push([a + d * t0, a + d * t1]),
        }
    }
    out.retain(|[p, q]| (*q - *p).length() > EPS);
    out
}

/// The convex hull of `points` (Andrew's monotone chain), counter-clockwise in a y-up
/// frame; collinear points are dropped.
pub fn convex_hull(points: &[Pos2]) -> Vec<Pos2> {
    let mut pts: Vec<Pos2> = points.to_vec();
    pts.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
    pts.dedup();
    if pts.len() < 3 {
        return pts;
    }
    let cross = |o: Pos2, a: Pos2, b: Pos2| (a - o).x * (b - o).y - (a - o).y * (b - o).x;
    let mut hull: Vec<Pos2> = Vec::with_capacity(2 * pts.len());
    for pass in [pts.clone(), pts.iter().rev().copied().collect()] {
        let start = hull.len();
        for p in pass {
            while hull.len() >= start + 2
                && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0.0
            {
                hull.pop();
            }
            hull.push(p);
        }
        // The last point of each chain is the first of the next.
        hull.pop();
    }
    hull
}

/// The theatre's outline: the hull of the sites padded by `margin` (each site widened
/// to a 16-gon, so the corners come out rounded), kept inside `within`.
pub fn bound(sites: &[Pos2], margin: f32, within: Rect) -> Vec<Pos2> {
    let pad: Vec<Pos2> = sites
        .iter()
        .flat_map(|&s| {
            (0..16).map(move |k| {
                let a = std::f32::consts::TAU * k as f32 / 16.0;
                s + margin * Vec2::new(a.cos(), a.sin())
            })
        })
        .collect();
    let hull = convex_hull(&pad);
    let mut poly = Cell {
        sides: vec![None; hull.len()],
        points: hull,
    };
    // Keep x ≥ left, x ≤ right, y ≥ top, y ≤ bottom.
    let edges = [
        (within.left_top(), Vec2::new(-1.0, 0.0)),
        (within.right_top(), Vec2::new(1.0, 0.0)),
        (within.left_top(), Vec2::new(0.0, -1.0)),
        (within.left_bottom(), Vec2::new(0.0, 1.0)),
    ];
    for (origin, normal) in edges {
        poly = clip(&poly, origin, normal, None);
    }
    poly.points
}

/// The part of `cell` where `(x - origin) · normal ≤ 0`; new edges along the line are
/// labelled `side`.
fn clip(cell: &Cell, origin: Pos2, normal: Vec2, side: Option<usize>) -> Cell {
    let n = cell.points.len();
    let mut out = Cell::default();
    let dist = |p: Pos2| (p - origin).dot(normal);
    for i in 0..n {
        let (a, b) = (cell.points[i], cell.points[(i + 1) % n]);
        let (da, db) = (dist(a), dist(b));
        let (a_in, b_in) = (da <= EPS, db <= EPS);
        if a_in {
            out.points.push(a);
            out.sides.push(cell.sides[i]);
        }
        if a_in != b_in {
            let t = da / (da - db);
            out.points.push(a + (b - a) * t);
            // Leaving: the new edge runs along the line; entering: along the old edge.
            out.sides.push(if a_in { side } else { cell.sides[i] });
        }
    }
    drop_short_edges(&mut out);
    if out.points.len() < 3 {
        return Cell::default();
    }
    out
}

/// Removes vertices that coincide with the next one, keeping the next one's side.
fn drop_short_edges(cell: &mut Cell) {
    let mut i = 0;
    while cell.points.len() > 1 && i < cell.points.len() {
        let next = (i + 1) % cell.points.len();
        if (cell.points[i] - cell.points[next]).length_sq() < EPS * EPS {
            cell.points.remove(i);
            cell.sides.remove(i);
        } else {
            i += 1;
        }
    }
}

/// The Voronoi cell of each site inside the convex polygon `bound`. Sites are bucketed
/// in a grid and each cell is clipped against nearer sites first, stopping once no
/// farther site can reach the cell; so large maps stay close to linear. Two sites at
/// the same place share one cell.
pub fn cells(sites: &[Pos2], bound: &[Pos2]) -> Vec<Cell> {
    if sites.is_empty() || bound.len() < 3 {
        return vec![Cell::default(); sites.len()];
    }
    let grid = Grid::new(sites);
    let whole = Cell {
        points: bound.to_vec(),
        sides: vec![None; bound.len()],
    };
    (0..sites.len())
        .map(|i| grid.cell_of(i, sites, &whole))
        .collect()
}

/// Sites bucketed by square tiles of side `tile`.
struct Grid {
    origin: Pos2,
    tile: f32,
    cols: usize,
    rows: usize,
    buckets: Vec<Vec<usize>>,
}

impl Grid {
    fn new(sites: &[Pos2]) -> Grid {
        let span = Rect::from_points(sites);
        // About one site per tile.
        let area = (span.width() * span.height()).max(1.0);
        let tile = (area / sites.len() as f32)
            .sqrt()
            .max(span.width().max(span.height()) / 512.0)
            .max(1.0);
        let cols = (span.width() / tile) as usize + 1;
        let rows = (span.height() / tile) as usize + 1;
        let mut grid = Grid {
            origin: span.min,
            tile,
            cols,
            rows,
            buckets: vec![Vec::new(); cols * rows],
        };
        for (i, &s) in sites.iter().enumerate() {
            let (c, r) = grid.tile_of(s);
            grid.buckets[r * cols + c].push(i);
        }
        grid
    }

    fn tile_of(&self, p: Pos2) -> (usize, usize) {
        let c = ((p.x - self.origin.x) / self.tile) as usize;
        let r = ((p.y - self.origin.y) / self.tile) as usize;
        (c.min(self.cols - 1), r.min(self.rows - 1))
    }

    /// The tiles at Chebyshev distance `k` from `(c, r)`, inside the grid.
    fn ring(&self, (c, r): (usize, usize), k: usize) -> Vec<usize> {
        let (c, r, k) = (c as i64, r as i64, k as i64);
        let mut out = Vec::new();
        let mut push = |x: i64, y: i64| {
            if x >= 0 && y >= 0 && (x as usize) < self.cols && (y as usize) < self.rows {
                out.push(y as usize * self.cols + x as usize);
            }
        };
        if k == 0 {
            push(c, r);
            return out;
        }
        for x in c - k..=c + k {
            push(x, r - k);
            push(x, r + k);
        }
        for y in r - k + 1..r + k {
            push(c - k, y);
            push(c + k, y);
        }
        out
    }

    fn cell_of(&self, i: usize, sites: &[Pos2], whole: &Cell) -> Cell {
        let s = sites[i];
        let home = self.tile_of(s);
        let mut cell = whole.clone();
        for k in 0..=self.cols.max(self.rows) {
            for t in self.ring(home, k) {
                for &j in &self.buckets[t] {
                    let d = sites[j] - s;
                    if j == i || d.length_sq() < EPS * EPS {
                        continue;
                    }
                    cell = clip(&cell, s + d / 2.0, d, Some(j));
                }
            }
            // Sites beyond ring k lie at least k tiles away; one farther than twice
            // the cell's reach cannot cut it.
            let reach = cell
                .points
                .iter()
                .map(|&p| (p - s).length())
                .fold(0.0, f32::max);
            if cell.points.is_empty() || k as f32 * self.tile > 2.0 * reach {
                break;
            }
        }
        cell
    }
}

/// Whether `p` lies inside `poly` (even-odd rule, any simple polygon).
pub fn contains(poly: &[Pos2], p: Pos2) -> bool {
    let n = poly.len();
    let mut inside = false;
    for i in 0..n {
        let (a, b) = (poly[i], poly[(i + 1) % n]);
        if (a.y > p.y) != (b.y > p.y) && p.x < a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x) {
            inside = !inside;
        }
    }
    inside
}

/// Twice the signed area of `poly`.
fn area2(poly: &[Pos2]) -> f32 {
    let n = poly.len();
    (0..n)
        .map(|i| {
            let (a, b) = (poly[i], poly[(i + 1) % n]);
            a.x * b.y - b.x * a.y
        })
        .sum()
}

/// The area of a simple polygon.
pub fn area(poly: &[Pos2]) -> f32 {
    area2(poly).abs() / 2.0
}

/// The centroid of `poly`'s area (its first vertex when it has none).
pub fn centroid(poly: &[Pos2]) -> Option<Pos2> {
    let a = area2(poly);
    if a.abs() < EPS {
        return poly.first().copied();
    }
    let n = poly.len();
    let (mut cx, mut cy) = (0.0, 0.0);
    for i in 0..n {
        let (p, q) = (poly[i], poly[(i + 1) % n]);
        let w = p.x * q.y - q.x * p.y;
        cx += (p.x + q.x) * w;
        cy += (p.y + q.y) * w;
    }
    Some(Pos2::new(cx / (3.0 * a), cy / (3.0 * a)))
}

/// Places labels in the order given (highest priority first): each box of `size`
/// centred at the first of its `spots` where it stays inside `within`, overlaps no box
/// placed before it, and covers no other label's `mark` (the thing it names, such as a
/// town's dot). `None` for a label that fits nowhere.
pub fn place_labels(
    wanted: &[(Vec<Pos2>, Vec2)],
    marks: &[Rect],
    within: Rect,
) -> Vec<Option<Rect>> {
    let mut placed: Vec<Rect> = Vec::new();
    wanted
        .iter()
        .enumerate()
        .map(|(i, (spots, size))| {
            let free = |b: &Rect| {
                within.contains_rect(*b)
                    && !placed.iter().any(|p| overlaps(*p, *b))
                    && !marks
                        .iter()
                        .enumerate()
                        .any(|(j, m)| j != i && overlaps(*m, *b))
            };
            let spot = spots
                .iter()
                .map(|&c| Rect::from_center_size(c, *size))
                .find(free)?;
            placed.push(spot);
            Some(spot)
        })
        .collect()
}

/// Whether two boxes share some area (touching edges do not count).
pub fn overlaps(a: Rect, b: Rect) -> bool {
    a.min.x < b.max.x && b.min.x < a.max.x && a.min.y < b.max.y && b.min.y < a.max.y
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(side: f32) -> Vec<Pos2> {
        vec![
            Pos2::new(0.0, 0.0),
            Pos2::new(side, 0.0),
            Pos2::new(side, side),
            Pos2::new(0.0, side),
        ]
    }

    /// A deterministic scatter of `n` points in `[0, side)²`.
    fn scatter(n: usize, side: f32) -> Vec<Pos2> {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 40) as f32 / (1u64 << 24) as f32
        };
        (0..n)
            .map(|_| Pos2::new(next() * side, next() * side))
            .collect()
    }

    #[test]
    fn two_sites_split_the_bound_along_their_bisector() {
        let sites = [Pos2::new(25.0, 50.0), Pos2::new(75.0, 50.0)];
        let c = cells(&sites, &square(100.0));
        assert!((area(&c[0].points) - 5000.0).abs() < 0.1);
        assert!((area(&c[1].points) - 5000.0).abs() < 0.1);
        assert!(c[0].points.iter().all(|p| p.x <= 50.0 + EPS));
        assert!(c[1].points.iter().all(|p| p.x >= 50.0 - EPS));
        let [a, b] = c[0].shared_edges(1).next().expect("the two cells touch");
        assert!((a.x - 50.0).abs() < EPS && (b.x - 50.0).abs() < EPS);
        assert!((a.y - b.y).abs() > 99.0);
    }

    #[test]
    fn four_sites_in_a_square_get_four_quadrants() {
        let sites = [
            Pos2::new(25.0, 25.0),
            Pos2::new(75.0, 25.0),
            Pos2::new(75.0, 75.0),
            Pos2::new(25.0, 75.0),
        ];
        let c = cells(&sites, &square(100.0));
        for (i, cell) in c.iter().enumerate() {
            assert!((area(&cell.points) - 2500.0).abs() < 0.1, "cell {i}");
            let quadrant = Rect::from_center_size(sites[i], Vec2::splat(50.0 + 2.0 * EPS));
            assert!(
                cell.points.iter().all(|&p| quadrant.contains(p)),
                "cell {i}"
            );
        }
        // Diagonal sites meet at one point only: no shared edge.
        assert!(c[0].shared_edges(2).next().is_none());
        assert!(c[0].shared_edges(1).next().is_some() && c[0].shared_edges(3).next().is_some());
    }

    #[test]
    fn each_cell_holds_its_site_and_cells_do_not_overlap() {
        let side = 1000.0;
        for n in [1, 2, 3, 20, 500] {
            let sites = scatter(n, side);
            let c = cells(&sites, &square(side));
            for (i, cell) in c.iter().enumerate() {
                assert!(
                    contains(&cell.points, sites[i]),
                    "n={n}: site {i} outside its cell"
                );
            }
            let total: f32 = c.iter().map(|cell| area(&cell.points)).sum();
            assert!(
                (total - side * side).abs() < side * side * 1e-3,
                "n={n}: area {total}"
            );
            for p in scatter(400, side)
                .into_iter()
                .map(|p| p + Vec2::splat(0.37))
            {
                let holders: Vec<usize> = (0..n).filter(|&i| contains(&c[i].points, p)).collect();
                assert_eq!(holders.len(), 1, "n={n}: {p:?} lies in {holders:?}");
                // And that cell belongs to the nearest site.
                let nearest = (0..n)
                    .min_by(|&a, &b| (sites[a] - p).length().total_cmp(&(sites[b] - p).length()))
                    .expect("some site");
                assert_eq!(holders[0], nearest);
            }
        }
    }

    #[test]
    fn thousands_of_sites_get_their_cells() {
        let side = 1200.0;
        let sites = scatter(4000, side);
        let start = std::time::Instant::now();
        let c = cells(&sites, &square(side));
        eprintln!("4000 cells in {:?}", start.elapsed());
        assert!(
            c.iter()
                .zip(&sites)
                .all(|(cell, &s)| contains(&cell.points, s))
        );
        let total: f32 = c.iter().map(|cell| area(&cell.points)).sum();
        assert!(
            (total - side * side).abs() < side * side * 1e-3,
            "area {total}"
        );
    }

    #[test]
    fn shared_edges_agree_from_both_sides() {
        let sites = scatter(60, 500.0);
        let c = cells(&sites, &square(500.0));
        for (i, cell) in c.iter().enumerate() {
            for j in cell.sides.iter().flatten() {
                let [a, b] = cell
                    .shared_edges(*j)
                    .next()
                    .expect("a side names its neighbour");
                let [p, q] = c[*j]
                    .shared_edges(i)
                    .next()
                    .expect("the neighbour names it back");
                let same = (a - q).length() < 0.01 && (b - p).length() < 0.01;
                let flipped = (a - p).length() < 0.01 && (b - q).length() < 0.01;
                assert!(same || flipped, "{i}/{j}");
            }
        }
    }

    #[test]
    fn the_bound_pads_the_hull_and_stays_in_the_rect() {
        let within = Rect::from_min_max(Pos2::new(0.0, 0.0), Pos2::new(200.0, 100.0));
        let sites = [
            Pos2::new(20.0, 50.0),
            Pos2::new(180.0, 50.0),
            Pos2::new(100.0, 40.0),
        ];
        let b = bound(&sites, 30.0, within);
        assert!(sites.iter().all(|&s| contains(&b, s)));
        assert!(contains(&b, Pos2::new(100.0, 75.0)));
        assert!(!contains(&b, Pos2::new(2.0, 2.0)));
        assert!(b.iter().all(|&p| within.expand(EPS).contains(p)));
    }

    #[test]
    fn a_segment_is_clipped_to_a_convex_polygon() {
        let parts = inside_segments(&square(10.0), Pos2::new(-5.0, 5.0), Pos2::new(15.0, 5.0));
        let [[a, b]] = parts[..] else {
            panic!("one part inside the square: {parts:?}");
        };
        assert!((a - Pos2::new(0.0, 5.0)).length() < EPS);
        assert!((b - Pos2::new(10.0, 5.0)).length() < EPS);
        assert!(
            inside_segments(&square(10.0), Pos2::new(-5.0, 20.0), Pos2::new(15.0, 20.0)).is_empty()
        );
    }

    #[test]
    fn centroid_of_a_square_is_its_centre() {
        let c = centroid(&square(10.0)).expect("a square has one");
        assert!((c - Pos2::new(5.0, 5.0)).length() < EPS);
    }

    #[test]
    fn outlines_that_share_corners_name_each_other_across_the_border() {
        // Two squares side by side, the left one drawn with its right edge in two parts.
        let left = vec![
            Pos2::new(0.0, 0.0),
            Pos2::new(10.0, 0.0),
            Pos2::new(10.0, 5.0),
            Pos2::new(10.0, 10.0),
            Pos2::new(0.0, 10.0),
        ];
        let right = vec![
            Pos2::new(10.0, 0.0),
            Pos2::new(20.0, 0.0),
            Pos2::new(20.0, 10.0),
            Pos2::new(10.0, 10.0),
            Pos2::new(10.0, 5.0),
        ];
        let mut cells = vec![
            Cell {
                points: left,
                sides: vec![],
            },
            Cell {
                points: right,
                sides: vec![],
            },
        ];
        link_outlines(&mut cells, &[0, 1]);
        assert_eq!(cells[0].shared_edges(1).count(), 2);
        assert_eq!(cells[1].shared_edges(0).count(), 2);
        assert_eq!(cells[0].sides, vec![None, Some(1), Some(1), None, None]);
    }

    #[test]
    fn a_concave_outline_is_covered_by_triangles_of_its_area() {
        let l = vec![
            Pos2::new(0.0, 0.0),
            Pos2::new(20.0, 0.0),
            Pos2::new(20.0, 10.0),
            Pos2::new(10.0, 10.0),
            Pos2::new(10.0, 20.0),
            Pos2::new(0.0, 20.0),
        ];
        let tris = triangulate(&l);
        assert_eq!(tris.len(), 4);
        let covered: f32 = tris
            .iter()
            .map(|t| area(&[l[t[0] as usize], l[t[1] as usize], l[t[2] as usize]]))
            .sum();
        assert!(
            (covered - area(&l)).abs() < 1e-3,
            "{covered} vs {}",
            area(&l)
        );
        // No triangle reaches into the notch.
        let notch = Pos2::new(15.0, 15.0);
        assert!(tris.iter().all(|t| !contains(
            &[l[t[0] as usize], l[t[1] as usize], l[t[2] as usize]],
            notch
        )));
    }

    #[test]
    fn a_segment_across_a_notch_is_cut_in_two() {
        let u = vec![
            Pos2::new(0.0, 0.0),
            Pos2::new(30.0, 0.0),
            Pos2::new(30.0, 20.0),
            Pos2::new(20.0, 20.0),
            Pos2::new(20.0, 10.0),
            Pos2::new(10.0, 10.0),
            Pos2::new(10.0, 20.0),
            Pos2::new(0.0, 20.0),
        ];
        let parts = inside_segments(&u, Pos2::new(-5.0, 15.0), Pos2::new(35.0, 15.0));
        assert_eq!(parts.len(), 2, "{parts:?}");
        assert!((parts[0][0].x - 0.0).abs() < 1e-4 && (parts[0][1].x - 10.0).abs() < 1e-4);
        assert!((parts[1][0].x - 20.0).abs() < 1e-4 && (parts[1][1].x - 30.0).abs() < 1e-4);
        assert!(inside_segments(&u, Pos2::new(-5.0, 25.0), Pos2::new(35.0, 25.0)).is_empty());
    }

    #[test]
    fn placed_labels_never_overlap() {
        let within = Rect::from_min_max(Pos2::ZERO, Pos2::new(400.0, 300.0));
        // Many labels crowding a few spots.
        let offsets = [
            Vec2::ZERO,
            Vec2::new(0.0, 16.0),
            Vec2::new(0.0, -16.0),
            Vec2::new(40.0, 0.0),
        ];
        let towns = scatter(200, 60.0);
        let wanted: Vec<(Vec<Pos2>, Vec2)> = towns
            .iter()
            .enumerate()
            .map(|(i, &p)| {
                let p = p + Vec2::new(150.0, 120.0);
                let size = Vec2::new(30.0 + (i % 5) as f32 * 10.0, 14.0);
                (offsets.iter().map(|&o| p + o).collect(), size)
            })
            .collect();
        let marks: Vec<Rect> = wanted
            .iter()
            .map(|(spots, _)| Rect::from_center_size(spots[0], Vec2::splat(4.0)))
            .collect();
        let placed = place_labels(&wanted, &marks, within);
        let boxes: Vec<Rect> = placed.iter().flatten().copied().collect();
        assert!(boxes.len() >= 5, "only {} placed", boxes.len());
        assert!(
            boxes.len() < wanted.len(),
            "all placed: the test crowds too little"
        );
        for (i, a) in boxes.iter().enumerate() {
            assert!(within.contains_rect(*a));
            for b in &boxes[i + 1..] {
                assert!(!overlaps(*a, *b), "{a:?} overlaps {b:?}");
            }
        }
        // No label covers another's mark.
        for (i, spot) in placed.iter().enumerate() {
            let Some(spot) = spot else { continue };
            for (j, m) in marks.iter().enumerate() {
                assert!(i == j || !overlaps(*spot, *m), "label {i} covers mark {j}");
            }
        }
    }
}
