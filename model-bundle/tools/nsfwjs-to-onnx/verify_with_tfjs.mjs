// Runs the ORIGINAL nsfwjs TF.js layers model (pure-JS CPU backend) and the
// converted ONNX model on identical inputs and fails if any compared output
// differs by more than TOLERANCE.
//
// usage: node verify_with_tfjs.mjs <nsfwjs model dir> <model.onnx> <photo.bin>...
//   photo.bin: float32 [1,3,224,224] NCHW tensors written by `images.py tensors`.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import ort from 'onnxruntime-node';
import { loadBundle, weightSpecs } from './tfjs_bundle.mjs';

const TOLERANCE = 1e-4;
const SIZE = 224;
// ONNX output name -> Keras layer whose output it must reproduce.
const COMPARED = { probabilities: 'dense_3', features: 'out_relu', block10: 'block_10_project_BN' };
const RANDOM_SEEDS = [1, 2, 3];

// Small xorshift generator so the random inputs are the same on every run and
// every machine (Math.random cannot be seeded).
function seededUniform(seed, n) {
  let s = (seed * 0x9e3779b1) >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    out[i] = s / 4294967296;
  }
  return out;
}

function nchwToNhwc(data, c, h, w) {
  const out = new Float32Array(data.length);
  for (let ci = 0; ci < c; ci++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) out[(y * w + x) * c + ci] = data[(ci * h + y) * w + x];
  return out;
}

function nhwcToNchw(data, h, w, c) {
  const out = new Float32Array(data.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let ci = 0; ci < c; ci++) out[(ci * h + y) * w + x] = data[(y * w + x) * c + ci];
  return out;
}

function maxAbsDiff(a, b) {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let m = 0;
  let peak = 0;
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, Math.abs(a[i] - b[i]));
    peak = Math.max(peak, Math.abs(a[i]));
  }
  return { diff: m, peak };
}

async function main() {
  const [modelDir, onnxPath, ...photos] = process.argv.slice(2);
  if (!modelDir || !onnxPath) throw new Error('usage: node verify_with_tfjs.mjs <modelDir> <model.onnx> <photo.bin>...');

  await tf.setBackend('cpu');
  const bundle = loadBundle(modelDir);
  // In-memory IO handler: TF.js receives the untouched quantized weights and
  // does its own dequantization, so this really is the upstream model.
  const handler = {
    load: async () => ({
      modelTopology: bundle.modelTopology,
      weightSpecs: weightSpecs(bundle.weightsManifest),
      weightData: bundle.weightData,
      format: 'layers-model',
    }),
  };
  const model = await tf.loadLayersModel(handler);
  const probe = tf.model({
    inputs: model.inputs,
    outputs: Object.values(COMPARED).map((name) => model.getLayer(name).output),
  });

  const session = await ort.InferenceSession.create(onnxPath, {
    executionProviders: ['cpu'],
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
  });

  const cases = RANDOM_SEEDS.map((seed) => ({ label: `random seed ${seed}`, nchw: seededUniform(seed, 3 * SIZE * SIZE) }));
  for (const p of photos) {
    const buf = fs.readFileSync(p);
    const nchw = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    if (nchw.length !== 3 * SIZE * SIZE) throw new Error(`${p}: expected ${3 * SIZE * SIZE} floats`);
    cases.push({ label: path.basename(p, '.bin'), nchw });
  }

  const worst = {};
  for (const c of cases) {
    const tfOut = tf.tidy(() => probe.predict(tf.tensor4d(nchwToNhwc(c.nchw, 3, SIZE, SIZE), [1, SIZE, SIZE, 3])));
    const tfData = await Promise.all(tfOut.map((t) => t.data()));
    const tfShapes = tfOut.map((t) => t.shape);
    tfOut.forEach((t) => t.dispose());

    const ortOut = await session.run({ input: new ort.Tensor('float32', c.nchw, [1, 3, SIZE, SIZE]) });
    const parts = [];
    Object.keys(COMPARED).forEach((onnxName, i) => {
      let ref = tfData[i];
      const shape = tfShapes[i];
      if (shape.length === 4) ref = nhwcToNchw(ref, shape[1], shape[2], shape[3]);
      const got = ortOut[onnxName];
      const { diff, peak } = maxAbsDiff(ref, got.data);
      worst[onnxName] = Math.max(worst[onnxName] ?? 0, diff);
      parts.push(`${onnxName} ${diff.toExponential(2)} (|max| ${peak.toFixed(3)})`);
    });
    const probs = Array.from(tfData[0]).map((v) => v.toFixed(4)).join(' ');
    console.log(`${c.label.padEnd(18)} max-abs diff: ${parts.join(', ')}; tfjs probabilities [${probs}]`);
  }

  console.log(`worst max-abs diff over ${cases.length} inputs: ` +
    Object.entries(worst).map(([k, v]) => `${k} ${v.toExponential(2)}`).join(', ') + ` (tolerance ${TOLERANCE})`);
  const bad = Object.entries(worst).filter(([, v]) => !(v <= TOLERANCE));
  if (bad.length) {
    console.error(`FAIL: ${bad.map(([k]) => k).join(', ')} exceed tolerance`);
    process.exit(1);
  }
  console.log('OK: ONNX model matches TF.js');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
