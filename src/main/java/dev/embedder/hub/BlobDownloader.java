package dev.embedder.hub;

import dev.embedder.hub.HubClient.FileMetadata;
import dev.embedder.hub.HubException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Puts one file's contents into {@code blobs/{etag}}: under the blob's lock (a file lock in {@code .locks/}, as
 * huggingface_hub takes one, plus a lock per JVM), streamed into {@code {etag}.incomplete}, resumed with
 * {@code Range} after an interruption (also one in another process that was killed), verified against the etag
 * (sha256 for LFS files, the git blob sha1 for the others) and only then renamed into place. A download that stops
 * sending bytes for {@code HF_HUB_DOWNLOAD_TIMEOUT} is abandoned and retried.
 */
final class BlobDownloader {

    private static final Logger LOG = Logger.getLogger(BlobDownloader.class);
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    private static final long PROGRESS_BYTES = 8L << 20;
    private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int ATTEMPTS = 3;

    private final HubClient client;
    private final HubCache cache;

    BlobDownloader(HubClient client, HubCache cache) {
        this.client = client;
        this.cache = cache;
    }

    /**
     * The verified blob for the file, downloaded unless a good copy is already cached. {@code etag} and {@code size}
     * come from the listing (size -1 when unknown); {@code metadata} (the resolve call) is asked only when the
     * blob has to be downloaded.
     */
    Path fetch(HubModelId id, String path, String etag, long size, java.util.function.Supplier<FileMetadata> metadata) {
        Path blob = cache.blob(etag);
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(blob, b -> new ReentrantLock());
        jvmLock.lock();
        try {
            Path lockFile = cache.lockFile(etag);
            Files.createDirectories(lockFile.getParent());
            Files.createDirectories(blob.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                // Another process may have finished it while this one waited for the lock.
                if (Files.isRegularFile(blob)) {
                    if (verified(blob, etag, size)) {
                        return blob;
                    }
                    LOG.warnf("Cached blob %s of %s %s does not match its hash: refused, fetching it again", blob,
                            id.repo(), path);
                    Files.delete(blob);
                }
                FileMetadata meta = metadata.get();
                if (!meta.etag().equals(etag)) {
                    throw new HubException(Reason.PROTOCOL, "the Hub lists " + id.repo() + " " + path + " with hash "
                            + etag + " but resolves it to " + meta.etag());
                }
                download(id, path, meta);
                return blob;
            }
        } catch (IOException e) {
            throw diskError(blob, e);
        } finally {
            jvmLock.unlock();
        }
    }

    private void download(HubModelId id, String path, FileMetadata meta) throws IOException {
        String repo = id.repo();
        Path incomplete = cache.incomplete(meta.etag());
        checkSpace(incomplete, meta.size());
        boolean mismatchSeen = false;
        for (int attempt = 1; ; attempt++) {
            try {
                transfer(id, path, meta, incomplete);
            } catch (HubException e) {
                if (!e.transientFailure() || attempt >= ATTEMPTS) {
                    throw e.transientFailure() ? new HubException(Reason.NETWORK, e.getMessage()
                            + " (the partial file " + incomplete + " is kept: the next start resumes it)", e) : e;
                }
                LOG.warnf("Download of %s %s interrupted (%s); resuming (attempt %d of %d)", repo, path,
                        e.getMessage(), attempt + 1, ATTEMPTS);
                HubClient.sleep(500L * attempt);
                continue;
            }
            if (verified(incomplete, meta.etag(), meta.size())) {
                HubCache.moveAtomically(incomplete, cache.blob(meta.etag()));
                return;
            }
            Files.deleteIfExists(incomplete);
            if (mismatchSeen || attempt >= ATTEMPTS) {
                throw new HubException(Reason.CHECKSUM_MISMATCH, "checksum mismatch for " + repo + " " + path
                        + ": the downloaded bytes do not hash to its ETag " + meta.etag() + " (twice); refused,"
                        + " nothing was written to the cache; check HF_ENDPOINT and any proxy in between");
            }
            mismatchSeen = true;
            LOG.warnf("Checksum mismatch for %s %s (expected %s): discarded, downloading it again", repo, path,
                    meta.etag());
        }
    }

