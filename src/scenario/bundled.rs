//! The scenarios that ship inside the binary, so that `truce play` has something to
//! offer wherever it runs. Their files in `scenarios/` are the same text.

/// Prefix of a bundled scenario's name where a path would otherwise be.
pub const PREFIX: &str = "bundled:";

/// (file name, text), in the order they are offered.
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "karabakh-2020.ron",
        include_str!("../../scenarios/karabakh-2020.ron"),
    ),
    (
        "karabakh-2020-turkey-out.ron",
        include_str!("../../scenarios/karabakh-2020-turkey-out.ron"),
    ),
    (
        "four-day-war-2016.ron",
        include_str!("../../scenarios/four-day-war-2016.ron"),
    ),
    (
        "askel-delta.ron",
        include_str!("../../scenarios/askel-delta.ron"),
    ),
    // The other wars of the validation library (docs/validation.md).
    (
        "karabakh-1994.ron",
        include_str!("../../scenarios/karabakh-1994.ron"),
    ),
    (
        "donbas-2014.ron",
        include_str!("../../scenarios/donbas-2014.ron"),
    ),
    // A variant with a coalition: the two republics apart.
    (
        "donbas-2014-republics.ron",
        include_str!("../../scenarios/donbas-2014-republics.ron"),
    ),
    (
        "lebanon-2006.ron",
        include_str!("../../scenarios/lebanon-2006.ron"),
    ),
    (
        "gaza-2014.ron",
        include_str!("../../scenarios/gaza-2014.ron"),
    ),
];

/// The text of a bundled scenario named `bundled:NAME` (or just `NAME`).
pub fn text(name: &str) -> Option<&'static str> {
    let name = name.strip_prefix(PREFIX).unwrap_or(name);
    BUNDLED.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// The records of what really happened in the bundled wars (`x.history.ron` beside
/// `x.ron`), for the end of a game.
const HISTORIES: &[(&str, &str)] = &[
    (
        "karabakh-2020.ron",
        include_str!("../../scenarios/karabakh-2020.history.ron"),
    ),
    (
        "four-day-war-2016.ron",
        include_str!("../../scenarios/four-day-war-2016.history.ron"),
    ),
    (
        "karabakh-1994.ron",
        include_str!("../../scenarios/karabakh-1994.history.ron"),
    ),
    (
        "donbas-2014.ron",
        include_str!("../../scenarios/donbas-2014.history.ron"),
    ),
    (
        "lebanon-2006.ron",
        include_str!("../../scenarios/lebanon-2006.history.ron"),
    ),
    (
        "gaza-2014.ron",
        include_str!("../../scenarios/gaza-2014.history.ron"),
    ),
];

/// The history file of the bundled scenario `bundled:NAME` (or `NAME`), if it has one.
pub fn history(name: &str) -> Option<&'static str> {
    let name = name.strip_prefix(PREFIX).unwrap_or(name);
    HISTORIES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}
