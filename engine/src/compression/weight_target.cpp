#include "compression/weight_target.hpp"

#include "core/errors.hpp"

#include <cstring>

namespace winglet {
namespace {

int64_t int_attribute(const Node& node, const char* name, int64_t fallback) {
    const Attribute* a = node.attribute(name);
    return a ? a->i : fallback;
}

float half_to_float(uint16_t h) {
    const uint32_t sign = uint32_t(h & 0x8000) << 16, exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
    uint32_t bits;
    if (exponent == 0) {
        if (mantissa == 0) {
            bits = sign;
        } else {  // subnormal: normalise
            int e = -1;
            uint32_t m = mantissa;
            do {
                ++e;
                m <<= 1;
            } while (!(m & 0x400));
            bits = sign | uint32_t(127 - 15 - e) << 23 | (m & 0x3ff) << 13;
        }
    } else if (exponent == 31) {
        bits = sign | 0x7f800000u | mantissa << 13;
    } else {
        bits = sign | (exponent + 127 - 15) << 23 | mantissa << 13;
    }
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

}  // namespace

std::optional<WeightTarget> main_weight(const Graph& graph, const Node& node) {
    if (!node.domain.empty() && node.domain != "ai.onnx") return std::nullopt;
    size_t input = 1;
    const std::string& t = node.op_type;
    if (t != "Conv" && t != "ConvTranspose" && t != "Gemm" && t != "MatMul") return std::nullopt;
    if (node.inputs.size() <= input || node.inputs[input] < 0) return std::nullopt;
    const Value& v = graph.values[node.inputs[input]];
    const Weight* w = v.weight >= 0 ? &graph.weights[v.weight] : v.constant.get();
    if (!w || w->dims.size() < 2 || !dtype_is_float(w->dtype) || w->elements() == 0) return std::nullopt;
    WeightTarget target{w, v.name, 0, 1};
    const int rank = static_cast<int>(w->dims.size());
    if (t == "ConvTranspose") {
        target = {w, v.name, 1, 0};  // [C_in, C_out / group, k...]
    } else if (t == "Gemm") {
        if (int_attribute(node, "transB", 0)) target = {w, v.name, 0, 1};  // [N, K]
        else target = {w, v.name, 1, 0};                                      // [K, N]
    } else if (t == "MatMul") {
        target = {w, v.name, rank - 1, rank - 2};  // [..., K, N]
    }
    return target;
}

std::vector<float> weight_as_float(const Weight& w) {
    const uint64_t n = w.elements();
    std::vector<float> out(n);
    const uint8_t* p = w.bytes.data;
    auto need = [&](uint64_t width) {
        if (!p || w.bytes.size < n * width)
            throw InputError("weight '" + w.name + "' holds " + std::to_string(w.bytes.size) + " bytes, " +
                             std::to_string(n * width) + " expected");
    };
    switch (w.dtype) {
        case DType::Float32:
            need(4);
            std::memcpy(out.data(), p, n * 4);
            break;
        case DType::Float64:
            need(8);
            for (uint64_t i = 0; i < n; ++i) {
                double d;
                std::memcpy(&d, p + 8 * i, 8);
                out[i] = static_cast<float>(d);
            }
            break;
        case DType::Float16:
            need(2);
            for (uint64_t i = 0; i < n; ++i) {
                uint16_t h;
                std::memcpy(&h, p + 2 * i, 2);
                out[i] = half_to_float(h);
            }
            break;
        case DType::BFloat16:
            need(2);
            for (uint64_t i = 0; i < n; ++i) {
                uint16_t h;
                std::memcpy(&h, p + 2 * i, 2);
                const uint32_t bits = uint32_t(h) << 16;
                std::memcpy(&out[i], &bits, 4);
            }
            break;
        default:
            throw InputError("weight '" + w.name + "' is " + std::string(dtype_name(w.dtype)) +
                             "; compression reads float32, float16, bfloat16 or float64 weights");
    }
    return out;
}

}  // namespace winglet
