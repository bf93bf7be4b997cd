//! `truce check`: validate scenario (and history) files, as text for people or as
//! JSON for editors and scripts.

use std::path::Path;

use serde::Serialize;

use crate::batch::calibrate;
use crate::cli::{CheckArgs, CheckFormat};
use crate::error::{Error, Result};
use crate::report::write_stdout;
use crate::scenario::{self, LoadError, diagnostic::line_col};

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

/// Checks one file: `Ok(summary, merged text)` or the text and the structured
/// diagnostics.
fn check_file(
    file: &Path,
) -> std::result::Result<(String, Option<String>), (String, Vec<JsonDiagnostic>)> {
    // History files (for `truce calibrate`) live beside the scenarios.
    if calibrate::is_history(file) {
        return calibrate::check_history(file)
            .map(|s| (s, None))
            .map_err(|e| {
                let first = e
                    .message
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim_start_matches("error: ");
                (
                    e.message.clone(),
                    vec![JsonDiagnostic::whole_file(first.to_string())],
                )
            });
    }
    match scenario::load(file) {
        Ok(loaded) => {
            let c = &loaded.compiled;
            let extends = match loaded.parents.first() {
                Some(parent) => format!(", a variant of {}", parent.display()),
                None => String::new(),
            };
            Ok((
                format!(
                    "ok ({} actors, {} issues, {} regions, {} proposals, {} events{extends})",
                    c.actors.len(),
                    c.issues.len(),
                    c.regions.len(),
                    c.proposals.len(),
                    c.events.len()
                ),
                Some(loaded.source),
            ))
        }
        Err(e) => {
            let text = e.to_string();
            let diagnostics = match &e {
                LoadError::Io { message, .. } => vec![JsonDiagnostic::whole_file(message.clone())],
                LoadError::Invalid(report) => report
                    .diagnostics
                    .iter()
                    .map(|d| {
                        let (_, source) = report.file_of(d);
                        let (end_line, end_column) = line_col(source, d.span.end);
                        JsonDiagnostic {
                            severity: "error",
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
                    .collect(),
            };
            Err((text, diagnostics))
        }
    }
}

pub fn run(args: &CheckArgs) -> Result<u8> {
    let mut failed = 0;
    let mut out = String::new();
    let mut err = String::new();
    let mut results = vec![];
    for file in &args.files {
        let name = file.display().to_string();
        match check_file(file) {
            Ok((summary, merged)) => {
                match merged {
                    Some(text) if args.merged => out.push_str(&text),
                    _ => out.push_str(&format!("{name}: {summary}\n")),
                }
                results.push(FileCheck {
                    file: name,
                    ok: true,
                    summary: Some(summary),
                    diagnostics: vec![],
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
    match args.format {
        CheckFormat::Text => {
            write_stdout(&out)?;
            if failed > 0 {
                eprint!("{err}");
            }
        }
        // Everything on stdout, failures included, for a program to read.
        CheckFormat::Json => {
            let mut text = serde_json::to_string_pretty(&results)
                .map_err(|e| Error::runtime(format!("cannot encode the results: {e}")))?;
            text.push('\n');
            write_stdout(&text)?;
        }
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
