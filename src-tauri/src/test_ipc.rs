//! Test support: call a command through Tauri's IPC on the mock runtime, exactly as the UI's
//! `invoke` does (argument parsing, state, error payloads), without a display.

use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets,
};
use tauri::webview::InvokeRequest;

/// The app on the mock runtime with its main window, on a fresh data folder whose team is set
/// up (admin / admin-pass-1, logged in). Fields drop in order: the app before its folder.
pub struct TestApp {
    /// The app, with every command registered as in production (kept alive for `w`).
    pub _app: tauri::App<MockRuntime>,
    /// The window commands are invoked from.
    pub w: tauri::WebviewWindow<MockRuntime>,
    /// What `setup_team` answered (the admin's session).
    pub admin: Value,
    /// The data folder (deleted when the test ends).
    pub dir: tempfile::TempDir,
}

impl TestApp {
    /// A fresh data folder, the app on it, and the first-run setup done.
    pub fn with_team() -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let state = crate::open_state(dir.path()).unwrap();
        let app = crate::build_app(mock_builder(), state)
            .build(mock_context(noop_assets()))
            .unwrap();
        let w = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        let setup = json!({"input": {"company_name": "测试公司", "admin_username": "admin",
            "admin_display_name": "管理员", "admin_password": "admin-pass-1"}});
        let admin = invoke(&w, "setup_team", setup).unwrap();
        TestApp {
            _app: app,
            w,
            admin,
            dir,
        }
    }
}

/// Invoke `cmd` with the JSON `body`; `Ok(answer)` or `Err(error payload)`.
pub fn invoke(
    w: &tauri::WebviewWindow<MockRuntime>,
    cmd: &str,
    body: Value,
) -> Result<Value, Value> {
    get_ipc_response(
        w,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(body),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|b| b.deserialize::<Value>().unwrap())
}
