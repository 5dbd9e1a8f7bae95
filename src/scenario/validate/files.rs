//! The data files a scenario names (service-time samples, traffic traces), read and checked in
//! a pass of their own before any field is validated, so the field validators work on data
//! already in memory and never touch the disk.
//!
//! Paths are relative to the scenario's folder. Size limits and row checks are those of
//! `inputs`; the first file that cannot be read or parsed is the error.

use crate::engine::{SimDuration, SimTime};
use crate::scenario::components::InferenceComponent;
use crate::scenario::error::ScenarioError;
use crate::scenario::file::{Dist, Endpoint, Launch, Model, Scenario, TraceFormat, Workload};
use crate::scenario::inputs;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// Units a samples file may be written in.
pub(super) const SAMPLE_UNITS: [&str; 3] = ["us", "ms", "s"];

/// A replayed traffic trace, parsed.
pub(super) enum Trace {
    /// `(offset, count)` per period.
    Counts(Arc<[(SimTime, u64)]>),
    /// Arrival offsets, sorted.
    Timestamps(Arc<[SimTime]>),
}

/// Every data file of a scenario, read.
#[derive(Default)]
pub(super) struct Files {
    /// Samples in microseconds by `(file, unit)`: a file named twice is read once.
    samples: HashMap<(String, String), Arc<[u64]>>,
    trace: Option<Trace>,
}

impl Files {
    /// The samples of `file` written in `unit`. Every `Empirical` distribution with a valid
    /// unit was read by [`read`]; a miss would be a gap in [`read`]'s walk.
    pub(super) fn samples(&self, file: &str, unit: &str) -> Arc<[u64]> {
        let found = self.samples.get(&(file.to_string(), unit.to_string()));
        debug_assert!(found.is_some(), "samples file {file} ({unit}) was not read");
        found.cloned().unwrap_or_else(|| Arc::from(Vec::new()))
    }

    /// The workload's trace, when the workload replays one.
    pub(super) fn trace(&self) -> Option<&Trace> {
        self.trace.as_ref()
    }
}

/// Reads every data file `s` names, in the order validation meets them: the serverless
/// endpoint, the variants and the shadow variant, the inference components, the workload, then
/// the deployments.
pub(super) fn read(s: &Scenario, base: &Path) -> Result<Files, ScenarioError> {
    let mut r = Reader {
        base,
        files: Files::default(),
    };
    let (variants, shadow) = match &s.endpoint {
        Endpoint::Serverless { cold_start, model, .. } => {
            r.dist(cold_start)?;
            r.model(model)?;
            // A serverless endpoint has no shadow test; validation reports the field.
            (&[][..], None)
        }
        Endpoint::RealTime { variants, .. } | Endpoint::Async { variants, .. } => {
            (&variants[..], s.shadow_test.as_ref().map(|t| &t.variant))
        }
    };
    for v in variants.iter().chain(shadow) {
        if let Some(m) = &v.model {
            r.model(m)?;
        }
        r.launch(&v.launch)?;
    }
    for ic in variants.iter().flat_map(|v| &v.inference_components) {
        r.component(ic)?;
    }
    if let Workload::Users {
        think_time: Some(d), ..
    } = &s.workload
    {
        r.dist(d)?;
    }
    if let Some(Workload::Trace { file, format, scale }) = s.workload.open_loop() {
        r.files.trace = Some(match format {
            TraceFormat::Counts { period } => {
                // A zero period is reported by validation; rows are still read one tick apart.
                let period = period.0.max(SimDuration(1));
                Trace::Counts(inputs::count_trace(base, file, period, *scale)?.into())
            }
            TraceFormat::Timestamps => Trace::Timestamps(inputs::timestamp_trace(base, file)?.into()),
        });
    }
    for d in &s.deployments {
        r.model(&d.model)?;
        if let Some(l) = &d.launch {
            r.launch(l)?;
        }
    }
    Ok(r.files)
}

struct Reader<'a> {
    base: &'a Path,
    files: Files,
}

impl Reader<'_> {
    fn dist(&mut self, d: &Dist) -> Result<(), ScenarioError> {
        let Dist::Empirical { file, unit } = d else {
            return Ok(());
        };
        // Without a known unit the numbers mean nothing; validation reports the unit.
        if !SAMPLE_UNITS.contains(&unit.as_str()) {
            return Ok(());
        }
        let key = (file.clone(), unit.clone());
        if !self.files.samples.contains_key(&key) {
            let samples = inputs::samples(self.base, file, unit)?;
            self.files.samples.insert(key, samples.into());
        }
        Ok(())
    }

    fn model(&mut self, m: &Model) -> Result<(), ScenarioError> {
        self.dist(&m.service_time)
    }

    fn launch(&mut self, l: &Launch) -> Result<(), ScenarioError> {
        self.dist(&l.pending)?;
        self.dist(&l.provision)?;
        self.dist(&l.load)
    }

    fn component(&mut self, ic: &InferenceComponent) -> Result<(), ScenarioError> {
        self.model(&ic.model)?;
        match &ic.copy_load {
            Some(d) => self.dist(d),
            None => Ok(()),
        }
    }
}
