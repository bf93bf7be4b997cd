//! Loading and validating a scenario must never panic, hang or exhaust memory,
//! whatever the bytes: it answers with a scenario or with diagnostics that render.
#![no_main]

use libfuzzer_sys::fuzz_target;
use truce::scenario::{self, LoadError};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A bundled label: `extends` then resolves among the bundled scenarios, so the
    // merge is fuzzed too, without touching the file system.
    match scenario::load_str("bundled:fuzz.ron", text.to_string()) {
        Ok(loaded) => {
            // What loads must load again from its own merged text, the same way.
            let again = scenario::load_str("fuzz.ron", loaded.source.clone())
                .expect("a merged scenario is valid on its own");
            assert_eq!(again.source, loaded.source);
        }
        Err(LoadError::Invalid(report)) => {
            assert!(!report.diagnostics.is_empty());
            let _ = report.render();
        }
        Err(LoadError::Io { .. }) => {}
    }
});
