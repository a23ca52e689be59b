// A measured device whose runner misbehaves, through the CLI: a runner that crashes, hangs or
// prints garbage gives a clear error naming what happened, exit code 3, and nothing in the cache;
// a runner that answers gives a plan that is cached. The runners are the measured target's fake
// runner (plugins/targets/measured/tests/fake_runner.sh), described by device files written here.
#define BOOST_TEST_MODULE measured_failures
#include <boost/test/unit_test.hpp>

#include "support/run_command.hpp"

#include <filesystem>
#include <fstream>

using namespace winglet::test;
namespace fs = std::filesystem;

namespace {

struct FakeDevices {
    fs::path dir = fs::temp_directory_path() / ("winglet_fake_devices_" + std::to_string(::getpid()));
    fs::path cache = dir / "cache.db";

    FakeDevices() {
        fs::create_directories(dir);
        const std::string runner = env_or_throw("WINGLET_SOURCE_DIR") + "/plugins/targets/measured/tests/fake_runner.sh";
        for (const std::string mode : {"ok", "crash", "hang", "garbage"}) {
            std::ofstream(dir / ("fake-" + mode + ".toml"))
                << "format = 1\nid = \"fake-" << mode << "\"\nname = \"fake " << mode << "\"\ndescription = \"test\"\n"
                << "[runner]\ncommand = [\"sh\", \"" << runner << "\", \"" << mode << "\"]\ntimeout_s = 2\n";
        }
    }
    ~FakeDevices() { fs::remove_all(dir); }

    CommandResult compile(const std::string& device) const {
        return run_command("WINGLET_DEVICE_PATH=" + quoted(dir.string()) + " " +
                           winglet_cmd("compile " + test_model("conv_chain.onnx") + " -t " + device + " --cache " +
                                       quoted(cache.string()) + " --json"));
    }
    std::string cache_stats() const {
        return run_command(winglet_cmd("cache stats --json --cache " + quoted(cache.string()))).output;
    }
};

}  // namespace

BOOST_AUTO_TEST_CASE(misbehaving_runners_are_named_errors_and_nothing_is_cached) {
    const FakeDevices devices;
    const struct {
        std::string device, message;
    } cases[] = {
        {"fake-crash", "runner ended with exit code 3 without an answer"},
        {"fake-hang", "runner timed out after 2 s and was killed"},
        {"fake-garbage", "runner output is not JSON"},
    };
    for (const auto& c : cases) {
        const CommandResult r = devices.compile(c.device);
        BOOST_TEST(r.exit_code == 3, c.device << ": " << r.output);
        BOOST_TEST(r.output.find("device '" + c.device + "': " + c.message) != std::string::npos, r.output);
    }
    // The crash's own words reach the user.
    BOOST_TEST(devices.compile("fake-crash").output.find("fake runner: cannot allocate the arena") != std::string::npos);
    BOOST_TEST(devices.cache_stats().find("\"entries\": 0") != std::string::npos, devices.cache_stats());

    // A runner that answers: exit 0, and the measurement is kept.
    const CommandResult ok = devices.compile("fake-ok");
    BOOST_TEST(ok.exit_code == 0, ok.output);
    BOOST_TEST(devices.cache_stats().find("\"entries\": 0") == std::string::npos, devices.cache_stats());
}
