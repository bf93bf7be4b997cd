//! `truce batch` and `truce merge`: determinism across threads, shards and resumes,
//! what-ifs and sweeps, refusals of bad input, and the shape of `runs.csv`.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::{TempDir, stderr, stdout, truce, truce_command};

const SCENARIO: &str = "scenarios/karabakh-2020.ron";
/// The files that must agree byte for byte between two batches with the same results.
const DATA_FILES: [&str; 5] = [
    "runs.csv",
    "sides.csv",
    "guarantors.csv",
    "summary.json",
    "state.json",
];
/// The plots every batch draws (as `.svg` and `.png`).
const PLOTS: [&str; 5] = [
    "durable_by_day",
    "end_day",
    "military_dead",
    "displaced",
    "brokers",
];

fn arg(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// Asserts that `out` exited 0, showing its stderr if not.
#[track_caller]
fn ok(out: Output) -> Output {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout:\n{}\nstderr:\n{}",
        stdout(&out),
        stderr(&out)
    );
    out
}

/// Asserts that `out` exited 2 without a panic; returns its stderr.
#[track_caller]
fn refused(out: &Output) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "stderr:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[track_caller]
fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[track_caller]
fn json(path: &Path) -> Value {
    serde_json::from_slice(&read(path))
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

#[track_caller]
fn assert_same_file(a: &Path, b: &Path, name: &str) {
    let (x, y) = (read(&a.join(name)), read(&b.join(name)));
    assert!(!x.is_empty(), "{} is empty", a.join(name).display());
    assert!(
        x == y,
        "{name} differs between {} ({} bytes) and {} ({} bytes)",
        a.display(),
        x.len(),
        b.display(),
        y.len()
    );
}

/// Every file under `dir` (relative path → bytes).
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, into: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("readable folder") {
            let path = entry.expect("readable entry").path();
            if path.is_dir() {
                walk(root, &path, into);
            } else {
                let name = path.strip_prefix(root).unwrap().display().to_string();
                into.insert(name, read(&path));
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    files
}

/// `runs.csv` of a batch folder: the header's columns and each row's fields.
fn csv(dir: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    table(dir, "runs.csv")
}

/// A CSV table of a batch folder: the header's columns and each row's fields.
fn table(dir: &Path, name: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let text = String::from_utf8(read(&dir.join(name))).expect("the table is UTF-8");
    assert!(text.ends_with('\n'), "{name} ends in the middle of a line");
    let mut lines = text
        .lines()
        .map(|l| l.split(',').map(String::from).collect::<Vec<String>>());
    let header = lines.next().expect("the table has a header");
    let rows: Vec<Vec<String>> = lines.collect();
    for (k, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), header.len(), "row {k} of {name}: {row:?}");
    }
    (header, rows)
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|c| c == name)
        .unwrap_or_else(|| panic!("runs.csv has no column `{name}`: {header:?}"))
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// A child process killed if the test fails before it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        if self.0.try_wait().ok().flatten().is_none() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

fn number(v: &Value, what: &str) -> u64 {
    v.as_u64()
        .unwrap_or_else(|| panic!("{what} is not a count: {v}"))
}

#[test]
fn jobs_one_and_two_give_identical_files() {
    let tmp = TempDir::new("jobs_one_and_two_give_identical_files");
    let (one, two) = (tmp.join("jobs-1"), tmp.join("jobs-2"));
    for (dir, jobs) in [(&one, "1"), (&two, "2")] {
        ok(truce(&[
            "batch",
            SCENARIO,
            "--runs",
            "300",
            "--seed",
            "5",
            "--jobs",
            jobs,
            "--out",
            arg(dir),
            "-q",
        ]));
    }
    let (_, rows) = csv(&one);
    assert_eq!(rows.len(), 300);
    assert_eq!(number(&json(&one.join("state.json"))["done"], "done"), 300);
    for name in DATA_FILES {
        assert_same_file(&one, &two, name);
    }
    let plots_one = snapshot(&one.join("plots"));
    let plots_two = snapshot(&two.join("plots"));
    for plot in PLOTS {
        for ext in ["svg", "png"] {
            let name = format!("{plot}.{ext}");
            assert!(plots_one.contains_key(&name), "no plots/{name}");
            assert_same_file(&one.join("plots"), &two.join("plots"), &name);
        }
    }
    assert_eq!(
        plots_one.keys().collect::<Vec<_>>(),
        plots_two.keys().collect::<Vec<_>>()
    );
}

