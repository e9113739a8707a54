//! Readers: `briefpress::read::read` on the sample in each source form (Markdown, wire text,
//! and the JSON model `inspect --json` prints), with the photo in memory, so the image check
//! is included as in a real build.

use briefpress::read::{self, SourceFormat};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

#[path = "common/mod.rs"]
mod sample;

fn readers(c: &mut Criterion) {
    let json = serde_json::to_string(&sample::read(SourceFormat::Markdown, sample::MARKDOWN))
        .unwrap_or_default();
    let assets = sample::assets();
    let mut group = c.benchmark_group("read");
    for (name, format, source) in [
        ("markdown", SourceFormat::Markdown, sample::MARKDOWN),
        ("text", SourceFormat::Text, sample::TEXT),
        ("json", SourceFormat::Json, json.as_str()),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                read::read(
                    format,
                    black_box(source.as_bytes()),
                    "us-colombia-ties",
                    &assets,
                )
            })
        });
    }
    group.finish();
}

criterion_group!(benches, readers);
criterion_main!(benches);
