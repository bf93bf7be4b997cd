//! Scenario files: the RON schema, loading, and validation into diagnostics with
//! file:line:col positions.

pub mod bundled;
pub mod compiled;
pub mod diagnostic;
pub mod schema;
pub mod spans;
pub mod validate;

use std::path::Path;

pub use compiled::Compiled;
pub use diagnostic::{Diagnostic, Report};
pub use schema::Scenario;

use diagnostic::line_col;
use spans::{Node, NodeKind, Seg};

/// Largest scenario file accepted, so that a hostile file cannot exhaust memory.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Why a scenario could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    /// The file could not be read at all.
    Io { file: String, message: String },
    /// The file was read but is not a valid scenario.
    Invalid(Report),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Io { file, message } => write!(f, "error: cannot read {file}: {message}"),
            LoadError::Invalid(report) => {
                let colour = diagnostic::colour_on_stderr();
                f.write_str(report.render_styled(colour).trim_end())
            }
        }
    }
}

/// A scenario ready to simulate, with the text it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub scenario: Scenario,
    pub compiled: Compiled,
    pub source: String,
}

/// Reads and validates a scenario file.
pub fn load(path: &Path) -> Result<Loaded, LoadError> {
    let file = path.display().to_string();
    let io = |e: std::io::Error| LoadError::Io {
        file: file.clone(),
        message: e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(LoadError::Io {
            file,
            message: "is a directory, not a scenario file".into(),
        });
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(LoadError::Io {
            file,
            message: format!(
                "the file is {} bytes; scenarios are limited to {MAX_FILE_BYTES} bytes",
                meta.len()
            ),
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    let source = String::from_utf8(bytes).map_err(|e| LoadError::Io {
        file: file.clone(),
        message: format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ),
    })?;
    load_str(&file, source)
}

/// Validates scenario text; `file` names it in diagnostics.
pub fn load_str(file: &str, source: String) -> Result<Loaded, LoadError> {
    let invalid = |source: String, diagnostics: Vec<Diagnostic>| {
        LoadError::Invalid(Report {
            file: file.to_string(),
            source,
            diagnostics,
        })
    };
    let scenario: Scenario = match ron::from_str(&source) {
        Ok(s) => s,
        Err(e) => {
            let d = syntax_diagnostic(&source, &e);
            return Err(invalid(source, vec![d]));
        }
    };
    let tree = spans::parse(&source);
    let mut diagnostics = Vec::new();
    if let Some(tree) = &tree {
        tree.visit("", &mut |node, field| {
            duplicate_keys(node, &source, &mut diagnostics);
            long_text(node, field, &source, &mut diagnostics);
        });
    }
    match validate::validate(&scenario) {
        Ok(compiled) if diagnostics.is_empty() => Ok(Loaded {
            scenario,
            compiled,
            source,
        }),
        Ok(_) => Err(invalid(source, diagnostics)),
        Err(problems) => {
            for pb in problems {
                let span = tree
                    .as_ref()
                    .map_or(0..0, |t| t.locate(&pb.path).span.clone());
                diagnostics.push(at_span(
                    &source,
                    span,
                    pb.message,
                    path_text(&pb.path),
                    pb.hint,
                ));
            }
            diagnostics.sort_by_key(|d| (d.line, d.column));
            Err(invalid(source, diagnostics))
        }
    }
}

fn at_span(
    source: &str,
    span: std::ops::Range<usize>,
    message: String,
    path: String,
    hint: Option<String>,
) -> Diagnostic {
    let (line, column) = line_col(source, span.start);
    Diagnostic {
        message,
        path,
        line,
        column,
        span,
        hint,
    }
}

fn syntax_diagnostic(source: &str, e: &ron::error::SpannedError) -> Diagnostic {
    let mut start = diagnostic::offset_of(source, e.span.start.line, e.span.start.col);
    // ron's spans may begin at the whitespace before the offending value: point at
    // the value itself, unless only the end of the file follows.
    let rest = source[start..].trim_start();
    if !rest.is_empty() {
        start = source.len() - rest.len();
    }
    let end = diagnostic::offset_of(source, e.span.end.line, e.span.end.col).max(start);
    let message = e.code.to_string();
    let hint = syntax_hint(&e.code);
    // ron reports where it stopped reading; point at the span it gives.
    let (line, column) = line_col(source, start);
    Diagnostic {
        message,
        path: String::new(),
        line,
        column,
        span: start..end,
        hint,
    }
}

fn syntax_hint(code: &ron::Error) -> Option<String> {
    use ron::Error as E;
    Some(match code {
        E::NoSuchStructField { expected, .. } => format!(
            "fields allowed here: {}",
            expected
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        E::NoSuchEnumVariant { expected, .. } => format!(
            "variants allowed here: {}",
            expected
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        E::MissingStructField { field, .. } => format!("add `{field}: ...`"),
        E::ExpectedComma => "separate items with commas".into(),
        E::ExpectedString | E::ExpectedStringEnd => "strings are written in double quotes".into(),
        E::Eof => "the file ends early: a bracket or parenthesis is not closed".into(),
        _ => return None,
    })
}

/// Longest text in a scenario, in characters: a name or a news line is a line, not a
/// book, and every event fired copies its text into the chronicle.
pub const MAX_TEXT: usize = 2_000;
/// Longest `description` or `history`, which are meant to be read whole.
pub const MAX_LONG_TEXT: usize = 50_000;

/// A text longer than its field allows, if `node` is one.
fn long_text(node: &Node, field: &str, source: &str, out: &mut Vec<Diagnostic>) {
    let NodeKind::Str(text) = &node.kind else {
        return;
    };
    let limit = if matches!(field, "description" | "history") {
        MAX_LONG_TEXT
    } else {
        MAX_TEXT
    };
    let n = text.chars().count();
    if n > limit {
        out.push(at_span(
            source,
            node.span.clone(),
            format!("this text is {n} characters long; the limit is {limit}"),
            String::new(),
            Some(format!("shorten `{field}`")),
        ));
    }
}

/// The keys repeated in `node`, if it is a map.
fn duplicate_keys(node: &Node, source: &str, out: &mut Vec<Diagnostic>) {
    for (k, span) in node.duplicate_keys() {
        out.push(at_span(
            source,
            span,
            format!("key `{k}` appears twice in this map"),
            String::new(),
            Some("keep one entry per key; the later one would silently replace the first".into()),
        ));
    }
}

/// `actors[2].stances.territory.position`
pub fn path_text(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Field(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
            Seg::Key(k) | Seg::KeyOf(k) => {
                out.push('.');
                out.push_str(k);
            }
        }
    }
    out
}
