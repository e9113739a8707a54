//! The faces a render draws from, parsed once per render: skrifa for metrics, cmap and
//! advances, a harfrust font for shaping, and the raw bytes the painter subsets and embeds.
//!
//! A character is looked for, per cluster, in this order (docs/decisions.md): the style's own
//! face, the same style in the theme's other family, the compiled-in symbol faces
//! ([`SYMBOL_FONTS`]), the theme's `fallback` files, then the system's fonts. The system's
//! fonts (fontconfig's folders, read with fontdb) are scanned only when a character is missing
//! from every earlier face, once per process; a face found there is read once per process and
//! parsed once per book. Lookups past the theme's families are cached per style and character.

use crate::error::{Error, Result};
use crate::theme::{FontData, SYMBOL_FONTS, Theme};
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::DrawSettings;
use skrifa::raw::TableProvider;
use skrifa::{FontRef, GlyphId, MetadataProvider};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// Index of a face in the [`FontBook`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FaceId(pub u16);

/// Serif (body) or sans (headings, masthead, captions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// The theme's body face.
    Serif,
    /// The theme's display face.
    Sans,
}

impl FaceId {
    /// The face of a family in a style. The book orders faces serif then sans, each as
    /// regular, italic, bold, bold italic.
    pub fn of(family: Family, bold: bool, italic: bool) -> FaceId {
        let base = match family {
            Family::Serif => 0,
            Family::Sans => 4,
        };
        FaceId(base + u16::from(italic) + 2 * u16::from(bold))
    }

    /// The same style in the other family (the first fallback when a face lacks a character);
    /// a fallback face's is itself.
    pub fn other_family(self) -> FaceId {
        if self.0 < 8 {
            FaceId((self.0 + 4) % 8)
        } else {
            self
        }
    }

    /// Whether this is one of the theme's eight faces.
    pub fn is_theme(self) -> bool {
        self.0 < 8
    }

    /// The style of a theme face: (bold, italic); fallback faces count as regular.
    fn style(self) -> (bool, bool) {
        if self.0 < 8 {
            (self.0 % 4 >= 2, self.0 % 2 == 1)
        } else {
            (false, false)
        }
    }
}

/// Metrics of a face, in font units unless said otherwise.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaceMetrics {
    /// Units per em.
    pub units_per_em: u16,
    /// Typographic ascent (positive).
    pub ascent: f32,
    /// Typographic descent (negative).
    pub descent: f32,
    /// Height of capitals, when the font says.
    pub cap_height: f32,
    /// The font's bounding box: x min, y min, x max, y max.
    pub bbox: [i16; 4],
    /// hhea caret slope rise and run (the PDF /ItalicAngle comes from them).
    pub caret_slope: (i16, i16),
    /// OS/2 weight class, 0 when absent.
    pub weight: u16,
}

/// Where a face comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// One of the theme's two families.
    Theme,
    /// A compiled-in symbol and mathematics face.
    Symbols,
    /// A file the theme's `fallback` list names.
    ThemeFallback,
    /// A font installed on the system.
    System,
}

/// One parsed face.
pub struct Face<'a> {
    /// The font file's bytes, for subsetting and embedding.
    pub data: &'a [u8],
    /// The face's index in a font collection (0 for a single font file).
    pub index: u32,
    /// The PostScript name (what the PDF calls the font).
    pub postscript_name: String,
    /// The typographic family name (what CSS and Word call the font).
    pub family: String,
    /// Where the face comes from.
    pub origin: Origin,
    /// Metrics.
    pub metrics: FaceMetrics,
    charmap: skrifa::charmap::Charmap<'a>,
    advances: skrifa::metrics::GlyphMetrics<'a>,
    shaper: harfrust::Font,
    /// [`Face::ink`] of the glyphs measured from their outlines, by glyph.
    ink: Mutex<HashMap<u16, (f32, f32)>>,
}

/// The vertical extent of an outline's points.
#[derive(Default)]
struct Extent {
    top: f32,
    bottom: f32,
    points: bool,
}

impl Extent {
    fn point(&mut self, y: f32) {
        if self.points {
            self.top = self.top.max(y);
            self.bottom = self.bottom.min(y);
        } else {
            (self.top, self.bottom, self.points) = (y, y, true);
        }
    }
}

