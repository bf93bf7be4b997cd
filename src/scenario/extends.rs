//! Variants: a scenario that says `extends: "parent.ron"` and then only what differs.
//!
//! The merge works on the text, not on the deserialised structs, so that every
//! diagnostic of the merged scenario can still point at the file and line it came
//! from. The variant's values are merged into its parent's RON tree:
//! - structs of the same kind merge field by field;
//! - lists whose items all have an `id` (actors, issues, regions, proposals, events)
//!   merge item by item on the id, and items with a new id are added at the end;
//! - maps (relations, stances, terms) merge key by key;
//! - anything else, a number, a text, a list without ids or an enum of another
//!   kind, is replaced whole.
//!
//! The merged text is a patchwork of pieces of the files; [`Expanded::origin`] maps
//! any offset in it back to its file and offset there.

use std::ops::Range;
use std::path::{Path, PathBuf};

use super::bundled;
use super::spans::{self, Node, NodeKind};

/// How many files deep a chain of `extends` may go.
pub const MAX_DEPTH: usize = 16;

/// A scenario with every `extends` resolved.
#[derive(Debug, Clone)]
pub struct Expanded {
    /// The merged scenario, with no `extends` left in it.
    pub text: String,
    /// `files[0]` is the file asked for; the others are its parents, nearest first.
    pub files: Vec<Origin>,
    /// Where each run of `text` came from, in order; text between pieces is glue.
    pieces: Vec<Piece>,
    /// The layout of `text`, when it was read on the way (a plain scenario's), so that
    /// loading need not read it twice.
    pub tree: Option<Node>,
}

/// One file of a chain of variants.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The name diagnostics give it: a path, or `bundled:NAME`.
    pub label: String,
    pub source: String,
    /// Where it is on disk, when it is a file (for hot reload).
    pub path: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy)]
struct Piece {
    out: usize,
    len: usize,
    file: usize,
    at: usize,
}

/// Why a chain of `extends` could not be followed, at a place in one of its files.
#[derive(Debug, Clone)]
pub struct Problem {
    pub label: String,
    pub source: String,
    pub span: Range<usize>,
    pub message: String,
    pub hint: Option<String>,
}

impl Expanded {
    /// A file that extends nothing: the merged text is the file itself.
    fn plain(origin: Origin, tree: Option<Node>) -> Expanded {
        let len = origin.source.len();
        Expanded {
            tree,
            text: origin.source.clone(),
            files: vec![origin],
            pieces: vec![Piece {
                out: 0,
                len,
                file: 0,
                at: 0,
            }],
        }
    }

    /// Whether this scenario extends another one.
    pub fn is_variant(&self) -> bool {
        self.files.len() > 1
    }

    /// The file (index into `files`) and the offset there of `offset` in `text`.
    /// Glue between pieces belongs to the piece after it.
    pub fn origin(&self, offset: usize) -> (usize, usize) {
        let i = self.pieces.partition_point(|p| p.out + p.len <= offset);
        match self.pieces.get(i).or(self.pieces.last()) {
            Some(p) if offset >= p.out => (p.file, p.at + (offset - p.out).min(p.len)),
            Some(p) => (p.file, p.at),
            None => (0, 0),
        }
    }

    /// `span` of `text` in its file: the file's index and the span there. A span that
    /// crosses pieces is cut to the first.
    pub fn origin_span(&self, span: Range<usize>) -> (usize, Range<usize>) {
        let (file, start) = self.origin(span.start);
        let i = self.pieces.partition_point(|p| p.out + p.len <= span.start);
        let end = match self.pieces.get(i) {
            Some(p) if p.file == file && span.start >= p.out && span.end <= p.out + p.len => {
                p.at + (span.end - p.out)
            }
            Some(p) if p.file == file && span.start >= p.out => p.at + p.len,
            _ => start,
        };
        (file, start..end.max(start))
    }
}

