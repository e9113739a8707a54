//! PDF layout through its public entry point, `briefpress::layout::layout` (fonts, shaping,
//! line breaking, pagination; no PDF writing): the sample, and one paragraph made of the
//! sample's whole body once and four times over, where line breaking dominates. The line
//! breaker itself has no stable public input (its item list is being reworked with
//! Knuth–Plass), so it is measured through the paragraph's length: a breaker that is linear
//! per paragraph takes about four times as long on the second paragraph as on the first.

use briefpress::layout;
use briefpress::read::SourceFormat;
use briefpress::theme::Theme;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

#[path = "common/mod.rs"]
mod sample;

fn layouts(c: &mut Criterion) {
    let theme = Theme::default();
    let mut cases = vec![("sample".to_owned(), sample::MARKDOWN.to_owned())];
    for n in [1, 4] {
        let source = sample::one_paragraph_markdown(n);
        let words = sample::body_words(&source);
        cases.push((format!("one paragraph, {words} words"), source));
    }
    let mut group = c.benchmark_group("layout");
    for (case, source) in &cases {
        let article = sample::read(SourceFormat::Markdown, source);
        group.bench_function(case.as_str(), |b| {
            b.iter(|| layout::layout(black_box(&article), &theme).map(|l| l.pages.len()))
        });
    }
    group.finish();
}

criterion_group!(benches, layouts);
criterion_main!(benches);
