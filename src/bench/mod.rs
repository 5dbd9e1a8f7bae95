//! Benchmarks: a reference scenario and a bare binary-heap baseline, measured in the same run.
