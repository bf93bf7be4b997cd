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

folder, sensitivity = sys.argv[1], sys.argv[2]
runs = folder + "/runs.csv"

d = pl.read_csv(runs)
p = pd.read_csv(runs)
for col in ["run", "seed", "end_day", "agreements_signed", "durable_guarantor_count",
            "military_dead", "civilian_dead", "displaced"]:
    assert d.schema[col] == pl.Int64, (col, d.schema[col])
    assert str(p[col].dtype) == "int64", (col, p[col].dtype)
assert d.schema["end"] == pl.String
assert set(d["end"].to_list()) <= {"durable_agreement", "capitulation", "time_limit", "failed"}
# No column is named after one scenario's actors.
assert not any(c.endswith(("_armenia", "_azerbaijan")) for c in d.columns), d.columns
# A seed survives a round trip through a double, as R and spreadsheets keep it.
for s in d["seed"].to_list():
    assert int(float(s)) == s, s
assert p["seed"].tolist() == d["seed"].to_list()

# The per-side figures, long: a row per side and run.
t = pl.read_csv(folder + "/sides.csv")
u = pd.read_csv(folder + "/sides.csv")
for col in ["run", "military_dead"]:
    assert t.schema[col] == pl.Int64, (col, t.schema[col])
    assert str(u[col].dtype) == "int64", (col, u[col].dtype)
assert t.schema["control"] == pl.Float64 and str(u["control"].dtype) == "float64"
assert t.schema["side"] == pl.String
assert t.schema["capitulated"] == pl.Boolean, t.schema["capitulated"]
assert str(u["capitulated"].dtype) == "bool", u["capitulated"].dtype
assert t.height == 2 * d.height
joined = t.join(d, on="run")
by_run = joined.group_by("run").agg(pl.col("control").sum(), pl.col("military_dead").sum())
assert (by_run["control"] - 1.0).abs().max() < 1e-3
assert (by_run.join(d, on="run").select(
    (pl.col("military_dead") - pl.col("military_dead_right")).abs().max()).item() <= 1)

g = pl.read_csv(folder + "/guarantors.csv")
h = pd.read_csv(folder + "/guarantors.csv")
assert g.height > 0
assert g.schema["run"] == pl.Int64 and g.schema["guarantor"] == pl.String
assert str(h["run"].dtype) == "int64"
assert g.height == d["durable_guarantor_count"].sum()

s = pl.read_csv(sensitivity)
q = pd.read_csv(sensitivity)
assert s.schema["path"] == pl.String and s.schema["setting"] == pl.String
assert set(s["setting"].to_list()) <= {"low", "high"}
assert s.schema["rank"] == pl.Int64
for col in ["baseline", "value", "durable", "swing"]:
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
        .arg(&batch)
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