impl skrifa::outline::OutlinePen for Extent {
    fn move_to(&mut self, _x: f32, y: f32) {
        self.point(y);
    }
    fn line_to(&mut self, _x: f32, y: f32) {
        self.point(y);
    }
    fn quad_to(&mut self, _cx0: f32, cy0: f32, _x: f32, y: f32) {
        self.point(cy0);
        self.point(y);
    }
    fn curve_to(&mut self, _cx0: f32, cy0: f32, _cx1: f32, cy1: f32, _x: f32, y: f32) {
        self.point(cy0);
        self.point(cy1);
        self.point(y);
    }
    fn close(&mut self) {}
}

impl<'a> Face<'a> {
    fn parse(data: &'a FontData, what: &str) -> Result<Face<'a>> {
        let blob: harfrust::font::Blob = match data {
            Cow::Borrowed(b) => (*b).into(),
            Cow::Owned(v) => v.clone().into(),
        };
        Face::parse_bytes(data.as_ref(), 0, blob, what, Origin::Theme)
    }

    fn parse_bytes(
        bytes: &'a [u8],
        index: u32,
        blob: harfrust::font::Blob,
        what: &str,
        origin: Origin,
    ) -> Result<Face<'a>> {
        let bad = |m: &str| {
            Error::render(
                "pdf",
                format!("font `{what}`: {m}; check the theme's font files"),
            )
        };
        let skrifa = FontRef::from_index(bytes, index).map_err(|e| bad(&e.to_string()))?;
        let m = skrifa.metrics(Size::unscaled(), LocationRef::default());
        let head = skrifa.head().map_err(|e| bad(&e.to_string()))?;
        let hhea = skrifa.hhea().map_err(|e| bad(&e.to_string()))?;
        let weight = skrifa.os2().map(|t| t.us_weight_class()).unwrap_or(0);
        let postscript_name = skrifa
            .localized_strings(skrifa::string::StringId::POSTSCRIPT_NAME)
            .english_or_first()
            .map(|s| {
                s.chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect::<String>()
            })
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| what.chars().filter(char::is_ascii_alphanumeric).collect());
        let family = [
            skrifa::string::StringId::TYPOGRAPHIC_FAMILY_NAME,
            skrifa::string::StringId::FAMILY_NAME,
        ]
        .into_iter()
        .find_map(|id| {
            skrifa
                .localized_strings(id)
                .english_or_first()
                .map(|s| s.to_string())
        })
        .unwrap_or_else(|| what.to_owned());
        let shaper =
            harfrust::Font::new(blob, index).ok_or_else(|| bad("harfrust cannot read it"))?;
        Ok(Face {
            data: bytes,
            index,
            postscript_name,
            family,
            origin,
            metrics: FaceMetrics {
                units_per_em: m.units_per_em,
                ascent: m.ascent,
                descent: m.descent,
                cap_height: m.cap_height.unwrap_or(m.ascent * 0.7),
                bbox: [head.x_min(), head.y_min(), head.x_max(), head.y_max()],
                caret_slope: (hhea.caret_slope_rise(), hhea.caret_slope_run()),
                weight,
            },
            charmap: skrifa.charmap(),
            advances: skrifa.glyph_metrics(Size::unscaled(), LocationRef::default()),
            shaper,
            ink: Default::default(),
        })
    }

    /// The glyph for a character, if the face has one.
    pub fn glyph(&self, c: char) -> Option<u16> {
        self.charmap
            .map(c)
            .and_then(|g| u16::try_from(g.to_u32()).ok())
            .filter(|g| *g != 0)
    }

    /// Whether the face has every character of `cluster` (format characters aside).
    pub fn covers(&self, cluster: &str) -> bool {
        cluster
            .chars()
            .all(|c| is_format(c) || self.glyph(c).is_some())
    }

    /// The advance of a glyph in font units (0 for an unknown glyph).
    pub fn advance(&self, glyph: u16) -> f32 {
        self.advances
            .advance_width(GlyphId::new(u32::from(glyph)))
            .unwrap_or(0.0)
    }

    /// How far a glyph's ink reaches above and below the baseline, in font units (both
    /// positive away from it), when the font records its outline's box (TrueType outlines do;
    /// for others the face's ascent and descent stand in).
    pub fn ink(&self, glyph: u16) -> (f32, f32) {
        let id = GlyphId::new(u32::from(glyph));
        if let Some(b) = self.advances.bounds(id) {
            return (b.y_max, -b.y_min);
        }
        // CFF outlines record no box: the outline's points bound it (control points
        // included, so never less), measured once per glyph.
        if let Some(known) = self.ink.lock().ok().and_then(|k| k.get(&glyph).copied()) {
            return known;
        }
        let mut pen = Extent::default();
        let drawn = FontRef::from_index(self.data, self.index)
            .ok()
            .and_then(|f| f.outline_glyphs().get(id))
            .map(|g| {
                g.draw(
                    DrawSettings::unhinted(Size::unscaled(), LocationRef::default()),
                    &mut pen,
                )
            });
        let found = match drawn {
            Some(Ok(_)) if pen.points => (pen.top.max(0.0), (-pen.bottom).max(0.0)),
            Some(Ok(_)) => (0.0, 0.0),
            _ => (self.metrics.ascent, -self.metrics.descent),
        };
        if let Ok(mut k) = self.ink.lock() {
            k.insert(glyph, found);
        }
        found
    }

    /// The harfrust font for shaping.
    pub fn shaper(&self) -> &harfrust::Font {
        &self.shaper
    }

    /// Points per font unit at `size`.
    pub fn scale(&self, size: f32) -> f32 {
        size / f32::from(self.metrics.units_per_em.max(1))
    }
}

