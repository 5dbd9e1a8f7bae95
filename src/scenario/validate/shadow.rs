//! A shadow test: a shadow variant that receives copies of a production variant's requests
//! for a window of the run.

use super::check::Check;
use crate::deployment::shadow;
use crate::engine::{SimDuration, SimTime};
use crate::model::VariantId;
use crate::scenario::deployment as d;
use crate::sim::{EndpointKind, ShadowConfig, ShadowSampling, VariantConfig};

/// Validates `shadow_test`; its variant is the last of `variants`.
pub(super) fn validate(
    c: &mut Check,
    t: &d::ShadowTest,
    variants: &[VariantConfig],
    kind: EndpointKind,
    duration: SimDuration,
    warnings: &mut Vec<String>,
) -> Option<ShadowConfig> {
    let shadow_index = variants.len().checked_sub(1)?;
    let production = &variants[..shadow_index];
    if kind == EndpointKind::Async {
        c.fail(
            "shadow_test",
            "a shadow test on an asynchronous endpoint",
            "a real-time endpoint (shadow tests are not available for asynchronous, serverless, multi-model or Marketplace endpoints, docs/semantics/rollouts.md §7.5)",
        );
    }
    if production.len() != 1 {
        c.fail(
            "endpoint.variants",
            format!("{} production variants", production.len()),
            "exactly one production variant beside a shadow variant (docs/semantics/rollouts.md §7.1)",
        );
    }
    let source = match &t.source_variant {
        Some(n) => production.iter().position(|v| &v.name == n).or_else(|| {
            c.fail(
                "shadow_test.source_variant",
                format!("\"{n}\""),
                "the name of the production variant",
            );
            None
        }),
        None => Some(0),
    }?;
    if !(1..=100).contains(&t.sampling_percentage) {
        c.fail(
            "shadow_test.sampling_percentage",
            t.sampling_percentage,
            "an integer from 1 to 100 (SamplingPercentage)",
        );
    }
    let secs = |path: &str, v: SimDuration, c: &mut Check| {
        if v.0 % 1_000_000 != 0 {
            c.fail(path, format!("\"{v}\""), "a whole number of seconds");
        }
        v.0 / 1_000_000
    };
    let start = secs("shadow_test.start", t.start.0, c);
    let length = t
        .duration
        .map_or(shadow::DEFAULT_DURATION_S, |d| secs("shadow_test.duration", d.0, c));
    if !(shadow::MIN_DURATION_S..=shadow::MAX_DURATION_S).contains(&length) {
        c.fail(
            "shadow_test.duration",
            format!("{length} s"),
            "1 hour to 30 days (docs/semantics/rollouts.md §7.2)",
        );
    }
    let early = t.started_early_at.map(|e| secs("shadow_test.started_early_at", e.0, c));
    if let Some(e) = early {
        if e > start {
            c.fail(
                "shadow_test.started_early_at",
                format!("{e} s"),
                &format!("a time before the scheduled start ({start} s)"),
            );
        }
    }
    let w = shadow::window(start, length, early);
    if w.end_moved {
        warnings.push(format!(
            "shadow_test: started early, the test would last more than 30 days; its end moves to {} s (docs/semantics/rollouts.md §7.2)",
            w.end_s
        ));
    }
    if w.start_s * 1_000_000 >= duration.0 {
        // Started early, the test begins at `started_early_at`: that is the start at fault.
        let field = if early.is_some_and(|e| e <= start) {
            "shadow_test.started_early_at"
        } else {
            "shadow_test.start"
        };
        c.fail(
            field,
            format!("{} s", w.start_s),
            &format!("a start before the end of the run ({duration})"),
        );
    }
    Some(ShadowConfig {
        name: t.name.clone(),
        variant: VariantId::from(shadow_index),
        source: VariantId::from(source),
        sampling_percentage: t.sampling_percentage,
        sampling: match t.sampling {
            d::Sampling::Deterministic => ShadowSampling::Deterministic,
            d::Sampling::Bernoulli => ShadowSampling::Bernoulli,
        },
        start: SimTime(w.start_s * 1_000_000),
        end: SimTime(w.end_s.saturating_mul(1_000_000)),
    })
}
