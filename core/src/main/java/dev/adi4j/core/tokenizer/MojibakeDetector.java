package dev.adi4j.core.tokenizer;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ftfy 6.1.1's {@code badness.is_bad}: does the text contain a sequence of characters that is far more likely
 * to be mojibake (UTF-8 read in a single-byte encoding) than intended? The ~400 characters that occur in such
 * mojibake are grouped into categories, and rules name unlikely neighbours (an accented lower-case letter followed
 * by a currency sign, box drawing next to letters, C1 controls, ...). Re-expressed from ftfy's rule list.
 */
final class MojibakeDetector {
    private static final Map<String, String> CATEGORIES = Map.ofEntries(
            Map.entry("common", "\\xa0\\xad\\xb7\\xb4\\u2013\\u2014\\u2015\\u2026\\u2019"),
            Map.entry("c1", "\\x80-\\x9f"),
            Map.entry("bad", "\\xa6\\xa4\\xa8\\xac\\xaf\\xb6\\xa7\\xb8\\u0192\\u02c6\\u02c7\\u02d8\\u02db\\u02dc"
                    + "\\u2020\\u2021\\u2030\\u2310\\u25ca\\ufffd\\xaa\\xba"),
            Map.entry("currency", "\\xa2\\xa3\\xa5\\u20a7\\u20ac"),
            Map.entry("start_punctuation", "\\xa1\\xab\\xbf\\xa9\\u0384\\u0385\\u2018\\u201a\\u201c\\u201e\\u2022"
                    + "\\u2039\\uf8ff"),
            Map.entry("end_punctuation", "\\xae\\xbb\\u02dd\\u201d\\u203a\\u2122"),
            Map.entry("numeric", "\\xb2\\xb3\\xb9\\xb1\\xbc\\xbd\\xbe\\xd7\\xb5\\xf7\\u2044\\u2202\\u2206\\u220f"
                    + "\\u2211\\u221a\\u221e\\u2229\\u222b\\u2248\\u2260\\u2261\\u2264\\u2265\\u2116"),
            Map.entry("kaomoji", "\\xd2-\\xd6\\xd9-\\xdc\\xf2-\\xf6\\xf8-\\xfc\\u0150\\xb0"),
            Map.entry("upper_accented", "\\xc0-\\xd1\\xd8\\xdc\\xdd\\u0102\\u0104\\u0106\\u010c\\u010e\\u0110"
                    + "\\u0118\\u011a\\u011e\\u0130\\u0139\\u013d\\u0141\\u0143\\u0147\\u0152\\u0158\\u015a\\u015e"
                    + "\\u0160\\u0162\\u0164\\u016e\\u0170\\u0178\\u0179\\u017b\\u017d\\u0490"),
            Map.entry("lower_accented", "\\xdf\\xe0-\\xf1\\u0103\\u0105\\u0107\\u010d\\u010f\\u0111\\u0119\\u011b"
                    + "\\u011f\\u013a\\u013e\\u0142\\u0153\\u0155\\u015b\\u015f\\u0161\\u0165\\xfc\\u017a\\u017c"
                    + "\\u017e\\u0491\\ufb01\\ufb02"),
            Map.entry("upper_common", "\\xde\\u0391-\\u03a9\\u0386\\u0388\\u0389\\u038a\\u038c\\u038e\\u038f"
                    + "\\u03aa\\u03ab\\u0401-\\u042f"),
            Map.entry("lower_common", "\\u03b1-\\u03c9\\u03ac\\u03ad\\u03ae\\u03af\\u03b0\\u0430-\\u045f"),
            Map.entry("box", "\\u2502\\u250c\\u2510\\u2518\\u251c\\u2524\\u252c\\u253c\\u2550-\\u256c\\u2580"
                    + "\\u2584\\u2588\\u258c\\u2590\\u2591\\u2592\\u2593"));

