// Real npm clients against a running Embedder: the script the JUnit test ClientCompatibilityTest runs.
//
// Usage: node clients.mjs BASE_URL        (e.g. http://localhost:8081)
//
// Each check prints "ok - NAME" or "not ok - NAME: reason"; the last line is "N passed, N failed".
// Exit code 0 only when all passed. Expected values are the golden vectors in
// src/test/resources/golden/all-minilm-l6-v2.json (computed by model-bundle/tools/golden-text, not by Embedder).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import OpenAI from 'openai';
import { OpenAIEmbeddings } from '@langchain/openai';
import { InferenceClient } from '@huggingface/inference';

const base = process.argv[2];
if (!base) {
  console.error('usage: node clients.mjs BASE_URL');
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const golden = JSON.parse(fs.readFileSync(path.join(here, '..', 'resources', 'golden', 'all-minilm-l6-v2.json'), 'utf8'));
const texts = [golden.sentences[0].text, golden.sentences[1].text];
const expected = [golden.sentences[0].mean_normalized, golden.sentences[1].mean_normalized];
const TOLERANCE = 1e-4;

function close(actual, wanted, what) {
  if (!Array.isArray(actual) && !(actual instanceof Float32Array)) throw new Error(`${what}: not an array: ${typeof actual}`);
  if (actual.length !== wanted.length) throw new Error(`${what}: length ${actual.length}, expected ${wanted.length}`);
  let max = 0;
  for (let i = 0; i < wanted.length; i++) max = Math.max(max, Math.abs(actual[i] - wanted[i]));
  if (!(max <= TOLERANCE)) throw new Error(`${what}: max abs diff ${max} > ${TOLERANCE}`);
}

let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}: ${e && e.message ? e.message : e}`);
  }
}

const openai = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'unused', maxRetries: 0 });

await check('openai embeddings.create, default encoding (the SDK asks for base64 and decodes it)', async () => {
  const res = await openai.embeddings.create({ model: 'all-minilm-l6-v2', input: texts });
  if (res.data.length !== 2) throw new Error(`data has ${res.data.length} items`);
  res.data.forEach((d, i) => close(d.embedding, expected[i], `data[${i}]`));
  if (res.usage.prompt_tokens !== golden.sentences[0].input_ids.length + golden.sentences[1].input_ids.length) {
    throw new Error(`prompt_tokens ${res.usage.prompt_tokens}`);
  }
});

await check('openai embeddings.create, encoding_format float, user set', async () => {
  const res = await openai.embeddings.create({ model: 'all-minilm-l6-v2', input: texts[0], encoding_format: 'float', user: 'someone' });
  close(res.data[0].embedding, expected[0], 'data[0]');
});

await check('openai embeddings.create, dimensions 128', async () => {
  const res = await openai.embeddings.create({ model: 'all-minilm-l6-v2', input: texts[0], dimensions: 128 });
  if (res.data[0].embedding.length !== 128) throw new Error(`length ${res.data[0].embedding.length}`);
});

const langchain = new OpenAIEmbeddings({
  model: 'all-minilm-l6-v2',
  apiKey: 'unused',
  configuration: { baseURL: `${base}/v1` },
  maxRetries: 0,
});

await check('@langchain/openai embedDocuments', async () => {
  const vectors = await langchain.embedDocuments(texts);
  if (vectors.length !== 2) throw new Error(`${vectors.length} vectors`);
  vectors.forEach((v, i) => close(v, expected[i], `vector ${i}`));
});

await check('@langchain/openai embedQuery', async () => {
  close(await langchain.embedQuery(texts[1]), expected[1], 'query');
});

const hf = new InferenceClient();

await check('@huggingface/inference featureExtraction({endpointUrl}) posts {inputs} to the root route', async () => {
  const out = await hf.featureExtraction({ endpointUrl: base, inputs: texts });
  if (!Array.isArray(out) || out.length !== 2) throw new Error(`got ${JSON.stringify(out).slice(0, 80)}`);
  out.forEach((v, i) => close(v, expected[i], `vector ${i}`));
});

await check('@huggingface/inference featureExtraction, one string', async () => {
  const out = await hf.featureExtraction({ endpointUrl: base, inputs: texts[0] });
  // TEI answers a single string with a batch of one.
  const vector = Array.isArray(out[0]) ? out[0] : out;
  close(vector, expected[0], 'vector');
});

await check('@huggingface/inference sentenceSimilarity against /similarity', async () => {
  const scores = await hf.sentenceSimilarity({
    endpointUrl: `${base}/similarity`,
    inputs: { source_sentence: texts[0], sentences: [texts[0], texts[1]] },
  });
  let dot = 0;
  for (let i = 0; i < expected[0].length; i++) dot += expected[0][i] * expected[1][i];
  if (Math.abs(scores[0] - 1) > 1e-4 || Math.abs(scores[1] - dot) > 1e-4) {
    throw new Error(`scores ${scores}, expected [1, ${dot}]`);
  }
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
