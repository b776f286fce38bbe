#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

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
pub mod catalog;
pub mod grafana;
pub mod request;
pub mod template;
