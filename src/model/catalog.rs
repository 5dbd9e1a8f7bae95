//! Built-in catalog of SageMaker instance types, described in `docs/semantics/instances.md` §2.
//!
//! Every figure carries its provenance: `Derived` (arithmetic on figures printed in the source
//! material: memory = vCPUs x GiB per vCPU, price = fleet cost per hour / count),
//! `AwsNotInSeeds` (public specification, not from the source material) or `Scenario` (given by
//! the scenario). Only four prices are source-backed; scenarios supply the others.

/// Where a catalog figure comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provenance {
    Derived,
    AwsNotInSeeds,
    Scenario,
}

/// CPU architecture of an instance type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arch {
    X86,
    Arm,
}

/// One instance type with what is known about it.
#[derive(Clone, Debug, PartialEq)]
pub struct InstanceSpec {
    pub name: String,
    pub vcpus: Option<u32>,
    pub memory_gib: Option<f64>,
    pub gpus: Option<u32>,
    pub gpu_memory_gib: Option<f64>,
    pub price_per_hour_usd: Option<f64>,
    pub local_nvme: bool,
    /// Burstable (T2): rejected for auto scaling and load tests.
    pub burstable: bool,
    pub arch: Arch,
    /// Provenance of the hardware figures (vCPUs, memory, GPUs).
    pub hardware_provenance: Provenance,
    /// Provenance of the price.
    pub price_provenance: Provenance,
    /// Account quota of this type for endpoint usage (`None` = unlimited).
    pub endpoint_quota: Option<u32>,
}

impl InstanceSpec {
    /// The family, e.g. `g5` for `ml.g5.xlarge`.
    pub fn family(&self) -> &str {
        self.name.split('.').nth(1).unwrap_or("")
    }
}

struct Row {
    name: &'static str,
    vcpus: Option<u32>,
    mem: Option<f64>,
    gpus: Option<u32>,
    gpu_mem: Option<f64>,
    price: Option<f64>,
    hw: Provenance,
}

const fn row(name: &'static str, vcpus: u32, mem: f64, gpus: u32, gpu_mem: f64, hw: Provenance) -> Row {
    Row {
        name,
        vcpus: Some(vcpus),
        mem: Some(mem),
        gpus: if gpus == 0 { None } else { Some(gpus) },
        gpu_mem: if gpus == 0 { None } else { Some(gpu_mem) },
        price: None,
        hw,
    }
}

const fn priced(mut r: Row, price: f64) -> Row {
    r.price = Some(price);
    r
}

use Provenance::{AwsNotInSeeds as Aws, Derived};

/// Table A (GPU types, memory derived as vCPUs x GiB per vCPU), Table D (public figures) and the
/// Table B prices (price per instance-hour derived from `CostPerHour / count`).
const ROWS: &[Row] = &[
    row("ml.p2.xlarge", 4, 61.0, 1, 12.0, Derived),
    row("ml.p3.2xlarge", 8, 60.96, 1, 16.0, Derived),
    row("ml.g5.xlarge", 4, 16.0, 1, 24.0, Derived),
    row("ml.g5.2xlarge", 8, 32.0, 1, 24.0, Derived),
    row("ml.g5.4xlarge", 16, 64.0, 1, 24.0, Derived),
    row("ml.g5.8xlarge", 32, 128.0, 1, 24.0, Derived),
    row("ml.g5.16xlarge", 64, 256.0, 1, 24.0, Derived),
    row("ml.g4dn.xlarge", 4, 16.0, 1, 16.0, Derived),
    row("ml.g4dn.2xlarge", 8, 32.0, 1, 16.0, Derived),
    row("ml.g4dn.4xlarge", 16, 64.0, 1, 16.0, Derived),
    row("ml.g4dn.8xlarge", 32, 128.0, 1, 16.0, Derived),
    row("ml.g4dn.16xlarge", 64, 256.0, 1, 16.0, Derived),
    row("ml.c4.xlarge", 4, 7.5, 0, 0.0, Aws),
    row("ml.c5.large", 2, 4.0, 0, 0.0, Aws),
    priced(row("ml.c5.xlarge", 4, 8.0, 0, 0.0, Aws), 0.204),
    row("ml.c5.4xlarge", 16, 32.0, 0, 0.0, Aws),
    priced(row("ml.c5d.large", 2, 4.0, 0, 0.0, Aws), 0.115),
    priced(row("ml.c5d.xlarge", 4, 8.0, 0, 0.0, Aws), 0.23),
    row("ml.c7g.xlarge", 4, 8.0, 0, 0.0, Aws),
    row("ml.m4.xlarge", 4, 16.0, 0, 0.0, Aws),
    priced(row("ml.m5.large", 2, 8.0, 0, 0.0, Aws), 0.115),
    row("ml.m5.xlarge", 4, 16.0, 0, 0.0, Aws),
    row("ml.r5.xlarge", 4, 32.0, 0, 0.0, Aws),
    row("ml.t2.medium", 2, 4.0, 0, 0.0, Aws),
    row("ml.g5.24xlarge", 96, 384.0, 4, 24.0, Aws),
    row("ml.p4d.24xlarge", 96, 1152.0, 8, 40.0, Aws),
];

