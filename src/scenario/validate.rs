//! Semantic validation: every rule a scenario must satisfy beyond parsing, checked
//! all at once, each failure tied to the path of the offending value. The output is
//! the [`Compiled`] scenario with every id resolved to an index.

use std::collections::{BTreeMap, HashMap};

use super::compiled::{self as c, Compiled};
use super::diagnostic::suggest;
use super::outline;
use super::schema::{self as s, FORMAT_VERSION, Role, Scenario};
use super::spans::Seg;
use crate::date::Date;

/// A problem found by validation, before it is given a position.
#[derive(Debug, Clone)]
pub struct Problem {
    pub path: Vec<Seg>,
    pub message: String,
    pub hint: Option<String>,
    /// Other values that explain this one, each with a note ("first defined here").
    pub related: Vec<(Vec<Seg>, String)>,
}

/// Limits that keep a hostile file from exhausting memory or time.
pub const MAX_TURNS: u32 = 10_000;
pub const MAX_ITEMS: usize = 10_000;

type Path = Vec<Seg>;

fn p(segs: &[Seg]) -> Path {
    segs.to_vec()
}

fn f(name: &'static str) -> Seg {
    Seg::Field(name)
}

fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

struct Ids<'a> {
    kind: &'static str,
    map: HashMap<&'a str, usize>,
    names: Vec<&'a str>,
}

impl<'a> Ids<'a> {
    fn new(kind: &'static str, names: Vec<&'a str>) -> Self {
        let mut map = HashMap::new();
        for (i, n) in names.iter().enumerate() {
            map.entry(*n).or_insert(i);
        }
        Ids { kind, map, names }
    }
    fn get(&self, id: &str) -> Option<usize> {
        self.map.get(id).copied()
    }
    fn unknown(&self, id: &str) -> Problem {
        let hint = match suggest(id, self.names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("known {}s: {}", self.kind, list(&self.names)),
        };
        Problem {
            path: Vec::new(),
            message: format!("unknown {} `{id}`", self.kind),
            hint: Some(hint),
            related: vec![],
        }
    }
}

fn list(names: &[&str]) -> String {
    if names.is_empty() {
        return "(none)".into();
    }
    let shown: Vec<String> = names.iter().take(12).map(|n| format!("`{n}`")).collect();
    let more = if names.len() > 12 { ", ..." } else { "" };
    format!("{}{more}", shown.join(", "))
}

struct Checker<'a> {
    sc: &'a Scenario,
    problems: Vec<Problem>,
    actors: Ids<'a>,
    issues: Ids<'a>,
    regions: Ids<'a>,
    proposals: Ids<'a>,
}

/// Validates `sc`; on success returns the compiled scenario, else every problem found.
pub fn validate(sc: &Scenario) -> Result<Compiled, Vec<Problem>> {
    let mut ck = Checker {
        sc,
        problems: Vec::new(),
        actors: Ids::new("actor", sc.actors.iter().map(|a| a.id.as_str()).collect()),
        issues: Ids::new("issue", sc.issues.iter().map(|i| i.id.as_str()).collect()),
        regions: Ids::new(
            "region",
            sc.theatre.regions.iter().map(|r| r.id.as_str()).collect(),
        ),
        proposals: Ids::new(
            "proposal",
            sc.proposals.iter().map(|x| x.id.as_str()).collect(),
        ),
    };
    let compiled = ck.compile();
    if ck.problems.is_empty() {
        Ok(compiled)
    } else {
        Err(ck.problems)
    }
}

impl<'a> Checker<'a> {
    fn err(&mut self, path: Path, message: impl Into<String>, hint: Option<String>) {
        self.problems.push(Problem {
            path,
            message: message.into(),
            hint,
            related: vec![],
        });
    }

    /// `text` as a date, or a diagnostic at `path` saying how to write one.
    fn date(&mut self, path: Path, text: &str) -> Option<Date> {
        let date = Date::parse(text);
        if date.is_none() {
            self.err(
                path,
                format!("`{text}` is not a valid date"),
                Some("write the date as YYYY-MM-DD, e.g. \"2020-10-09\"".into()),
            );
        }
        date
    }

    fn range(&mut self, path: Path, what: &str, v: f64, lo: f64, hi: f64) -> f64 {
        if !(lo..=hi).contains(&v) {
            self.err(
                path,
                format!("{what} must be between {lo} and {hi}, found {v}"),
                Some(format!("use a number from {lo} to {hi}")),
            );
        }
        v.clamp(lo, hi)
    }

    /// A number of days, at most a run's longest.
    fn days(&mut self, path: Path, what: &str, days: u32) -> u32 {
        if days > MAX_TURNS {
            self.err(
                path,
                format!("{what} must be at most {MAX_TURNS} days, found {days}"),
                Some(format!("no run lasts more than {MAX_TURNS} days")),
            );
        }
        days.min(MAX_TURNS)
    }

    fn non_negative(&mut self, path: Path, what: &str, v: f64) -> f64 {
        if !(v >= 0.0 && v.is_finite()) {
            self.err(
                path,
                format!("{what} must be zero or more, found {v}"),
                Some("use a finite number of at least 0".into()),
            );
            return 0.0;
        }
        v
    }

    /// A list of war aims (`whose`, for the message), each region at `at` and its
    /// index: the regions known, each once.
    fn aims(&mut self, regions: &[String], at: Path, whose: &str) -> Vec<usize> {
        let mut out = Vec::with_capacity(regions.len());
        for (j, region) in regions.iter().enumerate() {
            let mut ap = at.clone();
            ap.push(Seg::Index(j));
            match self.resolve(Which::Region, region, ap.clone()) {
                Some(r) if out.contains(&r) => self.err(
                    ap,
                    format!("`{region}` is listed twice in {whose}"),
                    Some("list each region once".into()),
                ),
                Some(r) => out.push(r),
                None => {}
            }
        }
        out
    }

    fn resolve(&mut self, ids: Which, id: &str, path: Path) -> Option<usize> {
        let table = match ids {
            Which::Actor => &self.actors,
            Which::Issue => &self.issues,
            Which::Region => &self.regions,
            Which::Proposal => &self.proposals,
        };
        match table.get(id) {
            Some(i) => Some(i),
            None => {
                let mut pb = table.unknown(id);
                pb.path = path;
                self.problems.push(pb);
                None
            }
        }
    }

    fn belligerent(&mut self, id: &str, path: Path, what: &str) -> Option<usize> {
        let ix = self.resolve(Which::Actor, id, path.clone())?;
        if self.sc.actors[ix].role != Role::Belligerent {
            let bell: Vec<&str> = self
                .sc
                .actors
                .iter()
                .filter(|a| a.role == Role::Belligerent)
                .map(|a| a.id.as_str())
                .collect();
            self.err(
                path,
                format!("{what} must be a belligerent, but `{id}` is not"),
                Some(format!("belligerents: {}", list(&bell))),
            );
            return None;
        }
        Some(ix)
    }

