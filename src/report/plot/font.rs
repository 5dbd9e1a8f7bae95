//! The embedded font. Plots never ask the system for fonts (no fontconfig): DejaVu Sans, shipped
//! by the `dejavu` crate (Bitstream Vera / DejaVu licence), is registered with plotters' `ab_glyph`
//! text renderer under the family name the plots use.

use plotters::style::{register_font, FontStyle};
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
