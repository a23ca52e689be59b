// The host side of an optimizer's compress call (ABI 1.2): set_compressed validates what the
// plugin reports and copies it into a CompressedTensor.
#pragma once

#include "compression/compressed_tensor.hpp"

#include <winglet/plugin.h>

#include <string>
#include <vector>

struct wg_compress_result {
    winglet::CompressedTensor* out;
    std::vector<int64_t> dims;  // of the tensor being compressed
    bool set = false;
};

namespace winglet {

wg_status set_compressed(wg_compress_result* result, const wg_compressed_desc* desc, wg_error* err) noexcept;

}  // namespace winglet
