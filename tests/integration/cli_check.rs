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
