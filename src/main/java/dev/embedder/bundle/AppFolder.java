package dev.embedder.bundle;

import io.quarkus.runtime.ImageMode;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;
import org.graalvm.nativeimage.ProcessProperties;

/**
 * The folder the application runs from, for {@code app:} bundle locations: the native executable's folder (a Lambda
 * zip's {@code /var/task}, an image's {@code /app}), else the folder of the jar this class was loaded from (the runner
 * jar's). Empty when the classes come from a folder (dev mode, tests, an IDE), so those never pick up a
 * {@code model-bundle/} that happens to lie around.
 */
final class AppFolder {

    private AppFolder() {}

    static Optional<Path> find() {
        if (ImageMode.current() == ImageMode.NATIVE_RUN) {
            return Optional.ofNullable(Path.of(Executable.name()).toAbsolutePath().getParent());
        }
        CodeSource source = AppFolder.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Optional.empty();
        }
        try {
            Path jar = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(jar) && jar.getFileName().toString().endsWith(".jar")
                    ? Optional.ofNullable(jar.toAbsolutePath().getParent()) : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return Optional.empty();
        }
    }

    /** GraalVM's API, only loaded in a native executable (the JVM build has no such class at run time). */
    private static final class Executable {
        static String name() {
            return ProcessProperties.getExecutableName();
        }
    }
}