/// Resolves the `extends` of the scenario `label` (a path or `bundled:NAME`) whose
/// text is `source`.
pub fn expand(label: &str, source: String) -> Result<Expanded, Box<Problem>> {
    let root = folder_of(label).and_then(|d| d.canonicalize().ok());
    let mut chain = Vec::new();
    expand_in(
        Origin {
            label: label.to_string(),
            source,
            path: (!label.starts_with(bundled::PREFIX)).then(|| PathBuf::from(label)),
        },
        root.as_deref(),
        &mut chain,
    )
}

fn folder_of(label: &str) -> Option<PathBuf> {
    if label.starts_with(bundled::PREFIX) {
        return None;
    }
    let parent = Path::new(label).parent()?;
    Some(if parent.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        parent.to_path_buf()
    })
}

fn expand_in(
    origin: Origin,
    root: Option<&Path>,
    chain: &mut Vec<String>,
) -> Result<Expanded, Box<Problem>> {
    // Not readable as RON, or no `extends`: a plain scenario (loading reports any
    // syntax error).
    let tree = spans::parse(&origin.source);
    let found = tree.as_ref().and_then(|t| match &t.kind {
        NodeKind::Struct { fields } => fields
            .iter()
            .find(|(name, _, _)| name == "extends")
            .map(|(_, _, v)| (v.clone(), fields.iter().any(|(name, _, _)| name == "id"))),
        _ => None,
    });
    let (tree, target, has_id) = match (tree, found) {
        (Some(tree), Some((target, has_id))) => (tree, target, has_id),
        (tree, _) => return Ok(Expanded::plain(origin, tree)),
    };
    let target = &target;
    let problem = |span: Range<usize>, message: String, hint: Option<String>| {
        Box::new(Problem {
            label: origin.label.clone(),
            source: origin.source.clone(),
            span,
            message,
            hint,
        })
    };
    let NodeKind::Str(name) = &target.kind else {
        return Err(problem(
            target.span.clone(),
            "`extends` takes the file name of the scenario this one changes".into(),
            Some("write it in double quotes: `extends: \"karabakh-2020.ron\"`".into()),
        ));
    };
    if !has_id {
        return Err(problem(
            target.span.clone(),
            "a variant needs an `id` of its own".into(),
            Some(
                "add `id: \"...\"`, so that its runs and saves are not taken for its parent's"
                    .into(),
            ),
        ));
    }
    chain.push(identity(&origin));
    if chain.len() > MAX_DEPTH {
        return Err(problem(
            target.span.clone(),
            format!("more than {MAX_DEPTH} scenarios extend one another here"),
            Some("extend the scenario at the top of the chain directly".into()),
        ));
    }
    let parent = find_parent(&origin, name, root)
        .map_err(|(message, hint)| problem(target.span.clone(), message, hint))?;
    if let Some(pos) = chain.iter().position(|id| *id == identity(&parent)) {
        let mut names: Vec<String> = chain[pos..].iter().map(|id| short(id)).collect();
        names.push(short(&identity(&parent)));
        return Err(problem(
            target.span.clone(),
            format!("these scenarios extend each other: {}", names.join(" → ")),
            Some("a variant's parents must not lead back to it; remove one `extends`".into()),
        ));
    }
    let parent = expand_in(parent, root, chain)?;
    let Some(parent_tree) = spans::parse(&parent.text) else {
        let first = &parent.files[0];
        let (span, message) = match ron::from_str::<ron::Value>(&first.source) {
            Err(e) => {
                let at = super::diagnostic::offset_of(
                    &first.source,
                    e.span.start.line,
                    e.span.start.col,
                );
                (at..at + 1, e.code.to_string())
            }
            Ok(_) => (
                0..0,
                "this scenario's layout could not be read for merging".into(),
            ),
        };
        return Err(Box::new(Problem {
            label: first.label.clone(),
            source: first.source.clone(),
            span,
            message,
            hint: Some(format!("it is extended by {}; fix it first", origin.label)),
        }));
    };
    Ok(merge(origin, &tree, parent, &parent_tree))
}

/// What makes two files the same file, for finding cycles.
fn identity(origin: &Origin) -> String {
    match &origin.path {
        Some(path) => path
            .canonicalize()
            .unwrap_or_else(|_| path.clone())
            .display()
            .to_string(),
        None => origin.label.clone(),
    }
}

