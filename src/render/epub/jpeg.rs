//! A baseline JPEG writer for the generated cover: 4:2:0 YCbCr, the tables of the standard's
//! Annex K (quantization scaled by quality as the IJG's libjpeg does, Huffman codes as listed),
//! the AAN DCT of the IJG's libjpeg in single
//! precision, and a restart marker between horizontal strips, so the strips
//! are encoded at once and still make one image whose bytes never depend on the machine.
//!
//! Why not a crate: `jpeg-encoder`'s portable path spent about 120 instructions a pixel on the
//! cover (per-pixel colour conversion into growing buffers, decimated chroma, a generic block
//! walk), 60 % of an EPUB build; its AVX2 path writes other bytes than the portable one. This
//! writer takes planes already in YCbCr and at their own resolution (the cover is drawn so)
//! and does its arithmetic in a fixed order without fused multiply-adds, which IEEE 754 makes
//! the same on every machine (see docs/decisions.md). Where the processor has AVX2, the
//! transform runs there, one block row a register, doing the same operations in the same order
//! (a test compares the two paths); a block of one value is written as its DC alone, and the
//! bits go out 32 at a time.

/// The standard's example luminance and chrominance quantization tables (Annex K.1), in
/// natural (row by row) order.
const LUMA_Q: [u16; 64] = [
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
    14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113,
    92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const CHROMA_Q: [u16; 64] = [
    17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
    47, 66, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
];

/// For the k-th coefficient in zig-zag order, its index in natural order.
const ZIGZAG: [usize; 64] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
    13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59,
    52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/// The standard's typical Huffman tables (Annex K.3): code counts by length 1–16, then the
/// symbols in code order.
const DC_LUMA: ([u8; 16], &[u8]) = (
    [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0],
    &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
);
const DC_CHROMA: ([u8; 16], &[u8]) = (
    [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0],
    &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
);
const AC_LUMA: ([u8; 16], &[u8]) = (
    [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d],
    &[
        0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61,
        0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xA1, 0x08, 0x23, 0x42, 0xB1, 0xC1, 0x15, 0x52,
        0xD1, 0xF0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0A, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x25,
        0x26, 0x27, 0x28, 0x29, 0x2A, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x43, 0x44, 0x45,
        0x46, 0x47, 0x48, 0x49, 0x4A, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0x63, 0x64,
        0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0x83,
        0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99,
        0x9A, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6,
        0xB7, 0xB8, 0xB9, 0xBA, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xD2, 0xD3,
        0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA, 0xE1, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8,
        0xE9, 0xEA, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA,
    ],
);
const AC_CHROMA: ([u8; 16], &[u8]) = (
    [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77],
    &[
        0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61,
        0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xA1, 0xB1, 0xC1, 0x09, 0x23, 0x33,
        0x52, 0xF0, 0x15, 0x62, 0x72, 0xD1, 0x0A, 0x16, 0x24, 0x34, 0xE1, 0x25, 0xF1, 0x17, 0x18,
        0x19, 0x1A, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x43, 0x44,
        0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0x63,
        0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A,
        0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97,
        0x98, 0x99, 0x9A, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xB2, 0xB3, 0xB4,
        0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA,
        0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7,
        0xE8, 0xE9, 0xEA, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA,
    ],
);

/// One strip of the image in YCbCr: `y` full size (`width` × `rows`), `cb` and `cr` at half
/// the width and half the height. `width` and `rows` are multiples of 16.
pub(super) struct Planes<'a> {
    pub y: &'a [u8],
    pub cb: &'a [u8],
    pub cr: &'a [u8],
    pub width: usize,
    pub rows: usize,
}

/// The AAN DCT's scale of each frequency (jfdctflt.c): coefficient (u, v) comes out
/// `AAN[u] × AAN[v] × 8` times too large, and the divisors take it off.
const AAN: [f64; 8] = [
    1.0,
    1.387039845,
    1.306562965,
    1.175875602,
    1.0,
    0.785694958,
    0.541196100,
    0.275899379,
];

