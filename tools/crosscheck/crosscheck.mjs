#!/usr/bin/env node
// KFM Telemetry Streams: independent cross-check of the service's outputs with third-party libraries
// (kafkajs, Confluent's @confluentinc/schemaregistry Avro serdes, the RFC 8785 reference
// canonicalizer `canonicalize`, node:crypto ed25519). Read-only: it only consumes and queries.
import { parseArgs } from 'node:util';
import { readFileSync, readdirSync } from 'node:fs';
import { createHash, createPublicKey, verify as edVerify, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
const { Kafka, logLevel, CompressionTypes, CompressionCodecs } = kafkajs;
import { decompress as zstdDecompress } from 'fzstd';
import canonicalize from 'canonicalize';
import avro from 'avsc';
import { SchemaRegistryClient, AvroDeserializer, AvroSerializer, SerdeType } from '@confluentinc/schemaregistry';

const { values: opt } = parseArgs({ options: {
  bootstrap: { type: 'string', default: '127.0.0.1:19092' },
  registry: { type: 'string', default: 'http://127.0.0.1:18081' },
  'public-key': { type: 'string' },
  'seed-dir': { type: 'string' },
  'valid-topic': { type: 'string', default: 'kfm.telemetry.valid' },
  'health-topic': { type: 'string', default: 'kfm.telemetry.health' },
  'alerts-topic': { type: 'string', default: 'kfm.telemetry.alerts' },
  'bigint-longs': { type: 'boolean', default: false },
  'idle-ms': { type: 'string', default: '5000' },
  'max-wait-ms': { type: 'string', default: '120000' },
  verbose: { type: 'boolean', short: 'v', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} });
if (opt.help) {
  console.log(`usage: node crosscheck.mjs [--bootstrap host:port] [--registry url] [--public-key alert-signing.pub]
       [--seed-dir dir-of-seed-json] [--bigint-longs] [--valid-topic t] [--health-topic t] [--alerts-topic t] [--idle-ms n] [-v]`);
  process.exit(0);
}

let failures = 0, passes = 0, notes = 0;
const pass = (m) => { passes++; console.log(`PASS  ${m}`); };
const fail = (m) => { failures++; console.log(`FAIL  ${m}`); };
const note = (m) => { notes++; console.log(`NOTE  ${m}`); };
const info = (m) => console.log(`      ${m}`);
const section = (m) => console.log(`\n== ${m}`);
const short = (v, n = 300) => { const s = typeof v === 'string' ? v : JSON.stringify(v, (k, x) => typeof x === 'bigint' ? x.toString() : x); return s.length > n ? s.slice(0, n) + '...' : s; };

// ---------------------------------------------------------------------------------------------
// Kafka: read a whole topic, read_committed, from the beginning; stop after idle-ms without records.
// kafkajs has no built-in ZSTD codec and topics.yaml sets compression.type=zstd on kfm.telemetry.valid:
// register a decompress-only codec (pure JS, fzstd). We never produce.
CompressionCodecs[CompressionTypes.ZSTD] = () => ({
  compress: async () => { throw new Error('crosscheck does not produce ZSTD'); },
  decompress: async (buf) => Buffer.from(zstdDecompress(new Uint8Array(buf.buffer, buf.byteOffset, buf.length))),
});
const kafka = new Kafka({ clientId: 'kfm-crosscheck', brokers: opt.bootstrap.split(','), logLevel: logLevel.ERROR });

async function consumeAll(topic) {
  const admin = kafka.admin();
  await admin.connect();
  let offsets;
  try { offsets = await admin.fetchTopicOffsets(topic); } finally { await admin.disconnect(); }
  const consumer = kafka.consumer({ groupId: `kfm-crosscheck-${randomUUID()}`, readUncommitted: false });
  const records = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let last = Date.now();
  const started = Date.now();
  await consumer.run({ autoCommit: false, eachMessage: async ({ partition, message }) => {
    records.push({ topic, partition, offset: message.offset, key: message.key, value: message.value,
      headers: message.headers, timestamp: message.timestamp });
    last = Date.now();
  } });
  const idle = Number(opt['idle-ms']);
  while (Date.now() - last < idle && Date.now() - started < Number(opt['max-wait-ms'])) {
    await new Promise((r) => setTimeout(r, 250));
  }
  await consumer.disconnect();
  const span = offsets.reduce((n, p) => n + (Number(p.high) - Number(p.low)), 0);
  info(`${topic}: ${records.length} committed records read (${offsets.length} partitions, offset span ${span} incl. transaction markers)`);
  return records;
}

const wire = (buf) => ({ magic: buf.length ? buf[0] : undefined, id: buf.length >= 5 ? buf.readUInt32BE(1) : undefined });

// ---------------------------------------------------------------------------------------------
// Avro (decoded by Confluent's deserializer, avsc 'auto' union wrapping) -> the JSON payload, per docs/serde.md.
const NOT_PAYLOAD = new Set(['event_time', 'envelope', 'validation', 'extra']);
function jsonValue(jv) {
  // record JsonValue {value: union}; avsc wraps this union ({long: 1}, {string: "x"}, ...)
  const v = jv == null ? null : jv.value;
  if (v == null) return null;
  const [branch, x] = Object.entries(v)[0];
  switch (branch) {
    case 'boolean': case 'string': return x;
    case 'long': return { __num: String(x) };
    case 'double': return x;
    case 'array': return x.map(jsonValue);
    case 'map': return Object.fromEntries(Object.entries(x).map(([k, e]) => [k, jsonValue(e)]));
    default:
      if (branch.endsWith('JsonBigNumber')) return { __num: x.text };
      throw new Error(`unexpected JsonValue branch ${branch}`);
  }
}
function unwrapUnion(v) {
  // a wrapped union value is a single-key object whose key is a type name
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const ks = Object.keys(v);
    if (ks.length === 1 && ['long', 'double', 'int', 'float', 'boolean', 'string'].includes(ks[0])) {
      return ks[0] === 'long' ? { __num: String(v[ks[0]]) } : v[ks[0]];
    }
  }
  return v;
}
function toPayloadObject(rec, skip = new Set()) {
  const out = {};
  for (const [k, v] of Object.entries(rec)) {
    if (v == null || skip.has(k) || k === 'extra') continue;
    out[k] = typedJson(k, v);
  }
  if (rec.extra) for (const [k, v] of Object.entries(rec.extra)) out[k] = jsonValue(v);
  return out;
}
function typedJson(name, v) {
  if (name === 'metrics') return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, jsonValue(e)]));
  v = unwrapUnion(v);
  if (Array.isArray(v)) return v.map((e) => (e && typeof e === 'object' && !Array.isArray(e) ? toPayloadObject(e) : e));
  if (v && typeof v === 'object' && !('__num' in v)) return toPayloadObject(v);
  if (typeof v === 'number' && Number.isInteger(v) && name !== 'window_hours') return v; // not expected
  return v;
}
// canonical JSON with integer text kept exact ({__num:"123"} -> 123 as text), otherwise RFC 8785 via `canonicalize`
function canonicalExact(v) {
  const marker = '\u0000NUM:';
  const pre = JSON.parse(JSON.stringify(v, (k, x) => (typeof x === 'bigint' ? marker + x : x && typeof x === 'object' && '__num' in x ? marker + x.__num : x)));
  return canonicalize(pre).replace(new RegExp(`"${marker.replace('\u0000', '\\\\u0000')}(-?[0-9]+)"`, 'g'), '$1');
}
// RFC 8785 proper: every number is an IEEE 754 double (what validation.payload_digest is defined on)
const canonicalJcs = (v) => canonicalize(JSON.parse(JSON.stringify(v, (k, x) => (typeof x === 'bigint' ? Number(x) : x && typeof x === 'object' && '__num' in x ? Number(x.__num) : x))));
const sha256 = (s) => 'sha256:' + createHash('sha256').update(Buffer.from(s, 'utf8')).digest('hex');

