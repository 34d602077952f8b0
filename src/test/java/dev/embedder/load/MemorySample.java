package dev.embedder.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's memory, read from outside: heap in use right after a full GC ({@code jcmd GC.run}, then
 * {@code GC.heap_info}), which is what a leak would grow, and the resident set from {@code /proc/<pid>/status},
 * which also covers ONNX Runtime's native arenas. Linux only; the same user must own both processes.
 */
record MemorySample(long heapUsedKb, long rssKb) {

    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

    static MemorySample of(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        Matcher heap = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
        long heapKb = heap.find() ? Long.parseLong(heap.group(1)) : -1;
        Matcher rss = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        return new MemorySample(heapKb, rss.find() ? Long.parseLong(rss.group(1)) : -1);
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("jcmd " + command + " did not finish within 60 s");
        }
        return new String(p.getInputStream().readAllBytes());
    }

    @Override
    public String toString() {
        return String.format("heap after full GC %.1f MB, RSS %.1f MB", heapUsedKb / 1024.0, rssKb / 1024.0);
    }
}
