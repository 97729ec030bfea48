//! Measures the built app under Xvfb, through tauri-driver like the e2e scenarios; not part of
//! the test suite (`scripts/measure-app.sh` builds everything and runs it). Prints one JSON
//! object per line, as `rapport-admin bench` does: `name`, `n`, `p50_ms`/`p95_ms` or a value,
//! the target and whether it is met.
//!
//! Environment: `RAPPORT_BIN` (the release app), `RAPPORT_EMPTY_BIN` (the `empty_window`
//! example), `RAPPORT_MEASURE_DATA` (a data folder, e.g. a copy of the large demo set, with the
//! demo admin `admin` / `rapport-demo`).
//!
//! - **Cold start**: from the process's start (its start time in `/proc`) to the first
//!   contentful paint of its page (the Paint Timing API: the page's time origin plus the
//!   entry's start time). Rapport paints nothing before its first screen (log-in), so this is
//!   "to first screen". The empty window's blank page has no contentful paint; both are also
//!   given to the page's `load` event.
//! - Rapport is started on a new data folder (the setup screen) and on the large set (the
//!   log-in screen, after SQLite's integrity check of the whole file).
//! - **Memory**: proportional set size (PSS, `/proc/PID/smaps_rollup`) of the app and all its
//!   descendants (the WebKit web and network processes), 3 s after the first screen, and for
//!   Rapport again after logging in and opening the customer list.
//! - **Keystroke → painted**: the global search box holds all but the last character of a
//!   query; WebDriver types the last one; the page notes the `keydown` time and the end of the
//!   first animation frame whose callback finds new results in the list (a `setTimeout` queued
//!   from that `requestAnimationFrame` callback runs after the frame is painted). The search's
//!   User Timing marks split it into asking, the command's answer, rendering, waiting for the
//!   frame and painting it. Measured over the customer list and again over the Today page, each
//!   after timing 60 idle animation frames of the page.
//! - Knobs: `RAPPORT_MEASURE_SEARCH_ONLY=1` skips the start-up and memory runs;
//!   `RAPPORT_MEASURE_CSS` adds rules to the page's style sheet first (to try a style without
//!   rebuilding the app); `RAPPORT_MEASURE_PAGES=today,customers` sets the pages typed over;
//!   `RAPPORT_MEASURE_SETTLE=N` waits N seconds after logging in; `RAPPORT_MEASURE_RAW=1`
//!   prints every sample.

use rapport_e2e::{App, Config, Ctx, Failure, Result, Scenario, app_pids, run_all, scenario};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::Duration;

const LAUNCHES: usize = 5;
/// Ten query shapes (surnames, trade-name pairs, pinyin initials, phone fragments), 5 rounds.
const QUERIES: [&str; 10] = [
    "陈", "王", "锦博", "盛宏", "dgjb", "fssh", "1386", "13912", "华鑫", "zz",
];
const ROUNDS: usize = 5;

fn env_path(name: &str) -> Result<PathBuf> {
    std::env::var_os(name)
        .map(PathBuf::from)
        .ok_or_else(|| Failure(format!("set {name} (see scripts/measure-app.sh)")))
}

fn percentile(v: &[f64], q: f64) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let i = ((q * s.len() as f64).ceil() as usize).clamp(1, s.len()) - 1;
    (s[i] * 10.0).round() / 10.0
}

fn line(name: &str, samples: &[f64], target: Option<f64>, extra: Value) {
    let (p50, p95) = (percentile(samples, 0.5), percentile(samples, 0.95));
    let mut o = json!({"name": name, "n": samples.len(), "p50_ms": p50, "p95_ms": p95,
        "target_ms": target, "met": target.map(|t| p95 <= t)});
    if let (Value::Object(o), Value::Object(e)) = (&mut o, extra) {
        o.extend(e);
    }
    // RAPPORT_MEASURE_RAW=1: every sample too, in the order taken (to see whether slow ones
    // come together, as when other work runs, or one by one).
    if let (Value::Object(o), Some(_)) = (&mut o, std::env::var_os("RAPPORT_MEASURE_RAW")) {
        o.insert("samples".into(), json!(samples));
    }
    println!("{o}");
}

/// Milliseconds since the epoch at which process `pid` started: `/proc/PID/stat` field 22
/// (clock ticks since boot, 10 ms) plus the boot instant, taken as now minus `/proc/uptime`
/// (10 ms). `btime` in `/proc/stat` is not used: it is truncated to whole seconds, which made
/// every start look up to a second (here ~130 ms) longer.
fn started_ms(pid: u32) -> Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map_err(|e| Failure(format!("no /proc/{pid}/stat: {e}")))?;
    let after = stat.rsplit_once(')').map_or("", |x| x.1);
    let ticks: f64 = after
        .split_whitespace()
        .nth(19)
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| Failure("unreadable start time".into()))?;
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| Failure("unreadable /proc/uptime".into()))?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| Failure(e.to_string()))?
        .as_secs_f64();
    Ok((now - uptime + ticks / 100.0) * 1000.0)
}

