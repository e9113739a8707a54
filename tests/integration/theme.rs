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
