package dev.embedder.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Backfill progress: a bar redrawn in place on a terminal, plain lines (one every few seconds) in logs and pipes.
 * Thread-safe; {@link #update} is cheap when nothing has to be printed.
 */
final class Progress {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private final long intervalNanos;
    private final long start = System.nanoTime();
    private long lastPrint;
    private int total;

    Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
        this.intervalNanos = terminal ? 200_000_000L : 5_000_000_000L;
        this.lastPrint = start;
    }

    synchronized void start(int total) {
        this.total = total;
        out.println("backfill: " + total + " object(s) to check");
    }

    synchronized void update(int done, int failed, boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastPrint < intervalNanos) {
            return;
        }
        lastPrint = now;
        String line = line(done, total, failed, (now - start) / 1e9);
        if (terminal) {
            out.print("\r" + line + "\u001b[K");
            if (force) {
                out.println();
            }
        } else {
            out.println("backfill: " + line);
        }
        out.flush();
    }

    /** e.g. {@code [###########...................] 120/200 60% 12.3/s ETA 0:07 failed 1}. */
    static String line(int done, int total, int failed, double seconds) {
        double fraction = total == 0 ? 1 : (double) done / total;
        int filled = (int) Math.round(fraction * WIDTH);
        double rate = seconds > 0 ? done / seconds : 0;
        String eta = rate > 0 ? clock((total - done) / rate) : "--:--";
        return String.format(Locale.ROOT, "[%s%s] %d/%d %3d%% %.1f/s ETA %s failed %d", "#".repeat(filled),
                ".".repeat(WIDTH - filled), done, total, Math.round(fraction * 100), rate, eta, failed);
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
