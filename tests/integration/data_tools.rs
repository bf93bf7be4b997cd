//! The CSV files truce writes, read by the data tools analysts use: polars and pandas
//! must read every column with the type it holds, and a seed read back as a number
//! must be the seed that replays the run. `.ci/run` installs both from PyPI; elsewhere
//! the test is skipped, with a line saying how to run it, when they are missing.

use std::process::Command;

use crate::{TempDir, stderr, truce};

const CHECK: &str = r#"
import sys
import pandas as pd
import polars as pl

runs, sensitivity = sys.argv[1], sys.argv[2]

d = pl.read_csv(runs)
p = pd.read_csv(runs)
for col in ["run", "seed", "end_day", "agreements_signed", "military_dead_armenia",
            "civilian_dead", "displaced"]:
    assert d.schema[col] == pl.Int64, (col, d.schema[col])
    assert str(p[col].dtype) == "int64", (col, p[col].dtype)
for col in ["control_armenia", "control_azerbaijan"]:
    assert d.schema[col] == pl.Float64, (col, d.schema[col])
    assert str(p[col].dtype) == "float64", (col, p[col].dtype)
assert d.schema["end"] == pl.String
assert set(d["end"].to_list()) <= {"durable_agreement", "capitulation", "time_limit", "failed"}
# A seed survives a round trip through a double, as R and spreadsheets keep it.
for s in d["seed"].to_list():
    assert int(float(s)) == s, s
assert p["seed"].tolist() == d["seed"].to_list()

s = pl.read_csv(sensitivity)
q = pd.read_csv(sensitivity)
assert s.schema["path"] == pl.String
for col in ["baseline", "low", "high", "durable_low", "durable_high", "swing"]:
    assert s.schema[col] == pl.Float64, (col, s.schema[col])
    assert str(q[col].dtype) == "float64", (col, q[col].dtype)
print("ok", d.height, s.height)
"#;

fn tools_present() -> bool {
    Command::new("python3")
        .args(["-c", "import polars, pandas"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn polars_and_pandas_read_every_csv_with_its_types() {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    if !tools_present() {
        assert!(
            !ci,
            "CI is set but python3 with polars and pandas is missing (.ci/run installs them)"
        );
        eprintln!(
            "SKIPPED polars_and_pandas_read_every_csv_with_its_types: python3 with polars \
             and pandas is not installed. To run it: python3 -m pip install polars pandas"
        );
        return;
    }
    let dir = TempDir::new("data-tools");
    let batch = dir.join("batch");
    let out = truce(&[
        "batch",
        "scenarios/karabakh-2020.ron",
        "--runs",
        "200",
        "--out",
        batch.to_str().unwrap(),
        "-q",
        "--no-plots",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let sens = dir.join("sensitivity");
    let out = truce(&[
        "sensitivity",
        "scenarios/four-day-war-2016.ron",
        "--runs",
        "20",
        "--out",
        sens.to_str().unwrap(),
        "-q",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let check = Command::new("python3")
        .args(["-c", CHECK])
        .arg(batch.join("runs.csv"))
        .arg(sens.join("sensitivity.csv"))
        .output()
        .expect("python3 runs");
    assert!(
        check.status.success(),
        "polars or pandas disagree with the CSV:\n{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
}
