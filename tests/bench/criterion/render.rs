//! Backends: `Format::render` on the sample Article (read once), each format alone, and on the
//! sample ten times as long (the cost growth the 10× benchmark case measures end to end).

use briefpress::read::SourceFormat;
use briefpress::render::Format;
use briefpress::theme::Theme;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

#[path = "common/mod.rs"]
mod sample;

fn backends(c: &mut Criterion) {
    let theme = Theme::default();
    for (case, source) in [
        ("sample", sample::MARKDOWN.to_owned()),
        ("sample x10", sample::long_markdown(10)),
    ] {
        let article = sample::read(SourceFormat::Markdown, &source);
        let mut group = c.benchmark_group(format!("render {case}"));
        // The long PDF takes about 0.2 s: 20 samples fit the 3 s measurement time.
        group.sample_size(20);
        for format in Format::ALL {
            group.bench_function(format.extension(), |b| {
                b.iter(|| format.render(black_box(&article), &theme))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, backends);
criterion_main!(benches);
