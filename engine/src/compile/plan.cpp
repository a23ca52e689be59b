#include "compile/plan.hpp"

namespace winglet {

std::string_view bound_name(Bound b) {
    switch (b) {
        case Bound::Compute: return "compute";
        case Bound::Memory: return "memory";
        case Bound::Overhead: return "overhead";
        default: return "";
    }
}

std::string_view source_name(Source s) {
    switch (s) {
        case Source::Measured: return "measured";
        case Source::Fused: return "fused";
        case Source::Folded: return "folded";
        case Source::NotObserved: return "not observed";
        default: return "predicted";
    }
}

}  // namespace winglet