/// What encoding needs at a given quality: the quantization tables (0 luma, 1 chroma) as the
/// file stores them, their reciprocals with the DCT's scales folded in, and each Huffman table
/// as (code, length) by symbol.
pub(super) struct Tables {
    quantizers: [[u8; 64]; 2],
    reciprocals: [[f32; 64]; 2],
    dc: [[(u16, u8); 256]; 2],
    ac: [[(u16, u8); 256]; 2],
}

impl Tables {
    /// The standard's tables scaled by `quality` (1–100) as the IJG's libjpeg scales them.
    pub(super) fn new(quality: u8) -> Tables {
        let q = u32::from(quality.clamp(1, 100));
        let scale = if q < 50 { 5000 / q } else { 200 - 2 * q };
        let scaled = |base: &[u16; 64]| -> [u8; 64] {
            std::array::from_fn(|i| ((u32::from(base[i]) * scale + 50) / 100).clamp(1, 255) as u8)
        };
        let quantizers = [scaled(&LUMA_Q), scaled(&CHROMA_Q)];
        let reciprocals = quantizers.map(|t| {
            std::array::from_fn(|i| {
                (1.0 / (f64::from(t[i]) * AAN[i / 8] * AAN[i % 8] * 8.0)) as f32
            })
        });
        Tables {
            quantizers,
            reciprocals,
            dc: [huffman_codes(&DC_LUMA), huffman_codes(&DC_CHROMA)],
            ac: [huffman_codes(&AC_LUMA), huffman_codes(&AC_CHROMA)],
        }
    }

    /// The quantization table `t` as the file carries it: zig-zag order.
    fn stored(&self, t: usize) -> [u8; 64] {
        std::array::from_fn(|k| self.quantizers[t][ZIGZAG[k]])
    }
}

/// Codes by symbol from a table of code counts by length (the standard's Annex C).
fn huffman_codes((counts, symbols): &([u8; 16], &[u8])) -> [(u16, u8); 256] {
    let mut codes = [(0u16, 0u8); 256];
    let mut code = 0u16;
    let mut next = symbols.iter();
    for (len, &count) in (1u8..=16).zip(counts) {
        for _ in 0..count {
            let symbol = next.next().expect("the table lists a symbol per code");
            codes[usize::from(*symbol)] = (code, len);
            code += 1;
        }
        code <<= 1;
    }
    codes
}

/// The file's header: SOI, JFIF, the tables, a 4:2:0 frame of `width` × `height`, the restart
/// interval (0 for none) and the scan header; the strips' scans follow (see [`join`]).
pub(super) fn header(tables: &Tables, width: u16, height: u16, restart: u16) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    // JFIF 1.01, no density unit, 1 : 1 pixels.
    out.extend_from_slice(&[
        0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    ]);
    out.extend_from_slice(&[0xFF, 0xDB, 0, 132]);
    for t in 0..2 {
        out.push(t as u8);
        out.extend_from_slice(&tables.stored(t));
    }
    out.extend_from_slice(&[0xFF, 0xC0, 0, 17, 8]);
    out.extend_from_slice(&height.to_be_bytes());
    out.extend_from_slice(&width.to_be_bytes());
    out.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    let huffman = [
        (0x00, &DC_LUMA),
        (0x10, &AC_LUMA),
        (0x01, &DC_CHROMA),
        (0x11, &AC_CHROMA),
    ];
    let len: usize = 2 + huffman.iter().map(|(_, t)| 17 + t.1.len()).sum::<usize>();
    out.extend_from_slice(&[0xFF, 0xC4]);
    out.extend_from_slice(&(len as u16).to_be_bytes());
    for (class, (counts, symbols)) in huffman {
        out.push(class);
        out.extend_from_slice(counts);
        out.extend_from_slice(symbols);
    }
    if restart > 0 {
        out.extend_from_slice(&[0xFF, 0xDD, 0, 4]);
        out.extend_from_slice(&restart.to_be_bytes());
    }
    out.extend_from_slice(&[0xFF, 0xDA, 0, 12, 3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]);
    out
}

