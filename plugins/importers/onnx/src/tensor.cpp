#include "tensor.hpp"

#include "slim_model.hpp"

#include <cstring>
#include <limits>
#include <type_traits>

namespace winglet::onnx_importer {

using sdk::Error;

uint32_t dtype_bits(int32_t t) {
    switch (t) {
        case 1: return 32;   // FLOAT
        case 2: return 8;    // UINT8
        case 3: return 8;    // INT8
        case 4: return 16;   // UINT16
        case 5: return 16;   // INT16
        case 6: return 32;   // INT32
        case 7: return 64;   // INT64
        case 9: return 8;    // BOOL
        case 10: return 16;  // FLOAT16
        case 11: return 64;  // DOUBLE
        case 12: return 32;  // UINT32
        case 13: return 64;  // UINT64
        case 14: return 64;  // COMPLEX64
        case 15: return 128; // COMPLEX128
        case 16: return 16;  // BFLOAT16
        case 17: case 18: case 19: case 20: return 8;  // FLOAT8*
        case 21: case 22: return 4;                    // UINT4, INT4
        default: return 0;   // UNDEFINED, STRING, unknown
    }
}

bool dtype_known(int32_t t) { return t >= 1 && t <= 22; }

const char* dtype_label(int32_t t) {
    static const char* const names[] = {
        "undefined", "float32", "uint8", "int8", "uint16", "int16", "int32", "int64",
        "string", "bool", "float16", "float64", "uint32", "uint64", "complex64", "complex128",
        "bfloat16", "float8e4m3fn", "float8e4m3fnuz", "float8e5m2", "float8e5m2fnuz", "uint4",
        "int4"};
    if (t >= 0 && t <= 22) return names[t];
    return "unknown";
}

bool dtype_byte_size(int32_t t, uint64_t elements, uint64_t& bytes) {
    const uint64_t bits = dtype_bits(t);
    if (bits == 0) {
        bytes = 0;
        return true;
    }
    if (bits == 4) {
        bytes = elements / 2 + (elements & 1);
        return true;
    }
    return !__builtin_mul_overflow(elements, bits / 8, &bytes);
}

uint64_t checked_element_count(const google::protobuf::RepeatedField<int64_t>& dims,
                               const std::string& what) {
    uint64_t n = 1;
    for (int i = 0; i < dims.size(); ++i) {
        const int64_t d = dims.Get(i);
        if (d < 0)
            throw Error(WG_ERR_FORMAT, what + " has a negative dimension (" + std::to_string(d) +
                                           " at axis " + std::to_string(i) + ")");
        if (__builtin_mul_overflow(n, static_cast<uint64_t>(d), &n))
            throw Error(WG_ERR_FORMAT, what + ": element count overflows 64 bits");
    }
    return n;
}

std::pair<const uint8_t*, uint64_t> ExternalFiles::get(const std::string& location) {
    auto it = cache_.find(location);
    if (it != cache_.end()) return it->second;
    auto mapped = mapper_(location);
    cache_.emplace(location, mapped);
    return mapped;
}

namespace {

// Plain decimal (what ONNX writers put in external_data offset/length); false if malformed.
bool parse_decimal(const std::string& s, uint64_t& out) {
    if (s.empty() || s.size() > 20) return false;
    uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        const uint64_t d = static_cast<uint64_t>(c - '0');
        if (v > (std::numeric_limits<uint64_t>::max() - d) / 10) return false;
        v = v * 10 + d;
    }
    out = v;
    return true;
}

[[noreturn]] void format_error(const std::string& what, const std::string& problem) {
    throw Error(WG_ERR_FORMAT, what + ": " + problem);
}

// Copies `count` entries of a repeated field into `width`-byte little-endian elements.
template <class Repeated>
void pack(const Repeated& field, uint64_t count, unsigned width, std::vector<uint8_t>& out) {
    out.resize(count * width);
    uint8_t* p = out.data();
    for (uint64_t i = 0; i < count; ++i) {
        using E = std::decay_t<decltype(field.Get(0))>;
        const E v = field.Get(static_cast<int>(i));
        if constexpr (std::is_floating_point_v<E>) {
            std::memcpy(p, &v, width);  // width == sizeof(E) for float/double fields
        } else {
            const uint64_t bits = static_cast<uint64_t>(v);
            for (unsigned b = 0; b < width; ++b) p[b] = static_cast<uint8_t>(bits >> (8 * b));
        }
        p += width;
    }
}

void expect_count(const std::string& what, const char* field, uint64_t have, uint64_t want) {
    if (have != want)
        format_error(what, std::string(field) + " holds " + std::to_string(have) +
                               " entries, the shape needs " + std::to_string(want));
}

}  // namespace

