//! `fleetsim check --junit FILE`: JUnit XML, the test report CI systems read (Jenkins'
//! `junit` step, GitLab's `artifacts:reports:junit`, GitHub test-report actions).
//!
//! One `<testsuite>` per scenario, one `<testcase>` per expectation, a `<failure>` carrying
//! the measured value for each that failed. Only elements and attributes of the schema those
//! tools share (Jenkins' `junit-10.xsd`) are written, and no wall-clock `time` or `timestamp`
//! (both optional there), so the file is a pure function of the scenarios like every other
//! output.

use super::report::{counts, seeds_text, ScenarioVerdicts};
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

/// The JUnit XML document of a check.
pub fn junit(all: &[ScenarioVerdicts]) -> Vec<u8> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let (total, failed) = counts(all);
    // Writing to a `Vec` cannot fail.
    let ok = "writing XML to memory";
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .expect(ok);
    let (total, failed) = (total.to_string(), failed.to_string());
    let suites = BytesStart::new("testsuites").with_attributes([
        ("name", "fleetsim check"),
        ("tests", total.as_str()),
        ("failures", failed.as_str()),
        ("errors", "0"),
    ]);
    w.write_event(Event::Start(suites)).expect(ok);
    for (id, s) in all.iter().enumerate() {
        let (tests, fails) = (
            s.expectations.len().to_string(),
            s.expectations.iter().filter(|v| !v.pass).count().to_string(),
        );
        let id = id.to_string();
        let suite = BytesStart::new("testsuite").with_attributes([
            ("name", s.scenario.as_str()),
            ("tests", tests.as_str()),
            ("failures", fails.as_str()),
            ("errors", "0"),
            ("skipped", "0"),
            ("id", id.as_str()),
            ("package", s.file.as_str()),
        ]);
        w.write_event(Event::Start(suite)).expect(ok);
        w.write_event(Event::Start(BytesStart::new("properties"))).expect(ok);
        let seed = s.seed.to_string();
        for (name, value) in [("file", s.file.as_str()), ("seed", seed.as_str())] {
            let p = BytesStart::new("property").with_attributes([("name", name), ("value", value)]);
            w.write_event(Event::Empty(p)).expect(ok);
        }
        w.write_event(Event::End(BytesEnd::new("properties"))).expect(ok);
        for v in &s.expectations {
            let case = BytesStart::new("testcase")
                .with_attributes([("name", v.name.as_str()), ("classname", s.scenario.as_str())]);
            if v.pass {
                w.write_event(Event::Empty(case)).expect(ok);
                continue;
            }
            w.write_event(Event::Start(case)).expect(ok);
            let message = format!("{}; expected {}", v.measured, v.bound);
            let failure = BytesStart::new("failure")
                .with_attributes([("message", message.as_str()), ("type", "ExpectationFailed")]);
            w.write_event(Event::Start(failure)).expect(ok);
            let mut body = vec![format!("expected: {}", v.bound), format!("measured: {}", v.measured)];
            body.extend(v.detail.clone());
            body.extend(seeds_text(v));
            if let (Some(f), true) = (&v.first_failure, v.seeds > 1) {
                body.push(format!("first failing seed {}: {}", f.seed, f.measured));
                body.extend(f.detail.clone());
            }
            w.write_event(Event::Text(BytesText::new(&body.join("\n")))).expect(ok);
            w.write_event(Event::End(BytesEnd::new("failure"))).expect(ok);
            w.write_event(Event::End(BytesEnd::new("testcase"))).expect(ok);
        }
        w.write_event(Event::End(BytesEnd::new("testsuite"))).expect(ok);
    }
    w.write_event(Event::End(BytesEnd::new("testsuites"))).expect(ok);
    let mut out = w.into_inner();
    out.push(b'\n');
    out
}
