package dev.adi4j.diffusion.text;

/**
 * Input the text encoder cannot take (token ids, shapes); the message names the offending value. Problems with
 * the encoder's folder, config or weights are {@link dev.adi4j.core.io.ModelLoadException}s instead.
 */
public class TextEncoderException extends RuntimeException {
    public TextEncoderException(String message) {
        super(message);
    }
}
