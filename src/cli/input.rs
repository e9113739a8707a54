//! Reading the files a run is given: a source and the files it names, a theme and its logo and
//! fonts, a pack manifest and its briefs. Every file is opened once, through a handle on the
//! folder it must stay in ([`Folder`]), and read from that one handle, capped in size.

use super::stem_of;
use briefpress::article::Article;
use briefpress::error::{Error, Location, Warning};
use briefpress::read::path::{PathProblem, relative_path};
use briefpress::read::{self, Assets, SourceFormat};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The most bytes a source or image file may have: 256 MiB, far above a 10 MB brief with photos.
const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// A folder opened once. Every file beneath it is opened through this handle (cap-std resolves
/// the path beneath the folder and refuses `..` or a symbolic link that leads out), so checking
/// a path and opening it are one step: a folder swapped for a link mid-run cannot redirect a read.
pub(super) struct Folder {
    dir: cap_std::fs::Dir,
    /// Whose folder it is, for messages: "the source's folder", "the theme's folder" …
    whose: &'static str,
    /// Whether [`Folder::read_named`] may follow an absolute path: only for a theme the user
    /// named with `--theme` (which may name system fonts), never for one found beside sources.
    absolute_named: bool,
}

impl Folder {
    /// Opens the folder at `path` (a path the user gave: the one place ambient authority is used).
    pub(super) fn open(path: &Path, whose: &'static str) -> io::Result<Folder> {
        let dir = cap_std::fs::Dir::open_ambient_dir(path, cap_std::ambient_authority())?;
        Ok(Folder {
            dir,
            whose,
            absolute_named: false,
        })
    }

    /// The folder of a file named at `path` (its parent, or the working folder).
    pub(super) fn of_file(path: &Path, whose: &'static str) -> io::Result<Folder> {
        Folder::open(&source_dir(path), whose)
    }

    /// A folder beneath this one, opened through this handle.
    pub(super) fn folder(&self, rel: &Path, whose: &'static str) -> io::Result<Folder> {
        let dir = self.dir.open_dir(rel).map_err(|e| self.explain(e))?;
        Ok(Folder {
            dir,
            whose,
            absolute_named: false,
        })
    }

    /// The bytes of the regular file at `rel`, beneath this folder: opened once; its kind and
    /// size come from that open handle, never from a second look-up by name.
    pub(super) fn read(&self, rel: &Path) -> io::Result<Vec<u8>> {
        let mut options = cap_std::fs::OpenOptions::new();
        options.read(true);
        // A FIFO or a terminal named as a file would block the open (or take the terminal);
        // non-blocking opens them at once, and the regular-file check below refuses them.
        #[cfg(unix)]
        {
            use cap_std::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
        }
        let file = self
            .dir
            .open_with(rel, &options)
            .map_err(|e| self.explain(e))?;
        let meta = file.metadata()?;
        if !meta.is_file() {
            return Err(io::Error::other("not a regular file"));
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(too_large());
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        // A file that grows while it is read is still cut at the cap.
        file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(too_large());
        }
        Ok(bytes)
    }

    /// This folder, whose files may name absolute paths (see `absolute_named`).
    pub(super) fn trusting_absolute_paths(self) -> Folder {
        Folder {
            absolute_named: true,
            ..self
        }
    }

    /// A path named inside a file (a theme's logo or font): the one path check, then read
    /// through this folder.
    pub(super) fn read_named(&self, named: &str) -> io::Result<Vec<u8>> {
        let path = Path::new(named.trim());
        if self.absolute_named && path.is_absolute() {
            let name = path.file_name().map(PathBuf::from).unwrap_or_default();
            return Folder::of_file(path, "its folder")?.read(&name);
        }
        let rel = relative_path(named).map_err(|problem| {
            let why = match problem {
                PathProblem::Absolute => {
                    format!("it is absolute; name it relative to {}", self.whose)
                }
                PathProblem::ClimbsOut => format!("it climbs out of {}", self.whose),
                other => format!("it {other}"),
            };
            io::Error::new(io::ErrorKind::PermissionDenied, why)
        })?;
        self.read(Path::new(&rel))
    }

    /// cap-std's refusal of a path that leads out, said in our words (other errors unchanged).
    fn explain(&self, e: io::Error) -> io::Error {
        if is_escape(&e) {
            io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!(
                    "it leads outside {}, through `..` or a symbolic link",
                    self.whose
                ),
            )
        } else {
            e
        }
    }
}

/// Whether cap-std refused a path for leading outside its folder (a `PermissionDenied` that
/// carries its message; an operating-system refusal carries none).
fn is_escape(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::PermissionDenied
        && e.get_ref()
            .is_some_and(|inner| inner.to_string().contains("outside"))
}

