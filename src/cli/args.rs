//! The command line's shape: the clap types of every subcommand and their flags.

use super::pack;
use briefpress::render::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Turn a policy brief into a print-ready PDF, an editable DOCX and an EPUB 3.
///
/// Sources are Markdown with YAML front matter (.md), wire text (.txt) or the JSON model
/// (.json). With no arguments, `build` exports every source in `source/` to `output/`.
#[derive(Debug, Parser)]
#[command(name = "briefpress", version, about, long_about = None, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub(super) command: Command,
    /// Print only errors: no warnings, notes or per-file lines.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub(super) quiet: bool,
    /// Also print how long each file took to read and render, and where each warning came from.
    #[arg(short, long, global = true)]
    pub(super) verbose: bool,
}

const AFTER_HELP: &str = "Exit status: 0 success, 1 a source failed, 2 usage error.\n\
Timestamps come from the brief's `date`, else SOURCE_DATE_EPOCH, never the clock.";

#[derive(Debug, Subcommand)]
pub(super) enum Command {
    /// Export sources to PDF, DOCX and EPUB (default: every source in source/ to output/).
    Build(BuildArgs),
    /// Bind several briefs into one briefing pack: a cover, a contents, then each brief.
    Pack(pack::PackArgs),
    /// Read and validate sources, report every problem, write nothing.
    Check {
        /// Source files (.md, .txt, .json, .docx), folders (the sources in them), or pack manifests
        /// (.toml: every brief is checked).
        #[arg(required = true)]
        sources: Vec<PathBuf>,
        /// Theme file (default: briefpress.toml beside each source or in this folder).
        #[arg(long, value_name = "FILE")]
        theme: Option<PathBuf>,
    },
    /// Show what briefpress reads from a source.
    Inspect {
        /// One source file (.md, .txt, .json, .docx).
        source: PathBuf,
        /// Print the article model as JSON (the .json source format).
        #[arg(long)]
        json: bool,
    },
    /// Print the embedded default theme as a commented briefpress.toml, or check a theme file.
    Theme {
        /// Print the embedded default theme (a briefpress.toml to start from).
        #[arg(long, conflicts_with = "file")]
        default: bool,
        /// A theme file to check.
        #[arg(required_unless_present = "default")]
        file: Option<PathBuf>,
    },
    /// Print the JSON Schema of the .json source format (`article`) or of the theme (`theme`).
    Schema {
        /// `article` or `theme`.
        #[arg(value_enum)]
        which: SchemaArg,
    },
    /// Print a shell completion script on stdout.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: ShellArg,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum ShellArg {
    Bash,
    Zsh,
    Fish,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum SchemaArg {
    Article,
    Theme,
}

#[derive(Debug, Args)]
pub(super) struct BuildArgs {
    /// Source files (.md, .txt, .json, .docx) or folders (the sources in them); default: every
    /// source in source/.
    pub(super) sources: Vec<PathBuf>,
    /// Formats to write, comma-separated.
    #[arg(short, long, value_delimiter = ',', default_value = "pdf,docx,epub")]
    pub(super) formats: Vec<FormatArg>,
    /// Output folder (created if missing), never a file name: each source writes
    /// DIR/<stem>.pdf|docx|epub; default: output/.
    #[arg(short, long, value_name = "DIR")]
    pub(super) output: Option<PathBuf>,
    /// Paper size of the PDF; default: the theme's (A4).
    #[arg(long, value_enum)]
    pub(super) page_size: Option<PageSizeArg>,
    /// Theme file (default: briefpress.toml beside each source or in this folder, else the
    /// embedded theme).
    #[arg(long, value_name = "FILE")]
    pub(super) theme: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum FormatArg {
    Pdf,
    Docx,
    Epub,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Pdf => Format::Pdf,
            FormatArg::Docx => Format::Docx,
            FormatArg::Epub => Format::Epub,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum PageSizeArg {
    A4,
    Letter,
}
