//! `briefpress pack`: several briefs bound into one PDF, DOCX and EPUB (a briefing pack), from
//! sources named on the command line or from a pack manifest (`pack.toml`). Everything that
//! touches files is here; the pack itself is `briefpress::pack` and the backends'
//! `render_pack`. All or nothing: every brief is read and every format rendered in memory
//! before any file is written, so a failing brief leaves no pack behind.

use super::args::{FormatArg, PageSizeArg};
use super::build::note_stale_tmp_files;
use super::input::{Folder, Source, load_source, source_dir};
use super::output::write_all_or_none;
use super::theme::Themes;
use super::{
    Outcome, UsageError, Verbosity, dedup_warnings, print_warnings, report, say, stem_of, verbosity,
};
use briefpress::article::{Date, Image};
use briefpress::error::Warning;
use briefpress::pack::manifest::{Located, Manifest};
use briefpress::pack::{Pack, PackMeta};
use briefpress::render::Format;
use briefpress::theme::PageSize;
use clap::Args;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `briefpress pack`'s arguments.
#[derive(Debug, Args)]
#[command(after_help = PACK_HELP)]
pub struct PackArgs {
    /// The briefs in the order they are bound (.md, .txt, .json, .docx), or pack manifests (.toml),
    /// each bound into its own pack.
    #[arg(required = true)]
    sources: Vec<PathBuf>,
    /// The pack's file; each other format gets the same name with its own extension
    /// (`-o out/pack.pdf -f pdf,epub` writes out/pack.pdf and out/pack.epub); a folder (ending
    /// in `/`, or one that exists) takes the default name inside it. Default:
    /// output/<manifest name>.*, or output/<--title as a file name>.*, else output/pack.*.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Formats to write, comma-separated.
    #[arg(short, long, value_delimiter = ',', default_value = "pdf,docx,epub")]
    formats: Vec<FormatArg>,
    /// The pack's title (overrides the manifest's).
    #[arg(long)]
    title: Option<String>,
    /// A line under the title (overrides the manifest's).
    #[arg(long)]
    subtitle: Option<String>,
    /// The pack's date, YYYY-MM-DD (overrides the manifest's).
    #[arg(long)]
    date: Option<String>,
    /// The publisher (overrides the manifest's; default: the theme's).
    #[arg(long)]
    publisher: Option<String>,
    /// Paper size of the PDF; default: the theme's (A4).
    #[arg(long, value_enum)]
    page_size: Option<PageSizeArg>,
    /// Theme file for the whole pack (default: briefpress.toml beside the manifest or the
    /// first brief, else in this folder, else the embedded theme).
    #[arg(long, value_name = "FILE")]
    theme: Option<PathBuf>,
}

const PACK_HELP: &str = "A pack manifest (pack.toml):\n\
  title = \"Western Hemisphere briefing\"\n\
  subtitle = \"Papers for the minister's visit\"\n\
  date = 2026-02-02\n\
  publisher = \"The Example Council\"\n\
  cover = \"cover.jpg\"                  # optional picture on the cover\n\
  sources = [\"colombia.md\", \"trade.txt\"]  # in order, relative to the manifest\n\
\n\
If any brief fails, nothing is written and the message names that brief.";

/// Whether a path names a pack manifest.
pub fn is_manifest(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
}

/// A manifest read and resolved: its metadata, the briefs (opened through the manifest's
/// folder), the cover picture.
struct Resolved {
    meta: PackMeta,
    sources: Vec<Source>,
    cover: Option<Image>,
}

/// Prints a manifest problem as `error: FILE:LINE:COLUMN: message`.
fn manifest_error(file: &Path, line: Option<usize>, column: Option<usize>, message: &str) {
    let at = match (line, column) {
        (Some(l), Some(c)) => format!(":{l}:{c}"),
        (Some(l), None) => format!(":{l}"),
        _ => String::new(),
    };
    report("error", format_args!("{}{at}: {message}", file.display()));
}

