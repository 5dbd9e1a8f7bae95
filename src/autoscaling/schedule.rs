//! Schedule expressions of scheduled scaling actions (`at`, `rate`, AWS six-field `cron`) and
//! their fire times in an IANA time zone between optional start and end times (docs/semantics/autoscaling.md §9, examples G).
//!
//! Pure code: the simulation asks [`Schedule::next_after_with_origin`] for the next fire time and
//! queues an event for it; nothing here reads a clock or knows simulation types.
//!
//! # Syntax accepted \[AWS\]
//!
//! - `at(yyyy-mm-ddThh:mm:ss)`: one fire, a wall-clock time in the schedule's time zone.
//! - `rate(<value> <unit>)`: `value` a positive integer, `unit` one of `minute`, `hour`, `day`
//!   when `value` is 1 and `minutes`, `hours`, `days` otherwise. The AAS API reference lists the
//!   six unit words without saying when each applies; the EventBridge rate reference, whose
//!   syntax AAS shares, rejects `rate(1 hours)` and `rate(5 hour)`. We follow EventBridge so a
//!   scenario that runs here is also accepted by AWS \[assumption\].
//! - `cron(Minutes Hours Day-of-month Month Day-of-week Year)`, the EventBridge field table:
//!
//!   | field        | values             | accepted here                         |
//!   |--------------|--------------------|---------------------------------------|
//!   | Minutes      | 0-59               | `,` `-` `*` `/`                       |
//!   | Hours        | 0-23               | `,` `-` `*` `/`                       |
//!   | Day-of-month | 1-31               | `,` `-` `*` `?` `/` `L` `nW` `LW`     |
//!   | Month        | 1-12 or JAN-DEC    | `,` `-` `*` `/`                       |
//!   | Day-of-week  | 1-7 or SUN-SAT     | `,` `-` `*` `?` `L` `nL` `n#k`        |
//!   | Year         | 1970-2199          | `,` `-` `*` `/`                       |
//!
//!   Day-of-week counts 1 = SUN .. 7 = SAT, unlike POSIX cron's 0 = SUN. Exactly one of
//!   Day-of-month and Day-of-week is `?`. `a/n` means a, a+n, ... up to the field's maximum
//!   (EventBridge: `1/10` in Minutes is 1, 11, 21, ...). `L` alone in Day-of-week is the last
//!   day of the week, SAT; `nL` is the last weekday n of the month, `n#k` its k-th (k 1-5).
//!   `LW` (last weekday of the month) is Quartz syntax that EventBridge does not list
//!   \[assumption\]. Names are case-insensitive.
//!
//!   Rejected with an error: wrap-around ranges (`FRI-MON`, `22-2`), `L`, `W` or `#` inside a
//!   list (EventBridge: `3#1,6#3` is invalid; we extend the rule to `L` and `W` as Quartz
//!   does) \[assumption\], `L-n` offsets, `/` in Day-of-week, and an expression that matches no
//!   date between 1970 and 2199 (`cron(0 0 30 2 ? *)`), which AWS may accept but which would
//!   only ever be a scenario mistake here \[assumption\].
//!
//! # Evaluation
//!
//! Cron matching is delegated to the `croner` crate: this module validates the AWS fields
//! itself and translates them into an explicit seven-field croner pattern
//! (`sec min hour dom month dow year`, POSIX weekdays 0 = SUN, plain number lists and ranges)
//! so the AWS numbering never depends on a crate option. See [`CronExpr::croner_pattern`].
//!
//! Daylight-saving rules, which AWS does not document for AAS \[assumption\], follow croner
//! (the Open Cron Pattern Specification): a wall-clock time that a spring-forward gap skips
//! fires at the first instant after the gap when the expression names one minute and one
//! hour, and is skipped otherwise; a time that a fall-back repeats fires once, at the earlier
//! instant, for such expressions and on both instants otherwise. `at()` uses the
//! single-time rules.

use std::collections::BTreeSet;
use std::fmt;

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use croner::parser::{CronParser, Seconds, Year};
use croner::Cron;

/// The time zone of a scheduled action that names none \[AWS\].
pub const DEFAULT_TIMEZONE: &str = "UTC";

/// Layout of `at()` and of start/end times given without an offset.
const WALL_CLOCK_FORMAT: &str = "%Y-%m-%dT%H:%M:%S";

/// What `ScheduleExpr::parse` accepts, quoted in its errors.
const ALLOWED_FORMS: &str =
    "allowed: at(yyyy-mm-ddThh:mm:ss), rate(<value> <unit>) or cron(<Minutes> <Hours> <Day-of-month> <Month> <Day-of-week> <Year>)";

/// Longest spring-forward gap searched past \[s\]: real gaps are at most a day (Samoa, 2011).
const MAX_GAP_S: i64 = 86_400;

/// A parsed `Schedule` expression (docs/semantics/autoscaling.md §9.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleExpr {
    /// One fire at a wall-clock time of the schedule's time zone.
    At(NaiveDateTime),
    /// A fire every `every_s` seconds \[s\], counted from the start time or the origin.
    Rate { every_s: u64 },
    /// AWS six-field cron, evaluated on the wall clock of the schedule's time zone.
    Cron(CronExpr),
}

