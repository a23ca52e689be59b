// The range [min(x, 0), max(x, 0)] of a group of weights, tracked on order keys: an fp32 bit
// pattern with the magnitude bits of negative values flipped compares as an int32 exactly as
// the float does (-0 sorts just below +0). Integer min/max reductions vectorize without
// -ffast-math (float ones do not: NaN and signed-zero rules block them), are exact, and so do
// not depend on evaluation order or thread count. inf and NaN land at or beyond the keys of
// +-inf, which makes the finiteness check free.
//
// Symmetric quantization needs only max|x|: the loops then track one key, the magnitude bits
// (sign cleared), which order like the magnitudes; the range is [-max|x|, max|x|].
#pragma once

#include <cstdint>
#include <cstring>

namespace winglet::quantize {

inline int32_t order_key(float x) {
    int32_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    return bits ^ ((bits >> 31) & 0x7fffffff);  // an involution: also maps a key back to bits
}

inline float from_order_key(int32_t key) {
    const int32_t bits = key ^ ((key >> 31) & 0x7fffffff);
    float x;
    std::memcpy(&x, &bits, sizeof x);
    return x;
}

inline int32_t magnitude_key(float x) {
    int32_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    return bits & 0x7fffffff;  // = order_key(|x|)
}

// Start from key(+0): the range of every group includes 0 (both scale rules need that).
struct ValueRange {
    int32_t lo_key = 0;
    int32_t hi_key = 0;

    // [-m, m] for the magnitude key of m.
    static ValueRange of_magnitude(int32_t magnitude) { return {order_key(-from_order_key(magnitude)), magnitude}; }

    float lo() const { return from_order_key(lo_key); }  // min(x, 0)
    float hi() const { return from_order_key(hi_key); }  // max(x, 0)
    // Keys of +inf and -inf; NaNs lie beyond them on either side.
    bool finite() const { return hi_key < 0x7f800000 && lo_key > -0x7f800001; }
};

inline void merge(ValueRange& into, const ValueRange& other) {
    if (other.lo_key < into.lo_key) into.lo_key = other.lo_key;
    if (other.hi_key > into.hi_key) into.hi_key = other.hi_key;
}

template <bool kSymmetric>
ValueRange range_of(const float* __restrict x, int64_t n) {
    if constexpr (kSymmetric) {
        int32_t hi = 0;
        for (int64_t i = 0; i < n; ++i) {
            const int32_t k = magnitude_key(x[i]);
            hi = k > hi ? k : hi;
        }
        return ValueRange::of_magnitude(hi);
    } else {
        int32_t lo = 0, hi = 0;
        for (int64_t i = 0; i < n; ++i) {
            const int32_t k = order_key(x[i]);
            lo = k < lo ? k : lo;
            hi = k > hi ? k : hi;
        }
        return {lo, hi};
    }
}

// Elementwise over a run: column i's range absorbs x[i] (groups strided across rows).
// Symmetric: only hi_keys, holding magnitude keys; lo_keys is not touched (may be null).
template <bool kSymmetric>
void widen_columns(const float* __restrict x, int64_t n, int32_t* __restrict lo_keys, int32_t* __restrict hi_keys) {
    for (int64_t i = 0; i < n; ++i) {
        if constexpr (kSymmetric) {
            const int32_t k = magnitude_key(x[i]);
            hi_keys[i] = k > hi_keys[i] ? k : hi_keys[i];
        } else {
            const int32_t k = order_key(x[i]);
            lo_keys[i] = k < lo_keys[i] ? k : lo_keys[i];
            hi_keys[i] = k > hi_keys[i] ? k : hi_keys[i];
        }
    }
}

// The range of column s of tables filled by widen_columns.
inline ValueRange column_range(const int32_t* lo_keys, const int32_t* hi_keys, int64_t s, bool symmetric) {
    return symmetric ? ValueRange::of_magnitude(hi_keys[s]) : ValueRange{lo_keys[s], hi_keys[s]};
}

}  // namespace winglet::quantize
