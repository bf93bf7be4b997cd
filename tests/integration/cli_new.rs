//! `truce new`: a valid, playable starting scenario, or a renamed copy.

use crate::{TempDir, seed_scenario, stderr, stdout, truce};

#[test]
fn a_new_scenario_checks_and_plays_to_an_end() {
    let tmp = TempDir::new("new-template");
    let file = tmp.join("border-war.ron");
    let path = file.to_str().unwrap();
    let out = truce(&["new", "border-war", "--out", path]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("truce check"));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("id: \"border-war\""));
    assert!(text.contains("name: \"Border war\""));
    assert!(text.starts_with("//"), "the template is commented");
    let check = truce(&["check", path]);
    assert!(check.status.success(), "{}", stderr(&check));
    let run = truce(&["run", path, "--seed", "3"]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(stdout(&run).contains("Outcome: ended on"));
}

#[test]
fn new_from_an_existing_scenario_renames_a_copy() {
    let tmp = TempDir::new("new-from");
    let file = tmp.join("what-if.ron");
    let seed = seed_scenario();
    let out = truce(&[
        "new",
        "what-if",
        "--from",
        seed.to_str().unwrap(),
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let check = truce(&["check", file.to_str().unwrap()]);
    assert!(check.status.success(), "{}", stderr(&check));
    let json = truce(&["run", file.to_str().unwrap(), "--json", "--max-turns", "5"]);
    let outcome: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(outcome["scenario"], "what-if");
}

#[test]
fn new_refuses_bad_names_and_never_overwrites() {
    let tmp = TempDir::new("new-refuses");
    let file = tmp.join("mine.ron");
    std::fs::write(&file, "my own work").unwrap();
    for (args, expected) in [
        (
            vec!["new", "Not A Name", "--out", "x.ron"],
            "not a scenario name",
        ),
        (
            vec!["new", "mine", "--out", file.to_str().unwrap()],
            "already exists",
        ),
    ] {
        let out = truce(&args);
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains(expected), "{}", stderr(&out));
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "my own work");
}
