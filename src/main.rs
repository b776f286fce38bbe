//! The hookwright playground: a Leptos app, built for the browser with Trunk.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(hookwright_app::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the playground runs in the browser: `cargo xtask serve`");
}
