// Shared by the host functions of the ABI: turning C++ failures into wg_status + message, so no
// exception ever crosses into a plugin.
#pragma once

#include "core/errors.hpp"

#include <winglet/plugin.h>

#include <new>
#include <stdexcept>
#include <string>

struct wg_error {
    wg_status code = WG_OK;
    std::string message;
};

namespace winglet::host_call {

// A call from a plugin was malformed: becomes WG_ERR_INVALID_ARGUMENT with this message.
struct BadCall : std::runtime_error {
    using std::runtime_error::runtime_error;
};

inline std::string str(const char* s) { return s ? std::string(s) : std::string(); }

inline void require(bool ok, const std::string& message) {
    if (!ok) throw BadCall(message);
}

// Runs `fn`; any exception becomes a status with its message on `err`.
template <class Fn>
wg_status guarded(wg_error* err, Fn&& fn) noexcept {
    auto fail = [&](wg_status code, const char* message) {
        if (err) {
            err->code = code;
            err->message = message;
        }
        return code;
    };
    try {
        fn();
        return WG_OK;
    } catch (const BadCall& e) {
        return fail(WG_ERR_INVALID_ARGUMENT, e.what());
    } catch (const InputError& e) {
        return fail(WG_ERR_FORMAT, e.what());
    } catch (const std::bad_alloc&) {
        return fail(WG_ERR_OUT_OF_MEMORY, "out of memory");
    } catch (const std::exception& e) {
        return fail(WG_ERR_INTERNAL, e.what());
    } catch (...) {
        return fail(WG_ERR_INTERNAL, "unknown exception in the host");
    }
}

}  // namespace winglet::host_call