TensorBytes resolve_tensor(const onnx::TensorProto& t, const TensorSourceContext& ctx,
                           const std::string& what) {
    TensorBytes r;
    r.dtype = t.data_type();
    r.dims.assign(t.dims().begin(), t.dims().end());
    r.elements = checked_element_count(t.dims(), what);
    if (r.dtype != onnx::TensorProto_DataType_STRING && !dtype_known(r.dtype))
        throw UnsupportedTensor(what + " has data type " + std::to_string(r.dtype) +
                                ", which this importer does not know");
    if (t.segment().has_begin() || t.segment().has_end())
        format_error(what, "segmented tensors are not supported");

    uint64_t expected = 0;
    if (!dtype_byte_size(r.dtype, r.elements, expected))
        format_error(what, "byte size overflows 64 bits");

    if (r.dtype == onnx::TensorProto_DataType_STRING) {
        // Strings are kept as type and shape only: their bytes are not element data.
        r.source = TensorBytes::Source::String;
        return r;
    }

    if (t.data_location() == onnx::TensorProto_DataLocation_EXTERNAL) {
        std::string location;
        const std::string* self_offset = nullptr;
        const std::string* self_length = nullptr;
        const std::string* offset_text = nullptr;
        const std::string* length_text = nullptr;
        for (const auto& kv : t.external_data()) {
            if (kv.key() == kSelfOffsetKey) self_offset = &kv.value();
            else if (kv.key() == kSelfLengthKey) self_length = &kv.value();
            else if (kv.key() == "location") location = kv.value();
            else if (kv.key() == "offset") offset_text = &kv.value();
            else if (kv.key() == "length") length_text = &kv.value();
        }
        if (self_offset || self_length) {
            // A payload left in place by slim_model_bytes: borrow it from the mapped model file.
            uint64_t off = 0, len = 0;
            if (!self_offset || !self_length || !parse_self_reference_value(*self_offset, off) ||
                !parse_self_reference_value(*self_length, len))
                format_error(what, "malformed self reference");
            if (off > ctx.model_size || len > ctx.model_size - off)
                format_error(what, "payload [" + std::to_string(off) + ", +" + std::to_string(len) +
                                       ") lies outside the file (" + std::to_string(ctx.model_size) +
                                       " bytes)");
            if (len != expected)
                format_error(what, "raw data holds " + std::to_string(len) + " bytes, " +
                                       dtype_label(r.dtype) + " shape needs " +
                                       std::to_string(expected));
            r.data = expected ? ctx.model_data + off : nullptr;
            r.size = expected;
            r.mode = expected ? WG_DATA_BORROW : WG_DATA_COPY;  // nothing to borrow when empty
            r.source = TensorBytes::Source::SelfRef;
            return r;
        }
        if (location.empty()) format_error(what, "external data without a 'location'");
        uint64_t off = 0, len = 0;
        if (offset_text && !parse_decimal(*offset_text, off))
            format_error(what, "external data offset '" + *offset_text + "' is not a number");
        if (length_text && !parse_decimal(*length_text, len))
            format_error(what, "external data length '" + *length_text + "' is not a number");
        if (!ctx.external) format_error(what, "external data is not available here");
        // The host refuses absolute paths and escapes from the model directory; its error
        // propagates unchanged.
        auto [file, file_size] = ctx.external->get(location);
        const std::string where = "external data '" + location + "'";
        if (off > file_size)
            format_error(what, where + ": offset " + std::to_string(off) + " is past the end of the file (" +
                                   std::to_string(file_size) + " bytes)");
        if (!length_text) {
            len = expected;  // ONNX reads to the end of the file; the shape says how much is used
            if (len > file_size - off)
                format_error(what, where + " holds " + std::to_string(file_size - off) +
                                       " bytes from offset " + std::to_string(off) + ", shape needs " +
                                       std::to_string(expected));
        } else {
            if (len > file_size - off)
                format_error(what, where + ": [" + std::to_string(off) + ", +" + std::to_string(len) +
                                       ") runs past the end of the file (" + std::to_string(file_size) +
                                       " bytes)");
            if (len != expected)
                format_error(what, where + " length is " + std::to_string(len) + " bytes, " +
                                       dtype_label(r.dtype) + " shape needs " + std::to_string(expected));
        }
        r.data = expected ? file + off : nullptr;
        r.size = expected;
        r.mode = expected ? WG_DATA_BORROW : WG_DATA_COPY;  // nothing to borrow when empty
        r.source = TensorBytes::Source::External;
        return r;
    }

    if (t.has_raw_data()) {
        // Small payloads stay inline in the slim copy; the host copies them.
        const std::string& raw = t.raw_data();
        if (raw.size() != expected)
            format_error(what, "raw data holds " + std::to_string(raw.size()) + " bytes, " +
                                   dtype_label(r.dtype) + " shape needs " + std::to_string(expected));
        r.data = expected ? raw.data() : nullptr;
        r.size = expected;
        r.mode = WG_DATA_COPY;
        r.source = TensorBytes::Source::Raw;
        return r;
    }

    // Typed fields (TensorProto documents which field holds which type).
    const uint64_t n = r.elements;
    r.source = TensorBytes::Source::Typed;
    switch (r.dtype) {
        case onnx::TensorProto_DataType_FLOAT:
            expect_count(what, "float_data", t.float_data_size(), n);
            pack(t.float_data(), n, 4, r.owned);
            break;
        case onnx::TensorProto_DataType_COMPLEX64:
            expect_count(what, "float_data", t.float_data_size(), 2 * n);
            pack(t.float_data(), 2 * n, 4, r.owned);
            break;
        case onnx::TensorProto_DataType_DOUBLE:
            expect_count(what, "double_data", t.double_data_size(), n);
            pack(t.double_data(), n, 8, r.owned);
            break;
        case onnx::TensorProto_DataType_COMPLEX128:
            expect_count(what, "double_data", t.double_data_size(), 2 * n);
            pack(t.double_data(), 2 * n, 8, r.owned);
            break;
        case onnx::TensorProto_DataType_INT64:
            expect_count(what, "int64_data", t.int64_data_size(), n);
            pack(t.int64_data(), n, 8, r.owned);
            break;
        case onnx::TensorProto_DataType_UINT32:
            expect_count(what, "uint64_data", t.uint64_data_size(), n);
            pack(t.uint64_data(), n, 4, r.owned);
            break;
        case onnx::TensorProto_DataType_UINT64:
            expect_count(what, "uint64_data", t.uint64_data_size(), n);
            pack(t.uint64_data(), n, 8, r.owned);
            break;
        case onnx::TensorProto_DataType_INT32:
            expect_count(what, "int32_data", t.int32_data_size(), n);
            pack(t.int32_data(), n, 4, r.owned);
            break;
        case onnx::TensorProto_DataType_INT16:
        case onnx::TensorProto_DataType_UINT16:
        case onnx::TensorProto_DataType_FLOAT16:   // bit pattern in the low 16 bits
        case onnx::TensorProto_DataType_BFLOAT16:
            expect_count(what, "int32_data", t.int32_data_size(), n);
            pack(t.int32_data(), n, 2, r.owned);
            break;
        case onnx::TensorProto_DataType_INT8:
        case onnx::TensorProto_DataType_UINT8:
        case onnx::TensorProto_DataType_BOOL:
        case 17: case 18: case 19: case 20:       // FLOAT8 variants: one byte each
            expect_count(what, "int32_data", t.int32_data_size(), n);
            pack(t.int32_data(), n, 1, r.owned);
            break;
        case 21: case 22:                          // UINT4/INT4: one packed byte per entry
            expect_count(what, "int32_data", t.int32_data_size(), expected);
            pack(t.int32_data(), expected, 1, r.owned);
            break;
        default:
            throw UnsupportedTensor(what + " has data type " + std::to_string(r.dtype));
    }
    if (r.owned.size() != expected) format_error(what, "internal size mismatch");
    r.data = r.owned.empty() ? nullptr : r.owned.data();
    r.size = r.owned.size();
    r.mode = WG_DATA_COPY;
    if (n == 0) r.source = TensorBytes::Source::Empty;
    return r;
}

}  // namespace winglet::onnx_importer
