//! Production variants, and a shadow test's variant, which is validated like them and becomes
//! the run's last variant.

use super::check::{Check, NAME_RULE};
use super::endpoint::EndpointSettings;
use super::{components, instance};
use crate::model::catalog;
use crate::scenario::file::{Scenario, Variant};
use crate::scenario::limits::{MAX_CONCURRENCY, MAX_INSTANCES};
use crate::sim::{EndpointKind, VariantConfig};

/// Validates `endpoint.variants` and `shadow_test.variant` into one configuration each, in that
/// order. A variant whose instance type is unknown has none, so the result may be shorter.
pub(super) fn validate(
    c: &mut Check,
    s: &Scenario,
    ep: &EndpointSettings,
    serverless: bool,
    warnings: &mut Vec<String>,
) -> Vec<VariantConfig> {
    if ep.variants.is_empty() && !serverless {
        c.fail("endpoint.variants", "[]", "at least one variant");
    }
    let is_async = ep.kind == EndpointKind::Async;
    let n_production = ep.variants.len();
    let variants: Vec<&Variant> = ep
        .variants
        .iter()
        .chain(s.shadow_test.as_ref().filter(|_| !serverless).map(|t| &t.variant))
        .collect();
    let mut vcs = Vec::new();
    for (i, v) in variants.iter().enumerate() {
        let p = if i < n_production {
            format!("endpoint.variants[{i}]")
        } else {
            "shadow_test.variant".to_string()
        };
        c.name(&format!("{p}.name"), &v.name, NAME_RULE);
        if variants[..i].iter().any(|o| o.name == v.name) {
            c.fail(
                &format!("{p}.name"),
                format!("\"{}\"", v.name),
                "a name not used by another variant",
            );
        }
        let instance = match instance::resolve(s, &v.instance_type) {
            Some(spec) => {
                if spec.price_per_hour_usd.is_none() {
                    warnings.push(format!(
                        "{p}: no price is known for {}; cost is reported as null (set instance_types: [InstanceType(name: \"{}\", price_per_hour: ...)])",
                        spec.name, spec.name
                    ));
                }
                if spec.vcpus.is_none() {
                    warnings.push(format!(
                        "{p}: vCPUs of {} unknown; CPUUtilization assumes 1 vCPU",
                        spec.name
                    ));
                }
                spec
            }
            None => {
                let known: Vec<&str> = catalog::builtin_names().collect();
                c.fail(
                    &format!("{p}.instance_type"),
                    format!("\"{}\"", v.instance_type),
                    &format!(
                        "a built-in type ({}) or one declared in instance_types",
                        known.join(", ")
                    ),
                );
                continue;
            }
        };
        if is_async && v.initial_instance_count > MAX_INSTANCES {
            c.fail(
                &format!("{p}.initial_instance_count"),
                v.initial_instance_count,
                "an integer from 0 to 100000",
            );
        } else if !is_async
            && v.inference_components.is_empty()
            && (v.initial_instance_count == 0 || v.initial_instance_count > MAX_INSTANCES)
        {
            c.fail(
                &format!("{p}.initial_instance_count"),
                v.initial_instance_count,
                "an integer from 1 to 100000 (real-time variants keep at least one instance; only asynchronous endpoints may start at 0)",
            );
        }
        c.finite_range(
            &format!("{p}.initial_weight"),
            v.initial_weight,
            0.0,
            1e9,
            "a weight from 0 to 1e9",
        );
        if v.concurrency == 0 || v.concurrency > MAX_CONCURRENCY {
            c.fail(&format!("{p}.concurrency"), v.concurrency, "an integer from 1 to 10000");
        }
        let model = match &v.model {
            Some(m) => c.model(&format!("{p}.model"), m),
            None => {
                if v.inference_components.is_empty() {
                    c.fail(
                        &format!("{p}.model"),
                        "None",
                        "a Model(..) (required unless the variant hosts inference_components)",
                    );
                }
                components::no_model()
            }
        };
        let launch = c.launch(&format!("{p}.launch"), &v.launch);
        vcs.push(VariantConfig {
            name: v.name.clone(),
            instance,
            initial_instance_count: v.initial_instance_count,
            initial_weight: v.initial_weight,
            concurrency: ep.slots_override.unwrap_or(v.concurrency).max(1),
            model,
            launch,
        });
    }
    vcs
}
