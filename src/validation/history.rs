//! History files: the record of what really happened in a war, which
//! `truce calibrate`, `truce validate` and `truce fit` score runs against.
//!
//! The file is RON beside the scenario (`x.ron` → `x.history.ron`). Reading it
//! reports every problem at once with its position, as for scenarios: syntax, names
//! that are not in the scenario (with "did you mean"), roles (a capture's side must
//! be a belligerent), contradictions (a region both captured and "never fell"), and,
//! as warnings, facts the scenario cannot produce.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::scenario::compiled::{ActorIx, ProposalIx, ProposalKind, RegionIx};
use crate::scenario::diagnostic::{Diagnostic, Report, suggest};
use crate::scenario::schema::Role;
use crate::scenario::spans::{self, Node, Seg};
use crate::scenario::{self, Compiled, LoadError};

/// Days either side of a recorded day within which a run's event counts as on time,
/// unless the file or the fact says otherwise.
pub const DEFAULT_WINDOW: u32 = 7;

fn default_window() -> u32 {
    DEFAULT_WINDOW
}

/// What happened, as written in a history file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct History {
    /// The id of the scenario this record is for.
    pub scenario: String,
    #[serde(default)]
    pub source: String,
    /// Days either side of a recorded day that still count as on time.
    #[serde(default = "default_window")]
    pub window: u32,
    /// Truces signed during the war that were not the final settlement.
    #[serde(default)]
    pub truces: Vec<TruceRecord>,
    /// Regions taken by force.
    #[serde(default)]
    pub captures: Vec<CaptureRecord>,
    /// The agreement that ended the war, if one did.
    #[serde(default)]
    pub settlement: Option<SettlementRecord>,
    /// Texts of the scenario that were tabled but never signed during the war.
    #[serde(default)]
    pub never_signed: Vec<String>,
    /// Contestable regions that never changed hands.
    #[serde(default)]
    pub never_fell: Vec<String>,
    /// Mediators who never got a signature on any text.
    #[serde(default)]
    pub never_brokered: Vec<String>,
    #[serde(default)]
    pub figures: Vec<FigureRecord>,
    /// What the model cannot express in this war.
    #[serde(default)]
    pub limits: Vec<String>,
}

/// A truce that was signed during the war and was not the settlement.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TruceRecord {
    pub name: String,
    pub kind: ProposalKind,
    pub broker: String,
    pub day: u32,
    /// Days it held before it ended.
    pub held_days: u32,
    /// The scenario proposal this text is, when it is one.
    #[serde(default)]
    pub proposal: Option<String>,
    #[serde(default)]
    pub ended: TruceEnd,
    #[serde(default)]
    pub window: Option<u32>,
}

/// How a truce ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum TruceEnd {
    /// Fighting resumed.
    #[default]
    Collapsed,
    /// A later text between the same parties replaced it while it held.
    Superseded,
    /// Still in force when the war ended.
    Held,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaptureRecord {
    pub region: String,
    pub by: String,
    /// Day of the capture; negative before the scenario's start.
    pub day: i64,
    #[serde(default)]
    pub window: Option<u32>,
}

/// The agreement that ended the war.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettlementRecord {
    pub broker: String,
    pub day: u32,
    #[serde(default)]
    pub peacekeepers: Option<String>,
    /// The capture that preceded it: a region and the side that took it.
    #[serde(default)]
    pub after: Option<CaptureRecord>,
    /// Brokers whose efforts never produced a lasting deal.
    #[serde(default)]
    pub failed_brokers: Vec<String>,
    /// The scenario proposal that was signed, when it is one.
    #[serde(default)]
    pub proposal: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FigureRecord {
    pub name: String,
    pub measure: Measure,
    pub real: f64,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
pub enum Measure {
    MilitaryDead(String),
    MilitaryDeadTotal,
    CivilianDead,
    Displaced,
    SettlementDay,
}

/// A history file read, with its text for diagnostics.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub history: History,
    pub file: String,
    pub source: String,
    tree: Option<Node>,
}

