//! Arithmetic expressions users write in input files: a sweep's derived axes
//! (`max_rps * safety_factor * 60`) and a scenario's expectations
//! (`(errors_5xx + timed_out) / arrivals`).
//!
//! A small hand-written parser over `f64`: numbers, names (other axes and constants, summary
//! values such as `latency_ms.p99`, time-series columns such as `AllTraffic.desired`; a name
//! with other characters is written between backquotes: `` `AllTraffic@config-1.in_service` ``), `+ - * /`,
//! `^` (power, right-associative), unary minus, parentheses and the functions `min`, `max`,
//! `ceil`, `floor`, `round`, `sqrt`, `abs`. Everything is floating point, so `1 / 2` is 0.5
//! (general-purpose expression crates divide integers as integers, a trap in capacity
//! arithmetic). Errors name the expression, the position and the unknown name.

use std::collections::BTreeMap;

/// Characters an expression may have. Evaluating and dropping a parsed expression recurse over
/// its tree, and a chain of `+` is as deep as it is long, so the length bounds that depth too.
pub const MAX_LEN: usize = 1_000;

/// Levels of nesting (parentheses, unary minus, `^` and function calls) an expression may have:
/// the parser recurses once per level, and tens of thousands of levels overflow the stack.
pub const MAX_DEPTH: usize = 64;

/// A parsed expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Number(f64),
    Name(String),
    Neg(Box<Expr>),
    Binary(Op, Box<Expr>, Box<Expr>),
    Call(Func, Vec<Expr>),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Func {
    Min,
    Max,
    Ceil,
    Floor,
    Round,
    Sqrt,
    Abs,
}

impl Func {
    const ALL: [(&'static str, Func, usize); 7] = [
        ("min", Func::Min, 2),
        ("max", Func::Max, 2),
        ("ceil", Func::Ceil, 1),
        ("floor", Func::Floor, 1),
        ("round", Func::Round, 1),
        ("sqrt", Func::Sqrt, 1),
        ("abs", Func::Abs, 1),
    ];
}

impl Expr {
    /// Parses `text`; the error says what was expected and at which character (1-based).
    pub fn parse(text: &str) -> Result<Expr, String> {
        let len = text.chars().count();
        if len > MAX_LEN {
            return Err(format!(
                "{len} characters long; allowed: at most {MAX_LEN} (use `constants` for long numbers)"
            ));
        }
        let mut p = Parser {
            s: text.as_bytes(),
            i: 0,
            depth: 0,
        };
        let e = p.sum()?;
        p.ws();
        if p.i < p.s.len() {
            return Err(format!("unexpected `{}` at character {}", p.s[p.i] as char, p.i + 1));
        }
        Ok(e)
    }

    /// Every name the expression reads, in order of first appearance.
    pub fn names(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_names(&mut out);
        out
    }

    fn collect_names(&self, out: &mut Vec<String>) {
        match self {
            Expr::Number(_) => {}
            Expr::Name(n) => {
                if !out.contains(n) {
                    out.push(n.clone());
                }
            }
            Expr::Neg(e) => e.collect_names(out),
            Expr::Binary(_, a, b) => {
                a.collect_names(out);
                b.collect_names(out);
            }
            Expr::Call(_, args) => args.iter().for_each(|a| a.collect_names(out)),
        }
    }

