//! The documents `--json` prints: JSON objects whose fields are documents fleetsim already
//! writes (summary.json, sweep.json, the check report), embedded as written so their keys keep
//! their order.

/// A pretty-printed object of `fields`, each value a JSON document (checked to be one), its
/// lines indented under its key. Ends without a newline.
pub fn object(fields: &[(&str, &[u8])]) -> anyhow::Result<String> {
    let mut out = String::from("{");
    for (i, (key, value)) in fields.iter().enumerate() {
        let text = std::str::from_utf8(value)?.trim_end();
        // Refuse anything that is not one JSON document: the output must parse.
        serde_json::from_str::<serde::de::IgnoredAny>(text)?;
        let sep = if i + 1 < fields.len() { "," } else { "" };
        out.push_str(&format!(
            "\n  {}: {}{sep}",
            serde_json::to_string(key)?,
            text.replace('\n', "\n  ")
        ));
    }
    out.push_str("\n}");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_keep_their_order_and_the_result_parses() {
        let text = object(&[("b", b"{\n  \"z\": 1,\n  \"a\": [\n    2\n  ]\n}\n"), ("a", b"\"x\"")]).unwrap();
        assert_eq!(
            text,
            "{\n  \"b\": {\n    \"z\": 1,\n    \"a\": [\n      2\n    ]\n  },\n  \"a\": \"x\"\n}"
        );
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["b"]["a"][0], 2);
        assert!(object(&[("a", b"{")]).is_err());
    }
}
