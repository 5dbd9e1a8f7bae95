//! The scalable target's bounds and suspension flags, its cooldown clocks, and arbitration between
//! the proposals of several policies (docs/semantics/autoscaling.md §1.5, §7, §8 and §12 steps 5-6).
//!
//! Time is `u64` microseconds since the start of the run (the simulator's `SimTime::micros()`);
//! cooldown durations are whole seconds as configured on the policies. No float clock.
//!
//! How the caller turns one evaluation tick into at most one scaling activity (§12):
//!
//! 1. Collect [`Proposal`]s from the policies whose alarm is in `ALARM`. A step policy computes
//!    its result from [`Cooldowns::out_origin`] instead of the current desired count, so that
//!    the capacity the running scale-out cooldown already added counts towards its step (D6).
//!    A target tracking proposal is passed as is: its basis (the in-service units) already
//!    includes what the last scale-out added.
//! 2. [`arbitrate`] against the current desired count.
//! 3. Drop the winner when [`ScalableTarget::allowed`] says its direction is suspended.
//! 4. Clamp with [`ScalableTarget::clamp`]; nothing to do if that equals the current count.
//! 5. If the endpoint is `Updating`, retry at the next tick without calling the cooldowns:
//!    admission records state and must only happen for a change that is really started.
//! 6. [`Cooldowns::admit_out`] / [`Cooldowns::admit_in`] with the clamped value; on `Some(n)` set
//!    `desired = n`, start the activity and call [`Cooldowns::activity_started`], later
//!    [`Cooldowns::activity_ended`] (the configured [`CooldownStart`] picks which one counts).
//!
//! Clamping before admission (rather than after, as the list in §12 reads) keeps the
//! cooldown's "desired set by the last scale-out" in the same, bounded space as the proposals,
//! and stops a proposal that clamping turns into no change from cancelling a scale-in cooldown.

use super::target_tracking::{Direction, Proposal};
use crate::engine::MICROS_PER_SEC;

/// Where a target's capacity may move, and which kinds of scaling are suspended (§1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScalableTarget {
    /// `MinCapacity`.
    pub min: u32,
    /// `MaxCapacity`.
    pub max: u32,
    /// The scalable dimension itself (`DesiredInstanceCount`, ...), set by AAS (§1.3).
    pub desired: u32,
    /// `DynamicScalingInSuspended`: no policy may reduce capacity.
    pub dynamic_in_suspended: bool,
    /// `DynamicScalingOutSuspended`: no policy may increase capacity.
    pub dynamic_out_suspended: bool,
    /// `ScheduledScalingSuspended` \[AWS\]: scheduled actions do not run.
    pub scheduled_suspended: bool,
}

impl ScalableTarget {
    /// A registered target with nothing suspended. `desired` is stored as given, even outside
    /// the bounds (an out-of-band count is accepted, §1.3 \[assumption\]); use
    /// [`ScalableTarget::set_bounds`] for the clamping that registration performs.
    pub fn new(min: u32, max: u32, desired: u32) -> Self {
        ScalableTarget {
            min,
            max,
            desired,
            dynamic_in_suspended: false,
            dynamic_out_suspended: false,
            scheduled_suspended: false,
        }
    }

    /// `n` moved into `[min, max]` (§1.3 \[AWS\]; C7: 16 in 2..10 -> 10).
    ///
    /// Never panics: should the bounds ever be inverted, `max` wins, so capacity is not raised
    /// past a limit the user set.
    pub fn clamp(&self, n: u32) -> u32 {
        n.max(self.min).min(self.max)
    }

    /// Whether dynamic policies may move capacity in `direction` (§1.4). Scheduled
    /// actions ignore these flags; see [`ScalableTarget::scheduled_allowed`].
    pub fn allowed(&self, direction: Direction) -> bool {
        match direction {
            Direction::Out => !self.dynamic_out_suspended,
            Direction::In => !self.dynamic_in_suspended,
        }
    }

    /// Whether scheduled actions may run (§9 \[AWS\]). Re-registration is
    /// not a scheduled action and is never suspended.
    pub fn scheduled_allowed(&self) -> bool {
        !self.scheduled_suspended
    }

