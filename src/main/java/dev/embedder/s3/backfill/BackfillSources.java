package dev.embedder.s3.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embedder.config.EmbedderConfig;
import dev.embedder.s3.BatchEmbedder;
import dev.embedder.s3.EmbeddingDocument;
import dev.embedder.s3.ObjectOutcome;
import dev.embedder.s3.RecordFailure;
import dev.embedder.s3.RecordGate;
import dev.embedder.s3.S3Pipeline;
import dev.embedder.s3.SourceObject;
import dev.embedder.service.ModelRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What a backfill lists and how it embeds one chunk, for an S3 prefix (through the same {@link S3Pipeline} as every
 * event intake, so the outputs are exactly embed-s3's) and for a local directory (the same document, next to the
 * files under {@code <dir>/<output-prefix>}, with the file's MD5 as its ETag, which is what S3 reports for an object
 * uploaded in one part).
 */
@ApplicationScoped
public class BackfillSources {

    private final S3Client s3;
    private final S3Pipeline pipeline;
    private final RecordGate gate;
    private final BatchEmbedder embedder;
    private final ModelRegistry registry;
    private final EmbedderConfig config;
    private final ObjectMapper mapper;

    BackfillSources(S3Client s3, S3Pipeline pipeline, RecordGate gate, BatchEmbedder embedder, ModelRegistry registry,
            EmbedderConfig config, ObjectMapper mapper) {
        this.s3 = s3;
        this.pipeline = pipeline;
        this.gate = gate;
        this.embedder = embedder;
        this.registry = registry;
        this.config = config;
        this.mapper = mapper;
    }

    /**
     * Every object under the prefix except the outputs and folder markers, with the ETag the listing reports (so an
     * object whose output is current costs one small GET of that output and no read of the image).
     */
    public List<SourceObject> listS3(String bucket, String prefix) {
        if (!gate.allows(bucket)) {
            throw new IllegalArgumentException("bucket '" + bucket + "' is not in embedder.s3.allowed-buckets; set"
                    + " EMBEDDER_S3_ALLOWED_BUCKETS=" + bucket + " to allow reading it");
        }
        List<SourceObject> out = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            if (object.key().endsWith("/") || gate.isOutput(bucket, object.key())) {
                continue;
            }
            out.add(SourceObject.of(bucket, object.key(), object.size(), null, unquote(object.eTag()), null, null));
        }
        return out;
    }

    public List<ObjectOutcome> embedS3(List<SourceObject> chunk) {
        return pipeline.process(chunk);
    }

    /** The default output folder of a local backfill: {@code <dir>/<output-prefix>}. */
    public Path defaultOutput(Path dir) {
        return dir.resolve(config.s3().outputPrefix());
    }

    /** Regular files under {@code dir}, in a stable order, except those under {@code output}. */
    public List<Path> listLocal(Path dir, Path output) {
        Path out = output.toAbsolutePath().normalize();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.toAbsolutePath().normalize().startsWith(out))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    public List<ObjectOutcome> embedLocal(Path dir, Path output, List<Path> chunk) {
        String model = registry.image(config.s3().model().orElse(null)).manifest().name();
        ObjectOutcome[] outcomes = new ObjectOutcome[chunk.size()];
        List<Integer> positions = new ArrayList<>();
        List<byte[]> images = new ArrayList<>();
        List<EmbeddingDocument.Source> sources = new ArrayList<>();
        List<String> createdAt = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
            Path file = chunk.get(i);
            String key = relative(dir, file);
            try {
                long size = Files.size(file);
                if (size > config.s3().maxObjectBytes()) {
                    throw RecordFailure.error("input_too_large", "file has " + size + " bytes, the limit is "
                            + config.s3().maxObjectBytes() + " (embedder.s3.max-object-bytes)");
                }
                byte[] bytes = Files.readAllBytes(file);
                String eTag = md5(bytes);
                if (current(target(output, key), eTag, model)) {
                    throw RecordFailure.skip("up_to_date", "the output already holds this file's embedding by '"
                            + model + "'");
                }
                positions.add(i);
                images.add(bytes);
                sources.add(new EmbeddingDocument.Source(null, key, eTag, bytes.length, null, null));
                createdAt.add(Files.getLastModifiedTime(file).toInstant().toString());
            } catch (IOException e) {
                outcomes[i] = ObjectOutcome.of(null, key, RecordFailure.error("read_error", e.toString()));
            } catch (RecordFailure f) {
                outcomes[i] = ObjectOutcome.of(null, key, f);
            }
        }
        if (!images.isEmpty()) {
            BatchEmbedder.Batch batch = embedder.embed(model, images);
            for (int j = 0; j < images.size(); j++) {
                EmbeddingDocument.Source source = sources.get(j);
                BatchEmbedder.Embedded embedded = batch.items().get(j);
                if (embedded.failure() != null) {
                    outcomes[positions.get(j)] = ObjectOutcome.of(null, source.key(), embedded.failure());
                    continue;
                }
                Path target = target(output, source.key());
                try {
                    write(target, new EmbeddingDocument(batch.model(), batch.dimension(), embedded.vector(), source,
                            createdAt.get(j)));
                    outcomes[positions.get(j)] = ObjectOutcome.ok(null, source.key(), target.toString());
                } catch (IOException e) {
                    outcomes[positions.get(j)] = ObjectOutcome.of(null, source.key(),
                            RecordFailure.error("write_error", "writing " + target + " failed: " + e));
                }
            }
        }
        return List.of(outcomes);
    }

    private static Path target(Path output, String key) {
        return output.resolve(key + ".json");
    }

    private boolean current(Path target, String eTag, String model) {
        if (!Files.isRegularFile(target)) {
            return false;
        }
        try {
            JsonNode doc = mapper.readTree(target.toFile());
            return model.equals(doc.path("model").asText(null)) && eTag.equals(doc.path("source").path("eTag").asText(null));
        } catch (IOException e) {
            return false;
        }
    }

    /** Written beside the target and moved into place, so an interruption never leaves half a document. */
    private void write(Path target, EmbeddingDocument document) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, mapper.writeValueAsBytes(document));
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String relative(Path dir, Path file) {
        return dir.relativize(file).toString().replace(java.io.File.separatorChar, '/');
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unquote(String eTag) {
        return eTag != null && eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")
                ? eTag.substring(1, eTag.length() - 1) : eTag;
    }
}
