//! Small multiples: a sweep figure with one panel per value of a third axis lays its panels out
//! in a grid of up to three columns, on a canvas that grows with the panel count, under a
//! title and a subtitle. One panel keeps the canvas every other plot has.

use super::style::{self, HEIGHT, WIDTH};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Most columns of panels: wider grids make panels too narrow for their tick labels.
pub(super) const MAX_COLUMNS: usize = 3;
/// Size [px] of one panel when a figure has several.
pub(super) const PANEL_W: u32 = 440;
pub(super) const PANEL_H: u32 = 330;
/// Height [px] of the title, and of the subtitle line under it when there is one.
const TITLE_H: u32 = 40;
const SUBTITLE_H: u32 = 24;

/// Columns and rows of panels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Grid {
    pub cols: usize,
    pub rows: usize,
}

impl Grid {
    /// The grid of `n` panels: one row up to three, then rows of three, except that four make
    /// a square.
    pub(super) fn of(n: usize) -> Grid {
        let n = n.max(1);
        let cols = if n == 4 { 2 } else { n.min(MAX_COLUMNS) };
        Grid {
            cols,
            rows: n.div_ceil(cols),
        }
    }

    /// Whether panel `i` (row-major) is in the first column: it carries the y axis title.
    pub(super) fn is_left(&self, i: usize) -> bool {
        i % self.cols == 0
    }

    /// Whether panel `i` of `n` has no panel below it: it carries the x axis title.
    pub(super) fn is_bottom(&self, i: usize, n: usize) -> bool {
        i + self.cols >= n
    }
}

/// Height [px] of the title strip, with or without a subtitle.
pub(super) fn header_height(subtitle: bool) -> u32 {
    TITLE_H + if subtitle { SUBTITLE_H } else { 0 }
}

/// Canvas size [px] of a figure with `n` panels and `extra` pixels (width, height) beside and
/// under them (colour bar, title, legend): the usual canvas for one panel, else a grid of
/// panels of [`PANEL_W`] x [`PANEL_H`], never smaller than the usual canvas.
pub(super) fn canvas_size(n: usize, extra: (u32, u32)) -> (u32, u32) {
    if n <= 1 {
        return (WIDTH, HEIGHT);
    }
    let g = Grid::of(n);
    (
        (g.cols as u32 * PANEL_W + extra.0).max(WIDTH),
        (g.rows as u32 * PANEL_H + extra.1).max(HEIGHT),
    )
}

/// Draws the title (and subtitle) at the top of `root` and returns the area under them.
pub(super) fn header<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: Option<&str>,
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    let (w, _) = root.dim_in_pixel();
    let (top, body) = root.split_vertically(header_height(subtitle.is_some()));
    let centre = |s: TextStyle<'static>| s.pos(Pos::new(HPos::Center, VPos::Center));
    top.draw(&Text::new(
        title.to_string(),
        (w as i32 / 2, TITLE_H as i32 / 2 + 2),
        centre(style::title()),
    ))?;
    if let Some(s) = subtitle {
        top.draw(&Text::new(
            s.to_string(),
            (w as i32 / 2, (TITLE_H + SUBTITLE_H / 2) as i32),
            centre(style::label()),
        ))?;
    }
    Ok(body)
}

/// Splits `area` into the areas of `n` panels, row-major.
pub(super) fn split<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, n: usize) -> Vec<DrawingArea<DB, Shift>> {
    let g = Grid::of(n);
    let mut out = area.split_evenly((g.rows, g.cols));
    out.truncate(n.max(1));
    out
}

/// Draws `text` as a panel's caption, centred over the plotting area that starts `left` [px]
/// from the panel's left edge and ends `right` [px] from its right edge, and returns the area
/// under it.
pub(super) fn caption<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: Option<&str>,
    (left, right): (u32, u32),
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    let Some(text) = text else {
        return Ok(area.clone());
    };
    let (w, _) = area.dim_in_pixel();
    let (top, rest) = area.split_vertically(CAPTION_H);
    top.draw(&Text::new(
        text.to_string(),
        ((left + w.saturating_sub(right)) as i32 / 2, CAPTION_H as i32 / 2 + 4),
        style::panel_title().pos(Pos::new(HPos::Center, VPos::Center)),
    ))?;
    Ok(rest)
}

/// Height [px] of a panel's caption.
pub(super) const CAPTION_H: u32 = 26;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grids_hold_up_to_three_columns() {
        let table = [
            (1, 1, 1),
            (2, 2, 1),
            (3, 3, 1),
            (4, 2, 2),
            (5, 3, 2),
            (6, 3, 2),
            (7, 3, 3),
            (12, 3, 4),
        ];
        for (n, cols, rows) in table {
            assert_eq!(Grid::of(n), Grid { cols, rows }, "{n} panels");
            assert!(cols * rows >= n);
        }
        let g = Grid::of(5);
        assert!(g.is_left(0) && g.is_left(3) && !g.is_left(1));
        // Panels 2, 3 and 4 have none below; panel 2 sits over an empty cell.
        let bottom: Vec<bool> = (0..5).map(|i| g.is_bottom(i, 5)).collect();
        assert_eq!(bottom, [false, false, true, true, true]);
    }

    #[test]
    fn canvas_grows_with_the_panels() {
        assert_eq!(canvas_size(1, (150, 100)), (WIDTH, HEIGHT));
        assert_eq!(canvas_size(2, (150, 100)), (2 * PANEL_W + 150, HEIGHT));
        assert_eq!(canvas_size(12, (150, 100)), (3 * PANEL_W + 150, 4 * PANEL_H + 100));
    }
}
