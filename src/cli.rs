//! The command line: clap types, and everything that touches the world — files, the
//! environment (`SOURCE_DATE_EPOCH`), atomic writes, parallel builds. The library stays pure.

use anyhow::{Context, bail};
use briefpress::article::Article;
use briefpress::error::{Error, Location, Warning};
use briefpress::read::{self, Assets, SourceFormat};
use briefpress::render::Format;
use briefpress::theme::{PageSize, Theme};
use clap::{Args, Parser, Subcommand, ValueEnum};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod pack;

/// Turn a policy brief into a print-ready PDF, an editable DOCX and an EPUB 3.
///
/// Sources are Markdown with YAML front matter (.md), wire text (.txt) or the JSON model
/// (.json). With no arguments, `build` exports every source in `source/` to `output/`.
#[derive(Debug, Parser)]
#[command(name = "briefpress", version, about, long_about = None, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

const AFTER_HELP: &str = "Exit status: 0 success, 1 a source failed, 2 usage error.\n\
Timestamps come from the brief's `date`, else SOURCE_DATE_EPOCH, never the clock.";

#[derive(Debug, Subcommand)]
enum Command {
    /// Export sources to PDF, DOCX and EPUB (default: every source in source/ to output/).
    Build(BuildArgs),
    /// Bind several briefs into one briefing pack: a cover, a contents, then each brief.
    Pack(pack::PackArgs),
    /// Read and validate sources, report every problem, write nothing.
    Check {
        /// Source files (.md, .txt, .json), or pack manifests (.toml: every brief is checked).
        #[arg(required = true)]
        sources: Vec<PathBuf>,
        /// Theme file (default: briefpress.toml beside each source or in this folder).
        #[arg(long, value_name = "FILE")]
        theme: Option<PathBuf>,
    },
    /// Show what briefpress reads from a source.
    Inspect {
        /// A source file (.md, .txt, .json).
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
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SchemaArg {
    Article,
    Theme,
}

#[derive(Debug, Args)]
struct BuildArgs {
    /// Source files (.md, .txt, .json); default: every source in source/.
    sources: Vec<PathBuf>,
    /// Formats to write, comma-separated.
    #[arg(short, long, value_delimiter = ',', default_value = "pdf,docx,epub")]
    formats: Vec<FormatArg>,
    /// Output folder (created if missing); default: output/.
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Paper size of the PDF; default: the theme's (A4).
    #[arg(long, value_enum)]
    page_size: Option<PageSizeArg>,
    /// Theme file (default: briefpress.toml beside each source or in this folder, else the
    /// embedded theme).
    #[arg(long, value_name = "FILE")]
    theme: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
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
enum PageSizeArg {
    A4,
    Letter,
}

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

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let epoch = source_date_epoch()?;
    match cli.command {
        Command::Build(args) => build(args, epoch),
        Command::Pack(args) => pack::run(args, epoch),
        Command::Check { sources, theme } => check(&sources, theme.as_deref(), epoch),
        Command::Inspect { source, json } => inspect(&source, json, epoch),
        Command::Theme { default: true, .. } => {
            write!(
                std::io::stdout().lock(),
                "{}",
                briefpress::theme::default_toml()
            )?;
            Ok(Outcome::Success)
        }
        Command::Theme { file, .. } => check_theme(file.as_deref()),
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

/// `SOURCE_DATE_EPOCH`, the reproducible-builds timestamp, when set.
fn source_date_epoch() -> anyhow::Result<Option<i64>> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => match v.trim().parse::<i64>() {
            Ok(n) => Ok(Some(n)),
            Err(_) => Err(UsageError(format!(
                "SOURCE_DATE_EPOCH=`{v}` is not a number of seconds since 1970; unset it or fix it"
            ))
            .into()),
        },
        _ => Ok(None),
    }
}

/// One source that failed: its path and the located error.
struct Failure {
    path: PathBuf,
    error: Error,
}

impl Failure {
    fn print(&self) {
        eprintln!(
            "error: {}{}: {}",
            self.path.display(),
            self.error.location().suffix(),
            self.error
        );
    }
}

fn print_warnings(path: &Path, warnings: &[Warning]) {
    for w in warnings {
        eprintln!("warning: {}{}: {}", path.display(), w.at.suffix(), w);
    }
}

/// The sources of `build` with no arguments: every .md, .txt and .json in `source/`, sorted.
fn default_sources() -> anyhow::Result<Vec<PathBuf>> {
    let dir = Path::new("source");
    let entries = std::fs::read_dir(dir).map_err(|e| {
        UsageError(format!(
            "no sources given and cannot read `source/` ({e}); run from the project folder or name the sources"
        ))
    })?;
    let mut out = Vec::new();
    for entry in entries {
        let path = entry?.path();
        if path.is_file() && SourceFormat::from_path(&path).is_some() {
            out.push(path);
        }
    }
    out.sort();
    if out.is_empty() {
        bail!(UsageError(
            "no .md, .txt or .json sources in `source/`".into()
        ));
    }
    Ok(out)
}

/// Two sources with the same stem would overwrite each other's outputs.
fn check_stems(sources: &[PathBuf]) -> anyhow::Result<()> {
    let mut seen: BTreeMap<String, &PathBuf> = BTreeMap::new();
    for s in sources {
        let stem = stem_of(s);
        if let Some(first) = seen.insert(stem.clone(), s) {
            bail!(UsageError(format!(
                "`{}` and `{}` would both write output/{stem}.*; rename one of them",
                first.display(),
                s.display()
            )));
        }
    }
    Ok(())
}

fn stem_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "brief".into())
}

