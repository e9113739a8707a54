//! briefpress turns a policy brief into a print-ready PDF, an editable DOCX and an EPUB 3, all
//! three from one canonical article model.
//!
//! ```text
//!   source (.md / .txt / .json)
//!        │  read::read            one reader per format, images checked
//!        ▼
//!     Article  ───────────────┬───────────────────┬──────────────────┐
//!   (article::*)              │                   │                  │
//!                   layout (fonts, shaping,       │                  │
//!                   line breaking, pages)         │                  │
//!                             ▼                   ▼                  ▼
//!                        render::pdf         render::docx       render::epub
//! ```
//!
//! The rules the code keeps:
//! - the flow is one-way: readers return an [`article::Article`], backends take `&Article` and
//!   a [`theme::Theme`]; no backend imports another; `layout` serves only the PDF;
//! - the library is pure: only the binary's `cli` module touches files, the environment and the
//!   clock; images reach readers through [`read::Assets`];
//! - the same input gives the same bytes: no clock, no random ids, no hash-map order in output;
//! - text is data: stored as written, escaped by each backend;
//! - nothing is lost silently: what a backend cannot express becomes an
//!   [`error::Warning`].

#![warn(missing_docs)]

pub mod article;
pub mod error;
pub mod layout;
pub mod pack;
pub mod read;
pub mod render;
pub mod theme;
