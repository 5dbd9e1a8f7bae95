//! The validation rules of docs/semantics/rollouts.md §2.2 that concern the policy's numbers (rules 4-8 and the
//! rolling exclusion of 1.1). Each violation names the rule and the numbers; the scenario
//! validator turns it into a field error.

use super::capacity::CapacitySize;
use super::policy::{DeploymentPolicy, Guardrails, TrafficRouting};

/// One violated rule: the field (relative to the deployment), the value and what is allowed.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    pub field: &'static str,
    pub value: String,
    pub allowed: String,
}

/// What the rules need to know about the endpoint.
#[derive(Clone, Copy, Debug)]
pub struct Fleets {
    /// Old (blue) instances of the variant.
    pub n: u32,
    /// New (green) instances.
    pub g: u32,
    /// Production variants of the endpoint.
    pub variants: usize,
    /// Alarms in `AutoRollbackConfiguration`.
    pub alarms: usize,
}

/// "INSTANCE_COUNT 3 of the green fleet = 4 (75 %)".
fn describe(size: CapacitySize, fleet: u32, who: &str) -> String {
    let pct = format!("{:.2}", size.fraction(fleet) * 100.0);
    let pct = pct.trim_end_matches('0').trim_end_matches('.');
    format!("{size} of {who} = {fleet} ({pct} %)")
}

fn size_positive(v: &mut Vec<Violation>, field: &'static str, size: CapacitySize) -> bool {
    let ok = match size {
        CapacitySize::InstanceCount(n) => n >= 1,
        CapacitySize::CapacityPercent(p) => p.is_finite() && p > 0.0 && p <= 100.0,
    };
    if !ok {
        v.push(Violation {
            field,
            value: size.to_string(),
            allowed: "an INSTANCE_COUNT >= 1 or a CAPACITY_PERCENT in (0, 100]".into(),
        });
    }
    ok
}

