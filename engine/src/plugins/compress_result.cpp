#include "plugins/compress_result.hpp"

#include "plugins/host_call.hpp"

#include <cmath>

namespace winglet {
namespace {

using host_call::require;

uint64_t product(const std::vector<int64_t>& dims) {
    uint64_t n = 1;
    for (int64_t d : dims) n *= static_cast<uint64_t>(d);
    return n;
}

// Codes of `bits` bits: signed for linear codes, unsigned indices for tables.
void check_codes(const wg_compressed_desc& d, uint64_t n) {
    require(d.codes, "codes missing for the encoding");
    require(d.code_bits >= 1 && d.code_bits <= 8, "code_bits " + std::to_string(d.code_bits) + " is not 1..8");
    // Messages are built only on failure: this runs once per weight.
    if (d.encoding == WG_ENCODING_LUT) {
        const unsigned limit = 1u << d.code_bits;
        for (uint64_t i = 0; i < n; ++i)
            if (static_cast<uint8_t>(d.codes[i]) >= limit)
                require(false, "index " + std::to_string(static_cast<uint8_t>(d.codes[i])) + " at element " +
                                   std::to_string(i) + " does not fit " + std::to_string(d.code_bits) + " bits");
    } else {
        const int lo = -(1 << (d.code_bits - 1)), hi = (1 << (d.code_bits - 1)) - 1;
        for (uint64_t i = 0; i < n; ++i)
            if (d.codes[i] < lo || d.codes[i] > hi)
                require(false, "code " + std::to_string(d.codes[i]) + " at element " + std::to_string(i) +
                                   " does not fit " + std::to_string(d.code_bits) + " signed bits");
    }
}

}  // namespace

wg_status set_compressed(wg_compress_result* r, const wg_compressed_desc* d, wg_error* err) noexcept {
    return host_call::guarded(err, [&] {
        require(r && r->out, "NULL compress result");
        require(!r->set, "set_compressed called twice");
        require(d && d->struct_size >= offsetof(wg_compressed_desc, luts) + sizeof d->luts,
                "compressed desc missing or too small");
        require(d->decoded, "decoded values missing");
        const uint64_t n = product(r->dims);
        CompressedTensor c;
        c.decoded.assign(d->decoded, d->decoded + n);
        uint64_t zeros = 0;
        for (uint64_t i = 0; i < n; ++i) {
            if (!std::isfinite(c.decoded[i])) require(false, "decoded value " + std::to_string(i) + " is not finite");
            zeros += c.decoded[i] == 0.0f;
        }
        c.sparsity = n ? static_cast<double>(zeros) / static_cast<double>(n) : 0.0;
        require(d->storage_bits > 0, "storage_bits is 0");
        require(d->decode <= WG_DECODE_LUT, "unknown decode " + std::to_string(d->decode));
        require(d->sparsity_pattern <= WG_SPARSITY_CHANNELS, "unknown sparsity pattern " + std::to_string(d->sparsity_pattern));
        require(d->encoding <= WG_ENCODING_LUT, "unknown encoding " + std::to_string(d->encoding));
        if (d->sparsity_pattern == WG_SPARSITY_N_M)
            require(d->sparsity_m >= 1 && d->sparsity_n <= d->sparsity_m, "N:M sparsity needs 0 <= n <= m, m >= 1");
        c.storage_bits = d->storage_bits;
        c.compute_dtype = d->compute_dtype ? d->compute_dtype : WG_DTYPE_FLOAT32;
        c.decode = d->decode;
        c.sparsity_pattern = d->sparsity_pattern;
        c.sparsity_n = d->sparsity_n;
        c.sparsity_m = d->sparsity_m;
        c.encoding = d->encoding;
        c.code_bits = d->code_bits;
        if (d->encoding == WG_ENCODING_LINEAR) {
            check_codes(*d, n);
            c.codes.assign(d->codes, d->codes + n);
            c.param_axis = d->param_axis;
            c.block_size = d->block_size;
            require(d->param_rank == 0 || d->param_dims, "param_dims missing");
            c.param_dims.assign(d->param_dims, d->param_dims + d->param_rank);
            const uint64_t params = product(c.param_dims);
            require(d->scales, "scales missing for a linear encoding");
            c.scales.assign(d->scales, d->scales + params);
            for (float s : c.scales)
                if (!(std::isfinite(s) && s > 0)) require(false, "a scale is not finite and positive");
            if (d->zero_points) c.zero_points.assign(d->zero_points, d->zero_points + params);
        } else if (d->encoding == WG_ENCODING_LUT) {
            check_codes(*d, n);
            c.codes.assign(d->codes, d->codes + n);
            c.param_axis = d->param_axis;
            c.block_size = d->block_size;
            require(d->lut_count >= 1 && d->luts, "look-up tables missing");
            c.lut_count = d->lut_count;
            c.luts.assign(d->luts, d->luts + d->lut_count * (uint64_t{1} << d->code_bits));
            for (float v : c.luts)
                if (!std::isfinite(v)) require(false, "a look-up table entry is not finite");
        } else if (d->sparsity_pattern == WG_SPARSITY_CHANNELS) {
            // The channel axis, for model writers that store only the kept channels.
            require(d->param_axis >= -1 && d->param_axis < static_cast<int32_t>(r->dims.size()),
                    "param_axis " + std::to_string(d->param_axis) + " is not a channel axis of the tensor (or -1)");
            c.param_axis = d->param_axis;
        }
        *r->out = std::move(c);
        r->set = true;
    });
}

}  // namespace winglet
