//! PDF layout: fonts, shaping, hyphenation, line breaking and pagination. It produces pages of
//! positioned items that belong to no backend; `render::pdf` only paints them.
