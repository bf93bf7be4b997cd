//! `docs/scenarios.md` against the code: every field and variant of the scenario
//! schema is in the reference, and every complete example in it is a valid scenario
//! (or a valid history file).

use std::path::PathBuf;

use crate::{TempDir, root, stderr, stdout, truce};

/// The scenario reference, as written.
fn reference() -> String {
    let path = root().join("docs/scenarios.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A name a scenario file may contain, and where schema.rs declares it.
struct Name {
    name: String,
    place: String,
}

/// The name serde gives an item, from `#[serde(rename = "...")]` among its attributes.
fn rename(attrs: &[&str]) -> Option<String> {
    attrs.iter().find_map(|a| {
        let rest = &a[a.find("rename = \"")? + "rename = \"".len()..];
        Some(rest[..rest.find('"')?].to_string())
    })
}

/// Whether serde skips the item when it reads a file.
fn skipped(attrs: &[&str]) -> bool {
    attrs.iter().any(|a| {
        a.strip_prefix("#[serde(").is_some_and(|args| {
            args.trim_end_matches(")]")
                .split(',')
                .any(|arg| matches!(arg.trim(), "skip" | "skip_deserializing"))
        })
    })
}

/// The identifier `line` starts with, if any.
fn ident(line: &str) -> &str {
    let end = line
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(line.len());
    &line[..end]
}

/// Every name of the scenario format in `schema` (the text of schema.rs): the name of
/// each `pub struct` and `pub enum` that derives `Deserialize`, the fields of the
/// structs and the variants of the enums, each as serde reads it.
fn schema_names(schema: &str) -> Vec<Name> {
    let mut names = Vec::new();
    let mut attrs: Vec<&str> = Vec::new();
    // The type whose body is being read, and whether it is an enum.
    let mut body: Option<(String, bool)> = None;
    for line in schema.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with("//") {
            continue;
        }
        if trimmed.starts_with("#[") {
            attrs.push(trimmed);
            continue;
        }
        match &body {
            None => {
                let decl = trimmed
                    .strip_prefix("pub struct ")
                    .map(|rest| (rest, false))
                    .or_else(|| trimmed.strip_prefix("pub enum ").map(|rest| (rest, true)));
                let derives = attrs
                    .iter()
                    .any(|a| a.starts_with("#[derive(") && a.contains("Deserialize"));
                if let Some((rest, is_enum)) = decl
                    && derives
                    && trimmed.ends_with('{')
                {
                    assert!(
                        !attrs.iter().any(|a| a.contains("rename_all")),
                        "schema.rs: `rename_all` on {rest}: teach this test to apply it"
                    );
                    let rust = ident(rest).to_string();
                    let kind = if is_enum { "enum" } else { "struct" };
                    names.push(Name {
                        name: rename(&attrs).unwrap_or_else(|| rust.clone()),
                        place: format!("name of {kind} {rust}"),
                    });
                    body = Some((rust, is_enum));
                }
            }
            Some((ty, is_enum)) => {
                if line.starts_with('}') {
                    body = None;
                } else if line.starts_with("    ") && !line.starts_with("     ") {
                    // `Variant,` `Variant(...)`; `pub field: Type,` (serde reads
                    // private fields too).
                    let item = if *is_enum {
                        ident(trimmed)
                    } else {
                        let field = trimmed
                            .strip_prefix("pub(crate) ")
                            .or_else(|| trimmed.strip_prefix("pub "))
                            .unwrap_or(trimmed);
                        let name = ident(field);
                        if field[name.len()..].trim_start().starts_with(':') {
                            name
                        } else {
                            ""
                        }
                    };
                    if !item.is_empty() && !skipped(&attrs) {
                        let what = if *is_enum { "variant" } else { "field" };
                        names.push(Name {
                            name: rename(&attrs).unwrap_or_else(|| item.to_string()),
                            place: format!("{what} of {ty}"),
                        });
                    }
                }
            }
        }
        attrs.clear();
    }
    names
}

#[test]
fn every_field_of_the_schema_is_in_the_reference() {
    let schema = std::fs::read_to_string(root().join("src/scenario/schema.rs")).unwrap();
    let names = schema_names(&schema);
    // Guard against a parser that finds nothing and so checks nothing.
    for known in [
        "format",
        "max_turns",
        "Belligerent",
        "ControlAtLeast",
        "OpenProposal",
    ] {
        assert!(
            names.iter().any(|n| n.name == known),
            "the test no longer finds `{known}` in schema.rs"
        );
    }
    let doc = reference();
    let missing: Vec<String> = names
        .iter()
        .filter(|n| !doc.contains(&format!("`{}`", n.name)))
        .map(|n| format!("  `{}` ({})", n.name, n.place))
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} names of the scenario format are not in docs/scenarios.md \
         (written in backticks):\n{}",
        missing.len(),
        names.len(),
        missing.join("\n")
    );
}

