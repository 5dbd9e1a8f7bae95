//! Inference components and managed instance scaling: the hosting variant becomes a host pool
//! (`ComponentsConfig`) and each component one of the run's variants, whose "instances" are
//! its copies.

use super::check::{Check, NAME_RULE};
use crate::autoscaling::guidance::{
    meets_ic_availability_guidance, HA_AVAILABILITY_PERCENT, HA_MIN_INSTANCES, HA_MORE_THAN_COPIES,
};
use crate::engine::SimDuration;
use crate::model::{DurationDist, InstanceSpec, ModelVersion, Resources};
use crate::scenario::components::{InferenceComponent, ManagedStatus};
use crate::scenario::file::{self, Scenario};
use crate::sim::{ComponentsConfig, EndpointKind, LaunchConfig, VariantConfig};
use typed_index_collections::TiVec;

use crate::scenario::limits::MAX_INSTANCES;

/// Most copies of one component at start.
const MAX_COPIES: u32 = 100_000;

/// Stand-in model of a variant whose models live in its inference components (never served).
pub(super) fn no_model() -> ModelVersion {
    ModelVersion {
        label: String::new(),
        service_time: DurationDist::Constant(SimDuration::ZERO),
        error_rate: 0.0,
        client_error_rate: 0.0,
        overhead: SimDuration::ZERO,
        load_slowdown: 0.0,
    }
}

/// Resources of one instance of `spec`, or the figures the catalog lacks.
fn capacity(spec: &InstanceSpec) -> Result<Resources, String> {
    let (Some(vcpus), Some(mem)) = (spec.vcpus, spec.memory_gib) else {
        return Err(format!(
            "an instance type with known vcpus and memory_gib ({} lacks them; declare them in instance_types)",
            spec.name
        ));
    };
    Ok(Resources {
        accelerator_milli: u64::from(spec.gpus.unwrap_or(0)) * 1000,
        cpu_milli: u64::from(vcpus) * 1000,
        memory_mb: (mem * 1024.0).round() as u64,
    })
}

fn show(r: &Resources) -> String {
    format!(
        "{} CPU cores, {} accelerators, {} MB",
        r.cpu_milli as f64 / 1000.0,
        r.accelerator_milli as f64 / 1000.0,
        r.memory_mb
    )
}