/// The whole file: the header, then each strip's scan, restart markers RST0 … RST7 in turn
/// between them, then EOI. `header` must give a restart interval of one strip's blocks.
pub(super) fn join(header: Vec<u8>, scans: &[Vec<u8>]) -> Vec<u8> {
    let mut out = header;
    out.reserve(scans.iter().map(|s| s.len() + 2).sum());
    for (k, scan) in scans.iter().enumerate() {
        if k > 0 {
            out.extend_from_slice(&[0xFF, 0xD0 + ((k - 1) % 8) as u8]);
        }
        out.extend_from_slice(scan);
    }
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

/// One strip's entropy-coded data: its 16 × 16 blocks left to right, top to bottom, each as
/// four luma blocks then one of each chroma, the DC predictions starting from zero (as after
/// a restart), padded with one bits to a byte.
#[cfg(test)]
pub(super) fn scan(tables: &Tables, planes: &Planes<'_>) -> Vec<u8> {
    let mut scan = Scan::new(tables, planes.width * planes.rows / 4);
    scan.rows(planes);
    scan.finish()
}

/// A strip's scan written a band of rows at a time (see [`scan`]), so the caller can draw the
/// next band in the same buffers.
pub(super) struct Scan<'t> {
    tables: &'t Tables,
    bits: Bits,
    /// The last DC value of each component.
    previous: [i32; 3],
}

impl<'t> Scan<'t> {
    /// A scan expected to take about `bytes`.
    pub(super) fn new(tables: &'t Tables, bytes: usize) -> Scan<'t> {
        Scan {
            tables,
            bits: Bits::with_capacity(bytes),
            previous: [0; 3],
        }
    }

    /// The next rows of the strip, whole 16 × 16 blocks.
    pub(super) fn rows(&mut self, planes: &Planes<'_>) {
        let (width, rows) = (planes.width, planes.rows);
        assert!(
            width.is_multiple_of(16) && rows.is_multiple_of(16),
            "a strip is whole 16 × 16 blocks"
        );
        assert_eq!(planes.y.len(), width * rows);
        assert_eq!(planes.cb.len(), width * rows / 4);
        assert_eq!(planes.cr.len(), width * rows / 4);
        let (tables, bits, previous) = (self.tables, &mut self.bits, &mut self.previous);
        let half = width / 2;
        for top in (0..rows).step_by(16) {
            for left in (0..width).step_by(16) {
                for (dy, dx) in [(0, 0), (0, 8), (8, 0), (8, 8)] {
                    let at = (top + dy) * width + left + dx;
                    block(tables, 0, &planes.y[at..], width, &mut previous[0], bits);
                }
                let at = top / 2 * half + left / 2;
                block(tables, 1, &planes.cb[at..], half, &mut previous[1], bits);
                block(tables, 1, &planes.cr[at..], half, &mut previous[2], bits);
            }
        }
    }

    /// The scan's bytes, padded with one bits to a byte.
    pub(super) fn finish(self) -> Vec<u8> {
        self.bits.finish()
    }
}

/// Eight values a vector: the DCT works on a block's eight rows (or columns) at once, so
/// each of its operations is one the compiler can give to the processor's vector unit.
type Lanes = [f32; 8];

#[inline(always)]
fn add(a: Lanes, b: Lanes) -> Lanes {
    std::array::from_fn(|i| a[i] + b[i])
}

#[inline(always)]
fn sub(a: Lanes, b: Lanes) -> Lanes {
    std::array::from_fn(|i| a[i] - b[i])
}

#[inline(always)]
fn mul(a: Lanes, k: f32) -> Lanes {
    std::array::from_fn(|i| a[i] * k)
}

/// The AAN rotation constants (jfdctflt.c): cos 4π/16, cos 6π/16, and cos 2π/16 ∓ cos 6π/16.
const C4: f32 = 0.707_106_77;
const C6: f32 = 0.382_683_43;
const C2_MINUS_C6: f32 = 0.541_196_1;
const C2_PLUS_C6: f32 = 1.306_563;

/// Eight lanes of floats, as the DCT needs them: the portable arrays and the AVX2 registers
/// are both this, so one [`dct_1d`] does the same operations in the same order on each.
trait Vector: Copy {
    fn add(self, other: Self) -> Self;
    fn sub(self, other: Self) -> Self;
    fn mul(self, k: f32) -> Self;
}

impl Vector for Lanes {
    #[inline(always)]
    fn add(self, other: Lanes) -> Lanes {
        add(self, other)
    }

