package dev.adi4j.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** README's Java API snippet compiles against the current library (so the documented API cannot drift). */
class ReadmeSnippetTest {
    @TempDir
    Path dir;

    @Test
    void theTrainingSnippetCompiles() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README.md has no ```java block");
        String code = m.group(1);
        Matcher cls = Pattern.compile("public class (\\w+)").matcher(code);
        assertTrue(cls.find(), "the snippet declares no public class");
        Path source = dir.resolve(cls.group(1) + ".java");
        Files.writeString(source, code);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = javac.run(null, null, err, "-d", dir.toString(), "-classpath", System.getProperty("java.class.path"),
                source.toString());
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        assertTrue(Files.isRegularFile(dir.resolve(cls.group(1) + ".class")));
    }
}