/// Format characters a font need not have a glyph for (the shaper drops or hides them): the
/// soft hyphen, zero-width space and joiners, direction marks, word joiner, BOM and variation
/// selectors.
pub fn is_format(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

/// The clusters of `text` that must be drawn from one face, with their byte offsets: each
/// character with the combining marks, joiners and variation selectors after it.
pub fn clusters(text: &str) -> impl Iterator<Item = (usize, &str)> {
    use unicode_linebreak::{BreakClass, break_property};
    let mut iter = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, first) = iter.next()?;
        let mut end = start + first.len_utf8();
        let mut joined = first == '\u{200D}';
        while let Some(&(i, c)) = iter.peek() {
            let attach = joined
                || is_format(c) && !matches!(c, '\u{00AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}')
                || matches!(
                    break_property(u32::from(c)),
                    BreakClass::CombiningMark | BreakClass::ZeroWidthJoiner
                ) && !first.is_whitespace();
            if !attach {
                break;
            }
            joined = c == '\u{200D}';
            end = i + c.len_utf8();
            iter.next();
        }
        Some((start, &text[start..end]))
    })
}

/// The system's fonts, found once per process and only when some character needs them.
struct SystemFonts {
    db: fontdb::Database,
    /// Every face of the database with its sort keys, in a fixed order (not the order the
    /// folders were read in), so the same machine always picks the same face.
    faces: Vec<fontdb::ID>,
    /// For each [`Preference`] the order faces are tried in.
    order: Mutex<HashMap<Preference, std::sync::Arc<Vec<usize>>>>,
    /// Font files read so far, by path: kept for the process, as the parsed faces borrow them.
    files: Mutex<HashMap<std::path::PathBuf, &'static [u8]>>,
    /// Characters no system face has.
    none: Mutex<std::collections::HashSet<char>>,
}

/// What a book prefers among system faces that have a character: the style's slant first,
/// then the theme designer's faces (the first word of the family name), text faces before
/// display ones, the nearest weight, the same genre (serif or sans), a CJK face of the
/// article's region, then the family name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Preference {
    bold: bool,
    italic: bool,
    serif: bool,
    vendor: String,
    region: &'static str,
}

/// A system face's weight: its OS/2 weight class, unless its name says bold and the class
/// says otherwise (Debian's Noto Serif Myanmar Bold declares 400, and was taken for the
/// regular face).
fn weight(f: &fontdb::FaceInfo) -> u16 {
    let named_bold =
        f.post_script_name.contains("Bold") && !f.post_script_name.contains("SemiBold");
    if named_bold && f.weight.0 < 600 {
        700
    } else {
        f.weight.0
    }
}

/// A system face's place in a [`Preference`]'s order: slant, vendor, special, weight
/// distance, genre, region (each 0 when it is what is wanted), family name, then its index.
type SortKey = (u8, u8, u8, u16, u8, u8, String, usize);

/// The process's system fonts.
static SYSTEM: OnceLock<SystemFonts> = OnceLock::new();