/// A record checked against its scenario: every name resolved to an index.
#[derive(Debug, Clone)]
pub struct Record {
    pub history: History,
    pub file: String,
    /// The file's text, for rendering warnings.
    pub source: String,
    pub window: u32,
    pub truces: Vec<Truce>,
    /// Captures a run can make (after day 0, of regions the side did not hold).
    pub captures: Vec<Taken>,
    pub settlement: Option<Settled>,
    pub never_signed: Vec<ProposalIx>,
    pub never_fell: Vec<RegionIx>,
    pub never_brokered: Vec<ActorIx>,
    /// Actors that broker at least one of the scenario's proposals.
    pub brokers: Vec<ActorIx>,
    /// Warnings found while checking.
    pub warnings: Vec<Diagnostic>,
}

#[derive(Debug, Clone)]
pub struct Truce {
    pub name: String,
    pub kind: ProposalKind,
    pub broker: ActorIx,
    pub day: u32,
    pub held_days: u32,
    pub proposal: Option<ProposalIx>,
    pub ended: TruceEnd,
    pub window: u32,
}

#[derive(Debug, Clone)]
pub struct Taken {
    pub region: RegionIx,
    pub by: ActorIx,
    pub day: u32,
    pub window: u32,
}

#[derive(Debug, Clone)]
pub struct Settled {
    pub broker: ActorIx,
    pub day: u32,
    pub peacekeepers: Option<ActorIx>,
    pub after: Option<(RegionIx, ActorIx)>,
    pub failed_brokers: Vec<ActorIx>,
    pub proposal: Option<ProposalIx>,
}

/// `scenarios/x.ron` → `scenarios/x.history.ron`.
pub fn beside(scenario: &Path) -> PathBuf {
    scenario.with_extension("history.ron")
}

/// `scenarios/x.history.ron` → `scenarios/x.ron`.
pub fn scenario_of(history: &Path) -> PathBuf {
    let name = history.file_name().and_then(|n| n.to_str()).unwrap_or("");
    history.with_file_name(name.replacen(".history.ron", ".ron", 1))
}

/// Whether a file is named as a history file (`*.history.ron`).
pub fn is_history(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".history.ron"))
}

/// Why a history file could not be used: the same as for a scenario file.
pub type HistoryError = LoadError;

/// Reads and parses a history file; syntax errors come with their position.
pub fn read(path: &Path) -> Result<Loaded, HistoryError> {
    let file = path.display().to_string();
    let source = std::fs::read(path)
        .map_err(|e| e.to_string())
        .and_then(|b| String::from_utf8(b).map_err(|_| "not UTF-8 text".to_string()))
        .map_err(|message| HistoryError::Io {
            file: file.clone(),
            message: format!(
                "{message}\n  = hint: write one next to the scenario (x.ron → x.history.ron), \
                 or name it with --against"
            ),
        })?;
    parse(&file, source)
}

/// Parses history text; `file` names it in diagnostics.
pub fn parse(file: &str, source: String) -> Result<Loaded, HistoryError> {
    match ron::from_str::<History>(&source) {
        Ok(history) => {
            let tree = spans::parse(&source);
            Ok(Loaded {
                history,
                file: file.to_string(),
                source,
                tree,
            })
        }
        Err(e) => {
            let (span, message, hint) = scenario::syntax_error(&source, &e);
            let d = Diagnostic::at(&source, span, message, String::new(), hint);
            Err(HistoryError::Invalid(Report {
                file: file.to_string(),
                source,
                diagnostics: vec![d],
                parents: vec![],
            }))
        }
    }
}

/// Reads a history file and checks it against the scenario beside it: `x.ron` for
/// `x.history.ron`, or else the file named after the record's `scenario` id.
pub fn load_beside(path: &Path) -> Result<Beside, HistoryError> {
    let loaded = read(path)?;
    let mut scenario_path = scenario_of(path);
    let by_id = path.with_file_name(format!("{}.ron", loaded.history.scenario));
    if !scenario_path.is_file() && by_id.is_file() && !is_history(&by_id) {
        scenario_path = by_id.clone();
    }
    if !scenario_path.is_file() {
        let span = loaded.span(&[Seg::Field("scenario")]);
        let d = Diagnostic::at(
            &loaded.source,
            span,
            format!(
                "no scenario beside this history file to check its names against: neither \
                 {} nor {} exists",
                scenario_path.display(),
                by_id.display()
            ),
            "scenario".into(),
            Some(format!(
                "a history file `x.history.ron` is checked against `x.ron` in the same folder \
                 (or the file named after its `scenario`); put the scenario `{}` there",
                loaded.history.scenario
            )),
        );
        return Err(loaded.invalid(vec![d]));
    }
    let sc = scenario::load(&scenario_path)?;
    let record = loaded.check(&sc.compiled)?;
    Ok(Beside {
        record,
        scenario: sc,
        scenario_path,
    })
}

