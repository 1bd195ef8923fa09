package dev.adi4j.core.safetensors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and validates the header of a safetensors file. Nothing in the file is trusted until checked:
 * every size is bounded by the file size before anything is allocated, so a hostile file ends in a
 * {@link SafetensorsFormatException}, never in an OutOfMemoryError.
 */
final class HeaderParser {
    static final String METADATA_KEY = "__metadata__";

    // Jackson's readTree silently keeps the last of duplicate keys; a duplicate tensor name is ambiguous,
    // so it is refused. Trailing tokens after the object would be ignored too.
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    // Jackson's default 20M-char string cap is lower than the header limit; the header
                    // size check already bounds every string. Nesting stays capped (default 1000 levels).
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength((int) SafetensorsReader.MAX_HEADER_BYTES).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The validated header: where the data section starts and what it holds. */
    record Header(long dataStart, Map<String, TensorInfo> tensors, Map<String, String> metadata) {
    }

    private final Path file;

    private HeaderParser(Path file) {
        this.file = file;
    }

    static Header parse(Path file, FileChannel ch) {
        return new HeaderParser(file).parse(ch);
    }

    private Header parse(FileChannel ch) {
        long size;
        try {
            size = ch.size();
        } catch (IOException e) {
            throw fail(null, "cannot read the file size: " + e, e);
        }
        if (size < 8) {
            throw fail(null, "file has " + size + " bytes, too short for the 8-byte header length");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf, 0);
        long headerLen = lenBuf.getLong(0);
        String shownLen = Long.toUnsignedString(headerLen);
        if (headerLen < 0 || headerLen > SafetensorsReader.MAX_HEADER_BYTES) {
            throw fail(null, "header length " + shownLen + " exceeds the limit of "
                    + SafetensorsReader.MAX_HEADER_BYTES + " bytes");
        }
        if (headerLen > size - 8) {
            throw fail(null, "header length " + shownLen + " exceeds the " + (size - 8)
                    + " bytes that follow it in the file");
        }
        if (headerLen < 2) {
            throw fail(null, "header length " + shownLen + " is too small for a JSON object");
        }
        ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
        readFully(ch, headerBuf, 8);
        JsonNode root = readJson(decodeUtf8(headerBuf.flip()));
        if (!root.isObject()) {
            throw fail(null, "header is a JSON " + root.getNodeType().toString().toLowerCase()
                    + ", expected a JSON object");
        }
        long dataStart = 8 + headerLen;
        long dataLen = size - dataStart;
        Map<String, String> metadata = Map.of();
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(METADATA_KEY)) {
                metadata = parseMetadata(e.getValue());
            } else {
                tensors.put(e.getKey(), parseTensor(e.getKey(), e.getValue(), dataLen));
            }
        }
        checkCoverage(tensors.values(), dataLen);
        return new Header(dataStart, Collections.unmodifiableMap(tensors), metadata);
    }

    private String decodeUtf8(ByteBuffer bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer chars = CharBuffer.allocate(bytes.remaining());
        CoderResult r = decoder.decode(bytes, chars, true);
        if (r.isError()) {
            // the header starts after the 8-byte length, so the file offset is 8 + the header offset
            int at = bytes.position();
            throw fail(null, "header is not valid UTF-8: byte 0x"
                    + String.format("%02x", bytes.get(at) & 0xff) + " at file offset " + (8 + at));
        }
        decoder.flush(chars);
        return chars.flip().toString();
    }

    private JsonNode readJson(String text) {
        try {
            JsonNode root = JSON.readTree(text);
            if (root == null || root.isMissingNode()) throw fail(null, "header is empty, expected a JSON object");
            return root;
        } catch (JsonProcessingException e) {
            String original = e.getOriginalMessage();
            String key = topLevelKey(e);
            if (original != null && original.startsWith("Duplicate field")) {
                throw fail(key, "header has a duplicate key: " + original, e);
            }
            String where = e.getLocation() == null ? "" : " (at character " + e.getLocation().getCharOffset() + ")";
            throw fail(key, "header is not valid JSON: " + original + where, e);
        }
    }

    /** The top-level header key being parsed when Jackson failed, or null. */
    private static String topLevelKey(JsonProcessingException e) {
        if (!(e.getProcessor() instanceof JsonParser p)) return null;
        JsonStreamContext ctx = p.getParsingContext();
        String key = null;
        while (ctx != null && ctx.getParent() != null) {
            if (ctx.getParent().inRoot() && ctx.inObject()) key = ctx.getCurrentName();
            ctx = ctx.getParent();
        }
        return key;
    }

    private Map<String, String> parseMetadata(JsonNode v) {
        if (!v.isObject()) {
            throw fail(METADATA_KEY, "must be a JSON object of strings, found a " + kind(v));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!m.getValue().isTextual()) {
                throw fail(METADATA_KEY, "value of '" + m.getKey() + "' is a " + kind(m.getValue())
                        + ", expected a string");
            }
            metadata.put(m.getKey(), m.getValue().textValue());
        }
        return Collections.unmodifiableMap(metadata);
    }

    private TensorInfo parseTensor(String key, JsonNode v, long dataLen) {
        if (!v.isObject()) throw fail(key, "entry is a " + kind(v) + ", expected a JSON object");
        JsonNode dt = v.get("dtype");
        if (dt == null || !dt.isTextual()) throw fail(key, "dtype is missing or not a string: " + dt);
        DType dtype = DType.parse(dt.textValue());
        if (dtype == null) {
            throw fail(key, "unknown dtype \"" + dt.textValue() + "\" (the format defines: "
                    + Arrays.toString(DType.values()) + ")");
        }
        long[] shape = parseShape(key, v.get("shape"));
        long[] offsets = parseOffsets(key, v.get("data_offsets"));
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw fail(key, "data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        if (end > dataLen) {
            throw fail(key, "data_offsets [" + begin + ", " + end + "] reach beyond the data section of "
                    + dataLen + " bytes");
        }
        long numel = 1;
        for (long d : shape) numel = multiplyOrMinus1(numel, d);
        long needed = multiplyOrMinus1(numel, dtype.bytes());
        if (needed != end - begin) {
            throw fail(key, "shape " + Arrays.toString(shape) + " x " + dtype + " needs "
                    + (needed < 0 ? "more than 2^63" : Long.toString(needed))
                    + " bytes but data_offsets [" + begin + ", " + end + "] hold " + (end - begin));
        }
        return new TensorInfo(key, dtype, shape, begin, end);
    }

    private static long multiplyOrMinus1(long a, long b) {
        if (a < 0) return -1;
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException overflow) {
            return -1;
        }
    }

    private long[] parseShape(String key, JsonNode sh) {
        if (sh == null || !sh.isArray()) throw fail(key, "shape is missing or not an array: " + sh);
        long[] shape = new long[sh.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = sh.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0) {
                throw fail(key, "shape " + sh + " has dimension " + d + ", expected a non-negative integer");
            }
            shape[i] = d.longValue();
        }
        return shape;
    }

    private long[] parseOffsets(String key, JsonNode off) {
        if (off == null || !off.isArray() || off.size() != 2) {
            throw fail(key, "data_offsets must be [begin, end], found " + off);
        }
        long[] r = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonNode o = off.get(i);
            if (!o.isIntegralNumber() || !o.canConvertToLong() || o.longValue() < 0) {
                throw fail(key, "data_offsets " + off + " must hold two non-negative integers");
            }
            r[i] = o.longValue();
        }
        return r;
    }

    /**
     * The format requires the tensors to cover the data section exactly: no overlaps, no gaps, nothing
     * after the last tensor (unindexed bytes could hide anything, and a truncated writer shows up here).
     */
    private void checkCoverage(Iterable<TensorInfo> infos, long dataLen) {
        List<TensorInfo> sorted = new ArrayList<>();
        // An empty range holds no bytes, so it cannot overlap or fill anything.
        for (TensorInfo t : infos) if (t.byteLength() > 0) sorted.add(t);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin));
        long covered = 0;
        TensorInfo prev = null;
        for (TensorInfo cur : sorted) {
            if (cur.begin() < covered) {
                throw fail(cur.name(), "byte range [" + cur.begin() + ", " + cur.end() + ") overlaps tensor '"
                        + prev.name() + "' at [" + prev.begin() + ", " + prev.end() + ")");
            }
            if (cur.begin() > covered) {
                throw fail(cur.name(), "byte range [" + cur.begin() + ", " + cur.end() + ") leaves a gap of "
                        + (cur.begin() - covered) + " unused bytes at [" + covered + ", " + cur.begin()
                        + ") of the data section");
            }
            covered = cur.end();
            prev = cur;
        }
        if (covered != dataLen) {
            throw fail(null, (dataLen - covered) + " trailing bytes after the last tensor (data section of "
                    + dataLen + " bytes, tensors end at " + covered + ")");
        }
    }

    private void readFully(FileChannel ch, ByteBuffer buf, long pos) {
        try {
            while (buf.hasRemaining()) {
                if (ch.read(buf, pos + buf.position()) < 0) {
                    throw fail(null, "unexpected end of file while reading the header");
                }
            }
        } catch (IOException e) {
            throw fail(null, "read failed: " + e, e);
        }
    }

    private static String kind(JsonNode v) {
        return "JSON " + v.getNodeType().toString().toLowerCase();
    }

    private SafetensorsFormatException fail(String key, String problem) {
        return new SafetensorsFormatException(file, key, problem);
    }

    private SafetensorsFormatException fail(String key, String problem, Throwable cause) {
        return new SafetensorsFormatException(file, key, problem, cause);
    }
}
