package dev.embedder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The backfill's progress line, and its command line. */
class ProgressTest {

    @Test
    void theLineShowsDoneTotalRateEtaAndFailures() {
        // 120 of 200 in 10 s: 12/s, 80 left -> 7 s.
        assertEquals("[##################............] 120/200  60% 12.0/s ETA 0:07 failed 3",
                Progress.line(120, 200, 3, 10));
        assertEquals("[..............................] 0/5   0% 0.0/s ETA --:-- failed 0", Progress.line(0, 5, 0, 0));
        assertEquals("1:01:01", Progress.clock(3661));
    }

    @Test
    void aTerminalGetsOneRedrawnLineAndALogGetsPlainLines() {
        ByteArrayOutputStream tty = new ByteArrayOutputStream();
        Progress bar = new Progress(new PrintStream(tty, true, StandardCharsets.UTF_8), true);
        bar.start(2);
        bar.update(1, 0, true);
        bar.update(2, 0, true);
        String drawn = tty.toString(StandardCharsets.UTF_8);
        assertTrue(drawn.contains("\r[###############...............] 1/2"), drawn);
        assertTrue(drawn.contains("\u001b[K"), "erases the rest of the line");

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Progress lines = new Progress(new PrintStream(log, true, StandardCharsets.UTF_8), false);
        lines.start(2);
        lines.update(1, 0, false); // within the interval: nothing
        lines.update(2, 1, true);
        String written = log.toString(StandardCharsets.UTF_8);
        assertTrue(!written.contains("\r") && written.contains("backfill: [") && written.contains("2/2"), written);
        assertEquals(2, written.lines().count(), written);
    }

    @Test
    void optionsParseBothTargets() {
        BackfillCommand.Options s3 = BackfillCommand.Options.parse("backfill", "s3://images/uploads/2024/", "--parallel",
                "4", "--batch", "16");
        assertEquals("images", s3.bucket());
        assertEquals("uploads/2024/", s3.prefix());
        assertEquals(4, s3.parallel());
        assertEquals(16, s3.batch());
        assertEquals("", BackfillCommand.Options.parse("backfill", "s3://images").prefix());
        BackfillCommand.Options local = BackfillCommand.Options.parse("backfill", "/data/photos", "--output", "/out");
        assertEquals(Path.of("/data/photos"), local.dir());
        assertEquals(Path.of("/out"), local.output());
        assertThrows(IllegalArgumentException.class, () -> BackfillCommand.Options.parse("backfill"));
        assertThrows(IllegalArgumentException.class, () -> BackfillCommand.Options.parse("backfill", "x", "--batch", "0"));
        assertThrows(IllegalArgumentException.class, () -> BackfillCommand.Options.parse("backfill", "s3://b/p",
                "--output", "/o"));
    }
}