fn too_large() -> io::Error {
    io::Error::other(format!("larger than {} MiB", MAX_FILE_BYTES >> 20))
}

/// The files a source names, read beneath the source's folder.
impl Assets for Folder {
    fn read(&self, rel: &str) -> io::Result<Vec<u8>> {
        Folder::read(self, Path::new(rel))
    }
}

/// A source to read: the path shown in messages, and where it is opened from.
#[derive(Clone)]
pub(super) struct Source {
    /// The path as the user (or the manifest, joined to its folder) names it.
    pub(super) path: PathBuf,
    /// For a brief a pack manifest names: the manifest's folder, opened once, and the brief's
    /// path beneath it (already through the one path check).
    in_manifest: Option<(Arc<Folder>, String)>,
}

impl Source {
    /// A source named on the command line.
    pub(super) fn named(path: PathBuf) -> Source {
        Source {
            path,
            in_manifest: None,
        }
    }

    /// A brief a manifest names: `rel` beneath the manifest's `folder`, shown as `path`.
    pub(super) fn in_manifest(path: PathBuf, folder: Arc<Folder>, rel: String) -> Source {
        Source {
            path,
            in_manifest: Some((folder, rel)),
        }
    }

    /// The source's folder (the folder its images must stay in), opened.
    pub(super) fn folder(&self) -> io::Result<Folder> {
        self.open().map(|(folder, _)| folder)
    }

    /// Opens the source's folder (the folder its images must stay in) and names the file in it.
    fn open(&self) -> io::Result<(Folder, PathBuf)> {
        const WHOSE: &str = "the source's folder";
        match &self.in_manifest {
            None => {
                let name = self
                    .path
                    .file_name()
                    .ok_or_else(|| io::Error::other("names a folder, not a file"))?;
                Ok((Folder::of_file(&self.path, WHOSE)?, PathBuf::from(name)))
            }
            Some((manifest, rel)) => {
                let rel = Path::new(rel);
                let name = rel.file_name().map(PathBuf::from).unwrap_or_default();
                let folder = match rel.parent().filter(|p| !p.as_os_str().is_empty()) {
                    Some(parent) => manifest.folder(parent, WHOSE)?,
                    None => manifest.folder(Path::new("."), WHOSE)?,
                };
                Ok((folder, name))
            }
        }
    }
}

/// A source that failed: every problem found ([`Error::Many`] when several) and the warnings
/// raised on the way, which are printed too.
#[derive(Debug)]
pub(crate) struct Refused {
    /// Boxed: a `Result` that carries it stays small (most sources succeed).
    pub(crate) error: Box<Error>,
    pub(crate) warnings: Vec<Warning>,
}