#[test]
fn merged_shards_equal_the_unsharded_batch() {
    let tmp = TempDir::new("merged_shards_equal_the_unsharded_batch");
    // 200 runs do not split evenly in 3: the shards hold 66, 67 and 67 runs.
    let batch = |out: &Path, seed: &str, shard: Option<&str>| {
        let mut args = vec!["batch", SCENARIO, "--runs", "200", "--max-turns", "40"];
        args.extend(["--seed", seed, "--out", arg(out), "-q"]);
        if let Some(s) = shard {
            args.extend(["--shard", s]);
        }
        ok(truce(&args));
    };
    let whole = tmp.join("whole");
    batch(&whole, "3", None);
    let shards: Vec<_> = (0..3).map(|i| tmp.join(&format!("shard-{i}"))).collect();
    for (i, dir) in shards.iter().enumerate() {
        batch(dir, "3", Some(&format!("{i}/3")));
    }
    let mut covered = 0;
    for dir in &shards {
        let state = json(&dir.join("state.json"));
        assert_eq!(number(&state["start"], "start"), covered);
        covered = number(&state["end"], "end");
        assert!(covered > number(&state["start"], "start"));
    }
    assert_eq!(covered, 200);

    let merged = tmp.join("merged");
    let out = ok(truce(&[
        "merge",
        arg(&shards[2]),
        arg(&shards[0]),
        arg(&shards[1]),
        "--out",
        arg(&merged),
    ]));
    assert!(
        stdout(&out).contains("merged from 3 shards"),
        "{}",
        stdout(&out)
    );
    for name in DATA_FILES {
        assert_same_file(&whole, &merged, name);
    }
    assert_same_file(&whole.join("plots"), &merged.join("plots"), "end_day.svg");

    // A missing shard, in the middle or at the end, is named by its runs.
    for (given, missing) in [([0, 2], 1), ([0, 1], 2)] {
        let state = json(&shards[missing].join("state.json"));
        let (start, end) = (
            number(&state["start"], "start"),
            number(&state["end"], "end"),
        );
        let gap = tmp.join(&format!("without-{missing}"));
        let out = truce(&[
            "merge",
            arg(&shards[given[0]]),
            arg(&shards[given[1]]),
            "--out",
            arg(&gap),
        ]);
        let err = refused(&out);
        assert!(
            err.contains(&format!("runs {start} to {}", end - 1)),
            "without shard {missing}: {err}"
        );
        assert!(!gap.exists(), "a refused merge created {}", gap.display());
    }

    // A shard of a batch with another seed does not belong.
    let stranger = tmp.join("seed-4-shard-1");
    batch(&stranger, "4", Some("1/3"));
    let mixed = tmp.join("mixed");
    let out = truce(&[
        "merge",
        arg(&shards[0]),
        arg(&stranger),
        arg(&shards[2]),
        "--out",
        arg(&mixed),
    ]);
    let err = refused(&out);
    assert!(err.contains("another batch"), "{err}");
    assert!(err.contains("seed-4-shard-1"), "{err}");
    assert!(!mixed.exists());
}

