package dev.embedder.hub;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Starts the Hub-compatible server for a {@code @QuarkusTest} profile and points the application at it: HF_ENDPOINT,
 * an empty HF_HUB_CACHE under {@code target/fake-hub/}, and the models entry. Init args: {@code models} (the
 * {@code embedder.bundle.models} value; {@code LOCAL} stands for a local directory with the same files as the served
 * repo), {@code server} (extra server flags, space-separated), {@code prefetch=true} (fill the cache with the prefetch
 * command in a separate JVM first, then start the application with HF_HUB_OFFLINE=1).
 */
public class FakeHubResource implements QuarkusTestResourceLifecycleManager {

    /** The running server, for the test's assertions on what reached it. */
    public static volatile FakeHub hub;
    /** The cache the application uses. */
    public static volatile Path cache;
    /** How many requests the server had answered when the application was started. */
    public static volatile int requestsBeforeStart;

    private Map<String, String> args = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        args = Map.copyOf(initArgs);
    }

    @Override
    public Map<String, String> start() {
        try {
            Path base = Path.of("target", "fake-hub", UUID.randomUUID().toString()).toAbsolutePath();
            Path repos = FakeHub.layOut(base.resolve("repos"));
            Path local = FakeHub.layOut(base.resolve("local")).resolve(FakeHub.MINILM);
            Path localCopy = Files.move(local, base.resolve("minilm-local"));
            cache = base.resolve("cache");
            String server = args.getOrDefault("server", "");
            hub = FakeHub.start(repos, base.resolve("hub.log"), server.isBlank() ? new String[0] : server.split(" "));
            Map<String, String> config = new HashMap<>(Map.of(
                    "HF_ENDPOINT", hub.endpoint(),
                    "HF_HUB_CACHE", cache.toString(),
                    "HF_HOME", base.resolve("hf-home").toString(),
                    "embedder.bundle.models", args.getOrDefault("models", FakeHub.MINILM)
                            .replace("LOCAL", localCopy.toString())));
            if (Boolean.parseBoolean(args.getOrDefault("prefetch", "false"))) {
                Process prefetch = PrefetchProcessTest.prefetch(cache, base.resolve("prefetch.log"), hub.endpoint(),
                        false, FakeHub.MINILM);
                if (!prefetch.waitFor(120, TimeUnit.SECONDS) || prefetch.exitValue() != 0) {
                    throw new IllegalStateException("prefetch failed: " + Files.readString(base.resolve("prefetch.log")));
                }
                config.put("HF_HUB_OFFLINE", "1");
            }
            requestsBeforeStart = hub.requests().size();
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (hub != null) {
            hub.close();
            hub = null;
        }
    }

    static List<String> paths(List<com.fasterxml.jackson.databind.JsonNode> requests) {
        return requests.stream().map(r -> r.get("listener").asText() + " " + r.get("method").asText() + " "
                + r.get("path").asText()).toList();
    }
}
