// Golden text-embedding vectors for Embedder, computed independently of the
// Java implementation: the JavaScript tokenizer of @huggingface/transformers
// and onnxruntime-node, with pooling written out below in plain JS.
//
// Usage: node make-golden.mjs --work DIR [--out DIR] [--token-embeddings]
//
// --token-embeddings writes only token-embeddings.json (per-token hidden states for /embed_all, and a
// left-truncated text), see tokenEmbeddingGoldens below; without it the script writes the model files.
//
// DIR (prepared by run.sh) must contain, for each model NAME below:
//   DIR/NAME/NAME.onnx            the original model from the langchain4j jar
//   DIR/NAME/NAME.hidden.onnx     the same graph with every hidden state exposed
//                                 as an output (expose_hidden_states.py)
//   DIR/NAME/NAME-tokenizer.json  the tokenizer from the same jar
// --out defaults to src/test/resources/golden of the repository holding this script.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as ort from 'onnxruntime-node';
import { AutoTokenizer, env } from '@huggingface/transformers';

const TOOL_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(TOOL_DIR, '..', '..', '..');
const GENERATOR = 'model-bundle/tools/golden-text/make-golden.mjs';

const MODELS = [
  // maxTokens: sentence-transformers' max_seq_length for all-MiniLM-L6-v2 is 256.
  { name: 'all-minilm-l6-v2', maxTokens: 256, layers: 6 },
  // bge-small-en-v1.5 uses the full BERT window of 512 positions.
  { name: 'bge-small-en-v1.5', maxTokens: 512, layers: 12 },
  // e5-small-v2 (512 positions) is used with the prefixes its model card requires; each prompt's
  // vectors are computed on "<prompt><text>", tokenized as one string.
  { name: 'e5-small-v2', maxTokens: 512, layers: 12, prompts: { query: 'query: ', passage: 'passage: ' } },
];

const SIGNIFICANT_DIGITS = 7;
const BATCH_TOLERANCE = 1e-5;
const ORIGINAL_TOLERANCE = 1e-6;
const MINILM_COS_S0_S1 = 0.7553;
const MINILM_COS_TOLERANCE = 5e-4;
// cos of the same pair embedded as e5 queries (mean pooling + L2), as measured in shared/notes/models.md.
const E5_QUERY_COS_S0_S1 = 0.9114;
// Sentences of the padding golden (different lengths), embedded in one batch padded on the right and on the left.
const PADDING_PICK = [0, 2, 17];

function parseArgs(argv) {
  const args = { work: null, out: path.join(REPO_ROOT, 'src', 'test', 'resources', 'golden'), tokenEmbeddings: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--work') args.work = path.resolve(argv[++i]);
    else if (a === '--out') args.out = path.resolve(argv[++i]);
    else if (a === '--token-embeddings') args.tokenEmbeddings = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!args.work) throw new Error('usage: node make-golden.mjs --work DIR [--out DIR]');
  return args;
}

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

function packageVersion(name) {
  const file = path.join(TOOL_DIR, 'node_modules', ...name.split('/'), 'package.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')).version;
}

// hidden_states[0] = embeddings, hidden_states[k] = output of encoder layer k-1,
// hidden_states[L] = last_hidden_state.
function hiddenStateNames(layers) {
  const names = ['/embeddings/LayerNorm/Add_1_output_0'];
  for (let k = 1; k < layers; k++) names.push(`/encoder/layer.${k - 1}/output/LayerNorm/Add_1_output_0`);
  names.push('last_hidden_state');
  return names;
}

// ---------------------------------------------------------------- tokenizer

async function loadTokenizer(work, model) {
  // transformers.js resolves local models as <localModelPath>/<id>/tokenizer.json
  // plus tokenizer_config.json; build that layout in a scratch folder.
  const root = path.join(work, 'tokenizers');
  const dir = path.join(root, model.name);
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(work, model.name, `${model.name}-tokenizer.json`), path.join(dir, 'tokenizer.json'));
  const config = {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    // Large on purpose: we never let the tokenizer truncate, we do it ourselves.
    model_max_length: 1000000,
    clean_up_tokenization_spaces: true,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
  };
  fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify(config, null, 2) + '\n');

  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = root + path.sep;
  env.useBrowserCache = false;
  env.useFSCache = false;
  return AutoTokenizer.from_pretrained(model.name, { local_files_only: true });
}

