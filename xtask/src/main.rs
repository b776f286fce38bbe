//! Dev automation: `cargo xtask <task>`. Every task installs the tools it lacks and skips what is
//! already present, so each works on a fresh machine.

mod bench;
mod npm;
mod tools;
mod util;

use std::process::ExitCode;

const HELP: &str = "\
usage: cargo xtask <task>

  serve    build the playground and serve it on http://127.0.0.1:8080 (rebuilds on change)
  test     run every test: native Rust, the npm package in Node, the playground in Chromium
  npm      build the npm package into crates/hookwright-js/pkg/ (ready for `npm pack`)
  bench    speed and size figures beside the peers (node:crypto, standardwebhooks, svix, …)
  setup    install the tools only (wasm target, wasm-bindgen CLI, Trunk, npm packages, Chromium)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => tools::ensure_app_tools().and_then(|t| util::run(t.trunk().args(["serve", "--open=false"]))),
        Some("test") => test(&args[1..]),
        Some("npm") => tools::ensure_wasm_tools().and_then(|t| npm::build(&t).map(|_| ())),
        Some("bench") => bench::run(&args[1..]),
        Some("setup") => tools::ensure_all().map(|_| ()),
        Some("-h" | "--help" | "help") | None => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown task `{other}`\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Every test layer, cheapest first, so a failure shows up early.
fn test(args: &[String]) -> Result<(), String> {
    let only = |layer: &str| args.is_empty() || args.iter().any(|a| a == layer);
    let t = tools::ensure_all()?;
    let root = util::project_root();
    if only("native") {
        util::step("native tests (cargo test)");
        util::run(util::cargo().args(["test", "--workspace"]).current_dir(&root))?;
    }
    if only("node") || only("browser") {
        npm::build(&t)?;
    }
    if only("node") {
        util::step("npm package tests (node --test)");
        let js = root.join("crates/hookwright-js");
        util::run(util::node().args(["--test", "--test-concurrency=1", "test/"]).current_dir(&js))?;
    }
    if only("browser") {
        util::step("playground build (trunk build --release)");
        util::run(t.trunk().args(["build", "--release"]).current_dir(&root))?;
        util::step("browser tests (Chromium via playwright-core)");
        util::run(util::node().args(["--test", "--test-concurrency=1"]).current_dir(root.join("tests")))?;
    }
    util::step("all tests passed");
    Ok(())
}
