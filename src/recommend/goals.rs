//! Choosing among benchmarked endpoint configurations: the instance count that meets a
//! load test's `MaxInvocations`, the order results are listed in, and Studio's deployment
//! goals (cost, latency and throughput, each from lowest to highest importance) as a score
//! (docs/semantics/load-tests.md §2).
//!
//! AWS does not publish how Studio weighs the goals. The score here: each goal's importance
//! is a weight from 1 (lowest) to 5 (highest); each candidate's badness on a goal is its
//! figure over the best candidate's (cost per inference and model latency: lower is better;
//! maximum invocations: higher is better, so the best over the candidate's); the score is the
//! weighted sum, and the lowest score wins. Ties go to the lower cost per hour, then to the
//! instance type's name.

/// How much a deployment goal matters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Importance {
    #[default]
    Lowest,
    Low,
    Moderate,
    High,
    Highest,
}

impl Importance {
    /// The goal's weight in the score: 1 (lowest) to 5 (highest).
    pub fn weight(self) -> f64 {
        match self {
            Importance::Lowest => 1.0,
            Importance::Low => 2.0,
            Importance::Moderate => 3.0,
            Importance::High => 4.0,
            Importance::Highest => 5.0,
        }
    }
}

/// Studio's deployment goals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeploymentGoals {
    pub cost: Importance,
    pub latency: Importance,
    pub throughput: Importance,
}

/// One benchmarked configuration, by the figures of its recommendation.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub instance_type: String,
    /// `CostPerHour` \[USD\].
    pub cost_per_hour: f64,
    /// `CostPerInference` \[USD\].
    pub cost_per_inference: f64,
    /// `ModelLatency` \[µs\].
    pub model_latency_us: f64,
    /// `MaximumInvocations` \[per minute\].
    pub maximum_invocations: u64,
}

/// Each candidate's score under `goals` (lower is better), in the candidates' order. A figure
/// of zero (or below) has no meaningful ratio: the candidate's badness on that goal is then
/// infinite when it is the worse side, so it never wins on it.
pub fn scores(goals: DeploymentGoals, candidates: &[Candidate]) -> Vec<f64> {
    let min_of = |f: fn(&Candidate) -> f64| candidates.iter().map(f).fold(f64::INFINITY, f64::min);
    let best_cost = min_of(|c| c.cost_per_inference);
    let best_latency = min_of(|c| c.model_latency_us);
    let best_throughput = candidates.iter().map(|c| c.maximum_invocations).max().unwrap_or(0) as f64;
    let ratio = |x: f64, best: f64| if best > 0.0 { x / best } else { f64::INFINITY };
    candidates
        .iter()
        .map(|c| {
            let cost = ratio(c.cost_per_inference, best_cost);
            let latency = ratio(c.model_latency_us, best_latency);
            let throughput = ratio(best_throughput, c.maximum_invocations as f64);
            goals.cost.weight() * cost + goals.latency.weight() * latency + goals.throughput.weight() * throughput
        })
        .collect()
}

/// Candidate indices from best to worst under `goals` (ties: lower cost per hour, then the
/// instance type's name).
pub fn rank(goals: DeploymentGoals, candidates: &[Candidate]) -> Vec<usize> {
    let s = scores(goals, candidates);
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&candidates[a], &candidates[b]);
        s[a].total_cmp(&s[b])
            .then(x.cost_per_hour.total_cmp(&y.cost_per_hour))
            .then(x.instance_type.cmp(&y.instance_type))
    });
    order
}

/// The order results are listed in without goals: ascending model latency, then cost per
/// inference, then instance type (the order of the service's example response).
pub fn listing_order(candidates: &[Candidate]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&candidates[a], &candidates[b]);
        x.model_latency_us
            .total_cmp(&y.model_latency_us)
            .then(x.cost_per_inference.total_cmp(&y.cost_per_inference))
            .then_with(|| x.instance_type.cmp(&y.instance_type))
    });
    order
}

