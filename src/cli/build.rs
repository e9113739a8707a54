//! `briefpress build`: which sources, their output names, the parallel run with its progress
//! bar, and one source read, rendered in every format and written.

use super::args::{BuildArgs, PageSizeArg};
use super::input::{Refused, Source, load};
use super::output::{remove_stale_tmp_files, write_all_or_none};
use super::theme::Themes;
use super::{
    Failure, Outcome, UsageError, Verbosity, dedup_warnings, print_warnings, report, say, stem_of,
    verbosity,
};
use anyhow::bail;
use briefpress::error::{Error, Location, Warning};
use briefpress::read::SourceFormat;
use briefpress::render::Format;
use briefpress::theme::{PageSize, Theme};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The sources in a folder: every .md, .txt, .json and .docx directly in it, sorted. A folder with
/// none is a usage error. `source/` with no arguments, or any folder named as SOURCE.
fn sources_in(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        UsageError(format!(
            "cannot read the folder `{}` ({e}); check the path",
            dir.display()
        ))
    })?;
    let mut out = Vec::new();
    for entry in entries {
        let path = entry?.path();
        // Word's lock file beside an open document (`~$brief.docx`) is not a source.
        let lock = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("~$"));
        if path.is_file() && !lock && SourceFormat::from_path(&path).is_some() {
            out.push(path);
        }
    }
    out.sort();
    if out.is_empty() {
        bail!(UsageError(format!(
            "no .md, .txt, .json or .docx sources in `{}`; name the sources or another folder",
            dir.display()
        )));
    }
    Ok(out)
}

/// The sources of `build` with no arguments: the sources in `source/`.
fn default_sources() -> anyhow::Result<Vec<PathBuf>> {
    let dir = Path::new("source");
    if !dir.is_dir() {
        bail!(UsageError(
            "no sources given and no `source/` folder here; run from the project folder or name the sources".into()
        ));
    }
    sources_in(dir)
}

/// The sources named on the command line, a folder standing for the sources in it.
pub(super) fn expand_folders(named: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::with_capacity(named.len());
    for path in named {
        if path.is_dir() {
            out.extend(sources_in(path)?);
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

/// Two sources with the same stem would overwrite each other's outputs in `out_dir`.
fn check_stems(sources: &[PathBuf], out_dir: &Path) -> anyhow::Result<()> {
    let mut seen: BTreeMap<String, &PathBuf> = BTreeMap::new();
    for s in sources {
        let stem = stem_of(s);
        if let Some(first) = seen.insert(stem.clone(), s) {
            bail!(UsageError(format!(
                "`{}` and `{}` would both write {}.*; rename one of them",
                first.display(),
                s.display(),
                out_dir.join(&stem).display()
            )));
        }
    }
    Ok(())
}

/// `-o` of `build` names a folder: one run writes several files per source, so a file name
/// (`-o out/brief.pdf`, which once made a folder called brief.pdf) is refused with what to
/// write instead.
fn check_output_folder(out: &Path) -> anyhow::Result<()> {
    let format = out.extension().and_then(|e| {
        Format::ALL
            .into_iter()
            .find(|f| e.eq_ignore_ascii_case(f.extension()))
    });
    if let Some(format) = format {
        let dir = out
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        bail!(UsageError(format!(
            "`-o {}` names a file, but `-o` of `build` is the output folder; write `-o {}/ -f {}` (each source writes <folder>/<its name>.{})",
            out.display(),
            dir.display(),
            format.extension(),
            format.extension()
        )));
    }
    Ok(())
}

pub(super) fn build(args: BuildArgs, epoch: Option<i64>) -> anyhow::Result<Outcome> {
    let (sources, default_out) = if args.sources.is_empty() {
        (default_sources()?, PathBuf::from("output"))
    } else {
        (expand_folders(&args.sources)?, PathBuf::from("output"))
    };
    if let Some(out) = &args.output {
        check_output_folder(out)?;
    }
    let out_dir = args.output.unwrap_or(default_out);
    check_stems(&sources, &out_dir)?;
    std::fs::create_dir_all(&out_dir).map_err(|e| {
        UsageError(format!(
            "cannot create the output folder `{}` ({e})",
            out_dir.display()
        ))
    })?;
    note_stale_tmp_files(&out_dir);
    let mut formats: Vec<Format> = args.formats.into_iter().map(Format::from).collect();
    formats.sort();
    formats.dedup();
    let page = args.page_size.map(|p| match p {
        PageSizeArg::A4 => PageSize::A4,
        PageSizeArg::Letter => PageSize::Letter,
    });
    let named: Vec<Source> = sources.iter().cloned().map(Source::named).collect();
    let themes = Themes::load(&named, args.theme.as_deref(), page)?;

    let bar = progress_bar(sources.len());
    let results: Vec<(PathBuf, Result<Built, Refused>)> = sources
        .par_iter()
        .map(|src| {
            let r = themes
                .for_source(src)
                .map_err(Refused::from)
                .and_then(|theme| build_one(src, &formats, theme, &out_dir, epoch));
            if let Some(b) = &bar {
                b.inc(1);
            }
            (src.clone(), r)
        })
        .collect();
    if let Some(b) = bar {
        b.finish_and_clear();
    }

    let (mut built, mut failed) = (0, 0);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (path, result) in results {
        match result {
            Ok(Built {
                written,
                warnings,
                timings,
            }) => {
                print_warnings(&path, &warnings);
                if verbosity() == Verbosity::Verbose {
                    report("note", format_args!("{}: {}", path.display(), timings));
                }
                let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
                say(
                    &mut out,
                    format_args!("{} -> {}", path.display(), names.join(", ")),
                )?;
                built += 1;
            }
            Err(refused) => {
                Failure { path, refused }.print();
                failed += 1;
            }
        }
    }
    say(&mut out, format_args!("{built} built, {failed} failed"))?;
    Ok(if failed == 0 {
        Outcome::Success
    } else {
        Outcome::SourceFailed
    })
}

/// A progress bar on stderr, only when it is a terminal and there is more than one source (a CMS
/// or a pipe gets clean output).
fn progress_bar(n: usize) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if n < 2 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(n as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} briefs  {elapsed}")
    {
        bar.set_style(style);
    }
    Some(bar)
}

/// What one source built: the files written, the warnings raised, and how long each step took
/// (for `--verbose`).
struct Built {
    written: Vec<PathBuf>,
    warnings: Vec<Warning>,
    timings: Timings,
}

/// The time of each step of one source, said as `read 3 ms, pdf 41 ms, …, written 1 ms`.
#[derive(Default)]
struct Timings(Vec<(&'static str, std::time::Duration)>);

impl std::fmt::Display for Timings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, (step, took)) in self.0.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{step} {} ms", took.as_millis())?;
        }
        Ok(())
    }
}

