package dev.adi4j.core.tokenizer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Cases beyond the golden prompts. Expected values were produced by running ftfy 6.1.1's {@code fix_text} and
 * CPython 3.11's {@code html.unescape} on the same inputs.
 */
class TextFixerTest {
    @Test
    void fixTextMatchesFtfy() {
        assertEquals("café", TextFixer.fixText("cafÃ©"));
        assertEquals("don't", TextFixer.fixText("donâ€™t"), "sloppy Windows-1252 mojibake + uncurl");
        assertEquals("\"quoted\"", TextFixer.fixText("â€œquotedâ€\u009D"), "undefined 1252 byte kept as C1");
        assertEquals("à la carte", TextFixer.fixText("Ã\u00A0 la carte"));
        assertEquals("x€y", TextFixer.fixText("x\u0080y"), "C1 control read as Windows-1252");
        assertEquals("red", TextFixer.fixText("\u001B[31mred\u001B[0m"));
        assertEquals("Été", TextFixer.fixText("&EACUTE;t&eacute;"), "upper-cased entity names");
        assertEquals("A\uFFFD€", TextFixer.fixText("&#x41;&#0;&#128;"));
        assertEquals("hello world", TextFixer.fixText("ｈｅｌｌｏ\u3000world"));
        assertEquals("Džemal", TextFixer.fixText("ǅemal"));
        assertEquals("a\nb\nc", TextFixer.fixText("a\r\nb\u2028c"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "donâ€™t|true", "cafÃ©|true", "café|false", "Ã¼ber|true", "über|false", "naïve|false", "ÉCOLE|false",
            "Москва|false", "вЂ”|true", "Ελληνικά|false", "100 € and ¥5|false", "×²|true", "≈°|true", "a Ã b|true",
            "'Â '|true", "œuvre|false", "œ1|true", "│┌box|false", "Kraków|false", "señor®|false", "×3|false"})
    void mojibakeDetectorAgreesWithFtfyIsBad(String text, boolean bad) {
        assertEquals(bad, MojibakeDetector.isBad(text), text);
    }

    @Test
    void mojibakeThroughLatin1AndWindows1252IsRepaired() {
        assertEquals("über straße", TextFixer.fixText("Ã¼ber straÃŸe"));
        assertEquals("Привет", TextFixer.fixText("ÐŸÑ€Ð¸Ð²ÐµÑ‚"));
        assertEquals("Kraków señor®", TextFixer.fixText("Kraków señor®"), "legitimate text is left alone");
    }

    @Test
    void htmlIsLeftAloneOnceALineContainsALessThanSign() {
        assertEquals("x & y\n<b>&amp;</b>", TextFixer.fixText("x &amp; y\n<b>&amp;</b>"));
        assertEquals("<b>&amp;</b>\nx &amp; y", TextFixer.fixText("<b>&amp;</b>\nx &amp; y"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "&ampx|&x", "&amp|&", "&notit;|¬it;", "&#128;|€", "&#x110000;|\uFFFD", "&#1;x|x", "&AMP;|&", "&lt|<",
            "no entity|no entity", "&unknown;|&unknown;"})
    void pythonHtmlUnescape(String in, String expected) {
        assertEquals(expected, HtmlEntities.pythonUnescape(in));
    }

    @Test
    void whitespaceCleanUsesUnicodeWhitespaceButNotZeroWidthSpace() {
        assertEquals("a b c\u200Bd", TextFixer.whitespaceClean(" a\u00A0\u2003 b\t\nc\u200Bd  "));
    }
}
