#include "fingerprint.hpp"

#include <nlohmann/json.hpp>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

namespace winglet::measured {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string trimmed(std::string s) {
    const auto space = [](unsigned char c) { return std::isspace(c) != 0; };
    s.erase(s.begin(), std::find_if_not(s.begin(), s.end(), space));
    s.erase(std::find_if_not(s.rbegin(), s.rend(), space).base(), s.end());
    return s;
}

// The same keys, in the same order, as the runner's device facts (lib/device.mjs).
std::string cpu_model() {
    const std::string info = read_file("/proc/cpuinfo").value_or("");
    for (const char* key : {"model name", "Hardware", "Processor"}) {
        std::istringstream lines(info);
        for (std::string line; std::getline(lines, line);) {
            const size_t colon = line.find(':');
            if (colon != std::string::npos && trimmed(line.substr(0, colon)) == key) return trimmed(line.substr(colon + 1));
        }
    }
    return "unknown";
}

// The runner's own files (not node_modules), by relative path, so a changed script changes the key.
std::vector<fs::path> runner_files(const fs::path& dir) {
    std::vector<fs::path> files;
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        if (it->is_directory(ec) && it->path().filename() == "node_modules") {
            it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file(ec) && it->path().extension() == ".mjs") files.push_back(it->path().lexically_relative(dir));
    }
    std::sort(files.begin(), files.end());
    return files;
}

class Hasher {
public:
    Hasher() : state_(XXH3_createState(), &XXH3_freeState) { XXH3_64bits_reset(state_.get()); }
    // Each part is length-prefixed so that ("ab","c") and ("a","bc") differ.
    Hasher& add(std::string_view bytes) {
        const uint64_t size = bytes.size();
        XXH3_64bits_update(state_.get(), &size, sizeof size);
        XXH3_64bits_update(state_.get(), bytes.data(), bytes.size());
        return *this;
    }
    std::string hex() const {
        char out[17];
        std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(XXH3_64bits_digest(state_.get())));
        return out;
    }

private:
    std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> state_;
};

}  // namespace

HostFacts read_host_facts() {
    HostFacts facts;
    facts.cpu_model = cpu_model();
    facts.logical_cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (auto governor = read_file("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"))
        facts.governor = trimmed(*governor);
    return facts;
}

std::string runtime_version_from_lock(const fs::path& runner_dir) {
    const auto text = read_file(runner_dir / "package-lock.json");
    if (!text) return "";
    const auto lock = nlohmann::json::parse(*text, nullptr, false);
    if (lock.is_discarded()) return "";
    const nlohmann::json::json_pointer version("/packages/node_modules~1onnxruntime-node/version");
    return lock.contains(version) && lock[version].is_string() ? lock[version].get<std::string>() : "";
}

std::string device_fingerprint(const MeasuredDevice& device, const fs::path& runner_dir) {
    Hasher h;
    h.add("winglet measured device fingerprint 1").add(device.file_bytes);
    for (const fs::path& file : runner_files(runner_dir)) h.add(file.string()).add(read_file(runner_dir / file).value_or(""));
    h.add(runtime_version_from_lock(runner_dir));
    const HostFacts host = read_host_facts();
    h.add(host.cpu_model).add(std::to_string(host.logical_cpus)).add(host.governor.value_or("(unreadable)"));
    return h.hex();
}

}  // namespace winglet::measured
