//! `cargo xtask bench [--quick]`: speed and size figures beside the peers. Prints figures and
//! ratios; asserts nothing.

use crate::util::{self, project_root, step};
use crate::{npm, tools};

pub fn run(args: &[String]) -> Result<(), String> {
    let t = tools::ensure_all()?;
    npm::build(&t)?;
    let root = project_root();
    let js = root.join("crates/hookwright-js");
    step("templates, natively (cargo bench -p hookwright --bench render)");
    util::run(util::cargo().args(["bench", "-p", "hookwright", "--bench", "render"]).current_dir(&root))?;
    step("verify: hookwright beside node:crypto, standardwebhooks, svix, @octokit/webhooks-methods, @noble/hashes");
    util::run(util::node().arg("bench/verify.mjs").args(args).current_dir(&js))?;
    step("the floor under the template wasm: minijinja alone (xtask/size-floor)");
    let floor = npm::size_floor(&t)?;
    step("templates through npm beside handlebars and nunjucks");
    util::run(util::node().arg("bench/template.mjs").args(args).env("HOOKWRIGHT_SIZE_FLOOR", &floor).current_dir(&js))?;
    step("playground in Chromium (trunk build --release)");
    util::run(t.trunk().args(["build", "--release"]))?;
    util::run(util::node().arg("bench/playground.mjs").args(args).current_dir(root.join("tests")))
}
