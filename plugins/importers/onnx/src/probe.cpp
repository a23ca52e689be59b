#include "probe.hpp"

namespace winglet::onnx_importer {

namespace {

bool read_varint(const uint8_t* p, uint64_t size, uint64_t& pos, uint64_t& value) {
    value = 0;
    for (unsigned i = 0; i < 10; ++i) {
        if (pos >= size) return false;
        const uint8_t b = p[pos++];
        value |= static_cast<uint64_t>(b & 0x7F) << (7 * i);
        if (!(b & 0x80)) return true;
    }
    return false;
}

// ModelProto's fields (onnx.proto, ONNX 1.12 and later): wire type by field number, -1 if none.
int expected_wire_type(uint64_t field) {
    switch (field) {
        case 1: case 5: return 0;                                   // ir_version, model_version
        case 2: case 3: case 4: case 6: case 7: case 8: case 14:    // strings, graph, opsets, metadata
        case 20: case 25: return 2;                                 // training_info, functions
        default: return -1;
    }
}

}  // namespace

int32_t probe_onnx(const uint8_t* head, uint64_t size) {
    if (!head || size == 0) return 0;
    uint64_t pos = 0;
    int fields = 0;
    bool leading_ir = false;
    while (pos < size && fields < 16) {
        uint64_t tag = 0;
        if (!read_varint(head, size, pos, tag)) break;  // head ends inside the tag
        const uint64_t field = tag >> 3;
        const int wire = static_cast<int>(tag & 7);
        if (expected_wire_type(field) != wire) return fields == 0 ? 0 : 10;
        uint64_t value = 0;
        if (!read_varint(head, size, pos, value)) {
            ++fields;
            break;
        }
        if (wire == 0) {
            if (field == 1) {
                if (value == 0 || value > 100) return fields == 0 ? 5 : 10;
                if (fields == 0) leading_ir = true;
            }
        } else {
            if (value > size - pos) {  // the field runs past the head: cannot look further
                ++fields;
                break;
            }
            pos += value;
        }
        ++fields;
    }
    if (fields == 0) return 0;
    if (leading_ir) return 90;
    return fields >= 2 ? 60 : 30;
}

}  // namespace winglet::onnx_importer