/// Checks a policy against rules 4-7 and the rolling exclusion; returns the violations and the
/// warnings (rule 8, and the error-alarm quirk is checked where alarms are known).
pub fn check(policy: &DeploymentPolicy, guard: &Guardrails, f: Fleets) -> (Vec<Violation>, Vec<String>) {
    let mut v = Vec::new();
    let mut warnings = Vec::new();
    let wait_range = |v: &mut Vec<Violation>, field: &'static str, secs: u64| {
        if secs > 3600 {
            v.push(Violation {
                field,
                value: format!("{secs} s"),
                allowed: "0 to 3600 s (rule 7)".into(),
            });
        }
    };
    let longest_wait = match policy {
        DeploymentPolicy::BlueGreen(b) => {
            wait_range(&mut v, "wait_interval", b.wait_s);
            wait_range(&mut v, "termination_wait", b.termination_wait_s);
            wait_range(&mut v, "final_bake", b.final_bake_s);
            match b.routing {
                TrafficRouting::AllAtOnce => {}
                TrafficRouting::Canary { size } => {
                    if size_positive(&mut v, "canary_size", size) && size.fraction(f.g) > 0.5 + 1e-12 {
                        v.push(Violation {
                            field: "canary_size",
                            value: describe(size, f.g, "the green fleet"),
                            allowed: "at most 50 % of the green fleet (rule 4)".into(),
                        });
                    }
                }
                TrafficRouting::Linear { step } => {
                    let x = step.fraction(f.g);
                    if size_positive(&mut v, "linear_step_size", step) && !(0.10 - 1e-12..=0.50 + 1e-12).contains(&x) {
                        v.push(Violation {
                            field: "linear_step_size",
                            value: describe(step, f.g, "the green fleet"),
                            allowed: "10 % to 50 % of the green fleet (rule 5)".into(),
                        });
                    }
                }
            }
            b.wait_s.max(b.termination_wait_s)
        }
        DeploymentPolicy::Rolling(r) => {
            wait_range(&mut v, "wait_interval", r.wait_s);
            let x = r.batch.fraction(f.n);
            if size_positive(&mut v, "maximum_batch_size", r.batch) && !(0.05 - 1e-12..=0.50 + 1e-12).contains(&x) {
                v.push(Violation {
                    field: "maximum_batch_size",
                    value: describe(r.batch, f.n, "the fleet"),
                    allowed: "5 % to 50 % of the fleet (rule 6)".into(),
                });
            }
            if let Some(rb) = r.rollback_batch {
                size_positive(&mut v, "rollback_maximum_batch_size", rb);
            }
            if f.variants > 1 {
                v.push(Violation {
                    field: "policy",
                    value: format!("Rolling on an endpoint with {} variants", f.variants),
                    allowed: "a blue/green policy (rolling updates need a single-variant endpoint)".into(),
                });
            }
            r.wait_s
        }
    };
    if let Some(t) = guard.timeout_s {
        let max = 28_800;
        if !(600..=max).contains(&t) {
            v.push(Violation {
                field: "maximum_execution_timeout",
                value: format!("{t} s"),
                allowed: format!("600 to {max} s (rule 7)"),
            });
        } else if t <= longest_wait {
            warnings.push(format!(
                "maximum_execution_timeout {t} s does not exceed the configured wait of {longest_wait} s (rule 8)"
            ));
        }
    }
    if f.alarms > 10 {
        v.push(Violation {
            field: "auto_rollback_alarms",
            value: format!("{} alarms", f.alarms),
            allowed: "at most 10 alarms (rule 7)".into(),
        });
    }
    if f.g == 0 {
        v.push(Violation {
            field: "instance_count",
            value: "0".into(),
            allowed: "a new fleet of at least one instance".into(),
        });
    }
    (v, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deployment::capacity::CapacitySize::*;
    use crate::deployment::policy::{BlueGreen, Rolling};

    fn fleets(n: u32, g: u32) -> Fleets {
        Fleets {
            n,
            g,
            variants: 1,
            alarms: 1,
        }
    }

    fn bg(routing: TrafficRouting) -> DeploymentPolicy {
        DeploymentPolicy::BlueGreen(BlueGreen {
            routing,
            wait_s: 600,
            final_bake_s: 600,
            termination_wait_s: 600,
        })
    }

    fn ok(p: &DeploymentPolicy, g: Guardrails, f: Fleets) -> bool {
        check(p, &g, f).0.is_empty()
    }

    #[test]
    fn r3_canary_sizes() {
        let g = Guardrails::default();
        let canary = |size| bg(TrafficRouting::Canary { size });
        assert!(ok(&canary(CapacityPercent(50.0)), g, fleets(10, 10)));
        assert!(!ok(&canary(CapacityPercent(60.0)), g, fleets(10, 10)));
        assert!(ok(&canary(InstanceCount(2)), g, fleets(4, 4)));
        let (v, _) = check(&canary(InstanceCount(3)), &g, fleets(4, 4));
        assert_eq!(v[0].field, "canary_size");
        assert!(v[0].value.contains("75 %") && v[0].allowed.contains("rule 4"), "{v:?}");
    }

    #[test]
    fn r5_linear_steps() {
        let g = Guardrails::default();
        let linear = |step| bg(TrafficRouting::Linear { step });
        assert!(ok(&linear(InstanceCount(3)), g, fleets(10, 10)));
        assert!(!ok(&linear(CapacityPercent(5.0)), g, fleets(10, 10)));
        assert!(ok(&linear(CapacityPercent(10.0)), g, fleets(10, 10)));
        assert!(!ok(&linear(CapacityPercent(55.0)), g, fleets(10, 10)));
    }

    #[test]
    fn r9_rolling_batches_and_timeouts() {
        let rolling = |pct| {
            DeploymentPolicy::Rolling(Rolling {
                batch: CapacityPercent(pct),
                wait_s: 300,
                rollback_batch: None,
            })
        };
        let g = Guardrails::default();
        assert!(!ok(&rolling(4.0), g, fleets(10, 10)));
        assert!(ok(&rolling(5.0), g, fleets(10, 10)));
        assert!(ok(&rolling(50.0), g, fleets(10, 10)));
        assert!(!ok(&rolling(55.0), g, fleets(10, 10)));
        let with_timeout = |t| Guardrails {
            timeout_s: Some(t),
            ..Guardrails::default()
        };
        assert!(ok(&rolling(20.0), with_timeout(28_800), fleets(10, 10)));
        assert!(!ok(&rolling(20.0), with_timeout(28_801), fleets(10, 10)));
        assert!(!ok(&rolling(20.0), with_timeout(599), fleets(10, 10)));
        // Multi-variant endpoints cannot roll.
        let mut f = fleets(10, 10);
        f.variants = 2;
        assert!(!ok(&rolling(20.0), g, f));
    }

    #[test]
    fn r14_ranges_and_rule_8_warning() {
        let mut p = bg(TrafficRouting::AllAtOnce);
        if let DeploymentPolicy::BlueGreen(b) = &mut p {
            b.wait_s = 3600;
        }
        assert!(ok(&p, Guardrails::default(), fleets(10, 10)));
        if let DeploymentPolicy::BlueGreen(b) = &mut p {
            b.wait_s = 3601;
        }
        assert!(!ok(&p, Guardrails::default(), fleets(10, 10)));
        let mut f = fleets(10, 10);
        f.alarms = 11;
        assert!(!ok(&bg(TrafficRouting::AllAtOnce), Guardrails::default(), f));
        f.alarms = 0;
        assert!(ok(&bg(TrafficRouting::AllAtOnce), Guardrails::default(), f));
        let g = Guardrails {
            timeout_s: Some(600),
            ..Guardrails::default()
        };
        let (v, w) = check(&bg(TrafficRouting::AllAtOnce), &g, fleets(10, 10));
        assert!(v.is_empty());
        assert!(w[0].contains("rule 8"), "{w:?}");
    }
}
