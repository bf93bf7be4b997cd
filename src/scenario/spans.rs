//! A small RON reader that keeps the byte span of every value, so that a semantic
//! error found after deserialisation ("unknown actor in proposal 3") can point at
//! the exact text. Serde does not keep positions; this tree does, nothing else.
//!
//! It accepts the RON that `ron` accepts for our schema. If it ever fails on a file
//! that `ron` parsed, diagnostics fall back to the nearest position it knows.

use std::ops::Range;

#[derive(Debug, Clone)]
pub struct Node {
    pub span: Range<usize>,
    pub kind: NodeKind,
    /// The whole text of the value: `span` widened to its `Some(...)` if it has one.
    pub outer: Range<usize>,
}

#[derive(Debug, Clone)]
pub enum NodeKind {
    /// `Name(field: value, ...)` or `(field: value, ...)`.
    Struct {
        fields: Vec<(String, Range<usize>, Node)>,
    },
    /// `Name(a, b)`, `(a, b)` or `Some(x)`.
    Tuple(Vec<Node>),
    List(Vec<Node>),
    Map(Vec<(Node, Node)>),
    Str(String),
    /// Numbers, booleans, unit variants.
    Atom,
}

/// One step of a path into the tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Seg {
    Field(&'static str),
    Index(usize),
    Key(String),
    /// The key itself of a map entry, rather than its value.
    KeyOf(String),
}

impl Node {
    /// The node at `path`, or the deepest ancestor found.
    pub fn locate(&self, path: &[Seg]) -> &Node {
        let mut node = self;
        for seg in path {
            match node.child(seg) {
                Some(next) => node = next,
                None => break,
            }
        }
        node
    }

    fn child(&self, seg: &Seg) -> Option<&Node> {
        // `Some(x)` is transparent.
        if let NodeKind::Tuple(items) = &self.kind
            && items.len() == 1
            && !matches!(seg, Seg::Index(_))
        {
            return items[0].child(seg);
        }
        match (&self.kind, seg) {
            (NodeKind::Struct { fields }, Seg::Field(name)) => {
                fields.iter().find(|(n, _, _)| n == name).map(|(_, _, v)| v)
            }
            (NodeKind::List(items) | NodeKind::Tuple(items), Seg::Index(i)) => items.get(*i),
            (NodeKind::Map(entries), Seg::Key(k)) => entries
                .iter()
                .find(|(key, _)| matches!(&key.kind, NodeKind::Str(s) if s == k))
                .map(|(_, v)| v),
            (NodeKind::Map(entries), Seg::KeyOf(k)) => entries
                .iter()
                .find(|(key, _)| matches!(&key.kind, NodeKind::Str(s) if s == k))
                .map(|(key, _)| key),
            _ => None,
        }
    }

    /// Calls `f` on this node and on every node inside it, map keys included, with
    /// the name of the struct field each one sits under (`field` for this one).
    pub fn visit<'a>(&'a self, field: &'a str, f: &mut impl FnMut(&'a Node, &'a str)) {
        f(self, field);
        match &self.kind {
            NodeKind::Struct { fields } => {
                for (name, _, v) in fields {
                    v.visit(name, f);
                }
            }
            NodeKind::Tuple(items) | NodeKind::List(items) => {
                for v in items {
                    v.visit(field, f);
                }
            }
            NodeKind::Map(entries) => {
                for (k, v) in entries {
                    k.visit(field, f);
                    v.visit(field, f);
                }
            }
            NodeKind::Str(_) | NodeKind::Atom => {}
        }
    }

    /// Keys that occur more than once in a map, with the span of the repeat.
    /// Each key of a map written again: the key, its span, and the span of its first
    /// appearance.
    pub fn duplicate_keys(&self) -> Vec<(String, Range<usize>, Range<usize>)> {
        let mut out = Vec::new();
        if let NodeKind::Map(entries) = &self.kind {
            for (i, (key, _)) in entries.iter().enumerate() {
                if let NodeKind::Str(k) = &key.kind {
                    let first = entries[..i]
                        .iter()
                        .find(|(other, _)| matches!(&other.kind, NodeKind::Str(o) if o == k));
                    if let Some((first, _)) = first {
                        out.push((k.clone(), key.span.clone(), first.span.clone()));
                    }
                }
            }
        }
        out
    }
}