#[test]
fn a_killed_batch_resumes_to_the_same_result() {
    let tmp = TempDir::new("a_killed_batch_resumes_to_the_same_result");
    let (whole, killed) = (tmp.join("whole"), tmp.join("killed"));
    // About 4 s on one thread of the test build: the batch checkpoints every second.
    let args = |out: &Path, jobs: &str| -> Vec<String> {
        let out = arg(out);
        [
            "batch", SCENARIO, "--runs", "4000", "--seed", "9", "-q", "--jobs", jobs, "--out", out,
        ]
        .map(String::from)
        .to_vec()
    };
    ok(truce(&strs(&args(&whole, "2"))));

    // The batch to kill runs on one thread, to stay long enough to catch.
    let mut child = Running(
        truce_command(&strs(&args(&killed, "1")))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the truce binary starts"),
    );
    let state_file = killed.join("state.json");
    let deadline = Instant::now() + Duration::from_secs(120);
    let seen = loop {
        if let Some(status) = child.0.try_wait().expect("the child can be waited for") {
            panic!("the batch ended ({status}) before a checkpoint mid-batch was seen");
        }
        if let Ok(bytes) = std::fs::read(&state_file)
            && let Ok(state) = serde_json::from_slice::<Value>(&bytes)
        {
            let (done, end) = (number(&state["done"], "done"), number(&state["end"], "end"));
            assert_eq!(end, 4000);
            if done > 0 && done < end {
                break done;
            }
        }
        assert!(Instant::now() < deadline, "no checkpoint within 120 s");
        std::thread::sleep(Duration::from_millis(5));
    };
    child.0.kill().expect("the batch can be killed");
    let status = child.0.wait().expect("the killed batch is reaped");
    assert!(!status.success(), "the batch finished: {status}");

    // What the killed batch left: a checkpoint short of the end, and a runs.csv that
    // is the start of the whole batch's, cut after a whole line.
    let state = json(&state_file);
    let (done, end) = (number(&state["done"], "done"), number(&state["end"], "end"));
    assert!(
        seen <= done && done < end,
        "not killed mid-batch: {done} of {end}"
    );
    let csv_bytes = number(&state["csv_bytes"], "csv_bytes") as usize;
    let partial = read(&killed.join("runs.csv"));
    let complete = read(&whole.join("runs.csv"));
    assert!(
        partial.len() >= csv_bytes,
        "runs.csv is shorter than its checkpoint"
    );
    assert!(
        partial.len() < complete.len(),
        "runs.csv is already complete"
    );
    assert!(
        complete.starts_with(&partial),
        "runs.csv of the killed batch is not a prefix of the whole batch's"
    );
    let (header, rows) = csv(&killed);
    assert_eq!(header[0], "run");
    assert!(rows.len() as u64 >= done);
    let counted = partial[..csv_bytes].iter().filter(|&&b| b == b'\n').count() as u64;
    assert_eq!(
        counted,
        done + 1,
        "the checkpoint counts header and {done} rows"
    );

    let out = ok(truce(&[
        "batch",
        "--resume",
        arg(&killed),
        "--jobs",
        "2",
        "-q",
    ]));
    assert!(stdout(&out).contains("— 4000 runs"), "{}", stdout(&out));
    for name in DATA_FILES {
        assert_same_file(&whole, &killed, name);
    }
    assert_eq!(json(&killed.join("summary.json"))["complete"], true);
}

/// Copies the files directly in `from` into the new folder `to`.
fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
    }
}

#[test]
fn shards_written_in_format_2_still_merge_and_resume_in_their_wide_layout() {
    // Two shards and the unsharded runs.csv of one batch, written by the truce of
    // format 2 (per-side columns in runs.csv, no sides.csv).
    let fixture = crate::root().join("tests/fixtures/batch-format-2");
    let tmp = TempDir::new("format-2");
    let shards: Vec<_> = (0..2).map(|i| tmp.join(&format!("shard-{i}"))).collect();
    for (i, shard) in shards.iter().enumerate() {
        copy_folder(&fixture.join(format!("shard-{i}")), shard);
    }
    let merged = tmp.join("merged");
    ok(truce(&[
        "merge",
        arg(&shards[0]),
        arg(&shards[1]),
        "--out",
        arg(&merged),
        "--no-plots",
    ]));
    assert!(
        read(&merged.join("runs.csv")) == read(&fixture.join("whole-runs.csv")),
        "the merged runs.csv differs from the one format 2 wrote"
    );
    assert!(!merged.join("sides.csv").exists());
    assert_eq!(
        number(
            &json(&merged.join("state.json"))["manifest"]["format"],
            "format"
        ),
        2
    );
    // A finished shard resumes to itself, nothing added or cut.
    let before = read(&shards[0].join("runs.csv"));
    ok(truce(&[
        "batch",
        "--resume",
        arg(&shards[0]),
        "-q",
        "--no-plots",
    ]));
    assert!(read(&shards[0].join("runs.csv")) == before);
    assert!(!shards[0].join("sides.csv").exists());
}

#[test]
fn a_state_that_does_not_count_every_table_is_refused() {
    let tmp = TempDir::new("state-tables");
    let dir = tmp.join("b");
    ok(truce(&[
        "batch",
        SCENARIO,
        "--runs",
        "5",
        "-q",
        "--no-plots",
        "--out",
        arg(&dir),
    ]));
    let path = dir.join("state.json");
    let mut state = json(&path);
    state.as_object_mut().unwrap().remove("other_bytes");
    std::fs::write(&path, state.to_string()).unwrap();
    let err = refused(&truce(&["batch", "--resume", arg(&dir), "-q"]));
    assert!(err.contains("is damaged"), "{err}");
}

