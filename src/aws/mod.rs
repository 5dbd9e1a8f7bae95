//! AWS request bodies: the shapes of the API calls that configure what a scenario describes,
//! and the export of a scenario to them (`fleetsim export aws`).
//!
//! `autoscaling`, `cloudwatch` and `sagemaker` hold the request types with the API's field
//! names; `export` builds the autoscaling ones from a scenario in call order, with the shell
//! script of the `aws` CLI calls, and `export_endpoint` puts the endpoint's and the
//! deployments' calls around them; `import` reads them back into a base scenario, the endpoint
//! calls through `import_endpoint`; `import_traffic` reads CloudWatch traffic exports. Nothing
//! here reads or writes a file.

pub mod autoscaling;
pub mod cloudwatch;
pub mod export;
pub mod export_endpoint;
pub mod export_recommendation;
pub mod import;
mod import_endpoint;
pub mod import_traffic;
pub mod sagemaker;

/// The API's name of a scenario enum value (`CPUUtilization`, `GreaterThanThreshold`,
/// `notBreaching`): the scenario types are named after the API, so their serde name is it.
pub(crate) fn api_name<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => unreachable!("called on unit enum variants only"),
    }
}

/// The scenario enum value an API name stands for, if the simulator models it.
pub(crate) fn from_api_name<T: serde::de::DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
}
