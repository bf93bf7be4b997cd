//! `truce check` on the bundled scenarios.

use crate::{ron_files, root, stderr, stdout, truce};

#[test]
fn every_bundled_scenario_passes() {
    let files = ron_files(&root().join("scenarios"));
    assert!(!files.is_empty());
    for f in files {
        let out = truce(&["check", f.to_str().unwrap()]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}: {}",
            f.display(),
            stderr(&out)
        );
        assert!(stdout(&out).contains(": ok ("));
    }
}

#[test]
fn check_reports_every_error_not_only_the_first() {
    let dir = std::env::temp_dir().join(format!("truce-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(crate::seed_scenario()).unwrap();
    let broken = text
        .replacen("brokers: [\"russia\"]", "brokers: [\"russai\"]", 1)
        .replacen(
            "controller: \"armenia\", value: 0.3,",
            "controller: \"armenia\", value: 1.3,",
            1,
        );
    let file = dir.join("two-errors.ron");
    std::fs::write(&file, broken).unwrap();
    let out = truce(&["check", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("unknown actor `russai`"), "{err}");
    assert!(err.contains("did you mean `russia`?"), "{err}");
    assert!(err.contains("must be between 0 and 1, found 1.3"), "{err}");
    assert!(err.contains("2 errors found"), "{err}");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn check_of_several_files_names_each_and_fails_if_one_fails() {
    let out = truce(&["check", "scenarios/karabakh-2020.ron", "does-not-exist.ron"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).contains("karabakh-2020.ron: ok"));
    assert!(stderr(&out).contains("does-not-exist.ron"));
}

#[test]
fn check_as_json_gives_every_diagnostic_with_its_position() {
    let broken = root().join("tests/broken/belligerent-with-side.ron");
    let text = std::fs::read_to_string(&broken).unwrap();
    // `// expect: LINE:COL: message`
    let expect = text
        .lines()
        .next()
        .unwrap()
        .trim_start_matches("// expect: ");
    let mut parts = expect.splitn(3, ':');
    let line: u64 = parts.next().unwrap().parse().unwrap();
    let column: u64 = parts.next().unwrap().parse().unwrap();
    let message = parts.next().unwrap().trim();

    let out = truce(&[
        "check",
        "--format",
        "json",
        "scenarios/karabakh-2020.ron",
        broken.to_str().unwrap(),
        "does-not-exist.ron",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let files: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let files = files.as_array().unwrap();
    assert_eq!(files.len(), 3);
    assert_eq!(files[0]["ok"], true);
    assert!(
        files[0]["summary"]
            .as_str()
            .unwrap()
            .starts_with("ok (6 actors")
    );
    assert_eq!(files[1]["ok"], false);
    let d = &files[1]["diagnostics"][0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["line"].as_u64(), Some(line));
    assert_eq!(d["column"].as_u64(), Some(column));
    assert!(d["end_line"].as_u64().unwrap() >= line);
    assert!(d["message"].as_str().unwrap().contains(message), "{d}");
    // A file that cannot be read has a diagnostic without a position.
    assert_eq!(files[2]["ok"], false);
    assert!(files[2]["diagnostics"][0]["line"].is_null());
}

#[test]
fn colour_follows_color_no_color_and_clicolor_force() {
    let broken = "tests/broken/unknown-broker.ron";
    let err = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = crate::truce_command(&[&["check", broken], args].concat());
        cmd.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        stderr(&out)
    };
    let coloured = |s: &str| s.contains('\u{1b}');
    // A pipe is not a terminal: plain by default.
    assert!(!coloured(&err(&[], &[])));
    assert!(coloured(&err(&["--color", "always"], &[])));
    assert!(coloured(&err(&[], &[("CLICOLOR_FORCE", "1")])));
    assert!(!coloured(&err(&[], &[("CLICOLOR_FORCE", "0")])));
    // An empty NO_COLOR does not count; a set one wins over CLICOLOR_FORCE.
    assert!(coloured(&err(
        &[],
        &[("NO_COLOR", ""), ("CLICOLOR_FORCE", "1")]
    )));
    assert!(!coloured(&err(
        &[],
        &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]
    )));
    assert!(!coloured(&err(
        &["--color", "never"],
        &[("CLICOLOR_FORCE", "1")]
    )));
    // The text underneath is the same.
    let strip = |s: String| {
        let mut out = String::new();
        let mut rest = s.as_str();
        while let Some(i) = rest.find('\u{1b}') {
            out.push_str(&rest[..i]);
            rest = &rest[i + rest[i..].find('m').unwrap() + 1..];
        }
        out.push_str(rest);
        out
    };
    assert_eq!(strip(err(&["--color", "always"], &[])), err(&[], &[]));
}

#[test]
fn a_scenario_on_stdin_is_checked_as_a_file_is() {
    use std::io::Write;
    let check = |text: String, json: bool| {
        let mut args = vec!["check", "-"];
        if json {
            args.extend(["--format", "json"]);
        }
        let mut child = crate::truce_command(&args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let good = std::fs::read_to_string(root().join("scenarios/four-day-war-2016.ron")).unwrap();
    let out = check(good.clone(), false);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("<stdin>: ok ("),
        "{}",
        stdout(&out)
    );
    let broken = good.replace(r#"brokers: ["russia"],"#, r#"brokers: ["rusia"],"#);
    let out = check(broken.clone(), false);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--> <stdin>:"), "{}", stderr(&out));
    assert!(stderr(&out).contains("did you mean `russia`?"));
    let out = check(broken, true);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "", "the JSON alone reports the failure");
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v[0]["file"], "<stdin>");
    assert_eq!(v[0]["diagnostics"][0]["hint"], "did you mean `russia`?");
}
