package dev.embedder.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** What {@code ./mvnw package} built, for the *IT tests that start it as a user does ({@code java -jar …}). */
public final class PackagedApp {

    private PackagedApp() {}

    /** {@code target/quarkus-app/quarkus-run.jar}: the fast-jar layout of the plain build. */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("project.build.directory", "target"), "quarkus-app", "quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw package (the plain build, not -Dlambda)");
        }
        return jar;
    }
}
