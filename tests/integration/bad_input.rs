//! SPEC's "Bad input", one test per class, through the command line as a CMS would call it:
//! exit status 1, one message naming the file (and line and column where there is one) that says
//! what to do, no output file for that source, and an answer in bounded time.

use crate::cli::briefpress;
use std::path::Path;
use std::time::{Duration, Instant};

/// The longest any bad source may take to be refused (SPEC: "no input makes briefpress hang").
const BOUND: Duration = Duration::from_secs(20);

/// Builds `name` (written with `content`, plus `extra` files beside it) and checks the refusal.
/// Returns stderr for further checks.
fn refused(name: &str, content: &[u8], extra: &[(&str, Vec<u8>)], expect: &[&str]) -> String {
    let dir = crate::tools::scratch();
    let d = dir.path();
    std::fs::write(d.join(name), content).unwrap();
    for (n, bytes) in extra {
        if let Some(parent) = Path::new(n).parent() {
            std::fs::create_dir_all(d.join(parent)).unwrap();
        }
        std::fs::write(d.join(n), bytes).unwrap();
    }
    let t = Instant::now();
    let o = briefpress(d, &["build", name, "-o", "out"]);
    assert!(t.elapsed() < BOUND, "{name}: took {:?}", t.elapsed());
    assert_eq!(
        o.status.code(),
        Some(1),
        "{name}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{name}: one message: {err}");
    assert!(
        errors[0].starts_with(&format!("error: {name}")),
        "{name}: names the file: {err}"
    );
    for e in expect {
        assert!(errors[0].contains(e), "{name}: expected `{e}` in: {err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    let written: Vec<_> = std::fs::read_dir(d.join("out"))
        .map(|r| r.flatten().collect())
        .unwrap_or_default();
    assert!(written.is_empty(), "{name}: output written: {written:?}");
    err
}

fn png() -> Vec<u8> {
    crate::sample::png(16, 9).data.as_ref().clone()
}

fn with_photo(path: &str) -> Vec<u8> {
    format!("---\ntitle: T\nphoto:\n  path: {path}\n  caption: C\n---\nBody.\n").into_bytes()
}

#[test]
fn empty_file() {
    refused("empty.md", b"", &[], &["the file is empty"]);
    refused("blank.txt", b"  \n\n\t\n", &[], &["the file is empty"]);
}

#[test]
fn binary_data() {
    refused("photo.md", &png(), &[], &["binary data"]);
}

#[test]
fn not_utf8_names_line_and_column_of_the_first_bad_byte() {
    refused(
        "latin1.txt",
        b"Title\n\nCaf\xe9 au lait\n",
        &[],
        &["latin1.txt:3:4:", "not valid UTF-8", "re-save it as UTF-8"],
    );
}

#[test]
fn bom_and_crlf_are_fine() {
    let dir = crate::tools::scratch();
    std::fs::write(
        dir.path().join("w.txt"),
        b"\xEF\xBB\xBFTitle\r\n\r\nBody text.\r\n",
    )
    .unwrap();
    let o = briefpress(dir.path(), &["check", "w.txt"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn malformed_yaml_names_line_and_column() {
    refused(
        "yaml.md",
        b"---\ntitle: T\nauthors: [a, b\n---\nBody\n",
        &[],
        &["yaml.md:", "not valid YAML"],
    );
}

#[test]
fn unknown_front_matter_key_suggests_the_nearest() {
    refused(
        "typo.md",
        b"---\ntitle: T\ndat: 2026-02-02\n---\nBody\n",
        &[],
        &["typo.md:3", "`dat`", "did you mean `date`"],
    );
}

#[test]
fn missing_or_empty_title() {
    refused(
        "notitle.md",
        b"---\nauthor: A\n---\nBody\n",
        &[],
        &["no title", "title:"],
    );
    refused(
        "emptytitle.md",
        b"---\ntitle: \"\"\n---\nBody\n",
        &[],
        &["no title"],
    );
}

#[test]
fn photo_missing() {
    refused(
        "m.md",
        &with_photo("nowhere.jpg"),
        &[],
        &["m.md:3:", "nowhere.jpg", "does not exist"],
    );
}

#[test]
fn photo_not_an_image() {
    refused(
        "n.md",
        &with_photo("notes.jpg"),
        &[("notes.jpg", b"just text".to_vec())],
        &["not a JPEG or PNG"],
    );
}

#[test]
fn photo_truncated() {
    let mut cut = png();
    cut.truncate(cut.len() - 16);
    refused(
        "t.md",
        &with_photo("cut.png"),
        &[("cut.png", cut)],
        &["damaged or truncated"],
    );
}

#[test]
fn photo_decompression_bomb() {
    // A real, tiny PNG whose header claims 50 000 × 50 000 pixels.
    let mut bomb = png();
    bomb[16..20].copy_from_slice(&50_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&50_000u32.to_be_bytes());
    let crc = crc32(&bomb[12..29]);
    bomb[29..33].copy_from_slice(&crc.to_be_bytes());
    refused(
        "b.md",
        &with_photo("bomb.png"),
        &[("bomb.png", bomb)],
        &["too large"],
    );
}

#[test]
fn photo_path_absolute() {
    refused("abs.md", &with_photo("/etc/passwd"), &[], &["absolute"]);
}

#[test]
fn photo_path_outside_source_folder() {
    refused(
        "up.md",
        &with_photo("../../etc/passwd"),
        &[],
        &["climbs out"],
    );
}

#[cfg(unix)]
#[test]
fn photo_symlink_leading_out_of_the_folder() {
    let dir = crate::tools::scratch();
    let d = dir.path();
    std::fs::create_dir(d.join("brief")).unwrap();
    std::fs::write(d.join("secret.png"), png()).unwrap();
    std::os::unix::fs::symlink(d.join("secret.png"), d.join("brief/photo.png")).unwrap();
    std::fs::write(d.join("brief/s.md"), with_photo("photo.png")).unwrap();
    let o = briefpress(d, &["build", "brief/s.md", "-o", "out"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("outside the source's folder"));
}

#[test]
fn json_that_does_not_match_the_model_names_the_field() {
    refused(
        "cms.json",
        br#"{"meta": {"title": "T", "authors": [{"nam": "A"}]}}"#,
        &[],
        &["cms.json:1:", "meta.authors[0]", "nam"],
    );
}

#[test]
fn json_cannot_embed_files_outside_its_folder() {
    refused(
        "cms2.json",
        br#"{"meta": {"title": "T"}, "photo": {"src": "/etc/passwd"}}"#,
        &[],
        &["absolute"],
    );
}

#[test]
fn unknown_source_type() {
    refused(
        "brief.odt",
        b"PK",
        &[],
        &["unknown source type", ".md, .txt, .json or .docx"],
    );
}

#[test]
fn a_docx_that_is_not_a_zip_package() {
    refused(
        "brief.docx",
        b"PK",
        &[],
        &["not a Word .docx package", "save it as a .docx"],
    );
}

#[test]
fn a_mixed_run_still_builds_its_good_sources() {
    let dir = crate::tools::scratch();
    let d = dir.path();
    std::fs::write(d.join("good.txt"), "Good title\n\nGood body.\n").unwrap();
    std::fs::write(d.join("bad.md"), with_photo("/etc/passwd")).unwrap();
    std::fs::write(d.join("empty.txt"), "").unwrap();
    let o = briefpress(
        d,
        &["build", "good.txt", "bad.md", "empty.txt", "-o", "out"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("1 built, 2 failed"));
    assert!(d.join("out/good.pdf").exists() && d.join("out/good.epub").exists());
}

/// CRC-32 as PNG chunks carry it.
fn crc32(data: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in data {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 == 1 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

#[test]
fn photo_is_a_folder_gif_svg_or_zero_sized() {
    let dir_err = {
        let dir = crate::tools::scratch();
        let d = dir.path();
        std::fs::create_dir(d.join("photo.jpg")).unwrap();
        std::fs::write(d.join("s.md"), with_photo("photo.jpg")).unwrap();
        let o = briefpress(d, &["build", "s.md", "-o", "out"]);
        assert_eq!(o.status.code(), Some(1));
        assert!(!d.join("out/s.pdf").exists());
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    assert!(
        dir_err.contains("error: s.md:3: image `photo.jpg`"),
        "{dir_err}"
    );
    assert!(dir_err.contains("not a regular file"), "{dir_err}");
    let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec();
    refused(
        "g.md",
        &with_photo("p.gif"),
        &[("p.gif", gif)],
        &["not a JPEG or PNG"],
    );
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec();
    refused(
        "v.md",
        &with_photo("p.svg"),
        &[("p.svg", svg)],
        &["not a JPEG or PNG"],
    );
    let mut empty_png = png();
    // IHDR width and height (bytes 16..24) set to 0 0, with the chunk's CRC recomputed.
    empty_png[16..24].fill(0);
    let crc = crc32(&empty_png[12..29]);
    empty_png[29..33].copy_from_slice(&crc.to_be_bytes());
    refused(
        "z.md",
        &with_photo("p.png"),
        &[("p.png", empty_png)],
        &["image `p.png`"],
    );
}

#[test]
fn front_matter_that_is_a_list_or_has_a_key_twice() {
    refused(
        "l.md",
        b"---\n- a\n- b\n---\nBody.\n",
        &[],
        &["l.md:2:1", "expected `key: value` lines"],
    );
    refused(
        "d.md",
        b"---\ntitle: A\ntitle: B\n---\nBody.\n",
        &[],
        &["d.md:3:1", "the key `title` appears twice"],
    );
}

#[test]
fn photo_given_as_a_bare_path_builds_and_a_brief_without_body_warns() {
    let dir = crate::tools::scratch();
    let d = dir.path();
    std::fs::write(d.join("p.png"), png()).unwrap();
    std::fs::write(d.join("s.md"), "---\ntitle: T\nphoto: p.png\n---\n").unwrap();
    let o = briefpress(d, &["build", "s.md", "-o", "out", "-f", "epub"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("warning: s.md: the brief has no body text"),
        "{err}"
    );
    let epub = std::fs::read(d.join("out/s.epub")).unwrap();
    let names: Vec<String> = zip::ZipArchive::new(std::io::Cursor::new(epub))
        .unwrap()
        .file_names()
        .map(str::to_owned)
        .collect();
    assert!(names.iter().any(|n| n.ends_with(".png")), "{names:?}");
}
