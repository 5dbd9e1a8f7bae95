//! Single-precision figures in a saved job: `CostPerHour` and `CostPerInference` are float32
//! numbers, held here widened to `f64` so that arithmetic on them stays exact.
//!
//! Written as the shortest decimal that reads back as the same float32 (`0.204`, not the
//! widened `0.20399999618530273`), and read back through float32, so a job saved and read
//! again holds bit for bit the values it was written from. A widened figure (as AWS's example
//! outputs print them) reads as the same value.

use serde::{Deserialize, Deserializer, Serializer};

/// `#[serde(with = "single::option")]` for an `Option<f64>` that holds a float32 value.
pub mod option {
    use super::*;

    pub fn serialize<S: Serializer>(value: &Option<f64>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            // A float32 widened to f64 narrows back without loss; serde_json then prints the
            // shortest decimal that round-trips as float32.
            Some(v) => serializer.serialize_some(&(*v as f32)),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
        Ok(Option::<f64>::deserialize(deserializer)?.map(|v| f64::from(v as f32)))
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Row {
        #[serde(default, with = "super::option")]
        cost: Option<f64>,
    }

    #[test]
    fn writes_the_shortest_float32_text_and_reads_back_the_same_value() {
        // (price, text): the L9-L12 figures and a cost per inference.
        for (widened, text) in [
            (f64::from(0.204f32), "0.204"),
            (f64::from(0.115f32), "0.115"),
            (f64::from(0.69f32), "0.69"),
            (5.246913588052848e-06, "0.0000052469136"),
        ] {
            let json = serde_json::to_string(&Row { cost: Some(widened) }).unwrap();
            assert_eq!(json, format!("{{\"cost\":{text}}}"));
            let back: Row = serde_json::from_str(&json).unwrap();
            assert_eq!(back.cost.map(f64::to_bits), Some(widened.to_bits()), "{text}");
        }
    }

    #[test]
    fn reads_a_widened_figure_as_the_same_value() {
        let back: Row = serde_json::from_str(r#"{"cost":0.20399999618530273}"#).unwrap();
        assert_eq!(back.cost, Some(f64::from(0.204f32)));
        let none: Row = serde_json::from_str(r#"{"cost":null}"#).unwrap();
        assert_eq!(none.cost, None);
        assert_eq!(serde_json::to_string(&none).unwrap(), r#"{"cost":null}"#);
    }
}
