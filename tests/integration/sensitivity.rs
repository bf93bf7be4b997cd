//! `truce sensitivity`: parameters ranked by their effect, reproducibly.

use crate::{TempDir, seed_scenario, stderr, truce};

fn sensitivity(dir: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let scenario = seed_scenario();
    let mut args = vec![
        "sensitivity",
        scenario.to_str().unwrap(),
        "--runs",
        "40",
        "--param",
        "model.lambda",
        "--param",
        "model.durable_days",
        "--param",
        "model.capture_rate",
        "-q",
        "--out",
        dir.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    truce(&args)
}

#[test]
fn parameters_are_ranked_by_their_swing_and_the_ranking_is_reproducible() {
    let tmp = TempDir::new("sensitivity-ranked");
    let (a, b) = (tmp.join("a"), tmp.join("b"));
    let out = sensitivity(&a, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(sensitivity(&b, &[]).status.success());
    let json_a = std::fs::read_to_string(a.join("sensitivity.json")).unwrap();
    assert_eq!(
        json_a,
        std::fs::read_to_string(b.join("sensitivity.json")).unwrap()
    );

    let report: serde_json::Value = serde_json::from_str(&json_a).unwrap();
    let params = report["parameters"].as_array().unwrap();
    let paths: Vec<&str> = params.iter().map(|p| p["path"].as_str().unwrap()).collect();
    assert_eq!(paths.len(), 3, "{paths:?}");
    for p in ["model.lambda", "model.durable_days", "model.capture_rate"] {
        assert!(paths.contains(&p), "{p} missing from {paths:?}");
    }
    let swings: Vec<f64> = params
        .iter()
        .map(|p| p["swing"].as_f64().unwrap())
        .collect();
    assert!(swings.windows(2).all(|w| w[0] >= w[1]), "{swings:?}");
    // durable_days is a whole number: it moves by whole days, 30 -> 23 and 38.
    let days = params
        .iter()
        .find(|p| p["path"] == "model.durable_days")
        .unwrap();
    assert_eq!(days["low"]["value"].as_f64(), Some(23.0));
    assert_eq!(days["high"]["value"].as_f64(), Some(38.0));
    // The settings really change the outcome.
    assert!(swings[0] > 0.0);
    for plot in ["tornado_durable", "tornado_durable_day"] {
        for ext in ["svg", "png"] {
            assert!(
                a.join(format!("plots/{plot}.{ext}")).is_file(),
                "{plot}.{ext}"
            );
        }
    }
    // Long: a row for each setting of each of the three parameters.
    let csv = std::fs::read_to_string(a.join("sensitivity.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 2 * 3);
    assert!(
        csv.lines()
            .skip(1)
            .all(|l| l.contains(",low,") || l.contains(",high,")),
        "{csv}"
    );
}

#[test]
fn an_unknown_parameter_path_is_exit_2() {
    let tmp = TempDir::new("sensitivity-bad");
    let out = sensitivity(&tmp.join("x"), &["--param", "model.lamda"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("did you mean `lambda`"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