    #[inline(always)]
    fn sub(self, other: Lanes) -> Lanes {
        sub(self, other)
    }

    #[inline(always)]
    fn mul(self, k: f32) -> Lanes {
        mul(self, k)
    }
}

/// The AAN forward DCT of the IJG's libjpeg (jfdctflt.c) along the eight vectors, for all
/// eight lanes at once; the outputs carry the scales the divisors take off ([`AAN`]).
#[inline(always)]
fn dct_1d<V: Vector>(d: [V; 8]) -> [V; 8] {
    let (add, sub, mul) = (V::add, V::sub, V::mul);
    let tmp0 = add(d[0], d[7]);
    let tmp7 = sub(d[0], d[7]);
    let tmp1 = add(d[1], d[6]);
    let tmp6 = sub(d[1], d[6]);
    let tmp2 = add(d[2], d[5]);
    let tmp5 = sub(d[2], d[5]);
    let tmp3 = add(d[3], d[4]);
    let tmp4 = sub(d[3], d[4]);

    let tmp10 = add(tmp0, tmp3);
    let tmp13 = sub(tmp0, tmp3);
    let tmp11 = add(tmp1, tmp2);
    let tmp12 = sub(tmp1, tmp2);
    let z1 = mul(add(tmp12, tmp13), C4);
    let (o0, o4) = (add(tmp10, tmp11), sub(tmp10, tmp11));
    let (o2, o6) = (add(tmp13, z1), sub(tmp13, z1));

    let tmp10 = add(tmp4, tmp5);
    let tmp11 = add(tmp5, tmp6);
    let tmp12 = add(tmp6, tmp7);
    let z5 = mul(sub(tmp10, tmp12), C6);
    let z2 = add(mul(tmp10, C2_MINUS_C6), z5);
    let z4 = add(mul(tmp12, C2_PLUS_C6), z5);
    let z3 = mul(tmp11, C4);
    let z11 = add(tmp7, z3);
    let z13 = sub(tmp7, z3);
    [
        o0,
        add(z11, z4),
        o2,
        sub(z13, z2),
        o4,
        add(z13, z2),
        o6,
        sub(z11, z4),
    ]
}

#[inline(always)]
fn transpose(m: [Lanes; 8]) -> [Lanes; 8] {
    std::array::from_fn(|i| std::array::from_fn(|j| m[j][i]))
}

/// One 8 × 8 block whose first sample is `samples[0]`, rows `stride` apart: transformed,
/// quantized with table `t` and written.
fn block(tables: &Tables, t: usize, samples: &[u8], stride: usize, dc: &mut i32, bits: &mut Bits) {
    assert!(samples.len() >= 7 * stride + 8, "a block's eight rows");
    let reciprocals = &tables.reciprocals[t];
    let mut quantized = [0i32; 64];
    let present = if let Some(value) = flat(samples, stride) {
        // A block of one value transforms to its DC alone: the sums the transform would make
        // are exact (8 × 8 equal values), so this is the same number the full path gives.
        quantized[0] = round((f32::from(value) - 128.0) * 64.0 * reciprocals[0]);
        0
    } else {
        transform(samples, stride, reciprocals, &mut quantized)
    };
    let (dc_codes, ac_codes) = (&tables.dc[t], &tables.ac[t]);
    let (size, value) = magnitude(quantized[0] - *dc);
    bits.coded(dc_codes[size as usize], value, size);
    *dc = quantized[0];
    // The AC coefficients that are not zero, by their bits in zig-zag order.
    let mut present = zigzag_bits(present) & !1;
    let mut last = 0u32;
    while present != 0 {
        let k = present.trailing_zeros();
        present &= present - 1;
        let mut run = k - last - 1;
        last = k;
        while run > 15 {
            bits.code(ac_codes[0xF0]);
            run -= 16;
        }
        let (size, value) = magnitude(quantized[ZIGZAG[k as usize] & 63]);
        bits.coded(ac_codes[((run << 4) | size) as usize], value, size);
    }
    if last < 63 {
        bits.code(ac_codes[0x00]);
    }
}

/// The value of a block whose 64 samples are all the same, if they are.
#[inline(always)]
fn flat(samples: &[u8], stride: usize) -> Option<u8> {
    let first = samples[0];
    let all = u64::from_ne_bytes([first; 8]);
    (0..8)
        .all(|r| {
            let row: [u8; 8] = samples[r * stride..][..8]
                .try_into()
                .expect("eight samples");
            u64::from_ne_bytes(row) == all
        })
        .then_some(first)
}

/// Quantizing's rounding to the nearest integer by adding 1.5 × 2²³: the sum's last bits are
/// then the integer (the quotients stay far below 2²²), read without a conversion the vector
/// unit cannot do.
const ROUND: f32 = 12_582_912.0;

#[inline(always)]
fn round(x: f32) -> i32 {
    (x + ROUND).to_bits() as i32 - ROUND.to_bits() as i32
}

/// The block transformed and quantized into `quantized` (natural order), returning which of
/// its coefficients are not zero as bits in natural order. The vector unit's path, where the
/// processor has one, does the same operations in the same order as the portable one, so the
/// numbers (and the file) are the same on every machine; a test compares them.
fn transform(
    samples: &[u8],
    stride: usize,
    reciprocals: &[f32; 64],
    quantized: &mut [i32; 64],
) -> u64 {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2 (checked just above), and `block` checked that
        // `samples` holds the block's eight rows.
        return unsafe { avx2::transform(samples, stride, reciprocals, quantized) };
    }
    transform_portable(samples, stride, reciprocals, quantized)
}