/// Reads one source and writes every format, all or nothing: everything is rendered in memory
/// first, then each file is written atomically.
fn build_one(
    src: &Path,
    formats: &[Format],
    theme: &Theme,
    out_dir: &Path,
    epoch: Option<i64>,
) -> Result<Built, Refused> {
    let mut timings = Timings::default();
    let started = Instant::now();
    let (article, mut warnings) = load(src, epoch)?;
    timings.0.push(("read", started.elapsed()));
    // Hashed once for all formats (it covers the images' bytes).
    let uuid = briefpress::render::content_uuid(&article);
    // The formats render in parallel: for one source on two cores the PDF (about two thirds of
    // the work) takes one core while the DOCX and the EPUB take the other, and in a batch the
    // pool balances them with the other sources. The results stay in format order, so the
    // warnings and the first error are what rendering one after another gives.
    let rendered: Vec<(
        Result<briefpress::render::Rendered, Error>,
        std::time::Duration,
    )> = formats
        .par_iter()
        .map(|&format| {
            let started = Instant::now();
            let r = format.render_with_id(&article, theme, &uuid);
            (r, started.elapsed())
        })
        .collect();
    let verbose = verbosity() == Verbosity::Verbose;
    let mut files = Vec::new();
    for (&format, (rendered, took)) in formats.iter().zip(rendered) {
        let rendered = rendered?;
        timings.0.push((format.extension(), took));
        if verbose {
            // Which backend said it: the detail the default run folds into one line.
            warnings.extend(rendered.warnings.into_iter().map(|mut w| {
                w.message = format!("{} ({})", w.message, format.extension());
                w
            }));
        } else {
            warnings.extend(rendered.warnings);
        }
        files.push((
            out_dir.join(format!("{}.{}", stem_of(src), format.extension())),
            rendered.bytes,
        ));
    }
    let started = Instant::now();
    write_all_or_none(&files).map_err(|e| {
        Error::source(
            Location::default(),
            e.to_string(),
            Some("check the output folder's permissions and free space".to_owned()),
        )
    })?;
    timings.0.push(("written", started.elapsed()));
    let written = files.into_iter().map(|(path, _)| path).collect();
    dedup_warnings(&mut warnings);
    Ok(Built {
        written,
        warnings,
        timings,
    })
}

/// Removes what an earlier, killed run left in the output folder, and says so.
pub(super) fn note_stale_tmp_files(dir: &Path) {
    let n = remove_stale_tmp_files(dir);
    if n > 0 {
        report(
            "note",
            format_args!(
                "removed {n} temporary file{} an interrupted run left in `{}`",
                if n == 1 { "" } else { "s" },
                dir.display()
            ),
        );
    }
}