/// A ```ron block of the reference.
struct Block {
    /// 1-based, counting every ```ron block of the file.
    number: usize,
    /// Line of the opening fence, 1-based.
    line: usize,
    /// The last `## ` heading above it.
    section: String,
    text: String,
}

impl Block {
    /// Fragments say so on their first non-empty line.
    fn is_fragment(&self) -> bool {
        self.text.lines().map(str::trim).find(|l| !l.is_empty()) == Some("// fragment")
    }

    /// The first line that is neither blank nor a comment.
    fn first_code_line(&self) -> &str {
        self.text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with("//"))
            .unwrap_or("")
    }
}

/// Every ```ron block of `doc`, in order.
fn ron_blocks(doc: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut section = String::new();
    let mut open: Option<Block> = None;
    let mut in_other_fence = false;
    for (i, line) in doc.lines().enumerate() {
        let fence = line.trim_start();
        if let Some(block) = &mut open {
            if fence.trim_end() == "```" {
                blocks.extend(open.take());
            } else {
                block.text.push_str(line);
                block.text.push('\n');
            }
        } else if in_other_fence {
            in_other_fence = !fence.starts_with("```");
        } else if fence.trim_end() == "```ron" {
            open = Some(Block {
                number: blocks.len() + 1,
                line: i + 1,
                section: section.clone(),
                text: String::new(),
            });
        } else if fence.starts_with("```") {
            in_other_fence = true;
        } else if let Some(heading) = line.strip_prefix("## ") {
            section = heading.trim().to_string();
        }
    }
    assert!(
        open.is_none(),
        "docs/scenarios.md: a ```ron block is not closed"
    );
    blocks
}

/// Writes `block` to a file of its own in `dir`, beside a copy of the bundled
/// scenario it `extends`, if it is a variant.
fn write(dir: &TempDir, block: &Block) -> PathBuf {
    let file = dir.join(&format!("example-{}.ron", block.number));
    std::fs::write(&file, &block.text).unwrap();
    if let Some(rest) = block.text.split("extends: \"").nth(1) {
        let parent = &rest[..rest.find('"').unwrap()];
        std::fs::copy(root().join("scenarios").join(parent), dir.join(parent)).unwrap();
    }
    file
}

#[test]
fn every_complete_example_in_the_reference_passes_check() {
    let blocks = ron_blocks(&reference());
    let complete: Vec<&Block> = blocks.iter().filter(|b| !b.is_fragment()).collect();
    assert!(
        !complete.is_empty(),
        "docs/scenarios.md has no complete example (a ```ron block without `// fragment`)"
    );
    let dir = TempDir::new("scenario-docs");
    let mut failures = Vec::new();
    for block in &complete {
        let at = format!(
            "```ron block {} (docs/scenarios.md:{})",
            block.number, block.line
        );
        if block.first_code_line().starts_with("History(") {
            // A history file: checked beside a copy of the bundled scenario it records.
            let id = block
                .text
                .split("scenario: \"")
                .nth(1)
                .and_then(|r| r.split('"').next());
            let Some(id) = id else {
                failures.push(format!(
                    "{at} is a history file without `scenario: \"...\"`"
                ));
                continue;
            };
            let scenario = root().join("scenarios").join(format!("{id}.ron"));
            std::fs::copy(&scenario, dir.join(&format!("{id}.ron"))).unwrap();
            let file = dir.join(&format!("{id}.history.ron"));
            std::fs::write(&file, &block.text).unwrap();
            let out = truce(&["check", file.to_str().unwrap()]);
            if out.status.code() != Some(0) || stderr(&out).contains("warning") {
                failures.push(format!("{at} fails `truce check`:\n{}", stderr(&out)));
            }
            continue;
        }
        if !block.first_code_line().starts_with("Scenario(") {
            failures.push(format!(
                "{at} is neither a fragment (first line `// fragment`) nor a scenario \
                 (starting with `Scenario(`)"
            ));
            continue;
        }
        let file = write(&dir, block);
        let out = truce(&["check", file.to_str().unwrap()]);
        if out.status.code() != Some(0) {
            failures.push(format!("{at} fails `truce check`:\n{}", stderr(&out)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // The tutorial ends with the whole file; it must play to an end.
    let tutorial = complete
        .iter()
        .rfind(|b| b.section.contains("Tutorial"))
        .expect("the tutorial (a `## Tutorial...` section) ends with a complete scenario");
    let file = write(&dir, tutorial);
    let out = truce(&["run", file.to_str().unwrap(), "--seed", "1"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "the tutorial's scenario (block {}) does not run:\n{}",
        tutorial.number,
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("\nOutcome: ended on "),
        "the tutorial's scenario (block {}) prints no outcome:\n{}",
        tutorial.number,
        stdout(&out)
    );
}
