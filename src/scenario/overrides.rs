//! `--set PATH=VALUE` overrides on a parsed scenario.
//!
//! The scenario is turned into a JSON tree (enums externally tagged), the node at `PATH` is
//! replaced by `VALUE`, and the tree is read back into typed form, so every override goes
//! through the same `deny_unknown_fields` types and validation as the file itself. Paths use
//! field names and `[index]`: `endpoint.variants[0].initial_instance_count`. Enum wrappers are
//! stepped through, so `endpoint.routing` reaches the field inside `RealTime(...)`.
//!
//! `VALUE` is a RON value (`4`, `0.5`, `"text"`, `Poisson`, `LogNormal(median: "40ms", p99:
//! "120ms")`, `[1, 2]`, `Some(3)`, `None`); anything that does not parse as one is taken as a
//! plain string, so `--set endpoint.variants[0].instance_type=ml.c5.xlarge` and
//! `--set duration=2h` work unquoted.

use super::error::ScenarioError;
use super::file::{Scenario, STRUCT_NAMES};
use serde_json::{Map, Value};

/// One parsed `PATH=VALUE`.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    pub spec: String,
    pub path: Vec<Segment>,
    pub value: Value,
}

/// One step of a path.
#[derive(Clone, Debug, PartialEq)]
pub enum Segment {
    Field(String),
    Index(usize),
}

fn err(spec: &str, message: impl Into<String>) -> ScenarioError {
    ScenarioError::Override {
        spec: spec.to_string(),
        message: message.into(),
    }
}

/// Deepest bracket nesting a `--set` value may have (the scenario parser's limit).
const MAX_NESTING: usize = 128;

/// How deeply `text` nests `(`, `[` and `{` outside string literals.
fn nesting(text: &str) -> usize {
    let (mut depth, mut most, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for c in text.chars() {
        match (in_string, c) {
            (true, _) if escaped => escaped = false,
            (true, '\\') => escaped = true,
            (true, '"') => in_string = false,
            (true, _) => {}
            (false, '"') => in_string = true,
            (false, '(' | '[' | '{') => {
                depth += 1;
                most = most.max(depth);
            }
            (false, ')' | ']' | '}') => depth = depth.saturating_sub(1),
            (false, _) => {}
        }
    }
    most
}

/// Parses `PATH=VALUE`.
pub fn parse_override(spec: &str) -> Result<Override, ScenarioError> {
    let (path, value) = spec.split_once('=').ok_or_else(|| err(spec, "expected PATH=VALUE"))?;
    let path = parse_path(path.trim()).map_err(|m| err(spec, m))?;
    // The value reader recurses per bracket: refuse deep nesting before reading, as the
    // scenario parser does.
    if nesting(value) > MAX_NESTING {
        return Err(err(
            spec,
            format!("the value nests brackets more than {MAX_NESTING} levels deep; no field needs that many"),
        ));
    }
    let value = parse_value(value.trim());
    Ok(Override {
        spec: spec.to_string(),
        path,
        value,
    })
}

/// Parses a path (`endpoint.variants[0].instance_type`) into its steps.
pub fn parse_path(p: &str) -> Result<Vec<Segment>, String> {
    if p.is_empty() {
        return Err("empty path".into());
    }
    let mut out = Vec::new();
    for part in p.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if name.is_empty() && out.is_empty() {
            return Err(format!("path `{p}` must start with a field name"));
        }
        if !name.is_empty() {
            if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(format!("`{name}` is not a field name"));
            }
            out.push(Segment::Field(name.to_string()));
        }
        while !rest.is_empty() {
            let close = rest.find(']').ok_or_else(|| format!("missing `]` in `{part}`"))?;
            let idx = rest[1..close]
                .parse::<usize>()
                .map_err(|_| format!("`{}` is not an index", &rest[1..close]))?;
            out.push(Segment::Index(idx));
            rest = &rest[close + 1..];
            if !rest.is_empty() && !rest.starts_with('[') {
                return Err(format!("unexpected `{rest}` after an index"));
            }
        }
    }
    Ok(out)
}

fn path_text(path: &[Segment]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Segment::Field(f) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(f);
            }
            Segment::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    if s.is_empty() {
        "the scenario".into()
    } else {
        s
    }
}

/// Is this object an enum wrapper (`{"RealTime": {...}}`)?
fn enum_inner(map: &Map<String, Value>) -> Option<&str> {
    if map.len() == 1 {
        let k = map.keys().next()?;
        if k.starts_with(|c: char| c.is_ascii_uppercase()) {
            return Some(k.as_str());
        }
    }
    None
}

/// Fields the scenario types leave out of their serialized form while absent (so that adding
/// them changed no existing `manifest.json`); an override may add them, and deserialization
/// then checks that they belong where they were put.
const OMITTED_WHEN_ABSENT: &[&str] = &[
    "model",
    "managed_instance_scaling",
    "inference_components",
    "inference_component",
];

