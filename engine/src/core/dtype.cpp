#include "core/dtype.hpp"

namespace winglet {

uint32_t dtype_bits(DType t) {
    switch (t) {
        case DType::Bool: case DType::UInt8: case DType::Int8: case DType::Float8E4M3FN:
        case DType::Float8E4M3FNUZ: case DType::Float8E5M2: case DType::Float8E5M2FNUZ: return 8;
        case DType::UInt16: case DType::Int16: case DType::Float16: case DType::BFloat16: return 16;
        case DType::Float32: case DType::Int32: case DType::UInt32: return 32;
        case DType::Int64: case DType::UInt64: case DType::Float64: case DType::Complex64: return 64;
        case DType::Complex128: return 128;
        case DType::UInt4: case DType::Int4: return 4;
        case DType::Undefined: case DType::String: return 0;
    }
    return 0;
}

uint64_t dtype_bytes(DType t, uint64_t elements) {
    const uint64_t bits = dtype_bits(t);
    // Split to avoid overflowing elements * bits for huge counts.
    return (elements / 8) * bits + ((elements % 8) * bits + 7) / 8;
}

std::string_view dtype_name(DType t) {
    switch (t) {
        case DType::Undefined: return "undefined";
        case DType::Float32: return "float32";
        case DType::UInt8: return "uint8";
        case DType::Int8: return "int8";
        case DType::UInt16: return "uint16";
        case DType::Int16: return "int16";
        case DType::Int32: return "int32";
        case DType::Int64: return "int64";
        case DType::String: return "string";
        case DType::Bool: return "bool";
        case DType::Float16: return "float16";
        case DType::Float64: return "float64";
        case DType::UInt32: return "uint32";
        case DType::UInt64: return "uint64";
        case DType::Complex64: return "complex64";
        case DType::Complex128: return "complex128";
        case DType::BFloat16: return "bfloat16";
        case DType::Float8E4M3FN: return "float8e4m3fn";
        case DType::Float8E4M3FNUZ: return "float8e4m3fnuz";
        case DType::Float8E5M2: return "float8e5m2";
        case DType::Float8E5M2FNUZ: return "float8e5m2fnuz";
        case DType::UInt4: return "uint4";
        case DType::Int4: return "int4";
    }
    return "unknown";
}

bool dtype_is_float(DType t) {
    switch (t) {
        case DType::Float32: case DType::Float16: case DType::Float64: case DType::BFloat16:
        case DType::Float8E4M3FN: case DType::Float8E4M3FNUZ: case DType::Float8E5M2:
        case DType::Float8E5M2FNUZ: case DType::Complex64: case DType::Complex128: return true;
        default: return false;
    }
}

std::optional<DType> dtype_from_code(uint32_t code) {
    if (code > static_cast<uint32_t>(DType::Int4)) return std::nullopt;
    return static_cast<DType>(code);
}

}  // namespace winglet
