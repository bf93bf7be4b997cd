//! docs/batch.md's Slurm job array on a real single-node Slurm, brought up by the test
//! as root: munged, slurmctld and slurmd with a minimal slurm.conf in a temporary
//! folder, all stopped at the end. Two tasks are stopped with TERM, as at a time limit;
//! one is finished by `scontrol requeue`, the other by submitting the script again, and
//! the merge runs in a job that waits with `afterany`: its files must be those the same
//! batch writes on one machine. `.ci/run` installs Debian's slurm-wlm and munge;
//! elsewhere a machine without them (or not root) skips the test, and says so.
#![cfg(target_os = "linux")]

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::*;

const TEST: &str = "a_slurm_job_array_with_a_stopped_task_merges_to_the_one_machine_batch";
/// Array tasks, and runs in all: tasks long enough (seconds each) to be caught running.
const TASKS: u64 = 4;
const RUNS: u64 = 40000;
/// The tasks stopped with TERM: one retried by `scontrol requeue`, one by submitting
/// the script again.
const REQUEUED: u64 = 0;
const RESUBMITTED: u64 = 1;
/// What the test runs, found on PATH or in the sbin folders.
const PROGRAMS: [&str; 7] = [
    "munged",
    "slurmctld",
    "slurmd",
    "sbatch",
    "scontrol",
    "scancel",
    "squeue",
];
/// The longest wait for any one step: other tests may share the CPUs.
const PATIENCE: Duration = Duration::from_secs(300);

fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Outside CI, says why the test does not run; under CI (where .ci/run installs Slurm)
/// fails instead.
fn skip(why: &str) {
    assert!(
        !ci(),
        "CI is set but Slurm cannot run: {why}\nInstall slurm-wlm and munge and run as \
         root (as .ci/run does), or set TRUCE_SKIP_SLURM_TEST=1 to skip this test"
    );
    eprintln!(
        "SKIPPED {TEST}: {why}. To run it: as root, install slurm-wlm and munge \
         (Debian/Ubuntu), as .ci/run does"
    );
}

fn program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin", "/usr/local/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|s| {
        s.lines().any(|l| {
            l.strip_prefix("Uid:")
                .and_then(|ids| ids.split_whitespace().nth(1))
                == Some("0")
        })
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free local port")
        .port()
}