/// A record checked against the scenario found beside it.
pub struct Beside {
    pub record: Record,
    pub scenario: scenario::Loaded,
    pub scenario_path: PathBuf,
}

impl Loaded {
    fn span(&self, path: &[Seg]) -> Range<usize> {
        self.tree
            .as_ref()
            .map_or(0..0, |t| t.locate(path).span.clone())
    }

    fn invalid(&self, diagnostics: Vec<Diagnostic>) -> HistoryError {
        HistoryError::Invalid(Report {
            file: self.file.clone(),
            source: self.source.clone(),
            diagnostics,
            parents: vec![],
        })
    }

    /// Checks every name, role and contradiction against `sc`; errors all at once.
    pub fn check(&self, sc: &Compiled) -> Result<Record, HistoryError> {
        let mut c = Checker {
            loaded: self,
            sc,
            errors: vec![],
            warnings: vec![],
        };
        let record = c.record();
        if c.errors.is_empty() {
            let mut record = record;
            record.warnings = c.warnings;
            Ok(record)
        } else {
            let mut all = c.errors;
            all.extend(c.warnings);
            all.sort_by_key(|d| (d.line, d.column));
            Err(self.invalid(all))
        }
    }
}

struct Checker<'a> {
    loaded: &'a Loaded,
    sc: &'a Compiled,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn report(&mut self, warning: bool, path: &[Seg], message: String, hint: Option<String>) {
        let span = self.loaded.span(path);
        let mut d = Diagnostic::at(
            &self.loaded.source,
            span,
            message,
            crate::scenario::path_text(path),
            hint,
        );
        d.warning = warning;
        if warning {
            self.warnings.push(d);
        } else {
            self.errors.push(d);
        }
    }

    fn error(&mut self, path: &[Seg], message: String, hint: Option<String>) {
        self.report(false, path, message, hint);
    }

    fn warn(&mut self, path: &[Seg], message: String, hint: Option<String>) {
        self.report(true, path, message, hint);
    }

    fn unknown<'n>(
        &mut self,
        what: &str,
        name: &str,
        candidates: impl IntoIterator<Item = &'n str> + Clone,
        path: &[Seg],
    ) {
        let hint = match suggest(name, candidates.clone()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => {
                let all: Vec<String> = candidates.into_iter().map(|c| format!("`{c}`")).collect();
                format!("the scenario's {what}s are {}", all.join(", "))
            }
        };
        self.error(
            path,
            format!("unknown {what} `{name}` in scenario `{}`", self.sc.id),
            Some(hint),
        );
    }

    fn actor(&mut self, name: &str, path: &[Seg]) -> Option<ActorIx> {
        let ix = self.sc.actor_ix(name);
        if ix.is_none() {
            let ids: Vec<&str> = self.sc.actors.iter().map(|a| a.id.as_str()).collect();
            self.unknown("actor", name, ids.iter().copied(), path);
        }
        ix
    }

    fn region(&mut self, name: &str, path: &[Seg]) -> Option<RegionIx> {
        let ix = self.sc.region_ix(name);
        if ix.is_none() {
            let ids: Vec<&str> = self.sc.regions.iter().map(|r| r.id.as_str()).collect();
            self.unknown("region", name, ids.iter().copied(), path);
        }
        ix
    }

    fn proposal(&mut self, name: &str, path: &[Seg]) -> Option<ProposalIx> {
        let ix = self.sc.proposal_ix(name);
        if ix.is_none() {
            let ids: Vec<&str> = self.sc.proposals.iter().map(|p| p.id.as_str()).collect();
            self.unknown("proposal", name, ids.iter().copied(), path);
        }
        ix
    }

    fn belligerent(&mut self, name: &str, path: &[Seg]) -> Option<ActorIx> {
        let a = self.actor(name, path)?;
        let actor = &self.sc.actors[a];
        if actor.role != Role::Belligerent {
            let hint = match actor.side {
                Some(s) if actor.role == Role::Patron => format!(
                    "patrons do not hold ground; name the side it backs, `{}`",
                    self.sc.actors[s].id
                ),
                _ => format!(
                    "the scenario's belligerents are {}",
                    self.belligerents().join(", ")
                ),
            };
            self.error(
                path,
                format!("`{name}` is a {:?}, not a belligerent", actor.role).to_lowercase(),
                Some(hint),
            );
            return None;
        }
        Some(a)
    }

    fn belligerents(&self) -> Vec<String> {
        self.sc
            .actors
            .iter()
            .filter(|a| a.role == Role::Belligerent)
            .map(|a| format!("`{}`", a.id))
            .collect()
    }

    /// A broker: not a belligerent, and warned about when it has nothing to table.
    fn broker(&mut self, name: &str, path: &[Seg]) -> Option<ActorIx> {
        let a = self.actor(name, path)?;
        if self.sc.actors[a].role == Role::Belligerent {
            self.error(
                path,
                format!("`{name}` is a belligerent: a broker is a mediator or a third party"),
                Some("name the actor who brokered the text".into()),
            );
            return None;
        }
        if !self.sc.proposals.iter().any(|p| p.brokers.contains(&a)) {
            self.warn(
                path,
                format!(
                    "`{name}` brokers none of the scenario's proposals, so no run can match this"
                ),
                Some(format!(
                    "add `\"{name}\"` to the `brokers` of the text it brokered in the scenario"
                )),
            );
        }
        Some(a)
    }

    /// A capture of the record, scored when a run can make it: on day 0 or later, of a
    /// region the side does not hold at that point of the record (`holders`: the map
    /// at the start, then each capture before it). A region lost and retaken is two
    /// facts.
    fn capture(
        &mut self,
        c: &CaptureRecord,
        path: &[Seg],
        window: u32,
        holders: &mut [ActorIx],
    ) -> Option<Taken> {
        let at = |f: &'static str| [path, &[Seg::Field(f)]].concat();
        let region = self.region(&c.region, &at("region"));
        let by = self.belligerent(&c.by, &at("by"));
        let (r, by) = (region?, by?);
        let day = u32::try_from(c.day).ok();
        let held_at_start = holders[r] == by;
        if day.is_some() {
            holders[r] = by;
        }
        if !self.sc.regions[r].contestable && day.is_some() && !held_at_start {
            self.warn(
                &at("region"),
                format!(
                    "`{}` cannot be attacked in the scenario (`contestable: false`), so no run \
                     can capture it",
                    c.region
                ),
                Some("make the region contestable, or drop the capture".into()),
            );
        }
        if let Some(d) = day
            && d >= self.sc.max_turns
        {
            self.warn(
                &at("day"),
                format!(
                    "day {d} is after the scenario's last day ({}): no run can capture it then",
                    self.sc.max_turns - 1
                ),
                Some("raise the scenario's `max_turns`".into()),
            );
        }
        let day = day.filter(|_| !held_at_start)?;
        Some(Taken {
            region: r,
            by,
            day,
            window: c.window.unwrap_or(window),
        })
    }

    fn record(&mut self) -> Record {
        let h = &self.loaded.history;
        let sc = self.sc;
        if h.scenario != sc.id {
            self.error(
                &[Seg::Field("scenario")],
                format!(
                    "this is the record of `{}`, but the scenario beside it is `{}`",
                    h.scenario, sc.id
                ),
                Some(format!("write `scenario: \"{}\"`", sc.id)),
            );
        }
        let window = h.window;
        let mut truces = vec![];
        let mut signed: Vec<ProposalIx> = vec![];
        for (i, t) in h.truces.iter().enumerate() {
            let at = |f: &'static str| vec![Seg::Field("truces"), Seg::Index(i), Seg::Field(f)];
            let broker = self.broker(&t.broker, &at("broker"));
            let proposal = match &t.proposal {
                Some(p) => self.proposal(p, &at("proposal")),
                None => None,
            };
            if let Some(p) = proposal {
                signed.push(p);
                let pr = &sc.proposals[p];
                if pr.kind != t.kind {
                    self.warn(
                        &at("kind"),
                        format!(
                            "the scenario's `{}` is a {:?}, not a {:?}",
                            pr.id, pr.kind, t.kind
                        ),
                        Some("runs are matched on the proposal; make the kinds agree".into()),
                    );
                }
                if let Some(b) = broker
                    && !pr.brokers.contains(&b)
                {
                    self.warn(
                        &at("broker"),
                        format!("`{}` is not among the brokers of `{}`", t.broker, pr.id),
                        Some(format!("add it to the `brokers` of `{}`", pr.id)),
                    );
                }
            }
            if t.day >= sc.max_turns {
                self.warn(
                    &at("day"),
                    format!(
                        "day {} is after the scenario's last day ({})",
                        t.day,
                        sc.max_turns - 1
                    ),
                    Some("raise the scenario's `max_turns`".into()),
                );
            }
            if let Some(broker) = broker {
                truces.push(Truce {
                    name: t.name.clone(),
                    kind: t.kind,
                    broker,
                    day: t.day,
                    held_days: t.held_days,
                    proposal,
                    ended: t.ended,
                    window: t.window.unwrap_or(window),
                });
            }
        }
        let mut captures = vec![];
        let mut holders: Vec<ActorIx> = sc.regions.iter().map(|r| r.controller).collect();
        let mut order: Vec<usize> = (0..h.captures.len()).collect();
        order.sort_by_key(|&i| h.captures[i].day);
        for i in order {
            let path = [Seg::Field("captures"), Seg::Index(i)];
            if let Some(t) = self.capture(&h.captures[i], &path, window, &mut holders) {
                captures.push(t);
            }
        }
        captures.sort_by_key(|t| t.day);
        let settlement = match &h.settlement {
            None => None,
            Some(s) => {
                let base = Seg::Field("settlement");
                let at = |f: &'static str| vec![base.clone(), Seg::Field(f)];
                let broker = self.broker(&s.broker, &at("broker"));
                let peacekeepers = match &s.peacekeepers {
                    Some(p) => self.actor(p, &at("peacekeepers")).map(Some),
                    None => Some(None),
                };
                let after = match &s.after {
                    Some(c) => {
                        let p = at("after");
                        let r = self
                            .region(&c.region, &[p.clone(), vec![Seg::Field("region")]].concat());
                        let by =
                            self.belligerent(&c.by, &[p.clone(), vec![Seg::Field("by")]].concat());
                        r.zip(by).map(Some)
                    }
                    None => Some(None),
                };
                let mut failed = vec![];
                for (j, b) in s.failed_brokers.iter().enumerate() {
                    let p = [at("failed_brokers"), vec![Seg::Index(j)]].concat();
                    failed.extend(self.broker(b, &p));
                }
                let proposal = match &s.proposal {
                    Some(p) => self.proposal(p, &at("proposal")).map(Some),
                    None => Some(None),
                };
                if let Some(Some(p)) = proposal {
                    signed.push(p);
                    if let Some(b) = broker
                        && !sc.proposals[p].brokers.contains(&b)
                    {
                        self.warn(
                            &at("broker"),
                            format!(
                                "`{}` is not among the brokers of `{}`",
                                s.broker, sc.proposals[p].id
                            ),
                            Some(format!(
                                "add it to the `brokers` of `{}`",
                                sc.proposals[p].id
                            )),
                        );
                    }
                }
                if let Some(b) = broker
                    && failed.contains(&b)
                {
                    self.error(
                        &at("failed_brokers"),
                        format!(
                            "`{}` brokered the settlement, so its efforts did not fail",
                            s.broker
                        ),
                        Some("remove it from `failed_brokers`".into()),
                    );
                }
                if s.day >= sc.max_turns {
                    self.warn(
                        &at("day"),
                        format!(
                            "day {} is after the scenario's last day ({}): no run can settle then",
                            s.day,
                            sc.max_turns - 1
                        ),
                        Some("raise the scenario's `max_turns`".into()),
                    );
                }
                match (broker, peacekeepers, after, proposal) {
                    (Some(broker), Some(peacekeepers), Some(after), Some(proposal)) => {
                        Some(Settled {
                            broker,
                            day: s.day,
                            peacekeepers,
                            after,
                            failed_brokers: failed,
                            proposal,
                        })
                    }
                    _ => None,
                }
            }
        };
        let mut never_signed = vec![];
        for (i, p) in h.never_signed.iter().enumerate() {
            let path = [Seg::Field("never_signed"), Seg::Index(i)];
            if let Some(ix) = self.proposal(p, &path) {
                if signed.contains(&ix) {
                    self.error(
                        &path,
                        format!("`{p}` is recorded as signed above, and as never signed here"),
                        Some("keep one of the two".into()),
                    );
                }
                never_signed.push(ix);
            }
        }
        let mut never_fell = vec![];
        for (i, r) in h.never_fell.iter().enumerate() {
            let path = [Seg::Field("never_fell"), Seg::Index(i)];
            if let Some(ix) = self.region(r, &path) {
                if h.captures.iter().any(|c| c.region == *r && c.day >= 0) {
                    self.error(
                        &path,
                        format!("`{r}` is recorded as captured, and as never fallen here"),
                        Some("keep one of the two".into()),
                    );
                } else if !sc.regions[ix].contestable {
                    self.warn(
                        &path,
                        format!(
                            "`{r}` cannot be attacked in the scenario, so this fact is true of \
                             every run and tells nothing"
                        ),
                        Some("list only contestable regions".into()),
                    );
                }
                never_fell.push(ix);
            }
        }
        let mut never_brokered = vec![];
        let got_signatures: Vec<&str> = h
            .truces
            .iter()
            .map(|t| t.broker.as_str())
            .chain(h.settlement.iter().map(|s| s.broker.as_str()))
            .collect();
        for (i, b) in h.never_brokered.iter().enumerate() {
            let path = [Seg::Field("never_brokered"), Seg::Index(i)];
            let Some(ix) = self.actor(b, &path) else {
                continue;
            };
            if sc.actors[ix].role == Role::Belligerent {
                self.error(
                    &path,
                    format!("`{b}` is a belligerent: `never_brokered` lists mediators"),
                    Some("name a mediator who never got a signature".into()),
                );
                continue;
            }
            if !sc.proposals.iter().any(|p| p.brokers.contains(&ix)) {
                self.warn(
                    &path,
                    format!(
                        "`{b}` brokers none of the scenario's proposals, so this fact is true \
                         of every run and tells nothing"
                    ),
                    Some(format!(
                        "add `\"{b}\"` to the `brokers` of the texts it tabled"
                    )),
                );
            }
            {
                if got_signatures.contains(&b.as_str()) {
                    self.error(
                        &path,
                        format!("`{b}` brokered a text recorded above"),
                        Some("remove it from `never_brokered`".into()),
                    );
                }
                never_brokered.push(ix);
            }
        }
        for (i, f) in h.figures.iter().enumerate() {
            let path = [Seg::Field("figures"), Seg::Index(i), Seg::Field("measure")];
            if let Measure::MilitaryDead(side) = &f.measure {
                self.belligerent(side, &[&path[..], &[Seg::Index(0)]].concat());
            }
            if !(f.real.is_finite() && f.real >= 0.0) {
                self.error(
                    &[Seg::Field("figures"), Seg::Index(i), Seg::Field("real")],
                    format!("a figure must be a number of 0 or more, found {}", f.real),
                    None,
                );
            }
            if f.measure == Measure::SettlementDay && h.settlement.is_none() {
                self.warn(
                    &path,
                    "a day of the settlement, but the record has no settlement".into(),
                    Some("add the `settlement`, or drop the figure".into()),
                );
            }
        }
        let mut brokers: Vec<ActorIx> = sc
            .proposals
            .iter()
            .flat_map(|p| p.brokers.iter().copied())
            .collect();
        brokers.sort_unstable();
        brokers.dedup();
        Record {
            history: h.clone(),
            file: self.loaded.file.clone(),
            source: self.loaded.source.clone(),
            window,
            truces,
            captures,
            settlement,
            never_signed,
            never_fell,
            never_brokered,
            brokers,
            warnings: vec![],
        }
    }
}

/// Renders warnings in the style of the diagnostics.
pub fn render_warnings(record: &Record) -> String {
    if record.warnings.is_empty() {
        return String::new();
    }
    warnings_report(record).render()
}

/// The record's warnings as a report of its file, for rendering or JSON.
pub fn warnings_report(record: &Record) -> Report {
    Report {
        file: record.file.clone(),
        source: record.source.clone(),
        diagnostics: record.warnings.clone(),
        parents: vec![],
    }
}
