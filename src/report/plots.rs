//! Charts of batch results, each written as SVG and PNG.
//!
//! Every chart is drawn by one function generic over the plotters backend, run once into an SVG
//! string and once into an RGB buffer, so the two files always show the same picture. Both are
//! rendered in memory and then written atomically, so an interrupted batch leaves no half file.
//! Nothing depends on the clock or on hash order: the same inputs give byte-identical files.

use std::ffi::OsString;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::coord::types::RangedCoordf64;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A curve with a confidence band, e.g. P(durable agreement by day d) with its 95% interval.
///
/// Points where `x`, `y` (for the curve) or `lo`/`hi` (for the band) are missing or not finite
/// are gaps: the curve and the band break there instead of bridging across.
pub struct Band {
    pub label: String,
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    pub lo: Vec<f64>,
    pub hi: Vec<f64>,
}

/// Counts in bins; `edges.len() == counts.len() + 1`.
pub struct Histogram {
    pub edges: Vec<f64>,
    pub counts: Vec<u64>,
}

/// One labelled bar per category (shares in [0,1] or counts).
pub struct Bars {
    pub labels: Vec<String>,
    pub values: Vec<f64>,
}

/// One row of a tornado (sensitivity) chart: a parameter's outcome at its low and high setting.
pub struct TornadoRow {
    pub label: String,
    pub low: f64,
    pub high: f64,
}

/// A curve per series, each with its band shaded beneath, and a legend when series are labelled.
///
/// `y_range` fixes the y axis (e.g. `(0.0, 1.0)` for probabilities) so that charts of one report
/// compare at a glance; `None` fits the axis to the data.
pub fn band_chart(
    stem: &Path,
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[Band],
    y_range: Option<(f64, f64)>,
) -> io::Result<()> {
    render(
        stem,
        title,
        &Plot::Band {
            x_label,
            y_label,
            series,
            y_range,
        },
    )
}

/// Bins as separate bars; the y axis counts.
pub fn histogram_chart(
    stem: &Path,
    title: &str,
    x_label: &str,
    hist: &Histogram,
) -> io::Result<()> {
    render(stem, title, &Plot::Histogram { x_label, hist })
}

/// One bar per category, labelled underneath; values all in [0,1] are shown as percentages.
pub fn bar_chart(stem: &Path, title: &str, y_label: &str, bars: &Bars) -> io::Result<()> {
    render(stem, title, &Plot::Bars { y_label, bars })
}

/// Bars centred on `baseline`, longest first as given; x axis is the outcome.
pub fn tornado_chart(
    stem: &Path,
    title: &str,
    x_label: &str,
    baseline: f64,
    rows: &[TornadoRow],
) -> io::Result<()> {
    render(
        stem,
        title,
        &Plot::Tornado {
            x_label,
            baseline,
            rows,
        },
    )
}

/// Pixel size of every chart.
const SIZE: (u32, u32) = (900, 560);
/// Space around the whole chart; also keeps the last x tick label from being clipped.
const MARGIN: u32 = 20;
/// Height of the x tick labels and the x axis title under the plot.
const X_AREA: u32 = 54;
/// Width of the y tick labels and the y axis title, for numeric y axes.
const Y_AREA: u32 = 74;
/// Height of one row of the legend that sits between the title and the plot.
const LEGEND_ROW: u32 = 22;
/// Gap between the title (or the legend) and the plot.
const GAP: u32 = 10;
/// Tick labels per numeric axis at most (plotters' default), set explicitly for `decimals`.
const LABELS: usize = 11;
/// Charts with at most this many points per series mark each point, so sparse sweeps stay legible.
const MARKED_POINTS: usize = 30;

/// The family plotters asks for; registered below with the bundled font.
const FONT: &str = "sans-serif";
/// Bundled so that PNG text looks the same on every machine, with or without system fonts.
const FONT_BYTES: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSans.ttf"
));

/// Tableau 10: distinct hues of similar weight, so no series dominates the eye.
const PALETTE: [RGBColor; 10] = [
    RGBColor(78, 121, 167),
    RGBColor(242, 142, 43),
    RGBColor(225, 87, 89),
    RGBColor(118, 183, 178),
    RGBColor(89, 161, 79),
    RGBColor(237, 201, 72),
    RGBColor(176, 122, 161),
    RGBColor(255, 157, 167),
    RGBColor(156, 117, 95),
    RGBColor(186, 176, 172),
];
const INK: RGBColor = RGBColor(40, 40, 40);
const MUTED: RGBColor = RGBColor(130, 130, 130);
const AXIS: RGBColor = RGBColor(110, 110, 110);
const GRID: RGBColor = RGBColor(222, 222, 222);
const GRID_LIGHT: RGBColor = RGBColor(242, 242, 242);

