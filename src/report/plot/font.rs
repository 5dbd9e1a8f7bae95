//! The embedded font and the layout of text on bitmaps. Plots never ask the system for fonts (no
//! fontconfig): DejaVu Sans, shipped by the `dejavu` crate (Bitstream Vera / DejaVu licence), is
//! registered with plotters under the family name the plots use.
//!
//! PNG text is laid out here, not by plotters: plotters' own bitmap text drops each glyph's
//! left side bearing and rounds the pen to whole pixels per glyph, so letter pairs are spaced
//! unevenly ("T raffic"). [`Kerned`] wraps a bitmap backend and places every glyph at its pen
//! position (sub-pixel), advanced by the glyph's advance width plus the font's kerning for the
//! pair. SVG text stays text: the viewer lays it out with the same font metrics.

use ab_glyph::{point, Font, FontRef, GlyphId, PxScale, ScaleFont};
use plotters::style::{register_font, FontStyle};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind};
use std::sync::Once;

/// The family every plot asks for; it must equal the registered name or text fails to draw.
pub(super) const FAMILY: &str = "sans-serif";

static REGISTER: Once = Once::new();

/// Registers the font once per process. The bytes are the crate's bundled TTF, so registration
/// cannot fail in practice; if it did, drawing would report `FontUnavailable` as a plot error.
pub(super) fn register() {
    REGISTER.call_once(|| {
        let _ = register_font(FAMILY, FontStyle::Normal, dejavu::sans::regular()).is_ok();
        let _ = register_font(FAMILY, FontStyle::Bold, dejavu::sans::bold()).is_ok();
    });
}

/// The face of `style` (bold or regular), or `None` for a family the plots do not use.
fn face(family: &str, style: FontStyle) -> Option<FontRef<'static>> {
    if family != FAMILY {
        return None;
    }
    let bytes = match style {
        FontStyle::Bold => dejavu::sans::bold(),
        _ => dejavu::sans::regular(),
    };
    FontRef::try_from_slice(bytes).ok()
}

/// Text laid out on one line: each glyph's pen position [px] from the text's left edge, and the
/// width of the line (the last pen position plus its advance).
#[derive(Debug)]
pub(super) struct Line {
    pub glyphs: Vec<(GlyphId, f32)>,
    pub width: f32,
}

/// Lays out `text` at `size` [px]: a glyph starts where the previous one's advance ends, moved
/// by the font's kerning for the pair. Positions stay fractional until rasterised.
pub(super) fn layout(font: &FontRef<'_>, size: f32, text: &str) -> Line {
    let scaled = font.as_scaled(PxScale::from(size));
    let mut glyphs = Vec::with_capacity(text.len());
    let mut pen = 0.0f32;
    let mut prev: Option<GlyphId> = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = prev {
            pen += scaled.kern(p, id);
        }
        glyphs.push((id, pen));
        pen += scaled.h_advance(id);
        prev = Some(id);
    }
    Line { glyphs, width: pen }
}

/// Height [px] of a text box of font size `size`, as plotters measures it (so layouts sized
/// from it, such as a caption's band, keep their room).
fn box_height(size: f64) -> i32 {
    (size / 1.24) as i32
}

/// A bitmap backend whose text is laid out by [`layout`]; everything else is the inner
/// backend's.
pub(super) struct Kerned<B>(pub B);

impl<B: DrawingBackend> Kerned<B> {
    /// Draws `text` as the default backend text drawing does (anchor, then rotation), with
    /// glyphs from [`layout`]. The baseline sits so capitals are centred in the text box.
    fn kerned_text<S: BackendTextStyle>(
        &mut self,
        font: &FontRef<'_>,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let size = style.size() as f32;
        let line = layout(font, size, text);
        let scaled = font.as_scaled(PxScale::from(size));
        let height = box_height(style.size());
        let cap = scaled.ascent() * CAP_OF_ASCENT;
        let baseline = (height as f32 + cap) / 2.0;
        let width = line.width.round() as i32;
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -width,
            HPos::Center => -width / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let trans = style.transform();
        let (w, h) = self.0.get_size();
        for (id, x) in &line.glyphs {
            let glyph = id.with_scale_and_position(PxScale::from(size), point(*x, baseline));
            let Some(outline) = font.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            let mut cover = Vec::new();
            outline.draw(|gx, gy, a| cover.push((gx, gy, a)));
            for (gx, gy, a) in cover {
                if a <= 0.0 {
                    continue;
                }
                let (x, y) = (bounds.min.x as i32 + gx as i32, bounds.min.y as i32 + gy as i32);
                let (x, y) = trans.transform(x + dx, y + dy);
                let (x, y) = (pos.0 + x, pos.1 + y);
                if x >= 0 && x < w as i32 && y >= 0 && y < h as i32 {
                    let c = BackendColor {
                        alpha: color.alpha * f64::from(a.min(1.0)),
                        rgb: color.rgb,
                    };
                    self.0.draw_pixel((x, y), c)?;
                }
            }
        }
        Ok(())
    }
}

/// DejaVu Sans's cap height (1493 units) over its ascent (1901 units): capitals are centred on
/// a text box's middle from this.
const CAP_OF_ASCENT: f32 = 1493.0 / 1901.0;

impl<B: DrawingBackend> DrawingBackend for Kerned<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.blit_bitmap(pos, size, src)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        match face(style.family().as_str(), style.style()) {
            Some(font) => self.kerned_text(&font, text, style, pos),
            None => self.0.draw_text(text, style, pos),
        }
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        match face(style.family().as_str(), style.style()) {
            Some(font) => {
                let line = layout(&font, style.size() as f32, text);
                Ok((line.width.round() as u32, box_height(style.size()) as u32))
            }
            None => self.0.estimate_text_size(text, style),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "Tr" as in "Traffic": `r` starts at `T`'s advance plus the font's kerning for the pair,
    /// at the title's size, in both faces.
    #[test]
    fn advance_between_glyphs_is_advance_plus_kerning() {
        for style in [FontStyle::Normal, FontStyle::Bold] {
            let font = face(FAMILY, style).unwrap();
            let size = 22.0;
            let line = layout(&font, size, "AllTraffic");
            let scaled = font.as_scaled(PxScale::from(size));
            let (t, r) = (scaled.glyph_id('T'), scaled.glyph_id('r'));
            let expected = scaled.h_advance(t) + scaled.kern(t, r);
            assert_eq!(line.glyphs[3].0, t);
            assert_eq!(line.glyphs[4].0, r);
            let advance = line.glyphs[4].1 - line.glyphs[3].1;
            assert!((advance - expected).abs() < 1e-4, "{advance} vs {expected}");
            // DejaVu Sans kerns this pair: the gap the old layout left is the kerning it lost.
            assert!(scaled.kern(t, r) < -0.5, "{}", scaled.kern(t, r));
            // And the line's width is the sum of advances and kerning, nothing rounded early.
            let sum: f32 = (0..line.glyphs.len())
                .map(|i| {
                    let g = line.glyphs[i].0;
                    scaled.h_advance(g)
                        + if i > 0 {
                            scaled.kern(line.glyphs[i - 1].0, g)
                        } else {
                            0.0
                        }
                })
                .sum();
            assert!((line.width - sum).abs() < 1e-3);
        }
    }
}