// Stock avsc (inside Confluent's serdes) refuses Avro longs beyond +-9007199254740990 ("potential precision
// loss"). With --bigint-longs every Avro long is read as a BigInt instead (the documented avsc way: a
// `registry` override passed through the serde config).
const BigIntLong = avro.types.LongType.__with({
  fromBuffer: (buf) => buf.readBigInt64LE(),
  toBuffer: (n) => { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(n)); return b; },
  fromJSON: (x) => BigInt(x),
  toJSON: (n) => Number(n),
  isValid: (n) => typeof n === 'bigint',
  compare: (a, b) => (a === b ? 0 : a < b ? -1 : 1),
});
const avroOpts = () => (opt['bigint-longs'] ? { registry: { long: BigIntLong } } : {});
const isLong = (x) => typeof x === 'number' || typeof x === 'bigint';

// ---------------------------------------------------------------------------------------------
const registry = new SchemaRegistryClient({ baseURLs: [opt.registry], cacheCapacity: 1000 });
const kinds = {};
let decodedValid = [];
let decodedHealth = [];

async function checkAvroTopic(topic, label, onDecoded) {
  section(`${label}: ${topic} via kafkajs (read_committed) + Confluent AvroDeserializer`);
  const deser = new AvroDeserializer(registry, SerdeType.VALUE, avroOpts());
  const records = await consumeAll(topic);
  if (records.length === 0) { fail(`${topic}: no records`); return []; }
  const ids = new Map(); const bad = [];
  const decoded = [];
  for (const r of records) {
    const w = wire(r.value);
    ids.set(`${w.magic}/${w.id}`, (ids.get(`${w.magic}/${w.id}`) ?? 0) + 1);
    try {
      const v = await deser.deserialize(topic, r.value);
      decoded.push({ r, v });
    } catch (e) {
      bad.push({ r, e });
    }
  }
  info(`wire headers (magic/schema id -> count): ${short(Object.fromEntries(ids))}`);
  if (bad.length === 0) pass(`${topic}: all ${records.length} values decode with Confluent's AvroDeserializer`);
  else {
    fail(`${topic}: ${bad.length}/${records.length} values do not decode`);
    for (const { r, e } of bad.slice(0, 5)) info(`p${r.partition}@${r.offset} key=${r.key} first bytes=${r.value.subarray(0, 16).toString('hex')}: ${e.message}`);
  }
  if ([...ids.keys()].every((k) => k.startsWith('0/'))) pass(`${topic}: every value starts with magic byte 0x00 + 4-byte id`);
  else fail(`${topic}: values without magic byte 0: ${short([...ids.keys()])}`);
  for (const id of new Set([...ids.keys()].map((k) => Number(k.split('/')[1])))) {
    try {
      const s = await registry.getBySubjectAndId(`${topic}-value`, id);
      info(`schema id ${id}: ${JSON.parse(s.schema).name} (${s.schemaType ?? 'AVRO'})`);
    } catch (e) { fail(`getBySubjectAndId(${topic}-value, ${id}): ${e.message}`); }
  }
  if (onDecoded) await onDecoded(decoded);
  return decoded;
}