/// What to draw, so one generic function can draw it on either backend.
enum Plot<'a> {
    Band {
        x_label: &'a str,
        y_label: &'a str,
        series: &'a [Band],
        y_range: Option<(f64, f64)>,
    },
    Histogram {
        x_label: &'a str,
        hist: &'a Histogram,
    },
    Bars {
        y_label: &'a str,
        bars: &'a Bars,
    },
    Tornado {
        x_label: &'a str,
        baseline: f64,
        rows: &'a [TornadoRow],
    },
}

type DrawResult<T, DB> = Result<T, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Draws `plot` into an SVG string and an RGB buffer, then writes both files.
fn render(stem: &Path, title: &str, plot: &Plot<'_>) -> io::Result<()> {
    register_font()?;
    let mut svg = String::new();
    paint(SVGBackend::with_string(&mut svg, SIZE), title, plot)?;
    let mut rgb = vec![0; SIZE.0 as usize * SIZE.1 as usize * 3];
    paint(BitMapBackend::with_buffer(&mut rgb, SIZE), title, plot)?;
    let png = encode_png(&rgb)?;
    crate::atomic::write(&sibling(stem, "svg"), svg.as_bytes())?;
    crate::atomic::write(&sibling(stem, "png"), &png)
}

/// Registers the bundled font once: plotters needs it for PNG text and to measure SVG text.
fn register_font() -> io::Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "the bundled DejaVuSans.ttf is not a usable font",
        ))
    }
}

fn paint<DB: DrawingBackend>(backend: DB, title: &str, plot: &Plot<'_>) -> io::Result<()> {
    let root = backend.into_drawing_area();
    draw(&root, title, plot)
        .and_then(|()| root.present())
        .map_err(|e| io::Error::other(e.to_string()))
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    plot: &Plot<'_>,
) -> DrawResult<(), DB> {
    root.fill(&WHITE)?;
    let title_style = font(24.0, INK);
    let width = SIZE.0 - 2 * MARGIN;
    let title = fit(root, title, &title_style, width)?;
    let body = root
        .margin(MARGIN, MARGIN / 2, MARGIN, MARGIN)
        .titled(&title, title_style)?;
    match *plot {
        Plot::Band {
            x_label,
            y_label,
            series,
            y_range,
        } => draw_bands(&body, x_label, y_label, series, y_range),
        Plot::Histogram { x_label, hist } => draw_histogram(&body, x_label, hist),
        Plot::Bars { y_label, bars } => draw_bars(&body, y_label, bars),
        Plot::Tornado {
            x_label,
            baseline,
            rows,
        } => draw_tornado(&body, x_label, baseline, rows),
    }
}

/// A curve split at its gaps, and its band likewise.
struct Curve {
    line: Vec<Vec<(f64, f64)>>,
    band: Vec<Vec<(f64, f64, f64)>>,
}

impl Curve {
    fn of(b: &Band) -> Self {
        let at = |v: &[f64], k: usize| v.get(k).copied().filter(|v| v.is_finite());
        let n = b.x.len();
        Curve {
            line: runs((0..n).map(|k| Some((at(&b.x, k)?, at(&b.y, k)?)))),
            band: runs((0..n).map(|k| Some((at(&b.x, k)?, at(&b.lo, k)?, at(&b.hi, k)?)))),
        }
    }

    fn xs(&self) -> impl Iterator<Item = f64> + '_ {
        let line = self.line.iter().flatten().map(|p| p.0);
        line.chain(self.band.iter().flatten().map(|p| p.0))
    }

    fn ys(&self) -> impl Iterator<Item = f64> + '_ {
        let line = self.line.iter().flatten().map(|p| p.1);
        line.chain(self.band.iter().flatten().flat_map(|p| [p.1, p.2]))
    }
}

