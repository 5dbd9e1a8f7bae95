//! The `CopiesPending` rows: how many copies of each component wait for room, written only
//! when the count changes.
//!
//! Copies of one scaling activity are placed one by one, so the count can change several
//! times within one instant; the rows keep one per instant, with the count the instant ends
//! with (none when it ends where it began).

use super::command::PlacementCommand;
use crate::engine::SimTime;
use crate::model::{ActivityKind, VariantId};
use typed_index_collections::{TiSlice, TiVec};

/// What the rows last said, per component.
#[derive(Debug)]
pub(super) struct WaitingReport {
    /// Copies last reported as waiting.
    reported: TiVec<VariantId, u32>,
    /// The count before the current instant's row, if this instant changed it: `(instant,
    /// count)`.
    before: TiVec<VariantId, Option<(SimTime, u32)>>,
    /// When the component's latest row was written, while that row stands.
    row_at: TiVec<VariantId, Option<SimTime>>,
}

/// Why copies wait: the pool is at its maximum, or the quota refused more hosts.
#[derive(Clone, Copy, Debug)]
pub(super) struct PoolLimit {
    pub live: u32,
    pub max: u32,
}

impl WaitingReport {
    pub fn new(components: usize) -> Self {
        WaitingReport {
            reported: vec![0; components].into(),
            before: vec![None; components].into(),
            row_at: vec![None; components].into(),
        }
    }

    /// The number of components.
    pub fn components(&self) -> usize {
        self.reported.len()
    }

    /// The rows for `waiting` copies per component now (a component's count changed, or its
    /// row of this instant is withdrawn).
    pub fn rows(
        &mut self,
        now: SimTime,
        waiting: &TiSlice<VariantId, u32>,
        limit: &PoolLimit,
        cause: &str,
    ) -> Vec<PlacementCommand> {
        let mut cmds = Vec::new();
        for (component, &w) in waiting.iter_enumerated() {
            if self.reported[component] == w {
                continue;
            }
            let before = match self.before[component] {
                Some((t, b)) if t == now => Some(b),
                _ => None,
            };
            if before.is_none() {
                self.before[component] = Some((now, self.reported[component]));
            }
            self.reported[component] = w;
            if before.is_some() && self.row_at[component] == Some(now) {
                // This instant already has a row: it ends with the new count, or with none.
                cmds.push(PlacementCommand::WithdrawWaitingRow { component });
                self.row_at[component] = None;
                if before == Some(w) {
                    continue;
                }
            }
            let PoolLimit { live, max } = *limit;
            let reason = if w == 0 {
                "every copy placed".to_string()
            } else if live >= max {
                format!("{w} copies pending: no room on {live} instances and max_instance_count {max} reached")
            } else {
                format!("{w} copies pending: no room on {live} instances and the instance quota allows no more")
            };
            self.row_at[component] = Some(now);
            cmds.push(PlacementCommand::CopyRow {
                component,
                kind: ActivityKind::CopiesPending,
                cause: cause.to_string(),
                reason,
            });
        }
        cmds
    }
}
