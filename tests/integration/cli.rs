//! The command line, run as a user runs it: exit codes, messages that name the file and line,
//! JSON round trips, and builds that keep good files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the briefpress binary in `dir` with `args`.
pub fn briefpress(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_briefpress"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("briefpress runs")
}

/// The names of the files in a folder.
fn file_names(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The project folder (sources in `source/`).
pub fn project() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn version_and_help() {
    let v = briefpress(&project(), &["--version"]);
    assert!(v.status.success());
    assert!(String::from_utf8_lossy(&v.stdout).starts_with("briefpress "));
    let h = briefpress(&project(), &["build", "--help"]);
    let help = String::from_utf8_lossy(&h.stdout);
    for flag in ["--formats", "--output", "--page-size"] {
        assert!(help.contains(flag), "build --help lacks {flag}");
    }
}

#[test]
fn usage_errors_exit_2() {
    let o = briefpress(&project(), &["build", "-f", "rtf", "x.md"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = briefpress(&project(), &["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn usage_errors_are_one_line_and_the_hint() {
    for args in [
        &["build", "-f", "pdff", "x.md"][..],
        &["frobnicate"],
        &["check"],
        &["build", "--nope"],
        &["inspect", "a.md", "b.md"],
    ] {
        let o = briefpress(&project(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 2, "{args:?}: {err}");
        assert!(lines[0].starts_with("error: "), "{err}");
        assert!(lines[1].starts_with("For more information, try"), "{err}");
    }
    let err = stderr(&briefpress(&project(), &["build", "-f", "rtf", "x.md"]));
    assert!(err.contains("[possible values: pdf, docx, epub]"), "{err}");
}

#[cfg(unix)]
#[test]
fn file_names_with_newlines_or_bidi_overrides_print_escaped_on_one_line() {
    let dir = crate::tools::scratch();
    let name = "a\nerror: forged.md: all good\u{202E}txt.md";
    std::fs::write(
        dir.path().join(name),
        "---\ntitle: T\nsub\u{2066}tilte: x\n---\nBody.\n",
    )
    .unwrap();
    let o = briefpress(dir.path(), &["check", name]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: a\\nerror: forged.md: all good\\u{202E}txt.md:3:1: unknown"),
        "{err}"
    );
    assert!(
        !err.contains('\u{202E}') && !err.contains('\u{2066}'),
        "{err}"
    );
}

#[test]
fn cr_only_line_ends_give_the_line_an_editor_shows() {
    let dir = crate::tools::scratch();
    std::fs::write(dir.path().join("old-mac.txt"), b"Title\r\rCaf\xe9\r").unwrap();
    std::fs::write(
        dir.path().join("typo.md"),
        "---\rtitle: T\rsubtilte: S\r---\rBody.\r",
    )
    .unwrap();
    let o = briefpress(dir.path(), &["check", "old-mac.txt", "typo.md"]);
    let err = stderr(&o);
    assert!(
        err.contains("error: old-mac.txt:3:4: the file is not valid UTF-8"),
        "{err}"
    );
    assert!(
        err.contains("error: typo.md:3:1: unknown front-matter key"),
        "{err}"
    );
}

#[test]
fn inspect_json_reads_back_to_an_equal_article() {
    let dir = crate::tools::scratch();
    for src in ["us-colombia-ties.txt", "us-colombia-ties-edited.md"] {
        let o = briefpress(&project(), &["inspect", "--json", &format!("source/{src}")]);
        assert!(o.status.success(), "{}", stderr(&o));
        // beside the image it names, so the JSON source finds it too
        let json_path = dir.path().join("brief.json");
        std::fs::write(&json_path, &o.stdout).unwrap();
        std::fs::copy(
            project().join("source/us-colombia-ties.jpg"),
            dir.path().join("us-colombia-ties.jpg"),
        )
        .unwrap();
        let back = briefpress(dir.path(), &["inspect", "--json", "brief.json"]);
        assert!(back.status.success(), "{}", stderr(&back));
        assert_eq!(
            String::from_utf8_lossy(&back.stdout),
            String::from_utf8_lossy(&o.stdout),
            "{src}"
        );
        let a: briefpress::article::Article = serde_json::from_slice(&o.stdout).unwrap();
        let b: briefpress::article::Article = serde_json::from_slice(&back.stdout).unwrap();
        assert_eq!(a, b);
    }
}

#[test]
fn check_reports_every_problem_and_writes_nothing() {
    let dir = crate::tools::scratch();
    std::fs::write(dir.path().join("good.md"), "---\ntitle: Good\n---\nBody.\n").unwrap();
    std::fs::write(
        dir.path().join("typo.md"),
        "---\ntitle: T\nsubtilte: S\n---\nBody.\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    std::fs::write(dir.path().join("latin1.txt"), b"Title\n\nCaf\xe9\n").unwrap();
    let o = briefpress(
        dir.path(),
        &["check", "good.md", "typo.md", "empty.txt", "latin1.txt"],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(
            "error: typo.md:3:1: unknown front-matter key `subtilte`; did you mean `subtitle`"
        ),
        "{err}"
    );
    assert!(err.contains("error: empty.txt: the file is empty"), "{err}");
    assert!(
        err.contains("error: latin1.txt:3:4: the file is not valid UTF-8"),
        "{err}"
    );
    assert_eq!(
        err.matches("error:").count(),
        3,
        "one line per bad source: {err}"
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("good.md: ok"));
    let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(files.len(), 4, "check wrote nothing");
}

#[test]
fn same_stem_twice_is_refused() {
    let dir = crate::tools::scratch();
    std::fs::write(dir.path().join("a.md"), "---\ntitle: A\n---\n").unwrap();
    std::fs::write(dir.path().join("a.txt"), "A\n").unwrap();
    let o = briefpress(dir.path(), &["build", "a.md", "a.txt", "-o", "out"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("a.md") && err.contains("a.txt") && err.contains("rename"),
        "{err}"
    );
    assert!(err.contains("would both write out/a.*"), "{err}");
    assert!(!err.contains("output/"), "names the -o folder: {err}");
}

#[test]
fn build_output_ending_in_a_format_is_a_usage_error_not_a_folder() {
    let dir = crate::tools::scratch();
    std::fs::write(dir.path().join("x.md"), "---\ntitle: X\n---\nBody.\n").unwrap();
    for (out, fix) in [
        ("od/x.pdf", "`-o od/ -f pdf`"),
        ("x.EPUB", "`-o ./ -f epub`"),
        ("od/x.docx", "`-o od/ -f docx`"),
    ] {
        let o = briefpress(dir.path(), &["build", "x.md", "-o", out]);
        assert_eq!(o.status.code(), Some(2), "{out}");
        let err = stderr(&o);
        assert!(err.contains(fix), "{out}: {err}");
        assert!(err.contains("output folder"), "{err}");
    }
    assert!(!dir.path().join("od").exists(), "no folder was made");
    assert!(!dir.path().join("x.EPUB").exists());
}

#[test]
fn a_failing_source_keeps_the_others_and_earlier_outputs() {
    let dir = crate::tools::scratch();
    let d = dir.path();
    std::fs::write(
        d.join("good.md"),
        "---\ntitle: Good\n---\nBody with “quotes”.\n",
    )
    .unwrap();
    std::fs::write(
        d.join("bad.md"),
        "---\ntitle: Bad\nphoto:\n  path: missing.jpg\n---\nBody.\n",
    )
    .unwrap();
    std::fs::create_dir(d.join("out")).unwrap();
    std::fs::write(d.join("out/bad.pdf"), "an earlier good export").unwrap();
    let o = briefpress(d, &["build", "good.md", "bad.md", "-o", "out"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("error: bad.md:3: image `missing.jpg`: the file does not exist"),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("1 built, 1 failed"));
    for ext in ["pdf", "docx", "epub"] {
        assert!(
            d.join(format!("out/good.{ext}")).exists(),
            "good.{ext} was not built"
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(d.join("out/good.pdf"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o644,
            0o644,
            "outputs are readable documents, not private temporaries"
        );
    }
    assert!(!d.join("out/bad.docx").exists() && !d.join("out/bad.epub").exists());
    assert_eq!(
        std::fs::read_to_string(d.join("out/bad.pdf")).unwrap(),
        "an earlier good export"
    );
    let names = file_names(&d.join("out"));
    assert!(
        names.iter().all(|n| !n.ends_with(".tmp")),
        "temporary files left: {names:?}"
    );
}

#[cfg(unix)]
#[test]
fn interrupted_build_leaves_no_partial_file() {
    let dir = crate::tools::scratch();
    let d = dir.path();
    let long = std::fs::read_to_string(project().join("tests/fixtures/conformance/long-brief.md"))
        .unwrap();
    let mut args = vec!["build".to_owned(), "-o".to_owned(), "out".to_owned()];
    for i in 0..40 {
        let name = format!("brief-{i:02}.md");
        std::fs::write(d.join(&name), &long).unwrap();
        args.push(name);
    }
    // Interrupted at a different point each time: after the first, third, … output appeared.
    for (round, after) in [1, 3, 5, 8, 12, 2].into_iter().enumerate() {
        let _ = std::fs::remove_dir_all(d.join("out"));
        let child = Command::new(env!("CARGO_BIN_EXE_briefpress"))
            .args(&args)
            .current_dir(d)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let start = std::time::Instant::now();
        while std::fs::read_dir(d.join("out"))
            .map(|r| r.count())
            .unwrap_or(0)
            < after
            && start.elapsed() < std::time::Duration::from_secs(60)
        {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        let output = child.wait_with_output().unwrap();
        let names = file_names(&d.join("out"));
        assert!(
            names.iter().all(|n| !n.ends_with(".tmp")),
            "round {round}: temporary files left: {names:?}"
        );
        if output.status.code() == Some(130) {
            let err = String::from_utf8_lossy(&output.stderr);
            assert!(
                err.contains("interrupted: every temporary file was removed"),
                "{err}"
            );
            // Every file that exists is whole, and every source has all three or none.
            for n in names.iter().filter(|n| n.ends_with(".pdf")) {
                let bytes = std::fs::read(d.join("out").join(n)).unwrap();
                assert!(
                    bytes.trim_ascii_end().ends_with(b"%%EOF"),
                    "{n} is cut short"
                );
            }
            for n in &names {
                let stem = n.rsplit_once('.').unwrap().0;
                for ext in ["pdf", "docx", "epub"] {
                    assert!(
                        names.contains(&format!("{stem}.{ext}")),
                        "round {round}: {n} without {stem}.{ext}"
                    );
                }
            }
        } else {
            assert!(
                output.status.success(),
                "the build either finished or was interrupted: {:?}",
                output.status
            );
        }
    }
}

#[test]
fn a_run_removes_temporary_files_an_interrupted_run_left() {
    let dir = crate::tools::scratch();
    let d = dir.path();
    std::fs::write(d.join("a.md"), "---\ntitle: A\n---\nBody.\n").unwrap();
    std::fs::create_dir(d.join("out")).unwrap();
    // A process id above any Linux pid_max (2²²) belongs to no running process.
    std::fs::write(d.join("out/.briefpress-99999999-0.tmp"), "a partial DOCX").unwrap();
    std::fs::write(d.join("out/keep.tmp"), "not ours").unwrap();
    let o = briefpress(d, &["build", "a.md", "-o", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!d.join("out/.briefpress-99999999-0.tmp").exists());
    assert!(d.join("out/keep.tmp").exists());
    assert!(
        stderr(&o).contains("removed 1 temporary file an interrupted run left"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_format_that_cannot_be_written_replaces_none_of_the_sources_files() {
    let dir = crate::tools::scratch();
    let d = dir.path();
    std::fs::write(d.join("a.md"), "---\ntitle: A\n---\nBody.\n").unwrap();
    std::fs::create_dir(d.join("out")).unwrap();
    std::fs::write(d.join("out/a.pdf"), "the earlier PDF").unwrap();
    std::fs::write(d.join("out/a.docx"), "the earlier DOCX").unwrap();
    // A folder where the EPUB goes: the PDF and the DOCX are ready, the EPUB cannot land.
    std::fs::create_dir(d.join("out/a.epub")).unwrap();
    let o = briefpress(d, &["build", "a.md", "-o", "out"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("0 built, 1 failed"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert!(
        stderr(&o).contains("none of this set's files was replaced"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(d.join("out/a.pdf")).unwrap(),
        "the earlier PDF"
    );
    assert_eq!(
        std::fs::read_to_string(d.join("out/a.docx")).unwrap(),
        "the earlier DOCX"
    );
    let left: Vec<_> = file_names(&d.join("out"))
        .into_iter()
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn source_date_epoch_outside_what_every_format_holds_is_a_usage_error() {
    let dir = crate::tools::scratch();
    std::fs::write(dir.path().join("a.md"), "---\ntitle: A\n---\nBody.\n").unwrap();
    for bad in ["-1", "253402300800", "99999999999999", "soon"] {
        let o = Command::new(env!("CARGO_BIN_EXE_briefpress"))
            .args(["build", "a.md", "-o", "out"])
            .current_dir(dir.path())
            .env("SOURCE_DATE_EPOCH", bad)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{bad}");
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(err.starts_with("error: SOURCE_DATE_EPOCH="), "{err}");
        assert!(!dir.path().join("out").exists(), "{bad}: nothing written");
    }
    for good in ["0", "253402300799"] {
        let o = Command::new(env!("CARGO_BIN_EXE_briefpress"))
            .args(["build", "a.md", "-o", "out"])
            .current_dir(dir.path())
            .env("SOURCE_DATE_EPOCH", good)
            .output()
            .unwrap();
        assert!(o.status.success(), "{good}: {}", stderr(&o));
    }
}

#[cfg(unix)]
#[test]
fn a_manifest_brief_behind_a_link_leading_out_is_refused_and_its_theme_unread() {
    let dir = crate::tools::scratch();
    let d = dir.path();
    std::fs::create_dir_all(d.join("packs")).unwrap();
    std::fs::create_dir_all(d.join("elsewhere")).unwrap();
    std::fs::write(
        d.join("elsewhere/brief.md"),
        "---\ntitle: Outside\n---\nBody.\n",
    )
    .unwrap();
    // A broken theme: were it read, the check would name it.
    std::fs::write(
        d.join("elsewhere/briefpress.toml"),
        "[page]\nsize = \"a0\"\n",
    )
    .unwrap();
    std::os::unix::fs::symlink("../elsewhere", d.join("packs/trade")).unwrap();
    std::fs::write(
        d.join("packs/pack.toml"),
        "sources = [\"trade/brief.md\"]\n",
    )
    .unwrap();
    let o = briefpress(d, &["check", "packs/pack.toml"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(
            "packs/trade/brief.md: cannot read the file (it leads outside the manifest's folder"
        ),
        "{err}"
    );
    assert!(!err.contains("briefpress.toml"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn a_title_with_a_bidi_override_prints_escaped_in_check_and_inspect() {
    let dir = crate::tools::scratch();
    std::fs::write(
        dir.path().join("a.md"),
        "---\ntitle: \"Budget \u{202E}3202\"\n---\nBody.\n",
    )
    .unwrap();
    for args in [&["check", "a.md"][..], &["inspect", "a.md"]] {
        let o = briefpress(dir.path(), args);
        assert!(o.status.success(), "{}", stderr(&o));
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.contains("Budget \\u{202E}3202"), "{args:?}: {out}");
        assert!(!out.contains('\u{202E}'), "{args:?}: {out}");
    }
}

#[test]
fn quiet_prints_only_errors_and_verbose_adds_timings() {
    let dir = crate::tools::scratch();
    std::fs::write(
        dir.path().join("warns.md"),
        "---\ntitle: T\n---\nCited [^x] but never defined.\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("empty.md"), "").unwrap();
    let args = ["build", "warns.md", "empty.md", "-o", "out", "-f", "epub"];
    let quiet = briefpress(dir.path(), &[&["--quiet"][..], &args].concat());
    assert_eq!(quiet.status.code(), Some(1));
    assert!(quiet.stdout.is_empty(), "{:?}", quiet.stdout);
    let err = stderr(&quiet);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: empty.md"), "{err}");

    let normal = briefpress(dir.path(), &args);
    let err = stderr(&normal);
    assert!(err.contains("warning: warns.md:4:"), "{err}");
    assert!(!err.contains(" ms"), "{err}");

    let verbose = briefpress(dir.path(), &[&args[..], &["-v"]].concat());
    let err = stderr(&verbose);
    assert!(err.contains("warning: warns.md:4:"), "{err}");
    assert!(
        err.lines()
            .any(|l| l.starts_with("note: warns.md: read ") && l.contains(" ms, epub ")),
        "{err}"
    );
    let both = briefpress(dir.path(), &[&args[..], &["-q", "-v"]].concat());
    assert_eq!(both.status.code(), Some(2), "{}", stderr(&both));
}

#[test]
fn completions_are_printed_for_bash_zsh_and_fish() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef briefpress"),
        ("fish", "complete -c briefpress"),
    ] {
        let o = briefpress(&project(), &["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        let script = String::from_utf8_lossy(&o.stdout);
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(
            script.contains("pack") && script.contains("page-size"),
            "{shell}"
        );
    }
    let o = briefpress(&project(), &["completions", "powershell"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_folder_as_source_means_the_sources_in_it() {
    let dir = crate::tools::scratch();
    let briefs = dir.path().join("briefs");
    std::fs::create_dir_all(briefs.join("nested")).unwrap();
    std::fs::write(briefs.join("a.md"), "---\ntitle: A\n---\nBody.\n").unwrap();
    std::fs::write(briefs.join("b.txt"), "B\n\nBody.\n").unwrap();
    std::fs::write(briefs.join("notes.odt"), "not a source").unwrap();
    std::fs::write(briefs.join("nested/c.md"), "---\ntitle: C\n---\n").unwrap();
    let o = briefpress(dir.path(), &["build", "briefs", "-o", "out", "-f", "epub"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut names = file_names(&dir.path().join("out"));
    names.sort();
    assert_eq!(names, ["a.epub", "b.epub"]);

    let o = briefpress(dir.path(), &["check", "briefs"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("briefs/a.md: ok") && out.contains("briefs/b.txt: ok"),
        "{out}"
    );

    let o = briefpress(dir.path(), &["inspect", "briefs"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("reads one source file"),
        "{}",
        stderr(&o)
    );

    std::fs::create_dir(dir.path().join("none")).unwrap();
    let o = briefpress(dir.path(), &["check", "none"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no .md, .txt, .json or .docx sources in `none`"),
        "{}",
        stderr(&o)
    );
}

/// Writes `name` with a minimal brief titled `title`.
fn brief(dir: &Path, name: &str, title: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, format!("---\ntitle: {title}\n---\nBody.\n")).unwrap();
}

#[test]
fn a_pack_is_named_after_its_manifest_or_its_title() {
    let dir = crate::tools::scratch();
    brief(dir.path(), "a.md", "A");
    std::fs::write(dir.path().join("briefs.toml"), "sources = [\"a.md\"]\n").unwrap();
    let runs: [(&[&str], &str); 4] = [
        (&["pack", "briefs.toml", "-f", "epub"], "output/briefs.epub"),
        (
            &[
                "pack",
                "a.md",
                "--title",
                "Andean Briefing: 2026",
                "-f",
                "epub",
            ],
            "output/andean-briefing-2026.epub",
        ),
        (&["pack", "a.md", "-f", "epub"], "output/pack.epub"),
        (
            &["pack", "a.md", "-o", "out/", "-f", "epub"],
            "out/pack.epub",
        ),
    ];
    for (args, written) in runs {
        let o = briefpress(dir.path(), args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(
            dir.path().join(written).is_file(),
            "{args:?} wrote no {written}"
        );
        assert!(
            String::from_utf8_lossy(&o.stdout).contains(written),
            "{args:?}"
        );
    }
    let mut names = file_names(&dir.path().join("output"));
    names.sort();
    assert_eq!(
        names,
        ["andean-briefing-2026.epub", "briefs.epub", "pack.epub"]
    );
}

#[test]
fn two_packs_of_one_run_that_would_write_the_same_files_are_refused_naming_both() {
    let dir = crate::tools::scratch();
    for folder in ["x", "y"] {
        brief(&dir.path().join(folder), "a.md", folder);
        std::fs::write(
            dir.path().join(folder).join("briefs.toml"),
            "sources = [\"a.md\"]\n",
        )
        .unwrap();
    }
    let o = briefpress(
        dir.path(),
        &["pack", "x/briefs.toml", "y/briefs.toml", "-f", "epub"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("`x/briefs.toml` and `y/briefs.toml` would both write output/briefs.*"),
        "{err}"
    );
    assert!(!dir.path().join("output").exists(), "nothing written");
    // With -o every pack would take that one name.
    std::fs::rename(
        dir.path().join("y/briefs.toml"),
        dir.path().join("y/other.toml"),
    )
    .unwrap();
    let o = briefpress(
        dir.path(),
        &["pack", "x/briefs.toml", "y/other.toml", "-o", "p.pdf"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("would both write p.*"),
        "{}",
        stderr(&o)
    );
    // Different names: both packs are bound.
    let o = briefpress(
        dir.path(),
        &["pack", "x/briefs.toml", "y/other.toml", "-f", "epub"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("2 packs bound, 0 failed"));
    let mut names = file_names(&dir.path().join("output"));
    names.sort();
    assert_eq!(names, ["briefs.epub", "other.epub"]);
}

#[test]
fn a_manifest_names_briefs_in_a_sibling_folder_whose_images_stay_in_theirs() {
    let dir = crate::tools::scratch();
    let root = dir.path();
    std::fs::create_dir_all(root.join("briefs/img")).unwrap();
    std::fs::create_dir_all(root.join("packs")).unwrap();
    let png = {
        let img = image::RgbImage::from_pixel(2, 2, image::Rgb([0, 128, 0]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    };
    std::fs::write(root.join("briefs/img/p.png"), &png).unwrap();
    std::fs::write(root.join("packs/p.png"), &png).unwrap();
    let with_photo = |path: &str| {
        format!("---\ntitle: T\nphoto:\n  path: {path}\n  alt: A\n  caption: C\n---\nBody.\n")
    };
    std::fs::write(root.join("briefs/a.md"), with_photo("img/p.png")).unwrap();
    std::fs::write(root.join("briefs/out.md"), with_photo("../packs/p.png")).unwrap();
    std::fs::write(
        root.join("packs/andes.toml"),
        "sources = [\"../briefs/a.md\"]\n",
    )
    .unwrap();
    let o = briefpress(root, &["pack", "packs/andes.toml", "-f", "epub"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(root.join("output/andes.epub").is_file());
    let o = briefpress(root, &["check", "packs/andes.toml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // The brief beside the manifest still may not reach out of its own folder for an image.
    std::fs::write(
        root.join("packs/out.toml"),
        "sources = [\"../briefs/out.md\"]\n",
    )
    .unwrap();
    let o = briefpress(root, &["pack", "packs/out.toml", "-f", "epub"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("packs/../briefs/out.md:3: image `../packs/p.png`")
            && err.contains("climbs out"),
        "{err}"
    );
    assert!(!root.join("output/out.epub").exists());

    // Two folders up is not beside.
    std::fs::write(root.join("packs/far.toml"), "sources = [\"../../a.md\"]\n").unwrap();
    let o = briefpress(root, &["pack", "packs/far.toml", "-f", "epub"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(
            "packs/far.toml:1:12: the source `../../a.md` climbs more than one folder above"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn check_reports_every_unknown_key_bad_value_and_missing_image_of_one_file() {
    let dir = crate::tools::scratch();
    std::fs::write(
        dir.path().join("many.md"),
        "---\ntitle: T\nsubtilte: S\nauthors:\n  - name: Jo\n    affilation: C\nphoto:\n  path: lead.jpg\n  captoin: X\ndate: 2/2/2026\n---\n\nBody [^x].\n\n![A chart](chart.png)\n\n[^y]: Never cited.\n",
    )
    .unwrap();
    let o = briefpress(dir.path(), &["check", "many.md"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    // The warnings follow the errors: a note cited but not defined, one defined but not cited.
    let (lines, warnings): (Vec<&str>, Vec<&str>) =
        err.lines().partition(|l| l.starts_with("error: "));
    assert_eq!(warnings.len(), 2, "{err}");
    assert!(
        warnings
            .iter()
            .any(|w| w
                .starts_with("warning: many.md:13: footnote `[^x]` is cited but never defined")),
        "{err}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("warning: many.md:17: footnote `[^y]` is never referenced")),
        "{err}"
    );
    assert!(
        err.lines().nth(6).unwrap().starts_with("warning: "),
        "{err}"
    );
    let expect = [
        "error: many.md:3:1: unknown front-matter key `subtilte`; did you mean `subtitle`?",
        "error: many.md:6:5: unknown key `affilation` in an author; did you mean `affiliation`?",
        "error: many.md:7: image `lead.jpg`: the file does not exist",
        "error: many.md:9:3: unknown key `captoin` in `photo`; did you mean `caption`?",
        "error: many.md:10: ",
        "error: many.md:15: image `chart.png`: the file does not exist",
    ];
    assert_eq!(lines.len(), expect.len(), "{err}");
    for (line, want) in lines.iter().zip(expect) {
        assert!(line.starts_with(want), "{line}\n  wanted {want}");
    }
    assert!(lines[4].contains("YYYY-MM-DD"), "{err}");
    for leak in ["serde", "untagged", "variant", "saphyr"] {
        assert!(!err.contains(leak), "{leak}: {err}");
    }
    // build writes nothing for the source and prints the same lines.
    let o = briefpress(dir.path(), &["build", "many.md", "-o", "out"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o).lines().count(), 8, "{}", stderr(&o));
    assert!(file_names(&dir.path().join("out")).is_empty());
}

#[test]
fn check_reads_the_body_of_a_brief_whose_front_matter_is_not_yaml() {
    let dir = crate::tools::scratch();
    std::fs::write(
        dir.path().join("broken.md"),
        "---\ntitle: \"Broken\nauthors: [a\n---\n\nBody with ![pic](missing.png) and a note[^x].\n",
    )
    .unwrap();
    let o = briefpress(dir.path(), &["check", "broken.md"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    // The YAML error, then what the body holds; not a second error for the title the broken
    // front matter could not give.
    assert_eq!(lines.len(), 3, "{err}");
    assert!(
        lines[0].starts_with("error: broken.md:2:8: the front matter is not valid YAML"),
        "{err}"
    );
    assert!(
        lines[1].starts_with("error: broken.md:6: image `missing.png`: the file does not exist"),
        "{err}"
    );
    assert!(
        lines[2].starts_with("warning: broken.md:6: footnote `[^x]` is cited but never defined"),
        "{err}"
    );
    assert!(!err.contains("no title"), "{err}");
}
