//! Calibration probe: runs many seeds and prints the stylized facts.
use std::sync::Arc;
use truce::scenario;
use truce::sim::Simulation;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .map_or("scenarios/karabakh-2020.ron", |s| s.as_str());
    let n: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(200);
    let loaded = scenario::load(std::path::Path::new(path)).unwrap_or_else(|e| panic!("{e}"));
    let sc = Arc::new(loaded.compiled);
    let mut sim = Simulation::new(sc.clone(), 0);
    if let Ok(seed) = std::env::var("TRACE") {
        sim.reset(seed.parse().unwrap());
        trace(&mut sim);
        return;
    }
    let mut ends = std::collections::BTreeMap::new();
    let mut brokers = std::collections::BTreeMap::new();
    let (mut early, mut early_short, mut durable_pk, mut durable_after_shusha, mut durable_n) =
        (0, 0, 0, 0, 0);
    let mut dur_days = vec![];
    let mut mil = vec![];
    let mut disp = vec![];
    let mut civ = vec![];
    let mut west_durable = 0;
    for seed in 0..n {
        sim.reset(seed);
        let o = sim.run_to_end();
        *ends.entry(o.end.clone()).or_insert(0) += 1;
        for a in &o.agreements {
            if a.signed_day <= 10 && a.kind == "humanitarian" {
                early += 1;
                if a.held_days <= 2 && !a.durable {
                    early_short += 1;
                }
            }
            if a.durable {
                durable_n += 1;
                *brokers
                    .entry(format!("{}:{}", a.broker, a.proposal))
                    .or_insert(0) += 1;
                if a.provisions.peacekeepers.is_some() {
                    durable_pk += 1;
                }
                if o.chronicle.iter().any(|l| {
                    l.text.contains("forces take Shusha")
                        && l.date.as_str()
                            <= sc.start.plus_days(a.signed_day as i64).to_string().as_str()
                }) {
                    durable_after_shusha += 1;
                }
                dur_days.push(a.signed_day);
                if a.broker == "minsk-group" {
                    west_durable += 1;
                }
            }
        }
        mil.push(o.casualties.military.values().sum::<u64>());
        disp.push(o.displaced);
        civ.push(o.casualties.civilian);
    }
    let med = |v: &mut Vec<u64>| {
        v.sort();
        v.get(v.len() / 2).copied().unwrap_or(0)
    };
    let mut dd: Vec<u64> = dur_days.iter().map(|&d| d as u64).collect();
    println!("ends {ends:?}");
    println!("early humanitarian truces {early}, collapsed within 2 days {early_short}");
    println!(
        "durable {durable_n}: brokers {brokers:?}, with peacekeepers {durable_pk}, after Shusha {durable_after_shusha}, minsk {west_durable}"
    );
    println!(
        "durable signing day median {} ; quartiles {:?}",
        med(&mut dd),
        (dd.get(dd.len() / 4), dd.get(3 * dd.len() / 4))
    );
    println!(
        "military dead median {} civ {} displaced {}",
        med(&mut mil),
        med(&mut civ),
        med(&mut disp)
    );
}

#[allow(dead_code)]
pub fn trace(sim: &mut Simulation) {
    use truce::policy::utility;
    use truce::sim::components::*;
    let sc = sim.scenario().clone();
    let tri = sc.proposal_ix("trilateral-statement").unwrap();
    loop {
        let go = sim.step();
        let w = sim.world();
        let roster = w.resource::<Roster>();
        let sit = w.resource::<Situation>();
        let pt = truce::sim::assessment::proposal_point(&sc, &sc.proposals[tri], &sit.holders);
        let mut line = format!(
            "day {:>3} now_terr {:.2}",
            w.resource::<Clock>().day,
            sit.now[1]
        );
        for a in [0usize, 1] {
            let e = roster.actors[a];
            let o = w.get::<Outlook>(e).unwrap();
            let s = w.get::<Stance>(e).unwrap();
            let army = w.get::<Army>(e).unwrap();
            let conc = truce::policy::concession(&s.position, &s.salience, &sit.now, &pt);
            line += &format!(
                " | {} B {:.3} cost {:.3} warT {:.2} U(tri) {:.3} conc {:.3} mor {:.2} tr {:.0}",
                sc.actors[a].id,
                o.batna,
                o.cost,
                o.war_point[1],
                utility(&s.position, &s.salience, &pt),
                conc,
                army.morale,
                army.troops
            );
        }
        println!("{line}");
        if !go {
            break;
        }
    }
}
