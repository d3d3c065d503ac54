//! Ownership of repository paths: CODEOWNERS-style patterns.

pub mod pattern;
