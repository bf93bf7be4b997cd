//! `truce validate` and `truce fit`: every war of the bundled library scored against
//! both baselines, the same bytes whatever the threads, and the fit's folds.

use crate::{TempDir, root, stderr, stdout, truce};

/// Each war's skill against the uninformed and the reference-class baseline, at 200
/// runs: 0.05 below the lowest of five seeds (docs/validation.md), where the skill
/// of one war varies by up to 0.08 from seed to seed at this number of runs.
const FLOORS: &[(&str, f64, f64)] = &[
    ("donbas-2014", 0.49, 0.51),
    ("four-day-war-2016", 0.57, 0.60),
    ("gaza-2014", 0.30, 0.17),
    ("karabakh-1994", 0.33, 0.35),
    ("karabakh-2020", 0.54, 0.56),
    ("lebanon-2006", 0.26, 0.27),
];

fn validate(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["validate", "scenarios", "--json", "-q"];
    all.extend_from_slice(args);
    let out = truce(&all);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

#[test]
fn every_war_is_scored_against_both_baselines() {
    let v = validate(&["--runs", "200"]);
    let wars = v["wars"].as_array().unwrap();
    assert!(wars.len() >= 6, "{} wars", wars.len());
    for w in wars {
        for key in [
            "scenario",
            "runs",
            "brier",
            "log_score",
            "crps",
            "baseline_uninformed",
            "baseline_reference",
            "skill_uninformed",
            "skill_reference",
        ] {
            assert!(w.get(key).is_some(), "`{key}` missing in {w}");
        }
        assert_eq!(w["runs"], 200);
        assert!(w["baseline_uninformed"]["brier"].as_f64().unwrap() == 0.25);
        let id = w["scenario"].as_str().unwrap();
        // The reference class of each war is the others.
        assert_eq!(
            w["reference_wars"].as_u64().unwrap(),
            wars.len() as u64 - 1,
            "{id}"
        );
        if let Some((_, u, r)) = FLOORS.iter().find(|f| f.0 == id) {
            let su = w["skill_uninformed"].as_f64().unwrap();
            let sr = w["skill_reference"].as_f64().unwrap();
            assert!(
                su >= *u,
                "{id}: skill against the uninformed baseline {su} < {u}"
            );
            assert!(
                sr >= *r,
                "{id}: skill against the reference class {sr} < {r}"
            );
        }
    }
    for (id, _, _) in FLOORS {
        assert!(wars.iter().any(|w| w["scenario"] == *id), "{id} missing");
    }
    let overall = &v["overall"];
    assert!(
        overall["skill_uninformed"].as_f64().unwrap() > 0.0,
        "{overall}"
    );
    assert!(
        overall["skill_reference"].as_f64().unwrap() > 0.0,
        "{overall}"
    );
}

#[test]
fn validation_is_the_same_whatever_the_threads() {
    let one = truce(&[
        "validate",
        "scenarios",
        "--runs",
        "40",
        "--json",
        "-q",
        "--jobs",
        "1",
    ]);
    let two = truce(&[
        "validate",
        "scenarios",
        "--runs",
        "40",
        "--json",
        "-q",
        "--jobs",
        "2",
    ]);
    assert!(one.status.success() && two.status.success());
    assert_eq!(stdout(&one), stdout(&two));
    let table = truce(&["validate", "scenarios", "--runs", "20", "-q"]);
    let text = stdout(&table);
    for needle in [
        "karabakh-2020",
        "lebanon-2006",
        "overall",
        "skill/u",
        "skill/r",
    ] {
        assert!(text.contains(needle), "`{needle}` missing:\n{text}");
    }
}

#[test]
fn a_folder_without_records_is_bad_input() {
    let dir = TempDir::new("validate-empty");
    std::fs::copy(
        root().join("scenarios/askel-delta.ron"),
        dir.join("askel-delta.ron"),
    )
    .unwrap();
    let out = truce(&["validate", dir.join("").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no scenario has a history file beside it"));
}

/// A small library of two wars, for the fit.
fn two_wars(name: &str) -> TempDir {
    let dir = TempDir::new(name);
    for f in [
        "four-day-war-2016.ron",
        "four-day-war-2016.history.ron",
        "karabakh-2020.ron",
        "karabakh-2020.history.ron",
    ] {
        std::fs::copy(root().join("scenarios").join(f), dir.join(f)).unwrap();
    }
    dir
}

#[test]
fn the_fit_scores_the_war_left_out() {
    let dir = two_wars("fit-leave-out");
    let lib = dir.join("");
    let args = [
        "fit",
        lib.to_str().unwrap(),
        "--leave-out",
        "four-day-war-2016",
        "--param",
        "lambda,base_hazard",
        "--rounds",
        "1",
        "--runs",
        "30",
        "--json",
        "-q",
    ];
    let out = truce(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let folds = report["folds"].as_array().unwrap();
    assert_eq!(folds.len(), 1);
    assert_eq!(folds[0]["left_out"], "four-day-war-2016");
    let fitted = folds[0]["fitted"]["values"].as_array().unwrap();
    assert_eq!(fitted.len(), 2);
    assert!(folds[0]["skill_uninformed"].as_f64().unwrap().is_finite());
    // Deterministic: the same search twice.
    assert_eq!(stdout(&truce(&args)), stdout(&out));
}

#[test]
fn the_fit_names_what_it_does_not_know() {
    let dir = two_wars("fit-unknown-names");
    let lib = dir.join("");
    let out = truce(&["fit", lib.to_str().unwrap(), "--leave-out", "four-day-war"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `four-day-war-2016`?"),
        "{}",
        stderr(&out)
    );
    let out = truce(&["fit", lib.to_str().unwrap(), "--param", "lamda"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `lambda`?"),
        "{}",
        stderr(&out)
    );
}

/// A deal replaced by a later one between the same parties is superseded, not
/// collapsed, and the tally counts only collapses: the record tells them apart.
#[test]
fn superseded_deals_are_told_apart_from_collapses() {
    use std::sync::Arc;
    let loaded = truce::scenario::load(&root().join("scenarios/donbas-2014.ron")).unwrap();
    let sc = Arc::new(loaded.compiled);
    let mut sim = truce::sim::Simulation::new(sc, 0);
    let mut superseded = 0;
    for seed in 0..40 {
        sim.reset(seed);
        let o = sim.run_to_end();
        let t = sim.tally();
        for a in &o.agreements {
            if a.superseded {
                superseded += 1;
                let day = a.ended_day.expect("a superseded deal has ended");
                // A party signs at most one deal a day, so the one signed that day is
                // the deal that replaced it.
                assert!(
                    o.agreements.iter().any(|b| b.signed_day == day),
                    "seed {seed}: `{}` superseded on day {day} by nothing signed that day",
                    a.proposal
                );
            }
        }
        let collapsed = o
            .agreements
            .iter()
            .filter(|a| a.ended_day.is_some() && !a.superseded)
            .count();
        assert_eq!(t.collapsed as usize, collapsed, "seed {seed}");
        assert_eq!(t.captures.len(), o.captures.len(), "seed {seed}");
    }
    assert!(
        superseded > 0,
        "no deal was superseded in 40 runs of Donbas"
    );
}

/// War `id` of `validate --json`'s report.
fn war<'a>(v: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    v["wars"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["scenario"] == id)
        .unwrap_or_else(|| panic!("{id} missing"))
}

#[test]
fn a_war_whose_end_is_dated_by_its_scenario_says_so() {
    let v = validate(&["--runs", "20"]);
    let dated = |id: &str| {
        war(&v, id)["limits"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|l| l.as_str())
            .find(|l| l.starts_with("a dated end"))
            .map(str::to_string)
    };
    // Minsk II opens on the record's date; the 2020 statement when the war is ripe.
    let donbas = dated("donbas-2014").expect("Donbas ends on a date");
    assert!(
        donbas.contains("`minsk-ii`") && donbas.contains("day 165"),
        "{donbas}"
    );
    assert_eq!(dated("karabakh-2020"), None);
}

#[test]
fn dated_ends_can_be_left_to_the_model() {
    let limits = |v: &serde_json::Value, id: &str| -> Vec<String> {
        war(v, id)["limits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap().to_string())
            .collect()
    };
    let skill = |v: &serde_json::Value, id: &str| war(v, id)["skill_uninformed"].as_f64().unwrap();
    let dated = validate(&["--runs", "40"]);
    let ripe = validate(&["--runs", "40", "--draft-when-ripe"]);
    // The four-day war's ceasefire no longer opens on day 3, so the war is another.
    assert_ne!(
        skill(&dated, "four-day-war-2016"),
        skill(&ripe, "four-day-war-2016")
    );
    // 2020 drafts its statement when ripe already: the same runs, the same scores.
    assert_eq!(
        skill(&dated, "karabakh-2020"),
        skill(&ripe, "karabakh-2020")
    );
    let donbas = limits(&ripe, "donbas-2014");
    assert!(
        donbas
            .iter()
            .any(|l| l.starts_with("drafted when ripe") && l.contains("`minsk-ii`")),
        "{donbas:?}"
    );
    assert!(!donbas.iter().any(|l| l.starts_with("a dated end")));
    // The text table names the wars whose end is dated, and none once they are not.
    let text = |extra: &[&str]| {
        let mut args = vec!["validate", "scenarios", "-q", "--runs", "20"];
        args.extend_from_slice(extra);
        stdout(&truce(&args))
    };
    let dated = text(&[]);
    let line = dated
        .lines()
        .find(|l| l.starts_with("dated ends: "))
        .unwrap_or_else(|| panic!("{dated}"));
    assert!(
        line.contains("donbas-2014") && !line.contains("karabakh-2020"),
        "{line}"
    );
    assert!(!text(&["--draft-when-ripe"]).contains("dated ends: "));
}
