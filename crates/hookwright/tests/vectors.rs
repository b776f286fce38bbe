//! Drives every file in `vectors/` (shared with the npm package's tests): each valid case must sign
//! to exactly the listed headers and verify; each error case must fail with the listed code.

use std::path::PathBuf;

use hookwright::{Options, Policy, Scheme, Secret, SignInput};
use serde_json::Value;

fn vector_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("vectors/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "expected the vector files in {}", dir.display());
    files
}

fn options(case: &Value) -> Options {
    let o = &case["options"];
    let s = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_string);
    Options {
        header: s("header"),
        timestamp_header: s("timestampHeader"),
        id_header: s("idHeader"),
        algorithm: s("algorithm"),
        encoding: s("encoding"),
        prefix: s("prefix"),
        message: s("message"),
    }
}

fn body(case: &Value) -> Vec<u8> {
    match (case.get("body"), case.get("body_hex")) {
        (Some(Value::String(s)), _) => s.as_bytes().to_vec(),
        (_, Some(Value::String(h))) => hex::decode(h).unwrap(),
        _ => panic!("case without body"),
    }
}

fn secrets(case: &Value) -> Vec<String> {
    match (case.get("secret"), case.get("secrets")) {
        (Some(Value::String(s)), _) => vec![s.clone()],
        (_, Some(Value::Array(a))) => a.iter().map(|s| s.as_str().unwrap().to_string()).collect(),
        _ => panic!("case without secret"),
    }
}

fn headers(case: &Value) -> Vec<(String, String)> {
    case["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().to_string(), p[1].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn every_vector() {
    let mut count = 0;
    for file in vector_files() {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let name = file.file_name().unwrap().to_string_lossy();
        assert!(doc["source"].as_str().is_some_and(|s| !s.is_empty()), "{name}: every file cites its source");
        for (i, case) in doc["cases"].as_array().unwrap().iter().enumerate() {
            let at = format!("{name} case {i} ({})", case["name"].as_str().unwrap_or("?"));
            let result = run(case);
            match case.get("error").and_then(Value::as_str) {
                Some(code) => match result {
                    Err(e) => assert_eq!(e, code, "{at}: wrong error code"),
                    Ok(()) => panic!("{at}: expected {code}, verification passed"),
                },
                None => {
                    if let Err(e) = result {
                        panic!("{at}: {e}");
                    }
                }
            }
            count += 1;
        }
    }
    assert!(count >= 40, "only {count} vectors");
}

/// Signs (for valid cases with a timestamp or none) and verifies one case.
fn run(case: &Value) -> Result<(), String> {
    let scheme =
        Scheme::new(case["scheme"].as_str().unwrap(), &options(case)).map_err(|e| e.code().as_str().to_string())?;
    let secrets = secrets(case);
    let secret_refs: Vec<Secret> = secrets.iter().map(|s| Secret::Text(s)).collect();
    let keys = scheme.keys(&secret_refs).map_err(|e| e.code().as_str().to_string())?;
    let body = body(case);
    let expected = headers(case);
    let timestamp = case.get("timestamp").and_then(Value::as_u64);
    let is_error = case.get("error").is_some() || case.get("ok").is_some();
    if !is_error {
        let got = scheme
            .sign(
                &keys[0],
                &body,
                SignInput {
                    timestamp,
                    id: case.get("id").and_then(Value::as_str),
                    profile: case.get("profile").and_then(Value::as_str),
                },
            )
            .map_err(|e| e.to_string())?;
        if got != expected {
            return Err(format!("signed headers differ:\n  got      {got:?}\n  expected {expected:?}"));
        }
    }
    let now = case.get("now").and_then(Value::as_u64).or(timestamp).unwrap_or(0);
    let tolerance = case.get("tolerance").and_then(Value::as_u64).unwrap_or(Policy::DEFAULT_TOLERANCE);
    let pairs: Vec<(&str, &str)> = expected.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let ok = scheme.verify(&pairs, &body, &keys, Policy { now, tolerance }).map_err(|e| {
        let text = e.to_string();
        // No failure may reveal what the signature should have been.
        for k in &keys {
            let mac = hex::encode(k.mac(&[&body]));
            assert!(!text.contains(&mac[..16]), "error leaks a MAC: {text}");
        }
        e.code().as_str().to_string()
    })?;
    for (field, got) in [("secret_index", ok.secret_index), ("signature_index", ok.signature_index)] {
        if let Some(want) = case.get(field).and_then(Value::as_u64)
            && want as usize != got
        {
            return Err(format!("{field}: got {got}, expected {want}"));
        }
    }
    Ok(())
}

#[test]
fn tampering_any_byte_fails() {
    let scheme = Scheme::new("stripe", &Options::default()).unwrap();
    let key = scheme.key(&Secret::Text("whsec_abc")).unwrap();
    let body = br#"{"id":"evt_1","amount":100}"#;
    let headers = scheme.sign(&key, body, SignInput { timestamp: Some(1000), ..Default::default() }).unwrap();
    let value = &headers[0].1;
    for i in 0..body.len() {
        let mut b = body.to_vec();
        b[i] ^= 1;
        let e = scheme
            .verify(&[("stripe-signature", value)], &b, std::slice::from_ref(&key), Policy::at(1000))
            .unwrap_err();
        assert_eq!(e.code().as_str(), "signature_mismatch");
    }
    // The signed timestamp is part of the message: moving it breaks the signature.
    let moved = value.replace("t=1000", "t=1001");
    let e = scheme.verify(&[("stripe-signature", &moved)], body, &[key], Policy::at(1000)).unwrap_err();
    assert_eq!(e.code().as_str(), "signature_mismatch");
}

#[test]
fn secrets_never_print() {
    let scheme = Scheme::new("github", &Options::default()).unwrap();
    let key = scheme.key(&Secret::Text("hunter2-very-secret")).unwrap();
    assert_eq!(format!("{key:?}"), "Key([REDACTED])");
    assert_eq!(format!("{:?}", Secret::Text("hunter2-very-secret")), "Secret([REDACTED])");
}

#[test]
fn hostile_header_values_never_panic() {
    let inputs = [
        "",
        " ",
        ",",
        "=",
        "t=",
        "v1=",
        "t=,v1=",
        "v1,",
        "v1, ",
        "sha256=",
        "sha1=",
        "\u{0}",
        "t=99999999999999999999,v1=00",
        "é",
        "v1,é",
        "t=1,v1=é",
        "sha256=é",
        "v1,====",
        "v1,AAAA AAAA",
        "\n",
        "a\nb",
    ];
    for id in ["grafana", "github", "stripe", "standard", "svix", "slack", "shopify", "dbt", "dagu"] {
        let scheme = Scheme::new(id, &Options::default()).unwrap();
        let key = scheme.key(&Secret::Bytes(b"k")).unwrap();
        for sig in inputs {
            for ts in inputs {
                let names = scheme.header_names();
                let values: [Option<&str>; hookwright::SLOTS] = std::array::from_fn(|i| {
                    if names[i].is_empty() {
                        None
                    } else if i == 0 {
                        Some(sig)
                    } else {
                        Some(ts)
                    }
                });
                let r = scheme.verify_values(&values, b"body", std::slice::from_ref(&key), Policy::at(1));
                assert!(r.is_err(), "{id} accepted sig={sig:?} ts={ts:?}");
            }
        }
    }
}
