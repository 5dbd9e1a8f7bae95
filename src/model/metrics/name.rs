//! Names of the CloudWatch metrics the model emits, as alarms and policies refer to them.

use std::fmt;

/// A metric of `AWS/SageMaker` or `/aws/sagemaker/Endpoints` that the simulation emits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MetricName {
    /// Requests that reached the variant (each emits 1).
    Invocations,
    /// Each request adds `1/N`, `N` in service at its arrival; meaningful as `Sum`.
    InvocationsPerInstance,
    /// Requests answered 4XX; each request emits 1 or 0, so `Average` is the error fraction.
    Invocation4XXErrors,
    /// Requests answered 5XX; each request emits 1 or 0.
    Invocation5XXErrors,
    /// Time in the container \[µs\].
    ModelLatency,
    /// Time outside the container, backlog wait included \[µs\].
    OverheadLatency,
    /// Busy slots over slots x 100 x vCPUs, per in-service instance [%].
    CPUUtilization,
    /// In-flight plus waiting requests per in-service instance, sampled every tick.
    ConcurrentRequestsPerModel,
    /// Requests queued, sampled every tick: waiting ones, plus those being processed on an
    /// asynchronous endpoint.
    ApproximateBacklogSize,
    /// `ApproximateBacklogSize / max(N, 1)`, sampled every tick.
    ApproximateBacklogSizePerInstance,
    /// 1 when the queue is non-empty and no instance is in service, else 0, sampled every tick.
    HasBacklogWithoutCapacity,
    /// Requests that arrived while no instance was in service.
    NoCapacityInvocationFailures,
    /// How long the oldest waiting request has waited \[s\], sampled every tick.
    ApproximateAgeOfOldestRequest,
    /// Requests that left the queue unserved: time-to-live expiries on an asynchronous
    /// endpoint, invocation timeouts while waiting on a real-time one.
    ExpiredRequests,
    /// Serverless: concurrent executions / `MaxConcurrency`, sampled every tick.
    ServerlessConcurrentExecutionsUtilization,
    /// Serverless: executions on provisioned-concurrency units, sampled every tick.
    ServerlessProvisionedConcurrencyExecutions,
    /// Serverless: concurrent executions / allocated provisioned concurrency, sampled every
    /// tick; no datapoint while none is allocated.
    ServerlessProvisionedConcurrencyUtilization,
    /// Serverless: requests served by provisioned concurrency (each emits 1).
    ServerlessProvisionedConcurrencyInvocations,
    /// Serverless: requests provisioned concurrency could not take that on-demand capacity
    /// served (each emits 1).
    ServerlessProvisionedConcurrencySpilloverInvocations,
    /// Serverless: time to launch compute for a cold start \[µs\], one sample per cold start.
    ModelSetupTime,
    /// Inference components: each request adds `1/N`, `N` copies in service at its arrival
    /// (like `InvocationsPerInstance`, with copies for instances \[assumption\]).
    InvocationsPerCopy,
    /// Inference components: in-flight plus waiting requests per in-service copy, sampled
    /// every tick (high resolution; Average over copies \[assumption\]).
    ConcurrentRequestsPerCopy,
}

impl MetricName {
    pub const ALL: [MetricName; 22] = [
        MetricName::Invocations,
        MetricName::InvocationsPerInstance,
        MetricName::Invocation4XXErrors,
        MetricName::Invocation5XXErrors,
        MetricName::ModelLatency,
        MetricName::OverheadLatency,
        MetricName::CPUUtilization,
        MetricName::ConcurrentRequestsPerModel,
        MetricName::ApproximateBacklogSize,
        MetricName::ApproximateBacklogSizePerInstance,
        MetricName::HasBacklogWithoutCapacity,
        MetricName::NoCapacityInvocationFailures,
        MetricName::ApproximateAgeOfOldestRequest,
        MetricName::ExpiredRequests,
        MetricName::ServerlessConcurrentExecutionsUtilization,
        MetricName::ServerlessProvisionedConcurrencyExecutions,
        MetricName::ServerlessProvisionedConcurrencyUtilization,
        MetricName::ServerlessProvisionedConcurrencyInvocations,
        MetricName::ServerlessProvisionedConcurrencySpilloverInvocations,
        MetricName::ModelSetupTime,
        MetricName::InvocationsPerCopy,
        MetricName::ConcurrentRequestsPerCopy,
    ];