/// Validates the inference components of the endpoint, if any. `variants` are the file's
/// production variants and `vcs` their validated configurations (the hosting variant's
/// instance type resolved). Returns the host pool and one variant configuration per
/// component, which replace the production variants in the run.
pub(super) fn validate(
    c: &mut Check,
    s: &Scenario,
    variants: &[file::Variant],
    vcs: &[VariantConfig],
    kind: EndpointKind,
    warnings: &mut Vec<String>,
) -> Option<(ComponentsConfig, Vec<VariantConfig>)> {
    for (i, v) in variants.iter().enumerate() {
        let p = format!("endpoint.variants[{i}]");
        if v.inference_components.is_empty() {
            if let Some(m) = &v.managed_instance_scaling {
                if m.min_instance_count == 0 {
                    c.fail(
                        &format!("{p}.managed_instance_scaling.min_instance_count"),
                        0,
                        "an integer >= 1: only a variant that hosts inference_components may scale to zero instances (docs/semantics/components.md §2)",
                    );
                } else {
                    c.fail(
                        &format!("{p}.managed_instance_scaling"),
                        "Some(..)",
                        "None: managed instance scaling is modelled for variants that host inference_components",
                    );
                }
            }
        }
    }
    let hosting = variants.iter().position(|v| !v.inference_components.is_empty())?;
    let v = &variants[hosting];
    let p = format!("endpoint.variants[{hosting}]");
    if kind != EndpointKind::RealTime {
        c.fail(
            &format!("{p}.inference_components"),
            format!("{} components", v.inference_components.len()),
            "none on an asynchronous endpoint (inference components are hosted on real-time endpoints)",
        );
    }
    if variants.len() != 1 {
        c.fail(
            "endpoint.variants",
            format!("{} variants", variants.len()),
            "exactly one variant when it hosts inference_components (requests address components, not variants)",
        );
    }
    if v.model.is_some() {
        c.fail(
            &format!("{p}.model"),
            "Some(..)",
            "None: the models of a variant with inference_components are the components' own",
        );
    }
    if !s.deployments.is_empty() {
        c.fail(
            "deployments",
            format!("{} deployments", s.deployments.len()),
            "none on an endpoint with inference components (deployments of components are not modelled; update copies by scaling)",
        );
    }
    if s.shadow_test.is_some() {
        c.fail(
            "shadow_test",
            "Some(..)",
            "None on an endpoint with inference components",
        );
    }
    let updates = match &s.endpoint {
        file::Endpoint::RealTime { capacity_updates, .. } | file::Endpoint::Async { capacity_updates, .. } => {
            capacity_updates.len()
        }
        // A serverless endpoint has no variants to host components.
        file::Endpoint::Serverless { .. } => 0,
    };
    if updates > 0 {
        c.fail(
            "endpoint.capacity_updates",
            format!("{updates} updates"),
            "none on an endpoint with inference components (scale copies with an autoscaling target)",
        );
    }
    let Some(m) = &v.managed_instance_scaling else {
        c.fail(
            &format!("{p}.managed_instance_scaling"),
            "None",
            "ManagedInstanceScaling(min_instance_count: .., max_instance_count: ..) for a variant with inference_components",
        );
        return None;
    };
    let mp = format!("{p}.managed_instance_scaling");
    let initial = v.initial_instance_count;
    let (min, max) = match m.status {
        ManagedStatus::ENABLED => (m.min_instance_count, m.max_instance_count),
        // Disabled: the instance count stays where it starts.
        ManagedStatus::DISABLED => (initial, initial),
    };
    if m.max_instance_count == 0 || m.max_instance_count > MAX_INSTANCES || m.max_instance_count < m.min_instance_count
    {
        c.fail(
            &format!("{mp}.max_instance_count"),
            format!("{} (min_instance_count {})", m.max_instance_count, m.min_instance_count),
            "an integer >= 1 and >= min_instance_count, at most 100000",
        );
    }
    if initial < m.min_instance_count || initial > m.max_instance_count {
        c.fail(
            &format!("{p}.initial_instance_count"),
            initial,
            &format!(
                "an integer from min_instance_count {} to max_instance_count {}",
                m.min_instance_count, m.max_instance_count
            ),
        );
    }
    let vc = vcs.iter().find(|x| x.name == v.name)?;
    let cap = match capacity(&vc.instance) {
        Ok(r) => r,
        Err(e) => {
            c.fail(&format!("{p}.instance_type"), format!("\"{}\"", v.instance_type), &e);
            return None;
        }
    };
    let mut out = Vec::new();
    let mut requirements = TiVec::new();
    for (j, ic) in v.inference_components.iter().enumerate() {
        let ip = format!("{p}.inference_components[{j}]");
        if let Some((cfg, need)) = component(c, s, &ip, ic, &v.inference_components[..j], vc, &cap) {
            requirements.push(need);
            out.push(cfg);
        }
        availability(s, ic, min, warnings);
    }
    if v.inference_components.iter().all(|ic| ic.weight <= 0.0) {
        c.fail(
            &format!("{p}.inference_components[*].weight"),
            0,
            "at least one component with a weight > 0",
        );
    }
    let cfg = ComponentsConfig {
        variant: v.name.clone(),
        instance: vc.instance.clone(),
        initial_instance_count: initial,
        min_instance_count: min,
        max_instance_count: max,
        // Models load per copy, so an instance can take copies once it is provisioned.
        launch: LaunchConfig {
            pending: vc.launch.pending.clone(),
            provision: vc.launch.provision.clone(),
            load: DurationDist::Constant(SimDuration::ZERO),
        },
        capacity: cap,
        requirements,
    };
    Some((cfg, out))
}

