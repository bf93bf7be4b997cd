//! `truce new`: a commented, valid scenario to start from, or a renamed copy of one.

use std::path::{Path, PathBuf};

use crate::atomic;
use crate::error::{Error, Result};
use crate::report::write_stdout;
use crate::scenario::spans::{self, NodeKind};
use crate::scenario::{self, LoadError};

const TEMPLATE: &str = include_str!("scenario/template.ron");
/// Longest scenario id accepted.
const MAX_NAME: usize = 64;

/// What `truce new` is asked to write.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The new scenario's id.
    pub name: String,
    /// A scenario to copy instead of the template.
    pub from: Option<PathBuf>,
    /// Where to write it; `None` for scenarios/NAME.ron.
    pub out: Option<PathBuf>,
}

pub fn run(args: &Settings) -> Result<u8> {
    let id = &args.name;
    if id.is_empty()
        || id.len() > MAX_NAME
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(Error::bad_input(format!(
            "error: `{id}` is not a scenario name\n  = hint: use lower-case letters, digits \
             and dashes, at most {MAX_NAME} characters, like `border-war-2031`"
        )));
    }
    let path = args.out.clone().unwrap_or_else(|| default_path(id));
    if path.exists() {
        return Err(Error::bad_input(format!(
            "error: {} already exists; truce new never overwrites a file\n  = hint: choose \
             another name or --out",
            path.display()
        )));
    }
    let title = title(id);
    let text = match &args.from {
        None => TEMPLATE.replace("{id}", id).replace("{name}", &title),
        Some(from) => renamed_copy(from, id, &title)?,
    };
    // What we write must be a valid scenario: a failure here is a bug, not bad input.
    if let Err(e) = scenario::load_str(&path.display().to_string(), text.clone()) {
        return Err(Error::runtime(format!(
            "error: the new scenario does not validate (this is a bug in truce):\n{e}"
        )));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::bad_input(format!("error: cannot create {}: {e}", dir.display()))
        })?;
    }
    atomic::write(&path, text.as_bytes())
        .map_err(|e| Error::bad_input(format!("error: cannot write {}: {e}", path.display())))?;
    let p = path.display();
    write_stdout(&format!(
        "wrote {p}\n  check it:  truce check {p}\n  play it:   truce run {p} --seed 1\n  \
         many runs: truce batch {p} --runs 1000\n"
    ))?;
    Ok(0)
}

/// `scenarios/<id>.ron` where there is a `scenarios` folder, else `<id>.ron`.
fn default_path(id: &str) -> PathBuf {
    let dir = Path::new("scenarios");
    if dir.is_dir() {
        dir.join(format!("{id}.ron"))
    } else {
        PathBuf::from(format!("{id}.ron"))
    }
}

/// `border-war` → `Border war`.
fn title(id: &str) -> String {
    let words = id.replace('-', " ");
    let mut c = words.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The scenario at `from` with its top-level `id` and `name` replaced.
fn renamed_copy(from: &Path, id: &str, title: &str) -> Result<String> {
    let loaded = scenario::load(from).map_err(|e| match e {
        LoadError::Invalid(_) => Error::bad_input(format!(
            "{e}\nnote: --from needs a valid scenario; fix it first"
        )),
        other => other.into(),
    })?;
    let source = loaded.source;
    let tree = spans::parse(&source).ok_or_else(|| {
        Error::runtime(format!(
            "error: cannot read the layout of {}",
            from.display()
        ))
    })?;
    let NodeKind::Struct { fields } = &tree.kind else {
        return Err(Error::runtime("error: a scenario is a struct".to_string()));
    };
    // Replace from the end so that earlier spans stay valid.
    let mut edits: Vec<(std::ops::Range<usize>, String)> = fields
        .iter()
        .filter_map(|(name, _, value)| match name.as_str() {
            "id" => Some((value.span.clone(), format!("{id:?}"))),
            "name" => Some((value.span.clone(), format!("{title:?}"))),
            _ => None,
        })
        .collect();
    edits.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
    let mut text = source.clone();
    for (span, with) in edits {
        text.replace_range(span, &with);
    }
    Ok(format!(
        "// {title}: a copy of {} made by `truce new`.\n{text}",
        from.display()
    ))
}
