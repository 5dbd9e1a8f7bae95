//! Manual capacity updates: a variant's desired instance count set at a given time.

use super::check::Check;
use crate::engine::{SimDuration, SimTime};
use crate::model::VariantId;
use crate::scenario::file::{CapacityUpdate as FileUpdate, Variant};
use crate::scenario::limits::MAX_INSTANCES;
use crate::sim::CapacityUpdate;

/// Validates `endpoint.capacity_updates` against the production `variants`; the result is in
/// time order.
pub(super) fn validate(
    c: &mut Check,
    capacity_updates: &[FileUpdate],
    variants: &[Variant],
    is_async: bool,
    duration: SimDuration,
) -> Vec<CapacityUpdate> {
    let mut updates = Vec::new();
    for (i, u) in capacity_updates.iter().enumerate() {
        let p = format!("endpoint.capacity_updates[{i}]");
        match variants.iter().position(|v| v.name == u.variant) {
            Some(idx) => updates.push(CapacityUpdate {
                at: SimTime(u.at.0 .0),
                variant: VariantId::from(idx),
                desired: u.desired_instance_count,
            }),
            None => {
                let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
                c.fail(
                    &format!("{p}.variant"),
                    format!("\"{}\"", u.variant),
                    &format!("one of the variant names: {}", names.join(", ")),
                );
            }
        }
        let lowest = u32::from(!is_async);
        if u.desired_instance_count < lowest || u.desired_instance_count > MAX_INSTANCES {
            c.fail(
                &format!("{p}.desired_instance_count"),
                u.desired_instance_count,
                &format!("an integer from {lowest} to 100000"),
            );
        }
        if u.at.0 >= duration {
            c.fail(
                &format!("{p}.at"),
                format!("\"{}\"", u.at.0),
                &format!("a time before the end of the run ({duration})"),
            );
        }
    }
    updates.sort_by_key(|u| u.at);
    updates
}
