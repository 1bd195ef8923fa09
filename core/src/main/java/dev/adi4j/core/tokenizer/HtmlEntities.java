package dev.adi4j.core.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTML character references, the two ways the CLIP pipelines decode them.
 * <ul>
 *   <li>{@link #pythonUnescape}: Python's {@code html.unescape} (HTML5 rules: all 2231 named references, including
 *   the legacy ones without {@code ;} and longest-prefix matching such as {@code &ampx} → {@code &x}; decimal and
 *   hex references with Windows-1252 replacements for 0x80-0x9F, U+FFFD for NUL/surrogates/out of range, and
 *   dropping of the code points HTML forbids).</li>
 *   <li>{@link #ftfyUnescape}: ftfy 6.1.1's {@code unescape_html} fix: only complete references
 *   {@code &name;}/{@code &#..;} of at most 24 characters, plus upper-cased variants of lower-case names
 *   ({@code &EACUTE;} → É).</li>
 * </ul>
 * The named-reference table {@code html5-entities.tsv} was generated from CPython 3.11's
 * {@code html.entities.html5} (the WHATWG list): {@code for name, s in sorted(html5.items()): print(name, hex code
 * points)}.
 */
final class HtmlEntities {
    private static final Pattern PYTHON_CHARREF =
            Pattern.compile("&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\\t\\n\\f <&#;]{1,32};?)");
    private static final Pattern FTFY_ENTITY = Pattern.compile("&#?[0-9A-Za-z]{1,24};");
    // Built after the patterns: the ftfy table is derived with pythonUnescape.
    private static final Map<String, String> HTML5 = loadTable();
    private static final Map<String, String> FTFY = buildFtfyTable();

    private HtmlEntities() {
    }

    /** Python's {@code html.unescape(text)}. */
    static String pythonUnescape(String text) {
        if (text.indexOf('&') < 0) return text;
        return PYTHON_CHARREF.matcher(text).replaceAll(m -> Matcher.quoteReplacement(replaceCharref(m.group(1))));
    }

    /** ftfy's {@code unescape_html(text)} (one pass; ftfy's fix loop repeats it until nothing changes). */
    static String ftfyUnescape(String text) {
        if (text.indexOf('&') < 0) return text;
        return FTFY_ENTITY.matcher(text).replaceAll(m -> Matcher.quoteReplacement(ftfyReplace(m.group())));
    }

    private static String ftfyReplace(String ref) {
        String known = FTFY.get(ref);
        if (known != null) return known;
        if (ref.startsWith("&#")) {
            String unescaped = pythonUnescape(ref);
            return unescaped.indexOf(';') >= 0 ? ref : unescaped;
        }
        return ref;
    }

    private static String replaceCharref(String s) {
        if (s.charAt(0) == '#') {
            boolean hex = s.charAt(1) == 'x' || s.charAt(1) == 'X';
            String digits = s.substring(hex ? 2 : 1);
            if (digits.endsWith(";")) digits = digits.substring(0, digits.length() - 1);
            return numericCharref(parseCapped(digits, hex ? 16 : 10));
        }
        String exact = HTML5.get(s);
        if (exact != null) return exact;
        for (int x = s.length() - 1; x > 1; x--) {
            String prefix = HTML5.get(s.substring(0, x));
            if (prefix != null) return prefix + s.substring(x);
        }
        return "&" + s;
    }

    /** Value of the digits, or 0x110000 for anything larger than Unicode (Python's ints never overflow). */
    private static int parseCapped(String digits, int radix) {
        long v = 0;
        for (int i = 0; i < digits.length(); i++) {
            v = v * radix + Character.digit(digits.charAt(i), radix);
            if (v > 0x10FFFF) return 0x110000;
        }
        return (int) v;
    }

    private static String numericCharref(int num) {
        if (num == 0) return "\uFFFD";
        if (num == 0x0D) return "\r";
        if (num >= 0x80 && num <= 0x9F) return String.valueOf(TextFixer.sloppyWindows1252(num));
        if ((num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF) return "\uFFFD";
        if (isInvalidCodePoint(num)) return "";
        return new String(Character.toChars(num));
    }

    private static boolean isInvalidCodePoint(int c) {
        return (c >= 0x1 && c <= 0x8) || c == 0xB || (c >= 0xE && c <= 0x1F) || (c >= 0x7F && c <= 0x9F)
                || (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
    }

    private static Map<String, String> loadTable() {
        Map<String, String> table = new HashMap<>(4096);
        try (InputStream in = HtmlEntities.class.getResourceAsStream("html5-entities.tsv")) {
            if (in == null) throw new IllegalStateException("resource html5-entities.tsv missing from the classpath");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isEmpty() || line.startsWith("#")) continue;
                String[] cols = line.split("\t");
                StringBuilder sb = new StringBuilder();
                for (String cp : cols[1].split(" ")) sb.appendCodePoint(Integer.parseInt(cp, 16));
                table.put(cols[0], sb.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return table;
    }

    private static Map<String, String> buildFtfyTable() {
        Map<String, String> table = new HashMap<>(4096);
        for (Map.Entry<String, String> e : HTML5.entrySet()) {
            String name = e.getKey();
            if (!name.endsWith(";")) continue;
            table.put("&" + name, e.getValue());
            if (name.equals(name.toLowerCase(Locale.ROOT))) {
                String upper = "&" + name.toUpperCase(Locale.ROOT);
                // ftfy adds the upper-case spelling only where it is not already an HTML reference itself.
                if (pythonUnescape(upper).equals(upper)) table.put(upper, e.getValue().toUpperCase(Locale.ROOT));
            }
        }
        return table;
    }
}
