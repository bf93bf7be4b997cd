//! Variants (`extends`): checked, merged, run, played and saved like any scenario,
//! with a change to the parent noticed wherever it matters.

use super::*;

const VARIANT: &str = "scenarios/karabakh-2020-turkey-out.ron";

/// A folder with a copy of the seed scenario and a small variant of it.
fn folder(name: &str) -> (TempDir, PathBuf, PathBuf) {
    let dir = TempDir::new(name);
    let parent = dir.join("seed.ron");
    std::fs::copy(seed_scenario(), &parent).unwrap();
    let variant = dir.join("variant.ron");
    std::fs::write(
        &variant,
        r#"Scenario(
    extends: "seed.ron",
    id: "seed-variant",
    actors: [Actor(id: "turkey", commitment: 0.0)],
)
"#,
    )
    .unwrap();
    (dir, parent, variant)
}

#[test]
fn the_merged_variant_is_a_scenario_of_its_own() {
    let out = truce(&["check", "--merged", VARIANT]);
    assert!(out.status.success(), "{}", stderr(&out));
    let merged = stdout(&out);
    assert!(!merged.contains("extends:"), "{merged}");
    assert!(merged.contains("id: \"karabakh-2020-turkey-out\""));
    assert!(merged.contains("commitment: 0.0"));
    let dir = TempDir::new("variant-merged");
    let file = dir.join("merged.ron");
    std::fs::write(&file, &merged).unwrap();
    let again = truce(&["check", file.to_str().unwrap()]);
    assert!(again.status.success(), "{}", stderr(&again));

    let summary = stdout(&truce(&["check", VARIANT]));
    assert!(
        summary.contains("a variant of scenarios/karabakh-2020.ron"),
        "{summary}"
    );
}

#[test]
fn a_variant_runs_and_differs_from_its_parent_only_where_it_says() {
    let run = |file: &str| {
        let out = truce(&["run", file, "--seed", "3", "--json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_str::<serde_json::Value>(&stdout(&out)).unwrap()
    };
    let parent = run(seed_scenario().to_str().unwrap());
    let mut variant = run(VARIANT);
    assert_eq!(variant["scenario"], "karabakh-2020-turkey-out", "{variant}");
    variant["scenario"] = parent["scenario"].clone();
    assert_ne!(parent, variant, "Turkey's absence changes the war");
}

#[test]
fn a_json_check_names_the_parent_a_problem_is_in() {
    let out = truce(&[
        "check",
        "--format",
        "json",
        "tests/broken/extends-breaks-parent.ron",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let diagnostics = json[0]["diagnostics"].as_array().unwrap();
    assert!(
        diagnostics
            .iter()
            .any(|d| d["in_file"] == "tests/broken/parents/base.ron" && d["line"] == 59),
        "{json:#}"
    );
    assert!(diagnostics.iter().any(|d| d["in_file"].is_null()));
}

#[test]
fn a_save_of_a_variant_is_refused_once_its_parent_changes() {
    let (_dir, parent, variant) = folder("variant-save");
    let save = variant.with_file_name("game.ron");
    let out = crate::play_text::play(
        &[
            "play",
            variant.to_str().unwrap(),
            "--as",
            "armenia",
            "--text",
            "--save",
            save.to_str().unwrap(),
        ],
        "end\nend\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let ok = truce(&["replay", save.to_str().unwrap()]);
    assert!(ok.status.success(), "{}", stderr(&ok));

    let text = std::fs::read_to_string(&parent).unwrap();
    std::fs::write(
        &parent,
        text.replacen("max_turns: 120", "max_turns: 119", 1),
    )
    .unwrap();
    let refused = truce(&["replay", save.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("has changed since this game was saved"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn a_batch_of_a_variant_resumes_only_while_its_parent_is_unchanged() {
    let (dir, parent, variant) = folder("variant-batch");
    let out_dir = dir.join("out");
    let args = [
        "batch",
        variant.to_str().unwrap(),
        "--runs",
        "50",
        "--quiet",
        "--out",
        out_dir.to_str().unwrap(),
    ];
    let out = truce(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = std::fs::read_to_string(out_dir.join("summary.json")).unwrap();
    assert!(summary.contains("seed-variant"), "{summary}");

    let text = std::fs::read_to_string(&parent).unwrap();
    std::fs::write(
        &parent,
        text.replacen("max_turns: 120", "max_turns: 119", 1),
    )
    .unwrap();
    let resumed = truce(&["batch", "--resume", out_dir.to_str().unwrap(), "--quiet"]);
    assert_eq!(resumed.status.code(), Some(2), "{}", stderr(&resumed));
}

#[test]
fn the_two_republics_fight_as_allies_and_sign_each_for_itself() {
    let mut both_signed = 0;
    for seed in 1..=12 {
        let seed = seed.to_string();
        let out = truce(&[
            "run",
            "scenarios/donbas-2014-republics.ron",
            "--seed",
            &seed,
            "--json",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        let o: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let lpr_ground = ["luhansk", "alchevsk"];
        let dpr_ground = ["donetsk", "horlivka", "torez"];
        for c in o["captures"].as_array().unwrap() {
            let (by, region) = (c["by"].as_str().unwrap(), c["region"].as_str().unwrap());
            // Allies never take each other's ground.
            assert!(
                !(by == "separatists" && lpr_ground.contains(&region)
                    || by == "lpr" && dpr_ground.contains(&region)),
                "seed {seed}: {c}"
            );
        }
        // The LPR fights its own war on its own fronts.
        let lpr_dead = o["casualties"]["military"]["lpr"].as_u64().unwrap();
        assert!(lpr_dead > 0, "seed {seed}: {}", o["casualties"]);
        for a in o["agreements"].as_array().unwrap() {
            let parties: Vec<&str> = a["parties"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap())
                .collect();
            assert_eq!(parties, ["ukraine", "separatists", "lpr"], "seed {seed}");
            both_signed += 1;
        }
    }
    assert!(both_signed > 0, "no Minsk text signed in 12 runs");
}
