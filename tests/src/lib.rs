//! Harness for Rapport's end-to-end tests.
//!
//! It starts `tauri-driver` (WebDriver on port 4444 or `$RAPPORT_E2E_PORT`, WebKitWebDriver on the
//! next port), opens one
//! app session per scenario with a fresh, throw-away data folder, and offers small helpers keyed
//! on the UI's `data-testid`s (docs/dev/ui-contract.md): find, click, type, select, wait-for,
//! read text, screenshot, quit. [`run_all`] runs the scenarios one after the other, screenshots
//! a failure, and prints `e2e: N passed, M failed` on a line of its own (CI reads it).
//!
//! Linux only (tauri-driver needs WebKitWebDriver); run under `xvfb-run -a` when there is no
//! display.

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use std::fmt;
use std::future::Future;
use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Port tauri-driver listens on unless `$RAPPORT_E2E_PORT` names another (so that two runs, e.g.
/// of two developers' worktrees, can share a machine); the native WebKitWebDriver takes the next.
pub const DEFAULT_DRIVER_PORT: u16 = 4444;

/// The port tauri-driver listens on for this run.
pub fn driver_port() -> u16 {
    std::env::var("RAPPORT_E2E_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(DEFAULT_DRIVER_PORT)
}

/// The port of the native WebKitWebDriver that tauri-driver starts and forwards to.
pub fn native_port() -> u16 {
    driver_port() + 1
}
/// How long a wait polls before it fails (CI machines are slow; a healthy step takes < 1 s).
pub const WAIT_TIMEOUT: Duration = Duration::from_secs(20);
/// How long one scenario may take in all.
pub const SCENARIO_TIMEOUT: Duration = Duration::from_secs(300);
const POLL: Duration = Duration::from_millis(100);
/// How many times [`App::type_into`] types a text whose keys the window partly dropped.
const TYPING_ATTEMPTS: u32 = 3;

// ---------------------------------------------------------------------------------------------
// Errors

/// Why a step failed: a message meant for a human reading the CI log.
#[derive(Debug)]
pub struct Failure(pub String);

/// Result of a harness step or a scenario.
pub type Result<T = ()> = std::result::Result<T, Failure>;

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failure {}

impl From<String> for Failure {
    fn from(s: String) -> Self {
        Failure(s)
    }
}

impl From<&str> for Failure {
    fn from(s: &str) -> Self {
        Failure(s.to_string())
    }
}

impl From<fantoccini::error::CmdError> for Failure {
    fn from(e: fantoccini::error::CmdError) -> Self {
        Failure(format!("WebDriver command failed: {e}"))
    }
}

impl From<fantoccini::error::NewSessionError> for Failure {
    fn from(e: fantoccini::error::NewSessionError) -> Self {
        Failure(format!(
            "could not start an app session through tauri-driver: {e}"
        ))
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure(format!("I/O error: {e}"))
    }
}

/// Fail the scenario with a message unless `cond` holds.
pub fn ensure(cond: bool, message: impl Into<String>) -> Result {
    if cond {
        Ok(())
    } else {
        Err(Failure(message.into()))
    }
}

// ---------------------------------------------------------------------------------------------
// Configuration

/// Where things are: the app binary, the output folders.
#[derive(Clone, Debug)]
pub struct Config {
    /// The Rapport binary under test.
    pub app_binary: PathBuf,
    /// Screenshots go here as `<scenario>-<step>.png`.
    pub screenshots: PathBuf,
    /// Per-scenario data folders are created here (removed again when the scenario passes).
    pub data_root: PathBuf,
    /// tauri-driver's (and through it the app's) output.
    pub log_file: PathBuf,
    /// The app's XDG data/config/cache homes (emptied before each scenario): the webview keeps
    /// its localStorage and caches under the per-user app folder whatever `--data-dir` says, so
    /// without this, scenarios would see each other's (and the developer's) UI preferences.
    pub xdg_root: PathBuf,
    /// A private copy of the zh_CN.UTF-8 locale (made with `localedef`, used through `LOCPATH`).
    pub locale_dir: PathBuf,
}

impl Config {
    /// Defaults relative to cargo's target folder: `target/debug/rapport` (or `$RAPPORT_BIN`),
    /// `target/e2e-screenshots/`, `target/e2e-data/`, `target/e2e-logs/tauri-driver-<port>.log`.
    pub fn from_target_dir(target: &Path) -> Config {
        let app_binary = match std::env::var_os("RAPPORT_BIN").filter(|v| !v.is_empty()) {
            Some(p) => PathBuf::from(p),
            None => target.join("debug").join("rapport"),
        };
        let app_binary = std::path::absolute(&app_binary).unwrap_or(app_binary);
        Config {
            app_binary,
            screenshots: target.join("e2e-screenshots"),
            data_root: target.join("e2e-data"),
            log_file: target
                .join("e2e-logs")
                .join(format!("tauri-driver-{}.log", driver_port())),
            locale_dir: target.join("e2e-locale"),
            xdg_root: target.join("e2e-home"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// tauri-driver

/// A running `tauri-driver`. Dropping it stops it with SIGTERM (never SIGKILL first: killing it
/// outright leaves WebKitWebDriver holding the native port).
pub struct Driver {
    child: Child,
    log_file: PathBuf,
}

fn port_open(port: u16) -> bool {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
}

impl Driver {
    /// Start `tauri-driver` (or `$TAURI_DRIVER`) and wait until both its port and the native
    /// driver's port accept connections.
    pub fn start(config: &Config) -> Result<Driver> {
        let (driver_port, native_port) = (driver_port(), native_port());
        for port in [driver_port, native_port] {
            if port_open(port) {
                return Err(Failure(format!(
                    "port {port} is already in use: is another tauri-driver or WebKitWebDriver still running? \
                     (find it with `ss -ltnp | grep {port}` and stop it with `kill -TERM <pid>`)"
                )));
            }
        }
        let program = std::env::var_os("TAURI_DRIVER").unwrap_or_else(|| "tauri-driver".into());
        if let Some(dir) = config.log_file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let log = std::fs::File::create(&config.log_file)?;
        let mut cmd = Command::new(&program);
        cmd.args([
            "--port",
            &driver_port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
        // The app inherits this environment through the drivers. The UI's first language follows
        // the OS's (WebKitGTK derives navigator.language from the C library's LC_CTYPE): run it
        // as on a Chinese desktop, the product's main audience, whatever this machine's locale.
        let locale_dir = chinese_locale(&config.locale_dir)?;
        cmd.env("LOCPATH", locale_dir)
            .env("LC_ALL", "zh_CN.UTF-8")
            .env("LANG", "zh_CN.UTF-8")
            .env("LANGUAGE", "zh_CN:zh")
            // In a Chinese locale GTK picks the XIM input method, which drops Shift from the
            // keys WebDriver types ("R" arrives as "r"). Type through GTK's own simple one.
            .env("GTK_IM_MODULE", "gtk-im-context-simple")
            .env("XDG_DATA_HOME", config.xdg_root.join("data"))
            .env("XDG_CONFIG_HOME", config.xdg_root.join("config"))
            .env("XDG_CACHE_HOME", config.xdg_root.join("cache"));
        let child = cmd.spawn().map_err(|e| {
            Failure(format!(
                "cannot start {}: {e} (install it with `cargo install tauri-driver --locked --version 2.1.0`, \
                 or run scripts/setup.sh --test)",
                Path::new(&program).display()
            ))
        })?;
        let mut driver = Driver {
            child,
            log_file: config.log_file.clone(),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = driver.child.try_wait()? {
                return Err(Failure(format!(
                    "tauri-driver exited at start ({status}); its log:\n{}",
                    driver.log_tail(40)
                )));
            }
            // Both: tauri-driver opens its own port before WebKitWebDriver's is ready, and a
            // session requested in between fails.
            if port_open(driver_port) && port_open(native_port) {
                return Ok(driver);
            }
            if Instant::now() > deadline {
                return Err(Failure(format!(
                    "tauri-driver did not open ports {driver_port} and {native_port} within 30 s; its log:\n{}",
                    driver.log_tail(40)
                )));
            }
            std::thread::sleep(POLL);
        }
    }

    /// The last `lines` lines of the driver's (and the app's) output.
    pub fn log_tail(&self, lines: usize) -> String {
        log_tail(&self.log_file, lines)
    }

    /// Stop the driver: SIGTERM, then wait up to 5 s, then kill.
    pub fn stop(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(POLL);
        }
        eprintln!("e2e: tauri-driver ignored SIGTERM for 5 s; killing it");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Make (once; it is kept in `dir`) the zh_CN.UTF-8 locale with glibc's `localedef`, without
/// touching the system's locales. Needs the locale sources from Debian's `locales` package.
fn chinese_locale(dir: &Path) -> Result<&Path> {
    let made = dir.join("zh_CN.UTF-8");
    if made.join("LC_CTYPE").is_file() {
        return Ok(dir);
    }
    std::fs::create_dir_all(dir)?;
    // localedef may exit non-zero over harmless warnings: judge by what it wrote.
    let out = Command::new("localedef")
        .args(["-i", "zh_CN", "-f", "UTF-8"])
        .arg(&made)
        .stdin(Stdio::null())
        .output();
    if made.join("LC_CTYPE").is_file() {
        return Ok(dir);
    }
    let why = match out {
        Ok(o) => String::from_utf8_lossy(&o.stderr).trim().to_string(),
        Err(e) => e.to_string(),
    };
    Err(Failure(format!(
        "cannot make the zh_CN.UTF-8 locale the app runs in with localedef ({why}); \
         install Debian's `locales` package (scripts/setup.sh --test does)"
    )))
}

fn log_tail(path: &Path, lines: usize) -> String {
    let Ok(file) = std::fs::File::open(path) else {
        return format!("(no log at {})", path.display());
    };
    let all: Vec<String> = BufReader::new(file).lines().map_while(|l| l.ok()).collect();
    let start = all.len().saturating_sub(lines);
    all[start..].join("\n")
}

// ---------------------------------------------------------------------------------------------
// Sessions

fn testid_css(testid: &str) -> String {
    format!("[data-testid=\"{testid}\"]")
}

/// One running app, driven through WebDriver.
pub struct App {
    client: Client,
    scenario: String,
    screenshots: PathBuf,
    data_dir: PathBuf,
}

/// JavaScript run in the page: is the element with `data-testid = arguments[0]` rendered and
/// visible, and what is its text? Returns null when no such element is visible.
const VISIBLE_JS: &str = r#"
const all = document.querySelectorAll('[data-testid="' + arguments[0] + '"]');
for (const el of all) {
  const r = el.getBoundingClientRect();
  const s = getComputedStyle(el);
  if (r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && !el.closest('[hidden]')) {
    const text = (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA') ? el.value : el.innerText;
    return { text: text == null ? '' : String(text) };
  }
}
return null;
"#;

/// What a form field holds now (its `value` property; empty when it has none).
async fn field_value(el: &Element, testid: &str) -> Result<String> {
    Ok(el
        .prop("value")
        .await
        .map_err(|e| Failure(format!("cannot read [data-testid={testid}]: {e}")))?
        .unwrap_or_default())
}

impl App {
    /// The scenario this session belongs to.
    pub fn scenario(&self) -> &str {
        &self.scenario
    }

    /// The data folder the app was started with.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The raw WebDriver client, for anything the helpers do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Run a script in the page and return its result.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        Ok(self.client.execute(script, args).await?)
    }

    /// The page's visible text (trimmed to a few thousand characters), for failure messages.
    pub async fn page_text(&self) -> String {
        match self
            .client
            .execute(
                "return document.body ? document.body.innerText : ''",
                vec![],
            )
            .await
        {
            Ok(Value::String(s)) => {
                let mut s: String = s.chars().take(3000).collect();
                if s.trim().is_empty() {
                    s = "(the page shows no text)".into();
                }
                s
            }
            Ok(other) => format!("(page text: {other})"),
            Err(e) => format!("(could not read the page text: {e})"),
        }
    }

    /// Poll `script` (which should `return` something) until it returns neither null, false,
    /// nor an empty string; fail after [`WAIT_TIMEOUT`] naming `what` and showing the page text.
    pub async fn wait_js(&self, what: &str, script: &str, args: Vec<Value>) -> Result<Value> {
        let deadline = Instant::now() + WAIT_TIMEOUT;
        let mut last_error = None;
        loop {
            match self.client.execute(script, args.clone()).await {
                Ok(Value::Null) | Ok(Value::Bool(false)) => {}
                Ok(Value::String(s)) if s.is_empty() => {}
                Ok(v) => return Ok(v),
                Err(e) => last_error = Some(e.to_string()),
            }
            if Instant::now() > deadline {
                let extra = last_error
                    .map(|e| format!(" (last WebDriver error: {e})"))
                    .unwrap_or_default();
                return Err(Failure(format!(
                    "timed out after {} s waiting for {what}{extra}\n--- page text ---\n{}\n--- end of page text ---",
                    WAIT_TIMEOUT.as_secs(),
                    self.page_text().await
                )));
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Wait until the element with this testid is visible; returns its text (or value, for a
    /// form field).
    pub async fn wait_for(&self, testid: &str) -> Result<String> {
        let v = self
            .wait_js(
                &format!("[data-testid={testid}] to be visible"),
                VISIBLE_JS,
                vec![json!(testid)],
            )
            .await?;
        Ok(v["text"].as_str().unwrap_or_default().to_string())
    }

    /// Wait until the element's text contains `needle`; returns the whole text.
    pub async fn wait_for_text(&self, testid: &str, needle: &str) -> Result<String> {
        let script = format!(
            "const r = (function() {{ {VISIBLE_JS} }}).apply(null, arguments); \
             return r && r.text.includes(arguments[1]) ? r : null;"
        );
        let v = self
            .wait_js(
                &format!("[data-testid={testid}] to show text containing {needle:?}"),
                &script,
                vec![json!(testid), json!(needle)],
            )
            .await?;
        Ok(v["text"].as_str().unwrap_or_default().to_string())
    }

    /// Wait until the element is visible and has some non-blank text; returns it.
    pub async fn wait_for_nonempty_text(&self, testid: &str) -> Result<String> {
        let script = format!(
            "const r = (function() {{ {VISIBLE_JS} }}).apply(null, arguments); \
             return r && r.text.trim() !== '' ? r : null;"
        );
        let v = self
            .wait_js(
                &format!("[data-testid={testid}] to show some text"),
                &script,
                vec![json!(testid)],
            )
            .await?;
        Ok(v["text"].as_str().unwrap_or_default().to_string())
    }

    /// Wait until no element with this testid is visible.
    pub async fn wait_gone(&self, testid: &str) -> Result {
        let script =
            format!("return (function() {{ {VISIBLE_JS} }}).apply(null, arguments) === null;");
        self.wait_js(
            &format!("[data-testid={testid}] to disappear"),
            &script,
            vec![json!(testid)],
        )
        .await?;
        Ok(())
    }

    /// Is an element with this testid visible right now?
    pub async fn is_visible(&self, testid: &str) -> Result<bool> {
        Ok(!self
            .client
            .execute(VISIBLE_JS, vec![json!(testid)])
            .await?
            .is_null())
    }

    /// Wait until `<html lang>` is `lang`.
    pub async fn wait_for_lang(&self, lang: &str) -> Result {
        self.wait_js(
            &format!("<html lang=\"{lang}\">"),
            "return document.documentElement.lang === arguments[0];",
            vec![json!(lang)],
        )
        .await?;
        Ok(())
    }

    /// The document's `<html lang>`.
    pub async fn html_lang(&self) -> Result<String> {
        let v = self
            .client
            .execute("return document.documentElement.lang", vec![])
            .await?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    /// The first visible element with this testid (waits for it).
    pub async fn find(&self, testid: &str) -> Result<Element> {
        self.wait_for(testid).await?;
        let all = self
            .client
            .find_all(Locator::Css(&testid_css(testid)))
            .await?;
        for el in all {
            if el.is_displayed().await.unwrap_or(false) {
                return Ok(el);
            }
        }
        // WebKit's idea of "displayed" can lag our own check by a frame; take the first one.
        Ok(self.client.find(Locator::Css(&testid_css(testid))).await?)
    }

    /// The element's current text (or value, for a form field), once it is visible.
    pub async fn text(&self, testid: &str) -> Result<String> {
        self.wait_for(testid).await
    }

    /// Click the element once it is visible (retrying while something covers it).
    pub async fn click(&self, testid: &str) -> Result {
        let deadline = Instant::now() + WAIT_TIMEOUT;
        loop {
            let el = self.find(testid).await?;
            match el.click().await {
                Ok(()) => return Ok(()),
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(POLL).await;
                }
                Err(e) => {
                    return Err(Failure(format!(
                        "cannot click [data-testid={testid}]: {e}\n--- page text ---\n{}",
                        self.page_text().await
                    )));
                }
            }
        }
    }

    /// Replace the field's content with `text`, typed key by key. A window that has only just
    /// appeared can drop synthesised key events (GTK: "gtk_widget_event: assertion
    /// 'WIDGET_REALIZED_FOR_EVENT' failed" under a loaded Xvfb), so a field left holding less
    /// than was typed is cleared and typed again, twice at most, saying so on stderr; whatever
    /// the field holds in the end must be exactly `text`.
    pub async fn type_into(&self, testid: &str, text: &str) -> Result {
        let what = |e: fantoccini::error::CmdError| {
            Failure(format!("cannot type into [data-testid={testid}]: {e}"))
        };
        let mut attempt = 1;
        loop {
            let el = self.find(testid).await?;
            el.clear().await.map_err(what)?;
            el.send_keys(text).await.map_err(what)?;
            let value = field_value(&el, testid).await?;
            if value == text {
                return Ok(());
            }
            let dropped = text.starts_with(value.as_str()) && value.len() < text.len();
            if !dropped || attempt == TYPING_ATTEMPTS {
                return Err(Failure(format!(
                    "typed {text:?} into [data-testid={testid}] but it holds {value:?} \
                     (attempt {attempt} of {TYPING_ATTEMPTS})"
                )));
            }
            eprintln!(
                "e2e: typing into [data-testid={testid}] dropped keys (it held {value:?}); typing again"
            );
            attempt += 1;
            tokio::time::sleep(POLL).await;
        }
    }

    /// Fill several fields of one form, then read them all back before the caller submits it:
    /// keys meant for one field can land in the field typed before it (the focus moved late),
    /// which [`App::type_into`] alone does not see. A field found holding something else is
    /// typed again, in as many rounds as [`App::type_into`] allows attempts.
    pub async fn fill(&self, fields: &[(&str, &str)]) -> Result {
        for (testid, text) in fields {
            self.type_into(testid, text).await?;
        }
        let mut round = 1;
        loop {
            let mut wrong = Vec::new();
            for (testid, text) in fields {
                let value = field_value(&self.find(testid).await?, testid).await?;
                if value != *text {
                    wrong.push((*testid, *text, value));
                }
            }
            let Some((testid, text, value)) = wrong.first() else {
                return Ok(());
            };
            if round == TYPING_ATTEMPTS {
                return Err(Failure(format!(
                    "[data-testid={testid}] should hold {text:?} before the form is sent but holds {value:?}"
                )));
            }
            for (testid, text, value) in wrong {
                eprintln!(
                    "e2e: [data-testid={testid}] held {value:?} after the form was filled in; typing it again"
                );
                self.type_into(testid, text).await?;
            }
            round += 1;
        }
    }

    /// Choose the option with this value in a `<select>` and wait until the page shows it
    /// chosen (the page may re-render the select in response).
    pub async fn select(&self, testid: &str, value: &str) -> Result {
        let el = self.find(testid).await?;
        let clicked = el.select_by_value(value).await;
        // If the native choice did not take (selects are popups in WebKitGTK), set the value
        // directly and fire the events a user's choice fires. Looked up afresh each time: the
        // page may have replaced the element meanwhile.
        let script = r#"
const els = [...document.querySelectorAll('[data-testid="' + arguments[0] + '"]')];
const el = els.find(e => e.getClientRects().length > 0) || els[0];
if (!el) return null;
if (el.value !== arguments[1]) {
  el.value = arguments[1];
  el.dispatchEvent(new Event('input', { bubbles: true }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
}
return el.value === arguments[1];
"#;
        let what = match clicked {
            Ok(()) => format!("[data-testid={testid}] to show {value:?} selected"),
            Err(e) => format!(
                "[data-testid={testid}] to show {value:?} selected (choosing it natively failed: {e})"
            ),
        };
        self.wait_js(&what, script, vec![json!(testid), json!(value)])
            .await?;
        Ok(())
    }

    /// Save a screenshot as `<screenshots>/<scenario>-<step>.png` after letting the page paint
    /// (two animation frames), and return its path.
    pub async fn screenshot(&self, step: &str) -> Result<PathBuf> {
        self.client
            .execute_async(
                "const done = arguments[arguments.length - 1]; \
                 requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                vec![],
            )
            .await?;
        let png = self.client.screenshot().await?;
        std::fs::create_dir_all(&self.screenshots)?;
        let path = self
            .screenshots
            .join(format!("{}-{step}.png", self.scenario));
        std::fs::write(&path, png)?;
        Ok(path)
    }

    /// Kill the app outright (SIGKILL, as a power cut or a crash would), wait until it is gone
    /// and drop the WebDriver session it leaves behind.
    pub async fn kill(self) -> Result {
        let pids = app_pids(&self.data_dir);
        ensure(!pids.is_empty(), "no app process to kill")?;
        for pid in pids {
            let _ = Command::new("kill")
                .arg("-KILL")
                .arg(pid.to_string())
                .status();
        }
        let deadline = Instant::now() + Duration::from_secs(15);
        while app_holds(&self.data_dir) {
            if Instant::now() > deadline {
                return Err(Failure("the app survived SIGKILL for 15 s".into()));
            }
            tokio::time::sleep(POLL).await;
        }
        // The session's browser is gone; closing it may fail, which is expected.
        let _ = self.client.close().await;
        Ok(())
    }

    /// End the session (the driver closes the app) and wait until the app process has gone, so
    /// its data folder is free for the next session.
    pub async fn quit(self) -> Result {
        let data_dir = self.data_dir.clone();
        self.client.close().await?;
        let deadline = Instant::now() + Duration::from_secs(15);
        while app_holds(&data_dir) {
            if Instant::now() > deadline {
                return Err(Failure(format!(
                    "the app on {} was still running 15 s after its session ended",
                    data_dir.display()
                )));
            }
            tokio::time::sleep(POLL).await;
        }
        Ok(())
    }
}

/// Is some process running with this data folder on its command line? (Linux: reads /proc.)
fn app_running_on(data_dir: &Path) -> bool {
    !app_pids(data_dir).is_empty()
}

/// Does an app still hold this data folder? Its command line can vanish before it has died: a
/// killed process whose main thread has exited shows an empty command line while another of
/// its threads finishes a write, its files (the database, the folder lock) still open. Only
/// once the folder's lock file can be locked again (the app holds it with `flock`, released
/// when the last of its threads has closed its files) may the next app start on the folder.
fn app_holds(data_dir: &Path) -> bool {
    if app_running_on(data_dir) {
        return true;
    }
    let Ok(file) = std::fs::File::open(data_dir.join("rapport.lock")) else {
        return false;
    };
    match file.try_lock() {
        Ok(()) => {
            let _ = file.unlock();
            false
        }
        Err(_) => true,
    }
}

/// The processes with this data folder as an argument (the app; a dying process may already
/// show an empty command line, see [`app_holds`]).
pub fn app_pids(data_dir: &Path) -> Vec<u32> {
    let needle = data_dir.as_os_str().as_encoded_bytes();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| {
            let pid: u32 = e.file_name().to_str()?.parse().ok()?;
            let cmdline = std::fs::read(e.path().join("cmdline")).ok()?;
            cmdline
                .split(|b| *b == 0)
                .any(|arg| arg == needle)
                .then_some(pid)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Scenarios and the runner

/// What a scenario gets: its name and data folder, and a way to start the app.
pub struct Ctx {
    name: &'static str,
    data_dir: PathBuf,
    config: Config,
    current: Arc<Mutex<Option<Client>>>,
}

impl Ctx {
    /// The scenario's name.
    pub fn name(&self) -> &str {
        self.name
    }

    /// The scenario's data folder (fresh and empty when the scenario starts).
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Start the app on this scenario's data folder.
    pub async fn launch(&self) -> Result<App> {
        self.launch_on(&self.data_dir).await
    }

    /// Start the app on the given data folder (`--data-dir DIR` and `RAPPORT_DATA_DIR`).
    pub async fn launch_on(&self, data_dir: &Path) -> Result<App> {
        self.launch_binary(&self.config.app_binary, data_dir).await
    }

    /// Start another Tauri binary with `--data-dir DIR` (the measuring script's empty window);
    /// ready once its page shows an element with a `data-testid`.
    pub async fn launch_binary(&self, binary: &Path, data_dir: &Path) -> Result<App> {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            json!({
                "application": binary,
                "args": ["--data-dir", data_dir],
            }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", driver_port()))
            .await?;
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = Some(client.clone());
        let app = App {
            client,
            scenario: self.name.to_string(),
            screenshots: self.config.screenshots.clone(),
            data_dir: data_dir.to_path_buf(),
        };
        // The page is ours once the UI has rendered something with a testid.
        app.wait_js(
            "the UI to render (any [data-testid])",
            "return document.readyState === 'complete' && document.querySelector('[data-testid]') !== null;",
            vec![],
        )
        .await?;
        Ok(app)
    }
}

/// The boxed future a scenario returns.
pub type ScenarioFuture = Pin<Box<dyn Future<Output = Result> + Send + 'static>>;

/// A named end-to-end scenario.
pub struct Scenario {
    /// Its name (used for filtering and file names).
    pub name: &'static str,
    /// Its body.
    pub run: fn(Ctx) -> ScenarioFuture,
}

/// Register an `async fn name(ctx: Ctx) -> Result` as a [`Scenario`].
#[macro_export]
macro_rules! scenario {
    ($f:ident) => {
        $crate::Scenario {
            name: stringify!($f),
            run: |ctx| Box::pin($f(ctx)),
        }
    };
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(a panic without a message)".into()
    }
}

/// Run the scenarios whose names contain one of the filters (all when none is given), each in
/// a fresh app with a fresh data folder. Prints a summary line `e2e: N passed, M failed` and
/// returns whether everything passed (false also when nothing ran).
pub fn run_all(config: Config, scenarios: &[Scenario], filters: &[String]) -> bool {
    let selected: Vec<&Scenario> = scenarios
        .iter()
        .filter(|s| filters.is_empty() || filters.iter().any(|f| s.name.contains(f.as_str())))
        .collect();
    if !config.app_binary.is_file() {
        eprintln!(
            "e2e: the app binary {} does not exist. Build it first:\n    cargo build -p rapport --features test-clock\n\
             (or point RAPPORT_BIN at a built binary)",
            config.app_binary.display()
        );
        println!("e2e: 0 passed, 0 failed");
        return false;
    }
    if selected.is_empty() {
        eprintln!("e2e: no scenario matches {filters:?}");
        println!("e2e: 0 passed, 0 failed");
        return false;
    }
    let _ = std::fs::remove_dir_all(&config.screenshots);
    let _ = std::fs::create_dir_all(&config.screenshots);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("e2e: cannot start the async runtime: {e}");
            println!("e2e: 0 passed, 0 failed");
            return false;
        }
    };
    println!("e2e: app {}", config.app_binary.display());
    let mut driver = match Driver::start(&config) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("e2e: {e}");
            println!("e2e: 0 passed, {} failed", selected.len());
            return false;
        }
    };
    let (mut passed, mut failures) = (0usize, Vec::<(String, String)>::new());
    for s in selected {
        let started = Instant::now();
        let data_dir = config.data_root.join(s.name);
        let _ = std::fs::remove_dir_all(&data_dir);
        let _ = std::fs::remove_dir_all(&config.xdg_root);
        if let Err(e) = std::fs::create_dir_all(&data_dir) {
            failures.push((
                s.name.into(),
                format!("cannot create {}: {e}", data_dir.display()),
            ));
            continue;
        }
        let current = Arc::new(Mutex::new(None::<Client>));
        let ctx = Ctx {
            name: s.name,
            data_dir: data_dir.clone(),
            config: config.clone(),
            current: current.clone(),
        };
        let outcome: Result = runtime.block_on(async {
            let mut task = tokio::spawn((s.run)(ctx));
            match tokio::time::timeout(SCENARIO_TIMEOUT, &mut task).await {
                Err(_) => {
                    // Stop it: left running, it would go on starting apps on its folder.
                    task.abort();
                    Err(Failure(format!(
                        "the scenario took longer than {} s",
                        SCENARIO_TIMEOUT.as_secs()
                    )))
                }
                Ok(Err(join)) if join.is_panic() => Err(Failure(format!(
                    "panicked: {}",
                    panic_text(&*join.into_panic())
                ))),
                Ok(Err(join)) => Err(Failure(format!("the scenario's task failed: {join}"))),
                Ok(Ok(result)) => result,
            }
        });
        // Whatever happened, end the session still open (after a screenshot if it failed).
        let leftover = current.lock().unwrap_or_else(|e| e.into_inner()).take();
        let secs = started.elapsed().as_secs_f64();
        match outcome {
            Ok(()) => {
                if let Some(client) = leftover {
                    runtime.block_on(async {
                        let _ = client.close().await;
                    });
                }
                passed += 1;
                let _ = std::fs::remove_dir_all(&data_dir);
                println!("e2e: {} ... ok ({secs:.1} s)", s.name);
            }
            Err(e) => {
                let mut message = e.0;
                if let Some(client) = leftover {
                    let shot = config.screenshots.join(format!("{}-failure.png", s.name));
                    runtime.block_on(async {
                        match client.screenshot().await {
                            Ok(png) if std::fs::write(&shot, &png).is_ok() => {
                                message.push_str(&format!("\nscreenshot: {}", shot.display()));
                            }
                            _ => {
                                message.push_str("\n(no screenshot: the session had already ended)")
                            }
                        }
                        let _ = client.close().await;
                    });
                }
                message.push_str(&format!("\ndata folder kept: {}", data_dir.display()));
                println!("e2e: {} ... FAILED ({secs:.1} s)", s.name);
                failures.push((s.name.into(), message));
            }
        }
    }
    let log = driver.log_tail(60);
    driver.stop();
    drop(driver);
    // The failures come last, after the driver's log, so that a CI page showing only the end
    // of the output still shows what failed and why.
    if !failures.is_empty() {
        println!(
            "\n---- tauri-driver and app output (last lines of {}) ----\n{log}",
            config.log_file.display()
        );
    }
    for (name, message) in &failures {
        println!("\n---- {name} ----\n{message}");
    }
    println!("e2e: screenshots in {}", config.screenshots.display());
    if !failures.is_empty() {
        let names: Vec<&str> = failures.iter().map(|(n, _)| n.as_str()).collect();
        println!("e2e: failed: {}", names.join(", "));
    }
    println!("e2e: {passed} passed, {} failed", failures.len());
    failures.is_empty() && passed > 0
}
