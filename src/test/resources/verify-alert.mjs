// Verifies a KFM wpe.alert with Node.js alone (no KFM code, no npm packages): the procedure in README.md.
// Usage: node verify-alert.mjs PUBLIC_KEY.pem ALERT.json
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

// RFC 8785: object keys sorted by UTF-16 code units (JavaScript's default sort), numbers and strings
// as JSON.stringify writes them (RFC 8785 defines both by ECMAScript), no whitespace.
function canonical(value) {
  if (Array.isArray(value)) return '[' + value.map(canonical).join(',') + ']';
  if (value !== null && typeof value === 'object') {
    return '{' + Object.keys(value).sort().map(k => JSON.stringify(k) + ':' + canonical(value[k])).join(',') + '}';
  }
  return JSON.stringify(value);
}

const publicKey = createPublicKey(readFileSync(process.argv[2]));
const alert = JSON.parse(readFileSync(process.argv[3], 'utf8'));
const { signature, ...unsigned } = alert;
const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
const keyId = 'kfm-ed25519-' + createHash('sha256').update(raw).digest('hex').slice(0, 16);
if (signature.algo !== 'ed25519' || signature.key_id !== keyId) {
  console.log(`FAIL key id ${signature.key_id}, expected ${keyId}`);
  process.exit(1);
}
const sig = Buffer.from(signature.sig.replace(/^base64:/, ''), 'base64');
const ok = verify(null, Buffer.from(canonical(unsigned), 'utf8'), publicKey, sig);
console.log(ok ? 'OK' : 'FAIL signature does not verify');
process.exit(ok ? 0 : 1);