// ---- 1a. kfm.telemetry.valid --------------------------------------------------------------------
await checkAvroTopic(opt['valid-topic'], 'TelemetryEvent', async (decoded) => {
  decodedValid = decoded;
  let lossless = 0; const lossy = [];
  for (const { r, v } of decoded) {
    kinds[v.kind] = (kinds[v.kind] ?? 0) + 1;
    const payload = toPayloadObject(v, NOT_PAYLOAD);
    const canon = canonicalJcs(payload);
    if (sha256(canon) === v.validation.payload_digest) lossless++;
    else lossy.push({ r, v, canon });
  }
  info(`kinds: ${short(kinds, 1000)}`);
  if (lossy.length === 0) pass(`rebuilt payload (typed fields + extra maps) hashes to validation.payload_digest for all ${decoded.length} records`);
  else {
    fail(`${lossy.length}/${decoded.length} rebuilt payloads do not hash to validation.payload_digest`);
    for (const { r, v, canon } of lossy.slice(0, 3)) info(`p${r.partition}@${r.offset} ${v.kind}: ${v.validation.payload_digest} vs ${sha256(canon)}; rebuilt=${short(canon, 400)}`);
  }
  // types a consumer sees
  const s = decoded[0]?.v;
  if (s) {
    info(`example decoded: event_time=${short(s.event_time)} (${typeof s.event_time}) ts=${s.ts} envelope=${short(s.envelope)}`);
    const m = s.metrics && Object.entries(s.metrics)[0];
    if (m) info(`example metrics entry as a Confluent JS consumer sees it: ${short({ [m[0]]: m[1] })}`);
  }
  // seed examples (kfm dev --demo shifts every unsigned seed's ts; so compare with the record's own ts)
  if (opt['seed-dir']) {
    for (const f of readdirSync(opt['seed-dir']).filter((f) => f.endsWith('.json')).sort()) {
      const seed = JSON.parse(readFileSync(join(opt['seed-dir'], f), 'utf8'));
      const same = decoded.filter((d) => d.v.kind === seed.kind);
      const hit = same.find((d) => canonicalExact(toPayloadObject(d.v, NOT_PAYLOAD)) === canonicalize({ ...seed, ts: d.v.ts }));
      if (hit) {
        const exact = hit.v.ts === seed.ts ? 'same ts' : `ts shifted ${seed.ts} -> ${hit.v.ts}`;
        pass(`seed ${f}: p${hit.r.partition}@${hit.r.offset} rebuilds to exactly the seed (RFC 8785 equal; ${exact})`);
        if (opt.verbose) info(`decoded by Confluent: ${short(hit.v, 4000)}`);
      } else note(`seed ${f} (${seed.kind}): no record on ${opt['valid-topic']} equals it up to ts (${same.length} of that kind; not sent by this producer?)`);
    }
  }
});