/// A validated AWS cron expression and its translation into a croner pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronExpr {
    /// The six AWS fields, upper-cased and single-spaced.
    fields: String,
    /// The same schedule in croner's syntax (POSIX weekdays), kept for tests and reports.
    croner_pattern: String,
    /// Boxed: a croner `Cron` holds ~300 bytes of bit fields, which would bloat every `ScheduleExpr`.
    cron: Box<Cron>,
}

impl CronExpr {
    /// The six AWS fields as given (upper-cased, single-spaced), without `cron(..)`.
    pub fn fields(&self) -> &str {
        &self.fields
    }

    /// The croner pattern this expression was translated into.
    pub fn croner_pattern(&self) -> &str {
        &self.croner_pattern
    }

    /// The first match strictly after `after`, on the wall clock of `timezone`.
    fn next_after(&self, after: DateTime<Utc>, timezone: Tz) -> Option<DateTime<Utc>> {
        // croner errors when nothing matches up to 2199 (the translated year list), or in a
        // day-long gap such as Pacific/Apia's 2011-12-30, beyond its 2-hour gap search: either
        // way no fire can be named, so the schedule ends.
        let next = self
            .cron
            .find_next_occurrence(&after.with_timezone(&timezone), false)
            .ok()?;
        Some(next.with_timezone(&Utc))
    }
}

impl ScheduleExpr {
    /// Parses an AAS `Schedule` string; errors quote it and say what is allowed.
    pub fn parse(s: &str) -> Result<ScheduleExpr, String> {
        let text = s.trim();
        let (kind, body) = text
            .strip_suffix(')')
            .and_then(|t| t.split_once('('))
            .ok_or_else(|| format!("schedule {s:?} is not a schedule expression; {ALLOWED_FORMS}"))?;
        let parsed = match kind {
            "at" => parse_at(body),
            "rate" => parse_rate(body),
            "cron" => parse_cron(body),
            _ => Err(format!("unknown kind {kind:?}; {ALLOWED_FORMS}")),
        };
        parsed.map_err(|why| format!("schedule {s:?}: {why}"))
    }
}

impl fmt::Display for ScheduleExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScheduleExpr::At(wall) => write!(f, "at({})", wall.format(WALL_CLOCK_FORMAT)),
            ScheduleExpr::Rate { every_s } => {
                // The largest unit that divides the period, so `rate(2 hours)` prints back as given.
                let (value, unit) = [(86_400, "day"), (3_600, "hour"), (60, "minute")]
                    .into_iter()
                    .find(|(unit_s, _)| every_s % unit_s == 0)
                    .map_or((*every_s, "second"), |(unit_s, unit)| (every_s / unit_s, unit));
                let plural = if value == 1 { "" } else { "s" };
                write!(f, "rate({value} {unit}{plural})")
            }
            ScheduleExpr::Cron(cron) => write!(f, "cron({})", cron.fields),
        }
    }
}

fn parse_at(body: &str) -> Result<ScheduleExpr, String> {
    // The length check rejects the shorter forms chrono would also take (`2025-1-1T0:0:0`).
    let wall = if body.len() == 19 {
        NaiveDateTime::parse_from_str(body, WALL_CLOCK_FORMAT).ok()
    } else {
        None
    };
    wall.map(ScheduleExpr::At)
        .ok_or_else(|| format!("at() needs a date and time as yyyy-mm-ddThh:mm:ss, found {body:?}"))
}

fn parse_rate(body: &str) -> Result<ScheduleExpr, String> {
    const USAGE: &str = "rate() needs `<value> <unit>` with value a positive integer and unit minute|hour|day \
                         for 1 or minutes|hours|days above 1";
    let parts: Vec<&str> = body.split_whitespace().collect();
    let [value, unit] = parts[..] else {
        return Err(format!("{USAGE}, found {body:?}"));
    };
    let value: u64 = match value.parse() {
        Ok(v) if v >= 1 && value.bytes().all(|b| b.is_ascii_digit()) => v,
        _ => return Err(format!("{USAGE}; value {value:?} is not a positive integer")),
    };
    let (unit_s, plural) = match unit {
        "minute" => (60, false),
        "minutes" => (60, true),
        "hour" => (3_600, false),
        "hours" => (3_600, true),
        "day" => (86_400, false),
        "days" => (86_400, true),
        _ => return Err(format!("{USAGE}; unknown unit {unit:?}")),
    };
    // [AWS] EventBridge's rate reference; see the module docs.
    if plural != (value > 1) {
        let fixed = if value == 1 {
            unit.trim_end_matches('s').to_string()
        } else {
            format!("{unit}s")
        };
        return Err(format!("{USAGE}; write `rate({value} {fixed})`"));
    }
    // Periods must fit a `TimeDelta`, which `next_after` adds to timestamps.
    let every_s = value
        .checked_mul(unit_s)
        .filter(|&s| i64::try_from(s).ok().and_then(TimeDelta::try_seconds).is_some())
        .ok_or_else(|| format!("rate() period of {value} {unit} is too large"))?;
    Ok(ScheduleExpr::Rate { every_s })
}