fn text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The last `n` lines of a file, for a failure message.
fn tail(path: &Path, n: usize) -> String {
    let all = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = all.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Polls `check` every 50 ms until it gives a value; fails after `PATIENCE`.
#[track_caller]
fn wait_for<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(v) = check() {
            return v;
        }
        assert!(
            started.elapsed() < PATIENCE,
            "timed out after {PATIENCE:?} waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `KEY=value` from a line of `scontrol show job -o`.
fn field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    line.split_whitespace()
        .find_map(|f| f.strip_prefix(key)?.strip_prefix('='))
}

/// Sends `signal` with the shell's own `kill`.
fn signal(pid: u32, signal: &str) {
    let _ = Command::new("sh")
        .args(["-c", &format!("kill -{signal} {pid} 2>/dev/null")])
        .status();
}

/// A private single-node cluster: everything it started is stopped when it is dropped,
/// and its logs are shown if the test fails.
struct Slurm {
    dir: PathBuf,
    conf: PathBuf,
    /// The job folder: jobs run there, and write their logs there.
    work: PathBuf,
    /// munged, slurmctld and slurmd, in the order they started.
    daemons: Vec<(&'static str, Child)>,
    jobs: Vec<String>,
}

impl Slurm {
    /// Starts munged, slurmctld and slurmd; `Err` says why they could not start.
    fn start(tmp: &TempDir) -> Result<Slurm, String> {
        let dir = tmp.join("slurm");
        let work = tmp.join("work");
        for d in ["munge", "state", "spool"] {
            std::fs::create_dir_all(dir.join(d)).unwrap();
        }
        std::fs::create_dir_all(&work).unwrap();
        let mut slurm = Slurm {
            conf: dir.join("slurm.conf"),
            dir,
            work,
            daemons: vec![],
            jobs: vec![],
        };
        let munge = slurm.dir.join("munge");
        // A key of our own, and munged on a socket of our own.
        let mut key = vec![0; 128];
        std::fs::File::open("/dev/urandom")
            .and_then(|mut f| f.read_exact(&mut key))
            .unwrap();
        {
            use std::io::Write;
            use std::os::unix::fs::OpenOptionsExt;
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(munge.join("munge.key"))
                .and_then(|mut f| f.write_all(&key))
                .unwrap();
        }
        let socket = munge.join("munge.socket");
        let mut munged = slurm.command("munged");
        munged.args(["--foreground", "--force"]).args([
            format!("--key-file={}", munge.join("munge.key").display()),
            format!("--socket={}", socket.display()),
            format!("--pid-file={}", munge.join("munged.pid").display()),
            format!("--seed-file={}", munge.join("munged.seed").display()),
        ]);
        slurm.spawn("munged", munged)?;
        slurm.wait_until("munged to open its socket", Duration::from_secs(20), |_| {
            socket.exists()
        })?;

        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map_err(|e| format!("cannot read the host name: {e}"))?;
        let host = host
            .trim()
            .split('.')
            .next()
            .unwrap_or_default()
            .to_string();
        let d = slurm.dir.display();
        let conf = format!(
            "# A single-node cluster for the test, as root, without cgroups or accounting.
ClusterName=truce
SlurmctldHost={host}
SlurmctldPort={ctld_port}
SlurmdPort={d_port}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={socket}
StateSaveLocation={d}/state
SlurmdSpoolDir={d}/spool
SlurmctldPidFile={d}/slurmctld.pid
SlurmdPidFile={d}/slurmd.pid
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
MailProg=/bin/true
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmdParameters=config_overrides
NodeName={host} CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
",
            ctld_port = free_port(),
            d_port = free_port(),
            socket = socket.display(),
        );
        std::fs::write(&slurm.conf, conf).unwrap();
        let conf = slurm.conf.to_str().unwrap().to_string();
        for daemon in ["slurmctld", "slurmd"] {
            let mut cmd = slurm.command(daemon);
            cmd.args(["-D", "-f", &conf]);
            slurm.spawn(daemon, cmd)?;
        }
        let node = format!("node {host} to be idle");
        slurm.wait_until(&node, Duration::from_secs(60), |s| {
            s.command("scontrol")
                .args(["show", "node", "-o", &host])
                .output()
                .is_ok_and(|o| stdout(&o).contains("State=IDLE"))
        })?;
        Ok(slurm)
    }

    /// A Slurm program that talks to this cluster, run in the job folder, and free of
    /// any Slurm settings of the job or shell that runs the test.
    fn command(&self, name: &str) -> Command {
        let mut cmd = Command::new(program(name).expect("checked before"));
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy();
            if ["SLURM_", "SBATCH_", "SQUEUE_", "SCONTROL_", "SCANCEL_"]
                .iter()
                .any(|p| key.starts_with(p))
            {
                cmd.env_remove(&*key);
            }
        }
        cmd.env("SLURM_CONF", &self.conf).current_dir(&self.work);
        cmd
    }

    fn spawn(&mut self, name: &'static str, mut cmd: Command) -> Result<(), String> {
        let log = std::fs::File::create(self.dir.join(format!("{name}.log"))).unwrap();
        let child = cmd
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("{name} does not start: {e}"))?;
        self.daemons.push((name, child));
        Ok(())
    }

    /// Polls `ready` until it holds, while every daemon still runs.
    fn wait_until(
        &mut self,
        what: &str,
        limit: Duration,
        mut ready: impl FnMut(&Slurm) -> bool,
    ) -> Result<(), String> {
        let started = Instant::now();
        loop {
            let ended = self
                .daemons
                .iter_mut()
                .find_map(|(name, child)| Some((*name, child.try_wait().ok()??)));
            if let Some((name, status)) = ended {
                return Err(format!(
                    "{name} ended ({status}) while waiting for {what}\n{}",
                    self.logs()
                ));
            }
            if ready(self) {
                return Ok(());
            }
            if started.elapsed() > limit {
                return Err(format!(
                    "timed out after {limit:?} waiting for {what}\n{}",
                    self.logs()
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Runs a Slurm program, which must succeed; returns its stdout.
    #[track_caller]
    fn run(&self, name: &str, args: &[&str]) -> String {
        let out = self
            .command(name)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{name} does not run: {e}"));
        assert!(
            out.status.success(),
            "{name} {args:?}: {}\n{}{}",
            out.status,
            stdout(&out),
            stderr(&out)
        );
        stdout(&out)
    }

    /// Submits a batch job; returns its id. Its runs print a progress line every
    /// second rather than ten, to show one in a short task's log.
    #[track_caller]
    fn sbatch(&mut self, args: &[&str]) -> String {
        let out = self
            .command("sbatch")
            .env("TRUCE_PROGRESS_SECONDS", "1")
            .arg("--parsable")
            .args(args)
            .output()
            .expect("sbatch runs");
        assert!(out.status.success(), "sbatch {args:?}: {}", stderr(&out));
        let id = stdout(&out)
            .trim()
            .split(';')
            .next()
            .unwrap_or_default()
            .to_string();
        assert!(!id.is_empty(), "sbatch printed no job id: {}", stdout(&out));
        self.jobs.push(id.clone());
        id
    }

    /// `scontrol show job -o ID`: one line a job (an array gives one a task).
    fn job(&self, id: &str) -> String {
        self.run("scontrol", &["show", "job", "-o", id])
    }

    /// Waits until job `id` has ended; returns its `scontrol show job` line.
    #[track_caller]
    fn wait_until_ended(&self, id: &str) -> String {
        wait_for(&format!("job {id} to end"), || {
            let line = self.job(id);
            let state = field(&line, "JobState").unwrap_or_default();
            let ended = [
                "COMPLETED",
                "FAILED",
                "CANCELLED",
                "TIMEOUT",
                "OUT_OF_MEMORY",
            ]
            .contains(&state)
                && !line.contains("COMPLETING");
            ended.then_some(line)
        })
    }

    /// The tails of the daemons' logs and of the jobs' logs.
    fn logs(&self) -> String {
        let mut files: Vec<PathBuf> = ["munged", "slurmctld", "slurmd"]
            .iter()
            .map(|n| self.dir.join(format!("{n}.log")))
            .collect();
        if let Ok(entries) = std::fs::read_dir(&self.work) {
            let mut outs: Vec<PathBuf> = entries
                .filter_map(|e| Some(e.ok()?.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "out"))
                .collect();
            outs.sort();
            files.extend(outs);
        }
        files
            .iter()
            .filter(|f| f.exists())
            .map(|f| format!("--- {} (last lines)\n{}\n", f.display(), tail(f, 40)))
            .collect()
    }

    /// Processes that carry this cluster's SLURM_CONF (slurmstepd, jobs), but this one.
    fn stragglers(&self) -> Vec<u32> {
        let mark = format!("SLURM_CONF={}", self.conf.display());
        let me = std::process::id();
        std::fs::read_dir("/proc")
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
                    .filter(|&pid| pid != me)
                    .filter(|pid| {
                        std::fs::read(format!("/proc/{pid}/environ"))
                            .is_ok_and(|env| env.split(|&b| b == 0).any(|v| v == mark.as_bytes()))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Drop for Slurm {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("{}", self.logs());
        }
        // The jobs first, while slurmctld can still cancel them.
        if !self.jobs.is_empty() {
            let _ = self.command("scancel").args(&self.jobs).output();
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(20)
                && self
                    .command("squeue")
                    .arg("-h")
                    .output()
                    .is_ok_and(|o| o.status.success() && !stdout(&o).trim().is_empty())
            {
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        // Then slurmd, slurmctld and last munged, which the others need to the end.
        for (name, child) in self.daemons.iter_mut().rev() {
            if child.try_wait().ok().flatten().is_none() {
                signal(child.id(), "TERM");
                let started = Instant::now();
                while child.try_wait().ok().flatten().is_none()
                    && started.elapsed() < Duration::from_secs(10)
                {
                    std::thread::sleep(Duration::from_millis(50));
                }
                if child.try_wait().ok().flatten().is_none() {
                    eprintln!("{name} did not stop on TERM: killed");
                    let _ = child.kill();
                    let _ = child.wait();
                }
            }
        }
        // Whatever slurmd left behind (a slurmstepd, a job's process).
        for pid in self.stragglers() {
            eprintln!("killing process {pid}, left by the test's Slurm");
            signal(pid, "KILL");
        }
    }
}

#[test]
fn a_slurm_job_array_with_a_stopped_task_merges_to_the_one_machine_batch() {
    if std::env::var_os("TRUCE_SKIP_SLURM_TEST").is_some() {
        eprintln!("TRUCE_SKIP_SLURM_TEST is set: the Slurm job array is not tested");
        return;
    }
    let missing: Vec<&str> = PROGRAMS
        .into_iter()
        .filter(|p| program(p).is_none())
        .collect();
    if !missing.is_empty() {
        return skip(&format!("{} not installed", missing.join(", ")));
    }
    if !is_root() {
        return skip("the test starts slurmctld and slurmd as root, and this is not root");
    }
    let started = Instant::now();
    let tmp = TempDir::new("slurm");
    let mut slurm = match Slurm::start(&tmp) {
        Ok(slurm) => slurm,
        Err(why) => return skip(&format!("Slurm does not start here: {why}")),
    };
    eprintln!(
        "{TEST}: Slurm up in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let work = slurm.work.clone();
    std::fs::create_dir_all(work.join("scenarios")).unwrap();
    std::fs::copy(seed_scenario(), work.join("scenarios/karabakh-2020.ron")).unwrap();

    // docs/batch.md's script, with this build's truce and smaller sizes.
    let bin = env!("CARGO_BIN_EXE_truce");
    let script = format!(
        r#"#!/bin/bash
#SBATCH --job-name=truce
#SBATCH --array=0-{last}
#SBATCH --cpus-per-task=1
#SBATCH --time=00:30:00
#SBATCH --requeue
#SBATCH --signal=B:TERM@60
# exec: truce itself receives the TERM sent 60 s before the time limit (or at
# preemption), checkpoints and exits with 143; the same command resumes it.
exec "{bin}" batch scenarios/karabakh-2020.ron --runs {RUNS} --seed 7 \
    --jobs "$SLURM_CPUS_PER_TASK" --no-plots --or-resume \
    --shard "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT" \
    --out "results/shard-$SLURM_ARRAY_TASK_ID"
"#,
        last = TASKS - 1
    );
    std::fs::write(work.join("truce-array.sh"), script).unwrap();
    let array = slurm.sbatch(&["truce-array.sh"]);

    // TERM to the first two tasks once each has checkpointed some runs and logged a
    // progress line (a task can checkpoint within the first second, before its first
    // line is due), as Slurm sends at a time limit: `--batch`, since without it
    // scancel signals only job steps, and the script runs none.
    let shard = |i: u64| Shard::new(&work, &array, i);
    let stopped = [shard(REQUEUED), shard(RESUBMITTED)];
    for s in &stopped {
        let (_, done, end) = wait_for(&format!("task {} to checkpoint some runs", s.task), || {
            s.counts()
                .filter(|&(start, done, _)| done > start && s.log().contains("progress: "))
        });
        assert!(
            done < end,
            "task {} ended before the TERM: make RUNS bigger",
            s.task
        );
    }
    // While other tasks of the array are pending, Slurm 22.05 delivers the signal yet
    // answers "Job is in transitional state"; scancel retries, then fails as the task
    // has ended. What counts is how the task ended, checked below.
    let cancels: Vec<Child> = stopped
        .iter()
        .map(|s| {
            slurm
                .command("scancel")
                .args(["--batch", "--signal=TERM", &s.task])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("scancel runs")
        })
        .collect();
    let cancels: Vec<String> = cancels
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().unwrap();
            format!("scancel: {}\n{}", out.status, stderr(&out))
        })
        .collect();
    let mut left = vec![];
    for (s, cancel) in stopped.iter().zip(&cancels) {
        let line = slurm.wait_until_ended(&s.task);
        let log = s.log();
        let why = format!("{line}\n{log}\n{cancel}");
        assert_eq!(field(&line, "JobState"), Some("FAILED"), "{why}");
        assert_eq!(field(&line, "ExitCode"), Some("143:0"), "{why}");
        assert!(log.contains("stopped by SIGTERM after"), "{why}");
        assert!(log.contains("progress: "), "no progress line: {why}");
        let (start, done, end) = s.counts().expect("the stopped task's checkpoint");
        assert!(
            start < done && done < end,
            "checkpoint {done} outside {start}..{end}"
        );
        eprintln!(
            "{TEST}: task {} stopped by TERM, exit 143, at run {done} of {start}..{end}",
            s.task
        );
        left.push(end - done);
    }
    // The other tasks run to the end.
    for i in (0..TASKS).filter(|i| ![REQUEUED, RESUBMITTED].contains(i)) {
        let line = slurm.wait_until_ended(&format!("{array}_{i}"));
        assert_eq!(field(&line, "JobState"), Some("COMPLETED"), "{line}");
    }

    // One retry: requeued, the task starts again at once rather than after Slurm's
    // two minutes for a requeued job; --or-resume plays only the runs left.
    let requeued = &stopped[0];
    slurm.run("scontrol", &["requeue", &requeued.task]);
    let job = format!("JobId={}", requeued.task);
    slurm.run("scontrol", &["update", &job, "StartTime=now"]);
    let line = slurm.wait_until_ended(&requeued.task);
    let log = requeued.log();
    assert_eq!(field(&line, "JobState"), Some("COMPLETED"), "{line}\n{log}");
    assert_eq!(field(&line, "Restarts"), Some("1"), "{line}");
    assert!(
        log.contains(&format!("\n{} runs in ", left[0])),
        "the requeued task did not play just the {} runs left: {log}",
        left[0]
    );
    eprintln!(
        "{TEST}: task {} requeued, resumed, done at {:.1} s",
        requeued.task,
        started.elapsed().as_secs_f64()
    );

    // The other: the whole script submitted again. The finished shards end at once,
    // the stopped one resumes; the merge job waits for that array with afterany.
    let again = slurm.sbatch(&["truce-array.sh"]);
    let merge = slurm.sbatch(&[
        "--job-name=truce-merge",
        &format!("--dependency=afterany:{again}"),
        "--wrap",
        &format!("exec \"{bin}\" merge results/shard-* --out results/all"),
    ]);
    let merged = slurm.wait_until_ended(&merge);
    let merge_log = text(&work.join(format!("slurm-{merge}.out")));
    assert_eq!(
        field(&merged, "JobState"),
        Some("COMPLETED"),
        "{merged}\n{merge_log}"
    );
    for i in 0..TASKS {
        let retry = Shard::new(&work, &again, i);
        let line = slurm.job(&retry.task);
        assert_eq!(field(&line, "JobState"), Some("COMPLETED"), "{line}");
        let ran = if i == RESUBMITTED { left[1] } else { 0 };
        let log = retry.log();
        assert!(
            log.contains(&format!("\n{ran} runs in ")),
            "task {} did not play just the {ran} runs left: {log}",
            retry.task
        );
        let (start, done, end) = retry.counts().expect("a shard's state");
        assert!(
            start < end && done == end,
            "shard {i}: {start}..{end} at {done}"
        );
    }
    eprintln!(
        "{TEST}: resubmitted array and merge done at {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // The same batch on one machine, from the same folder (state.json keeps the
    // scenario's path).
    let whole = tmp.join("whole");
    let runs = RUNS.to_string();
    let out = truce_command(&[
        "batch",
        "scenarios/karabakh-2020.ron",
        "--runs",
        &runs,
        "--seed",
        "7",
        "--out",
        whole.to_str().unwrap(),
        "-q",
        "--no-plots",
    ])
    .current_dir(&work)
    .output()
    .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // Every file it writes (runs.csv and the other tables, summary.json, state.json),
    // byte for byte.
    let mut names: Vec<String> = std::fs::read_dir(&whole)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    assert!(names.iter().any(|n| n == "runs.csv"), "{names:?}");
    for name in &names {
        let (a, b) = (
            std::fs::read(work.join("results/all").join(name)).unwrap_or_default(),
            std::fs::read(whole.join(name)).unwrap(),
        );
        assert!(
            a == b,
            "the merged {name} ({} bytes) is not the one-machine {name} ({} bytes)",
            a.len(),
            b.len()
        );
    }
    eprintln!(
        "{TEST}: the merged {names:?} are the one-machine ones; {:.1} s in all",
        started.elapsed().as_secs_f64()
    );
}

/// One task of an array job: its id, its shard's folder and its log.
struct Shard {
    task: String,
    state: PathBuf,
    log: PathBuf,
}

impl Shard {
    fn new(work: &Path, array: &str, i: u64) -> Shard {
        Shard {
            task: format!("{array}_{i}"),
            state: work.join(format!("results/shard-{i}/state.json")),
            log: work.join(format!("slurm-{array}_{i}.out")),
        }
    }

    /// `start`, `done` and `end` from the shard's last checkpoint.
    fn counts(&self) -> Option<(u64, u64, u64)> {
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&self.state).ok()?).ok()?;
        Some((
            v["start"].as_u64()?,
            v["done"].as_u64()?,
            v["end"].as_u64()?,
        ))
    }

    fn log(&self) -> String {
        text(&self.log)
    }
}
