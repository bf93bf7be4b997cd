//! What-ifs: `--set PATH=VALUE` and `--sweep PATH=A..B:STEP`.
//!
//! An override edits the scenario's text at the value it names (or adds the field
//! when the file leaves it at its default), then the edited text is loaded like any
//! scenario file. A value out of range is thus reported by the same diagnostics as
//! `truce check`, pointing at the line the override changed.

use std::fmt::Write as _;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::scenario::diagnostic::suggest;
use crate::scenario::spans::{self, Node, NodeKind};
use crate::scenario::{self, LoadError, Loaded};

/// Most values one sweep may take, and most grid points all sweeps together.
pub const MAX_SWEEP_VALUES: usize = 1000;
pub const MAX_GRID_POINTS: usize = 2_000;

/// `PATH=VALUE`: one numeric field of the scenario set to a value.
#[derive(Debug, Clone, PartialEq)]
pub struct Set {
    pub path: String,
    pub value: f64,
}

impl std::fmt::Display for Set {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}={}", self.path, self.value)
    }
}

/// `PATH=A..B:STEP` or `PATH=V1,V2,...`: the values one field takes across a sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    pub path: String,
    pub values: Vec<f64>,
}

fn split_path(s: &str, flag: &str, form: &str) -> std::result::Result<(String, String), String> {
    let Some((path, value)) = s.split_once('=') else {
        return Err(format!("expected {flag} {form}, got `{s}`"));
    };
    let path = path.trim();
    if path.is_empty() || path.split('.').any(str::is_empty) {
        return Err(format!(
            "`{path}` is not a path: write names separated by dots, like \
             actors.turkey.capability.military"
        ));
    }
    Ok((path.to_string(), value.trim().to_string()))
}

fn number(s: &str) -> std::result::Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("`{s}` is not a number")),
    }
}

/// Parses `PATH=VALUE` (a clap value parser).
pub fn parse_set(s: &str) -> std::result::Result<Set, String> {
    let (path, value) = split_path(s, "--set", "PATH=VALUE")?;
    Ok(Set {
        path,
        value: number(&value)?,
    })
}

/// Parses `PATH=A..B:STEP` or `PATH=V1,V2,...` (a clap value parser).
pub fn parse_sweep(s: &str) -> std::result::Result<Sweep, String> {
    let form = "PATH=A..B:STEP or PATH=V1,V2,...";
    let (path, spec) = split_path(s, "--sweep", form)?;
    let values = if let Some((range, step)) = spec.split_once(':') {
        let Some((a, b)) = range.split_once("..") else {
            return Err(format!("expected {form}, got `{s}`"));
        };
        let (a, b, step) = (number(a)?, number(b)?, number(step)?);
        if step <= 0.0 {
            return Err(format!("the step must be positive, got {step}"));
        }
        if b < a {
            return Err(format!("the range {a}..{b} runs backwards"));
        }
        let n = ((b - a) / step * (1.0 + 1e-9)).floor() + 1.0;
        if n > MAX_SWEEP_VALUES as f64 {
            return Err(format!(
                "{n} values; a sweep takes at most {MAX_SWEEP_VALUES} (use a larger step)"
            ));
        }
        (0..n as usize).map(|k| tidy(a + k as f64 * step)).collect()
    } else {
        let values = spec
            .split(',')
            .map(|v| number(v.trim()))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        if values.len() > MAX_SWEEP_VALUES {
            return Err(format!("a sweep takes at most {MAX_SWEEP_VALUES} values"));
        }
        values
    };
    Ok(Sweep { path, values })
}

/// Rounds away the noise of repeated float steps (0.30000000000000004 → 0.3).
fn tidy(v: f64) -> f64 {
    let r = (v * 1e9).round() / 1e9;
    if (r - v).abs() < 1e-12 * v.abs().max(1.0) {
        r
    } else {
        v
    }
}

