//! Shared look: canvas size, text sizes and the colour palette, so every plot reads the same.

use super::font::FAMILY;
use plotters::style::{FontStyle, IntoFont, RGBColor, TextStyle};

/// Canvas size [px] of every PNG and SVG but sweep figures of several panels (`panels.rs`).
pub(super) const WIDTH: u32 = 1000;
pub(super) const HEIGHT: u32 = 600;
/// Height [px] of the legend strip under a chart.
pub(super) const LEGEND_HEIGHT: u32 = 56;

/// Qualitative palette (Tableau 10), readable on white and for common colour-vision deficiencies.
pub(super) const BLUE: RGBColor = RGBColor(31, 119, 180);
pub(super) const ORANGE: RGBColor = RGBColor(255, 127, 14);
pub(super) const GREEN: RGBColor = RGBColor(44, 160, 44);
pub(super) const RED: RGBColor = RGBColor(214, 39, 40);
pub(super) const PURPLE: RGBColor = RGBColor(148, 103, 189);
pub(super) const BROWN: RGBColor = RGBColor(140, 86, 75);
pub(super) const PINK: RGBColor = RGBColor(227, 119, 194);
pub(super) const OLIVE: RGBColor = RGBColor(188, 189, 34);
pub(super) const CYAN: RGBColor = RGBColor(23, 190, 207);
pub(super) const GREY: RGBColor = RGBColor(127, 127, 127);
pub(super) const DARK: RGBColor = RGBColor(40, 40, 40);

/// Colours for a series of lines, in order.
pub(super) const SERIES: [RGBColor; 8] = [BLUE, ORANGE, GREEN, PURPLE, BROWN, PINK, OLIVE, CYAN];

pub(super) fn series_colour(i: usize) -> RGBColor {
    SERIES[i % SERIES.len()]
}

pub(super) fn title() -> TextStyle<'static> {
    (FAMILY, 22).into_font().style(FontStyle::Bold).color(&DARK)
}

/// A panel's title in a figure of several.
pub(super) fn panel_title() -> TextStyle<'static> {
    (FAMILY, 16).into_font().style(FontStyle::Bold).color(&DARK)
}

pub(super) fn label() -> TextStyle<'static> {
    (FAMILY, 16).into_font().color(&DARK)
}

pub(super) fn tick() -> TextStyle<'static> {
    (FAMILY, 14).into_font().color(&DARK)
}

pub(super) fn small() -> TextStyle<'static> {
    (FAMILY, 13).into_font().color(&DARK)
}