/// [`transform`] on eight-lane arrays, which the compiler gives to whatever vector unit the
/// build targets.
fn transform_portable(
    samples: &[u8],
    stride: usize,
    reciprocals: &[f32; 64],
    quantized: &mut [i32; 64],
) -> u64 {
    // Columns as vectors (lane = row), level-shifted.
    let rows: [Lanes; 8] = std::array::from_fn(|r| {
        let line = &samples[r * stride..][..8];
        std::array::from_fn(|c| f32::from(line[c]) - 128.0)
    });
    // Along each row (the vectors are the columns), then along each column.
    let across = dct_1d(transpose(rows));
    let coefficients = dct_1d(transpose(across));
    let mut present = 0u64;
    for (v, row) in coefficients.iter().enumerate() {
        for (u, &c) in row.iter().enumerate() {
            let i = v * 8 + u;
            quantized[i] = round(c * reciprocals[i]);
            present |= u64::from(quantized[i] != 0) << i;
        }
    }
    present
}

/// Bits in natural order (bit `i` for coefficient `i`) moved to zig-zag order (bit `k` for
/// the k-th coefficient of the zig-zag walk), eight bits at a time through a table.
#[inline(always)]
fn zigzag_bits(natural: u64) -> u64 {
    (0..8).fold(0, |acc, byte| {
        acc | ZIGZAG_BITS[byte][((natural >> (8 * byte)) & 0xFF) as usize]
    })
}

/// For each byte of a natural-order bit set and each value of that byte, the zig-zag bits of
/// the coefficients it names.
static ZIGZAG_BITS: [[u64; 256]; 8] = {
    let mut position = [0u32; 64];
    let mut k = 0;
    while k < 64 {
        position[ZIGZAG[k]] = k as u32;
        k += 1;
    }
    let mut table = [[0u64; 256]; 8];
    let mut byte = 0;
    while byte < 8 {
        let mut value = 0;
        while value < 256 {
            let mut bits = 0u64;
            let mut i = 0;
            while i < 8 {
                if value & (1 << i) != 0 {
                    bits |= 1 << position[byte * 8 + i];
                }
                i += 1;
            }
            table[byte][value] = bits;
            value += 1;
        }
        byte += 1;
    }
    table
};