fn build(args: BuildArgs, epoch: Option<i64>) -> anyhow::Result<Outcome> {
    let (sources, default_out) = if args.sources.is_empty() {
        (default_sources()?, PathBuf::from("output"))
    } else {
        (args.sources, PathBuf::from("output"))
    };
    check_stems(&sources)?;
    let out_dir = args.output.unwrap_or(default_out);
    std::fs::create_dir_all(&out_dir).map_err(|e| {
        UsageError(format!(
            "cannot create the output folder `{}` ({e})",
            out_dir.display()
        ))
    })?;
    let mut formats: Vec<Format> = args.formats.into_iter().map(Format::from).collect();
    formats.sort();
    formats.dedup();
    let page = args.page_size.map(|p| match p {
        PageSizeArg::A4 => PageSize::A4,
        PageSizeArg::Letter => PageSize::Letter,
    });
    let themes = Themes::load(&sources, args.theme.as_deref(), page)?;

    let bar = progress_bar(sources.len());
    let results: Vec<(PathBuf, Result<Built, Error>)> = sources
        .par_iter()
        .map(|src| {
            let r = themes
                .for_source(src)
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
            Ok((written, warnings)) => {
                print_warnings(&path, &warnings);
                let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
                writeln!(out, "{} -> {}", path.display(), names.join(", "))?;
                built += 1;
            }
            Err(error) => {
                Failure { path, error }.print();
                failed += 1;
            }
        }
    }
    writeln!(out, "{built} built, {failed} failed")?;
    Ok(if failed == 0 {
        Outcome::Success
    } else {
        Outcome::SourceFailed
    })
}

/// The theme file a source uses: `--theme`, else `briefpress.toml` beside the source, else
/// `briefpress.toml` in the working folder, else the embedded default.
const THEME_FILE: &str = "briefpress.toml";

/// The themes of one run, each theme file read once.
struct Themes {
    /// By source folder: the theme, or the located error that fails every source using it.
    by_dir: BTreeMap<PathBuf, Result<Arc<Theme>, Error>>,
}