    /** One GET of the location into the incomplete file, from where it stopped. */
    private void transfer(HubModelId id, String path, FileMetadata meta, Path incomplete) throws IOException {
        String repo = id.repo();
        long offset = Files.isRegularFile(incomplete) ? Files.size(incomplete) : 0;
        if (meta.size() >= 0 && offset > meta.size()) {
            Files.delete(incomplete);
            offset = 0;
        }
        if (meta.size() >= 0 && offset == meta.size() && offset > 0) {
            return; // complete already; verification decides
        }
        if (offset > 0) {
            LOG.infof("Resuming %s %s at byte %d of %d", repo, path, offset, meta.size());
        } else if (meta.size() >= PROGRESS_BYTES) {
            LOG.infof("Downloading %s %s (%s)", repo, path, megabytes(meta.size()));
        }
        long start = offset;
        URI uri = meta.location();
        try (FileChannel out = FileChannel.open(incomplete, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (int hop = 0; ; hop++) {
                HttpRequest.Builder builder = client.request(uri, "GET");
                if (start > 0) {
                    builder.header("Range", "bytes=" + start + "-");
                }
                FileBody body = new FileBody(out, start);
                CompletableFuture<HttpResponse<Long>> pending = client.http()
                        .sendAsync(builder.build(), info -> body.subscriberFor(info));
                HttpResponse<Long> response = await(pending, body, incomplete, path, meta.size(), uri);
                int status = response.statusCode();
                if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()
                        && hop < 10) {
                    uri = uri.resolve(response.headers().firstValue("Location").get());
                    continue;
                }
                if (status == 416) {
                    // the partial file does not fit what is served: start over
                    out.truncate(0);
                    start = 0;
                    throw new HubException(Reason.NETWORK, "the server refused the resume range (416)");
                }
                if (status != 200 && status != 206) {
                    throw client.errorFor(response, id, path);
                }
                if (meta.size() >= 0 && out.size() != meta.size()) {
                    throw new HubException(Reason.NETWORK, "connection closed after " + out.size() + " of "
                            + meta.size() + " bytes");
                }
                return;
            }
        }
    }