/// One component: its variant configuration (copies for instances) and one copy's needs.
fn component(
    c: &mut Check,
    s: &Scenario,
    ip: &str,
    ic: &InferenceComponent,
    earlier: &[InferenceComponent],
    host: &VariantConfig,
    cap: &Resources,
) -> Option<(VariantConfig, Resources)> {
    c.name(&format!("{ip}.name"), &ic.name, NAME_RULE);
    if earlier.iter().any(|o| o.name == ic.name) {
        c.fail(
            &format!("{ip}.name"),
            format!("\"{}\"", ic.name),
            "a name not used by another inference component",
        );
    }
    let r = &ic.compute_resource_requirements;
    let rp = format!("{ip}.compute_resource_requirements");
    let cores = c.finite_range(
        &format!("{rp}.number_of_cpu_cores_required"),
        r.number_of_cpu_cores_required,
        0.0,
        1e5,
        "a number of cores from 0 to 100000",
    );
    let accel = c.finite_range(
        &format!("{rp}.number_of_accelerator_devices_required"),
        r.number_of_accelerator_devices_required,
        0.0,
        1e5,
        "a number of devices from 0 to 100000",
    );
    if r.min_memory_required_in_mb == 0 {
        c.fail(&format!("{rp}.min_memory_required_in_mb"), 0, "an integer >= 1 (MB)");
    }
    let need = Resources {
        accelerator_milli: (accel.clamp(0.0, 1e5) * 1000.0).round() as u64,
        cpu_milli: (cores.clamp(0.0, 1e5) * 1000.0).round() as u64,
        memory_mb: r.min_memory_required_in_mb,
    };
    if !cap.fits(&need) {
        c.fail(
            &rp,
            format!("a copy needing {}", show(&need)),
            &format!(
                "requirements that fit one {} instance ({})",
                host.instance.name,
                show(cap)
            ),
        );
        return None;
    }
    if ic.copy_count > MAX_COPIES {
        c.fail(
            &format!("{ip}.copy_count"),
            ic.copy_count,
            "an integer from 0 to 100000",
        );
    }
    for (t, target) in s.autoscaling.iter().enumerate() {
        if target.inference_component.as_deref() != Some(ic.name.as_str()) {
            continue;
        }
        if ic.copy_count > target.max_capacity || ic.copy_count < target.min_capacity {
            c.fail(
                &format!("{ip}.copy_count"),
                ic.copy_count,
                &format!(
                    "an integer from autoscaling[{t}].min_capacity {} to max_capacity {}",
                    target.min_capacity, target.max_capacity
                ),
            );
        }
    }
    if ic.concurrency == 0 || ic.concurrency > 10_000 {
        c.fail(
            &format!("{ip}.concurrency"),
            ic.concurrency,
            "an integer from 1 to 10000",
        );
    }
    c.finite_range(&format!("{ip}.weight"), ic.weight, 0.0, 1e9, "a weight from 0 to 1e9");
    let model = c.model(&format!("{ip}.model"), &ic.model);
    let load = match &ic.copy_load {
        Some(d) => c.dist(&format!("{ip}.copy_load"), d, false),
        None => host.launch.load.clone(),
    };
    let mut instance = host.instance.clone();
    // Copies are not billed (their instances are) and their CPUUtilization is over the
    // cores they reserve.
    instance.price_per_hour_usd = None;
    instance.vcpus = Some((cores.ceil() as u32).max(1));
    Some((
        VariantConfig {
            name: ic.name.clone(),
            instance,
            initial_instance_count: ic.copy_count,
            initial_weight: ic.weight,
            concurrency: ic.concurrency.max(1),
            model,
            launch: LaunchConfig {
                pending: DurationDist::Constant(SimDuration::ZERO),
                provision: DurationDist::Constant(SimDuration::ZERO),
                load,
            },
        },
        need,
    ))
}

/// The availability guidance: 99.95 % needs more than two copies of each
/// component and a managed instance scaling minimum of 2 instances. Warns otherwise.
fn availability(s: &Scenario, ic: &InferenceComponent, min_instances: u32, warnings: &mut Vec<String>) {
    let floor = s
        .autoscaling
        .iter()
        .find(|t| t.inference_component.as_deref() == Some(ic.name.as_str()))
        .map_or(ic.copy_count, |t| t.min_capacity);
    if meets_ic_availability_guidance(floor, min_instances) {
        return;
    }
    warnings.push(format!(
        "inference component {}: the {HA_AVAILABILITY_PERCENT} % availability guidance asks for more than {HA_MORE_THAN_COPIES} copies and a managed instance scaling minimum of {HA_MIN_INSTANCES} instances; this one keeps at least {floor} copies on at least {min_instances} instances",
        ic.name
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::catalog;

    #[test]
    fn instance_resources_come_from_the_catalog() {
        // The catalog's ml.p4d.24xlarge has 96 vCPUs, 1152 GiB and 8 GPUs.
        let p4d = capacity(&catalog::builtin("ml.p4d.24xlarge").unwrap()).unwrap();
        assert_eq!(
            p4d,
            Resources {
                accelerator_milli: 8000,
                cpu_milli: 96_000,
                memory_mb: 1_179_648,
            }
        );
        let c5 = capacity(&catalog::builtin("ml.c5.large").unwrap()).unwrap();
        assert_eq!(show(&c5), "2 CPU cores, 0 accelerators, 4096 MB");
        let mut unknown = catalog::builtin("ml.c5.large").unwrap();
        unknown.memory_gib = None;
        assert!(capacity(&unknown).unwrap_err().contains("lacks them"));
    }
}
