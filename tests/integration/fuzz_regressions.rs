//! The loader's robustness without cargo-fuzz: every input the fuzzer ever crashed
//! (kept in `tests/fuzz/`), then thousands of seeded mutations of the bundled
//! scenarios. Each must load or be refused with diagnostics; none may panic.

use std::panic::{AssertUnwindSafe, catch_unwind};

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use truce::scenario::{self, LoadError, bundled};

/// Loads `text` as the fuzz target does; `Err` describes a panic or a broken answer.
fn load(text: &str) -> Result<(), String> {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        match scenario::load_str("bundled:mutant.ron", text.to_string()) {
            Ok(loaded) => {
                let again = scenario::load_str("merged.ron", loaded.source.clone())
                    .map_err(|e| format!("the merged text does not load again:\n{e}"))?;
                if again.source != loaded.source {
                    return Err("the merged text changes when loaded again".into());
                }
                Ok(())
            }
            Err(LoadError::Invalid(report)) if report.diagnostics.is_empty() => {
                Err("refused without a diagnostic".into())
            }
            Err(LoadError::Invalid(report)) => {
                let _ = report.render();
                Ok(())
            }
            Err(LoadError::Io { .. }) => Ok(()),
        }
    }));
    outcome.unwrap_or_else(|_| Err("panicked".into()))
}

#[test]
fn every_input_the_fuzzer_found_is_handled() {
    let dir = crate::root().join("tests/fuzz");
    let mut failures = Vec::new();
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/fuzz exists") {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "ron") {
            continue;
        }
        n += 1;
        let bytes = std::fs::read(&path).unwrap();
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        if let Err(e) = load(&text) {
            failures.push(format!("{}: {e}", path.display()));
        }
    }
    assert!(n > 0, "no regression inputs in {}", dir.display());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Numbers a careless or hostile author might write.
const ODD_NUMBERS: &[&str] = &[
    "-1",
    "0",
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "4294967296",
    "18446744073709551616",
    "-0.0",
    "1e-320",
    "0x10",
    "1_000",
    "99999999999",
];
const PUNCTUATION: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "\"",
    "#",
    "Some(",
    "None",
    "r#",
    "//",
    "/*",
    "extends: \"karabakh-2020.ron\",",
    "id: \"x\",",
    "\u{e9}",
    "\\",
];

/// `text` with one random change.
fn mutate(text: &str, rng: &mut ChaCha8Rng) -> String {
    let cut = |rng: &mut ChaCha8Rng, s: &str| {
        let mut i = rng.random_range(0..=s.len());
        while !s.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let a = cut(rng, text);
    let b = cut(rng, &text[a..]) + a;
    let b = b.min(a + 64);
    let b = (a..=b)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(a);
    match rng.random_range(0..5) {
        // Delete a run of text.
        0 => format!("{}{}", &text[..a], &text[b..]),
        // Repeat a run of text.
        1 => format!("{}{}{}", &text[..b], &text[a..b], &text[b..]),
        // Put a piece of syntax somewhere.
        2 => {
            let p = PUNCTUATION[rng.random_range(0..PUNCTUATION.len())];
            format!("{}{p}{}", &text[..a], &text[a..])
        }
        // Replace the next number with an odd one.
        3 => {
            let rest = &text[a..];
            match rest.find(|c: char| c.is_ascii_digit()) {
                Some(i) => {
                    let start = a + i;
                    let len = text[start..]
                        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                        .unwrap_or(text.len() - start);
                    let n = ODD_NUMBERS[rng.random_range(0..ODD_NUMBERS.len())];
                    format!("{}{n}{}", &text[..start], &text[start + len..])
                }
                None => text.to_string(),
            }
        }
        // Swap two lines.
        _ => {
            let mut lines: Vec<&str> = text.lines().collect();
            if lines.len() > 1 {
                let i = rng.random_range(0..lines.len());
                let j = rng.random_range(0..lines.len());
                lines.swap(i, j);
            }
            lines.join("\n")
        }
    }
}

#[test]
fn seeded_mutations_of_the_bundled_scenarios_never_panic() {
    const PER_SCENARIO: usize = 1_000;
    let mut rng = ChaCha8Rng::seed_from_u64(20201009);
    let mut failures = Vec::new();
    for (name, text) in bundled::BUNDLED {
        for case in 0..PER_SCENARIO {
            let mut mutant = text.to_string();
            for _ in 0..rng.random_range(1..=3) {
                mutant = mutate(&mutant, &mut rng);
            }
            if let Err(e) = load(&mutant) {
                let file = std::env::temp_dir().join(format!("truce-mutant-{name}-{case}"));
                let _ = std::fs::write(&file, &mutant);
                failures.push(format!(
                    "{name} #{case}: {e} (input kept in {})",
                    file.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// History files are read and checked against their scenario without a panic, and
/// what is refused is refused with a diagnostic, whatever the edit; what loads also
/// turns into facts and scores a run.
#[test]
fn seeded_mutations_of_the_history_files_never_panic() {
    use truce::validation::{facts::Facts, history};
    const PER_FILE: usize = 300;
    let mut rng = ChaCha8Rng::seed_from_u64(20140826);
    let mut failures = Vec::new();
    let dir = crate::root().join("scenarios");
    for path in crate::ron_files(&dir) {
        if !history::is_history(&path) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let sc = scenario::load(&history::scenario_of(&path))
            .unwrap()
            .compiled;
        let mut sim = truce::sim::Simulation::new(std::sync::Arc::new(sc.clone()), 1);
        sim.set_quiet(true);
        while sim.step() {}
        let tally = sim.tally();
        for case in 0..PER_FILE {
            let mut mutant = text.clone();
            for _ in 0..rng.random_range(1..=3) {
                mutant = mutate(&mutant, &mut rng);
            }
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                match history::parse("mutant.history.ron", mutant.clone()) {
                    Ok(loaded) => match loaded.check(&sc) {
                        Ok(record) => {
                            let facts = Facts::new(&record, &sc);
                            let mut counts = facts.counts();
                            facts.add(&mut counts, &tally);
                            Ok(())
                        }
                        Err(LoadError::Invalid(r)) if r.diagnostics.is_empty() => {
                            Err("refused without a diagnostic".to_string())
                        }
                        Err(e) => {
                            let _ = e.to_string();
                            Ok(())
                        }
                    },
                    Err(LoadError::Invalid(r)) if r.diagnostics.is_empty() => {
                        Err("refused without a diagnostic".to_string())
                    }
                    Err(e) => {
                        let _ = e.to_string();
                        Ok(())
                    }
                }
            }))
            .unwrap_or_else(|_| Err("panicked".into()));
            if let Err(e) = outcome {
                let file = std::env::temp_dir().join(format!("truce-history-mutant-{case}"));
                let _ = std::fs::write(&file, &mutant);
                failures.push(format!(
                    "{}: #{case}: {e} (kept in {})",
                    path.display(),
                    file.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