/// The value range, names and step support of one cron field.
struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    /// Names for `min`, `min + 1`, ... (JAN-DEC, SUN-SAT).
    names: &'static [&'static str],
    steps: bool,
}

const MINUTES: Field = Field::new("Minutes", 0, 59, &[], true);
const HOURS: Field = Field::new("Hours", 0, 23, &[], true);
const DAY_OF_MONTH: Field = Field::new("Day-of-month", 1, 31, &[], true);
const MONTH: Field = Field::new("Month", 1, 12, &MONTH_NAMES, true);
const MONTH_NAMES: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
/// AWS numbering 1 = SUN .. 7 = SAT; `/` is not in the EventBridge table for this field.
const DAY_OF_WEEK: Field = Field::new(
    "Day-of-week",
    1,
    7,
    &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
    false,
);
const YEAR: Field = Field::new("Year", 1970, 2199, &[], true);

impl Field {
    const fn new(name: &'static str, min: u32, max: u32, names: &'static [&'static str], steps: bool) -> Field {
        Field {
            name,
            min,
            max,
            names,
            steps,
        }
    }

    fn allowed(&self) -> String {
        let names = match self.names {
            [] => String::new(),
            names => format!(" or {}-{}", names[0], names[names.len() - 1]),
        };
        let steps = if self.steps { ", steps `/`" } else { "" };
        format!(
            "values {}-{}{names}, `*`, lists `,`, ranges `-`{steps}",
            self.min, self.max
        )
    }

    fn error(&self, text: &str, why: &str) -> String {
        format!("{} field {text:?}: {why}; allowed: {}", self.name, self.allowed())
    }

    /// One number or name, checked against the field's range.
    fn value(&self, text: &str, token: &str) -> Result<u32, String> {
        let value = if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) {
            token.parse::<u32>().ok()
        } else {
            self.names.iter().position(|n| *n == token).map(|i| self.min + i as u32)
        };
        match value {
            Some(v) if (self.min..=self.max).contains(&v) => Ok(v),
            Some(v) => Err(self.error(text, &format!("{v} is outside {}-{}", self.min, self.max))),
            None => Err(self.error(text, &format!("{token:?} is not a value"))),
        }
    }

    /// Expands a list of `*`, `v`, `a-b`, `*/n`, `a/n`, `a-b/n` into the values it selects.
    fn values(&self, text: &str) -> Result<BTreeSet<u32>, String> {
        let mut selected = BTreeSet::new();
        for item in text.split(',') {
            let (base, step) = match item.split_once('/') {
                Some(_) if !self.steps => return Err(self.error(text, "`/` is not allowed here")),
                Some((base, step)) => match step.parse::<u32>() {
                    Ok(n) if n >= 1 && step.bytes().all(|b| b.is_ascii_digit()) => (base, Some(n)),
                    _ => return Err(self.error(text, &format!("step {step:?} is not a positive integer"))),
                },
                None => (item, None),
            };
            let (lo, hi) = if base == "*" {
                (self.min, self.max)
            } else if let Some((a, b)) = base.split_once('-') {
                let (lo, hi) = (self.value(text, a)?, self.value(text, b)?);
                if lo > hi {
                    return Err(self.error(
                        text,
                        &format!("range {base:?} runs backwards (wrap-around is not supported)"),
                    ));
                }
                (lo, hi)
            } else {
                // EventBridge: `a/n` runs from a to the field's maximum.
                let v = self.value(text, base)?;
                (v, if step.is_some() { self.max } else { v })
            };
            selected.extend((lo..=hi).step_by(step.unwrap_or(1) as usize));
        }
        Ok(selected)
    }
}

/// Writes sorted values as croner ranges and singles: `{1,2,3,5}` -> `1-3,5`.
fn as_runs(values: impl IntoIterator<Item = u32>) -> String {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for v in values {
        match runs.last_mut() {
            Some((_, hi)) if *hi + 1 == v => *hi = v,
            _ => runs.push((v, v)),
        }
    }
    let texts: Vec<String> = runs
        .iter()
        .map(|&(lo, hi)| if lo == hi { lo.to_string() } else { format!("{lo}-{hi}") })
        .collect();
    texts.join(",")
}

/// A plain field in croner syntax; `*` stays `*` so croner still sees a wildcard.
fn plain(field: &Field, text: &str) -> Result<String, String> {
    if text == "*" {
        return Ok("*".to_string());
    }
    Ok(as_runs(field.values(text)?))
}