/// PSS in KiB of `root` and every process descending from it, by process name (`comm`).
fn tree_pss_kib(root: u32) -> Vec<(String, u64)> {
    let parents: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let pid: u32 = e.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
            let ppid = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()?;
            Some((pid, ppid))
        })
        .collect();
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let p = tree[i];
        tree.extend(parents.iter().filter(|(_, pp)| *pp == p).map(|(c, _)| *c));
        i += 1;
    }
    tree.iter()
        .filter_map(|pid| {
            let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).ok()?;
            let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
            let kib = rollup
                .lines()
                .find_map(|l| l.strip_prefix("Pss:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())?;
            Some((name.trim().to_string(), kib))
        })
        .collect()
}

/// The total of [`tree_pss_kib`] in MB, and the parts as a JSON object of MB by process name.
fn pss_mb(root: u32) -> (f64, Value) {
    let parts = tree_pss_kib(root);
    let mb = |kib: u64| (kib as f64 / 1024.0 * 10.0).round() / 10.0;
    let total = mb(parts.iter().map(|(_, k)| k).sum());
    let mut by = serde_json::Map::new();
    for (name, kib) in parts {
        let v = by.get(&name).and_then(Value::as_f64).unwrap_or(0.0) + mb(kib);
        by.insert(name, json!((v * 10.0).round() / 10.0));
    }
    (total, Value::Object(by))
}

/// Process start → first contentful paint and → load event, in ms.
async fn start_times(app: &App, pid: u32) -> Result<(Option<f64>, f64)> {
    let page = app
        .js(
            "const p = performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint');\
             const nav = performance.getEntriesByType('navigation')[0];\
             return {origin: performance.timeOrigin, fcp: p ? p.startTime : null,\
                     load: nav ? nav.loadEventEnd : performance.timing.loadEventEnd - performance.timeOrigin};",
            vec![],
        )
        .await?;
    let start = started_ms(pid)?;
    let origin = page["origin"].as_f64().unwrap_or(0.0);
    let fcp = page["fcp"].as_f64().map(|f| origin + f - start);
    let load = origin + page["load"].as_f64().unwrap_or(0.0) - start;
    Ok((fcp, load))
}

async fn launch_and_time(
    ctx: &Ctx,
    binary: &Path,
    data: &Path,
    wait_first_paint: bool,
) -> Result<(App, u32, Option<f64>, f64)> {
    let app = ctx.launch_binary(binary, data).await?;
    let pid = *app_pids(data)
        .first()
        .ok_or_else(|| Failure("app process not found".into()))?;
    if wait_first_paint {
        app.wait_js(
            "the first contentful paint",
            "return performance.getEntriesByType('paint').some((e) => e.name === 'first-contentful-paint');",
            vec![],
        )
        .await?;
    }
    let (fcp, load) = start_times(&app, pid).await?;
    Ok((app, pid, fcp, load))
}

/// Arm the page for one keystroke measurement (see the module comment). From a WebDriver script
/// WebKitWebDriver's `MutationObserver.observe` refused the page's nodes ("must be an instance
/// of Node"), so a `requestAnimationFrame` loop watches instead: the frame callback in which the
/// results list first holds new nodes runs just before that frame is painted.
const ARM_JS: &str = "const input = document.querySelector('[data-testid=\"global-search\"]');\
    const list = () => document.querySelector('[data-testid=\"search-results\"]');\
    const before = list() ? list().firstChild : null;\
    if (arguments[1]) { input.blur(); input.value = ''; }\
    input.focus(); input.value = arguments[0]; window.__lat = null; let t0 = null;\
    input.addEventListener('keydown', () => { t0 = performance.now(); }, {once: true, capture: true});\
    const tick = () => { const l = list();\
      if (t0 !== null && l && !l.hidden && l.firstChild && l.firstChild !== before) {\
        const frame = performance.now();\
        setTimeout(() => { const end = performance.now();\
          const at = (n) => { const m = performance.getEntriesByName(n, 'mark'); return m.length ? m[m.length - 1].startTime : NaN; };\
          const ask = at('search:ask'), answer = at('search:answer'), rendered = at('search:rendered');\
          window.__lat = {total: end - t0, to_ask: ask - t0, ipc: answer - ask,\
            render: rendered - answer, to_frame: frame - rendered, frame: end - frame}; }, 0); return; }\
      requestAnimationFrame(tick); };\
    requestAnimationFrame(tick);\
    return true;";