    /// The bounds after moving `min` and/or `max` (a missing value keeps the current bound), or
    /// an error naming both when the minimum would exceed the maximum.
    ///
    /// AWS asks for both sizes in a scheduled action exactly when one alone would invert the
    /// bounds; here such an action is refused rather than guessed at (\[assumption\]).
    pub fn resolve_bounds(&self, min: Option<u32>, max: Option<u32>) -> Result<(u32, u32), String> {
        let (new_min, new_max) = (min.unwrap_or(self.min), max.unwrap_or(self.max));
        if new_min > new_max {
            return Err(format!(
                "min_capacity: {new_min} exceeds max_capacity {new_max} (both must be set to move past each other)"
            ));
        }
        Ok((new_min, new_max))
    }

    /// Moves the bounds (scheduled action or re-registration) and, when the current desired count
    /// falls outside them, clamps it and returns the new count: the caller then starts a scaling
    /// activity to it, with no cooldown involved (§9 \[assumption\]). Returns `None` when
    /// only the limits move (G2: min raised to 10 while at 10), and also when the bounds would be
    /// inverted, in which case nothing changes (see [`ScalableTarget::resolve_bounds`]).
    ///
    /// A7: at 4, max lowered to 3 -> `Some(3)`; at 4, min raised to 6 -> `Some(6)`.
    pub fn set_bounds(&mut self, min: Option<u32>, max: Option<u32>) -> Option<u32> {
        let (new_min, new_max) = self.resolve_bounds(min, max).ok()?;
        self.min = new_min;
        self.max = new_max;
        let clamped = self.clamp(self.desired);
        if clamped == self.desired {
            return None;
        }
        self.desired = clamped;
        Some(clamped)
    }
}

/// When a cooldown clock starts (§7.4 \[assumption\]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CooldownStart {
    /// When the scaling activity completes and the endpoint is back `InService` (default).
    #[default]
    ActivityEnd,
    /// When the scaling activity starts.
    ActivityStart,
}

/// Cooldown state of one scalable target (§7.2 \[AWS\] and §7.4 \[assumption\]).
///
/// A cooldown is running while `now < until`: at exactly `until` it is over (E4: a scale-in at
/// t = 0 with a 600 s cooldown allows the next one from t = 600 s).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cooldowns {
    /// Which activity edge starts a cooldown clock.
    pub start: CooldownStart,
    /// End of the running scale-out cooldown \[us since run start\].
    out_until_us: Option<u64>,
    /// Desired count set by the last scale-out; later scale-outs must beat it while the
    /// scale-out cooldown runs.
    out_last_desired: u32,
    /// Desired count before the first scale-out of the current chain of overlapping scale-out
    /// cooldowns: the capacity a step policy computes from (D6).
    out_origin: u32,
    /// End of the running scale-in cooldown \[us since run start\].
    in_until_us: Option<u64>,
}

/// `at + cooldown_s` in microseconds, saturating instead of wrapping.
fn deadline(at_us: u64, cooldown_s: u64) -> u64 {
    at_us.saturating_add(cooldown_s.saturating_mul(MICROS_PER_SEC))
}

impl Cooldowns {
    /// No cooldown running; clocks start at the given activity edge.
    pub fn new(start: CooldownStart) -> Self {
        Cooldowns {
            start,
            ..Cooldowns::default()
        }
    }

    /// End of the scale-out cooldown and the desired count it protects, if one runs at `now_us`.
    pub fn out_cooldown(&self, now_us: u64) -> Option<(u64, u32)> {
        self.out_until_us
            .filter(|&until| now_us < until)
            .map(|until| (until, self.out_last_desired))
    }

    /// End of the scale-in cooldown, if one runs at `now_us`.
    pub fn in_cooldown(&self, now_us: u64) -> Option<u64> {
        self.in_until_us.filter(|&until| now_us < until)
    }

    /// The capacity a step policy should apply its adjustment to: while a scale-out cooldown
    /// runs, the desired count from before the scale-outs of that cooldown; otherwise `current`.
    ///
    /// D6: at 10, a +2 step scales out to 12; during the cooldown the alarm fires again and
    /// matches a +3 step; computed from the origin that is 10 + 3 = 13, so only one more unit is
    /// added (total +3, not +5). Computing from `current` would give 15 and over-scale.
    pub fn out_origin(&self, now_us: u64, current: u32) -> u32 {
        if self.out_cooldown(now_us).is_some() {
            self.out_origin
        } else {
            current
        }
    }

