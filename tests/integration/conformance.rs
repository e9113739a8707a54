//! The sample briefs through the whole pipeline, judged by the tools readers and validators use:
//! pdftotext / pdffonts / pdfinfo / qpdf for the PDF, pandoc for the DOCX, both epubchecks for
//! the EPUB, and byte-identical rebuilds.

use crate::cli::{briefpress, project};
use crate::tools::{epubcheck_jars, in_order, require, run, scratch};
use std::path::Path;
use std::process::Command;

/// The seed's text in reading order: title, caption, credit (without its wrapper), paragraphs.
fn expected_seed() -> String {
    let seed = std::fs::read_to_string(project().join("source/us-colombia-ties.txt")).unwrap();
    seed.replace("(Credit Image: (", "")
        .replace("Wire)", "Wire")
}

fn build_samples(out: &Path) {
    let o = briefpress(&project(), &["build", "-o", out.to_str().unwrap()]);
    assert!(
        o.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(said.contains("2 built, 0 failed"), "{said}");
}

#[test]
fn samples_pass_the_pdf_checkers() {
    if !(require("pdftotext") && require("pdffonts") && require("qpdf") && require("pdfinfo")) {
        return;
    }
    let dir = scratch();
    build_samples(dir.path());
    for stem in ["us-colombia-ties", "us-colombia-ties-edited"] {
        let pdf = dir.path().join(format!("{stem}.pdf"));
        let (ok, text, err) = run(Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(&pdf)
            .arg("-"));
        assert!(ok, "{err}");
        in_order(&expected_seed(), &text).unwrap_or_else(|e| panic!("{stem}.pdf: {e}"));
        for exact in ["Petro’s", "“normal”", "—"] {
            assert!(
                text.contains(exact),
                "{stem}.pdf: `{exact}` did not survive extraction"
            );
        }
        let (_, fonts, _) = run(Command::new("pdffonts").arg(&pdf));
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{stem}.pdf has no fonts");
        for row in rows {
            let t: Vec<&str> = row.split_whitespace().collect();
            assert_eq!(
                &t[t.len() - 5..t.len() - 2],
                ["yes", "yes", "yes"],
                "{stem}.pdf: {row}"
            );
        }
        let (ok, out, err) = run(Command::new("qpdf").arg("--check").arg(&pdf));
        assert!(
            ok && out.contains("No syntax or stream encoding errors"),
            "{stem}.pdf: {out}{err}"
        );
        let (_, info, _) = run(Command::new("pdfinfo").args(["-enc", "UTF-8"]).arg(&pdf));
        let title = info.lines().find(|l| l.starts_with("Title:")).unwrap_or("");
        assert!(title.contains("To repair US-Colombia ties"), "{info}");
        let author = info
            .lines()
            .find(|l| l.starts_with("Author:"))
            .unwrap_or("");
        assert!(
            author.len() > "Author:".len() + 2,
            "{stem}.pdf has no author: {info}"
        );
    }
}

#[test]
fn samples_pass_the_docx_checkers() {
    if !require("pandoc") {
        return;
    }
    let dir = scratch();
    build_samples(dir.path());
    for stem in ["us-colombia-ties", "us-colombia-ties-edited"] {
        let docx = dir.path().join(format!("{stem}.docx"));
        let (ok, text, err) = run(Command::new("pandoc")
            .args(["-f", "docx", "-t", "plain", "--wrap=none", "-s"])
            .arg(&docx));
        assert!(ok, "{err}");
        in_order(&expected_seed(), &text).unwrap_or_else(|e| panic!("{stem}.docx: {e}"));
        assert!(
            text.contains("Petro’s") && text.contains("moment—when"),
            "{stem}.docx lost typography"
        );
    }
}

#[test]
fn samples_pass_both_epubchecks() {
    let jars = epubcheck_jars();
    if jars.is_empty() || !require("java") {
        return;
    }
    let dir = scratch();
    build_samples(dir.path());
    for stem in ["us-colombia-ties", "us-colombia-ties-edited"] {
        let epub = dir.path().join(format!("{stem}.epub"));
        for jar in &jars {
            let (ok, out, err) = run(Command::new("java").arg("-jar").arg(jar).arg(&epub));
            let all = format!("{out}{err}");
            assert!(ok, "{stem}.epub fails {}: {all}", jar.display());
            assert!(
                all.contains("No errors or warnings detected")
                    || all.contains("0 fatals / 0 errors / 0 warnings"),
                "{stem}.epub, {}: {all}",
                jar.display()
            );
        }
    }
}

#[test]
fn rebuilds_are_byte_identical_whatever_the_thread_count() {
    let (a, b) = (scratch(), scratch());
    build_samples(a.path());
    let o = Command::new(env!("CARGO_BIN_EXE_briefpress"))
        .args(["build", "-o", b.path().to_str().unwrap()])
        .current_dir(project())
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .unwrap();
    assert!(o.status.success());
    let mut n = 0;
    for entry in std::fs::read_dir(a.path()).unwrap() {
        let name = entry.unwrap().file_name();
        let (x, y) = (
            std::fs::read(a.path().join(&name)).unwrap(),
            std::fs::read(b.path().join(&name)).unwrap(),
        );
        assert!(x == y, "{name:?} differs between two builds");
        n += 1;
    }
    assert_eq!(n, 6, "two briefs × three formats");
}

/// The conformance fixtures and the text each must give back, in order.
fn fixtures() -> Vec<(&'static str, String)> {
    let dir = project().join("tests/fixtures/conformance");
    let hard = std::fs::read_to_string(dir.join("hard-brief.expected.txt"))
        .unwrap()
        .replace("(Credit: ", "")
        .replace("Graphics)", "Graphics");
    let spanish = std::fs::read_to_string(dir.join("informe-breve.txt")).unwrap();
    vec![("hard-brief", hard), ("informe-breve", spanish)]
}

fn build_fixtures(out: &Path) {
    let dir = project().join("tests/fixtures/conformance");
    let o = briefpress(
        &dir,
        &[
            "build",
            "hard-brief.md",
            "informe-breve.txt",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn fixtures_pass_both_epubchecks_and_read_back_in_order() {
    let jars = epubcheck_jars();
    if jars.is_empty() || !require("java") || !require("pandoc") {
        return;
    }
    let dir = scratch();
    build_fixtures(dir.path());
    for (stem, expected) in fixtures() {
        let epub = dir.path().join(format!("{stem}.epub"));
        for jar in &jars {
            let (ok, out, err) = run(Command::new("java").arg("-jar").arg(jar).arg(&epub));
            assert!(
                ok && format!("{out}{err}").contains("No errors or warnings detected"),
                "{stem}.epub, {}: {out}{err}",
                jar.display()
            );
        }
        let (ok, text, err) = run(Command::new("pandoc")
            .args(["-f", "epub", "-t", "plain", "--wrap=none"])
            .arg(&epub));
        assert!(ok, "{err}");
        in_order(&expected, &text).unwrap_or_else(|e| panic!("{stem}.epub via pandoc: {e}"));
        for exact in [
            "🌎",
            "😀",
            "𒀀",
            "<script>alert(1)</script>",
            "]]>",
            "Hà Nội",
        ] {
            if stem == "hard-brief" {
                assert!(text.contains(exact), "{stem}.epub lost `{exact}`");
            }
        }
    }
}

#[test]
fn fixtures_read_back_in_order_from_docx() {
    if !require("pandoc") {
        return;
    }
    let dir = scratch();
    build_fixtures(dir.path());
    for (stem, expected) in fixtures() {
        let docx = dir.path().join(format!("{stem}.docx"));
        let (ok, text, err) = run(Command::new("pandoc")
            .args(["-f", "docx", "-t", "plain", "--wrap=none", "-s"])
            .arg(&docx));
        assert!(ok, "{err}");
        in_order(&expected, &text).unwrap_or_else(|e| panic!("{stem}.docx via pandoc: {e}"));
    }
}
