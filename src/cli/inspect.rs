//! `briefpress check` and `briefpress inspect`: sources read and reported on, nothing written.

use super::input::{Refused, load, load_source};
use super::pack;
use super::theme::Themes;
use super::{Failure, Outcome, Verbosity, print_line, print_warnings, report, say, verbosity};
use anyhow::Context;
use briefpress::article::Article;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

pub(super) fn check(
    sources: &[PathBuf],
    theme: Option<&Path>,
    epoch: Option<i64>,
) -> anyhow::Result<Outcome> {
    // A folder stands for the sources in it, a pack manifest for the briefs it names.
    let sources = super::build::expand_folders(sources)?;
    let (sources, failed_manifests) = pack::expand_manifests(&sources);
    let themes = Themes::load(&sources, theme, None)?;
    let results: Vec<_> = sources
        .par_iter()
        .map(|s| {
            let started = std::time::Instant::now();
            let loaded = themes
                .for_source(&s.path)
                .map_err(Refused::from)
                .and_then(|_| load_source(s, epoch));
            (s.path.clone(), loaded, started.elapsed())
        })
        .collect();
    let mut failed = 0;
    for (path, r, took) in results {
        if verbosity() == Verbosity::Verbose {
            report(
                "note",
                format_args!("{}: read {} ms", path.display(), took.as_millis()),
            );
        }
        match r {
            Ok((article, warnings)) => {
                print_warnings(&path, &warnings);
                say(
                    &mut std::io::stdout().lock(),
                    format_args!(
                        "{}: ok — “{}”, {} blocks",
                        path.display(),
                        article.meta.title,
                        article.blocks.len()
                    ),
                )?;
            }
            Err(refused) => {
                Failure { path, refused }.print();
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

pub(super) fn inspect(source: &Path, json: bool, epoch: Option<i64>) -> anyhow::Result<Outcome> {
    if source.is_dir() {
        return Err(super::UsageError(format!(
            "`{}` is a folder, but `inspect` reads one source file; name a .md, .txt, .json or .docx file in it (`check` takes a folder)",
            source.display()
        ))
        .into());
    }
    let (article, warnings) = match load(source, epoch) {
        Ok(x) => x,
        Err(refused) => {
            Failure {
                path: source.to_path_buf(),
                refused,
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
        // Each line made printable: a title or caption is the source's text.
        for line in summary(&article).lines() {
            print_line(&mut out, line)?;
        }
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
            Block::Table { .. } => "tables",
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
