#include "tensors.hpp"

#include <winglet/plugin.hpp>

#include <cmath>
#include <cstring>
#include <limits>

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the ONNX model writer stores raw_data in host order and needs a little-endian host"
#endif

namespace winglet::onnx_model {

uint16_t float_to_half(float f) {
    uint32_t x;
    std::memcpy(&x, &f, sizeof x);
    const uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000u);
    const uint32_t a = x & 0x7fffffffu;
    if (a >= 0x7f800000u) return static_cast<uint16_t>(sign | 0x7c00u | (a > 0x7f800000u ? 0x0200u : 0u));
    if (a >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // >= 65520 rounds to infinity
    if (a < 0x38800000u) {
        // Below the smallest normal half (2^-14): a multiple of 2^-24, rounded to nearest even.
        float m;
        std::memcpy(&m, &a, sizeof m);
        return static_cast<uint16_t>(sign | static_cast<uint32_t>(std::nearbyint(m * 16777216.0f)));
    }
    const uint32_t mant = a & 0x7fffffu;
    uint32_t h = ((((a >> 23) - 127u + 15u)) << 10) | (mant >> 13);
    const uint32_t rest = mant & 0x1fffu;
    if (rest > 0x1000u || (rest == 0x1000u && (h & 1u))) ++h;  // a carry into the exponent is right
    return static_cast<uint16_t>(sign | h);
}

uint16_t float_to_bfloat16(float f) {
    uint32_t x;
    std::memcpy(&x, &f, sizeof x);
    if ((x & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((x >> 16) | 0x0040u);  // quiet NaN
    x += 0x7fffu + ((x >> 16) & 1u);
    return static_cast<uint16_t>(x >> 16);
}

uint64_t element_count(const std::vector<int64_t>& dims, const std::string& what) {
    uint64_t n = 1;
    for (int64_t d : dims) {
        if (d < 0)
            throw sdk::Error(WG_ERR_INVALID_ARGUMENT, what + ": negative dimension " + std::to_string(d));
        if (d != 0 && n > std::numeric_limits<uint64_t>::max() / static_cast<uint64_t>(d))
            throw sdk::Error(WG_ERR_INVALID_ARGUMENT, what + ": element count overflows");
        n *= static_cast<uint64_t>(d);
    }
    return n;
}

onnx::TensorProto make_tensor(const std::string& name, int32_t dtype, const std::vector<int64_t>& dims,
                              const void* data, size_t bytes) {
    onnx::TensorProto t;
    t.set_name(name);
    t.set_data_type(dtype);
    for (int64_t d : dims) t.add_dims(d);
    t.set_raw_data(bytes ? std::string(static_cast<const char*>(data), bytes) : std::string());
    return t;
}

void replace_float_payload(onnx::TensorProto& t, const float* values, uint64_t count) {
    std::string raw;
    switch (t.data_type()) {
        case onnx::TensorProto::FLOAT:
            raw.assign(reinterpret_cast<const char*>(values), count * sizeof(float));
            break;
        case onnx::TensorProto::DOUBLE: {
            raw.resize(count * sizeof(double));
            for (uint64_t i = 0; i < count; ++i) {
                const double v = values[i];
                std::memcpy(&raw[i * sizeof v], &v, sizeof v);
            }
            break;
        }
        case onnx::TensorProto::FLOAT16:
        case onnx::TensorProto::BFLOAT16: {
            const bool half = t.data_type() == onnx::TensorProto::FLOAT16;
            raw.resize(count * sizeof(uint16_t));
            for (uint64_t i = 0; i < count; ++i) {
                const uint16_t v = half ? float_to_half(values[i]) : float_to_bfloat16(values[i]);
                std::memcpy(&raw[i * sizeof v], &v, sizeof v);
            }
            break;
        }
        default:
            throw sdk::Error(WG_ERR_UNSUPPORTED, "tensor '" + t.name() + "' has dtype " +
                                                     dtype_name(t.data_type()) + ", not a float type");
    }
    t.clear_float_data();
    t.clear_int32_data();
    t.clear_string_data();
    t.clear_int64_data();
    t.clear_double_data();
    t.clear_uint64_data();
    t.clear_external_data();
    t.clear_data_location();
    t.set_raw_data(std::move(raw));
}

onnx::NodeProto make_node(const std::string& op_type, const std::vector<std::string>& inputs,
                          const std::vector<std::string>& outputs, const std::string& name) {
    onnx::NodeProto n;
    n.set_op_type(op_type);
    n.set_name(name);
    for (const auto& s : inputs) n.add_input(s);
    for (const auto& s : outputs) n.add_output(s);
    return n;
}

void add_int_attribute(onnx::NodeProto& node, const std::string& name, int64_t value) {
    onnx::AttributeProto* a = node.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(value);
}

onnx::ValueInfoProto make_value_info(const std::string& name, int32_t dtype, const std::vector<int64_t>& dims) {
    onnx::ValueInfoProto v;
    v.set_name(name);
    onnx::TypeProto_Tensor* t = v.mutable_type()->mutable_tensor_type();
    t->set_elem_type(dtype);
    onnx::TensorShapeProto* shape = t->mutable_shape();
    for (int64_t d : dims) shape->add_dim()->set_dim_value(d);
    return v;
}

std::vector<int64_t> tensor_dims(const onnx::TensorProto& t) { return {t.dims().begin(), t.dims().end()}; }

const char* dtype_name(int32_t dtype) {
    switch (dtype) {
        case onnx::TensorProto::FLOAT: return "float32";
        case onnx::TensorProto::UINT8: return "uint8";
        case onnx::TensorProto::INT8: return "int8";
        case onnx::TensorProto::UINT16: return "uint16";
        case onnx::TensorProto::INT16: return "int16";
        case onnx::TensorProto::INT32: return "int32";
        case onnx::TensorProto::INT64: return "int64";
        case onnx::TensorProto::STRING: return "string";
        case onnx::TensorProto::BOOL: return "bool";
        case onnx::TensorProto::FLOAT16: return "float16";
        case onnx::TensorProto::DOUBLE: return "float64";
        case onnx::TensorProto::UINT32: return "uint32";
        case onnx::TensorProto::UINT64: return "uint64";
        case onnx::TensorProto::COMPLEX64: return "complex64";
        case onnx::TensorProto::COMPLEX128: return "complex128";
        case onnx::TensorProto::BFLOAT16: return "bfloat16";
        default: return "an unknown dtype";
    }
}

unsigned dtype_size(int32_t dtype) {
    switch (dtype) {
        case onnx::TensorProto::FLOAT: return 4;
        case onnx::TensorProto::FLOAT16:
        case onnx::TensorProto::BFLOAT16: return 2;
        case onnx::TensorProto::DOUBLE: return 8;
        default: return 0;
    }
}

std::string dims_text(const std::vector<int64_t>& dims) {
    std::string s = "[";
    for (size_t i = 0; i < dims.size(); ++i) {
        if (i) s += ",";
        s += std::to_string(dims[i]);
    }
    return s + "]";
}

}  // namespace winglet::onnx_model
