package dev.embedder.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;

/**
 * The jar's entry point: {@code java -jar <runner jar> [command] …}. {@code prefetch} fills a Hugging Face cache
 * and exits without booting Quarkus; anything else starts the server as usual.
 */
@QuarkusMain
public class EmbedderMain {

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("prefetch")) {
            // What Quarkus' own main sets before anything logs; without it JBoss LogManager warns on first use.
            if (System.getProperty("java.util.logging.manager") == null) {
                System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
            }
            System.exit(PrefetchCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        Quarkus.run(args);
    }
}