/// The grid of a sweep: one list of settings per point, the last sweep varying fastest.
pub fn grid(sweeps: &[Sweep]) -> Result<Vec<Vec<Set>>> {
    let points = sweeps
        .iter()
        .try_fold(1usize, |n, s| n.checked_mul(s.values.len()))
        .filter(|&n| n <= MAX_GRID_POINTS)
        .ok_or_else(|| {
            Error::bad_input(format!(
                "error: the sweeps make more than {MAX_GRID_POINTS} grid points; \
                 use fewer values or larger steps"
            ))
        })?;
    Ok((0..points)
        .map(|mut p| {
            let mut sets = vec![];
            for s in sweeps.iter().rev() {
                let n = s.values.len();
                sets.push(Set {
                    path: s.path.clone(),
                    value: s.values[p % n],
                });
                p /= n;
            }
            sets.reverse();
            sets
        })
        .collect())
}

/// A number of the scenario that a what-if can change.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    pub path: String,
    pub value: f64,
    /// The field holds whole numbers.
    pub whole: bool,
}

/// Every number under `prefix` (a path, or `""` for the whole scenario), with the
/// paths `--set` accepts: list items by id where they have one.
pub fn numbers_under(loaded: &Loaded, prefix: &str) -> Result<Vec<Number>> {
    let tree = serde_json::to_value(&loaded.scenario)
        .map_err(|e| Error::runtime(format!("cannot inspect the scenario: {e}")))?;
    let node = if prefix.is_empty() {
        &tree
    } else {
        // The prefix follows the rules of a `--set` path, with the same messages.
        let probe = Set {
            path: prefix.to_string(),
            value: 0.0,
        };
        walk(&tree, &probe)?.0
    };
    let mut out = vec![];
    collect_numbers(node, prefix.to_string(), &mut out);
    Ok(out)
}

fn collect_numbers(node: &Value, path: String, out: &mut Vec<Number>) {
    let join = |name: &str| {
        if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        }
    };
    match node {
        Value::Number(n) => out.push(Number {
            path,
            value: n.as_f64().unwrap_or(0.0),
            whole: n.is_u64() || n.is_i64(),
        }),
        Value::Object(fields) => {
            for (k, v) in fields {
                collect_numbers(v, join(k), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let name = v
                    .get("id")
                    .and_then(Value::as_str)
                    .map_or_else(|| i.to_string(), str::to_string);
                collect_numbers(v, join(&name), out);
            }
        }
        _ => {}
    }
}

/// One step of a resolved path: a named field or map key, or a list item.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Name(String),
    Item(usize),
}

/// Applies `sets` to a loaded scenario and loads the result.
pub fn apply(file: &str, loaded: &Loaded, sets: &[Set]) -> Result<Loaded> {
    if sets.is_empty() {
        return Ok(loaded.clone());
    }
    let tree = serde_json::to_value(&loaded.scenario)
        .map_err(|e| Error::runtime(format!("cannot inspect the scenario: {e}")))?;
    let mut text = loaded.source.clone();
    for set in sets {
        let (steps, whole) = resolve(&tree, set)?;
        let literal = if whole {
            if set.value.fract() != 0.0 || set.value < 0.0 {
                return Err(bad_set(set, "takes a whole number, not a fraction"));
            }
            format!("{}", set.value as u64)
        } else {
            format!("{:?}", set.value)
        };
        text = edit(&text, &steps, &literal)
            .ok_or_else(|| bad_set(set, "could not be located in the scenario text"))?;
    }
    let listing = sets.iter().map(Set::to_string).collect::<Vec<_>>();
    scenario::load_str(file, text).map_err(|e| match e {
        LoadError::Invalid(report) => Error::bad_input(format!(
            "{}\nnote: these diagnostics are for the scenario with {} (from --set and --sweep)",
            report.render().trim_end(),
            listing.join(", ")
        )),
        other => other.into(),
    })
}

fn bad_set(set: &Set, what: &str) -> Error {
    Error::bad_input(format!("error: {set}: `{}` {what}", set.path))
}