/// [`transform`] with AVX2 instructions: a block row is one register.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    /// See [`super::transform`]; the caller makes sure the processor has AVX2 and `samples`
    /// holds eight rows of eight, `stride` apart.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn transform(
        samples: &[u8],
        stride: usize,
        reciprocals: &[f32; 64],
        quantized: &mut [i32; 64],
    ) -> u64 {
        let shift = _mm256_set1_ps(128.0);
        let rows: [__m256; 8] = std::array::from_fn(|r| {
            let line = &samples[r * stride..][..8];
            // SAFETY: `line` is eight bytes, the eight the load reads.
            let bytes = unsafe { _mm_loadl_epi64(line.as_ptr().cast()) };
            _mm256_sub_ps(_mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(bytes)), shift)
        });
        let across = super::dct_1d(transpose(rows));
        let coefficients = super::dct_1d(transpose(across));
        let round = _mm256_set1_ps(super::ROUND);
        let round_bits = _mm256_set1_epi32(super::ROUND.to_bits() as i32);
        let zero = _mm256_setzero_si256();
        let mut present = 0u64;
        for (v, &c) in coefficients.iter().enumerate() {
            // SAFETY: eight floats of the 64, and eight integers of the 64 (row `v`).
            let r = unsafe { _mm256_loadu_ps(reciprocals[v * 8..].as_ptr()) };
            let sum = _mm256_add_ps(_mm256_mul_ps(c, r), round);
            let q = _mm256_sub_epi32(_mm256_castps_si256(sum), round_bits);
            unsafe { _mm256_storeu_si256(quantized[v * 8..].as_mut_ptr().cast(), q) };
            let zeros = _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(q, zero)));
            present |= u64::from(!zeros as u8) << (8 * v);
        }
        present
    }

    #[target_feature(enable = "avx2")]
    #[inline]
    fn transpose(m: [__m256; 8]) -> [__m256; 8] {
        let t0 = _mm256_unpacklo_ps(m[0], m[1]);
        let t1 = _mm256_unpackhi_ps(m[0], m[1]);
        let t2 = _mm256_unpacklo_ps(m[2], m[3]);
        let t3 = _mm256_unpackhi_ps(m[2], m[3]);
        let t4 = _mm256_unpacklo_ps(m[4], m[5]);
        let t5 = _mm256_unpackhi_ps(m[4], m[5]);
        let t6 = _mm256_unpacklo_ps(m[6], m[7]);
        let t7 = _mm256_unpackhi_ps(m[6], m[7]);
        let s0 = _mm256_shuffle_ps::<0x44>(t0, t2);
        let s1 = _mm256_shuffle_ps::<0xEE>(t0, t2);
        let s2 = _mm256_shuffle_ps::<0x44>(t1, t3);
        let s3 = _mm256_shuffle_ps::<0xEE>(t1, t3);
        let s4 = _mm256_shuffle_ps::<0x44>(t4, t6);
        let s5 = _mm256_shuffle_ps::<0xEE>(t4, t6);
        let s6 = _mm256_shuffle_ps::<0x44>(t5, t7);
        let s7 = _mm256_shuffle_ps::<0xEE>(t5, t7);
        [
            _mm256_permute2f128_ps::<0x20>(s0, s4),
            _mm256_permute2f128_ps::<0x20>(s1, s5),
            _mm256_permute2f128_ps::<0x20>(s2, s6),
            _mm256_permute2f128_ps::<0x20>(s3, s7),
            _mm256_permute2f128_ps::<0x31>(s0, s4),
            _mm256_permute2f128_ps::<0x31>(s1, s5),
            _mm256_permute2f128_ps::<0x31>(s2, s6),
            _mm256_permute2f128_ps::<0x31>(s3, s7),
        ]
    }

    impl super::Vector for __m256 {
        // SAFETY (each): these run only inside `transform`, which the caller enters having
        // checked that the processor has AVX2; they are inlined into it.
        #[inline(always)]
        fn add(self, other: __m256) -> __m256 {
            unsafe { _mm256_add_ps(self, other) }
        }

        #[inline(always)]
        fn sub(self, other: __m256) -> __m256 {
            unsafe { _mm256_sub_ps(self, other) }
        }

        #[inline(always)]
        fn mul(self, k: f32) -> __m256 {
            unsafe { _mm256_mul_ps(self, _mm256_set1_ps(k)) }
        }
    }
}