#[test]
fn a_bad_set_path_is_exit_2_with_a_clear_message() {
    let tmp = TempDir::new("a_bad_set_path_is_exit_2_with_a_clear_message");
    let out_dir = tmp.join("out");
    let batch = |set: &str| {
        let out = truce(&[
            "batch",
            SCENARIO,
            "--runs",
            "5",
            "--out",
            arg(&out_dir),
            "-q",
            "--set",
            set,
        ]);
        assert!(!out_dir.exists(), "--set {set} created the output folder");
        out
    };

    let err = refused(&batch("actors.turky.capability.military=0.2"));
    assert!(err.contains("`turky`"), "{err}");
    assert!(err.contains("did you mean `turkey`?"), "{err}");

    let err = refused(&batch("actors.turkey.capabilty.military=0.2"));
    assert!(err.contains("`capabilty`"), "{err}");
    assert!(err.contains("did you mean `capability`?"), "{err}");

    let err = refused(&batch("actors.turkey.name=3"));
    assert!(err.contains("actors.turkey.name"), "{err}");
    assert!(err.contains("is not a number"), "{err}");

    // Out of range: the diagnostics of `truce check`, pointing at the value in the
    // scenario's text (as edited) under Turkey's entry.
    let err = refused(&batch("actors.turkey.capability.military=7"));
    let position = err
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))
        .unwrap_or_else(|| panic!("no `--> file:line:col`: {err}"));
    let mut parts = position.rsplitn(3, ':');
    let (col, line, file) = (parts.next(), parts.next(), parts.next());
    assert_eq!(file, Some(SCENARIO), "{err}");
    let line: usize = line.and_then(|l| l.parse().ok()).expect("a line number");
    let col: usize = col.and_then(|c| c.parse().ok()).expect("a column number");
    let source = std::fs::read_to_string(crate::seed_scenario()).unwrap();
    let lines: Vec<&str> = source.lines().collect();
    let original = lines[line - 1];
    assert!(
        original.contains("capability: (military:"),
        "line {line}: {original}"
    );
    assert!(
        original[col - 1..].starts_with(|c: char| c.is_ascii_digit()),
        "column {col} of `{original}` is not the value"
    );
    let owner = lines[..line]
        .iter()
        .rev()
        .find(|l| l.trim_start().starts_with("id: \""))
        .unwrap();
    assert_eq!(owner.trim(), "id: \"turkey\",");
    let shown = err
        .lines()
        .find(|l| l.starts_with(&format!("{line} |")))
        .unwrap_or_else(|| panic!("source line {line} not shown: {err}"));
    assert!(shown.contains("military: 7"), "{shown}");
    assert!(shown[line.to_string().len() + 2..].len() >= col);
    assert!(err.contains("capability.military"), "{err}");
    assert!(
        err.contains("for the scenario with actors.turkey.capability.military=7"),
        "{err}"
    );
}

#[test]
fn a_sweep_runs_every_grid_point() {
    let tmp = TempDir::new("a_sweep_runs_every_grid_point");
    let dir = tmp.join("sweep");
    ok(truce(&[
        "batch",
        SCENARIO,
        "--runs",
        "50",
        "--sweep",
        "model.lambda=10..30:10",
        "--set",
        "actors.turkey.capability.military=0.2",
        "--out",
        arg(&dir),
        "-q",
    ]));
    let summary = json(&dir.join("summary.json"));
    assert_eq!(summary["swept"], serde_json::json!(["model.lambda"]));
    assert_eq!(
        summary["sets"],
        serde_json::json!(["actors.turkey.capability.military=0.2"])
    );
    assert_eq!(summary["runs_per_point"], 50);
    assert_eq!(summary["runs_done"], 150);
    assert_eq!(summary["complete"], true);
    let points = summary["points"].as_array().expect("points");
    assert_eq!(points.len(), 3);
    let mut mean_end_days = vec![];
    for (p, want) in points.iter().zip([10.0, 20.0, 30.0]) {
        assert_eq!(p["settings"], serde_json::json!({ "model.lambda": want }));
        assert_eq!(p["runs"], 50);
        let ended: u64 = p["ends"]
            .as_object()
            .expect("ends")
            .values()
            .map(|e| number(&e["count"], "count"))
            .sum();
        assert_eq!(ended, 50);
        mean_end_days.push(p["end_day"]["mean"].as_f64().expect("mean end day"));
    }
    // λ changes what the parties accept, so each point tells a different story.
    assert!(
        mean_end_days[0] != mean_end_days[1]
            && mean_end_days[1] != mean_end_days[2]
            && mean_end_days[0] != mean_end_days[2],
        "{mean_end_days:?}"
    );

    let (header, rows) = csv(&dir);
    assert_eq!(rows.len(), 150);
    let lambda = column(&header, "model.lambda");
    for (k, row) in rows.iter().enumerate() {
        let want = ["10", "20", "30"][k / 50];
        assert_eq!(row[lambda], want, "row {k}");
        assert_eq!(row[column(&header, "run")], k.to_string());
    }
    for name in ["sweep.svg", "sweep.png"] {
        let bytes = read(&dir.join("plots").join(name));
        assert!(bytes.len() > 1000, "plots/{name} is {} bytes", bytes.len());
    }
    assert!(read(&dir.join("plots/sweep.svg")).starts_with(b"<svg"));
    assert!(read(&dir.join("plots/sweep.png")).starts_with(b"\x89PNG"));
}

