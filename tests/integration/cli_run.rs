//! `truce run`: output, determinism, JSON shape, bad input.

use crate::{stderr, stdout, truce};

#[test]
fn same_seed_prints_the_same_bytes() {
    let a = truce(&["run", "scenarios/karabakh-2020.ron", "--seed", "7"]);
    let b = truce(&["run", "scenarios/karabakh-2020.ron", "--seed", "7"]);
    assert!(a.status.success(), "{}", stderr(&a));
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn different_seeds_tell_different_stories() {
    let outputs: Vec<Vec<u8>> = (1..=5)
        .map(|s| {
            truce(&[
                "run",
                "scenarios/karabakh-2020.ron",
                "--seed",
                &s.to_string(),
            ])
            .stdout
        })
        .collect();
    for i in 0..outputs.len() {
        for j in i + 1..outputs.len() {
            assert_ne!(
                outputs[i],
                outputs[j],
                "seeds {} and {} agree",
                i + 1,
                j + 1
            );
        }
    }
}

#[test]
fn text_output_is_a_dated_chronicle_then_an_outcome() {
    let out = truce(&["run", "scenarios/karabakh-2020.ron", "--seed", "3"]);
    assert!(out.status.success());
    let text = stdout(&out);
    let dated = text
        .lines()
        .filter(|l| l.len() > 11 && l.starts_with("2020-") && l.as_bytes()[10] == b' ')
        .count();
    assert!(dated >= 5, "{text}");
    assert!(text.contains("Outcome: ended on"), "{text}");
    assert!(text.contains("Military dead:"), "{text}");
}

#[test]
fn json_output_has_the_documented_fields() {
    let out = truce(&[
        "run",
        "scenarios/karabakh-2020.ron",
        "--seed",
        "11",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    for key in [
        "scenario",
        "seed",
        "turns",
        "end",
        "end_date",
        "agreements",
        "casualties",
        "displaced",
        "control",
        "chronicle",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["scenario"], "karabakh-2020");
    assert_eq!(v["seed"], 11);
    let end = v["end"].as_str().unwrap();
    assert!(["durable_agreement", "capitulation", "time_limit"].contains(&end));
    assert!(v["casualties"]["military"]["armenia"].as_u64().unwrap() >= 430);
    assert!(v["casualties"]["military"]["azerbaijan"].as_u64().unwrap() >= 300);
    assert!(v["displaced"].as_u64().unwrap() >= 70_000);
    let holder = v["control"]["stepanakert"].as_str().unwrap();
    assert!(["armenia", "azerbaijan"].contains(&holder));
    for a in v["agreements"].as_array().unwrap() {
        for key in [
            "proposal",
            "broker",
            "signed_day",
            "ended_day",
            "held_days",
            "durable",
            "terms",
            "provisions",
        ] {
            assert!(a.get(key).is_some(), "agreement lacks {key}");
        }
    }
    let line = &v["chronicle"][0];
    assert!(line["date"].as_str().unwrap().starts_with("2020-10-"));
    assert!(line["text"].as_str().is_some());
}

#[test]
fn max_turns_stops_the_run() {
    let out = truce(&[
        "run",
        "scenarios/karabakh-2020.ron",
        "--json",
        "--max-turns",
        "3",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["turns"].as_u64().unwrap() <= 3);
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let missing = truce(&["run", "no/such/file.ron"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("cannot read no/such/file.ron"));

    let flag = truce(&["run", "scenarios/karabakh-2020.ron", "--seed", "minus-one"]);
    assert_eq!(flag.status.code(), Some(2));
    assert!(stderr(&flag).contains("--seed"));

    let turns = truce(&["run", "scenarios/karabakh-2020.ron", "--max-turns", "0"]);
    assert_eq!(turns.status.code(), Some(2));

    let dir = truce(&["run", "scenarios"]);
    assert_eq!(dir.status.code(), Some(2));
    assert!(stderr(&dir).contains("directory"));
    for o in [missing, flag, turns, dir] {
        assert!(!stderr(&o).contains("panicked"));
    }
}

#[test]
fn json_lists_the_captures_in_the_order_they_fell() {
    let out = truce(&[
        "run",
        "scenarios/karabakh-2020.ron",
        "--seed",
        "1",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let captures = v["captures"].as_array().expect("a list of captures");
    assert!(!captures.is_empty(), "the front moves in this run");
    let days: Vec<u64> = captures
        .iter()
        .map(|c| c["day"].as_u64().unwrap())
        .collect();
    assert!(days.windows(2).all(|w| w[0] <= w[1]), "{days:?}");
    // The last capture of a region is who holds it, unless a deal handed it over since.
    let handed: Vec<&str> = v["agreements"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| {
            a["transfers"]
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
        })
        .collect();
    for c in captures {
        let region = c["region"].as_str().unwrap();
        let last = captures
            .iter()
            .rev()
            .find(|d| d["region"] == region)
            .unwrap();
        if !handed.contains(&region) {
            assert_eq!(v["control"][region], last["by"], "{region}");
        }
    }
    for a in v["agreements"].as_array().unwrap() {
        assert!(a["superseded"].is_boolean(), "{a}");
    }
}

#[test]
fn every_error_has_one_error_prefix() {
    for args in [
        &["replay", "no-such-save.ron"][..],
        &["check", "tests/broken/unknown-broker.ron"],
        &["run", "no-such-scenario.ron"],
        &["validate", "no-such-folder"],
        &["run", "scenarios/karabakh-2020.ron", "--seed", "x"],
    ] {
        let out = truce(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        assert!(!err.contains("error: error"), "{args:?}: {err}");
        let last = err.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("");
        let trailer = last.starts_with("error: ")
            || last.starts_with("  = ")
            || last.starts_with("For more information");
        assert!(
            trailer,
            "{args:?}: the last line `{last}` is not part of an error"
        );
    }
}

#[test]
fn completion_scripts_name_every_command() {
    let bash = truce(&["completions", "bash"]);
    assert!(bash.status.success(), "{}", stderr(&bash));
    let script = stdout(&bash);
    for command in [
        "run",
        "check",
        "batch",
        "validate",
        "fit",
        "calibrate",
        "play",
    ] {
        assert!(script.contains(command), "`{command}` missing");
    }
    // The script is valid bash.
    let dir = crate::TempDir::new("completions");
    let file = dir.join("truce.bash");
    std::fs::write(&file, &script).unwrap();
    let syntax = std::process::Command::new("bash")
        .arg("-n")
        .arg(&file)
        .output();
    if let Ok(s) = syntax {
        assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stderr));
    }
    assert!(stdout(&truce(&["completions", "zsh"])).starts_with("#compdef truce"));
    assert!(stdout(&truce(&["completions", "fish"])).contains("complete -c truce"));
    assert_eq!(truce(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn format_json_and_json_are_the_same() {
    for args in [
        &["run", "scenarios/four-day-war-2016.ron", "--seed", "3"][..],
        &["validate", "scenarios", "--runs", "5", "-q"],
        &[
            "calibrate",
            "scenarios/four-day-war-2016.ron",
            "--runs",
            "5",
            "-q",
        ],
    ] {
        let a = truce(&[args, &["--json"]].concat());
        let b = truce(&[args, &["--format", "json"]].concat());
        let text = truce(&[args, &["--format", "text"]].concat());
        assert!(a.status.success(), "{args:?}: {}", stderr(&a));
        assert_eq!(a.stdout, b.stdout, "{args:?}");
        assert!(serde_json::from_slice::<serde_json::Value>(&a.stdout).is_ok());
        assert!(serde_json::from_slice::<serde_json::Value>(&text.stdout).is_err());
    }
}

#[test]
fn set_changes_one_run_even_inside_an_event_s_effects() {
    let json = |extra: &[&str]| {
        let out = truce(
            &[
                &[
                    "run",
                    "scenarios/karabakh-2020.ron",
                    "--seed",
                    "4",
                    "--json",
                ],
                extra,
            ]
            .concat(),
        );
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_str::<serde_json::Value>(&stdout(&out)).unwrap()
    };
    let base = json(&[]);
    assert_eq!(
        base,
        json(&["--set", "model.capture_rate=0.0267"]),
        "the default, set"
    );
    assert_ne!(base, json(&["--set", "model.capture_rate=0.2"]));
    // A number inside an event's effect: Macron's call gives the Minsk Group leverage.
    let path = "events.macron-calls.effects.0.Leverage.1";
    assert_eq!(
        base,
        json(&["--set", &format!("{path}=0.1")]),
        "the file's value"
    );
    let more = truce(&[
        "run",
        "scenarios/karabakh-2020.ron",
        "--seed",
        "4",
        "--set",
        &format!("{path}=0.9"),
    ]);
    assert!(more.status.success(), "{}", stderr(&more));
    let bad = truce(&[
        "run",
        "scenarios/karabakh-2020.ron",
        "--set",
        "events.no-such-event.effects.0=1",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("no item with id `no-such-event`"),
        "{}",
        stderr(&bad)
    );
}

fn daily(args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec![
        "run",
        "scenarios/karabakh-2020.ron",
        "--seed",
        "3",
        "--json",
        "--daily",
    ];
    all.extend_from_slice(args);
    let out = truce(&all);
    assert!(out.status.success(), "{}", stderr(&out));
    let o: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    o["days"].as_array().expect("--daily adds days").clone()
}

#[test]
fn daily_figures_give_each_side_its_ground_dead_belief_and_batna() {
    let days = daily(&[]);
    assert!(days.len() > 5);
    for (k, d) in days.iter().enumerate() {
        assert_eq!(d["day"], k as u64);
        let sides = d["sides"].as_object().unwrap();
        assert_eq!(sides.keys().collect::<Vec<_>>(), ["armenia", "azerbaijan"]);
        // With no uncertainty a side's belief is its optimism, the whole war.
        assert_eq!(sides["armenia"]["belief"], 1.3);
        assert_eq!(sides["azerbaijan"]["belief"], 1.1);
        let held: f64 = sides.values().map(|s| s["control"].as_f64().unwrap()).sum();
        assert!((held - 1.0).abs() < 2e-3, "day {k}: {held}");
        assert!(sides["armenia"]["batna"].is_number());
    }
    let gap = days[0]["belief_gap"].as_f64().unwrap();
    assert!((gap - (1.3_f64.ln() + 1.1_f64.ln())).abs() < 1e-3, "{gap}");
    // Without --daily the output has no days.
    let plain = truce(&[
        "run",
        "scenarios/karabakh-2020.ron",
        "--seed",
        "3",
        "--json",
    ]);
    let o: serde_json::Value = serde_json::from_str(&stdout(&plain)).unwrap();
    assert!(o.get("days").is_none());
}

#[test]
fn a_side_unsure_of_its_strength_learns_from_the_fighting() {
    let days = daily(&[
        "--set",
        "actors.armenia.uncertainty=0.4",
        "--set",
        "actors.azerbaijan.uncertainty=0.4",
    ]);
    let belief = |d: &serde_json::Value, side: &str| d["sides"][side]["belief"].as_f64().unwrap();
    let last = days.last().unwrap();
    assert!(days.len() > 10, "{} days", days.len());
    assert!(
        belief(last, "armenia") != belief(&days[0], "armenia"),
        "Armenia's belief never moved"
    );
    // The text output shows the same days as a table.
    let out = truce(&[
        "run",
        "scenarios/karabakh-2020.ron",
        "--seed",
        "3",
        "--daily",
        "--set",
        "actors.armenia.uncertainty=0.4",
    ]);
    let text = stdout(&out);
    assert!(text.contains("armenia: held dead belief batna"), "{text}");
}

#[test]
fn daily_figures_give_a_side_with_a_capital_its_fear_for_it() {
    // Seed 16: Shusha falls within days, and Stepanakert comes within reach.
    let out = truce(&[
        "run",
        "scenarios/karabakh-2020.ron",
        "--seed",
        "16",
        "--json",
        "--daily",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let o: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let days = o["days"].as_array().unwrap();
    let risk = |d: &serde_json::Value| d["sides"]["armenia"]["capital_risk"].as_f64();
    // Armenia's capital is Stepanakert: a figure every day, none before it is in reach.
    assert!(days.iter().all(|d| risk(d).is_some()));
    assert_eq!(risk(&days[0]), Some(0.0));
    let shusha = o["captures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["region"] == "shusha")
        .expect("Shusha falls in this run")["day"]
        .as_u64()
        .unwrap() as usize;
    assert!(risk(&days[shusha]).unwrap() > 0.05, "{}", days[shusha]);
    // Azerbaijan has no capital on the map, so no figure.
    assert!(
        days.iter()
            .all(|d| d["sides"]["azerbaijan"].get("capital_risk").is_none())
    );
}

#[test]
fn the_2020_statement_is_drafted_the_morning_after_the_war_turns_ripe() {
    let out = truce(&[
        "run",
        "scenarios/karabakh-2020.ron",
        "--seed",
        "1",
        "--json",
        "--daily",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let o: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let days = o["days"].as_array().unwrap();
    let fall = |d: usize| days[d]["precipice"].as_f64().unwrap();
    let date = o["chronicle"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            e["text"]
                .as_str()
                .unwrap()
                .contains("Moscow drafts a statement")
        })
        .expect("Moscow drafts the statement in this run")["date"]
        .clone();
    let drafted = days.iter().position(|d| d["date"] == date).unwrap();
    // Nothing has fallen on the first day; the evening before the draft, some side's
    // outlook lay at least `precipice` (0.025) below its best of the last three days.
    assert_eq!(fall(0), 0.0);
    assert!(drafted > 0 && fall(drafted - 1) >= 0.025, "day {drafted}");
    // Before it, the war was never ripe on an evening followed by a morning at war.
    for (d, day) in days.iter().enumerate().take(drafted - 1) {
        let at_war_next = !day["truce_in_force"].as_bool().unwrap();
        assert!(
            day["precipice"].as_f64().unwrap() < 0.025 || !at_war_next,
            "ripe on day {d}, drafted {drafted}"
        );
    }
    // The text table gives the fall beside the belief gap.
    let out = truce(&[
        "run",
        "scenarios/karabakh-2020.ron",
        "--seed",
        "1",
        "--daily",
    ]);
    assert!(
        stdout(&out).contains("gap   fall truce"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn daily_figures_give_each_government_its_support_at_home() {
    let days = daily(&[]);
    let support = |d: &serde_json::Value, side: &str| {
        d["sides"][side]["support"]
            .as_f64()
            .unwrap_or_else(|| panic!("no support for {side}: {d}"))
    };
    for d in &days {
        for side in ["armenia", "azerbaijan"] {
            assert!((0.0..=1.0).contains(&support(d, side)), "{d}");
        }
    }
    // The scenario starts Armenia at 0.7: one day of war moves it a little, not far.
    let first = support(&days[0], "armenia");
    assert!((first - 0.7).abs() < 0.05, "{first}");
    // The text table gives each side's support as a percentage.
    let out = truce(&[
        "run",
        "scenarios/karabakh-2020.ron",
        "--seed",
        "3",
        "--daily",
    ]);
    let text = stdout(&out);
    assert!(
        text.contains("armenia: held dead belief batna support"),
        "{text}"
    );
    // A war whose scenario declares no support has none in its days, and no column.
    let out = truce(&[
        "run",
        "scenarios/four-day-war-2016.ron",
        "--json",
        "--daily",
    ]);
    let o: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    for d in o["days"].as_array().unwrap() {
        for s in d["sides"].as_object().unwrap().values() {
            assert!(s.get("support").is_none(), "{s}");
        }
    }
    assert!(o.get("home").is_none());
}