/// A value's size category and the bits that follow its code (a negative value as its one's
/// complement, the standard's F.1.2.1).
fn magnitude(v: i32) -> (u32, u32) {
    let size = 32 - v.unsigned_abs().leading_zeros();
    let bits = if v < 0 { (v - 1) as u32 } else { v as u32 };
    (size, bits & ((1u32 << size) - 1))
}

/// Bits written most significant first into bytes, a zero byte stuffed after each 0xFF.
struct Bits {
    out: Vec<u8>,
    /// The bits not yet written, in the low `count` bits.
    buffer: u64,
    count: u32,
}

impl Bits {
    fn with_capacity(bytes: usize) -> Bits {
        Bits {
            out: Vec::with_capacity(bytes),
            buffer: 0,
            count: 0,
        }
    }

    /// A Huffman code and the `len` bits of `value` after it: one write for both.
    #[inline(always)]
    fn coded(&mut self, (code, code_len): (u16, u8), value: u32, len: u32) {
        self.put((u32::from(code) << len) | value, u32::from(code_len) + len);
    }

    fn code(&mut self, (code, len): (u16, u8)) {
        self.put(u32::from(code), u32::from(len));
    }

    /// The low `len` (at most 32) bits of `value`. Whole 32-bit words are written at once
    /// unless one of their bytes is 0xFF and needs its zero after it.
    #[inline(always)]
    fn put(&mut self, value: u32, len: u32) {
        self.buffer = (self.buffer << len) | u64::from(value);
        self.count += len;
        if self.count >= 32 {
            self.count -= 32;
            let word = (self.buffer >> self.count) as u32;
            let inverse = !word;
            if inverse.wrapping_sub(0x0101_0101) & word & 0x8080_8080 == 0 {
                // No byte of the inverse is zero (the classic zero-byte test), so none is 0xFF.
                self.out.extend_from_slice(&word.to_be_bytes());
            } else {
                for byte in word.to_be_bytes() {
                    self.out.push(byte);
                    if byte == 0xFF {
                        self.out.push(0);
                    }
                }
            }
        }
    }

    fn finish(mut self) -> Vec<u8> {
        // Padded with one bits to a whole byte, then the bytes still held.
        let pad = (8 - self.count % 8) % 8;
        self.buffer = (self.buffer << pad) | ((1 << pad) - 1);
        self.count += pad;
        while self.count > 0 {
            self.count -= 8;
            let byte = (self.buffer >> self.count) as u8;
            self.out.push(byte);
            if byte == 0xFF {
                self.out.push(0);
            }
        }
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A test picture's planes: smooth gradients with some texture, `width` × `rows`.
    fn planes(width: usize, rows: usize) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let y = (0..width * rows)
            .map(|i| {
                let (x, r) = (i % width, i / width);
                ((x * 255 / width + r * 3) % 256) as u8 ^ (((x / 3 + r / 5) % 2) as u8 * 8)
            })
            .collect();
        let cb = (0..width * rows / 4)
            .map(|i| (96 + (i % (width / 2)) * 64 / (width / 2)) as u8)
            .collect();
        let cr = (0..width * rows / 4)
            .map(|i| (160 - (i / (width / 2)) * 64 / (rows / 2)) as u8)
            .collect();
        (y, cb, cr)
    }

    fn encode(width: usize, rows: usize, strips: usize) -> Vec<u8> {
        let tables = Tables::new(88);
        let (y, cb, cr) = planes(width, rows);
        let h = rows / strips;
        let scans: Vec<Vec<u8>> = (0..strips)
            .map(|k| {
                let planes = Planes {
                    y: &y[k * h * width..][..h * width],
                    cb: &cb[k * h * width / 4..][..h * width / 4],
                    cr: &cr[k * h * width / 4..][..h * width / 4],
                    width,
                    rows: h,
                };
                scan(&tables, &planes)
            })
            .collect();
        let restart = if strips > 1 { width / 16 * h / 16 } else { 0 };
        let head = header(&tables, width as u16, rows as u16, restart as u16);
        join(head, &scans)
    }

