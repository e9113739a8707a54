//! Symbol fonts: fonts whose characters are pictures at the codes of letters. Word stores such
//! a character at its code plus F000 (Unicode's private use area) in a `w:sym`, and text typed
//! or pasted in the font at the code itself or at F000 plus the code; shown in another font,
//! either is a wrong letter or nothing. Each is read as the Unicode character the font draws:
//! Symbol's whole encoding (Adobe's), and the common bullets, boxes, checks, arrows and
//! pictographs of Wingdings, Wingdings 2 and Webdings. A code of a symbol font with no such
//! character here (a Wingdings 3 arrow, a Wingdings leaf) is read as nothing, and the reader
//! warns once per font and code; never as a letter.

/// The character code `code` (F000 plus the font's code, or the code itself) of `font` shows:
/// a symbol font's by its table ([`table`]); another font's low byte as Latin-1 (Word writes a
/// `w:sym` of a text font only for documents converted from old formats). `None`: nothing to
/// show (a symbol font's code with no Unicode character here).
pub fn sym_char(font: &str, code: u32) -> Option<char> {
    let low = if (0xF000..=0xF0FF).contains(&code) {
        code - 0xF000
    } else {
        code
    };
    match table(font) {
        Some(map) => u8::try_from(low).ok().filter(|b| *b >= 0x20).and_then(map),
        None => char::from_u32(low),
    }
}

/// Whether `font` is a symbol font: its codes are not letters.
pub fn is_symbol_font(font: &str) -> bool {
    table(font).is_some()
}

/// The code a symbol font's character is known by in warnings: F000 plus the font's code, as
/// Word writes it in a `w:sym` (`F0FC`).
pub fn code_name(code: u32) -> String {
    let code = if code <= 0xFF { 0xF000 + code } else { code };
    format!("{code:04X}")
}

/// A symbol font's table from its code to the Unicode character it draws, by the font's name;
/// `None` for a text font. The dingbat fonts whose tables are not here map nothing.
fn table(font: &str) -> Option<fn(u8) -> Option<char>> {
    let name = font.trim().to_ascii_lowercase();
    Some(match name.as_str() {
        "symbol" => symbol,
        "wingdings" => wingdings,
        "wingdings 2" => wingdings_2,
        "webdings" => webdings,
        "wingdings 3"
        | "zapf dingbats"
        | "zapfdingbats"
        | "itc zapf dingbats"
        | "marlett"
        | "mt extra"
        | "ms outlook"
        | "bookshelf symbol 7"
        | "ms reference specialty" => |_| None,
        _ => return None,
    })
}

/// Adobe's Symbol encoding, 0x20–0xFE (the bracket pieces E6–EF and F3–FE as Unicode's).
fn symbol(b: u8) -> Option<char> {
    const LOW: &str = " !∀#∃%&∋()∗+,−./0123456789:;<=>?≅ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ[∴]⊥_\u{F8E5}αβχδεφγηιϕκλμνοπθρστυϖωξψζ{|}∼";
    const HIGH: &str = "€ϒ′≤⁄∞ƒ♣♦♥♠↔←↑→↓°±″≥×∝∂•÷≠≡≈…⏐⎯↵ℵℑℜ℘⊗⊕∅∩∪⊃⊇⊄⊂⊆∈∉∠∇®©™∏√⋅¬∧∨⇔⇐⇑⇒⇓◊〈®©™∑⎛⎜⎝⎡⎢⎣⎧⎨⎩⎪\u{F8FF}〉∫⌠⎮⌡⎞⎟⎠⎤⎥⎦⎫⎬⎭";
    match b {
        0x20..=0x7E => LOW.chars().nth(usize::from(b - 0x20)),
        0xA0..=0xFE => HIGH.chars().nth(usize::from(b - 0xA0)),
        _ => None,
    }
}

