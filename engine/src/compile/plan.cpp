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

}  // namespace winglet