impl SystemFonts {
    fn get() -> &'static SystemFonts {
        SYSTEM.get_or_init(|| {
            let mut db = fontdb::Database::new();
            db.load_system_fonts();
            let mut faces: Vec<(String, fontdb::ID)> = db
                .faces()
                .map(|f| {
                    let path = match &f.source {
                        fontdb::Source::File(p) | fontdb::Source::SharedFile(p, _) => {
                            p.display().to_string()
                        }
                        fontdb::Source::Binary(_) => String::new(),
                    };
                    (format!("{path}\u{0}{:05}", f.index), f.id)
                })
                .collect();
            faces.sort();
            SystemFonts {
                db,
                faces: faces.into_iter().map(|(_, id)| id).collect(),
                order: Mutex::new(HashMap::new()),
                files: Mutex::new(HashMap::new()),
                none: Mutex::new(std::collections::HashSet::new()),
            }
        })
    }

    /// The order faces are tried in for a style (see [`Preference`]).
    fn order(&self, want: &Preference) -> std::sync::Arc<Vec<usize>> {
        if let Some(o) = self.order.lock().ok().and_then(|m| m.get(want).cloned()) {
            return o;
        }
        let weight_wanted = if want.bold { 700 } else { 400 };
        let mut keyed: Vec<SortKey> = self
            .faces
            .iter()
            .enumerate()
            .filter_map(|(i, id)| {
                let f = self.db.face(*id)?;
                let family = f
                    .families
                    .first()
                    .map(|(n, _)| n.clone())
                    .unwrap_or_default();
                let words: Vec<String> = family.split_whitespace().map(str::to_lowercase).collect();
                let has = |w: &str| words.iter().any(|p| p == w);
                let slanted = f.style != fontdb::Style::Normal;
                // Text faces first: UI, display, monospaced and decorative variants last.
                let special = ["ui", "display", "mono", "kufi", "looped", "color", "emoji"]
                    .iter()
                    .any(|w| has(w));
                // The theme's designer's other faces first ("Noto Serif" → "Noto Sans Thai").
                let vendor = words.first().is_some_and(|w| *w == want.vendor);
                let generic = if want.serif {
                    has("serif")
                } else {
                    has("sans")
                };
                // A CJK face for the article's region: Japanese, Korean, Simplified or
                // Traditional Chinese forms.
                let region = !has("cjk") || words.last().is_some_and(|w| *w == want.region);
                Some((
                    u8::from(slanted != want.italic),
                    u8::from(!vendor),
                    u8::from(special),
                    weight(f).abs_diff(weight_wanted),
                    u8::from(!generic),
                    u8::from(!region),
                    family,
                    i,
                ))
            })
            .collect();
        keyed.sort();
        let order = std::sync::Arc::new(keyed.into_iter().map(|k| k.7).collect::<Vec<_>>());
        if let Ok(mut m) = self.order.lock() {
            m.insert(want.clone(), order.clone());
        }
        order
    }

    /// Whether face `i` has every character of `cluster`.
    fn has(&self, i: usize, cluster: &str) -> bool {
        self.db
            .with_face_data(self.faces[i], |data, index| {
                FontRef::from_index(data, index).is_ok_and(|f| {
                    let map = f.charmap();
                    cluster
                        .chars()
                        .all(|c| is_format(c) || map.map(c).is_some_and(|g| g.to_u32() != 0))
                })
            })
            .unwrap_or(false)
    }

    /// The bytes of face `i`'s file, read once per process.
    fn bytes(&self, i: usize) -> Option<(&'static [u8], u32)> {
        let info = self.db.face(self.faces[i])?;
        let path = match &info.source {
            fontdb::Source::File(p) | fontdb::Source::SharedFile(p, _) => p.clone(),
            fontdb::Source::Binary(_) => return None,
        };
        let mut files = self.files.lock().ok()?;
        if let Some(b) = files.get(&path) {
            return Some((b, info.index));
        }
        let data: &'static [u8] = Box::leak(std::fs::read(&path).ok()?.into_boxed_slice());
        files.insert(path, data);
        Some((data, info.index))
    }
}

/// The system faces a book has loaded, by their place in [`SystemFonts::faces`].
struct Loaded {
    slots: Vec<OnceLock<Option<Face<'static>>>>,
    /// Slots in the order they were loaded (tried before scanning for another face).
    order: Mutex<Vec<usize>>,
}

