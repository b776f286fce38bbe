//! The wasm binding of the hookwright core for the npm package `hookwright`.
//!
//! Two wasm modules come from this crate, so that receivers who only verify download only the
//! verifier: the default build exports the verifier (`hookwright_bg.wasm`); with the `template`
//! feature it exports rendering and the senders' catalog instead (`hookwright_template_bg.wasm`).
//!
//! The verifier builds without std (see `heap`) and without wasm-bindgen (plain exports, see
//! `verifier`); the template module needs both.
#![cfg(target_family = "wasm")]
#![cfg_attr(not(feature = "template"), no_std)]

#[cfg(not(feature = "template"))]
extern crate alloc;

#[cfg(not(feature = "template"))]
mod heap;

#[cfg(not(feature = "template"))]
mod verifier;
#[cfg(not(feature = "template"))]
pub use verifier::*;

#[cfg(feature = "template")]
mod template;
#[cfg(feature = "template")]
pub use template::*;