/// `first` plus `b - from`: a run of codes that maps onto a run of Unicode characters.
fn run(b: u8, from: u8, first: u32) -> Option<char> {
    char::from_u32(first + u32::from(b - from))
}

/// Wingdings: the characters with a Unicode equivalent that briefs use (bullets, boxes, check
/// marks, arrows, stars, circled numbers, hands, office pictographs). The wide-headed arrows
/// DF–E2 have no character of their own outside the emoji-era arrows; they read as the plain
/// arrows ← → ↑ ↓.
fn wingdings(b: u8) -> Option<char> {
    Some(match b {
        0x20 => ' ',
        0x21 => '✏',
        0x22 => '✂',
        0x23 => '✁',
        0x24 => '👓',
        0x25 => '🔔',
        0x26 => '📖',
        0x28 => '☎',
        0x29 => '✆',
        0x2A => '✉',
        0x2C..=0x2F => return run(b, 0x2C, 0x1F4EA), // 📪 📫 📬 📭
        0x30 => '📁',
        0x31 => '📂',
        0x32 => '📄',
        0x36 => '⌛',
        0x37 => '⌨',
        0x3A => '💻',
        0x3C => '💾',
        0x3E => '✇',
        0x3F => '✍',
        0x41 => '✌',
        0x42 => '👌',
        0x43 => '👍',
        0x44 => '👎',
        0x45 => '☜',
        0x46 => '☞',
        0x47 => '☝',
        0x48 => '☟',
        0x49 => '✋',
        0x4A => '☺',
        0x4B => '😐',
        0x4C => '☹',
        0x4D => '💣',
        0x4E => '☠',
        0x4F => '⚐',
        0x50 => '🚩',
        0x51 => '✈',
        0x52 => '☼',
        0x53 => '💧',
        0x54 => '❄',
        0x56 => '✞',
        0x58 => '✠',
        0x59 => '✡',
        0x5A => '☪',
        0x5B => '☯',
        0x5C => 'ॐ',
        0x5D => '☸',
        0x5E..=0x69 => return run(b, 0x5E, 0x2648), // ♈ … ♓
        0x6C => '●',
        0x6D => '❍',
        0x6E => '■',
        0x6F => '□',
        0x71 => '❑',
        0x72 => '❒',
        0x73 => '⬧',
        0x74 => '⧫',
        0x75 => '◆',
        0x76 => '❖',
        0x77 => '⬥',
        0x78 => '⌧',
        0x7A => '⌘',
        0x7B => '❀',
        0x7C => '✿',
        0x7D => '❝',
        0x7E => '❞',
        0x80 => '⓪',
        0x81..=0x8A => return run(b, 0x81, 0x2460), // ① … ⑩
        0x8B => '⓿',
        0x8C..=0x95 => return run(b, 0x8C, 0x2776), // ❶ … ❿
        0x9E => '·',
        0x9F => '•',
        0xA0 | 0xA7 => '▪',
        0xA1 => '○',
        0xA2 => '⭕',
        0xA4 => '◉',
        0xA5 => '◎',
        0xA8 => '◻',
        0xAA => '✦',
        0xAB => '★',
        0xAC => '✶',
        0xAD => '✴',
        0xAE => '✹',
        0xAF => '✵',
        0xB1 => '⌖',
        0xB2 => '⟡',
        0xB3 => '⌑',
        0xB5 => '✪',
        0xB6 => '✰',
        0xB7..=0xC2 => return run(b, 0xB7, 0x1F550), // clock faces, one to twelve o'clock
        0xD5 => '⌫',
        0xD6 => '⌦',
        0xD8 => '➢',
        0xDC => '➲',
        0xDF => '←',
        0xE0 => '→',
        0xE1 => '↑',
        0xE2 => '↓',
        0xE8 => '➔',
        0xEF => '⇦',
        0xF0 => '⇨',
        0xF1 => '⇧',
        0xF2 => '⇩',
        0xF3 => '⬄',
        0xF4 => '⇳',
        0xF9 => '▭',
        0xFA => '▫',
        0xFB => '✗',
        0xFC => '✓',
        0xFD => '☒',
        0xFE => '☑',
        _ => return None,
    })
}