impl Themes {
    /// Loads `--theme` (a broken one stops the run: status 2) or every theme file the
    /// sources' folders hold; `page` (from `--page-size`) overrides every theme's paper.
    fn load(
        sources: &[PathBuf],
        explicit: Option<&Path>,
        page: Option<PageSize>,
    ) -> anyhow::Result<Themes> {
        let with_page = |mut t: Theme| {
            if let Some(p) = page {
                t.page = p;
            }
            Arc::new(t)
        };
        let mut by_dir = BTreeMap::new();
        if let Some(file) = explicit {
            let theme = read_theme(file).map_err(|e| UsageError(e.to_string()))?;
            let theme = with_page(theme);
            for s in sources {
                by_dir.insert(source_dir(s), Ok(theme.clone()));
            }
            return Ok(Themes { by_dir });
        }
        let cwd_file = Path::new(THEME_FILE);
        let fallback = if cwd_file.is_file() {
            read_theme(cwd_file).map(with_page)
        } else {
            Ok(with_page(Theme::default()))
        };
        for s in sources {
            let dir = source_dir(s);
            if by_dir.contains_key(&dir) {
                continue;
            }
            let beside = dir.join(THEME_FILE);
            let theme = if beside.is_file() {
                read_theme(&beside).map(with_page)
            } else {
                fallback.clone()
            };
            by_dir.insert(dir, theme);
        }
        Ok(Themes { by_dir })
    }

    /// The theme for a source, or the theme file's error.
    fn for_source(&self, src: &Path) -> Result<&Theme, Error> {
        match self.by_dir.get(&source_dir(src)) {
            Some(Ok(t)) => Ok(t),
            Some(Err(e)) => Err(e.clone()),
            None => Err(Error::source(
                Location::default(),
                "internal: no theme for this source",
                None,
            )),
        }
    }
}

/// The folder a source's relative paths start from.
fn source_dir(src: &Path) -> PathBuf {
    src.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

/// Reads a theme file; its paths resolve from its own folder.
fn read_theme(file: &Path) -> Result<Theme, Error> {
    let name = file.display().to_string();
    // The location is the theme file's, so it goes into the message, not onto the source.
    let fail = |at: Location, message: String| {
        Error::source(
            Location::default(),
            format!("theme {name}{}: {message}", at.suffix()),
            None,
        )
    };
    let bytes = read_capped(file)
        .map_err(|e| fail(Location::default(), format!("cannot be read ({e})")))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        fail(
            Location::default(),
            "is not UTF-8 text; re-save it as UTF-8".into(),
        )
    })?;
    let dir = source_dir(file);
    let located = |e: briefpress::theme::ThemeError| {
        let at = match (e.line, e.column) {
            (Some(l), Some(c)) => Location::at(l, c),
            (Some(l), None) => Location::line(l),
            _ => Location::default(),
        };
        fail(at, e.message)
    };
    let parsed = briefpress::theme::ThemeFile::parse(&text).map_err(located)?;
    parsed
        .into_theme(&text, &mut |rel| read_capped(&dir.join(rel)))
        .map_err(located)
}

