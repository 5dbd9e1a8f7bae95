//! The series a request is recorded in: its variant's, and its endpoint configuration's while
//! the variant has deployments.

use crate::model::VariantId;

/// Where a recording goes: a variant's series and, while the variant has deployments, the
/// series of the endpoint configuration (model version) whose fleet handled the request, so
/// alarms can watch the new fleet alone (the `EndpointConfigName` dimension).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Series {
    variant: VariantId,
    config: u16,
}

impl Series {
    const NONE: u16 = u16::MAX;

    /// The variant's series only.
    pub fn variant(v: VariantId) -> Self {
        Series {
            variant: v,
            config: Self::NONE,
        }
    }

    /// The variant's series and the configuration series `config` (an index from
    /// [`Recorder::add_config_series`](super::Recorder::add_config_series)). Series indices
    /// count variants and deployments, which validation bounds far below `u16::MAX`.
    pub fn with_config(v: VariantId, config: usize) -> Self {
        let config = u16::try_from(config)
            .ok()
            .filter(|&c| c != Self::NONE)
            .expect("a series index fits below u16::MAX: scenario limits bound the count");
        Series { variant: v, config }
    }

    /// The variant.
    #[inline]
    pub fn variant_id(self) -> VariantId {
        self.variant
    }

    /// The configuration series, if any.
    #[inline]
    pub fn config(self) -> Option<usize> {
        (self.config != Self::NONE).then_some(usize::from(self.config))
    }
}