// ---- 1b. kfm.telemetry.health -------------------------------------------------------------------
await checkAvroTopic(opt['health-topic'], 'HealthCheck', async (decoded) => {
  decodedHealth = decoded;
  const problems = [];
  for (const { r, v } of decoded) {
    const keyText = r.key?.toString('utf8');
    if (!isLong(v.window_start) || !isLong(v.window_end) || v.window_end <= v.window_start) problems.push(`p${r.partition}@${r.offset}: window ${v.window_start}..${v.window_end}`);
    if (!Array.isArray(v.verdicts)) problems.push(`p${r.partition}@${r.offset}: verdicts not an array`);
    if (keyText && !keyText.startsWith(v.scope + '/')) problems.push(`p${r.partition}@${r.offset}: key ${keyText} does not start with scope ${v.scope}/`);
  }
  if (problems.length === 0) pass(`${decoded.length} HealthCheck records are well-formed (window_end > window_start, key = scope/...)`);
  else { fail(`${problems.length} HealthCheck records look wrong`); problems.slice(0, 5).forEach(info); }
  const s = decoded.find((d) => d.v.runs_checked > 0)?.v ?? decoded[0]?.v;
  if (s) info(`example: ${short(s, 700)}; key=${decoded.find((d) => d.v === s).r.key}`);
});

