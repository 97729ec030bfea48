//! `demo --size small|large [--seed N]`: generated data for trying the app and for benchmarks.

use crate::common::msg;
use rapport_core::{db, demo, team};
use std::path::Path;

/// Arguments of `demo`.
#[derive(clap::Args)]
pub struct Args {
    /// small (about 200 customers) or large (100k customers, 1M interactions, 200k feedback).
    #[arg(long, default_value = "small")]
    size: String,
    /// The same seed gives the same data.
    #[arg(long, default_value_t = demo::APP_SEED)]
    seed: u64,
    /// Password of the admin created when the folder has no team yet.
    #[arg(long, default_value = "rapport-demo")]
    admin_password: String,
}

/// Generate into the data folder (created, with a team, when it does not exist yet).
pub fn run(dir: &Path, a: Args) -> Result<(), String> {
    let size = demo::Size::parse(&a.size).map_err(msg)?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut conn = db::open(&dir.join(db::DB_FILE)).map_err(msg)?;
    let now = chrono::Utc::now();
    if !team::status(&conn).map_err(msg)?.setup_done {
        team::setup(
            &mut conn,
            now,
            &team::SetupInput {
                company_name: "演示科技有限公司".into(),
                admin_username: "admin".into(),
                admin_display_name: "管理员".into(),
                admin_password: a.admin_password.clone(),
                time_zone: "Asia/Shanghai".into(),
                locale: "zh-CN".into(),
                lunch_break: true,
            },
        )
        .map_err(msg)?;
        println!("set up a team; log in as admin / {}", a.admin_password);
    }
    let started = std::time::Instant::now();
    let mut last = 0;
    let report = demo::generate(&mut conn, now, size, a.seed, &mut |done, total| {
        if done * 10 / total > last {
            last = done * 10 / total;
            eprintln!("… {done}/{total} customers");
        }
    })
    .map_err(msg)?;
    println!(
        "{}",
        serde_json::to_string(&report).map_err(|e| e.to_string())?
    );
    eprintln!("generated in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}
