//! `cargo xtask bench`: speed and size figures beside the peers, measured in one Node process.

use crate::util::{self, project_root, step};
use crate::{npm, tools};

pub fn run(args: &[String]) -> Result<(), String> {
    let t = tools::ensure_wasm_tools()?;
    npm::build(&t)?;
    let js = project_root().join("crates/hookwright-js");
    step(
        "verify / sign: hookwright beside node:crypto, standardwebhooks, svix, @octokit/webhooks-methods, @noble/hashes",
    );
    util::run(util::node().arg("bench/verify.mjs").args(args).current_dir(&js))
}