fn draw_bands<DB: DrawingBackend>(
    body: &DrawingArea<DB, Shift>,
    x_label: &str,
    y_label: &str,
    series: &[Band],
    y_range: Option<(f64, f64)>,
) -> DrawResult<(), DB> {
    let curves: Vec<Curve> = series.iter().map(Curve::of).collect();
    let x_span = span(curves.iter().flat_map(Curve::xs));
    let x = x_span.map_or(0.0..1.0, |s| pad(s, 0.0));
    let y = match y_range {
        Some((lo, hi)) if lo.is_finite() && hi.is_finite() && lo < hi => lo..hi,
        _ => span(curves.iter().flat_map(Curve::ys)).map_or(0.0..1.0, |s| pad(s, 0.05)),
    };
    let colour = |i: usize| PALETTE[i % PALETTE.len()];
    // Only series that show something are listed; colours stay tied to the series' position.
    let entries: Vec<Entry> = series
        .iter()
        .zip(&curves)
        .enumerate()
        .filter(|(_, (s, c))| !s.label.is_empty() && c.xs().next().is_some())
        .map(|(i, (s, _))| Entry::line(&s.label, colour(i)))
        .collect();
    let legend = Legend::lay_out(body, entries, Y_AREA)?;

    let mut chart = ChartBuilder::on(body)
        .margin_top(GAP + legend.height())
        .x_label_area_size(X_AREA)
        .y_label_area_size(Y_AREA)
        .build_cartesian_2d(x.clone(), y.clone())?;
    let x_fmt = ticks(&x);
    let y_fmt = ticks(&y);
    let mut mesh = chart.configure_mesh();
    style_mesh(&mut mesh)
        .x_desc(x_label)
        .y_desc(y_label)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .draw()?;
    legend.draw(body)?;
    if x_span.is_none() {
        return no_data(&chart);
    }

    // Values beyond a fixed y range are pinned to its edge rather than drawn over the axes.
    let pin = |v: f64| v.clamp(y.start, y.end);
    for (i, curve) in curves.iter().enumerate() {
        let shade = colour(i).mix(0.18).filled();
        for run in &curve.band {
            if let [(x, lo, hi)] = run[..] {
                let bar = vec![(x, pin(lo)), (x, pin(hi))];
                chart.draw_series([PathElement::new(bar, colour(i).mix(0.5).stroke_width(3))])?;
            } else {
                let lower = run.iter().map(|&(x, lo, _)| (x, pin(lo)));
                let upper = run.iter().rev().map(|&(x, _, hi)| (x, pin(hi)));
                chart.draw_series([Polygon::new(lower.chain(upper).collect::<Vec<_>>(), shade)])?;
            }
        }
    }
    for (i, curve) in curves.iter().enumerate() {
        let stroke = colour(i).stroke_width(2);
        for run in &curve.line {
            let points = run.iter().map(|&(x, y)| (x, pin(y)));
            chart.draw_series([PathElement::new(points.collect::<Vec<_>>(), stroke)])?;
        }
        if curve.line.iter().map(Vec::len).sum::<usize>() <= MARKED_POINTS {
            let points = curve.line.iter().flatten();
            chart.draw_series(
                points.map(|&(x, y)| Circle::new((x, pin(y)), 3, colour(i).filled())),
            )?;
        }
    }
    Ok(())
}

fn draw_histogram<DB: DrawingBackend>(
    body: &DrawingArea<DB, Shift>,
    x_label: &str,
    hist: &Histogram,
) -> DrawResult<(), DB> {
    let bins: Vec<(f64, f64, u64)> = hist
        .edges
        .windows(2)
        .zip(&hist.counts)
        .filter(|(e, _)| e[0].is_finite() && e[1].is_finite())
        .map(|(e, &c)| (e[0], e[1], c))
        .collect();
    let top = bins.iter().map(|b| b.2).max().unwrap_or(0);
    let x = span(bins.iter().flat_map(|b| [b.0, b.1]))
        .or_else(|| span(hist.edges.iter().copied()))
        .map_or(0.0..1.0, |s| pad(s, 0.02));
    let y = 0..top.saturating_add(top / 10).saturating_add(1);

    let mut chart = ChartBuilder::on(body)
        .margin_top(GAP)
        .x_label_area_size(X_AREA)
        .y_label_area_size(Y_AREA)
        .build_cartesian_2d(x.clone(), y)?;
    let x_fmt = ticks(&x);
    let mut mesh = chart.configure_mesh();
    style_mesh(&mut mesh)
        .x_desc(x_label)
        .y_desc("count")
        .x_label_formatter(&x_fmt)
        .draw()?;
    if top == 0 {
        return no_data(&chart);
    }
    let fill = PALETTE[0].filled();
    let filled = bins.iter().filter(|b| b.2 > 0);
    chart.draw_series(filled.map(|&(a, b, c)| {
        // A tenth of each bin's width is left blank, so neighbouring bars read as separate bins.
        let gap = (b - a) * 0.05;
        Rectangle::new([(a + gap, 0), (b - gap, c)], fill)
    }))?;
    Ok(())
}

