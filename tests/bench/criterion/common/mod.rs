//! The sample brief and its long variants, shared by the benchmarks (`#[path]`-included: each
//! bench target is its own crate).

// Each bench target uses only part of this file.
#![allow(dead_code)]

use briefpress::article::Article;
use briefpress::read::{self, MemoryAssets, SourceFormat};

/// The sample in its Markdown form (the main source form).
pub const MARKDOWN: &str = include_str!("../../../../source/us-colombia-ties-edited.md");
/// The sample in its wire-text form.
pub const TEXT: &str = include_str!("../../../../source/us-colombia-ties.txt");
/// The sample's photo, named `us-colombia-ties.jpg` by both sources.
pub const PHOTO: &[u8] = include_bytes!("../../../../source/us-colombia-ties.jpg");

/// The photo, where both sources look for it.
pub fn assets() -> MemoryAssets {
    MemoryAssets(vec![("us-colombia-ties.jpg".to_owned(), PHOTO.to_vec())])
}

/// Reads a source the way the CLI does, with the photo in memory.
pub fn read(format: SourceFormat, source: &str) -> Article {
    match read::read(format, source.as_bytes(), "us-colombia-ties", &assets()) {
        Ok(loaded) => loaded.article,
        Err(e) => panic!("the benchmark's source must read: {e}"),
    }
}

/// The sample's front matter and body.
fn split() -> (&'static str, &'static str) {
    let end = MARKDOWN[4..].find("\n---\n").map_or(0, |i| i + 4 + 5);
    MARKDOWN.split_at(end)
}

/// The sample with its body `n` times over, each copy under "## Section k" (as
/// tests/bench/run.sh makes the 10× article).
pub fn long_markdown(n: usize) -> String {
    let (head, body) = split();
    let mut s = head.to_owned();
    for k in 1..=n {
        s.push_str(&format!("\n## Section {k}\n\n{}\n", body.trim()));
    }
    s
}

/// The sample with its whole body joined into one paragraph `n` times as long: the line
/// breaker's worst case (one long item list).
pub fn one_paragraph_markdown(n: usize) -> String {
    let (head, body) = split();
    let words: Vec<&str> = body.split_whitespace().collect();
    let mut s = head.to_owned();
    s.push('\n');
    for _ in 0..n {
        s.push_str(&words.join(" "));
        s.push(' ');
    }
    s.push('\n');
    s
}

/// Words in the body of a Markdown brief (after its front matter).
pub fn body_words(markdown: &str) -> usize {
    let body = markdown[4..]
        .find("\n---\n")
        .map_or(markdown, |i| &markdown[i + 9..]);
    body.split_whitespace().count()
}
