//! The API's own checks of the endpoint requests, reported in its words (`ValidationException:
//! 1 validation error detected: Value ... at ... failed to satisfy constraint: ...`, the field
//! path in the API's camelCase), and why an accepted field cannot be represented.

use crate::aws::sagemaker::*;
use crate::scenario::components::ManagedStatus;
use crate::scenario::file::Routing;

/// The API's message for a value outside its constraint.
pub(super) fn constraint(file: &str, value: impl std::fmt::Display, at: &str, rule: &str) -> String {
    format!(
        "{file}: ValidationException: 1 validation error detected: Value '{value}' at '{at}' failed to satisfy constraint: Member must {rule}"
    )
}

pub(super) fn range(file: &str, at: &str, value: u64, min: u64, max: u64) -> Result<(), String> {
    if value < min {
        return Err(constraint(
            file,
            value,
            at,
            &format!("have value greater than or equal to {min}"),
        ));
    }
    if value > max {
        return Err(constraint(
            file,
            value,
            at,
            &format!("have value less than or equal to {max}"),
        ));
    }
    Ok(())
}

pub(super) fn validation(file: &str, m: impl std::fmt::Display) -> String {
    format!("{file}: ValidationException: {m}")
}

pub(super) fn name(file: &str, at: &str, n: &str) -> Result<(), String> {
    if valid_name(n) {
        Ok(())
    } else {
        Err(constraint(
            file,
            n,
            at,
            &format!("satisfy regular expression pattern: {NAME_PATTERN}"),
        ))
    }
}

/// Why an accepted field cannot be represented, by its last path segment.
pub(super) fn reason(field: &str) -> &'static str {
    match field.rsplit('.').next().unwrap_or(field) {
        "DataCaptureConfig" => "capturing requests and responses does not change how the endpoint serves them",
        "ExplainerConfig" => "online explainability is not simulated",
        "ShadowProductionVariants" => {
            "shadow variants of an endpoint configuration are not simulated (a scenario's shadow_test is an inference experiment)"
        }
        "KmsKeyId" | "ExecutionRoleArn" | "VpcConfig" | "EnableNetworkIsolation" | "EnableSSMAccess" => {
            "security and networking settings are not simulated"
        }
        "Tags" => "tags do not change the simulation",
        "AcceleratorType" => "Elastic Inference accelerators are not simulated",
        "VolumeSizeInGB" | "CoreDumpConfig" => "storage is not simulated",
        "ModelDataDownloadTimeoutInSeconds" | "ContainerStartupHealthCheckTimeoutInSeconds" => {
            "a launch that never finishes is not simulated; boot times are the base scenario's launch"
        }
        "InferenceAmiVersion" => "the instance image is not simulated",
        "CapacityReservationConfig" => "capacity reservations are not simulated",
        "S3FailurePath" | "NotificationConfig" => "where results and notifications go is not simulated",
        _ => "not simulated",
    }
}