/// All faces a render draws from, parsed once per render.
pub struct FontBook<'a> {
    /// The theme's eight faces, then the symbol faces, then the theme's fallback files.
    faces: Vec<Face<'a>>,
    /// The system's faces, set up when some character is missing from all of `faces`.
    system: OnceLock<Loaded>,
    /// Whether to look among the system's fonts at all.
    use_system: bool,
    /// The first word of each theme family's name, lower case (serif, sans).
    vendor: [String; 2],
    /// The CJK region the article's language asks for (`jp`, `kr`, `sc`, `tc`, `hk`).
    region: &'static str,
    /// The face found for a (style, cluster) past the style's own family.
    cache: Mutex<HashMap<(FaceId, String), Option<FaceId>>>,
}

impl<'a> FontBook<'a> {
    /// Parses the theme's serif and sans families (eight faces), the compiled-in symbol faces
    /// and the theme's fallback files.
    pub fn new(theme: &'a Theme) -> Result<FontBook<'a>> {
        let mut faces = Vec::with_capacity(8 + SYMBOL_FONTS.len() + theme.fallback.len());
        for fam in [&theme.serif, &theme.sans] {
            for (data, style) in [
                (&fam.regular, "Regular"),
                (&fam.italic, "Italic"),
                (&fam.bold, "Bold"),
                (&fam.bold_italic, "Bold Italic"),
            ] {
                faces.push(Face::parse(data, &format!("{} {style}", fam.name))?);
            }
        }
        for (name, data) in SYMBOL_FONTS {
            faces.push(Face::parse_bytes(
                data,
                0,
                data.into(),
                name,
                Origin::Symbols,
            )?);
        }
        for f in &theme.fallback {
            let mut face = Face::parse(&f.data, &f.name)?;
            face.origin = Origin::ThemeFallback;
            faces.push(face);
        }
        let vendor = [&theme.serif.name, &theme.sans.name].map(|n| {
            n.split_whitespace()
                .next()
                .unwrap_or_default()
                .to_lowercase()
        });
        Ok(FontBook {
            faces,
            system: OnceLock::new(),
            use_system: true,
            vendor,
            region: "sc",
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// The same book preferring, among system CJK faces, those for a BCP 47 language tag's
    /// region: Japanese, Korean, Traditional (Taiwan, Hong Kong) or Simplified Chinese.
    pub fn with_language(mut self, tag: &str) -> Self {
        let t = tag.to_lowercase();
        let has = |p: &str| t.split(['-', '_']).any(|s| s == p);
        self.region = if t.starts_with("ja") {
            "jp"
        } else if t.starts_with("ko") {
            "kr"
        } else if has("hk") || has("mo") {
            "hk"
        } else if has("tw") || has("hant") {
            "tc"
        } else {
            "sc"
        };
        self
    }

    /// The same book without the system's fonts (what a test of the theme's own faces uses).
    pub fn without_system_fonts(mut self) -> Self {
        self.use_system = false;
        self
    }

    /// The face with this id.
    pub fn face(&self, id: FaceId) -> &Face<'a> {
        let i = usize::from(id.0);
        if let Some(f) = self.faces.get(i) {
            return f;
        }
        // A system face's id is its place among the system's faces, the same in every book
        // of the process (a pack paints pages its briefs' books laid out), so a book that has
        // not loaded the face yet loads it now.
        self.system_face(i - self.faces.len())
            .unwrap_or(&self.faces[0])
    }

    /// The system's faces, set up for this book.
    fn loaded(&self) -> &Loaded {
        self.system.get_or_init(|| Loaded {
            slots: (0..SystemFonts::get().faces.len())
                .map(|_| OnceLock::new())
                .collect(),
            order: Mutex::new(Vec::new()),
        })
    }

    /// System face `slot`, parsed on first use.
    fn system_face(&self, slot: usize) -> Option<&Face<'a>> {
        if !self.use_system {
            return None;
        }
        let system = SystemFonts::get();
        let loaded = self.loaded();
        let face = loaded.slots.get(slot)?.get_or_init(|| {
            let (data, index) = system.bytes(slot)?;
            let name = system
                .db
                .face(system.faces[slot])
                .map(|f| f.post_script_name.clone())
                .unwrap_or_default();
            Face::parse_bytes(data, index, data.into(), &name, Origin::System).ok()
        });
        let face = face.as_ref()?;
        if let Ok(mut o) = loaded.order.lock()
            && !o.contains(&slot)
        {
            o.push(slot);
        }
        Some(face)
    }

    /// Every face parsed so far with its id: the theme's, the symbol faces, the theme's
    /// fallback files, then the system faces loaded, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (FaceId, &Face<'a>)> {
        let base = self.faces.len();
        let fixed = self.faces.iter().enumerate();
        let system = self.system.get().into_iter().flat_map(move |l| {
            l.slots
                .iter()
                .enumerate()
                .filter_map(move |(i, s)| s.get().and_then(Option::as_ref).map(|f| (base + i, f)))
        });
        fixed
            .chain(system)
            .map(|(i, f)| (FaceId(u16::try_from(i).unwrap_or(u16::MAX)), f))
    }

    /// The face to draw `cluster` (a base character and its marks) in, for text whose style
    /// names `style`: the style's face, the other family's, the symbol faces, the theme's
    /// fallback files, the system's fonts. `None` when no face has it.
    pub fn face_for(&self, style: FaceId, cluster: &str) -> Option<FaceId> {
        if self.face(style).covers(cluster) {
            return Some(style);
        }
        let other = style.other_family();
        if self.face(other).covers(cluster) {
            return Some(other);
        }
        let key = (style, cluster.to_owned());
        if let Some(found) = self.cache.lock().ok().and_then(|c| c.get(&key).copied()) {
            return found;
        }
        let found = self.search(style, cluster);
        if let Ok(mut c) = self.cache.lock() {
            c.insert(key, found);
        }
        found
    }

    /// The fallback search past the theme's families (uncached).
    fn search(&self, style: FaceId, cluster: &str) -> Option<FaceId> {
        let id = |i: usize| u16::try_from(i).ok().map(FaceId);
        if let Some(i) = (8..self.faces.len()).find(|&i| self.faces[i].covers(cluster)) {
            return id(i);
        }
        if !self.use_system {
            return None;
        }
        let system = SystemFonts::get();
        let loaded = self.loaded();
        let base = self.faces.len();
        let (bold, italic) = style.style();
        // A face already in use for the script is taken again only in the style's weight and
        // slant: the bold face a heading loaded first is not the body's.
        let styled = |slot: usize| {
            system.db.face(system.faces[slot]).is_some_and(|f| {
                (weight(f) >= 600) == bold && (f.style != fontdb::Style::Normal) == italic
            })
        };
        let tried: Vec<usize> = loaded.order.lock().map(|o| o.clone()).unwrap_or_default();
        for slot in tried {
            if let Some(Some(f)) = loaded.slots[slot].get()
                && styled(slot)
                && f.covers(cluster)
            {
                return id(base + slot);
            }
        }
        let known_none = |c: char| system.none.lock().is_ok_and(|n| n.contains(&c));
        if cluster.chars().any(known_none) {
            return None;
        }
        let serif = !style.is_theme() || style.0 < 4;
        let want = Preference {
            bold,
            italic,
            serif,
            vendor: self.vendor[usize::from(!serif)].clone(),
            region: self.region,
        };
        let found = system
            .order(&want)
            .iter()
            .copied()
            .find(|&i| system.has(i, cluster));
        let Some(slot) = found else {
            if let Ok(mut n) = system.none.lock() {
                // Only a lone character is known to be in no face; a cluster may still be
                // drawn as its base in one face.
                if cluster.chars().count() == 1 {
                    n.extend(cluster.chars());
                }
            }
            return None;
        };
        self.system_face(slot)?;
        id(base + slot)
    }

    /// The names of the faces tried for a character, for a warning: the theme's families,
    /// the symbol faces, the theme's fallback files, and how many system faces there are.
    pub fn tried(&self) -> String {
        let mut names: Vec<String> = Vec::new();
        for f in &self.faces {
            if !names.contains(&f.family) {
                names.push(f.family.clone());
            }
        }
        if self.use_system {
            let n = SYSTEM.get().map_or(0, |s| s.faces.len());
            names.push(format!("{n} system font faces"));
        }
        names.join(", ")
    }
}

impl FontBook<'_> {
    /// The fallback faces (none of the theme's eight) that text in `style` needs, in order of
    /// first use: what the EPUB names in its CSS and may embed.
    pub fn fallback_faces(&self, style: FaceId, text: &str) -> Vec<FaceId> {
        let mut out = Vec::new();
        for (_, cluster) in clusters(text) {
            if cluster.chars().all(|c| c.is_control() || is_format(c)) {
                continue;
            }
            if let Some(f) = self.face_for(style, cluster)
                && !f.is_theme()
                && !out.contains(&f)
            {
                out.push(f);
            }
        }
        out
    }
}
