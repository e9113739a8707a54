//! Splitting a wire caption into caption and credit: "… on January 27, 2026. (Credit Image: (©
//! Sebastian Barros/LongVisual via Zuma Press Wire)" becomes the caption "… on January 27, 2026."
//! and the credit "© Sebastian Barros/LongVisual via Zuma Press Wire".

/// The markers that introduce a credit, longest first so "Photo credit:" wins over "Photo:".
/// The first four are SPEC's; "Foto:" is the Spanish and Portuguese wire form.
const MARKERS: [&str; 6] = [
    "credit image:",
    "image credit:",
    "photo credit:",
    "credit:",
    "photo:",
    "foto:",
];

/// The longest a bare "© Name" tail may be to count as a credit without a marker; longer text
/// after a © is prose that mentions copyright, not a credit line.
const BARE_COPYRIGHT_MAX_CHARS: usize = 120;

/// Whether a block carries a credit marker (or a short "© Name" tail).
pub fn has_credit(block: &str) -> bool {
    find_marker(block).is_some()
}

/// Splits `block` into the caption (without the credit) and the credit (without its wrapper and
/// with unbalanced brackets removed). `None` when the block carries no credit.
pub fn split(block: &str) -> Option<(String, String)> {
    let (start, end) = find_marker(block)?;
    let mut caption = block[..start].trim_end();
    let mut rest = block[end..].trim().to_owned();
    // A wrapper opened with "(" before the marker ("(Credit Image: …)") closes at the end.
    if caption.ends_with('(') {
        caption = caption[..caption.len() - 1].trim_end();
        if rest.ends_with(')') {
            rest.pop();
        }
    }
    let credit = strip_wrapping(&balance(&rest));
    Some((caption.to_owned(), credit))
}

/// Byte range of the earliest marker, or of a bare "©" starting a short tail.
fn find_marker(block: &str) -> Option<(usize, usize)> {
    let lower = block.to_lowercase();
    // Lower-casing can change byte lengths (e.g. 'İ'); only trust positions when it did not.
    let hay = if lower.len() == block.len() {
        lower.as_str()
    } else {
        block
    };
    let marked = MARKERS
        .iter()
        .filter_map(|m| hay.find(m).map(|p| (p, p + m.len())))
        .min_by_key(|&(p, e)| (p, std::cmp::Reverse(e)));
    if marked.is_some() {
        return marked;
    }
    let p = block.find('©')?;
    let tail = block[p..].chars().count();
    // the © stays part of the credit, so the range is empty
    (tail <= BARE_COPYRIGHT_MAX_CHARS).then_some((p, p))
}

/// Removes brackets that have no partner, keeping every other character.
fn balance(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut keep = vec![true; chars.len()];
    let mut open: Vec<usize> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '(' | '[' => open.push(i),
            ')' | ']' => {
                let want = if c == ')' { '(' } else { '[' };
                match open.last() {
                    Some(&o) if chars[o] == want => {
                        open.pop();
                    }
                    _ => keep[i] = false,
                }
            }
            _ => {}
        }
    }
    for o in open {
        keep[o] = false;
    }
    let out: String = chars
        .iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(c, _)| *c)
        .collect();
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Drops one pair of brackets around the whole credit: "(© AP)" → "© AP".
fn strip_wrapping(s: &str) -> String {
    let t = s.trim();
    let inner = t.strip_prefix('(').and_then(|r| r.strip_suffix(')'));
    match inner {
        Some(i) if balance(i) == i.split_whitespace().collect::<Vec<_>>().join(" ") => {
            i.trim().to_owned()
        }
        _ => t.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_the_seed_caption() {
        let block = "Colombian President Gustavo Petro takes part during an event announcing a joint operation for restoring the San Juan de Dios hospital in Bogota, Colombia, on January 27, 2026. (Credit Image: (© Sebastian Barros/LongVisual via Zuma Press Wire)";
        let (caption, credit) = split(block).unwrap();
        assert!(caption.starts_with("Colombian President Gustavo Petro takes part"));
        assert!(caption.ends_with("on January 27, 2026."));
        assert_eq!(credit, "© Sebastian Barros/LongVisual via Zuma Press Wire");
    }

    #[test]
    fn splits_each_marker() {
        assert_eq!(
            split("A market. Credit: Jane Roe/AP").unwrap(),
            ("A market.".into(), "Jane Roe/AP".into())
        );
        assert_eq!(
            split("A market. Photo: Reuters").unwrap(),
            ("A market.".into(), "Reuters".into())
        );
        assert_eq!(
            split("A market. Photo credit: Ana Gómez (EFE)").unwrap(),
            ("A market.".into(), "Ana Gómez (EFE)".into())
        );
        assert_eq!(
            split("A market. (Credit Image: © Jo Bloggs/Zuma)").unwrap(),
            ("A market.".into(), "© Jo Bloggs/Zuma".into())
        );
        assert_eq!(split("Photo: AP").unwrap(), (String::new(), "AP".into()));
        assert_eq!(
            split("A market. © Reuters").unwrap(),
            ("A market.".into(), "© Reuters".into())
        );
        assert!(split("An ordinary paragraph without any marker.").is_none());
    }
}