    #[test]
    fn a_decoder_reads_back_the_planes() {
        let (width, rows) = (96, 64);
        let jpeg = encode(width, rows, 1);
        let decoded = image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg)
            .expect("a valid baseline JPEG")
            .to_rgb8();
        assert_eq!(decoded.dimensions(), (width as u32, rows as u32));
        // Back to luma and compared with the plane it came from.
        let (y, _, _) = planes(width, rows);
        let mut error = 0.0f64;
        for (p, &want) in decoded.pixels().zip(&y) {
            let [r, g, b] = p.0.map(f64::from);
            let got = 0.299 * r + 0.587 * g + 0.114 * b;
            error += (got - f64::from(want)).powi(2);
        }
        let mse = error / y.len() as f64;
        let psnr = 10.0 * (255.0f64 * 255.0 / mse).log10();
        assert!(psnr > 34.0, "luma PSNR {psnr:.1} dB");
    }

    #[test]
    fn strips_with_restarts_decode_as_one_image() {
        let whole = image::load_from_memory(&encode(64, 96, 1))
            .unwrap()
            .to_rgb8();
        let striped = image::load_from_memory(&encode(64, 96, 3))
            .unwrap()
            .to_rgb8();
        assert_eq!(striped.dimensions(), (64, 96));
        // A restart only resets the DC predictions: the same coefficients, the same pixels.
        assert_eq!(whole.as_raw(), striped.as_raw());
    }

    #[test]
    fn every_path_quantizes_to_the_same_numbers() {
        // Blocks of noise, of ramps and of one value, through the vector unit's path (where
        // this processor has one), the portable path and the flat shortcut: the file must not
        // depend on the machine.
        let tables = Tables::new(88);
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        };
        for case in 0..3000 {
            let samples: Vec<u8> = match case % 3 {
                0 => (0..64).map(|_| next()).collect(),
                1 => {
                    let (a, b) = (next() / 4, next() / 4);
                    (0..64)
                        .map(|i| a + (i % 8) as u8 * 8 + (i / 8) as u8 * (b / 8))
                        .collect()
                }
                _ => vec![next(); 64],
            };
            for t in 0..2 {
                let mut portable = [0i32; 64];
                let bits = transform_portable(&samples, 8, &tables.reciprocals[t], &mut portable);
                let mut chosen = [0i32; 64];
                let chosen_bits = transform(&samples, 8, &tables.reciprocals[t], &mut chosen);
                assert_eq!((portable, bits), (chosen, chosen_bits), "case {case}");
                if let Some(value) = flat(&samples, 8) {
                    let dc = round((f32::from(value) - 128.0) * 64.0 * tables.reciprocals[t][0]);
                    assert_eq!((dc, 0), (portable[0], bits & !1), "flat case {case}");
                }
            }
        }
    }

    #[test]
    fn stuffing_follows_every_ff_byte() {
        let mut bits = Bits::with_capacity(16);
        bits.put(0xFFFF_00FF, 32);
        bits.put(0x7F, 7);
        let out = bits.finish();
        assert_eq!(out, [0xFF, 0, 0xFF, 0, 0x00, 0xFF, 0, 0xFF, 0]);
        assert_eq!(zigzag_bits(1 << 8), 1 << 2);
        assert_eq!(zigzag_bits(u64::MAX), u64::MAX);
    }

    #[test]
    fn quality_scales_the_standard_tables_as_libjpeg_does() {
        let tables = Tables::new(88);
        // 16 × 24 % = 3.84 → 4; 99 × 24 % = 23.76 → 24.
        assert_eq!(tables.stored(0)[0], 4);
        assert_eq!(tables.stored(1)[63], 24);
        assert_eq!(magnitude(-3), (2, 0b00));
        assert_eq!(magnitude(5), (3, 0b101));
        assert_eq!(magnitude(0), (0, 0));
    }
}
