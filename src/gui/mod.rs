//! The window of `truce play` (Bevy + egui).

use crate::cli::PlayArgs;
use crate::error::{Error, Result};
use crate::play::Start;

pub fn run(_start: Start, _args: &PlayArgs) -> Result<u8> {
    Err(Error::runtime("the window is not built yet; use --text"))
}