fn set_at(root: &mut Value, path: &[Segment], value: Value, spec: &str) -> Result<(), ScenarioError> {
    let mut node = root;
    for (i, seg) in path.iter().enumerate() {
        let here = path_text(&path[..i]);
        node = match seg {
            Segment::Field(name) => {
                // Find the enum wrappers to step through before the field appears.
                let mut tags = Vec::new();
                let mut cur: &Value = node;
                loop {
                    let Value::Object(map) = cur else {
                        return Err(err(spec, format!("{here} has no fields (it is {})", kind(cur))));
                    };
                    if map.contains_key(name) {
                        break;
                    }
                    if OMITTED_WHEN_ABSENT.contains(&name.as_str()) && enum_inner(map).is_none() {
                        break;
                    }
                    let Some(tag) = enum_inner(map) else {
                        let fields: Vec<&str> = map.keys().map(String::as_str).collect();
                        return Err(err(
                            spec,
                            format!("no field `{name}` in {here}; its fields are: {}", fields.join(", ")),
                        ));
                    };
                    cur = &map[tag];
                    if !cur.is_object() {
                        return Err(err(
                            spec,
                            format!("no field `{name}` in {here} (`{tag}` has no named fields)"),
                        ));
                    }
                    tags.push(tag.to_string());
                }
                let mut cur = node;
                for t in &tags {
                    cur = cur.get_mut(t).expect("found above");
                }
                match cur {
                    Value::Object(map) => map.entry(name.clone()).or_insert(Value::Null),
                    other => return Err(err(spec, format!("{here} has no fields (it is {})", kind(other)))),
                }
            }
            Segment::Index(idx) => {
                let Value::Array(items) = node else {
                    return Err(err(spec, format!("{here} is not a list (it is {})", kind(node))));
                };
                let len = items.len();
                items
                    .get_mut(*idx)
                    .ok_or_else(|| err(spec, format!("index {idx} is out of range: {here} has {len} entries")))?
            }
        };
    }
    *node = value;
    Ok(())
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "None",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a structure",
    }
}

/// Applies overrides in order and re-reads the scenario through its typed form.
pub fn apply(scenario: &Scenario, overrides: &[Override]) -> Result<Scenario, ScenarioError> {
    let mut current = scenario.clone();
    for o in overrides {
        let mut tree = serde_json::to_value(&current).expect("scenario types serialize to JSON");
        set_at(&mut tree, &o.path, o.value.clone(), &o.spec)?;
        current = serde_path_to_error::deserialize(tree).map_err(|e| {
            let at = e.path().to_string();
            let msg = super::parse_message::message_in_words(&e.into_inner().to_string());
            if at == "." {
                err(&o.spec, msg)
            } else {
                err(&o.spec, format!("at {at}: {msg}"))
            }
        })?;
    }
    Ok(current)
}

/// Parses a RON value into the JSON shape serde uses for our types; a text that is not a RON
/// value becomes a string.
pub fn parse_value(text: &str) -> Value {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
    };
    match p.value() {
        Some(v) => {
            p.ws();
            if p.i == p.s.len() {
                v
            } else {
                Value::String(text.to_string())
            }
        }
        None => Value::String(text.to_string()),
    }
}