    pub fn name(self) -> &'static str {
        match self {
            MetricName::Invocations => "Invocations",
            MetricName::InvocationsPerInstance => "InvocationsPerInstance",
            MetricName::Invocation4XXErrors => "Invocation4XXErrors",
            MetricName::Invocation5XXErrors => "Invocation5XXErrors",
            MetricName::ModelLatency => "ModelLatency",
            MetricName::OverheadLatency => "OverheadLatency",
            MetricName::CPUUtilization => "CPUUtilization",
            MetricName::ConcurrentRequestsPerModel => "ConcurrentRequestsPerModel",
            MetricName::ApproximateBacklogSize => "ApproximateBacklogSize",
            MetricName::ApproximateBacklogSizePerInstance => "ApproximateBacklogSizePerInstance",
            MetricName::HasBacklogWithoutCapacity => "HasBacklogWithoutCapacity",
            MetricName::NoCapacityInvocationFailures => "NoCapacityInvocationFailures",
            MetricName::ApproximateAgeOfOldestRequest => "ApproximateAgeOfOldestRequest",
            MetricName::ExpiredRequests => "ExpiredRequests",
            MetricName::ServerlessConcurrentExecutionsUtilization => "ServerlessConcurrentExecutionsUtilization",
            MetricName::ServerlessProvisionedConcurrencyExecutions => "ServerlessProvisionedConcurrencyExecutions",
            MetricName::ServerlessProvisionedConcurrencyUtilization => "ServerlessProvisionedConcurrencyUtilization",
            MetricName::ServerlessProvisionedConcurrencyInvocations => "ServerlessProvisionedConcurrencyInvocations",
            MetricName::ServerlessProvisionedConcurrencySpilloverInvocations => {
                "ServerlessProvisionedConcurrencySpilloverInvocations"
            }
            MetricName::ModelSetupTime => "ModelSetupTime",
            MetricName::InvocationsPerCopy => "InvocationsPerCopy",
            MetricName::ConcurrentRequestsPerCopy => "ConcurrentRequestsPerCopy",
        }
    }

    /// Metrics with a datapoint (possibly zero) whenever the variant exists: SageMaker emits
    /// explicit zeros for idle variants rather than missing data \[AWS\].
    pub fn zero_when_idle(self) -> bool {
        matches!(
            self,
            MetricName::Invocations
                | MetricName::InvocationsPerInstance
                | MetricName::InvocationsPerCopy
                | MetricName::Invocation4XXErrors
                | MetricName::Invocation5XXErrors
                | MetricName::NoCapacityInvocationFailures
                | MetricName::ExpiredRequests
                | MetricName::ServerlessProvisionedConcurrencyInvocations
                | MetricName::ServerlessProvisionedConcurrencySpilloverInvocations
        )
    }
}

impl MetricName {
    /// Metrics only a serverless endpoint publishes (docs/semantics/serverless.md §4).
    pub fn serverless_only(self) -> bool {
        matches!(
            self,
            MetricName::ServerlessConcurrentExecutionsUtilization
                | MetricName::ServerlessProvisionedConcurrencyExecutions
                | MetricName::ServerlessProvisionedConcurrencyUtilization
                | MetricName::ServerlessProvisionedConcurrencyInvocations
                | MetricName::ServerlessProvisionedConcurrencySpilloverInvocations
                | MetricName::ModelSetupTime
        )
    }

    /// Whether a serverless endpoint publishes the metric (docs/semantics/serverless.md §4: Invocations, 4XX, 5XX,
    /// ModelLatency, OverheadLatency, ModelSetupTime and the serverless metrics; nothing else).
    pub fn published_by_serverless(self) -> bool {
        self.serverless_only()
            || matches!(
                self,
                MetricName::Invocations
                    | MetricName::Invocation4XXErrors
                    | MetricName::Invocation5XXErrors
                    | MetricName::ModelLatency
                    | MetricName::OverheadLatency
            )
    }
}

impl fmt::Display for MetricName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
