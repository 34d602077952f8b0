package dev.embedder.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code app:} locations: a folder beside the executable or the application (quarkus-app/, a runner jar), dropped where the app has none. */
class BundleLocationsTest {

    @Test
    void appLocationsResolveUnderTheAppFolderOrAreDropped() {
        Path task = Path.of("/var/task");
        assertEquals(List.of("/var/task/model-bundle", "classpath:model-bundle", "/opt/models"),
                BundleLoader.resolve(List.of("app:model-bundle", "classpath:model-bundle", "/opt/models"),
                        Optional.of(task)));
        assertEquals(List.of("classpath:model-bundle"),
                BundleLoader.resolve(List.of("app:model-bundle", "classpath:model-bundle"), Optional.empty()));
    }

    @Test
    void classesFromAFolderHaveNoAppFolder() {
        // Tests (like dev mode) load the application's classes from target/classes.
        assertEquals(Optional.empty(), AppFolder.find());
    }

    @Test
    void theFastJarLayoutsAppFolderIsQuarkusApp(@TempDir Path dir) throws Exception {
        // target/quarkus-app/{quarkus-run.jar, app/embedder.jar}: the folder a user puts model-bundle/ in is quarkus-app.
        Path quarkusApp = Files.createDirectories(dir.resolve("quarkus-app/app"));
        Files.createFile(dir.resolve("quarkus-app/quarkus-run.jar"));
        assertEquals(dir.resolve("quarkus-app"), AppFolder.layoutRoot(quarkusApp));
        // A legacy runner jar's folder, and a folder merely called app without quarkus-run.jar beside it, are their own.
        Path plainApp = Files.createDirectories(dir.resolve("elsewhere/app"));
        assertEquals(plainApp, AppFolder.layoutRoot(plainApp));
        assertEquals(dir, AppFolder.layoutRoot(dir));
    }

    @Test
    void aBundleBesideTheAppWinsOverTheBuiltInOne(@TempDir Path app) throws Exception {
        Path folder = Files.createDirectories(app.resolve("model-bundle/all-minilm-l6-v2"));
        Files.writeString(folder.resolve("bundle.json"), Files.readString(
                Path.of("target/classes/model-bundle/all-minilm-l6-v2/bundle.json")));
        BundleLoader loader = new BundleLoader(
                BundleLoader.resolve(List.of("app:model-bundle", "classpath:model-bundle"), Optional.of(app)));
        ModelBundle bundle = loader.load("all-minilm-l6-v2");
        assertTrue(bundle.source() instanceof BundleSource.Directory d && d.dir().equals(folder), bundle.source()::toString);
        assertEquals(null, bundle.localModel(), "the folder has no model file: reported at load, not here");
        assertTrue(new BundleLoader(List.of("classpath:model-bundle")).load("all-minilm-l6-v2").source()
                instanceof BundleSource.Classpath);
    }
}
