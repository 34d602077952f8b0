package dev.embedder.cli;

import dev.embedder.s3.ObjectOutcome;
import dev.embedder.s3.SourceObject;
import dev.embedder.s3.backfill.Backfill;
import dev.embedder.s3.backfill.BackfillSources;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * {@code java -jar quarkus-run.jar backfill <s3://bucket/prefix | dir> [--parallel N] [--batch N] [--output DIR]}:
 * embeds every object under an S3 prefix (the outputs embed-s3 writes, same keys and bytes) or every file under a
 * local directory, skipping those whose output is current. Ctrl-C (or SIGTERM) stops gracefully: running chunks
 * finish and are written, nothing new starts; run the same command again to resume. A second Ctrl-C exits at once.
 *
 * <p>Exit codes: 0 all done, 1 some objects failed, 2 bad arguments, 130 interrupted.
 */
public class BackfillCommand implements QuarkusApplication {

    private static final Logger LOG = Logger.getLogger(BackfillCommand.class);
    static final String USAGE = "usage: backfill <s3://bucket/prefix | /local/dir> [--parallel N] [--batch N]"
            + " [--output DIR (local only; default <dir>/<embedder.s3.output-prefix>)]";

    @Inject
    BackfillSources sources;

    @Override
    public int run(String... args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("backfill: " + e.getMessage());
            System.err.println(USAGE);
            return 2;
        }
        AtomicBoolean stop = new AtomicBoolean();
        Interrupts.install(stop);
        Progress progress = new Progress(System.err, System.console() != null);
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Backfill.Listener listener = new Backfill.Listener() {
            @Override
            public void started(int total) {
                progress.start(total);
            }

            @Override
            public void finished(ObjectOutcome outcome) {
                if (outcome.isError()) {
                    failed.incrementAndGet();
                    LOG.warnf("backfill: %s failed (%s): %s", outcome.key(), outcome.errorType(), outcome.error());
                }
                progress.update(done.incrementAndGet(), failed.get(), false);
            }
        };
        Backfill.Summary summary;
        try {
            if (options.bucket() != null) {
                List<SourceObject> objects = sources.listS3(options.bucket(), options.prefix());
                summary = Backfill.run(objects, sources::embedS3, options.parallel(), options.batch(), listener, stop);
            } else {
                Path dir = options.dir();
                if (!Files.isDirectory(dir)) {
                    System.err.println("backfill: " + dir + " is not a directory");
                    return 2;
                }
                Path output = options.output() != null ? options.output() : sources.defaultOutput(dir);
                List<Path> files = sources.listLocal(dir, output);
                summary = Backfill.run(files, chunk -> sources.embedLocal(dir, output, chunk), options.parallel(),
                        options.batch(), listener, stop);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("backfill: " + e.getMessage());
            return 2;
        }
        progress.update(summary.done(), summary.failed(), true);
        System.err.printf(java.util.Locale.ROOT,
                "backfill: %s: %d embedded, %d already current or skipped, %d failed of %d in %.1f s (%.1f objects/s)%n",
                summary.interrupted() ? "interrupted, run the same command again to resume" : "done",
                summary.embedded(), summary.skipped(), summary.failed(), summary.total(), summary.seconds(),
                summary.seconds() > 0 ? summary.done() / summary.seconds() : 0.0);
        return summary.interrupted() ? 130 : summary.failed() > 0 ? 1 : 0;
    }

    /** Parsed command line. */
    record Options(String bucket, String prefix, Path dir, Path output, int parallel, int batch) {

        static Options parse(String... args) {
            int i = args.length > 0 && "backfill".equals(args[0]) ? 1 : 0;
            String target = null;
            Path output = null;
            int parallel = Math.max(2, Runtime.getRuntime().availableProcessors());
            int batch = 8;
            for (; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--parallel" -> parallel = positive(arg, value(args, ++i, arg));
                    case "--batch" -> batch = positive(arg, value(args, ++i, arg));
                    case "--output" -> output = Path.of(value(args, ++i, arg));
                    default -> {
                        if (arg.startsWith("--") || target != null) {
                            throw new IllegalArgumentException("unexpected argument '" + arg + "'");
                        }
                        target = arg;
                    }
                }
            }
            if (target == null) {
                throw new IllegalArgumentException("no S3 prefix or directory given");
            }
            if (target.startsWith("s3://")) {
                String rest = target.substring("s3://".length());
                int slash = rest.indexOf('/');
                String bucket = slash < 0 ? rest : rest.substring(0, slash);
                if (bucket.isBlank()) {
                    throw new IllegalArgumentException("no bucket in '" + target + "'");
                }
                if (output != null) {
                    throw new IllegalArgumentException("--output is for local directories; S3 outputs follow"
                            + " embedder.s3.output-bucket and embedder.s3.output-prefix");
                }
                return new Options(bucket, slash < 0 ? "" : rest.substring(slash + 1), null, null, parallel, batch);
            }
            return new Options(null, null, Path.of(target), output, parallel, batch);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int positive(String option, String value) {
            try {
                int n = Integer.parseInt(value);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " must be a positive number, got '" + value + "'");
        }
    }
}
