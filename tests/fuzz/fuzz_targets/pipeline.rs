//! Fuzzes the whole pipeline: the first byte picks the reader (`m`, `t`, `j`), the rest is the
//! source; whatever the reader accepts must render in PDF, DOCX and EPUB with the default theme,
//! the PDF must load and every DOCX and EPUB XML part must be well-formed.
#![no_main]

use briefpress_fuzz::{on_worker_stack, read, render_all_and_check, split_format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((format, source)) = split_format(data) else {
        return;
    };
    on_worker_stack(|| {
        if let Ok(loaded) = read(format, source) {
            render_all_and_check(&loaded);
        }
    });
});