/// A small recursive-descent reader of RON values.
struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && (self.s[self.i] as char).is_whitespace() {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self) -> Option<Value> {
        match self.peek()? {
            b'"' => self.string().map(Value::String),
            b'[' => {
                self.i += 1;
                let items = self.items(b']')?;
                Some(Value::Array(items.into_iter().map(|(_, v)| v).collect()))
            }
            b'(' => {
                self.i += 1;
                let items = self.items(b')')?;
                Some(group(items))
            }
            b'{' => {
                self.i += 1;
                let mut map = Map::new();
                loop {
                    if self.eat(b'}') {
                        break;
                    }
                    let key = match self.peek()? {
                        b'"' => self.string()?,
                        _ => self.ident()?,
                    };
                    if !self.eat(b':') {
                        return None;
                    }
                    map.insert(key, self.value()?);
                    if !self.eat(b',') {
                        if !self.eat(b'}') {
                            return None;
                        }
                        break;
                    }
                }
                Some(Value::Object(map))
            }
            c if c == b'-' || c.is_ascii_digit() => self.number(),
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let id = self.ident()?;
                let has_args = self.peek() == Some(b'(');
                match (id.as_str(), has_args) {
                    ("true", false) => Some(Value::Bool(true)),
                    ("false", false) => Some(Value::Bool(false)),
                    ("None", false) => Some(Value::Null),
                    ("Some", true) => {
                        self.i += 1;
                        let v = self.value()?;
                        self.eat(b',');
                        self.eat(b')').then_some(v)
                    }
                    (_, false) => Some(Value::String(id)),
                    (name, true) if STRUCT_NAMES.contains(&name) => {
                        // A named struct: the name is decoration, the fields are what count.
                        self.i += 1;
                        let items = self.items(b')')?;
                        Some(group(items))
                    }
                    (_, true) => {
                        self.i += 1;
                        let items = self.items(b')')?;
                        let mut m = Map::new();
                        m.insert(id, group(items));
                        Some(Value::Object(m))
                    }
                }
            }
            _ => None,
        }
    }

    /// Comma-separated entries up to `close`, each `name: value` or a bare value.
    fn items(&mut self, close: u8) -> Option<Vec<(Option<String>, Value)>> {
        let mut out = Vec::new();
        loop {
            if self.eat(close) {
                return Some(out);
            }
            let save = self.i;
            let mut name = None;
            if self.peek().is_some_and(|c| c.is_ascii_alphabetic() || c == b'_') {
                let id = self.ident()?;
                if self.peek() == Some(b':') {
                    self.i += 1;
                    name = Some(id);
                } else {
                    self.i = save;
                }
            }
            out.push((name, self.value()?));
            if !self.eat(b',') {
                return self.eat(close).then_some(out);
            }
        }
    }

    fn ident(&mut self) -> Option<String> {
        self.ws();
        let start = self.i;
        while self.i < self.s.len() && (self.s[self.i].is_ascii_alphanumeric() || self.s[self.i] == b'_') {
            self.i += 1;
        }
        (self.i > start).then(|| String::from_utf8_lossy(&self.s[start..self.i]).into_owned())
    }

    fn string(&mut self) -> Option<String> {
        self.i += 1; // opening quote
        let mut out = Vec::new();
        while self.i < self.s.len() {
            match self.s[self.i] {
                b'"' => {
                    self.i += 1;
                    return String::from_utf8(out).ok();
                }
                b'\\' => {
                    self.i += 1;
                    let c = *self.s.get(self.i)?;
                    out.push(match c {
                        b'n' => b'\n',
                        b't' => b'\t',
                        other => other,
                    });
                }
                c => out.push(c),
            }
            self.i += 1;
        }
        None
    }

    fn number(&mut self) -> Option<Value> {
        self.ws();
        let start = self.i;
        while self.i < self.s.len() && matches!(self.s[self.i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E' | b'_') {
            self.i += 1;
        }
        let text: String = String::from_utf8_lossy(&self.s[start..self.i]).replace('_', "");
        if let Ok(u) = text.parse::<u64>() {
            return Some(Value::from(u));
        }
        if let Ok(i) = text.parse::<i64>() {
            return Some(Value::from(i));
        }
        let f = text.parse::<f64>().ok()?;
        serde_json::Number::from_f64(f).map(Value::Number)
    }
}

/// The JSON shape of a parenthesised group: named entries make a structure, a single bare
/// entry is that value (newtype), several bare entries a list (tuple).
fn group(items: Vec<(Option<String>, Value)>) -> Value {
    if !items.is_empty() && items.iter().all(|(n, _)| n.is_some()) {
        Value::Object(items.into_iter().map(|(n, v)| (n.expect("named"), v)).collect())
    } else if items.len() == 1 {
        items.into_iter().next().expect("one").1
    } else {
        Value::Array(items.into_iter().map(|(_, v)| v).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values() {
        assert_eq!(parse_value("4"), json!(4));
        assert_eq!(parse_value("-0.5"), json!(-0.5));
        assert_eq!(parse_value("\"x y\""), json!("x y"));
        assert_eq!(parse_value("Poisson"), json!("Poisson"));
        assert_eq!(parse_value("250ms"), json!("250ms"));
        assert_eq!(parse_value("ml.c5.xlarge"), json!("ml.c5.xlarge"));
        assert_eq!(parse_value("Some(3)"), json!(3));
        assert_eq!(parse_value("None"), json!(null));
        assert_eq!(parse_value("[1, 2,]"), json!([1, 2]));
        assert_eq!(parse_value("Constant(\"30s\")"), json!({"Constant": "30s"}));
        assert_eq!(
            parse_value("LogNormal(median: \"40ms\", p99: \"120ms\")"),
            json!({"LogNormal": {"median": "40ms", "p99": "120ms"}})
        );
        assert_eq!(parse_value("(at: 5, rps: 2.5)"), json!({"at": 5, "rps": 2.5}));
        assert_eq!(parse_value("Step(at: 5, rps: 2.5)"), json!({"at": 5, "rps": 2.5}));
        assert_eq!(
            parse_value("Steps([Step(at: 0, rps: 1)])"),
            json!({"Steps": [{"at": 0, "rps": 1}]})
        );
    }

    #[test]
    fn paths() {
        assert_eq!(
            parse_path("endpoint.variants[0].concurrency").unwrap(),
            vec![
                Segment::Field("endpoint".into()),
                Segment::Field("variants".into()),
                Segment::Index(0),
                Segment::Field("concurrency".into())
            ]
        );
        assert!(parse_path("a[x]").is_err());
        assert!(parse_path("").is_err());
    }
}
