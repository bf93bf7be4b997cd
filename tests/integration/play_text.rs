//! `truce play --text` driven by a script on stdin, and `truce replay` of its save.

use std::io::Write;
use std::process::{Output, Stdio};

use super::*;

/// Plays `script` as `seat` through the terminal front-end.
pub fn play(args: &[&str], script: &str) -> Output {
    let mut child = truce_command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("truce play starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(script.as_bytes())
        .expect("the script is read");
    child.wait_with_output().expect("truce play ends")
}

/// The outcome's summary: from "Outcome:" to the "Control:" line.
fn summary(text: &str) -> String {
    let start = text.find("Outcome:").expect("an outcome is printed");
    let rest = &text[start..];
    let end = rest.find("Control:").expect("a control line");
    let line_end = rest[end..].find('\n').map_or(rest.len(), |i| end + i);
    rest[..line_end].to_string()
}

#[test]
fn a_scripted_game_as_armenia_plays_to_an_end_and_replays_exactly() {
    let dir = TempDir::new("play-armenia");
    let save = dir.join("game.ron");
    // Every day: end the morning, accept whatever is put first, end the day.
    let script = "end\naccept 1\nend\n".repeat(200);
    let scenario = seed_scenario();
    let out = play(
        &[
            "play",
            scenario.to_str().unwrap(),
            "--as",
            "armenia",
            "--text",
            "--seed",
            "5",
            "--save",
            save.to_str().unwrap(),
        ],
        &script,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("You play Armenia (belligerent)"), "{text}");
    // The seed war declares each government's support: the status gives it.
    assert!(text.contains("; support at home "), "{text}");
    assert!(
        text.contains("Others at home: Azerbaijan support at home "),
        "{text}"
    );
    assert!(
        text.contains("Put to you today"),
        "Armenia is never asked: {text}"
    );
    assert!(text.contains("You will sign the"), "{text}");
    let played = summary(&text);
    assert!(
        played.contains("durable agreement")
            || played.contains("capitulation")
            || played.contains("time limit"),
        "{played}"
    );
    assert!(text.contains("What really happened"), "{text}");

    let replayed = truce(&["replay", save.to_str().unwrap()]);
    assert!(replayed.status.success(), "{}", stderr(&replayed));
    assert_eq!(summary(&stdout(&replayed)), played);
}

#[test]
fn the_same_script_and_seed_give_the_same_game() {
    let script = "table moscow-truce\nincentive azerbaijan 0.3\nend\npressure azerbaijan 0.5\nend\nend\nauto\n";
    let scenario = seed_scenario();
    let args = [
        "play",
        scenario.to_str().unwrap(),
        "--as",
        "russia",
        "--text",
        "--seed",
        "11",
    ];
    let a = play(&args, script);
    let b = play(&args, script);
    assert!(a.status.success(), "{}", stderr(&a));
    assert_eq!(stdout(&a), stdout(&b));
    let text = stdout(&a);
    assert!(
        text.contains(
            "Russia convenes Armenia and Azerbaijan for talks on the Moscow humanitarian truce"
        ),
        "{text}"
    );
    assert!(
        text.contains("Russia puts pressure on Azerbaijan"),
        "{text}"
    );
    assert!(
        text.contains("The AI plays your seat to the end."),
        "{text}"
    );
    assert!(text.contains("Outcome:"), "{text}");
}

#[test]
fn scenario_and_seat_can_be_chosen_at_the_prompt() {
    let out = play(&["play", "--text"], "2\nazerbaijan\nquit\n");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Choose a scenario"), "{text}");
    // The bundled variant is offered under its title, so its parent was found.
    assert!(
        text.contains("Karabakh 2020: what if Turkey stayed out"),
        "{text}"
    );
    assert!(text.contains("You play Azerbaijan"), "{text}");
    assert!(text.contains("Bye."), "{text}");
}

#[test]
fn refused_commands_say_why_and_change_nothing() {
    let scenario = seed_scenario();
    let out = play(
        &[
            "play",
            scenario.to_str().unwrap(),
            "--as",
            "armenia",
            "--text",
        ],
        "incentive azerbaijan 0.2\ntable washington-truce\npressure russai 0.2\nfly\naccept 1\nquit\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("? Armenia has no leverage to spend"),
        "{text}"
    );
    assert!(
        text.contains("? unknown actor `russai`; did you mean `russia`?"),
        "{text}"
    );
    assert!(text.contains("? unknown command `fly`"), "{text}");
    assert!(text.contains("? nothing is put to you yet"), "{text}");
}

#[test]
fn an_unknown_seat_is_bad_input() {
    let scenario = seed_scenario();
    let out = play(
        &[
            "play",
            scenario.to_str().unwrap(),
            "--as",
            "russai",
            "--text",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .contains("unknown actor `russai` in karabakh-2020.ron; did you mean `russia`?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_save_from_a_changed_scenario_is_refused() {
    let dir = TempDir::new("play-changed");
    let scenario = dir.join("s.ron");
    std::fs::copy(seed_scenario(), &scenario).unwrap();
    let save = dir.join("g.ron");
    let out = play(
        &[
            "play",
            scenario.to_str().unwrap(),
            "--as",
            "russia",
            "--text",
            "--save",
            save.to_str().unwrap(),
        ],
        "end\nend\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let ok = truce(&["replay", save.to_str().unwrap()]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(
        stdout(&ok).contains("The save stops on day 2"),
        "{}",
        stdout(&ok)
    );

    let text = std::fs::read_to_string(&scenario).unwrap();
    std::fs::write(&scenario, text.replacen("max_turns", "max_turns ", 1)).unwrap();
    for args in [
        vec!["replay", save.to_str().unwrap()],
        vec!["play", "--text", "--load", save.to_str().unwrap()],
    ] {
        let refused = truce(&args);
        assert_eq!(refused.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&refused).contains("has changed since this game was saved"),
            "{}",
            stderr(&refused)
        );
    }
    // The save itself is untouched.
    assert!(
        std::fs::read_to_string(&save)
            .unwrap()
            .contains("seat: \"russia\"")
    );
}

#[test]
fn a_broken_save_is_bad_input_with_its_position() {
    let dir = TempDir::new("play-broken-save");
    let save = dir.join("g.ron");
    std::fs::write(&save, "(format: 1, scenario: \"x\",\n  seed: oops)\n").unwrap();
    let out = truce(&["replay", save.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("g.ron:2:"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not a truce save"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_first_day_shows_the_war_under_way() {
    let out = play(
        &[
            "play",
            "scenarios/karabakh-2020.ron",
            "--as",
            "russia",
            "--text",
        ],
        "quit\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    // The scenario opens on the thirteenth day of a war begun on 27 September.
    assert!(
        text.contains("== Day 0 · 2020-10-09 · day 13 of the war =="),
        "{text}"
    );
    assert!(!text.contains("has not started"), "{text}");
    assert!(
        text.contains("Ground held: Armenia 83%, Azerbaijan 17%. Military dead: Armenia 430"),
        "{text}"
    );
}
