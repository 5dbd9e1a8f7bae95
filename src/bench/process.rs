//! What Linux reports about this process under `/proc`: the calling thread's CPU time and the
//! peak resident set, the [`Probes`] `fleetsim bench` and `benches/` time with. The only file
//! reads of `bench`; the measurement itself takes the probes as values, so tests hand it fakes.

use super::Probes;

/// The probes of this platform: `/proc` readers, each `None` where its file does not exist.
pub fn process_probes() -> Probes {
    Probes {
        thread_cpu_s,
        peak_rss_kib,
    }
}

/// CPU time this thread has run so far \[s\]: the first field (nanoseconds on a CPU) of
/// `/proc/thread-self/schedstat`; `None` where that file does not exist.
pub fn thread_cpu_s() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(ns as f64 / 1e9)
}

/// Peak resident set size of this process (`VmHWM` in `/proc/self/status`) \[KiB\]; `None` where
/// that file does not exist (not Linux) or cannot be parsed.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    parse_vm_hwm(&status)
}

/// The `VmHWM:   1234 kB` line of a `/proc/<pid>/status` text, in KiB.
fn parse_vm_hwm(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let mut parts = line["VmHWM:".len()..].split_whitespace();
    let n: u64 = parts.next()?.parse().ok()?;
    // The kernel always writes kB (meaning KiB); anything else is not a format we know.
    (parts.next() == Some("kB")).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vm_hwm_is_parsed() {
        let status = "Name:\tx\nVmPeak:\t  9999 kB\nVmHWM:\t    4321 kB\nVmRSS:\t 100 kB\n";
        assert_eq!(parse_vm_hwm(status), Some(4321));
        assert_eq!(parse_vm_hwm("VmRSS: 1 kB\n"), None);
        if cfg!(target_os = "linux") {
            assert!(peak_rss_kib().is_some_and(|k| k > 0));
            assert!(thread_cpu_s().is_some());
        }
    }
}