    private HttpResponse<Long> await(CompletableFuture<HttpResponse<Long>> pending, FileBody body, Path incomplete,
            String path, long size, URI uri) throws IOException {
        String repo = cache.repoDir().getFileName().toString();
        long stallNanos = client.settings().downloadTimeout().toNanos();
        long began = System.nanoTime();
        long lastReport = began;
        long startBytes = body.written();
        while (true) {
            try {
                return pending.get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException waiting) {
                long now = System.nanoTime();
                if (now - body.lastProgressNanos() > stallNanos) {
                    body.abort();
                    pending.cancel(true);
                    throw new HubException(Reason.NETWORK, "no data for "
                            + client.settings().downloadTimeout().toSeconds() + " s (HF_HUB_DOWNLOAD_TIMEOUT) from "
                            + uri.getHost());
                }
                if (size >= PROGRESS_BYTES && now - lastReport >= PROGRESS_EVERY_NANOS) {
                    lastReport = now;
                    double seconds = (now - began) / 1e9;
                    LOG.infof("Downloading %s %s: %s of %s (%.1f MB/s)", repo, path, megabytes(body.written()),
                            megabytes(size), (body.written() - startBytes) / 1e6 / seconds);
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof HubException hub) {
                    throw hub;
                }
                if (cause instanceof IOException io && isDiskFull(io)) {
                    throw diskError(incomplete, io);
                }
                throw new HubException(Reason.NETWORK, "download from " + uri.getHost() + " failed: " + cause, cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                body.abort();
                throw new HubException(Reason.NETWORK, "interrupted while downloading " + path, e);
            }
        }
    }

    /** Streams a 200/206 body into the file, from {@code offset}; any other status's body is dropped. */
    private static final class FileBody implements HttpResponse.BodySubscriber<Long> {
        private final FileChannel out;
        private final long offset;
        private final CompletableFuture<Long> result = new CompletableFuture<>();
        private volatile Flow.Subscription subscription;
        private volatile long written;
        private volatile long lastProgress = System.nanoTime();

        FileBody(FileChannel out, long offset) {
            this.out = out;
            this.offset = offset;
            this.written = offset;
        }

        HttpResponse.BodySubscriber<Long> subscriberFor(HttpResponse.ResponseInfo info) {
            lastProgress = System.nanoTime();
            try {
                if (info.statusCode() == 206) {
                    String range = info.headers().firstValue("Content-Range").orElse("");
                    if (!range.startsWith("bytes " + offset + "-")) {
                        return HttpResponse.BodySubscribers.replacing(-1L);
                    }
                    out.position(offset);
                    return this;
                }
                if (info.statusCode() == 200) {
                    // the server sent the whole file (no Range support): start over
                    out.truncate(0);
                    out.position(0);
                    written = 0;
                    return this;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return HttpResponse.BodySubscribers.replacing(-1L);
        }

        long written() {
            return written;
        }

        long lastProgressNanos() {
            return lastProgress;
        }

        void abort() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            result.completeExceptionally(new IOException("aborted"));
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            try {
                for (ByteBuffer item : items) {
                    while (item.hasRemaining()) {
                        written += out.write(item);
                    }
                }
                lastProgress = System.nanoTime();
                subscription.request(1);
            } catch (IOException e) {
                subscription.cancel();
                result.completeExceptionally(e);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(written);
        }

        @Override
        public CompletableFuture<Long> getBody() {
            return result;
        }
    }

    /**
     * Whether the file is what its etag names: a 64-hex etag is the sha256 of an LFS file, a 40-hex one the git
     * blob sha1 ({@code sha1("blob <size>\0" + bytes)}) of a regular file. Another form (e.g. a mirror's own
     * etags) cannot be checked here, and then only the size is.
     */
    static boolean verified(Path file, String etag, long size) throws IOException {
        long actual = Files.size(file);
        if (size >= 0 && actual != size) {
            return false;
        }
        String algorithm = etag.matches("[0-9a-f]{64}") ? "SHA-256" : etag.matches("[0-9a-f]{40}") ? "SHA-1" : null;
        if (algorithm == null) {
            return true;
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (algorithm.equals("SHA-1")) {
            digest.update(("blob " + actual + "\0").getBytes(StandardCharsets.US_ASCII));
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest()).equals(etag);
    }

    private static void checkSpace(Path incomplete, long size) throws IOException {
        if (size < 0) {
            return;
        }
        long have = Files.isRegularFile(incomplete) ? Files.size(incomplete) : 0;
        long free = Files.getFileStore(incomplete.getParent()).getUsableSpace();
        if (size - have > free) {
            throw new HubException(Reason.DISK_FULL, "not enough disk space in " + incomplete.getParent() + " for "
                    + incomplete.getFileName().toString().replace(".incomplete", "") + ": needs "
                    + megabytes(size - have) + ", " + megabytes(free) + " free; free space or point HF_HUB_CACHE"
                    + " at a larger volume");
        }
    }

    private static boolean isDiskFull(IOException e) {
        return String.valueOf(e.getMessage()).contains("No space left on device")
                || String.valueOf(e.getMessage()).contains("Disk quota exceeded");
    }

    private static RuntimeException diskError(Path where, IOException e) {
        if (isDiskFull(e)) {
            return new HubException(Reason.DISK_FULL, "disk full while writing " + where.getParent() + ": free space"
                    + " or point HF_HUB_CACHE at a larger volume", e);
        }
        return new UncheckedIOException("cannot write the Hub cache at " + where.getParent() + ": " + e.getMessage(), e);
    }

    static String megabytes(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }
}
