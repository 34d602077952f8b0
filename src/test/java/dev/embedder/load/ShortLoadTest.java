package dev.embedder.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.testing.Http;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The load test in miniature, inside the suite: 16 concurrent clients for 10 s of mixed text and image requests.
 * Only correctness is asserted (no answer other than 200, or a deliberate 429/503); timings depend on the
 * machine and are for {@code infra/load/load-test.sh} to report.
 */
@QuarkusTest
class ShortLoadTest {

    @Test
    void sixteenClientsForTenSecondsGetNoUnexpectedErrors() throws Exception {
        LoadTest.Report report = LoadTest.run("http://127.0.0.1:" + Http.port(), 16, Duration.ofSeconds(10), null);
        System.out.println("short load test: " + report);
        assertTrue(report.requests() > 16, report.toString());
        assertEquals(0, report.unexpectedErrors(), report.toString());
    }
}
