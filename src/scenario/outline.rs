//! Checks on a region's `outline`: a simple polygon in the scenario's coordinates.
//! The map draws a region with an outline as that area; these tests catch the
//! mistakes hand-written or exported outlines make (too few points, a ring that
//! crosses itself, a town placed outside its own area).

/// What is wrong with an outline, for the diagnostic.
#[derive(Debug, Clone, PartialEq)]
pub enum Flaw {
    /// Fewer than three distinct corners.
    TooFew(usize),
    /// A corner that is not a finite number (index).
    NotFinite(usize),
    /// Edges `a` and `b` (edge `i` runs from corner `i` to the next) cross or touch.
    Crossing(usize, usize),
    /// The corners lie on one line.
    NoArea,
}

/// The outline's corners without the closing repeat: a ring may be written closed
/// (the first corner again at the end, as GeoJSON does) or open.
pub fn ring(points: &[(f64, f64)]) -> &[(f64, f64)] {
    match points {
        [first, .., last] if points.len() > 1 && first == last => &points[..points.len() - 1],
        _ => points,
    }
}

/// The first flaw of an outline, if it has one.
pub fn flaw(points: &[(f64, f64)]) -> Option<Flaw> {
    if let Some(i) = points
        .iter()
        .position(|p| !(p.0.is_finite() && p.1.is_finite()))
    {
        return Some(Flaw::NotFinite(i));
    }
    let ring = ring(points);
    if ring.len() < 3 {
        return Some(Flaw::TooFew(ring.len()));
    }
    if flat(ring) {
        return Some(Flaw::NoArea);
    }
    crossing(ring).map(|(a, b)| Flaw::Crossing(a, b))
}

/// Whether every corner lies on one line (the one through the first corner and the
/// corner farthest from it).
fn flat(ring: &[(f64, f64)]) -> bool {
    let o = ring[0];
    let far = ring
        .iter()
        .copied()
        .max_by(|&p, &q| dot(o, p, p).total_cmp(&dot(o, q, q)))
        .unwrap_or(o);
    let tolerance = 1e-12 * extent(ring).powi(2);
    ring.iter().all(|&p| cross(o, far, p).abs() <= tolerance)
}

/// The first pair of edges that meet anywhere but at the corner they share.
fn crossing(ring: &[(f64, f64)]) -> Option<(usize, usize)> {
    let n = ring.len();
    let edge = |i: usize| (ring[i], ring[(i + 1) % n]);
    for i in 0..n {
        for j in i + 1..n {
            let adjacent = j == i + 1 || (i == 0 && j == n - 1);
            let (a, b) = edge(i);
            let (c, d) = edge(j);
            if adjacent {
                // Neighbouring edges share a corner; they are wrong only if they
                // fold back over each other.
                let shared = if j == i + 1 { b } else { a };
                let (p, q) = if j == i + 1 { (a, d) } else { (b, c) };
                if cross(shared, p, q) == 0.0 && dot(shared, p, q) > 0.0 {
                    return Some((i, j));
                }
            } else if segments_meet(a, b, c, d) {
                return Some((i, j));
            }
        }
    }
    None
}

/// `(p - o) × (q - o)`.
fn cross(o: (f64, f64), p: (f64, f64), q: (f64, f64)) -> f64 {
    (p.0 - o.0) * (q.1 - o.1) - (p.1 - o.1) * (q.0 - o.0)
}

/// `(p - o) · (q - o)`.
fn dot(o: (f64, f64), p: (f64, f64), q: (f64, f64)) -> f64 {
    (p.0 - o.0) * (q.0 - o.0) + (p.1 - o.1) * (q.1 - o.1)
}

/// Whether segments `ab` and `cd` have a point in common.
fn segments_meet(a: (f64, f64), b: (f64, f64), c: (f64, f64), d: (f64, f64)) -> bool {
    let (d1, d2) = (cross(a, b, c), cross(a, b, d));
    let (d3, d4) = (cross(c, d, a), cross(c, d, b));
    if ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0))
        && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0))
    {
        return true;
    }
    let on = |p: (f64, f64), q: (f64, f64), r: (f64, f64)| {
        r.0 >= p.0.min(q.0) && r.0 <= p.0.max(q.0) && r.1 >= p.1.min(q.1) && r.1 <= p.1.max(q.1)
    };
    (d1 == 0.0 && on(a, b, c))
        || (d2 == 0.0 && on(a, b, d))
        || (d3 == 0.0 && on(c, d, a))
        || (d4 == 0.0 && on(c, d, b))
}

/// The signed area (positive when the corners run counter-clockwise, y up).
pub fn area(ring: &[(f64, f64)]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum::<f64>()
        / 2.0
}

/// The larger side of the ring's bounding box.
fn extent(ring: &[(f64, f64)]) -> f64 {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in ring {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    (x1 - x0).max(y1 - y0)
}

/// Whether `p` lies inside the ring (even-odd rule).
pub fn contains(ring: &[(f64, f64)], p: (f64, f64)) -> bool {
    let n = ring.len();
    let mut inside = false;
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + 1) % n]);
        if (a.1 > p.1) != (b.1 > p.1) && p.0 < a.0 + (p.1 - a.1) / (b.1 - a.1) * (b.0 - a.0) {
            inside = !inside;
        }
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: [(f64, f64); 4] = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)];

    #[test]
    fn a_square_open_or_closed_is_sound() {
        assert_eq!(flaw(&SQUARE), None);
        let mut closed = SQUARE.to_vec();
        closed.push(SQUARE[0]);
        assert_eq!(flaw(&closed), None);
        assert_eq!(ring(&closed).len(), 4);
        assert!((area(&SQUARE) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_concave_outline_is_sound() {
        let l = [
            (0.0, 0.0),
            (2.0, 0.0),
            (2.0, 1.0),
            (1.0, 1.0),
            (1.0, 2.0),
            (0.0, 2.0),
        ];
        assert_eq!(flaw(&l), None);
        assert!(contains(&l, (0.5, 1.5)));
        assert!(!contains(&l, (1.5, 1.5)));
    }

    #[test]
    fn a_bow_tie_crosses_itself() {
        let bow = [(0.0, 0.0), (1.0, 1.0), (1.0, 0.0), (0.0, 1.0)];
        assert_eq!(flaw(&bow), Some(Flaw::Crossing(0, 2)));
    }

    #[test]
    fn a_ring_touching_itself_at_a_corner_is_refused() {
        // The fifth corner lies on the first edge.
        let pinched = [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (1.0, 2.0), (1.0, 0.0)];
        assert!(matches!(flaw(&pinched), Some(Flaw::Crossing(..))));
    }

    #[test]
    fn an_edge_folding_back_is_refused() {
        let spike = [(0.0, 0.0), (2.0, 0.0), (1.0, 0.0), (1.0, 1.0)];
        assert!(matches!(flaw(&spike), Some(Flaw::Crossing(..))));
    }

    #[test]
    fn too_few_corners_flat_rings_and_nan_are_refused() {
        assert_eq!(
            flaw(&[(0.0, 0.0), (1.0, 0.0), (0.0, 0.0)]),
            Some(Flaw::TooFew(2))
        );
        assert_eq!(
            flaw(&[(0.0, 0.0), (1.0, 0.0), (2.0, 0.0)]),
            Some(Flaw::NoArea)
        );
        assert_eq!(
            flaw(&[(0.0, 0.0), (f64::NAN, 0.0), (1.0, 1.0)]),
            Some(Flaw::NotFinite(1))
        );
    }
}
