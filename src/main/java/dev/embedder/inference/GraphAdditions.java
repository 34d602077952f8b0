package dev.embedder.inference;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What a model file lacks for a session: internal tensors to expose as outputs ({@link GraphOutputs}) and
 * poolings to append ({@link GraphPooling}), decided from the graph's declared inputs and outputs. The one
 * place that decides both what a start appends to a temporary copy and what {@link #prepare} appends to a
 * model file for good, so that later starts load that file in place.
 *
 * @param missing requested tensors the graph does not declare as outputs
 * @param append poolings that fit the model and whose output it does not declare yet
 * @param pooling every pooling that fits the model (appended now or already there)
 */
public record GraphAdditions(List<String> missing, List<GraphPooling> append, List<GraphPooling> pooling) {

    /** Reads the model's declared inputs and outputs (through a memory map: the weights are never touched). */
    public static GraphAdditions needed(Path model, List<String> tensorsToExpose, List<GraphPooling> pooling)
            throws IOException {
        List<String> inputs;
        List<String> declared;
        try (FileChannel channel = FileChannel.open(model, StandardOpenOption.READ)) {
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            try {
                inputs = GraphOutputs.declaredInputs(map);
                declared = GraphOutputs.declaredOutputs(map);
            } finally {
                DirectBuffers.free(map);
            }
        }
        List<String> missing = new ArrayList<>();
        for (String name : tensorsToExpose) {
            if (!declared.contains(name) && !missing.contains(name)) {
                missing.add(name);
            }
        }
        List<GraphPooling> fitting = pooling.stream().filter(g -> g.fits(inputs)).toList();
        List<GraphPooling> append = fitting.stream().filter(g -> !declared.contains(g.outputName())).toList();
        return new GraphAdditions(List.copyOf(missing), append, fitting);
    }

    /** Whether the model already has everything, so ONNX Runtime can load the file as it is. */
    public boolean none() {
        return missing.isEmpty() && append.isEmpty();
    }

    /** The bytes to append to the serialized model: the exposed outputs, then each pooling. */
    public byte[] suffix() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!missing.isEmpty()) {
            out.writeBytes(GraphOutputs.suffix(missing));
        }
        for (GraphPooling graphPooling : append) {
            out.writeBytes(graphPooling.suffix());
        }
        return out.toByteArray();
    }

    /**
     * Appends these additions to {@code model} for good: a complete copy beside it, then an atomic rename over
     * it, so an interrupted run leaves the original and a hard-linked original elsewhere is never changed.
     * Returns false when there was nothing to add.
     */
    public boolean prepare(Path model) throws IOException {
        if (none()) {
            return false;
        }
        Path folder = model.toAbsolutePath().getParent();
        Path next = Files.createTempFile(folder, ".embedder-prepare-", ".onnx");
        try {
            Files.copy(model, next, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            Files.write(next, suffix(), StandardOpenOption.APPEND);
            Files.move(next, model, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } finally {
            Files.deleteIfExists(next);
        }
    }
}
