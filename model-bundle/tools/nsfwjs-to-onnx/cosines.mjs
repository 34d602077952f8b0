// Sanity check of the embedding the service will use: mean of `features` over
// H x W (bundle.json pooling "mean", layout "nchw"), L2-normalised, then the
// cosine of every pair of images. Prints a Markdown table.
//
// usage: node cosines.mjs <model.onnx> <image.bin>...   (tensors from `images.py tensors`)
import fs from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';

async function main() {
  const [onnxPath, ...bins] = process.argv.slice(2);
  if (!onnxPath || bins.length < 2) throw new Error('usage: node cosines.mjs <model.onnx> <image.bin> <image.bin>...');
  const session = await ort.InferenceSession.create(onnxPath, { intraOpNumThreads: 1, interOpNumThreads: 1 });

  const names = [];
  const vectors = [];
  for (const file of bins) {
    const buf = fs.readFileSync(file);
    const input = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    const { features } = await session.run({ input: new ort.Tensor('float32', input, [1, 3, 224, 224]) }, ['features']);
    const [, c, h, w] = features.dims;
    const v = new Float64Array(c);
    for (let ci = 0; ci < c; ci++) {
      let sum = 0;
      for (let i = 0; i < h * w; i++) sum += features.data[ci * h * w + i];
      v[ci] = sum / (h * w);
    }
    const norm = Math.hypot(...v);
    vectors.push(v.map((x) => x / norm));
    names.push(path.basename(file, '.bin'));
  }

  const cos = (a, b) => a.reduce((s, x, i) => s + x * b[i], 0);
  console.log(`| | ${names.join(' | ')} |`);
  console.log(`|---|${names.map(() => '---:').join('|')}|`);
  vectors.forEach((a, i) => {
    console.log(`| ${names[i]} | ${vectors.map((b) => cos(a, b).toFixed(4)).join(' | ')} |`);
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