#[test]
fn an_existing_batch_folder_is_not_overwritten() {
    let tmp = TempDir::new("an_existing_batch_folder_is_not_overwritten");
    let dir = tmp.join("batch");
    ok(truce(&[
        "batch",
        SCENARIO,
        "--runs",
        "100",
        "--max-turns",
        "40",
        "--out",
        arg(&dir),
        "-q",
    ]));
    let before = snapshot(&dir);
    assert!(before.contains_key("runs.csv") && before.contains_key("plots/end_day.png"));
    // Another seed and count: an overwrite would change every file.
    let out = truce(&[
        "batch",
        SCENARIO,
        "--runs",
        "50",
        "--seed",
        "2",
        "--out",
        arg(&dir),
        "-q",
    ]);
    let err = refused(&out);
    assert!(err.contains("already holds a batch"), "{err}");
    assert!(err.contains("--resume"), "{err}");
    let after = snapshot(&dir);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &before {
        assert!(after[name] == *bytes, "{name} was changed");
    }
}

#[test]
fn resume_refuses_a_changed_scenario() {
    let tmp = TempDir::new("resume_refuses_a_changed_scenario");
    let scenario = tmp.join("scenario.ron");
    std::fs::copy(crate::seed_scenario(), &scenario).unwrap();
    let dir = tmp.join("batch");
    ok(truce(&[
        "batch",
        arg(&scenario),
        "--runs",
        "50",
        "--max-turns",
        "20",
        "--out",
        arg(&dir),
        "-q",
    ]));
    let before = snapshot(&dir);

    // Resuming a finished batch of an unchanged file redoes nothing.
    ok(truce(&["batch", "--resume", arg(&dir), "-q"]));
    for name in DATA_FILES {
        assert!(read(&dir.join(name)) == before[name], "{name} changed");
    }

    let mut text = std::fs::read_to_string(&scenario).unwrap();
    text.push_str("// changed\n");
    std::fs::write(&scenario, text).unwrap();
    let err = refused(&truce(&["batch", "--resume", arg(&dir), "-q"]));
    assert!(err.contains("has changed since the batch started"), "{err}");
    assert!(err.contains(arg(&scenario)), "{err}");
    for name in DATA_FILES {
        assert!(read(&dir.join(name)) == before[name], "{name} changed");
    }
}