/// Follows `set.path` through the scenario; returns the steps and whether the field
/// holds whole numbers.
fn resolve(tree: &Value, set: &Set) -> Result<(Vec<Step>, bool)> {
    let (node, steps, walked) = walk(tree, set)?;
    match node {
        Value::Number(n) => Ok((steps, n.is_u64() || n.is_i64())),
        Value::Null => Err(path_error(
            set,
            format!("`{walked}` is not set in this scenario, so --set cannot change it"),
        )),
        _ => Err(path_error(
            set,
            format!("`{walked}` is not a number; --set and --sweep change numbers only"),
        )),
    }
}

/// Follows `set.path` through the scenario: fields and map keys by name, list items
/// by id (by position when they have none). Returns the value reached, the steps
/// taken and the path walked.
fn walk<'v>(tree: &'v Value, set: &Set) -> Result<(&'v Value, Vec<Step>, String)> {
    let mut node = tree;
    let mut steps = vec![];
    let mut walked = String::new();
    for name in set.path.split('.') {
        let here = if walked.is_empty() {
            "the scenario".to_string()
        } else {
            format!("`{walked}`")
        };
        let next = match node {
            Value::Object(fields) => {
                let Some(v) = fields.get(name) else {
                    let mut msg = format!("{here} has no field `{name}`");
                    let names = fields.keys().map(String::as_str);
                    if let Some(s) = suggest(name, names) {
                        let _ = write!(msg, "; did you mean `{s}`?");
                    } else {
                        let all: Vec<_> = fields.keys().map(|k| format!("`{k}`")).collect();
                        let _ = write!(msg, "; it has {}", all.join(", "));
                    }
                    return Err(path_error(set, msg));
                };
                steps.push(Step::Name(name.to_string()));
                v
            }
            Value::Array(items) => {
                let ids: Vec<&str> = items
                    .iter()
                    .filter_map(|i| i.get("id").and_then(Value::as_str))
                    .collect();
                let found = if ids.is_empty() {
                    name.parse::<usize>().ok().filter(|&i| i < items.len())
                } else {
                    ids.iter().position(|&id| id == name)
                };
                let Some(i) = found else {
                    let msg = if ids.is_empty() {
                        format!("{here} has items 0 to {}", items.len().saturating_sub(1))
                    } else {
                        let mut msg = format!("{here} has no item with id `{name}`");
                        match suggest(name, ids.iter().copied()) {
                            Some(s) => {
                                let _ = write!(msg, "; did you mean `{s}`?");
                            }
                            None => {
                                let _ = write!(msg, "; ids: {}", ids.join(", "));
                            }
                        }
                        msg
                    };
                    return Err(path_error(set, msg));
                };
                steps.push(Step::Item(i));
                &items[i]
            }
            _ => {
                return Err(path_error(
                    set,
                    format!("{here} is a single value; the path ends there"),
                ));
            }
        };
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(name);
        node = next;
    }
    Ok((node, steps, walked))
}

fn path_error(set: &Set, msg: String) -> Error {
    Error::bad_input(format!("error: {set}: {msg}"))
}

/// Replaces the value at `steps` in `text` with `literal`, or adds the missing
/// fields to the innermost struct the text has.
fn edit(text: &str, steps: &[Step], literal: &str) -> Option<String> {
    let root = spans::parse(text)?;
    let mut node = &root;
    for (k, step) in steps.iter().enumerate() {
        let node_now = transparent(node);
        let next = match (&node_now.kind, step) {
            (NodeKind::Struct { fields }, Step::Name(n)) => {
                match fields.iter().find(|(f, _, _)| f == n) {
                    Some((_, _, v)) => v,
                    None => return insert(text, node_now, &steps[k..], literal),
                }
            }
            (NodeKind::Map(entries), Step::Name(n)) => entries
                .iter()
                .find(|(key, _)| matches!(&key.kind, NodeKind::Str(s) if s == n))
                .map(|(_, v)| v)?,
            (NodeKind::List(items) | NodeKind::Tuple(items), Step::Item(i)) => items.get(*i)?,
            // An enum variant with values, `Resolve("azerbaijan", -0.1)`: the path names
            // the variant (as serde does), the text holds its values in place.
            (NodeKind::Tuple(_) | NodeKind::Atom | NodeKind::Str(_), Step::Name(_)) => node_now,
            _ => return None,
        };
        node = next;
    }
    let span = node.span.clone();
    Some(format!(
        "{}{literal}{}",
        &text[..span.start],
        &text[span.end..]
    ))
}

