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
    // Each party's odds say what its war outlook rests on: its belief and its public.
    assert!(
        text.contains("its war outlook: reckons its power ×1.10; support at home "),
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
    // The end tells the game's story beside the record of the war.
    assert!(text.contains("What happened in this game:"), "{text}");
    assert!(text.contains("What really happened:"), "{text}");
    assert!(
        text.contains("2020-11-08 (day 30): Azerbaijan takes Shusha"),
        "{text}"
    );
    assert!(text.contains("(really 2,850)"), "{text}");

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

#[test]
fn a_side_that_may_lose_its_capital_says_so_beside_its_odds() {
    // Seed 16: Shusha falls within days, and with it Stepanakert comes within reach.
    let scenario = seed_scenario();
    let out = play(
        &[
            "play",
            scenario.to_str().unwrap(),
            "--as",
            "russia",
            "--text",
            "--seed",
            "16",
        ],
        &format!("{}quit\n", "end\n".repeat(40)),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("Azerbaijani forces take Shusha"),
        "Shusha holds in this run: {text}"
    );
    assert!(
        text.contains("fears losing Stepanakert within 14 days: "),
        "{text}"
    );
    // The fall that makes the war ripe is told beside the odds too.
    assert!(
        text.contains(" in 3 days: the war is ripe for a text"),
        "{text}"
    );
}

#[test]
fn the_sides_show_coalitions_patrons_and_aims() {
    let out = play(
        &[
            "play",
            "scenarios/donbas-2014-republics.ron",
            "--as",
            "ukraine",
            "--text",
        ],
        "end\nend\nsides\nquit\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    // At the start and when asked.
    assert_eq!(text.matches("The sides:").count(), 2, "{text}");
    for line in [
        // Ukraine's player knows the republics' plans only from what they claim.
        "The DPR: leads a coalition with the LPR; backed by Russia (71% of its help); claims 8 regions: Mariupol,",
        "The LPR: fights beside the DPR; backed by Russia (29% of its help); claims 8 regions: Mariupol,",
        "Russia: backs the DPR (71%) and the LPR (29%)",
        "Ukraine: aims at 5 regions: Donetsk, Luhansk,",
    ] {
        assert!(text.contains(line), "no `{line}` in:\n{text}");
    }
    // The seed war: no coalition, one patron, and Armenia wants back what it lost.
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
    let text = stdout(&out);
    assert!(
        text.contains("Azerbaijan: backed by Turkey; aims at 7 regions: Fuzuli, Zangilan, Qubadli, Lachin, Shusha, Aghdam"),
        "{text}"
    );
    assert!(
        text.contains("Armenia: aims at 2 regions: Jabrayil, Hadrut"),
        "{text}"
    );
    // Armenia's player sees what Azerbaijan claims, Stepanakert with it, not its plan.
    let out = play(
        &[
            "play",
            "scenarios/karabakh-2020.ron",
            "--as",
            "armenia",
            "--text",
        ],
        "quit\n",
    );
    let text = stdout(&out);
    assert!(
        text.contains("Azerbaijan: backed by Turkey; claims 11 regions: Fuzuli, Zangilan, Qubadli, Lachin, Shusha, Stepanakert"),
        "{text}"
    );
    // The patron sees the plans of both.
    let out = play(
        &[
            "play",
            "scenarios/donbas-2014-republics.ron",
            "--as",
            "russia",
            "--text",
        ],
        "quit\n",
    );
    let text = stdout(&out);
    assert!(
        text.contains("The LPR: fights beside the DPR; backed by Russia (29% of its help); aims at 3 regions: Debaltseve, Shchastia, Luhansk airport"),
        "{text}"
    );
}

/// Four days as Russia, back two, a new line tabling the Moscow truce, a look at the
/// branches, bad inputs, back to main, saved to `save`. The session's output.
pub fn branched_game(save: &Path) -> String {
    let script = format!(
        "end\nend\nend\nend\nback 2\ntable moscow-truce\nend\nbranches\n\
         back 9\nback x\nswitch mian\nswitch main\nswitch main\nbranches\ncompare\n\
         compare main b9\nsave {}\nquit\n",
        save.display()
    );
    let out = play(
        &[
            "play",
            "scenarios/karabakh-2020.ron",
            "--as",
            "russia",
            "--text",
            "--seed",
            "4",
        ],
        &script,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn going_back_makes_a_branch_and_switch_returns_to_the_line_left() {
    let dir = TempDir::new("play-branches");
    let save = dir.join("g.ron");
    let text = branched_game(&save);
    assert!(
        text.contains(
            "Back to the morning of day 2: you now play branch b1 from there; \
             branch main is kept as it was (day 4). (`branches` lists them; `switch main` returns to it.)"
        ),
        "{text}"
    );
    assert!(
        text.contains("== Day 2 · 2020-10-11 · day 15 of the war · branch b1 =="),
        "{text}"
    );
    // The new line plays on from day 2: the truce is tabled on day 2, day 3 follows.
    assert!(
        text.contains(
            "Russia convenes Armenia and Azerbaijan for talks on the Moscow humanitarian truce"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "Branches (* is the one you play):\n    main  from the start, reached day 4\n  \
             * b1    forked from main at day 2, reached day 3\n"
        ),
        "{text}"
    );
    // Bad input: a clear message, a suggestion, and the session goes on.
    assert!(
        text.contains(
            "? cannot go back 9 days: branch b1 has played 3 days: `back` goes back 1 to 3 days"
        ),
        "{text}"
    );
    assert!(
        text.contains("? `x` is not a number of days: `back` takes a number of days"),
        "{text}"
    );
    assert!(
        text.contains("? no branch `mian`; did you mean `main`?"),
        "{text}"
    );
    assert!(
        text.contains("You play branch main (day 4); branch b1 is kept (day 3)."),
        "{text}"
    );
    assert!(text.contains("? you already play branch main"), "{text}");
    assert!(
        text.contains("  * main  from the start, reached day 4\n    b1    forked from main at day 2, reached day 3\n"),
        "{text}"
    );
    // Side by side: the branch played and the other, each with the advisor's odds.
    assert!(
        text.contains("  main, day 4: ground held Armenia ")
            && text.contains("  b1, day 3: ground held Armenia "),
        "{text}"
    );
    assert_eq!(
        text.matches("advisor (200 continuations): durable agreement within 30 days")
            .count(),
        2,
        "{text}"
    );
    assert!(
        text.contains("? no branch `b9`; did you mean `b1`?"),
        "{text}"
    );
    let saved = std::fs::read_to_string(&save).unwrap();
    assert!(saved.contains("format: 2,"), "{saved}");
    assert!(saved.contains("branch: \"main\","), "{saved}");
    assert!(
        saved.contains("(name: \"b1\", from: Some((branch: \"main\", day: 2)), day: 3, commands: [End, End, Table(\"moscow-truce\"), End])"),
        "{saved}"
    );

    // `truce replay` replays the branch played, or the one asked for.
    let main = truce(&["replay", save.to_str().unwrap()]);
    assert!(main.status.success(), "{}", stderr(&main));
    assert!(
        stdout(&main).contains("The save stops on day 4 of branch main"),
        "{}",
        stdout(&main)
    );
    let b1 = truce(&["replay", save.to_str().unwrap(), "--branch", "b1"]);
    assert!(b1.status.success(), "{}", stderr(&b1));
    assert!(
        stdout(&b1).contains("The save stops on day 3 of branch b1"),
        "{}",
        stdout(&b1)
    );
    assert!(stdout(&b1).contains("Moscow humanitarian truce"));
    let bad = truce(&["replay", save.to_str().unwrap(), "--branch", "b2"]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(
        stderr(&bad).contains("no branch `b2`; did you mean `b1`?"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn a_branched_save_replays_and_saves_again_to_the_same_bytes() {
    let dir = TempDir::new("play-branch-bytes");
    let save = dir.join("g.ron");
    branched_game(&save);
    let original = std::fs::read(&save).unwrap();
    let replays: Vec<Output> = (0..2)
        .map(|_| truce(&["replay", save.to_str().unwrap(), "--branch", "b1", "--json"]))
        .collect();
    assert!(replays[0].status.success(), "{}", stderr(&replays[0]));
    assert_eq!(replays[0].stdout, replays[1].stdout);
    // Restored and saved again, on the same branch or after a round trip to another.
    let again = dir.join("again.ron");
    let round = dir.join("round.ron");
    let script = format!(
        "save {}\nswitch b1\nswitch main\nsave {}\nquit\n",
        again.display(),
        round.display()
    );
    let out = play(
        &["play", "--text", "--load", save.to_str().unwrap()],
        &script,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read(&again).unwrap(), original);
    assert_eq!(std::fs::read(&round).unwrap(), original);
}

#[test]
fn a_format_1_save_still_loads_and_plays_as_branch_main() {
    let fixture = root().join("tests/fixtures/save-format-1.ron");
    let replayed = truce(&["replay", fixture.to_str().unwrap()]);
    assert!(replayed.status.success(), "{}", stderr(&replayed));
    assert!(
        stdout(&replayed).contains("The save stops on day 2 with the war going on"),
        "{}",
        stdout(&replayed)
    );
    let dir = TempDir::new("play-format-1");
    let save = dir.join("g.ron");
    let script = format!(
        "branches\nend\nback 1\nbranches\nsave {}\nquit\n",
        save.display()
    );
    let out = play(
        &["play", "--text", "--load", fixture.to_str().unwrap()],
        &script,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("  * main  from the start, reached day 2\n"),
        "{text}"
    );
    assert!(
        text.contains("  * b1    forked from main at day 2, reached day 2\n"),
        "{text}"
    );
    let saved = std::fs::read_to_string(&save).unwrap();
    assert!(saved.contains("format: 2,"), "{saved}");
    assert!(
        saved.contains("(name: \"main\", from: None, day: 3, commands: [Pressure(\"north\", 0.5), End, End, End])"),
        "{saved}"
    );
    // A format from a later truce is refused, with what this one reads.
    let later = dir.join("later.ron");
    let text = std::fs::read_to_string(&fixture).unwrap();
    std::fs::write(&later, text.replace("format: 1,", "format: 3,")).unwrap();
    let refused = truce(&["replay", later.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused)
            .contains("save format 3 is not supported (this truce reads formats 1 to 2)"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn a_belligerent_declares_a_ceasefire_from_the_terminal_and_the_save_replays_it() {
    let dir = TempDir::new("play-declare");
    let save = dir.join("game.ron");
    let scenario = seed_scenario();
    let script = format!("declare 5\n{}quit\n", "end\nend\n".repeat(3));
    let out = play(
        &[
            "play",
            scenario.to_str().unwrap(),
            "--as",
            "armenia",
            "--text",
            "--seed",
            "4",
            "--save",
            save.to_str().unwrap(),
        ],
        &script,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("You will stop your offensives for 5 days from tomorrow"),
        "{text}"
    );
    assert!(
        text.contains("Armenia declares a unilateral ceasefire for 5 days"),
        "{text}"
    );
    let saved = std::fs::read_to_string(&save).unwrap();
    assert!(saved.contains("Declare(5)"), "{saved}");
    let replay = truce(&["replay", save.to_str().unwrap()]);
    assert!(replay.status.success(), "{}", stderr(&replay));
    assert!(
        stdout(&replay).contains("Armenia declares a unilateral ceasefire"),
        "{}",
        stdout(&replay)
    );
}