fn short(id: &str) -> String {
    id.rsplit(['/', ':']).next().unwrap_or(id).to_string()
}

type Why = (String, Option<String>);

/// The parent `name` of `origin`: a bundled scenario for a bundled one, else a file
/// beside it that stays inside `root`.
fn find_parent(origin: &Origin, name: &str, root: Option<&Path>) -> Result<Origin, Why> {
    if origin.label.starts_with(bundled::PREFIX) {
        let file = name.trim_start_matches("./");
        return bundled::text(file)
            .map(|text| Origin {
                label: format!("{}{file}", bundled::PREFIX),
                source: text.to_string(),
                path: None,
            })
            .ok_or_else(|| {
                let names: Vec<&str> = bundled::BUNDLED.iter().map(|(n, _)| *n).collect();
                (
                    format!("no bundled scenario is called `{name}`"),
                    Some(format!("bundled scenarios: {}", names.join(", "))),
                )
            });
    }
    if Path::new(name).is_absolute() {
        return Err((
            format!("`{name}` is an absolute path"),
            Some("name the parent relative to this file's folder".into()),
        ));
    }
    let dir = folder_of(&origin.label).unwrap_or_else(|| PathBuf::from("."));
    let path = dir.join(name);
    let found = path.canonicalize().map_err(|_| {
        let near = suggest_file(&path);
        (
            format!("cannot find `{name}` (looked for {})", path.display()),
            Some(match near {
                Some(n) => format!(
                    "did you mean `{}`?",
                    Path::new(name).with_file_name(n).display()
                ),
                None => "the path is relative to this file's folder".into(),
            }),
        )
    })?;
    if let Some(root) = root
        && !found.starts_with(root)
    {
        return Err((
            format!("`{name}` is outside the scenario folder {}", root.display()),
            Some("a variant can extend only scenarios in its own folder or below it".into()),
        ));
    }
    if found.is_dir() {
        return Err((format!("`{name}` is a folder, not a scenario file"), None));
    }
    let too_big = std::fs::metadata(&found).is_ok_and(|m| m.len() > super::MAX_FILE_BYTES);
    if too_big {
        return Err((
            format!(
                "`{name}` is larger than {} bytes, the limit for a scenario",
                super::MAX_FILE_BYTES
            ),
            None,
        ));
    }
    let source = std::fs::read(&found)
        .map_err(|e| e.to_string())
        .and_then(|b| String::from_utf8(b).map_err(|_| "it is not UTF-8 text".to_string()))
        .map_err(|e| (format!("cannot read `{name}`: {e}"), None))?;
    Ok(Origin {
        label: path.display().to_string(),
        source,
        path: Some(path),
    })
}

/// The name of a `.ron` file beside the missing `path` with a name close to its own.
fn suggest_file(path: &Path) -> Option<String> {
    let dir = path.parent()?;
    let wanted = path.file_name()?.to_str()?;
    let names: Vec<String> = std::fs::read_dir(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    })
    .ok()?
    .filter_map(|e| e.ok()?.file_name().into_string().ok())
    .filter(|n| n.ends_with(".ron"))
    .collect();
    let near = super::diagnostic::suggest(wanted, names.iter().map(String::as_str))?;
    Some(near.to_string())
}

/// The variant `child` (tree `c`) merged into its expanded `parent` (tree `p`).
fn merge(child: Origin, c: &Node, parent: Expanded, p: &Node) -> Expanded {
    let mut files = vec![child];
    let shift = files.len();
    let parent_pieces: Vec<Piece> = parent
        .pieces
        .iter()
        .map(|q| Piece {
            file: q.file + shift,
            ..*q
        })
        .collect();
    files.extend(parent.files);
    let child_len = files[0].source.len();
    let child_pieces = [Piece {
        out: 0,
        len: child_len,
        file: 0,
        at: 0,
    }];
    let mut out = Out::default();
    let ps = Side {
        text: &parent.text,
        pieces: &parent_pieces,
    };
    let cs = Side {
        text: &files[0].source,
        pieces: &child_pieces,
    };
    // The variant's own header comments, then any `#![enable(...)]` of the parent's.
    out.copy(&cs, 0..c.outer.start);
    for line in parent.text[..p.outer.start].lines() {
        if line.trim_start().starts_with("#![") {
            out.glue(line);
            out.glue("\n");
        }
    }
    out.node(&ps, p, &cs, c, true);
    out.text.push('\n');
    let Out { text, pieces } = out;
    Expanded {
        text,
        files,
        pieces,
        tree: None,
    }
}