// ---- 1c. what a consumer has to deal with: multi-branch unions, logical types, recursion -------------
section('Consumer-facing Avro types (from the registry, informational)');
for (const t of [opt['valid-topic'], opt['health-topic']]) {
  try {
    const sch = JSON.parse((await registry.getLatestSchemaMetadata(`${t}-value`)).schema);
    const found = { unions: new Set(), logical: new Set(), recursive: new Set() };
    const walk = (type, path, names) => {
      if (typeof type === 'string') { if (names.has(type) || names.has(type.split('.').pop())) found.recursive.add(`${path} -> ${type}`); return; }
      if (Array.isArray(type)) {
        const nonNull = type.filter((b) => b !== 'null');
        if (nonNull.length > 1) found.unions.add(`${path}: [${type.map((b) => (typeof b === 'string' ? b : b.type === 'record' ? b.name : b.type)).join(', ')}]`);
        type.forEach((b) => walk(b, path, names));
        return;
      }
      if (type.logicalType) found.logical.add(`${path}: ${type.type}/${type.logicalType}`);
      if (type.type === 'record') {
        const inner = new Set(names); inner.add(type.name); if (type.namespace) inner.add(`${type.namespace}.${type.name}`);
        for (const f of type.fields) walk(f.type, `${path}.${f.name}`, inner);
      } else if (type.type === 'array') walk(type.items, `${path}[]`, names);
      else if (type.type === 'map') walk(type.values, `${path}{}`, names);
    };
    walk(sch, sch.name, new Set());
    const firstFew = (set) => [...set].slice(0, 6).join('; ') + (set.size > 6 ? `; ... (${set.size})` : '');
    info(`${sch.name}: logical types: ${firstFew(found.logical) || 'none'}`);
    info(`${sch.name}: unions with >1 non-null branch (avsc/Confluent JS return them wrapped, e.g. {"long": 1}): ${firstFew(found.unions) || 'none'}`);
    info(`${sch.name}: recursive types (not mappable by many Avro->table tools): ${firstFew(new Set([...found.recursive].map((r) => r.split(' -> ')[1]))) || 'none'}`);
  } catch (e) { note(`${t}-value: schema not analysed: ${e.message}`); }
}

