//! The `briefpress` binary: parse the arguments, run, and turn the outcome into an exit code.
//! This is the only place that prints a run-stopping error.

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
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
            eprintln!("error: {e:#}");
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
