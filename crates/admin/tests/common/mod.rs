//! Shared helpers of the CLI tests: run the real binary against real data folders.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// The binary under test.
pub fn admin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rapport-admin"));
    c.env_remove("RAPPORT_DATA_DIR");
    c
}

/// Run with `--data-dir dir` and the arguments.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    admin()
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

/// Stdout as text.
pub fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Stderr as text.
pub fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A data folder holding the small demo set, made through the CLI itself.
pub fn demo_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["demo", "--size", "small", "--seed", "3"]);
    assert!(o.status.success(), "{}", err(&o));
    dir
}
