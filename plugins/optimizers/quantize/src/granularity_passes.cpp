#include "granularity_passes.hpp"

#include "kernels.hpp"
#include "scale_choice.hpp"

#include <tbb/blocked_range.h>
#include <tbb/blocked_range2d.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <atomic>

// Every element's code depends only on its own value and its group's range, and ranges are
// exact integer min/max reductions, so how TBB splits the work never changes a bit of output.

namespace winglet::quantize {
namespace {

// ~64 KiB of fp32 per task: amortizes scheduling, stays in L2.
constexpr int64_t kElementsPerTask = 16384;
// Per-thread range tables up to this many columns (8 MiB of keys per thread).
constexpr int64_t kMaxThreadLocalColumns = int64_t{1} << 20;

int64_t rows_per_task(int64_t row_length) {
    return std::max<int64_t>(1, kElementsPerTask / std::max<int64_t>(1, row_length));
}

int64_t length(const tbb::blocked_range<int64_t>& r) { return r.end() - r.begin(); }

// body(row, begin, end) over a rows x columns grid whose columns each stand for
// `column_weight` elements of work: tasks of whole rows or, when a row alone is more than a
// task, pieces of one.
template <class Body>
void for_each_row_piece(int64_t rows, int64_t columns, int64_t column_weight, const Body& body) {
    using Grid = tbb::blocked_range2d<int64_t>;
    const int64_t row_grain = rows_per_task(columns * column_weight);
    const int64_t column_grain = rows_per_task(column_weight);
    tbb::parallel_for(Grid(0, rows, row_grain, 0, columns, column_grain), [&](const Grid& g) {
        for (int64_t row = g.rows().begin(); row != g.rows().end(); ++row)
            body(row, g.cols().begin(), g.cols().end());
    });
}

CodeRange codes_of(const QuantizedTensor& t) { return code_range(t.bits, t.symmetric); }

// Range tables, one entry per column: lo keys only when asymmetric (see value_range.hpp).
struct RangeTable {
    std::vector<int32_t> lo, hi;
    RangeTable(int64_t columns, bool symmetric) : lo(symmetric ? 0 : columns, 0), hi(columns, 0) {}
    int32_t* lo_at(int64_t i) { return lo.empty() ? nullptr : lo.data() + i; }
    int32_t* hi_at(int64_t i) { return hi.data() + i; }
    ValueRange at(int64_t i, bool symmetric) const { return column_range(lo.data(), hi.data(), i, symmetric); }
    void absorb(int64_t i, const ValueRange& r, bool symmetric) {
        if (!symmetric) lo[i] = std::min(lo[i], r.lo_key);
        hi[i] = std::max(hi[i], r.hi_key);  // symmetric: r.hi_key is the magnitude key
    }
};

// Scales and zero points for every column of a finished table.
bool store_params(const RangeTable& table, QuantizedTensor& t) {
    const CodeRange codes = codes_of(t);
    std::atomic<bool> finite{true};
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, static_cast<int64_t>(table.hi.size()), 4096),
                      [&](const tbb::blocked_range<int64_t>& r) {
                          for (int64_t s = r.begin(); s != r.end(); ++s) {
                              const ValueRange range = table.at(s, t.symmetric);
                              if (!range.finite()) {
                                  finite.store(false, std::memory_order_relaxed);
                                  continue;
                              }
                              const GroupParams p = choose_params(range.lo(), range.hi(), codes, t.symmetric);
                              t.scales[s] = p.scale;
                              t.zero_points[s] = static_cast<int8_t>(p.zero_point);
                          }
                      });
    return finite.load();
}

// Per-channel ranges when a channel is `outer` runs spread over the tensor.
RangeTable channel_ranges(const Kernels& k, const float* w, const AxisView& v, bool symmetric) {
    const int64_t channels = v.extent, inner = v.inner, slab = channels * inner;
    RangeTable table(channels, symmetric);
    if (slab <= kMaxThreadLocalColumns) {
        // Stream whole rows of the [outer, channels * inner] view in order; each thread widens
        // its own table of slab columns, folded into channels at the end (min/max: exact).
        tbb::enumerable_thread_specific<RangeTable> locals([&] { return RangeTable(slab, symmetric); });
        for_each_row_piece(v.outer, slab, 1, [&](int64_t o, int64_t j0, int64_t j1) {
            RangeTable& mine = locals.local();
            k.widen_columns(w + o * slab + j0, j1 - j0, mine.lo_at(j0), mine.hi_at(j0), symmetric);
        });
        for (const RangeTable& mine : locals)
            for (int64_t j = 0; j < slab; ++j) table.absorb(j / inner, mine.at(j, symmetric), symmetric);
        return table;
    }
    // Rows too long for per-thread tables, so there are few of them: tasks own channel
    // ranges and walk the rows.
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, channels, rows_per_task(v.outer * inner)),
                      [&](const tbb::blocked_range<int64_t>& r) {
                          for (int64_t o = 0; o < v.outer; ++o)
                              for (int64_t c = r.begin(); c != r.end(); ++c)
                                  table.absorb(c, k.range_of(w + o * slab + c * inner, inner, symmetric), symmetric);
                      });
    return table;
}

}  // namespace