/// The API's checks of a `CreateEndpointConfig`, and its unmodelled fields listed.
pub(super) fn check_config(file: &str, c: &CreateEndpointConfig, not_imported: &mut Vec<String>) -> Result<(), String> {
    name(file, "endpointConfigName", &c.endpoint_config_name)?;
    let n = c.production_variants.len() as u64;
    if n == 0 {
        return Err(constraint(
            file,
            "[]",
            "productionVariants",
            "have length greater than or equal to 1",
        ));
    }
    range(file, "productionVariants", n, 1, 10)
        .map_err(|_| constraint(file, n, "productionVariants", "have length less than or equal to 10"))?;
    for field in c.unmodelled() {
        not_imported.push(format!("{file}: {field}: {}", reason(&field)));
    }
    let async_ = c.async_inference_config.as_ref();
    if let Some(a) = async_ {
        if let Some(m) = a
            .client_config
            .as_ref()
            .and_then(|c| c.max_concurrent_invocations_per_instance)
        {
            range(
                file,
                "asyncInferenceConfig.clientConfig.maxConcurrentInvocationsPerInstance",
                m.into(),
                1,
                1000,
            )?;
        }
        for field in a.output_config.unmodelled("AsyncInferenceConfig.OutputConfig.") {
            not_imported.push(format!("{file}: {field}: {}", reason(&field)));
        }
    }
    for (i, v) in c.production_variants.iter().enumerate() {
        let at = format!("productionVariants.{}.member", i + 1);
        name(file, &format!("{at}.variantName"), &v.variant_name)?;
        if c.production_variants[..i]
            .iter()
            .any(|o| o.variant_name == v.variant_name)
        {
            return Err(validation(
                file,
                format!(
                    "Variant name {} is used by more than one production variant",
                    v.variant_name
                ),
            ));
        }
        for field in v.unmodelled(&format!("ProductionVariants[{i}].")) {
            not_imported.push(format!("{file}: {field}: {}", reason(&field)));
        }
        if let Some(w) = v.initial_variant_weight {
            if w < 0.0 {
                return Err(constraint(
                    file,
                    w,
                    &format!("{at}.initialVariantWeight"),
                    "have value greater than or equal to 0",
                ));
            }
        }
        match (&v.instance_type, &v.serverless_config) {
            (Some(_), Some(_)) => {
                return Err(validation(
                    file,
                    format!(
                        "Variant {}: InstanceType and ServerlessConfig cannot both be specified",
                        v.variant_name
                    ),
                ))
            }
            (None, None) => {
                return Err(validation(
                    file,
                    format!(
                        "Variant {}: either InstanceType or ServerlessConfig must be specified",
                        v.variant_name
                    ),
                ))
            }
            (Some(_), None) if v.initial_instance_count.is_none() => {
                return Err(validation(
                    file,
                    format!(
                        "Variant {}: InitialInstanceCount is required with InstanceType",
                        v.variant_name
                    ),
                ))
            }
            (None, Some(s)) => {
                if async_.is_some() {
                    return Err(validation(
                        file,
                        "Serverless variants cannot be used with AsyncInferenceConfig",
                    ));
                }
                let sat = format!("{at}.serverlessConfig");
                range(
                    file,
                    &format!("{sat}.memorySizeInMB"),
                    s.memory_size_in_mb.into(),
                    1024,
                    6144,
                )?;
                if s.memory_size_in_mb % 1024 != 0 {
                    return Err(validation(
                        file,
                        format!(
                            "MemorySizeInMB {} is not one of 1024, 2048, 3072, 4096, 5120, 6144",
                            s.memory_size_in_mb
                        ),
                    ));
                }
                range(file, &format!("{sat}.maxConcurrency"), s.max_concurrency.into(), 1, 200)?;
                if let Some(pc) = s.provisioned_concurrency {
                    range(file, &format!("{sat}.provisionedConcurrency"), pc.into(), 1, 200)?;
                    if pc > s.max_concurrency {
                        return Err(validation(
                            file,
                            format!(
                                "ProvisionedConcurrency {pc} cannot be greater than MaxConcurrency {}",
                                s.max_concurrency
                            ),
                        ));
                    }
                }
            }
            _ => {}
        }
        if let Some(m) = &v.managed_instance_scaling {
            let mat = format!("{at}.managedInstanceScaling");
            if let Some(s) = &m.status {
                if crate::aws::from_api_name::<ManagedStatus>(s).is_none() {
                    return Err(constraint(
                        file,
                        s,
                        &format!("{mat}.status"),
                        "satisfy enum value set: [ENABLED, DISABLED]",
                    ));
                }
            }
            if let Some(max) = m.max_instance_count {
                range(
                    file,
                    &format!("{mat}.maxInstanceCount"),
                    max.into(),
                    1,
                    u64::from(u32::MAX),
                )?;
            }
            if let (Some(min), Some(max)) = (m.min_instance_count, m.max_instance_count) {
                if min > max {
                    return Err(validation(
                        file,
                        format!("MinInstanceCount {min} cannot be greater than MaxInstanceCount {max}"),
                    ));
                }
            }
        }
        if let Some(r) = &v.routing_config {
            if routing(&r.routing_strategy).is_none() {
                return Err(constraint(
                    file,
                    &r.routing_strategy,
                    &format!("{at}.routingConfig.routingStrategy"),
                    "satisfy enum value set: [LEAST_OUTSTANDING_REQUESTS, RANDOM]",
                ));
            }
        }
    }
    Ok(())
}

pub(super) fn routing(strategy: &str) -> Option<Routing> {
    crate::aws::from_api_name(&from_upper_snake(strategy))
}