fn draw_bars<DB: DrawingBackend>(
    body: &DrawingArea<DB, Shift>,
    y_label: &str,
    bars: &Bars,
) -> DrawResult<(), DB> {
    let n = bars.values.len();
    let finite = || bars.values.iter().copied().filter(|v| v.is_finite());
    let shares = finite().count() > 0 && finite().all(|v| (0.0..=1.0).contains(&v));
    let (lo, hi) = span(finite().chain([0.0])).unwrap_or((0.0, 0.0));
    // Headroom past the bars' ends for their values; shares stop a little above 100%.
    let room = (hi - lo) * 0.15;
    let top = match (hi > 0.0, shares) {
        (true, true) => (hi + room).min(1.08),
        (true, false) => hi + room,
        (false, _) if lo < 0.0 => 0.0,
        (false, _) => 1.0,
    };
    let y = if lo < 0.0 { lo - room } else { 0.0 }..top;

    let slot = body.dim_in_pixel().0.saturating_sub(Y_AREA) / n.max(1) as u32;
    let label_style = font(15.0, INK);
    let labels = (0..n)
        .map(|i| {
            let label = bars.labels.get(i).map_or("", String::as_str);
            fit(body, label, &label_style, slot.saturating_sub(6))
        })
        .collect::<Result<Vec<_>, _>>()?;

    let mut chart = ChartBuilder::on(body)
        .margin_top(GAP)
        .x_label_area_size(X_AREA)
        .y_label_area_size(Y_AREA)
        .build_cartesian_2d(Categories(n), y.clone())?;
    let x_fmt = |v: &f64| category(&labels, *v);
    let y_fmt: Box<dyn Fn(&f64) -> String> = if shares {
        Box::new(percent_ticks(&y))
    } else {
        Box::new(ticks(&y))
    };
    let mut mesh = chart.configure_mesh();
    style_mesh(&mut mesh)
        .disable_x_mesh()
        .y_desc(y_label)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .draw()?;
    if finite().count() == 0 {
        return no_data(&chart);
    }

    let fill = PALETTE[0].filled();
    let value_style = font(14.0, INK);
    for (i, &v) in bars.values.iter().enumerate() {
        if !v.is_finite() {
            continue;
        }
        let at = i as f64;
        chart.draw_series([Rectangle::new([(at - 0.38, 0.0), (at + 0.38, v)], fill)])?;
        let text = if shares {
            format!("{}%", trim(format!("{:.1}", v * 100.0)))
        } else {
            number(v)
        };
        // Skipped when it would spill into the neighbouring bars' values.
        if body.estimate_text_size(&text, &value_style)?.0 + 4 <= slot {
            let (dy, v_pos) = if v < 0.0 {
                (4, VPos::Top)
            } else {
                (-4, VPos::Bottom)
            };
            let style = value_style.pos(Pos::new(HPos::Center, v_pos));
            chart.draw_series([EmptyElement::at((at, v)) + Text::new(text, (0, dy), style)])?;
        }
    }
    Ok(())
}

fn draw_tornado<DB: DrawingBackend>(
    body: &DrawingArea<DB, Shift>,
    x_label: &str,
    baseline: f64,
    rows: &[TornadoRow],
) -> DrawResult<(), DB> {
    let n = rows.len();
    let outcomes = || rows.iter().flat_map(|r| [r.low, r.high]);
    let data = span(outcomes());
    // Without a usable baseline the bars grow from the middle of the data, which still ranks rows.
    let base = match data {
        _ if baseline.is_finite() => baseline,
        Some((lo, hi)) => (lo + hi) / 2.0,
        None => 0.0,
    };
    // Wide padding leaves room for the value written past each bar's end.
    let x = span(outcomes().chain([baseline])).map_or(0.0..1.0, |s| pad(s, 0.14));

    let label_style = font(15.0, INK);
    let widest = rows.iter().try_fold(0, |w, r| {
        body.estimate_text_size(&r.label, &label_style)
            .map(|(tw, _)| w.max(tw))
    })?;
    let y_area = (widest + 24).clamp(Y_AREA, SIZE.0 * 2 / 5);
    let labels = rows
        .iter()
        .rev()
        .map(|r| fit(body, &r.label, &label_style, y_area - 20))
        .collect::<Result<Vec<_>, _>>()?;

    let (low, high) = (PALETTE[0], PALETTE[1]);
    let mut entries = Vec::new();
    if data.is_some() {
        entries.push(Entry::block("low setting", low));
        entries.push(Entry::block("high setting", high));
    }
    if baseline.is_finite() {
        entries.push(Entry::line(&format!("baseline {}", number(baseline)), INK));
    }
    let legend = Legend::lay_out(body, entries, y_area)?;

    let mut chart = ChartBuilder::on(body)
        .margin_top(GAP + legend.height())
        .x_label_area_size(X_AREA)
        .y_label_area_size(y_area)
        .build_cartesian_2d(x.clone(), Categories(n))?;
    let x_fmt = ticks(&x);
    let y_fmt = |v: &f64| category(&labels, *v);
    let mut mesh = chart.configure_mesh();
    style_mesh(&mut mesh)
        .disable_y_mesh()
        .x_desc(x_label)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .draw()?;
    legend.draw(body)?;
    if data.is_none() {
        return no_data(&chart);
    }

    let value_style = font(14.0, INK);
    for (i, row) in rows.iter().enumerate() {
        // The first row goes on top: plotters counts y upwards.
        let y = (n - 1 - i) as f64;
        let mut ends: Vec<(f64, RGBColor)> = [(row.low, low), (row.high, high)]
            .into_iter()
            .filter(|(v, _)| v.is_finite())
            .collect();
        // The longer bar first, so when both lie on one side the shorter stays visible on top.
        ends.sort_by(|a, b| (b.0 - base).abs().total_cmp(&(a.0 - base).abs()));
        // Both settings giving one outcome make one bar with one value, not two overprinted.
        ends.dedup_by(|a, b| a.0 == b.0);
        for (v, colour) in ends {
            chart.draw_series([Rectangle::new(
                [(base, y - 0.32), (v, y + 0.32)],
                colour.filled(),
            )])?;
            let (dx, h_pos) = if v < base {
                (-5, HPos::Right)
            } else {
                (5, HPos::Left)
            };
            let style = value_style.pos(Pos::new(h_pos, VPos::Center));
            chart.draw_series([EmptyElement::at((v, y)) + Text::new(number(v), (dx, 0), style)])?;
        }
    }
    if baseline.is_finite() {
        let line = vec![(base, -0.5), (base, n as f64 - 0.5)];
        chart.draw_series([DashedPathElement::new(line, 6, 4, INK.stroke_width(1))])?;
    }
    Ok(())
}

