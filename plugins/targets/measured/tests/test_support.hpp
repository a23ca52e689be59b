// Shared by the measured runner's tests: temp directories, devices built in code, file helpers.
#pragma once

#include "measured_device.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace measured_test {

namespace fs = std::filesystem;

const fs::path kTestsDir = WINGLET_MEASURED_TESTS_DIR;
const fs::path kMeasuredDir = WINGLET_MEASURED_DIR;
const fs::path kExampleModel = WINGLET_EXAMPLE_MODEL;

class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "winglet-measured-test-XXXXXX").string();
        path_ = mkdtemp(pattern.data());
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

inline std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline void write_text(const fs::path& file, const std::string& text) { std::ofstream(file, std::ios::binary) << text; }

// A device whose runner is `argv` (no prefix, no copy step).
inline winglet::measured::MeasuredDevice device_running(std::vector<std::string> argv, double timeout_s = 10) {
    winglet::measured::MeasuredDevice device;
    device.id = "test-device";
    device.name = "test device";
    device.command = std::move(argv);
    device.timeout_s = timeout_s;
    return device;
}

inline winglet::measured::MeasuredDevice fake_runner(const std::string& mode, double timeout_s = 10) {
    return device_running({"sh", (kTestsDir / "fake_runner.sh").string(), mode}, timeout_s);
}

}  // namespace measured_test