function tokenize(tokenizer, text, maxTokens) {
  const ids = tokenizer.encode(text, { add_special_tokens: true });
  const cls = tokenizer.model.tokens_to_ids.get('[CLS]');
  const sep = tokenizer.model.tokens_to_ids.get('[SEP]');
  check(ids.length >= 2 && ids[0] === cls && ids[ids.length - 1] === sep, `[CLS] ... [SEP] around ${JSON.stringify(text)}`);
  check(!ids.includes(tokenizer.model.tokens_to_ids.get('[PAD]')), 'no padding added by the tokenizer');
  const fullLength = ids.length;
  if (fullLength <= maxTokens) return { ids, truncated: false, fullLength };
  // Same as HF tokenizers (LongestFirst, one sequence) / sentence-transformers:
  // keep the first maxTokens-2 word pieces and re-add [CLS] and [SEP].
  const kept = [cls, ...ids.slice(1, maxTokens - 1), sep];
  check(kept.length === maxTokens, 'truncated length');
  return { ids: kept, truncated: true, fullLength };
}

// ---------------------------------------------------------------- inference

function int64Tensor(values, dims) {
  return new ort.Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), dims);
}

// side: 'right' puts the padding after each sequence, 'left' before it (pad id 0, mask 0).
async function runBatch(session, names, batchIds, side = 'right') {
  const batch = batchIds.length;
  const seq = Math.max(...batchIds.map((ids) => ids.length));
  const inputIds = [];
  const mask = [];
  for (const ids of batchIds) {
    const pad = seq - ids.length;
    for (let t = 0; t < seq; t++) {
      const k = side === 'left' ? t - pad : t;
      const real = k >= 0 && k < ids.length;
      inputIds.push(real ? ids[k] : 0);
      mask.push(real ? 1 : 0);
    }
  }
  const feeds = {
    input_ids: int64Tensor(inputIds, [batch, seq]),
    attention_mask: int64Tensor(mask, [batch, seq]),
    token_type_ids: int64Tensor(new Array(batch * seq).fill(0), [batch, seq]),
  };
  const result = await session.run(feeds, names);
  return { seq, mask, states: names.map((n) => result[n]) };
}

// ---------------------------------------------------------------- pooling (float64)

// Mean over the tokens t of sequence b whose mask is 1, of a [batch, seq, dim] tensor.
function maskedMean(tensor, b, mask, seq) {
  const [, tensorSeq, dim] = tensor.dims;
  check(tensorSeq === seq, 'sequence length of hidden state');
  const data = tensor.data;
  const acc = new Float64Array(dim);
  let count = 0;
  for (let t = 0; t < seq; t++) {
    if (mask[b * seq + t] === 0) continue;
    count++;
    const base = (b * seq + t) * dim;
    for (let d = 0; d < dim; d++) acc[d] += data[base + d];
  }
  for (let d = 0; d < dim; d++) acc[d] /= count;
  return acc;
}

// Element-wise max over the real tokens (mask 1) of sequence b.
function maskedMax(tensor, b, mask, seq) {
  const [, , dim] = tensor.dims;
  const out = new Float64Array(dim).fill(-Infinity);
  for (let t = 0; t < seq; t++) {
    if (mask[b * seq + t] === 0) continue;
    const base = (b * seq + t) * dim;
    for (let d = 0; d < dim; d++) out[d] = Math.max(out[d], tensor.data[base + d]);
  }
  return out;
}

// The state of the last real token (highest position with mask 1) of sequence b, whatever the padding side.
function lastRealToken(tensor, b, mask, seq) {
  let last = -1;
  for (let t = 0; t < seq; t++) if (mask[b * seq + t] === 1) last = t;
  check(last >= 0, 'a real token');
  return tokenVector(tensor, b, last);
}

function tokenVector(tensor, b, t) {
  const [, seq, dim] = tensor.dims;
  const base = (b * seq + t) * dim;
  return Float64Array.from(tensor.data.subarray(base, base + dim));
}

function l2normalize(v) {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum);
  return v.map((x) => x / norm);
}

