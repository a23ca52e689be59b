#include "io/atomic_write.hpp"

#include "core/errors.hpp"

#include <fstream>
#include <unistd.h>

namespace winglet {
namespace fs = std::filesystem;

void write_file_atomically(const fs::path& path, const std::function<void(std::ostream&)>& write) {
    const fs::path tmp = path.string() + ".tmp-" + std::to_string(::getpid());
    try {
        {
            std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
            if (!out) throw OutputError("cannot write '" + path.string() + "': cannot create '" + tmp.string() + "'");
            write(out);
            out.flush();
            if (!out) throw OutputError("writing '" + path.string() + "' failed");
        }
        std::error_code ec;
        fs::rename(tmp, path, ec);
        if (ec) throw OutputError("cannot write '" + path.string() + "': " + ec.message());
    } catch (...) {
        std::error_code ignored;
        fs::remove(tmp, ignored);
        throw;
    }
}

void write_file_atomically(const fs::path& path, std::string_view bytes) {
    write_file_atomically(path, [bytes](std::ostream& out) { out.write(bytes.data(), static_cast<std::streamsize>(bytes.size())); });
}

}  // namespace winglet
