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
 * zip's {@code /var/task}, an image's {@code /app}), else the application's folder: {@code quarkus-app/} of the
 * fast-jar layout, or the folder of the legacy runner jar ({@code -Dlambda}). Empty when the classes come from a
 * folder (dev mode, tests, an IDE), so those never pick up a {@code model-bundle/} that happens to lie around.
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
            if (!Files.isRegularFile(jar) || !jar.getFileName().toString().endsWith(".jar")) {
                return Optional.empty();
            }
            return Optional.ofNullable(jar.toAbsolutePath().getParent()).map(AppFolder::layoutRoot);
        } catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * The folder a user sees: Quarkus's fast-jar keeps the application's own jar in {@code quarkus-app/app/}, beside
     * {@code quarkus-run.jar} one level up, so its {@code app:} folder is {@code quarkus-app/}; a legacy runner jar's
     * folder is its own.
     */
    static Path layoutRoot(Path jarFolder) {
        Path parent = jarFolder.getParent();
        boolean fastJar = jarFolder.getFileName() != null && jarFolder.getFileName().toString().equals("app")
                && parent != null && Files.isRegularFile(parent.resolve("quarkus-run.jar"));
        return fastJar ? parent : jarFolder;
    }

    /** GraalVM's API, only loaded in a native executable (the JVM build has no such class at run time). */
    private static final class Executable {
        static String name() {
            return ProcessProperties.getExecutableName();
        }
    }
}
