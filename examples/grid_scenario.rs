//! Writes a scenario with a map of N regions (a jittered grid, the west held by one
//! side and the east by the other) to stdout: how the window and the simulation are
//! measured on large maps (docs/performance.md).
//!
//!     cargo run --example grid_scenario -- 4000 > /tmp/grid-4000.ron
//!     truce play /tmp/grid-4000.ron --as mediator --screenshot /tmp/grid.png --frames 30 --days 10

use std::fmt::Write;

fn main() {
    let n: usize = match std::env::args().nth(1).map(|a| a.parse()) {
        None => 4000,
        Some(Ok(n)) if n >= 4 => n,
        Some(_) => {
            eprintln!("usage: grid_scenario [REGIONS], at least 4 (default 4000)");
            std::process::exit(2);
        }
    };
    print!("{}", scenario(n));
}

/// A deterministic jitter in [-0.3, 0.3] from an index (SplitMix64).
fn jitter(i: u64) -> f64 {
    let mut z = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64 * 0.6 - 0.3
}

fn scenario(n: usize) -> String {
    let cols = (n as f64).sqrt().ceil() as usize;
    let rows = n.div_ceil(cols);
    let id = |i: usize| format!("r{i}");
    let mut regions = String::new();
    for i in 0..n {
        let (c, r) = (i % cols, i / cols);
        let holder = if c < cols / 2 { "west" } else { "east" };
        let mut adjacent = Vec::new();
        if c + 1 < cols && i + 1 < n {
            adjacent.push(format!("\"{}\"", id(i + 1)));
        }
        if i + cols < n {
            adjacent.push(format!("\"{}\"", id(i + cols)));
        }
        let value = 0.1 + 0.8 * (jitter(i as u64 * 7 + 3) + 0.3) / 0.6;
        let _ = writeln!(
            regions,
            "            (id: \"{}\", name: \"Town {i}\", controller: \"{holder}\", value: {value:.2}, \
             population: {}, coords: ({:.3}, {:.3}), adjacent: [{}], defensibility: 0.3),",
            id(i),
            1000 + (i * 37) % 9000,
            c as f64 + jitter(2 * i as u64),
            (rows - r) as f64 + jitter(2 * i as u64 + 1),
            adjacent.join(", ")
        );
    }
    let west_capital = id((rows / 2) * cols);
    let east_capital = id(((rows / 2) * cols + cols - 1).min(n - 1));
    format!(
        r#"// A generated map of {n} regions, for measuring speed on large maps.
Scenario(
    format: 1,
    id: "grid-{n}",
    name: "Grid of {n} regions",
    start_date: "2020-01-01",
    max_turns: 60,
    issues: [
        Issue(id: "ceasefire", name: "Ceasefire", low: "now", high: "never", status_quo: 1.0),
        Issue(id: "territory", name: "Territory", low: "all west", high: "all east",
              tracks: Some((side: "east", regions: []))),
    ],
    actors: [
        Actor(id: "west", name: "West", role: Belligerent,
              capability: (military: 0.5, economic: 0.5, diplomatic: 0.5),
              stances: {{"ceasefire": (position: 0.3, salience: 0.5),
                        "territory": (position: 0.0, salience: 1.0)}}),
        Actor(id: "east", name: "East", role: Belligerent,
              capability: (military: 0.5, economic: 0.5, diplomatic: 0.5),
              stances: {{"ceasefire": (position: 0.7, salience: 0.5),
                        "territory": (position: 1.0, salience: 1.0)}}),
        Actor(id: "mediator", name: "Mediator", role: Mediator,
              capability: (military: 0.1, economic: 0.5, diplomatic: 0.8),
              stances: {{"ceasefire": (position: 0.0, salience: 0.9)}},
              mediation: Some((leverage: 0.5))),
    ],
    relations: {{
        "mediator": {{"west": (influence: 0.3), "east": (influence: 0.3)}},
    }},
    theatre: (
        regions: [
{regions}        ],
        forces: {{
            "west": (troops: {troops}, quality: 0.5, morale: 0.7, capital: Some("{west_capital}")),
            "east": (troops: {troops}, quality: 0.5, morale: 0.7, capital: Some("{east_capital}")),
        }},
    ),
    proposals: [
        Proposal(id: "ceasefire", name: "Ceasefire", kind: Ceasefire, brokers: ["mediator"],
                 parties: ["west", "east"], terms: {{"ceasefire": 0.0}}),
    ],
)
"#,
        troops = 50 * n,
    )
}
