//! Diagnostics: what is wrong in a scenario file, where, and how to fix it.

use std::fmt::Write as _;
use std::ops::Range;

use serde::Serialize;

/// One problem found in a file.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub message: String,
    /// Dotted path of the offending value, e.g. `proposals[2].brokers[0]`.
    pub path: String,
    /// 1-based line and column of the start of the span.
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    pub span: Range<usize>,
    pub hint: Option<String>,
    /// The file the problem is in, when it is not the report's own file but a
    /// scenario it `extends`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// A warning: the file is usable, but something in it cannot work as written.
    #[serde(skip)]
    pub warning: bool,
    /// Other places in the same file that explain this one ("first defined here").
    #[serde(skip)]
    pub related: Vec<(Range<usize>, String)>,
}

impl Diagnostic {
    /// An error at `span` of `source`, in the report's own file.
    pub fn at(
        source: &str,
        span: Range<usize>,
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
            file: None,
            warning: false,
            related: vec![],
        }
    }
}

/// Every diagnostic of one file, with the text needed to show them.
#[derive(Debug, Clone)]
pub struct Report {
    pub file: String,
    pub source: String,
    pub diagnostics: Vec<Diagnostic>,
    /// (file, text) of the scenarios `file` extends, for diagnostics found in them.
    pub parents: Vec<(String, String)>,
}

impl Report {
    /// Renders all diagnostics in the style of a compiler:
    /// `error: ...`, `--> file:line:col`, the source line, a caret underline, a hint.
    pub fn render(&self) -> String {
        self.render_styled(false)
    }

    /// [`Report::render`], in colour when `colour` is set (for a terminal).
    pub fn render_styled(&self, colour: bool) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            let (file, source) = self.file_of(d);
            render_one(&mut out, file, source, d, colour);
        }
        let warnings = self.diagnostics.iter().filter(|d| d.warning).count();
        let n = self.diagnostics.len() - warnings;
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let _ = match (n, warnings) {
            (_, 0) => writeln!(out, "{}: {n} error{} found", self.file, plural(n)),
            (0, w) => writeln!(out, "{}: {w} warning{}", self.file, plural(w)),
            (n, w) => writeln!(
                out,
                "{}: {n} error{} and {w} warning{} found",
                self.file,
                plural(n),
                plural(w)
            ),
        };
        out
    }

    /// The name and text of the file `d` points into.
    pub fn file_of(&self, d: &Diagnostic) -> (&str, &str) {
        d.file
            .as_deref()
            .and_then(|f| self.parents.iter().find(|(name, _)| name == f))
            .map_or((&self.file, &self.source), |(name, text)| (name, text))
    }
}

/// When to colour diagnostics: `--color auto|always|never`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColourChoice {
    /// On a terminal, unless `NO_COLOR` says no or `CLICOLOR_FORCE` says yes.
    #[default]
    Auto,
    Always,
    Never,
}

static CHOICE: std::sync::OnceLock<ColourChoice> = std::sync::OnceLock::new();

/// Sets the choice of `--color` for the whole process (once, from the command line).
pub fn choose_colour(choice: ColourChoice) {
    let _ = CHOICE.set(choice);
}

/// Whether diagnostics written to stderr should be in colour.
pub fn colour_on_stderr() -> bool {
    use std::io::IsTerminal;
    let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    colour(
        CHOICE.get().copied().unwrap_or_default(),
        set("NO_COLOR").is_some(),
        set("CLICOLOR_FORCE").is_some_and(|v| v != "0"),
        std::io::stderr().is_terminal(),
    )
}

/// The rule: `--color always` or `never` decide; otherwise a non-empty `NO_COLOR` turns
/// colour off, a `CLICOLOR_FORCE` other than `0` turns it on, and a terminal decides.
/// (An empty `NO_COLOR` does not count, as no-color.org says.)
pub fn colour(choice: ColourChoice, no_color: bool, force: bool, terminal: bool) -> bool {
    match choice {
        ColourChoice::Always => true,
        ColourChoice::Never => false,
        ColourChoice::Auto => !no_color && (force || terminal),
    }
}

