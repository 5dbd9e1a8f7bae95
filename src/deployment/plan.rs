//! The stages a deployment walks through (docs/semantics/rollouts.md §5.9): built once at the `UpdateEndpoint` call
//! from the policy and the fleet sizes, then executed by the simulation.

use super::capacity::instances;
use super::policy::{DeploymentPolicy, Guardrails, TrafficRouting};

/// One stage of a deployment. "New" is green (blue/green) or the replacement instances
/// (rolling); "old" is blue or the instances being replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Launch `count` instances of the new version; the stage ends when all are in service.
    Provision { count: u32 },
    /// From now on `new_active` new and `old_active` old instances receive traffic; the
    /// other live instances stay alive without traffic.
    Shift { new_active: u32, old_active: u32 },
    /// Wait `secs` with the alarms watching (`Baking`).
    Bake { secs: u64 },
    /// Blue/green: wait `secs` after the final bake before terminating blue.
    TerminationWait { secs: u64 },
    /// Terminate `count` deactivated old instances (`Deleting`).
    TerminateOld { count: u32 },
}

/// Old instances still active when `new_active` of `g` new instances are: the same proportion
/// of blue is switched off, `n - round(f x n)` with `f = new_active / g` (docs/semantics/rollouts.md §3.3).
fn old_active(new_active: u32, g: u32, n: u32) -> u32 {
    let f = f64::from(new_active) / f64::from(g.max(1));
    n - ((f * f64::from(n)).round() as u32).min(n)
}

/// The stages of a deployment replacing `n` old instances by `g` new ones (rolling: `g` is
/// ignored, each batch replaces old instances one for one).
pub fn plan(policy: &DeploymentPolicy, guard: &Guardrails, n: u32, g: u32) -> Vec<Stage> {
    let round = guard.rounding;
    let mut s = Vec::new();
    match policy {
        DeploymentPolicy::BlueGreen(b) => {
            s.push(Stage::Provision { count: g });
            match b.routing {
                TrafficRouting::AllAtOnce => {
                    s.push(Stage::Shift {
                        new_active: g,
                        old_active: 0,
                    });
                    s.push(Stage::Bake { secs: b.wait_s });
                }
                TrafficRouting::Canary { size } => {
                    let c = instances(size, g, round);
                    s.push(Stage::Shift {
                        new_active: c,
                        old_active: old_active(c, g, n),
                    });
                    s.push(Stage::Bake { secs: b.wait_s });
                    if c < g {
                        s.push(Stage::Shift {
                            new_active: g,
                            old_active: 0,
                        });
                        s.push(Stage::Bake { secs: b.final_bake_s });
                    }
                }
                TrafficRouting::Linear { step } => {
                    let step = instances(step, g, round).max(1);
                    let mut active = 0;
                    while active < g {
                        active = (active + step).min(g);
                        s.push(Stage::Shift {
                            new_active: active,
                            old_active: old_active(active, g, n),
                        });
                        s.push(Stage::Bake { secs: b.wait_s });
                    }
                }
            }
            s.push(Stage::TerminationWait {
                secs: b.termination_wait_s,
            });
            s.push(Stage::TerminateOld { count: n });
        }
        DeploymentPolicy::Rolling(r) => {
            let b = instances(r.batch, n, round).max(1);
            let mut done = 0;
            while done < n {
                let k = b.min(n - done);
                done += k;
                s.push(Stage::Provision { count: k });
                s.push(Stage::Shift {
                    new_active: done,
                    old_active: n - done,
                });
                s.push(Stage::Bake { secs: r.wait_s });
                s.push(Stage::TerminateOld { count: k });
            }
        }
    }
    s
}