fn day_of_month(text: &str) -> Result<String, String> {
    let field = &DAY_OF_MONTH;
    if !text.contains(['L', 'W']) {
        return plain(field, text);
    }
    match text {
        "L" | "LW" => Ok(text.to_string()),
        _ if text.contains([',', '-', '/']) => Err(field.error(text, "`L` and `W` must stand alone in the field")),
        _ => match text.strip_suffix('W') {
            Some(day) => Ok(format!("{}W", field.value(text, day)?)),
            None => Err(field.error(text, "`L` is allowed only as `L` or `LW`")),
        },
    }
}

/// Day-of-week in croner's POSIX numbering: AWS value v becomes v - 1.
fn day_of_week(text: &str) -> Result<String, String> {
    let field = &DAY_OF_WEEK;
    if text == "*" {
        return Ok("*".to_string());
    }
    // [AWS] "L in Day-of-week is the last day of the week": SAT, POSIX 6.
    if text == "L" {
        return Ok("6".to_string());
    }
    if text.contains(['#', 'L']) {
        if text.contains([',', '-']) {
            return Err(field.error(text, "`L` and `#` must stand alone in the field (`3#1,6#3` is invalid)"));
        }
        if let Some(day) = text.strip_suffix('L') {
            return Ok(format!("{}#L", field.value(text, day)? - 1));
        }
        let Some((day, nth)) = text.split_once('#') else {
            return Err(field.error(text, "expected `nL` or `n#k`"));
        };
        return match nth.parse::<u32>() {
            Ok(k @ 1..=5) if nth.len() == 1 => Ok(format!("{}#{k}", field.value(text, day)? - 1)),
            _ => Err(field.error(text, &format!("`#` needs an occurrence 1-5, found {nth:?}"))),
        };
    }
    Ok(as_runs(field.values(text)?.into_iter().map(|v| v - 1)))
}

fn parse_cron(body: &str) -> Result<ScheduleExpr, String> {
    let upper = body.to_ascii_uppercase();
    let parts: Vec<&str> = upper.split_whitespace().collect();
    let [minutes, hours, dom, month, dow, year] = parts[..] else {
        return Err(format!(
            "cron() needs six fields `Minutes Hours Day-of-month Month Day-of-week Year`, found {}",
            parts.len()
        ));
    };
    // [AWS] One of the two day fields must be `?`, and it means "any".
    let (dom, dow) = match (dom == "?", dow == "?") {
        (true, false) => ("*".to_string(), day_of_week(dow)?),
        (false, true) => (day_of_month(dom)?, "*".to_string()),
        (true, true) => return Err("Day-of-month and Day-of-week are both `?`; exactly one must be `?`".to_string()),
        (false, false) => {
            return Err(format!(
                "exactly one of Day-of-month ({dom:?}) and Day-of-week ({dow:?}) must be `?`, e.g. `cron(0 8 ? * MON-FRI *)`"
            ))
        }
    };
    // The year is always a bounded list so croner stops searching at 2199, not at its own
    // limit of 5000, when nothing is left to match.
    let year = if year == "*" {
        as_runs(YEAR.min..=YEAR.max)
    } else {
        plain(&YEAR, year)?
    };
    let croner_pattern = format!(
        "0 {} {} {dom} {} {dow} {year}",
        plain(&MINUTES, minutes)?,
        plain(&HOURS, hours)?,
        plain(&MONTH, month)?
    );
    let cron = CronParser::builder()
        .seconds(Seconds::Required)
        .year(Year::Required)
        .build()
        .parse(&croner_pattern)
        .map_err(|e| format!("internal error: translated pattern {croner_pattern:?} was rejected: {e}"))?;
    let expr = CronExpr {
        fields: parts.join(" "),
        croner_pattern,
        cron: Box::new(cron),
    };
    // Time-zone shifts cannot create a date, so checking in UTC from 1970 is enough.
    if expr
        .next_after(DateTime::UNIX_EPOCH - TimeDelta::seconds(1), Tz::UTC)
        .is_none()
    {
        return Err(format!("cron({}) matches no date between 1970 and 2199", expr.fields));
    }
    Ok(ScheduleExpr::Cron(expr))
}

/// A scheduled action's timing: expression, time zone and active window (docs/semantics/autoscaling.md §9.1).
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub expr: ScheduleExpr,
    /// Zone of the wall clock that `at()` and `cron()` are read on; default UTC.
    pub timezone: Tz,
    /// No fire before this instant; recurring schedules also fire at it (see `next_after`).
    pub start: Option<DateTime<Utc>>,
    /// No fire after this instant (a fire exactly at it still happens) \[assumption\].
    pub end: Option<DateTime<Utc>>,
}

/// Parses a start or end time: RFC 3339, or `yyyy-mm-ddThh:mm:ss` read as UTC.
fn parse_instant(what: &str, text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| NaiveDateTime::parse_from_str(text, WALL_CLOCK_FORMAT).map(|t| t.and_utc()))
        .map_err(|_| {
            format!(
                "{what} {text:?} is not a time; allowed: RFC 3339 (2025-01-01T00:00:00Z) or yyyy-mm-ddThh:mm:ss in UTC"
            )
        })
}

