//! The command line: everything that touches the world — files, the environment
//! (`SOURCE_DATE_EPOCH`), atomic writes, parallel builds — a file per concern. The library
//! stays pure.

use briefpress::error::{Warning, printable};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

mod args;
mod build;
mod input;
mod inspect;
mod output;
mod pack;
mod theme;

pub use args::Cli;
use args::{Command, SchemaArg, ShellArg};
pub use output::install_interrupt_handler;

/// How a run ended, for the exit code.
pub enum Outcome {
    /// Everything built or checked.
    Success,
    /// At least one source failed; the others were built.
    SourceFailed,
}

/// A problem that stops the run before any source is read (exit status 2).
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// How much a run says on stderr and in its per-file lines: `--quiet`, default, `--verbose`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Verbosity {
    /// Errors only.
    Quiet,
    /// Errors, warnings, notes, a line per file and a summary.
    Normal,
    /// Also timings per file and the format each warning came from.
    Verbose,
}

/// Set once from the global flags, before anything is read.
static VERBOSITY: OnceLock<Verbosity> = OnceLock::new();

/// The run's [`Verbosity`].
pub(super) fn verbosity() -> Verbosity {
    VERBOSITY.get().copied().unwrap_or(Verbosity::Normal)
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let level = if cli.quiet {
        Verbosity::Quiet
    } else if cli.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    // `run` is called once per process; a second call keeps the first level.
    let _ = VERBOSITY.set(level);
    let epoch = source_date_epoch()?;
    match cli.command {
        Command::Build(args) => build::build(args, epoch),
        Command::Pack(args) => pack::run(args, epoch),
        Command::Check { sources, theme } => inspect::check(&sources, theme.as_deref(), epoch),
        Command::Inspect { source, json } => inspect::inspect(&source, json, epoch),
        Command::Theme { default: true, .. } => {
            write!(
                std::io::stdout().lock(),
                "{}",
                briefpress::theme::default_toml()
            )?;
            Ok(Outcome::Success)
        }
        Command::Theme { file, .. } => theme::check_theme(file.as_deref()),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let shell = match shell {
                ShellArg::Bash => clap_complete::Shell::Bash,
                ShellArg::Zsh => clap_complete::Shell::Zsh,
                ShellArg::Fish => clap_complete::Shell::Fish,
            };
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "briefpress", &mut out);
            std::io::stdout().lock().write_all(&out)?;
            Ok(Outcome::Success)
        }
        Command::Schema { which } => {
            let schema = match which {
                SchemaArg::Article => schemars::schema_for!(briefpress::article::Article),
                SchemaArg::Theme => schemars::schema_for!(briefpress::theme::ThemeFile),
            };
            writeln!(
                std::io::stdout().lock(),
                "{}",
                serde_json::to_string_pretty(&schema)?
            )?;
            Ok(Outcome::Success)
        }
    }
}

/// The latest `SOURCE_DATE_EPOCH` accepted: 9999-12-31T23:59:59Z, the last second every format
/// can write (an EPUB's and a DOCX's dates have four-digit years; a PDF date too).
const MAX_EPOCH: i64 = 253_402_300_799;

/// `SOURCE_DATE_EPOCH`, the reproducible-builds timestamp, when set: whole seconds from
/// 0 (1970) to [`MAX_EPOCH`] (9999).
fn source_date_epoch() -> anyhow::Result<Option<i64>> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => match v.trim().parse::<i64>() {
            Ok(n) if (0..=MAX_EPOCH).contains(&n) => Ok(Some(n)),
            Ok(_) => Err(UsageError(format!(
                "SOURCE_DATE_EPOCH=`{}` is outside 0 ..= {MAX_EPOCH} (1970 to 9999); unset it or fix it",
                v.trim()
            ))
            .into()),
            Err(_) => Err(UsageError(format!(
                "SOURCE_DATE_EPOCH=`{v}` is not a number of seconds since 1970; unset it or fix it"
            ))
            .into()),
        },
        _ => Ok(None),
    }
}

/// One source that failed: its path and the located error.
pub(super) struct Failure {
    pub(super) path: PathBuf,
    pub(super) refused: input::Refused,
}

impl Failure {
    /// One `error:` line per problem, each with its own location, then the warnings.
    fn print(self) {
        for error in (*self.refused.error).into_problems() {
            report(
                "error",
                format_args!(
                    "{}{}: {}",
                    self.path.display(),
                    error.location().suffix(),
                    error
                ),
            );
        }
        print_warnings(&self.path, &self.refused.warnings);
    }
}

pub(super) fn print_warnings(path: &Path, warnings: &[Warning]) {
    for w in warnings {
        report(
            "warning",
            format_args!("{}{}: {}", path.display(), w.at.suffix(), w),
        );
    }
}

/// Prints one line on stderr, `kind: text`, with the text made [`printable`]: a file name or a
/// source's words can neither start a line of their own nor reorder what the terminal shows.
/// `--quiet` keeps only errors.
pub(super) fn report(kind: &str, text: impl std::fmt::Display) {
    if kind != "error" && verbosity() == Verbosity::Quiet {
        return;
    }
    eprintln!("{kind}: {}", printable(&text.to_string()));
}

/// Prints a status line on stdout (a file read or written, a summary) with the text made
/// [`printable`]; `--quiet` prints none.
pub(super) fn say(out: &mut impl Write, text: impl std::fmt::Display) -> std::io::Result<()> {
    if verbosity() == Verbosity::Quiet {
        return Ok(());
    }
    print_line(out, text)
}

/// Prints one line of what the user asked to see (`inspect`'s summary) with the text made
/// [`printable`], whatever the verbosity.
pub(super) fn print_line(
    out: &mut impl Write,
    text: impl std::fmt::Display,
) -> std::io::Result<()> {
    writeln!(out, "{}", printable(&text.to_string()))
}

pub(super) fn stem_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "brief".into())
}

/// The same warning from several backends is said once.
pub(super) fn dedup_warnings(warnings: &mut Vec<Warning>) {
    let mut seen = std::collections::BTreeSet::new();
    warnings.retain(|w| seen.insert((w.at.line, w.at.column, w.message.clone())));
}
