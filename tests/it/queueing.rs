//! Statistical checks against queueing theory. Each test states its tolerance and why.
//!
//! Method. Every estimate comes from `K` independent replications (seeds `1..=K`, each a warm
//! endpoint starting empty). The replications are i.i.d., so the standard error of their mean is
//! `sd / sqrt(K)` with no batch-correlation worry (which batch means within one run would have).
//! Each check uses a per-replication standard deviation `sd_cal`, calibrated once over 20 seeds
//! (quoted in the test's comment) or derived from theory where that is simple, and asserts
//!
//! * bias: `|mean - theory| <= 4 * sd_cal / sqrt(K)` (a correct simulator fails this with
//!   probability ~6e-5 per check, treating the mean as normal), and
//! * precision: the sample sd of this run's replications is at most `2 * sd_cal`, so a simulator
//!   that became much noisier cannot pass the bias check merely because its tolerance is loose.
//!   (With `K >= 8` the sample sd is within +-27 % of the true one at one sigma; 2x is > 3.5
//!   sigma.)
//!
//! `QUEUEING_REPS=20 cargo test --test it queueing -- --nocapture` reruns every check with 20
//! replications and prints the sample sds, to recalibrate after a deliberate model change.
//!
//! Statistical runs last half an hour to an hour and start empty; the start-up transient lasts
//! seconds (relaxation time `1 / (c mu (1 - sqrt(rho))^2)` is 2-4 s here), so its bias is ~1e-3
//! of the estimates, well below the tolerances. Service times are 10-100 ms so that one hour
//! holds 250-320 k requests (0.1-0.2 s of test time per replication, ~7 s for the whole file).

use crate::common::mmc;
use fleetsim::engine::SimDuration;
use fleetsim::model::metrics::MetricsConfig;
use fleetsim::model::{DurationDist, Routing, VariantId};
use fleetsim::sim::{run, RunResult, SimConfig};

/// Replication standard errors allowed between the estimate and theory.
const Z: f64 = 4.0;

// ---------------------------------------------------------------------------------------------
// Theory
// ---------------------------------------------------------------------------------------------

/// Erlang C: probability that an arrival waits in M/M/c with offered load `a = lambda / mu < c`.
/// Computed from the Erlang B recursion `B(k) = a B(k-1) / (k + a B(k-1))`, which is stable.
fn erlang_c(c: u32, a: f64) -> f64 {
    assert!(a < f64::from(c), "unstable: a = {a} >= c = {c}");
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (f64::from(k) + a * b);
    }
    let rho = a / f64::from(c);
    b / (1.0 - rho * (1.0 - b))
}

/// Mean wait in queue of M/M/c [s]: `C(c, a) / (c mu - lambda)`.
fn mmc_wq(c: u32, lambda: f64, mu: f64) -> f64 {
    erlang_c(c, lambda / mu) / (f64::from(c) * mu - lambda)
}

/// Stationary distribution of the number in system of the birth-death chain M/M/c/(c+room):
/// `p_n ~ a^n / n!` for `n <= c` and `p_c rho^(n-c)` above. An infinite waiting room is
/// approximated by a room where the geometric tail has dropped below 1e-16.
fn mmc_distribution(c: u32, a: f64, room: Option<usize>) -> Vec<f64> {
    let rho = a / f64::from(c);
    let room = room.unwrap_or_else(|| {
        assert!(rho < 1.0);
        ((1e-16f64).ln() / rho.ln()).ceil() as usize + 1
    });
    let mut p = Vec::with_capacity(c as usize + room + 1);
    let mut x = 1.0;
    p.push(x);
    for n in 1..=(c as usize + room) {
        x *= if n <= c as usize { a / n as f64 } else { rho };
        p.push(x);
    }
    let s: f64 = p.iter().sum();
    p.iter_mut().for_each(|x| *x /= s);
    p
}

/// Mean and variance of a distribution on `0, 1, 2, ...`.
fn moments(p: &[f64]) -> (f64, f64) {
    let m: f64 = p.iter().enumerate().map(|(n, x)| n as f64 * x).sum();
    let v: f64 = p.iter().enumerate().map(|(n, x)| (n as f64 - m).powi(2) * x).sum();
    (m, v)
}