/// One diagnostic drawn by codespan-reporting: the message, `--> file:line:col`, the
/// lines of its span with carets at display width (a span may run over several lines),
/// labels at the related places, then where it is (`at:`) and how to fix it (`help:`).
fn render_one(out: &mut String, file: &str, source: &str, d: &Diagnostic, colour: bool) {
    use codespan_reporting::diagnostic::{Diagnostic as Drawn, Label};
    use codespan_reporting::files::SimpleFile;
    use codespan_reporting::term::{self, Config};

    let files = SimpleFile::new(file, source);
    let in_source = |span: &Range<usize>| {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let end = floor_char_boundary(source, span.end.clamp(start, source.len()));
        start..end
    };
    let mut labels = vec![Label::primary((), in_source(&d.span))];
    labels.extend(
        d.related
            .iter()
            .map(|(span, note)| Label::secondary((), in_source(span)).with_message(note)),
    );
    let mut notes = vec![];
    if !d.path.is_empty() {
        notes.push(format!("at: {}", d.path));
    }
    if let Some(hint) = &d.hint {
        notes.push(format!("help: {hint}"));
    }
    let drawn = if d.warning {
        Drawn::warning()
    } else {
        Drawn::error()
    }
    .with_message(&d.message)
    .with_labels(labels)
    .with_notes(notes);
    // ASCII frames, as compilers draw them, whatever the terminal's font.
    let config = Config {
        chars: term::Chars::ascii(),
        ..Config::default()
    };
    let written = if colour {
        let mut ansi = term::termcolor::Ansi::new(Vec::new());
        term::emit_to_write_style(&mut ansi, &config, &files, &drawn)
            .map(|()| String::from_utf8_lossy(&ansi.into_inner()).into_owned())
    } else {
        term::emit_into_string(&config, &files, &drawn)
    };
    match written {
        Ok(text) => out.push_str(&text),
        // A span the file cannot hold: the message and place alone.
        Err(_) => {
            let _ = writeln!(
                out,
                "error: {}\n  --> {file}:{}:{}\n",
                d.message, d.line, d.column
            );
        }
    }
}

fn line_start_offset(source: &str, line: usize) -> usize {
    source
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum()
}

