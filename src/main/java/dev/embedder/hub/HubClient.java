package dev.embedder.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embedder.hub.HubException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The Hub's HTTP API, as huggingface_hub speaks it: the model-info call that turns a revision into a commit and
 * lists the files, and the {@code /{repo}/resolve/{revision}/{path}} metadata call (HEAD) whose answer carries
 * {@code X-Repo-Commit}, {@code ETag} / {@code X-Linked-Etag}, {@code X-Linked-Size} and, for LFS files, a redirect
 * to the CDN. Errors are read from {@code X-Error-Code} / {@code X-Error-Message} first, then the status.
 *
 * <p>It uses the JDK's {@link HttpClient}, not a Quarkus extension: the prefetch command runs it without booting
 * Quarkus (no Vert.x instance to borrow), it needs manual control of redirects (follow a renamed repo's relative
 * redirect, stop at the CDN's absolute one, drop the token when the host changes) and it adds no dependency.
 */
public final class HubClient {

    private static final String USER_AGENT = "embedder (java.net.http; like huggingface_hub)";
    private static final int MAX_REDIRECTS = 10;
    private static final int ATTEMPTS = 3;

    private final HubSettings settings;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    public HubClient(HubSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.metadataTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    HttpClient http() {
        return http;
    }

    HubSettings settings() {
        return settings;
    }

    /** A file of the repository as the model-info listing describes it; size and etag are absent on some mirrors. */
    public record RepoFile(String path, OptionalLong size, Optional<String> etag) {}

    /** What a revision resolves to: the commit and every file path at it. */
    public record RepoInfo(String commit, List<RepoFile> files) {}

    /** The metadata of one file at one commit (the resolve call's headers). */
    public record FileMetadata(String commit, String etag, long size, URI location) {}

    /** {@code GET /api/models/{repo}/revision/{revision}?blobs=true}: the commit and the files with sizes and hashes. */
    public RepoInfo info(HubModelId id) {
        URI uri = URI.create(settings.endpoint() + "/api/models/" + id.repo() + "/revision/"
                + encode(id.revision()) + "?blobs=true");
        HttpResponse<byte[]> response = withRetries(() -> send(request(uri, "GET").build(), true,
                HttpResponse.BodyHandlers.ofByteArray()), uri);
        if (response.statusCode() != 200) {
            throw errorFor(response, id, null);
        }
        try {
            JsonNode body = json.readTree(response.body());
            String commit = body.path("sha").asText(null);
            if (commit == null || !commit.matches("[0-9a-f]{40}")) {
                throw new HubException(Reason.PROTOCOL, uri + " answered without a commit hash ('sha')");
            }
            List<RepoFile> files = new ArrayList<>();
            for (JsonNode sibling : body.path("siblings")) {
                String path = sibling.path("rfilename").asText(null);
                if (path == null) {
                    continue;
                }
                JsonNode lfs = sibling.path("lfs");
                OptionalLong size = lfs.has("size") ? OptionalLong.of(lfs.get("size").asLong())
                        : sibling.has("size") ? OptionalLong.of(sibling.get("size").asLong()) : OptionalLong.empty();
                Optional<String> etag = lfs.hasNonNull("sha256") ? Optional.of(lfs.get("sha256").asText())
                        : Optional.ofNullable(sibling.path("blobId").asText(null));
                files.add(new RepoFile(path, size, etag));
            }
            return new RepoInfo(commit, List.copyOf(files));
        } catch (IOException e) {
            throw new HubException(Reason.PROTOCOL, uri + " answered with unreadable JSON: " + e.getMessage(), e);
        }
    }

    /**
     * {@code HEAD /{repo}/resolve/{commit}/{path}} with {@code Accept-Encoding: identity}: a relative redirect (a
     * renamed repo) is followed, an absolute one (the CDN) is not and becomes the download location.
     */
    public FileMetadata metadata(HubModelId id, String commit, String path) {
        URI uri = resolveUri(id.repo(), commit, path);
        HttpResponse<Void> response = withRetries(() -> send(request(uri, "HEAD")
                .header("Accept-Encoding", "identity").build(), false, HttpResponse.BodyHandlers.discarding()), uri);
        int status = response.statusCode();
        if (status >= 400) {
            throw errorFor(response, id, path);
        }
        String repoCommit = response.headers().firstValue("X-Repo-Commit").orElse(null);
        String etag = normalizeEtag(response.headers().firstValue("X-Linked-Etag")
                .or(() -> response.headers().firstValue("ETag")).orElse(null));
        if (repoCommit == null || etag == null) {
            throw new HubException(Reason.PROTOCOL, "the Hub's answer for " + uri + " lacks X-Repo-Commit or ETag;"
                    + " is HF_ENDPOINT (" + settings.endpoint() + ") a Hugging Face Hub, and no proxy strips headers?");
        }
        URI location = status >= 300 ? response.headers().firstValue("Location")
                .map(response.uri()::resolve).orElse(response.uri()) : response.uri();
        String size = response.headers().firstValue("X-Linked-Size")
                .or(() -> status < 300 ? response.headers().firstValue("Content-Length") : Optional.empty())
                .orElse("-1");
        return new FileMetadata(repoCommit, etag, Long.parseLong(size.trim()), location);
    }

    URI resolveUri(String repo, String revision, String path) {
        StringBuilder encoded = new StringBuilder();
        for (String part : path.split("/")) {
            encoded.append(encoded.length() == 0 ? "" : "/").append(encode(part));
        }
        return URI.create(settings.endpoint() + "/" + repo + "/resolve/" + encode(revision) + "/" + encoded);
    }

    /** A request with the User-Agent and, to the Hub's own host only, the token. */
    HttpRequest.Builder request(URI uri, String method) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(settings.metadataTimeout())
                .header("User-Agent", USER_AGENT)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (settings.isEndpointHost(uri)) {
            settings.token().ifPresent(token -> builder.header("Authorization", "Bearer " + token));
        }
        return builder;
    }

    /**
     * Sends a request, following redirects by hand: every one when {@code followAll}, else only relative ones. The
     * request is rebuilt for each hop so the token goes only to the Hub's host (a signed CDN URL needs none).
     */
    <T> HttpResponse<T> send(HttpRequest first, boolean followAll, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        HttpRequest request = first;
        for (int hop = 0; ; hop++) {
            HttpResponse<T> response = http.send(request, handler);
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("Location");
            if (status < 300 || status >= 400 || location.isEmpty() || hop >= MAX_REDIRECTS) {
                return response;
            }
            URI target = URI.create(location.get());
            if (!followAll && target.getHost() != null) {
                return response;
            }
            URI next = request.uri().resolve(target);
            HttpRequest.Builder builder = request(next, request.method());
            request.headers().map().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("Authorization") && !name.equalsIgnoreCase("User-Agent")) {
                    values.forEach(value -> builder.header(name, value));
                }
            });
            request.timeout().ifPresent(builder::timeout);
            request = builder.build();
        }
    }

    @FunctionalInterface
    interface Exchange<T> {
        HttpResponse<T> run() throws IOException, InterruptedException;
    }

    /** Retries what the Hub asks to retry (408, 429, 5xx) and connection failures, with a short back-off. */
    <T> HttpResponse<T> withRetries(Exchange<T> exchange, URI uri) {
        long backoffMillis = 500;
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<T> response = exchange.run();
                int status = response.statusCode();
                boolean retry = status == 408 || status == 429 || status == 500 || status == 502 || status == 503
                        || status == 504;
                if (!retry || attempt >= ATTEMPTS) {
                    return response;
                }
            } catch (IOException e) {
                if (attempt >= ATTEMPTS) {
                    throw unreachable(uri, e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HubException(Reason.NETWORK, "interrupted while calling " + uri, e);
            }
            sleep(backoffMillis);
            backoffMillis *= 2;
        }
    }

    HubException unreachable(URI uri, IOException e) {
        String why = e instanceof HttpConnectTimeoutException || e instanceof HttpTimeoutException
                ? "no answer within " + settings.metadataTimeout().toSeconds() + " s (HF_HUB_ETAG_TIMEOUT)"
                : e instanceof ConnectException ? "connection refused" : String.valueOf(e.getMessage());
        return new HubException(Reason.NETWORK, "cannot reach the Hub at " + settings.endpoint() + " (" + uri.getPath()
                + "): " + why + "; set HF_HUB_OFFLINE=1 to use the cache only", e);
    }

    /** The Hub's error, by {@code X-Error-Code} first (as huggingface_hub reads it), then by status. */
    HubException errorFor(HttpResponse<?> response, HubModelId id, String path) {
        int status = response.statusCode();
        String code = response.headers().firstValue("X-Error-Code").orElse("");
        String message = response.headers().firstValue("X-Error-Message").orElse("");
        String where = "'" + id.repo() + "'" + (settings.endpoint().toString().equals(HubSettings.DEFAULT_ENDPOINT)
                ? "" : " on " + settings.endpoint());
        String tokenHint = settings.token().isPresent()
                ? "the HF_TOKEN given does not grant access to it"
                : "if it is private or gated, set HF_TOKEN to a token that may read it";
        if (code.equals("GatedRepo")) {
            return new HubException(Reason.GATED, "model repo " + where + " is gated: accept its conditions on its"
                    + " Hub page, then set HF_TOKEN to a token of that account (" + status + " " + message + ")");
        }
        if (code.equals("RepoNotFound") || (status == 401 && !message.contains("Invalid credentials"))) {
            return new HubException(Reason.REPO_NOT_FOUND, "model repo " + where + " not found, or not readable"
                    + " without a token: " + tokenHint + " (" + status + (code.isEmpty() ? "" : " " + code) + ")");
        }
        if (status == 401) {
            return new HubException(Reason.UNAUTHORIZED, "the Hub refused HF_TOKEN for " + where
                    + ": invalid credentials; set HF_TOKEN to a valid token (401 " + message + ")");
        }
        if (code.equals("RevisionNotFound")) {
            return new HubException(Reason.REVISION_NOT_FOUND, "revision '" + id.revision() + "' not found in "
                    + where + ": name a branch, tag or commit of the repo (" + message + ")");
        }
        if (code.equals("EntryNotFound") || (status == 404 && path != null)) {
            return new HubException(Reason.ENTRY_NOT_FOUND, "file '" + path + "' not found in " + where + " at "
                    + id.revision() + " (" + status + " " + code + ")");
        }
        if (status == 403) {
            return new HubException(Reason.FORBIDDEN, "the Hub denied access to " + where + ": " + tokenHint
                    + " (403 " + message + ")");
        }
        if (status == 404) {
            return new HubException(Reason.REPO_NOT_FOUND, "model repo " + where + " not found (404)");
        }
        return new HubException(Reason.NETWORK, "the Hub answered " + status + " for " + response.uri()
                + (message.isEmpty() ? "" : ": " + message));
    }

    /** huggingface_hub's etag normalisation: drop a weak {@code W/} prefix and the quotes. */
    static String normalizeEtag(String etag) {
        if (etag == null) {
            return null;
        }
        String value = etag.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        value = value.replace("\"", "");
        return value.isEmpty() ? null : value;
    }

    static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(Reason.NETWORK, "interrupted", e);
        }
    }
}