/// Start collecting 60 animation-frame intervals of the idle page into `window.__frames`: how
/// often WebKit paints the page the results are drawn over.
const FRAMES_JS: &str = "window.__frames = null; const out = []; let last = null;\
    const tick = (t) => { if (last !== null) out.push(t - last); last = t;\
      if (out.length < 60) requestAnimationFrame(tick); else window.__frames = out; };\
    requestAnimationFrame(tick); return true;";

/// Time one `customer_search` command from the page (the IPC round trip with the core's search,
/// without rendering), to tell where the keystroke → painted time goes.
const IPC_JS: &str = "window.__ipc = null; const t0 = performance.now();\
    window.__TAURI_INTERNALS__.invoke('customer_search', {query: arguments[0], limit: 8})\
      .then(() => { window.__ipc = performance.now() - t0; }, () => { window.__ipc = -1; });\
    return true;";

async fn measure(ctx: Ctx) -> Result {
    let app_bin = env_path("RAPPORT_BIN")?;
    let empty_bin = env_path("RAPPORT_EMPTY_BIN")?;
    let data = env_path("RAPPORT_MEASURE_DATA")?;
    let empty_dir = ctx.data_dir().join("empty");
    let new_dir = ctx.data_dir().join("new");
    for d in [&empty_dir, &new_dir] {
        std::fs::create_dir_all(d).map_err(|e| Failure(e.to_string()))?;
    }

    let starts = if std::env::var_os("RAPPORT_MEASURE_SEARCH_ONLY").is_some() {
        Vec::new()
    } else {
        vec![
            ("empty_window", &empty_bin, &empty_dir, false),
            ("rapport_new_install", &app_bin, &new_dir, true),
            ("rapport_large", &app_bin, &data, true),
        ]
    };
    for (name, bin, dir, paints) in starts {
        let (mut first, mut load, mut pss) = (Vec::new(), Vec::new(), Vec::new());
        let mut last_by = Value::Null;
        for _ in 0..LAUNCHES {
            let (app, pid, fcp, l) = launch_and_time(&ctx, bin, dir, paints).await?;
            first.extend(fcp);
            load.push(l);
            tokio::time::sleep(Duration::from_secs(3)).await;
            let (mb, by) = pss_mb(pid);
            pss.push(mb);
            last_by = by;
            app.quit().await?;
        }
        if !first.is_empty() {
            line(
                &format!("cold_start_first_screen_{name}"),
                &first,
                Some(700.0),
                json!({}),
            );
        }
        line(
            &format!("cold_start_load_event_{name}"),
            &load,
            None,
            json!({}),
        );
        println!(
            "{}",
            json!({"name": format!("memory_pss_mb_{name}"), "n": pss.len(),
                   "p50_mb": percentile(&pss, 0.5), "max_mb": percentile(&pss, 1.0),
                   "last_by_process_mb": last_by})
        );
    }

    // Logged in on the large set: memory with the customer list open, then the search.
    let (app, pid, _, _) = launch_and_time(&ctx, &app_bin, &data, true).await?;
    app.type_into("login-username", "admin").await?;
    app.type_into("login-password", "rapport-demo").await?;
    app.click("login-submit").await?;
    app.wait_for("shell").await?;
    app.click("nav-customers").await?;
    app.wait_for("customer-row").await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (mb, by) = pss_mb(pid);
    println!(
        "{}",
        json!({"name": "memory_pss_mb_rapport_large_customer_list", "n": 1,
               "mb": mb, "by_process_mb": by})
    );

    // The global search over the customer list (100 000 customers, virtualised), then over the
    // Today page, to tell the page's own frame cost from the search's.
    // RAPPORT_MEASURE_CSS: rules added to the page's style sheet first, to try a change of
    // style without rebuilding the app. Through the CSSOM: the page's CSP (`style-src 'self'`)
    // ignores a `<style>` element added by a script.
    if let Ok(css) = std::env::var("RAPPORT_MEASURE_CSS") {
        let added = app
            .js(
                "const sheet = [...document.styleSheets].pop(); let n = 0;\
                 for (const r of arguments[0].split('}').filter((r) => r.trim())) { sheet.insertRule(r + '}', sheet.cssRules.length); n += 1; }\
                 return n;",
                vec![json!(css)],
            )
            .await?;
        println!(
            "{}",
            json!({"name": "measure_css_rules_added", "value": added})
        );
    }
    if let Some(secs) = std::env::var("RAPPORT_MEASURE_SETTLE")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        tokio::time::sleep(Duration::from_secs(secs)).await;
    }
    // RAPPORT_MEASURE_PAGES: the pages to type over, in order (default: the customer list, then
    // Today), to tell a page's cost from the time since log-in.
    let pages = std::env::var("RAPPORT_MEASURE_PAGES").unwrap_or("customers,today".into());
    let mut typed: Vec<&str> = Vec::new();
    for page in pages.split(',') {
        // Logging in left the customer list open.
        if !typed.is_empty() || page != "customers" {
            app.click(&format!("nav-{page}")).await?;
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
        let base = if page == "customers" {
            "customer_list"
        } else {
            page
        };
        // A page typed over again gets its figures' names numbered: `today_2`.
        let before = typed.iter().filter(|p| **p == page).count();
        typed.push(page);
        let name = match before {
            0 => base.to_string(),
            n => format!("{base}_{}", n + 1),
        };
        keystrokes(&app, &name).await?;
    }
    let mut ipc = Vec::new();
    for _ in 0..ROUNDS {
        for q in QUERIES {
            app.js(IPC_JS, vec![json!(q)]).await?;
            let v = app
                .wait_js(
                    "the search command's answer",
                    "return window.__ipc;",
                    vec![],
                )
                .await?;
            ipc.push(v.as_f64().unwrap_or(f64::NAN));
        }
    }
    line("search_ipc_round_trip", &ipc, None, json!({}));
    app.quit().await
}

