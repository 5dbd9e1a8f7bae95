//! Instance types: the scenario's own declarations (`instance_types`), and the resolution of a
//! variant's type from them and the built-in catalog.

use super::check::Check;
use crate::model::catalog::{self, InstanceSpec, Provenance};
use crate::scenario::file::Scenario;

/// Validates `instance_types`.
pub(super) fn validate(c: &mut Check, s: &Scenario) {
    for (i, t) in s.instance_types.iter().enumerate() {
        let p = format!("instance_types[{i}]");
        if !t.name.starts_with("ml.") {
            c.fail(
                &format!("{p}.name"),
                format!("\"{}\"", t.name),
                "an instance type name starting with `ml.`",
            );
        }
        if let Some(v) = t.vcpus {
            if v == 0 {
                c.fail(&format!("{p}.vcpus"), v, "an integer >= 1");
            }
        }
        if s.instance_types[..i].iter().any(|o| o.name == t.name) {
            c.fail(
                &format!("{p}.name"),
                format!("\"{}\"", t.name),
                "a name not declared earlier in instance_types",
            );
        }
        for (field, v) in [("memory_gib", t.memory_gib), ("gpu_memory_gib", t.gpu_memory_gib)] {
            if let Some(x) = v {
                c.finite_range(&format!("{p}.{field}"), x, 0.0, 1e6, "a size from 0 to 1e6 GiB");
            }
        }
        if let Some(x) = t.price_per_hour {
            c.finite_range(
                &format!("{p}.price_per_hour"),
                x,
                0.0,
                1e6,
                "a price from 0 to 1e6 USD per hour",
            );
        }
    }
}

/// Resolves an instance type from the scenario's `instance_types` and the built-in catalog.
pub(super) fn resolve(s: &Scenario, name: &str) -> Option<InstanceSpec> {
    let custom = s.instance_types.iter().find(|t| t.name == name);
    let mut spec = catalog::builtin(name).or_else(|| {
        custom.map(|_| InstanceSpec {
            name: name.to_string(),
            vcpus: None,
            memory_gib: None,
            gpus: None,
            gpu_memory_gib: None,
            price_per_hour_usd: None,
            local_nvme: false,
            burstable: name.starts_with("ml.t"),
            arch: catalog::Arch::X86,
            hardware_provenance: Provenance::Scenario,
            price_provenance: Provenance::Scenario,
            endpoint_quota: None,
        })
    })?;
    if let Some(c) = custom {
        if c.vcpus.is_some() {
            spec.vcpus = c.vcpus;
            spec.hardware_provenance = Provenance::Scenario;
        }
        spec.memory_gib = c.memory_gib.or(spec.memory_gib);
        spec.gpus = c.gpus.or(spec.gpus);
        spec.gpu_memory_gib = c.gpu_memory_gib.or(spec.gpu_memory_gib);
        if c.price_per_hour.is_some() {
            spec.price_per_hour_usd = c.price_per_hour;
            spec.price_provenance = Provenance::Scenario;
        }
        spec.endpoint_quota = c.endpoint_quota;
    }
    Some(spec)
}