bool quantize_per_tensor(const float* w, QuantizedTensor& t) {
    const Kernels& k = active_kernels();
    const int64_t n = static_cast<int64_t>(t.codes.size());
    const ValueRange all = tbb::parallel_reduce(
        tbb::blocked_range<int64_t>(0, n, kElementsPerTask), ValueRange{},
        [&](const tbb::blocked_range<int64_t>& r, ValueRange acc) {
            merge(acc, k.range_of(w + r.begin(), length(r), t.symmetric));
            return acc;
        },
        [](ValueRange a, const ValueRange& b) {
            merge(a, b);
            return a;
        });
    if (!all.finite()) return false;
    const CodeRange codes = codes_of(t);
    const GroupParams p = choose_params(all.lo(), all.hi(), codes, t.symmetric);
    t.scales[0] = p.scale;
    t.zero_points[0] = static_cast<int8_t>(p.zero_point);
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, n, kElementsPerTask), [&](const tbb::blocked_range<int64_t>& r) {
        k.quantize_run(w + r.begin(), length(r), p.scale, p.zero_point, codes.lo, codes.hi, t.codes.data() + r.begin());
    });
    return true;
}

bool quantize_per_channel(const float* w, const AxisView& v, QuantizedTensor& t) {
    const Kernels& k = active_kernels();
    const CodeRange codes = codes_of(t);
    const int64_t channels = v.extent, inner = v.inner;
    if (v.outer == 1) {
        // e.g. Conv OIHW or Gemm B [N, K] along axis 0: channel c is the run at c * inner, read
        // from memory once for its range and its codes.
        std::atomic<bool> finite{true};
        tbb::parallel_for(tbb::blocked_range<int64_t>(0, channels, rows_per_task(inner)),
                          [&](const tbb::blocked_range<int64_t>& r) {
                              const int64_t c = r.begin();
                              if (!k.quantize_runs(w + c * inner, length(r), inner, codes, t.symmetric,
                                                   t.scales.data() + c, t.zero_points.data() + c,
                                                   t.codes.data() + c * inner))
                                  finite.store(false, std::memory_order_relaxed);
                          });
        return finite.load();
    }
    if (!store_params(channel_ranges(k, w, v, t.symmetric), t)) return false;
    if (inner == 1) {  // e.g. MatMul B [K, N] per output channel (axis 1): a row crosses all channels
        for_each_row_piece(v.outer, channels, 1, [&](int64_t o, int64_t c0, int64_t c1) {
            const int64_t at = o * channels + c0;
            k.quantize_run_varying(w + at, c1 - c0, t.scales.data() + c0, t.zero_points.data() + c0, codes.lo,
                                   codes.hi, t.symmetric, t.codes.data() + at);
        });
    } else {
        for_each_row_piece(v.outer * channels, inner, 1, [&](int64_t row, int64_t i0, int64_t i1) {
            const int64_t c = row % channels;
            const int64_t at = row * inner + i0;
            k.quantize_run(w + at, i1 - i0, t.scales[c], t.zero_points[c], codes.lo, codes.hi, t.codes.data() + at);
        });
    }
    return true;
}

bool quantize_per_block(const float* w, const AxisView& v, QuantizedTensor& t) {
    const Kernels& k = active_kernels();
    const CodeRange codes = codes_of(t);
    const int64_t extent = v.extent, inner = v.inner, block = t.block_size;
    const int64_t blocks = ceil_div(extent, block);  // per outer index
    const int64_t block_length = std::min(block, extent);  // the work of one block per column
    if (inner == 1) {
        // Blocks along the last axis: block (o, b) is the run at o * extent + b * block with
        // scale slot o * blocks + b. Only the last block of a row may be shorter.
        const int64_t full = extent / block;
        std::atomic<bool> finite{true};
        auto quantize_blocks = [&](int64_t o, int64_t b, int64_t count, int64_t len) {
            const int64_t slot = o * blocks + b, at = o * extent + b * block;
            if (!k.quantize_runs(w + at, count, len, codes, t.symmetric, t.scales.data() + slot,
                                 t.zero_points.data() + slot, t.codes.data() + at))
                finite.store(false, std::memory_order_relaxed);
        };
        for_each_row_piece(v.outer, blocks, block_length, [&](int64_t o, int64_t b0, int64_t b1) {
            if (b0 < full) quantize_blocks(o, b0, std::min(b1, full) - b0, block);
            if (b1 > full) quantize_blocks(o, full, 1, extent - full * block);  // the short tail
        });
        return finite.load();
    }
    // A block is up to `block` rows of `inner` weights; its scales are the `inner` entries at
    // slot (o, b) of the [outer, blocks, inner] scale tensor. A task takes one block and a
    // range of its columns: widens their ranges row by row, then quantizes those rows again
    // while they are still in cache.
    const int64_t slots = v.outer * blocks;
    RangeTable table(slots * inner, t.symmetric);
    std::atomic<bool> finite{true};
    for_each_row_piece(slots, inner, block_length, [&](int64_t s, int64_t i0, int64_t i1) {
        const int64_t o = s / blocks, first = (s % blocks) * block;
        const int64_t last = std::min(extent, first + block);
        const int64_t slot_at = s * inner + i0;
        for (int64_t a = first; a < last; ++a)
            k.widen_columns(w + (o * extent + a) * inner + i0, i1 - i0, table.lo_at(slot_at), table.hi_at(slot_at),
                            t.symmetric);
        for (int64_t j = slot_at; j < slot_at + (i1 - i0); ++j) {
            const ValueRange range = table.at(j, t.symmetric);
            if (!range.finite()) {
                finite.store(false, std::memory_order_relaxed);
                return;
            }
            const GroupParams p = choose_params(range.lo(), range.hi(), codes, t.symmetric);
            t.scales[j] = p.scale;
            t.zero_points[j] = static_cast<int8_t>(p.zero_point);
        }
        for (int64_t a = first; a < last; ++a) {
            const int64_t at = (o * extent + a) * inner + i0;
            k.quantize_run_varying(w + at, i1 - i0, t.scales.data() + slot_at, t.zero_points.data() + slot_at,
                                   codes.lo, codes.hi, t.symmetric, t.codes.data() + at);
        }
    });
    return finite.load();
}

}  // namespace winglet::quantize
