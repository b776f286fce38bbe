//! `cargo bench -p hookwright --bench render` (run by `cargo xtask bench`): native rendering speed
//! of the two bodies the issue names. Prints ops/s; asserts nothing.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use hookwright::template::{Dialect, Format, Limits, RenderRequest, compile, render};
use hookwright::{catalog, grafana};
use serde_json::Value;

fn ops_per_second(mut f: impl FnMut()) -> f64 {
    for _ in 0..50 {
        f();
    }
    let mut rates = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let mut n = 0u32;
        while start.elapsed() < Duration::from_millis(200) {
            f();
            n += 1;
        }
        rates.push(f64::from(n) / start.elapsed().as_secs_f64());
    }
    rates.sort_by(f64::total_cmp);
    rates[rates.len() / 2]
}

fn sample(sender: &str, event: &str) -> Value {
    let s = catalog::sender(sender).expect("sender in catalog");
    s.events.iter().find(|e| e.id == event).expect("event in catalog").sample.clone()
}

fn main() {
    let group = sample("grafana", "firing");
    let cp = grafana::ContactPoint::default();
    let limits = Limits::default();
    let body = grafana::render_payload(&group, &cp, &limits).body;
    assert!(serde_json::from_str::<Value>(&body).is_ok());
    let ops = ops_per_second(|| {
        black_box(grafana::render_payload(black_box(&group), &cp, &limits));
    });
    println!("native  grafana default payload ({} B)   {:>10.0} ops/s", body.len(), ops);
    let compiled = grafana::compile(&cp, &limits);
    assert_eq!(compiled.render(&group).body, body);
    let ops = ops_per_second(|| {
        black_box(compiled.render(black_box(&group)));
    });
    println!("native  grafana default payload, compiled  {:>10.0} ops/s", ops);

    let template = include_str!("dagster_2k.tmpl");
    let data = sample("dagster", "job_failure");
    let empty = BTreeMap::new();
    let req = RenderRequest {
        template,
        dialect: Dialect::Tokens,
        data: &data,
        env: &empty,
        vars: &empty,
        format: Format::Json,
        sender: Some("dagster"),
        event: Some("job_failure"),
        limits,
    };
    let out = render(&req);
    assert!(!out.has_errors(), "{:?}", out.diagnostics);
    let ops = ops_per_second(|| {
        black_box(render(black_box(&req)));
    });
    println!("native  dagster tokens body ({} B template) {:>10.0} ops/s", template.len(), ops);
    let compiled = compile(&req.compile_request());
    assert_eq!(compiled.render(&data), out);
    let ops = ops_per_second(|| {
        black_box(compiled.render(black_box(&data)));
    });
    println!("native  dagster tokens body, compiled      {:>10.0} ops/s", ops);
}