/// 1-based (line, column) of a byte offset; columns count characters.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..floor_char_boundary(source, offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Byte offset of a 1-based (line, column).
pub fn offset_of(source: &str, line: usize, column: usize) -> usize {
    let start = line_start_offset(source, line);
    let rest = &source[start.min(source.len())..];
    start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The closest of `candidates` to `word`, if close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        // Optimal string alignment: a swap of two letters (`russai`) is one edit.
        let d = strsim::osa_distance(word, c);
        if d <= (word.len().max(c.len()) / 3).max(1) && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_when_asked_and_same_text_underneath() {
        let report = Report {
            file: "x.ron".into(),
            source: "(a: 1)\n".into(),
            diagnostics: vec![Diagnostic {
                message: "bad".into(),
                path: "a".into(),
                line: 1,
                column: 5,
                span: 4..5,
                hint: Some("fix it".into()),
                file: None,
                warning: false,
                related: vec![],
            }],
            parents: vec![],
        };
        let plain = report.render();
        let coloured = report.render_styled(true);
        assert!(!plain.contains('\x1b'));
        assert!(coloured.contains("\x1b[38;5;9merror"), "{coloured:?}");
        let stripped: String = coloured
            .split('\x1b')
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part
                } else {
                    &part[part.find('m').unwrap() + 1..]
                }
            })
            .collect();
        assert_eq!(stripped, plain);
    }

    #[test]
    fn colour_follows_the_flag_then_the_environment_then_the_terminal() {
        use ColourChoice::*;
        assert!(colour(Always, true, false, false));
        assert!(!colour(Never, false, true, true));
        assert!(colour(Auto, false, false, true));
        assert!(!colour(Auto, false, false, false));
        assert!(
            !colour(Auto, true, false, true),
            "NO_COLOR wins on a terminal"
        );
        assert!(
            colour(Auto, false, true, false),
            "CLICOLOR_FORCE colours a pipe"
        );
        assert!(
            !colour(Auto, true, true, false),
            "NO_COLOR wins over CLICOLOR_FORCE"
        );
    }

    #[test]
    fn positions_round_trip() {
        let src = "ab\ncdé\nf";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 4), (2, 2));
        assert_eq!(offset_of(src, 2, 2), 4);
        assert_eq!(line_col(src, src.len()), (3, 2));
    }

    #[test]
    fn suggests_close_names_only() {
        let names = ["russia", "turkey", "armenia"];
        assert_eq!(suggest("russai", names), Some("russia"));
        assert_eq!(suggest("france", names), None);
        // A transposition is one edit, so short names still get a suggestion.
        assert_eq!(suggest("gori", ["gori", "tbilisi"]), Some("gori"));
        assert_eq!(suggest("gory", ["gori", "tbilisi"]), Some("gori"));
        assert_eq!(suggest("igor", ["gori", "tbilisi"]), None);
        assert_eq!(suggest("trukey", names), Some("turkey"));
    }

    #[test]
    fn renders_caret_under_span() {
        let source = "(\n  id: \"bad\",\n)".to_string();
        let span = 8..13;
        let (line, column) = line_col(&source, span.start);
        let report = Report {
            file: "x.ron".into(),
            source,
            diagnostics: vec![Diagnostic {
                message: "oops".into(),
                path: "id".into(),
                line,
                column,
                span,
                hint: Some("fix it".into()),
                file: None,
                warning: false,
                related: vec![],
            }],
            parents: vec![],
        };
        let text = report.render();
        assert!(text.contains("--> x.ron:2:7"), "{text}");
        assert!(text.contains("  |       ^^^^^"), "{text}");
        assert!(text.contains("help: fix it"), "{text}");
    }

    fn one(source: &str, span: Range<usize>, related: Vec<(Range<usize>, String)>) -> String {
        let (line, column) = line_col(source, span.start);
        Report {
            file: "x.ron".into(),
            source: source.into(),
            diagnostics: vec![Diagnostic {
                related,
                ..Diagnostic::at(source, span, "oops".into(), String::new(), None)
            }],
            parents: vec![],
        }
        .render()
        .replace(&format!("x.ron:{line}:{column}"), "x.ron:L:C")
    }

    #[test]
    fn carets_are_as_wide_as_the_text_they_underline() {
        // Two wide characters take four columns of a terminal.
        let source = "(name: \"戦争\", id: \"x\")";
        let start = source.find("id").unwrap();
        let text = one(source, start..start + 2, vec![]);
        let line = text
            .lines()
            .find(|l| l.contains('^'))
            .expect("a caret line");
        let caret = line.find('^').unwrap();
        let code = text.lines().find(|l| l.contains("id:")).unwrap();
        // The caret stands under `id`, counted in display columns.
        let before_id = code.find("id").unwrap();
        let wide_extra = "戦争".len() - 4;
        assert_eq!(caret, before_id - wide_extra, "{text}");
    }

    #[test]
    fn a_span_over_several_lines_is_drawn_whole() {
        let source = "(\n  a: [\n    1,\n  ],\n)";
        let start = source.find('[').unwrap();
        let end = source.find(']').unwrap() + 1;
        let text = one(source, start..end, vec![]);
        for n in ["2 |", "3 |", "4 |"] {
            assert!(text.contains(n), "line {n} missing:\n{text}");
        }
    }

    #[test]
    fn a_related_place_gets_its_own_label() {
        let source = "[\n  (id: \"a\"),\n  (id: \"a\"),\n]";
        let first = source.find("\"a\"").unwrap();
        let second = source.rfind("\"a\"").unwrap();
        let text = one(
            source,
            second..second + 3,
            vec![(first..first + 3, "first defined here".into())],
        );
        assert!(text.contains("--- first defined here"), "{text}");
        assert!(text.contains("^^^"), "{text}");
    }
}
