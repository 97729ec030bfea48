//! Rapport's end-to-end scenarios: each runs the real app (built with `--features test-clock`)
//! through tauri-driver, in a fresh app with a fresh data folder.
//!
//! Run them with `scripts/test.sh`, or by hand (no display needed with xvfb-run):
//!
//! ```text
//! cargo build -p rapport --features test-clock
//! xvfb-run -a dbus-run-session -- cargo test -p rapport-e2e --test e2e [-- NAME_FILTER…]
//! ```
//!
//! To add a scenario: write `pub async fn name(ctx: Ctx) -> Result` in the module of its domain
//! (one file per domain; shared steps are in `common`), and list it in [`SCENARIOS`].
//! Use the `data-testid`s of docs/dev/ui-contract.md; take a screenshot of each new screen.

mod common;
mod customers;
mod feedback;
mod foundation;
mod hostile;
mod insight;
mod interactions;
mod reminders;
mod review;
mod safety;

use customers::{
    customers_change_approval, customers_import_bad_rows, customers_list_tools, customers_search,
};
use feedback::{feedback_complaint_to_closed, feedback_delay_explanation};
use foundation::{foundation_first_run, restart_keeps_data};
use hostile::hostile_input_verbatim;
use insight::{insight_dashboard, insight_survey_import, insight_survey_record};
use interactions::{interactions_file_picker, interactions_seed_visit, interactions_settings};
use rapport_e2e::{Config, Scenario, run_all, scenario};
use reminders::{reminder_fires_once, reminders_catch_up, reminders_plans_page};
use review::customers_quarter_review;
use safety::{safety_damage_while_running, safety_kill_during_writes, safety_recovery};
use std::path::Path;

/// Every scenario, run in this order.
const SCENARIOS: &[Scenario] = &[
    scenario!(foundation_first_run),
    scenario!(restart_keeps_data),
    scenario!(reminder_fires_once),
    scenario!(reminders_plans_page),
    scenario!(reminders_catch_up),
    scenario!(customers_change_approval),
    scenario!(customers_import_bad_rows),
    scenario!(customers_search),
    scenario!(customers_list_tools),
    scenario!(customers_quarter_review),
    scenario!(interactions_seed_visit),
    scenario!(interactions_settings),
    scenario!(interactions_file_picker),
    scenario!(feedback_complaint_to_closed),
    scenario!(feedback_delay_explanation),
    scenario!(insight_dashboard),
    scenario!(insight_survey_record),
    scenario!(insight_survey_import),
    scenario!(hostile_input_verbatim),
    scenario!(safety_recovery),
    scenario!(safety_damage_while_running),
    scenario!(safety_kill_during_writes),
];

fn main() {
    // Filters: any argument that is not an option (cargo passes options such as --nocapture).
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    // Integration tests get CARGO_TARGET_TMPDIR = <target>/tmp; the target folder is its parent.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap_or(Path::new("target"));
    let config = Config::from_target_dir(target);
    if !run_all(config, SCENARIOS, &filters) {
        std::process::exit(1);
    }
}
