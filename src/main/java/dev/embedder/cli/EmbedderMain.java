package dev.embedder.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;

/**
 * The jar's entry point. Without a command it is the normal application (HTTP server; on Lambda the Funqy handler
 * never goes through here, and the native Lambda bootstrap passes no arguments). {@code prefetch} fills a Hugging
 * Face cache with {@link PrefetchCommand} and exits without booting Quarkus; {@code backfill} runs
 * {@link BackfillCommand} and exits with its code; {@code warm-up} runs {@link WarmUpCommand} (the training run of a
 * class-data-sharing archive) and exits with its code; {@code prepare-models} runs {@link PrepareModelsCommand}
 * without booting Quarkus.
 */
@QuarkusMain
public class EmbedderMain {

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("prefetch")) {
            useJBossLogManager();
            System.exit(PrefetchCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && "prepare-models".equals(args[0])) {
            useJBossLogManager();
            System.exit(PrepareModelsCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && "backfill".equals(args[0])) {
            // A command, not a server: no HTTP listener (it would clash with a server already on the port).
            boolean set = System.getProperty("quarkus.http.host-enabled") == null
                    && System.getenv("QUARKUS_HTTP_HOST_ENABLED") == null;
            if (set) {
                System.setProperty("quarkus.http.host-enabled", "false");
            }
            try {
                Quarkus.run(BackfillCommand.class, args);
            } finally {
                // Only reached where run returns instead of exiting (tests): leave the JVM as it was.
                if (set) {
                    System.clearProperty("quarkus.http.host-enabled");
                }
            }
            return;
        }
        if (args.length > 0 && "warm-up".equals(args[0])) {
            // The server as it starts, HTTP listener included: the requests it sends itself load what a first
            // client's would.
            Quarkus.run(WarmUpCommand.class, args);
            return;
        }
        Quarkus.run(args);
    }

    /** What Quarkus' own main sets before anything logs; without it JBoss LogManager warns on first use. */
    private static void useJBossLogManager() {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        }
    }
}