/// One legend item: a swatch (a short line for curves, a block for bars) and its label.
struct Entry {
    label: String,
    colour: RGBColor,
    line: bool,
}

impl Entry {
    fn line(label: &str, colour: RGBColor) -> Self {
        let label = label.to_string();
        Entry {
            label,
            colour,
            line: true,
        }
    }

    fn block(label: &str, colour: RGBColor) -> Self {
        let label = label.to_string();
        Entry {
            label,
            colour,
            line: false,
        }
    }
}

/// Legend rows centred above the plot, below the title, where they can never hide data
/// (plotters' own legend sits inside the plot).
struct Legend {
    /// Each row's entries with their widths in pixels, and the row's left edge.
    rows: Vec<(i32, Vec<(Entry, u32)>)>,
}

const SWATCH: u32 = 20;

impl Legend {
    /// Wraps `entries` into rows as wide as the plot, which starts `y_area` pixels in.
    fn lay_out<DB: DrawingBackend>(
        body: &DrawingArea<DB, Shift>,
        entries: Vec<Entry>,
        y_area: u32,
    ) -> DrawResult<Self, DB> {
        let style = font(15.0, INK);
        let width = body.dim_in_pixel().0.saturating_sub(y_area);
        let mut rows: Vec<Vec<(Entry, u32)>> = Vec::new();
        let mut row: Vec<(Entry, u32)> = Vec::new();
        let mut used = 0;
        for mut entry in entries {
            entry.label = fit(
                body,
                &entry.label,
                &style,
                width.saturating_sub(SWATCH + 24),
            )?;
            let w = SWATCH + 8 + body.estimate_text_size(&entry.label, &style)?.0 + 16;
            if used + w > width && !row.is_empty() {
                rows.push(std::mem::take(&mut row));
                used = 0;
            }
            row.push((entry, w));
            used += w;
        }
        if !row.is_empty() {
            rows.push(row);
        }
        let centred = |row: Vec<(Entry, u32)>| {
            let w: u32 = row.iter().map(|e| e.1).sum();
            ((y_area + width.saturating_sub(w) / 2) as i32, row)
        };
        Ok(Legend {
            rows: rows.into_iter().map(centred).collect(),
        })
    }

    fn height(&self) -> u32 {
        self.rows.len() as u32 * LEGEND_ROW
    }

    fn draw<DB: DrawingBackend>(&self, body: &DrawingArea<DB, Shift>) -> DrawResult<(), DB> {
        let style = font(15.0, INK).pos(Pos::new(HPos::Left, VPos::Center));
        for (r, (left, row)) in self.rows.iter().enumerate() {
            let y = (GAP / 2 + r as u32 * LEGEND_ROW + LEGEND_ROW / 2) as i32;
            let mut x = *left;
            for (entry, w) in row {
                let half = if entry.line { 1 } else { 6 };
                let swatch = [(x, y - half), (x + SWATCH as i32, y + half)];
                body.draw(&Rectangle::new(swatch, entry.colour.filled()))?;
                let at = (x + SWATCH as i32 + 8, y);
                body.draw(&Text::new(entry.label.as_str(), at, style.clone()))?;
                x += *w as i32;
            }
        }
        Ok(())
    }
}

/// The common look of the axes: light grid, grey axis lines, dark text.
fn style_mesh<'m, 'a, 'b, X: Ranged, Y: Ranged, DB: DrawingBackend>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB> {
    // Two light lines per bold one at most, i.e. one halfway; zero would overflow in plotters.
    mesh.bold_line_style(GRID)
        .light_line_style(GRID_LIGHT)
        .max_light_lines(2)
        .x_labels(LABELS)
        .y_labels(LABELS)
        .axis_style(AXIS)
        .label_style(font(15.0, INK))
        .axis_desc_style(font(17.0, INK))
}

