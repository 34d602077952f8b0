package dev.embedder.image;

/**
 * What {@code size} in preprocessor_config.json asks for: either scale the shorter edge to a length
 * (aspect ratio kept, as CLIP and BiT do) or resize to exact dimensions (as ViT does).
 */
public sealed interface ResizeTarget permits ResizeTarget.ShortestEdge, Dimensions {

    /** {@code {"shortest_edge": n}}: the shorter side becomes {@code edge}, the longer keeps the aspect ratio. */
    record ShortestEdge(int edge) implements ResizeTarget {
        public ShortestEdge {
            Dimensions.checkEdge("size.shortest_edge", edge);
        }
    }
}