    fn ident(&mut self, path: Path, what: &str, id: &str) {
        let ok = !id.is_empty()
            && id.len() <= 64
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !ok {
            self.err(
                path,
                format!("{what} id `{id}` is not a valid id"),
                Some("use 1 to 64 lowercase letters, digits, `-` or `_`".into()),
            );
        }
    }

    fn duplicates<'b>(&mut self, list: &'static str, ids: impl Iterator<Item = &'b str>) {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, id) in ids.enumerate() {
            if let Some(first) = seen.insert(id, i) {
                self.err(
                    p(&[f(list), Seg::Index(i), f("id")]),
                    format!("duplicate id `{id}` in {list}"),
                    Some(format!(
                        "the first `{id}` is {list}[{first}]; give each entry its own id"
                    )),
                );
                if let Some(pb) = self.problems.last_mut() {
                    let at = p(&[f(list), Seg::Index(first), f("id")]);
                    pb.related.push((at, "first defined here".into()));
                }
            }
        }
    }

    fn size(&mut self, path: Path, what: &str, n: usize) {
        if n > MAX_ITEMS {
            self.err(
                path,
                format!("too many {what}: {n}"),
                Some(format!("a scenario may have at most {MAX_ITEMS} {what}")),
            );
        }
    }

    fn compile(&mut self) -> Compiled {
        let sc = self.sc;
        if sc.format != FORMAT_VERSION {
            self.err(
                p(&[f("format")]),
                format!("unsupported format version {}", sc.format),
                Some(format!(
                    "this version of truce reads format {FORMAT_VERSION}"
                )),
            );
        }
        self.ident(p(&[f("id")]), "scenario", &sc.id);
        let start = self
            .date(p(&[f("start_date")]), &sc.start_date)
            .unwrap_or_else(|| Date::parse("2000-01-01").expect("valid literal"));
        let war_began = sc.war_began.as_deref().and_then(|text| {
            let at = p(&[f("war_began")]);
            let began = self.date(at.clone(), text)?;
            if began.days_until(start) < 0 {
                self.err(
                    at,
                    format!("the war cannot begin on {text}, after the start date"),
                    Some(format!(
                        "use a date on or before `start_date` ({})",
                        sc.start_date
                    )),
                );
                return None;
            }
            Some(began)
        });
        if sc.max_turns == 0 || sc.max_turns > MAX_TURNS {
            self.err(
                p(&[f("max_turns")]),
                format!(
                    "max_turns must be between 1 and {MAX_TURNS}, found {}",
                    sc.max_turns
                ),
                Some("a turn is a day; most scenarios need 30 to 200".into()),
            );
        }
        self.size(p(&[f("issues")]), "issues", sc.issues.len());
        self.size(p(&[f("actors")]), "actors", sc.actors.len());
        self.size(
            p(&[f("theatre"), f("regions")]),
            "regions",
            sc.theatre.regions.len(),
        );
        self.size(p(&[f("proposals")]), "proposals", sc.proposals.len());
        self.size(p(&[f("events")]), "events", sc.events.len());
        self.model(&sc.model);

        self.duplicates("issues", sc.issues.iter().map(|i| i.id.as_str()));
        self.duplicates("actors", sc.actors.iter().map(|a| a.id.as_str()));
        self.duplicates("proposals", sc.proposals.iter().map(|x| x.id.as_str()));
        self.duplicates("events", sc.events.iter().map(|e| e.id.as_str()));
        let mut seen = HashMap::new();
        for (i, r) in sc.theatre.regions.iter().enumerate() {
            if let Some(first) = seen.insert(r.id.as_str(), i) {
                self.err(
                    p(&[f("theatre"), f("regions"), Seg::Index(i), f("id")]),
                    format!("duplicate id `{}` in regions", r.id),
                    Some(format!("the first `{}` is regions[{first}]", r.id)),
                );
            }
        }

        let regions = self.regions_compiled();
        let mut issues = self.issues_compiled(&regions);
        let mut actors = self.actors_compiled();
        self.forces(&mut actors);
        // Each actor's camp, as `Compiled::camp` will read it: a belligerent's
        // coalition leader (or itself), any other actor itself.
        let camp: Vec<usize> = (0..actors.len())
            .map(|a| match actors[a].role {
                Role::Belligerent => actors[a].side.unwrap_or(a),
                _ => a,
            })
            .collect();
        let belligerents = || (0..actors.len()).filter(|&a| actors[a].role == Role::Belligerent);
        let coalitions = belligerents().any(|a| camp[a] != a);
        // A map issue counts the ground of the tracked side's whole camp.
        for t in issues.iter_mut().filter_map(|i| i.tracks.as_mut()) {
            t.camp = camp.iter().map(|&c| c == camp[t.side]).collect();
            t.alone = t.camp.iter().filter(|&&c| c).count() == 1;
        }
        let (influence, trust, ties) = self.relations(actors.len());
        let proposals = self.proposals_compiled();
        let events = self.events_compiled(start);

        if actors
            .iter()
            .filter(|a| a.role == Role::Belligerent)
            .count()
            < 2
        {
            self.err(
                p(&[f("actors")]),
                "a scenario needs at least two belligerents",
                Some("give two or more actors `role: Belligerent`".into()),
            );
        } else {
            // Two camps at least: coalitions are sides of a war, not the whole of it.
            let mut camps: Vec<usize> = belligerents().map(|a| camp[a]).collect();
            camps.sort_unstable();
            camps.dedup();
            if camps.len() == 1
                && let Some(i) = belligerents().find(|&i| camp[i] != i)
            {
                let leader = &actors[camps[0]].id;
                self.err(
                    p(&[f("actors"), Seg::Index(i), f("side")]),
                    format!(
                        "every belligerent fights on the side of `{leader}`: there is no one to fight"
                    ),
                    Some(format!(
                        "remove `side` from `{}`, or add a belligerent at war with `{leader}`",
                        actors[i].id
                    )),
                );
            }
        }
        let mut civilian_dead = self.non_negative(
            p(&[f("theatre"), f("casualties"), f("civilian")]),
            "civilian casualties",
            sc.theatre.casualties.civilian,
        );
        civilian_dead = civilian_dead.max(0.0);
        for (id, &n) in &sc.theatre.casualties.military {
            let path = p(&[
                f("theatre"),
                f("casualties"),
                f("military"),
                Seg::KeyOf(id.clone()),
            ]);
            if let Some(a) = self.belligerent(id, path, "a side with military casualties") {
                let vpath = p(&[f("theatre"), f("casualties"), f("military"), key(id)]);
                actors[a].military_dead = self.non_negative(vpath, "military casualties", n);
            }
        }
        let displaced = self.non_negative(
            p(&[f("theatre"), f("displaced")]),
            "displaced",
            sc.theatre.displaced,
        );
        Compiled {
            id: sc.id.clone(),
            name: sc.name.clone(),
            description: sc.description.clone(),
            history: sc.history.clone(),
            start,
            war_began,
            max_turns: sc.max_turns.clamp(1, MAX_TURNS),
            model: sc.model.clone(),
            issues,
            actors,
            influence,
            trust,
            ties,
            values: regions.iter().map(|r| r.value).collect(),
            regions,
            proposals,
            events,
            displaced,
            civilian_dead,
            coalitions,
        }
    }

    fn model(&mut self, m: &s::ModelParams) {
        let base = p(&[f("model")]);
        let checks: [(&'static str, f64, f64, f64); 43] = [
            ("horizon", m.horizon, 1.0, 365.0),
            ("lambda", m.lambda, 0.0, 100.0),
            ("capture_rate", m.capture_rate, 0.0, 1.0),
            ("force_exponent", m.force_exponent, 0.0, 10.0),
            ("terrain_weight", m.terrain_weight, 0.0, 20.0),
            ("patron_weight", m.patron_weight, 0.0, 5.0),
            ("loss_rate", m.loss_rate, 0.0, 100_000.0),
            ("civilian_rate", m.civilian_rate, 0.0, 1_000.0),
            ("flight_rate", m.flight_rate, 0.0, 1.0),
            ("capture_flight", m.capture_flight, 0.0, 1.0),
            ("truce_intensity", m.truce_intensity, 0.0, 1.0),
            ("cost_weight", m.cost_weight, 0.0, 100.0),
            ("audience_weight", m.audience_weight, 0.0, 10.0),
            ("incentive_weight", m.incentive_weight, 0.0, 10.0),
            ("lobby_weight", m.lobby_weight, 0.0, 10.0),
            ("signing_cost", m.signing_cost, 0.0, 10.0),
            ("base_hazard", m.base_hazard, 0.0, 1.0),
            ("defect_weight", m.defect_weight, 0.0, 100.0),
            ("drift_rate", m.drift_rate, 0.0, 1.0),
            ("realism_rate", m.realism_rate, 0.0, 1.0),
            ("aspiration_rate", m.aspiration_rate, 0.0, 1.0),
            ("capital_weight", m.capital_weight, 0.0, 1.0),
            ("precipice", m.precipice, 0.0, 1.0),
            ("commitment_weight", m.commitment_weight, 0.0, 10.0),
            ("truce_decay_days", m.truce_decay_days, 0.0, 365.0),
            ("concentration", m.concentration, 0.0, 10.0),
            ("reserves", m.reserves, 0.0, 10.0),
            ("coordination", m.coordination, 0.0, 1.0),
            ("breach_cost", m.breach_cost, 0.0, 10.0),
            ("unilateral_hurt", m.unilateral_hurt, 0.0, 1.0),
            ("unilateral_days", m.unilateral_days, 1.0, 365.0),
            ("mediator_signal", m.mediator_signal, 0.0, 100.0),
            ("support_reversion", m.support_reversion, 0.0, 1.0),
            ("support_losses", m.support_losses, 0.0, 100.0),
            ("support_ground", m.support_ground, 0.0, 10.0),
            ("support_rally", m.support_rally, 0.0, 10.0),
            ("support_audience", m.support_audience, 0.0, 10.0),
            ("repudiation_support", m.repudiation_support, 0.0, 1.0),
            ("repudiation_rate", m.repudiation_rate, 0.0, 1.0),
            ("protest_support", m.protest_support, 0.0, 1.0),
            ("leader_change_rate", m.leader_change_rate, 0.0, 1.0),
            ("leader_resolve", m.leader_resolve, 0.0, 1.0),
            ("leader_flexibility", m.leader_flexibility, 0.0, 1.0),
        ];
        for (name, v, lo, hi) in checks {
            let mut path = base.clone();
            path.push(f(name));
            self.range(path, &format!("model.{name}"), v, lo, hi);
        }
        let mut path = base.clone();
        path.push(f("capitulation_morale"));
        self.range(
            path,
            "model.capitulation_morale",
            m.capitulation_morale,
            0.0,
            1.0,
        );
        for (name, days) in [
            ("durable_days", m.durable_days),
            ("cooldown_days", m.cooldown_days),
            ("precipice_days", m.precipice_days),
        ] {
            let mut path = base.clone();
            path.push(f(name));
            self.days(path, &format!("model.{name}"), days);
        }
        if m.precipice_days == 0 {
            let mut path = base.clone();
            path.push(f("precipice_days"));
            self.err(
                path,
                "model.precipice_days must be at least 1",
                Some("the days over which a fall in a side's outlook makes the war ripe".into()),
            );
        }
        if m.durable_days == 0 {
            let mut path = base;
            path.push(f("durable_days"));
            self.err(
                path,
                "model.durable_days must be at least 1",
                Some("the number of days an agreement must hold to count as durable".into()),
            );
        }
    }

    fn regions_compiled(&mut self) -> Vec<c::Region> {
        let sc = self.sc;
        let mut regions = Vec::with_capacity(sc.theatre.regions.len());
        for (i, r) in sc.theatre.regions.iter().enumerate() {
            let at =
                |field: &'static str| p(&[f("theatre"), f("regions"), Seg::Index(i), f(field)]);
            self.ident(at("id"), "region", &r.id);
            let controller = self
                .belligerent(&r.controller, at("controller"), "a region's controller")
                .unwrap_or(0);
            let value = self.range(at("value"), "a region's value", r.value, 0.0, 1.0);
            let defensibility = self.range(
                at("defensibility"),
                "defensibility",
                r.defensibility,
                0.0,
                1.0,
            );
            let population = self.non_negative(at("population"), "population", r.population);
            if !(r.coords.0.is_finite() && r.coords.1.is_finite()) {
                self.err(at("coords"), "coordinates must be finite numbers", None);
            }
            let outline = self.outline(i, r);
            let mut adjacent = Vec::new();
            for (j, other) in r.adjacent.iter().enumerate() {
                let path = p(&[
                    f("theatre"),
                    f("regions"),
                    Seg::Index(i),
                    f("adjacent"),
                    Seg::Index(j),
                ]);
                if *other == r.id {
                    self.err(
                        path,
                        format!("region `{}` is adjacent to itself", r.id),
                        Some("list only neighbouring regions in `adjacent`".into()),
                    );
                    continue;
                }
                if let Some(o) = self.resolve(Which::Region, other, path.clone()) {
                    if adjacent.contains(&o) {
                        self.err(
                            path,
                            format!("region `{other}` is listed twice as adjacent to `{}`", r.id),
                            Some("list each neighbour once".into()),
                        );
                    }
                    adjacent.push(o);
                }
            }
            regions.push(c::Region {
                id: r.id.clone(),
                name: r.name.clone(),
                controller,
                value,
                population,
                coords: r.coords,
                outline,
                adjacent,
                defensibility,
                cover: (-sc.model.terrain_weight * defensibility).exp(),
                supply_hub: r.supply_hub,
                contestable: r.contestable,
            });
        }
        // Adjacency is symmetric: a border listed on one side holds both ways.
        for i in 0..regions.len() {
            for k in 0..regions[i].adjacent.len() {
                let j = regions[i].adjacent[k];
                if !regions[j].adjacent.contains(&i) {
                    regions[j].adjacent.push(i);
                }
            }
        }
        for r in &mut regions {
            r.adjacent.sort_unstable();
        }
        regions
    }

    /// Region `i`'s outline, checked: a simple polygon around its own coordinates that
    /// no other region's coordinates fall inside.
    fn outline(&mut self, i: usize, r: &s::RegionDef) -> Vec<(f64, f64)> {
        if r.outline.is_empty() {
            return Vec::new();
        }
        let at = || p(&[f("theatre"), f("regions"), Seg::Index(i), f("outline")]);
        let corner = |k: usize| {
            p(&[
                f("theatre"),
                f("regions"),
                Seg::Index(i),
                f("outline"),
                Seg::Index(k),
            ])
        };
        let hint = "list the corners in order around the area, e.g. \
                    [(46.5, 39.6), (46.8, 39.6), (46.7, 39.9)]";
        match outline::flaw(&r.outline) {
            None => {}
            Some(outline::Flaw::TooFew(n)) => {
                self.err(
                    at(),
                    format!(
                        "region `{}`'s outline has {n} distinct corners; an area needs at least 3",
                        r.id
                    ),
                    Some(hint.into()),
                );
                return Vec::new();
            }
            Some(outline::Flaw::NotFinite(k)) => {
                self.err(
                    corner(k),
                    "an outline's corners must be finite numbers",
                    None,
                );
                return Vec::new();
            }
            Some(outline::Flaw::NoArea) => {
                self.err(
                    at(),
                    format!(
                        "region `{}`'s outline has no area: its corners lie on one line",
                        r.id
                    ),
                    Some(hint.into()),
                );
                return Vec::new();
            }
            Some(outline::Flaw::Crossing(a, b)) => {
                let n = outline::ring(&r.outline).len();
                self.err(
                    corner(b),
                    format!(
                        "region `{}`'s outline crosses itself: the edge from corner {b} to corner {} \
                         meets the edge from corner {a} to corner {}",
                        r.id,
                        (b + 1) % n,
                        (a + 1) % n
                    ),
                    Some("list the corners in order around the area, without loops".into()),
                );
                return Vec::new();
            }
        }
        let ring = outline::ring(&r.outline).to_vec();
        if !outline::contains(&ring, r.coords) {
            self.err(
                at(),
                format!(
                    "region `{}`'s coords ({}, {}) lie outside its outline",
                    r.id, r.coords.0, r.coords.1
                ),
                Some(
                    "put the region's coords inside its area, or fix the outline's corners".into(),
                ),
            );
        }
        for other in &self.sc.theatre.regions {
            if other.id != r.id && outline::contains(&ring, other.coords) {
                self.err(
                    at(),
                    format!(
                        "region `{}`'s outline takes in the coords of region `{}`",
                        r.id, other.id
                    ),
                    Some("outlines of neighbours meet at their borders; each holds only its own coords".into()),
                );
                break;
            }
        }
        ring
    }

    fn issues_compiled(&mut self, regions: &[c::Region]) -> Vec<c::Issue> {
        let sc = self.sc;
        let mut out = Vec::new();
        for (i, is) in sc.issues.iter().enumerate() {
            let at = |field: &'static str| p(&[f("issues"), Seg::Index(i), f(field)]);
            self.ident(at("id"), "issue", &is.id);
            let status_quo = self.range(at("status_quo"), "status_quo", is.status_quo, 0.0, 1.0);
            let tracks = is.tracks.as_ref().map(|t| {
                let tp =
                    |field: &'static str| p(&[f("issues"), Seg::Index(i), f("tracks"), f(field)]);
                let side = self
                    .belligerent(&t.side, tp("side"), "the side an issue tracks")
                    .unwrap_or(0);
                let weights = if t.regions.is_empty() {
                    regions.iter().map(|r| r.value).collect()
                } else {
                    let mut w = vec![0.0; regions.len()];
                    for (j, rid) in t.regions.iter().enumerate() {
                        let path = p(&[
                            f("issues"),
                            Seg::Index(i),
                            f("tracks"),
                            f("regions"),
                            Seg::Index(j),
                        ]);
                        if let Some(r) = self.resolve(Which::Region, rid, path) {
                            w[r] = regions[r].value;
                        }
                    }
                    w
                };
                let total = weights.iter().sum::<f64>();
                if total <= 0.0 && !regions.is_empty() {
                    self.err(
                        tp("regions"),
                        format!("issue `{}` tracks regions whose total value is 0", is.id),
                        Some("track regions with a `value` above 0".into()),
                    );
                }
                let shares = weights
                    .iter()
                    .map(|w| if total > 0.0 { w / total } else { 0.0 })
                    .collect();
                c::Tracks {
                    side,
                    weights,
                    total,
                    shares,
                    camp: Vec::new(),
                    alone: true,
                }
            });
            out.push(c::Issue {
                id: is.id.clone(),
                name: is.name.clone(),
                low: is.low.clone(),
                high: is.high.clone(),
                status_quo,
                tracks,
            });
        }
        out
    }

    fn actors_compiled(&mut self) -> Vec<c::Actor> {
        let sc = self.sc;
        let n_issues = sc.issues.len();
        let mut out = Vec::new();
        for (i, a) in sc.actors.iter().enumerate() {
            let at = |field: &'static str| p(&[f("actors"), Seg::Index(i), f(field)]);
            self.ident(at("id"), "actor", &a.id);
            let side = match (&a.side, a.role) {
                (None, Role::Belligerent) => Some(i),
                // A coalition: it fights in the camp of the belligerent it names, which
                // must lead its own (no chains).
                (Some(sd), Role::Belligerent) if *sd != a.id => {
                    let leader = self.belligerent(sd, at("side"), "the leader of a coalition");
                    let led = sc
                        .actors
                        .iter()
                        .find(|b| b.id == *sd)
                        .and_then(|b| b.side.as_ref());
                    if let (Some(_), Some(its)) = (leader, led)
                        && its != sd
                    {
                        self.err(
                            at("side"),
                            format!(
                                "belligerent `{}` cannot fight on the side of `{sd}`, which itself fights on the side of `{its}`",
                                a.id
                            ),
                            Some(format!(
                                "a coalition has one leader: set `side: Some(\"{its}\")`"
                            )),
                        );
                    }
                    leader.or(Some(i))
                }
                (Some(_), Role::Belligerent) => Some(i),
                (Some(sd), _) => self.belligerent(sd, at("side"), "an actor's side"),
                // Its side is the first of its clients, once they are read.
                (None, Role::Patron) if a.clients.as_ref().is_some_and(|c| !c.is_empty()) => None,
                (None, Role::Patron) => {
                    self.err(
                        at("role"),
                        format!("patron `{}` backs no side", a.id),
                        Some("add `side: Some(\"<belligerent id>\")`, or `clients: Some({\"<belligerent id>\": 1.0})` for a patron of several".into()),
                    );
                    None
                }
                (None, _) => None,
            };
            let cap = a.capability;
            let cp =
                |field: &'static str| p(&[f("actors"), Seg::Index(i), f("capability"), f(field)]);
            let capability = s::Capability {
                military: self.range(
                    cp("military"),
                    "capability.military",
                    cap.military,
                    0.0,
                    1.0,
                ),
                economic: self.range(
                    cp("economic"),
                    "capability.economic",
                    cap.economic,
                    0.0,
                    1.0,
                ),
                diplomatic: self.range(
                    cp("diplomatic"),
                    "capability.diplomatic",
                    cap.diplomatic,
                    0.0,
                    1.0,
                ),
            };
            let mut position: Vec<f64> = sc
                .issues
                .iter()
                .map(|is| is.status_quo.clamp(0.0, 1.0))
                .collect();
            let mut salience = vec![0.0; n_issues];
            let mut flexibility = vec![0.5; n_issues];
            for (issue, st) in &a.stances {
                let kp = p(&[
                    f("actors"),
                    Seg::Index(i),
                    f("stances"),
                    Seg::KeyOf(issue.clone()),
                ]);
                let Some(k) = self.resolve(Which::Issue, issue, kp) else {
                    continue;
                };
                let sp = |field: &'static str| {
                    p(&[
                        f("actors"),
                        Seg::Index(i),
                        f("stances"),
                        key(issue),
                        f(field),
                    ])
                };
                position[k] = self.range(sp("position"), "position", st.position, 0.0, 1.0);
                salience[k] = self.range(sp("salience"), "salience", st.salience, 0.0, 1.0);
                flexibility[k] =
                    self.range(sp("flexibility"), "flexibility", st.flexibility, 0.0, 1.0);
            }
            let resolve = self.range(at("resolve"), "resolve", a.resolve, 0.0, 1.0);
            let pressure = self.range(
                at("domestic_pressure"),
                "domestic_pressure",
                a.domestic_pressure,
                0.0,
                1.0,
            );
            let optimism = self.range(at("optimism"), "optimism", a.optimism, -0.5, 0.5);
            let uncertainty = self.range(at("uncertainty"), "uncertainty", a.uncertainty, 0.0, 1.0);
            let support = a
                .support
                .map(|v| self.range(at("support"), "support", v, 0.0, 1.0));
            if support.is_some() && a.role != Role::Belligerent {
                self.err(
                    at("support"),
                    format!("`{}` is not a belligerent: only a belligerent's government has support at home here", a.id),
                    Some("remove `support`, or make the actor a belligerent".into()),
                );
            }
            let commitment = self.range(at("commitment"), "commitment", a.commitment, 0.0, 1.0);
            let clients = self.clients(i, side);
            let side = side.or_else(|| clients.first().map(|&(b, _)| b));
            let mediation = a.mediation.as_ref().map(|m| {
                let mp = |field: &'static str| {
                    p(&[f("actors"), Seg::Index(i), f("mediation"), f(field)])
                };
                c::Mediation {
                    leverage: self.range(mp("leverage"), "leverage", m.leverage, 0.0, 1.0),
                    replenish: self.range(mp("replenish"), "replenish", m.replenish, 0.0, 1.0),
                    style: m.style,
                    activism: self.range(mp("activism"), "activism", m.activism, 0.0, 1.0),
                }
            });
            if a.role == Role::Mediator && mediation.is_none() {
                self.err(
                    at("role"),
                    format!("mediator `{}` has no `mediation`", a.id),
                    Some("add `mediation: Some((leverage: 0.5))`".into()),
                );
            }
            let or_name = |s: &str| {
                if s.is_empty() {
                    a.name.clone()
                } else {
                    s.to_string()
                }
            };
            out.push(c::Actor {
                id: a.id.clone(),
                name: a.name.clone(),
                leader: a.leader.clone(),
                adjective: or_name(&a.adjective),
                seat: or_name(&a.seat),
                plural: a.plural,
                role: a.role,
                side,
                capability,
                position,
                salience,
                flexibility,
                resolve,
                pressure,
                optimism,
                uncertainty,
                support,
                commitment,
                clients,
                mediation,
                forces: None,
                aims: None,
                military_dead: 0.0,
            });
        }
        out
    }

    /// The belligerents actor `i` backs, with each one's share of its support: its
    /// `clients`, or all of it to its `side` (resolved to `side`) when it is a patron.
    fn clients(&mut self, i: usize, side: Option<usize>) -> Vec<(usize, f64)> {
        let a = &self.sc.actors[i];
        let at = |field: &'static str| p(&[f("actors"), Seg::Index(i), f(field)]);
        let Some(listed) = &a.clients else {
            return match (a.role, side) {
                (Role::Patron, Some(s)) => vec![(s, 1.0)],
                _ => vec![],
            };
        };
        if a.role != Role::Patron {
            self.err(
                at("clients"),
                format!("`{}` is not a patron, so it backs no clients", a.id),
                Some("remove `clients`, or make the actor a patron".into()),
            );
            return vec![];
        }
        if listed.is_empty() {
            self.err(
                at("clients"),
                format!("patron `{}` lists no clients", a.id),
                Some("name the belligerents it backs with their shares, e.g. `clients: Some({\"north\": 0.6, \"east\": 0.4})`, or remove `clients`".into()),
            );
            return vec![];
        }
        let mut out = Vec::new();
        for (id, &share) in listed {
            let kp = p(&[
                f("actors"),
                Seg::Index(i),
                f("clients"),
                Seg::KeyOf(id.clone()),
            ]);
            let Some(b) = self.belligerent(id, kp, "a patron's client") else {
                continue;
            };
            let vp = p(&[f("actors"), Seg::Index(i), f("clients"), key(id)]);
            if !(share > 0.0 && share <= 1.0) {
                self.err(
                    vp,
                    format!("a client's share must be more than 0 and at most 1, found {share}"),
                    Some("the part of the patron's support this client receives; the shares add to 1".into()),
                );
                continue;
            }
            out.push((b, share));
        }
        // The client it backs most first (among equals, by id, as listed), as the
        // front-ends list them and as its side defaults to.
        out.sort_by(|x, y| y.1.total_cmp(&x.1));
        let total: f64 = listed.values().sum();
        if out.len() == listed.len() && (total - 1.0).abs() > 1e-6 {
            self.err(
                at("clients"),
                format!("the shares of patron `{}`'s clients add to {total}, not 1", a.id),
                Some("each share is the part of the patron's support that client receives: make them add to 1".into()),
            );
        }
        if let (Some(sd), Some(s)) = (&a.side, side)
            && !out.iter().any(|&(b, _)| b == s)
        {
            self.err(
                at("side"),
                format!(
                    "patron `{}` has the side `{sd}`, which is not among its clients",
                    a.id
                ),
                Some(format!(
                    "add `{sd}` to `clients`, or set `side` to one of them"
                )),
            );
        }
        out
    }

    fn forces(&mut self, actors: &mut [c::Actor]) {
        let sc = self.sc;
        for (id, fd) in &sc.theatre.forces {
            let kp = p(&[f("theatre"), f("forces"), Seg::KeyOf(id.clone())]);
            let Some(a) = self.belligerent(id, kp, "a side with forces") else {
                continue;
            };
            let fp = |field: &'static str| p(&[f("theatre"), f("forces"), key(id), f(field)]);
            if !(fd.troops > 0.0 && fd.troops.is_finite()) {
                self.err(
                    fp("troops"),
                    format!("troops must be more than 0, found {}", fd.troops),
                    Some("the number of soldiers the side has in the theatre".into()),
                );
            }
            let capital = fd.capital.as_ref().and_then(|cap| {
                let r = self.resolve(Which::Region, cap, fp("capital"))?;
                if sc.theatre.regions[r].controller != *id {
                    self.err(
                        fp("capital"),
                        format!("capital `{cap}` of `{id}` is not held by `{id}` at the start"),
                        Some(format!(
                            "give `{cap}` `controller: \"{id}\"` or choose another capital"
                        )),
                    );
                }
                Some(r)
            });
            actors[a].forces = Some(c::Forces {
                troops: fd.troops.max(1.0),
                quality: self.range(fp("quality"), "quality", fd.quality, 0.0, 1.0),
                morale: self.range(fp("morale"), "morale", fd.morale, 0.0, 1.0),
                reinforcements: self.non_negative(
                    fp("reinforcements"),
                    "reinforcements",
                    fd.reinforcements,
                ),
                capital,
                firepower: self.range(fp("firepower"), "firepower", fd.firepower, 0.1, 10.0),
            });
            actors[a].aims = fd.aims.as_ref().map(|aims| {
                let at = p(&[f("theatre"), f("forces"), key(id), f("aims")]);
                self.aims(aims, at, &format!("the aims of `{id}`"))
            });
        }
        for (i, a) in sc.actors.iter().enumerate() {
            if a.role == Role::Belligerent && actors[i].forces.is_none() {
                self.err(
                    p(&[f("theatre"), f("forces")]),
                    format!("belligerent `{}` has no forces", a.id),
                    Some(format!(
                        "add `\"{}\": (troops: 10000, quality: 0.5, morale: 0.5)` to theatre.forces",
                        a.id
                    )),
                );
            }
        }
    }

    #[allow(clippy::type_complexity)]
    fn relations(&mut self, n: usize) -> (Vec<Vec<f64>>, Vec<Vec<f64>>, Vec<Vec<Vec<s::Tie>>>) {
        let mut influence = vec![vec![0.0; n]; n];
        let mut trust = vec![vec![0.5; n]; n];
        let mut ties = vec![vec![Vec::new(); n]; n];
        let rel: &BTreeMap<String, BTreeMap<String, s::RelationDef>> = &self.sc.relations;
        for (from, targets) in rel {
            let a = self.resolve(
                Which::Actor,
                from,
                p(&[f("relations"), Seg::KeyOf(from.clone())]),
            );
            for (to, r) in targets {
                let kp = p(&[f("relations"), key(from), Seg::KeyOf(to.clone())]);
                let b = self.resolve(Which::Actor, to, kp.clone());
                if from == to {
                    self.err(
                        kp,
                        format!("actor `{from}` has a relation with itself"),
                        Some("relations are between two different actors".into()),
                    );
                    continue;
                }
                let rp = |field: &'static str| p(&[f("relations"), key(from), key(to), f(field)]);
                let inf = self.range(rp("influence"), "influence", r.influence, 0.0, 1.0);
                let tr = self.range(rp("trust"), "trust", r.trust, 0.0, 1.0);
                if let (Some(a), Some(b)) = (a, b) {
                    influence[a][b] = inf;
                    trust[a][b] = tr;
                    ties[a][b] = r.ties.clone();
                }
            }
        }
        (influence, trust, ties)
    }

    fn proposals_compiled(&mut self) -> Vec<c::Proposal> {
        let sc = self.sc;
        let mut out = Vec::new();
        for (i, pr) in sc.proposals.iter().enumerate() {
            let at = |field: &'static str| p(&[f("proposals"), Seg::Index(i), f(field)]);
            let item = |field: &'static str, j: usize| {
                p(&[f("proposals"), Seg::Index(i), f(field), Seg::Index(j)])
            };
            self.ident(at("id"), "proposal", &pr.id);
            let mut brokers = Vec::new();
            for (j, b) in pr.brokers.iter().enumerate() {
                brokers.extend(self.resolve(Which::Actor, b, item("brokers", j)));
            }
            if pr.brokers.is_empty() {
                self.err(
                    at("brokers"),
                    format!("proposal `{}` has no broker to table it", pr.id),
                    Some("list at least one actor in `brokers`".into()),
                );
            }
            let mut parties = Vec::new();
            for (j, b) in pr.parties.iter().enumerate() {
                if let Some(a) = self.belligerent(b, item("parties", j), "a party to a proposal") {
                    if parties.contains(&a) {
                        self.err(
                            item("parties", j),
                            format!("`{b}` is listed twice among the parties"),
                            Some("list each party once".into()),
                        );
                    }
                    parties.push(a);
                }
            }
            if pr.parties.len() < 2 {
                self.err(
                    at("parties"),
                    format!(
                        "proposal `{}` needs at least two parties to sign it, found {}",
                        pr.id,
                        pr.parties.len()
                    ),
                    Some("list the belligerents who must sign in `parties`".into()),
                );
            }
            let mut terms = vec![None; sc.issues.len()];
            for (issue, &v) in &pr.terms {
                let kp = p(&[
                    f("proposals"),
                    Seg::Index(i),
                    f("terms"),
                    Seg::KeyOf(issue.clone()),
                ]);
                let Some(k) = self.resolve(Which::Issue, issue, kp.clone()) else {
                    continue;
                };
                if sc.issues[k].tracks.is_some() {
                    self.err(
                        kp,
                        format!("issue `{issue}` follows the map and cannot be given a value"),
                        Some(
                            "move regions with `transfers: {\"<region>\": \"<side>\"}` instead"
                                .into(),
                        ),
                    );
                    continue;
                }
                let vp = p(&[f("proposals"), Seg::Index(i), f("terms"), key(issue)]);
                terms[k] = Some(self.range(vp, "a term", v, 0.0, 1.0));
            }
            let mut transfers = Vec::new();
            for (region, to) in &pr.transfers {
                let kp = p(&[
                    f("proposals"),
                    Seg::Index(i),
                    f("transfers"),
                    Seg::KeyOf(region.clone()),
                ]);
                let r = self.resolve(Which::Region, region, kp);
                let vp = p(&[f("proposals"), Seg::Index(i), f("transfers"), key(region)]);
                let t = self.belligerent(to, vp.clone(), "the receiver of a transfer");
                if let (Some(r), Some(t)) = (r, t) {
                    if !parties.contains(&t) {
                        self.err(
                            vp,
                            format!(
                                "`{to}` receives `{region}` but is not a party to `{}`",
                                pr.id
                            ),
                            Some("transfer regions only to parties of the proposal".into()),
                        );
                    }
                    let after = pr.timetable.get(region).copied().unwrap_or(0);
                    transfers.push(c::Transfer {
                        region: r,
                        to: t,
                        after,
                    });
                }
            }
            for (region, &days) in &pr.timetable {
                let at = p(&[f("proposals"), Seg::Index(i), f("timetable"), key(region)]);
                if !pr.transfers.contains_key(region) {
                    self.err(
                        p(&[
                            f("proposals"),
                            Seg::Index(i),
                            f("timetable"),
                            Seg::KeyOf(region.clone()),
                        ]),
                        format!(
                            "`{region}` has a day in the timetable of `{}` but is not one of its transfers",
                            pr.id
                        ),
                        Some(format!(
                            "add `\"{region}\": \"<side>\"` to `transfers`, or remove it from `timetable`"
                        )),
                    );
                }
                self.days(at, "a handover", days);
            }
            self.days(
                p(&[f("proposals"), Seg::Index(i), f("signing_delay")]),
                "signing_delay",
                pr.signing_delay,
            );
            let pv = &pr.provisions;
            let pp = |field: &'static str| {
                p(&[f("proposals"), Seg::Index(i), f("provisions"), f(field)])
            };
            let peacekeepers = pv
                .peacekeepers
                .as_ref()
                .and_then(|pk| self.resolve(Which::Actor, pk, pp("peacekeepers")));
            let mut guarantors = Vec::new();
            for (j, g) in pv.guarantors.iter().enumerate() {
                let gp = p(&[
                    f("proposals"),
                    Seg::Index(i),
                    f("provisions"),
                    f("guarantors"),
                    Seg::Index(j),
                ]);
                guarantors.extend(self.resolve(Which::Actor, g, gp));
            }
            let provisions = c::Provisions {
                monitoring: self.range(pp("monitoring"), "monitoring", pv.monitoring, 0.0, 1.0),
                peacekeepers,
                guarantors,
                prisoner_exchange: pv.prisoner_exchange,
                specificity: self.range(pp("specificity"), "specificity", pv.specificity, 0.0, 1.0),
                deployment_days: self.days(
                    pp("deployment_days"),
                    "deployment_days",
                    pv.deployment_days,
                ),
            };
            out.push(c::Proposal {
                id: pr.id.clone(),
                name: pr.name.clone(),
                kind: pr.kind,
                venue: pr.venue.clone(),
                brokers,
                parties,
                terms,
                transfers,
                provisions,
                open: pr.open,
                signing_delay: pr.signing_delay.min(MAX_TURNS),
                supplements: pr.supplements.as_ref().and_then(|id| {
                    let at = p(&[f("proposals"), Seg::Index(i), f("supplements")]);
                    let k = self.resolve(Which::Proposal, id, at.clone())?;
                    if k == i {
                        self.err(
                            at,
                            format!("`{id}` cannot supplement itself"),
                            Some("name the earlier text it builds on".into()),
                        );
                        return None;
                    }
                    let earlier = &sc.proposals[k].parties;
                    if let Some(missing) = earlier.iter().find(|q| !pr.parties.contains(q)) {
                        self.err(
                            at,
                            format!(
                                "`{}` supplements `{id}` but `{missing}`, a party to `{id}`, is not a party to it",
                                pr.id
                            ),
                            Some(format!("add `{missing}` to the parties of `{}`", pr.id)),
                        );
                        return None;
                    }
                    Some(k)
                }),
            });
        }
        out
    }

    fn events_compiled(&mut self, start: Date) -> Vec<c::Event> {
        let sc = self.sc;
        let mut out = Vec::new();
        for (i, e) in sc.events.iter().enumerate() {
            let at = |field: &'static str| p(&[f("events"), Seg::Index(i), f(field)]);
            self.ident(at("id"), "event", &e.id);
            if e.news.trim().is_empty() {
                self.err(
                    at("news"),
                    format!("event `{}` has no news line", e.id),
                    Some("write the line the chronicle prints when it fires".into()),
                );
            }
            let mut day = e.day;
            if let Some(d) = &e.date {
                if e.day.is_some() {
                    self.err(
                        at("date"),
                        format!("event `{}` has both `day` and `date`", e.id),
                        Some("keep one of them".into()),
                    );
                }
                match self.date(at("date"), d) {
                    Some(date) if date >= start => day = Some(start.days_until(date) as u32),
                    Some(_) => self.err(
                        at("date"),
                        format!("event date {d} is before the scenario starts ({start})"),
                        Some(format!("use a date on or after {start}")),
                    ),
                    None => {}
                }
            }
            let chance = self.range(at("chance"), "chance", e.chance, 0.0, 1.0);
            let when = e.when.as_ref().map(|cd| self.condition(cd, at("when"), 0));
            let mut effects = Vec::new();
            for (j, ef) in e.effects.iter().enumerate() {
                let path = p(&[f("events"), Seg::Index(i), f("effects"), Seg::Index(j)]);
                effects.extend(self.effect(ef, path));
            }
            out.push(c::Event {
                id: e.id.clone(),
                place: e.place.clone(),
                news: e.news.clone(),
                day,
                when,
                chance,
                repeat: e.repeat,
                effects,
            });
        }
        out
    }

    fn arg(path: &Path, i: usize) -> Path {
        let mut p = path.clone();
        p.push(Seg::Index(i));
        p
    }

    fn condition(&mut self, cd: &s::Condition, path: Path, depth: usize) -> c::Condition {
        use s::Condition as S;
        if depth > 32 {
            self.err(
                path,
                "conditions are nested too deeply",
                Some("nest at most 32 levels".into()),
            );
            return c::Condition::AtWar;
        }
        match cd {
            S::Held(r, side) => {
                let r = self
                    .resolve(Which::Region, r, Self::arg(&path, 0))
                    .unwrap_or(0);
                let s = self
                    .belligerent(side, Self::arg(&path, 1), "the holder in `Held`")
                    .unwrap_or(0);
                c::Condition::Held(r, s)
            }
            S::ControlAtLeast(side, x) => {
                let s = self
                    .belligerent(side, Self::arg(&path, 0), "the side in `ControlAtLeast`")
                    .unwrap_or(0);
                c::Condition::ControlAtLeast(
                    s,
                    self.range(Self::arg(&path, 1), "a share", *x, 0.0, 1.0),
                )
            }
            S::Signed(id) => c::Condition::Signed(
                self.resolve(Which::Proposal, id, Self::arg(&path, 0))
                    .unwrap_or(0),
            ),
            S::Collapsed(id) => c::Condition::Collapsed(
                self.resolve(Which::Proposal, id, Self::arg(&path, 0))
                    .unwrap_or(0),
            ),
            S::TruceInForce => c::Condition::TruceInForce,
            S::AtWar => c::Condition::AtWar,
            S::MilitaryDead(id, n) => {
                let s = self
                    .belligerent(id, Self::arg(&path, 0), "the side in `MilitaryDead`")
                    .unwrap_or(0);
                let n = self.non_negative(Self::arg(&path, 1), "a number of dead", *n);
                c::Condition::MilitaryDead(s, n)
            }
            S::CivilianDead(n) => c::Condition::CivilianDead(self.non_negative(
                Self::arg(&path, 0),
                "a number of dead",
                *n,
            )),
            S::Displaced(n) => c::Condition::Displaced(self.non_negative(
                Self::arg(&path, 0),
                "a number of displaced people",
                *n,
            )),
            S::DayAtLeast(d) => c::Condition::DayAtLeast(*d),
            S::Ripe => c::Condition::Ripe,
            S::All(list) | S::Any(list) => {
                let inner = list
                    .iter()
                    .enumerate()
                    .map(|(i, x)| {
                        let mut p = Self::arg(&path, 0);
                        p.push(Seg::Index(i));
                        self.condition(x, p, depth + 1)
                    })
                    .collect();
                if matches!(cd, S::All(_)) {
                    c::Condition::All(inner)
                } else {
                    c::Condition::Any(inner)
                }
            }
            S::Not(x) => {
                c::Condition::Not(Box::new(self.condition(x, Self::arg(&path, 0), depth + 1)))
            }
        }
    }

    fn effect(&mut self, ef: &s::Effect, path: Path) -> Option<c::Effect> {
        use s::Effect as S;
        let arg = |i| Self::arg(&path, i);
        let delta =
            |ck: &mut Self, i: usize, v: f64| ck.range(arg(i), "an effect's change", v, -1.0, 1.0);
        Some(match ef {
            S::Position(a, k, d) | S::Salience(a, k, d) => {
                let a = self.resolve(Which::Actor, a, arg(0));
                let k = self.resolve(Which::Issue, k, arg(1));
                let d = delta(self, 2, *d);
                let (a, k) = (a?, k?);
                if matches!(ef, S::Position(..)) {
                    c::Effect::Position(a, k, d)
                } else {
                    c::Effect::Salience(a, k, d)
                }
            }
            S::Influence(x, y, d) | S::Trust(x, y, d) => {
                let x = self.resolve(Which::Actor, x, arg(0));
                let y = self.resolve(Which::Actor, y, arg(1));
                let d = delta(self, 2, *d);
                let (x, y) = (x?, y?);
                if matches!(ef, S::Influence(..)) {
                    c::Effect::Influence(x, y, d)
                } else {
                    c::Effect::Trust(x, y, d)
                }
            }
            S::Morale(a, d) => {
                let d = delta(self, 1, *d);
                c::Effect::Morale(self.belligerent(a, arg(0), "the side in `Morale`")?, d)
            }
            S::Troops(a, d) => {
                if !d.is_finite() {
                    self.err(arg(1), "troops change must be a finite number", None);
                }
                c::Effect::Troops(self.belligerent(a, arg(0), "the side in `Troops`")?, *d)
            }
            S::MilitaryLosses(a, n) => {
                let n = self.non_negative(arg(1), "losses", *n);
                c::Effect::MilitaryLosses(
                    self.belligerent(a, arg(0), "the side in `MilitaryLosses`")?,
                    n,
                )
            }
            S::Resolve(a, d) | S::Pressure(a, d) | S::Commitment(a, d) | S::Leverage(a, d) => {
                let d = delta(self, 1, *d);
                let a = self.resolve(Which::Actor, a, arg(0))?;
                match ef {
                    S::Resolve(..) => c::Effect::Resolve(a, d),
                    S::Pressure(..) => c::Effect::Pressure(a, d),
                    S::Commitment(..) => {
                        if self.sc.actors[a].role != Role::Patron {
                            self.err(
                                arg(0),
                                format!(
                                    "`{}` is not a patron, so a change to its commitment does nothing",
                                    self.sc.actors[a].id
                                ),
                                Some("name a patron: commitment is a patron's military help to its side".into()),
                            );
                        }
                        c::Effect::Commitment(a, d)
                    }
                    _ => {
                        if self.sc.actors[a].mediation.is_none() {
                            self.err(
                                arg(0),
                                format!(
                                    "`{}` has no leverage to change: it is not a mediator",
                                    self.sc.actors[a].id
                                ),
                                Some(
                                    "give the actor `mediation` or change another actor's leverage"
                                        .into(),
                                ),
                            );
                        }
                        c::Effect::Leverage(a, d)
                    }
                }
            }
            S::CivilianLosses(n) => {
                c::Effect::CivilianLosses(self.non_negative(arg(0), "losses", *n))
            }
            S::Displace(r, n) => {
                let n = self.non_negative(arg(1), "people displaced", *n);
                c::Effect::Displace(self.resolve(Which::Region, r, arg(0))?, n)
            }
            S::OpenProposal(id) => {
                c::Effect::OpenProposal(self.resolve(Which::Proposal, id, arg(0))?)
            }
            S::CloseProposal(id) => {
                c::Effect::CloseProposal(self.resolve(Which::Proposal, id, arg(0))?)
            }
            S::Aims(a, regions) => {
                let a = self.belligerent(a, arg(0), "the side in `Aims`");
                let list = self.aims(regions, arg(1), "these aims");
                c::Effect::Aims(a?, list)
            }
        })
    }
}

#[derive(Clone, Copy)]
enum Which {
    Actor,
    Issue,
    Region,
    Proposal,
}