/// The instant a wall-clock time of `timezone` denotes, by the single-time DST rules of the
/// module docs: the earlier of two, or the first instant after a gap.
fn resolve_wall_clock(timezone: Tz, wall: NaiveDateTime) -> Option<DateTime<Utc>> {
    let resolved = match timezone.from_local_datetime(&wall) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t),
        LocalResult::None => {
            (1..=MAX_GAP_S).find_map(|s| timezone.from_local_datetime(&(wall + TimeDelta::seconds(s))).earliest())
        }
    };
    resolved.map(|t| t.with_timezone(&Utc))
}

impl Schedule {
    /// Validates a scheduled action's `Schedule`, `Timezone` (IANA name, e.g. `Etc/GMT+9`; pass
    /// [`DEFAULT_TIMEZONE`] when the action names none) and optional `StartTime`/`EndTime`.
    pub fn new(expr: &str, timezone: &str, start: Option<&str>, end: Option<&str>) -> Result<Schedule, String> {
        let expr = ScheduleExpr::parse(expr)?;
        let timezone: Tz = timezone.parse().map_err(|_| {
            format!("timezone {timezone:?} is not an IANA time zone name; allowed e.g. UTC, Etc/GMT+9, Pacific/Tahiti, Europe/Berlin")
        })?;
        let start = start.map(|s| parse_instant("start time", s)).transpose()?;
        let end = end.map(|s| parse_instant("end time", s)).transpose()?;
        if let (Some(s), Some(e)) = (start, end) {
            if s > e {
                return Err(format!("start time {s} is after end time {e}"));
            }
        }
        Ok(Schedule {
            expr,
            timezone,
            start,
            end,
        })
    }

