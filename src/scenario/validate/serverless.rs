//! A serverless endpoint: memory size, `MaxConcurrency`, provisioned concurrency, the region's
//! account concurrency, cold start and keep-alive, prices; and what a serverless endpoint does
//! not support (deployments, shadow tests).

use super::check::{Check, NAME_RULE};
use crate::engine::SimDuration;
use crate::model::catalog::{Arch, InstanceSpec, Provenance};
use crate::model::metrics::ServerlessPrices;
use crate::model::DurationDist;
use crate::scenario::deployment::UpdatePolicy;
use crate::scenario::file::{Endpoint, Scenario};
use crate::sim::{LaunchConfig, ServerlessConfig, VariantConfig};

/// `MemorySizeInMB` choices [AWS].
pub const MEMORY_SIZES_MB: [u32; 6] = [1024, 2048, 3072, 4096, 5120, 6144];
/// Highest `MaxConcurrency` of one endpoint [AWS].
pub const MAX_CONCURRENCY: u32 = 200;

/// Regions with an account concurrency of 1000 [AWS]: US East (Ohio, N. Virginia), US West
/// (Oregon), Asia Pacific (Singapore, Sydney, Tokyo), Europe (Frankfurt, Ireland).
pub const REGIONS_1000: [&str; 8] = [
    "us-east-2",
    "us-east-1",
    "us-west-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "eu-central-1",
    "eu-west-1",
];

/// The other regions with Serverless Inference, account concurrency 500 [AWS]: US West
/// (N. California), Africa (Cape Town), Asia Pacific (Hong Kong, Mumbai, Osaka, Seoul), Canada
/// (Central), Europe (London, Milan, Paris, Stockholm), Middle East (Bahrain), South America
/// (São Paulo).
pub const REGIONS_500: [&str; 13] = [
    "us-west-1",
    "af-south-1",
    "ap-east-1",
    "ap-south-1",
    "ap-northeast-3",
    "ap-northeast-2",
    "ca-central-1",
    "eu-west-2",
    "eu-south-1",
    "eu-west-3",
    "eu-north-1",
    "me-south-1",
    "sa-east-1",
];

/// The account concurrency of a region, if Serverless Inference is available there.
pub fn region_concurrency(region: &str) -> Option<u32> {
    if REGIONS_1000.contains(&region) {
        Some(1000)
    } else if REGIONS_500.contains(&region) {
        Some(500)
    } else {
        None
    }
}

