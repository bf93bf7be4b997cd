//! Scenario files: the RON schema, loading, and validation into diagnostics with
//! file:line:col positions.

pub mod bundled;
pub mod compiled;
pub mod diagnostic;
pub mod extends;
pub mod outline;
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
    /// The scenario's text; for a variant, merged with its parents.
    pub source: String,
    /// The files a variant extends, nearest first (empty for a plain scenario).
    pub parents: Vec<std::path::PathBuf>,
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

/// Validates scenario text; `file` names it in diagnostics. A scenario that
/// `extends` another is merged with it first (see [`extends`]); `file` tells where
/// to look for the parent: beside it on disk, or among the bundled scenarios.
pub fn load_str(file: &str, source: String) -> Result<Loaded, LoadError> {
    let mut expanded = match extends::expand(file, source.clone()) {
        Ok(expanded) => expanded,
        Err(problem) => return Err(LoadError::Invalid(problem_report(file, source, *problem))),
    };
    let tree = expanded.tree.take();
    let text = expanded.text.as_str();
    let at = |span: std::ops::Range<usize>, message: String, path: String, hint: Option<String>| {
        let (index, span) = expanded.origin_span(span);
        let origin = &expanded.files[index];
        Diagnostic {
            file: (index > 0).then(|| origin.label.clone()),
            ..Diagnostic::at(&origin.source, span, message, path, hint)
        }
    };
    // A related place is shown where it is in the same file as the diagnostic.
    let relate = |d: &mut Diagnostic, span: std::ops::Range<usize>, note: String| {
        let (index, span) = expanded.origin_span(span);
        let same = match &d.file {
            None => index == 0,
            Some(label) => index > 0 && expanded.files[index].label == *label,
        };
        if same {
            d.related.push((span, note));
        }
    };
    let invalid = |mut diagnostics: Vec<Diagnostic>| {
        // Each file's problems together, the file's own first, in order of position.
        diagnostics.sort_by_key(|d| (d.file.is_some(), d.file.clone(), d.line, d.column));
        LoadError::Invalid(Report {
            file: file.to_string(),
            source: expanded.files[0].source.clone(),
            diagnostics,
            parents: expanded.files[1..]
                .iter()
                .map(|o| (o.label.clone(), o.source.clone()))
                .collect(),
        })
    };
    let scenario: Scenario = match ron::from_str(text) {
        Ok(s) => s,
        Err(e) => {
            let (span, message, hint) = syntax_error(text, &e);
            return Err(invalid(vec![at(span, message, String::new(), hint)]));
        }
    };
    let tree = tree.or_else(|| spans::parse(text));
    let mut diagnostics = Vec::new();
    if let Some(tree) = &tree {
        tree.visit("", &mut |node, field| {
            for (k, span, first) in node.duplicate_keys() {
                let mut d = at(
                    span,
                    format!("key `{k}` appears twice in this map"),
                    String::new(),
                    Some(
                        "keep one entry per key; the later one would silently replace the first"
                            .into(),
                    ),
                );
                relate(&mut d, first, "first written here".into());
                diagnostics.push(d);
            }
            if let Some((message, hint)) = long_text(node, field) {
                diagnostics.push(at(node.span.clone(), message, String::new(), Some(hint)));
            }
        });
    }
    match validate::validate(&scenario) {
        Ok(compiled) if diagnostics.is_empty() => Ok(Loaded {
            scenario,
            compiled,
            parents: expanded.files[1..]
                .iter()
                .filter_map(|o| o.path.clone())
                .collect(),
            source: expanded.text,
        }),
        Ok(_) => Err(invalid(diagnostics)),
        Err(problems) => {
            for pb in problems {
                let locate = |path: &[spans::Seg]| {
                    tree.as_ref().map_or(0..0, |t| t.locate(path).span.clone())
                };
                let mut d = at(locate(&pb.path), pb.message, path_text(&pb.path), pb.hint);
                for (path, note) in pb.related {
                    relate(&mut d, locate(&path), note);
                }
                diagnostics.push(d);
            }
            Err(invalid(diagnostics))
        }
    }
}

/// The report of a chain of `extends` that could not be followed.
fn problem_report(file: &str, source: String, problem: extends::Problem) -> Report {
    let (line, column) = line_col(&problem.source, problem.span.start);
    let elsewhere = problem.label != file;
    Report {
        file: file.to_string(),
        source,
        diagnostics: vec![Diagnostic {
            message: problem.message,
            path: String::new(),
            line,
            column,
            span: problem.span,
            hint: problem.hint,
            file: elsewhere.then(|| problem.label.clone()),
            warning: false,
            related: vec![],
        }],
        parents: if elsewhere {
            vec![(problem.label, problem.source)]
        } else {
            vec![]
        },
    }
}

/// Where ron stopped reading, what it said, and how to fix it.
pub(crate) fn syntax_error(
    source: &str,
    e: &ron::error::SpannedError,
) -> (std::ops::Range<usize>, String, Option<String>) {
    let mut start = diagnostic::offset_of(source, e.span.start.line, e.span.start.col);
    // ron's spans may begin at the whitespace before the offending value: point at
    // the value itself, unless only the end of the file follows.
    let rest = source[start..].trim_start();
    if !rest.is_empty() {
        start = source.len() - rest.len();
    }
    let end = diagnostic::offset_of(source, e.span.end.line, e.span.end.col).max(start);
    let found = source[start..].chars().next();
    (start..end, e.code.to_string(), syntax_hint(&e.code, found))
}

/// What the value at the error starts as, in words, from its first character.
fn what_is(c: char) -> &'static str {
    match c {
        '[' => "a list",
        '{' => "a map",
        '(' => "a parenthesised value",
        '"' => "a string",
        c if c.is_ascii_digit() || c == '-' || c == '+' || c == '.' => "a number",
        c if c.is_alphabetic() => "a name without quotes",
        _ => "something else",
    }
}

fn syntax_hint(code: &ron::Error, found: Option<char>) -> Option<String> {
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
        E::ExpectedOption => "an optional value is written `Some(...)`, or `None`".into(),
        E::ExpectedString => match found {
            Some(c) if c.is_alphabetic() => {
                "strings are written in double quotes; found a name without them".into()
            }
            Some(c) if c != '"' => format!(
                "expected one string in double quotes (an id or a text), found {}",
                what_is(c)
            ),
            _ => "strings are written in double quotes".into(),
        },
        E::ExpectedStringEnd => "a string is not closed: end it with a double quote".into(),
        E::Eof => "the file ends early: a bracket or parenthesis is not closed".into(),
        _ => return None,
    })
}

/// Longest text in a scenario, in characters: a name or a news line is a line, not a
/// book, and every event fired copies its text into the chronicle.
pub const MAX_TEXT: usize = 2_000;
/// Longest `description` or `history`, which are meant to be read whole.
pub const MAX_LONG_TEXT: usize = 50_000;

/// What is wrong with `node`, if it is a text longer than its field allows.
fn long_text(node: &Node, field: &str) -> Option<(String, String)> {
    let NodeKind::Str(text) = &node.kind else {
        return None;
    };
    let limit = if matches!(field, "description" | "history") {
        MAX_LONG_TEXT
    } else {
        MAX_TEXT
    };
    let n = text.chars().count();
    (n > limit).then(|| {
        (
            format!("this text is {n} characters long; the limit is {limit}"),
            format!("shorten `{field}`"),
        )
    })
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
