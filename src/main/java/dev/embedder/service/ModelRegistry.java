package dev.embedder.service;

import dev.embedder.batching.BatchingSettings;
import dev.embedder.batching.TextBatcher;
import dev.embedder.bundle.BundleLoader;
import dev.embedder.bundle.BundleManifest;
import dev.embedder.bundle.Modality;
import dev.embedder.bundle.ModelBundle;
import dev.embedder.config.EmbedderConfig;
import dev.embedder.error.NotReadyException;
import dev.embedder.error.InvalidInputException;
import dev.embedder.error.UnknownModelException;
import dev.embedder.image.ImageEmbedder;
import dev.embedder.image.ImageLimits;
import dev.embedder.image.ImagePreprocessor;
import dev.embedder.image.ImageProcessorConfig;
import dev.embedder.inference.OnnxSession;
import dev.embedder.inference.SessionSettings;
import dev.embedder.text.TextEmbedder;
import dev.embedder.text.TextPreprocessor;
import io.quarkus.runtime.ImageMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigSource;
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
    private final Map<String, ImageEmbedder> imageModels = new LinkedHashMap<>();
    private final Map<String, TextBatcher> batchers = new LinkedHashMap<>();
    private volatile String failure;
    private volatile boolean loaded;
    private String defaultTextModel;
    private String defaultImageModel;

    public ModelRegistry(EmbedderConfig config) {
        this.config = config;
    }

    /**
     * In JVM mode the models start opening as soon as the CDI container exists (Quarkus initialises it at static
     * init, before the runtime recorders: HTTP, Jackson, metrics, OpenAPI), on threads of their own beside the
     * rest of the boot; {@link #onStart} then only waits for them. The configuration is read here as it stands
     * at that point; StartupEvent compares it with the runtime configuration and opens the models again if it
     * differs. In a native executable this phase ran at build time, so there the models open at StartupEvent.
     */
    static void onContainerInitialized(@Observes @Initialized(ApplicationScoped.class) Object event) {
        if (ImageMode.current() != ImageMode.JVM || early != null) {
            return;
        }
        LoadPlan plan;
        SessionSettings settings;
        try {
            EmbedderConfig staticInit = staticInitSettings();
            if (!staticInit.bundle().openDuringBoot()) {
                return;
            }
            plan = LoadPlan.of(staticInit);
            settings = plan.session().resolveDevice();
        } catch (RuntimeException | LinkageError e) {
            // A device that cannot be used, or configuration not readable yet: StartupEvent does it all (and
            // reports a device error there, where it stops the process).
            LOG.debugf("models open at StartupEvent instead of during boot: %s", e);
            return;
        }
        FutureTask<List<Object>> opening = new FutureTask<>(() -> openAll(plan, settings));
        Thread thread = new Thread(opening, "embedder-model-loader-0");
        thread.setDaemon(true);
        early = new EarlyOpening(plan, opening, System.nanoTime());
        thread.start();
    }

    /**
     * The {@code embedder.*} settings as the configuration's sources say at static init, read through a mapping of
     * their own: the application's {@link EmbedderConfig} is a runtime mapping, not available before runtime
     * init (and marking it static-init safe would freeze it at static-init values). Sources that only exist at
     * runtime are missing here, which is what the comparison at StartupEvent is for.
     */
    private static EmbedderConfig staticInitSettings() {
        SmallRyeConfig current = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class);
        List<ConfigSource> sources = new ArrayList<>();
        current.getConfigSources().forEach(sources::add);
        return new SmallRyeConfigBuilder()
                .withSources(sources)
                .withProfiles(current.getProfiles())
                .withMapping(EmbedderConfig.class)
                .withValidateUnknown(false)
                .build()
                .getConfigMapping(EmbedderConfig.class);
    }

    /** Models being opened during boot, with the plan they follow. */
    private record EarlyOpening(LoadPlan plan, FutureTask<List<Object>> embedders, long started) {
    }

    private static volatile EarlyOpening early;

    void onStart(@Observes StartupEvent event) {
        load();
    }

    synchronized void load() {
        if (loaded || failure != null) {
            return;
        }
        LoadPlan plan = LoadPlan.of(config);
        long started = System.nanoTime();
        EarlyOpening opened = early;
        early = null;
        if (opened != null && !opened.plan().equals(plan)) {
            LOG.infof("the configuration changed between static init and startup; opening the models again");
            try {
                await(opened.embedders()).forEach(ModelRegistry::closeQuietly);
            } catch (RuntimeException ignored) {
                // it failed; it is being replaced anyway
            }
            opened = null;
        }
        // Resolved outside the try below: a device that cannot be used is a deployment error that must stop
        // the process (or fail the Lambda init) rather than leave it running, unready, on the wrong hardware.
        // Models opened during boot already went through this with the same plan (it would have thrown there).
        SessionSettings settings = opened == null ? plan.session().resolveDevice() : null;
        try {
            List<Object> embedders;
            if (opened != null) {
                started = opened.started();
                embedders = await(opened.embedders());
                openedDuringBoot = true;
            } else {
                embedders = openAll(plan, settings);
            }
            for (Object embedder : embedders) {
                if (embedder instanceof TextEmbedder text) {
                    textModels.put(text.manifest().name(), text);
                    EmbedderConfig.Batching batching = config.batching();
                    if (batching.enabled()) {
                        batchers.put(text.manifest().name(), new TextBatcher(text, new BatchingSettings(true,
                                batching.maxBatchTokens(), batching.maxWaitMillis(), batching.queueCapacity())));
                    }
                } else if (embedder instanceof ImageEmbedder image) {
                    imageModels.put(image.manifest().name(), image);
                }
            }
            defaultTextModel = config.bundle().defaultTextModel().map(this::resolve)
                    .orElseGet(() -> textModels.keySet().stream().findFirst().orElse(null));
            if (defaultTextModel != null && !textModels.containsKey(defaultTextModel)) {
                throw new IllegalStateException("embedder.bundle.default-text-model '" + defaultTextModel
                        + "' is not among the loaded text bundles " + textModels.keySet());
            }
            defaultImageModel = config.bundle().defaultImageModel().map(this::resolve)
                    .orElseGet(() -> imageModels.keySet().stream().findFirst().orElse(null));
            if (defaultImageModel != null && !imageModels.containsKey(defaultImageModel)) {
                throw new IllegalStateException("embedder.bundle.default-image-model '" + defaultImageModel
                        + "' is not among the loaded image bundles " + imageModels.keySet());
            }
            loaded = true;
            LOG.infof("Models %s ready in %d ms%s", names(), (System.nanoTime() - started) / 1_000_000,
                    openedDuringBoot ? " (opened beside Quarkus's boot)" : "");
        } catch (RuntimeException e) {
            failure = e.getMessage();
            LOG.errorf(e, "Model loading failed, readiness stays DOWN: %s", failure);
            closeAll();
        }
    }

    /** True when the models were opened during boot rather than at StartupEvent (see {@link #onContainerInitialized}). */
    public boolean openedDuringBoot() {
        return openedDuringBoot;
    }

    private volatile boolean openedDuringBoot;

    /**
     * Opens every bundle of the plan, in its order (the first is the default), or closes what did open and throws.
     * Bundles load side by side, and within a text bundle the tokenizer beside the ONNX session, so the CPU-bound
     * session builds overlap with reading files and loading native libraries. The pool is unbounded because
     * bundle tasks wait for their tokenizer tasks (a bounded pool could deadlock); it holds at most two threads
     * per bundle, for the length of startup.
     */
    private static List<Object> openAll(LoadPlan plan, SessionSettings settings) {
        BundleLoader loader = new BundleLoader(plan.locations(), plan.variant(), plan.hub());
        ExecutorService pool = Executors.newCachedThreadPool(loaderThreads());
        List<Future<Object>> opening = new ArrayList<>();
        // Loading ONNX Runtime's native library (unpacked from its jar unless onnxruntime.native.path points
        // at a copy) does not need the model: start it while the model file is being read.
        pool.execute(ai.onnxruntime.OrtEnvironment::getEnvironment);
        try {
            for (String name : plan.models()) {
                opening.add(pool.submit(() -> open(loader, name.trim(), settings, plan, pool)));
            }
            List<Object> embedders = new ArrayList<>();
            for (Future<Object> future : opening) {
                embedders.add(await(future));
            }
            return embedders;
        } catch (RuntimeException e) {
            // Bundles that did open beside the failing one still hold native sessions: close them too.
            for (Future<Object> future : opening) {
                try {
                    closeQuietly(future.get());
                } catch (Exception ignored) {
                    // it failed itself: nothing to release
                }
            }
            throw e;
        } finally {
            pool.shutdown();
        }
    }

    private static ThreadFactory loaderThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "embedder-model-loader-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static Object open(BundleLoader loader, String name, SessionSettings settings, LoadPlan plan,
            ExecutorService pool) {
        long start = System.nanoTime();
        ModelBundle bundle = loader.load(name);
        BundleManifest manifest = bundle.manifest();
        Object embedder = manifest.modality() == Modality.TEXT
                ? openText(bundle, settings, plan, pool)
                : openImage(bundle, settings, plan.imageLimits());
        long took = System.nanoTime() - start;
        dev.embedder.observability.Stages.modelLoaded(manifest.name(),
                manifest.modality().name().toLowerCase(java.util.Locale.ROOT), took);
        LOG.infof("Loaded %s bundle '%s' (%d-d) in %d ms", manifest.modality(), manifest.name(),
                manifest.dimension(), took / 1_000_000);
        return embedder;
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause().toString(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading models", e);
        }
    }

    private static void closeQuietly(Object embedder) {
        if (embedder instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing failed: nothing more to release
            }
        }
    }

    private static TextEmbedder openText(ModelBundle bundle, SessionSettings settings, LoadPlan plan,
            ExecutorService pool) {
        BundleManifest manifest = bundle.manifest();
        Future<TextPreprocessor> tokenizer = pool.submit(() -> {
            long start = System.nanoTime();
            TextPreprocessor preprocessor = new TextPreprocessor(bundle.read("tokenizer"), manifest.maxTokens());
            LOG.debugf("bundle '%s': tokenizer in %d ms", manifest.name(), (System.nanoTime() - start) / 1_000_000);
            return preprocessor;
        });
        OnnxSession session = null;
        try {
            long start = System.nanoTime();
            dev.embedder.inference.ModelFile model = bundle.stageModel();
            long read = System.nanoTime();
            BundleOutputs outputs = BundleOutputs.of(manifest, plan.graphPooling());
            session = new OnnxSession(model, outputs.tensors(), outputs.pooling(), settings);
            LOG.debugf("bundle '%s': model staged as a file in %d ms, ONNX Runtime session in %d ms", manifest.name(),
                    (read - start) / 1_000_000, (System.nanoTime() - read) / 1_000_000);
            return new TextEmbedder(manifest, await(tokenizer), session, plan.maxBatchSize(),
                    plan.maxBatchTokens(), bundle.denseLayers(),
                    dev.embedder.inference.CpuBudget.parallelRuns(plan.parallelRuns()));
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            try {
                await(tokenizer).close();
            } catch (RuntimeException ignored) {
                // the tokenizer failed too; the first error is the one to report
            }
            throw new IllegalStateException("bundle '" + manifest.name() + "': " + e.getMessage(), e);
        }
    }

    private static ImageEmbedder openImage(ModelBundle bundle, SessionSettings settings, ImageLimits limits) {
        BundleManifest manifest = bundle.manifest();
        try {
            ImageProcessorConfig processor = ImageProcessorConfig.parse(
                    new java.io.ByteArrayInputStream(bundle.read("preprocessor")));
            OnnxSession session = new OnnxSession(bundle.stageModel(), BundleOutputs.of(manifest, false).tensors(),
                    settings);
            return new ImageEmbedder(manifest, new ImagePreprocessor(processor, limits), session);
        } catch (RuntimeException e) {
            throw new IllegalStateException("bundle '" + manifest.name() + "': " + e.getMessage(), e);
        }
    }

    /** The dynamic batcher of a loaded text model, or null when batching is off. */
    public TextBatcher batcher(String loadedModel) {
        return batchers.get(loadedModel);
    }

    public boolean isReady() {
        return loaded;
    }

    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * The loaded model a request's {@code model} means: its bundle name, its Hugging Face repo id, either one
     * case-insensitively, or (for built-in bundles that carry no repo id) the name part of an {@code org/name}
     * id. Unknown names come back unchanged, for the caller's 404.
     */
    public String resolve(String model) {
        if (model == null || model.isBlank() || textModels.containsKey(model) || imageModels.containsKey(model)) {
            return model;
        }
        List<BundleManifest> all = new java.util.ArrayList<>();
        textModels.values().forEach(m -> all.add(m.manifest()));
        imageModels.values().forEach(m -> all.add(m.manifest()));
        for (BundleManifest m : all) {
            if (model.equals(m.repoId())) {
                return m.name();
            }
        }
        for (BundleManifest m : all) {
            if (model.equalsIgnoreCase(m.name()) || model.equalsIgnoreCase(m.repoId())) {
                return m.name();
            }
        }
        int slash = model.lastIndexOf('/');
        if (slash > 0) {
            String tail = model.substring(slash + 1);
            List<BundleManifest> byTail = all.stream().filter(m -> m.repoId() == null && tail.equalsIgnoreCase(m.name()))
                    .toList();
            if (byTail.size() == 1) {
                return byTail.get(0).name();
            }
        }
        return model;
    }

    public TextEmbedder text(String model) {
        requireReady();
        model = resolve(model);
        String name = model == null || model.isBlank() ? defaultTextModel : model;
        if (name == null) {
            throw new UnknownModelException("no text model is loaded");
        }
        TextEmbedder embedder = textModels.get(name);
        if (embedder == null) {
            if (imageModels.containsKey(name)) {
                throw new InvalidInputException("model '" + name + "' embeds images, not text");
            }
            throw new UnknownModelException("unknown model '" + model + "'; available: " + String.join(", ", names()));
        }
        return embedder;
    }

    public ImageEmbedder image(String model) {
        requireReady();
        model = resolve(model);
        String name = model == null || model.isBlank() ? defaultImageModel : model;
        if (name == null) {
            throw new UnknownModelException("no image model is loaded");
        }
        ImageEmbedder embedder = imageModels.get(name);
        if (embedder == null) {
            if (textModels.containsKey(name)) {
                throw new InvalidInputException("model '" + name + "' embeds text, not images");
            }
            throw new UnknownModelException("unknown model '" + model + "'; available: " + String.join(", ", names()));
        }
        return embedder;
    }

    /** The modality of a named model (or of the default text model when none is named). */
    public Modality modalityOf(String model) {
        requireReady();
        model = resolve(model);
        if (model != null && imageModels.containsKey(model)) {
            return Modality.IMAGE;
        }
        return Modality.TEXT;
    }

    public List<String> names() {
        List<String> names = new java.util.ArrayList<>(textModels.keySet());
        names.addAll(imageModels.keySet());
        return names;
    }

    public List<BundleManifest> manifests() {
        requireReady();
        List<BundleManifest> all = new java.util.ArrayList<>();
        textModels.values().forEach(m -> all.add(m.manifest()));
        imageModels.values().forEach(m -> all.add(m.manifest()));
        return all;
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
        batchers.values().forEach(TextBatcher::close);
        batchers.clear();
        textModels.values().forEach(TextEmbedder::close);
        textModels.clear();
        imageModels.values().forEach(ImageEmbedder::close);
        imageModels.clear();
    }
}
