//! Fuzzes the Text reader: any bytes through `briefpress::read::read` (with small in-memory
//! images) must give an article or one error, never a panic, a stack overflow or a hang.
#![no_main]

use briefpress::read::SourceFormat;
use briefpress_fuzz::{on_worker_stack, read};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    on_worker_stack(|| {
        let _ = read(SourceFormat::Text, data);
    });
});