/// `InitialInstanceCount`: the instances that meet `max_invocations` per minute when a
/// benchmark of `instances` instances peaked at `peak_per_minute` (the fleet's figure, so one
/// instance gives `peak_per_minute / instances`); 1 without a `MaxInvocations` or a peak.
pub fn initial_instance_count(max_invocations: Option<u64>, peak_per_minute: u64, instances: u32) -> u32 {
    let Some(target) = max_invocations else { return 1 };
    if peak_per_minute == 0 || instances == 0 {
        return 1;
    }
    // ceil(target / (peak / instances)) in integers: ceil(target x instances / peak).
    let needed = (u128::from(target) * u128::from(instances)).div_ceil(u128::from(peak_per_minute));
    u32::try_from(needed).unwrap_or(u32::MAX).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default job's three rows (worked examples L9-L11).
    fn rows() -> Vec<Candidate> {
        let row = |t: &str, cph: f64, cpi: f64, lat: f64, inv: u64| Candidate {
            instance_type: t.to_string(),
            cost_per_hour: cph,
            cost_per_inference: cpi,
            model_latency_us: lat,
            maximum_invocations: inv,
        };
        vec![
            row("ml.c5.xlarge", 0.204, 5.246913588052848e-06, 263596.0, 648),
            row("ml.c5d.large", 0.115, 2.92620870823157e-06, 826019.0, 655),
            row("ml.m5.large", 0.115, 3.3625731248321244e-06, 1085446.0, 570),
        ]
    }

    fn goals(cost: Importance, latency: Importance, throughput: Importance) -> DeploymentGoals {
        DeploymentGoals {
            cost,
            latency,
            throughput,
        }
    }

    fn rounded(s: Vec<f64>) -> Vec<f64> {
        s.into_iter().map(|x| (x * 1000.0).round() / 1000.0).collect()
    }

    use Importance::{Highest, Lowest};

    #[test]
    fn cost_first_picks_the_cheapest_inference() {
        // Worked example L16: 5 x cost + latency + throughput.
        let r = rows();
        let g = goals(Highest, Lowest, Lowest);
        assert_eq!(rounded(scores(g, &r)), [10.976, 9.134, 11.013]);
        assert_eq!(r[rank(g, &r)[0]].instance_type, "ml.c5d.large");
    }

    #[test]
    fn latency_first_and_throughput_first_pick_the_fastest() {
        let r = rows();
        let g = goals(Lowest, Highest, Lowest);
        assert_eq!(rounded(scores(g, &r)), [7.804, 17.668, 22.887]);
        assert_eq!(rank(g, &r), [0, 1, 2]);
        // ml.c5d.large has the most invocations (655) but loses on latency.
        let g = goals(Lowest, Lowest, Highest);
        assert_eq!(rounded(scores(g, &r)), [7.847, 9.134, 11.013]);
        assert_eq!(r[rank(g, &r)[0]].instance_type, "ml.c5.xlarge");
    }

    #[test]
    fn equal_scores_go_to_the_cheaper_hour_then_the_name() {
        let mut r = rows();
        r.truncate(1);
        let mut twin = r[0].clone();
        twin.instance_type = "ml.a.twin".into();
        r.push(twin.clone());
        assert_eq!(rank(DeploymentGoals::default(), &r), [1, 0]);
        r[1].cost_per_hour = 0.3;
        r[1].cost_per_inference = r[0].cost_per_inference;
        assert_eq!(rank(DeploymentGoals::default(), &r), [0, 1]);
    }

    #[test]
    fn results_are_listed_by_model_latency() {
        // Worked example L15: the default job's rows come in ascending ModelLatency.
        let mut r = rows();
        r.reverse();
        let order: Vec<&str> = listing_order(&r).iter().map(|&i| r[i].instance_type.as_str()).collect();
        assert_eq!(order, ["ml.c5.xlarge", "ml.c5d.large", "ml.m5.large"]);
    }

    #[test]
    fn the_instance_count_meets_max_invocations() {
        // Worked example L13: 1113 per minute over 3 instances is 371 each; 1000 takes 3.
        assert_eq!(initial_instance_count(Some(1000), 1113, 3), 3);
        // Exactly enough needs no more: 742 = 2 x 371.
        assert_eq!(initial_instance_count(Some(742), 1113, 3), 2);
        assert_eq!(initial_instance_count(Some(743), 1113, 3), 3);
        // The notebook's 30000 per minute on one instance peaking at 5460: 6.
        assert_eq!(initial_instance_count(Some(30_000), 5460, 1), 6);
        assert_eq!(initial_instance_count(None, 648, 1), 1);
        assert_eq!(initial_instance_count(Some(10), 0, 1), 1);
        assert_eq!(initial_instance_count(Some(1), 648, 1), 1);
    }
}