/// Reads a manifest and resolves its paths from its folder, which is opened once: the manifest,
/// its briefs and its cover are all opened through that handle, never outside it. Prints the
/// problem and returns `None` when it cannot be used.
fn read_manifest(file: &Path) -> Option<Resolved> {
    let read = Folder::of_file(file, "the manifest's folder").and_then(|folder| {
        let name = file.file_name().map(PathBuf::from).unwrap_or_default();
        folder.read(&name).map(|bytes| (folder, bytes))
    });
    let (folder, text) = match read {
        Ok((folder, bytes)) => match String::from_utf8(bytes) {
            Ok(t) => (Arc::new(folder), t),
            Err(_) => {
                manifest_error(file, None, None, "is not UTF-8 text; re-save it as UTF-8");
                return None;
            }
        },
        Err(e) => {
            manifest_error(file, None, None, &format!("cannot read the file ({e})"));
            return None;
        }
    };
    let manifest = match Manifest::parse(&text) {
        Ok(m) => m,
        Err(e) => {
            manifest_error(file, e.line, e.column, &e.message);
            return None;
        }
    };
    // Paths as the user would write them (`brief.md`, not `./brief.md`) in messages.
    let base = file.parent().unwrap_or(Path::new(""));
    // The paths are already through the one path check (`Manifest::parse`): a brief is in the
    // manifest's folder or below it, opened through that folder, or in a folder beside it
    // (`../briefs/a.md`), opened through the folder above, once; a symbolic link that leads out
    // of the folder it is opened through is refused when the brief is opened, naming the brief.
    let mut above: Option<Arc<Folder>> = None;
    let mut sources = Vec::with_capacity(manifest.sources.len());
    for s in &manifest.sources {
        let s: &Located = s;
        let shown = base.join(&s.path);
        match s.path.strip_prefix("../") {
            None => sources.push(Source::in_manifest(shown, folder.clone(), s.path.clone())),
            Some(rel) => {
                let up = match &above {
                    Some(f) => f.clone(),
                    None => match Folder::open(
                        &source_dir(file).join(".."),
                        "the folder above the manifest's",
                    ) {
                        Ok(f) => above.insert(Arc::new(f)).clone(),
                        Err(e) => {
                            manifest_error(
                                file,
                                Some(s.line),
                                Some(s.column),
                                &format!("cannot open the folder above the manifest's ({e})"),
                            );
                            return None;
                        }
                    },
                };
                sources.push(Source::in_manifest(shown, up, rel.to_owned()));
            }
        }
    }
    let cover = match &manifest.cover {
        None => None,
        Some(loc) => {
            let checked = folder
                .read(Path::new(&loc.path))
                .map_err(|e| format!("cannot read the cover `{}` ({e})", loc.path))
                .and_then(|bytes| {
                    briefpress::read::images::check_image(bytes)
                        .map_err(|(why, hint)| format!("the cover `{}` {why} ({hint})", loc.path))
                });
            match checked {
                Ok(img) => Some(img),
                Err(message) => {
                    manifest_error(file, Some(loc.line), Some(loc.column), &message);
                    return None;
                }
            }
        }
    };
    Some(Resolved {
        meta: manifest.meta,
        sources,
        cover,
    })
}

/// `check` on a manifest checks its briefs: the manifests among `sources` become the briefs
/// they name (each manifest and its cover checked on the way). Returns the sources to check
/// and how many manifests failed.
pub fn expand_manifests(sources: &[PathBuf]) -> (Vec<Source>, usize) {
    let mut out = Vec::new();
    let mut failed = 0;
    for s in sources {
        if !is_manifest(s) {
            out.push(Source::named(s.clone()));
            continue;
        }
        match read_manifest(s) {
            Some(r) => {
                let title = if r.meta.title.is_empty() {
                    briefpress::pack::DEFAULT_TITLE
                } else {
                    &r.meta.title
                };
                // A failed write to stdout shows in the briefs' own lines that follow.
                let _ = say(
                    &mut std::io::stdout().lock(),
                    format_args!(
                        "{}: ok — pack “{title}”, {} brief{}{}",
                        s.display(),
                        r.sources.len(),
                        if r.sources.len() == 1 { "" } else { "s" },
                        if r.cover.is_some() {
                            ", cover picture"
                        } else {
                            ""
                        }
                    ),
                );
                out.extend(r.sources);
            }
            None => failed += 1,
        }
    }
    (out, failed)
}

/// The file of each format: `-o`'s name with the format's extension (a known extension on
/// `-o` is replaced, anything else kept as part of the name).
fn output_paths(output: &Path, formats: &[Format]) -> Vec<(Format, PathBuf)> {
    let known = output.extension().is_some_and(|e| {
        Format::ALL
            .iter()
            .any(|f| e.eq_ignore_ascii_case(f.extension()))
    });
    let stem = if known {
        output.with_extension("")
    } else {
        output.to_path_buf()
    };
    formats
        .iter()
        .map(|f| {
            let mut name = stem.clone().into_os_string();
            name.push(".");
            name.push(f.extension());
            (*f, PathBuf::from(name))
        })
        .collect()
}

/// One pack to bind: from a manifest, or from the briefs on the command line.
struct Job {
    /// The manifest, when the pack has one.
    manifest: Option<PathBuf>,
    /// The pack's PDF path; the other formats take the same name ([`output_paths`]).
    output: PathBuf,
}

/// A pack title as a file name: lowercase letters and digits, every other run of characters
/// one `-` (`Western Hemisphere: 2026` → `western-hemisphere-2026`), at most 80 characters;
/// `pack` when nothing is left.
fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out: String = out.chars().take(80).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() { "pack".into() } else { out }
}

