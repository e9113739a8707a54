//! Articles built in code for backend tests: the sample brief's opening, and a hard one that
//! uses every block and inline the model has, with text that breaks naive escaping.

use briefpress::article::{
    Article, Author, Block, Date, Figure, Footnote, Image, ImageFormat, Inline, Meta, para, text,
};

/// A PNG of `w` × `h` pixels with an alpha gradient (exercises the SMask / transparency path).
pub fn png(w: u32, h: u32) -> Image {
    let img = image::RgbaImage::from_fn(w, h, |x, y| {
        image::Rgba([
            (x * 255 / w) as u8,
            (y * 255 / h) as u8,
            160,
            (128 + x % 128) as u8,
        ])
    });
    let mut data = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut data),
        image::ImageFormat::Png,
    )
    .unwrap();
    let image = briefpress::read::images::check_image(data).unwrap();
    assert_eq!(
        (image.format, image.width, image.height),
        (ImageFormat::Png, w, h)
    );
    image
}

/// A baseline RGB JPEG of `w` × `h` pixels.
pub fn jpeg(w: u32, h: u32) -> Image {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut data = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut data),
        image::ImageFormat::Jpeg,
    )
    .unwrap();
    let image = briefpress::read::images::check_image(data).unwrap();
    assert_eq!(
        (image.format, image.width, image.height),
        (ImageFormat::Jpeg, w, h)
    );
    image
}

/// The sample brief's title, photo and first paragraphs, as the `.txt` reader gives them.
pub fn colombia() -> Article {
    let mut meta = Meta::new(
        "To repair US-Colombia ties, Trump and Petro should focus on counternarcotics and Venezuela",
    );
    meta.date = Some(Date::new(2026, 2, 2).unwrap());
    Article {
        meta,
        photo: Some(Figure {
            src: Some("us-colombia-ties.jpg".into()),
            alt: String::new(),
            caption: "Colombian President Gustavo Petro takes part during an event announcing a joint operation for restoring the San Juan de Dios hospital in Bogota, Colombia, on January 27, 2026.".into(),
            credit: Some("© Sebastian Barros/LongVisual via Zuma Press Wire".into()),
            image: Some(jpeg(1200, 800)),
        }),
        blocks: vec![
            para("Colombian President Gustavo Petro’s Oval Office visit on February 3 comes on the heels of the tensest year in the US-Colombia relationship in the past three decades."),
            Block::Heading { level: 1, content: vec![text("Where the two governments agree")] },
            para("It is in the interests of both nations that Venezuela again become a “normal” nation—a good commercial partner."),
        ],
        notes: vec![],
    }
}

/// Every block and inline kind, nested lists, a quote, footnotes, a link, a second figure, and
/// text that breaks naive escaping: `<`, `&`, `]]>`, quotes, dashes, accents, Greek, Cyrillic,
/// Vietnamese.
pub fn hard() -> Article {
    let mut meta = Meta::new("Ñandú & <Co>: “Quotes” — dashes ]]> and ©");
    meta.subtitle = Some("A dek with ‘single’ quotes & an en dash – here".into());
    meta.authors = vec![
        Author {
            name: "Zoë Ólafsdóttir".into(),
            affiliation: Some("Centre <Europe> & Co".into()),
        },
        Author {
            name: "Nguyễn Văn Anh".into(),
            affiliation: None,
        },
    ];
    meta.date = Some(Date::new(2026, 2, 2).unwrap());
    meta.language = "en".into();
    meta.keywords = vec!["Colombia".into(), "trade & aid".into()];
    meta.summary = Some("A summary that says <what> & why.".into());
    meta.rights = Some("© 2026 The Example Council".into());
    let em = |s: &str| Inline::Emphasis {
        content: vec![text(s)],
    };
    let strong = |s: &str| Inline::Strong {
        content: vec![text(s)],
    };
    Article {
        meta,
        photo: Some(Figure {
            src: Some("photo.png".into()),
            alt: "A gradient standing in for a photo".into(),
            caption: "A caption with “quotes” & <angle> brackets.".into(),
            credit: Some("© Photographer/Agency".into()),
            image: Some(png(640, 400)),
        }),
        blocks: vec![
            Block::Paragraph {
                content: vec![
                    text("Plain, "),
                    em("emphasised"),
                    text(", "),
                    strong("strong"),
                    text(", "),
                    Inline::Link {
                        url: "https://example.org/a?b=1&c=2".into(),
                        content: vec![text("a link")],
                    },
                    text(", "),
                    Inline::Code {
                        text: "x < y && z".into(),
                    },
                    text(" and a note."),
                    Inline::FootnoteRef { id: "one".into() },
                ],
            },
            Block::Heading {
                level: 1,
                content: vec![text("Ελληνικά and Кириллица")],
            },
            Block::Heading {
                level: 2,
                content: vec![text("Tiếng Việt: Hà Nội")],
            },
            Block::Quote {
                blocks: vec![para("A quoted paragraph — with a dash.")],
            },
            Block::List {
                ordered: false,
                start: 1,
                items: vec![
                    vec![para("First bullet")],
                    vec![
                        para("Second bullet with a nested list"),
                        Block::List {
                            ordered: true,
                            start: 1,
                            items: vec![vec![para("Nested one")], vec![para("Nested two")]],
                        },
                    ],
                ],
            },
            Block::List {
                ordered: true,
                start: 3,
                items: vec![vec![para("Three")], vec![para("Four")]],
            },
            Block::Figure {
                figure: Figure {
                    src: Some("chart.jpg".into()),
                    alt: "A second figure".into(),
                    caption: "Second figure caption".into(),
                    credit: None,
                    image: Some(jpeg(300, 200)),
                },
            },
            Block::Rule,
            Block::Heading {
                level: 3,
                content: vec![text("A third-level heading")],
            },
            Block::Paragraph {
                content: vec![
                    text("Line one"),
                    Inline::LineBreak,
                    text("line two, then a second note."),
                    Inline::FootnoteRef { id: "two".into() },
                ],
            },
        ],
        notes: vec![
            Footnote {
                id: "one".into(),
                blocks: vec![para("The first note, with <markup> & “quotes”.")],
            },
            Footnote {
                id: "two".into(),
                blocks: vec![para("The second note.")],
            },
        ],
    }
}