/// `briefpress theme FILE`: checks a theme file and says what it sets.
fn check_theme(file: Option<&Path>) -> anyhow::Result<Outcome> {
    let Some(file) = file else {
        return Ok(Outcome::Success);
    };
    match read_theme(file) {
        Ok(t) => {
            let (w, h) = t.page.points();
            writeln!(
                std::io::stdout().lock(),
                "{}: ok — publisher “{}”, page {:.0} × {:.0} mm, {} pt {} / {}",
                file.display(),
                t.publisher,
                w * 25.4 / 72.0,
                h * 25.4 / 72.0,
                t.base_size,
                t.serif.name,
                t.sans.name
            )?;
            Ok(Outcome::Success)
        }
        Err(error) => {
            eprintln!("error: {}", error);
            Ok(Outcome::SourceFailed)
        }
    }
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

/// What one source built: the files written and the warnings raised.
type Built = (Vec<PathBuf>, Vec<Warning>);

/// Reads one source and writes every format, all or nothing: everything is rendered in memory
/// first, then each file is written atomically.
fn build_one(
    src: &Path,
    formats: &[Format],
    theme: &Theme,
    out_dir: &Path,
    epoch: Option<i64>,
) -> Result<Built, Error> {
    let (article, mut warnings) = load(src, epoch)?;
    // Hashed once for all formats (it covers the images' bytes).
    let uuid = briefpress::render::content_uuid(&article);
    // The formats render in parallel: for one source on two cores the PDF (about two thirds of
    // the work) takes one core while the DOCX and the EPUB take the other, and in a batch the
    // pool balances them with the other sources. The results stay in format order, so the
    // warnings and the first error are what rendering one after another gives.
    let rendered: Vec<Result<briefpress::render::Rendered, Error>> = formats
        .par_iter()
        .map(|&format| format.render_with_id(&article, theme, &uuid))
        .collect();
    let mut files = Vec::new();
    for (&format, rendered) in formats.iter().zip(rendered) {
        let rendered = rendered?;
        warnings.extend(rendered.warnings);
        files.push((
            out_dir.join(format!("{}.{}", stem_of(src), format.extension())),
            rendered.bytes,
        ));
    }
    let mut written = Vec::new();
    for (path, bytes) in files {
        write_atomically(&path, &bytes).map_err(|e| {
            Error::source(
                Location::default(),
                format!("cannot write `{}` ({e})", path.display()),
                Some("check the output folder's permissions and free space".to_owned()),
            )
        })?;
        written.push(path);
    }
    dedup_warnings(&mut warnings);
    Ok((written, warnings))
}

/// The same warning from several backends is said once.
fn dedup_warnings(warnings: &mut Vec<Warning>) {
    let mut seen = std::collections::BTreeSet::new();
    warnings.retain(|w| seen.insert((w.at.line, w.at.column, w.message.clone())));
}

/// Temporary files being written right now, removed by the interrupt handler.
static IN_FLIGHT: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// On Ctrl-C or SIGTERM: remove every temporary file being written, then stop. Finished outputs
/// were renamed into place whole, and earlier outputs are never touched, so nothing partial stays.
pub fn install_interrupt_handler() {
    let installed = ctrlc::set_handler(|| {
        if let Ok(list) = IN_FLIGHT.lock() {
            for p in list.iter() {
                let _ = std::fs::remove_file(p);
            }
        }
        eprintln!("interrupted: no partial file was left");
        std::process::exit(130);
    });
    if let Err(e) = installed {
        eprintln!("warning: cannot catch Ctrl-C ({e}); an interrupted build may leave a .tmp file");
    }
}

/// Writes through a temporary file in the same folder, then renames: a failure never leaves a
/// partial file and never replaces a good one.
///
/// No `fsync` before the rename: the rename alone is what makes a failed or interrupted export
/// leave nothing partial, and syncing three files to disk was 12 ms of a 40 ms sample build
/// (hyperfine, with and without a no-op `fsync`). Durability against power loss is left to the
/// operating system's writeback, as for every other tool's output (pandoc and Typst do not sync
/// either); ext4 also flushes a file renamed over an existing one before the rename commits.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".briefpress-").suffix(".tmp");
    // Outputs are ordinary documents, readable by everyone; a temporary file would be private.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    let tmp_path = tmp.path().to_path_buf();
    if let Ok(mut list) = IN_FLIGHT.lock() {
        list.push(tmp_path.clone());
    }
    let result = (|| {
        tmp.write_all(bytes)?;
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    })();
    if let Ok(mut list) = IN_FLIGHT.lock() {
        list.retain(|p| *p != tmp_path);
    }
    result
}

/// The most bytes a source or image file may have: 256 MiB, far above a 10 MB brief with photos.
const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

fn read_capped(path: &Path) -> std::io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(std::io::Error::other(format!(
            "larger than {} MiB",
            MAX_FILE_BYTES >> 20
        )));
    }
    std::fs::read(path)
}

/// Reads and checks one source into an article.
fn load(src: &Path, epoch: Option<i64>) -> Result<(Article, Vec<Warning>), Error> {
    let format = SourceFormat::from_path(src).ok_or_else(|| {
        Error::source(
            Location::default(),
            "unknown source type",
            Some("use a .md, .txt or .json file".to_owned()),
        )
    })?;
    let bytes = read_capped(src).map_err(|e| {
        Error::source(
            Location::default(),
            format!("cannot read the file ({e})"),
            Some("check the path".to_owned()),
        )
    })?;
    let base = src
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let assets = DirAssets { base };
    let loaded = read::read(format, &bytes, &stem_of(src), &assets)?;
    let mut article = loaded.article;
    article.meta.source_date_epoch = epoch;
    Ok((article, loaded.warnings))
}