/// The pack's PDF path: `-o` as given (a folder — ending in `/` or already one — takes
/// `<name>.pdf` inside it), else `output/<name>.pdf`.
fn pack_output(output: Option<&Path>, name: &str) -> PathBuf {
    let file = format!("{name}.pdf");
    match output {
        None => Path::new("output").join(file),
        Some(o) if o.is_dir() || o.as_os_str().to_string_lossy().ends_with(['/', '\\']) => {
            o.join(file)
        }
        Some(o) => o.to_path_buf(),
    }
}

/// The packs of one run: one per manifest (named after the manifest), or one of the briefs
/// given (named after `--title`, else `pack`). Two packs that would write the same files are
/// refused, naming both.
fn jobs(args: &PackArgs) -> anyhow::Result<Vec<Job>> {
    let manifests: Vec<&PathBuf> = args.sources.iter().filter(|s| is_manifest(s)).collect();
    if !manifests.is_empty() && manifests.len() != args.sources.len() {
        return Err(UsageError(
            "give pack manifests (.toml) or the briefs themselves, not both".into(),
        )
        .into());
    }
    if manifests.is_empty() {
        let name = slug(args.title.as_deref().unwrap_or(""));
        return Ok(vec![Job {
            manifest: None,
            output: pack_output(args.output.as_deref(), &name),
        }]);
    }
    let mut jobs: Vec<Job> = Vec::with_capacity(manifests.len());
    for m in manifests {
        let output = pack_output(args.output.as_deref(), &stem_of(m));
        let clash = jobs
            .iter()
            .find(|j| output_paths(&j.output, &Format::ALL) == output_paths(&output, &Format::ALL));
        if let Some(first) = clash {
            let first = first.manifest.as_deref().unwrap_or(Path::new(""));
            return Err(UsageError(format!(
                "`{}` and `{}` would both write {}; rename one manifest, or bind them in separate runs with their own -o",
                first.display(),
                m.display(),
                output.with_extension("*").display()
            ))
            .into());
        }
        jobs.push(Job {
            manifest: Some(m.clone()),
            output,
        });
    }
    Ok(jobs)
}

