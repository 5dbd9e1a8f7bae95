//! AWS request bodies: the shapes of the API calls that configure what a scenario describes,
//! and the export of a scenario to them (`fleetsim export aws`).
//!
//! `autoscaling` and `cloudwatch` hold the request types with the API's field names;
//! `export` builds them from a scenario in call order, with the shell script of the `aws` CLI
//! calls; `import` reads them back into a base scenario. Nothing here reads or writes a file.

pub mod autoscaling;
pub mod cloudwatch;
pub mod export;
pub mod import;
