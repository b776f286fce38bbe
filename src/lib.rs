//! The hookwright playground: design a webhook (sender, event, template, request, signature) and
//! see the exact request on every keystroke; verify a received one. Everything runs in the
//! browser; the core crate does the work.
#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
mod derive;
#[cfg(target_arch = "wasm32")]
mod design_panel;
#[cfg(target_arch = "wasm32")]
mod output_panel;
#[cfg(target_arch = "wasm32")]
mod persist;
#[cfg(target_arch = "wasm32")]
mod render;
#[cfg(target_arch = "wasm32")]
mod request_panel;
#[cfg(target_arch = "wasm32")]
mod state;
#[cfg(target_arch = "wasm32")]
mod verify_panel;

#[cfg(target_arch = "wasm32")]
pub use app::App;
