//! `cargo xtask npm`: builds the npm package into `crates/hookwright-js/pkg/`.
//!
//! One `.wasm` per module serves every runtime. The verifier imports nothing and exports plain
//! functions, so its glue for Node (CJS and ESM) and the web is hand-written
//! (`crates/hookwright-js/js/wasm-*`); wasm-bindgen writes the template module's. Hand-written
//! entries in `crates/hookwright-js/js/` wrap them.

use std::fs;
use std::path::{Path, PathBuf};

use crate::tools::Tools;
use crate::util::{self, project_root, run, step};

/// wasm-bindgen's targets and the glue file each writes (the verifier's are hand-written, same names).
const TARGETS: [(&str, &str); 3] =
    [("nodejs", "wasm-node.cjs"), ("experimental-nodejs-module", "wasm-node.mjs"), ("web", "wasm-web.mjs")];
const STATIC: [&str; 10] = [
    "node.cjs",
    "node.mjs",
    "index.mjs",
    "edge.mjs",
    "index.d.ts",
    "template-node.cjs",
    "template-node.mjs",
    "template.mjs",
    "template-edge.mjs",
    "template.d.ts",
];

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    fs::copy(from, to).map(|_| ()).map_err(|e| format!("copy {} → {}: {e}", from.display(), to.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("write {}: {e}", path.display()))
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("read {}: {e}", path.display()))
}

/// Standard base64, for the inline wasm.
fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n =
            (u32::from(c[0]) << 16) | (u32::from(*c.get(1).unwrap_or(&0)) << 8) | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                s.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

fn version() -> Result<String, String> {
    let toml = read(&project_root().join("Cargo.toml"))?;
    let mut in_ws = false;
    for line in toml.lines() {
        if line.starts_with('[') {
            in_ws = line == "[workspace.package]";
        } else if let (true, Some(v)) = (in_ws, line.strip_prefix("version = \"")) {
            return Ok(v.trim_end_matches('"').to_string());
        }
    }
    Err("no version in [workspace.package]".into())
}

/// One wasm module of the package.
struct Module {
    /// The wasm is `{name}_bg.wasm` (wasm-bindgen's `--out-name`).
    name: &'static str,
    /// Whether wasm-bindgen writes the glue; else it is hand-written in `js/` (`{glue}-node.cjs`, …).
    bindgen: bool,
    /// Prefix of the glue files in the package (`wasm-node.cjs`, `wasm-template-web.mjs`, …).
    glue: &'static str,
    /// Cargo features of hookwright-js.
    features: &'static str,
    /// The hand-written JS core this module's entries import (`core.js` → core.mjs / core.cjs).
    core: &'static str,
    /// The function that core defines.
    api: &'static str,
    /// Cargo profile (see the workspace Cargo.toml).
    profile: &'static str,
    /// wasm-opt's level and passes.
    opt: &'static [&'static str],
}

const MODULES: [Module; 2] = [
    Module {
        name: "hookwright",
        bindgen: false,
        glue: "wasm",
        features: "",
        core: "core",
        api: "makeApi, nodeHost",
        profile: "wasm",
        // `--low-memory-unused`: Rust puts the stack first, so addresses below 1024 are only
        // reached by a stack overflow; binaryen can then fold constant offsets (160 B gzip).
        // `--strip-target-features`: a section for toolchains, ignored by runtimes.
        opt: &["-O3", "--converge", "--low-memory-unused", "--strip-target-features"],
    },
    Module {
        name: "hookwright_template",
        bindgen: true,
        glue: "wasm-template",
        features: "template",
        core: "template-core",
        api: "makeTemplateApi",
        profile: "wasm-template",
        // Size first. Rust's stack sits below 1 MiB and its data above, so nothing lives in the
        // first KiB: `--low-memory-unused` folds constant offsets into loads and stores (3.6 KB
        // gzip); `--converge` repeats -Oz while it still shrinks (0.7 KB).
        opt: &["-Oz", "--converge", "--low-memory-unused"],
    },
];

