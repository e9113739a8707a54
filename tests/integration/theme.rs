//! Theme files and published schemas through the command line: discovery beside the source,
//! `--theme`, located errors, `theme --default`, and `schema article|theme`.

use crate::cli::{briefpress, project};
use crate::tools::{require, run, scratch};
use std::process::Command;

#[test]
fn a_theme_beside_the_source_is_used_and_a_broken_one_fails_only_its_sources() {
    let dir = scratch();
    let d = dir.path();
    std::fs::create_dir_all(d.join("council")).unwrap();
    std::fs::create_dir_all(d.join("broken")).unwrap();
    std::fs::write(
        d.join("council/briefpress.toml"),
        "[publisher]\nname = \"The Example Council\"\n",
    )
    .unwrap();
    std::fs::write(d.join("council/a.txt"), "A title\n\nBody.\n").unwrap();
    std::fs::write(
        d.join("broken/briefpress.toml"),
        "[colors]\naccent = \"navy\"\n",
    )
    .unwrap();
    std::fs::write(d.join("broken/b.txt"), "B title\n\nBody.\n").unwrap();
    let o = briefpress(
        d,
        &[
            "build",
            "council/a.txt",
            "broken/b.txt",
            "-o",
            "out",
            "-f",
            "epub",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(
            "error: broken/b.txt: theme broken/briefpress.toml:2:10: `navy` is not a colour"
        ),
        "{err}"
    );
    let epub = std::fs::read(d.join("out/a.epub")).unwrap();
    let opf = zip_entry(&epub, "OEBPS/content.opf");
    assert!(
        opf.contains("<dc:publisher>The Example Council</dc:publisher>"),
        "{opf}"
    );
    assert!(!d.join("out/b.epub").exists());
}

#[test]
fn an_explicit_broken_theme_is_a_usage_error() {
    let dir = scratch();
    std::fs::write(
        dir.path().join("t.toml"),
        "[page]\nsize = \"a4\"\nmargin_lft_mm = 20\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("a.txt"), "T\n\nBody.\n").unwrap();
    let o = briefpress(
        dir.path(),
        &["build", "a.txt", "--theme", "t.toml", "-o", "out"],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(
            "t.toml:3:1: unknown theme key `margin_lft_mm`; did you mean `margin_left_mm`"
        ),
        "{err}"
    );
}

#[test]
fn the_default_theme_file_round_trips() {
    let dir = scratch();
    let o = briefpress(dir.path(), &["theme", "--default"]);
    assert!(o.status.success());
    std::fs::write(dir.path().join("briefpress.toml"), &o.stdout).unwrap();
    let check = briefpress(dir.path(), &["theme", "briefpress.toml"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(
        String::from_utf8_lossy(&check.stdout)
            .contains("ok — publisher “briefpress”, page 210 × 297 mm")
    );
}

#[test]
fn the_sample_validates_against_the_published_article_schema() {
    if !require("python3") {
        return;
    }
    let has_jsonschema = Command::new("python3")
        .args(["-c", "import jsonschema"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_jsonschema {
        assert!(
            std::env::var_os("CI").is_none(),
            "python3 jsonschema is required under CI; .ci/run installs it"
        );
        eprintln!("skipping: python3 -m pip install jsonschema");
        return;
    }
    let dir = scratch();
    let schema = briefpress(&project(), &["schema", "article"]);
    assert!(schema.status.success());
    std::fs::write(dir.path().join("schema.json"), &schema.stdout).unwrap();
    let theme_schema = briefpress(&project(), &["schema", "theme"]);
    assert!(String::from_utf8_lossy(&theme_schema.stdout).contains("\"margin_left_mm\""));
    for src in [
        "source/us-colombia-ties.txt",
        "source/us-colombia-ties-edited.md",
        "tests/fixtures/conformance/hard-brief.md",
    ] {
        let json = briefpress(&project(), &["inspect", "--json", src]);
        std::fs::write(dir.path().join("a.json"), &json.stdout).unwrap();
        let (ok, _, err) = run(Command::new("python3").current_dir(dir.path()).args([
            "-c",
            "import json,jsonschema; jsonschema.validate(json.load(open('a.json')), json.load(open('schema.json')))",
        ]));
        assert!(ok, "{src}: {err}");
    }
    // and the schema refuses what the reader refuses
    std::fs::write(
        dir.path().join("a.json"),
        r#"{"meta": {"title": "T", "titel": "x"}}"#,
    )
    .unwrap();
    let (ok, _, _) = run(Command::new("python3").current_dir(dir.path()).args([
        "-c",
        "import json,jsonschema; jsonschema.validate(json.load(open('a.json')), json.load(open('schema.json')))",
    ]));
    assert!(!ok, "an unknown field must fail the schema too");
}

fn zip_entry(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The README's worked example, tests/showcase/harbour-institute: a second institute's look
/// with OFL faces from Debian's fonts-ebgaramond and fonts-lato packages (`.ci/run` installs
/// them; under CI their absence is a failure, elsewhere a skip).
#[test]
fn a_debian_ofl_font_theme_changes_the_pdf_fonts_and_the_docx_styles() {
    let fonts = [
        "/usr/share/fonts/opentype/ebgaramond/EBGaramond12-Regular.otf",
        "/usr/share/fonts/truetype/lato/Lato-Regular.ttf",
    ];
    if let Some(missing) = fonts.iter().find(|f| !std::path::Path::new(f).exists()) {
        assert!(
            std::env::var_os("CI").is_none(),
            "{missing} is required under CI; .ci/run installs fonts-ebgaramond and fonts-lato"
        );
        eprintln!("skipping: {missing} is missing (apt-get install fonts-ebgaramond fonts-lato)");
        return;
    }
    if !require("pdffonts") {
        return;
    }
    let dir = scratch();
    let theme = project().join("tests/showcase/harbour-institute/briefpress.toml");
    let source = project().join("source/us-colombia-ties-edited.md");
    let o = briefpress(
        dir.path(),
        &[
            "build",
            source.to_str().unwrap(),
            "-f",
            "pdf,docx",
            "-o",
            "out",
            "--theme",
            theme.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let pdf = dir.path().join("out/us-colombia-ties-edited.pdf");
    let (ok, listed, _) = run(Command::new("pdffonts").arg(&pdf));
    assert!(ok);
    let rows: Vec<&str> = listed.lines().skip(2).collect();
    assert!(
        rows.iter().any(|r| r.contains("+EBGaramond12-Regular")),
        "{listed}"
    );
    assert!(rows.iter().any(|r| r.contains("+Lato-Bold")), "{listed}");
    assert!(
        !listed.contains("Noto"),
        "the theme's faces replace Noto: {listed}"
    );
    for row in &rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type… encoding emb sub uni id gen: the three flags sit before the object id.
        let flags = &cols[cols.len() - 5..cols.len() - 2];
        assert_eq!(flags, ["yes", "yes", "yes"], "{row}");
    }
    let (_, info, _) = run(Command::new("pdfinfo").arg(&pdf));
    assert!(info.contains("612 x 792 pts (letter)"), "{info}");

    let docx = std::fs::read(dir.path().join("out/us-colombia-ties-edited.docx")).unwrap();
    let styles = zip_entry(&docx, "word/styles.xml");
    let doc = roxmltree::Document::parse(&styles).unwrap();
    let font_of = |style_id: &str| -> Option<String> {
        let style = doc.descendants().find(|n| {
            n.tag_name().name() == "style"
                && n.attributes()
                    .any(|a| a.name() == "styleId" && a.value() == style_id)
        })?;
        let fonts = style
            .descendants()
            .find(|n| n.tag_name().name() == "rFonts")?;
        fonts
            .attributes()
            .find(|a| a.name() == "ascii")
            .map(|a| a.value().to_owned())
    };
    let body = font_of("Normal").or_else(|| {
        doc.descendants()
            .find(|n| n.tag_name().name() == "rPrDefault")
            .and_then(|d| d.descendants().find(|n| n.tag_name().name() == "rFonts"))
            .and_then(|f| f.attributes().find(|a| a.name() == "ascii"))
            .map(|a| a.value().to_owned())
    });
    assert_eq!(body.as_deref(), Some("EB Garamond"), "{styles}");
    assert_eq!(font_of("Heading1").as_deref(), Some("Lato"), "{styles}");
    assert_eq!(font_of("Title").as_deref(), Some("Lato"), "{styles}");
}
