package dev.embedder.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** Every {@code embedder.*} setting, grouped by the part of the service that reads it. */
@ConfigMapping(prefix = "embedder")
public interface EmbedderConfig {

    Bundles bundle();

    Inference inference();

    Limits limits();

    Batching batching();

    S3 s3();

    Security security();

    interface Bundles {
        /**
         * Bundles to load at startup, by name. The first text bundle is the default text model,
         * unless {@code default-text-model} says otherwise.
         */
        @WithDefault("all-minilm-l6-v2")
        List<String> models();

        /**
         * Where bundles are looked up, in order: {@code app:model-bundle} (a {@code model-bundle} folder beside
         * the native executable or the application, {@code quarkus-app/}, where the native build puts its bundles),
         * {@code classpath:model-bundle} (the bundles built into the artifact) and/or filesystem directories, each
         * holding {@code <name>/bundle.json}.
         */
        @WithDefault("app:model-bundle,classpath:model-bundle")
        List<String> locations();

        Optional<String> defaultTextModel();

        /**
         * In JVM mode, start opening the bundles while Quarkus boots (from the configuration as it stands at static
         * init; startup checks it against the runtime configuration) instead of once it has booted. false: open
         * them at startup only.
         */
        @WithDefault("true")
        boolean openDuringBoot();

        /** The image model used when a request names none; the first image bundle otherwise. */
        Optional<String> defaultImageModel();

        /**
         * ONNX variant read from Hugging Face model directories: {@code fp32} ({@code onnx/model.onnx} or
         * {@code model.onnx}), or a suffix such as {@code quantized}, {@code int8}, {@code fp16}, {@code O2}
         * ({@code onnx/model_<variant>.onnx}). A bundle.json beside the model may set its own {@code variant}.
         */
        @WithDefault("fp32")
        String variant();
    }

    interface Inference {
        /**
         * ONNX Runtime intra-op threads; 0 (the default) uses as many as the process has CPUs: the container's
         * CPU quota, or on Lambda the vCPU share of the function's memory (see {@code inference.CpuBudget}).
         */
        @WithDefault("0")
        int intraOpThreads();

        /** Inter-op threads only matter for graphs with parallel branches; BERT-style encoders have none. */
        @WithDefault("1")
        int interOpThreads();

        /** ORT graph optimisation level: none, basic, extended or all. */
        @WithDefault("all")
        String optimizationLevel();

        /**
         * Inputs of one request are length-sorted and run in micro-batches of at most this many
         * sequences, so short texts are not padded up to the longest one in the request.
         */
        @WithDefault("32")
        int maxBatchSize();

        /** Upper bound on padded tokens (batch size x longest sequence) in one micro-batch. */
        @WithDefault("16384")
        int maxBatchTokens();

        /**
         * Micro-batches of one text model that run in ONNX Runtime at the same time (on one session); 0 (the
         * default) = one more than the CPUs (see {@code inference.CpuBudget#parallelRuns}).
         */
        @WithDefault("0")
        int parallelRuns();

        /**
         * Where ONNX Runtime runs: {@code cpu}, {@code cuda} (needs the {@code -Pgpu} build and CUDA 12 + cuDNN 9;
         * startup fails when CUDA cannot be used) or {@code auto} (CUDA when usable, else CPU with a warning).
         */
        @WithDefault("cpu")
        String device();

        /** CUDA device ordinal, for hosts with several GPUs. */
        @WithDefault("0")
        int deviceId();

        /** Put the TensorRT provider in front of CUDA (needs TensorRT 10 libraries); off by default. */
        @WithDefault("false")
        boolean tensorrt();

        /**
         * ONNX Runtime's CPU memory arena: activations are carved from blocks it keeps, sized by the largest
         * batch seen. Off, every run goes to malloc, which fragments under concurrency: in a 600-run test of
         * varied shapes RSS ended higher (459-528 MB against 435 MB with the arena), so it stays on.
         */
        @WithDefault("true")
        boolean memoryArena();

        /**
         * ONNX Runtime's memory-pattern planning. It pays off for fixed input shapes; text batches come in
         * a new (batch, length) shape nearly every time, and a pattern is planned and cached for each one,
         * so it is off by default (the same 600-run test: 435 MB off, 473 MB on; interleaved runs of varied
         * batches took 1.007x as long with it on, i.e. no gain).
         */
        @WithDefault("false")
        boolean memoryPattern();

        /**
         * Give the arena's unused blocks back after every run. The arena otherwise keeps the memory of the
         * largest batch ever run (hundreds of MB for 32 x 256-token texts); shrinking trades that for a
         * re-allocation per run. Off by default; worth it where memory is billed, e.g. Lambda.
         */
        @WithDefault("false")
        boolean arenaShrink();