/// Parses `src`; `None` when the text is not RON this reader understands.
pub fn parse(src: &str) -> Option<Node> {
    let mut p = Parser {
        src: src.as_bytes(),
        pos: 0,
        depth: 0,
    };
    p.skip_ws();
    // Inner attributes such as `#![enable(implicit_some)]`.
    while p.peek() == Some(b'#') {
        while let Some(c) = p.peek() {
            p.pos += 1;
            if c == b']' {
                break;
            }
        }
        p.skip_ws();
    }
    let node = p.value()?;
    p.skip_ws();
    (p.pos == p.src.len()).then_some(node)
}

struct Parser<'a> {
    src: &'a [u8],
    pos: usize,
    depth: usize,
}

const MAX_DEPTH: usize = 128;

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        loop {
            match self.peek() {
                Some(c) if c.is_ascii_whitespace() => self.pos += 1,
                Some(b'/') if self.src.get(self.pos + 1) == Some(&b'/') => {
                    while let Some(c) = self.peek() {
                        if c == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                Some(b'/') if self.src.get(self.pos + 1) == Some(&b'*') => {
                    self.pos += 2;
                    let mut level = 1;
                    while level > 0 && self.pos < self.src.len() {
                        if self.src[self.pos..].starts_with(b"*/") {
                            level -= 1;
                            self.pos += 2;
                        } else if self.src[self.pos..].starts_with(b"/*") {
                            level += 1;
                            self.pos += 2;
                        } else {
                            self.pos += 1;
                        }
                    }
                }
                _ => return,
            }
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self) -> Option<Node> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        self.skip_ws();
        let start = self.pos;
        let kind = match self.peek()? {
            b'"' => NodeKind::Str(self.string()?),
            b'r' if self.at_raw_string() => NodeKind::Str(self.raw_string()?),
            b'\'' => {
                self.pos += 1;
                while self.peek()? != b'\'' {
                    if self.peek()? == b'\\' {
                        self.pos += 1;
                    }
                    self.pos += 1;
                }
                self.pos += 1;
                NodeKind::Atom
            }
            b'[' => {
                self.pos += 1;
                NodeKind::List(self.seq(b']')?)
            }
            b'{' => {
                self.pos += 1;
                let mut entries = Vec::new();
                loop {
                    if self.eat(b'}') {
                        break;
                    }
                    let key = self.value()?;
                    if !self.eat(b':') {
                        return None;
                    }
                    let value = self.value()?;
                    entries.push((key, value));
                    if !self.eat(b',') {
                        if self.eat(b'}') {
                            break;
                        }
                        return None;
                    }
                }
                NodeKind::Map(entries)
            }
            b'(' => self.parens()?,
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let name = self.pos;
                self.ident();
                let some = &self.src[name..self.pos] == b"Some";
                self.skip_ws();
                if self.peek() == Some(b'(') {
                    match self.parens()? {
                        // `Some(x)` is `x` for the paths of diagnostics, which never
                        // name the `Some`: its value is the node, with its own span.
                        NodeKind::Tuple(mut items) if some && items.len() == 1 => {
                            self.depth -= 1;
                            let mut inner = items.pop()?;
                            inner.outer = start..self.pos;
                            return Some(inner);
                        }
                        kind => kind,
                    }
                } else {
                    NodeKind::Atom
                }
            }
            c if c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.') => {
                while let Some(c) = self.peek() {
                    if c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'+' | b'_') {
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                NodeKind::Atom
            }
            _ => return None,
        };
        self.depth -= 1;
        Some(Node {
            span: start..self.pos,
            kind,
            outer: start..self.pos,
        })
    }

    /// After an optional name: `(` fields or items `)`.
    fn parens(&mut self) -> Option<NodeKind> {
        self.skip_ws();
        if self.peek() != Some(b'(') {
            return None;
        }
        self.pos += 1;
        // A struct when the first item is `ident :` (but not `ident ::`).
        let save = self.pos;
        self.skip_ws();
        let is_struct = {
            let id_start = self.pos;
            self.ident();
            let had_ident = self.pos > id_start;
            self.skip_ws();
            let colon = self.peek() == Some(b':') && self.src.get(self.pos + 1) != Some(&b':');
            had_ident && colon
        };
        self.pos = save;
        if !is_struct {
            return Some(NodeKind::Tuple(self.seq(b')')?));
        }
        let mut fields = Vec::new();
        loop {
            if self.eat(b')') {
                break;
            }
            self.skip_ws();
            let name_start = self.pos;
            self.ident();
            let name_span = name_start..self.pos;
            if name_span.is_empty() || !self.eat(b':') {
                return None;
            }
            let name = String::from_utf8_lossy(&self.src[name_span.clone()]).into_owned();
            let value = self.value()?;
            fields.push((name, name_span, value));
            if !self.eat(b',') {
                if self.eat(b')') {
                    break;
                }
                return None;
            }
        }
        Some(NodeKind::Struct { fields })
    }

    fn seq(&mut self, close: u8) -> Option<Vec<Node>> {
        let mut items = Vec::new();
        loop {
            if self.eat(close) {
                return Some(items);
            }
            items.push(self.value()?);
            if !self.eat(b',') {
                return self.eat(close).then_some(items);
            }
        }
    }

    /// Whether a raw string (`r"..."`, `r#"..."#`) starts here, rather than a raw
    /// identifier (`r#Belligerent`).
    fn at_raw_string(&self) -> bool {
        let rest = &self.src[self.pos + 1..];
        let hashes = rest.iter().take_while(|&&c| c == b'#').count();
        rest.get(hashes) == Some(&b'"')
    }

    fn ident(&mut self) {
        if self.src[self.pos..].starts_with(b"r#") {
            self.pos += 2;
        }
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == b'_' {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn string(&mut self) -> Option<String> {
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            let c = self.peek()?;
            self.pos += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    let e = self.peek()?;
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'0' => out.push(0),
                        b'u' => {
                            // \u{XXXX}: keep it verbatim, ids never need it.
                            out.extend_from_slice(b"\\u");
                        }
                        other => out.push(other),
                    }
                }
                other => out.push(other),
            }
        }
        Some(String::from_utf8_lossy(&out).into_owned())
    }

    fn raw_string(&mut self) -> Option<String> {
        self.pos += 1;
        let mut hashes = 0;
        while self.peek() == Some(b'#') {
            hashes += 1;
            self.pos += 1;
        }
        if self.peek()? != b'"' {
            return None;
        }
        self.pos += 1;
        let start = self.pos;
        loop {
            if self.peek()? == b'"'
                && self.src[self.pos + 1..]
                    .iter()
                    .take(hashes)
                    .filter(|&&c| c == b'#')
                    .count()
                    == hashes
            {
                let text = String::from_utf8_lossy(&self.src[start..self.pos]).into_owned();
                self.pos += 1 + hashes;
                return Some(text);
            }
            self.pos += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_nested_values() {
        let src = r#"Scenario(
            // a comment
            id: "x",
            actors: [ Actor(id: "a", stances: {"t": (position: 0.5)}), (id: "b") ],
            side: Some("a"),
        )"#;
        let tree = parse(src).expect("parses");
        let node = tree.locate(&[
            Seg::Field("actors"),
            Seg::Index(0),
            Seg::Field("stances"),
            Seg::Key("t".into()),
            Seg::Field("position"),
        ]);
        assert_eq!(&src[node.span.clone()], "0.5");
        let node = tree.locate(&[Seg::Field("actors"), Seg::Index(1), Seg::Field("id")]);
        assert_eq!(&src[node.span.clone()], "\"b\"");
        // `Some(x)` is located at `x`.
        let node = tree.locate(&[Seg::Field("side")]);
        assert_eq!(&src[node.span.clone()], "\"a\"");
    }

    #[test]
    fn arguments_of_a_variant_inside_some_are_located() {
        let src = r#"(when: Some(Held("shusha", "russia")), not: Some(Not(AtWar)))"#;
        let tree = parse(src).expect("parses");
        let node = tree.locate(&[Seg::Field("when"), Seg::Index(1)]);
        assert_eq!(&src[node.span.clone()], "\"russia\"");
        let node = tree.locate(&[Seg::Field("not"), Seg::Index(0)]);
        assert_eq!(&src[node.span.clone()], "AtWar");
    }

    #[test]
    fn missing_path_falls_back_to_ancestor() {
        let src = "(a: [1, 2])";
        let tree = parse(src).unwrap();
        let node = tree.locate(&[Seg::Field("a"), Seg::Index(7)]);
        assert_eq!(&src[node.span.clone()], "[1, 2]");
    }

    #[test]
    fn finds_duplicate_keys() {
        let tree = parse(r#"{"a": 1, "b": 2, "a": 3}"#).unwrap();
        let dups = tree.duplicate_keys();
        assert_eq!(dups.len(), 1);
        assert_eq!(dups[0].0, "a");
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        for src in [
            "(",
            "(a: )",
            "[1,,]",
            "{\"a\" 1}",
            "\"unterminated",
            "r#\"x",
        ] {
            assert!(parse(src).is_none(), "{src}");
        }
    }
}