#[test]
fn runs_csv_has_one_row_per_run_with_the_documented_columns() {
    let tmp = TempDir::new("runs_csv_has_one_row_per_run_with_the_documented_columns");
    let dir = tmp.join("batch");
    let runs = 120;
    ok(truce(&[
        "batch",
        SCENARIO,
        "--runs",
        &runs.to_string(),
        "--seed",
        "7",
        "--out",
        arg(&dir),
        "-q",
    ]));
    let (header, rows) = csv(&dir);
    assert_eq!(&header[..2], ["run", "seed"]);
    let col = |name| column(&header, name);
    let (run, seed, end, end_day, broker) = (
        col("run"),
        col("seed"),
        col("end"),
        col("end_day"),
        col("durable_broker"),
    );
    let (dead, loser, guarantor_count) = (
        col("military_dead"),
        col("loser"),
        col("durable_guarantor_count"),
    );
    assert_eq!(rows.len(), runs);
    // sides.csv: a row per belligerent and run, in run order.
    let (side_header, sides) = table(&dir, "sides.csv");
    assert_eq!(
        strs(&side_header),
        ["run", "side", "military_dead", "control", "capitulated"]
    );
    assert_eq!(sides.len(), 2 * runs);
    // guarantors.csv: a row per guarantor of the durable agreement.
    let (g_header, guarantors) = table(&dir, "guarantors.csv");
    assert_eq!(strs(&g_header), ["run", "guarantor"]);
    let mut seeds = HashSet::new();
    let mut ends = HashSet::new();
    for (k, row) in rows.iter().enumerate() {
        assert_eq!(row[run], k.to_string(), "runs are in order");
        let s: u64 = row[seed].parse().expect("a seed is a number");
        assert!(seeds.insert(s), "seed {s} is used twice");
        let how = row[end].as_str();
        assert!(
            ["durable_agreement", "capitulation", "time_limit"].contains(&how),
            "run {k} ended by `{how}`"
        );
        ends.insert(how.to_string());
        let day: u32 = row[end_day].parse().expect("end_day is a number");
        assert!(day <= 120, "run {k} ended on day {day}, after max_turns");
        assert_eq!(
            how == "durable_agreement",
            !row[broker].is_empty(),
            "run {k}: a broker exactly when a durable agreement ended the run"
        );
        let dead: u64 = row[dead].parse().expect("military dead is a count");
        assert!(dead >= 430, "run {k}: fewer dead than before it began");
        let mine: Vec<&Vec<String>> = sides.iter().filter(|r| r[0] == k.to_string()).collect();
        assert_eq!(
            mine.iter().map(|r| r[1].as_str()).collect::<Vec<_>>(),
            ["armenia", "azerbaijan"]
        );
        let side_dead: u64 = mine.iter().map(|r| r[2].parse::<u64>().unwrap()).sum();
        assert!(
            side_dead.abs_diff(dead) <= 1,
            "run {k}: the sides' dead add up to {side_dead}, not {dead}"
        );
        let held: f64 = mine.iter().map(|r| r[3].parse::<f64>().unwrap()).sum();
        assert!(
            (held - 1.0).abs() < 1e-3,
            "run {k}: control adds up to {held}"
        );
        for r in &mine {
            assert_eq!(r[4] == "true", row[loser] == r[1], "run {k}: {r:?}");
        }
        let named = guarantors.iter().filter(|r| r[0] == k.to_string()).count();
        assert_eq!(row[guarantor_count], named.to_string(), "run {k}");
    }
    assert!(
        !guarantors.is_empty(),
        "no durable agreement had a guarantor"
    );
    assert!(ends.len() >= 2, "every run ended the same way: {ends:?}");
    assert_eq!(
        number(&json(&dir.join("state.json"))["done"], "done"),
        runs as u64
    );
}