// ---- 2. Confluent AvroSerializer + registry client ----------------------------------------------
section('Confluent AvroSerializer (autoRegister false, useLatestVersion true) and SchemaRegistryClient against the registry');
const subject = `${opt['valid-topic']}-value`;
try {
  const latest = await registry.getLatestSchemaMetadata(subject);
  pass(`getLatestSchemaMetadata(${subject}): id ${latest.id}, version ${latest.version}, subject ${latest.subject}`);
  const byId = await registry.getBySubjectAndId(subject, latest.id);
  if (byId.schema && JSON.parse(byId.schema).name === 'TelemetryEvent') pass(`getBySubjectAndId(${subject}, ${latest.id}): TelemetryEvent schema`);
  else fail(`getBySubjectAndId(${subject}, ${latest.id}): ${short(byId)}`);
  const lookupId = await registry.getId(subject, { schemaType: 'AVRO', schema: latest.schema }, false);
  if (lookupId === latest.id) pass(`lookup by schema (POST /subjects/${subject}): id ${lookupId}`); else fail(`lookup by schema: id ${lookupId}, latest is ${latest.id}`);
  const ver = await registry.getVersion(subject, { schemaType: 'AVRO', schema: latest.schema }, false, false);
  if (ver === latest.version) pass(`getVersion by schema: version ${ver}`); else fail(`getVersion by schema: ${ver} vs ${latest.version}`);
  const compatSame = await registry.testCompatibility(subject, latest.version, { schemaType: 'AVRO', schema: latest.schema });
  if (compatSame === true) pass(`testCompatibility(latest schema vs itself): true`); else fail(`testCompatibility(latest vs itself): ${compatSame}`);
  // a backward-incompatible change: a new required field without default
  const broken = JSON.parse(latest.schema); broken.fields.push({ name: 'crosscheck_required', type: 'string' });
  const compatBroken = await registry.testSubjectCompatibility(subject, { schemaType: 'AVRO', schema: JSON.stringify(broken) });
  const level = await registry.getCompatibility(subject).catch(() => null) ?? await registry.getDefaultCompatibility().catch((e) => `? (${e.message})`);
  if (compatBroken === false) pass(`testSubjectCompatibility(added required field): false (level ${level})`);
  else note(`testSubjectCompatibility(added required field): ${compatBroken} (level ${level})`);
  const compatible = JSON.parse(latest.schema); compatible.fields.push({ name: 'crosscheck_optional', type: ['null', 'string'], default: null });
  const compatOk = await registry.testSubjectCompatibility(subject, { schemaType: 'AVRO', schema: JSON.stringify(compatible) });
  if (compatOk === true) pass(`testSubjectCompatibility(added optional field with default): true`); else fail(`testSubjectCompatibility(added optional field): ${compatOk}`);
  const subjects = await registry.getAllSubjects();
  const expected = [opt['valid-topic'], opt['health-topic']].map((t) => `${t}-value`);
  if (expected.every((s) => subjects.includes(s))) pass(`getAllSubjects: ${short(subjects)}`); else fail(`getAllSubjects lacks ${expected}: ${short(subjects)}`);
  const versions = await registry.getAllVersions(subject);
  info(`getAllVersions(${subject}): ${short(versions)}`);

  // serialize a record with Confluent's serializer and compare with ours
  const ser = new AvroSerializer(registry, SerdeType.VALUE, { autoRegister: false, useLatestVersion: true, ...avroOpts() });
  const deser = new AvroDeserializer(registry, SerdeType.VALUE, avroOpts());
  const ours = decodedValid.find((d) => wire(d.r.value).id === latest.id) ?? decodedValid[0];
  if (!ours) { fail('no valid record to compare with'); }
  else {
    const theirs = await ser.serialize(opt['valid-topic'], ours.v);
    const a = ours.r.value, b = theirs;
    info(`ours   p${ours.r.partition}@${ours.r.offset}: ${a.length} bytes, head ${a.subarray(0, 5).toString('hex')}`);
    info(`theirs (Confluent AvroSerializer, same object): ${b.length} bytes, head ${b.subarray(0, 5).toString('hex')}`);
    if (b[0] === 0 && b.readUInt32BE(1) === latest.id) pass(`Confluent serializer writes magic 0x00 + id ${latest.id} (big-endian), like ours`);
    else fail(`Confluent serializer header ${b.subarray(0, 5).toString('hex')}, ours ${a.subarray(0, 5).toString('hex')}`);
    if (wire(a).id === latest.id) {
      if (Buffer.compare(a, b) === 0) pass(`byte-identical to our record (${a.length} bytes) after an Avro round trip`);
      else {
        let i = 0; while (i < a.length && a[i] === b[i]) i++;
        note(`bytes differ from ours at offset ${i} (ours ${a.subarray(i, i + 12).toString('hex')} vs ${b.subarray(i, i + 12).toString('hex')}); map order may differ`);
        const back = await deser.deserialize(opt['valid-topic'], b);
        if (canonicalExact(toPayloadObject(back, NOT_PAYLOAD)) === canonicalExact(toPayloadObject(ours.v, NOT_PAYLOAD))) pass('but it decodes to the same payload');
      }
    } else note(`our sample record uses id ${wire(a).id}, latest is ${latest.id}: bytes not compared`);
    let identical = 0, n = 0;
    for (const d of decodedValid) {
      if (wire(d.r.value).id !== latest.id) continue;
      n++;
      if (Buffer.compare(await ser.serialize(opt['valid-topic'], d.v), d.r.value) === 0) identical++;
    }
    if (identical === n) pass(`all ${n} TelemetryEvent records re-serialize byte-identically with Confluent's serializer`);
    else fail(`${n - identical}/${n} TelemetryEvent records re-serialize differently`);
    // a hand-made minimal TelemetryEvent
    const minimal = { schema_version: '2.0.0', kind: 'pipeline.step', ts: '2026-01-23T18:42:14.900Z', event_time: 1769193734900000, level: 'info',
      message: null, run: { run_id: '01J0M7Q8J7Y7P4B9D1M2ZK0E7A', pipeline: null, step: null, env: null, commit_sha: null, config_hash: null, idempotency_key: null, canonical_digest: null, tool_versions: null, extra: {} },
      correlation: null, actor: null, target: null, metrics: { records_in: { value: { long: opt['bigint-longs'] ? 42n : 42 } } }, policy: null, provenance: null, artifacts: null,
      privacy: { classification: 'public', contains_pii: false, query_handling: null, extra: {} }, tags: null, extra: {}, envelope: null,
      validation: { contract_version: '2.0.0', payload_digest: 'sha256:' + '0'.repeat(64), warnings: [] } };
    try {
      const mb = await ser.serialize(opt['valid-topic'], minimal);
      pass(`hand-made TelemetryEvent serializes: ${mb.length} bytes, head ${mb.subarray(0, 5).toString('hex')}`);
    } catch (e) { fail(`hand-made TelemetryEvent does not serialize: ${e.message}`); }
  }
  // HealthCheck too
  const hsubject = `${opt['health-topic']}-value`;
  const hlatest = await registry.getLatestSchemaMetadata(hsubject);
  const hser = new AvroSerializer(registry, SerdeType.VALUE, { autoRegister: false, useLatestVersion: true, ...avroOpts() });
  const hsame = decodedHealth.filter((d) => wire(d.r.value).id === hlatest.id);
  let hidentical = 0; const hdiff = [];
  for (const d of hsame) {
    const b = await hser.serialize(opt['health-topic'], d.v);
    if (Buffer.compare(b, d.r.value) === 0) hidentical++; else hdiff.push({ d, b });
  }
  if (hsame.length && hdiff.length === 0) pass(`${hsubject} (id ${hlatest.id}): Confluent serializer output is byte-identical to ours for all ${hsame.length} HealthCheck records`);
  else if (!hsame.length) note(`${hsubject}: no record written with the latest id ${hlatest.id}`);
  else { fail(`${hsubject}: ${hdiff.length}/${hsame.length} HealthCheck records re-serialize differently`); hdiff.slice(0, 3).forEach(({ d, b }) => info(`p${d.r.partition}@${d.r.offset}: ours ${d.r.value.toString('hex')} vs ${b.toString('hex')}`)); }
} catch (e) { fail(`registry/serializer step: ${e.stack ?? e}`); }