        /**
         * Let ONNX Runtime's idle worker threads spin-wait for the next parallel section instead of sleeping.
         * Off by default: on a few cores the spinning competes with the HTTP and tokenizer threads, and with the
         * other micro-batches running beside it. When on, spinning stops as soon as the last run returns
         * ({@code session.force_spinning_stop}); measured even so on 2 cores over HTTP: 16 x 1 at 0.84x the rate
         * with 1.23x the CPU per sentence, 4 x 32 at 0.94x with 1.08x.
         */
        @WithDefault("false")
        boolean allowSpinning();

        /**
         * Append each text bundle's default pooling (mean or cls over its default output or layers) to the ONNX
         * graph, so a run returns [batch, dim] rather than every token's hidden state (see
         * {@code inference.GraphPooling}); other poolings a request asks for run in Java. Off: all pooling in Java.
         */
        @WithDefault("true")
        boolean graphPooling();
    }

    /** Cross-request dynamic batching of text (see {@code batching.TextBatcher}). */
    interface Batching {
        /** Off: each request runs on its own thread, as on a Lambda instance that serves one call at a time. */
        @WithDefault("true")
        boolean enabled();

        /** Padded-token budget of one scheduling round (TEI's max-batch-tokens). */
        @WithDefault("16384")
        int maxBatchTokens();

        /** Extra wait for more requests once one has arrived; 0 never delays a lone request. */
        @WithDefault("0")
        int maxWaitMillis();

        /** Sequences allowed to wait; more are refused with 429 rather than queued without bound. */
        @WithDefault("4096")
        int queueCapacity();
    }

    interface Limits {
        /** Most inputs accepted in one request. */
        @WithDefault("512")
        int maxInputs();

        /** Longest text accepted before tokenization, in characters; guards the tokenizer's memory. */
        @WithDefault("200000")
        int maxTextChars();

        /**
         * Whether {@code /v1/embeddings} cuts over-long texts when the request does not say (OpenAI
         * clients cannot). TEI's {@code /embed} and the function follow the request's {@code truncate}.
         */
        @WithDefault("false")
        boolean autoTruncate();

        /** Largest encoded image accepted, checked before decoding. */
        @WithDefault("20971520")
        long maxImageBytes();

        /** Most pixels (width x height) an image may declare, checked from its header before decoding. */
        @WithDefault("40000000")
        long maxImagePixels();

        /**
         * Most tokens (all inputs together, special tokens included) whose vectors one token-embedding request
         * ({@code /embed_all}) may return: each token is a whole vector in the response.
         */
        @WithDefault("4096")
        int maxTokenEmbeddings();
    }

    /** Who may call the HTTP routes. Lambda invocations are not affected: IAM decides who may invoke. */
    interface Security {
        /**
         * Accepted API keys, sent as {@code Authorization: Bearer <key>} (what OpenAI clients send). Unset or empty
         * leaves the HTTP routes open (the default, so dev mode needs no setup); health probes never need a key.
         */
        Optional<List<String>> apiKeys();
    }

    /** The {@code embed-s3} function: which S3 objects it may read, and where it writes their embeddings. */
    interface S3 {
        /** Bucket the embedding JSON is written to; omitted means next to the source object, in its bucket. */
        Optional<String> outputBucket();

        /**
         * Prepended to the source key to name the output ({@code <prefix><key>.json}). Objects under it in the
         * source bucket are skipped, so an ObjectCreated trigger on the whole bucket cannot loop.
         */
        @WithDefault("embeddings/")
        String outputPrefix();

        /** Buckets the function may read from; records naming any other bucket are refused, none is allowed when unset. */
        Optional<List<String>> allowedBuckets();

        /** Only keys starting with this are embedded; others are skipped (a guard when the trigger has no filter). */
        Optional<String> inputPrefix();

        /** Largest object read, checked from the event's size and from S3's Content-Length before the body. */
        @WithDefault("20971520")
        long maxObjectBytes();

        /** Image model to use; omitted means the default image model. */
        Optional<String> model();

        /**
         * What an SQS batch does with an object that failed permanently (not an image, too large, missing, denied):
         * {@code acknowledge} (default) reports it in the result and the log and deletes the message, since a retry
         * cannot succeed; {@code retry} reports it as a batch item failure too, so the queue's maxReceiveCount moves
         * it to the dead-letter queue, where it can be inspected and redriven once fixed.
         */
        @WithDefault("acknowledge")
        PermanentFailures permanentFailures();

        enum PermanentFailures {
            ACKNOWLEDGE,
            RETRY
        }
    }
}
