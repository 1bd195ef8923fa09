package dev.adi4j.diffusion.text;

/** A text encoder folder or input that cannot be used; the message names the file or the offending value. */
public class TextEncoderException extends RuntimeException {
    public TextEncoderException(String message) {
        super(message);
    }
}
