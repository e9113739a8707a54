//! The `briefpress` binary: parse the arguments, run, and turn the outcome into an exit code.
//! This is the only place that prints a run-stopping error.

mod cli;

use briefpress::error::printable;
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(e) => return argument_error(e),
    };
    cli::install_interrupt_handler();
    match cli::run(args) {
        Ok(cli::Outcome::Success) => ExitCode::SUCCESS,
        Ok(cli::Outcome::SourceFailed) => ExitCode::from(1),
        // A reader that stops early (`briefpress schema article | head`) is not an error.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}", printable(&format!("{e:#}")));
            // A usage problem (bad environment, no sources, clashing names) is status 2;
            // anything else that stops the whole run is a failure, status 1.
            if e.downcast_ref::<cli::UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

/// `--help` and `--version` as clap prints them; a usage error as one `error:` line (clap's
/// message with its context — possible values, a tip — folded in) and clap's hint line, so it
/// reads like every other briefpress error. Status 2.
fn argument_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
    }
    let (message, hint) = one_line(&e.render().to_string());
    eprintln!("error: {}", printable(&message));
    if let Some(hint) = hint {
        eprintln!("{hint}");
    }
    ExitCode::from(2)
}

/// clap's rendered error as one line, and its closing hint (`For more information, try
/// '--help'.`). The usage block is left out: the hint says where to find it.
fn one_line(rendered: &str) -> (String, Option<String>) {
    let mut message = String::new();
    let mut hint = None;
    let mut in_usage = false;
    for line in rendered.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            in_usage = false;
        } else if trimmed.starts_with("Usage:") {
            in_usage = true;
        } else if trimmed.starts_with("For more information") {
            hint = Some(trimmed.to_owned());
        } else if !in_usage {
            if !message.is_empty() {
                message.push_str(if trimmed.starts_with("tip:") {
                    "; "
                } else {
                    " "
                });
            }
            message.push_str(trimmed.strip_prefix("error:").unwrap_or(trimmed).trim());
        }
    }
    (message, hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_errors_fold_into_one_line_and_the_hint() {
        let rendered = "error: invalid value 'rtf' for '--formats <FORMATS>'\n  [possible values: pdf, docx, epub]\n\n  tip: a similar value exists: 'pdf'\n\nFor more information, try '--help'.\n";
        let (line, hint) = one_line(rendered);
        assert_eq!(
            line,
            "invalid value 'rtf' for '--formats <FORMATS>' [possible values: pdf, docx, epub]; tip: a similar value exists: 'pdf'"
        );
        assert_eq!(hint.as_deref(), Some("For more information, try '--help'."));
        let rendered = "error: the following required arguments were not provided:\n  <SOURCES>...\n\nUsage: briefpress check <SOURCES>...\n\nFor more information, try '--help'.\n";
        let (line, _) = one_line(rendered);
        assert_eq!(
            line,
            "the following required arguments were not provided: <SOURCES>..."
        );
    }
}