    /// Admits a scale-out to `proposed` (already clamped) from `current`, or refuses it.
    ///
    /// Refused when it does not add capacity, or when a scale-out cooldown runs and `proposed`
    /// does not exceed the desired count that the last scale-out set (§7.4). On
    /// admission a running scale-in cooldown is cancelled (E3: a scale-out during a scale-in
    /// cooldown is applied immediately), and the origin for [`Cooldowns::out_origin`] is
    /// remembered when this scale-out starts a new chain.
    pub fn admit_out(&mut self, now_us: u64, proposed: u32, current: u32) -> Option<u32> {
        if proposed <= current {
            return None;
        }
        if let Some((_, last_desired)) = self.out_cooldown(now_us) {
            if proposed <= last_desired {
                return None;
            }
        } else {
            self.out_origin = current;
        }
        self.in_until_us = None;
        Some(proposed)
    }

    /// Admits a scale-in to `proposed` (already clamped) from `current`, or refuses it.
    ///
    /// Refused when it does not remove capacity or while a scale-in cooldown runs (E4). A
    /// running scale-out cooldown does not block it (§7.2), but is cancelled on admission
    /// (\[assumption\]): the capacity that cooldown protected is being removed, so "the last
    /// scale-out already counts" no longer holds, and a later scale-out only has to beat the
    /// new, lower count.
    pub fn admit_in(&mut self, now_us: u64, proposed: u32, current: u32) -> Option<u32> {
        if proposed >= current || self.in_cooldown(now_us).is_some() {
            return None;
        }
        self.out_until_us = None;
        Some(proposed)
    }

    /// Starts a scale-out cooldown of `cooldown_s` at `at_us`, protecting `desired`.
    ///
    /// The duration comes from the policy that triggered the activity and replaces any running
    /// scale-out cooldown, even a longer one (§7.4: one clock per direction).
    pub fn started_out(&mut self, at_us: u64, cooldown_s: u64, desired: u32) {
        self.out_until_us = Some(deadline(at_us, cooldown_s));
        self.out_last_desired = desired;
    }

    /// Starts a scale-in cooldown of `cooldown_s` at `at_us` (replacing any running one).
    pub fn started_in(&mut self, at_us: u64, cooldown_s: u64) {
        self.in_until_us = Some(deadline(at_us, cooldown_s));
    }

    /// Call when a policy-driven scaling activity starts; records the cooldown start if the
    /// clocks start at [`CooldownStart::ActivityStart`].
    pub fn activity_started(&mut self, now_us: u64, direction: Direction, cooldown_s: u64, desired: u32) {
        if self.start == CooldownStart::ActivityStart {
            self.started(now_us, direction, cooldown_s, desired);
        }
    }

    /// Call when a policy-driven scaling activity completes; records the cooldown start if the
    /// clocks start at [`CooldownStart::ActivityEnd`] (the default).
    pub fn activity_ended(&mut self, now_us: u64, direction: Direction, cooldown_s: u64, desired: u32) {
        if self.start == CooldownStart::ActivityEnd {
            self.started(now_us, direction, cooldown_s, desired);
        }
    }

    fn started(&mut self, at_us: u64, direction: Direction, cooldown_s: u64, desired: u32) {
        match direction {
            Direction::Out => self.started_out(at_us, cooldown_s, desired),
            Direction::In => self.started_in(at_us, cooldown_s),
        }
    }
}