/// `Some(x)` stands for `x`.
fn transparent(node: &Node) -> &Node {
    match &node.kind {
        NodeKind::Tuple(items) if items.len() == 1 => transparent(&items[0]),
        _ => node,
    }
}

/// Adds `a: (b: (c: literal))` just inside the struct's opening parenthesis.
fn insert(text: &str, node: &Node, rest: &[Step], literal: &str) -> Option<String> {
    let open = node.span.start + text[node.span.clone()].find('(')? + 1;
    let mut value = literal.to_string();
    for step in rest.iter().rev() {
        let Step::Name(n) = step else { return None };
        value = format!("{n}: {value}");
        if !std::ptr::eq(step, &rest[0]) {
            value = format!("({value})");
        }
    }
    Some(format!("{}{value}, {}", &text[..open], &text[open..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sweeps_list_their_values() {
        let s = parse_sweep("model.lambda=0.1..0.5:0.1").unwrap();
        assert_eq!(s.values, vec![0.1, 0.2, 0.3, 0.4, 0.5]);
        assert_eq!(parse_sweep("a.b=1,2.5").unwrap().values, vec![1.0, 2.5]);
        assert!(parse_sweep("a=1..0:0.1").is_err());
        assert!(parse_sweep("a=0..1:0").is_err());
        assert!(parse_sweep("a=0..1e9:1").is_err());
        assert!(parse_set("a.=1").is_err());
        assert!(parse_set("a=x").is_err());
    }

    #[test]
    fn the_grid_varies_the_last_sweep_fastest() {
        let g = grid(&[
            parse_sweep("a=1,2").unwrap(),
            parse_sweep("b=10,20,30").unwrap(),
        ])
        .unwrap();
        assert_eq!(g.len(), 6);
        assert_eq!((g[1][0].value, g[1][1].value), (1.0, 20.0));
        assert_eq!((g[3][0].value, g[3][1].value), (2.0, 10.0));
    }

    #[test]
    fn edits_reach_the_numbers_inside_an_event_s_effects() {
        let text = r#"(events: [(id: "e", effects: [Resolve("a", -0.1), CivilianLosses(20)])])"#;
        let steps = |v: &str| {
            v.split('.')
                .map(|p| match p.parse::<usize>() {
                    Ok(i) => Step::Item(i),
                    Err(_) => Step::Name(p.to_string()),
                })
                .collect::<Vec<_>>()
        };
        let edited = edit(text, &steps("events.0.effects.0.Resolve.1"), "-0.3").unwrap();
        assert!(edited.contains(r#"Resolve("a", -0.3)"#), "{edited}");
        let edited = edit(text, &steps("events.0.effects.1.CivilianLosses"), "50").unwrap();
        assert!(edited.contains("CivilianLosses(50)"), "{edited}");
    }

    #[test]
    fn edits_replace_values_and_add_defaulted_fields() {
        let text = "(a: 1, m: (x: 2.0), l: [(id: \"p\", v: 3)])";
        let name = |s: &str| Step::Name(s.into());
        assert_eq!(
            edit(text, &[name("l"), Step::Item(0), name("v")], "9").unwrap(),
            "(a: 1, m: (x: 2.0), l: [(id: \"p\", v: 9)])"
        );
        assert_eq!(
            edit(text, &[name("m"), name("y")], "0.5").unwrap(),
            "(a: 1, m: (y: 0.5, x: 2.0), l: [(id: \"p\", v: 3)])"
        );
        assert_eq!(
            edit(text, &[name("n"), name("y")], "0.5").unwrap(),
            "(n: (y: 0.5), a: 1, m: (x: 2.0), l: [(id: \"p\", v: 3)])"
        );
    }
}