/// A grey note in the middle of the plot, so an empty chart reads as empty, not as broken.
fn no_data<DB: DrawingBackend, X: Ranged, Y: Ranged>(
    chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
) -> DrawResult<(), DB> {
    let area = chart.plotting_area().strip_coord_spec();
    let (w, h) = area.dim_in_pixel();
    let style = font(22.0, MUTED).pos(Pos::new(HPos::Center, VPos::Center));
    area.draw(&Text::new("no data", (w as i32 / 2, h as i32 / 2), style))
}

fn font(size: f64, colour: RGBColor) -> TextStyle<'static> {
    (FONT, size).into_font().color(&colour)
}

/// `text`, cut short with an ellipsis where it is wider than `max_px`, so long labels do not
/// run into their neighbours or off the image.
fn fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle<'_>,
    max_px: u32,
) -> DrawResult<String, DB> {
    let fits = |s: &str| area.estimate_text_size(s, style).map(|(w, _)| w <= max_px);
    if fits(text)? {
        return Ok(text.to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    for keep in (1..chars.len()).rev() {
        let cut = format!("{}…", chars[..keep].iter().collect::<String>().trim_end());
        if fits(&cut)? {
            return Ok(cut);
        }
    }
    Ok(String::new())
}

/// An axis of categories at 0, 1, …: a tick and a label under each, half a slot either side.
struct Categories(usize);

impl Ranged for Categories {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, (from, to): (i32, i32)) -> i32 {
        let t = (v + 0.5) / self.0.max(1) as f64;
        from + (t * f64::from(to - from)).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        // No light grid lines between categories: they would suggest values in between.
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            (0..self.0).map(|i| i as f64).collect()
        }
    }

    fn range(&self) -> Range<f64> {
        -0.5..self.0.max(1) as f64 - 0.5
    }
}

fn category(labels: &[String], at: f64) -> String {
    let i = at.round();
    let i = if i >= 0.0 { i as usize } else { usize::MAX };
    labels.get(i).cloned().unwrap_or_default()
}

