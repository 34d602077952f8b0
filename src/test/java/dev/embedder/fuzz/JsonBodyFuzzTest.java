package dev.embedder.fuzz;

import static dev.embedder.testing.Http.http;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.Test;

/**
 * JSON-ish bodies, from well-formed requests with odd values to broken syntax, against the JSON routes of the
 * running application: never a 5xx, and every refusal carries a JSON error. A {@code @QuarkusTest} cannot be a
 * jqwik property (Quarkus starts through JUnit Jupiter), so jqwik only generates here, from a seeded Random.
 */
@QuarkusTest
class JsonBodyFuzzTest {

    private static final int TRIES = 140;
    private static final List<String> ROUTES = List.of("/v1/embeddings", "/embed", "/tokenize", "/embeddings", "/",
            "/embed_all", "/similarity");

    @Test
    void randomBodiesNeverCauseAServerError() throws Throwable {
        List<String> failures = new ArrayList<>();
        // Generators need a jqwik session outside the jqwik engine. Such a session writes jqwik's database file into
        // the working directory (it does not read the engine's jqwik.database setting), so it is removed afterwards.
        Path database = Path.of(".jqwik-database");
        boolean existed = Files.exists(database);
        List<String> bodies = new ArrayList<>();
        Random random = new Random(99173);
        try {
            JqwikSession.run(() -> {
                RandomGenerator<String> generator = bodies().generator(1000);
                for (int i = 0; i < TRIES; i++) {
                    bodies.add(generator.next(random).value());
                }
            });
        } finally {
            if (!existed) {
                Files.deleteIfExists(database);
            }
        }
        for (int i = 0; i < bodies.size(); i++) {
            String route = ROUTES.get(i % ROUTES.size());
            Response response = http().body(bodies.get(i)).post(route);
            int status = response.statusCode();
            boolean ok = status == 200 || (status >= 400 && status < 500 && response.asString().contains("\"error\""));
            if (!ok) {
                failures.add(route + " " + status + " for " + abbreviate(bodies.get(i)) + " -> "
                        + abbreviate(response.asString()));
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static Arbitrary<String> bodies() {
        Arbitrary<String> object = Combinators.combine(
                fieldNames().list().ofMinSize(0).ofMaxSize(5), values().list().ofMinSize(5).ofMaxSize(5))
                .as((names, values) -> {
                    StringBuilder json = new StringBuilder("{");
                    for (int i = 0; i < names.size(); i++) {
                        json.append(i == 0 ? "" : ",").append('"').append(names.get(i)).append("\":").append(values.get(i));
                    }
                    return json.append('}').toString();
                });
        // Some bodies are cut short or get a stray character: broken JSON must be a 400 too.
        Arbitrary<String> broken = Combinators.combine(object, Arbitraries.integers().between(0, 40),
                Arbitraries.chars().all()).as((json, at, c) -> {
                    int cut = Math.min(at, json.length());
                    return at % 2 == 0 ? json.substring(0, cut) : json.substring(0, cut) + c + json.substring(cut);
                });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, object), net.jqwik.api.Tuple.of(1, broken),
                net.jqwik.api.Tuple.of(1, values()));
    }

    private static Arbitrary<String> fieldNames() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.of("input", "inputs", "images", "model", "dimensions", "layers",
                        "pooling", "normalize", "truncate", "encoding_format", "add_special_tokens", "include_class_token",
                        "includeClassToken", "truncation_direction", "prompt_name", "embedding_type", "ranges",
                        "embeddingType", "tokenEmbeddings", "parameters")),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().alpha().ofMaxLength(8)));
    }

    private static Arbitrary<String> values() {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.of("null", "true", "false", "0", "-1", "1", "384", "385", "2147483648", "-9e999", "1.5",
                        "\"\"", "\"mean\"", "\"cls\"", "\"base64\"", "\"int8\"", "\"ubinary\"", "\"left\"",
                        "{\"source_sentence\":\"a\",\"sentences\":[\"b\"]}", "[[0,1],[1,2]]", "\"all-minilm-l6-v2\"", "\"mobilenet-v2-nsfwjs\"",
                        "\"\\ud800\"", "\"\\u0000\"", "\"data:image/png;base64,iVBORw0KGgo=\"", "{}", "[]", "[[]]",
                        "[1,2,3]", "[-1]", "[null]", "{\"a\":[1]}"),
                Arbitraries.strings().all().ofMaxLength(40).map(JsonBodyFuzzTest::quote),
                Arbitraries.integers().map(String::valueOf));
        Arbitrary<String> array = scalar.list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]");
        return Arbitraries.oneOf(scalar, array);
    }

    /** A JSON string literal; every character outside printable ASCII is escaped, so surrogates travel as escapes. */
    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7E) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