/// Wingdings 2: its boxes, check marks, pointing hands, circled numbers and geometric bullets.
/// Its check mark and cross (P, O) read as ✓ and ✗, the marks every font with check marks
/// has (Unicode's own LIGHT CHECK MARK and BALLOT SCRIPT X, U+1F5F8 and U+1F5F4, are in few).
fn wingdings_2(b: u8) -> Option<char> {
    Some(match b {
        0x20 => ' ',
        0x25 => '✄',
        0x26 => '✀',
        0x42 => '👈',
        0x43 => '👉',
        0x4A => '👆',
        0x4B => '👇',
        0x4F => '✗',
        0x50 => '✓',
        0x51 => '🗵',
        0x52 => '☑',
        0x53 => '⮽',
        0x54 => '☒',
        0x5D => '‽',
        0x69 => '⓪',
        0x6A..=0x73 => return run(b, 0x6A, 0x2460), // ① … ⑩
        0x74 => '⓿',
        0x75..=0x7E => return run(b, 0x75, 0x2776), // ❶ … ❿
        0x80 => '☉',
        0x82 => '☽',
        0x83 => '☾',
        0x85 => '✝',
        0x95 => '⋅',
        0x97 => '⦁',
        0x98 => '●',
        0x99 => '○',
        0x9D => '⊙',
        0x9E => '⦿',
        0xA1 => '◾',
        0xA2 => '■',
        0xA3 => '□',
        0xA8 => '▣',
        0xAD => '⬩',
        0xAE => '⬥',
        0xAF => '◇',
        0xB1 => '◈',
        0xB6 => '⬪',
        0xB7 => '⬧',
        0xB8 => '◊',
        0xBA => '◖',
        0xBB => '◗',
        0xC0 => '⬟',
        0xC2 => '⬣',
        0xC3 => '⬢',
        0xEB => '✶',
        0xF0 => '✹',
        0xF3 => '✯',
        0xF8 => '※',
        0xF9 => '⁂',
        _ => return None,
    })
}