/// The smallest and largest finite value, or `None` when there is none.
fn span(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// `(lo, hi)` widened by `frac` of its width on each side; a single value gets a unit-ish span
/// around it, since plotters cannot draw an axis of zero width.
fn pad((lo, hi): (f64, f64), frac: f64) -> Range<f64> {
    let width = hi - lo;
    if width > 0.0 {
        lo - width * frac..hi + width * frac
    } else {
        let d = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        lo - d..hi + d
    }
}

/// Splits a sequence at its gaps (`None`), so a NaN breaks a curve instead of bridging it.
fn runs<T>(items: impl IntoIterator<Item = Option<T>>) -> Vec<Vec<T>> {
    let mut out = Vec::new();
    let mut run = Vec::new();
    for item in items {
        match item {
            Some(v) => run.push(v),
            None if !run.is_empty() => out.push(std::mem::take(&mut run)),
            None => {}
        }
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

/// The fewest decimals that write every tick of `range`, scaled by `scale`, exactly.
fn decimals(range: &Range<f64>, scale: f64) -> usize {
    // The ticks plotters will draw, since the mesh asks for the same number of labels.
    let ticks = RangedCoordf64::from(range.clone()).key_points(LABELS);
    let exact = |d: usize| {
        let f = 10f64.powi(d as i32) * scale;
        ticks.iter().all(|t| ((t * f).round() - t * f).abs() < 1e-6)
    };
    (0..6).find(|&d| exact(d)).unwrap_or(6)
}

/// Tick labels with the decimals the ticks need, alike on one axis (plotters writes "10.0").
fn ticks(range: &Range<f64>) -> impl Fn(&f64) -> String + use<> {
    let d = decimals(range, 1.0);
    move |v| fixed(*v, d)
}

fn percent_ticks(range: &Range<f64>) -> impl Fn(&f64) -> String + use<> {
    let d = decimals(range, 100.0);
    move |v| format!("{}%", fixed(v * 100.0, d))
}

/// `v` with `d` decimals, never as "-0".
fn fixed(v: f64, d: usize) -> String {
    let s = format!("{v:.d$}");
    if s.trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        s.trim_start_matches('-').to_string()
    } else {
        s
    }
}

/// `v` to about three significant figures, for values written on bars.
fn number(v: f64) -> String {
    let magnitude = if v == 0.0 {
        0.0
    } else {
        v.abs().log10().floor()
    };
    let d = (2.0 - magnitude).clamp(0.0, 4.0) as usize;
    trim(fixed(v, d))
}

/// Drops trailing zeros after a decimal point: "0.500" reads better as "0.5".
fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// PNG bytes of an RGB image of `SIZE`, encoded in memory so the file can be written atomically.
fn encode_png(rgb: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, SIZE.0, SIZE.1);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    // Charts are mostly flat colour and straight lines; choosing the filter per row pays off.
    encoder.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
    let mut writer = encoder.write_header().map_err(io::Error::other)?;
    writer.write_image_data(rgb).map_err(io::Error::other)?;
    writer.finish().map_err(io::Error::other)?;
    Ok(out)
}

/// `stem` with `ext` appended. A trailing `.svg` or `.png` is replaced rather than doubled;
/// any other dot is kept, so a stem such as `sweep_0.5` stays whole.
fn sibling(stem: &Path, ext: &str) -> PathBuf {
    if stem.extension().is_some_and(|e| e == "svg" || e == "png") {
        return stem.with_extension(ext);
    }
    let mut path = OsString::from(stem.as_os_str());
    path.push(".");
    path.push(ext);
    path.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder per test, so tests running in parallel never share files.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("truce-plots-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Checks that both files of `stem` exist and are well formed; returns the SVG text and
    /// the decoded RGB pixels of the PNG.
    fn read_back(stem: &Path, title: &str) -> (String, Vec<[u8; 3]>) {
        let svg = std::fs::read_to_string(sibling(stem, "svg")).unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains(title), "title missing from {}", stem.display());
        let png = std::fs::read(sibling(stem, "png")).unwrap();
        assert!(png.starts_with(&[0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n']));
        let mut reader = png::Decoder::new(png.as_slice()).read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), SIZE);
        assert_eq!(info.color_type, png::ColorType::Rgb);
        let pixels: Vec<[u8; 3]> = buf[..info.buffer_size()]
            .chunks_exact(3)
            .map(|p| [p[0], p[1], p[2]])
            .collect();
        assert!(
            pixels.iter().any(|p| *p != pixels[0]),
            "PNG is a single colour"
        );
        (svg, pixels)
    }

    fn has(pixels: &[[u8; 3]], c: RGBColor) -> bool {
        pixels.contains(&[c.0, c.1, c.2])
    }

    fn band(label: &str, scale: f64) -> Band {
        let x: Vec<f64> = (0..50).map(f64::from).collect();
        let y: Vec<f64> = x
            .iter()
            .map(|d| scale * (1.0 - (-d / 15.0).exp()))
            .collect();
        Band {
            label: label.to_string(),
            lo: y.iter().map(|v| v - 0.05).collect(),
            hi: y.iter().map(|v| v + 0.05).collect(),
            x,
            y,
        }
    }

    #[test]
    fn band_chart_draws_each_series_in_its_colour_with_a_legend() {
        let dir = scratch("band");
        let stem = dir.join("durable");
        let series = [band("pressure 0.1", 0.5), band("pressure 0.9", 0.8)];
        band_chart(
            &stem,
            "Durable by day",
            "day",
            "P",
            &series,
            Some((0.0, 1.0)),
        )
        .unwrap();
        let (svg, pixels) = read_back(&stem, "Durable by day");
        assert!(svg.contains("pressure 0.1") && svg.contains("pressure 0.9"));
        assert!(has(&pixels, PALETTE[0]) && has(&pixels, PALETTE[1]));
        assert!(!svg.contains("no data"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn histogram_chart_draws_its_bins() {
        let dir = scratch("histogram");
        let stem = dir.join("days");
        let hist = Histogram {
            edges: vec![0.0, 30.0, 60.0, 90.0, 120.0],
            counts: vec![5, 40, 22, 3],
        };
        histogram_chart(&stem, "Days to agreement", "day", &hist).unwrap();
        let (svg, pixels) = read_back(&stem, "Days to agreement");
        assert!(svg.contains("count"));
        assert!(has(&pixels, PALETTE[0]));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn bar_chart_of_shares_reads_in_percent() {
        let dir = scratch("bars");
        let stem = dir.join("outcomes");
        let bars = Bars {
            labels: vec!["durable".into(), "collapse".into(), "stalemate".into()],
            values: vec![0.5, 0.3, 0.2],
        };
        bar_chart(&stem, "Outcomes", "share of runs", &bars).unwrap();
        let (svg, pixels) = read_back(&stem, "Outcomes");
        assert!(svg.contains("durable") && svg.contains("stalemate"));
        assert!(svg.contains("50%") && svg.contains("20%"));
        assert!(has(&pixels, PALETTE[0]));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn tornado_chart_draws_low_and_high_bars_about_the_baseline() {
        let dir = scratch("tornado");
        let stem = dir.join("sensitivity");
        let rows = [
            TornadoRow {
                label: "mediator pressure".into(),
                low: 0.2,
                high: 0.7,
            },
            TornadoRow {
                label: "spoilers".into(),
                low: 0.5,
                high: 0.35,
            },
        ];
        tornado_chart(&stem, "Sensitivity", "P(durable)", 0.42, &rows).unwrap();
        let (svg, pixels) = read_back(&stem, "Sensitivity");
        assert!(svg.contains("mediator pressure") && svg.contains("baseline 0.42"));
        assert!(has(&pixels, PALETTE[0]) && has(&pixels, PALETTE[1]));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn empty_inputs_draw_axes_and_a_no_data_note() {
        let dir = scratch("empty");
        let zero = Histogram {
            edges: vec![0.0, 1.0, 2.0],
            counts: vec![0, 0],
        };
        let nan = Band {
            label: "nan".into(),
            x: vec![f64::NAN; 3],
            y: vec![1.0; 3],
            lo: vec![],
            hi: vec![],
        };
        let none = Bars {
            labels: vec![],
            values: vec![],
        };
        band_chart(&dir.join("a"), "Empty", "x", "y", &[], None).unwrap();
        band_chart(&dir.join("b"), "Empty", "x", "y", &[nan], Some((0.0, 1.0))).unwrap();
        histogram_chart(&dir.join("c"), "Empty", "x", &zero).unwrap();
        let no_bins = Histogram {
            edges: vec![],
            counts: vec![],
        };
        histogram_chart(&dir.join("d"), "Empty", "x", &no_bins).unwrap();
        bar_chart(&dir.join("e"), "Empty", "y", &none).unwrap();
        tornado_chart(&dir.join("f"), "Empty", "x", 0.5, &[]).unwrap();
        tornado_chart(&dir.join("g"), "Empty", "x", f64::NAN, &[]).unwrap();
        for stem in ["a", "b", "c", "d", "e", "f", "g"] {
            let (svg, pixels) = read_back(&dir.join(stem), "Empty");
            assert!(svg.contains("no data"), "{stem}");
            assert!(!has(&pixels, PALETTE[0]), "{stem}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        let dir = scratch("odd");
        let point = Band {
            label: String::new(),
            x: vec![3.0],
            y: vec![0.4],
            lo: vec![0.3],
            hi: vec![0.5],
        };
        let gappy = Band {
            label: "gaps".into(),
            x: vec![0.0, 1.0, 2.0, 3.0, 4.0],
            y: vec![0.1, f64::NAN, 0.3, f64::INFINITY, 0.5],
            lo: vec![0.0, 0.1],
            hi: vec![0.2, 0.3, 0.4, 0.5, 0.6, 0.7],
        };
        let backwards = Some((1.0, 0.0));
        band_chart(&dir.join("a"), "Odd", "x", "y", &[point], None).unwrap();
        band_chart(&dir.join("b"), "Odd", "x", "y", &[gappy], backwards).unwrap();
        let ragged = Histogram {
            edges: vec![0.0, f64::NAN, 2.0, 3.0],
            counts: vec![4, 5, 6, 7, 8],
        };
        histogram_chart(&dir.join("c"), "Odd", "x", &ragged).unwrap();
        let long = "a category label far too long to fit under its bar ".repeat(3);
        let bars = Bars {
            labels: vec![long.clone()],
            values: vec![f64::NAN, -3.0, 12.5],
        };
        bar_chart(&dir.join("d"), "Odd", "y", &bars).unwrap();
        let rows = [
            TornadoRow {
                label: long,
                low: f64::NAN,
                high: 2.0,
            },
            TornadoRow {
                label: "flat".into(),
                low: 1.0,
                high: 1.0,
            },
        ];
        tornado_chart(&dir.join("e"), "Odd", "x", f64::NAN, &rows).unwrap();
        for stem in ["a", "b", "c", "d", "e"] {
            read_back(&dir.join(stem), "Odd");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn same_inputs_give_identical_files() {
        let dir = scratch("same");
        for stem in ["one", "two"] {
            let series = [band("a", 0.6), band("b", 0.9)];
            band_chart(&dir.join(stem), "Same", "day", "P", &series, None).unwrap();
        }
        for ext in ["svg", "png"] {
            let one = std::fs::read(dir.join(format!("one.{ext}"))).unwrap();
            let two = std::fs::read(dir.join(format!("two.{ext}"))).unwrap();
            assert!(one == two, "{ext} differs between identical renders");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn stems_keep_their_dots_and_lose_only_our_extensions() {
        let svg = |s: &str| sibling(Path::new(s), "svg");
        assert_eq!(svg("out/p"), PathBuf::from("out/p.svg"));
        assert_eq!(svg("out/sweep_0.5"), PathBuf::from("out/sweep_0.5.svg"));
        assert_eq!(svg("out/p.png"), PathBuf::from("out/p.svg"));
    }

    #[test]
    fn numbers_read_cleanly() {
        assert_eq!(number(0.4213), "0.421");
        assert_eq!(number(12.34), "12.3");
        assert_eq!(number(1234.4), "1234");
        assert_eq!(number(0.5), "0.5");
        assert_eq!(number(0.0), "0");
        assert_eq!(fixed(-0.0001, 2), "0.00");
        assert_eq!(decimals(&(0.0..1.0), 1.0), 1);
        assert_eq!(decimals(&(0.0..180.0), 1.0), 0);
        assert_eq!(decimals(&(2.7..3.3), 1.0), 1);
        assert_eq!(decimals(&(0.0..0.3), 100.0), 0);
    }
}
