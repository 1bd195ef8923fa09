package dev.adi4j.diffusion.nn;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One block of memory that the execution plans of several graphs place their float intermediates and
 * placeholders in, for graphs that run strictly one after another and whose outputs are copied out before the next
 * runs: the stage graphs of a checkpointed UNet pass. Each plan lays its values out from the start of the block, so
 * the block is as large as the largest plan, not the sum of them; the plans stay compiled (no per-call allocation).
 *
 * <p>Why: with each stage plan keeping its own arena, SD 2.1's checkpointed ADI step at 64x64 kept ~4 GB of arenas;
 * capped at 64 MB, the larger stages fell back to SameDiff's session, whose per-op allocations cost 60-90 s per step
 * of page faults once jemalloc was allowed to return memory (and fragmented its retained memory otherwise).
 *
 * <p>A plan that does not fit runs in a private arena once and asks for more; at the end of the pass the owner
 * {@link #grow}s the block to the largest layout asked for. Plans laid out in the old block are then retired
 * ({@link ExecutionPlan#valid()} false) and compiled again on their next call: after the first pass, while the
 * sizes of all stages are being discovered.
 */
public final class SharedArena implements AutoCloseable {
    /** Offsets are rounded to this many floats (64 bytes) for vector loads. */
    private static final long ALIGN = 16;

    private Block current;
    private long wanted;

    /** The memory of one generation; plans laid out in it are valid while it is the current one. */
    static final class Block {
        private final INDArray memory;
        private final long capacity;
        private boolean retired;

        private Block(long floats) {
            this.memory = Nd4j.createUninitializedDetached(DataType.FLOAT, floats);
            this.capacity = floats;
        }

        boolean retired() { return retired; }
    }

    /** Bytes of the current block (0 before any plan was laid out). */
    public long capacityBytes() {
        return current == null ? 0 : current.capacity * DataType.FLOAT.width();
    }

    /** The current block (an empty one before the first {@link #grow}). */
    Block block() {
        if (current == null) current = new Block(ALIGN);
        return current;
    }

    /**
     * Notes that a plan's layout needs {@code bytes}; the block grows to the largest such need at {@link #grow}.
     * Growing once after a pass instead of at each larger plan matters where freed memory is kept for reuse
     * (jemalloc as adi4j configures it): every replaced block would stay resident.
     */
    void request(long bytes) {
        wanted = Math.max(wanted, bytes);
    }

    /**
     * Replaces the block by one holding every layout {@link #request}ed so far, if it does not already; the plans laid
     * out in the old one are retired (and its memory freed now: a retired plan refuses to run). Call between passes,
     * when no plan's outputs are still to be read.
     */
    public void grow() {
        if (wanted <= capacityBytes()) return;
        retire();
        current = new Block(roundUp(wanted / DataType.FLOAT.width() + 1));
    }

    /** Frees the block; plans laid out in it are retired. */
    @Override
    public void close() {
        retire();
    }

    private void retire() {
        if (current == null) return;
        current.retired = true;
        current.memory.close();
        current = null;
    }

    /** Floats a plan's layout takes for a value of {@code length} floats. */
    static long footprint(long length) {
        return roundUp(length);
    }

    private static long roundUp(long floats) {
        return (floats + ALIGN - 1) / ALIGN * ALIGN;
    }

    /**
     * A plan's layout in a block: offsets assigned at compile time in run order, a freed range reused by the
     * best-fitting later value of any size (the plan's own arena pools buffers by exact length only). Offsets are
     * assigned whether or not the block is large enough, so {@link #peakBytes} is what the plan needs; values
     * beyond the block's end go to private buffers ({@link #view} null).
     */
    static final class Layout {
        private final Block block;
        /** Freed ranges, offset -> floats, coalesced; none ends at {@link #top}. */
        private final java.util.TreeMap<Long, Long> free = new java.util.TreeMap<>();
        private long top;
        private long peak;

        Layout(Block block) {
            this.block = block;
        }

        Block block() { return block; }

        long peakBytes() { return peak * DataType.FLOAT.width(); }

        /** The offset of a new value of {@code length} floats. */
        long place(long length) {
            long size = footprint(length);
            long bestOffset = -1;
            long bestSize = Long.MAX_VALUE;
            for (java.util.Map.Entry<Long, Long> e : free.entrySet()) {
                if (e.getValue() >= size && e.getValue() < bestSize) {
                    bestOffset = e.getKey();
                    bestSize = e.getValue();
                }
            }
            if (bestOffset < 0) {
                long offset = top;
                top += size;
                peak = Math.max(peak, top);
                return offset;
            }
            // (a removed TreeMap entry may take its successor's key and value: read them before)
            free.remove(bestOffset);
            if (bestSize > size) free.put(bestOffset + size, bestSize - size);
            return bestOffset;
        }

        /** Returns the range of a value placed at {@code offset} once its last reader has run. */
        void release(long offset, long length) {
            long start = offset;
            long end = offset + footprint(length);
            java.util.Map.Entry<Long, Long> before = free.floorEntry(start);
            if (before != null && before.getKey() + before.getValue() == start) {
                start = before.getKey();
                free.remove(start);
            }
            Long after = free.containsKey(end) ? free.remove(end) : null;
            if (after != null) end += after;
            if (end == top) {
                top = start;
            } else {
                free.put(start, end - start);
            }
        }

        /** The block's floats at {@code offset}, or null when they lie beyond its end. */
        INDArray view(long offset, long length) {
            if (offset + footprint(length) > block.capacity) return null;
            // a buffer of exactly this length over the block: ops that copy whole buffers (bitcast) would
            // otherwise read a view's entire parent
            DataBuffer view = Nd4j.createBuffer(block.memory.data(), offset, length);
            return Nd4j.create(view, new long[]{length}, new long[]{1}, 0, 'c', DataType.FLOAT);
        }
    }
}
