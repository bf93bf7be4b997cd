//! Errors that reach the user, each with its exit code.

use std::fmt;

/// Exit code for bad input: a broken scenario, an unknown name, a wrong flag.
pub const BAD_INPUT: i32 = 2;
/// Exit code for a failure while running.
pub const RUNTIME: i32 = 1;

#[derive(Debug)]
pub struct Error {
    pub code: i32,
    pub message: String,
}

impl Error {
    pub fn bad_input(message: impl Into<String>) -> Error {
        Error {
            code: BAD_INPUT,
            message: message.into(),
        }
    }

    pub fn runtime(message: impl Into<String>) -> Error {
        Error {
            code: RUNTIME,
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<crate::scenario::LoadError> for Error {
    fn from(e: crate::scenario::LoadError) -> Error {
        Error::bad_input(e.to_string())
    }
}

pub type Result<T> = std::result::Result<T, Error>;
