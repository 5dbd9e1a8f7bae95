//! The legend strip under a chart. Drawn outside the plotting area so it never covers data;
//! entries flow left to right and wrap to a second row when the first is full.

use super::canvas::DrawResult;
use super::style;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// What an entry's sample looks like.
#[derive(Clone, Copy, Debug)]
pub(super) enum Glyph {
    Line(RGBColor, u32),
    Dashed(RGBColor, u32),
    Band(RGBColor),
    TriangleUp(RGBColor),
    TriangleDown(RGBColor),
    Cross(RGBColor),
    Dot(RGBColor),
    Ring(RGBColor),
}

pub(super) struct Entry {
    pub glyph: Glyph,
    pub label: String,
}

pub(super) fn entry(glyph: Glyph, label: impl Into<String>) -> Entry {
    Entry {
        glyph,
        label: label.into(),
    }
}

const SAMPLE_W: i32 = 30;
const ROW_H: i32 = 24;

/// Draws `entries` in `area`, starting at `left` [px] (align with the chart's plotting area).
pub(super) fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, left: i32, entries: &[Entry]) -> DrawResult<DB> {
    let (w, _) = area.dim_in_pixel();
    let text = style::label().pos(Pos::new(HPos::Left, VPos::Center));
    let (mut x, mut y) = (left, ROW_H / 2 + 4);
    for e in entries {
        let (tw, _) = area.estimate_text_size(&e.label, &text)?;
        let width = SAMPLE_W + 8 + tw as i32 + 24;
        if x + width > w as i32 && x > left {
            x = left;
            y += ROW_H;
        }
        sample(area, e.glyph, (x, y))?;
        area.draw(&Text::new(e.label.clone(), (x + SAMPLE_W + 8, y), text.clone()))?;
        x += width;
    }
    Ok(())
}

fn sample<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, glyph: Glyph, (x, y): (i32, i32)) -> DrawResult<DB> {
    let mid = x + SAMPLE_W / 2;
    match glyph {
        Glyph::Line(c, w) => area.draw(&PathElement::new(vec![(x, y), (x + SAMPLE_W, y)], c.stroke_width(w))),
        Glyph::Dashed(c, w) => {
            for k in 0..3 {
                let x0 = x + k * 11;
                area.draw(&PathElement::new(vec![(x0, y), (x0 + 7, y)], c.stroke_width(w)))?;
            }
            Ok(())
        }
        Glyph::Band(c) => area.draw(&Rectangle::new(
            [(x, y - 7), (x + SAMPLE_W, y + 7)],
            c.mix(0.25).filled(),
        )),
        Glyph::TriangleUp(c) => area.draw(&Polygon::new(
            vec![(mid - 6, y + 5), (mid + 6, y + 5), (mid, y - 6)],
            c.filled(),
        )),
        Glyph::TriangleDown(c) => area.draw(&Polygon::new(
            vec![(mid - 6, y - 5), (mid + 6, y - 5), (mid, y + 6)],
            c.filled(),
        )),
        Glyph::Cross(c) => area.draw(&Cross::new((mid, y), 6, c.stroke_width(3))),
        Glyph::Dot(c) => area.draw(&Circle::new((mid, y), 5, c.filled())),
        Glyph::Ring(c) => area.draw(&Circle::new((mid, y), 8, c.stroke_width(3))),
    }
}
