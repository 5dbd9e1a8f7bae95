//! Parse errors in the user's terms: the RON parser and serde speak of Rust types (`f64`,
//! `struct SweepJson with 13 elements`, `untagged enum`); a scenario or sweep author needs to
//! read what the field expects, in the file's own words, and the value they wrote, shortened.

use ron::error::Error;

/// Longest value echoed back in a message, in characters.
const MAX_ECHO: usize = 80;

/// The message for a RON parse error, and whether the field path is worth showing (it is not
/// for nesting past the limit, where the path is the same bracket repeated).
pub fn user_message(e: &Error) -> (String, bool) {
    match e {
        Error::ExceededRecursionLimit => (
            "brackets are nested too deeply (more than 128 levels); no field of a scenario or sweep file nests that far, so a bracket is probably left open or repeated".into(),
            false,
        ),
        Error::InvalidValueForType { expected, found } => (
            format!("expected {}, found {}", expected_in_words(expected), shorten(found)),
            true,
        ),
        Error::ExpectedDifferentLength { expected, found } => (
            format!("expected {}, found {found} element(s)", expected_in_words(expected)),
            true,
        ),
        Error::Message(m) => (message_in_words(m), true),
        Error::ExpectedInteger => ("expected a whole number".into(), true),
        Error::ExpectedFloat => ("expected a number".into(), true),
        Error::ExpectedString | Error::ExpectedStringEnd => ("expected a string in double quotes".into(), true),
        Error::ExpectedBoolean => ("expected true or false".into(), true),
        // The list of what is allowed is the answer: written in full (it is the program's own
        // list), only the user's word shortened.
        Error::NoSuchEnumVariant { expected, found, .. } => (
            format!("unknown variant `{}`; expected one of: {}", shorten(found), expected.join(", ")),
            true,
        ),
        Error::IntegerOutOfBounds => ("the number is out of range for this field".into(), true),
        other => (shorten(&other.to_string()), true),
    }
}

/// What serde says a field expects, as a scenario author would say it.
fn expected_in_words(expected: &str) -> String {
    let e = expected.trim();
    let e = e.strip_prefix("a ").or_else(|| e.strip_prefix("an ")).unwrap_or(e);
    match e {
        "f64" | "f32" => "a number".into(),
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "a whole number >= 0".into(),
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number".into(),
        "bool" | "boolean" => "true or false".into(),
        "string" | "str" | "borrowed string" => "a string in double quotes".into(),
        "char" | "character" => "a single character".into(),
        "sequence" => "a list [..]".into(),
        "map" => "a map {..}".into(),
        "option" => "a value or None".into(),
        "unit" | "unit value" => "()".into(),
        "string or map" => "a string in double quotes or a struct (..)".into(),
        _ => {
            // `struct Step with 2 elements`, `struct Step`, `tuple variant Rate::Constant`.
            if let Some(rest) = e.strip_prefix("struct ") {
                let name = rest.split_whitespace().next().unwrap_or(rest);
                return match rest.split_once(" with ") {
                    Some((_, n)) => format!("{name}(..) with {}", n.replace("elements", "fields")),
                    None => format!("{name}(..)"),
                };
            }
            if let Some(rest) = e
                .strip_prefix("tuple variant ")
                .or_else(|| e.strip_prefix("struct variant "))
            {
                let name = rest.rsplit("::").next().unwrap_or(rest);
                return format!("{name}(..)");
            }
            shorten(expected)
        }
    }
}

/// A custom or serde message, with Rust type names replaced and long values shortened.
pub fn message_in_words(m: &str) -> String {
    // serde's `invalid type: string "x", expected f64`.
    if let Some(rest) = m
        .strip_prefix("invalid type: ")
        .or_else(|| m.strip_prefix("invalid value: "))
    {
        if let Some((found, expected)) = rest.rsplit_once(", expected ") {
            return format!("expected {}, found {}", expected_in_words(expected), shorten(found));
        }
    }
    if let Some(name) = m.strip_prefix("data did not match any variant of untagged enum ") {
        return format!("this value has none of the forms {name} accepts (see the field's reference for its forms)");
    }
    shorten(m)
}

/// A value cut to about `MAX_ECHO` characters, saying how long it was.
pub fn shorten(text: &str) -> String {
    shorten_to(text, MAX_ECHO)
}

/// `text` cut to `max` characters, saying how long it was.
pub fn shorten_to(text: &str, max: usize) -> String {
    let n = text.chars().count();
    if n <= max {
        return text.to_string();
    }
    let head: String = text.chars().take(max).collect();
    format!("{head}... ({n} characters)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_type_names_become_words() {
        let (m, _) = user_message(&Error::InvalidValueForType {
            expected: "f64".into(),
            found: "the string \"fast\"".into(),
        });
        assert_eq!(m, "expected a number, found the string \"fast\"");
        assert_eq!(
            expected_in_words("struct SweepJson with 13 elements"),
            "SweepJson(..) with 13 fields"
        );
        assert_eq!(expected_in_words("u32"), "a whole number >= 0");
        assert_eq!(
            message_in_words("invalid type: map, expected a string"),
            "expected a string in double quotes, found map"
        );
        assert!(!message_in_words("data did not match any variant of untagged enum ValueFile").contains("untagged"));
    }

    #[test]
    fn recursion_says_what_is_wrong_once_and_drops_the_path() {
        let (m, keep_path) = user_message(&Error::ExceededRecursionLimit);
        assert!(!keep_path);
        assert!(!m.contains("serde_stacker") && !m.contains("recursion_limit"), "{m}");
    }

    #[test]
    fn long_values_are_shortened() {
        let long = "x".repeat(1_000_000);
        let s = shorten(&long);
        assert!(s.len() < 120, "{s}");
        assert!(s.ends_with("(1000000 characters)"));
        assert_eq!(shorten("short"), "short");
    }
}