/// Runs `briefpress pack`: every pack of the run ([`jobs`]); a failing pack writes nothing
/// and does not stop the others.
pub fn run(args: PackArgs, epoch: Option<i64>) -> anyhow::Result<Outcome> {
    let jobs = jobs(&args)?;
    let date = match &args.date {
        Some(d) => Some(
            d.parse::<Date>()
                .map_err(|e| UsageError(format!("--date: {e}")))?,
        ),
        None => None,
    };
    let mut formats: Vec<Format> = args.formats.iter().copied().map(Format::from).collect();
    formats.sort();
    formats.dedup();
    let (mut bound, mut failed) = (0, 0);
    let mut briefs_in_last = 0;
    for job in &jobs {
        match bind(&args, job, date, &formats, epoch)? {
            Some(n) => {
                bound += 1;
                briefs_in_last = n;
            }
            None => failed += 1,
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if jobs.len() == 1 && bound == 1 {
        say(
            &mut out,
            format_args!(
                "1 pack of {briefs_in_last} brief{} bound",
                if briefs_in_last == 1 { "" } else { "s" }
            ),
        )?;
    } else if jobs.len() > 1 {
        say(
            &mut out,
            format_args!("{bound} packs bound, {failed} failed"),
        )?;
    }
    Ok(if failed == 0 {
        Outcome::Success
    } else {
        Outcome::SourceFailed
    })
}

/// Binds one pack and writes it, all or nothing. The number of briefs bound, or `None` when
/// the pack failed (the problem already printed).
fn bind(
    args: &PackArgs,
    job: &Job,
    date: Option<Date>,
    formats: &[Format],
    epoch: Option<i64>,
) -> anyhow::Result<Option<usize>> {
    let (mut meta, sources, cover) = match &job.manifest {
        Some(file) => {
            let Some(r) = read_manifest(file) else {
                report("error", "the pack was not written");
                return Ok(None);
            };
            (r.meta, r.sources, r.cover)
        }
        None => (
            PackMeta::default(),
            args.sources.iter().cloned().map(Source::named).collect(),
            None,
        ),
    };
    if let Some(t) = &args.title {
        meta.title = t.trim().to_owned();
    }
    if let Some(s) = &args.subtitle {
        meta.subtitle = Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    }
    if let Some(p) = &args.publisher {
        meta.publisher = Some(p.trim().to_owned()).filter(|s| !s.is_empty());
    }
    if date.is_some() {
        meta.date = date;
    }
    meta.source_date_epoch = epoch;

    let output = &job.output;
    let outputs = output_paths(output, formats);
    if let Some(dir) = output.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            UsageError(format!(
                "cannot create the output folder `{}` ({e})",
                dir.display()
            ))
        })?;
    }
    note_stale_tmp_files(
        output
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new(".")),
    );

    // One theme for the whole pack, found from the manifest (or the first brief).
    let page = args.page_size.map(|p| match p {
        PageSizeArg::A4 => PageSize::A4,
        PageSizeArg::Letter => PageSize::Letter,
    });
    let anchor = job
        .manifest
        .clone()
        .unwrap_or_else(|| args.sources[0].clone());
    let themes = Themes::load(
        &[Source::named(anchor.clone())],
        args.theme.as_deref(),
        page,
    )?;
    let theme = match themes.for_source(&anchor) {
        Ok(t) => t,
        Err(e) => {
            report("error", &e);
            report("error", "the pack was not written");
            return Ok(None);
        }
    };

    // Every brief, in parallel, in order; any failure stops the pack before anything is
    // written.
    let loaded: Vec<_> = sources
        .par_iter()
        .map(|s| {
            let started = std::time::Instant::now();
            (load_source(s, epoch), started.elapsed())
        })
        .collect();
    let mut briefs = Vec::with_capacity(loaded.len());
    let mut warnings: Vec<(PathBuf, Vec<Warning>)> = Vec::new();
    let mut failed = 0;
    for (source, (result, took)) in sources.iter().zip(loaded) {
        if verbosity() == Verbosity::Verbose {
            report(
                "note",
                format_args!("{}: read {} ms", source.path.display(), took.as_millis()),
            );
        }
        match result {
            Ok((article, w)) => {
                briefs.push(article);
                warnings.push((source.path.clone(), w));
            }
            Err(refused) => {
                super::Failure {
                    path: source.path.clone(),
                    refused,
                }
                .print();
                failed += 1;
            }
        }
    }
    if failed > 0 {
        report(
            "error",
            format_args!(
                "the pack was not written: {failed} of {} brief{} failed",
                sources.len(),
                if sources.len() == 1 { "" } else { "s" }
            ),
        );
        return Ok(None);
    }
    for (path, w) in &warnings {
        print_warnings(path, w);
    }
    let pack = Pack {
        meta,
        cover,
        briefs,
    };

    // Every format in memory first (in parallel), then every file written atomically.
    let rendered: Vec<_> = outputs
        .par_iter()
        .map(|(format, _)| format.render_pack(&pack, theme))
        .collect();
    let mut files = Vec::with_capacity(rendered.len());
    for ((_, path), result) in outputs.iter().zip(rendered) {
        match result {
            Ok(r) => {
                let mut w = r.warnings;
                dedup_warnings(&mut w);
                print_warnings(path, &w);
                files.push((path.clone(), r.bytes));
            }
            Err(e) => {
                report("error", format_args!("{}: {e}", path.display()));
                report("error", "the pack was not written");
                return Ok(None);
            }
        }
    }
    if let Err(e) = write_all_or_none(&files) {
        report(
            "error",
            format_args!("{e}; check the output folder's permissions and free space"),
        );
        report("error", "the pack was not written");
        return Ok(None);
    }
    let written: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let from = match &job.manifest {
        Some(m) => m.display().to_string(),
        None => format!(
            "{} brief{}",
            pack.briefs.len(),
            if pack.briefs.len() == 1 { "" } else { "s" }
        ),
    };
    say(&mut out, format_args!("{from} -> {}", written.join(", ")))?;
    Ok(Some(pack.briefs.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_formats_take_the_name_of_the_output() {
        let all = [Format::Pdf, Format::Docx, Format::Epub];
        let names = |o: &str| -> Vec<String> {
            output_paths(Path::new(o), &all)
                .into_iter()
                .map(|(_, p)| p.display().to_string())
                .collect()
        };
        assert_eq!(
            names("out/pack.pdf"),
            ["out/pack.pdf", "out/pack.docx", "out/pack.epub"]
        );
        assert_eq!(
            names("out/pack.EPUB"),
            ["out/pack.pdf", "out/pack.docx", "out/pack.epub"]
        );
        assert_eq!(names("pack"), ["pack.pdf", "pack.docx", "pack.epub"]);
        assert_eq!(
            names("pack.v2"),
            ["pack.v2.pdf", "pack.v2.docx", "pack.v2.epub"]
        );
    }

    #[test]
    fn a_title_becomes_a_file_name_of_letters_digits_and_dashes() {
        assert_eq!(slug("Andean Briefing: 2026"), "andean-briefing-2026");
        assert_eq!(
            slug("  Informe económico — Perú  "),
            "informe-económico-perú"
        );
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("\u{202E}?!"), "pack");
        assert_eq!(slug(""), "pack");
        assert_eq!(slug(&"a".repeat(200)).len(), 80);
    }
}