/// Looks up a built-in instance type by its exact name (`ml.c5.large`).
pub fn builtin(name: &str) -> Option<InstanceSpec> {
    ROWS.iter().find(|r| r.name == name).map(|r| {
        let family = name.split('.').nth(1).unwrap_or("");
        InstanceSpec {
            name: r.name.to_string(),
            vcpus: r.vcpus,
            memory_gib: r.mem,
            gpus: r.gpus,
            gpu_memory_gib: r.gpu_mem,
            price_per_hour_usd: r.price,
            // Seed: "d" families and g5 carry local NVMe.
            local_nvme: family.ends_with('d') && !family.starts_with("g4") || family == "g5",
            burstable: family.starts_with('t'),
            arch: if family == "c7g" { Arch::Arm } else { Arch::X86 },
            hardware_provenance: r.hw,
            price_provenance: if r.price.is_some() {
                Provenance::Derived
            } else {
                Provenance::Scenario
            },
            endpoint_quota: None,
        }
    })
}

/// Names of all built-in types, in catalog order.
pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    ROWS.iter().map(|r| r.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn i1_memory_derivation() {
        assert_eq!(builtin("ml.p2.xlarge").unwrap().memory_gib, Some(61.0));
        assert_eq!(builtin("ml.p3.2xlarge").unwrap().memory_gib, Some(60.96));
        assert_eq!(builtin("ml.g5.16xlarge").unwrap().memory_gib, Some(256.0));
        assert_eq!(builtin("ml.g4dn.8xlarge").unwrap().memory_gib, Some(128.0));
    }

    #[test]
    fn i2_i6_prices() {
        let c5d = builtin("ml.c5d.xlarge").unwrap().price_per_hour_usd.unwrap();
        assert!((3.0 * c5d - 0.69).abs() < 1e-12);
        let c5 = builtin("ml.c5.xlarge").unwrap().price_per_hour_usd.unwrap();
        assert!((c5 * 24.0 - 4.896).abs() < 1e-9);
        let m5 = builtin("ml.m5.large").unwrap().price_per_hour_usd.unwrap();
        assert!((2.0 * m5 * 24.0 - 5.52).abs() < 1e-9);
        assert_eq!(builtin("ml.c5.large").unwrap().price_per_hour_usd, None);
    }

    #[test]
    fn flags() {
        assert!(builtin("ml.t2.medium").unwrap().burstable);
        assert!(builtin("ml.c5d.large").unwrap().local_nvme);
        assert!(builtin("ml.g5.xlarge").unwrap().local_nvme);
        assert!(!builtin("ml.g4dn.xlarge").unwrap().local_nvme);
        assert_eq!(builtin("ml.c7g.xlarge").unwrap().arch, Arch::Arm);
        assert_eq!(builtin("ml.g4dn.2xlarge").unwrap().vcpus, Some(8));
        assert!(builtin("ml.nope").is_none());
    }
}
