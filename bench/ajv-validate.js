// The comparison of docs/benchmarks.md: validates each NDJSON line against the common schema and its kind's schema with ajv.
// (cd bench && npm install --no-save ajv@8 ajv-formats@3) && node bench/ajv-validate.js contracts/telemetry/v2 traffic.ndjson > /dev/null
const fs = require('fs'), path = require('path'), readline = require('readline');
const Ajv2020 = require('ajv/dist/2020'), addFormats = require('ajv-formats');
const ajv = new Ajv2020({ allErrors: false, strict: false });
addFormats(ajv);
const dir = process.argv[2];
const common = JSON.parse(fs.readFileSync(path.join(dir, 'telemetry.schema.json')));
ajv.addSchema(common);
const kinds = {};
for (const f of fs.readdirSync(path.join(dir, 'kinds'))) {
  const s = JSON.parse(fs.readFileSync(path.join(dir, 'kinds', f)));
  kinds[f.replace('.schema.json', '')] = ajv.compile(s);
}
const validateCommon = ajv.getSchema(common.$id);
let valid = 0, invalid = 0;
const rl = readline.createInterface({ input: fs.createReadStream(process.argv[3]), crlfDelay: Infinity });
rl.on('line', line => {
  if (!line.trim()) return;
  let doc; try { doc = JSON.parse(line); } catch (e) { invalid++; return; }
  const payload = doc && doc.specversion && doc.data ? doc.data : doc;
  let ok = validateCommon(payload);
  const k = payload && kinds[payload.kind];
  if (ok && k) ok = k(payload);
  if (ok) valid++; else invalid++;
  process.stdout.write(JSON.stringify({ valid: ok, errors: ok ? [] : (validateCommon.errors || k.errors) }) + '\n');
});
rl.on('close', () => console.error(`${valid} valid, ${invalid} invalid`));
