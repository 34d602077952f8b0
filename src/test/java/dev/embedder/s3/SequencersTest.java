package dev.embedder.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** S3 sequencers order events for one key: hex strings, the shorter left-padded with zeros. */
class SequencersTest {

    @Test
    void comparesAsHexNumbers() {
        assertTrue(Sequencers.compare("0055AED6DCD90281E5", "0055AED6DCD90281E6") < 0);
        assertEquals(0, Sequencers.compare("0055aed6dcd90281e5", "0055AED6DCD90281E5"));
        // FF (255) is earlier than 0100 (256): left padding. Right padding ("FF00") would say the opposite.
        assertTrue(Sequencers.compare("FF", "0100") < 0);
        assertTrue(Sequencers.compare("55AED6DCD9028200", "0055AED6DCD90281E5") > 0);
    }
}
