//! briefpress integration tests: one binary, a module per feature.
#![allow(dead_code)] // each feature module uses its own part of the shared helpers

mod epub;
mod sample;
mod tools;