    /** One alternative per line; {name} stands for a category's characters (only inside brackets). */
    private static final String[] RULES = {
        "[{c1}]",
        "[{bad}{lower_accented}{upper_accented}{box}{start_punctuation}{end_punctuation}{currency}{numeric}][{bad}]",
        "[a-zA-Z][{lower_common}{upper_common}][{bad}]",
        "[{bad}][{lower_accented}{upper_accented}{box}{start_punctuation}{end_punctuation}{currency}{numeric}]",
        "[{lower_accented}{lower_common}{box}{end_punctuation}{currency}{numeric}][{upper_accented}]",
        "[{box}{end_punctuation}{currency}{numeric}][{lower_accented}]",
        "[{lower_accented}{box}{end_punctuation}][{currency}]",
        "\\s[{upper_accented}][{currency}]",
        "[{upper_accented}{box}][{numeric}]",
        "[{lower_accented}{upper_accented}{box}{currency}{end_punctuation}][{start_punctuation}][{numeric}]",
        "[{lower_accented}{upper_accented}{currency}{numeric}{box}][{end_punctuation}][{start_punctuation}]",
        "[{currency}{numeric}{box}][{start_punctuation}]",
        "[a-z][{upper_accented}][{start_punctuation}{currency}]",
        "[{box}][{kaomoji}]",
        "[{lower_accented}{upper_accented}{currency}{numeric}{start_punctuation}{end_punctuation}][{box}]",
        "[{box}][{end_punctuation}]",
        "[{lower_accented}{upper_accented}][{end_punctuation}]\\w",
        // the ligature œ not followed by an unaccented Latin letter
        "[Œœ][^A-Za-z]",
        // common Windows-1252 two-character mojibake not covered above
        "[ÂÃÎÐ][€Šš¢£Ÿž\\xa0\\xad®©°·»{start_punctuation}{end_punctuation}–—´]",
        "×[²³]",
        // Windows-1252 mojibake of Arabic: four characters, since the 'common' ones are involved
        "[ØÙ][{common}{currency}{bad}{numeric}{start_punctuation}ŸŠ®°µ»][ØÙ][{common}{currency}{bad}{numeric}"
                + "{start_punctuation}ŸŠ®°µ»]",
        "à[²µ¹¼½¾]",
        // MacRoman
        "√[±∂†≠®™´≤≥¥µø]", "≈[°¢]", "‚Ä[ìîïòôúùû†°¢π]", "‚[âó][àä°ê]",
        // Windows-1251
        "вЂ", "[ВГРС][{c1}{bad}{start_punctuation}{end_punctuation}{currency}°µ][ВГРС]", "ГўВЂВ.[A-Za-z ]",
        // Windows-1252 encodings of 'à', 'á' and NBSP itself
        "Ã[\\xa0¡]", "[a-z]\\s?[ÃÂ][ ]", "^[ÃÂ][ ]",
        // Â before a character as an encoding of that same, common character
        "[a-z.,?!{end_punctuation}]Â[ {start_punctuation}{end_punctuation}]",
        // Windows-1253
        "β€[™\\xa0Ά\\xad®°]", "[ΒΓΞΟ][{c1}{bad}{start_punctuation}{end_punctuation}{currency}°][ΒΓΞΟ]",
    };

    private static final Pattern BADNESS = Pattern.compile(String.join("|", expandedRules()),
            Pattern.UNICODE_CHARACTER_CLASS);

    private MojibakeDetector() {
    }

    /** True iff some rule matches somewhere in {@code text}. */
    static boolean isBad(String text) {
        return BADNESS.matcher(text).find();
    }

    private static String[] expandedRules() {
        String[] out = new String[RULES.length];
        Pattern ref = Pattern.compile("\\{([a-z_0-9]+)}");
        for (int i = 0; i < RULES.length; i++) {
            Matcher m = ref.matcher(RULES[i]);
            out[i] = m.replaceAll(r -> Matcher.quoteReplacement(CATEGORIES.get(r.group(1))));
        }
        return out;
    }
}
