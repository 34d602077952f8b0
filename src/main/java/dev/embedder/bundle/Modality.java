package dev.embedder.bundle;

/** What a bundle embeds. */
public enum Modality {
    TEXT,
    IMAGE
}
