//! Inference Recommender load tests (`CreateInferenceRecommendationsJob`): closed-loop users
//! on a traffic pattern against each endpoint configuration of a job, stopped by the job's
//! stopping conditions, reported in the service's shapes (docs/semantics/load-tests.md).
//!
//! `request` is the API's JSON; `checks` validates it into a job; `endpoint` builds each test's
//! simulated endpoint from the model scenarios; `run` runs the tests on threads, each ended by
//! its stopping conditions (`model::workload::stopping`); `schedule` decides which tests ran;
//! `response` writes the results.

pub mod checks;
pub mod endpoint;
pub mod request;
pub mod response;
pub mod run;
pub mod schedule;

pub use checks::{check, CheckedJob, JobType, PatternValidation};
pub use endpoint::ModelScenario;
pub use request::JobRequest;
pub use response::{describe, JobSteps};
pub use run::{run_job, TestOutcome};
