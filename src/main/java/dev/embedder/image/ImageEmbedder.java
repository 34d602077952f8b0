package dev.embedder.image;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import dev.embedder.bundle.BundleManifest;
import dev.embedder.bundle.PoolingMode;
import dev.embedder.error.InferenceException;
import dev.embedder.error.InvalidInputException;
import dev.embedder.inference.OnnxSession;
import dev.embedder.inference.Tensor;
import dev.embedder.observability.Stages;
import dev.embedder.pooling.LayerResolver;
import dev.embedder.pooling.Pooler;
import dev.embedder.pooling.PoolingSpec;
import dev.embedder.pooling.Vectors;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Image path of one bundle: decode and preprocess (the bundle's preprocessor_config.json) → one
 * batched ONNX Runtime call → pool (patch-token mean for ViT-style models, spatial mean for CNN
 * feature maps) → normalise.
 */
public final class ImageEmbedder implements AutoCloseable {

    private final BundleManifest manifest;
    private final ImagePreprocessor preprocessor;
    private final OnnxSession session;
    private final boolean tokenLayout;
    private final int prefixTokens;
    private final String defaultOutput;

    public ImageEmbedder(BundleManifest manifest, ImagePreprocessor preprocessor, OnnxSession session) {
        this.manifest = manifest;
        this.preprocessor = preprocessor;
        this.session = session;
        BundleManifest.Pooling pooling = manifest.pooling();
        this.tokenLayout = !"nchw".equals(pooling.layout());
        this.prefixTokens = pooling.prefixTokens() == null ? (tokenLayout ? 1 : 0) : pooling.prefixTokens();
        this.defaultOutput = pooling.output() != null ? pooling.output() : "last_hidden_state";
        if (!session.inputNames().contains(manifest.input())) {
            throw new IllegalStateException("image model '" + manifest.name() + "' has no input '" + manifest.input()
                    + "'; its inputs are " + session.inputNames());
        }
        if (!session.outputNames().contains(defaultOutput)) {
            throw new IllegalStateException("image model '" + manifest.name() + "' has no output " + defaultOutput);
        }
    }

    public BundleManifest manifest() {
        return manifest;
    }

    public ImagePreprocessor preprocessor() {
        return preprocessor;
    }

    public List<String> outputsFor(PoolingSpec spec) {
        if (!tokenLayout && spec.mode() == PoolingMode.CLS) {
            throw new InvalidInputException("model '" + manifest.name() + "' is a CNN with no class token; use mean pooling");
        }
        if (spec.mode() != PoolingMode.CLS && spec.mode() != PoolingMode.MEAN) {
            throw new InvalidInputException("model '" + manifest.name() + "' embeds images and cannot pool with '"
                    + spec.mode().wireName() + "'; use mean or cls");
        }
        return spec.layers().isEmpty()
                ? List.of(defaultOutput)
                : LayerResolver.tensorsFor(spec.layers(), manifest.hiddenStates(), manifest.name());
    }

    /** Decodes and embeds encoded images (JPEG, PNG, GIF, BMP, WebP). */
    public ImageEmbeddings embed(List<byte[]> images, PoolingSpec spec) {
        List<String> outputs = outputsFor(spec);
        List<float[]> pixels = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            try {
                pixels.add(preprocessor.preprocess(images.get(i)));
            } catch (InvalidInputException e) {
                throw new InvalidInputException("image " + i + ": " + e.getMessage(), e);
            } catch (dev.embedder.error.InputTooLargeException e) {
                throw new dev.embedder.error.InputTooLargeException("image " + i + ": " + e.getMessage());
            }
        }
        return embedPixels(pixels, spec, outputs);
    }

    /** Embeds already preprocessed CHW pixel tensors; the step after feature extraction. */
    public ImageEmbeddings embedPixels(List<float[]> chwImages, PoolingSpec spec) {
        return embedPixels(chwImages, spec, outputsFor(spec));
    }

    private ImageEmbeddings embedPixels(List<float[]> chwImages, PoolingSpec spec, List<String> outputs) {
        int per = 3 * preprocessor.height() * preprocessor.width();
        FloatBuffer batch = FloatBuffer.allocate(per * chwImages.size());
        for (float[] chw : chwImages) {
            batch.put(chw);
        }
        batch.flip();
        long[] shape = {chwImages.size(), 3, preprocessor.height(), preprocessor.width()};
        OnnxTensor input;
        try {
            input = OnnxTensor.createTensor(session.environment(), batch, shape);
        } catch (OrtException e) {
            throw new InferenceException("cannot create the pixel tensor: " + e.getMessage(), e);
        }
        long runStart = System.nanoTime();
        Map<String, Tensor> hidden = session.run(Map.of(manifest.input(), input), new LinkedHashSet<>(outputs));
        long runEnd = System.nanoTime();
        List<float[][]> perLayer = new ArrayList<>(outputs.size());
        for (String output : outputs) {
            perLayer.add(pool(hidden.get(output), spec));
        }
        Stages.run(manifest.name(), chwImages.size(), 0, 0, runEnd - runStart, System.nanoTime() - runEnd);
        if (perLayer.stream().mapToInt(p -> p[0].length).distinct().count() > 1) {
            throw new InvalidInputException("layers " + spec.layers() + " of model '" + manifest.name()
                    + "' have different widths and cannot be averaged; request them one at a time");
        }
        float[][] pooled = Pooler.average(perLayer);
        List<float[]> vectors = new ArrayList<>(pooled.length);
        for (float[] v : pooled) {
            vectors.add(spec.normalize() ? Vectors.l2Normalize(v) : v);
        }
        return new ImageEmbeddings(vectors);
    }

    private float[][] pool(Tensor tensor, PoolingSpec spec) {
        if (tensor.rank() == 4) {
            return Pooler.spatialMean(tensor);
        }
        if (spec.mode() == PoolingMode.CLS) {
            return Pooler.first(tensor);
        }
        return Pooler.tokenMean(tensor, spec.includePrefixTokens() ? 0 : prefixTokens);
    }

    @Override
    public void close() {
        session.close();
    }
}