/// The files beside a source, refusing any path that resolves (through `..` or a symbolic link)
/// outside the source's folder.
struct DirAssets {
    base: PathBuf,
}

impl Assets for DirAssets {
    fn read(&self, rel: &str) -> std::io::Result<Vec<u8>> {
        let path = self.base.join(rel);
        let base = self.base.canonicalize()?;
        let real = path.canonicalize()?;
        if !real.starts_with(&base) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "it leads outside the source's folder through a symbolic link",
            ));
        }
        read_capped(&real)
    }
}

fn check(sources: &[PathBuf], theme: Option<&Path>, epoch: Option<i64>) -> anyhow::Result<Outcome> {
    // A pack manifest stands for the briefs it names.
    let (expanded, failed_manifests) = pack::expand_manifests(sources);
    let sources = expanded.as_slice();
    let themes = Themes::load(sources, theme, None)?;
    let results: Vec<_> = sources
        .par_iter()
        .map(|s| (s.clone(), themes.for_source(s).and_then(|_| load(s, epoch))))
        .collect();
    let mut failed = 0;
    for (path, r) in results {
        match r {
            Ok((article, warnings)) => {
                print_warnings(&path, &warnings);
                writeln!(
                    std::io::stdout().lock(),
                    "{}: ok — “{}”, {} blocks",
                    path.display(),
                    article.meta.title,
                    article.blocks.len()
                )?;
            }
            Err(error) => {
                Failure { path, error }.print();
                failed += 1;
            }
        }
    }
    Ok(if failed + failed_manifests == 0 {
        Outcome::Success
    } else {
        Outcome::SourceFailed
    })
}

fn inspect(source: &Path, json: bool, epoch: Option<i64>) -> anyhow::Result<Outcome> {
    let (article, warnings) = match load(source, epoch) {
        Ok(x) => x,
        Err(error) => {
            Failure {
                path: source.to_path_buf(),
                error,
            }
            .print();
            return Ok(Outcome::SourceFailed);
        }
    };
    print_warnings(source, &warnings);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &article).context("writing JSON")?;
        writeln!(out)?;
    } else {
        write!(out, "{}", summary(&article))?;
    }
    Ok(Outcome::Success)
}

/// A human-readable account of what was read.
fn summary(a: &Article) -> String {
    use briefpress::article::Block;
    let m = &a.meta;
    let mut s = format!("title:     {}\n", m.title);
    if let Some(d) = &m.subtitle {
        s += &format!("subtitle:  {d}\n");
    }
    let names: Vec<&str> = m.authors.iter().map(|a| a.name.as_str()).collect();
    s += &format!(
        "authors:   {}\n",
        if names.is_empty() {
            "(none: the publisher stands as author)".into()
        } else {
            names.join(", ")
        }
    );
    s += &format!(
        "date:      {}\n",
        m.date.map_or("(none)".into(), |d| d.to_string())
    );
    s += &format!("language:  {}\n", m.language);
    if !m.keywords.is_empty() {
        s += &format!("keywords:  {}\n", m.keywords.join(", "));
    }
    if let Some(p) = &a.photo {
        let img = p.image.as_ref().map_or("no image file".to_owned(), |i| {
            format!("{} × {} px {}", i.width, i.height, i.format.extension())
        });
        s += &format!("photo:     {} ({img})\n", p.src.as_deref().unwrap_or("-"));
        s += &format!("caption:   {}\n", p.caption);
        if let Some(c) = &p.credit {
            s += &format!("credit:    {c}\n");
        }
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for b in &a.blocks {
        let k = match b {
            Block::Heading { .. } => "headings",
            Block::Paragraph { .. } => "paragraphs",
            Block::Quote { .. } => "quotes",
            Block::List { .. } => "lists",
            Block::Figure { .. } => "figures",
            Block::Rule => "rules",
        };
        *counts.entry(k).or_default() += 1;
    }
    let parts: Vec<String> = counts.iter().map(|(k, v)| format!("{v} {k}")).collect();
    s += &format!("body:      {}\n", parts.join(", "));
    if !a.notes.is_empty() {
        s += &format!("notes:     {}\n", a.notes.len());
    }
    s
}
