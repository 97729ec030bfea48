//! Rapport's desktop entry point. All the wiring lives in the library (`rapport_app`) so tests
//! can build the same app on Tauri's mock runtime.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    if let Err(message) = rapport_app::run() {
        eprintln!("Rapport could not start: {message}");
        std::process::exit(1);
    }
}
