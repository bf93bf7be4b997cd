//! Runs `truce check` on every deliberately broken scenario in `tests/broken/` and
//! checks that each one is rejected with the diagnostics its header announces.
//!
//! Every file there starts with one or more lines of the form
//!
//! ```text
//! // expect: <line>:<col>: <substring of the diagnostic>
//! ```
//!
//! For each such line, stderr must hold a diagnostic (an `error: ...` block) whose
//! `--> <file>:<line>:<col>` matches and whose text (message, `at:` or `help:`
//! lines) contains the substring. A variant's problem found in a scenario it
//! `extends` is expected there: `// expect: <parent file>:<line>:<col>: <substring>`.

use std::process::Output;

const BROKEN_DIR: &str = "tests/broken";
const MINIMAL: &str = "tests/fixtures/minimal.ron";
const MIN_BROKEN_FILES: usize = 15;

struct Expect {
    /// The file the diagnostic points into, when not the broken file itself.
    file: Option<String>,
    line: usize,
    col: usize,
    text: String,
}

/// Runs `truce check <file>` from the package root, `file` relative to it.
fn check(file: &str) -> Output {
    crate::truce(&["check", file])
}

/// The `.ron` files of `tests/broken/`, as paths relative to the package root.
fn broken_files() -> Vec<String> {
    crate::ron_files(&crate::root().join(BROKEN_DIR))
        .iter()
        .map(|p| {
            let name = p.file_name().expect("file name").to_string_lossy();
            format!("{BROKEN_DIR}/{name}")
        })
        .collect()
}

/// The `// expect:` lines of the comment block at the top of `source`.
fn expectations(file: &str, source: &str) -> Result<Vec<Expect>, String> {
    let mut out = Vec::new();
    for line in source
        .lines()
        .take_while(|l| l.trim_start().starts_with("//"))
    {
        let Some(rest) = line.trim_start().strip_prefix("// expect:") else {
            continue;
        };
        let bad = || format!("{file}: malformed expect line `{line}`");
        let rest = rest.trim_start();
        let (in_file, rest) = match rest.split_once(':') {
            Some((name, after)) if name.parse::<usize>().is_err() => {
                (Some(name.to_string()), after)
            }
            _ => (None, rest),
        };
        let mut parts = rest.splitn(3, ':');
        let (Some(l), Some(c), Some(text)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        let text = text.strip_prefix(' ').unwrap_or(text).to_string();
        match (l.trim().parse(), c.trim().parse()) {
            (Ok(line), Ok(col)) if line > 0 && col > 0 && !text.is_empty() => out.push(Expect {
                file: in_file,
                line,
                col,
                text,
            }),
            _ => return Err(bad()),
        }
    }
    if out.is_empty() {
        return Err(format!(
            "{file}: no `// expect: <line>:<col>: <message>` line at the top"
        ));
    }
    Ok(out)
}

/// Splits stderr into diagnostics, each starting at a line `error: ...`.
fn diagnostics(stderr: &str) -> Vec<String> {
    let mut blocks: Vec<String> = Vec::new();
    for line in stderr.lines() {
        if line.starts_with("error: ") || blocks.is_empty() {
            blocks.push(String::new());
        }
        let block = blocks.last_mut().expect("a block");
        block.push_str(line);
        block.push('\n');
    }
    blocks
}

/// Everything wrong with how `truce check` treated one broken file.
fn problems_with(file: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let source = match std::fs::read_to_string(crate::root().join(file)) {
        Ok(s) => s,
        Err(e) => return vec![format!("{file}: cannot read: {e}")],
    };
    let expects = match expectations(file, &source) {
        Ok(x) => x,
        Err(e) => return vec![e],
    };
    let out = check(file);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() != Some(2) {
        problems.push(format!(
            "{file}: expected exit code 2, got {:?}",
            out.status.code()
        ));
    }
    if stderr.contains("panicked") {
        problems.push(format!("{file}: the binary panicked"));
    }
    let blocks = diagnostics(&stderr);
    for e in &expects {
        let arrow = format!(
            "--> {}:{}:{}\n",
            e.file.as_deref().unwrap_or(file),
            e.line,
            e.col
        );
        let at_position: Vec<&String> = blocks.iter().filter(|b| b.contains(&arrow)).collect();
        if at_position.is_empty() {
            problems.push(format!(
                "{file}: no diagnostic at {}:{} (expected one containing `{}`)",
                e.line, e.col, e.text
            ));
        } else if !at_position.iter().any(|b| b.contains(&e.text)) {
            problems.push(format!(
                "{file}: the diagnostic at {}:{} does not contain `{}`",
                e.line, e.col, e.text
            ));
        }
    }
    if !problems.is_empty() {
        problems.push(format!("--- stderr of `truce check {file}`:\n{stderr}"));
    }
    problems
}

#[test]
fn corpus_is_large_enough() {
    let files = broken_files();
    assert!(
        files.len() >= MIN_BROKEN_FILES,
        "expected at least {MIN_BROKEN_FILES} files in {BROKEN_DIR}, found {}",
        files.len()
    );
}

#[test]
fn minimal_fixture_is_valid() {
    let out = check(MINIMAL);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{MINIMAL} should pass `truce check`; stderr:\n{stderr}"
    );
    assert!(
        stdout.contains(&format!("{MINIMAL}: ok")),
        "stdout:\n{stdout}"
    );
    assert!(!stderr.contains("panicked"), "stderr:\n{stderr}");
}