// ---- 3. alerts ----------------------------------------------------------------------------------
section(`Alerts: ${opt['alerts-topic']} — RFC 8785 via \`canonicalize\`, ed25519 via node:crypto, CloudEvents headers`);
if (!opt['public-key']) note('no --public-key: signatures not verified');
const pem = opt['public-key'] ? readFileSync(opt['public-key'], 'utf8') : null;
const pub = pem ? createPublicKey(pem) : null;
const raw = pub ? pub.export({ type: 'spki', format: 'der' }).subarray(-32) : null;
const keyId = raw ? 'kfm-ed25519-' + createHash('sha256').update(raw).digest('hex').slice(0, 16) : null;
if (keyId) info(`public key ${opt['public-key']}: key id ${keyId}`);
const alerts = await consumeAll(opt['alerts-topic']);
if (alerts.length === 0) fail(`${opt['alerts-topic']}: no alerts`);
const hdr = (r, k) => (r.headers?.[k] == null ? undefined : Buffer.isBuffer(r.headers[k]) ? r.headers[k].toString('utf8') : String(r.headers[k]));
let verified = 0;
const ceIds = new Set();
for (const r of alerts) {
  const where = `p${r.partition}@${r.offset}`;
  const text = r.value.toString('utf8');
  let doc;
  try { doc = JSON.parse(text); } catch (e) { fail(`${where}: not JSON: ${e.message}`); continue; }
  const payload = doc.data && doc.specversion ? doc.data : doc; // structured CloudEvents would carry it in data
  const sig = payload.signature;
  if (!sig || sig.algo !== 'ed25519' || typeof sig.sig !== 'string' || !sig.sig.startsWith('base64:')) { fail(`${where}: no ed25519 signature member: ${short(sig)}`); continue; }
  const unsigned = { ...payload }; delete unsigned.signature;
  const canon = canonicalize(unsigned);
  const bytes = Buffer.from(canon, 'utf8');
  const s = Buffer.from(sig.sig.slice('base64:'.length), 'base64');
  if (opt.verbose) info(`${where}: canonicalize(payload minus signature) = ${canon}`);
  const ok = pub ? edVerify(null, bytes, pub, s) : null;
  if (pub && ok) { // negative control: one changed byte must not verify
    const tampered = Buffer.from(bytes); tampered[tampered.length - 3] ^= 1;
    if (edVerify(null, tampered, pub, s)) fail(`${where}: a tampered payload verifies too`);
  }
  if (pub) {
    if (ok && s.length === 64) verified++;
    else fail(`${where}: signature does not verify (sig ${s.length} bytes, key_id ${sig.key_id}); canonical=${short(canon, 400)}`);
    if (sig.key_id !== keyId) fail(`${where}: key_id ${sig.key_id}, expected ${keyId}`);
  }
  if (payload.kind !== 'wpe.alert') fail(`${where}: kind ${payload.kind}`);
  // CloudEvents binary mode headers
  const ce = Object.fromEntries(['ce_id', 'ce_source', 'ce_type', 'ce_specversion', 'ce_time', 'ce_subject', 'content-type'].map((k) => [k, hdr(r, k)]));
  const probs = [];
  if (!ce.ce_id) probs.push('ce_id missing'); else if (ceIds.has(ce.ce_id)) probs.push(`ce_id ${ce.ce_id} repeated`); else ceIds.add(ce.ce_id);
  if (!ce.ce_source) probs.push('ce_source missing');
  if (!ce.ce_type) probs.push('ce_type missing');
  if (ce.ce_specversion !== '1.0') probs.push(`ce_specversion ${ce.ce_specversion}`);
  if (!ce.ce_time || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(ce.ce_time) || Number.isNaN(Date.parse(ce.ce_time))) probs.push(`ce_time ${ce.ce_time} not RFC 3339`);
  if (!ce['content-type'] || !/^application\/(.*\+)?json\b/.test(ce['content-type'])) probs.push(`content-type ${ce['content-type']}`);
  if (ce.ce_time && payload.ts && Date.parse(ce.ce_time) !== Date.parse(payload.ts)) probs.push(`ce_time ${ce.ce_time} != payload ts ${payload.ts}`);
  if (probs.length) fail(`${where}: CloudEvents headers: ${probs.join('; ')}  ${short(ce)}`);
  if (opt.verbose || r === alerts[0]) info(`${where}: key=${r.key} headers=${short(ce, 600)} rule=${payload.policy?.denies?.[0]?.rule_id} ts=${payload.ts}`);
}
if (alerts.length) {
  if (pub && verified === alerts.length) pass(`all ${alerts.length} alerts verify (ed25519 over canonicalize(payload minus signature), key id ${keyId})`);
  if (ceIds.size === alerts.length) pass('CloudEvents binary headers present and well-formed on every alert (ce_id unique, specversion 1.0, ce_time RFC 3339, JSON content-type)');
}

console.log(`\n${failures === 0 ? 'OK' : 'FAILED'}: ${passes} passed, ${failures} failed, ${notes} notes`);
process.exit(failures === 0 ? 0 : 1);
