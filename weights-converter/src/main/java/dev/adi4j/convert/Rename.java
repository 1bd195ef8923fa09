package dev.adi4j.convert;

/** One target tensor made from a source tensor: its diffusers/transformers name and the transform. */
public record Rename(String target, Transform transform) {
    static Rename copy(String target) { return new Rename(target, Transform.COPY); }
}