#[test]
fn broken_scenarios_are_rejected_at_the_right_place() {
    let files = broken_files();
    assert!(!files.is_empty(), "no files in {BROKEN_DIR}");
    let problems: Vec<String> = files.iter().flat_map(|f| problems_with(f)).collect();
    assert!(
        problems.is_empty(),
        "{} problem(s) with the broken scenarios:\n\n{}",
        problems.iter().filter(|p| !p.starts_with("---")).count(),
        problems.join("\n")
    );
}

/// The broken history files of `tests/broken/histories/`, checked against the
/// scenario beside them (`minimal.ron`).
fn broken_histories() -> Vec<String> {
    let dir = crate::root().join(BROKEN_DIR).join("histories");
    crate::ron_files(&dir)
        .iter()
        .filter_map(|p| {
            let name = p.file_name()?.to_string_lossy().to_string();
            name.ends_with(".history.ron")
                .then(|| format!("{BROKEN_DIR}/histories/{name}"))
        })
        .collect()
}

#[test]
fn broken_history_files_are_rejected_at_the_right_place() {
    let files = broken_histories();
    assert!(
        files.len() >= 10,
        "expected at least 10 broken history files"
    );
    let problems: Vec<String> = files.iter().flat_map(|f| problems_with(f)).collect();
    assert!(
        problems.is_empty(),
        "{} problem(s) with the broken history files:\n\n{}",
        problems.iter().filter(|p| !p.starts_with("---")).count(),
        problems.join("\n")
    );
}

#[test]
fn a_history_file_with_facts_no_run_can_produce_passes_with_warnings() {
    let dir = crate::TempDir::new("history-warnings");
    let scenario = std::fs::read_to_string(crate::root().join(MINIMAL))
        .unwrap()
        .replace(
            r#"coords: (0.0, 0.0), adjacent: ["lowland", "riverside"]),"#,
            r#"coords: (0.0, 0.0), adjacent: ["lowland", "riverside"], contestable: false),"#,
        );
    std::fs::write(dir.join("war.ron"), scenario).unwrap();
    let history = dir.join("war.history.ron");
    std::fs::write(
        &history,
        r#"History(
    scenario: "minimal",
    captures: [CaptureRecord(region: "midvale", by: "south", day: 4)],
    settlement: Some(SettlementRecord(broker: "mediator", day: 500)),
)
"#,
    )
    .unwrap();
    let out = crate::truce(&["check", history.to_str().unwrap()]);
    let err = crate::stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning: `midvale` cannot be attacked"),
        "{err}"
    );
    assert!(err.contains("after the scenario's last day"), "{err}");
    assert!(err.contains("2 warnings"), "{err}");
}
