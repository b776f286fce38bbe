#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// Signing and verification need only `core` and `alloc`, so the npm package's verifier builds without
// std (no formatting or panic machinery in its wasm); the templates need std.
#![cfg_attr(not(any(feature = "templates", test)), no_std)]

extern crate alloc;

/// Expands to its input only when this crate links no std (no `templates` feature). A wasm binding
/// defines its panic handler inside it: a build that also enables the templates (a workspace-wide
/// `cargo clippy`, say) links std, which brings its own.
#[cfg(not(feature = "templates"))]
#[doc(hidden)]
#[macro_export]
macro_rules! if_no_std {
    ($($item:item)*) => { $($item)* };
}

/// See the other definition.
#[cfg(feature = "templates")]
#[doc(hidden)]
#[macro_export]
macro_rules! if_no_std {
    ($($item:item)*) => {};
}

mod b64;
mod error;
pub mod http;
mod mac;
mod scheme;
mod sign;
mod verify;

pub use error::{Error, ErrorCode};
pub use mac::{Algorithm, Encoding, Key, Secret};
pub use scheme::{Kind, Options, SLOTS, Scheme};
pub use sign::SignInput;
pub use verify::{Expected, Policy, Prepared, Verified, mismatch};
#[cfg(feature = "templates")]
pub mod catalog;
#[cfg(feature = "templates")]
pub mod grafana;
#[cfg(feature = "templates")]
pub mod request;
#[cfg(feature = "templates")]
pub mod template;