/// The wasm features rustc emits (see `.cargo/config.toml`), for wasm-opt.
const WASM_FEATURES: [&str; 7] = [
    "--enable-simd",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Builds `xtask/size-floor` (minijinja with the core's features, serde_json and wasm-bindgen,
/// nothing else) the way the template module is built, and returns its optimised wasm: the floor
/// under the template module's size.
pub fn size_floor(t: &Tools) -> Result<PathBuf, String> {
    let root = project_root();
    let floor = root.join("xtask/size-floor");
    let features = |path: &Path| -> Result<String, String> {
        let toml = read(path)?;
        let line = toml.lines().find(|l| l.starts_with("minijinja = ")).unwrap_or_default();
        Ok(line.split_once("features = [").and_then(|(_, f)| f.split_once(']')).map_or("", |f| f.0).to_string())
    };
    if features(&floor.join("Cargo.toml"))? != features(&root.join("crates/hookwright/Cargo.toml"))? {
        return Err(
            "xtask/size-floor/Cargo.toml: minijinja's features must equal crates/hookwright/Cargo.toml's".into()
        );
    }
    let target_dir = root.join("target/size-floor");
    run(util::cargo()
        .args(["build", "--release", "--target", "wasm32-unknown-unknown", "--manifest-path"])
        .arg(floor.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target_dir)
        .current_dir(&root))?;
    let out = target_dir.join("bindgen");
    run(t
        .wasm_bindgen()
        .args(["--target", "web", "--out-name", "floor", "--no-typescript"])
        .args(["--remove-name-section", "--remove-producers-section", "--out-dir"])
        .arg(&out)
        .arg(target_dir.join("wasm32-unknown-unknown/release/size_floor.wasm")))?;
    let wasm = target_dir.join("size_floor.wasm");
    let template = MODULES.iter().find(|m| m.name == "hookwright_template").ok_or("no template module")?;
    run(t.wasm_opt().args(template.opt).args(WASM_FEATURES).arg(out.join("floor_bg.wasm")).arg("-o").arg(&wasm))?;
    Ok(wasm)
}

/// Builds one module into `pkg`, returning the size of its optimised wasm.
fn build_module(t: &Tools, m: &Module, pkg: &Path) -> Result<usize, String> {
    let profile = m.profile;
    let root = project_root();
    let js = root.join("crates/hookwright-js");
    // A target dir per module: switching features in one dir would relink every time.
    let target_dir =
        root.join(if m.features.is_empty() { "target".to_string() } else { format!("target/wasm-{}", m.features) });
    let mut cargo = util::cargo();
    cargo.args(["build", "-p", "hookwright-js", "--target", "wasm32-unknown-unknown", "--profile", profile]);
    if !m.features.is_empty() {
        cargo.args(["--features", m.features]);
    }
    run(cargo.arg("--target-dir").arg(&target_dir).current_dir(&root))?;
    let wasm = target_dir.join(format!("wasm32-unknown-unknown/{profile}/hookwright_js.wasm"));
    let tmp = root.join("target/npm").join(m.name);
    let _ = fs::remove_dir_all(&tmp);
    let bg = format!("{}_bg.wasm", m.name);
    let mut first: Option<Vec<u8>> = None;
    for (target, glue) in TARGETS {
        let glue = glue.replacen("wasm", m.glue, 1);
        if !m.bindgen {
            copy(&js.join("js").join(&glue), &pkg.join(&glue))?;
            continue;
        }
        let out = tmp.join(target);
        run(t
            .wasm_bindgen()
            .args(["--target", target, "--out-name", m.name, "--no-typescript"])
            .args(["--remove-name-section", "--remove-producers-section", "--out-dir"])
            .arg(&out)
            .arg(&wasm))?;
        let bytes = fs::read(out.join(&bg)).map_err(|e| e.to_string())?;
        match &first {
            None => first = Some(bytes),
            Some(b) if *b == bytes => {}
            Some(_) => return Err(format!("wasm-bindgen wrote a different .wasm for --target {target}")),
        }
        copy(&out.join(format!("{}.js", m.name)), &pkg.join(glue))?;
    }
    let wasm_out = pkg.join(&bg);
    let mut opt = t.wasm_opt();
    if !m.bindgen {
        // What wasm-bindgen's `--remove-name-section --remove-producers-section` did.
        opt.args(["--strip-debug", "--strip-producers"]);
    }
    run(opt
        .args(m.opt)
        .args(WASM_FEATURES)
        .arg(if m.bindgen { tmp.join("web").join(&bg) } else { wasm })
        .arg("-o")
        .arg(&wasm_out))?;
    let bytes = fs::read(&wasm_out).map_err(|e| e.to_string())?;
    write(
        &pkg.join(format!("{}-inline.mjs", m.glue)),
        &format!(
            "// The wasm module, inline, for runtimes that cannot read files.\nexport default \"{}\";\n",
            base64(&bytes)
        ),
    )?;
    let core = read(&js.join("js").join(format!("{}.js", m.core)))?;
    write(&pkg.join(format!("{}.mjs", m.core)), &format!("{core}\nexport {{ {} }};\n", m.api))?;
    write(
        &pkg.join(format!("{}.cjs", m.core)),
        &format!("'use strict';\n{core}\nmodule.exports = {{ {} }};\n", m.api),
    )?;
    Ok(bytes.len())
}

/// Builds the package and returns its directory.
pub fn build(t: &Tools) -> Result<PathBuf, String> {
    let root = project_root();
    let js = root.join("crates/hookwright-js");
    let pkg = js.join("pkg");
    step("building the npm package (crates/hookwright-js/pkg)");
    let _ = fs::remove_dir_all(&pkg);
    fs::create_dir_all(&pkg).map_err(|e| e.to_string())?;
    let mut sizes = Vec::new();
    for m in &MODULES {
        sizes.push(format!("{}_bg.wasm {} bytes", m.name, build_module(t, m, &pkg)?));
    }
    for f in STATIC {
        copy(&js.join("js").join(f), &pkg.join(f))?;
    }
    copy(&js.join("README.md"), &pkg.join("README.md"))?;
    let manifest = read(&js.join("js/package.json"))?
        .replace("\"version\": \"0.0.0\"", &format!("\"version\": \"{}\"", version()?));
    write(&pkg.join("package.json"), &manifest)?;

    // Let the tests and benchmarks `import "hookwright"` exactly as users do.
    let link = js.join("node_modules/hookwright");
    let _ = fs::remove_file(&link).or_else(|_| fs::remove_dir_all(&link));
    #[cfg(unix)]
    std::os::unix::fs::symlink("../pkg", &link).map_err(|e| format!("link {}: {e}", link.display()))?;
    eprintln!("    {} ({})", pkg.display(), sizes.join(", "));
    Ok(pkg)
}
