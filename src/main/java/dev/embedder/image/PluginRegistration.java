package dev.embedder.image;

import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;

/**
 * Makes sure the TwelveMonkeys readers are registered with ImageIO.
 *
 * <p>ImageIO discovers plugins once, through the context class loader active at its first use. In an
 * application server that may be a loader that cannot see our dependencies, leaving only the JDK readers
 * (no WebP, no CMYK JPEG). Re-scanning once from our own code fixes that.
 */
final class PluginRegistration {
    private static volatile boolean checked;

    private PluginRegistration() {
    }

    static void ensureRegistered() {
        if (checked) {
            return;
        }
        synchronized (PluginRegistration.class) {
            if (!checked) {
                if (!hasReader("webp")) {
                    Thread thread = Thread.currentThread();
                    ClassLoader previous = thread.getContextClassLoader();
                    try {
                        thread.setContextClassLoader(PluginRegistration.class.getClassLoader());
                        ImageIO.scanForPlugins();
                    } finally {
                        thread.setContextClassLoader(previous);
                    }
                }
                checked = true;
            }
        }
    }

    private static boolean hasReader(String format) {
        Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format);
        return it.hasNext();
    }
}