function dot(a, b) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbsDiff(a, b) {
  check(a.length === b.length, 'vector lengths');
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

// All pooled vectors for sequence b of a run (states indexed like hidden_states).
function poolAll(states, b, mask, seq, layers) {
  const L = layers;
  const mean = maskedMean(states[L], b, mask, seq);
  const last4 = new Float64Array(mean.length);
  for (let k = L - 3; k <= L; k++) {
    const m = maskedMean(states[k], b, mask, seq);
    for (let d = 0; d < m.length; d++) last4[d] += m[d];
  }
  for (let d = 0; d < last4.length; d++) last4[d] /= 4;
  return {
    mean,
    mean_normalized: l2normalize(mean),
    cls: tokenVector(states[L], b, 0),
    cls_normalized: l2normalize(tokenVector(states[L], b, 0)),
    mean_layer_minus2: maskedMean(states[L - 1], b, mask, seq),
    mean_layers_last4: last4,
    mean_layer_0: maskedMean(states[0], b, mask, seq),
  };
}

const POOLINGS = ['mean', 'mean_normalized', 'cls', 'cls_normalized', 'mean_layer_minus2', 'mean_layers_last4',
  'mean_layer_0'];

function round(v) {
  return Array.from(v, (x) => {
    const r = Number(x.toPrecision(SIGNIFICANT_DIGITS));
    return Object.is(r, -0) ? 0 : r;
  });
}

// ---------------------------------------------------------------- output

// Pretty JSON with every number array on a single line (readable diffs, small files).
function formatJson(value, indent = '') {
  const next = indent + '  ';
  if (Array.isArray(value)) {
    if (value.every((x) => typeof x === 'number')) return `[${value.join(', ')}]`;
    if (value.length === 0) return '[]';
    return `[\n${value.map((x) => next + formatJson(x, next)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${next}${JSON.stringify(k)}: ${formatJson(v, next)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

// ---------------------------------------------------------------- main

async function processModel(model, sentences, args, versions) {
  const L = model.layers;
  const names = hiddenStateNames(L);
  const tokenizer = await loadTokenizer(args.work, model);
  const options = { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' };
  const hiddenPath = path.join(args.work, model.name, `${model.name}.hidden.onnx`);
  const originalPath = path.join(args.work, model.name, `${model.name}.onnx`);
  const session = await ort.InferenceSession.create(hiddenPath, options);
  const original = await ort.InferenceSession.create(originalPath, options);

  check(names.length === L + 1, 'hidden state count');
  for (const n of names) check(session.outputNames.includes(n), `edited graph exposes ${n}`);
  check(session.outputNames.length === L + 1, `edited graph has exactly ${L + 1} outputs`);
  check(original.outputNames.length === 1 && original.outputNames[0] === 'last_hidden_state', 'original graph output');

  const records = [];
  const pooled = [];
  let maxLen = 0;
  let maxFull = 0;
  for (const text of sentences) {
    const tok = tokenize(tokenizer, text, model.maxTokens);
    maxLen = Math.max(maxLen, tok.ids.length);
    maxFull = Math.max(maxFull, tok.fullLength);
    const run = await runBatch(session, names, [tok.ids]);
    const dim = run.states[L].dims[2];
    check(run.states.every((s) => s.dims[0] === 1 && s.dims[1] === tok.ids.length && s.dims[2] === dim), 'hidden state shapes');

    // hidden_states[L] of the edited graph must equal last_hidden_state of the untouched graph.
    const ref = await runBatch(original, ['last_hidden_state'], [tok.ids]);
    let diff = 0;
    const a = run.states[L].data;
    const b = ref.states[0].data;
    check(a.length === b.length, 'last_hidden_state size');
    for (let i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i] - b[i]));
    check(diff <= ORIGINAL_TOLERANCE, `hidden_states[${L}] == last_hidden_state of the original graph (diff ${diff})`);

    const p = poolAll(run.states, 0, run.mask, run.seq, L);
    pooled.push({ ids: tok.ids, p });
    const rec = { text, input_ids: tok.ids, truncated: tok.truncated };
    for (const k of POOLINGS) rec[k] = round(p[k]);
    for (const [promptName, prompt] of Object.entries(model.prompts ?? {})) {
      const ptok = tokenize(tokenizer, prompt + text, model.maxTokens);
      const prun = await runBatch(session, names, [ptok.ids]);
      const pp = poolAll(prun.states, 0, prun.mask, prun.seq, L);
      rec[`${promptName}_input_ids`] = ptok.ids;
      rec[`${promptName}_mean_normalized`] = round(pp.mean_normalized);
      rec[`${promptName}_mean_layer_minus2`] = round(pp.mean_layer_minus2);
      if (records.length < 2) pooled[`${promptName}${records.length}`] = pp.mean_normalized;
    }
    records.push(rec);
    console.log(`${model.name}: ${String(records.length).padStart(2)} tokens=${tok.ids.length}${tok.truncated ? ` (of ${tok.fullLength}, truncated)` : ''}`);
  }

  // One padded batch of three sentences of different lengths, pooled with a
  // mask-aware mean, must reproduce the single-sentence results.
  const pick = [0, 2, 17];
  const lengths = pick.map((i) => pooled[i].ids.length);
  check(new Set(lengths).size === 3, `batch sentences have different lengths (${lengths})`);
  const batch = await runBatch(session, names, pick.map((i) => pooled[i].ids));
  let batchDiff = 0;
  pick.forEach((i, b) => {
    const p = poolAll(batch.states, b, batch.mask, batch.seq, L);
    for (const k of POOLINGS) batchDiff = Math.max(batchDiff, maxAbsDiff(p[k], pooled[i].p[k]));
  });
  check(batchDiff <= BATCH_TOLERANCE, `padded batch with mask-aware pooling matches single runs (diff ${batchDiff})`);
  // ...while a mean that ignores the mask (counts the padding) does not.
  const allOnes = new Array(batch.mask.length).fill(1);
  const naive = maskedMean(batch.states[L], 0, allOnes, batch.seq);
  const naiveDiff = maxAbsDiff(naive, pooled[pick[0]].p.mean);
  check(naiveDiff > 100 * BATCH_TOLERANCE, `mask-unaware mean over padding differs (diff ${naiveDiff})`);
  console.log(`${model.name}: padded batch of lengths ${lengths} matches single runs, max diff ${batchDiff.toExponential(2)}`);

  const cos01 = dot(pooled[0].p.mean_normalized, pooled[1].p.mean_normalized);
  console.log(`${model.name}: cos(s0, s1) = ${cos01.toFixed(6)}; max tokens used ${maxLen}, longest untruncated ${maxFull}`);
  if (model.name === 'all-minilm-l6-v2') {
    check(Math.abs(cos01 - MINILM_COS_S0_S1) <= MINILM_COS_TOLERANCE, `MiniLM cos(s0, s1) ~ ${MINILM_COS_S0_S1} (got ${cos01})`);
  }
  if (model.name === 'e5-small-v2') {
    const q01 = dot(pooled.query0, pooled.query1);
    console.log(`${model.name}: cos(query: s0, query: s1) = ${q01.toFixed(6)}`);
    check(Math.abs(q01 - E5_QUERY_COS_S0_S1) <= MINILM_COS_TOLERANCE, `e5 query cos(s0, s1) ~ ${E5_QUERY_COS_S0_S1} (got ${q01})`);
  }
  if (model.name === 'all-minilm-l6-v2') await paddingGolden(model, original, pooled, records, args);
  check(records.some((r) => r.truncated), `${model.name}: at least one sentence is truncated`);

  await session.release();
  await original.release();

  const golden = {
    model: model.name,
    maxTokens: model.maxTokens,
    hiddenStateCount: L + 1,
    ...(model.prompts ? { prompts: model.prompts } : {}),
    generator: GENERATOR,
    tokenizer: `@huggingface/transformers ${versions.transformers}`,
    runtime: `onnxruntime-node ${versions.ort}`,
    sentences: records,
  };
  fs.mkdirSync(args.out, { recursive: true });
  const file = path.join(args.out, `${model.name}.json`);
  fs.writeFileSync(file, formatJson(golden) + '\n');
  console.log(`${model.name}: wrote ${path.relative(process.cwd(), file)}`);
  return records;
}

// Max and last-token pooling of last_hidden_state for three sentences of different lengths in ONE batch,
// padded on the right and (a separate run) on the left. Left padding shifts BERT's absolute positions, so the
// two runs give different tensors: each side is its own golden, pooled here with the mask.
async function paddingGolden(model, session, pooled, records, args) {
  const ids = PADDING_PICK.map((i) => pooled[i].ids);
  const out = { model: model.name, generator: GENERATOR, output: 'last_hidden_state', sentences: PADDING_PICK, texts: PADDING_PICK.map((i) => records[i].text), input_ids: ids };
  for (const side of ['right', 'left']) {
    const run = await runBatch(session, ['last_hidden_state'], ids, side);
    const h = run.states[0];
    out[side] = {
      attention_mask: run.mask,
      max: ids.map((_, b) => round(maskedMax(h, b, run.mask, run.seq))),
      last_token: ids.map((_, b) => round(lastRealToken(h, b, run.mask, run.seq))),
      mean: ids.map((_, b) => round(maskedMean(h, b, run.mask, run.seq))),
    };
  }
  // Right padding leaves every real token where it was alone: its last token must equal the single run's.
  const single = await runBatch(session, ['last_hidden_state'], [ids[0]]);
  const alone = lastRealToken(single.states[0], 0, single.mask, single.seq);
  check(maxAbsDiff(alone, out.right.last_token[0]) <= BATCH_TOLERANCE, 'right-padded last token equals the unpadded one');
  const file = path.join(args.out, `padding-${model.name}.json`);
  fs.writeFileSync(file, formatJson(out) + '\n');
  console.log(`${model.name}: wrote ${path.relative(process.cwd(), file)}`);
}

// ---------------------------------------------------------------- token embeddings (--token-embeddings)

// Per-token vectors of all-minilm-l6-v2 for a few sentences, as TEI's /embed_all returns them: every token
// (special tokens included) of one hidden state, unpooled and unnormalised, from one single-sentence run (no
// padding). Also a text cut on the left ([CLS] + the last maxTokens-2 word pieces + [SEP], what the Rust
// tokenizers' left truncation keeps), with its normalised mean, for truncation_direction=left.
const TOKEN_SENTENCES = [0, 2];
const TOKEN_STATES = { last: (L) => L, layer_minus2: (L) => L - 1, layer_0: () => 0 };

async function tokenEmbeddingGoldens(args, sentences, versions) {
  const model = MODELS[0];
  const L = model.layers;
  const names = hiddenStateNames(L);
  const tokenizer = await loadTokenizer(args.work, model);
  const options = { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' };
  const session = await ort.InferenceSession.create(path.join(args.work, model.name, `${model.name}.hidden.onnx`), options);
  const records = [];
  for (const index of TOKEN_SENTENCES) {
    const tok = tokenize(tokenizer, sentences[index], model.maxTokens);
    check(!tok.truncated, 'token-embedding sentences are short');
    const run = await runBatch(session, names, [tok.ids]);
    const rec = { text: sentences[index], input_ids: tok.ids };
    for (const [key, state] of Object.entries(TOKEN_STATES)) {
      const tensor = run.states[state(L)];
      rec[key] = tok.ids.map((_, t) => round(tokenVector(tensor, 0, t)));
    }
    records.push(rec);
  }
  // Left truncation of the first text that is too long for the model.
  const long = sentences.find((s) => tokenize(tokenizer, s, model.maxTokens).truncated);
  const full = tokenizer.encode(long, { add_special_tokens: true });
  const left = [full[0], ...full.slice(full.length - 1 - (model.maxTokens - 2), full.length - 1), full[full.length - 1]];
  check(left.length === model.maxTokens, 'left-truncated length');
  const run = await runBatch(session, names, [left]);
  const leftMean = l2normalize(maskedMean(run.states[L], 0, run.mask, run.seq));
  await session.release();
  const golden = {
    model: model.name,
    maxTokens: model.maxTokens,
    generator: `${GENERATOR} --token-embeddings`,
    tokenizer: `@huggingface/transformers ${versions.transformers}`,
    runtime: `onnxruntime-node ${versions.ort}`,
    states: { last: `hidden_states[${L}] (last_hidden_state)`, layer_minus2: `hidden_states[${L - 1}]`, layer_0: 'hidden_states[0]' },
    sentences: records,
    left_truncated: { text: long, full_length: full.length, input_ids: left, mean_normalized: round(leftMean) },
  };
  fs.mkdirSync(args.out, { recursive: true });
  const file = path.join(args.out, 'token-embeddings.json');
  fs.writeFileSync(file, formatJson(golden) + '\n');
  console.log(`token embeddings: wrote ${path.relative(process.cwd(), file)}`);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const sentences = JSON.parse(fs.readFileSync(path.join(TOOL_DIR, 'sentences.json'), 'utf8'));
  check(Array.isArray(sentences) && sentences.length >= 24, 'at least 24 sentences');
  check(sentences[0] === 'A man is eating food.' && sentences[1] === 'A man is eating a piece of bread.', 'sanity pair first');
  const versions = { transformers: packageVersion('@huggingface/transformers'), ort: packageVersion('onnxruntime-node') };
  check(env.version === versions.transformers, 'transformers.js version');
  check(ort.env.versions.node === versions.ort, 'onnxruntime-node version');
  console.log(`@huggingface/transformers ${versions.transformers}, onnxruntime-node ${versions.ort}`);
  if (args.tokenEmbeddings) {
    await tokenEmbeddingGoldens(args, sentences, versions);
    return;
  }

  const all = {};
  for (const model of MODELS) all[model.name] = await processModel(model, sentences, args, versions);

  // Both models must truncate the longest text; the ~300 piece text only for MiniLM.
  const minilm = all['all-minilm-l6-v2'];
  const bge = all['bge-small-en-v1.5'];
  check(minilm.some((r, i) => r.truncated && !bge[i].truncated), 'a text truncated for MiniLM only');
  check(minilm.some((r, i) => r.truncated && bge[i].truncated), 'a text truncated for both models');
  console.log('all checks passed');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
