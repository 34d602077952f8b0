package dev.embedder.cli;

import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * Ctrl-C and SIGTERM ask a running command to stop gracefully instead of ending the JVM: the default handlers would
 * start Quarkus' shutdown under the running chunks. The second signal exits at once.
 */
final class Interrupts {

    private Interrupts() {}

    static void install(AtomicBoolean stop) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (stop.getAndSet(true)) {
                        Runtime.getRuntime().halt(130);
                    }
                    System.err.println();
                    System.err.println("backfill: stopping after the running chunks (again to quit at once)");
                });
            } catch (IllegalArgumentException unsupported) {
                // e.g. a JVM started with -Xrs, or a platform without the signal: the default behaviour stays
            }
        }
    }
}
