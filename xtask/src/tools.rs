//! Installs what a task needs and skips what is already there: the wasm target, the wasm-bindgen
//! CLI at exactly the version of the wasm-bindgen crate, Trunk, npm packages (binaryen's wasm-opt,
//! playwright-core, the benchmark peers) and Debian's Chromium.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{self, output, project_root, run, step};

/// Trunk release we build with (0.22 declares rustc 1.96 but builds and works on 1.95).
const TRUNK: &str = "0.22.1";
const CHROMIUM: &str = "/usr/bin/chromium";

/// Where the tools are, with the PATH that puts npm's binaryen first (never Debian's wasm-opt).
pub struct Tools {
    path: String,
}

impl Tools {
    fn command(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.env("PATH", &self.path);
        c
    }

    /// `trunk`, run from the project root.
    pub fn trunk(&self) -> Command {
        let mut c = self.command("trunk");
        c.current_dir(project_root());
        c
    }

    /// `wasm-bindgen`.
    pub fn wasm_bindgen(&self) -> Command {
        self.command("wasm-bindgen")
    }

    /// npm binaryen's `wasm-opt`.
    pub fn wasm_opt(&self) -> Command {
        self.command("wasm-opt")
    }
}

fn cargo_bin() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
        .join("bin")
}

fn tools() -> Tools {
    let root = project_root();
    let mut parts = vec![
        root.join("crates/hookwright-js/node_modules/.bin").display().to_string(),
        cargo_bin().display().to_string(),
    ];
    if let Some(p) = std::env::var_os("PATH") {
        parts.push(p.to_string_lossy().into_owned());
    }
    Tools { path: parts.join(":") }
}

/// The exact wasm-bindgen version in Cargo.lock.
pub fn wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(project_root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(v.trim_end_matches('"').to_string());
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".into())
}

fn ensure_target() -> Result<(), String> {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    step("installing the wasm32-unknown-unknown target");
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn ensure_cargo_tool(t: &Tools, bin: &str, krate: &str, version: &str, extra: &[&str]) -> Result<(), String> {
    let have = output(t.command(bin).arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(version) {
        return Ok(());
    }
    step(&format!("installing {krate} {version} with cargo (a few minutes, once)"));
    let mut c = util::cargo();
    c.args(["install", krate, "--version", version]).args(extra);
    run(&mut c)
}

/// `npm install` in `dir` unless its node_modules is up to date with its lock file.
pub fn ensure_npm(dir: &Path) -> Result<(), String> {
    let lock = dir.join("package-lock.json");
    let stamp = dir.join("node_modules/.package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if let (Some(l), Some(s)) = (modified(&lock), modified(&stamp))
        && s >= l
    {
        return Ok(());
    }
    step(&format!("installing npm packages in {}", dir.strip_prefix(project_root()).unwrap_or(dir).display()));
    // `npm install` rather than `npm ci`: the registry mirror lacks some platform packages that
    // are optional dependencies (deno's for other systems), which `npm ci` refuses as out of sync.
    run(util::npm().args(["install", "--no-audit", "--no-fund"]).current_dir(dir))
}

fn ensure_chromium() -> Result<(), String> {
    if Path::new(CHROMIUM).exists() {
        return Ok(());
    }
    step("installing Debian's chromium (for the browser tests)");
    let apt = |args: &[&str]| {
        let mut c = Command::new("apt-get");
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut c)
    };
    apt(&["update", "-qq"])?;
    apt(&["install", "-y", "-qq", "--no-install-recommends", "chromium"])
        .map_err(|e| format!("{e}\n(install Debian's chromium yourself: apt-get install chromium)"))
}

/// What building wasm needs: the target, wasm-bindgen CLI, npm's binaryen.
pub fn ensure_wasm_tools() -> Result<Tools, String> {
    let t = tools();
    ensure_target()?;
    // Without --locked: the locked webpki-roots of the CLI is not in every reachable index.
    ensure_cargo_tool(&t, "wasm-bindgen", "wasm-bindgen-cli", &wasm_bindgen_version()?, &[])?;
    ensure_npm(&project_root().join("crates/hookwright-js"))?;
    Ok(t)
}

/// Trunk only uses a wasm-bindgen CLI whose version equals `[tools] wasm_bindgen` in Trunk.toml,
/// and the CLI must equal the crate: all three have to agree.
fn check_trunk_pin() -> Result<(), String> {
    let toml = std::fs::read_to_string(project_root().join("Trunk.toml")).map_err(|e| format!("Trunk.toml: {e}"))?;
    let pinned = toml
        .lines()
        .find_map(|l| l.trim().strip_prefix("wasm_bindgen = \""))
        .map(|v| v.trim_end_matches('"').to_string())
        .ok_or("Trunk.toml has no [tools] wasm_bindgen pin")?;
    let locked = wasm_bindgen_version()?;
    if pinned != locked {
        return Err(format!(
            "Trunk.toml pins wasm_bindgen = \"{pinned}\" but Cargo.lock has wasm-bindgen {locked}: make them equal"
        ));
    }
    Ok(())
}

/// What the playground needs in addition: Trunk.
pub fn ensure_app_tools() -> Result<Tools, String> {
    check_trunk_pin()?;
    let t = ensure_wasm_tools()?;
    ensure_cargo_tool(&t, "trunk", "trunk", TRUNK, &["--locked", "--ignore-rust-version"])?;
    Ok(t)
}

/// Everything, including Chromium and the browser tests' npm packages.
pub fn ensure_all() -> Result<Tools, String> {
    let t = ensure_app_tools()?;
    ensure_npm(&project_root().join("tests"))?;
    ensure_chromium()?;
    Ok(t)
}
