//! truce: a simulator of multi-party ceasefire negotiation.
//!
//! - [`scenario`]: the RON scenario format, loading and validation;
//! - [`sim`]: the model as Bevy ECS plugins and the [`sim::Simulation`] API;
//! - [`policy`]: how actors judge terms and decide;
//! - [`batch`]: parallel Monte Carlo runs, what-ifs, sweeps, shards and resume;
//! - [`report`]: the chronicle and outcome as text and JSON, and plots;
//! - [`validation`]: runs scored against the record of real wars, and the fit.

pub mod atomic;
pub mod batch;
pub mod check;
pub mod cli;
pub mod date;
pub mod error;
#[cfg(feature = "gui")]
pub mod gui;
pub mod play;
pub mod policy;
pub mod report;
pub mod scaffold;
pub mod scenario;
pub mod sim;
pub mod text;
pub mod validation;