    /// [`Self::next_after_with_origin`] with the Unix epoch as origin, so a `rate()` without a
    /// start time fires on multiples of its period since 1970-01-01T00:00:00Z.
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.next_after_with_origin(after, DateTime::UNIX_EPOCH)
    }

    /// The first fire time strictly after `after`, or `None` when no fire is left.
    ///
    /// - `at()` fires once, if its instant lies within `[start, end]`.
    /// - `rate()` fires at `anchor + k * every` for k >= 0, where `anchor` is `start` if given,
    ///   else `origin` (the simulation passes its start time: the action exists from then on).
    ///   The simulation asks from just before its start time, so a `rate()` without a start
    ///   time fires at time zero and then every period \[assumption\]: the action is taken to
    ///   exist before the run, with its lattice anchored at time zero.
    /// - `cron()` fires at its matches on the time zone's wall clock.
    /// - \[AWS\] "If you specify a start time, Application Auto Scaling performs the
    ///   action at this time, and then performs the action based on the specified recurrence":
    ///   recurring schedules with a start time also fire at `start` itself.
    /// - Nothing fires after `end`.
    pub fn next_after_with_origin(&self, after: DateTime<Utc>, origin: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let next = match &self.expr {
            ScheduleExpr::At(wall) => {
                let t = resolve_wall_clock(self.timezone, *wall)?;
                (t > after && self.start.is_none_or(|s| t >= s)).then_some(t)?
            }
            ScheduleExpr::Rate { every_s } => {
                let anchor = self.start.unwrap_or(origin);
                if after < anchor {
                    anchor
                } else {
                    // Whole periods elapsed since the anchor, plus one: strictly after `after`.
                    let every = i64::try_from(*every_s).ok()?;
                    let periods = (after - anchor).num_seconds() / every + 1;
                    anchor.checked_add_signed(TimeDelta::try_seconds(periods.checked_mul(every)?)?)?
                }
            }
            ScheduleExpr::Cron(cron) => match self.start {
                Some(start) if after < start => start,
                _ => cron.next_after(after, self.timezone)?,
            },
        };
        self.end.is_none_or(|end| next <= end).then_some(next)
    }

    /// Whether `at()`: a one-time action, as opposed to a recurring one.
    pub fn is_one_time(&self) -> bool {
        matches!(self.expr, ScheduleExpr::At(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Weekday};

    fn utc(text: &str) -> DateTime<Utc> {
        parse_instant("test time", text).unwrap()
    }

    fn schedule(expr: &str, timezone: &str, start: Option<&str>, end: Option<&str>) -> Schedule {
        Schedule::new(expr, timezone, start, end).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Up to `n` consecutive fires strictly after `after`, as `yyyy-mm-ddThh:mm` UTC.
    fn fires(s: &Schedule, after: &str, origin: &str, n: usize) -> Vec<String> {
        let origin = utc(origin);
        let mut out = Vec::new();
        let mut t = utc(after);
        while out.len() < n {
            let Some(next) = s.next_after_with_origin(t, origin) else {
                break;
            };
            assert!(next > t, "fire {next} is not after {t}");
            out.push(next.format("%Y-%m-%dT%H:%M").to_string());
            t = next;
        }
        out
    }

    /// One case a line: `expression | time zone | start | end | search from | fires`, with `-`
    /// for no start or end, times in UTC, and a final `end` when no further fire may follow.
    const FIRE_CASES: &str = "
        # G1 [AWS]: daily at 12:15 UTC; from a fire time itself the next is a day later.
        cron(15 12 * * ? *)      | UTC | - | - | 2025-01-01T00:00:00 | 2025-01-01T12:15 2025-01-02T12:15 2025-01-03T12:15
        cron(15 12 * * ? *)      | UTC | - | - | 2025-01-01T12:15:00 | 2025-01-02T12:15
        # G4 [AWS]: midnight at GMT-9 (POSIX sign: Etc/GMT+9) is 09:00 UTC, once.
        at(2025-01-01T00:00:00)  | Etc/GMT+9      | - | - | 2024-12-31T00:00:00 | 2025-01-01T09:00 end
        at(2025-06-01T12:00:00)  | Pacific/Tahiti | - | - | 2025-01-01T00:00:00 | 2025-06-01T22:00 end
        # Weekdays from Monday 2025-01-06 skip the weekend; AWS 2-6 is MON-FRI.
        cron(0 8 ? * MON-FRI *)  | UTC | - | - | 2025-01-06T00:00:00 | 2025-01-06T08:00 2025-01-07T08:00 2025-01-08T08:00 2025-01-09T08:00 2025-01-10T08:00 2025-01-13T08:00
        cron(0 8 ? * 2-6 *)      | UTC | - | - | 2025-01-10T09:00:00 | 2025-01-13T08:00 2025-01-14T08:00
        # AWS 1 = SUN, 7 = SAT, and `L` alone is the last day of the week, SAT (2025-01-04).
        cron(0 0 ? * 1 *)        | UTC | - | - | 2025-01-01T00:00:00 | 2025-01-05T00:00
        cron(0 0 ? * 7 *)        | UTC | - | - | 2025-01-01T00:00:00 | 2025-01-04T00:00
        cron(0 0 ? * L *)        | UTC | - | - | 2025-01-01T00:00:00 | 2025-01-04T00:00
        # rate(): counted from the origin (2025-01-01T00:00) when there is no start.
        rate(5 minutes)          | UTC | - | - | 2025-01-01T00:00:00 | 2025-01-01T00:05 2025-01-01T00:10 2025-01-01T00:15
        rate(5 minutes)          | UTC | - | - | 2025-01-01T00:07:30 | 2025-01-01T00:10
        # A start time fires itself [AWS], then the recurrence; a fire at the end still happens.
        cron(15 12 * * ? *)      | UTC | 2025-01-02T00:00:00 | 2025-01-03T12:15:00Z | 2025-01-01T00:00:00 | 2025-01-02T00:00 2025-01-02T12:15 2025-01-03T12:15 end
        rate(1 hour)             | UTC | 2025-01-01T00:30:00 | 2025-01-01T02:45:00Z | 2025-01-01T00:00:00 | 2025-01-01T00:30 2025-01-01T01:30 2025-01-01T02:30 end
        at(2025-01-01T00:00:00)  | UTC | 2025-01-02T00:00:00 | - | 2024-01-01T00:00:00 | end
        at(2025-01-01T00:00:00)  | UTC | - | 2024-12-31T23:59:59 | 2024-01-01T00:00:00 | end
        # Europe/Berlin 08:00 across the 2025-03-30 spring-forward: 07:00 UTC, then 06:00 UTC.
        cron(0 8 * * ? *)        | Europe/Berlin | - | - | 2025-03-28T12:00:00 | 2025-03-29T07:00 2025-03-30T06:00 2025-03-31T06:00
        # 02:30 is skipped on 2025-03-30: the first instant after the gap (03:00 CEST).
        cron(30 2 * * ? *)       | Europe/Berlin | - | - | 2025-03-29T12:00:00 | 2025-03-30T01:00 2025-03-31T00:30
        at(2025-03-30T02:30:00)  | Europe/Berlin | - | - | 2025-01-01T00:00:00 | 2025-03-30T01:00 end
        # 02:30 happens twice on 2025-10-26: one fire, at the earlier (CEST) instant.
        cron(30 2 * * ? *)       | Europe/Berlin | - | - | 2025-10-25T12:00:00 | 2025-10-26T00:30 2025-10-27T01:30
        # Every 30 minutes keeps a 30-minute UTC rhythm through both changes: nothing doubled
        # at the spring-forward, both 02:00 and 02:30 twice at the fall-back.
        cron(0/30 * * * ? *)     | Europe/Berlin | - | - | 2025-03-30T00:15:00 | 2025-03-30T00:30 2025-03-30T01:00 2025-03-30T01:30
        cron(0/30 * * * ? *)     | Europe/Berlin | - | - | 2025-10-26T00:15:00 | 2025-10-26T00:30 2025-10-26T01:00 2025-10-26T01:30 2025-10-26T02:00
        # Steps: `a/n` runs to the field's maximum, `a-b/n` within the range.
        cron(0/20 9-17/4 * * ? *) | UTC | - | - | 2025-01-01T10:00:00 | 2025-01-01T13:00 2025-01-01T13:20 2025-01-01T13:40 2025-01-01T17:00
        # Month names (any case) and a year range that runs out.
        cron(0 0 1 JAN,jul ? 2025-2026) | UTC | - | - | 2025-01-01T00:00:00 | 2025-07-01T00:00 2026-01-01T00:00 2026-07-01T00:00 end
        # `L`: last day of the month, leap years included.
        cron(0 0 L * ? *)        | UTC | - | - | 2024-01-31T00:00:00 | 2024-02-29T00:00 2024-03-31T00:00
        # `15W`: 2025-03-15 is a Saturday (-> Fri 14th), 2025-06-15 a Sunday (-> Mon 16th).
        cron(0 0 15W 3,6 ? 2025) | UTC | - | - | 2025-01-01T00:00:00 | 2025-03-14T00:00 2025-06-16T00:00 end
        # `LW`: 2025-05-31 is a Saturday, so Friday the 30th.
        cron(0 0 LW 5 ? 2025)    | UTC | - | - | 2025-01-01T00:00:00 | 2025-05-30T00:00 end
        # `3#2`: second Tuesday (AWS 3 = TUE); `6L`: last Friday (AWS 6 = FRI).
        cron(0 0 ? 1 3#2 2025)   | UTC | - | - | 2025-01-01T00:00:00 | 2025-01-14T00:00 end
        cron(0 0 ? 1 6L 2025)    | UTC | - | - | 2025-01-01T00:00:00 | 2025-01-31T00:00 end
    ";

    #[test]
    fn fire_sequences() {
        let origin = "2025-01-01T00:00:00Z";
        for line in FIRE_CASES
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let cols: Vec<&str> = line.split('|').map(str::trim).collect();
            let [expr, tz, start, end, from, expected] = cols[..] else {
                panic!("bad case {line:?}")
            };
            let bound = |t: &'static str| (t != "-").then_some(t);
            let s = schedule(expr, tz, bound(start), bound(end));
            let mut expected: Vec<&str> = expected.split_whitespace().collect();
            let ends = expected.last() == Some(&"end");
            if ends {
                expected.pop();
            }
            let mut got = fires(&s, from, origin, expected.len() + 1);
            if !ends {
                got.truncate(expected.len());
            }
            assert_eq!(got, expected, "{line}");
        }
    }

    #[test]
    fn numeric_weekdays_use_aws_numbering() {
        // AWS 2-6 is MON-FRI; both translate to POSIX 1-5 for croner.
        let by_name = schedule("cron(0 8 ? * MON-FRI *)", "UTC", None, None);
        let by_number = schedule("cron(0 8 ? * 2-6 *)", "UTC", None, None);
        for s in [&by_name, &by_number] {
            let ScheduleExpr::Cron(cron) = &s.expr else {
                panic!("not cron")
            };
            assert_eq!(cron.croner_pattern(), "0 0 8 * * 1-5 1970-2199");
        }
        let a = fires(&by_name, "2025-01-01T00:00:00Z", "1970-01-01T00:00:00Z", 20);
        assert_eq!(a, fires(&by_number, "2025-01-01T00:00:00Z", "1970-01-01T00:00:00Z", 20));
        assert!(a.iter().all(|t| {
            let day = utc(&format!("{t}:00")).weekday();
            day != Weekday::Sat && day != Weekday::Sun
        }));
    }

    #[test]
    fn translation_to_croner() {
        let cases = [
            ("cron(15 12 * * ? *)", "0 15 12 * * * 1970-2199"),
            (
                "cron(*/15 0,6,12,18 ? * SUN,SAT 2025)",
                "0 0,15,30,45 0,6,12,18 * * 0,6 2025",
            ),
            (
                "cron(1/10 * 1-7 FEB-APR ? 2025/50)",
                "0 1,11,21,31,41,51 * 1-7 2-4 * 2025,2075,2125,2175",
            ),
            ("cron(0 0 ? * TUE#2 *)", "0 0 0 * * 2#2 1970-2199"),
            ("cron(0 0 ? * 1L *)", "0 0 0 * * 0#L 1970-2199"),
        ];
        for (expr, pattern) in cases {
            let Ok(ScheduleExpr::Cron(cron)) = ScheduleExpr::parse(expr) else {
                panic!("{expr} did not parse")
            };
            assert_eq!(cron.croner_pattern(), pattern, "{expr}");
        }
    }

    #[test]
    fn rate_counts_from_start_or_origin() {
        let origin = utc("2025-01-01T00:00:00Z");
        let five = schedule("rate(5 minutes)", "UTC", None, None);
        assert_eq!(five.expr, ScheduleExpr::Rate { every_s: 300 });
        // (after, expected): exact to the second, sub-seconds included, far from the origin too.
        let cases = [
            ("2024-12-31T23:59:59Z", "2025-01-01T00:00:00Z"),
            ("2025-01-01T00:04:59Z", "2025-01-01T00:05:00Z"),
            ("2025-01-01T00:05:00Z", "2025-01-01T00:10:00Z"),
            ("2025-01-01T00:07:30.250Z", "2025-01-01T00:10:00Z"),
            ("2030-06-01T12:00:00.5Z", "2030-06-01T12:05:00Z"),
        ];
        for (after, expected) in cases {
            assert_eq!(
                five.next_after_with_origin(utc(after), origin),
                Some(utc(expected)),
                "{after}"
            );
        }
        // A start time before the origin still anchors the lattice: 00:00 + 2 h * k.
        let two_hours = schedule("rate(2 hours)", "UTC", Some("2024-12-31T01:00:00"), None);
        assert_eq!(
            two_hours.next_after_with_origin(origin, origin),
            Some(utc("2025-01-01T01:00:00Z"))
        );
        // Without an origin the lattice is the epoch's: 2025-01-01 is an odd day since 1970.
        let daily = schedule("rate(2 days)", "UTC", None, None);
        assert_eq!(
            daily.next_after(utc("2025-01-01T10:00:00Z")),
            Some(utc("2025-01-02T00:00:00Z"))
        );
    }

    #[test]
    fn invalid_expressions_are_explained() {
        // (expression, words the error must contain besides the expression itself)
        let cases: &[(&str, &[&str])] = &[
            ("cron(0 8 * * *)", &["six fields", "found 5"]),
            ("cron(0 8 * * MON *)", &["exactly one", "`?`"]),
            ("cron(0 8 ? * ? *)", &["both `?`"]),
            ("rate(5 fortnights)", &["unknown unit", "minutes|hours|days"]),
            ("rate(0 minutes)", &["not a positive integer"]),
            ("rate(-5 minutes)", &["not a positive integer"]),
            ("rate(1 minutes)", &["rate(1 minute)"]),
            ("rate(5 hour)", &["rate(5 hours)"]),
            ("rate(5)", &["<value> <unit>"]),
            ("at(2025-01-01 00:00:00)", &["yyyy-mm-ddThh:mm:ss"]),
            ("at(2025-02-30T00:00:00)", &["yyyy-mm-ddThh:mm:ss"]),
            ("cron(60 8 ? * MON *)", &["Minutes", "outside 0-59"]),
            ("cron(0 24 ? * MON *)", &["Hours", "outside 0-23"]),
            ("cron(0 8 ? * 0 *)", &["Day-of-week", "outside 1-7", "SUN-SAT"]),
            ("cron(0 8 ? * MON/2 *)", &["Day-of-week", "`/` is not allowed"]),
            ("cron(0 8 ? * FRI-MON *)", &["runs backwards"]),
            ("cron(0 8 ? * 3#1,6#3 *)", &["stand alone"]),
            ("cron(0 8 ? * 3#6 *)", &["occurrence 1-5"]),
            ("cron(0 0 L,15 * ? *)", &["stand alone"]),
            ("cron(0 0 L-3 * ? *)", &["stand alone"]),
            ("cron(0 0 1 13 ? *)", &["Month", "JAN-DEC"]),
            ("cron(0 0 1 * ? 1969)", &["Year", "outside 1970-2199"]),
            ("cron(*/0 * * * ? *)", &["step \"0\""]),
            ("cron(0 0 30 2 ? *)", &["matches no date"]),
            ("every(5 minutes)", &["unknown kind", "allowed: at("]),
            ("cron 0 8 * * ? *", &["not a schedule expression", "allowed: at("]),
        ];
        for (expr, words) in cases {
            let err = ScheduleExpr::parse(expr).expect_err(expr);
            assert!(
                err.contains(&format!("{expr:?}")),
                "{expr}: error does not quote it: {err}"
            );
            for word in *words {
                assert!(err.contains(word), "{expr}: error lacks {word:?}: {err}");
            }
        }
    }

    #[test]
    fn invalid_schedules_are_explained() {
        let cases = [
            ("UTC", Some("yesterday"), None, "start time \"yesterday\""),
            ("UTC", None, Some("2025-13-01T00:00:00"), "end time"),
            ("Mars/Olympus", None, None, "IANA"),
            (
                "UTC",
                Some("2025-01-02T00:00:00Z"),
                Some("2025-01-01T00:00:00Z"),
                "is after end time",
            ),
        ];
        for (tz, start, end, words) in cases {
            let err = Schedule::new("rate(1 day)", tz, start, end).expect_err(words);
            assert!(err.contains(words), "{err}");
        }
        // RFC 3339 offsets convert to UTC.
        let s = schedule("rate(1 day)", DEFAULT_TIMEZONE, Some("2025-01-01T09:00:00+09:00"), None);
        assert_eq!(s.start, Some(utc("2025-01-01T00:00:00Z")));
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "at(2025-01-01T00:00:00)",
            "rate(1 minute)",
            "rate(90 minutes)",
            "rate(2 days)",
            "cron(0 8 ? * MON-FRI *)",
        ] {
            let expr = ScheduleExpr::parse(text).unwrap();
            assert_eq!(expr.to_string(), text);
            assert_eq!(ScheduleExpr::parse(&expr.to_string()).unwrap(), expr);
        }
    }
}