/// Webdings: its media-control triangles, check mark, boxes and the signs briefs use.
fn webdings(b: u8) -> Option<char> {
    Some(match b {
        0x20 => ' ',
        0x33 => '⏴',
        0x34 => '⏵',
        0x35 => '⏶',
        0x36 => '⏷',
        0x37 => '⏪',
        0x38 => '⏩',
        0x39 => '⏮',
        0x3A => '⏭',
        0x3B => '⏸',
        0x3C => '⏹',
        0x3D => '⏺',
        0x4C => '🔍',
        0x4E => '👁',
        0x61 => '✔',
        0x63 => '□',
        0x67 => '■',
        0x69 => '🛈',
        0x6E => '⚫',
        0x72 => '🗙',
        0x73 => '❓',
        0x78 => '🛇',
        0x79 => '⊖',
        0x7C => '|',
        0xCF => '🔒',
        0xD0 => '🔓',
        0xE9 => '♿',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbol_fonts_read_as_unicode_and_text_fonts_as_latin_1() {
        assert_eq!(sym_char("symbol", 0x22), Some('∀'));
        assert_eq!(sym_char("Symbol", 0xF07E), Some('∼'));
        assert_eq!(sym_char("Symbol", 0xF0FE), Some('⎭'));
        assert_eq!(sym_char("Symbol", 0xF080), None);
        let wingdings: String = [
            0xF0A7, 0xF0A8, 0xF0D8, 0xF0FC, 0xF0FB, 0xF0E0, 0xF06E, 0xF06C, 0xF09F, 0xF0A1, 0xF076,
            0xF071, 0xF0E8, 0xF0F0, 0xF06F, 0xF0FE, 0xF0FD, 0x4A,
        ]
        .into_iter()
        .filter_map(|c| sym_char("Wingdings", c))
        .collect();
        assert_eq!(wingdings, "▪◻➢✓✗→■●•○❖❑➔⇨□☑☒☺");
        // Wingdings' F0B7 is a clock face (Symbol's is the bullet).
        assert_eq!(sym_char("Wingdings", 0xF0B7), Some('🕐'));
        assert_eq!(sym_char("Wingdings", 0xF0C2), Some('🕛'));
        assert_eq!(sym_char("Wingdings", 0xF08A), Some('⑩'));
        assert_eq!(sym_char("Wingdings", 0xF095), Some('❿'));
        assert_eq!(sym_char("Wingdings", 0xF069), Some('♓'));
        let two: String = [0xF050, 0xF04F, 0xF052, 0xF054, 0xF098, 0xF0A2, 0xF073]
            .into_iter()
            .filter_map(|c| sym_char("Wingdings 2", c))
            .collect();
        assert_eq!(two, "✓✗☑☒●■⑩");
        assert_eq!(sym_char("webdings", 0xF061), Some('✔'));
        assert_eq!(sym_char("Webdings", 0xF034), Some('⏵'));
        // Unmapped codes of a symbol font are nothing, never a letter.
        for (font, code) in [
            ("Wingdings", 0xF0CB),
            ("Wingdings", 0xF0FF),
            ("Wingdings", 0x10),
            ("Wingdings 2", 0xF0FA),
            ("Webdings", 0xF0F6),
            ("Wingdings 3", 0xF0C6),
            ("Zapf Dingbats", 0xF033),
        ] {
            assert_eq!(sym_char(font, code), None, "{font} {code:X}");
            assert!(is_symbol_font(font));
        }
        // A text font's code is its own character (a converted document's w:sym).
        assert_eq!(sym_char("Arial", 0x00E9), Some('é'));
        assert_eq!(sym_char("Times New Roman", 0xF0B0), Some('°'));
        assert!(!is_symbol_font("Arial"));
        assert_eq!(code_name(0x78), "F078");
        assert_eq!(code_name(0xF0B7), "F0B7");
    }

    #[test]
    fn the_common_bullets_checks_and_arrows_are_in_the_compiled_in_fonts() {
        use skrifa::MetadataProvider;
        let theme = crate::theme::Theme::default();
        let mut faces: Vec<&[u8]> = crate::theme::SYMBOL_FONTS.iter().map(|(_, b)| *b).collect();
        faces.push(theme.serif.regular.as_ref());
        let covered = |c: char| {
            faces
                .iter()
                .any(|f| skrifa::FontRef::new(f).is_ok_and(|font| font.charmap().map(c).is_some()))
        };
        let mut missing = Vec::new();
        let sets: [(&str, &[u8]); 3] = [
            (
                "Wingdings",
                &[
                    0xA7, 0xA8, 0xD8, 0xFC, 0xFB, 0xE0, 0x6E, 0x6C, 0x9F, 0xA1, 0x76, 0x71, 0xE8,
                    0xF0, 0x6F, 0xFD, 0xFE, 0x75, 0x77, 0xDF, 0xE1, 0xE2, 0xEF, 0xF1, 0xF2, 0xAB,
                    0xB7, 0x43, 0x46,
                ][..],
            ),
            (
                "Wingdings 2",
                &[0x4F, 0x50, 0x51, 0x52, 0x53, 0x54, 0x98, 0x99, 0xA2, 0xA3][..],
            ),
            ("Webdings", &[0x61, 0x63, 0x67, 0x33, 0x34, 0x35, 0x36][..]),
        ];
        for (font, codes) in sets {
            for &b in codes {
                let c = sym_char(font, u32::from(b)).unwrap();
                if !covered(c) {
                    missing.push(format!("{font} {b:02X} {c}"));
                }
            }
        }
        assert!(missing.is_empty(), "{missing:?}");
    }
}
