//! Scaling recommendations: the instance benchmark a recommendation job runs, the saved job,
//! and `GetScalingConfigurationRecommendation` over it (docs/semantics/load-tests.md §2, §4; docs/semantics/autoscaling.md §11.3).
//!
//! `benchmark` runs simulations (one variant, one instance, a rising load); `job` is the
//! completed job in the `DescribeInferenceRecommendationsJob` shape; `request` and `response`
//! are the recommendation API, a pure function of a job and a request; `goals` chooses among
//! benchmarked configurations (instance count for `MaxInvocations`, listing order, Studio's
//! deployment goals); `loadtest` runs `CreateInferenceRecommendationsJob` load tests of closed-loop
//! users and writes their results in the same saved-job shape.

pub mod benchmark;
pub mod goals;
pub mod job;
pub mod loadtest;
pub mod request;
pub mod response;
pub mod single;

pub use benchmark::{run_benchmark, Benchmark, BenchmarkError, BenchmarkMinute, BenchmarkOptions, StopReason};
pub use job::{JobInput, RecommendationJob};
pub use request::{RecommendationError, ScalingRecommendationRequest};
pub use response::{recommend, RecommendOptions, ScalingRecommendation};