/// Pollaczek-Khinchine mean wait of M/G/1 [µs]: `lambda E[S^2] / (2 (1 - rho))` with
/// `E[S^2] = E[S]^2 (1 + scv)`.
fn pk_wq_us(lambda: f64, service: &DurationDist) -> f64 {
    let s = service.mean_micros() / 1e6;
    let rho = lambda * s;
    assert!(rho < 1.0);
    let es2 = s * s * (1.0 + service.scv());
    lambda * es2 / (2.0 * (1.0 - rho)) * 1e6
}

// ---------------------------------------------------------------------------------------------
// Simulation helpers
// ---------------------------------------------------------------------------------------------

fn exp_ms(ms: u64) -> DurationDist {
    DurationDist::Exponential {
        mean: SimDuration::from_millis(ms),
    }
}

/// Runs replications with seeds `1..=k`. `QUEUEING_REPS=20` overrides `k`, to recalibrate the
/// per-replication standard deviations (printed by [`check`]).
fn replicate(k: u64, make: impl Fn(u64) -> SimConfig) -> Vec<RunResult> {
    let k = std::env::var("QUEUEING_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(k);
    (1..=k).map(|seed| run(make(seed))).collect()
}

/// Fraction of served requests that waited in the backlog.
fn p_wait(r: &RunResult) -> f64 {
    r.totals.waited as f64 / r.totals.served as f64
}

/// Mean backlog wait over served requests [ms].
fn wq_ms(r: &RunResult) -> f64 {
    r.totals.wait_sum_us as f64 / r.totals.served as f64 / 1000.0
}

fn mean_sd(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let m = xs.iter().sum::<f64>() / n;
    let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
    (m, v.sqrt())
}

/// Checks the mean of replication estimates `xs` against `theory` (see the module comment):
/// `|mean - theory| <= Z sd_cal / sqrt(K)` and sample sd `<= 2 sd_cal`.
fn check(what: &str, xs: &[f64], theory: f64, sd_cal: f64) {
    let k = xs.len() as f64;
    let (mean, sd) = mean_sd(xs);
    let tol = Z * sd_cal / k.sqrt();
    eprintln!(
        "{what}: sim {mean:.5} theory {theory:.5} diff {:+.5} ({:+.2} %) | tol {tol:.5} | se {:.5} (sd {sd:.5}, calibrated {sd_cal:.5}, K {k})",
        mean - theory,
        (mean / theory - 1.0) * 100.0,
        sd / k.sqrt(),
    );
    assert!(
        (mean - theory).abs() <= tol,
        "{what}: sim {mean} vs theory {theory}, tolerance {tol}"
    );
    assert!(
        sd <= 2.0 * sd_cal,
        "{what}: replication sd {sd} exceeds twice the calibrated {sd_cal}"
    );
}

// ---------------------------------------------------------------------------------------------
// 1. M/M/c against Erlang C
// ---------------------------------------------------------------------------------------------

#[test]
fn erlang_c_formula_reproduces_textbook_values() {
    // lambda 90/s, mu 10/s, c 10: a = 9, rho = 0.9.
    let c = erlang_c(10, 9.0);
    assert!((c - 0.6687).abs() < 5e-5, "{c}");
    assert!((mmc_wq(10, 90.0, 10.0) * 1e3 - 66.87).abs() < 5e-3);
    // M/M/1: C = rho.
    assert!((erlang_c(1, 0.7) - 0.7).abs() < 1e-12);
    // Little: E[N] of the birth-death chain equals lambda (Wq + 1/mu).
    let (l, _) = moments(&mmc_distribution(10, 9.0, None));
    assert!((l - 90.0 * (mmc_wq(10, 90.0, 10.0) + 0.1)).abs() < 1e-9, "{l}");
}

/// M/M/10 (10 instances x concurrency 1), lambda 90/s, exponential service with mean 100 ms:
/// P(wait) = C(10, 9) = 0.6687 and Wq = 66.87 ms.
///
/// Tolerance: K = 10 one-hour replications (~324 k requests each). Calibrated per-replication sd
/// (20 seeds): P(wait) 0.0071, Wq 2.66 ms (heavy traffic makes the wait mean noisy: ~4 % per
/// hour). So the tolerance is 4 * sd / sqrt(10): +-0.0090 on P(wait) (1.3 %) and +-3.4 ms on Wq
/// (5.0 %).
#[test]
fn mmc_ten_single_slot_instances_matches_erlang_c() {
    let (c, lambda, mu) = (10, 90.0, 10.0);
    let rs = replicate(10, |s| mmc(lambda, exp_ms(100), 10, 1, 3600, s));
    let pw: Vec<f64> = rs.iter().map(p_wait).collect();
    let wq: Vec<f64> = rs.iter().map(wq_ms).collect();
    check("M/M/10 P(wait)", &pw, erlang_c(c, lambda / mu), 0.0071);
    check("M/M/10 Wq [ms]", &wq, mmc_wq(c, lambda, mu) * 1e3, 2.66);
}

/// Concurrency slots behave like servers: M/M/8 built as 2 instances x 4 slots, lambda 68/s,
/// exponential service with mean 100 ms: a = 6.8, rho = 0.85, P(wait) = C(8, 6.8) = 0.5726,
/// Wq = 47.71 ms.
///
/// Tolerance: K = 8 one-hour replications (~245 k requests each). Calibrated per-replication sd
/// (20 seeds): P(wait) 0.0070, Wq 1.78 ms. Tolerance 4 * sd / sqrt(8): +-0.0099 on P(wait)
/// (1.7 %) and +-2.5 ms on Wq (5.3 %).
///
/// Stronger and exact: with one FIFO backlog per fleet, routing that never leaves a slot idle
/// while a request waits, and service times drawn at arrival, every request's start time follows
/// the multi-server FIFO recursion (Kiefer-Wolfowitz), whatever slot serves it. So 8 x 1,
/// 2 x 4, 4 x 2 (random routing) and 1 x 8 must give *identical* waits, request by request, for
/// the same seed; the totals are compared exactly (tolerance zero).
#[test]
fn concurrency_slots_behave_like_servers() {
    let (c, lambda, mu) = (8, 68.0, 10.0);
    let rs = replicate(8, |s| mmc(lambda, exp_ms(100), 2, 4, 3600, s));
    let pw: Vec<f64> = rs.iter().map(p_wait).collect();
    let wq: Vec<f64> = rs.iter().map(wq_ms).collect();
    check("M/M/8 as 2x4 P(wait)", &pw, erlang_c(c, lambda / mu), 0.0070);
    check("M/M/8 as 2x4 Wq [ms]", &wq, mmc_wq(c, lambda, mu) * 1e3, 1.78);

    let fingerprint = |r: &RunResult| {
        let t = &r.totals;
        (
            t.arrived,
            t.served,
            t.waited,
            t.wait_sum_us,
            t.completed,
            t.latency_sum_us,
            r.in_flight_at_end,
        )
    };
    for seed in 1..=2 {
        let layouts = [
            (8, 1, Routing::LeastOutstandingRequests),
            (2, 4, Routing::LeastOutstandingRequests),
            (4, 2, Routing::Random),
            (1, 8, Routing::LeastOutstandingRequests),
        ];
        let prints: Vec<_> = layouts
            .iter()
            .map(|&(instances, concurrency, routing)| {
                let mut cfg = mmc(lambda, exp_ms(100), instances, concurrency, 900, seed);
                cfg.endpoint.routing = routing;
                fingerprint(&run(cfg))
            })
            .collect();
        assert!(prints[0].2 > 0, "the comparison needs waiting requests");
        for (layout, print) in layouts.iter().zip(&prints) {
            assert_eq!(*print, prints[0], "seed {seed}: {layout:?} differs from 8 x 1");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 2. M/D/1 and M/G/1 against Pollaczek-Khinchine
// ---------------------------------------------------------------------------------------------

/// M/D/1: constant 10 ms service, lambda 80/s, rho = 0.8: Wq = rho S / (2 (1 - rho)) = 20 ms,
/// and P(wait) = rho (PASTA: an arrival waits iff the server is busy).
///
/// Tolerance: K = 8 one-hour replications (~288 k requests each). Calibrated per-replication sd
/// (20 seeds): P(wait) 0.0019, Wq 0.288 ms. Tolerance 4 * sd / sqrt(8): +-0.0027 on P(wait)
/// (0.34 %) and +-0.41 ms on Wq (2.0 %).
#[test]
fn md1_matches_pollaczek_khinchine() {
    let lambda = 80.0;
    let service = DurationDist::Constant(SimDuration::from_millis(10));
    let rho = lambda * service.mean_micros() / 1e6;
    let theory_ms = pk_wq_us(lambda, &service) / 1e3;
    // The general formula reduces to the deterministic one.
    assert!((theory_ms - rho * 10.0 / (2.0 * (1.0 - rho))).abs() < 1e-9);
    let rs = replicate(8, |s| mmc(lambda, service.clone(), 1, 1, 3600, s));
    let pw: Vec<f64> = rs.iter().map(p_wait).collect();
    let wq: Vec<f64> = rs.iter().map(wq_ms).collect();
    check("M/D/1 P(wait)", &pw, rho, 0.0019);
    check("M/D/1 Wq [ms]", &wq, theory_ms, 0.288);
}

/// M/G/1 with two non-exponential service laws, through `DurationDist::mean_micros` and `scv`:
///
/// * Gamma, mean 10 ms, cv 1.5 (scv 2.25), lambda 70/s: rho 0.7, Wq = 37.92 ms.
/// * LogNormal, median 8 ms, p99 40 ms (mean 10.16 ms, scv 0.614), lambda 80/s: rho 0.813,
///   Wq = 35.57 ms.
///
/// Tolerance: K = 8 one-hour replications each (~250-290 k requests). Calibrated
/// per-replication sd (20 seeds): Gamma P(wait) 0.0027, Wq 0.847 ms; LogNormal P(wait)
/// 0.0026, Wq 0.643 ms. Tolerance 4 * sd / sqrt(8): Gamma +-1.2 ms (3.2 %), LogNormal +-0.91 ms
/// (2.6 %) on Wq; +-0.004 (0.5 %) on P(wait) = rho.
#[test]
fn mg1_matches_pollaczek_khinchine() {
    let cases = [
        (
            "Gamma cv 1.5",
            70.0,
            DurationDist::gamma(SimDuration::from_millis(10), 1.5).unwrap(),
            0.0027,
            0.847,
        ),
        (
            "LogNormal 8/40 ms",
            80.0,
            DurationDist::lognormal(SimDuration::from_millis(8), SimDuration::from_millis(40)),
            0.0026,
            0.643,
        ),
    ];
    for (name, lambda, service, sd_pw, sd_wq) in cases {
        let rho = lambda * service.mean_micros() / 1e6;
        let rs = replicate(8, |s| mmc(lambda, service.clone(), 1, 1, 3600, s));
        let pw: Vec<f64> = rs.iter().map(p_wait).collect();
        let wq: Vec<f64> = rs.iter().map(wq_ms).collect();
        check(&format!("M/G/1 {name} P(wait)"), &pw, rho, sd_pw);
        check(
            &format!("M/G/1 {name} Wq [ms]"),
            &wq,
            pk_wq_us(lambda, &service) / 1e3,
            sd_wq,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Little's law
// ---------------------------------------------------------------------------------------------

/// Little's law on M/M/8 (2 instances x 4 slots, lambda 68/s, exponential 100 ms).
///
/// * In service, sample path: the time-average of busy slots, recovered from the per-period
///   `CPUUtilization` (busy / slots x 100 x vCPUs) times the slot-time of the period
///   (`mean_in_service x concurrency x length`), must equal the total `ModelLatency` of the
///   requests that finished, divided by the run length. The first can only exceed the second, by
///   the partial service of the <= 8 requests still in service at the end (~0.8 s of ~24,500
///   busy slot-seconds, 3e-5), so the tolerance is a relative [-1e-9, 1e-4] per run.
/// * In service, theory: mean busy slots = lambda E[S] = 6.8. The busy integral is a sum of
///   ~245 k service times: relative sd sqrt((1 + scv) / (lambda T)) = 0.29 % per hour, i.e.
///   0.019 slots; calibrated over 20 seeds 0.0224. Tolerance 4 * 0.0224 / sqrt(8) = 0.032
///   (0.47 %).
/// * Whole system: the high-resolution `ConcurrentRequestsPerModel` samples (in flight plus
///   waiting, per in-service instance, every 10 s) times the instance count average to
///   L = lambda (Wq + E[S]) = 10.04, the mean of the M/M/8 stationary distribution. Samples
///   10 s apart are nearly independent (relaxation time ~2 s), so one hour's 360 samples give
///   a per-run sd of about sd(N) / sqrt(360) = 6.34 / 19.0 = 0.334, computed below from the
///   stationary distribution, times 1.1 for the residual correlation (the variance of 60 s
///   means of 6 samples was measured 1.15 x Var(N) / 6), i.e. 0.37 (20 seeds measured 0.27).
///   Tolerance 4 * 0.37 / sqrt(8) = 0.52 (5.2 %): sampling every 10 s, not the time integral,
///   is what makes this check much looser than the busy-slot one.
#[test]
fn littles_law_for_busy_slots_and_concurrent_requests() {
    let (c, lambda, mu, instances, concurrency) = (8, 68.0, 10.0, 2, 4);
    let a = lambda / mu;
    let rs = replicate(8, |s| mmc(lambda, exp_ms(100), instances, concurrency, 3600, s));
    let vcpus = f64::from(
        mmc(1.0, exp_ms(1), 1, 1, 1, 1).endpoint.variants[0]
            .instance
            .vcpus
            .unwrap(),
    );
    let mut busy = Vec::new();
    let mut l = Vec::new();
    let mut samples = 0.0;
    for r in &rs {
        let t_us = r.duration.0 as f64;
        let busy_from_cpu: f64 = r
            .points
            .iter()
            .map(|p| {
                let v = &p.variants[0];
                let slot_us = v.mean_in_service * f64::from(concurrency) * p.length_us as f64;
                v.cpu_utilization.unwrap() / (100.0 * vcpus) * slot_us
            })
            .sum::<f64>()
            / t_us;
        let busy_from_latency = r.points.iter().map(|p| p.variants[0].model_latency.sum).sum::<f64>() / t_us;
        let excess = busy_from_cpu / busy_from_latency - 1.0;
        assert!(
            (-1e-9..1e-4).contains(&excess),
            "seed {}: busy slots from CPUUtilization {busy_from_cpu} vs from ModelLatency {busy_from_latency}",
            r.seed
        );
        busy.push(busy_from_cpu);
        let conc: Vec<f64> = r
            .points
            .iter()
            .map(|p| {
                p.variants[0].concurrent_requests_per_model.unwrap() * f64::from(p.variants[0].instances.in_service)
            })
            .collect();
        samples = (r.duration.0 / MetricsConfig::default().high_resolution_period.0) as f64;
        l.push(conc.iter().sum::<f64>() / conc.len() as f64);
    }
    let (l_theory, var_n) = moments(&mmc_distribution(c, a, None));
    assert!((l_theory - lambda * (mmc_wq(c, lambda, mu) + 1.0 / mu)).abs() < 1e-9);
    let sd_sampled_mean = 1.1 * (var_n / samples).sqrt();
    eprintln!(
        "M/M/8: sd(N) = {:.3}; per-run sd of the sampled mean {sd_sampled_mean:.3}",
        var_n.sqrt()
    );
    check("Little busy slots = lambda E[S]", &busy, a, 0.0224);
    check(
        "Little L = lambda (Wq + E[S]) from 10 s samples",
        &l,
        l_theory,
        sd_sampled_mean,
    );
}

// ---------------------------------------------------------------------------------------------
// 4. Conservation and error rates
// ---------------------------------------------------------------------------------------------

/// Sets the error rates of the only variant.
fn with_errors(mut cfg: SimConfig, error_rate: f64, client_error_rate: f64) -> SimConfig {
    let m = &mut cfg.endpoint.variants[0].model;
    m.error_rate = error_rate;
    m.client_error_rate = client_error_rate;
    cfg
}

/// Sets the backlog bound and the invocation timeout.
fn bounded(mut cfg: SimConfig, capacity: u64, timeout: SimDuration) -> SimConfig {
    cfg.endpoint.backlog_capacity = capacity;
    cfg.endpoint.invocation_timeout = timeout;
    cfg
}

/// Asserts that a binomial proportion `k / n` matches `p` within 4 standard errors
/// `sqrt(p (1 - p) / n)`: outcomes are drawn i.i.d. from their own stream, independently of
/// arrival and service times, so the count is exactly binomial given `n`.
fn check_binomial(what: &str, k: u64, n: u64, p: f64) {
    let phat = k as f64 / n as f64;
    let se = (p * (1.0 - p) / n as f64).sqrt();
    eprintln!("{what}: {phat:.5} vs {p:.5} (n {n}, se {se:.5}, tol {:.5})", 4.0 * se);
    assert!(
        (phat - p).abs() <= 4.0 * se,
        "{what}: {k}/{n} = {phat} vs {p}, tolerance {}",
        4.0 * se
    );
}

/// Every arrival is accounted for exactly once, in several regimes: overload with a bounded
/// backlog and a short timeout, overload limited by timeouts only, a cold start with scale-out and
/// a scale-in that drains busy instances, random routing with a tiny backlog, no waiting room at
/// all, and a zero timeout (each case also asserts that it exercises what it claims). Checked
/// exactly (integers): `arrived == accounted() + in_flight_at_end`; per-period sums equal the run
/// totals; requests that took a slot either finished or still hold one at the end; the backlog
/// never exceeds its capacity and no served request waited the timeout. A zero timeout and a
/// zero-capacity backlog are the same loss system, so under the same seed they lose exactly the
/// same requests.
///
/// Error rates (`ModelVersion` docs): a request is rejected 4XX at once with probability
/// `client_error_rate`, and a *served* request ends 5XX with probability `error_rate`. So among
/// requests that reached the variant the 4XX fraction is `client_error_rate`, and among requests
/// that finished service the 5XX fraction is `error_rate` (timeouts and rejections do not depend
/// on the outcome, which is drawn from its own stream). Tolerance: 4 binomial standard errors
/// (n = 6 k to 180 k per case, e.g. +-0.0055 for p = 0.1 at n = 48 k).
#[test]
fn every_request_is_accounted_for() {
    use fleetsim::engine::SimTime;
    use fleetsim::model::ActivityKind;
    use fleetsim::sim::{CapacityUpdate, StartState};

    let ms = SimDuration::from_millis;
    let cold_scaling = {
        let service = DurationDist::lognormal(ms(300), ms(1500));
        let mut cfg = bounded(
            with_errors(mmc(20.0, service, 2, 2, 900, 4), 0.3, 0.1),
            50,
            SimDuration::from_secs(2),
        );
        cfg.endpoint.start = StartState::Cold;
        cfg.endpoint.variants[0].model.load_slowdown = 0.5;
        cfg.endpoint.variants[0].model.overhead = ms(3);
        cfg.endpoint.capacity_updates = vec![
            CapacityUpdate {
                at: SimTime::from_secs(300),
                variant: VariantId(0),
                desired: 6,
            },
            CapacityUpdate {
                at: SimTime::from_secs(600),
                variant: VariantId(0),
                desired: 1,
            },
        ];
        cfg
    };
    let random_overload = {
        let mut cfg = bounded(with_errors(mmc(300.0, exp_ms(20), 3, 3, 600, 5), 0.05, 0.0), 5, ms(40));
        cfg.endpoint.routing = Routing::Random;
        cfg
    };
    type Exercises = fn(&RunResult) -> bool;
    let cases: Vec<(&str, SimConfig, Exercises)> = vec![
        (
            "overload, backlog 20, timeout 300 ms",
            bounded(
                with_errors(mmc(200.0, exp_ms(50), 2, 2, 600, 1), 0.1, 0.05),
                20,
                ms(300),
            ),
            |r| r.totals.timed_out > 0 && r.totals.rejected_backlog_full > 0,
        ),
        (
            "overload, unbounded backlog, timeout 1 s",
            {
                let mut cfg = bounded(
                    with_errors(mmc(120.0, exp_ms(100), 10, 1, 600, 2), 0.02, 0.01),
                    u64::MAX,
                    ms(1000),
                );
                cfg.endpoint.variants[0].model.overhead = ms(5);
                cfg
            },
            |r| r.totals.timed_out > 0 && r.in_flight_at_end > 10 && r.totals.rejected_backlog_full == 0,
        ),
        (
            "cold start, scale out to 6, scale in to 1 while busy",
            cold_scaling,
            |r| {
                let drained = r
                    .activities
                    .iter()
                    .filter(|a| a.kind == ActivityKind::InstanceDraining)
                    .count();
                r.totals.rejected_no_capacity > 0 && r.totals.timed_out > 0 && drained >= 4
            },
        ),
        ("random routing, backlog 5, timeout 40 ms", random_overload, |r| {
            r.totals.rejected_backlog_full > 0 && r.totals.timed_out > 0
        }),
        (
            "no waiting room",
            bounded(mmc(50.0, exp_ms(100), 4, 1, 600, 3), 0, SimDuration::from_secs(60)),
            |r| r.totals.rejected_backlog_full > 0 && r.totals.waited == 0 && r.totals.timed_out == 0,
        ),
        (
            "zero timeout",
            bounded(
                with_errors(mmc(50.0, exp_ms(100), 4, 1, 600, 3), 0.5, 0.0),
                u64::MAX,
                SimDuration::ZERO,
            ),
            // A request that cannot start at once times out at once: nobody is served after waiting.
            |r| r.totals.timed_out > 0 && r.totals.waited == 0 && r.totals.rejected_backlog_full == 0,
        ),
    ];
    let mut results = Vec::new();
    for (name, cfg, exercises) in cases {
        let capacity = cfg.endpoint.backlog_capacity;
        let timeout = cfg.endpoint.invocation_timeout;
        let model = cfg.endpoint.variants[0].model.clone();
        let r = run(cfg);
        let t = &r.totals;
        assert!(exercises(&r), "{name}: the case does not exercise what it claims");
        eprintln!(
            "{name}: arrived {} completed {} 4xx {} 5xx {} timed out {} full {} no capacity {} in flight {}",
            t.arrived,
            t.completed,
            t.errors_4xx,
            t.errors_5xx,
            t.timed_out,
            t.rejected_backlog_full,
            t.rejected_no_capacity,
            r.in_flight_at_end
        );
        assert_eq!(
            t.arrived,
            r.accounted() + r.in_flight_at_end,
            "{name}: arrivals not conserved"
        );

        // Per-period datapoints add up to the totals.
        let sum = |f: &dyn Fn(&fleetsim::model::metrics::VariantPoint) -> u64| -> u64 {
            r.points.iter().map(|p| f(&p.variants[0])).sum()
        };
        assert_eq!(r.points.iter().map(|p| p.arrivals).sum::<u64>(), t.arrived, "{name}");
        assert_eq!(sum(&|v| v.requests.completed), t.completed, "{name}");
        assert_eq!(sum(&|v| v.requests.errors_4xx), t.errors_4xx, "{name}");
        assert_eq!(sum(&|v| v.requests.errors_5xx), t.errors_5xx, "{name}");
        assert_eq!(sum(&|v| v.requests.timed_out), t.timed_out, "{name}");
        assert_eq!(
            sum(&|v| v.requests.rejected_backlog_full),
            t.rejected_backlog_full,
            "{name}"
        );
        assert_eq!(
            sum(&|v| v.requests.rejected_no_capacity),
            t.rejected_no_capacity,
            "{name}"
        );
        assert_eq!(
            sum(&|v| v.requests.invocations),
            t.arrived - t.rejected_no_capacity,
            "{name}: Invocations"
        );
        assert_eq!(
            sum(&|v| v.model_latency.sample_count),
            t.completed + t.errors_5xx,
            "{name}: ModelLatency count"
        );

        // Served requests finished or still hold a slot; the rest of in-flight is the backlog.
        let last = &r.points.last().unwrap().variants[0];
        assert!(last.backlog_end <= r.in_flight_at_end, "{name}");
        let holding = r.in_flight_at_end - last.backlog_end;
        assert_eq!(t.served, t.completed + t.errors_5xx + holding, "{name}: served");
        assert!(t.waited <= t.served, "{name}");

        for p in &r.points {
            let v = &p.variants[0];
            assert!(
                v.backlog_max <= capacity,
                "{name}: backlog {} above capacity {capacity}",
                v.backlog_max
            );
            // OverheadLatency = backlog wait + fixed overhead; a request that waited the whole
            // timeout has failed, so only a request that never queued can wait 0 = timeout.
            if let Some(max) = v.overhead_latency.max {
                let wait = max as u64 - model.overhead.0;
                assert!(
                    wait < timeout.0 || wait == 0,
                    "{name}: waited {wait} us with timeout {timeout}"
                );
            }
        }

        if model.client_error_rate > 0.0 {
            check_binomial(
                &format!("{name}: 4XX fraction"),
                t.errors_4xx,
                t.arrived - t.rejected_no_capacity,
                model.client_error_rate,
            );
        } else {
            assert_eq!(t.errors_4xx, 0, "{name}");
        }
        if model.error_rate > 0.0 {
            let finished = t.completed + t.errors_5xx;
            check_binomial(
                &format!("{name}: 5XX fraction"),
                t.errors_5xx,
                finished,
                model.error_rate,
            );
        } else {
            assert_eq!(t.errors_5xx, 0, "{name}");
        }
        results.push(r);
    }
    let (no_room, zero_timeout) = (&results[4].totals, &results[5].totals);
    assert_eq!(no_room.rejected_backlog_full, zero_timeout.timed_out);
    assert_eq!(no_room.served, zero_timeout.served);
}

// ---------------------------------------------------------------------------------------------
// 5. Finite waiting room: M/M/c/K and Erlang B
// ---------------------------------------------------------------------------------------------

/// A bounded backlog makes the endpoint a finite-room queue, and the fraction of arrivals turned
/// away is the stationary probability of a full system (PASTA):
///
/// * M/M/4/10: 2 instances x 2 slots, backlog capacity 6, lambda 40/s, exponential 100 ms
///   (a = 4, rho = 1): P(full) = p_10 = 0.1085; admitted requests wait
///   Wq = Lq / (lambda (1 - P(full))).
/// * Erlang B, M/G/4/4: no waiting room (capacity 0), lambda 50/s, Gamma service with mean
///   100 ms and cv 2. Blocking B(4, 5) = 0.3983 is insensitive to the service law.
/// * The same loss system reached by timeouts: unbounded backlog but a zero invocation timeout,
///   constant 100 ms service; every request that cannot start at once times out, so
///   timed_out / arrived = B(4, 5).
///
/// Tolerance: K = 8 half-hour replications (72-90 k arrivals). Calibrated per-replication sd
/// (20 seeds) of the lost fraction: 0.0026 (M/M/4/10), 0.0036 (Gamma loss system), 0.0016
/// (zero timeout), and of Wq 0.91 ms. The tolerance is 4 * sd / sqrt(8): +-0.0037, +-0.0051,
/// +-0.0023 on the fractions (3.4 %, 1.3 %, 0.6 % of them) and +-1.3 ms (2 %) on Wq.
#[test]
fn finite_waiting_room_matches_mmck_and_erlang_b() {
    let ms = SimDuration::from_millis;
    // M/M/4/10.
    let (c, room, lambda, mu) = (4u32, 6usize, 40.0, 10.0);
    let p = mmc_distribution(c, lambda / mu, Some(room));
    let p_full = p[c as usize + room];
    let lq: f64 = p
        .iter()
        .enumerate()
        .skip(c as usize)
        .map(|(n, x)| (n - c as usize) as f64 * x)
        .sum();
    let wq_theory_ms = lq / (lambda * (1.0 - p_full)) * 1e3;
    let rs = replicate(8, |s| {
        bounded(
            mmc(lambda, exp_ms(100), 2, 2, 1800, s),
            room as u64,
            SimDuration::from_secs(3600),
        )
    });
    let full: Vec<f64> = rs
        .iter()
        .map(|r| r.totals.rejected_backlog_full as f64 / r.totals.arrived as f64)
        .collect();
    let wq: Vec<f64> = rs.iter().map(wq_ms).collect();
    check("M/M/4/10 P(full)", &full, p_full, 0.0026);
    check("M/M/4/10 Wq [ms]", &wq, wq_theory_ms, 0.91);

    // Erlang B via a zero-capacity backlog and via a zero timeout.
    let b = *mmc_distribution(4, 5.0, Some(0)).last().unwrap();
    assert!((b - 0.3983).abs() < 1e-4, "{b}");
    let rs = replicate(8, |s| {
        bounded(
            mmc(50.0, DurationDist::gamma(ms(100), 2.0).unwrap(), 4, 1, 1800, s),
            0,
            ms(1000),
        )
    });
    let lost: Vec<f64> = rs
        .iter()
        .map(|r| r.totals.rejected_backlog_full as f64 / r.totals.arrived as f64)
        .collect();
    check("M/G/4/4 (no room) blocking", &lost, b, 0.0036);
    let rs = replicate(8, |s| {
        bounded(
            mmc(50.0, DurationDist::Constant(ms(100)), 4, 1, 1800, s),
            u64::MAX,
            SimDuration::ZERO,
        )
    });
    let lost: Vec<f64> = rs
        .iter()
        .map(|r| r.totals.timed_out as f64 / r.totals.arrived as f64)
        .collect();
    check("M/D/4/4 (zero timeout) loss", &lost, b, 0.0016);
}
