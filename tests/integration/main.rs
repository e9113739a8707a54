//! briefpress integration tests: one binary, a module per feature.
#![allow(dead_code)] // each feature module uses its own part of the shared helpers

mod bad_input;
mod cli;
mod commonmark;
mod conformance;
mod cross_format;
mod docx;
mod docx_input;
mod epub;
mod fallback;
mod hostile;
mod images;
mod languages;
mod links;
mod pack;
mod pdf;
mod png_pdf;
mod properties;
mod read;
mod sample;
mod tables;
mod tagged;
mod theme;
mod theme_outputs;
mod tools;