/// Nominal end time of each stage [s after the call] when every set of instances launched
/// together takes `provision_s` and shifts and terminations are instant (docs/semantics/rollouts.md §8 inputs).
pub fn nominal_ends(stages: &[Stage], provision_s: u64) -> Vec<u64> {
    let mut t = 0;
    stages
        .iter()
        .map(|st| {
            t += match st {
                Stage::Provision { .. } => provision_s,
                Stage::Bake { secs } | Stage::TerminationWait { secs } => *secs,
                Stage::Shift { .. } | Stage::TerminateOld { .. } => 0,
            };
            t
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deployment::capacity::CapacitySize::*;
    use crate::deployment::policy::{BlueGreen, Rolling};

    fn bg(routing: TrafficRouting, wait_s: u64, final_bake_s: u64, termination_wait_s: u64) -> DeploymentPolicy {
        DeploymentPolicy::BlueGreen(BlueGreen {
            routing,
            wait_s,
            final_bake_s,
            termination_wait_s,
        })
    }

    fn shifts(stages: &[Stage]) -> Vec<(u32, u32)> {
        stages
            .iter()
            .filter_map(|s| match s {
                Stage::Shift { new_active, old_active } => Some((*new_active, *old_active)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn r1_all_at_once() {
        let p = plan(
            &bg(TrafficRouting::AllAtOnce, 0, 0, 600),
            &Guardrails::default(),
            10,
            10,
        );
        assert_eq!(
            p,
            vec![
                Stage::Provision { count: 10 },
                Stage::Shift {
                    new_active: 10,
                    old_active: 0
                },
                Stage::Bake { secs: 0 },
                Stage::TerminationWait { secs: 600 },
                Stage::TerminateOld { count: 10 },
            ]
        );
        // Green in service at 300; blue terminated at 900.
        assert_eq!(nominal_ends(&p, 300), vec![300, 300, 300, 900, 900]);
    }

    #[test]
    fn r2_canary() {
        let canary = TrafficRouting::Canary {
            size: CapacityPercent(30.0),
        };
        let p = plan(&bg(canary, 600, 600, 600), &Guardrails::default(), 10, 10);
        assert_eq!(shifts(&p), vec![(3, 7), (10, 0)]);
        // Canary bake 300-900, full shift at 900, final bake to 1500, blue gone at 2100.
        assert_eq!(*nominal_ends(&p, 300).last().unwrap(), 2100);
        // final_bake_s 0: done at 1500.
        let p = plan(&bg(canary, 600, 0, 600), &Guardrails::default(), 10, 10);
        assert_eq!(*nominal_ends(&p, 300).last().unwrap(), 1500);
    }

    #[test]
    fn r4_r5_linear() {
        let p = plan(
            &bg(
                TrafficRouting::Linear {
                    step: CapacityPercent(20.0),
                },
                300,
                300,
                300,
            ),
            &Guardrails::default(),
            10,
            10,
        );
        assert_eq!(shifts(&p), vec![(2, 8), (4, 6), (6, 4), (8, 2), (10, 0)]);
        let ends = nominal_ends(&p, 300);
        let shift_times: Vec<u64> = p
            .iter()
            .zip(&ends)
            .filter(|(s, _)| matches!(s, Stage::Shift { .. }))
            .map(|(_, t)| *t)
            .collect();
        assert_eq!(shift_times, vec![300, 600, 900, 1200, 1500]);
        assert_eq!(*ends.last().unwrap(), 2100);
        // R5: steps of 3 instances: 3, 6, 9, 10.
        let p = plan(
            &bg(TrafficRouting::Linear { step: InstanceCount(3) }, 300, 300, 0),
            &Guardrails::default(),
            10,
            10,
        );
        assert_eq!(shifts(&p).iter().map(|s| s.0).collect::<Vec<_>>(), vec![3, 6, 9, 10]);
        // 10 % steps: ten shifts.
        let p = plan(
            &bg(
                TrafficRouting::Linear {
                    step: CapacityPercent(10.0),
                },
                300,
                300,
                0,
            ),
            &Guardrails::default(),
            10,
            10,
        );
        assert_eq!(shifts(&p).len(), 10);
    }

    #[test]
    fn r9_rolling() {
        let rolling = |pct: f64| {
            DeploymentPolicy::Rolling(Rolling {
                batch: CapacityPercent(pct),
                wait_s: 300,
                rollback_batch: None,
            })
        };
        let p = plan(&rolling(20.0), &Guardrails::default(), 10, 10);
        let ends = nominal_ends(&p, 300);
        let terminations: Vec<u64> = p
            .iter()
            .zip(&ends)
            .filter(|(s, _)| matches!(s, Stage::TerminateOld { .. }))
            .map(|(_, t)| *t)
            .collect();
        assert_eq!(terminations, vec![600, 1200, 1800, 2400, 3000]);
        assert_eq!(shifts(&p), vec![(2, 8), (4, 6), (6, 4), (8, 2), (10, 0)]);
        // 5 %: one instance per batch, done at 6000; 50 %: two batches, done at 1200.
        assert_eq!(
            *nominal_ends(&plan(&rolling(5.0), &Guardrails::default(), 10, 10), 300)
                .last()
                .unwrap(),
            6000
        );
        assert_eq!(
            *nominal_ends(&plan(&rolling(50.0), &Guardrails::default(), 10, 10), 300)
                .last()
                .unwrap(),
            1200
        );
    }

    #[test]
    fn unequal_fleets_deactivate_blue_in_proportion() {
        // G = 4 green, N = 10 blue; canary 1 of 4 = 25 % -> round(2.5) = 3 blue off.
        let p = plan(
            &bg(TrafficRouting::Canary { size: InstanceCount(1) }, 60, 60, 0),
            &Guardrails::default(),
            10,
            4,
        );
        assert_eq!(shifts(&p), vec![(1, 7), (4, 0)]);
    }
}