    /// Evaluates with the given names bound; an unbound name is an error naming it.
    pub fn eval(&self, env: &BTreeMap<String, f64>) -> Result<f64, String> {
        Ok(match self {
            Expr::Number(v) => *v,
            Expr::Name(n) => *env.get(n).ok_or_else(|| format!("unknown name `{n}`"))?,
            Expr::Neg(e) => -e.eval(env)?,
            Expr::Binary(op, a, b) => {
                let (a, b) = (a.eval(env)?, b.eval(env)?);
                match op {
                    Op::Add => a + b,
                    Op::Sub => a - b,
                    Op::Mul => a * b,
                    Op::Div => a / b,
                    Op::Pow => a.powf(b),
                }
            }
            Expr::Call(f, args) => {
                let v: Vec<f64> = args.iter().map(|a| a.eval(env)).collect::<Result<_, _>>()?;
                match f {
                    Func::Min => v[0].min(v[1]),
                    Func::Max => v[0].max(v[1]),
                    Func::Ceil => v[0].ceil(),
                    Func::Floor => v[0].floor(),
                    Func::Round => v[0].round(),
                    Func::Sqrt => v[0].sqrt(),
                    Func::Abs => v[0].abs(),
                }
            }
        })
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    /// Levels of nesting open at `i`.
    depth: usize,
}

impl Parser<'_> {
    /// Runs `f` one level of nesting deeper, refusing to go past [`MAX_DEPTH`]. Called just
    /// after the token that opens the level, so `i` is that token's 1-based position.
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T, String>) -> Result<T, String> {
        if self.depth >= MAX_DEPTH {
            return Err(format!(
                "nested more than {MAX_DEPTH} levels deep at character {} (parentheses, unary minus, `^` and function calls each add a level); allowed: at most {MAX_DEPTH}",
                self.i
            ));
        }
        self.depth += 1;
        let out = f(self);
        self.depth -= 1;
        out
    }

    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.i).copied()
    }

    fn expected(&mut self, what: &str) -> String {
        match self.peek() {
            Some(c) => format!("expected {what} at character {}, found `{}`", self.i + 1, c as char),
            None => format!("expected {what} at the end"),
        }
    }

    /// sum := product (('+' | '-') product)*
    fn sum(&mut self) -> Result<Expr, String> {
        let mut e = self.product()?;
        loop {
            let op = match self.peek() {
                Some(b'+') => Op::Add,
                Some(b'-') => Op::Sub,
                _ => return Ok(e),
            };
            self.i += 1;
            e = Expr::Binary(op, Box::new(e), Box::new(self.product()?));
        }
    }

    /// product := unary (('*' | '/') unary)*
    fn product(&mut self) -> Result<Expr, String> {
        let mut e = self.unary()?;
        loop {
            let op = match self.peek() {
                Some(b'*') => Op::Mul,
                Some(b'/') => Op::Div,
                _ => return Ok(e),
            };
            self.i += 1;
            e = Expr::Binary(op, Box::new(e), Box::new(self.unary()?));
        }
    }

    /// unary := '-' unary | power
    fn unary(&mut self) -> Result<Expr, String> {
        if self.peek() == Some(b'-') {
            self.i += 1;
            return self.nested(|p| Ok(Expr::Neg(Box::new(p.unary()?))));
        }
        self.power()
    }

    /// power := atom ('^' unary)?   (right-associative, binds tighter than unary minus on the left)
    fn power(&mut self) -> Result<Expr, String> {
        let base = self.atom()?;
        if self.peek() == Some(b'^') {
            self.i += 1;
            let exponent = self.nested(Self::unary)?;
            return Ok(Expr::Binary(Op::Pow, Box::new(base), Box::new(exponent)));
        }
        Ok(base)
    }

    fn atom(&mut self) -> Result<Expr, String> {
        match self.peek() {
            Some(b'(') => {
                self.i += 1;
                let e = self.nested(Self::sum)?;
                if self.peek() != Some(b')') {
                    return Err(self.expected("`)`"));
                }
                self.i += 1;
                Ok(e)
            }
            Some(c) if c.is_ascii_digit() || c == b'.' => {
                let start = self.i;
                while self.i < self.s.len() && (self.s[self.i].is_ascii_digit() || self.s[self.i] == b'.') {
                    self.i += 1;
                }
                // An exponent: 1e3, 2.5E-2.
                if self.i < self.s.len() && matches!(self.s[self.i], b'e' | b'E') {
                    let save = self.i;
                    self.i += 1;
                    if self.i < self.s.len() && matches!(self.s[self.i], b'+' | b'-') {
                        self.i += 1;
                    }
                    let digits = self.i;
                    while self.i < self.s.len() && self.s[self.i].is_ascii_digit() {
                        self.i += 1;
                    }
                    if self.i == digits {
                        self.i = save;
                    }
                }
                let text = String::from_utf8_lossy(&self.s[start..self.i]);
                text.parse::<f64>()
                    .map(Expr::Number)
                    .map_err(|_| format!("`{text}` at character {} is not a number", start + 1))
            }
            Some(b'`') => {
                let start = self.i + 1;
                let Some(len) = self.s[start..].iter().position(|&c| c == b'`') else {
                    return Err(format!("the name quoted at character {start} has no closing backquote"));
                };
                self.i = start + len + 1;
                if len == 0 {
                    return Err(format!("empty name between backquotes at character {start}"));
                }
                Ok(Expr::Name(
                    String::from_utf8_lossy(&self.s[start..start + len]).into_owned(),
                ))
            }
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                let start = self.i;
                // Dots and `@` join the parts of summary names and time-series columns.
                while self.i < self.s.len()
                    && (self.s[self.i].is_ascii_alphanumeric() || matches!(self.s[self.i], b'_' | b'.' | b'@'))
                {
                    self.i += 1;
                }
                let name = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
                if self.peek() != Some(b'(') {
                    return Ok(Expr::Name(name));
                }
                let Some(&(_, func, arity)) = Func::ALL.iter().find(|(n, _, _)| *n == name) else {
                    let known: Vec<&str> = Func::ALL.iter().map(|(n, _, _)| *n).collect();
                    return Err(format!(
                        "unknown function `{name}`; functions are: {}",
                        known.join(", ")
                    ));
                };
                self.i += 1;
                let args = self.nested(|p| {
                    let mut args = vec![p.sum()?];
                    while p.peek() == Some(b',') {
                        p.i += 1;
                        args.push(p.sum()?);
                    }
                    Ok(args)
                })?;
                if self.peek() != Some(b')') {
                    return Err(self.expected("`,` or `)`"));
                }
                self.i += 1;
                if args.len() != arity {
                    return Err(format!("`{name}` takes {arity} argument(s), got {}", args.len()));
                }
                Ok(Expr::Call(func, args))
            }
            _ => Err(self.expected("a number, a name or `(`")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(text: &str, env: &[(&str, f64)]) -> Result<f64, String> {
        let env: BTreeMap<String, f64> = env.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        Expr::parse(text)?.eval(&env)
    }

    #[test]
    fn arithmetic_and_precedence() {
        assert_eq!(
            eval(
                "max_rps * safety_factor * 60",
                &[("max_rps", 7.0), ("safety_factor", 0.5)]
            ),
            Ok(210.0)
        );
        assert_eq!(eval("1 + 2 * 3", &[]), Ok(7.0));
        assert_eq!(eval("(1 + 2) * 3", &[]), Ok(9.0));
        assert_eq!(eval("1 / 2", &[]), Ok(0.5));
        assert_eq!(eval("2 ^ 3 ^ 2", &[]), Ok(512.0));
        assert_eq!(eval("-2 ^ 2", &[]), Ok(-4.0));
        assert_eq!(eval("10 - 4 - 3", &[]), Ok(3.0));
        assert_eq!(eval("ceil(500 / 50 * 1.2)", &[]), Ok(12.0));
        assert_eq!(eval("max(1, min(5, 3))", &[]), Ok(3.0));
        assert_eq!(eval("1.5e2", &[]), Ok(150.0));
    }

    #[test]
    fn errors_name_the_problem() {
        assert_eq!(eval("a * 2", &[]), Err("unknown name `a`".into()));
        assert!(eval("1 +", &[]).unwrap_err().contains("expected a number"));
        assert!(eval("(1 + 2", &[]).unwrap_err().contains("`)`"));
        assert!(eval("1 2", &[]).unwrap_err().contains("character 3"));
        assert!(eval("foo(1)", &[]).unwrap_err().contains("unknown function `foo`"));
        assert!(eval("min(1)", &[]).unwrap_err().contains("takes 2"));
    }

    #[test]
    fn deep_nesting_and_long_text_are_refused_not_a_stack_overflow() {
        for text in [
            format!("{}1{}", "(".repeat(30_000), ")".repeat(30_000)),
            format!("{}1", "-".repeat(100_000)),
        ] {
            let e = Expr::parse(&text).unwrap_err();
            assert!(e.contains("characters long; allowed: at most 1000"), "{e}");
        }
        for text in [
            format!("{}1{}", "(".repeat(65), ")".repeat(65)),
            format!("{}1", "-".repeat(65)),
            format!("2{}", "^2".repeat(65)),
            format!("{}1{}", "abs(".repeat(65), ")".repeat(65)),
        ] {
            let e = Expr::parse(&text).unwrap_err();
            assert!(e.contains("nested more than 64 levels deep"), "{e}");
        }
        // 64 levels are fine; so is a long flat chain.
        assert_eq!(eval(&format!("{}1{}", "(".repeat(64), ")".repeat(64)), &[]), Ok(1.0));
        assert_eq!(eval(&format!("{}1", "-".repeat(64)), &[]), Ok(1.0));
        assert_eq!(eval(&format!("1{}", "+1".repeat(499)), &[]), Ok(500.0));
    }

    #[test]
    fn names_in_order() {
        let e = Expr::parse("b * a + b").unwrap();
        assert_eq!(e.names(), vec!["b".to_string(), "a".to_string()]);
    }
}
