package dev.adi4j.core.tokenizer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The part of {@code ftfy.fix_text} (ftfy 6.1.1, default settings) that CLIP's text cleaning relies on, plus
 * CLIP's {@code whitespace_clean}. Like ftfy, the text is fixed line by line, and each line goes through the
 * named steps below in ftfy's order, repeated until nothing changes.
 *
 * <p>Implemented, as in ftfy: {@link #unescapeHtml} (only while no line so far contained {@code <}),
 * {@link #fixEncoding} (see there for the subset), {@link #fixC1Controls}, {@link #fixLatinLigatures},
 * {@link #fixCharacterWidth}, {@link #uncurlQuotes}, {@link #fixLineBreaks}, {@link #fixSurrogates},
 * {@link #removeTerminalEscapes}, {@link #removeControlChars}, NFC normalization.
 *
 * <p>Not implemented: re-decoding through Windows-1250/1251/1253/1254, ISO-8859-2, MacRoman and CP437, {@code restore_byte_a0},
 * {@code replace_lossy_sequences}, {@code decode_inconsistent_utf8} and the {@code utf-8-variants} (CESU-8)
 * decoder. Text that needs those comes out unchanged where ftfy would repair it.
 */
public final class TextFixer {
    /** Windows-1252 bytes 0x80-0x9F, with the five undefined bytes kept as C1 characters ("sloppy" codec). */
    private static final String SLOPPY_1252_C1 = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";
    private static final Pattern TERMINAL_ESCAPE = Pattern.compile("\u001B\\[((?:\\p{Nd}|;)*)([a-zA-Z])");
    private static final Pattern WHITESPACE_RUN = Pattern.compile("\\p{IsWhite_Space}+");

    private TextFixer() {
    }

    /** {@code ftfy.fix_text(text)} with ftfy 6.1.1 defaults, within the subset described above. */
    public static String fixText(String text) {
        if (isPlainAscii(text)) return text;
        StringBuilder out = new StringBuilder(text.length());
        boolean unescapeHtml = true;
        int pos = 0;
        while (pos < text.length()) {
            int lineEnd = text.indexOf('\n', pos) + 1;
            if (lineEnd == 0) lineEnd = text.length();
            String line = text.substring(pos, lineEnd);
            // ftfy's "auto" mode: once a line looks like HTML, entities are left alone from then on.
            if (line.indexOf('<') >= 0) unescapeHtml = false;
            out.append(fixLine(line, unescapeHtml));
            pos = lineEnd;
        }
        return out.toString();
    }

    private static String fixLine(String text, boolean unescapeHtml) {
        while (true) {
            String orig = text;
            if (unescapeHtml) text = unescapeHtml(text);
            text = fixEncoding(text);
            text = fixC1Controls(text);
            text = fixLatinLigatures(text);
            text = fixCharacterWidth(text);
            text = uncurlQuotes(text);
            text = fixLineBreaks(text);
            text = fixSurrogates(text);
            text = removeTerminalEscapes(text);
            text = removeControlChars(text);
            text = Normalizer.normalize(text, Normalizer.Form.NFC);
            if (text.equals(orig)) return text;
        }
    }

    /** Complete HTML references such as {@code &amp;} and {@code &#39;} (ftfy's rules, see {@link HtmlEntities}). */
    public static String unescapeHtml(String text) {
        return HtmlEntities.ftfyUnescape(text);
    }

    /**
     * Undoes UTF-8 that was decoded as Latin-1 or Windows-1252 ({@code cafÃ©} → {@code café}), repeated while it
     * changes. As in ftfy, only text that {@link MojibakeDetector looks like mojibake} is touched, and only when the
     * whole text re-encodes (Latin-1 first, then sloppy Windows-1252) to bytes that are valid UTF-8. Otherwise
     * follows ftfy's fallbacks for Latin-1 text with C1 controls (decode as Windows-1252, or replace each C1
     * control). ftfy's other single-byte encodings and byte-level repairs are not tried (see the class comment).
     */
    public static String fixEncoding(String text) {
        while (true) {
            String fixed = fixEncodingOneStep(text);
            if (fixed.equals(text)) return text;
            text = fixed;
        }
    }

    private static String fixEncodingOneStep(String text) {
        if (text.isEmpty() || isAscii(text) || !MojibakeDetector.isBad(text)) return text;
        boolean latin1 = canEncodeLatin1(text);
        if (latin1) {
            String fixed = decodeUtf8Strict(encodeSingleByte(text, false));
            if (fixed != null) return fixed;
        }
        if (canEncodeSloppy1252(text)) {
            String fixed = decodeUtf8Strict(encodeSingleByte(text, true));
            if (fixed != null) return fixed;
        }
        if (latin1) {
            // ftfy: Latin-1 text with C1 controls was probably meant as (strict) Windows-1252.
            String fixed = decodeStrictWindows1252(text);
            if (fixed != null && !fixed.equals(text)) return fixed;
        }
        if (hasC1(text)) return fixC1Controls(text);
        return text;
    }

    /** C1 control characters U+0080-U+009F read as the Windows-1252 characters of those bytes. */
    public static String fixC1Controls(String text) {
        if (!hasC1(text)) return text;
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(c >= 0x80 && c <= 0x9F ? sloppyWindows1252(c) : c);
        }
        return sb.toString();
    }

    /** Latin typographic ligatures and digraph characters spelled out ({@code ﬁ} → {@code fi}). */
    public static String fixLatinLigatures(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            String rep = ligature(text.charAt(i));
            if (rep != null && sb == null) sb = new StringBuilder(text.length() + 8).append(text, 0, i);
            if (sb != null) {
                if (rep != null) sb.append(rep); else sb.append(text.charAt(i));
            }
        }
        return sb == null ? text : sb.toString();
    }

    private static String ligature(char c) {
        return switch (c) {
            case 'Ĳ' -> "IJ";
            case 'ĳ' -> "ij";
            case 'ŉ' -> "ʼn";
            case 'Ǳ' -> "DZ";
            case 'ǲ' -> "Dz";
            case 'ǳ' -> "dz";
            case 'Ǆ' -> "DŽ";
            case 'ǅ' -> "Dž";
            case 'ǆ' -> "dž";
            case 'Ǉ' -> "LJ";
            case 'ǈ' -> "Lj";
            case 'ǉ' -> "lj";
            case 'Ǌ' -> "NJ";
            case 'ǋ' -> "Nj";
            case 'ǌ' -> "nj";
            case 'ﬀ' -> "ff";
            case 'ﬁ' -> "fi";
            case 'ﬂ' -> "fl";
            case 'ﬃ' -> "ffi";
            case 'ﬄ' -> "ffl";
            case 'ﬅ' -> "ſt";
            case 'ﬆ' -> "st";
            default -> null;
        };
    }

    /** Halfwidth/fullwidth forms U+FF01-U+FFEF to their NFKC equivalents, U+3000 to a space. */
    public static String fixCharacterWidth(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String rep = null;
            if (c == 0x3000) {
                rep = " ";
            } else if (c >= 0xFF01 && c < 0xFFF0) {
                String n = Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFKC);
                if (!n.equals(String.valueOf(c))) rep = n;
            }
            if (rep != null && sb == null) sb = new StringBuilder(text.length()).append(text, 0, i);
            if (sb != null) {
                if (rep != null) sb.append(rep); else sb.append(c);
            }
        }
        return sb == null ? text : sb.toString();
    }

    /** Curly single quotes (U+02BC, U+2018-U+201B) to {@code '}, curly double quotes (U+201C-U+201F) to {@code "}. */
    public static String uncurlQuotes(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char rep = c == 0x02BC || (c >= 0x2018 && c <= 0x201B) ? '\'' : (c >= 0x201C && c <= 0x201F) ? '"' : c;
            if (rep != c && sb == null) sb = new StringBuilder(text).delete(i, text.length());
            if (sb != null) sb.append(rep);
        }
        return sb == null ? text : sb.toString();
    }

    /** CRLF, CR, U+2028, U+2029 and U+0085 to {@code \n}. */
    public static String fixLineBreaks(String text) {
        return text.replace("\r\n", "\n").replace('\r', '\n').replace('\u2028', '\n').replace('\u2029', '\n')
                .replace('\u0085', '\n');
    }

    /** Unpaired surrogates to U+FFFD (paired ones are already single code points in Java strings). */
    public static String fixSurrogates(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                if (sb != null) sb.append(c).append(text.charAt(i + 1));
                i++;
                continue;
            }
            boolean lone = Character.isSurrogate(c);
            if (lone && sb == null) sb = new StringBuilder(text).delete(i, text.length());
            if (sb != null) sb.append(lone ? '\uFFFD' : c);
        }
        return sb == null ? text : sb.toString();
    }

    /** ANSI terminal escape sequences such as {@code ESC[31m}. */
    public static String removeTerminalEscapes(String text) {
        return text.indexOf('\u001B') < 0 ? text : TERMINAL_ESCAPE.matcher(text).replaceAll("");
    }

    /**
     * ftfy's control characters: U+0000-U+0008, U+000B, U+000E-U+001F, U+007F, U+206A-U+206F, U+FEFF,
     * U+FFF9-U+FFFC. Tab, LF, FF and CR stay.
     */
    public static String removeControlChars(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean drop = isFtfyControl(c);
            if (drop && sb == null) sb = new StringBuilder(text).delete(i, text.length());
            if (sb != null && !drop) sb.append(c);
        }
        return sb == null ? text : sb.toString();
    }

    /** CLIP's {@code whitespace_clean}: runs of Unicode whitespace become one space; then strip. */
    public static String whitespaceClean(String text) {
        return pythonStrip(WHITESPACE_RUN.matcher(text).replaceAll(" "));
    }

    /** Python's {@code str.strip()} (whitespace as {@code str.isspace}). */
    public static String pythonStrip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isPythonSpace(text.charAt(start))) start++;
        while (end > start && isPythonSpace(text.charAt(end - 1))) end--;
        return text.substring(start, end);
    }

    /** Python's {@code str.lower()} (full Unicode lower-casing, locale independent). */
    public static String pythonLower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    static char sloppyWindows1252(int byteValue) {
        return byteValue >= 0x80 && byteValue <= 0x9F ? SLOPPY_1252_C1.charAt(byteValue - 0x80) : (char) byteValue;
    }

    static boolean isPythonSpace(char c) {
        return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F
                || c == 0x3000;
    }

    private static boolean isFtfyControl(char c) {
        return c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F || (c >= 0x206A && c <= 0x206F)
                || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFC);
    }

    /** Text no step changes: printable ASCII, tab, LF and FF only, and no {@code &} or escape. */
    private static boolean isPlainAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= 0x20 && c < 0x7F && c != '&') || c == '\t' || c == '\n' || c == '\f')) return false;
        }
        return true;
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) >= 0x80) return false;
        return true;
    }

    private static boolean hasC1(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80 && c <= 0x9F) return true;
        }
        return false;
    }

    private static boolean canEncodeLatin1(String text) {
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) > 0xFF) return false;
        return true;
    }

    private static boolean canEncodeSloppy1252(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c >= 0x80 && c <= 0x9F && SLOPPY_1252_C1.indexOf(c) < 0) || (c > 0xFF && SLOPPY_1252_C1.indexOf(c) < 0)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] encodeSingleByte(String text, boolean sloppy1252) {
        byte[] out = new byte[text.length()];
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int k = sloppy1252 ? SLOPPY_1252_C1.indexOf(c) : -1;
            out[i] = (byte) (k >= 0 ? 0x80 + k : c);
        }
        return out;
    }

    private static String decodeUtf8Strict(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Latin-1 text re-read as strict Windows-1252, or null where a byte is undefined there (0x81, 0x8D, ...). */
    private static String decodeStrictWindows1252(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D) return null;
            sb.append(sloppyWindows1252(c));
        }
        return sb.toString();
    }
}