/// The serverless endpoint of `s` as its one variant and its configuration; `None` for other
/// endpoint kinds. Also rejects what serverless endpoints do not support.
pub(super) fn validate(c: &mut Check, s: &Scenario) -> Option<(VariantConfig, ServerlessConfig)> {
    let Endpoint::Serverless {
        variant_name,
        memory_size_in_mb,
        max_concurrency,
        provisioned_concurrency,
        model,
        cold_start,
        keep_alive,
        provisioned_concurrency_provisioning_time,
        region,
        account_concurrency,
        other_endpoints_concurrency,
        price_per_gb_second,
        provisioned_concurrency_price_per_gb_second,
        provisioned_inference_price_per_gb_second,
        ..
    } = &s.endpoint
    else {
        return None;
    };
    let p = "endpoint";
    c.name(&format!("{p}.variant_name"), variant_name, NAME_RULE);
    if !MEMORY_SIZES_MB.contains(memory_size_in_mb) {
        c.fail(
            &format!("{p}.memory_size_in_mb"),
            memory_size_in_mb,
            "1024, 2048, 3072, 4096, 5120 or 6144 (MemorySizeInMB, 1 GB steps)",
        );
    }
    if *max_concurrency == 0 || *max_concurrency > MAX_CONCURRENCY {
        c.fail(
            &format!("{p}.max_concurrency"),
            max_concurrency,
            "an integer from 1 to 200 (MaxConcurrency)",
        );
    }
    if let Some(pc) = provisioned_concurrency {
        if *pc == 0 || *pc > *max_concurrency {
            c.fail(
                &format!("{p}.provisioned_concurrency"),
                format!("{pc} (max_concurrency {max_concurrency})"),
                "an integer from 1 to max_concurrency (ProvisionedConcurrency <= MaxConcurrency); omit it for on-demand only",
            );
        }
    }
    let by_region = match region {
        Some(r) => match region_concurrency(r) {
            Some(n) => Some(n),
            None => {
                c.fail(
                    &format!("{p}.region"),
                    format!("\"{r}\""),
                    &format!(
                        "a region with Serverless Inference: {} (1000 concurrency) or {} (500)",
                        REGIONS_1000.join(", "),
                        REGIONS_500.join(", ")
                    ),
                );
                None
            }
        },
        None => None,
    };
    let account = account_concurrency.or(by_region).unwrap_or(1000);
    if account == 0 || account > 100_000 {
        c.fail(
            &format!("{p}.account_concurrency"),
            account,
            "an integer from 1 to 100000",
        );
    }
    if *other_endpoints_concurrency > account {
        c.fail(
            &format!("{p}.other_endpoints_concurrency"),
            format!("{other_endpoints_concurrency} (account concurrency {account})"),
            "an integer from 0 to the account concurrency",
        );
    }
    let pc_time = provisioned_concurrency_provisioning_time.0;
    if pc_time > SimDuration::from_secs(86_400) {
        c.fail(
            &format!("{p}.provisioned_concurrency_provisioning_time"),
            format!("\"{pc_time}\""),
            "a duration from 0s to 1d",
        );
    }
    if keep_alive.0 > SimDuration::from_secs(86_400) {
        c.fail(
            &format!("{p}.keep_alive"),
            format!("\"{}\"", keep_alive.0),
            "a duration from 0s to 1d",
        );
    }
    let mut price = |field: &str, v: f64| {
        c.finite_range(
            &format!("{p}.{field}"),
            v,
            0.0,
            1.0,
            "a price from 0 to 1 USD per GB-second",
        )
    };
    let prices = ServerlessPrices {
        on_demand: price("price_per_gb_second", *price_per_gb_second),
        provisioned: price(
            "provisioned_concurrency_price_per_gb_second",
            *provisioned_concurrency_price_per_gb_second,
        ),
        provisioned_inference: price(
            "provisioned_inference_price_per_gb_second",
            *provisioned_inference_price_per_gb_second,
        ),
    };
    let cold_start = c.dist(&format!("{p}.cold_start"), cold_start, false);
    let version = c.model(&format!("{p}.model"), model);
    if model.load_slowdown != 0.0 {
        c.fail(
            &format!("{p}.model.load_slowdown"),
            model.load_slowdown,
            "0 on a serverless endpoint (a container serves one request at a time)",
        );
    }
    unsupported(c, s);
    let zero = DurationDist::Constant(SimDuration::ZERO);
    let variant = VariantConfig {
        name: variant_name.clone(),
        instance: serverless_spec(*memory_size_in_mb),
        initial_instance_count: provisioned_concurrency.unwrap_or(0),
        initial_weight: 1.0,
        concurrency: 1,
        model: version,
        launch: LaunchConfig {
            pending: zero.clone(),
            provision: zero.clone(),
            load: zero,
        },
    };
    let config = ServerlessConfig {
        memory_size_in_mb: *memory_size_in_mb,
        max_concurrency: *max_concurrency,
        provisioned_concurrency: *provisioned_concurrency,
        cold_start,
        keep_alive: keep_alive.0,
        pc_provisioning_time: pc_time,
        account_concurrency: account,
        other_endpoints_concurrency: *other_endpoints_concurrency,
        prices,
    };
    Some((variant, config))
}

/// Deployments and shadow tests are not simulated on serverless endpoints: rolling updates
/// do not exist for them, and blue/green updates with their cold starts are not modelled here.
fn unsupported(c: &mut Check, s: &Scenario) {
    for (i, d) in s.deployments.iter().enumerate() {
        match d.policy {
            UpdatePolicy::Rolling { .. } => c.fail(
                &format!("deployments[{i}].policy"),
                "Rolling",
                "no rolling update on a serverless endpoint (RollingUpdatePolicy is not available for serverless endpoints)",
            ),
            UpdatePolicy::BlueGreen { .. } => c.fail(
                &format!("deployments[{i}]"),
                format!("\"{}\" (BlueGreen)", d.endpoint_config_name),
                "no deployment on a serverless endpoint: blue/green updates of serverless endpoints are not simulated",
            ),
        }
    }
    if s.shadow_test.is_some() {
        c.fail(
            "shadow_test",
            "a shadow test",
            "None on a serverless endpoint (one production variant only)",
        );
    }
}

/// A stand-in instance spec naming the memory size; serverless variants are billed per
/// GB-second, so it has no hourly price.
fn serverless_spec(memory_mb: u32) -> InstanceSpec {
    InstanceSpec {
        name: format!("serverless-{memory_mb}MB"),
        vcpus: None,
        memory_gib: Some(f64::from(memory_mb) / 1024.0),
        gpus: None,
        gpu_memory_gib: None,
        price_per_hour_usd: None,
        local_nvme: false,
        burstable: false,
        arch: Arch::X86,
        hardware_provenance: Provenance::Scenario,
        price_provenance: Provenance::Scenario,
        endpoint_quota: None,
    }
}

/// The `EndpointConfigName` of a serverless endpoint, if `e` is one.
pub(super) fn config_name(e: &Endpoint) -> Option<&String> {
    match e {
        Endpoint::Serverless {
            endpoint_config_name, ..
        } => Some(endpoint_config_name),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_give_their_account_concurrency() {
        assert_eq!(region_concurrency("us-east-1"), Some(1000));
        assert_eq!(region_concurrency("eu-west-2"), Some(500));
        assert_eq!(region_concurrency("mars-north-1"), None);
        assert_eq!(REGIONS_1000.len() + REGIONS_500.len(), 21, "21 regions [AWS]");
    }
}
