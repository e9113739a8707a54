//! DOCX backend: parsed XML parts, LibreOffice and pandoc.
use crate::sample;
use briefpress::render::docx;
use briefpress::theme::Theme;

#[test]
fn explore() {
    let r = docx::render(&sample::hard(), &Theme::default()).unwrap();
    std::fs::write("/tmp/hard.docx", &r.bytes).unwrap();
    for w in &r.warnings {
        eprintln!("warning: {w}");
    }
}