/// Type `last` into the global search box holding `prefix` (closed and emptied first when
/// `close`) and return the page's timings of that keystroke (see [`ARM_JS`]).
async fn keystroke(app: &App, prefix: &str, last: char, close: bool) -> Result<Value> {
    app.js(ARM_JS, vec![json!(prefix), json!(close)]).await?;
    app.find("global-search")
        .await?
        .send_keys(&last.to_string())
        .await
        .map_err(|e| Failure(format!("typing into the search box: {e}")))?;
    app.wait_js("the search results painted", "return window.__lat;", vec![])
        .await
}

/// Keystroke → painted on the page now open (`page` names it in the figures' names), with the
/// page's idle frame interval first.
async fn keystrokes(app: &App, page: &str) -> Result {
    app.js(FRAMES_JS, vec![]).await?;
    let frames = app
        .wait_js("60 frames", "return window.__frames;", vec![])
        .await?;
    let frames: Vec<f64> = serde_json::from_value(frames).unwrap_or_default();
    line(
        &format!("idle_frame_interval_{page}"),
        &frames,
        None,
        json!({}),
    );

    let mut lat = Vec::new();
    // Where the time goes (the search module's User Timing marks): keydown → the command asked,
    // the command's round trip, rendering the answer, rendered → the frame that shows it, and
    // that frame until painted.
    let mut parts: Vec<(&str, Vec<f64>)> = ["to_ask", "ipc", "render", "to_frame", "frame"]
        .into_iter()
        .map(|p| (p, Vec::new()))
        .collect();
    for _ in 0..ROUNDS {
        for q in QUERIES {
            let mut chars: Vec<char> = q.chars().collect();
            let last = chars.pop().unwrap_or(' ');
            let prefix: String = chars.into_iter().collect();
            let v = keystroke(app, &prefix, last, false).await?;
            lat.push(v["total"].as_f64().unwrap_or(f64::NAN));
            for (part, times) in parts.iter_mut() {
                times.push(v[*part].as_f64().unwrap_or(f64::NAN));
            }
        }
    }
    app.screenshot(&format!("search-over-{page}")).await?;
    // The first character typed into the closed, empty box: the keystroke that opens the
    // pop-up (and stops the customer list under it from scrolling).
    let mut opening = Vec::new();
    for _ in 0..ROUNDS {
        for q in QUERIES {
            let first = q.chars().next().unwrap_or(' ');
            let v = keystroke(app, "", first, true).await?;
            opening.push(v["total"].as_f64().unwrap_or(f64::NAN));
        }
    }
    line(
        &format!("search_keystroke_opening_{page}"),
        &opening,
        Some(50.0),
        json!({}),
    );
    for (part, times) in &parts {
        line(
            &format!("search_keystroke_part_{part}_{page}"),
            times,
            None,
            json!({}),
        );
    }
    line(
        &format!("search_keystroke_to_painted_{page}"),
        &lat,
        Some(50.0),
        json!({"queries": QUERIES}),
    );
    Ok(())
}

fn main() {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap_or(Path::new("target"));
    let config = Config::from_target_dir(target);
    const ALL: &[Scenario] = &[scenario!(measure)];
    if !run_all(config, ALL, &[]) {
        std::process::exit(1);
    }
}
