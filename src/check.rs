//! `truce check`: validate scenario (and history) files, as text for people or as
//! JSON for editors and scripts.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::report::write_stdout;
use crate::scenario::diagnostic::{Report, line_col};
use crate::scenario::{self, LoadError};
use crate::validation::history::{self, HistoryError};

/// The result of checking one file, as `--format json` prints it.
#[derive(Debug, Serialize)]
pub struct FileCheck {
    pub file: String,
    pub ok: bool,
    /// What the file holds, when it is valid.
    pub summary: Option<String>,
    pub diagnostics: Vec<JsonDiagnostic>,
}

/// One problem, with 1-based start and end positions (absent when the file could not
/// be read at all).
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    pub severity: &'static str,
    pub message: String,
    /// Dotted path of the offending value, e.g. `proposals[2].brokers[0]`.
    pub path: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    pub hint: Option<String>,
    /// The file the problem is in, when it is a scenario this one `extends`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_file: Option<String>,
}

impl JsonDiagnostic {
    fn whole_file(message: String) -> JsonDiagnostic {
        JsonDiagnostic {
            severity: "error",
            message,
            path: String::new(),
            line: None,
            column: None,
            end_line: None,
            end_column: None,
            hint: None,
            in_file: None,
        }
    }
}

/// A file that passed: what it holds, the scenario as merged (for `--merged`), and
/// warnings (rendered, and for JSON).
struct Checked {
    summary: String,
    merged: Option<String>,
    warnings: String,
    diagnostics: Vec<JsonDiagnostic>,
}

/// Checks one file: what it holds, or the text and the structured diagnostics.
fn check_file(file: &Path) -> std::result::Result<Checked, (String, Vec<JsonDiagnostic>)> {
    // History files (for `truce calibrate` and `truce validate`) live beside the
    // scenarios and are checked against the one beside them.
    if history::is_history(file) {
        return match history::load_beside(file) {
            Ok(history::Beside {
                record,
                scenario_path,
                ..
            }) => {
                let h = &record.history;
                let summary = format!(
                    "ok (history of `{}`: {} truces, {} captures, {} figures, {} facts of what \
                     never happened; names checked against {})",
                    h.scenario,
                    h.truces.len(),
                    h.captures.len(),
                    h.figures.len(),
                    h.never_signed.len() + h.never_fell.len() + h.never_brokered.len(),
                    scenario_path.display()
                );
                Ok(Checked {
                    summary,
                    merged: None,
                    warnings: history::render_warnings(&record),
                    diagnostics: json_diagnostics(&history::warnings_report(&record)),
                })
            }
            Err(HistoryError::Io { file: f, message }) => {
                let text = format!("error: cannot read the history file {f}: {message}");
                Err((text, vec![JsonDiagnostic::whole_file(message)]))
            }
            Err(HistoryError::Invalid(report)) => {
                let colour = scenario::diagnostic::colour_on_stderr();
                let text = report.render_styled(colour).trim_end().to_string();
                Err((text, json_diagnostics(&report)))
            }
        };
    }
    match load(file) {
        Ok(loaded) => {
            let c = &loaded.compiled;
            let extends = match loaded.parents.first() {
                Some(parent) => format!(", a variant of {}", parent.display()),
                None => String::new(),
            };
            Ok(Checked {
                summary: format!(
                    "ok ({} actors, {} issues, {} regions, {} proposals, {} events{extends})",
                    c.actors.len(),
                    c.issues.len(),
                    c.regions.len(),
                    c.proposals.len(),
                    c.events.len()
                ),
                merged: Some(loaded.source),
                warnings: String::new(),
                diagnostics: vec![],
            })
        }
        Err(e) => {
            let text = e.to_string();
            let diagnostics = match &e {
                LoadError::Io { message, .. } => vec![JsonDiagnostic::whole_file(message.clone())],
                LoadError::Invalid(report) => json_diagnostics(report),
            };
            Err((text, diagnostics))
        }
    }
}

/// A scenario file, or with `-` the scenario on stdin (for editors), named `<stdin>`
/// in diagnostics.
fn load(file: &Path) -> std::result::Result<scenario::Loaded, LoadError> {
    if file != Path::new("-") {
        return scenario::load(file);
    }
    use std::io::Read;
    let mut text = String::new();
    let limit = scenario::MAX_FILE_BYTES;
    let read = std::io::stdin()
        .lock()
        .take(limit + 1)
        .read_to_string(&mut text);
    let io = |message: String| LoadError::Io {
        file: "<stdin>".into(),
        message,
    };
    match read {
        Err(e) => Err(io(e.to_string())),
        Ok(n) if n as u64 > limit => Err(io(format!(
            "more than {limit} bytes; scenarios are limited to {limit} bytes"
        ))),
        Ok(_) => scenario::load_str("<stdin>", text),
    }
}

fn json_diagnostics(report: &Report) -> Vec<JsonDiagnostic> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            let (_, source) = report.file_of(d);
            let (end_line, end_column) = line_col(source, d.span.end);
            JsonDiagnostic {
                severity: if d.warning { "warning" } else { "error" },
                message: d.message.clone(),
                path: d.path.clone(),
                line: Some(d.line),
                column: Some(d.column),
                end_line: Some(end_line),
                end_column: Some(end_column),
                hint: d.hint.clone(),
                in_file: d.file.clone(),
            }
        })
        .collect()
}

/// What `truce check` is asked to do.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Scenario and history files; `-` is a scenario on stdin.
    pub files: Vec<PathBuf>,
    /// One JSON document on stdout instead of text.
    pub json: bool,
    /// Print each valid scenario with what it `extends` merged in.
    pub merged: bool,
}

pub fn run(args: &Settings) -> Result<u8> {
    let mut failed = 0;
    let mut out = String::new();
    let mut err = String::new();
    let mut results = vec![];
    for file in &args.files {
        let name = if file == Path::new("-") {
            "<stdin>".to_string()
        } else {
            file.display().to_string()
        };
        match check_file(file) {
            Ok(checked) => {
                match checked.merged {
                    Some(text) if args.merged => out.push_str(&text),
                    _ => out.push_str(&format!("{name}: {}\n", checked.summary)),
                }
                err.push_str(&checked.warnings);
                results.push(FileCheck {
                    file: name,
                    ok: true,
                    summary: Some(checked.summary),
                    diagnostics: checked.diagnostics,
                });
            }
            Err((text, diagnostics)) => {
                failed += 1;
                err.push_str(&text);
                err.push('\n');
                results.push(FileCheck {
                    file: name,
                    ok: false,
                    summary: None,
                    diagnostics,
                });
            }
        }
    }
    if args.json {
        // Everything on stdout, failures included, for a program to read.
        let mut text = serde_json::to_string_pretty(&results)
            .map_err(|e| Error::runtime(format!("cannot encode the results: {e}")))?;
        text.push('\n');
        write_stdout(&text)?;
    } else {
        write_stdout(&out)?;
        eprint!("{err}");
    }
    if failed > 0 && args.json {
        // The JSON says which files failed and why: exit 2, with nothing on stderr.
        return Ok(2);
    }
    if failed > 0 {
        return Err(Error::bad_input(format!(
            "{failed} of {} file{} failed the check",
            args.files.len(),
            if args.files.len() == 1 { "" } else { "s" }
        )));
    }
    Ok(0)
}