#[test]
fn an_output_path_that_is_a_file_is_exit_2() {
    let tmp = TempDir::new("batch-out-file");
    let file = tmp.join("notes.txt");
    std::fs::write(&file, "keep me").unwrap();
    let out = truce(&["batch", SCENARIO, "--runs", "5", "-q", "--out", arg(&file)]);
    let err = refused(&out);
    assert!(err.contains("is a file, not a folder"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
    let inside = file.join("sub");
    let err = refused(&truce(&[
        "batch",
        SCENARIO,
        "--runs",
        "5",
        "-q",
        "--out",
        arg(&inside),
    ]));
    assert!(err.contains("cannot create the output folder"), "{err}");
}

#[test]
fn any_run_of_a_batch_replays_with_its_settings_and_a_seed_a_double_holds() {
    let dir = TempDir::new("replay-run");
    let out = dir.join("b");
    let done = truce(&[
        "batch",
        "scenarios/karabakh-2020.ron",
        "--runs",
        "12",
        "--set",
        "model.capture_rate=0.05",
        "--sweep",
        "model.lambda=20,40",
        "--out",
        out.to_str().unwrap(),
        "-q",
        "--no-plots",
    ]);
    assert!(done.status.success(), "{}", stderr(&done));
    let csv = std::fs::read_to_string(out.join("runs.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let seed: u64 = cells[col("seed")].parse().unwrap();
        assert!(seed < 1 << 53, "seed {seed} does not fit a double");
    }
    // Run 17: the second grid point (lambda 40), with the batch's --set.
    let row: Vec<&str> = csv.lines().nth(18).unwrap().split(',').collect();
    assert_eq!(row[col("run")], "17");
    assert_eq!(row[col("model.lambda")], "40");
    let replay = truce(&[
        "run",
        "--from-batch",
        out.to_str().unwrap(),
        "--run",
        "17",
        "--json",
    ]);
    assert!(replay.status.success(), "{}", stderr(&replay));
    let o: serde_json::Value = serde_json::from_str(&stdout(&replay)).unwrap();
    assert_eq!(o["seed"].to_string(), row[col("seed")]);
    assert_eq!(o["end"], row[col("end")]);
    assert_eq!(o["end_day"].to_string(), row[col("end_day")]);
    let sides = std::fs::read_to_string(out.join("sides.csv")).unwrap();
    let armenia = sides
        .lines()
        .find(|l| l.starts_with("17,armenia,"))
        .expect("run 17 has a row for armenia");
    assert_eq!(
        o["casualties"]["military"]["armenia"].to_string(),
        armenia.split(',').nth(2).unwrap()
    );
    // The counts at the end of the row are what the run's JSON lists.
    let count = |key: &str| o[key].as_array().unwrap().len().to_string();
    assert_eq!(row[col("captures")], count("captures"));
    assert_eq!(row[col("breaches")], count("breaches"));
    assert_eq!(row[col("declarations")], count("declarations"));
    let made: usize = o["agreements"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["handovers"].as_array().unwrap())
        .filter(|h| !h["day"].is_null())
        .count();
    assert_eq!(row[col("handovers")], made.to_string());
    // The seed scenario's trilateral statement hands ground over in some run.
    let handed: u64 = csv
        .lines()
        .skip(1)
        .map(|l| {
            l.split(',')
                .nth(col("handovers"))
                .unwrap()
                .parse::<u64>()
                .unwrap()
        })
        .sum();
    assert!(handed > 0, "no run of the batch handed any ground over");
    let summary = json(&out.join("summary.json"));
    let per_run = &summary["points"][0]["per_run"];
    assert!(per_run["captures"].as_f64().unwrap() > 0.0, "{per_run}");
    // The same seed without the batch's settings plays another war.
    let plain = truce(&[
        "run",
        "scenarios/karabakh-2020.ron",
        "--seed",
        row[col("seed")],
        "--json",
    ]);
    let p: serde_json::Value = serde_json::from_str(&stdout(&plain)).unwrap();
    assert_ne!(p["chronicle"], o["chronicle"]);
    let missing = truce(&["run", "--from-batch", out.to_str().unwrap(), "--run", "24"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("there is no run 24"));
    // A batch begun by a truce with other model constants is not replayed with these.
    let state = out.join("state.json");
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    v["manifest"]["model"] = Value::String("0123456789abcdef".into());
    std::fs::write(&state, v.to_string()).unwrap();
    let other = truce(&["run", "--from-batch", out.to_str().unwrap(), "--run", "3"]);
    assert_eq!(other.status.code(), Some(2));
    assert!(
        stderr(&other).contains("whose model constants differ"),
        "{}",
        stderr(&other)
    );
}

#[test]
fn a_batch_logs_plain_progress_lines_when_stderr_is_not_a_terminal() {
    let dir = TempDir::new("plain-progress");
    let run = |quiet: bool| {
        let out = dir.join(if quiet { "quiet" } else { "loud" });
        let mut args = vec![
            "batch",
            "scenarios/karabakh-2020.ron",
            "--runs",
            "600",
            "--out",
            out.to_str().unwrap(),
            "--no-plots",
        ];
        if quiet {
            args.push("-q");
        }
        let o = truce_command(&args)
            .env("TRUCE_PROGRESS_SECONDS", "0")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        stderr(&o)
    };
    let log = run(false);
    let lines: Vec<&str> = log
        .lines()
        .filter(|l| l.starts_with("progress: "))
        .collect();
    assert!(!lines.is_empty(), "no progress line in:\n{log}");
    assert!(lines[0].contains(" of 600 runs ("), "{}", lines[0]);
    assert!(lines[0].contains("runs/s"), "{}", lines[0]);
    assert!(
        !log.contains('\r') && !log.contains('\u{1b}'),
        "a bar was drawn: {log:?}"
    );
    assert!(!run(true).contains("progress: "));
}

#[test]
fn a_second_writer_is_refused_and_a_stale_lock_taken_over() {
    let tmp = TempDir::new("second-writer");
    let dir = tmp.join("b");
    let mut first = Running(
        truce_command(&[
            "batch",
            "scenarios/karabakh-2020.ron",
            "--runs",
            "8000",
            "--jobs",
            "1",
            "--out",
            arg(&dir),
            "-q",
            "--no-plots",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap(),
    );
    let lock = dir.join("writer.lock");
    // The lock is taken before the folder's state is first written: wait for both,
    // or a loaded machine lets the second writer (or the kill) fall in between.
    let state = dir.join("state.json");
    let started = Instant::now();
    while !(lock.exists() && state.exists()) && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(lock.exists(), "the first batch never took its lock");
    assert!(state.exists(), "the first batch never wrote its state");
    let second = truce(&["batch", "--resume", arg(&dir), "-q", "--no-plots"]);
    assert!(
        first.0.try_wait().unwrap().is_none(),
        "the first batch ended before the second writer tried: give it more runs"
    );
    assert_eq!(second.status.code(), Some(2), "{}", stderr(&second));
    assert!(stderr(&second).contains("is being written by another truce"));
    // Killed outright, the first writer leaves its lock behind: stale, taken over.
    first.0.kill().unwrap();
    first.0.wait().unwrap();
    assert!(lock.exists());
    ok(truce(&["batch", "--resume", arg(&dir), "-q", "--no-plots"]));
    assert!(!lock.exists(), "the lock outlived its batch");
    assert_eq!(json(&dir.join("summary.json"))["complete"], true);
}

/// SIGTERM, which Slurm and Kubernetes send at preemption and at time limits: the
/// batch checkpoints, exits with 143, and a resume ends with the very file an
/// uninterrupted batch writes.
#[cfg(unix)]
#[test]
fn a_batch_stopped_by_sigterm_resumes_to_the_same_runs_csv() {
    let tmp = TempDir::new("sigterm");
    let (whole, stopped) = (tmp.join("whole"), tmp.join("stopped"));
    let args = |dir: &Path, jobs: &str| {
        vec![
            "batch".to_string(),
            "scenarios/four-day-war-2016.ron".into(),
            "--runs".into(),
            "40000".into(),
            "--jobs".into(),
            jobs.into(),
            "--out".into(),
            arg(dir).into(),
            "-q".into(),
            "--no-plots".into(),
        ]
    };
    let mut child = Running(
        truce_command(&strs(&args(&stopped, "1")))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let state = stopped.join("state.json");
    let started = Instant::now();
    while !state.exists() && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(300));
    // The shell's own `kill`, which needs no procps.
    let kill = std::process::Command::new("sh")
        .args(["-c", &format!("kill -TERM {}", child.0.id())])
        .status()
        .expect("sh runs");
    assert!(kill.success());
    let status = child.0.wait().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(child.0.stderr.as_mut().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(143), "{err}");
    assert!(err.contains("stopped by SIGTERM after"), "{err}");
    assert_ne!(
        json(&state)["done"],
        json(&state)["end"],
        "stopped mid-batch"
    );
    assert!(
        !stopped.join("writer.lock").exists(),
        "the lock outlived the stop"
    );
    ok(truce(&[
        "batch",
        "--resume",
        arg(&stopped),
        "-q",
        "--no-plots",
    ]));
    ok(truce_command(&strs(&args(&whole, "2"))).output().unwrap());
    for name in ["runs.csv", "sides.csv", "guarantors.csv"] {
        assert_same_file(&whole, &stopped, name);
    }
}

/// `--or-resume`: the same command starts a batch, resumes it after a stop, does
/// nothing more once it is done, and refuses a folder that holds another batch.
#[cfg(unix)]
#[test]
fn or_resume_starts_a_batch_resumes_it_and_refuses_another() {
    let tmp = TempDir::new("or-resume");
    let (dir, whole) = (tmp.join("b"), tmp.join("whole"));
    let cmd = |out: &Path, runs: &str, extra: &[&str]| {
        let mut a = vec![
            "batch",
            "scenarios/four-day-war-2016.ron",
            "--runs",
            runs,
            "--jobs",
            "1",
            "--out",
            arg(out),
            "-q",
            "--no-plots",
        ];
        a.extend_from_slice(extra);
        a.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let retry = cmd(&dir, "40000", &["--or-resume"]);
    let mut first = Running(
        truce_command(&strs(&retry))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let state = dir.join("state.json");
    let started = Instant::now();
    while !state.exists() && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(300));
    let kill = std::process::Command::new("sh")
        .args(["-c", &format!("kill -TERM {}", first.0.id())])
        .status()
        .unwrap();
    assert!(kill.success());
    assert_eq!(first.0.wait().unwrap().code(), Some(143));
    // The retry, the same command, resumes and ends as one uninterrupted batch.
    ok(truce(&strs(&retry)));
    ok(truce(&strs(&cmd(&whole, "40000", &[]))));
    assert_same_file(&whole, &dir, "runs.csv");
    assert_same_file(&whole, &dir, "summary.json");
    // Once more: already done, nothing changes.
    ok(truce(&strs(&retry)));
    assert_same_file(&whole, &dir, "runs.csv");
    // Another batch in the same folder is refused.
    let other = truce(&strs(&cmd(&dir, "700", &["--or-resume"])));
    assert_eq!(other.status.code(), Some(2));
    assert!(
        stderr(&other).contains("holds another batch"),
        "{}",
        stderr(&other)
    );
}
