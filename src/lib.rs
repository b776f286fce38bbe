//! The hookwright playground: sign a body as a sender would, verify a received request. Everything
//! runs in the browser; the core crate does the work.
#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
mod sign_panel;
#[cfg(target_arch = "wasm32")]
mod state;
#[cfg(target_arch = "wasm32")]
mod verify_panel;

#[cfg(target_arch = "wasm32")]
pub use app::App;
