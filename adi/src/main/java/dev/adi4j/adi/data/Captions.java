package dev.adi4j.adi.data;

import dev.adi4j.core.io.RegularFiles;
import dev.adi4j.core.config.Configs;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the captions of an action folder: {@code captions.txt} or diffusers' {@code metadata.jsonl}. */
final class Captions {
    static final String TXT = "captions.txt";
    static final String JSONL = "metadata.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Captions() {
    }

    /**
     * File name to caption for the folder's images ({@code imageNames}); empty when the folder has no captions
     * file. Every caption must name one of the images.
     */
    static Map<String, String> read(Path dir, Set<String> imageNames) {
        Path txt = dir.resolve(TXT), jsonl = dir.resolve(JSONL);
        // exists, not isRegularFile: a captions FIFO is refused by lines(), not silently taken for "no captions"
        boolean hasTxt = Files.exists(txt), hasJsonl = Files.exists(jsonl);
        if (hasTxt && hasJsonl) {
            throw new TrainingDataException(dir, "both " + TXT + " and " + JSONL
                    + " are present; keep one of them so it is clear which captions apply");
        }
        if (hasTxt) return readTxt(txt, imageNames);
        if (hasJsonl) return readJsonl(jsonl, imageNames);
        return Map.of();
    }

    /** Lines {@code file<TAB>caption}; blank lines and lines starting with {@code #} are skipped. */
    static Map<String, String> readTxt(Path file, Set<String> imageNames) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> lines = lines(file);
        for (int i = 0; i < lines.size(); i++) {
            int no = i + 1;
            String line = lines.get(i);
            if (line.isBlank() || line.stripLeading().startsWith("#")) continue;
            int tab = line.indexOf('\t');
            String name = tab < 0 ? "" : line.substring(0, tab).strip();
            String caption = tab < 0 ? "" : line.substring(tab + 1).strip();
            if (tab < 0 || name.isEmpty() || caption.isEmpty()) {
                throw new TrainingDataException(file, "line " + no + ": expected 'file<TAB>caption', got "
                        + TrainingDataException.quote(line));
            }
            put(out, file, no, name, caption, imageNames);
        }
        return out;
    }

    /** One JSON object per line with a string {@code file_name} and a string {@code text}; blank lines skipped. */
    static Map<String, String> readJsonl(Path file, Set<String> imageNames) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> lines = lines(file);
        for (int i = 0; i < lines.size(); i++) {
            int no = i + 1;
            String line = lines.get(i);
            if (line.isBlank()) continue;
            String expected = "line " + no + ": expected a JSON object {\"file_name\": \"...\", \"text\": \"...\"}";
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new TrainingDataException(file, expected + ", got invalid JSON (" + Configs.oneLine(e) + ")", e);
            }
            if (node == null || !node.isObject()) {
                throw new TrainingDataException(file, expected + ", got " + TrainingDataException.quote(line));
            }
            JsonNode name = node.get("file_name"), text = node.get("text");
            if (name == null || !name.isTextual() || name.asText().isBlank()) {
                throw new TrainingDataException(file, expected + "; \"file_name\" is missing or not a string");
            }
            if (text == null || !text.isTextual() || text.asText().isBlank()) {
                throw new TrainingDataException(file, expected + "; \"text\" is missing, empty or not a string");
            }
            put(out, file, no, name.asText().strip(), text.asText().strip(), imageNames);
        }
        return out;
    }

    private static void put(Map<String, String> out, Path file, int no, String name, String caption,
                            Set<String> imageNames) {
        if (!imageNames.contains(name)) {
            throw new TrainingDataException(file, "line " + no + ": caption for " + TrainingDataException.quote(name)
                    + " but the folder has no such image (expected the file name of a .png/.jpg/.jpeg beside "
                    + file.getFileName() + ")");
        }
        if (out.put(name, caption) != null) {
            throw new TrainingDataException(file, "line " + no + ": second caption for "
                    + TrainingDataException.quote(name) + " (expected one caption per image)");
        }
    }

    private static List<String> lines(Path file) {
        try {
            List<String> lines = Files.readAllLines(RegularFiles.require(file, "captions", TrainingDataException::new),
                    StandardCharsets.UTF_8);
            // Editors on Windows like to start UTF-8 files with a byte-order mark; it is not part of the name.
            if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) lines.set(0, lines.get(0).substring(1));
            return lines;
        } catch (CharacterCodingException e) {
            throw new TrainingDataException(file, "not UTF-8 text (expected a UTF-8 captions file)", e);
        } catch (IOException e) {
            throw new TrainingDataException(file, "cannot read: " + e, e);
        }
    }
}
