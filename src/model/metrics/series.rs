//! The series a request is recorded in: its variant's, and its endpoint configuration's while
//! the variant has deployments.

/// Where a recording goes: a variant's series and, while the variant has deployments, the
/// series of the endpoint configuration (model version) whose fleet handled the request, so
/// alarms can watch the new fleet alone (the `EndpointConfigName` dimension).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Series {
    variant: u16,
    config: u16,
}

impl Series {
    const NONE: u16 = u16::MAX;

    /// The variant's series only.
    pub fn variant(v: usize) -> Self {
        Series {
            variant: v as u16,
            config: Self::NONE,
        }
    }

    /// The variant's series and the configuration series `config` (an index from
    /// [`Recorder::add_config_series`](super::Recorder::add_config_series)).
    pub fn with_config(v: usize, config: usize) -> Self {
        Series {
            variant: v as u16,
            config: config as u16,
        }
    }

    /// The variant's index.
    #[inline]
    pub fn variant_index(self) -> usize {
        usize::from(self.variant)
    }

    /// The configuration series, if any.
    #[inline]
    pub fn config(self) -> Option<usize> {
        (self.config != Self::NONE).then_some(usize::from(self.config))
    }
}