/// One side of a merge: a text and where its pieces came from.
struct Side<'a> {
    text: &'a str,
    pieces: &'a [Piece],
}

#[derive(Default)]
struct Out {
    text: String,
    pieces: Vec<Piece>,
}

impl Out {
    /// Appends `range` of `side`, keeping where each part of it came from.
    fn copy(&mut self, side: &Side, range: Range<usize>) {
        let mut at = range.start;
        while at < range.end {
            let i = side.pieces.partition_point(|p| p.out + p.len <= at);
            let Some(p) = side.pieces.get(i) else { break };
            if at < p.out {
                // Glue of the side itself.
                let to = p.out.min(range.end);
                self.text.push_str(&side.text[at..to]);
                at = to;
                continue;
            }
            let to = (p.out + p.len).min(range.end);
            self.pieces.push(Piece {
                out: self.text.len(),
                len: to - at,
                file: p.file,
                at: p.at + (at - p.out),
            });
            self.text.push_str(&side.text[at..to]);
            at = to;
        }
        if at < range.end {
            self.text.push_str(&side.text[at..range.end]);
        }
    }

    fn glue(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// Opens a container laid out like `p`: on one line, or one item a line.
    fn open(&mut self, layout: &Layout) {
        if !layout.inline {
            self.glue("\n");
        }
    }

    /// Starts an item of a container laid out as `layout`.
    fn item(&mut self, layout: &Layout) {
        if !layout.inline {
            self.glue(&layout.indent);
        }
    }

    /// Ends an item, with the separator of `layout`.
    fn next(&mut self, layout: &Layout, last: bool) {
        match (layout.inline, last) {
            (true, true) => {}
            (true, false) => self.glue(", "),
            (false, _) => self.glue(",\n"),
        }
    }

    fn close(&mut self, layout: &Layout) {
        if !layout.inline {
            self.glue(&layout.outdent);
        }
    }

    /// Writes the merge of child node `c` into parent node `p`.
    fn node(&mut self, ps: &Side, p: &Node, cs: &Side, c: &Node, top: bool) {
        // The parent's `Some(...)` around a value that is merged stays around it.
        let some = p.outer != p.span;
        match (&p.kind, &c.kind) {
            (NodeKind::Struct { fields: pf }, NodeKind::Struct { fields: cf })
                if same_kind(ps.text, p, cs.text, c) =>
            {
                let open = ps.text[p.span.start..]
                    .find('(')
                    .map_or(p.span.start, |i| p.span.start + i);
                self.glue(if some { "Some(" } else { "" });
                self.copy(ps, p.span.start..open + 1);
                let layout = Layout::of(ps.text, p, pf.first().map(|f| f.1.start));
                // The variant's `extends` is spent: the merged scenario has none.
                let cf: Vec<_> = cf
                    .iter()
                    .filter(|(name, _, _)| !(top && name == "extends"))
                    .collect();
                self.entries(
                    &layout,
                    pf,
                    &cf,
                    |(m, _, _), (n, _, _)| m == n,
                    |out, (_, name_span, pv), (_, _, cv)| {
                        out.copy(ps, name_span.clone());
                        out.glue(": ");
                        out.node(ps, pv, cs, cv, false);
                    },
                    |out, (_, name_span, pv)| out.copy(ps, name_span.start..pv.outer.end),
                    |out, (_, name_span, cv)| out.copy(cs, name_span.start..cv.outer.end),
                );
                self.glue(if some { "))" } else { ")" });
            }
            (NodeKind::List(pi), NodeKind::List(ci)) if all_have_ids(pi) && all_have_ids(ci) => {
                self.glue(if some { "Some([" } else { "[" });
                let layout = Layout::of(ps.text, p, pi.first().map(|n| n.outer.start));
                self.entries(
                    &layout,
                    pi,
                    &ci.iter().collect::<Vec<_>>(),
                    |a, b| id_of(a) == id_of(b),
                    |out, item, other| out.node(ps, item, cs, other, false),
                    |out, item| out.copy(ps, item.outer.clone()),
                    |out, item| out.copy(cs, item.outer.clone()),
                );
                self.glue(if some { "])" } else { "]" });
            }
            (NodeKind::Map(pe), NodeKind::Map(ce)) => {
                self.glue(if some { "Some({" } else { "{" });
                let layout = Layout::of(ps.text, p, pe.first().map(|(k, _)| k.outer.start));
                self.entries(
                    &layout,
                    pe,
                    &ce.iter().collect::<Vec<_>>(),
                    |(a, _), (b, _)| same_key(a, b),
                    |out, (pk, pv), (_, cv)| {
                        out.copy(ps, pk.outer.clone());
                        out.glue(": ");
                        out.node(ps, pv, cs, cv, false);
                    },
                    |out, (pk, pv)| out.copy(ps, pk.outer.start..pv.outer.end),
                    |out, (ck, cv)| out.copy(cs, ck.outer.start..cv.outer.end),
                );
                self.glue(if some { "})" } else { "}" });
            }
            // Replaced whole: the variant's own text, its `Some(...)` included.
            _ => self.copy(cs, c.outer.clone()),
        }
    }

    /// Writes the entries of a container: the parent's in order, each merged with the
    /// first of the variant's that is its `twin` (or copied), then the variant's
    /// entries left over, in order, separated as `layout` says.
    #[allow(clippy::too_many_arguments)]
    fn entries<T>(
        &mut self,
        layout: &Layout,
        parent: &[T],
        child: &[&T],
        twin: impl Fn(&T, &T) -> bool,
        mut merged: impl FnMut(&mut Self, &T, &T),
        mut from_parent: impl FnMut(&mut Self, &T),
        mut from_child: impl FnMut(&mut Self, &T),
    ) {
        let mut used = vec![false; child.len()];
        let matches: Vec<Option<usize>> = parent
            .iter()
            .map(|p| {
                let i = (0..child.len()).find(|&i| !used[i] && twin(p, child[i]))?;
                used[i] = true;
                Some(i)
            })
            .collect();
        let total = parent.len() + used.iter().filter(|u| !**u).count();
        self.open(layout);
        let mut done = 0;
        for (p, m) in parent.iter().zip(&matches) {
            self.item(layout);
            match m {
                Some(i) => merged(self, p, child[*i]),
                None => from_parent(self, p),
            }
            done += 1;
            self.next(layout, done == total);
        }
        for (c, _) in child.iter().zip(&used).filter(|(_, u)| !**u) {
            self.item(layout);
            from_child(self, c);
            done += 1;
            self.next(layout, done == total);
        }
        self.close(layout);
    }
}

/// How a container of the parent is laid out, so that the merged one looks the same.
struct Layout {
    inline: bool,
    /// The whitespace before its items, and before its closing bracket.
    indent: String,
    outdent: String,
}

impl Layout {
    /// The layout of `node` in `text`, whose first item (if any) starts at `first`.
    fn of(text: &str, node: &Node, first: Option<usize>) -> Layout {
        let inline = !text[node.span.clone()].contains('\n');
        let indent_at = |offset: usize| {
            let line = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let lead = &text[line..offset];
            if lead.chars().all(char::is_whitespace) {
                lead.to_string()
            } else {
                String::new()
            }
        };
        let outdent = indent_at(node.span.end.saturating_sub(1));
        let indent = first.map_or_else(|| format!("{outdent}    "), indent_at);
        Layout {
            inline,
            indent,
            outdent,
        }
    }
}

/// Two structs merge when the variant's is anonymous or has the parent's name
/// (`Actor(...)` into `Actor(...)`, but not `DayReached(...)` into `Held(...)`).
fn same_kind(pt: &str, p: &Node, ct: &str, c: &Node) -> bool {
    let name = |text: &str, n: &Node| {
        let head = &text[n.span.clone()];
        head[..head.find('(').unwrap_or(0)].trim().to_string()
    };
    let cn = name(ct, c);
    cn.is_empty() || cn == name(pt, p)
}

fn id_of(node: &Node) -> Option<&str> {
    let NodeKind::Struct { fields } = &node.kind else {
        return None;
    };
    fields.iter().find_map(|(name, _, v)| match &v.kind {
        NodeKind::Str(s) if name == "id" => Some(s.as_str()),
        _ => None,
    })
}

fn all_have_ids(items: &[Node]) -> bool {
    items.iter().all(|n| id_of(n).is_some())
}

fn same_key(a: &Node, b: &Node) -> bool {
    matches!((&a.kind, &b.kind), (NodeKind::Str(x), NodeKind::Str(y)) if x == y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{LoadError, load_str};

    const BASE: &str = include_str!("../../tests/fixtures/minimal.ron");

    /// A folder holding `base.ron` (the minimal fixture) and `variant.ron`.
    fn folder(variant: &str) -> (PathBuf, String) {
        let dir = std::env::temp_dir().join(format!(
            "truce-extends-{}-{}",
            std::process::id(),
            crate::batch::plan::digest(variant)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("base.ron"), BASE).unwrap();
        let file = dir.join("variant.ron");
        std::fs::write(&file, variant).unwrap();
        (dir, file.display().to_string())
    }

    fn load(variant: &str) -> Result<crate::scenario::Loaded, LoadError> {
        let (dir, file) = folder(variant);
        let loaded = load_str(&file, variant.to_string());
        let _ = std::fs::remove_dir_all(dir);
        loaded
    }

    #[test]
    fn merges_items_by_id_maps_by_key_and_structs_by_field() {
        let loaded = load(
            r#"Scenario(
                extends: "base.ron",
                id: "variant",
                actors: [
                    Actor(id: "north", capability: (military: 0.9),
                          stances: {"ceasefire": (position: 0.6)}),
                    Actor(id: "patron", name: "Patron", role: Patron, side: Some("south"),
                          capability: (military: 0.4, economic: 0.4, diplomatic: 0.4),
                          stances: {}, commitment: 0.5),
                ],
                relations: {"mediator": {"south": (influence: 0.7)}},
                events: [Event(id: "talks", date: None, when: Some(DayAtLeast(3)),
                               effects: [Morale("north", -0.1)])],
            )"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let s = &loaded.scenario;
        assert_eq!(s.id, "variant");
        assert_eq!(
            s.name, "Minimal",
            "fields the variant leaves out are the parent's"
        );
        let north = &s.actors[0];
        assert_eq!(north.capability.military, 0.9);
        assert_eq!(
            north.capability.economic, 0.5,
            "a struct merges field by field"
        );
        assert_eq!(north.stances["ceasefire"].position, 0.6);
        assert_eq!(north.stances["ceasefire"].salience, 0.5);
        assert_eq!(north.stances["territory"].position, 0.0);
        assert_eq!(s.actors.len(), 4, "a new id is added at the end");
        assert_eq!(s.actors[3].id, "patron");
        assert_eq!(s.relations["mediator"]["south"].influence, 0.7);
        assert_eq!(s.relations["mediator"]["north"].influence, 0.3);
        let talks = &s.events[0];
        assert!(talks.date.is_none());
        assert!(talks.when.is_some(), "an enum of another kind is replaced");
        assert_eq!(
            talks.effects.len(),
            1,
            "a list without ids is replaced whole"
        );
        assert!(!loaded.source.contains("extends"));
        assert_eq!(loaded.parents.len(), 1);
    }

    #[test]
    fn the_merged_text_keeps_the_parents_layout() {
        let loaded = load(
            r#"Scenario(extends: "base.ron", id: "variant",
                relations: {"mediator": {"north": (influence: 0.5)}})"#,
        )
        .unwrap();
        assert!(
            loaded.source.contains(
                "    relations: {\n        \"mediator\": {\"north\": (influence: 0.5), \"south\": (influence: 0.3)},\n    },"
            ),
            "{}",
            loaded.source
        );
        // The merged text is a scenario of its own, and loads the same way.
        let again = load_str("merged.ron", loaded.source.clone()).unwrap();
        assert_eq!(again.source, loaded.source);
    }

    #[test]
    fn positions_map_back_to_the_file_they_came_from() {
        let variant = "Scenario(\n  extends: \"base.ron\",\n  id: \"variant\",\n  actors: [Actor(id: \"north\", capability: (military: 2.0))],\n)\n";
        let Err(LoadError::Invalid(report)) = load(variant) else {
            panic!("the variant is invalid");
        };
        let d = &report.diagnostics[0];
        assert_eq!((d.file.as_deref(), d.line, d.column), (None, 4, 54));
        assert_eq!(&variant[d.span.clone()], "2.0");
        // A problem that is the parent's own text is shown in the parent.
        let variant = "Scenario(extends: \"base.ron\", id: \"v\", actors: [Actor(id: \"south\", role: Observer)])";
        let Err(LoadError::Invalid(report)) = load(variant) else {
            panic!("the variant is invalid");
        };
        let in_parent: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.file.as_deref().is_some_and(|f| f.ends_with("base.ron")))
            .filter(|d| d.message.contains("`south` is not"))
            .collect();
        assert!(!in_parent.is_empty(), "{}", report.render());
        for d in in_parent {
            assert_eq!(&BASE[d.span.clone()], "\"south\"", "{}", report.render());
        }
    }

    #[test]
    fn a_key_the_variant_repeats_is_reported_in_the_variant() {
        let variant = "Scenario(extends: \"base.ron\", id: \"v\",\n  relations: {\"mediator\": {\"north\": (influence: 0.5), \"north\": (influence: 0.6)}})";
        let Err(LoadError::Invalid(report)) = load(variant) else {
            panic!("the variant repeats a key");
        };
        let d = &report.diagnostics[0];
        assert!(
            d.message.contains("key `north` appears twice"),
            "{}",
            report.render()
        );
        assert_eq!(
            (d.file.as_deref(), d.line),
            (None, 2),
            "{}",
            report.render()
        );
        assert_eq!(&variant[d.span.clone()], "\"north\"");
    }

    #[test]
    fn bundled_variants_extend_bundled_scenarios() {
        let name = "karabakh-2020-turkey-out.ron";
        let text = bundled::text(name).unwrap();
        let loaded = load_str(&format!("{}{name}", bundled::PREFIX), text.to_string())
            .unwrap_or_else(|e| panic!("{e}"));
        let s = &loaded.scenario;
        let turkey = s.actors.iter().find(|a| a.id == "turkey").unwrap();
        assert_eq!(turkey.commitment, 0.0);
        assert_eq!(s.relations["turkey"]["azerbaijan"].influence, 0.4);
        assert_eq!(s.relations["russia"]["armenia"].influence, 0.8);
        let drones = s.events.iter().find(|e| e.id == "turkish-drones").unwrap();
        assert_eq!(drones.chance, 0.0);
        assert!(loaded.parents.is_empty(), "a bundled parent is not a file");
    }

    #[test]
    fn origin_of_glue_is_the_next_piece() {
        let e = Expanded {
            tree: None,
            text: "abXcd".into(),
            files: vec![],
            pieces: vec![
                Piece {
                    out: 0,
                    len: 2,
                    file: 0,
                    at: 10,
                },
                Piece {
                    out: 3,
                    len: 2,
                    file: 1,
                    at: 20,
                },
            ],
        };
        assert_eq!(e.origin(1), (0, 11));
        assert_eq!(e.origin(2), (1, 20));
        assert_eq!(e.origin(4), (1, 21));
        assert_eq!(e.origin_span(3..5), (1, 20..22));
        assert_eq!(e.origin_span(0..4), (0, 10..12));
    }
}