/// Picks the one proposal to act on this tick (§8 \[assumption\], §12 step 5).
///
/// - Any proposal above `current` -> the largest of those (largest capacity wins; D7).
/// - Otherwise, proposals below `current` win only if `all_scale_in_tt_agree`, which the caller
///   sets when every target tracking policy with scale-in enabled has its low alarm in `ALARM`
///   (vacuously true with no such policy); then the largest of them (the least aggressive).
/// - Otherwise `None`. Proposals equal to `current` never win.
///
/// The side is read from `desired` against `current`, not from [`Proposal::direction`], so a
/// proposal made against an older desired count cannot scale the wrong way. Ties keep the
/// earliest proposal in `proposals`, so the caller's policy order makes the result
/// deterministic. When several proposals competed, the winner's reason says so.
pub fn arbitrate(proposals: &[Proposal], current: u32, all_scale_in_tt_agree: bool) -> Option<Proposal> {
    let pick = |wanted: fn(u32, u32) -> bool, side: &str, how: &str| -> Option<Proposal> {
        let mut candidates = proposals.iter().filter(|p| wanted(p.desired, current));
        let first = candidates.next()?;
        let mut count = 1;
        let mut best = first;
        for p in candidates {
            count += 1;
            // Strictly greater: ties keep the earlier proposal.
            if p.desired > best.desired {
                best = p;
            }
        }
        let mut winner = best.clone();
        if count > 1 {
            winner.reason = format!("{}; {how} of {count} {side} proposals", winner.reason);
        }
        Some(winner)
    };
    if let Some(out) = pick(|d, c| d > c, "scale-out", "largest") {
        return Some(out);
    }
    if all_scale_in_tt_agree {
        return pick(|d, c| d < c, "scale-in", "least aggressive");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::autoscaling::target_tracking::TargetTrackingConfig;

    const S: u64 = MICROS_PER_SEC;

    fn proposal(policy: &str, desired: u32, direction: Direction) -> Proposal {
        Proposal {
            policy: policy.to_string(),
            desired,
            direction,
            reason: format!("{policy} wants {desired}"),
        }
    }

    #[test]
    fn clamp_into_bounds() {
        // (id, min, max, proposed, expected)
        let rows = [
            ("C7", 2, 10, 16, 10),
            ("C8", 1, 8, 0, 1),
            ("C11", 1, 10, 8, 8),
            ("C12", 0, 5, 6, 5),
            ("inside", 1, 8, 5, 5),
            ("inverted bounds: max wins", 6, 3, 4, 3),
        ];
        for (id, min, max, proposed, expected) in rows {
            assert_eq!(ScalableTarget::new(min, max, 1).clamp(proposed), expected, "{id}");
        }
    }

    #[test]
    fn set_bounds_clamps_desired() {
        // (id, (min, max, desired), new min, new max, returned, (min, max, desired) after)
        type Bounds = (u32, u32, u32);
        type Row = (&'static str, Bounds, Option<u32>, Option<u32>, Option<u32>, Bounds);
        let rows: [Row; 7] = [
            ("A7 max lowered", (1, 8, 4), None, Some(3), Some(3), (1, 3, 3)),
            ("A7 min raised", (1, 8, 4), Some(6), None, Some(6), (6, 8, 6)),
            ("G2 below new min", (1, 10, 4), Some(10), None, Some(10), (10, 10, 10)),
            ("G2 already at new min", (1, 10, 10), Some(10), None, None, (10, 10, 10)),
            ("G3 above new max", (1, 10, 5), None, Some(3), Some(3), (1, 3, 3)),
            ("both inside", (1, 8, 4), Some(2), Some(6), None, (2, 6, 4)),
            ("inverted: refused", (1, 8, 4), Some(9), None, None, (1, 8, 4)),
        ];
        for (id, (min, max, desired), new_min, new_max, returned, after) in rows {
            let mut t = ScalableTarget::new(min, max, desired);
            assert_eq!(t.set_bounds(new_min, new_max), returned, "{id}");
            assert_eq!((t.min, t.max, t.desired), after, "{id}");
        }
        let t = ScalableTarget::new(1, 8, 4);
        assert_eq!(
            t.resolve_bounds(Some(9), None).unwrap_err(),
            "min_capacity: 9 exceeds max_capacity 8 (both must be set to move past each other)"
        );
        assert_eq!(t.resolve_bounds(Some(9), Some(12)), Ok((9, 12)));
    }

    #[test]
    fn suspension_flags() {
        let mut t = ScalableTarget::new(1, 8, 4);
        assert!(t.allowed(Direction::Out) && t.allowed(Direction::In) && t.scheduled_allowed());
        t.dynamic_in_suspended = true;
        assert!(t.allowed(Direction::Out) && !t.allowed(Direction::In));
        t.dynamic_out_suspended = true;
        assert!(!t.allowed(Direction::Out));
        assert!(t.scheduled_allowed(), "dynamic flags do not stop scheduled actions");
        t.scheduled_suspended = true;
        assert!(!t.scheduled_allowed());
    }

    #[test]
    fn e1_e2_cooldown_durations_come_from_the_policy() {
        let default = TargetTrackingConfig::new(70.0);
        assert_eq!(
            (default.scale_in_cooldown_s, default.scale_out_cooldown_s),
            (300, 300),
            "E1"
        );
        let mut cfg = TargetTrackingConfig::new(70.0);
        cfg.scale_in_cooldown_s = 600;
        let mut c = Cooldowns::new(CooldownStart::ActivityEnd);
        c.started_in(0, cfg.scale_in_cooldown_s);
        c.started_out(0, cfg.scale_out_cooldown_s, 5);
        assert_eq!(c.in_cooldown(0), Some(600 * S), "E2: 10 min in");
        assert_eq!(c.out_cooldown(0), Some((300 * S, 5)), "E2: 5 min out");
    }

    #[test]
    fn e3_scale_out_cancels_scale_in_cooldown() {
        let mut c = Cooldowns::default();
        assert_eq!(c.admit_in(0, 4, 5), Some(4));
        c.started_in(0, 600);
        assert_eq!(c.admit_out(120 * S, 6, 4), Some(6), "applied immediately");
        assert_eq!(c.in_cooldown(120 * S), None, "scale-in cooldown cancelled");
        c.started_out(120 * S, 300, 6);
        // Much later, after the 15-minute low alarm, a scale-in is not blocked by the old clock.
        assert_eq!(c.admit_in(1000 * S, 5, 6), Some(5));
    }

    #[test]
    fn e4_scale_in_blocked_until_cooldown_expires() {
        let mut c = Cooldowns::default();
        assert_eq!(c.admit_in(0, 4, 5), Some(4));
        c.started_in(0, 600);
        // (t [us], admitted?)
        let rows = [(300 * S, None), (600 * S - 1, None), (600 * S, Some(3))];
        for (t, expected) in rows {
            assert_eq!(c.clone().admit_in(t, 3, 4), expected, "t = {t} us");
        }
    }

    #[test]
    fn d6_scale_out_during_cooldown_only_tops_up() {
        let mut c = Cooldowns::default();
        // At 10, a +2 step scales out to 12; the activity completes at t = 60 s.
        let base = c.out_origin(0, 10);
        assert_eq!(c.admit_out(0, base + 2, 10), Some(12));
        c.activity_ended(60 * S, Direction::Out, 300, 12);
        // At t = 120 s the alarm fires again and matches a +3 step, computed from the origin.
        let base = c.out_origin(120 * S, 12);
        assert_eq!(base, 10);
        assert_eq!(
            c.clone().admit_out(120 * S, base + 2, 12),
            None,
            "+2 again adds nothing"
        );
        assert_eq!(c.admit_out(120 * S, base + 3, 12), Some(13), "only +1 more");
        c.activity_ended(180 * S, Direction::Out, 300, 13);
        // The chain keeps its origin while cooldowns overlap, then forgets it.
        assert_eq!(c.out_origin(400 * S, 13), 10);
        assert_eq!(c.out_origin(480 * S, 13), 13);
    }

    #[test]
    fn scale_out_cooldown_admission_table() {
        // Last scale-out set 6, cooldown until t = 300 s. (id, now [s], proposed, current, expected)
        let rows = [
            ("not above last scale-out", 100, 6, 5, None),
            ("above last scale-out", 100, 7, 6, Some(7)),
            ("not a scale-out", 100, 6, 6, None),
            ("cooldown over", 300, 6, 5, Some(6)),
        ];
        for (id, now, proposed, current, expected) in rows {
            let mut c = Cooldowns::default();
            c.started_out(0, 300, 6);
            assert_eq!(c.admit_out(now * S, proposed, current), expected, "{id}");
        }
    }

    #[test]
    fn scale_in_cancels_scale_out_cooldown() {
        let mut c = Cooldowns::default();
        c.started_out(0, 300, 12);
        assert_eq!(
            c.admit_in(100 * S, 8, 12),
            Some(8),
            "the other direction is not blocked"
        );
        assert_eq!(c.out_cooldown(100 * S), None);
        assert_eq!(c.admit_out(110 * S, 11, 8), Some(11), "only has to beat the new count");
    }

    #[test]
    fn cooldown_start_edge() {
        // (edge, cooldown end expected after an activity from t = 10 s to t = 70 s, 300 s)
        let rows = [
            (CooldownStart::ActivityEnd, 370 * S),
            (CooldownStart::ActivityStart, 310 * S),
        ];
        for (edge, until) in rows {
            let mut c = Cooldowns::new(edge);
            c.activity_started(10 * S, Direction::In, 300, 3);
            c.activity_ended(70 * S, Direction::In, 300, 3);
            assert_eq!(c.in_cooldown(70 * S), Some(until), "{edge:?}");
        }
        assert_eq!(CooldownStart::default(), CooldownStart::ActivityEnd);
    }

    #[test]
    fn d7_largest_capacity_wins() {
        // Current 10: a step policy at +3 proposes 13, another at +200 % proposes 10 + 20 = 30.
        let proposals = [
            proposal("step+3", 13, Direction::Out),
            proposal("pct+200", 30, Direction::Out),
        ];
        let winner = arbitrate(&proposals, 10, false).unwrap();
        assert_eq!((winner.policy.as_str(), winner.desired), ("pct+200", 30));
        assert_eq!(winner.reason, "pct+200 wants 30; largest of 2 scale-out proposals");
    }

    #[test]
    fn arbitration_table() {
        use Direction::{In, Out};
        // (id, proposals as (policy, desired, direction), current, all TT agree, winner)
        type Row = (
            &'static str,
            Vec<(&'static str, u32, Direction)>,
            u32,
            bool,
            Option<(&'static str, u32)>,
        );
        let rows: Vec<Row> = vec![
            ("nothing", vec![], 5, true, None),
            ("single out", vec![("a", 7, Out)], 5, true, Some(("a", 7))),
            (
                "out beats in",
                vec![("a", 3, In), ("b", 6, Out)],
                5,
                true,
                Some(("b", 6)),
            ),
            (
                "out wins without agreement",
                vec![("a", 3, In), ("b", 6, Out)],
                5,
                false,
                Some(("b", 6)),
            ),
            (
                "ins agree: least aggressive",
                vec![("a", 2, In), ("b", 4, In)],
                5,
                true,
                Some(("b", 4)),
            ),
            (
                "ins without agreement",
                vec![("a", 2, In), ("b", 4, In)],
                5,
                false,
                None,
            ),
            (
                "no-change proposal ignored",
                vec![("a", 5, Out), ("b", 4, In)],
                5,
                true,
                Some(("b", 4)),
            ),
            ("no-change blocks nothing", vec![("a", 5, Out)], 5, true, None),
            (
                "tie keeps first",
                vec![("a", 8, Out), ("b", 8, Out)],
                5,
                true,
                Some(("a", 8)),
            ),
            (
                "side read from desired",
                vec![("stale", 7, In)],
                5,
                false,
                Some(("stale", 7)),
            ),
            (
                "C8 in to 0 (clamped later)",
                vec![("tt", 0, In)],
                3,
                true,
                Some(("tt", 0)),
            ),
        ];
        for (id, proposals, current, agree, expected) in rows {
            let proposals: Vec<Proposal> = proposals.into_iter().map(|(p, d, dir)| proposal(p, d, dir)).collect();
            let got = arbitrate(&proposals, current, agree);
            let got = got.as_ref().map(|p| (p.policy.as_str(), p.desired));
            assert_eq!(got, expected, "{id}");
        }
    }

    #[test]
    fn deadline_saturates() {
        let mut c = Cooldowns::default();
        c.started_in(u64::MAX - 5, 300);
        assert_eq!(c.in_cooldown(u64::MAX - 1), Some(u64::MAX));
    }
}