impl From<Error> for Refused {
    fn from(error: Error) -> Refused {
        Refused {
            error: Box::new(error),
            warnings: Vec::new(),
        }
    }
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

/// Reads and checks one source named on the command line into an article.
pub(super) fn load(src: &Path, epoch: Option<i64>) -> Result<(Article, Vec<Warning>), Refused> {
    load_source(&Source::named(src.to_path_buf()), epoch)
}

/// Reads and checks one source into an article: the file and every image it names are read
/// through one handle on the source's folder.
pub(super) fn load_source(
    src: &Source,
    epoch: Option<i64>,
) -> Result<(Article, Vec<Warning>), Refused> {
    let format = SourceFormat::from_path(&src.path).ok_or_else(|| {
        Error::source(
            Location::default(),
            "unknown source type",
            Some("use a .md, .txt, .json or .docx file, or a folder of them".to_owned()),
        )
    })?;
    let cannot_read = |e: io::Error| {
        Error::source(
            Location::default(),
            format!("cannot read the file ({e})"),
            Some("check the path".to_owned()),
        )
    };
    let (folder, name) = src.open().map_err(cannot_read)?;
    let bytes = folder.read(&name).map_err(cannot_read)?;
    let (article, warnings) =
        read::read_keeping_warnings(format, &bytes, &stem_of(&src.path), &folder);
    match article {
        Ok(mut article) => {
            article.meta.source_date_epoch = epoch;
            Ok((article, warnings))
        }
        Err(error) => Err(Refused {
            error: Box::new(error),
            warnings,
        }),
    }
}

/// The folder a source's relative paths start from.
pub(super) fn source_dir(src: &Path) -> PathBuf {
    src.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::{Duration, Instant};

    /// A 2 × 2 PNG of one colour: two colours give two images with distinct bytes.
    fn png(rgb: [u8; 3]) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(2, 2, image::Rgb(rgb));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    const BRIEF: &str =
        "---\ntitle: T\nphoto:\n  path: img/photo.png\n  alt: A\n  caption: C\n---\n\nBody.\n";

    /// root/src/brief.md names img/photo.png; root/outside/photo.png is another image.
    fn tree(root: &Path) -> (Vec<u8>, Vec<u8>) {
        let (inside, outside) = (png([0, 128, 0]), png([200, 0, 0]));
        std::fs::create_dir_all(root.join("src/img")).unwrap();
        std::fs::create_dir_all(root.join("outside")).unwrap();
        std::fs::write(root.join("src/brief.md"), BRIEF).unwrap();
        std::fs::write(root.join("src/img/photo.png"), &inside).unwrap();
        std::fs::write(root.join("outside/photo.png"), &outside).unwrap();
        (inside, outside)
    }

    fn photo_bytes(article: &Article) -> Vec<u8> {
        article
            .photo
            .as_ref()
            .unwrap()
            .image
            .as_ref()
            .unwrap()
            .data
            .to_vec()
    }

    #[test]
    fn a_folder_swapped_for_a_link_mid_build_embeds_nothing_outside() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let (inside, outside) = tree(&root);
        let src = root.join("src");
        symlink("../outside", src.join("img.link")).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        // Exchanges `img` (the real folder) and `img.link` (a link to `../outside`) atomically,
        // as fast as it can: `img` always exists, and is the link half of the time.
        let swapper = {
            let (src, stop) = (src.clone(), stop.clone());
            std::thread::spawn(move || {
                let path = |name: &str| {
                    std::ffi::CString::new(src.join(name).as_os_str().as_encoded_bytes()).unwrap()
                };
                let (a, b) = (path("img"), path("img.link"));
                let mut swaps = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    // SAFETY: two valid NUL-terminated paths; the call only renames.
                    let r = unsafe {
                        libc::renameat2(
                            libc::AT_FDCWD,
                            a.as_ptr(),
                            libc::AT_FDCWD,
                            b.as_ptr(),
                            libc::RENAME_EXCHANGE,
                        )
                    };
                    assert_eq!(r, 0, "{}", std::io::Error::last_os_error());
                    swaps += 1;
                }
                swaps
            })
        };
        let (mut read_inside, mut refused) = (0, 0);
        let started = Instant::now();
        for _ in 0..3_000 {
            match load(&src.join("brief.md"), None) {
                Ok((article, _)) => {
                    let bytes = photo_bytes(&article);
                    assert!(
                        bytes != outside,
                        "the image outside the source's folder leaked"
                    );
                    assert!(bytes == inside, "an image neither inside nor outside");
                    read_inside += 1;
                }
                Err(e) => {
                    let message = e.to_string();
                    assert!(
                        message.contains("leads outside the source's folder")
                            || message.contains("does not exist"),
                        "{message}"
                    );
                    refused += 1;
                }
            }
            if started.elapsed() > Duration::from_secs(5) && read_inside > 0 && refused > 0 {
                break;
            }
        }
        stop.store(true, Ordering::Relaxed);
        let swaps = swapper.join().unwrap();
        // The race was run: some loads found the real folder, some the link (or the gap).
        assert!(
            read_inside > 0 && refused > 0,
            "{read_inside} read, {refused} refused, {swaps} swaps"
        );
    }

    #[test]
    fn a_link_inside_the_folder_that_stays_inside_is_followed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let (inside, _) = tree(root);
        std::fs::rename(root.join("src/img"), root.join("src/pictures")).unwrap();
        symlink("pictures", root.join("src/img")).unwrap();
        let (article, _) = load(&root.join("src/brief.md"), None).unwrap();
        assert_eq!(photo_bytes(&article), inside);
    }

    #[test]
    fn a_link_leading_out_of_the_folder_is_refused_with_the_image_named() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        tree(root);
        std::fs::remove_dir_all(root.join("src/img")).unwrap();
        symlink("../outside", root.join("src/img")).unwrap();
        let e = load(&root.join("src/brief.md"), None).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("image `img/photo.png`: it leads outside the source's folder"),
            "{e}"
        );
    }

    #[test]
    fn a_fifo_named_as_an_image_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        tree(root);
        std::fs::remove_file(root.join("src/img/photo.png")).unwrap();
        let fifo = std::ffi::CString::new(
            root.join("src/img/photo.png")
                .as_os_str()
                .as_encoded_bytes(),
        )
        .unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        let e = load(&root.join("src/brief.md"), None).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
    }

    #[test]
    fn a_theme_cannot_name_a_font_outside_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Folder::open(dir.path(), "the theme's folder").unwrap();
        let e = folder.read_named("/etc/passwd").unwrap_err();
        assert!(e.to_string().contains("absolute"), "{e}");
        let e = folder.read_named("../x.ttf").unwrap_err();
        assert!(
            e.to_string().contains("climbs out of the theme's folder"),
            "{e}"
        );
    }
}
