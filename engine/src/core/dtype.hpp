// Element types of tensors, numbered as in ONNX (and in the plugin ABI).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace winglet {

enum class DType : uint32_t {
    Undefined = 0, Float32 = 1, UInt8 = 2, Int8 = 3, UInt16 = 4, Int16 = 5, Int32 = 6, Int64 = 7,
    String = 8, Bool = 9, Float16 = 10, Float64 = 11, UInt32 = 12, UInt64 = 13, Complex64 = 14,
    Complex128 = 15, BFloat16 = 16, Float8E4M3FN = 17, Float8E4M3FNUZ = 18, Float8E5M2 = 19,
    Float8E5M2FNUZ = 20, UInt4 = 21, Int4 = 22,
};

// Storage size of one element in bits (4 for int4); 0 for Undefined and String.
uint32_t dtype_bits(DType t);
// Bytes needed for `elements` elements, rounding sub-byte packings up.
uint64_t dtype_bytes(DType t, uint64_t elements);
std::string_view dtype_name(DType t);
bool dtype_is_float(DType t);
// Whether the ABI/ONNX number names a type winglet knows.
std::optional<DType> dtype_from_code(uint32_t code);

}  // namespace winglet
