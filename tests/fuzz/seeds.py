#!/usr/bin/env python3
"""Writes the fuzz seeds from tests/vectors into tests/fuzz/corpus/<target>/ (named by SHA-1, as
libFuzzer names what it adds, so a second run writes nothing new). `make fuzz` runs it first.

Per target (input formats: tests/fuzz/src/lib.rs): every vector token (verify with a 0x00 mode byte,
decode_unverified, inspect); its decoded header and payload (json; verify re-signed in the
harness's format, mode 0x01, for each key selector); its three segments (base64url); each
payload with each algorithm (sign_verify); plus a few hand-made edge cases of the JSON reader.
"""
import base64
import hashlib
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
CORPUS = ROOT / "tests" / "fuzz" / "corpus"


def unb64(seg):
    try:
        return base64.urlsafe_b64decode(seg + "=" * (-len(seg) % 4))
    except ValueError:
        return None


def tokens():
    for path in sorted((ROOT / "tests" / "vectors").glob("*.json")):
        doc = json.loads(path.read_text())
        for case in doc.get("cases", []) if isinstance(doc, dict) else []:
            token = case.get("token") if isinstance(case, dict) else None
            if isinstance(token, str) and len(token) <= 4096:
                yield token


def main():
    seeds = {t: set() for t in ["verify", "json", "base64url", "decode_unverified", "inspect", "sign_verify", "jwe", "jwk_read", "pk_verify", "cert_key"]}
    # jwe: the RFC examples as tokens (mode 0), and every key × enc encrypted by the harness
    # (mode 1; byte 1 the key and enc, byte 2 the bit to flip).
    for v in json.loads((ROOT / "tests" / "vectors" / "jwe" / "rfc.json").read_text())["vectors"]:
        seeds["jwe"].add(b"\x00" + v["token"].encode())
    for sel in range(48):
        for bit in [0, 77, 255]:
            seeds["jwe"].add(bytes([1, sel, bit]) + b'{"sub":"u1","exp":2000000000}')
    # keys: the RFC keys and Wycheproof's key sets (jwk_read: mode, allowlist bits, JSON), the
    # RFC tokens and Wycheproof's JWS tokens (pk_verify), the test certificates (cert_key).
    keys_dir = ROOT / "tests" / "vectors" / "keys"
    for v in json.loads((keys_dir / "rfc.json").read_text())["cases"]:
        jwk = json.dumps(v["jwk"]).encode()
        for bits in [(0xff, 0x03), (0x01, 0x00), (0x48, 0x01), (0x00, 0x02)]:
            seeds["jwk_read"].add(bytes([0, *bits]) + jwk)
        seeds["jwk_read"].add(bytes([1, 0xff, 0x03]) + b'{"keys":[' + jwk + b"]}")
        seeds["pk_verify"].add(v["token"].encode())
    wy = ROOT / "tests" / "vectors" / "wycheproof"
    for name in ["json_web_key_test.json", "json_web_signature_test.json"]:
        for g in json.loads((wy / name).read_text())["testGroups"]:
            for part in ["public", "private"]:
                if part in g:
                    text = json.dumps(g[part]).encode()
                    seeds["jwk_read"].add(bytes([1 if "keys" in g[part] else 0, 0xff, 0x03]) + text)
            for t in g["tests"]:
                # Every key case, a tenth of the signature cases (the corpus stays small).
                if isinstance(t.get("jws"), str) and (name.startswith("json_web_key") or t["tcId"] % 10 == 0):
                    seeds["pk_verify"].add(t["jws"].encode())
    for c in json.loads((keys_dir / "certs.json").read_text())["cases"]:
        seeds["cert_key"].add(c["pem"].encode())
        body = "".join(l for l in c["pem"].splitlines() if not l.startswith("-----"))
        seeds["cert_key"].add(body.encode())
    for token in tokens():
        raw = token.encode()
        seeds["verify"].add(b"\x00" + raw)
        seeds["decode_unverified"].add(raw)
        seeds["inspect"].add(raw)
        segs = token.split(".")
        for seg in segs[:3]:
            seeds["base64url"].add(seg.encode())
        if len(segs) != 3:
            continue
        header, payload = unb64(segs[0]), unb64(segs[1])
        if header is None or payload is None:
            continue
        seeds["json"].update([header, payload])
        # Key selectors 0..7 (held keys, then strangers), and one with a damaged tag.
        for sel in [0, 1, 3, 4, 6, 0x30]:
            seeds["verify"].add(bytes([1, sel]) + header + b"\x00" + payload)
        for alg in range(3):
            seeds["sign_verify"].add(bytes([alg, alg * 5, 0]) + b"s" * (32 + 16 * alg) + payload)
    deep = lambda n: b'{"d":' + b"[" * (n - 1) + b"1" + b"]" * (n - 1) + b"}"
    seeds["json"].update([
        deep(31), deep(32), deep(33),
        b'{"exp":1e400,"n":-0,"f":0.1e-400,"big":123456789012345678901234567890}',
        b'{"s":"\\ud83d\\ude00\\u00e9\\/\\b\\f\\n\\r\\t\\"\\\\","a":"\\u0061"}',
        b'{"a":1,"\\u0061":2}', b'{"lone":"\\ud800"}', b'{"aud":["a","b"],"x":[1,{"y":null}],"t":true}',
    ])
    written = 0
    for target, inputs in seeds.items():
        out = CORPUS / target
        out.mkdir(parents=True, exist_ok=True)
        for data in inputs:
            path = out / hashlib.sha1(data).hexdigest()
            if not path.exists():
                path.write_bytes(data)
                written += 1
    print(f"seeds.py: {written} new seeds in {CORPUS.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
