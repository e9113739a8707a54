//! Reading the files a run is given: a source and the files beside it that it names, each
//! capped in size, none outside the source's folder.

use super::stem_of;
use briefpress::article::Article;
use briefpress::error::{Error, Location, Warning};
use briefpress::read::{self, Assets, SourceFormat};
use std::path::{Path, PathBuf};

/// The most bytes a source or image file may have: 256 MiB, far above a 10 MB brief with photos.
const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

pub(super) fn read_capped(path: &Path) -> std::io::Result<Vec<u8>> {
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
pub(super) fn load(src: &Path, epoch: Option<i64>) -> Result<(Article, Vec<Warning>), Error> {
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

/// The folder a source's relative paths start from.
pub(super) fn source_dir(src: &Path) -> PathBuf {
    src.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}
