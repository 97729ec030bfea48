//! An empty Tauri window: a blank page, no commands, no state, no tray, built from the same
//! Tauri (version and features) as Rapport. It exists only as the baseline that
//! `scripts/measure-app.sh` compares Rapport's start-up time and memory with.
//!
//! `cargo build --release -p rapport --example empty_window`

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!(
            "examples/empty-window/tauri.conf.json"
        ))
        .expect("the empty window failed to start");
}
