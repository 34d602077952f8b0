package dev.embedder.service;

import dev.embedder.bundle.BundleLoader;
import dev.embedder.bundle.BundleManifest;
import dev.embedder.bundle.Modality;
import dev.embedder.bundle.ModelBundle;
import dev.embedder.config.EmbedderConfig;
import dev.embedder.error.NotReadyException;
import dev.embedder.error.UnknownModelException;
import dev.embedder.inference.OnnxSession;
import dev.embedder.inference.SessionSettings;
import dev.embedder.text.TextEmbedder;
import dev.embedder.text.TextPreprocessor;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Opens every configured bundle once, at startup (so on Lambda it happens in the init phase, never
 * in an invocation), and hands out the embedders. A bundle that fails to load does not kill the
 * process: readiness stays DOWN with the reason and requests get a 503 naming it.
 */
@ApplicationScoped
public class ModelRegistry {

    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);

    private final EmbedderConfig config;
    private final Map<String, TextEmbedder> textModels = new LinkedHashMap<>();
    private volatile String failure;
    private volatile boolean loaded;
    private String defaultTextModel;

    public ModelRegistry(EmbedderConfig config) {
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        load();
    }

    synchronized void load() {
        if (loaded || failure != null) {
            return;
        }
        BundleLoader loader = new BundleLoader(config.bundle().locations());
        EmbedderConfig.Inference inference = config.inference();
        SessionSettings settings = new SessionSettings(inference.intraOpThreads(), inference.interOpThreads(),
                inference.optimizationLevel());
        try {
            for (String name : config.bundle().models()) {
                long start = System.nanoTime();
                ModelBundle bundle = loader.load(name.trim());
                BundleManifest manifest = bundle.manifest();
                if (manifest.modality() == Modality.TEXT) {
                    textModels.put(manifest.name(), openText(bundle, settings, inference));
                } else {
                    throw new IllegalStateException("bundle '" + name + "' is an image bundle; image models are not"
                            + " supported by this build");
                }
                LOG.infof("Loaded %s bundle '%s' (%d-d) in %d ms", manifest.modality(), manifest.name(),
                        manifest.dimension(), (System.nanoTime() - start) / 1_000_000);
            }
            defaultTextModel = config.bundle().defaultTextModel()
                    .orElseGet(() -> textModels.keySet().stream().findFirst().orElse(null));
            if (defaultTextModel != null && !textModels.containsKey(defaultTextModel)) {
                throw new IllegalStateException("embedder.bundle.default-text-model '" + defaultTextModel
                        + "' is not among the loaded bundles " + textModels.keySet());
            }
            loaded = true;
        } catch (RuntimeException e) {
            failure = e.getMessage();
            LOG.errorf(e, "Model loading failed, readiness stays DOWN: %s", failure);
            closeAll();
        }
    }

    private static TextEmbedder openText(ModelBundle bundle, SessionSettings settings, EmbedderConfig.Inference inference) {
        BundleManifest manifest = bundle.manifest();
        TextPreprocessor preprocessor = new TextPreprocessor(bundle.read("tokenizer"), manifest.maxTokens());
        try {
            OnnxSession session = new OnnxSession(bundle.read("model"), manifest.hiddenStates(), settings);
            return new TextEmbedder(manifest, preprocessor, session, inference.maxBatchSize(), inference.maxBatchTokens());
        } catch (RuntimeException e) {
            preprocessor.close();
            throw new IllegalStateException("bundle '" + manifest.name() + "': " + e.getMessage(), e);
        }
    }

    public boolean isReady() {
        return loaded;
    }

    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    public TextEmbedder text(String model) {
        requireReady();
        String name = model == null || model.isBlank() ? defaultTextModel : model;
        if (name == null) {
            throw new UnknownModelException("no text model is loaded");
        }
        TextEmbedder embedder = textModels.get(name);
        if (embedder == null) {
            throw new UnknownModelException("unknown model '" + model + "'; available: " + String.join(", ", names()));
        }
        return embedder;
    }

    public List<String> names() {
        return List.copyOf(textModels.keySet());
    }

    public List<BundleManifest> manifests() {
        requireReady();
        return textModels.values().stream().map(TextEmbedder::manifest).toList();
    }

    public String defaultTextModel() {
        requireReady();
        return defaultTextModel;
    }

    private void requireReady() {
        if (!loaded) {
            throw new NotReadyException(failure != null ? "models failed to load: " + failure : "models are still loading");
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        closeAll();
    }

    private synchronized void closeAll() {
        textModels.values().forEach(TextEmbedder::close);
        textModels.clear();
    }
}
